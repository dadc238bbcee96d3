//! Document operations of the library: open, open a new text (file, paste,
//! drop), rename, delete and undo the deletion, restore the sample article,
//! export and import the whole library. Each reports to the person through
//! the reducer; nothing already saved is lost on any error path.

use crate::browser::{self, download, storage};
use crate::docs;
use crate::state::{AppAction, AppState};
use annotator_core::bundle;
use annotator_core::library::{DocMeta, Library, Removed};
use annotator_core::textfile::{self, Decoded};
use annotator_core::Document;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::UseReducerDispatcher;

type Dispatch = UseReducerDispatcher<AppState>;

/// Opens document `id` of `library` (loading its text), then points the URL at it.
pub fn open(id: String, library: Rc<Library>, dispatch: Dispatch, push: bool, info: Option<String>) {
    let Some(meta) = library.get(&id).cloned() else {
        dispatch.dispatch(AppAction::Notice(format!("There is no document with id {id} in this browser.")));
        return;
    };
    spawn_local(async move {
        match docs::document_for(&meta).await {
            Ok(doc) => {
                let (mut opened, _, backups) = docs::load_opened(Rc::new(doc));
                opened.info = info;
                dispatch.dispatch(AppAction::OpenDoc(Box::new(opened)));
                if !backups.is_empty() {
                    dispatch.dispatch(AppAction::AddBackups(backups));
                }
                docs::set_hash(&id, push);
            }
            Err(e) => dispatch.dispatch(AppAction::Notice(format!("Could not open “{}”: {e}.", meta.title))),
        }
    });
}

/// Adds a decoded text to the library (or finds it there) and opens it.
pub fn open_new_text(decoded: Decoded, title: String, name: String, library: Rc<Library>, dispatch: Dispatch) {
    let now = browser::now_iso();
    let meta = DocMeta::new(&decoded.text, &title, &name, &now);
    let id = meta.id.clone();
    spawn_local(async move {
        let mut lib = (*library).clone();
        let added = match lib.add(meta.clone()) {
            Ok(a) => a,
            Err(e) => {
                dispatch.dispatch(AppAction::Notice(format!("Could not add “{title}”: {e}.")));
                return;
            }
        };
        if added && !meta.seed {
            if let Err(e) = storage::save_text(&id, &decoded.text).await {
                dispatch.dispatch(AppAction::Notice(format!(
                    "Could not store the text of “{title}” ({e}). Nothing was changed; free some space or export your work first."
                )));
                return;
            }
            if let Err(e) = storage::save_library(&lib) {
                dispatch.dispatch(AppAction::Notice(format!("Could not save the list of documents ({e}). Nothing was changed.")));
                return;
            }
        }
        let lib = Rc::new(lib);
        dispatch.dispatch(AppAction::SetLibrary(lib.clone()));
        let mut info = if added { format!("Opened “{title}”.") } else { "This text is already in your documents; opened it.".to_string() };
        if decoded.bom_removed {
            info.push_str(" A UTF-8 byte order mark at its start was removed.");
        }
        open(id, lib, dispatch, true, Some(info));
    });
}

/// Reads a text file, checks it (UTF-8, not binary, not empty, size) and opens it.
pub fn open_file(file: web_sys::File, library: Rc<Library>, dispatch: Dispatch) {
    let name = file.name();
    if file.size() > textfile::MAX_TEXT_BYTES as f64 {
        let e = textfile::TextFileError::TooLarge { bytes: file.size() as usize, max: textfile::MAX_TEXT_BYTES };
        dispatch.dispatch(AppAction::Notice(format!("Could not open {name}: {e} Nothing was changed.")));
        return;
    }
    browser::read_file_bytes(file, move |res| {
        match res {
            Err(e) => dispatch.dispatch(AppAction::Notice(format!("Could not read {name}: {e}. Nothing was changed."))),
            Ok(bytes) => match textfile::decode_text_file(&name, &bytes) {
                Err(e) => dispatch.dispatch(AppAction::Notice(format!("Could not open {name}: {e} Nothing was changed."))),
                Ok(decoded) => {
                    let title = decoded.title_guess.clone();
                    let stem = textfile::title_from_file_name(&name).unwrap_or_else(|| "document".into());
                    open_new_text(decoded, title, stem, library, dispatch);
                }
            },
        }
    });
}

/// Opens a pasted text with an optional title.
pub fn open_pasted(title: String, text: String, library: Rc<Library>, dispatch: Dispatch) {
    match textfile::decode_pasted(&text) {
        Err(e) => dispatch.dispatch(AppAction::Notice(format!("Could not open the pasted text: {e}"))),
        Ok(decoded) => {
            let title = if title.trim().is_empty() { decoded.title_guess.clone() } else { title };
            let name = annotator_core::library::sanitize_name(&title);
            open_new_text(decoded, title, name, library, dispatch);
        }
    }
}

/// Renames a document.
pub fn rename(id: &str, title: &str, library: &Library, dispatch: &Dispatch) {
    let mut lib = library.clone();
    match lib.rename(id, title, &browser::now_iso()) {
        Err(e) => dispatch.dispatch(AppAction::Notice(format!("Could not rename: {e}."))),
        Ok(()) => match storage::save_library(&lib) {
            Err(e) => dispatch.dispatch(AppAction::Notice(format!("Could not save the new title ({e}); nothing was changed."))),
            Ok(()) => {
                dispatch.dispatch(AppAction::SetLibrary(Rc::new(lib)));
                dispatch.dispatch(AppAction::Info("Renamed.".into()));
            }
        },
    }
}

/// Takes a document out of the library (its data stays until the deletion
/// can no longer be undone). Switches to another document if it was open.
pub fn delete(id: &str, current: &str, library: &Library, previous: Option<Removed>, dispatch: &Dispatch) {
    let mut lib = library.clone();
    let removed = match lib.remove(id) {
        Ok(r) => r,
        Err(e) => return dispatch.dispatch(AppAction::Notice(format!("Could not delete: {e}."))),
    };
    if let Err(e) = storage::save_library(&lib) {
        return dispatch.dispatch(AppAction::Notice(format!("Could not delete ({e}); nothing was changed.")));
    }
    // Only one deletion can be undone: the one before is now final.
    if let Some(prev) = previous {
        let pid = prev.meta.id.clone();
        if !prev.meta.seed {
            spawn_local(async move { storage::delete_document_data(&pid).await });
        }
    }
    let lib = Rc::new(lib);
    let deleted_info = format!("Deleted the document “{}”.", removed.meta.title);
    dispatch.dispatch(AppAction::SetLibrary(lib.clone()));
    dispatch.dispatch(AppAction::Deleted(removed));
    if id == current {
        let mut lib2 = (*lib).clone();
        if lib2.docs.is_empty() {
            lib2.ensure_seed(docs::seed_meta());
            let _ = storage::save_library(&lib2);
        }
        let lib2 = Rc::new(lib2);
        dispatch.dispatch(AppAction::SetLibrary(lib2.clone()));
        if let Some(first) = lib2.docs.first() {
            // Opening replaces #info: keep saying what was deleted (the undo button stays).
            open(first.id.clone(), lib2.clone(), dispatch.clone(), true, Some(deleted_info));
        }
    }
}

/// Undoes the last document deletion.
pub fn undo_delete(removed: Removed, library: &Library, dispatch: &Dispatch) {
    let mut lib = library.clone();
    let id = removed.meta.id.clone();
    let title = removed.meta.title.clone();
    if !lib.restore(removed) {
        return dispatch.dispatch(AppAction::Notice("That document is listed again already.".into()));
    }
    if let Err(e) = storage::save_library(&lib) {
        return dispatch.dispatch(AppAction::Notice(format!("Could not restore the document ({e}).")));
    }
    let lib = Rc::new(lib);
    dispatch.dispatch(AppAction::SetLibrary(lib.clone()));
    dispatch.dispatch(AppAction::ForgetDeleted);
    open(id, lib, dispatch.clone(), true, Some(format!("Restored “{title}”.")));
}

/// Lists the sample article again.
pub fn restore_seed(library: &Library, dispatch: &Dispatch) {
    let mut lib = library.clone();
    lib.ensure_seed(docs::seed_meta());
    match storage::save_library(&lib) {
        Err(e) => dispatch.dispatch(AppAction::Notice(format!("Could not restore the sample article ({e})."))),
        Ok(()) => dispatch.dispatch(AppAction::SetLibrary(Rc::new(lib))),
    }
}

/// Downloads every document with its annotations as one bundle.
pub fn export_all(library: Rc<Library>, dispatch: Dispatch) {
    spawn_local(async move {
        let mut docs_out: Vec<(DocMeta, Document, annotator_core::merge::DocRecord)> = Vec::new();
        let mut problems = Vec::new();
        for meta in &library.docs {
            match docs::document_for(meta).await {
                Err(e) => problems.push(e),
                Ok(doc) => match storage::load_record(&doc.id, &doc.index) {
                    Ok(r) => docs_out.push((meta.clone(), doc, r.unwrap_or_default())),
                    Err((_, e)) => problems.push(format!("“{}”: {e}", meta.title)),
                },
            }
        }
        let parts: Vec<(DocMeta, &str, annotator_core::merge::DocRecord)> =
            docs_out.iter().map(|(m, d, r)| (m.clone(), d.text(), r.clone())).collect();
        let json = bundle::export(&parts);
        let date = browser::now_iso().chars().take(10).collect::<String>();
        let name = format!("annotator-library-{date}.json");
        match download::download_text(&name, "application/json", &json) {
            Err(e) => dispatch.dispatch(AppAction::Notice(format!("The download of {name} failed: {e}."))),
            Ok(()) if problems.is_empty() => {
                dispatch.dispatch(AppAction::Info(format!("Exported {} documents to {name}.", parts.len())))
            }
            Ok(()) => dispatch.dispatch(AppAction::Notice(format!(
                "Exported {} documents to {name}, but some were left out: {}.",
                parts.len(),
                problems.join("; ")
            ))),
        }
    });
}

/// Restores a bundle: new documents are added, known ones merged by annotation id.
pub fn import_backup(file: web_sys::File, library: Rc<Library>, current: Rc<Document>, dispatch: Dispatch) {
    let name = file.name();
    if file.size() > bundle::MAX_BUNDLE_BYTES as f64 {
        return dispatch.dispatch(AppAction::Notice(format!(
            "Could not import {name}: the file is larger than {} MB. Nothing was changed.",
            bundle::MAX_BUNDLE_BYTES / 1_048_576
        )));
    }
    browser::read_file_bytes(file, move |res| {
        let bytes = match res {
            Ok(b) => b,
            Err(e) => return dispatch.dispatch(AppAction::Notice(format!("Could not read {name}: {e}."))),
        };
        let existing: Vec<String> = library.docs.iter().map(|d| d.id.clone()).collect();
        let incoming = match bundle::import(&bytes, &existing) {
            Ok(d) => d,
            Err(e) => return dispatch.dispatch(AppAction::Notice(format!("Could not import {name}: {e} Nothing was changed."))),
        };
        spawn_local(async move {
            let mut lib = (*library).clone();
            let (mut added, mut merged) = (0, 0);
            for bd in &incoming {
                let index = annotator_core::TextIndex::new(bd.text.as_str());
                if !bd.meta.seed && bd.meta.id != docs::seed_meta().id {
                    if let Err(e) = storage::save_text(&bd.meta.id, &bd.text).await {
                        return dispatch.dispatch(AppAction::Notice(format!("Could not store “{}” ({e}); stopped the import there.", bd.meta.title)));
                    }
                }
                let existing = storage::load_record(&bd.meta.id, &index).ok().flatten();
                let record = bundle::merge_into(existing.as_ref(), bd);
                let mut meta = bd.meta.clone();
                meta.counts = annotator_core::library::counts_of(&record.annotations);
                if let Err(e) = storage::write_whole_record(&meta, &record) {
                    return dispatch.dispatch(AppAction::Notice(format!("Could not store “{}” ({e}); stopped the import there.", meta.title)));
                }
                if bd.exists { merged += 1 } else { added += 1 }
                let _ = lib.upsert(meta);
            }
            if let Err(e) = storage::save_library(&lib) {
                return dispatch.dispatch(AppAction::Notice(format!("Could not save the list of documents ({e}).")));
            }
            let lib = Rc::new(lib);
            dispatch.dispatch(AppAction::SetLibrary(lib.clone()));
            let info = format!("Restored {} documents from {name}: {added} new, {merged} merged.", incoming.len());
            if incoming.iter().any(|d| d.meta.id == current.id) {
                open(current.id.clone(), lib, dispatch, false, Some(info));
            } else {
                dispatch.dispatch(AppAction::Info(info));
            }
        });
    });
}
