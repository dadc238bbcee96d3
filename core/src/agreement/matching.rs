//! The one-to-one matching of two files' units (rule in the parent module doc).

use super::units::Unit;
use std::cmp::{Ordering, Reverse};

/// The result of [`match_units`]: index pairs `(mine, theirs)` per step,
/// each list sorted, and the indices left over.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matching {
    /// Step 1: same start, end and label.
    pub exact: Vec<(usize, usize)>,
    /// Step 2: same start and end, other label.
    pub same_span: Vec<(usize, usize)>,
    /// Step 3: overlapping, whatever the labels.
    pub overlap: Vec<(usize, usize)>,
    /// Indices of mine matched with nothing.
    pub only_mine: Vec<usize>,
    /// Indices of theirs matched with nothing.
    pub only_theirs: Vec<usize>,
}

impl Matching {
    /// All pairs of steps 1–3, sorted by mine index.
    pub fn pairs(&self) -> Vec<(usize, usize)> {
        let mut all: Vec<(usize, usize)> = self.exact.iter().chain(&self.same_span).chain(&self.overlap).copied().collect();
        crate::text::sorting::sort(&mut all);
        all
    }
}

/// Matches `mine` with `theirs` by the rule of the module doc.
pub fn match_units(mine: &[Unit], theirs: &[Unit]) -> Matching {
    let mut m = Matching::default();
    let all_mine: Vec<usize> = (0..mine.len()).collect();
    let all_theirs: Vec<usize> = (0..theirs.len()).collect();
    let (rest_mine, rest_theirs) = pair_equal(mine, theirs, all_mine, all_theirs, |u| u.key(), &mut m.exact);
    let (rest_mine, rest_theirs) = pair_equal(mine, theirs, rest_mine, rest_theirs, |u| (u.start, u.end), &mut m.same_span);
    let (only_mine, only_theirs) = pair_overlapping(mine, theirs, rest_mine, rest_theirs, &mut m.overlap);
    m.only_mine = only_mine;
    m.only_theirs = only_theirs;
    for v in [&mut m.exact, &mut m.same_span, &mut m.overlap] {
        crate::text::sorting::sort(v);
    }
    m
}

/// Pairs the units of `ms` and `ts` (indices) whose `key` is equal, by a
/// merge of the two lists sorted by (key, unit, index): within equal keys
/// the units pair in content order. Returns the indices left, sorted.
fn pair_equal<K: Ord>(
    mine: &[Unit],
    theirs: &[Unit],
    mut ms: Vec<usize>,
    mut ts: Vec<usize>,
    key: impl Fn(&Unit) -> K,
    out: &mut Vec<(usize, usize)>,
) -> (Vec<usize>, Vec<usize>) {
    crate::text::sorting::sort_by_key(&mut ms, |&i| (key(&mine[i]), mine[i], i));
    crate::text::sorting::sort_by_key(&mut ts, |&j| (key(&theirs[j]), theirs[j], j));
    let (mut rest_m, mut rest_t) = (Vec::new(), Vec::new());
    let (mut a, mut b) = (0, 0);
    while a < ms.len() && b < ts.len() {
        let (i, j) = (ms[a], ts[b]);
        match key(&mine[i]).cmp(&key(&theirs[j])) {
            Ordering::Equal => {
                out.push((i, j));
                a += 1;
                b += 1;
            }
            Ordering::Less => {
                rest_m.push(i);
                a += 1;
            }
            Ordering::Greater => {
                rest_t.push(j);
                b += 1;
            }
        }
    }
    rest_m.extend_from_slice(&ms[a..]);
    rest_t.extend_from_slice(&ts[b..]);
    crate::text::sorting::sort(&mut rest_m);
    crate::text::sorting::sort(&mut rest_t);
    (rest_m, rest_t)
}

/// Step 3 on the indices left: overlapping candidates, taken greedily by the
/// symmetric content key. Returns the indices still unmatched, sorted.
fn pair_overlapping(
    mine: &[Unit],
    theirs: &[Unit],
    ms: Vec<usize>,
    ts: Vec<usize>,
    out: &mut Vec<(usize, usize)>,
) -> (Vec<usize>, Vec<usize>) {
    let by_start = |units: &[Unit], idx: &[usize]| {
        let mut v: Vec<usize> = idx.iter().copied().filter(|&i| units[i].start < units[i].end).collect();
        crate::text::sorting::sort_by_key(&mut v, |&i| (units[i].start, i));
        v
    };
    let (sm, st) = (by_start(mine, &ms), by_start(theirs, &ts));
    // Every overlapping pair is found exactly once: from the unit that starts
    // first (mine when both start together), among the other file's units
    // that start inside it.
    let mut cand: Vec<(usize, usize)> = Vec::new();
    for &i in &sm {
        let u = mine[i];
        let from = st.partition_point(|&j| theirs[j].start < u.start);
        let to = st.partition_point(|&j| theirs[j].start < u.end);
        cand.extend(st[from..to].iter().map(|&j| (i, j)));
    }
    for &j in &st {
        let t = theirs[j];
        let from = sm.partition_point(|&i| mine[i].start <= t.start);
        let to = sm.partition_point(|&i| mine[i].start < t.end);
        cand.extend(sm[from..to].iter().map(|&i| (i, j)));
    }
    let mut keyed: Vec<_> = cand
        .into_iter()
        .map(|(i, j)| {
            let (a, b) = (mine[i], theirs[j]);
            let (lo, hi) = if a.key() <= b.key() { (a.key(), b.key()) } else { (b.key(), a.key()) };
            (a.label != b.label, Reverse(a.shared(&b)), lo, hi, i, j)
        })
        .collect();
    crate::text::sorting::sort(&mut keyed);
    let mut used_m = vec![false; mine.len()];
    let mut used_t = vec![false; theirs.len()];
    for (.., i, j) in keyed {
        if !used_m[i] && !used_t[j] {
            used_m[i] = true;
            used_t[j] = true;
            out.push((i, j));
        }
    }
    (ms.into_iter().filter(|&i| !used_m[i]).collect(), ts.into_iter().filter(|&j| !used_t[j]).collect())
}
