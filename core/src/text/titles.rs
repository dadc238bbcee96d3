//! Titles and file-name stems shown to people: cleaning what a file, a
//! paste or a person typed, and cutting it on grapheme boundaries. A leaf
//! module (only [`crate::text::text_index`]'s grapheme boundaries are used), shared
//! by the library, text files and bundles.

use crate::text::text_index::TextIndex;

/// Longest title, in code points.
pub const MAX_TITLE_CP: usize = 200;
/// Longest file-name stem, in code points.
pub const MAX_NAME_CP: usize = 80;

/// The title used when neither the file name nor the text gives one.
pub const UNTITLED: &str = "Untitled";

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Cleans a title for display and storage: every run of white space and
/// control characters (C0, DEL, C1, line/paragraph separators, bidi
/// embeddings/overrides/isolates) becomes one space, U+FEFF is dropped, the
/// ends are trimmed and the result cut to [`MAX_TITLE_CP`] code points on a
/// grapheme boundary. Nothing else is changed: `<`, `>`, `&` and quotes stay
/// literally (the UI renders titles as text, never as HTML). May return `""`.
pub fn sanitize_title(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len().min(4 * MAX_TITLE_CP));
    let mut gap = false;
    for c in raw.chars() {
        if c == '\u{FEFF}' {
            continue;
        }
        if c.is_whitespace() || c.is_control() || is_bidi_control(c) {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        out.push(c);
        // Stop early on huge input; the final cut below is exact.
        if out.len() > 8 * MAX_TITLE_CP {
            break;
        }
    }
    cut_graphemes(&out, MAX_TITLE_CP)
}

/// A file-name stem for downloads (`<name>.annotations.json`) made from a
/// title or file name: letters and digits (any script), `-`, `_` and `.` are
/// kept, every other run of characters becomes `-`; leading/trailing `-`/`.`
/// are trimmed; at most [`MAX_NAME_CP`] code points; `"document"` if empty.
pub fn sanitize_name(raw: &str) -> String {
    let mut out = String::new();
    let mut n = 0;
    for c in raw.chars() {
        if n >= MAX_NAME_CP {
            break;
        }
        let keep = c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
        let c = if keep { c } else { '-' };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
        n += 1;
    }
    let trimmed = out.trim_matches(|c| c == '-' || c == '.');
    if trimmed.is_empty() {
        "document".to_string()
    } else {
        trimmed.to_string()
    }
}

/// `s` if it has at most `max_cp` code points; else its longest prefix of
/// whole grapheme clusters that leaves room for `…`, plus `…`.
pub(crate) fn cut_graphemes(s: &str, max_cp: usize) -> String {
    if s.chars().count() <= max_cp {
        return s.to_string();
    }
    let index = TextIndex::new(s);
    let cut = index.grapheme_floor(max_cp.saturating_sub(1));
    let mut out = index.slice_cp(0, cut).unwrap_or("").to_string();
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('…');
    out
}
