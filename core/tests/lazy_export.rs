//! The rare formats' exports as messages (`annotator_core::lazy::export`):
//! what the module loaded on first use answers is byte for byte what the
//! writers give when called directly, for every format and any document.

mod common;

use annotator_core::formats::{self, claimreview, Format};
use annotator_core::lazy::export::{answer_export, ExportAnswer, ExportRequest, File};
use annotator_core::model::details::DocDetails;
use annotator_core::model::links::{Link, LinkKind};
use annotator_core::model::{Annotation, Document, VERDICTS};
use common::{annotations_from_raw, raw_spans, text_strategy};
use proptest::prelude::*;

fn direct(format: Format, doc: &Document, details: &DocDetails, org: &str, anns: &[Annotation]) -> ExportAnswer {
    let gaps = if format == Format::ClaimReview { claimreview::missing(details, org, anns) } else { Vec::new() };
    let files = formats::export_detailed(format, doc, details, org, anns)
        .into_iter()
        .map(|f| File { name: f.file_name, mime: f.mime.to_string(), contents: f.contents })
        .collect();
    ExportAnswer::Files { files, gaps }
}

fn via_message(format: Format, doc: &Document, details: &DocDetails, org: &str, anns: &[Annotation]) -> ExportAnswer {
    let request = ExportRequest::new(format, doc, details, org, anns).to_json();
    ExportAnswer::from_json(&answer_export(&request))
}

/// Annotations with every field the formats carry: notes, speakers, verdicts and links.
fn dressed(text: &str, raw: &[(usize, usize, usize)]) -> Vec<Annotation> {
    let mut anns = annotations_from_raw(text, raw);
    let ids: Vec<String> = anns.iter().map(|a| a.id.clone()).collect();
    for (i, a) in anns.iter_mut().enumerate() {
        a.note = if i % 2 == 0 { format!("note “{i}”, with a comma\nand a line") } else { String::new() };
        a.speaker = if i % 3 == 0 { "Khawaja Asif".into() } else { String::new() };
        a.verdict = VERDICTS[i % VERDICTS.len()].to_string();
        if i > 0 {
            a.links.push(Link { to: ids[i - 1].clone(), kind: LinkKind::ALL[i % LinkKind::ALL.len()] });
        }
    }
    anns
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn every_rare_format_is_answered_as_written_directly(text in text_strategy(30), raw in raw_spans(8)) {
        let mut doc = Document::new("A “title”", "my-article", &text);
        doc.id = "doc-from-the-library".into();
        let details = DocDetails {
            source_url: "https://example.org/a?b=1&c=2".into(),
            publisher: "Dawn".into(),
            published: "2024-03-01".into(),
            review_url: "https://checks.example/1".into(),
        };
        let anns = dressed(&text, &raw);
        for format in Format::ALL {
            prop_assert_eq!(via_message(format, &doc, &details, "Desk", &anns), direct(format, &doc, &details, "Desk", &anns), "{:?}", format);
        }
    }
}

#[test]
fn a_link_to_an_annotation_deleted_elsewhere_is_left_out_as_in_a_direct_export() {
    let text = "He said it. She denied it.";
    let mut anns = annotations_from_raw(text, &[(0, 9, 0), (12, 24, 1)]);
    anns[1].links.push(Link { to: "gone".into(), kind: LinkKind::Denies });
    let doc = Document::new("t", "n", text);
    for format in [Format::W3c, Format::Brat, Format::Html] {
        let answer = via_message(format, &doc, &DocDetails::default(), "", &anns);
        assert_eq!(answer, direct(format, &doc, &DocDetails::default(), "", &anns));
    }
}

#[test]
fn claimreview_gaps_come_with_the_file() {
    let text = "The minister said 40% of the budget went to defence.";
    let anns = annotations_from_raw(text, &[(0, 20, 0)]);
    let doc = Document::new("t", "n", text);
    let ExportAnswer::Files { files, gaps } = via_message(Format::ClaimReview, &doc, &DocDetails::default(), "", &anns) else {
        panic!("an error")
    };
    assert_eq!(files.len(), 1);
    assert!(!gaps.is_empty(), "no verdict and no organisation are gaps");
}

#[test]
fn a_request_that_cannot_be_read_is_an_error_sentence() {
    for (request, says) in [
        ("not json", "could not be read"),
        (r#"{"format":"odt","organisation":"","native":"{}"}"#, "“odt” is not a format"),
        (r#"{"format":"w3c","organisation":"","native":"{}"}"#, "no document"),
        (r#"{"format":"w3c","organisation":"","native":"{\"document\":{}}"}"#, "no text"),
    ] {
        match ExportAnswer::from_json(&answer_export(request)) {
            ExportAnswer::Error(e) => assert!(e.contains(says), "{request}: {e}"),
            other => panic!("{request}: {other:?}"),
        }
    }
    assert!(matches!(ExportAnswer::from_json("{"), ExportAnswer::Error(_)));
}
