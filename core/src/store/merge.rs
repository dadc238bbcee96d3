//! One document's stored annotation record, and the merge that lets two tabs
//! edit the same document without overwriting each other.
//!
//! # The merge rule
//!
//! A [`DocRecord`] is a set of annotations (by id), a set of tombstones
//! (`id → deletion time`) and a write counter `rev`. [`merge`] computes:
//!
//! 1. **annotations**: the union by id; when both sides hold the same id,
//!    the version with the later `modified` wins ([`version_cmp`]: times
//!    compared as instants by [`compare_timestamps`]; ties broken by the raw
//!    strings, then `created`, `start`, `end`, `label`, `quote`, `note`, `speaker`, `verdict`, `links`, so
//!    the choice never depends on argument order);
//! 2. **tombstones**: the union by id, keeping the later deletion time, then
//!    only the [`MAX_TOMBSTONES`] latest (by time, then id);
//! 3. an annotation whose id has a tombstone stays **only if its `modified`
//!    is strictly later than the deletion** (it was re-created or edited
//!    after the deletion); otherwise the deletion wins (ties: deletion wins);
//! 4. `rev` is the larger of the two; annotations are in text order
//!    ([`text_order`]).
//!
//! Annotations and tombstones are two last-writer-wins maps, so merge is
//! commutative, associative and idempotent (`merge(a, a)` is `a` once `a`
//! is itself a merge result). The one exception is deliberate: once more
//! than [`MAX_TOMBSTONES`] deletions are remembered the oldest are
//! forgotten, and a very old copy of a deleted annotation could come back.
//!
//! To re-create an annotation after deleting it (undo), its `modified` must
//! be later than the deletion: [`DocRecord::after_edit`] does this.
//!
//! # Two tabs, step by step (the app's side)
//!
//! * load: `base = parse_record(stored)`; show `base.annotations`;
//! * after a local edit: `local = base.after_edit(&shown, now)`; read the
//!   stored record `s` again right before writing and write
//!   [`for_write`]`(&local, s)`; once the write succeeded that becomes `base`
//!   and what is shown (if it failed, keep `local` in memory and retry);
//! * on a `storage` event for the open document: `base = merge(&base, &s)`
//!   and show it (no write needed: `s` is already stored).
//!
//! `rev` only ever grows; a stored `rev` different from `base.rev` means
//! another tab wrote since this one read.
//!
//! # Stored JSON
//!
//! A native annotation file without the text ([`crate::formats::native`]) plus two fields:
//! `"deleted": [{"id": "…", "at": "<RFC 3339>"}, …]` and `"rev": <u64>`. A v1
//! record (no `deleted`, no `rev`) reads as no tombstones and `rev` 0, and a
//! v2 record is still a valid native file.

use crate::formats::annotation_json::{parse_annotations, strict_label, Annotations, Check, MAX_ANNOTATIONS};
use crate::formats::json_fields::{field, get_offset, get_str, ImportError};
use crate::formats::native::{FORMAT, OFFSET_UNIT, VERSION};
use crate::model::{shorten, text_order, Annotation};
use crate::text::text_index::TextIndex;
use crate::text::time::compare_timestamps;
use crate::text::time::timestamp_order;
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashSet};

/// Most tombstones a record keeps (the latest deletions).
pub const MAX_TOMBSTONES: usize = 5_000;
use crate::formats::annotation_json::MAX_ANNOTATION_ID_CP;

/// One document's annotations as stored, with the deletions it remembers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocRecord {
    /// The live annotations, in text order, ids unique.
    pub annotations: Vec<Annotation>,
    /// Tombstones: annotation id → RFC 3339 time of its deletion.
    pub deleted: BTreeMap<String, String>,
    /// Write counter: grows with every write of this record.
    pub rev: u64,
}

impl DocRecord {
    /// A record of `annotations` (sorted into text order), no tombstones, `rev` 0.
    pub fn new(mut annotations: Vec<Annotation>) -> Self {
        crate::text::sorting::sort_by(&mut annotations, text_order);
        DocRecord { annotations, deleted: BTreeMap::new(), rev: 0 }
    }

    /// The same record with `rev` set.
    pub fn with_rev(mut self, rev: u64) -> Self {
        self.rev = rev;
        self
    }

    /// The record to save after local edits turned `self.annotations` into
    /// `current` at time `now` (RFC 3339, later than anything in `self`):
    /// * an id in `self` but not in `current` gets a tombstone at `now`;
    /// * an annotation of `current` whose id has a tombstone not earlier than
    ///   its `modified` (an undone deletion) gets `modified = now` so it
    ///   survives merging with copies that still hold the tombstone;
    /// * `rev` is `self.rev + 1`; tombstones are bounded to [`MAX_TOMBSTONES`].
    ///
    /// The app should show the returned annotations (modification times may have moved).
    pub fn after_edit<A: std::borrow::Borrow<Annotation>>(&self, current: &[A], now: &str) -> DocRecord {
        let live: HashSet<&str> = current.iter().map(|a| a.borrow().id.as_str()).collect();
        let mut deleted = self.deleted.clone();
        for a in &self.annotations {
            if !live.contains(a.id.as_str()) && !deleted_at_or_after(&self.deleted, &a.id, now) {
                deleted.insert(a.id.clone(), now.to_string());
            }
        }
        let mut annotations: Vec<Annotation> = current.iter().map(|a| a.borrow().clone()).collect();
        // A local change is the newest version (see `restamp`).
        let known: std::collections::HashMap<&str, &Annotation> = self.annotations.iter().map(|a| (a.id.as_str(), a)).collect();
        for a in &mut annotations {
            let (k, t) = (known.get(a.id.as_str()).copied(), deleted.get(&a.id));
            restamp(a, k, t, now);
        }
        crate::text::sorting::sort_by(&mut annotations, text_order);
        prune_tombstones(&mut deleted);
        DocRecord { annotations, deleted, rev: self.rev + 1 }
    }

    /// What [`after_edit`](Self::after_edit) would change, as a small record:
    /// the annotations of `current` that differ from `self` (added or
    /// edited, with `modified` moved to `now` by the same rules) and a
    /// tombstone at `now` for each id that is gone; `rev` is `self.rev + 1`.
    ///
    /// `merge(self, &self.edit_delta(c, now))` holds the same annotations and
    /// tombstones as `for_write(&self.after_edit(c, now), Some(self))`, but
    /// costs one comparison pass over the lists ([`crate::history::diff`])
    /// plus work proportional to the change, not a copy of every annotation:
    /// it is what the app writes after each edit (the journal; see [`absorb`](Self::absorb)).
    pub fn edit_delta<A: std::borrow::Borrow<Annotation>>(&self, current: &[A], now: &str) -> DocRecord {
        let mut annotations = Vec::new();
        let mut deleted = BTreeMap::new();
        for change in crate::history::diff(&self.annotations, current) {
            match (change.before, change.after) {
                (Some(k), None) => {
                    if !deleted_at_or_after(&self.deleted, &k.id, now) {
                        deleted.insert(k.id, now.to_string());
                    }
                }
                (before, Some(mut a)) => {
                    let tombstone = self.deleted.get(&a.id);
                    restamp(&mut a, before.as_ref(), tombstone, now);
                    annotations.push(a);
                }
                (None, None) => {}
            }
        }
        crate::text::sorting::sort_by(&mut annotations, text_order);
        DocRecord { annotations, deleted, rev: self.rev + 1 }
    }

    /// Whether the record holds nothing (no annotations, no tombstones).
    pub fn is_empty(&self) -> bool {
        self.annotations.is_empty() && self.deleted.is_empty()
    }

    /// Merges `other` into `self` in place: afterwards `self` equals
    /// [`merge`]`(self, other)`. A small `other` (a journal delta) costs a
    /// scan per entry and no copy of the rest; a large one falls back to [`merge`].
    pub fn absorb(&mut self, other: &DocRecord) {
        if other.annotations.len() + other.deleted.len() > 64 {
            *self = merge(self, other);
            return;
        }
        for (id, at) in &other.deleted {
            put_tombstone(&mut self.deleted, id, at);
        }
        prune_tombstones(&mut self.deleted);
        for a in &other.annotations {
            match self.annotations.iter().position(|b| b.id == a.id) {
                Some(i) if version_cmp(a, &self.annotations[i]).is_le() => {}
                found => {
                    if let Some(i) = found {
                        self.annotations.remove(i);
                    }
                    let at = self.annotations.partition_point(|b| text_order(b, a).is_lt());
                    self.annotations.insert(at, a.clone());
                }
            }
        }
        // Tombstones win over versions not modified after them.
        let touched = other.deleted.keys().map(String::as_str).chain(other.annotations.iter().map(|a| a.id.as_str()));
        for id in touched {
            if let Some(t) = self.deleted.get(id) {
                if let Some(i) = self.annotations.iter().position(|a| a.id == id) {
                    if !compare_timestamps(&self.annotations[i].modified, t).is_gt() {
                        self.annotations.remove(i);
                    }
                }
            }
        }
        self.rev = self.rev.max(other.rev);
    }

    /// Compact JSON for `text-annotator.v2.doc.<id>`: the native file header
    /// (`document` = id, title, name, length, usually from a
    /// [`DocMeta`](crate::store::library::DocMeta): `record.to_json(&meta)`; no
    /// text), the annotations (written by [`crate::formats::annotation_json`]),
    /// `deleted` (sorted by id) and `rev`.
    pub fn to_json<'h>(&self, header: impl Into<RecordHeader<'h>>) -> String {
        // Serialised straight from borrowed structs (no intermediate `Value`
        // tree): this runs on every edit, for up to tens of thousands of annotations.
        #[derive(serde::Serialize)]
        struct Rec<'a> {
            format: &'static str,
            version: u64,
            offset_unit: &'static str,
            document: RecordHeader<'a>,
            annotations: Annotations<'a>,
            deleted: Vec<Tombstone<'a>>,
            rev: u64,
        }
        let rec = Rec {
            format: FORMAT,
            version: VERSION,
            offset_unit: OFFSET_UNIT,
            document: header.into(),
            annotations: Annotations(&self.annotations),
            deleted: tombstones(&self.deleted),
            rev: self.rev,
        };
        serde_json::to_string(&rec).unwrap_or_default()
    }
}

/// One tombstone as written: `{"id": "…", "at": "<RFC 3339>"}`.
#[derive(serde::Serialize)]
pub(crate) struct Tombstone<'a> {
    id: &'a str,
    at: &'a str,
}

/// Tombstones as written (`deleted`), sorted by id.
pub(crate) fn tombstones(deleted: &BTreeMap<String, String>) -> Vec<Tombstone<'_>> {
    deleted.iter().map(|(id, at)| Tombstone { id, at }).collect()
}

/// The `document` header of a stored record as written by
/// [`DocRecord::to_json`]: what names the document, without its text.
/// `length` is in code points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RecordHeader<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub name: &'a str,
    pub length: usize,
}

/// The `document` header of a stored record (all optional, as in native files).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    pub id: Option<String>,
    pub title: Option<String>,
    pub name: Option<String>,
    /// Text length in code points.
    pub length: Option<usize>,
}

/// A parsed stored record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub header: Header,
    pub record: DocRecord,
}

/// Parses and validates a stored record (v2, or a v1 native file without
/// text). `expected_id`: the id from the storage key; a different
/// `document.id` is an error. `text`: the document's text when known, then
/// every quote must equal the text at its span (as [`crate::formats::native::import`]
/// checks); without it, `end ≤ document.length` (when present) and the quote
/// must be `end - start` code points long. The first problem is returned
/// with its path (`annotations[3].quote`, `deleted[0].at`).
pub fn parse_record(bytes: &[u8], expected_id: Option<&str>, text: Option<&TextIndex>) -> Result<Stored, ImportError> {
    let v = crate::formats::native::parse_json_bounded(bytes)?;
    let root = v.as_object().ok_or_else(|| field("the top level", "must be a JSON object"))?;
    match root.get("format") {
        Some(Value::String(s)) if s == FORMAT => {}
        Some(Value::String(s)) => {
            return Err(field("format", format!("“{}” is not an annotation record (expected “{FORMAT}”)", shorten(s, 40))))
        }
        Some(_) => return Err(field("format", "must be a string")),
        None => return Err(field("format", format!("is missing (expected “{FORMAT}”)"))),
    }
    crate::formats::native::check_version(root)?;
    let header = match root.get("document") {
        None | Some(Value::Null) => Header::default(),
        Some(Value::Object(d)) => {
            let s = |k: &str| d.get(k).and_then(Value::as_str).map(str::to_string);
            let length = match d.get("length") {
                None | Some(Value::Null) => None,
                Some(_) => Some(get_offset(d, "length", "document")?),
            };
            Header { id: s("id"), title: s("title"), name: s("name"), length }
        }
        Some(_) => return Err(field("document", "must be an object")),
    };
    if let (Some(want), Some(got)) = (expected_id, header.id.as_deref()) {
        if want != got {
            return Err(field("document.id", format!("“{}” is not the id of this document ({want})", shorten(got, 40))));
        }
    }
    let check = match text {
        Some(index) => Check::Text(index),
        None => Check::Length(header.length),
    };
    let annotations = parse_annotations(root.get("annotations"), "annotations", check, strict_label)?;
    let deleted = parse_deleted(root.get("deleted"), "deleted")?;
    let rev = match root.get("rev") {
        None | Some(Value::Null) => 0,
        Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64().unwrap_or(0),
        Some(_) => return Err(field("rev", "must be a whole number ≥ 0")),
    };
    let mut record = DocRecord::new(annotations);
    record.deleted = deleted;
    record.rev = rev;
    Ok(Stored { header, record })
}

/// Validates a `deleted` array at `path` (missing or null: none). A repeated
/// id keeps its later time; more than [`MAX_TOMBSTONES`] are pruned to the latest.
pub(crate) fn parse_deleted(v: Option<&Value>, path: &str) -> Result<BTreeMap<String, String>, ImportError> {
    let list = match v {
        None | Some(Value::Null) => return Ok(BTreeMap::new()),
        Some(Value::Array(a)) => a,
        Some(_) => return Err(field(path, "must be an array")),
    };
    if list.len() > MAX_ANNOTATIONS {
        return Err(field(path, format!("has {} entries; the limit is {MAX_ANNOTATIONS}", list.len())));
    }
    let mut out = BTreeMap::new();
    for (i, item) in list.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let obj = item.as_object().ok_or_else(|| field(&p, "must be an object with id and at"))?;
        let id = get_str(obj, "id", &p)?;
        if id.is_empty() || id.chars().count() > MAX_ANNOTATION_ID_CP {
            return Err(field(format!("{p}.id"), format!("must be 1 to {MAX_ANNOTATION_ID_CP} characters")));
        }
        let at = get_str(obj, "at", &p)?;
        put_tombstone(&mut out, id, at);
    }
    prune_tombstones(&mut out);
    Ok(out)
}

fn put_tombstone(map: &mut BTreeMap<String, String>, id: &str, at: &str) {
    match map.get_mut(id) {
        Some(t) => {
            if timestamp_order(at, t).is_gt() {
                *t = at.to_string();
            }
        }
        None => {
            map.insert(id.to_string(), at.to_string());
        }
    }
}

/// Whether `id` already has a tombstone at `now` or later (a deletion at
/// `now` would add nothing).
fn deleted_at_or_after(deleted: &BTreeMap<String, String>, id: &str, now: &str) -> bool {
    deleted.get(id).is_some_and(|t| timestamp_order(t, now).is_ge())
}

/// A local change (an undo or redo included) is the newest version: `a`
/// gets `modified = now` when its content differs from `known` (the version
/// last written) without a later `modified`, or when a tombstone not earlier
/// than its `modified` exists (an undone deletion); otherwise merging with
/// that record would keep the old version or the deletion.
fn restamp(a: &mut Annotation, known: Option<&Annotation>, tombstone: Option<&String>, now: &str) {
    if let Some(k) = known {
        if !k.same_content(a) && !compare_timestamps(&a.modified, &k.modified).is_gt() {
            a.modified = now.to_string();
        }
    }
    if let Some(t) = tombstone {
        if !compare_timestamps(&a.modified, t).is_gt() {
            a.modified = now.to_string();
        }
    }
}

/// Keeps only the [`MAX_TOMBSTONES`] latest tombstones (by time, then id).
fn prune_tombstones(deleted: &mut BTreeMap<String, String>) {
    if deleted.len() <= MAX_TOMBSTONES {
        return;
    }
    let mut all: Vec<(String, String)> = std::mem::take(deleted).into_iter().collect();
    crate::text::sorting::sort_by(&mut all, |a, b| timestamp_order(&b.1, &a.1).then_with(|| b.0.cmp(&a.0)));
    all.truncate(MAX_TOMBSTONES);
    deleted.extend(all);
}

/// Merges two records of the same document by the rule in the module
/// documentation. Commutative, associative and idempotent on merge results.
pub fn merge(mine: &DocRecord, theirs: &DocRecord) -> DocRecord {
    let mut deleted = mine.deleted.clone();
    for (id, at) in &theirs.deleted {
        put_tombstone(&mut deleted, id, at);
    }
    prune_tombstones(&mut deleted);
    let mut by_id: BTreeMap<&str, &Annotation> = BTreeMap::new();
    for a in mine.annotations.iter().chain(theirs.annotations.iter()) {
        match by_id.get(a.id.as_str()) {
            Some(b) if version_cmp(a, b).is_le() => {}
            _ => {
                by_id.insert(a.id.as_str(), a);
            }
        }
    }
    let mut annotations: Vec<Annotation> =
        by_id.into_values().filter(|a| deleted.get(&a.id).is_none_or(|t| compare_timestamps(&a.modified, t).is_gt())).cloned().collect();
    crate::text::sorting::sort_by(&mut annotations, text_order);
    DocRecord { annotations, deleted, rev: mine.rev.max(theirs.rev) }
}

/// The record to write when `local` (this tab's record after its edits,
/// from [`DocRecord::after_edit`]) is saved and `stored` is what storage
/// holds now (`None`: nothing, or unreadable and backed up): their [`merge`],
/// with `rev = max(local.rev, stored.rev + 1)`, so the stored `rev` always
/// grows (by one when nobody else wrote since `local`'s base was read).
pub fn for_write(local: &DocRecord, stored: Option<&DocRecord>) -> DocRecord {
    let mut out = match stored {
        Some(s) => merge(local, s),
        None => merge(local, &DocRecord::default()),
    };
    out.rev = local.rev.max(stored.map_or(0, |s| s.rev) + 1);
    out
}

/// Which of two versions of the same annotation is newer: by `modified` as
/// an instant ([`compare_timestamps`]), then a fixed comparison of the other
/// fields, so the order is total and `Equal` only for identical content.
pub fn version_cmp(a: &Annotation, b: &Annotation) -> Ordering {
    timestamp_order(&a.modified, &b.modified)
        .then_with(|| a.created.cmp(&b.created))
        .then_with(|| a.start.cmp(&b.start))
        .then_with(|| a.end.cmp(&b.end))
        .then_with(|| a.label.cmp(&b.label))
        .then_with(|| a.quote.cmp(&b.quote))
        .then_with(|| a.note.cmp(&b.note))
        .then_with(|| a.speaker.cmp(&b.speaker))
        .then_with(|| a.verdict.cmp(&b.verdict))
        .then_with(|| a.links.cmp(&b.links))
        .then_with(|| a.id.cmp(&b.id))
}
