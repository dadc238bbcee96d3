//! Records in and out: the changes feed taken in (shared documents, the
//! team's annotations), the open document's changes sent, catching up a
//! shared document, sharing one.

use super::state::{save_settings, set_view, TeamRef};
use crate::browser::{self, storage, team as bridge};
use crate::effects::session::document_for;
use crate::effects::Ctx;
use annotator_core::app::action::AppAction;
use annotator_core::store::library::{DocMeta, Library};
use annotator_core::store::merge::DocRecord;
use annotator_core::sync::Changed;
use annotator_core::{model::Annotation, model::Document};
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;

pub(super) fn write(ctx: &Ctx, docs: Vec<serde_json::Value>) {
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

pub(super) fn on_batch(team: &TeamRef, ctx: &Ctx, run: u64, json: &str, initial: bool) {
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
pub(super) fn take_documents(team: &TeamRef, ctx: &Ctx, docs: Vec<(DocMeta, String)>) {
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
            if !meta.seed && meta.id != crate::effects::session::seed_meta().id {
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
pub(super) fn catch_up(team: &TeamRef, ctx: &Ctx) {
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
pub(super) fn share_open(team: &TeamRef, ctx: &Ctx, doc_id: &str) {
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
    let (previous, library_changed) = {
        let mut t = team.borrow_mut();
        let changed = !t.library.as_ref().is_some_and(|l| Rc::ptr_eq(l, library));
        t.library = Some(library.clone());
        (t.last.replace((doc.id.clone(), list.clone())), changed)
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
    // Only what changed: the annotations (a new list), the document's record (a new library).
    let (mut writes, mut errors) = if Rc::ptr_eq(&before, list) {
        (Vec::new(), Vec::new())
    } else {
        let mut t = team.borrow_mut();
        let Some(replica) = t.replica.as_mut() else { return };
        replica.send_changes(&doc.id, &before, list, browser::now_ms())
    };
    let shared = team.borrow().settings.as_ref().is_some_and(|s| s.shared.contains(&doc.id));
    if let Some(meta) = meta.filter(|_| shared && library_changed) {
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
