//! Local storage and IndexedDB as thin glue. What is stored where, and when
//! (keys, the record/journal decision, migration, backups, the crash-safe
//! copy), is decided in `annotator_core::store`; this module only gets, sets
//! and removes. Every write and removal that local storage accepts is queued
//! for the crash-safe copy ([`super::durable`]).

use super::{durable, idb};
use annotator_core::store::error::StoreError;
use annotator_core::store::keys::{text_fits_local_storage, text_key, PREFIX};
use annotator_core::store::kv::Kv;

fn storage() -> Result<web_sys::Storage, StoreError> {
    let window = web_sys::window().ok_or_else(|| StoreError::Unavailable { detail: "no window".into() })?;
    match window.local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(StoreError::Unavailable { detail: "this browser has no local storage".into() }),
        Err(e) => Err(StoreError::Unavailable { detail: super::js_error_text(&e) }),
    }
}

/// Reads a raw value.
pub fn get(key: &str) -> Result<Option<String>, StoreError> {
    storage()?.get_item(key).map_err(|e| idb::error_of(&e))
}

/// Writes a raw value (and queues it for the crash-safe copy). A failed
/// write (quota) leaves the previous value as it was.
pub fn set(key: &str, value: &str) -> Result<(), StoreError> {
    storage()?.set_item(key, value).map_err(|e| idb::error_of(&e))?;
    durable::record(key, Some(value));
    Ok(())
}

/// Removes a key (no error if absent), in the crash-safe copy too.
pub fn remove(key: &str) -> Result<(), StoreError> {
    storage()?.remove_item(key).map_err(|e| idb::error_of(&e))?;
    durable::record(key, None);
    Ok(())
}

/// Every key of this app ([`PREFIX`]).
pub fn keys() -> Result<Vec<String>, StoreError> {
    let s = storage()?;
    let n = s.length().map_err(|e| idb::error_of(&e))?;
    let mut out = Vec::new();
    for i in 0..n {
        if let Some(k) = s.key(i).map_err(|e| idb::error_of(&e))? {
            if k.starts_with(PREFIX) {
                out.push(k);
            }
        }
    }
    Ok(out)
}

/// The browser's local storage as the core's key-value store.
#[derive(Clone, Copy, Debug, Default)]
pub struct LocalKv;

impl Kv for LocalKv {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        get(key)
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        set(key, value)
    }
    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        remove(key)
    }
    fn keys(&self) -> Result<Vec<String>, StoreError> {
        keys()
    }
}

/// Stores a document's text: local storage when small (its crash-safe copy
/// is written before the next "Saved", which waits for everything queued
/// before it), IndexedDB when large (`Ok` once committed).
pub async fn save_text(id: &str, text: &str) -> Result<(), StoreError> {
    if text_fits_local_storage(text) {
        set(&text_key(id), text)
    } else {
        idb::put_text(id, text).await
    }
}

/// Loads a document's text from local storage or IndexedDB.
pub async fn load_text(id: &str) -> Result<Option<String>, StoreError> {
    if let Some(t) = get(&text_key(id))? {
        return Ok(Some(t));
    }
    idb::get_text(id).await
}

/// Removes everything stored for a document (after its deletion can no
/// longer be undone): its keys (`annotator_core::store::whole::delete_document`)
/// and its text in IndexedDB. Returns the first problem.
pub async fn delete_document_data(id: &str) -> Result<(), StoreError> {
    let keys = annotator_core::store::whole::delete_document(&mut LocalKv, id);
    let idb = idb::delete_text(id).await;
    keys.and(idb)
}
