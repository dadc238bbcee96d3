//! The app shell: state, keyboard shortcuts, autosave, export and import.

use super::ann_list::AnnList;
use super::article::ArticleView;
use super::legend::Legend;
use super::toolbar::Toolbar;
use crate::browser::{self, download, selection, storage};
use crate::state::{AppAction, AppState};
use annotator_core::plan::{annotations_by_paragraph, paragraphs};
use annotator_core::{native, Document, Label, State};
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
    match storage::load(&doc) {
        storage::Loaded::Empty => AppState::new(State::new(doc), None),
        storage::Loaded::Found(anns) => AppState::new(State::with_annotations(doc, anns), None),
        storage::Loaded::Corrupt { backup_key, reason } => AppState::new(
            State::new(doc),
            Some(format!(
                "The saved annotations for this article could not be read ({reason}). \
                 They were kept unchanged under the storage key “{backup_key}”; use “Download the unreadable data” to get them."
            )),
        ),
        storage::Loaded::Unavailable(reason) => AppState::new(
            State::new(doc),
            Some(format!("Local storage is unavailable ({reason}): your work is kept only in this tab. Use Export to keep a copy.")),
        ),
    }
}

/// Whether a key event comes from a place where typing must not trigger shortcuts.
fn typing_target(e: &KeyboardEvent) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    let tag = el.tag_name().to_ascii_lowercase();
    matches!(tag.as_str(), "input" | "textarea" | "select")
        || el.get_attribute("contenteditable").is_some_and(|v| v != "false")
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);
    let save = use_state(|| SaveState::Loaded);
    let article_ref = use_node_ref();
    let backup_key = use_state(|| None::<String>);

    let doc = state.model.doc.clone();
    let paragraphs = use_memo(doc.id.clone(), {
        let doc = doc.clone();
        move |_| paragraphs(&doc.index)
    });
    let by_para = use_memo((paragraphs.clone(), state.model.annotations.clone()), |(paras, anns)| {
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
    let ondelete = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(AppAction::DeleteSelected))
    };
    let onexport = {
        let state = state.clone();
        Callback::from(move |_| {
            let doc = &state.model.doc;
            let json = native::export(doc, &state.model.annotations);
            let name = format!("{}.annotations.json", doc.name);
            if let Err(e) = download::download_text(&name, "application/json", &json) {
                state.dispatch(AppAction::Notice(format!("The download of {name} failed: {e}.")));
            }
        })
    };
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let onimport = {
        let state = state.clone();
        let reader = reader.clone();
        Callback::from(move |file: web_sys::File| {
            let file = gloo::file::File::from(file);
            let name = file.name();
            let size = file.size() as usize;
            if size > native::MAX_FILE_BYTES {
                state.dispatch(AppAction::Notice(format!(
                    "Could not import {name}: {} Nothing was changed.",
                    native::ImportError::TooLarge { bytes: size, max: native::MAX_FILE_BYTES }
                )));
                return;
            }
            let dispatch = state.dispatcher();
            let doc = state.model.doc.clone();
            let existing: std::collections::HashSet<String> = state.model.annotations.iter().map(|a| a.id.clone()).collect();
            let task = gloo::file::callbacks::read_as_bytes(&file, move |res| match res {
                Err(e) => dispatch.dispatch(AppAction::Notice(format!("Could not read {name}: {e}. Nothing was changed."))),
                Ok(bytes) => match native::import(&bytes, &doc) {
                    Err(e) => dispatch.dispatch(AppAction::Notice(format!("Could not import {name}: {e} Nothing was changed."))),
                    Ok(parsed) => {
                        let n = parsed.annotations.len();
                        let updated = parsed.annotations.iter().filter(|a| existing.contains(&a.id)).count();
                        let other_doc = parsed.doc_id.as_deref().is_some_and(|id| id != doc.id);
                        let summary = format!(
                            "Imported {n} annotation{} from {name}: {} new, {updated} updated.{}",
                            if n == 1 { "" } else { "s" },
                            n - updated,
                            if other_doc { " (The file was made for another version of the text; every quote matched this one.)" } else { "" }
                        );
                        dispatch.dispatch(AppAction::Import { annotations: parsed.annotations, summary });
                    }
                },
            });
            *reader.borrow_mut() = Some(task);
        })
    };
    let onactivate = {
        let dispatch = state.dispatcher();
        Callback::from(move |id: String| dispatch.dispatch(AppAction::Select { id: Some(id), scroll: true }))
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

    // Keyboard shortcuts on the whole page.
    {
        let ontag = ontag.clone();
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let document = gloo::utils::document();
            let listener = gloo::events::EventListener::new(&document, "keydown", move |e| {
                let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
                if e.ctrl_key() || e.meta_key() || e.alt_key() || typing_target(e) || e.is_composing() {
                    return;
                }
                if let Some(label) = Label::from_key(&e.key()) {
                    e.prevent_default();
                    ontag.emit(label);
                } else if e.key() == "Delete" {
                    e.prevent_default();
                    dispatch.dispatch(AppAction::DeleteSelected);
                } else if e.key() == "Escape" {
                    dispatch.dispatch(AppAction::Select { id: None, scroll: false });
                }
            });
            move || drop(listener)
        });
    }

    // Autosave every change at once.
    {
        let save = save.clone();
        let model = state.model.clone();
        use_effect_with(state.revision, move |rev| {
            if *rev > 0 {
                match storage::save(&model.doc, &model.annotations) {
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
        use_effect_with((), move |_| {
            if notice.is_some() {
                let prefix = storage::doc_key(&Document::new("", "", crate::SEED_TEXT).id);
                if let Some(key) = find_backup(&prefix) {
                    backup_key.set(Some(key));
                }
            }
            gloo::utils::body().set_attribute("data-ready", "true").ok();
        });
    }

    let save_text = match &*save {
        SaveState::Loaded if state.notice.as_deref().is_some_and(|n| n.starts_with("Local storage is unavailable")) => {
            "Not saved".to_string()
        }
        SaveState::Loaded => "Saved".to_string(),
        SaveState::Saved => "Saved".to_string(),
        SaveState::Failed(_) => "Not saved".to_string(),
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
    let onexport2 = onexport.clone();

    html! {
        <div class="app">
            <header class="top">
                <h1>{ "Annotator" }</h1>
                <Toolbar ontag={ontag.clone()} ondelete={ondelete} onexport={onexport} onimport={onimport} />
                <p id="save-status" role="status" class={classes!("save", save_failed.is_some().then_some("failed"))}>{ save_text }</p>
            </header>
            <div id="notice" role="alert" class={classes!("notice", state.notice.is_none().then_some("empty"))}>
                if let Some(n) = &state.notice { <p>{ n }</p> }
                if let Some(e) = &save_failed {
                    <p>{ format!("Your last change could not be saved: {e}. Your work is kept in this tab; download a copy so it is not lost.") }</p>
                    <button type="button" onclick={Callback::from(move |_| onexport2.emit(()))}>{ "Download a copy" }</button>
                }
                if let Some(cb) = download_backup { <button type="button" onclick={cb}>{ "Download the unreadable data" }</button> }
            </div>
            <p id="info" aria-live="polite" class="info">{ state.info.clone().unwrap_or_default() }</p>
            <div class="layout">
                <main class="reader">
                    <h2 class="doc-title">{ &doc.title }</h2>
                    <ArticleView index={doc.index.clone()} paragraphs={paragraphs.clone()} by_para={by_para.clone()}
                        selected={selected_rc} onhighlight={onhighlight} article_ref={article_ref.clone()}
                        title={AttrValue::from(doc.title.clone())} />
                </main>
                <aside class="sidebar">
                    <Legend />
                    <AnnList annotations={state.model.annotations.clone()} selected={state.model.selected.clone()}
                        counts={state.model.counts()} {onactivate} />
                    <p class="hint">{ "Select text, then press 1 (Claim), 2 (Denial) or 3 (Statistic). Pick an annotation to retag it with 1–3 or remove it with Delete; Escape deselects." }</p>
                </aside>
            </div>
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
