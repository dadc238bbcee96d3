//! The rare parts: what most visits never use is not in the app's first
//! download but in a second module, loaded on first use (the app's
//! `browser::rare`, built from the `rare/` crate). The two modules share no
//! memory: they exchange JSON messages, typed here on both ends, and each
//! answer is checked like any other input.
//!
//! * [`export`]: the files of every format but the native one (W3C, brat,
//!   CSV, ClaimReview, the annotated page). The request carries the document
//!   as a native file with its text, the one format both modules hold.
//! * [`import`]: reading annotation files of any format onto the open text
//!   (re-anchoring included), for an import and for "Compare with…".
//!
//! The app only writes requests and reads answers (`*Request::to_json`,
//! `*Answer::from_json`); the module only reads requests and writes answers
//! (`answer_*`). So the writers and parsers of the rare formats are linked
//! into the second module only.

pub mod export;
pub mod import;

use crate::formats::native;
use crate::model::details::DocDetails;
use crate::model::{Annotation, Document};
use serde_json::Value;

/// The document (same id, name, title and text), details and annotations
/// of a native file with its text: how the app hands a document over.
fn document_of(native_file: &str) -> Result<(Document, DocDetails, Vec<Annotation>), String> {
    let v = native::parse_json_limited(native_file.as_bytes(), usize::MAX).map_err(|e| e.to_string())?;
    let header = v.get("document").ok_or("the request has no document")?;
    let text_of = |key: &str| header.get(key).and_then(Value::as_str).unwrap_or_default();
    let text = header.get("text").and_then(Value::as_str).ok_or("the request's document has no text")?;
    let mut doc = Document::new(text_of("title"), text_of("name"), text);
    doc.id = text_of("id").to_string();
    let parsed = native::import_value(&v, &doc).map_err(|e| e.to_string())?;
    Ok((doc, parsed.details, parsed.annotations))
}
