//! Other tabs and the address bar: another tab's writes to local storage
//! (the `storage` event) are merged into the open document by its store
//! (`DocStore::on_foreign_write`) and shown by the reducer in order with this
//! tab's unsaved edits; back/forward and an edited `#doc=` switch documents;
//! on start the document the URL names is opened, and the page is marked
//! ready (`<body data-ready>`; `data-idle` from then on: `crate::browser::busy`).

use super::live::Live;
use crate::browser::{self, storage::LocalKv, url};
use crate::effects::{library, session::meta_for, Ctx};
use annotator_core::app::action::AppAction;
use annotator_core::store::durable::reconcile;
use annotator_core::store::keys::{classify_key, StorageKey, LIBRARY_KEY};
use annotator_core::store::kv::Kv;
use annotator_core::store::library::Library;
use annotator_core::store::records::Foreign;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Another tab wrote to local storage: take its library, and merge its
/// changes to the open document.
fn on_storage_event(e: &web_sys::StorageEvent, live: &Rc<RefCell<Live>>, ctx: &Ctx) {
    let Some(key) = e.key() else { return };
    if key == LIBRARY_KEY {
        // Another tab's list; an unreadable one is that tab's to report.
        if let Some(Ok(lib)) = e.new_value().map(|v| Library::from_json(v.as_bytes())) {
            ctx.dispatch.dispatch(AppAction::SetLibrary(Rc::new(lib)));
        }
        return;
    }
    merge_into_open_doc(&key, e.new_value().as_deref(), live, ctx);
}

/// A value of `key` written elsewhere (another tab, or start-up's repair
/// from the crash-safe copy): merged into the open document if it is one of
/// its records or journals, and shown.
fn merge_into_open_doc(key: &str, new_value: Option<&str>, live: &Rc<RefCell<Live>>, ctx: &Ctx) {
    let (Some(doc), Some(store)) = (live.borrow().doc.clone(), ctx.session.doc_store()) else { return };
    let of_this_doc = match classify_key(key) {
        StorageKey::Doc(id) | StorageKey::Delta(id) => id == doc.id,
        StorageKey::Journal { doc: id, .. } => id == doc.id,
        _ => false,
    };
    if !of_this_doc {
        return;
    }
    let base = Rc::new(store.borrow().known.clone());
    let outcome = store.borrow_mut().on_foreign_write(key, new_value, &doc.index);
    match outcome {
        Foreign::Ignored => {}
        Foreign::Merged => {
            let merged = Rc::new(store.borrow().known.clone());
            ctx.dispatch.dispatch(AppAction::ExternalRecord { base, merged, now: browser::now_iso() });
        }
        Foreign::OwnJournalRemoved => {
            // Another tab folded this tab's journal into the record: write it
            // again, so nothing depends on that tab's write having landed. Not
            // when the document was deleted for good (its data was removed).
            let library = live.borrow().library.clone().unwrap_or_default();
            if !library.contains(&doc.id) {
                return;
            }
            let meta = meta_for(&library, &doc);
            if let Err(e) = store.borrow_mut().rewrite_own(&mut LocalKv, &meta, &browser::now_iso()) {
                ctx.dispatch.dispatch(AppAction::SaveFailed(e));
            }
        }
    }
}

/// Start-up's repair from the crash-safe copy (`annotator_core::store::durable`):
/// reads it, writes back to local storage what `reconcile` says a crash
/// lost, and shows it (the list of documents, the open document's
/// annotations); then lets this page's writes reach the copy. Returns the
/// list of documents to use from now on, when it changed.
async fn recover(live: &Rc<RefCell<Live>>, ctx: &Ctx) -> Option<Rc<Library>> {
    let problem = |e: String| {
        ctx.dispatch.dispatch(AppAction::Notice(format!(
            "The copy of your work that survives a crash could not be checked ({e}); what local storage holds is shown."
        )))
    };
    // The copy as the last page left it: this page's writes are held back
    // until it has been read (`durable::hold`, in the app's initial state).
    let read = browser::idb::read_copy().await;
    let recovered = match read {
        Ok(entries) => repair(&entries, live, ctx, &problem),
        Err(e) => {
            problem(e.to_string());
            None
        }
    };
    browser::durable::release();
    recovered
}

/// Writes back to local storage what `reconcile` finds the copy `entries`
/// holds and local storage lost, and shows it.
fn repair(entries: &[(String, String)], live: &Rc<RefCell<Live>>, ctx: &Ctx, problem: &dyn Fn(String)) -> Option<Rc<Library>> {
    let repair = match reconcile(&LocalKv, entries) {
        Ok(r) if r.writes.is_empty() => return None,
        Ok(r) => r,
        Err(e) => {
            problem(e.to_string());
            return None;
        }
    };
    for (k, v) in &repair.writes {
        if let Err(e) = LocalKv.set(k, v) {
            problem(e.to_string());
            return None;
        }
    }
    for (k, v) in &repair.writes {
        merge_into_open_doc(k, Some(v), live, ctx);
    }
    let library =
        repair.writes.iter().find(|(k, _)| k == LIBRARY_KEY).and_then(|(_, v)| Library::from_json(v.as_bytes()).ok()).map(Rc::new);
    if let Some(lib) = &library {
        live.borrow_mut().library = Some(lib.clone());
        ctx.dispatch.dispatch(AppAction::SetLibrary(lib.clone()));
    }
    let listed = match repair.relisted.len() {
        0 => String::new(),
        n => format!(" {n} document(s) are listed again."),
    };
    ctx.dispatch.dispatch(AppAction::Info(format!("Restored changes the browser had not yet written to disk when it stopped.{listed}")));
    library
}

/// Opens the document the URL names, if it is not the open one.
fn follow_url(live: &Rc<RefCell<Live>>) {
    let (current, library, ctx) = {
        let l = live.borrow();
        (l.doc.as_ref().map(|d| d.id.clone()), l.library.clone(), l.ctx.clone())
    };
    if let (Some(id), Some(library), Some(ctx)) = (url::hash_doc_id(), library, ctx) {
        if Some(&id) != current.as_ref() && library.contains(&id) {
            library::open(&ctx, id, library, false, None);
        }
    }
}

/// Installs the listeners (once) and opens the URL's document on start.
#[hook]
pub fn use_sync(live: &Rc<RefCell<Live>>, ctx: &Ctx) {
    let (live, ctx) = (live.clone(), ctx.clone());
    use_effect_with((), move |_| {
        let (l0, c0) = (live.clone(), ctx.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let recovered = recover(&l0, &c0).await;
            start(&l0, &c0, recovered);
        });
        let window = gloo::utils::window();
        let l1 = live.clone();
        let on_nav = move |_: &Event| follow_url(&l1);
        let popstate = gloo::events::EventListener::new(&window, "popstate", on_nav.clone());
        let hashchange = gloo::events::EventListener::new(&window, "hashchange", on_nav);
        let storage_ev = gloo::events::EventListener::new(&window, "storage", move |e| {
            if let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() {
                on_storage_event(e, &live, &ctx);
            }
        });
        move || drop((popstate, hashchange, storage_ev))
    });
}

/// After start-up's repair: opens the document the URL names and marks the
/// page ready.
fn start(live: &Rc<RefCell<Live>>, ctx: &Ctx, recovered: Option<Rc<Library>>) {
    let (current, library) = {
        let l = live.borrow();
        (l.doc.as_ref().map(|d| d.id.clone()).unwrap_or_default(), recovered.or_else(|| l.library.clone()).unwrap_or_default())
    };
    let pointed = match url::hash_doc_id() {
        Some(id) if id != current && library.contains(&id) => {
            library::open(ctx, id, library, false, None);
            Ok(())
        }
        Some(id) if id != current => {
            ctx.dispatch.dispatch(AppAction::Notice(format!(
                "The link names a document ({id}) that is not in this browser; showing the sample article."
            )));
            url::set_hash(&current, false)
        }
        _ => url::set_hash(&current, false),
    };
    if let Err(e) = pointed {
        ctx.dispatch.dispatch(AppAction::Notice(format!("The address bar could not be updated ({e}).")));
    }
    if let Err(e) = gloo::utils::body().set_attribute("data-ready", "true") {
        ctx.dispatch.dispatch(AppAction::Notice(format!("The page could not be marked ready ({}).", browser::js_error_text(&e))));
    }
    browser::busy::publish();
}
