//! Approximate matching: Myers' bit-parallel search and short-string
//! similarity.

use std::collections::HashMap;

/// From all match ends (sorted by position), keeps in each run of adjacent
/// ends the ones with that run's lowest error count.
pub(super) fn local_minima(ends: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    local_minima_into(ends, 0, &mut out);
    out
}

/// [`local_minima`], each end moved by `offset`, appended to `out`.
pub(super) fn local_minima_into(ends: &[(usize, usize)], offset: usize, out: &mut Vec<(usize, usize)>) {
    let mut i = 0;
    while i < ends.len() {
        let mut j = i + 1;
        while j < ends.len() && ends[j].0 == ends[j - 1].0 + 1 {
            j += 1;
        }
        let run = &ends[i..j];
        let min = run.iter().map(|e| e.1).min().unwrap_or(0);
        out.extend(run.iter().filter(|e| e.1 == min).map(|e| (e.0 + offset, e.1)));
        i = j;
    }
}

/// Similarity of two short strings: 1 − Levenshtein distance / length of `a`
/// (clamped to 0..1). `cells` counts the table cells computed.
pub(super) fn similarity(a: &[char], b: &[char], cells: &mut u64) -> f64 {
    if a.is_empty() {
        return 1.0;
    }
    if a == b {
        return 1.0;
    }
    let d = levenshtein(a, b, cells);
    (1.0 - d as f64 / a.len() as f64).max(0.0)
}

/// Levenshtein distance between two short strings: bit-parallel (Myers'
/// step with every alignment starting at the beginning of both) when `a`
/// fits one 64-bit word, else with two rows. `cells` counts the cells of the
/// table the distance stands for.
fn levenshtein(a: &[char], b: &[char], cells: &mut u64) -> usize {
    *cells += (a.len() * b.len()) as u64;
    if a.is_empty() || a.len() > W {
        return levenshtein_rows(a, b);
    }
    // masks: each distinct code point of `a` with the bits of its positions, sorted.
    let mut masks: Vec<(char, u64)> = Vec::with_capacity(a.len());
    for (i, &c) in a.iter().enumerate() {
        match masks.iter_mut().find(|m| m.0 == c) {
            Some(m) => m.1 |= 1 << i,
            None => masks.push((c, 1 << i)),
        }
    }
    crate::text::sorting::sort_by_key(&mut masks, |m| m.0);
    let last = 1u64 << (a.len() - 1);
    let (mut pv, mut mv, mut d) = (!0u64, 0u64, a.len() as i64);
    for c in b {
        let eq = masks.binary_search_by_key(c, |m| m.0).map_or(0, |i| masks[i].1);
        d += advance_block(&mut pv, &mut mv, eq, 1, last);
    }
    d as usize
}

/// Levenshtein distance with two rows.
fn levenshtein_rows(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Alphabet id of a pattern code point that never occurs in the text.
pub(super) const NONE: u32 = u32::MAX;
/// Word size of the bit-parallel algorithm.
const W: usize = 64;

/// One step of Myers' algorithm for one 64-row block (Myers 1999, fig. 8,
/// branch-free as in Šošić 2014): updates the vertical delta vectors `pv`/`mv`
/// for a text code point whose pattern match mask in this block is `eq`, given
/// the horizontal delta `h_in` (−1, 0, +1) entering the block's top row, and
/// returns the delta leaving its last row (`last` has that row's bit set).
#[inline(always)]
fn advance_block(pv: &mut u64, mv: &mut u64, eq: u64, h_in: i64, last: u64) -> i64 {
    let h_in_neg = (h_in < 0) as u64;
    let eq = eq | h_in_neg;
    let xv = eq | *mv;
    let xh = (((eq & *pv).wrapping_add(*pv)) ^ *pv) | eq;
    let mut ph = *mv | !(xh | *pv);
    let mut mh = *pv & xh;
    let h_out = ((ph & last) != 0) as i64 - ((mh & last) != 0) as i64;
    ph = (ph << 1) | (h_in > 0) as u64;
    mh = (mh << 1) | h_in_neg;
    *pv = mh | !(xv | ph);
    *mv = ph & xv;
    h_out
}

/// Every end (exclusive, in code points of `text`) of an approximate
/// occurrence of `pattern` in `text` with at most `k` edits, with its edit
/// count, in text order. `text` and `pattern` are alphabet ids below `alpha`
/// (`NONE` in the pattern never matches). Myers' block algorithm (1999, fig. 9)
/// with Ukkonen's cut-off: only blocks that can still be within `k` are
/// computed, so the expected cost is O(n · ⌈k/64⌉), not O(n · m).
/// With `anchored`, only occurrences starting at text position 0 count
/// (edit distance between `pattern` and each prefix of `text`).
/// `steps` is increased by the number of block steps done.
pub(super) fn find_ends(text: &[u32], pattern: &[u32], alpha: usize, k: usize, anchored: bool, steps: &mut u64) -> Vec<(usize, usize)> {
    find_ends_with(text, &Peq::new(pattern, alpha), k, anchored, steps)
}

/// A pattern prepared for [`find_ends_with`]: its match masks per alphabet
/// id, in blocks of 64 pattern code points (built once per pattern).
pub(super) struct Peq {
    m: usize,
    nb: usize,
    /// `words[c * nb + b]`: bit r set when `pattern[b * 64 + r] == c`.
    words: Vec<u64>,
}

impl Peq {
    pub(super) fn new(pattern: &[u32], alpha: usize) -> Peq {
        let m = pattern.len();
        let nb = m.div_ceil(W).max(1);
        let mut words = vec![0u64; alpha * nb];
        for (i, &c) in pattern.iter().enumerate() {
            if (c as usize) < alpha {
                words[c as usize * nb + i / W] |= 1u64 << (i % W);
            }
        }
        Peq { m, nb, words }
    }

    /// Length of the pattern (code points).
    pub(super) fn pattern_len(&self) -> usize {
        self.m
    }
}

/// [`find_ends`] with the pattern prepared once.
pub(super) fn find_ends_with(text: &[u32], peq: &Peq, k: usize, anchored: bool, steps: &mut u64) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    find_ends_into(text, peq, k, anchored, steps, &mut out);
    out
}

/// [`find_ends_with`], appending to `out` (so one buffer serves many passes).
pub(super) fn find_ends_into(text: &[u32], peq: &Peq, k: usize, anchored: bool, steps: &mut u64, out: &mut Vec<(usize, usize)>) {
    // Horizontal delta entering the top row: 0 lets a match start anywhere
    // (D[0][j] = 0); +1 makes it start at text position 0 (D[0][j] = j).
    let h_top = i64::from(anchored);
    let m = peq.m;
    if m == 0 {
        return;
    }
    let k = k.min(m) as i64;
    let nb = peq.nb;
    let bmax = nb - 1;
    let peq = &peq.words;
    if nb == 1 {
        // One block: everything in registers.
        let last = 1u64 << (m - 1);
        let (mut pv, mut mv, mut score) = (!0u64, 0u64, m as i64);
        for (j, &c) in text.iter().enumerate() {
            score += advance_block(&mut pv, &mut mv, peq[c as usize], h_top, last);
            if score <= k {
                out.push((j + 1, score as usize));
            }
        }
        *steps += text.len() as u64;
        return;
    }
    let mut last = vec![1u64 << (W - 1); nb];
    last[bmax] = 1u64 << ((m - 1) % W);
    // Block 0 lives in registers; blocks 1.. in the vectors (index 0 unused).
    let (mut pv0, mut mv0) = (!0u64, 0u64);
    let mut score0 = W as i64;
    let last0 = last[0];
    let mut pv = vec![!0u64; nb];
    let mut mv = vec![0u64; nb];
    let mut score = vec![0i64; nb];
    let mut y = (k as usize).div_ceil(W).saturating_sub(1).min(bmax);
    for (b, s) in score.iter_mut().enumerate().take(y + 1) {
        *s = ((b + 1) * W) as i64;
    }
    score[bmax] = m as i64;
    let mut done: u64 = 0;
    for (j, &c) in text.iter().enumerate() {
        let row = &peq[c as usize * nb..c as usize * nb + nb];
        let mut carry = advance_block(&mut pv0, &mut mv0, row[0], h_top, last0);
        score0 += carry;
        for b in 1..=y {
            carry = advance_block(&mut pv[b], &mut mv[b], row[b], carry, last[b]);
            score[b] += carry;
        }
        done += y as u64 + 1;
        let score_y = if y == 0 { score0 } else { score[y] };
        if score_y - carry <= k && y < bmax && ((row[y + 1] & 1) != 0 || carry < 0) {
            y += 1;
            pv[y] = !0;
            mv[y] = 0;
            let height = if y == bmax { (m - 1) % W + 1 } else { W } as i64;
            let h = advance_block(&mut pv[y], &mut mv[y], row[y], carry, last[y]);
            score[y] = score_y - carry + height + h;
            done += 1;
        } else {
            while y > 0 && score[y] >= k + W as i64 {
                y -= 1;
            }
        }
        if y == bmax && score[y] <= k {
            out.push((j + 1, score[y] as usize));
        }
    }
    *steps += done;
}

/// An approximate occurrence: `[start, end)` in code points, with `errors` edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApproxMatch {
    pub start: usize,
    pub end: usize,
    pub errors: usize,
}

/// Every end of an approximate occurrence of `pattern` in `text` (code
/// points) with at most `max_errors` edits, as `(end_exclusive, errors)` in
/// text order; `steps` counts the Myers block steps. A standalone entry to the
/// bit-parallel matcher (builds its own alphabet; for tests and tools).
pub fn approx_match_ends(text: &str, pattern: &str, max_errors: usize, steps: &mut u64) -> Vec<(usize, usize)> {
    let (t, p, alpha) = alphabet_of(text, pattern);
    find_ends(&t, &p, alpha, max_errors, false, steps)
}

/// Edit distance between `pattern` and every prefix `text[..j]` (code
/// points), for the `j` where it is at most `max_errors`, as `(j, distance)`
/// in order: the anchored variant of [`approx_match_ends`] used to find where
/// a match starts (on reversed strings).
pub fn prefix_edit_distances(text: &str, pattern: &str, max_errors: usize, steps: &mut u64) -> Vec<(usize, usize)> {
    let (t, p, alpha) = alphabet_of(text, pattern);
    find_ends(&t, &p, alpha, max_errors, true, steps)
}

/// The best approximate occurrences of `pattern` in `text` (code points):
/// those with the fewest edits (at most `max_errors`), one per run of
/// adjacent ends, each with its start. Empty when there is none.
pub fn approx_search(text: &str, pattern: &str, max_errors: usize) -> Vec<ApproxMatch> {
    let (t, p, alpha) = alphabet_of(text, pattern);
    let mut steps = 0;
    let ends = find_ends(&t, &p, alpha, max_errors, false, &mut steps);
    let Some(best) = ends.iter().map(|e| e.1).min() else { return Vec::new() };
    let rev: Vec<u32> = p.iter().rev().copied().collect();
    let m = p.len();
    let mut out: Vec<ApproxMatch> = Vec::new();
    for (end, errors) in local_minima(&ends).into_iter().filter(|e| e.1 == best) {
        let from = end.saturating_sub(m + errors);
        let window: Vec<u32> = t[from..end].iter().rev().copied().collect();
        let start = find_ends(&window, &rev, alpha, errors, true, &mut steps)
            .iter()
            .map(|h| end - h.0)
            .min_by_key(|&s| ((end - s).abs_diff(m), std::cmp::Reverse(end - s)))
            .unwrap_or(from);
        if out.last().is_some_and(|l| l.end + 1 == end && l.errors == errors) {
            continue;
        }
        out.push(ApproxMatch { start, end, errors });
    }
    out
}

fn alphabet_of(text: &str, pattern: &str) -> (Vec<u32>, Vec<u32>, usize) {
    let mut id_of: HashMap<char, u32> = HashMap::new();
    let t: Vec<u32> = text
        .chars()
        .map(|c| {
            let next = id_of.len() as u32;
            *id_of.entry(c).or_insert(next)
        })
        .collect();
    let p: Vec<u32> = pattern.chars().map(|c| id_of.get(&c).copied().unwrap_or(NONE)).collect();
    (t, p, id_of.len())
}

#[cfg(test)]
mod tests {
    use super::{levenshtein, levenshtein_rows};
    use proptest::prelude::*;

    fn short(max: usize) -> impl Strategy<Value = Vec<char>> {
        prop::collection::vec(prop::sample::select(vec!['a', 'b', 'c', ' ', '𝐀', 'é']), 0..max)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// The bit-parallel distance is the two-row dynamic program's, for
        /// every length up to one word and past it.
        #[test]
        fn bit_parallel_levenshtein_equals_the_dynamic_program(a in short(80), b in short(80)) {
            let mut cells = 0;
            prop_assert_eq!(levenshtein(&a, &b, &mut cells), levenshtein_rows(&a, &b));
            prop_assert_eq!(cells, (a.len() * b.len()) as u64);
        }
    }
}
