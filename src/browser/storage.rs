//! Local storage and IndexedDB as thin glue. What is stored where, and when
//! (keys, the record/journal decision, migration, backups), is decided in
//! `annotator_core::store`; this module only gets, sets and removes.

use annotator_core::store::keys::{text_fits_local_storage, text_key, PREFIX};
use annotator_core::store::kv::Kv;

fn storage() -> Result<web_sys::Storage, String> {
    let window = web_sys::window().ok_or("no window")?;
    match window.local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err("this browser has no local storage".into()),
        Err(e) => Err(format!("local storage is disabled ({})", super::js_error_text(&e))),
    }
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

/// Every key of this app ([`PREFIX`]).
pub fn keys() -> Result<Vec<String>, String> {
    let s = storage()?;
    let n = s.length().map_err(|e| super::js_error_text(&e))?;
    let mut out = Vec::new();
    for i in 0..n {
        if let Some(k) = s.key(i).map_err(|e| super::js_error_text(&e))? {
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
    fn get(&self, key: &str) -> Result<Option<String>, String> {
        get(key)
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        set(key, value)
    }
    fn remove(&mut self, key: &str) -> Result<(), String> {
        remove(key)
    }
    fn keys(&self) -> Result<Vec<String>, String> {
        keys()
    }
}

/// Stores a document's text: local storage when small, IndexedDB when large.
pub async fn save_text(id: &str, text: &str) -> Result<(), String> {
    if text_fits_local_storage(text) {
        set(&text_key(id), text)
    } else {
        super::idb::put_text(id, text).await
    }
}

/// Loads a document's text from local storage or IndexedDB.
pub async fn load_text(id: &str) -> Result<Option<String>, String> {
    if let Some(t) = get(&text_key(id))? {
        return Ok(Some(t));
    }
    super::idb::get_text(id).await
}

/// Removes everything stored for a document (after its deletion can no
/// longer be undone): its keys (`annotator_core::store::records::delete_document`)
/// and its text in IndexedDB. Returns the first problem.
pub async fn delete_document_data(id: &str) -> Result<(), String> {
    let keys = annotator_core::store::records::delete_document(&mut LocalKv, id);
    let idb = super::idb::delete_text(id).await;
    keys.and(idb)
}
