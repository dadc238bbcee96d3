//! Compares two files of units for the scikit-learn cross-check
//! (`tests/crosscheck/test_agreement_sklearn.py`).
//!
//! `cargo run -q -p annotator-core --example agreement_pairs -- MINE.json THEIRS.json TEXT_LEN`
//!
//! Each file is a JSON array `[{"start": 0, "end": 5, "label": "claim"}, …]`.
//! Prints one JSON object: the labels of the matched pairs (`y_mine`,
//! `y_theirs`, aligned), the labels of the unmatched units (`only_mine`,
//! `only_theirs`), and the overall `figures` (with their `counts`).

use annotator_core::agreement::{compare, DiffKind, Unit};
use serde_json::json;
use std::process::ExitCode;

fn read(path: &str) -> Result<Vec<Unit>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))
}

fn run(args: &[String]) -> Result<String, String> {
    let [mine, theirs, len] = args else {
        return Err("usage: agreement_pairs MINE.json THEIRS.json TEXT_LEN".into());
    };
    let (mine, theirs) = (read(mine)?, read(theirs)?);
    let len: usize = len.parse().map_err(|e| format!("TEXT_LEN: {e}"))?;
    let c = compare(&mine, &theirs, len);
    let label = |u: &Unit| u.label.as_str();
    let only = |kind: DiffKind| -> Vec<&str> {
        c.differences
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| match (d.mine, d.theirs) {
                (Some(i), _) => label(&mine[i]),
                (None, Some(j)) => label(&theirs[j]),
                (None, None) => unreachable!("a difference has at least one side"),
            })
            .collect()
    };
    let out = json!({
        "y_mine": c.pairs.iter().map(|&(i, _)| label(&mine[i])).collect::<Vec<_>>(),
        "y_theirs": c.pairs.iter().map(|&(_, j)| label(&theirs[j])).collect::<Vec<_>>(),
        "only_mine": only(DiffKind::OnlyMine),
        "only_theirs": only(DiffKind::OnlyTheirs),
        "figures": c.overall,
    });
    Ok(out.to_string())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(s) => {
            println!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
