//! Fields edited in place keep what a person is typing when the list
//! re-renders for another reason (`annotator::hooks::field`): a change from
//! another tab or a team mate must not wipe a note half typed.

use annotator::components::ann_list::{AnnCmd, AnnList, AnnListProps};
use annotator_core::model::filter::Filter;
use annotator_core::{model::Annotation, model::Label, text::text_index::TextIndex};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::prelude::*;

#[derive(Clone, PartialEq)]
struct Model {
    anns: Vec<Annotation>,
    selected: Option<String>,
}

thread_local! {
    /// The host's state setter, so the test can change the model as a remote change would.
    static SET: RefCell<Option<UseStateHandle<Model>>> = const { RefCell::new(None) };
}

/// An annotation of the test text (the list shows its quote) with a note.
fn annotation(id: &str, start: usize, note: &str) -> Annotation {
    let text = TextIndex::new("One claim, one denial, one statistic.");
    Annotation { note: note.into(), ..super::ann(id, &text, start, start + 4, Label::Claim) }
}

#[derive(Properties, PartialEq)]
struct HostProps {
    initial: Model,
}

/// The annotation list over a model the test changes; a committed note or
/// speaker is stored in the model, as the reducer would.
#[function_component(Host)]
fn host(p: &HostProps) -> Html {
    let model = use_state(|| p.initial.clone());
    SET.with(|s| *s.borrow_mut() = Some(model.clone()));
    let m = (*model).clone();
    let oncmd = {
        let model = model.clone();
        Callback::from(move |c: AnnCmd| {
            let mut m = (*model).clone();
            match c {
                AnnCmd::Note { id, note } => m.anns.iter_mut().filter(|a| a.id == id).for_each(|a| a.note = note.clone()),
                AnnCmd::Attributes { id, speaker, verdict } => {
                    m.anns.iter_mut().filter(|a| a.id == id).for_each(|a| (a.speaker, a.verdict) = (speaker.clone(), verdict.clone()))
                }
                _ => return,
            }
            model.set(m);
        })
    };
    let props = AnnListProps {
        annotations: Rc::new(m.anns.into_iter().map(Rc::new).collect()),
        filter: Filter::default(),
        selected: m.selected,
        counts: [0; 3],
        oncmd,
        edit_note: None,
        linking: None,
    };
    html! { <AnnList ..props /> }
}

/// Changes the model as a change arriving from elsewhere would, and waits until the page
/// shows `what` (`shows`).
async fn change(f: impl FnOnce(&mut Model), what: &str, shows: impl Fn() -> bool) {
    let handle = SET.with(|s| s.borrow().clone()).expect("host rendered");
    let mut m = (*handle).clone();
    f(&mut m);
    handle.set(m);
    super::until(what, shows).await;
}

fn fire(el: &web_sys::Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
    el.dispatch_event(&event).unwrap();
}

/// Types `text` into the field (as a person would: its value, then an input event).
fn type_into(host: &web_sys::Element, selector: &str, text: &str) {
    let el = host.query_selector(selector).unwrap().expect(selector);
    if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.set_value(text);
    } else {
        el.dyn_ref::<web_sys::HtmlInputElement>().expect("a text field").set_value(text);
    }
    fire(&el, "input");
}

fn shown(host: &web_sys::Element, selector: &str) -> String {
    let el = host.query_selector(selector).unwrap().expect(selector);
    match el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        Some(t) => t.value(),
        None => el.dyn_ref::<web_sys::HtmlInputElement>().expect("a text field").value(),
    }
}

const NOTE: &str = "#note-editor";
const SPEAKER: &str = "input[aria-label=\"Speaker\"]";

#[wasm_bindgen_test]
async fn typed_note_and_speaker_survive_changes_arriving_and_commit() {
    let document = gloo::utils::document();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let initial = Model { anns: vec![annotation("a1", 0, "first"), annotation("a2", 10, "")], selected: Some("a1".into()) };
    yew::Renderer::<Host>::with_root_and_props(host.clone(), HostProps { initial }).render();
    super::until("the note field", || host.query_selector(NOTE).unwrap().is_some()).await;
    super::until("the stored note shown", || shown(&host, NOTE) == "first").await;

    // Typing, not committed; an annotation arrives from elsewhere and the list re-renders.
    type_into(&host, NOTE, "first, then typed");
    type_into(&host, SPEAKER, "Minister");
    let listed = || host.query_selector_all("li[data-id]").unwrap().length();
    change(|m| m.anns.push(annotation("a3", 20, "from a team mate")), "the new annotation listed", || listed() == 3).await;
    assert_eq!(listed(), 3, "the new annotation is listed");
    assert_eq!(shown(&host, NOTE), "first, then typed", "the typed note is kept");
    assert_eq!(shown(&host, SPEAKER), "Minister", "the typed speaker is kept");
    assert!(host.query_selector(".changed-elsewhere").unwrap().is_none(), "nothing changed elsewhere yet");

    // The same note changed elsewhere while typing: the typed text stays (committing it wins).
    let hint = || host.query_selector(".changed-elsewhere").unwrap().map(|h| h.text_content().unwrap_or_default());
    change(|m| m.anns[0].note = "changed elsewhere".into(), "the changed-elsewhere message", || hint().is_some()).await;
    assert_eq!(shown(&host, NOTE), "first, then typed");
    assert_eq!(
        hint().as_deref(),
        Some("Changed elsewhere while you typed (now “changed elsewhere”). Saving keeps your text."),
        "the person is told"
    );

    // Committing stores it.
    fire(&host.query_selector(NOTE).unwrap().unwrap(), "change");
    fire(&host.query_selector(SPEAKER).unwrap().unwrap(), "change");
    let stored_speaker = || SET.with(|s| s.borrow().as_ref().is_some_and(|m| m.anns[0].speaker == "Minister"));
    super::until("the typed speaker stored", stored_speaker).await;
    super::until("the message cleared", || hint().is_none()).await;
    let stored = SET.with(|s| s.borrow().clone()).unwrap();
    assert_eq!((stored.anns[0].note.as_str(), stored.anns[0].speaker.as_str()), ("first, then typed", "Minister"));
    assert_eq!(shown(&host, NOTE), "first, then typed");
    assert_eq!(hint(), None, "committing clears the message");

    // Once committed, a later change from elsewhere is shown.
    change(
        |m| (m.anns[0].note, m.anns[0].speaker) = ("from B".into(), "Spokesperson".into()),
        "B's note",
        || shown(&host, NOTE) == "from B",
    )
    .await;
    assert_eq!((shown(&host, NOTE), shown(&host, SPEAKER)), ("from B".to_string(), "Spokesperson".to_string()));

    // Another annotation's field shows its own values, and back again.
    change(|m| m.selected = Some("a2".into()), "a2's empty note", || shown(&host, NOTE).is_empty()).await;
    assert_eq!((shown(&host, NOTE), shown(&host, SPEAKER)), (String::new(), String::new()));
    change(|m| m.selected = Some("a1".into()), "a1's note again", || shown(&host, NOTE) == "from B").await;
    assert_eq!((shown(&host, NOTE), shown(&host, SPEAKER)), ("from B".to_string(), "Spokesperson".to_string()));

    // Deselected and selected again (a new field for the same annotation) shows the stored note.
    change(|m| m.selected = None, "no note field", || host.query_selector(NOTE).unwrap().is_none()).await;
    let stored_note_shown = || host.query_selector(NOTE).unwrap().is_some() && shown(&host, NOTE) == "from B";
    change(|m| m.selected = Some("a1".into()), "a new note field with the stored note", stored_note_shown).await;
    assert_eq!(shown(&host, NOTE), "from B");
    host.remove();
}
