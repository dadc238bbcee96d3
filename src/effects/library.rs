//! Document operations of the library: open, open a new text (file, paste,
//! drop), rename, delete and undo the deletion, restore the sample article,
//! export and import the whole library. Each reports to the person through
//! the reducer; nothing already saved is lost on any error path. Work that
//! goes on after the call returns keeps the page from being idle
//! (`crate::browser::busy`) until it is done.

use super::session::{document_for, seed_meta};
use super::Ctx;
use crate::browser::{self, busy::Busy, download, storage, storage::LocalKv, url};
use annotator_core::app::action::AppAction;
use annotator_core::app::state::UndoTarget;
use annotator_core::formats::textfile::{self, Decoded};
use annotator_core::model::details::DocDetails;
use annotator_core::model::Document;
use annotator_core::store::bundle;
use annotator_core::store::library::{counts_of, DocMeta, Library, LibraryError, Removed};
use annotator_core::store::merge::DocRecord;
use annotator_core::store::whole;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;

/// Points the URL at `id`; a refusal is said, not hidden (the app works on).
fn point_url_at(ctx: &Ctx, id: &str, push: bool) {
    if let Err(e) = url::set_hash(id, push) {
        ctx.dispatch
            .dispatch(AppAction::Notice(format!("The address bar could not be updated ({e}); reloading may show another document.")));
    }
}

/// Opens document `id` of `library` (loading its text), then points the URL at it.
pub fn open(ctx: &Ctx, id: String, library: Rc<Library>, push: bool, info: Option<String>) {
    let Some(meta) = library.get(&id).cloned() else {
        ctx.dispatch.dispatch(AppAction::Notice(format!("There is no document with id {id} in this browser.")));
        return;
    };
    let (ctx, busy) = (ctx.clone(), Busy::start());
    spawn_local(async move {
        let _busy = busy;
        match document_for(&meta).await {
            Ok(doc) => {
                let (mut opened, store, backups) = ctx.session.load(Rc::new(doc));
                opened.info = info;
                ctx.session.set_doc_store(store);
                ctx.dispatch.dispatch(AppAction::OpenDoc(Box::new(opened)));
                if !backups.is_empty() {
                    ctx.dispatch.dispatch(AppAction::AddBackups(backups));
                }
                point_url_at(&ctx, &id, push);
            }
            Err(e) => ctx.dispatch.dispatch(AppAction::Notice(format!("Could not open “{}”: {e}.", meta.title))),
        }
    });
}

/// Adds a decoded text to the library (or finds it there) and opens it.
pub fn open_new_text(ctx: &Ctx, decoded: Decoded, title: String, name: String, library: Rc<Library>) {
    let meta = DocMeta::new(&decoded.text, &title, &name, &browser::now_iso());
    let id = meta.id.clone();
    let (ctx, busy) = (ctx.clone(), Busy::start());
    spawn_local(async move {
        let _busy = busy;
        let added = library.contains(&id).then_some(false);
        let lib = match added {
            Some(_) => (*library).clone(),
            None => {
                if !meta.seed {
                    if let Err(e) = storage::save_text(&id, &decoded.text).await {
                        ctx.dispatch.dispatch(AppAction::Notice(format!(
                            "Could not store the text of “{title}” ({e}). Nothing was changed; free some space or export your work first."
                        )));
                        return;
                    }
                }
                let m = meta.clone();
                match ctx.session.update_library(&library, move |lib| lib.add(m).map(|_| ())) {
                    Ok(lib) => lib,
                    Err(e) => {
                        ctx.dispatch.dispatch(AppAction::Notice(format!(
                            "Could not add “{title}” to the list of documents ({e}). Nothing was changed."
                        )));
                        return;
                    }
                }
            }
        };
        let lib = Rc::new(lib);
        ctx.dispatch.dispatch(AppAction::SetLibrary(lib.clone()));
        let mut info = if added.is_none() {
            format!("Opened “{title}”.")
        } else {
            "This text is already in your documents; opened it.".to_string()
        };
        if decoded.bom_removed {
            info.push_str(" A UTF-8 byte order mark at its start was removed.");
        }
        open(&ctx, id, lib, true, Some(info));
    });
}

/// Reads a text file, checks it (UTF-8, not binary, not empty, size) and opens it.
pub fn open_file(ctx: &Ctx, file: web_sys::File, library: Rc<Library>) {
    let name = file.name();
    if file.size() > textfile::MAX_TEXT_BYTES as f64 {
        let e = textfile::TextFileError::TooLarge { bytes: file.size() as usize, max: textfile::MAX_TEXT_BYTES };
        ctx.dispatch.dispatch(AppAction::Notice(format!("Could not open {name}: {e} Nothing was changed.")));
        return;
    }
    let (ctx, busy) = (ctx.clone(), Busy::start());
    browser::read_file_bytes(file, move |res| {
        let _busy = busy;
        match res {
            Err(e) => ctx.dispatch.dispatch(AppAction::Notice(format!("Could not read {name}: {e}. Nothing was changed."))),
            Ok(bytes) => match textfile::decode_text_file(&name, &bytes) {
                Err(e) => ctx.dispatch.dispatch(AppAction::Notice(format!("Could not open {name}: {e} Nothing was changed."))),
                Ok(decoded) => {
                    let title = decoded.title_guess.clone();
                    let stem = textfile::title_from_file_name(&name).unwrap_or_else(|| "document".into());
                    open_new_text(&ctx, decoded, title, stem, library);
                }
            },
        }
    });
}

/// Opens a pasted text with an optional title.
pub fn open_pasted(ctx: &Ctx, title: String, text: String, library: Rc<Library>) {
    match textfile::decode_pasted(&text) {
        Err(e) => ctx.dispatch.dispatch(AppAction::Notice(format!("Could not open the pasted text: {e}"))),
        Ok(decoded) => {
            let title = if title.trim().is_empty() { decoded.title_guess.clone() } else { title };
            let name = annotator_core::text::titles::sanitize_name(&title);
            open_new_text(ctx, decoded, title, name, library);
        }
    }
}

/// Renames a document.
pub fn rename(ctx: &Ctx, id: &str, title: &str, library: &Library) {
    let now = browser::now_iso();
    match ctx.session.update_library(library, |lib| lib.rename(id, title, &now)) {
        Err(e) => ctx.dispatch.dispatch(AppAction::Notice(format!("Could not rename: {e} Nothing was changed."))),
        Ok(lib) => {
            ctx.dispatch.dispatch(AppAction::SetLibrary(Rc::new(lib)));
            ctx.dispatch.dispatch(AppAction::Info("Renamed.".into()));
        }
    }
}

/// Undo (the button or Ctrl+Z): a document deletion or details change while
/// it is the latest change, else the history's latest step.
pub fn undo(ctx: &Ctx, target: UndoTarget, library: &Library) {
    match target {
        UndoTarget::Deletion(removed) => undo_delete(ctx, removed, library),
        UndoTarget::Details(d) => set_details(ctx, &d.doc_id, d.before, library, true),
        UndoTarget::History => ctx.dispatch.dispatch(AppAction::Undo),
    }
}

/// Stores the fact-checking organisation (already checked), for every document.
pub fn set_organisation(ctx: &Ctx, name: String, library: &Library) {
    match ctx.session.update_library(library, |lib| {
        lib.set_organisation(name);
        Ok(())
    }) {
        Err(e) => ctx.dispatch.dispatch(AppAction::Notice(format!("Could not save the organisation: {e} Nothing was changed."))),
        Ok(lib) => {
            ctx.dispatch.dispatch(AppAction::SetLibrary(Rc::new(lib)));
            ctx.dispatch.dispatch(AppAction::Info("Fact-checking organisation saved.".into()));
        }
    }
}

/// Stores new details of document `id` (already checked), or the old ones
/// back (`undone`); reports what they were so Undo can restore them.
pub fn set_details(ctx: &Ctx, id: &str, details: DocDetails, library: &Library, undone: bool) {
    let now = browser::now_iso();
    let mut before = None;
    match ctx.session.update_library(library, |lib| {
        before = Some(lib.set_details(id, details, &now)?);
        Ok(())
    }) {
        Err(e) => ctx.dispatch.dispatch(AppAction::Notice(format!("Could not save the document details: {e} Nothing was changed."))),
        Ok(lib) => {
            ctx.dispatch.dispatch(AppAction::SetLibrary(Rc::new(lib)));
            if let Some(before) = before {
                ctx.dispatch.dispatch(AppAction::DetailsSaved { doc_id: id.to_string(), before, undone });
            }
        }
    }
}

/// Takes a document out of the library (its data stays until the deletion
/// can no longer be undone). Switches to another document if it was open.
pub fn delete(ctx: &Ctx, id: &str, current: &str, library: &Library, previous: Option<Removed>) {
    let mut removed = None;
    let lib = match ctx.session.update_library(library, |lib| {
        removed = Some(lib.remove(id)?);
        if lib.docs.is_empty() {
            lib.ensure_seed(seed_meta());
        }
        Ok(())
    }) {
        Ok(lib) => Rc::new(lib),
        Err(e) => return ctx.dispatch.dispatch(AppAction::Notice(format!("Could not delete: {e} Nothing was changed."))),
    };
    let Some(removed) = removed else { return };
    // Only one deletion can be undone: the one before is now final.
    if let Some(prev) = previous.filter(|p| !p.meta.seed) {
        let (pid, title, dispatch, busy) = (prev.meta.id.clone(), prev.meta.title.clone(), ctx.dispatch.clone(), Busy::start());
        spawn_local(async move {
            let _busy = busy;
            if let Err(e) = storage::delete_document_data(&pid).await {
                dispatch.dispatch(AppAction::Notice(format!(
                    "The stored data of the deleted document “{title}” could not all be removed ({e}); it takes space but is harmless."
                )));
            }
        });
    }
    let deleted_info = format!("Deleted the document “{}”.", removed.meta.title);
    ctx.dispatch.dispatch(AppAction::SetLibrary(lib.clone()));
    ctx.dispatch.dispatch(AppAction::Deleted(removed));
    if id == current {
        if let Some(first) = lib.docs.first() {
            // Opening replaces #info: keep saying what was deleted (the undo button stays).
            open(ctx, first.id.clone(), lib.clone(), true, Some(deleted_info));
        }
    }
}

/// Undoes the last document deletion.
pub fn undo_delete(ctx: &Ctx, removed: Removed, library: &Library) {
    let (id, title) = (removed.meta.id.clone(), removed.meta.title.clone());
    let title_again = title.clone();
    let result =
        ctx.session.update_library(
            library,
            move |lib| {
                if lib.restore(removed) {
                    Ok(())
                } else {
                    Err(LibraryError::AlreadyListed(title_again))
                }
            },
        );
    match result {
        Err(e) => ctx.dispatch.dispatch(AppAction::Notice(format!("Could not restore the document: {e}"))),
        Ok(lib) => {
            let lib = Rc::new(lib);
            ctx.dispatch.dispatch(AppAction::SetLibrary(lib.clone()));
            ctx.dispatch.dispatch(AppAction::ForgetDeleted);
            open(ctx, id, lib, true, Some(format!("Restored “{title}”.")));
        }
    }
}

/// Lists the sample article again.
pub fn restore_seed(ctx: &Ctx, library: &Library) {
    match ctx.session.update_library(library, |lib| {
        lib.ensure_seed(seed_meta());
        Ok(())
    }) {
        Err(e) => ctx.dispatch.dispatch(AppAction::Notice(format!("Could not restore the sample article ({e})."))),
        Ok(lib) => ctx.dispatch.dispatch(AppAction::SetLibrary(Rc::new(lib))),
    }
}

/// Downloads every document with its annotations as one bundle.
pub fn export_all(ctx: &Ctx, library: Rc<Library>) {
    let (dispatch, busy) = (ctx.dispatch.clone(), Busy::start());
    spawn_local(async move {
        let _busy = busy;
        let mut docs_out: Vec<(DocMeta, Document, DocRecord)> = Vec::new();
        let mut problems = Vec::new();
        for meta in &library.docs {
            match document_for(meta).await {
                Err(e) => problems.push(e),
                Ok(doc) => match whole::load_record(&LocalKv, &doc.id, &doc.index) {
                    Ok(r) => docs_out.push((meta.clone(), doc, r.unwrap_or_default())),
                    Err(e) => problems.push(format!("“{}”: {e}", meta.title)),
                },
            }
        }
        let parts: Vec<(DocMeta, &str, DocRecord)> = docs_out.iter().map(|(m, d, r)| (m.clone(), d.text(), r.clone())).collect();
        let json = bundle::export(&parts);
        let date: String = browser::now_iso().chars().take(10).collect();
        let name = format!("annotator-library-{date}.json");
        match download::download_text(&name, "application/json", &json) {
            Err(e) => dispatch.dispatch(AppAction::Notice(format!("The download of {name} failed: {e}."))),
            Ok(()) if problems.is_empty() => dispatch.dispatch(AppAction::Info(format!("Exported {} documents to {name}.", parts.len()))),
            Ok(()) => dispatch.dispatch(AppAction::Notice(format!(
                "Exported {} documents to {name}, but some were left out: {}.",
                parts.len(),
                problems.join("; ")
            ))),
        }
    });
}

/// Restores a bundle: new documents are added, known ones merged by
/// annotation id. The message counts what is listed afterwards; a document
/// that could not be stored stops the import there, and says so.
pub fn import_backup(ctx: &Ctx, file: web_sys::File, library: Rc<Library>, current: Rc<Document>) {
    let name = file.name();
    if file.size() > bundle::MAX_BUNDLE_BYTES as f64 {
        return ctx.dispatch.dispatch(AppAction::Notice(format!(
            "Could not import {name}: the file is larger than {} MB. Nothing was changed.",
            bundle::MAX_BUNDLE_BYTES / 1_048_576
        )));
    }
    let (ctx, busy) = (ctx.clone(), Busy::start());
    browser::read_file_bytes(file, move |res| {
        let bytes = match res {
            Ok(b) => b,
            Err(e) => return ctx.dispatch.dispatch(AppAction::Notice(format!("Could not read {name}: {e}."))),
        };
        let existing: Vec<String> = library.docs.iter().map(|d| d.id.clone()).collect();
        let incoming = match bundle::import(&bytes, &existing) {
            Ok(d) => d,
            Err(e) => return ctx.dispatch.dispatch(AppAction::Notice(format!("Could not import {name}: {e} Nothing was changed."))),
        };
        spawn_local(async move {
            let _busy = busy;
            let (mut added, mut merged) = (0, 0);
            let mut metas = Vec::new();
            let mut stopped = None;
            for bd in &incoming {
                let index = annotator_core::text::text_index::TextIndex::new(bd.text.as_str());
                if !bd.meta.seed && bd.meta.id != seed_meta().id {
                    if let Err(e) = storage::save_text(&bd.meta.id, &bd.text).await {
                        stopped = Some(format!("Could not store “{}” ({e}); stopped the import there.", bd.meta.title));
                        break;
                    }
                }
                let existing = match whole::load_record(&LocalKv, &bd.meta.id, &index) {
                    Ok(r) => r,
                    Err(e) => {
                        stopped = Some(format!(
                            "The stored annotations of “{}” could not be read ({e}); stopped the import there so they are not overwritten.",
                            bd.meta.title
                        ));
                        break;
                    }
                };
                let record = bundle::merge_into(existing.as_ref(), bd);
                let mut meta = bd.meta.clone();
                meta.counts = counts_of(&record.annotations);
                if let Err(e) = whole::write_whole_record(&mut LocalKv, &meta, &record) {
                    stopped = Some(format!("Could not store “{}” ({e}); stopped the import there.", meta.title));
                    break;
                }
                if bd.exists {
                    merged += 1
                } else {
                    added += 1
                }
                metas.push(meta);
            }
            let result = ctx.session.update_library(&library, |lib| metas.into_iter().try_for_each(|m| lib.upsert(m)));
            let lib = match result {
                Ok(lib) => Rc::new(lib),
                Err(e) => return ctx.dispatch.dispatch(AppAction::Notice(format!("Could not save the list of documents ({e}); the restored documents are stored but not listed. Import the file again once there is room."))),
            };
            ctx.dispatch.dispatch(AppAction::SetLibrary(lib.clone()));
            let done = added + merged;
            let info = format!("Restored {done} documents from {name}: {added} new, {merged} merged.");
            if let Some(why) = stopped {
                return ctx.dispatch.dispatch(AppAction::Notice(format!("{info} {why}")));
            }
            if incoming.iter().any(|d| d.meta.id == current.id) {
                open(&ctx, current.id.clone(), lib, false, Some(info));
            } else {
                ctx.dispatch.dispatch(AppAction::Info(info));
            }
        });
    });
}
