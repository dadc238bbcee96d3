//! History: diff / apply_changes, bounded undo-redo stacks, recording through
//! the reducer, and the persisted JSON form.

mod common;

use annotator_core::history::{apply_changes, apply_recorded, diff, redo_state, undo_state, Change, Entry, History, DEFAULT_LIMIT};
use annotator_core::model::{text_order, Action, Annotation, Document, Label, State};
use common::*;
use proptest::prelude::*;
use std::rc::Rc;

const TEXT: &str = "Kabul denied 📊 the claim; Islamabad said 1,463 were injured. پاکستان کے وزیر دفاع 国防部长 e\u{301}!";

fn state() -> State {
    State::new(Rc::new(Document::new("Title", "name", TEXT)))
}

fn len() -> usize {
    TEXT.chars().count()
}

fn add(id: &str, start: usize, end: usize, label: Label) -> Action {
    Action::Add { id: id.into(), start, end, label, now: "t0".into() }
}

fn ids(anns: &[Annotation]) -> Vec<&str> {
    anns.iter().map(|a| a.id.as_str()).collect()
}

// ---------------------------------------------------------------- diff / apply_changes

#[test]
fn diff_reports_adds_deletes_and_edits_by_id() {
    let a = ann(TEXT, "a", 0, 5, Label::Claim);
    let b = ann(TEXT, "b", 6, 12, Label::Denial);
    let c = ann(TEXT, "c", 20, 25, Label::Statistic);
    let mut b2 = b.clone();
    b2.note = "edited".into();
    let changes = diff(&[a.clone(), b.clone()], &[b2.clone(), c.clone()]);
    assert_eq!(
        changes,
        vec![
            Change { before: Some(a.clone()), after: None },
            Change { before: Some(b.clone()), after: Some(b2.clone()) },
            Change { before: None, after: Some(c.clone()) },
        ]
    );
    assert!(diff(&[a.clone(), b.clone()], &[a.clone(), b.clone()]).is_empty());
    let old = vec![a, b];
    let new = vec![b2, c];
    assert_eq!(apply_changes(&old, &changes, true), new);
    assert_eq!(apply_changes(&new, &changes, false), old);
}

#[test]
fn apply_changes_keeps_text_order_and_never_duplicates_an_id() {
    let a = ann(TEXT, "a", 30, 35, Label::Claim);
    let b = ann(TEXT, "b", 0, 5, Label::Denial);
    let changes = vec![Change { before: None, after: Some(b.clone()) }];
    let out = apply_changes(std::slice::from_ref(&a), &changes, true);
    assert_eq!(ids(&out), ["b", "a"]);
    // Replaying an add on a list that already has the id replaces it (tolerant).
    let again = apply_changes(&out, &changes, true);
    assert_eq!(ids(&again), ["b", "a"]);
}

// ---------------------------------------------------------------- stacks

#[test]
fn record_clears_redo_and_empty_entries_are_ignored() {
    let s0 = state();
    let mut h = History::default();
    assert_eq!(h.limit(), DEFAULT_LIMIT);
    let s1 = apply_recorded(&s0, &mut h, add("a", 0, 5, Label::Claim), "Tag Kabul").unwrap();
    let s2 = apply_recorded(&s1, &mut h, add("b", 6, 12, Label::Denial), "Tag denied").unwrap();
    assert_eq!((h.undo_len(), h.redo_len()), (2, 0));
    assert_eq!(h.undo_description(), Some("Tag denied"));
    let (s1b, d) = undo_state(&s2, &mut h).unwrap();
    assert_eq!(d, "Tag denied");
    assert_eq!(s1b.annotations, s1.annotations);
    assert_eq!(h.redo_description(), Some("Tag denied"));
    // An empty entry neither records nor clears the redo stack.
    assert!(!h.record(Entry::new("nothing", vec![])));
    assert!(h.can_redo());
    // A new change clears it.
    let _ = apply_recorded(&s1b, &mut h, add("c", 20, 25, Label::Statistic), "Tag c").unwrap();
    assert!(!h.can_redo());
    assert_eq!(h.undo_len(), 2);
}

#[test]
fn select_and_refused_actions_record_nothing() {
    let mut h = History::default();
    let s1 = apply_recorded(&state(), &mut h, add("a", 0, 5, Label::Claim), "add").unwrap();
    let s2 = apply_recorded(&s1, &mut h, Action::Select(None), "select").unwrap();
    assert_eq!(s2.selected, None);
    let _ = apply_recorded(&s2, &mut h, Action::Select(Some("a".into())), "select").unwrap();
    assert!(apply_recorded(&s2, &mut h, add("a", 1, 3, Label::Claim), "dup").is_err());
    assert!(apply_recorded(&s2, &mut h, Action::Delete { id: "nope".into() }, "del").is_err());
    assert!(apply_recorded(&s2, &mut h, Action::Merge(vec![]), "empty import").is_ok());
    assert_eq!(h.undo_len(), 1);
}

#[test]
fn history_is_bounded_at_its_limit_dropping_the_oldest_steps() {
    let mut h = History::new(5);
    let mut states = vec![state()];
    for i in 0..12 {
        let s =
            apply_recorded(states.last().unwrap(), &mut h, add(&format!("a{i}"), i, i + 1, Label::Claim), &format!("step {i}")).unwrap();
        states.push(s);
    }
    assert_eq!(h.undo_len(), 5);
    let mut cur = states[12].clone();
    for k in (7..12).rev() {
        let (s, d) = undo_state(&cur, &mut h).unwrap();
        assert_eq!(d, format!("step {k}"));
        assert_eq!(s.annotations, states[k].annotations);
        cur = s;
    }
    assert!(undo_state(&cur, &mut h).is_none());
    assert_eq!(h.redo_len(), 5);
    h.set_limit(2);
    assert_eq!(h.redo_len(), 2);
    // The steps kept are the nearest ones.
    assert_eq!(h.redo_description(), Some("step 7"));
}

#[test]
fn default_limit_keeps_500_steps() {
    let mut h = History::default();
    let a = ann(TEXT, "a", 0, 1, Label::Claim);
    for i in 0..DEFAULT_LIMIT + 20 {
        h.record(Entry::new(format!("s{i}"), vec![Change { before: None, after: Some(a.clone()) }]));
    }
    assert_eq!(h.undo_len(), 500);
    assert_eq!(h.undo_entries().next().unwrap().description, "s20");
}

#[test]
fn an_import_is_one_step_and_one_undo_restores_the_state_before_it() {
    let mut h = History::default();
    let s1 = apply_recorded(&state(), &mut h, add("k", 0, 5, Label::Claim), "Tag Kabul").unwrap();
    // The import replaces "k" (same id, other label) and adds ten more.
    let mut incoming: Vec<Annotation> = (0..10).map(|i| ann(TEXT, &format!("imp{i}"), i * 3, i * 3 + 2, label_of(i))).collect();
    incoming.push(ann(TEXT, "k", 0, 5, Label::Denial));
    let s2 = apply_recorded(&s1, &mut h, Action::Merge(incoming), "Import 11 annotations").unwrap();
    assert_eq!(s2.annotations.len(), 11);
    assert_eq!(h.undo_len(), 2);
    let (back, d) = undo_state(&s2, &mut h).unwrap();
    assert_eq!(d, "Import 11 annotations");
    assert_eq!(back.annotations, s1.annotations);
    let (fwd, _) = redo_state(&back, &mut h).unwrap();
    assert_eq!(fwd.annotations, s2.annotations);
}

#[test]
fn undo_keeps_the_selection_only_if_its_annotation_still_exists() {
    let mut h = History::default();
    let s1 = apply_recorded(&state(), &mut h, add("a", 0, 5, Label::Claim), "add a").unwrap();
    assert_eq!(s1.selected.as_deref(), Some("a"));
    let (s0, _) = undo_state(&s1, &mut h).unwrap();
    assert_eq!(s0.selected, None);
}

#[test]
fn undo_on_a_state_changed_behind_its_back_clears_the_history() {
    let mut h = History::default();
    let s1 = apply_recorded(&state(), &mut h, add("a", 0, 5, Label::Claim), "add a").unwrap();
    // Retagged without recording: the history no longer describes the document.
    let s2 = s1.apply(Action::Retag { id: "a".into(), label: Label::Denial, now: "t1".into() }).unwrap();
    assert!(undo_state(&s2, &mut h).is_none());
    assert!(!h.can_undo() && !h.can_redo());
}

// ---------------------------------------------------------------- property: undo all, redo all

#[derive(Clone, Debug)]
enum Op {
    Add(usize, usize, usize),
    Retag(usize, usize),
    Note(usize, String),
    Delete(usize),
    Merge(Vec<(usize, usize, usize)>, usize),
    Select(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..200, 1usize..12, 0usize..3).prop_map(|(s, n, l)| Op::Add(s, n, l)),
        2 => (0usize..50, 0usize..3).prop_map(|(i, l)| Op::Retag(i, l)),
        2 => (0usize..50, "[a-zé ]{0,8}").prop_map(|(i, n)| Op::Note(i, n)),
        2 => (0usize..50).prop_map(Op::Delete),
        1 => (prop::collection::vec((0usize..200, 1usize..12, 0usize..3), 0..5), 0usize..50).prop_map(|(v, r)| Op::Merge(v, r)),
        1 => (0usize..50).prop_map(Op::Select),
    ]
}

fn to_action(s: &State, op: &Op, step: usize) -> Action {
    let n = s.annotations.len();
    let pick = |i: usize| if n == 0 { "missing".to_string() } else { s.annotations[i % n].id.clone() };
    let now = format!("t{step}");
    let span = |st: usize, w: usize| {
        let st = st % (len() - 1);
        (st, (st + w).min(len()))
    };
    match op {
        Op::Add(st, w, l) => {
            let (a, b) = span(*st, *w);
            Action::Add { id: format!("n{step}"), start: a, end: b, label: label_of(*l), now }
        }
        Op::Retag(i, l) => Action::Retag { id: pick(*i), label: label_of(*l), now },
        Op::Note(i, note) => Action::SetNote { id: pick(*i), note: note.clone(), now },
        Op::Delete(i) => Action::Delete { id: pick(*i) },
        Op::Select(i) => Action::Select(Some(pick(*i)).filter(|_| n > 0)),
        Op::Merge(v, r) => {
            let mut list: Vec<Annotation> = v
                .iter()
                .enumerate()
                .map(|(j, &(st, w, l))| {
                    let (a, b) = span(st, w);
                    ann(TEXT, &format!("m{step}_{j}"), a, b, label_of(l))
                })
                .collect();
            if n > 0 {
                // Replace one existing annotation too, as an import of a newer file would.
                let mut old = (*s.annotations[r % n]).clone();
                old.note = format!("imported {step}");
                list.push(old);
            }
            Action::Merge(list)
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn undo_all_restores_the_initial_state_and_redo_all_the_final_one(ops in prop::collection::vec(op(), 0..30)) {
        let mut h = History::default();
        let mut states = vec![state()];
        for (step, op) in ops.iter().enumerate() {
            let cur = states.last().unwrap().clone();
            let action = to_action(&cur, op, step);
            if let Ok(next) = apply_recorded(&cur, &mut h, action, &format!("step {step}")) {
                if next.annotations != cur.annotations {
                    states.push(next);
                }
            }
        }
        prop_assert_eq!(h.undo_len(), states.len() - 1);
        // The history survives a reload at every point.
        h = History::from_json(&h.to_json()).unwrap();
        let mut cur = states.last().unwrap().clone();
        for k in (0..states.len() - 1).rev() {
            let (s, _) = undo_state(&cur, &mut h).expect("an undo step");
            prop_assert_eq!(&s.annotations, &states[k].annotations);
            let mut sorted = (*s.annotations).clone();
            sorted.sort_by(|a, b| text_order(a, b));
            prop_assert_eq!(&sorted, &*s.annotations);
            cur = s;
        }
        prop_assert!(undo_state(&cur, &mut h).is_none());
        prop_assert!(cur.annotations.is_empty());
        h = History::from_json(&h.to_json()).unwrap();
        for want in &states[1..] {
            let (s, _) = redo_state(&cur, &mut h).expect("a redo step");
            prop_assert_eq!(&s.annotations, &want.annotations);
            cur = s;
        }
        prop_assert!(redo_state(&cur, &mut h).is_none());
        prop_assert_eq!(&cur.annotations, &states.last().unwrap().annotations);
    }

    #[test]
    fn from_json_on_arbitrary_text_is_an_error_not_a_panic(s in "\\PC{0,200}") {
        let _ = History::from_json(&s);
    }

    #[test]
    fn from_json_on_mangled_history_json_never_panics(cut in 0usize..2000, byte in 0u8..128, at in 0usize..2000) {
        let mut h = History::default();
        let s1 = apply_recorded(&state(), &mut h, add("a", 0, 5, Label::Claim), "add").unwrap();
        let _ = apply_recorded(&s1, &mut h, Action::SetNote { id: "a".into(), note: "n".into(), now: "t".into() }, "note").unwrap();
        let mut json = h.to_json().into_bytes();
        let at = at % json.len();
        json[at] = byte;
        json.truncate(cut % (json.len() + 1));
        if let Ok(s) = std::str::from_utf8(&json) {
            let _ = History::from_json(s);
        }
    }
}

// ---------------------------------------------------------------- JSON

fn sample_history() -> (History, State) {
    let mut h = History::default();
    let mut s = state();
    for i in 0..6 {
        s = apply_recorded(&s, &mut h, add(&format!("a{i}"), i * 4, i * 4 + 3, label_of(i)), &format!("Tag “{i}” ✓")).unwrap();
    }
    s = apply_recorded(&s, &mut h, Action::SetNote { id: "a1".into(), note: "line 1\nخط".into(), now: "t9".into() }, "Edit note").unwrap();
    let (s, _) = undo_state(&s, &mut h).unwrap();
    (h, s)
}

#[test]
fn json_round_trip_keeps_both_stacks() {
    let (h, s) = sample_history();
    let json = h.to_json();
    assert!(json.starts_with("{\"version\":1,\"undo\":["), "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["undo"].as_array().unwrap().len(), 6);
    assert_eq!(v["redo"].as_array().unwrap().len(), 1);
    assert_eq!(v["undo"][0]["changes"][0]["before"], serde_json::Value::Null);
    let back = History::from_json(&json).unwrap();
    assert_eq!(back, h);
    // serde directly, too.
    let via_serde: History = serde_json::from_str(&serde_json::to_string(&h).unwrap()).unwrap();
    assert_eq!(via_serde, h);
    // And it still works on the state.
    let mut back = back;
    let (redone, d) = redo_state(&s, &mut back).unwrap();
    assert_eq!(d, "Edit note");
    assert_eq!(redone.get("a1").unwrap().note, "line 1\nخط");
}

#[test]
fn from_json_refuses_garbage_and_invalid_histories_with_a_message() {
    let a = r#"{"id":"a","start":0,"end":5,"quote":"Kabul","label":"claim","note":"","created":"t","modified":"t"}"#;
    let b = r#"{"id":"b","start":0,"end":5,"quote":"Kabul","label":"claim","note":"","created":"t","modified":"t"}"#;
    let entry = |changes: &str| format!(r#"{{"version":1,"undo":[{{"description":"d","changes":[{changes}]}}],"redo":[]}}"#);
    let cases: Vec<(String, &str)> = vec![
        ("".into(), "not valid"),
        ("null".into(), "not valid"),
        ("[]".into(), "not valid"),
        ("{".into(), "not valid"),
        (r#"{"version":2,"undo":[],"redo":[]}"#.into(), "version 2"),
        (r#"{"version":1,"undo":[]}"#.into(), "redo"),
        (r#"{"version":1,"undo":[{"description":"d","changes":[]}],"redo":[]}"#.into(), "undo[0]: has no changes"),
        (entry(r#"{"before":null,"after":null}"#), "both before and after are null"),
        (entry(&format!(r#"{{"before":{a},"after":{b}}}"#)), "before has id"),
        (entry(&format!(r#"{{"before":null,"after":{a}}},{{"before":{a},"after":null}}"#)), "changed twice"),
        (entry(&format!(r#"{{"before":null,"after":{}}}"#, a.replace("\"start\":0", "\"start\":5"))), "must be less than end"),
        (entry(&format!(r#"{{"before":null,"after":{}}}"#, a.replace("Kabul", "Kab"))), "quote"),
        (entry(&format!(r#"{{"before":null,"after":{}}}"#, a.replace("claim", "rumour"))), "not valid"),
        (entry(&format!(r#"{{"before":null,"after":{}}}"#, a.replace("\"start\":0", "\"start\":-1"))), "not valid"),
        (entry(&format!(r#"{{"before":null,"after":{}}}"#, a.replace("\"id\":\"a\"", "\"id\":\"\""))), "id is empty"),
        ("[".repeat(100_000), "not valid"),
    ];
    for (json, want) in cases {
        let err = History::from_json(&json).expect_err(&json.chars().take(120).collect::<String>());
        assert!(err.contains(want), "{err:?} should mention {want:?}");
    }
    // A valid one for contrast.
    assert!(History::from_json(&entry(&format!(r#"{{"before":null,"after":{a}}}"#))).is_ok());
    assert_eq!(History::from_json(r#"{"version":1,"undo":[],"redo":[]}"#), Ok(History::default()));
}

#[test]
fn from_json_drops_steps_beyond_the_limit() {
    let (h, _) = sample_history();
    let small = History::from_json_with_limit(&h.to_json(), 2).unwrap();
    assert_eq!((small.undo_len(), small.redo_len()), (2, 1));
    assert_eq!(small.undo_entries().last(), h.undo_entries().last());
}

#[test]
fn to_json_bounded_drops_the_oldest_steps_until_it_fits() {
    let (h, _) = sample_history();
    let full = h.to_json();
    assert_eq!(h.to_json_bounded(full.len()), full);
    assert_eq!(h.to_json_bounded(usize::MAX), full);
    let mut last_undo = usize::MAX;
    for max in (0..full.len()).rev().step_by(37) {
        let json = h.to_json_bounded(max);
        let back = History::from_json(&json).unwrap();
        if max >= 33 {
            assert!(json.len() <= max, "{} > {max}", json.len());
        }
        // The kept steps are the most recent ones.
        let kept: Vec<&Entry> = back.undo_entries().collect();
        let orig: Vec<&Entry> = h.undo_entries().collect();
        assert_eq!(kept[..], orig[orig.len() - kept.len()..]);
        assert!(kept.len() <= last_undo);
        last_undo = kept.len();
        if back.redo_len() == 0 {
            assert_eq!(back.undo_len(), 0, "redo is dropped only after undo");
        }
    }
    assert_eq!(h.to_json_bounded(0), r#"{"version":1,"undo":[],"redo":[]}"#);
}

// ---------------------------------------------------------------- diff fast path

/// The by-id definition of `diff` (deletes and edits in old order, then adds
/// in new order), written plainly as the reference for the merge-walk path.
fn reference_diff(old: &[Annotation], new: &[Annotation]) -> Vec<Change> {
    let mut out = Vec::new();
    for a in old {
        match new.iter().find(|b| b.id == a.id) {
            None => out.push(Change { before: Some(a.clone()), after: None }),
            Some(b) if b != a => out.push(Change { before: Some(a.clone()), after: Some(b.clone()) }),
            Some(_) => {}
        }
    }
    for b in new {
        if !old.iter().any(|a| a.id == b.id) {
            out.push(Change { before: None, after: Some(b.clone()) });
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Sorted lists take the merge walk; it must agree with the by-id
    /// definition, including annotations that moved (same id, new offsets),
    /// and an unsorted list must give the same answer too.
    #[test]
    fn diff_of_ordered_lists_matches_the_by_id_definition(
        base in prop::collection::vec((0usize..40, 1usize..8, 0usize..3), 0..25),
        edits in prop::collection::vec((0usize..30, 0usize..5, 0usize..40, 1usize..8), 0..12),
        shuffle in any::<bool>(),
    ) {
        let text: String = "abcdefghij".repeat(5);
        let mk = |id: usize, s: usize, l: usize, lab: usize| ann(&text, &format!("id{id}"), s, (s + l).min(50), label_of(lab));
        let mut old: Vec<Annotation> = base.iter().enumerate().map(|(i, &(s, l, lab))| mk(i, s, l, lab)).collect();
        old.sort_by(text_order);
        let mut new = old.clone();
        for &(which, kind, s, l) in &edits {
            if new.is_empty() && kind != 4 { continue; }
            let k = if new.is_empty() { 0 } else { which % new.len() };
            match kind {
                0 => { new.remove(k); }
                1 => { new[k].label = label_of(which + 1); }
                2 => { new[k].note = format!("note {which}"); }
                3 => { let id = new[k].id.clone(); let lab = which; new[k] = mk(0, s, l, lab); new[k].id = id; }
                _ => { new.push(mk(100 + which, s, l, which)); }
            }
        }
        new.sort_by(text_order);
        let mut seen = std::collections::HashSet::new();
        new.retain(|a| seen.insert(a.id.clone()));
        prop_assert_eq!(diff(&old, &new), reference_diff(&old, &new));
        if shuffle {
            new.reverse();
            prop_assert_eq!(diff(&old, &new), reference_diff(&old, &new));
        }
    }
}
