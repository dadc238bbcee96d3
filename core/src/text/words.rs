//! Word snapping and caret movement, in **code points**.
//!
//! Words are the segments of the Unicode word-boundary algorithm (UAX #29, via
//! `unicode-segmentation`) that contain a letter or a digit: it works for
//! Latin, Urdu/Arabic (ZWNJ and diacritics stay inside a word) and CJK (each
//! ideograph is a word of its own, as UAX #29 has no dictionary), keeps
//! `1,524` and `don't` whole, and never splits a ZWJ emoji sequence or a
//! letter from its combining marks. Segments of whitespace, punctuation and
//! symbols are not words.
//!
//! Every function looks only at a window of [`WINDOW_CP`] code points on each
//! side of the position it works on (starting on a grapheme boundary, so flags
//! pair correctly), so each call costs O(log n + window) even on a 5 MB text.
//! Boundaries are exact unless a single word (or a run of combining marks) is
//! longer than the window, in which case snapping stops at the window's edge,
//! which is still a grapheme boundary.
//!
//! Every position returned is on a grapheme cluster boundary and within
//! `0..=len_cp`; positions past the end are clamped to it.

use crate::text::text_index::TextIndex;
use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

/// Code points of context taken on each side of a position.
pub const WINDOW_CP: usize = 256;

/// A word-boundary segment, `[start, end)` in code points.
#[derive(Clone, Copy, Debug)]
struct Seg {
    start: usize,
    end: usize,
    word: bool,
}

/// Whether a UAX #29 segment is a word (holds a letter or a digit).
fn is_word(seg: &str) -> bool {
    seg.chars().any(char::is_alphanumeric)
}

/// The word-boundary segments of the window `[from - WINDOW_CP, to + WINDOW_CP)`
/// (widened to grapheme boundaries, clamped to the text). Segment boundaries
/// inside `[from, to]` are those of the whole text.
fn segments_around(index: &TextIndex, from: usize, to: usize) -> Vec<Seg> {
    let len = index.len_cp();
    let w0 = index.grapheme_floor(from.saturating_sub(WINDOW_CP).min(len));
    let w1 = index.grapheme_ceil(to.saturating_add(WINDOW_CP).min(len));
    let (Some(b0), Some(b1)) = (index.cp_to_utf8(w0), index.cp_to_utf8(w1)) else { return Vec::new() };
    let Some(window) = index.text().get(b0..b1.max(b0)) else { return Vec::new() };
    let mut out = Vec::new();
    let mut cp = w0;
    for (_, seg) in window.split_word_bound_indices() {
        let n = seg.chars().count();
        out.push(Seg { start: cp, end: cp + n, word: is_word(seg) });
        cp += n;
    }
    out
}

/// Extends the selection `[start_cp, end_cp)` (either order; clamped to the
/// text) outward to whole words, returning it ordered.
///
/// First each end is widened to a grapheme boundary (so a cluster is never
/// cut, whether or not it is in a word). Then an end inside a word moves to
/// that word's edge; an end in whitespace, punctuation or a symbol stays where
/// it is, so snapping never reaches into the space or the comma beside a word.
/// A caret inside a word (`start == end`) selects that word; a caret between
/// segments stays empty. The result contains the input and is idempotent.
/// Leading/trailing whitespace is left for [`crate::model::normalize_selection`].
pub fn snap_to_words(index: &TextIndex, start_cp: usize, end_cp: usize) -> (usize, usize) {
    let len = index.len_cp();
    let (a, b) = if start_cp <= end_cp { (start_cp, end_cp) } else { (end_cp, start_cp) };
    let mut start = index.grapheme_floor(a.min(len));
    let mut end = index.grapheme_ceil(b.min(len));
    if start < len {
        let segs = segments_around(index, start, start);
        if let Some(s) = segs.iter().find(|s| s.start <= start && start < s.end) {
            if s.word {
                start = s.start;
            }
        }
    }
    if end > 0 {
        let last = end - 1;
        let segs = segments_around(index, last, end);
        if let Some(s) = segs.iter().find(|s| s.start <= last && last < s.end) {
            if s.word {
                end = s.end;
            }
        }
    }
    (index.grapheme_floor(start), index.grapheme_ceil(end))
}

/// The grapheme boundary after `cp` (one user-perceived character to the
/// right in logical order; `\r\n` is one step). From inside a cluster, the
/// cluster's end. `len_cp` at or past the end.
pub fn next_grapheme(index: &TextIndex, cp: usize) -> usize {
    let len = index.len_cp();
    if cp >= len {
        return len;
    }
    let text = index.text();
    let Some(b) = index.cp_to_utf8(cp) else { return len };
    let mut cursor = GraphemeCursor::new(b, text.len(), true);
    match cursor.next_boundary(text, 0) {
        Ok(Some(p)) => index.utf8_to_cp(p).unwrap_or(len),
        _ => len,
    }
}

/// The grapheme boundary before `cp` (one user-perceived character to the
/// left in logical order). From inside a cluster, the cluster's start. 0 at 0.
pub fn prev_grapheme(index: &TextIndex, cp: usize) -> usize {
    let cp = cp.min(index.len_cp());
    if cp == 0 {
        return 0;
    }
    let text = index.text();
    let Some(b) = index.cp_to_utf8(cp) else { return 0 };
    let mut cursor = GraphemeCursor::new(b, text.len(), true);
    match cursor.prev_boundary(text, 0) {
        Ok(Some(p)) => index.utf8_to_cp(p).unwrap_or(0),
        _ => 0,
    }
}

/// The start of the first word that starts after `cp` (Ctrl+Right on
/// Windows/Linux): skips the rest of the current word and any whitespace or
/// punctuation. `len_cp` when no word follows.
pub fn next_word_start(index: &TextIndex, cp: usize) -> usize {
    let len = index.len_cp();
    let mut pos = cp.min(len);
    loop {
        if pos >= len {
            return len;
        }
        let to = pos.saturating_add(WINDOW_CP).min(len);
        let segs = segments_around(index, pos, to);
        if let Some(s) = segs.iter().find(|s| s.word && s.start > cp && s.start >= pos && s.start <= to) {
            return index.grapheme_ceil(s.start);
        }
        if to >= len {
            return len;
        }
        pos = to;
    }
}

/// The start of the word before `cp` (Ctrl+Left): from inside a word (or just
/// after it), that word's start; else the start of the previous word. 0 when
/// no word precedes.
pub fn prev_word_start(index: &TextIndex, cp: usize) -> usize {
    let mut pos = cp.min(index.len_cp());
    loop {
        if pos == 0 {
            return 0;
        }
        let from = pos.saturating_sub(WINDOW_CP);
        let segs = segments_around(index, from, pos);
        if let Some(s) = segs.iter().rev().find(|s| s.word && s.start < cp && s.start >= from && s.start <= pos) {
            return index.grapheme_floor(s.start);
        }
        if from == 0 {
            return 0;
        }
        pos = from;
    }
}

fn is_break_byte(b: &u8) -> bool {
    *b == b'\n' || *b == b'\r'
}

/// The start of the line holding `cp` (Home): just after the previous line
/// break (`\n`, `\r\n` or `\r`), or 0. A position inside `\r\n` counts as
/// before it. O(line length) over bytes, plus O(log n).
pub fn line_start(index: &TextIndex, cp: usize) -> usize {
    let cp = index.grapheme_floor(cp.min(index.len_cp()));
    let text = index.text();
    let b = index.cp_to_utf8(cp).unwrap_or(text.len());
    match text.as_bytes()[..b].iter().rposition(is_break_byte) {
        Some(i) => index.utf8_to_cp(i + 1).unwrap_or(0),
        None => 0,
    }
}

/// The end of the line holding `cp` (End): the position just before the
/// next line break (`\n`, `\r\n` or `\r`), or `len_cp`. A position inside
/// `\r\n` counts as before it. O(line length) over bytes, plus O(log n).
pub fn line_end(index: &TextIndex, cp: usize) -> usize {
    let len = index.len_cp();
    let cp = index.grapheme_floor(cp.min(len));
    let text = index.text();
    let b = index.cp_to_utf8(cp).unwrap_or(text.len());
    match text.as_bytes()[b..].iter().position(is_break_byte) {
        Some(i) => index.utf8_to_cp(b + i).unwrap_or(len),
        None => len,
    }
}

/// The caret one text line down (`down`) or up from `cp`, at the same
/// column (code points from the line start), clamped to that line's end;
/// the text's end (or start) from the last (or first) line. A CRLF counts
/// as one line break. The app uses it when the line on screen cannot be measured.
pub fn vertical_by_column(index: &TextIndex, cp: usize, down: bool) -> usize {
    let start = line_start(index, cp);
    let col = cp - start;
    if down {
        let end = line_end(index, cp);
        if end >= index.len_cp() {
            return index.len_cp();
        }
        let next_start = next_grapheme(index, end);
        let next_start = if index.slice_cp(end, next_start) == Some("\r") { next_grapheme(index, next_start) } else { next_start };
        (next_start + col).min(line_end(index, next_start))
    } else {
        if start == 0 {
            return 0;
        }
        let prev_start = line_start(index, start.saturating_sub(1));
        (prev_start + col).min(line_end(index, prev_start))
    }
}
