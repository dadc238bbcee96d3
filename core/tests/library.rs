//! The document library, the storage schema and its migration from v1
//! (with a fixture of what the v1 app really wrote), and the whole-library
//! bundle ("Export all").

mod common;

use annotator_core::formats::json_fields::ImportError;
use annotator_core::formats::native;
use annotator_core::model::{doc_id_for, Annotation, Document, Label};
use annotator_core::store::boot::migrate_v1;
use annotator_core::store::bundle::{self, BundleDoc, MAX_BUNDLE_BYTES};
use annotator_core::store::keys::{
    backup_key, classify_key, doc_key, text_fits_local_storage, text_key, StorageKey, LIBRARY_KEY, MAX_LOCAL_TEXT_UTF16,
};
use annotator_core::store::library::{valid_doc_id, DocMeta, Library, LibraryError, SCHEMA_VERSION};
use annotator_core::store::merge::{self, parse_record, DocRecord};
use annotator_core::text::titles::{sanitize_name, sanitize_title, MAX_TITLE_CP};
use common::ann;
use serde_json::{json, Value};

const SEED_TEXT: &str = include_str!("../../assets/seed-article.txt");
const SEED_TITLE: &str = "Pakistan's defence minister on the Afghan Taliban (sample article)";
const V1_FIXTURE: &str = include_str!("fixtures/v1-storage.json");
const NOW: &str = "2024-06-01T12:00:00.000Z";

fn seed_id() -> String {
    doc_id_for(SEED_TEXT)
}

fn fixture() -> Vec<(String, String)> {
    let v: serde_json::Map<String, Value> = serde_json::from_str(V1_FIXTURE).expect("fixture is a JSON object");
    v.into_iter().map(|(k, v)| (k, v.as_str().expect("values are strings").to_string())).collect()
}

// ------------------------------------------------------------------- keys

#[test]
fn storage_keys_are_versioned_and_named_by_document_id() {
    assert_eq!(SCHEMA_VERSION, 2);
    assert_eq!(LIBRARY_KEY, "text-annotator.v2.library");
    assert_eq!(doc_key("c90aa44ebd515744"), "text-annotator.v2.doc.c90aa44ebd515744");
    assert_eq!(text_key("c90aa44ebd515744"), "text-annotator.v2.text.c90aa44ebd515744");
    let b = backup_key("text-annotator.v2.doc.c90aa44ebd515744", 1717243200000);
    assert_eq!(b, "text-annotator.backup.1717243200000.text-annotator.v2.doc.c90aa44ebd515744");
    assert_eq!(classify_key(&b), StorageKey::Backup, "a backup is never read back as data");
}

#[test]
fn keys_are_classified_and_v1_backups_are_not_records() {
    let id = seed_id();
    assert_eq!(classify_key(LIBRARY_KEY), StorageKey::Library);
    assert_eq!(classify_key(&doc_key(&id)), StorageKey::Doc(id.clone()));
    assert_eq!(classify_key(&text_key(&id)), StorageKey::Text(id.clone()));
    assert_eq!(classify_key(&annotator_core::store::keys::delta_key(&id)), StorageKey::Delta(id.clone()));
    assert_eq!(classify_key(&format!("text-annotator.v1.doc.{id}")), StorageKey::V1Doc(id.clone()));
    assert_eq!(classify_key(&format!("text-annotator.v1.doc.{id}.backup-1714554000000")), StorageKey::Other);
    assert_eq!(classify_key("text-annotator.v2.doc."), StorageKey::Other);
    assert_eq!(classify_key("someone-else"), StorageKey::Other);
    assert!(valid_doc_id(&id) && !valid_doc_id("") && !valid_doc_id("a.b") && !valid_doc_id(&"a".repeat(65)));
}

#[test]
fn only_small_texts_are_meant_for_local_storage() {
    assert!(text_fits_local_storage(SEED_TEXT));
    assert!(text_fits_local_storage(&"x".repeat(MAX_LOCAL_TEXT_UTF16)));
    assert!(!text_fits_local_storage(&"x".repeat(MAX_LOCAL_TEXT_UTF16 + 1)));
    // Counted in UTF-16 code units, as browsers do: an emoji counts two.
    assert!(!text_fits_local_storage(&"📊".repeat(MAX_LOCAL_TEXT_UTF16 / 2 + 1)));
}

// ----------------------------------------------------------- titles and names

#[test]
fn a_title_with_html_is_kept_as_literal_text() {
    let t = "<img src=x onerror=alert(1)> & <b>\"Breaking\"</b>";
    assert_eq!(sanitize_title(t), t);
    let mut lib = Library::new();
    lib.add(DocMeta::new("text", t, "", NOW)).unwrap();
    assert_eq!(lib.docs[0].title, t);
    let back = Library::from_json(lib.to_json().as_bytes()).unwrap();
    assert_eq!(back.docs[0].title, t);
}

#[test]
fn titles_are_trimmed_controls_collapse_and_length_is_bounded() {
    assert_eq!(sanitize_title("  A\tB\r\n\u{0}C\u{1b}\u{85}  D  "), "A B C D");
    assert_eq!(sanitize_title("\u{feff}x\u{202e}y\u{2066}z"), "x y z");
    assert_eq!(sanitize_title("پاکستان  中文 👩\u{200d}👩\u{200d}👧"), "پاکستان 中文 👩\u{200d}👩\u{200d}👧");
    assert_eq!(sanitize_title(" \u{7}\n "), "");
    let long = sanitize_title(&"word ".repeat(100));
    assert!(long.chars().count() <= MAX_TITLE_CP && long.ends_with('…'));
}

#[test]
fn names_for_downloads_are_safe_file_stems() {
    assert_eq!(sanitize_name("seed-article"), "seed-article");
    assert_eq!(sanitize_name("My report: <final>/v2?"), "My-report-final-v2");
    assert_eq!(sanitize_name("../../etc/passwd"), "etc-passwd");
    assert_eq!(sanitize_name("پاکستان رپورٹ"), "پاکستان-رپورٹ");
    assert_eq!(sanitize_name("***"), "document");
}

// ---------------------------------------------------------------- the library

fn meta(text: &str, title: &str) -> DocMeta {
    DocMeta::new(text, title, "", NOW)
}

#[test]
fn adding_the_same_text_twice_does_not_duplicate_it() {
    let mut lib = Library::new();
    assert_eq!(lib.add(meta("one", "First")), Ok(true));
    assert_eq!(lib.add(meta("one", "Same text, other title")), Ok(false));
    assert_eq!(lib.docs.len(), 1);
    assert_eq!(lib.docs[0].title, "First");
    let mut bad = meta("two", "x");
    bad.id = "not/an id".into();
    assert_eq!(lib.add(bad), Err(LibraryError::InvalidId("not/an id".into())));
}

#[test]
fn a_new_document_gets_its_id_length_name_and_dates() {
    let m = DocMeta::new("Cafe\u{301} 📊", "  Café report ", "", NOW);
    assert_eq!(m.id, doc_id_for("Cafe\u{301} 📊"));
    assert_eq!(m.len_cp, 7);
    assert_eq!((m.title.as_str(), m.name.as_str()), ("Café report", "Café-report"));
    assert_eq!((m.created.as_str(), m.modified.as_str(), m.counts, m.seed), (NOW, NOW, [0, 0, 0], false));
    assert_eq!(DocMeta::new("x", " \n", "", NOW).title, "Untitled");
}

#[test]
fn rename_sanitises_and_refuses_an_empty_title() {
    let mut lib = Library::new();
    let id = meta("one", "First").id;
    lib.add(meta("one", "First")).unwrap();
    lib.rename(&id, " <i>New</i>\n title ", "2024-06-02T00:00:00Z").unwrap();
    assert_eq!(lib.docs[0].title, "<i>New</i> title");
    assert_eq!(lib.docs[0].modified, "2024-06-02T00:00:00Z");
    assert_eq!(lib.rename(&id, " \t", NOW), Err(LibraryError::EmptyTitle));
    assert_eq!(lib.docs[0].title, "<i>New</i> title");
    assert!(matches!(lib.rename("ffff", "x", NOW), Err(LibraryError::UnknownId(_))));
}

#[test]
fn remove_then_restore_puts_the_document_back_where_it_was() {
    let mut lib = Library::new();
    for t in ["a", "b", "c"] {
        lib.add(meta(t, t)).unwrap();
    }
    let before = lib.clone();
    let removed = lib.remove(&meta("b", "b").id).unwrap();
    assert_eq!(removed.index, 1);
    assert_eq!(lib.docs.len(), 2);
    assert!(lib.restore(removed.clone()));
    assert_eq!(lib, before);
    assert!(!lib.restore(removed), "restoring twice changes nothing");
    assert_eq!(lib, before);
}

#[test]
fn the_sample_article_can_be_deleted_and_restored() {
    let mut lib = Library::new();
    let seed = DocMeta::new(SEED_TEXT, SEED_TITLE, "seed-article", NOW);
    assert!(lib.ensure_seed(seed.clone()));
    assert!(lib.docs[0].seed);
    assert!(!lib.ensure_seed(seed.clone()));
    lib.add(meta("mine", "Mine")).unwrap();
    lib.remove(&seed.id).unwrap();
    assert!(lib.ensure_seed(seed.clone()));
    assert_eq!(lib.docs[0].id, seed.id);
    assert_eq!(lib.docs.len(), 2);
}

#[test]
fn touch_and_upsert_keep_statistics_current() {
    let mut lib = Library::new();
    let m = meta("one", "First");
    lib.add(m.clone()).unwrap();
    lib.touch(&m.id, [2, 0, 1], "2024-07-01T00:00:00Z").unwrap();
    assert_eq!((lib.docs[0].counts, lib.docs[0].modified.as_str()), ([2, 0, 1], "2024-07-01T00:00:00Z"));
    let mut newer = m.clone();
    newer.title = "Bundle title".into();
    newer.counts = [3, 3, 3];
    newer.modified = "2024-06-15T00:00:00Z".into(); // older than ours
    newer.created = "2020-01-01T00:00:00Z".into();
    lib.upsert(newer).unwrap();
    let d = &lib.docs[0];
    assert_eq!((d.title.as_str(), d.counts, d.modified.as_str()), ("First", [3, 3, 3], "2024-07-01T00:00:00Z"));
    assert_eq!(d.created, "2020-01-01T00:00:00Z");
    lib.upsert(meta("two", "Second")).unwrap();
    assert_eq!(lib.docs.len(), 2);
}

#[test]
fn the_library_json_round_trips() {
    let mut lib = Library::new();
    lib.ensure_seed(DocMeta::new(SEED_TEXT, SEED_TITLE, "seed-article", NOW));
    let mut m = meta("Kabul denied 📊", "<Report> & notes");
    m.counts = [1, 2, 3];
    lib.add(m).unwrap();
    let json = lib.to_json();
    assert_eq!(Library::from_json(json.as_bytes()).unwrap(), lib);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["version"], 2);
    assert_eq!(v["documents"][1]["counts"], json!({"claim": 1, "denial": 2, "statistic": 3}));
}

fn library_error(v: Value) -> String {
    match Library::from_json(v.to_string().as_bytes()) {
        Err(ImportError::Field { path, .. }) => path,
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn a_bad_library_is_refused_with_the_path_of_the_problem() {
    let ok = json!({"id": "0123456789abcdef", "title": "t"});
    let lib = |docs: Value| json!({"format": "text-annotator/library", "version": 2, "documents": docs});
    assert!(Library::from_json(lib(json!([ok])).to_string().as_bytes()).is_ok());
    assert_eq!(library_error(lib(json!([ok, ok]))), "documents[1].id");
    assert_eq!(library_error(lib(json!([{"id": "bad id!", "title": "t"}]))), "documents[0].id");
    assert_eq!(library_error(lib(json!([{"id": "ab"}]))), "documents[0].title");
    assert_eq!(library_error(lib(json!([{"id": "ab", "title": "t", "length": -1}]))), "documents[0].length");
    assert_eq!(library_error(lib(json!([{"id": "ab", "title": "t", "counts": {"claim": "2"}}]))), "documents[0].counts.claim");
    assert_eq!(library_error(lib(json!([{"id": "ab", "title": "t", "seed": "yes"}]))), "documents[0].seed");
    assert_eq!(library_error(json!({"format": "text-annotator/library", "version": 3, "documents": []})), "version");
    assert_eq!(library_error(json!({"format": "x", "version": 2, "documents": []})), "format");
}

// ------------------------------------------------------------------ migration

#[test]
fn the_fixture_is_what_the_v1_app_wrote_for_the_sample_article() {
    let kv = fixture();
    let key = format!("text-annotator.v1.doc.{}", seed_id());
    let (_, raw) = kv.iter().find(|(k, _)| *k == key).expect("the sample article's v1 record");
    let doc = Document::new(SEED_TITLE, "seed-article", SEED_TEXT);
    let parsed = native::import(raw.as_bytes(), &doc).expect("a valid v1 native file");
    assert_eq!(parsed.annotations.len(), 4);
    // Migration v1 → v2: the same bytes but the version (v2 only adds keys that are left out when empty).
    let v2 = native::export_with(&doc, &Default::default(), &parsed.annotations, false);
    assert!(raw.contains(r#""version":1"#));
    assert_eq!(v2, raw.replace(r#""version":1"#, r#""version":2"#), "what v1 wrote, now as version 2");
    assert_eq!(native::import(v2.as_bytes(), &doc).unwrap().annotations, parsed.annotations);
}

#[test]
fn v1_storage_migrates_to_a_library_and_v2_records() {
    let kv = fixture();
    let id = seed_id();
    let v1_key = format!("text-annotator.v1.doc.{id}");
    let doc = Document::new(SEED_TITLE, "seed-article", SEED_TEXT);
    let v1_anns = native::import(kv.iter().find(|(k, _)| *k == v1_key).unwrap().1.as_bytes(), &doc).unwrap().annotations;

    let mig = migrate_v1(&kv);
    assert!(mig.unreadable.is_empty(), "{:?}", mig.unreadable);
    assert_eq!(mig.migrated_keys, vec![v1_key]);
    // The v1 app's own backup key is not a record: left alone, not reported.
    assert!(!mig.migrated_keys.iter().any(|k| k.contains("backup")));

    // The library: one document, described from the v1 file.
    assert_eq!(mig.library.version, 2);
    assert_eq!(mig.library.docs.len(), 1);
    let m = &mig.library.docs[0];
    assert_eq!((m.id.as_str(), m.title.as_str(), m.name.as_str()), (id.as_str(), SEED_TITLE, "seed-article"));
    assert_eq!(m.len_cp, SEED_TEXT.chars().count());
    assert_eq!(m.counts, [1, 1, 2]);
    assert_eq!(m.created, "2024-05-01T09:12:44.123Z");
    assert_eq!(m.modified, "2024-05-02T17:40:21.333Z");

    // Writes: the document record, then the library last.
    let keys: Vec<&str> = mig.writes.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, [doc_key(&id).as_str(), LIBRARY_KEY]);
    let stored = parse_record(mig.writes[0].1.as_bytes(), Some(&id), Some(&doc.index)).unwrap();
    assert_eq!(stored.record.annotations, v1_anns);
    assert!(stored.record.deleted.is_empty());
    assert_eq!(stored.record.rev, 1);
    // A v2 record is still a native file the v1 importer reads.
    assert_eq!(native::import(mig.writes[0].1.as_bytes(), &doc).unwrap().annotations, v1_anns);
    assert_eq!(Library::from_json(mig.writes[1].1.as_bytes()).unwrap(), mig.library);

    // The app then marks the sample article.
    let mut lib = mig.library.clone();
    assert!(!lib.ensure_seed(DocMeta::new(SEED_TEXT, SEED_TITLE, "seed-article", NOW)));
    assert!(lib.docs[0].seed && lib.docs[0].counts == [1, 1, 2]);
}

#[test]
fn migration_is_repeatable_and_ignores_keys_that_are_not_v1_records() {
    let mut kv = fixture();
    let first = migrate_v1(&kv);
    kv.push(("unrelated".into(), "{not json".into()));
    kv.push((LIBRARY_KEY.into(), "whatever".into()));
    kv.reverse();
    assert_eq!(migrate_v1(&kv), first);
}

#[test]
fn an_unreadable_v1_record_is_kept_with_its_reason_and_the_rest_still_migrates() {
    let mut kv = fixture();
    let corrupt_key = "text-annotator.v1.doc.0123456789abcdef".to_string();
    let corrupt_raw = "{\"format\":\"text-annotator/annotations\",\"version\":1,\"annotations\":[{\"id\":\"a1\"".to_string();
    let wrong_key = "text-annotator.v1.doc.00000000000000aa".to_string();
    // A valid file, but for another document than its key says.
    let wrong_raw = kv[0].1.clone();
    let short_key = "text-annotator.v1.doc.00000000000000bb".to_string();
    let short_raw = json!({"format": "text-annotator/annotations", "version": 1, "document": {"length": 3},
        "annotations": [{"id": "a", "start": 0, "end": 5, "quote": "abcde", "label": "claim"}]})
    .to_string();
    kv.push((corrupt_key.clone(), corrupt_raw.clone()));
    kv.push((wrong_key.clone(), wrong_raw.clone()));
    kv.push((short_key.clone(), short_raw.clone()));

    let mig = migrate_v1(&kv);
    assert_eq!(mig.library.docs.len(), 1);
    assert_eq!(mig.migrated_keys.len(), 1);
    assert_eq!(mig.unreadable.len(), 3);
    let find = |k: &str| mig.unreadable.iter().find(|(key, _, _)| key == k).expect(k);
    let (_, raw, reason) = find(&corrupt_key);
    assert_eq!(raw, &corrupt_raw, "kept byte for byte");
    assert!(reason.contains("line 1"), "{reason}");
    let (_, raw, reason) = find(&wrong_key);
    assert_eq!(raw, &wrong_raw);
    assert!(reason.contains("document.id"), "{reason}");
    let (_, raw, reason) = find(&short_key);
    assert_eq!(raw, &short_raw);
    assert!(reason.contains("annotations[0].end"), "{reason}");
    // Nothing is written for them.
    assert!(!mig.writes.iter().any(|(k, _)| k.ends_with("0123456789abcdef") || k.ends_with("aa") || k.ends_with("bb")));
    // The app keeps each under a backup key that is never read as data.
    assert_eq!(classify_key(&backup_key(&corrupt_key, 1)), StorageKey::Backup);
}

// --------------------------------------------------------------------- bundle

const OTHER_TEXT: &str = "Kabul denied 📊 the claim;\r\nIslamabad said 1,463 👩\u{200d}👩\u{200d}👧 were injured.";

fn span(text: &str, needle: &str) -> (usize, usize) {
    let b = text.find(needle).expect(needle);
    let s = text[..b].chars().count();
    (s, s + needle.chars().count())
}

fn with_times(mut a: Annotation, t: &str) -> Annotation {
    a.created = t.into();
    a.modified = t.into();
    a
}

fn library_docs() -> Vec<(DocMeta, &'static str, DocRecord)> {
    let (s, e) = span(SEED_TEXT, "a claim denied by Kabul");
    let seed_rec = DocRecord::new(vec![with_times(ann(SEED_TEXT, "s1", s, e, Label::Denial), NOW)]).with_rev(4);
    let mut seed_meta = DocMeta::new(SEED_TEXT, SEED_TITLE, "seed-article", NOW);
    seed_meta.seed = true;
    seed_meta.counts = [0, 1, 0];
    let (s, e) = span(OTHER_TEXT, "1,463 👩\u{200d}👩\u{200d}👧");
    let mut a = with_times(ann(OTHER_TEXT, "o1", s, e, Label::Statistic), NOW);
    a.note = "<b>not</b> \"html\"".into();
    let mut other_rec = DocRecord::new(vec![a]);
    other_rec.deleted.insert("o0".into(), "2024-05-30T00:00:00Z".into());
    let mut other_meta = DocMeta::new(OTHER_TEXT, "<script>x</script> report", "report", NOW);
    other_meta.counts = [0, 0, 1];
    vec![(seed_meta, SEED_TEXT, seed_rec), (other_meta, OTHER_TEXT, other_rec)]
}

#[test]
fn a_bundle_round_trips_every_document_text_and_annotation() {
    let docs = library_docs();
    let json = bundle::export(&docs);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!((v["format"].as_str(), v["version"].as_u64()), (Some("text-annotator/bundle"), Some(1)));
    let back = bundle::import(json.as_bytes(), &[seed_id()]).unwrap();
    assert_eq!(back.len(), 2);
    for (b, (meta, text, rec)) in back.iter().zip(&docs) {
        assert_eq!(&b.meta, meta);
        assert_eq!(b.text, *text, "text kept exactly (CRLF, ZWJ)");
        assert_eq!(b.record.annotations, rec.annotations);
        assert_eq!(b.record.deleted, rec.deleted);
        assert_eq!(b.record.rev, 0);
    }
    assert!(back[0].exists && !back[1].exists);
}

#[test]
fn importing_a_bundle_merges_by_document_id_without_duplicating() {
    let docs = library_docs();
    let json = bundle::export(&docs);
    let incoming = bundle::import(json.as_bytes(), &[seed_id()]).unwrap();
    // Meanwhile the library's copy of the sample article got another annotation.
    let (s, e) = span(SEED_TEXT, "1,524 violence-related fatalities");
    let extra = with_times(ann(SEED_TEXT, "s2", s, e, Label::Statistic), "2024-06-02T00:00:00Z");
    let mut existing = docs[0].2.clone();
    existing.annotations.push(extra);
    let merged = bundle::merge_into(Some(&existing), &incoming[0]);
    let ids: Vec<&str> = merged.annotations.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&"s1") && ids.contains(&"s2"));
    assert_eq!(merged.rev, 5);
    // Importing the same bundle again changes nothing.
    let again = bundle::merge_into(Some(&merged), &incoming[0]);
    assert_eq!(again.annotations, merged.annotations);
    // The library lists each document once.
    let mut lib = Library::new();
    for b in incoming.iter().chain(&incoming) {
        lib.upsert(b.meta.clone()).unwrap();
    }
    assert_eq!(lib.docs.len(), 2);
    // A new document is simply added.
    assert_eq!(bundle::merge_into(None, &incoming[1]).annotations, docs[1].2.annotations);
}

#[test]
fn a_deletion_carried_by_a_bundle_is_remembered() {
    let docs = library_docs();
    let mut older = docs[1].2.clone();
    older.annotations.push(with_times(ann(OTHER_TEXT, "o0", 0, 5, Label::Claim), "2024-05-01T00:00:00Z"));
    let incoming = bundle::import(bundle::export(&docs).as_bytes(), &[]).unwrap();
    let merged = bundle::merge_into(Some(&older), &incoming[1]);
    assert!(!merged.annotations.iter().any(|a| a.id == "o0"));
}

fn bundle_value() -> Value {
    serde_json::from_str(&bundle::export(&library_docs())).unwrap()
}

fn bundle_error(v: &Value) -> (String, String) {
    match bundle::import(v.to_string().as_bytes(), &[]) {
        Err(ImportError::Field { path, message }) => (path, message),
        other => panic!("expected a field error, got {other:?}"),
    }
}

fn broken(f: impl FnOnce(&mut Value)) -> (String, String) {
    let mut v = bundle_value();
    f(&mut v);
    bundle_error(&v)
}

#[test]
fn two_documents_with_the_same_id_and_different_texts_are_a_conflict() {
    let (p, m) = broken(|v| {
        let id = v["documents"][0]["meta"]["id"].clone();
        v["documents"][1]["meta"]["id"] = id;
    });
    assert_eq!(p, "documents[1].meta.id");
    assert!(m.contains("documents[0]") && m.contains("conflicting"), "{m}");
    let msg = ImportError::Field { path: p, message: m }.to_string();
    assert!(msg.starts_with("At documents[1].meta.id: "), "{msg}");
}

#[test]
fn the_same_document_twice_in_a_bundle_is_merged_into_one() {
    let mut v = bundle_value();
    let mut copy = v["documents"][0].clone();
    let (s, e) = span(SEED_TEXT, "Khawaja Asif");
    copy["annotations"] = json!([{"id": "s9", "start": s, "end": e, "quote": "Khawaja Asif", "label": "claim",
        "created": NOW, "modified": NOW}]);
    v["documents"].as_array_mut().unwrap().push(copy);
    let docs = bundle::import(v.to_string().as_bytes(), &[]).unwrap();
    assert_eq!(docs.len(), 2);
    let ids: Vec<&str> = docs[0].record.annotations.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&"s1") && ids.contains(&"s9"));
    assert_eq!(docs[0].meta.counts, [1, 1, 0]);
}

/// A way to break a valid bundle, and the path the error must name.
type Breakage = (Box<dyn FnOnce(&mut Value)>, &'static str);

#[test]
fn bad_bundles_are_refused_with_the_path_of_the_problem() {
    let cases: Vec<Breakage> = vec![
        (Box::new(|v| v["documents"][1].as_object_mut().unwrap().remove("text").map(|_| ()).unwrap()), "documents[1].text"),
        (Box::new(|v| v["documents"][1]["text"] = json!("")), "documents[1].text"),
        (Box::new(|v| v["documents"][1]["text"] = json!(7)), "documents[1].text"),
        (Box::new(|v| v["documents"][0]["text"] = json!("edited text")), "documents[0].meta.id"),
        (Box::new(|v| v["documents"][1]["annotations"][0]["quote"] = json!("wrong")), "documents[1].annotations[0].quote"),
        (Box::new(|v| v["documents"][1]["annotations"][0]["end"] = json!(100000)), "documents[1].annotations[0].end"),
        (
            Box::new(|v| {
                let a = v["documents"][1]["annotations"][0].clone();
                v["documents"][1]["annotations"].as_array_mut().unwrap().push(a);
            }),
            "documents[1].annotations[1].id",
        ),
        (Box::new(|v| v["documents"][0]["deleted"] = json!([{"id": "x"}])), "documents[0].deleted[0].at"),
        (Box::new(|v| v["documents"][0].as_object_mut().unwrap().remove("meta").map(|_| ()).unwrap()), "documents[0].meta"),
        (Box::new(|v| v["documents"][0]["meta"]["id"] = json!("../../x")), "documents[0].meta.id"),
        (Box::new(|v| v["documents"][0]["annotations"] = json!({})), "documents[0].annotations"),
        (Box::new(|v| v["documents"] = json!(null)), "documents"),
        (Box::new(|v| v["version"] = json!(2)), "version"),
        (Box::new(|v| v["format"] = json!("text-annotator/annotations")), "format"),
        (Box::new(|v| v["documents"][0] = json!("doc")), "documents[0]"),
    ];
    for (f, want) in cases {
        let (path, message) = broken(f);
        assert_eq!(path, want, "{message}");
        assert!(!message.is_empty());
    }
}

#[test]
fn a_single_document_file_is_not_taken_for_a_bundle() {
    let doc = Document::new("t", "t", OTHER_TEXT);
    let (p, m) = bundle_error(&serde_json::from_str(&native::export(&doc, &[])).unwrap());
    assert_eq!(p, "format");
    assert!(m.contains("one document"), "{m}");
}

#[test]
fn a_bundle_that_is_not_json_is_a_syntax_error_with_a_location() {
    match bundle::import(b"{\n  \"format\": \"text-annotator/bundle\",\n  oops", &[]) {
        Err(ImportError::Syntax { line: 3, column, .. }) => assert!(column >= 3),
        other => panic!("{other:?}"),
    }
    assert!(matches!(bundle::import(b"\xff\xfe{}", &[]), Err(ImportError::Syntax { line: 1, column: 1, .. })));
}

#[test]
fn a_bundle_over_100_mib_is_refused_before_parsing() {
    assert_eq!(MAX_BUNDLE_BYTES, 100 * 1024 * 1024);
    let big = vec![0u8; MAX_BUNDLE_BYTES + 1];
    let e = bundle::import(&big, &[]).unwrap_err();
    assert_eq!(e, ImportError::TooLarge { bytes: MAX_BUNDLE_BYTES + 1, max: MAX_BUNDLE_BYTES });
    assert!(e.to_string().contains("100 MB"), "{e}");
}

#[test]
fn bundle_counts_and_lengths_come_from_the_data_not_the_file() {
    let docs = bundle::import(
        broken_ok(|v| {
            v["documents"][1]["meta"]["counts"] = json!({"claim": 99});
            v["documents"][1]["meta"]["length"] = json!(1);
            v["documents"][1]["meta"]["title"] = json!("  <b>Bold</b>\n title ");
        })
        .as_bytes(),
        &[],
    )
    .unwrap();
    let d: &BundleDoc = &docs[1];
    assert_eq!(d.meta.counts, [0, 0, 1]);
    assert_eq!(d.meta.len_cp, OTHER_TEXT.chars().count());
    assert_eq!(d.meta.title, "<b>Bold</b> title");
}

fn broken_ok(f: impl FnOnce(&mut Value)) -> String {
    let mut v = bundle_value();
    f(&mut v);
    v.to_string()
}

#[test]
fn merged_records_written_back_still_validate_against_their_text() {
    let docs = library_docs();
    let incoming = bundle::import(bundle::export(&docs).as_bytes(), &[]).unwrap();
    for (b, (meta, text, rec)) in incoming.iter().zip(&docs) {
        let merged = bundle::merge_into(Some(rec), b);
        let json = merged.to_json(meta);
        let index = annotator_core::text::text_index::TextIndex::new(*text);
        let back = parse_record(json.as_bytes(), Some(&meta.id), Some(&index)).unwrap();
        assert_eq!(back.record, merged);
        assert_eq!(merge::merge(&back.record, rec).annotations, merged.annotations);
    }
}
