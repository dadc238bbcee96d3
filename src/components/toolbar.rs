//! The tag buttons, Delete, Undo/Redo, Export (with its format), the import
//! file input, and the view options.

use annotator_core::formats::Format;
use annotator_core::model::Label;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub ontag: Callback<Label>,
    /// Tag every occurrence of the selected text with the label.
    pub ontagall: Callback<Label>,
    pub ondelete: Callback<()>,
    pub onundo: Callback<()>,
    pub onredo: Callback<()>,
    pub can_undo: bool,
    pub can_redo: bool,
    pub undo_title: AttrValue,
    pub redo_title: AttrValue,
    pub onexport: Callback<Format>,
    pub onimport: Callback<Vec<web_sys::File>>,
    pub snap_words: bool,
    pub onsnap: Callback<bool>,
    pub onhelp: Callback<()>,
}

/// Keeps the text selection when a toolbar button is pressed with the mouse.
fn keep_selection() -> Callback<MouseEvent> {
    Callback::from(|e: MouseEvent| e.prevent_default())
}

#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let format = use_state(|| Format::Native);
    // The "Tag all occurrences" menu: which label (open while choosing).
    let all_open = use_state(|| false);
    let all_menu = (*all_open).then(|| {
        let close = {
            let all_open = all_open.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Escape" {
                    e.prevent_default();
                    e.stop_propagation();
                    all_open.set(false);
                }
            })
        };
        html! {
            <div class="tag-all-menu" role="group" aria-label="Tag all occurrences as" onkeydown={close}>
                { for Label::ALL.into_iter().enumerate().map(|(i, l)| {
                    let (ontagall, all_open) = (props.ontagall.clone(), all_open.clone());
                    html! {
                        <button key={l.as_str()} type="button" class={classes!("tag-btn", l.as_str())} aria-keyshortcuts={format!("Shift+{}", i + 1)}
                            title={format!("Tag every occurrence of the selected text as {} (Shift+{})", l.display(), i + 1)}
                            onmousedown={keep_selection()} onclick={Callback::from(move |_| { all_open.set(false); ontagall.emit(l) })}>
                            { format!("Tag all as {}", l.display()) }
                        </button>
                    }
                }) }
            </div>
        }
    });
    let ontoggleall = {
        let all_open = all_open.clone();
        Callback::from(move |_: MouseEvent| all_open.set(!*all_open))
    };
    let tag_buttons = Label::ALL.into_iter().enumerate().map(|(i, l)| {
        let ontag = props.ontag.clone();
        html! {
            <button key={l.as_str()} type="button" class={classes!("tag-btn", l.as_str())}
                aria-keyshortcuts={(i + 1).to_string()} title={format!("Tag the selection as {} (key {})", l.display(), i + 1)}
                onmousedown={keep_selection()} onclick={Callback::from(move |_| ontag.emit(l))}>
                { l.display() }
            </button>
        }
    });
    let cb = |c: &Callback<()>| {
        let c = c.clone();
        Callback::from(move |_: MouseEvent| c.emit(()))
    };
    let onimport = props.onimport.clone();
    let onchange = Callback::from(move |e: Event| {
        let files = crate::browser::take_chosen_files(&e);
        if !files.is_empty() {
            onimport.emit(files);
        }
    });
    let onformat = {
        let format = format.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                if let Some(f) = Format::from_id(&s.value()) {
                    format.set(f);
                }
            }
        })
    };
    let onexport = {
        let (c, f) = (props.onexport.clone(), *format);
        Callback::from(move |_: MouseEvent| c.emit(f))
    };
    let onsnap = {
        let c = props.onsnap.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                c.emit(i.checked());
            }
        })
    };
    html! {
        <div class="toolbar" role="toolbar" aria-label="Annotation tools">
            <div class="group tag-group">{ for tag_buttons }
                <button type="button" class="delete-btn" aria-keyshortcuts="Delete"
                    title="Delete the selected annotation (Delete key)"
                    onmousedown={keep_selection()} onclick={cb(&props.ondelete)}>{ "Delete" }</button>
                <button type="button" class="tag-all-btn" aria-expanded={(*all_open).to_string()}
                    title="Tag every occurrence of the selected text: choose the label (Shift+1, Shift+2, Shift+3)"
                    onmousedown={keep_selection()} onclick={ontoggleall}>{ "Tag all occurrences…" }</button>
                { all_menu.unwrap_or_default() }
            </div>
            <div class="group">
                <button type="button" aria-keyshortcuts="Control+Z" disabled={!props.can_undo}
                    title={props.undo_title.clone()} onmousedown={keep_selection()} onclick={cb(&props.onundo)}>{ "Undo" }</button>
                <button type="button" aria-keyshortcuts="Control+Shift+Z Control+Y" disabled={!props.can_redo}
                    title={props.redo_title.clone()} onmousedown={keep_selection()} onclick={cb(&props.onredo)}>{ "Redo" }</button>
            </div>
            <div class="group">
                <select aria-label="Export format" onchange={onformat}>
                    { for Format::ALL.into_iter().map(|f| html! {
                        <option key={f.id()} value={f.id()} selected={*format == f}>{ f.label() }</option>
                    }) }
                </select>
                <button type="button" title="Download the annotations in the chosen format" onclick={onexport}>{ "Export" }</button>
                <label class="file-btn" title="Native JSON, W3C Web Annotation JSON-LD, or brat .ann (choose its .txt too to re-anchor)">
                    <span aria-hidden="true">{ "Import…" }</span>
                    <input type="file" multiple=true accept=".json,.jsonld,.ann,.txt,application/json,application/ld+json"
                        aria-label="Import annotations" {onchange} />
                </label>
            </div>
            <div class="group">
                <label class="check"><input type="checkbox" checked={props.snap_words} onchange={onsnap} />{ "Snap to words" }</label>
                <button type="button" aria-keyshortcuts="?" onclick={cb(&props.onhelp)}>{ "Keyboard help" }</button>
                <super::theme::ThemeSelect />
            </div>
        </div>
    }
}
