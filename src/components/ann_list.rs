//! The annotation list (text order) with counts per label, filters, search,
//! and an in-place editor of the selected annotation's note, speaker, verdict and links.

use super::attributes::{AttributesEditor, Suggestions};
use super::links::{LinkCmd, LinksPanel};
use crate::hooks::field::use_field;
use annotator_core::app::linking::Linking;
use annotator_core::model::filter::{Filter, VerdictFilter};
use annotator_core::model::shorten;
use annotator_core::model::VERDICTS;
use annotator_core::{model::Annotation, model::Label};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// How many list items are rendered at once (more on request).
pub const LIST_WINDOW: usize = 100;

/// What the annotation list asks for (ids are annotations' ids).
#[derive(Clone, Debug, PartialEq)]
pub enum AnnCmd {
    /// An item was activated.
    Activate(String),
    /// A note edit was committed.
    Note { id: String, note: String },
    /// Speaker or verdict was committed (both are sent).
    Attributes { id: String, speaker: String, verdict: String },
    /// A label's "Show" filter was toggled.
    Toggle(Label),
    /// The search field's text.
    Query(String),
    /// The "Verdict filter" choice.
    Verdict(VerdictFilter),
    /// The links panel's requests.
    Link(LinkCmd),
}

#[derive(Properties)]
pub struct AnnListProps {
    pub annotations: Rc<Vec<Rc<Annotation>>>,
    pub filter: Filter,
    pub selected: Option<String>,
    pub counts: [usize; 3],
    /// The list's requests; stable (same `Rc` on every render), so the
    /// memoised list and its items skip re-rendering.
    pub oncmd: Callback<AnnCmd>,
    /// A request to focus the note editor (id, nonce).
    pub edit_note: Option<(String, u64)>,
    /// A link being made.
    pub linking: Option<Linking>,
}

impl PartialEq for AnnListProps {
    /// The annotation list by pointer (a changed list is a new `Rc`): no
    /// field-by-field pass over thousands of annotations on every render.
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.annotations, &o.annotations)
            && self.filter == o.filter
            && self.selected == o.selected
            && self.counts == o.counts
            && self.oncmd == o.oncmd
            && self.edit_note == o.edit_note
            && self.linking == o.linking
    }
}

#[derive(Properties, PartialEq)]
struct AnnItemProps {
    ann: Rc<Annotation>,
    current: bool,
    /// 1-based position in the whole filtered list, and that list's length: the
    /// list renders a window, so assistive technology hears "item 5,001 of 10,000".
    posinset: usize,
    setsize: usize,
    oncmd: Callback<AnnCmd>,
}

/// One list item, memoised: an edit re-renders only the items it changed
/// (the parent's callbacks are stable), not the whole window.
#[function_component(AnnItem)]
fn ann_item(props: &AnnItemProps) -> Html {
    let a = &props.ann;
    let current = props.current;
    let onclick = {
        let id = a.id.clone();
        props.oncmd.reform(move |_: MouseEvent| AnnCmd::Activate(id.clone()))
    };
    html! {
        <li data-id={a.id.clone()} data-label={a.label.as_str()}
            aria-posinset={props.posinset.to_string()} aria-setsize={props.setsize.to_string()}
            aria-current={current.then_some("true")} class={classes!(current.then_some("current"))}>
            <button type="button" class="ann-item" {onclick}>
                <span class={classes!("tag", a.label.as_str())}>{ a.label.display() }</span>
                <q class="quote">{ shorten(&a.quote, 160) }</q>
                <span class="pos">{ format!("{}–{}", a.start, a.end) }</span>
                if !a.speaker.is_empty() { <span class="attr-speaker">{ format!("Speaker: {}", shorten(&a.speaker, 60)) }</span> }
                if !a.verdict.is_empty() { <span class="attr-verdict">{ format!("Verdict: {}", shorten(&a.verdict, 60)) }</span> }
                if !a.note.is_empty() { <span class="note">{ shorten(&a.note, 200) }</span> }
            </button>
        </li>
    }
}

#[function_component(AnnList)]
pub fn ann_list(props: &AnnListProps) -> Html {
    let shown = props.filter.apply(&props.annotations);
    let selected_ann = props.selected.as_deref().and_then(|sel| props.annotations.iter().find(|a| a.id == sel));
    let note = use_field(selected_ann.map_or("", |a| a.note.as_str()));
    // Stable, as the list's own callback is: the editors keep their props.
    let onattrs =
        use_callback(props.oncmd.clone(), |(id, speaker, verdict), oncmd| oncmd.emit(AnnCmd::Attributes { id, speaker, verdict }));
    let onlinkcmd = use_callback(props.oncmd.clone(), |c, oncmd| oncmd.emit(AnnCmd::Link(c)));
    {
        let note_ref = note.node.clone();
        use_effect_with(props.edit_note.clone(), move |req| {
            if req.is_some() {
                if let Some(t) = note_ref.cast::<web_sys::HtmlElement>() {
                    let _ = t.focus();
                }
            }
        });
    }
    // Long lists render a window of LIST_WINDOW items (around the selected
    // one), with buttons to widen it: thousands of rows would make every edit slow.
    let extra = use_state(|| 0usize);
    let limit = LIST_WINDOW + *extra;
    let sel_pos = props.selected.as_deref().and_then(|s| shown.iter().position(|a| a.id == s));
    // The window moves only to show a selected item outside it, and only
    // after the frame that shows the edit is painted (rebuilding a hundred
    // items would delay it); otherwise it stays put, so an edit or clearing
    // the selection does not rebuild it. A new filter starts from the top.
    let window = use_mut_ref(|| (0usize, props.filter.clone()));
    let redraw = use_state(|| 0u32);
    let from = {
        let mut w = window.borrow_mut();
        if w.1 != props.filter {
            *w = (0, props.filter.clone());
        }
        w.0 = w.0.min(shown.len().saturating_sub(1));
        w.0
    };
    if let Some(p) = sel_pos {
        if p < from || p >= from + limit {
            let target = if p >= limit { p - limit / 2 } else { 0 };
            let (window, redraw) = (window.clone(), redraw.clone());
            crate::browser::after_next_paint(move || {
                if window.borrow().0 != target {
                    window.borrow_mut().0 = target;
                    redraw.set(*redraw + 1);
                }
            });
        }
    }
    let to = (from + limit).min(shown.len());
    let hidden_before = from;
    let hidden_after = shown.len() - to;
    let setsize = shown.len();
    let items = shown[from..to].iter().enumerate().map(|(i, a)| {
        let current = props.selected.as_deref() == Some(a.id.as_str());
        let posinset = from + i + 1;
        html! { <AnnItem key={a.id.clone()} ann={(*a).clone()} {current} {posinset} {setsize} oncmd={props.oncmd.clone()} /> }
    });
    // Speakers already used in this document (suggestions), and the verdicts to
    // filter by (the offered ones, then free-text ones used here): one pass per list.
    let choices = use_memo(crate::hooks::ByPtr(props.annotations.clone()), |anns| {
        let offered = |v: &str| VERDICTS.iter().any(|o| o.eq_ignore_ascii_case(v));
        // Borrowed while collecting: one copy per distinct value, not per annotation.
        let (mut speakers, mut own) = (std::collections::BTreeSet::new(), std::collections::BTreeSet::new());
        for a in anns.0.iter() {
            if !a.speaker.is_empty() {
                speakers.insert(a.speaker.as_str());
            }
            if !a.verdict.is_empty() && !offered(&a.verdict) {
                own.insert(a.verdict.as_str());
            }
        }
        let verdicts = VERDICTS.iter().map(|v| v.to_string()).chain(own.into_iter().map(str::to_string)).collect::<Vec<_>>();
        (Rc::new(speakers.into_iter().map(str::to_string).collect::<Vec<_>>()), verdicts)
    });
    let speakers: Rc<Vec<String>> = choices.0.clone();
    let verdicts = &choices.1;
    let onverdictchange = {
        let oncmd = props.oncmd.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                let v = s.value();
                oncmd.emit(AnnCmd::Verdict(match v.as_str() {
                    "any" => VerdictFilter::Any,
                    "none" => VerdictFilter::Without,
                    _ => VerdictFilter::Is(v.strip_prefix("is:").unwrap_or(&v).to_string()),
                }));
            }
        })
    };
    let verdict_value = match &props.filter.verdict {
        VerdictFilter::Any => "any".to_string(),
        VerdictFilter::Without => "none".to_string(),
        VerdictFilter::Is(v) => format!("is:{v}"),
    };
    let editor = selected_ann.map(|a| {
        let (oncmd, field) = (props.oncmd.clone(), note.clone());
        let id_c = a.id.clone();
        let onchange = Callback::from(move |e: Event| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                field.committed();
                oncmd.emit(AnnCmd::Note { id: id_c.clone(), note: t.value() });
            }
        });
        let item_sel = format!("li[data-id=\"{}\"] button.ann-item", a.id.replace(['"', '\\'], ""));
        let onkeydown = Callback::from(move |e: KeyboardEvent| {
            let Some(t) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) else { return };
            if (e.key() == "Enter" && (e.ctrl_key() || e.meta_key())) || e.key() == "Escape" {
                e.prevent_default();
                e.stop_propagation();
                // Blurring commits the note (change event); focus goes back to the list item.
                let _ = t.blur();
                if let Ok(Some(b)) = gloo::utils::document().query_selector(&item_sel) {
                    if let Ok(b) = b.dyn_into::<web_sys::HtmlElement>() {
                        let _ = b.focus();
                    }
                }
            }
        });
        html! {
            <section class="selected-panel" aria-label="Selected annotation">
                <p><span class={classes!("tag", a.label.as_str())}>{ a.label.display() }</span>{ " " }<q>{ shorten(&a.quote, 200) }</q></p>
                <label class="note-editor">
                    <span>{ "Note" }</span>
                    <textarea id="note-editor" key={a.id.clone()} ref={note.node.clone()} rows="3" oninput={note.oninput.clone()}
                        aria-label={format!("Note for {} “{}”", a.label, shorten(&a.quote, 40))}
                        placeholder="Add a note (Enter on the annotation opens this; Ctrl+Enter saves)" {onchange} {onkeydown} />
                </label>
                { note.elsewhere_hint() }
                <AttributesEditor ann={a.clone()} onattrs={onattrs.clone()} />
                <LinksPanel annotations={props.annotations.clone()} ann={a.clone()} linking={props.linking.clone()} oncmd={onlinkcmd.clone()} />
            </section>
        }
    });
    let oncmd = props.oncmd.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            oncmd.emit(AnnCmd::Query(i.value()));
        }
    });
    let total = props.annotations.len();
    html! {
        <section class="sidebar-list" aria-labelledby="list-heading">
            <h2 id="list-heading">{ "Annotations" }
                <span class="shown">{ if shown.len() == total { format!(" ({total})") } else { format!(" ({} of {total} shown)", shown.len()) } }</span>
            </h2>
            <p id="counts">
                { for Label::ALL.into_iter().map(|l| html! {
                    <span key={l.as_str()} class={classes!("count-chip", l.as_str())} data-label={l.as_str()}>
                        { l.display() }{ ": " }<span class="count">{ props.counts[l as usize] }</span>
                    </span>
                }) }
            </p>
            <fieldset class="filters">
                <legend>{ "Show" }</legend>
                { for Label::ALL.into_iter().map(|l| {
                    let oncmd = props.oncmd.clone();
                    html! {
                        <label key={l.as_str()} class={classes!("filter", l.as_str())}>
                            <input type="checkbox" checked={props.filter.shows(l)} aria-label={format!("Show {}", l.display())}
                                onchange={Callback::from(move |_| oncmd.emit(AnnCmd::Toggle(l)))} />
                            <span aria-hidden="true">{ l.display() }</span>
                        </label>
                    }
                }) }
                <label class="verdict-filter">
                    <span>{ "Verdict filter" }</span>
                    <select aria-label="Verdict filter" onchange={onverdictchange}>
                        <option value="any" selected={verdict_value == "any"}>{ "Any verdict" }</option>
                        <option value="none" selected={verdict_value == "none"}>{ "No verdict" }</option>
                        { for verdicts.iter().map(|v| {
                            let value = format!("is:{v}");
                            let selected = value == verdict_value;
                            html! { <option key={value.clone()} {value} {selected}>{ v }</option> }
                        }) }
                    </select>
                </label>
                <input type="search" class="search" placeholder="Search quotes, notes, speakers, verdicts" aria-label="Search annotations"
                    value={props.filter.query.clone()} {oninput} />
            </fieldset>
            if total == 0 {
                <p class="empty">{ "No annotations yet. Select text in the article, then " }
                    <span class="keys-only">{ "press 1, 2 or 3 (or a tag button)." }</span><span class="touch-only">{ "tap Claim, Denial or Statistic." }</span></p>
            } else if shown.is_empty() {
                <p class="empty">{ "No annotation matches the filter." }</p>
            }
            // The panel keeps its place when nothing is selected, so deleting or
            // deselecting does not move (and repaint) the whole list below it.
            { editor.unwrap_or_else(|| if total == 0 { Html::default() } else { html! {
                <section class="selected-panel none" aria-label="Selected annotation">
                    <p class="empty">{ "No annotation selected. Pick one in the text or the list to see it here and edit its note." }</p>
                </section>
            } }) }
            if hidden_before > 0 { <p class="more">{ format!("{hidden_before} earlier annotations are not listed here; select one in the text or use k to move back.") }</p> }
            <Suggestions {speakers} />
            <ol class="ann-list" aria-label="Annotations" start={(from + 1).to_string()}>{ for items }</ol>
            if hidden_after > 0 {
                <button type="button" class="more" onclick={{ let extra = extra.clone(); Callback::from(move |_| extra.set(*extra + LIST_WINDOW)) }}>
                    { format!("Show {} more ({hidden_after} not listed)", hidden_after.min(LIST_WINDOW)) }
                </button>
            }
        </section>
    }
}
