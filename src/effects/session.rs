//! This tab's storage session and opening documents: the sample article,
//! texts from local storage or IndexedDB, their annotations (record merged
//! with every tab's journal, `annotator_core::store::records`), history and
//! orphans. The storage *policy* is in core; this module only runs it on
//! the browser's local storage ([`LocalKv`]).

use crate::browser::{self, storage, storage::LocalKv};
use annotator_core::app::action::Opened;
use annotator_core::store::error::StoreError;
use annotator_core::store::library::{DocMeta, Library, LibraryError};
use annotator_core::store::{boot, extras, records::DocStore, records::LoadedDoc};
use annotator_core::{model::Document, model::State};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// This tab's storage session. Cloning shares it.
#[derive(Clone)]
pub struct Session(Rc<Inner>);

struct Inner {
    /// This tab's id: names its journal keys (one writer per key).
    tab: String,
    /// The open document's record and journals; replaced when another
    /// document opens (a pending save keeps the store it was made for).
    doc: RefCell<Option<Rc<RefCell<DocStore>>>>,
    /// The stored library could not be read nor backed up: it must not be
    /// overwritten until a backup of it succeeds.
    library_unsafe: Cell<bool>,
}

impl PartialEq for Session {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Session {
    /// A session for a new tab.
    pub fn new() -> Self {
        Session(Rc::new(Inner { tab: browser::new_tab_id(), doc: RefCell::new(None), library_unsafe: Cell::new(false) }))
    }

    /// This tab's id.
    pub fn tab(&self) -> &str {
        &self.0.tab
    }

    /// The open document's store.
    pub fn doc_store(&self) -> Option<Rc<RefCell<DocStore>>> {
        self.0.doc.borrow().clone()
    }

    /// Makes `store` the open document's store.
    pub fn set_doc_store(&self, store: DocStore) {
        *self.0.doc.borrow_mut() = Some(Rc::new(RefCell::new(store)));
    }

    /// Loads the library at start (migrating, rebuilding, seeding as needed).
    pub fn boot(&self) -> boot::Boot {
        let b = boot::boot(&mut LocalKv, seed_meta(), browser::now_ms());
        self.0.library_unsafe.set(b.library_unsafe_to_write);
        b
    }

    /// Writes the whole library (an unreadable stored one is backed up first).
    pub fn save_library(&self, lib: &Library) -> Result<(), StoreError> {
        let mut guard = self.0.library_unsafe.get();
        let r = boot::save_library(&mut LocalKv, lib, &mut guard, browser::now_ms());
        self.0.library_unsafe.set(guard);
        r
    }

    /// Re-reads the stored library (`fallback` when missing or unreadable),
    /// applies `f` and writes it: a tab whose copy is stale never drops a
    /// document another tab added. Returns the library written.
    pub fn update_library(
        &self,
        fallback: &Library,
        f: impl FnOnce(&mut Library) -> Result<(), LibraryError>,
    ) -> Result<Library, StoreError> {
        let mut guard = self.0.library_unsafe.get();
        let r = boot::update_library(&mut LocalKv, fallback, &mut guard, browser::now_ms(), f);
        self.0.library_unsafe.set(guard);
        r
    }

    /// Loads what is saved for `doc` (annotations, history, orphans).
    /// Problems become the notice; unreadable data is backed up (its keys are
    /// returned, offered as downloads). The store is returned, not yet made
    /// current: call [`Session::set_doc_store`] when the document is shown.
    pub fn load(&self, doc: Rc<Document>) -> (Opened, DocStore, Vec<String>) {
        let mut notices = Vec::new();
        let mut backups = Vec::new();
        let LoadedDoc { store, problems } = DocStore::load(&mut LocalKv, &doc.id, self.tab(), &doc.index, browser::now_ms());
        for p in problems {
            match p.backup {
                Some(k) => {
                    notices.push(format!(
                        "The saved annotations of this document could not be read ({}). They were kept unchanged under “{k}”; use “Download the unreadable data” to get them.",
                        p.reason
                    ));
                    backups.push(k);
                }
                None => notices.push(format!("The saved annotations of this document could not be read ({}).", p.reason)),
            }
        }
        let (history, history_err) = extras::load_history(&LocalKv, &doc.id);
        if let Some(e) = history_err {
            notices.push(format!("The undo history could not be read ({e}); it starts afresh. Your annotations are unaffected."));
        }
        let (orphans, orphans_err) = extras::load_orphans(&LocalKv, &doc.id);
        if let Some(e) = orphans_err {
            notices.push(format!("The list of orphaned annotations could not be read ({e})."));
        }
        let model = State::with_annotations(doc, store.known.annotations.clone());
        let notice = (!notices.is_empty()).then(|| notices.join(" "));
        (Opened { model, history, orphans, notice, info: None }, store, backups)
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

/// The sample article shipped with the app.
pub fn seed_document() -> Document {
    Document::new(crate::SEED_TITLE, crate::SEED_NAME, crate::SEED_TEXT)
}

/// Library entry of the sample article.
pub fn seed_meta() -> DocMeta {
    let mut m = DocMeta::new(crate::SEED_TEXT, crate::SEED_TITLE, crate::SEED_NAME, "");
    m.seed = true;
    m
}

/// Builds the document for library entry `meta`, loading its text.
pub async fn document_for(meta: &DocMeta) -> Result<Document, String> {
    if meta.seed || meta.id == seed_meta().id {
        let mut d = seed_document();
        d.title = meta.title.clone();
        return Ok(d);
    }
    let text = storage::load_text(&meta.id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("the text of “{}” is missing from this browser's storage", meta.title))?;
    let mut doc = Document::new(&meta.title, &meta.name, &text);
    if doc.id != meta.id {
        return Err(format!("the stored text of “{}” does not match its id", meta.title));
    }
    doc.name = meta.name.clone();
    Ok(doc)
}

/// The library entry to show for `doc` (its own, or one made up for it).
pub fn meta_for(library: &Library, doc: &Document) -> DocMeta {
    library.get(&doc.id).cloned().unwrap_or_else(|| DocMeta::new(doc.text(), &doc.title, &doc.name, ""))
}
