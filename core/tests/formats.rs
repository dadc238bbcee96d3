//! W3C Web Annotation, brat standoff and CSV: exact offsets on the Unicode
//! corpus, export → import identity on random texts, and a clear error with
//! its location for every kind of bad input.

mod common;

use annotator_core::formats::json_fields::ImportError;
use annotator_core::formats::native;
use annotator_core::formats::{
    self, brat, csv, detect, drop_existing, import, import_brat, import_native_lenient, import_w3c, w3c, Format, ImportOptions,
    UnknownLabelPolicy,
};
use annotator_core::model::links::{Link, LinkKind};
use annotator_core::model::{normalize_selection, Annotation, Document, Label};
use annotator_core::text::text_index::TextIndex;
use proptest::prelude::*;
use serde_json::{json, Value};

// ---------------------------------------------------------------- helpers

/// A test text of the repository (`tests/fixtures`), as `common::corpus_text` finds it.
fn corpus(name: &str) -> String {
    common::corpus_text(name)
}

/// `(quote, start, end)` of every span of a corpus `.expected.json`.
fn expected(json_name: &str) -> Vec<(String, usize, usize)> {
    let v: Value = serde_json::from_str(&corpus(json_name)).unwrap();
    v["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["quote"].as_str().unwrap().to_string(), s["start"].as_u64().unwrap() as usize, s["end"].as_u64().unwrap() as usize))
        .collect()
}

/// Python's `text[start:end]`, the slow obvious way.
fn py_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

fn doc(text: &str) -> Document {
    Document::new("Test article", "test-article", text)
}

fn ann(ix: &TextIndex, id: &str, start: usize, end: usize, label: Label, note: &str) -> Annotation {
    Annotation {
        id: id.into(),
        start,
        end,
        quote: ix.slice_cp(start, end).unwrap().to_string(),
        label,
        note: note.into(),
        speaker: String::new(),
        verdict: String::new(),
        links: Vec::new(),
        created: "2024-05-01T10:00:00.000Z".into(),
        modified: "2024-05-03T08:30:00.000Z".into(),
    }
}

/// What brat carries of an annotation: span, quote, label and note (with
/// line breaks as spaces); not the id or the times.
fn brat_view(a: &Annotation) -> (usize, usize, String, Label, String) {
    let note = a.note.chars().map(|c| if brat::is_line_break(c) { ' ' } else { c }).collect();
    (a.start, a.end, a.quote.clone(), a.label, note)
}

/// brat keeps no ids of ours: each annotation as its fields, with its
/// speaker, verdict and links (targets by their place in the list).
type BratView = ((usize, usize, String, Label, String), String, String, Vec<(usize, LinkKind)>);

fn brat_views(anns: &[Annotation]) -> Vec<BratView> {
    let place: std::collections::HashMap<&str, usize> = anns.iter().enumerate().map(|(i, a)| (a.id.as_str(), i)).collect();
    anns.iter()
        .map(|a| (brat_view(a), a.speaker.clone(), a.verdict.clone(), a.links.iter().map(|l| (place[l.to.as_str()], l.kind)).collect()))
        .collect()
}

/// Speakers, verdicts (one with spaces, one free text) and links on some of `anns`.
fn with_fact_check(mut anns: Vec<Annotation>) -> Vec<Annotation> {
    let ids: Vec<String> = anns.iter().map(|a| a.id.clone()).collect();
    for (i, a) in anns.iter_mut().enumerate() {
        if i % 3 == 0 {
            a.verdict = ["Mostly false", "True", "not proven"][(i / 3) % 3].into();
            a.speaker = "Khawaja Asif".into();
        }
        if let Some(to) = ids.get(i + 1).filter(|to| **to != a.id) {
            a.links = vec![Link { to: to.clone(), kind: LinkKind::ALL[i % 4] }];
        }
    }
    anns
}

fn opts() -> ImportOptions {
    ImportOptions::default()
}

fn field_path(e: ImportError) -> (String, String) {
    match e {
        ImportError::Field { path, message } => (path, message),
        other => panic!("expected a field error, got {other:?}"),
    }
}

/// A tiny RFC 4180 reader: fields split by commas, rows by CRLF, double
/// quotes enclose fields and are doubled inside them. Panics on a bare LF or
/// CR outside quotes and on a file not ending with CRLF.
fn read_csv(s: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' => {
                assert!(field.is_empty(), "quote in the middle of an unquoted field");
                quoted = true;
            }
            ',' => row.push(std::mem::take(&mut field)),
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF outside quotes");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            '\n' => panic!("bare LF outside quotes"),
            _ => field.push(c),
        }
    }
    assert!(!quoted, "unterminated quoted field");
    assert!(row.is_empty() && field.is_empty(), "the file must end with CRLF");
    rows
}

/// `(start, end)` of every annotation in a W3C export, from its TextPositionSelectors.
fn w3c_positions(json: &str) -> Vec<(usize, usize, String)> {
    let v: Value = serde_json::from_str(json).unwrap();
    v["first"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let sels = item["target"]["selector"].as_array().unwrap();
            let q = sels.iter().find(|s| s["type"] == "TextQuoteSelector").unwrap();
            let p = sels.iter().find(|s| s["type"] == "TextPositionSelector").unwrap();
            (p["start"].as_u64().unwrap() as usize, p["end"].as_u64().unwrap() as usize, q["exact"].as_str().unwrap().to_string())
        })
        .collect()
}

/// Fragments of every T line of an `.ann`.
fn brat_fragments(ann: &str) -> Vec<Vec<(usize, usize)>> {
    ann.lines()
        .filter(|l| l.starts_with('T'))
        .map(|l| {
            let mid = l.split('\t').nth(1).unwrap();
            let offs = mid.split_once(' ').unwrap().1;
            offs.split(';')
                .map(|f| {
                    let mut it = f.split(' ').map(|x| x.parse::<usize>().unwrap());
                    (it.next().unwrap(), it.next().unwrap())
                })
                .collect()
        })
        .collect()
}

// ---------------------------------------------------------------- corpus

fn corpus_annotations(ix: &TextIndex, spans: &[(String, usize, usize)]) -> Vec<Annotation> {
    let notes = ["", "a note, with a comma", "she said \"no\"", "two\nlines", "emoji 📊 and اردو", "  padded  "];
    let mut anns: Vec<Annotation> = spans
        .iter()
        .enumerate()
        .map(|(i, (_, s, e))| ann(ix, &format!("a{i}"), *s, *e, Label::ALL[i % 3], notes[i % notes.len()]))
        .collect();
    // Two spans across line breaks (CRLF in the CRLF file), for brat's fragments.
    let text = ix.text();
    let from = ix.utf8_to_cp(text.find("six-year high").unwrap()).unwrap();
    let to = ix.utf8_to_cp(text.find("Family emoji").unwrap() + "Family emoji".len()).unwrap();
    anns.push(ann(ix, "multi-1", from, to, Label::Statistic, "spans two lines"));
    let from = ix.utf8_to_cp(text.find("中文新闻").unwrap()).unwrap();
    let to = ix.utf8_to_cp(text.find("Islamabad said").unwrap() + "Islamabad".len()).unwrap();
    anns.push(ann(ix, "multi-2", from, to, Label::Denial, ""));
    anns
}

fn check_corpus_file(txt: &str, json: &str) {
    let text = corpus(txt);
    let spans = expected(json);
    let d = doc(&text);
    let ix = &d.index;
    let anns = corpus_annotations(ix, &spans);
    for (a, (q, s, e)) in anns.iter().zip(&spans) {
        assert_eq!((&a.quote, a.start, a.end), (q, *s, *e), "{txt}: the corpus span is where the fixture says");
    }

    // W3C: positions are the expected code points; import is the identity.
    let w = formats::export(Format::W3c, &d, &anns);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].file_name, "test-article.w3c.jsonld");
    let pos = w3c_positions(&w[0].contents);
    for ((s, e, exact), (q, es, ee)) in pos.iter().zip(&spans) {
        assert_eq!((s, e, exact), (es, ee, q), "{txt}: W3C offsets");
        assert_eq!(&py_slice(&text, *s, *e), q);
    }
    let back = import(&w[0].file_name, w[0].contents.as_bytes(), ix, &opts()).unwrap();
    assert_eq!(back.format, Format::W3c);
    assert_eq!(back.annotations, anns, "{txt}: W3C round trip");
    assert_eq!((back.report.exact, back.report.orphaned), (anns.len(), 0));

    // brat: T lines carry the expected offsets; both ways of importing give the spans back.
    let files = formats::export(Format::Brat, &d, &anns);
    let (ann_file, txt_file) = (&files[0], &files[1]);
    assert_eq!((ann_file.file_name.as_str(), txt_file.file_name.as_str()), ("test-article.ann", "test-article.txt"));
    assert_eq!(txt_file.contents, text, "the .txt is the raw text, byte for byte");
    for (i, (q, s, e)) in spans.iter().enumerate() {
        let line = ann_file.contents.lines().find(|l| l.starts_with(&format!("T{}\t", i + 1))).unwrap();
        assert_eq!(line, format!("T{}\t{} {s} {e}\t{q}", i + 1, Label::ALL[i % 3].display()), "{txt}: brat line");
    }
    let frags = brat_fragments(&ann_file.contents);
    let multi = &frags[spans.len()];
    assert_eq!(multi.len(), 2, "{txt}: a span over a line break is two fragments");
    for (s, e) in multi {
        assert!(!py_slice(&text, *s, *e).contains(['\r', '\n']));
    }
    let want: Vec<_> = anns.iter().map(brat_view).collect();
    for back in [
        import_brat(ann_file.contents.as_bytes(), Some(&txt_file.contents), ix, &opts()).unwrap(),
        import(&ann_file.file_name, ann_file.contents.as_bytes(), ix, &opts()).unwrap(),
    ] {
        assert_eq!(back.format, Format::Brat);
        assert_eq!(back.annotations.iter().map(brat_view).collect::<Vec<_>>(), want, "{txt}: brat round trip");
        assert_eq!(back.report.exact, anns.len());
        assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    }

    // Native, leniently: the identity too.
    let n = formats::export(Format::Native, &d, &anns);
    let back = import(&n[0].file_name, n[0].contents.as_bytes(), ix, &opts()).unwrap();
    assert_eq!(back.format, Format::Native);
    assert_eq!(back.annotations, anns);

    // CSV: parses back to the same fields, offsets as expected.
    let c = formats::export(Format::Csv, &d, &anns);
    assert_eq!(c[0].file_name, "test-article.annotations.csv");
    let rows = read_csv(c[0].contents.strip_prefix('\u{feff}').unwrap());
    assert_eq!(rows[0], ["id", "label", "start", "end", "quote", "note", "created", "speaker", "verdict", "links"]);
    for (row, a) in rows[1..].iter().zip(&anns) {
        assert_eq!(
            row,
            &[
                a.id.clone(),
                a.label.as_str().into(),
                a.start.to_string(),
                a.end.to_string(),
                a.quote.clone(),
                a.note.clone(),
                a.created.clone(),
                a.speaker.clone(),
                a.verdict.clone(),
                String::new()
            ]
        );
        assert_eq!(py_slice(&text, a.start, a.end), a.quote);
    }
}

#[test]
fn every_format_round_trips_the_unicode_corpus() {
    check_corpus_file("unicode-mixed.txt", "unicode-mixed.expected.json");
}

#[test]
fn every_format_round_trips_the_crlf_corpus() {
    check_corpus_file("unicode-mixed-crlf.txt", "unicode-mixed-crlf.expected.json");
}

// ---------------------------------------------------------------- properties

const POOL: &[&str] = &[
    "a",
    "Kabul",
    "said",
    "1,524",
    " ",
    ",",
    "\"",
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
    "\u{2028}",
];

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(POOL), 1..60).prop_map(|v| v.concat())
}

/// Annotations over raw spans of `text` (any code points, line breaks at
/// the edges included); every other one normalised as a selection would be.
fn random_annotations(ix: &TextIndex, raw: &[(usize, usize, usize, usize)]) -> Vec<Annotation> {
    let len = ix.len_cp();
    let notes = ["", "a, b", "\"quoted\"", "line\nbreak", "📊 ہلاک", "\ttab"];
    let mut out = Vec::new();
    for (i, &(a, b, l, n)) in raw.iter().enumerate() {
        let (a, b) = (a % len, b % len);
        let (mut s, mut e) = if a <= b { (a, b + 1) } else { (b, a + 1) };
        if i % 2 == 1 {
            match normalize_selection(ix, s, e) {
                Ok((ns, ne)) => (s, e) = (ns, ne),
                Err(_) => continue,
            }
        }
        out.push(ann(ix, &format!("id {i}/é"), s, e, Label::ALL[l % 3], notes[n % notes.len()]));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn w3c_and_brat_export_then_import_is_the_identity(
        text in text_strategy(),
        raw in prop::collection::vec((0usize..10_000, 0usize..10_000, 0usize..3, 0usize..6), 0..12),
    ) {
        let d = doc(&text);
        let ix = &d.index;
        let anns = with_fact_check(random_annotations(ix, &raw));

        let w = w3c::export(&d, &anns);
        let back = import_w3c(w.as_bytes(), ix, &opts()).unwrap();
        prop_assert_eq!(&back.annotations, &anns);
        prop_assert_eq!(back.report.exact, anns.len());

        let a = brat::export_ann(&anns);
        let extra = |x: &Annotation| [!x.note.is_empty(), !x.speaker.is_empty(), !x.verdict.is_empty()].iter().filter(|b| **b).count() + x.links.len();
        prop_assert_eq!(a.lines().count(), anns.len() + anns.iter().map(extra).sum::<usize>(),
            "one line per T, note, speaker, verdict and link, whatever the text holds");
        let want = brat_views(&anns);
        let back = import_brat(a.as_bytes(), Some(&text), ix, &opts()).unwrap();
        prop_assert_eq!(brat_views(&back.annotations), want.clone());
        let back = import_brat(a.as_bytes(), None, ix, &opts()).unwrap();
        prop_assert_eq!(brat_views(&back.annotations), want);
    }

    #[test]
    fn w3c_and_brat_offsets_agree_with_native_and_are_code_point_boundaries(
        text in text_strategy(),
        raw in prop::collection::vec((0usize..10_000, 0usize..10_000, 0usize..3, 0usize..6), 1..12),
    ) {
        let d = doc(&text);
        let ix = &d.index;
        let anns = random_annotations(ix, &raw);
        let nat: Value = serde_json::from_str(&native::export(&d, &anns)).unwrap();
        let native_offsets: Vec<(usize, usize)> = nat["annotations"].as_array().unwrap().iter()
            .map(|a| (a["start"].as_u64().unwrap() as usize, a["end"].as_u64().unwrap() as usize)).collect();

        let w = w3c_positions(&w3c::export(&d, &anns));
        prop_assert_eq!(w.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(), native_offsets.clone());
        for (s, e, exact) in &w {
            prop_assert_eq!(&py_slice(&text, *s, *e), exact);
        }

        let frags = brat_fragments(&brat::export_ann(&anns));
        prop_assert_eq!(frags.len(), anns.len());
        for (f, &(s, e)) in frags.iter().zip(&native_offsets) {
            prop_assert_eq!((f[0].0, f[f.len() - 1].1), (s, e));
            for (i, &(fs, fe)) in f.iter().enumerate() {
                prop_assert!(fs < fe && fe <= ix.len_cp());
                // Code point boundaries: each offset maps to a UTF-8 char boundary
                // and survives the UTF-16 round trip (no surrogate split).
                for o in [fs, fe] {
                    prop_assert!(text.is_char_boundary(ix.cp_to_utf8(o).unwrap()));
                    prop_assert_eq!(ix.utf16_to_cp_floor(ix.cp_to_utf16(o).unwrap()), Some(o));
                }
                // Interior fragment edges hold no line break.
                let piece = py_slice(&text, fs, fe);
                if i > 0 { prop_assert!(!piece.starts_with(brat::is_line_break)); }
                if i + 1 < f.len() { prop_assert!(!piece.ends_with(brat::is_line_break)); }
            }
        }
    }

    #[test]
    fn csv_fields_parse_back_with_an_rfc_4180_reader(
        text in text_strategy(),
        raw in prop::collection::vec((0usize..10_000, 0usize..10_000, 0usize..3, 0usize..6), 0..12),
    ) {
        let ix = TextIndex::new(text.as_str());
        let anns = random_annotations(&ix, &raw);
        let out = csv::export(&anns);
        prop_assert!(out.starts_with(BOM));
        let rows = read_csv(&out[BOM.len_utf8()..]);
        prop_assert_eq!(rows.len(), anns.len() + 1);
        for (row, a) in rows[1..].iter().zip(&anns) {
            prop_assert_eq!(row.len(), 10);
            prop_assert_eq!(&row[0], &a.id);
            prop_assert_eq!(&row[4], &a.quote);
            prop_assert_eq!(&row[5], &a.note);
            let (s, e): (usize, usize) = (row[2].parse().unwrap(), row[3].parse().unwrap());
            prop_assert_eq!(py_slice(&text, s, e), a.quote.clone());
        }
    }
}

// ---------------------------------------------------------------- exports in detail

#[test]
fn csv_quotes_only_what_rfc_4180_needs_and_ends_rows_with_crlf() {
    let ix = TextIndex::new("plain, \"q\" x\ny");
    let mut anns = vec![ann(&ix, "a1", 0, 5, Label::Claim, " lead"), ann(&ix, "a2", 5, 14, Label::Denial, "")];
    anns[1].speaker = "Kabul, officials".into();
    anns[1].verdict = "False".into();
    anns[1].links = vec![
        annotator_core::model::links::Link { to: "a1".into(), kind: annotator_core::model::links::LinkKind::Denies },
        annotator_core::model::links::Link { to: "a9".into(), kind: annotator_core::model::links::LinkKind::Repeats },
    ];
    let out = csv::export(&anns);
    assert_eq!(
        out,
        "\u{feff}id,label,start,end,quote,note,created,speaker,verdict,links\r\n\
         a1,claim,0,5,plain,\" lead\",2024-05-01T10:00:00.000Z,,,\r\n\
         a2,denial,5,14,\", \"\"q\"\" x\ny\",,2024-05-01T10:00:00.000Z,\"Kabul, officials\",False,denies:a1 repeats:a9\r\n"
    );
}

#[test]
fn brat_writes_multi_line_spans_as_fragments_joined_by_a_space() {
    let ix = TextIndex::new("first\nsecond line\r\nthird");
    let anns = vec![ann(&ix, "x", 0, 12, Label::Claim, "note\nwith\r\nbreaks"), ann(&ix, "y", 6, 24, Label::Statistic, "")];
    assert_eq!(
        brat::export_ann(&anns),
        "T1\tClaim 0 5;6 12\tfirst second\n#1\tAnnotatorNotes T1\tnote with  breaks\nT2\tStatistic 6 17;19 24\tsecond line third\n"
    );
    assert_eq!(brat::fragments(0, "\n\nab\n"), vec![(0, 5)], "edge line breaks stay inside the fragment");
    assert_eq!(brat::fragments(3, "\r\n"), vec![(3, 5)]);
}

#[test]
fn w3c_export_has_the_web_annotation_shape() {
    let text = "Kabul denied the claim; Islamabad said 1,463 were injured.";
    let d = doc(text);
    let anns = vec![ann(&d.index, "a1", 6, 22, Label::Denial, "check this"), ann(&d.index, "a2", 39, 57, Label::Statistic, "")];
    let v: Value = serde_json::from_str(&w3c::export(&d, &anns)).unwrap();
    assert_eq!(v["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(v["type"], "AnnotationCollection");
    assert_eq!(v["total"], 2);
    assert_eq!(v["first"]["type"], "AnnotationPage");
    let a = &v["first"]["items"][0];
    assert_eq!(a["type"], "Annotation");
    assert_eq!(a["id"], "urn:x-annotator:a1");
    assert_eq!((a["created"].as_str(), a["modified"].as_str()), (Some("2024-05-01T10:00:00.000Z"), Some("2024-05-03T08:30:00.000Z")));
    assert_eq!(
        a["body"],
        json!([
            {"type": "TextualBody", "purpose": "tagging", "value": "denial"},
            {"type": "TextualBody", "purpose": "commenting", "value": "check this", "format": "text/plain"},
        ])
    );
    assert_eq!(
        a["target"]["selector"],
        json!([
            {"type": "TextQuoteSelector", "exact": "denied the claim", "prefix": "Kabul ", "suffix": "; Islamabad said 1,463 were inju"},
            {"type": "TextPositionSelector", "start": 6, "end": 22},
        ])
    );
    assert_eq!(v["first"]["items"][1]["body"].as_array().unwrap().len(), 1, "no commenting body without a note");
}

#[test]
fn w3c_prefix_and_suffix_never_cut_a_grapheme_cluster() {
    // The 32-code-point windows before and after the quote both start/end
    // inside a 5-code-point ZWJ family: the family is left out whole.
    let fam = "👩\u{200d}👩\u{200d}👧";
    let text = format!("{fam}{}QUOTE{}{fam}", "x".repeat(30), "y".repeat(30));
    let d = doc(&text);
    let s = 35;
    let anns = vec![ann(&d.index, "g", s, s + 5, Label::Claim, "")];
    assert_eq!(anns[0].quote, "QUOTE");
    let v: Value = serde_json::from_str(&w3c::export(&d, &anns)).unwrap();
    let q = &v["first"]["items"][0]["target"]["selector"][0];
    assert_eq!(q["prefix"].as_str().unwrap(), "x".repeat(30));
    assert_eq!(q["suffix"].as_str().unwrap(), "y".repeat(30));
    // With room for the whole cluster, it is kept.
    let text = format!("{fam}{}QUOTE", "x".repeat(27));
    let d = doc(&text);
    let anns = vec![ann(&d.index, "g", 32, 37, Label::Claim, "")];
    let v: Value = serde_json::from_str(&w3c::export(&d, &anns)).unwrap();
    assert_eq!(v["first"]["items"][0]["target"]["selector"][0]["prefix"].as_str().unwrap(), format!("{fam}{}", "x".repeat(27)));
}

#[test]
fn export_gives_one_file_per_format_and_three_for_brat() {
    let d = doc("text");
    for f in Format::ALL {
        let files = formats::export(f, &d, &[]);
        assert_eq!(files.len(), if f == Format::Brat { 3 } else { 1 });
        assert_eq!(Format::from_id(f.id()), Some(f));
    }
    assert!(!Format::Csv.importable());
}

// ---------------------------------------------------------------- detection

#[test]
fn detection_goes_by_content() {
    let d = doc("Kabul denied the claim.");
    let anns = vec![ann(&d.index, "a", 6, 12, Label::Denial, "")];
    assert_eq!(detect("x.json", native::export(&d, &anns).as_bytes()), Ok(Format::Native));
    assert_eq!(detect("x.json", w3c::export(&d, &anns).as_bytes()), Ok(Format::W3c));
    assert_eq!(detect("x.txt", brat::export_ann(&anns).as_bytes()), Ok(Format::Brat));
    assert_eq!(detect("x.ann", b""), Ok(Format::Brat));
    let single = json!({"@context": w3c::CONTEXT, "type": "Annotation", "target": {}}).to_string();
    assert_eq!(detect("a", single.as_bytes()), Ok(Format::W3c));
    assert_eq!(detect("a", format!("\u{feff}[{single}]").as_bytes()), Ok(Format::W3c));
    let (path, msg) = field_path(detect("x.csv", csv::export(&anns).as_bytes()).unwrap_err());
    assert!(path.contains("x.csv") && msg.contains("export-only"), "{msg}");
    let (_, msg) = field_path(detect("notes.txt", b"just some words").unwrap_err());
    assert!(msg.contains("not an annotation file"), "{msg}");
    let (path, _) = field_path(detect("x.json", br#"{"format": "something-else"}"#).unwrap_err());
    assert_eq!(path, "format");
    let (path, _) = field_path(detect("x.json", br#"{"hello": 1}"#).unwrap_err());
    assert_eq!(path, "the top level");
}

// ---------------------------------------------------------------- W3C import

fn w3c_item(start: i64, end: i64, exact: &str, label: &str) -> Value {
    json!({
        "id": "urn:x-annotator:a1", "type": "Annotation",
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": label}],
        "target": {"source": "urn:x", "selector": [
            {"type": "TextQuoteSelector", "exact": exact},
            {"type": "TextPositionSelector", "start": start, "end": end},
        ]},
    })
}

fn collection(items: Vec<Value>) -> Vec<u8> {
    json!({"@context": w3c::CONTEXT, "type": "AnnotationCollection", "items": items}).to_string().into_bytes()
}

const BOM: char = '\u{feff}';

const TEXT: &str = "Kabul denied the claim; Islamabad said 1,463 were injured.";

fn w3c_err(bytes: &[u8]) -> ImportError {
    import_w3c(bytes, &TextIndex::new(TEXT), &opts()).unwrap_err()
}

#[test]
fn w3c_accepts_collections_pages_arrays_and_single_annotations() {
    let ix = TextIndex::new(TEXT);
    let item = w3c_item(6, 22, "denied the claim", "Denial");
    let mut standalone = item.clone();
    standalone["@context"] = json!(["https://www.w3.org/ns/anno.jsonld", {"extra": "ok"}]);
    for bytes in [
        collection(vec![item.clone()]),
        json!({"@context": w3c::CONTEXT, "type": "AnnotationCollection", "first": {"type": "AnnotationPage", "items": [item.clone()]}})
            .to_string()
            .into_bytes(),
        json!({"@context": w3c::CONTEXT, "type": "AnnotationPage", "items": [item.clone()]}).to_string().into_bytes(),
        json!([standalone.clone()]).to_string().into_bytes(),
        standalone.to_string().into_bytes(),
    ] {
        let got = import("f.jsonld", &bytes, &ix, &opts()).unwrap();
        assert_eq!(got.annotations.len(), 1, "{}", String::from_utf8_lossy(&bytes));
        let a = &got.annotations[0];
        assert_eq!((a.id.as_str(), a.start, a.end, a.quote.as_str(), a.label), ("a1", 6, 22, "denied the claim", Label::Denial));
    }
}

#[test]
fn w3c_from_elsewhere_anchors_by_quote_or_position_alone() {
    let ix = TextIndex::new(TEXT);
    let quote_only = json!({"type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging", "value": "claim"},
        "target": {"selector": {"type": "TextQuoteSelector", "exact": "Islamabad said", "prefix": "claim; "}}});
    let position_only = json!({"id": "https://example.org/anno/7", "type": "Annotation", "created": "2020-01-01T00:00:00Z",
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": "statistic"}, {"purpose": "commenting", "value": "n"}],
        "target": [{"source": "https://example.org/a", "selector": [{"type": "RangeSelector"}, {"type": "TextPositionSelector", "start": 39, "end": 44}]}]});
    let got = import_w3c(&collection(vec![quote_only, position_only]), &ix, &ImportOptions { now: "NOW".into(), ..opts() }).unwrap();
    let a = &got.annotations[0];
    assert_eq!((a.start, a.end, a.quote.as_str(), a.created.as_str(), a.modified.as_str()), (24, 38, "Islamabad said", "NOW", "NOW"));
    assert!(a.id.starts_with("w3c-"));
    let b = &got.annotations[1];
    assert_eq!(
        (b.id.as_str(), b.quote.as_str(), b.note.as_str(), b.created.as_str(), b.modified.as_str()),
        ("https://example.org/anno/7", "1,463", "n", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z")
    );
    assert_eq!(got.report.to_string(), "1 anchored exactly, 1 moved, 0 fuzzy, 0 orphaned");
}

#[test]
fn malformed_json_reports_line_and_column() {
    match w3c_err(b"{\n  \"@context\": \"http://www.w3.org/ns/anno.jsonld\",\n  \"items\": [,]\n}") {
        ImportError::Syntax { line, column, .. } => assert_eq!((line, column), (3, 13)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn wrong_or_missing_context_is_refused() {
    let (path, msg) =
        field_path(w3c_err(json!({"@context": "http://schema.org", "type": "AnnotationCollection", "items": []}).to_string().as_bytes()));
    assert_eq!(path, "@context");
    assert!(msg.contains("http://schema.org") && msg.contains("anno.jsonld"), "{msg}");
    let (path, _) = field_path(w3c_err(json!({"type": "AnnotationCollection", "items": []}).to_string().as_bytes()));
    assert_eq!(path, "@context");
    let (path, _) = field_path(w3c_err(json!([w3c_item(6, 22, "denied the claim", "claim")]).to_string().as_bytes()));
    assert_eq!(path, "[0].@context", "each annotation of a bare array needs its context");
    let mut item = w3c_item(6, 22, "denied the claim", "claim");
    item["@context"] = json!("http://example.org/other");
    let (path, _) = field_path(w3c_err(&collection(vec![item])));
    assert_eq!(path, "items[0].@context");
}

#[test]
fn missing_target_or_selectors_are_refused_with_their_path() {
    let ok = w3c_item(6, 22, "denied the claim", "claim");
    let mut no_target = ok.clone();
    no_target.as_object_mut().unwrap().remove("target");
    let mut no_selector = ok.clone();
    no_selector["target"].as_object_mut().unwrap().remove("selector");
    let mut unknown_selectors = ok.clone();
    unknown_selectors["target"]["selector"] = json!([{"type": "CssSelector", "value": "#p"}]);
    let mut empty_exact = ok.clone();
    empty_exact["target"]["selector"][0]["exact"] = json!("");
    for (item, want) in [
        (no_target, "items[1].target"),
        (no_selector, "items[1].target.selector"),
        (unknown_selectors, "items[1].target.selector"),
        (empty_exact, "items[1].target.selector[0].exact"),
    ] {
        let mut second = item;
        second["id"] = json!("b");
        let (path, msg) = field_path(w3c_err(&collection(vec![ok.clone(), second])));
        assert_eq!(path, want, "{msg}");
    }
}

#[test]
fn negative_and_reversed_offsets_are_refused_with_their_path() {
    let items = |bad: Value| {
        let mut v: Vec<Value> = (0..3)
            .map(|i| {
                let mut x = w3c_item(6, 22, "denied the claim", "claim");
                x["id"] = json!(format!("ok{i}"));
                x
            })
            .collect();
        v.push(bad);
        collection(v)
    };
    let (path, msg) = field_path(w3c_err(&items(w3c_item(-4, 22, "denied the claim", "claim"))));
    assert_eq!(path, "items[3].target.selector[1].start");
    assert!(msg.contains("-4"), "{msg}");
    let (path, msg) = field_path(w3c_err(&items(w3c_item(22, 6, "denied the claim", "claim"))));
    assert_eq!(path, "items[3].target.selector[1]");
    assert!(msg.contains("less than"), "{msg}");
    let (path, _) = field_path(w3c_err(&items(w3c_item(6, 6, "denied the claim", "claim"))));
    assert_eq!(path, "items[3].target.selector[1]");
}

#[test]
fn unknown_labels_are_an_error_or_skipped_or_mapped_as_chosen() {
    let ix = TextIndex::new(TEXT);
    let mut person = w3c_item(0, 5, "Kabul", "Person");
    person["id"] = json!("p");
    let bytes = collection(vec![w3c_item(6, 22, "denied the claim", "CLAIM"), person]);
    let (path, msg) = field_path(import_w3c(&bytes, &ix, &opts()).unwrap_err());
    assert_eq!(path, "items[1].body");
    assert!(msg.contains("Person") && msg.contains("claim, denial, statistic"), "{msg}");

    let skip = ImportOptions { unknown_label: UnknownLabelPolicy::Skip, ..opts() };
    let got = import_w3c(&bytes, &ix, &skip).unwrap();
    assert_eq!((got.annotations.len(), got.skipped), (1, 1));
    assert_eq!(got.annotations[0].label, Label::Claim, "labels are read case-insensitively");
    assert_eq!(
        (got.unknown_labels[0].label.as_str(), got.unknown_labels[0].count, got.unknown_labels[0].first_path.as_str()),
        ("Person", 1, "items[1].body")
    );
    assert!(got.summary().contains("1 skipped"), "{}", got.summary());

    let map = ImportOptions { unknown_label: UnknownLabelPolicy::MapTo(Label::Statistic), ..opts() };
    let got = import_w3c(&bytes, &ix, &map).unwrap();
    assert_eq!(got.annotations.iter().map(|a| a.label).collect::<Vec<_>>(), vec![Label::Claim, Label::Statistic]);
    assert_eq!(got.unknown_labels.len(), 1);

    let mut no_label = w3c_item(0, 5, "Kabul", "x");
    no_label.as_object_mut().unwrap().remove("body");
    let (path, msg) = field_path(import_w3c(&collection(vec![no_label]), &ix, &opts()).unwrap_err());
    assert_eq!(path, "items[0].body");
    assert!(msg.contains("no label"), "{msg}");
}

#[test]
fn duplicate_ids_and_linked_pages_are_refused() {
    let (path, _) = field_path(w3c_err(&collection(vec![w3c_item(0, 5, "Kabul", "claim"), w3c_item(6, 22, "denied the claim", "claim")])));
    assert_eq!(path, "items[1].id");
    let (path, _) = field_path(w3c_err(
        json!({"@context": w3c::CONTEXT, "type": "AnnotationCollection", "first": "https://example.org/page1"}).to_string().as_bytes(),
    ));
    assert_eq!(path, "first");
}

#[test]
fn huge_files_and_deeply_nested_json_are_refused() {
    let ix = TextIndex::new(TEXT);
    let mut huge = b"[".to_vec();
    huge.resize(native::MAX_FILE_BYTES + 1, b' ');
    assert!(matches!(import("big.jsonld", &huge, &ix, &opts()), Err(ImportError::TooLarge { .. })));
    let mut huge_ann = b"T1\tClaim 0 5\tKabul\n".to_vec();
    huge_ann.resize(native::MAX_FILE_BYTES + 1, b'\n');
    assert!(matches!(import("big.ann", &huge_ann, &ix, &opts()), Err(ImportError::TooLarge { .. })));
    assert!(matches!(import_brat(&huge_ann, None, &ix, &opts()), Err(ImportError::TooLarge { .. })));

    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    match import("deep.jsonld", deep.as_bytes(), &ix, &opts()) {
        Err(ImportError::Syntax { line, message, .. }) => {
            assert_eq!(line, 1);
            assert!(message.contains("nested too deeply"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------- brat import

fn brat_err(ann: &str, txt: Option<&str>) -> (String, String) {
    field_path(import_brat(ann.as_bytes(), txt, &TextIndex::new(TEXT), &opts()).unwrap_err())
}

#[test]
fn brat_relations_attributes_equivalences_and_speakers_are_read_other_kinds_counted() {
    // An argument-mining-shaped file: a trailing tab on an R line, a binary and a valued
    // attribute, an event and a normalisation, an equivalence, a speaker comment.
    let ann = "T1\tDenial 6 22\tdenied the claim\nT2\tClaim 0 5\tKabul\nT3\tClaim 23 32\tIslamabad\n\
               R1\tDenies Arg1:T1 Arg2:T2\t\nR2\tAttacks Arg1:T3 Arg2:T2\n\
               A1\tVerdict T2 Mostly_false\nA2\tNegated T1\nM3\tStance T3 For\n\
               #1\tSpeaker T1\tKabul officials\n#2\tAnnotatorNotes T1\tthe denial\n\
               *\tEquiv T2 T3\nE1\tAttack:T1\nN1\tReference T2 Wiki:1\tKabul\n";
    // First pass: "Attacks" is not ours: left out and listed, with the kind its name usually means.
    let first = import_brat(ann.as_bytes(), None, &TextIndex::new(TEXT), &opts()).unwrap();
    assert_eq!(first.unknown_relations.len(), 1);
    let u = &first.unknown_relations[0];
    assert_eq!(
        (u.name.as_str(), u.count, u.first_path.as_str(), u.suggested),
        ("Attacks", 1, "line 5", Some(annotator_core::model::links::LinkKind::Contradicts))
    );
    // With the person's choice, it becomes contradicts.
    let chosen =
        ImportOptions { relation_map: Some(vec![("attacks".into(), Some(annotator_core::model::links::LinkKind::Contradicts))]), ..opts() };
    let got = import_brat(ann.as_bytes(), None, &TextIndex::new(TEXT), &chosen).unwrap();
    assert!(got.unknown_relations.is_empty());
    let by_quote = |q: &str| got.annotations.iter().find(|a| a.quote == q).unwrap();
    let (denial, kabul, isb) = (by_quote("denied the claim"), by_quote("Kabul"), by_quote("Islamabad"));
    assert_eq!(
        denial.links,
        vec![annotator_core::model::links::Link { to: kabul.id.clone(), kind: annotator_core::model::links::LinkKind::Denies }]
    );
    assert_eq!(kabul.verdict, "Mostly false");
    assert_eq!((denial.speaker.as_str(), denial.note.as_str()), ("Kabul officials", "the denial"));
    let w = got.warnings.join("; ");
    // Attacks is read as contradicts; the equivalence of the same pair adds no second link (one per pair).
    assert_eq!(
        isb.links,
        vec![annotator_core::model::links::Link { to: kabul.id.clone(), kind: annotator_core::model::links::LinkKind::Contradicts }]
    );
    let eq =
        import_brat("T1\tClaim 0 5\tKabul\nT2\tClaim 24 33\tIslamabad\n*\tEquiv T1 T2\n".as_bytes(), None, &TextIndex::new(TEXT), &opts())
            .unwrap();
    assert_eq!(eq.annotations[1].links[0].kind, annotator_core::model::links::LinkKind::Repeats, "an equivalence is a repeats link");
    assert_eq!(eq.annotations[1].links[0].to, eq.annotations[0].id);
    for needle in ["Attacks → contradicts", "2 read as links", "Negated, Stance", "1 event line", "1 normalisation line"] {
        assert!(w.contains(needle), "{needle} in {w}");
    }
    // Refused with their line: a relation to a missing T, to itself, an attribute on a
    // missing id, an equivalence of one, a line of no brat kind.
    let good = "T1\tDenial 6 22\tdenied the claim\n";
    for (line, needle) in [
        ("R1\tDenies Arg1:T1 Arg2:T9", "T9"),
        ("R1\tDenies Arg1:T1 Arg2:T1", "itself"),
        ("R1\tDenies T1", "Arg1"),
        ("A1\tVerdict T7 False", "T7"),
        ("*\tEquiv T1", "at least two"),
        ("X9\twhat is this", "not a brat standoff line"),
    ] {
        let (path, msg) = brat_err(&format!("{good}\n{line}\n"), None);
        assert_eq!(path, "line 3", "{line}");
        assert!(msg.contains(needle), "{line}: {msg}");
    }
}

#[test]
fn brat_export_carries_links_verdicts_and_speakers_and_reads_back() {
    let ix = TextIndex::new(TEXT);
    let d = doc(TEXT);
    let mut a = ann(&ix, "c", 0, 5, Label::Claim, "");
    a.verdict = "Mostly false".into();
    a.speaker = "Pakistan's government".into();
    let mut b = ann(&ix, "d", 6, 22, Label::Denial, "a note");
    b.links = vec![annotator_core::model::links::Link { to: "c".into(), kind: annotator_core::model::links::LinkKind::Denies }];
    let anns = vec![a, b];
    let out = brat::export_ann(&anns);
    assert!(out.contains("#2\tSpeaker T1\tPakistan's government\n"), "{out}");
    assert!(out.contains("A1\tVerdict T1 Mostly_false\n") && out.contains("R1\tDenies Arg1:T2 Arg2:T1\n"), "{out}");
    let conf = annotator_core::formats::brat_extras::export_conf(&anns);
    assert!(conf.contains("[relations]\nDenies\tArg1:Claim|Denial|Statistic, Arg2:Claim|Denial|Statistic\n"), "{conf}");
    assert!(
        conf.contains("Verdict\tArg:<ENTITY>, Value:True|Mostly_true|Half_true|Mostly_false|False|Misleading|Unverifiable\n"),
        "{conf}"
    );
    let files = formats::export(Format::Brat, &d, &anns);
    assert_eq!(files.iter().map(|f| f.file_name.as_str()).collect::<Vec<_>>(), ["test-article.ann", "test-article.txt", "annotation.conf"]);
    let back = import_brat(out.as_bytes(), Some(TEXT), &ix, &opts()).unwrap();
    let c = back.annotations.iter().find(|x| x.quote == "Kabul").unwrap();
    let dn = back.annotations.iter().find(|x| x.quote == "denied the claim").unwrap();
    assert_eq!((c.verdict.as_str(), c.speaker.as_str()), ("Mostly false", "Pakistan's government"));
    assert_eq!(dn.links.len(), 1);
    assert_eq!(dn.links[0].to, c.id);
    assert_eq!(dn.note, "a note");
}

#[test]
fn brat_bad_offsets_and_references_are_refused_with_their_line_number() {
    for (ann, line, needle) in [
        ("T1\tClaim -1 5\tKabul", "line 1", "negative"),
        ("T1\tClaim 5 0\tKabul", "line 1", "reversed"),
        ("T1\tClaim five 9\tKabul", "line 1", "whole number"),
        ("T1\tClaim 0\tKabul", "line 1", "two offsets"),
        ("T1\tClaim0 5\tKabul", "line 1", "two offsets"),
        ("T1\tClaim\tKabul", "line 1", "expected"),
        ("T1\tClaim 0 5\tKabul\nT1\tClaim 0 5\tKabul", "line 2", "twice"),
        ("T1\tClaim 0 5\tKabul\n#1\tAnnotatorNotes T7\tnote", "line 2", "T7"),
        ("T1\tClaim 0 5\tKabul\n#1\tSpeaker T7\tnote", "line 2", "T7"),
        ("\n\nT1\tPerson 0 5\tKabul", "line 3", "Person"),
    ] {
        let (path, msg) = brat_err(ann, None);
        assert_eq!(path.split(' ').take(2).collect::<Vec<_>>().join(" "), line, "{ann:?}: {msg}");
        assert!(msg.contains(needle), "{ann:?}: {msg}");
    }
    let (path, msg) = field_path(import_brat(b"T1\tClaim 0 5\t\xff\xfe", None, &TextIndex::new(TEXT), &opts()).unwrap_err());
    assert_eq!((path.as_str(), msg.as_str()), ("line 1", "is not UTF-8 text"));
}

#[test]
fn brat_covered_text_must_match_the_txt_it_came_with() {
    let (path, msg) = brat_err("T1\tClaim 0 5\tKabul\nT2\tDenial 6 12\tdeniex\n", Some(TEXT));
    assert_eq!(path, "line 2 (T2)");
    assert!(msg.contains("deniex") && msg.contains("denied"), "{msg}");
    let (path, msg) = brat_err("T1\tClaim 0 500\tKabul\n", Some(TEXT));
    assert_eq!(path, "line 1 (T1)");
    assert!(msg.contains("past the end"), "{msg}");
}

#[test]
fn brat_labels_are_case_insensitive_and_unknown_ones_follow_the_policy() {
    let ix = TextIndex::new(TEXT);
    let ann = "T1\tCLAIM 0 5\tKabul\nT2\tdenial 6 22\tdenied the claim\nT3\tOrganization 24 33\tIslamabad\n#1\tAnnotatorNotes T3\tan org\n";
    let skip = ImportOptions { unknown_label: UnknownLabelPolicy::Skip, ..opts() };
    let got = import_brat(ann.as_bytes(), None, &ix, &skip).unwrap();
    assert_eq!(got.annotations.iter().map(|a| a.label).collect::<Vec<_>>(), vec![Label::Claim, Label::Denial]);
    assert_eq!((got.skipped, got.unknown_labels[0].first_path.as_str()), (1, "line 3"));
    let map = ImportOptions { unknown_label: UnknownLabelPolicy::MapTo(Label::Claim), now: "T".into(), relation_map: None };
    let got = import_brat(ann.as_bytes(), None, &ix, &map).unwrap();
    assert_eq!(
        (got.annotations[2].label, got.annotations[2].note.as_str(), got.annotations[2].created.as_str()),
        (Label::Claim, "an org", "T")
    );
}

#[test]
fn brat_discontinuous_spans_from_elsewhere_become_their_whole_range_with_a_warning() {
    let ix = TextIndex::new(TEXT);
    let got = import_brat(b"T1\tDenial 0 5;13 22\tKabul the claim\n", None, &ix, &opts()).unwrap();
    assert_eq!(got.annotations[0].quote, "Kabul denied the claim");
    assert_eq!(got.warnings.len(), 1);
}

#[test]
fn brat_into_an_edited_text_reanchors_from_the_covered_text() {
    let original = "Intro line.\nKabul denied the claim;\r\nIslamabad said 1,463 were injured.";
    let d = doc(original);
    let anns = vec![ann(&d.index, "a", 12, 24, Label::Denial, ""), ann(&d.index, "b", 18, 46, Label::Claim, "")];
    let a = brat::export_ann(&anns);
    assert!(a.contains("T2\tClaim 18 35;37 46\tdenied the claim; Islamabad"), "{a}");
    let edited = TextIndex::new(format!("A new first paragraph.\n\n{original}"));
    for txt in [None, Some(original)] {
        let got = import_brat(a.as_bytes(), txt, &edited, &opts()).unwrap();
        assert_eq!(got.report.to_string(), "0 anchored exactly, 2 moved, 0 fuzzy, 0 orphaned", "{txt:?}");
        assert_eq!(
            got.annotations.iter().map(|x| x.quote.as_str()).collect::<Vec<_>>(),
            vec![anns[0].quote.as_str(), anns[1].quote.as_str()]
        );
    }
}

// ---------------------------------------------------------------- native, leniently

#[test]
fn native_files_import_leniently_into_an_edited_text_while_strict_import_is_unchanged() {
    let old = doc("Kabul denied the claim; Islamabad said 1,463 were injured.");
    let anns = vec![ann(&old.index, "a", 6, 22, Label::Denial, "n"), ann(&old.index, "b", 39, 44, Label::Statistic, "")];
    let file = native::export(&old, &anns);
    let new = doc("Update: Kabul denied the claim; Islamabad said 1,470 were injured.");
    assert!(native::import(file.as_bytes(), &new).is_err(), "the strict importer still refuses a mismatch");
    let got = import_native_lenient(file.as_bytes(), &new.index, &opts()).unwrap();
    assert_eq!(got.report.to_string(), "0 anchored exactly, 1 moved, 0 fuzzy, 1 orphaned");
    assert_eq!((got.annotations[0].start, got.annotations[0].end), (14, 30));
    assert_eq!(got.orphans[0].quote, "1,463");
    // Same through the detecting entry point, and the file's own errors still have their path.
    assert_eq!(import("x.json", file.as_bytes(), &new.index, &opts()).unwrap().report, got.report);
    let bad = file.replace("\"start\": 39", "\"start\": 50");
    let (path, _) = field_path(import("x.json", bad.as_bytes(), &new.index, &opts()).unwrap_err());
    assert_eq!(path, "annotations[1]");
}

#[test]
fn drop_existing_leaves_out_annotations_one_already_has() {
    let ix = TextIndex::new(TEXT);
    let mine = vec![ann(&ix, "a", 0, 5, Label::Claim, "")];
    let from_brat = vec![
        ann(&ix, "brat-T1-x", 0, 5, Label::Claim, ""),
        ann(&ix, "brat-T2-y", 0, 5, Label::Denial, ""),
        ann(&ix, "a", 0, 5, Label::Claim, "new"),
    ];
    let (kept, dropped) = drop_existing(&mine, from_brat);
    assert_eq!(dropped, 1);
    assert_eq!(kept.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), vec!["brat-T2-y", "a"]);
}

#[test]
fn w3c_carries_verdicts_speakers_and_links_and_refuses_bad_links_with_their_path() {
    let ix = TextIndex::new(TEXT);
    let d = doc(TEXT);
    let mut c = ann(&ix, "c", 0, 5, Label::Claim, "");
    c.verdict = "Mostly false".into();
    c.speaker = "Pakistan's government".into();
    let mut dn = ann(&ix, "d", 6, 22, Label::Denial, "");
    dn.links = vec![Link { to: "c".into(), kind: LinkKind::Denies }];
    let anns = vec![c, dn];
    let v: Value = serde_json::from_str(&w3c::export(&d, &anns)).unwrap();
    let items = v["first"]["items"].as_array().unwrap();
    assert_eq!(v["total"], 3);
    assert_eq!(items[0]["body"][1], json!({"type": "TextualBody", "purpose": "assessing", "value": "Mostly false"}));
    assert_eq!(items[0]["body"][2], json!({"type": "TextualBody", "purpose": "identifying", "value": "Pakistan's government"}));
    assert_eq!(items[2]["motivation"], "linking");
    assert_eq!(items[2]["target"], json!(["urn:x-annotator:d", "urn:x-annotator:c"]));
    assert_eq!(items[2]["body"]["value"], "denies");
    let back = import_w3c(serde_json::to_string(&v).unwrap().as_bytes(), &ix, &opts()).unwrap();
    assert_eq!(back.annotations, anns);
    let bad = |edit: &dyn Fn(&mut Value)| {
        let mut w = v.clone();
        edit(&mut w);
        field_path(import_w3c(serde_json::to_string(&w).unwrap().as_bytes(), &ix, &opts()).unwrap_err())
    };
    let (p, m) = bad(&|w| w["first"]["items"][2]["target"] = json!(["urn:x-annotator:d"]));
    assert_eq!(p, "first.items[2].target");
    assert!(m.contains("exactly two targets"), "{m}");
    let (p, m) = bad(&|w| w["first"]["items"][2]["target"][1] = json!("urn:x-annotator:nobody"));
    assert_eq!(p, "first.items[2].target");
    assert!(m.contains("nobody"), "{m}");
    let (p, m) = bad(&|w| w["first"]["items"][2]["body"]["value"] = json!("attacks"));
    assert_eq!(p, "first.items[2].body");
    assert!(m.contains("attacks"), "{m}");
}
