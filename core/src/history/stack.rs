//! The undo and redo stacks: [`Entry`]s of [`Change`]s, bounded, and the constants of their
//! stored form (written and read in the sibling `wire`).

use super::change::Change;
use super::changes::{apply_changes, diff};
use crate::model::Annotation;
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

/// Default number of undo steps kept per document.
pub const DEFAULT_LIMIT: usize = 500;
/// The `version` field of the JSON form; the only one this build reads and writes.
pub const JSON_VERSION: u64 = 1;
/// Largest JSON text [`History::from_json`] accepts, in bytes (32 MB).
pub const MAX_JSON_BYTES: usize = 32 * 1024 * 1024;

/// One undoable step: a description shown to people (e.g. on the Undo
/// button's tooltip and in the `aria-live` announcement) and its changes,
/// at most one per annotation id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub description: String,
    pub changes: Vec<Change>,
}

impl Entry {
    /// An entry from a description and changes (typically from [`diff`]).
    pub fn new(description: impl Into<String>, changes: Vec<Change>) -> Self {
        Entry { description: description.into(), changes }
    }

    /// Whether `current` is exactly the state this entry expects before it is
    /// replayed: forward (redo), every `before` is present and equal (or
    /// absent when `None`); backward (undo), the same for every `after`.
    /// O(n + k) for n annotations and k changes.
    pub fn applies_to<A: Borrow<Annotation>>(&self, current: &[A], forward: bool) -> bool {
        let by_id: HashMap<&str, &Annotation> = current.iter().map(|a| a.borrow()).map(|a| (a.id.as_str(), a)).collect();
        self.changes.iter().all(|c| {
            let (from, to) = c.sides(forward);
            match (from, to) {
                // Content, not `modified`: saving re-stamps `modified` (after_edit),
                // so a reloaded or re-saved annotation still matches its step.
                (Some(f), _) => by_id.get(f.id.as_str()).is_some_and(|a| a.same_content(f)),
                (None, Some(t)) => !by_id.contains_key(t.id.as_str()),
                (None, None) => true,
            }
        })
    }
}

/// Undo and redo stacks for one document, bounded to `limit` undo steps.
///
/// Invariants: every entry has at least one change; `undo.len() <= limit`
/// and `redo.len() <= limit`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct History {
    /// Oldest first; the back is undone first. Entries are shared (`Rc`), so
    /// cloning a history copies at most 2 × `limit` pointers, never the
    /// annotations: the app's pure reducer takes a history by value.
    pub(super) undo: VecDeque<Rc<Entry>>,
    /// The back is redone first (so the front is the step farthest in the future).
    pub(super) redo: Vec<Rc<Entry>>,
    pub(super) limit: usize,
}

impl Default for History {
    /// An empty history keeping [`DEFAULT_LIMIT`] steps.
    fn default() -> Self {
        History::new(DEFAULT_LIMIT)
    }
}

impl History {
    /// An empty history keeping at most `limit` undo steps (0 keeps none).
    pub fn new(limit: usize) -> Self {
        History { undo: VecDeque::new(), redo: Vec::new(), limit }
    }

    /// The most undo steps kept.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Changes the bound, dropping the oldest undo steps (and the farthest
    /// redo steps) that no longer fit.
    pub fn set_limit(&mut self, limit: usize) {
        self.limit = limit;
        self.enforce_limit();
    }

    pub(super) fn enforce_limit(&mut self) {
        while self.undo.len() > self.limit {
            self.undo.pop_front();
        }
        if self.redo.len() > self.limit {
            let extra = self.redo.len() - self.limit;
            self.redo.drain(..extra);
        }
    }

    /// Records a new step: clears the redo stack and pushes `entry`, dropping
    /// the oldest step beyond the limit. An entry without changes is ignored
    /// (the redo stack is kept) and `false` returned.
    pub fn record(&mut self, entry: Entry) -> bool {
        if entry.changes.is_empty() {
            return false;
        }
        self.redo.clear();
        self.undo.push_back(Rc::new(entry));
        self.enforce_limit();
        true
    }

    /// Records the step that turned `old` into `new` (see [`diff`]); `false`
    /// and nothing recorded when they are equal.
    pub fn record_diff<A: Borrow<Annotation>, B: Borrow<Annotation>>(&mut self, description: &str, old: &[A], new: &[B]) -> bool {
        self.record(Entry::new(description, diff(old, new)))
    }

    /// Whether there is a step to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is a step to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Number of steps that can be undone.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// Number of steps that can be redone.
    pub fn redo_len(&self) -> usize {
        self.redo.len()
    }

    /// Description of the step [`History::undo`] would undo (for a tooltip).
    pub fn undo_description(&self) -> Option<&str> {
        self.undo.back().map(|e| e.description.as_str())
    }

    /// Description of the step [`History::redo`] would redo.
    pub fn redo_description(&self) -> Option<&str> {
        self.redo.last().map(|e| e.description.as_str())
    }

    /// The undo stack, oldest first.
    pub fn undo_entries(&self) -> impl Iterator<Item = &Entry> {
        self.undo.iter().map(|e| &**e)
    }

    /// The redo stack, the step redone first *last*.
    pub fn redo_entries(&self) -> impl Iterator<Item = &Entry> {
        self.redo.iter().map(|e| &**e)
    }

    /// Forgets every step.
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }

    /// Undoes the latest step: returns the annotations as they were before it
    /// (in text order) and its description, and moves the step to the redo
    /// stack. `None` when there is nothing to undo.
    ///
    /// If `current` is not the state the step left behind (the annotations
    /// were changed without being recorded, e.g. in another tab), the history
    /// no longer describes the document: it is cleared and `None` returned,
    /// rather than undoing something else than what the person saw.
    pub fn undo<A: Borrow<Annotation> + Clone + From<Annotation>>(&mut self, current: &[A]) -> Option<(Vec<A>, String)> {
        let entry = self.undo.pop_back()?;
        if !entry.applies_to(current, false) {
            self.clear();
            return None;
        }
        let list = apply_changes(current, &entry.changes, false);
        let description = entry.description.clone();
        self.redo.push(entry);
        Some((list, description))
    }

    /// Redoes the latest undone step: returns the annotations after it and its
    /// description, and moves it back to the undo stack. `None` when there is
    /// nothing to redo; a stale history is cleared as in [`History::undo`].
    pub fn redo<A: Borrow<Annotation> + Clone + From<Annotation>>(&mut self, current: &[A]) -> Option<(Vec<A>, String)> {
        let entry = self.redo.pop()?;
        if !entry.applies_to(current, true) {
            self.clear();
            return None;
        }
        let list = apply_changes(current, &entry.changes, true);
        let description = entry.description.clone();
        self.undo.push_back(entry);
        self.enforce_limit();
        Some((list, description))
    }
}
