//! Which annotations the list and the highlights show: a label toggle per
//! label, a verdict choice, and a text search over quotes, notes, speakers
//! and verdicts.

use crate::model::{Annotation, Label};

/// A filter over annotations. `Filter::default()` shows everything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    /// Whether each label is shown, in [`Label::ALL`] order (`label as usize`).
    pub labels: [bool; 3],
    /// Text searched for in the quote, the note, the speaker and the verdict. Case-insensitive
    /// (Unicode lower-casing); leading/trailing whitespace is ignored and an
    /// empty (or blank) query matches everything.
    pub query: String,
    /// Which verdicts are shown.
    pub verdict: VerdictFilter,
}

/// The verdict part of a [`Filter`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum VerdictFilter {
    /// Every annotation, whatever its verdict.
    #[default]
    Any,
    /// Only annotations without a verdict.
    Without,
    /// Only annotations with this verdict (compared case-insensitively).
    Is(String),
}

impl VerdictFilter {
    /// Whether an annotation with `verdict` is shown.
    pub fn shows(&self, verdict: &str) -> bool {
        match self {
            VerdictFilter::Any => true,
            VerdictFilter::Without => verdict.is_empty(),
            VerdictFilter::Is(v) => !verdict.is_empty() && fold(verdict) == fold(v),
        }
    }
}

impl Default for Filter {
    /// Every label shown, no query.
    fn default() -> Self {
        Filter { labels: [true; 3], query: String::new(), verdict: VerdictFilter::Any }
    }
}

/// Lower-cases `s` for matching: Unicode `to_lowercase`, with the Greek final
/// sigma `ς` folded to `σ` so `ΟΔΟΣ` is found by `οδος` and by `Σ`. (This is
/// not full case folding: `ß` does not match `ss`.)
pub fn fold(s: &str) -> String {
    s.to_lowercase().replace('ς', "σ")
}

impl Filter {
    /// Whether `label` is shown.
    pub fn shows(&self, label: Label) -> bool {
        self.labels[label as usize]
    }

    /// Shows or hides `label`.
    pub fn set_label(&mut self, label: Label, shown: bool) {
        self.labels[label as usize] = shown;
    }

    /// Flips whether `label` is shown.
    pub fn toggle(&mut self, label: Label) {
        self.labels[label as usize] = !self.labels[label as usize];
    }

    /// Whether this filter hides anything at all (some label off, or a query).
    pub fn is_active(&self) -> bool {
        self.labels.iter().any(|l| !l) || !self.query.trim().is_empty() || self.verdict != VerdictFilter::Any
    }

    /// Whether `a` is shown: its label is on, its verdict passes the verdict
    /// choice, and the query is blank or a case-insensitive substring of its
    /// quote, note, speaker or verdict.
    pub fn matches(&self, a: &Annotation) -> bool {
        self.shows(a.label) && self.verdict.shows(&a.verdict) && self.query_matches(&fold(self.query.trim()), a)
    }

    fn query_matches(&self, folded_query: &str, a: &Annotation) -> bool {
        folded_query.is_empty() || [&a.quote, &a.note, &a.speaker, &a.verdict].into_iter().any(|t| fold(t).contains(folded_query))
    }

    /// The annotations of `anns` this filter shows, in their order. Folds the
    /// query once; O(total length of quotes and notes).
    pub fn apply<'a, A: std::borrow::Borrow<Annotation>>(&self, anns: &'a [A]) -> Vec<&'a A> {
        let q = fold(self.query.trim());
        anns.iter()
            .filter(|a| {
                let a: &Annotation = (*a).borrow();
                self.shows(a.label) && self.verdict.shows(&a.verdict) && self.query_matches(&q, a)
            })
            .collect()
    }
}
