//! Document dates in the library and in backups are `""` or RFC 3339
//! date-times: anything else (non-ASCII, malformed) is refused with its
//! location, so the app never has to show a date it cannot read.

use annotator_core::formats::json_fields::ImportError;
use annotator_core::model::doc_id_for;
use annotator_core::store::bundle;
use annotator_core::store::library::{DocMeta, Library};
use serde_json::{json, Value};

const TEXT: &str = "Kabul denied the claim.";
const GOOD: [&str; 5] = ["", "2026-12-04T09:30:00Z", "2026-12-04T09:30:00.123Z", "2026-12-04 09:30:00+05:00", "2024-02-29T23:59:60-01:30"];
const BAD: [&str; 9] = [
    "2026-12-04é",
    "2026-12-04T09:30:00Zé",
    "é026-12-04T09:30:00Z",
    "2026-12-04",
    "yesterday",
    "2026-13-04T09:30:00Z",
    "2025-02-29T09:30:00Z",
    "2026-12-04T09:30:00",
    "２０２６-12-04T09:30:00Z",
];

fn meta_value(key: &str, date: &str) -> Value {
    let mut m = json!({"id": doc_id_for(TEXT), "title": "A title", "modified": "2026-12-04T09:30:00Z", "created": "2026-12-04T09:30:00Z"});
    m[key] = json!(date);
    m
}

fn library(key: &str, date: &str) -> Result<Library, ImportError> {
    let v = json!({"format": "text-annotator/library", "version": 2, "documents": [meta_value(key, date)]});
    Library::from_json(v.to_string().as_bytes())
}

fn backup(key: &str, date: &str) -> Result<Vec<bundle::BundleDoc>, ImportError> {
    let v = json!({"format": bundle::FORMAT, "version": 1, "documents": [
        {"meta": meta_value(key, date), "text": TEXT, "annotations": []}]});
    bundle::import(v.to_string().as_bytes(), &[])
}

#[test]
fn library_dates_must_be_empty_or_rfc3339() {
    for key in ["modified", "created"] {
        for good in GOOD {
            let lib = library(key, good).unwrap_or_else(|e| panic!("{key} = {good:?}: {e}"));
            let d = &lib.docs[0];
            assert_eq!(if key == "modified" { &d.modified } else { &d.created }, good);
        }
        for bad in BAD {
            let e = library(key, bad).expect_err(bad);
            assert_eq!(
                e,
                ImportError::Field {
                    path: format!("documents[0].{key}"),
                    message: format!("“{bad}” is not an RFC 3339 date-time (like 2026-12-04T09:30:00Z)"),
                }
            );
        }
    }
}

#[test]
fn backup_dates_must_be_empty_or_rfc3339() {
    for key in ["modified", "created"] {
        for good in GOOD {
            let docs = backup(key, good).unwrap_or_else(|e| panic!("{key} = {good:?}: {e}"));
            assert_eq!(docs.len(), 1);
        }
        for bad in BAD {
            let e = backup(key, bad).expect_err(bad);
            let ImportError::Field { path, message } = e else { panic!("{bad}: not a field error") };
            assert_eq!(path, format!("documents[0].meta.{key}"));
            assert!(message.contains("is not an RFC 3339 date-time"), "{message}");
        }
    }
}

#[test]
fn a_refused_date_is_shown_shortened_and_a_missing_one_is_empty() {
    let long = format!("{}é", "9".repeat(100));
    let ImportError::Field { message, .. } = library("modified", &long).unwrap_err() else { panic!() };
    assert!(message.starts_with(&format!("“{}…”", "9".repeat(40))), "{message}");
    let v = json!({"id": doc_id_for(TEXT), "title": "A title"});
    let m = DocMeta::from_value(&v, "meta").unwrap();
    assert_eq!((m.modified.as_str(), m.created.as_str()), ("", ""));
    let v = json!({"id": doc_id_for(TEXT), "title": "A title", "modified": 5});
    assert!(matches!(DocMeta::from_value(&v, "meta"), Err(ImportError::Field { path, .. }) if path == "meta.modified"));
}
