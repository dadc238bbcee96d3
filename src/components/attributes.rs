//! Speaker and verdict of the selected annotation, beside its note: two
//! text fields ("Speaker" suggests the speakers already used in this
//! document; "Verdict" suggests the usual verdicts and takes free text).
//! A change is committed when the field loses focus or on Enter.

use annotator_core::model::VERDICTS;
use annotator_core::Annotation;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AttributesProps {
    pub ann: Annotation,
    /// Speakers already used in this document, sorted, for suggestions.
    pub speakers: Rc<Vec<String>>,
    /// Called with (id, speaker, verdict) when either field is committed.
    pub onattrs: Callback<(String, String, String)>,
}

#[function_component(AttributesEditor)]
pub fn attributes_editor(p: &AttributesProps) -> Html {
    let speaker_ref = use_node_ref();
    let verdict_ref = use_node_ref();
    let onchange = {
        let (id, onattrs) = (p.ann.id.clone(), p.onattrs.clone());
        let (speaker_ref, verdict_ref) = (speaker_ref.clone(), verdict_ref.clone());
        Callback::from(move |_: Event| {
            let value = |r: &NodeRef| r.cast::<web_sys::HtmlInputElement>().map(|i| i.value());
            if let (Some(speaker), Some(verdict)) = (value(&speaker_ref), value(&verdict_ref)) {
                onattrs.emit((id.clone(), speaker, verdict));
            }
        })
    };
    let a = &p.ann;
    html! {
        <div class="attributes">
            <label class="attr">
                <span>{ "Speaker" }</span>
                <input type="text" key={format!("s-{}", a.id)} ref={speaker_ref} value={a.speaker.clone()} aria-label="Speaker"
                    list="speaker-suggestions" maxlength="200" placeholder="Who said it" autocomplete="off" onchange={onchange.clone()} />
            </label>
            <datalist id="speaker-suggestions">
                { for p.speakers.iter().map(|s| html! { <option key={s.clone()} value={s.clone()} /> }) }
            </datalist>
            <label class="attr">
                <span>{ "Verdict" }</span>
                <input type="text" key={format!("v-{}", a.id)} ref={verdict_ref} value={a.verdict.clone()} aria-label="Verdict"
                    list="verdict-choices" maxlength="200" placeholder="True, False, Misleading… or your own" autocomplete="off" {onchange} />
            </label>
            <datalist id="verdict-choices">
                { for VERDICTS.iter().map(|v| html! { <option key={*v} value={*v} /> }) }
            </datalist>
        </div>
    }
}
