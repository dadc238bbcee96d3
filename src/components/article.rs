//! The reading view: one `<article>` whose `textContent` is exactly the
//! document text, split into memoised paragraphs.

use super::paragraph::ParagraphView;
use annotator_core::plan::{AnnRef, Paragraph};
use annotator_core::TextIndex;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ArticleProps {
    pub index: Rc<TextIndex>,
    pub paragraphs: Rc<Vec<Paragraph>>,
    /// Per paragraph, the annotations touching it.
    pub by_para: Rc<Vec<Rc<Vec<AnnRef>>>>,
    pub selected: Option<Rc<str>>,
    pub onhighlight: Callback<Vec<Rc<str>>>,
    pub article_ref: NodeRef,
    pub title: AttrValue,
}

#[function_component(ArticleView)]
pub fn article_view(props: &ArticleProps) -> Html {
    let paras = props.paragraphs.iter().enumerate().map(|(i, p)| {
        let anns = props.by_para.get(i).cloned().unwrap_or_default();
        let selected = props.selected.as_ref().filter(|s| anns.iter().any(|a| &a.id == *s)).cloned();
        html! {
            <ParagraphView key={p.start_cp} index={props.index.clone()} para={p.clone()} {anns} {selected}
                onhighlight={props.onhighlight.clone()} />
        }
    });
    html! {
        <article id="article" ref={props.article_ref.clone()} aria-label={props.title.clone()} tabindex="0">
            { for paras }
        </article>
    }
}
