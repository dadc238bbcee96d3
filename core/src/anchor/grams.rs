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
    /// Bits of a key used by `radix`, and `radix[t]`: the first key whose
    /// top `radix_bits` bits are at least `t` (a direct table over the
    /// sorted keys, so short pieces need no binary search at all).
    radix_bits: usize,
    radix: Vec<u32>,
}

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
        pairs.sort_unstable();
        let keys: Vec<u64> = pairs.iter().map(|p| p.0).collect();
        let pos = pairs.into_iter().map(|p| p.1).collect();
        // About one key per radix slot, at most 2^20 slots.
        let radix_bits = ((usize::BITS - ids.len().leading_zeros()) as usize).clamp(1, 20).min(bits * q);
        let shift = bits * q - radix_bits;
        let mut radix = Vec::with_capacity((1 << radix_bits) + 1);
        let mut i = 0;
        for t in 0..=(1u64 << radix_bits) {
            while i < keys.len() && keys[i] >> shift < t {
                i += 1;
            }
            radix.push(i as u32);
        }
        GramIndex { bits, q, keys, pos, radix_bits, radix }
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
        let shift = self.bits * self.q - self.radix_bits;
        let (blo, bhi) = ((lo_key >> shift) as usize, (hi_key >> shift) as usize);
        let (a, b) = (self.radix[blo] as usize, self.radix[bhi + 1] as usize);
        if free >= shift {
            // The piece fixes at most the radix bits: whole slots.
            return a..b;
        }
        let keys = &self.keys[a..b];
        let lo = keys.partition_point(|&k| k < lo_key);
        let hi = lo + keys[lo..].partition_point(|&k| k <= hi_key);
        a + lo..a + hi
    }

    /// Text positions (code points) in a range, in no particular order.
    pub(super) fn positions(&self, r: Range<usize>) -> &[u32] {
        &self.pos[r]
    }
}
