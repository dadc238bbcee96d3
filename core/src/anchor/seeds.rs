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
}

/// `n` disjoint pieces of a quote and the occurrences of their windows in all.
pub(super) type Pieces = (Vec<Piece>, usize);

/// A quote's pieces for each number of pieces asked for, chosen once.
pub(super) struct PieceTable {
    g: Rc<GramIndex>,
    pattern: Vec<u32>,
    chosen: RefCell<HashMap<usize, Option<Rc<Pieces>>>>,
    /// Index ranges of the pieces `(offset, length)` looked up so far.
    ranges: RefCell<HashMap<(usize, usize), Range<usize>>>,
}

impl PieceTable {
    pub(super) fn new(g: Rc<GramIndex>, pattern: &[u32]) -> PieceTable {
        PieceTable { g, pattern: pattern.to_vec(), chosen: RefCell::default(), ranges: RefCell::default() }
    }

    /// `n` disjoint pieces occurring rarely: the quote cut into `n` equal
    /// parts, each looked up whole or, when it is longer than the index's
    /// `q`, through the rarest of up to 4 of its `q`-long windows starting
    /// at multiples of `q / 2` (shared between numbers of pieces; each
    /// occurrence of the window is then checked against the whole part).
    /// `None` when the quote is shorter than `n`.
    pub(super) fn choose(&self, n: usize) -> Option<Rc<Pieces>> {
        if let Some(c) = self.chosen.borrow().get(&n) {
            return c.clone();
        }
        let (m, q) = (self.pattern.len(), self.g.q());
        let out = (n >= 1 && n <= m).then(|| {
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
                total += r.len();
                pieces.push(Piece { part: s..t, at: a, range: r });
            }
            Rc::new((pieces, total))
        });
        self.chosen.borrow_mut().insert(n, out.clone());
        out
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
    out.sort_unstable();
    out
}
