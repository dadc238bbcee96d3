//! The anchoring steps for one candidate on a prepared text.

use super::fuzzy::{find_ends, local_minima, similarity, NONE};
use super::{
    max_errors, AnchorWork, Anchoring, Candidate, CONTEXT_ACCEPT, MAX_CONTEXT_COMPARED, MAX_SCORED, NEAR_WINDOW_CP, UNIQUE_QUOTE_MIN_CP,
};
use crate::text_index::TextIndex;
use std::collections::HashMap;

/// The current text prepared for anchoring many candidates: its code points
/// and a dense id per distinct code point (the Myers alphabet), built once.
pub struct Anchorer<'a> {
    index: &'a TextIndex,
    chars: Vec<char>,
    /// `ids[i]` is the alphabet id of `chars[i]`.
    ids: Vec<u32>,
    id_of: HashMap<char, u32>,
    work: AnchorWork,
}

/// One scored placement of a quote.
#[derive(Clone, Copy, Debug)]
struct Scored {
    start: usize,
    end: usize,
    errors: usize,
    score: f64,
    /// Best similarity among the known context sides; `None` if no context is known.
    context: Option<f64>,
    distance: usize,
    /// Every known context side matches exactly.
    perfect_context: bool,
}

impl<'a> Anchorer<'a> {
    /// Prepares `index` (one pass over the text).
    pub fn new(index: &'a TextIndex) -> Self {
        let chars: Vec<char> = index.text().chars().collect();
        let mut id_of: HashMap<char, u32> = HashMap::new();
        let ids = chars
            .iter()
            .map(|c| {
                let next = id_of.len() as u32;
                *id_of.entry(*c).or_insert(next)
            })
            .collect();
        Anchorer { index, chars, ids, id_of, work: AnchorWork::default() }
    }

    /// Work done so far by this anchorer.
    pub fn work(&self) -> AnchorWork {
        self.work
    }

    fn alphabet(&self) -> usize {
        self.id_of.len()
    }

    /// Alphabet ids of `s`; code points absent from the text get `NONE`.
    fn to_ids(&self, s: &[char]) -> Vec<u32> {
        s.iter().map(|c| self.id_of.get(c).copied().unwrap_or(NONE)).collect()
    }

    /// Anchors one candidate (see the module documentation for the steps).
    pub fn anchor(&mut self, c: &Candidate) -> Anchoring {
        let len = self.chars.len();
        let quote: Vec<char> = c.quote.chars().collect();
        let m = quote.len();
        if m == 0 {
            return match (c.start_hint, c.end_hint) {
                (Some(s), Some(e)) if s < e && e <= len => Anchoring::Exact { start: s, end: e },
                _ => Anchoring::Orphaned { reason: "the file gives no quote and its position is not inside this text".into() },
            };
        }
        // 1. Position plus quote check.
        if let Some(s) = c.start_hint {
            let e = s.saturating_add(m);
            let end_ok = c.end_hint.is_none_or(|h| h == e);
            if end_ok && e <= len {
                self.work.compared_cp += m as u64;
                if self.chars[s..e] == quote[..] {
                    return Anchoring::Exact { start: s, end: e };
                }
            }
        }
        let prefix = tail(&c.prefix, MAX_CONTEXT_COMPARED);
        let suffix = head(&c.suffix, MAX_CONTEXT_COMPARED);
        let hint = c.start_hint;

        // 2. Exact quote search: near the old position first, then everywhere.
        if let Some(h) = hint {
            let lo = h.saturating_sub(NEAR_WINDOW_CP);
            let hi = h.saturating_add(m).saturating_add(NEAR_WINDOW_CP).min(len);
            let near = self.occurrences(&c.quote, lo, hi);
            let best = near.iter().map(|&s| self.score(&prefix, &suffix, s, s + m, 0, m, hint)).max_by(better);
            if let Some(b) = best {
                if b.perfect_context {
                    return Anchoring::Moved { start: b.start, end: b.end };
                }
            }
        }
        let occurrences = self.occurrences(&c.quote, 0, len);
        let n_occ = occurrences.len();
        if n_occ > 0 {
            let kept = nearest(occurrences, hint, MAX_SCORED);
            let best = kept.iter().map(|&s| self.score(&prefix, &suffix, s, s + m, 0, m, hint)).max_by(better);
            if let Some(b) = best {
                let accepted = match b.context {
                    None => true,
                    Some(ctx) => ctx >= CONTEXT_ACCEPT || (n_occ == 1 && m >= UNIQUE_QUOTE_MIN_CP),
                };
                if accepted {
                    return Anchoring::Moved { start: b.start, end: b.end };
                }
            }
        }

        // 3. Approximate search.
        let k = max_errors(m);
        if k == 0 {
            return Anchoring::Orphaned {
                reason: if n_occ == 0 {
                    "the quote is no longer in the text (too short to match approximately)".into()
                } else {
                    format!("the quote occurs {} but never in its original context", times(n_occ))
                },
            };
        }
        let pattern = self.to_ids(&quote);
        // Every quote code point that never occurs in the text costs an edit.
        let absent = pattern.iter().filter(|&&c| c == NONE).count();
        if absent > k {
            return Anchoring::Orphaned {
                reason: format!("the quote is no longer in the text ({absent} of its characters occur nowhere in it)"),
            };
        }
        let rev_pattern: Vec<u32> = pattern.iter().rev().copied().collect();
        // 3a. Near the old position first: a match there whose prefix and
        // suffix both still match exactly is taken without searching the
        // whole text (a heuristic, unlike the exact pass above: a far match with fewer edits
        // could score higher, but it would need the same context too).
        if let Some(h) = hint {
            if !prefix.is_empty() || !suffix.is_empty() {
                let lo = h.saturating_sub(NEAR_WINDOW_CP);
                let hi = h.saturating_add(m).saturating_add(NEAR_WINDOW_CP).min(len);
                if let Some(b) = self.best_fuzzy(&pattern, &rev_pattern, lo, hi, k, &prefix, &suffix, hint) {
                    if b.perfect_context && b.errors > 0 {
                        return Anchoring::Fuzzy { start: b.start, end: b.end, errors: b.errors };
                    }
                }
            }
        }
        // 3b. The whole text.
        self.work.fuzzy_searches += 1;
        let best = self.best_fuzzy(&pattern, &rev_pattern, 0, len, k, &prefix, &suffix, hint);
        match best {
            Some(b) if b.context.is_none_or(|ctx| ctx >= CONTEXT_ACCEPT) => {
                if b.errors == 0 && b.end - b.start == m {
                    Anchoring::Moved { start: b.start, end: b.end }
                } else {
                    Anchoring::Fuzzy { start: b.start, end: b.end, errors: b.errors }
                }
            }
            Some(b) => Anchoring::Orphaned {
                reason: format!(
                    "the closest match (“{}”, {} {}) is not in the quote's original context",
                    crate::model::shorten(&self.chars[b.start..b.end].iter().collect::<String>(), 40),
                    b.errors,
                    if b.errors == 1 { "edit" } else { "edits" }
                ),
            },
            None => Anchoring::Orphaned { reason: format!("the quote is no longer in the text (no match within {k} edits)") },
        }
    }

    /// The best-scoring approximate match (at most `k` edits) of `pattern`
    /// lying inside code points `[lo, hi)`, widened to grapheme boundaries.
    #[allow(clippy::too_many_arguments)]
    fn best_fuzzy(
        &mut self,
        pattern: &[u32],
        rev_pattern: &[u32],
        lo: usize,
        hi: usize,
        k: usize,
        prefix: &[char],
        suffix: &[char],
        hint: Option<usize>,
    ) -> Option<Scored> {
        let m = pattern.len();
        let alpha = self.alphabet();
        let hi = hi.min(self.ids.len());
        if lo >= hi {
            return None;
        }
        let ends = find_ends(&self.ids[lo..hi], pattern, alpha, k, false, &mut self.work.myers_steps);
        let ends: Vec<(usize, usize)> = local_minima(&ends).into_iter().map(|(e, err)| (e + lo, err)).collect();
        let ends = nearest_ends(ends, hint.map(|h| h.saturating_add(m)), MAX_SCORED);
        let mut best: Option<Scored> = None;
        for (end, errors) in ends {
            let start = self.match_start(rev_pattern, end, errors).max(lo);
            // Never cut a grapheme cluster: widen to cluster boundaries.
            let (s, e) = (self.index.grapheme_floor(start), self.index.grapheme_ceil(end));
            if s >= e {
                continue;
            }
            let sc = self.score(prefix, suffix, s, e, errors, m, hint);
            if best.is_none_or(|b| better(&sc, &b).is_gt()) {
                best = Some(sc);
            }
        }
        best
    }

    /// Start positions (code points) of every occurrence of `quote` lying
    /// inside code points `[lo, hi)`, overlapping ones included.
    fn occurrences(&mut self, quote: &str, lo: usize, hi: usize) -> Vec<usize> {
        let index = self.index;
        let (Some(b_lo), Some(b_hi)) = (index.cp_to_utf8(lo), index.cp_to_utf8(hi)) else { return Vec::new() };
        let text = &index.text()[..b_hi];
        let step = quote.chars().next().map_or(1, char::len_utf8);
        let mut out = Vec::new();
        let mut from = b_lo;
        while from <= text.len() {
            let Some(i) = text[from..].find(quote) else { break };
            let at = from + i;
            if let Some(cp) = index.utf8_to_cp(at) {
                out.push(cp);
            }
            from = at + step;
        }
        self.work.searched_bytes += (b_hi - b_lo) as u64;
        out
    }

    /// Start of the approximate match ending at `end` with `errors` edits:
    /// the reversed pattern is matched against the reversed text before `end`.
    /// Among several starts, the one giving a length closest to the pattern's wins.
    fn match_start(&mut self, rev_pattern: &[u32], end: usize, errors: usize) -> usize {
        let m = rev_pattern.len();
        let from = end.saturating_sub(m + errors);
        let window: Vec<u32> = self.ids[from..end].iter().rev().copied().collect();
        let alpha = self.alphabet();
        let hits = find_ends(&window, rev_pattern, alpha, errors, true, &mut self.work.myers_steps);
        hits.iter()
            .filter(|h| h.1 <= errors)
            .map(|h| end - h.0)
            .min_by_key(|&s| ((end - s).abs_diff(m), std::cmp::Reverse(end - s)))
            .unwrap_or(end.saturating_sub(m))
    }

    /// Hypothesis-style score of placing the quote at `[start, end)`:
    /// weights 50 quote, 20 prefix, 20 suffix, 2 position, normalised to 0..1.
    #[allow(clippy::too_many_arguments)]
    fn score(
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
        let quote_score = 1.0 - errors as f64 / m.max(1) as f64;
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
        let pos = if hint.is_some() && len > 0 { 1.0 - distance.min(NEAR_WINDOW_CP) as f64 / NEAR_WINDOW_CP as f64 } else { 1.0 };
        let raw = 50.0 * quote_score + 20.0 * p.unwrap_or(1.0) + 20.0 * s.unwrap_or(1.0) + 6.0 * pos;
        let context = match (p, s) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0.0).max(b.unwrap_or(0.0))),
        };
        let perfect_context = p.unwrap_or(1.0) >= 1.0 && s.unwrap_or(1.0) >= 1.0;
        Scored { start, end, errors, score: raw / 96.0, context, distance, perfect_context }
    }
}

/// Orders scored placements: higher score, then nearer the old position, then earlier.
fn better(a: &Scored, b: &Scored) -> std::cmp::Ordering {
    a.score.partial_cmp(&b.score).unwrap_or(std::cmp::Ordering::Equal).then(b.distance.cmp(&a.distance)).then(b.start.cmp(&a.start))
}

fn times(n: usize) -> String {
    if n == 1 {
        "once".into()
    } else {
        format!("{n} times")
    }
}

/// The last `n` code points of `s`.
fn tail(s: &str, n: usize) -> Vec<char> {
    let v: Vec<char> = s.chars().collect();
    v[v.len().saturating_sub(n)..].to_vec()
}

/// The first `n` code points of `s`.
fn head(s: &str, n: usize) -> Vec<char> {
    s.chars().take(n).collect()
}

/// Keeps the `max` positions nearest `hint` (all if fewer).
fn nearest(mut v: Vec<usize>, hint: Option<usize>, max: usize) -> Vec<usize> {
    if v.len() > max {
        let h = hint.unwrap_or(0);
        v.sort_by_key(|&s| s.abs_diff(h));
        v.truncate(max);
    }
    v
}

/// Keeps the `max` best ends: fewest errors, then nearest `hint`.
fn nearest_ends(mut v: Vec<(usize, usize)>, hint: Option<usize>, max: usize) -> Vec<(usize, usize)> {
    if v.len() > max {
        let h = hint.unwrap_or(0);
        v.sort_by_key(|&(e, err)| (err, e.abs_diff(h)));
        v.truncate(max);
    }
    v
}
