//! The app shell: layout and wiring. The decisions are the pure reducer's
//! (`annotator_core::app`); the effects are in `crate::effects` and `crate::hooks`.

use super::ann_list::AnnList;
use super::article::ArticleView;
use super::compare::{CompareCmd, ComparePanel};
use super::details::DocDetailsForm;
use super::documents::Documents;
use super::help::HelpDialog;
use super::legend::Legend;
use super::links::LinkCmd;
use super::notices::Notices;
use super::orphans::OrphanList;
use super::paste_dialog::PasteDialog;
use super::summary::SummaryView;
use super::team::TeamPanel;
use super::toolbar::Toolbar;
use crate::browser::{self, selection};
use crate::effects::session::{seed_document, seed_meta, Session};
use crate::effects::{files, library, team, Ctx};
use crate::hooks::ByPtr;
use crate::hooks::{autosave::use_autosave, live::use_live, plan::use_plan, shortcuts::use_shortcuts, sync::use_sync, team::use_team};
use crate::state::Shell;
use annotator_core::app::action::AppAction;
use annotator_core::app::selection::SelectionRead;
use annotator_core::app::state::{AppState, SaveStatus};
use annotator_core::formats::{Format, UnknownLabelPolicy};
use annotator_core::model::details::DocDetails;
use annotator_core::model::Label;
use annotator_core::render::marks::Marks;
use annotator_core::render::plan::{refs_by_paragraph, AnnRef};
use std::rc::Rc;
use yew::prelude::*;

/// The state at start: the library (migrated or rebuilt if needed) and the
/// sample article with what is saved for it.
fn initial_state(session: &Session) -> Shell {
    // Start-up reads the crash-safe copy as the last page left it (hooks::sync).
    browser::durable::hold();
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
    let send = |a: AppAction| {
        let d = dispatch.clone();
        Callback::from(move |_: ()| d.dispatch(a.clone()))
    };

    // Tag (or retag) from a button or key: read the DOM selection now.
    let ontag =
        use_callback((dispatch.clone(), article_ref.clone(), ByPtr(live.clone())), |label: Label, (dispatch, article_ref, live)| {
            let read = selection::read_in(article_ref);
            let range_end = match read {
                SelectionRead::Range { start_utf16, end_utf16 } => Some(start_utf16.max(end_utf16)),
                _ => None,
            };
            dispatch.dispatch(AppAction::Tag { label, selection: read.clone(), new_id: browser::new_id(), now: browser::now_iso() });
            if let Some(end) = range_end {
                match article_ref.cast::<web_sys::Element>().filter(browser::has_focus) {
                    // Tagged from the keyboard (the article has focus): the caret
                    // waits at the end of the span, where the next one may start.
                    Some(article) => {
                        selection::clear_selection();
                        live.0.borrow_mut().pending_caret = Some(end);
                        let live = live.0.clone();
                        browser::after_next_paint(move || {
                            // Unless a key already placed it (shortcuts).
                            if live.borrow_mut().pending_caret.take() == Some(end) {
                                crate::browser::caret::set_selection(&article, end, end);
                            }
                        });
                    }
                    // Otherwise the selection goes after the tag's frame is painted
                    // (clearing it in that frame costs time), and only if it is still
                    // the one tagged: a selection made since is left alone.
                    None => {
                        let article_ref = article_ref.clone();
                        browser::after_next_paint(move || {
                            if selection::read_in(&article_ref) == read {
                                selection::clear_selection();
                            }
                        });
                    }
                }
            }
        });
    // Tag every occurrence of the selected text (Shift+1/2/3 or the toolbar's menu).
    let ontagall = use_callback((dispatch.clone(), article_ref.clone()), |label: Label, (dispatch, article_ref)| {
        let read = selection::read_in(article_ref);
        let had_range = matches!(read, SelectionRead::Range { .. });
        dispatch.dispatch(AppAction::TagAll { label, selection: read, id_prefix: browser::new_id(), now: browser::now_iso() });
        if had_range {
            selection::clear_selection();
        }
    });
    use_shortcuts(&live, &ontag, &ontagall);
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

    let onundo = {
        let (state, ctx) = (state.clone(), ctx.clone());
        Callback::from(move |_: ()| library::undo(&ctx, state.undo_target(), &state.library))
    };
    let onexport = {
        let state = state.clone();
        Callback::from(move |format: Format| {
            let details = state.library.get(&state.model.doc.id).map(|m| m.details.clone()).unwrap_or_default();
            files::export(format, &state.model.doc, &details, &state.library.organisation, &state.model.annotations, &state.dispatcher())
        })
    };
    let oncomparefiles = {
        let dispatch = dispatch.clone();
        Callback::from(move |f: Vec<web_sys::File>| files::compare_chosen(f, dispatch.clone()))
    };
    let oncomparecmd = {
        let state = state.clone();
        Callback::from(move |c: CompareCmd| {
            let action = match c {
                CompareCmd::Against(i) => AppAction::CompareAgainst(i),
                CompareCmd::Select(i) => AppAction::SelectDifference(i),
                CompareCmd::Accept(index) => AppAction::AcceptTheirs { index, new_id: browser::new_id(), now: browser::now_iso() },
                CompareCmd::Keep(i) => AppAction::KeepMine(i),
                CompareCmd::AcceptAll(kind) => AppAction::AcceptAllTheirs { kind, id_prefix: browser::new_id(), now: browser::now_iso() },
                CompareCmd::Close => AppAction::CloseComparison,
                CompareCmd::Export => {
                    if let Some(c) = &state.comparing {
                        files::export_agreement(c, &state.model.doc, &state.dispatcher());
                    }
                    return;
                }
            };
            state.dispatch(action);
        })
    };
    let onimport = {
        let (dispatch, doc) = (dispatch.clone(), state.model.doc.clone());
        Callback::from(move |f: Vec<web_sys::File>| files::import_chosen(f, doc.clone(), dispatch.clone()))
    };
    // Stable callbacks (same `Rc` on every render), so memoised children skip re-rendering.
    let onactivate = use_callback(dispatch.clone(), |id: String, d| d.dispatch(AppAction::Select { id: Some(id), scroll: true }));
    let onnote = use_callback(dispatch.clone(), |(id, note): (String, String), d| {
        d.dispatch(AppAction::SetNote { id, note, now: browser::now_iso() })
    });
    let onattrs = use_callback(dispatch.clone(), |(id, speaker, verdict): (String, String, String), d| {
        d.dispatch(AppAction::SetAttributes { id, speaker, verdict, now: browser::now_iso() })
    });
    let ontoggle = use_callback(dispatch.clone(), |l: Label, d| d.dispatch(AppAction::ToggleLabel(l)));
    let onquery = use_callback(dispatch.clone(), |q: String, d| d.dispatch(AppAction::SetQuery(q)));
    let onverdict = use_callback(dispatch.clone(), |v, d| d.dispatch(AppAction::SetVerdictFilter(v)));
    let onlinkcmd = use_callback(dispatch.clone(), |c: LinkCmd, d| {
        d.dispatch(match c {
            LinkCmd::Start => AppAction::StartLink { now: browser::now_iso() },
            LinkCmd::Kind(k) => AppAction::SetLinkKind(k),
            LinkCmd::Cancel => AppAction::CancelLink,
            LinkCmd::Remove(from, to) => AppAction::Unlink { from, to, now: browser::now_iso() },
            LinkCmd::Show(id) => AppAction::Select { id: Some(id), scroll: true },
        })
    });
    let onhighlight = use_callback(dispatch.clone(), |ids: Vec<Rc<str>>, d| {
        // A drag that ends on a highlight is a text selection, not a click.
        if !selection::has_range() {
            d.dispatch(AppAction::ClickHighlight(ids));
        }
    });
    let onsnap = {
        let d = dispatch.clone();
        Callback::from(move |on: bool| d.dispatch(AppAction::SetSnap(on)))
    };
    let onreattach = {
        let (dispatch, article_ref) = (dispatch.clone(), article_ref.clone());
        Callback::from(move |orphan_id: String| {
            let read = selection::read_in(&article_ref);
            dispatch.dispatch(AppAction::Reattach { orphan_id, selection: read, now: browser::now_iso() });
            selection::clear_selection();
        })
    };
    let ondeleteorphan = {
        let d = dispatch.clone();
        Callback::from(move |id: String| d.dispatch(AppAction::DeleteOrphan(id)))
    };
    let onlabels = {
        let dispatch = dispatch.clone();
        Callback::from(move |policy: Option<UnknownLabelPolicy>| {
            dispatch.dispatch(AppAction::ResolveLabels { policy, now: browser::now_iso() })
        })
    };

    let onrelations = {
        let dispatch = dispatch.clone();
        Callback::from(move |mapping| dispatch.dispatch(AppAction::ResolveRelations { mapping, now: browser::now_iso() }))
    };

    // Documents.
    let onopendoc = {
        let (state, ctx) = (state.clone(), ctx.clone());
        Callback::from(move |id: String| {
            if id == state.model.doc.id {
                return;
            }
            // Never leave unsaved work behind: it exists only in this tab.
            match state.may_switch_document() {
                Err(why) => state.dispatch(AppAction::Notice(why)),
                Ok(()) => library::open(&ctx, id, state.library.clone(), true, None),
            }
        })
    };
    let ondeletedoc = {
        let (state, ctx) = (state.clone(), ctx.clone());
        let team_ref = team_ref.clone();
        Callback::from(move |id: String| {
            team::forget(&team_ref, &ctx, &id);
            library::delete(&ctx, &id, &state.model.doc.id, &state.library, state.last_deleted.clone())
        })
    };
    let ondetails = {
        let (state, ctx) = (state.clone(), ctx.clone());
        Callback::from(move |(url, publisher, published, review): (String, String, String, String)| {
            let id = state.model.doc.id.clone();
            match DocDetails::new(&url, &publisher, &published).and_then(|d| d.with_review_url(&review)) {
                Err(e) => state.dispatch(AppAction::Notice(format!("{e} The details were not changed."))),
                Ok(d) if state.library.get(&id).is_some_and(|m| m.details == d) => {}
                Ok(d) => library::set_details(&ctx, &id, d, &state.library, false),
            }
        })
    };
    let onorganisation = {
        let (state, ctx) = (state.clone(), ctx.clone());
        Callback::from(move |name: String| match annotator_core::model::details::clean_organisation(&name) {
            Err(e) => state.dispatch(AppAction::Notice(format!("{e} The organisation was not changed."))),
            Ok(n) if n == state.library.organisation => {}
            Ok(n) => library::set_organisation(&ctx, n, &state.library),
        })
    };
    let onrenamedoc = {
        let (state, ctx) = (state.clone(), ctx.clone());
        Callback::from(move |(id, title): (String, String)| library::rename(&ctx, &id, &title, &state.library))
    };
    let onopenfile = {
        let (state, ctx) = (state.clone(), ctx.clone());
        Callback::from(move |f: web_sys::File| library::open_file(&ctx, f, state.library.clone()))
    };
    let onimportbackup = {
        let (state, ctx) = (state.clone(), ctx.clone());
        Callback::from(move |f: web_sys::File| library::import_backup(&ctx, f, state.library.clone(), state.model.doc.clone()))
    };
    let onexportall = {
        let (state, ctx) = (state.clone(), ctx.clone());
        Callback::from(move |_| library::export_all(&ctx, state.library.clone()))
    };
    let onrestoreseed = {
        let (state, ctx) = (state.clone(), ctx.clone());
        Callback::from(move |_| library::restore_seed(&ctx, &state.library))
    };
    let onpastesubmit = {
        let (state, ctx) = (state.clone(), ctx.clone());
        Callback::from(move |(title, text): (String, String)| library::open_pasted(&ctx, title, text, state.library.clone()))
    };
    let onteamconnect = {
        let (team_ref, ctx) = (team_ref.clone(), ctx.clone());
        Callback::from(move |(url, db, user, password): (String, String, String, String)| {
            team::connect(&team_ref, &ctx, url, db, user, password)
        })
    };
    let onteamdisconnect = {
        let (team_ref, ctx) = (team_ref.clone(), ctx.clone());
        Callback::from(move |_: ()| team::disconnect(&team_ref, &ctx))
    };
    let onteamtoggle = {
        let (team_ref, ctx) = (team_ref.clone(), ctx.clone());
        Callback::from(move |open: bool| team::set_open(&team_ref, &ctx, open))
    };
    let onshare = {
        let (team_ref, ctx, state, onopendoc) = (team_ref.clone(), ctx.clone(), state.clone(), onopendoc.clone());
        Callback::from(move |id: String| {
            team::share(&team_ref, &ctx, &id);
            if id != state.model.doc.id {
                onopendoc.emit(id);
            }
        })
    };
    let shared = Rc::new(state.team.settings.as_ref().map(|s| s.shared.clone()).unwrap_or_default());
    let undo_delete = state.last_deleted.clone().map(|removed| {
        let (state, ctx) = (state.clone(), ctx.clone());
        Callback::from(move |_: MouseEvent| library::undo_delete(&ctx, removed.clone(), &state.library))
    });
    // Dropping files on the page: texts open as documents, annotation files are imported.
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let (state, ctx, onimport) = (state.clone(), ctx.clone(), onimport.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let Some(list) = e.data_transfer().and_then(|d| d.files()) else { return };
            let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
            if files::are_annotation_files(&files) {
                onimport.emit(files);
            } else if let Some(f) = files.into_iter().next() {
                library::open_file(&ctx, f, state.library.clone());
            }
        })
    };
    let ondownloadbackup = state.backups.last().cloned().map(|key| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: ()| files::download_backup(&key, &dispatch))
    });
    let ondownloadcopy = onexport.reform(|_: ()| Format::Native);
    // The skip link focuses the article without navigating: the URL's hash names the document.
    let onskip = {
        let article_ref = article_ref.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            browser::focus(&article_ref);
        })
    };

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
    let marks =
        use_memo((ByPtr(state.model.annotations.clone()), state.model.selected.clone(), state.linking.clone()), |(anns, sel, linking)| {
            Rc::new(Marks::of(&anns.0, sel.as_deref(), linking.as_ref().and_then(|l| l.candidate.as_deref())))
        });
    let marks: Rc<Marks> = (*marks).clone();
    // While comparing: the other annotator's spans per paragraph (ids are their indices).
    let theirs_anns = state.comparing.as_ref().map(|c| ByPtr(c.theirs().annotations.clone()));
    let theirs = use_memo((theirs_anns, ByPtr(paragraphs.clone())), |(anns, paras)| {
        anns.as_ref().map(|anns| {
            let refs =
                anns.0.iter().enumerate().map(|(i, a)| AnnRef { id: Rc::from(i.to_string()), start: a.start, end: a.end, label: a.label });
            Rc::new(refs_by_paragraph(&paras.0, refs).into_iter().map(Rc::new).collect::<Vec<_>>())
        })
    });
    let theirs = (*theirs).clone();
    let orphans: Vec<_> = state.open_orphans().into_iter().cloned().collect();
    html! {
        <div class="app" {ondragover} {ondrop}>
            <a class="skip" href="#article" onclick={onskip}>{ "Skip to the article" }</a>
            <header class="top">
                <h1>{ "Annotator" }</h1>
                <Toolbar ontag={ontag.clone()} {ontagall} ondelete={send(AppAction::DeleteSelected)} {onundo} onredo={send(AppAction::Redo)}
                    can_undo={state.can_undo()} can_redo={state.history.can_redo()}
                    undo_title={AttrValue::from(state.undo_title())} redo_title={AttrValue::from(state.redo_title())}
                    {onexport} {onimport} snap_words={state.snap_words} {onsnap} onhelp={send(AppAction::Help(true))} />
                <p id="save-status" role="status" class={classes!("save", save_failed.is_some().then_some("failed"))}>{ save_text }</p>
            </header>
            <Notices notice={state.notice.clone()} {save_failed} {ondownloadcopy} {ondownloadbackup}
                labels_question={state.pending_labels.as_ref().filter(|p| p.relations.is_empty()).map(|p| p.message.clone())} {onlabels}
                relations_question={state.pending_labels.as_ref().filter(|p| !p.relations.is_empty()).map(|p| (p.message.clone(), p.relations.clone()))}
                {onrelations} />
            <p id="info" aria-live="polite" class="info">{ state.info.clone().unwrap_or_default() }
                if let Some(cb) = undo_delete { { " " }<button type="button" onclick={cb}>{ "Undo delete" }</button> }
            </p>
            <crate::components::update_banner::UpdateBanner />
            <p id="announce" class="visually-hidden" aria-live="polite">{ state.announce.clone() }</p>
            <div class="layout">
                <main class="reader">
                    <h2 class="doc-title">{ &doc_title }</h2>
                    <DocDetailsForm doc_id={AttrValue::from(doc.id.clone())} details={doc_details} oncommit={ondetails}
                        organisation={AttrValue::from(state.library.organisation.clone())} {onorganisation} />
                    <ArticleView index={doc.index.clone()} {paragraphs} {by_para} {theirs} selected={selected_rc} {marks} {onhighlight}
                        article_ref={article_ref.clone()} title={AttrValue::from(doc_title.clone())} />
                    <div id="kbd-caret" class="kbd-caret" aria-hidden="true"></div>
                </main>
                <aside class="sidebar" aria-label="Annotations and tools">
                    <Legend />
                    <OrphanList {orphans} {onreattach} ondelete={ondeleteorphan} />
                    <AnnList annotations={state.model.annotations.clone()} filter={state.filter.clone()}
                        selected={state.model.selected.clone()} counts={state.model.counts()} {onactivate} {onnote} {onattrs}
                        {ontoggle} {onquery} {onverdict} edit_note={state.edit_note.clone()} linking={state.linking.clone()} {onlinkcmd} />
                    <ComparePanel comparing={state.comparing.clone()} onfiles={oncomparefiles} oncmd={oncomparecmd} />
                    <SummaryView annotations={state.model.annotations.clone()} total_cp={doc.index.len_cp()} />
                    <TeamPanel view={state.team.clone()} onconnect={onteamconnect} ondisconnect={onteamdisconnect} ontoggle={onteamtoggle} />
                    <Documents docs={Rc::new(state.library.docs.clone())} current={AttrValue::from(doc.id.clone())} onopen={onopendoc}
                        onrename={onrenamedoc} ondelete={ondeletedoc} {onopenfile} onpaste={send(AppAction::Paste(true))} {onrestoreseed}
                        {seed_listed} {onexportall} {onimportbackup} {shared} team_running={state.team.status.running()} {onshare} />
                    <p class="hint">{ "Select text, then press 1 (Claim), 2 (Denial) or 3 (Statistic). Pick an annotation to retag it with 1–3, link it to another with l, or remove it with Delete; Escape deselects; ? lists every shortcut." }</p>
                </aside>
            </div>
            if state.help_open { <HelpDialog onclose={send(AppAction::Help(false))} /> }
            if state.paste_open { <PasteDialog onsubmit={onpastesubmit} onclose={send(AppAction::Paste(false))} /> }
        </div>
    }
}
