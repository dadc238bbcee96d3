//! What the article marks besides my highlights, memoised: links of the
//! selected annotation and the link candidate, and while comparing, the
//! other annotator's spans per paragraph.

use crate::hooks::ByPtr;
use crate::state::Handle;
use annotator_core::render::marks::Marks;
use annotator_core::render::plan::{refs_by_paragraph, AnnRef, Paragraph};
use std::rc::Rc;
use yew::prelude::*;

/// Per paragraph, the spans touching it.
pub type ByParagraph = Rc<Vec<Rc<Vec<AnnRef>>>>;

/// Annotations linked to the selected one, and the link candidate.
#[hook]
pub fn use_marks(state: &Handle) -> Rc<Marks> {
    let deps = (ByPtr(state.model.annotations.clone()), state.model.selected.clone(), state.linking.clone());
    let marks = use_memo(deps, |(anns, sel, linking)| {
        Rc::new(Marks::of(&anns.0, sel.as_deref(), linking.as_ref().and_then(|l| l.candidate.as_deref())))
    });
    (*marks).clone()
}

/// While comparing: the other annotator's spans per paragraph (ids are their indices).
#[hook]
pub fn use_theirs(state: &Handle, paragraphs: &Rc<Vec<Paragraph>>) -> Option<ByParagraph> {
    let theirs_anns = state.comparing.as_ref().map(|c| ByPtr(c.theirs().annotations.clone()));
    let theirs = use_memo((theirs_anns, ByPtr(paragraphs.clone())), |(anns, paras)| {
        anns.as_ref().map(|anns| {
            let refs =
                anns.0.iter().enumerate().map(|(i, a)| AnnRef { id: Rc::from(i.to_string()), start: a.start, end: a.end, label: a.label });
            Rc::new(refs_by_paragraph(&paras.0, refs).into_iter().map(Rc::new).collect::<Vec<_>>())
        })
    });
    (*theirs).clone()
}
