//! Labels, annotations and one document's state; [`apply`] changes it by an [`Action`]
//! (checked, nothing changes on error). Links, details, filters, occurrences and the summary
//! are the questions asked of this model, one submodule each.

pub mod apply;
pub mod details;
pub mod filter;
pub mod link_views;
pub mod links;
pub mod occurrences;
pub mod summary;

use crate::model::links::{Link, LinkError, LinkKind};
use crate::text::text_index::TextIndex;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::rc::Rc;

/// The three tags a span can carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    Claim,
    Denial,
    Statistic,
}

impl Label {
    /// All labels, in the order of their keys `1`, `2`, `3`.
    pub const ALL: [Label; 3] = [Label::Claim, Label::Denial, Label::Statistic];

    /// Lower-case identifier used in files and CSS classes (`claim`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Claim => "claim",
            Label::Denial => "denial",
            Label::Statistic => "statistic",
        }
    }

    /// Capitalised name shown to people and used by brat (`Claim`, ...).
    pub fn display(self) -> &'static str {
        match self {
            Label::Claim => "Claim",
            Label::Denial => "Denial",
            Label::Statistic => "Statistic",
        }
    }

    /// Parses `claim`/`Claim`/`CLAIM` (and the other two); `None` otherwise.
    pub fn parse(s: &str) -> Option<Label> {
        Label::ALL.into_iter().find(|l| l.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// The label bound to keyboard digit `1`, `2` or `3`.
    pub fn from_key(k: &str) -> Option<Label> {
        match k {
            "1" => Some(Label::Claim),
            "2" => Some(Label::Denial),
            "3" => Some(Label::Statistic),
            _ => None,
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display())
    }
}

/// One tagged span. Offsets are **code points** into the raw document text,
/// half-open `[start, end)`. Invariant: `text[start..end] == quote`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: String,
    /// First code point of the span.
    pub start: usize,
    /// One past the last code point of the span.
    pub end: usize,
    /// The covered text, exactly.
    pub quote: String,
    pub label: Label,
    #[serde(default)]
    pub note: String,
    /// Who made the statement (free text, may be empty).
    #[serde(default)]
    pub speaker: String,
    /// The fact-check verdict ([`VERDICTS`] or free text, may be empty).
    #[serde(default)]
    pub verdict: String,
    /// Links that start here, sorted by target id ([`crate::model::links`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// RFC 3339 timestamp.
    pub created: String,
    /// RFC 3339 timestamp.
    pub modified: String,
}

impl Annotation {
    /// Whether `other` says the same thing: span, quote, label, note,
    /// speaker, verdict and links (not the id, not the timestamps).
    pub fn same_content(&self, other: &Annotation) -> bool {
        self.start == other.start
            && self.end == other.end
            && self.label == other.label
            && self.note == other.note
            && self.speaker == other.speaker
            && self.verdict == other.verdict
            && self.quote == other.quote
            && self.links == other.links
    }

    /// A new annotation of `quote` at `[start, end)` with no note, speaker, verdict or links.
    pub fn new(id: &str, start: usize, end: usize, quote: &str, label: Label, now: &str) -> Self {
        Annotation {
            id: id.to_string(),
            start,
            end,
            quote: quote.to_string(),
            label,
            note: String::new(),
            speaker: String::new(),
            verdict: String::new(),
            links: Vec::new(),
            created: now.to_string(),
            modified: now.to_string(),
        }
    }
}

/// The verdicts offered (a verdict may also be free text).
pub const VERDICTS: [&str; 7] = ["True", "Mostly true", "Half true", "Mostly false", "False", "Misleading", "Unverifiable"];
/// Longest speaker or verdict, in code points.
pub const MAX_ATTRIBUTE_CP: usize = 200;

/// Cleans a speaker or verdict as typed: trimmed, runs of white space and
/// control characters become one space. May return `""`.
pub fn clean_attribute(raw: &str) -> String {
    raw.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// [`clean_attribute`] of `raw` when the result fits in [`MAX_ATTRIBUTE_CP`]
/// code points; `None` when it is too long.
pub fn fitting_attribute(raw: &str) -> Option<String> {
    Some(clean_attribute(raw)).filter(|v| v.chars().count() <= MAX_ATTRIBUTE_CP)
}

impl Annotation {
    /// `true` when it has neither speaker nor verdict.
    pub fn has_no_attributes(&self) -> bool {
        self.speaker.is_empty() && self.verdict.is_empty()
    }
}

/// A document: its raw text (kept exactly), a title and a stable id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// Stable id derived from the text ([`doc_id_for`]).
    pub id: String,
    pub title: String,
    /// File-name stem used for downloads (`seed-article`).
    pub name: String,
    pub index: Rc<TextIndex>,
}

impl Document {
    /// Builds a document, deriving its id from the text.
    pub fn new(title: &str, name: &str, text: &str) -> Self {
        Document { id: doc_id_for(text), title: title.to_string(), name: name.to_string(), index: Rc::new(TextIndex::new(text)) }
    }

    /// The raw text.
    pub fn text(&self) -> &str {
        self.index.text()
    }
}

/// 64-bit FNV-1a of the UTF-8 text, as 16 hex digits: a stable document id.
pub fn doc_id_for(text: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in text.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

/// Why a person's action was refused. Each message is shown as is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelError {
    /// The selection is empty or only whitespace.
    EmptySelection,
    /// Offsets outside the text or reversed.
    OutOfRange { start: usize, end: usize, len: usize },
    /// No annotation has this id.
    UnknownId(String),
    /// An annotation with this id already exists.
    DuplicateId(String),
    /// An identical span with the same label exists already.
    DuplicateSpan { label: Label, quote: String },
    /// A speaker or verdict longer than `max` code points.
    AttributeTooLong { what: &'static str, max: usize },
    /// A link that breaks a rule of [`crate::model::links`].
    Link(LinkError),
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::EmptySelection => write!(f, "Nothing to tag: the selection is empty or only whitespace."),
            ModelError::OutOfRange { start, end, len } => {
                write!(f, "The span {start}..{end} is outside the text (0..{len}).")
            }
            ModelError::UnknownId(id) => write!(f, "No annotation with id {id}."),
            ModelError::DuplicateId(id) => write!(f, "An annotation with id {id} already exists."),
            ModelError::DuplicateSpan { label, quote } => {
                write!(f, "“{}” is already tagged {}.", shorten(quote, 60), label)
            }
            ModelError::AttributeTooLong { what, max } => write!(f, "The {what} is too long: at most {max} characters."),
            ModelError::Link(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ModelError {}

/// Shortens `s` to at most `n` characters, adding an ellipsis.
pub fn shorten(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().nth(n).is_some() {
        out.push('…');
    }
    out
}

/// `x` with `places` decimals (rounded half away from zero), e.g. `decimal(2.345, 1)`
/// is `"2.3"`. Integer arithmetic only: the app's wasm then carries no float
/// formatting code at all.
pub fn decimal(x: f64, places: u32) -> String {
    let scale = 10i64.pow(places);
    let v = (x * scale as f64).round() as i64;
    let sign = if v < 0 { "-" } else { "" };
    let v = v.unsigned_abs();
    let (whole, frac) = (v / scale as u64, v % scale as u64);
    if places == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac:0width$}", width = places as usize)
    }
}

/// Normalises a raw selection `[a, b)` (code points, either order): clamps it
/// to the text, widens it to grapheme boundaries so no cluster is cut, then
/// trims leading/trailing whitespace (whole clusters that are only whitespace,
/// so trimming never cuts a cluster either). Errors when nothing is left.
pub fn normalize_selection(index: &TextIndex, a: usize, b: usize) -> Result<(usize, usize), ModelError> {
    let len = index.len_cp();
    let (mut start, mut end) = if a <= b { (a, b) } else { (b, a) };
    start = start.min(len);
    end = end.min(len);
    start = index.grapheme_floor(start);
    end = index.grapheme_ceil(end);
    // Trim whole grapheme clusters, not code points: a space followed by a
    // combining mark is one cluster, and trimming only the space would cut it.
    let blank = |(s, e): (usize, usize)| index.slice_cp(s, e).is_some_and(|g| g.chars().all(char::is_whitespace));
    loop {
        if start == end {
            return Err(ModelError::EmptySelection);
        }
        match index.grapheme_at(start) {
            g if blank(g) => start = g.1,
            _ => break,
        }
    }
    // A cluster that is not blank lies at `start`, so this stops before reaching it.
    loop {
        match index.grapheme_at(end - 1) {
            g if blank(g) => end = g.0,
            _ => break,
        }
    }
    Ok((start, end))
}

/// Everything one document's annotation view holds. Annotations are kept in
/// text order: by `start`, then longer first, then id.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub doc: Rc<Document>,
    pub annotations: Rc<Vec<Rc<Annotation>>>,
    /// The id of the annotation the person has selected, if any.
    pub selected: Option<String>,
}

/// A change a person (or a file) asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Tag `[start, end)` (code points, already normalised) with `label`.
    Add { id: String, start: usize, end: usize, label: Label, now: String },
    /// Change the label of an annotation.
    Retag { id: String, label: Label, now: String },
    /// Replace the note of an annotation.
    SetNote { id: String, note: String, now: String },
    /// Replace the speaker and verdict of an annotation (cleaned with
    /// [`clean_attribute`]; each at most [`MAX_ATTRIBUTE_CP`] code points).
    SetAttributes { id: String, speaker: String, verdict: String, now: String },
    /// Remove an annotation and every link to it.
    Delete { id: String },
    /// Link `from` to `to` by `kind` (replacing a link of another kind between them).
    Link { from: String, to: String, kind: LinkKind, now: String },
    /// Remove the link from `from` to `to`.
    Unlink { from: String, to: String, now: String },
    /// Select (or clear the selection of) an annotation.
    Select(Option<String>),
    /// Merge validated annotations by id (an import): same id replaces, new ids are added.
    Merge(Vec<Annotation>),
    /// Settle differences with another annotator in one step: delete
    /// `deletes` (and the links to them), then merge `upserts` as [`Action::Merge`].
    Settle { upserts: Vec<Annotation>, deletes: Vec<String> },
}

/// The order annotations are listed and stored in.
pub fn text_order(a: &Annotation, b: &Annotation) -> std::cmp::Ordering {
    a.start.cmp(&b.start).then(b.end.cmp(&a.end)).then_with(|| a.id.cmp(&b.id))
}

impl State {
    /// A state with no annotations.
    pub fn new(doc: Rc<Document>) -> Self {
        State { doc, annotations: Rc::new(Vec::new()), selected: None }
    }

    /// A state with the given annotations, sorted into text order. The caller
    /// guarantees they were validated against `doc` (e.g. by the native importer).
    pub fn with_annotations(doc: Rc<Document>, mut annotations: Vec<Annotation>) -> Self {
        crate::text::sorting::sort_by(&mut annotations, text_order);
        State { doc, annotations: Rc::new(annotations.into_iter().map(Rc::new).collect()), selected: None }
    }

    /// A copy of the annotations as plain values (for the file writers,
    /// which take `&[Annotation]`; the list itself shares them by `Rc`).
    pub fn plain(&self) -> Vec<Annotation> {
        self.annotations.iter().map(|a| (**a).clone()).collect()
    }

    /// The annotation with `id`, if any.
    pub fn get(&self, id: &str) -> Option<&Annotation> {
        self.annotations.iter().find(|a| a.id == id).map(|a| &**a)
    }

    /// Number of annotations per label, in [`Label::ALL`] order.
    pub fn counts(&self) -> [usize; 3] {
        let mut c = [0; 3];
        for a in self.annotations.iter() {
            c[a.label as usize] += 1;
        }
        c
    }
}
