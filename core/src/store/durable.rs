//! The crash-safe copy of local storage, and what start-up does with it.
//!
//! Browsers commit local storage to disk in batches, seconds after a write
//! (Chromium), or when it suits them: a crash, a power cut or a phone
//! killing the browser loses the last seconds of writes. So every value the
//! app writes to local storage (and every removal) is also written to
//! IndexedDB, store `kv` of database `text-annotator`, under the same key; the
//! app says "Saved" only once the IndexedDB transaction holding the change
//! has completed (with `durability: "strict"`). Local storage stays the
//! store every tab reads and writes synchronously (and the channel of the
//! `storage` event between tabs); the copy is read once per start-up.
//!
//! # What start-up does ([`reconcile`])
//!
//! After a crash the copy can be ahead of local storage; after a page closed
//! while a copy was being written, or while another tab is writing, it can
//! be behind. Neither side is trusted to be newer, so for each key of the
//! copy whose value differs from local storage's:
//!
//! 1. **absent from local storage**: the copy's value is written back
//!    (a crash lost it). A journal or record removed by a compaction whose
//!    removal had not reached the copy comes back too; its content is in the
//!    base already, so merging it again changes nothing, and the next
//!    compaction removes it.
//! 2. **a record or journal** (base, legacy journal, a tab's journal): both
//!    are parsed and merged ([`merge::merge`], a join: nothing a side holds
//!    is lost, and merging a value already included changes nothing); local
//!    storage gets the merge when the copy added anything. A side that cannot
//!    be read is left to the loader (which backs it up, never overwrites it).
//! 3. **the list of documents**: documents the copy lists and local storage
//!    does not are added (a document added before a crash is listed again;
//!    one deleted in a tab while another tab wrote the list may come back,
//!    which loses nothing).
//! 4. **anything else** (texts, which are named by their content; undo
//!    histories; orphans; backups): local storage's value stays.
//!
//! Keys of local storage the copy lacks are left alone: data saved before
//! this version (or before the copy existed) is read from local storage as
//! always, and is copied when next written.

use super::error::StoreError;
use super::keys::{classify_key, StorageKey, LIBRARY_KEY};
use super::kv::Kv;
use super::library::Library;
use super::merge::{self, RecordHeader};
use super::records::{journal_to_json, journal_written};
use serde::Deserialize;

/// What [`reconcile`] decided.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reconciled {
    /// `(key, value)` to write to local storage, in order.
    pub writes: Vec<(String, String)>,
    /// Documents listed again from the copy (their titles), for the person.
    pub relisted: Vec<String>,
}

/// The `"tab"` field of a journal value, if any.
fn journal_tab(raw: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Tab {
        tab: Option<String>,
    }
    serde_json::from_str::<Tab>(raw).ok().and_then(|t| t.tab)
}

/// The merge of two values of record or journal `key` of document `doc`,
/// when `durable` adds anything to `local`; `None` when it does not or either
/// cannot be read.
fn merged_record(key: &str, doc: &str, local: &str, durable: &str) -> Option<String> {
    let l = merge::parse_record(local.as_bytes(), Some(doc), None).ok()?;
    let d = merge::parse_record(durable.as_bytes(), Some(doc), None).ok()?;
    let m = merge::merge(&l.record, &d.record);
    if m.annotations == l.record.annotations && m.deleted == l.record.deleted {
        return None;
    }
    let h = &l.header;
    let header = RecordHeader {
        id: doc,
        title: h.title.as_deref().unwrap_or(""),
        name: h.name.as_deref().unwrap_or(""),
        length: h.length.or(d.header.length).unwrap_or(0),
    };
    match classify_key(key) {
        StorageKey::Journal { tab, .. } => {
            let tab = journal_tab(local).unwrap_or(tab);
            let written = journal_written(local).or_else(|| journal_written(durable)).unwrap_or_default();
            journal_to_json(&m, header, &tab, &written).ok()
        }
        _ => Some(m.to_json(header)),
    }
}

/// The union of two lists of documents: `local` plus every document of
/// `durable` it lacks; `None` when it lacks none or either cannot be read.
fn merged_library(local: &str, durable: &str, relisted: &mut Vec<String>) -> Option<String> {
    let mut l = Library::from_json(local.as_bytes()).ok()?;
    let d = Library::from_json(durable.as_bytes()).ok()?;
    let mut added = false;
    for meta in d.docs {
        if !l.contains(&meta.id) {
            let title = meta.title.clone();
            if l.add(meta).is_ok() {
                relisted.push(title);
                added = true;
            }
        }
    }
    added.then(|| l.to_json())
}

/// Compares the crash-safe copy `durable` (every `(key, value)` it holds)
/// with local storage `local` and returns what to write back, following the
/// rules of the module documentation. Only reads `local`; a failed read is
/// an error and nothing should be written.
pub fn reconcile(local: &dyn Kv, durable: &[(String, String)]) -> Result<Reconciled, StoreError> {
    let mut out = Reconciled::default();
    for (key, value) in durable {
        let kind = classify_key(key);
        if kind == StorageKey::Other {
            continue;
        }
        let here = local.get(key)?;
        let write = match (here, &kind) {
            (Some(l), _) if &l == value => None,
            (None, StorageKey::Library) => {
                // Local storage lost the list itself: take the copy's.
                Library::from_json(value.as_bytes()).ok().map(|lib| {
                    out.relisted.extend(lib.docs.iter().filter(|m| !m.seed).map(|m| m.title.clone()));
                    value.clone()
                })
            }
            (None, _) => Some(value.clone()),
            (Some(l), StorageKey::Doc(doc) | StorageKey::Delta(doc) | StorageKey::Journal { doc, .. }) => {
                merged_record(key, doc, &l, value)
            }
            (Some(l), StorageKey::Library) => merged_library(&l, value, &mut out.relisted),
            (Some(_), _) => None,
        };
        if let Some(v) = write {
            out.writes.push((key.clone(), v));
        }
    }
    // The list last, after the documents it names.
    if let Some(i) = out.writes.iter().position(|(k, _)| k == LIBRARY_KEY) {
        let lib = out.writes.remove(i);
        out.writes.push(lib);
    }
    Ok(out)
}
