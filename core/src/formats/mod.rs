//! Annotation files other tools read, and importing any supported file with
//! re-anchoring.
//!
//! | format | export | import | offsets |
//! |---|---|---|---|
//! | native JSON ([`crate::formats::native`]) | yes | yes (strict, or lenient via [`import_native_lenient`]) | code points |
//! | W3C Web Annotation JSON-LD ([`w3c`]) | yes | yes | code points |
//! | brat standoff `.ann` + `.txt` ([`brat`]) | yes | yes | code points |
//! | CSV ([`csv`]) | yes | no | code points |
//!
//! Every import goes the same way: the file is validated (the first problem
//! is returned as an [`ImportError`] with its location, and nothing changes),
//! its annotations become [`Candidate`]s, and the candidates are anchored on
//! the current text ([`crate::anchor`]): exact, moved, fuzzy or orphaned.
//! Nothing is dropped silently: every annotation of the file is either in
//! [`Imported::annotations`], in [`Imported::orphans`], or counted in
//! [`Imported::skipped`] (unknown label with [`UnknownLabelPolicy::Skip`]).

pub mod annotation_json;
pub mod brat;
pub mod brat_extras;
pub mod claimreview;
pub mod csv;
pub mod details_json;
pub mod html_page;
pub mod json_fields;
pub mod native;
mod parsed;
pub mod textfile;
pub mod w3c;
pub mod w3c_links;
mod w3c_terms;

use crate::anchor::{anchor_all, AnchorReport, Orphan};
use crate::model::details::DocDetails;
use crate::model::{shorten, Annotation, Document, Label};
use crate::text::text_index::TextIndex;
use json_fields::{field, ImportError};
use native::{parse_json_bounded, MAX_FILE_BYTES};
pub use parsed::{ImportOptions, Parsed, RelationMap, UnknownLabel, UnknownLabelPolicy, UnknownRelation};
use serde_json::{Map, Value};

/// A file format the annotator reads or writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Format {
    /// The lossless native JSON (`<name>.annotations.json`).
    Native,
    /// W3C Web Annotation JSON-LD (`<name>.w3c.jsonld`).
    W3c,
    /// brat standoff (`<name>.ann` with `<name>.txt`).
    Brat,
    /// CSV, export only (`<name>.annotations.csv`).
    Csv,
    /// schema.org ClaimReview JSON-LD, export only (`<name>.claimreview.jsonld`).
    ClaimReview,
    /// The annotated page, static HTML, export only (`<name>.annotated.html`).
    Html,
}

impl Format {
    /// Every format, in the order the Export control lists them.
    pub const ALL: [Format; 6] = [Format::Native, Format::W3c, Format::Brat, Format::Csv, Format::ClaimReview, Format::Html];

    /// Name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Format::Native => "Annotations (JSON)",
            Format::W3c => "W3C Web Annotation (JSON-LD)",
            Format::Brat => "brat standoff (.ann + .txt + annotation.conf)",
            Format::Csv => "CSV (spreadsheet)",
            Format::ClaimReview => "ClaimReview (schema.org JSON-LD)",
            Format::Html => "Annotated page (HTML)",
        }
    }

    /// Short identifier, e.g. for a `<select>` value: `native`, `w3c`, `brat`, `csv`.
    pub fn id(self) -> &'static str {
        match self {
            Format::Native => "native",
            Format::W3c => "w3c",
            Format::Brat => "brat",
            Format::Csv => "csv",
            Format::ClaimReview => "claimreview",
            Format::Html => "html",
        }
    }

    /// The format with identifier `id` ([`Format::id`]).
    pub fn from_id(id: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.id() == id)
    }

    /// Whether files of this format can be imported.
    pub fn importable(self) -> bool {
        !matches!(self, Format::Csv | Format::ClaimReview | Format::Html)
    }
}

/// One file to download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    /// File name, e.g. `seed-article.w3c.jsonld`.
    pub file_name: String,
    /// MIME type for the Blob.
    pub mime: &'static str,
    pub contents: String,
}

/// The file(s) to download for `format`: one file, or two for brat (the
/// `.ann` and the matching `.txt`, the raw text exactly as loaded).
pub fn export(format: Format, doc: &Document, annotations: &[Annotation]) -> Vec<ExportFile> {
    export_detailed(format, doc, &DocDetails::default(), "", annotations)
}

/// [`export`] with the document's details (native and W3C files carry them)
/// and the fact-checking organisation (ClaimReview's author).
pub fn export_detailed(
    format: Format,
    doc: &Document,
    details: &DocDetails,
    organisation: &str,
    annotations: &[Annotation],
) -> Vec<ExportFile> {
    // A link to an annotation deleted in another tab meanwhile is not part of the work.
    let annotations = &*crate::model::link_views::without_dangling(annotations);
    let name = if doc.name.is_empty() { "annotations" } else { doc.name.as_str() };
    match format {
        Format::Native => vec![ExportFile {
            file_name: format!("{name}.annotations.json"),
            mime: "application/json",
            contents: native::export_detailed(doc, details, annotations),
        }],
        Format::W3c => {
            vec![ExportFile {
                file_name: format!("{name}.w3c.jsonld"),
                mime: w3c::MIME,
                contents: w3c::export_detailed(doc, details, annotations),
            }]
        }
        Format::Brat => vec![
            ExportFile { file_name: format!("{name}.ann"), mime: "text/plain;charset=utf-8", contents: brat::export_ann(annotations) },
            ExportFile { file_name: format!("{name}.txt"), mime: "text/plain;charset=utf-8", contents: brat::export_txt(doc) },
            ExportFile {
                file_name: "annotation.conf".into(),
                mime: "text/plain;charset=utf-8",
                contents: brat_extras::export_conf(annotations),
            },
        ],
        Format::Csv => {
            vec![ExportFile { file_name: format!("{name}.annotations.csv"), mime: csv::MIME, contents: csv::export(annotations) }]
        }
        Format::ClaimReview => vec![ExportFile {
            file_name: format!("{name}.claimreview.jsonld"),
            mime: claimreview::MIME,
            contents: claimreview::export(doc, details, organisation, annotations),
        }],
        Format::Html => vec![ExportFile {
            file_name: format!("{name}.annotated.html"),
            mime: html_page::MIME,
            contents: html_page::export(doc, details, annotations),
        }],
    }
}

/// The result of an import: anchored annotations ready for
/// `Action::Merge`, orphans for their own list, and the report
/// ("N anchored exactly, M moved, K fuzzy, J orphaned").
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Imported {
    pub format: Format,
    /// Anchored on the current text: `text[start..end] == quote` for each.
    pub annotations: Vec<Annotation>,
    pub orphans: Vec<Orphan>,
    pub report: AnchorReport,
    pub unknown_labels: Vec<UnknownLabel>,
    pub skipped: usize,
    pub warnings: Vec<String>,
    pub unknown_relations: Vec<UnknownRelation>,
}

impl Imported {
    /// Anchors `parsed` on `index`.
    pub fn anchor(format: Format, index: &TextIndex, parsed: Parsed) -> Imported {
        let (annotations, orphans, report) = anchor_all(index, parsed.candidates);
        Imported {
            format,
            annotations,
            orphans,
            report,
            unknown_labels: parsed.unknown_labels,
            skipped: parsed.skipped,
            warnings: parsed.warnings,
            unknown_relations: parsed.unknown_relations,
        }
    }

    /// One line for people: the report, plus skipped annotations if any.
    pub fn summary(&self) -> String {
        let mut s = self.report.to_string();
        let labels: Vec<&str> = self.unknown_labels.iter().map(|u| u.label.as_str()).collect();
        if self.skipped > 0 {
            s.push_str(&format!(", {} skipped (labels {})", self.skipped, labels.join(", ")));
        } else if !labels.is_empty() {
            let n: usize = self.unknown_labels.iter().map(|u| u.count).sum();
            s.push_str(&format!(", {n} with a label mapped (labels {})", labels.join(", ")));
        }
        s
    }
}

/// Leaves out of `imported` every annotation that repeats one of `existing`
/// (same `start`, `end` and label) under another id, so importing the brat
/// file of annotations one already has (brat has no ids) adds nothing twice.
/// Same-id annotations are kept (`Action::Merge` replaces them). Returns the
/// kept annotations and how many were left out.
pub fn drop_existing(existing: &[Annotation], imported: Vec<Annotation>) -> (Vec<Annotation>, usize) {
    let spans: std::collections::HashMap<(usize, usize, Label), &str> =
        existing.iter().map(|a| ((a.start, a.end, a.label), a.id.as_str())).collect();
    let before = imported.len();
    let kept: Vec<Annotation> =
        imported.into_iter().filter(|a| spans.get(&(a.start, a.end, a.label)).is_none_or(|id| *id == a.id)).collect();
    let dropped = before - kept.len();
    (kept, dropped)
}

/// Recognises a file by its content (the name only breaks ties): JSON whose
/// `format` is the native one → [`Format::Native`]; JSON with `@context` or a
/// `type` of `Annotation`/`AnnotationCollection`/`AnnotationPage` (or an
/// array of such) → [`Format::W3c`]; text whose lines start with `T1<TAB>` or
/// `#1<TAB>` (or a `.ann` name) → [`Format::Brat`]. Anything else is an error
/// saying what was expected.
pub fn detect(file_name: &str, bytes: &[u8]) -> Result<Format, ImportError> {
    if looks_like_json(bytes) {
        let v = parse_json_bounded(bytes)?;
        detect_json(&v)
    } else {
        detect_text(file_name, bytes)
    }
}

fn looks_like_json(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    matches!(b.iter().find(|c| !c.is_ascii_whitespace()), Some(b'{') | Some(b'['))
}

fn is_w3c_object(o: &Map<String, Value>) -> bool {
    o.contains_key("@context")
        || w3c_terms::has_type(o.get("type"), "Annotation")
        || w3c_terms::has_type(o.get("type"), "AnnotationCollection")
        || w3c_terms::has_type(o.get("type"), "AnnotationPage")
}

/// [`detect`] for a JSON file already parsed.
pub fn detect_json(v: &Value) -> Result<Format, ImportError> {
    match v {
        Value::Object(o) => {
            if let Some(f) = o.get("format") {
                return match f {
                    Value::String(s) if s == native::FORMAT => Ok(Format::Native),
                    Value::String(s) => Err(field(
                        "format",
                        format!("“{}” is not an annotation file of this app (expected “{}”)", shorten(s, 40), native::FORMAT),
                    )),
                    _ => Err(field("format", "must be a string")),
                };
            }
            let schema_org = |v: &Value| v.as_str().is_some_and(|s| s.contains("schema.org"));
            if o.get("@context").is_some_and(|c| schema_org(c) || c.as_array().is_some_and(|a| a.iter().any(schema_org))) {
                return Err(field(
                    "@context",
                    "this is a schema.org file (such as a ClaimReview export): it holds reviews, not annotations with their offsets. \
                     Import the native, W3C or brat export of the annotations instead",
                ));
            }
            if is_w3c_object(o) {
                Ok(Format::W3c)
            } else {
                Err(field(
                    "the top level",
                    "is neither an annotation file of this app (no “format”) nor W3C Web Annotation JSON-LD (no “@context”)",
                ))
            }
        }
        Value::Array(a) => {
            if a.iter().all(|x| x.as_object().is_some_and(is_w3c_object)) {
                Ok(Format::W3c)
            } else {
                Err(field("the top level", "is an array but not of W3C Web Annotations"))
            }
        }
        _ => Err(field("the top level", "must be a JSON object or array")),
    }
}

fn detect_text(file_name: &str, bytes: &[u8]) -> Result<Format, ImportError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge { bytes: bytes.len(), max: MAX_FILE_BYTES });
    }
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.lines().any(brat::is_brat_line) || file_name.to_ascii_lowercase().ends_with(".ann") {
        return Ok(Format::Brat);
    }
    let first = text.lines().next().unwrap_or("").trim();
    if first.starts_with("id,label,start,end") {
        return Err(field(file_name, "CSV files are export-only; import the native JSON, W3C JSON-LD or brat .ann instead"));
    }
    Err(field(
        if file_name.is_empty() { "the file" } else { file_name },
        "is not an annotation file this app reads (native JSON, W3C Web Annotation JSON-LD or brat .ann)",
    ))
}

/// Imports any supported file into the current text `index`: detects the
/// format ([`detect`]), validates it, and anchors its annotations. A native
/// file is imported leniently ([`import_native_lenient`]); a brat `.ann` is
/// read without its `.txt` (see [`import_brat`] to pass it). Errors carry the
/// location of the first problem; on error nothing should change.
pub fn import(file_name: &str, bytes: &[u8], index: &TextIndex, opts: &ImportOptions) -> Result<Imported, ImportError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge { bytes: bytes.len(), max: MAX_FILE_BYTES });
    }
    if looks_like_json(bytes) {
        let v = parse_json_bounded(bytes)?;
        match detect_json(&v)? {
            Format::Native => Ok(Imported::anchor(Format::Native, index, native::candidates(&v, opts)?)),
            _ => Ok(Imported::anchor(Format::W3c, index, w3c::parse_value(&v, opts)?)),
        }
    } else {
        detect_text(file_name, bytes)?;
        import_brat(bytes, None, index, opts)
    }
}

/// Imports a brat `.ann`; `original_txt` is the `.txt` it was made on, if the
/// person gave it (then covered texts are checked against it and it provides
/// the context used to re-anchor into an edited text).
pub fn import_brat(ann: &[u8], original_txt: Option<&str>, index: &TextIndex, opts: &ImportOptions) -> Result<Imported, ImportError> {
    Ok(Imported::anchor(Format::Brat, index, brat::parse(ann, original_txt, index, opts)?))
}

/// Imports a W3C Web Annotation file (collection, page, array or single annotation).
pub fn import_w3c(bytes: &[u8], index: &TextIndex, opts: &ImportOptions) -> Result<Imported, ImportError> {
    Ok(Imported::anchor(Format::W3c, index, w3c::parse(bytes, opts)?))
}

/// Imports a native file **leniently**: everything [`native::import`] checks
/// is checked (format, version, types, unique ids, `start < end`, note
/// length), except that the quote need not match the current text at its
/// offsets: the annotations are re-anchored instead (moved, fuzzy or
/// orphaned). When the file carries its text, the context around each quote
/// is taken from it. [`native::import`] itself is unchanged (strict). Each
/// annotation is read by [`crate::formats::annotation_json`] (its rule for missing
/// times applies: `opts.now` is only for W3C and brat files); unknown
/// labels follow `opts.unknown_label`.
pub fn import_native_lenient(bytes: &[u8], index: &TextIndex, opts: &ImportOptions) -> Result<Imported, ImportError> {
    let v = parse_json_bounded(bytes)?;
    Ok(Imported::anchor(Format::Native, index, native::candidates(&v, opts)?))
}
