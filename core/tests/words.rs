//! Word snapping and caret movement (code points), checked against a
//! reference that segments the whole text at once.

mod common;

use annotator_core::text::text_index::TextIndex;
use annotator_core::text::words::{
    line_end, line_start, next_grapheme, next_word_start, prev_grapheme, prev_word_start, snap_to_words, WINDOW_CP,
};
use common::*;
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

fn cp_of(text: &str, needle: &str) -> (usize, usize) {
    let b = text.find(needle).expect("needle in text");
    let start = text[..b].chars().count();
    (start, start + needle.chars().count())
}

/// Snaps `[a, b)` of `text` and returns the selected text.
fn snapped(text: &str, a: usize, b: usize) -> String {
    let idx = TextIndex::new(text);
    let (s, e) = snap_to_words(&idx, a, b);
    idx.slice_cp(s, e).unwrap().to_string()
}

/// Word-boundary segments of the whole text: (start_cp, end_cp, is_word).
fn reference_segments(text: &str) -> Vec<(usize, usize, bool)> {
    let mut cp = 0;
    text.split_word_bounds()
        .map(|w| {
            let n = w.chars().count();
            cp += n;
            (cp - n, cp, w.chars().any(char::is_alphanumeric))
        })
        .collect()
}

fn reference_snap(text: &str, a: usize, b: usize) -> (usize, usize) {
    let idx = TextIndex::new(text);
    let len = idx.len_cp();
    let (a, b) = (a.min(b).min(len), a.max(b).min(len));
    let (mut s, mut e) = (idx.grapheme_floor(a), idx.grapheme_ceil(b));
    let segs = reference_segments(text);
    if let Some(&(ss, _, true)) = segs.iter().find(|&&(ss, se, _)| ss <= s && s < se) {
        s = ss;
    }
    if e > 0 {
        if let Some(&(_, se, true)) = segs.iter().find(|&&(ss, se, _)| ss < e && e <= se) {
            e = se;
        }
    }
    (s, e)
}

// ---------------------------------------------------------------- snapping, by script

#[test]
fn snap_extends_english_partial_words_to_whole_words() {
    let text = "The defence minister said 1,524 people died.";
    let (d, _) = cp_of(text, "defence");
    let (m, _) = cp_of(text, "minister");
    assert_eq!(snapped(text, d + 2, m + 3), "defence minister");
    assert_eq!(snapped(text, m + 3, d + 2), "defence minister", "reversed input");
    // Numbers with separators are one word.
    let (n, _) = cp_of(text, "1,524");
    assert_eq!(snapped(text, n + 2, n + 3), "1,524");
    // A caret inside a word selects the word; at a boundary it stays empty.
    assert_eq!(snapped(text, m + 1, m + 1), "minister");
    assert_eq!(snapped(text, m, m), "");
    // Whole words are unchanged.
    assert_eq!(snapped(text, d, m + 8), "defence minister");
}

#[test]
fn snap_does_not_extend_into_whitespace_or_punctuation() {
    let text = "claim;   Islamabad said.";
    let (c, _) = cp_of(text, "claim");
    let (i, _) = cp_of(text, "Islamabad");
    // Ends on the semicolon and in the spaces are kept.
    assert_eq!(snapped(text, c + 2, c + 6), "aim;".replacen("aim", "claim", 1));
    assert_eq!(snapped(text, c + 7, i + 3), "  Islamabad");
    assert_eq!(snapped(text, c + 2, c + 7), "claim; ");
    // A selection of only spaces stays as it is.
    assert_eq!(snapped(text, c + 6, c + 8), "  ");
    // The full stop after "said" is not pulled in.
    let (s, _) = cp_of(text, "said");
    assert_eq!(snapped(text, s + 1, s + 2), "said");
}

#[test]
fn snap_works_on_urdu_words() {
    let text = "کل پاکستان کے وزیر دفاع نے کہا";
    let (p, _) = cp_of(text, "پاکستان");
    let (w, _) = cp_of(text, "وزیر");
    assert_eq!(snapped(text, p + 2, w + 2), "پاکستان کے وزیر");
    assert_eq!(snapped(text, w + 1, w + 1), "وزیر");
    // A diacritic (kasra) and a zero-width non-joiner stay inside the word.
    let text = "وزیرِ دفاع می\u{200c}خواهم";
    assert_eq!(snapped(text, 1, 2), "وزیرِ");
    let (m, _) = cp_of(text, "می");
    assert_eq!(snapped(text, m, m + 1), "می\u{200c}خواهم");
}

#[test]
fn snap_treats_each_cjk_ideograph_as_a_word() {
    let text = "国防部长说 said 中文";
    assert_eq!(snapped(text, 1, 3), "防部");
    let (s, _) = cp_of(text, "said");
    assert_eq!(snapped(text, s + 1, s + 2), "said");
    let text = "部长said";
    // Latin letters right after ideographs form their own word.
    assert_eq!(snapped(text, 3, 4), "said");
}

#[test]
fn snap_never_cuts_emoji_zwj_sequences_flags_or_combining_marks() {
    let text = "family 👩\u{200d}👩\u{200d}👧 emoji 🇵🇰 Cafe\u{301} au lait";
    let (f, fe) = cp_of(text, "👩\u{200d}👩\u{200d}👧");
    let (e, _) = cp_of(text, "emoji");
    for a in f + 1..fe {
        assert_eq!(snapped(text, a, e + 2), "👩\u{200d}👩\u{200d}👧 emoji", "from {a}");
        assert_eq!(snapped(text, a, a + 1), "👩\u{200d}👩\u{200d}👧");
    }
    let (flag, _) = cp_of(text, "🇵🇰");
    // A caret inside a cluster is first widened to the whole cluster.
    assert_eq!(snapped(text, flag + 1, flag + 1), "🇵🇰");
    assert_eq!(snapped(text, flag, flag), "");
    assert_eq!(snapped(text, flag + 1, flag + 2), "🇵🇰");
    let (c, _) = cp_of(text, "Cafe\u{301}");
    assert_eq!(snapped(text, c + 1, c + 4), "Cafe\u{301}");
    assert_eq!(snapped(text, c + 4, c + 5), "Cafe\u{301}");
}

#[test]
fn snap_clamps_positions_past_the_end_and_handles_empty_text() {
    assert_eq!(snap_to_words(&TextIndex::new(""), 0, 5), (0, 0));
    let text = "abc def";
    assert_eq!(snapped(text, 5, 100), "def");
    assert_eq!(snap_to_words(&TextIndex::new(text), 100, 200), (7, 7));
}

#[test]
fn snap_is_cheap_and_exact_far_into_a_long_text() {
    let text = "Kabul said 1,524 people. ".repeat(200_000); // 5 MB
    let idx = TextIndex::new(text.as_str());
    let mid = idx.len_cp() / 2 + 2; // inside "Kabul"
    let (s, e) = snap_to_words(&idx, mid, mid + 7);
    assert_eq!(idx.slice_cp(s, e), Some("Kabul said"));
    for k in 0..2000 {
        let p = (k * 2477) % idx.len_cp();
        let (s, e) = snap_to_words(&idx, p, p + 3);
        assert!(s <= p && e >= p + 3 && e - s < 40);
    }
}

#[test]
fn snap_is_idempotent_where_a_word_starts_inside_a_cluster() {
    // U+0600 (a prepended mark) clusters with the "カ" after it, but as a format character it
    // ends the word "ab\u{600}": the word "カタ" starts inside the cluster. Snapping "タ"
    // widens to "カタ", to the cluster "\u{600}カ", and so to the word before it.
    let text = "ab\u{600}カタ";
    let idx = TextIndex::new(text);
    assert_eq!(snap_to_words(&idx, 4, 5), (0, 5));
    assert_eq!(snap_to_words(&idx, 0, 5), (0, 5));
}

#[test]
fn snap_inside_a_word_longer_than_the_window_stops_at_a_grapheme_boundary() {
    let text = format!("x {} y", "e\u{301}".repeat(WINDOW_CP * 2));
    let idx = TextIndex::new(text.as_str());
    let mid = 2 + WINDOW_CP * 2;
    let (s, e) = snap_to_words(&idx, mid, mid + 1);
    assert!(s < mid && e > mid + 1);
    assert!(idx.is_grapheme_boundary(s) && idx.is_grapheme_boundary(e));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn snap_never_cuts_a_grapheme_contains_the_selection_and_matches_the_reference(
        text in text_strategy(900), a in 0usize..5000, b in 0usize..5000,
    ) {
        let idx = TextIndex::new(text.as_str());
        let len = idx.len_cp();
        let (a, b) = (a % (len + 2), b % (len + 2));
        let (s, e) = snap_to_words(&idx, a, b);
        prop_assert!(s <= e && e <= len);
        prop_assert!(idx.is_grapheme_boundary(s) && idx.is_grapheme_boundary(e), "{}..{} cuts a cluster", s, e);
        let (lo, hi) = (a.min(b).min(len), a.max(b).min(len));
        prop_assert!(s <= idx.grapheme_floor(lo) && e >= idx.grapheme_ceil(hi));
        prop_assert_eq!((s, e), reference_snap(&text, a, b));
        prop_assert_eq!(snap_to_words(&idx, s, e), (s, e), "idempotent");
        prop_assert_eq!(snap_to_words(&idx, b, a), (s, e), "order-insensitive");
    }
}

// ---------------------------------------------------------------- caret movement

#[test]
fn grapheme_steps_treat_crlf_emoji_and_marks_as_one_character() {
    let text = "a\r\nb👩\u{200d}👧e\u{301}";
    let idx = TextIndex::new(text);
    let mut stops = vec![0];
    while *stops.last().unwrap() < idx.len_cp() {
        stops.push(next_grapheme(&idx, *stops.last().unwrap()));
    }
    assert_eq!(stops, [0, 1, 3, 4, 7, 9]);
    assert_eq!(next_grapheme(&idx, 9), 9);
    assert_eq!(next_grapheme(&idx, 100), 9);
    let mut back = vec![9];
    while *back.last().unwrap() > 0 {
        back.push(prev_grapheme(&idx, *back.last().unwrap()));
    }
    assert_eq!(back, [9, 7, 4, 3, 1, 0]);
    // From inside a cluster: to its end / its start.
    assert_eq!(next_grapheme(&idx, 2), 3);
    assert_eq!(prev_grapheme(&idx, 2), 1);
    assert_eq!(prev_grapheme(&idx, 5), 4);
    assert_eq!(prev_grapheme(&idx, 100), 7);
}

#[test]
fn line_start_and_end_on_crlf_cr_and_lf_text() {
    //          0123 4 5 678901 2 3456 7 89
    let text = "one\r\ntwo two\r\n\r\nsix\rten\nend";
    let idx = TextIndex::new(text);
    let (two, _) = cp_of(text, "two two");
    assert_eq!(line_start(&idx, 0), 0);
    assert_eq!(line_end(&idx, 0), 3);
    assert_eq!(line_end(&idx, 3), 3, "at the CR");
    assert_eq!(line_start(&idx, 4), 0, "between CR and LF counts as before the break");
    assert_eq!(line_end(&idx, 4), 3);
    assert_eq!(line_start(&idx, two + 5), two);
    assert_eq!(line_end(&idx, two), two + 7);
    // The empty line between two CRLFs.
    let empty = two + 9;
    assert_eq!((line_start(&idx, empty), line_end(&idx, empty)), (empty, empty));
    let (six, _) = cp_of(text, "six");
    assert_eq!((line_start(&idx, six + 2), line_end(&idx, six + 2)), (six, six + 3), "lone CR ends a line");
    let (ten, _) = cp_of(text, "ten");
    assert_eq!((line_start(&idx, ten + 3), line_end(&idx, ten)), (ten, ten + 3));
    let (end, _) = cp_of(text, "end");
    assert_eq!((line_start(&idx, 1000), line_end(&idx, end)), (end, idx.len_cp()));
    assert_eq!((line_start(&TextIndex::new(""), 3), line_end(&TextIndex::new(""), 3)), (0, 0));
}

#[test]
fn word_steps_skip_spaces_punctuation_and_line_breaks() {
    let text = "one, two\r\n\r\n  «three» 1,524\r\nپاکستان 中文";
    let idx = TextIndex::new(text);
    let mut stops = vec![0];
    while *stops.last().unwrap() < idx.len_cp() {
        stops.push(next_word_start(&idx, *stops.last().unwrap()));
    }
    let words: Vec<String> = stops[1..stops.len() - 1].iter().map(|&p| naive_slice(text, p, p + 3)).collect();
    assert_eq!(words, ["two", "thr", "1,5", "پاک", "中文", "文"]);
    assert_eq!(*stops.last().unwrap(), idx.len_cp());
    let mut back = vec![idx.len_cp()];
    while *back.last().unwrap() > 0 {
        back.push(prev_word_start(&idx, *back.last().unwrap()));
    }
    let mut fwd = stops.clone();
    fwd.pop();
    fwd.reverse();
    assert_eq!(back[1..], fwd[..]);
    // From inside a word, back goes to its start.
    let (t, _) = cp_of(text, "three");
    assert_eq!(prev_word_start(&idx, t + 3), t);
    assert_eq!(next_word_start(&idx, t + 3), t + 7);
}

#[test]
fn word_steps_cross_runs_longer_than_the_window() {
    let text = format!("start{}end", " .".repeat(WINDOW_CP * 3));
    let idx = TextIndex::new(text.as_str());
    let end = idx.len_cp() - 3;
    assert_eq!(next_word_start(&idx, 0), end);
    assert_eq!(prev_word_start(&idx, end), 0);
    assert_eq!(next_word_start(&idx, end), idx.len_cp());
}

fn reference_next_word(text: &str, cp: usize) -> usize {
    let len = text.chars().count();
    reference_segments(text).into_iter().find(|&(s, _, w)| w && s > cp).map_or(len, |(s, _, _)| s)
}

fn reference_prev_word(text: &str, cp: usize) -> usize {
    reference_segments(text).into_iter().rev().find(|&(s, _, w)| w && s < cp).map_or(0, |(s, _, _)| s)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    #[test]
    fn caret_steps_match_the_reference_and_land_on_grapheme_boundaries(text in text_strategy(900), at in 0usize..5000) {
        let idx = TextIndex::new(text.as_str());
        let len = idx.len_cp();
        let cp = idx.grapheme_floor(at % (len + 1));
        let steps = [
            next_grapheme(&idx, cp), prev_grapheme(&idx, cp),
            next_word_start(&idx, cp), prev_word_start(&idx, cp),
            line_start(&idx, cp), line_end(&idx, cp),
        ];
        for p in steps {
            prop_assert!(p <= len && idx.is_grapheme_boundary(p));
        }
        prop_assert_eq!(steps[2], reference_next_word(&text, cp));
        prop_assert_eq!(steps[3], reference_prev_word(&text, cp));
        prop_assert!(steps[0] > cp || cp == len);
        prop_assert!(steps[1] < cp || cp == 0);
        if cp < len {
            prop_assert_eq!(prev_grapheme(&idx, steps[0]), cp);
        }
        // Lines: no break inside [line_start, line_end), and one at each side.
        let (ls, le) = (steps[4], steps[5]);
        prop_assert!(ls <= cp && cp <= le);
        let line = naive_slice(&text, ls, le);
        prop_assert!(!line.contains(['\r', '\n']), "{:?}", line);
        prop_assert!(ls == 0 || matches!(naive_slice(&text, ls - 1, ls).as_str(), "\n" | "\r"));
        prop_assert!(le == len || matches!(naive_slice(&text, le, le + 1).as_str(), "\n" | "\r"));
    }
}

#[test]
fn vertical_by_column_keeps_the_column_and_clamps_to_short_lines() {
    use annotator_core::text::words::vertical_by_column;
    let idx = annotator_core::text::text_index::TextIndex::new("abcdef\nxy\r\nlonger line");
    // From column 4 of line 1 down: line 2 has only 2 characters.
    assert_eq!(vertical_by_column(&idx, 4, true), 9);
    // Down from line 2 (col 1) skips the CRLF as one break.
    assert_eq!(vertical_by_column(&idx, 8, true), 12);
    // Up from line 3 col 3 lands at the end of line 2.
    assert_eq!(vertical_by_column(&idx, 14, false), 9);
    assert_eq!(vertical_by_column(&idx, 2, false), 0);
    assert_eq!(vertical_by_column(&idx, 14, true), idx.len_cp());
}
