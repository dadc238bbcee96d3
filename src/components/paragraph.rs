//! One paragraph of the article: memoised on its own text range and the
//! annotations touching it, so an edit re-renders only the paragraphs it touches.

use annotator_core::render::marks::Marks;
use annotator_core::render::plan::{segments, AnnRef, Paragraph};
use annotator_core::{model::Label, text::direction, text::text_index::TextIndex};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ParagraphProps {
    pub index: Rc<TextIndex>,
    pub para: Paragraph,
    /// Annotations touching this paragraph, in text order.
    pub anns: Rc<Vec<AnnRef>>,
    /// While comparing: the other annotator's spans touching this paragraph
    /// (ids are their indices), outlined beside mine.
    pub theirs: Rc<Vec<AnnRef>>,
    /// The selected annotation's id, only when it touches this paragraph.
    pub selected: Option<Rc<str>>,
    /// Linked annotations and the link candidate touching this paragraph.
    pub marks: Marks,
}

/// A value many highlights share (their classes, titles, start and end
/// cues), interned: it crosses to JS as a cached string instead of being
/// decoded again for each of thousands of highlights at an import.
fn shared(value: String) -> AttrValue {
    wasm_bindgen::intern(&value);
    AttrValue::from(value)
}

#[function_component(ParagraphView)]
pub fn paragraph_view(props: &ParagraphProps) -> Html {
    let text = props.index.text();
    // Mine first, then theirs: a covering index at or past `mine` is theirs.
    let mine = props.anns.len();
    let all: std::borrow::Cow<[AnnRef]> = if props.theirs.is_empty() {
        std::borrow::Cow::Borrowed(&props.anns[..])
    } else {
        std::borrow::Cow::Owned(props.anns.iter().chain(props.theirs.iter()).cloned().collect())
    };
    let segs = segments(&props.index, &props.para, &all);
    let children = segs.into_iter().map(|seg| {
        // Segment bounds come from the text index's code point boundaries, so
        // `get` always succeeds; a miss would show an empty segment, never panic.
        let slice = text.get(seg.utf8.0..seg.utf8.1).unwrap_or_default();
        let theirs: Vec<&AnnRef> = seg.covering.iter().filter(|&&i| i >= mine).map(|&i| &all[i]).collect();
        let theirs_title = theirs.iter().map(|a| a.label.display()).collect::<Vec<_>>().join(", ");
        let theirs_ids = (!theirs.is_empty()).then(|| theirs.iter().map(|a| &*a.id).collect::<Vec<_>>().join(" "));
        let mut theirs_classes: Vec<String> = Vec::new();
        if let Some(inner) = theirs.last() {
            theirs_classes.push("theirs".into());
            theirs_classes.push(format!("theirs-{}", inner.label.as_str()));
        }
        let covering: Vec<&AnnRef> = seg.covering.iter().filter(|&&i| i < mine).map(|&i| &all[i]).collect();
        if covering.is_empty() {
            if theirs.is_empty() {
                // Plain text is a bare text node: no element, no attributes
                // (the caret finds offsets from the paragraph's `data-u16`).
                return html! { { slice } };
            }
            return html! {
                <span class={shared(classes!("seg", theirs_classes).to_string())} data-theirs={theirs_ids}
                    title={shared(format!("Theirs: {theirs_title}"))}>{ slice }</span>
            };
        }
        let ids: Vec<Rc<str>> = covering.iter().map(|a| a.id.clone()).collect();
        let inner = covering.last().map(|a| a.label).unwrap_or(Label::Claim);
        let outer = covering.first().map(|a| a.label).unwrap_or(inner);
        let mut classes = vec!["hl".to_string()];
        for l in Label::ALL {
            if covering.iter().any(|a| a.label == l) {
                classes.push(l.as_str().to_string());
            }
        }
        classes.push(format!("inner-{}", inner.as_str()));
        if covering.len() > 1 {
            classes.push(format!("outer-{}", outer.as_str()));
            classes.push(format!("depth-{}", covering.len().min(3)));
        }
        let is_selected = props.selected.as_ref().is_some_and(|s| ids.contains(s));
        if is_selected {
            classes.push("selected".into());
        }
        classes.extend(theirs_classes);
        let mut title = covering.iter().rev().map(|a| a.label.display()).collect::<Vec<_>>().join(" inside ");
        if !theirs.is_empty() {
            title.push_str(&format!(" · theirs: {theirs_title}"));
        }
        if props.marks.linked.iter().any(|l| ids.contains(l)) {
            classes.push("linked".into());
            title.push_str(" · linked to the selected annotation");
        }
        if props.marks.candidate.as_ref().is_some_and(|c| ids.contains(c)) {
            classes.push("link-candidate".into());
            title.push_str(" · Enter links to this");
        }
        let data_ids = ids.iter().map(|i| &**i).collect::<Vec<_>>().join(" ");
        // Where annotations start and end, for screen readers: CSS generated
        // content (visually hidden, not part of the article's textContent)
        // reads e.g. "start Claim" … "end Claim".
        let starts = covering.iter().filter(|a| a.start == seg.start_cp).map(|a| a.label.display()).collect::<Vec<_>>().join(", ");
        let ends = covering.iter().rev().filter(|a| a.end == seg.end_cp).map(|a| a.label.display()).collect::<Vec<_>>().join(", ");
        // A click on it is handled once for the whole article (`article.rs`),
        // not by a listener on each of thousands of highlights.
        html! {
            <mark class={shared(classes.join(" "))} data-ids={data_ids} data-theirs={theirs_ids}
                  data-starts={(!starts.is_empty()).then(|| shared(starts))} data-ends={(!ends.is_empty()).then(|| shared(ends))}
                  title={shared(title)}>{ slice }</mark>
        }
    });
    // Its direction decided once, as `dir="auto"` would (see `direction`).
    let rtl = props.index.slice_cp(props.para.start_cp, props.para.end_cp).is_some_and(direction::is_rtl);
    let dir = if rtl { "rtl" } else { "ltr" };
    html! { <div class="para" {dir} data-start={props.para.start_cp.to_string()} data-u16={props.para.start_utf16.to_string()}>{ for children }</div> }
}
