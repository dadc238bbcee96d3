//! One undo step that a part of the app (linking, comparing) asks the
//! reducer to take: the model action and the words for it. The reducer
//! records it in the history like any change and shows `info` only when the
//! model accepted it.

use crate::model::Action;

/// A model action to apply as one undo step, with its words.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct UndoStep {
    pub action: Action,
    /// The history's description of the step (the Undo button's tooltip).
    pub description: String,
    /// What screen readers are told when it is applied.
    pub announce: String,
    /// The success message shown when the model accepted it (`None`: none).
    pub info: Option<String>,
}
