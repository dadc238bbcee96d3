//! Every storage key the app reads or writes, and what a key is
//! ([`classify_key`]). The schema is described in [`crate::store`].

use crate::store::library::valid_doc_id;

/// Prefix of every key this app writes.
pub const PREFIX: &str = "text-annotator.";
/// Key of the library (the list of documents).
pub const LIBRARY_KEY: &str = "text-annotator.v2.library";
/// Prefix of a document's base annotation record key; see [`doc_key`].
pub const DOC_KEY_PREFIX: &str = "text-annotator.v2.doc.";
/// Prefix of a document's journal keys: the legacy one ([`delta_key`]) and
/// one per tab ([`journal_key`]).
pub const DELTA_KEY_PREFIX: &str = "text-annotator.v2.delta.";
/// Prefix of a document's text key; see [`text_key`].
pub const TEXT_KEY_PREFIX: &str = "text-annotator.v2.text.";
/// Prefix of a document's undo history key; see [`history_key`].
pub const HISTORY_KEY_PREFIX: &str = "text-annotator.v2.history.";
/// Prefix of a document's orphans key; see [`orphans_key`].
pub const ORPHANS_KEY_PREFIX: &str = "text-annotator.v2.orphans.";
/// Prefix of schema 1 annotation records.
pub const V1_DOC_KEY_PREFIX: &str = "text-annotator.v1.doc.";
/// Prefix of every backup key; see [`backup_key`].
pub const BACKUP_KEY_PREFIX: &str = "text-annotator.backup.";
/// Texts up to this many UTF-16 code units (512 KiB as stored by browsers,
/// which count local storage in UTF-16) may be kept in local storage; longer
/// texts go to IndexedDB, because local storage holds about 5 MB per site in
/// all and the annotations must always fit.
pub const MAX_LOCAL_TEXT_UTF16: usize = 256 * 1024;
/// Longest tab id, in characters (tab ids are `[0-9a-z]`).
pub const MAX_TAB_ID_LEN: usize = 32;

/// Key of the base annotation record of document `id`: `text-annotator.v2.doc.<id>`.
pub fn doc_key(id: &str) -> String {
    format!("{DOC_KEY_PREFIX}{id}")
}

/// Key of the **legacy** journal of document `id`, written by the previous
/// version of the app (one journal shared by every tab):
/// `text-annotator.v2.delta.<id>`. This version only reads it (and removes
/// it when compacting); it writes [`journal_key`] instead.
pub fn delta_key(id: &str) -> String {
    format!("{DELTA_KEY_PREFIX}{id}")
}

/// Key of the journal tab `tab` keeps for document `id`:
/// `text-annotator.v2.delta.<id>.<tab>`. Only that tab writes it.
pub fn journal_key(id: &str, tab: &str) -> String {
    format!("{DELTA_KEY_PREFIX}{id}.{tab}")
}

/// Key of the text of document `id`: `text-annotator.v2.text.<id>`.
pub fn text_key(id: &str) -> String {
    format!("{TEXT_KEY_PREFIX}{id}")
}

/// Key of the undo history of document `id`: `text-annotator.v2.history.<id>`.
pub fn history_key(id: &str) -> String {
    format!("{HISTORY_KEY_PREFIX}{id}")
}

/// Key of the orphaned annotations of document `id`: `text-annotator.v2.orphans.<id>`.
pub fn orphans_key(id: &str) -> String {
    format!("{ORPHANS_KEY_PREFIX}{id}")
}

/// Key under which an unreadable value of `original_key` is kept:
/// `text-annotator.backup.<stamp_ms>.<original_key>`. Backups never start
/// with a key prefix that is read as data, so they are never read back as data.
pub fn backup_key(original_key: &str, stamp_ms: u64) -> String {
    format!("{BACKUP_KEY_PREFIX}{stamp_ms}.{original_key}")
}

/// Whether a text should be kept in local storage (at most
/// [`MAX_LOCAL_TEXT_UTF16`] UTF-16 code units) rather than IndexedDB.
pub fn text_fits_local_storage(text: &str) -> bool {
    text.encode_utf16().take(MAX_LOCAL_TEXT_UTF16 + 1).count() <= MAX_LOCAL_TEXT_UTF16
}

/// Whether `tab` can be a tab id: 1 to [`MAX_TAB_ID_LEN`] characters `[0-9a-z]`.
pub fn valid_tab_id(tab: &str) -> bool {
    !tab.is_empty() && tab.len() <= MAX_TAB_ID_LEN && tab.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
}

/// What a storage key is, for the app's `storage` event handler and for start-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageKey {
    /// [`LIBRARY_KEY`].
    Library,
    /// A v2 base annotation record of the document with this id.
    Doc(String),
    /// A v2 text of the document with this id.
    Text(String),
    /// The legacy (shared) journal of the document with this id ([`delta_key`]).
    Delta(String),
    /// The journal of one tab ([`journal_key`]).
    Journal { doc: String, tab: String },
    /// The undo history of the document with this id.
    History(String),
    /// The orphans of the document with this id.
    Orphans(String),
    /// A v1 annotation record of the document with this id.
    V1Doc(String),
    /// A backup of unreadable data.
    Backup,
    /// Anything else (other apps' keys, v1 backups): never touched.
    Other,
}

/// Classifies `key`. Ids must pass [`valid_doc_id`] (and tab ids
/// [`valid_tab_id`]), so `text-annotator.v1.doc.<id>.backup-<ms>` is
/// [`StorageKey::Other`].
pub fn classify_key(key: &str) -> StorageKey {
    let id_of = |prefix: &str| key.strip_prefix(prefix).filter(|id| valid_doc_id(id)).map(str::to_string);
    if key == LIBRARY_KEY {
        StorageKey::Library
    } else if let Some(id) = id_of(DOC_KEY_PREFIX) {
        StorageKey::Doc(id)
    } else if let Some(id) = id_of(TEXT_KEY_PREFIX) {
        StorageKey::Text(id)
    } else if let Some(id) = id_of(DELTA_KEY_PREFIX) {
        StorageKey::Delta(id)
    } else if let Some((doc, tab)) =
        key.strip_prefix(DELTA_KEY_PREFIX).and_then(|rest| rest.split_once('.')).filter(|(doc, tab)| valid_doc_id(doc) && valid_tab_id(tab))
    {
        StorageKey::Journal { doc: doc.to_string(), tab: tab.to_string() }
    } else if let Some(id) = id_of(HISTORY_KEY_PREFIX) {
        StorageKey::History(id)
    } else if let Some(id) = id_of(ORPHANS_KEY_PREFIX) {
        StorageKey::Orphans(id)
    } else if let Some(id) = id_of(V1_DOC_KEY_PREFIX) {
        StorageKey::V1Doc(id)
    } else if key.starts_with(BACKUP_KEY_PREFIX) {
        StorageKey::Backup
    } else {
        StorageKey::Other
    }
}

/// Whether `key` holds a journal of document `doc_id`: one tab's
/// ([`journal_key`]) or the legacy one ([`delta_key`]).
pub fn is_journal_of(key: &str, doc_id: &str) -> bool {
    match classify_key(key) {
        StorageKey::Delta(d) => d == doc_id,
        StorageKey::Journal { doc, .. } => doc == doc_id,
        _ => false,
    }
}
