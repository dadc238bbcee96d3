//! The links of the selected annotation, in the *Selected annotation*
//! panel: the "Link…" button (or `l`) starts a link, "Relation" chooses its
//! kind while it is made, and the "Links" list shows every link in both
//! directions with the other annotation's quote; activating an item selects
//! the other annotation, "Remove link" removes it.

use annotator_core::app::linking::Linking;
use annotator_core::model::link_views::links_of;
use annotator_core::model::links::LinkKind;
use annotator_core::model::shorten;
use annotator_core::model::Annotation;
use std::rc::Rc;
use yew::prelude::*;

/// What the panel asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkCmd {
    /// Start a link from the selected annotation.
    Start,
    /// The kind of the link being made.
    Kind(LinkKind),
    Cancel,
    /// Remove the link from the first id to the second.
    Remove(String, String),
    /// Select this annotation (the other end of a link).
    Show(String),
}

#[derive(Properties)]
pub struct LinksProps {
    pub annotations: Rc<Vec<Rc<Annotation>>>,
    /// The selected annotation.
    pub ann: Rc<Annotation>,
    pub linking: Option<Linking>,
    pub oncmd: Callback<LinkCmd>,
}

impl PartialEq for LinksProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.annotations, &o.annotations) && self.ann == o.ann && self.linking == o.linking && self.oncmd == o.oncmd
    }
}

#[function_component(LinksPanel)]
pub fn links_panel(p: &LinksProps) -> Html {
    let a = &p.ann;
    let views = links_of(&p.annotations, &a.id);
    let cmd = |c: LinkCmd| {
        let oncmd = p.oncmd.clone();
        Callback::from(move |_: MouseEvent| oncmd.emit(c.clone()))
    };
    let linking = p.linking.as_ref().filter(|l| l.from == a.id);
    let controls = match linking {
        None => html! {
            <button type="button" class="link-start" onclick={cmd(LinkCmd::Start)} aria-keyshortcuts="l"
                title="Link this annotation to another one (l)">{ "Link…" }</button>
        },
        Some(l) => {
            let candidate = l.candidate.as_deref().and_then(|id| p.annotations.iter().find(|x| x.id == id)).map(|x| &**x);
            let kind = l.kind_for(a, candidate);
            let onchange = {
                let oncmd = p.oncmd.clone();
                Callback::from(move |e: Event| {
                    if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                        if let Some(k) = LinkKind::parse(&s.value()) {
                            oncmd.emit(LinkCmd::Kind(k));
                        }
                    }
                })
            };
            html! {
                <div class="linking" role="group" aria-label="New link">
                    <p class="linking-hint">
                        { "Choose the other annotation: " }
                        <span class="keys-only">{ "click its highlight or list item, or move with j and k and press Enter." }</span>
                        <span class="touch-only">{ "tap its highlight or list item." }</span>
                        if let Some(c) = candidate {
                            { " Now: " }<span class={classes!("tag", c.label.as_str())}>{ c.label.display() }</span>{ " " }<q>{ shorten(&c.quote, 60) }</q>
                        }
                    </p>
                    <label class="attr">
                        <span>{ "Relation" }</span>
                        <select aria-label="Relation" {onchange}>
                            { for LinkKind::ALL.into_iter().map(|k| html! {
                                <option key={k.as_str()} value={k.as_str()} selected={k == kind}>{ k.as_str() }</option>
                            }) }
                        </select>
                    </label>
                    <button type="button" onclick={cmd(LinkCmd::Cancel)}>{ "Cancel link" }</button>
                </div>
            }
        }
    };
    let items = views.iter().map(|v| {
        let (from, to) = v.ends(&a.id);
        let text = v.describe();
        let dir = if v.outgoing { "outgoing" } else { "incoming" };
        html! {
            <li key={format!("{from}>{to}")} class={classes!("link-item", dir)} data-kind={v.kind.as_str()} data-other={v.other.id.clone()}>
                <button type="button" class="link-other" onclick={cmd(LinkCmd::Show(v.other.id.clone()))}>
                    <span class="link-dir" aria-hidden="true">{ if v.outgoing { "→ " } else { "← " } }</span>{ text.clone() }
                </button>
                <button type="button" class="link-remove" aria-label={format!("Remove link: {text}")}
                    onclick={cmd(LinkCmd::Remove(from.to_string(), to.to_string()))}>{ "Remove link" }</button>
            </li>
        }
    });
    html! {
        <div class="links">
            { controls }
            if views.is_empty() {
                <p class="links-empty">{ "No links yet." }</p>
            } else {
                <ul class="link-list" aria-label="Links">{ for items }</ul>
            }
        </div>
    }
}
