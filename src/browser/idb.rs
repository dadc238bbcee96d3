//! IndexedDB: database `text-annotator`, version 2, with two object stores
//! keyed by string: `texts` (texts too large for local storage, by document
//! id) and `kv` (the crash-safe copy of everything the app writes to local
//! storage, by the same key; `annotator_core::store::durable`). Every write
//! transaction asks for `durability: "strict"` (a browser that does not know
//! the option ignores it) and is reported done only once it has committed.
//! One connection is kept open for the page (closed when a newer version of
//! the app asks to upgrade the database). Every transaction is told when its
//! last request is in ([`no_more_requests`]).

use annotator_core::store::error::StoreError;
use js_sys::{Function, Object, Reflect};
use std::cell::RefCell;
use std::collections::BTreeMap;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransaction};

const DB: &str = "text-annotator";
const VERSION: u32 = 2;
const TEXTS: &str = "texts";
const KV: &str = "kv";

thread_local! {
    static CONNECTION: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

/// A storage error from a JS error value, by its standard name (never its message).
pub fn error_of(e: &JsValue) -> StoreError {
    let detail = super::js_error_text(e);
    let name = Reflect::get(e, &JsValue::from_str("name")).ok().and_then(|n| n.as_string());
    match name.as_deref() {
        Some("QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED") => StoreError::Full { detail },
        Some("SecurityError") => StoreError::Unavailable { detail },
        _ => StoreError::Browser { detail },
    }
}

fn failure(detail: &str) -> StoreError {
    StoreError::Browser { detail: detail.to_string() }
}

/// Resolves when `req` succeeds (with its result) or fails (with its error).
async fn wait(req: &IdbRequest) -> Result<JsValue, StoreError> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let r2 = req.clone();
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &r2.result().unwrap_or(JsValue::UNDEFINED));
        });
        let r3 = req.clone();
        let err = Closure::once_into_js(move |_: web_sys::Event| {
            let e: JsValue = r3.error().ok().flatten().map_or_else(|| JsValue::from_str("IndexedDB request failed"), Into::into);
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(err.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(|e| error_of(&e))
}

/// Resolves when `tx` has committed, or fails with why it aborted. A write
/// is durable only then: a request can succeed and its transaction still
/// abort (a full quota is reported at commit).
async fn committed(tx: &IdbTransaction) -> Result<(), StoreError> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        // Every failure (a failed request included) ends in `abort`.
        let t2 = tx.clone();
        let aborted = Closure::once_into_js(move |_: web_sys::Event| {
            let e: JsValue = t2.error().map_or_else(|| JsValue::from_str("the write was aborted"), Into::into);
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        tx.set_oncomplete(Some(ok.unchecked_ref()));
        tx.set_onabort(Some(aborted.unchecked_ref()));
    });
    JsFuture::from(promise).await.map(|_| ()).map_err(|e| error_of(&e))
}

/// The page's connection, opened (and the stores created) on first use.
async fn open() -> Result<IdbDatabase, StoreError> {
    if let Some(db) = CONNECTION.with(|c| c.borrow().clone()) {
        return Ok(db);
    }
    let factory = web_sys::window()
        .ok_or_else(|| failure("no window"))?
        .indexed_db()
        .map_err(|e| error_of(&e))?
        .ok_or_else(|| StoreError::Unavailable { detail: "this browser has no IndexedDB".into() })?;
    let req: IdbOpenDbRequest = factory.open_with_u32(DB, VERSION).map_err(|e| error_of(&e))?;
    let upgrade = Closure::once_into_js(move |e: web_sys::Event| {
        if let Some(db) = e
            .target()
            .and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok())
        {
            for store in [TEXTS, KV] {
                if !db.object_store_names().contains(store) {
                    // A failure here makes the open request fail, and its error is returned below.
                    if let Err(e) = db.create_object_store(store) {
                        web_sys::console::warn_2(&"IndexedDB store could not be created:".into(), &e);
                    }
                }
            }
        }
    });
    req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db = wait(&req).await?.dyn_into::<IdbDatabase>().map_err(|_| failure("IndexedDB did not open"))?;
    // A newer version of the app (another tab) upgrading the database: let it.
    let on_change = Closure::<dyn Fn()>::new({
        let db = db.clone();
        move || {
            db.close();
            CONNECTION.with(|c| c.borrow_mut().take());
        }
    });
    db.set_onversionchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget(); // lives as long as the connection, i.e. the page
                        // Another open that finished meanwhile wins; this one is closed.
    Ok(CONNECTION.with(|c| {
        let mut c = c.borrow_mut();
        match &*c {
            Some(first) => {
                db.close();
                first.clone()
            }
            None => {
                *c = Some(db.clone());
                db
            }
        }
    }))
}

/// Tells the browser that `tx` gets no more requests, so it commits once they are
/// done instead of when this page next runs its tasks. WebKit needs it: a page that
/// goes into the back/forward cache (the person opens the app again, say) while a
/// transaction of it waits for the page to run keeps the store locked, and the next
/// page's start-up waits for ever. (WebKit then drops that transaction's write, as
/// when a page closes mid-write: local storage holds the value, and start-up allows
/// for a copy that is behind: `annotator_core::store::durable`.) A browser without
/// `IDBTransaction.commit` commits when the requests are done, as the standard says.
fn no_more_requests(tx: &IdbTransaction) -> Result<(), StoreError> {
    let commit = Reflect::get(tx, &"commit".into()).map_err(|e| error_of(&e))?;
    match commit.dyn_ref::<Function>() {
        Some(f) => f.call0(tx).map(|_| ()).map_err(|e| error_of(&e)),
        None => Ok(()),
    }
}

/// A read-write transaction on `store` with `durability: "strict"`.
fn write_tx(db: &IdbDatabase, store: &str) -> Result<IdbTransaction, StoreError> {
    let opts = Object::new();
    Reflect::set(&opts, &"durability".into(), &"strict".into()).map_err(|e| error_of(&e))?;
    let f: Function = Reflect::get(db, &"transaction".into()).map_err(|e| error_of(&e))?.unchecked_into();
    let tx = f.call3(db, &store.into(), &"readwrite".into(), &opts).map_err(|e| error_of(&e))?;
    tx.dyn_into::<IdbTransaction>().map_err(|_| failure("no IndexedDB transaction"))
}

/// Stores `text` under `id`; `Ok` only once the write has committed.
pub async fn put_text(id: &str, text: &str) -> Result<(), StoreError> {
    let db = open().await?;
    let tx = write_tx(&db, TEXTS)?;
    let store = tx.object_store(TEXTS).map_err(|e| error_of(&e))?;
    store.put_with_key(&JsValue::from_str(text), &JsValue::from_str(id)).map_err(|e| error_of(&e))?;
    no_more_requests(&tx)?;
    committed(&tx).await
}

/// The text stored under `id`, if any.
pub async fn get_text(id: &str) -> Result<Option<String>, StoreError> {
    let db = open().await?;
    let tx = db.transaction_with_str(TEXTS).map_err(|e| error_of(&e))?;
    let store = tx.object_store(TEXTS).map_err(|e| error_of(&e))?;
    let req = store.get(&JsValue::from_str(id)).map_err(|e| error_of(&e))?;
    no_more_requests(&tx)?;
    wait(&req).await.map(|v| v.as_string())
}

/// Removes the text stored under `id` (no error if there is none).
pub async fn delete_text(id: &str) -> Result<(), StoreError> {
    let db = open().await?;
    let tx = write_tx(&db, TEXTS)?;
    let store = tx.object_store(TEXTS).map_err(|e| error_of(&e))?;
    store.delete(&JsValue::from_str(id)).map_err(|e| error_of(&e))?;
    no_more_requests(&tx)?;
    committed(&tx).await
}

/// Writes `ops` (a value, or `None`: remove) to the crash-safe copy in one
/// transaction; `Ok` once it has committed.
pub async fn write_copy(ops: &BTreeMap<String, Option<String>>) -> Result<(), StoreError> {
    let db = open().await?;
    let tx = write_tx(&db, KV)?;
    let store = tx.object_store(KV).map_err(|e| error_of(&e))?;
    for (k, v) in ops {
        let key = JsValue::from_str(k);
        match v {
            Some(v) => store.put_with_key(&JsValue::from_str(v), &key),
            None => store.delete(&key),
        }
        .map_err(|e| error_of(&e))?;
    }
    no_more_requests(&tx)?;
    committed(&tx).await
}

/// Every `(key, value)` of the crash-safe copy.
pub async fn read_copy() -> Result<Vec<(String, String)>, StoreError> {
    let db = open().await?;
    let tx = db.transaction_with_str(KV).map_err(|e| error_of(&e))?;
    let store = tx.object_store(KV).map_err(|e| error_of(&e))?;
    let keys_req = store.get_all_keys().map_err(|e| error_of(&e))?;
    let values_req = store.get_all().map_err(|e| error_of(&e))?;
    no_more_requests(&tx)?;
    let keys: js_sys::Array = wait(&keys_req).await?.unchecked_into();
    let values: js_sys::Array = wait(&values_req).await?.unchecked_into();
    Ok(keys.iter().zip(values.iter()).filter_map(|(k, v)| Some((k.as_string()?, v.as_string()?))).collect())
}
