//! IndexedDB storage for texts too large for local storage (several MB).
//! One database `text-annotator`, one object store `texts`, keyed by document id.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode};

const DB: &str = "text-annotator";
const STORE: &str = "texts";

/// Resolves when `req` succeeds (with its result) or fails (with its error).
async fn wait(req: &IdbRequest) -> Result<JsValue, String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let r2 = req.clone();
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &r2.result().unwrap_or(JsValue::UNDEFINED));
        });
        let r3 = req.clone();
        let err = Closure::once_into_js(move |_: web_sys::Event| {
            let msg = r3.error().ok().flatten().map(|e| format!("{}: {}", e.name(), e.message())).unwrap_or_else(|| "unknown error".into());
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&msg));
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(err.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(|e| e.as_string().unwrap_or_else(|| "IndexedDB request failed".into()))
}

/// Resolves when `tx` has committed, or fails with why it aborted. A write
/// is durable only then: a request can succeed and its transaction still
/// abort (a full quota is reported at commit).
async fn committed(tx: &IdbTransaction) -> Result<(), String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        // Every failure (a failed request included) ends in `abort`.
        let t2 = tx.clone();
        let aborted = Closure::once_into_js(move |_: web_sys::Event| {
            let msg = t2.error().map(|e| format!("{}: {}", e.name(), e.message())).unwrap_or_else(|| "the write was aborted".into());
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&msg));
        });
        tx.set_oncomplete(Some(ok.unchecked_ref()));
        tx.set_onabort(Some(aborted.unchecked_ref()));
    });
    JsFuture::from(promise).await.map(|_| ()).map_err(|e| e.as_string().unwrap_or_else(|| "IndexedDB transaction failed".into()))
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()
        .map_err(|e| format!("IndexedDB is disabled ({})", super::js_error_text(&e)))?
        .ok_or("this browser has no IndexedDB")?;
    let req: IdbOpenDbRequest = factory.open_with_u32(DB, 1).map_err(|e| super::js_error_text(&e))?;
    let upgrade = Closure::once_into_js(move |e: web_sys::Event| {
        if let Some(db) = e
            .target()
            .and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok())
        {
            if !db.object_store_names().contains(STORE) {
                // A failure here makes the open request fail, and its error is returned below.
                if let Err(e) = db.create_object_store(STORE) {
                    web_sys::console::warn_2(&"IndexedDB store could not be created:".into(), &e);
                }
            }
        }
    });
    req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db = wait(&req).await?;
    db.dyn_into::<IdbDatabase>().map_err(|_| "IndexedDB did not open".to_string())
}

/// Stores `text` under `id`; `Ok` only once the write has committed.
pub async fn put_text(id: &str, text: &str) -> Result<(), String> {
    let db = open().await?;
    let result = async {
        let tx = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite).map_err(|e| super::js_error_text(&e))?;
        let store = tx.object_store(STORE).map_err(|e| super::js_error_text(&e))?;
        store.put_with_key(&JsValue::from_str(text), &JsValue::from_str(id)).map_err(|e| super::js_error_text(&e))?;
        committed(&tx).await
    }
    .await;
    db.close();
    result
}

/// The text stored under `id`, if any.
pub async fn get_text(id: &str) -> Result<Option<String>, String> {
    let db = open().await?;
    let tx = db.transaction_with_str(STORE).map_err(|e| super::js_error_text(&e))?;
    let store = tx.object_store(STORE).map_err(|e| super::js_error_text(&e))?;
    let req = store.get(&JsValue::from_str(id)).map_err(|e| super::js_error_text(&e));
    let result = match req {
        Ok(req) => wait(&req).await.map(|v| v.as_string()),
        Err(e) => Err(e),
    };
    db.close();
    result
}

/// Removes the text stored under `id` (no error if there is none).
pub async fn delete_text(id: &str) -> Result<(), String> {
    let db = open().await?;
    let result = async {
        let tx = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite).map_err(|e| super::js_error_text(&e))?;
        let store = tx.object_store(STORE).map_err(|e| super::js_error_text(&e))?;
        store.delete(&JsValue::from_str(id)).map_err(|e| super::js_error_text(&e))?;
        committed(&tx).await
    }
    .await;
    db.close();
    result
}
