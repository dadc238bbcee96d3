//! Re-anchoring imported annotations onto the current text, as Hypothesis's
//! `match-quote` does.
//!
//! An imported annotation arrives as a [`Candidate`]: its quote, the text
//! around it when it was made (prefix/suffix) and, when known, its old
//! position. [`Anchorer::anchor`] then tries, in order:
//!
//! 1. **Exact**: the old position still holds the quote;
//! 2. **Moved**: the quote occurs verbatim elsewhere; among several
//!    occurrences the one whose surroundings best match the prefix/suffix,
//!    nearest to the old position, wins;
//! 3. **Fuzzy**: an approximate occurrence with at most [`max_errors`]
//!    edits (Levenshtein), found with Myers' bit-parallel algorithm in
//!    O(n · ⌈k/64⌉) expected time per quote (blocks of 64 pattern code points
//!    with Ukkonen's cut-off, so long quotes are fine), scored by quote,
//!    prefix, suffix and position;
//! 4. **Orphaned**: nothing acceptable; the annotation is kept (label,
//!    quote, note) with the reason, for the person to delete or re-attach.
//!
//! Steps 2 and 3 first look within [`NEAR_WINDOW_CP`] of the old position.
//! For step 2 this is exact: an occurrence there whose prefix and suffix both
//! match cannot be beaten by one farther away. For step 3 it is a heuristic:
//! a nearby approximate match whose prefix and suffix both match exactly is
//! taken without scanning the whole text. So an edited text costs about
//! O(window) per annotation that merely shifted; only annotations that do not
//! anchor nearby (and orphans) pay for a pass over the whole text.
//!
//! Everything is measured in **code points**. The text is turned into a
//! vector of code points once per [`Anchorer`] (once per import), never per
//! annotation. Anchored annotations always satisfy `text[start..end] == quote`.

use crate::model::{Annotation, Label, ModelError};
use crate::text_index::TextIndex;
use std::collections::HashMap;
use std::fmt;

/// Code points of context exported before and after a quote (W3C prefix/suffix).
pub const CONTEXT_CP: usize = 32;
/// Upper bound of [`max_errors`].
pub const MAX_ERRORS_CAP: usize = 32;
/// Lowest context similarity (0..1, on the better side) for a match to count
/// as "in its original context".
pub const CONTEXT_ACCEPT: f64 = 0.75;
/// A verbatim quote at least this long (code points, about a sentence) that
/// occurs exactly once is accepted even when both sides of its context changed.
pub const UNIQUE_QUOTE_MIN_CP: usize = 64;
/// Code points searched on each side of the old position before the whole
/// text. An occurrence there whose prefix and suffix both match exactly is
/// provably the best one (anything outside is farther away), so the search
/// of the whole text is skipped: most annotations of an edited text cost
/// O(window), not O(text).
pub const NEAR_WINDOW_CP: usize = 1 << 14;
/// Most occurrences / approximate matches scored per annotation (the nearest
/// to the old position are kept), bounding the work on very repetitive texts.
pub const MAX_SCORED: usize = 1000;
/// Longest prefix/suffix compared, in code points (longer ones are cut to the
/// part next to the quote).
const MAX_CONTEXT_COMPARED: usize = 64;

/// Most edits (insertions, deletions, substitutions) allowed for a fuzzy
/// match of a quote `quote_cp` code points long: a quarter of the quote,
/// at most [`MAX_ERRORS_CAP`]. Quotes under 4 code points must match exactly.
pub fn max_errors(quote_cp: usize) -> usize {
    (quote_cp / 4).min(MAX_ERRORS_CAP)
}

/// An annotation to anchor: what a file says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    pub label: Label,
    pub note: String,
    pub created: String,
    pub modified: String,
    /// The quoted text. Empty when the file gave only a position (then the
    /// position is taken as is when it lies inside the text).
    pub quote: String,
    /// Text just before the quote when it was made ("" if unknown).
    pub prefix: String,
    /// Text just after the quote when it was made ("" if unknown).
    pub suffix: String,
    /// Old start, code points (a hint: may be stale or past the end).
    pub start_hint: Option<usize>,
    /// Old end, code points, exclusive.
    pub end_hint: Option<usize>,
}

impl Candidate {
    /// A candidate from an annotation made on `source` (the text it was made
    /// on, if known: its prefix/suffix are then taken from there when the
    /// quote matches it at the annotation's offsets).
    pub fn from_annotation(a: &Annotation, source: Option<&TextIndex>) -> Candidate {
        let (prefix, suffix) = match source {
            Some(ix) if ix.slice_cp(a.start, a.end) == Some(a.quote.as_str()) => {
                (ix.prefix_cp(a.start, CONTEXT_CP).to_string(), ix.suffix_cp(a.end, CONTEXT_CP).to_string())
            }
            _ => (String::new(), String::new()),
        };
        Candidate {
            id: a.id.clone(),
            label: a.label,
            note: a.note.clone(),
            created: a.created.clone(),
            modified: a.modified.clone(),
            quote: a.quote.clone(),
            prefix,
            suffix,
            start_hint: Some(a.start),
            end_hint: Some(a.end),
        }
    }

    fn into_annotation(self, start: usize, end: usize, quote: String) -> Annotation {
        Annotation { id: self.id, start, end, quote, label: self.label, note: self.note, created: self.created, modified: self.modified }
    }
}

/// Where one candidate ended up. Offsets are code points, half-open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Anchoring {
    /// The old position still holds the quote.
    Exact { start: usize, end: usize },
    /// The quote was found verbatim at another position.
    Moved { start: usize, end: usize },
    /// An approximate occurrence with `errors` edits.
    Fuzzy { start: usize, end: usize, errors: usize },
    /// Not anchored; `reason` is a sentence for people.
    Orphaned { reason: String },
}

impl Anchoring {
    /// The anchored span, `None` for an orphan.
    pub fn span(&self) -> Option<(usize, usize)> {
        match *self {
            Anchoring::Exact { start, end } | Anchoring::Moved { start, end } | Anchoring::Fuzzy { start, end, .. } => Some((start, end)),
            Anchoring::Orphaned { .. } => None,
        }
    }
}

/// The outcome for one candidate, by id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnchorResult {
    pub id: String,
    pub anchoring: Anchoring,
}

/// Work counters, for complexity tests (not timings).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnchorWork {
    /// Code points compared by position checks.
    pub compared_cp: u64,
    /// UTF-8 bytes scanned by exact quote searches.
    pub searched_bytes: u64,
    /// Myers block steps: one per text code point per active 64-row block.
    pub myers_steps: u64,
    /// Cells of the small context-similarity tables (≤ 64 × 64 each).
    pub context_cells: u64,
    /// Approximate (Myers) passes over the whole text.
    pub fuzzy_searches: u64,
}

/// What an import's anchoring did, in counts and per annotation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnchorReport {
    pub exact: usize,
    pub moved: usize,
    pub fuzzy: usize,
    pub orphaned: usize,
    /// One entry per candidate, in input order.
    pub results: Vec<AnchorResult>,
    pub work: AnchorWork,
}

impl AnchorReport {
    /// Number of candidates anchored (exact + moved + fuzzy).
    pub fn anchored(&self) -> usize {
        self.exact + self.moved + self.fuzzy
    }

    /// The outcome for annotation `id`, if it was a candidate.
    pub fn get(&self, id: &str) -> Option<&Anchoring> {
        self.results.iter().find(|r| r.id == id).map(|r| &r.anchoring)
    }
}

impl fmt::Display for AnchorReport {
    /// "N anchored exactly, M moved, K fuzzy, J orphaned".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} anchored exactly, {} moved, {} fuzzy, {} orphaned", self.exact, self.moved, self.fuzzy, self.orphaned)
    }
}

/// An annotation that could not be anchored. Kept whole so a person can see
/// it (label, quote, why), delete it or re-attach it to a new selection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Orphan {
    pub id: String,
    pub label: Label,
    /// The quote from the file (not found in the current text).
    pub quote: String,
    pub note: String,
    pub created: String,
    pub modified: String,
    /// Old position from the file (code points; not valid in the current text).
    pub start_hint: Option<usize>,
    pub end_hint: Option<usize>,
    /// Why it was not anchored, a sentence for people.
    pub reason: String,
}

impl Orphan {
    fn new(c: Candidate, reason: String) -> Orphan {
        Orphan {
            id: c.id,
            label: c.label,
            quote: c.quote,
            note: c.note,
            created: c.created,
            modified: c.modified,
            start_hint: c.start_hint,
            end_hint: c.end_hint,
            reason,
        }
    }

    /// Re-attaches the orphan to `[start, end)` (code points) of `index`,
    /// keeping its id, label, note and `created`; the quote becomes the text
    /// there and `modified` becomes `now`. Errors when the span is empty,
    /// reversed or outside the text.
    pub fn reattach(&self, index: &TextIndex, start: usize, end: usize, now: &str) -> Result<Annotation, ModelError> {
        let len = index.len_cp();
        if start == end && end <= len {
            return Err(ModelError::EmptySelection);
        }
        let quote = match index.slice_cp(start, end) {
            Some(q) if start < end => q.to_string(),
            _ => return Err(ModelError::OutOfRange { start, end, len }),
        };
        Ok(Annotation {
            id: self.id.clone(),
            start,
            end,
            quote,
            label: self.label,
            note: self.note.clone(),
            created: self.created.clone(),
            modified: now.to_string(),
        })
    }
}

/// Anchors every candidate on `index`: returns the anchored annotations (in
/// input order, each with `text[start..end] == quote`), the orphans (in input
/// order) and the report. Nothing is dropped: every candidate is in exactly
/// one of the two lists.
pub fn anchor_all(index: &TextIndex, candidates: Vec<Candidate>) -> (Vec<Annotation>, Vec<Orphan>, AnchorReport) {
    let mut anchorer = Anchorer::new(index);
    let mut anchored = Vec::with_capacity(candidates.len());
    let mut orphans = Vec::new();
    let mut report = AnchorReport::default();
    for c in candidates {
        let a = anchorer.anchor(&c);
        report.results.push(AnchorResult { id: c.id.clone(), anchoring: a.clone() });
        match a {
            Anchoring::Orphaned { reason } => {
                report.orphaned += 1;
                orphans.push(Orphan::new(c, reason));
            }
            other => {
                match other {
                    Anchoring::Exact { .. } => report.exact += 1,
                    Anchoring::Moved { .. } => report.moved += 1,
                    _ => report.fuzzy += 1,
                }
                let (start, end) = other.span().unwrap_or((0, 0));
                let quote = index.slice_cp(start, end).unwrap_or("").to_string();
                anchored.push(c.into_annotation(start, end, quote));
            }
        }
    }
    report.work = anchorer.work();
    (anchored, orphans, report)
}

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

/// From all match ends (sorted by position), keeps in each run of adjacent
/// ends the ones with that run's lowest error count.
fn local_minima(ends: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < ends.len() {
        let mut j = i + 1;
        while j < ends.len() && ends[j].0 == ends[j - 1].0 + 1 {
            j += 1;
        }
        let run = &ends[i..j];
        let min = run.iter().map(|e| e.1).min().unwrap_or(0);
        out.extend(run.iter().filter(|e| e.1 == min));
        i = j;
    }
    out
}

/// Similarity of two short strings: 1 − Levenshtein distance / length of `a`
/// (clamped to 0..1). `cells` counts the table cells computed.
fn similarity(a: &[char], b: &[char], cells: &mut u64) -> f64 {
    if a.is_empty() {
        return 1.0;
    }
    if a == b {
        return 1.0;
    }
    let d = levenshtein(a, b, cells);
    (1.0 - d as f64 / a.len() as f64).max(0.0)
}

/// Levenshtein distance with two rows (for short strings only).
fn levenshtein(a: &[char], b: &[char], cells: &mut u64) -> usize {
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
    *cells += (a.len() * b.len()) as u64;
    prev[b.len()]
}

/// Alphabet id of a pattern code point that never occurs in the text.
const NONE: u32 = u32::MAX;
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
fn find_ends(text: &[u32], pattern: &[u32], alpha: usize, k: usize, anchored: bool, steps: &mut u64) -> Vec<(usize, usize)> {
    // Horizontal delta entering the top row: 0 lets a match start anywhere
    // (D[0][j] = 0); +1 makes it start at text position 0 (D[0][j] = j).
    let h_top = i64::from(anchored);
    let m = pattern.len();
    if m == 0 {
        return Vec::new();
    }
    let k = k.min(m) as i64;
    let nb = m.div_ceil(W);
    let bmax = nb - 1;
    // peq[c * nb + b]: bit r set when pattern[b * 64 + r] == c.
    let mut peq = vec![0u64; alpha * nb];
    for (i, &c) in pattern.iter().enumerate() {
        if (c as usize) < alpha {
            peq[c as usize * nb + i / W] |= 1u64 << (i % W);
        }
    }
    let mut out = Vec::new();
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
        return out;
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
    out
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
