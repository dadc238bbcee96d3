//! Text fields that keep what a person is typing.
//!
//! Yew writes an element's `value` on every render in which it differs from
//! what the element holds. A field edited in place (a note, a speaker, a
//! title) re-renders for reasons of its own — a change from another tab or a
//! team mate arrives, a status line moves — and a controlled `value` then
//! wipes the text being typed. A field made with [`use_field`] is rendered
//! without `value`; the hook writes the stored value into the element:
//!
//! 1. when the element is new (mounted, or re-created for another item);
//! 2. when the stored value changes, unless the person has typed in the
//!    field since it was last written or committed — their text stays, and
//!    committing it makes it the stored value; meanwhile [`Field::elsewhere`]
//!    holds the value that arrived, for the view to say so;
//! 3. never otherwise: a render for another reason leaves the field alone.

use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Default)]
struct State {
    /// The element last written to (a new one is written to at once).
    element: Option<web_sys::Element>,
    /// The stored value last seen.
    value: String,
    /// Typed since the last write or commit.
    typed: bool,
}

/// A field's handle: put `node` in its `ref` and `oninput` in its `oninput`;
/// call [`Field::committed`] where the field's text is committed.
#[derive(Clone)]
pub struct Field {
    pub node: NodeRef,
    pub oninput: Callback<InputEvent>,
    /// The stored value changed (another tab, a team mate) while the person
    /// typed here: the value that arrived. Committing replaces it.
    pub elsewhere: Option<String>,
    set_elsewhere: UseStateHandle<Option<String>>,
    state: Rc<RefCell<State>>,
}

impl Field {
    /// What the field shows now (None before it is mounted).
    pub fn value(&self) -> Option<String> {
        self.node.cast::<web_sys::Element>().and_then(|el| element_value(&el))
    }

    /// The text was committed (stored, or refused with a message): the next
    /// stored value is shown again.
    pub fn committed(&self) {
        self.state.borrow_mut().typed = false;
        if self.set_elsewhere.is_some() {
            self.set_elsewhere.set(None);
        }
    }
}

/// The value shown by an `<input>` or `<textarea>` (None for other elements).
fn element_value(el: &web_sys::Element) -> Option<String> {
    use wasm_bindgen::JsCast;
    if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        Some(i.value())
    } else {
        el.dyn_ref::<web_sys::HtmlTextAreaElement>().map(|t| t.value())
    }
}

fn set_element_value(el: &web_sys::Element, value: &str) {
    use wasm_bindgen::JsCast;
    if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        i.set_value(value);
    } else if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.set_value(value);
    }
}

/// A text field showing `value` (the stored one) that keeps typed text
/// across re-renders (see the module's rules).
#[hook]
pub fn use_field(value: &str) -> Field {
    let node = use_node_ref();
    let state: Rc<RefCell<State>> = use_memo((), |_| RefCell::new(State::default()));
    let oninput = (*use_memo((), {
        let state = state.clone();
        move |_| Callback::from(move |_: InputEvent| state.borrow_mut().typed = true)
    }))
    .clone();
    let elsewhere = use_state(|| None::<String>);
    {
        let (node, state, value, elsewhere) = (node.clone(), state.clone(), value.to_string(), elsewhere.clone());
        // Runs after every render: cheap (one pointer comparison) unless something changed.
        use_effect(move || {
            let mut s = state.borrow_mut();
            let Some(el) = node.cast::<web_sys::Element>() else {
                s.element = None;
                return;
            };
            let arrived = if s.element.as_ref() != Some(&el) {
                set_element_value(&el, &value);
                *s = State { element: Some(el), value, typed: false };
                None
            } else if s.value != value {
                let shown = element_value(&el);
                let arrived = (s.typed && shown.as_deref() != Some(value.as_str())).then(|| value.clone());
                if !s.typed && shown.as_deref() != Some(value.as_str()) {
                    set_element_value(&el, &value);
                }
                s.value = value;
                arrived
            } else {
                return;
            };
            if *elsewhere != arrived {
                elsewhere.set(arrived);
            }
        });
    }
    Field { node, oninput, elsewhere: (*elsewhere).clone(), set_elsewhere: elsewhere, state }
}

impl Field {
    /// Says, under the field, that its stored value changed elsewhere while
    /// the person typed here (nothing when it did not).
    pub fn elsewhere_hint(&self) -> Html {
        match &self.elsewhere {
            None => Html::default(),
            Some(v) => {
                let shown = if v.is_empty() { "empty".to_string() } else { format!("“{}”", annotator_core::model::shorten(v, 80)) };
                html! {
                    <p class="hint changed-elsewhere" role="status">
                        { format!("Changed elsewhere while you typed (now {shown}). Saving keeps your text.") }
                    </p>
                }
            }
        }
    }
}
