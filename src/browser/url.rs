//! The `#doc=<id>` deep link: which document the URL names.

/// The document id named by the URL (`#doc=<id>`), if any.
pub fn hash_doc_id() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let id = hash.strip_prefix("#doc=")?;
    annotator_core::store::library::valid_doc_id(id).then(|| id.to_string())
}

/// Points the URL at document `id`: a new history entry (`push`) or in place.
/// The URL is a convenience (reload and back/forward keep the place): when
/// the browser refuses (a sandboxed `file://` page), the reason is returned
/// and the app works on without it.
pub fn set_hash(id: &str, push: bool) -> Result<(), String> {
    let Some(w) = web_sys::window() else { return Ok(()) };
    if hash_doc_id().as_deref() == Some(id) {
        return Ok(());
    }
    let h = w.history().map_err(|e| super::js_error_text(&e))?;
    let url = format!("#doc={id}");
    let r = if push {
        h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    } else {
        h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    };
    r.map_err(|e| super::js_error_text(&e))
}
