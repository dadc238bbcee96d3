//! Host (native) timings of the model work behind opening, editing, saving
//! and exporting a long annotated text — the parts of the browser benchmark
//! (`scripts/bench.sh`) that run in Rust, without the DOM, so a slow browser
//! number can be split into "model" and "rendering".
//!
//! ```sh
//! cargo run --release -p annotator-core --example plan_bench -- bench-results/workloads/ann-1m-10000.annotations.json [--json]
//! ```
//!
//! Each argument is a native annotation file with its text (as written by
//! `bench/workload.py`). For each, median wall time of several runs of:
//! * `document`: `Document::new` (text index + id);
//! * `import`: `formats::import` (detect, validate, anchor — the app's Import);
//! * `merge_into_empty`: `State::apply(Action::Merge)` of all annotations;
//! * `plan_full`: `plan::paragraphs` + `annotations_by_paragraph` + `segments`
//!   of every paragraph (the first render's plan);
//! * `edit_add`: one `Action::Add` plus `apply_changes_by_paragraph` (the
//!   paragraph lists the app updates per edit) plus `segments` of the touched paragraph;
//! * `autosave_journal`: `DocRecord::edit_delta` + the journal's JSON (what the
//!   app writes after each edit), and its size;
//! * `autosave_serialise`: the whole stored record's JSON (written when the
//!   journal passes 256 entries), and its size;
//! * `export_<format>`: `formats::export` for every format.
//!
//! Wall time on this machine, natively; wasm in a browser is typically
//! 1.5–3× slower. For the regression guard on operation counts see
//! `core/tests/plan_scaling.rs`.

use annotator_core::formats::{self, Format, ImportOptions};
use annotator_core::model::{Action, Document, Label, State};

use annotator_core::history::Change;
use annotator_core::render::plan::{annotations_by_paragraph, apply_changes_by_paragraph, paragraphs, segments, AnnRef};
use annotator_core::store::library::DocMeta;
use annotator_core::store::merge::DocRecord;
use std::rc::Rc;
use std::time::Instant;

/// Median milliseconds of `runs` calls of `f` (at least one call).
fn median_ms<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    let mut t: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let t0 = Instant::now();
            std::hint::black_box(f());
            t0.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    t.sort_by(|a, b| a.total_cmp(b));
    t[t.len() / 2]
}

fn bench_file(path: &str) -> Result<Vec<(String, f64)>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| format!("{path}: {e}"))?;
    let d = &v["document"];
    let text = d["text"].as_str().ok_or(format!("{path}: no document.text"))?;
    let title = d["title"].as_str().unwrap_or("bench");
    let name = d["name"].as_str().unwrap_or("bench");
    let runs = if text.len() > 2_000_000 { 3 } else { 5 };
    let mut out = Vec::new();

    out.push(("document".into(), median_ms(runs, || Document::new(title, name, text))));
    let doc = Rc::new(Document::new(title, name, text));
    let opts = ImportOptions::default();
    let file_name = path.rsplit('/').next().unwrap_or(path);
    out.push(("import".into(), median_ms(runs, || formats::import(file_name, &bytes, &doc.index, &opts))));
    let imported = formats::import(file_name, &bytes, &doc.index, &opts).map_err(|e| format!("{path}: {e}"))?;
    let anns = imported.annotations;
    let empty = State::new(doc.clone());
    out.push(("merge_into_empty".into(), median_ms(runs, || empty.apply(Action::Merge(anns.clone())))));
    let state = empty.apply(Action::Merge(anns.clone())).map_err(|e| e.to_string())?;
    let list = state.annotations.clone();

    let paras = paragraphs(&doc.index);
    let by_para: Vec<Rc<Vec<AnnRef>>> = annotations_by_paragraph(&paras, &list).into_iter().map(Rc::new).collect();
    out.push((
        "plan_full".into(),
        median_ms(runs, || {
            let paras = paragraphs(&doc.index);
            let by = annotations_by_paragraph(&paras, &list);
            paras.iter().zip(&by).map(|(p, r)| segments(&doc.index, p, r).len()).sum::<usize>()
        }),
    ));

    // An edit in the middle of the text: two words not yet tagged as claim.
    let mid = paras[paras.len() / 2].clone();
    let mid_text = doc.index.slice_cp(mid.start_cp, mid.end_cp).unwrap_or("");
    let first_word_len = mid_text.split_whitespace().take(2).collect::<Vec<_>>().join(" ").chars().count().max(1);
    let (start, end) = (mid.start_cp, mid.start_cp + first_word_len);
    let mut n = 0u64;
    out.push((
        "edit_add".into(),
        median_ms(runs * 4, || {
            n += 1;
            let next = state
                .apply(Action::Add { id: format!("edit-{n}"), start, end, label: Label::Denial, now: "2026-01-01T00:00:00Z".into() })
                .ok()?;
            let change = Change { before: None, after: next.get(&format!("edit-{n}")).cloned() };
            let by = apply_changes_by_paragraph(&paras, &by_para, &[change]);
            let i = paras.partition_point(|p| p.end_cp <= start);
            Some(segments(&doc.index, &paras[i], &by[i]).len())
        }),
    ));
    // The app's autosave after that edit: what changed (one pass) into the journal's JSON.
    let plain = state.plain();
    let known = DocRecord::new(plain.clone());
    let meta = DocMeta::for_document(&doc, &plain, "2026-01-01T00:00:00Z");
    let edited = state
        .apply(Action::Add { id: "saved".into(), start, end, label: Label::Denial, now: "2026-01-01T00:00:01Z".into() })
        .map_err(|e| e.to_string())?;
    out.push((
        "autosave_journal".into(),
        median_ms(runs * 4, || known.edit_delta(&edited.annotations, "2026-01-01T00:00:02Z").to_json(&meta)),
    ));
    out.push(("autosave_journal_bytes".into(), known.edit_delta(&edited.annotations, "2026-01-01T00:00:02Z").to_json(&meta).len() as f64));
    // The whole record, written once the journal passes 256 entries.
    out.push(("autosave_serialise".into(), median_ms(runs * 2, || known.to_json(&meta))));
    out.push(("autosave_bytes".into(), known.to_json(&meta).len() as f64));
    for f in Format::ALL {
        out.push((format!("export_{}", f.id()), median_ms(runs, || formats::export(f, &doc, &plain))));
    }
    Ok(out)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if files.is_empty() {
        eprintln!("usage: plan_bench FILE.annotations.json... [--json]   (files from bench/workload.py)");
        std::process::exit(2);
    }
    let mut all = serde_json::Map::new();
    for f in files {
        match bench_file(f) {
            Ok(rows) => {
                if !json {
                    println!("{f}");
                    for (k, v) in &rows {
                        if k.ends_with("_bytes") {
                            println!("  {k:<22} {v:>12.0}");
                        } else {
                            println!("  {k:<22} {v:>10.2} ms");
                        }
                    }
                }
                let obj: serde_json::Map<String, serde_json::Value> =
                    rows.into_iter().map(|(k, v)| (k, serde_json::json!((v * 100.0).round() / 100.0))).collect();
                all.insert(f.clone(), serde_json::Value::Object(obj));
            }
            Err(e) => {
                eprintln!("{e}");
                all.insert(f.clone(), serde_json::json!({ "error": e }));
            }
        }
    }
    if json {
        println!("{}", serde_json::Value::Object(all));
    }
}
