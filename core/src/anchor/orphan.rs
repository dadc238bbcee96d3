//! Annotations that could not be anchored, kept for a person to re-attach.

use super::candidate::Candidate;
use crate::model::links::Link;
use crate::model::{Annotation, Label, ModelError};
use crate::text::text_index::TextIndex;

/// An annotation that could not be anchored. Kept whole so a person can see
/// it (label, quote, why), delete it or re-attach it to a new selection.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Orphan {
    pub id: String,
    pub label: Label,
    /// The quote from the file (not found in the current text).
    pub quote: String,
    pub note: String,
    pub speaker: String,
    pub verdict: String,
    /// Links that start here (they come back with it when it is re-attached).
    pub links: Vec<Link>,
    pub created: String,
    pub modified: String,
    /// Old position from the file (code points; not valid in the current text).
    pub start_hint: Option<usize>,
    pub end_hint: Option<usize>,
    /// Why it was not anchored, a sentence for people.
    pub reason: String,
}

impl Orphan {
    pub(super) fn new(c: Candidate, reason: String) -> Orphan {
        Orphan {
            id: c.id,
            label: c.label,
            quote: c.quote,
            note: c.note,
            speaker: c.speaker,
            verdict: c.verdict,
            links: c.links,
            created: c.created,
            modified: c.modified,
            start_hint: c.start_hint,
            end_hint: c.end_hint,
            reason,
        }
    }

    /// Re-attaches the orphan to `[start, end)` (code points) of `index`,
    /// keeping its id, label, note and `created`; the quote becomes the text
    /// there and `modified` becomes `now`. Errors when the span is empty,
    /// reversed or outside the text.
    pub fn reattach(&self, index: &TextIndex, start: usize, end: usize, now: &str) -> Result<Annotation, ModelError> {
        let len = index.len_cp();
        if start == end && end <= len {
            return Err(ModelError::EmptySelection);
        }
        let quote = match index.slice_cp(start, end) {
            Some(q) if start < end => q.to_string(),
            _ => return Err(ModelError::OutOfRange { start, end, len }),
        };
        Ok(Annotation {
            id: self.id.clone(),
            start,
            end,
            quote,
            label: self.label,
            note: self.note.clone(),
            speaker: self.speaker.clone(),
            verdict: self.verdict.clone(),
            links: self.links.clone(),
            created: self.created.clone(),
            modified: now.to_string(),
        })
    }
}
