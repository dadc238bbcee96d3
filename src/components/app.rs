//! The app shell: layout and wiring. The decisions are the pure reducer's
//! (`annotator_core::app`); the effects are in `crate::effects` and `crate::hooks`;
//! what each component's commands do is in [`commands`].

mod commands;
mod marks;

use super::ann_list::AnnList;
use super::article::ArticleView;
use super::compare::ComparePanel;
use super::details::DocDetailsForm;
use super::documents::Documents;
use super::help::HelpDialog;
use super::legend::Legend;
use super::notices::Notices;
use super::orphans::OrphanList;
use super::paste_dialog::PasteDialog;
use super::summary::SummaryView;
use super::team::TeamPanel;
use super::toolbar::Toolbar;
use crate::browser::selection;
use crate::effects::session::{seed_document, seed_meta, Session};
use crate::effects::{team, Ctx};
use crate::hooks::{
    autosave::use_autosave, live::use_live, plan::use_plan, shortcuts::use_shortcuts, sync::use_sync, tagging::use_tagging, team::use_team,
};
use crate::state::Shell;
use annotator_core::app::action::AppAction;
use annotator_core::app::state::{AppState, SaveStatus};
use commands::Env;
use marks::{use_marks, use_theirs};
use std::rc::Rc;
use yew::prelude::*;

/// The state at start: the library (migrated or rebuilt if needed) and the
/// sample article with what is saved for it.
fn initial_state(session: &Session) -> Shell {
    // Start-up reads the crash-safe copy as the last page left it (hooks::sync).
    crate::browser::durable::hold();
    let boot = session.boot();
    let mut seed = seed_document();
    if let Some(m) = boot.library.get(&seed.id) {
        seed.title = m.title.clone();
    }
    let (opened, store, backups) = session.load(Rc::new(seed));
    session.set_doc_store(store);
    let mut notices = boot.notices;
    notices.extend(opened.notice);
    let notice = (!notices.is_empty()).then(|| notices.join(" "));
    let mut st = AppState::new(opened.model, opened.history, opened.orphans, notice, boot.library);
    if let Some(e) = boot.storage_off {
        // Nothing can be stored: say so from the start, not only after an edit.
        st.save = SaveStatus::Failed(e);
    }
    st.backups = Rc::new(boot.backups.into_iter().chain(backups).collect());
    Shell(st)
}

#[function_component(App)]
pub fn app() -> Html {
    let session = use_memo((), |_| Session::new());
    let state = use_reducer({
        let session = (*session).clone();
        move || initial_state(&session)
    });
    let ctx = Ctx { dispatch: state.dispatcher(), session: (*session).clone() };
    let article_ref = use_node_ref();
    let live = use_live(&state, &article_ref, &ctx);
    let (paragraphs, by_para) = use_plan(&state);
    let dispatch = state.dispatcher();
    let tagging = use_tagging(&dispatch, &article_ref, &live);
    use_shortcuts(&live, &tagging);
    use_autosave(&state, &live, &ctx);
    use_sync(&live, &ctx);
    let team_ref = {
        let (live, tab) = (live.clone(), ctx.session.tab().to_string());
        use_mut_ref(move || team::Team::new(&tab, move || live.borrow().library.clone().unwrap_or_default()))
    };
    use_team(&state, &team_ref, &ctx);
    use_effect_with(state.scroll_to.clone(), |target| {
        if let Some((id, _)) = target {
            crate::browser::scroll_highlight_into_view(id);
        }
    });
    let marks = use_marks(&state);
    let theirs = use_theirs(&state, &paragraphs);
    // Stable callbacks (same `Rc` on every render), so memoised children skip re-rendering.
    let onanncmd = use_callback(dispatch.clone(), |c, d| d.dispatch(commands::ann_action(c)));
    let onhighlight = use_callback(dispatch.clone(), |ids: Vec<Rc<str>>, d| {
        // A drag that ends on a highlight is a text selection, not a click.
        if !selection::has_range() {
            d.dispatch(AppAction::ClickHighlight(ids));
        }
    });
    let env = Env { state: state.clone(), ctx, team: team_ref, article: article_ref.clone(), tagging };

    let doc = state.model.doc.clone();
    let seed_listed = state.library.contains(&seed_meta().id);
    let doc_title = state.library.get(&doc.id).map(|m| m.title.clone()).unwrap_or_else(|| doc.title.clone());
    let doc_details = state.library.get(&doc.id).map(|m| m.details.clone()).unwrap_or_default();
    let save_failed = match &state.save {
        SaveStatus::Failed(e) => Some(e.clone()),
        _ => None,
    };
    let save_text = match &state.save {
        SaveStatus::Failed(_) => "Not saved",
        SaveStatus::Saving => "Saving…",
        SaveStatus::Loaded | SaveStatus::Saved => "Saved",
    };
    let selected_rc: Option<Rc<str>> = state.model.selected.as_deref().map(Rc::from);
    let shared = Rc::new(state.team.settings.as_ref().map(|s| s.shared.clone()).unwrap_or_default());
    let orphans: Vec<_> = state.open_orphans().into_iter().cloned().collect();
    html! {
        <div class="app" ondragover={Callback::from(|e: DragEvent| e.prevent_default())} ondrop={env.callback(Env::drop_files)}>
            <a class="skip" href="#article" onclick={env.callback(Env::skip_to_article)}>{ "Skip to the article" }</a>
            <header class="top">
                <h1>{ "Annotator" }</h1>
                <Toolbar oncmd={env.callback(Env::toolbar)} can_undo={state.can_undo()} can_redo={state.history.can_redo()}
                    undo_title={AttrValue::from(state.undo_title())} redo_title={AttrValue::from(state.redo_title())} snap_words={state.snap_words} />
                <p id="save-status" role="status" class={classes!("save", save_failed.is_some().then_some("failed"))}>{ save_text }</p>
            </header>
            <Notices notice={state.notice.clone()} {save_failed} backup_kept={!state.backups.is_empty()}
                labels_question={state.pending_labels.as_ref().filter(|p| p.relations.is_empty()).map(|p| p.message.clone())}
                relations_question={state.pending_labels.as_ref().filter(|p| !p.relations.is_empty()).map(|p| (p.message.clone(), p.relations.clone()))}
                oncmd={env.callback(Env::notices)} />
            <p id="info" aria-live="polite" class="info">{ state.info.clone().unwrap_or_default() }
                if state.last_deleted.is_some() { { " " }<button type="button" onclick={env.callback(Env::undo_delete)}>{ "Undo delete" }</button> }
            </p>
            <crate::components::update_banner::UpdateBanner />
            <p id="announce" class="visually-hidden" aria-live="polite">{ state.announce.clone() }</p>
            <div class="layout">
                <main class="reader">
                    <h2 class="doc-title">{ &doc_title }</h2>
                    <DocDetailsForm doc_id={AttrValue::from(doc.id.clone())} details={doc_details}
                        organisation={AttrValue::from(state.library.organisation.clone())} oncmd={env.callback(Env::details)} />
                    <ArticleView index={doc.index.clone()} {paragraphs} {by_para} {theirs} selected={selected_rc} {marks} {onhighlight}
                        article_ref={article_ref.clone()} title={AttrValue::from(doc_title.clone())} />
                    <div id="kbd-caret" class="kbd-caret" aria-hidden="true"></div>
                </main>
                <aside class="sidebar" aria-label="Annotations and tools">
                    <Legend />
                    <OrphanList {orphans} oncmd={env.callback(Env::orphans)} />
                    <AnnList annotations={state.model.annotations.clone()} filter={state.filter.clone()} selected={state.model.selected.clone()}
                        counts={state.model.counts()} oncmd={onanncmd} edit_note={state.edit_note.clone()} linking={state.linking.clone()} />
                    <ComparePanel comparing={state.comparing.clone()} oncmd={env.callback(Env::compare)} />
                    <SummaryView annotations={state.model.annotations.clone()} total_cp={doc.index.len_cp()} />
                    <TeamPanel view={state.team.clone()} oncmd={env.callback(Env::team)} />
                    <Documents docs={Rc::new(state.library.docs.clone())} current={AttrValue::from(doc.id.clone())} oncmd={env.callback(Env::documents)}
                        {seed_listed} {shared} team_running={state.team.status.running()} />
                    <p class="hint">
                        <span class="keys-only">{ "Select text, then press 1 (Claim), 2 (Denial) or 3 (Statistic). Pick an annotation to retag it with 1–3, link it to another with l, or remove it with Delete; Escape deselects; ? lists every shortcut." }</span>
                        <span class="touch-only">{ "Select text, then tap Claim, Denial or Statistic. Tap a highlight to pick its annotation: a tag button then retags it, Link… links it to another, Delete removes it." }</span>
                    </p>
                </aside>
            </div>
            if state.help_open { <HelpDialog onclose={env.send(AppAction::Help(false))} /> }
            if state.paste_open { <PasteDialog onsubmit={env.callback(Env::paste)} onclose={env.send(AppAction::Paste(false))} /> }
        </div>
    }
}
