//! Imports and "Compare with…" reads as messages (`annotator_core::lazy::import`):
//! what the module loaded on first use answers is what `import_files` and
//! `read_others` give when called directly, for every kind of file the app reads.

mod app_support;

use annotator_core::app::compare::read_others;
use annotator_core::app::import::import_files;
use annotator_core::formats::{brat, native, w3c, Format, UnknownLabelPolicy};
use annotator_core::lazy::import::{answer_import, ImportAnswer, ImportRequest, Job};
use annotator_core::model::links::LinkKind;
use annotator_core::model::{Document, Label};
use app_support::*;

fn via_message(doc: &Document, files: &[(String, Vec<u8>)], job: Job) -> ImportAnswer {
    let request = ImportRequest::new(doc, files.iter().map(|(n, _)| n.clone()).collect(), T2, job).to_json();
    ImportAnswer::from_json(&answer_import(&request, files.iter().map(|(_, b)| b.clone()).collect()))
}

/// Files of every kind: native of this text and of another, W3C, brat with its text and
/// unknown labels and relation types, a damaged file and an empty choice.
fn cases() -> Vec<Vec<(String, Vec<u8>)>> {
    let d = doc();
    let anns = vec![ann("k", "Kabul denied", Label::Denial), ann("c", "the claim", Label::Claim), ann("n", "1,463", Label::Statistic)];
    let other = Document::new("Other", "other", &format!("Preface. {TEXT}"));
    let brat_ann = "T1\tClaim 0 5\tKabul\nT2\tPremise 6 12\tdenied\nR1\tAttacks Arg1:T2 Arg2:T1\n";
    let f = |n: &str, b: Vec<u8>| (n.to_string(), b);
    vec![
        vec![f("same.annotations.json", native::export(&d, &anns).into_bytes())],
        vec![f("other.annotations.json", native::export(&other, &[]).into_bytes())],
        vec![f("w.jsonld", w3c::export(&d, &anns).into_bytes())],
        vec![f("b.ann", brat::export_ann(&anns).into_bytes()), f("b.txt", TEXT.as_bytes().to_vec())],
        vec![f("e.ann", brat_ann.as_bytes().to_vec()), f("e.txt", TEXT.as_bytes().to_vec())],
        vec![f("bad.json", b"{ not json".to_vec())],
        vec![f("lone.txt", TEXT.as_bytes().to_vec())],
        vec![],
    ]
}

#[test]
fn imports_are_answered_as_import_files_gives_them() {
    let d = doc();
    let policies = [UnknownLabelPolicy::Skip, UnknownLabelPolicy::MapTo(Label::Statistic), UnknownLabelPolicy::Error];
    let maps = [None, Some(vec![("Attacks".to_string(), Some(LinkKind::Contradicts))])];
    for files in cases() {
        for policy in &policies {
            for map in &maps {
                let direct = import_files(&files, &d, T2, policy.clone(), map.clone());
                let job = Job::Import { policy: policy.clone(), relation_map: map.clone() };
                let mut answer = via_message(&d, &files, job);
                // The anchoring's per-candidate details stay in the module (only counts travel).
                if let (ImportAnswer::Imported(Ok(got)), Ok(want)) = (&mut answer, &direct) {
                    got.report.results = want.report.results.clone();
                    got.report.work = want.report.work;
                }
                assert_eq!(answer, ImportAnswer::Imported(direct), "{files:?} {policy:?} {map:?}");
            }
        }
    }
}

#[test]
fn compare_reads_are_answered_as_read_others_gives_them() {
    let d = doc();
    for files in cases() {
        let direct = read_others(files.clone(), &d, T2);
        assert_eq!(via_message(&d, &files, Job::Compare), ImportAnswer::Compared(direct), "{files:?}");
    }
    let all: Vec<(String, Vec<u8>)> = cases().into_iter().flatten().collect();
    assert_eq!(via_message(&d, &all, Job::Compare), ImportAnswer::Compared(read_others(all.clone(), &d, T2)));
}

#[test]
fn the_format_and_counts_travel() {
    let d = doc();
    let files = &cases()[2];
    let ImportAnswer::Imported(Ok(got)) = via_message(&d, files, Job::Import { policy: UnknownLabelPolicy::Skip, relation_map: None })
    else {
        panic!("not imported")
    };
    assert_eq!(got.format, Format::W3c);
    assert_eq!(got.report.exact, 3);
    assert_eq!(got.annotations.len(), 3);
}

#[test]
fn a_request_that_cannot_be_read_is_an_error_sentence() {
    let bad = |request: &str, bytes: Vec<Vec<u8>>, says: &str| match ImportAnswer::from_json(&answer_import(request, bytes)) {
        ImportAnswer::Error(e) => assert!(e.contains(says), "{request}: {e}"),
        other => panic!("{request}: {other:?}"),
    };
    bad("not json", vec![], "could not be read");
    let req = ImportRequest::new(&doc(), vec!["a.json".into()], T2, Job::Compare).to_json();
    bad(&req, vec![], "names 1 files but 0 came");
    bad(r#"{"document":"{}","names":[],"now":"","job":"Compare"}"#, vec![], "no document");
    assert!(matches!(ImportAnswer::from_json("[1"), ImportAnswer::Error(_)));
}
