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

/// `n` disjoint pieces of a quote `(offset, length, index range)` and their
/// occurrences in all.
pub(super) type Pieces = (Vec<(usize, usize, Range<usize>)>, usize);

/// A quote's pieces for each number of pieces asked for, chosen once.
pub(super) struct PieceTable {
    g: Rc<GramIndex>,
    pattern: Vec<u32>,
    chosen: RefCell<HashMap<usize, Option<Rc<Pieces>>>>,
}

impl PieceTable {
    pub(super) fn new(g: Rc<GramIndex>, pattern: &[u32]) -> PieceTable {
        PieceTable { g, pattern: pattern.to_vec(), chosen: RefCell::new(HashMap::new()) }
    }

    /// `n` disjoint pieces occurring rarely: the quote cut into `n` equal
    /// parts, from each the part itself or, when it is longer than the
    /// index's `q`, the rarest of a few of its `q`-long windows. `None` when
    /// the quote is shorter than `n`.
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
                let last = t - l;
                let (a, r) = (0..4)
                    .map(|j| s + (last - s) * j / 3)
                    .map(|a| (a, self.g.range(&self.pattern[a..a + l])))
                    .min_by_key(|(_, r)| r.len())
                    .unwrap_or((s, 0..0));
                total += r.len();
                pieces.push((a, l, r));
            }
            Rc::new((pieces, total))
        });
        self.chosen.borrow_mut().insert(n, out.clone());
        out
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
