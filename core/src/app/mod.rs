//! The app's pure core: everything the browser app decides, as data in and
//! data out, testable with `cargo test` on the host.
//!
//! * [`state`] — [`AppState`](state::AppState) and the reducer
//!   ([`AppState::reduce`](state::AppState::reduce)): every change the person
//!   or another tab makes, with the time, new ids and the text selection
//!   passed in the action (never read from a clock or the DOM here);
//! * [`import`] — which annotation file format the chosen files are, and
//!   their import against the open document;
//! * [`keymap`] — which command a key press means in the current state;
//! * [`selection`] — the DOM selection as data (UTF-16 offsets).
//!
//! The app crate wraps [`AppState`](state::AppState) for Yew and runs the
//! effects (storage, downloads, files, URL, caret geometry) at the edge.

pub mod action;
pub mod compare;
pub mod compare_csv;
mod edits;
pub mod import;
pub mod keymap;
mod linking;
mod reduce;
pub mod selection;
pub mod state;
mod team_apply;

pub use action::AppAction;
pub use linking::{describe_link, Linking};
pub use selection::SelectionRead;
pub use state::{AppState, DetailsUndo, Opened, PendingImport, SaveStatus};
