//! The browser edge of team sync: loading PouchDB and the bridge
//! (`assets/team-sync.js`) on first use, and calling them. What is decided
//! is in `annotator_core::sync`; this module only moves strings.

use super::{js_error_text, load_script};
use annotator_core::sync::session::Answer;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The scripts team sync needs, in load order (copied next to the app by the build).
const SCRIPTS: [&str; 2] = ["pouchdb.min.js", "team-sync.js"];

/// What the bridge puts on `globalThis`.
const BRIDGE: &str = "annotatorTeam";

fn bridge() -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &JsValue::from_str(BRIDGE)).ok().filter(|v| v.is_object())
}

fn method(name: &str) -> Result<Function, String> {
    let b = bridge().ok_or("team sync is not loaded")?;
    Reflect::get(&b, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| format!("the bridge has no {name}"))
}

/// Loads PouchDB and the bridge, once. Fails where they are not served
/// (the single-file build).
pub async fn load() -> Result<(), String> {
    if bridge().is_some() {
        return Ok(());
    }
    if gloo::utils::window().location().protocol().ok().as_deref() == Some("file:") {
        return Err("Team sync needs the served app (scripts/serve.sh or any web server): this single file cannot load PouchDB.".into());
    }
    for src in SCRIPTS {
        load_script(src).await.map_err(|e| format!("Team sync could not start: {e}. It needs the served app (scripts/serve.sh)."))?;
    }
    bridge().map(|_| ()).ok_or_else(|| "Team sync could not start: its script did not load.".into())
}

/// One request with the browser's session cookie; `Err` is a network error.
pub async fn request(http_method: &str, url: &str, body: Option<&str>) -> Result<Answer, String> {
    let f = method("request")?;
    let body = body.map(JsValue::from_str).unwrap_or(JsValue::NULL);
    let p = f.call3(&JsValue::NULL, &JsValue::from_str(http_method), &JsValue::from_str(url), &body).map_err(|e| js_error_text(&e))?;
    let v = JsFuture::from(p.dyn_into::<Promise>().map_err(|_| "not a promise")?).await.map_err(|e| js_error_text(&e))?;
    let v: serde_json::Value = serde_json::from_str(&v.as_string().unwrap_or_default()).map_err(|e| e.to_string())?;
    Ok(Answer {
        status: v.get("status").and_then(serde_json::Value::as_u64).unwrap_or(0) as u16,
        body: v.get("body").and_then(serde_json::Value::as_str).unwrap_or("").to_string(),
    })
}

/// Starts replication of the local copy `local_name` with `db_url`; the
/// closures stay alive while it runs (until [`stop`] or the next start).
pub fn start(
    local_name: &str,
    db_url: &str,
    on_batch: &Closure<dyn FnMut(String, bool)>,
    on_status: &Closure<dyn FnMut(String, String)>,
) -> Result<(), String> {
    let f = method("start")?;
    let args = js_sys::Array::of4(&JsValue::from_str(local_name), &JsValue::from_str(db_url), on_batch.as_ref(), on_status.as_ref());
    f.apply(&JsValue::NULL, &args).map(|_| ()).map_err(|e| js_error_text(&e))
}

/// Stops replication and the feed (the local copy stays).
pub fn stop() {
    if let Ok(f) = method("stop") {
        let _ = f.call0(&JsValue::NULL);
    }
}

/// Writes documents (a JSON array) to the local copy; the number written
/// and the errors.
pub async fn write(docs_json: String) -> Result<(u64, Vec<String>), String> {
    let f = method("write")?;
    let p = f.call1(&JsValue::NULL, &JsValue::from_str(&docs_json)).map_err(|e| js_error_text(&e))?;
    let v = JsFuture::from(p.dyn_into::<Promise>().map_err(|_| "not a promise")?).await.map_err(|e| js_error_text(&e))?;
    let v: serde_json::Value = serde_json::from_str(&v.as_string().unwrap_or_default()).map_err(|e| e.to_string())?;
    let written = v.get("written").and_then(serde_json::Value::as_u64).unwrap_or(0);
    let errors = v
        .get("errors")
        .and_then(serde_json::Value::as_array)
        .map(|a| a.iter().filter_map(|e| e.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    Ok((written, errors))
}
