//! The alert region (`#notice`): errors and refusals, a failed save with
//! "Download a copy", unreadable data kept aside, and the choices about
//! labels and brat relation types this app does not have.

use super::relation_choice::RelationChoice;
use annotator_core::formats::{RelationMap, UnknownLabelPolicy, UnknownRelation};
use annotator_core::model::Label;
use annotator_core::store::error::StoreError;
use yew::prelude::*;

/// What the alert region asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum NoticeCmd {
    /// "Download a copy" of the work a failed save left in this tab.
    DownloadCopy,
    /// "Download the unreadable data" kept aside.
    DownloadBackup,
    /// Unknown labels: map to a label or skip (`Some`), or cancel the import (`None`).
    Labels(Option<UnknownLabelPolicy>),
    /// Unknown brat relation types: their mapping, or cancel the import (`None`).
    Relations(Option<RelationMap>),
}

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub notice: Option<String>,
    /// Why the last save failed, if it did.
    pub save_failed: Option<StoreError>,
    /// Unreadable data is kept aside: offer it as a download.
    pub backup_kept: bool,
    /// The question about unknown labels, while an import waits for it.
    pub labels_question: Option<String>,
    /// The question about brat relation types we do not have, with the types.
    pub relations_question: Option<(String, Vec<UnknownRelation>)>,
    pub oncmd: Callback<NoticeCmd>,
}

#[function_component(Notices)]
pub fn notices(p: &NoticesProps) -> Html {
    let empty =
        p.notice.is_none() && p.save_failed.is_none() && !p.backup_kept && p.labels_question.is_none() && p.relations_question.is_none();
    let cmd = |c: NoticeCmd| p.oncmd.reform(move |_: MouseEvent| c.clone());
    let choices: Vec<(String, Option<UnknownLabelPolicy>)> = Label::ALL
        .into_iter()
        .map(|l| (format!("Map to {}", l.display()), Some(UnknownLabelPolicy::MapTo(l))))
        .chain([("Skip them".to_string(), Some(UnknownLabelPolicy::Skip)), ("Cancel import".to_string(), None)])
        .collect();
    html! {
        <div id="notice" role="alert" class={classes!("notice", empty.then_some("empty"))}>
            if let Some(n) = &p.notice { <p>{ n }</p> }
            if let Some(e) = &p.save_failed {
                if let StoreError::Durable { .. } = e {
                    <p>{ format!("Your last change is in this browser's storage but not yet safe from a crash: {e}. It is written again with your next change; download a copy to be sure.") }</p>
                } else {
                    <p>{ format!("Your last change could not be saved: {e}. Your work is kept in this tab; download a copy so it is not lost.") }</p>
                }
                <button type="button" onclick={cmd(NoticeCmd::DownloadCopy)}>{ "Download a copy" }</button>
            }
            if p.backup_kept {
                <button type="button" onclick={cmd(NoticeCmd::DownloadBackup)}>{ "Download the unreadable data" }</button>
            }
            if let Some(q) = &p.labels_question {
                <p>{ q }</p>
                <div class="label-choice" role="group" aria-label="Unknown labels">
                    { for choices.into_iter().map(|(text, policy)| {
                        let onclick = cmd(NoticeCmd::Labels(policy));
                        html! { <button type="button" key={text.clone()} {onclick}>{ text }</button> }
                    }) }
                </div>
            }
            if let Some((q, relations)) = &p.relations_question {
                <RelationChoice question={AttrValue::from(q.clone())} relations={relations.clone()} onchoose={p.oncmd.reform(NoticeCmd::Relations)} />
            }
        </div>
    }
}
