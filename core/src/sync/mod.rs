//! Team sync through Apache CouchDB (PouchDB in the browser): the pure part.
//!
//! CouchDB replicates every replica's revisions and keeps concurrent ones
//! as conflicting leaves, showing one by its own rule (a live revision
//! before a deleted one, then the longer history) — not ours. This module
//! decides with the rule of the two-tab merge ([`crate::store::merge`]) instead,
//! per CouchDB document, with a hybrid logical clock in place of wall-clock
//! `modified` times:
//!
//! * [`hlc`]: the clock. Every edit and every deletion is stamped with a
//!   fresh [`Hlc`] ([`Hlc::tick`]); every revision received advances the
//!   clock past its stamp ([`Hlc::recv`]), so an edit made after seeing a
//!   revision is later than it, whatever the machines' clocks say.
//! * [`docs`]: one annotation is one CouchDB document `ann:{doc}:{ann}`, one
//!   link `link:{doc}:{n}:{from}:{to}`, one text `doc:{doc}`; a deletion is a
//!   `_deleted` revision that keeps its `hlc` ([`to_couch`],
//!   [`link_to_couch`], [`tombstone`], [`from_couch`]).
//! * [`resolve`](mod@resolve): among one document's leaf revisions the highest `hlc`
//!   wins, edit or deletion; the live losers are closed with tombstones
//!   so CouchDB shows our winner and conflicts do not pile up.
//!
//! # The replica's side, step by step
//!
//! 1. Start: a replica is one running page (tab), with a fresh random id
//!    of `[0-9a-z]` each time it starts — two tabs sharing an id could stamp
//!    two events alike — and `clock = Hlc::start(id)`.
//! 2. Local edit or deletion of a document whose leaves the clock has
//!    received (step 3): `clock = clock.tick(now)`; write
//!    `to_couch(doc, &ann, &clock)` (or `tombstone`) with the `_rev` of the
//!    revision CouchDB shows. So the edit is later than every version it
//!    could have seen.
//! 3. A document changed (changes feed with `style=all_docs`, which lists
//!    every leaf): read its leaves (`open_revs=all`), `clock =
//!    clock.recv(leaf.hlc(), now)` for each, and when there is more than
//!    one, [`resolve`](resolve::resolve) them, show the winner and
//!    `_bulk_docs` the resolution's `writes` (often none). Reading only the
//!    revision CouchDB shows is not enough: after a deletion it may show an
//!    older deleted leaf, and an edit stamped below the deletion would lose to it.
//! 4. Skip (and count) what [`from_couch`] calls foreign.
//!
//! [`replica`] does these steps for a page, [`connect`] checks a server, a
//! person and a database before anything is stored, and [`session`] is a
//! page's whole team sync as a state machine (events in, commands out):
//! connecting, runs of replication, catching up the open document, sending
//! its changes, taking in batches and shared documents.
//!
//! # Compared with the two-tab merge
//!
//! The surviving annotations are those of [`crate::store::merge::merge`] when each
//! `modified` and deletion time is in the order of the `hlc`s (the property tests replay random
//! histories both ways). The differences, and why:
//!
//! * **Time**: the `hlc`, not `modified`, decides. `modified` stays the
//!   wall time shown to people; clocks of different machines disagree, an
//!   `hlc` orders an edit after everything its replica had seen.
//! * **Ties**: two real events never share an `hlc` (a replica's clock only
//!   grows and the replica id is part of it), so merge's "a deletion wins a
//!   tie" never applies to them; here a live version beats a deletion at
//!   the same `hlc`, because a closing tombstone carries its winner's `hlc`
//!   and must not beat it.
//! * **No forgetting**: CouchDB keeps every deleted revision, so there is no
//!   bound like [`crate::store::merge::MAX_TOMBSTONES`].
//! * **Per document**: each annotation is resolved on its own; there is no
//!   record-wide `rev` counter (CouchDB's `_rev` does that job).

pub mod connect;
pub mod docs;
pub mod hlc;
pub mod replica;
pub mod resolve;
pub mod session;

pub use docs::{
    deletion, document_to_couch, from_couch, link_to_couch, parse_batch, rev_of, to_couch, tombstone, BatchError, Changed, CouchError,
    CouchId, Remote,
};
pub use hlc::{Hlc, HlcError};
pub use replica::{Received, Reconciled, Replica};
pub use resolve::{resolve, Resolution, ResolveError};
