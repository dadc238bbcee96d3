//! The crash-safe copy (`store::durable`): what start-up writes back to local
//! storage after a crash lost its last writes, and that it loses nothing.

use annotator_core::model::{doc_id_for, Annotation, Label};
use annotator_core::store::durable::reconcile;
use annotator_core::store::error::StoreError;
use annotator_core::store::keys::{doc_key, journal_key, text_key, LIBRARY_KEY};
use annotator_core::store::kv::{Kv, MemKv};
use annotator_core::store::library::{DocMeta, Library};
use annotator_core::store::merge::DocRecord;
use annotator_core::store::records::{journal_to_json, DocStore};
use annotator_core::text::text_index::TextIndex;
use proptest::prelude::*;
use std::collections::BTreeMap;

const TEXT: &str = "The defence minister said on Tuesday that 1,524 people were killed in violence-related incidents last year, a figure officials in Kabul denied; the ministry repeated the claim on Wednesday and again on Friday.";

fn id() -> String {
    doc_id_for(TEXT)
}

fn meta() -> DocMeta {
    DocMeta::new(TEXT, "Minister", "minister", &ts(0))
}

fn ts(secs: u64) -> String {
    format!("2024-06-01T{:02}:{:02}:{:02}.000Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

fn ann(n: usize, label: Label, t: &str) -> Annotation {
    let len = TEXT.chars().count();
    let start = (n * 7) % (len - 3);
    Annotation {
        id: format!("a{n}"),
        start,
        end: start + 3,
        quote: TEXT.chars().skip(start).take(3).collect(),
        label,
        note: String::new(),
        speaker: String::new(),
        verdict: String::new(),
        links: Vec::new(),
        created: t.to_string(),
        modified: t.to_string(),
    }
}

/// Local storage that also records every write and removal, in order, as
/// the app's copy receives them.
#[derive(Default)]
struct Mirrored {
    kv: MemKv,
    ops: Vec<(String, Option<String>)>,
}

impl Kv for Mirrored {
    fn get(&self, k: &str) -> Result<Option<String>, StoreError> {
        self.kv.get(k)
    }
    fn set(&mut self, k: &str, v: &str) -> Result<(), StoreError> {
        self.kv.set(k, v)?;
        self.ops.push((k.to_string(), Some(v.to_string())));
        Ok(())
    }
    fn remove(&mut self, k: &str) -> Result<(), StoreError> {
        self.kv.remove(k)?;
        self.ops.push((k.to_string(), None));
        Ok(())
    }
    fn keys(&self) -> Result<Vec<String>, StoreError> {
        self.kv.keys()
    }
}

/// The store after the first `n` operations.
fn replay(ops: &[(String, Option<String>)], n: usize) -> MemKv {
    let mut kv = MemKv::new();
    for (k, v) in &ops[..n] {
        match v {
            Some(v) => kv.set(k, v).unwrap(),
            None => kv.remove(k).unwrap(),
        }
    }
    kv
}

fn entries(kv: &MemKv) -> Vec<(String, String)> {
    kv.map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

fn apply(kv: &mut MemKv, writes: &[(String, String)]) {
    for (k, v) in writes {
        kv.set(k, v).unwrap();
    }
}

fn known(kv: &mut MemKv) -> DocRecord {
    let loaded = DocStore::load(kv, &id(), "reader", &TextIndex::new(TEXT), 0);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    loaded.store.known
}

#[test]
fn an_identical_copy_writes_nothing() {
    let mut m = Mirrored::default();
    let mut s = DocStore::load(&mut m, &id(), "t1", &TextIndex::new(TEXT), 0).store;
    s.save(&mut m, &meta(), &[ann(1, Label::Claim, &ts(1))], &ts(1)).unwrap();
    let durable = entries(&m.kv);
    let r = reconcile(&m.kv, &durable).unwrap();
    assert!(r.writes.is_empty() && r.relisted.is_empty(), "{r:?}");
}

#[test]
fn a_journal_lost_by_local_storage_is_written_back_exactly() {
    let mut m = Mirrored::default();
    let mut s = DocStore::load(&mut m, &id(), "t1", &TextIndex::new(TEXT), 0).store;
    s.save(&mut m, &meta(), &[ann(1, Label::Claim, &ts(1))], &ts(1)).unwrap();
    let durable = entries(&m.kv);
    let mut crashed = MemKv::new();
    let r = reconcile(&crashed, &durable).unwrap();
    assert_eq!(r.writes, vec![(journal_key(&id(), "t1"), m.kv.value(&journal_key(&id(), "t1")).unwrap().to_string())]);
    apply(&mut crashed, &r.writes);
    assert_eq!(known(&mut crashed).annotations, vec![ann(1, Label::Claim, &ts(1))]);
}

#[test]
fn a_record_that_differs_gets_the_merge_only_when_the_copy_adds_something() {
    let older = DocRecord::new(vec![ann(1, Label::Claim, &ts(1))]).with_rev(1);
    let newer = DocRecord::new(vec![ann(1, Label::Denial, &ts(2)), ann(2, Label::Claim, &ts(2))]).with_rev(2);
    let (old_json, new_json) = (older.to_json(&meta()), newer.to_json(&meta()));
    // Local storage is ahead (the copy is still being written): nothing to do.
    let mut ahead = MemKv::new();
    ahead.set(&doc_key(&id()), &new_json).unwrap();
    assert!(reconcile(&ahead, &[(doc_key(&id()), old_json.clone())]).unwrap().writes.is_empty());
    // Behind (a crash): the merge, which holds the newer versions.
    let mut behind = MemKv::new();
    behind.set(&doc_key(&id()), &old_json).unwrap();
    let r = reconcile(&behind, &[(doc_key(&id()), new_json)]).unwrap();
    assert_eq!(r.writes.len(), 1);
    apply(&mut behind, &r.writes);
    assert_eq!(known(&mut behind).annotations, newer.annotations);
}

#[test]
fn a_merged_journal_keeps_its_tab_and_written_stamp() {
    let key = journal_key(&id(), "t1");
    let local = journal_to_json(&DocRecord::new(vec![ann(1, Label::Claim, &ts(1))]), &meta(), "t1", &ts(5)).unwrap();
    let copy = journal_to_json(&DocRecord::new(vec![ann(2, Label::Claim, &ts(2))]), &meta(), "t1", &ts(2)).unwrap();
    let mut kv = MemKv::new();
    kv.set(&key, &local).unwrap();
    let r = reconcile(&kv, &[(key.clone(), copy)]).unwrap();
    let (k, v) = &r.writes[0];
    assert_eq!(k, &key);
    let json: serde_json::Value = serde_json::from_str(v).unwrap();
    assert_eq!((json["tab"].as_str(), json["written"].as_str()), (Some("t1"), Some(ts(5).as_str())));
    apply(&mut kv, &r.writes);
    assert_eq!(known(&mut kv).annotations.len(), 2);
}

#[test]
fn unreadable_values_are_left_to_the_loader() {
    let key = doc_key(&id());
    let good = DocRecord::new(vec![ann(1, Label::Claim, &ts(1))]).to_json(&meta());
    let mut kv = MemKv::new();
    kv.set(&key, "{broken").unwrap();
    assert!(reconcile(&kv, &[(key.clone(), good.clone())]).unwrap().writes.is_empty(), "never over an unreadable value");
    kv.set(&key, &good).unwrap();
    assert!(reconcile(&kv, &[(key, "{broken".into())]).unwrap().writes.is_empty(), "an unreadable copy adds nothing");
}

#[test]
fn documents_the_copy_lists_are_listed_again_and_the_list_is_written_last() {
    let other = "Another text, added just before the crash.";
    let mut with_both = Library::new();
    with_both.add(meta()).unwrap();
    with_both.add(DocMeta::new(other, "Added", "added", &ts(1))).unwrap();
    let mut only_first = Library::new();
    only_first.add(meta()).unwrap();
    let mut kv = MemKv::new();
    kv.set(LIBRARY_KEY, &only_first.to_json()).unwrap();
    let durable = vec![(LIBRARY_KEY.to_string(), with_both.to_json()), (text_key(&doc_id_for(other)), other.to_string())];
    let r = reconcile(&kv, &durable).unwrap();
    assert_eq!(r.relisted, vec!["Added".to_string()]);
    assert_eq!(r.writes.last().map(|(k, _)| k.as_str()), Some(LIBRARY_KEY), "{:?}", r.writes);
    assert_eq!(r.writes[0], (text_key(&doc_id_for(other)), other.to_string()), "a lost text is written back");
    apply(&mut kv, &r.writes);
    let lib = Library::from_json(kv.value(LIBRARY_KEY).unwrap().as_bytes()).unwrap();
    assert!(lib.contains(&doc_id_for(other)) && lib.contains(&id()));
}

#[test]
fn other_values_that_differ_keep_local_storage() {
    let mut kv = MemKv::new();
    kv.set("text-annotator.v2.history.0123456789abcdef", "[1]").unwrap();
    kv.set("other-app.key", "mine").unwrap();
    let durable = vec![
        ("text-annotator.v2.history.0123456789abcdef".to_string(), "[0]".to_string()),
        ("other-app.key".to_string(), "theirs".to_string()),
    ];
    assert!(reconcile(&kv, &durable).unwrap().writes.is_empty());
}

#[test]
fn a_failed_read_of_local_storage_is_an_error() {
    let mut kv = MemKv::new();
    kv.fail_gets = true;
    assert!(reconcile(&kv, &[(doc_key(&id()), "{}".into())]).is_err());
}

#[derive(Clone, Debug)]
enum Step {
    /// Tab `0` or `1` adds annotation `n`.
    Add(usize, usize),
    /// Tab `0` or `1` retags annotation `n` if it shows it.
    Retag(usize, usize),
    /// Tab `0` or `1` deletes annotation `n` if it shows it.
    Delete(usize, usize),
}

/// What `st` does to the annotations `shown` in its tab, at time `now`.
fn change(shown: &mut Vec<Annotation>, st: &Step, now: &str) {
    match *st {
        Step::Add(_, n) => {
            if !shown.iter().any(|a| a.id == format!("a{n}")) {
                shown.push(ann(n, Label::Claim, now));
            }
        }
        Step::Retag(_, n) => {
            for a in shown.iter_mut().filter(|a| a.id == format!("a{n}")) {
                a.label = Label::Statistic;
                a.modified = now.to_string();
            }
        }
        Step::Delete(_, n) => shown.retain(|a| a.id != format!("a{n}")),
    }
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..2usize, 0..12usize).prop_map(|(t, n)| Step::Add(t, n)),
        (0..2usize, 0..12usize).prop_map(|(t, n)| Step::Retag(t, n)),
        (0..2usize, 0..12usize).prop_map(|(t, n)| Step::Delete(t, n)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Two tabs save (compacting often); local storage then loses every
    /// write after some point (a crash), while the copy holds them all.
    /// After start-up writes back what `reconcile` says, a fresh load shows
    /// exactly what it would have shown had nothing been lost.
    #[test]
    fn a_crash_that_loses_any_suffix_of_local_storage_loses_nothing(
        steps in prop::collection::vec(step(), 1..30),
        cut in 0.0f64..1.0,
    ) {
        let mut m = Mirrored::default();
        let index = TextIndex::new(TEXT);
        let mut tabs: Vec<(DocStore, Vec<Annotation>)> = ["t0", "t1"]
            .iter()
            .map(|t| {
                let mut s = DocStore::load(&mut m, &id(), t, &index, 0).store;
                s.max_journal_entries = 3;
                (s, Vec::new())
            })
            .collect();
        for (i, st) in steps.iter().enumerate() {
            let now = ts(10 + i as u64);
            let t = match st {
                Step::Add(t, _) | Step::Retag(t, _) | Step::Delete(t, _) => *t,
            };
            let (store, shown) = &mut tabs[t];
            change(shown, st, &now);
            let saved = store.save(&mut m, &meta(), shown, &now).map_err(|e| TestCaseError::fail(e.to_string()))?;
            if saved.lost || saved.compacted {
                *shown = store.known.annotations.clone();
            }
        }
        let mut whole = replay(&m.ops, m.ops.len());
        let expected = known(&mut whole);
        let n = (cut * m.ops.len() as f64) as usize;
        let mut crashed = replay(&m.ops, n);
        let r = reconcile(&crashed, &entries(&whole)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        apply(&mut crashed, &r.writes);
        let got = known(&mut crashed);
        let by_id = |r: &DocRecord| r.annotations.iter().map(|a| (a.id.clone(), a.clone())).collect::<BTreeMap<_, _>>();
        prop_assert_eq!(by_id(&got), by_id(&expected));
    }
}
