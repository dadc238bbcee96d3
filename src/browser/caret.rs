//! The keyboard caret in the (read-only) article: maps UTF-16 offsets to DOM
//! positions and back, sets the window Selection (so the browser paints a
//! selection made with Shift+arrows, and tagging reads it like any other), and
//! finds the text position under a point for moving by visual lines.

use super::selection::{offset_utf16, utf16_len};
use annotator_core::app::keymap::CaretKey;
use annotator_core::{text::text_index::TextIndex, text::words};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Node};

/// The DOM position (text node, UTF-16 offset within it) of document offset
/// `u16` in `article`, using the `data-u16` of paragraphs: a binary search
/// over paragraphs, then a scan of one paragraph's children (bare text nodes
/// and highlights of one text node each). At a boundary between two
/// children the position is the start of the later one.
pub fn dom_position(article: &Element, u16: u32) -> Option<(Node, u32)> {
    // Paragraphs sit in groups (`div.pgroup`) in blocks (`div.pblock`); all carry `data-u16`.
    let mut para = last_starting_at_or_before(article, u16)?;
    while matches!(para.class_name().as_str(), "pblock" | "pgroup") {
        para = last_starting_at_or_before(&para, u16)?;
    }
    let mut at = para.get_attribute("data-u16")?.parse::<u32>().ok()?;
    let text_of = |n: Node| if n.node_type() == Node::TEXT_NODE { Some(n) } else { n.first_child() };
    let mut k = para.first_child();
    let mut last: Option<(Node, u32)> = None;
    while let Some(n) = k {
        let len = utf16_len(&n);
        if u16 < at + len {
            return Some((text_of(n)?, u16.saturating_sub(at)));
        }
        at += len;
        k = n.next_sibling();
        last = Some((n, len));
    }
    let (n, len) = last?;
    Some((text_of(n)?, len))
}

/// The last child of `parent` whose `data-u16` is at or before `u16` (binary search).
fn last_starting_at_or_before(parent: &Element, u16: u32) -> Option<Element> {
    let kids = parent.children();
    let n = kids.length();
    if n == 0 {
        return None;
    }
    let start_of = |i: u32| -> u32 { kids.item(i).and_then(|p| p.get_attribute("data-u16")).and_then(|s| s.parse().ok()).unwrap_or(0) };
    let (mut lo, mut hi) = (0u32, n);
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if start_of(mid) <= u16 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    kids.item(lo)
}

/// Sets the window selection from `anchor` to `focus` (UTF-16 document
/// offsets; `focus` may be before `anchor`). Equal offsets give a caret.
pub fn set_selection(article: &Element, anchor: u32, focus: u32) -> bool {
    let (Some((an, ao)), Some((fnode, fo))) = (dom_position(article, anchor), dom_position(article, focus)) else {
        return false;
    };
    let Some(sel) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) else { return false };
    sel.set_base_and_extent(&an, ao, &fnode, fo).is_ok()
}

/// The current selection's anchor and focus as UTF-16 document offsets, when
/// both are inside `article`.
pub fn read_anchor_focus(article: &Element) -> Option<(u32, u32)> {
    let sel = web_sys::window()?.get_selection().ok()??;
    let an = sel.anchor_node()?;
    let fnode = sel.focus_node()?;
    let art: &Node = article.unchecked_ref();
    if !art.contains(Some(&an)) || !art.contains(Some(&fnode)) {
        return None;
    }
    Some((offset_utf16(article, &an, sel.anchor_offset())?, offset_utf16(article, &fnode, sel.focus_offset())?))
}

/// Viewport rectangle (x, top, height) of a caret at document offset `u16`.
pub fn caret_rect(article: &Element, u16: u32) -> Option<(f64, f64, f64)> {
    let (node, off) = dom_position(article, u16)?;
    let range = article.owner_document()?.create_range().ok()?;
    range.set_start(&node, off).ok()?;
    range.set_end(&node, off).ok()?;
    let rects = range.get_client_rects()?;
    let r = if rects.length() > 0 { rects.item(0)? } else { range.get_bounding_client_rect() };
    if r.height() == 0.0 {
        // A caret just after a line break: measure the character before it instead.
        if off > 0 {
            range.set_start(&node, off - 1).ok()?;
            let r2 = range.get_bounding_client_rect();
            return Some((r2.right(), r2.top(), r2.height()));
        }
        return None;
    }
    Some((r.left(), r.top(), r.height()))
}

/// The document offset (UTF-16) of the text under viewport point (`x`, `y`),
/// via `caretPositionFromPoint` (Firefox, newer Chromium) or
/// `caretRangeFromPoint` (Chromium, WebKit).
pub fn offset_at_point(article: &Element, x: f64, y: f64) -> Option<u32> {
    let doc = article.owner_document()?;
    let doc_js: &JsValue = doc.unchecked_ref();
    let call = |name: &str| -> Option<JsValue> {
        let f = js_sys::Reflect::get(doc_js, &JsValue::from_str(name)).ok()?;
        let f: js_sys::Function = f.dyn_into().ok()?;
        let v = f.call2(doc_js, &JsValue::from_f64(x), &JsValue::from_f64(y)).ok()?;
        (!v.is_null() && !v.is_undefined()).then_some(v)
    };
    let (node, off) = if let Some(pos) = call("caretPositionFromPoint") {
        let node: Node = js_sys::Reflect::get(&pos, &"offsetNode".into()).ok()?.dyn_into().ok()?;
        let off = js_sys::Reflect::get(&pos, &"offset".into()).ok()?.as_f64()? as u32;
        (node, off)
    } else {
        let range: web_sys::Range = call("caretRangeFromPoint")?.dyn_into().ok()?;
        (range.start_container().ok()?, range.start_offset().ok()?)
    };
    let art: &Node = article.unchecked_ref();
    if !art.contains(Some(&node)) {
        return None;
    }
    offset_utf16(article, &node, off)
}

/// Whether the paragraph containing document offset `u16` is laid out right to left.
pub fn is_rtl_at(article: &Element, u16: u32) -> bool {
    let Some((node, _)) = dom_position(article, u16) else { return false };
    let Some(para) = node.parent_element().and_then(|s| s.parent_element()) else { return false };
    web_sys::window()
        .and_then(|w| w.get_computed_style(&para).ok().flatten())
        .and_then(|st| st.get_property_value("direction").ok())
        .is_some_and(|d| d == "rtl")
}

/// Moves the caret for a caret key (Ctrl: by word, or to the ends with
/// Home/End; Shift: extends the selection), and scrolls it into view.
pub fn move_caret(article: &Element, index: &TextIndex, key: CaretKey, ctrl: bool, shift: bool) {
    let (anchor, focus) = read_anchor_focus(article).unwrap_or_else(|| {
        let start = initial_caret(article);
        (start, start)
    });
    let to_cp = |u: u32| index.utf16_to_cp_floor(u as usize).unwrap_or(0);
    let to_u16 = |cp: usize| index.cp_to_utf16(cp).unwrap_or(0) as u32;
    let rtl = is_rtl_at(article, focus);
    let horizontal = matches!(key, CaretKey::Left | CaretKey::Right);
    // Without Shift, Left/Right on a selection collapse it to its edge.
    if !shift && anchor != focus && horizontal {
        let (lo, hi) = (anchor.min(focus), anchor.max(focus));
        let to = if (key == CaretKey::Left) != rtl { lo } else { hi };
        set_selection(article, to, to);
        return;
    }
    let f = to_cp(focus);
    let forward = (key == CaretKey::Right) != rtl;
    let new_cp = match key {
        CaretKey::Left | CaretKey::Right => match (forward, ctrl) {
            (true, false) => words::next_grapheme(index, f),
            (false, false) => words::prev_grapheme(index, f),
            (true, true) => words::next_word_start(index, f),
            (false, true) => words::prev_word_start(index, f),
        },
        CaretKey::Home if ctrl => 0,
        CaretKey::End if ctrl => index.len_cp(),
        CaretKey::Home => words::line_start(index, f),
        CaretKey::End => words::line_end(index, f),
        CaretKey::Up | CaretKey::Down => vertical(article, index, f, key == CaretKey::Down),
    };
    let new_u16 = to_u16(new_cp);
    set_selection(article, if shift { anchor } else { new_u16 }, new_u16);
    keep_visible(article, new_u16);
}

/// Where the caret (the selection's focus) is now, as a UTF-16 document offset.
pub fn caret_offset(article: &Element) -> u32 {
    read_anchor_focus(article).map_or_else(|| initial_caret(article), |(_, f)| f)
}

fn viewport_height() -> f64 {
    web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|v| v.as_f64()).unwrap_or(800.0)
}

/// Bottom of the sticky header, in viewport pixels.
fn header_bottom() -> f64 {
    gloo::utils::document()
        .query_selector("header.top")
        .ok()
        .flatten()
        .map(|h| h.get_bounding_client_rect().bottom().max(0.0))
        .unwrap_or(0.0)
}

/// Scrolls so the caret at `u16` is in view (below the sticky header).
fn keep_visible(article: &Element, u16: u32) {
    let Some((_, top, h)) = caret_rect(article, u16) else { return };
    let (vh, header) = (viewport_height(), header_bottom());
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
    if let Some((x, top, h)) = caret_rect(article, u) {
        let y = if down { top + h * 1.5 } else { top - h * 0.5 };
        if y > 0.0 && y < viewport_height() {
            if let Some(v) = offset_at_point(article, x + 1.0, y) {
                let c = index.utf16_to_cp_floor(v as usize).unwrap_or(cp);
                if c != cp {
                    return c;
                }
            }
        }
    }
    words::vertical_by_column(index, cp, down)
}

/// Where the caret starts when the article gets keyboard focus with no
/// selection in it: the first text visible at the top of the viewport.
fn initial_caret(article: &Element) -> u32 {
    let r = article.get_bounding_client_rect();
    let y = r.top().max(header_bottom()) + 12.0;
    offset_at_point(article, r.left() + 2.0, y).unwrap_or(0)
}

/// When the article gets keyboard focus (not a click) with no selection in
/// it, puts the caret at the first visible text so it shows at once.
pub fn ensure_caret(article: &Element) {
    let focused = gloo::utils::document().active_element().is_some_and(|a| a.id() == "article");
    let by_keyboard = article.matches(":focus-visible").unwrap_or(false);
    if focused && by_keyboard && read_anchor_focus(article).is_none() {
        let start = initial_caret(article);
        set_selection(article, start, start);
    }
}

/// Positions the visible caret (`#kbd-caret`, outside the article) at the
/// collapsed selection, or hides it. (Style writes cannot fail in a way a
/// person could act on; a failure leaves the marker where it was.)
pub fn update_caret_marker(article: &Element) {
    let Some(marker) = gloo::utils::document().get_element_by_id("kbd-caret") else { return };
    let Ok(marker) = marker.dyn_into::<web_sys::HtmlElement>() else { return };
    let style = marker.style();
    let focused = gloo::utils::document().active_element().is_some_and(|a| a.id() == "article");
    let collapsed = read_anchor_focus(article).filter(|(a, f)| a == f);
    let props: Vec<(&str, String)> = match (focused, collapsed.and_then(|(_, f)| caret_rect(article, f))) {
        (true, Some((x, top, h))) => {
            let w = web_sys::window();
            let sx = w.as_ref().and_then(|w| w.scroll_x().ok()).unwrap_or(0.0);
            let sy = w.as_ref().and_then(|w| w.scroll_y().ok()).unwrap_or(0.0);
            let px = |v: f64| format!("{}px", annotator_core::model::decimal(v, 2));
            vec![("left", px(x + sx)), ("top", px(top + sy)), ("height", px(h)), ("display", "block".into())]
        }
        _ => vec![("display", "none".into())],
    };
    for (k, v) in props {
        if style.set_property(k, &v).is_err() {
            return;
        }
    }
}
