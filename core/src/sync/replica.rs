//! One running page's side of team sync, pure: what it knows of the shared
//! database, what to write for an edit, what to show for what arrived.
//!
//! The browser part (PouchDB, its local database and its replication) only
//! moves documents; every decision is here, with time and ids passed in.
//!
//! # The rules
//!
//! 1. **What is known** ([`Replica::winner`]): for every CouchDB `_id` seen,
//!    the winner of its leaves by [`resolve`] (edit or deletion). An
//!    annotation as shown is its record's winner with the live winners of
//!    its link records (`link:…` from it) as its links, in target order
//!    ([`Replica::annotation`]).
//! 2. **Receiving** ([`Replica::receive`]): the leaves of each changed `_id`
//!    advance the clock ([`Hlc::recv`]), are resolved, and the resolution's
//!    closing tombstones are returned for writing. A record this app did not
//!    write is skipped and counted; one with a bad field is reported by
//!    location. The annotations whose record or links changed winner are
//!    returned as now shown, so a page's own writes coming back change
//!    nothing. A known winner above the resolved one stays (the copy's
//!    winner only rises, so it is this page's write, not yet stored or not
//!    yet passed on by the feed): an older revision of a record the page
//!    has since edited again shows nothing. A link whose annotation is not
//!    known yet shows nothing.
//! 3. **Sending** ([`Replica::send_changes`]): for each annotation changed
//!    between two lists of the open document, what differs from the known
//!    winners is written with a fresh clock value: the annotation's record
//!    if its fields changed (or its deletion), one record per link added or
//!    retyped, a deletion per link removed (all of them when the annotation
//!    is deleted). What the known winners already say is not written (it
//!    came from the team: nothing to echo).
//! 4. **Catching up** ([`Replica::reconcile`]), when a shared document is
//!    opened or sync starts: what this browser stored (its annotations and
//!    tombstones) and what the database holds are joined by the two-tab
//!    merge rule ([`crate::store::merge::merge`]: later `modified` wins, a deletion
//!    counts at its time, which for a shared deletion is its clock's wall
//!    time). Whatever the join holds that the database does not is written;
//!    what the join holds that the page does not is shown.
//! 5. **Documents** ([`Replica::share`]): a shared text is one `doc:{id}`
//!    record (text, title, details), written again when its details change.
//! 6. **Where a write goes in the revision tree**: every record written
//!    (an edit, a deletion, a closing tombstone) names its own revision and
//!    its parent (`_rev` and `_revisions`, written with `new_edits: false`,
//!    as replication writes): an edit's parent is the winner this replica
//!    knows, a closing tombstone's the leaf it closes. So an edit made
//!    before a newer revision reached the replica becomes a *sibling* of it,
//!    and rule 1 picks between them by clock, instead of silently replacing
//!    a revision it never saw. Revision ids are `{generation}-{32 hex}`: for
//!    an edit a hash of its clock value (unique: the replica id is in it),
//!    for a closing tombstone a hash of the leaf and the winner's clock, so
//!    two replicas closing the same leaf write the same revision.

use crate::model::links::Link;
use crate::model::Annotation;
use crate::store::library::DocMeta;
use crate::store::merge::{merge, DocRecord};
use crate::sync::docs::{document_to_couch, from_couch, rev_of, Changed, CouchError, CouchId, Remote};
use crate::sync::hlc::{Hlc, HlcError};
use crate::sync::resolve::{remote_order, resolve};
use serde_json::Value;
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What [`Replica::receive`] found in a batch.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Received {
    /// Closing tombstones to write (`_bulk_docs` with `new_edits: false`, rule 6), so conflicts do not pile up.
    pub writes: Vec<Value>,
    /// Changed winners of annotations: `(document id, annotation or None for deleted)`, by annotation id.
    pub annotations: BTreeMap<String, BTreeMap<String, Option<Annotation>>>,
    /// Changed live documents (texts and their library entries).
    pub documents: Vec<(DocMeta, String)>,
    /// Records this app did not write (skipped).
    pub foreign: usize,
    /// Records of this app that could not be read, for people.
    pub errors: Vec<String>,
}

/// What [`Replica::reconcile`] decided for one document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reconciled {
    /// Records to write: this browser's newer work.
    pub writes: Vec<Value>,
    /// The annotations to show, when they differ from this browser's.
    pub show: Option<Vec<Annotation>>,
}

/// A page's view of the shared database (rules 1–5).
#[derive(Clone, Debug)]
pub struct Replica {
    clock: Hlc,
    known: HashMap<CouchId, Remote>,
    /// The revision id of each known winner (rule 6).
    revs: HashMap<CouchId, String>,
    /// The targets of the live links from each annotation: `(doc, from)` → `to`s.
    links_from: HashMap<(String, String), BTreeSet<String>>,
}

impl Replica {
    /// A replica with the fresh id `replica` (see [`Hlc::start`]).
    pub fn new(replica: &str) -> Result<Replica, HlcError> {
        Ok(Replica { clock: Hlc::start(replica)?, known: HashMap::new(), revs: HashMap::new(), links_from: HashMap::new() })
    }

    /// The known winner of `id` (rule 1).
    pub fn winner(&self, id: &CouchId) -> Option<&Remote> {
        self.known.get(id)
    }

    /// Annotation `ann` of `doc` as shown (rule 1): `None` when it is
    /// deleted or not known.
    pub fn annotation(&self, doc: &str, ann: &str) -> Option<Annotation> {
        let id = CouchId::Annotation { doc: doc.to_string(), ann: ann.to_string() };
        let Some(Remote::Annotation { ann: a, .. }) = self.known.get(&id) else { return None };
        let mut a = a.clone();
        a.links = self.links_of(doc, ann).into_values().collect();
        Some(a)
    }

    /// The live links from annotation `from` of `doc`, in target order.
    fn links_of(&self, doc: &str, from: &str) -> BTreeMap<String, Link> {
        let Some(tos) = self.links_from.get(&(doc.to_string(), from.to_string())) else { return BTreeMap::new() };
        tos.iter()
            .filter_map(|to| {
                let id = CouchId::Link { doc: doc.to_string(), from: from.to_string(), to: to.clone() };
                match self.known.get(&id) {
                    Some(Remote::Link { link, .. }) => Some((to.clone(), link.clone())),
                    _ => None,
                }
            })
            .collect()
    }

    /// Records `remote` as the known winner of `id`, keeping the link index.
    fn set_known(&mut self, id: CouchId, remote: Remote) {
        if let CouchId::Link { doc, from, to } = &id {
            let key = (doc.clone(), from.clone());
            if remote.is_deleted() {
                if let Some(set) = self.links_from.get_mut(&key) {
                    set.remove(to);
                }
            } else {
                self.links_from.entry(key).or_default().insert(to.clone());
            }
        }
        self.known.insert(id, remote);
    }

    /// How many `_id`s are known.
    pub fn known_len(&self) -> usize {
        self.known.len()
    }

    /// The shared documents known live, with their texts.
    pub fn documents(&self) -> Vec<(&DocMeta, &str)> {
        let mut docs: Vec<_> = self
            .known
            .values()
            .filter_map(|r| match r {
                Remote::Document { meta, text, .. } => Some((meta, text.as_str())),
                _ => None,
            })
            .collect();
        crate::text::sorting::sort_by(&mut docs, |a, b| a.0.id.cmp(&b.0.id));
        docs
    }

    /// Rule 6 for this replica's own write of `id` at `hlc`: a child of the known winner.
    fn stamp(&mut self, id: &CouchId, body: &mut Value, hlc: &Hlc) {
        let parent = self.revs.get(id).cloned();
        let rev = set_revision(body, parent.as_deref(), &format!("{id}\n{hlc}"));
        self.revs.insert(id.clone(), rev);
    }

    fn tick(&mut self, now_ms: u64) -> Result<Hlc, HlcError> {
        self.clock = self.clock.tick(now_ms)?;
        Ok(self.clock.clone())
    }

    /// Rule 2: takes in a batch from the changes feed.
    pub fn receive(&mut self, batch: &[Changed], now_ms: u64) -> Received {
        let mut out = Received::default();
        // Annotations whose record or links changed winner: (doc, ann id).
        let mut touched: BTreeSet<(String, String)> = BTreeSet::new();
        for changed in batch {
            let mut revs: Vec<(String, Remote)> = Vec::with_capacity(changed.leaves.len());
            let mut foreign = false;
            for leaf in &changed.leaves {
                match from_couch(leaf) {
                    Ok(r) => revs.push((rev_of(leaf).unwrap_or_default().to_string(), r)),
                    Err(CouchError::Foreign { .. }) => foreign = true,
                    Err(e) => out.errors.push(e.to_string()),
                }
            }
            if foreign && revs.is_empty() {
                out.foreign += 1;
                continue;
            }
            for (_, r) in &revs {
                if let Ok(c) = self.clock.recv(r.hlc(), now_ms) {
                    self.clock = c;
                }
            }
            let Ok(resolution) = resolve(&revs) else { continue };
            let winner = resolution.winner;
            let id = winner.couch_id();
            let hlc = winner.hlc().to_string();
            for loser in &resolution.delete_revs {
                let mut body = serde_json::json!({ "_id": id.to_string(), "_deleted": true, "hlc": hlc });
                set_revision(&mut body, Some(loser), &format!("{loser}\n{hlc}"));
                out.writes.push(body);
            }
            // A known winner above the copy's (this page's write not stored
            // yet, or not yet passed on) stays: the copy's winner only rises.
            if self.known.get(&id).is_some_and(|k| remote_order(k, &winner).is_gt()) {
                continue;
            }
            self.revs.insert(id.clone(), resolution.winner_rev);
            if self.known.get(&id) == Some(&winner) {
                continue;
            }
            match &id {
                CouchId::Annotation { doc, ann } | CouchId::Link { doc, from: ann, .. } => {
                    touched.insert((doc.clone(), ann.clone()));
                }
                CouchId::Document { .. } => {}
            }
            if let Remote::Document { meta, text, .. } = &winner {
                out.documents.push((meta.clone(), text.clone()));
            }
            self.set_known(id, winner);
        }
        for (doc, ann) in touched {
            let id = CouchId::Annotation { doc: doc.clone(), ann: ann.clone() };
            if self.known.contains_key(&id) {
                let shown = self.annotation(&doc, &ann);
                out.annotations.entry(doc).or_default().insert(ann, shown);
            }
        }
        out
    }

    /// Writes record `id` as `remote` (an edit or a deletion at a fresh
    /// clock value), remembering it as known.
    fn put(&mut self, id: CouchId, remote: impl FnOnce(Hlc) -> Remote, now_ms: u64) -> Result<Value, String> {
        let hlc = self.tick(now_ms).map_err(|e| e.to_string())?;
        let remote = remote(hlc);
        let mut body = remote.to_couch();
        self.stamp(&id, &mut body, remote.hlc());
        self.set_known(id, remote);
        Ok(body)
    }

    /// Writes what differs between annotation `ann_id` as known and `now`
    /// (rule 3): its record, and one record per link added, retyped or removed.
    fn write(&mut self, doc: &str, ann_id: &str, now: Option<&Annotation>, now_ms: u64) -> Result<Vec<Value>, String> {
        let id = CouchId::annotation(doc, ann_id).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        let known = match self.known.get(&id) {
            Some(Remote::Annotation { ann, .. }) => Some(ann.clone()),
            _ => None,
        };
        let fields_differ = match (&known, now) {
            (Some(k), Some(a)) => !Annotation { links: Vec::new(), ..a.clone() }.same_content(k),
            (None, None) => false,
            _ => true,
        };
        if fields_differ {
            let (d, a) = (doc.to_string(), now.map(|a| Annotation { links: Vec::new(), ..a.clone() }));
            let deleted = id.clone();
            out.push(self.put(
                id.clone(),
                move |hlc| match a {
                    Some(ann) => Remote::Annotation { doc: d, ann, hlc },
                    None => Remote::Deleted { id: deleted, hlc },
                },
                now_ms,
            )?);
        }
        let had = self.links_of(doc, ann_id);
        let want: BTreeMap<String, Link> = now.map(|a| a.links.iter().map(|l| (l.to.clone(), l.clone())).collect()).unwrap_or_default();
        for (to, link) in &want {
            if had.get(to) != Some(link) {
                let lid = CouchId::link(doc, ann_id, to).map_err(|e| e.to_string())?;
                let (d, f, l) = (doc.to_string(), ann_id.to_string(), link.clone());
                out.push(self.put(lid, move |hlc| Remote::Link { doc: d, from: f, link: l, hlc }, now_ms)?);
            }
        }
        for to in had.keys().filter(|to| !want.contains_key(*to)) {
            let lid = CouchId::link(doc, ann_id, to).map_err(|e| e.to_string())?;
            let gone = lid.clone();
            out.push(self.put(lid, move |hlc| Remote::Deleted { id: gone, hlc }, now_ms)?);
        }
        Ok(out)
    }

    /// Rule 3: the records to write for the changes from `before` to `after`
    /// (the open document `doc`'s annotations), and the errors of those that
    /// cannot be shared.
    pub fn send_changes<A: Borrow<Annotation>, B: Borrow<Annotation>>(
        &mut self,
        doc: &str,
        before: &[A],
        after: &[B],
        now_ms: u64,
    ) -> (Vec<Value>, Vec<String>) {
        let (mut writes, mut errors) = (Vec::new(), Vec::new());
        for change in crate::history::diff(before, after) {
            let Some(ann_id) = change.id().map(str::to_string) else { continue };
            match self.write(doc, &ann_id, change.after.as_ref(), now_ms) {
                Ok(w) => writes.extend(w),
                Err(e) => errors.push(e),
            }
        }
        (writes, errors)
    }

    /// The shared state of document `doc` as a record: live winners, and
    /// deletions at their clock's wall time.
    pub fn record_of(&self, doc: &str) -> DocRecord {
        let mut annotations = Vec::new();
        let mut deleted = BTreeMap::new();
        for r in self.known.values() {
            match r {
                Remote::Annotation { doc: d, ann, .. } if d == doc => annotations.extend(self.annotation(doc, &ann.id)),
                Remote::Deleted { id: CouchId::Annotation { doc: d, ann }, hlc } if d == doc => {
                    deleted.insert(ann.clone(), iso_from_ms(hlc.wall_ms()));
                }
                _ => {}
            }
        }
        let mut record = DocRecord::new(annotations);
        record.deleted = deleted;
        record
    }

    /// Rule 4: joins this browser's record of `doc` with the shared one.
    pub fn reconcile(&mut self, doc: &str, local: &DocRecord, now_ms: u64) -> (Reconciled, Vec<String>) {
        let shared = self.record_of(doc);
        let joined = merge(local, &shared);
        let mut out = Reconciled::default();
        let mut errors = Vec::new();
        let live: HashMap<&str, &Annotation> = joined.annotations.iter().map(|a| (a.id.as_str(), a)).collect();
        let mut ids: Vec<&str> = live.keys().copied().collect();
        ids.extend(joined.deleted.keys().map(String::as_str).filter(|id| !live.contains_key(id)));
        crate::text::sorting::sort(&mut ids);
        let shared_live: HashSet<&str> = shared.annotations.iter().map(|a| a.id.as_str()).collect();
        for ann_id in ids {
            // A deletion only the local side knows, of an annotation never shared, needs no record.
            let now = live.get(ann_id).copied();
            if now.is_none() && !shared_live.contains(ann_id) {
                continue;
            }
            match self.write(doc, ann_id, now, now_ms) {
                Ok(w) => out.writes.extend(w),
                Err(e) => errors.push(e),
            }
        }
        let same = joined.annotations.len() == local.annotations.len()
            && joined.annotations.iter().zip(&local.annotations).all(|(a, b)| a.id == b.id && a.same_content(b));
        if !same {
            out.show = Some(joined.annotations);
        }
        (out, errors)
    }

    /// Rule 5: the record of a shared text, written at a fresh clock value.
    pub fn share(&mut self, meta: &DocMeta, text: &str, now_ms: u64) -> Result<Option<Value>, String> {
        let id = CouchId::document(&meta.id).map_err(|e| e.to_string())?;
        if let Some(Remote::Document { meta: m, text: t, .. }) = self.known.get(&id) {
            if t == text && m.title == meta.title && m.details == meta.details {
                return Ok(None);
            }
        }
        let hlc = self.tick(now_ms).map_err(|e| e.to_string())?;
        let mut body = document_to_couch(meta, text, &hlc).map_err(|e| e.to_string())?;
        self.stamp(&id, &mut body, &hlc);
        self.known.insert(id, Remote::Document { meta: meta.clone(), text: text.to_string(), hlc });
        Ok(Some(body))
    }
}

/// Sets `_rev` and `_revisions` of `body`: a new revision, child of
/// `parent` (none: a new tree), whose hash is made from `seed` (rule 6).
/// Returns the new revision id.
fn set_revision(body: &mut Value, parent: Option<&str>, seed: &str) -> String {
    let fnv = |basis: u64| seed.bytes().fold(basis, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    let hash = format!("{:016x}{:016x}", fnv(0xcbf2_9ce4_8422_2325), fnv(0x6c62_272e_07bb_0142));
    let parent = parent.and_then(|p| p.split_once('-')).and_then(|(n, h)| Some((n.parse::<u64>().ok()?, h.to_string())));
    let generation = parent.as_ref().map_or(1, |(n, _)| n + 1);
    let mut ids = vec![Value::String(hash.clone())];
    ids.extend(parent.map(|(_, h)| Value::String(h)));
    let rev = format!("{generation}-{hash}");
    if let Some(obj) = body.as_object_mut() {
        obj.insert("_rev".into(), Value::String(rev.clone()));
        obj.insert("_revisions".into(), serde_json::json!({ "start": generation, "ids": ids }));
    }
    rev
}

/// Milliseconds since 1970 as an RFC 3339 UTC timestamp with milliseconds.
pub fn iso_from_ms(ms: u64) -> String {
    let (secs, milli) = (ms / 1000, ms % 1000);
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{milli:03}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::iso_from_ms;
    use crate::text::time::parse_timestamp;

    #[test]
    fn iso_from_ms_round_trips() {
        assert_eq!(iso_from_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_from_ms(1_714_557_600_123), "2024-05-01T10:00:00.123Z");
        assert_eq!(iso_from_ms(951_782_400_000), "2000-02-29T00:00:00.000Z");
        for ms in [1u64, 86_399_999, 4_102_444_800_000, 1_709_164_800_000] {
            let (s, n) = parse_timestamp(&iso_from_ms(ms)).unwrap();
            assert_eq!(s as u64 * 1000 + u64::from(n / 1_000_000), ms);
        }
    }
}
