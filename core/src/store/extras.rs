//! A document's undo history and orphaned annotations in storage: the one
//! writer and reader of each.

use super::error::StoreError;
use super::keys::{history_key, orphans_key};
use super::kv::Kv;
use crate::anchor::Orphan;
use crate::history::History;
use crate::model::Label;
use serde_json::{json, Value};

/// Largest undo history kept in storage, in bytes (oldest steps go first).
/// Small enough that writing it (shortly after each change) stays a few
/// milliseconds; a few hundred ordinary steps fit, an import of thousands of
/// annotations does not (it stays undoable until the page is closed).
pub const MAX_HISTORY_BYTES: usize = 512 * 1024;

/// Loads the undo history of document `doc_id`; a missing one is empty, an
/// unreadable one (or a failed read) is empty too and the reason is returned.
pub fn load_history(kv: &dyn Kv, doc_id: &str) -> (History, Option<String>) {
    match kv.get(&history_key(doc_id)) {
        Ok(None) => (History::default(), None),
        Ok(Some(raw)) => match History::from_json(&raw) {
            Ok(h) => (h, None),
            Err(e) => (History::default(), Some(e)),
        },
        Err(e) => (History::default(), Some(e.to_string())),
    }
}

/// Saves the undo history (bounded to [`MAX_HISTORY_BYTES`]).
pub fn save_history(kv: &mut dyn Kv, doc_id: &str, history: &History) -> Result<(), StoreError> {
    kv.set(&history_key(doc_id), &history.to_json_bounded(MAX_HISTORY_BYTES))
}

/// The orphans as stored: a JSON array of
/// `{id, label, quote, note, speaker, verdict, links, created, modified, start_hint, end_hint, reason}`.
pub fn orphans_to_json(orphans: &[Orphan]) -> String {
    let v: Vec<Value> = orphans
        .iter()
        .map(|o| {
            json!({
                "id": o.id, "label": o.label.as_str(), "quote": o.quote, "note": o.note,
                "speaker": o.speaker, "verdict": o.verdict, "links": o.links,
                "created": o.created, "modified": o.modified,
                "start_hint": o.start_hint, "end_hint": o.end_hint, "reason": o.reason,
            })
        })
        .collect();
    Value::Array(v).to_string()
}

/// Reads [`orphans_to_json`] output. Entries that cannot be read (no id, an
/// unknown label) are skipped; the second value says how many, or why
/// nothing could be read.
pub fn orphans_from_json(raw: &str) -> (Vec<Orphan>, Option<String>) {
    let items = match serde_json::from_str::<Value>(raw) {
        Ok(Value::Array(items)) => items,
        Ok(_) => return (Vec::new(), Some("the orphaned annotations are not a JSON array".into())),
        Err(e) => return (Vec::new(), Some(format!("the orphaned annotations are not valid JSON ({e})"))),
    };
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let num = |v: &Value, k: &str| v.get(k).and_then(Value::as_u64).and_then(|n| usize::try_from(n).ok());
    let out: Vec<Orphan> = items
        .iter()
        .filter_map(|v| {
            Some(Orphan {
                id: v.get("id")?.as_str()?.to_string(),
                label: Label::parse(v.get("label")?.as_str()?)?,
                quote: text(v, "quote"),
                note: text(v, "note"),
                speaker: text(v, "speaker"),
                verdict: text(v, "verdict"),
                // Links that cannot be read make the entry unreadable (counted), never silently dropped.
                links: match v.get("links") {
                    None | Some(Value::Null) => Vec::new(),
                    Some(l) => serde_json::from_value(l.clone()).ok()?,
                },
                created: text(v, "created"),
                modified: text(v, "modified"),
                start_hint: num(v, "start_hint"),
                end_hint: num(v, "end_hint"),
                reason: text(v, "reason"),
            })
        })
        .collect();
    let skipped = items.len() - out.len();
    let why = (skipped > 0).then(|| format!("{skipped} orphaned annotations could not be read"));
    (out, why)
}

/// Saves the orphans of a document (removes the key when there are none).
pub fn save_orphans(kv: &mut dyn Kv, doc_id: &str, orphans: &[Orphan]) -> Result<(), StoreError> {
    if orphans.is_empty() {
        return kv.remove(&orphans_key(doc_id));
    }
    kv.set(&orphans_key(doc_id), &orphans_to_json(orphans))
}

/// Loads the orphans of a document (none when absent); the reason when some
/// or all could not be read, or the read failed.
pub fn load_orphans(kv: &dyn Kv, doc_id: &str) -> (Vec<Orphan>, Option<String>) {
    match kv.get(&orphans_key(doc_id)) {
        Ok(None) => (Vec::new(), None),
        Ok(Some(raw)) => orphans_from_json(&raw),
        Err(e) => (Vec::new(), Some(e.to_string())),
    }
}
