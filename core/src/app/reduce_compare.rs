//! The reducer's part for comparing with other people's files: what
//! [`Comparing`] decides, put into the app state (the rules are in
//! `compare.rs`).

use super::compare::{Comparing, OthersRead};
use super::state::AppState;
use crate::agreement::DiffKind;
use std::rc::Rc;

impl AppState {
    /// "Compare with…": other people's work on this text, read.
    pub(super) fn compare_files(&self, read: OthersRead) -> Self {
        match Comparing::open(read, &self.model.doc, &self.model.annotations) {
            Err(why) => self.notice(why),
            Ok(opening) => {
                let mut next = self.clone();
                next.comparing = Some(Rc::new(opening.comparing));
                next.info = Some(opening.info);
                next.notice = None;
                next.announce = opening.announce;
                next
            }
        }
    }

    /// Keeps the open comparison in step with my annotations.
    pub(super) fn with_live_comparison(mut self) -> Self {
        let text_len = self.model.doc.index.len_cp();
        if let Some(c) = self.comparing.as_deref().and_then(|c| c.live(&self.model.annotations, text_len)) {
            self.comparing = Some(Rc::new(c));
        }
        self
    }

    /// Shows the differences against `others[i]`.
    pub(super) fn compare_against(&self, i: usize) -> Option<Self> {
        let c = self.comparing.as_deref()?;
        let (fresh, announce) = c.against_file(i, &self.model.annotations, self.model.doc.index.len_cp())?;
        let mut next = self.clone();
        next.announce = announce;
        next.comparing = Some(Rc::new(fresh));
        Some(next)
    }

    /// Selects difference `i` of the remaining ones and scrolls it into view.
    pub(super) fn select_difference(&self, i: usize) -> Option<Self> {
        let selected = self.comparing.as_deref()?.select(i)?;
        let mut next = self.clone();
        next.comparing = Some(Rc::new(selected.comparing));
        let nonce = self.scroll_to.as_ref().map_or(0, |s| s.1) + 1;
        next.scroll_to = Some((selected.scroll_to, nonce));
        next.model.selected = selected.select;
        next.announce = selected.announce;
        Some(next)
    }

    /// `j`/`k` while comparing: the next or previous difference (wrapping).
    pub(super) fn step_difference(&self, dir: i32) -> Self {
        let Some(c) = self.comparing.as_deref() else { return self.clone() };
        match c.step(dir) {
            Err(why) => self.notice(why),
            Ok(i) => self.select_difference(i).unwrap_or_else(|| self.clone()),
        }
    }

    /// "Keep mine": sets difference `i` of the remaining ones aside.
    pub(super) fn keep_mine(&self, i: usize) -> Option<Self> {
        let (kept, info) = self.comparing.as_deref()?.keep_mine(i)?;
        let mut next = self.clone();
        next.comparing = Some(Rc::new(kept));
        next.announce = info.clone();
        next.info = Some(info);
        next.notice = None;
        Some(next)
    }

    /// "Accept theirs" on difference `i` of the remaining ones (one undo step).
    pub(super) fn accept_theirs(&self, i: usize, new_id: &str, now: &str) -> Option<Self> {
        let step = self.comparing.as_deref()?.accept_theirs(i, &self.model.annotations, new_id, now)?;
        let mut next = self.take(step);
        if next.notice.is_none() {
            next.comparing = next.comparing.map(|c| Rc::new(Comparing { current: Some(i), ..(*c).clone() }));
        }
        Some(next)
    }

    /// "Accept all theirs" for one kind of difference (one undo step); new
    /// annotations get ids `{id_prefix}-{n}`.
    pub(super) fn accept_all(&self, kind: DiffKind, id_prefix: &str, now: &str) -> Option<Self> {
        Some(match self.comparing.as_deref()?.accept_all(kind, &self.model.annotations, id_prefix, now) {
            Err(why) => self.notice(why),
            Ok(step) => self.take(step),
        })
    }

    /// "Close comparison" or Escape: my annotations stay as they now are.
    pub(super) fn close_comparison(&self) -> Option<Self> {
        self.comparing.as_ref()?;
        let mut next = self.clone();
        next.comparing = None;
        next.info = Some("Comparison closed; your annotations are as you left them.".into());
        next.announce = "Comparison closed".into();
        Some(next)
    }
}
