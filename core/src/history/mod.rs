//! Undo and redo for one document's annotations.
//!
//! A [`History`] is two stacks of [`Entry`]s. An entry is one step a person
//! can undo (an add, a retag, a note edit, a delete, a whole import, ...) and
//! holds the [`Change`]s it made, each the annotation *before* and *after*
//! the step (`None` where it did not exist). Entries are computed with
//! [`diff`] and replayed with [`apply_changes`], so the history never needs to
//! know which [`Action`](crate::model::Action) produced a change: an import of 1 000 annotations is
//! one entry, and one undo restores the state before it.
//!
//! The history is bounded ([`DEFAULT_LIMIT`] steps; the oldest is dropped)
//! and serialises to versioned JSON so the app can keep it across reloads:
//!
//! ```json
//! { "version": 1,
//!   "undo": [ { "description": "Tag “Kabul” as Claim",
//!               "changes": [ { "before": null, "after": { "id": "…", "start": 0, … } } ] } ],
//!   "redo": [] }
//! ```
//! Both arrays are oldest first: the last element of `undo` is undone first,
//! the last element of `redo` is redone first.

mod change;
mod changes;
mod recorded;
mod stack;
mod wire;

pub use change::Change;
pub use changes::{apply_changes, diff};
pub use recorded::{apply_recorded, apply_recorded_change, redo_state, undo_state};
pub use stack::{Entry, History, DEFAULT_LIMIT, JSON_VERSION, MAX_JSON_BYTES};
