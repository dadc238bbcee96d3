//! brat standoff: a `.ann` file beside the `.txt` it annotates.
//!
//! ```text
//! T1<TAB>Claim 10 25<TAB>covered text
//! #1<TAB>AnnotatorNotes T1<TAB>the note
//! T2<TAB>Statistic 40 45;46 52<TAB>first second
//! ```
//! Offsets are **code points** of the `.txt` (as brat's Python reads it),
//! end exclusive. The `.txt` is the raw text exactly as loaded.
//!
//! A span whose text contains line breaks is written, as brat itself does,
//! as discontinuous fragments split at each run of line breaks, and the
//! covered text is the fragments' texts joined by a space, so every line stays
//! one line. Line breaks at the very start or end of a span (which the
//! annotator's own selections never have) stay inside the first/last
//! fragment and are written as spaces in the covered text; notes have their
//! line breaks written as spaces (the one thing that does not round-trip).
//!
//! Import reads `T` lines (continuous or discontinuous: the annotation spans
//! the first fragment's start to the last fragment's end, and every fragment
//! is checked against the text), `#… AnnotatorNotes` and `#… Speaker`
//! comments, and the lines of [`super::brat_extras`]: relations (links),
//! attributes (the verdict), equivalences (repeats); events and
//! normalisations are skipped with a count. A line of no brat kind is
//! refused with its number.

use super::annotation_json::{MAX_ANNOTATIONS, MAX_NOTE_CP};
use super::brat_extras::{self, Extras};
use super::json_fields::{field, ImportError};
use super::native::MAX_FILE_BYTES;
use super::parsed::{ImportOptions, LabelResolver, Parsed};
use crate::anchor::{Candidate, CONTEXT_CP};
use crate::model::{doc_id_for, shorten, Annotation, Document};
use crate::text::text_index::TextIndex;
use std::collections::{HashMap, HashSet};

/// Whether `c` breaks a line for brat's (Python's) line reading: the
/// characters `str.splitlines` splits at.
pub fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn breaks_to_spaces(s: &str) -> String {
    s.chars().map(|c| if is_line_break(c) { ' ' } else { c }).collect()
}

/// The `.txt` to download with the `.ann`: the raw text, exactly.
pub fn export_txt(doc: &Document) -> String {
    doc.text().to_string()
}

/// The fragments `[start, end)` (code points) brat gets for an annotation
/// starting at `start` with text `quote`: split at each interior run of line
/// breaks.
pub fn fragments(start: usize, quote: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = quote.chars().collect();
    let n = chars.len();
    // Interior: between the first and the last non-break code point.
    let (Some(first), Some(last)) = (chars.iter().position(|c| !is_line_break(*c)), chars.iter().rposition(|c| !is_line_break(*c))) else {
        return vec![(start, start + n)];
    };
    let mut out = Vec::new();
    let mut frag_start = 0;
    let mut i = first;
    while i <= last {
        if is_line_break(chars[i]) {
            let run_end = (i..=last).find(|&j| !is_line_break(chars[j])).unwrap_or(last + 1);
            out.push((start + frag_start, start + i));
            frag_start = run_end;
            i = run_end;
        } else {
            i += 1;
        }
    }
    out.push((start + frag_start, start + n));
    out
}

/// The `.ann` for `annotations`: one `T` line each (numbered from 1 in the
/// given order) followed by its `#` AnnotatorNotes line when it has a note.
/// Lines end with `\n`.
pub fn export_ann(annotations: &[Annotation]) -> String {
    let mut out = String::new();
    let mut note_no = 0;
    let mut tid_of: HashMap<&str, String> = HashMap::with_capacity(annotations.len());
    for (i, a) in annotations.iter().enumerate() {
        let tid = format!("T{}", i + 1);
        tid_of.insert(a.id.as_str(), tid.clone());
        let frags = fragments(a.start, &a.quote);
        let offsets: Vec<String> = frags.iter().map(|(s, e)| format!("{s} {e}")).collect();
        let quote: Vec<char> = a.quote.chars().collect();
        let texts: Vec<String> =
            frags.iter().map(|(s, e)| breaks_to_spaces(&quote[s - a.start..e - a.start].iter().collect::<String>())).collect();
        out.push_str(&format!("{tid}\t{} {}\t{}\n", a.label.display(), offsets.join(";"), texts.join(" ")));
        if !a.note.is_empty() {
            note_no += 1;
            out.push_str(&format!("#{note_no}\tAnnotatorNotes {tid}\t{}\n", breaks_to_spaces(&a.note)));
        }
    }
    out.push_str(&brat_extras::export_lines(annotations, &tid_of, note_no));
    out
}

/// Whether a line looks like brat standoff (`T12<TAB>` or `#3<TAB>`), for format detection.
pub fn is_brat_line(line: &str) -> bool {
    let mut chars = line.chars();
    if !matches!(chars.next(), Some('T') | Some('#')) {
        return false;
    }
    let rest = chars.as_str();
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && rest[digits..].starts_with('\t')
}

struct TLine {
    line: usize,
    tid: String,
    label: crate::model::Label,
    frags: Vec<(usize, usize)>,
    covered: Option<String>,
}

fn at(line: usize) -> String {
    format!("line {line}")
}

fn parse_offset(tok: &str, line: usize) -> Result<usize, ImportError> {
    if tok.starts_with('-') {
        return Err(field(at(line), format!("the offset “{}” is negative", shorten(tok, 20))));
    }
    tok.parse::<usize>().map_err(|_| field(at(line), format!("the offset “{}” is not a whole number", shorten(tok, 20))))
}

/// Validates a `.ann` and turns its `T` lines into candidates. Covered texts
/// are checked against `original_txt` when given (a mismatch is an error: the
/// two files do not belong together; its text also gives each quote's
/// context); otherwise against the current text `index` (a mismatch means the
/// text changed: the annotation is re-anchored from its covered text).
pub fn parse(ann: &[u8], original_txt: Option<&str>, index: &TextIndex, opts: &ImportOptions) -> Result<Parsed, ImportError> {
    if ann.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge { bytes: ann.len(), max: MAX_FILE_BYTES });
    }
    let text = std::str::from_utf8(ann).map_err(|e| {
        let line = ann[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        field(at(line), "is not UTF-8 text")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let own;
    let reference: &TextIndex = match original_txt {
        Some(t) => {
            own = TextIndex::new(t);
            &own
        }
        None => index,
    };

    let mut labels = LabelResolver::new(&opts.unknown_label);
    let mut warnings = Vec::new();
    let mut tlines: Vec<TLine> = Vec::new();
    let mut tids: HashSet<String> = HashSet::new();
    let mut skipped_tids: HashSet<String> = HashSet::new();
    let mut notes: Vec<(usize, String, String)> = Vec::new();
    let mut extras = Extras::default();

    for (i, raw) in text.split('\n').enumerate() {
        let n = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        let first = line.chars().next().unwrap_or(' ');
        match first {
            'T' => {
                let mut parts = line.splitn(3, '\t');
                let tid = parts.next().unwrap_or("").to_string();
                if tid.len() < 2 || !tid[1..].chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return Err(field(at(n), format!("“{}” is not a text-bound annotation id (expected T1, T2, …)", shorten(&tid, 20))));
                }
                let mid = parts.next().ok_or_else(|| field(at(n), "expected “T1<TAB>Label start end<TAB>covered text”"))?;
                let covered = parts.next().map(str::to_string);
                let (ty, offs) = mid
                    .trim()
                    .split_once(' ')
                    .ok_or_else(|| field(at(n), format!("expected “Label start end” after {tid}, found “{}”", shorten(mid, 40))))?;
                let mut frags = Vec::new();
                for frag in offs.split(';') {
                    let toks: Vec<&str> = frag.split_whitespace().collect();
                    if toks.len() != 2 {
                        return Err(field(at(n), format!("the fragment “{}” must be two offsets “start end”", shorten(frag.trim(), 30))));
                    }
                    let (s, e) = (parse_offset(toks[0], n)?, parse_offset(toks[1], n)?);
                    if s >= e {
                        return Err(field(at(n), format!("the fragment {s} {e} is reversed or empty (start must be less than end)")));
                    }
                    frags.push((s, e));
                }
                if !tids.insert(tid.clone()) {
                    return Err(field(at(n), format!("the id {tid} is used twice")));
                }
                if tlines.len() >= MAX_ANNOTATIONS {
                    return Err(field(at(n), format!("more than {MAX_ANNOTATIONS} annotations")));
                }
                match labels.resolve(Some(ty), &at(n))? {
                    Some(label) => tlines.push(TLine { line: n, tid, label, frags, covered }),
                    None => {
                        skipped_tids.insert(tid);
                    }
                }
            }
            '#' => {
                let mut parts = line.splitn(3, '\t');
                let _nid = parts.next();
                let mid = parts.next().unwrap_or("");
                let (kind, target) = mid.trim().split_once(' ').unwrap_or((mid.trim(), ""));
                let text = parts.next().unwrap_or("").to_string();
                match kind {
                    "AnnotatorNotes" => notes.push((n, target.trim().to_string(), text)),
                    "Speaker" => extras.speakers.push((n, target.trim().to_string(), text)),
                    _ => extras.skipped.push(format!("“{}” comment", shorten(kind, 30))),
                }
            }
            _ if extras.read(n, line)? => {}
            _ => {
                return Err(field(
                    at(n),
                    format!(
                        "“{}” is not a brat standoff line (expected “T1<TAB>Claim 10 25<TAB>text” or “#1<TAB>AnnotatorNotes T1<TAB>note”)",
                        shorten(line, 40)
                    ),
                ))
            }
        }
    }

    // Attach notes.
    let mut note_of: HashMap<String, String> = HashMap::new();
    for (n, target, note) in notes {
        if tids.contains(&target) && !skipped_tids.contains(&target) {
            let entry = note_of.entry(target).or_default();
            if !entry.is_empty() {
                entry.push('\n');
            }
            entry.push_str(&note);
            if entry.chars().count() > MAX_NOTE_CP {
                return Err(field(at(n), format!("the note is longer than {MAX_NOTE_CP} characters")));
            }
        } else if skipped_tids.contains(&target) {
            continue;
        } else if target.starts_with(['R', 'E', 'A', 'M', 'N']) {
            // A note on a relation, event, attribute or normalisation: not kept.
            extras.skipped.push("note on a relation, event or attribute".into());
        } else {
            return Err(field(
                at(n),
                format!("the note is for “{}”, which is not a text-bound annotation of this file", shorten(&target, 20)),
            ));
        }
    }

    let len = reference.len_cp();
    let mut candidates = Vec::with_capacity(tlines.len());
    let mut index_of: HashMap<String, usize> = HashMap::new();
    for t in tlines {
        let start = t.frags.iter().map(|f| f.0).min().unwrap_or(0);
        let end = t.frags.iter().map(|f| f.1).max().unwrap_or(0);
        let in_range = end <= len;
        let actual: Option<String> = in_range.then(|| {
            let pieces: Vec<String> = t.frags.iter().map(|&(s, e)| breaks_to_spaces(reference.slice_cp(s, e).unwrap_or(""))).collect();
            pieces.join(" ")
        });
        let matches = match (&actual, &t.covered) {
            (Some(a), Some(c)) => a == c,
            (Some(_), None) => true,
            (None, _) => false,
        };
        let where_ = format!("{} ({})", at(t.line), t.tid);
        let (quote, prefix, suffix) = if matches {
            if t.frags.len() > 1 {
                let gaps_are_breaks =
                    t.frags.windows(2).all(|w| reference.slice_cp(w[0].1.min(w[1].0), w[1].0).unwrap_or("").chars().all(is_line_break));
                if !gaps_are_breaks {
                    warnings.push(format!("{where_}: a discontinuous span was imported as the whole range {start}..{end}"));
                }
            }
            let q = reference.slice_cp(start, end).unwrap_or("").to_string();
            let (p, s) = if original_txt.is_some() {
                (reference.prefix_cp(start, CONTEXT_CP).to_string(), reference.suffix_cp(end, CONTEXT_CP).to_string())
            } else {
                (String::new(), String::new())
            };
            (q, p, s)
        } else if original_txt.is_some() {
            return Err(match actual {
                None => field(where_, format!("the offsets {start}..{end} are past the end of the .txt ({len} characters)")),
                Some(a) => field(
                    where_,
                    format!(
                        "the covered text “{}” does not match the .txt at {start}..{end} (“{}”)",
                        shorten(t.covered.as_deref().unwrap_or(""), 40),
                        shorten(&a, 40)
                    ),
                ),
            });
        } else {
            (guess_quote(t.covered.as_deref().unwrap_or(""), &t.frags), String::new(), String::new())
        };
        let id = format!("brat-{}-{}", t.tid, &doc_id_for(&format!("{}|{start}|{end}|{quote}", t.label.as_str()))[..8]);
        index_of.insert(t.tid.clone(), candidates.len());
        candidates.push(Candidate {
            id,
            label: t.label,
            note: note_of.remove(&t.tid).unwrap_or_default(),
            speaker: String::new(),
            verdict: String::new(),
            links: Vec::new(),
            created: opts.now.clone(),
            modified: opts.now.clone(),
            quote,
            prefix,
            suffix,
            start_hint: Some(start),
            end_hint: Some(end),
        });
    }
    let unknown_relations =
        extras.apply(&mut candidates, &index_of, |t| skipped_tids.contains(t), opts.relation_map.as_deref(), &mut warnings)?;
    Ok(Parsed { candidates, unknown_labels: labels.unknown, skipped: labels.skipped, warnings, unknown_relations })
}

/// The quote of a span whose covered text no longer matches the text: the
/// fragments' texts cut from `covered` by their lengths, with the gaps between
/// them filled by the likeliest line break (`\r\n` for a gap of two, `\n`
/// otherwise). Falls back to `covered` when the lengths do not fit.
fn guess_quote(covered: &str, frags: &[(usize, usize)]) -> String {
    if frags.len() < 2 {
        return covered.to_string();
    }
    let chars: Vec<char> = covered.chars().collect();
    let need: usize = frags.iter().map(|f| f.1 - f.0).sum::<usize>() + frags.len() - 1;
    if need != chars.len() {
        return covered.to_string();
    }
    let mut out = String::new();
    let mut at = 0;
    for (i, f) in frags.iter().enumerate() {
        if i > 0 {
            let gap = f.0.saturating_sub(frags[i - 1].1);
            out.push_str(&if gap == 2 { "\r\n".to_string() } else { "\n".repeat(gap.max(1)) });
            at += 1; // the joining space
        }
        let l = f.1 - f.0;
        out.extend(&chars[at..at + l]);
        at += l;
    }
    out
}
