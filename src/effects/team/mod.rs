//! Team sync's effect. Every decision is the session's
//! ([`annotator_core::sync::session`]): this module turns what happens in the
//! page (the person's actions, the rendered document, the bridge's
//! callbacks, answers of storage and the server) into its events, and
//! carries its commands out (`commands`).

mod commands;

use crate::browser::{self, storage};
use crate::effects::session::seed_meta;
use crate::effects::Ctx;
use annotator_core::store::library::Library;
use annotator_core::sync::connect::SETTINGS_KEY;
use annotator_core::sync::session::{Event, Session};
use annotator_core::model::{Annotation, Document};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;

type Batch = Closure<dyn FnMut(String, bool)>;

type Status = Closure<dyn FnMut(String, String)>;

/// This page's team sync: the session, and the handles its commands need.
pub struct Team {
    session: Session,
    /// The bridge's callbacks of the last replication started (alive while it may call them).
    callbacks: Option<(Batch, Status)>,
    /// The page's list of documents now (for what arrives).
    library: Box<dyn Fn() -> Rc<Library>>,
}

pub type TeamRef = Rc<RefCell<Team>>;

impl Team {
    /// The team sync of tab `tab`; `library` reads the page's list of documents.
    pub fn new(tab: &str, library: impl Fn() -> Rc<Library> + 'static) -> Team {
        Team { session: Session::new(tab, &seed_meta().id), callbacks: None, library: Box::new(library) }
    }
}

/// Takes `event` into the session and carries out its commands, and those
/// of the events they answer at once, in order.
fn feed(team: &TeamRef, ctx: &Ctx, event: Event) {
    let mut queue = VecDeque::from([event]);
    while let Some(event) = queue.pop_front() {
        let commands = team.borrow_mut().session.step(event, browser::now_ms());
        for command in commands {
            commands::run(team, ctx, command, &mut queue);
        }
    }
}

/// On start: the stored settings (sync resumes if it was on).
pub fn boot(team: &TeamRef, ctx: &Ctx) {
    // Unreadable storage holds no settings for this page.
    let stored = storage::get(SETTINGS_KEY).ok().flatten();
    feed(team, ctx, Event::Boot { stored });
}

/// "Connect" with the form's values.
pub fn connect(team: &TeamRef, ctx: &Ctx, url: String, db: String, user: String, password: String) {
    feed(team, ctx, Event::Connect { url, db, user, password });
}

/// "Disconnect".
pub fn disconnect(team: &TeamRef, ctx: &Ctx) {
    feed(team, ctx, Event::Disconnect);
}

/// Opens or closes the panel.
pub fn set_open(team: &TeamRef, ctx: &Ctx, open: bool) {
    feed(team, ctx, Event::Panel { open });
}

/// "Share with team" on document `id`.
pub fn share(team: &TeamRef, ctx: &Ctx, id: &str) {
    feed(team, ctx, Event::Share { id: id.to_string() });
}

/// Document `id` was deleted from this browser's list.
pub fn forget(team: &TeamRef, ctx: &Ctx, id: &str) {
    feed(team, ctx, Event::Forget { id: id.to_string() });
}

/// The page shows `doc` with `list` (after a render that changed either, or the library).
pub fn on_model(team: &TeamRef, ctx: &Ctx, doc: &Rc<Document>, list: &Rc<Vec<Rc<Annotation>>>, library: &Library) {
    let meta = library.get(&doc.id).cloned();
    feed(team, ctx, Event::Model { doc: doc.clone(), annotations: list.clone(), meta });
}
