//! Document details (`details`): the checks of the contract, the library
//! JSON, native version 2 files (and version 1 still read), the W3C export.

use annotator_core::formats::native;
use annotator_core::formats::{self, Format};
use annotator_core::model::details::{DetailsError, DocDetails};
use annotator_core::model::Document;
use annotator_core::store::library::{DocMeta, Library};

fn ok(url: &str, publisher: &str, published: &str) -> DocDetails {
    DocDetails::new(url, publisher, published).unwrap()
}

#[test]
fn each_rule_of_the_contract_has_its_refusal() {
    assert_eq!(
        ok(" https://www.dawn.com/news/1 ", "  Dawn \n News ", " 2024-02-29 "),
        DocDetails {
            source_url: "https://www.dawn.com/news/1".into(),
            publisher: "Dawn News".into(),
            published: "2024-02-29".into(),
            review_url: String::new()
        }
    );
    assert!(ok("", "", "").is_empty());
    for bad in ["www.dawn.com", "ftp://x.org/a", "https://", "https:///path", "https://a b.com", "javascript:alert(1)"] {
        assert!(matches!(DocDetails::new(bad, "", ""), Err(DetailsError::NotAWebAddress(_))), "{bad}");
    }
    let long = format!("https://x.org/{}", "a".repeat(2_000));
    assert_eq!(DocDetails::new(&long, "", ""), Err(DetailsError::UrlTooLong(2_014)));
    assert_eq!(DocDetails::new("", &"p".repeat(201), ""), Err(DetailsError::PublisherTooLong(201)));
    for bad in ["2023-02-29", "2024-13-01", "2024-1-01", "01/05/2024", "2024-05-01T00:00", "0999-01-01", "２０２４-05-01"] {
        assert!(matches!(DocDetails::new("", "", bad), Err(DetailsError::NotADate(_))), "{bad}");
    }
    assert_eq!(
        DocDetails::new("", "", "2024-02-30").unwrap_err().to_string(),
        "“2024-02-30” is not a date: write the publication date as YYYY-MM-DD, e.g. 2024-05-01."
    );
}

#[test]
fn the_library_keeps_details_and_reads_libraries_without_them() {
    let mut lib = Library::new();
    let m = DocMeta::new("text", "T", "t", "2024-05-01T10:00:00Z");
    let id = m.id.clone();
    lib.add(m).unwrap();
    let d = ok("https://x.org/a", "Dawn", "2024-05-01");
    let before = lib.set_details(&id, d.clone(), "2024-05-01T11:00:00Z").unwrap();
    assert!(before.is_empty());
    assert_eq!(lib.get(&id).unwrap().modified, "2024-05-01T11:00:00Z");
    let back = Library::from_json(lib.to_json().as_bytes()).unwrap();
    assert_eq!(back.get(&id).unwrap().details, d);
    // A library written before details existed.
    let old = r#"{"format":"text-annotator/library","version":2,"documents":[{"id":"ab","title":"t"}]}"#;
    assert!(Library::from_json(old.as_bytes()).unwrap().docs[0].details.is_empty());
    // A bad date in a stored library is refused where it is.
    let bad = r#"{"format":"text-annotator/library","version":2,"documents":[{"id":"ab","title":"t","published":"soon"}]}"#;
    let e = Library::from_json(bad.as_bytes()).unwrap_err().to_string();
    assert!(e.starts_with("At documents[0].published: “soon” is not a date"), "{e}");
}

#[test]
fn restoring_a_backup_fills_details_only_where_there_are_none() {
    let mut lib = Library::new();
    let mut m = DocMeta::new("text", "T", "t", "2024-05-01T10:00:00Z");
    lib.add(m.clone()).unwrap();
    m.details = ok("", "From the backup", "");
    lib.upsert(m.clone()).unwrap();
    assert_eq!(lib.docs[0].details.publisher, "From the backup");
    m.details = ok("", "Another", "");
    lib.upsert(m).unwrap();
    assert_eq!(lib.docs[0].details.publisher, "From the backup", "a person's details are not overwritten");
}

#[test]
fn native_version_2_carries_details_and_version_1_still_reads() {
    let doc = Document::new("T", "t", "Kabul denied the claim.");
    let d = ok("https://x.org/a", "Dawn", "2024-05-01");
    let file = native::export_detailed(&doc, &d, &[]);
    let v: serde_json::Value = serde_json::from_str(&file).unwrap();
    assert_eq!(v["version"], 2);
    assert_eq!(v["document"]["source_url"], "https://x.org/a");
    assert_eq!(v["document"]["publisher"], "Dawn");
    assert_eq!(v["document"]["published"], "2024-05-01");
    assert_eq!(native::import(file.as_bytes(), &doc).unwrap().details, d);
    // Without details the keys are left out.
    assert!(!native::export(&doc, &[]).contains("source_url"));
    // Version 1 reads (no details); 3 does not.
    let v1 = native::export(&doc, &[]).replace(r#""version": 2"#, r#""version": 1"#);
    assert!(v1.contains(r#""version": 1"#));
    assert!(native::import(v1.as_bytes(), &doc).unwrap().details.is_empty());
    let v3 = native::export(&doc, &[]).replace(r#""version": 2"#, r#""version": 3"#);
    assert_eq!(
        native::import(v3.as_bytes(), &doc).unwrap_err().to_string(),
        "At version: 3 is not supported (this app reads versions 1 and 2)."
    );
    // Bad details: refused with the location, nothing read.
    let bad = file.replace("2024-05-01", "2024-05-32");
    assert!(native::import(bad.as_bytes(), &doc).unwrap_err().to_string().starts_with("At document.published: “2024-05-32” is not a date"));
}

#[test]
fn the_w3c_export_carries_details_as_dublin_core_terms_and_still_imports() {
    let doc = Document::new("T", "t", "Kabul denied the claim.");
    let d = ok("https://x.org/a", "Dawn", "2024-05-01");
    let files = formats::export_detailed(Format::W3c, &doc, &d, "", &[]);
    let v: serde_json::Value = serde_json::from_str(&files[0].contents).unwrap();
    assert_eq!(v["@context"][0], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(v["@context"][1]["dcterms"], "http://purl.org/dc/terms/");
    assert_eq!(v["dcterms:source"], "https://x.org/a");
    assert_eq!(v["dcterms:publisher"], "Dawn");
    assert_eq!(v["dcterms:issued"], "2024-05-01");
    let opts = formats::ImportOptions::default();
    assert!(formats::import("t.w3c.jsonld", files[0].contents.as_bytes(), &doc.index, &opts).is_ok());
}
