//! The tag buttons, Delete, Undo/Redo, Export (with its format), the import
//! file input, and the view options (these last behind "Menu" on a phone:
//! `tools_menu`).

use annotator_core::formats::Format;
use annotator_core::model::Label;
use yew::prelude::*;

/// What the toolbar asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum ToolbarCmd {
    /// Tag the selection (or retag the selected annotation).
    Tag(Label),
    /// Tag every occurrence of the selected text with the label.
    TagAll(Label),
    Delete,
    Undo,
    Redo,
    Export(Format),
    Import(Vec<web_sys::File>),
    /// "Snap to words" turned on or off.
    Snap(bool),
    Help,
    /// A pointer came down on a tag button: hold the selection as it is now
    /// (`hooks::tagging`; a phone may collapse it before the tap's click).
    Hold,
}

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub oncmd: Callback<ToolbarCmd>,
    pub can_undo: bool,
    pub can_redo: bool,
    pub undo_title: AttrValue,
    pub redo_title: AttrValue,
    pub snap_words: bool,
}

/// Keeps the text selection when a toolbar button is pressed with the mouse.
fn keep_selection() -> Callback<MouseEvent> {
    Callback::from(|e: MouseEvent| e.prevent_default())
}

/// Holds the selection when a tagging button is pressed (mouse, pen or touch);
/// such a button carries `data-keeps-selection`.
fn hold(oncmd: &Callback<ToolbarCmd>) -> Callback<PointerEvent> {
    oncmd.reform(|_: PointerEvent| ToolbarCmd::Hold)
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
                    let (oncmd, all_open) = (props.oncmd.clone(), all_open.clone());
                    html! {
                        <button key={l.as_str()} type="button" class={classes!("tag-btn", l.as_str())} aria-keyshortcuts={format!("Shift+{}", i + 1)}
                            title={format!("Tag every occurrence of the selected text as {} (Shift+{})", l.display(), i + 1)}
                            data-keeps-selection="" onpointerdown={hold(&oncmd)}
                            onmousedown={keep_selection()} onclick={Callback::from(move |_| { all_open.set(false); oncmd.emit(ToolbarCmd::TagAll(l)) })}>
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
        let oncmd = props.oncmd.clone();
        html! {
            <button key={l.as_str()} type="button" class={classes!("tag-btn", l.as_str())}
                aria-keyshortcuts={(i + 1).to_string()} title={format!("Tag the selection as {} (key {})", l.display(), i + 1)}
                data-keeps-selection="" onpointerdown={hold(&oncmd)}
                onmousedown={keep_selection()} onclick={Callback::from(move |_| oncmd.emit(ToolbarCmd::Tag(l)))}>
                { l.display() }
            </button>
        }
    });
    let cmd = |c: ToolbarCmd| props.oncmd.reform(move |_: MouseEvent| c.clone());
    let oncmd = props.oncmd.clone();
    let onchange = Callback::from(move |e: Event| {
        let files = crate::browser::take_chosen_files(&e);
        if !files.is_empty() {
            oncmd.emit(ToolbarCmd::Import(files));
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
    let onexport = cmd(ToolbarCmd::Export(*format));
    let onsnap = {
        let c = props.oncmd.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                c.emit(ToolbarCmd::Snap(i.checked()));
            }
        })
    };
    html! {
        <div class="toolbar" role="toolbar" aria-label="Annotation tools">
            <div class="group tag-group">{ for tag_buttons }
                <button type="button" class="delete-btn" aria-keyshortcuts="Delete"
                    title="Delete the selected annotation (Delete key)"
                    onmousedown={keep_selection()} onclick={cmd(ToolbarCmd::Delete)}>{ "Delete" }</button>
                <button type="button" class="tag-all-btn" aria-expanded={(*all_open).to_string()}
                    title="Tag every occurrence of the selected text: choose the label (Shift+1, Shift+2, Shift+3)"
                    data-keeps-selection="" onpointerdown={hold(&props.oncmd)}
                    onmousedown={keep_selection()} onclick={ontoggleall}>{ "Tag all occurrences…" }</button>
                { all_menu.unwrap_or_default() }
            </div>
            <div class="group">
                <button type="button" aria-keyshortcuts="Control+Z" disabled={!props.can_undo}
                    title={props.undo_title.clone()} onmousedown={keep_selection()} onclick={cmd(ToolbarCmd::Undo)}>{ "Undo" }</button>
                <button type="button" aria-keyshortcuts="Control+Shift+Z Control+Y" disabled={!props.can_redo}
                    title={props.redo_title.clone()} onmousedown={keep_selection()} onclick={cmd(ToolbarCmd::Redo)}>{ "Redo" }</button>
            </div>
            <super::tools_menu::ToolsMenu>
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
                    <button type="button" aria-keyshortcuts="?" onclick={cmd(ToolbarCmd::Help)}>{ "Keyboard help" }</button>
                    <super::theme::ThemeSelect />
                </div>
            </super::tools_menu::ToolsMenu>
        </div>
    }
}
