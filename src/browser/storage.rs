//! Local storage (and IndexedDB for large texts), schema version 2; see
//! `annotator_core::library` for the keys. Annotations always live in local
//! storage; a document's text goes to local storage when small and to
//! IndexedDB when large. Unreadable data is never overwritten: it is copied
//! to a backup key first and reported.

use annotator_core::anchor::Orphan;
use annotator_core::history::History;
use annotator_core::library::{self, DocMeta, Library, StorageKey};
use annotator_core::merge::{self, DocRecord};
use annotator_core::{Label, TextIndex};

/// Prefix of every key this app writes.
pub const PREFIX: &str = "text-annotator.";

fn storage() -> Result<web_sys::Storage, String> {
    let window = web_sys::window().ok_or("no window")?;
    match window.local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err("this browser has no local storage".into()),
        Err(e) => Err(format!("local storage is disabled ({})", super::js_error_text(&e))),
    }
}

/// Whether local storage can be used at all.
pub fn available() -> Result<(), String> {
    storage().map(|_| ())
}

/// Reads a raw value.
pub fn get(key: &str) -> Result<Option<String>, String> {
    storage()?.get_item(key).map_err(|e| super::js_error_text(&e))
}

/// Writes a raw value. A failed write (quota) leaves the previous value as it was.
pub fn set(key: &str, value: &str) -> Result<(), String> {
    storage()?.set_item(key, value).map_err(|e| {
        let text = super::js_error_text(&e);
        if text.to_lowercase().contains("quota") || text.to_lowercase().contains("exceeded") {
            format!("the browser's storage is full ({text})")
        } else {
            text
        }
    })
}

/// Removes a key (no error if absent).
pub fn remove(key: &str) -> Result<(), String> {
    storage()?.remove_item(key).map_err(|e| super::js_error_text(&e))
}

/// Every entry whose key starts with [`PREFIX`].
pub fn entries() -> Vec<(String, String)> {
    let Ok(s) = storage() else { return Vec::new() };
    let n = s.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(PREFIX))
        .filter_map(|k| s.get_item(&k).ok().flatten().map(|v| (k, v)))
        .collect()
}

/// Copies an unreadable value to a backup key; returns that key. When a
/// backup of `key` already holds exactly `raw` (the same unreadable value
/// met again: another reload, another opening), that key is returned and
/// nothing is written, so backups do not pile up.
pub fn back_up(key: &str, raw: &str) -> Result<String, String> {
    let suffix = format!(".{key}");
    if let Some((existing, _)) = entries()
        .into_iter()
        .find(|(k, v)| k.starts_with(library::BACKUP_KEY_PREFIX) && k.ends_with(&suffix) && v == raw)
    {
        return Ok(existing);
    }
    let backup = library::backup_key(key, js_sys::Date::now() as u64);
    set(&backup, raw)?;
    Ok(backup)
}

thread_local! {
    /// Set when the stored library could not be read nor backed up at start:
    /// it must not be overwritten until a backup of it succeeds.
    static LIBRARY_NOT_BACKED_UP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Storage key of a document's undo history.
pub fn history_key(doc_id: &str) -> String {
    format!("text-annotator.v2.history.{doc_id}")
}

/// Storage key of a document's orphaned annotations.
pub fn orphans_key(doc_id: &str) -> String {
    format!("text-annotator.v2.orphans.{doc_id}")
}

/// The library at start-up, with what the person must be told.
pub struct Boot {
    pub library: Library,
    pub notices: Vec<String>,
    /// Backup keys written (offered as downloads).
    pub backups: Vec<String>,
}

/// Loads the library, migrating schema-1 data on the first start of this
/// version, and makes sure the sample article is listed.
pub fn boot(seed: DocMeta) -> Boot {
    let mut notices = Vec::new();
    let mut backups = Vec::new();
    if let Err(e) = available() {
        let mut library = Library::new();
        library.ensure_seed(seed);
        notices.push(format!("Local storage is unavailable ({e}): your work is kept only in this tab. Use Export to keep a copy."));
        return Boot { library, notices, backups };
    }
    // Whether the library must be written now (it was rebuilt after its backup).
    let mut rebuilt = false;
    let mut library = match get(library::LIBRARY_KEY) {
        Ok(Some(raw)) => match Library::from_json(raw.as_bytes()) {
            Ok(lib) => lib,
            Err(e) => {
                match back_up(library::LIBRARY_KEY, &raw) {
                    Ok(k) => {
                        notices.push(format!("The list of documents could not be read ({e}). It was kept unchanged under “{k}”; the list was rebuilt from the stored documents."));
                        backups.push(k);
                        rebuilt = true;
                    }
                    Err(w) => {
                        notices.push(format!("The list of documents could not be read ({e}) nor backed up ({w}); it is left in place, and the list shown was rebuilt from the stored documents."));
                        LIBRARY_NOT_BACKED_UP.with(|f| f.set(true));
                    }
                }
                rebuild_library()
            }
        },
        Ok(None) => {
            let m = library::migrate_v1(&entries());
            let mut ok = true;
            for (k, v) in &m.writes {
                if let Err(e) = set(k, v) {
                    notices.push(format!("Moving your saved annotations to the new storage format failed ({e}); the old data is kept and the move will be tried again."));
                    ok = false;
                    break;
                }
            }
            for (k, raw, reason) in &m.unreadable {
                match back_up(k, raw) {
                    Ok(b) => {
                        notices.push(format!("Saved annotations under “{k}” could not be read ({reason}). They were kept unchanged under “{b}”."));
                        backups.push(b);
                    }
                    Err(e) => notices.push(format!("Saved annotations under “{k}” could not be read ({reason}) nor backed up ({e}); they are left in place.")),
                }
            }
            if ok {
                for k in &m.migrated_keys {
                    let _ = remove(k);
                }
            }
            m.library
        }
        Err(e) => {
            notices.push(format!("Local storage could not be read ({e})."));
            Library::new()
        }
    };
    let seeded = library.ensure_seed(seed);
    // A rebuilt list is written at once (its unreadable original is backed
    // up), so the next start does not find it unreadable again.
    if (seeded || rebuilt) && !LIBRARY_NOT_BACKED_UP.with(|f| f.get()) {
        let _ = set(library::LIBRARY_KEY, &library.to_json());
    }
    Boot { library, notices, backups }
}

/// Rebuilds a library from the stored document records, then from the texts
/// kept in local storage that have no record (documents opened but not yet
/// annotated), after the list was lost. Texts kept only in IndexedDB cannot
/// be listed here (start-up is synchronous); they stay stored.
fn rebuild_library() -> Library {
    let mut lib = Library::new();
    let all = entries();
    // A record and its journal (either may be alone) make one document.
    let mut parts: std::collections::BTreeMap<String, Vec<merge::Stored>> = Default::default();
    for (k, v) in &all {
        if let StorageKey::Doc(id) | StorageKey::Delta(id) = library::classify_key(k) {
            if let Ok(stored) = merge::parse_record(v.as_bytes(), Some(&id), None) {
                parts.entry(id).or_default().push(stored);
            }
        }
    }
    for (id, stored) in parts {
        let mut record = DocRecord::default();
        for p in &stored {
            record.absorb(&p.record);
        }
        let h = stored.into_iter().map(|p| p.header).next().unwrap_or_default();
        let meta = DocMeta {
            id: id.clone(),
            title: h.title.unwrap_or_else(|| "Recovered document".into()),
            name: h.name.unwrap_or_else(|| "document".into()),
            len_cp: h.length.unwrap_or(0),
            counts: library::counts_of(&record.annotations),
            modified: String::new(),
            created: String::new(),
            seed: false,
        };
        let _ = lib.add(meta);
    }
    for (k, text) in &all {
        if let StorageKey::Text(id) = library::classify_key(k) {
            if !lib.contains(&id) && annotator_core::model::doc_id_for(text) == id {
                let title = annotator_core::textfile::title_from_text(text);
                let _ = lib.add(DocMeta::new(text, &title, "", ""));
            }
        }
    }
    lib
}

/// Saves the library. A stored library that could not be read nor backed up
/// at start is backed up first; if that still fails, nothing is written.
pub fn save_library(lib: &Library) -> Result<(), String> {
    if LIBRARY_NOT_BACKED_UP.with(|f| f.get()) {
        if let Some(raw) = get(library::LIBRARY_KEY)? {
            if Library::from_json(raw.as_bytes()).is_err() {
                back_up(library::LIBRARY_KEY, &raw)
                    .map_err(|e| format!("the unreadable list of documents could not be backed up first ({e})"))?;
            }
        }
        LIBRARY_NOT_BACKED_UP.with(|f| f.set(false));
    }
    set(library::LIBRARY_KEY, &lib.to_json())
}

/// What is stored for one document's annotations: the record (its last
/// whole write merged with the journal of edits since) and the journal alone.
#[derive(Debug, Default)]
pub struct LoadedRecord {
    /// `None` when nothing readable is stored.
    pub record: Option<DocRecord>,
    /// The journal as stored (empty when absent or unreadable).
    pub journal: DocRecord,
    /// Unreadable values: (backup key if the copy worked, reason). Each was
    /// kept under a backup key; an unreadable journal is also removed, so
    /// the next write does not merge with it.
    pub problems: Vec<(Option<String>, String)>,
    /// The whole record is stored but unreadable (kept under a backup key):
    /// the next save writes the whole record over it, not a journal beside it.
    pub snapshot_unreadable: bool,
}

fn read_record_key(key: &str, id: &str, index: &TextIndex) -> Result<Option<DocRecord>, (Option<String>, String)> {
    let raw = match get(key) {
        Ok(Some(raw)) => raw,
        Ok(None) => return Ok(None),
        Err(e) => return Err((None, e)),
    };
    match merge::parse_record(raw.as_bytes(), Some(id), Some(index)) {
        Ok(stored) => Ok(Some(stored.record)),
        Err(e) => Err((back_up(key, &raw).ok(), e.to_string())),
    }
}

/// Loads a document's annotations: its record merged with its journal,
/// both checked against the text. Unreadable data is backed up and
/// reported, never overwritten.
pub fn load_record_parts(id: &str, index: &TextIndex) -> LoadedRecord {
    let mut out = LoadedRecord::default();
    let snapshot = read_record_key(&library::doc_key(id), id, index).unwrap_or_else(|p| {
        out.problems.push(p);
        out.snapshot_unreadable = true;
        None
    });
    let journal = match read_record_key(&library::delta_key(id), id, index) {
        Ok(j) => j,
        Err((backup, reason)) => {
            if backup.is_some() {
                let _ = remove(&library::delta_key(id));
            }
            out.problems.push((backup, format!("its latest changes: {reason}")));
            None
        }
    };
    out.record = match (snapshot, &journal) {
        (None, None) => None,
        (s, j) => {
            let mut r = s.unwrap_or_default();
            if let Some(j) = j {
                r.absorb(j);
            }
            Some(r)
        }
    };
    out.journal = journal.unwrap_or_default();
    out
}

/// A document's stored annotations (record merged with journal), checked
/// against its text; the first problem when nothing readable is stored.
pub fn load_record(id: &str, index: &TextIndex) -> Result<Option<DocRecord>, (Option<String>, String)> {
    let loaded = load_record_parts(id, index);
    match (loaded.record, loaded.problems.into_iter().next()) {
        (None, Some(p)) => Err(p),
        (r, _) => Ok(r),
    }
}

/// Writes a document's whole record (an import of a backup) and drops its
/// journal, which the record must already include.
pub fn write_whole_record(meta: &DocMeta, record: &DocRecord) -> Result<(), String> {
    set(&library::doc_key(&meta.id), &record.to_json(meta))?;
    let _ = remove(&library::delta_key(&meta.id));
    Ok(())
}

/// Most entries (annotations plus tombstones) the journal holds before the
/// whole record is written instead and the journal removed.
pub const JOURNAL_MAX_ENTRIES: usize = 256;

/// Saves an edit whose changes are `delta` ([`DocRecord::edit_delta`] of
/// `known`): merges it into the stored journal, a small value, and writes
/// that; once the journal would pass [`JOURNAL_MAX_ENTRIES`], writes the
/// whole record and removes the journal instead. Every write is one
/// `setItem` of a complete value, so a failed write (quota) leaves the
/// previous record and journal readable; `known` and `journal` change only
/// after a write succeeded. `whole`: write the whole record in any case
/// (the stored one was unreadable). Returns whether the whole record was written.
pub fn write_journal(meta: &DocMeta, known: &mut DocRecord, journal: &mut DocRecord, delta: &DocRecord, whole: bool) -> Result<bool, String> {
    let rev = known.rev.max(journal.rev) + 1;
    let mut next_journal = journal.clone();
    next_journal.absorb(delta);
    next_journal.rev = rev;
    if whole || next_journal.annotations.len() + next_journal.deleted.len() > JOURNAL_MAX_ENTRIES {
        let mut record = known.clone();
        record.absorb(delta);
        record.rev = rev;
        write_whole_record(meta, &record)?;
        *known = record;
        *journal = DocRecord::default();
        return Ok(true);
    }
    set(&library::delta_key(&meta.id), &next_journal.to_json(meta))?;
    known.absorb(delta);
    known.rev = rev;
    *journal = next_journal;
    Ok(false)
}

/// Stores a document's text: local storage when small, IndexedDB when large.
pub async fn save_text(id: &str, text: &str) -> Result<(), String> {
    if library::text_fits_local_storage(text) {
        set(&library::text_key(id), text)
    } else {
        super::idb::put_text(id, text).await
    }
}

/// Loads a document's text from local storage or IndexedDB.
pub async fn load_text(id: &str) -> Result<Option<String>, String> {
    if let Some(t) = get(&library::text_key(id))? {
        return Ok(Some(t));
    }
    super::idb::get_text(id).await
}

/// Removes everything stored for a document (after its deletion can no longer be undone).
pub async fn delete_document_data(id: &str) {
    for k in [library::doc_key(id), library::delta_key(id), library::text_key(id), history_key(id), orphans_key(id)] {
        let _ = remove(&k);
    }
    let _ = super::idb::delete_text(id).await;
}

/// Largest undo history kept in storage, in bytes (oldest steps go first).
/// Small enough that writing it (shortly after each change) stays a few
/// milliseconds; a few hundred ordinary steps fit, an import of thousands of
/// annotations does not (it stays undoable until the page is closed).
pub const MAX_HISTORY_BYTES: usize = 512 * 1024;

/// Loads the undo history of a document; a missing or unreadable one gives
/// an empty history (and the reason, for unreadable data).
pub fn load_history(doc_id: &str) -> (History, Option<String>) {
    match get(&history_key(doc_id)).ok().flatten() {
        None => (History::default(), None),
        Some(raw) => match History::from_json(&raw) {
            Ok(h) => (h, None),
            Err(e) => (History::default(), Some(e)),
        },
    }
}

/// Saves the undo history (bounded to [`MAX_HISTORY_BYTES`]).
pub fn save_history(doc_id: &str, history: &History) -> Result<(), String> {
    set(&history_key(doc_id), &history.to_json_bounded(MAX_HISTORY_BYTES))
}

/// Saves the orphans of a document (removes the key when there are none).
pub fn save_orphans(doc_id: &str, orphans: &[Orphan]) -> Result<(), String> {
    if orphans.is_empty() {
        return remove(&orphans_key(doc_id));
    }
    let v: Vec<serde_json::Value> = orphans
        .iter()
        .map(|o| {
            serde_json::json!({
                "id": o.id, "label": o.label.as_str(), "quote": o.quote, "note": o.note,
                "created": o.created, "modified": o.modified,
                "start_hint": o.start_hint, "end_hint": o.end_hint, "reason": o.reason,
            })
        })
        .collect();
    set(&orphans_key(doc_id), &serde_json::Value::Array(v).to_string())
}

/// Loads the orphans of a document; entries that cannot be read are skipped.
pub fn load_orphans(doc_id: &str) -> Vec<Orphan> {
    let Some(raw) = get(&orphans_key(doc_id)).ok().flatten() else { return Vec::new() };
    let Ok(serde_json::Value::Array(items)) = serde_json::from_str::<serde_json::Value>(&raw) else {
        return Vec::new();
    };
    let text = |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    let num = |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_u64()).map(|n| n as usize);
    items
        .iter()
        .filter_map(|v| {
            Some(Orphan {
                id: v.get("id")?.as_str()?.to_string(),
                label: Label::parse(v.get("label")?.as_str()?)?,
                quote: text(v, "quote"),
                note: text(v, "note"),
                created: text(v, "created"),
                modified: text(v, "modified"),
                start_hint: num(v, "start_hint"),
                end_hint: num(v, "end_hint"),
                reason: text(v, "reason"),
            })
        })
        .collect()
}
