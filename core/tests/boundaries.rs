//! The boundary interface (`text::boundaries`) and the windows the index cuts for it: the
//! table-free rules only ever name real boundaries, and boundaries asked within windows equal
//! those of the whole text, also in long texts where no such rule helps (no ASCII, no line
//! break), with runs of flags' halves crossing a window's edge. On the host the interface is the
//! `unicode-segmentation` crate; `tests/browser/segmenter.rs` compares it with `Intl.Segmenter`.

mod common;

use annotator_core::text::boundaries::{grapheme_containing, sure_grapheme_break, sure_line_break, word_containing};
use annotator_core::text::text_index::{TextIndex, WINDOW_CP};
use annotator_core::text::words::snap_to_words;
use common::grapheme_boundaries_cp;
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

/// Characters of every grapheme and word-break class the rules could be wrong about.
const CHARS: &[char] = &[
    'a',
    'Z',
    '0',
    ' ',
    '.',
    ',',
    ':',
    '\'',
    '~',
    '_',
    '\t',
    '\n',
    '\r',
    '\u{7f}',
    '\u{0}',
    '\u{301}',
    '\u{64e}',
    '\u{200d}',
    '\u{200c}',
    '\u{1F1F5}',
    '\u{1F1F0}',
    '\u{600}',
    '\u{903}',
    '\u{1100}',
    '\u{1161}',
    '\u{11A8}',
    '\u{AC00}',
    '\u{1F44D}',
    '\u{1F3FD}',
    '\u{2764}',
    '\u{FE0F}',
    'پ',
    '中',
    'カ',
    '\u{a0}',
    '\u{200b}',
    '\u{94d}',
    '\u{915}',
];

/// Pieces with no ASCII, punctuation, space or line break, so no table-free rule finds a
/// boundary in them.
const NO_SURE_BREAK: &[&str] = &[
    "پاکستان",
    "ہلاک",
    "\u{64e}",
    "\u{301}",
    "\u{200d}",
    "\u{1F1F5}",
    "\u{1F1F0}",
    "\u{1F1F5}\u{1F1F0}",
    "👩\u{200d}👩\u{200d}👧",
    "👍\u{1F3FD}",
    "\u{1100}\u{1161}\u{11A8}",
    "\u{1161}",
    "中文",
    "カタカナ",
    "\u{915}\u{94d}\u{937}\u{93f}",
    "\u{600}",
];

fn char_in(pool: &'static [char]) -> impl Strategy<Value = char> {
    prop::sample::select(pool)
}

fn text_of(pool: &'static [&'static str], min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pool), min..max).prop_map(|v| v.concat())
}

fn word_boundaries_cp(text: &str) -> Vec<usize> {
    let mut out = vec![0];
    for w in text.split_word_bounds() {
        out.push(out.last().unwrap() + w.chars().count());
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn sure_breaks_are_boundaries_in_any_context(
        before in prop::collection::vec(char_in(CHARS), 0..6), a in char_in(CHARS), b in char_in(CHARS),
        after in prop::collection::vec(char_in(CHARS), 0..6),
    ) {
        let text: String = before.iter().chain([&a, &b]).chain(after.iter()).collect();
        let at = before.len() + 1;
        if sure_grapheme_break(a, b) {
            prop_assert!(grapheme_boundaries_cp(&text).contains(&at), "no grapheme boundary at {} in {:?}", at, text);
        }
        if sure_line_break(a, b) {
            prop_assert!(grapheme_boundaries_cp(&text).contains(&at), "no grapheme boundary at {} in {:?}", at, text);
            prop_assert!(word_boundaries_cp(&text).contains(&at), "no word boundary at {} in {:?}", at, text);
        }
    }

    #[test]
    fn windows_give_the_whole_texts_clusters_without_any_sure_break(text in text_of(NO_SURE_BREAK, 280, 400)) {
        let idx = TextIndex::new(text.as_str());
        prop_assume!(idx.len_cp() > 2 * WINDOW_CP);
        let bounds = grapheme_boundaries_cp(&text);
        for pair in bounds.windows(2) {
            for cp in pair[0]..pair[1] {
                prop_assert_eq!(idx.grapheme_at(cp), (pair[0], pair[1]), "cluster at {}", cp);
            }
        }
    }

    #[test]
    fn windows_give_the_whole_texts_words_without_any_sure_break(text in text_of(NO_SURE_BREAK, 280, 400), at in 0usize..10_000) {
        let idx = TextIndex::new(text.as_str());
        prop_assume!(idx.len_cp() > 2 * WINDOW_CP);
        let (a, b) = (at % idx.len_cp(), (at + at / 7) % idx.len_cp() + 1);
        // The reference: clusters and word segments of the whole text at once.
        let clusters = grapheme_boundaries_cp(&text);
        let words = word_boundaries_cp(&text);
        let floor = |bs: &[usize], cp: usize| *bs.iter().rev().find(|&&x| x <= cp).unwrap();
        let ceil = |bs: &[usize], cp: usize| *bs.iter().find(|&&x| x >= cp).unwrap();
        let is_word = |cp: usize| {
            let (s, e) = (floor(&words, cp), ceil(&words, cp + 1));
            idx.slice_cp(s, e).unwrap().chars().any(char::is_alphanumeric)
        };
        let (lo, hi) = (a.min(b), a.max(b));
        // Each end widens to its word, then to the cluster (word segments may split one: a
        // prepended mark before a flag), until it moves no more.
        let (mut s, mut e) = (floor(&clusters, lo), ceil(&clusters, hi));
        while s < idx.len_cp() && is_word(s) && floor(&clusters, floor(&words, s)) < s {
            s = floor(&clusters, floor(&words, s));
        }
        while is_word(e - 1) && ceil(&clusters, ceil(&words, e)) > e {
            e = ceil(&clusters, ceil(&words, e));
        }
        prop_assert_eq!(snap_to_words(&idx, a, b), (s, e));
    }
}

#[test]
fn the_table_free_grapheme_rule_agrees_with_the_tables_for_every_character() {
    // Before these characters a cluster always ends, unless a prepended mark (GB9b) precedes:
    // checked for every Unicode scalar value before them, against the crate's tables.
    for after in [' ', 'a', '~', '\u{a0}', '\u{3000}', '\u{3001}', '\u{3002}', '\u{ff0c}', '\u{ff0e}', '\u{60c}', '\u{6d4}'] {
        let mut pair = String::with_capacity(8);
        for before in (0..=0x10FFFF).filter_map(char::from_u32) {
            pair.clear();
            pair.push(before);
            pair.push(after);
            let tables = pair.graphemes(true).count() == 2;
            assert_eq!(sure_grapheme_break(before, after), tables, "{before:?} then {after:?}");
        }
    }
}

#[test]
fn a_run_of_flags_longer_than_the_window_pairs_from_its_start() {
    // An odd half first: "🇵" alone, then pairs. The run is far longer than a window.
    let text = format!("x\u{1F1F5}{}", "\u{1F1F5}\u{1F1F0}".repeat(WINDOW_CP * 2));
    let idx = TextIndex::new(text.as_str());
    let bounds = grapheme_boundaries_cp(&text);
    for cp in [WINDOW_CP * 3, WINDOW_CP * 3 + 1, idx.len_cp() - 1, idx.len_cp() - 2] {
        let start = *bounds.iter().rev().find(|&&b| b <= cp).unwrap();
        assert_eq!(idx.grapheme_at(cp).0, start, "at {cp}");
    }
}

#[test]
fn the_interface_answers_in_code_points_of_the_piece() {
    let s = "a👩\u{200d}👩\u{200d}👧e\u{301} 1,524 don't";
    assert_eq!(grapheme_containing(s, 0), (0, 1));
    assert_eq!(grapheme_containing(s, 3), (1, 6));
    assert_eq!(grapheme_containing(s, 7), (6, 8));
    assert_eq!(word_containing(s, 10), (9, 14));
    assert_eq!(word_containing(s, 16), (15, 20));
}
