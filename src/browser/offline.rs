//! Offline use: registers the service worker (`assets/sw.js`) and tells the page when it runs
//! a new version of the app.
//!
//! The build's version is `<meta name="annotator-version" content="…">`, which
//! `scripts/post_build.py` writes into `dist/index.html` (and the same value into `sw.js`).
//! Builds without it (the single file, `cargo test`) have no service worker and no version
//! messages: the same hook that writes the meta is the one that makes `sw.js` usable.
//!
//! * [`Update::Loaded`]: this page runs another version than the last visit did (the service
//!   worker fetches pages network-first, so a new deployment arrives on the next visit).
//! * [`Update::Available`]: this page came from the cache (offline or a slow network) and a
//!   service worker of another version has since taken over; a reload shows the new version.

use gloo::events::EventListener;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Local storage key of the version the last page ran (outside the documents' key prefix).
pub const VERSION_KEY: &str = "text-annotator.app-version";
/// The message `sw.js` posts to its pages when it activates: `{type, version}`.
const ACTIVATED: &str = "annotator-sw-activated";

/// What the page should tell the person about versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Update {
    /// This page is a newer (other) version than the one used on the last visit.
    Loaded,
    /// A new version was downloaded while this (older) page runs; reloading shows it.
    Available,
}

/// The version of the running page, from `<meta name="annotator-version">`; `None` when absent.
pub fn page_version() -> Option<String> {
    let meta = gloo::utils::document().query_selector(r#"meta[name="annotator-version"]"#).ok()??;
    meta.get_attribute("content").filter(|v| !v.is_empty())
}

/// Remembers `current` as the last version run and returns whether a different one ran before.
/// A first visit, or unavailable storage, gives `false`.
fn remember_version(current: &str) -> bool {
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else { return false };
    let previous = storage.get_item(VERSION_KEY).ok().flatten();
    if previous.as_deref() != Some(current) {
        // Not remembered (storage full): the next visit says "new version" again; harmless.
        if let Err(e) = storage.set_item(VERSION_KEY, current) {
            web_sys::console::warn_2(&"the app version could not be remembered:".into(), &e);
        }
    }
    previous.is_some_and(|p| p != current)
}

/// Whether the page was loaded over http(s): service workers are never registered from
/// `file://` (the single-file build) or other schemes.
fn served_over_http() -> bool {
    let protocol = web_sys::window().and_then(|w| w.location().protocol().ok()).unwrap_or_default();
    protocol == "http:" || protocol == "https:"
}

/// In a build with a version (see the module doc): reports version news through `on_update`
/// (at once for [`Update::Loaded`], later for [`Update::Available`]) and, when served over
/// http(s) in a browser with service workers (secure contexts only: https or localhost),
/// registers `./sw.js`, relative to the page, so its scope is the directory the app is hosted
/// in. Failures only go to the console: the app works the same without offline support.
/// Call once per page.
pub fn register(on_update: impl Fn(Update) + 'static) {
    let Some(version) = page_version() else { return };
    if remember_version(&version) {
        on_update(Update::Loaded);
    }
    if !served_over_http() {
        return;
    }
    let Some(window) = web_sys::window() else { return };
    let navigator = window.navigator();
    // `navigator.serviceWorker` is undefined in insecure contexts and some private modes.
    let has_sw = js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker")).is_ok_and(|v| !v.is_undefined());
    if !has_sw {
        return;
    }
    let container = navigator.service_worker();

    EventListener::new(&container, "message", move |event| {
        let Some(data) = event.dyn_ref::<web_sys::MessageEvent>().map(|e| e.data()) else { return };
        let field = |name: &str| js_sys::Reflect::get(&data, &JsValue::from_str(name)).ok().and_then(|v| v.as_string());
        if field("type").as_deref() == Some(ACTIVATED) && field("version").is_some_and(|v| v != version) {
            on_update(Update::Available);
        }
    })
    .forget(); // for the page's lifetime
               // Messages that arrived before the listener are queued until now (web-sys lacks startMessages).
    if let Ok(start) = js_sys::Reflect::get(&container, &JsValue::from_str("startMessages")) {
        if let Some(start) = start.dyn_ref::<js_sys::Function>() {
            let _ = start.call0(&container);
        }
    }

    // The worker's install fetches every file of the app (the rare parts and team sync
    // included): only once the page has loaded, so it never competes with the first visit's
    // own downloads.
    let register = move || {
        let on_error: Closure<dyn FnMut(JsValue)> = Closure::once(|e: JsValue| {
            web_sys::console::warn_2(&JsValue::from_str("Offline use is unavailable: the service worker was not registered:"), &e);
        });
        let _ = container.register("./sw.js").catch(&on_error);
        on_error.forget(); // called at most once, when the registration fails
    };
    if gloo::utils::document().ready_state() == "complete" {
        register();
    } else {
        EventListener::once(&window, "load", move |_| register()).forget();
    }
}
