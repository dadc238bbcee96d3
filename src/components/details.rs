//! The open document's details: "Source URL", "Publisher", "Published"
//! (a date, YYYY-MM-DD) and "Review URL" (where the fact-check is
//! published, for ClaimReview), and the "Fact-checking organisation" (one
//! for every document). Shown under the title; edited in a disclosure.
//! A change is committed when a field is left or on Enter, checked by the
//! core's contract (`annotator_core::details`), stored with the document.

use annotator_core::details::DocDetails;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DetailsProps {
    /// The document's id (the fields start over for another document).
    pub doc_id: AttrValue,
    pub details: DocDetails,
    /// Called with (source URL, publisher, published, review URL) as typed.
    pub oncommit: Callback<(String, String, String, String)>,
    /// The fact-checking organisation (one for every document).
    pub organisation: AttrValue,
    pub onorganisation: Callback<String>,
}

#[function_component(DocDetailsForm)]
pub fn doc_details_form(p: &DetailsProps) -> Html {
    let refs = [use_node_ref(), use_node_ref(), use_node_ref(), use_node_ref()];
    let commit = {
        let (refs, oncommit) = (refs.clone(), p.oncommit.clone());
        move || {
            let value = |r: &NodeRef| r.cast::<web_sys::HtmlInputElement>().map(|i| i.value());
            if let (Some(u), Some(pb), Some(d), Some(r)) = (value(&refs[0]), value(&refs[1]), value(&refs[2]), value(&refs[3])) {
                oncommit.emit((u, pb, d, r));
            }
        }
    };
    let onchange = {
        let commit = commit.clone();
        Callback::from(move |_: Event| commit())
    };
    let onorg = {
        let onorganisation = p.onorganisation.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                onorganisation.emit(i.value());
            }
        })
    };
    let d = &p.details;
    let line = d.describe();
    let field = |i: usize, name: &'static str, value: &str, kind: &'static str, placeholder: &'static str| {
        html! {
            <label class="attr">
                <span>{ name }</span>
                <input type={kind} key={format!("{}-{i}", p.doc_id)} ref={refs[i].clone()} value={value.to_string()} aria-label={name}
                    {placeholder} autocomplete="off" onchange={onchange.clone()} />
            </label>
        }
    };
    html! {
        <details class="doc-details">
            <summary>{ "Document details" }
                if !line.is_empty() { <span class="doc-details-line">{ format!(": {line}") }</span> }
            </summary>
            <div class="doc-details-fields">
                { field(0, "Source URL", &d.source_url, "url", "https://…") }
                { field(1, "Publisher", &d.publisher, "text", "e.g. Dawn") }
                { field(2, "Published", &d.published, "text", "YYYY-MM-DD") }
                { field(3, "Review URL", &d.review_url, "url", "Where your fact-check is published") }
                <label class="attr">
                    <span>{ "Fact-checking organisation" }</span>
                    <input type="text" value={p.organisation.clone()} aria-label="Fact-checking organisation" autocomplete="organization"
                        placeholder="For every document" onchange={onorg} />
                </label>
            </div>
        </details>
    }
}
