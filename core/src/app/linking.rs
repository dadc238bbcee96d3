//! Making a link from the keyboard or the mouse: `l` (or the "Link…"
//! button) starts from the selected annotation; the person then picks the
//! other one by clicking its highlight or list item, or with `j`/`k` and
//! Enter; "Relation" chooses the kind; Escape cancels. The link itself is
//! one model action ([`Action::Link`]), so one undo step.

use super::state::{describe, AppState};
use crate::model::link_views::default_kind;
use crate::model::links::LinkKind;
use crate::model::shorten;
use crate::{model::Action, model::Annotation};
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

impl Linking {
    /// The kind the link from `from` to `to` gets.
    pub fn kind_for(&self, from: &Annotation, to: Option<&Annotation>) -> LinkKind {
        self.kind.unwrap_or_else(|| {
            to.map_or_else(|| default_kind(from.label, crate::model::Label::Claim), |t| default_kind(from.label, t.label))
        })
    }
}

/// “Denial “…” denies Claim “…”” for descriptions and announcements.
pub fn describe_link(from: &Annotation, kind: LinkKind, to: &Annotation) -> String {
    format!("{} “{}” {} {} “{}”", from.label, shorten(&from.quote, 40), kind, to.label, shorten(&to.quote, 40))
}

impl AppState {
    /// `l` or the Link button: start a link from the selected annotation.
    pub(super) fn start_link(&self, now: String) -> Self {
        let Some(from) = self.model.selected.as_deref().and_then(|id| self.model.get(id)) else {
            return self.notice("Select the annotation the link starts from first (for a denial: the denial), then press l.".into());
        };
        let text = format!(
            "Linking from {}. Choose the other annotation: click it, or move with j and k and press Enter. Escape cancels.",
            describe(from)
        );
        let mut next = self.clone();
        next.linking = Some(Linking { from: from.id.clone(), kind: None, candidate: None, started: now });
        next.notice = None;
        next.info = Some(text.clone());
        next.announce = text;
        next
    }

    /// "Relation": the kind of the link being made.
    pub(super) fn set_link_kind(&self, kind: LinkKind) -> Option<Self> {
        let linking = self.linking.as_ref()?;
        let mut next = self.clone();
        next.linking = Some(Linking { kind: Some(kind), ..linking.clone() });
        next.announce = format!("Relation: {kind}");
        Some(next)
    }

    /// `j`/`k` while linking: the next or previous shown annotation other
    /// than the source becomes the candidate.
    pub(super) fn step_link(&self, linking: &Linking, dir: i32) -> Self {
        let shown: Vec<&Annotation> =
            self.filter.apply(&self.model.annotations).into_iter().map(|a| &**a).filter(|a| a.id != linking.from).collect();
        if shown.is_empty() {
            return self.notice("There is no other annotation to link to.".into());
        }
        // From the candidate, or else from the source's place in the text.
        let here = linking.candidate.as_deref().or(Some(linking.from.as_str()));
        let pos = here.and_then(|id| self.model.get(id)).map(|h| {
            let after = shown.partition_point(|a| crate::model::text_order(a, h).is_lt());
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
        let from = self.model.get(&linking.from);
        let kind = from.map(|f| linking.kind_for(f, Some(target)));
        let mut next = self.clone();
        next.linking = Some(Linking { candidate: Some(target.id.clone()), ..linking.clone() });
        let nonce = self.scroll_to.as_ref().map_or(0, |s| s.1) + 1;
        next.scroll_to = Some((target.id.clone(), nonce));
        next.notice = None;
        next.announce = match kind {
            Some(k) => format!("Link target: {}. Enter links it ({k}); Escape cancels.", describe(target)),
            None => format!("Link target: {}", describe(target)),
        };
        next
    }

    /// Ends a link at `to` (picked by a click, a list item or Enter on the candidate).
    pub(super) fn finish_link(&self, linking: &Linking, to: &str, now: String) -> Self {
        let (Some(from), Some(target)) = (self.model.get(&linking.from), self.model.get(to)) else {
            let mut next = self.notice("The annotation to link no longer exists. Nothing was linked.".into());
            next.linking = None;
            return next;
        };
        if from.id == target.id {
            return self.notice("That is the annotation the link starts from: choose another one (Escape cancels).".into());
        }
        let kind = linking.kind_for(from, Some(target));
        let what = describe_link(from, kind, target);
        let already = from.links.iter().any(|l| l.to == target.id && l.kind == kind);
        let mut next = self.change(
            Action::Link { from: from.id.clone(), to: target.id.clone(), kind, now },
            &format!("Link {what}"),
            format!("Linked: {what}"),
        );
        if next.notice.is_none() {
            next.linking = None;
            next.info = Some(if already { format!("Already linked: {what}.") } else { format!("Linked: {what}.") });
        }
        next
    }

    /// A highlight clicked while linking: its innermost annotation other than the source.
    pub(super) fn pick_highlight(&self, linking: &Linking, ids: &[Rc<str>]) -> Self {
        match ids.iter().rev().find(|id| ***id != *linking.from) {
            Some(id) => self.finish_link(linking, id, linking.started.clone()),
            None => self.notice("That is the annotation the link starts from: choose another one (Escape cancels).".into()),
        }
    }

    /// Escape or "Cancel link".
    pub(super) fn cancel_link(&self) -> Option<Self> {
        self.linking.as_ref()?;
        let mut next = self.clone();
        next.linking = None;
        next.info = Some("Linking cancelled.".into());
        next.announce = "Linking cancelled".into();
        Some(next)
    }

    /// "Remove link" on an item of the Links list.
    pub(super) fn unlink(&self, from: String, to: String, now: String) -> Option<Self> {
        let (f, t) = (self.model.get(&from)?, self.model.get(&to)?);
        let link = f.links.iter().find(|l| l.to == to)?;
        let what = describe_link(f, link.kind, t);
        Some(self.change(Action::Unlink { from, to, now }, &format!("Remove link {what}"), format!("Link removed: {what}")))
    }

    /// The state with a link in progress dropped when its source is gone
    /// (deleted, undone, changed in another tab).
    pub(super) fn with_live_linking(mut self) -> Self {
        if let Some(l) = &self.linking {
            if self.model.get(&l.from).is_none() {
                self.linking = None;
            } else if l.candidate.as_deref().is_some_and(|c| self.model.get(c).is_none()) {
                self.linking = Some(Linking { candidate: None, ..l.clone() });
            }
        }
        self
    }
}
