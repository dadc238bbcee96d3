//! The open document's details: "Source URL", "Publisher", "Published"
//! (a date, YYYY-MM-DD) and "Review URL" (where the fact-check is
//! published, for ClaimReview), and the "Fact-checking organisation" (one
//! for every document). Shown under the title; edited in a disclosure.
//! A change is committed when a field is left or on Enter, checked by the
//! core's contract (`annotator_core::model::details`), stored with the document.

use crate::hooks::field::{use_field, Field};
use annotator_core::model::details::DocDetails;
use yew::prelude::*;

/// What the form asks for, with the values as typed.
#[derive(Clone, Debug, PartialEq)]
pub enum DetailsCmd {
    /// The document's four details, committed together.
    Commit { source_url: String, publisher: String, published: String, review_url: String },
    /// The fact-checking organisation (one for every document).
    Organisation(String),
}

#[derive(Properties, PartialEq)]
pub struct DetailsProps {
    /// The document's id (the fields start over for another document).
    pub doc_id: AttrValue,
    pub details: DocDetails,
    /// The fact-checking organisation (one for every document).
    pub organisation: AttrValue,
    pub oncmd: Callback<DetailsCmd>,
}

#[function_component(DocDetailsForm)]
pub fn doc_details_form(p: &DetailsProps) -> Html {
    let d = &p.details;
    let fields = [use_field(&d.source_url), use_field(&d.publisher), use_field(&d.published), use_field(&d.review_url)];
    let organisation = use_field(&p.organisation);
    let commit = {
        let (fields, oncmd) = (fields.clone(), p.oncmd.clone());
        move || {
            if let [Some(source_url), Some(publisher), Some(published), Some(review_url)] = fields.each_ref().map(Field::value) {
                // The four are sent together, so all four are committed.
                fields.iter().for_each(Field::committed);
                oncmd.emit(DetailsCmd::Commit { source_url, publisher, published, review_url });
            }
        }
    };
    let onchange = {
        let commit = commit.clone();
        Callback::from(move |_: Event| commit())
    };
    let onorg = {
        let (oncmd, field) = (p.oncmd.clone(), organisation.clone());
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                field.committed();
                oncmd.emit(DetailsCmd::Organisation(i.value()));
            }
        })
    };
    let line = d.describe();
    let field = |i: usize, name: &'static str, kind: &'static str, placeholder: &'static str| {
        html! {
            <>
            <label class="attr">
                <span>{ name }</span>
                <input type={kind} key={format!("{}-{i}", p.doc_id)} ref={fields[i].node.clone()} oninput={fields[i].oninput.clone()} aria-label={name}
                    {placeholder} autocomplete="off" onchange={onchange.clone()} />
            </label>
            { fields[i].elsewhere_hint() }
            </>
        }
    };
    html! {
        <details class="doc-details">
            <summary>{ "Document details" }
                if !line.is_empty() { <span class="doc-details-line">{ format!(": {line}") }</span> }
            </summary>
            <div class="doc-details-fields">
                { field(0, "Source URL", "url", "https://…") }
                { field(1, "Publisher", "text", "e.g. Dawn") }
                { field(2, "Published", "text", "YYYY-MM-DD") }
                { field(3, "Review URL", "url", "Where your fact-check is published") }
                <label class="attr">
                    <span>{ "Fact-checking organisation" }</span>
                    <input type="text" ref={organisation.node.clone()} oninput={organisation.oninput.clone()} aria-label="Fact-checking organisation" autocomplete="organization"
                        placeholder="For every document" onchange={onorg} />
                </label>
            </div>
        </details>
    }
}
