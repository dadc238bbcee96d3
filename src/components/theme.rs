//! The colour theme choice: follow the system (`prefers-color-scheme`), or
//! force light or dark. Kept in local storage; applied as `data-theme` on `<html>`.

use yew::prelude::*;

const KEY: &str = "text-annotator.theme";

fn apply(theme: &str) {
    if let Some(root) = gloo::utils::document().document_element() {
        if theme == "auto" {
            let _ = root.remove_attribute("data-theme");
        } else {
            let _ = root.set_attribute("data-theme", theme);
        }
    }
}

fn stored() -> String {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .filter(|t| matches!(t.as_str(), "light" | "dark"))
        .unwrap_or_else(|| "auto".into())
}

#[function_component(ThemeSelect)]
pub fn theme_select() -> Html {
    let theme = use_state(stored);
    use_effect_with((*theme).clone(), |t| apply(t));
    let onchange = {
        let theme = theme.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                let v = s.value();
                // The choice applies at once; when it cannot be remembered
                // (storage full or off) the next visit follows the system.
                if let Some(st) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
                    if let Err(e) = st.set_item(KEY, &v) {
                        web_sys::console::warn_2(&"the colour theme could not be remembered:".into(), &e);
                    }
                }
                theme.set(v);
            }
        })
    };
    html! {
        <select aria-label="Colour theme" {onchange}>
            { for [("auto", "Theme: system"), ("light", "Theme: light"), ("dark", "Theme: dark")].into_iter().map(|(v, l)| html! {
                <option key={v} value={v} selected={*theme == v}>{ l }</option>
            }) }
        </select>
    }
}
