//! Native JSON: export/import round trip, and every way a bad file is
//! refused, with the right error variant and location.

mod common;

use annotator_core::formats::json_fields::ImportError;
use annotator_core::formats::native::{export, export_with, import, parse_json_bounded, Parsed, FORMAT, MAX_FILE_BYTES, VERSION};
use annotator_core::model::{Annotation, Document, Label};
use common::*;
use proptest::prelude::*;
use serde_json::{json, Value};

const TEXT: &str = "Kabul denied 📊 the claim;\r\nIslamabad said 1,463 👩\u{200d}👩\u{200d}👧 were injured.";

fn doc() -> Document {
    Document::new("A title", "article", TEXT)
}

fn cp_span(text: &str, needle: &str) -> (usize, usize) {
    let b = text.find(needle).expect("needle");
    let s = text[..b].chars().count();
    (s, s + needle.chars().count())
}

fn sample_annotations() -> Vec<Annotation> {
    let (s0, e0) = cp_span(TEXT, "denied 📊 the claim");
    let (s1, e1) = cp_span(TEXT, "1,463 👩\u{200d}👩\u{200d}👧 were injured");
    let mut a = ann(TEXT, "a1", s0, e0, Label::Denial);
    a.note = "says \"no\" — ✍\n".into();
    let b = ann(TEXT, "a2", s1, e1, Label::Statistic);
    vec![a, b]
}

/// A valid file for [`doc`] as a JSON value, to be broken by each test.
fn valid_value() -> Value {
    serde_json::from_str(&export(&doc(), &sample_annotations())).unwrap()
}

fn import_value(v: &Value) -> Result<Parsed, ImportError> {
    import(serde_json::to_string_pretty(v).unwrap().as_bytes(), &doc())
}

/// Breaks a valid file with `f` and returns the path of the field error.
fn field_error_path(f: impl FnOnce(&mut Value)) -> String {
    let mut v = valid_value();
    f(&mut v);
    match import_value(&v) {
        Err(ImportError::Field { path, message }) => {
            assert!(!message.is_empty());
            path
        }
        other => panic!("expected a field error, got {other:?}"),
    }
}

fn assert_syntax(r: Result<Parsed, ImportError>, line: usize, column: usize) -> String {
    match r {
        Err(ImportError::Syntax { line: l, column: c, message }) => {
            assert_eq!((l, c), (line, column), "location of {message:?}");
            message
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

// ---------------------------------------------------------------- round trip

#[test]
fn export_then_import_gives_back_the_same_annotations() {
    let d = doc();
    let anns = sample_annotations();
    let file = export(&d, &anns);
    let parsed = import(file.as_bytes(), &d).unwrap();
    assert_eq!(
        parsed,
        Parsed { doc_id: Some(d.id.clone()), doc_title: Some("A title".into()), details: Default::default(), annotations: anns }
    );
}

#[test]
fn export_writes_format_version_code_point_offsets_and_the_exact_text() {
    let d = doc();
    let v: Value = serde_json::from_str(&export(&d, &sample_annotations())).unwrap();
    assert_eq!(v["format"], FORMAT);
    assert_eq!(v["version"], VERSION);
    assert_eq!(v["document"]["text"], TEXT, "CRLF kept as is");
    assert_eq!(v["document"]["length"], TEXT.chars().count());
    assert_eq!(v["document"]["id"], d.id.as_str());
    assert_eq!(v["document"]["name"], "article");
    let (s, e) = cp_span(TEXT, "1,463 👩\u{200d}👩\u{200d}👧 were injured");
    assert_eq!(v["annotations"][1]["start"], s);
    assert_eq!(v["annotations"][1]["end"], e);
    assert_eq!(v["annotations"][1]["label"], "statistic");
}

#[test]
fn export_without_text_is_compact_and_still_imports() {
    let d = doc();
    let file = export_with(&d, &Default::default(), &sample_annotations(), false);
    assert!(!file.contains('\n'), "compact");
    let v: Value = serde_json::from_str(&file).unwrap();
    assert!(v["document"].get("text").is_none());
    assert_eq!(import(file.as_bytes(), &d).unwrap().annotations, sample_annotations());
}

#[test]
fn corpus_spans_import_against_their_own_text_but_not_against_the_other_line_ending() {
    for (txt, json) in
        [("unicode-mixed.txt", "unicode-mixed.expected.json"), ("unicode-mixed-crlf.txt", "unicode-mixed-crlf.expected.json")]
    {
        let text = corpus_text(txt);
        let d = Document::new(txt, "corpus", &text);
        let anns: Vec<Annotation> = expected_spans(json, txt)
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let a = ann(&text, &format!("s{i}"), s.start, s.end, label_of(i));
                assert_eq!(a.quote, s.quote);
                a
            })
            .collect();
        let file = export(&d, &anns);
        assert_eq!(import(file.as_bytes(), &d).unwrap().annotations, anns, "{txt}");
        // The same file against the other line ending: offsets no longer match the quotes.
        let other = if txt.contains("crlf") { "unicode-mixed.txt" } else { "unicode-mixed-crlf.txt" };
        let od = Document::new(other, "corpus", &corpus_text(other));
        match import(file.as_bytes(), &od) {
            Err(ImportError::Field { path, .. }) => assert_eq!(path, "annotations[0].quote", "{txt} into {other}"),
            r => panic!("{txt} into {other}: {r:?}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn export_import_round_trip_is_identity(
        text in text_strategy(80),
        raw in raw_spans(12),
        notes in prop::collection::vec(any::<String>(), 12),
        title in any::<String>(),
        include_text in any::<bool>(),
    ) {
        let d = Document::new(&title, "name", &text);
        let mut anns = annotations_from_raw(&text, &raw);
        for (a, n) in anns.iter_mut().zip(&notes) {
            a.note = n.clone();
            a.modified = format!("2024-02-0{}T10:00:00Z", n.len() % 9 + 1);
        }
        let file = export_with(&d, &Default::default(), &anns, include_text);
        let parsed = import(file.as_bytes(), &d).unwrap();
        prop_assert_eq!(parsed.doc_id, Some(d.id.clone()));
        prop_assert_eq!(parsed.doc_title, Some(title));
        prop_assert_eq!(parsed.annotations, anns);
        if include_text {
            let v: Value = serde_json::from_str(&file).unwrap();
            prop_assert_eq!(v["document"]["text"].as_str(), Some(text.as_str()));
        }
    }
}

// ---------------------------------------------------------------- syntax and size

#[test]
fn not_json_reports_line_and_column() {
    let bytes = b"{\n  \"format\": ,\n}";
    let msg = assert_syntax(import(bytes, &doc()), 2, 13);
    assert!(!msg.contains(" at line "), "location is not repeated in the message: {msg}");
    let e = import(bytes, &doc()).unwrap_err();
    assert!(e.to_string().contains("line 2, column 13"), "{e}");
    // Truncated file: the error is at its last character.
    assert_syntax(import(b"{\"format\": \"x\"", &doc()), 1, 14);
    // Empty file.
    assert!(matches!(import(b"", &doc()), Err(ImportError::Syntax { line: 1, .. })));
}

#[test]
fn not_utf8_reports_line_and_column_of_the_first_bad_byte() {
    let bytes = b"{\n  \"format\": \"\xff\"}";
    let msg = assert_syntax(import(bytes, &doc()), 2, 14);
    assert!(msg.contains("UTF-8"), "{msg}");
    // UTF-16 with a BOM is not UTF-8 either.
    assert_syntax(import(b"\xff\xfe{\x00}\x00", &doc()), 1, 1);
}

#[test]
fn utf8_bom_is_accepted() {
    let d = doc();
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend_from_slice(export(&d, &sample_annotations()).as_bytes());
    assert_eq!(import(&bytes, &d).unwrap().annotations, sample_annotations());
}

#[test]
fn file_over_20_mb_is_too_large() {
    let bytes = vec![b' '; MAX_FILE_BYTES + 1];
    assert_eq!(MAX_FILE_BYTES, 20 * 1024 * 1024);
    assert_eq!(import(&bytes, &doc()), Err(ImportError::TooLarge { bytes: MAX_FILE_BYTES + 1, max: MAX_FILE_BYTES }));
    let msg = import(&bytes, &doc()).unwrap_err().to_string();
    assert!(msg.contains("20 MB"), "{msg}");
}

#[test]
fn file_of_exactly_20_mb_is_not_too_large() {
    let mut bytes = export(&doc(), &sample_annotations()).into_bytes();
    bytes.resize(MAX_FILE_BYTES, b' ');
    assert_eq!(import(&bytes, &doc()).unwrap().annotations, sample_annotations());
}

#[test]
fn deeply_nested_json_is_a_syntax_error_not_a_stack_overflow() {
    // Run on a 1 MB stack (the default stack of a Rust wasm32 build), so a
    // recursive parser without a depth limit would crash here. serde_json's
    // limit of 128 levels needs about 384 KB in a debug build.
    let handle = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(|| {
            let arrays = "[".repeat(10_000);
            let objects = "{\"a\":".repeat(10_000);
            let inside = format!("{{\"format\":\"{FORMAT}\",\"version\":1,\"annotations\":{}", "[".repeat(10_000));
            [arrays, objects, inside].map(|s| (import(s.as_bytes(), &doc()), parse_json_bounded(s.as_bytes()).is_err()))
        })
        .unwrap();
    for (r, raw_err) in handle.join().expect("no stack overflow") {
        assert!(raw_err);
        match r {
            Err(ImportError::Syntax { line: 1, message, .. }) => assert!(message.contains("nested too deeply"), "{message}"),
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }
}

// ---------------------------------------------------------------- top-level fields

#[test]
fn top_level_that_is_not_an_object_is_refused() {
    for bad in ["[]", "1", "\"text\"", "null"] {
        match import(bad.as_bytes(), &doc()) {
            Err(ImportError::Field { path, .. }) => assert_eq!(path, "the top level"),
            r => panic!("{bad}: {r:?}"),
        }
    }
}

#[test]
fn wrong_or_missing_format_is_refused_at_format() {
    assert_eq!(field_error_path(|v| v["format"] = json!("web-annotation")), "format");
    assert_eq!(field_error_path(|v| v["format"] = json!(1)), "format");
    assert_eq!(field_error_path(|v| drop(v.as_object_mut().unwrap().remove("format"))), "format");
}

#[test]
fn missing_or_wrong_version_is_refused_at_version() {
    assert_eq!(field_error_path(|v| drop(v.as_object_mut().unwrap().remove("version"))), "version");
    assert_eq!(field_error_path(|v| v["version"] = json!(3)), "version");
    assert_eq!(field_error_path(|v| v["version"] = json!(0)), "version");
    assert_eq!(field_error_path(|v| v["version"] = json!("1")), "version");
    assert_eq!(field_error_path(|v| v["version"] = json!(null)), "version");
}

#[test]
fn document_that_is_not_an_object_is_refused_and_a_missing_one_is_fine() {
    assert_eq!(field_error_path(|v| v["document"] = json!("doc")), "document");
    let mut v = valid_value();
    v.as_object_mut().unwrap().remove("document");
    let parsed = import_value(&v).unwrap();
    assert_eq!((parsed.doc_id, parsed.doc_title), (None, None));
    assert_eq!(parsed.annotations, sample_annotations());
}

#[test]
fn annotations_not_an_array_or_missing_is_refused_at_annotations() {
    assert_eq!(field_error_path(|v| v["annotations"] = json!({})), "annotations");
    assert_eq!(field_error_path(|v| v["annotations"] = json!("[]")), "annotations");
    assert_eq!(field_error_path(|v| drop(v.as_object_mut().unwrap().remove("annotations"))), "annotations");
}

#[test]
fn empty_annotation_list_is_valid() {
    let mut v = valid_value();
    v["annotations"] = json!([]);
    assert_eq!(import_value(&v).unwrap().annotations, vec![]);
}

// ---------------------------------------------------------------- annotation fields

#[test]
fn annotation_that_is_not_an_object_is_refused_at_its_index() {
    assert_eq!(field_error_path(|v| v["annotations"][1] = json!([1, 2])), "annotations[1]");
    assert_eq!(field_error_path(|v| v["annotations"][0] = json!(null)), "annotations[0]");
}

#[test]
fn missing_required_field_is_refused_at_its_path() {
    for key in ["id", "start", "end", "quote", "label"] {
        let path = field_error_path(|v| drop(v["annotations"][1].as_object_mut().unwrap().remove(key)));
        assert_eq!(path, format!("annotations[1].{key}"));
    }
}

#[test]
fn wrongly_typed_fields_are_refused_at_their_path() {
    assert_eq!(field_error_path(|v| v["annotations"][0]["id"] = json!(7)), "annotations[0].id");
    assert_eq!(field_error_path(|v| v["annotations"][0]["start"] = json!("3")), "annotations[0].start");
    assert_eq!(field_error_path(|v| v["annotations"][0]["end"] = json!(null)), "annotations[0].end");
    assert_eq!(field_error_path(|v| v["annotations"][0]["quote"] = json!(["x"])), "annotations[0].quote");
    assert_eq!(field_error_path(|v| v["annotations"][0]["label"] = json!(1)), "annotations[0].label");
    assert_eq!(field_error_path(|v| v["annotations"][0]["note"] = json!(1)), "annotations[0].note");
    assert_eq!(field_error_path(|v| v["annotations"][0]["id"] = json!("")), "annotations[0].id");
    assert_eq!(field_error_path(|v| v["annotations"][0]["id"] = json!("x".repeat(201))), "annotations[0].id");
}

#[test]
fn negative_start_is_refused_at_start() {
    let mut v = valid_value();
    v["annotations"][0]["start"] = json!(-1);
    match import_value(&v) {
        Err(ImportError::Field { path, message }) => {
            assert_eq!(path, "annotations[0].start");
            assert!(message.contains("-1"), "{message}");
        }
        r => panic!("{r:?}"),
    }
}

#[test]
fn float_offset_is_refused() {
    assert_eq!(field_error_path(|v| v["annotations"][0]["start"] = json!(2.5)), "annotations[0].start");
    assert_eq!(field_error_path(|v| v["annotations"][1]["end"] = json!(1e2)), "annotations[1].end");
}

#[test]
fn reversed_or_empty_span_is_refused_at_the_annotation() {
    let (s, e) = cp_span(TEXT, "denied 📊 the claim");
    assert_eq!(
        field_error_path(|v| {
            v["annotations"][0]["start"] = json!(e);
            v["annotations"][0]["end"] = json!(s);
        }),
        "annotations[0]"
    );
    assert_eq!(field_error_path(|v| v["annotations"][0]["end"] = json!(s)), "annotations[0]");
}

#[test]
fn end_past_the_text_is_refused_at_end() {
    let len = TEXT.chars().count();
    assert_eq!(field_error_path(|v| v["annotations"][1]["end"] = json!(len + 1)), "annotations[1].end");
    // end == len is fine when the quote matches.
    let mut v = valid_value();
    let start = len - 3;
    v["annotations"][1]["start"] = json!(start);
    v["annotations"][1]["end"] = json!(len);
    v["annotations"][1]["quote"] = json!(naive_slice(TEXT, start, len));
    assert!(import_value(&v).is_ok());
}

#[test]
fn quote_that_does_not_match_the_text_is_refused_at_quote() {
    assert_eq!(field_error_path(|v| v["annotations"][1]["quote"] = json!("something else")), "annotations[1].quote");
    // Off by one code point (as a UTF-16 or byte offset would be).
    assert_eq!(
        field_error_path(|v| {
            let s = v["annotations"][1]["start"].as_u64().unwrap();
            v["annotations"][1]["start"] = json!(s + 1);
        }),
        "annotations[1].quote"
    );
    // Same text after NFC normalisation is still a mismatch: the quote must be exact.
    let text = "Cafe\u{301}";
    let d = Document::new("t", "n", text);
    let mut a = ann(text, "x", 0, 5, Label::Claim);
    a.quote = "Café".into();
    let file = export(&d, &[a]);
    assert!(matches!(import(file.as_bytes(), &d), Err(ImportError::Field { path, .. }) if path == "annotations[0].quote"));
}

#[test]
fn unknown_label_is_refused_at_label_and_known_labels_ignore_case() {
    assert_eq!(field_error_path(|v| v["annotations"][0]["label"] = json!("opinion")), "annotations[0].label");
    let mut v = valid_value();
    v["annotations"][0]["label"] = json!("DENIAL");
    v["annotations"][1]["label"] = json!("Statistic");
    let labels: Vec<Label> = import_value(&v).unwrap().annotations.iter().map(|a| a.label).collect();
    assert_eq!(labels, [Label::Denial, Label::Statistic]);
}

#[test]
fn duplicate_id_is_refused_at_the_second_id() {
    assert_eq!(field_error_path(|v| v["annotations"][1]["id"] = json!("a1")), "annotations[1].id");
}

#[test]
fn first_problem_is_reported_when_there_are_several() {
    let path = field_error_path(|v| {
        v["annotations"][0]["label"] = json!("nope");
        v["annotations"][1]["start"] = json!(-5);
    });
    assert_eq!(path, "annotations[0].label");
}

#[test]
fn optional_fields_default_when_missing_or_null() {
    let mut v = valid_value();
    let a = v["annotations"][0].as_object_mut().unwrap();
    a.remove("created");
    a.remove("modified");
    a.insert("note".into(), Value::Null);
    let b = v["annotations"][1].as_object_mut().unwrap();
    b.remove("modified");
    b.remove("note");
    let parsed = import_value(&v).unwrap();
    let (a, b) = (&parsed.annotations[0], &parsed.annotations[1]);
    assert_eq!((a.note.as_str(), a.created.as_str(), a.modified.as_str()), ("", "", ""));
    assert_eq!(b.note, "");
    assert_eq!(b.modified, b.created, "modified defaults to created");
}

#[test]
fn field_error_message_names_the_path() {
    let mut v = valid_value();
    v["annotations"][1]["quote"] = json!("zzz");
    let e = import_value(&v).unwrap_err();
    assert!(e.to_string().starts_with("At annotations[1].quote:"), "{e}");
}
