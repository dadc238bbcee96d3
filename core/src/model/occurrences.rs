//! Every other occurrence of a span's text, for "Tag all occurrences".
//!
//! # The rule
//!
//! 1. An occurrence is the same code points as the span (case-sensitive,
//!    no normalisation), found left to right without overlapping;
//! 2. it never cuts a grapheme cluster (both ends are cluster boundaries);
//! 3. with `whole_words`, it is whole words: snapping it to words
//!    ([`crate::text::words::snap_to_words`]) leaves it as it is;
//! 4. the span itself is one of them when it satisfies 2 and 3;
//! 5. at most `max` are returned (the first ones in the text).

use crate::text::text_index::TextIndex;
use crate::text::words::snap_to_words;

/// The occurrences `[start, end)` (code points) of the text of
/// `[start, end)` in `index`, by the rule above, in text order.
pub fn occurrences(index: &TextIndex, start: usize, end: usize, whole_words: bool, max: usize) -> Vec<(usize, usize)> {
    let Some(needle) = index.slice_cp(start, end).filter(|s| !s.is_empty()) else { return Vec::new() };
    let n = end - start;
    let mut out = Vec::new();
    for (byte, _) in index.text().match_indices(needle) {
        if out.len() >= max {
            break;
        }
        let Some(s) = index.utf8_to_cp(byte) else { continue };
        let e = s + n;
        if !index.is_grapheme_boundary(s) || !index.is_grapheme_boundary(e) {
            continue;
        }
        if whole_words && snap_to_words(index, s, e) != (s, e) {
            continue;
        }
        out.push((s, e));
    }
    out
}
