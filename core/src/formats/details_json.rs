//! Document details as files carry them (native files, the library): the keys `source_url`,
//! `publisher`, `published`, `review_url`, checked by the rules of [`crate::model::details`].

use crate::formats::json_fields::{field, opt_str, ImportError};
use crate::model::details::{check_url, DetailsError, DocDetails};
use serde_json::Value;

/// The document details in `obj` (the keys `source_url`, `publisher`,
/// `published`, each missing, null or a string), checked by
/// [`DocDetails::new`]; a refusal is reported at the key it is about.
pub fn read_details(obj: &serde_json::Map<String, Value>, path: &str) -> Result<DocDetails, ImportError> {
    let [url, publisher, published, review] = ["source_url", "publisher", "published", "review_url"].map(|k| opt_str(obj, k, path));
    let (url, publisher, published, review) =
        (url?.unwrap_or(""), publisher?.unwrap_or(""), published?.unwrap_or(""), review?.unwrap_or(""));
    let review_url = check_url(review).map_err(|e| field(format!("{path}.review_url"), e.to_string()))?;
    DocDetails::new(url, publisher, published).map(|d| DocDetails { review_url, ..d }).map_err(|e| {
        let key = match e {
            DetailsError::NotAWebAddress(_) | DetailsError::UrlTooLong(_) => "source_url",
            DetailsError::PublisherTooLong(_) => "publisher",
            DetailsError::NotADate(_) => "published",
        };
        field(format!("{path}.{key}"), e.to_string())
    })
}
