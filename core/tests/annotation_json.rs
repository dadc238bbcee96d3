//! The one reader and writer of the native annotation object: every reader
//! (native import, lenient import, stored records, bundles) applies the
//! same rules, and what is written reads back unchanged.

use annotator_core::formats::annotation_json::{parse_annotations, strict_label, Annotations, Check};
use annotator_core::formats::json_fields::ImportError;
use annotator_core::formats::native;
use annotator_core::formats::{import_native_lenient, ImportOptions};
use annotator_core::model::{Annotation, Document, Label};
use annotator_core::{store::bundle, store::merge, text::text_index::TextIndex};
use proptest::prelude::*;
use serde_json::{json, Value};

const TEXT: &str = "Kabul denied 📊 the claim; Islamabad said 1,463 e\u{301} were injured.";

fn written(anns: &[Annotation]) -> Value {
    serde_json::from_str(&serde_json::to_string(&Annotations(anns)).unwrap()).unwrap()
}

fn path_of(e: ImportError) -> String {
    match e {
        ImportError::Field { path, .. } => path,
        other => panic!("not a field error: {other:?}"),
    }
}

fn file(annotations: Value) -> Value {
    json!({"format": native::FORMAT, "version": 1, "annotations": annotations})
}

fn one(extra: Value) -> Value {
    let mut a = json!({"id": "a", "start": 0, "end": 5, "quote": "Kabul", "label": "claim"});
    for (k, v) in extra.as_object().unwrap() {
        a[k] = v.clone();
    }
    json!([a])
}

#[test]
fn missing_times_follow_one_rule_in_every_reader() {
    let doc = Document::new("t", "t", TEXT);
    let v = file(one(json!({})));
    let bytes = serde_json::to_vec(&v).unwrap();
    let strict = native::import_value(&v, &doc).unwrap().annotations;
    let record = merge::parse_record(&bytes, None, Some(&doc.index)).unwrap().record.annotations;
    let opts = ImportOptions { now: "2030-01-01T00:00:00Z".into(), ..Default::default() };
    let lenient = import_native_lenient(&bytes, &doc.index, &opts).unwrap().annotations;
    for a in [&strict[0], &record[0], &lenient[0]] {
        assert_eq!((a.created.as_str(), a.modified.as_str()), ("", ""), "missing created is \"\", modified = created");
    }
    let v = file(one(json!({"created": "2024-05-01T10:00:00Z", "modified": null})));
    let a = &native::import_value(&v, &doc).unwrap().annotations[0];
    assert_eq!(a.modified, "2024-05-01T10:00:00Z", "null modified is created");
}

#[test]
fn times_and_notes_of_another_type_are_errors_in_every_reader() {
    let doc = Document::new("t", "t", TEXT);
    for (key, bad) in [("created", json!(5)), ("modified", json!(false)), ("note", json!([]))] {
        let v = file(one(json!({ key: bad })));
        let bytes = serde_json::to_vec(&v).unwrap();
        let want = format!("annotations[0].{key}");
        assert_eq!(path_of(native::import_value(&v, &doc).unwrap_err()), want);
        assert_eq!(path_of(merge::parse_record(&bytes, None, None).unwrap_err()), want);
        assert_eq!(path_of(import_native_lenient(&bytes, &doc.index, &ImportOptions::default()).unwrap_err()), want);
    }
}

#[test]
fn a_repeated_id_names_its_first_use_in_every_reader() {
    let doc = Document::new("t", "t", TEXT);
    let a = json!({"id": "a", "start": 0, "end": 5, "quote": "Kabul", "label": "claim"});
    let v = file(json!([a.clone(), a]));
    let bytes = serde_json::to_vec(&v).unwrap();
    let want = ImportError::Field { path: "annotations[1].id".into(), message: "“a” is also the id of annotations[0]".into() };
    assert_eq!(native::import_value(&v, &doc).unwrap_err(), want);
    assert_eq!(merge::parse_record(&bytes, None, None).unwrap_err(), want);
    assert_eq!(import_native_lenient(&bytes, &doc.index, &ImportOptions::default()).unwrap_err(), want);
}

#[test]
fn the_check_decides_what_the_quote_is_compared_with() {
    let ix = TextIndex::new(TEXT);
    let moved = one(json!({"quote": "denie"})); // right length, wrong text
    let list = Some(&moved);
    assert_eq!(path_of(parse_annotations(list, "x", Check::Text(&ix), strict_label).unwrap_err()), "x[0].quote");
    assert!(parse_annotations(list, "x", Check::Length(None), strict_label).is_ok());
    let short = one(json!({"quote": "Kab"}));
    assert_eq!(path_of(parse_annotations(Some(&short), "x", Check::Length(Some(9)), strict_label).unwrap_err()), "x[0].quote");
    assert!(parse_annotations(Some(&short), "x", Check::Reanchor, strict_label).is_ok());
    let empty = one(json!({"quote": ""}));
    assert_eq!(path_of(parse_annotations(Some(&empty), "x", Check::Reanchor, strict_label).unwrap_err()), "x[0].quote");
    let past = one(json!({"end": 500}));
    assert_eq!(path_of(parse_annotations(Some(&past), "x", Check::Length(Some(9)), strict_label).unwrap_err()), "x[0].end");
}

#[test]
fn the_label_policy_may_skip_an_annotation_whose_id_still_counts() {
    let list = json!([
        {"id": "a", "start": 0, "end": 5, "quote": "Kabul", "label": "person"},
        {"id": "a", "start": 0, "end": 5, "quote": "Kabul", "label": "claim"},
    ]);
    let skip = |raw: &str, _: &str| Ok(Label::parse(raw));
    assert_eq!(path_of(parse_annotations(Some(&list), "x", Check::Reanchor, skip).unwrap_err()), "x[1].id");
    let list = json!([{"id": "a", "start": 0, "end": 5, "quote": "Kabul", "label": "person"}]);
    assert_eq!(parse_annotations(Some(&list), "x", Check::Reanchor, skip).unwrap(), vec![]);
    assert_eq!(path_of(parse_annotations(Some(&list), "x", Check::Reanchor, strict_label).unwrap_err()), "x[0].label");
}

#[test]
fn every_writer_writes_the_same_objects() {
    let doc = Document::new("t", "t", TEXT);
    let anns = vec![Annotation {
        id: "a".into(),
        start: 0,
        end: 5,
        quote: "Kabul".into(),
        label: Label::Denial,
        note: "n".into(),
        speaker: String::new(),
        verdict: String::new(),
        links: Vec::new(),
        created: "2024-05-01T10:00:00Z".into(),
        modified: "2024-05-02T10:00:00Z".into(),
    }];
    let expected = written(&anns);
    let native_file: Value = serde_json::from_str(&native::export(&doc, &anns)).unwrap();
    assert_eq!(native_file["annotations"], expected);
    let meta = annotator_core::store::library::DocMeta::for_document(&doc, &anns, "2024-05-01T10:00:00Z");
    let record = merge::DocRecord::new(anns.clone());
    let stored: Value = serde_json::from_str(&record.to_json(&meta)).unwrap();
    assert_eq!(stored["annotations"], expected);
    let backup: Value = serde_json::from_str(&bundle::export(&[(meta, TEXT, record)])).unwrap();
    assert_eq!(backup["documents"][0]["annotations"], expected);
    assert_eq!(expected[0]["label"], "denial");
}

fn annotation_strategy() -> impl Strategy<Value = Vec<Annotation>> {
    let len = TEXT.chars().count();
    prop::collection::vec((0..len, 1usize..8, 0usize..3, "[a-z0-9é📊 ]{0,6}", "(2024-0[1-9]-1[0-9]T10:00:00Z)?", any::<bool>()), 0..12)
        .prop_map(move |raw| {
            let ix = TextIndex::new(TEXT);
            raw.into_iter()
                .enumerate()
                .map(|(i, (start, n, l, note, created, edited))| {
                    let end = (start + n).min(len).max(start + 1).min(len);
                    let start = start.min(end - 1);
                    Annotation {
                        id: format!("id-{i}"),
                        start,
                        end,
                        quote: ix.slice_cp(start, end).unwrap().to_string(),
                        label: Label::ALL[l],
                        note,
                        speaker: String::new(),
                        verdict: String::new(),
                        links: Vec::new(),
                        modified: if edited { "2025-01-01T00:00:00.5+02:00".into() } else { created.clone() },
                        created,
                    }
                })
                .collect()
        })
}

proptest! {
    #[test]
    fn what_is_written_reads_back_unchanged_under_every_check(anns in annotation_strategy()) {
        let ix = TextIndex::new(TEXT);
        let v = written(&anns);
        for check in [Check::Text(&ix), Check::Length(Some(ix.len_cp())), Check::Length(None), Check::Reanchor] {
            prop_assert_eq!(&parse_annotations(Some(&v), "annotations", check, strict_label).unwrap(), &anns);
        }
    }
}
