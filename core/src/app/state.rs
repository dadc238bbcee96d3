//! The app's state: the model's [`State`] plus undo history, orphans,
//! filters, the document list and the messages shown to the person, and
//! what follows from it (what Undo does now, whether another document may
//! be opened). The reducer that changes it is in `reduce.rs`.

use super::compare::Comparing;
use super::linking::Linking;
use crate::anchor::Orphan;
use crate::formats::{UnknownLabelPolicy, UnknownRelation};
use crate::history::{Change, History};
use crate::model::details::DocDetails;
use crate::model::filter::Filter;
use crate::store::error::StoreError;
use crate::store::library::{Library, Removed};
use crate::sync::session::view::TeamView;
use crate::{model::Annotation, model::State};
use std::rc::Rc;

/// Where the last save of this tab's work stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum SaveStatus {
    /// Nothing changed since the document was opened.
    #[default]
    Loaded,
    /// A change is being written: it is not yet in the crash-safe copy.
    Saving,
    /// The last change is stored, in the crash-safe copy too (it survives
    /// the browser being killed or the power failing).
    Saved,
    /// The last write failed for this reason. With [`StoreError::Durable`]
    /// the change is in local storage but not yet safe from a crash;
    /// otherwise the work exists only in this tab.
    Failed(StoreError),
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
    /// A link being made (`l`), if any.
    pub linking: Option<Linking>,
    /// Other people's files being compared with mine ("Compare with…").
    pub comparing: Option<Rc<Comparing>>,
    /// The last change of a document's details, while it can be undone.
    pub details_undo: Option<DetailsUndo>,
    /// Counts document deletions and details changes: of the two, Undo takes the later.
    pub library_step: u64,
    /// `library_step` of the last document deletion.
    pub deleted_step: u64,
    /// The "Team sync" panel.
    pub team: Rc<TeamView>,
}

/// A change of document details that Undo can take back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DetailsUndo {
    pub doc_id: String,
    /// The details before the change (what Undo restores).
    pub before: DocDetails,
    /// `revision` when it was made: undoable while no annotation changed since.
    pub at_revision: u64,
    /// `library_step` when it was made.
    pub step: u64,
}

/// One edit's changes and the annotation list they apply to.
#[derive(Debug)]
pub struct LastChange {
    pub before: Rc<Vec<Rc<Annotation>>>,
    pub after: Rc<Vec<Rc<Annotation>>>,
    pub changes: Vec<Change>,
}

/// An import waiting for the person to say what to do with unknown labels.
#[derive(Clone, Debug)]
pub struct PendingImport {
    pub files: Rc<Vec<(String, Vec<u8>)>>,
    pub names: String,
    pub message: String,
    /// The label choice already made (the relation types are asked next).
    pub label_policy: UnknownLabelPolicy,
    /// brat relation types to ask about (empty: the labels are asked about).
    pub relations: Vec<UnknownRelation>,
}

impl PartialEq for PendingImport {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.files, &other.files) && self.message == other.message
    }
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
            && self.linking == other.linking
            && self.comparing == other.comparing
            && self.details_undo == other.details_undo
            && self.library_step == other.library_step
    }
}

/// What Undo (the button or Ctrl+Z) does now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UndoTarget {
    /// Bring back this deleted document (its deletion is the latest change).
    Deletion(Removed),
    /// Restore the details the open document had before their last change.
    Details(DetailsUndo),
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
            linking: None,
            comparing: None,
            details_undo: None,
            library_step: 0,
            team: Rc::new(TeamView::default()),
            deleted_step: 0,
        }
    }

    /// The document deletion that Undo would undo now, if the deletion is the
    /// latest change.
    pub fn undoable_deletion(&self) -> Option<&Removed> {
        self.last_deleted.as_ref().filter(|_| self.revision == self.deleted_at_revision)
    }

    /// The change of the open document's details that Undo would take back
    /// now, if it is the latest change.
    pub fn undoable_details(&self) -> Option<&DetailsUndo> {
        self.details_undo.as_ref().filter(|d| self.revision == d.at_revision && d.doc_id == self.model.doc.id)
    }

    /// What Undo does now: bring back a deleted document or the details a
    /// document had, while that is the latest change (the later of the two),
    /// else undo the history's latest step.
    pub fn undo_target(&self) -> UndoTarget {
        match (self.undoable_deletion(), self.undoable_details()) {
            (Some(r), Some(d)) if self.deleted_step > d.step => UndoTarget::Deletion(r.clone()),
            (Some(r), None) => UndoTarget::Deletion(r.clone()),
            (_, Some(d)) => UndoTarget::Details(d.clone()),
            (None, None) => UndoTarget::History,
        }
    }

    /// Whether Undo can do anything.
    pub fn can_undo(&self) -> bool {
        self.history.can_undo() || self.undo_target() != UndoTarget::History
    }

    /// The Undo button's tooltip.
    pub fn undo_title(&self) -> String {
        match self.undo_target() {
            UndoTarget::Deletion(r) => format!("Undo: delete the document “{}” (Ctrl+Z)", r.meta.title),
            UndoTarget::Details(_) => "Undo: edit the document details (Ctrl+Z)".to_string(),
            UndoTarget::History => self.history.undo_description().map_or("Nothing to undo".to_string(), |d| format!("Undo: {d} (Ctrl+Z)")),
        }
    }

    /// The Redo button's tooltip.
    pub fn redo_title(&self) -> String {
        self.history.redo_description().map_or("Nothing to redo".to_string(), |d| format!("Redo: {d} (Ctrl+Shift+Z)"))
    }

    /// Whether the person may switch to another document now: not while the
    /// last change could not be saved (it exists only in this tab), unless
    /// only its crash-safe copy failed (local storage holds it).
    pub fn may_switch_document(&self) -> Result<(), String> {
        match &self.save {
            // Local storage holds it; the copy is written again with the next save.
            SaveStatus::Failed(StoreError::Durable { .. }) => Ok(()),
            SaveStatus::Failed(_) => Err("Your last change to this document is not saved yet. Use “Download a copy” (or free some storage and make any edit) before switching documents.".into()),
            _ => Ok(()),
        }
    }

    /// Orphans still waiting to be re-attached or deleted.
    pub fn open_orphans(&self) -> Vec<&Orphan> {
        self.orphans.iter().filter(|o| self.model.get(&o.id).is_none()).collect()
    }
}
