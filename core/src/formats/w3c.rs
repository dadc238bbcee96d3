//! W3C Web Annotation Data Model, serialised as JSON-LD (`<name>.w3c.jsonld`).
//!
//! Export writes an `AnnotationCollection` whose first (and only) page is
//! embedded, as the model's §5 prescribes (`first` → `AnnotationPage` with
//! `items`). Each annotation:
//!
//! ```json
//! { "id": "urn:x-annotator:<id>", "type": "Annotation",
//!   "created": "…", "modified": "…",
//!   "body": [ { "type": "TextualBody", "purpose": "tagging", "value": "claim" },
//!             { "type": "TextualBody", "purpose": "commenting", "value": "note", "format": "text/plain" } ],
//!   "target": { "source": "urn:x-annotator:doc:<doc id>",
//!               "selector": [ { "type": "TextQuoteSelector", "exact": "…", "prefix": "…", "suffix": "…" },
//!                             { "type": "TextPositionSelector", "start": 10, "end": 25 } ] } }
//! ```
//! Positions are **code points**, end exclusive, as the model requires;
//! prefix/suffix are up to [`CONTEXT_CP`] code points and never cut a
//! grapheme cluster. The commenting body is only written for a non-empty note;
//! the verdict is a body with `purpose: "assessing"` and the speaker one
//! with `purpose: "identifying"` (each only when set). Links are annotations
//! of their own ([`super::w3c_links`]).
//!
//! Import accepts a collection (`items` or embedded `first.items`), a page,
//! a JSON array of annotations, or a single annotation.

use super::annotation_json::MAX_ANNOTATIONS;
use super::json_fields::{field, get_offset, ImportError};
use super::native::parse_json_bounded;
use super::parsed::{check_id, check_note, ImportOptions, LabelResolver, Parsed};
use super::w3c_links;
use super::w3c_terms::{has_type, ID_PREFIX};
use crate::anchor::{Candidate, CONTEXT_CP};
use crate::model::details::DocDetails;
use crate::model::{doc_id_for, shorten, Annotation, Document};
use serde_json::{json, Map, Value};
use std::collections::HashSet;

/// The Web Annotation JSON-LD context.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
/// MIME type of an export.
pub const MIME: &str = "application/ld+json;profile=\"http://www.w3.org/ns/anno.jsonld\"";

/// The W3C export of `annotations` of `doc`, pretty-printed.
pub fn export(doc: &Document, annotations: &[Annotation]) -> String {
    export_detailed(doc, &DocDetails::default(), annotations)
}

/// [`export`] with the document's details, on the collection as Dublin Core
/// terms (`dcterms:source`, `dcterms:publisher`, `dcterms:issued`; the
/// `@context` then lists the `dcterms` prefix after the Web Annotation context).
pub fn export_detailed(doc: &Document, details: &DocDetails, annotations: &[Annotation]) -> String {
    let mut v = to_value(doc, annotations);
    if !details.is_empty() {
        v["@context"] = json!([CONTEXT, { "dcterms": "http://purl.org/dc/terms/" }]);
        for (k, val) in
            [("dcterms:source", &details.source_url), ("dcterms:publisher", &details.publisher), ("dcterms:issued", &details.published)]
        {
            if !val.is_empty() {
                v[k] = Value::String(val.clone());
            }
        }
    }
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// The W3C export as a JSON value.
pub fn to_value(doc: &Document, annotations: &[Annotation]) -> Value {
    let source = format!("{ID_PREFIX}doc:{}", doc.id);
    let mut items: Vec<Value> = annotations.iter().map(|a| annotation_value(doc, &source, a)).collect();
    items.extend(w3c_links::export_links(annotations, |id| format!("{ID_PREFIX}{}", encode_id(id))));
    let mut coll = json!({
        "@context": CONTEXT,
        "id": format!("{source}:annotations"),
        "type": "AnnotationCollection",
        "total": items.len(),
        "first": {
            "id": format!("{source}:annotations:page-1"),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    });
    if !doc.title.is_empty() {
        coll["label"] = Value::String(doc.title.clone());
    }
    coll
}

fn annotation_value(doc: &Document, source: &str, a: &Annotation) -> Value {
    let ix = &doc.index;
    let mut body = vec![json!({ "type": "TextualBody", "purpose": "tagging", "value": a.label.as_str() })];
    if !a.note.is_empty() {
        body.push(json!({ "type": "TextualBody", "purpose": "commenting", "value": a.note, "format": "text/plain" }));
    }
    if !a.verdict.is_empty() {
        body.push(json!({ "type": "TextualBody", "purpose": "assessing", "value": a.verdict }));
    }
    if !a.speaker.is_empty() {
        body.push(json!({ "type": "TextualBody", "purpose": "identifying", "value": a.speaker }));
    }
    let mut v = json!({
        "id": format!("{ID_PREFIX}{}", encode_id(&a.id)),
        "type": "Annotation",
        "body": body,
        "target": {
            "source": source,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": a.quote,
                    "prefix": ix.prefix_cp(a.start, CONTEXT_CP),
                    "suffix": ix.suffix_cp(a.end, CONTEXT_CP),
                },
                { "type": "TextPositionSelector", "start": a.start, "end": a.end },
            ],
        },
    });
    if !a.created.is_empty() {
        v["created"] = Value::String(a.created.clone());
    }
    if !a.modified.is_empty() {
        v["modified"] = Value::String(a.modified.clone());
    }
    v
}

fn encode_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Undoes [`encode_id`]; `None` if the escapes are not valid UTF-8.
fn decode_id(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Our id for a W3C `id`: the part after [`ID_PREFIX`], percent-decoded;
/// any other IRI is kept as it is.
fn id_from_iri(iri: &str) -> String {
    match iri.strip_prefix(ID_PREFIX) {
        Some(rest) => decode_id(rest).unwrap_or_else(|| rest.to_string()),
        None => iri.to_string(),
    }
}

fn is_anno_context(s: &str) -> bool {
    s == CONTEXT || s == "https://www.w3.org/ns/anno.jsonld"
}

/// Checks `@context` of `obj`: must be (or list) the Web Annotation context.
fn check_context(obj: &Map<String, Value>, path: &str, required: bool) -> Result<(), ImportError> {
    let p = if path.is_empty() { "@context".to_string() } else { format!("{path}.@context") };
    match obj.get("@context") {
        None if required => Err(field(p, format!("is missing (expected “{CONTEXT}”)"))),
        None => Ok(()),
        Some(Value::String(s)) if is_anno_context(s) => Ok(()),
        Some(Value::Array(a)) if a.iter().any(|x| x.as_str().is_some_and(is_anno_context)) => Ok(()),
        Some(Value::String(s)) => Err(field(p, format!("“{}” is not the Web Annotation context (expected “{CONTEXT}”)", shorten(s, 60)))),
        Some(_) => Err(field(p, format!("does not name the Web Annotation context “{CONTEXT}”"))),
    }
}

/// Validates W3C JSON-LD bytes (size-bounded, syntax errors with line/column)
/// and turns its annotations into candidates.
pub fn parse(bytes: &[u8], opts: &ImportOptions) -> Result<Parsed, ImportError> {
    parse_value(&parse_json_bounded(bytes)?, opts)
}

/// Validates an already parsed W3C document (see [`parse`]).
pub fn parse_value(v: &Value, opts: &ImportOptions) -> Result<Parsed, ImportError> {
    // (item, its path, whether it must carry its own @context)
    let mut items: Vec<(&Value, String, bool)> = Vec::new();
    match v {
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                items.push((x, format!("[{i}]"), true));
            }
        }
        Value::Object(o) => {
            check_context(o, "", true)?;
            let ty = o.get("type");
            if has_type(ty, "AnnotationCollection") {
                let (list, base) = match (o.get("items"), o.get("first")) {
                    (Some(list), _) => (list, "items".to_string()),
                    (None, Some(Value::Object(page))) => match page.get("items") {
                        Some(list) => (list, "first.items".to_string()),
                        None => return Err(field("first.items", "is missing")),
                    },
                    (None, Some(Value::String(_))) => {
                        return Err(field(
                            "first",
                            "links to a page elsewhere; only collections with their annotations embedded can be imported",
                        ))
                    }
                    (None, Some(_)) => return Err(field("first", "must be an AnnotationPage object")),
                    (None, None) => return Err(field("items", "is missing (the collection has neither “items” nor “first”)")),
                };
                let list = list.as_array().ok_or_else(|| field(&base, "must be an array"))?;
                for (i, x) in list.iter().enumerate() {
                    items.push((x, format!("{base}[{i}]"), false));
                }
            } else if has_type(ty, "AnnotationPage") {
                let list = match o.get("items") {
                    Some(Value::Array(a)) => a,
                    Some(_) => return Err(field("items", "must be an array")),
                    None => return Err(field("items", "is missing")),
                };
                for (i, x) in list.iter().enumerate() {
                    items.push((x, format!("items[{i}]"), false));
                }
            } else if has_type(ty, "Annotation") {
                items.push((v, String::new(), false));
            } else {
                return Err(field("type", "must be Annotation, AnnotationCollection or AnnotationPage"));
            }
        }
        _ => return Err(field("the top level", "must be a JSON object or array")),
    }
    if items.len() > MAX_ANNOTATIONS {
        return Err(field("items", format!("has {} entries; the limit is {MAX_ANNOTATIONS}", items.len())));
    }
    let mut labels = LabelResolver::new(&opts.unknown_label);
    let mut seen = HashSet::new();
    let mut candidates = Vec::with_capacity(items.len());
    let mut links = Vec::new();
    for (i, (item, path, own_context)) in items.into_iter().enumerate() {
        if let Some(obj) = item.as_object().filter(|o| w3c_links::is_linking(o)) {
            links.push(w3c_links::parse_link(obj, &path, id_from_iri)?);
        } else if let Some(c) = parse_annotation(item, &path, own_context, i, opts, &mut labels, &mut seen)? {
            candidates.push(c);
        }
    }
    // Ids read but left out (a label skipped) take their links with them.
    let kept: HashSet<&str> = candidates.iter().map(|c| c.id.as_str()).collect();
    let skipped: HashSet<String> = seen.iter().filter(|id| !kept.contains(id.as_str())).cloned().collect();
    w3c_links::attach(links, &mut candidates, &skipped)?;
    Ok(Parsed { candidates, unknown_labels: labels.unknown, skipped: labels.skipped, warnings: Vec::new(), unknown_relations: Vec::new() })
}

/// `path.key`, or `key` at the top level.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn opt_str<'v>(obj: &'v Map<String, Value>, key: &str, path: &str) -> Result<Option<&'v str>, ImportError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(field(join(path, key), "must be a string")),
    }
}

/// A JSON-LD value that may be one object or an array of them, as a list.
fn one_or_many(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    }
}

fn purpose_is(obj: &Map<String, Value>, p: &str) -> bool {
    has_type(obj.get("purpose"), p)
}

#[allow(clippy::too_many_arguments)]
fn parse_annotation(
    item: &Value,
    path: &str,
    own_context: bool,
    i: usize,
    opts: &ImportOptions,
    labels: &mut LabelResolver<'_>,
    seen: &mut HashSet<String>,
) -> Result<Option<Candidate>, ImportError> {
    let shown_path = if path.is_empty() { "the annotation" } else { path };
    let obj = item.as_object().ok_or_else(|| field(shown_path, "must be an object"))?;
    check_context(obj, path, own_context)?;
    if !has_type(obj.get("type"), "Annotation") {
        return Err(field(join(path, "type"), "must be “Annotation”"));
    }

    // Body: the label (tagging), the note (commenting), the verdict (assessing), the speaker (identifying).
    let mut tags: Vec<&str> = Vec::new();
    let mut note: Option<&str> = None;
    let (mut verdict, mut speaker) = (String::new(), String::new());
    if let Some(body) = obj.get("body") {
        for (bi, b) in one_or_many(body).into_iter().enumerate() {
            let bpath = if body.is_array() { format!("{}[{bi}]", join(path, "body")) } else { join(path, "body") };
            let Some(bo) = b.as_object() else { continue };
            if purpose_is(bo, "tagging") || purpose_is(bo, "classifying") {
                match bo.get("value") {
                    Some(Value::String(s)) => tags.push(s),
                    _ => return Err(field(join(&bpath, "value"), "must be a string (the label)")),
                }
            } else if purpose_is(bo, "commenting") && note.is_none() {
                note = opt_str(bo, "value", &bpath)?;
            } else if purpose_is(bo, "assessing") || purpose_is(bo, "identifying") {
                let raw = opt_str(bo, "value", &bpath)?.unwrap_or("");
                let v = crate::model::fitting_attribute(raw)
                    .ok_or_else(|| field(join(&bpath, "value"), format!("is longer than {} characters", crate::model::MAX_ATTRIBUTE_CP)))?;
                *if purpose_is(bo, "assessing") { &mut verdict } else { &mut speaker } = v;
            }
        }
    }
    let note = note.unwrap_or("");
    check_note(note, &join(path, "body"))?;

    // Target and selectors.
    let tpath = join(path, "target");
    let target = obj.get("target").ok_or_else(|| field(&tpath, "is missing"))?;
    let target = one_or_many(target)
        .into_iter()
        .filter_map(Value::as_object)
        .find(|t| t.contains_key("selector"))
        .ok_or_else(|| field(join(&tpath, "selector"), "is missing"))?;
    let spath = join(&tpath, "selector");
    let selector = &target["selector"];
    let mut quote: Option<(&str, &str, &str)> = None;
    let mut position: Option<(usize, usize)> = None;
    for (si, s) in one_or_many(selector).into_iter().enumerate() {
        let p = if selector.is_array() { format!("{spath}[{si}]") } else { spath.clone() };
        let so = s.as_object().ok_or_else(|| field(&p, "must be an object"))?;
        if has_type(so.get("type"), "TextQuoteSelector") && quote.is_none() {
            let exact = match so.get("exact") {
                Some(Value::String(e)) if !e.is_empty() => e.as_str(),
                Some(Value::String(_)) => return Err(field(join(&p, "exact"), "must not be empty")),
                Some(_) => return Err(field(join(&p, "exact"), "must be a string")),
                None => return Err(field(join(&p, "exact"), "is missing")),
            };
            let prefix = opt_str(so, "prefix", &p)?.unwrap_or("");
            let suffix = opt_str(so, "suffix", &p)?.unwrap_or("");
            quote = Some((exact, prefix, suffix));
        } else if has_type(so.get("type"), "TextPositionSelector") && position.is_none() {
            let start = get_offset(so, "start", &p)?;
            let end = get_offset(so, "end", &p)?;
            if start >= end {
                return Err(field(&p, format!("start {start} must be less than end {end}")));
            }
            position = Some((start, end));
        }
    }
    if quote.is_none() && position.is_none() {
        return Err(field(&spath, "has no TextQuoteSelector or TextPositionSelector"));
    }
    let (exact, prefix, suffix) = quote.unwrap_or(("", "", ""));

    // Id, times, label.
    let id = match opt_str(obj, "id", path)? {
        Some(iri) => id_from_iri(iri),
        None => format!("w3c-{}-{}", &doc_id_for(exact)[..8], i + 1),
    };
    check_id(&id, &join(path, "id"), seen)?;
    let created = opt_str(obj, "created", path)?.map_or_else(|| opts.now.clone(), str::to_string);
    let modified = opt_str(obj, "modified", path)?.map_or_else(|| created.clone(), str::to_string);
    let raw_label = tags.iter().copied().find(|t| crate::model::Label::parse(t).is_some()).or(tags.first().copied());
    let Some(label) = labels.resolve(raw_label, &join(path, "body"))? else { return Ok(None) };

    Ok(Some(Candidate {
        id,
        label,
        note: note.to_string(),
        speaker,
        verdict,
        links: Vec::new(),
        created,
        modified,
        quote: exact.to_string(),
        prefix: prefix.to_string(),
        suffix: suffix.to_string(),
        start_hint: position.map(|p| p.0),
        end_hint: position.map(|p| p.1),
    }))
}
