//! Why storing or restoring failed ([`StoreError`]) and what went wrong
//! after a change was already safe ([`SaveWarning`]). Each variant is one
//! cause; `Display` gives a phrase for people, written to stand inside a
//! sentence (“Could not store the text (…).”). Code decides by the variant,
//! never by the text.

use super::library::LibraryError;
use std::fmt;

/// Why a storage operation failed. The numbered causes:
///
/// 1. [`Unavailable`](Self::Unavailable): the browser gives this page no
///    storage at all (disabled, blocked, no such API).
/// 2. [`Full`](Self::Full): the write was refused for lack of space (quota).
/// 3. [`Browser`](Self::Browser): any other failure the browser reported.
/// 4. [`Unreadable`](Self::Unreadable): a stored value is not what this app
///    writes (damaged, another version, edited by hand).
/// 5. [`NotBackedUp`](Self::NotBackedUp): an unreadable value would have
///    been replaced, but copying it to a backup key failed first.
/// 6. [`InvalidTab`](Self::InvalidTab): the tab id cannot name a journal.
/// 7. [`Encode`](Self::Encode): the value to write could not be made JSON.
/// 8. [`Library`](Self::Library): the change to the list of documents was refused.
/// 9. [`Durable`](Self::Durable): local storage holds the change, but the
///    copy that survives a crash (IndexedDB) could not be written or read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// 1. The browser gives this page no storage; `detail` is its reason.
    Unavailable { detail: String },
    /// 2. The storage is full; `detail` is the browser's message.
    Full { detail: String },
    /// 3. Another failure reported by the browser.
    Browser { detail: String },
    /// 4. The value under `key` cannot be read, for `reason`.
    Unreadable { key: String, reason: String },
    /// 5. The unreadable value under `key` could not be backed up (`cause`),
    ///    so it was left in place and nothing was written over it.
    NotBackedUp { key: String, cause: Box<StoreError> },
    /// 6. Not a tab id (1 to 32 characters `[0-9a-z]`).
    InvalidTab(String),
    /// 7. The value could not be written as JSON.
    Encode,
    /// 8. The list of documents refused the change.
    Library(LibraryError),
    /// 9. The crash-safe copy (IndexedDB) failed; `detail` is the browser's message.
    Durable { detail: String },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unavailable { detail } => {
                write!(f, "this browser does not let the app use its storage ({detail}), so nothing can be saved here")
            }
            StoreError::Full { detail } => write!(f, "the browser's storage is full ({detail})"),
            StoreError::Browser { detail } => write!(f, "the browser's storage failed ({detail})"),
            StoreError::Unreadable { key, reason } => write!(f, "the value stored under “{key}” cannot be read ({reason})"),
            StoreError::NotBackedUp { key, cause } => {
                write!(f, "the unreadable value under “{key}” could not be backed up ({cause}), so it was left in place")
            }
            StoreError::InvalidTab(tab) => write!(f, "“{tab}” is not a tab id (1 to 32 characters 0-9 a-z)"),
            StoreError::Encode => f.write_str("the changes could not be written as JSON"),
            StoreError::Library(e) => {
                let s = e.to_string();
                f.write_str(s.strip_suffix('.').unwrap_or(&s))
            }
            StoreError::Durable { detail } => {
                write!(f, "the copy that survives a crash or power cut (IndexedDB) could not be written ({detail})")
            }
        }
    }
}

impl std::error::Error for StoreError {}

impl From<LibraryError> for StoreError {
    fn from(e: LibraryError) -> Self {
        StoreError::Library(e)
    }
}

/// Something that went wrong after a change was already stored: the save
/// succeeded, and the person is told (quietly) what was left undone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveWarning {
    /// The document's base record cannot be read and could not be backed up
    /// (`cause`), so it was not rewritten; the change went to this tab's
    /// journal, which grows past its usual bound until a backup succeeds.
    CompactionBlocked(StoreError),
    /// After a compaction, this tab's journal could not be shortened (`cause`).
    JournalNotShortened(StoreError),
    /// After a compaction, the old journal `key` could not be removed or
    /// read again (`cause`); it stays, and is merged like any journal.
    OldJournalLeft { key: String, cause: StoreError },
}

impl fmt::Display for SaveWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SaveWarning::CompactionBlocked(cause) => write!(
                f,
                "Saved, but the stored annotations that cannot be read were not tidied up: {cause}. \
                 Your changes are kept beside them; free some storage so they can be backed up."
            ),
            SaveWarning::JournalNotShortened(cause) => {
                write!(f, "Saved, but this tab's list of recent changes could not be shortened ({cause}). This is harmless.")
            }
            SaveWarning::OldJournalLeft { key, cause } => {
                write!(f, "Saved, but an old list of changes (“{key}”) could not be removed ({cause}). This is harmless.")
            }
        }
    }
}
