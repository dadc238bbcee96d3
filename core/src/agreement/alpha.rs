//! Krippendorff's unitizing alpha αu for two coders (Krippendorff 2004,
//! "Measuring the reliability of qualitative text analysis data", Quality &
//! Quantity 38; Content Analysis, 2nd ed., p. 251–256), computed as
//! dkpro-statistics' `KrippendorffAlphaUnitizingAgreement` does.
//!
//! # The continuum
//!
//! Code points `[0, L)` with `L = max(text_len, largest unit end)`: a unit
//! reaching past the text stretches the continuum rather than being cut.
//!
//! # One category (label) `c`
//!
//! For each coder, the units of `c` cut the continuum into **segments**:
//! the units and the gaps between them (before the first, after the last).
//! Before that, per coder and label:
//!
//! * zero-length units are dropped (they carry no mass);
//! * units sharing at least one code point are replaced by their union,
//!   repeatedly (a chain of overlapping units becomes one unit; two equal
//!   units become one). Units that only touch (`a.end == b.start`) stay two
//!   units. αu, like dkpro ("units coded with the same categories by a
//!   single rater may not overlap"), assumes each coder's units of one
//!   category are disjoint; reading a coder's overlapping units as "all
//!   these code points are `c`" keeps that assumption, keeps every sum
//!   finite and positive, and changes nothing on input without overlaps.
//!
//! Units of *different* labels may overlap freely: every label has its own
//! segmentation.
//!
//! **Observed disagreement.** For every pair (segment of coder 1, segment of
//! coder 2) sharing a code point, the distance `d` is
//!
//! * both units: `(b₁ − b₂)² + (e₁ − e₂)²` (begins and ends);
//! * a unit and a gap that contains it entirely: the unit's length squared;
//! * anything else (two gaps, a unit only partly inside a gap): 0;
//!
//! and `D_o(c) = Σ d / L²` (dkpro: `2 Σ d / (m (m − 1) L²)` with `m = 2`).
//! The pairs are found by one merge of the two sorted segment lists: `O(n)`.
//!
//! **Expected disagreement.** With `N` the number of units of `c` of both
//! coders, `l` a unit's length and `G` the gap lengths of both coders:
//!
//! ```text
//! D_e(c) = 2/L · Σ_units [ (N − 1)·(2l³ − 3l² + l)/3 + l² · Σ_{g ∈ G, g ≥ l} (g − l + 1) ]
//!          / ( m L (m L − 1) − Σ_units l (l − 1) )
//! ```
//!
//! The inner sum uses the gaps sorted once, a binary search and suffix sums:
//! `O(n log n)`.
//!
//! **Agreement.** `αu(c) = 1 − D_o(c) / D_e(c)`, and over all labels
//! `αu = 1 − Σ_c D_o(c) / Σ_c D_e(c)` (dkpro averages both over the
//! categories, which is the same ratio; a label nobody used adds 0 to both).
//! `None` when the expected disagreement is 0: no unit at all (or only
//! zero-length ones), or both coders covering the whole continuum with units
//! of length 1. (dkpro gives 0 or 1 there; "undefined" is the honest answer.)
//!
//! On Krippendorff's (2004: 254) example this gives αu(c) = 0.7286, αu(k) = 1
//! and overall 0.85867, exactly dkpro's 0.8586654051841702; the book prints
//! 0.8591 because it divides the disagreements rounded to 4 decimals
//! (1 − 0.0144 / (0.0532 + 0.0490)).
//!
//! All sums run in an order fixed by the contents (sorted positions), so
//! swapping the coders or shuffling their units gives bit-identical results.

use super::units::Unit;
use crate::model::Label;

/// Observed and expected disagreement of one category.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Disagreement {
    pub observed: f64,
    pub expected: f64,
}

/// αu over all labels and per label ([`Label::ALL`] order).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AlphaU {
    pub overall: Option<f64>,
    pub per_label: [(Label, Option<f64>); 3],
}

/// `1 − observed/expected`, `None` when `expected` is 0.
fn alpha_of(observed: f64, expected: f64) -> Option<f64> {
    (expected > 0.0).then(|| 1.0 - observed / expected)
}

/// Krippendorff's αu of two coders on a text of `text_len` code points.
pub fn alpha_u(coder1: &[Unit], coder2: &[Unit], text_len: usize) -> AlphaU {
    let parts = Label::ALL.map(|l| (l, category_disagreement(coder1, coder2, text_len, l)));
    let observed: f64 = parts.iter().map(|(_, d)| d.observed).sum();
    let expected: f64 = parts.iter().map(|(_, d)| d.expected).sum();
    AlphaU { overall: alpha_of(observed, expected), per_label: parts.map(|(l, d)| (l, alpha_of(d.observed, d.expected))) }
}

/// The length of the continuum: the text, or further when a unit ends past it.
fn continuum(coder1: &[Unit], coder2: &[Unit], text_len: usize) -> usize {
    coder1.iter().chain(coder2).filter(|u| u.start < u.end).map(|u| u.end).fold(text_len, usize::max)
}

/// One coder's units of `label` as disjoint `(start, end)`, sorted: empty
/// ones dropped, overlapping ones joined (see the module doc).
fn disjoint_units(units: &[Unit], label: Label) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = units.iter().filter(|u| u.label == label && u.start < u.end).map(|u| (u.start, u.end)).collect();
    crate::text::sorting::sort(&mut spans);
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match out.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// A segment of the continuum: a unit or a gap, `[start, end)`.
#[derive(Clone, Copy, Debug)]
struct Segment {
    start: usize,
    end: usize,
    unit: bool,
}

/// The units and the gaps between them, covering `[0, len)`.
fn segments(units: &[(usize, usize)], len: usize) -> Vec<Segment> {
    let mut out = Vec::with_capacity(2 * units.len() + 1);
    let mut pos = 0;
    for &(s, e) in units {
        if s > pos {
            out.push(Segment { start: pos, end: s, unit: false });
        }
        out.push(Segment { start: s, end: e, unit: true });
        pos = e;
    }
    if pos < len {
        out.push(Segment { start: pos, end: len, unit: false });
    }
    out
}

fn sq(x: usize) -> f64 {
    let x = x as f64;
    x * x
}

/// Distance of two segments that share a code point (module doc).
fn distance(a: Segment, b: Segment) -> f64 {
    match (a.unit, b.unit) {
        (true, true) => sq(a.start.abs_diff(b.start)) + sq(a.end.abs_diff(b.end)),
        (true, false) if b.start <= a.start && a.end <= b.end => sq(a.end - a.start),
        (false, true) if a.start <= b.start && b.end <= a.end => sq(b.end - b.start),
        _ => 0.0,
    }
}

/// Observed and expected disagreement of the two coders on `label`.
pub fn category_disagreement(coder1: &[Unit], coder2: &[Unit], text_len: usize, label: Label) -> Disagreement {
    let len = continuum(coder1, coder2, text_len);
    let (u1, u2) = (disjoint_units(coder1, label), disjoint_units(coder2, label));
    if u1.is_empty() && u2.is_empty() {
        return Disagreement::default();
    }
    let (s1, s2) = (segments(&u1, len), segments(&u2, len));
    Disagreement { observed: observed(&s1, &s2) / sq(len), expected: expected(&u1, &u2, &s1, &s2, len) }
}

/// `Σ d` over the pairs of segments sharing a code point: one merge.
fn observed(s1: &[Segment], s2: &[Segment]) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < s1.len() && j < s2.len() {
        let (a, b) = (s1[i], s2[j]);
        sum += distance(a, b);
        if a.end <= b.end {
            i += 1;
        }
        if b.end <= a.end {
            j += 1;
        }
    }
    sum
}

/// The expected disagreement (module doc), `len ≥ 1`, at least one unit.
fn expected(u1: &[(usize, usize)], u2: &[(usize, usize)], s1: &[Segment], s2: &[Segment], len: usize) -> f64 {
    let mut gaps: Vec<usize> = s1.iter().chain(s2).filter(|s| !s.unit).map(|s| s.end - s.start).collect();
    crate::text::sorting::sort(&mut gaps);
    // suffix[k] = Σ gaps[k..] (exact: the gaps of one coder add up to at most len).
    let mut suffix = vec![0u128; gaps.len() + 1];
    for k in (0..gaps.len()).rev() {
        suffix[k] = suffix[k + 1] + gaps[k] as u128;
    }
    let mut lengths: Vec<usize> = u1.iter().chain(u2).map(|&(s, e)| e - s).collect();
    crate::text::sorting::sort(&mut lengths);
    let n = lengths.len() as f64;
    let (mut sum, mut squares) = (0.0, 0.0);
    for &l in &lengths {
        let lf = l as f64;
        // Σ_{g ≥ l} (g − l + 1) = Σ_{g ≥ l} g − (l − 1)·count.
        let k = gaps.partition_point(|&g| g < l);
        let fitting = suffix[k] - (l as u128 - 1) * (gaps.len() - k) as u128;
        sum += (n - 1.0) * lf * (lf - 1.0) * (2.0 * lf - 1.0) / 3.0 + lf * lf * fitting as f64;
        squares += lf * (lf - 1.0);
    }
    let total = 2.0 * len as f64;
    sum * 2.0 / len as f64 / (total * (total - 1.0) - squares)
}
