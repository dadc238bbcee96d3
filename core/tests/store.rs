//! The storage policy (`annotator_core::store`) against an in-memory store:
//! two tabs never erase each other's saved work, compaction keeps every
//! journal's content, quota failures change nothing, unreadable data is
//! backed up and never overwritten, and start-up migrates and rebuilds.

use annotator_core::model::{doc_id_for, Annotation, Label};
use annotator_core::store::boot::{boot, save_library, update_library};
use annotator_core::store::keys::{self, classify_key, delta_key, doc_key, journal_key, StorageKey, LIBRARY_KEY};
use annotator_core::store::kv::{Kv, MemKv};
use annotator_core::store::library::{DocMeta, Library, LibraryError};
use annotator_core::store::merge::{self, DocRecord};
use annotator_core::store::records::{self, journal_to_json, journal_written, DocStore, Foreign, JOURNAL_MAX_ENTRIES, STALE_JOURNAL_SECS};
use annotator_core::store::{backup, extras, whole};
use annotator_core::text::text_index::TextIndex;
use proptest::prelude::*;
use std::collections::BTreeMap;

const TEXT: &str = "The defence minister said on Tuesday that 1,524 people were killed in violence-related incidents last year, a figure officials in Kabul denied; the ministry repeated the claim on Wednesday and again on Friday.";
const V1_FIXTURE: &str = include_str!("fixtures/v1-storage.json");

fn index() -> TextIndex {
    TextIndex::new(TEXT)
}

fn id() -> String {
    doc_id_for(TEXT)
}

fn meta() -> DocMeta {
    DocMeta::new(TEXT, "Minister", "minister", &ts(0))
}

/// RFC 3339 time `secs` seconds after 2024-06-01T00:00:00Z (within June).
fn ts(secs: u64) -> String {
    let (d, r) = (secs / 86_400, secs % 86_400);
    format!("2024-06-{:02}T{:02}:{:02}:{:02}.000Z", d + 1, r / 3600, r % 3600 / 60, r % 60)
}

fn ms(secs: u64) -> u64 {
    1_717_200_000_000 + secs * 1000
}

/// Annotation `id` (a number) over three characters of `TEXT`, stamped `t`.
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

fn open(kv: &mut MemKv, tab: &str) -> DocStore {
    let loaded = DocStore::load(kv, &id(), tab, &index(), 0);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    loaded.store
}

/// What a fresh page (a new tab id) sees.
fn fresh(kv: &mut MemKv) -> DocRecord {
    open(kv, "fresh").known
}

fn content(r: &DocRecord) -> (Vec<Annotation>, BTreeMap<String, String>) {
    (r.annotations.clone(), r.deleted.clone())
}

fn ids(r: &DocRecord) -> Vec<String> {
    r.annotations.iter().map(|a| a.id.clone()).collect()
}

/// Edits `store`'s annotations with `f` and saves at `now`.
fn edit(kv: &mut MemKv, store: &mut DocStore, now: &str, f: impl FnOnce(&mut Vec<Annotation>)) -> records::Saved {
    let mut cur = store.known.annotations.clone();
    f(&mut cur);
    store.save(kv, &meta(), &cur, now).expect("save")
}

fn set_note(anns: &mut [Annotation], id: &str, note: &str, now: &str) {
    let a = anns.iter_mut().find(|a| a.id == id).expect("annotation");
    a.note = note.into();
    a.modified = now.into();
}

fn retag(anns: &mut [Annotation], id: &str, label: Label, now: &str) {
    let a = anns.iter_mut().find(|a| a.id == id).expect("annotation");
    a.label = label;
    a.modified = now.into();
}

/// A store whose base holds annotation a0, written by a first tab.
fn with_base_a0() -> MemKv {
    let mut kv = MemKv::new();
    let mut t = open(&mut kv, "setup");
    t.rewrite_whole = true; // write the base, not a journal
    edit(&mut kv, &mut t, &ts(1), |c| c.push(ann(0, Label::Claim, &ts(1))));
    assert!(kv.value(&doc_key(&id())).is_some());
    kv
}

// ------------------------------------------------------------------ keys

#[test]
fn journal_keys_name_document_and_tab_and_classify_apart_from_the_legacy_key() {
    let id = id();
    assert_eq!(journal_key(&id, "t1"), format!("text-annotator.v2.delta.{id}.t1"));
    assert_eq!(classify_key(&journal_key(&id, "t1")), StorageKey::Journal { doc: id.clone(), tab: "t1".into() });
    assert_eq!(classify_key(&delta_key(&id)), StorageKey::Delta(id.clone()));
    assert_eq!(classify_key(&format!("{}.T1", delta_key(&id))), StorageKey::Other, "tab ids are [0-9a-z]");
    assert_eq!(classify_key(&format!("{}.{}", delta_key(&id), "a".repeat(33))), StorageKey::Other);
    assert_eq!(classify_key(&keys::history_key(&id)), StorageKey::History(id.clone()));
    assert_eq!(classify_key(&keys::orphans_key(&id)), StorageKey::Orphans(id.clone()));
}

#[test]
fn a_journal_value_carries_tab_and_written_and_still_parses_as_a_record() {
    let r = DocRecord::new(vec![ann(1, Label::Claim, &ts(5))]).with_rev(3);
    let json = journal_to_json(&r, &meta(), "t1", &ts(5)).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["tab"], "t1");
    assert_eq!(v["written"], ts(5));
    assert_eq!(journal_written(&json), Some(ts(5)));
    let back = merge::parse_record(json.as_bytes(), Some(&id()), Some(&index())).unwrap();
    assert_eq!(back.record, r);
}

// ------------------------------------------------------------------ the race

#[test]
fn two_tabs_adding_without_seeing_each_other_both_survive_a_reload() {
    let mut kv = MemKv::new();
    let mut a = open(&mut kv, "a");
    let mut b = open(&mut kv, "b");
    edit(&mut kv, &mut a, &ts(10), |c| c.push(ann(1, Label::Claim, &ts(10))));
    edit(&mut kv, &mut b, &ts(11), |c| c.push(ann(2, Label::Denial, &ts(11))));
    let f = fresh(&mut kv);
    assert!(f.annotations.iter().any(|x| x.id == "a1") && f.annotations.iter().any(|x| x.id == "a2"));
    assert_eq!(content(&f), content(&merge::merge(&a.known, &b.known)));
}

#[test]
fn the_legacy_shared_journal_loses_one_of_them_which_is_the_bug_fixed() {
    // What the previous version did: both tabs write the one shared key.
    let mut kv = MemKv::new();
    let a_j = DocRecord::new(vec![ann(1, Label::Claim, &ts(10))]);
    let b_j = DocRecord::new(vec![ann(2, Label::Claim, &ts(11))]);
    kv.set(&delta_key(&id()), &a_j.to_json(&meta())).unwrap();
    kv.set(&delta_key(&id()), &b_j.to_json(&meta())).unwrap();
    assert_eq!(ids(&fresh(&mut kv)), vec!["a2"]);
}

fn delete_vs_note(delete_at: u64, note_at: u64, a_first: bool) -> DocRecord {
    let mut kv = with_base_a0();
    let mut a = open(&mut kv, "a");
    let mut b = open(&mut kv, "b");
    let mut del = |kv: &mut MemKv| edit(kv, &mut a, &ts(delete_at), |c| c.retain(|x| x.id != "a0"));
    let mut note = |kv: &mut MemKv| edit(kv, &mut b, &ts(note_at), |c| set_note(c, "a0", "checked", &ts(note_at)));
    if a_first {
        del(&mut kv);
        note(&mut kv);
    } else {
        note(&mut kv);
        del(&mut kv);
    }
    let f1 = fresh(&mut kv);
    assert_eq!(content(&f1), content(&open(&mut kv, "other").known), "every fresh load agrees");
    f1
}

#[test]
fn delete_against_a_concurrent_note_edit_follows_the_merge_rule_in_every_fresh_load() {
    for a_first in [true, false] {
        // The note edit is later than the deletion: the edited annotation stays.
        let f = delete_vs_note(20, 30, a_first);
        assert_eq!(f.annotations.len(), 1);
        assert_eq!(f.annotations[0].note, "checked");
        // The deletion is later: it wins.
        let f = delete_vs_note(30, 20, a_first);
        assert!(f.annotations.is_empty());
        assert!(f.deleted.contains_key("a0"));
    }
}

#[test]
fn two_retags_of_one_annotation_give_the_same_winner_whichever_saved_first() {
    for a_first in [true, false] {
        let mut kv = with_base_a0();
        let mut a = open(&mut kv, "a");
        let mut b = open(&mut kv, "b");
        let mut ra = |kv: &mut MemKv| edit(kv, &mut a, &ts(20), |c| retag(c, "a0", Label::Denial, &ts(20)));
        let mut rb = |kv: &mut MemKv| edit(kv, &mut b, &ts(21), |c| retag(c, "a0", Label::Statistic, &ts(21)));
        if a_first {
            ra(&mut kv);
            rb(&mut kv);
        } else {
            rb(&mut kv);
            ra(&mut kv);
        }
        for tab in ["x", "y"] {
            let f = open(&mut kv, tab).known;
            assert_eq!(f.annotations[0].label, Label::Statistic, "a_first = {a_first}");
        }
    }
}

#[test]
fn a_change_that_loses_to_a_newer_version_seen_in_a_foreign_write_is_reported_lost() {
    let mut kv = with_base_a0();
    let mut a = open(&mut kv, "a");
    let mut b = open(&mut kv, "b");
    // B's clock is ahead: its retag is "later" than A's edit.
    edit(&mut kv, &mut b, &ts(100), |c| retag(c, "a0", Label::Statistic, &ts(100)));
    let bkey = journal_key(&id(), "b");
    let v = kv.value(&bkey).unwrap().to_string();
    let mut cur = a.known.annotations.clone();
    retag(&mut cur, "a0", Label::Denial, &ts(50));
    assert_eq!(a.on_foreign_write(&bkey, Some(&v), &index()), Foreign::Merged);
    let saved = a.save(&mut kv, &meta(), &cur, &ts(50)).unwrap();
    assert!(saved.lost);
    assert_eq!(a.known.annotations[0].label, Label::Statistic);
}

// ------------------------------------------------------------------ foreign writes

#[test]
fn foreign_writes_merge_journals_and_base_and_signal_removal_of_the_own_journal() {
    let mut kv = MemKv::new();
    let mut a = open(&mut kv, "a");
    let mut b = open(&mut kv, "b");
    edit(&mut kv, &mut b, &ts(10), |c| c.push(ann(2, Label::Claim, &ts(10))));
    let bkey = journal_key(&id(), "b");
    let v = kv.value(&bkey).unwrap().to_string();
    assert_eq!(a.on_foreign_write(&bkey, Some(&v), &index()), Foreign::Merged);
    assert_eq!(ids(&a.known), vec!["a2"]);
    assert_eq!(a.on_foreign_write(&bkey, None, &index()), Foreign::Ignored);
    assert_eq!(a.on_foreign_write(LIBRARY_KEY, Some("{}"), &index()), Foreign::Ignored);
    assert_eq!(a.on_foreign_write(&journal_key("0123456789abcdef", "b"), Some(&v), &index()), Foreign::Ignored);
    assert_eq!(a.on_foreign_write(&bkey, Some("not json"), &index()), Foreign::Ignored);
    // A's own journal removed by someone else: rewrite it.
    edit(&mut kv, &mut a, &ts(11), |c| c.push(ann(3, Label::Claim, &ts(11))));
    let akey = journal_key(&id(), "a");
    kv.remove(&akey).unwrap();
    assert_eq!(a.on_foreign_write(&akey, None, &index()), Foreign::OwnJournalRemoved);
    a.rewrite_own(&mut kv, &meta(), &ts(12)).unwrap();
    assert_eq!(journal_written(kv.value(&akey).unwrap()), Some(ts(12)));
    assert!(ids(&fresh(&mut kv)).contains(&"a3".to_string()));
}

// ------------------------------------------------------------------ compaction

/// Tab `a` adds annotations one save at a time until it compacts.
fn fill_until_compaction(kv: &mut MemKv, a: &mut DocStore, from: usize, t0: u64) -> u64 {
    for n in 0..=JOURNAL_MAX_ENTRIES {
        let t = t0 + n as u64;
        let s = edit(kv, a, &ts(t), |c| c.push(ann(from + n, Label::Claim, &ts(t))));
        if s.compacted {
            assert_eq!(n, JOURNAL_MAX_ENTRIES, "compacts when the journal would pass the bound");
            return t;
        }
    }
    panic!("never compacted");
}

#[test]
fn compaction_keeps_another_tabs_journal_and_its_annotations() {
    let mut kv = MemKv::new();
    let mut a = open(&mut kv, "a");
    let mut b = open(&mut kv, "b");
    edit(&mut kv, &mut b, &ts(5), |c| c.push(ann(9999, Label::Denial, &ts(5))));
    fill_until_compaction(&mut kv, &mut a, 0, 10);
    // The own journal is cut down to the compacting save's change alone.
    let own = merge::parse_record(kv.value(&journal_key(&id(), "a")).unwrap().as_bytes(), Some(&id()), None).unwrap().record;
    assert_eq!(own.annotations.len(), 1, "the own journal holds only the last change");
    assert!(kv.value(&journal_key(&id(), "b")).is_some(), "a recent foreign journal is kept");
    let base = merge::parse_record(kv.value(&doc_key(&id())).unwrap().as_bytes(), Some(&id()), None).unwrap().record;
    assert!(base.annotations.iter().any(|x| x.id == "a9999"), "the base includes B's journal");
    let f = fresh(&mut kv);
    assert_eq!(f.annotations.len(), JOURNAL_MAX_ENTRIES + 2);
    // B keeps saving into its journal; nothing is lost.
    edit(&mut kv, &mut b, &ts(400), |c| c.push(ann(7777, Label::Claim, &ts(400))));
    let f = fresh(&mut kv);
    assert!(f.annotations.iter().any(|x| x.id == "a7777"));
    assert_eq!(f.annotations.len(), JOURNAL_MAX_ENTRIES + 3);
}

#[test]
fn compaction_folds_and_removes_a_stale_foreign_journal_and_the_legacy_one_but_keeps_a_recent_one() {
    let mut kv = MemKv::new();
    // Legacy shared journal of the previous version.
    kv.set(&delta_key(&id()), &DocRecord::new(vec![ann(500, Label::Claim, &ts(1))]).to_json(&meta())).unwrap();
    let mut old = open(&mut kv, "old");
    edit(&mut kv, &mut old, &ts(2), |c| c.push(ann(501, Label::Claim, &ts(2))));
    let late = 2 + STALE_JOURNAL_SECS as u64 + 60;
    let mut recent = open(&mut kv, "recent");
    edit(&mut kv, &mut recent, &ts(late - 600), |c| c.push(ann(502, Label::Claim, &ts(late - 600))));
    let mut a = open(&mut kv, "a");
    a.max_journal_entries = 0; // the next save compacts
    edit(&mut kv, &mut a, &ts(late), |c| c.push(ann(503, Label::Claim, &ts(late))));
    assert!(kv.value(&delta_key(&id())).is_none(), "legacy journal folded and removed");
    assert!(kv.value(&journal_key(&id(), "old")).is_none(), "stale journal folded and removed");
    assert!(kv.value(&journal_key(&id(), "recent")).is_some(), "recent journal kept");
    let f = fresh(&mut kv);
    for n in ["a500", "a501", "a502", "a503"] {
        assert!(ids(&f).contains(&n.to_string()), "{n}");
    }
}

// ------------------------------------------------------------------ quota

#[test]
fn a_failed_write_changes_nothing_and_the_next_save_succeeds_once_there_is_room() {
    let mut kv = with_base_a0();
    let mut a = open(&mut kv, "a");
    kv.quota_utf16 = Some(kv.used_utf16() + 10);
    let before_map = kv.map.clone();
    let before_known = a.known.clone();
    let mut cur = a.known.annotations.clone();
    cur.push(ann(1, Label::Claim, &ts(10)));
    assert!(a.save(&mut kv, &meta(), &cur, &ts(10)).is_err());
    assert_eq!(kv.map, before_map);
    assert_eq!(a.known, before_known);
    assert!(a.own.is_empty());
    // A compaction that fails its base write changes nothing either.
    kv.quota_utf16 = None;
    a.max_journal_entries = 0;
    kv.fail_next_sets(1);
    assert!(a.save(&mut kv, &meta(), &cur, &ts(11)).is_err());
    assert_eq!(kv.map, before_map);
    assert_eq!(a.known, before_known);
    // Room again: the same change is saved.
    let s = a.save(&mut kv, &meta(), &cur, &ts(12)).unwrap();
    assert!(s.wrote && s.compacted && !s.lost);
    assert_eq!(ids(&fresh(&mut kv)).len(), 2);
}

// ------------------------------------------------------------------ unreadable data

#[test]
fn an_unreadable_base_is_backed_up_reported_and_only_replaced_after_its_backup() {
    let mut kv = MemKv::new();
    kv.set(&doc_key(&id()), "{broken").unwrap();
    let loaded = DocStore::load(&mut kv, &id(), "a", &index(), ms(0));
    assert_eq!(loaded.problems.len(), 1);
    let p = &loaded.problems[0];
    let backup = p.backup.clone().expect("backed up");
    assert_eq!(kv.value(&backup), Some("{broken"));
    assert_eq!(kv.value(&doc_key(&id())), Some("{broken"), "not overwritten at load");
    let mut a = loaded.store;
    assert!(a.rewrite_whole);
    // Loading again reuses the backup.
    let again = DocStore::load(&mut kv, &id(), "b", &index(), ms(5));
    assert_eq!(again.problems[0].backup.as_deref(), Some(backup.as_str()));
    let s = edit(&mut kv, &mut a, &ts(10), |c| c.push(ann(1, Label::Claim, &ts(10))));
    assert!(s.compacted);
    assert_eq!(kv.value(&backup), Some("{broken"));
    assert_eq!(ids(&fresh(&mut kv)), vec!["a1"]);
}

#[test]
fn an_unreadable_base_that_cannot_be_backed_up_is_never_overwritten() {
    let mut kv = MemKv::new();
    kv.set(&doc_key(&id()), "{broken").unwrap();
    kv.fail_next_sets(1);
    let loaded = DocStore::load(&mut kv, &id(), "a", &index(), ms(0));
    assert!(loaded.problems[0].backup.is_none());
    let mut a = loaded.store;
    kv.fail_next_sets(1); // the backup at compaction fails too
    let s = edit(&mut kv, &mut a, &ts(10), |c| c.push(ann(1, Label::Claim, &ts(10))));
    assert!(!s.compacted && s.wrote && s.warning.is_some(), "{s:?}");
    assert_eq!(kv.value(&doc_key(&id())), Some("{broken"));
    assert!(kv.value(&journal_key(&id(), "a")).is_some(), "the change went to the journal");
}

#[test]
fn an_unreadable_journal_is_backed_up_reported_not_merged_and_left_in_place() {
    let mut kv = MemKv::new();
    let bad = journal_key(&id(), "b");
    kv.set(&bad, "[1,2").unwrap();
    let loaded = DocStore::load(&mut kv, &id(), "a", &index(), ms(0));
    assert_eq!(loaded.problems.len(), 1);
    assert_eq!(loaded.problems[0].key, bad);
    assert!(loaded.problems[0].backup.is_some());
    let mut a = loaded.store;
    a.max_journal_entries = 0;
    edit(&mut kv, &mut a, &ts(10_000), |c| c.push(ann(1, Label::Claim, &ts(10_000))));
    assert_eq!(kv.value(&bad), Some("[1,2"), "a compaction does not remove what it could not include");
}

#[test]
fn a_journal_with_quotes_that_do_not_match_the_text_is_unreadable() {
    let mut kv = MemKv::new();
    let mut x = ann(1, Label::Claim, &ts(1));
    x.quote = "zzz".into();
    let j = journal_to_json(&DocRecord::new(vec![x]), &meta(), "b", &ts(1)).unwrap();
    kv.set(&journal_key(&id(), "b"), &j).unwrap();
    let loaded = DocStore::load(&mut kv, &id(), "a", &index(), ms(0));
    assert_eq!(loaded.problems.len(), 1);
    assert!(loaded.store.known.is_empty());
}

// ------------------------------------------------------------------ other record operations

#[test]
fn load_record_write_whole_record_and_delete_document() {
    let mut kv = with_base_a0();
    let mut a = open(&mut kv, "a");
    edit(&mut kv, &mut a, &ts(10), |c| c.push(ann(1, Label::Claim, &ts(10))));
    let view = whole::load_record(&kv, &id(), &index()).unwrap().unwrap();
    assert_eq!(ids(&view).len(), 2);
    // Restoring a backup merges it into the base; journals stay.
    let restored = DocRecord::new(vec![ann(2, Label::Statistic, &ts(20))]);
    whole::write_whole_record(&mut kv, &meta(), &restored).unwrap();
    assert!(kv.value(&journal_key(&id(), "a")).is_some());
    assert_eq!(ids(&fresh(&mut kv)).len(), 3);
    // An unreadable base without a backup is not replaced.
    let mut kv2 = MemKv::new();
    kv2.set(&doc_key(&id()), "nope").unwrap();
    assert!(whole::write_whole_record(&mut kv2, &meta(), &restored).is_err());
    assert_eq!(kv2.value(&doc_key(&id())), Some("nope"));
    // Deleting removes every key of the document, tries all, reports the first error.
    kv.set(&keys::text_key(&id()), TEXT).unwrap();
    kv.set(&keys::history_key(&id()), "{}").unwrap();
    kv.set(&delta_key(&id()), "{}").unwrap();
    kv.set(LIBRARY_KEY, "kept").unwrap();
    kv.fail_next_removes(1);
    assert!(whole::delete_document(&mut kv, &id()).is_err());
    assert_eq!(kv.map.len(), 2, "{:?}", kv.map.keys().collect::<Vec<_>>()); // library + the base whose removal failed
    whole::delete_document(&mut kv, &id()).unwrap();
    assert_eq!(kv.map.keys().collect::<Vec<_>>(), vec![LIBRARY_KEY]);
}

#[test]
fn history_and_orphans_round_trip_and_report_unreadable_values() {
    let mut kv = MemKv::new();
    let (h, e) = extras::load_history(&kv, &id());
    assert!(e.is_none());
    extras::save_history(&mut kv, &id(), &h).unwrap();
    assert!(extras::load_history(&kv, &id()).1.is_none());
    kv.set(&keys::history_key(&id()), "garbage").unwrap();
    assert!(extras::load_history(&kv, &id()).1.is_some());
    let o = annotator_core::anchor::Orphan {
        id: "o1".into(),
        label: Label::Denial,
        quote: "gone".into(),
        note: "n".into(),
        speaker: String::new(),
        verdict: String::new(),
        links: Vec::new(),
        created: ts(1),
        modified: ts(1),
        start_hint: Some(3),
        end_hint: None,
        reason: "not found".into(),
    };
    extras::save_orphans(&mut kv, &id(), std::slice::from_ref(&o)).unwrap();
    assert_eq!(extras::load_orphans(&kv, &id()), (vec![o], None));
    extras::save_orphans(&mut kv, &id(), &[]).unwrap();
    assert!(kv.value(&keys::orphans_key(&id())).is_none());
    kv.set(&keys::orphans_key(&id()), "{}").unwrap();
    assert!(extras::load_orphans(&kv, &id()).1.is_some());
}

#[test]
fn back_up_reuses_a_backup_of_the_same_value_and_never_overwrites_another() {
    let mut kv = MemKv::new();
    let k1 = backup::back_up(&mut kv, "text-annotator.v2.doc.x", "raw1", 7).unwrap();
    assert_eq!(backup::back_up(&mut kv, "text-annotator.v2.doc.x", "raw1", 8).unwrap(), k1);
    let k2 = backup::back_up(&mut kv, "text-annotator.v2.doc.x", "raw2", 7).unwrap();
    assert_ne!(k1, k2);
    assert_eq!(kv.value(&k1), Some("raw1"));
    assert_eq!(kv.value(&k2), Some("raw2"));
}

// ------------------------------------------------------------------ boot and library

fn seed() -> DocMeta {
    let mut m = DocMeta::new("seed text", "Sample", "sample", "");
    m.seed = true;
    m
}

fn v1_kv() -> MemKv {
    let v: serde_json::Map<String, serde_json::Value> = serde_json::from_str(V1_FIXTURE).unwrap();
    let mut kv = MemKv::new();
    for (k, v) in v {
        kv.set(&k, v.as_str().unwrap()).unwrap();
    }
    kv
}

#[test]
fn boot_migrates_v1_data_inserts_the_seed_and_writes_the_library() {
    let mut kv = v1_kv();
    let v1_keys: Vec<String> = kv.map.keys().filter(|k| matches!(classify_key(k), StorageKey::V1Doc(_))).cloned().collect();
    assert!(!v1_keys.is_empty());
    let b = boot(&mut kv, seed(), ms(0));
    assert!(!b.library_unsafe_to_write);
    assert!(b.library.docs.iter().any(|d| d.seed));
    assert!(b.library.docs.len() > 1, "{:?}", b.notices);
    let stored = Library::from_json(kv.value(LIBRARY_KEY).unwrap().as_bytes()).unwrap();
    assert_eq!(stored, b.library);
    for k in &v1_keys {
        // Migrated keys are removed; unreadable ones are backed up and reported.
        if kv.value(k).is_some() {
            assert!(b.notices.iter().any(|n| n.contains(k.as_str())), "{k}: {:?}", b.notices);
        }
    }
    // A second boot reads the library as it is.
    let again = boot(&mut kv, seed(), ms(1));
    assert_eq!(again.library, b.library);
    assert!(again.notices.is_empty());
}

#[test]
fn boot_reports_failed_removals_and_does_not_hide_a_failed_migration() {
    let mut kv = v1_kv();
    kv.fail_next_removes(1);
    let b = boot(&mut kv, seed(), ms(0));
    assert!(b.notices.iter().any(|n| n.contains("could not be removed")), "{:?}", b.notices);

    let mut kv = v1_kv();
    kv.fail_next_sets(1);
    let b = boot(&mut kv, seed(), ms(0));
    assert!(b.notices.iter().any(|n| n.contains("will be tried again")));
    assert!(kv.value(LIBRARY_KEY).is_none(), "no library written, so the migration runs again");
    let b2 = boot(&mut kv, seed(), ms(1));
    assert!(kv.value(LIBRARY_KEY).is_some(), "{:?}", b2.notices);
}

#[test]
fn boot_backs_up_an_unreadable_library_and_rebuilds_it_from_records_journals_and_texts() {
    let mut kv = MemKv::new();
    let mut a = open(&mut kv, "a");
    edit(&mut kv, &mut a, &ts(1), |c| c.push(ann(1, Label::Claim, &ts(1))));
    let other = "Another text kept in local storage.";
    kv.set(&keys::text_key(&doc_id_for(other)), other).unwrap();
    kv.set(LIBRARY_KEY, "{not a library").unwrap();
    let b = boot(&mut kv, seed(), ms(0));
    assert_eq!(b.backups.len(), 1);
    assert_eq!(kv.value(&b.backups[0]), Some("{not a library"));
    assert!(b.library.contains(&id()), "found through its journal");
    assert!(b.library.contains(&doc_id_for(other)), "found through its text");
    assert!(b.library.docs.iter().any(|d| d.seed));
    assert!(Library::from_json(kv.value(LIBRARY_KEY).unwrap().as_bytes()).is_ok(), "rebuilt list written");
}

#[test]
fn an_unreadable_library_that_cannot_be_backed_up_is_not_overwritten_until_it_is() {
    let mut kv = MemKv::new();
    kv.set(LIBRARY_KEY, "{not a library").unwrap();
    kv.fail_next_sets(1);
    let mut b = boot(&mut kv, seed(), ms(0));
    assert!(b.library_unsafe_to_write);
    assert_eq!(kv.value(LIBRARY_KEY), Some("{not a library"));
    kv.fail_next_sets(1);
    assert!(save_library(&mut kv, &b.library, &mut b.library_unsafe_to_write, ms(1)).is_err());
    assert_eq!(kv.value(LIBRARY_KEY), Some("{not a library"));
    assert!(b.library_unsafe_to_write);
    save_library(&mut kv, &b.library, &mut b.library_unsafe_to_write, ms(2)).unwrap();
    assert!(!b.library_unsafe_to_write);
    assert!(kv.map.iter().any(|(k, v)| k.starts_with(keys::BACKUP_KEY_PREFIX) && v == "{not a library"));
}

#[test]
fn update_library_never_drops_a_document_another_tab_added() {
    let mut kv = MemKv::new();
    let mut b = boot(&mut kv, seed(), ms(0));
    let stale = b.library.clone();
    // Another tab adds a document.
    let added = DocMeta::new("text two", "Two", "two", &ts(1));
    update_library(&mut kv, &stale, &mut b.library_unsafe_to_write, ms(1), |l| l.add(added.clone()).map(|_| ())).unwrap();
    // This tab, with its stale copy, renames the seed.
    let seed_id = seed().id;
    let out = update_library(&mut kv, &stale, &mut b.library_unsafe_to_write, ms(2), |l| l.rename(&seed_id, "Renamed", &ts(2))).unwrap();
    assert!(out.contains(&added.id));
    assert_eq!(out.get(&seed_id).unwrap().title, "Renamed");
    assert_eq!(Library::from_json(kv.value(LIBRARY_KEY).unwrap().as_bytes()).unwrap(), out);
    // A failing change writes nothing.
    let before = kv.map.clone();
    assert!(update_library(&mut kv, &stale, &mut b.library_unsafe_to_write, ms(3), |_| Err(LibraryError::EmptyTitle)).is_err());
    assert_eq!(kv.map, before);
}

// ------------------------------------------------------------------ property

#[derive(Clone, Debug)]
enum Op {
    Add(usize, usize),
    Retag(usize, usize, usize),
    Note(usize, usize),
    Delete(usize, usize),
    Save(usize),
    Deliver(usize),
    Drop(usize),
    Reload(usize),
    Later,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..3usize, 0..8usize).prop_map(|(t, i)| Op::Add(t, i)),
        2 => (0..3usize, 0..8usize, 0..3usize).prop_map(|(t, i, l)| Op::Retag(t, i, l)),
        2 => (0..3usize, 0..8usize).prop_map(|(t, i)| Op::Note(t, i)),
        2 => (0..3usize, 0..8usize).prop_map(|(t, i)| Op::Delete(t, i)),
        4 => (0..3usize).prop_map(Op::Save),
        3 => (0..3usize).prop_map(Op::Deliver),
        1 => (0..3usize).prop_map(Op::Drop),
        1 => (0..3usize).prop_map(Op::Reload),
        1 => Just(Op::Later),
    ]
}

struct Tab {
    store: DocStore,
    current: Vec<Annotation>,
    inbox: std::collections::VecDeque<(String, Option<String>)>,
}

/// Every key whose value differs between two snapshots, with its new value.
fn changes(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for (k, v) in after {
        if before.get(k) != Some(v) {
            out.push((k.clone(), Some(v.clone())));
        }
    }
    for k in before.keys() {
        if !after.contains_key(k) {
            out.push((k.clone(), None));
        }
    }
    out
}

fn run(ops: &[Op], ntabs: usize, max_entries: usize) -> Result<(), TestCaseError> {
    let mut kv = MemKv::new();
    let names = ["a", "b", "c"];
    let mut tabs: Vec<Tab> = (0..ntabs)
        .map(|i| {
            let mut store = open(&mut kv, names[i]);
            store.max_journal_entries = max_entries;
            Tab { store, current: Vec::new(), inbox: Default::default() }
        })
        .collect();
    let mut clock = 10u64;
    for op in ops {
        clock += 1;
        let now = ts(clock);
        let before = kv.map.clone();
        let mut writer = None;
        match op.clone() {
            Op::Add(t, i) => {
                let t = &mut tabs[t % ntabs];
                if !t.current.iter().any(|a| a.id == format!("a{i}")) {
                    t.current.push(ann(i, Label::Claim, &now));
                }
            }
            Op::Retag(t, i, l) => {
                if let Some(a) = tabs[t % ntabs].current.iter_mut().find(|a| a.id == format!("a{i}")) {
                    a.label = Label::ALL[l];
                    a.modified = now.clone();
                }
            }
            Op::Note(t, i) => {
                if let Some(a) = tabs[t % ntabs].current.iter_mut().find(|a| a.id == format!("a{i}")) {
                    a.note = format!("note {clock}");
                    a.modified = now.clone();
                }
            }
            Op::Delete(t, i) => tabs[t % ntabs].current.retain(|a| a.id != format!("a{i}")),
            Op::Save(t) => {
                let t = t % ntabs;
                let tab = &mut tabs[t];
                let s = tab.store.save(&mut kv, &meta(), &tab.current, &now).map_err(|e| TestCaseError::fail(e.to_string()))?;
                if s.lost || s.compacted {
                    tab.current = tab.store.known.annotations.clone();
                }
                writer = Some(t);
            }
            Op::Deliver(t) => {
                let t = t % ntabs;
                let tab = &mut tabs[t];
                if let Some((k, v)) = tab.inbox.pop_front() {
                    // The app keeps its unsaved edits over what arrives.
                    let pending = tab.store.known.edit_delta(&tab.current, &now);
                    match tab.store.on_foreign_write(&k, v.as_deref(), &index()) {
                        Foreign::Merged => tab.current = merge::merge(&tab.store.known, &pending).annotations,
                        Foreign::OwnJournalRemoved => {
                            tab.store.rewrite_own(&mut kv, &meta(), &now).map_err(|e| TestCaseError::fail(e.to_string()))?;
                            writer = Some(t);
                        }
                        Foreign::Ignored => {}
                    }
                }
            }
            Op::Drop(t) => {
                tabs[t % ntabs].inbox.pop_front();
            }
            Op::Reload(t) => {
                let t = t % ntabs;
                // The page reloads (unsaved edits are gone), keeping its tab id.
                let mut store = open(&mut kv, names[t]);
                store.max_journal_entries = max_entries;
                tabs[t].current = store.known.annotations.clone();
                tabs[t].store = store;
                tabs[t].inbox.clear();
            }
            Op::Later => clock += STALE_JOURNAL_SECS as u64 + 1,
        }
        if let Some(w) = writer {
            for (k, v) in changes(&before, &kv.map) {
                for (i, tab) in tabs.iter_mut().enumerate() {
                    if i != w {
                        tab.inbox.push_back((k.clone(), v.clone()));
                    }
                }
            }
        }
    }
    let f = fresh(&mut kv);
    let mut all = DocRecord::default();
    for t in &tabs {
        all = merge::merge(&all, &t.store.known);
    }
    prop_assert_eq!(content(&f), content(&all));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever two or three tabs do, in any order, with or without seeing
    /// each other's writes, a fresh load holds exactly what they all saved.
    #[test]
    fn nothing_any_tab_saved_is_lost(ops in prop::collection::vec(op(), 1..60), ntabs in 2..=3usize, max_entries in 1..6usize) {
        run(&ops, ntabs, max_entries)?;
    }
}

#[test]
fn a_save_under_an_invalid_tab_id_is_refused_because_no_reader_would_see_it() {
    let mut kv = MemKv::new();
    let mut t = DocStore::load(&mut kv, &id(), "Bad.Tab", &index(), 0).store;
    let cur = vec![ann(1, Label::Claim, &ts(1))];
    assert!(t.save(&mut kv, &meta(), &cur, &ts(1)).is_err());
    assert!(kv.map.is_empty());
}

/// Two compactions whose read-then-write windows overlap: the base written
/// last (by a tab that read before the other's compaction) lacks the change
/// the first compaction made; that change still lives in the first tab's
/// journal (one writer), so a fresh load has it.
#[test]
fn a_base_overwritten_by_a_stale_compaction_keeps_the_compacting_change() {
    let mut kv = MemKv::new();
    let mut a = open(&mut kv, "a");
    for n in 0..JOURNAL_MAX_ENTRIES {
        let t = 10 + n as u64;
        edit(&mut kv, &mut a, &ts(t), |c| c.push(ann(n, Label::Claim, &ts(t))));
    }
    // What a second tab read just before A's compaction: base + A's full journal.
    let stale = fresh(&mut kv);
    let t = 10 + JOURNAL_MAX_ENTRIES as u64;
    let s = edit(&mut kv, &mut a, &ts(t), |c| c.push(ann(5000, Label::Denial, &ts(t))));
    assert!(s.compacted);
    // The other tab's base write lands after A's: it holds everything but A's last change.
    let meta = annotator_core::store::library::DocMeta::new(TEXT, "t", "t", "");
    kv.map.insert(doc_key(&id()), stale.to_json(&meta));
    let f = fresh(&mut kv);
    assert!(f.annotations.iter().any(|x| x.id == "a5000"), "the compacting save's change survives");
    assert_eq!(f.annotations.len(), JOURNAL_MAX_ENTRIES + 1);
}

/// An import of many annotations compacts at once; the journal does not
/// keep a second copy of it (quota), and the next edit writes only a journal.
#[test]
fn a_large_compacting_change_is_not_kept_twice_and_the_next_edit_is_small() {
    let mut kv = MemKv::new();
    let mut a = open(&mut kv, "a");
    let s = edit(&mut kv, &mut a, &ts(10), |c| c.extend((0..600).map(|n| ann(n, Label::Claim, &ts(10)))));
    assert!(s.compacted);
    assert!(kv.value(&journal_key(&id(), "a")).is_none(), "no second copy of the import");
    let s = edit(&mut kv, &mut a, &ts(11), |c| c.push(ann(900, Label::Denial, &ts(11))));
    assert!(!s.compacted, "the next edit is a small journal write");
    assert_eq!(fresh(&mut kv).annotations.len(), 601);
}
