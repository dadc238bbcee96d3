//! Local storage of a document's annotations, under a versioned key per document.
//!
//! The value is a native annotation file without the document text
//! ([`annotator_core::native::export_with`]), so the same validation guards
//! loading from storage and importing a file.

use annotator_core::native;
use annotator_core::{Annotation, Document};

/// Prefix of every key this app writes.
pub const KEY_PREFIX: &str = "text-annotator.v1.doc.";

/// Storage key of a document's annotations.
pub fn doc_key(doc_id: &str) -> String {
    format!("{KEY_PREFIX}{doc_id}")
}

fn storage() -> Result<web_sys::Storage, String> {
    let window = web_sys::window().ok_or("no window")?;
    match window.local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err("this browser has no local storage".into()),
        Err(e) => Err(format!("local storage is disabled ({})", super::js_error_text(&e))),
    }
}

/// What loading a document's saved annotations found.
#[derive(Debug, PartialEq)]
pub enum Loaded {
    /// Nothing saved yet.
    Empty,
    /// Saved annotations, validated against the document text.
    Found(Vec<Annotation>),
    /// Saved data that could not be read; it was copied to `backup_key` and is
    /// left untouched so nothing is lost.
    Corrupt { backup_key: String, reason: String },
    /// Storage itself is unavailable.
    Unavailable(String),
}

/// Loads the annotations saved for `doc`.
pub fn load(doc: &Document) -> Loaded {
    let s = match storage() {
        Ok(s) => s,
        Err(e) => return Loaded::Unavailable(e),
    };
    let key = doc_key(&doc.id);
    let raw = match s.get_item(&key) {
        Ok(Some(raw)) => raw,
        Ok(None) => return Loaded::Empty,
        Err(e) => return Loaded::Unavailable(super::js_error_text(&e)),
    };
    match native::import(raw.as_bytes(), doc) {
        Ok(parsed) => Loaded::Found(parsed.annotations),
        Err(e) => {
            let backup_key = format!("{key}.backup-{}", js_sys::Date::now() as u64);
            let _ = s.set_item(&backup_key, &raw);
            Loaded::Corrupt { backup_key, reason: e.to_string() }
        }
    }
}

/// Writes all annotations of `doc`. On failure (quota, storage disabled) the
/// previous value stays as it was and the reason is returned.
pub fn save(doc: &Document, annotations: &[Annotation]) -> Result<(), String> {
    let s = storage()?;
    let value = native::export_with(doc, annotations, false);
    s.set_item(&doc_key(&doc.id), &value).map_err(|e| {
        let text = super::js_error_text(&e);
        if text.to_lowercase().contains("quota") {
            format!("the browser's storage is full ({text})")
        } else {
            text
        }
    })
}

/// Reads a raw stored value (for offering a corrupt record as a download).
pub fn read_raw(key: &str) -> Option<String> {
    storage().ok()?.get_item(key).ok().flatten()
}

/// Storage key of a document's undo history.
pub fn history_key(doc_id: &str) -> String {
    format!("text-annotator.v1.history.{doc_id}")
}

/// Storage key of a document's orphaned annotations.
pub fn orphans_key(doc_id: &str) -> String {
    format!("text-annotator.v1.orphans.{doc_id}")
}

/// Largest undo history kept in storage, in bytes (oldest steps go first).
pub const MAX_HISTORY_BYTES: usize = 2 * 1024 * 1024;

/// Loads the undo history of a document; a missing or unreadable one gives
/// an empty history (and the reason, for unreadable data).
pub fn load_history(doc_id: &str) -> (annotator_core::history::History, Option<String>) {
    use annotator_core::history::History;
    let raw = storage().ok().and_then(|s| s.get_item(&history_key(doc_id)).ok().flatten());
    match raw {
        None => (History::default(), None),
        Some(raw) => match History::from_json(&raw) {
            Ok(h) => (h, None),
            Err(e) => (History::default(), Some(e)),
        },
    }
}

/// Saves the undo history (bounded to [`MAX_HISTORY_BYTES`]).
pub fn save_history(doc_id: &str, history: &annotator_core::history::History) -> Result<(), String> {
    let s = storage()?;
    s.set_item(&history_key(doc_id), &history.to_json_bounded(MAX_HISTORY_BYTES))
        .map_err(|e| super::js_error_text(&e))
}

/// Saves the orphans of a document (removes the key when there are none).
pub fn save_orphans(doc_id: &str, orphans: &[annotator_core::anchor::Orphan]) -> Result<(), String> {
    let s = storage()?;
    if orphans.is_empty() {
        return s.remove_item(&orphans_key(doc_id)).map_err(|e| super::js_error_text(&e));
    }
    let v: Vec<serde_json::Value> = orphans
        .iter()
        .map(|o| {
            serde_json::json!({
                "id": o.id, "label": o.label.as_str(), "quote": o.quote, "note": o.note,
                "created": o.created, "modified": o.modified,
                "start_hint": o.start_hint, "end_hint": o.end_hint, "reason": o.reason,
            })
        })
        .collect();
    s.set_item(&orphans_key(doc_id), &serde_json::Value::Array(v).to_string())
        .map_err(|e| super::js_error_text(&e))
}

/// Loads the orphans of a document; entries that cannot be read are skipped
/// (the raw value stays in storage until the next save).
pub fn load_orphans(doc_id: &str) -> Vec<annotator_core::anchor::Orphan> {
    use annotator_core::anchor::Orphan;
    use annotator_core::Label;
    let Some(raw) = storage().ok().and_then(|s| s.get_item(&orphans_key(doc_id)).ok().flatten()) else {
        return Vec::new();
    };
    let Ok(serde_json::Value::Array(items)) = serde_json::from_str::<serde_json::Value>(&raw) else {
        return Vec::new();
    };
    let text = |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    let num = |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_u64()).map(|n| n as usize);
    items
        .iter()
        .filter_map(|v| {
            Some(Orphan {
                id: v.get("id")?.as_str()?.to_string(),
                label: Label::parse(v.get("label")?.as_str()?)?,
                quote: text(v, "quote"),
                note: text(v, "note"),
                created: text(v, "created"),
                modified: text(v, "modified"),
                start_hint: num(v, "start_hint"),
                end_hint: num(v, "end_hint"),
                reason: text(v, "reason"),
            })
        })
        .collect()
}
