//! Tagging from a tag button or key (1–3, Shift+1–3, the toolbar's menu):
//! reads the DOM selection when asked, sends the reducer `Tag` or `TagAll`,
//! then tidies the selection. Both callbacks are stable (same `Rc` on every
//! render), so the keyboard's listener and memoised children keep them.

use super::live::Live;
use super::ByPtr;
use crate::browser::{self, selection};
use crate::state::Dispatch;
use annotator_core::app::action::AppAction;
use annotator_core::app::selection::SelectionRead;
use annotator_core::model::Label;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Tag the selection (or retag the selected annotation), and tag every
/// occurrence of the selected text.
#[derive(Clone, PartialEq)]
pub struct Tagging {
    pub tag: Callback<Label>,
    pub tag_all: Callback<Label>,
}

#[hook]
pub fn use_tagging(dispatch: &Dispatch, article_ref: &NodeRef, live: &Rc<RefCell<Live>>) -> Tagging {
    let tag = use_callback((dispatch.clone(), article_ref.clone(), ByPtr(live.clone())), |label: Label, (dispatch, article_ref, live)| {
        tag_selection(dispatch, article_ref, &live.0, label)
    });
    let tag_all = use_callback((dispatch.clone(), article_ref.clone()), |label: Label, (dispatch, article_ref)| {
        let read = selection::read_in(article_ref);
        let had_range = matches!(read, SelectionRead::Range { .. });
        dispatch.dispatch(AppAction::TagAll { label, selection: read, id_prefix: browser::new_id(), now: browser::now_iso() });
        if had_range {
            selection::clear_selection();
        }
    });
    Tagging { tag, tag_all }
}

/// Tag (or retag) from a button or key: read the DOM selection now.
fn tag_selection(dispatch: &Dispatch, article_ref: &NodeRef, live: &Rc<RefCell<Live>>, label: Label) {
    let read = selection::read_in(article_ref);
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
