//! The app shell: state, keyboard shortcuts, autosave, export and import.

use super::ann_list::AnnList;
use super::article::ArticleView;
use super::help::HelpDialog;
use super::legend::Legend;
use super::orphans::OrphanList;
use super::summary::SummaryView;
use super::toolbar::Toolbar;
use crate::browser::{self, download, selection, storage};
use crate::keys::{self, Live};
use crate::state::{AppAction, AppState};
use annotator_core::formats::{self, Format, ImportOptions, Imported};
use annotator_core::native::{self, ImportError};
use annotator_core::plan::{annotations_by_paragraph, paragraphs};
use annotator_core::{Annotation, Document, Label, State};
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
    let doc = Rc::new(Document::new(crate::SEED_TITLE, crate::SEED_NAME, crate::SEED_TEXT));
    let (history, history_err) = storage::load_history(&doc.id);
    let orphans = storage::load_orphans(&doc.id);
    let (model, mut notice) = match storage::load(&doc) {
        storage::Loaded::Empty => (State::new(doc.clone()), None),
        storage::Loaded::Found(anns) => (State::with_annotations(doc.clone(), anns), None),
        storage::Loaded::Corrupt { backup_key, reason } => (
            State::new(doc.clone()),
            Some(format!(
                "The saved annotations for this article could not be read ({reason}). \
                 They were kept unchanged under the storage key “{backup_key}”; use “Download the unreadable data” to get them."
            )),
        ),
        storage::Loaded::Unavailable(reason) => (
            State::new(doc.clone()),
            Some(format!("Local storage is unavailable ({reason}): your work is kept only in this tab. Use Export to keep a copy.")),
        ),
    };
    if notice.is_none() {
        if let Some(e) = history_err {
            notice = Some(format!("The undo history could not be read ({e}); it starts afresh. Your annotations are unaffected."));
        }
    }
    AppState::new(model, history, orphans, notice)
}

/// Reads every chosen file, then calls `done` with (name, bytes) pairs, or
/// the first read error.
fn read_files(files: Vec<web_sys::File>, done: Callback<Result<Vec<(String, Vec<u8>)>, String>>) {
    let results: Rc<std::cell::RefCell<Vec<Option<(String, Vec<u8>)>>>> = Rc::new(std::cell::RefCell::new(vec![None; files.len()]));
    let tasks: Rc<std::cell::RefCell<Vec<gloo::file::callbacks::FileReader>>> = Rc::default();
    let total = files.len();
    for (i, f) in files.into_iter().enumerate() {
        let file = gloo::file::File::from(f);
        let name = file.name();
        let (results, done, tasks2) = (results.clone(), done.clone(), tasks.clone());
        let task = gloo::file::callbacks::read_as_bytes(&file, move |res| match res {
            Err(e) => done.emit(Err(format!("Could not read {name}: {e}"))),
            Ok(bytes) => {
                let ready = {
                    let mut r = results.borrow_mut();
                    r[i] = Some((name, bytes));
                    r.iter().all(Option::is_some)
                };
                if ready && results.borrow().len() == total {
                    let all = results.borrow_mut().drain(..).flatten().collect();
                    tasks2.borrow_mut().clear();
                    done.emit(Ok(all));
                }
            }
        });
        tasks.borrow_mut().push(task);
    }
    // The readers live until every file is read (the last callback clears them).
    std::mem::forget(tasks);
}

/// Imports the chosen files into `doc`: a brat `.ann` with its `.txt`, or one
/// annotation file of any supported format. A native file made for this very
/// text must match it exactly (a mismatch means the file is damaged); one
/// made for another text is re-anchored.
fn import_files(files: &[(String, Vec<u8>)], doc: &Document, now: &str) -> Result<Imported, String> {
    let opts = ImportOptions { now: now.to_string(), ..Default::default() };
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
    if let Ok(Format::Native) = formats::detect(name, bytes) {
        let same_text = native::parse_json_bounded(bytes)
            .ok()
            .and_then(|v| v.get("document").and_then(|d| d.get("id")).and_then(|i| i.as_str()).map(|i| i == doc.id))
            .unwrap_or(false);
        if same_text {
            let parsed = native::import(bytes, doc).map_err(|e| format!("{name}: {e}"))?;
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
    let backup_key = use_state(|| None::<String>);
    let live = use_mut_ref(Live::default);
    {
        let mut l = live.borrow_mut();
        l.index = Some(state.model.doc.index.clone());
        l.article = article_ref.clone();
        l.help_open = state.help_open;
    }

    let doc = state.model.doc.clone();
    let paragraphs = use_memo(doc.id.clone(), {
        let doc = doc.clone();
        move |_| paragraphs(&doc.index)
    });
    let shown: Rc<Vec<Annotation>> = use_memo((state.model.annotations.clone(), state.filter.clone()), |(anns, filter)| {
        if filter.is_active() {
            filter.apply(anns).into_iter().cloned().collect()
        } else {
            (**anns).clone()
        }
    });
    let by_para = use_memo((paragraphs.clone(), shown.clone()), |(paras, anns)| {
        annotations_by_paragraph(paras, anns).into_iter().map(Rc::new).collect::<Vec<_>>()
    });

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
    let onundo = simple(AppAction::Undo);
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
                    let result = res.and_then(|files| import_files(&files, &doc, &browser::now_iso()));
                    match result {
                        Ok(imported) => dispatch.dispatch(AppAction::Import { imported, file_name: names.clone() }),
                        Err(e) => dispatch.dispatch(AppAction::Notice(format!("Could not import {e} Nothing was changed."))),
                    }
                }),
            );
        })
    };
    let onactivate = {
        let dispatch = state.dispatcher();
        Callback::from(move |id: String| dispatch.dispatch(AppAction::Select { id: Some(id), scroll: true }))
    };
    let onnote = {
        let dispatch = state.dispatcher();
        Callback::from(move |(id, note): (String, String)| dispatch.dispatch(AppAction::SetNote { id, note, now: browser::now_iso() }))
    };
    let ontoggle = {
        let dispatch = state.dispatcher();
        Callback::from(move |l: Label| dispatch.dispatch(AppAction::ToggleLabel(l)))
    };
    let onquery = {
        let dispatch = state.dispatcher();
        Callback::from(move |q: String| dispatch.dispatch(AppAction::SetQuery(q)))
    };
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
            let keydown = gloo::events::EventListener::new(&document, "keydown", move |e| {
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
            let focusin = gloo::events::EventListener::new(&document, "focusin", caret_update.clone());
            let focusout = gloo::events::EventListener::new(&document, "focusout", caret_update);
            move || drop((keydown, selchange, focusin, focusout))
        });
    }

    // Autosave every change at once: annotations, then history and orphans.
    {
        let save = save.clone();
        let st = (*state).clone();
        use_effect_with(state.revision, move |rev| {
            if *rev > 0 {
                let doc = &st.model.doc;
                let result = storage::save(doc, &st.model.annotations)
                    .and_then(|_| storage::save_orphans(&doc.id, &st.orphans))
                    .and_then(|_| storage::save_history(&doc.id, &st.history.borrow()));
                match result {
                    Ok(()) => save.set(SaveState::Saved),
                    Err(e) => save.set(SaveState::Failed(e)),
                }
            }
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

    // Remember the backup key of unreadable stored data, for its download button.
    {
        let backup_key = backup_key.clone();
        let notice = state.notice.clone();
        let doc_id = doc.id.clone();
        use_effect_with((), move |_| {
            if notice.is_some() {
                if let Some(key) = find_backup(&storage::doc_key(&doc_id)) {
                    backup_key.set(Some(key));
                }
            }
            gloo::utils::body().set_attribute("data-ready", "true").ok();
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
    let download_backup = backup_key.as_ref().map(|key| {
        let key = key.clone();
        let state = state.clone();
        Callback::from(move |_| {
            let raw = storage::read_raw(&key).unwrap_or_default();
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
            h.can_undo(),
            h.can_redo(),
            h.undo_description().map_or("Nothing to undo".to_string(), |d| format!("Undo: {d} (Ctrl+Z)")),
            h.redo_description().map_or("Nothing to redo".to_string(), |d| format!("Redo: {d} (Ctrl+Shift+Z)")),
        )
    };
    let orphans: Vec<_> = state.open_orphans().into_iter().cloned().collect();

    html! {
        <div class="app">
            <a class="skip" href="#article">{ "Skip to the article" }</a>
            <header class="top">
                <h1>{ "Annotator" }</h1>
                <Toolbar ontag={ontag.clone()} {ondelete} {onundo} {onredo} {can_undo} {can_redo}
                    undo_title={AttrValue::from(undo_title)} redo_title={AttrValue::from(redo_title)}
                    {onexport} {onimport} snap_words={state.snap_words} {onsnap} {onhelp} />
                <p id="save-status" role="status" class={classes!("save", save_failed.is_some().then_some("failed"))}>{ save_text }</p>
            </header>
            <div id="notice" role="alert" class={classes!("notice", (state.notice.is_none() && save_failed.is_none() && download_backup.is_none()).then_some("empty"))}>
                if let Some(n) = &state.notice { <p>{ n }</p> }
                if let Some(e) = &save_failed {
                    <p>{ format!("Your last change could not be saved: {e}. Your work is kept in this tab; download a copy so it is not lost.") }</p>
                    <button type="button" onclick={download_copy}>{ "Download a copy" }</button>
                }
                if let Some(cb) = download_backup { <button type="button" onclick={cb}>{ "Download the unreadable data" }</button> }
            </div>
            <p id="info" aria-live="polite" class="info">{ state.info.clone().unwrap_or_default() }</p>
            <crate::components::update_banner::UpdateBanner />
            <p id="announce" class="visually-hidden" aria-live="polite">{ state.announce.clone() }</p>
            <div class="layout">
                <main class="reader">
                    <h2 class="doc-title">{ &doc.title }</h2>
                    <ArticleView index={doc.index.clone()} paragraphs={paragraphs.clone()} by_para={by_para.clone()}
                        selected={selected_rc} onhighlight={onhighlight} article_ref={article_ref.clone()}
                        title={AttrValue::from(doc.title.clone())} />
                    <div id="kbd-caret" class="kbd-caret" aria-hidden="true"></div>
                </main>
                <aside class="sidebar" aria-label="Annotations and tools">
                    <Legend />
                    <OrphanList {orphans} {onreattach} ondelete={ondeleteorphan} />
                    <AnnList annotations={state.model.annotations.clone()} filter={state.filter.clone()}
                        selected={state.model.selected.clone()} counts={state.model.counts()} {onactivate} {onnote}
                        {ontoggle} {onquery} edit_note={state.edit_note.clone()} />
                    <SummaryView annotations={state.model.annotations.clone()} total_cp={doc.index.len_cp()} />
                    <p class="hint">{ "Select text, then press 1 (Claim), 2 (Denial) or 3 (Statistic). Pick an annotation to retag it with 1–3 or remove it with Delete; Escape deselects; ? lists every shortcut." }</p>
                </aside>
            </div>
            if state.help_open { <HelpDialog onclose={onhelpclose} /> }
        </div>
    }
}

/// The newest backup key under `prefix`, if any.
fn find_backup(prefix: &str) -> Option<String> {
    let s = web_sys::window()?.local_storage().ok()??;
    let n = s.length().ok()?;
    let mut keys: Vec<String> = (0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(prefix) && k.contains(".backup-"))
        .collect();
    keys.sort();
    keys.pop()
}
