//! Team sync's page session, pure: one page's connection, replication run
//! and open document as a state machine. Events come in ([`Event`]: the
//! person connected, a batch arrived, a write was acknowledged, the server
//! went away, a document was shared or deleted, the page was reloaded), each
//! with the time; the session changes and says what to do ([`Command`]:
//! write these records, show these changes, show this status). The page's
//! effect only turns browser callbacks into events and carries commands
//! out; every decision is here, and host tests drive it (`core/tests/sync_session.rs`).
//!
//! # The rules
//!
//! 1. **Connecting** ([`Event::Connect`]): the checks of
//!    [`crate::sync::connect`], in order — the form, the scripts
//!    ([`Command::LoadBridge`]), the server, the person, the database, each
//!    answer an [`Event::Loaded`] or [`Event::Answered`] with the ticket of
//!    its command. A refusal shows `Failed` and its reason, stores nothing
//!    and closes a session opened for a refused database. Only when all
//!    pass are the settings saved (`on`, and the shared list of the same
//!    server and database kept) and replication started.
//! 2. **Reloaded** ([`Event::Boot`]): the stored settings are taken; if sync
//!    was on it resumes: the database answering 200, or not at all (offline
//!    first: the local copy takes the work), starts replication; any other
//!    answer shows why and asks to connect again.
//! 3. **A run** is one start of replication, numbered; events of another run
//!    (or answers to another ticket) are ignored, so nothing late from a
//!    stopped run changes anything. Disconnecting stops the run, keeps the
//!    settings with `on` off, and signs out.
//! 4. **Replication's state** ([`Event::Status`]): active is `Syncing`, idle
//!    is `Synced`, a failed request `Offline`; a refusal of the session
//!    (401/403) stops the run and shows `Failed`; other errors show
//!    `Offline` with the error, to be retried.
//! 5. **Ready**: once the first batch (everything the local copy holds) is
//!    taken in. Before that nothing is sent or caught up.
//! 6. **Catching up** the open document, once per run and each time it is
//!    opened, when it is shared and the run is ready: its tombstones are read
//!    ([`Command::ReadTombstones`]) and the page's record is joined with the
//!    team's ([`Replica::reconcile`](crate::sync::Replica::reconcile)); what
//!    the join adds is written, what differs from the page is shown.
//! 7. **Sending**: a change of the open document's annotations, once it is
//!    caught up, is sent ([`Replica::send_changes`](crate::sync::Replica::send_changes)),
//!    and its record when its title or details change. Nothing else is sent:
//!    showing the team's changes sends nothing back.
//! 8. **Arriving** ([`Event::Batch`]): records are taken in by the replica;
//!    the open document's changed annotations are shown once it is caught
//!    up; closing tombstones are written, each at most once while in flight
//!    (until it is seen back in the feed or its write fails); shared documents
//!    are marked shared and added to the list ([`Command::AddDocuments`]),
//!    except those deleted here; records this app did not write are counted.
//! 9. **Sharing** ([`Event::Share`]): the open document, once ready, is
//!    shared at once (its record written, then caught up); another
//!    document is shared when it is opened. Deleting a shared document here
//!    ([`Event::Forget`]) keeps it from being added again until shared again.
//!
//! Files: [`view`] (the panel's state), `connecting` (rules 1–4), `running`
//! (rules 5–9).

mod connecting;
mod running;
pub mod view;

use crate::model::{Annotation, Document};
use crate::store::error::StoreError;
use crate::store::library::{DocMeta, Library};
use crate::sync::connect::Settings;
use crate::sync::replica::Replica;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use view::{TeamStatus, TeamView};

/// An HTTP answer: status and body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// The open document's annotations, shared with the page's state.
pub type AnnotationList = Rc<Vec<Rc<Annotation>>>;

/// What happened, as the session takes it in.
#[derive(Clone, Debug)]
pub enum Event {
    /// The page started; `stored` is the settings' JSON under [`SETTINGS_KEY`](crate::sync::connect::SETTINGS_KEY), if any.
    Boot { stored: Option<String> },
    /// "Connect" with the form's values.
    Connect { url: String, db: String, user: String, password: String },
    /// "Disconnect".
    Disconnect,
    /// The panel was opened or closed.
    Panel { open: bool },
    /// "Share with team" on document `id`.
    Share { id: String },
    /// Document `id` was deleted from this browser's list.
    Forget { id: String },
    /// The page shows `doc` with `annotations`; `meta` is its library entry.
    Model { doc: Rc<Document>, annotations: AnnotationList, meta: Option<DocMeta> },
    /// The bridge's scripts loaded (or not), for [`Command::LoadBridge`] `ticket`.
    Loaded { ticket: u64, result: Result<(), String> },
    /// The answer to [`Command::Request`] `ticket`; `Err` is a network error.
    Answered { ticket: u64, result: Result<Answer, String> },
    /// [`Command::StartReplication`] of `run` started (or not).
    Started { run: u64, result: Result<(), String> },
    /// A batch of the changes feed of `run` (the JSON of [`crate::sync::parse_batch`]);
    /// `initial`: everything the local copy held at the start. `library`: the page's list now.
    Batch { run: u64, json: String, initial: bool, library: Rc<Library> },
    /// Replication of `run` says how it is: `kind` is `active`, `paused`
    /// (`detail` empty when idle, else the failed request), `denied`,
    /// `error` or `feed-error`.
    Status { run: u64, kind: String, detail: String },
    /// [`Command::Write`] `id` was stored in the local copy: the errors of
    /// the records refused, or `Err` when none was.
    Written { id: u64, result: Result<Vec<String>, String> },
    /// The answer to [`Command::ReadTombstones`]: the document whose store is
    /// open, and its tombstones (annotation id → time of deletion).
    Tombstones { doc: String, deleted: BTreeMap<String, String> },
    /// [`Command::AddDocuments`] done: how many were added, the texts that
    /// could not be stored (title, error), and whether the list was written.
    DocumentsAdded { added: usize, unstored: Vec<(String, StoreError)>, library: Result<(), StoreError> },
    /// [`Command::SaveSettings`] failed.
    SettingsNotSaved { error: StoreError },
}

/// What to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Show the panel's new state.
    View(TeamView),
    /// Store the settings' JSON under [`SETTINGS_KEY`](crate::sync::connect::SETTINGS_KEY) (a failure: [`Event::SettingsNotSaved`]).
    SaveSettings(String),
    /// Load the bridge's scripts; answer [`Event::Loaded`].
    LoadBridge { ticket: u64 },
    /// One HTTP request with the browser's session cookie; answer
    /// [`Event::Answered`] when `ticket` is given, else nothing.
    Request { ticket: Option<u64>, method: &'static str, url: String, body: Option<String> },
    /// Start replication of the local copy `local_name` with `db_url` (the
    /// bridge stops any other first); its callbacks carry `run`; answer [`Event::Started`].
    StartReplication { run: u64, local_name: String, db_url: String },
    /// Stop replication and the feed (the local copy stays).
    StopReplication,
    /// Write these CouchDB documents to the local copy (as given, `new_edits: false`);
    /// answer [`Event::Written`] with `id`.
    Write { id: u64, docs: Vec<Value> },
    /// Show the team's versions of annotations of document `doc` (`None`: deleted).
    Show { doc: String, changes: Vec<(String, Option<Annotation>)> },
    /// Read the open document's tombstones; answer [`Event::Tombstones`].
    ReadTombstones { doc: String },
    /// Add shared documents to the list: each text given is stored first
    /// (one that cannot be is not added); `update` takes the team's title and
    /// details for documents already listed; `now` is the time of the change.
    /// Answer [`Event::DocumentsAdded`].
    AddDocuments { add: Vec<(DocMeta, Option<String>)>, update: Vec<DocMeta>, now: String },
    /// Tell the person something went wrong (the page's alert).
    Notice(String),
    /// Tell the person something was done.
    Info(String),
}

/// The open document as the page last showed it.
#[derive(Clone, Debug)]
struct Open {
    doc: Rc<Document>,
    annotations: AnnotationList,
    meta: Option<DocMeta>,
}

/// One run of replication (rule 3).
#[derive(Debug)]
struct Run {
    id: u64,
    replica: Replica,
    /// The first batch was taken in (rule 5).
    ready: bool,
    /// The open document, caught up in this run since it was opened (rule 6).
    caught_up: Option<String>,
    /// The document whose tombstones were asked for.
    catching_up: Option<String>,
    /// Closing tombstones written and not yet seen back: revision → write id (rule 8).
    in_flight: HashMap<String, u64>,
}

/// The checks before a run (rules 1 and 2).
#[derive(Debug)]
enum Step {
    /// The scripts are loading.
    Load,
    /// `GET /`.
    Welcome,
    /// `POST /_session`.
    Login,
    /// `GET /{db}`.
    Database { signed_in: bool },
}

/// Settings being connected, with the password until the person is signed in.
#[derive(Debug)]
struct Candidate {
    settings: Settings,
    password: String,
}

#[derive(Debug)]
enum Phase {
    Idle,
    /// Connecting (`candidate`) or resuming (`None`), waiting for `ticket`.
    Checking {
        ticket: u64,
        step: Step,
        candidate: Option<Candidate>,
    },
    Running(Box<Run>),
}

/// One page's team sync (see the module documentation).
#[derive(Debug)]
pub struct Session {
    /// This page's id: each run's replica id.
    tab: String,
    /// The sample article's id (its text ships with the app: never stored).
    seed_id: String,
    settings: Option<Settings>,
    view: TeamView,
    /// The view as last sent.
    sent: TeamView,
    phase: Phase,
    open: Option<Open>,
    /// A document to share once it is open (rule 9).
    pending_share: Option<String>,
    /// The last ticket, run or write id handed out.
    counter: u64,
}

impl Session {
    /// The session of page `tab` (`[0-9a-z]`, the replica id of its runs);
    /// `seed_id` is the sample article's id.
    pub fn new(tab: &str, seed_id: &str) -> Session {
        Session {
            tab: tab.to_string(),
            seed_id: seed_id.to_string(),
            settings: None,
            view: TeamView::default(),
            sent: TeamView::default(),
            phase: Phase::Idle,
            open: None,
            pending_share: None,
            counter: 0,
        }
    }

    /// Takes in `event` at wall time `now_ms`; returns what to do, in order
    /// (the panel's state last, when it changed).
    pub fn step(&mut self, event: Event, now_ms: u64) -> Vec<Command> {
        let mut out = Vec::new();
        match event {
            Event::Boot { stored } => self.boot(stored.as_deref(), &mut out),
            Event::Connect { url, db, user, password } => self.connect(&url, &db, &user, password, &mut out),
            Event::Disconnect => self.disconnect(&mut out),
            Event::Panel { open } => self.view.open = open,
            Event::Share { id } => self.share(&id, now_ms, &mut out),
            Event::Forget { id } => self.forget(&id, &mut out),
            Event::Model { doc, annotations, meta } => self.model(Open { doc, annotations, meta }, now_ms, &mut out),
            Event::Loaded { ticket, result } => self.loaded(ticket, result, &mut out),
            Event::Answered { ticket, result } => self.answered(ticket, result, &mut out),
            Event::Started { run, result } => self.started(run, result),
            Event::Batch { run, json, initial, library } => self.batch(run, &json, initial, &library, now_ms, &mut out),
            Event::Status { run, kind, detail } => self.status(run, &kind, &detail, &mut out),
            Event::Written { id, result } => self.written(id, result, &mut out),
            Event::Tombstones { doc, deleted } => self.tombstones(&doc, deleted, now_ms, &mut out),
            Event::DocumentsAdded { added, unstored, library } => documents_added(added, unstored, library, &mut out),
            Event::SettingsNotSaved { error } => out.push(Command::Notice(format!(
                "The team sync settings could not be saved ({error}); sync works until this page is closed."
            ))),
        }
        if self.view != self.sent {
            self.sent = self.view.clone();
            out.push(Command::View(self.view.clone()));
        }
        out
    }

    /// The panel's state.
    pub fn view(&self) -> &TeamView {
        &self.view
    }

    /// The settings in use or last used.
    pub fn settings(&self) -> Option<&Settings> {
        self.settings.as_ref()
    }

    /// The number of the running replication, if one runs.
    pub fn run(&self) -> Option<u64> {
        match &self.phase {
            Phase::Running(r) => Some(r.id),
            _ => None,
        }
    }

    /// The open document, if it is caught up with the team in this run (rule 6).
    pub fn caught_up(&self) -> Option<&str> {
        match &self.phase {
            Phase::Running(r) => r.caught_up.as_deref().filter(|d| self.open.as_ref().is_some_and(|o| o.doc.id == *d)),
            _ => None,
        }
    }

    fn next(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    fn fail(&mut self, error: String) {
        self.view.status = TeamStatus::Failed;
        self.view.error = Some(error);
    }

    /// Stores the settings and shows them.
    fn save_settings(&mut self, out: &mut Vec<Command>) {
        let Some(s) = &self.settings else { return };
        out.push(Command::SaveSettings(s.to_json()));
        self.view.settings = Some(s.clone());
    }

    /// Rule 2: the stored settings; sync resumes if it was on.
    fn boot(&mut self, stored: Option<&str>, out: &mut Vec<Command>) {
        let Some(settings) = stored.and_then(Settings::from_json) else { return };
        let on = settings.on;
        self.view.settings = Some(settings.clone());
        self.settings = Some(settings);
        if on {
            self.resume(out);
        }
    }

    /// Rule 9: a shared document deleted here stays with the team and is not added again.
    fn forget(&mut self, id: &str, out: &mut Vec<Command>) {
        let changed = self.settings.as_mut().is_some_and(|s| s.shared.remove(id) && s.left.insert(id.to_string()));
        if changed {
            self.save_settings(out);
        }
    }
}

fn documents_added(added: usize, unstored: Vec<(String, StoreError)>, library: Result<(), StoreError>, out: &mut Vec<Command>) {
    for (title, e) in unstored {
        out.push(Command::Notice(format!("The shared document “{title}” could not be stored in this browser ({e}).")));
    }
    match library {
        Err(e) => out.push(Command::Notice(format!("Shared documents could not be added to your list ({e})."))),
        Ok(()) if added > 0 => out.push(Command::Info(format!("{added} document(s) shared by the team added to your documents."))),
        Ok(()) => {}
    }
}
