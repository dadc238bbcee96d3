//! Annotations marked in the text besides the selected one: those linked to
//! it, and the annotation a link being made would go to (the candidate).
//!
//! The article hands each group of paragraphs, and each paragraph, only the
//! marks of the annotations it draws ([`Marks::within`]), so a change of the
//! marks re-renders only the paragraphs whose highlights change.

use super::plan::AnnRef;
use crate::model::link_views::linked_ids;
use crate::model::Annotation;
use std::rc::Rc;

/// Annotations marked in the text besides the selected one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Marks {
    /// Annotations linked to the selected one (either way), each once.
    pub linked: Vec<Rc<str>>,
    /// The annotation `j`/`k` moved to while a link is being made.
    pub candidate: Option<Rc<str>>,
}

impl Marks {
    /// The marks in `annotations` when `selected` is selected and a link
    /// being made has `candidate`: nothing is linked without a selection.
    pub fn of<A: std::borrow::Borrow<Annotation>>(annotations: &[A], selected: Option<&str>, candidate: Option<&str>) -> Marks {
        let linked = selected.map(|id| linked_ids(annotations, id).into_iter().map(Rc::from).collect()).unwrap_or_default();
        Marks { linked, candidate: candidate.map(Rc::from) }
    }

    /// The marks of the annotations among `anns` (a group's or a
    /// paragraph's): each linked one there once, the candidate if it is there.
    pub fn within<'a>(&self, anns: impl Iterator<Item = &'a AnnRef>) -> Marks {
        let mut out = Marks::default();
        if self.linked.is_empty() && self.candidate.is_none() {
            return out;
        }
        for a in anns {
            if self.linked.contains(&a.id) && !out.linked.contains(&a.id) {
                out.linked.push(a.id.clone());
            }
            if self.candidate.as_ref() == Some(&a.id) {
                out.candidate = Some(a.id.clone());
            }
            if out.linked.len() == self.linked.len() && out.candidate == self.candidate {
                break;
            }
        }
        out
    }
}
