//! The reading view: one `<article>` whose `textContent` is exactly the
//! document text, split into memoised paragraphs.

use super::paragraph::ParagraphView;
use crate::browser::selection;
use annotator_core::render::marks::Marks;
use annotator_core::render::plan::{covering_at, AnnRef, Paragraph};
use annotator_core::render::progressive::{next_batch, AT_ONCE, BUDGET};
use annotator_core::text::text_index::TextIndex;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ArticleProps {
    pub index: Rc<TextIndex>,
    pub paragraphs: Rc<Vec<Paragraph>>,
    /// Per paragraph, the annotations touching it.
    pub by_para: Rc<Vec<Rc<Vec<AnnRef>>>>,
    /// While comparing: per paragraph, the other annotator's spans (ids are
    /// their indices), drawn outlined beside mine.
    pub theirs: Option<Rc<Vec<Rc<Vec<AnnRef>>>>>,
    pub selected: Option<Rc<str>>,
    /// Annotations marked besides the selected one (links).
    pub marks: Rc<Marks>,
    pub onhighlight: Callback<Vec<Rc<str>>>,
    pub article_ref: NodeRef,
    pub title: AttrValue,
}

/// Paragraphs per memoised group (one `div.pgroup`): an edit re-renders the
/// article's few hundred groups' props, one group and one paragraph, not
/// every paragraph.
const GROUP: usize = 32;
/// Groups per block (one `div.pblock`, see [`article_view`]).
const BLOCK: usize = 4;

#[derive(Properties, PartialEq)]
struct GroupProps {
    index: Rc<TextIndex>,
    paragraphs: Rc<Vec<Paragraph>>,
    /// First paragraph of the group.
    first: usize,
    /// The annotations touching each paragraph of the group (shared `Rc`s, so
    /// comparing is a pointer check for unchanged paragraphs).
    anns: Vec<Rc<Vec<AnnRef>>>,
    /// The other annotator's spans per paragraph of the group (empty when not comparing).
    theirs: Vec<Rc<Vec<AnnRef>>>,
    selected: Option<Rc<str>>,
    marks: Marks,
}

#[function_component(ParagraphGroup)]
fn paragraph_group(props: &GroupProps) -> Html {
    let paras = props.anns.iter().enumerate().filter_map(|(k, anns)| {
        let p = props.paragraphs.get(props.first + k)?;
        let selected = props.selected.as_ref().filter(|s| anns.iter().any(|a| &a.id == *s)).cloned();
        let marks = props.marks.within(anns.iter());
        let theirs = props.theirs.get(k).cloned().unwrap_or_default();
        Some(html! {
            <ParagraphView key={p.start_cp} index={props.index.clone()} para={p.clone()} anns={anns.clone()} {theirs} {selected} {marks} />
        })
    });
    // A block of its own, so the browser can skip laying out and painting the
    // whole group while it is off screen (`content-visibility`): a change
    // elsewhere on the page then walks a few hundred groups, not every paragraph.
    let first = props.paragraphs.get(props.first);
    html! {
        <div class="pgroup" data-u16={first.map(|p| p.start_utf16.to_string())}>{ for paras }</div>
    }
}

/// What the article has drawn: per group, per paragraph, the annotations its
/// highlights show. A large change is drawn over several tasks
/// (`annotator_core::render::progressive`), so for a moment some groups lag behind.
#[derive(Default)]
struct Drawn {
    /// The paragraphs (document) drawn; another one is drawn whole at once.
    paragraphs: Option<Rc<Vec<Paragraph>>>,
    groups: Vec<Vec<Rc<Vec<AnnRef>>>>,
    /// A next step is scheduled.
    pending: bool,
}

fn same_anns(a: &[Rc<Vec<AnnRef>>], b: &[Rc<Vec<AnnRef>>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Rc::ptr_eq(x, y))
}

/// The groups (by number, in page order) on screen now; empty when the page
/// does not show `n` groups yet.
fn visible_groups(article: &NodeRef, n: usize) -> std::ops::Range<usize> {
    let Some(article) = article.cast::<web_sys::Element>() else { return 0..0 };
    let Ok(groups) = article.query_selector_all(".pgroup") else { return 0..0 };
    if groups.length() as usize != n {
        return 0..0;
    }
    let height = web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|h| h.as_f64()).unwrap_or(0.0);
    let rect = |i: usize| {
        use wasm_bindgen::JsCast;
        groups.get(i as u32).and_then(|g| g.dyn_into::<web_sys::Element>().ok()).map(|g| g.get_bounding_client_rect())
    };
    // The first group whose bottom is below the top of the screen, then those starting above its bottom.
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if rect(mid).is_some_and(|r| r.bottom() > 0.0) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let mut end = lo;
    while end < n && rect(end).is_some_and(|r| r.top() < height) {
        end += 1;
    }
    lo..end
}

#[function_component(ArticleView)]
pub fn article_view(props: &ArticleProps) -> Html {
    let n = props.paragraphs.len();
    let mut wanted: Vec<Vec<Rc<Vec<AnnRef>>>> = (0..n.div_ceil(GROUP))
        .map(|g| (g * GROUP..((g + 1) * GROUP).min(n)).map(|i| props.by_para.get(i).cloned().unwrap_or_default()).collect())
        .collect();
    let drawn = use_mut_ref(Drawn::default);
    let redraw = use_force_update();
    // Some groups still show an older state (`aria-busy` on the article until all are drawn).
    let mut busy = false;
    {
        let mut d = drawn.borrow_mut();
        if !d.paragraphs.as_ref().is_some_and(|p| Rc::ptr_eq(p, &props.paragraphs)) || d.groups.len() != wanted.len() {
            d.paragraphs = Some(props.paragraphs.clone());
            d.groups = wanted;
        } else {
            let changed: Vec<(usize, usize)> = wanted
                .iter()
                .enumerate()
                .filter(|(g, w)| !same_anns(&d.groups[*g], w))
                .map(|(g, w)| (g, w.iter().map(|v| v.len()).sum()))
                .collect();
            if !changed.is_empty() {
                let visible = if changed.len() > AT_ONCE { visible_groups(&props.article_ref, wanted.len()) } else { 0..0 };
                let mut now = next_batch(&changed, visible, BUDGET);
                // The selected annotation's group too, so moving to it (j/k) finds its highlight.
                if let Some(sel) = props.selected.as_ref().filter(|_| now.len() < changed.len()) {
                    let holds = |g: usize| wanted[g].iter().any(|v| v.iter().any(|a| &a.id == sel));
                    if let Some(&(g, _)) = changed.iter().find(|&&(g, _)| holds(g)) {
                        if !now.contains(&g) {
                            now.push(g);
                        }
                    }
                }
                for &g in &now {
                    d.groups[g] = std::mem::take(&mut wanted[g]);
                }
                busy = now.len() < changed.len();
                if busy && !d.pending {
                    d.pending = true;
                    let (drawn, redraw) = (drawn.clone(), redraw.clone());
                    // Not idle (`<body data-idle>`) until the last step is drawn.
                    let busy = crate::browser::busy::Busy::start();
                    crate::browser::after_next_paint(move || {
                        drawn.borrow_mut().pending = false;
                        redraw.force_update();
                        drop(busy);
                    });
                }
            }
        }
    }
    let d = drawn.borrow();
    let groups: Vec<Html> = d
        .groups
        .iter()
        .enumerate()
        .map(|(g, anns)| {
            let first = g * GROUP;
            let last = (first + GROUP).min(n);
            let anns = anns.clone();
            let selected = props.selected.as_ref().filter(|s| anns.iter().any(|v| v.iter().any(|a| &a.id == *s))).cloned();
            let marks = props.marks.within(anns.iter().flat_map(|v| v.iter()));
            let theirs: Vec<Rc<Vec<AnnRef>>> =
                props.theirs.as_ref().map(|t| (first..last).map(|i| t.get(i).cloned().unwrap_or_default()).collect()).unwrap_or_default();
            html! {
                <ParagraphGroup key={props.paragraphs[first].start_cp} index={props.index.clone()} paragraphs={props.paragraphs.clone()}
                    {first} {anns} {theirs} {selected} {marks} />
            }
        })
        .collect();
    drop(d);
    // Groups go by BLOCK into a block of their own (`div.pblock`): the unit the
    // browser skips while off screen is then BLOCK groups in Firefox, which
    // otherwise spends a third of a second in one scroll frame over ~200 groups,
    // while Chromium still skips the groups inside a block it shows.
    let blocks = groups.chunks(BLOCK).enumerate().map(|(b, chunk)| {
        let first = props.paragraphs.get(b * BLOCK * GROUP);
        html! {
            <div class="pblock" key={first.map(|p| p.start_cp).unwrap_or(b)} data-u16={first.map(|p| p.start_utf16.to_string())}>
                { for chunk.iter().cloned() }
            </div>
        }
    });
    // One listener for every highlight: the clicked mark's segment start
    // (its paragraph's `data-u16` plus the text before it there) and its
    // paragraph (`data-start`) give the annotations covering it, outermost
    // first, as the paragraph drew them.
    let onclick = {
        let (index, paragraphs, by_para, cb) =
            (props.index.clone(), props.paragraphs.clone(), props.by_para.clone(), props.onhighlight.clone());
        Callback::from(move |e: MouseEvent| {
            if let Some(ids) = clicked_highlight(&e, &index, &paragraphs, &by_para) {
                cb.emit(ids);
            }
        })
    };
    html! {
        <article id="article" ref={props.article_ref.clone()} aria-label={props.title.clone()} aria-busy={busy.then_some("true")} tabindex="0" {onclick}>
            { for blocks }
        </article>
    }
}

/// The ids of my annotations under a click on a highlight, outermost first;
/// `None` when the click was not on one of my highlights.
fn clicked_highlight(e: &MouseEvent, index: &TextIndex, paragraphs: &[Paragraph], by_para: &[Rc<Vec<AnnRef>>]) -> Option<Vec<Rc<str>>> {
    use wasm_bindgen::JsCast;
    let target: web_sys::Element = e.target()?.dyn_into().ok()?;
    let article: web_sys::Element = e.current_target()?.dyn_into().ok()?;
    let mark = target.closest("mark.hl").ok()??;
    let para = mark.closest(".para").ok()??;
    let start16 = selection::offset_utf16(&article, &mark.first_child()?, 0)? as usize;
    let para_start: usize = para.get_attribute("data-start")?.parse().ok()?;
    let k = paragraphs.binary_search_by_key(&para_start, |p| p.start_cp).ok()?;
    let anns = by_para.get(k)?;
    let cp = index.utf16_to_cp_floor(start16)?;
    let ids: Vec<Rc<str>> = covering_at(index, &paragraphs[k], anns, cp).into_iter().map(|i| anns[i].id.clone()).collect();
    (!ids.is_empty()).then_some(ids)
}
