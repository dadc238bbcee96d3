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
