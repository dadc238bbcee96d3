//! The app's reducer: the model's [`State`] plus the messages shown to the
//! person. Refusals from the model become a notice; nothing else changes.

use crate::browser::selection::SelectionRead;
use annotator_core::model::{normalize_selection, shorten};
use annotator_core::{Action, Annotation, Label, State};
use std::rc::Rc;
use yew::Reducible;

/// The app state Yew keeps.
#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub model: State,
    /// An error or refusal to show in the alert region.
    pub notice: Option<String>,
    /// A success message (import summary).
    pub info: Option<String>,
    /// Increases on every change to the annotations (drives autosave).
    pub revision: u64,
    /// An annotation to scroll into view, with a nonce so repeats scroll again.
    pub scroll_to: Option<(String, u64)>,
}

/// What the UI asks the reducer to do.
#[derive(Clone, Debug)]
pub enum AppAction {
    /// `1`/`2`/`3` or a label button: tag the text selection, or retag the
    /// selected annotation when no text is selected.
    Tag { label: Label, selection: SelectionRead, new_id: String, now: String },
    /// Delete the selected annotation.
    DeleteSelected,
    /// Delete a given annotation.
    Delete(String),
    /// Select an annotation (from the list: also scrolls it into view).
    Select { id: Option<String>, scroll: bool },
    /// Clicked a highlight covered by `ids` (outermost first): selects the
    /// innermost, or the next one out if that is already selected.
    ClickHighlight(Vec<Rc<str>>),
    /// Merge validated imported annotations; `summary` is shown on success.
    Import { annotations: Vec<Annotation>, summary: String },
    /// Show an error.
    Notice(String),
    /// Show a success message.
    Info(String),
}

impl AppState {
    /// The initial state, with optional startup messages.
    pub fn new(model: State, notice: Option<String>) -> Self {
        AppState { model, notice, info: None, revision: 0, scroll_to: None }
    }

    fn with_model(&self, result: Result<State, annotator_core::ModelError>, changes: bool) -> Self {
        let mut next = self.clone();
        match result {
            Ok(model) => {
                next.model = model;
                next.notice = None;
                next.info = None;
                if changes {
                    next.revision += 1;
                }
            }
            Err(e) => next.notice = Some(e.to_string()),
        }
        next
    }

    fn notice(&self, text: String) -> Self {
        let mut next = self.clone();
        next.notice = Some(text);
        next.info = None;
        next
    }
}

impl Reducible for AppState {
    type Action = AppAction;

    fn reduce(self: Rc<Self>, action: AppAction) -> Rc<Self> {
        let next = match action {
            AppAction::Tag { label, selection, new_id, now } => match selection {
                SelectionRead::Range { start_utf16, end_utf16 } => {
                    let index = &self.model.doc.index;
                    let a = index.utf16_to_cp_floor(start_utf16 as usize);
                    let b = index.utf16_to_cp_ceil(end_utf16 as usize);
                    match (a, b) {
                        (Some(a), Some(b)) => match normalize_selection(index, a, b) {
                            Ok((start, end)) => self.with_model(
                                self.model.apply(Action::Add { id: new_id, start, end, label, now }),
                                true,
                            ),
                            Err(e) => self.notice(e.to_string()),
                        },
                        _ => self.notice("The selection does not match the article text; select it again.".into()),
                    }
                }
                SelectionRead::Outside => {
                    self.notice("The selection is outside the article: select text in the article to tag it.".into())
                }
                SelectionRead::Nothing => match self.model.selected.clone() {
                    Some(id) => {
                        if self.model.get(&id).map(|a| a.label) == Some(label) {
                            self.notice(format!("This annotation is already a {label}."))
                        } else {
                            self.with_model(self.model.apply(Action::Retag { id, label, now }), true)
                        }
                    }
                    None => self.notice(format!(
                        "Nothing to tag as {label}: select text in the article first, or pick an annotation to retag."
                    )),
                },
            },
            AppAction::DeleteSelected => match self.model.selected.clone() {
                Some(id) => self.with_model(self.model.apply(Action::Delete { id }), true),
                None => self.notice("Nothing to delete: select an annotation in the text or the list first.".into()),
            },
            AppAction::Delete(id) => self.with_model(self.model.apply(Action::Delete { id }), true),
            AppAction::Select { id, scroll } => {
                let mut next = self.with_model(self.model.apply(Action::Select(id.clone())), false);
                if scroll {
                    if let Some(id) = id {
                        let nonce = self.scroll_to.as_ref().map_or(0, |s| s.1) + 1;
                        next.scroll_to = Some((id, nonce));
                    }
                }
                next
            }
            AppAction::ClickHighlight(ids) => {
                let Some(innermost) = ids.last() else { return self };
                let target = match self.model.selected.as_deref() {
                    Some(sel) => match ids.iter().position(|i| &**i == sel) {
                        // Already selected: step outwards, wrapping to the innermost.
                        Some(0) => innermost.clone(),
                        Some(p) => ids[p - 1].clone(),
                        None => innermost.clone(),
                    },
                    None => innermost.clone(),
                };
                self.with_model(self.model.apply(Action::Select(Some(target.to_string()))), false)
            }
            AppAction::Import { annotations, summary } => {
                let mut next = self.with_model(self.model.apply(Action::Merge(annotations)), true);
                if next.notice.is_none() {
                    next.info = Some(summary);
                }
                next
            }
            AppAction::Notice(text) => self.notice(text),
            AppAction::Info(text) => {
                let mut next = (*self).clone();
                next.info = Some(text);
                next.notice = None;
                next
            }
        };
        Rc::new(next)
    }
}

/// A one-line description of an annotation for lists and announcements.
pub fn describe(a: &Annotation) -> String {
    format!("{}: “{}”", a.label, shorten(&a.quote, 80))
}
