//! Files in and out: reading the annotation files a person chose or
//! dropped (parsed in a task of their own, merged by the reducer: `AppAction::FilesParsed`),
//! exports, and the download of data kept aside.

use crate::browser::{self, busy::Busy, download, rare, storage};
use crate::state::Dispatch;
use annotator_core::app::action::AppAction;
use annotator_core::app::import::{file_names, native_of_this_text};
use annotator_core::formats::json_fields::ImportError;
use annotator_core::formats::native;
use annotator_core::formats::{self, Format};
use annotator_core::formats::{Imported, UnknownLabelPolicy};
use annotator_core::lazy::export::{ExportAnswer, ExportRequest, File};
use annotator_core::lazy::import::{ImportAnswer, ImportRequest, Job};
use annotator_core::model::details::DocDetails;
use annotator_core::model::link_views::without_dangling;
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
/// are read here; a paint shows "Importing …"; then they are parsed and
/// checked ([`first_pass`], pure) in a task of its own — by the module of rare
/// parts, loaded on first use, unless the file is a native file of this very
/// text — and the result goes to the reducer, which merges it and paints the
/// highlights. A large file thus takes several tasks, not one long one. The
/// reducer refuses the result if another document was opened meanwhile. The
/// page is not idle until then.
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
                let same_text = match &files[..] {
                    [(name, bytes)] => native_of_this_text(name, bytes, &doc),
                    _ => None,
                };
                let doc_id = doc.id.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let parsed = match same_text {
                        Some(parsed) => parsed,
                        None => {
                            let job = Job::Import { policy: UnknownLabelPolicy::Skip, relation_map: None };
                            imported_in_rare_parts(&doc, &files, job, &dispatch).await
                        }
                    };
                    // The highlights are painted in a task of their own.
                    gloo::timers::future::TimeoutFuture::new(0).await;
                    dispatch.dispatch(AppAction::FilesParsed { files, doc_id, parsed });
                    drop(busy);
                });
            });
        }
        Err(e) => dispatch.dispatch(AppAction::Notice(format!("Could not import {e} Nothing was changed."))),
    });
}

/// Runs `job` on `files` in the module of rare parts, loading it first if
/// needed ("Loading…" meanwhile). An error names the files and says what
/// could not be done, for "Could not import …".
async fn in_rare_parts(doc: &Document, files: &[(String, Vec<u8>)], job: Job, dispatch: &Dispatch) -> Result<ImportAnswer, String> {
    if rare::loaded().is_none() {
        dispatch.dispatch(AppAction::Info("Loading the part of the app that reads annotation files…".into()));
    }
    let names = file_names(files);
    let module = rare::load().await.map_err(|e| {
        format!("{names}: the part of the app that reads annotation files could not be loaded ({e}). Check the connection and try again.")
    })?;
    let request = ImportRequest::new(doc, files.iter().map(|(n, _)| n.clone()).collect(), &browser::now_iso(), job).to_json();
    let answer =
        module.call_with_files("import_files", &request, files.iter().map(|(_, b)| b.as_slice())).map_err(|e| format!("{names}: {e}"))?;
    Ok(ImportAnswer::from_json(&answer))
}

/// [`in_rare_parts`] for an import: the files imported, or why not.
async fn imported_in_rare_parts(doc: &Document, files: &[(String, Vec<u8>)], job: Job, dispatch: &Dispatch) -> Result<Imported, String> {
    match in_rare_parts(doc, files, job, dispatch).await? {
        ImportAnswer::Imported(imported) => imported,
        other => Err(unexpected(files, other)),
    }
}

/// The sentence for an answer of the wrong kind (or an error answer).
fn unexpected(files: &[(String, Vec<u8>)], answer: ImportAnswer) -> String {
    match answer {
        ImportAnswer::Error(e) => format!("{}: {e}.", file_names(files)),
        _ => format!("{}: the reader answered something else than was asked.", file_names(files)),
    }
}

/// The files held back by a question about labels or relation types,
/// imported under the person's answer `job`; `done` makes the action of the
/// result (dispatched when it comes).
pub fn import_held(
    files: Rc<Vec<(String, Vec<u8>)>>,
    doc: Rc<Document>,
    job: Job,
    dispatch: Dispatch,
    done: impl FnOnce(Result<Imported, String>) -> AppAction + 'static,
) {
    let busy = Busy::start();
    wasm_bindgen_futures::spawn_local(async move {
        let imported = imported_in_rare_parts(&doc, &files, job, &dispatch).await;
        dispatch.dispatch(done(imported));
        drop(busy);
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

/// "Compare with…": reads other people's files of this text (nothing of mine
/// changes), in the module of rare parts.
pub fn compare_chosen(files: Vec<web_sys::File>, doc: Rc<Document>, dispatch: Dispatch) {
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
            let (dispatch, busy, doc) = (dispatch.clone(), busy.clone(), doc.clone());
            browser::after_next_paint(move || {
                wasm_bindgen_futures::spawn_local(async move {
                    match in_rare_parts(&doc, &files, Job::Compare, &dispatch).await {
                        Ok(ImportAnswer::Compared(read)) => dispatch.dispatch(AppAction::CompareFiles(read)),
                        Ok(other) => dispatch.dispatch(AppAction::Notice(format!(
                            "Could not compare with {} Your annotations are unchanged.",
                            unexpected(&files, other)
                        ))),
                        Err(e) => {
                            dispatch.dispatch(AppAction::Notice(format!("Could not compare with {e} Your annotations are unchanged.")))
                        }
                    }
                    drop(busy);
                });
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

/// Downloads the annotations of `doc` in `format` (two files for brat). The
/// native file is written here; the other formats by the rare parts, loaded
/// on first use ("Loading the … exporter…" meanwhile). A failure to load says
/// so; nothing is downloaded and nothing changes.
pub fn export(format: Format, doc: &Document, details: &DocDetails, organisation: &str, shared: &[Rc<Annotation>], dispatch: &Dispatch) {
    // The writers take plain annotations; an export is rare enough to copy them.
    let annotations: &[Annotation] = &shared.iter().map(|a| (**a).clone()).collect::<Vec<_>>();
    if format == Format::Native {
        let contents = native::export_detailed(doc, details, &without_dangling(annotations));
        let name = if doc.name.is_empty() { "annotations" } else { doc.name.as_str() };
        return download_all(&[File { name: format!("{name}.annotations.json"), mime: "application/json".into(), contents }], dispatch);
    }
    let request = ExportRequest::new(format, doc, details, organisation, annotations).to_json();
    let dispatch = dispatch.clone();
    if rare::loaded().is_none() {
        dispatch.dispatch(AppAction::Info(format!("Loading the {} exporter…", format.label())));
    }
    let busy = Busy::start();
    wasm_bindgen_futures::spawn_local(async move {
        let answer = match rare::load().await {
            Ok(module) => module.call("export_files", &request).map(|json| ExportAnswer::from_json(&json)),
            Err(e) => Err(format!("the exporter could not be loaded ({e}); check the connection and try again")),
        };
        match answer {
            Ok(ExportAnswer::Files { files, gaps }) => {
                if gaps.is_empty() {
                    dispatch.dispatch(AppAction::Info(format!("Exported {}.", names_of(&files))));
                } else {
                    dispatch.dispatch(AppAction::Info(format!("ClaimReview exported, with gaps: {}", gaps.join(" "))));
                }
                download_all(&files, &dispatch);
            }
            Ok(ExportAnswer::Error(e)) | Err(e) => {
                dispatch.dispatch(AppAction::Notice(format!("The {} export failed: {e}. Nothing was downloaded.", format.label())))
            }
        }
        drop(busy);
    });
}

fn names_of(files: &[File]) -> String {
    files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ")
}

fn download_all(files: &[File], dispatch: &Dispatch) {
    for file in files {
        if let Err(e) = download::download_text(&file.name, &file.mime, &file.contents) {
            dispatch.dispatch(AppAction::Notice(format!("The download of {} failed: {e}.", file.name)));
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
