//! Agreement between two annotators' annotations of the same text: which
//! units match, where they differ, and the usual figures (precision, recall,
//! F1, Cohen's κ, Krippendorff's αu).
//!
//! The two files are called *mine* and *theirs*; *theirs* is the reference
//! for precision and recall. A [`Unit`] is a span `[start, end)` in code
//! points plus a [`Label`]. `None` in a figure means undefined (0/0 and the
//! like), shown to people as "—".
//!
//! # The matching rule ([`match_units`])
//!
//! One-to-one (a unit is in at most one pair) and order-free (the input
//! order never decides anything that can be told apart by content):
//!
//! 1. **Exact**: units with the same start, end and label pair up. The files
//!    are multisets: two identical units in mine and one in theirs make one
//!    pair and one unmatched unit.
//! 2. **Same span, other label**: among the units left, units with the same
//!    start and end pair up. Within one span the labels left on each side are
//!    sorted and paired in that order.
//! 3. **Overlap**: among the units left, every pair (mine, theirs) sharing at
//!    least one code point is a candidate. Candidates are taken greedily, a
//!    candidate being skipped when one of its units is already paired, in
//!    this order: same label first, then the longer shared part, then the
//!    smaller of the two units' `(start, end, label)`, then the larger of
//!    them. The key is symmetric in the two files and uses only contents, so
//!    swapping or shuffling the files gives the same pairs (by content);
//!    among candidates equal in content the input index decides, which
//!    nobody can see.
//! 4. Every unit left is **only mine** or **only theirs**.
//!
//! Zero-length units share no code point with anything: they can only pair
//! in steps 1 and 2.
//!
//! Candidates of step 3 are found from the units sorted by start (binary
//! search for the other file's starts inside each unit), so the cost is
//! `O(n log n + k log k)` for `n` units and `k` overlapping pairs, never all
//! `n × m` pairs.
//!
//! # Counts ([`Counts`]): every pair in exactly one count
//!
//! * `exact`: pairs of step 1;
//! * `overlap`: pairs of step 3 with the same label (the boundaries differ,
//!   [`DiffKind::Boundaries`]);
//! * `label_differs`: pairs whose labels differ, from step 2 (same span) or
//!   step 3 (overlapping span), [`DiffKind::Label`];
//! * `only_mine`, `only_theirs`: units left unmatched;
//! * `mine_total`, `theirs_total`: the number of units in each file.
//!
//! So `exact + overlap + label_differs + only_mine == mine_total`, and the
//! same with `only_theirs` and `theirs_total`.
//!
//! # Figures ([`Figures`])
//!
//! * Exact P/R/F1: `tp = exact`; precision `tp / mine_total`, recall
//!   `tp / theirs_total`, F1 `2·tp / (mine_total + theirs_total)` (equal to
//!   `2PR / (P + R)` when both are defined; `None` only when both files are
//!   empty, 0 when one of them is).
//! * Overlap P/R/F1: the same with `tp = exact + overlap` (matched pairs with
//!   the same label).
//! * Cohen's κ over the labels of all matched pairs (steps 1–3):
//!   `κ = (po − pe) / (1 − pe)` with `po` the share of pairs with the same
//!   label and `pe = Σ_label p_mine(label) · p_theirs(label)`; `None` when
//!   there is no pair or `pe = 1` (both used one and the same label), where
//!   scikit-learn's `cohen_kappa_score` gives NaN.
//! * Krippendorff's αu: see [`alpha`].
//!
//! Per label ([`Comparison::per_label`], all three labels in [`Label::ALL`]
//! order): the same counts and P/R/F1 for the units of that label only (in
//! both files, matched again among themselves), κ `None`, αu the label's
//! own (category) αu.
//!
//! # Differences
//!
//! One [`Difference`] per pair that is not exact (steps 2 and 3) and per
//! unmatched unit, with the union span of the pair, sorted by start, end,
//! kind (in [`DiffKind`] order), then the indices.

mod alpha;
mod figures;
mod matching;
mod units;

pub use alpha::{alpha_u, category_disagreement, AlphaU, Disagreement};
pub use figures::{cohen_kappa, counts, figures};
pub use matching::{match_units, Matching};
pub use units::{Comparison, Counts, DiffKind, Difference, Figures, Unit};

use crate::model::Label;

/// Compares `mine` with `theirs` (the reference) on a text of `text_len`
/// code points.
pub fn compare(mine: &[Unit], theirs: &[Unit], text_len: usize) -> Comparison {
    let m = match_units(mine, theirs);
    let alpha = alpha_u(mine, theirs, text_len);
    let overall = figures(&m, mine, theirs, cohen_kappa(&m, mine, theirs), alpha.overall);
    let per_label = Label::ALL
        .iter()
        .zip(alpha.per_label)
        .map(|(&label, (_, a))| {
            let (mu, tu) = (only_label(mine, label), only_label(theirs, label));
            let lm = match_units(&mu, &tu);
            (label, figures(&lm, &mu, &tu, None, a))
        })
        .collect();
    Comparison { overall, per_label, differences: differences(&m, mine, theirs), pairs: m.pairs() }
}

/// The overlap F1 and the overall αu of `a` against `b`, without the rest
/// (for a table of every pair of annotators).
pub fn pairwise(a: &[Unit], b: &[Unit], text_len: usize) -> (Option<f64>, Option<f64>) {
    let c = counts(&match_units(a, b), a, b);
    (figures::f1(c.exact + c.overlap, c.mine_total, c.theirs_total), alpha_u(a, b, text_len).overall)
}

/// The units of `label`.
fn only_label(units: &[Unit], label: Label) -> Vec<Unit> {
    units.iter().filter(|u| u.label == label).copied().collect()
}

/// The differences of a matching, in text order.
pub fn differences(m: &Matching, mine: &[Unit], theirs: &[Unit]) -> Vec<Difference> {
    let pair = |kind: DiffKind, (i, j): (usize, usize)| {
        let (a, b) = (mine[i], theirs[j]);
        Difference { kind, mine: Some(i), theirs: Some(j), start: a.start.min(b.start), end: a.end.max(b.end) }
    };
    let mut out: Vec<Difference> = m.same_span.iter().map(|&p| pair(DiffKind::Label, p)).collect();
    out.extend(m.overlap.iter().map(|&(i, j)| {
        let kind = if mine[i].label == theirs[j].label { DiffKind::Boundaries } else { DiffKind::Label };
        pair(kind, (i, j))
    }));
    out.extend(m.only_mine.iter().map(|&i| Difference {
        kind: DiffKind::OnlyMine,
        mine: Some(i),
        theirs: None,
        start: mine[i].start,
        end: mine[i].end,
    }));
    out.extend(m.only_theirs.iter().map(|&j| Difference {
        kind: DiffKind::OnlyTheirs,
        mine: None,
        theirs: Some(j),
        start: theirs[j].start,
        end: theirs[j].end,
    }));
    crate::text::sorting::sort_by_key(&mut out, |d| (d.start, d.end, d.kind, d.mine, d.theirs));
    out
}
