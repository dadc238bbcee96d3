//! The text selection as the browser glue reads it, as plain data.

/// What the current selection is, relative to the article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SelectionRead {
    /// A non-empty selection inside (or clipped to) the article:
    /// half-open UTF-16 offsets into the article text.
    Range { start_utf16: u32, end_utf16: u32 },
    /// No selection, or a collapsed one (a caret).
    Nothing,
    /// A selection that does not touch the article.
    Outside,
}
