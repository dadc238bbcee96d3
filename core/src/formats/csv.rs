//! CSV export (`<name>.annotations.csv`), for spreadsheets and scripts.
//!
//! * Header `id,label,start,end,quote,note,created,speaker,verdict,links`;
//!   one row per annotation. `links` lists the links that start at the
//!   annotation as `type:otherId`, separated by spaces (`denies:a1 supports:a7`);
//!   ids never contain spaces in this app's own files (they are generated).
//!   The new columns come last, so scripts reading columns by position still work.
//! * `start`/`end` are **code points**, end exclusive (Python's `text[start:end]`).
//! * RFC 4180: fields are separated by commas and rows end with CRLF; a field
//!   containing a comma, a double quote, CR or LF is enclosed in double quotes
//!   with its double quotes doubled. Fields with leading or trailing spaces or
//!   tabs are quoted too, so no reader trims them.
//! * **UTF-8 with a byte-order mark** (U+FEFF first): without it Excel opens
//!   a `.csv` in the legacy code page and garbles every non-ASCII character;
//!   Python reads it cleanly with `encoding="utf-8-sig"`, LibreOffice and
//!   Google Sheets ignore it.
//! * Cells are written exactly as the text has them: a quote that begins with
//!   `=`, `+`, `-` or `@` is not escaped against spreadsheet formulas, because
//!   changing it would break `text[start:end] == quote`.
//!
//! CSV is export-only: it cannot be imported back.

use crate::model::Annotation;

/// MIME type of the export.
pub const MIME: &str = "text/csv;charset=utf-8";
/// The header row (without line ending).
pub const HEADER: &str = "id,label,start,end,quote,note,created,speaker,verdict,links";

/// One field, quoted when RFC 4180 requires it (or when it has edge whitespace).
pub fn field(s: &str) -> String {
    let needs = s.contains([',', '"', '\r', '\n']) || s.starts_with([' ', '\t']) || s.ends_with([' ', '\t']);
    if needs {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The CSV file: BOM, header, one CRLF-terminated row per annotation, in the
/// given order; labels lower-case (`claim`, `denial`, `statistic`).
pub fn export(annotations: &[Annotation]) -> String {
    let mut out = String::from('\u{feff}');
    out.push_str(HEADER);
    out.push_str("\r\n");
    for a in annotations {
        let row = [
            field(&a.id),
            a.label.as_str().to_string(),
            a.start.to_string(),
            a.end.to_string(),
            field(&a.quote),
            field(&a.note),
            field(&a.created),
            field(&a.speaker),
            field(&a.verdict),
            field(&a.links.iter().map(|l| format!("{}:{}", l.kind, l.to)).collect::<Vec<_>>().join(" ")),
        ];
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}
