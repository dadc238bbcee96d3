//! The summary view's numbers (counts, covered share, distribution bins) and
//! the list filter (labels, case-insensitive search in quotes and notes).

mod common;

use annotator_core::model::filter::{fold, Filter};
use annotator_core::model::summary::{summarize, Summary};
use annotator_core::model::{Annotation, Label};
use common::*;
use proptest::prelude::*;

fn span(id: &str, start: usize, end: usize, label: Label) -> Annotation {
    Annotation {
        id: id.into(),
        start,
        end,
        quote: "x".repeat(end - start),
        label,
        note: String::new(),
        speaker: String::new(),
        verdict: String::new(),
        links: Vec::new(),
        created: String::new(),
        modified: String::new(),
    }
}

// ---------------------------------------------------------------- summary

#[test]
fn share_counts_overlapping_and_nested_spans_once() {
    let anns = [
        span("a", 10, 30, Label::Claim),
        span("b", 20, 40, Label::Denial),    // overlaps a
        span("c", 25, 28, Label::Statistic), // nested in a
        span("d", 40, 50, Label::Claim),     // touches b
        span("e", 80, 90, Label::Statistic), // apart
    ];
    let s = summarize(&anns, 100, 10);
    assert_eq!(s.counts, [2, 1, 2]);
    assert_eq!(s.total(), 5);
    assert_eq!(s.count(Label::Statistic), 2);
    assert_eq!(s.covered_cp, 40 + 10);
    assert_eq!(s.total_cp, 100);
    assert!((s.share - 0.5).abs() < 1e-12);
    // Same result whatever the order.
    let mut rev = anns.to_vec();
    rev.reverse();
    assert_eq!(summarize(&rev, 100, 10), s);
}

#[test]
fn distribution_bins_each_label_by_start_position() {
    let anns = [
        span("a", 0, 5, Label::Claim),
        span("b", 9, 12, Label::Claim),
        span("c", 10, 12, Label::Claim),
        span("d", 55, 60, Label::Denial),
        span("e", 99, 100, Label::Statistic),
    ];
    let s = summarize(&anns, 100, 10);
    assert_eq!(s.distribution[0], [2, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(s.distribution[1], [0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    assert_eq!(s.distribution[2], [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert_eq!(s.max_bin(), 2);
    // Bins that do not divide the text evenly: 7 bins of a 100-character text.
    assert_eq!(Summary::bin_of(0, 100, 7), Some(0));
    assert_eq!(Summary::bin_of(14, 100, 7), Some(0));
    assert_eq!(Summary::bin_of(15, 100, 7), Some(1));
    assert_eq!(Summary::bin_of(99, 100, 7), Some(6));
    assert_eq!(Summary::bin_of(100, 100, 7), Some(6), "clamped to the last bin");
    assert_eq!(Summary::bin_of(5, 100, 0), None);
}

#[test]
fn empty_inputs_give_zeros() {
    let s = summarize::<annotator_core::model::Annotation>(&[], 0, 40);
    assert_eq!((s.counts, s.covered_cp, s.total_cp, s.share), ([0; 3], 0, 0, 0.0));
    assert!(s.distribution.iter().all(|d| d.len() == 40 && d.iter().all(|&n| n == 0)));
    let s = summarize(&[span("a", 0, 3, Label::Claim)], 10, 0);
    assert!(s.distribution.iter().all(Vec::is_empty));
    assert_eq!(s.counts, [1, 0, 0]);
    // Spans past the end of the text are clamped, never over 100 %.
    let s = summarize(&[span("a", 5, 50, Label::Denial)], 10, 4);
    assert_eq!((s.covered_cp, s.share), (5, 0.5));
    let s = summarize(&[span("a", 0, 50, Label::Denial)], 10, 4);
    assert_eq!(s.share, 1.0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn summary_agrees_with_a_brute_force_count(raw in raw_spans(40), len in 1usize..300, bins in 0usize..50) {
        let text = "x".repeat(len);
        let anns = annotations_from_raw(&text, &raw);
        let s = summarize(&anns, len, bins);
        let mut covered = vec![false; len];
        for a in &anns {
            covered[a.start..a.end].iter_mut().for_each(|c| *c = true);
        }
        let n = covered.iter().filter(|&&c| c).count();
        prop_assert_eq!(s.covered_cp, n);
        prop_assert!((s.share - n as f64 / len as f64).abs() < 1e-12);
        prop_assert!((0.0..=1.0).contains(&s.share));
        for l in 0..3 {
            prop_assert_eq!(s.distribution[l].len(), bins);
            let in_bins: u32 = s.distribution[l].iter().sum();
            prop_assert_eq!(in_bins as usize, if bins == 0 { 0 } else { s.counts[l] });
            prop_assert_eq!(s.counts[l], anns.iter().filter(|a| a.label as usize == l).count());
        }
    }
}

// ---------------------------------------------------------------- filter

fn noted(quote: &str, note: &str, label: Label) -> Annotation {
    Annotation {
        id: quote.into(),
        start: 0,
        end: quote.chars().count(),
        quote: quote.into(),
        label,
        note: note.into(),
        speaker: String::new(),
        verdict: String::new(),
        links: Vec::new(),
        created: String::new(),
        modified: String::new(),
    }
}

#[test]
fn default_filter_shows_everything() {
    let f = Filter::default();
    assert!(!f.is_active());
    for l in Label::ALL {
        assert!(f.matches(&noted("anything", "", l)));
    }
    let blank = Filter { query: "  \t".into(), ..Filter::default() };
    assert!(!blank.is_active() && blank.matches(&noted("x", "", Label::Claim)));
}

#[test]
fn label_toggles_hide_and_show_labels() {
    let mut f = Filter::default();
    f.toggle(Label::Denial);
    assert!(f.is_active());
    assert!(f.matches(&noted("a", "", Label::Claim)));
    assert!(!f.matches(&noted("a", "", Label::Denial)));
    f.set_label(Label::Denial, true);
    f.set_label(Label::Claim, false);
    assert!(!f.matches(&noted("a", "", Label::Claim)) && f.shows(Label::Denial));
}

#[test]
fn query_is_a_case_insensitive_substring_of_quote_or_note() {
    let anns = [
        noted("Kabul DENIED the claim", "", Label::Denial),
        noted("1,463 were injured", "Check the Ministry's figure", Label::Statistic),
        noted("پاکستان کے وزیر دفاع", "Urdu quote", Label::Claim),
        noted("ΟΔΟΣ Straße", "", Label::Claim),
        noted("Émigrés said", "multi\nline NOTE", Label::Claim),
    ];
    let hits = |q: &str| -> Vec<usize> {
        let f = Filter { query: q.into(), ..Filter::default() };
        let direct: Vec<usize> = (0..anns.len()).filter(|&i| f.matches(&anns[i])).collect();
        let via_apply: Vec<usize> = f.apply(&anns).iter().map(|a| anns.iter().position(|b| b.id == a.id).unwrap()).collect();
        assert_eq!(direct, via_apply);
        direct
    };
    assert_eq!(hits("denied"), [0]);
    assert_eq!(hits("  Denied "), [0], "surrounding whitespace is ignored");
    assert_eq!(hits("ministry"), [1], "found in the note");
    assert_eq!(hits("MINISTRY'S FIG"), [1]);
    assert_eq!(hits("وزیر"), [2]);
    assert_eq!(hits("urdu"), [2]);
    assert_eq!(hits("οδος"), [3], "Greek, final sigma folded");
    assert_eq!(hits("ΟΔΟΣ"), [3]);
    assert_eq!(hits("STRASSE"), Vec::<usize>::new(), "not full case folding");
    assert_eq!(hits("émigrés"), [4], "non-ASCII capitals");
    assert_eq!(hits("line note"), [4]);
    assert_eq!(hits("multi line"), Vec::<usize>::new(), "a space does not match a line break");
    assert_eq!(hits("multi\nline"), [4]);
    assert_eq!(hits("the"), [0, 1]);
    // Query and labels combine.
    let f = Filter { labels: [true, false, false], query: "the".into(), ..Filter::default() };
    assert!(anns.iter().all(|a| !f.matches(a)));
    assert_eq!(fold("ΣΟΦΟΣ"), "σοφοσ");
}
