//! Imports and "Compare with…" reads, as messages between the app and the
//! module loaded on first use ([`super`]).
//!
//! Contract:
//! 1. The request carries the open document as a native file with its text
//!    (no annotations: an import is re-anchored on the text alone), the
//!    files' names, the time, and the job: an import under a label policy
//!    and a mapping of brat relation types, or a read for comparing. The
//!    files' bytes travel beside it, in the order of the names.
//! 2. The module answers exactly what [`import_files`] (an import) or
//!    [`read_others`] (a comparison) gives for them.
//! 3. A request it cannot read is answered with an error sentence, never a
//!    panic; the app shows it and nothing changes.

use crate::app::compare::{read_others, OthersRead};
use crate::app::import::import_files;
use crate::formats::native;
use crate::formats::{Imported, RelationMap, UnknownLabelPolicy};
use crate::model::details::DocDetails;
use crate::model::Document;
use serde::{Deserialize, Serialize};

/// What is asked of the files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Job {
    Import { policy: UnknownLabelPolicy, relation_map: Option<RelationMap> },
    Compare,
}

/// What the app asks (the files' bytes go beside it).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportRequest {
    pub document: String,
    pub names: Vec<String>,
    pub now: String,
    pub job: Job,
}

impl ImportRequest {
    /// The request to do `job` with files `names` on the text of `doc`.
    pub fn new(doc: &Document, names: Vec<String>, now: &str, job: Job) -> Self {
        ImportRequest { document: native::export_with(doc, &DocDetails::default(), &[], true), names, now: now.to_string(), job }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// What the module answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ImportAnswer {
    Imported(Result<Imported, String>),
    Compared(OthersRead),
    Error(String),
}

impl ImportAnswer {
    /// Reads an answer; one that cannot be read is an [`ImportAnswer::Error`].
    pub fn from_json(json: &str) -> ImportAnswer {
        serde_json::from_str(json).unwrap_or_else(|e| ImportAnswer::Error(format!("the importer's answer could not be read ({e})")))
    }
}

/// The module's side: answers `request` (JSON) about `bytes` (one per name) with an [`ImportAnswer`] (JSON).
pub fn answer_import(request: &str, bytes: Vec<Vec<u8>>) -> String {
    let answer = match serde_json::from_str::<ImportRequest>(request) {
        Err(e) => ImportAnswer::Error(format!("the request could not be read ({e})")),
        Ok(r) if r.names.len() != bytes.len() => {
            ImportAnswer::Error(format!("the request names {} files but {} came with it", r.names.len(), bytes.len()))
        }
        Ok(r) => match super::document_of(&r.document) {
            Err(e) => ImportAnswer::Error(e),
            Ok((doc, _, _)) => {
                let files: Vec<(String, Vec<u8>)> = r.names.into_iter().zip(bytes).collect();
                match r.job {
                    Job::Import { policy, relation_map } => {
                        ImportAnswer::Imported(import_files(&files, &doc, &r.now, policy, relation_map))
                    }
                    Job::Compare => ImportAnswer::Compared(read_others(files, &doc, &r.now)),
                }
            }
        },
    };
    serde_json::to_string(&answer).unwrap_or_default()
}
