//! The indexed searches (substring index, pigeonhole seeds, distance zones)
//! give exactly the anchoring of the reference, which passes Myers over
//! the whole text: same kind, same span, same edit count, same reason.

use annotator_core::anchor::{anchor_all, Anchorer, Anchoring, Candidate};
use annotator_core::model::Label;
use annotator_core::text::text_index::TextIndex;
use proptest::prelude::*;

/// An edit of a quote: (kind, position, character).
type Edit = (u8, usize, char);

fn candidate(chars: &[char], span: (usize, usize), edits: &[Edit], ctx: (u8, u8), hint: Option<i64>) -> Candidate {
    let n = chars.len();
    let s = span.0 % n;
    let e = (s + span.1).min(n);
    let mut q: Vec<char> = chars[s..e].to_vec();
    for &(kind, at, ch) in edits {
        if q.is_empty() {
            break;
        }
        let at = at % q.len();
        match kind % 3 {
            0 => q[at] = ch,
            1 => q.insert(at, ch),
            _ => {
                q.remove(at);
            }
        }
    }
    // Context: none, exact, or with one code point changed.
    let side = |mode: u8, from: usize, to: usize| -> String {
        let mut v: Vec<char> = chars[from..to].to_vec();
        match mode % 3 {
            0 => String::new(),
            1 => v.into_iter().collect(),
            _ => {
                if let Some(c) = v.first_mut() {
                    *c = 'Z';
                }
                v.into_iter().collect()
            }
        }
    };
    let quote: String = q.iter().collect();
    let start_hint = hint.map(|d| (s as i64 + d).max(0) as usize);
    let (prefix, suffix) = (side(ctx.0, s.saturating_sub(32), s), side(ctx.1, e, (e + 32).min(n)));
    Candidate { id: format!("c{s}"), ..bare(&quote, &prefix, &suffix, start_hint) }
}

fn text_from(alphabet: Vec<char>, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(alphabet), 1..max).prop_map(|v| v.into_iter().collect())
}

fn words_text(max_words: usize) -> impl Strategy<Value = String> {
    let words = vec!["the ", "said ", "Kabul ", "a ", "border, ", "کابل ", "e\u{301}t ", "👩\u{200d}👧 ", "of ", "report. "];
    prop::collection::vec(prop::sample::select(words), 1..max_words).prop_map(|v| v.concat())
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec((0u8..3, 0usize..1000, prop::sample::select(vec!['a', 'b', 'x', ' ', 'é'])), 0..4)
}

fn check(text: &str, cands: &[Candidate], band_unit: usize) -> Result<(), TestCaseError> {
    let ix = TextIndex::new(text);
    let mut fast = Anchorer::new_indexed(&ix, band_unit);
    let mut reference = Anchorer::new(&ix);
    for c in cands {
        prop_assert_eq!(fast.anchor(c), reference.anchor_reference(c), "candidate {:?}", c);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Short texts over a few characters (many approximate matches, long
    /// runs of ends, ties), quotes edited up to three times, any context
    /// and any position hint (near, far, past the end, none).
    #[test]
    fn indexed_anchoring_equals_the_reference_on_small_alphabets(
        text in text_from(vec!['a', 'b', 'c', ' ', '𝐀', 'é', '\n', 'e', '\u{301}'], 500),
        spec in prop::collection::vec(((0usize..1000, 1usize..60), edits(), (0u8..3, 0u8..3), prop::option::of(-600i64..600)), 1..8),
        band_unit in 1usize..40,
    ) {
        let chars: Vec<char> = text.chars().collect();
        let cands: Vec<Candidate> = spec.iter().map(|(span, ed, ctx, hint)| candidate(&chars, *span, ed, *ctx, *hint)).collect();
        check(&text, &cands, band_unit)?;
    }

    /// Texts of two letters: thousands of approximate matches, so the
    /// reference keeps only the 1,000 with the fewest edits nearest the hint.
    #[test]
    fn indexed_anchoring_equals_the_reference_with_more_matches_than_are_scored(
        text in text_from(vec!['a', 'b'], 6000),
        spec in prop::collection::vec(((0usize..6000, 4usize..14), edits(), (0u8..3, 0u8..3), prop::option::of(-3000i64..3000)), 1..4),
        band_unit in 1usize..200,
    ) {
        let chars: Vec<char> = text.chars().collect();
        let cands: Vec<Candidate> = spec.iter().map(|(span, ed, ctx, hint)| candidate(&chars, *span, ed, *ctx, *hint)).collect();
        check(&text, &cands, band_unit)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// Word texts longer than the near window, hints off by up to twice the
    /// window: the distance zones and their score bounds decide.
    #[test]
    fn indexed_anchoring_equals_the_reference_on_long_texts(
        text in words_text(9000),
        spec in prop::collection::vec(((0usize..60_000, 4usize..120), edits(), (0u8..3, 0u8..3), prop::option::of(-40_000i64..40_000)), 1..6),
        band_unit in prop::sample::select(vec![1usize, 16, 256]),
    ) {
        let chars: Vec<char> = text.chars().collect();
        let cands: Vec<Candidate> = spec.iter().map(|(span, ed, ctx, hint)| candidate(&chars, *span, ed, *ctx, *hint)).collect();
        check(&text, &cands, band_unit)?;
    }
}

/// An import large enough for the index to be built on the way (after a
/// few dozen searches of the whole text) anchors as the reference does.
#[test]
fn an_import_that_builds_the_index_midway_anchors_as_the_reference() {
    let words = ["the ", "minister ", "said ", "Kabul ", "border ", "report ", "of ", "a ", "پاکستان ", "📊 "];
    let mut x: u64 = 0x2545f4914f6cdd1d;
    let mut next = |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let text: String = (0..12_000).map(|_| words[next(words.len())]).collect();
    let chars: Vec<char> = text.chars().collect();
    let ix = TextIndex::new(text.as_str());
    let n = chars.len();
    let cands: Vec<Candidate> = (0..200)
        .map(|_| {
            let edits: Vec<Edit> = (0..1 + next(2)).map(|_| (next(3) as u8, next(1000), 'x')).collect();
            let hint = next(80_000) as i64 - 40_000;
            candidate(&chars, (next(n), 8 + next(150)), &edits, (1, next(3) as u8), Some(hint))
        })
        .collect();
    let mut reference = Anchorer::new(&ix);
    let want: Vec<_> = cands.iter().map(|c| reference.anchor_reference(c)).collect();
    let (_, _, report) = anchor_all(&ix, cands);
    let got: Vec<_> = report.results.iter().map(|r| r.anchoring.clone()).collect();
    assert_eq!(got, want);
    assert!(report.work.indexed_positions > 0, "the index was never used: {:?}", report.work);
}

fn bare(quote: &str, prefix: &str, suffix: &str, start_hint: Option<usize>) -> Candidate {
    Candidate {
        id: "q".into(),
        label: Label::Claim,
        note: String::new(),
        speaker: String::new(),
        verdict: String::new(),
        links: Vec::new(),
        created: String::new(),
        modified: String::new(),
        quote: quote.into(),
        prefix: prefix.into(),
        suffix: suffix.into(),
        start_hint,
        end_hint: start_hint.map(|h| h + quote.chars().count()),
    }
}

/// 1,200 copies with fewer edits, far from the old position, fill the
/// reference's 1,000 scored matches and push out the copy in its original
/// context (which then is orphaned): the indexed search must do the same.
#[test]
fn more_than_a_thousand_closer_matches_push_the_original_out_as_in_the_reference() {
    let quote = "Pakistan witnessed violence-related fatalities";
    // (near: its context almost intact, far: one edit fewer, in another context)
    let cases = [
        ("Pakistan witnesed violence-relatd fatalitis", "Pakistan witnessed violence-relatd fatalitis", "2 edits"),
        ("Pakistn witnesed violence-relatd fatalitis", "Pakistan witnesed violence-relatd fatalitis", "3 edits"),
    ];
    for (near, far, edits) in cases {
        let mut text = String::from("Intro. The report said that ");
        text.push_str(near);
        text.push_str(" rose in 2023. ");
        text.push_str(&"x".repeat(20_000));
        for i in 0..1200 {
            text.push_str(&format!("{i} zz {far} yy "));
        }
        let ix = TextIndex::new(text.as_str());
        let c = bare(quote, "The report said that ", " rose in 2024.", Some(28));
        let want = Anchorer::new(&ix).anchor_reference(&c);
        // The reference scores only far copies, none in context: an orphan.
        let Anchoring::Orphaned { reason } = &want else { panic!("{want:?}") };
        assert!(reason.contains(edits), "{reason}");
        for unit in [1, 64, 256] {
            assert_eq!(Anchorer::new_indexed(&ix, unit).anchor(&c), want, "band unit {unit}");
        }
    }
}

/// Two placements tie (same start, same score: no suffix to tell them
/// apart) and more than 1,000 worse matches exist, so the reference takes
/// the one nearest the old position, not the first in the text.
#[test]
fn a_tie_among_the_best_is_broken_as_in_the_reference_when_matches_are_many() {
    let quote = "The quick brown fox jumps over itX";
    let mut text = String::from("Before. The quick brown fox jumps over it! After. ");
    text.push_str(&"x".repeat(20_000));
    for i in 0..1200 {
        text.push_str(&format!("{i} Tha quick briwn fox jumps over itX. "));
    }
    let ix = TextIndex::new(text.as_str());
    for hint in [0, 8, 9, 40] {
        let c = bare(quote, "", "", Some(hint));
        let want = Anchorer::new(&ix).anchor_reference(&c);
        for unit in [1, 64, 256] {
            assert_eq!(Anchorer::new_indexed(&ix, unit).anchor(&c), want, "hint {hint}, band unit {unit}");
        }
    }
}
