//! Team sync's state in this page and the helpers every part uses.

use crate::browser::storage;
use crate::effects::Ctx;
use annotator_core::app::action::AppAction;
use annotator_core::app::team::{with_view, TeamStatus, TeamView};
use annotator_core::model::Annotation;
use annotator_core::store::library::Library;
use annotator_core::sync::connect::{Settings, SETTINGS_KEY};
use annotator_core::sync::Replica;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;

pub(super) type Batch = Closure<dyn FnMut(String, bool)>;

pub(super) type Status = Closure<dyn FnMut(String, String)>;

/// This page's team sync.
#[derive(Default)]
pub struct Team {
    pub(super) settings: Option<Settings>,
    pub(super) replica: Option<Replica>,
    pub(super) view: Rc<TeamView>,
    /// The open document and its annotations as last seen by sync.
    pub(super) last: Option<(String, Rc<Vec<Rc<Annotation>>>)>,
    /// The document caught up with the team in this run.
    pub(super) reconciled: Option<String>,
    /// The first batch (everything the local copy holds) has arrived.
    pub(super) ready: bool,
    /// A document to share once it is open.
    pub(super) pending_share: Option<String>,
    pub(super) closures: Option<(Batch, Status)>,
    /// Counts starts and stops: a late answer of an older run is ignored.
    pub(super) run: u64,
    /// The library as last rendered.
    pub(super) library: Option<Rc<Library>>,
}

pub type TeamRef = Rc<RefCell<Team>>;

pub(super) fn set_view(team: &TeamRef, ctx: &Ctx, f: impl FnOnce(&mut TeamView)) {
    let view = with_view(&team.borrow().view, f);
    team.borrow_mut().view = view.clone();
    ctx.dispatch.dispatch(AppAction::Team(view));
}

pub(super) fn save_settings(team: &TeamRef, ctx: &Ctx) {
    let Some(s) = team.borrow().settings.clone() else { return };
    if let Err(e) = storage::set(SETTINGS_KEY, &s.to_json()) {
        ctx.dispatch
            .dispatch(AppAction::Notice(format!("The team sync settings could not be saved ({e}); sync works until this page is closed.")));
    }
    set_view(team, ctx, |v| v.settings = Some(s));
}

pub(super) fn fail(team: &TeamRef, ctx: &Ctx, status: TeamStatus, error: String) {
    set_view(team, ctx, |v| {
        v.status = status;
        v.error = Some(error);
    });
}
