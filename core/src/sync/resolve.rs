//! Our winner among the revisions CouchDB keeps for one document, and what
//! to write so CouchDB shows it and its conflicts do not pile up.
//!
//! # The rule
//!
//! The input is every **leaf** revision of one `_id` (CouchDB's winner, its
//! `_conflicts` and its `_deleted_conflicts`, e.g. from `GET
//! /db/{id}?open_revs=all`), each `(rev, Remote)` read by
//! [`from_couch`](crate::sync::docs::from_couch).
//!
//! 1. **Winner**: the greatest revision by [`remote_order`] — the highest
//!    `hlc`, whether edit or deletion (a later deletion beats an earlier
//!    edit, a later edit revives); at the same `hlc` a live version beats a
//!    deletion, then content decides, then [`rev_order`]. Every replica
//!    holding the same revisions picks the same one, in any input order.
//! 2. **Closing**: every *live* revision other than the winner is deleted:
//!    a tombstone `{"_id", "_rev": loser, "_deleted": true, "hlc": <the
//!    winner's hlc>}` on top of it (CouchDB's way of resolving a conflict).
//!    Deleted leaves are left alone (CouchDB does not count them as conflicts).
//! 3. **Nothing else is written.** Once the losers are closed the winner is
//!    the only live leaf, so CouchDB's own choice (a live leaf before a
//!    deleted one) shows it; a deletion winner leaves no live leaf, so the
//!    document reads as deleted (which deleted leaf CouchDB shows is its
//!    choice, possibly an older deletion: a replica learns the deletion's
//!    `hlc` by reading all leaves). Writing the winner's body again on top of
//!    CouchDB's winner would only add a revision of the same event — and
//!    replicas resolving the same conflict at once would each add one, a new
//!    conflict of identical bodies.
//! 4. **Idempotent**: resolving the revisions left after the writes (the
//!    winner, the closing tombstones, the old deleted leaves) picks an equal
//!    winner and writes nothing. Closing tombstones never beat the version
//!    they made room for (rule 1: live first at the same `hlc`), and a
//!    replica closes only revisions below its own winner, so replicas
//!    resolving different subsets concurrently never close the overall winner.
//! 5. The same revision given twice counts once; revisions of different
//!    `_id`s, or none, are refused ([`ResolveError`]).

use crate::store::merge::version_cmp;
use crate::sync::docs::{CouchId, Remote};
use serde_json::Value;
use std::cmp::Ordering;
use std::fmt;

/// What [`resolve`] decided for one `_id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// The winning revision's `rev` (one of the input revisions).
    pub winner_rev: String,
    /// The winner: the annotation (or document) to show, or its deletion.
    pub winner: Remote,
    /// The live losing revisions, in [`rev_order`]; each gets a closing tombstone.
    pub delete_revs: Vec<String>,
    /// The closing tombstones for `POST /db/_bulk_docs`, one per
    /// `delete_revs` entry, in the same order (rule 2). Empty: nothing to write.
    pub writes: Vec<Value>,
}

/// Why revisions could not be resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResolveError {
    /// No revisions were given.
    NoRevisions,
    /// The revisions belong to two different `_id`s.
    MixedIds { first: String, other: String },
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::NoRevisions => write!(f, "There is no version of this shared record to choose from."),
            ResolveError::MixedIds { first, other } => {
                write!(f, "Versions of two different shared records (“{first}” and “{other}”) cannot be resolved together.")
            }
        }
    }
}

impl std::error::Error for ResolveError {}

/// CouchDB's order of revision ids `N-hash`: by the number `N`, then the
/// hash as a string. An id without a number sorts before those with one.
pub fn rev_order(a: &str, b: &str) -> Ordering {
    let split = |r: &str| {
        let (n, hash) = r.split_once('-').unwrap_or(("", r));
        (n.parse::<u64>().ok(), hash.to_string())
    };
    split(a).cmp(&split(b)).then_with(|| a.cmp(b))
}

/// The order of rule 1 between two revisions of the same `_id` (`rev` left
/// out): `hlc`, then live before deleted, then content.
pub fn remote_order(a: &Remote, b: &Remote) -> Ordering {
    a.hlc().cmp(b.hlc()).then_with(|| b.is_deleted().cmp(&a.is_deleted())).then_with(|| match (a, b) {
        (Remote::Annotation { ann: x, .. }, Remote::Annotation { ann: y, .. }) => version_cmp(x, y),
        (Remote::Link { link: x, .. }, Remote::Link { link: y, .. }) => x.kind.cmp(&y.kind),
        (Remote::Document { meta: m, text: t, .. }, Remote::Document { meta: n, text: u, .. }) => {
            t.cmp(u).then_with(|| m.to_value().to_string().cmp(&n.to_value().to_string()))
        }
        _ => a.couch_id().cmp(&b.couch_id()),
    })
}

/// Which of CouchDB's leaves CouchDB itself shows: a live one before a
/// deleted one, then the greatest by [`rev_order`]. `None` for no leaves.
pub fn couch_winner(revs: &[(String, Remote)]) -> Option<usize> {
    (0..revs.len()).max_by(|&i, &j| {
        let (a, b) = (&revs[i], &revs[j]);
        (!a.1.is_deleted()).cmp(&!b.1.is_deleted()).then_with(|| rev_order(&a.0, &b.0))
    })
}

/// Picks our winner among the leaf revisions of one `_id` and says what to
/// write (rules 1–5 of the module documentation). Pure: same revisions,
/// same resolution, in any order.
pub fn resolve(revs: &[(String, Remote)]) -> Result<Resolution, ResolveError> {
    let first = revs.first().ok_or(ResolveError::NoRevisions)?;
    let id: CouchId = first.1.couch_id();
    if let Some((_, r)) = revs.iter().find(|(_, r)| r.couch_id() != id) {
        return Err(ResolveError::MixedIds { first: id.to_string(), other: r.couch_id().to_string() });
    }
    let whole = |a: &(String, Remote), b: &(String, Remote)| remote_order(&a.1, &b.1).then_with(|| rev_order(&a.0, &b.0));
    let mut best = first;
    for r in &revs[1..] {
        if whole(r, best).is_gt() {
            best = r;
        }
    }
    let (winner_rev, winner) = best.clone();
    let mut delete_revs: Vec<String> =
        revs.iter().filter(|(rev, r)| !r.is_deleted() && *rev != winner_rev).map(|(rev, _)| rev.clone()).collect();
    crate::text::sorting::sort_by(&mut delete_revs, |a, b| rev_order(a, b));
    delete_revs.dedup();
    let hlc = winner.hlc().to_string();
    let writes =
        delete_revs.iter().map(|rev| serde_json::json!({ "_id": id.to_string(), "_rev": rev, "_deleted": true, "hlc": hlc })).collect();
    Ok(Resolution { winner_rev, winner, delete_revs, writes })
}
