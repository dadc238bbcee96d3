//! Turning the bytes of a file a person opened (or text they pasted) into a
//! document text, or a clear reason why not.
//!
//! Contract of [`decode_text_file`]: the returned text is **exactly** the
//! file's bytes read as UTF-8, minus one leading UTF-8 byte order mark (and
//! nothing else: no CRLF folding, no Unicode normalisation, no trimming), so
//! code point offsets stay exact against the original file. The checks run in
//! this order, and the first that fails is returned:
//!
//! 1. size: more than [`MAX_TEXT_BYTES`] bytes → [`TextFileError::TooLarge`]
//!    (checked before the bytes are looked at at all);
//! 2. no bytes → [`TextFileError::Empty`];
//! 3. a UTF-16 byte order mark (`FF FE` or `FE FF`, which also covers UTF-32
//!    LE) → [`TextFileError::Utf16`];
//! 4. a NUL byte anywhere, or more than [`MAX_CONTROL_SHARE_PERCENT`] % of the
//!    bytes are C0 control characters other than tab, line feed, vertical
//!    tab, form feed and carriage return (or DEL) → [`TextFileError::Binary`];
//! 5. not valid UTF-8 → [`TextFileError::InvalidUtf8`] with the location of
//!    the first bad byte;
//! 6. a UTF-8 BOM (`EF BB BF`) is removed (`bom_removed = true`); if nothing is
//!    left → [`TextFileError::Empty`];
//! 7. only white space (see [`is_blank`]) → [`TextFileError::OnlyWhitespace`].

use crate::text::titles::UNTITLED;
use crate::text::titles::{cut_graphemes, sanitize_title};
use std::fmt;

/// Largest text file accepted: 50 MiB (52,428,800 bytes). Beyond that the
/// code point index and the rendered page would need several hundred MB.
pub const MAX_TEXT_BYTES: usize = 50 * 1024 * 1024;

/// A file is called binary when more than this percentage of its bytes are
/// control characters (see the module documentation, rule 4).
pub const MAX_CONTROL_SHARE_PERCENT: usize = 10;

/// Longest title guessed from the text (code points, ellipsis included).
pub const MAX_GUESSED_TITLE_CP: usize = 80;

/// A text ready to become a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text, exactly as in the file (minus a UTF-8 BOM).
    pub text: String,
    /// Whether a leading UTF-8 byte order mark was removed (the UI says so).
    pub bom_removed: bool,
    /// A title to propose: the file name without its extension, or for
    /// pasted text (empty name) the first non-empty line; already sanitised.
    pub title_guess: String,
}

/// Why a file cannot be opened as a text. `Display` gives a message for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextFileError {
    /// Larger than [`MAX_TEXT_BYTES`].
    TooLarge { bytes: usize, max: usize },
    /// No bytes at all (or only a byte order mark).
    Empty,
    /// Only white space: nothing to annotate.
    OnlyWhitespace,
    /// NUL bytes or many control characters: not a text file.
    Binary,
    /// Starts with a UTF-16 byte order mark; `big_endian` for `FE FF`.
    Utf16 { big_endian: bool },
    /// Not valid UTF-8. `byte_offset` is the 0-based offset of the first bad
    /// byte in the file as given (BOM included); `line` and `column` are
    /// 1-based, the column counted in characters (code points) of that line.
    InvalidUtf8 { byte_offset: usize, line: usize, column: usize },
}

impl fmt::Display for TextFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextFileError::TooLarge { bytes, max } => write!(
                f,
                "The file is too large: {} MB (the limit is {} MB). Split it into smaller files.",
                crate::model::decimal(*bytes as f64 / 1_048_576.0, 1),
                max / 1_048_576
            ),
            TextFileError::Empty => f.write_str("The file is empty: there is no text to annotate."),
            TextFileError::OnlyWhitespace => f.write_str("The file contains only spaces and line breaks: there is no text to annotate."),
            TextFileError::Binary => {
                f.write_str("This is not a text file (it contains binary data). Open a plain-text .txt or .md file saved as UTF-8.")
            }
            TextFileError::Utf16 { big_endian } => write!(
                f,
                "The file is encoded as UTF-16 ({}), which is not supported; save it as UTF-8 and open it again.",
                if *big_endian { "big-endian" } else { "little-endian" }
            ),
            TextFileError::InvalidUtf8 { byte_offset, line, column } => write!(
                f,
                "The file is not valid UTF-8 text: the first bad byte is at line {line}, column {column} \
                 (byte {byte_offset}). It may use another encoding (such as Windows-1252); save it as UTF-8 and open it again."
            ),
        }
    }
}

impl std::error::Error for TextFileError {}

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Decodes the bytes of the file `name` (only used for the title; pass `""`
/// for pasted text) following the rules of the module documentation.
pub fn decode_text_file(name: &str, bytes: &[u8]) -> Result<Decoded, TextFileError> {
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(TextFileError::TooLarge { bytes: bytes.len(), max: MAX_TEXT_BYTES });
    }
    if bytes.is_empty() {
        return Err(TextFileError::Empty);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Err(TextFileError::Utf16 { big_endian: false });
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(TextFileError::Utf16 { big_endian: true });
    }
    if looks_binary(bytes) {
        return Err(TextFileError::Binary);
    }
    let (body, bom_removed) = match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            let valid = &body[..e.valid_up_to()];
            // `valid` is valid UTF-8 by construction.
            let valid = std::str::from_utf8(valid).unwrap_or("");
            let line = valid.matches('\n').count() + 1;
            let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
            let column = valid[line_start..].chars().count() + 1;
            let byte_offset = e.valid_up_to() + if bom_removed { UTF8_BOM.len() } else { 0 };
            return Err(TextFileError::InvalidUtf8 { byte_offset, line, column });
        }
    };
    if text.is_empty() {
        return Err(TextFileError::Empty);
    }
    if is_blank(text) {
        return Err(TextFileError::OnlyWhitespace);
    }
    let title_guess = match title_from_file_name(name) {
        Some(t) => t,
        None => title_from_text(text),
    };
    Ok(Decoded { text: text.to_string(), bom_removed, title_guess })
}

/// Checks pasted text with the same rules as a file (size, empty, blank,
/// binary; a leading U+FEFF is removed) and guesses its title from its first
/// non-empty line. The text is otherwise kept exactly.
pub fn decode_pasted(text: &str) -> Result<Decoded, TextFileError> {
    decode_text_file("", text.as_bytes())
}

/// Whether `bytes` look like binary data (module documentation, rule 4).
pub fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.contains(&0) {
        return true;
    }
    let controls = bytes.iter().filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r')) || b == 0x7F).count();
    controls * 100 > bytes.len() * MAX_CONTROL_SHARE_PERCENT
}

/// Whether `text` has nothing to annotate: every character is white space
/// (`char::is_whitespace`) or an invisible zero-width character
/// (U+200B ZERO WIDTH SPACE, U+2060 WORD JOINER, U+FEFF).
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}'))
}

/// The title a file name suggests: the last path component without its
/// final extension (`notes/Report.final.txt` → `Report.final`), sanitised;
/// `None` when that leaves nothing (`""`, `.txt`, `notes/`).
pub fn title_from_file_name(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = match base.rfind('.') {
        None => base,
        Some(i) => &base[..i],
    };
    let t = sanitize_title(stem);
    (!t.is_empty()).then_some(t)
}

/// The title pasted text suggests: its first line that is not blank, trimmed
/// and sanitised, at most [`MAX_GUESSED_TITLE_CP`] code points (cut on a
/// grapheme boundary, ending with `…` when cut); [`UNTITLED`] when there is none.
pub fn title_from_text(text: &str) -> String {
    let line = text.split(['\n', '\r', '\u{2028}', '\u{2029}']).map(sanitize_title).find(|l| !l.is_empty() && !is_blank(l));
    match line {
        Some(l) => cut_graphemes(&l, MAX_GUESSED_TITLE_CP),
        None => UNTITLED.to_string(),
    }
}
