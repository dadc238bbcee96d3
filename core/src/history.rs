//! Undo and redo for one document's annotations.
//!
//! A [`History`] is two stacks of [`Entry`]s. An entry is one step a person
//! can undo (an add, a retag, a note edit, a delete, a whole import, ...) and
//! holds the [`Change`]s it made, each the annotation *before* and *after*
//! the step (`None` where it did not exist). Entries are computed with
//! [`diff`] and replayed with [`apply_changes`], so the history never needs to
//! know which [`Action`] produced a change: an import of 1 000 annotations is
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

use crate::model::{text_order, Action, Annotation, ModelError, State};
use serde::{Deserialize, Serialize, Serializer};
use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;

/// Default number of undo steps kept per document.
pub const DEFAULT_LIMIT: usize = 500;
/// The `version` field of the JSON form; the only one this build reads and writes.
pub const JSON_VERSION: u64 = 1;
/// Largest JSON text [`History::from_json`] accepts, in bytes (32 MB).
pub const MAX_JSON_BYTES: usize = 32 * 1024 * 1024;

/// What one step did to one annotation (matched by id).
///
/// * add: `before: None`, `after: Some`
/// * delete: `before: Some`, `after: None`
/// * edit (retag, note, replace on import): `before: Some`, `after: Some`, same id
///
/// `None → None` is meaningless and refused by [`History::from_json`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub before: Option<Annotation>,
    pub after: Option<Annotation>,
}

impl Change {
    /// The id of the annotation this change is about (`None` only for the
    /// meaningless `None → None` change).
    pub fn id(&self) -> Option<&str> {
        self.after.as_ref().or(self.before.as_ref()).map(|a| a.id.as_str())
    }

    fn sides(&self, forward: bool) -> (Option<&Annotation>, Option<&Annotation>) {
        if forward {
            (self.before.as_ref(), self.after.as_ref())
        } else {
            (self.after.as_ref(), self.before.as_ref())
        }
    }
}

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
    pub fn applies_to(&self, current: &[Annotation], forward: bool) -> bool {
        let by_id: HashMap<&str, &Annotation> = current.iter().map(|a| (a.id.as_str(), a)).collect();
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

/// The changes that turn `old` into `new`, matching annotations by id.
///
/// Order: deletes and edits in the order of `old`, then adds in the order of
/// `new`. Annotations equal in both lists produce no change, so an empty
/// result means nothing changed. O(n) expected time: one `HashMap` of `new`
/// keyed by id, one `HashSet` of `old` ids. Ids are assumed unique in each list
/// (the reducer guarantees it); with duplicates the last one of `new` wins.
pub fn diff(old: &[Annotation], new: &[Annotation]) -> Vec<Change> {
    if is_text_ordered(old) && is_text_ordered(new) {
        return diff_ordered(old, new);
    }
    diff_by_id(old, new)
}

fn is_text_ordered(list: &[Annotation]) -> bool {
    list.windows(2).all(|w| text_order(&w[0], &w[1]).is_lt())
}

/// [`diff`] of two lists in strict [`text_order`] (the model keeps them so):
/// one merge walk, no allocation proportional to the lists, so an edit on
/// 10,000 annotations costs a pass of comparisons. Annotations whose
/// position changed appear on both sides of the walk and are paired by id
/// afterwards (a map of the k moved ones only).
fn diff_ordered(old: &[Annotation], new: &[Annotation]) -> Vec<Change> {
    // Positions in `old` that are not matched in place (deleted or moved),
    // in old order, and the same for `new` (added or moved).
    let mut events: Vec<(usize, Option<usize>)> = Vec::new(); // (old index, new index if edited in place)
    let mut added: Vec<usize> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < old.len() && j < new.len() {
        match text_order(&old[i], &new[j]) {
            std::cmp::Ordering::Equal => {
                if old[i] != new[j] {
                    events.push((i, Some(j)));
                }
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => {
                events.push((i, None));
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                added.push(j);
                j += 1;
            }
        }
    }
    events.extend((i..old.len()).map(|i| (i, None)));
    added.extend(j..new.len());
    if events.is_empty() && added.is_empty() {
        return Vec::new();
    }
    let mut added_by_id: HashMap<&str, usize> = added.iter().map(|&j| (new[j].id.as_str(), j)).collect();
    let mut out = Vec::with_capacity(events.len() + added.len());
    for (i, edited) in events {
        let a = &old[i];
        let after = edited.or_else(|| added_by_id.remove(a.id.as_str()));
        out.push(Change { before: Some(a.clone()), after: after.map(|j| new[j].clone()) });
    }
    for j in added {
        if added_by_id.contains_key(new[j].id.as_str()) {
            out.push(Change { before: None, after: Some(new[j].clone()) });
        }
    }
    out
}

fn diff_by_id(old: &[Annotation], new: &[Annotation]) -> Vec<Change> {
    let new_by_id: HashMap<&str, &Annotation> = new.iter().map(|a| (a.id.as_str(), a)).collect();
    let old_ids: HashSet<&str> = old.iter().map(|a| a.id.as_str()).collect();
    let mut out = Vec::new();
    for a in old {
        match new_by_id.get(a.id.as_str()) {
            None => out.push(Change { before: Some(a.clone()), after: None }),
            Some(b) if *b != a => out.push(Change { before: Some(a.clone()), after: Some((*b).clone()) }),
            Some(_) => {}
        }
    }
    for b in new {
        if !old_ids.contains(b.id.as_str()) {
            out.push(Change { before: None, after: Some(b.clone()) });
        }
    }
    out
}

/// Replays `changes` on `list`: forward turns every `before` into its
/// `after` (redo), backward every `after` into its `before` (undo).
///
/// Every annotation whose id a change mentions is removed, then the target
/// side of each change is inserted, and the result is sorted by
/// [`text_order`]. It is thus tolerant (never duplicates an id, never
/// panics), and exact when [`Entry::applies_to`] holds: then
/// `apply_changes(&apply_changes(l, c, true), c, false) == l` for a sorted `l`.
/// O(n + k log k) for a list already in text order (the stable sort merges
/// the two sorted runs).
pub fn apply_changes(list: &[Annotation], changes: &[Change], forward: bool) -> Vec<Annotation> {
    let touched: HashSet<&str> = changes.iter().filter_map(Change::id).collect();
    let mut out: Vec<Annotation> = list.iter().filter(|a| !touched.contains(a.id.as_str())).cloned().collect();
    let mut added: Vec<Annotation> = changes.iter().filter_map(|c| c.sides(forward).1.cloned()).collect();
    added.sort_by(text_order);
    out.extend(added);
    out.sort_by(text_order);
    out
}

/// Undo and redo stacks for one document, bounded to `limit` undo steps.
///
/// Invariants: every entry has at least one change; `undo.len() <= limit`
/// and `redo.len() <= limit`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "HistoryWire")]
pub struct History {
    /// Oldest first; the back is undone first. Entries are shared (`Rc`), so
    /// cloning a history copies at most 2 × `limit` pointers, never the
    /// annotations: the app's pure reducer takes a history by value.
    undo: VecDeque<Rc<Entry>>,
    /// The back is redone first (so the front is the step farthest in the future).
    redo: Vec<Rc<Entry>>,
    limit: usize,
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

    fn enforce_limit(&mut self) {
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
    pub fn record_diff(&mut self, description: &str, old: &[Annotation], new: &[Annotation]) -> bool {
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
    pub fn undo(&mut self, current: &[Annotation]) -> Option<(Vec<Annotation>, String)> {
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
    pub fn redo(&mut self, current: &[Annotation]) -> Option<(Vec<Annotation>, String)> {
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

    /// The history as versioned JSON (`{"version":1,"undo":[…],"redo":[…]}`).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| empty_json())
    }

    /// The history as JSON of at most `max_bytes` UTF-8 bytes: the oldest undo
    /// steps are left out first, then the redo steps farthest from the
    /// present, until it fits. If even the empty history
    /// (`{"version":1,"undo":[],"redo":[]}`, 33 bytes) does not fit, that is
    /// returned anyway. `self` is not changed. O(size of the history).
    pub fn to_json_bounded(&self, max_bytes: usize) -> String {
        // Steps are kept nearest first: every redo step (the next one first),
        // then undo steps from the newest; the first that does not fit ends
        // its list (and a redo list cut short keeps no undo step). A step whose
        // text alone is larger than the room left is not even serialised, so
        // one huge step (an import of 10,000 annotations) costs nothing here.
        let mut used = empty_json().len();
        let mut take = |entries: &mut dyn Iterator<Item = &Entry>, kept: &mut Vec<String>| -> bool {
            for e in entries {
                let comma = usize::from(!kept.is_empty());
                if used + comma + text_len(e) > max_bytes {
                    return false;
                }
                let Ok(json) = serde_json::to_string(e) else { return false };
                if used + comma + json.len() > max_bytes {
                    return false;
                }
                used += comma + json.len();
                kept.push(json);
            }
            true
        };
        let (mut redo, mut undo) = (Vec::new(), Vec::new());
        if take(&mut self.redo.iter().rev().map(|e| &**e), &mut redo) {
            take(&mut self.undo.iter().rev().map(|e| &**e), &mut undo);
        }
        redo.reverse();
        undo.reverse();
        format!("{{\"version\":{JSON_VERSION},\"undo\":[{}],\"redo\":[{}]}}", undo.join(","), redo.join(","))
    }

    /// Reads the JSON written by [`History::to_json`], keeping
    /// [`DEFAULT_LIMIT`] steps. See [`History::from_json_with_limit`].
    pub fn from_json(json: &str) -> Result<History, String> {
        History::from_json_with_limit(json, DEFAULT_LIMIT)
    }

    /// Reads a history, validating everything: size ([`MAX_JSON_BYTES`]),
    /// syntax, `version == 1`, field types, and every entry (at least one
    /// change, at most one change per id, no `None → None`, the same id on
    /// both sides of an edit, every annotation with a non-empty id,
    /// `start < end` and a quote `end - start` code points long). The first
    /// problem is returned as a message naming its place (`undo[3].changes[0]`).
    /// Steps beyond `limit` are dropped, oldest first. Never panics.
    pub fn from_json_with_limit(json: &str, limit: usize) -> Result<History, String> {
        if json.len() > MAX_JSON_BYTES {
            return Err(format!("the undo history is too large ({} bytes; the limit is {MAX_JSON_BYTES})", json.len()));
        }
        let wire: HistoryWire = serde_json::from_str(json).map_err(|e| format!("the undo history is not valid: {e}"))?;
        History::from_wire(wire, limit).map_err(|e| format!("the undo history is not valid: {e}"))
    }

    fn from_wire(w: HistoryWire, limit: usize) -> Result<History, String> {
        if w.version != JSON_VERSION {
            return Err(format!("version {} is not supported (this app reads version {JSON_VERSION})", w.version));
        }
        for (stack, entries) in [("undo", &w.undo), ("redo", &w.redo)] {
            for (i, e) in entries.iter().enumerate() {
                validate_entry(e).map_err(|m| format!("{stack}[{i}]{m}"))?;
            }
        }
        let mut h = History { undo: w.undo.into_iter().map(Rc::new).collect(), redo: w.redo.into_iter().map(Rc::new).collect(), limit };
        h.enforce_limit();
        Ok(h)
    }
}

/// A lower bound of an entry's JSON length: its strings, unescaped.
fn text_len(e: &Entry) -> usize {
    let ann = |a: &Annotation| a.id.len() + a.quote.len() + a.note.len() + a.created.len() + a.modified.len();
    e.description.len() + e.changes.iter().map(|c| c.before.as_ref().map_or(0, ann) + c.after.as_ref().map_or(0, ann)).sum::<usize>()
}

fn empty_json() -> String {
    format!("{{\"version\":{JSON_VERSION},\"undo\":[],\"redo\":[]}}")
}

/// The serialised form, borrowed.
#[derive(Serialize)]
struct HistoryWireRef<'a> {
    version: u64,
    undo: Vec<&'a Entry>,
    redo: Vec<&'a Entry>,
}

/// The serialised form, owned (what is read before validation).
#[derive(Deserialize)]
struct HistoryWire {
    version: u64,
    undo: Vec<Entry>,
    redo: Vec<Entry>,
}

impl Serialize for History {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        HistoryWireRef { version: JSON_VERSION, undo: self.undo_entries().collect(), redo: self.redo_entries().collect() }
            .serialize(serializer)
    }
}

impl TryFrom<HistoryWire> for History {
    type Error = String;

    /// Validates as [`History::from_json`] does, keeping [`DEFAULT_LIMIT`] steps.
    fn try_from(w: HistoryWire) -> Result<Self, String> {
        History::from_wire(w, DEFAULT_LIMIT)
    }
}

fn validate_entry(e: &Entry) -> Result<(), String> {
    if e.changes.is_empty() {
        return Err(": has no changes".into());
    }
    let mut seen = HashSet::new();
    for (j, c) in e.changes.iter().enumerate() {
        let at = |m: &str| format!(".changes[{j}]{m}");
        for (side, a) in [("before", &c.before), ("after", &c.after)] {
            if let Some(a) = a {
                validate_annotation(a).map_err(|m| at(&format!(".{side}: {m}")))?;
            }
        }
        let id = match (&c.before, &c.after) {
            (None, None) => return Err(at(": both before and after are null")),
            (Some(b), Some(a)) if b.id != a.id => return Err(at(&format!(": before has id “{}” but after has id “{}”", b.id, a.id))),
            _ => c.id().unwrap_or_default(),
        };
        if !seen.insert(id) {
            return Err(at(&format!(": id “{id}” is changed twice in one step")));
        }
    }
    Ok(())
}

fn validate_annotation(a: &Annotation) -> Result<(), String> {
    if a.id.is_empty() {
        return Err("the id is empty".into());
    }
    if a.start >= a.end {
        return Err(format!("start {} must be less than end {}", a.start, a.end));
    }
    if a.quote.chars().count() != a.end - a.start {
        return Err(format!("the quote is not {} characters long", a.end - a.start));
    }
    Ok(())
}

/// Applies `action` with [`State::apply`] and, when the annotations changed,
/// records the step in `history` under `description`. Selection-only changes
/// ([`Action::Select`], or an action that changed nothing) record nothing. A
/// refused action changes neither the state nor the history.
pub fn apply_recorded(state: &State, history: &mut History, action: Action, description: &str) -> Result<State, ModelError> {
    apply_recorded_change(state, history, action, description).map(|(next, _)| next)
}

/// [`apply_recorded`], also returning the recorded change when the action
/// names one annotation (add, retag, note, delete) and changed it: read off
/// directly instead of comparing the whole lists, so a caller can update
/// only what it touched. Imports (merges) are recorded by [`diff`] and give `None`.
pub fn apply_recorded_change(
    state: &State,
    history: &mut History,
    action: Action,
    description: &str,
) -> Result<(State, Option<Change>), ModelError> {
    let single = match &action {
        Action::Add { id, .. } | Action::Retag { id, .. } | Action::SetNote { id, .. } | Action::Delete { id } => Some(id.clone()),
        Action::Select(_) | Action::Merge(_) => None,
    };
    let next = state.apply(action)?;
    if Rc::ptr_eq(&state.annotations, &next.annotations) {
        return Ok((next, None));
    }
    match single {
        Some(id) => {
            let change = Change { before: state.get(&id).cloned(), after: next.get(&id).cloned() };
            if change.before == change.after {
                return Ok((next, None));
            }
            history.record(Entry::new(description, vec![change.clone()]));
            Ok((next, Some(change)))
        }
        None => {
            history.record_diff(description, &state.annotations, &next.annotations);
            Ok((next, None))
        }
    }
}

/// [`History::undo`] on a [`State`]: the state with the annotations as they
/// were before the latest step (the selection is kept if its annotation still
/// exists, else cleared), and the step's description.
pub fn undo_state(state: &State, history: &mut History) -> Option<(State, String)> {
    let (list, description) = history.undo(&state.annotations)?;
    Some((with_list(state, list), description))
}

/// [`History::redo`] on a [`State`], like [`undo_state`].
pub fn redo_state(state: &State, history: &mut History) -> Option<(State, String)> {
    let (list, description) = history.redo(&state.annotations)?;
    Some((with_list(state, list), description))
}

fn with_list(state: &State, list: Vec<Annotation>) -> State {
    let selected = state.selected.clone().filter(|id| list.iter().any(|a| &a.id == id));
    State { doc: state.doc.clone(), annotations: Rc::new(list), selected }
}
