//! The team's versions of the open document's annotations, taken in.
//!
//! 1. Changes for another document than the open one are ignored (they are
//!    shown when that document is opened).
//! 2. A version is shown only if it fits the open text: `start < end ≤`
//!    the text's length, and the quote is exactly the text there. Others are
//!    not applied and are reported by id; nothing else is held back.
//! 3. A version replaces the annotation of the same id, or is added; a
//!    deletion removes it. It is not an undo step (it is someone else's
//!    edit), and it is saved in this browser like any edit.

use super::state::AppState;
use crate::model::{shorten, text_order, Annotation, State};
use std::collections::HashMap;
use std::rc::Rc;

impl AppState {
    /// Rules 1–3 of the module documentation.
    pub(super) fn team_changes(&self, doc: &str, changes: Vec<(String, Option<Annotation>)>) -> Option<Self> {
        if doc != self.model.doc.id {
            return None;
        }
        let index = &self.model.doc.index;
        let mut refused = Vec::new();
        let mut by_id: HashMap<String, Option<Annotation>> = HashMap::with_capacity(changes.len());
        for (id, version) in changes {
            match version {
                Some(a) if a.start >= a.end || index.slice_cp(a.start, a.end) != Some(a.quote.as_str()) => refused.push(id),
                v => {
                    by_id.insert(id, v);
                }
            }
        }
        // Unchanged annotations keep their `Rc` (the view and the history diff skip them by pointer).
        let mut changed = false;
        let mut list: Vec<Rc<Annotation>> = Vec::with_capacity(self.model.annotations.len() + by_id.len());
        for a in self.model.annotations.iter() {
            match by_id.remove(&a.id) {
                None => list.push(a.clone()),
                Some(None) => changed = true,
                Some(Some(v)) if v.same_content(a) && v == **a => list.push(a.clone()),
                Some(Some(v)) => {
                    changed = true;
                    list.push(Rc::new(v));
                }
            }
        }
        for v in by_id.into_values().flatten() {
            changed = true;
            list.push(Rc::new(v));
        }
        if !changed && refused.is_empty() {
            return None;
        }
        let mut next = self.clone();
        if changed {
            crate::text::sorting::sort_by(&mut list, |a, b| text_order(a, b));
            let selected = self.model.selected.clone().filter(|id| list.iter().any(|a| &a.id == id));
            next.model = State { doc: self.model.doc.clone(), annotations: Rc::new(list), selected };
            next.last_change = None;
            next.revision += 1;
            next.announce = "Updated with the team's changes".into();
        }
        if !refused.is_empty() {
            crate::text::sorting::sort(&mut refused);
            let ids: Vec<String> = refused.iter().take(5).map(|id| format!("“{}”", shorten(id, 30))).collect();
            next.notice = Some(format!(
                "{} shared annotation{} did not fit this text and {} not applied ({}{}).{}",
                refused.len(),
                if refused.len() == 1 { "" } else { "s" },
                if refused.len() == 1 { "was" } else { "were" },
                ids.join(", "),
                if refused.len() > 5 { ", …" } else { "" },
                if changed { " The team's other changes are shown." } else { " Nothing else changed." }
            ));
        }
        Some(next)
    }
}
