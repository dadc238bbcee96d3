//! The rare parts (`rare/`, a second wasm module), loaded the first time a
//! person uses one of them: `assets/rare-loader.js` defines
//! `annotatorLoadRare()`, which imports the module and resolves to its
//! exports (the single-file build defines it from the module inlined in the
//! page). After that, calls are synchronous: a JSON request in, a JSON
//! answer out (`annotator_core::lazy`). This module only moves strings.

use super::{js_error_text, load_script};
use js_sys::{Function, Promise, Reflect};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The loader script, copied next to the app by the build.
const LOADER_SCRIPT: &str = "rare-loader.js";
/// The function the loader defines on `globalThis`.
const LOADER: &str = "annotatorLoadRare";

thread_local! {
    static LOADED: RefCell<Option<Rare>> = const { RefCell::new(None) };
}

/// The loaded module.
#[derive(Clone)]
pub struct Rare {
    exports: JsValue,
}

impl Rare {
    fn export(&self, name: &str) -> Result<Function, String> {
        Reflect::get(&self.exports, &JsValue::from_str(name))
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .ok_or_else(|| format!("the loaded part has no {name} (an older copy of the app? reload the page)"))
    }

    /// Calls the module's export `name` with `request`; its answer.
    pub fn call(&self, name: &str, request: &str) -> Result<String, String> {
        let answer = self.export(name)?.call1(&JsValue::NULL, &JsValue::from_str(request)).map_err(|e| js_error_text(&e))?;
        answer.as_string().ok_or_else(|| format!("{name} did not answer with text"))
    }

    /// [`Rare::call`] with files' bytes beside the request (an array of `Uint8Array`).
    pub fn call_with_files<'a>(&self, name: &str, request: &str, files: impl Iterator<Item = &'a [u8]>) -> Result<String, String> {
        let array: js_sys::Array = files.map(|b| JsValue::from(js_sys::Uint8Array::from(b))).collect();
        let answer = self.export(name)?.call2(&JsValue::NULL, &JsValue::from_str(request), &array).map_err(|e| js_error_text(&e))?;
        answer.as_string().ok_or_else(|| format!("{name} did not answer with text"))
    }
}

/// The module if it is loaded already (no "Loading…" to show).
pub fn loaded() -> Option<Rare> {
    LOADED.with(|l| l.borrow().clone())
}

fn loader() -> Option<Function> {
    Reflect::get(&js_sys::global(), &JsValue::from_str(LOADER)).ok().and_then(|f| f.dyn_into::<Function>().ok())
}

/// Loads the module once (later calls get the same); an error is a sentence
/// saying what could not be loaded. A failed load is tried again next time.
pub async fn load() -> Result<Rare, String> {
    if let Some(rare) = loaded() {
        return Ok(rare);
    }
    if loader().is_none() {
        load_script(LOADER_SCRIPT).await?;
    }
    let load = loader().ok_or_else(|| format!("{LOADER_SCRIPT} did not define {LOADER}"))?;
    let promise = load.call0(&JsValue::NULL).map_err(|e| js_error_text(&e))?;
    let promise = promise.dyn_into::<Promise>().map_err(|_| format!("{LOADER} did not return a promise"))?;
    let exports = JsFuture::from(promise).await.map_err(|e| js_error_text(&e))?;
    let rare = Rare { exports };
    LOADED.with(|l| *l.borrow_mut() = Some(rare.clone()));
    Ok(rare)
}
