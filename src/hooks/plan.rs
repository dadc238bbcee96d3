//! The render plan, memoised: the article's paragraphs (per document) and,
//! per paragraph, the annotations the filter shows there. After an edit only
//! the paragraphs it touched get a new list; every other keeps its `Rc`, so
//! its component (and its group) skip re-rendering.

use super::ByPtr;
use crate::state::Handle;
use annotator_core::model::Annotation;
use annotator_core::render::plan::{
    annotations_by_paragraph, apply_changes_by_paragraph, paragraphs, update_by_paragraph, AnnRef, Paragraph,
};
use std::rc::Rc;
use yew::prelude::*;

/// Paragraphs of the open document, and per paragraph the annotations touching it.
pub type Plan = (Rc<Vec<Paragraph>>, Rc<Vec<Rc<Vec<AnnRef>>>>);

struct Cached {
    paragraphs: Rc<Vec<Paragraph>>,
    shown: Rc<Vec<Rc<Annotation>>>,
    by_para: Rc<Vec<Rc<Vec<AnnRef>>>>,
}

/// The plan for `state`, updated incrementally from the last edit's changes
/// when they lead from the cached list to this one.
#[hook]
pub fn use_plan(state: &Handle) -> Plan {
    let doc = state.model.doc.clone();
    let paras = use_memo(doc.id.clone(), move |_| paragraphs(&doc.index));
    let shown = use_memo((ByPtr(state.model.annotations.clone()), state.filter.clone()), |(anns, filter)| {
        if filter.is_active() {
            Rc::new(filter.apply(&anns.0).into_iter().cloned().collect::<Vec<_>>())
        } else {
            anns.0.clone()
        }
    });
    let cache = use_mut_ref(|| None::<Cached>);
    let anns: Rc<Vec<Rc<Annotation>>> = (*shown).clone();
    let mut cache = cache.borrow_mut();
    if let Some(c) = cache.as_ref().filter(|c| Rc::ptr_eq(&c.paragraphs, &paras) && Rc::ptr_eq(&c.shown, &anns)) {
        return (paras.clone(), c.by_para.clone());
    }
    let same_paras = cache.as_ref().filter(|c| Rc::ptr_eq(&c.paragraphs, &paras));
    // The edit's own changes when they lead from the cached list to this one;
    // otherwise compare the lists.
    let known = same_paras
        .zip(state.last_change.as_ref())
        .filter(|(c, l)| Rc::ptr_eq(&c.shown, &l.before) && Rc::ptr_eq(&anns, &l.after) && c.by_para.len() == paras.len());
    let updated = match known {
        Some((c, l)) => Some(apply_changes_by_paragraph(&paras, &c.by_para, &l.changes)),
        None => same_paras.and_then(|c| update_by_paragraph(&paras, &c.by_para, &c.shown, &anns, 500)),
    };
    let by_para = Rc::new(updated.unwrap_or_else(|| {
        let old = same_paras.map(|c| c.by_para.clone());
        annotations_by_paragraph(&paras, &anns)
            .into_iter()
            .enumerate()
            .map(|(i, v)| match old.as_ref().and_then(|o| o.get(i)) {
                Some(o) if **o == v => o.clone(),
                _ => Rc::new(v),
            })
            .collect()
    }));
    // The list this edit replaces is freed after the frame is painted:
    // dropping 10,000 annotations is work the person need not wait for.
    if let Some(old) = cache.take() {
        crate::browser::after_next_paint(move || drop(old));
    }
    *cache = Some(Cached { paragraphs: paras.clone(), shown: anns, by_para: by_para.clone() });
    (paras.clone(), by_para)
}
