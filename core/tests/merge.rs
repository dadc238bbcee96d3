//! Two-tab merge of one document's annotation record: the algebra
//! (commutative, associative, idempotent) on random records, the rules
//! (later edit wins, deletions remembered, re-creation after a deletion),
//! the stored JSON and its validation.

mod common;

use annotator_core::formats::json_fields::ImportError;
use annotator_core::formats::native;
use annotator_core::model::links::{Link, LinkKind};
use annotator_core::model::{Annotation, Document, Label};
use annotator_core::store::library::DocMeta;
use annotator_core::store::merge::{for_write, merge, parse_record, version_cmp, DocRecord, MAX_TOMBSTONES};
use annotator_core::text::text_index::TextIndex;
use annotator_core::text::time::{compare_timestamps, parse_timestamp};
use common::ann;
use proptest::prelude::*;
use std::cmp::Ordering;
use std::collections::BTreeMap;

const TEXT: &str = "Kabul denied 📊 the claim;\r\nIslamabad said 1,463 were injured.";

fn a(id: &str, start: usize, end: usize, label: Label, modified: &str) -> Annotation {
    let mut x = ann(TEXT, id, start, end, label);
    x.created = "2024-01-01T00:00:00.000Z".into();
    x.modified = modified.into();
    x
}

fn rec(anns: Vec<Annotation>, deleted: &[(&str, &str)], rev: u64) -> DocRecord {
    let mut r = DocRecord::new(anns);
    r.deleted = deleted.iter().map(|(i, t)| (i.to_string(), t.to_string())).collect();
    r.rev = rev;
    r
}

fn ids(r: &DocRecord) -> Vec<&str> {
    let mut v: Vec<&str> = r.annotations.iter().map(|a| a.id.as_str()).collect();
    v.sort();
    v
}

const T1: &str = "2024-05-01T10:00:00.000Z";
const T2: &str = "2024-05-01T10:00:01.000Z";
const T3: &str = "2024-05-01T10:00:02.000Z";
const T4: &str = "2024-05-01T10:00:03.000Z";

// ------------------------------------------------------------------- the rules

#[test]
fn merge_keeps_the_annotations_of_both_tabs() {
    let mine = rec(vec![a("m1", 0, 5, Label::Claim, T1)], &[], 3);
    let theirs = rec(vec![a("t1", 6, 12, Label::Denial, T2)], &[], 5);
    let m = merge(&mine, &theirs);
    assert_eq!(ids(&m), ["m1", "t1"]);
    assert_eq!(m.rev, 5);
}

#[test]
fn for_the_same_id_the_later_modification_wins() {
    let old = a("x", 0, 5, Label::Claim, T1);
    let mut new = a("x", 0, 5, Label::Statistic, T2);
    new.note = "edited in the other tab".into();
    let m = merge(&rec(vec![old.clone()], &[], 1), &rec(vec![new.clone()], &[], 1));
    assert_eq!(m.annotations, vec![new.clone()]);
    let m = merge(&rec(vec![new.clone()], &[], 1), &rec(vec![old], &[], 1));
    assert_eq!(m.annotations, vec![new]);
}

#[test]
fn equal_times_are_broken_the_same_way_whatever_the_argument_order() {
    let x = a("x", 0, 5, Label::Claim, T1);
    let mut y = x.clone();
    y.note = "other".into();
    let mut z = x.clone();
    z.modified = "2024-05-01T10:00:00Z".into(); // the same instant written without milliseconds
    for (p, q) in [(&x, &y), (&x, &z), (&y, &z)] {
        let pq = merge(&rec(vec![p.clone()], &[], 0), &rec(vec![q.clone()], &[], 0));
        let qp = merge(&rec(vec![q.clone()], &[], 0), &rec(vec![p.clone()], &[], 0));
        assert_eq!(pq, qp);
        assert_ne!(version_cmp(p, q), Ordering::Equal);
    }
}

#[test]
fn a_deletion_in_one_tab_is_remembered_when_the_other_still_has_the_annotation() {
    // Tab A loaded x, tab B loaded x; A deletes x at T2, B edits y at T3.
    let x = a("x", 0, 5, Label::Claim, T1);
    let y = a("y", 6, 12, Label::Denial, T1);
    let base = rec(vec![x.clone(), y.clone()], &[], 1);
    let tab_a = base.after_edit(std::slice::from_ref(&y), T2);
    assert_eq!(tab_a.deleted.get("x").map(String::as_str), Some(T2));
    let mut y2 = y.clone();
    y2.note = "B's note".into();
    y2.modified = T3.into();
    let tab_b = base.after_edit(&[x.clone(), y2.clone()], T3);
    let m = merge(&tab_a, &tab_b);
    assert_eq!(m.annotations, vec![y2]);
    assert!(m.deleted.contains_key("x"));
    assert_eq!(merge(&tab_b, &tab_a), m);
}

#[test]
fn an_edit_made_after_the_deletion_brings_the_annotation_back() {
    let deleted = rec(vec![], &[("x", T2)], 2);
    let edited_later = rec(vec![a("x", 0, 5, Label::Claim, T3)], &[], 2);
    let edited_before = rec(vec![a("x", 0, 5, Label::Claim, T1)], &[], 2);
    let same_time = rec(vec![a("x", 0, 5, Label::Claim, T2)], &[], 2);
    assert_eq!(ids(&merge(&deleted, &edited_later)), ["x"]);
    assert!(merge(&deleted, &edited_before).annotations.is_empty());
    assert!(merge(&deleted, &same_time).annotations.is_empty(), "a tie goes to the deletion");
}

#[test]
fn undoing_a_delete_re_creates_the_annotation_even_against_a_copy_holding_the_tombstone() {
    let x = a("x", 0, 5, Label::Claim, T1);
    let v1 = rec(vec![x.clone()], &[], 1);
    let v2 = v1.after_edit::<Annotation>(&[], T2); // delete
    assert!(v2.annotations.is_empty() && v2.deleted.contains_key("x"));
    let v3 = v2.after_edit(std::slice::from_ref(&x), T3); // undo: the old x, old `modified`
    assert_eq!(v3.annotations.len(), 1);
    assert_eq!(v3.annotations[0].modified, T3, "the re-created annotation is newer than its deletion");
    assert_eq!(v3.rev, 3);
    // The other tab (or storage) still has v2 with the tombstone.
    assert_eq!(ids(&merge(&v3, &v2)), ["x"]);
    assert_eq!(ids(&merge(&v2, &v3)), ["x"]);
}

#[test]
fn for_write_merges_with_storage_and_bumps_the_revision() {
    let local = rec(vec![a("l", 0, 5, Label::Claim, T2)], &[], 4);
    let stored = rec(vec![a("s", 6, 12, Label::Claim, T3)], &[], 7);
    let w = for_write(&local, Some(&stored));
    assert_eq!(ids(&w), ["l", "s"]);
    assert_eq!(w.rev, 8);
    assert_eq!(for_write(&local, None).rev, 4);
    // Nobody else wrote since this tab's base (rev 3): the stored rev grows by one.
    let base = rec(vec![], &[], 3);
    let edited = base.after_edit(&[a("l", 0, 5, Label::Claim, T2)], T2);
    assert_eq!(for_write(&edited, Some(&base)).rev, 4);
}

#[test]
fn tombstones_are_bounded_to_the_latest_5000() {
    let mk = |n: usize, off: usize| -> BTreeMap<String, String> {
        (0..n)
            .map(|i| {
                let t = off + i;
                (format!("d{t:05}"), format!("2024-01-01T{:02}:{:02}:{:02}Z", t / 3600, t / 60 % 60, t % 60))
            })
            .collect()
    };
    let mine = DocRecord { annotations: vec![], deleted: mk(3_000, 0), rev: 1 };
    let theirs = DocRecord { annotations: vec![], deleted: mk(3_000, 3_000), rev: 1 };
    let m = merge(&mine, &theirs);
    assert_eq!(m.deleted.len(), MAX_TOMBSTONES);
    assert!(!m.deleted.contains_key("d00999") && m.deleted.contains_key("d01000") && m.deleted.contains_key("d05999"));
    // after_edit bounds them too.
    let big = DocRecord { annotations: vec![a("x", 0, 5, Label::Claim, T1)], deleted: mk(5_000, 0), rev: 0 };
    assert_eq!(big.after_edit::<Annotation>(&[], "2030-01-01T00:00:00Z").deleted.len(), MAX_TOMBSTONES);
}

#[test]
fn timestamps_compare_as_instants() {
    assert_eq!(compare_timestamps("2024-05-01T10:00:00Z", "2024-05-01T10:00:00.000Z"), Ordering::Equal);
    assert_eq!(compare_timestamps("2024-05-01T12:00:00+02:00", "2024-05-01T10:00:00Z"), Ordering::Equal);
    assert_eq!(compare_timestamps("2024-05-01T10:00:00.5Z", "2024-05-01T10:00:00.499Z"), Ordering::Greater);
    assert_eq!(compare_timestamps("2023-12-31T23:59:59Z", "2024-01-01T00:00:00Z"), Ordering::Less);
    assert_eq!(compare_timestamps("", "1970-01-01T00:00:00Z"), Ordering::Less);
    assert_eq!(parse_timestamp("1970-01-01T00:00:01.25Z"), Some((1, 250_000_000)));
    assert_eq!(parse_timestamp("2024-02-29T00:00:00Z").map(|t| t.0), Some(1_709_164_800));
    for bad in ["", "yesterday", "2024-02-30T00:00:00Z", "2024-05-01T10:00:00", "2024-05-01T25:00:00Z", "2024-05-01T10:00:00.Z"] {
        assert_eq!(parse_timestamp(bad), None, "{bad}");
    }
}

// -------------------------------------------------------------- the algebra

const IDS: &[&str] = &["a", "b", "c", "d", "e"];
/// Includes equal instants written differently, an offset, and a non-date.
const TIMES: &[&str] = &[
    "2024-01-01T00:00:00Z",
    "2024-01-01T00:00:00.000Z",
    "2024-01-01T01:00:00+01:00",
    "2024-01-01T00:00:01Z",
    "2024-01-02T00:00:00.000Z",
    "not a date",
];
const NOTES: &[&str] = &["", "n1", "n2"];

fn annotation_strategy() -> impl Strategy<Value = Annotation> {
    let len = TEXT.chars().count();
    // Links to other ids of the pool (some of them deleted or absent: dangling).
    let links = prop::collection::btree_map(prop::sample::select(IDS), 0usize..4, 0..3);
    (prop::sample::select(IDS), 0..len, 1usize..8, 0usize..3, prop::sample::select(TIMES), prop::sample::select(NOTES), links).prop_map(
        move |(id, s, n, l, t, note, links)| {
            let e = (s + n).min(len);
            let mut x = ann(TEXT, id, s.min(e - 1), e, common::label_of(l));
            x.modified = t.into();
            x.note = note.into();
            x.links = links.into_iter().filter(|(to, _)| *to != id).map(|(to, k)| Link { to: to.into(), kind: LinkKind::ALL[k] }).collect();
            x
        },
    )
}

/// A record as a tab could hold it: unique ids, any tombstones, any revision.
fn record_strategy() -> impl Strategy<Value = DocRecord> {
    (
        prop::collection::vec(annotation_strategy(), 0..6),
        prop::collection::vec((prop::sample::select(IDS), prop::sample::select(TIMES)), 0..4),
        0u64..6,
    )
        .prop_map(|(anns, dels, rev)| {
            let mut seen = std::collections::HashSet::new();
            let anns: Vec<Annotation> = anns.into_iter().filter(|a| seen.insert(a.id.clone())).collect();
            let mut r = DocRecord::new(anns);
            for (id, t) in dels {
                r.deleted.insert(id.to_string(), t.to_string());
            }
            r.rev = rev;
            r
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn merge_is_commutative(x in record_strategy(), y in record_strategy()) {
        prop_assert_eq!(merge(&x, &y), merge(&y, &x));
    }

    #[test]
    fn merge_is_associative(x in record_strategy(), y in record_strategy(), z in record_strategy()) {
        prop_assert_eq!(merge(&merge(&x, &y), &z), merge(&x, &merge(&y, &z)));
    }

    #[test]
    fn merge_is_idempotent(x in record_strategy(), y in record_strategy()) {
        let m = merge(&x, &y);
        prop_assert_eq!(merge(&m, &m), m.clone());
        prop_assert_eq!(merge(&m, &x), m.clone());
        prop_assert_eq!(merge(&x, &x), merge(&x, &DocRecord::default()));
    }

    #[test]
    fn merge_loses_nothing_that_was_not_deleted_later(x in record_strategy(), y in record_strategy()) {
        let m = merge(&x, &y);
        for a in x.annotations.iter().chain(&y.annotations) {
            let deleted_after = x.deleted.get(&a.id).into_iter().chain(y.deleted.get(&a.id))
                .any(|t| compare_timestamps(&a.modified, t) != Ordering::Greater);
            let kept = m.annotations.iter().find(|b| b.id == a.id);
            if deleted_after {
                // Only a version newer than every deletion may remain.
                if let Some(b) = kept {
                    prop_assert!(version_cmp(b, a) == Ordering::Greater);
                }
            } else {
                let b = kept.expect("a live annotation survives the merge");
                prop_assert!(version_cmp(b, a) != Ordering::Less);
            }
        }
        // Every remembered deletion is still remembered.
        for (id, t) in x.deleted.iter().chain(&y.deleted) {
            let kept = m.deleted.get(id).expect("tombstone kept");
            prop_assert!(compare_timestamps(kept, t) != Ordering::Less);
        }
        // Text order, unique ids.
        prop_assert!(m.annotations.windows(2).all(|w| annotator_core::model::text_order(&w[0], &w[1]).is_lt()));
    }

    #[test]
    fn absorb_is_merge_in_place(x in record_strategy(), y in record_strategy()) {
        let mut k = merge(&x, &DocRecord::default());
        let want = merge(&k, &y);
        k.absorb(&y);
        prop_assert_eq!(k, want);
    }

    /// The journal: absorbing an edit's delta gives what writing the whole
    /// record after the edit gave (same annotations and tombstones).
    #[test]
    fn absorbing_the_edit_delta_equals_the_whole_record_write(known in record_strategy(), current in record_strategy()) {
        let known = merge(&known, &DocRecord::default());
        let now = "2024-05-01T10:00:09.000Z";
        let whole = for_write(&known.after_edit(&current.annotations, now), Some(&known));
        let delta = known.edit_delta(&current.annotations, now);
        let mut journal = known.clone();
        journal.absorb(&delta);
        prop_assert_eq!(&journal.annotations, &whole.annotations);
        prop_assert_eq!(&journal.deleted, &whole.deleted);
        // The stored snapshot plus the stored delta read back as the same record.
        let mut delta_twice = delta.clone();
        delta_twice.absorb(&delta);
        prop_assert_eq!(merge(&known, &delta_twice).annotations, whole.annotations.clone());
        if current.annotations == known.annotations {
            prop_assert!(delta.is_empty());
        }
    }

    #[test]
    fn a_stored_record_reads_back_equal(x in record_strategy()) {
        let meta = DocMeta::new(TEXT, "T", "t", T1);
        let json = x.to_json(&meta);
        let index = TextIndex::new(TEXT);
        let back = parse_record(json.as_bytes(), Some(&meta.id), Some(&index)).unwrap();
        prop_assert_eq!(back.record, x);
    }
}

// ---------------------------------------------------------------- stored JSON

fn meta() -> DocMeta {
    DocMeta::new(TEXT, "Title <b>", "name", T1)
}

fn sample() -> DocRecord {
    rec(vec![a("x", 0, 5, Label::Claim, T2), a("y", 13, 14, Label::Statistic, T3)], &[("gone", T4)], 9)
}

#[test]
fn a_stored_record_is_still_a_native_file_without_text() {
    let json = sample().to_json(&meta());
    let doc = Document::new("Title <b>", "name", TEXT);
    let parsed = native::import(json.as_bytes(), &doc).unwrap();
    assert_eq!(parsed.annotations, sample().annotations);
    assert_eq!(parsed.doc_id.as_deref(), Some(doc.id.as_str()));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["document"].get("text").is_none());
    assert_eq!(v["deleted"], serde_json::json!([{ "id": "gone", "at": T4 }]));
    assert_eq!(v["rev"], 9);
}

#[test]
fn a_stored_record_reads_back_with_its_header() {
    let m = meta();
    let s = parse_record(sample().to_json(&m).as_bytes(), Some(&m.id), None).unwrap();
    assert_eq!(s.record, sample());
    assert_eq!(s.header.id.as_deref(), Some(m.id.as_str()));
    assert_eq!(s.header.title.as_deref(), Some("Title <b>"));
    assert_eq!(s.header.length, Some(TEXT.chars().count()));
}

#[test]
fn a_v1_record_reads_as_no_tombstones_and_revision_zero() {
    let doc = Document::new("T", "t", TEXT);
    let v1 = native::export_with(&doc, &Default::default(), &sample().annotations, false).replace(r#""version":2"#, r#""version":1"#);
    let s = parse_record(v1.as_bytes(), Some(&doc.id), Some(&doc.index)).unwrap();
    assert_eq!(s.record, DocRecord::new(sample().annotations));
}

fn record_error(edit: impl FnOnce(&mut serde_json::Value), text: Option<&str>) -> (String, String) {
    let m = meta();
    let mut v: serde_json::Value = serde_json::from_str(&sample().to_json(&m)).unwrap();
    edit(&mut v);
    let index = text.map(TextIndex::new);
    match parse_record(v.to_string().as_bytes(), Some(&m.id), index.as_ref()) {
        Err(ImportError::Field { path, message }) => (path, message),
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn bad_stored_records_are_refused_with_the_path_of_the_problem() {
    let (p, _) = record_error(|v| v["deleted"][0].as_object_mut().unwrap().remove("at").map(|_| ()).unwrap(), None);
    assert_eq!(p, "deleted[0].at");
    let (p, _) = record_error(|v| v["deleted"] = serde_json::json!("x"), None);
    assert_eq!(p, "deleted");
    let (p, _) = record_error(|v| v["rev"] = serde_json::json!(-1), None);
    assert_eq!(p, "rev");
    let (p, m) = record_error(|v| v["document"]["id"] = serde_json::json!("0000000000000000"), None);
    assert_eq!(p, "document.id");
    assert!(m.contains("0000000000000000"));
    let (p, _) = record_error(|v| v["annotations"][1]["id"] = serde_json::json!("x"), None);
    assert_eq!(p, "annotations[1].id");
    let (p, _) = record_error(|v| v["annotations"][0]["label"] = serde_json::json!("opinion"), None);
    assert_eq!(p, "annotations[0].label");
    let (p, _) = record_error(|v| v["version"] = serde_json::json!(7), None);
    assert_eq!(p, "version");
}

#[test]
fn quotes_are_checked_against_the_text_when_known_and_by_length_otherwise() {
    // Same length, different characters: only the text can tell.
    let (p, m) = record_error(|v| v["annotations"][0]["quote"] = serde_json::json!("XXXXX"), Some(TEXT));
    assert_eq!(p, "annotations[0].quote");
    assert!(m.contains("does not match"), "{m}");
    let (p, m) = record_error(|v| v["annotations"][0]["quote"] = serde_json::json!("Kab"), None);
    assert_eq!(p, "annotations[0].quote");
    assert!(m.contains("3 characters"), "{m}");
    let (p, _) = record_error(|v| v["annotations"][0]["end"] = serde_json::json!(10_000), None);
    assert_eq!(p, "annotations[0].end");
}

#[test]
fn not_json_is_a_syntax_error_with_a_location() {
    match parse_record(b"{\n \"format\": ,", None, None) {
        Err(ImportError::Syntax { line: 2, .. }) => {}
        other => panic!("{other:?}"),
    }
}

/// Two tabs sharing one storage slot (the JSON string), each following the
/// protocol of the module documentation: edit, re-read, merge, write.
#[test]
fn two_tabs_editing_the_same_document_keep_both_edits_through_storage() {
    let m = meta();
    let index = TextIndex::new(TEXT);
    let read = |slot: &str| parse_record(slot.as_bytes(), Some(&m.id), Some(&index)).unwrap().record;
    let x = a("x", 0, 5, Label::Claim, T1);
    let mut slot = rec(vec![x.clone()], &[], 1).to_json(&m);
    // Both tabs load the same record.
    let mut base_a = read(&slot);
    let mut base_b = read(&slot);
    // Tab A adds y and saves.
    let y = a("y", 13, 14, Label::Statistic, T2);
    let local_a = base_a.after_edit(&[x.clone(), y.clone()], T2);
    let w = for_write(&local_a, Some(&read(&slot)));
    slot = w.to_json(&m);
    base_a = w;
    // Tab B, not yet told, deletes x and saves: it re-reads storage first.
    let local_b = base_b.after_edit::<Annotation>(&[], T3);
    let stored = read(&slot);
    assert_ne!(stored.rev, base_b.rev, "B sees that A wrote meanwhile");
    let w = for_write(&local_b, Some(&stored));
    slot = w.to_json(&m);
    base_b = w;
    // A receives the storage event and merges.
    base_a = merge(&base_a, &read(&slot));
    assert_eq!(base_a.annotations, vec![y.clone()], "A's addition and B's deletion both survive");
    assert_eq!(base_b.annotations, vec![y]);
    assert_eq!(base_a, base_b);
    assert_eq!(read(&slot), base_b);
}
