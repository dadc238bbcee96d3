//! Team sync's effect. Every decision is the session's
//! ([`annotator_core::sync::session`]): this module turns what happens in the
//! page (the person's actions, the rendered document) into its events;
//! `runner` holds the session, feeds it those and the bridge's callbacks and
//! answers, and carries its commands out.

mod runner;

use crate::browser::storage;
use crate::effects::Ctx;
use annotator_core::model::{Annotation, Document};
use annotator_core::store::library::Library;
use annotator_core::sync::connect::SETTINGS_KEY;
use annotator_core::sync::session::Event;
use runner::feed;
pub use runner::{Team, TeamRef};
use std::rc::Rc;

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
