//! Agreement between two annotators: the published αu example
//! (Krippendorff 2004), hand-computed counts, P/R/F1 and κ, the matching
//! rule's tie-breaks, and properties on random files (identical files agree
//! fully, swapping and shuffling change nothing, every unit is accounted
//! for once, no NaN), plus αu against a slow reference.

use annotator_core::agreement::{
    alpha_u, category_disagreement, compare, match_units, pairwise, Comparison, DiffKind, Difference, Figures, Unit,
};
use annotator_core::model::Label::{self, Claim, Denial, Statistic};
use proptest::prelude::*;
use std::collections::BTreeSet;

fn u(start: usize, end: usize, label: Label) -> Unit {
    Unit::new(start, end, label)
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-12)
}

// ------------------------------------------------------------ the published αu example

/// Krippendorff (2004: 254), as in dkpro-statistics' `Krippendorff2004Test`:
/// a continuum of 300 beginning at 150, units as (begin, length). We shift
/// everything by −150; c ↦ Claim, k ↦ Denial.
fn krippendorff_2004() -> (Vec<Unit>, Vec<Unit>) {
    let at = |b: usize, l: usize, label| u(b - 150, b - 150 + l, label);
    let a = vec![at(225, 70, Claim), at(370, 30, Claim), at(180, 60, Denial), at(300, 50, Denial)];
    let b = vec![at(220, 80, Claim), at(355, 20, Claim), at(400, 20, Claim), at(180, 60, Denial), at(300, 50, Denial)];
    (a, b)
}

fn round4(x: Option<f64>) -> f64 {
    (x.expect("defined") * 1e4).round() / 1e4
}

#[test]
fn published_alpha_u_example() {
    let (a, b) = krippendorff_2004();
    let alpha = alpha_u(&a, &b, 300);
    // The book prints 0.8591: 1 − 0.0144/(0.0532 + 0.0490), from the disagreements rounded
    // to 4 decimals. Unrounded, the same formula gives 0.85867, and so does dkpro
    // (0.8586654051841702, checked by running its KrippendorffAlphaUnitizingAgreement on
    // this study); its Krippendorff2004Test accepts 0.8591 ± 0.0005. We assert both.
    assert!((alpha.overall.unwrap() - 0.8591).abs() < 0.0005);
    assert!((alpha.overall.unwrap() - 0.858_665_405_184_170_2).abs() < 1e-12);
    assert_eq!(round4(Some(1.0 - 0.0144 / (0.0532 + 0.0490))), 0.8591);
    assert_eq!(alpha.per_label[0], (Claim, alpha.per_label[0].1));
    assert_eq!(round4(alpha.per_label[0].1), 0.7286); // dkpro: 0.728598996805389
    assert_eq!(round4(alpha.per_label[1].1), 1.0);
    assert_eq!(alpha.per_label[2], (Statistic, None), "nobody used Statistic");

    // dkpro's intermediate values: D_o(c) = 1300/300² (distances 50 + 850 + 400).
    let c = category_disagreement(&a, &b, 300, Claim);
    assert!((c.observed - 1300.0 / 90_000.0).abs() < 1e-15);
    assert!((c.expected - 0.0532).abs() < 1e-4);
    let k = category_disagreement(&a, &b, 300, Denial);
    assert_eq!(k.observed, 0.0);
    assert!((k.expected - 0.0490).abs() < 1e-4);

    // The same through compare, and either coder as "mine".
    for (m, t) in [(&a, &b), (&b, &a)] {
        let cmp = compare(m, t, 300);
        assert_eq!(round4(cmp.overall.alpha_u), 0.8587);
        assert_eq!(round4(cmp.per_label[0].1.alpha_u), 0.7286);
        assert_eq!(round4(cmp.per_label[1].1.alpha_u), 1.0);
        assert_eq!(round4(pairwise(m, t, 300).1), 0.8587);
    }
}

#[test]
fn alpha_u_joins_one_coders_overlapping_units_and_drops_empty_ones() {
    let (a, b) = krippendorff_2004();
    // Claim [75, 145) written as three overlapping pieces and a duplicate, plus empty units.
    let mut split = a.clone();
    split[0] = u(75, 100, Claim);
    split.extend([u(90, 130, Claim), u(120, 145, Claim), u(90, 130, Claim), u(10, 10, Claim), u(0, 0, Statistic)]);
    assert_eq!(alpha_u(&split, &b, 300), alpha_u(&a, &b, 300));
    // Touching units stay two units: different from one joined unit.
    let mut touching = a.clone();
    touching[0] = u(75, 100, Claim);
    touching.push(u(100, 145, Claim));
    assert_ne!(alpha_u(&touching, &b, 300).per_label[0].1, alpha_u(&a, &b, 300).per_label[0].1);
}

#[test]
fn alpha_u_is_undefined_without_units_and_stretches_the_continuum() {
    assert_eq!(alpha_u(&[], &[], 100).overall, None);
    assert_eq!(alpha_u(&[u(5, 5, Claim)], &[u(5, 5, Claim)], 100).overall, None);
    assert_eq!(alpha_u(&[], &[], 0).overall, None);
    // One coder marked nothing: no agreement beyond chance or worse, but defined.
    let one = alpha_u(&[u(10, 20, Claim)], &[], 100).overall.unwrap();
    assert!(one <= 0.0, "{one}");
    // A unit past the end of the text stretches the continuum: same as a longer text.
    let past = [u(90, 130, Denial)];
    assert_eq!(alpha_u(&past, &past, 100), alpha_u(&past, &past, 130));
    assert_eq!(alpha_u(&past, &past, 100).overall, Some(1.0));
    // Both coders cover the whole continuum with units of length 1: expected disagreement 0.
    let ones = [u(0, 1, Claim), u(1, 2, Claim)];
    assert_eq!(alpha_u(&ones, &ones, 2).overall, None);
}

// ------------------------------------------------------------ hand-computed cases

/// mine                    theirs                  step
/// m0 [0,10)   Claim       t0 [0,10)   Claim       1 exact
/// m1 [20,30)  Denial      t1 [20,30)  Claim       2 same span, label differs
/// m2 [40,50)  Statistic   t2 [42,55)  Statistic   3 overlap, same label
/// m3 [60,70)  Claim       t3 [65,80)  Denial      3 overlap, label differs
/// m4 [100,110) Claim                              only mine
///                         t4 [200,210) Denial     only theirs
fn case_a() -> (Vec<Unit>, Vec<Unit>) {
    let mine = vec![u(0, 10, Claim), u(20, 30, Denial), u(40, 50, Statistic), u(60, 70, Claim), u(100, 110, Claim)];
    let theirs = vec![u(0, 10, Claim), u(20, 30, Claim), u(42, 55, Statistic), u(65, 80, Denial), u(200, 210, Denial)];
    (mine, theirs)
}

#[test]
fn hand_computed_counts_and_figures() {
    let (mine, theirs) = case_a();
    let c = compare(&mine, &theirs, 300);
    let k = c.overall.counts;
    assert_eq!((k.exact, k.overlap, k.label_differs, k.only_mine, k.only_theirs), (1, 1, 2, 1, 1));
    assert_eq!((k.mine_total, k.theirs_total), (5, 5));
    // exact: tp 1 of 5 and 5; overlap: tp 2 (m0-t0, m2-t2).
    let f = c.overall;
    assert!(close(f.precision_exact, 0.2) && close(f.recall_exact, 0.2) && close(f.f1_exact, 0.2));
    assert!(close(f.precision_overlap, 0.4) && close(f.recall_overlap, 0.4) && close(f.f1_overlap, 0.4));
    // κ over the 4 pairs (C,C) (D,C) (S,S) (C,D): po = 2/4; marginals mine C2 D1 S1,
    // theirs C2 D1 S1: pe = (4 + 1 + 1)/16 = 0.375; κ = 0.125/0.625 = 0.2.
    assert!(close(f.kappa, 0.2), "{:?}", f.kappa);
    assert_eq!(c.pairs, vec![(0, 0), (1, 1), (2, 2), (3, 3)]);
    let d = |kind, mine, theirs, start, end| Difference { kind, mine, theirs, start, end };
    assert_eq!(
        c.differences,
        vec![
            d(DiffKind::Label, Some(1), Some(1), 20, 30),
            d(DiffKind::Boundaries, Some(2), Some(2), 40, 55),
            d(DiffKind::Label, Some(3), Some(3), 60, 80),
            d(DiffKind::OnlyMine, Some(4), None, 100, 110),
            d(DiffKind::OnlyTheirs, None, Some(4), 200, 210),
        ]
    );
    // Claim alone: mine m0 m3 m4, theirs t0 t1 → 1 exact, 2 only mine, 1 only theirs.
    let (label, claim) = c.per_label[0];
    assert_eq!(label, Claim);
    assert_eq!((claim.counts.exact, claim.counts.only_mine, claim.counts.only_theirs, claim.counts.label_differs), (1, 2, 1, 0));
    assert!(close(claim.precision_exact, 1.0 / 3.0) && close(claim.recall_exact, 0.5) && close(claim.f1_exact, 0.4));
    assert_eq!(claim.kappa, None);
    // Denial alone: mine m1, theirs t3 t4, m1 overlaps neither.
    let denial = c.per_label[1].1;
    assert_eq!((denial.counts.exact, denial.counts.overlap, denial.counts.only_mine, denial.counts.only_theirs), (0, 0, 1, 2));
    assert_eq!(denial.f1_overlap, Some(0.0));
    // Statistic alone: the overlapping pair.
    let stat = c.per_label[2].1;
    assert_eq!((stat.counts.overlap, stat.f1_exact, stat.f1_overlap), (1, Some(0.0), Some(1.0)));
    assert_eq!(pairwise(&mine, &theirs, 300).0, f.f1_overlap);
}

#[test]
fn kappa_of_a_two_by_two_table() {
    //              theirs Claim  theirs Denial
    // mine Claim        20            5          25
    // mine Denial       10           15          25
    //                   30           20          50
    // po = 35/50 = 0.7; pe = (25·30 + 25·20)/50² = 0.5; κ = 0.2/0.5 = 0.4.
    let cells = [(Claim, Claim, 20), (Claim, Denial, 5), (Denial, Claim, 10), (Denial, Denial, 15)];
    let (mut mine, mut theirs) = (Vec::new(), Vec::new());
    for (a, b, n) in cells {
        for _ in 0..n {
            let s = 10 * mine.len();
            mine.push(u(s, s + 5, a));
            theirs.push(u(s, s + 5, b));
        }
    }
    let f = compare(&mine, &theirs, 1000).overall;
    assert!(close(f.kappa, 0.4), "{:?}", f.kappa);
    assert_eq!((f.counts.exact, f.counts.label_differs), (35, 15));
}

#[test]
fn undefined_figures_are_none() {
    let empty = compare(&[], &[], 10).overall;
    assert_eq!(empty, Figures::default());
    let one = compare(&[u(0, 3, Claim)], &[], 10).overall;
    assert_eq!((one.precision_exact, one.recall_exact, one.f1_exact, one.kappa), (Some(0.0), None, Some(0.0), None));
    // Every pair labelled Claim on both sides: pe = 1, κ undefined.
    let same = compare(&[u(0, 3, Claim)], &[u(1, 3, Claim)], 10).overall;
    assert_eq!(same.kappa, None);
}

#[test]
fn duplicates_pair_up_by_count() {
    let mine = [u(0, 5, Claim), u(0, 5, Claim), u(0, 5, Claim)];
    let theirs = [u(0, 5, Claim), u(0, 5, Claim)];
    let m = match_units(&mine, &theirs);
    assert_eq!((m.exact.len(), m.only_mine.len(), m.only_theirs.len()), (2, 1, 0));
}

#[test]
fn overlap_prefers_the_same_label_then_the_longer_shared_part() {
    let mine = [u(0, 10, Claim)];
    // Denial shares 9 code points, Claim only 5: the same label wins.
    let m = match_units(&mine, &[u(0, 9, Denial), u(5, 15, Claim)]);
    assert_eq!(m.overlap, vec![(0, 1)]);
    // Same labels: the longer shared part wins.
    let m = match_units(&mine, &[u(5, 15, Claim), u(0, 8, Claim)]);
    assert_eq!(m.overlap, vec![(0, 1)]);
    // Same span but other label is taken before any overlap (step 2 before step 3).
    let m = match_units(&mine, &[u(2, 9, Claim), u(0, 10, Statistic)]);
    assert_eq!((m.same_span.clone(), m.only_theirs), (vec![(0, 1)], vec![0]));
    // Equal shared lengths: the pair holding the smaller unit, by content.
    let m = match_units(&[u(4, 8, Claim)], &[u(6, 10, Claim), u(2, 6, Claim)]);
    assert_eq!(m.overlap, vec![(0, 1)]);
    let m = match_units(&[u(6, 10, Claim), u(2, 6, Claim)], &[u(4, 8, Claim)]);
    assert_eq!(m.overlap, vec![(1, 0)]);
}

#[test]
fn units_convert_from_annotations() {
    let a = annotator_core::model::Annotation::new("x", 3, 7, "abcd", Statistic, "2024-01-01T00:00:00Z");
    assert_eq!(Unit::from(&a), u(3, 7, Statistic));
}

// ------------------------------------------------------------ properties

const LEN: usize = 80;

fn unit_strategy() -> impl Strategy<Value = Unit> {
    (0..LEN - 10, 0..14usize, 0..3usize).prop_map(|(s, l, k)| u(s, s + l, Label::ALL[k]))
}

fn file_strategy() -> impl Strategy<Value = Vec<Unit>> {
    prop::collection::vec(unit_strategy(), 0..12)
}

/// A difference by content: (kind, union span, mine unit, theirs unit).
type Content = (DiffKind, usize, usize, Option<Unit>, Option<Unit>);

fn diff_contents(c: &Comparison, mine: &[Unit], theirs: &[Unit]) -> Vec<Content> {
    let mut v: Vec<Content> =
        c.differences.iter().map(|d| (d.kind, d.start, d.end, d.mine.map(|i| mine[i]), d.theirs.map(|j| theirs[j]))).collect();
    v.sort();
    v
}

fn pair_contents(c: &Comparison, mine: &[Unit], theirs: &[Unit]) -> Vec<(Unit, Unit)> {
    let mut v: Vec<(Unit, Unit)> = c.pairs.iter().map(|&(i, j)| (mine[i], theirs[j])).collect();
    v.sort();
    v
}

fn swapped(f: &Figures) -> Figures {
    let mut g = *f;
    std::mem::swap(&mut g.counts.only_mine, &mut g.counts.only_theirs);
    std::mem::swap(&mut g.counts.mine_total, &mut g.counts.theirs_total);
    std::mem::swap(&mut g.precision_exact, &mut g.recall_exact);
    std::mem::swap(&mut g.precision_overlap, &mut g.recall_overlap);
    g
}

fn all_values(f: &Figures) -> [Option<f64>; 8] {
    [f.precision_exact, f.recall_exact, f.f1_exact, f.precision_overlap, f.recall_overlap, f.f1_overlap, f.kappa, f.alpha_u]
}

fn check_accounting(c: &Comparison, mine: &[Unit], theirs: &[Unit]) -> Result<(), TestCaseError> {
    let mut seen_m = vec![0; mine.len()];
    let mut seen_t = vec![0; theirs.len()];
    for &(i, j) in &c.pairs {
        seen_m[i] += 1;
        seen_t[j] += 1;
    }
    let pairs: BTreeSet<(usize, usize)> = c.pairs.iter().copied().collect();
    for d in &c.differences {
        match d.kind {
            DiffKind::OnlyMine => seen_m[d.mine.unwrap()] += 1,
            DiffKind::OnlyTheirs => seen_t[d.theirs.unwrap()] += 1,
            _ => prop_assert!(pairs.contains(&(d.mine.unwrap(), d.theirs.unwrap()))),
        }
    }
    prop_assert!(seen_m.iter().chain(&seen_t).all(|&n| n == 1), "{:?} {:?}", seen_m, seen_t);
    let k = c.overall.counts;
    prop_assert_eq!(k.exact + k.overlap + k.label_differs + k.only_mine, k.mine_total);
    prop_assert_eq!(k.exact + k.overlap + k.label_differs + k.only_theirs, k.theirs_total);
    prop_assert_eq!(c.differences.len(), k.overlap + k.label_differs + k.only_mine + k.only_theirs);
    for f in std::iter::once(&c.overall).chain(c.per_label.iter().map(|(_, f)| f)) {
        for x in all_values(f).into_iter().flatten() {
            prop_assert!(x.is_finite() && x <= 1.0, "{:?}", f);
        }
    }
    // Differences in text order.
    prop_assert!(c.differences.windows(2).all(|w| (w[0].start, w[0].end, w[0].kind) <= (w[1].start, w[1].end, w[1].kind)));
    // Nothing left that could still pair: no unmatched unit of mine has the span of,
    // or shares a code point with, an unmatched unit of theirs.
    let om: Vec<Unit> = c.differences.iter().filter(|d| d.kind == DiffKind::OnlyMine).map(|d| mine[d.mine.unwrap()]).collect();
    let ot: Vec<Unit> = c.differences.iter().filter(|d| d.kind == DiffKind::OnlyTheirs).map(|d| theirs[d.theirs.unwrap()]).collect();
    for a in &om {
        for b in &ot {
            prop_assert!(a.shared(b) == 0 && (a.start, a.end) != (b.start, b.end), "{:?} {:?}", a, b);
        }
    }
    Ok(())
}

/// Shuffles `v` by the permutation implied by `keys`.
fn shuffled(v: &[Unit], keys: &[u32]) -> Vec<Unit> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by_key(|&i| (keys.get(i).copied().unwrap_or(0), i));
    idx.into_iter().map(|i| v[i]).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn identical_files_agree_fully(x in file_strategy()) {
        let c = compare(&x, &x, LEN);
        prop_assert!(c.differences.is_empty());
        if !x.is_empty() {
            prop_assert_eq!(c.overall.f1_exact, Some(1.0));
            prop_assert_eq!(c.overall.f1_overlap, Some(1.0));
        }
        let expected_alpha = x.iter().any(|u| u.start < u.end).then_some(1.0);
        prop_assert_eq!(c.overall.alpha_u, expected_alpha);
    }

    #[test]
    fn swapping_the_files_swaps_only_the_sides(x in file_strategy(), y in file_strategy()) {
        let xy = compare(&x, &y, LEN);
        let yx = compare(&y, &x, LEN);
        prop_assert_eq!(swapped(&xy.overall), yx.overall);
        for ((la, a), (lb, b)) in xy.per_label.iter().zip(&yx.per_label) {
            prop_assert_eq!(la, lb);
            prop_assert_eq!(swapped(a), *b);
        }
        let mirrored: Vec<(Unit, Unit)> = {
            let mut v: Vec<(Unit, Unit)> = pair_contents(&xy, &x, &y).into_iter().map(|(a, b)| (b, a)).collect();
            v.sort();
            v
        };
        prop_assert_eq!(mirrored, pair_contents(&yx, &y, &x));
        prop_assert_eq!(pairwise(&x, &y, LEN), pairwise(&y, &x, LEN));
    }

    #[test]
    fn shuffling_changes_nothing_but_indices(
        x in file_strategy(), y in file_strategy(),
        kx in prop::collection::vec(any::<u32>(), 12), ky in prop::collection::vec(any::<u32>(), 12),
    ) {
        let (sx, sy) = (shuffled(&x, &kx), shuffled(&y, &ky));
        let a = compare(&x, &y, LEN);
        let b = compare(&sx, &sy, LEN);
        prop_assert_eq!(a.overall, b.overall);
        prop_assert_eq!(&a.per_label, &b.per_label);
        prop_assert_eq!(diff_contents(&a, &x, &y), diff_contents(&b, &sx, &sy));
        prop_assert_eq!(pair_contents(&a, &x, &y), pair_contents(&b, &sx, &sy));
    }

    #[test]
    fn every_unit_is_accounted_for_once(x in file_strategy(), y in file_strategy()) {
        check_accounting(&compare(&x, &y, LEN), &x, &y)?;
    }

    #[test]
    fn alpha_u_matches_a_slow_reference(x in file_strategy(), y in file_strategy(), extra in 0..20usize) {
        let len = LEN + extra;
        let fast = alpha_u(&x, &y, len);
        for (label, a) in fast.per_label {
            let (o, e) = reference::disagreement(&x, &y, len, label);
            let d = category_disagreement(&x, &y, len, label);
            prop_assert!((d.observed - o).abs() <= 1e-12 * o.max(1.0), "{} {}", d.observed, o);
            prop_assert!((d.expected - e).abs() <= 1e-12 * e.max(1.0), "{} {}", d.expected, e);
            prop_assert_eq!(a.is_some(), e > 0.0);
        }
    }
}

/// αu's disagreements the slow, obvious way: overlapping units joined by
/// repeated pairwise union, every pair of segments tried, every gap tried.
mod reference {
    use super::*;

    fn joined(units: &[Unit], label: Label) -> Vec<(usize, usize)> {
        let mut v: Vec<(usize, usize)> = units.iter().filter(|u| u.label == label && u.start < u.end).map(|u| (u.start, u.end)).collect();
        loop {
            let mut changed = false;
            'outer: for i in 0..v.len() {
                for j in 0..v.len() {
                    if i != j && v[i].0 < v[j].1 && v[j].0 < v[i].1 {
                        v[i] = (v[i].0.min(v[j].0), v[i].1.max(v[j].1));
                        v.remove(j);
                        changed = true;
                        break 'outer;
                    }
                }
            }
            if !changed {
                v.sort();
                return v;
            }
        }
    }

    /// (start, end, is a unit) for the units and the gaps.
    fn segments(units: &[(usize, usize)], len: usize) -> Vec<(usize, usize, bool)> {
        let mut out = Vec::new();
        let mut pos = 0;
        for &(s, e) in units {
            if s > pos {
                out.push((pos, s, false));
            }
            out.push((s, e, true));
            pos = e;
        }
        if pos < len {
            out.push((pos, len, false));
        }
        out
    }

    pub fn disagreement(x: &[Unit], y: &[Unit], text_len: usize, label: Label) -> (f64, f64) {
        let len = x.iter().chain(y).filter(|u| u.start < u.end).map(|u| u.end).max().unwrap_or(0).max(text_len);
        let (ux, uy) = (joined(x, label), joined(y, label));
        if ux.is_empty() && uy.is_empty() {
            return (0.0, 0.0);
        }
        let (sx, sy) = (segments(&ux, len), segments(&uy, len));
        let mut d = 0.0;
        for &(a0, a1, au) in &sx {
            for &(b0, b1, bu) in &sy {
                if a0.max(b0) >= a1.min(b1) {
                    continue;
                }
                let sq = |v: f64| v * v;
                d += match (au, bu) {
                    (true, true) => sq(a0 as f64 - b0 as f64) + sq(a1 as f64 - b1 as f64),
                    (true, false) if b0 <= a0 && a1 <= b1 => sq((a1 - a0) as f64),
                    (false, true) if a0 <= b0 && b1 <= a1 => sq((b1 - b0) as f64),
                    _ => 0.0,
                };
            }
        }
        let observed = d / (len as f64 * len as f64);
        let gaps: Vec<f64> = sx.iter().chain(&sy).filter(|s| !s.2).map(|s| (s.1 - s.0) as f64).collect();
        let lengths: Vec<f64> = ux.iter().chain(&uy).map(|&(s, e)| (e - s) as f64).collect();
        let n = lengths.len() as f64;
        let mut sum = 0.0;
        for &l in &lengths {
            sum += (n - 1.0) * (2.0 * l * l * l - 3.0 * l * l + l) / 3.0;
            sum += l * l * gaps.iter().filter(|&&g| g >= l).map(|g| g - l + 1.0).sum::<f64>();
        }
        let squares: f64 = lengths.iter().map(|l| l * (l - 1.0)).sum();
        let m = 2.0 * len as f64;
        (observed, sum * 2.0 / len as f64 / (m * (m - 1.0) - squares))
    }
}

// ------------------------------------------------------------ size

/// 2 × 10,000 random units on a 1,000,000-code-point text: only correctness
/// here (the time is measured in the browser by `scripts/bench.sh`: "compare with a colleague's file" in docs/benchmark.md).
#[test]
fn ten_thousand_units_each() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut file = |n: usize| -> Vec<Unit> {
        (0..n)
            .map(|_| {
                let s = next(999_800);
                u(s, s + 1 + next(200), Label::ALL[next(3)])
            })
            .collect()
    };
    let (mine, theirs) = (file(10_000), file(10_000));
    let c = compare(&mine, &theirs, 1_000_000);
    check_accounting(&c, &mine, &theirs).unwrap();
    let k = c.overall.counts;
    assert!(k.overlap + k.label_differs > 1_000, "{k:?}");
    assert!(c.overall.alpha_u.is_some_and(|a| a.is_finite()));
    let (f1, alpha) = pairwise(&theirs, &mine, 1_000_000);
    assert_eq!((f1, alpha), (c.overall.f1_overlap, c.overall.alpha_u));
}
