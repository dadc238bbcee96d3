//! The data of a comparison: the units compared, how they were matched and the figures
//! derived from them (a leaf: the rules live in the sibling modules).

use crate::model::{Annotation, Label};
use serde::{Deserialize, Serialize};

/// One annotated span for comparison: `[start, end)` in code points, a label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Unit {
    pub start: usize,
    pub end: usize,
    pub label: Label,
}

impl Unit {
    pub fn new(start: usize, end: usize, label: Label) -> Self {
        Unit { start, end, label }
    }

    /// The content key used for every canonical ordering: `(start, end, label)`.
    pub fn key(&self) -> (usize, usize, Label) {
        (self.start, self.end, self.label)
    }

    /// Number of code points shared with `other` (0 when they do not overlap).
    pub fn shared(&self, other: &Unit) -> usize {
        self.end.min(other.end).saturating_sub(self.start.max(other.start))
    }
}

impl From<&Annotation> for Unit {
    fn from(a: &Annotation) -> Self {
        Unit { start: a.start, end: a.end, label: a.label }
    }
}

/// What kind of disagreement a [`Difference`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum DiffKind {
    /// A unit of mine that nothing of theirs matches.
    OnlyMine,
    /// A unit of theirs that nothing of mine matches.
    OnlyTheirs,
    /// A pair with the same label whose boundaries differ (step 3).
    Boundaries,
    /// A pair whose labels differ (step 2, or step 3 with other boundaries too).
    Label,
}

/// One disagreement: `mine`/`theirs` are indices into the input slices
/// (`None` for the side that has nothing); `[start, end)` is the union span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Difference {
    pub kind: DiffKind,
    pub mine: Option<usize>,
    pub theirs: Option<usize>,
    pub start: usize,
    pub end: usize,
}

/// How the units of the two files were matched (see the module doc).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Pairs with the same start, end and label (step 1).
    pub exact: usize,
    /// Pairs of overlapping units with the same label and other boundaries (step 3).
    pub overlap: usize,
    /// Units of mine left unmatched.
    pub only_mine: usize,
    /// Units of theirs left unmatched.
    pub only_theirs: usize,
    /// Pairs whose labels differ (step 2 same span, or step 3 overlapping).
    pub label_differs: usize,
    /// Units in mine.
    pub mine_total: usize,
    /// Units in theirs.
    pub theirs_total: usize,
}

/// Counts and the figures derived from them; `None` = undefined.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Figures {
    pub counts: Counts,
    pub precision_exact: Option<f64>,
    pub recall_exact: Option<f64>,
    pub f1_exact: Option<f64>,
    pub precision_overlap: Option<f64>,
    pub recall_overlap: Option<f64>,
    pub f1_overlap: Option<f64>,
    pub kappa: Option<f64>,
    pub alpha_u: Option<f64>,
}

/// Everything [`compare`] finds.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Over all labels.
    pub overall: Figures,
    /// One entry per label, in [`Label::ALL`] order.
    pub per_label: Vec<(Label, Figures)>,
    /// Disagreements in text order.
    pub differences: Vec<Difference>,
    /// Matched `(mine index, theirs index)` pairs of steps 1–3, by mine index.
    pub pairs: Vec<(usize, usize)>,
}
