//! What anchoring takes and gives: a [`Candidate`] (an annotation read from a file, with its
//! quote and context), where it landed ([`Anchoring`]), the work done and the report; and the
//! bounds every step keeps to. A leaf: the steps live in the sibling modules.

use crate::model::links::Link;
use crate::model::{Annotation, Label};
use crate::text::text_index::TextIndex;
use std::fmt;

/// Code points of context exported before and after a quote (W3C prefix/suffix).
pub const CONTEXT_CP: usize = 32;
/// Upper bound of [`max_errors`].
pub const MAX_ERRORS_CAP: usize = 32;
/// Lowest context similarity (0..1, on the better side) for a match to count
/// as "in its original context".
pub const CONTEXT_ACCEPT: f64 = 0.75;
/// A verbatim quote at least this long (code points, about a sentence) that
/// occurs exactly once is accepted even when both sides of its context changed.
pub const UNIQUE_QUOTE_MIN_CP: usize = 64;
/// Code points searched on each side of the old position before the whole
/// text. An occurrence there whose prefix and suffix both match exactly is
/// provably the best one (anything outside is farther away), so the search
/// of the whole text is skipped: most annotations of an edited text cost
/// O(window), not O(text).
pub const NEAR_WINDOW_CP: usize = 1 << 14;
/// Most occurrences / approximate matches scored per annotation (the nearest
/// to the old position are kept), bounding the work on very repetitive texts.
pub const MAX_SCORED: usize = 1000;
/// Longest prefix/suffix compared, in code points (longer ones are cut to the
/// part next to the quote).
pub(super) const MAX_CONTEXT_COMPARED: usize = 64;

/// Most edits (insertions, deletions, substitutions) allowed for a fuzzy
/// match of a quote `quote_cp` code points long: a quarter of the quote,
/// at most [`MAX_ERRORS_CAP`]. Quotes under 4 code points must match exactly.
pub fn max_errors(quote_cp: usize) -> usize {
    (quote_cp / 4).min(MAX_ERRORS_CAP)
}

/// An annotation to anchor: what a file says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    pub label: Label,
    pub note: String,
    /// Who made the statement ("" if none).
    pub speaker: String,
    /// The verdict ("" if none).
    pub verdict: String,
    /// Links that start here ([`crate::model::links`]).
    pub links: Vec<Link>,
    pub created: String,
    pub modified: String,
    /// The quoted text. Empty when the file gave only a position (then the
    /// position is taken as is when it lies inside the text).
    pub quote: String,
    /// Text just before the quote when it was made ("" if unknown).
    pub prefix: String,
    /// Text just after the quote when it was made ("" if unknown).
    pub suffix: String,
    /// Old start, code points (a hint: may be stale or past the end).
    pub start_hint: Option<usize>,
    /// Old end, code points, exclusive.
    pub end_hint: Option<usize>,
}

impl Candidate {
    /// A candidate from an annotation made on `source` (the text it was made
    /// on, if known: its prefix/suffix are then taken from there when the
    /// quote matches it at the annotation's offsets).
    pub fn from_annotation(a: &Annotation, source: Option<&TextIndex>) -> Candidate {
        let (prefix, suffix) = match source {
            Some(ix) if ix.slice_cp(a.start, a.end) == Some(a.quote.as_str()) => {
                (ix.prefix_cp(a.start, CONTEXT_CP).to_string(), ix.suffix_cp(a.end, CONTEXT_CP).to_string())
            }
            _ => (String::new(), String::new()),
        };
        Candidate {
            id: a.id.clone(),
            label: a.label,
            note: a.note.clone(),
            speaker: a.speaker.clone(),
            verdict: a.verdict.clone(),
            links: a.links.clone(),
            created: a.created.clone(),
            modified: a.modified.clone(),
            quote: a.quote.clone(),
            prefix,
            suffix,
            start_hint: Some(a.start),
            end_hint: Some(a.end),
        }
    }

    pub(super) fn into_annotation(self, start: usize, end: usize, quote: String) -> Annotation {
        Annotation {
            id: self.id,
            start,
            end,
            quote,
            label: self.label,
            note: self.note,
            speaker: self.speaker,
            verdict: self.verdict,
            links: self.links,
            created: self.created,
            modified: self.modified,
        }
    }
}

/// Where one candidate ended up. Offsets are code points, half-open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Anchoring {
    /// The old position still holds the quote.
    Exact { start: usize, end: usize },
    /// The quote was found verbatim at another position.
    Moved { start: usize, end: usize },
    /// An approximate occurrence with `errors` edits.
    Fuzzy { start: usize, end: usize, errors: usize },
    /// Not anchored; `reason` is a sentence for people.
    Orphaned { reason: String },
}

impl Anchoring {
    /// The anchored span, `None` for an orphan.
    pub fn span(&self) -> Option<(usize, usize)> {
        match *self {
            Anchoring::Exact { start, end } | Anchoring::Moved { start, end } | Anchoring::Fuzzy { start, end, .. } => Some((start, end)),
            Anchoring::Orphaned { .. } => None,
        }
    }
}

/// The outcome for one candidate, by id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnchorResult {
    pub id: String,
    pub anchoring: Anchoring,
}

/// Work counters, for complexity tests (not timings).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnchorWork {
    /// Code points compared by position checks.
    pub compared_cp: u64,
    /// UTF-8 bytes scanned by exact quote searches.
    pub searched_bytes: u64,
    /// Myers block steps: one per text code point per active 64-row block.
    pub myers_steps: u64,
    /// Cells of the small context-similarity tables (≤ 64 × 64 each; computed
    /// a column of up to 64 at a time).
    pub context_cells: u64,
    /// Approximate searches of the whole text (Myers passes, or indexed searches).
    pub fuzzy_searches: u64,
    /// Text positions taken from the substring index (exact occurrences and seeds).
    pub indexed_positions: u64,
}

/// What an import's anchoring did, in counts and per annotation.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AnchorReport {
    pub exact: usize,
    pub moved: usize,
    pub fuzzy: usize,
    pub orphaned: usize,
    /// One entry per candidate, in input order (not sent between the app's modules).
    #[serde(skip)]
    pub results: Vec<AnchorResult>,
    #[serde(skip)]
    pub work: AnchorWork,
}

impl AnchorReport {
    /// Number of candidates anchored (exact + moved + fuzzy).
    pub fn anchored(&self) -> usize {
        self.exact + self.moved + self.fuzzy
    }

    /// The outcome for annotation `id`, if it was a candidate.
    pub fn get(&self, id: &str) -> Option<&Anchoring> {
        self.results.iter().find(|r| r.id == id).map(|r| &r.anchoring)
    }
}

impl fmt::Display for AnchorReport {
    /// "N anchored exactly, M moved, K fuzzy, J orphaned".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} anchored exactly, {} moved, {} fuzzy, {} orphaned", self.exact, self.moved, self.fuzzy, self.orphaned)
    }
}
