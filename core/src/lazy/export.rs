//! Exports of the rare formats, as messages between the app and the module
//! loaded on first use ([`super`]).
//!
//! Contract:
//! 1. The request names the format by its id ([`Format::id`]) and carries
//!    the open document as a native file with its text and details
//!    ([`native::export_detailed`]), and the fact-checking organisation.
//! 2. The module rebuilds the document (same id, name, title, text, details,
//!    annotations) and answers exactly what [`formats::export_detailed`]
//!    gives for it, plus ClaimReview's gaps ([`claimreview::missing`]).
//! 3. A request it cannot read is answered with an error sentence, never a
//!    panic; the app shows it and nothing is downloaded.

use crate::formats::{self, claimreview, native, Format};
use crate::model::details::DocDetails;
use crate::model::{Annotation, Document};
use serde::{Deserialize, Serialize};

/// What the app asks: the files of `format` for `native` (a native file with text).
#[derive(Debug, Serialize, Deserialize)]
pub struct ExportRequest {
    pub format: String,
    pub organisation: String,
    pub native: String,
}

impl ExportRequest {
    /// The request for `format` of the document `doc` with `details` and `annotations`.
    pub fn new(format: Format, doc: &Document, details: &DocDetails, organisation: &str, annotations: &[Annotation]) -> Self {
        ExportRequest {
            format: format.id().to_string(),
            organisation: organisation.to_string(),
            // A link to an annotation deleted in another tab meanwhile is not part of the work.
            native: native::export_detailed(doc, details, &crate::model::link_views::without_dangling(annotations)),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// One file to download.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct File {
    pub name: String,
    pub mime: String,
    pub contents: String,
}

/// What the module answers: the files and what a ClaimReview export lacks, or why it could not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportAnswer {
    Files { files: Vec<File>, gaps: Vec<String> },
    Error(String),
}

impl ExportAnswer {
    /// Reads an answer; one that cannot be read is an [`ExportAnswer::Error`].
    pub fn from_json(json: &str) -> ExportAnswer {
        serde_json::from_str(json).unwrap_or_else(|e| ExportAnswer::Error(format!("the exporter's answer could not be read ({e})")))
    }
}

/// The module's side: answers `request` (JSON) with an [`ExportAnswer`] (JSON).
pub fn answer_export(request: &str) -> String {
    let answer = match export(request) {
        Ok((files, gaps)) => ExportAnswer::Files { files, gaps },
        Err(e) => ExportAnswer::Error(e),
    };
    serde_json::to_string(&answer).unwrap_or_default()
}

fn export(request: &str) -> Result<(Vec<File>, Vec<String>), String> {
    let request: ExportRequest = serde_json::from_str(request).map_err(|e| format!("the request could not be read ({e})"))?;
    let format = Format::from_id(&request.format).ok_or_else(|| format!("“{}” is not a format this app writes", request.format))?;
    let (doc, details, annotations) = super::document_of(&request.native)?;
    let gaps = if format == Format::ClaimReview { claimreview::missing(&details, &request.organisation, &annotations) } else { Vec::new() };
    let files = formats::export_detailed(format, &doc, &details, &request.organisation, &annotations)
        .into_iter()
        .map(|f| File { name: f.file_name, mime: f.mime.to_string(), contents: f.contents })
        .collect();
    Ok((files, gaps))
}
