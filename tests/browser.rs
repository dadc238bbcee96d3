//! Browser glue tests (wasm-bindgen-test, headless Chromium and Firefox):
//! a DOM selection over the rendered article converts to the right code
//! point offsets for every span in the corpus fixtures; the page says when
//! no work is pending (`<body data-idle>`).
#![cfg(target_arch = "wasm32")]

use annotator::browser::selection::read_range;
use annotator::components::article::{ArticleProps, ArticleView};
use annotator_core::app::selection::SelectionRead;
use annotator_core::render::plan::{annotations_by_paragraph, paragraphs, Paragraph};
use annotator_core::{model::normalize_selection, model::Annotation, model::Label, text::text_index::TextIndex};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::prelude::*;

#[path = "browser/durable.rs"]
mod durable;
#[path = "browser/fields.rs"]
mod fields;
#[path = "browser/idle.rs"]
mod idle;
#[path = "browser/progressive.rs"]
mod progressive;
#[path = "browser/segmenter.rs"]
mod segmenter;

wasm_bindgen_test_configure!(run_in_browser);

/// Waits until `cond` holds (looking every 10 ms, for up to 5 s), as a test waits for what the
/// page shows rather than for a fixed time; fails naming `what` if it never holds.
pub async fn until(what: &str, cond: impl Fn() -> bool) {
    let mut waited = 0;
    while !cond() {
        assert!(waited < 5_000, "waited 5 s for {what}");
        gloo::timers::future::TimeoutFuture::new(10).await;
        waited += 10;
    }
}

const MIXED: &str = include_str!("fixtures/unicode-mixed.txt");
const MIXED_EXPECTED: &str = include_str!("fixtures/unicode-mixed.expected.json");
const CRLF: &str = include_str!("fixtures/unicode-mixed-crlf.txt");
const CRLF_EXPECTED: &str = include_str!("fixtures/unicode-mixed-crlf.expected.json");

struct Span {
    quote: String,
    start: usize,
    end: usize,
    start_utf16: u32,
    end_utf16: u32,
}

fn spans(expected: &str) -> Vec<Span> {
    let v: serde_json::Value = serde_json::from_str(expected).expect("fixture is JSON");
    v["spans"]
        .as_array()
        .expect("spans array")
        .iter()
        .map(|s| Span {
            quote: s["quote"].as_str().unwrap().to_string(),
            start: s["start"].as_u64().unwrap() as usize,
            end: s["end"].as_u64().unwrap() as usize,
            start_utf16: s["start_utf16"].as_u64().unwrap() as u32,
            end_utf16: s["end_utf16"].as_u64().unwrap() as u32,
        })
        .collect()
}

/// The article's props for `anns` over `paras`, nothing selected or compared.
fn article_props(index: Rc<TextIndex>, paras: Rc<Vec<Paragraph>>, anns: &[Annotation], article_ref: NodeRef) -> ArticleProps {
    let by_para = Rc::new(annotations_by_paragraph(&paras, anns).into_iter().map(Rc::new).collect::<Vec<_>>());
    ArticleProps {
        index,
        paragraphs: paras,
        by_para,
        theirs: None,
        selected: None,
        marks: Default::default(),
        onhighlight: Callback::noop(),
        article_ref,
        title: "test".into(),
    }
}

/// Renders the real article component for `text` with `anns` into a fresh
/// container and returns the `<article>` element once painted.
async fn render(text: &str, anns: Vec<Annotation>) -> web_sys::Element {
    let document = gloo::utils::document();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let index = Rc::new(TextIndex::new(text));
    let paras = Rc::new(paragraphs(&index));
    let props = article_props(index, paras, &anns, NodeRef::default());
    yew::Renderer::<ArticleView>::with_root_and_props(host.clone(), props).render();
    let painted = || {
        host.query_selector("article")
            .unwrap()
            .is_some_and(|a| a.text_content().unwrap_or_default().chars().count() == text.chars().count())
    };
    until("the article with its text", painted).await;
    host.query_selector("article").unwrap().expect("article rendered")
}

/// Builds a DOM Range from UTF-16 offsets by walking the article's text nodes
/// the way a script would, independent of the app's `data-u16` attributes.
fn dom_range(article: &web_sys::Element, start: u32, end: u32) -> web_sys::Range {
    let document = gloo::utils::document();
    let walker = document.create_tree_walker_with_what_to_show(article, 4).unwrap();
    let range = document.create_range().unwrap();
    let (mut pos, mut started) = (0u32, false);
    while let Ok(Some(node)) = walker.next_node() {
        let len = node.text_content().unwrap_or_default().encode_utf16().count() as u32;
        if !started && start <= pos + len {
            range.set_start(&node, start - pos).unwrap();
            started = true;
        }
        if started && end <= pos + len {
            range.set_end(&node, end - pos).unwrap();
            break;
        }
        pos += len;
    }
    range
}

/// `<body data-idle>` as the page says it.
fn idle() -> Option<String> {
    gloo::utils::body().get_attribute("data-idle")
}

fn ann(id: &str, text: &TextIndex, start: usize, end: usize, label: Label) -> Annotation {
    Annotation {
        id: id.into(),
        start,
        end,
        quote: text.slice_cp(start, end).unwrap().into(),
        label,
        note: String::new(),
        speaker: String::new(),
        verdict: String::new(),
        links: Vec::new(),
        created: String::new(),
        modified: String::new(),
    }
}

async fn check_corpus(text: &str, expected: &str, with_annotations: bool) {
    let index = TextIndex::new(text);
    let spans = spans(expected);
    // Annotations whose boundaries fall inside the expected spans, so the DOM is cut there.
    let anns = if with_annotations {
        spans
            .iter()
            .enumerate()
            .filter(|(_, s)| s.end - s.start > 4)
            .map(|(i, s)| ann(&format!("x{i}"), &index, s.start + 1, s.end - 1, Label::ALL[i % 3]))
            .collect()
    } else {
        Vec::new()
    };
    let article = render(text, anns).await;
    assert_eq!(article.text_content().unwrap(), text, "article textContent is the document text");
    for s in &spans {
        let range = dom_range(&article, s.start_utf16, s.end_utf16);
        assert_eq!(String::from(range.to_string()), s.quote, "DOM range covers the quote");
        match read_range(&article, &range) {
            SelectionRead::Range { start_utf16, end_utf16 } => {
                assert_eq!((start_utf16, end_utf16), (s.start_utf16, s.end_utf16), "utf16 of {:?}", s.quote);
                let a = index.utf16_to_cp_floor(start_utf16 as usize).unwrap();
                let b = index.utf16_to_cp_ceil(end_utf16 as usize).unwrap();
                let (start, end) = normalize_selection(&index, a, b).unwrap();
                assert_eq!((start, end), (s.start, s.end), "code points of {:?}", s.quote);
                assert_eq!(index.slice_cp(start, end).unwrap(), s.quote);
            }
            other => panic!("{:?}: expected a range, got {other:?}", s.quote),
        }
    }
}

#[wasm_bindgen_test]
async fn selection_over_plain_article_gives_corpus_code_points() {
    check_corpus(MIXED, MIXED_EXPECTED, false).await;
}

#[wasm_bindgen_test]
async fn selection_over_highlighted_article_gives_corpus_code_points() {
    check_corpus(MIXED, MIXED_EXPECTED, true).await;
}

#[wasm_bindgen_test]
async fn selection_over_crlf_article_gives_corpus_code_points() {
    check_corpus(CRLF, CRLF_EXPECTED, true).await;
}

#[wasm_bindgen_test]
async fn selection_outside_article_is_reported_outside() {
    let article = render(MIXED, Vec::new()).await;
    let document = gloo::utils::document();
    let p = document.create_element("p").unwrap();
    p.set_text_content(Some("outside text"));
    document.body().unwrap().append_child(&p).unwrap();
    let range = document.create_range().unwrap();
    range.select_node_contents(&p).unwrap();
    assert_eq!(read_range(&article, &range), SelectionRead::Outside);
}

#[wasm_bindgen_test]
async fn selection_reaching_past_article_is_clipped_to_it() {
    let article = render(MIXED, Vec::new()).await;
    let document = gloo::utils::document();
    let p = document.create_element("p").unwrap();
    p.set_text_content(Some("after"));
    article.parent_node().unwrap().append_child(&p).unwrap();
    let range = dom_range(&article, 5, 10);
    range.set_end(&p.first_child().unwrap(), 3).unwrap();
    let len = MIXED.encode_utf16().count() as u32;
    assert_eq!(read_range(&article, &range), SelectionRead::Range { start_utf16: 5, end_utf16: len });
}

#[wasm_bindgen_test]
async fn selection_via_window_addrange_is_read() {
    let article = render(MIXED, Vec::new()).await;
    let range = dom_range(&article, 64, 78);
    let sel = web_sys::window().unwrap().get_selection().unwrap().unwrap();
    sel.remove_all_ranges().unwrap();
    sel.add_range(&range).unwrap();
    assert_eq!(annotator::browser::selection::read_selection(&article), SelectionRead::Range { start_utf16: 64, end_utf16: 78 });
    let _ = article.dyn_ref::<web_sys::HtmlElement>();
}

/// The autosave journal in the browser's real local storage, through the
/// core's storage policy (`DocStore`) on `LocalKv`: each edit writes only
/// this tab's small journal; past 256 entries the whole record is written and
/// the journal cut down to that change; reading back (record merged with every journal)
/// always gives the annotations as edited. A second tab's journal written
/// meanwhile survives both tabs' writes.
#[wasm_bindgen_test]
fn journal_writes_small_values_and_compacts_into_the_record() {
    use annotator::browser::storage::{self, LocalKv};
    use annotator_core::store::keys::{doc_key, journal_key};
    use annotator_core::store::kv::Kv;
    use annotator_core::store::library::DocMeta;
    use annotator_core::store::records::DocStore;
    use annotator_core::store::whole::load_record;
    let text: String = "Kabul denied the claim; 1,463 were injured. ".repeat(40);
    let index = TextIndex::new(text.as_str());
    let meta = DocMeta::new(&text, "Journal test", "journal-test", "");
    let clear = || {
        for k in storage::keys().unwrap() {
            if k.contains(&meta.id) {
                storage::remove(&k).unwrap();
            }
        }
    };
    clear();
    let mut kv = LocalKv;
    let mut tab = DocStore::load(&mut kv, &meta.id, "tabone", &index, 1).store;
    let mut other = DocStore::load(&mut kv, &meta.id, "tabtwo", &index, 1).store;
    let theirs = ann("b-other", &index, 0, 5, Label::Claim);
    other.save(&mut kv, &meta, std::slice::from_ref(&theirs), "2026-12-03T09:00:00.000Z").unwrap();
    let (rec_key, jr_key) = (doc_key(&meta.id), journal_key(&meta.id, "tabone"));
    let mut current: Vec<Annotation> = Vec::new();
    for i in 0..300usize {
        let start = (i * 5) % (text.chars().count() - 10);
        let mut a = ann(&format!("a{i:03}"), &index, start, start + 5, Label::ALL[i % 3]);
        a.created = format!("2026-12-03T10:{:02}:{:02}.000Z", i / 60, i % 60);
        a.modified = a.created.clone();
        current.push(a);
        current.sort_by(annotator_core::model::text_order);
        let now = format!("2026-12-03T11:{:02}:{:02}.000Z", i / 60, i % 60);
        let saved = tab.save(&mut kv, &meta, &current, &now).unwrap();
        let stored_journal = kv.get(&jr_key).unwrap();
        if saved.compacted {
            assert!(i >= 256, "the whole record is written only once the journal is full (edit {i})");
            let j = stored_journal.expect("the journal keeps the compacting change");
            let kept = annotator_core::store::merge::parse_record(j.as_bytes(), Some(&meta.id), None).unwrap().record;
            assert_eq!(kept.annotations.len(), 1, "after the whole record is written the journal holds only that change");
        } else {
            let j = stored_journal.expect("a journal after an edit");
            assert!(j.len() < 120_000, "the journal stays small: {} chars after {} edits", j.len(), i + 1);
        }
        if saved.compacted {
            // The whole record took in the other tab's journal: the app now shows it too.
            current = tab.known.annotations.clone();
        }
        let loaded = load_record(&kv, &meta.id, &index).unwrap().unwrap();
        let mut want: Vec<&str> = current.iter().map(|a| a.id.as_str()).chain([theirs.id.as_str()]).collect();
        want.sort();
        want.dedup();
        let mut ids: Vec<&str> = loaded.annotations.iter().map(|a| a.id.as_str()).collect();
        ids.sort();
        assert_eq!(ids, want, "stored annotations after edit {i}");
    }
    assert!(kv.get(&rec_key).unwrap().is_some(), "the whole record was written once the journal filled");
    // A deletion goes to the journal as a tombstone and hides the annotation on reading.
    let gone = current.remove(10);
    tab.save(&mut kv, &meta, &current, "2026-12-03T12:00:00.000Z").unwrap();
    let loaded = load_record(&kv, &meta.id, &index).unwrap().unwrap();
    assert!(!loaded.annotations.iter().any(|a| a.id == gone.id));
    assert!(loaded.deleted.contains_key(&gone.id));
    assert!(loaded.annotations.iter().any(|a| a.id == theirs.id), "the other tab's annotation survives");
    clear();
}

/// `LocalKv` is the browser's local storage: what is set is read back,
/// listed among the app's keys, and removed.
#[wasm_bindgen_test]
fn local_kv_gets_sets_lists_and_removes() {
    use annotator::browser::storage::LocalKv;
    use annotator_core::store::kv::Kv;
    let mut kv = LocalKv;
    let key = "text-annotator.test.kv";
    kv.set(key, "value ✓").unwrap();
    assert_eq!(kv.get(key).unwrap().as_deref(), Some("value ✓"));
    assert!(kv.keys().unwrap().iter().any(|k| k == key));
    kv.remove(key).unwrap();
    assert_eq!(kv.get(key).unwrap(), None);
    assert!(!kv.keys().unwrap().iter().any(|k| k == key));
}
