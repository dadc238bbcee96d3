//! Reads the DOM Selection as UTF-16 offsets into the `<article>` text.
//!
//! Works for selections made with the mouse, the keyboard, or by script
//! (`Selection.addRange`). Each paragraph carries `data-u16`, its UTF-16
//! start offset in the document, and holds bare text nodes and highlights of
//! one text node each, so a text-node position converts by summing the few
//! lengths before it in its paragraph; other positions fall back to
//! measuring a DOM Range.

use wasm_bindgen::JsCast;
use web_sys::{Element, Node, Range};

use annotator_core::app::selection::SelectionRead;

/// UTF-16 offset of DOM position (`node`, `offset`) within `article`.
pub fn offset_utf16(article: &Element, node: &Node, offset: u32) -> Option<u32> {
    if let Some(u) = offset_in_paragraph(node, offset) {
        return Some(u);
    }
    let doc = article.owner_document()?;
    let range = doc.create_range().ok()?;
    range.set_start(article, 0).ok()?;
    range.set_end(node, offset).ok()?;
    Some(String::from(range.to_string()).encode_utf16().count() as u32)
}

/// The document offset of (`node`, `offset`) when `node` is a text node of a
/// paragraph (`div.para`), directly or as a highlight's only child: the
/// paragraph's `data-u16` plus the lengths of the paragraph's children before it.
fn offset_in_paragraph(node: &Node, offset: u32) -> Option<u32> {
    if node.node_type() != Node::TEXT_NODE {
        return None;
    }
    let parent = node.parent_element()?;
    let (para, child): (Element, Node) = if parent.class_name() == "para" {
        (parent, node.clone())
    } else {
        let para = parent.parent_element()?;
        if para.class_name() != "para" || parent.child_nodes().length() != 1 {
            return None;
        }
        (para, parent.unchecked_into())
    };
    let mut u = para.get_attribute("data-u16")?.parse::<u32>().ok()?;
    let mut k = para.first_child();
    while let Some(n) = k {
        if n == child {
            return Some(u + offset);
        }
        u += utf16_len(&n);
        k = n.next_sibling();
    }
    None
}

/// The UTF-16 length of a node's text (what `textContent.length` says).
pub fn utf16_len(n: &Node) -> u32 {
    n.text_content().map_or(0, |t| t.encode_utf16().count() as u32)
}

/// Reads the current window selection relative to `article`, clipping a
/// selection that extends outside the article to the article's bounds.
pub fn read_selection(article: &Element) -> SelectionRead {
    let Some(sel) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) else {
        return SelectionRead::Nothing;
    };
    if sel.range_count() == 0 || sel.is_collapsed() {
        return SelectionRead::Nothing;
    }
    let Ok(range) = sel.get_range_at(0) else { return SelectionRead::Nothing };
    read_range(article, &range)
}

/// Converts a DOM `range` to article offsets (see [`read_selection`]).
pub fn read_range(article: &Element, range: &Range) -> SelectionRead {
    let article_node: &Node = article.unchecked_ref();
    if !range.intersects_node(article_node).unwrap_or(false) {
        return SelectionRead::Outside;
    }
    let Some(doc) = article.owner_document() else { return SelectionRead::Nothing };
    let Ok(whole) = doc.create_range() else { return SelectionRead::Nothing };
    if whole.select_node_contents(article_node).is_err() {
        return SelectionRead::Nothing;
    }
    // The article's length, only when the selection runs past its end:
    // stringifying a long article costs milliseconds.
    let len = || String::from(whole.to_string()).encode_utf16().count() as u32;
    let start_before = range.compare_boundary_points(Range::START_TO_START, &whole).unwrap_or(0) < 0;
    let end_after = range.compare_boundary_points(Range::END_TO_END, &whole).unwrap_or(0) > 0;
    let start = if start_before {
        Some(0)
    } else {
        range.start_container().ok().and_then(|n| offset_utf16(article, &n, range.start_offset().unwrap_or(0)))
    };
    let end = if end_after {
        Some(len())
    } else {
        range.end_container().ok().and_then(|n| offset_utf16(article, &n, range.end_offset().unwrap_or(0)))
    };
    match (start, end) {
        (Some(s), Some(e)) if s < e => SelectionRead::Range { start_utf16: s, end_utf16: e },
        (Some(_), Some(_)) => SelectionRead::Nothing,
        _ => SelectionRead::Outside,
    }
}

/// Removes any text selection in the window.
pub fn clear_selection() {
    if let Some(sel) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) {
        let _ = sel.remove_all_ranges();
    }
}

/// Whether the page has a non-empty text selection (a drag in progress or done).
pub fn has_range() -> bool {
    web_sys::window().and_then(|w| w.get_selection().ok().flatten()).is_some_and(|s| !s.is_collapsed())
}

/// [`read_selection`] in the article behind `article` ([`SelectionRead::Nothing`] before it is mounted).
pub fn read_in(article: &yew::NodeRef) -> SelectionRead {
    article.cast::<Element>().map_or(SelectionRead::Nothing, |a| read_selection(&a))
}
