//! Helpers shared by the host test suite: a text strategy built from a pool
//! of awkward pieces of Unicode, corpus loading, and reference computations
//! done the slow, obvious way (straight from `str` methods) to check the
//! fast index against.
#![allow(dead_code)]

use annotator_core::model::{Annotation, Label};
use proptest::prelude::*;
use std::path::PathBuf;
use unicode_segmentation::UnicodeSegmentation;

/// Pieces random texts are built from: ASCII, emoji, a ZWJ family, a flag,
/// a decomposed accent, Urdu/Arabic (RTL), CJK, astral math letters, NBSP,
/// zero-width space, tab, CRLF and lone CR / LF.
pub const POOL: &[&str] = &[
    "a",
    "Kabul",
    "said",
    "1,524",
    " ",
    " ",
    ".",
    "📊",
    "👩\u{200d}👩\u{200d}👧",
    "🇵🇰",
    "e\u{301}",
    "Cafe\u{301}",
    "پاکستان",
    "ہلاک",
    "عربي",
    "中文",
    "国防部长",
    "𝐀",
    "𝐀𝐁𝐂",
    "\u{a0}",
    "\u{200b}",
    "\t",
    "\r\n",
    "\r",
    "\n",
    "\n\n",
];

/// A random text of `0..max_pieces` pieces of [`POOL`].
pub fn text_strategy(max_pieces: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(POOL), 0..max_pieces).prop_map(|v| v.concat())
}

/// Pieces with more line breaks, for the paragraph tests.
pub const LINE_POOL: &[&str] = &["word", " ", "📊", "🇵🇰", "e\u{301}", "پاکستان", "中文", "𝐀", "\r\n", "\r", "\n", "\r\n\r\n"];

/// A random text rich in line breaks of every kind.
pub fn lines_strategy(max_pieces: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(LINE_POOL), 0..max_pieces).prop_map(|v| v.concat())
}

/// Raw span requests: two numbers each, reduced modulo the text length by the test.
pub fn raw_spans(max: usize) -> impl Strategy<Value = Vec<(usize, usize, usize)>> {
    prop::collection::vec((0usize..10_000, 0usize..10_000, 0usize..3), 0..max)
}

/// The repository's test texts with their expected offsets (`tests/fixtures`).
pub fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// Reads a corpus file as raw bytes turned into a string (no newline folding).
pub fn corpus_text(name: &str) -> String {
    let path = corpus_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// One span of a corpus `.expected.json`.
#[derive(Debug, Clone)]
pub struct ExpectedSpan {
    pub quote: String,
    pub start: usize,
    pub end: usize,
    pub start_utf16: usize,
    pub end_utf16: usize,
    pub start_utf8: usize,
    pub end_utf8: usize,
}

/// Loads the spans of a corpus `.expected.json`, checking it names `txt`.
pub fn expected_spans(json_name: &str, txt: &str) -> Vec<ExpectedSpan> {
    let v: serde_json::Value = serde_json::from_str(&corpus_text(json_name)).expect("expected.json is JSON");
    assert_eq!(v["file"], txt, "{json_name} describes {txt}");
    let num = |s: &serde_json::Value, k: &str| s[k].as_u64().unwrap_or_else(|| panic!("{json_name}: {k}")) as usize;
    let spans = v["spans"].as_array().expect("spans array");
    assert!(!spans.is_empty());
    spans
        .iter()
        .map(|s| ExpectedSpan {
            quote: s["quote"].as_str().expect("quote").to_string(),
            start: num(s, "start"),
            end: num(s, "end"),
            start_utf16: num(s, "start_utf16"),
            end_utf16: num(s, "end_utf16"),
            start_utf8: num(s, "start_utf8"),
            end_utf8: num(s, "end_utf8"),
        })
        .collect()
}

/// `(utf16, utf8)` offset of every code point index `0..=len_cp`, computed naively.
pub fn reference_offsets(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(text.len() + 1);
    let (mut u16, mut u8) = (0, 0);
    for ch in text.chars() {
        out.push((u16, u8));
        u16 += ch.len_utf16();
        u8 += ch.len_utf8();
    }
    out.push((u16, u8));
    out
}

/// Grapheme cluster boundaries of `text`, as code point indices (includes 0 and len).
pub fn grapheme_boundaries_cp(text: &str) -> Vec<usize> {
    let mut out = vec![0];
    let mut cp = 0;
    for g in text.graphemes(true) {
        cp += g.chars().count();
        out.push(cp);
    }
    out.dedup();
    out
}

/// The text between code points `[start, end)`, computed naively.
pub fn naive_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end.saturating_sub(start)).collect()
}

/// The label for a small number (0, 1, 2).
pub fn label_of(n: usize) -> Label {
    Label::ALL[n % 3]
}

/// A well-formed annotation of `text` over `[start, end)`.
pub fn ann(text: &str, id: &str, start: usize, end: usize, label: Label) -> Annotation {
    Annotation {
        id: id.to_string(),
        start,
        end,
        quote: naive_slice(text, start, end),
        label,
        note: String::new(),
        speaker: String::new(),
        verdict: String::new(),
        links: Vec::new(),
        created: "2024-01-01T00:00:00Z".into(),
        modified: "2024-01-01T00:00:00Z".into(),
    }
}

/// Turns raw span requests into valid, uniquely-identified annotations of
/// `text` (spans with `start < end`; none when the text is empty).
pub fn annotations_from_raw(text: &str, raw: &[(usize, usize, usize)]) -> Vec<Annotation> {
    let len = text.chars().count();
    if len == 0 {
        return Vec::new();
    }
    raw.iter()
        .enumerate()
        .map(|(i, &(a, b, l))| {
            let (a, b) = (a % len, b % len);
            let (start, end) = if a <= b { (a, b + 1) } else { (b, a + 1) };
            ann(text, &format!("a{i}"), start, end, label_of(l))
        })
        .collect()
}
