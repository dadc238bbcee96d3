//! Boundaries from the browser's own `Intl.Segmenter` (ECMA-402; `wasm32` with the
//! `intl-segmenter` feature). One segmenter of each kind is made once, for the root locale
//! (`und`), so every person's browser segments alike whatever its language. A call sends the
//! piece to JavaScript once and asks `containing` for the one segment wanted; the piece is
//! short (a window of the text), which keeps each call a few microseconds in every engine
//! (Firefox's `containing` scans from the start of the string).
//!
//! `Intl.Segmenter` counts UTF-16 code units; they are converted to code points of the piece
//! here, and nowhere else.

use js_sys::Intl::{SegmentData, Segmenter, SegmenterGranularity, SegmenterOptions};
use js_sys::{Array, Reflect};
use wasm_bindgen::JsValue;

thread_local! {
    static GRAPHEMES: Segmenter = segmenter(SegmenterGranularity::Grapheme);
    static WORDS: Segmenter = segmenter(SegmenterGranularity::Word);
}

fn segmenter(granularity: SegmenterGranularity) -> Segmenter {
    let options = SegmenterOptions::new();
    options.set_granularity(granularity);
    let locales = Array::of1(&JsValue::from_str("und"));
    Segmenter::new(&locales, &options)
}

pub fn available() -> bool {
    Reflect::get(&js_sys::global(), &JsValue::from_str("Intl"))
        .and_then(|intl| Reflect::has(&intl, &JsValue::from_str("Segmenter")))
        .unwrap_or(false)
}

/// UTF-16 offset of code point `i` of `s`.
fn utf16_of(s: &str, i: usize) -> usize {
    s.chars().take(i).map(char::len_utf16).sum()
}

/// `[start, end)` in code points of `s` of the UTF-16 range `[u0, u0 + len)`. Segments always
/// begin and end between whole characters, so no offset falls inside a surrogate pair.
fn cp_range(s: &str, u0: usize, len: usize) -> (usize, usize) {
    let (mut u, mut cp, mut start) = (0, 0, None);
    for ch in s.chars() {
        if start.is_none() && u >= u0 {
            start = Some(cp);
        }
        if u >= u0 + len {
            return (start.unwrap_or(cp), cp);
        }
        u += ch.len_utf16();
        cp += 1;
    }
    (start.unwrap_or(cp), cp)
}

fn containing(segmenter: &'static std::thread::LocalKey<Segmenter>, s: &str, i: usize) -> (usize, usize) {
    let found: Option<SegmentData> = segmenter.with(|seg| seg.segment(s).containing(utf16_of(s, i) as u32));
    match found {
        Some(d) => cp_range(s, d.index() as usize, d.segment().length() as usize),
        // Only past the end, which callers never ask: the character alone.
        None => (i, i + 1),
    }
}

pub fn grapheme_containing(s: &str, i: usize) -> (usize, usize) {
    containing(&GRAPHEMES, s, i)
}

pub fn word_containing(s: &str, i: usize) -> (usize, usize) {
    containing(&WORDS, s, i)
}
