//! The app shell: state, keyboard shortcuts, autosave, export and import.

use super::ann_list::AnnList;
use super::article::ArticleView;
use super::documents::Documents;
use super::help::HelpDialog;
use super::paste_dialog::PasteDialog;
use super::legend::Legend;
use super::orphans::OrphanList;
use super::summary::SummaryView;
use super::toolbar::Toolbar;
use crate::browser::{self, download, selection, storage};
use crate::keys::{self, Live};
use crate::{docs, library_ops};
use crate::state::{same_content, AppAction, AppState, PendingImport};
use annotator_core::formats::{self, Format, ImportOptions, Imported, UnknownLabelPolicy};
use annotator_core::native::{self, ImportError};
use annotator_core::plan::{annotations_by_paragraph, apply_changes_by_paragraph, paragraphs, update_by_paragraph, AnnRef, Paragraph};
use annotator_core::{Annotation, Document, Label};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Where the last autosave stands.
#[derive(Clone, Debug, PartialEq)]
enum SaveState {
    /// Nothing changed since load.
    Loaded,
    Saved,
    Failed(String),
}

fn initial_state() -> AppState {
    let boot = storage::boot(docs::seed_meta());
    let mut seed = docs::seed_document();
    if let Some(m) = boot.library.get(&seed.id) {
        seed.title = m.title.clone();
    }
    let (opened, record, backups) = docs::load_opened(Rc::new(seed));
    let mut notices = boot.notices;
    notices.extend(opened.notice);
    let notice = (!notices.is_empty()).then(|| notices.join(" "));
    let (journal, rewrite_whole) = (opened.journal, opened.rewrite_whole);
    let mut st = AppState::new(opened.model, opened.history, opened.orphans, notice, boot.library);
    *st.record.borrow_mut() = record;
    *st.journal.borrow_mut() = journal;
    st.rewrite_whole.set(rewrite_whole);
    let mut all = boot.backups;
    all.extend(backups);
    st.backups = Rc::new(all);
    st
}


/// Reads every chosen file, then calls `done` with (name, bytes) pairs, or
/// the first read error.
fn read_files(files: Vec<web_sys::File>, done: Callback<Result<Vec<(String, Vec<u8>)>, String>>) {
    let results: Rc<std::cell::RefCell<Vec<Option<(String, Vec<u8>)>>>> = Rc::new(std::cell::RefCell::new(vec![None; files.len()]));
    let failed = Rc::new(std::cell::Cell::new(false));
    for (i, f) in files.into_iter().enumerate() {
        let name = f.name();
        let (results, done, failed) = (results.clone(), done.clone(), failed.clone());
        browser::read_file_bytes(f, move |res| match res {
            Err(e) => {
                if !failed.replace(true) {
                    done.emit(Err(format!("Could not read {name}: {e}")));
                }
            }
            Ok(bytes) => {
                let ready = {
                    let mut r = results.borrow_mut();
                    r[i] = Some((name, bytes));
                    r.iter().all(Option::is_some)
                };
                if ready && !failed.get() {
                    let all = results.borrow_mut().drain(..).flatten().collect();
                    done.emit(Ok(all));
                }
            }
        });
    }
}

/// Imports the chosen files into `doc`: a brat `.ann` with its `.txt`, or one
/// annotation file of any supported format. A native file made for this very
/// text must match it exactly (a mismatch means the file is damaged); one
/// made for another text is re-anchored.
pub fn import_files(files: &[(String, Vec<u8>)], doc: &Document, now: &str, policy: UnknownLabelPolicy) -> Result<Imported, String> {
    let opts = ImportOptions { now: now.to_string(), unknown_label: policy, ..Default::default() };
    let too_big = |bytes: &[u8]| bytes.len() > native::MAX_FILE_BYTES;
    if let Some((name, b)) = files.iter().find(|(_, b)| too_big(b)) {
        return Err(format!("{name}: {}", ImportError::TooLarge { bytes: b.len(), max: native::MAX_FILE_BYTES }));
    }
    let ann = files.iter().find(|(n, _)| n.to_ascii_lowercase().ends_with(".ann"));
    let txt = files.iter().find(|(n, _)| n.to_ascii_lowercase().ends_with(".txt"));
    if let (Some((an, ab)), Some((_, tb))) = (ann, txt) {
        let txt = std::str::from_utf8(tb).map_err(|_| format!("{an}: the .txt beside it is not UTF-8 text"))?;
        return formats::import_brat(ab, Some(txt), &doc.index, &opts).map_err(|e| format!("{an}: {e}"));
    }
    if files.len() > 1 {
        return Err("Choose one annotation file (or a brat .ann together with its .txt).".into());
    }
    let Some((name, bytes)) = files.first() else { return Err("No file was chosen.".into()) };
    // A native file made for this very text: parsed once, checked strictly.
    let parsed_json = native::parse_json_bounded(bytes).ok();
    if let Some(v) = parsed_json.as_ref().filter(|v| matches!(formats::detect_json(v), Ok(Format::Native))) {
        let same_text = v.get("document").and_then(|d| d.get("id")).and_then(|i| i.as_str()) == Some(doc.id.as_str());
        if same_text {
            let parsed = native::import_value(v, doc).map_err(|e| format!("{name}: {e}"))?;
            let n = parsed.annotations.len();
            let mut imported = Imported::anchor(Format::Native, &doc.index, Default::default());
            imported.report.exact = n;
            imported.annotations = parsed.annotations;
            return Ok(imported);
        }
    }
    formats::import(name, bytes, &doc.index, &opts).map_err(|e| format!("{name}: {e}"))
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);
    let save = use_state(|| SaveState::Loaded);
    let article_ref = use_node_ref();
    let live = use_mut_ref(Live::default);
    {
        let mut l = live.borrow_mut();
        l.index = Some(state.model.doc.index.clone());
        l.article = article_ref.clone();
        l.help_open = state.help_open || state.paste_open;
        l.doc = Some(state.model.doc.clone());
        l.record = Some(state.record.clone());
        l.journal = Some(state.journal.clone());
        l.annotations = Some(state.model.annotations.clone());
        l.library = Some(state.library.clone());
        l.undo_deletion = state.undoable_deletion().cloned();
    }

    let doc = state.model.doc.clone();
    let paragraphs = use_memo(doc.id.clone(), {
        let doc = doc.clone();
        move |_| paragraphs(&doc.index)
    });
    // The annotations the filter shows (the same shared list when nothing is
    // filtered). Compared by pointer: a changed list is a new `Rc`.
    let shown = use_memo((ByPtr(state.model.annotations.clone()), state.filter.clone()), |(anns, filter)| {
        if filter.is_active() {
            Rc::new(filter.apply(&anns.0).into_iter().cloned().collect::<Vec<_>>())
        } else {
            anns.0.clone()
        }
    });
    // Per paragraph, the annotations touching it. After an edit only the
    // paragraphs it touched get a new list; every other keeps its `Rc`, so its
    // component (and its group) skip re-rendering.
    let plan_cache = use_mut_ref(|| None::<(Rc<Vec<Paragraph>>, Rc<Vec<Annotation>>, Rc<Vec<Rc<Vec<AnnRef>>>>)>);
    let by_para = {
        let anns: Rc<Vec<Annotation>> = (*shown).clone();
        let mut cache = plan_cache.borrow_mut();
        match &*cache {
            Some((p, a, out)) if Rc::ptr_eq(p, &paragraphs) && Rc::ptr_eq(a, &anns) => out.clone(),
            prev => {
                let same_paras = prev.as_ref().filter(|(p, _, _)| Rc::ptr_eq(p, &paragraphs));
                // The edit's own changes when they lead from the cached list to this
                // one; otherwise compare the lists.
                let known = same_paras.zip(state.last_change.as_ref()).filter(|((_, old, out), c)| {
                    Rc::ptr_eq(old, &c.before) && Rc::ptr_eq(&anns, &c.after) && out.len() == paragraphs.len()
                });
                let updated = match known {
                    Some(((_, _, out), c)) => Some(apply_changes_by_paragraph(&paragraphs, out, &c.changes)),
                    None => same_paras.and_then(|(_, old, out)| update_by_paragraph(&paragraphs, out, old, &anns, 500)),
                };
                let out = Rc::new(updated.unwrap_or_else(|| {
                    let old = same_paras.map(|(_, _, out)| out.clone());
                    annotations_by_paragraph(&paragraphs, &anns)
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| match old.as_ref().and_then(|o| o.get(i)) {
                            Some(o) if **o == v => o.clone(),
                            _ => Rc::new(v),
                        })
                        .collect()
                }));
                *cache = Some((paragraphs.clone(), anns, out.clone()));
                out
            }
        }
    };

    // Tag (or retag) from a button or key: read the DOM selection now.
    let ontag = {
        let dispatch = state.dispatcher();
        let article_ref = article_ref.clone();
        Callback::from(move |label: Label| {
            let read = match article_ref.cast::<web_sys::Element>() {
                Some(article) => selection::read_selection(&article),
                None => selection::SelectionRead::Nothing,
            };
            let had_range = matches!(read, selection::SelectionRead::Range { .. });
            dispatch.dispatch(AppAction::Tag { label, selection: read, new_id: browser::new_id(), now: browser::now_iso() });
            if had_range {
                selection::clear_selection();
            }
        })
    };
    let simple = |a: AppAction| {
        let dispatch = state.dispatcher();
        Callback::from(move |_: ()| dispatch.dispatch(a.clone()))
    };
    let ondelete = simple(AppAction::DeleteSelected);
    let onundo = {
        let state = state.clone();
        Callback::from(move |_: ()| match state.undoable_deletion() {
            Some(removed) => library_ops::undo_delete(removed.clone(), &state.library, &state.dispatcher()),
            None => state.dispatch(AppAction::Undo),
        })
    };
    let onredo = simple(AppAction::Redo);
    let onhelp = simple(AppAction::Help(true));
    let onhelpclose = simple(AppAction::Help(false));
    let onexport = {
        let state = state.clone();
        Callback::from(move |format: Format| {
            for file in formats::export(format, &state.model.doc, &state.model.annotations) {
                if let Err(e) = download::download_text(&file.file_name, file.mime, &file.contents) {
                    state.dispatch(AppAction::Notice(format!("The download of {} failed: {e}.", file.file_name)));
                }
            }
        })
    };
    let onimport = {
        let state = state.clone();
        Callback::from(move |files: Vec<web_sys::File>| {
            if let Some(big) = files.iter().find(|f| f.size() > native::MAX_FILE_BYTES as f64) {
                let e = ImportError::TooLarge { bytes: big.size() as usize, max: native::MAX_FILE_BYTES };
                state.dispatch(AppAction::Notice(format!("Could not import {}: {e} Nothing was changed.", big.name())));
                return;
            }
            let names = files.iter().map(|f| f.name()).collect::<Vec<_>>().join(" + ");
            let dispatch = state.dispatcher();
            let doc = state.model.doc.clone();
            read_files(
                files,
                Callback::from(move |res: Result<Vec<(String, Vec<u8>)>, String>| {
                    let files = match res {
                        Ok(f) => f,
                        Err(e) => return dispatch.dispatch(AppAction::Notice(format!("Could not import {e} Nothing was changed."))),
                    };
                    // First pass: leave out labels we do not have, to learn whether there are any.
                    match import_files(&files, &doc, &browser::now_iso(), UnknownLabelPolicy::Skip) {
                        Err(e) => dispatch.dispatch(AppAction::Notice(format!("Could not import {e} Nothing was changed."))),
                        Ok(imported) if imported.unknown_labels.is_empty() => {
                            dispatch.dispatch(AppAction::Import { imported, file_name: names.clone() })
                        }
                        Ok(imported) => {
                            let labels = imported
                                .unknown_labels
                                .iter()
                                .map(|u| format!("“{}” ({} annotation{}, first at {})", u.label, u.count, if u.count == 1 { "" } else { "s" }, u.first_path))
                                .collect::<Vec<_>>()
                                .join(", ");
                            let message = format!(
                                "{names} uses labels this app does not have: {labels}. Nothing has been imported yet: skip those annotations, or map them to one of our labels."
                            );
                            dispatch.dispatch(AppAction::PendingLabels(Some(PendingImport { files: Rc::new(files), names: names.clone(), message })));
                        }
                    }
                }),
            );
        })
    };
    // Stable callbacks (same `Rc` on every render), so memoised children skip re-rendering.
    let onactivate = use_callback(state.dispatcher(), |id: String, dispatch| {
        dispatch.dispatch(AppAction::Select { id: Some(id), scroll: true })
    });
    let onnote = use_callback(state.dispatcher(), |(id, note): (String, String), dispatch| {
        dispatch.dispatch(AppAction::SetNote { id, note, now: browser::now_iso() })
    });
    let ontoggle = use_callback(state.dispatcher(), |l: Label, dispatch| dispatch.dispatch(AppAction::ToggleLabel(l)));
    let onquery = use_callback(state.dispatcher(), |q: String, dispatch| dispatch.dispatch(AppAction::SetQuery(q)));
    let onsnap = {
        let dispatch = state.dispatcher();
        Callback::from(move |on: bool| dispatch.dispatch(AppAction::SetSnap(on)))
    };
    let onreattach = {
        let dispatch = state.dispatcher();
        let article_ref = article_ref.clone();
        Callback::from(move |orphan_id: String| {
            let read = match article_ref.cast::<web_sys::Element>() {
                Some(article) => selection::read_selection(&article),
                None => selection::SelectionRead::Nothing,
            };
            dispatch.dispatch(AppAction::Reattach { orphan_id, selection: read, now: browser::now_iso() });
            selection::clear_selection();
        })
    };
    let ondeleteorphan = {
        let dispatch = state.dispatcher();
        Callback::from(move |id: String| dispatch.dispatch(AppAction::DeleteOrphan(id)))
    };
    let onhighlight = use_callback((), {
        let dispatch = state.dispatcher();
        move |ids: Vec<Rc<str>>, _| {
            // A drag that ends on a highlight is a text selection, not a click.
            let selecting = web_sys::window()
                .and_then(|w| w.get_selection().ok().flatten())
                .is_some_and(|s| !s.is_collapsed());
            if !selecting {
                dispatch.dispatch(AppAction::ClickHighlight(ids));
            }
        }
    });

    // Keyboard shortcuts on the whole page, and the keyboard caret marker.
    {
        let ontag = ontag.clone();
        let dispatch = state.dispatcher();
        let live = live.clone();
        use_effect_with((), move |_| {
            let document = gloo::utils::document();
            let live2 = live.clone();
            // Not passive (gloo's default): shortcuts must be able to cancel the key's default action.
            let opts = gloo::events::EventListenerOptions::enable_prevent_default();
            let keydown = gloo::events::EventListener::new_with_options(&document, "keydown", opts, move |e| {
                if let Some(e) = e.dyn_ref::<KeyboardEvent>() {
                    keys::on_keydown(e, &live2, &dispatch, &ontag);
                }
            });
            let live3 = live.clone();
            let caret_update = move |_: &Event| {
                if let Some(article) = live3.borrow().article.cast::<web_sys::Element>() {
                    keys::update_caret_marker(&article);
                }
            };
            let selchange = gloo::events::EventListener::new(&document, "selectionchange", caret_update.clone());
            let live4 = live.clone();
            let caret_update2 = caret_update.clone();
            let focusin = gloo::events::EventListener::new(&document, "focusin", move |e| {
                if let Some(article) = live4.borrow().article.cast::<web_sys::Element>() {
                    keys::ensure_caret(&article);
                }
                caret_update2(e);
            });
            let focusout = gloo::events::EventListener::new(&document, "focusout", caret_update);
            move || drop((keydown, selchange, focusin, focusout))
        });
    }

    // Autosave, right after the frame that shows a change (so an edit's own
    // frame never waits for storage): what changed since the last write goes
    // to the document's journal, a small value (storage::write_journal), with
    // the orphans. Several changes before it runs make one write. The undo
    // history is written shortly after the last change (it can be large and
    // is not the work itself). When the page is hidden, both happen at once.
    let history_timer = use_mut_ref(|| None::<gloo::timers::callback::Timeout>);
    let pending_save = use_mut_ref(|| None::<Box<dyn FnOnce()>>);
    {
        let save = save.clone();
        let st = (*state).clone();
        let dispatch = state.dispatcher();
        let history_timer = history_timer.clone();
        let pending = pending_save.clone();
        let live = live.clone();
        use_effect_with(state.revision, move |rev| {
            if *rev > 0 {
                *pending.borrow_mut() = Some(Box::new(move || {
                    // A user-timing measure "annotator:save" per save (the benchmark reads it).
                    let perf = web_sys::window().and_then(|w| w.performance());
                    if let Some(p) = &perf {
                        let _ = p.mark("annotator:save:start");
                    }
                    save_now(&st, &live, &dispatch, &save);
                    if let Some(p) = &perf {
                        let _ = p.measure_with_start_mark("annotator:save", "annotator:save:start");
                        p.clear_marks();
                        p.clear_measures();
                    }
                    let (doc_id, history) = (st.model.doc.id.clone(), st.history.clone());
                    *history_timer.borrow_mut() = Some(gloo::timers::callback::Timeout::new(400, move || {
                        let _ = storage::save_history(&doc_id, &history.borrow());
                    }));
                }));
                run_after_paint(pending);
            }
        });
    }
    {
        let history_timer = history_timer.clone();
        let pending = pending_save.clone();
        let (doc_id, history) = (state.model.doc.id.clone(), state.history.clone());
        use_effect_with(doc_id.clone(), move |_| {
            let flush = gloo::events::EventListener::new(&gloo::utils::window(), "pagehide", move |_| {
                let job = pending.borrow_mut().take();
                if let Some(job) = job {
                    job();
                }
                if history_timer.borrow_mut().take().is_some() {
                    let _ = storage::save_history(&doc_id, &history.borrow());
                }
            });
            move || drop(flush)
        });
    }

    // Scroll the selected annotation into view when it was picked from the list.
    use_effect_with(state.scroll_to.clone(), |target| {
        if let Some((id, _)) = target {
            let sel = format!("mark[data-ids~=\"{}\"]", id.replace(['"', '\\'], ""));
            if let Ok(Some(el)) = gloo::utils::document().query_selector(&sel) {
                let opts = web_sys::ScrollIntoViewOptions::new();
                opts.set_block(web_sys::ScrollLogicalPosition::Center);
                el.scroll_into_view_with_scroll_into_view_options(&opts);
            }
        }
    });

    // On start: open the document the URL names; mark the page ready.
    {
        let dispatch = state.dispatcher();
        let library = state.library.clone();
        let current = state.model.doc.id.clone();
        use_effect_with((), move |_| {
            match docs::hash_doc_id() {
                Some(id) if id != current && library.contains(&id) => library_ops::open(id, library, dispatch, false, None),
                Some(id) if id != current => {
                    dispatch.dispatch(AppAction::Notice(format!("The link names a document ({id}) that is not in this browser; showing the sample article.")));
                    docs::set_hash(&current, false);
                }
                _ => docs::set_hash(&current, false),
            }
            gloo::utils::body().set_attribute("data-ready", "true").ok();
        });
    }

    // Back/forward and edited URLs switch documents; another tab's writes are merged in.
    {
        let dispatch = state.dispatcher();
        let live = live.clone();
        use_effect_with((), move |_| {
            let window = gloo::utils::window();
            let (d1, l1) = (dispatch.clone(), live.clone());
            let on_nav = move |_: &Event| {
                let (current, library) = {
                    let l = l1.borrow();
                    (l.doc.as_ref().map(|d| d.id.clone()), l.library.clone())
                };
                if let (Some(id), Some(library)) = (docs::hash_doc_id(), library) {
                    if Some(&id) != current.as_ref() && library.contains(&id) {
                        library_ops::open(id, library, d1.clone(), false, None);
                    }
                }
            };
            let popstate = gloo::events::EventListener::new(&window, "popstate", on_nav.clone());
            let hashchange = gloo::events::EventListener::new(&window, "hashchange", on_nav);
            let (d2, l2) = (dispatch.clone(), live.clone());
            let storage_ev = gloo::events::EventListener::new(&window, "storage", move |e| {
                if let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() {
                    on_storage_event(e, &l2, &d2);
                }
            });
            move || drop((popstate, hashchange, storage_ev))
        });
    }

    let save_text = match &*save {
        SaveState::Loaded if state.notice.as_deref().is_some_and(|n| n.starts_with("Local storage is unavailable")) => "Not saved",
        SaveState::Loaded | SaveState::Saved => "Saved",
        SaveState::Failed(_) => "Not saved",
    };
    let save_failed = match &*save {
        SaveState::Failed(e) => Some(e.clone()),
        _ => None,
    };
    let selected_rc: Option<Rc<str>> = state.model.selected.as_deref().map(Rc::from);
    let download_backup = state.backups.last().map(|key| {
        let key = key.clone();
        let state = state.clone();
        Callback::from(move |_| {
            let raw = storage::get(&key).ok().flatten().unwrap_or_default();
            if let Err(e) = download::download_text(&format!("{key}.json"), "application/json", &raw) {
                state.dispatch(AppAction::Notice(format!("The download failed: {e}.")));
            }
        })
    });
    let download_copy = {
        let onexport = onexport.clone();
        Callback::from(move |_| onexport.emit(Format::Native))
    };
    let (can_undo, can_redo, undo_title, redo_title) = {
        let h = state.history.borrow();
        (
            h.can_undo() || state.undoable_deletion().is_some(),
            h.can_redo(),
            match state.undoable_deletion() {
                Some(r) => format!("Undo: delete the document “{}” (Ctrl+Z)", r.meta.title),
                None => h.undo_description().map_or("Nothing to undo".to_string(), |d| format!("Undo: {d} (Ctrl+Z)")),
            },
            h.redo_description().map_or("Nothing to redo".to_string(), |d| format!("Redo: {d} (Ctrl+Shift+Z)")),
        )
    };
    let orphans: Vec<_> = state.open_orphans().into_iter().cloned().collect();
    let doc_cb = |f: fn(&AppState, &UseReducerDispatcher<AppState>, String)| {
        let state = state.clone();
        Callback::from(move |id: String| f(&state, &state.dispatcher(), id))
    };
    let onopendoc = {
        let (state, save) = (state.clone(), save.clone());
        Callback::from(move |id: String| {
            if id == state.model.doc.id {
                return;
            }
            // Never leave unsaved work behind: it exists only in this tab.
            if matches!(*save, SaveState::Failed(_)) {
                state.dispatch(AppAction::Notice(
                    "Your last change to this document is not saved yet. Use “Download a copy” (or free some storage and make any edit) before switching documents.".into(),
                ));
                return;
            }
            library_ops::open(id, state.library.clone(), state.dispatcher(), true, None)
        })
    };
    let ondeletedoc = doc_cb(|st, d, id| library_ops::delete(&id, &st.model.doc.id, &st.library, st.last_deleted.clone(), d));
    let onrenamedoc = {
        let state = state.clone();
        Callback::from(move |(id, title): (String, String)| library_ops::rename(&id, &title, &state.library, &state.dispatcher()))
    };
    let onopenfile = {
        let state = state.clone();
        Callback::from(move |f: web_sys::File| library_ops::open_file(f, state.library.clone(), state.dispatcher()))
    };
    let onimportbackup = {
        let state = state.clone();
        Callback::from(move |f: web_sys::File| library_ops::import_backup(f, state.library.clone(), state.model.doc.clone(), state.dispatcher()))
    };
    let onexportall = {
        let state = state.clone();
        Callback::from(move |_| library_ops::export_all(state.library.clone(), state.dispatcher()))
    };
    let onrestoreseed = {
        let state = state.clone();
        Callback::from(move |_| library_ops::restore_seed(&state.library, &state.dispatcher()))
    };
    let onpaste = simple(AppAction::Paste(true));
    let onpasteclose = simple(AppAction::Paste(false));
    let onpastesubmit = {
        let state = state.clone();
        Callback::from(move |(title, text): (String, String)| library_ops::open_pasted(title, text, state.library.clone(), state.dispatcher()))
    };
    let undo_delete = state.last_deleted.clone().map(|removed| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| library_ops::undo_delete(removed.clone(), &state.library, &state.dispatcher()))
    });
    // Dropping files on the page: texts open as documents, annotation files are imported.
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let state = state.clone();
        let onimport = onimport.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let Some(list) = e.data_transfer().and_then(|d| d.files()) else { return };
            let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
            let lower: Vec<String> = files.iter().map(|f| f.name().to_ascii_lowercase()).collect();
            let has_ann = lower.iter().any(|n| n.ends_with(".ann") || n.ends_with(".json") || n.ends_with(".jsonld"));
            if has_ann {
                onimport.emit(files);
            } else if let Some(f) = files.into_iter().next() {
                library_ops::open_file(f, state.library.clone(), state.dispatcher());
            }
        })
    };
    let seed_id = docs::seed_meta().id;
    let seed_listed = state.library.contains(&seed_id);
    let doc_title = state.library.get(&doc.id).map(|m| m.title.clone()).unwrap_or_else(|| doc.title.clone());
    let docs_list = Rc::new(state.library.docs.clone());

    // The skip link focuses the article without navigating: the URL's hash names the document.
    let onskip = {
        let article_ref = article_ref.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            if let Some(a) = article_ref.cast::<web_sys::HtmlElement>() {
                let _ = a.focus();
            }
        })
    };
    html! {
        <div class="app" {ondragover} {ondrop}>
            <a class="skip" href="#article" onclick={onskip}>{ "Skip to the article" }</a>
            <header class="top">
                <h1>{ "Annotator" }</h1>
                <Toolbar ontag={ontag.clone()} {ondelete} {onundo} {onredo} {can_undo} {can_redo}
                    undo_title={AttrValue::from(undo_title)} redo_title={AttrValue::from(redo_title)}
                    {onexport} {onimport} snap_words={state.snap_words} {onsnap} {onhelp} />
                <p id="save-status" role="status" class={classes!("save", save_failed.is_some().then_some("failed"))}>{ save_text }</p>
            </header>
            <div id="notice" role="alert" class={classes!("notice", (state.notice.is_none() && save_failed.is_none() && download_backup.is_none() && state.pending_labels.is_none()).then_some("empty"))}>
                if let Some(n) = &state.notice { <p>{ n }</p> }
                if let Some(e) = &save_failed {
                    <p>{ format!("Your last change could not be saved: {e}. Your work is kept in this tab; download a copy so it is not lost.") }</p>
                    <button type="button" onclick={download_copy}>{ "Download a copy" }</button>
                }
                if let Some(cb) = download_backup { <button type="button" onclick={cb}>{ "Download the unreadable data" }</button> }
                if let Some(p) = &state.pending_labels {
                    <p>{ &p.message }</p>
                    <div class="label-choice" role="group" aria-label="Unknown labels">
                        { for label_choices(p, &state) }
                    </div>
                }
            </div>
            <p id="info" aria-live="polite" class="info">{ state.info.clone().unwrap_or_default() }
                if let Some(cb) = undo_delete { { " " }<button type="button" onclick={cb}>{ "Undo delete" }</button> }
            </p>
            <crate::components::update_banner::UpdateBanner />
            <p id="announce" class="visually-hidden" aria-live="polite">{ state.announce.clone() }</p>
            <div class="layout">
                <main class="reader">
                    <h2 class="doc-title">{ &doc_title }</h2>
                    <ArticleView index={doc.index.clone()} paragraphs={paragraphs.clone()} by_para={by_para.clone()}
                        selected={selected_rc} onhighlight={onhighlight} article_ref={article_ref.clone()}
                        title={AttrValue::from(doc_title.clone())} />
                    <div id="kbd-caret" class="kbd-caret" aria-hidden="true"></div>
                </main>
                <aside class="sidebar" aria-label="Annotations and tools">
                    <Legend />
                    <OrphanList {orphans} {onreattach} ondelete={ondeleteorphan} />
                    <AnnList annotations={state.model.annotations.clone()} filter={state.filter.clone()}
                        selected={state.model.selected.clone()} counts={state.model.counts()} {onactivate} {onnote}
                        {ontoggle} {onquery} edit_note={state.edit_note.clone()} />
                    <SummaryView annotations={state.model.annotations.clone()} total_cp={doc.index.len_cp()} />
                    <Documents docs={docs_list} current={AttrValue::from(doc.id.clone())} onopen={onopendoc}
                        onrename={onrenamedoc} ondelete={ondeletedoc} {onopenfile} {onpaste} {onrestoreseed} {seed_listed}
                        {onexportall} {onimportbackup} />
                    <p class="hint">{ "Select text, then press 1 (Claim), 2 (Denial) or 3 (Statistic). Pick an annotation to retag it with 1–3 or remove it with Delete; Escape deselects; ? lists every shortcut." }</p>
                </aside>
            </div>
            if state.help_open { <HelpDialog onclose={onhelpclose} /> }
            if state.paste_open { <PasteDialog onsubmit={onpastesubmit} onclose={onpasteclose} /> }
        </div>
    }
}

/// Another tab wrote to local storage: take its library, and merge its
/// changes to the open document (writing back what it lacked).
fn on_storage_event(e: &web_sys::StorageEvent, live: &Rc<std::cell::RefCell<Live>>, dispatch: &UseReducerDispatcher<AppState>) {
    let Some(key) = e.key() else { return };
    if key == annotator_core::library::LIBRARY_KEY {
        let Some(value) = e.new_value() else { return };
        if let Ok(lib) = annotator_core::library::Library::from_json(value.as_bytes()) {
            dispatch.dispatch(AppAction::SetLibrary(Rc::new(lib)));
        }
        return;
    }
    let Some(doc) = live.borrow().doc.clone() else { return };
    if key == annotator_core::library::delta_key(&doc.id) {
        // Another tab's journal: it now holds that tab's edits and ours (each
        // tab merges the other's journal before writing it).
        let Some(journal) = live.borrow().journal.clone() else { return };
        let Some(value) = e.new_value() else {
            // Removed: that tab wrote the whole record (its own event brings it).
            *journal.borrow_mut() = annotator_core::merge::DocRecord::default();
            return;
        };
        let Ok(theirs) = annotator_core::merge::parse_record(value.as_bytes(), Some(&doc.id), Some(&doc.index)) else { return };
        journal.borrow_mut().absorb(&theirs.record);
        let Some(known) = live.borrow().record.clone() else { return };
        let full = annotator_core::merge::merge(&known.borrow(), &theirs.record);
        dispatch.dispatch(AppAction::ExternalRecord(full));
        return;
    }
    if key != annotator_core::library::doc_key(&doc.id) {
        return;
    }
    let Some(value) = e.new_value() else { return };
    let Ok(theirs) = annotator_core::merge::parse_record(value.as_bytes(), Some(&doc.id), Some(&doc.index)) else { return };
    // The merge happens in the reducer, in order with this tab's own edits,
    // so an edit not yet saved is never replaced by the other tab's copy.
    dispatch.dispatch(AppAction::ExternalRecord(theirs.record));
}

/// The buttons that finish (or cancel) an import held back for unknown labels.
fn label_choices(p: &PendingImport, state: &UseReducerHandle<AppState>) -> Vec<Html> {
    let mut out = Vec::new();
    let choices: Vec<(String, Option<UnknownLabelPolicy>)> = Label::ALL
        .into_iter()
        .map(|l| (format!("Map to {}", l.display()), Some(UnknownLabelPolicy::MapTo(l))))
        .chain([("Skip them".to_string(), Some(UnknownLabelPolicy::Skip)), ("Cancel import".to_string(), None)])
        .collect();
    for (text, policy) in choices {
        let (files, names, doc, dispatch) = (p.files.clone(), p.names.clone(), state.model.doc.clone(), state.dispatcher());
        let onclick = Callback::from(move |_: MouseEvent| match &policy {
            None => {
                dispatch.dispatch(AppAction::PendingLabels(None));
                dispatch.dispatch(AppAction::Info("Import cancelled; nothing was changed.".into()));
            }
            Some(policy) => match import_files(&files, &doc, &browser::now_iso(), policy.clone()) {
                Ok(imported) => dispatch.dispatch(AppAction::Import { imported, file_name: names.clone() }),
                Err(e) => {
                    dispatch.dispatch(AppAction::PendingLabels(None));
                    dispatch.dispatch(AppAction::Notice(format!("Could not import {e} Nothing was changed.")));
                }
            },
        });
        out.push(html! { <button type="button" key={text.clone()} {onclick}>{ text }</button> });
    }
    out
}

type Job = Rc<std::cell::RefCell<Option<Box<dyn FnOnce()>>>>;

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

/// Writes the changes of `st` since the last write (annotations to the
/// journal, orphans), then updates the library's counts. A version another
/// tab made newer wins the merge; the tab then shows it.
fn save_now(st: &AppState, live: &Rc<std::cell::RefCell<Live>>, dispatch: &UseReducerDispatcher<AppState>, save: &UseStateHandle<SaveState>) {
    let doc = &st.model.doc;
    let now = browser::now_iso();
    let library = live.borrow().library.clone().unwrap_or_else(|| st.library.clone());
    let mut meta = docs::meta_for(&library, doc);
    meta.counts = st.model.counts();
    let delta = st.record.borrow().edit_delta(&st.model.annotations, &now);
    let written = if delta.is_empty() {
        Ok(())
    } else {
        let whole = st.rewrite_whole.get();
        storage::write_journal(&meta, &mut st.record.borrow_mut(), &mut st.journal.borrow_mut(), &delta, whole).map(|_| {
            st.rewrite_whole.set(false);
        })
    };
    if let Err(e) = written.and_then(|_| storage::save_orphans(&doc.id, &st.orphans)) {
        save.set(SaveState::Failed(e));
        return;
    }
    save.set(SaveState::Saved);
    let record = st.record.borrow();
    let still_open = live.borrow().doc.as_ref().is_some_and(|d| d.id == doc.id);
    if !delta.is_empty() && still_open {
        // Did every change take effect? (Another tab's newer version of an
        // annotation, or its later deletion, wins the merge.)
        let lost = if delta.annotations.len() + delta.deleted.len() > 64 {
            !same_content(&record.annotations, &st.model.annotations)
        } else {
            delta.annotations.iter().any(|a| !record.annotations.iter().any(|b| b.id == a.id && b.same_content(a)))
                || delta.deleted.keys().any(|id| record.annotations.iter().any(|b| &b.id == id))
        };
        if lost {
            dispatch.dispatch(AppAction::External(record.annotations.clone()));
        }
    }
    let counts = annotator_core::library::counts_of(&record.annotations);
    let mut lib = (*library).clone();
    if lib.touch(&doc.id, counts, &now).is_ok() && storage::save_library(&lib).is_ok() {
        dispatch.dispatch(AppAction::SetLibrary(Rc::new(lib)));
    }
}

/// Compares by pointer: a memo dependency that changes exactly when the
/// value was replaced, without comparing 10,000 annotations field by field.
#[derive(Clone)]
struct ByPtr<T>(Rc<T>);

impl<T> PartialEq for ByPtr<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
