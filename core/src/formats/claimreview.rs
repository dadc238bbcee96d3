//! schema.org **ClaimReview** (JSON-LD), export only: what fact-checkers
//! publish and Google Fact Check Explorer indexes.
//!
//! One `ClaimReview` per annotation with a verdict, and a `Claim` for each
//! claim or denial without one:
//!
//! ```json
//! { "@context": "https://schema.org",
//!   "@graph": [
//!     { "@type": "ClaimReview", "url": "<Review URL>", "claimReviewed": "<the quote>",
//!       "datePublished": "2024-05-02",
//!       "author": { "@type": "Organization", "name": "<Fact-checking organisation>" },
//!       "reviewRating": { "@type": "Rating", "alternateName": "Mostly false" },
//!       "itemReviewed": { "@type": "Claim", "author": { "@type": "Person", "name": "<speaker>" },
//!         "appearance": { "@type": "NewsArticle", "url": "<Source URL>", "headline": "<title>",
//!           "publisher": { "@type": "Organization", "name": "<Publisher>" }, "datePublished": "<Published>" } } },
//!     { "@type": "Claim", "text": "<quote>", "author": …, "appearance": … } ] }
//! ```
//! Google requires `claimReviewed`, `reviewRating.alternateName` and `url`.
//! When the Review URL is not set, every review is written with
//! `"creativeWorkStatus": "Draft"` and [`missing`] says so; a missing speaker,
//! organisation or source is reported the same way and the rest is written.

use crate::model::details::DocDetails;
use crate::model::{Annotation, Document, Label};
use serde_json::{json, Value};

/// MIME type of the export.
pub const MIME: &str = "application/ld+json";

fn appearance(doc: &Document, d: &DocDetails) -> Value {
    let mut a = json!({ "@type": "NewsArticle", "headline": doc.title });
    if !d.source_url.is_empty() {
        a["url"] = json!(d.source_url);
    }
    if !d.publisher.is_empty() {
        a["publisher"] = json!({ "@type": "Organization", "name": d.publisher });
    }
    if !d.published.is_empty() {
        a["datePublished"] = json!(d.published);
    }
    a
}

fn claim(a: &Annotation, appearance: &Value) -> Value {
    let mut c = json!({ "@type": "Claim", "appearance": appearance });
    if !a.speaker.is_empty() {
        c["author"] = json!({ "@type": "Person", "name": a.speaker });
    }
    c
}

/// The ClaimReview JSON-LD of `annotations` (see the module documentation).
pub fn export(doc: &Document, details: &DocDetails, organisation: &str, annotations: &[Annotation]) -> String {
    let app = appearance(doc, details);
    let draft = details.review_url.is_empty();
    let mut graph = Vec::new();
    for a in annotations {
        if !a.verdict.is_empty() {
            let mut r = json!({
                "@type": "ClaimReview",
                "claimReviewed": a.quote,
                "reviewRating": { "@type": "Rating", "alternateName": a.verdict },
                "itemReviewed": claim(a, &app),
            });
            if let Some(date) = a.modified.get(..10).filter(|d| d.len() == 10) {
                r["datePublished"] = json!(date);
            }
            if !details.review_url.is_empty() {
                r["url"] = json!(details.review_url);
            }
            if !organisation.is_empty() {
                r["author"] = json!({ "@type": "Organization", "name": organisation });
            }
            if draft {
                r["creativeWorkStatus"] = json!("Draft");
            }
            graph.push(r);
        } else if a.label != Label::Statistic {
            let mut c = claim(a, &app);
            c["text"] = json!(a.quote);
            graph.push(c);
        }
    }
    serde_json::to_string_pretty(&json!({ "@context": "https://schema.org", "@graph": graph })).unwrap_or_default()
}

/// What the export lacks, one sentence each (empty when complete).
pub fn missing(details: &DocDetails, organisation: &str, annotations: &[Annotation]) -> Vec<String> {
    let reviewed = annotations.iter().filter(|a| !a.verdict.is_empty()).count();
    let mut out = Vec::new();
    if reviewed == 0 {
        out.push("No annotation has a verdict yet, so there is no ClaimReview: only the claims are written.".to_string());
        return out;
    }
    if details.review_url.is_empty() {
        let what = if reviewed == 1 {
            "the review is marked as a draft".to_string()
        } else {
            format!("the {reviewed} reviews are marked as drafts")
        };
        out.push(format!("The Review URL is not set (Document details): {what}."));
    }
    if organisation.is_empty() {
        out.push("The fact-checking organisation is not set (Document details): the reviews have no author.".to_string());
    }
    if details.source_url.is_empty() {
        out.push("The Source URL is not set: the claims' appearance has no address.".to_string());
    }
    let no_speaker = annotations.iter().filter(|a| !a.verdict.is_empty() && a.speaker.is_empty()).count();
    if no_speaker > 0 {
        out.push(if no_speaker == 1 {
            "1 reviewed claim has no speaker.".to_string()
        } else {
            format!("{no_speaker} reviewed claims have no speaker.")
        });
    }
    out
}
