//! Files in and out: reading the annotation files a person chose or
//! dropped (parsed in a task of their own, merged by the reducer: `AppAction::FilesParsed`),
//! exports, and the download of data kept aside.

use crate::browser::{self, busy::Busy, download, storage};
use crate::state::Dispatch;
use annotator_core::app::action::AppAction;
use annotator_core::app::import::{file_names, first_pass};
use annotator_core::formats::json_fields::ImportError;
use annotator_core::formats::native;
use annotator_core::formats::{self, Format};
use annotator_core::model::details::DocDetails;
use annotator_core::{model::Annotation, model::Document};
use std::cell::RefCell;
use std::rc::Rc;

type Read = Vec<(String, Vec<u8>)>;
/// Files read so far, by their place in the choice.
type Slots = Rc<RefCell<Vec<Option<(String, Vec<u8>)>>>>;

/// Reads every chosen file, then calls `done` with (name, bytes) pairs in
/// the order chosen, or the first read error.
fn read_files(files: Vec<web_sys::File>, done: impl Fn(Result<Read, String>) + 'static) {
    let done = Rc::new(done);
    let results: Slots = Rc::new(RefCell::new(vec![None; files.len()]));
    let failed = Rc::new(std::cell::Cell::new(false));
    for (i, f) in files.into_iter().enumerate() {
        let name = f.name();
        let (results, done, failed) = (results.clone(), done.clone(), failed.clone());
        browser::read_file_bytes(f, move |res| match res {
            Err(e) => {
                if !failed.replace(true) {
                    done(Err(format!("Could not read {name}: {e}")));
                }
            }
            Ok(bytes) => {
                let ready = {
                    let mut r = results.borrow_mut();
                    r[i] = Some((name, bytes));
                    r.iter().all(Option::is_some)
                };
                if ready && !failed.get() {
                    let all = results.borrow_mut().drain(..).flatten().collect();
                    done(Ok(all));
                }
            }
        });
    }
}

/// "name: too large …" for the first file over the import bound, read before reading any.
fn too_large(files: &[web_sys::File]) -> Option<String> {
    let big = files.iter().find(|f| f.size() > native::MAX_FILE_BYTES as f64)?;
    Some(format!("{}: {}", big.name(), ImportError::TooLarge { bytes: big.size() as usize, max: native::MAX_FILE_BYTES }))
}

/// Imports the chosen annotation files into `doc`, the open document: they
/// are read here; a paint shows "Importing …"; the next task parses and
/// checks them ([`first_pass`], pure); the task after it gives the result to
/// the reducer, which merges it and paints the highlights. A large file thus
/// takes three tasks, not one long one. The reducer refuses the result if
/// another document was opened meanwhile. The page is not idle until then.
pub fn import_chosen(files: Vec<web_sys::File>, doc: Rc<Document>, dispatch: Dispatch) {
    if let Some(why) = too_large(&files) {
        dispatch.dispatch(AppAction::Notice(format!("Could not import {why} Nothing was changed.")));
        return;
    }
    let busy = Busy::start();
    read_files(files, move |res| match res {
        Ok(files) => {
            let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
            dispatch.dispatch(AppAction::Info(format!("Importing {} ({})…", file_names(&files), size_for_people(bytes))));
            let (dispatch, doc, busy) = (dispatch.clone(), doc.clone(), busy.clone());
            browser::after_next_paint(move || {
                let parsed = first_pass(&files, &doc, &browser::now_iso());
                let doc_id = doc.id.clone();
                gloo::timers::callback::Timeout::new(0, move || {
                    dispatch.dispatch(AppAction::FilesParsed { files, doc_id, parsed });
                    drop(busy);
                })
                .forget();
            });
        }
        Err(e) => dispatch.dispatch(AppAction::Notice(format!("Could not import {e} Nothing was changed."))),
    });
}

/// "512 bytes", "38 KB", "3.7 MB".
fn size_for_people(bytes: usize) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{} KB", b.div_ceil(1024)),
        b => format!("{}.{} MB", b / (1024 * 1024), b % (1024 * 1024) * 10 / (1024 * 1024)),
    }
}

/// "Compare with…": reads other people's files of this text (nothing of mine changes).
pub fn compare_chosen(files: Vec<web_sys::File>, dispatch: Dispatch) {
    if let Some(why) = too_large(&files) {
        dispatch.dispatch(AppAction::Notice(format!("Could not compare with {why} Your annotations are unchanged.")));
        return;
    }
    let busy = Busy::start();
    read_files(files, move |res| match res {
        Ok(files) => {
            // Big files take a moment: say so in this frame, compare in the next.
            let names = files.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ");
            dispatch.dispatch(AppAction::Info(format!("Comparing with {names}…")));
            let (dispatch, busy) = (dispatch.clone(), busy.clone());
            browser::after_next_paint(move || {
                dispatch.dispatch(AppAction::CompareFiles { files, now: browser::now_iso() });
                drop(busy);
            });
        }
        Err(e) => dispatch.dispatch(AppAction::Notice(format!("Could not compare with {e} Your annotations are unchanged."))),
    });
}

/// Downloads the agreement figures and remaining differences of a comparison as CSV.
pub fn export_agreement(c: &annotator_core::app::compare::Comparing, doc: &Document, dispatch: &Dispatch) {
    let csv = annotator_core::app::compare_csv::agreement_csv(c);
    let stem = doc.name.rsplit_once('.').map_or(doc.name.as_str(), |(s, _)| s);
    let name = format!("{}-agreement.csv", if stem.is_empty() { "document" } else { stem });
    match download::download_text(&name, formats::csv::MIME, &csv) {
        Ok(()) => dispatch.dispatch(AppAction::Info(format!("Agreement exported to {name}."))),
        Err(e) => dispatch.dispatch(AppAction::Notice(format!("The download of {name} failed: {e}."))),
    }
}

/// Whether dropped files are annotation files (imported) rather than a text (opened).
pub fn are_annotation_files(files: &[web_sys::File]) -> bool {
    files.iter().map(|f| f.name().to_ascii_lowercase()).any(|n| n.ends_with(".ann") || n.ends_with(".json") || n.ends_with(".jsonld"))
}

/// Downloads the annotations of `doc` in `format` (two files for brat).
pub fn export(format: Format, doc: &Document, details: &DocDetails, organisation: &str, shared: &[Rc<Annotation>], dispatch: &Dispatch) {
    // The writers take plain annotations; an export is rare enough to copy them.
    let annotations: &[Annotation] = &shared.iter().map(|a| (**a).clone()).collect::<Vec<_>>();
    if format == Format::ClaimReview {
        let missing = formats::claimreview::missing(details, organisation, annotations);
        if !missing.is_empty() {
            dispatch.dispatch(AppAction::Info(format!("ClaimReview exported, with gaps: {}", missing.join(" "))));
        }
    }
    for file in formats::export_detailed(format, doc, details, organisation, annotations) {
        if let Err(e) = download::download_text(&file.file_name, file.mime, &file.contents) {
            dispatch.dispatch(AppAction::Notice(format!("The download of {} failed: {e}.", file.file_name)));
        }
    }
}

/// Downloads the raw value kept under backup `key`.
pub fn download_backup(key: &str, dispatch: &Dispatch) {
    let raw = match storage::get(key) {
        Ok(Some(raw)) => raw,
        Ok(None) => {
            return dispatch.dispatch(AppAction::Notice(format!("The data kept under “{key}” is no longer in this browser's storage.")))
        }
        Err(e) => return dispatch.dispatch(AppAction::Notice(format!("The data kept under “{key}” could not be read ({e})."))),
    };
    if let Err(e) = download::download_text(&format!("{key}.json"), "application/json", &raw) {
        dispatch.dispatch(AppAction::Notice(format!("The download failed: {e}.")));
    }
}
