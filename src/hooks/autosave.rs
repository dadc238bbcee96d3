//! Autosave, right after the frame that shows a change (so an edit's own
//! frame never waits for storage): the document's store writes what changed
//! since its last write (`annotator_core::store::records::DocStore::save`:
//! this tab's journal, or the whole record), the orphans when they changed,
//! and the library's counts. Several changes before it runs make one write.
//! The undo history is written shortly after the last change (it can be
//! large and is not the work itself). When the page is hidden, both happen
//! at once. Every outcome is reported: `SaveResult` sets the status, once
//! the crash-safe copy holds the change (`browser::durable::settled`): the
//! status says "Saved" only when a killed browser would keep the change.
//! Until the writes and the crash-safe copy are done the page is not idle
//! (`crate::browser::busy`).

use super::live::Live;
use crate::browser::{self, busy::Busy, storage::LocalKv};
use crate::effects::session::meta_for;
use crate::effects::Ctx;
use crate::state::Handle;
use annotator_core::anchor::Orphan;
use annotator_core::app::action::AppAction;
use annotator_core::app::state::AppState;
use annotator_core::history::History;
use annotator_core::store::error::{SaveWarning, StoreError};
use annotator_core::store::extras;
use annotator_core::store::library::counts_of;
use annotator_core::store::merge::DocRecord;
use annotator_core::store::records::DocStore;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

type Job = Rc<RefCell<Option<Box<dyn FnOnce()>>>>;

/// Runs the job in `slot` (if still there) just after the next frame is
/// painted; a newer job put in the slot meanwhile replaces it.
fn run_after_paint(slot: Job) {
    browser::after_next_paint(move || {
        let job = slot.borrow_mut().take();
        if let Some(job) = job {
            job();
        }
    });
}

/// Writes the changes of `st` to `store`; reports problems and what another
/// tab's newer versions changed.
fn save_now(
    st: &AppState,
    store: &Rc<RefCell<DocStore>>,
    written_orphans: &RefCell<Option<Rc<Vec<Orphan>>>>,
    live: &Rc<RefCell<Live>>,
    ctx: &Ctx,
) -> Result<Option<SaveWarning>, StoreError> {
    let doc = &st.model.doc;
    let now = browser::now_iso();
    let library = live.borrow().library.clone().unwrap_or_else(|| st.library.clone());
    let mut meta = meta_for(&library, doc);
    meta.counts = st.model.counts();
    let saved = store.borrow_mut().save(&mut LocalKv, &meta, &st.model.annotations, &now)?;
    let orphans_changed = !written_orphans.borrow().as_ref().is_some_and(|w| Rc::ptr_eq(w, &st.orphans));
    if orphans_changed {
        extras::save_orphans(&mut LocalKv, &doc.id, &st.orphans)?;
        *written_orphans.borrow_mut() = Some(st.orphans.clone());
    }
    let still_open = ctx.session.doc_store().is_some_and(|s| Rc::ptr_eq(&s, store));
    if (saved.lost || saved.compacted) && still_open {
        // What is stored now may differ from what this tab shows: another
        // tab's newer version or later deletion won (`lost`), or the whole
        // record took in other tabs' journals (`compacted`). Show it, merged
        // with any edit made since `st` was taken; an annotation stored but
        // not shown would otherwise read as a deletion at the next save.
        let merged = store.borrow().known.clone();
        let base = DocRecord { annotations: st.model.plain(), deleted: merged.deleted.clone(), rev: merged.rev };
        ctx.dispatch.dispatch(AppAction::ExternalRecord { base: Rc::new(base), merged: Rc::new(merged), now: now.clone() });
    }
    if saved.wrote {
        let counts = counts_of(&store.borrow().known.annotations);
        let id = doc.id.clone();
        match ctx.session.update_library(&library, |lib| lib.touch(&id, counts, &now)) {
            Ok(lib) => ctx.dispatch.dispatch(AppAction::SetLibrary(Rc::new(lib))),
            // The annotations are saved; only the list's counts and date are behind.
            Err(e) => ctx
                .dispatch
                .dispatch(AppAction::Notice(format!("Your annotations are saved, but the list of documents could not be updated ({e})."))),
        }
    }
    Ok(saved.warning)
}

fn save_history(doc_id: &str, history: &History, ctx: &Ctx) {
    if let Err(e) = extras::save_history(&mut LocalKv, doc_id, history) {
        ctx.dispatch.dispatch(AppAction::Notice(format!(
            "The undo history could not be saved ({e}). Your annotations are saved; undo works until this page is closed."
        )));
    }
}

/// Saves every change of `state` (see the module documentation).
#[hook]
pub fn use_autosave(state: &Handle, live: &Rc<RefCell<Live>>, ctx: &Ctx) {
    // The pending history write, and the timer that runs it (kept apart: a
    // timer must not be dropped from inside its own callback).
    let history_write: Job = use_mut_ref(|| None);
    let history_timer = use_mut_ref(|| None::<gloo::timers::callback::Timeout>);
    let pending: Job = use_mut_ref(|| None);
    let written_orphans = use_mut_ref(|| None::<Rc<Vec<Orphan>>>);
    {
        let (st, live, ctx) = ((**state).clone(), live.clone(), ctx.clone());
        let (history_timer, history_write, pending, written_orphans) =
            (history_timer.clone(), history_write.clone(), pending.clone(), written_orphans.clone());
        use_effect_with(state.revision, move |rev| {
            let Some(store) = ctx.session.doc_store().filter(|_| *rev > 0) else { return };
            // Pending (`<body data-idle>`) until the save and the history's write are done or replaced.
            let busy = Busy::start();
            *pending.borrow_mut() = Some(Box::new(move || {
                // A user-timing measure "annotator:save" per save (the benchmark reads it).
                let perf = web_sys::window().and_then(|w| w.performance());
                let marked = perf.as_ref().is_some_and(|p| p.mark("annotator:save:start").is_ok());
                let result = save_now(&st.0, &store, &written_orphans, &live, &ctx);
                if let (Some(p), true) = (&perf, marked) {
                    if p.measure_with_start_mark("annotator:save", "annotator:save:start").is_ok() {
                        p.clear_marks();
                        p.clear_measures();
                    }
                }
                let (revision, dispatch, settling) = (st.revision, ctx.dispatch.clone(), busy.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    // "Saved" once the crash-safe copy holds everything written so far.
                    let result = match result {
                        Ok(warning) => browser::durable::settled().await.map(|()| warning),
                        Err(e) => Err(e),
                    };
                    dispatch.dispatch(AppAction::SaveResult { revision, result });
                    drop(settling);
                });
                let (doc_id, history) = (st.model.doc.id.clone(), st.history.clone());
                *history_write.borrow_mut() = Some(Box::new(move || {
                    save_history(&doc_id, &history, &ctx);
                    drop(busy);
                }));
                let slot = history_write.clone();
                let timer = gloo::timers::callback::Timeout::new(400, move || {
                    let write = slot.borrow_mut().take();
                    if let Some(write) = write {
                        write();
                    }
                });
                *history_timer.borrow_mut() = Some(timer);
            }));
            run_after_paint(pending);
        });
    }
    use_effect_with((), move |_| {
        let flush = gloo::events::EventListener::new(&gloo::utils::window(), "pagehide", move |_| {
            let job = pending.borrow_mut().take();
            if let Some(job) = job {
                job();
            }
            let write = history_write.borrow_mut().take();
            if let Some(write) = write {
                write();
            }
        });
        move || drop(flush)
    });
}
