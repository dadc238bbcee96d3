//! Word snapping and caret movement, in **code points**.
//!
//! Words are the segments of the Unicode word-boundary algorithm (UAX #29) that
//! contain a letter or a digit: it works for Latin, Urdu/Arabic (ZWNJ and
//! diacritics stay inside a word) and CJK (with the compiled-in tables each
//! ideograph is a word of its own, as UAX #29 has no dictionary; the browsers'
//! `Intl.Segmenter` finds dictionary words in Chinese, Japanese and Thai), keeps
//! `1,524` and `don't` whole, and never splits a ZWJ emoji sequence or a
//! letter from its combining marks. Segments of whitespace, punctuation and
//! symbols are not words.
//!
//! Segments come from [`crate::text::boundaries`] (compiled-in tables on the host, the
//! browser's `Intl.Segmenter` in the app), asked within a window of the text
//! ([`TextIndex::window`]): from the nearest line break, or [`WINDOW_CP`] code points, before
//! the position to the same after it. So each call costs O(log n + window) even on a 5 MB
//! text. Boundaries are exact unless a single word (or a run of combining marks) is longer
//! than the window, in which case snapping stops inside it, still on a grapheme boundary.
//!
//! Every position returned is on a grapheme cluster boundary and within
//! `0..=len_cp`; positions past the end are clamped to it.

use crate::text::boundaries::{sure_line_break, word_containing};
use crate::text::text_index::TextIndex;
pub use crate::text::text_index::WINDOW_CP;

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

/// The word-boundary segment holding the character at `cp` (below `len_cp`).
fn segment_at(index: &TextIndex, cp: usize) -> Seg {
    let (w0, w1) = index.window(cp, sure_line_break, WINDOW_CP);
    let (s, e) = word_containing(index.slice_cp(w0, w1).unwrap_or(""), cp - w0);
    let (start, end) = (w0 + s, (w0 + e).max(cp + 1));
    Seg { start, end, word: is_word(index.slice_cp(start, end).unwrap_or("")) }
}

/// Extends the selection `[start_cp, end_cp)` (either order; clamped to the
/// text) outward to whole words, returning it ordered.
///
/// First each end is widened to a grapheme boundary (so a cluster is never
/// cut, whether or not it is in a word). Then an end inside a word moves to
/// that word's edge; an end in whitespace, punctuation or a symbol stays where
/// it is, so snapping never reaches into the space or the comma beside a word.
/// A word edge inside a cluster (word segments may cut one: a prepended mark,
/// in Chromium conjoining jamo) is widened to the cluster, and from there to the
/// word that holds it, until the end moves no more.
/// A caret inside a word (`start == end`) selects that word; a caret between
/// segments stays empty. The result contains the input and is idempotent.
/// Leading/trailing whitespace is left for [`crate::model::normalize_selection`].
pub fn snap_to_words(index: &TextIndex, start_cp: usize, end_cp: usize) -> (usize, usize) {
    let len = index.len_cp();
    let (a, b) = if start_cp <= end_cp { (start_cp, end_cp) } else { (end_cp, start_cp) };
    let mut start = index.grapheme_floor(a.min(len));
    while start < len {
        let s = segment_at(index, start);
        match index.grapheme_floor(s.start) {
            widened if s.word && widened < start => start = widened,
            _ => break,
        }
    }
    let mut end = index.grapheme_ceil(b.min(len));
    while end > 0 {
        let s = segment_at(index, end - 1);
        match index.grapheme_ceil(s.end) {
            widened if s.word && widened > end => end = widened,
            _ => break,
        }
    }
    (start, end)
}

/// The grapheme boundary after `cp` (one user-perceived character to the
/// right in logical order; `\r\n` is one step). From inside a cluster, the
/// cluster's end. `len_cp` at or past the end.
pub fn next_grapheme(index: &TextIndex, cp: usize) -> usize {
    let len = index.len_cp();
    if cp >= len {
        return len;
    }
    index.grapheme_at(cp).1
}

/// The grapheme boundary before `cp` (one user-perceived character to the
/// left in logical order). From inside a cluster, the cluster's start. 0 at 0.
pub fn prev_grapheme(index: &TextIndex, cp: usize) -> usize {
    let cp = cp.min(index.len_cp());
    if cp == 0 {
        return 0;
    }
    match index.grapheme_floor(cp) {
        s if s < cp => s,
        _ => index.grapheme_at(cp - 1).0,
    }
}

/// The start of the first word that starts after `cp` (Ctrl+Right on
/// Windows/Linux): skips the rest of the current word and any whitespace or
/// punctuation. `len_cp` when no word follows.
pub fn next_word_start(index: &TextIndex, cp: usize) -> usize {
    let len = index.len_cp();
    let mut pos = cp.min(len);
    while pos < len {
        let s = segment_at(index, pos);
        if s.word && s.start > cp {
            return index.grapheme_ceil(s.start);
        }
        pos = s.end;
    }
    len
}

/// The start of the word before `cp` (Ctrl+Left): from inside a word (or just
/// after it), that word's start; else the start of the previous word. 0 when
/// no word precedes.
pub fn prev_word_start(index: &TextIndex, cp: usize) -> usize {
    let mut pos = cp.min(index.len_cp());
    while pos > 0 {
        let s = segment_at(index, pos - 1);
        if s.word {
            return index.grapheme_floor(s.start);
        }
        pos = s.start.min(pos - 1);
    }
    0
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
