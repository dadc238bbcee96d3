//! Re-anchoring time for 1,000 and 10,000 annotations on a ~1 MB text.
//!
//! `cargo run --release --example anchor_bench` (from `core/`).
//!
//! Scenarios, each on a deterministic ~1,000,000-code-point article-like text
//! (ASCII words mixed with emoji, flags, Urdu, CJK and combining accents):
//! 1. **unchanged**: a W3C export imported back into the same text;
//! 2. **edited**: a sentence inserted every ~5,000 code points (so almost every
//!    annotation moved), one word changed inside every 50th annotation, three
//!    paragraphs deleted; imported from the W3C export of the original;
//! 3. **quote only**: the same edited text, but the candidates carry no
//!    position (a W3C file from a tool that writes only TextQuoteSelector),
//!    so every one needs a search of the whole text;
//! 4. **all orphans** (worst case): every quote reversed, so it is made of
//!    the text's own characters but occurs nowhere, and every candidate runs
//!    the exact and the approximate (Myers) search over the whole text;
//! 5. **10,000 changed quotes**: 10,000 annotations on the unchanged text,
//!    none of which anchors exactly: every quote has one or two edits
//!    (a character replaced, inserted or deleted) and its position hint is
//!    off by 1 to 40,000 code points either way (so most hints lie outside
//!    the near window and the quote must be found in the whole text).

use annotator_core::anchor::{anchor_all, Candidate};
use annotator_core::formats::{import_w3c, w3c, ImportOptions};
use annotator_core::model::{Annotation, Document, Label};
use annotator_core::text::text_index::TextIndex;
use std::time::{Duration, Instant};

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
    "Khawaja",
    "Asif",
    "interview",
    "Taliban",
    "terrorism",
    "fatalities",
    "injuries",
    "record",
    "Afghanistan",
    "soldiers",
];

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

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed());
        out = Some(r);
    }
    (best, out.expect("at least one run"))
}

fn main() {
    // `ANCHOR_BENCH_ONLY=5` runs scenario 5 alone (for profiling).
    if std::env::var("ANCHOR_BENCH_ONLY").as_deref() == Ok("5") {
        let mut rng = Rng(0x2545f4914f6cdd1d);
        let text = big_text(&mut rng, 1_000_000);
        let ix = TextIndex::new(text.as_str());
        let changed = changed_quotes(&mut Rng(0x5eed_0005_f00d_cafe), &ix, 10_000);
        let (t, (_, _, report)) = best_of(1, || anchor_all(&ix, changed.clone()));
        println!("5. 10,000 quotes with 1-2 edits, hints off:  {:>8.1} ms  ({report})", ms(t));
        println!("   work: {:?}", report.work);
        return;
    }
    let mut rng = Rng(0x2545f4914f6cdd1d);
    let text = big_text(&mut rng, 1_000_000);
    let doc = Document::new("Bench", "bench", &text);
    let old = &doc.index;
    let n = old.len_cp();
    let anns: Vec<Annotation> = (0..1000)
        .map(|i| {
            let s = old.grapheme_ceil(rng.below(n - 400));
            let e = old.grapheme_ceil(s + 10 + rng.below(200));
            Annotation::new(&format!("a{i}"), s, e, old.slice_cp(s, e).unwrap_or(""), Label::ALL[i % 3], "2024-01-01T00:00:00Z")
        })
        .collect();
    let w3c_file = w3c::export(&doc, &anns);
    println!(
        "text: {} code points, {} UTF-8 bytes; 1,000 annotations of 10-210 code points; W3C file {} bytes",
        n,
        text.len(),
        w3c_file.len()
    );

    // 1. Unchanged.
    let (t, got) = best_of(5, || import_w3c(w3c_file.as_bytes(), old, &ImportOptions::default()).expect("valid"));
    println!("1. unchanged text, W3C parse + anchor:      {:>8.1} ms  ({})", ms(t), got.report);

    // 2. Edited.
    let chars: Vec<char> = text.chars().collect();
    let changed: Vec<usize> = anns.iter().step_by(50).map(|a| a.start + (a.end - a.start) / 2).collect();
    // Three paragraphs deleted: the paragraph starting after the first
    // paragraph break past 1/4, 2/4 and 3/4 of the text.
    let deleted: Vec<(usize, usize)> = (1..=3)
        .filter_map(|k| {
            let from = (k * n / 4..n - 3).find(|&i| chars[i..i + 3] == ['.', '\n', '\n'])? + 3;
            let to = (from..n - 3).find(|&i| chars[i..i + 3] == ['.', '\n', '\n'])? + 3;
            Some((from, to))
        })
        .collect();
    let mut edited = String::with_capacity(text.len() + 20_000);
    for (i, c) in chars.iter().enumerate() {
        if deleted.iter().any(|&(a, b)| i >= a && i < b) {
            continue;
        }
        if i % 5000 == 0 && i > 0 {
            edited.push_str("An inserted sentence. ");
        }
        if changed.contains(&i) {
            edited.push_str("CHANGED");
        }
        edited.push(*c);
    }
    let new = TextIndex::new(edited.as_str());
    let (t, got) = best_of(5, || import_w3c(w3c_file.as_bytes(), &new, &ImportOptions::default()).expect("valid"));
    println!("2. edited text, W3C parse + anchor:         {:>8.1} ms  ({})", ms(t), got.report);
    println!("   work: {:?}", got.report.work);

    // 3. Quote only.
    let quote_only: Vec<Candidate> = anns
        .iter()
        .map(|a| {
            let mut c = Candidate::from_annotation(a, Some(old));
            c.start_hint = None;
            c.end_hint = None;
            c
        })
        .collect();
    let (t, (_, _, report)) = best_of(3, || anchor_all(&new, quote_only.clone()));
    println!("3. edited text, quotes without positions:   {:>8.1} ms  ({report})", ms(t));

    // 4. All orphans.
    let strangers: Vec<Candidate> = anns
        .iter()
        .map(|a| {
            let mut c = Candidate::from_annotation(a, Some(old));
            c.quote = c.quote.chars().rev().collect();
            c
        })
        .collect();
    let (t, (_, _, report)) = best_of(1, || anchor_all(&new, strangers.clone()));
    println!("4. reversed quotes, all orphans (worst case):{:>8.1} ms  ({report})", ms(t));
    println!("   work: {:?}", report.work);

    // 5. 10,000 changed quotes with stale hints.
    let changed = changed_quotes(&mut Rng(0x5eed_0005_f00d_cafe), &doc.index, 10_000);
    let (t, (_, _, report)) = best_of(1, || anchor_all(old, changed.clone()));
    println!("5. 10,000 quotes with 1-2 edits, hints off:  {:>8.1} ms  ({report})", ms(t));
    println!("   work: {:?}", report.work);
}

/// `count` candidates on `ix`: quotes of 10-210 code points with one or two
/// edits each, their context from the text, their position hint moved by
/// 1 to 40,000 code points.
fn changed_quotes(rng: &mut Rng, ix: &TextIndex, count: usize) -> Vec<Candidate> {
    let n = ix.len_cp();
    (0..count)
        .map(|i| {
            let s = ix.grapheme_ceil(rng.below(n - 400));
            let e = ix.grapheme_ceil(s + 10 + rng.below(200));
            let a = Annotation::new(&format!("c{i}"), s, e, ix.slice_cp(s, e).unwrap_or(""), Label::ALL[i % 3], "2024-01-01T00:00:00Z");
            let mut c = Candidate::from_annotation(&a, Some(ix));
            let mut q: Vec<char> = c.quote.chars().collect();
            for _ in 0..1 + rng.below(2) {
                let at = rng.below(q.len());
                match rng.below(3) {
                    0 => q[at] = if q[at] == 'x' { 'y' } else { 'x' },
                    1 => q.insert(at, 'q'),
                    _ => {
                        q.remove(at);
                    }
                }
            }
            c.quote = q.into_iter().collect();
            let off = 1 + rng.below(40_000);
            let hint = if rng.below(2) == 0 { s.saturating_sub(off) } else { s + off };
            c.start_hint = Some(hint);
            c.end_hint = Some(hint + c.quote.chars().count());
            c
        })
        .collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
