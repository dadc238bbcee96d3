//! The "Paste text" dialog: a title and a text area. Traps focus while open
//! and returns it on close.

use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PasteProps {
    /// Called with (title, text).
    pub onsubmit: Callback<(String, String)>,
    pub onclose: Callback<()>,
}

#[function_component(PasteDialog)]
pub fn paste_dialog(props: &PasteProps) -> Html {
    let dialog_ref = use_node_ref();
    let title_ref = use_node_ref();
    let text_ref = use_node_ref();
    {
        let title_ref = title_ref.clone();
        use_effect_with((), move |_| {
            let previous = gloo::utils::document().active_element();
            if let Some(t) = title_ref.cast::<web_sys::HtmlElement>() {
                let _ = t.focus();
            }
            move || {
                if let Some(p) = previous.and_then(|p| p.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = p.focus();
                }
            }
        });
    }
    let onkeydown = {
        let onclose = props.onclose.clone();
        let dialog_ref = dialog_ref.clone();
        Callback::from(move |e: KeyboardEvent| {
            e.stop_propagation();
            if e.key() == "Escape" {
                e.prevent_default();
                onclose.emit(());
            } else if crate::browser::keys::is_tab(&e) {
                // Keep focus inside the dialog.
                let Some(d) = dialog_ref.cast::<web_sys::Element>() else { return };
                let Ok(list) = d.query_selector_all("input, textarea, button") else { return };
                let n = list.length();
                if n == 0 {
                    return;
                }
                let active = gloo::utils::document().active_element();
                let first = list.item(0);
                let last = list.item(n - 1);
                let is = |node: &Option<web_sys::Node>| match (node, &active) {
                    (Some(a), Some(b)) => a.is_same_node(Some(b.unchecked_ref())),
                    _ => false,
                };
                let target = if e.shift_key() && is(&first) {
                    last
                } else if !e.shift_key() && is(&last) {
                    first
                } else {
                    None
                };
                if let Some(t) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                    e.prevent_default();
                    let _ = t.focus();
                }
            }
        })
    };
    let onsubmit = {
        let (cb, title_ref, text_ref) = (props.onsubmit.clone(), title_ref.clone(), text_ref.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let title = title_ref.cast::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let text = text_ref.cast::<web_sys::HtmlTextAreaElement>().map(|t| t.value()).unwrap_or_default();
            cb.emit((title, text));
        })
    };
    let cancel = {
        let c = props.onclose.clone();
        Callback::from(move |_| c.emit(()))
    };
    html! {
        <div class="backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="paste-title" ref={dialog_ref} {onkeydown}>
                <h2 id="paste-title">{ "Paste a text" }</h2>
                <form class="paste-form" {onsubmit}>
                    <label>{ "Title" }<input ref={title_ref} name="title" maxlength="200" placeholder="Taken from the first line if empty" /></label>
                    <label>{ "Text" }<textarea ref={text_ref} name="text" rows="12" required=true /></label>
                    <div class="dialog-actions">
                        <button type="submit">{ "Open this text" }</button>
                        <button type="button" onclick={cancel}>{ "Cancel" }</button>
                    </div>
                </form>
            </div>
        </div>
    }
}
