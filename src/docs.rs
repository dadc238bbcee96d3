//! Opening documents: the sample article, texts from storage or IndexedDB,
//! their saved annotations, history and orphans; and the `#doc=<id>` deep link.

use crate::browser::storage;
use crate::state::Opened;
use annotator_core::library::{DocMeta, Library};
use annotator_core::merge::DocRecord;
use annotator_core::{Document, State};
use std::rc::Rc;

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

/// Loads what is saved for `doc` (annotations, history, orphans) into an
/// [`Opened`]. Problems become the notice; unreadable data is backed up.
pub fn load_opened(doc: Rc<Document>) -> (Opened, DocRecord, Vec<String>) {
    let mut notices = Vec::new();
    let mut backups = Vec::new();
    let loaded = storage::load_record_parts(&doc.id, &doc.index);
    let rewrite_whole = loaded.snapshot_unreadable;
    for (backup, reason) in loaded.problems {
        match backup {
            Some(k) => {
                notices.push(format!(
                    "The saved annotations of this document could not be read ({reason}). They were kept unchanged under “{k}”; use “Download the unreadable data” to get them."
                ));
                backups.push(k);
            }
            None => notices.push(format!("The saved annotations of this document could not be read ({reason}).")),
        }
    }
    let record = loaded.record.unwrap_or_default();
    let (history, history_err) = storage::load_history(&doc.id);
    if let Some(e) = history_err {
        notices.push(format!("The undo history could not be read ({e}); it starts afresh. Your annotations are unaffected."));
    }
    let orphans = storage::load_orphans(&doc.id);
    let model = State::with_annotations(doc, record.annotations.clone());
    let notice = (!notices.is_empty()).then(|| notices.join(" "));
    (Opened { model, history, orphans, notice, info: None, record: record.clone(), journal: loaded.journal, rewrite_whole }, record, backups)
}

/// Builds the document for library entry `meta`, loading its text.
pub async fn document_for(meta: &DocMeta) -> Result<Document, String> {
    if meta.seed || meta.id == seed_meta().id {
        let mut d = seed_document();
        d.title = meta.title.clone();
        return Ok(d);
    }
    let text = storage::load_text(&meta.id)
        .await?
        .ok_or_else(|| format!("the text of “{}” is missing from this browser's storage", meta.title))?;
    let mut doc = Document::new(&meta.title, &meta.name, &text);
    if doc.id != meta.id {
        return Err(format!("the stored text of “{}” does not match its id", meta.title));
    }
    doc.name = meta.name.clone();
    Ok(doc)
}

/// The document id named by the URL (`#doc=<id>`), if any.
pub fn hash_doc_id() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let id = hash.strip_prefix("#doc=")?;
    annotator_core::library::valid_doc_id(id).then(|| id.to_string())
}

/// Points the URL at document `id`: a new history entry (`push`) or in place.
pub fn set_hash(id: &str, push: bool) {
    let Some(w) = web_sys::window() else { return };
    if hash_doc_id().as_deref() == Some(id) {
        return;
    }
    let Ok(h) = w.history() else { return };
    let url = format!("#doc={id}");
    let _ = if push {
        h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    } else {
        h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    };
}

/// The library entry to show for `doc` (its own, or one made up for it).
pub fn meta_for(library: &Library, doc: &Document) -> DocMeta {
    library.get(&doc.id).cloned().unwrap_or_else(|| DocMeta::new(doc.text(), &doc.title, &doc.name, ""))
}
