//! The approximate search of one quote through the substring index, with
//! exactly the result of one Myers pass over the whole range.
//!
//! The reference ([`Anchorer`]'s `best_fuzzy`) computes every match end with
//! at most `k` edits, keeps in each run of adjacent ends the ones with that
//! run's fewest edits (the *minima*), keeps the [`MAX_SCORED`] minima with
//! the fewest edits nearest the old position when there are more, scores
//! each and returns the best (the first in its order among equals).
//!
//! Here the range of ends is cut into **zones** by distance from the old
//! position (narrow ones near it, one beyond the near window on each side).
//! Each zone records `done`: every end in it with fewer than `done` edits is
//! known. A zone is explored at level `e` either by a Myers pass over it or
//! through the pigeonhole seeds of [`super::seeds`] (Myers only in the small
//! windows the seeds allow), whichever costs less; every run met is followed
//! to both of its ends, so every minimum found is one the reference finds.
//!
//! A placement with `e` edits in a zone whose starts are at least `d` from
//! the old position scores at most [`score_value`]`(e, m, None, None,
//! nearness(d))`. Once the best minimum found scores more than that bound
//! for every zone's `done` edits, nothing unknown can win; and once every
//! zone knows all ends with as many edits as the best (and its equals),
//! at most [`MAX_SCORED`] of them, the reference keeps them all, so it
//! returns the same one when its order among equals cannot matter. When
//! a question stays open, zones are explored further, up to `k` edits,
//! where everything is known and the reference's choice is made as it does.

use super::candidate::{MAX_SCORED, NEAR_WINDOW_CP};
use super::fuzzy::{find_ends_into, local_minima_into, Peq};
use super::placement::{better, nearest_ends, nearness, score_value, Scored};
use super::prepared::Anchorer;
use super::seeds::{self, Piece, PieceTable};
use std::collections::HashMap;

/// One approximate search: the quote prepared, its error bound and what it is scored with.
pub(super) struct Query<'q> {
    pub(super) pattern: &'q [u32],
    pub(super) peq: &'q Peq,
    pub(super) rev_peq: &'q Peq,
    pub(super) k: usize,
    pub(super) prefix: &'q [char],
    pub(super) suffix: &'q [char],
    pub(super) hint: Option<usize>,
}

/// Match ends `a..=b` (code points, exclusive ends).
struct Zone {
    a: usize,
    b: usize,
    /// Highest nearness of a placement ending here.
    near: f64,
    /// Every end here with fewer edits than this is known.
    done: usize,
    /// Level to explore next (edits + 1).
    want: usize,
}

/// The levels zones are explored at (fewer distinct levels, fewer piece choices).
const LEVELS: [usize; 11] = [0, 1, 2, 3, 4, 6, 8, 11, 16, 22, 32];

/// The first level of [`LEVELS`] at least `e`, at most `k` (`e ≤ k`).
fn round_up(e: usize, k: usize) -> usize {
    LEVELS.iter().copied().find(|&l| l >= e).unwrap_or(e).min(k)
}

/// Band edges around the old position, in units of `band_unit`.
const BANDS: [usize; 7] = [1, 2, 4, 8, 16, 32, 48];

impl Anchorer<'_> {
    /// The best-scoring approximate match inside `[lo, hi)`: the same as
    /// `best_fuzzy` (see the module documentation).
    pub(super) fn best_fuzzy_fast(&mut self, q: &Query, table: &PieceTable, lo: usize, hi: usize) -> Option<Scored> {
        let hi = hi.min(self.ids.len());
        if lo >= hi {
            return None;
        }
        let m = q.pattern.len();
        let k = q.k.min(m);
        let mut zones = self.zones(q, lo, hi);
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut placed: HashMap<usize, Option<Scored>> = HashMap::new();
        let hint_end = q.hint.map(|h| h.saturating_add(m));
        loop {
            self.explore(q, table, lo, hi, &mut zones, &mut found);
            crate::text::sorting::sort(&mut found);
            found.dedup_by_key(|e| e.0);
            if zones.iter().all(|z| z.done > k) {
                // Everything is known: choose as the reference does.
                let kept = nearest_ends(found.clone(), hint_end, MAX_SCORED);
                return self.first_best(q, lo, &kept, &zones, &mut placed);
            }
            // The best known (the first in text order among equals).
            let Some(best) = self.first_best(q, lo, &found, &zones, &mut placed) else {
                for z in zones.iter_mut().filter(|z| z.done <= k) {
                    z.want = round_up(2 * z.done, k) + 1;
                }
                continue;
            };
            // (Every placement that can equal the best has been scored.)
            let equals: Vec<(usize, Scored)> = found
                .iter()
                .filter_map(|&(end, _)| placed.get(&end).copied().flatten().filter(|sc| better(sc, &best).is_eq()).map(|sc| (end, sc)))
                .collect();
            let most = equals.iter().map(|e| e.1.errors).max().unwrap_or(0);
            let mut settled = true;
            for z in zones.iter_mut().filter(|z| z.done <= k) {
                let bound = (0..=k).rev().find(|&e| score_value(e, m, None, None, z.near) >= best.score).unwrap_or(0);
                let need = bound.max(most);
                if z.done <= need {
                    z.want = round_up(need, k) + 1;
                    settled = false;
                }
            }
            if !settled {
                continue;
            }
            // All minima with at most `most` edits are known; if they are few
            // enough the reference scores them all, in text order or sorted
            // by edits and distance: the first of the equals must be the same.
            let few = found.iter().filter(|e| e.1 <= most).count() <= MAX_SCORED;
            let h = hint_end.unwrap_or(0);
            let sorted_first = equals.iter().min_by_key(|(end, sc)| (sc.errors, end.abs_diff(h), *end)).map(|e| e.0);
            if few && sorted_first == equals.first().map(|e| e.0) {
                return Some(best);
            }
            for z in &mut zones {
                z.want = k + 1;
            }
        }
    }

    /// The first of `ends` (in their order) whose placement no other's
    /// beats, as the reference's loop finds it. A placement is scored only
    /// when its bound (edits and zone) could reach the best score found so
    /// far; scores are kept in `placed`.
    fn first_best(
        &mut self,
        q: &Query,
        lo: usize,
        ends: &[(usize, usize)],
        zones: &[Zone],
        placed: &mut HashMap<usize, Option<Scored>>,
    ) -> Option<Scored> {
        let m = q.pattern.len();
        let bound = |(end, errors): (usize, usize)| score_value(errors, m, None, None, zones[zones.partition_point(|z| z.b < end)].near);
        let mut order: Vec<(f64, usize)> = ends.iter().enumerate().map(|(i, &e)| (bound(e), i)).collect();
        crate::text::sorting::sort_by(&mut order, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut top: Option<Scored> = None;
        for (ub, i) in order {
            if top.is_some_and(|t| ub < t.score) {
                break;
            }
            let (end, errors) = ends[i];
            let sc = *placed.entry(end).or_insert_with(|| self.place(q.rev_peq, lo, end, errors, q.prefix, q.suffix, q.hint));
            if let Some(sc) = sc {
                if top.is_none_or(|t| better(&sc, &t).is_gt()) {
                    top = Some(sc);
                }
            }
        }
        let top = top?;
        ends.iter().filter(|&&e| bound(e) >= top.score).find_map(|e| placed[&e.0].filter(|sc| better(sc, &top).is_eq()))
    }

    /// Whether a placement inside `[lo, hi)` can have both known context
    /// sides intact: only where the prefix ends at its start and the suffix
    /// begins at its end. `false` means the best placement there is not
    /// "in its original context", whatever it is.
    pub(super) fn could_be_perfect(&mut self, prefix: &[char], suffix: &[char], lo: usize, hi: usize) -> bool {
        let Some(g) = self.grams.clone() else { return true };
        let hi = hi.min(self.ids.len());
        if lo >= hi {
            return true;
        }
        if !prefix.is_empty() {
            let p = self.to_ids(prefix);
            // A start lies in [floor(lo), hi].
            let from = self.index.grapheme_floor(lo);
            let occ = seeds::occurrences(&g, &self.ids, &p, &mut self.work.indexed_positions);
            if !occ.iter().any(|&o| (from..=hi).contains(&(o + p.len()))) {
                return false;
            }
        }
        if !suffix.is_empty() {
            let s = self.to_ids(suffix);
            // An end lies in [lo + 1, ceil(hi)].
            let to = self.index.grapheme_ceil(hi);
            let occ = seeds::occurrences(&g, &self.ids, &s, &mut self.work.indexed_positions);
            if !occ.iter().any(|&o| (lo + 1..=to).contains(&o)) {
                return false;
            }
        }
        true
    }

    /// The zones of ends `lo + 1..=hi`, cut at the band edges around the old end.
    fn zones(&self, q: &Query, lo: usize, hi: usize) -> Vec<Zone> {
        let m = q.pattern.len();
        let k = q.k.min(m);
        let mut cuts = vec![lo + 1, hi + 1];
        if let Some(h) = q.hint {
            let c = h.saturating_add(m);
            let far = NEAR_WINDOW_CP + m + k + 64;
            for d in BANDS.iter().map(|b| b * self.band_unit).chain([far]) {
                cuts.extend([c.saturating_sub(d), c.saturating_add(d)].into_iter().filter(|&x| x > lo + 1 && x <= hi));
            }
        }
        crate::text::sorting::sort(&mut cuts);
        cuts.dedup();
        cuts.windows(2)
            .map(|w| {
                let (a, b) = (w[0], w[1] - 1);
                // A placement ending in a..=b starts in [floor(max(lo, a − m − k)), b].
                let near = q.hint.map_or(1.0, |h| {
                    let s0 = self.index.grapheme_floor(lo.max(a.saturating_sub(m + k)));
                    nearness(if h < s0 { s0 - h } else { h.saturating_sub(b) })
                });
                Zone { a, b, near, done: 0, want: k.min(2) + 1 }
            })
            .collect()
    }

    /// Explores every zone that wants more, level by level.
    fn explore(&mut self, q: &Query, table: &PieceTable, lo: usize, hi: usize, zones: &mut [Zone], found: &mut Vec<(usize, usize)>) {
        let m = q.pattern.len();
        let k = q.k.min(m);
        let mut levels: Vec<usize> = zones.iter().filter(|z| z.want > z.done).map(|z| z.want - 1).collect();
        crate::text::sorting::sort(&mut levels);
        levels.dedup();
        for e in levels {
            let todo: Vec<usize> = (0..zones.len()).filter(|&i| zones[i].want > zones[i].done && zones[i].want - 1 == e).collect();
            let size: usize = todo.iter().map(|&i| zones[i].b - zones[i].a + 1).sum();
            let wanted: Vec<(usize, usize)> = todo.iter().map(|&i| (zones[i].a, zones[i].b)).collect();
            // Seeds pay when their positions are fewer than half the zones' length.
            let chosen = table.choose(e + 1, if self.forced { usize::MAX } else { size / 2 });
            let seeds = chosen.map(|p| self.seed_windows(q, &p.0, e, &wanted));
            for i in todo {
                let (a, b) = (zones[i].a, zones[i].b);
                let windows: Vec<(usize, usize)> = match &seeds {
                    Some(iv) => {
                        let from = iv.partition_point(|w| w.1 < a);
                        iv[from..].iter().take_while(|w| w.0 <= b).map(|w| (w.0.max(a), w.1.min(b))).collect()
                    }
                    None => Vec::new(),
                };
                let cost: usize = windows.iter().map(|w| w.1 - w.0 + 1 + m + k).sum();
                if seeds.is_none() || (!self.forced && cost > b - a + 1 + m + k) {
                    self.scan_runs(q, lo, hi, a, b, found);
                    zones[i].done = k + 1;
                } else {
                    for (wa, wb) in windows {
                        self.scan_runs(q, lo, hi, wa, wb, found);
                    }
                    zones[i].done = zones[i].done.max(e + 1);
                }
            }
        }
    }

    /// The windows of ends (sorted, disjoint, each meeting one of the
    /// `wanted` ranges of ends, sorted) that hold every end there of a match
    /// with at most `e` edits, from the occurrences of `pieces`; windows
    /// closer than a Myers warm-up are joined.
    pub(super) fn seed_windows(&mut self, q: &Query, pieces: &[Piece], e: usize, wanted: &[(usize, usize)]) -> Vec<(usize, usize)> {
        let Some(g) = self.grams.clone() else { return Vec::new() };
        let m = q.pattern.len();
        let mut iv: Vec<(usize, usize)> = Vec::new();
        let mut near: Vec<u32> = Vec::new();
        for piece in pieces {
            let mut pos = g.positions(piece.range.clone());
            let (part, lead) = (&q.pattern[piece.part.clone()], piece.at - piece.part.start);
            // A piece end = t − lead + shift, with t its window's position.
            let shift = m - piece.part.start;
            if piece.sorted {
                // Positions ascending: only those whose ends can meet a wanted range.
                near.clear();
                for &(za, zb) in wanted {
                    let from = (za.saturating_sub(e) + lead).saturating_sub(shift);
                    let to = (zb + e + lead).saturating_sub(shift);
                    let i = pos.partition_point(|&t| (t as usize) < from);
                    near.extend(pos[i..].iter().take_while(|&&t| t as usize <= to));
                }
                pos = &near;
            }
            self.work.indexed_positions += pos.len() as u64;
            for &t in pos {
                // Where the whole part would start; it must be there verbatim.
                let Some(s) = (t as usize).checked_sub(lead) else { continue };
                let end = s + shift;
                let (wa, wb) = (end.saturating_sub(e), end + e);
                let z = wanted.partition_point(|z| z.1 < wa);
                if z == wanted.len() || wanted[z].0 > wb || self.ids.get(s..s + part.len()) != Some(part) {
                    continue;
                }
                iv.push((wa.max(wanted[0].0), wb.min(wanted[wanted.len() - 1].1)));
            }
        }
        crate::text::sorting::sort(&mut iv);
        let gap = m + q.k + 1;
        let mut out: Vec<(usize, usize)> = Vec::with_capacity(iv.len());
        for w in iv {
            match out.last_mut() {
                Some(last) if w.0 <= last.1 + gap => last.1 = last.1.max(w.1),
                _ => out.push(w),
            }
        }
        out
    }

    /// Adds the minima of every run of ends (at most `k` edits) that meets
    /// `a..=b`, following each run past the window until it ends.
    fn scan_runs(&mut self, q: &Query, lo: usize, hi: usize, a: usize, b: usize, found: &mut Vec<(usize, usize)>) {
        let m = q.pattern.len();
        let k = q.k.min(m);
        let (mut a, mut b) = (a.max(lo + 1), b.min(hi));
        if a > b {
            return;
        }
        loop {
            // Ends from `a` on have their exact edit count once the pass starts
            // m + k before them (a match with at most k edits is at most m + k long).
            let w0 = lo.max(a.saturating_sub(m + k));
            // Ends relative to w0, kept from `a` on (one buffer for every pass).
            let mut ends = std::mem::take(&mut self.scratch);
            ends.clear();
            find_ends_into(&self.ids[w0..b], q.peq, k, false, &mut self.work.myers_steps, &mut ends);
            let first = ends.partition_point(|e| e.0 + w0 < a);
            let kept = &ends[first..];
            let left_open = a > lo + 1 && kept.first().is_some_and(|e| e.0 + w0 == a);
            let right_open = b < hi && kept.last().is_some_and(|e| e.0 + w0 == b);
            if !left_open && !right_open {
                local_minima_into(kept, w0, found);
            }
            self.scratch = ends;
            if !left_open && !right_open {
                return;
            }
            let grow = (b - a + 1).max(64);
            if left_open {
                a = a.saturating_sub(grow).max(lo + 1);
            }
            if right_open {
                b = (b + grow).min(hi);
            }
        }
    }
}
