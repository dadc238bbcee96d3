//! The annotation list (text order) with counts per label.

use annotator_core::model::shorten;
use annotator_core::{Annotation, Label};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AnnListProps {
    pub annotations: Rc<Vec<Annotation>>,
    pub selected: Option<String>,
    pub counts: [usize; 3],
    /// Called with the id of the activated item.
    pub onactivate: Callback<String>,
}

#[function_component(AnnList)]
pub fn ann_list(props: &AnnListProps) -> Html {
    let items = props.annotations.iter().map(|a| {
        let id = a.id.clone();
        let onactivate = props.onactivate.clone();
        let current = props.selected.as_deref() == Some(a.id.as_str());
        html! {
            <li key={a.id.clone()} data-id={a.id.clone()} data-label={a.label.as_str()}
                aria-current={current.then_some("true")} class={classes!(current.then_some("current"))}>
                <button type="button" class="ann-item" onclick={Callback::from(move |_| onactivate.emit(id.clone()))}>
                    <span class={classes!("tag", a.label.as_str())}>{ a.label.display() }</span>
                    <q class="quote">{ shorten(&a.quote, 160) }</q>
                    <span class="pos">{ format!("{}–{}", a.start, a.end) }</span>
                </button>
            </li>
        }
    });
    html! {
        <section class="sidebar-list" aria-labelledby="list-heading">
            <h2 id="list-heading">{ format!("Annotations ({})", props.annotations.len()) }</h2>
            <p id="counts">
                { for Label::ALL.into_iter().map(|l| html! {
                    <span key={l.as_str()} class={classes!("count-chip", l.as_str())} data-label={l.as_str()}>
                        { l.display() }{ ": " }<span class="count">{ props.counts[l as usize] }</span>
                    </span>
                }) }
            </p>
            if props.annotations.is_empty() {
                <p class="empty">{ "No annotations yet. Select text in the article, then press 1, 2 or 3 (or a tag button)." }</p>
            }
            <ol class="ann-list" aria-label="Annotations">{ for items }</ol>
        </section>
    }
}
