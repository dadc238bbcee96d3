//! The app's pure core: everything the browser app decides, as data in and
//! data out, testable with `cargo test` on the host.
//!
//! * [`state`] — [`AppState`](state::AppState): the model, its history and
//!   everything the app shows about it;
//! * `reduce` — the reducer ([`AppState::reduce`](state::AppState::reduce)):
//!   every change the person or another tab makes ([`action`]), with the
//!   time, new ids and the text selection passed in the action (never read
//!   from a clock or the DOM here); its parts for links and comparisons
//!   (`reduce_link`, `reduce_compare`) put into the state what
//!   [`linking`] and [`compare`] decide on their own data;
//! * [`wording`] — how an annotation or a link is named in messages;
//! * [`import`] — which annotation file format the chosen files are, and
//!   their import against the open document;
//! * [`keymap`] — which command a key press means in the current state;
//! * [`selection`] — the DOM selection as data (UTF-16 offsets).
//!
//! The layers, each using only those below it: `reduce*`, `edits`,
//! `team_apply` → `state` → `compare`, `linking` → `wording`,
//! `undo_step`, `import`; `action` uses none of the reducer's files.
//!
//! Each item has one path, in the file that defines it (`app::state::AppState`,
//! `app::action::AppAction`): this file only declares the modules.
//!
//! The app crate wraps [`AppState`](state::AppState) for Yew and runs the
//! effects (storage, downloads, files, URL, caret geometry) at the edge.

pub mod action;
pub mod compare;
pub mod compare_csv;
mod edits;
pub mod import;
pub mod keymap;
pub mod linking;
mod reduce;
mod reduce_compare;
mod reduce_link;
pub mod selection;
pub mod state;
mod team_apply;
mod undo_step;
pub mod wording;
