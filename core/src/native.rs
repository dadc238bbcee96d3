//! The native, lossless annotation file format (`<name>.annotations.json`).
//!
//! ```json
//! { "format": "text-annotator/annotations", "version": 1,
//!   "document": { "id": "…", "title": "…", "name": "…", "length": 2272, "text": "…" },
//!   "annotations": [ { "id", "start", "end", "quote", "label", "note", "created", "modified" } ] }
//! ```
//! Offsets are code points, end exclusive. Import validates everything and
//! reports the first problem with its location; a bad file changes nothing.

use crate::model::{shorten, Annotation, Document, Label};
use serde_json::{json, Value};

/// The `format` field of a native file.
pub const FORMAT: &str = "text-annotator/annotations";
/// The only version this build reads and writes.
pub const VERSION: u64 = 1;
/// Largest file accepted, in bytes (20 MB).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// The `offset_unit` field written in native files and stored records.
pub const OFFSET_UNIT: &str = "unicode code points, end exclusive";
/// Most annotations accepted in one file.
pub const MAX_ANNOTATIONS: usize = 200_000;
/// Longest note accepted, in code points.
pub const MAX_NOTE_CP: usize = 100_000;

pub use crate::json_fields::ImportError;
use crate::json_fields::{field, get_offset, get_str};

/// Serialises `annotations` of `doc` as a native file (pretty-printed JSON),
/// including the document text.
pub fn export(doc: &Document, annotations: &[Annotation]) -> String {
    export_with(doc, annotations, true)
}

/// Serialises as a native file; `include_text: false` leaves out the document
/// text (as local storage does: the text is stored once, elsewhere) and prints compactly.
pub fn export_with(doc: &Document, annotations: &[Annotation], include_text: bool) -> String {
    let anns: Vec<Value> = annotations
        .iter()
        .map(|a| {
            json!({
                "id": a.id, "start": a.start, "end": a.end, "quote": a.quote,
                "label": a.label.as_str(), "note": a.note,
                "created": a.created, "modified": a.modified,
            })
        })
        .collect();
    let mut document = json!({
        "id": doc.id, "title": doc.title, "name": doc.name, "length": doc.index.len_cp(),
    });
    if include_text {
        document["text"] = Value::String(doc.text().to_string());
    }
    let v = json!({
        "format": FORMAT,
        "version": VERSION,
        "offset_unit": "unicode code points, end exclusive",
        "document": document,
        "annotations": anns,
    });
    if include_text {
        serde_json::to_string_pretty(&v).unwrap_or_default()
    } else {
        serde_json::to_string(&v).unwrap_or_default()
    }
}

/// What a valid native file holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    /// The document id the file was made for (may differ from the open one).
    pub doc_id: Option<String>,
    pub doc_title: Option<String>,
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
    match root.get("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(VERSION) => {}
        Some(n) => return Err(field("version", format!("{n} is not supported (this app reads version {VERSION})"))),
        None => return Err(field("version", "is missing")),
    }
    let (doc_id, doc_title) = match root.get("document") {
        Some(Value::Object(d)) => (
            d.get("id").and_then(Value::as_str).map(str::to_string),
            d.get("title").and_then(Value::as_str).map(str::to_string),
        ),
        Some(_) => return Err(field("document", "must be an object")),
        None => (None, None),
    };
    let list = match root.get("annotations") {
        Some(Value::Array(a)) => a,
        Some(_) => return Err(field("annotations", "must be an array")),
        None => return Err(field("annotations", "is missing")),
    };
    if list.len() > MAX_ANNOTATIONS {
        return Err(field("annotations", format!("has {} entries; the limit is {MAX_ANNOTATIONS}", list.len())));
    }
    let index = &doc.index;
    let len = index.len_cp();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let path = format!("annotations[{i}]");
        let obj = item.as_object().ok_or_else(|| field(&path, "must be an object"))?;
        let id = get_str(obj, "id", &path)?;
        if id.is_empty() || id.chars().count() > 200 {
            return Err(field(format!("{path}.id"), "must be 1 to 200 characters"));
        }
        if !seen.insert(id.to_string()) {
            return Err(field(format!("{path}.id"), format!("“{}” is used twice", shorten(id, 40))));
        }
        let start = get_offset(obj, "start", &path)?;
        let end = get_offset(obj, "end", &path)?;
        if start >= end {
            return Err(field(&path, format!("start {start} must be less than end {end}")));
        }
        if end > len {
            return Err(field(format!("{path}.end"), format!("{end} is past the end of the text ({len} characters)")));
        }
        let quote = get_str(obj, "quote", &path)?;
        let actual = index.slice_cp(start, end).unwrap_or("");
        if quote != actual {
            return Err(field(
                format!("{path}.quote"),
                format!("“{}” does not match the text at {start}..{end} (“{}”)", shorten(quote, 40), shorten(actual, 40)),
            ));
        }
        let label_s = get_str(obj, "label", &path)?;
        let label = Label::parse(label_s).ok_or_else(|| {
            field(format!("{path}.label"), format!("“{}” is not one of claim, denial, statistic", shorten(label_s, 30)))
        })?;
        let note = match obj.get("note") {
            None | Some(Value::Null) => "",
            Some(Value::String(s)) => s.as_str(),
            Some(_) => return Err(field(format!("{path}.note"), "must be a string")),
        };
        if note.chars().count() > MAX_NOTE_CP {
            return Err(field(format!("{path}.note"), format!("is longer than {MAX_NOTE_CP} characters")));
        }
        let created = get_str(obj, "created", &path).unwrap_or("").to_string();
        let modified = obj.get("modified").and_then(Value::as_str).unwrap_or(&created).to_string();
        out.push(Annotation {
            id: id.to_string(),
            start,
            end,
            quote: quote.to_string(),
            label,
            note: note.to_string(),
            created,
            modified,
        });
    }
    Ok(Parsed { doc_id, doc_title, annotations: out })
}
