//! Tagging from a tag button or key (1–3, Shift+1–3, the toolbar's menu):
//! reads the DOM selection when asked, sends the reducer `Tag` or `TagAll`,
//! then tidies the selection. The callbacks are stable (same `Rc` on every
//! render), so the keyboard's listener and memoised children keep them.
//!
//! A press on a tag button holds the selection as it was when the finger
//! came down ([`Tagging::hold`], on `pointerdown`): a phone browser may
//! collapse the selection during the tap, before the button's `click`. The
//! held selection is used only when the selection is gone by then, and only
//! once; any key, or a press anywhere but on a button marked
//! `data-keeps-selection` (the tag buttons, "Tag all occurrences…" and its
//! labels: one gesture may take two presses), lets it go.

use super::live::Live;
use super::ByPtr;
use crate::browser::{self, selection};
use crate::state::Dispatch;
use annotator_core::app::action::AppAction;
use annotator_core::app::selection::SelectionRead;
use annotator_core::model::Label;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Tag the selection (or retag the selected annotation), and tag every
/// occurrence of the selected text.
#[derive(Clone, PartialEq)]
pub struct Tagging {
    pub tag: Callback<Label>,
    pub tag_all: Callback<Label>,
    /// A pointer came down on a tag button: hold the selection for this press.
    pub hold: Callback<()>,
}

/// The selection held by the last press on a tag button, if it was a range.
type Held = Rc<RefCell<Option<SelectionRead>>>;

/// The selection to tag: the DOM's now, or (when it is gone) the one held by this press.
fn read_now(article_ref: &NodeRef, held: &Held) -> SelectionRead {
    let held = held.borrow_mut().take();
    match selection::read_in(article_ref) {
        now @ SelectionRead::Range { .. } => now,
        now => held.unwrap_or(now),
    }
}

/// Lets the held selection go on any key and on a press anywhere but on a
/// button that keeps it (capture phase: before the button's own `hold`).
#[hook]
fn use_release(held: &Held) {
    let held = held.clone();
    use_effect_with((), move |_| {
        let document = gloo::utils::document();
        let opts = gloo::events::EventListenerOptions::run_in_capture_phase();
        let h = held.clone();
        let pointer = gloo::events::EventListener::new_with_options(&document, "pointerdown", opts, move |e| {
            let keeps = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("[data-keeps-selection]").ok().flatten())
                .is_some();
            if !keeps {
                h.borrow_mut().take();
            }
        });
        let key = gloo::events::EventListener::new_with_options(&document, "keydown", opts, move |_| {
            held.borrow_mut().take();
        });
        move || drop((pointer, key))
    });
}

#[hook]
pub fn use_tagging(dispatch: &Dispatch, article_ref: &NodeRef, live: &Rc<RefCell<Live>>) -> Tagging {
    let held: Held = use_mut_ref(|| None);
    use_release(&held);
    let hold = use_callback((article_ref.clone(), ByPtr(held.clone())), |(), (article_ref, held)| {
        // A later press of the same gesture (the label after "Tag all occurrences…") keeps it.
        if let read @ SelectionRead::Range { .. } = selection::read_in(article_ref) {
            *held.0.borrow_mut() = Some(read);
        }
    });
    let tag = use_callback(
        (dispatch.clone(), article_ref.clone(), ByPtr(live.clone()), ByPtr(held.clone())),
        |label: Label, (dispatch, article_ref, live, held)| {
            tag_selection(dispatch, article_ref, &live.0, read_now(article_ref, &held.0), label)
        },
    );
    let tag_all = use_callback((dispatch.clone(), article_ref.clone(), ByPtr(held)), |label: Label, (dispatch, article_ref, held)| {
        let read = read_now(article_ref, &held.0);
        let had_range = matches!(read, SelectionRead::Range { .. });
        dispatch.dispatch(AppAction::TagAll { label, selection: read, id_prefix: browser::new_id(), now: browser::now_iso() });
        if had_range {
            selection::clear_selection();
        }
    });
    Tagging { tag, tag_all, hold }
}

/// Tag (or retag) from a button or key the selection `read` ([`read_now`]).
fn tag_selection(dispatch: &Dispatch, article_ref: &NodeRef, live: &Rc<RefCell<Live>>, read: SelectionRead, label: Label) {
    let range_end = match read {
        SelectionRead::Range { start_utf16, end_utf16 } => Some(start_utf16.max(end_utf16)),
        _ => None,
    };
    dispatch.dispatch(AppAction::Tag { label, selection: read.clone(), new_id: browser::new_id(), now: browser::now_iso() });
    let Some(end) = range_end else { return };
    match article_ref.cast::<web_sys::Element>().filter(browser::has_focus) {
        // Tagged from the keyboard (the article has focus): the caret
        // waits at the end of the span, where the next one may start.
        Some(article) => {
            selection::clear_selection();
            live.borrow_mut().pending_caret = Some(end);
            let live = live.clone();
            browser::after_next_paint(move || {
                // Unless a key already placed it (shortcuts).
                if live.borrow_mut().pending_caret.take() == Some(end) {
                    browser::caret::set_selection(&article, end, end);
                }
            });
        }
        // Otherwise the selection goes after the tag's frame is painted
        // (clearing it in that frame costs time), and only if it is still
        // the one tagged: a selection made since is left alone.
        None => {
            let article_ref = article_ref.clone();
            browser::after_next_paint(move || {
                if selection::read_in(&article_ref) == read {
                    selection::clear_selection();
                }
            });
        }
    }
}
