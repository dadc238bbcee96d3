//! Model: selection normalisation and the pure reducer `State::apply`.

mod common;

use annotator_core::model::links::{Link, LinkKind};
use annotator_core::model::{normalize_selection, text_order, Action, Annotation, Document, Label, ModelError, State};
use annotator_core::text::text_index::TextIndex;
use common::*;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::rc::Rc;
use unicode_segmentation::UnicodeSegmentation;

fn state(text: &str) -> State {
    State::new(Rc::new(Document::new("Title", "name", text)))
}

fn add(id: &str, start: usize, end: usize, label: Label) -> Action {
    Action::Add { id: id.into(), start, end, label, now: "t0".into() }
}

fn cp_of(text: &str, needle: &str) -> (usize, usize) {
    let b = text.find(needle).expect("needle in text");
    let start = text[..b].chars().count();
    (start, start + needle.chars().count())
}

fn norm(text: &str, a: usize, b: usize) -> Result<(usize, usize), ModelError> {
    normalize_selection(&TextIndex::new(text), a, b)
}

fn assert_sorted(anns: &[Annotation]) {
    for w in anns.windows(2) {
        assert!(text_order(&w[0], &w[1]).is_lt(), "not in text order: {:?} then {:?}", w[0], w[1]);
    }
}

// ---------------------------------------------------------------- normalize_selection

#[test]
fn normalize_selection_trims_spaces_nbsp_tabs_and_newlines() {
    let text = "x \u{a0}\t\nhello world\u{a0} \n y";
    let (s, e) = norm(text, 1, text.chars().count() - 1).unwrap();
    assert_eq!(TextIndex::new(text).slice_cp(s, e), Some("hello world"));
}

#[test]
fn normalize_selection_trims_crlf_on_both_sides() {
    let text = "a\r\n\r\nword\r\nb";
    let idx = TextIndex::new(text);
    let (s, e) = normalize_selection(&idx, 1, 9).unwrap();
    assert_eq!(idx.slice_cp(s, e), Some("word"));
    // A selection ending between CR and LF widens past the LF and is then trimmed.
    let (s, e) = normalize_selection(&idx, 5, 10).unwrap();
    assert_eq!((s, e), (5, 9));
}

#[test]
fn normalize_selection_reverses_reversed_input() {
    let text = "The minister said 789 attacks";
    assert_eq!(norm(text, 21, 4), norm(text, 4, 21));
    assert_eq!(norm(text, 21, 4).unwrap(), (4, 21));
}

#[test]
fn normalize_selection_inside_a_flag_widens_to_the_whole_flag() {
    let text = "flag 🇵🇰 here";
    let flag = cp_of(text, "🇵🇰");
    assert_eq!(norm(text, flag.0 + 1, flag.0 + 1 + 1), Ok(flag));
    assert_eq!(norm(text, flag.0 + 1, flag.1), Ok(flag));
    assert_eq!(norm(text, flag.0, flag.0 + 1), Ok(flag));
}

#[test]
fn normalize_selection_inside_a_zwj_family_widens_to_the_whole_family() {
    let text = "family 👩\u{200d}👩\u{200d}👧 emoji";
    let fam = cp_of(text, "👩\u{200d}👩\u{200d}👧");
    assert_eq!(fam.1 - fam.0, 5);
    for a in fam.0..fam.1 {
        for b in a + 1..=fam.1 {
            assert_eq!(norm(text, a, b), Ok(fam), "selection {a}..{b}");
        }
    }
    // Partly inside: start widens left, the rest is kept.
    let (s, e) = norm(text, fam.0 + 2, fam.1 + 6).unwrap();
    assert_eq!(TextIndex::new(text).slice_cp(s, e), Some("👩\u{200d}👩\u{200d}👧 emoji"));
}

#[test]
fn normalize_selection_never_splits_a_combining_accent() {
    let text = "Cafe\u{301} crème";
    // Selecting just "Cafe" (without the accent) widens to include it.
    assert_eq!(norm(text, 0, 4), Ok((0, 5)));
    // Starting on the accent widens back to the 'e'.
    assert_eq!(norm(text, 4, 5), Ok((3, 5)));
}

#[test]
fn normalize_selection_empty_or_whitespace_only_is_refused() {
    let text = "a \u{a0}\t\r\n\n b";
    for (a, b) in [(0, 0), (3, 3), (1, 8), (8, 1), (4, 6), (5, 5)] {
        assert_eq!(norm(text, a, b), Err(ModelError::EmptySelection), "selection {a}..{b}");
    }
    assert_eq!(norm("", 0, 0), Err(ModelError::EmptySelection));
    assert_eq!(norm("", 3, 9), Err(ModelError::EmptySelection));
    // Past the end: clamped to the text.
    assert_eq!(norm("abc", 100, 200), Err(ModelError::EmptySelection));
    assert_eq!(norm("abc ", 1, 200), Ok((1, 3)));
}

#[test]
fn normalize_selection_does_not_cut_a_space_plus_combining_mark_cluster() {
    // " \u{301}" (a space carrying a combining accent) is one grapheme cluster:
    // trimming the space alone would leave a selection starting inside it.
    let text = "a \u{301}x";
    assert_eq!(norm(text, 1, 4), Ok((1, 4)));
    let text = "x\u{a0}\u{64e} y"; // NBSP carrying an Arabic fatha, then a plain space
    assert_eq!(norm(text, 0, 5), Ok((0, 5)));
    assert_eq!(norm(text, 3, 5), Ok((4, 5)));
}

/// Pool pieces plus stray combining marks that attach to whatever precedes them.
fn text_with_stray_marks(max: usize) -> impl Strategy<Value = String> {
    let pool: Vec<&'static str> = POOL.iter().copied().chain(["\u{301}", "\u{64e}", "\u{200d}", " ", " "]).collect();
    prop::collection::vec(prop::sample::select(pool), 0..max).prop_map(|v| v.concat())
}

fn starts_or_ends_blank(q: &str) -> bool {
    let blank = |g: &str| g.chars().all(char::is_whitespace);
    let mut gs = q.graphemes(true);
    gs.next().is_none_or(blank) || gs.next_back().is_some_and(blank)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn normalize_selection_yields_trimmed_non_empty_span_on_grapheme_boundaries(
        text in text_with_stray_marks(60), a in 0usize..400, b in 0usize..400,
    ) {
        let idx = TextIndex::new(text.as_str());
        let len = idx.len_cp();
        let (a, b) = (a % (len + 2), b % (len + 2));
        match normalize_selection(&idx, a, b) {
            Ok((s, e)) => {
                prop_assert!(s < e && e <= len);
                prop_assert!(idx.is_grapheme_boundary(s) && idx.is_grapheme_boundary(e), "{}..{} cuts a cluster", s, e);
                let q = idx.slice_cp(s, e).unwrap();
                prop_assert!(!starts_or_ends_blank(q), "{:?}", q);
                // Stays within the raw selection widened to whole clusters.
                let (lo, hi) = (a.min(b).min(len), a.max(b).min(len));
                prop_assert!(idx.grapheme_floor(lo) <= s && e <= idx.grapheme_ceil(hi));
                prop_assert_eq!(normalize_selection(&idx, b, a), Ok((s, e)));
                // Normalising again changes nothing.
                prop_assert_eq!(normalize_selection(&idx, s, e), Ok((s, e)));
            }
            Err(err) => {
                prop_assert_eq!(err, ModelError::EmptySelection);
                let (lo, hi) = (a.min(b).min(len), a.max(b).min(len));
                let widened = idx.slice_cp(idx.grapheme_floor(lo), idx.grapheme_ceil(hi)).unwrap();
                prop_assert!(widened.graphemes(true).all(|g| g.chars().all(char::is_whitespace)), "refused {:?}", widened);
            }
        }
    }
}

// ---------------------------------------------------------------- reducer

#[test]
fn add_inserts_in_text_order_and_sets_quote_to_the_text_slice() {
    let text = "Kabul denied 📊 the claim; Islamabad said 1,463 were injured.";
    let s0 = state(text);
    let c = cp_of(text, "1,463 were injured");
    let d = cp_of(text, "denied 📊 the claim");
    let k = cp_of(text, "Kabul");
    let s1 = s0.apply(add("c", c.0, c.1, Label::Statistic)).unwrap();
    let s2 = s1.apply(add("d", d.0, d.1, Label::Denial)).unwrap();
    let s3 = s2.apply(add("k", k.0, k.1, Label::Claim)).unwrap();
    let ids: Vec<&str> = s3.annotations.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["k", "d", "c"]);
    assert_eq!(s3.get("d").unwrap().quote, "denied 📊 the claim");
    assert_eq!(s3.get("c").unwrap().quote, "1,463 were injured");
    assert_eq!(s3.get("k").unwrap().quote, "Kabul");
    assert_eq!(s3.selected.as_deref(), Some("k"), "the new annotation is selected");
    let a = s3.get("d").unwrap();
    assert_eq!((a.label, a.note.as_str(), a.created.as_str(), a.modified.as_str()), (Label::Denial, "", "t0", "t0"));
    // Earlier states are untouched (persistent values).
    assert!(s0.annotations.is_empty());
    assert_eq!(s1.annotations.len(), 1);
}

#[test]
fn add_refuses_empty_reversed_and_out_of_range_spans() {
    let s = state("abc");
    assert_eq!(s.apply(add("x", 1, 1, Label::Claim)), Err(ModelError::EmptySelection));
    assert_eq!(s.apply(add("x", 2, 1, Label::Claim)), Err(ModelError::OutOfRange { start: 2, end: 1, len: 3 }));
    assert_eq!(s.apply(add("x", 1, 4, Label::Claim)), Err(ModelError::OutOfRange { start: 1, end: 4, len: 3 }));
    assert_eq!(s.apply(add("x", 5, 5, Label::Claim)), Err(ModelError::OutOfRange { start: 5, end: 5, len: 3 }));
    assert!(s.annotations.is_empty());
}

#[test]
fn add_with_an_existing_id_is_refused() {
    let s = state("abcdef").apply(add("x", 0, 2, Label::Claim)).unwrap();
    assert_eq!(s.apply(add("x", 3, 5, Label::Denial)), Err(ModelError::DuplicateId("x".into())));
}

#[test]
fn duplicate_same_span_same_label_is_refused_but_another_label_is_allowed() {
    let s = state("the claim text").apply(add("a", 4, 9, Label::Claim)).unwrap();
    let before = s.clone();
    assert_eq!(s.apply(add("b", 4, 9, Label::Claim)), Err(ModelError::DuplicateSpan { label: Label::Claim, quote: "claim".into() }));
    assert_eq!(s, before);
    let s2 = s.apply(add("b", 4, 9, Label::Statistic)).unwrap();
    assert_eq!(s2.annotations.len(), 2);
}

#[test]
fn overlapping_and_nested_spans_are_allowed_and_ordered_outer_first() {
    let text = "Pakistan's Defence Minister Khawaja Asif";
    let s = state(text)
        .apply(add("inner", 11, 27, Label::Claim))
        .and_then(|s| s.apply(add("outer", 0, 40, Label::Denial)))
        .and_then(|s| s.apply(add("overlap", 20, 35, Label::Statistic)))
        .and_then(|s| s.apply(add("same-start", 11, 18, Label::Claim)))
        .unwrap();
    let ids: Vec<&str> = s.annotations.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["outer", "inner", "same-start", "overlap"]);
    assert_sorted(&s.plain());
}

#[test]
fn retag_setnote_delete_and_select_of_unknown_id_error_and_leave_state_unchanged() {
    let s = state("abc def").apply(add("a", 0, 3, Label::Claim)).unwrap();
    let before = s.clone();
    let unknown = || ModelError::UnknownId("nope".into());
    assert_eq!(s.apply(Action::Retag { id: "nope".into(), label: Label::Denial, now: "t1".into() }), Err(unknown()));
    assert_eq!(s.apply(Action::SetNote { id: "nope".into(), note: "n".into(), now: "t1".into() }), Err(unknown()));
    assert_eq!(s.apply(Action::Delete { id: "nope".into() }), Err(unknown()));
    assert_eq!(s.apply(Action::Select(Some("nope".into()))), Err(unknown()));
    assert_eq!(s, before);
}

#[test]
fn retag_and_setnote_change_only_label_note_and_modified() {
    let s = state("abc def").apply(add("a", 4, 7, Label::Claim)).unwrap();
    let s = s.apply(Action::Retag { id: "a".into(), label: Label::Statistic, now: "t1".into() }).unwrap();
    let s = s.apply(Action::SetNote { id: "a".into(), note: "a note ✍".into(), now: "t2".into() }).unwrap();
    let a = s.get("a").unwrap();
    assert_eq!((a.start, a.end, a.quote.as_str()), (4, 7, "def"));
    assert_eq!((a.label, a.note.as_str(), a.created.as_str(), a.modified.as_str()), (Label::Statistic, "a note ✍", "t0", "t2"));
}

#[test]
fn delete_removes_the_annotation_and_clears_its_selection() {
    let s = state("abc def ghi").apply(add("a", 0, 3, Label::Claim)).and_then(|s| s.apply(add("b", 4, 7, Label::Claim))).unwrap();
    assert_eq!(s.selected.as_deref(), Some("b"));
    let kept = s.apply(Action::Delete { id: "a".into() }).unwrap();
    assert_eq!(kept.selected.as_deref(), Some("b"), "deleting another annotation keeps the selection");
    let cleared = s.apply(Action::Delete { id: "b".into() }).unwrap();
    assert_eq!(cleared.selected, None);
    assert!(cleared.get("b").is_none());
    assert_eq!(cleared.annotations.len(), 1);
}

#[test]
fn select_sets_and_clears_the_selection() {
    let s = state("abc").apply(add("a", 0, 3, Label::Claim)).unwrap();
    let none = s.apply(Action::Select(None)).unwrap();
    assert_eq!(none.selected, None);
    assert_eq!(none.apply(Action::Select(Some("a".into()))).unwrap().selected.as_deref(), Some("a"));
}

#[test]
fn counts_are_per_label_in_label_all_order() {
    let s = state("one two three four five")
        .apply(add("1", 0, 3, Label::Claim))
        .and_then(|s| s.apply(add("2", 4, 7, Label::Statistic)))
        .and_then(|s| s.apply(add("3", 8, 13, Label::Statistic)))
        .and_then(|s| s.apply(add("4", 14, 18, Label::Denial)))
        .and_then(|s| s.apply(add("5", 19, 23, Label::Statistic)))
        .unwrap();
    assert_eq!(s.counts(), [1, 1, 3]);
    let s = s.apply(Action::Retag { id: "2".into(), label: Label::Claim, now: "t".into() }).unwrap();
    assert_eq!(s.counts(), [2, 1, 2]);
    let s = s.apply(Action::Delete { id: "1".into() }).unwrap();
    assert_eq!(s.counts(), [1, 1, 2]);
    assert_eq!(state("x").counts(), [0, 0, 0]);
}

#[test]
fn merge_replaces_same_id_adds_new_ids_and_keeps_text_order() {
    let text = "alpha beta gamma delta";
    let s = state(text).apply(add("a", 0, 5, Label::Claim)).and_then(|s| s.apply(add("b", 11, 16, Label::Claim))).unwrap();
    let mut replaced = ann(text, "b", 6, 10, Label::Denial);
    replaced.note = "moved".into();
    let new = ann(text, "z", 17, 22, Label::Statistic);
    let s = s.apply(Action::Merge(vec![new.clone(), replaced.clone()])).unwrap();
    assert_eq!(s.annotations.len(), 3);
    assert_eq!(s.get("b"), Some(&replaced));
    assert_eq!(s.get("z"), Some(&new));
    assert_sorted(&s.plain());
    assert_eq!(s.selected.as_deref(), Some("b"), "a selection still present survives a merge");
}

#[test]
fn with_annotations_sorts_into_text_order() {
    let text = "alpha beta gamma";
    let doc = Rc::new(Document::new("t", "n", text));
    let s = State::with_annotations(
        doc,
        vec![ann(text, "c", 11, 16, Label::Claim), ann(text, "b", 0, 5, Label::Claim), ann(text, "a", 0, 10, Label::Denial)],
    );
    let ids: Vec<&str> = s.annotations.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
}

#[test]
fn label_parse_key_and_names() {
    assert_eq!(Label::parse(" CLAIM "), Some(Label::Claim));
    assert_eq!(Label::parse("Denial"), Some(Label::Denial));
    assert_eq!(Label::parse("statistic"), Some(Label::Statistic));
    assert_eq!(Label::parse("stat"), None);
    assert_eq!(["1", "2", "3", "4"].map(Label::from_key), [Some(Label::Claim), Some(Label::Denial), Some(Label::Statistic), None]);
    for l in Label::ALL {
        assert_eq!(Label::parse(l.as_str()), Some(l));
        assert_eq!(Label::parse(l.display()), Some(l));
        assert_eq!(l.to_string(), l.display());
    }
}

#[test]
fn document_id_is_stable_and_depends_on_the_exact_text() {
    let a = Document::new("t", "n", "text\r\n");
    let b = Document::new("other title", "other", "text\r\n");
    let c = Document::new("t", "n", "text\n");
    assert_eq!(a.id, b.id);
    assert_ne!(a.id, c.id);
    assert_eq!(a.id.len(), 16);
    assert_eq!(Document::new("t", "n", "").id, "cbf29ce484222325");
}

// ---------------------------------------------------------------- reducer property

#[derive(Debug, Clone)]
enum Op {
    /// Add via normalize_selection (as the UI does) when `raw` is false.
    Add {
        id: usize,
        a: usize,
        b: usize,
        label: usize,
        raw: bool,
    },
    Retag {
        id: usize,
        label: usize,
    },
    Delete {
        id: usize,
    },
    SetNote {
        id: usize,
        note: String,
    },
    Select {
        id: Option<usize>,
    },
    Merge(Vec<(usize, usize, usize, usize)>),
    Link {
        from: usize,
        to: usize,
        kind: usize,
    },
    Unlink {
        from: usize,
        to: usize,
    },
    /// Deletes (deduplicated) then upserts, in one action.
    Settle(Vec<usize>, Vec<(usize, usize, usize, usize)>),
}

fn op_strategy() -> impl Strategy<Value = Op> {
    let id = 0usize..8;
    prop_oneof![
        4 => (id.clone(), 0usize..1000, 0usize..1000, 0usize..3, prop::bool::weighted(0.2))
            .prop_map(|(id, a, b, label, raw)| Op::Add { id, a, b, label, raw }),
        2 => (id.clone(), 0usize..3).prop_map(|(id, label)| Op::Retag { id, label }),
        2 => id.clone().prop_map(|id| Op::Delete { id }),
        1 => (id.clone(), "[a-z✍📊 ]{0,6}").prop_map(|(id, note)| Op::SetNote { id, note }),
        1 => prop::option::of(id.clone()).prop_map(|id| Op::Select { id }),
        1 => prop::collection::vec((id.clone(), 0usize..1000, 0usize..1000, 0usize..3), 0..4).prop_map(Op::Merge),
        3 => (id.clone(), id.clone(), 0usize..4).prop_map(|(from, to, kind)| Op::Link { from, to, kind }),
        1 => (id.clone(), id.clone()).prop_map(|(from, to)| Op::Unlink { from, to }),
        1 => (prop::collection::vec(id.clone(), 0..3), prop::collection::vec((id, 0usize..1000, 0usize..1000, 0usize..3), 0..3))
            .prop_map(|(d, u)| Op::Settle(d, u)),
    ]
}

/// The annotations of a generated merge: one per id (the first), spans
/// folded into the text of `len` code points.
fn merged(text: &str, len: usize, items: &[(usize, usize, usize, usize)]) -> Vec<Annotation> {
    let mut seen = std::collections::HashSet::new();
    items
        .iter()
        .filter(|(id, ..)| seen.insert(*id))
        .map(|&(id, a, b, l)| {
            let (a, b) = (a % len, b % len);
            ann(text, &id_name(id), a.min(b), a.max(b) + 1, label_of(l))
        })
        .collect()
}

fn id_name(i: usize) -> String {
    format!("id{i}")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn random_action_sequences_keep_quotes_exact_and_list_in_text_order(
        text in text_strategy(50),
        ops in prop::collection::vec(op_strategy(), 0..40),
    ) {
        let idx = TextIndex::new(text.as_str());
        let len = idx.len_cp();
        let mut s = state(&text);
        // Reference model: id -> annotation.
        let mut model: BTreeMap<String, Annotation> = BTreeMap::new();
        for op in ops {
            let before = s.clone();
            let action = match &op {
                Op::Add { id, a, b, label, raw } => {
                    let (start, end) = if *raw {
                        (a % (len + 2), b % (len + 2))
                    } else {
                        match normalize_selection(&idx, a % (len + 1), b % (len + 1)) {
                            Ok(span) => span,
                            Err(_) => continue,
                        }
                    };
                    Action::Add { id: id_name(*id), start, end, label: label_of(*label), now: "t".into() }
                }
                Op::Retag { id, label } => Action::Retag { id: id_name(*id), label: label_of(*label), now: "t2".into() },
                Op::Delete { id } => Action::Delete { id: id_name(*id) },
                Op::SetNote { id, note } => Action::SetNote { id: id_name(*id), note: note.clone(), now: "t3".into() },
                Op::Select { id } => Action::Select(id.map(id_name)),
                Op::Merge(items) => {
                    if len == 0 { continue; }
                    Action::Merge(merged(&text, len, items))
                }
                Op::Link { from, to, kind } => {
                    Action::Link { from: id_name(*from), to: id_name(*to), kind: LinkKind::ALL[*kind], now: "t4".into() }
                }
                Op::Unlink { from, to } => Action::Unlink { from: id_name(*from), to: id_name(*to), now: "t5".into() },
                Op::Settle(deletes, items) => {
                    if len == 0 { continue; }
                    let upserts = merged(&text, len, items);
                    let mut deletes: Vec<String> = deletes.iter().map(|&d| id_name(d)).collect();
                    deletes.dedup();
                    Action::Settle { upserts, deletes }
                }
            };
            // What the reference model expects.
            let expect_ok = match &action {
                Action::Add { id, start, end, label, .. } => {
                    *start < *end && *end <= len && !model.contains_key(id)
                        && !model.values().any(|a| a.start == *start && a.end == *end && a.label == *label)
                }
                Action::Retag { id, .. } | Action::SetNote { id, .. } | Action::Delete { id } => model.contains_key(id),
                Action::SetAttributes { id, .. } => model.contains_key(id),
                Action::Select(sel) => sel.as_ref().is_none_or(|id| model.contains_key(id)),
                Action::Merge(_) => true,
                Action::Settle { deletes, .. } => {
                    let unique: std::collections::BTreeSet<&String> = deletes.iter().collect();
                    unique.len() == deletes.len() && deletes.iter().all(|d| model.contains_key(d))
                }
                Action::Link { from, to, .. } => from != to && model.contains_key(from) && model.contains_key(to),
                Action::Unlink { from, .. } => model.contains_key(from),
            };
            match s.apply(action.clone()) {
                Ok(next) => {
                    prop_assert!(expect_ok, "accepted {:?}", action);
                    match action {
                        Action::Add { id, start, end, label, now } => {
                            model.insert(id.clone(), Annotation {
                                id, start, end, quote: naive_slice(&text, start, end), label,
                                note: String::new(), speaker: String::new(), verdict: String::new(), links: Vec::new(), created: now.clone(), modified: now,
                            });
                        }
                        Action::Retag { id, label, now } => {
                            let a = model.get_mut(&id).unwrap();
                            a.label = label;
                            a.modified = now;
                        }
                        Action::SetNote { id, note, now } => {
                            let a = model.get_mut(&id).unwrap();
                            a.note = note;
                            a.modified = now;
                        }
                        Action::SetAttributes { id, speaker, verdict, now } => {
                            let a = model.get_mut(&id).unwrap();
                            if a.speaker != speaker || a.verdict != verdict {
                                a.speaker = speaker;
                                a.verdict = verdict;
                                a.modified = now;
                            }
                        }
                        Action::Delete { id } => {
                            model.remove(&id);
                            for a in model.values_mut() {
                                a.links.retain(|l| l.to != id);
                            }
                            if before.selected.as_deref() == Some(id.as_str()) {
                                prop_assert_eq!(&next.selected, &None);
                            }
                        }
                        Action::Select(sel) => prop_assert_eq!(&next.selected, &sel),
                        Action::Merge(anns) => {
                            for a in anns {
                                model.insert(a.id.clone(), a);
                            }
                        }
                        Action::Settle { upserts, deletes } => {
                            for id in deletes {
                                model.remove(&id);
                                for a in model.values_mut() {
                                    a.links.retain(|l| l.to != id);
                                }
                            }
                            for a in upserts {
                                model.insert(a.id.clone(), a);
                            }
                        }
                        Action::Link { from, to, kind, now } => {
                            let a = model.get_mut(&from).unwrap();
                            if !a.links.iter().any(|l| l.to == to && l.kind == kind) {
                                a.links.retain(|l| l.to != to);
                                a.links.push(Link { to, kind });
                                a.links.sort();
                                a.modified = now;
                            }
                        }
                        Action::Unlink { from, to, now } => {
                            let a = model.get_mut(&from).unwrap();
                            if a.links.iter().any(|l| l.to == to) {
                                a.links.retain(|l| l.to != to);
                                a.modified = now;
                            }
                        }
                    }
                    s = next;
                }
                Err(e) => {
                    prop_assert!(!expect_ok, "refused {:?}: {:?}", action, e);
                    prop_assert_eq!(&s, &before);
                }
            }
            // Invariants after every step.
            for a in s.annotations.iter() {
                prop_assert!(a.start < a.end && a.end <= len);
                prop_assert_eq!(idx.slice_cp(a.start, a.end), Some(a.quote.as_str()), "quote of {}", a.id);
            }
            for w in s.annotations.windows(2) {
                prop_assert!(text_order(&w[0], &w[1]).is_lt(), "not in text order");
            }
            let got: BTreeMap<String, Annotation> = s.annotations.iter().map(|a| (a.id.clone(), (**a).clone())).collect();
            prop_assert_eq!(got.len(), s.annotations.len(), "ids are unique");
            prop_assert_eq!(&got, &model);
            for a in s.annotations.iter() {
                prop_assert!(a.links.iter().all(|l| l.to != a.id), "no link to itself");
                prop_assert!(a.links.windows(2).all(|w| w[0].to < w[1].to), "one link per target, sorted");
            }
            if let Some(sel) = &s.selected {
                prop_assert!(model.contains_key(sel), "selection points at an existing annotation");
            }
            let mut counts = [0; 3];
            for a in model.values() {
                counts[Label::ALL.iter().position(|l| *l == a.label).unwrap()] += 1;
            }
            prop_assert_eq!(s.counts(), counts);
        }
    }
}

#[test]
fn decimal_formats_without_float_formatting() {
    use annotator_core::model::decimal;
    assert_eq!(decimal(2.345, 1), "2.3");
    assert_eq!(decimal(2.35, 1), "2.4");
    assert_eq!(decimal(0.0, 1), "0.0");
    assert_eq!(decimal(19.07, 1), format!("{:.1}", 19.07));
    assert_eq!(decimal(-1.5, 2), "-1.50");
    assert_eq!(decimal(132.0, 2), "132.00");
    assert_eq!(decimal(7.0, 0), "7");
    for i in 0..2000 {
        let x = i as f64 * 0.37;
        assert_eq!(decimal(x, 1).parse::<f64>().unwrap(), (x * 10.0).round() / 10.0);
    }
}
