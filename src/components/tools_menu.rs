//! The top bar's less used controls (export, import, view options, help,
//! theme) behind a "Menu" disclosure on narrow screens.
//!
//! One DOM for every screen, CSS decides the layout (style/main.css): on wide
//! screens the button is hidden and the wrapper and panel take no box of their
//! own (`display: contents`), so the controls sit in the toolbar as before; on
//! a phone (`max-width: 40rem`) the panel shows under the top bar only while
//! open. Every control keeps its accessible name and role either way.
//! Enter or Space on the button opens and closes it (a native `<button>`);
//! Escape inside closes it and puts focus back on the button; a press
//! outside it (the article, the sidebar) closes it, except in a dialog it
//! opened (Keyboard help), whose focus comes back into it.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The panel's id, named by the button's `aria-controls`.
const PANEL_ID: &str = "tools-menu";

#[derive(Properties, PartialEq)]
pub struct ToolsMenuProps {
    pub children: Html,
}

#[function_component(ToolsMenu)]
pub fn tools_menu(props: &ToolsMenuProps) -> Html {
    let open = use_state(|| false);
    let button = use_node_ref();
    let wrapper = use_node_ref();
    {
        let (open, wrapper) = (open.clone(), wrapper.clone());
        use_effect_with(*open, move |is_open| {
            let listener = is_open.then(|| {
                let opts = gloo::events::EventListenerOptions::run_in_capture_phase();
                gloo::events::EventListener::new_with_options(&gloo::utils::document(), "pointerdown", opts, move |e| {
                    let Some(target) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
                    let inside = wrapper.cast::<web_sys::Node>().is_some_and(|w| w.contains(Some(&target)));
                    let in_dialog = target.closest(".backdrop").ok().flatten().is_some();
                    if !inside && !in_dialog {
                        open.set(false);
                    }
                })
            });
            move || drop(listener)
        });
    }
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let onkeydown = {
        let (open, button) = (open.clone(), button.clone());
        Callback::from(move |e: KeyboardEvent| {
            // Closed (and always on wide screens) Escape keeps its page-wide meaning.
            if e.key() == "Escape" && *open {
                e.prevent_default();
                e.stop_propagation();
                open.set(false);
                crate::browser::focus(&button);
            }
        })
    };
    html! {
        <div class={classes!("menu", open.then_some("open"))} ref={wrapper} {onkeydown}>
            <button type="button" class="menu-btn" ref={button} aria-expanded={open.to_string()} aria-controls={PANEL_ID}
                onclick={ontoggle}>{ "Menu" }</button>
            <div id={PANEL_ID} class="menu-panel">{ props.children.clone() }</div>
        </div>
    }
}
