//! Speaker and verdict of the selected annotation, beside its note: two
//! text fields ("Speaker" suggests the speakers already used in this
//! document; "Verdict" suggests the usual verdicts and takes free text).
//! A change is committed when the field loses focus or on Enter.

use crate::hooks::field::use_field;
use annotator_core::model::Annotation;
use annotator_core::model::VERDICTS;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SuggestionsProps {
    /// Speakers already used in this document, sorted.
    pub speakers: Rc<Vec<String>>,
}

/// The suggestion lists of the two fields (`#speaker-suggestions`,
/// `#verdict-choices`). Rendered once beside the list, not inside the panel
/// that comes and goes with the selection: creating a `<datalist>` restyles
/// the page (measured: +7 ms per edit at 1 MB / 10,000 annotations).
/// Equal speakers (compared by content) render nothing again.
#[function_component(Suggestions)]
pub fn suggestions(p: &SuggestionsProps) -> Html {
    html! {
        <>
            <datalist id="speaker-suggestions">
                { for p.speakers.iter().map(|s| html! { <option key={s.clone()} value={s.clone()} /> }) }
            </datalist>
            <datalist id="verdict-choices">
                { for VERDICTS.iter().map(|v| html! { <option key={*v} value={*v} /> }) }
            </datalist>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct AttributesProps {
    pub ann: Rc<Annotation>,
    /// Called with (id, speaker, verdict) when either field is committed.
    pub onattrs: Callback<(String, String, String)>,
}

#[function_component(AttributesEditor)]
pub fn attributes_editor(p: &AttributesProps) -> Html {
    let speaker = use_field(&p.ann.speaker);
    let verdict = use_field(&p.ann.verdict);
    let onchange = {
        let (id, onattrs) = (p.ann.id.clone(), p.onattrs.clone());
        let (speaker, verdict) = (speaker.clone(), verdict.clone());
        Callback::from(move |_: Event| {
            if let (Some(s), Some(v)) = (speaker.value(), verdict.value()) {
                // Both fields are sent, so both are committed.
                speaker.committed();
                verdict.committed();
                onattrs.emit((id.clone(), s, v));
            }
        })
    };
    // The suggestion list is attached when the field gets focus: an
    // `<input list>` in the panel costs every edit a restyle (measured).
    let link_list = Callback::from(|e: FocusEvent| {
        if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            if let Some(id) = i.get_attribute("data-list") {
                if i.get_attribute("list").as_deref() != Some(id.as_str()) && i.set_attribute("list", &id).is_err() {
                    web_sys::console::warn_1(&"suggestions could not be attached".into());
                }
            }
        }
    });
    let a = &p.ann;
    html! {
        <div class="attributes">
            <label class="attr">
                <span>{ "Speaker" }</span>
                <input type="text" key={format!("s-{}", a.id)} ref={speaker.node.clone()} oninput={speaker.oninput.clone()} aria-label="Speaker"
                    data-list="speaker-suggestions" onfocus={link_list.clone()} maxlength="200" placeholder="Who said it" autocomplete="off" onchange={onchange.clone()} />
            </label>
            { speaker.elsewhere_hint() }

            <label class="attr">
                <span>{ "Verdict" }</span>
                <input type="text" key={format!("v-{}", a.id)} ref={verdict.node.clone()} oninput={verdict.oninput.clone()} aria-label="Verdict"
                    data-list="verdict-choices" onfocus={link_list} maxlength="200" placeholder="True, False, Misleading… or your own" autocomplete="off" {onchange} />
            </label>
            { verdict.elsewhere_hint() }

        </div>
    }
}
