//! Applying actions to a [`State`] while recording them in a [`History`].

use super::change::Change;
use super::stack::{Entry, History};
use crate::model::{Action, Annotation, ModelError, State};
use std::rc::Rc;

/// Applies `action` with [`State::apply`] and, when the annotations changed,
/// records the step in `history` under `description`. Selection-only changes
/// ([`Action::Select`], or an action that changed nothing) record nothing. A
/// refused action changes neither the state nor the history.
pub fn apply_recorded(state: &State, history: &mut History, action: Action, description: &str) -> Result<State, ModelError> {
    apply_recorded_change(state, history, action, description).map(|(next, _)| next)
}

/// [`apply_recorded`], also returning the recorded changes when the action
/// names the annotations it touches (add, retag, note, attributes, link,
/// unlink; delete: the annotation and those whose links to it went): read
/// off directly instead of comparing the whole lists, so a caller can update
/// only what it touched. Imports (merges) are recorded by [`diff`](super::diff)
/// and give no changes (`changes` empty: compare the lists).
pub fn apply_recorded_change(
    state: &State,
    history: &mut History,
    action: Action,
    description: &str,
) -> Result<(State, Vec<Change>), ModelError> {
    let touched: Option<Vec<String>> = match &action {
        Action::Add { id, .. }
        | Action::Retag { id, .. }
        | Action::SetNote { id, .. }
        | Action::SetAttributes { id, .. }
        | Action::Link { from: id, .. }
        | Action::Unlink { from: id, .. } => Some(vec![id.clone()]),
        Action::Delete { id } => Some(
            std::iter::once(id.clone())
                .chain(state.annotations.iter().filter(|a| a.links.iter().any(|l| &l.to == id)).map(|a| a.id.clone()))
                .collect(),
        ),
        Action::Select(_) | Action::Merge(_) | Action::Settle { .. } => None,
    };
    let next = state.apply(action)?;
    if Rc::ptr_eq(&state.annotations, &next.annotations) {
        return Ok((next, Vec::new()));
    }
    match touched {
        Some(ids) => {
            let changes: Vec<Change> = ids
                .iter()
                .map(|id| Change { before: state.get(id).cloned(), after: next.get(id).cloned() })
                .filter(|c| c.before != c.after)
                .collect();
            if !changes.is_empty() {
                history.record(Entry::new(description, changes.clone()));
            }
            Ok((next, changes))
        }
        None => {
            history.record_diff(description, &state.annotations, &next.annotations);
            Ok((next, Vec::new()))
        }
    }
}

/// [`History::undo`] on a [`State`]: the state with the annotations as they
/// were before the latest step (the selection is kept if its annotation still
/// exists, else cleared), and the step's description.
pub fn undo_state(state: &State, history: &mut History) -> Option<(State, String)> {
    let (list, description) = history.undo(&state.annotations)?;
    Some((with_list(state, list), description))
}

/// [`History::redo`] on a [`State`], like [`undo_state`].
pub fn redo_state(state: &State, history: &mut History) -> Option<(State, String)> {
    let (list, description) = history.redo(&state.annotations)?;
    Some((with_list(state, list), description))
}

fn with_list(state: &State, list: Vec<Rc<Annotation>>) -> State {
    let selected = state.selected.clone().filter(|id| list.iter().any(|a| &a.id == id));
    State { doc: state.doc.clone(), annotations: Rc::new(list), selected }
}
