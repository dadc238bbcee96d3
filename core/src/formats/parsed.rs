//! What every parser takes and gives back: the import options, the parsed file before
//! anchoring, the labels and relation types that are not ours; and the checks every parser
//! shares (labels under a policy, ids, notes). A leaf of `formats`: the parsers use it, it uses
//! none of them.

use super::annotation_json::{MAX_ANNOTATION_ID_CP, MAX_NOTE_CP};
use super::json_fields::{field, ImportError};
use crate::anchor::Candidate;
use crate::model::links::LinkKind;
use crate::model::{shorten, Label};

/// What to do with an annotation whose label is not claim, denial or statistic.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum UnknownLabelPolicy {
    /// Refuse the file, naming where the first unknown label is.
    #[default]
    Error,
    /// Leave those annotations out (counted in [`Imported::skipped`](super::Imported::skipped) and listed
    /// in [`Imported::unknown_labels`](super::Imported::unknown_labels)).
    Skip,
    /// Give them this label instead.
    MapTo(Label),
}

/// brat relation types and what each becomes: a link kind, or `None` (left out).
pub type RelationMap = Vec<(String, Option<LinkKind>)>;

/// Choices for an import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    pub unknown_label: UnknownLabelPolicy,
    /// brat relation types other than ours: `None` leaves their relations
    /// out and lists the types in [`Imported::unknown_relations`](super::Imported::unknown_relations) (so the
    /// person can be asked); `Some` maps each listed type (any case) to a
    /// link kind or leaves it out (`None`); a type not listed is left out.
    pub relation_map: Option<RelationMap>,
    /// RFC 3339 time used for `created`/`modified` when the file has none
    /// (brat never has; W3C may not). Empty by default.
    pub now: String,
}

/// A label of the file that is not one of ours.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UnknownLabel {
    /// The label as written in the file.
    pub label: String,
    /// How many annotations carry it.
    pub count: usize,
    /// Where it first occurs (`items[3].body`, `line 7`).
    pub first_path: String,
}

/// A brat relation type of the file that is not one of ours.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UnknownRelation {
    /// The type as written in the file.
    pub name: String,
    /// How many relations have it.
    pub count: usize,
    /// Where it first occurs (`line 7`).
    pub first_path: String,
    /// The link kind its name usually means (`attacks` → contradicts), if any.
    pub suggested: Option<LinkKind>,
}

/// A validated file, before anchoring.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub candidates: Vec<Candidate>,
    /// Labels outside claim/denial/statistic met under `Skip` or `MapTo`.
    pub unknown_labels: Vec<UnknownLabel>,
    /// Annotations left out because of [`UnknownLabelPolicy::Skip`].
    pub skipped: usize,
    /// Things a person should know that did not stop the import.
    pub warnings: Vec<String>,
    /// brat relation types met without a mapping ([`ImportOptions::relation_map`] `None`).
    pub unknown_relations: Vec<UnknownRelation>,
}

/// Resolves labels under a policy, remembering the unknown ones.
pub(crate) struct LabelResolver<'a> {
    policy: &'a UnknownLabelPolicy,
    pub unknown: Vec<UnknownLabel>,
    pub skipped: usize,
}

impl<'a> LabelResolver<'a> {
    pub fn new(policy: &'a UnknownLabelPolicy) -> Self {
        LabelResolver { policy, unknown: Vec::new(), skipped: 0 }
    }

    /// `Ok(Some(label))`, `Ok(None)` to skip, or the error under `Error`.
    /// `raw` is `None` when the annotation has no label at all.
    pub fn resolve(&mut self, raw: Option<&str>, path: &str) -> Result<Option<Label>, ImportError> {
        if let Some(l) = raw.and_then(Label::parse) {
            return Ok(Some(l));
        }
        let shown = raw.map_or_else(|| "(no label)".to_string(), |r| shorten(r, 30));
        match self.policy {
            UnknownLabelPolicy::Error => Err(field(
                path,
                match raw {
                    Some(_) => format!("the label “{shown}” is not one of claim, denial, statistic (skip these annotations or map the label to one of ours)"),
                    None => "has no label (no TextualBody with purpose “tagging”)".to_string(),
                },
            )),
            policy => {
                match self.unknown.iter_mut().find(|u| u.label == shown) {
                    Some(u) => u.count += 1,
                    None => self.unknown.push(UnknownLabel { label: shown, count: 1, first_path: path.to_string() }),
                }
                match policy {
                    UnknownLabelPolicy::MapTo(l) => Ok(Some(*l)),
                    _ => {
                        self.skipped += 1;
                        Ok(None)
                    }
                }
            }
        }
    }
}

/// Checks an id read from a file: 1 to [`MAX_ANNOTATION_ID_CP`] characters, not seen before.
pub(crate) fn check_id(id: &str, path: &str, seen: &mut std::collections::HashSet<String>) -> Result<(), ImportError> {
    if id.is_empty() || id.chars().count() > MAX_ANNOTATION_ID_CP {
        return Err(field(path, format!("must be 1 to {MAX_ANNOTATION_ID_CP} characters")));
    }
    if !seen.insert(id.to_string()) {
        return Err(field(path, format!("“{}” is used twice", shorten(id, 40))));
    }
    Ok(())
}

/// Checks a note's length.
pub(crate) fn check_note(note: &str, path: &str) -> Result<(), ImportError> {
    if note.chars().count() > MAX_NOTE_CP {
        return Err(field(path, format!("is longer than {MAX_NOTE_CP} characters")));
    }
    Ok(())
}
