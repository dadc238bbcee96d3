//! The schema.org ClaimReview export: Google's required fields, drafts when
//! the Review URL is missing, Claim nodes for unreviewed claims and denials,
//! what is missing said in sentences, and a ClaimReview file refused on import.

use annotator_core::formats::{self, claimreview, Format, ImportOptions};
use annotator_core::model::details::DocDetails;
use annotator_core::model::{Annotation, Document, Label};
use serde_json::Value;

const TEXT: &str = "Kabul denied the claim; Islamabad said 1,463 were injured.";

fn ann(id: &str, s: usize, e: usize, label: Label) -> Annotation {
    Annotation::new(id, s, e, &TEXT.chars().skip(s).take(e - s).collect::<String>(), label, "2024-05-02T10:00:00Z")
}

fn details(review: &str) -> DocDetails {
    DocDetails::new("https://example.org/news/1", "Geo News", "2024-05-01").unwrap().with_review_url(review).unwrap()
}

fn sample() -> Vec<Annotation> {
    let mut c = ann("c", 17, 22, Label::Claim);
    c.verdict = "Mostly false".into();
    c.speaker = "Islamabad".into();
    vec![ann("k", 0, 5, Label::Claim), ann("d", 6, 12, Label::Denial), c, ann("s", 39, 44, Label::Statistic)]
}

#[test]
fn one_review_per_verdict_with_googles_required_fields_and_claims_for_the_rest() {
    let doc = Document::new("Kabul report", "kabul", TEXT);
    let out = claimreview::export(&doc, &details("https://factcheck.example/kabul"), "Desk", &sample());
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["@context"], "https://schema.org");
    let graph = v["@graph"].as_array().unwrap();
    assert_eq!(graph.len(), 3, "one review, two unreviewed claim/denial, no statistic: {out}");
    let r = graph.iter().find(|n| n["@type"] == "ClaimReview").unwrap();
    assert_eq!(r["claimReviewed"], "claim");
    assert_eq!(r["reviewRating"]["alternateName"], "Mostly false");
    assert_eq!(r["url"], "https://factcheck.example/kabul");
    assert_eq!(r["author"]["name"], "Desk");
    assert_eq!(r["datePublished"], "2024-05-02");
    assert_eq!(r["itemReviewed"]["author"], serde_json::json!({"@type": "Person", "name": "Islamabad"}));
    let app = &r["itemReviewed"]["appearance"];
    assert_eq!(
        (app["url"].as_str(), app["publisher"]["name"].as_str(), app["datePublished"].as_str()),
        (Some("https://example.org/news/1"), Some("Geo News"), Some("2024-05-01"))
    );
    assert!(r.get("creativeWorkStatus").is_none());
    assert_eq!(
        graph.iter().filter(|n| n["@type"] == "Claim").map(|n| n["text"].as_str().unwrap()).collect::<Vec<_>>(),
        ["Kabul", "denied"]
    );
    assert!(claimreview::missing(&details("https://factcheck.example/kabul"), "Desk", &sample()).is_empty());
}

#[test]
fn without_a_review_url_the_reviews_are_drafts_and_the_export_says_what_is_missing() {
    let doc = Document::new("Kabul report", "kabul", TEXT);
    let mut anns = sample();
    anns[2].speaker.clear();
    let out = claimreview::export(&doc, &details(""), "", &anns);
    let v: Value = serde_json::from_str(&out).unwrap();
    let r = v["@graph"].as_array().unwrap().iter().find(|n| n["@type"] == "ClaimReview").unwrap().clone();
    assert_eq!(r["creativeWorkStatus"], "Draft");
    assert!(r.get("url").is_none() && r.get("author").is_none());
    let m = claimreview::missing(&details(""), "", &anns).join(" ");
    assert!(
        m.contains("Review URL is not set") && m.contains("the review is marked as drafts")
            || m.contains("the review is marked as a draft"),
        "{m}"
    );
    assert!(m.contains("organisation is not set") && m.contains("1 reviewed claim has no speaker"), "{m}");
    let files = formats::export_detailed(Format::ClaimReview, &doc, &details(""), "", &anns);
    assert_eq!(files[0].file_name, "kabul.claimreview.jsonld");
    assert!(!Format::ClaimReview.importable());
}

#[test]
fn a_claimreview_file_offered_to_import_is_refused_with_a_clear_message() {
    let doc = Document::new("Kabul report", "kabul", TEXT);
    let out = claimreview::export(&doc, &details(""), "", &sample());
    let e = formats::import("kabul.claimreview.jsonld", out.as_bytes(), &doc.index, &ImportOptions::default()).unwrap_err().to_string();
    assert!(e.starts_with("At @context: this is a schema.org file (such as a ClaimReview export)"), "{e}");
}
