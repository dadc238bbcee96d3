//! Making a link from the keyboard or the mouse: `l` (or the "Link…"
//! button) starts from the selected annotation; the person then picks the
//! other one by clicking its highlight or list item, or with `j`/`k` and
//! Enter; "Relation" chooses the kind; Escape cancels. The link itself is
//! one model action ([`Action::Link`]), so one undo step.
//!
//! Everything here works on the link being made ([`Linking`]) and the
//! model it is made in, passed in; the reducer (`reduce_link.rs`) puts the
//! results into the app state.

use super::undo_step::UndoStep;
use super::wording::{describe, describe_link};
use crate::model::filter::Filter;
use crate::model::link_views::default_kind;
use crate::model::links::LinkKind;
use crate::model::{text_order, Action, Annotation, Label, State};
use std::rc::Rc;

/// A link being made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Linking {
    /// The annotation the link starts from.
    pub from: String,
    /// The kind chosen with "Relation"; `None`: the usual kind for the two
    /// labels ([`default_kind`]).
    pub kind: Option<LinkKind>,
    /// The annotation `j`/`k` moved to: Enter links to it.
    pub candidate: Option<String>,
    /// When the link was started: the time of a link finished by a click
    /// (the reducer reads no clock).
    pub started: String,
}

/// The candidate `j`/`k` moved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Stepped {
    /// The link with its new candidate.
    pub linking: Linking,
    /// The candidate's id (to scroll into view).
    pub target: String,
    /// What screen readers are told.
    pub announce: String,
}

/// What ending a link at an annotation comes to.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Finish {
    /// Link them (one undo step); the link is made once the model accepts it.
    Link(UndoStep),
    /// The source or the target no longer exists: this notice, and the link
    /// being made is dropped.
    Gone(String),
    /// The target is the source: this notice, and the link goes on.
    Refused(String),
}

/// The notice when the target picked is the link's source.
const SAME_ANNOTATION: &str = "That is the annotation the link starts from: choose another one (Escape cancels).";

impl Linking {
    /// The kind the link from `from` to `to` gets.
    pub fn kind_for(&self, from: &Annotation, to: Option<&Annotation>) -> LinkKind {
        self.kind.unwrap_or_else(|| to.map_or_else(|| default_kind(from.label, Label::Claim), |t| default_kind(from.label, t.label)))
    }

    /// `l` or the Link button: a link from the selected annotation of
    /// `model`, and the message telling how to go on; or why none starts.
    pub(super) fn start(model: &State, now: String) -> Result<(Linking, String), String> {
        let Some(from) = model.selected.as_deref().and_then(|id| model.get(id)) else {
            return Err("Select the annotation the link starts from first (for a denial: the denial), then press l.".into());
        };
        let text = format!(
            "Linking from {}. Choose the other annotation: click it, or move with j and k and press Enter. Escape cancels.",
            describe(from)
        );
        Ok((Linking { from: from.id.clone(), kind: None, candidate: None, started: now }, text))
    }

    /// "Relation": this link with the kind `kind`, and what is announced.
    pub(super) fn with_kind(&self, kind: LinkKind) -> (Linking, String) {
        (Linking { kind: Some(kind), ..self.clone() }, format!("Relation: {kind}"))
    }

    /// `j`/`k`: the next or previous annotation shown by `filter` other
    /// than the source becomes the candidate; or the notice why none can.
    pub(super) fn step(&self, model: &State, filter: &Filter, dir: i32) -> Result<Stepped, String> {
        let shown: Vec<&Annotation> = filter.apply(&model.annotations).into_iter().map(|a| &**a).filter(|a| a.id != self.from).collect();
        if shown.is_empty() {
            return Err("There is no other annotation to link to.".into());
        }
        // From the candidate, or else from the source's place in the text.
        let here = self.candidate.as_deref().or(Some(self.from.as_str()));
        let pos = here.and_then(|id| model.get(id)).map(|h| {
            let after = shown.partition_point(|a| text_order(a, h).is_lt());
            (after, shown.get(after).is_some_and(|a| a.id == h.id))
        });
        let i = match (pos, dir >= 0) {
            (Some((p, true)), true) => (p + 1).min(shown.len() - 1),
            (Some((p, false)), true) => p.min(shown.len() - 1),
            (Some((p, _)), false) => p.saturating_sub(1),
            (None, true) => 0,
            (None, false) => shown.len() - 1,
        };
        let target = shown[i];
        let kind = model.get(&self.from).map(|f| self.kind_for(f, Some(target)));
        let announce = match kind {
            Some(k) => format!("Link target: {}. Enter links it ({k}); Escape cancels.", describe(target)),
            None => format!("Link target: {}", describe(target)),
        };
        Ok(Stepped { linking: Linking { candidate: Some(target.id.clone()), ..self.clone() }, target: target.id.clone(), announce })
    }

    /// Ends the link at `to` (picked by a click, a list item or Enter on the candidate).
    pub(super) fn finish(&self, model: &State, to: &str, now: String) -> Finish {
        let (Some(from), Some(target)) = (model.get(&self.from), model.get(to)) else {
            return Finish::Gone("The annotation to link no longer exists. Nothing was linked.".into());
        };
        if from.id == target.id {
            return Finish::Refused(SAME_ANNOTATION.into());
        }
        let kind = self.kind_for(from, Some(target));
        let what = describe_link(from, kind, target);
        let already = from.links.iter().any(|l| l.to == target.id && l.kind == kind);
        Finish::Link(UndoStep {
            action: Action::Link { from: from.id.clone(), to: target.id.clone(), kind, now },
            description: format!("Link {what}"),
            announce: format!("Linked: {what}"),
            info: Some(if already { format!("Already linked: {what}.") } else { format!("Linked: {what}.") }),
        })
    }

    /// A highlight covered by `ids` (outermost first) clicked while linking:
    /// its innermost annotation other than the source; or the notice why none.
    pub(super) fn pick<'a>(&self, ids: &'a [Rc<str>]) -> Result<&'a str, String> {
        ids.iter().rev().find(|id| ***id != *self.from).map(|id| &**id).ok_or_else(|| SAME_ANNOTATION.into())
    }

    /// This link as it can go on in `model`: `None` when its source is gone
    /// (deleted, undone, changed in another tab); a candidate that is gone
    /// is dropped.
    pub(super) fn live(&self, model: &State) -> Option<Linking> {
        if model.get(&self.from).is_none() {
            None
        } else if self.candidate.as_deref().is_some_and(|c| model.get(c).is_none()) {
            Some(Linking { candidate: None, ..self.clone() })
        } else {
            Some(self.clone())
        }
    }
}

/// "Remove link" on an item of the Links list: the step removing the link
/// from `from` to `to` in `model`, if there is one.
pub(super) fn unlink(model: &State, from: String, to: String, now: String) -> Option<UndoStep> {
    let (f, t) = (model.get(&from)?, model.get(&to)?);
    let link = f.links.iter().find(|l| l.to == to)?;
    let what = describe_link(f, link.kind, t);
    Some(UndoStep {
        action: Action::Unlink { from, to, now },
        description: format!("Remove link {what}"),
        announce: format!("Link removed: {what}"),
        info: None,
    })
}
