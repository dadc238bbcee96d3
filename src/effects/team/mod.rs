//! Team sync's effects: connecting (the checks of
//! `annotator_core::sync::connect`, in order, before anything is stored),
//! running replication through the bridge (`crate::browser::team`), and
//! moving records between it and the app. Every decision is the
//! [`Replica`](annotator_core::sync::Replica)'s; this module only carries its inputs and outputs.
//!
//! * `state` — this page's [`Team`] and the helpers every part uses;
//! * `connect` — connecting, starting and stopping, replication's state;
//! * `records` — records in and out, catching up and sharing a document.

mod connect;
mod records;
mod state;

pub use connect::{boot, connect, disconnect, forget, set_open};
pub use records::{on_model, share};
pub use state::{Team, TeamRef};
