//! Imported annotations that could not be anchored: label, quote, why, and
//! the two ways out (re-attach to a selection, or delete).

use annotator_core::anchor::Orphan;
use annotator_core::model::shorten;
use yew::prelude::*;

/// What the list asks for (ids are the orphans' ids).
#[derive(Clone, Debug, PartialEq)]
pub enum OrphanCmd {
    /// Re-attach to the text selected now.
    Reattach(String),
    Delete(String),
}

#[derive(Properties, PartialEq)]
pub struct OrphansProps {
    pub orphans: Vec<Orphan>,
    pub oncmd: Callback<OrphanCmd>,
}

#[function_component(OrphanList)]
pub fn orphan_list(props: &OrphansProps) -> Html {
    if props.orphans.is_empty() {
        return html! {};
    }
    html! {
        <section class="orphans" aria-labelledby="orphans-heading">
            <h2 id="orphans-heading">{ format!("Orphans ({})", props.orphans.len()) }</h2>
            <p class="hint">{ "These imported annotations could not be found in this text. Select where one belongs and press “Re-attach to selection”, or delete it." }</p>
            <ul class="orphan-list" aria-label="Orphans">
                { for props.orphans.iter().map(|o| {
                    let (id1, id2) = (o.id.clone(), o.id.clone());
                    html! {
                        <li key={o.id.clone()} data-id={o.id.clone()} data-label={o.label.as_str()}>
                            <span class={classes!("tag", o.label.as_str())}>{ o.label.display() }</span>
                            <q class="quote">{ shorten(&o.quote, 160) }</q>
                            <span class="why">{ &o.reason }</span>
                            <span class="actions">
                                <button type="button" aria-label={format!("Re-attach to selection “{}”", shorten(&o.quote, 40))}
                                    onmousedown={Callback::from(|e: MouseEvent| e.prevent_default())}
                                    onclick={props.oncmd.reform(move |_: MouseEvent| OrphanCmd::Reattach(id1.clone()))}>{ "Re-attach to selection" }</button>
                                <button type="button" aria-label={format!("Delete orphan “{}”", shorten(&o.quote, 40))}
                                    onclick={props.oncmd.reform(move |_: MouseEvent| OrphanCmd::Delete(id2.clone()))}>{ "Delete orphan" }</button>
                            </span>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
