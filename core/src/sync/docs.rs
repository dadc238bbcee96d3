//! How this app's data maps to CouchDB documents, and back.
//!
//! # The documents
//!
//! 1. **`_id`** ([`CouchId`]): `ann:{doc}:{ann}` for annotation `ann` of
//!    document `doc`, `doc:{doc}` for the document itself (text, title,
//!    details). `doc` must pass [`valid_doc_id`] (letters, digits, `-`, `_`:
//!    never a `:`), so everything after the second `:` is the annotation id,
//!    verbatim: any id of 1 to [`MAX_ANNOTATION_ID_CP`] code points (the
//!    rule of files) round-trips, with no escaping; others are refused. The
//!    prefix also keeps `_id` off CouchDB's reserved leading `_`, and makes
//!    one document's annotations one key range of `_all_docs`: from
//!    `ann:{doc}:` up to, not including, `ann:{doc};` (`;` follows `:`).
//!    A link is `link:{doc}:{n}:{from}:{to}`, `n` the number of code points
//!    of the source annotation's id `from` (ids may hold `:`), so the target
//!    `to` is the rest, verbatim.
//! 2. **An annotation**: the native annotation object
//!    ([`crate::formats::annotation_json`]: `id`, `start`, `end`, `quote`, `label`,
//!    `note`, `speaker`, `verdict`, `created`, `modified`) at the top level,
//!    **without** `links`, plus `_id`, `"type": "annotation"` and `hlc` (the
//!    [`Hlc`] string of its last edit). A `links` field read is ignored.
//!
//!    **A link** (rule 2b): `_id`, `"type": "link"`, `hlc`, `from`, `to`
//!    (the ids its `_id` names) and `kind` (`denies`, `supports`,
//!    `contradicts`, `repeats`). One record per link, so adding a link and
//!    editing its annotation elsewhere at the same time are both kept.
//! 3. **A document**: `_id`, `"type": "document"`, `hlc`, `meta` (the
//!    library's [`DocMeta::to_value`] object, read back by
//!    [`DocMeta::from_value`], which tidies titles and names; its `id` is
//!    the one in `_id`) and `text`.
//! 4. **A deletion** of either: `{"_id": …, "_deleted": true, "hlc": …}`,
//!    written on top of the revision it deletes; CouchDB keeps the fields of
//!    a deleted revision, so the time of the deletion stays known.
//! 5. **Reading** ([`from_couch`]): a document whose `_id` is outside the three
//!    prefixes, or that is live without the matching `type`, was not written
//!    by this app: [`CouchError::Foreign`], to be skipped and counted. One of
//!    ours is refused for a bad `_id` part ([`CouchError::DocId`],
//!    [`CouchError::AnnotationId`]) or a bad field ([`CouchError::Field`],
//!    with its path). CouchDB's
//!    own fields (`_rev`, `_conflicts`, `_revisions`, …) and unknown fields
//!    are ignored. Offsets are checked as in stored records without their
//!    text (`start < end`, the quote `end - start` code points long); against
//!    the text is the app's check.
//! 6. **A batch** ([`parse_batch`]): the bridge passes the changes feed as
//!    a JSON list of `{"id": …, "leaves": [revision, …]}`, one per changed
//!    `_id` ([`Changed`]). Anything but a JSON list is refused
//!    ([`BatchError`]); an entry without an `id` or `leaves` counts as an
//!    `_id` with no leaves (nothing to take in).

use crate::formats::annotation_json::{parse_annotation, strict_label, Annotations, Check, MAX_ANNOTATION_ID_CP};
use crate::formats::json_fields::ImportError;
use crate::model::links::{Link, LinkKind};
use crate::model::{shorten, Annotation};
use crate::store::library::{valid_doc_id, DocMeta, MAX_ID_LEN};
use crate::sync::hlc::Hlc;
use serde_json::{json, Map, Value};
use std::fmt;

/// `type` of an annotation's document.
pub const TYPE_ANNOTATION: &str = "annotation";
/// `type` of a text's document.
pub const TYPE_DOCUMENT: &str = "document";
/// `type` of a link's document.
pub const TYPE_LINK: &str = "link";

/// What a CouchDB `_id` of this app names (rule 1).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CouchId {
    /// `ann:{doc}:{ann}`.
    Annotation { doc: String, ann: String },
    /// `doc:{doc}`.
    Document { doc: String },
    /// `link:{doc}:{n}:{from}:{to}`: the link from annotation `from` to `to`.
    Link { doc: String, from: String, to: String },
}

/// One revision of one of this app's CouchDB documents, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Remote {
    /// A live annotation of document `doc`, last edited at `hlc`.
    Annotation { doc: String, ann: Annotation, hlc: Hlc },
    /// A live document: its library entry and its text, last edited at `hlc`.
    Document { meta: DocMeta, text: String, hlc: Hlc },
    /// A live link of document `doc` from annotation `from`, made or changed at `hlc`.
    Link { doc: String, from: String, link: Link, hlc: Hlc },
    /// A deletion of `id` at `hlc`.
    Deleted { id: CouchId, hlc: Hlc },
}

/// One changed `_id` as the changes feed gives it: its leaf revisions (rule 6).
#[derive(Clone, Debug, PartialEq)]
pub struct Changed {
    pub id: String,
    pub leaves: Vec<Value>,
}

/// Why a batch of the changes feed was not read (rule 6; one variant per check).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BatchError {
    /// Not JSON: the parser's message.
    Json(String),
    /// JSON, but not a list.
    NotList,
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BatchError::Json(e) => write!(f, "{e}"),
            BatchError::NotList => write!(f, "the changes are not a list"),
        }
    }
}

impl std::error::Error for BatchError {}

/// Reads a batch of the changes feed (rule 6).
pub fn parse_batch(json: &str) -> Result<Vec<Changed>, BatchError> {
    let v: Value = serde_json::from_str(json).map_err(|e| BatchError::Json(e.to_string()))?;
    let Value::Array(items) = v else { return Err(BatchError::NotList) };
    Ok(items
        .into_iter()
        .map(|mut v| Changed {
            id: v.get("id").and_then(Value::as_str).unwrap_or_default().to_string(),
            leaves: match v.get_mut("leaves").map(Value::take) {
                Some(Value::Array(leaves)) => leaves,
                _ => Vec::new(),
            },
        })
        .collect())
}

/// Why a CouchDB document was not read or written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CouchError {
    /// Not written by this app (rule 5): skip it and count it. `id` is its
    /// `_id` (`""` when it has none).
    Foreign { id: String },
    /// A document id that is not 1 to 64 letters, digits, `-` or `_`.
    DocId(String),
    /// An annotation id that is empty or longer than [`MAX_ANNOTATION_ID_CP`].
    AnnotationId(String),
    /// A document of this app with a bad field at `path` (`start`, `meta.title`, `hlc`).
    Field { id: String, path: String, message: String },
}

impl fmt::Display for CouchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CouchError::Foreign { id } if id.is_empty() => {
                write!(f, "A shared record without an id was skipped: this app did not write it.")
            }
            CouchError::Foreign { id } => write!(f, "The shared record “{}” was skipped: this app did not write it.", shorten(id, 60)),
            CouchError::DocId(d) => {
                write!(f, "“{}” is not a document id (1 to {MAX_ID_LEN} letters, digits, - or _).", shorten(d, 40))
            }
            CouchError::AnnotationId(a) => {
                write!(f, "The annotation id “{}” cannot be shared: it must be 1 to {MAX_ANNOTATION_ID_CP} characters.", shorten(a, 40))
            }
            CouchError::Field { id, path, message } if path.is_empty() => {
                write!(f, "In the shared record “{}”: {message}.", shorten(id, 60))
            }
            CouchError::Field { id, path, message } => write!(f, "In the shared record “{}”, {path}: {message}.", shorten(id, 60)),
        }
    }
}

impl std::error::Error for CouchError {}

impl CouchId {
    /// The id of annotation `ann` of document `doc`, checked (rule 1).
    pub fn annotation(doc: &str, ann: &str) -> Result<CouchId, CouchError> {
        check_doc(doc)?;
        if ann.is_empty() || ann.chars().count() > MAX_ANNOTATION_ID_CP {
            return Err(CouchError::AnnotationId(ann.to_string()));
        }
        Ok(CouchId::Annotation { doc: doc.to_string(), ann: ann.to_string() })
    }

    /// The id of the link from annotation `from` to `to` of document `doc`, checked (rule 1).
    pub fn link(doc: &str, from: &str, to: &str) -> Result<CouchId, CouchError> {
        for ann in [from, to] {
            CouchId::annotation(doc, ann)?;
        }
        Ok(CouchId::Link { doc: doc.to_string(), from: from.to_string(), to: to.to_string() })
    }

    /// The id of document `doc`, checked (rule 1).
    pub fn document(doc: &str) -> Result<CouchId, CouchError> {
        check_doc(doc)?;
        Ok(CouchId::Document { doc: doc.to_string() })
    }

    /// Reads an `_id`: `Foreign` outside the two prefixes, an id error for a bad part.
    pub fn parse(id: &str) -> Result<CouchId, CouchError> {
        if let Some(rest) = id.strip_prefix("ann:") {
            let (doc, ann) = rest.split_once(':').ok_or_else(|| CouchError::DocId(rest.to_string()))?;
            CouchId::annotation(doc, ann)
        } else if let Some(rest) = id.strip_prefix("link:") {
            let bad = || CouchError::DocId(rest.to_string());
            let (doc, rest) = rest.split_once(':').ok_or_else(bad)?;
            let (n, rest) = rest.split_once(':').ok_or_else(bad)?;
            let n: usize = n.parse().map_err(|_| bad())?;
            let cut = rest.char_indices().nth(n).map(|(i, _)| i).ok_or_else(bad)?;
            let (from, to) = (&rest[..cut], &rest[cut..]);
            let to = to.strip_prefix(':').ok_or_else(bad)?;
            CouchId::link(doc, from, to)
        } else if let Some(doc) = id.strip_prefix("doc:") {
            CouchId::document(doc)
        } else {
            Err(CouchError::Foreign { id: id.to_string() })
        }
    }

    /// The document (text) this id belongs to.
    pub fn doc(&self) -> &str {
        match self {
            CouchId::Annotation { doc, .. } | CouchId::Document { doc } | CouchId::Link { doc, .. } => doc,
        }
    }
}

impl fmt::Display for CouchId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CouchId::Annotation { doc, ann } => write!(f, "ann:{doc}:{ann}"),
            CouchId::Document { doc } => write!(f, "doc:{doc}"),
            CouchId::Link { doc, from, to } => write!(f, "link:{doc}:{}:{from}:{to}", from.chars().count()),
        }
    }
}

fn check_doc(doc: &str) -> Result<(), CouchError> {
    if valid_doc_id(doc) {
        Ok(())
    } else {
        Err(CouchError::DocId(doc.to_string()))
    }
}

impl Remote {
    /// The `_id` this revision belongs to.
    pub fn couch_id(&self) -> CouchId {
        match self {
            Remote::Annotation { doc, ann, .. } => CouchId::Annotation { doc: doc.clone(), ann: ann.id.clone() },
            Remote::Document { meta, .. } => CouchId::Document { doc: meta.id.clone() },
            Remote::Link { doc, from, link, .. } => CouchId::Link { doc: doc.clone(), from: from.clone(), to: link.to.clone() },
            Remote::Deleted { id, .. } => id.clone(),
        }
    }

    /// The clock of the edit or deletion.
    pub fn hlc(&self) -> &Hlc {
        match self {
            Remote::Annotation { hlc, .. } | Remote::Document { hlc, .. } | Remote::Link { hlc, .. } | Remote::Deleted { hlc, .. } => hlc,
        }
    }

    /// Whether this is a deletion.
    pub fn is_deleted(&self) -> bool {
        matches!(self, Remote::Deleted { .. })
    }

    /// The CouchDB body of this revision (without `_rev`): [`to_couch`],
    /// [`document_to_couch`] or [`deletion`].
    pub fn to_couch(&self) -> Value {
        match self {
            Remote::Annotation { doc, ann, hlc } => {
                annotation_body(&CouchId::Annotation { doc: doc.clone(), ann: ann.id.clone() }, ann, hlc)
            }
            Remote::Document { meta, text, hlc } => document_body(meta, text, hlc),
            Remote::Link { doc, from, link, hlc } => link_body(doc, from, link, hlc),
            Remote::Deleted { id, hlc } => deletion(id, hlc),
        }
    }
}

/// The CouchDB document of annotation `ann` of document `doc_id`, last
/// edited at `hlc` (rule 2; the caller adds `_rev` when it updates one).
pub fn to_couch(doc_id: &str, ann: &Annotation, hlc: &Hlc) -> Result<Value, CouchError> {
    let id = CouchId::annotation(doc_id, &ann.id)?;
    Ok(annotation_body(&id, ann, hlc))
}

fn annotation_body(id: &CouchId, ann: &Annotation, hlc: &Hlc) -> Value {
    // The one writer of native annotation objects, for a list of one.
    let mut obj = match serde_json::to_value(Annotations(std::slice::from_ref(ann))) {
        Ok(Value::Array(mut list)) => match list.pop() {
            Some(Value::Object(o)) => o,
            _ => Map::new(),
        },
        _ => Map::new(),
    };
    obj.remove("links");
    obj.insert("_id".into(), Value::String(id.to_string()));
    obj.insert("type".into(), Value::String(TYPE_ANNOTATION.into()));
    obj.insert("hlc".into(), Value::String(hlc.to_string()));
    Value::Object(obj)
}

/// The CouchDB document of the link `link` from annotation `from` of document `doc_id` (rule 2b).
pub fn link_to_couch(doc_id: &str, from: &str, link: &Link, hlc: &Hlc) -> Result<Value, CouchError> {
    CouchId::link(doc_id, from, &link.to)?;
    Ok(link_body(doc_id, from, link, hlc))
}

fn link_body(doc: &str, from: &str, link: &Link, hlc: &Hlc) -> Value {
    let id = CouchId::Link { doc: doc.to_string(), from: from.to_string(), to: link.to.clone() };
    json!({ "_id": id.to_string(), "type": TYPE_LINK, "hlc": hlc.to_string(), "from": from, "to": link.to, "kind": link.kind.as_str() })
}

/// The CouchDB document of a text and its library entry (rule 3).
pub fn document_to_couch(meta: &DocMeta, text: &str, hlc: &Hlc) -> Result<Value, CouchError> {
    check_doc(&meta.id)?;
    Ok(document_body(meta, text, hlc))
}

fn document_body(meta: &DocMeta, text: &str, hlc: &Hlc) -> Value {
    let id = CouchId::Document { doc: meta.id.clone() };
    json!({ "_id": id.to_string(), "type": TYPE_DOCUMENT, "hlc": hlc.to_string(), "meta": meta.to_value(), "text": text })
}

/// The deletion of annotation `ann_id` of document `doc_id` at `hlc` (rule
/// 4; the caller adds the `_rev` it deletes).
pub fn tombstone(doc_id: &str, ann_id: &str, hlc: &Hlc) -> Result<Value, CouchError> {
    Ok(deletion(&CouchId::annotation(doc_id, ann_id)?, hlc))
}

/// The deletion of the CouchDB document `id` at `hlc` (rule 4).
pub fn deletion(id: &CouchId, hlc: &Hlc) -> Value {
    json!({ "_id": id.to_string(), "_deleted": true, "hlc": hlc.to_string() })
}

/// Reads one revision of a CouchDB document (rule 5).
pub fn from_couch(v: &Value) -> Result<Remote, CouchError> {
    let foreign = |id: &str| CouchError::Foreign { id: id.to_string() };
    let Some(obj) = v.as_object() else { return Err(foreign("")) };
    let Some(raw_id) = obj.get("_id").and_then(Value::as_str) else { return Err(foreign("")) };
    let id = CouchId::parse(raw_id)?;
    let bad = |path: &str, message: String| CouchError::Field { id: raw_id.to_string(), path: path.to_string(), message };
    let deleted = match obj.get("_deleted") {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::Bool(true)) => true,
        Some(_) => return Err(bad("_deleted", "must be true or false".into())),
    };
    let want_type = match id {
        CouchId::Annotation { .. } => TYPE_ANNOTATION,
        CouchId::Document { .. } => TYPE_DOCUMENT,
        CouchId::Link { .. } => TYPE_LINK,
    };
    if !deleted && obj.get("type").and_then(Value::as_str) != Some(want_type) {
        return Err(foreign(raw_id));
    }
    let hlc = match obj.get("hlc") {
        Some(Value::String(s)) => Hlc::parse(s).map_err(|e| bad("hlc", e.to_string()))?,
        Some(_) => return Err(bad("hlc", "must be a string".into())),
        None => return Err(bad("hlc", "is missing".into())),
    };
    if deleted {
        return Ok(Remote::Deleted { id, hlc });
    }
    let at = |e: ImportError| match e {
        ImportError::Field { path, message } => bad(path.trim_start_matches('.'), message),
        other => bad("", other.to_string()),
    };
    match id {
        CouchId::Annotation { doc, ann: ann_id } => {
            let ann = parse_annotation(v, "", Check::Length(None), &mut strict_label).map_err(at)?;
            let Some(mut ann) = ann else { return Err(bad("label", "is missing".into())) };
            ann.links.clear(); // links are records of their own (rule 2b)
            if ann.id != ann_id {
                return Err(bad("id", format!("“{}” is not the annotation named by the record's id", shorten(&ann.id, 40))));
            }
            Ok(Remote::Annotation { doc, ann, hlc })
        }
        CouchId::Link { doc, from, to } => {
            for (key, want) in [("from", &from), ("to", &to)] {
                if obj.get(key).and_then(Value::as_str) != Some(want.as_str()) {
                    return Err(bad(key, format!("is not “{}”, the annotation named by the record's id", shorten(want, 40))));
                }
            }
            if from == to {
                return Err(bad("to", "a link cannot point to its own annotation".into()));
            }
            let kind = obj.get("kind").and_then(Value::as_str).and_then(LinkKind::parse);
            let Some(kind) = kind else { return Err(bad("kind", "must be denies, supports, contradicts or repeats".into())) };
            Ok(Remote::Link { doc, from, link: Link { to, kind }, hlc })
        }
        CouchId::Document { doc } => {
            let meta = DocMeta::from_value(obj.get("meta").unwrap_or(&Value::Null), "meta").map_err(at)?;
            if meta.id != doc {
                return Err(bad("meta.id", format!("“{}” is not the document named by the record's id", shorten(&meta.id, 40))));
            }
            match obj.get("text") {
                Some(Value::String(text)) => Ok(Remote::Document { meta, text: text.clone(), hlc }),
                Some(_) => Err(bad("text", "must be a string".into())),
                None => Err(bad("text", "is missing".into())),
            }
        }
    }
}

/// The `_rev` of a CouchDB document, if it has one.
pub fn rev_of(v: &Value) -> Option<&str> {
    v.get("_rev").and_then(Value::as_str)
}
