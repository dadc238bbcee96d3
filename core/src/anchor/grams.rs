//! An index of the text's short substrings, built once per import.
//!
//! Every text position is keyed by the `q` code points starting there
//! (alphabet ids packed into one `u64`, `q` as many as fit; positions near
//! the end are padded with a symbol that matches nothing), and the positions
//! are sorted by key. The positions where any string of at most `q` code
//! points occurs then form one contiguous range of that order, found by
//! binary search: its length is the number of occurrences. Longer strings
//! are looked up by one of their `q`-long pieces and checked.

use super::fuzzy::NONE;
use std::ops::Range;

/// Most code points per key (more would not make keys more selective on
/// real texts, and fewer bits per symbol are needed for small alphabets).
const MAX_Q: usize = 16;

/// Positions of the text sorted by the `q` code points that start there.
pub(super) struct GramIndex {
    bits: usize,
    q: usize,
    keys: Vec<u64>,
    pos: Vec<u32>,
    /// Every 64th key: a binary search runs over these (small enough to stay
    /// in cache), then inside one block of 64 keys.
    samples: Vec<u64>,
}

/// Keys per sample.
const BLOCK: usize = 64;

impl GramIndex {
    /// Indexes `ids` (alphabet ids below `alpha`): one sort of the text's positions.
    pub(super) fn new(ids: &[u32], alpha: usize) -> Self {
        // Symbol 0 pads past the end; ids are stored as id + 1.
        let bits = (usize::BITS - alpha.leading_zeros()).max(1) as usize;
        let q = (64 / bits).clamp(1, MAX_Q);
        let mask = if bits * q >= 64 { u64::MAX } else { (1u64 << (bits * q)) - 1 };
        let sym = |i: usize| ids.get(i).map_or(0, |&c| u64::from(c) + 1);
        let mut key = (0..q).fold(0u64, |k, r| (k << bits) | sym(r));
        let mut pairs: Vec<(u64, u32)> = Vec::with_capacity(ids.len());
        for i in 0..ids.len() {
            pairs.push((key, i as u32));
            key = ((key << bits) & mask) | sym(i + q);
        }
        // The text's million q-grams: the one sort hot enough to keep the
        // standard library's (see `crate::text::sorting`).
        pairs.sort_unstable();
        let keys: Vec<u64> = pairs.iter().map(|p| p.0).collect();
        let pos = pairs.into_iter().map(|p| p.1).collect();
        let samples = keys.iter().step_by(BLOCK).copied().collect();
        GramIndex { bits, q, keys, pos, samples }
    }

    /// Longest string looked up directly (code points).
    pub(super) fn q(&self) -> usize {
        self.q
    }

    /// The range of the order holding the positions where `piece` (1 to `q`
    /// code points) occurs; empty when it holds a code point absent from the text.
    pub(super) fn range(&self, piece: &[u32]) -> Range<usize> {
        let l = piece.len();
        debug_assert!(l >= 1 && l <= self.q);
        if piece.contains(&NONE) {
            return 0..0;
        }
        let packed = piece.iter().fold(0u64, |k, &c| (k << self.bits) | (u64::from(c) + 1));
        let free = self.bits * (self.q - l);
        let lo_key = packed << free;
        let hi_key = lo_key | ((1u64 << free) - 1);
        let a = self.first_at_least(lo_key);
        // The end is usually near: gallop from the start, then bisect.
        let keys = &self.keys;
        let (mut b, mut step) = (a, 1);
        while b + step <= keys.len() && keys[b + step - 1] <= hi_key {
            b += step;
            step *= 2;
        }
        let top = (b + step).min(keys.len());
        a..b + keys[b..top].partition_point(|&k| k <= hi_key)
    }

    /// The number of keys below `x`.
    fn first_at_least(&self, x: u64) -> usize {
        // samples[j - 1] < x <= samples[j]: the answer is in block j - 1, after its first key.
        let j = self.samples.partition_point(|&s| s < x);
        if j == 0 {
            return 0;
        }
        let lo = (j - 1) * BLOCK + 1;
        let hi = (j * BLOCK).min(self.keys.len());
        lo + self.keys[lo..hi].partition_point(|&k| k < x)
    }

    /// Text positions (code points) in a range, in no particular order.
    pub(super) fn positions(&self, r: Range<usize>) -> &[u32] {
        &self.pos[r]
    }
}
