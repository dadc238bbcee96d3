//! `Intl.Segmenter` (the app's grapheme and word boundaries in the browser) against the
//! `unicode-segmentation` crate (the host's, and the tests'), on torture texts and on
//! generated strings mixing them, in Chromium and Firefox.
//!
//! **Grapheme clusters: identical**, no exception.
//!
//! **Word segments: identical except where the browsers' ICU tailors UAX #29**, each stated
//! and checked exactly here, never skipped:
//! 1. *Dictionary scripts* (Han, Hiragana, Katakana, Thai, Lao; in Chromium also Hangul
//!    syllables): ICU finds dictionary words ("東京|都|の|人口") and joins or parts them from
//!    their neighbours by its own rules (Chromium: "ไทย1" one word, "한|a", "한|'|a"), where the
//!    crate's rules make each ideograph, kana or Thai letter a segment (a run of Katakana one)
//!    and a Hangul syllable a letter like any other. So boundaries inside a segment that holds
//!    such a character (either side's segment) and at the edges of a run of them (with the
//!    marks on them) differ, also between the two engines. None of them cuts a grapheme
//!    cluster but one that starts with a prepended mark (U+0600), as with UAX #29 itself;
//!    in Chromium, conjoining jamo beside a Hangul syllable ("ᄀ|한|ᆨ"); in Firefox, a mark
//!    after a dictionary character ("文|\u{fe0f}").
//! 2. *Colons* (U+003A, U+FE55, U+FF1A): no MidLetter in ICU (CLDR's root locale), so "a:b"
//!    is three segments, as if the colon were any other punctuation.
//! 3. *Full stops in Chromium* (U+002E, U+FF0E): Chromium's ICU joins digits across them
//!    ("3.50") but not letters ("e.g", "U.S", "example.com" split), as if they were a comma.
//! 4. *The crate, not the browsers, leaves UAX #29* before a mid-word punctuation mark that a
//!    ZWJ follows: in "1,\u{200d}👍" the ZWJ joins the pictograph (WB3c) and, ignored after
//!    the comma (WB4), leaves no digit after it, so WB12 does not hold and a boundary follows
//!    "1", as both browsers have it; the crate keeps one segment.
//!
//! What the app relies on, word snapping of a selection (`snap_to_words`), holds with either:
//! it never cuts a cluster, contains the selection, changes nothing when repeated, and widens
//! each end to the word (by the browser's segments) it falls in. Checked here on every text.

use annotator_core::text::boundaries::{grapheme_containing, word_containing};
use annotator_core::text::text_index::TextIndex;
use annotator_core::text::words::snap_to_words;
use unicode_segmentation::UnicodeSegmentation;
use wasm_bindgen_test::wasm_bindgen_test;

const TORTURE: &[&str] = &[
    "👨\u{200d}👩\u{200d}👧\u{200d}👦 family 👩🏽\u{200d}💻 and 🏳\u{fe0f}\u{200d}🌈 1\u{fe0f}\u{20e3} ❤\u{fe0f}",
    "🇵🇰🇺🇸🇫🇷 three flags, 🇺🇸🇫 one and a half, 🇩",
    "e\u{301} a\u{308}\u{323} Z\u{351}\u{352}\u{353}\u{354} \u{301}starts with a mark",
    "وزیر دفاع نے کہا کہ یہ خبر غلط ہے۔ اُردُو زبان\u{200c}میں ۱۲۳ روپے، پاکستان",
    "東京都の人口は増えた。中华人民共和国成立于1949年。カタカナテキスト ひらがなのぶん",
    "한국어 텍스트 \u{1100}\u{1161}\u{11a8} \u{1112}\u{1161}\u{11ab}\u{1100}\u{1173}\u{11af} \u{1100}\u{1100}\u{1161}",
    "line one\r\nline two\rthree\nfour\r\n\r\nfive\n\r",
    "👍🏿👍 👋🏻\u{200d} skin tones 🧑🏾\u{200d}🤝\u{200d}🧑🏻",
    "ไทยภาษาไทย ພາສາລາວ",
    "क्षि नमस्ते हिन्दी \u{600}\u{661} \u{915}\u{94d}\u{200d}\u{937}",
    "The minister said 1,524 people didn't die; e.g. U.S. $3.50, 3.14, a:b foo_bar don’t l'homme",
    "a\u{200d}b \u{200d}\u{200d} x\u{ad}y \u{a0}\u{a0} \t\t z\u{2060}w ａ．ｂ １．２ ｘ：ｙ",
];

/// Pieces the generated strings are made of (every class above, also alone: a lone mark, a
/// lone half of a flag, a lone ZWJ, a lone skin tone, a lone jamo).
const PIECES: &[&str] = &[
    "a",
    "Kabul",
    "said",
    "1,524",
    "3.50",
    "e.g",
    "U.S",
    " ",
    " ",
    ".",
    ",",
    ":",
    "'",
    "’",
    "-",
    "_",
    "\r\n",
    "\n",
    "\r",
    "\t",
    "\u{a0}",
    "👩\u{200d}👩\u{200d}👧",
    "🇵",
    "🇰",
    "🇵🇰",
    "\u{301}",
    "\u{308}",
    "\u{64e}",
    "\u{651}",
    "\u{200d}",
    "\u{200c}",
    "👍",
    "\u{1f3fd}",
    "❤",
    "\u{fe0f}",
    "پاکستان",
    "نہیں",
    "ہلاک",
    "،",
    "۔",
    "۱۲",
    "中文",
    "東京",
    "の",
    "カタカナ",
    "ー",
    "ไทย",
    "\u{1100}",
    "\u{1161}",
    "\u{11a8}",
    "한",
    "क्षि",
    "\u{94d}",
    "\u{600}",
    "1",
    "\u{20e3}",
];

#[derive(Clone, Copy, PartialEq, Debug)]
enum Engine {
    Chromium,
    Firefox,
}

fn engine() -> Engine {
    let ua = web_sys::window().unwrap().navigator().user_agent().unwrap();
    match () {
        _ if ua.contains("Firefox/") => Engine::Firefox,
        _ if ua.contains("Chrome/") => Engine::Chromium,
        _ => panic!("no stated differences for this browser: {ua}"),
    }
}

/// The text the crate must segment to give ICU's words: difference 2 and, in Chromium, 3.
fn tailored(text: &str, engine: Engine) -> String {
    text.chars()
        .map(|c| match c {
            ':' | '\u{fe55}' | '\u{ff1a}' => '!',
            '.' | '\u{ff0e}' if engine == Engine::Chromium => ',',
            c => c,
        })
        .collect()
}

fn dictionary(c: char, engine: Engine) -> bool {
    let hangul = engine == Engine::Chromium && ('\u{ac00}'..='\u{d7a3}').contains(&c);
    hangul || matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{e00}'..='\u{eff}')
}

/// Marks of [`PIECES`] and [`TORTURE`] that stay with the character before them.
fn mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{64b}'..='\u{652}' | '\u{93a}'..='\u{94f}' | '\u{200c}' | '\u{200d}'
        | '\u{20e3}' | '\u{fe0f}' | '\u{1f3fb}'..='\u{1f3ff}')
}

/// For every position `0..=len`: whether a stated difference (1 or 4) covers it, given both
/// sides' word boundaries.
fn stated_differences(text: &str, engine: Engine, sides: [&[usize]; 2]) -> Vec<bool> {
    let chars: Vec<char> = text.chars().collect();
    let mut covered = vec![false; chars.len() + 1];
    let mut run = false;
    for (k, &c) in chars.iter().enumerate() {
        // 1: inside or at an edge of a run of dictionary characters with their marks…
        run = dictionary(c, engine) || (run && mark(c));
        if run {
            covered[k] = true;
            covered[k + 1] = true;
        }
        // 4: before mid-word punctuation that a ZWJ follows (after any other marks).
        let after = chars[k + 1..].iter().find(|&&m| !mark(m) || m == '\u{200d}');
        if matches!(c, '.' | ',' | ':' | ';' | '\'' | '’' | '،') && after == Some(&'\u{200d}') {
            covered[k] = true;
        }
    }
    // 1: …and inside a segment of either side that holds one.
    for bounds in sides {
        for pair in bounds.windows(2) {
            if chars[pair[0]..pair[1]].iter().any(|&c| dictionary(c, engine)) {
                covered[pair[0] + 1..pair[1]].iter_mut().for_each(|k| *k = true);
            }
        }
    }
    covered
}

fn crate_clusters(text: &str) -> Vec<usize> {
    ends(text.graphemes(true))
}

fn crate_words(text: &str) -> Vec<usize> {
    ends(text.split_word_bounds())
}

fn ends<'a>(segments: impl Iterator<Item = &'a str>) -> Vec<usize> {
    let mut out = vec![0];
    for s in segments {
        out.push(out.last().unwrap() + s.chars().count());
    }
    out
}

/// The boundaries `containing` gives walking `text` from its start (each segment must start
/// where the one before ended).
fn walked(text: &str, containing: fn(&str, usize) -> (usize, usize)) -> Vec<usize> {
    let len = text.chars().count();
    let mut out = vec![0];
    while *out.last().unwrap() < len {
        let pos = *out.last().unwrap();
        let (s, e) = containing(text, pos);
        assert!(s == pos && e > pos, "segment ({s}, {e}) at {pos} in {text:?}");
        out.push(e);
    }
    out
}

fn floor(bounds: &[usize], cp: usize) -> usize {
    *bounds.iter().rev().find(|&&b| b <= cp).unwrap()
}

fn ceil(bounds: &[usize], cp: usize) -> usize {
    *bounds.iter().find(|&&b| b >= cp).unwrap()
}

fn check_graphemes(text: &str) {
    let clusters = crate_clusters(text);
    assert_eq!(walked(text, grapheme_containing), clusters, "grapheme clusters of {text:?}");
    // The index asks within windows: the same clusters.
    let idx = TextIndex::new(text);
    for pair in clusters.windows(2) {
        for cp in pair[0]..pair[1] {
            assert_eq!(idx.grapheme_at(cp), (pair[0], pair[1]), "cluster at {cp} of {text:?}");
        }
    }
}

fn check_words(text: &str, engine: Engine) -> Vec<usize> {
    let intl = walked(text, word_containing);
    let expected = crate_words(&tailored(text, engine));
    let covered = stated_differences(text, engine, [&intl, &expected]);
    let rest = |v: &[usize]| v.iter().copied().filter(|&k| !covered[k]).collect::<Vec<_>>();
    assert_eq!(rest(&intl), rest(&expected), "word boundaries no stated difference covers, of {text:?}");
    // A word boundary splits no cluster but one that starts with a prepended mark (U+0600),
    // which neither UAX #29's word rules nor ICU's keep whole; in Chromium, conjoining jamo
    // beside a Hangul syllable; in Firefox, a mark after a dictionary character. (Snapping
    // widens to clusters anyway.)
    let clusters = crate_clusters(text);
    let chars: Vec<char> = text.chars().collect();
    let jamo = |k: usize| chars.get(k).is_some_and(|c| ('\u{1100}'..='\u{11ff}').contains(c));
    let after_dictionary = |k: usize| chars[..k].iter().rev().find(|&&c| !mark(c)).is_some_and(|&c| dictionary(c, engine));
    for &k in intl.iter().filter(|&&k| covered[k] && !clusters.contains(&k)) {
        let prepended = chars[k - 1] == '\u{600}';
        let chromium = engine == Engine::Chromium && (jamo(k) || jamo(k - 1));
        let firefox = engine == Engine::Firefox && mark(chars[k]) && after_dictionary(k);
        assert!(prepended || chromium || firefox, "word boundary {k} inside a cluster in {text:?}");
    }
    intl
}

/// `snap_to_words` on `[a, b)`: what the app relies on, with the browser's word segments.
fn check_snap(text: &str, words: &[usize], a: usize, b: usize) {
    let idx = TextIndex::new(text);
    let clusters = crate_clusters(text);
    let (s, e) = snap_to_words(&idx, a, b);
    let (lo, hi) = (floor(&clusters, a.min(b)), ceil(&clusters, a.max(b)));
    assert!(s <= lo && hi <= e, "snap of {a}..{b} to {s}..{e} lost part of it in {text:?}");
    assert!(clusters.contains(&s) && clusters.contains(&e), "snap {s}..{e} cuts a cluster of {text:?}");
    assert_eq!(snap_to_words(&idx, s, e), (s, e), "snapping {s}..{e} again moved it in {text:?}");
    // Each end widens to the word it falls in, then to the cluster, until it moves no more.
    let is_word = |cp: usize| {
        let (ws, we) = (floor(words, cp), ceil(words, cp + 1));
        idx.slice_cp(ws, we).unwrap().chars().any(char::is_alphanumeric)
    };
    let (mut start, mut end) = (lo, hi);
    while start < idx.len_cp() && is_word(start) && floor(&clusters, floor(words, start)) < start {
        start = floor(&clusters, floor(words, start));
    }
    while end > 0 && is_word(end - 1) && ceil(&clusters, ceil(words, end)) > end {
        end = ceil(&clusters, ceil(words, end));
    }
    assert_eq!((s, e), (start, end), "snap of {a}..{b} in {text:?}");
}

fn check(text: &str, engine: Engine, seed: &mut u64) {
    check_graphemes(text);
    let words = check_words(text, engine);
    let len = text.chars().count().max(1);
    for _ in 0..6 {
        check_snap(text, &words, next(seed) as usize % len, next(seed) as usize % len);
    }
}

/// xorshift64: the generated strings are the same on every run.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

fn generated(seed: &mut u64, pieces: usize) -> String {
    generated_from(PIECES, seed, pieces)
}

fn generated_from(pool: &[&str], seed: &mut u64, pieces: usize) -> String {
    (0..pieces).map(|_| pool[next(seed) as usize % pool.len()]).collect()
}

#[wasm_bindgen_test]
fn torture_texts_segment_alike_in_the_browser_and_the_crate() {
    let engine = engine();
    let mut seed = 0x5eed_2024;
    for text in TORTURE {
        check(text, engine, &mut seed);
    }
}

#[wasm_bindgen_test]
fn generated_strings_segment_alike_in_the_browser_and_the_crate() {
    let engine = engine();
    let mut seed = 0x9e37_79b9_7f4a_7c15;
    for n in 0..400 {
        let text = generated(&mut seed, 1 + n % 60);
        check(&text, engine, &mut seed);
    }
}

#[wasm_bindgen_test]
fn windows_of_long_lines_segment_as_the_whole_line() {
    // Far longer than a window, and made of pieces with no ASCII, space or punctuation that
    // would tell a boundary without asking: the index asks within windows cut anywhere.
    let engine = engine();
    let mut seed = 0x0123_4567_89ab_cdef;
    let pool: Vec<&str> = PIECES.iter().copied().filter(|p| !p.chars().any(|c| c.is_ascii() || "\u{a0}،۔".contains(c))).collect();
    for _ in 0..6 {
        let text = generated_from(&pool, &mut seed, 500);
        check(&text, engine, &mut seed);
    }
}

#[wasm_bindgen_test]
fn the_stated_differences_are_real() {
    // Each tailoring named above shows on a plain example, so none is stated for nothing.
    let engine = engine();
    let words = |t: &str| walked(t, word_containing);
    assert_ne!(words("東京都"), crate_words("東京都"), "1: dictionary words");
    let hangul = if engine == Engine::Chromium { vec![0, 1, 2] } else { vec![0, 2] };
    assert_eq!(words("한a"), hangul, "1: Hangul in Chromium");
    assert_eq!(crate_words("한a"), vec![0, 2]);
    assert_eq!(words("a:b"), vec![0, 1, 2, 3], "2: colon");
    assert_eq!(crate_words("a:b"), vec![0, 3]);
    let full_stop = if engine == Engine::Chromium { vec![0, 1, 2, 3] } else { vec![0, 3] };
    assert_eq!(words("a.b"), full_stop, "3: full stop between letters");
    assert_eq!(words("3.50"), vec![0, 4], "3: full stop between digits");
    assert_eq!(words("1,\u{200d}👍"), vec![0, 1, 4], "4: UAX #29");
    assert_eq!(crate_words("1,\u{200d}👍"), vec![0, 4], "4: the crate");
}
