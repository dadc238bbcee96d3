//! The annotator's rare parts: a second wasm module that the app loads the
//! first time a person uses one of them (`src/browser/rare.rs` in the app),
//! so that the first visit does not download them. Each export takes a
//! JSON request and returns a JSON answer, both typed in
//! `annotator_core::lazy`; nothing here decides anything.

use wasm_bindgen::prelude::*;

/// The files of a rare format (`annotator_core::lazy::export`).
#[wasm_bindgen]
pub fn export_files(request: &str) -> String {
    annotator_core::lazy::export::answer_export(request)
}

/// Annotation files read onto the open text, for an import or a comparison
/// (`annotator_core::lazy::import`); `files` holds each file's bytes
/// (`Uint8Array`), in the order of the request's names.
#[wasm_bindgen]
pub fn import_files(request: &str, files: Vec<JsValue>) -> String {
    let bytes = files.iter().map(|f| js_sys::Uint8Array::new(f).to_vec()).collect();
    annotator_core::lazy::import::answer_import(request, bytes)
}
