//! What the "Team sync" panel shows: where sync stands, the last refusal or
//! error, the settings in use and how many records were skipped. The
//! session ([`super::Session`]) keeps it and sends it out when it changes
//! ([`super::Command::View`]); the reducer keeps the last one sent.

use crate::sync::connect::Settings;

/// Where team sync stands (the role=status line says it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TeamStatus {
    #[default]
    Off,
    Connecting,
    Syncing,
    Synced,
    Offline,
    /// Stopped by an error (the panel's alert says which).
    Failed,
}

impl TeamStatus {
    /// The words of the status line.
    pub fn text(self) -> &'static str {
        match self {
            TeamStatus::Off => "Not connected",
            TeamStatus::Connecting => "Connecting…",
            TeamStatus::Syncing => "Syncing…",
            TeamStatus::Synced => "Synced",
            TeamStatus::Offline => "Offline — changes are kept and will be sent",
            TeamStatus::Failed => "Not connected",
        }
    }

    /// Whether sync runs (the form offers Disconnect).
    pub fn running(self) -> bool {
        matches!(self, TeamStatus::Syncing | TeamStatus::Synced | TeamStatus::Offline)
    }
}

/// The "Team sync" panel's state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TeamView {
    pub open: bool,
    pub status: TeamStatus,
    /// The last refusal or error, for the alert.
    pub error: Option<String>,
    /// The settings in use or last used (the form's defaults; which documents are shared).
    pub settings: Option<Settings>,
    /// Records skipped in this run because this app did not write them.
    pub foreign: usize,
}

impl TeamView {
    /// Whether document `id` is shared with the team.
    pub fn is_shared(&self, id: &str) -> bool {
        self.settings.as_ref().is_some_and(|s| s.shared.contains(id))
    }
}
