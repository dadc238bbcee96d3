//! One page of the team sync session's tests and what it touches, the
//! texts and people of the tests, and how the page's storage and reducer
//! take changes in.

use crate::couch_support::Db;
use annotator_core::model::{text_order, Annotation, Document, Label};
use annotator_core::store::library::{DocMeta, Library};
use annotator_core::store::merge::DocRecord;
use annotator_core::sync::replica::iso_from_ms;
use annotator_core::sync::session::view::TeamView;
use annotator_core::sync::session::{Event, Session};
use serde_json::Value;
use std::collections::BTreeMap;
use std::rc::Rc;

pub const URL: &str = "http://127.0.0.1:5984";
/// A server that answers, but not as CouchDB.
pub const NOT_COUCH: &str = "http://127.0.0.1:8000";
pub const DB: &str = "desk";
/// Users: name, password, member of the database.
pub const USERS: [(&str, &str, bool); 3] = [("alice", "alice-pw", true), ("bob", "bob-pw", true), ("carol", "carol-pw", false)];
/// The sample article (every browser has it).
pub const SEED_TEXT: &str = "Kabul denied the claim; Islamabad said 1,463 were injured and 1,524 died.";
/// A text file one person opens.
pub const FILE_TEXT: &str = "Field note\nThe river rose 2 metres overnight, the mayor said.\n";
/// Spans of the sample article annotations cover.
pub const NEEDLES: [&str; 5] = ["Kabul", "the claim", "Islamabad said", "1,463", "1,524 died"];
/// 2024-05-01T10:00:00Z.
pub const BASE: u64 = 1_714_557_600_000;

pub fn seed_meta() -> DocMeta {
    let mut m = DocMeta::new(SEED_TEXT, "Sample article", "sample", "2024-05-01T09:00:00Z");
    m.seed = true;
    m
}

pub fn file_meta() -> DocMeta {
    DocMeta::new(FILE_TEXT, "Field note", "field-note", "2024-05-01T09:00:00Z")
}

pub fn seed_id() -> String {
    seed_meta().id
}

pub fn file_id() -> String {
    file_meta().id
}

/// Annotation `id` of the sample article over `needle`, made at `ms`.
pub fn ann(id: &str, needle: &str, label: Label, ms: u64) -> Annotation {
    ann_in(SEED_TEXT, id, needle, label, ms)
}

/// Annotation `id` of `text` over `needle`, made at `ms`.
pub fn ann_in(text: &str, id: &str, needle: &str, label: Label, ms: u64) -> Annotation {
    let byte = text.find(needle).unwrap();
    let start = text[..byte].chars().count();
    Annotation::new(id, start, start + needle.chars().count(), needle, label, &iso_from_ms(ms))
}

/// One browser tab and what it touches.
pub struct Page {
    pub name: String,
    /// Starts (1 + reloads): each start is a new tab id.
    pub starts: u32,
    pub session: Session,
    /// Local storage's team sync settings.
    pub stored: Option<String>,
    /// The user the browser's session cookie signs in.
    pub cookie: Option<String>,
    /// The local copy (IndexedDB): it outlives reloads.
    pub db: Db,
    /// The run the bridge replicates for; `None`: stopped.
    pub bridge: Option<u64>,
    /// The bridge's first batch (everything) is still to come.
    pub initial_due: bool,
    /// Writes handed to the bridge, not yet stored.
    pub pending: Vec<(u64, Vec<Value>)>,
    pub library: Rc<Library>,
    /// Each document's store: annotations and tombstones.
    pub records: BTreeMap<String, DocRecord>,
    pub doc: Rc<Document>,
    pub shown: Rc<Vec<Rc<Annotation>>>,
    pub view: TeamView,
    pub notices: Vec<String>,
    pub infos: Vec<String>,
    /// Every record written, in order.
    pub written: Vec<Value>,
    /// Writes made while taking in what others did (must stay empty: no echo).
    pub echoes: Vec<Value>,
    /// This page's own edits of the sample article, as a record (for the two-tab merge).
    pub own: DocRecord,
    /// Annotations this page made.
    pub made: u32,
}

impl Page {
    pub fn new(name: &str) -> Page {
        let mut library = Library::new();
        library.add(seed_meta()).unwrap();
        let doc = Rc::new(Document::new("Sample article", "sample", SEED_TEXT));
        Page {
            name: name.to_string(),
            starts: 1,
            session: Session::new(&format!("{name}1"), &seed_id()),
            stored: None,
            cookie: None,
            db: Db::default(),
            bridge: None,
            initial_due: false,
            pending: Vec::new(),
            library: Rc::new(library),
            records: BTreeMap::new(),
            doc,
            shown: Rc::new(Vec::new()),
            view: TeamView::default(),
            notices: Vec::new(),
            infos: Vec::new(),
            written: Vec::new(),
            echoes: Vec::new(),
            own: DocRecord::default(),
            made: 0,
        }
    }

    pub fn list(&self) -> Vec<Annotation> {
        self.shown.iter().map(|a| (**a).clone()).collect()
    }

    pub fn model(&self) -> Event {
        Event::Model { doc: self.doc.clone(), annotations: self.shown.clone(), meta: self.library.get(&self.doc.id).cloned() }
    }
}

/// Writes handed to the bridge are stored (a stopped bridge or a closed page
/// does not cancel them), without answer.
pub fn flush(page: &mut Page) {
    for (_, docs) in std::mem::take(&mut page.pending) {
        for d in &docs {
            page.db.put(d);
        }
    }
}

/// The open document's store saves what is shown.
pub fn store(page: &mut Page, ms: u64) {
    let record = page.records.entry(page.doc.id.clone()).or_default();
    *record = record.after_edit(&page.shown[..], &iso_from_ms(ms));
}

/// The reducer takes the team's versions in (by id; text order); whether anything changed.
pub fn show(page: &mut Page, changes: Vec<(String, Option<Annotation>)>, ms: u64) -> bool {
    let mut list = page.list();
    let before = list.clone();
    for (id, version) in changes {
        list.retain(|a| a.id != id);
        list.extend(version);
    }
    list.sort_by(text_order);
    if list == before {
        return false;
    }
    page.shown = Rc::new(list.into_iter().map(Rc::new).collect());
    store(page, ms);
    true
}

/// This page's own change from `before` to `after` at `ms`, noted in `own`.
pub fn note_own(own: &mut DocRecord, before: &[Annotation], after: &[Annotation], ms: u64) {
    for a in after {
        if !before.iter().any(|b| b == a) {
            own.annotations.retain(|o| o.id != a.id);
            own.annotations.push(a.clone());
        }
    }
    for b in before {
        if !after.iter().any(|a| a.id == b.id) {
            own.annotations.retain(|o| o.id != b.id);
            own.deleted.insert(b.id.clone(), iso_from_ms(ms));
        }
    }
    own.annotations.sort_by(text_order);
}
