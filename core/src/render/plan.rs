//! The render plan: the text cut into paragraphs, each paragraph cut into
//! segments at every annotation boundary. A segment lists the annotations
//! covering it, so overlaps render as stacked styles.

use crate::model::{Annotation, Label};
use crate::text::text_index::TextIndex;
use std::rc::Rc;

/// A paragraph: a run of text up to and including the line break(s) after it.
/// Offsets in code points (`*_cp`) and UTF-16 units (`*_utf16`), half-open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    pub start_cp: usize,
    pub end_cp: usize,
    pub start_utf16: usize,
    pub end_utf16: usize,
}

/// Splits the text into paragraphs after each run of line breaks (`\n`,
/// `\r\n`, `\r`). Concatenating every paragraph gives the text back exactly.
pub fn paragraphs(index: &TextIndex) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let (mut start_cp, mut start_u16) = (0usize, 0usize);
    let (mut cp, mut u16) = (0usize, 0usize);
    let mut in_break = false;
    for ch in index.text().chars() {
        let is_break = ch == '\n' || ch == '\r';
        if in_break && !is_break {
            out.push(Paragraph { start_cp, end_cp: cp, start_utf16: start_u16, end_utf16: u16 });
            start_cp = cp;
            start_u16 = u16;
        }
        in_break = is_break;
        cp += 1;
        u16 += ch.len_utf16();
    }
    if cp > start_cp || out.is_empty() {
        out.push(Paragraph { start_cp, end_cp: cp, start_utf16: start_u16, end_utf16: u16 });
    }
    out
}

/// The part of an annotation a paragraph needs to draw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnRef {
    pub id: Rc<str>,
    pub start: usize,
    pub end: usize,
    pub label: Label,
}

/// For each paragraph, the annotations that touch it (in text order).
/// Cost: O(n log p + total touches).
pub fn annotations_by_paragraph<A: std::borrow::Borrow<Annotation>>(paras: &[Paragraph], anns: &[A]) -> Vec<Vec<AnnRef>> {
    refs_by_paragraph(
        paras,
        anns.iter().map(|a| a.borrow()).map(|a| AnnRef { id: Rc::from(a.id.as_str()), start: a.start, end: a.end, label: a.label }),
    )
}

/// [`annotations_by_paragraph`] for spans already made into [`AnnRef`]s
/// (e.g. another annotator's, under ids of their own).
pub fn refs_by_paragraph(paras: &[Paragraph], refs: impl IntoIterator<Item = AnnRef>) -> Vec<Vec<AnnRef>> {
    let mut out: Vec<Vec<AnnRef>> = vec![Vec::new(); paras.len()];
    for r in refs {
        let a = &r;
        // first paragraph whose end is past a.start
        let mut i = paras.partition_point(|p| p.end_cp <= a.start);
        while i < paras.len() && paras[i].start_cp < a.end {
            out[i].push(r.clone());
            i += 1;
        }
    }
    out
}

/// [`annotations_by_paragraph`] for `new`, given `prev`, its result for
/// `old` (both lists in text order): only the paragraphs the changed
/// annotations touch (before or after the change) get a new list; every
/// other paragraph keeps its `Rc`, so its component is not re-rendered.
/// Costs one comparison pass over the lists plus the touched paragraphs.
/// `None` when more than `max_changes` annotations changed (rebuild instead).
pub fn update_by_paragraph<A: std::borrow::Borrow<Annotation>, B: std::borrow::Borrow<Annotation>>(
    paras: &[Paragraph],
    prev: &[Rc<Vec<AnnRef>>],
    old: &[A],
    new: &[B],
    max_changes: usize,
) -> Option<Vec<Rc<Vec<AnnRef>>>> {
    if prev.len() != paras.len() {
        return None;
    }
    let changes = crate::history::diff(old, new);
    if changes.len() > max_changes {
        return None;
    }
    Some(apply_changes_by_paragraph(paras, prev, &changes))
}

/// [`update_by_paragraph`] when the changes are already known (e.g. the
/// undo step the edit just recorded): no pass over the annotation lists.
/// `prev.len()` must equal `paras.len()`.
pub fn apply_changes_by_paragraph(
    paras: &[Paragraph],
    prev: &[Rc<Vec<AnnRef>>],
    changes: &[crate::history::Change],
) -> Vec<Rc<Vec<AnnRef>>> {
    let touched = |a: &Annotation| {
        let first = paras.partition_point(|p| p.end_cp <= a.start);
        let last = paras.partition_point(|p| p.start_cp < a.end);
        first..last.max(first)
    };
    let mut affected: Vec<usize> = Vec::new();
    let mut changed: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for c in changes {
        for a in c.before.iter().chain(c.after.iter()) {
            affected.extend(touched(a));
            changed.insert(a.id.as_str());
        }
    }
    crate::text::sorting::sort(&mut affected);
    affected.dedup();
    let mut out = prev.to_vec();
    for p in affected {
        let mut list: Vec<AnnRef> = out[p].iter().filter(|r| !changed.contains(&*r.id)).cloned().collect();
        for a in changes.iter().filter_map(|c| c.after.as_ref()) {
            if touched(a).contains(&p) {
                list.push(AnnRef { id: Rc::from(a.id.as_str()), start: a.start, end: a.end, label: a.label });
            }
        }
        crate::text::sorting::sort_by(&mut list, |x, y| x.start.cmp(&y.start).then(y.end.cmp(&x.end)).then_with(|| x.id.cmp(&y.id)));
        out[p] = Rc::new(list);
    }
    out
}

/// A run of text with one constant set of covering annotations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub start_cp: usize,
    pub end_cp: usize,
    /// UTF-16 offset of the segment's start in the whole document.
    pub start_utf16: usize,
    /// UTF-8 byte range of the segment within the whole text.
    pub utf8: (usize, usize),
    /// Indices into the paragraph's annotation list, outermost (longest) first.
    pub covering: Vec<usize>,
}

/// The annotations of `anns` (indices) covering code point `cp` of paragraph
/// `para`, outermost first: the `covering` of the segment that holds `cp`,
/// i.e. what a click on that segment's highlight selects. Empty when `cp` is
/// outside the paragraph or in no annotation.
pub fn covering_at(index: &TextIndex, para: &Paragraph, anns: &[AnnRef], cp: usize) -> Vec<usize> {
    segments(index, para, anns).into_iter().find(|s| s.start_cp <= cp && cp < s.end_cp).map(|s| s.covering).unwrap_or_default()
}

/// Cuts paragraph `para` into segments at each boundary of `anns` (the
/// annotations touching it). Empty segments are never produced.
pub fn segments(index: &TextIndex, para: &Paragraph, anns: &[AnnRef]) -> Vec<Segment> {
    let mut cuts: Vec<usize> = Vec::with_capacity(anns.len() * 2 + 2);
    cuts.push(para.start_cp);
    cuts.push(para.end_cp);
    for a in anns {
        cuts.push(a.start.clamp(para.start_cp, para.end_cp));
        cuts.push(a.end.clamp(para.start_cp, para.end_cp));
    }
    crate::text::sorting::sort(&mut cuts);
    cuts.dedup();
    let text = index.text();
    let mut out = Vec::with_capacity(cuts.len());
    let mut byte = index.cp_to_utf8(para.start_cp).unwrap_or(text.len());
    let mut u16 = para.start_utf16;
    let mut chars = text[byte..].chars();
    // Sweep: annotations ordered by (clamped) start enter the active set as
    // the cut passes their start and leave it at their end, so each segment
    // costs O(active), not O(all annotations of the paragraph).
    let mut by_start: Vec<usize> = (0..anns.len()).collect();
    crate::text::sorting::sort_by_key(&mut by_start, |&i| anns[i].start.max(para.start_cp));
    let mut next = 0;
    let mut active: Vec<usize> = Vec::new();
    for w in cuts.windows(2) {
        let (s, e) = (w[0], w[1]);
        let (b0, u0) = (byte, u16);
        for _ in s..e {
            if let Some(ch) = chars.next() {
                byte += ch.len_utf8();
                u16 += ch.len_utf16();
            }
        }
        while next < by_start.len() && anns[by_start[next]].start.max(para.start_cp) <= s {
            active.push(by_start[next]);
            next += 1;
        }
        active.retain(|&i| anns[i].end > s);
        let mut covering: Vec<usize> = active.iter().copied().filter(|&i| anns[i].start <= s && anns[i].end >= e).collect();
        crate::text::sorting::sort_by_key(&mut covering, |&i| (std::cmp::Reverse(anns[i].end - anns[i].start), i));
        out.push(Segment { start_cp: s, end_cp: e, start_utf16: u0, utf8: (b0, byte), covering });
    }
    out
}
