//! The whole-library backup ("Export all"): one JSON file with every
//! document, its text and its annotations.
//!
//! ```json
//! { "format": "text-annotator/bundle", "version": 1,
//!   "documents": [ { "meta": { "id", "title", "name", "length", "counts", "modified", "created", "seed" },
//!                    "text": "…",
//!                    "annotations": [ { "id", "start", "end", "quote", "label", "note", "created", "modified" } ],
//!                    "deleted": [ { "id", "at" } ] } ] }
//! ```
//! Offsets are code points, end exclusive, into that document's `text`.
//! Importing validates the whole bundle before anything is returned, so a
//! bad bundle changes nothing; restoring it into the library merges by
//! document id ([`merge_into`], with [`merge::merge`] on the annotations),
//! so importing the same bundle twice duplicates nothing.

use crate::formats::annotation_json::{parse_annotations, strict_label, Annotations, Check};
use crate::formats::json_fields::{field, get_str, ImportError};
use crate::formats::native::OFFSET_UNIT;
use crate::formats::textfile::MAX_TEXT_BYTES;
use crate::model::{doc_id_for, shorten};
use crate::store::library::{counts_of, DocMeta, MAX_DOCUMENTS};
use crate::store::merge::{self, DocRecord};
use crate::text::text_index::TextIndex;
use serde_json::Value;
use std::collections::HashMap;

/// The `format` field of a bundle.
pub const FORMAT: &str = "text-annotator/bundle";
/// The only bundle version this build reads and writes.
pub const VERSION: u64 = 1;
/// Largest bundle accepted: 100 MiB (two of the largest texts, or many
/// articles; the parsed JSON needs a few times that in memory).
pub const MAX_BUNDLE_BYTES: usize = 100 * 1024 * 1024;

/// One valid document of a bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleDoc {
    /// Its metadata; `len_cp` and `counts` recomputed from the text and annotations.
    pub meta: DocMeta,
    /// The text, exactly as in the bundle.
    pub text: String,
    /// Its annotations (validated against `text`) and tombstones; `rev` 0.
    pub record: DocRecord,
    /// Whether the id was among `existing_ids` (then it is merged, not added).
    pub exists: bool,
}

/// Serialises `docs` (metadata, text, record) as a bundle (pretty JSON).
/// `rev` is not exported: it only counts local writes.
pub fn export(docs: &[(DocMeta, &str, DocRecord)]) -> String {
    // Keys in alphabetical order, as earlier versions wrote them.
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        annotations: Annotations<'a>,
        deleted: Vec<merge::Tombstone<'a>>,
        meta: Value,
        text: &'a str,
    }
    #[derive(serde::Serialize)]
    struct Bundle<'a> {
        documents: Vec<Doc<'a>>,
        format: &'static str,
        offset_unit: &'static str,
        version: u64,
    }
    let documents = docs
        .iter()
        .map(|(meta, text, record)| Doc {
            annotations: Annotations(&record.annotations),
            deleted: merge::tombstones(&record.deleted),
            meta: meta.to_value(),
            text,
        })
        .collect();
    let b = Bundle { documents, format: FORMAT, offset_unit: OFFSET_UNIT, version: VERSION };
    serde_json::to_string_pretty(&b).unwrap_or_default()
}

/// Parses and validates a bundle. Checks, each error with its path
/// (`documents[2].annotations[0].quote`):
/// * at most [`MAX_BUNDLE_BYTES`] bytes, JSON, `format`, `version`, at most
///   [`MAX_DOCUMENTS`] documents;
/// * each document: `meta` ([`DocMeta::from_value`]), `text` a non-empty
///   string of at most [`MAX_TEXT_BYTES`] bytes, annotations valid against
///   that text (offsets, quotes, labels, ids unique), `deleted` well formed;
/// * ids: two documents with the same id must have the same text (else a
///   conflict error naming both; with the same text their annotations are
///   merged into one document), and `meta.id` must be
///   [`doc_id_for`]`(text)` (as every id the app makes is).
///
/// `existing_ids` are the ids already in the library; they set
/// [`BundleDoc::exists`]. Returns the documents in bundle order.
pub fn import(bytes: &[u8], existing_ids: &[String]) -> Result<Vec<BundleDoc>, ImportError> {
    let v = crate::formats::native::parse_json_limited(bytes, MAX_BUNDLE_BYTES)?;
    let root = v.as_object().ok_or_else(|| field("the top level", "must be a JSON object"))?;
    match root.get("format") {
        Some(Value::String(s)) if s == FORMAT => {}
        Some(Value::String(s)) if s == crate::formats::native::FORMAT => {
            return Err(field(
                "format",
                "this is the annotation file of one document, not a library backup; import it with “Import” while that document is open",
            ))
        }
        Some(Value::String(s)) => {
            return Err(field("format", format!("“{}” is not a library backup of this app (expected “{FORMAT}”)", shorten(s, 40))))
        }
        Some(_) => return Err(field("format", "must be a string")),
        None => return Err(field("format", format!("is missing (expected “{FORMAT}”)"))),
    }
    match root.get("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(VERSION) => {}
        Some(n) => return Err(field("version", format!("{n} is not supported (this app reads version {VERSION})"))),
        None => return Err(field("version", "is missing")),
    }
    let list = match root.get("documents") {
        Some(Value::Array(a)) => a,
        Some(_) => return Err(field("documents", "must be an array")),
        None => return Err(field("documents", "is missing")),
    };
    if list.len() > MAX_DOCUMENTS {
        return Err(field("documents", format!("has {} entries; the limit is {MAX_DOCUMENTS}", list.len())));
    }
    let mut out: Vec<BundleDoc> = Vec::with_capacity(list.len());
    let mut first_at: HashMap<String, (usize, usize)> = HashMap::new(); // id → (bundle index, out index)
    for (i, item) in list.iter().enumerate() {
        let path = format!("documents[{i}]");
        let obj = item.as_object().ok_or_else(|| field(&path, "must be an object"))?;
        let mut meta = DocMeta::from_value(obj.get("meta").unwrap_or(&Value::Null), &format!("{path}.meta"))?;
        let text = get_str(obj, "text", &path)?;
        if text.is_empty() {
            return Err(field(format!("{path}.text"), "is empty"));
        }
        if text.len() > MAX_TEXT_BYTES {
            return Err(field(
                format!("{path}.text"),
                format!("is {} bytes long; the limit is {} MB", text.len(), MAX_TEXT_BYTES / 1_048_576),
            ));
        }
        if let Some(&(j, k)) = first_at.get(&meta.id) {
            if out[k].text != text {
                return Err(field(
                    format!("{path}.meta.id"),
                    format!("“{}” is also the id of documents[{j}], which has a different text: conflicting ids", meta.id),
                ));
            }
        }
        let expected = doc_id_for(text);
        if meta.id != expected {
            return Err(field(
                format!("{path}.meta.id"),
                format!("“{}” does not match the text (its id is {expected}); the text may have been edited", meta.id),
            ));
        }
        let index = TextIndex::new(text);
        let annotations = parse_annotations(obj.get("annotations"), &format!("{path}.annotations"), Check::Text(&index), strict_label)?;
        let deleted = merge::parse_deleted(obj.get("deleted"), &format!("{path}.deleted"))?;
        let mut record = DocRecord::new(annotations);
        record.deleted = deleted;
        // Normalise: drop annotations their own tombstones cover.
        let record = merge::merge(&record, &DocRecord::default());
        meta.len_cp = index.len_cp();
        meta.counts = counts_of(&record.annotations);
        if let Some(&(_, k)) = first_at.get(&meta.id) {
            let merged = merge::merge(&out[k].record, &record);
            out[k].meta.counts = counts_of(&merged.annotations);
            out[k].record = merged;
            continue;
        }
        let exists = existing_ids.iter().any(|e| e == &meta.id);
        first_at.insert(meta.id.clone(), (i, out.len()));
        out.push(BundleDoc { meta, text: text.to_string(), record, exists });
    }
    Ok(out)
}

/// The record to store for `incoming` when the library may already hold the
/// same document (`existing`): their [`merge::merge`] (by annotation id, the
/// later edit wins, deletions remembered), `rev` one more than `existing`'s
/// ([`merge::for_write`]). Without `existing`, the incoming record with `rev` 1.
pub fn merge_into(existing: Option<&DocRecord>, incoming: &BundleDoc) -> DocRecord {
    merge::for_write(&incoming.record, existing)
}
