//! The top bar's less used controls (export, import, view options, help,
//! theme) behind a "Menu" disclosure on narrow screens.
//!
//! One DOM for every screen, CSS decides the layout (style/main.css): on wide
//! screens the button is hidden and the wrapper and panel take no box of their
//! own (`display: contents`), so the controls sit in the toolbar as before; on
//! a phone (`max-width: 40rem`) the panel shows under the top bar only while
//! open. Every control keeps its accessible name and role either way.
//! Enter or Space on the button opens and closes it (a native `<button>`);
//! Escape inside closes it and puts focus back on the button.

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
        <div class={classes!("menu", open.then_some("open"))} {onkeydown}>
            <button type="button" class="menu-btn" ref={button} aria-expanded={open.to_string()} aria-controls={PANEL_ID}
                onclick={ontoggle}>{ "Menu" }</button>
            <div id={PANEL_ID} class="menu-panel">{ props.children.clone() }</div>
        </div>
    }
}
