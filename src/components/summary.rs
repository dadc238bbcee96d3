//! The summary view: counts per label, share of the text covered, claims by
//! verdict, speakers, denials with what they deny, and a small chart of where in the article each label occurs.

use annotator_core::model::summary::{fact_check, summarize};
use annotator_core::model::{decimal, shorten};
use annotator_core::{model::Annotation, model::Label};
use std::rc::Rc;
use yew::prelude::*;

const BINS: usize = 40;
/// Denials listed in the summary (the rest are counted).
const DENIALS_SHOWN: usize = 200;

#[derive(Properties)]
pub struct SummaryProps {
    pub annotations: Rc<Vec<Rc<Annotation>>>,
    pub total_cp: usize,
}

impl PartialEq for SummaryProps {
    /// The list by pointer: a changed list is a new `Rc`.
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.annotations, &o.annotations) && self.total_cp == o.total_cp
    }
}

#[function_component(SummaryView)]
pub fn summary_view(props: &SummaryProps) -> Html {
    // Computed only while the summary is open: a closed one costs an edit nothing.
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            if let Some(d) = e.target_dyn_into::<web_sys::HtmlDetailsElement>() {
                open.set(d.open());
            }
        })
    };
    if !*open {
        return html! {
            <details class="summary" {ontoggle}>
                <summary>{ "Summary" }</summary>
            </details>
        };
    }
    let s = summarize(&props.annotations, props.total_cp, BINS);
    let fc = fact_check(&props.annotations);
    let claims = s.count(Label::Claim);
    let max = s.max_bin().max(1) as f64;
    let (w, row_h) = (BINS as f64 * 6.0, 22.0);
    let rows = Label::ALL.into_iter().enumerate().map(|(r, l)| {
        let y0 = r as f64 * row_h;
        let bars = s.distribution[l as usize].iter().enumerate().filter(|(_, &n)| n > 0).map(move |(i, &n)| {
            let h = (n as f64 / max) * (row_h - 6.0);
            html! { <rect class={classes!("bar", l.as_str())} x={decimal(i as f64 * 6.0, 2)} y={decimal(y0 + row_h - 3.0 - h, 2)}
            width="5" height={decimal(h, 2)} /> }
        });
        html! {
            <g key={l.as_str()}>
                <line class="baseline" x1="0" x2={decimal(w, 2)} y1={decimal(y0 + row_h - 3.0, 2)} y2={decimal(y0 + row_h - 3.0, 2)} />
                { for bars }
            </g>
        }
    });
    let describe = Label::ALL
        .into_iter()
        .map(|l| {
            let d = &s.distribution[l as usize];
            let thirds = [0, BINS / 3, 2 * BINS / 3, BINS].windows(2).map(|w| d[w[0]..w[1]].iter().sum::<u32>()).collect::<Vec<_>>();
            format!("{}: {} (beginning {}, middle {}, end {})", l.display(), s.count(l), thirds[0], thirds[1], thirds[2])
        })
        .collect::<Vec<_>>()
        .join("; ");
    html! {
        <details class="summary" open=true {ontoggle}>
            <summary>{ "Summary" }</summary>
            <dl class="summary-numbers">
                { for Label::ALL.into_iter().map(|l| html! { <><dt>{ l.display() }</dt><dd>{ s.count(l) }</dd></> }) }
                <dt>{ "Text covered" }</dt><dd>{ format!("{}%", decimal(s.share * 100.0, 1)) }</dd>
            </dl>
            if claims > 0 {
                <h3 class="summary-sub">{ "Claims by verdict" }</h3>
                <dl class="summary-numbers verdicts">
                    { for fc.claims_by_verdict.iter().map(|(v, n)| html! { <><dt>{ v }</dt><dd>{ n }</dd></> }) }
                    <dt>{ "No verdict yet" }</dt><dd>{ fc.claims_without_verdict }</dd>
                </dl>
            }
            if !fc.speakers.is_empty() {
                <h3 class="summary-sub">{ "Speakers" }</h3>
                <dl class="summary-numbers speakers">
                    { for fc.speakers.iter().map(|(sp, n)| html! { <><dt>{ sp }</dt><dd>{ n }</dd></> }) }
                </dl>
            }
            if !fc.denials.is_empty() {
                <h3 class="summary-sub">{ "Denials and what they deny" }</h3>
                <ul class="denials">
                    { for fc.denials.iter().take(DENIALS_SHOWN).map(|d| html! {
                        <li key={d.id.clone()}>
                            <q>{ shorten(&d.quote, 120) }</q>
                            if d.denies.is_empty() {
                                { " — not linked to what it denies yet" }
                            } else {
                                { " denies " }
                                { for d.denies.iter().enumerate().map(|(i, (l, q))| html! {
                                    <>{ if i > 0 { "; " } else { "" } }{ format!("{l} ") }<q>{ shorten(q, 120) }</q></>
                                }) }
                            }
                        </li>
                    }) }
                </ul>
                if fc.denials.len() > DENIALS_SHOWN {
                    <p class="more">{ format!("and {} more denials", fc.denials.len() - DENIALS_SHOWN) }</p>
                }
            }
            <figure class="chart">
                <div class="chart-grid">
                    <div class="chart-labels" aria-hidden="true">
                        { for Label::ALL.into_iter().map(|l| html! { <span class={classes!("tag", l.as_str())}>{ l.display() }</span> }) }
                    </div>
                    <svg viewBox={format!("0 0 {} {}", decimal(w, 2), decimal(row_h * 3.0, 2))} role="img" aria-label={format!("Where each label occurs, from the start to the end of the article. {describe}")}
                         preserveAspectRatio="none">
                        { for rows }
                    </svg>
                </div>
                <figcaption>{ "Where each label occurs, start → end of the article" }</figcaption>
            </figure>
        </details>
    }
}
