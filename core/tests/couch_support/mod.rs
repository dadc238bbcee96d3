//! An in-memory CouchDB for the team sync tests: revision trees per `_id`,
//! written as the page's bridge writes (`new_edits: false`), replicated as a
//! union of trees, read as leaves (`open_revs=all`) and as a changes feed.
#![allow(dead_code)]

use annotator_core::sync::{rev_of, Changed};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// `v` with `_rev` set.
pub fn with_rev(mut v: Value, rev: &str) -> Value {
    v["_rev"] = json!(rev);
    v
}

/// One revision: its parent and its body (without `_rev`).
#[derive(Clone, Debug)]
pub struct Rev {
    pub parent: Option<String>,
    pub body: Value,
}

/// A CouchDB database as revision trees per `_id`, plus the `_id`s changed
/// since the page last read its changes feed.
#[derive(Clone, Debug, Default)]
pub struct Db {
    pub docs: BTreeMap<String, BTreeMap<String, Rev>>,
    pub changed: BTreeSet<String>,
}

pub fn is_deleted(body: &Value) -> bool {
    body.get("_deleted") == Some(&Value::Bool(true))
}

impl Db {
    /// The leaf revisions of `id`: those no other revision has as parent.
    pub fn leaves(&self, id: &str) -> Vec<(String, Value)> {
        let Some(revs) = self.docs.get(id) else { return Vec::new() };
        let parents: BTreeSet<&str> = revs.values().filter_map(|r| r.parent.as_deref()).collect();
        revs.iter().filter(|(rev, _)| !parents.contains(rev.as_str())).map(|(rev, r)| (rev.clone(), r.body.clone())).collect()
    }

    /// The leaves as `GET /db/{id}?open_revs=all` gives them (with `_rev`).
    pub fn leaf_bodies(&self, id: &str) -> Vec<Value> {
        self.leaves(id).into_iter().map(|(rev, body)| with_rev(body, &rev)).collect()
    }

    pub fn live_leaves(&self, id: &str) -> usize {
        self.leaves(id).iter().filter(|(_, b)| !is_deleted(b)).count()
    }

    /// Writes one document as the page's glue (`assets/team-sync.js`) does:
    /// with `new_edits: false`, the revision the record names (`_rev`) as a
    /// child of the one its `_revisions` names (none: a new tree). A
    /// revision already held is not written again (CouchDB ignores it).
    /// Returns whether something was written.
    pub fn put(&mut self, doc: &Value) -> bool {
        let id = doc["_id"].as_str().unwrap().to_string();
        let rev = rev_of(doc).expect("every write names its revision").to_string();
        let start = doc["_revisions"]["start"].as_u64().expect("_revisions.start");
        let ids = doc["_revisions"]["ids"].as_array().expect("_revisions.ids");
        assert_eq!(rev, format!("{start}-{}", ids[0].as_str().unwrap()), "_rev is the first of _revisions");
        let parent = ids.get(1).map(|h| format!("{}-{}", start - 1, h.as_str().unwrap()));
        if let Some(p) = &parent {
            assert!(self.docs.get(&id).is_some_and(|revs| revs.contains_key(p)), "the parent {p} of {id} is held");
        }
        if self.docs.get(&id).is_some_and(|revs| revs.contains_key(&rev)) {
            return false;
        }
        let mut body = doc.clone();
        body.as_object_mut().unwrap().remove("_rev");
        body.as_object_mut().unwrap().remove("_revisions");
        self.docs.entry(id.clone()).or_default().insert(rev, Rev { parent, body });
        self.changed.insert(id);
        true
    }

    /// Replication from `from`: every revision this copy lacks (a union of trees).
    pub fn pull(&mut self, from: &Db) {
        for (id, revs) in &from.docs {
            let mine = self.docs.entry(id.clone()).or_default();
            for (rev, r) in revs {
                if !mine.contains_key(rev) {
                    mine.insert(rev.clone(), r.clone());
                    self.changed.insert(id.clone());
                }
            }
        }
    }

    /// Everything held, as a changes batch (a page starting again reads it all).
    pub fn everything(&self) -> Vec<Changed> {
        self.docs.keys().map(|id| Changed { id: id.clone(), leaves: self.leaf_bodies(id) }).collect()
    }

    pub fn revisions(&self) -> BTreeMap<&str, BTreeSet<&str>> {
        self.docs.iter().map(|(id, revs)| (id.as_str(), revs.keys().map(String::as_str).collect())).collect()
    }

    /// How many revisions are held, of every `_id`.
    pub fn revisions_count(&self) -> usize {
        self.docs.values().map(BTreeMap::len).sum()
    }
}
