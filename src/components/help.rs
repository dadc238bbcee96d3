//! The keyboard help dialog (`?`): lists every shortcut. Traps focus while
//! open and returns it to where it was on close.

use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub onclose: Callback<()>,
}

/// Every shortcut, as (keys, what it does).
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("1 / 2 / 3", "Tag the selected text as Claim / Denial / Statistic, or retag the selected annotation"),
    (
        "Shift+1 / 2 / 3",
        "Tag every occurrence of the selected text (whole words with Snap to words) as Claim / Denial / Statistic, in one undo step",
    ),
    ("Delete", "Delete the selected annotation"),
    ("Escape", "Clear the selection (or close this dialog)"),
    ("Ctrl+Z / ⌘Z", "Undo"),
    ("Ctrl+Shift+Z / Ctrl+Y", "Redo"),
    ("j / k, Alt+↓ / Alt+↑", "Select the next / previous annotation (in text order)"),
    ("Enter", "Edit the note of the selected annotation (Ctrl+Enter saves, Escape leaves)"),
    ("l", "Link the selected annotation to another: click the other one, or choose it with j / k and press Enter; Escape cancels"),
    ("j / k while comparing", "Move to the next / previous difference with the compared file; Escape closes the comparison"),
    ("← → (with the article focused)", "Move the caret by character; with Ctrl: by word"),
    ("↑ ↓", "Move the caret by line"),
    ("Home / End", "Move the caret to the start / end of the line"),
    ("Shift + caret keys", "Extend the selection"),
    ("[ then ]", "Mark the start at the caret, then the end: selects the text between"),
    ("?", "Show this help"),
];

#[function_component(HelpDialog)]
pub fn help_dialog(props: &HelpProps) -> Html {
    let close_ref = use_node_ref();
    {
        let close_ref = close_ref.clone();
        use_effect_with((), move |_| {
            let previous = gloo::utils::document().active_element();
            if let Some(b) = close_ref.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
            move || {
                if let Some(p) = previous.and_then(|p| p.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = p.focus();
                }
            }
        });
    }
    let onclose = props.onclose.clone();
    let onkeydown = {
        let onclose = props.onclose.clone();
        let close_ref = close_ref.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                e.stop_propagation();
                onclose.emit(());
            } else if crate::browser::keys::is_tab(&e) {
                // Only one focusable control: keep focus on it.
                e.prevent_default();
                if let Some(b) = close_ref.cast::<web_sys::HtmlElement>() {
                    let _ = b.focus();
                }
            }
            e.stop_propagation();
        })
    };
    html! {
        <div class="backdrop" onclick={let c = onclose.clone(); Callback::from(move |_| c.emit(()))}>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="help-title" {onkeydown}
                onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <h2 id="help-title">{ "Keyboard shortcuts" }</h2>
                <table class="shortcuts">
                    <thead><tr><th scope="col">{ "Keys" }</th><th scope="col">{ "Action" }</th></tr></thead>
                    <tbody>
                        { for SHORTCUTS.iter().map(|(k, d)| html! { <tr key={*k}><td><kbd>{ *k }</kbd></td><td>{ *d }</td></tr> }) }
                    </tbody>
                </table>
                <p>{ "Shortcuts never fire while you type in a text field." }</p>
                <button type="button" ref={close_ref} onclick={Callback::from(move |_| onclose.emit(()))}>{ "Close" }</button>
            </div>
        </div>
    }
}
