//! Where a quote can occur, from the substring index ([`GramIndex`]).
//!
//! **Pigeonhole rule.** If a text span is within `e` edits of the quote, and
//! the quote holds `e + 1` disjoint pieces, one piece is untouched by every
//! edit (an edit touches at most one piece), so it occurs verbatim in the
//! span. If that piece starts at quote offset `a` and at text position `t`,
//! the rest of the quote lines up with the rest of the span to within `e`
//! code points, so the span ends in `[t + m − a − e, t + m − a + e]`. The
//! occurrences of `e + 1` pieces thus bound every end of a match with at most
//! `e` edits, and the pieces are chosen to occur as rarely as possible
//! (a piece holding a code point absent from the text occurs nowhere).

use super::grams::GramIndex;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

/// One part of a quote: `part` (pattern offsets), looked up through its
/// window starting at offset `at`, whose occurrences are `range` of the index.
pub(super) struct Piece {
    pub(super) part: Range<usize>,
    pub(super) at: usize,
    pub(super) range: Range<usize>,
    /// The window is `q` long: its positions are ascending.
    pub(super) sorted: bool,
}

/// `n` disjoint pieces of a quote and the occurrences of their windows in all.
pub(super) type Pieces = (Vec<Piece>, usize);

/// Quotes up to this long (code points) may take their pieces at any
/// offsets (one index look-up per offset).
const SHORT_QUOTE: usize = 32;

/// A quote's pieces for each number of pieces asked for, chosen once.
pub(super) struct PieceTable {
    g: Rc<GramIndex>,
    pattern: Vec<u32>,
    /// For each number of pieces: the pieces, or a lower bound of their
    /// occurrences when that exceeded the budget of an earlier call.
    chosen: RefCell<HashMap<usize, Result<Rc<Pieces>, usize>>>,
    /// Index ranges of the pieces `(offset, length)` looked up so far.
    ranges: RefCell<HashMap<(usize, usize), Range<usize>>>,
}

impl PieceTable {
    pub(super) fn new(g: Rc<GramIndex>, pattern: &[u32]) -> PieceTable {
        PieceTable { g, pattern: pattern.to_vec(), chosen: RefCell::default(), ranges: RefCell::default() }
    }

    /// `n` disjoint pieces occurring rarely. When the quote is short and a
    /// `n`-th of it is shorter than the index's `q`: the `n` windows of that
    /// length, at any offsets, occurring least in all. Otherwise the quote cut into `n`
    /// equal parts, each looked up through the rarest of up to 4 of its
    /// `q`-long windows starting at multiples of `q / 2` (shared between
    /// numbers of pieces; each occurrence of the window is then checked
    /// against the whole part). `None` when the quote is shorter than `n`
    /// or the pieces occur more than `budget` times in all.
    pub(super) fn choose(&self, n: usize, budget: usize) -> Option<Rc<Pieces>> {
        let (m, q) = (self.pattern.len(), self.g.q());
        if n == 0 || n > m {
            return None;
        }
        match self.chosen.borrow().get(&n) {
            Some(Ok(p)) => return (p.1 <= budget).then(|| p.clone()),
            Some(Err(lower)) if *lower > budget => return None,
            _ => {}
        }
        let out = if m / n < q && m <= SHORT_QUOTE { Ok(self.short_pieces(n, m / n)) } else { self.parts(n, budget) };
        let out = out.map(Rc::new);
        self.chosen.borrow_mut().insert(n, out.clone());
        out.ok().filter(|p| p.1 <= budget)
    }

    /// `n` pieces `l` long (`n · l ≤ m`, `l < q`) at any offsets, disjoint,
    /// with the fewest occurrences in all (a dynamic program over the counts
    /// of every window of that length).
    fn short_pieces(&self, n: usize, l: usize) -> Pieces {
        let m = self.pattern.len();
        let count: Vec<usize> = (0..=m - l).map(|a| self.lookup(a, l).len()).collect();
        // best[j * w + i]: fewest occurrences of j windows inside pattern[..i].
        let w = m + 1;
        let mut best = vec![usize::MAX; (n + 1) * w];
        best[..w].fill(0);
        for j in 1..=n {
            for i in j * l..=m {
                let take = best[(j - 1) * w + i - l].saturating_add(count[i - l]);
                best[j * w + i] = best[j * w + i - 1].min(take);
            }
        }
        let total = best[n * w + m];
        let mut pieces = Vec::with_capacity(n);
        let (mut j, mut i) = (n, m);
        while j > 0 {
            if i > j * l && best[j * w + i] == best[j * w + i - 1] {
                i -= 1;
            } else {
                pieces.push(Piece { part: i - l..i, at: i - l, range: self.lookup(i - l, l), sorted: false });
                i -= l;
                j -= 1;
            }
        }
        (pieces, total)
    }

    /// The quote cut into `n` equal parts, each looked up through the
    /// rarest of up to 4 of its windows; `Err` with the occurrences counted
    /// so far once they exceed `budget`.
    fn parts(&self, n: usize, budget: usize) -> Result<Pieces, usize> {
        let (m, q) = (self.pattern.len(), self.g.q());
        {
            let mut pieces = Vec::with_capacity(n);
            let mut total = 0;
            for i in 0..n {
                let (s, t) = (i * m / n, (i + 1) * m / n);
                let l = (t - s).min(q);
                let step = (q / 2).max(1);
                let grid: Vec<usize> = (s.div_ceil(step) * step..=t - l).step_by(step).collect();
                let offsets: Vec<usize> = match grid.len() {
                    0 => vec![s],
                    1 => grid,
                    g => {
                        let c = g.min(4);
                        (0..c).map(|j| grid[j * (g - 1) / (c - 1)]).collect()
                    }
                };
                let (a, r) = offsets.into_iter().map(|a| (a, self.lookup(a, l))).min_by_key(|(_, r)| r.len()).unwrap_or((s, 0..0));
                // Positions of a full-length window are found by bisection: free.
                let sorted = l == q;
                total += if sorted { 0 } else { r.len() };
                if total > budget {
                    return Err(total);
                }
                pieces.push(Piece { part: s..t, at: a, range: r, sorted });
            }
            Ok((pieces, total))
        }
    }

    fn lookup(&self, a: usize, l: usize) -> Range<usize> {
        let mut ranges = self.ranges.borrow_mut();
        ranges.entry((a, l)).or_insert_with(|| self.g.range(&self.pattern[a..a + l])).clone()
    }
}

/// Every start (code points, ascending) of `pattern` in `ids`, found from
/// the rarest of a few of its pieces and checked. `checked` counts the
/// positions looked at.
pub(super) fn occurrences(g: &GramIndex, ids: &[u32], pattern: &[u32], checked: &mut u64) -> Vec<usize> {
    let m = pattern.len();
    if m == 0 {
        return Vec::new();
    }
    let l = m.min(g.q());
    // Up to 8 pieces spread over the pattern; the one occurring least is used.
    let last = m - l;
    let step = last.div_ceil(7).max(1);
    let (a, r) = (0..=last)
        .step_by(step)
        .chain(std::iter::once(last))
        .map(|a| (a, g.range(&pattern[a..a + l])))
        .min_by_key(|(_, r)| r.len())
        .unwrap_or((0, 0..0));
    *checked += r.len() as u64;
    let mut out: Vec<usize> = g
        .positions(r)
        .iter()
        .filter_map(|&t| {
            let s = (t as usize).checked_sub(a)?;
            (l == m || ids.get(s..s + m) == Some(pattern)).then_some(s)
        })
        .collect();
    crate::text::sorting::sort(&mut out);
    out
}
