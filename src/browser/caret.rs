//! The keyboard caret in the (read-only) article: maps UTF-16 offsets to DOM
//! positions and back, sets the window Selection (so the browser paints a
//! selection made with Shift+arrows, and tagging reads it like any other), and
//! finds the text position under a point for moving by visual lines.

use super::selection::offset_utf16;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Node};

/// The DOM position (text node, UTF-16 offset within it) of document offset
/// `u16` in `article`, using the `data-u16` of paragraphs and `data-s` of
/// segments: a binary search over paragraphs, then a scan of one paragraph.
pub fn dom_position(article: &Element, u16: u32) -> Option<(Node, u32)> {
    // Paragraphs sit in groups (`div.pgroup`); both carry `data-u16`.
    let group = last_starting_at_or_before(article, u16)?;
    let para = if group.class_name() == "pgroup" { last_starting_at_or_before(&group, u16)? } else { group };
    let segs = para.children();
    let mut best: Option<(Element, u32)> = None;
    for i in 0..segs.length() {
        let Some(seg) = segs.item(i) else { continue };
        let Some(s) = seg.get_attribute("data-s").and_then(|s| s.parse::<u32>().ok()) else { continue };
        if s <= u16 {
            best = Some((seg, s));
        } else {
            break;
        }
    }
    let (seg, s) = best?;
    let text = seg.first_child()?;
    let len = text.text_content().unwrap_or_default().encode_utf16().count() as u32;
    Some((text, (u16 - s).min(len)))
}

/// The last child of `parent` whose `data-u16` is at or before `u16` (binary search).
fn last_starting_at_or_before(parent: &Element, u16: u32) -> Option<Element> {
    let kids = parent.children();
    let n = kids.length();
    if n == 0 {
        return None;
    }
    let start_of = |i: u32| -> u32 {
        kids.item(i).and_then(|p| p.get_attribute("data-u16")).and_then(|s| s.parse().ok()).unwrap_or(0)
    };
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
