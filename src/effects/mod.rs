//! Effects at the edge: everything that turns state into browser calls
//! (storage, downloads, files, the URL) and browser events into actions.
//! The reducer (`annotator_core::app`) never calls them.
//!
//! * [`session`] — this tab's storage session (tab id, the open document's
//!   record and journals, the library's write guard) and opening documents;
//! * [`library`] — document operations: open, add, rename, delete and undo
//!   it, restore the sample, export and restore the whole library;
//! * [`files`] — reading chosen or dropped files, imports and exports;
//! * [`team`] — team sync: connecting, replication, records in and out.

pub mod files;
pub mod library;
pub mod session;
pub mod team;

use crate::state::Dispatch;

/// What an effect needs to report back and reach storage.
#[derive(Clone)]
pub struct Ctx {
    pub dispatch: Dispatch,
    pub session: session::Session,
}
