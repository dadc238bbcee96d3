//! "Compare with…": a colleague's file beside mine, the agreement figures,
//! the differences to settle, and the pairwise table for three or more files.

use annotator_core::agreement::{DiffKind, Figures};
use annotator_core::app::compare::{describe_difference, kind_name, Comparing};
use annotator_core::model::Label;
use std::rc::Rc;
use yew::prelude::*;

/// What the comparison panel asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum CompareCmd {
    /// Colleagues' files chosen to compare mine with.
    Files(Vec<web_sys::File>),
    Against(usize),
    Select(usize),
    Accept(usize),
    Keep(usize),
    AcceptAll(DiffKind),
    Export,
    Close,
}

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    pub comparing: Option<Rc<Comparing>>,
    pub oncmd: Callback<CompareCmd>,
}

/// A figure with three decimals; "—" when undefined (e.g. 0/0).
fn num(x: Option<f64>) -> Html {
    match x {
        Some(v) => html! { { format!("{v:.3}") } },
        None => html! { <span title="undefined: nothing to compute it from">{ "—" }</span> },
    }
}

fn figure_row(name: &str, f: &Figures) -> Html {
    let c = &f.counts;
    html! {
        <tr>
            <th scope="row">{ name }</th>
            <td>{ c.exact }</td><td>{ c.overlap }</td><td>{ c.only_mine }</td><td>{ c.only_theirs }</td><td>{ c.label_differs }</td>
            <td>{ num(f.precision_exact) }</td><td>{ num(f.recall_exact) }</td><td>{ num(f.f1_exact) }</td>
            <td>{ num(f.precision_overlap) }</td><td>{ num(f.recall_overlap) }</td><td>{ num(f.f1_overlap) }</td>
            <td>{ num(f.kappa) }</td><td>{ num(f.alpha_u) }</td>
        </tr>
    }
}

/// Differences listed at once (a window around the selected one).
const WINDOW: usize = 100;

const KINDS: [DiffKind; 4] = [DiffKind::OnlyMine, DiffKind::OnlyTheirs, DiffKind::Boundaries, DiffKind::Label];

fn agreement(c: &Comparing, cmd: &Callback<CompareCmd>) -> Html {
    let r = &c.result;
    let name = c.theirs().name.clone();
    let rows = std::iter::once(figure_row("All labels", &r.overall))
        .chain(Label::ALL.into_iter().filter_map(|l| r.per_label.iter().find(|(x, _)| *x == l).map(|(l, f)| figure_row(l.display(), f))));
    let names: Vec<String> = std::iter::once("Mine".to_string()).chain(c.others.iter().map(|o| o.name.clone())).collect();
    let pairwise = (!c.pairwise.is_empty()).then(|| {
        let head = names.iter().map(|n| html! { <th scope="col">{ n }</th> });
        let body = c.pairwise.iter().zip(&names).map(|(row, n)| {
            let cells = row.iter().map(|&(f1, a)| html! { <td>{ "F1 " }{ num(f1) }{ " · αu " }{ num(a) }</td> });
            html! { <tr><th scope="row">{ n }</th>{ for cells }</tr> }
        });
        html! {
            <div class="table-scroll" tabindex="0" role="group" aria-label="Pairwise agreement (scrolls sideways)">
                <table class="pairwise" aria-label="Pairwise agreement">
                    <caption>{ "Pairwise agreement: F1 (overlap) and αu" }</caption>
                    <thead><tr><td></td>{ for head }</tr></thead>
                    <tbody>{ for body }</tbody>
                </table>
            </div>
        }
    });
    let against = (c.others.len() > 1).then(|| {
        let onchange = {
            let cmd = cmd.clone();
            Callback::from(move |e: Event| {
                if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                    if let Ok(i) = s.value().parse() {
                        cmd.emit(CompareCmd::Against(i));
                    }
                }
            })
        };
        let options = c.others.iter().enumerate().map(|(i, o)| {
            html! { <option value={i.to_string()} selected={i == c.against}>{ &o.name }</option> }
        });
        html! { <label class="field">{ "Differences against " }<select {onchange}>{ for options }</select></label> }
    });
    let send = |x: CompareCmd| {
        let cmd = cmd.clone();
        Callback::from(move |_: MouseEvent| cmd.emit(x.clone()))
    };
    let orphans = c.theirs().orphans;
    html! {
        <section class="agreement" role="region" aria-label="Agreement">
            <h3>{ format!("Agreement: mine and {name}") }</h3>
            <p class="hint">{ format!("{} mine, {} theirs", r.overall.counts.mine_total, r.overall.counts.theirs_total) }
                if orphans > 0 { { format!("; {orphans} of theirs could not be placed in this text") } }</p>
            <div class="table-scroll" tabindex="0" role="group" aria-label="Agreement figures (scrolls sideways)">
                <table class="figures">
                    <caption>{ format!("Mine against {name}, all labels and per label") }</caption>
                    <thead><tr>
                        <th scope="col">{ "Label" }</th><th scope="col">{ "Exact" }</th><th scope="col">{ "Overlap" }</th>
                        <th scope="col">{ "Only mine" }</th><th scope="col">{ "Only theirs" }</th><th scope="col">{ "Label differs" }</th>
                        <th scope="col">{ "Precision (exact)" }</th><th scope="col">{ "Recall (exact)" }</th><th scope="col">{ "F1 (exact)" }</th>
                        <th scope="col">{ "Precision (overlap)" }</th><th scope="col">{ "Recall (overlap)" }</th><th scope="col">{ "F1 (overlap)" }</th>
                        <th scope="col"><abbr title="Cohen's kappa">{ "κ" }</abbr></th>
                        <th scope="col"><abbr title="Krippendorff's unitizing alpha">{ "αu" }</abbr></th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            { pairwise.unwrap_or_default() }
            { against.unwrap_or_default() }
            <p class="actions">
                <button type="button" onclick={send(CompareCmd::Export)}>{ "Export agreement" }</button>
                <button type="button" aria-keyshortcuts="Escape" onclick={send(CompareCmd::Close)}>{ "Close comparison" }</button>
            </p>
        </section>
    }
}

fn differences(c: &Comparing, cmd: &Callback<CompareCmd>) -> Html {
    let send = |x: CompareCmd| {
        let cmd = cmd.clone();
        Callback::from(move |_: MouseEvent| cmd.emit(x.clone()))
    };
    let bulk = KINDS.into_iter().filter_map(|k| {
        let n = c.remaining.iter().filter(|&&i| c.result.differences[i].kind == k).count();
        (n > 0).then(|| html! {
            <button type="button" onclick={send(CompareCmd::AcceptAll(k))}>{ format!("Accept all theirs: {} ({n})", kind_name(k)) }</button>
        })
    });
    // A window of the list around the selected difference (j/k reach all of
    // them): thousands of differences never become thousands of list items.
    let n = c.remaining.len();
    let from = c.current.map_or(0, |x| x.saturating_sub(WINDOW / 2)).min(n.saturating_sub(WINDOW));
    let to = (from + WINDOW).min(n);
    let items = c.remaining[from..to].iter().enumerate().map(|(k, &i)| {
        let pos = from + k;
        let d = &c.result.differences[i];
        let current = c.current == Some(pos);
        let text = describe_difference(c, d);
        html! {
            <li key={i} class={classes!("difference", current.then_some("current"))} aria-current={current.then_some("true")}
                aria-posinset={(pos + 1).to_string()} aria-setsize={n.to_string()} data-kind={kind_name(d.kind)}>
                <button type="button" class="diff-show" onclick={send(CompareCmd::Select(pos))}>{ text }</button>
                <span class="diff-actions">
                    <button type="button" onclick={send(CompareCmd::Accept(pos))}>{ "Accept theirs" }</button>
                    <button type="button" onclick={send(CompareCmd::Keep(pos))}>{ "Keep mine" }</button>
                </span>
            </li>
        }
    });
    let kept = c.kept.len();
    html! {
        <section class="differences-panel" aria-labelledby="differences-h">
            <h3 id="differences-h">{ format!("Differences ({})", c.remaining.len()) }</h3>
            <p class="hint">{ "j and k move through the differences; Escape closes the comparison." }
                if kept > 0 { { format!(" {kept} kept as mine.") } }</p>
            <p class="actions">{ for bulk }</p>
            if c.remaining.is_empty() { <p>{ "No differences left." }</p> }
            if n > WINDOW { <p class="hint">{ format!("Showing {}–{to} of {n}.", from + 1) }</p> }
            <ol class="diff-list" aria-label="Differences" start={(from + 1).to_string()}>{ for items }</ol>
        </section>
    }
}

#[function_component(ComparePanel)]
pub fn compare_panel(props: &CompareProps) -> Html {
    let onchange = {
        let oncmd = props.oncmd.clone();
        Callback::from(move |e: Event| {
            let files = crate::browser::take_chosen_files(&e);
            if !files.is_empty() {
                oncmd.emit(CompareCmd::Files(files));
            }
        })
    };
    html! {
        <section class="compare" aria-labelledby="compare-h">
            <h2 id="compare-h">{ "Compare" }</h2>
            <label class="file-btn" title="A colleague's annotations of this text: native JSON, W3C JSON-LD, or brat .ann with its .txt; choose several to compare them all">
                <span aria-hidden="true">{ "Compare with…" }</span>
                <input type="file" multiple=true accept=".json,.jsonld,.ann,.txt,application/json,application/ld+json"
                    aria-label="Compare with another annotator's files" {onchange} />
            </label>
            if let Some(c) = &props.comparing {
                { agreement(c, &props.oncmd) }
                { differences(c, &props.oncmd) }
            }
        </section>
    }
}
