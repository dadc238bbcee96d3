//! Boundaries from the `unicode-segmentation` crate's compiled-in Unicode tables (the host,
//! the tests, and any build without `Intl.Segmenter`).

use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

pub fn available() -> bool {
    true
}

/// Byte offset of code point `i` of `s` (its length past the end).
fn byte_of(s: &str, i: usize) -> usize {
    s.char_indices().nth(i).map_or(s.len(), |(b, _)| b)
}

fn cp_of(s: &str, b: usize) -> usize {
    s[..b].chars().count()
}

pub fn grapheme_containing(s: &str, i: usize) -> (usize, usize) {
    let b = byte_of(s, i);
    let mut cursor = GraphemeCursor::new(b, s.len(), true);
    let at_boundary = cursor.is_boundary(s, 0).unwrap_or(true);
    let start = if at_boundary { b } else { cursor.prev_boundary(s, 0).ok().flatten().unwrap_or(0) };
    let mut cursor = GraphemeCursor::new(b, s.len(), true);
    let end = cursor.next_boundary(s, 0).ok().flatten().unwrap_or(s.len());
    (cp_of(s, start), cp_of(s, end))
}

pub fn word_containing(s: &str, i: usize) -> (usize, usize) {
    let mut cp = 0;
    for seg in s.split_word_bounds() {
        let n = seg.chars().count();
        if i < cp + n {
            return (cp, cp + n);
        }
        cp += n;
    }
    (cp, cp)
}
