//! The app's state and its pure reducer: the model's [`State`] plus undo
//! history, orphans, filters, the document list and the messages shown to
//! the person. Refusals from the model become a notice; nothing else changes.
//!
//! Everything impure comes in as data: the time (`now`, RFC 3339), new
//! annotation ids, the text selection ([`SelectionRead`]), the files read,
//! and what another tab stored. The reducer never touches storage or the
//! DOM; the app's effects do, and report back with actions.

use super::import::{import_files, unknown_labels_message};
use super::selection::SelectionRead;
use crate::anchor::Orphan;
use crate::filter::Filter;
use crate::formats::{Imported, UnknownLabelPolicy};
use crate::history::{apply_recorded_change, redo_state, undo_state, Change, History};
use crate::library::{Library, Removed};
use crate::merge::{self, DocRecord};
use crate::model::{normalize_selection, shorten};
use crate::words::snap_to_words;
use crate::{Action, Annotation, Label, State};
use std::rc::Rc;

/// Where the last save of this tab's work stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum SaveStatus {
    /// Nothing changed since the document was opened.
    #[default]
    Loaded,
    /// The last change was written.
    Saved,
    /// The last write failed with this reason: the work exists only in this tab.
    Failed(String),
}

/// The app state.
#[derive(Clone, Debug)]
pub struct AppState {
    pub model: State,
    /// Undo/redo history of this document (entries shared, so cloning is cheap).
    pub history: Rc<History>,
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
    /// Increases on every change that must be saved (drives autosave).
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
    /// The changes of the latest edit, with the list they were made to
    /// (compared by pointer): lets the view update only what they touched.
    pub last_change: Option<Rc<LastChange>>,
    /// An import held back until the person chooses what to do with labels we do not have.
    pub pending_labels: Option<PendingImport>,
    /// Where saving stands.
    pub save: SaveStatus,
}

/// One edit's changes and the annotation list they apply to.
#[derive(Debug)]
pub struct LastChange {
    pub before: Rc<Vec<Annotation>>,
    pub after: Rc<Vec<Annotation>>,
    pub changes: Vec<Change>,
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
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        self.model == other.model
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
            && self.save == other.save
    }
}

/// What the UI and the effects ask the reducer to do.
#[derive(Clone, Debug)]
pub enum AppAction {
    /// `1`/`2`/`3` or a label button: tag the text selection, or retag the
    /// selected annotation when no text is selected.
    Tag {
        label: Label,
        selection: SelectionRead,
        new_id: String,
        now: String,
    },
    /// Delete the selected annotation.
    DeleteSelected,
    /// Delete a given annotation.
    Delete(String),
    /// Select an annotation (from the list: also scrolls it into view).
    Select {
        id: Option<String>,
        scroll: bool,
    },
    /// Select the next (`+1`) or previous (`-1`) shown annotation in text order.
    Step(i32),
    /// Clicked a highlight covered by `ids` (outermost first): selects the
    /// innermost, or the next one out if that is already selected.
    ClickHighlight(Vec<Rc<str>>),
    /// Replace an annotation's note.
    SetNote {
        id: String,
        note: String,
        now: String,
    },
    /// Focus the note editor of the selected annotation.
    EditNote,
    /// Annotation files were read (`names` joined for messages): import them,
    /// or hold them back while labels we do not have need a decision.
    FilesRead {
        files: Vec<(String, Vec<u8>)>,
        now: String,
    },
    /// The decision about unknown labels: map or skip (`Some`) or cancel (`None`).
    ResolveLabels {
        policy: Option<UnknownLabelPolicy>,
        now: String,
    },
    /// Merge an anchored import (one undo step); orphans join the orphan list.
    Import {
        imported: Imported,
        file_name: String,
    },
    /// Attach an orphan to the current text selection.
    Reattach {
        orphan_id: String,
        selection: SelectionRead,
        now: String,
    },
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
    /// The stored annotations won over this tab's (a newer version or a
    /// deletion from another tab): show them (not an undo step).
    External(Vec<Annotation>),
    /// Another tab stored changes to this document. `base` is what this tab
    /// knew stored before (its unsaved edits are the difference between it
    /// and the shown annotations), `merged` what is stored now (`base` merged
    /// with the other tab's write). Shows `merged` with this tab's unsaved
    /// edits merged in by the same rule as storage (by id, the later
    /// `modified` wins, deletions remembered), in order with them: an edit
    /// not yet saved is kept unless the other tab changed the same
    /// annotation later.
    ExternalRecord {
        base: Rc<DocRecord>,
        merged: Rc<DocRecord>,
        now: String,
    },
    /// A document was deleted (its removal can be undone until the next deletion).
    Deleted(Removed),
    /// The deletion can no longer be undone.
    ForgetDeleted,
    /// Unreadable data was kept under these backup keys.
    AddBackups(Vec<String>),
    /// A save finished: `Err` holds the reason it failed.
    SaveResult(Result<(), String>),
    /// Show an error.
    Notice(String),
    /// Show a success message.
    Info(String),
}

/// What Undo (the button or Ctrl+Z) does now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UndoTarget {
    /// Bring back this deleted document (its deletion is the latest change).
    Deletion(Removed),
    /// Undo the latest step of the document's history.
    History,
}

impl AppState {
    /// The initial state of a document, with its history, orphans and an
    /// optional startup notice.
    pub fn new(model: State, history: History, orphans: Vec<Orphan>, notice: Option<String>, library: Library) -> Self {
        AppState {
            model,
            history: Rc::new(history),
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
            last_change: None,
            pending_labels: None,
            save: SaveStatus::Loaded,
        }
    }

    /// The document deletion that Undo would undo now, if the deletion is the
    /// latest change.
    pub fn undoable_deletion(&self) -> Option<&Removed> {
        self.last_deleted.as_ref().filter(|_| self.revision == self.deleted_at_revision)
    }

    /// What Undo does now: bring back a deleted document while its deletion
    /// is the latest change, else undo the history's latest step.
    pub fn undo_target(&self) -> UndoTarget {
        match self.undoable_deletion() {
            Some(r) => UndoTarget::Deletion(r.clone()),
            None => UndoTarget::History,
        }
    }

    /// Whether Undo can do anything.
    pub fn can_undo(&self) -> bool {
        self.history.can_undo() || self.undoable_deletion().is_some()
    }

    /// The Undo button's tooltip.
    pub fn undo_title(&self) -> String {
        match self.undoable_deletion() {
            Some(r) => format!("Undo: delete the document “{}” (Ctrl+Z)", r.meta.title),
            None => self.history.undo_description().map_or("Nothing to undo".to_string(), |d| format!("Undo: {d} (Ctrl+Z)")),
        }
    }

    /// The Redo button's tooltip.
    pub fn redo_title(&self) -> String {
        self.history.redo_description().map_or("Nothing to redo".to_string(), |d| format!("Redo: {d} (Ctrl+Shift+Z)"))
    }

    /// Whether the person may switch to another document now: not while the
    /// last change could not be saved (it exists only in this tab).
    pub fn may_switch_document(&self) -> Result<(), String> {
        match self.save {
            SaveStatus::Failed(_) => Err("Your last change to this document is not saved yet. Use “Download a copy” (or free some storage and make any edit) before switching documents.".into()),
            _ => Ok(()),
        }
    }

    /// Orphans still waiting to be re-attached or deleted.
    pub fn open_orphans(&self) -> Vec<&Orphan> {
        self.orphans.iter().filter(|o| self.model.get(&o.id).is_none()).collect()
    }

    /// The next state after `action`; `None` when nothing changes.
    pub fn reduce(&self, action: AppAction) -> Option<AppState> {
        Some(match action {
            AppAction::Tag { label, selection, new_id, now } => self.tag(label, selection, new_id, now),
            AppAction::DeleteSelected => match self.model.selected.clone() {
                Some(id) => self.delete(id),
                None => self.notice("Nothing to delete: select an annotation in the text or the list first.".into()),
            },
            AppAction::Delete(id) => self.delete(id),
            AppAction::Select { id, scroll } => self.select(id, scroll),
            AppAction::Step(dir) => self.step(dir),
            AppAction::ClickHighlight(ids) => {
                let innermost = ids.last()?;
                let target = match self.model.selected.as_deref().and_then(|sel| ids.iter().position(|i| &**i == sel)) {
                    // Already selected: step outwards, wrapping to the innermost.
                    Some(0) | None => innermost.clone(),
                    Some(p) => ids[p - 1].clone(),
                };
                self.select(Some(target.to_string()), false)
            }
            AppAction::SetNote { id, note, now } => {
                if self.model.get(&id).is_some_and(|a| a.note == note) {
                    return None;
                }
                self.change(Action::SetNote { id, note, now }, "Edit note", "Note saved".into())
            }
            AppAction::EditNote => match self.model.selected.clone() {
                Some(id) => {
                    let mut next = self.clone();
                    let nonce = self.edit_note.as_ref().map_or(0, |e| e.1) + 1;
                    next.edit_note = Some((id, nonce));
                    next
                }
                None => self.notice("Select an annotation first to edit its note.".into()),
            },
            AppAction::FilesRead { files, now } => self.files_read(files, now),
            AppAction::ResolveLabels { policy, now } => self.resolve_labels(policy, now)?,
            AppAction::Import { imported, file_name } => self.import(imported, &file_name),
            AppAction::Reattach { orphan_id, selection, now } => self.reattach(orphan_id, selection, now),
            AppAction::DeleteOrphan(id) => {
                if !self.orphans.iter().any(|o| o.id == id) {
                    return None;
                }
                let mut next = self.clone();
                next.orphans = Rc::new(self.orphans.iter().filter(|o| o.id != id).cloned().collect());
                next.revision += 1;
                next.announce = "Orphan deleted".into();
                next
            }
            AppAction::Undo => {
                let mut history = (*self.history).clone();
                let r = undo_state(&self.model, &mut history);
                self.with_history_result(r, history, "Undone")
            }
            AppAction::Redo => {
                let mut history = (*self.history).clone();
                let r = redo_state(&self.model, &mut history);
                self.with_history_result(r, history, "Redone")
            }
            AppAction::ToggleLabel(label) => {
                let mut next = self.clone();
                next.filter.toggle(label);
                next
            }
            AppAction::SetQuery(q) => {
                let mut next = self.clone();
                next.filter.query = q;
                next
            }
            AppAction::SetSnap(on) => {
                let mut next = self.clone();
                next.snap_words = on;
                next
            }
            AppAction::Help(open) => {
                let mut next = self.clone();
                next.help_open = open;
                next
            }
            AppAction::Paste(open) => {
                let mut next = self.clone();
                next.paste_open = open;
                next
            }
            AppAction::OpenDoc(opened) => {
                let mut next = self.clone();
                let o = *opened;
                next.model = o.model;
                next.history = Rc::new(o.history);
                next.orphans = Rc::new(o.orphans);
                next.notice = o.notice;
                next.info = o.info;
                next.announce = format!("Opened {}", next.model.doc.title);
                next.scroll_to = None;
                next.edit_note = None;
                next.paste_open = false;
                next.pending_labels = None;
                next.last_change = None;
                next.save = SaveStatus::Loaded;
                next
            }
            AppAction::SetLibrary(lib) => {
                let mut next = self.clone();
                next.library = lib;
                next
            }
            AppAction::External(annotations) => {
                let mut next = self.clone();
                next.model = self.model_with(annotations);
                next.last_change = None;
                next.info = Some("Updated with changes made in another tab.".into());
                next.announce = "Updated with changes made in another tab".into();
                next
            }
            AppAction::ExternalRecord { base, merged, now } => self.external_record(&base, &merged, &now)?,
            AppAction::Deleted(removed) => {
                let mut next = self.clone();
                next.info = Some(format!("Deleted the document “{}”.", removed.meta.title));
                next.announce = next.info.clone().unwrap_or_default();
                next.last_deleted = Some(removed);
                next.deleted_at_revision = self.revision;
                next.notice = None;
                next
            }
            AppAction::ForgetDeleted => {
                let mut next = self.clone();
                next.last_deleted = None;
                next
            }
            AppAction::AddBackups(keys) => {
                let mut next = self.clone();
                let mut all = (*self.backups).clone();
                all.extend(keys);
                next.backups = Rc::new(all);
                next
            }
            AppAction::SaveResult(result) => {
                let status = match result {
                    Ok(()) => SaveStatus::Saved,
                    Err(e) => SaveStatus::Failed(e),
                };
                if status == self.save {
                    return None;
                }
                let mut next = self.clone();
                next.save = status;
                next
            }
            AppAction::Notice(text) => self.notice(text),
            AppAction::Info(text) => {
                let mut next = self.clone();
                next.info = Some(text);
                next.notice = None;
                next
            }
        })
    }

    /// Applies a model action, recording it in the history under `description`.
    fn change(&self, action: Action, description: &str, announce: String) -> Self {
        let mut history = (*self.history).clone();
        let result = apply_recorded_change(&self.model, &mut history, action, description);
        let mut next = self.clone();
        match result {
            // (A one-annotation change is always a change; a merge is compared.)
            Ok((model, change))
                if Rc::ptr_eq(&model.annotations, &self.model.annotations)
                    || (change.is_none() && model.annotations == self.model.annotations) =>
            {
                // Accepted but nothing changed (an import of what is there): nothing to save.
                next.model = model;
                next.notice = None;
                next.info = None;
                next.announce = announce;
            }
            Ok((model, change)) => {
                // A one-annotation action's change, for the view (imports: none, it compares).
                next.last_change = change.map(|c| {
                    Rc::new(LastChange { before: self.model.annotations.clone(), after: model.annotations.clone(), changes: vec![c] })
                });
                next.model = model;
                next.history = Rc::new(history);
                next.notice = None;
                next.info = None;
                next.announce = announce;
                next.revision += 1;
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

    /// The model showing `annotations`, keeping the selection if it still exists.
    fn model_with(&self, annotations: Vec<Annotation>) -> State {
        let selected = self.model.selected.clone().filter(|id| annotations.iter().any(|a| &a.id == id));
        State { selected, ..State::with_annotations(self.model.doc.clone(), annotations) }
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
                if let (true, Some(id)) = (scroll, id) {
                    let nonce = self.scroll_to.as_ref().map_or(0, |s| s.1) + 1;
                    next.scroll_to = Some((id, nonce));
                }
            }
            Err(e) => next.notice = Some(e.to_string()),
        }
        next
    }

    fn step(&self, dir: i32) -> Self {
        let shown = self.filter.apply(&self.model.annotations);
        if shown.is_empty() {
            return self.notice("There are no annotations to move between.".into());
        }
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

    fn tag(&self, label: Label, selection: SelectionRead, new_id: String, now: String) -> Self {
        if selection == SelectionRead::Nothing {
            return match self.model.selected.clone() {
                Some(id) => match self.model.get(&id) {
                    Some(a) if a.label == label => self.notice(format!("This annotation is already a {label}.")),
                    Some(a) => {
                        let what = format!("Retag “{}” as {label}", shorten(&a.quote, 40));
                        self.change(Action::Retag { id, label, now }, &what, what.clone())
                    }
                    None => self.notice("The selected annotation no longer exists.".into()),
                },
                None => {
                    self.notice(format!("Nothing to tag as {label}: select text in the article first, or pick an annotation to retag."))
                }
            };
        }
        match self.span_of(&selection) {
            Ok((start, end)) => {
                let quote = self.model.doc.index.slice_cp(start, end).unwrap_or_default();
                let what = format!("Tag “{}” as {label}", shorten(quote, 40));
                self.change(Action::Add { id: new_id, start, end, label, now }, &what, format!("Added {label}: {}", shorten(quote, 80)))
            }
            Err(why) => self.notice(why),
        }
    }

    /// Turns a DOM selection into a normalised code point span (snapped to
    /// words when that mode is on), or the sentence saying why not.
    fn span_of(&self, selection: &SelectionRead) -> Result<(usize, usize), String> {
        match *selection {
            SelectionRead::Range { start_utf16, end_utf16 } => {
                let index = &self.model.doc.index;
                let (Some(a), Some(b)) = (index.utf16_to_cp_floor(start_utf16 as usize), index.utf16_to_cp_ceil(end_utf16 as usize)) else {
                    return Err("The selection does not match the article text; select it again.".into());
                };
                let (a, b) = if self.snap_words { snap_to_words(index, a.min(b), a.max(b)) } else { (a, b) };
                normalize_selection(index, a, b).map_err(|e| e.to_string())
            }
            SelectionRead::Outside => Err("The selection is outside the article: select text in the article to tag it.".into()),
            SelectionRead::Nothing => Err("Nothing is selected: select text in the article first.".into()),
        }
    }

    fn files_read(&self, files: Vec<(String, Vec<u8>)>, now: String) -> Self {
        let names = files.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(" + ");
        // First pass: leave out labels we do not have, to learn whether there are any.
        match import_files(&files, &self.model.doc, &now, UnknownLabelPolicy::Skip) {
            Err(e) => self.notice(format!("Could not import {e} Nothing was changed.")),
            Ok(imported) if imported.unknown_labels.is_empty() => self.import(imported, &names),
            Ok(imported) => {
                let message = unknown_labels_message(&names, &imported);
                let mut next = self.clone();
                next.pending_labels = Some(PendingImport { files: Rc::new(files), names, message });
                next.notice = None;
                next
            }
        }
    }

    fn resolve_labels(&self, policy: Option<UnknownLabelPolicy>, now: String) -> Option<Self> {
        let pending = self.pending_labels.as_ref()?;
        let mut next = match policy {
            None => {
                let mut next = self.clone();
                next.info = Some("Import cancelled; nothing was changed.".into());
                next.notice = None;
                next
            }
            Some(policy) => match import_files(&pending.files, &self.model.doc, &now, policy) {
                Ok(imported) => self.import(imported, &pending.names),
                Err(e) => self.notice(format!("Could not import {e} Nothing was changed.")),
            },
        };
        next.pending_labels = None;
        Some(next)
    }

    fn import(&self, imported: Imported, file_name: &str) -> Self {
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
                if next.revision == self.revision {
                    next.revision += 1; // only orphans: they must be saved too
                }
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

    fn reattach(&self, orphan_id: String, selection: SelectionRead, now: String) -> Self {
        let Some(orphan) = self.orphans.iter().find(|o| o.id == orphan_id).cloned() else {
            return self.notice("That orphan no longer exists.".into());
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

    fn with_history_result(&self, result: Option<(State, String)>, history: History, verb: &str) -> Self {
        match result {
            Some((model, description)) => {
                let mut next = self.clone();
                next.model = model;
                next.history = Rc::new(history);
                next.last_change = None;
                next.notice = None;
                next.info = Some(format!("{verb}: {description}"));
                next.announce = format!("{verb}: {description}");
                next.revision += 1;
                next
            }
            None => {
                // A stale history was cleared: keep that.
                let mut next = self.notice(if verb == "Undone" { "Nothing to undo.".into() } else { "Nothing to redo.".into() });
                next.history = Rc::new(history);
                next
            }
        }
    }

    fn external_record(&self, base: &DocRecord, merged: &DocRecord, now: &str) -> Option<Self> {
        // This tab's unsaved edits on top of what is stored now.
        let local = base.after_edit(&self.model.annotations, now);
        let shown = merge::merge(&local, merged);
        let changed_here = !same_content(&shown.annotations, &self.model.annotations);
        // This tab holds something not stored yet: save it.
        let unsaved = !same_content(&shown.annotations, &merged.annotations) || shown.deleted != merged.deleted;
        if !changed_here && !unsaved {
            return None;
        }
        let mut next = self.clone();
        if changed_here {
            next.model = self.model_with(shown.annotations);
            next.last_change = None;
            next.info = Some("Updated with changes made in another tab.".into());
            next.announce = "Updated with changes made in another tab".into();
        }
        if unsaved {
            next.revision += 1;
        }
        Some(next)
    }

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
