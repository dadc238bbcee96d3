//! One annotation before and after a step: the unit every history entry is made of.

use crate::model::Annotation;
use serde::{Deserialize, Serialize};

/// What one step did to one annotation (matched by id).
///
/// * add: `before: None`, `after: Some`
/// * delete: `before: Some`, `after: None`
/// * edit (retag, note, replace on import): `before: Some`, `after: Some`, same id
///
/// `None → None` is meaningless and refused by [`History::from_json`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub before: Option<Annotation>,
    pub after: Option<Annotation>,
}

impl Change {
    /// The id of the annotation this change is about (`None` only for the
    /// meaningless `None → None` change).
    pub fn id(&self) -> Option<&str> {
        self.after.as_ref().or(self.before.as_ref()).map(|a| a.id.as_str())
    }

    pub(super) fn sides(&self, forward: bool) -> (Option<&Annotation>, Option<&Annotation>) {
        if forward {
            (self.before.as_ref(), self.after.as_ref())
        } else {
            (self.after.as_ref(), self.before.as_ref())
        }
    }
}
