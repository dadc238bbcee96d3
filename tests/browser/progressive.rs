//! A change touching many paragraph groups (an import) is drawn over several
//! tasks, the groups on screen first (`annotator_core::render::progressive`); the
//! article's text never changes meanwhile, and every highlight arrives.

use annotator::components::article::{ArticleProps, ArticleView};
use annotator_core::render::plan::paragraphs;
use annotator_core::{model::Annotation, model::Label, text::text_index::TextIndex};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

thread_local! {
    static SET: RefCell<Option<UseStateHandle<Vec<Annotation>>>> = const { RefCell::new(None) };
}

#[derive(Properties, PartialEq)]
struct HostProps {
    index: Rc<TextIndex>,
    /// The selected annotation (far below the screen).
    selected: Option<Rc<str>>,
}

#[function_component(Host)]
fn host(p: &HostProps) -> Html {
    let anns = use_state(Vec::<Annotation>::new);
    SET.with(|s| *s.borrow_mut() = Some(anns.clone()));
    let paras = use_memo(p.index.clone(), |ix| paragraphs(ix));
    let props = ArticleProps { selected: p.selected.clone(), ..super::article_props(p.index.clone(), paras, &anns, use_node_ref()) };
    html! { <ArticleView ..props /> }
}

const N: usize = 640;
/// Selected, in paragraph 600: off screen, drawn in the first step all the same (j/k scroll to it).
const SELECTED: &str = "a600-0";

fn marked_paragraphs(host: &web_sys::Element) -> usize {
    host.query_selector_all(".para:has(mark.hl)").unwrap().length() as usize
}

#[wasm_bindgen_test::wasm_bindgen_test]
async fn a_large_import_is_drawn_in_steps_screen_first_and_completely() {
    // 640 paragraphs: 20 groups of 32, more than are drawn at once.
    let text: String = (0..N).map(|i| format!("Paragraph {i} says the rate rose by {i} percent.\n\n")).collect();
    let index = Rc::new(TextIndex::new(text.as_str()));
    let document = gloo::utils::document();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().prepend_with_node_1(&host).unwrap();
    yew::Renderer::<Host>::with_root_and_props(host.clone(), HostProps { index: index.clone(), selected: Some(SELECTED.into()) }).render();
    super::until("the article", || host.query_selector("article").unwrap().is_some()).await;
    let article = host.query_selector("article").unwrap().expect("article");
    let before = article.text_content().unwrap();
    assert_eq!(before, text, "the article's text is the document's");

    // Three annotations in each paragraph, 1,920 in all (more than one step's
    // budget), as an import adds them: "Paragraph", then two words after it.
    let paras = paragraphs(&index);
    let anns: Vec<Annotation> = paras
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            let index = index.clone();
            [(0, 9), (10, 13), (19, 23)]
                .into_iter()
                .enumerate()
                .map(move |(k, (s, e))| super::ann(&format!("a{i}-{k}"), &index, p.start_cp + s, p.start_cp + e, Label::ALL[(i + k) % 3]))
        })
        .collect();
    assert_eq!(anns.len(), 3 * N);
    let handle = SET.with(|s| s.borrow().clone()).unwrap();
    handle.set(anns);
    super::until("the first step drawn", || marked_paragraphs(&host) > 0).await;
    let first = marked_paragraphs(&host);
    assert!(first > 0, "the groups on screen are drawn in the first step");
    assert!(first < N, "the rest comes in later steps (first step drew {first} paragraphs)");
    assert_eq!(article.get_attribute("aria-busy").as_deref(), Some("true"), "the article says it is still being drawn");
    assert_eq!(super::idle(), Some("false".into()), "the page is not idle while the article is drawn in steps");
    let selected = format!("mark[data-ids~=\"{SELECTED}\"]");
    assert!(host.query_selector(&selected).unwrap().is_some(), "the selected annotation's group is drawn in the first step");
    let top = article.query_selector(".para").unwrap().unwrap();
    assert!(top.query_selector("mark.hl").unwrap().is_some(), "the top of the article (on screen) is drawn first");

    // Every highlight arrives; the text never changed.
    let mut waited = 0;
    while marked_paragraphs(&host) < N {
        assert!(waited < 5_000, "all highlights drawn within 5 s (drawn: {})", marked_paragraphs(&host));
        assert_eq!(article.text_content().unwrap(), text, "the text stays the document's while drawing");
        gloo::timers::future::TimeoutFuture::new(20).await;
        waited += 20;
    }
    assert_eq!(host.query_selector_all("mark.hl").unwrap().length() as usize, 3 * N);
    assert_eq!(article.text_content().unwrap(), text);
    super::until("the article no longer busy once drawn", || article.get_attribute("aria-busy").is_none()).await;
    super::until("the page idle once drawn", || super::idle().as_deref() == Some("true")).await;
    host.remove();
}
