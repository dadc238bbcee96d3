//! The legend: what each label looks like (colour plus a line style).

use annotator_core::model::Label;
use yew::prelude::*;

#[function_component(Legend)]
pub fn legend() -> Html {
    let cue = |l: Label| match l {
        Label::Claim => "solid underline",
        Label::Denial => "wavy underline",
        Label::Statistic => "dotted underline",
    };
    html! {
        <ul class="legend" aria-label="Legend">
            { for Label::ALL.into_iter().map(|l| html! {
                <li key={l.as_str()}>
                    <mark class={classes!("hl", l.as_str(), format!("inner-{}", l.as_str()), "sample")}>{ l.display() }</mark>
                    <span class="cue">{ cue(l) }</span>
                </li>
            }) }
            <li><mark class="hl claim statistic inner-statistic outer-claim depth-2 sample">{ "Overlap" }</mark>
                <span class="cue">{ "darker, with a bar over it" }</span></li>
        </ul>
    }
}
