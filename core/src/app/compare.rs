//! Comparing my annotations with other people's files of the same text
//! ("Compare with…"), and settling the differences.
//!
//! 1. The files are read as imports are ([`import_files`]): each JSON file,
//!    or a brat `.ann` with the `.txt` of the same name, is one person's
//!    work, re-anchored on the open text. Labels we do not have are left
//!    out (and said); nothing of mine changes.
//! 2. A file that cannot be read, is empty, or none of whose annotations
//!    can be placed in this text is refused with its name and why; the
//!    others are compared. Orphans of a file are left out and counted.
//! 3. The figures and differences ([`crate::agreement::compare`]) are of my
//!    annotations against one chosen file (`against`). With two or more
//!    files, every pair (me included) also gets F1 (overlap) and αu.
//! 4. Accepting theirs changes my annotations through the model, one undo
//!    step per button; keeping mine only sets the difference aside. The
//!    comparison is recomputed whenever my annotations change, however
//!    they changed (`Comparing::live`).
//!
//! Everything here works on the comparison ([`Comparing`]) and the inputs
//! it needs (the text, my annotations, the time), passed in; the reducer
//! (`reduce_compare.rs`) puts the results into the app state.

use super::import::import_files;
use super::undo_step::UndoStep;
use crate::agreement::{compare, pairwise, Comparison, DiffKind, Difference, Unit};
use crate::formats::UnknownLabelPolicy;
use crate::model::{shorten, Action, Annotation, Document};
use std::collections::BTreeSet;
use std::rc::Rc;

/// Highlights of theirs in the article carry ids `theirs:{index}`.
pub const THEIRS_PREFIX: &str = "theirs:";

/// One other person's work on this text.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Other {
    /// The file name (brat: the `.ann`'s).
    pub name: String,
    /// Their annotations, anchored on this text.
    pub annotations: Rc<Vec<Annotation>>,
    /// Annotations of the file that could not be placed in this text.
    pub orphans: usize,
}

/// A difference set aside with "Keep mine": my annotation's id (if any),
/// their annotation's index (if any) and the kind.
pub type Kept = (Option<String>, Option<usize>, DiffKind);

/// F1 (overlap) and αu of one pair of annotators.
pub type PairFigures = (Option<f64>, Option<f64>);

/// Files as read: name and bytes.
type Files = Vec<(String, Vec<u8>)>;

/// An open comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparing {
    pub others: Rc<Vec<Other>>,
    /// The file the figures and differences are against.
    pub against: usize,
    /// Mine against `others[against]`; `mine` indices are into `for_list`.
    pub result: Rc<Comparison>,
    /// My annotations `result` was computed for.
    pub for_list: Rc<Vec<Rc<Annotation>>>,
    /// F1 (overlap) and αu of every pair of "Mine" and the files (row, column
    /// in that order); empty with one file.
    pub pairwise: Rc<Vec<Vec<PairFigures>>>,
    /// Differences set aside with "Keep mine".
    pub kept: Rc<BTreeSet<Kept>>,
    /// Indices into `result.differences` not kept, in text order.
    pub remaining: Rc<Vec<usize>>,
    /// The selected difference (an index into `remaining`).
    pub current: Option<usize>,
}

fn units_of<'a>(anns: impl Iterator<Item = &'a Annotation>) -> Vec<Unit> {
    anns.map(|a| Unit::new(a.start, a.end, a.label)).collect()
}

impl Comparing {
    /// The key under which difference `d` is kept.
    pub fn key(&self, d: &Difference) -> Kept {
        (d.mine.map(|i| self.for_list[i].id.clone()), d.theirs, d.kind)
    }

    /// Their annotations the figures are against.
    pub fn theirs(&self) -> &Other {
        &self.others[self.against]
    }

    /// The selected difference, if any.
    pub fn current_difference(&self) -> Option<&Difference> {
        self.current.and_then(|c| self.remaining.get(c)).map(|&i| &self.result.differences[i])
    }

    /// Recomputed for my annotations `mine` (the selection stays at its
    /// place in the list, so settling one moves on to the next).
    fn recomputed(&self, mine: &Rc<Vec<Rc<Annotation>>>, text_len: usize) -> Comparing {
        let theirs = units_of(self.theirs().annotations.iter());
        let result = compare(&units_of(mine.iter().map(|a| &**a)), &theirs, text_len);
        let mut next = Comparing { result: Rc::new(result), for_list: mine.clone(), ..self.clone() };
        next.remaining =
            Rc::new((0..next.result.differences.len()).filter(|&i| !self.kept.contains(&next.key(&next.result.differences[i]))).collect());
        next.current = self.current.filter(|_| !next.remaining.is_empty()).map(|c| c.min(next.remaining.len() - 1));
        next.pairwise = Rc::new(pairwise_table(mine, &self.others, text_len));
        next
    }
}

/// F1 (overlap) and αu of every pair of "Mine" and `others`.
fn pairwise_table(mine: &[Rc<Annotation>], others: &[Other], text_len: usize) -> Vec<Vec<PairFigures>> {
    if others.len() < 2 {
        return Vec::new();
    }
    let all: Vec<Vec<Unit>> =
        std::iter::once(units_of(mine.iter().map(|a| &**a))).chain(others.iter().map(|o| units_of(o.annotations.iter()))).collect();
    let mut table = vec![vec![(Some(1.0), Some(1.0)); all.len()]; all.len()];
    for i in 0..all.len() {
        for j in i + 1..all.len() {
            let cell = pairwise(&all[i], &all[j], text_len);
            table[i][j] = cell;
            table[j][i] = cell;
        }
    }
    table
}

/// Groups chosen files into people: a brat `.ann` with the `.txt` of the
/// same stem, every other file alone (a lone `.txt` is not annotations; a
/// brat `.conf` is left aside).
fn people(files: Files) -> (Vec<Files>, Vec<String>) {
    let stem = |n: &str| n.rsplit_once('.').map_or(n.to_string(), |(s, _)| s.to_string());
    let lower = |n: &str| n.to_ascii_lowercase();
    let txts: Files = files.iter().filter(|(n, _)| lower(n).ends_with(".txt")).cloned().collect();
    let mut groups = Vec::new();
    let mut used_txt = BTreeSet::new();
    // brat's annotation.conf describes labels, it holds no annotations.
    for (name, bytes) in files.into_iter().filter(|(n, _)| !lower(n).ends_with(".txt") && !lower(n).ends_with(".conf")) {
        let mut group = vec![(name.clone(), bytes)];
        if lower(&name).ends_with(".ann") {
            if let Some(t) = txts.iter().find(|(t, _)| stem(t) == stem(&name)).or(if txts.len() == 1 { txts.first() } else { None }) {
                used_txt.insert(t.0.clone());
                group.push(t.clone());
            }
        }
        groups.push(group);
    }
    let lone = txts.into_iter().map(|(n, _)| n).filter(|n| !used_txt.contains(n)).collect();
    (groups, lone)
}

/// Other people's files read for "Compare with…" (rules 1 and 2): the
/// files compared, and a sentence for each one left out.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OthersRead {
    pub others: Vec<Other>,
    pub problems: Vec<String>,
}

/// Reads `files` as other people's work on the text of `doc` (rules 1 and 2).
/// Pure; the app runs it in the module of rare parts (`crate::lazy::import`).
pub fn read_others(files: Vec<(String, Vec<u8>)>, doc: &Document, now: &str) -> OthersRead {
    let (groups, lone) = people(files);
    let mut problems: Vec<String> = lone.iter().map(|n| format!("{n} is a text, not annotations (choose it with its .ann).")).collect();
    let mut others = Vec::new();
    for group in groups {
        let name = group[0].0.clone();
        if group[0].1.iter().all(|b| b.is_ascii_whitespace()) {
            problems.push(format!("{name} is empty: there is nothing to compare."));
            continue;
        }
        match import_files(&group, doc, now, UnknownLabelPolicy::Skip, None) {
            Err(e) => problems.push(format!("Could not read {e}")),
            Ok(imp) if imp.annotations.is_empty() && !imp.orphans.is_empty() => problems.push(format!(
                "None of the {} annotations in {name} could be placed in this text: the file was made for another text.",
                imp.orphans.len()
            )),
            Ok(imp) => {
                let mut notes = Vec::new();
                if !imp.orphans.is_empty() {
                    notes.push(format!("{} could not be placed in this text and are left out", imp.orphans.len()));
                }
                if imp.skipped > 0 || !imp.unknown_labels.is_empty() {
                    let n = imp.skipped.max(imp.unknown_labels.iter().map(|u| u.count).sum());
                    notes.push(format!("{n} with labels we do not have are left out"));
                }
                if !notes.is_empty() {
                    problems.push(format!("{name}: {}.", notes.join("; ")));
                }
                others.push(Other { name, annotations: Rc::new(imp.annotations), orphans: imp.orphans.len() });
            }
        }
    }
    OthersRead { others, problems }
}

/// A comparison just opened, and what to tell about it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Opening {
    pub comparing: Comparing,
    /// The summary and the files' problems, shown.
    pub info: String,
    /// The summary, announced.
    pub announce: String,
}

/// A difference selected: where to scroll and what to select.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Selected {
    pub comparing: Comparing,
    /// The id of my annotation, or `theirs:{index}` for theirs alone.
    pub scroll_to: String,
    /// My annotation of the difference, if any.
    pub select: Option<String>,
    pub announce: String,
}

impl Comparing {
    /// "Compare with…": compares my annotations `mine` with other people's
    /// files, read by [`read_others`]; or the notice why there is nothing to compare.
    pub(super) fn open(read: OthersRead, doc: &Document, mine: &Rc<Vec<Rc<Annotation>>>) -> Result<Opening, String> {
        let OthersRead { others, problems } = read;
        if others.is_empty() {
            let why = if problems.is_empty() { "No file was chosen.".to_string() } else { problems.join(" ") };
            return Err(format!("Nothing to compare. {why} My annotations are unchanged."));
        }
        let n = others.len();
        let empty = Comparing {
            others: Rc::new(others),
            against: 0,
            result: Rc::new(compare(&[], &[], 0)),
            for_list: Rc::new(Vec::new()),
            pairwise: Rc::new(Vec::new()),
            kept: Rc::new(BTreeSet::new()),
            remaining: Rc::new(Vec::new()),
            current: None,
        };
        let c = empty.recomputed(mine, doc.index.len_cp());
        let d = c.remaining.len();
        let summary = format!(
            "Comparing with {}{}: {d} {}.",
            c.theirs().name,
            if n > 1 { format!(" (and {} more)", n - 1) } else { String::new() },
            if d == 1 { "difference" } else { "differences" }
        );
        let info = if problems.is_empty() { summary.clone() } else { format!("{summary} {}", problems.join(" ")) };
        Ok(Opening { comparing: c, info, announce: summary })
    }

    /// This comparison in step with my annotations `mine` (of a text of
    /// `text_len` code points); `None` when it already is.
    pub(super) fn live(&self, mine: &Rc<Vec<Rc<Annotation>>>, text_len: usize) -> Option<Comparing> {
        (!Rc::ptr_eq(&self.for_list, mine)).then(|| self.recomputed(mine, text_len))
    }

    /// The differences against `others[i]` (none kept yet), and what is
    /// announced; `None` for no other file.
    pub(super) fn against_file(&self, i: usize, mine: &Rc<Vec<Rc<Annotation>>>, text_len: usize) -> Option<(Comparing, String)> {
        if i >= self.others.len() || i == self.against {
            return None;
        }
        let fresh = Comparing { against: i, kept: Rc::new(BTreeSet::new()), current: None, ..self.clone() }.recomputed(mine, text_len);
        let announce = format!("Differences against {}: {}", fresh.theirs().name, fresh.remaining.len());
        Some((fresh, announce))
    }

    /// Selects difference `i` of the remaining ones (to scroll into view).
    pub(super) fn select(&self, i: usize) -> Option<Selected> {
        let d = &self.result.differences[*self.remaining.get(i)?];
        let scroll_to = match d.mine {
            Some(m) => self.for_list[m].id.clone(),
            None => format!("{THEIRS_PREFIX}{}", d.theirs.unwrap_or_default()),
        };
        let announce = format!("Difference {} of {}: {}", i + 1, self.remaining.len(), describe_difference(self, d));
        let select = d.mine.map(|m| self.for_list[m].id.clone());
        Some(Selected { comparing: Comparing { current: Some(i), ..self.clone() }, scroll_to, select, announce })
    }

    /// `j`/`k`: the index (into the remaining ones) of the next or previous
    /// difference (wrapping); or the notice that none is left.
    pub(super) fn step(&self, dir: i32) -> Result<usize, String> {
        let n = self.remaining.len();
        if n == 0 {
            return Err("There are no differences left.".into());
        }
        Ok(match self.current {
            None if dir >= 0 => 0,
            None => n - 1,
            Some(i) => (i as i64 + dir as i64).rem_euclid(n as i64) as usize,
        })
    }

    /// "Keep mine": difference `i` of the remaining ones set aside, and the
    /// message saying so.
    pub(super) fn keep_mine(&self, i: usize) -> Option<(Comparing, String)> {
        let k = *self.remaining.get(i)?;
        let d = &self.result.differences[k];
        let mut kept = (*self.kept).clone();
        kept.insert(self.key(d));
        let remaining: Vec<usize> = self.remaining.iter().copied().filter(|&r| r != k).collect();
        let current = (!remaining.is_empty()).then(|| i.min(remaining.len() - 1));
        let next = Comparing { kept: Rc::new(kept), remaining: Rc::new(remaining), current, ..self.clone() };
        Some((next, format!("Kept mine: {}.", describe_difference(self, d))))
    }

    /// "Accept theirs" on difference `i` of the remaining ones: one undo
    /// step changing my annotations `mine`.
    pub(super) fn accept_theirs(&self, i: usize, mine: &[Rc<Annotation>], new_id: &str, now: &str) -> Option<UndoStep> {
        let d = self.result.differences[*self.remaining.get(i)?];
        let (upserts, deletes) = self.settlement(mine, std::slice::from_ref(&d), new_id, now);
        let what = describe_difference(self, &d);
        Some(UndoStep {
            action: Action::Settle { upserts, deletes },
            description: format!("Accept theirs: {what}"),
            announce: format!("Accepted theirs: {what}"),
            info: Some(format!("Accepted theirs: {what}.")),
        })
    }

    /// "Accept all theirs" for one kind of difference: one undo step
    /// changing my annotations `mine` (new annotations get ids
    /// `{id_prefix}-{n}`); or the notice that none of that kind is left.
    pub(super) fn accept_all(&self, kind: DiffKind, mine: &[Rc<Annotation>], id_prefix: &str, now: &str) -> Result<UndoStep, String> {
        let ds: Vec<Difference> = self.remaining.iter().map(|&k| self.result.differences[k]).filter(|d| d.kind == kind).collect();
        if ds.is_empty() {
            return Err(format!("There are no differences of the kind “{}” left.", kind_name(kind)));
        }
        let (upserts, deletes) = self.settlement(mine, &ds, id_prefix, now);
        let n = ds.len();
        let what = format!("Accept all theirs: {n} × {}", kind_name(kind));
        Ok(UndoStep {
            action: Action::Settle { upserts, deletes },
            announce: format!("{what} done"),
            description: what,
            info: Some(format!("Accepted theirs for {n} {}.", if n == 1 { "difference" } else { "differences" })),
        })
    }

    /// What accepting theirs for `ds` changes in my annotations `mine`:
    /// annotations to add or update, ids to delete.
    fn settlement(&self, mine: &[Rc<Annotation>], ds: &[Difference], id_prefix: &str, now: &str) -> (Vec<Annotation>, Vec<String>) {
        let theirs = &self.theirs().annotations;
        let used: BTreeSet<&str> = mine.iter().map(|a| a.id.as_str()).collect();
        let mut ids =
            (0..).map(|k| if k == 0 { id_prefix.to_string() } else { format!("{id_prefix}-{k}") }).filter(|id| !used.contains(id.as_str()));
        let (mut upserts, mut deletes) = (Vec::new(), Vec::new());
        for d in ds {
            match (d.mine.map(|m| &self.for_list[m]), d.theirs.map(|t| &theirs[t])) {
                (Some(m), None) => deletes.push(m.id.clone()),
                (None, Some(t)) => {
                    let mut a = Annotation::new(&ids.next().unwrap_or_default(), t.start, t.end, &t.quote, t.label, now);
                    (a.note, a.speaker, a.verdict) = (t.note.clone(), t.speaker.clone(), t.verdict.clone());
                    upserts.push(a);
                }
                // Another of mine already is their span: mine goes, never a second copy.
                (Some(m), Some(t)) if mine.iter().any(|o| o.id != m.id && (o.start, o.end, o.label) == (t.start, t.end, t.label)) => {
                    deletes.push(m.id.clone())
                }
                (Some(m), Some(t)) => {
                    let mut a = (**m).clone();
                    (a.start, a.end, a.quote, a.label, a.modified) = (t.start, t.end, t.quote.clone(), t.label, now.to_string());
                    upserts.push(a);
                }
                (None, None) => {}
            }
        }
        (upserts, deletes)
    }
}

/// The name of a kind of difference, as the list and the CSV say it.
pub fn kind_name(kind: DiffKind) -> &'static str {
    match kind {
        DiffKind::OnlyMine => "only mine",
        DiffKind::OnlyTheirs => "only theirs",
        DiffKind::Boundaries => "boundaries differ",
        DiffKind::Label => "label differs",
    }
}

/// One line for a difference: its kind and both sides' label and quote.
pub fn describe_difference(c: &Comparing, d: &Difference) -> String {
    let side = |a: Option<&Annotation>| a.map(|a| format!("{} “{}”", a.label, shorten(&a.quote, 60)));
    let mine = side(d.mine.map(|m| &*c.for_list[m]));
    let theirs = side(d.theirs.map(|t| &c.theirs().annotations[t]));
    match (mine, theirs) {
        (Some(m), Some(t)) => format!("{}: mine {m}, theirs {t}", kind_name(d.kind)),
        (Some(m), None) => format!("{}: {m}", kind_name(d.kind)),
        (None, Some(t)) => format!("{}: {t}", kind_name(d.kind)),
        (None, None) => kind_name(d.kind).to_string(),
    }
}
