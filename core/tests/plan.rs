//! Render plan: paragraphs tile the text, segments tile each paragraph, and
//! each segment lists exactly the annotations that cover it.

mod common;

use annotator_core::model::{text_order, Annotation, Label};
use annotator_core::render::plan::{annotations_by_paragraph, covering_at, paragraphs, segments, update_by_paragraph, AnnRef, Paragraph};
use annotator_core::text::text_index::TextIndex;
use common::*;
use proptest::prelude::*;
use std::collections::BTreeSet;

fn para_texts<'a>(idx: &'a TextIndex, paras: &[Paragraph]) -> Vec<&'a str> {
    paras.iter().map(|p| idx.slice_cp(p.start_cp, p.end_cp).unwrap()).collect()
}

fn is_break(c: char) -> bool {
    c == '\n' || c == '\r'
}

/// Checks every property of the plan of `text` with `anns` (sorted in text order).
fn check_plan(text: &str, anns: &[Annotation]) -> Result<(), TestCaseError> {
    let idx = TextIndex::new(text);
    let paras = paragraphs(&idx);
    prop_assert!(!paras.is_empty());

    // Paragraphs tile the text and concatenate back to it exactly.
    prop_assert_eq!(para_texts(&idx, &paras).concat(), text);
    prop_assert_eq!(paras[0].start_cp, 0);
    prop_assert_eq!(paras.last().unwrap().end_cp, idx.len_cp());
    for w in paras.windows(2) {
        prop_assert_eq!(w[0].end_cp, w[1].start_cp);
        prop_assert_eq!(w[0].end_utf16, w[1].start_utf16);
    }
    for (p, t) in paras.iter().zip(para_texts(&idx, &paras)) {
        prop_assert!(p.start_cp < p.end_cp || idx.len_cp() == 0, "empty paragraph {:?}", p);
        prop_assert_eq!(Some(p.start_utf16), idx.cp_to_utf16(p.start_cp));
        prop_assert_eq!(Some(p.end_utf16), idx.cp_to_utf16(p.end_cp));
        // Line breaks only at the end of a paragraph: text, then a run of breaks.
        let body = t.trim_end_matches(is_break);
        prop_assert!(!body.contains(is_break), "break inside paragraph {:?}", t);
    }
    for w in para_texts(&idx, &paras).windows(2) {
        prop_assert!(w[0].ends_with(is_break), "paragraph {:?} does not end with a break", w[0]);
        prop_assert!(!w[1].starts_with(is_break), "paragraph {:?} starts with a break", w[1]);
    }

    // Each paragraph gets exactly the annotations that touch it, in text order.
    let by_para = annotations_by_paragraph(&paras, anns);
    prop_assert_eq!(by_para.len(), paras.len());
    for (p, refs) in paras.iter().zip(&by_para) {
        let expected: Vec<AnnRef> = anns
            .iter()
            .filter(|a| a.start < p.end_cp && a.end > p.start_cp)
            .map(|a| AnnRef { id: a.id.as_str().into(), start: a.start, end: a.end, label: a.label })
            .collect();
        prop_assert_eq!(refs, &expected);
    }

    // Segments tile each paragraph exactly, with no empty segment.
    for (p, refs) in paras.iter().zip(&by_para) {
        let segs = segments(&idx, p, refs);
        if p.start_cp == p.end_cp {
            prop_assert!(segs.is_empty());
            continue;
        }
        prop_assert_eq!(segs.first().unwrap().start_cp, p.start_cp);
        prop_assert_eq!(segs.last().unwrap().end_cp, p.end_cp);
        for w in segs.windows(2) {
            prop_assert_eq!(w[0].end_cp, w[1].start_cp);
            prop_assert_eq!(w[0].utf8.1, w[1].utf8.0);
        }
        // A click anywhere in a segment (the article reads back where the
        // clicked mark starts) finds exactly that segment's covering.
        for s in &segs {
            for cp in [s.start_cp, s.end_cp - 1] {
                prop_assert_eq!(covering_at(&idx, p, refs, cp), s.covering.clone());
            }
        }
        prop_assert!(covering_at(&idx, p, refs, p.end_cp).is_empty(), "past the paragraph's end");
        let mut rebuilt = String::new();
        let mut prev: Option<BTreeSet<&str>> = None;
        for s in &segs {
            prop_assert!(s.start_cp < s.end_cp, "empty segment {:?}", s);
            prop_assert_eq!(Some(s.start_utf16), idx.cp_to_utf16(s.start_cp));
            prop_assert_eq!(Some(s.utf8.0), idx.cp_to_utf8(s.start_cp));
            prop_assert_eq!(Some(s.utf8.1), idx.cp_to_utf8(s.end_cp));
            rebuilt.push_str(&text[s.utf8.0..s.utf8.1]);
            // The covering set is exactly the annotations covering the segment ...
            let got: BTreeSet<&str> = s.covering.iter().map(|&i| &*refs[i].id).collect();
            prop_assert_eq!(got.len(), s.covering.len(), "no annotation listed twice");
            let expected: BTreeSet<&str> =
                anns.iter().filter(|a| a.start <= s.start_cp && a.end >= s.end_cp).map(|a| a.id.as_str()).collect();
            prop_assert_eq!(&got, &expected, "covering of {}..{}", s.start_cp, s.end_cp);
            // ... and no annotation boundary falls strictly inside a segment.
            for a in anns {
                prop_assert!(!(s.start_cp < a.start && a.start < s.end_cp), "{} starts inside a segment", a.id);
                prop_assert!(!(s.start_cp < a.end && a.end < s.end_cp), "{} ends inside a segment", a.id);
            }
            // Outermost (longest) first.
            let lens: Vec<usize> = s.covering.iter().map(|&i| refs[i].end - refs[i].start).collect();
            prop_assert!(lens.windows(2).all(|w| w[0] >= w[1]), "not outermost first: {:?}", lens);
            // Cuts only where the covering set changes.
            if let Some(prev) = &prev {
                prop_assert!(prev != &got, "needless cut at {}", s.start_cp);
            }
            prev = Some(got);
        }
        prop_assert_eq!(rebuilt.as_str(), idx.slice_cp(p.start_cp, p.end_cp).unwrap());
    }
    Ok(())
}

fn sorted(mut anns: Vec<Annotation>) -> Vec<Annotation> {
    anns.sort_by(text_order);
    anns
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn plan_tiles_text_and_segments_list_exactly_their_covering_annotations(
        text in lines_strategy(60), raw in raw_spans(10),
    ) {
        let anns = sorted(annotations_from_raw(&text, &raw));
        check_plan(&text, &anns)?;
    }

    #[test]
    fn plan_holds_for_texts_from_the_full_unicode_pool(text in text_strategy(80), raw in raw_spans(8)) {
        let anns = sorted(annotations_from_raw(&text, &raw));
        check_plan(&text, &anns)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// The incremental update after an edit equals the plan built from
    /// scratch, and paragraphs no change touches keep their `Rc`.
    #[test]
    fn updating_the_paragraph_lists_equals_rebuilding_them(
        text in lines_strategy(40), raw in raw_spans(10), raw2 in raw_spans(10), keep in prop::collection::vec(any::<bool>(), 10),
    ) {
        let idx = TextIndex::new(text.as_str());
        let paras = paragraphs(&idx);
        let old = sorted(annotations_from_raw(&text, &raw));
        // The new list: some old annotations kept, the rest replaced by new spans
        // under the same ids (moves, relabels) or dropped, plus new ones.
        let fresh = annotations_from_raw(&text, &raw2);
        let mut new: Vec<Annotation> = Vec::new();
        for (i, a) in old.iter().enumerate() {
            if keep[i % keep.len()] {
                new.push(a.clone());
            } else if let Some(f) = fresh.get(i) {
                let mut f = f.clone();
                f.id = a.id.clone();
                new.push(f);
            }
        }
        for f in fresh.iter().skip(old.len()) {
            let mut f = f.clone();
            f.id = format!("new-{}", f.id);
            new.push(f);
        }
        let new = sorted(new);
        let rc = |v: Vec<Vec<AnnRef>>| v.into_iter().map(std::rc::Rc::new).collect::<Vec<_>>();
        let prev = rc(annotations_by_paragraph(&paras, &old));
        let got = update_by_paragraph(&paras, &prev, &old, &new, usize::MAX).expect("an update");
        let want = annotations_by_paragraph(&paras, &new);
        prop_assert_eq!(got.iter().map(|v| (**v).clone()).collect::<Vec<_>>(), want.clone());
        for (p, (g, o)) in got.iter().zip(&prev).enumerate() {
            if **g == **o {
                // Unchanged lists are shared unless a change touched the paragraph.
                let touched = old.iter().chain(&new).any(|a| {
                    a.start < paras[p].end_cp && a.end > paras[p].start_cp
                        && (old.iter().find(|x| x.id == a.id) != new.iter().find(|x| x.id == a.id))
                });
                prop_assert!(touched || std::rc::Rc::ptr_eq(g, o), "paragraph {} rebuilt without a change", p);
            }
        }
        prop_assert!(update_by_paragraph(&paras, &prev, &old, &new, 0).is_none() || old == new);
        let known = annotator_core::render::plan::apply_changes_by_paragraph(&paras, &prev, &annotator_core::history::diff(&old, &new));
        prop_assert_eq!(known.iter().map(|v| (**v).clone()).collect::<Vec<_>>(), want);
    }
}

#[test]
fn paragraphs_split_after_each_run_of_lf_crlf_and_cr() {
    let text = "a\r\n\r\nb\rc\nd\n\ne";
    let idx = TextIndex::new(text);
    assert_eq!(para_texts(&idx, &paragraphs(&idx)), ["a\r\n\r\n", "b\r", "c\n", "d\n\n", "e"]);
    let idx = TextIndex::new("\n\nlead\n");
    assert_eq!(para_texts(&idx, &paragraphs(&idx)), ["\n\n", "lead\n"]);
}

#[test]
fn empty_text_is_one_empty_paragraph_with_no_segments() {
    let idx = TextIndex::new("");
    let paras = paragraphs(&idx);
    assert_eq!(paras, [Paragraph { start_cp: 0, end_cp: 0, start_utf16: 0, end_utf16: 0 }]);
    assert!(segments(&idx, &paras[0], &[]).is_empty());
}

#[test]
fn paragraph_utf16_offsets_count_surrogate_pairs() {
    let text = "📊𝐀\n中";
    let idx = TextIndex::new(text);
    let paras = paragraphs(&idx);
    assert_eq!(
        paras,
        [
            Paragraph { start_cp: 0, end_cp: 3, start_utf16: 0, end_utf16: 5 },
            Paragraph { start_cp: 3, end_cp: 4, start_utf16: 5, end_utf16: 6 },
        ]
    );
}

#[test]
fn overlapping_and_nested_annotations_make_stacked_segments() {
    //          0         1         2
    //          0123456789012345678901234
    let text = "The 📊 minister denied it.\nNext";
    let a = |id: &str, s: usize, e: usize| ann(text, id, s, e, Label::Claim);
    let anns = sorted(vec![a("outer", 0, 24), a("inner", 6, 14), a("cross", 10, 20)]);
    let idx = TextIndex::new(text);
    let paras = paragraphs(&idx);
    let by_para = annotations_by_paragraph(&paras, &anns);
    assert_eq!(by_para[1], vec![], "the second paragraph is untouched");
    let segs = segments(&idx, &paras[0], &by_para[0]);
    let view: Vec<(usize, usize, Vec<&str>)> =
        segs.iter().map(|s| (s.start_cp, s.end_cp, s.covering.iter().map(|&i| &*by_para[0][i].id).collect())).collect();
    assert_eq!(
        view,
        [
            (0, 6, vec!["outer"]),
            (6, 10, vec!["outer", "inner"]),
            (10, 14, vec!["outer", "cross", "inner"]), // cross (10 long) before inner (8)
            (14, 20, vec!["outer", "cross"]),
            (20, 24, vec!["outer"]),
            (24, 26, vec![]),
        ]
    );
    // The segment after the emoji starts one UTF-16 unit later than its code point.
    assert_eq!(segs[1].start_utf16, 7);
    check_plan(text, &anns).unwrap();
}

#[test]
fn annotation_spanning_paragraphs_is_given_to_each_paragraph_it_touches() {
    let text = "one\r\ntwo\r\nthree\r\n";
    let anns = vec![ann(text, "x", 2, 12, Label::Denial)];
    let idx = TextIndex::new(text);
    let paras = paragraphs(&idx);
    let by_para = annotations_by_paragraph(&paras, &anns);
    assert_eq!(by_para.iter().map(Vec::len).collect::<Vec<_>>(), [1, 1, 1]);
    for (p, refs) in paras.iter().zip(&by_para) {
        let segs = segments(&idx, p, refs);
        let covered: Vec<(usize, usize)> = segs.iter().filter(|s| !s.covering.is_empty()).map(|s| (s.start_cp, s.end_cp)).collect();
        assert_eq!(covered, [(2.max(p.start_cp), 12.min(p.end_cp))]);
    }
    check_plan(text, &anns).unwrap();
}

#[test]
fn corpus_plan_with_expected_spans_is_consistent() {
    for (txt, json) in
        [("unicode-mixed.txt", "unicode-mixed.expected.json"), ("unicode-mixed-crlf.txt", "unicode-mixed-crlf.expected.json")]
    {
        let text = corpus_text(txt);
        let anns = sorted(
            expected_spans(json, txt).iter().enumerate().map(|(i, s)| ann(&text, &format!("s{i}"), s.start, s.end, label_of(i))).collect(),
        );
        check_plan(&text, &anns).unwrap();
        let idx = TextIndex::new(text.as_str());
        assert_eq!(paragraphs(&idx).len(), text.lines().count(), "{txt}: one paragraph per line");
    }
}
