//! Downloads a string as a file through a temporary object URL.

use wasm_bindgen::{JsCast, JsValue};

/// Offers `contents` for download as `file_name` with MIME type `mime`.
pub fn download_text(file_name: &str, mime: &str, contents: &str) -> Result<(), String> {
    let run = || -> Result<(), JsValue> {
        let window = web_sys::window().ok_or("no window")?;
        let document = window.document().ok_or("no document")?;
        let parts = js_sys::Array::of1(&JsValue::from_str(contents));
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type(mime);
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)?;
        let url = web_sys::Url::create_object_url_with_blob(&blob)?;
        let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
        a.set_href(&url);
        a.set_download(file_name);
        a.set_attribute("hidden", "")?;
        let body = document.body().ok_or("no body")?;
        body.append_child(&a)?;
        a.click();
        a.remove();
        // Revoke later: Firefox needs the URL alive until the download starts.
        let url2 = url.clone();
        gloo::timers::callback::Timeout::new(30_000, move || {
            let _ = web_sys::Url::revoke_object_url(&url2);
        })
        .forget();
        Ok(())
    };
    run().map_err(|e| super::js_error_text(&e))
}
