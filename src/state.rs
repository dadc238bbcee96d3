//! The app's reducer: the model's [`State`] plus undo history, orphans,
//! filters and the messages shown to the person. Refusals from the model
//! become a notice; nothing else changes.

use crate::browser::selection::SelectionRead;
use annotator_core::anchor::Orphan;
use annotator_core::filter::Filter;
use annotator_core::formats::Imported;
use annotator_core::history::{apply_recorded_change, redo_state, undo_state, History};
use annotator_core::library::{Library, Removed};
use annotator_core::merge::DocRecord;
use annotator_core::model::{normalize_selection, shorten};
use annotator_core::words::snap_to_words;
use annotator_core::{Action, Annotation, Label, State};
use std::cell::RefCell;
use std::rc::Rc;
use yew::Reducible;

/// The app state Yew keeps.
#[derive(Clone, Debug)]
pub struct AppState {
    pub model: State,
    /// Undo/redo history of this document. Shared and mutated in place by the
    /// reducer (cloning 500 steps per edit would cost more than the edit);
    /// `history_rev` changes whenever it does.
    pub history: Rc<RefCell<History>>,
    pub history_rev: u64,
    /// Imported annotations that could not be anchored. An orphan whose id is
    /// also an annotation's (after re-attaching) is not shown.
    pub orphans: Rc<Vec<Orphan>>,
    pub filter: Filter,
    /// Extend selections to whole words before tagging.
    pub snap_words: bool,
    /// An error or refusal to show in the alert region.
    pub notice: Option<String>,
    /// A success message (import summary, undo).
    pub info: Option<String>,
    /// What screen readers are told about the last change.
    pub announce: String,
    /// Increases on every change to the annotations (drives autosave).
    pub revision: u64,
    /// An annotation to scroll into view, with a nonce so repeats scroll again.
    pub scroll_to: Option<(String, u64)>,
    /// A request to focus the note editor of an annotation (with a nonce).
    pub edit_note: Option<(String, u64)>,
    pub help_open: bool,
    pub paste_open: bool,
    /// Every document (the library).
    pub library: Rc<Library>,
    /// The last deleted document, while its deletion can be undone.
    pub last_deleted: Option<Removed>,
    /// `revision` when that document was deleted: while no annotation changed
    /// since, Undo (Ctrl+Z or the button) brings the document back.
    pub deleted_at_revision: u64,
    /// Keys of unreadable data kept aside, offered as downloads.
    pub backups: Rc<Vec<String>>,
    /// The document's record as last written or read (tombstones, merging
    /// with other tabs). Mutated in place by the save path.
    pub record: Rc<RefCell<DocRecord>>,
    /// The stored journal (the edits since `record` was last written whole,
    /// see `storage::write_journal`). Mutated in place by the save path and
    /// by other tabs' journal writes.
    pub journal: Rc<RefCell<DocRecord>>,
    /// The next save writes the whole record (the stored one was unreadable).
    pub rewrite_whole: Rc<std::cell::Cell<bool>>,
    /// The changes of the latest edit, with the list they were made to
    /// (compared by pointer): lets the view update only what they touched.
    pub last_change: Option<Rc<LastChange>>,
    /// An import held back until the person chooses what to do with labels we do not have.
    pub pending_labels: Option<PendingImport>,
}

/// One edit's changes and the annotation list they apply to.
#[derive(Debug)]
pub struct LastChange {
    pub before: Rc<Vec<Annotation>>,
    pub after: Rc<Vec<Annotation>>,
    pub changes: Vec<annotator_core::history::Change>,
}

/// An import waiting for the person to say what to do with unknown labels.
#[derive(Clone, Debug)]
pub struct PendingImport {
    pub files: Rc<Vec<(String, Vec<u8>)>>,
    pub names: String,
    pub message: String,
}

impl PartialEq for PendingImport {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.files, &other.files) && self.message == other.message
    }
}

/// Everything needed to show another document.
#[derive(Clone, Debug)]
pub struct Opened {
    pub model: State,
    pub history: History,
    pub orphans: Vec<Orphan>,
    pub notice: Option<String>,
    pub info: Option<String>,
    /// The stored record the annotations came from (for tombstones and merging).
    pub record: DocRecord,
    /// The stored journal of edits not yet written into the whole record.
    pub journal: DocRecord,
    /// The stored whole record was unreadable (and backed up): the next save
    /// replaces it.
    pub rewrite_whole: bool,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        self.model == other.model
            && self.history_rev == other.history_rev
            && Rc::ptr_eq(&self.history, &other.history)
            && self.orphans == other.orphans
            && self.filter == other.filter
            && self.snap_words == other.snap_words
            && self.notice == other.notice
            && self.info == other.info
            && self.announce == other.announce
            && self.revision == other.revision
            && self.scroll_to == other.scroll_to
            && self.edit_note == other.edit_note
            && self.help_open == other.help_open
            && self.paste_open == other.paste_open
            && self.library == other.library
            && self.last_deleted == other.last_deleted
            && self.deleted_at_revision == other.deleted_at_revision
            && self.backups == other.backups
            && self.pending_labels == other.pending_labels
    }
}

/// What the UI asks the reducer to do.
#[derive(Clone, Debug)]
pub enum AppAction {
    /// `1`/`2`/`3` or a label button: tag the text selection, or retag the
    /// selected annotation when no text is selected.
    Tag { label: Label, selection: SelectionRead, new_id: String, now: String },
    /// Delete the selected annotation.
    DeleteSelected,
    /// Delete a given annotation.
    Delete(String),
    /// Select an annotation (from the list: also scrolls it into view).
    Select { id: Option<String>, scroll: bool },
    /// Select the next (`+1`) or previous (`-1`) shown annotation in text order.
    Step(i32),
    /// Clicked a highlight covered by `ids` (outermost first): selects the
    /// innermost, or the next one out if that is already selected.
    ClickHighlight(Vec<Rc<str>>),
    /// Replace an annotation's note.
    SetNote { id: String, note: String, now: String },
    /// Focus the note editor of the selected annotation.
    EditNote,
    /// Merge an anchored import (one undo step); orphans join the orphan list.
    Import { imported: Imported, file_name: String },
    /// Attach an orphan to the current text selection.
    Reattach { orphan_id: String, selection: SelectionRead, now: String },
    /// Remove an orphan for good.
    DeleteOrphan(String),
    Undo,
    Redo,
    ToggleLabel(Label),
    SetQuery(String),
    SetSnap(bool),
    Help(bool),
    Paste(bool),
    /// Show another document (its annotations, history and orphans).
    OpenDoc(Box<Opened>),
    /// The library changed (here or in another tab).
    SetLibrary(Rc<Library>),
    /// Another tab changed this document's annotations: take them (not an undo step).
    External(Vec<Annotation>),
    /// Another tab wrote this document's record: merge it with this tab's
    /// annotations (saved or not) by id, deletions remembered; write back
    /// what the other copy lacks.
    ExternalRecord(DocRecord),
    /// A document was deleted (its removal can be undone until the next deletion).
    Deleted(Removed),
    /// The deletion can no longer be undone.
    ForgetDeleted,
    /// Hold (or drop) an import until the person decides about unknown labels.
    PendingLabels(Option<PendingImport>),
    /// Unreadable data was kept under these backup keys.
    AddBackups(Vec<String>),
    /// Show an error.
    Notice(String),
    /// Show a success message.
    Info(String),
}

impl AppState {
    /// The document deletion that Undo would undo now, if the deletion is the
    /// latest change.
    pub fn undoable_deletion(&self) -> Option<&Removed> {
        self.last_deleted.as_ref().filter(|_| self.revision == self.deleted_at_revision)
    }

    /// The initial state of a document, with its history, orphans and an
    /// optional startup notice.
    pub fn new(model: State, history: History, orphans: Vec<Orphan>, notice: Option<String>, library: Library) -> Self {
        AppState {
            model,
            history: Rc::new(RefCell::new(history)),
            history_rev: 0,
            orphans: Rc::new(orphans),
            filter: Filter::default(),
            snap_words: false,
            notice,
            info: None,
            announce: String::new(),
            revision: 0,
            scroll_to: None,
            edit_note: None,
            help_open: false,
            paste_open: false,
            library: Rc::new(library),
            last_deleted: None,
            deleted_at_revision: 0,
            backups: Rc::new(Vec::new()),
            record: Rc::new(RefCell::new(DocRecord::default())),
            journal: Rc::new(RefCell::new(DocRecord::default())),
            rewrite_whole: Rc::new(std::cell::Cell::new(false)),
            last_change: None,
            pending_labels: None,
        }
    }

    /// Orphans still waiting to be re-attached or deleted.
    pub fn open_orphans(&self) -> Vec<&Orphan> {
        self.orphans.iter().filter(|o| self.model.get(&o.id).is_none()).collect()
    }

    /// Applies a model action, recording it in the history under `description`.
    fn change(&self, action: Action, description: &str, announce: String) -> Self {
        let result = apply_recorded_change(&self.model, &mut self.history.borrow_mut(), action, description);
        let mut next = self.clone();
        match result {
            Ok((model, change)) => {
                // The list this edit replaces is freed after the frame is painted:
                // dropping 10,000 annotations is work the person need not wait for.
                let old_list = (self.model.annotations.clone(), self.last_change.clone());
                crate::browser::after_next_paint(move || drop(old_list));
                // A one-annotation action's change, for the view (imports: none, it compares).
                next.last_change = change.map(|c| {
                    Rc::new(LastChange { before: self.model.annotations.clone(), after: model.annotations.clone(), changes: vec![c] })
                });
                next.model = model;
                next.notice = None;
                next.info = None;
                next.announce = announce;
                next.revision += 1;
                next.history_rev += 1;
            }
            Err(e) => {
                next.notice = Some(e.to_string());
                next.info = None;
            }
        }
        next
    }

    fn notice(&self, text: String) -> Self {
        let mut next = self.clone();
        next.notice = Some(text);
        next.info = None;
        next
    }

    fn select(&self, id: Option<String>, scroll: bool) -> Self {
        let mut next = self.clone();
        match self.model.apply(Action::Select(id.clone())) {
            Ok(model) => {
                next.model = model;
                next.notice = None;
                if let Some(a) = id.as_deref().and_then(|id| next.model.get(id)) {
                    next.announce = format!("Selected {}", describe(a));
                }
                if scroll {
                    if let Some(id) = id {
                        let nonce = self.scroll_to.as_ref().map_or(0, |s| s.1) + 1;
                        next.scroll_to = Some((id, nonce));
                    }
                }
            }
            Err(e) => next.notice = Some(e.to_string()),
        }
        next
    }

    /// Turns a DOM selection into a normalised code point span (snapped to
    /// words when that mode is on), or the sentence saying why not.
    fn span_of(&self, selection: &SelectionRead) -> Result<(usize, usize), String> {
        match *selection {
            SelectionRead::Range { start_utf16, end_utf16 } => {
                let index = &self.model.doc.index;
                let (Some(a), Some(b)) =
                    (index.utf16_to_cp_floor(start_utf16 as usize), index.utf16_to_cp_ceil(end_utf16 as usize))
                else {
                    return Err("The selection does not match the article text; select it again.".into());
                };
                let (a, b) = if self.snap_words { snap_to_words(index, a.min(b), a.max(b)) } else { (a, b) };
                normalize_selection(index, a, b).map_err(|e| e.to_string())
            }
            SelectionRead::Outside => {
                Err("The selection is outside the article: select text in the article to tag it.".into())
            }
            SelectionRead::Nothing => Err("Nothing is selected: select text in the article first.".into()),
        }
    }

    fn with_history_result(&self, result: Option<(State, String)>, verb: &str) -> Self {
        match result {
            Some((model, description)) => {
                let mut next = self.clone();
                next.model = model;
                next.notice = None;
                next.info = Some(format!("{verb}: {description}"));
                next.announce = format!("{verb}: {description}");
                next.revision += 1;
                next.history_rev += 1;
                next
            }
            None => self.notice(if verb == "Undone" { "Nothing to undo.".into() } else { "Nothing to redo.".into() }),
        }
    }
}

impl Reducible for AppState {
    type Action = AppAction;

    fn reduce(self: Rc<Self>, action: AppAction) -> Rc<Self> {
        let next = match action {
            AppAction::Tag { label, selection, new_id, now } => match selection {
                SelectionRead::Nothing => match self.model.selected.clone() {
                    Some(id) => match self.model.get(&id) {
                        Some(a) if a.label == label => self.notice(format!("This annotation is already a {label}.")),
                        Some(a) => {
                            let what = format!("Retag “{}” as {label}", shorten(&a.quote, 40));
                            self.change(Action::Retag { id, label, now }, &what, what.clone())
                        }
                        None => self.notice("The selected annotation no longer exists.".into()),
                    },
                    None => self.notice(format!(
                        "Nothing to tag as {label}: select text in the article first, or pick an annotation to retag."
                    )),
                },
                sel => match self.span_of(&sel) {
                    Ok((start, end)) => {
                        let quote = self.model.doc.index.slice_cp(start, end).unwrap_or_default();
                        let what = format!("Tag “{}” as {label}", shorten(quote, 40));
                        self.change(Action::Add { id: new_id, start, end, label, now }, &what, format!("Added {label}: {}", shorten(quote, 80)))
                    }
                    Err(why) => self.notice(why),
                },
            },
            AppAction::DeleteSelected => match self.model.selected.clone() {
                Some(id) => self.delete(id),
                None => self.notice("Nothing to delete: select an annotation in the text or the list first.".into()),
            },
            AppAction::Delete(id) => self.delete(id),
            AppAction::Select { id, scroll } => self.select(id, scroll),
            AppAction::Step(dir) => {
                let shown = self.filter.apply(&self.model.annotations);
                if shown.is_empty() {
                    self.notice("There are no annotations to move between.".into())
                } else {
                    let pos = self.model.selected.as_deref().and_then(|s| shown.iter().position(|a| a.id == s));
                    let i = match (pos, dir >= 0) {
                        (None, true) => 0,
                        (None, false) => shown.len() - 1,
                        (Some(p), true) => (p + 1).min(shown.len() - 1),
                        (Some(p), false) => p.saturating_sub(1),
                    };
                    let id = shown[i].id.clone();
                    self.select(Some(id), true)
                }
            }
            AppAction::ClickHighlight(ids) => {
                let Some(innermost) = ids.last() else { return self };
                let target = match self.model.selected.as_deref() {
                    Some(sel) => match ids.iter().position(|i| &**i == sel) {
                        // Already selected: step outwards, wrapping to the innermost.
                        Some(0) => innermost.clone(),
                        Some(p) => ids[p - 1].clone(),
                        None => innermost.clone(),
                    },
                    None => innermost.clone(),
                };
                self.select(Some(target.to_string()), false)
            }
            AppAction::SetNote { id, note, now } => {
                if self.model.get(&id).is_some_and(|a| a.note == note) {
                    return self;
                }
                self.change(Action::SetNote { id, note, now }, "Edit note", "Note saved".into())
            }
            AppAction::EditNote => match self.model.selected.clone() {
                Some(id) => {
                    let mut next = (*self).clone();
                    let nonce = self.edit_note.as_ref().map_or(0, |e| e.1) + 1;
                    next.edit_note = Some((id, nonce));
                    next
                }
                None => self.notice("Select an annotation first to edit its note.".into()),
            },
            AppAction::Import { imported, file_name } => {
                let description = format!("Import {file_name}");
                let summary = format!("Imported {file_name}: {}.", imported.summary());
                let mut next = self.change(Action::Merge(imported.annotations), &description, summary.clone());
                next.pending_labels = None;
                if next.notice.is_none() {
                    if !imported.orphans.is_empty() {
                        let mut orphans = (*self.orphans).clone();
                        for o in imported.orphans {
                            orphans.retain(|x| x.id != o.id);
                            orphans.push(o);
                        }
                        next.orphans = Rc::new(orphans);
                    }
                    let mut text = summary;
                    for w in imported.warnings.iter().take(5) {
                        text.push(' ');
                        text.push_str(w);
                    }
                    next.info = Some(text);
                }
                next
            }
            AppAction::Reattach { orphan_id, selection, now } => {
                let Some(orphan) = self.orphans.iter().find(|o| o.id == orphan_id).cloned() else {
                    return Rc::new(self.notice("That orphan no longer exists.".into()));
                };
                match self.span_of(&selection) {
                    Err(why) => self.notice(format!("To re-attach, first select the text it belongs to. {why}")),
                    Ok((start, end)) => match orphan.reattach(&self.model.doc.index, start, end, &now) {
                        Err(e) => self.notice(e.to_string()),
                        Ok(ann) => {
                            let what = format!("Re-attach “{}”", shorten(&orphan.quote, 40));
                            let mut next = self.change(Action::Merge(vec![ann]), &what, what.clone());
                            if next.notice.is_none() {
                                next.model.selected = Some(orphan_id);
                            }
                            next
                        }
                    },
                }
            }
            AppAction::DeleteOrphan(id) => {
                let mut next = (*self).clone();
                next.orphans = Rc::new(self.orphans.iter().filter(|o| o.id != id).cloned().collect());
                next.revision += 1;
                next.announce = "Orphan deleted".into();
                next
            }
            AppAction::Undo => {
                let r = undo_state(&self.model, &mut self.history.borrow_mut());
                self.with_history_result(r, "Undone")
            }
            AppAction::Redo => {
                let r = redo_state(&self.model, &mut self.history.borrow_mut());
                self.with_history_result(r, "Redone")
            }
            AppAction::ToggleLabel(label) => {
                let mut next = (*self).clone();
                next.filter.toggle(label);
                next
            }
            AppAction::SetQuery(q) => {
                let mut next = (*self).clone();
                next.filter.query = q;
                next
            }
            AppAction::SetSnap(on) => {
                let mut next = (*self).clone();
                next.snap_words = on;
                next
            }
            AppAction::Help(open) => {
                let mut next = (*self).clone();
                next.help_open = open;
                next
            }
            AppAction::Paste(open) => {
                let mut next = (*self).clone();
                next.paste_open = open;
                next
            }
            AppAction::OpenDoc(opened) => {
                let mut next = (*self).clone();
                let o = *opened;
                next.model = o.model;
                next.history = Rc::new(RefCell::new(o.history));
                next.history_rev += 1;
                next.orphans = Rc::new(o.orphans);
                next.record = Rc::new(RefCell::new(o.record));
                next.journal = Rc::new(RefCell::new(o.journal));
                next.rewrite_whole = Rc::new(std::cell::Cell::new(o.rewrite_whole));
                next.notice = o.notice;
                next.info = o.info;
                next.announce = format!("Opened {}", next.model.doc.title);
                next.scroll_to = None;
                next.edit_note = None;
                next.paste_open = false;
                next
            }
            AppAction::SetLibrary(lib) => {
                let mut next = (*self).clone();
                next.library = lib;
                next
            }
            AppAction::External(annotations) => {
                let mut next = (*self).clone();
                let selected = self.model.selected.clone().filter(|id| annotations.iter().any(|a| &a.id == id));
                next.model = State { selected, ..State::with_annotations(self.model.doc.clone(), annotations) };
                next.info = Some("Updated with changes made in another tab.".into());
                next.announce = "Updated with changes made in another tab".into();
                next
            }
            AppAction::ExternalRecord(theirs) => {
                let now = crate::browser::now_iso();
                let local = self.record.borrow().after_edit(&self.model.annotations, &now);
                let merged = annotator_core::merge::merge(&local, &theirs);
                let known = annotator_core::merge::merge(&self.record.borrow(), &theirs);
                *self.record.borrow_mut() = known;
                let mut next = (*self).clone();
                let changed_here = !same_content(&merged.annotations, &self.model.annotations);
                if changed_here {
                    let selected = self.model.selected.clone().filter(|id| merged.annotations.iter().any(|a| &a.id == id));
                    next.model = State { selected, ..State::with_annotations(self.model.doc.clone(), merged.annotations.clone()) };
                    next.info = Some("Updated with changes made in another tab.".into());
                    next.announce = "Updated with changes made in another tab".into();
                }
                // This tab holds something the other copy lacks: save the merge.
                if !same_content(&merged.annotations, &theirs.annotations) || merged.deleted != theirs.deleted {
                    next.revision += 1;
                }
                next
            }
            AppAction::Deleted(removed) => {
                let mut next = (*self).clone();
                next.info = Some(format!("Deleted the document “{}”.", removed.meta.title));
                next.announce = next.info.clone().unwrap_or_default();
                next.last_deleted = Some(removed);
                next.deleted_at_revision = self.revision;
                next.notice = None;
                next
            }
            AppAction::ForgetDeleted => {
                let mut next = (*self).clone();
                next.last_deleted = None;
                next
            }
            AppAction::PendingLabels(p) => {
                let mut next = (*self).clone();
                next.pending_labels = p;
                next.notice = None;
                next
            }
            AppAction::AddBackups(keys) => {
                let mut next = (*self).clone();
                let mut all = (*self.backups).clone();
                all.extend(keys);
                next.backups = Rc::new(all);
                next
            }
            AppAction::Notice(text) => self.notice(text),
            AppAction::Info(text) => {
                let mut next = (*self).clone();
                next.info = Some(text);
                next.notice = None;
                next
            }
        };
        Rc::new(next)
    }
}

impl AppState {
    fn delete(&self, id: String) -> Self {
        match self.model.get(&id) {
            Some(a) => {
                let what = format!("Delete {} “{}”", a.label, shorten(&a.quote, 40));
                self.change(Action::Delete { id }, &what, format!("Deleted {}", describe(a)))
            }
            None => self.notice(format!("No annotation with id {id}.")),
        }
    }
}

/// A one-line description of an annotation for lists and announcements.
pub fn describe(a: &Annotation) -> String {
    format!("{}: “{}”", a.label, shorten(&a.quote, 80))
}

/// Whether two annotation lists hold the same annotations, ignoring `modified`.
pub fn same_content(a: &[Annotation], b: &[Annotation]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.id == y.id && x.same_content(y))
}
