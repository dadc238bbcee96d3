//! Reads a `keydown` event into the pure keymap's [`KeyInput`].

use annotator_core::app::keymap::{KeyInput, KeyTarget};
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};

/// Where `e` was pressed, as the keymap sees it.
pub fn key_target(e: &KeyboardEvent) -> KeyTarget {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return KeyTarget::Other };
    let tag = el.tag_name().to_ascii_lowercase();
    let input_type = el.get_attribute("type").unwrap_or_default().to_ascii_lowercase();
    let typing = (tag == "input" && !matches!(input_type.as_str(), "checkbox" | "radio" | "button" | "file"))
        || tag == "textarea"
        || tag == "select"
        || el.get_attribute("contenteditable").is_some_and(|v| v != "false");
    if typing {
        KeyTarget::Typing
    } else if el.id() == "article" {
        KeyTarget::Article
    } else if matches!(tag.as_str(), "button" | "a" | "summary") {
        KeyTarget::Activatable
    } else {
        KeyTarget::Other
    }
}

/// Whether `e` is the Tab key, Shift held or not. By its physical key too: WebKitGTK
/// (driven by WebDriver) says Shift+Tab is key `"Unidentified"`, code `"Tab"`.
pub fn is_tab(e: &KeyboardEvent) -> bool {
    e.key() == "Tab" || e.code() == "Tab"
}

/// The key press `e` as data.
pub fn key_input(e: &KeyboardEvent) -> KeyInput {
    KeyInput {
        key: e.key(),
        code: e.code(),
        ctrl: e.ctrl_key() || e.meta_key(),
        shift: e.shift_key(),
        alt: e.alt_key(),
        composing: e.is_composing(),
        target: key_target(e),
    }
}
