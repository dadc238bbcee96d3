//! Keyboard handling for the whole page: tagging, deleting, undo/redo,
//! moving between annotations, and a keyboard caret in the read-only article.

use crate::browser::{caret, selection};
use crate::state::{AppAction, AppState};
use annotator_core::words;
use annotator_core::{Label, TextIndex};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};
use yew::prelude::*;

/// What the page-wide key listener needs to know now (updated every render,
/// read when a key arrives, so the listener is installed once).
#[derive(Default)]
pub struct Live {
    pub index: Option<Rc<TextIndex>>,
    pub article: NodeRef,
    /// Where `[` marked the start of a selection (UTF-16 document offset).
    pub mark_start: Option<u32>,
    /// A dialog is open (it handles its own keys).
    pub help_open: bool,
    pub doc: Option<Rc<annotator_core::Document>>,
    pub record: Option<Rc<RefCell<annotator_core::merge::DocRecord>>>,
    /// The open document's stored journal (see `storage::write_journal`).
    pub journal: Option<Rc<RefCell<annotator_core::merge::DocRecord>>>,
    pub annotations: Option<Rc<Vec<annotator_core::Annotation>>>,
    pub library: Option<Rc<annotator_core::library::Library>>,
    /// A document deletion that Undo would undo now.
    pub undo_deletion: Option<annotator_core::library::Removed>,
}

/// Whether a key event comes from a place where typing must not trigger shortcuts.
pub fn typing_target(e: &KeyboardEvent) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return false };
    let tag = el.tag_name().to_ascii_lowercase();
    let input_type = el.get_attribute("type").unwrap_or_default().to_ascii_lowercase();
    (tag == "input" && !matches!(input_type.as_str(), "checkbox" | "radio" | "button" | "file"))
        || tag == "textarea"
        || tag == "select"
        || el.get_attribute("contenteditable").is_some_and(|v| v != "false")
}

fn target_is(e: &KeyboardEvent, pred: impl Fn(&Element) -> bool) -> bool {
    e.target().and_then(|t| t.dyn_into::<Element>().ok()).is_some_and(|el| pred(&el))
}

/// Handles one keydown on the document.
pub fn on_keydown(e: &KeyboardEvent, live: &Rc<RefCell<Live>>, dispatch: &UseReducerDispatcher<AppState>, ontag: &Callback<Label>) {
    if e.is_composing() {
        return;
    }
    let key = e.key();
    let ctrl = e.ctrl_key() || e.meta_key();
    if live.borrow().help_open {
        return; // the dialog handles its own keys
    }
    if typing_target(e) {
        return;
    }
    if ctrl && !e.alt_key() && (key == "z" || key == "Z") {
        e.prevent_default();
        if !e.shift_key() {
            let (removed, library) = {
                let l = live.borrow();
                (l.undo_deletion.clone(), l.library.clone())
            };
            if let (Some(removed), Some(library)) = (removed, library) {
                crate::library_ops::undo_delete(removed, &library, dispatch);
                return;
            }
        }
        dispatch.dispatch(if e.shift_key() { AppAction::Redo } else { AppAction::Undo });
        return;
    }
    if ctrl && !e.alt_key() && (key == "y" || key == "Y") {
        e.prevent_default();
        dispatch.dispatch(AppAction::Redo);
        return;
    }
    if e.alt_key() && !ctrl && (key == "ArrowDown" || key == "ArrowUp") {
        e.prevent_default();
        dispatch.dispatch(AppAction::Step(if key == "ArrowDown" { 1 } else { -1 }));
        return;
    }
    if e.alt_key() {
        return;
    }
    let article = live.borrow().article.cast::<Element>();
    let in_article = target_is(e, |el| el.id() == "article");
    if in_article {
        // Bind first: a borrow in the `if let` scrutinee lives through the block,
        // and handle_caret's `live.borrow_mut()` (for `[`/`]`) would panic.
        let index = live.borrow().index.clone();
        if let (Some(article), Some(index)) = (article.clone(), index) {
            if handle_caret(e, &key, ctrl, &article, &index, live, dispatch) {
                e.prevent_default();
                return;
            }
        }
    }
    if ctrl {
        return;
    }
    if let Some(label) = Label::from_key(&key) {
        e.prevent_default();
        ontag.emit(label);
        return;
    }
    match key.as_str() {
        "Delete" | "Backspace" => {
            e.prevent_default();
            dispatch.dispatch(AppAction::DeleteSelected);
        }
        "Escape" => {
            selection::clear_selection();
            live.borrow_mut().mark_start = None;
            dispatch.dispatch(AppAction::Select { id: None, scroll: false });
        }
        "j" => dispatch.dispatch(AppAction::Step(1)),
        "k" => dispatch.dispatch(AppAction::Step(-1)),
        "?" => {
            e.prevent_default();
            dispatch.dispatch(AppAction::Help(true));
        }
        "Enter" if !target_is(e, |el| matches!(el.tag_name().to_ascii_lowercase().as_str(), "button" | "a" | "summary")) => {
            e.prevent_default();
            dispatch.dispatch(AppAction::EditNote);
        }
        _ => {}
    }
}

/// Caret keys in the focused article. Returns whether the key was used.
fn handle_caret(
    e: &KeyboardEvent,
    key: &str,
    ctrl: bool,
    article: &Element,
    index: &TextIndex,
    live: &Rc<RefCell<Live>>,
    dispatch: &UseReducerDispatcher<AppState>,
) -> bool {
    let is_move = matches!(key, "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" | "Home" | "End");
    if !is_move && key != "[" && key != "]" {
        return false;
    }
    let (anchor, focus) = caret::read_anchor_focus(article).unwrap_or_else(|| {
        let start = initial_caret(article);
        (start, start)
    });
    let to_cp = |u: u32| index.utf16_to_cp_floor(u as usize).unwrap_or(0);
    let to_u16 = |cp: usize| index.cp_to_utf16(cp).unwrap_or(0) as u32;
    if key == "[" {
        live.borrow_mut().mark_start = Some(focus);
        caret::set_selection(article, focus, focus);
        dispatch.dispatch(AppAction::Info("Start marked. Move the caret to the end and press ] to select.".into()));
        return true;
    }
    if key == "]" {
        let start = live.borrow_mut().mark_start.take();
        match start {
            Some(s) => {
                caret::set_selection(article, s, focus);
                dispatch.dispatch(AppAction::Info("Selected. Press 1, 2 or 3 to tag it.".into()));
            }
            None => dispatch.dispatch(AppAction::Notice("Press [ at the start first, then ] at the end.".into())),
        }
        return true;
    }
    let shift = e.shift_key();
    let f = to_cp(focus);
    // Without Shift, Left/Right on a selection collapse it to its edge.
    if !shift && anchor != focus && matches!(key, "ArrowLeft" | "ArrowRight") {
        let (lo, hi) = (anchor.min(focus), anchor.max(focus));
        let rtl = caret::is_rtl_at(article, focus);
        let to = if (key == "ArrowLeft") != rtl { lo } else { hi };
        caret::set_selection(article, to, to);
        return true;
    }
    let rtl = caret::is_rtl_at(article, focus);
    let forward = (key == "ArrowRight") != rtl;
    let new_cp = match key {
        "ArrowLeft" | "ArrowRight" => match (forward, ctrl) {
            (true, false) => words::next_grapheme(index, f),
            (false, false) => words::prev_grapheme(index, f),
            (true, true) => words::next_word_start(index, f),
            (false, true) => words::prev_word_start(index, f),
        },
        "Home" if ctrl => 0,
        "End" if ctrl => index.len_cp(),
        "Home" => words::line_start(index, f),
        "End" => words::line_end(index, f),
        _ => vertical(article, index, f, key == "ArrowDown"),
    };
    let new_u16 = to_u16(new_cp);
    if shift {
        caret::set_selection(article, anchor, new_u16);
    } else {
        caret::set_selection(article, new_u16, new_u16);
    }
    keep_visible(article, new_u16);
    true
}

/// Scrolls so the caret at `u16` is in view (below the sticky header).
fn keep_visible(article: &Element, u16: u32) {
    let Some((_, top, h)) = caret::caret_rect(article, u16) else { return };
    let vh = web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|v| v.as_f64()).unwrap_or(800.0);
    let header = gloo::utils::document()
        .query_selector("header.top")
        .ok()
        .flatten()
        .map(|h| h.get_bounding_client_rect().bottom().max(0.0))
        .unwrap_or(0.0);
    if top < header + 4.0 || top + h > vh - 4.0 {
        if let Some(w) = web_sys::window() {
            w.scroll_by_with_x_and_y(0.0, top - (vh + header) / 2.0);
        }
    }
}

/// The caret position one visual line up or down, measured on screen
/// (falls back to the same column of the neighbouring text line).
fn vertical(article: &Element, index: &TextIndex, cp: usize, down: bool) -> usize {
    let u = index.cp_to_utf16(cp).unwrap_or(0) as u32;
    if let Some((x, top, h)) = caret::caret_rect(article, u) {
        let y = if down { top + h * 1.5 } else { top - h * 0.5 };
        let vh = web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|v| v.as_f64()).unwrap_or(800.0);
        if y > 0.0 && y < vh {
            if let Some(v) = caret::offset_at_point(article, x + 1.0, y) {
                let c = index.utf16_to_cp_floor(v as usize).unwrap_or(cp);
                if c != cp {
                    return c;
                }
            }
        }
    }
    let start = words::line_start(index, cp);
    let col = cp - start;
    if down {
        let end = words::line_end(index, cp);
        if end >= index.len_cp() {
            return index.len_cp();
        }
        let next_start = words::next_grapheme(index, end);
        let next_start = if index.slice_cp(end, next_start) == Some("\r") { words::next_grapheme(index, next_start) } else { next_start };
        (next_start + col).min(words::line_end(index, next_start))
    } else {
        if start == 0 {
            return 0;
        }
        let prev_start = words::line_start(index, start.saturating_sub(1));
        (prev_start + col).min(words::line_end(index, prev_start))
    }
}

/// Where the caret starts when the article gets keyboard focus with no
/// selection in it: the first text visible at the top of the viewport.
fn initial_caret(article: &Element) -> u32 {
    let r = article.get_bounding_client_rect();
    let header = gloo::utils::document()
        .query_selector("header.top")
        .ok()
        .flatten()
        .map(|h| h.get_bounding_client_rect().bottom().max(0.0))
        .unwrap_or(0.0);
    let y = r.top().max(header) + 12.0;
    caret::offset_at_point(article, r.left() + 2.0, y).unwrap_or(0)
}

/// When the article gets keyboard focus (not a click) with no selection in
/// it, puts the caret at the first visible text so it shows at once.
pub fn ensure_caret(article: &Element) {
    let focused = gloo::utils::document().active_element().is_some_and(|a| a.id() == "article");
    let by_keyboard = article.matches(":focus-visible").unwrap_or(false);
    if focused && by_keyboard && caret::read_anchor_focus(article).is_none() {
        let start = initial_caret(article);
        caret::set_selection(article, start, start);
    }
}

/// Positions the visible caret (`#kbd-caret`, outside the article) at the
/// collapsed selection, or hides it.
pub fn update_caret_marker(article: &Element) {
    let Some(marker) = gloo::utils::document().get_element_by_id("kbd-caret") else { return };
    let Ok(marker) = marker.dyn_into::<web_sys::HtmlElement>() else { return };
    let style = marker.style();
    let focused = gloo::utils::document().active_element().is_some_and(|a| a.id() == "article");
    let collapsed = caret::read_anchor_focus(article).filter(|(a, f)| a == f);
    match (focused, collapsed.and_then(|(_, f)| caret::caret_rect(article, f))) {
        (true, Some((x, top, h))) => {
            let w = web_sys::window();
            let sx = w.as_ref().and_then(|w| w.scroll_x().ok()).unwrap_or(0.0);
            let sy = w.as_ref().and_then(|w| w.scroll_y().ok()).unwrap_or(0.0);
            let px = |v: f64| format!("{}px", annotator_core::model::decimal(v, 2));
            let _ = style.set_property("left", &px(x + sx));
            let _ = style.set_property("top", &px(top + sy));
            let _ = style.set_property("height", &px(h));
            let _ = style.set_property("display", "block");
        }
        _ => {
            let _ = style.set_property("display", "none");
        }
    }
}
