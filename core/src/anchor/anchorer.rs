//! The anchoring steps for one candidate on a prepared text.

use super::candidate::{
    max_errors, Anchoring, Candidate, CONTEXT_ACCEPT, MAX_CONTEXT_COMPARED, MAX_SCORED, NEAR_WINDOW_CP, UNIQUE_QUOTE_MIN_CP,
};
use super::fuzzy::{find_ends, local_minima, Peq, NONE};
use super::placement::{better, nearest_ends, Scored};
use super::prepared::Anchorer;
use super::search::Query;
use super::seeds::{self, PieceTable};

impl Anchorer<'_> {
    /// Anchors one candidate (see the module documentation for the steps).
    pub fn anchor(&mut self, c: &Candidate) -> Anchoring {
        self.anchor_with(c, true)
    }

    /// [`Anchorer::anchor`] without the substring index: every search that
    /// leaves the old position's neighbourhood is a pass over the whole text
    /// (the reference the indexed searches are tested against).
    #[doc(hidden)]
    pub fn anchor_reference(&mut self, c: &Candidate) -> Anchoring {
        self.anchor_with(c, false)
    }

    fn anchor_with(&mut self, c: &Candidate, fast: bool) -> Anchoring {
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
        let pattern = self.to_ids(&quote);

        // 2. Exact quote search: near the old position first, then everywhere.
        let mut everywhere = None;
        if let Some(h) = hint {
            let lo = h.saturating_sub(NEAR_WINDOW_CP);
            let hi = h.saturating_add(m).saturating_add(NEAR_WINDOW_CP).min(len);
            let near = self.exact_search(&c.quote, &pattern, lo, hi, fast && self.grams.is_some(), &mut everywhere);
            let best = near.iter().map(|&s| self.score(&prefix, &suffix, s, s + m, 0, m, hint)).max_by(better);
            if let Some(b) = best {
                if b.perfect_context {
                    return Anchoring::Moved { start: b.start, end: b.end };
                }
            }
        }
        let indexed = fast && self.whole_text_pass();
        let occurrences = self.exact_search(&c.quote, &pattern, 0, len, indexed, &mut everywhere);
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
        // Every quote code point that never occurs in the text costs an edit.
        let absent = pattern.iter().filter(|&&c| c == NONE).count();
        if absent > k {
            return Anchoring::Orphaned {
                reason: format!("the quote is no longer in the text ({absent} of its characters occur nowhere in it)"),
            };
        }
        let rev_pattern: Vec<u32> = pattern.iter().rev().copied().collect();
        let alpha = self.alphabet();
        let (peq, rev_peq) = (Peq::new(&pattern, alpha), Peq::new(&rev_pattern, alpha));
        let mut table = self.grams.clone().filter(|_| fast).map(|g| PieceTable::new(g, &pattern));
        let query = Query { pattern: &pattern, peq: &peq, rev_peq: &rev_peq, k, prefix: &prefix, suffix: &suffix, hint };
        // 3a. Near the old position first: a match there whose prefix and
        // suffix both still match exactly is taken without searching the
        // whole text (a heuristic, unlike the exact pass above: a far match with fewer edits
        // could score higher, but it would need the same context too).
        if let Some(h) = hint {
            if !prefix.is_empty() || !suffix.is_empty() {
                let lo = h.saturating_sub(NEAR_WINDOW_CP);
                let hi = h.saturating_add(m).saturating_add(NEAR_WINDOW_CP).min(len);
                let near = match &table {
                    Some(t) if self.could_be_perfect(&prefix, &suffix, lo, hi) => self.best_fuzzy_fast(&query, t, lo, hi),
                    Some(_) => None,
                    None => self.best_fuzzy(&pattern, &rev_peq, lo, hi, k, &prefix, &suffix, hint),
                };
                if let Some(b) = near {
                    if b.perfect_context && b.errors > 0 {
                        return Anchoring::Fuzzy { start: b.start, end: b.end, errors: b.errors };
                    }
                }
            }
        }
        // 3b. The whole text.
        self.work.fuzzy_searches += 1;
        if table.is_none() && fast && self.whole_text_pass() {
            table = self.grams.clone().map(|g| PieceTable::new(g, &pattern));
        }
        let best = match &table {
            Some(t) => self.best_fuzzy_fast(&query, t, 0, len),
            None => self.best_fuzzy(&pattern, &rev_peq, 0, len, k, &prefix, &suffix, hint),
        };
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
    /// lying inside code points `[lo, hi)`, widened to grapheme boundaries:
    /// one Myers pass over the whole range (the reference for
    /// [`Anchorer::best_fuzzy_fast`]).
    #[allow(clippy::too_many_arguments)]
    fn best_fuzzy(
        &mut self,
        pattern: &[u32],
        rev_peq: &Peq,
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
            let Some(sc) = self.place(rev_peq, lo, end, errors, prefix, suffix, hint) else { continue };
            if best.is_none_or(|b| better(&sc, &b).is_gt()) {
                best = Some(sc);
            }
        }
        best
    }

    /// Starts of every occurrence of `quote` (alphabet ids `pattern`) lying
    /// inside code points `[lo, hi)`, ascending: through the index when
    /// `indexed`, else by a scan. `everywhere` keeps the quote's occurrences
    /// in the whole text once the index has found them.
    fn exact_search(
        &mut self,
        quote: &str,
        pattern: &[u32],
        lo: usize,
        hi: usize,
        indexed: bool,
        everywhere: &mut Option<Vec<usize>>,
    ) -> Vec<usize> {
        match self.grams.clone().filter(|_| indexed) {
            Some(g) => {
                let all = everywhere.get_or_insert_with(|| seeds::occurrences(&g, &self.ids, pattern, &mut self.work.indexed_positions));
                all.iter().copied().filter(|&s| s >= lo && s + pattern.len() <= hi).collect()
            }
            None => self.occurrences(quote, lo, hi),
        }
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
        crate::text::sorting::sort_by_key(&mut v, |&s| s.abs_diff(h));
        v.truncate(max);
    }
    v
}
