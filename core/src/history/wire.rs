//! The versioned JSON form of a history, and its validation.

use super::stack::{Entry, History, DEFAULT_LIMIT, JSON_VERSION, MAX_JSON_BYTES};
use crate::model::Annotation;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashSet;
use std::rc::Rc;

impl History {
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

/// Reads the stored form and validates it as [`History::from_json`] does, keeping
/// [`DEFAULT_LIMIT`] steps.
impl<'de> Deserialize<'de> for History {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let w = HistoryWire::deserialize(deserializer)?;
        History::from_wire(w, DEFAULT_LIMIT).map_err(serde::de::Error::custom)
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
