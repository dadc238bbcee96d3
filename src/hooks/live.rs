//! What the page-wide listeners (keys, other tabs, navigation) need to know
//! now: updated on every render, read when an event arrives, so each
//! listener is installed once.

use crate::effects::Ctx;
use crate::state::Handle;
use annotator_core::app::state::UndoTarget;
use annotator_core::store::library::Library;
use annotator_core::{model::Document, text::text_index::TextIndex};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// The current state as listeners see it.
#[derive(Default)]
pub struct Live {
    pub index: Option<Rc<TextIndex>>,
    pub article: NodeRef,
    /// Where `[` marked the start of a selection (UTF-16 document offset).
    pub mark_start: Option<u32>,
    /// Where the caret goes after a tag from the keyboard (UTF-16 document
    /// offset), until the frame after the tag places it; a caret key pressed
    /// sooner places it first, so it never works from a cleared selection.
    pub pending_caret: Option<u32>,
    /// A dialog is open (it handles its own keys).
    pub dialog_open: bool,
    pub doc: Option<Rc<Document>>,
    pub library: Option<Rc<Library>>,
    /// What Undo does now when it is not the history's step (a document
    /// deletion or a details change).
    pub undo_library: Option<UndoTarget>,
    /// A link is being made, and whether `j`/`k` chose where it goes.
    pub linking: bool,
    pub link_candidate: bool,
    /// Another person's file is being compared.
    pub comparing: bool,
    /// Reports back and reaches storage.
    pub ctx: Option<Ctx>,
}

/// Keeps a [`Live`] up to date with `state`.
#[hook]
pub fn use_live(state: &Handle, article: &NodeRef, ctx: &Ctx) -> Rc<RefCell<Live>> {
    let live = use_mut_ref(Live::default);
    {
        let mut l = live.borrow_mut();
        l.index = Some(state.model.doc.index.clone());
        l.article = article.clone();
        l.dialog_open = state.help_open || state.paste_open;
        l.doc = Some(state.model.doc.clone());
        l.library = Some(state.library.clone());
        l.undo_library = Some(state.undo_target()).filter(|t| *t != UndoTarget::History);
        l.linking = state.linking.is_some();
        l.link_candidate = state.linking.as_ref().is_some_and(|k| k.candidate.is_some());
        l.comparing = state.comparing.is_some();
        l.ctx = Some(ctx.clone());
    }
    live
}
