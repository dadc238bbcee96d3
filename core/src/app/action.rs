//! What the UI and the effects ask the reducer to do.

use super::compare::OthersRead;
use super::selection::SelectionRead;
use crate::agreement::DiffKind;
use crate::anchor::Orphan;
use crate::formats::{Imported, UnknownLabelPolicy};
use crate::history::History;
use crate::model::details::DocDetails;
use crate::model::filter::VerdictFilter;
use crate::model::links::LinkKind;
use crate::store::error::{SaveWarning, StoreError};
use crate::store::library::{Library, Removed};
use crate::store::merge::DocRecord;
use crate::sync::session::view::TeamView;
use crate::{model::Annotation, model::Label, model::State};
use std::rc::Rc;

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
    /// Select the next (`+1`) or previous (`-1`) shown annotation in text
    /// order (while linking: move the link's candidate instead).
    Step(i32),
    /// Clicked a highlight covered by `ids` (outermost first): selects the
    /// innermost, or the next one out if that is already selected. While
    /// linking: links to the innermost other than the link's source.
    ClickHighlight(Vec<Rc<str>>),
    /// Replace an annotation's note.
    SetNote {
        id: String,
        note: String,
        now: String,
    },
    /// Replace an annotation's speaker and verdict (one undo step).
    SetAttributes {
        id: String,
        speaker: String,
        verdict: String,
        now: String,
    },
    /// Focus the note editor of the selected annotation.
    EditNote,
    /// Annotation files were read and parsed for the document `doc_id`
    /// ([`first_pass`](crate::app::import::first_pass), labels we do not have
    /// left out) in a task of their own (the module of rare parts): import
    /// them, or hold them back while labels or relation types we do not have
    /// need a decision.
    FilesParsed {
        files: Vec<(String, Vec<u8>)>,
        doc_id: String,
        parsed: Result<Imported, String>,
    },
    /// The decision about unknown labels (map or skip) and the held files
    /// imported under it ([`import_files`](crate::app::import::import_files)
    /// with `policy`, run by the app like the first pass).
    ResolveLabels {
        policy: UnknownLabelPolicy,
        imported: Result<Imported, String>,
    },
    /// The decision about brat relation types we do not have, and the held
    /// files imported under it (each type's link kind, or left out).
    ResolveRelations {
        imported: Result<Imported, String>,
    },
    /// "Cancel import" at either question.
    CancelImport,
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
    /// The "Verdict filter" choice.
    SetVerdictFilter(VerdictFilter),
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
    /// The save of the state at `revision` finished: `Ok` once the change is
    /// in the crash-safe copy (with what was left undone, if anything), `Err`
    /// with the reason it failed.
    SaveResult {
        revision: u64,
        result: Result<Option<SaveWarning>, StoreError>,
    },
    /// A write of this tab's stored work failed outside a save (rewriting
    /// its journal after another tab removed it).
    SaveFailed(StoreError),
    /// Show an error.
    Notice(String),
    /// Show a success message.
    Info(String),
    /// `l` or "Link…": start a link from the selected annotation.
    StartLink {
        now: String,
    },
    /// "Relation": the kind of the link being made.
    SetLinkKind(LinkKind),
    /// Enter while linking: link to the candidate `j`/`k` moved to.
    FinishLink {
        now: String,
    },
    /// Escape or "Cancel link".
    CancelLink,
    /// "Remove link": remove the link from `from` to `to` (one undo step).
    Unlink {
        from: String,
        to: String,
        now: String,
    },
    /// Shift+1/2/3 or "Tag all occurrences": tag the selected text and every
    /// other occurrence of it (whole words when snapping) that does not carry
    /// `label` yet, in one undo step. New ids are `{id_prefix}-{n}`.
    TagAll {
        label: Label,
        selection: SelectionRead,
        id_prefix: String,
        now: String,
    },
    /// Team sync: the team's versions of annotations of document `doc`
    /// (`None`: deleted), shown if `doc` is open (the rules are in the private `team_apply` module).
    TeamChanges {
        doc: String,
        changes: Vec<(String, Option<Annotation>)>,
    },
    /// The "Team sync" panel's state.
    Team(Rc<TeamView>),
    /// "Compare with…": other people's files of this text, read
    /// ([`read_others`](crate::app::compare::read_others), run by the app in
    /// the module of rare parts).
    CompareFiles(OthersRead),
    /// Show the differences against the `n`th compared file.
    CompareAgainst(usize),
    /// Select the `n`th remaining difference (a click in "Differences").
    SelectDifference(usize),
    /// "Accept theirs" on the `n`th remaining difference (one undo step).
    AcceptTheirs {
        index: usize,
        new_id: String,
        now: String,
    },
    /// "Keep mine" on the `n`th remaining difference.
    KeepMine(usize),
    /// "Accept all theirs" for one kind of difference (one undo step).
    AcceptAllTheirs {
        kind: DiffKind,
        id_prefix: String,
        now: String,
    },
    /// "Close comparison" (or Escape while comparing).
    CloseComparison,
    /// The details of document `doc_id` were stored (the library holds
    /// them): `before` is what they were; `undone` when this was Undo.
    DetailsSaved {
        doc_id: String,
        before: DocDetails,
        undone: bool,
    },
}

/// Everything needed to show another document ([`AppAction::OpenDoc`]).
#[derive(Clone, Debug)]
pub struct Opened {
    pub model: State,
    pub history: History,
    pub orphans: Vec<Orphan>,
    pub notice: Option<String>,
    pub info: Option<String>,
}
