//! Downloads a string as a file through a temporary object URL.
//!
//! Each download is started from its own hidden frame: WebKit drops a download that is
//! still starting when the same frame starts another one, so an export of several files
//! (brat's three) would keep only the last. The page's CSP allows frames only `blob:`
//! (`frame-src blob:` in index.html), which is what the link in the frame navigates to.

use wasm_bindgen::{JsCast, JsValue};

/// How long the object URL and its frame stay (Firefox needs the URL alive until the
/// download starts), in milliseconds.
const KEEP_MS: u32 = 30_000;

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
        let frame: web_sys::HtmlIFrameElement = document.create_element("iframe")?.dyn_into()?;
        frame.set_attribute("hidden", "")?;
        frame.set_title("download");
        document.body().ok_or("no body")?.append_child(&frame)?;
        let started = (|| -> Result<(), JsValue> {
            let inner = frame.content_document().ok_or("no document in the download frame")?;
            // The frame's own HTMLAnchorElement, not this window's: no `dyn_into` across windows.
            let a: web_sys::HtmlAnchorElement = inner.create_element("a")?.unchecked_into();
            a.set_href(&url);
            a.set_download(file_name);
            inner.body().ok_or("no body in the download frame")?.append_child(&a)?;
            a.click();
            Ok(())
        })();
        if started.is_err() {
            let _ = web_sys::Url::revoke_object_url(&url);
            frame.remove();
            return started;
        }
        gloo::timers::callback::Timeout::new(KEEP_MS, move || {
            let _ = web_sys::Url::revoke_object_url(&url);
            frame.remove();
        })
        .forget();
        Ok(())
    };
    run().map_err(|e| super::js_error_text(&e))
}
