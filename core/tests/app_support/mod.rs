//! Helpers for the app reducer tests (`app_state`, `app_import`, `app_props`):
//! a document with an astral character (so UTF-16 and code point offsets
//! differ), states, selections, and a comparable snapshot of every field of
//! an [`AppState`] (its `PartialEq` compares the history by pointer).
#![allow(dead_code)]

use annotator_core::anchor::Orphan;
use annotator_core::app::action::AppAction;
use annotator_core::app::selection::SelectionRead;
use annotator_core::app::state::{AppState, SaveStatus};
use annotator_core::history::{Change, History};
use annotator_core::model::filter::Filter;
use annotator_core::model::{Annotation, Document, Label, State};
use annotator_core::store::library::{Library, Removed};
use std::rc::Rc;

/// 📊 is one code point but two UTF-16 units: every offset after it differs by one.
pub const TEXT: &str = "Kabul denied 📊 the claim; Islamabad said 1,463 were injured.";

pub const T0: &str = "2024-05-01T10:00:00Z";
pub const T1: &str = "2024-05-01T11:00:00Z";
pub const T2: &str = "2024-05-01T12:00:00Z";
pub const T3: &str = "2024-05-01T13:00:00Z";
pub const T4: &str = "2024-05-01T14:00:00Z";
pub const T5: &str = "2024-05-01T15:00:00Z";

pub fn doc() -> Rc<Document> {
    Rc::new(Document::new("Kabul report", "kabul-report", TEXT))
}

/// Code point span of the first occurrence of `needle` in [`TEXT`].
pub fn span(needle: &str) -> (usize, usize) {
    let byte = TEXT.find(needle).unwrap_or_else(|| panic!("{needle} not in TEXT"));
    let start = TEXT[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// An annotation of [`TEXT`] over `needle`, created and modified at `T0`.
pub fn ann(id: &str, needle: &str, label: Label) -> Annotation {
    let (start, end) = span(needle);
    Annotation {
        id: id.into(),
        start,
        end,
        quote: needle.into(),
        label,
        note: String::new(),
        speaker: String::new(),
        verdict: String::new(),
        links: Vec::new(),
        created: T0.into(),
        modified: T0.into(),
    }
}

/// The app showing `anns` of [`TEXT`], empty history, no orphans.
pub fn app(anns: Vec<Annotation>) -> AppState {
    app_with(anns, Vec::new())
}

pub fn app_with(anns: Vec<Annotation>, orphans: Vec<Orphan>) -> AppState {
    AppState::new(State::with_annotations(doc(), anns), History::default(), orphans, None, Library::new())
}

/// The UTF-16 selection of code points `[start, end)` of [`TEXT`].
pub fn sel_cp(start: usize, end: usize) -> SelectionRead {
    let ix = doc().index.clone();
    SelectionRead::Range { start_utf16: ix.cp_to_utf16(start).unwrap() as u32, end_utf16: ix.cp_to_utf16(end).unwrap() as u32 }
}

/// The UTF-16 selection of the first occurrence of `needle`.
pub fn sel(needle: &str) -> SelectionRead {
    let (s, e) = span(needle);
    sel_cp(s, e)
}

pub fn tag(label: Label, selection: SelectionRead, id: &str, now: &str) -> AppAction {
    AppAction::Tag { label, selection, new_id: id.into(), now: now.into() }
}

/// Tag the first occurrence of `needle`.
pub fn tag_text(label: Label, needle: &str, id: &str, now: &str) -> AppAction {
    tag(label, sel(needle), id, now)
}

/// Retag the selected annotation (no text selection).
pub fn retag(label: Label, now: &str) -> AppAction {
    tag(label, SelectionRead::Nothing, "unused-id", now)
}

pub fn select(id: &str) -> AppAction {
    AppAction::Select { id: Some(id.into()), scroll: false }
}

/// `s.reduce(action)`, which must change something.
#[track_caller]
pub fn r(s: &AppState, action: AppAction) -> AppState {
    let dbg = format!("{action:?}");
    s.reduce(action).unwrap_or_else(|| panic!("{dbg} changed nothing"))
}

/// Runs `actions` in order, each one changing something.
#[track_caller]
pub fn run(s: &AppState, actions: Vec<AppAction>) -> AppState {
    actions.into_iter().fold(s.clone(), |s, a| r(&s, a))
}

pub fn ids(s: &AppState) -> Vec<String> {
    s.model.annotations.iter().map(|a| a.id.clone()).collect()
}

pub fn get<'a>(s: &'a AppState, id: &str) -> &'a Annotation {
    s.model.get(id).unwrap_or_else(|| panic!("no annotation {id}"))
}

/// A removed library document, as `Library::remove` gives it.
pub fn removed(title: &str) -> Removed {
    let mut lib = Library::new();
    let meta = annotator_core::store::library::DocMeta::new("Another text entirely.", title, "", T0);
    let id = meta.id.clone();
    lib.add(meta).unwrap();
    lib.remove(&id).unwrap()
}

pub fn orphan(id: &str, quote: &str, label: Label) -> Orphan {
    Orphan {
        id: id.into(),
        label,
        quote: quote.into(),
        note: "from the file".into(),
        speaker: String::new(),
        verdict: String::new(),
        links: Vec::new(),
        created: T0.into(),
        modified: T0.into(),
        start_hint: Some(3),
        end_hint: Some(9),
        reason: "not found in the text".into(),
    }
}

/// Every field of an [`AppState`] in a comparable form (the history as its
/// JSON and stack sizes, shared lists by value).
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    pub model: State,
    pub history: (String, usize, usize),
    pub orphans: Vec<Orphan>,
    pub filter: Filter,
    pub snap_words: bool,
    pub notice: Option<String>,
    pub info: Option<String>,
    pub announce: String,
    pub revision: u64,
    pub scroll_to: Option<(String, u64)>,
    pub edit_note: Option<(String, u64)>,
    pub help_open: bool,
    pub paste_open: bool,
    pub library: Library,
    pub last_deleted: Option<Removed>,
    pub deleted_at_revision: u64,
    pub backups: Vec<String>,
    pub last_change: Option<(Vec<Annotation>, Vec<Annotation>, Vec<Change>)>,
    /// (files, names, message)
    pub pending_labels: Option<(Files, String, String)>,
    pub save: SaveStatus,
}

/// Files as read: (name, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

pub fn snapshot(s: &AppState) -> Snapshot {
    Snapshot {
        model: s.model.clone(),
        history: (s.history.to_json(), s.history.undo_len(), s.history.redo_len()),
        orphans: (*s.orphans).clone(),
        filter: s.filter.clone(),
        snap_words: s.snap_words,
        notice: s.notice.clone(),
        info: s.info.clone(),
        announce: s.announce.clone(),
        revision: s.revision,
        scroll_to: s.scroll_to.clone(),
        edit_note: s.edit_note.clone(),
        help_open: s.help_open,
        paste_open: s.paste_open,
        library: (*s.library).clone(),
        last_deleted: s.last_deleted.clone(),
        deleted_at_revision: s.deleted_at_revision,
        backups: (*s.backups).clone(),
        last_change: s.last_change.as_ref().map(|c| {
            (c.before.iter().map(|a| (**a).clone()).collect(), c.after.iter().map(|a| (**a).clone()).collect(), c.changes.clone())
        }),
        pending_labels: s.pending_labels.as_ref().map(|p| ((*p.files).clone(), p.names.clone(), p.message.clone())),
        save: s.save.clone(),
    }
}

/// Checks the model's invariants: quotes are the text at their spans, ids
/// unique, list in text order, the selection (if any) exists.
#[track_caller]
pub fn assert_invariants(s: &AppState) {
    let ix = &s.model.doc.index;
    let anns = &s.model.annotations;
    for a in anns.iter() {
        assert!(a.start < a.end, "{a:?}: empty span");
        assert_eq!(ix.slice_cp(a.start, a.end), Some(a.quote.as_str()), "{a:?}: quote is not the text at its span");
    }
    let mut seen = std::collections::HashSet::new();
    for a in anns.iter() {
        assert!(seen.insert(a.id.as_str()), "duplicate id {}", a.id);
    }
    for w in anns.windows(2) {
        assert!(annotator_core::model::text_order(&w[0], &w[1]).is_lt(), "not in text order: {:?} then {:?}", w[0], w[1]);
    }
    if let Some(sel) = &s.model.selected {
        assert!(s.model.get(sel).is_some(), "selected {sel} does not exist");
    }
}
