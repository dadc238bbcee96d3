//! Team sync's hook: resumes sync on start, and tells team sync what the
//! page shows after each render that changed the open document, its
//! annotations or the list of documents (`crate::effects::team`).

use super::ByPtr;
use crate::effects::team::{self, TeamRef};
use crate::effects::Ctx;
use crate::state::Handle;
use yew::prelude::*;

#[hook]
pub fn use_team(state: &Handle, team: &TeamRef, ctx: &Ctx) {
    {
        let (team, ctx) = (team.clone(), ctx.clone());
        use_effect_with((), move |_| team::boot(&team, &ctx));
    }
    let (team, ctx) = (team.clone(), ctx.clone());
    let deps = (ByPtr(state.model.annotations.clone()), ByPtr(state.model.doc.clone()), ByPtr(state.library.clone()));
    use_effect_with(deps, move |(list, doc, library)| team::on_model(&team, &ctx, &doc.0, &list.0, &library.0));
}
