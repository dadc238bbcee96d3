//! Opening a text file (or pasted text): every refusal with its reason, the
//! text kept byte for byte, the BOM removed and reported, and the title guess.

mod common;

use annotator_core::formats::textfile::{
    decode_pasted, decode_text_file, is_blank, looks_binary, title_from_file_name, title_from_text, Decoded, TextFileError,
    MAX_GUESSED_TITLE_CP, MAX_TEXT_BYTES,
};
use annotator_core::text::titles::UNTITLED;
use common::text_strategy;
use proptest::prelude::*;

fn err(name: &str, bytes: &[u8]) -> TextFileError {
    match decode_text_file(name, bytes) {
        Err(e) => e,
        Ok(d) => panic!("expected an error, got {d:?}"),
    }
}

// ------------------------------------------------------------------ refusals

#[test]
fn an_empty_file_is_refused_as_empty() {
    assert_eq!(err("a.txt", b""), TextFileError::Empty);
}

#[test]
fn a_file_holding_only_a_utf8_bom_is_empty() {
    assert_eq!(err("a.txt", b"\xEF\xBB\xBF"), TextFileError::Empty);
}

#[test]
fn a_file_of_only_white_space_is_refused() {
    assert_eq!(err("a.txt", b"  \r\n\t\n  "), TextFileError::OnlyWhitespace);
    assert_eq!(err("a.txt", " \u{a0}\u{2003}\u{200b}\u{3000}\n".as_bytes()), TextFileError::OnlyWhitespace);
    assert_eq!(err("a.txt", b"\xEF\xBB\xBF \n"), TextFileError::OnlyWhitespace);
}

#[test]
fn a_file_with_nul_bytes_is_binary() {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01";
    assert_eq!(err("picture.txt", png), TextFileError::Binary);
    assert_eq!(err("a.txt", b"plain text\0 with one NUL"), TextFileError::Binary);
}

#[test]
fn a_file_with_many_control_characters_is_binary_but_a_few_are_fine() {
    let noisy: Vec<u8> = (0..200u8).map(|i| if i % 5 == 0 { 0x01 } else { b'a' + i % 26 }).collect();
    assert!(looks_binary(&noisy));
    assert_eq!(err("a.txt", &noisy), TextFileError::Binary);
    // One escape and a form feed in a long text stay a text.
    let mut ok = "A line of ordinary prose. ".repeat(20).into_bytes();
    ok.push(0x1B);
    ok.push(0x0C);
    assert!(!looks_binary(&ok));
    assert!(decode_text_file("a.txt", &ok).is_ok());
}

#[test]
fn utf16_files_are_refused_with_a_message_saying_to_save_as_utf8() {
    let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain("Hi".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
    let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain("Hi".encode_utf16().flat_map(|u| u.to_be_bytes())).collect();
    assert_eq!(err("a.txt", &le), TextFileError::Utf16 { big_endian: false });
    assert_eq!(err("a.txt", &be), TextFileError::Utf16 { big_endian: true });
    let msg = TextFileError::Utf16 { big_endian: false }.to_string();
    assert!(msg.contains("UTF-16") && msg.contains("not supported") && msg.contains("UTF-8"), "{msg}");
}

#[test]
fn invalid_utf8_reports_the_first_bad_byte_with_line_and_column() {
    // Windows-1252 "é" (0xE9) on line 2, after "Caf".
    let bytes = b"First line\nCaf\xE9 au lait\n";
    assert_eq!(err("a.txt", bytes), TextFileError::InvalidUtf8 { byte_offset: 14, line: 2, column: 4 });
    // The column counts characters, not bytes.
    let bytes = "l1\r\nπß \u{1F4CA}".bytes().chain([0xC3, 0x28]).collect::<Vec<u8>>();
    let off = "l1\r\nπß \u{1F4CA}".len();
    assert_eq!(err("a.txt", &bytes), TextFileError::InvalidUtf8 { byte_offset: off, line: 2, column: 5 });
    // A truncated sequence at the very end.
    assert_eq!(err("a.txt", b"ok\xE2\x82"), TextFileError::InvalidUtf8 { byte_offset: 2, line: 1, column: 3 });
}

#[test]
fn invalid_utf8_after_a_bom_counts_the_bom_in_the_byte_offset_only() {
    assert_eq!(err("a.txt", b"\xEF\xBB\xBFab\xFF"), TextFileError::InvalidUtf8 { byte_offset: 5, line: 1, column: 3 });
}

#[test]
fn one_byte_over_50_mib_is_too_large_and_checked_before_anything_else() {
    assert_eq!(MAX_TEXT_BYTES, 50 * 1024 * 1024);
    // Zeroed memory is cheap; NULs would be "binary" if the size were not checked first.
    let big = vec![0u8; MAX_TEXT_BYTES + 1];
    assert_eq!(err("big.txt", &big), TextFileError::TooLarge { bytes: MAX_TEXT_BYTES + 1, max: MAX_TEXT_BYTES });
    let msg = err("big.txt", &big).to_string();
    assert!(msg.contains("too large") && msg.contains("50 MB"), "{msg}");
}

#[test]
fn every_error_has_a_sentence_for_people() {
    let all = [
        TextFileError::TooLarge { bytes: 60 << 20, max: MAX_TEXT_BYTES },
        TextFileError::Empty,
        TextFileError::OnlyWhitespace,
        TextFileError::Binary,
        TextFileError::Utf16 { big_endian: true },
        TextFileError::InvalidUtf8 { byte_offset: 3, line: 1, column: 4 },
    ];
    for e in all {
        let m = e.to_string();
        assert!(m.len() > 20 && m.ends_with('.') && m.chars().next().is_some_and(char::is_uppercase), "{m}");
    }
    let m = TextFileError::InvalidUtf8 { byte_offset: 3, line: 7, column: 4 }.to_string();
    assert!(m.contains("line 7") && m.contains("column 4") && m.contains("UTF-8"), "{m}");
}

// ------------------------------------------------------------ text kept exactly

#[test]
fn a_utf8_bom_is_removed_and_reported() {
    let d = decode_text_file("a.txt", b"\xEF\xBB\xBFHello\r\n").unwrap();
    assert_eq!(d, Decoded { text: "Hello\r\n".into(), bom_removed: true, title_guess: "a".into() });
    let d = decode_text_file("a.txt", b"Hello").unwrap();
    assert!(!d.bom_removed);
}

#[test]
fn only_the_leading_bom_is_removed() {
    let d = decode_text_file("a.txt", "\u{feff}x\u{feff}y".as_bytes()).unwrap();
    assert_eq!(d.text, "x\u{feff}y");
}

#[test]
fn the_text_is_kept_byte_for_byte_crlf_lone_cr_and_decomposed_accents_included() {
    let raw = "  Cafe\u{301}\r\nline\rnext\n\n\tend  \u{200b}";
    let d = decode_text_file("x.md", raw.as_bytes()).unwrap();
    assert_eq!(d.text, raw);
    assert!(!d.bom_removed);
}

#[test]
fn the_shared_corpus_decodes_unchanged() {
    for name in ["unicode-mixed.txt", "unicode-mixed-crlf.txt"] {
        let raw = common::corpus_text(name);
        assert_eq!(decode_text_file(name, raw.as_bytes()).unwrap().text, raw, "{name}");
    }
}

proptest! {
    #[test]
    fn any_non_blank_utf8_text_decodes_to_itself(text in text_strategy(40)) {
        prop_assume!(!is_blank(&text) && !text.starts_with('\u{feff}'));
        let d = decode_text_file("t.txt", text.as_bytes()).unwrap();
        prop_assert_eq!(d.text, text);
        prop_assert!(!d.bom_removed);
    }
}

// ---------------------------------------------------------------- pasted text

#[test]
fn pasted_text_follows_the_same_rules_and_guesses_its_title_from_the_first_line() {
    assert_eq!(decode_pasted(""), Err(TextFileError::Empty));
    assert_eq!(decode_pasted(" \n\t"), Err(TextFileError::OnlyWhitespace));
    assert_eq!(decode_pasted("a\0b"), Err(TextFileError::Binary));
    let d = decode_pasted("\n\n   Minister denies the report  \r\nBody text.").unwrap();
    assert_eq!(d.title_guess, "Minister denies the report");
    assert_eq!(d.text, "\n\n   Minister denies the report  \r\nBody text.");
}

// ---------------------------------------------------------------------- titles

#[test]
fn a_file_title_is_the_name_without_its_extension_or_folders() {
    assert_eq!(title_from_file_name("report.txt").as_deref(), Some("report"));
    assert_eq!(title_from_file_name("C:\\docs\\Report.final.md").as_deref(), Some("Report.final"));
    assert_eq!(title_from_file_name("a/b/README").as_deref(), Some("README"));
    assert_eq!(title_from_file_name(".txt"), None);
    assert_eq!(title_from_file_name(""), None);
    assert_eq!(decode_text_file(".txt", b"\n First words\n").unwrap().title_guess, "First words");
}

#[test]
fn a_guessed_title_is_at_most_80_characters_and_never_cuts_a_cluster() {
    let long = "👩\u{200d}👩\u{200d}👧 ".repeat(40);
    let t = title_from_text(&long);
    assert!(t.chars().count() <= MAX_GUESSED_TITLE_CP, "{}", t.chars().count());
    assert!(t.ends_with('…'));
    let body = t.trim_end_matches('…');
    assert!(body.split(' ').all(|w| w == "👩\u{200d}👩\u{200d}👧"), "{t:?}");
    let exact = "x".repeat(80);
    assert_eq!(title_from_text(&exact), exact);
}

#[test]
fn text_without_a_visible_line_is_untitled() {
    assert_eq!(title_from_text(" \n\u{200b}\n"), UNTITLED);
}

#[test]
fn a_title_with_html_is_kept_as_literal_text() {
    let d = decode_text_file("", b"<script>alert(1)</script> & <b>bold</b>\nbody").unwrap();
    assert_eq!(d.title_guess, "<script>alert(1)</script> & <b>bold</b>");
    let d = decode_text_file("<img src=x onerror=alert(1)>.txt", b"body").unwrap();
    assert_eq!(d.title_guess, "<img src=x onerror=alert(1)>");
}

#[test]
fn control_characters_in_a_guessed_title_collapse_to_spaces() {
    assert_eq!(title_from_text("\tA\u{1b}[31m  title\u{7}\u{202e}here\n"), "A [31m title here");
}
