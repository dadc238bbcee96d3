//! Team sync's effects: connecting (the checks of
//! `annotator_core::sync::connect`, in order, before anything is stored),
//! running replication through the bridge (`crate::browser::team`), and
//! moving records between it and the app. Every decision is the
//! [`Replica`]'s; this module only carries its inputs and outputs.

use super::session::document_for;
use super::Ctx;
use crate::browser::{self, storage, team as bridge};
use crate::state::AppAction;
use annotator_core::app::team::{with_view, TeamStatus, TeamView};
use annotator_core::library::{DocMeta, Library};
use annotator_core::merge::DocRecord;
use annotator_core::sync::connect::{check_database, check_login, check_welcome, Refused, Settings, SETTINGS_KEY};
use annotator_core::sync::{Changed, Replica};
use annotator_core::{Annotation, Document};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::spawn_local;

type Batch = Closure<dyn FnMut(String, bool)>;
type Status = Closure<dyn FnMut(String, String)>;

/// This page's team sync.
#[derive(Default)]
pub struct Team {
    settings: Option<Settings>,
    replica: Option<Replica>,
    view: Rc<TeamView>,
    /// The open document and its annotations as last seen by sync.
    last: Option<(String, Rc<Vec<Rc<Annotation>>>)>,
    /// The document caught up with the team in this run.
    reconciled: Option<String>,
    /// The first batch (everything the local copy holds) has arrived.
    ready: bool,
    /// A document to share once it is open.
    pending_share: Option<String>,
    closures: Option<(Batch, Status)>,
    /// Counts starts and stops: a late answer of an older run is ignored.
    run: u64,
    /// The library as last rendered.
    library: Option<Rc<Library>>,
}

pub type TeamRef = Rc<RefCell<Team>>;

fn set_view(team: &TeamRef, ctx: &Ctx, f: impl FnOnce(&mut TeamView)) {
    let view = with_view(&team.borrow().view, f);
    team.borrow_mut().view = view.clone();
    ctx.dispatch.dispatch(AppAction::Team(view));
}

fn save_settings(team: &TeamRef, ctx: &Ctx) {
    let Some(s) = team.borrow().settings.clone() else { return };
    if let Err(e) = storage::set(SETTINGS_KEY, &s.to_json()) {
        ctx.dispatch
            .dispatch(AppAction::Notice(format!("The team sync settings could not be saved ({e}); sync works until this page is closed.")));
    }
    set_view(team, ctx, |v| v.settings = Some(s));
}

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

fn fail(team: &TeamRef, ctx: &Ctx, status: TeamStatus, error: String) {
    set_view(team, ctx, |v| {
        v.status = status;
        v.error = Some(error);
    });
}

/// Sync was on when the page was left: start again with the session cookie
/// the browser keeps. Offline, work goes on in the local copy.
async fn resume(team: &TeamRef, ctx: &Ctx) {
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
async fn check_server(settings: &Settings, password: &str) -> Result<(), Refused> {
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
fn start(team: &TeamRef, ctx: &Ctx) {
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

fn on_status(team: &TeamRef, ctx: &Ctx, run: u64, kind: &str, detail: &str) {
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

fn write(ctx: &Ctx, docs: Vec<serde_json::Value>) {
    if docs.is_empty() {
        return;
    }
    let ctx = ctx.clone();
    let json = serde_json::Value::Array(docs).to_string();
    spawn_local(async move {
        match bridge::write(json).await {
            Ok((_, errors)) if errors.is_empty() => {}
            Ok((_, errors)) => ctx.dispatch.dispatch(AppAction::Notice(format!(
                "{} change(s) could not be stored for the team ({}). They are kept in this browser.",
                errors.len(),
                errors.first().cloned().unwrap_or_default()
            ))),
            Err(e) => ctx
                .dispatch
                .dispatch(AppAction::Notice(format!("Changes could not be stored for the team ({e}). They are kept in this browser."))),
        }
    });
}

fn on_batch(team: &TeamRef, ctx: &Ctx, run: u64, json: &str, initial: bool) {
    if team.borrow().run != run {
        return;
    }
    let batch: Vec<Changed> = match serde_json::from_str::<Vec<serde_json::Value>>(json) {
        Ok(items) => items
            .into_iter()
            .map(|v| Changed {
                id: v.get("id").and_then(|i| i.as_str()).unwrap_or_default().to_string(),
                leaves: v.get("leaves").and_then(|l| l.as_array()).cloned().unwrap_or_default(),
            })
            .collect(),
        Err(e) => return ctx.dispatch.dispatch(AppAction::Notice(format!("Team sync received something unreadable ({e})."))),
    };
    let received = {
        let mut t = team.borrow_mut();
        let Some(replica) = t.replica.as_mut() else { return };
        replica.receive(&batch, browser::now_ms())
    };
    write(ctx, received.writes);
    if !received.errors.is_empty() {
        ctx.dispatch.dispatch(AppAction::Notice(format!(
            "{} shared record(s) could not be read and were not applied: {}",
            received.errors.len(),
            received.errors.iter().take(3).cloned().collect::<Vec<_>>().join(" ")
        )));
    }
    if received.foreign > 0 {
        set_view(team, ctx, |v| v.foreign += received.foreign);
    }
    if !received.documents.is_empty() {
        take_documents(team, ctx, received.documents);
    }
    // The open document's changes are shown once it has caught up; before
    // that, catching up shows them (the replica knows them now).
    let open = team.borrow().last.as_ref().map(|(d, _)| d.clone());
    let caught_up = open.is_some() && team.borrow().reconciled == open;
    for (doc, changes) in received.annotations {
        if caught_up && Some(&doc) == open.as_ref() {
            ctx.dispatch.dispatch(AppAction::TeamChanges { doc, changes: changes.into_iter().collect() });
        }
    }
    if initial {
        team.borrow_mut().ready = true;
    }
    catch_up(team, ctx);
}

/// Shared documents that arrived: added to the list (text stored) and marked shared.
fn take_documents(team: &TeamRef, ctx: &Ctx, docs: Vec<(DocMeta, String)>) {
    let mut newly_shared = false;
    {
        let mut t = team.borrow_mut();
        if let Some(s) = t.settings.as_mut() {
            for (meta, _) in docs.iter().filter(|(m, _)| !s.left.contains(&m.id)) {
                newly_shared |= s.shared.insert(meta.id.clone());
            }
        }
    }
    if newly_shared {
        save_settings(team, ctx);
    }
    let (team, ctx) = (team.clone(), ctx.clone());
    spawn_local(async move {
        let library = team.borrow().library.clone().unwrap_or_default();
        let mut added = Vec::new();
        let mut updated = Vec::new();
        let left = team.borrow().settings.as_ref().map(|s| s.left.clone()).unwrap_or_default();
        for (meta, text) in docs.into_iter().filter(|(m, _)| !left.contains(&m.id)) {
            if let Some(mine) = library.get(&meta.id) {
                // The team renamed it or changed its details: take them.
                if mine.title != meta.title || mine.details != meta.details {
                    updated.push(meta);
                }
                continue;
            }
            if !meta.seed && meta.id != super::session::seed_meta().id {
                if let Err(e) = storage::save_text(&meta.id, &text).await {
                    ctx.dispatch.dispatch(AppAction::Notice(format!(
                        "The shared document “{}” could not be stored in this browser ({e}).",
                        meta.title
                    )));
                    continue;
                }
            }
            added.push(DocMeta { counts: [0; 3], ..meta });
        }
        if added.is_empty() && updated.is_empty() {
            return;
        }
        let n = added.len();
        let now = browser::now_iso();
        match ctx.session.update_library(&library, move |lib: &mut Library| {
            added.into_iter().try_for_each(|m| lib.add(m).map(|_| ()).map_err(|e| e.to_string()))?;
            for m in updated {
                lib.rename(&m.id, &m.title, &now).map_err(|e| e.to_string())?;
                lib.set_details(&m.id, m.details, &now).map_err(|e| e.to_string())?;
            }
            Ok(())
        }) {
            Ok(lib) => {
                let lib = Rc::new(lib);
                team.borrow_mut().library = Some(lib.clone());
                ctx.dispatch.dispatch(AppAction::SetLibrary(lib));
                if n > 0 {
                    ctx.dispatch.dispatch(AppAction::Info(format!("{n} document(s) shared by the team added to your documents.")));
                }
            }
            Err(e) => ctx.dispatch.dispatch(AppAction::Notice(format!("Shared documents could not be added to your list ({e})."))),
        }
    });
}

/// The open document, if shared and not yet caught up in this run: joined
/// with the team's version (rule 4 of the replica).
fn catch_up(team: &TeamRef, ctx: &Ctx) {
    let (doc, list, pending) = {
        let t = team.borrow();
        let Some((doc, list)) = t.last.clone() else { return };
        (doc, list, t.pending_share.clone())
    };
    if pending.as_deref() == Some(doc.as_str()) {
        team.borrow_mut().pending_share = None;
        share_open(team, ctx, &doc);
    }
    let ready = {
        let t = team.borrow();
        t.ready
            && t.replica.is_some()
            && t.settings.as_ref().is_some_and(|s| s.shared.contains(&doc))
            && t.reconciled.as_deref() != Some(&doc)
    };
    if !ready {
        return;
    }
    let deleted = ctx.session.doc_store().map(|s| s.borrow().known.deleted.clone()).unwrap_or_default();
    let mut local = DocRecord::new(list.iter().map(|a| (**a).clone()).collect());
    local.deleted = deleted;
    let (reconciled, errors) = {
        let mut t = team.borrow_mut();
        t.reconciled = Some(doc.clone());
        let Some(replica) = t.replica.as_mut() else { return };
        replica.reconcile(&doc, &local, browser::now_ms())
    };
    write(ctx, reconciled.writes);
    if !errors.is_empty() {
        ctx.dispatch.dispatch(AppAction::Notice(format!("Some annotations cannot be shared: {}", errors.join(" "))));
    }
    if let Some(show) = reconciled.show {
        let mut changes: Vec<(String, Option<Annotation>)> = show.iter().map(|a| (a.id.clone(), Some(a.clone()))).collect();
        let shown: std::collections::HashSet<&str> = show.iter().map(|a| a.id.as_str()).collect();
        changes.extend(list.iter().filter(|a| !shown.contains(a.id.as_str())).map(|a| (a.id.clone(), None)));
        ctx.dispatch.dispatch(AppAction::TeamChanges { doc, changes });
    }
}

/// The open document (its record and its annotations) shared with the team.
fn share_open(team: &TeamRef, ctx: &Ctx, doc_id: &str) {
    let library = team.borrow().library.clone().unwrap_or_default();
    let Some(meta) = library.get(doc_id).cloned() else { return };
    {
        let mut t = team.borrow_mut();
        let Some(s) = t.settings.as_mut() else { return };
        s.shared.insert(doc_id.to_string());
        s.left.remove(doc_id);
    }
    save_settings(team, ctx);
    let (team, ctx) = (team.clone(), ctx.clone());
    spawn_local(async move {
        let text = match document_for(&meta).await {
            Ok(d) => d.text().to_string(),
            Err(e) => return ctx.dispatch.dispatch(AppAction::Notice(format!("Could not share “{}”: {e}.", meta.title))),
        };
        let written = {
            let mut t = team.borrow_mut();
            let Some(replica) = t.replica.as_mut() else { return };
            replica.share(&meta, &text, browser::now_ms())
        };
        match written {
            Ok(w) => write(&ctx, w.into_iter().collect()),
            Err(e) => return ctx.dispatch.dispatch(AppAction::Notice(format!("Could not share “{}”: {e}", meta.title))),
        }
        ctx.dispatch.dispatch(AppAction::Info(format!("Shared “{}” with the team.", meta.title)));
        catch_up(&team, &ctx);
    });
}

/// "Share with team" on document `id`: shared now if open, else once opened.
pub fn share(team: &TeamRef, ctx: &Ctx, id: &str, open_id: &str) {
    if !team.borrow().view.status.running() {
        ctx.dispatch.dispatch(AppAction::Notice("Connect to your team first (Team sync), then share.".into()));
        return;
    }
    if id == open_id && team.borrow().ready {
        share_open(team, ctx, id);
    } else {
        team.borrow_mut().pending_share = Some(id.to_string());
    }
}

/// The open document or its annotations changed: send what changed (rule
/// 3), and the document's record if its details changed.
pub fn on_model(team: &TeamRef, ctx: &Ctx, doc: &Document, list: &Rc<Vec<Rc<Annotation>>>, library: &Rc<Library>) {
    let previous = {
        let mut t = team.borrow_mut();
        t.library = Some(library.clone());
        t.last.replace((doc.id.clone(), list.clone()))
    };
    let running = {
        let t = team.borrow();
        t.ready && t.replica.is_some()
    };
    if !running {
        return;
    }
    let same_doc = previous.as_ref().is_some_and(|(d, _)| *d == doc.id);
    let reconciled = team.borrow().reconciled.as_deref() == Some(doc.id.as_str());
    if !same_doc || !reconciled || team.borrow().pending_share.as_deref() == Some(doc.id.as_str()) {
        return catch_up(team, ctx);
    }
    let Some((_, before)) = previous else { return };
    let meta = library.get(&doc.id);
    let (mut writes, mut errors) = {
        let mut t = team.borrow_mut();
        let Some(replica) = t.replica.as_mut() else { return };
        replica.send_changes(&doc.id, &before, list, browser::now_ms())
    };
    let shared = team.borrow().settings.as_ref().is_some_and(|s| s.shared.contains(&doc.id));
    if let Some(meta) = meta.filter(|_| shared) {
        let mut t = team.borrow_mut();
        if let Some(replica) = t.replica.as_mut() {
            match replica.share(meta, doc.text(), browser::now_ms()) {
                Ok(w) => writes.extend(w),
                Err(e) => errors.push(e),
            }
        }
    }
    write(ctx, writes);
    if !errors.is_empty() {
        ctx.dispatch.dispatch(AppAction::Notice(format!("Some annotations cannot be shared: {}", errors.join(" "))));
    }
}
