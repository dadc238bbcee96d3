//! The annotator web app. Layers (docs/architecture.md has the picture):
//! * `annotator_core` — the pure model (offsets, annotations, formats, the
//!   storage policy in `store`) and the app's pure core in `app` (the
//!   reducer, the keymap, the import decision), all host-tested;
//! * [`browser`] — thin glue, the only code touching web-sys/gloo: selection,
//!   caret geometry, local storage get/set/remove, IndexedDB, files, URL, downloads;
//! * [`effects`] — effect modules: this tab's storage session, document
//!   operations, files in and out;
//! * [`hooks`] — `use_*` hooks: autosave, other tabs and navigation, keys, the render plan;
//! * [`state`] — the reducer wrapped for Yew;
//! * [`components`] — Yew function components, one per file; `app` is layout and wiring.

#![cfg_attr(not(test), warn(clippy::string_slice))]

pub mod browser;
pub mod components;
pub mod effects;
pub mod hooks;
pub mod state;

/// The default article, shipped inside the app.
pub const SEED_TEXT: &str = include_str!("../assets/seed-article.txt");
/// Title of the default article.
pub const SEED_TITLE: &str = "Pakistan's defence minister on the Afghan Taliban (sample article)";
/// File-name stem of the default article's downloads.
pub const SEED_NAME: &str = "seed-article";

/// Mounts the app on `<body>`; in a browser without `Intl.Segmenter`, which finds the
/// characters and words of a text for the model (`annotator_core::text::boundaries`), says so.
pub fn run() {
    if !annotator_core::text::boundaries::available() {
        if let Some(body) = gloo::utils::document().body() {
            body.set_text_content(Some(
                "This annotator needs a newer browser: Firefox 125, Chrome 87, Safari 14.1 or later (for Intl.Segmenter).",
            ));
        }
        return;
    }
    yew::Renderer::<components::app::App>::new().render();
}
