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
//!    committing it makes it the stored value;
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
    state: Rc<RefCell<State>>,
}

impl Field {
    /// The text was committed (stored, or refused with a message): the next
    /// stored value is shown again.
    pub fn committed(&self) {
        self.state.borrow_mut().typed = false;
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
    {
        let (node, state, value) = (node.clone(), state.clone(), value.to_string());
        // Runs after every render: cheap (one pointer comparison) unless something changed.
        use_effect(move || {
            let mut s = state.borrow_mut();
            let Some(el) = node.get().and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok()) else {
                s.element = None;
                return;
            };
            if s.element.as_ref() != Some(&el) {
                set_element_value(&el, &value);
                *s = State { element: Some(el), value, typed: false };
            } else if s.value != value {
                if !s.typed && element_value(&el).as_deref() != Some(value.as_str()) {
                    set_element_value(&el, &value);
                }
                s.value = value;
            }
        });
    }
    Field { node, oninput, state }
}
