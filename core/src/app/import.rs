//! Importing the files a person chose into the open document: a brat `.ann`
//! with its `.txt`, or one annotation file of any supported format.

use crate::anchor::AnchorReport;
use crate::formats::json_fields::ImportError;
use crate::formats::native;
use crate::formats::RelationMap;
use crate::formats::{self, Format, ImportOptions, Imported, UnknownLabelPolicy};
use crate::model::Document;

/// Imports `files` (name, bytes) into `doc`. A native file made for this very
/// text (same document id) must match it exactly (a mismatch means the file
/// is damaged); any other file is re-anchored. Errors name the file.
pub fn import_files(
    files: &[(String, Vec<u8>)],
    doc: &Document,
    now: &str,
    policy: UnknownLabelPolicy,
    relation_map: Option<RelationMap>,
) -> Result<Imported, String> {
    let opts = ImportOptions { now: now.to_string(), unknown_label: policy, relation_map };
    if let Some((name, b)) = files.iter().find(|(_, b)| b.len() > native::MAX_FILE_BYTES) {
        return Err(format!("{name}: {}", ImportError::TooLarge { bytes: b.len(), max: native::MAX_FILE_BYTES }));
    }
    let ann = files.iter().find(|(n, _)| n.to_ascii_lowercase().ends_with(".ann"));
    let txt = files.iter().find(|(n, _)| n.to_ascii_lowercase().ends_with(".txt"));
    if let (Some((an, ab)), Some((_, tb))) = (ann, txt) {
        let txt = std::str::from_utf8(tb).map_err(|_| format!("{an}: the .txt beside it is not UTF-8 text"))?;
        return formats::import_brat(ab, Some(txt), &doc.index, &opts).map_err(|e| format!("{an}: {e}"));
    }
    if files.len() > 1 {
        return Err("Choose one annotation file (or a brat .ann together with its .txt).".into());
    }
    let Some((name, bytes)) = files.first() else { return Err("No file was chosen.".into()) };
    if let Some(same_text) = native_of_this_text(name, bytes, doc) {
        return same_text;
    }
    formats::import(name, bytes, &doc.index, &opts).map_err(|e| format!("{name}: {e}"))
}

/// A native file made for this very text (same document id), imported
/// strictly: every annotation must match the text exactly (a mismatch means
/// the file is damaged). `None` for any other file. This needs neither the
/// other formats nor re-anchoring, so the app does it without loading the
/// rare parts (`crate::lazy`).
pub fn native_of_this_text(name: &str, bytes: &[u8], doc: &Document) -> Option<Result<Imported, String>> {
    // A file without this document's id anywhere is not one (and is not parsed twice).
    if doc.id.is_empty() || !bytes.windows(doc.id.len()).any(|w| w == doc.id.as_bytes()) {
        return None;
    }
    let v = native::parse_json_bounded(bytes).ok()?;
    if v.get("format").and_then(|f| f.as_str()) != Some(native::FORMAT) {
        return None;
    }
    if v.get("document").and_then(|d| d.get("id")).and_then(|i| i.as_str()) != Some(doc.id.as_str()) {
        return None;
    }
    Some(native::import_value(&v, doc).map_err(|e| format!("{name}: {e}")).map(|parsed| {
        let report = AnchorReport { exact: parsed.annotations.len(), ..AnchorReport::default() };
        Imported {
            format: Format::Native,
            annotations: parsed.annotations,
            orphans: Vec::new(),
            report,
            unknown_labels: Vec::new(),
            skipped: 0,
            warnings: Vec::new(),
            unknown_relations: Vec::new(),
        }
    }))
}

/// The first pass over chosen files: labels this app does not have are
/// left out, to learn whether there are any (the reducer then asks what to
/// do with them). Pure, so the app can run it in a task of its own before
/// the reducer takes the result (`AppAction::FilesParsed`).
pub fn first_pass(files: &[(String, Vec<u8>)], doc: &Document, now: &str) -> Result<Imported, String> {
    import_files(files, doc, now, UnknownLabelPolicy::Skip, None)
}

/// The chosen files' names as messages show them: "a.json + b.ann".
pub fn file_names(files: &[(String, Vec<u8>)]) -> String {
    files.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(" + ")
}

/// “name” (3 things, first at line 7), joined by commas.
fn listing<'a>(items: impl Iterator<Item = (&'a str, usize, &'a str)>, thing: &str) -> String {
    items
        .map(|(name, n, at)| format!("“{name}” ({n} {thing}{}, first at {at})", if n == 1 { "" } else { "s" }))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The sentence asking what to do with labels this app does not have.
pub fn unknown_labels_message(names: &str, imported: &Imported) -> String {
    let labels = listing(imported.unknown_labels.iter().map(|u| (u.label.as_str(), u.count, u.first_path.as_str())), "annotation");
    format!("{names} uses labels this app does not have: {labels}. Nothing has been imported yet: skip those annotations, or map them to one of our labels.")
}

/// The sentence asking what to do with brat relation types this app does not have.
pub fn unknown_relations_message(names: &str, imported: &Imported) -> String {
    let types = listing(imported.unknown_relations.iter().map(|u| (u.name.as_str(), u.count, u.first_path.as_str())), "relation");
    format!("{names} has relation types this app does not have: {types}. Nothing has been imported yet: choose the link type each one becomes, or leave it out.")
}
