//! The reducer: [`AppState::reduce`] and the changes it is made of. Its
//! parts for making links and comparing are in `reduce_link.rs` and
//! `reduce_compare.rs`; tagging and importing in `edits.rs`, the team's
//! changes in `team_apply.rs`.

use super::action::AppAction;
use super::state::{AppState, DetailsUndo, LastChange, SaveStatus};
use super::undo_step::UndoStep;
use super::wording::describe;
use crate::history::{apply_recorded_change, redo_state, undo_state, History};
use crate::model::shorten;
use crate::store::error::{SaveWarning, StoreError};
use crate::store::merge::{self, DocRecord};
use crate::{model::Action, model::Annotation, model::State};
use std::rc::Rc;

impl AppState {
    /// The next state after `action`; `None` when nothing changes.
    pub fn reduce(&self, action: AppAction) -> Option<AppState> {
        let mut next = self.reduce_action(action)?;
        // A change to what is stored is "Saving…" until its save reports;
        // a failure stays until a save succeeds.
        if next.revision != self.revision && !matches!(next.save, SaveStatus::Failed(_)) {
            next.save = SaveStatus::Saving;
        }
        let next = if next.linking.is_some() { next.with_live_linking() } else { next };
        Some(next.with_live_comparison())
    }

    fn reduce_action(&self, action: AppAction) -> Option<AppState> {
        if let Some(linking) = &self.linking {
            match &action {
                AppAction::Select { id: Some(id), .. } => return Some(self.finish_link(linking, id, linking.started.clone())),
                AppAction::Select { id: None, .. } => return self.cancel_link(),
                AppAction::Step(dir) => return Some(self.step_link(linking, *dir)),
                AppAction::ClickHighlight(ids) => return Some(self.pick_highlight(linking, ids)),
                _ => {}
            }
        }
        if self.comparing.is_some() {
            if let AppAction::Step(dir) = action {
                return Some(self.step_difference(dir));
            }
        }
        Some(match action {
            AppAction::Tag { label, selection, new_id, now } => self.tag(label, selection, new_id, now),
            AppAction::DeleteSelected => match self.model.selected.clone() {
                Some(id) => self.delete(id),
                None => self.notice("Nothing to delete: select an annotation in the text or the list first.".into()),
            },
            AppAction::Delete(id) => self.delete(id),
            AppAction::Select { id, scroll } => self.select(id, scroll),
            AppAction::Step(dir) => self.step(dir),
            AppAction::ClickHighlight(ids) => {
                let innermost = ids.last()?;
                let target = match self.model.selected.as_deref().and_then(|sel| ids.iter().position(|i| &**i == sel)) {
                    // Already selected: step outwards, wrapping to the innermost.
                    Some(0) | None => innermost.clone(),
                    Some(p) => ids[p - 1].clone(),
                };
                self.select(Some(target.to_string()), false)
            }
            AppAction::SetNote { id, note, now } => {
                if self.model.get(&id).is_some_and(|a| a.note == note) {
                    return None;
                }
                self.change(Action::SetNote { id, note, now }, "Edit note", "Note saved".into())
            }
            AppAction::SetAttributes { id, speaker, verdict, now } => {
                let a = self.model.get(&id)?;
                let (speaker, verdict) = (crate::model::clean_attribute(&speaker), crate::model::clean_attribute(&verdict));
                if a.speaker == speaker && a.verdict == verdict {
                    return None;
                }
                let what = match (a.speaker != speaker, a.verdict != verdict) {
                    (true, false) => "Set speaker",
                    (false, true) => "Set verdict",
                    _ => "Set speaker and verdict",
                };
                let announce = format!("{what}: {}", describe_attributes(&speaker, &verdict));
                self.change(Action::SetAttributes { id, speaker, verdict, now }, what, announce)
            }
            AppAction::EditNote => match self.model.selected.clone() {
                Some(id) => {
                    let mut next = self.clone();
                    let nonce = self.edit_note.as_ref().map_or(0, |e| e.1) + 1;
                    next.edit_note = Some((id, nonce));
                    next
                }
                None => self.notice("Select an annotation first to edit its note.".into()),
            },
            AppAction::FilesParsed { files, doc_id, parsed } => {
                if doc_id != self.model.doc.id {
                    return Some(
                        self.notice("Could not import: another document was opened while the file was read. Nothing was changed.".into()),
                    );
                }
                self.files_parsed(files, parsed)
            }
            AppAction::ResolveLabels { policy, imported } => self.resolve_labels(policy, imported)?,
            AppAction::ResolveRelations { imported } => self.resolve_relations(imported)?,
            AppAction::CancelImport => self.cancel_import()?,
            AppAction::Import { imported, file_name } => self.import(imported, &file_name),
            AppAction::Reattach { orphan_id, selection, now } => self.reattach(orphan_id, selection, now),
            AppAction::DeleteOrphan(id) => {
                if !self.orphans.iter().any(|o| o.id == id) {
                    return None;
                }
                let mut next = self.clone();
                next.orphans = Rc::new(self.orphans.iter().filter(|o| o.id != id).cloned().collect());
                next.revision += 1;
                next.announce = "Orphan deleted".into();
                next
            }
            AppAction::Undo => {
                let mut history = (*self.history).clone();
                let r = undo_state(&self.model, &mut history);
                self.with_history_result(r, history, "Undone")
            }
            AppAction::Redo => {
                let mut history = (*self.history).clone();
                let r = redo_state(&self.model, &mut history);
                self.with_history_result(r, history, "Redone")
            }
            AppAction::ToggleLabel(label) => self.with(|n| n.filter.toggle(label)),
            AppAction::SetQuery(q) => self.with(|n| n.filter.query = q),
            AppAction::SetVerdictFilter(v) => self.with(|n| n.filter.verdict = v),
            AppAction::SetSnap(on) => self.with(|n| n.snap_words = on),
            AppAction::Help(open) => self.with(|n| n.help_open = open),
            AppAction::Paste(open) => self.with(|n| n.paste_open = open),
            AppAction::OpenDoc(opened) => {
                let mut next = self.clone();
                let o = *opened;
                next.model = o.model;
                next.history = Rc::new(o.history);
                next.orphans = Rc::new(o.orphans);
                next.notice = o.notice;
                next.info = o.info;
                next.announce = format!("Opened {}", next.model.doc.title);
                next.scroll_to = None;
                next.edit_note = None;
                next.paste_open = false;
                next.pending_labels = None;
                next.linking = None;
                next.comparing = None;
                next.last_change = None;
                next.save = SaveStatus::Loaded;
                next
            }
            AppAction::SetLibrary(lib) => self.with(|n| n.library = lib),
            AppAction::External(annotations) => {
                let mut next = self.clone();
                next.model = self.model_with(annotations);
                next.last_change = None;
                next.info = Some("Updated with changes made in another tab.".into());
                next.announce = "Updated with changes made in another tab".into();
                next
            }
            AppAction::ExternalRecord { base, merged, now } => self.external_record(&base, &merged, &now)?,
            AppAction::Deleted(removed) => {
                let mut next = self.clone();
                next.info = Some(format!("Deleted the document “{}”.", removed.meta.title));
                next.announce = next.info.clone().unwrap_or_default();
                next.last_deleted = Some(removed);
                next.deleted_at_revision = self.revision;
                next.library_step += 1;
                next.deleted_step = next.library_step;
                next.notice = None;
                next
            }
            AppAction::ForgetDeleted => self.with(|n| n.last_deleted = None),
            AppAction::AddBackups(keys) => {
                let mut next = self.clone();
                let mut all = (*self.backups).clone();
                all.extend(keys);
                next.backups = Rc::new(all);
                next
            }
            AppAction::SaveResult { revision, result } => self.save_result(revision, result)?,
            AppAction::SaveFailed(e) => {
                let status = SaveStatus::Failed(e);
                if status == self.save {
                    return None;
                }
                let mut next = self.clone();
                next.save = status;
                next
            }
            AppAction::Notice(text) => self.notice(text),
            AppAction::Info(text) => {
                let mut next = self.clone();
                next.info = Some(text);
                next.notice = None;
                next
            }
            AppAction::StartLink { now } => self.start_link(now),
            AppAction::SetLinkKind(kind) => self.set_link_kind(kind)?,
            AppAction::FinishLink { now } => {
                let linking = self.linking.clone()?;
                match linking.candidate.clone() {
                    Some(to) => self.finish_link(&linking, &to, now),
                    None => self.notice("Choose the annotation to link to first: click it, or move to it with j and k.".into()),
                }
            }
            AppAction::CancelLink => self.cancel_link()?,
            AppAction::Unlink { from, to, now } => self.unlink(from, to, now)?,
            AppAction::TagAll { label, selection, id_prefix, now } => self.tag_all(label, &selection, &id_prefix, now),
            AppAction::TeamChanges { doc, changes } => self.team_changes(&doc, changes)?,
            AppAction::Team(view) => self.with(|n| n.team = view),
            AppAction::CompareFiles(read) => self.compare_files(read),
            AppAction::CompareAgainst(i) => self.compare_against(i)?,
            AppAction::SelectDifference(i) => self.select_difference(i)?,
            AppAction::AcceptTheirs { index, new_id, now } => self.accept_theirs(index, &new_id, &now)?,
            AppAction::KeepMine(i) => self.keep_mine(i)?,
            AppAction::AcceptAllTheirs { kind, id_prefix, now } => self.accept_all(kind, &id_prefix, &now)?,
            AppAction::CloseComparison => self.close_comparison()?,
            AppAction::DetailsSaved { doc_id, before, undone } => {
                let mut next = self.clone();
                next.library_step += 1;
                next.details_undo =
                    (!undone).then_some(DetailsUndo { doc_id, before, at_revision: self.revision, step: next.library_step });
                let text = if undone { "Undone: edit the document details" } else { "Document details saved." };
                next.info = Some(text.into());
                next.announce = text.into();
                next.notice = None;
                next
            }
        })
    }

    /// A copy of the state with `f` applied (a change of view state only).
    /// The save of the state at `revision` reported: it is "Saved" only when
    /// no change came after it (a later change waits for its own save); a
    /// failure is shown at once. A warning (something left undone after the
    /// change was safe) goes to the info line either way.
    fn save_result(&self, revision: u64, result: Result<Option<SaveWarning>, StoreError>) -> Option<AppState> {
        let (status, warning) = match result {
            Ok(w) if revision >= self.revision => (SaveStatus::Saved, w),
            Ok(w) => (self.save.clone(), w),
            Err(e) => (SaveStatus::Failed(e), None),
        };
        if status == self.save && warning.is_none() {
            return None;
        }
        let mut next = self.clone();
        next.save = status;
        if let Some(w) = warning {
            next.info = Some(w.to_string());
        }
        Some(next)
    }

    fn with(&self, f: impl FnOnce(&mut Self)) -> Self {
        let mut next = self.clone();
        f(&mut next);
        next
    }

    /// Applies a model action, recording it in the history under `description`.
    pub(super) fn change(&self, action: Action, description: &str, announce: String) -> Self {
        let mut history = (*self.history).clone();
        let result = apply_recorded_change(&self.model, &mut history, action, description);
        let mut next = self.clone();
        match result {
            // (A one-annotation change is always a change; a merge is compared.)
            Ok((model, changes))
                if Rc::ptr_eq(&model.annotations, &self.model.annotations)
                    || (changes.is_empty() && model.annotations == self.model.annotations) =>
            {
                // Accepted but nothing changed (an import of what is there): nothing to save.
                next.model = model;
                next.notice = None;
                next.info = None;
                next.announce = announce;
            }
            Ok((model, changes)) => {
                // The action's own changes, for the view (imports: none, it compares).
                next.last_change = (!changes.is_empty())
                    .then(|| Rc::new(LastChange { before: self.model.annotations.clone(), after: model.annotations.clone(), changes }));
                next.model = model;
                next.history = Rc::new(history);
                next.notice = None;
                next.info = None;
                next.announce = announce;
                next.revision += 1;
            }
            Err(e) => {
                next.notice = Some(e.to_string());
                next.info = None;
            }
        }
        next
    }

    /// Takes one undo step that linking or comparing asked for; its `info`
    /// is shown once the model accepted it.
    pub(super) fn take(&self, step: UndoStep) -> Self {
        let mut next = self.change(step.action, &step.description, step.announce);
        if next.notice.is_none() && step.info.is_some() {
            next.info = step.info;
        }
        next
    }

    pub(super) fn notice(&self, text: String) -> Self {
        let mut next = self.clone();
        next.notice = Some(text);
        next.info = None;
        next
    }

    /// The model showing `annotations`, keeping the selection if it still exists.
    pub(super) fn model_with(&self, annotations: Vec<Annotation>) -> State {
        let selected = self.model.selected.clone().filter(|id| annotations.iter().any(|a| &a.id == id));
        State { selected, ..State::with_annotations(self.model.doc.clone(), annotations) }
    }

    pub(super) fn select(&self, id: Option<String>, scroll: bool) -> Self {
        let mut next = self.clone();
        match self.model.apply(Action::Select(id.clone())) {
            Ok(model) => {
                next.model = model;
                next.notice = None;
                if let Some(a) = id.as_deref().and_then(|id| next.model.get(id)) {
                    next.announce = format!("Selected {}", describe(a));
                }
                if let (true, Some(id)) = (scroll, id) {
                    let nonce = self.scroll_to.as_ref().map_or(0, |s| s.1) + 1;
                    next.scroll_to = Some((id, nonce));
                }
            }
            Err(e) => next.notice = Some(e.to_string()),
        }
        next
    }

    pub(super) fn step(&self, dir: i32) -> Self {
        let shown = self.filter.apply(&self.model.annotations);
        if shown.is_empty() {
            return self.notice("There are no annotations to move between.".into());
        }
        let pos = self.model.selected.as_deref().and_then(|s| shown.iter().position(|a| a.id == s));
        let i = match (pos, dir >= 0) {
            (None, true) => 0,
            (None, false) => shown.len() - 1,
            (Some(p), true) => (p + 1).min(shown.len() - 1),
            (Some(p), false) => p.saturating_sub(1),
        };
        let id = shown[i].id.clone();
        self.select(Some(id), true)
    }

    pub(super) fn with_history_result(&self, result: Option<(State, String)>, history: History, verb: &str) -> Self {
        match result {
            Some((model, description)) => {
                let mut next = self.clone();
                next.model = model;
                next.history = Rc::new(history);
                next.last_change = None;
                next.notice = None;
                next.info = Some(format!("{verb}: {description}"));
                next.announce = format!("{verb}: {description}");
                next.revision += 1;
                next
            }
            None => {
                // A stale history was cleared: keep that.
                let mut next = self.notice(if verb == "Undone" { "Nothing to undo.".into() } else { "Nothing to redo.".into() });
                next.history = Rc::new(history);
                next
            }
        }
    }

    pub(super) fn external_record(&self, base: &DocRecord, merged: &DocRecord, now: &str) -> Option<Self> {
        // This tab's unsaved edits on top of what is stored now.
        let local = base.after_edit(&self.model.annotations, now);
        let shown = merge::merge(&local, merged);
        let changed_here = !same_content(&shown.annotations, &self.model.annotations);
        // This tab holds something not stored yet: save it.
        let unsaved = !same_content(&shown.annotations, &merged.annotations) || shown.deleted != merged.deleted;
        if !changed_here && !unsaved {
            return None;
        }
        let mut next = self.clone();
        if changed_here {
            next.model = self.model_with(shown.annotations);
            next.last_change = None;
            next.info = Some("Updated with changes made in another tab.".into());
            next.announce = "Updated with changes made in another tab".into();
        }
        if unsaved {
            next.revision += 1;
        }
        Some(next)
    }

    pub(super) fn delete(&self, id: String) -> Self {
        match self.model.get(&id) {
            Some(a) => {
                let what = format!("Delete {} “{}”", a.label, shorten(&a.quote, 40));
                self.change(Action::Delete { id }, &what, format!("Deleted {}", describe(a)))
            }
            None => self.notice(format!("No annotation with id {id}.")),
        }
    }
}

/// "speaker Ali, verdict False" (or "none") for announcements.
fn describe_attributes(speaker: &str, verdict: &str) -> String {
    let parts: Vec<String> =
        [("speaker", speaker), ("verdict", verdict)].into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k} {v}")).collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

/// Whether two annotation lists hold the same annotations, ignoring `modified`.
fn same_content<A: std::borrow::Borrow<Annotation>, B: std::borrow::Borrow<Annotation>>(a: &[A], b: &[B]) -> bool {
    a.len() == b.len() && a.iter().zip(b).map(|(x, y)| (x.borrow(), y.borrow())).all(|(x, y)| x.id == y.id && x.same_content(y))
}
