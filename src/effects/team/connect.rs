//! Connecting (the checks of `annotator_core::sync::connect`, in order,
//! before anything is stored), starting and stopping replication, and what
//! replication says about itself.

use super::records::on_batch;
use super::state::{fail, save_settings, set_view, Batch, Status, TeamRef};
use crate::browser::{storage, team as bridge};
use crate::effects::Ctx;
use annotator_core::app::team::TeamStatus;
use annotator_core::sync::connect::{check_database, check_login, check_welcome, Refused, Settings, SETTINGS_KEY};
use annotator_core::sync::Replica;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::spawn_local;

/// A shared document was deleted from this browser's list: it stays with
/// the team, and is not added here again unless shared again.
pub fn forget(team: &TeamRef, ctx: &Ctx, id: &str) {
    let changed = {
        let mut t = team.borrow_mut();
        t.settings.as_mut().is_some_and(|s| s.shared.remove(id) && s.left.insert(id.to_string()))
    };
    if changed {
        save_settings(team, ctx);
    }
}

/// Opens or closes the panel.
pub fn set_open(team: &TeamRef, ctx: &Ctx, open: bool) {
    set_view(team, ctx, |v| v.open = open);
}

/// On start: the stored settings, and sync resumed if it was on.
pub fn boot(team: &TeamRef, ctx: &Ctx) {
    let stored = storage::get(SETTINGS_KEY).ok().flatten().and_then(|s| Settings::from_json(&s));
    let Some(settings) = stored else { return };
    let on = settings.on;
    team.borrow_mut().settings = Some(settings.clone());
    set_view(team, ctx, |v| v.settings = Some(settings));
    if on {
        let (team, ctx) = (team.clone(), ctx.clone());
        spawn_local(async move { resume(&team, &ctx).await });
    }
}

/// Sync was on when the page was left: start again with the session cookie
/// the browser keeps. Offline, work goes on in the local copy.
pub(super) async fn resume(team: &TeamRef, ctx: &Ctx) {
    let Some(settings) = team.borrow().settings.clone() else { return };
    set_view(team, ctx, |v| v.status = TeamStatus::Connecting);
    if let Err(e) = bridge::load().await {
        return fail(team, ctx, TeamStatus::Failed, e);
    }
    match bridge::request("GET", &settings.db_url(), None).await {
        Ok(a) if a.status == 200 => start(team, ctx),
        Ok(a) => {
            let why = check_database(&settings, !settings.user.is_empty(), a.status).err().map(|e| e.to_string()).unwrap_or_default();
            fail(team, ctx, TeamStatus::Failed, format!("{why} Connect again to go on syncing; your work here is kept."));
        }
        // Unreachable: offline first — the local copy takes the work, replication retries.
        Err(_) => start(team, ctx),
    }
}

/// "Connect": checks the form, the server, the person and the database, in
/// that order; only then is anything kept or started.
pub fn connect(team: &TeamRef, ctx: &Ctx, url: String, db: String, user: String, password: String) {
    let (team, ctx) = (team.clone(), ctx.clone());
    spawn_local(async move {
        let mut settings = match Settings::new(&url, &db, &user, &password) {
            Ok(s) => s,
            Err(e) => return fail(&team, &ctx, TeamStatus::Failed, e.to_string()),
        };
        set_view(&team, &ctx, |v| {
            v.status = TeamStatus::Connecting;
            v.error = None;
        });
        if let Err(e) = bridge::load().await {
            return fail(&team, &ctx, TeamStatus::Failed, e);
        }
        if let Err(e) = check_server(&settings, &password).await {
            return fail(&team, &ctx, TeamStatus::Failed, e.to_string());
        }
        // The same team as before keeps its list of shared documents.
        if let Some(old) = team.borrow().settings.as_ref().filter(|o| o.url == settings.url && o.db == settings.db) {
            settings.shared = old.shared.clone();
        }
        settings.on = true;
        team.borrow_mut().settings = Some(settings);
        save_settings(&team, &ctx);
        start(&team, &ctx);
    });
}

/// Steps 2–4 of the checks. A session opened for a refused database is closed again.
pub(super) async fn check_server(settings: &Settings, password: &str) -> Result<(), Refused> {
    let unreachable = |detail: String| Refused::Unreachable { url: settings.url.clone(), detail };
    let welcome = bridge::request("GET", &format!("{}/", settings.url), None).await.map_err(unreachable)?;
    check_welcome(&settings.url, welcome.status, &welcome.body)?;
    let signed_in = !settings.user.is_empty();
    if signed_in {
        let body = serde_json::json!({ "name": settings.user, "password": password }).to_string();
        let login = bridge::request("POST", &format!("{}/_session", settings.url), Some(&body)).await.map_err(unreachable)?;
        check_login(login.status, &login.body)?;
    }
    let db = bridge::request("GET", &settings.db_url(), None).await.map_err(unreachable)?;
    let checked = check_database(settings, signed_in, db.status);
    if checked.is_err() && signed_in {
        // Leave no session behind for a database this person may not use.
        let _ = bridge::request("DELETE", &format!("{}/_session", settings.url), None).await;
    }
    checked
}

/// Starts replication and the feed with a fresh replica.
pub(super) fn start(team: &TeamRef, ctx: &Ctx) {
    let Some(settings) = team.borrow().settings.clone() else { return };
    let replica = match Replica::new(ctx.session.tab()) {
        Ok(r) => r,
        Err(e) => return fail(team, ctx, TeamStatus::Failed, format!("Team sync could not start: {e}.")),
    };
    let run = {
        let mut t = team.borrow_mut();
        t.run += 1;
        t.replica = Some(replica);
        t.ready = false;
        t.reconciled = None;
        t.run
    };
    let on_batch: Batch = {
        let (team, ctx) = (team.clone(), ctx.clone());
        Closure::new(move |json: String, initial: bool| on_batch(&team, &ctx, run, &json, initial))
    };
    let on_status: Status = {
        let (team, ctx) = (team.clone(), ctx.clone());
        Closure::new(move |kind: String, detail: String| on_status(&team, &ctx, run, &kind, &detail))
    };
    let started = bridge::start(&settings.local_name(), &settings.db_url(), &on_batch, &on_status);
    team.borrow_mut().closures = Some((on_batch, on_status));
    match started {
        Ok(()) => set_view(team, ctx, |v| {
            v.status = TeamStatus::Syncing;
            v.error = None;
        }),
        Err(e) => fail(team, ctx, TeamStatus::Failed, format!("Team sync could not start: {e}.")),
    }
}

/// "Disconnect": stops syncing and signs out; the local copy and the
/// shared list stay for the next connection.
pub fn disconnect(team: &TeamRef, ctx: &Ctx) {
    bridge::stop();
    let url = {
        let mut t = team.borrow_mut();
        t.run += 1;
        t.replica = None;
        t.closures = None;
        t.ready = false;
        t.reconciled = None;
        if let Some(s) = t.settings.as_mut() {
            s.on = false;
        }
        t.settings.as_ref().map(|s| s.url.clone())
    };
    save_settings(team, ctx);
    set_view(team, ctx, |v| {
        v.status = TeamStatus::Off;
        v.error = None;
    });
    if let Some(url) = url {
        spawn_local(async move {
            // Signing out is a courtesy to the server: sync is off either way.
            let _ = bridge::request("DELETE", &format!("{url}/_session"), None).await;
        });
    }
}

pub(super) fn on_status(team: &TeamRef, ctx: &Ctx, run: u64, kind: &str, detail: &str) {
    if team.borrow().run != run {
        return;
    }
    match kind {
        "active" => set_view(team, ctx, |v| v.status = TeamStatus::Syncing),
        "paused" if detail.is_empty() => set_view(team, ctx, |v| {
            v.status = TeamStatus::Synced;
            v.error = None;
        }),
        "paused" if !(detail.starts_with("401") || detail.starts_with("403")) => set_view(team, ctx, |v| v.status = TeamStatus::Offline),
        "denied" => set_view(team, ctx, |v| v.error = Some(format!("The server refused a change: {detail}."))),
        _ if detail.starts_with("401") || detail.starts_with("403") => {
            bridge::stop();
            fail(
                team,
                ctx,
                TeamStatus::Failed,
                "The server no longer accepts this session (signed out, or not a member any more). Connect again; your work here is kept."
                    .into(),
            )
        }
        _ => set_view(team, ctx, |v| {
            v.status = TeamStatus::Offline;
            v.error = Some(format!("Sync paused by an error: {detail}. It will be tried again."));
        }),
    }
}
