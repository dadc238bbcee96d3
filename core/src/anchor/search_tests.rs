//! The pigeonhole seeds cover every match end they promise to cover.

use super::fuzzy::{find_ends, Peq};
use super::prepared::Anchorer;
use super::search::Query;
use super::seeds::PieceTable;
use crate::text::text_index::TextIndex;
use proptest::prelude::*;

fn text(alphabet: Vec<char>, max: usize) -> impl Strategy<Value = Vec<char>> {
    prop::collection::vec(prop::sample::select(alphabet), 1..max)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// For every level `e`, the windows built from the occurrences of `e + 1`
    /// chosen pieces hold every end, inside the wanted ranges, of a match
    /// with at most `e` edits (whole parts, windows of the index's length
    /// found by bisection, and short pieces at any offset alike).
    #[test]
    fn seed_windows_hold_every_end_with_at_most_e_edits(
        chars in text(vec!['a', 'b', 'c', ' ', 'é'], 700),
        span in (0usize..700, 4usize..90),
        edits in prop::collection::vec((0usize..3, 0usize..100), 0..4),
        cuts in prop::collection::vec(0usize..800, 0..6),
        e_frac in 0usize..=100,
    ) {
        let n = chars.len();
        let s = span.0 % n;
        let mut quote: Vec<char> = chars[s..(s + span.1).min(n)].to_vec();
        for (kind, at) in edits {
            let at = at % quote.len().max(1);
            match kind {
                0 if !quote.is_empty() => quote[at] = 'x',
                1 => quote.insert(at, 'b'),
                _ if quote.len() > 1 => { quote.remove(at); }
                _ => {}
            }
        }
        prop_assume!(quote.len() >= 4);
        let text: String = chars.iter().collect();
        let ix = TextIndex::new(text.as_str());
        let mut a = Anchorer::new_indexed(&ix, 8);
        let pattern = a.to_ids(&quote);
        let m = pattern.len();
        let k = super::max_errors(m);
        let e = k * e_frac / 100;
        let g = a.grams.clone().expect("indexed");
        let table = PieceTable::new(g, &pattern);
        let Some(pieces) = table.choose(e + 1, usize::MAX) else { return Ok(()) };
        // Wanted ranges of ends: the text cut at random points, every other range.
        let mut edges: Vec<usize> = cuts.into_iter().map(|c| 1 + c % n).chain([1, n + 1]).collect();
        edges.sort_unstable();
        edges.dedup();
        let wanted: Vec<(usize, usize)> = edges.windows(2).step_by(2).map(|w| (w[0], w[1] - 1)).collect();
        let rev: Vec<u32> = pattern.iter().rev().copied().collect();
        let alpha = a.alphabet();
        let (peq, rev_peq) = (Peq::new(&pattern, alpha), Peq::new(&rev, alpha));
        let q = Query { pattern: &pattern, peq: &peq, rev_peq: &rev_peq, k, prefix: &[], suffix: &[], hint: None };
        let windows = a.seed_windows(&q, &pieces.0, e, &wanted);
        let mut steps = 0;
        for (end, errors) in find_ends(&a.ids, &pattern, alpha, k, false, &mut steps) {
            let in_wanted = wanted.iter().any(|&(za, zb)| za <= end && end <= zb);
            if errors <= e && in_wanted {
                prop_assert!(windows.iter().any(|&(wa, wb)| wa <= end && end <= wb), "end {} ({} edits) not in {:?}", end, errors, windows);
            }
        }
    }
}
