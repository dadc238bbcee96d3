//! Numbers for the summary view: counts per label, the share of the text
//! covered, and where in the article each label occurs (for a small chart).

use crate::model::{Annotation, Label};

/// What [`summarize`] computes. Arrays are indexed in [`Label::ALL`] order
/// (`label as usize`).
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// Number of annotations per label.
    pub counts: [usize; 3],
    /// Code points covered by at least one annotation (overlaps counted once;
    /// spans are clamped to the text).
    pub covered_cp: usize,
    /// Length of the text in code points.
    pub total_cp: usize,
    /// `covered_cp / total_cp`, in `0.0..=1.0` (0 for an empty text).
    pub share: f64,
    /// Per label, `bins` counters: annotation `a` falls in bin
    /// `a.start * bins / total_cp` (clamped to the last bin), i.e. the text is
    /// cut into `bins` equal parts by code point and each annotation counted
    /// once, where it starts. Empty vectors when `bins == 0`.
    pub distribution: [Vec<u32>; 3],
}

impl Summary {
    /// Total number of annotations.
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// The count of `label`.
    pub fn count(&self, label: Label) -> usize {
        self.counts[label as usize]
    }

    /// The largest bin over all labels (to scale a chart); 0 when empty.
    pub fn max_bin(&self) -> u32 {
        self.distribution.iter().flat_map(|d| d.iter().copied()).max().unwrap_or(0)
    }

    /// The bin (0-based) that code point `cp` falls in, for `bins` bins of a
    /// text of `total_cp` code points; `None` when `bins == 0`.
    pub fn bin_of(cp: usize, total_cp: usize, bins: usize) -> Option<usize> {
        if bins == 0 {
            return None;
        }
        if total_cp == 0 {
            return Some(0);
        }
        let b = (cp as u128 * bins as u128 / total_cp as u128) as usize;
        Some(b.min(bins - 1))
    }
}

/// Summarises `anns` (any order; e.g. the filtered list) over a text of
/// `total_cp` code points, with `bins` bins per label. O(n log n): the spans
/// are sorted by start and merged once to measure their union.
pub fn summarize<A: std::borrow::Borrow<Annotation>>(anns: &[A], total_cp: usize, bins: usize) -> Summary {
    let mut counts = [0usize; 3];
    let mut distribution: [Vec<u32>; 3] = [vec![0; bins], vec![0; bins], vec![0; bins]];
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(anns.len());
    for a in anns.iter().map(|a| a.borrow()) {
        let l = a.label as usize;
        counts[l] += 1;
        if let Some(b) = Summary::bin_of(a.start, total_cp, bins) {
            distribution[l][b] = distribution[l][b].saturating_add(1);
        }
        let (s, e) = (a.start.min(total_cp), a.end.min(total_cp));
        if s < e {
            spans.push((s, e));
        }
    }
    crate::text::sorting::sort(&mut spans);
    let mut covered_cp = 0;
    let mut current: Option<(usize, usize)> = None;
    for (s, e) in spans {
        match current {
            Some((cs, ce)) if s <= ce => current = Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                covered_cp += ce - cs;
                current = Some((s, e));
            }
            None => current = Some((s, e)),
        }
    }
    if let Some((cs, ce)) = current {
        covered_cp += ce - cs;
    }
    let share = if total_cp == 0 { 0.0 } else { (covered_cp as f64 / total_cp as f64).clamp(0.0, 1.0) };
    Summary { counts, covered_cp, total_cp, share, distribution }
}

/// The fact-check side of a summary: claims by verdict and who is quoted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FactCheck {
    /// Claims per verdict: the offered verdicts first in their order
    /// ([`crate::model::VERDICTS`]), then free-text verdicts alphabetically;
    /// only verdicts that occur.
    pub claims_by_verdict: Vec<(String, usize)>,
    /// Claims without a verdict.
    pub claims_without_verdict: usize,
    /// Speakers with how many annotations (any label) name them, most first,
    /// then alphabetically.
    pub speakers: Vec<(String, usize)>,
    /// Every denial, in the order of `anns`, with what it denies.
    pub denials: Vec<DenialOf>,
}

/// A denial and the annotations it `denies` ([`crate::model::links`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DenialOf {
    pub id: String,
    pub quote: String,
    /// The denied annotations (label, quote), by target id; empty when the
    /// denial is not linked yet. Links to annotations not in `anns` are left out.
    pub denies: Vec<(Label, String)>,
}

/// Counts verdicts of claims and speakers of all annotations in `anns`, and
/// lists the denials with what they deny. O(n log n).
pub fn fact_check<A: std::borrow::Borrow<Annotation>>(anns: &[A]) -> FactCheck {
    use std::collections::{BTreeMap, HashMap};
    let all = || anns.iter().map(|a| a.borrow());
    let by_id: HashMap<&str, &Annotation> = all().map(|a| (a.id.as_str(), a)).collect();
    let denials = all()
        .filter(|a| a.label == Label::Denial)
        .map(|a| DenialOf {
            id: a.id.clone(),
            quote: a.quote.clone(),
            denies: a
                .links
                .iter()
                .filter(|l| l.kind == crate::model::links::LinkKind::Denies)
                .filter_map(|l| by_id.get(l.to.as_str()))
                .map(|t| (t.label, t.quote.clone()))
                .collect(),
        })
        .collect();
    let mut verdicts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut speakers: BTreeMap<&str, usize> = BTreeMap::new();
    let mut without = 0;
    for a in all() {
        if !a.speaker.is_empty() {
            *speakers.entry(a.speaker.as_str()).or_default() += 1;
        }
        if a.label == Label::Claim {
            if a.verdict.is_empty() {
                without += 1;
            } else {
                *verdicts.entry(a.verdict.as_str()).or_default() += 1;
            }
        }
    }
    let rank = |v: &str| crate::model::VERDICTS.iter().position(|x| *x == v).unwrap_or(usize::MAX);
    let mut claims_by_verdict: Vec<(String, usize)> = verdicts.into_iter().map(|(v, n)| (v.to_string(), n)).collect();
    crate::text::sorting::sort_by(&mut claims_by_verdict, |a, b| rank(&a.0).cmp(&rank(&b.0)).then_with(|| a.0.cmp(&b.0)));
    let mut speakers: Vec<(String, usize)> = speakers.into_iter().map(|(s, n)| (s.to_string(), n)).collect();
    crate::text::sorting::sort_by(&mut speakers, |a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    FactCheck { claims_by_verdict, claims_without_verdict: without, speakers, denials }
}
