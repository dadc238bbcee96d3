//! What the app does with each component's commands: an action for the pure
//! reducer, or an effect (`crate::effects`) with this render's state.

use crate::browser::{self, selection};
use crate::components::ann_list::AnnCmd;
use crate::components::compare::CompareCmd;
use crate::components::details::DetailsCmd;
use crate::components::documents::DocCmd;
use crate::components::links::LinkCmd;
use crate::components::notices::NoticeCmd;
use crate::components::orphans::OrphanCmd;
use crate::components::team::TeamCmd;
use crate::components::toolbar::ToolbarCmd;
use crate::effects::team::{self, TeamRef};
use crate::effects::{files, library, Ctx};
use crate::hooks::tagging::Tagging;
use crate::state::Handle;
use annotator_core::app::action::AppAction;
use annotator_core::formats::{Format, Imported};
use annotator_core::lazy::import::Job;
use annotator_core::model::details::DocDetails;
use yew::prelude::*;

/// What the commands act on: the state as this render saw it, storage and
/// reporting back, team sync, the article and tagging.
#[derive(Clone)]
pub struct Env {
    pub state: Handle,
    pub ctx: Ctx,
    pub team: TeamRef,
    pub article: NodeRef,
    pub tagging: Tagging,
}

/// The annotation list's commands need only the reducer (the list's callback
/// stays the same across renders): the action each one is.
pub fn ann_action(cmd: AnnCmd) -> AppAction {
    match cmd {
        AnnCmd::Activate(id) => AppAction::Select { id: Some(id), scroll: true },
        AnnCmd::Note { id, note } => AppAction::SetNote { id, note, now: browser::now_iso() },
        AnnCmd::Attributes { id, speaker, verdict } => AppAction::SetAttributes { id, speaker, verdict, now: browser::now_iso() },
        AnnCmd::Toggle(l) => AppAction::ToggleLabel(l),
        AnnCmd::Query(q) => AppAction::SetQuery(q),
        AnnCmd::Verdict(v) => AppAction::SetVerdictFilter(v),
        AnnCmd::Link(LinkCmd::Start) => AppAction::StartLink { now: browser::now_iso() },
        AnnCmd::Link(LinkCmd::Kind(k)) => AppAction::SetLinkKind(k),
        AnnCmd::Link(LinkCmd::Cancel) => AppAction::CancelLink,
        AnnCmd::Link(LinkCmd::Remove(from, to)) => AppAction::Unlink { from, to, now: browser::now_iso() },
        AnnCmd::Link(LinkCmd::Show(id)) => AppAction::Select { id: Some(id), scroll: true },
    }
}

impl Env {
    /// A callback that runs `handle` with this render's state.
    pub fn callback<T: 'static>(&self, handle: fn(&Env, T)) -> Callback<T> {
        let env = self.clone();
        Callback::from(move |x| handle(&env, x))
    }

    /// A callback that sends the reducer `action`.
    pub fn send<T: 'static>(&self, action: AppAction) -> Callback<T> {
        let dispatch = self.state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(action.clone()))
    }

    fn dispatch(&self, action: AppAction) {
        self.state.dispatch(action)
    }

    pub fn toolbar(&self, cmd: ToolbarCmd) {
        let state = &self.state;
        match cmd {
            ToolbarCmd::Tag(label) => self.tagging.tag.emit(label),
            ToolbarCmd::TagAll(label) => self.tagging.tag_all.emit(label),
            ToolbarCmd::Delete => self.dispatch(AppAction::DeleteSelected),
            ToolbarCmd::Undo => library::undo(&self.ctx, state.undo_target(), &state.library),
            ToolbarCmd::Redo => self.dispatch(AppAction::Redo),
            ToolbarCmd::Export(format) => self.export(format),
            ToolbarCmd::Import(chosen) => files::import_chosen(chosen, state.model.doc.clone(), state.dispatcher()),
            ToolbarCmd::Snap(on) => self.dispatch(AppAction::SetSnap(on)),
            ToolbarCmd::Help => self.dispatch(AppAction::Help(true)),
            ToolbarCmd::Hold => self.tagging.hold.emit(()),
        }
    }

    fn export(&self, format: Format) {
        let state = &self.state;
        let details = state.library.get(&state.model.doc.id).map(|m| m.details.clone()).unwrap_or_default();
        files::export(format, &state.model.doc, &details, &state.library.organisation, &state.model.annotations, &state.dispatcher())
    }

    /// The files held by the open question about labels or relation types,
    /// imported under the answer `job` (in the module of rare parts).
    fn import_held(&self, job: Job, done: impl FnOnce(Result<Imported, String>) -> AppAction + 'static) {
        if let Some(pending) = &self.state.pending_labels {
            files::import_held(pending.files.clone(), self.state.model.doc.clone(), job, self.state.dispatcher(), done);
        }
    }

    pub fn notices(&self, cmd: NoticeCmd) {
        match cmd {
            NoticeCmd::DownloadCopy => self.export(Format::Native),
            NoticeCmd::DownloadBackup => {
                if let Some(key) = self.state.backups.last() {
                    files::download_backup(key, &self.state.dispatcher())
                }
            }
            NoticeCmd::Labels(None) | NoticeCmd::Relations(None) => self.dispatch(AppAction::CancelImport),
            NoticeCmd::Labels(Some(policy)) => {
                self.import_held(Job::Import { policy: policy.clone(), relation_map: None }, move |imported| AppAction::ResolveLabels {
                    policy,
                    imported,
                })
            }
            NoticeCmd::Relations(Some(map)) => {
                let Some(pending) = &self.state.pending_labels else { return };
                let job = Job::Import { policy: pending.label_policy.clone(), relation_map: Some(map) };
                self.import_held(job, |imported| AppAction::ResolveRelations { imported })
            }
        }
    }

    pub fn compare(&self, cmd: CompareCmd) {
        let action = match cmd {
            CompareCmd::Files(chosen) => return files::compare_chosen(chosen, self.state.model.doc.clone(), self.state.dispatcher()),
            CompareCmd::Against(i) => AppAction::CompareAgainst(i),
            CompareCmd::Select(i) => AppAction::SelectDifference(i),
            CompareCmd::Accept(index) => AppAction::AcceptTheirs { index, new_id: browser::new_id(), now: browser::now_iso() },
            CompareCmd::Keep(i) => AppAction::KeepMine(i),
            CompareCmd::AcceptAll(kind) => AppAction::AcceptAllTheirs { kind, id_prefix: browser::new_id(), now: browser::now_iso() },
            CompareCmd::Close => AppAction::CloseComparison,
            CompareCmd::Export => {
                if let Some(c) = &self.state.comparing {
                    files::export_agreement(c, &self.state.model.doc, &self.state.dispatcher());
                }
                return;
            }
        };
        self.dispatch(action);
    }

    pub fn orphans(&self, cmd: OrphanCmd) {
        match cmd {
            OrphanCmd::Reattach(orphan_id) => {
                let read = selection::read_in(&self.article);
                self.dispatch(AppAction::Reattach { orphan_id, selection: read, now: browser::now_iso() });
                selection::clear_selection();
            }
            OrphanCmd::Delete(id) => self.dispatch(AppAction::DeleteOrphan(id)),
        }
    }

    pub fn details(&self, cmd: DetailsCmd) {
        let (state, ctx) = (&self.state, &self.ctx);
        match cmd {
            DetailsCmd::Commit { source_url, publisher, published, review_url } => {
                let id = &state.model.doc.id;
                match DocDetails::new(&source_url, &publisher, &published).and_then(|d| d.with_review_url(&review_url)) {
                    Err(e) => self.dispatch(AppAction::Notice(format!("{e} The details were not changed."))),
                    Ok(d) if state.library.get(id).is_some_and(|m| m.details == d) => {}
                    Ok(d) => library::set_details(ctx, id, d, &state.library, false),
                }
            }
            DetailsCmd::Organisation(name) => match annotator_core::model::details::clean_organisation(&name) {
                Err(e) => self.dispatch(AppAction::Notice(format!("{e} The organisation was not changed."))),
                Ok(n) if n == state.library.organisation => {}
                Ok(n) => library::set_organisation(ctx, n, &state.library),
            },
        }
    }

    pub fn documents(&self, cmd: DocCmd) {
        let (state, ctx) = (&self.state, &self.ctx);
        match cmd {
            DocCmd::Open(id) => self.open_document(id),
            DocCmd::Rename(id, title) => library::rename(ctx, &id, &title, &state.library),
            DocCmd::Delete(id) => {
                team::forget(&self.team, ctx, &id);
                library::delete(ctx, &id, &state.model.doc.id, &state.library, state.last_deleted.clone())
            }
            DocCmd::OpenFile(f) => library::open_file(ctx, f, state.library.clone()),
            DocCmd::Paste => self.dispatch(AppAction::Paste(true)),
            DocCmd::RestoreSeed => library::restore_seed(ctx, &state.library),
            DocCmd::ExportAll => library::export_all(ctx, state.library.clone()),
            DocCmd::ImportBackup(f) => library::import_backup(ctx, f, state.library.clone(), state.model.doc.clone()),
            DocCmd::Share(id) => {
                team::share(&self.team, ctx, &id);
                if id != state.model.doc.id {
                    self.open_document(id);
                }
            }
        }
    }

    fn open_document(&self, id: String) {
        let state = &self.state;
        if id == state.model.doc.id {
            return;
        }
        // Never leave unsaved work behind: it exists only in this tab.
        match state.may_switch_document() {
            Err(why) => self.dispatch(AppAction::Notice(why)),
            Ok(()) => library::open(&self.ctx, id, state.library.clone(), true, None),
        }
    }

    /// The "Paste text" dialog's title and text.
    pub fn paste(&self, (title, text): (String, String)) {
        library::open_pasted(&self.ctx, title, text, self.state.library.clone())
    }

    pub fn team(&self, cmd: TeamCmd) {
        match cmd {
            TeamCmd::Connect { url, db, user, password } => team::connect(&self.team, &self.ctx, url, db, user, password),
            TeamCmd::Disconnect => team::disconnect(&self.team, &self.ctx),
            TeamCmd::Toggle(open) => team::set_open(&self.team, &self.ctx, open),
        }
    }

    /// "Undo delete" of the document deleted last.
    pub fn undo_delete(&self, _: MouseEvent) {
        if let Some(removed) = self.state.last_deleted.clone() {
            library::undo_delete(&self.ctx, removed, &self.state.library)
        }
    }

    /// Files dropped on the page: texts open as documents, annotation files are imported.
    pub fn drop_files(&self, e: DragEvent) {
        e.prevent_default();
        let Some(list) = e.data_transfer().and_then(|d| d.files()) else { return };
        let dropped: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        if files::are_annotation_files(&dropped) {
            self.toolbar(ToolbarCmd::Import(dropped));
        } else if let Some(f) = dropped.into_iter().next() {
            library::open_file(&self.ctx, f, self.state.library.clone());
        }
    }

    /// The skip link focuses the article without navigating: the URL's hash names the document.
    pub fn skip_to_article(&self, e: MouseEvent) {
        e.prevent_default();
        browser::focus(&self.article);
    }
}
