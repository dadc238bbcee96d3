//! The annotator web app. Layers (see `../shared/DESIGN.md`):
//! * `annotator_core` — the pure model (offsets, annotations, reducer, formats);
//! * [`browser`] — the only code touching web-sys/gloo: selection, storage,
//!   downloads, file reading, clock;
//! * [`state`] — the app's reducer: wraps the model's and turns refusals into messages;
//! * [`components`] — Yew function components, one per file.

pub mod browser;
pub mod components;
pub mod docs;
pub mod keys;
pub mod library_ops;
pub mod state;

/// The default article, shipped inside the app.
pub const SEED_TEXT: &str = include_str!("../assets/seed-article.txt");
/// Title of the default article.
pub const SEED_TITLE: &str = "Pakistan's defence minister on the Afghan Taliban (sample article)";
/// File-name stem of the default article's downloads.
pub const SEED_NAME: &str = "seed-article";

/// Mounts the app on `<body>`.
pub fn run() {
    yew::Renderer::<components::app::App>::new().render();
}
