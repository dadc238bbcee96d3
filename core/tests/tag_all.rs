//! "Tag all occurrences": the rule of `occurrences` (property tests) and the
//! reducer's one-step tagging of every occurrence not yet carrying the label.

mod app_support;

use annotator_core::app::action::AppAction;
use annotator_core::app::selection::SelectionRead;
use annotator_core::model::occurrences::occurrences;
use annotator_core::model::{Annotation, Document, Label, State};
use annotator_core::text::text_index::TextIndex;
use annotator_core::text::words::snap_to_words;
use app_support::*;
use proptest::prelude::*;
use std::rc::Rc;

const TALE: &str = "Kabul said no. Kabuli rice? Kabul! 👩‍👩‍👧 Kabul👩‍👩‍👧, kabul, KABUL, Kabul.";

fn app_of(text: &str, anns: Vec<Annotation>) -> annotator_core::app::state::AppState {
    let doc = Rc::new(Document::new("T", "t", text));
    annotator_core::app::state::AppState::new(State::with_annotations(doc, anns), Default::default(), vec![], None, Default::default())
}

fn sel_of(text: &str, needle: &str, nth: usize) -> SelectionRead {
    let ix = TextIndex::new(text);
    let byte = text.match_indices(needle).nth(nth).unwrap().0;
    let s = text[..byte].chars().count();
    let e = s + needle.chars().count();
    SelectionRead::Range { start_utf16: ix.cp_to_utf16(s).unwrap() as u32, end_utf16: ix.cp_to_utf16(e).unwrap() as u32 }
}

fn tag_all(label: Label, selection: SelectionRead) -> AppAction {
    AppAction::TagAll { label, selection, id_prefix: "all".into(), now: T1.into() }
}

fn quotes(s: &annotator_core::app::state::AppState) -> Vec<(usize, String)> {
    s.model.annotations.iter().map(|a| (a.start, a.quote.clone())).collect()
}

#[test]
fn exact_case_sensitive_and_whole_words_only_when_snapping() {
    let ix = TextIndex::new(TALE);
    let first = TALE.find("Kabul").unwrap();
    let all = occurrences(&ix, first, first + 5, false, 100);
    // Kabul, Kabul(i), Kabul!, Kabul(👩‍👩‍👧), Kabul. — not "kabul" or "KABUL".
    assert_eq!(all.len(), 5, "{all:?}");
    let words = occurrences(&ix, first, first + 5, true, 100);
    assert_eq!(words.len(), 4, "“Kabuli” is not the whole word: {words:?}");
    assert_eq!(occurrences(&ix, first, first + 5, false, 2).len(), 2, "bounded");
}

#[test]
fn shift_1_tags_the_selection_and_the_others_in_one_undo_step_and_skips_what_is_tagged() {
    let text = "Kabul denied it. Kabul said so. Kabul agreed.";
    let s0 = app_of(text, vec![]);
    // The second "Kabul" is already a claim.
    let s1 = r(&s0, AppAction::Tag { label: Label::Claim, selection: sel_of(text, "Kabul", 1), new_id: "k2".into(), now: T0.into() });
    let s = r(&s1, tag_all(Label::Claim, sel_of(text, "Kabul", 0)));
    assert_eq!(quotes(&s), vec![(0, "Kabul".into()), (17, "Kabul".into()), (32, "Kabul".into())]);
    assert_eq!(s.info.as_deref(), Some("Tagged 2 occurrences of “Kabul” as Claim."));
    assert_eq!(s.announce, "Tagged 2 occurrences of “Kabul” as Claim");
    assert_eq!(s.history.undo_description(), Some("Tag 2 occurrences of “Kabul” as Claim"));
    let u = r(&s, AppAction::Undo);
    assert_eq!(quotes(&u), quotes(&s1), "one undo takes all of them back");
    assert_eq!(quotes(&r(&u, AppAction::Redo)), quotes(&s));
    // Again: nothing left to tag, said so, nothing recorded.
    let again = r(&s, tag_all(Label::Claim, sel_of(text, "Kabul", 2)));
    assert_eq!(again.info.as_deref(), Some("Every occurrence of “Kabul” is already tagged Claim."));
    assert_eq!(again.model.annotations, s.model.annotations);
    assert_eq!(again.revision, s.revision);
    // Another label tags them all again, as denials.
    let d = r(&s, tag_all(Label::Denial, sel_of(text, "Kabul", 0)));
    assert_eq!(d.model.counts(), [3, 3, 0]);
}

#[test]
fn without_a_selection_it_says_what_to_do() {
    let s = r(&app(vec![]), tag_all(Label::Claim, SelectionRead::Nothing));
    assert!(s.notice.as_deref().unwrap().starts_with("Nothing is selected: select the text to find"), "{:?}", s.notice);
}

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(vec!["ab", "a", "b", " ", "ab ", "é", "e\u{301}", "👩‍👧", ",", "ba"]), 0..30)
        .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_occurrence_is_the_same_text_whole_clusters_no_overlap(text in text_strategy(), a in 0usize..60, len in 1usize..5, words: bool) {
        let ix = TextIndex::new(text.as_str());
        let n = ix.len_cp();
        prop_assume!(n > 0);
        let s = ix.grapheme_floor(a % n);
        let e = ix.grapheme_ceil((s + len).min(n));
        prop_assume!(s < e);
        let needle = ix.slice_cp(s, e).unwrap().to_string();
        let found = occurrences(&ix, s, e, words, 1_000);
        for w in found.windows(2) {
            prop_assert!(w[0].1 <= w[1].0, "overlap or disorder: {:?}", found);
        }
        for &(fs, fe) in &found {
            prop_assert_eq!(ix.slice_cp(fs, fe), Some(needle.as_str()));
            prop_assert!(ix.is_grapheme_boundary(fs) && ix.is_grapheme_boundary(fe));
            if words {
                prop_assert_eq!(snap_to_words(&ix, fs, fe), (fs, fe));
            }
        }
        // The span itself is found when it satisfies the rule.
        if !words || snap_to_words(&ix, s, e) == (s, e) {
            let leftmost_overlap = found.iter().any(|&(fs, fe)| fs < e && s < fe);
            prop_assert!(leftmost_overlap, "the span itself (or an earlier overlapping match) is found");
        }
    }
}
