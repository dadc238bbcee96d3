//! Links in the W3C Web Annotation export: each link is an annotation of its
//! own, motivated by `linking`, whose two targets name the annotations it
//! joins (the first is where the link starts) and whose body tags its type:
//!
//! ```json
//! { "id": "urn:x-annotator:link:d1:denies:c1", "type": "Annotation", "motivation": "linking",
//!   "body": { "type": "TextualBody", "purpose": "tagging", "value": "denies" },
//!   "target": [ "urn:x-annotator:d1", "urn:x-annotator:c1" ] }
//! ```
//! Reading takes them back onto the annotations they start from. A linking
//! annotation without exactly two targets, with a type this app does not
//! have, or naming an annotation the file does not hold is refused with its
//! path.

use super::json_fields::{field, ImportError};
use super::w3c_terms::{has_type, ID_PREFIX};
use crate::anchor::Candidate;
use crate::model::links::{Link, LinkKind};
use crate::model::{shorten, Annotation};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// The linking annotations of `annotations` (links to annotations not among them left out).
pub fn export_links(annotations: &[Annotation], iri: impl Fn(&str) -> String) -> Vec<Value> {
    let ids: std::collections::HashSet<&str> = annotations.iter().map(|a| a.id.as_str()).collect();
    let mut out = Vec::new();
    for a in annotations {
        for l in a.links.iter().filter(|l| ids.contains(l.to.as_str())) {
            let (from, to) = (iri(&a.id), iri(&l.to));
            let id = format!("{ID_PREFIX}link:{}:{}:{}", from.trim_start_matches(ID_PREFIX), l.kind, to.trim_start_matches(ID_PREFIX));
            out.push(json!({
                "id": id,
                "type": "Annotation",
                "motivation": "linking",
                "body": { "type": "TextualBody", "purpose": "tagging", "value": l.kind.as_str() },
                "target": [from, to],
            }));
        }
    }
    out
}

/// Whether `obj` is a linking annotation.
pub fn is_linking(obj: &Map<String, Value>) -> bool {
    has_type(obj.get("motivation"), "linking")
}

/// A link read from a file, before its ends are found.
pub struct PendingLink {
    pub path: String,
    pub from: String,
    pub to: String,
    pub kind: LinkKind,
}

/// Reads a linking annotation at `path`; `id_of` turns a target IRI into an annotation id.
pub fn parse_link(obj: &Map<String, Value>, path: &str, id_of: impl Fn(&str) -> String) -> Result<PendingLink, ImportError> {
    let at = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    let targets: Vec<&Value> = match obj.get("target") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v) => vec![v],
        None => return Err(field(at("target"), "is missing")),
    };
    let ids: Vec<String> = targets
        .iter()
        .map(|t| match t {
            Value::String(s) => Some(id_of(s)),
            Value::Object(o) => o.get("id").or_else(|| o.get("source")).and_then(Value::as_str).map(&id_of),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| field(at("target"), "each target of a linking annotation must name an annotation (an IRI)"))?;
    let [from, to] = <[String; 2]>::try_from(ids)
        .map_err(|v| field(at("target"), format!("a linking annotation needs exactly two targets, found {}", v.len())))?;
    let body = obj.get("body").ok_or_else(|| field(at("body"), "is missing (the link type)"))?;
    let raw = match body {
        Value::String(s) => s.as_str(),
        Value::Object(o) => o.get("value").and_then(Value::as_str).unwrap_or(""),
        Value::Array(a) => a.iter().find_map(|b| b.get("value").and_then(Value::as_str)).unwrap_or(""),
        _ => "",
    };
    let kind = LinkKind::parse(raw).ok_or_else(|| {
        field(at("body"), format!("“{}” is not a link type of this app (denies, supports, contradicts, repeats)", shorten(raw, 30)))
    })?;
    if from == to {
        return Err(field(at("target"), "links an annotation to itself"));
    }
    Ok(PendingLink { path: path.to_string(), from, to, kind })
}

/// Puts the links read onto the candidates they start from. `skipped` ids
/// (annotations left out, e.g. an unknown label skipped) take their links with them.
pub fn attach(
    links: Vec<PendingLink>,
    candidates: &mut [Candidate],
    skipped: &std::collections::HashSet<String>,
) -> Result<usize, ImportError> {
    let index: HashMap<String, usize> = candidates.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
    let mut n = 0;
    for l in links {
        let find = |id: &str| -> Result<Option<usize>, ImportError> {
            match index.get(id) {
                Some(&i) => Ok(Some(i)),
                None if skipped.contains(id) => Ok(None),
                None => Err(field(
                    format!("{}.target", l.path),
                    format!("names “{}”, which is not an annotation of this file", shorten(id, 40)),
                )),
            }
        };
        let (Some(i), Some(_)) = (find(&l.from)?, find(&l.to)?) else { continue };
        let c = &mut candidates[i];
        if !c.links.iter().any(|x| x.to == l.to) {
            c.links.push(Link { to: l.to, kind: l.kind });
            crate::text::sorting::sort(&mut c.links);
            n += 1;
        }
    }
    Ok(n)
}
