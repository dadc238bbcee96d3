//! The team sync session held, events fed into it, and its commands carried
//! out: the bridge (`crate::browser::team`), storage and the app's actions.
//! Answers go back to the session as events: at once (queued behind the
//! commands of the same step), or when a promise settles.

use crate::browser::{self, storage, team as bridge};
use crate::effects::session::seed_meta;
use crate::effects::Ctx;
use annotator_core::app::action::AppAction;
use annotator_core::store::library::{DocMeta, Library};
use annotator_core::sync::connect::SETTINGS_KEY;
use annotator_core::sync::session::{Command, Event, Session};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::spawn_local;

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
pub(super) fn feed(team: &TeamRef, ctx: &Ctx, event: Event) {
    let mut queue = VecDeque::from([event]);
    while let Some(event) = queue.pop_front() {
        let commands = team.borrow_mut().session.step(event, browser::now_ms());
        for command in commands {
            run(team, ctx, command, &mut queue);
        }
    }
}

/// Feeds the event `answer` settles to, when it does.
fn answer_later(team: &TeamRef, ctx: &Ctx, answer: impl Future<Output = Event> + 'static) {
    let (team, ctx) = (team.clone(), ctx.clone());
    spawn_local(async move {
        let event = answer.await;
        feed(&team, &ctx, event);
    });
}

fn run(team: &TeamRef, ctx: &Ctx, command: Command, queue: &mut VecDeque<Event>) {
    match command {
        Command::View(view) => ctx.dispatch.dispatch(AppAction::Team(Rc::new(view))),
        Command::SaveSettings(json) => {
            if let Err(error) = storage::set(SETTINGS_KEY, &json) {
                queue.push_back(Event::SettingsNotSaved { error });
            }
        }
        Command::LoadBridge { ticket } => answer_later(team, ctx, async move { Event::Loaded { ticket, result: bridge::load().await } }),
        Command::Request { ticket, method, url, body } => {
            let (team, ctx) = (team.clone(), ctx.clone());
            spawn_local(async move {
                let result = bridge::request(method, &url, body.as_deref()).await;
                if let Some(ticket) = ticket {
                    feed(&team, &ctx, Event::Answered { ticket, result });
                }
            });
        }
        Command::StartReplication { run, local_name, db_url } => {
            let on_batch: Batch = {
                let (team, ctx) = (team.clone(), ctx.clone());
                Closure::new(move |json: String, initial: bool| {
                    let library = (team.borrow().library)();
                    feed(&team, &ctx, Event::Batch { run, json, initial, library });
                })
            };
            let on_status: Status = {
                let (team, ctx) = (team.clone(), ctx.clone());
                Closure::new(move |kind: String, detail: String| feed(&team, &ctx, Event::Status { run, kind, detail }))
            };
            let result = bridge::start(&local_name, &db_url, &on_batch, &on_status);
            // The last run's callbacks are dropped here, never while the bridge calls one.
            team.borrow_mut().callbacks = Some((on_batch, on_status));
            queue.push_back(Event::Started { run, result });
        }
        Command::StopReplication => bridge::stop(),
        Command::Write { id, docs } => {
            let json = serde_json::Value::Array(docs).to_string();
            answer_later(team, ctx, async move { Event::Written { id, result: bridge::write(json).await.map(|(_, errors)| errors) } });
        }
        Command::Show { doc, changes } => ctx.dispatch.dispatch(AppAction::TeamChanges { doc, changes }),
        Command::ReadTombstones { .. } => {
            let store = ctx.session.doc_store();
            let (doc, deleted) = store.map(|s| (s.borrow().doc_id.clone(), s.borrow().known.deleted.clone())).unwrap_or_default();
            queue.push_back(Event::Tombstones { doc, deleted });
        }
        Command::AddDocuments { add, update, now } => {
            let fallback = (team.borrow().library)();
            let ctx2 = ctx.clone();
            answer_later(team, ctx, async move { add_documents(&ctx2, &fallback, add, update, &now).await });
        }
        Command::Notice(text) => ctx.dispatch.dispatch(AppAction::Notice(text)),
        Command::Info(text) => ctx.dispatch.dispatch(AppAction::Info(text)),
    }
}

/// Stores the texts given, then adds those stored to the list and takes the
/// team's titles and details for `update`; the list written is shown.
async fn add_documents(ctx: &Ctx, fallback: &Library, add: Vec<(DocMeta, Option<String>)>, update: Vec<DocMeta>, now: &str) -> Event {
    let mut stored = Vec::new();
    let mut unstored = Vec::new();
    for (meta, text) in add {
        if let Some(text) = text {
            if let Err(e) = storage::save_text(&meta.id, &text).await {
                unstored.push((meta.title, e));
                continue;
            }
        }
        stored.push(meta);
    }
    let added = stored.len();
    if stored.is_empty() && update.is_empty() {
        return Event::DocumentsAdded { added, unstored, library: Ok(()) };
    }
    let written = ctx.session.update_library(fallback, move |lib: &mut Library| {
        stored.into_iter().try_for_each(|m| lib.add(m).map(|_| ()))?;
        for m in update {
            lib.rename(&m.id, &m.title, now)?;
            lib.set_details(&m.id, m.details, now)?;
        }
        Ok(())
    });
    let library = written.map(|lib| ctx.dispatch.dispatch(AppAction::SetLibrary(Rc::new(lib))));
    Event::DocumentsAdded { added, unstored, library }
}
