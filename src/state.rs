//! The app state as Yew keeps it: a thin wrapper that gives the pure
//! reducer of `annotator_core::app` (host-tested there) to `use_reducer`.

use annotator_core::app::action::AppAction;
use annotator_core::app::state::AppState;
use std::ops::Deref;
use std::rc::Rc;
use yew::{Reducible, UseReducerDispatcher, UseReducerHandle};

/// [`AppState`] for `use_reducer`.
#[derive(Clone, Debug, PartialEq)]
pub struct Shell(pub AppState);

impl Deref for Shell {
    type Target = AppState;
    fn deref(&self) -> &AppState {
        &self.0
    }
}

impl Reducible for Shell {
    type Action = AppAction;

    fn reduce(self: Rc<Self>, action: AppAction) -> Rc<Self> {
        match self.0.reduce(action) {
            Some(next) => Rc::new(Shell(next)),
            None => self,
        }
    }
}

/// Sends actions to the reducer.
pub type Dispatch = UseReducerDispatcher<Shell>;
/// The state handle of the app component.
pub type Handle = UseReducerHandle<Shell>;
