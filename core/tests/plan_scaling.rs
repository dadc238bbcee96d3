//! Regression guard for issue 4: building the render plan of a book-length
//! text (`plan::paragraphs`, `plan::annotations_by_paragraph`, then
//! `plan::segments` for every paragraph) is sub-quadratic: doubling the input
//! (text and annotations) costs at most ~2.2× the work.
//!
//! Work is counted in **operations, not wall time**, so the guard is exact and
//! does not flake on a busy machine. The counts come from the plan's outputs
//! plus a cost model of each step as `core/src/render/plan.rs` implements it today:
//!
//! | step | operations counted |
//! |------|--------------------|
//! | `paragraphs` | one per code point (a single pass) |
//! | `annotations_by_paragraph` | per annotation ⌈log₂(P+1)⌉ binary-search steps, plus one per (annotation, paragraph) touch |
//! | `segments` (per paragraph, `k` annotations touching it, `s` segments out) | cuts sorted: `c·⌈log₂ c⌉` with `c = 2k+2`; walk of the paragraph's code points; **covering** (see [`SegmentsCost`]); covering lists sorted: `m·⌈log₂ m⌉` per segment of `m` entries |
//!
//! The covering term is the one to watch. The first `segments` filtered all
//! `k` annotations of the paragraph for each of its ~2k segments: `s·k`, O(k²)
//! per paragraph. On texts cut into ordinary paragraphs `k` stays small and
//! that was still linear overall ([`plan_work_at_most_2_2x_when_book_length_input_doubles`]),
//! but on a text with few line breaks (one paragraph per chapter, a transcript
//! on one line) `k` grows with the input and the plan went quadratic
//! ([`plan_work_at_most_2_2x_when_paragraphs_grow`], ×3.5 per doubling).
//! Today's `segments` sweeps instead: annotations sorted by start once
//! (`k·log₂ k`), an active set updated at each cut, whose retained entries are
//! exactly the segment's covering list — O(k log k + s + Σ covering).
//! [`SEGMENTS_COST`] says which model is counted; if `segments` ever goes back
//! to scanning every annotation per segment, set it to
//! [`SegmentsCost::ScanPerSegment`] and the long-paragraph test fails, as it should.
//!
//! Outputs that must stay linear whatever the algorithm (segments produced,
//! covering entries, paragraph touches) are checked separately, from the real
//! outputs of the real functions.
//!
//! The texts are generated here, deterministically, the way
//! `bench/workload.py` builds the browser benchmark's: the seed article's
//! paragraphs in numbered sections, a non-ASCII line every ~20 KB,
//! word-aligned annotations of 3–12 words, ~5 % overlapping another.

use annotator_core::model::{text_order, Annotation, Label};
use annotator_core::render::plan::{annotations_by_paragraph, paragraphs, segments};
use annotator_core::text::text_index::TextIndex;

const SEED_ARTICLE: &str = include_str!("../../assets/seed-article.txt");

/// Largest allowed ratio work(2n) / work(n) of the total.
const MAX_RATIO: f64 = 2.2;
/// Largest allowed ratio of each counted part: an n·log n part (sorting)
/// legitimately grows ×2.1–2.3 per doubling at these sizes, a quadratic one ×4.
const MAX_PART_RATIO: f64 = 2.5;

/// How `plan::segments` finds the annotations covering each segment.
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, PartialEq)]
enum SegmentsCost {
    /// Today's code: `(0..anns.len()).filter(covers)` for every segment: `s·k`.
    ScanPerSegment,
    /// A sweep: annotations sorted by start (`k·log₂ k`), an active set kept
    /// per cut, its retained entries = the covering list (counted in
    /// `covering entries`) plus one retain pass per segment (`segments`).
    Sweep,
}

/// The algorithm `core/src/render/plan.rs` uses (`segments` sweeps since 15776e2);
/// keep in step with the code.
const SEGMENTS_COST: SegmentsCost = SegmentsCost::Sweep;

// ---------------------------------------------------------------- workload

/// xorshift64*: a small deterministic generator (no dependency needed).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
}

const UNICODE_LINES: [&str; 3] = [
    "پاکستان کے وزیر دفاع خواجہ آصف نے کہا 👩\u{200d}👩\u{200d}👧 🇵🇰 Cafe\u{301} re\u{301}sume\u{301} — 1,524 ہلاکتیں 📊",
    "Na\u{308}ive co\u{302}te\u{301} 👨\u{200d}💻 🏳\u{fe0f}\u{200d}🌈 👍🏽 1\u{fe0f}\u{20e3} افغان طالبان حکومت 中文 𝐀𝐁𝐂",
    "اسلام آباد 🧑\u{200d}🤝\u{200d}🧑 🇦🇫 🇵🇰 Zoe\u{308} A\u{30a}ngstro\u{308}m — دہشت گرد حملے 789 👩🏾\u{200d}🔬",
];

/// Blocks of text (headings, seed paragraphs, non-ASCII lines) adding up to
/// about `target_bytes` UTF-8 bytes.
fn blocks(target_bytes: usize, seed: u64) -> Vec<String> {
    let paras: Vec<&str> = SEED_ARTICLE.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
    let mut rng = Rng::new(seed);
    let (mut out, mut size, mut section, mut next_unicode, mut unicode_n) = (Vec::new(), 0, 0, 20_000, 0);
    while size < target_bytes {
        section += 1;
        let n = rng.range(6, 14);
        let first = paras[rng.range(0, paras.len() - 1)];
        let head: Vec<&str> = first.split_whitespace().take(rng.range(3, 7)).collect();
        out.push(format!("Section {section}. {}", head.join(" ")));
        for _ in 0..n {
            let p = paras[rng.range(0, paras.len() - 1)];
            size += p.len() + 2;
            out.push(p.to_string());
            if size >= next_unicode {
                out.push(format!("{} ({})", UNICODE_LINES[unicode_n % 3], unicode_n + 1));
                unicode_n += 1;
                next_unicode += 20_000;
            }
        }
    }
    out
}

/// A text of about `target_bytes`: blocks separated by blank lines, or, with
/// `lines = Some(n)`, joined by spaces into `n` long paragraphs.
fn build_text(target_bytes: usize, seed: u64, lines: Option<usize>) -> String {
    let b = blocks(target_bytes, seed);
    match lines {
        None => b.join("\n\n") + "\n",
        Some(n) => {
            let per = b.len().div_ceil(n);
            b.chunks(per).map(|c| c.join(" ")).collect::<Vec<_>>().join("\n\n") + "\n"
        }
    }
}

/// `(start_cp, end_cp, line)` of every word (maximal non-whitespace run).
fn words(text: &str) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let (mut line, mut start) = (0usize, None::<usize>);
    let mut cp = 0usize;
    for ch in text.chars() {
        if ch.is_whitespace() {
            if let Some(s) = start.take() {
                out.push((s, cp, line));
            }
            if ch == '\n' {
                line += 1;
            }
        } else if start.is_none() {
            start = Some(cp);
        }
        cp += 1;
    }
    if let Some(s) = start {
        out.push((s, cp, line));
    }
    out
}

/// Word indices `[first, last]` of a run of `count` words on one line.
fn span(w: &[(usize, usize, usize)], first: usize, count: usize) -> Option<(usize, usize)> {
    let first = first.min(w.len() - 1);
    let line = w[first].2;
    let mut lo = first;
    while lo > 0 && w[lo - 1].2 == line {
        lo -= 1;
    }
    let mut hi = first;
    while hi + 1 < w.len() && w[hi + 1].2 == line {
        hi += 1;
    }
    if hi - lo + 1 < 3 {
        return None;
    }
    let count = count.min(hi - lo + 1);
    if first + count - 1 <= hi {
        Some((first, first + count - 1))
    } else if hi - first + 1 >= 3 {
        Some((first, hi))
    } else {
        Some((hi + 1 - count, hi))
    }
}

/// `n` word-aligned annotations of 3–12 words, spread evenly, ~5 % placed to
/// overlap another; labels cycle in text order; sorted in text order.
fn build_annotations(text: &str, n: usize, seed: u64) -> Vec<Annotation> {
    let w = words(text);
    let chars: Vec<char> = text.chars().collect();
    let mut rng = Rng::new(seed ^ 0xA5A5);
    let n_overlap = n / 20;
    let n_base = n - n_overlap;
    let chunk = w.len() as f64 / n_base as f64;
    let mut spans = std::collections::BTreeSet::new();
    let mut base = Vec::new();
    let mut i = 0usize;
    while base.len() < n_base && i < n_base * 20 {
        let lo = ((i as f64 * chunk) as usize) % w.len();
        i += 1;
        let count = rng.range(3, 12);
        let room = (chunk as usize).saturating_sub(count);
        let Some((a, b)) = span(&w, lo + rng.range(0, room), count) else { continue };
        if spans.insert((w[a].0, w[b].1)) {
            base.push((a, b));
        }
    }
    let mut extra = 0;
    let mut tries = 0;
    while extra < n_overlap && tries < n_overlap * 50 + 50 {
        tries += 1;
        let (a, b) = base[rng.range(0, base.len() - 1)];
        let first = a + rng.range(1, (b - a).max(1));
        let Some((a2, b2)) = span(&w, first, rng.range(3, 12)) else { continue };
        if spans.insert((w[a2].0, w[b2].1)) {
            extra += 1;
        }
    }
    let mut anns: Vec<Annotation> = spans
        .into_iter()
        .enumerate()
        .map(|(k, (s, e))| Annotation {
            id: format!("bench-{k:06}"),
            start: s,
            end: e,
            quote: chars[s..e].iter().collect(),
            label: Label::ALL[k % 3],
            note: String::new(),
            speaker: String::new(),
            verdict: String::new(),
            links: Vec::new(),
            created: "2026-01-01T00:00:00.000Z".into(),
            modified: "2026-01-01T00:00:00.000Z".into(),
        })
        .collect();
    anns.sort_by(text_order);
    for (k, a) in anns.iter_mut().enumerate() {
        a.label = Label::ALL[k % 3];
    }
    anns
}

// ---------------------------------------------------------------- counting

/// Operation counts of one plan build (see the module docs).
#[derive(Clone, Copy, Debug, Default)]
struct Work {
    paragraphs_pass: u64,
    bsearch_steps: u64,
    touches: u64,
    cut_sort: u64,
    text_walk: u64,
    covering_scan: u64,
    covering_sort: u64,
    /// Outputs, algorithm-independent.
    segments: u64,
    covering_entries: u64,
    /// Largest number of annotations touching one paragraph.
    max_k: u64,
}

impl Work {
    fn total(&self) -> u64 {
        self.paragraphs_pass
            + self.bsearch_steps
            + self.touches
            + self.cut_sort
            + self.text_walk
            + self.covering_scan
            + self.covering_sort
            + self.segments
            + self.covering_entries
    }
}

fn log2_ceil(x: u64) -> u64 {
    if x <= 1 {
        1
    } else {
        64 - (x - 1).leading_zeros() as u64
    }
}

/// Builds the whole plan with the real functions and counts its work.
fn plan_work(text: &str, anns: &[Annotation]) -> Work {
    let index = TextIndex::new(text);
    let paras = paragraphs(&index);
    let by_para = annotations_by_paragraph(&paras, anns);
    assert_eq!(by_para.len(), paras.len());
    let mut w = Work {
        paragraphs_pass: index.len_cp() as u64,
        bsearch_steps: anns.len() as u64 * log2_ceil(paras.len() as u64 + 1),
        ..Work::default()
    };
    for (p, refs) in paras.iter().zip(&by_para) {
        let k = refs.len() as u64;
        w.touches += k;
        w.max_k = w.max_k.max(k);
        let segs = segments(&index, p, refs);
        let s = segs.len() as u64;
        let c = 2 * k + 2;
        w.cut_sort += c * log2_ceil(c);
        w.text_walk += (p.end_cp - p.start_cp) as u64;
        w.segments += s;
        for seg in &segs {
            let m = seg.covering.len() as u64;
            w.covering_entries += m;
            w.covering_sort += m * log2_ceil(m);
        }
        w.covering_scan += match SEGMENTS_COST {
            SegmentsCost::ScanPerSegment => s * k,
            SegmentsCost::Sweep => k * log2_ceil(k + 1),
        };
        // Segments tile the paragraph: a cheap sanity check that the counted plan is the real one.
        assert_eq!(segs.first().map(|s| s.start_cp), Some(p.start_cp));
        assert_eq!(segs.last().map(|s| s.end_cp), Some(p.end_cp));
    }
    w
}

fn ratio(a: u64, b: u64) -> f64 {
    b as f64 / a.max(1) as f64
}

/// Asserts the total grows at most ×[`MAX_RATIO`] and each part at most ×[`MAX_PART_RATIO`].
fn assert_scales(what: &str, small: Work, large: Work) {
    let rows = [
        ("paragraphs pass", small.paragraphs_pass, large.paragraphs_pass),
        ("binary-search steps", small.bsearch_steps, large.bsearch_steps),
        ("paragraph touches", small.touches, large.touches),
        ("cut sorting", small.cut_sort, large.cut_sort),
        ("text walk", small.text_walk, large.text_walk),
        ("covering scan", small.covering_scan, large.covering_scan),
        ("covering sort", small.covering_sort, large.covering_sort),
        ("segments (output)", small.segments, large.segments),
        ("covering entries (output)", small.covering_entries, large.covering_entries),
        ("TOTAL", small.total(), large.total()),
    ];
    let mut report = format!("{what}: work(n) → work(2n)\n");
    let mut bad = Vec::new();
    for (name, a, b) in rows {
        let r = ratio(a, b);
        report += &format!("  {name:<26} {a:>12} → {b:>12}  ×{r:.2}\n");
        let limit = if name == "TOTAL" { MAX_RATIO } else { MAX_PART_RATIO };
        if r > limit {
            bad.push(format!("{name} ×{r:.2} (limit ×{limit})"));
        }
    }
    report += &format!("  max annotations in one paragraph: {} → {}\n", small.max_k, large.max_k);
    println!("{report}");
    assert!(bad.is_empty(), "plan work grows too fast when the input doubles: {bad:?}\n{report}");
}

// ---------------------------------------------------------------- tests

#[test]
fn generated_workload_has_the_promised_shape() {
    let text = build_text(200_000, 7, None);
    let anns = build_annotations(&text, 2_000, 7);
    assert!(anns.len() >= 1_990 && anns.len() <= 2_000, "{} annotations", anns.len());
    let chars: Vec<char> = text.chars().collect();
    for a in &anns {
        assert_eq!(chars[a.start..a.end].iter().collect::<String>(), a.quote);
        let n = a.quote.split_whitespace().count();
        assert!((3..=12).contains(&n), "{n} words in {:?}", a.quote);
        assert!(!a.quote.contains('\n'));
    }
    // ~5 % placed to overlap: between 5 % and 20 % end up overlapping something.
    let mut max_end = 0;
    let overlapping = anns
        .iter()
        .filter(|a| {
            let o = a.start < max_end;
            max_end = max_end.max(a.end);
            o
        })
        .count();
    assert!(overlapping >= anns.len() / 25 && overlapping <= anns.len() / 5, "{overlapping} overlap");
    assert!(text.contains("Section 3.") && text.contains('\u{200d}') && text.contains('\u{301}'));
}

/// 1 MB / 10,000 annotations → 2 MB / 20,000, ordinary paragraphs.
#[test]
fn plan_work_at_most_2_2x_when_book_length_input_doubles() {
    let (t1, t2) = (build_text(1_000_000, 1, None), build_text(2_000_000, 1, None));
    let (a1, a2) = (build_annotations(&t1, 10_000, 1), build_annotations(&t2, 20_000, 1));
    assert!(a1.len() > 9_900 && a2.len() > 19_800);
    let (w1, w2) = (plan_work(&t1, &a1), plan_work(&t2, &a2));
    assert_scales("1 MB/10k → 2 MB/20k, seed-article paragraphs", w1, w2);
}

/// Same number of paragraphs (8), each twice as long: the annotations per
/// paragraph double, so a per-segment scan of all `k` (the old `s·k`) would
/// show here as ×4 (it measured ×3.5 in total before the sweep).
#[test]
fn plan_work_at_most_2_2x_when_paragraphs_grow() {
    let (t1, t2) = (build_text(250_000, 2, Some(8)), build_text(500_000, 2, Some(8)));
    let (a1, a2) = (build_annotations(&t1, 2_500, 2), build_annotations(&t2, 5_000, 2));
    let (w1, w2) = (plan_work(&t1, &a1), plan_work(&t2, &a2));
    assert_scales("250 KB/2.5k → 500 KB/5k in 8 paragraphs", w1, w2);
}

/// The plan's outputs (segments, covering entries, touches) stay linear when
/// paragraphs grow, so an output-sensitive `segments` (the sweep) is linear
/// there too. Checked on the real outputs, independent of the cost model.
#[test]
fn plan_outputs_stay_linear_when_paragraphs_grow() {
    let (t1, t2) = (build_text(250_000, 2, Some(8)), build_text(500_000, 2, Some(8)));
    let (a1, a2) = (build_annotations(&t1, 2_500, 2), build_annotations(&t2, 5_000, 2));
    let (w1, w2) = (plan_work(&t1, &a1), plan_work(&t2, &a2));
    for (name, a, b) in [
        ("segments", w1.segments, w2.segments),
        ("covering entries", w1.covering_entries, w2.covering_entries),
        ("touches", w1.touches, w2.touches),
    ] {
        assert!(ratio(a, b) <= MAX_RATIO, "{name}: {a} → {b}");
    }
    assert!(w2.max_k >= 2 * w1.max_k * 9 / 10, "the paragraphs really did grow: {} → {}", w1.max_k, w2.max_k);
    // The guard has teeth: on this input, the old per-segment scan (Σ s·k,
    // from the real outputs) grows ×4, so `ScanPerSegment` would fail above.
    let scan_cost = |text: &str, anns: &[Annotation]| -> u64 {
        let index = TextIndex::new(text);
        let paras = paragraphs(&index);
        let by = annotations_by_paragraph(&paras, anns);
        paras.iter().zip(&by).map(|(p, r)| segments(&index, p, r).len() as u64 * r.len() as u64).sum()
    };
    let r = ratio(scan_cost(&t1, &a1), scan_cost(&t2, &a2));
    assert!(r > 3.5, "a per-segment scan would grow ×{r:.2} here; the input no longer exposes it");
}

/// An edit's view update (issue 4: "an edit re-renders only what it
/// touches"): after one added annotation, `plan::apply_changes_by_paragraph`
/// rebuilds only the paragraphs the change touches, and every other paragraph
/// keeps its shared list (the same `Rc`, so its component is not rendered
/// again). The work, counted as paragraphs rebuilt and entries in their new
/// lists, must not grow with the document: 1 MB / 10k and 2 MB / 20k cost the same.
#[test]
fn an_edit_updates_the_same_few_paragraphs_whatever_the_document_size() {
    use annotator_core::history::Change;
    use annotator_core::render::plan::apply_changes_by_paragraph;
    use std::rc::Rc;
    let work = |bytes: usize, n: usize| -> (u64, u64) {
        let text = build_text(bytes, 3, None);
        let anns = build_annotations(&text, n, 3);
        let index = TextIndex::new(text.as_str());
        let paras = paragraphs(&index);
        let prev: Vec<Rc<Vec<annotator_core::render::plan::AnnRef>>> =
            annotations_by_paragraph(&paras, &anns).into_iter().map(Rc::new).collect();
        // A new annotation on the first words of the middle paragraph.
        let p = &paras[paras.len() / 2];
        let start = p.start_cp;
        let end = (start + 12).min(p.end_cp);
        let quote = index.slice_cp(start, end).unwrap().to_string();
        let added = Annotation {
            id: "new".into(),
            start,
            end,
            quote,
            label: Label::Claim,
            note: String::new(),
            speaker: String::new(),
            verdict: String::new(),
            links: Vec::new(),
            created: "t".into(),
            modified: "t".into(),
        };
        let out = apply_changes_by_paragraph(&paras, &prev, &[Change { before: None, after: Some(added) }]);
        let rebuilt: Vec<usize> = (0..paras.len()).filter(|&i| !Rc::ptr_eq(&out[i], &prev[i])).collect();
        let entries: u64 = rebuilt.iter().map(|&i| out[i].len() as u64).sum();
        (rebuilt.len() as u64, entries)
    };
    let (small, large) = (work(1_000_000, 10_000), work(2_000_000, 20_000));
    assert_eq!(small.0, 1, "one paragraph rebuilt for a one-paragraph edit");
    assert_eq!(large.0, small.0, "paragraphs rebuilt: {small:?} → {large:?}");
    assert!(large.1 <= small.1 * 3 + 8, "entries rebuilt grow with the document: {small:?} → {large:?}");
}
