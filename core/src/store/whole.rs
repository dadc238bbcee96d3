//! A document's stored annotations as a whole: the read-only merged view
//! (export all), restoring a backup, and removing a deleted document.

use super::backup::find_backup;
use super::error::StoreError;
use super::keys::{delta_key, doc_key, history_key, orphans_key, text_key};
use super::kv::Kv;
use super::records::{journal_keys, parse};
use crate::store::library::DocMeta;
use crate::store::merge::{self, DocRecord};
use crate::text::text_index::TextIndex;

/// The merged view of document `doc_id` (base and every journal), read
/// only, checked against `index` ("export all"). Unreadable parts are
/// skipped; when nothing is readable and something is not, the first reason.
pub fn load_record(kv: &dyn Kv, doc_id: &str, index: &TextIndex) -> Result<Option<DocRecord>, StoreError> {
    let mut keys = journal_keys(kv, doc_id)?;
    keys.push(doc_key(doc_id));
    let mut out: Option<DocRecord> = None;
    let mut first_problem = None;
    for k in keys {
        if let Some(raw) = kv.get(&k)? {
            match parse(&raw, doc_id, Some(index)) {
                Ok(r) => match &mut out {
                    Some(o) => *o = merge::merge(o, &r),
                    None => out = Some(r),
                },
                Err(reason) => {
                    first_problem.get_or_insert(StoreError::Unreadable { key: k, reason });
                }
            }
        }
    }
    match (out, first_problem) {
        (None, Some(e)) => Err(e),
        (out, _) => Ok(out),
    }
}

/// Restores a backup: the base of `meta.id` becomes the merge of the stored
/// view (base and every readable journal) with `record`; journals are left
/// in place. An unreadable stored base is replaced only if a backup of it
/// exists (opening the document makes one); otherwise `Err`, nothing written.
pub fn write_whole_record(kv: &mut dyn Kv, meta: &DocMeta, record: &DocRecord) -> Result<(), StoreError> {
    let dk = doc_key(&meta.id);
    let mut out = record.clone();
    let mut top_rev = record.rev;
    for k in journal_keys(kv, &meta.id)? {
        if let Some(raw) = kv.get(&k)? {
            if let Ok(r) = parse(&raw, &meta.id, None) {
                out = merge::merge(&out, &r);
            }
        }
    }
    if let Some(raw) = kv.get(&dk)? {
        match parse(&raw, &meta.id, None) {
            Ok(base) => {
                top_rev = top_rev.max(base.rev);
                out = merge::merge(&base, &out);
            }
            Err(reason) => {
                if find_backup(kv, &dk, &raw)?.is_none() {
                    // Opening the document backs it up; until then it must not be replaced.
                    return Err(StoreError::Unreadable { key: dk, reason });
                }
            }
        }
    }
    out.rev = top_rev.max(out.rev) + 1;
    kv.set(&dk, &out.to_json(meta))
}

/// Removes everything local storage holds for document `doc_id`: base,
/// every journal (all tabs and the legacy one), text, history and orphans.
/// Tries every removal and returns the first error. (IndexedDB is the app's.)
pub fn delete_document(kv: &mut dyn Kv, doc_id: &str) -> Result<(), StoreError> {
    let mut keys = vec![doc_key(doc_id), delta_key(doc_id)];
    let mut first_err = None;
    match journal_keys(kv, doc_id) {
        Ok(j) => keys.extend(j.into_iter().filter(|k| *k != delta_key(doc_id))),
        Err(e) => first_err = Some(e),
    }
    keys.extend([text_key(doc_id), history_key(doc_id), orphans_key(doc_id)]);
    for k in keys {
        if let Err(e) = kv.remove(&k) {
            first_err.get_or_insert(e);
        }
    }
    first_err.map_or(Ok(()), Err)
}
