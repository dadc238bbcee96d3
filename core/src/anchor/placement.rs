//! Placing and scoring one approximate match: where it starts, its
//! grapheme-safe span, and its Hypothesis-style score.

use super::candidate::NEAR_WINDOW_CP;
use super::fuzzy::{find_ends_with, similarity, Peq};
use super::prepared::Anchorer;

/// One scored placement of a quote.
#[derive(Clone, Copy, Debug)]
pub(super) struct Scored {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) errors: usize,
    pub(super) score: f64,
    /// Best similarity among the known context sides; `None` if no context is known.
    pub(super) context: Option<f64>,
    pub(super) distance: usize,
    /// Every known context side matches exactly.
    pub(super) perfect_context: bool,
}

impl Anchorer<'_> {
    /// The scored placement of the match ending at `end` with `errors`
    /// edits, found in `[lo, …)`: its start, both ends widened to grapheme
    /// boundaries (never cutting a cluster); `None` when that is empty.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn place(
        &mut self,
        rev_peq: &Peq,
        lo: usize,
        end: usize,
        errors: usize,
        prefix: &[char],
        suffix: &[char],
        hint: Option<usize>,
    ) -> Option<Scored> {
        let start = self.match_start(rev_peq, end, errors).max(lo);
        let (s, e) = (self.index.grapheme_floor(start), self.index.grapheme_ceil(end));
        (s < e).then(|| self.score(prefix, suffix, s, e, errors, rev_peq.pattern_len(), hint))
    }

    /// Start of the approximate match ending at `end` with `errors` edits:
    /// the reversed pattern is matched against the reversed text before `end`.
    /// Among several starts, the one giving a length closest to the pattern's wins.
    pub(super) fn match_start(&mut self, rev_peq: &Peq, end: usize, errors: usize) -> usize {
        let m = rev_peq.pattern_len();
        let from = end.saturating_sub(m + errors);
        let window: Vec<u32> = self.ids[from..end].iter().rev().copied().collect();
        let hits = find_ends_with(&window, rev_peq, errors, true, &mut self.work.myers_steps);
        hits.iter()
            .filter(|h| h.1 <= errors)
            .map(|h| end - h.0)
            .min_by_key(|&s| ((end - s).abs_diff(m), std::cmp::Reverse(end - s)))
            .unwrap_or(end.saturating_sub(m))
    }

    /// Hypothesis-style score of placing the quote at `[start, end)`:
    /// weights 50 quote, 20 prefix, 20 suffix, 2 position, normalised to 0..1.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn score(
        &mut self,
        prefix: &[char],
        suffix: &[char],
        start: usize,
        end: usize,
        errors: usize,
        m: usize,
        hint: Option<usize>,
    ) -> Scored {
        let len = self.chars.len();
        let p = (!prefix.is_empty()).then(|| {
            let window = &self.chars[start.saturating_sub(prefix.len())..start];
            similarity(prefix, window, &mut self.work.context_cells)
        });
        let s = (!suffix.is_empty()).then(|| {
            let window = &self.chars[end..(end + suffix.len()).min(len)];
            similarity(suffix, window, &mut self.work.context_cells)
        });
        let distance = hint.map_or(0, |h| start.abs_diff(h));
        // Nearness counts within the near window (not relative to the whole
        // text, where it would vanish in a long document): a copy of the
        // passage a section away must lose to the one where the quote was.
        let pos = if hint.is_some() && len > 0 { nearness(distance) } else { 1.0 };
        let context = match (p, s) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0.0).max(b.unwrap_or(0.0))),
        };
        let perfect_context = p.unwrap_or(1.0) >= 1.0 && s.unwrap_or(1.0) >= 1.0;
        Scored { start, end, errors, score: score_value(errors, m, p, s, pos), context, distance, perfect_context }
    }
}

/// Nearness (0..1) of a start `distance` code points from the old position.
pub(super) fn nearness(distance: usize) -> f64 {
    1.0 - distance.min(NEAR_WINDOW_CP) as f64 / NEAR_WINDOW_CP as f64
}

/// The score (0..1) of a placement with `errors` edits of a quote `m` code
/// points long, prefix and suffix similarities `p` and `s` (`None`: not
/// known, counts as 1) and nearness `pos`. Every operation rounds
/// monotonically, so it never decreases when `p`, `s` or `pos` grow or
/// `errors` shrinks: with `None, None` it bounds every placement whose
/// nearness is at most `pos`.
pub(super) fn score_value(errors: usize, m: usize, p: Option<f64>, s: Option<f64>, pos: f64) -> f64 {
    let quote_score = 1.0 - errors as f64 / m.max(1) as f64;
    let raw = 50.0 * quote_score + 20.0 * p.unwrap_or(1.0) + 20.0 * s.unwrap_or(1.0) + 6.0 * pos;
    raw / 96.0
}

/// Orders scored placements: higher score, then nearer the old position, then earlier.
pub(super) fn better(a: &Scored, b: &Scored) -> std::cmp::Ordering {
    a.score.partial_cmp(&b.score).unwrap_or(std::cmp::Ordering::Equal).then(b.distance.cmp(&a.distance)).then(b.start.cmp(&a.start))
}

/// Keeps the `max` best ends: fewest errors, then nearest `hint`.
pub(super) fn nearest_ends(mut v: Vec<(usize, usize)>, hint: Option<usize>, max: usize) -> Vec<(usize, usize)> {
    if v.len() > max {
        let h = hint.unwrap_or(0);
        crate::text::sorting::sort_by_key(&mut v, |&(e, err)| (err, e.abs_diff(h)));
        v.truncate(max);
    }
    v
}
