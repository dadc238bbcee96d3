//! The choice about brat relation types this app does not have, while an
//! import waits for it: for each type, the link type it becomes (the one its
//! name usually means is chosen first) or "Leave out"; then import or cancel.

use annotator_core::formats::{RelationMap, UnknownRelation};
use annotator_core::model::links::LinkKind;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RelationChoiceProps {
    pub question: AttrValue,
    pub relations: Vec<UnknownRelation>,
    /// Each type's link kind (`None`: left out), or `None` to cancel the import.
    pub onchoose: Callback<Option<RelationMap>>,
}

#[function_component(RelationChoice)]
pub fn relation_choice(p: &RelationChoiceProps) -> Html {
    let group = use_node_ref();
    let onimport = {
        let (group, onchoose, relations) = (group.clone(), p.onchoose.clone(), p.relations.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(g) = group.cast::<web_sys::Element>() else { return };
            let Ok(selects) = g.query_selector_all("select") else { return };
            let mut map = Vec::new();
            for i in 0..selects.length() {
                if let Some(s) = selects.get(i).and_then(|n| n.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                    let ty = s.get_attribute("data-type").unwrap_or_default();
                    map.push((ty, LinkKind::parse(&s.value())));
                }
            }
            if map.len() == relations.len() {
                onchoose.emit(Some(map));
            }
        })
    };
    let oncancel = p.onchoose.reform(|_: MouseEvent| None);
    html! {
        <>
            <p>{ p.question.clone() }</p>
            <div class="relation-choice" role="group" aria-label="Unknown relation types" ref={group}>
                { for p.relations.iter().map(|r| html! {
                    <label key={r.name.clone()} class="attr">
                        <span>{ format!("“{}” becomes", r.name) }</span>
                        <select data-type={r.name.clone()} aria-label={format!("“{}” becomes", r.name)}>
                            { for LinkKind::ALL.into_iter().map(|k| html! {
                                <option key={k.as_str()} value={k.as_str()} selected={r.suggested == Some(k)}>{ k.as_str() }</option>
                            }) }
                            <option value="" selected={r.suggested.is_none()}>{ "Leave out" }</option>
                        </select>
                    </label>
                }) }
                <button type="button" onclick={onimport}>{ "Import with these link types" }</button>
                <button type="button" onclick={oncancel}>{ "Cancel import" }</button>
            </div>
        </>
    }
}
