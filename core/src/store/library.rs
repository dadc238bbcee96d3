//! The document library (metadata of every document a person has).
//!
//! The storage schema, its keys and the migration from the first schema
//! live in [`crate::store`], which depends on this module (never the reverse).

use crate::formats::details_json::read_details;
use crate::formats::json_fields::{field, get_offset, get_str, opt_str, ImportError};
use crate::model::details::DocDetails;
use crate::model::{doc_id_for, shorten, Annotation, Document, Label};
use crate::store::merge;
use crate::text::time::{compare_timestamps, parse_timestamp};
use crate::text::titles::UNTITLED;
use crate::text::titles::{sanitize_name, sanitize_title};
use serde_json::{json, Value};
use std::fmt;

/// Version of the storage schema this build writes.
pub const SCHEMA_VERSION: u32 = 2;
/// `format` field of the library JSON.
pub const LIBRARY_FORMAT: &str = "text-annotator/library";
/// Most documents a library holds.
pub const MAX_DOCUMENTS: usize = 5_000;
/// Longest document id, in characters (ids are `[0-9A-Za-z_-]`).
pub const MAX_ID_LEN: usize = 64;

/// Whether `id` can be a document id: 1 to [`MAX_ID_LEN`] ASCII letters,
/// digits, `-` or `_` (so it is safe in a storage key and a URL hash).
pub fn valid_doc_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_LEN && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Number of annotations per label, in [`Label::ALL`] order.
pub fn counts_of(annotations: &[Annotation]) -> [usize; 3] {
    let mut c = [0; 3];
    for a in annotations {
        c[a.label as usize] += 1;
    }
    c
}

/// What the library knows about one document (its text and annotations are
/// stored under their own keys).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocMeta {
    /// [`doc_id_for`] of the text; passes [`valid_doc_id`].
    pub id: String,
    /// Shown to people, as text; sanitised ([`sanitize_title`]), never empty.
    pub title: String,
    /// File-name stem for downloads ([`sanitize_name`]).
    pub name: String,
    /// Length of the text in code points.
    pub len_cp: usize,
    /// Annotations per label, in [`Label::ALL`] order.
    pub counts: [usize; 3],
    /// RFC 3339 time of the last change (text added, annotation edited, renamed).
    pub modified: String,
    /// RFC 3339 time the document was added.
    pub created: String,
    /// Whether this is the built-in sample article (restorable, text not stored).
    pub seed: bool,
    /// Where the article comes from ([`DocDetails`]; empty when not given).
    pub details: DocDetails,
}

impl DocMeta {
    /// Metadata for a new document with `text`: id derived from the text,
    /// title sanitised (or [`UNTITLED`]), name from `name` (or the title when
    /// `name` is empty), no annotations, created = modified = `now`.
    /// `name` is a file-name stem: pass the opened file's name without its
    /// extension (e.g. [`crate::formats::textfile::title_from_file_name`]), or `""`.
    pub fn new(text: &str, title: &str, name: &str, now: &str) -> Self {
        let title = sanitize_title(title);
        let title = if title.is_empty() { UNTITLED.to_string() } else { title };
        let name = sanitize_name(if name.trim().is_empty() { &title } else { name });
        DocMeta {
            id: doc_id_for(text),
            title,
            name,
            len_cp: text.chars().count(),
            counts: [0; 3],
            modified: now.to_string(),
            created: now.to_string(),
            seed: false,
            details: DocDetails::default(),
        }
    }

    /// Metadata of an open [`Document`] with its `annotations`.
    pub fn for_document(doc: &Document, annotations: &[Annotation], now: &str) -> Self {
        let mut m = DocMeta::new("", &doc.title, &doc.name, now);
        m.id = doc.id.clone();
        m.len_cp = doc.index.len_cp();
        m.counts = counts_of(annotations);
        m
    }

    /// The JSON object stored in the library and in bundles (the details'
    /// keys `source_url`, `publisher`, `published` only when set).
    pub fn to_value(&self) -> Value {
        let mut v = json!({
            "id": self.id, "title": self.title, "name": self.name, "length": self.len_cp,
            "counts": { "claim": self.counts[0], "denial": self.counts[1], "statistic": self.counts[2] },
            "modified": self.modified, "created": self.created, "seed": self.seed,
        });
        if let Some(obj) = v.as_object_mut() {
            let d = &self.details;
            for (k, val) in
                [("source_url", &d.source_url), ("publisher", &d.publisher), ("published", &d.published), ("review_url", &d.review_url)]
            {
                if !val.is_empty() {
                    obj.insert(k.into(), Value::String(val.clone()));
                }
            }
        }
        v
    }

    /// Reads and validates a [`DocMeta::to_value`] object found at `path`.
    /// `id` is required and must pass [`valid_doc_id`]; `title` is required
    /// and sanitised (empty → [`UNTITLED`]); `name` is sanitised; the other
    /// fields default to 0 / `""` / `false` when missing but must have the
    /// right type when present; `modified` and `created` must be `""` or an
    /// RFC 3339 date-time ([`parse_timestamp`]), so the app can show them
    /// (a backup with `"2026-12-04é"` is refused at `documents[0].meta.modified`).
    pub fn from_value(v: &Value, path: &str) -> Result<DocMeta, ImportError> {
        let obj = v.as_object().ok_or_else(|| field(path, "must be an object"))?;
        let id = get_str(obj, "id", path)?;
        if !valid_doc_id(id) {
            return Err(field(
                format!("{path}.id"),
                format!("“{}” is not a document id (1 to {MAX_ID_LEN} letters, digits, - or _)", shorten(id, 40)),
            ));
        }
        let title = sanitize_title(get_str(obj, "title", path)?);
        let title = if title.is_empty() { UNTITLED.to_string() } else { title };
        let name = sanitize_name(opt_str(obj, "name", path)?.unwrap_or(&title));
        let len_cp = match obj.get("length") {
            None => 0,
            Some(_) => get_offset(obj, "length", path)?,
        };
        let mut counts = [0; 3];
        match obj.get("counts") {
            None => {}
            Some(Value::Object(c)) => {
                for l in Label::ALL {
                    if c.contains_key(l.as_str()) {
                        counts[l as usize] = get_offset(c, l.as_str(), &format!("{path}.counts"))?;
                    }
                }
            }
            Some(_) => return Err(field(format!("{path}.counts"), "must be an object")),
        }
        let modified = opt_time(obj, "modified", path)?;
        let created = opt_time(obj, "created", path)?;
        let seed = match obj.get("seed") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(field(format!("{path}.seed"), "must be true or false")),
        };
        let details = read_details(obj, path)?;
        Ok(DocMeta { id: id.to_string(), title, name, len_cp, counts, modified, created, seed, details })
    }
}

/// The string at `obj[key]` when it is `""` or an RFC 3339 date-time
/// ([`parse_timestamp`]); missing or null is `""`. Anything else is an error
/// at `{path}.{key}`.
fn opt_time(obj: &serde_json::Map<String, Value>, key: &str, path: &str) -> Result<String, ImportError> {
    let s = opt_str(obj, key, path)?.unwrap_or("");
    if !s.is_empty() && parse_timestamp(s).is_none() {
        return Err(field(
            format!("{path}.{key}"),
            format!("“{}” is not an RFC 3339 date-time (like 2026-12-04T09:30:00Z)", shorten(s, 40)),
        ));
    }
    Ok(s.to_string())
}

/// The `document` header of the document's stored record
/// ([`DocRecord::to_json`]): id, title, name and length.
impl<'a> From<&'a DocMeta> for merge::RecordHeader<'a> {
    fn from(m: &'a DocMeta) -> Self {
        merge::RecordHeader { id: &m.id, title: &m.title, name: &m.name, length: m.len_cp }
    }
}

/// Why a library change was refused. `Display` gives a message for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LibraryError {
    /// No document has this id.
    UnknownId(String),
    /// The id cannot be a document id ([`valid_doc_id`]).
    InvalidId(String),
    /// The new title is empty once cleaned.
    EmptyTitle,
    /// The library already holds [`MAX_DOCUMENTS`] documents.
    Full { max: usize },
    /// A document to list again ([`Library::restore`]) is listed already.
    AlreadyListed(String),
}

impl fmt::Display for LibraryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LibraryError::UnknownId(id) => write!(f, "There is no document with id {}.", shorten(id, 40)),
            LibraryError::InvalidId(id) => write!(f, "“{}” is not a valid document id.", shorten(id, 40)),
            LibraryError::EmptyTitle => f.write_str("A title cannot be empty."),
            LibraryError::Full { max } => {
                write!(f, "The library is full ({max} documents); delete some documents before adding more.")
            }
            LibraryError::AlreadyListed(title) => write!(f, "“{}” is listed again already.", shorten(title, 80)),
        }
    }
}

impl std::error::Error for LibraryError {}

/// A document taken out of the library by [`Library::remove`], kept so the
/// removal can be undone with [`Library::restore`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removed {
    pub meta: DocMeta,
    /// Where it was in [`Library::docs`].
    pub index: usize,
}

/// Every document a person has, in the order they are listed.
/// Invariant (kept by every method and by [`Library::from_json`]): ids are
/// unique and valid, titles are sanitised and not empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Library {
    /// Storage schema version: [`SCHEMA_VERSION`].
    pub version: u32,
    pub docs: Vec<DocMeta>,
    /// The fact-checking organisation publishing the reviews (ClaimReview
    /// `author`), set once for every document; `""` when not set.
    pub organisation: String,
}

impl Default for Library {
    fn default() -> Self {
        Library::new()
    }
}

impl Library {
    /// An empty library of the current schema version.
    pub fn new() -> Self {
        Library { version: SCHEMA_VERSION, docs: Vec::new(), organisation: String::new() }
    }

    /// The document with `id`, if any.
    pub fn get(&self, id: &str) -> Option<&DocMeta> {
        self.docs.iter().find(|d| d.id == id)
    }

    /// Whether a document with `id` is listed.
    pub fn contains(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    fn position(&self, id: &str) -> Result<usize, LibraryError> {
        self.docs.iter().position(|d| d.id == id).ok_or_else(|| LibraryError::UnknownId(id.to_string()))
    }

    /// Adds `meta` at the end (title and name re-sanitised). Returns
    /// `Ok(true)` when added, `Ok(false)` when a document with that id is
    /// already listed (the same text: the library is left unchanged and the
    /// app simply switches to it).
    pub fn add(&mut self, mut meta: DocMeta) -> Result<bool, LibraryError> {
        if !valid_doc_id(&meta.id) {
            return Err(LibraryError::InvalidId(meta.id));
        }
        if self.contains(&meta.id) {
            return Ok(false);
        }
        if self.docs.len() >= MAX_DOCUMENTS {
            return Err(LibraryError::Full { max: MAX_DOCUMENTS });
        }
        meta.title = sanitize_title(&meta.title);
        if meta.title.is_empty() {
            meta.title = UNTITLED.to_string();
        }
        meta.name = sanitize_name(&meta.name);
        self.docs.push(meta);
        Ok(true)
    }

    /// Renames document `id` to the sanitised `title` and sets its
    /// `modified` to `now`. Nothing changes on error.
    pub fn rename(&mut self, id: &str, title: &str, now: &str) -> Result<(), LibraryError> {
        let i = self.position(id)?;
        let title = sanitize_title(title);
        if title.is_empty() {
            return Err(LibraryError::EmptyTitle);
        }
        let d = &mut self.docs[i];
        d.title = title;
        d.modified = now.to_string();
        Ok(())
    }

    /// Sets the fact-checking organisation (already checked: [`crate::model::details::clean_organisation`]).
    pub fn set_organisation(&mut self, name: String) {
        self.organisation = name;
    }

    /// Sets the details of document `id` (already checked: [`DocDetails::new`])
    /// and `modified = now`. Returns the details it had.
    pub fn set_details(&mut self, id: &str, details: DocDetails, now: &str) -> Result<DocDetails, LibraryError> {
        let i = self.position(id)?;
        let d = &mut self.docs[i];
        let before = std::mem::replace(&mut d.details, details);
        d.modified = now.to_string();
        Ok(before)
    }

    /// Takes document `id` out of the list (the sample article too: it can be
    /// brought back with [`Library::ensure_seed`]). The app deletes the
    /// document's stored keys only once the undo is no longer offered.
    pub fn remove(&mut self, id: &str) -> Result<Removed, LibraryError> {
        let index = self.position(id)?;
        let meta = self.docs.remove(index);
        Ok(Removed { meta, index })
    }

    /// Undoes a [`Library::remove`]: puts the document back where it was (or
    /// at the end if the list got shorter). Returns `false`, changing
    /// nothing, if a document with that id is listed again meanwhile.
    pub fn restore(&mut self, removed: Removed) -> bool {
        if self.contains(&removed.meta.id) {
            return false;
        }
        let at = removed.index.min(self.docs.len());
        self.docs.insert(at, removed.meta);
        true
    }

    /// Makes sure the sample article is listed: if a document with
    /// `seed_meta.id` is listed, it is marked `seed` (its title and counts
    /// are kept); otherwise `seed_meta` (marked `seed`) is put first.
    /// Returns whether it was inserted.
    pub fn ensure_seed(&mut self, mut seed_meta: DocMeta) -> bool {
        if let Some(d) = self.docs.iter_mut().find(|d| d.id == seed_meta.id) {
            d.seed = true;
            return false;
        }
        seed_meta.seed = true;
        self.docs.insert(0, seed_meta);
        true
    }

    /// Records new statistics of document `id` after its annotations changed:
    /// `counts`, and `modified = now`.
    pub fn touch(&mut self, id: &str, counts: [usize; 3], now: &str) -> Result<(), LibraryError> {
        let i = self.position(id)?;
        self.docs[i].counts = counts;
        self.docs[i].modified = now.to_string();
        Ok(())
    }

    /// Adds or updates a document coming from a bundle or another tab: a new
    /// id is added (as [`Library::add`]); a listed id keeps its title and
    /// name (and its details, unless it has none) and takes `counts`/`len_cp`
    /// from `meta`, and the later `modified` and earlier `created` of the two.
    pub fn upsert(&mut self, meta: DocMeta) -> Result<(), LibraryError> {
        match self.docs.iter_mut().find(|d| d.id == meta.id) {
            None => self.add(meta).map(|_| ()),
            Some(d) => {
                d.counts = meta.counts;
                d.len_cp = meta.len_cp;
                if compare_timestamps(&meta.modified, &d.modified).is_gt() {
                    d.modified = meta.modified;
                }
                if d.created.is_empty() || (!meta.created.is_empty() && compare_timestamps(&meta.created, &d.created).is_lt()) {
                    d.created = meta.created;
                }
                d.seed |= meta.seed;
                if d.details.is_empty() {
                    d.details = meta.details;
                }
                Ok(())
            }
        }
    }

    /// The JSON stored under [`LIBRARY_KEY`]:
    /// `{"format": "text-annotator/library", "version": 2, "documents": [DocMeta…]}`.
    pub fn to_json(&self) -> String {
        let mut v = json!({
            "format": LIBRARY_FORMAT,
            "version": self.version,
            "documents": self.docs.iter().map(DocMeta::to_value).collect::<Vec<_>>(),
        });
        if !self.organisation.is_empty() {
            v["organisation"] = Value::String(self.organisation.clone());
        }
        serde_json::to_string(&v).unwrap_or_default()
    }

    /// Parses and validates [`Library::to_json`] output: format, version
    /// ([`SCHEMA_VERSION`]; a newer one is refused so it is never
    /// overwritten by an older build), every document ([`DocMeta::from_value`]),
    /// ids unique, at most [`MAX_DOCUMENTS`]. Errors carry the path
    /// (`documents[2].title`).
    pub fn from_json(bytes: &[u8]) -> Result<Library, ImportError> {
        let v = crate::formats::native::parse_json_bounded(bytes)?;
        let root = v.as_object().ok_or_else(|| field("the top level", "must be a JSON object"))?;
        match root.get("format") {
            Some(Value::String(s)) if s == LIBRARY_FORMAT => {}
            _ => return Err(field("format", format!("must be “{LIBRARY_FORMAT}”"))),
        }
        match root.get("version").and_then(Value::as_u64) {
            Some(n) if n == SCHEMA_VERSION as u64 => {}
            Some(n) => {
                return Err(field(
                    "version",
                    format!("{n} is not supported (this app reads version {SCHEMA_VERSION}); it may come from a newer version of the app"),
                ))
            }
            None => return Err(field("version", "must be a whole number")),
        }
        let list = match root.get("documents") {
            Some(Value::Array(a)) => a,
            Some(_) => return Err(field("documents", "must be an array")),
            None => return Err(field("documents", "is missing")),
        };
        if list.len() > MAX_DOCUMENTS {
            return Err(field("documents", format!("has {} entries; the limit is {MAX_DOCUMENTS}", list.len())));
        }
        let mut docs: Vec<DocMeta> = Vec::with_capacity(list.len());
        for (i, item) in list.iter().enumerate() {
            let path = format!("documents[{i}]");
            let meta = DocMeta::from_value(item, &path)?;
            if let Some(j) = docs.iter().position(|d| d.id == meta.id) {
                return Err(field(format!("{path}.id"), format!("“{}” is already used by documents[{j}]", meta.id)));
            }
            docs.push(meta);
        }
        let organisation = crate::model::details::clean_organisation(opt_str(root, "organisation", "")?.unwrap_or(""))
            .map_err(|e| field("organisation", e.to_string()))?;
        Ok(Library { version: SCHEMA_VERSION, docs, organisation })
    }
}
