//! Offset conversions between the three units a text is measured in.
//!
//! * **code points** (`cp`): the unit of every offset that leaves the program
//!   (W3C TextPositionSelector, brat, Python's `text[start:end]`);
//! * **UTF-16 code units** (`utf16`): what the DOM speaks;
//! * **UTF-8 bytes** (`utf8`): what Rust strings are made of.
//!
//! [`TextIndex`] keeps a checkpoint every [`BLOCK`] code points, so each
//! conversion is a binary search plus a scan of at most one block: O(log n).

use crate::text::boundaries::{grapheme_containing, is_regional_indicator, sure_grapheme_break};
use std::rc::Rc;

/// Number of code points between two checkpoints.
pub const BLOCK: usize = 64;

/// Code points a window of text reaches on each side of the position it is cut for
/// ([`TextIndex::window`]) when word boundaries are asked within it.
pub const WINDOW_CP: usize = 128;

/// The same for grapheme clusters, which are short: a window rarely reaches this far, as a
/// boundary before a space, ASCII or common punctuation is known without asking.
pub const GRAPHEME_WINDOW_CP: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Checkpoint {
    cp: usize,
    utf16: usize,
    utf8: usize,
}

/// An immutable text with O(log n) conversions between code points,
/// UTF-16 code units and UTF-8 bytes. The text is kept exactly as given
/// (no newline folding, no normalisation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextIndex {
    text: Rc<str>,
    checkpoints: Vec<Checkpoint>,
    len_cp: usize,
    len_utf16: usize,
}

impl TextIndex {
    /// Builds the index in one pass over the text.
    pub fn new(text: impl Into<Rc<str>>) -> Self {
        let text: Rc<str> = text.into();
        let mut checkpoints = Vec::with_capacity(text.len() / BLOCK + 1);
        let (mut cp, mut utf16) = (0usize, 0usize);
        for (utf8, ch) in text.char_indices() {
            if cp % BLOCK == 0 {
                checkpoints.push(Checkpoint { cp, utf16, utf8 });
            }
            cp += 1;
            utf16 += ch.len_utf16();
        }
        if cp % BLOCK == 0 {
            checkpoints.push(Checkpoint { cp, utf16, utf8: text.len() });
        }
        TextIndex { text, checkpoints, len_cp: cp, len_utf16: utf16 }
    }

    /// The text, exactly as loaded.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// A cheap shared handle to the text.
    pub fn text_rc(&self) -> Rc<str> {
        self.text.clone()
    }

    /// Length in code points.
    pub fn len_cp(&self) -> usize {
        self.len_cp
    }

    /// Length in UTF-16 code units.
    pub fn len_utf16(&self) -> usize {
        self.len_utf16
    }

    /// Length in UTF-8 bytes.
    pub fn len_utf8(&self) -> usize {
        self.text.len()
    }

    fn checkpoint_by<F: Fn(&Checkpoint) -> usize>(&self, key: F, value: usize) -> Checkpoint {
        let i = self.checkpoints.partition_point(|c| key(c) <= value);
        self.checkpoints[i.saturating_sub(1)]
    }

    /// Scans forward from the checkpoint at or before `pred` turns true.
    fn scan<F: Fn(&Checkpoint) -> bool>(&self, start: Checkpoint, stop: F) -> Checkpoint {
        let mut at = start;
        if stop(&at) {
            return at;
        }
        for ch in self.text[at.utf8..].chars() {
            at = Checkpoint { cp: at.cp + 1, utf16: at.utf16 + ch.len_utf16(), utf8: at.utf8 + ch.len_utf8() };
            if stop(&at) {
                return at;
            }
        }
        at
    }

    /// UTF-8 byte offset of code point `cp`; `None` past the end.
    pub fn cp_to_utf8(&self, cp: usize) -> Option<usize> {
        (cp <= self.len_cp).then(|| self.scan(self.checkpoint_by(|c| c.cp, cp), |c| c.cp >= cp).utf8)
    }

    /// UTF-16 offset of code point `cp`; `None` past the end.
    pub fn cp_to_utf16(&self, cp: usize) -> Option<usize> {
        (cp <= self.len_cp).then(|| self.scan(self.checkpoint_by(|c| c.cp, cp), |c| c.cp >= cp).utf16)
    }

    /// Code point index at UTF-16 offset `u`. An offset inside a surrogate
    /// pair rounds down to the start of that character. `None` past the end.
    pub fn utf16_to_cp_floor(&self, u: usize) -> Option<usize> {
        if u > self.len_utf16 {
            return None;
        }
        let at = self.scan(self.checkpoint_by(|c| c.utf16, u), |c| c.utf16 >= u);
        // Past `u` means `u` was inside a surrogate pair: that character starts one before.
        Some(if at.utf16 == u { at.cp } else { at.cp - 1 })
    }

    /// Code point index at UTF-16 offset `u`, rounding up when `u` is inside a
    /// surrogate pair. `None` past the end.
    pub fn utf16_to_cp_ceil(&self, u: usize) -> Option<usize> {
        if u > self.len_utf16 {
            return None;
        }
        Some(self.scan(self.checkpoint_by(|c| c.utf16, u), |c| c.utf16 >= u).cp)
    }

    /// Code point index at UTF-8 byte offset `b`; `None` past the end or not on
    /// a character boundary.
    pub fn utf8_to_cp(&self, b: usize) -> Option<usize> {
        if b > self.text.len() || !self.text.is_char_boundary(b) {
            return None;
        }
        Some(self.scan(self.checkpoint_by(|c| c.utf8, b), |c| c.utf8 >= b).cp)
    }

    /// The text between code points `[start, end)`; `None` if out of range or reversed.
    pub fn slice_cp(&self, start: usize, end: usize) -> Option<&str> {
        if start > end {
            return None;
        }
        let a = self.cp_to_utf8(start)?;
        let b = self.cp_to_utf8(end)?;
        Some(&self.text[a..b])
    }

    /// The piece `[start, end)` (code points) of the text around the character at `cp` (below
    /// `len_cp`) in which its boundaries are asked: from the nearest position at or before `cp`
    /// where `sure` says a boundary lies, to the nearest one after `cp`, each looked for within
    /// `reach` code points. Where none is found the piece reaches `reach` out (its start moved
    /// to the start of a run of flags' halves, which pair from there); boundaries are then exact
    /// unless one cluster or word is longer than that.
    pub fn window(&self, cp: usize, sure: fn(char, char) -> bool, reach: usize) -> (usize, usize) {
        let Some(b) = self.cp_to_utf8(cp) else { return (self.len_cp, self.len_cp) };
        let Some(at) = self.text[b..].chars().next() else { return (cp, cp) };
        let mut start = cp;
        let mut after = at;
        let mut back = self.text[..b].chars().rev().peekable();
        while let Some(&before) = back.peek() {
            let in_flags = is_regional_indicator(before) && is_regional_indicator(after);
            if sure(before, after) || (cp - start >= reach && !in_flags) {
                break;
            }
            back.next();
            start -= 1;
            after = before;
        }
        let mut end = cp + 1;
        let mut before = at;
        for next in self.text[b + at.len_utf8()..].chars() {
            if sure(before, next) || end - cp > reach {
                break;
            }
            end += 1;
            before = next;
        }
        (start, end)
    }

    /// The extended grapheme cluster holding the character at `cp` (below `len_cp`), as
    /// `[start, end)` code points. Between ASCII characters no segmenter is asked.
    pub fn grapheme_at(&self, cp: usize) -> (usize, usize) {
        let (w0, w1) = self.window(cp, sure_grapheme_break, GRAPHEME_WINDOW_CP);
        if w1 - w0 <= 1 {
            return (cp, cp + 1);
        }
        let (s, e) = grapheme_containing(self.slice_cp(w0, w1).unwrap_or(""), cp - w0);
        (w0 + s, w0 + e)
    }

    /// Whether code point `cp` is on an extended grapheme cluster boundary.
    pub fn is_grapheme_boundary(&self, cp: usize) -> bool {
        match cp.cmp(&self.len_cp) {
            std::cmp::Ordering::Less => self.grapheme_at(cp).0 == cp,
            std::cmp::Ordering::Equal => true,
            std::cmp::Ordering::Greater => false,
        }
    }

    /// The nearest grapheme boundary at or before `cp` (code points).
    pub fn grapheme_floor(&self, cp: usize) -> usize {
        if cp >= self.len_cp {
            return self.len_cp;
        }
        self.grapheme_at(cp).0
    }

    /// The nearest grapheme boundary at or after `cp` (code points).
    pub fn grapheme_ceil(&self, cp: usize) -> usize {
        if cp >= self.len_cp {
            return self.len_cp;
        }
        match self.grapheme_at(cp) {
            (s, _) if s == cp => cp,
            (_, e) => e,
        }
    }

    /// Up to `n` code points before `cp`, starting on a grapheme boundary
    /// (so a cluster is never cut; may be shorter than `n`).
    pub fn prefix_cp(&self, cp: usize, n: usize) -> &str {
        let start = self.grapheme_ceil(cp.saturating_sub(n));
        self.slice_cp(start.min(cp), cp).unwrap_or("")
    }

    /// Up to `n` code points after `cp`, ending on a grapheme boundary.
    pub fn suffix_cp(&self, cp: usize, n: usize) -> &str {
        let end = self.grapheme_floor((cp + n).min(self.len_cp));
        self.slice_cp(cp, end.max(cp)).unwrap_or("")
    }
}

/// Number of code points in `s`.
pub fn cp_len(s: &str) -> usize {
    s.chars().count()
}
