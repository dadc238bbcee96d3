//! The storage policy: what the app keeps in local storage, under which
//! keys, and the rules that let several tabs of one document write without
//! erasing each other's work. Everything here runs against a [`kv::Kv`]
//! (local storage in the app, [`kv::MemKv`] in tests); time and tab ids come
//! in as parameters.
//!
//! # Storage schema, version [`SCHEMA_VERSION`](crate::store::library::SCHEMA_VERSION) (2)
//!
//! Every key this app writes starts with [`keys::PREFIX`] `text-annotator.`.
//!
//! | key | value | writers |
//! |-----|-------|---------|
//! | [`keys::LIBRARY_KEY`] `text-annotator.v2.library` | the [`Library`](crate::store::library::Library) as JSON | any tab, read-modify-write ([`boot::update_library`]) |
//! | `text-annotator.v2.doc.<id>` ([`keys::doc_key`]) | the **base** annotation record: a native annotation file **without** the text, plus `deleted` tombstones and a `rev` counter ([`DocRecord::to_json`](crate::store::merge::DocRecord::to_json)) | only a compaction (contract step 3) or a backup restore ([`whole::write_whole_record`]), always whole |
//! | `text-annotator.v2.delta.<id>.<tab>` ([`keys::journal_key`]) | one tab's **journal**: the same JSON holding only the annotations that tab changed and the tombstones it made since its last compaction, plus `"tab"` and `"written"` (RFC 3339) ([`records::journal_to_json`]) | only tab `<tab>` |
//! | `text-annotator.v2.delta.<id>` ([`keys::delta_key`]) | the **legacy** journal shared by all tabs, written by the previous version | nobody now: read, and removed by a compaction that included it |
//! | `text-annotator.v2.text.<id>` ([`keys::text_key`]) | the raw text when at most [`keys::MAX_LOCAL_TEXT_UTF16`] UTF-16 units (larger texts live in IndexedDB; the sample article is never stored) | the app |
//! | `text-annotator.v2.history.<id>` ([`keys::history_key`]) | the undo history ([`extras::save_history`]) | the app |
//! | `text-annotator.v2.orphans.<id>` ([`keys::orphans_key`]) | orphaned annotations ([`extras::save_orphans`]) | the app |
//! | `text-annotator.backup.<ms>.<original key>` ([`keys::backup_key`]) | a raw value that could not be read, unchanged ([`backup::back_up`]) | whoever met it |
//!
//! Every write and removal of these keys is also made, in the same order, in
//! the **crash-safe copy** (IndexedDB, store `kv`, same keys): local storage
//! reaches the disk seconds after a write, the copy's transaction is durable
//! when it completes, and the app says "Saved" only then. Start-up writes
//! back what a crash lost ([`durable::reconcile`]).
//!
//! `<id>` is [`doc_id_for`](crate::model::doc_id_for) of the text (16 hex
//! digits); `<tab>` is `[0-9a-z]`, at most 32 characters, made by the app
//! **for each page load** (not kept in `sessionStorage`, which a duplicated
//! tab copies).
//!
//! A document's annotations are the [`merge`](crate::store::merge::merge) of its
//! base and all its journals (every tab's and the legacy one). Merge is a
//! CRDT join (commutative, associative, idempotent), so readers may merge
//! in any order and any number of times.
//!
//! Version 1 (`text-annotator.v1.doc.<id>`, read only) is migrated by
//! [`boot::boot`] when no library is stored ([`boot::migrate_v1`]); v1
//! backups `text-annotator.v1.doc.<id>.backup-<ms>` are left alone.
//!
//! # The contract for one document (what [`records::DocStore`] does)
//!
//! 1. **Load** reads every journal of the document, then the base, and
//!    merges the readable ones into `known`. An unreadable value is copied
//!    to a backup key and reported; it is never merged and never
//!    overwritten (an unreadable base makes the next save compact, after
//!    the backup; an unreadable journal stays where it is).
//! 2. **Save** of an edit: `delta = known.edit_delta(current, now)`; the
//!    tab's own journal absorbs it and is written with one `setItem` of a
//!    complete value stamped `"written": now`. Only this tab writes its key.
//! 3. **Compaction**, when the own journal would pass
//!    [`records::JOURNAL_MAX_ENTRIES`] (256) entries or the base was
//!    unreadable: re-read every journal, **then** the base, fresh from the
//!    store; merge all of them with `known` and the delta; write the base
//!    whole (after backing up an unreadable one; if that backup fails the
//!    base is left alone and the delta goes to the journal instead).
//! 4. After the base was written, remove the own journal, the legacy
//!    journal, and each foreign journal that was included in this merge
//!    **and** whose `written` stamp is more than
//!    [`records::STALE_JOURNAL_SECS`] (1 hour) before `now` — never a
//!    recently written foreign journal, nor one without a stamp. A journal
//!    is removed only if it still holds exactly the value that was merged.
//! 5. A failed write (quota) leaves the previous values readable and
//!    `known`/`own` unchanged, so the next save writes the same change again.
//! 6. **Foreign writes** (the `storage` event): another tab's journal, the
//!    legacy journal or the base of this document is parsed and merged into
//!    `known`. The removal of this tab's own journal by someone else is
//!    signalled ([`records::Foreign::OwnJournalRemoved`]) and the app
//!    rewrites it at once ([`records::DocStore::rewrite_own`]).
//!
//! Why no write erases a change its writer has not seen: a journal has one
//! writer, which only ever adds to what it wrote before (or, after a
//! compaction, starts again from a base that holds it); the base is only
//! written with everything its writer could see, journals read before the
//! base, so a journal removed by another compaction is in the base read
//! after it; and a foreign journal is removed only when it is in the base
//! just written and its tab has not written it for an hour. A tab that
//! saves after that simply writes its journal again (it keeps its content
//! in memory until its own compaction).
//!
//! **Overlapping compactions**: local storage has no compare-and-set, so
//! two compactions of one document whose read-then-write windows (a few
//! milliseconds each) overlap leave the base of the later writer. Nothing is
//! lost by that: a compacting tab cuts its own journal down to the change of
//! that save instead of removing it (unless the change is large, an import
//! of more than [`records::KEEP_AFTER_COMPACTION`] entries, which is not
//! stored twice), so the one change that went only into the base also stays
//! under a key with one writer, and every earlier entry
//! of its journal was visible to the other tab's read. What remains is a
//! window that spans two saves of one tab inside the other tab's compaction.

pub mod backup;
pub mod boot;
pub mod bundle;
pub mod durable;
pub mod error;
pub mod extras;
pub mod keys;
pub mod kv;
pub mod library;
pub mod merge;
pub mod records;
pub mod whole;

pub use backup::back_up;
pub use boot::{boot, save_library, update_library, Boot};
pub use kv::{Kv, MemKv};
pub use records::{DocStore, Foreign, LoadedDoc, Problem, Saved};
