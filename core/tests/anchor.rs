//! Re-anchoring: the bit-parallel matcher against a plain dynamic program,
//! the four outcomes, the edited seed article, and the cost on a 1 MB text.

use annotator_core::anchor::{
    anchor_all, approx_match_ends, approx_search, max_errors, prefix_edit_distances, Anchorer, Anchoring, Candidate, CONTEXT_CP,
};
use annotator_core::model::{Annotation, Label, ModelError};
use annotator_core::text::text_index::TextIndex;
use proptest::prelude::*;

/// The sample article as the app ships it (`assets/`, the same text as the shared corpus's
/// copy), so the test needs nothing outside the repository.
const SEED_ARTICLE: &str = include_str!("../../assets/seed-article.txt");

/// Semi-global edit distance, the obvious O(n·m) way: for every text
/// position j, the fewest edits turning `p` into some substring ending at j.
fn naive_ends(t: &[char], p: &[char], k: usize) -> Vec<(usize, usize)> {
    let m = p.len();
    let mut col: Vec<usize> = (0..=m).collect();
    let mut out = Vec::new();
    for (j, tc) in t.iter().enumerate() {
        let mut next = vec![0; m + 1];
        for i in 1..=m {
            next[i] = (col[i - 1] + usize::from(p[i - 1] != *tc)).min(col[i] + 1).min(next[i - 1] + 1);
        }
        col = next;
        if col[m] <= k {
            out.push((j + 1, col[m]));
        }
    }
    out
}

/// Global edit distance between `p` and every prefix `t[..j]`, one DP column per j.
fn naive_prefix_distances(t: &[char], p: &[char], k: usize) -> Vec<(usize, usize)> {
    let m = p.len();
    let mut col: Vec<usize> = (0..=m).collect();
    let mut out = Vec::new();
    for (j, tc) in t.iter().enumerate() {
        let mut next = vec![j + 1; m + 1];
        for i in 1..=m {
            next[i] = (col[i - 1] + usize::from(p[i - 1] != *tc)).min(col[i] + 1).min(next[i - 1] + 1);
        }
        col = next;
        if col[m] <= k {
            out.push((j + 1, col[m]));
        }
    }
    out
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn small_alphabet_string(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(vec!['a', 'b', 'c', ' ', '𝐀', 'é', '\n']), 0..max).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Myers' block algorithm (with Ukkonen's cut-off) reports exactly the
    /// ends and error counts of the plain dynamic program, also for patterns
    /// longer than one 64-bit block.
    #[test]
    fn myers_reports_the_same_ends_as_the_dynamic_program(
        text in small_alphabet_string(400),
        pattern in small_alphabet_string(200),
        k_frac in 0usize..=100,
    ) {
        prop_assume!(!pattern.is_empty());
        let t: Vec<char> = text.chars().collect();
        let p: Vec<char> = pattern.chars().collect();
        let k = p.len() * k_frac / 100;
        let mut steps = 0;
        let got = approx_match_ends(&text, &pattern, k, &mut steps);
        prop_assert_eq!(got, naive_ends(&t, &p, k));
    }

    /// The anchored variant agrees with the plain edit distance to every prefix.
    #[test]
    fn anchored_myers_gives_the_edit_distance_to_every_prefix(
        text in small_alphabet_string(300),
        pattern in small_alphabet_string(200),
        k_frac in 0usize..=100,
    ) {
        prop_assume!(!pattern.is_empty());
        let t: Vec<char> = text.chars().collect();
        let p: Vec<char> = pattern.chars().collect();
        let k = p.len() * k_frac / 100;
        let want = naive_prefix_distances(&t, &p, k);
        let mut steps = 0;
        prop_assert_eq!(prefix_edit_distances(&text, &pattern, k, &mut steps), want);
    }

    /// Every match `approx_search` returns has exactly the edit distance it claims.
    #[test]
    fn approx_search_matches_have_the_errors_they_claim(
        text in small_alphabet_string(300),
        pattern in small_alphabet_string(120),
    ) {
        prop_assume!(!pattern.is_empty());
        let t: Vec<char> = text.chars().collect();
        let p: Vec<char> = pattern.chars().collect();
        let k = p.len() / 3;
        let best = naive_ends(&t, &p, k).iter().map(|e| e.1).min();
        let found = approx_search(&text, &pattern, k);
        prop_assert_eq!(found.iter().map(|m| m.errors).min(), best);
        for m in found {
            prop_assert!(m.start <= m.end && m.end <= t.len());
            prop_assert_eq!(levenshtein(&p, &t[m.start..m.end]), m.errors);
        }
    }

    /// Whatever the edit, anchoring keeps the invariant: every anchored
    /// annotation has `text[start..end] == quote`, and every candidate is
    /// either anchored or an orphan.
    #[test]
    fn anchored_annotations_always_quote_the_current_text(
        text in small_alphabet_string(300),
        spans in prop::collection::vec((0usize..1000, 1usize..40), 0..12),
        cut in 0usize..1000, cut_len in 0usize..30, insert in small_alphabet_string(20),
    ) {
        let old = TextIndex::new(text.as_str());
        let n = old.len_cp();
        prop_assume!(n > 0);
        let anns: Vec<Annotation> = spans.iter().enumerate().map(|(i, &(s, l))| {
            let s = s % n;
            let e = (s + l).min(n);
            ann(&old, &format!("a{i}"), s, e.max(s + 1).min(n), Label::Claim)
        }).filter(|a| a.start < a.end).collect();
        let chars: Vec<char> = text.chars().collect();
        let c = cut % (n + 1);
        let edited: String = chars[..c].iter().chain(insert.chars().collect::<Vec<_>>().iter())
            .chain(chars[(c + cut_len).min(n)..].iter()).collect();
        let new = TextIndex::new(edited.as_str());
        let cands: Vec<Candidate> = anns.iter().map(|a| Candidate::from_annotation(a, Some(&old))).collect();
        let (anchored, orphans, report) = anchor_all(&new, cands);
        prop_assert_eq!(anchored.len() + orphans.len(), anns.len());
        prop_assert_eq!(report.anchored(), anchored.len());
        prop_assert_eq!(report.orphaned, orphans.len());
        for a in &anchored {
            prop_assert!(a.start < a.end);
            prop_assert_eq!(new.slice_cp(a.start, a.end), Some(a.quote.as_str()));
        }
    }
}

fn ann(ix: &TextIndex, id: &str, start: usize, end: usize, label: Label) -> Annotation {
    Annotation {
        id: id.into(),
        start,
        end,
        quote: ix.slice_cp(start, end).unwrap().to_string(),
        label,
        note: format!("note {id}"),
        speaker: String::new(),
        verdict: String::new(),
        links: Vec::new(),
        created: "2024-05-01T10:00:00Z".into(),
        modified: "2024-05-02T10:00:00Z".into(),
    }
}

/// An annotation of the first occurrence of `quote` (after `after`) in `ix`.
fn ann_of(ix: &TextIndex, id: &str, quote: &str, after: &str, label: Label) -> Annotation {
    let text = ix.text();
    let from = text.find(after).unwrap_or_else(|| panic!("{after:?} not in text"));
    let b = from + text[from..].find(quote).unwrap_or_else(|| panic!("{quote:?} not after {after:?}"));
    let s = ix.utf8_to_cp(b).unwrap();
    ann(ix, id, s, s + quote.chars().count(), label)
}

#[test]
fn max_errors_is_a_quarter_of_the_quote_capped_at_32() {
    assert_eq!(max_errors(3), 0);
    assert_eq!(max_errors(4), 1);
    assert_eq!(max_errors(40), 10);
    assert_eq!(max_errors(1000), 32);
}

#[test]
fn position_with_matching_quote_is_exact() {
    let ix = TextIndex::new("one two three two one");
    let a = ann(&ix, "x", 4, 7, Label::Claim);
    let (anchored, orphans, report) = anchor_all(&ix, vec![Candidate::from_annotation(&a, Some(&ix))]);
    assert_eq!(anchored, vec![a]);
    assert!(orphans.is_empty());
    assert_eq!(report.to_string(), "1 anchored exactly, 0 moved, 0 fuzzy, 0 orphaned");
}

#[test]
fn among_several_occurrences_the_one_in_its_original_context_wins() {
    let old = TextIndex::new("Kabul said no. Islamabad said yes. Kabul said no again.");
    // The second "said" (after Islamabad) is annotated.
    let a = ann_of(&old, "s", "said", "Islamabad", Label::Claim);
    let new = TextIndex::new("New intro. Kabul said no. Islamabad said yes. Kabul said no again.");
    let mut anchorer = Anchorer::new(&new);
    let got = anchorer.anchor(&Candidate::from_annotation(&a, Some(&old)));
    let expected = new.text().find("Islamabad said").unwrap() + "Islamabad ".len();
    let s = new.utf8_to_cp(expected).unwrap();
    assert_eq!(got, Anchoring::Moved { start: s, end: s + 4 });
}

#[test]
fn without_context_the_occurrence_nearest_the_old_position_wins() {
    let new = TextIndex::new("said ... said ... said ... said");
    let c = Candidate {
        id: "n".into(),
        label: Label::Denial,
        note: String::new(),
        speaker: String::new(),
        verdict: String::new(),
        links: Vec::new(),
        created: String::new(),
        modified: String::new(),
        quote: "said".into(),
        prefix: String::new(),
        suffix: String::new(),
        start_hint: Some(20),
        end_hint: Some(24),
    };
    assert_eq!(Anchorer::new(&new).anchor(&c), Anchoring::Moved { start: 18, end: 22 });
}

#[test]
fn a_changed_word_inside_the_quote_anchors_fuzzily_on_the_new_wording() {
    let old = TextIndex::new("Intro. Pakistan witnessed 1,524 violence-related fatalities in 2023. Outro.");
    let a = ann_of(&old, "f", "Pakistan witnessed 1,524 violence-related fatalities", "", Label::Statistic);
    let new = TextIndex::new("Intro. Pakistan witnessed 1,524 terror-related fatalities in 2023. Outro.");
    let got = Anchorer::new(&new).anchor(&Candidate::from_annotation(&a, Some(&old)));
    let Anchoring::Fuzzy { start, end, errors } = got else { panic!("expected fuzzy, got {got:?}") };
    assert_eq!(new.slice_cp(start, end), Some("Pakistan witnessed 1,524 terror-related fatalities"));
    assert!(errors > 0 && errors <= max_errors(a.quote.chars().count()));
}

#[test]
fn a_quote_that_is_gone_is_orphaned_with_a_reason() {
    let old = TextIndex::new("Alpha beta gamma delta epsilon.");
    let a = ann_of(&old, "o", "gamma delta", "", Label::Claim);
    let new = TextIndex::new("Something else entirely, nothing alike here.");
    let (anchored, orphans, report) = anchor_all(&new, vec![Candidate::from_annotation(&a, Some(&old))]);
    assert!(anchored.is_empty());
    assert_eq!(report.orphaned, 1);
    let o = &orphans[0];
    assert_eq!((o.id.as_str(), o.quote.as_str(), o.label, o.note.as_str()), ("o", "gamma delta", Label::Claim, "note o"));
    assert!(o.reason.contains("no longer in the text"), "{}", o.reason);
}

#[test]
fn an_orphan_can_be_reattached_to_a_new_selection() {
    let ix = TextIndex::new("Alpha beta gamma.");
    let old = TextIndex::new("zzz");
    let a = ann(&old, "o", 0, 3, Label::Denial);
    let (_, orphans, _) = anchor_all(&ix, vec![Candidate::from_annotation(&a, Some(&old))]);
    let re = orphans[0].reattach(&ix, 6, 10, "2025-01-01T00:00:00Z").unwrap();
    assert_eq!((re.id.as_str(), re.quote.as_str(), re.label, re.note.as_str()), ("o", "beta", Label::Denial, "note o"));
    assert_eq!(re.created, "2024-05-01T10:00:00Z");
    assert_eq!(re.modified, "2025-01-01T00:00:00Z");
    assert_eq!(orphans[0].reattach(&ix, 6, 6, "t"), Err(ModelError::EmptySelection));
    assert!(matches!(orphans[0].reattach(&ix, 6, 99, "t"), Err(ModelError::OutOfRange { .. })));
}

#[test]
fn a_position_only_candidate_is_exact_inside_the_text_and_orphaned_outside() {
    let ix = TextIndex::new("short text");
    let mut c = Candidate {
        id: "p".into(),
        label: Label::Claim,
        note: String::new(),
        speaker: String::new(),
        verdict: String::new(),
        links: Vec::new(),
        created: String::new(),
        modified: String::new(),
        quote: String::new(),
        prefix: String::new(),
        suffix: String::new(),
        start_hint: Some(6),
        end_hint: Some(10),
    };
    let (anchored, _, _) = anchor_all(&ix, vec![c.clone()]);
    assert_eq!(anchored[0].quote, "text");
    c.end_hint = Some(50);
    let (_, orphans, _) = anchor_all(&ix, vec![c]);
    assert_eq!(orphans.len(), 1);
}

#[test]
fn fuzzy_matches_never_cut_a_grapheme_cluster() {
    let old = TextIndex::new("The family 👩\u{200d}👩\u{200d}👧 arrived in Kabul today.");
    let a = ann_of(&old, "g", "family 👩\u{200d}👩\u{200d}👧 arrived", "", Label::Claim);
    // One code point of the ZWJ sequence changes.
    let new = TextIndex::new("The family 👩\u{200d}👨\u{200d}👧 arrived in Kabul today.");
    let got = Anchorer::new(&new).anchor(&Candidate::from_annotation(&a, Some(&old)));
    let (s, e) = got.span().expect("anchored");
    assert!(new.is_grapheme_boundary(s) && new.is_grapheme_boundary(e));
    assert_eq!(new.slice_cp(s, e), Some("family 👩\u{200d}👨\u{200d}👧 arrived"));
}

/// The seed article, edited three ways: a sentence inserted, a word changed
/// inside an annotated span, a paragraph deleted.
#[test]
fn reanchoring_on_the_edited_seed_article() {
    let original = SEED_ARTICLE.to_string();
    let old = TextIndex::new(original.as_str());
    let anns = [
        // Before every edit: stays where it is.
        ann_of(&old, "khawaja", "Defence Minister Khawaja Asif", "", Label::Claim),
        // After the inserted sentence: same text, new position.
        ann_of(&old, "rs10", "offered to grant Rs10 billion", "", Label::Statistic),
        ann_of(&old, "denied", "a claim denied by Kabul", "", Label::Denial),
        // A word changed inside the span ("violence-related" → "terror-linked").
        ann_of(&old, "fatalities", "Pakistan witnessed 1,524 violence-related fatalities and 1,463 injuries", "", Label::Statistic),
        // Inside the deleted paragraph: gone.
        ann_of(&old, "strikes", "jets carried out air strikes against terrorists", "In March", Label::Claim),
        // Inside the deleted paragraph, but the quote also occurs elsewhere (in another context).
        ann_of(&old, "interim", "the Afghan interim government", "Soon after the strike", Label::Claim),
        // After the deleted paragraph: moved.
        ann_of(&old, "uptick", "an uptick in the incidents of terrorism", "", Label::Claim),
        // "Kabul" occurs five times; this one is right after an inserted sentence
        // and its suffix is intact.
        ann_of(&old, "kabul-2021", "Kabul", "took over the government in ", Label::Claim),
    ];

    let inserted = "Officials in Islamabad declined to comment further on Sunday. ";
    let mut edited = original.replacen("Asif made the comments", &format!("{inserted}Asif made the comments"), 1);
    edited = edited.replacen("1,524 violence-related fatalities", "1,524 terror-linked fatalities", 1);
    let deleted_1 = "In March, Pakistani air force jets carried out air strikes against terrorists in the border regions of Khost and Paktika inside the neighbouring country.\n\n";
    let deleted_2 = "Soon after the strike, Asif said that Pakistan wanted to convey to the Afghan interim government in Kabul that we cannot continue like this.\n\n";
    assert!(edited.contains(deleted_1) && edited.contains(deleted_2));
    edited = edited.replacen(deleted_1, "", 1).replacen(deleted_2, "", 1);
    edited = edited.replacen("took over the government in Kabul", "took over the government — a new sentence here. in Kabul", 1);
    let new = TextIndex::new(edited.as_str());

    let cands = anns.iter().map(|a| Candidate::from_annotation(a, Some(&old))).collect();
    let (anchored, orphans, report) = anchor_all(&new, cands);
    let kind = |id: &str| match report.get(id).unwrap() {
        Anchoring::Exact { .. } => "exact",
        Anchoring::Moved { .. } => "moved",
        Anchoring::Fuzzy { .. } => "fuzzy",
        Anchoring::Orphaned { .. } => "orphaned",
    };
    let got: Vec<(&str, &str)> = anns.iter().map(|a| (a.id.as_str(), kind(&a.id))).collect();
    assert_eq!(
        got,
        vec![
            ("khawaja", "exact"),
            ("rs10", "moved"),
            ("denied", "moved"),
            ("fatalities", "fuzzy"),
            ("strikes", "orphaned"),
            ("interim", "orphaned"),
            ("uptick", "moved"),
            ("kabul-2021", "moved"),
        ],
        "{report:#?}"
    );
    assert_eq!(report.to_string(), "1 anchored exactly, 4 moved, 1 fuzzy, 2 orphaned");
    for a in &anchored {
        assert_eq!(new.slice_cp(a.start, a.end), Some(a.quote.as_str()));
        let before = anns.iter().find(|b| b.id == a.id).unwrap();
        assert_eq!((a.label, &a.note, &a.created), (before.label, &before.note, &before.created));
        if a.id != "fatalities" {
            assert_eq!(a.quote, before.quote);
        }
    }
    let f = anchored.iter().find(|a| a.id == "fatalities").unwrap();
    assert_eq!(f.quote, "Pakistan witnessed 1,524 terror-linked fatalities and 1,463 injuries");
    let k = anchored.iter().find(|a| a.id == "kabul-2021").unwrap();
    assert_eq!(new.prefix_cp(k.start, 20), "w sentence here. in ");
    for o in &orphans {
        assert!(!o.reason.is_empty());
        let before = anns.iter().find(|b| b.id == o.id).unwrap();
        assert_eq!((&o.quote, o.label, &o.note), (&before.quote, before.label, &before.note));
    }
    let interim = orphans.iter().find(|o| o.id == "interim").unwrap();
    assert!(interim.reason.contains("context"), "{}", interim.reason);
}

/// A small deterministic generator (xorshift), so the big texts are the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "the",
    "minister",
    "said",
    "Kabul",
    "Islamabad",
    "border",
    "militants",
    "government",
    "attack",
    "report",
    "1,524",
    "security",
    "📊",
    "پاکستان",
    "中文",
    "Café",
    "e\u{301}",
    "🇵🇰",
    "of",
    "and",
    "in",
    "to",
    "a",
    "was",
    "that",
    "operation",
];

/// About `cp` code points of article-like text with paragraphs.
fn big_text(rng: &mut Rng, cp: usize) -> String {
    let mut s = String::with_capacity(cp * 2);
    let mut n = 0;
    while n < cp {
        let w = WORDS[rng.below(WORDS.len())];
        s.push_str(w);
        n += w.chars().count();
        let sep = match rng.below(40) {
            0 => ".\n\n",
            1..=3 => ", ",
            _ => " ",
        };
        s.push_str(sep);
        n += sep.chars().count();
    }
    s
}

/// Myers' cost per text code point stays flat as quotes get longer (the
/// cut-off keeps about one 64-row block active): the search is O(n·⌈k/64⌉),
/// not O(n·m).
#[test]
fn approximate_search_cost_does_not_grow_with_quote_length() {
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let text = big_text(&mut rng, 200_000);
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len() as f64;
    for m in [40usize, 200, 640, 1500] {
        // A quote that is not in the text: random words.
        let pattern: String = big_text(&mut rng, m).chars().take(m).collect();
        let k = max_errors(m);
        let mut steps = 0;
        approx_match_ends(&text, &pattern, k, &mut steps);
        let per_cp = steps as f64 / n;
        let blocks = m.div_ceil(64) as f64;
        eprintln!("m = {m:5}, k = {k:2}, blocks = {blocks:3}: {per_cp:.2} block steps per text code point");
        assert!(per_cp <= 3.0, "m = {m}: {per_cp} steps per code point");
    }
}

/// 1,000 annotations on a ~1 MB text that was edited: the total work is a
/// small multiple of (text length × searches), with searches only for the
/// annotations that did not stay put, and doubling the text about doubles it.
#[test]
fn anchoring_1000_annotations_on_1mb_is_linear_in_the_text() {
    let run = |cp: usize| {
        let mut rng = Rng(0x2545f4914f6cdd1d);
        let text = big_text(&mut rng, cp);
        let old = TextIndex::new(text.as_str());
        let n = old.len_cp();
        let anns: Vec<Annotation> = (0..1000)
            .map(|i| {
                let s = rng.below(n - 400);
                let l = 10 + rng.below(200);
                let (s, e) = (old.grapheme_ceil(s), old.grapheme_ceil(s + l));
                ann(&old, &format!("a{i}"), s, e, Label::ALL[i % 3])
            })
            .collect();
        // Edits: insert a sentence every ~n/200 code points, and change one
        // word in every 50th annotation.
        let chars: Vec<char> = text.chars().collect();
        let mut edited = String::with_capacity(text.len() + 20_000);
        let changed: Vec<usize> = anns.iter().step_by(50).map(|a| a.start + (a.end - a.start) / 2).collect();
        for (i, c) in chars.iter().enumerate() {
            if i % (n / 200) == 0 && i > 0 {
                edited.push_str("An inserted sentence. ");
            }
            if changed.contains(&i) {
                edited.push('X');
            }
            edited.push(*c);
        }
        let new = TextIndex::new(edited.as_str());
        let cands: Vec<Candidate> = anns.iter().map(|a| Candidate::from_annotation(a, Some(&old))).collect();
        let t = std::time::Instant::now();
        let (anchored, orphans, report) = anchor_all(&new, cands);
        let elapsed = t.elapsed();
        assert_eq!(anchored.len() + orphans.len(), 1000);
        (new.len_cp(), report, elapsed)
    };
    let (n, report, elapsed) = run(1_000_000);
    let w = report.work;
    eprintln!("1 MB ({n} cp), 1,000 annotations: {report} in {elapsed:?} (debug build); work {w:?}");
    assert!(report.anchored() >= 990, "{report}");
    assert!(report.fuzzy >= 15, "{report}");
    // Each fuzzy search costs about one block step per code point, never m per code point.
    assert!(w.myers_steps <= 3 * w.fuzzy_searches * n as u64 + 10_000_000, "{w:?}");
    let quadratic = 1000u64 * n as u64 * 100; // candidates × text × typical quote length
    let total = w.myers_steps + w.searched_bytes + w.compared_cp + w.context_cells;
    assert!(total * 100 < quadratic, "total work {total} is not far below {quadratic}");

    let (n2, report2, _) = run(500_000);
    let w2 = report2.work;
    let ratio = (w.myers_steps + w.searched_bytes) as f64 / (w2.myers_steps + w2.searched_bytes) as f64;
    eprintln!("half the text ({n2} cp): {report2}; work ratio 1 MB / 0.5 MB = {ratio:.2}");
    assert!(ratio < 3.0, "work grew {ratio}× when the text doubled");
}

#[test]
fn hints_far_past_the_end_of_the_text_do_not_panic() {
    let ix = TextIndex::new("Kabul denied the claim; Islamabad said 1,463 were injured.");
    let c = |quote: &str, prefix: &str, start: usize| Candidate {
        id: "h".into(),
        label: Label::Claim,
        note: String::new(),
        speaker: String::new(),
        verdict: String::new(),
        links: Vec::new(),
        created: String::new(),
        modified: String::new(),
        quote: quote.into(),
        prefix: prefix.into(),
        suffix: String::new(),
        start_hint: Some(start),
        end_hint: Some(start.saturating_add(quote.chars().count())),
    };
    for start in [59, 60, 100_000, usize::MAX - 3, usize::MAX] {
        let mut a = Anchorer::new(&ix);
        assert!(matches!(a.anchor(&c("denied the claim", "Kabul ", start)), Anchoring::Moved { start: 6, end: 22 }));
        assert!(matches!(a.anchor(&c("denied teh claim", "Kabul ", start)), Anchoring::Fuzzy { start: 6, end: 22, .. }));
        assert!(matches!(a.anchor(&c("nothing like it at all", "", start)), Anchoring::Orphaned { .. }));
    }
}

#[test]
fn context_is_32_code_points() {
    assert_eq!(CONTEXT_CP, 32);
}
