//! The tag buttons, Delete, Export and the import file input.

use annotator_core::Label;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub ontag: Callback<Label>,
    pub ondelete: Callback<()>,
    pub onexport: Callback<()>,
    pub onimport: Callback<web_sys::File>,
}

#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let tag_buttons = Label::ALL.into_iter().enumerate().map(|(i, l)| {
        let ontag = props.ontag.clone();
        // Keep the text selection: act on mousedown's default being prevented.
        let onmousedown = Callback::from(|e: MouseEvent| e.prevent_default());
        html! {
            <button key={l.as_str()} type="button" class={classes!("tag-btn", l.as_str())}
                aria-keyshortcuts={(i + 1).to_string()} title={format!("Tag the selection as {} (key {})", l.display(), i + 1)}
                {onmousedown} onclick={Callback::from(move |_| ontag.emit(l))}>
                { l.display() }
            </button>
        }
    });
    let ondelete = props.ondelete.clone();
    let onexport = props.onexport.clone();
    let onimport = props.onimport.clone();
    let onchange = Callback::from(move |e: Event| {
        let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else { return };
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            onimport.emit(file);
        }
        // Allow choosing the same file again.
        input.set_value("");
    });
    html! {
        <div class="toolbar" role="toolbar" aria-label="Annotation tools">
            <div class="group">{ for tag_buttons }
                <button type="button" class="delete-btn" aria-keyshortcuts="Delete"
                    title="Delete the selected annotation (Delete key)"
                    onmousedown={Callback::from(|e: MouseEvent| e.prevent_default())}
                    onclick={Callback::from(move |_| ondelete.emit(()))}>{ "Delete" }</button>
            </div>
            <div class="group">
                <button type="button" title="Download the annotations as a JSON file"
                    onclick={Callback::from(move |_| onexport.emit(()))}>{ "Export" }</button>
                <label class="file-btn">
                    <span aria-hidden="true">{ "Import…" }</span>
                    <input type="file" accept=".json,application/json" aria-label="Import annotations" {onchange} />
                </label>
            </div>
        </div>
    }
}
