//! The reducer's part for making a link: what [`Linking`] decides, put
//! into the app state (the rules are in `linking.rs`).

use super::linking::{self, Finish, Linking};
use super::state::AppState;
use crate::model::links::LinkKind;
use std::rc::Rc;

impl AppState {
    /// `l` or the Link button: start a link from the selected annotation.
    pub(super) fn start_link(&self, now: String) -> Self {
        match Linking::start(&self.model, now) {
            Err(why) => self.notice(why),
            Ok((linking, text)) => {
                let mut next = self.clone();
                next.linking = Some(linking);
                next.notice = None;
                next.info = Some(text.clone());
                next.announce = text;
                next
            }
        }
    }

    /// "Relation": the kind of the link being made.
    pub(super) fn set_link_kind(&self, kind: LinkKind) -> Option<Self> {
        let (linking, announce) = self.linking.as_ref()?.with_kind(kind);
        let mut next = self.clone();
        next.linking = Some(linking);
        next.announce = announce;
        Some(next)
    }

    /// `j`/`k` while linking: the next or previous shown annotation other
    /// than the source becomes the candidate.
    pub(super) fn step_link(&self, linking: &Linking, dir: i32) -> Self {
        match linking.step(&self.model, &self.filter, dir) {
            Err(why) => self.notice(why),
            Ok(stepped) => {
                let mut next = self.clone();
                next.linking = Some(stepped.linking);
                let nonce = self.scroll_to.as_ref().map_or(0, |s| s.1) + 1;
                next.scroll_to = Some((stepped.target, nonce));
                next.notice = None;
                next.announce = stepped.announce;
                next
            }
        }
    }

    /// Ends a link at `to` (picked by a click, a list item or Enter on the candidate).
    pub(super) fn finish_link(&self, linking: &Linking, to: &str, now: String) -> Self {
        match linking.finish(&self.model, to, now) {
            Finish::Gone(why) => {
                let mut next = self.notice(why);
                next.linking = None;
                next
            }
            Finish::Refused(why) => self.notice(why),
            Finish::Link(step) => {
                let mut next = self.take(step);
                if next.notice.is_none() {
                    next.linking = None;
                }
                next
            }
        }
    }

    /// A highlight clicked while linking: its innermost annotation other than the source.
    pub(super) fn pick_highlight(&self, linking: &Linking, ids: &[Rc<str>]) -> Self {
        match linking.pick(ids) {
            Ok(id) => self.finish_link(linking, id, linking.started.clone()),
            Err(why) => self.notice(why),
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
        Some(self.take(linking::unlink(&self.model, from, to, now)?))
    }

    /// The state with a link in progress dropped when its source is gone
    /// (deleted, undone, changed in another tab).
    pub(super) fn with_live_linking(mut self) -> Self {
        self.linking = self.linking.as_ref().and_then(|l| l.live(&self.model));
        self
    }
}
