//! Rules 1–4 of the session: connecting (the checks in order), resuming,
//! starting and stopping a run, and what replication says about itself.

use super::view::TeamStatus;
use super::{Answer, Candidate, Command, Phase, Run, Session, Step};
use crate::sync::connect::{check_database, check_login, check_welcome, Refused, Settings};
use crate::sync::replica::Replica;
use std::collections::HashMap;

impl Session {
    /// Rule 1: the form is checked, then the scripts load.
    pub(super) fn connect(&mut self, url: &str, db: &str, user: &str, password: String, out: &mut Vec<Command>) {
        let settings = match Settings::new(url, db, user, &password) {
            Ok(s) => s,
            Err(e) => return self.fail(e.to_string()),
        };
        self.end_run(out);
        self.view.status = TeamStatus::Connecting;
        self.view.error = None;
        let ticket = self.next();
        self.phase = Phase::Checking { ticket, step: Step::Load, candidate: Some(Candidate { settings, password }) };
        out.push(Command::LoadBridge { ticket });
    }

    /// Rule 2: sync was on when the page was left.
    pub(super) fn resume(&mut self, out: &mut Vec<Command>) {
        self.view.status = TeamStatus::Connecting;
        let ticket = self.next();
        self.phase = Phase::Checking { ticket, step: Step::Load, candidate: None };
        out.push(Command::LoadBridge { ticket });
    }

    /// Asks the next question of the checks.
    fn ask(
        &mut self,
        step: Step,
        candidate: Option<Candidate>,
        method: &'static str,
        url: String,
        body: Option<String>,
        out: &mut Vec<Command>,
    ) {
        let ticket = self.next();
        self.phase = Phase::Checking { ticket, step, candidate };
        out.push(Command::Request { ticket: Some(ticket), method, url, body });
    }

    /// Takes the phase out if it waits for `ticket`.
    fn take_checking(&mut self, ticket: u64) -> Option<(Step, Option<Candidate>)> {
        match &self.phase {
            Phase::Checking { ticket: t, .. } if *t == ticket => {}
            _ => return None,
        }
        match std::mem::replace(&mut self.phase, Phase::Idle) {
            Phase::Checking { step, candidate, .. } => Some((step, candidate)),
            _ => None,
        }
    }

    pub(super) fn loaded(&mut self, ticket: u64, result: Result<(), String>, out: &mut Vec<Command>) {
        let Some((Step::Load, candidate)) = self.take_checking(ticket) else { return };
        if let Err(e) = result {
            return self.fail(e);
        }
        match candidate {
            Some(c) => {
                let url = format!("{}/", c.settings.url);
                self.ask(Step::Welcome, Some(c), "GET", url, None, out);
            }
            None => {
                let Some(url) = self.settings.as_ref().map(|s| s.db_url()) else { return };
                self.ask(Step::Database { signed_in: false }, None, "GET", url, None, out);
            }
        }
    }

    pub(super) fn answered(&mut self, ticket: u64, result: Result<Answer, String>, out: &mut Vec<Command>) {
        let Some((step, candidate)) = self.take_checking(ticket) else { return };
        match candidate {
            Some(c) => self.checked(step, c, result, out),
            None => self.resumed(result, out),
        }
    }

    /// Rule 2: the database's answer on resuming.
    fn resumed(&mut self, result: Result<Answer, String>, out: &mut Vec<Command>) {
        let Some(settings) = &self.settings else { return };
        match result {
            Ok(a) if a.status != 200 => {
                let why = check_database(settings, !settings.user.is_empty(), a.status).err().map(|e| e.to_string()).unwrap_or_default();
                self.fail(format!("{why} Connect again to go on syncing; your work here is kept."));
            }
            // In, or unreachable: offline first, the local copy takes the work and replication retries.
            _ => self.start(out),
        }
    }

    /// Rule 1, steps 2–4 (the server, the person, the database).
    fn checked(&mut self, step: Step, c: Candidate, result: Result<Answer, String>, out: &mut Vec<Command>) {
        let a = match result {
            Ok(a) => a,
            Err(detail) => return self.fail(Refused::Unreachable { url: c.settings.url.clone(), detail }.to_string()),
        };
        match step {
            Step::Load => {}
            Step::Welcome => {
                if let Err(e) = check_welcome(&c.settings.url, a.status, &a.body) {
                    return self.fail(e.to_string());
                }
                if c.settings.user.is_empty() {
                    let url = c.settings.db_url();
                    self.ask(Step::Database { signed_in: false }, Some(c), "GET", url, None, out);
                } else {
                    let body = serde_json::json!({ "name": c.settings.user, "password": c.password }).to_string();
                    let url = format!("{}/_session", c.settings.url);
                    self.ask(Step::Login, Some(c), "POST", url, Some(body), out);
                }
            }
            Step::Login => {
                if let Err(e) = check_login(a.status, &a.body) {
                    return self.fail(e.to_string());
                }
                let url = c.settings.db_url();
                let signed_in = Candidate { settings: c.settings, password: String::new() };
                self.ask(Step::Database { signed_in: true }, Some(signed_in), "GET", url, None, out);
            }
            Step::Database { signed_in } => match check_database(&c.settings, signed_in, a.status) {
                Err(e) => {
                    if signed_in {
                        // Leave no session behind for a database this person may not use.
                        out.push(Command::Request {
                            ticket: None,
                            method: "DELETE",
                            url: format!("{}/_session", c.settings.url),
                            body: None,
                        });
                    }
                    self.fail(e.to_string());
                }
                Ok(()) => {
                    let mut settings = c.settings;
                    // The same team as before keeps its lists of shared and left documents.
                    if let Some(old) = self.settings.as_ref().filter(|o| o.url == settings.url && o.db == settings.db) {
                        settings.shared = old.shared.clone();
                        settings.left = old.left.clone();
                    }
                    settings.on = true;
                    self.settings = Some(settings);
                    self.save_settings(out);
                    self.start(out);
                }
            },
        }
    }

    /// Rule 3: a new run with a fresh replica.
    fn start(&mut self, out: &mut Vec<Command>) {
        let Some((local_name, db_url)) = self.settings.as_ref().map(|s| (s.local_name(), s.db_url())) else { return };
        match Replica::new(&self.tab) {
            Err(e) => {
                self.phase = Phase::Idle;
                self.fail(format!("Team sync could not start: {e}."));
            }
            Ok(replica) => {
                let run = self.next();
                self.phase = Phase::Running(Box::new(Run {
                    id: run,
                    replica,
                    ready: false,
                    caught_up: None,
                    catching_up: None,
                    in_flight: HashMap::new(),
                }));
                self.view.foreign = 0;
                out.push(Command::StartReplication { run, local_name, db_url });
            }
        }
    }

    pub(super) fn started(&mut self, run: u64, result: Result<(), String>) {
        if self.run() != Some(run) {
            return;
        }
        match result {
            Ok(()) => {
                self.view.status = TeamStatus::Syncing;
                self.view.error = None;
            }
            Err(e) => {
                self.phase = Phase::Idle;
                self.fail(format!("Team sync could not start: {e}."));
            }
        }
    }

    /// Ends a run (or the checks under way): nothing late of it counts.
    fn end_run(&mut self, out: &mut Vec<Command>) {
        if matches!(self.phase, Phase::Running(_)) {
            out.push(Command::StopReplication);
        }
        self.phase = Phase::Idle;
    }

    /// Rule 3: "Disconnect" stops the run, keeps the settings (not on) and signs out.
    pub(super) fn disconnect(&mut self, out: &mut Vec<Command>) {
        out.push(Command::StopReplication);
        self.phase = Phase::Idle;
        if let Some(s) = self.settings.as_mut() {
            s.on = false;
        }
        self.save_settings(out);
        self.view.status = TeamStatus::Off;
        self.view.error = None;
        if let Some(s) = &self.settings {
            // Signing out is a courtesy to the server: sync is off either way.
            out.push(Command::Request { ticket: None, method: "DELETE", url: format!("{}/_session", s.url), body: None });
        }
    }

    /// Rule 4: replication's state.
    pub(super) fn status(&mut self, run: u64, kind: &str, detail: &str, out: &mut Vec<Command>) {
        if self.run() != Some(run) {
            return;
        }
        let refused = detail.starts_with("401") || detail.starts_with("403");
        match kind {
            "active" => self.view.status = TeamStatus::Syncing,
            "paused" if detail.is_empty() => {
                self.view.status = TeamStatus::Synced;
                self.view.error = None;
            }
            "paused" if !refused => self.view.status = TeamStatus::Offline,
            "denied" => self.view.error = Some(format!("The server refused a change: {detail}.")),
            _ if refused => {
                self.end_run(out);
                self.fail(
                    "The server no longer accepts this session (signed out, or not a member any more). Connect again; your work here is kept."
                        .into(),
                );
            }
            _ => {
                self.view.status = TeamStatus::Offline;
                self.view.error = Some(format!("Sync paused by an error: {detail}. It will be tried again."));
            }
        }
    }
}
