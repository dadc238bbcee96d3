//! Page-wide keys: the pure keymap (`annotator_core::app::keymap`) decides
//! what a key means; this hook runs it (the caret's DOM geometry is in
//! `browser::caret`), and keeps the visible keyboard caret in place.

use super::live::Live;
use super::tagging::Tagging;
use crate::browser::{self, caret, keys, selection};
use crate::effects::library;
use annotator_core::app::action::AppAction;
use annotator_core::app::keymap::{shortcut, Command, KeyContext};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};
use yew::prelude::*;

fn run(command: Command, live: &Rc<RefCell<Live>>, tagging: &Tagging) {
    let Some(ctx) = live.borrow().ctx.clone() else { return };
    let dispatch = &ctx.dispatch;
    let article = live.borrow().article.cast::<Element>();
    // A keyboard tag's caret not placed yet (its frame is still to come): place it now.
    let pending = live.borrow_mut().pending_caret.take();
    if let (Some(at), Some(article)) = (pending, article.as_ref()) {
        caret::set_selection(article, at, at);
    }
    match command {
        Command::UndoDeletion => {
            let (target, lib) = {
                let l = live.borrow();
                (l.undo_library.clone(), l.library.clone())
            };
            match (target, lib) {
                (Some(target), Some(lib)) => library::undo(&ctx, target, &lib),
                _ => dispatch.dispatch(AppAction::Undo),
            }
        }
        Command::Undo => dispatch.dispatch(AppAction::Undo),
        Command::Redo => dispatch.dispatch(AppAction::Redo),
        Command::Step(d) => dispatch.dispatch(AppAction::Step(d)),
        Command::Tag(label) => tagging.tag.emit(label),
        Command::TagAll(label) => tagging.tag_all.emit(label),
        Command::DeleteSelected => dispatch.dispatch(AppAction::DeleteSelected),
        Command::Escape => {
            selection::clear_selection();
            live.borrow_mut().mark_start = None;
            dispatch.dispatch(AppAction::Select { id: None, scroll: false });
        }
        Command::Help => dispatch.dispatch(AppAction::Help(true)),
        Command::StartLink => dispatch.dispatch(AppAction::StartLink { now: browser::now_iso() }),
        Command::FinishLink => dispatch.dispatch(AppAction::FinishLink { now: browser::now_iso() }),
        Command::CancelLink => dispatch.dispatch(AppAction::CancelLink),
        Command::CloseComparison => dispatch.dispatch(AppAction::CloseComparison),
        Command::EditNote => dispatch.dispatch(AppAction::EditNote),
        Command::Caret { key, ctrl, shift } => {
            let index = live.borrow().index.clone();
            if let (Some(article), Some(index)) = (article, index) {
                caret::move_caret(&article, &index, key, ctrl, shift);
            }
        }
        Command::MarkStart => {
            let Some(article) = article else { return };
            let at = caret::caret_offset(&article);
            live.borrow_mut().mark_start = Some(at);
            caret::set_selection(&article, at, at);
            dispatch.dispatch(AppAction::Info("Start marked. Move the caret to the end and press ] to select.".into()));
        }
        Command::MarkEnd => {
            let Some(article) = article else { return };
            let start = live.borrow_mut().mark_start.take();
            match start {
                Some(s) => {
                    caret::set_selection(&article, s, caret::caret_offset(&article));
                    dispatch.dispatch(AppAction::Info("Selected. Press 1, 2 or 3 to tag it.".into()));
                }
                None => dispatch.dispatch(AppAction::Notice("Press [ at the start first, then ] at the end.".into())),
            }
        }
    }
}

/// Installs the key listener and the caret marker's listeners (once).
#[hook]
pub fn use_shortcuts(live: &Rc<RefCell<Live>>, tagging: &Tagging) {
    let (live, tagging) = (live.clone(), tagging.clone());
    use_effect_with((), move |_| {
        let document = gloo::utils::document();
        let live2 = live.clone();
        // Not passive (gloo's default): shortcuts must be able to cancel the key's default action.
        let opts = gloo::events::EventListenerOptions::enable_prevent_default();
        let keydown = gloo::events::EventListener::new_with_options(&document, "keydown", opts, move |e| {
            let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
            let ctx = {
                let l = live2.borrow();
                KeyContext {
                    dialog_open: l.dialog_open,
                    undoable_deletion: l.undo_library.is_some(),
                    linking: l.linking,
                    link_candidate: l.link_candidate,
                    comparing: l.comparing,
                }
            };
            if let Some(s) = shortcut(&keys::key_input(e), ctx) {
                if s.prevent_default {
                    e.prevent_default();
                }
                run(s.command, &live2, &tagging);
            }
        });
        let live3 = live.clone();
        let caret_update = move |_: &Event| {
            if let Some(article) = live3.borrow().article.cast::<Element>() {
                caret::update_caret_marker(&article);
            }
        };
        let selchange = gloo::events::EventListener::new(&document, "selectionchange", caret_update.clone());
        let live4 = live.clone();
        let caret_update2 = caret_update.clone();
        let focusin = gloo::events::EventListener::new(&document, "focusin", move |e| {
            if let Some(article) = live4.borrow().article.cast::<Element>() {
                caret::ensure_caret(&article);
            }
            caret_update2(e);
        });
        let focusout = gloo::events::EventListener::new(&document, "focusout", caret_update);
        move || drop((keydown, selchange, focusin, focusout))
    });
}
