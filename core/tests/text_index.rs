//! TextIndex: conversions between code points, UTF-16 units and UTF-8 bytes,
//! slicing, and grapheme helpers, checked against naive `str` computations
//! and against the shared corpus.

mod common;

use annotator_core::text::text_index::{cp_len, TextIndex, BLOCK};
use common::*;
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn lengths_agree_with_str_methods(text in text_strategy(200)) {
        let idx = TextIndex::new(text.as_str());
        prop_assert_eq!(idx.text(), text.as_str());
        prop_assert_eq!(idx.len_cp(), text.chars().count());
        prop_assert_eq!(idx.len_utf16(), text.encode_utf16().count());
        prop_assert_eq!(idx.len_utf8(), text.len());
        prop_assert_eq!(cp_len(&text), text.chars().count());
    }

    #[test]
    fn every_code_point_round_trips_through_utf16_and_utf8(text in text_strategy(200)) {
        let idx = TextIndex::new(text.as_str());
        let reference = reference_offsets(&text);
        for (cp, &(u16, u8)) in reference.iter().enumerate() {
            prop_assert_eq!(idx.cp_to_utf16(cp), Some(u16), "cp_to_utf16({})", cp);
            prop_assert_eq!(idx.cp_to_utf8(cp), Some(u8), "cp_to_utf8({})", cp);
            prop_assert_eq!(idx.utf16_to_cp_floor(u16), Some(cp), "utf16_to_cp_floor({})", u16);
            prop_assert_eq!(idx.utf16_to_cp_ceil(u16), Some(cp), "utf16_to_cp_ceil({})", u16);
            prop_assert_eq!(idx.utf8_to_cp(u8), Some(cp), "utf8_to_cp({})", u8);
        }
    }

    #[test]
    fn utf16_offset_inside_surrogate_pair_floors_to_char_start_and_ceils_to_char_end(text in text_strategy(200)) {
        let idx = TextIndex::new(text.as_str());
        let mut u16 = 0;
        for (cp, ch) in text.chars().enumerate() {
            if ch.len_utf16() == 2 {
                prop_assert_eq!(idx.utf16_to_cp_floor(u16 + 1), Some(cp));
                prop_assert_eq!(idx.utf16_to_cp_ceil(u16 + 1), Some(cp + 1));
            }
            u16 += ch.len_utf16();
        }
        // Every UTF-16 offset lands between the code points that bracket it.
        for u in 0..=idx.len_utf16() {
            let f = idx.utf16_to_cp_floor(u).unwrap();
            let c = idx.utf16_to_cp_ceil(u).unwrap();
            prop_assert!(f <= c && c - f <= 1, "u={} floor={} ceil={}", u, f, c);
            prop_assert!(idx.cp_to_utf16(f).unwrap() <= u && u <= idx.cp_to_utf16(c).unwrap());
        }
    }

    #[test]
    fn utf8_offset_not_on_char_boundary_is_refused(text in text_strategy(120)) {
        let idx = TextIndex::new(text.as_str());
        for b in 0..=text.len() {
            let expected = text.is_char_boundary(b).then(|| text[..b].chars().count());
            prop_assert_eq!(idx.utf8_to_cp(b), expected, "utf8_to_cp({})", b);
        }
    }

    #[test]
    fn offsets_past_the_end_are_none(text in text_strategy(120)) {
        let idx = TextIndex::new(text.as_str());
        prop_assert_eq!(idx.cp_to_utf8(idx.len_cp() + 1), None);
        prop_assert_eq!(idx.cp_to_utf16(idx.len_cp() + 1), None);
        prop_assert_eq!(idx.utf16_to_cp_floor(idx.len_utf16() + 1), None);
        prop_assert_eq!(idx.utf16_to_cp_ceil(idx.len_utf16() + 1), None);
        prop_assert_eq!(idx.utf8_to_cp(idx.len_utf8() + 1), None);
        prop_assert_eq!(idx.slice_cp(0, idx.len_cp() + 1), None);
        prop_assert_eq!(idx.slice_cp(idx.len_cp() + 1, idx.len_cp() + 1), None);
    }

    #[test]
    fn slice_cp_matches_chars_skip_take(text in text_strategy(160)) {
        let idx = TextIndex::new(text.as_str());
        let len = idx.len_cp();
        for start in 0..=len {
            for end in [start, start + 1, start + 2, start + 5, start + BLOCK, len] {
                if end > len {
                    prop_assert_eq!(idx.slice_cp(start, end), None);
                    continue;
                }
                let expected: String = text.chars().skip(start).take(end - start).collect();
                prop_assert_eq!(idx.slice_cp(start, end), Some(expected.as_str()), "slice_cp({}, {})", start, end);
            }
            if start > 0 {
                prop_assert_eq!(idx.slice_cp(start, start - 1), None, "reversed slice");
            }
        }
    }

    #[test]
    fn grapheme_floor_and_ceil_never_cut_a_cluster(text in text_strategy(160)) {
        let idx = TextIndex::new(text.as_str());
        let bounds = grapheme_boundaries_cp(&text);
        for cp in 0..=idx.len_cp() {
            let is_b = bounds.binary_search(&cp).is_ok();
            prop_assert_eq!(idx.is_grapheme_boundary(cp), is_b, "is_grapheme_boundary({})", cp);
            let floor = *bounds.iter().rev().find(|&&b| b <= cp).unwrap();
            let ceil = *bounds.iter().find(|&&b| b >= cp).unwrap();
            prop_assert_eq!(idx.grapheme_floor(cp), floor, "grapheme_floor({})", cp);
            prop_assert_eq!(idx.grapheme_ceil(cp), ceil, "grapheme_ceil({})", cp);
        }
        // Past the end clamps to the end (always a boundary).
        prop_assert_eq!(idx.grapheme_floor(idx.len_cp() + 3), idx.len_cp());
        prop_assert_eq!(idx.grapheme_ceil(idx.len_cp() + 3), idx.len_cp());
        prop_assert!(!idx.is_grapheme_boundary(idx.len_cp() + 1));
    }

    #[test]
    fn prefix_and_suffix_start_and_end_on_grapheme_boundaries(text in text_strategy(120), n in 0usize..40) {
        let idx = TextIndex::new(text.as_str());
        let bounds = grapheme_boundaries_cp(&text);
        let len = idx.len_cp();
        for &cp in &bounds {
            let prefix = idx.prefix_cp(cp, n);
            let p_len = cp_len(prefix);
            prop_assert!(p_len <= n);
            prop_assert_eq!(prefix, naive_slice(&text, cp - p_len, cp));
            prop_assert!(bounds.contains(&(cp - p_len)), "prefix of {} starts inside a cluster", cp);
            // As long as possible: the next boundary before it would exceed n.
            let longest = *bounds.iter().find(|&&b| b + n >= cp).unwrap();
            prop_assert_eq!(cp - p_len, longest.min(cp));

            let suffix = idx.suffix_cp(cp, n);
            let s_len = cp_len(suffix);
            prop_assert!(s_len <= n);
            prop_assert_eq!(suffix, naive_slice(&text, cp, cp + s_len));
            prop_assert!(bounds.contains(&(cp + s_len)), "suffix of {} ends inside a cluster", cp);
            let longest = *bounds.iter().rev().find(|&&b| b <= (cp + n).min(len)).unwrap();
            prop_assert_eq!(cp + s_len, longest.max(cp));
        }
        // From any code point (even inside a cluster) the far end is never inside a cluster.
        for cp in 0..=len {
            let p = cp_len(idx.prefix_cp(cp, n));
            prop_assert!(p == 0 || bounds.contains(&(cp - p)));
            let s = cp_len(idx.suffix_cp(cp, n));
            prop_assert!(s == 0 || bounds.contains(&(cp + s)));
        }
    }
}

#[test]
fn empty_text_has_zero_lengths_and_maps_offset_zero() {
    let idx = TextIndex::new("");
    assert_eq!((idx.len_cp(), idx.len_utf16(), idx.len_utf8()), (0, 0, 0));
    assert_eq!(idx.cp_to_utf16(0), Some(0));
    assert_eq!(idx.cp_to_utf8(0), Some(0));
    assert_eq!(idx.utf16_to_cp_floor(0), Some(0));
    assert_eq!(idx.utf16_to_cp_ceil(0), Some(0));
    assert_eq!(idx.utf8_to_cp(0), Some(0));
    assert_eq!(idx.slice_cp(0, 0), Some(""));
    assert!(idx.is_grapheme_boundary(0));
    assert_eq!(idx.prefix_cp(0, 5), "");
    assert_eq!(idx.suffix_cp(0, 5), "");
}

#[test]
fn conversions_are_exact_across_many_checkpoint_blocks() {
    // Far longer than one block, with astral characters straddling block edges.
    let unit = "ab📊c𝐀\u{a0}中\r\n🇵🇰e\u{301}";
    let text = unit.repeat(BLOCK * 3 + 7);
    let idx = TextIndex::new(text.as_str());
    let reference = reference_offsets(&text);
    assert!(idx.len_cp() > BLOCK * 20);
    for (cp, &(u16, u8)) in reference.iter().enumerate() {
        assert_eq!(idx.cp_to_utf16(cp), Some(u16));
        assert_eq!(idx.cp_to_utf8(cp), Some(u8));
        assert_eq!(idx.utf16_to_cp_ceil(u16), Some(cp));
        assert_eq!(idx.utf8_to_cp(u8), Some(cp));
    }
    // Lengths that are exact multiples of the block size.
    for n in [BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK] {
        let t = "📊".repeat(n);
        let idx = TextIndex::new(t.as_str());
        assert_eq!(idx.cp_to_utf16(n), Some(2 * n));
        assert_eq!(idx.utf16_to_cp_floor(2 * n - 1), Some(n - 1));
        assert_eq!(idx.utf16_to_cp_ceil(2 * n - 1), Some(n));
        assert_eq!(idx.slice_cp(n - 1, n), Some("📊"));
    }
}

#[test]
fn grapheme_helpers_widen_inside_flag_family_accent_and_crlf() {
    // cp:        0 1 2 3 4 5 6 7 8 9 ...
    let text = "x🇵🇰y👩\u{200d}👩\u{200d}👧ze\u{301}\r\nw";
    let idx = TextIndex::new(text);
    // flag = cps 1..3
    assert!(!idx.is_grapheme_boundary(2));
    assert_eq!((idx.grapheme_floor(2), idx.grapheme_ceil(2)), (1, 3));
    // family = cps 4..9
    for cp in 5..9 {
        assert_eq!((idx.grapheme_floor(cp), idx.grapheme_ceil(cp)), (4, 9), "inside the family at {cp}");
    }
    // e + U+0301 = cps 10..12
    assert_eq!((idx.grapheme_floor(11), idx.grapheme_ceil(11)), (10, 12));
    // CRLF = cps 12..14 is one cluster
    assert_eq!((idx.grapheme_floor(13), idx.grapheme_ceil(13)), (12, 14));
    assert_eq!(idx.slice_cp(12, 14), Some("\r\n"));
    let clusters: Vec<&str> = text.graphemes(true).collect();
    assert_eq!(clusters, ["x", "🇵🇰", "y", "👩\u{200d}👩\u{200d}👧", "z", "e\u{301}", "\r\n", "w"]);
    // prefix/suffix never split the family even when n would cut into it.
    assert_eq!(idx.prefix_cp(10, 3), "z");
    assert_eq!(idx.prefix_cp(10, 6), "👩\u{200d}👩\u{200d}👧z");
    assert_eq!(idx.suffix_cp(3, 3), "y");
    assert_eq!(idx.suffix_cp(3, 6), "y👩\u{200d}👩\u{200d}👧");
}

fn check_corpus(txt: &str, json: &str) {
    let text = corpus_text(txt);
    let spans = expected_spans(json, txt);
    let idx = TextIndex::new(text.as_str());
    let utf16: Vec<u16> = text.encode_utf16().collect();
    for s in &spans {
        let q = &s.quote;
        assert_eq!(idx.cp_to_utf16(s.start), Some(s.start_utf16), "{txt}: start_utf16 of {q:?}");
        assert_eq!(idx.cp_to_utf16(s.end), Some(s.end_utf16), "{txt}: end_utf16 of {q:?}");
        assert_eq!(idx.cp_to_utf8(s.start), Some(s.start_utf8), "{txt}: start_utf8 of {q:?}");
        assert_eq!(idx.cp_to_utf8(s.end), Some(s.end_utf8), "{txt}: end_utf8 of {q:?}");
        assert_eq!(idx.utf16_to_cp_floor(s.start_utf16), Some(s.start), "{txt}: {q:?}");
        assert_eq!(idx.utf16_to_cp_ceil(s.start_utf16), Some(s.start), "{txt}: {q:?}");
        assert_eq!(idx.utf16_to_cp_floor(s.end_utf16), Some(s.end), "{txt}: {q:?}");
        assert_eq!(idx.utf16_to_cp_ceil(s.end_utf16), Some(s.end), "{txt}: {q:?}");
        assert_eq!(idx.utf8_to_cp(s.start_utf8), Some(s.start), "{txt}: {q:?}");
        assert_eq!(idx.utf8_to_cp(s.end_utf8), Some(s.end), "{txt}: {q:?}");
        assert_eq!(idx.slice_cp(s.start, s.end), Some(q.as_str()), "{txt}: slice_cp");
        // The expected offsets are themselves consistent in all three units.
        assert_eq!(&text[s.start_utf8..s.end_utf8], q);
        assert_eq!(String::from_utf16(&utf16[s.start_utf16..s.end_utf16]).unwrap(), *q);
        assert_eq!(text.find(q.as_str()), Some(s.start_utf8), "{txt}: first occurrence of {q:?}");
        // Every expected span starts and ends on grapheme boundaries.
        assert!(idx.is_grapheme_boundary(s.start) && idx.is_grapheme_boundary(s.end), "{q:?}");
    }
}

#[test]
fn corpus_spans_map_consistently_in_all_three_units_lf() {
    check_corpus("unicode-mixed.txt", "unicode-mixed.expected.json");
}

#[test]
fn corpus_spans_map_consistently_in_all_three_units_crlf() {
    check_corpus("unicode-mixed-crlf.txt", "unicode-mixed-crlf.expected.json");
}

#[test]
fn crlf_corpus_is_kept_exactly_as_loaded() {
    let text = corpus_text("unicode-mixed-crlf.txt");
    let idx = TextIndex::new(text.as_str());
    assert_eq!(idx.text(), text);
    assert_eq!(idx.text().matches("\r\n").count(), text.lines().count());
    // CRLF offsets are one code point per line later than the LF file's.
    let lf = TextIndex::new(corpus_text("unicode-mixed.txt"));
    assert_eq!(idx.len_cp(), lf.len_cp() + text.lines().count());
}
