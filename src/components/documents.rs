//! The library: every document with its title, size, counts per label and
//! last change; open, rename, delete (with confirmation), share with the
//! team, open a text file, paste a text, restore the sample article, and
//! whole-library backup.

use crate::hooks::field::use_field;
use annotator_core::model::Label;
use annotator_core::store::library::DocMeta;
use std::rc::Rc;
use yew::prelude::*;

/// What the documents list asks for (ids are documents' ids).
#[derive(Clone, Debug, PartialEq)]
pub enum DocCmd {
    Open(String),
    /// Rename (id, new title as typed).
    Rename(String, String),
    Delete(String),
    /// A text file to open as a new document.
    OpenFile(web_sys::File),
    /// Open the "Paste text" dialog.
    Paste,
    RestoreSeed,
    ExportAll,
    ImportBackup(web_sys::File),
    /// Share with the team (and open it).
    Share(String),
}

#[derive(Properties, PartialEq)]
pub struct DocumentsProps {
    pub docs: Rc<Vec<DocMeta>>,
    pub current: AttrValue,
    pub oncmd: Callback<DocCmd>,
    pub seed_listed: bool,
    /// Ids of the documents shared with the team (marked "Shared").
    #[prop_or_default]
    pub shared: Rc<std::collections::BTreeSet<String>>,
    /// Team sync runs: unshared documents offer "Share with team".
    #[prop_or_default]
    pub team_running: bool,
}

fn file_input(cb: Callback<DocCmd>, cmd: fn(web_sys::File) -> DocCmd) -> Callback<Event> {
    Callback::from(move |e: Event| {
        let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else { return };
        if let Some(f) = input.files().and_then(|l| l.get(0)) {
            cb.emit(cmd(f));
        }
        input.set_value("");
    })
}

/// "2026-11-27 20:15 UTC" for an RFC 3339 time ("2026-11-27T20:15:00Z"; another
/// offset is shown as given, "… +02:00"); anything else is shown as it is
/// (at most 40 characters), an empty string as nothing. Works on characters,
/// never on byte offsets: a stored (or restored) value may hold any text.
fn when(s: &str) -> String {
    match rfc3339_parts(s) {
        Some((date, time, offset)) => {
            let zone = if matches!(offset.as_str(), "Z" | "z" | "+00:00") { "UTC".to_string() } else { offset };
            format!("{date} {time} {zone}")
        }
        None => s.trim().chars().take(40).collect(),
    }
}

/// The date ("YYYY-MM-DD"), hours and minutes ("HH:MM") and offset ("Z" or
/// "±HH:MM") of an RFC 3339 date-time, or None when `s` is not one.
fn rfc3339_parts(s: &str) -> Option<(String, String, String)> {
    let c: Vec<char> = s.trim().chars().collect();
    let digits = |r: std::ops::Range<usize>| c.get(r.clone()).is_some_and(|d| d.iter().all(|x| x.is_ascii_digit()));
    let is = |i: usize, want: &[char]| c.get(i).is_some_and(|x| want.contains(x));
    let shape = digits(0..4)
        && is(4, &['-'])
        && digits(5..7)
        && is(7, &['-'])
        && digits(8..10)
        && is(10, &['T', 't', ' '])
        && digits(11..13)
        && is(13, &[':'])
        && digits(14..16)
        && is(16, &[':'])
        && digits(17..19);
    if !shape {
        return None;
    }
    let num = |r: std::ops::Range<usize>| c[r].iter().collect::<String>().parse::<u32>().ok();
    let (month, day, hour, minute, second) = (num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut i = 19;
    if is(i, &['.']) {
        i += 1;
        let frac = c[i..].iter().take_while(|x| x.is_ascii_digit()).count();
        if frac == 0 {
            return None;
        }
        i += frac;
    }
    let offset: String = c[i..].iter().collect();
    let zone_ok = matches!(offset.as_str(), "Z" | "z")
        || (is(i, &['+', '-'])
            && c.len() == i + 6
            && digits(i + 1..i + 3)
            && is(i + 3, &[':'])
            && digits(i + 4..i + 6)
            && num(i + 1..i + 3)? <= 23
            && num(i + 4..i + 6)? <= 59);
    if !zone_ok {
        return None;
    }
    Some((c[0..10].iter().collect(), c[11..16].iter().collect(), offset))
}

#[cfg(test)]
mod tests {
    use super::when;

    #[test]
    fn formats_rfc3339_times() {
        assert_eq!(when("2026-11-27T20:15:07Z"), "2026-11-27 20:15 UTC");
        assert_eq!(when("2026-11-27T20:15:07.123Z"), "2026-11-27 20:15 UTC");
        assert_eq!(when("2026-11-27t20:15:07+00:00"), "2026-11-27 20:15 UTC");
        assert_eq!(when("2026-11-27T20:15:07-05:30"), "2026-11-27 20:15 -05:30");
    }

    #[test]
    fn shows_anything_else_as_it_is_without_panicking() {
        assert_eq!(when(""), "");
        assert_eq!(when("yesterday"), "yesterday");
        // Multi-byte characters where the byte slices [..10] and [11..16] used to cut.
        assert_eq!(when("2026-11-2é T20:15:00Z"), "2026-11-2é T20:15:00Z");
        assert_eq!(when("ééééééééééééééééé"), "ééééééééééééééééé");
        assert_eq!(when("2026-11-27T20:1€:00Z"), "2026-11-27T20:1€:00Z");
        assert_eq!(when("2026-11-27T20:15:00Zé"), "2026-11-27T20:15:00Zé");
        assert_eq!(when("2026-11-27T20:15:00+05:3é"), "2026-11-27T20:15:00+05:3é");
        assert_eq!(when("2026-13-27T20:15:00Z"), "2026-13-27T20:15:00Z");
        assert_eq!(when(&"😀".repeat(100)).chars().count(), 40);
    }
}

#[function_component(Documents)]
pub fn documents(props: &DocumentsProps) -> Html {
    let renaming = use_state(|| None::<String>);
    let confirming = use_state(|| None::<String>);
    // The new title being typed survives a re-render (another change arriving).
    let title = use_field(renaming.as_deref().and_then(|r| props.docs.iter().find(|d| d.id == r)).map_or("", |d| d.title.as_str()));
    let cmd = |c: DocCmd| props.oncmd.reform(move |_: MouseEvent| c.clone());
    let items = props.docs.iter().map(|d| {
        let current = d.id == props.current.as_str();
        let id = d.id.clone();
        let onopen = cmd(DocCmd::Open(id.clone()));
        let onshare = cmd(DocCmd::Share(id.clone()));
        let counts = Label::ALL.iter().map(|l| format!("{} {}", d.counts[*l as usize], l.as_str())).collect::<Vec<_>>().join(", ");
        let body = if renaming.as_deref() == Some(d.id.as_str()) {
            let (oncmd, renaming2, id2) = (props.oncmd.clone(), renaming.clone(), id.clone());
            let onsubmit = Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let input = e.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlFormElement>(t).ok())
                    .and_then(|f| f.elements().named_item("title"))
                    .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(el).ok());
                if let Some(i) = input {
                    oncmd.emit(DocCmd::Rename(id2.clone(), i.value()));
                }
                renaming2.set(None);
            });
            let cancel = { let r = renaming.clone(); Callback::from(move |_| r.set(None)) };
            html! {
                <form class="rename" {onsubmit}>
                    <input name="title" ref={title.node.clone()} oninput={title.oninput.clone()} aria-label={format!("New title for “{}”", d.title)} maxlength="200" required=true />
                    <button type="submit">{ "Save title" }</button>
                    <button type="button" onclick={cancel}>{ "Cancel" }</button>
                </form>
            }
        } else if confirming.as_deref() == Some(d.id.as_str()) {
            let (oncmd, confirming2, id2) = (props.oncmd.clone(), confirming.clone(), id.clone());
            let cancel = { let c = confirming.clone(); Callback::from(move |_| c.set(None)) };
            let total: usize = d.counts.iter().sum();
            html! {
                <div class="confirm" role="group" aria-label="Confirm deletion">
                    <p>{ format!("Delete “{}” and its {total} annotation{}? You can undo this.", d.title, if total == 1 { "" } else { "s" }) }</p>
                    <button type="button" class="danger" onclick={Callback::from(move |_| { confirming2.set(None); oncmd.emit(DocCmd::Delete(id2.clone())) })}>{ "Yes, delete" }</button>
                    <button type="button" onclick={cancel}>{ "Cancel" }</button>
                </div>
            }
        } else {
            let (r, c) = (renaming.clone(), confirming.clone());
            let (id_r, id_c) = (id.clone(), id.clone());
            html! {
                <>
                    <button type="button" class="doc-open" aria-current={current.then_some("page")} onclick={onopen}>
                        <span class="doc-title-text">{ &d.title }</span>
                    </button>
                    <span class="doc-meta">{ format!("{} characters · {counts}", d.len_cp) }
                        if !d.modified.is_empty() { { format!(" · changed {}", when(&d.modified)) } }
                    </span>
                    if !d.details.is_empty() {
                        <span class="doc-source" title={d.details.describe()}>{ d.details.describe() }</span>
                    }
                    if props.shared.contains(&d.id) { <span class="doc-shared">{ "Shared" }</span> }
                    <span class="doc-actions">
                        if props.team_running && !props.shared.contains(&d.id) {
                            <button type="button" aria-label={format!("Share with team: “{}”", d.title)} onclick={onshare}>{ "Share with team" }</button>
                        }
                        <button type="button" aria-label={format!("Rename “{}”", d.title)} onclick={Callback::from(move |_| r.set(Some(id_r.clone())))}>{ "Rename" }</button>
                        <button type="button" aria-label={format!("Delete document “{}”", d.title)} onclick={Callback::from(move |_| c.set(Some(id_c.clone())))}>{ "Delete document" }</button>
                    </span>
                </>
            }
        };
        html! { <li key={d.id.clone()} data-doc-id={d.id.clone()} class={classes!(current.then_some("current"))}>{ body }</li> }
    });
    let (onpaste, onexportall, onrestore) = (cmd(DocCmd::Paste), cmd(DocCmd::ExportAll), cmd(DocCmd::RestoreSeed));
    html! {
        <details class="documents" open=true>
            <summary>{ format!("Documents ({})", props.docs.len()) }</summary>
            <div class="doc-tools">
                <label class="file-btn"><span aria-hidden="true">{ "Open text file…" }</span>
                    <input type="file" accept=".txt,.md,.markdown,text/plain,text/markdown" aria-label="Open text file"
                        onchange={file_input(props.oncmd.clone(), DocCmd::OpenFile)} />
                </label>
                <button type="button" onclick={onpaste}>{ "Paste text" }</button>
                if !props.seed_listed { <button type="button" onclick={onrestore}>{ "Restore the sample article" }</button> }
            </div>
            <ul class="doc-list" aria-label="Documents">{ for items }</ul>
            <div class="doc-tools">
                <button type="button" onclick={onexportall} title="Download every document and its annotations as one JSON file">{ "Export all" }</button>
                <label class="file-btn"><span aria-hidden="true">{ "Import backup…" }</span>
                    <input type="file" accept=".json,application/json" aria-label="Import backup"
                        onchange={file_input(props.oncmd.clone(), DocCmd::ImportBackup)} />
                </label>
            </div>
            <p class="hint">{ "You can also drop a .txt or .md file anywhere on the page." }</p>
        </details>
    }
}
