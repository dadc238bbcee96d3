//! Start-up: loading the library, migrating schema 1, rebuilding a lost
//! library; and writing the library afterwards.

use super::backup::back_up;
use super::error::StoreError;
use super::keys::{classify_key, doc_key, StorageKey, LIBRARY_KEY};
use super::kv::Kv;
use crate::store::library::{counts_of, DocMeta, Library, LibraryError, MAX_DOCUMENTS};
use crate::store::merge::{self, DocRecord};
use crate::text::time::compare_timestamps;
use std::collections::BTreeMap;

/// The outcome of [`migrate_v1`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Migration {
    /// The library built from the v1 records (the app then calls
    /// [`Library::ensure_seed`], which marks the sample article).
    pub library: Library,
    /// `(key, value)` pairs to write, in order: every document record first,
    /// [`LIBRARY_KEY`] last, so an interrupted migration simply runs again.
    pub writes: Vec<(String, String)>,
    /// v1 keys that were converted; they may be removed once every write succeeded.
    pub migrated_keys: Vec<String>,
    /// v1 records that could not be read: `(key, raw value, reason)`. Each
    /// raw value is kept under a backup key and reported; nothing of it is dropped.
    pub unreadable: Vec<(String, String, String)>,
}

/// Turns the v1 records among `key_values` (every local storage entry, in
/// any order; other keys are ignored and must be left alone)
/// into v2 records. Each `text-annotator.v1.doc.<id>` value is validated as a
/// native file of version 1 without its text: structure, types, unique ids,
/// `start < end ≤ document.length`, and the quote's length equal to
/// `end - start` (the quote itself is checked against the text when the app
/// loads the document). A record whose `document.id` differs from the key's
/// id is unreadable. A readable record becomes a [`DocRecord`] (no
/// tombstones, `rev` 1) and a [`DocMeta`] (title, name and length from the
/// file; `created`/`modified` the earliest/latest annotation times, or `""`).
pub fn migrate_v1(key_values: &[(String, String)]) -> Migration {
    let mut v1: Vec<(&String, &String, String)> = key_values
        .iter()
        .filter_map(|(k, v)| match classify_key(k) {
            StorageKey::V1Doc(id) => Some((k, v, id)),
            _ => None,
        })
        .collect();
    crate::text::sorting::sort_by(&mut v1, |a, b| a.0.cmp(b.0));
    let mut out = Migration { library: Library::new(), writes: Vec::new(), migrated_keys: Vec::new(), unreadable: Vec::new() };
    for (key, raw, id) in v1 {
        match merge::parse_record(raw.as_bytes(), Some(&id), None) {
            Ok(stored) if out.library.docs.len() < MAX_DOCUMENTS => {
                let anns = stored.record.annotations;
                let h = stored.header;
                let title = h.title.unwrap_or_default();
                let mut meta = DocMeta::new("", &title, h.name.as_deref().unwrap_or(""), "");
                meta.id = id.clone();
                meta.len_cp = h.length.unwrap_or(0);
                meta.counts = counts_of(&anns);
                meta.created = anns
                    .iter()
                    .map(|a| a.created.as_str())
                    // Only real times: the library refuses anything else.
                    .filter(|s| crate::text::time::parse_timestamp(s).is_some())
                    .min_by(|a, b| compare_timestamps(a, b).then(a.cmp(b)))
                    .unwrap_or("")
                    .to_string();
                meta.modified = anns
                    .iter()
                    .map(|a| a.modified.as_str())
                    .filter(|s| crate::text::time::parse_timestamp(s).is_some())
                    .max_by(|a, b| compare_timestamps(a, b).then(a.cmp(b)))
                    .unwrap_or("")
                    .to_string();
                let record = DocRecord::new(anns).with_rev(1);
                out.writes.push((doc_key(&id), record.to_json(&meta)));
                out.migrated_keys.push(key.clone());
                out.library.docs.push(meta);
            }
            Ok(_) => out.unreadable.push((key.clone(), raw.clone(), format!("the library already holds {MAX_DOCUMENTS} documents"))),
            Err(e) => out.unreadable.push((key.clone(), raw.clone(), e.to_string())),
        }
    }
    out.writes.push((LIBRARY_KEY.to_string(), out.library.to_json()));
    out
}

/// The library at start-up, with what the person must be told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Boot {
    pub library: Library,
    /// Sentences for the person (problems met, what was done about them).
    pub notices: Vec<String>,
    /// Backup keys written or reused (offered as downloads).
    pub backups: Vec<String>,
    /// The stored library could not be read nor backed up (or not read at
    /// all): it must not be overwritten until a backup succeeds. Pass it to
    /// [`save_library`] / [`update_library`], which keep it up to date.
    pub library_unsafe_to_write: bool,
    /// Storage could not be read at all (disabled, unavailable): nothing
    /// shown is saved, and the app must say so from the start.
    pub storage_off: Option<StoreError>,
}

/// Every `(key, value)` with [`super::keys::PREFIX`].
fn entries(kv: &dyn Kv) -> Result<Vec<(String, String)>, StoreError> {
    let mut out = Vec::new();
    for k in kv.keys()? {
        if let Some(v) = kv.get(&k)? {
            out.push((k, v));
        }
    }
    Ok(out)
}

/// Loads the library, migrating schema-1 data when no library is stored
/// (first start of this version), rebuilding it from the stored records,
/// journals and texts when it is unreadable (after backing it up), and
/// makes sure the sample article `seed` is listed. A library that was
/// rebuilt or gained the seed is written at once (unless it is unsafe to
/// write, or a migration failed half-way and must run again). Nothing fails
/// silently: every failed write, backup or removal becomes a notice.
pub fn boot(kv: &mut dyn Kv, seed: DocMeta, now_ms: u64) -> Boot {
    let mut notices = Vec::new();
    let mut backups = Vec::new();
    let mut unsafe_to_write = false;
    let mut storage_off = None;
    // Whether the library must be written now (it was rebuilt after its backup).
    let mut rebuilt = false;
    // A migration that did not finish must not be hidden by a written library.
    let mut migration_failed = false;
    let mut library = match kv.get(LIBRARY_KEY) {
        Ok(Some(raw)) => match Library::from_json(raw.as_bytes()) {
            Ok(lib) => lib,
            Err(e) => {
                match back_up(kv, LIBRARY_KEY, &raw, now_ms) {
                    Ok(k) => {
                        notices.push(format!("The list of documents could not be read ({e}). It was kept unchanged under “{k}”; the list was rebuilt from the stored documents."));
                        backups.push(k);
                        rebuilt = true;
                    }
                    Err(w) => {
                        notices.push(format!("The list of documents could not be read ({e}) nor backed up ({w}); it is left in place, and the list shown was rebuilt from the stored documents."));
                        unsafe_to_write = true;
                    }
                }
                match rebuild_library(kv) {
                    Ok((lib, left_out)) => {
                        notices.extend(left_out);
                        lib
                    }
                    Err(r) => {
                        notices.push(format!("The stored documents could not be listed ({r})."));
                        Library::new()
                    }
                }
            }
        },
        Ok(None) => match entries(kv) {
            Ok(all) => {
                let m = migrate_v1(&all);
                for (k, v) in &m.writes {
                    if let Err(e) = kv.set(k, v) {
                        notices.push(format!("Moving your saved annotations to the new storage format failed ({e}); the old data is kept and the move will be tried again."));
                        migration_failed = true;
                        break;
                    }
                }
                for (k, raw, reason) in &m.unreadable {
                    match back_up(kv, k, raw, now_ms) {
                        Ok(b) => {
                            notices.push(format!(
                                "Saved annotations under “{k}” could not be read ({reason}). They were kept unchanged under “{b}”."
                            ));
                            backups.push(b);
                        }
                        Err(e) => notices.push(format!(
                            "Saved annotations under “{k}” could not be read ({reason}) nor backed up ({e}); they are left in place."
                        )),
                    }
                }
                if !migration_failed {
                    for k in &m.migrated_keys {
                        if let Err(e) = kv.remove(k) {
                            notices.push(format!("The old copy “{k}” of migrated annotations could not be removed ({e}); it is harmless and will be ignored."));
                        }
                    }
                }
                m.library
            }
            Err(e) => {
                notices.push(format!("Local storage could not be read ({e})."));
                unsafe_to_write = true;
                storage_off = Some(e);
                Library::new()
            }
        },
        Err(e) => {
            notices.push(format!("Local storage could not be read ({e})."));
            unsafe_to_write = true;
            storage_off = Some(e);
            Library::new()
        }
    };
    let seeded = library.ensure_seed(seed);
    // A rebuilt list is written at once (its unreadable original is backed
    // up), so the next start does not find it unreadable again.
    if (seeded || rebuilt) && !unsafe_to_write && !migration_failed && storage_off.is_none() {
        if let Err(e) = kv.set(LIBRARY_KEY, &library.to_json()) {
            notices.push(format!("The list of documents could not be saved ({e}); it is kept in this tab."));
        }
    }
    Boot { library, notices, backups, library_unsafe_to_write: unsafe_to_write, storage_off }
}

/// Rebuilds a library from the stored base records and journals (every
/// tab's and the legacy one), then from the texts kept in local storage that
/// have neither (documents opened but not yet annotated), after the list was
/// lost. Unreadable values are skipped (they are backed up when their
/// document is opened). Texts kept only in IndexedDB cannot be listed here;
/// they stay stored. Also returns why any stored document could not be
/// listed (the list is full), one sentence each.
pub fn rebuild_library(kv: &dyn Kv) -> Result<(Library, Vec<String>), StoreError> {
    let mut lib = Library::new();
    let mut left_out = Vec::new();
    let all = entries(kv)?;
    // A record and its journals (any may be alone) make one document.
    let mut parts: BTreeMap<String, Vec<merge::Stored>> = BTreeMap::new();
    for (k, v) in &all {
        if let StorageKey::Doc(id) | StorageKey::Delta(id) | StorageKey::Journal { doc: id, .. } = classify_key(k) {
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
            counts: counts_of(&record.annotations),
            modified: String::new(),
            created: String::new(),
            seed: false,
            details: Default::default(),
        };
        let title = meta.title.clone();
        if let Err(e) = lib.add(meta) {
            left_out.push(format!("“{title}” could not be listed: {e}"));
        }
    }
    for (k, text) in &all {
        if let StorageKey::Text(id) = classify_key(k) {
            if !lib.contains(&id) && crate::model::doc_id_for(text) == id {
                let title = crate::formats::textfile::title_from_text(text);
                if let Err(e) = lib.add(DocMeta::new(text, &title, "", "")) {
                    left_out.push(format!("“{title}” could not be listed: {e}"));
                }
            }
        }
    }
    Ok((lib, left_out))
}

/// Writes `lib` under [`LIBRARY_KEY`]. When `*unsafe_to_write` (the stored
/// library could not be read nor backed up at start), an unreadable stored
/// library is backed up first; if that still fails nothing is written and
/// the flag stays set. Once the backup worked (or the stored value turned out
/// readable or absent) the flag is cleared.
pub fn save_library(kv: &mut dyn Kv, lib: &Library, unsafe_to_write: &mut bool, now_ms: u64) -> Result<(), StoreError> {
    if *unsafe_to_write {
        if let Some(raw) = kv.get(LIBRARY_KEY)? {
            if Library::from_json(raw.as_bytes()).is_err() {
                back_up(kv, LIBRARY_KEY, &raw, now_ms)
                    .map_err(|e| StoreError::NotBackedUp { key: LIBRARY_KEY.into(), cause: Box::new(e) })?;
            }
        }
        *unsafe_to_write = false;
    }
    kv.set(LIBRARY_KEY, &lib.to_json())
}

/// Read-modify-write of the library: re-reads the stored library (using
/// `fallback` when it is missing or unreadable; an unreadable one is backed
/// up first, and nothing is written if that fails), applies `f`, writes the
/// result ([`save_library`]) and returns it. A tab whose copy of the library
/// is stale therefore never drops a document another tab added. Nothing is
/// written when `f` fails.
pub fn update_library(
    kv: &mut dyn Kv,
    fallback: &Library,
    unsafe_to_write: &mut bool,
    now_ms: u64,
    f: impl FnOnce(&mut Library) -> Result<(), LibraryError>,
) -> Result<Library, StoreError> {
    let mut lib = match kv.get(LIBRARY_KEY)? {
        Some(raw) => match Library::from_json(raw.as_bytes()) {
            Ok(lib) => lib,
            Err(_) => {
                back_up(kv, LIBRARY_KEY, &raw, now_ms)
                    .map_err(|e| StoreError::NotBackedUp { key: LIBRARY_KEY.into(), cause: Box::new(e) })?;
                *unsafe_to_write = false;
                fallback.clone()
            }
        },
        None => fallback.clone(),
    };
    f(&mut lib)?;
    save_library(kv, &lib, unsafe_to_write, now_ms)?;
    Ok(lib)
}
