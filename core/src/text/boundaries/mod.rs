//! Grapheme cluster and word boundaries (Unicode UAX #29) of a short piece of text, in **code
//! points** of that piece. The one interface the rest of the model uses for both kinds of
//! boundary ([`crate::text::text_index`] cuts the windows of a whole text and asks here).
//!
//! Two implementations, chosen at compile time:
//! * on the host, and in every build without the `intl-segmenter` feature: the
//!   `unicode-segmentation` crate (`tables.rs`), whose Unicode tables are compiled in;
//! * on `wasm32` with the `intl-segmenter` feature (the app turns it on): the browser's own
//!   `Intl.Segmenter` (`intl.rs`), so the wasm carries no segmentation tables. It speaks UTF-16;
//!   the conversion to and from code points happens there, once per call, on the piece only.
//!
//! Both give the same grapheme clusters. Word segments differ where the browsers' ICU tailors
//! UAX #29 (a dictionary for Chinese, Japanese, Thai, Lao…; a colon is no MidLetter; Chromium
//! breaks words at a full stop between letters): `tests/browser/segmenter.rs` states and checks
//! every difference, in Chromium and Firefox. The app relies only on what both give: clusters
//! are never cut, and a word segment is made of whole clusters.
//!
//! A caller passes a piece that starts where the whole text has a boundary of the kind asked
//! for (or accepts that the piece's first segment may be cut short); the piece's end is
//! the end of its last segment.

#[cfg(not(all(target_arch = "wasm32", feature = "intl-segmenter")))]
mod tables;
#[cfg(not(all(target_arch = "wasm32", feature = "intl-segmenter")))]
use tables as backend;

#[cfg(all(target_arch = "wasm32", feature = "intl-segmenter"))]
mod intl;
#[cfg(all(target_arch = "wasm32", feature = "intl-segmenter"))]
use intl as backend;

/// Whether this build can segment text. Always true with the compiled-in tables; with
/// `Intl.Segmenter`, false in a browser that lacks it (Firefox before 125, Chrome before 87,
/// Safari before 14.1), where the app says so instead of starting.
pub fn available() -> bool {
    backend::available()
}

/// The extended grapheme cluster of `s` that holds code point `i`, as `[start, end)` in code
/// points of `s` (`start <= i < end`). `i` must be below `s`'s length in code points.
pub fn grapheme_containing(s: &str, i: usize) -> (usize, usize) {
    backend::grapheme_containing(s, i)
}

/// The word-boundary segment of `s` (a word, a run of spaces, a punctuation mark…) that holds
/// code point `i`, as `[start, end)` in code points of `s`. `i` must be below `s`'s length.
pub fn word_containing(s: &str, i: usize) -> (usize, usize) {
    backend::word_containing(s, i)
}

/// Whether a grapheme cluster boundary lies between the characters `before` and `after`
/// whatever text surrounds them: rules of UAX #29 that need no table. Before or after a
/// control character, CR or LF (GB4, GB5) except inside CR LF (GB3); before a printable ASCII
/// character, a no-break space or a common CJK or Arabic punctuation mark or space, none of
/// which extends a cluster (GB9, GB9a, GB9c, GB11 and GB12/13 need other characters after),
/// unless `before` is a prepended mark (GB9b). `false` means "ask".
pub fn sure_grapheme_break(before: char, after: char) -> bool {
    if before == '\r' && after == '\n' {
        return false;
    }
    let control = |c: char| c.is_ascii_control();
    control(before) || control(after) || (never_extends(after) && !is_prepend(before))
}

/// Characters no cluster continues into: printable ASCII, NBSP, the ideographic space, comma
/// and full stop, the fullwidth comma and full stop, the Arabic comma and full stop.
fn never_extends(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{a0}' | '\u{3000}'..='\u{3002}' | '\u{ff0c}' | '\u{ff0e}' | '\u{60c}' | '\u{6d4}')
}

/// `Grapheme_Cluster_Break=Prepend` (Unicode 17): the only characters a cluster continues
/// after into one of [`never_extends`] (GB9b). `core/tests/boundaries.rs` checks this list
/// against the crate's tables for every character.
fn is_prepend(c: char) -> bool {
    matches!(c, '\u{600}'..='\u{605}' | '\u{6dd}' | '\u{70f}' | '\u{890}'..='\u{891}' | '\u{8e2}' | '\u{d4e}'
        | '\u{110bd}' | '\u{110cd}' | '\u{111c2}'..='\u{111c3}' | '\u{113d1}' | '\u{1193f}' | '\u{11941}'
        | '\u{11a84}'..='\u{11a89}' | '\u{11d46}' | '\u{11f02}')
}

/// Whether a line break (LF, CR or CR LF) ends just before `after`, or begins just after
/// `before`: a boundary of both kinds whatever text surrounds it (GB4/GB5, WB3a/WB3b),
/// except inside CR LF.
pub fn sure_line_break(before: char, after: char) -> bool {
    let line = |c: char| c == '\n' || c == '\r';
    (line(before) || line(after)) && !(before == '\r' && after == '\n')
}

/// Whether `c` is a regional indicator (half of a flag). Flags pair from the start of a run
/// of them, so a piece must not start inside such a run.
pub fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}
