//! The reducer's edits that read a selection or files: tagging, imports
//! (with the decision about unknown labels) and re-attaching orphans.

use super::import::{file_names, unknown_labels_message, unknown_relations_message};
use super::selection::SelectionRead;
use super::state::{AppState, PendingImport};
use crate::formats::{Imported, UnknownLabelPolicy};
use crate::model::occurrences::occurrences;
use crate::model::{normalize_selection, shorten};
use crate::text::words::snap_to_words;
use crate::{model::Action, model::Annotation, model::Label};

/// Most annotations one "Tag all occurrences" adds.
pub const MAX_TAG_ALL: usize = 10_000;
use std::rc::Rc;

impl AppState {
    pub(super) fn tag(&self, label: Label, selection: SelectionRead, new_id: String, now: String) -> Self {
        if selection == SelectionRead::Nothing {
            return match self.model.selected.clone() {
                Some(id) => match self.model.get(&id) {
                    Some(a) if a.label == label => self.notice(format!("This annotation is already a {label}.")),
                    Some(a) => {
                        let what = format!("Retag “{}” as {label}", shorten(&a.quote, 40));
                        self.change(Action::Retag { id, label, now }, &what, what.clone())
                    }
                    None => self.notice("The selected annotation no longer exists.".into()),
                },
                None => {
                    self.notice(format!("Nothing to tag as {label}: select text in the article first, or pick an annotation to retag."))
                }
            };
        }
        match self.span_of(&selection) {
            Ok((start, end)) => {
                let quote = self.model.doc.index.slice_cp(start, end).unwrap_or_default();
                let what = format!("Tag “{}” as {label}", shorten(quote, 40));
                self.change(Action::Add { id: new_id, start, end, label, now }, &what, format!("Added {label}: {}", shorten(quote, 80)))
            }
            Err(why) => self.notice(why),
        }
    }

    /// Tags the selection and every other occurrence of its text that does
    /// not carry `label` yet ([`crate::model::occurrences`]), as one undo step.
    pub(super) fn tag_all(&self, label: Label, selection: &SelectionRead, id_prefix: &str, now: String) -> Self {
        let (start, end) = match self.span_of(selection) {
            Ok(span) => span,
            Err(why) => {
                return self.notice(why.replace("Nothing is selected: select text", "Nothing is selected: select the text to find"))
            }
        };
        let index = &self.model.doc.index;
        let quote = index.slice_cp(start, end).unwrap_or_default().to_string();
        let tagged: std::collections::HashSet<(usize, usize)> =
            self.model.annotations.iter().filter(|a| a.label == label).map(|a| (a.start, a.end)).collect();
        let found = occurrences(index, start, end, self.snap_words, MAX_TAG_ALL + tagged.len());
        let fresh: Vec<(usize, usize)> = found.into_iter().filter(|s| !tagged.contains(s)).take(MAX_TAG_ALL).collect();
        let q = shorten(&quote, 40);
        if fresh.is_empty() {
            let mut next = self.clone();
            next.notice = None;
            next.info = Some(format!("Every occurrence of “{q}” is already tagged {label}."));
            next.announce = next.info.clone().unwrap_or_default();
            return next;
        }
        // `{id_prefix}-{k}`, skipping any id in use (a reused prefix must not replace annotations).
        let used: std::collections::HashSet<&str> = self.model.annotations.iter().map(|a| a.id.as_str()).collect();
        let mut ids = (0..).map(|k| format!("{id_prefix}-{k}")).filter(|id| !used.contains(id.as_str()));
        let anns: Vec<Annotation> = fresh
            .iter()
            .zip(&mut ids)
            .map(|(&(s, e), id)| Annotation::new(&id, s, e, index.slice_cp(s, e).unwrap_or_default(), label, &now))
            .collect();
        let n = anns.len();
        let words = if n == 1 { "occurrence" } else { "occurrences" };
        let capped = if n == MAX_TAG_ALL { format!(" (the first {MAX_TAG_ALL}; run it again for more)") } else { String::new() };
        let what = format!("Tag {n} {words} of “{q}” as {label}");
        let mut next = self.change(Action::Merge(anns), &what, format!("Tagged {n} {words} of “{q}” as {label}{capped}"));
        if next.notice.is_none() {
            next.info = Some(format!("Tagged {n} {words} of “{q}” as {label}{capped}."));
        }
        next
    }

    /// Turns a DOM selection into a normalised code point span (snapped to
    /// words when that mode is on), or the sentence saying why not.
    pub(super) fn span_of(&self, selection: &SelectionRead) -> Result<(usize, usize), String> {
        match *selection {
            SelectionRead::Range { start_utf16, end_utf16 } => {
                let index = &self.model.doc.index;
                let (Some(a), Some(b)) = (index.utf16_to_cp_floor(start_utf16 as usize), index.utf16_to_cp_ceil(end_utf16 as usize)) else {
                    return Err("The selection does not match the article text; select it again.".into());
                };
                let (a, b) = if self.snap_words { snap_to_words(index, a.min(b), a.max(b)) } else { (a, b) };
                normalize_selection(index, a, b).map_err(|e| e.to_string())
            }
            SelectionRead::Outside => Err("The selection is outside the article: select text in the article to tag it.".into()),
            SelectionRead::Nothing => Err("Nothing is selected: select text in the article first.".into()),
        }
    }

    /// What to do with files after their first pass ([`first_pass`]):
    /// import them, or ask about labels or relation types we do not have.
    pub(super) fn files_parsed(&self, files: Vec<(String, Vec<u8>)>, parsed: Result<Imported, String>) -> Self {
        let names = file_names(&files);
        match parsed {
            Err(e) => self.notice(format!("Could not import {e} Nothing was changed.")),
            Ok(imported) if imported.unknown_labels.is_empty() => {
                self.then_relations(imported, Rc::new(files), names, UnknownLabelPolicy::Skip)
            }
            Ok(imported) => {
                let message = unknown_labels_message(&names, &imported);
                let mut next = self.clone();
                next.pending_labels = Some(PendingImport {
                    files: Rc::new(files),
                    names,
                    message,
                    label_policy: UnknownLabelPolicy::Skip,
                    relations: Vec::new(),
                });
                next.notice = None;
                next
            }
        }
    }

    /// After the labels are settled: asks about brat relation types we do
    /// not have, if the file has any; otherwise imports.
    fn then_relations(
        &self,
        imported: Imported,
        files: Rc<Vec<(String, Vec<u8>)>>,
        names: String,
        label_policy: UnknownLabelPolicy,
    ) -> Self {
        if imported.unknown_relations.is_empty() {
            let mut next = self.import(imported, &names);
            next.pending_labels = None;
            return next;
        }
        let message = unknown_relations_message(&names, &imported);
        let mut next = self.clone();
        next.pending_labels = Some(PendingImport { files, names, message, label_policy, relations: imported.unknown_relations });
        next.notice = None;
        next
    }

    /// "Cancel import" at either question.
    pub(super) fn cancel_import(&self) -> Option<Self> {
        self.pending_labels.as_ref()?;
        let mut next = self.clone();
        next.info = Some("Import cancelled; nothing was changed.".into());
        next.notice = None;
        next.pending_labels = None;
        Some(next)
    }

    /// The held files imported under the chosen mapping of relation types.
    pub(super) fn resolve_relations(&self, imported: Result<Imported, String>) -> Option<Self> {
        let pending = self.pending_labels.as_ref()?;
        let mut next = match imported {
            Ok(imported) => self.import(imported, &pending.names),
            Err(e) => self.notice(format!("Could not import {e} Nothing was changed.")),
        };
        next.pending_labels = None;
        Some(next)
    }

    /// The held files imported under the chosen label `policy`: then the
    /// question about relation types, if the files have any.
    pub(super) fn resolve_labels(&self, policy: UnknownLabelPolicy, imported: Result<Imported, String>) -> Option<Self> {
        let pending = self.pending_labels.as_ref()?;
        match imported {
            Ok(imported) => Some(self.then_relations(imported, pending.files.clone(), pending.names.clone(), policy)),
            Err(e) => {
                let mut next = self.notice(format!("Could not import {e} Nothing was changed."));
                next.pending_labels = None;
                Some(next)
            }
        }
    }

    pub(super) fn import(&self, imported: Imported, file_name: &str) -> Self {
        let description = format!("Import {file_name}");
        let summary = format!("Imported {file_name}: {}.", imported.summary());
        let mut next = self.change(Action::Merge(imported.annotations), &description, summary.clone());
        next.pending_labels = None;
        if next.notice.is_none() {
            if !imported.orphans.is_empty() {
                let mut orphans = (*self.orphans).clone();
                for o in imported.orphans {
                    orphans.retain(|x| x.id != o.id);
                    orphans.push(o);
                }
                next.orphans = Rc::new(orphans);
                if next.revision == self.revision {
                    next.revision += 1; // only orphans: they must be saved too
                }
            }
            let mut text = summary;
            for w in imported.warnings.iter().take(5) {
                text.push(' ');
                text.push_str(w);
            }
            next.info = Some(text);
        }
        next
    }

    pub(super) fn reattach(&self, orphan_id: String, selection: SelectionRead, now: String) -> Self {
        let Some(orphan) = self.orphans.iter().find(|o| o.id == orphan_id).cloned() else {
            return self.notice("That orphan no longer exists.".into());
        };
        match self.span_of(&selection) {
            Err(why) => self.notice(format!("To re-attach, first select the text it belongs to. {why}")),
            Ok((start, end)) => match orphan.reattach(&self.model.doc.index, start, end, &now) {
                Err(e) => self.notice(e.to_string()),
                Ok(ann) => {
                    let what = format!("Re-attach “{}”", shorten(&orphan.quote, 40));
                    let mut next = self.change(Action::Merge(vec![ann]), &what, what.clone());
                    if next.notice.is_none() {
                        next.model.selected = Some(orphan_id);
                    }
                    next
                }
            },
        }
    }
}
