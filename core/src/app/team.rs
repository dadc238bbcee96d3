//! Team sync as the reducer sees it: the state of the "Team sync" panel
//! (decided by the session, [`crate::sync::session`], and kept here as sent).
//! The team's annotations are taken in by `AppAction::TeamChanges` (the
//! rules are in the private `team_apply` module).

pub use crate::sync::session::view::{TeamStatus, TeamView};
