//! "Export agreement": the figures of an open comparison as CSV.
//!
//! One header; first a row per label (`row` = `all`, then `claim`,
//! `denial`, `statistic`) with the counts and figures, then a row per
//! remaining difference (`row` = `difference`) with its kind, span and both
//! sides. Undefined figures are empty; figures have four decimals. The file
//! starts with a BOM and uses CRLF, like the annotation CSV.

use super::compare::{kind_name, Comparing};
use crate::agreement::Figures;
use crate::formats::csv::field;

/// The header row (without line ending).
pub const HEADER: &str = "row,label,mine,theirs,exact,overlap,only_mine,only_theirs,label_differs,\
precision_exact,recall_exact,f1_exact,precision_overlap,recall_overlap,f1_overlap,kappa,alpha_u,\
kind,start,end,mine_label,mine_quote,theirs_label,theirs_quote";

fn num(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.4}")).unwrap_or_default()
}

fn figure_row(label: &str, f: &Figures) -> Vec<String> {
    let c = &f.counts;
    let mut row = vec!["figures".to_string(), label.to_string()];
    row.extend([c.mine_total, c.theirs_total, c.exact, c.overlap, c.only_mine, c.only_theirs, c.label_differs].map(|n| n.to_string()));
    row.extend(
        [f.precision_exact, f.recall_exact, f.f1_exact, f.precision_overlap, f.recall_overlap, f.f1_overlap, f.kappa, f.alpha_u].map(num),
    );
    row.extend(std::iter::repeat_n(String::new(), 7));
    row
}

/// The agreement CSV of `c`.
pub fn agreement_csv(c: &Comparing) -> String {
    let mut rows: Vec<Vec<String>> = vec![figure_row("all", &c.result.overall)];
    rows.extend(c.result.per_label.iter().map(|(l, f)| figure_row(l.as_str(), f)));
    let theirs = &c.theirs().annotations;
    for &k in c.remaining.iter() {
        let d = &c.result.differences[k];
        let mine = d.mine.map(|m| &*c.for_list[m]);
        let other = d.theirs.map(|t| &theirs[t]);
        let mut row = vec!["difference".to_string()];
        row.extend(std::iter::repeat_n(String::new(), 16));
        row.extend([
            kind_name(d.kind).to_string(),
            d.start.to_string(),
            d.end.to_string(),
            mine.map(|a| a.label.as_str().to_string()).unwrap_or_default(),
            field(mine.map(|a| a.quote.as_str()).unwrap_or_default()),
            other.map(|a| a.label.as_str().to_string()).unwrap_or_default(),
            field(other.map(|a| a.quote.as_str()).unwrap_or_default()),
        ]);
        rows.push(row);
    }
    let mut out = String::from('\u{feff}');
    out.push_str(HEADER);
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}
