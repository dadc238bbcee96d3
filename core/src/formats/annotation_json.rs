//! The native annotation object, read and written in one place:
//!
//! ```json
//! { "id": "a1", "start": 10, "end": 25, "quote": "…", "label": "claim",
//!   "note": "…", "speaker": "…", "verdict": "Mostly false",
//!   "links": [ { "type": "denies", "to": "a0" } ],
//!   "created": "<RFC 3339>", "modified": "<RFC 3339>" }
//! ```
//!
//! It is the element of `annotations` in native files ([`crate::formats::native`],
//! and leniently [`crate::formats::import_native_lenient`]), in stored
//! records ([`crate::store::merge::parse_record`]) and in library backups
//! ([`crate::store::bundle`]). Offsets are code points, end exclusive.
//!
//! # Reading: [`parse_annotation`], [`parse_annotations`]
//!
//! Checks, in this order, the first problem returned with its path
//! (`annotations[3].start`):
//! `id` a string of 1 to [`MAX_ANNOTATION_ID_CP`] code points (unique in its
//! list); `start` and `end` whole numbers with `start < end`; against the
//! [`Check`]: `end` within the text and `quote` equal to the text at
//! `[start, end)` ([`Check::Text`]), or `end` within the known length and
//! `quote` `end - start` code points long ([`Check::Length`]), or only a
//! non-empty `quote` ([`Check::Reanchor`]); `label` one of claim, denial,
//! statistic (any case; or as the caller's label policy decides); `note`
//! missing, null or a string of at most [`MAX_NOTE_CP`] code points;
//! `speaker` and `verdict` missing, null or strings of at most
//! [`MAX_ATTRIBUTE_CP`] code points (white space runs become one space, the
//! ends are trimmed; the writer leaves them out when empty, so files without
//! them read exactly as before); `links` missing, null or an array of
//! `{"type": "denies", "to": "<id>"}` (see [`crate::model::links`]; left out when
//! empty; whether each `to` exists is checked by [`check_link_targets`]
//! for files, not for stored records); `created` and `modified` missing,
//! null or strings.
//!
//! **Missing times (one rule for every reader):** a missing or null
//! `created` is `""`, the unknown time ([`crate::text::time::compare_timestamps`]
//! orders it before every real time); a missing or null `modified` is the
//! `created` just read. A caller that wants another time for files of other
//! tools (W3C, brat: `ImportOptions::now`) sets it itself; native files are
//! this app's own and are read as written.
//!
//! # Writing: [`Annotations`]
//!
//! [`Annotations`] writes a list of these objects straight from borrowed
//! [`Annotation`]s (no `Value` tree, no copies: `DocRecord::to_json` runs on
//! every edit, for up to tens of thousands of annotations). Keys are in
//! alphabetical order, as the first version of the app wrote them (through a
//! `serde_json::Value`), so a native file of the same annotations is the
//! same bytes it always was. Every writer of native annotations uses it:
//! [`crate::formats::native::export_with`], `DocRecord::to_json`, [`crate::store::bundle::export`].
//! (`Annotation`'s own serde derive is the undo history's format, not this one.)

use crate::formats::json_fields::{field, get_offset, get_str, opt_str, ImportError};
use crate::model::links::{Link, LinkKind, MAX_LINKS_PER_ANNOTATION};
use crate::model::{clean_attribute, shorten, Annotation, Label, MAX_ATTRIBUTE_CP};
use crate::text::text_index::TextIndex;
use serde::{Serialize, Serializer};
use serde_json::Value;
use std::collections::HashMap;

/// Most annotations accepted in one list.
pub const MAX_ANNOTATIONS: usize = 200_000;
/// Longest note accepted, in code points.
pub const MAX_NOTE_CP: usize = 100_000;
/// Longest annotation id accepted, in code points.
pub const MAX_ANNOTATION_ID_CP: usize = 200;

/// What the annotations are checked against.
#[derive(Clone, Copy, Debug)]
pub enum Check<'a> {
    /// The text: `end ≤` its length and each quote must equal the text at its span.
    Text(&'a TextIndex),
    /// Only the text's length, if known: `end ≤` it, and each quote must
    /// have the span's length (`end - start` code points).
    Length(Option<usize>),
    /// Nothing about the text: the annotations are re-anchored afterwards
    /// ([`crate::anchor`]); the quote must only be non-empty.
    Reanchor,
}

/// The label rule of this app's own files: claim, denial or statistic (any
/// case); anything else is an error at `path`. Never skips (`Ok(Some)`).
pub fn strict_label(raw: &str, path: &str) -> Result<Option<Label>, ImportError> {
    match Label::parse(raw) {
        Some(l) => Ok(Some(l)),
        None => Err(field(path, format!("“{}” is not one of claim, denial, statistic", shorten(raw, 30)))),
    }
}

/// Reads one annotation object `v` found at `path` by the rules of the
/// module documentation. `label(raw, path)` turns the `label` string into a
/// label: `Ok(None)` leaves this annotation out (the result is then
/// `Ok(None)`), an error stops; pass [`strict_label`] for this app's rule.
/// Ids are not checked for uniqueness here (see [`parse_annotations`]).
pub fn parse_annotation<L>(v: &Value, path: &str, check: Check, label: &mut L) -> Result<Option<Annotation>, ImportError>
where
    L: FnMut(&str, &str) -> Result<Option<Label>, ImportError>,
{
    let obj = v.as_object().ok_or_else(|| field(path, "must be an object"))?;
    let id = get_str(obj, "id", path)?;
    if id.is_empty() || id.chars().count() > MAX_ANNOTATION_ID_CP {
        return Err(field(format!("{path}.id"), format!("must be 1 to {MAX_ANNOTATION_ID_CP} characters")));
    }
    let start = get_offset(obj, "start", path)?;
    let end = get_offset(obj, "end", path)?;
    if start >= end {
        return Err(field(path, format!("start {start} must be less than end {end}")));
    }
    let len = match check {
        Check::Text(index) => Some(index.len_cp()),
        Check::Length(len) => len,
        Check::Reanchor => None,
    };
    if let Some(len) = len {
        if end > len {
            return Err(field(format!("{path}.end"), format!("{end} is past the end of the text ({len} characters)")));
        }
    }
    let quote = get_str(obj, "quote", path)?;
    match check {
        Check::Text(index) => {
            let actual = index.slice_cp(start, end).unwrap_or("");
            if quote != actual {
                return Err(field(
                    format!("{path}.quote"),
                    format!("“{}” does not match the text at {start}..{end} (“{}”)", shorten(quote, 40), shorten(actual, 40)),
                ));
            }
        }
        Check::Length(_) => {
            let n = quote.chars().count();
            if n != end - start {
                return Err(field(format!("{path}.quote"), format!("has {n} characters but the span {start}..{end} has {}", end - start)));
            }
        }
        Check::Reanchor => {
            if quote.is_empty() {
                return Err(field(format!("{path}.quote"), "must not be empty"));
            }
        }
    }
    let label_s = get_str(obj, "label", path)?;
    let label = label(label_s, &format!("{path}.label"))?;
    let note = opt_str(obj, "note", path)?.unwrap_or("");
    if note.chars().count() > MAX_NOTE_CP {
        return Err(field(format!("{path}.note"), format!("is longer than {MAX_NOTE_CP} characters")));
    }
    let mut attrs = [String::new(), String::new()];
    for (slot, key) in attrs.iter_mut().zip(["speaker", "verdict"]) {
        let v = opt_str(obj, key, path)?.unwrap_or("");
        if v.chars().count() > MAX_ATTRIBUTE_CP {
            return Err(field(format!("{path}.{key}"), format!("is longer than {MAX_ATTRIBUTE_CP} characters")));
        }
        *slot = clean_attribute(v);
    }
    let [speaker, verdict] = attrs;
    let links = parse_links(obj.get("links"), id, &format!("{path}.links"))?;
    let created = opt_str(obj, "created", path)?.unwrap_or("");
    let modified = opt_str(obj, "modified", path)?.unwrap_or(created);
    let Some(label) = label else { return Ok(None) };
    Ok(Some(Annotation {
        id: id.to_string(),
        start,
        end,
        quote: quote.to_string(),
        label,
        note: note.to_string(),
        speaker,
        verdict,
        links,
        created: created.to_string(),
        modified: modified.to_string(),
    }))
}

/// Reads the `links` of annotation `id` (`None`: missing, no links): an
/// array of at most [`MAX_LINKS_PER_ANNOTATION`] objects `{"type", "to"}`,
/// the type one of [`LinkKind::ALL`] (any case), `to` another annotation's
/// id, each target once. Returned sorted, as [`Annotation::links`] is kept.
/// Whether the targets exist is the caller's check ([`check_link_targets`]).
fn parse_links(v: Option<&Value>, id: &str, path: &str) -> Result<Vec<Link>, ImportError> {
    let list = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(a)) => a,
        Some(_) => return Err(field(path, "must be an array")),
    };
    if list.len() > MAX_LINKS_PER_ANNOTATION {
        return Err(field(path, format!("has {} links; the limit is {MAX_LINKS_PER_ANNOTATION}", list.len())));
    }
    let mut out: Vec<Link> = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let obj = item.as_object().ok_or_else(|| field(&p, "must be an object"))?;
        let raw = get_str(obj, "type", &p)?;
        let kind = LinkKind::parse(raw).ok_or_else(|| {
            let kinds: Vec<&str> = LinkKind::ALL.iter().map(|k| k.as_str()).collect();
            field(format!("{p}.type"), format!("“{}” is not one of {}", shorten(raw, 30), kinds.join(", ")))
        })?;
        let to = get_str(obj, "to", &p)?;
        if to == id {
            return Err(field(format!("{p}.to"), "links the annotation to itself"));
        }
        if to.is_empty() || to.chars().count() > MAX_ANNOTATION_ID_CP {
            return Err(field(format!("{p}.to"), format!("must be 1 to {MAX_ANNOTATION_ID_CP} characters")));
        }
        if out.iter().any(|l| l.to == to) {
            return Err(field(format!("{p}.to"), format!("“{}” is linked twice", shorten(to, 40))));
        }
        out.push(Link { to: to.to_string(), kind });
    }
    crate::text::sorting::sort(&mut out);
    Ok(out)
}

/// Checks that every link of `annotations` (read from the `annotations`
/// array at `path`, in file order, none left out) goes to one of them:
/// files must be whole. (Stored records are not checked: a link may go to
/// an annotation deleted in another tab meanwhile, see [`crate::model::links`].)
pub fn check_link_targets(annotations: &[Annotation], path: &str) -> Result<(), ImportError> {
    if annotations.iter().all(|a| a.links.is_empty()) {
        return Ok(());
    }
    let ids: std::collections::HashSet<&str> = annotations.iter().map(|a| a.id.as_str()).collect();
    for (i, a) in annotations.iter().enumerate() {
        for (j, l) in a.links.iter().enumerate() {
            if !ids.contains(l.to.as_str()) {
                return Err(field(
                    format!("{path}[{i}].links[{j}].to"),
                    format!("no annotation in this file has the id “{}”", shorten(&l.to, 40)),
                ));
            }
        }
    }
    Ok(())
}

/// Reads an `annotations` array `v` found at `path` (`None`: the key is
/// missing, an error): at most [`MAX_ANNOTATIONS`] entries, each read by
/// [`parse_annotation`], ids unique (an id left out by `label` still counts).
/// Returns the annotations in file order.
pub fn parse_annotations<L>(v: Option<&Value>, path: &str, check: Check, mut label: L) -> Result<Vec<Annotation>, ImportError>
where
    L: FnMut(&str, &str) -> Result<Option<Label>, ImportError>,
{
    let list = match v {
        Some(Value::Array(a)) => a,
        Some(_) => return Err(field(path, "must be an array")),
        None => return Err(field(path, "is missing")),
    };
    if list.len() > MAX_ANNOTATIONS {
        return Err(field(path, format!("has {} entries; the limit is {MAX_ANNOTATIONS}", list.len())));
    }
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(list.len());
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let p = format!("{path}[{i}]");
        // A repeated id is reported where the id is, before the rest of the
        // object (an id seen before already passed the id checks).
        let id = item.get("id").and_then(Value::as_str);
        if let Some(j) = id.and_then(|id| seen.get(id)) {
            return Err(field(format!("{p}.id"), format!("“{}” is also the id of {path}[{j}]", shorten(id.unwrap_or(""), 40))));
        }
        let parsed = parse_annotation(item, &p, check, &mut label)?;
        if let Some(id) = id {
            seen.insert(id, i);
        }
        out.extend(parsed);
    }
    Ok(out)
}

/// Writes `annotations` as a JSON array of native annotation objects (see
/// the module documentation); embed it in a borrowed `Serialize` struct.
#[derive(Clone, Copy, Debug)]
pub struct Annotations<'a>(pub &'a [Annotation]);

/// One native annotation object, keys in alphabetical order.
#[derive(Serialize)]
struct AnnotationOut<'a> {
    created: &'a str,
    end: usize,
    id: &'a str,
    label: &'static str,
    #[serde(skip_serializing_if = "<[Link]>::is_empty")]
    links: &'a [Link],
    modified: &'a str,
    note: &'a str,
    quote: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    speaker: &'a str,
    start: usize,
    #[serde(skip_serializing_if = "str::is_empty")]
    verdict: &'a str,
}

impl Serialize for Annotations<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|a| AnnotationOut {
            created: &a.created,
            end: a.end,
            id: &a.id,
            label: a.label.as_str(),
            links: &a.links,
            modified: &a.modified,
            note: &a.note,
            quote: &a.quote,
            speaker: &a.speaker,
            start: a.start,
            verdict: &a.verdict,
        }))
    }
}
