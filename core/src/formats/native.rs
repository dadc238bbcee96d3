//! The native, lossless annotation file format (`<name>.annotations.json`).
//!
//! ```json
//! { "format": "text-annotator/annotations", "version": 2,
//!   "document": { "id": "…", "title": "…", "name": "…", "length": 2272, "text": "…",
//!                 "source_url": "https://…", "publisher": "…", "published": "2024-05-01" },
//!   "annotations": [ { "id", "start", "end", "quote", "label", "note", "speaker", "verdict",
//!                      "links": [ { "to": "…", "type": "denies" } ], "created", "modified" } ] }
//! ```
//! Version 2 added the document details ([`crate::model::details`]) and, on the
//! annotations, `speaker`, `verdict` and `links` (each left out when empty).
//! Version 1 files (and stored records) are read as version 2 files without
//! them: nothing else changed.
//! Offsets are code points, end exclusive. Import validates everything and
//! reports the first problem with its location; a bad file changes nothing.

use crate::formats::annotation_json::{check_link_targets, parse_annotations, strict_label, Annotations, Check};
use crate::formats::details_json::read_details;
use crate::model::details::DocDetails;
use crate::model::{shorten, Annotation, Document};
use serde_json::Value;

/// The `format` field of a native file.
pub const FORMAT: &str = "text-annotator/annotations";
/// The version this build writes.
pub const VERSION: u64 = 2;
/// The versions this build reads.
pub const READS: [u64; 2] = [1, 2];

/// Checks the `version` of a native file or record (one of [`READS`]).
pub fn check_version(root: &serde_json::Map<String, Value>) -> Result<(), ImportError> {
    match root.get("version") {
        Some(Value::Number(n)) if n.as_u64().is_some_and(|v| READS.contains(&v)) => Ok(()),
        Some(n) => Err(field("version", format!("{n} is not supported (this app reads versions 1 and 2)"))),
        None => Err(field("version", "is missing")),
    }
}
/// Largest file accepted, in bytes (20 MB).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// The `offset_unit` field written in native files and stored records.
pub const OFFSET_UNIT: &str = "unicode code points, end exclusive";

use super::json_fields::{field, ImportError};
use super::parsed::{self, ImportOptions, LabelResolver};
use crate::anchor::Candidate;
use crate::text::text_index::TextIndex;

/// Serialises `annotations` of `doc` as a native file (pretty-printed JSON),
/// including the document text.
pub fn export(doc: &Document, annotations: &[Annotation]) -> String {
    export_with(doc, &DocDetails::default(), annotations, true)
}

/// [`export`] with the document's details.
pub fn export_detailed(doc: &Document, details: &DocDetails, annotations: &[Annotation]) -> String {
    export_with(doc, details, annotations, true)
}

/// Serialises as a native file; `include_text: false` leaves out the document
/// text (as local storage does: the text is stored once, elsewhere) and prints compactly.
pub fn export_with(doc: &Document, details: &DocDetails, annotations: &[Annotation], include_text: bool) -> String {
    // Keys in alphabetical order: the bytes the first version of the app
    // wrote (through a `serde_json::Value`), kept so files stay identical.
    #[derive(serde::Serialize)]
    struct Header<'a> {
        id: &'a str,
        length: usize,
        name: &'a str,
        #[serde(skip_serializing_if = "str::is_empty")]
        published: &'a str,
        #[serde(skip_serializing_if = "str::is_empty")]
        publisher: &'a str,
        #[serde(skip_serializing_if = "str::is_empty")]
        review_url: &'a str,
        #[serde(skip_serializing_if = "str::is_empty")]
        source_url: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<&'a str>,
        title: &'a str,
    }
    #[derive(serde::Serialize)]
    struct File<'a> {
        annotations: Annotations<'a>,
        document: Header<'a>,
        format: &'static str,
        offset_unit: &'static str,
        version: u64,
    }
    let file = File {
        annotations: Annotations(annotations),
        document: Header {
            id: &doc.id,
            length: doc.index.len_cp(),
            name: &doc.name,
            published: &details.published,
            publisher: &details.publisher,
            review_url: &details.review_url,
            source_url: &details.source_url,
            text: include_text.then(|| doc.text()),
            title: &doc.title,
        },
        format: FORMAT,
        offset_unit: OFFSET_UNIT,
        version: VERSION,
    };
    if include_text {
        serde_json::to_string_pretty(&file).unwrap_or_default()
    } else {
        serde_json::to_string(&file).unwrap_or_default()
    }
}

/// What a valid native file holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    /// The document id the file was made for (may differ from the open one).
    pub doc_id: Option<String>,
    pub doc_title: Option<String>,
    /// The details of the document the file was made for (version 2).
    pub details: DocDetails,
    pub annotations: Vec<Annotation>,
}

/// Parses JSON bytes with a size bound, reporting syntax errors by line/column.
/// serde_json's recursion limit (128) refuses deeply nested input.
pub fn parse_json_bounded(bytes: &[u8]) -> Result<Value, ImportError> {
    parse_json_limited(bytes, MAX_FILE_BYTES)
}

/// [`parse_json_bounded`] with another size bound `max` (bytes), for files
/// allowed to be larger than an annotation file (library bundles).
pub fn parse_json_limited(bytes: &[u8], max: usize) -> Result<Value, ImportError> {
    if bytes.len() > max {
        return Err(ImportError::TooLarge { bytes: bytes.len(), max });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(bytes, e.valid_up_to());
        ImportError::Syntax { line, column, message: "the file is not UTF-8 text".into() }
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str::<Value>(text).map_err(|e| {
        let mut msg = e.to_string();
        if let Some(i) = msg.find(" at line ") {
            msg.truncate(i);
        }
        if msg.contains("recursion limit") {
            msg = "the JSON is nested too deeply".into();
        }
        ImportError::Syntax { line: e.line().max(1), column: e.column().max(1), message: msg }
    })
}

fn line_col(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, col)
}

/// Validates a native file against the open document `doc`: format, version,
/// every field's type, ids unique, offsets in range, and `quote` equal to the
/// text at `[start, end)`. The first problem is returned with its location.
pub fn import(bytes: &[u8], doc: &Document) -> Result<Parsed, ImportError> {
    import_value(&parse_json_bounded(bytes)?, doc)
}

/// [`import`] of a file already parsed (a large file is parsed once).
pub fn import_value(v: &Value, doc: &Document) -> Result<Parsed, ImportError> {
    let root = v.as_object().ok_or_else(|| field("the top level", "must be a JSON object"))?;
    match root.get("format") {
        Some(Value::String(s)) if s == FORMAT => {}
        Some(Value::String(s)) => {
            return Err(field("format", format!("“{}” is not an annotation file of this app (expected “{FORMAT}”)", shorten(s, 40))))
        }
        Some(_) => return Err(field("format", "must be a string")),
        None => return Err(field("format", format!("is missing (expected “{FORMAT}”)"))),
    }
    check_version(root)?;
    let (doc_id, doc_title, details) = match root.get("document") {
        Some(Value::Object(d)) => (
            d.get("id").and_then(Value::as_str).map(str::to_string),
            d.get("title").and_then(Value::as_str).map(str::to_string),
            read_details(d, "document")?,
        ),
        Some(_) => return Err(field("document", "must be an object")),
        None => (None, None, DocDetails::default()),
    };
    let annotations = parse_annotations(root.get("annotations"), "annotations", Check::Text(&doc.index), strict_label)?;
    check_link_targets(&annotations, "annotations")?;
    Ok(Parsed { doc_id, doc_title, details, annotations })
}

/// The native file `v` as candidates, each re-anchored on the current text (see
/// [`import_native_lenient`](super::import_native_lenient)).
pub(super) fn candidates(v: &Value, opts: &ImportOptions) -> Result<parsed::Parsed, ImportError> {
    let root = v.as_object().ok_or_else(|| field("the top level", "must be a JSON object"))?;
    match root.get("format") {
        Some(Value::String(s)) if s == FORMAT => {}
        Some(Value::String(s)) => {
            return Err(field("format", format!("“{}” is not an annotation file of this app (expected “{}”)", shorten(s, 40), FORMAT)))
        }
        Some(_) => return Err(field("format", "must be a string")),
        None => return Err(field("format", format!("is missing (expected “{}”)", FORMAT))),
    }
    check_version(root)?;
    let source = match root.get("document") {
        Some(Value::Object(d)) => match d.get("text") {
            Some(Value::String(t)) => Some(TextIndex::new(t.as_str())),
            Some(Value::Null) | None => None,
            Some(_) => return Err(field("document.text", "must be a string")),
        },
        Some(_) => return Err(field("document", "must be an object")),
        None => None,
    };
    let mut labels = LabelResolver::new(&opts.unknown_label);
    let mut annotations =
        parse_annotations(root.get("annotations"), "annotations", Check::Reanchor, |raw, path| labels.resolve(Some(raw), path))?;
    // Links to annotations left out (a label skipped) go with them; any
    // other missing target is an error, as in a strict import.
    if labels.skipped > 0 {
        annotations = crate::model::link_views::without_dangling(&annotations).into_owned();
    }
    super::annotation_json::check_link_targets(&annotations, "annotations")?;
    let candidates = annotations.iter().map(|a| Candidate::from_annotation(a, source.as_ref())).collect();
    Ok(parsed::Parsed {
        candidates,
        unknown_labels: labels.unknown,
        skipped: labels.skipped,
        warnings: Vec::new(),
        unknown_relations: Vec::new(),
    })
}
