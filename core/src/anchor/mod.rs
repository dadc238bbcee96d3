//! Re-anchoring imported annotations onto the current text, as Hypothesis's
//! `match-quote` does.
//!
//! An imported annotation arrives as a [`Candidate`]: its quote, the text
//! around it when it was made (prefix/suffix) and, when known, its old
//! position. [`Anchorer::anchor`] then tries, in order:
//!
//! 1. **Exact**: the old position still holds the quote;
//! 2. **Moved**: the quote occurs verbatim elsewhere; among several
//!    occurrences the one whose surroundings best match the prefix/suffix,
//!    nearest to the old position, wins;
//! 3. **Fuzzy**: an approximate occurrence with at most [`max_errors`]
//!    edits (Levenshtein), found with Myers' bit-parallel algorithm in
//!    O(n · ⌈k/64⌉) expected time per quote (blocks of 64 pattern code points
//!    with Ukkonen's cut-off, so long quotes are fine), scored by quote,
//!    prefix, suffix and position;
//! 4. **Orphaned**: nothing acceptable; the annotation is kept (label,
//!    quote, note) with the reason, for the person to delete or re-attach.
//!
//! Steps 2 and 3 first look within [`NEAR_WINDOW_CP`] of the old position.
//! For step 2 this is exact: an occurrence there whose prefix and suffix both
//! match cannot be beaten by one farther away. For step 3 it is a heuristic:
//! a nearby approximate match whose prefix and suffix both match exactly is
//! taken without scanning the whole text. So an edited text costs about
//! O(window) per annotation that merely shifted; only annotations that do not
//! anchor nearby (and orphans) pay for a pass over the whole text.
//!
//! **Indexed searches.** Once an import has needed a few dozen searches of
//! the whole text (and the text is long), the text is indexed once: its
//! positions sorted by the code points that start there. Exact searches then
//! look the quote up instead of scanning; approximate searches take, for a
//! level of `e` edits, `e + 1` disjoint pieces of the quote (one of which any
//! match with at most `e` edits holds verbatim) and run Myers only in the
//! windows their occurrences allow, zone by zone around the old position,
//! raising a zone's level until no match it could still hold can outscore
//! the best one found (module `search` states the rule). The result is
//! always exactly that of the pass over the whole text, which
//! [`Anchorer::anchor_reference`] keeps available; property tests compare
//! the two.
//!
//! Everything is measured in **code points**. The text is turned into a
//! vector of code points once per [`Anchorer`] (once per import), never per
//! annotation. Anchored annotations always satisfy `text[start..end] == quote`.

mod anchorer;
mod candidate;
mod fuzzy;
mod grams;
mod orphan;
mod placement;
mod prepared;
mod search;
#[cfg(test)]
mod search_tests;
mod seeds;

pub use candidate::{
    max_errors, AnchorReport, AnchorResult, AnchorWork, Anchoring, Candidate, CONTEXT_ACCEPT, CONTEXT_CP, MAX_ERRORS_CAP, MAX_SCORED,
    NEAR_WINDOW_CP, UNIQUE_QUOTE_MIN_CP,
};
pub use fuzzy::{approx_match_ends, approx_search, prefix_edit_distances, ApproxMatch};
pub use orphan::Orphan;
pub use prepared::Anchorer;

use crate::model::Annotation;
use crate::text::text_index::TextIndex;

/// Anchors every candidate on `index`: returns the anchored annotations (in
/// input order, each with `text[start..end] == quote`), the orphans (in input
/// order) and the report. Nothing is dropped: every candidate is in exactly
/// one of the two lists.
pub fn anchor_all(index: &TextIndex, candidates: Vec<Candidate>) -> (Vec<Annotation>, Vec<Orphan>, AnchorReport) {
    let mut anchorer = Anchorer::new(index);
    let mut anchored = Vec::with_capacity(candidates.len());
    let mut orphans = Vec::new();
    let mut report = AnchorReport::default();
    for c in candidates {
        let a = anchorer.anchor(&c);
        report.results.push(AnchorResult { id: c.id.clone(), anchoring: a.clone() });
        match a {
            Anchoring::Orphaned { reason } => {
                report.orphaned += 1;
                orphans.push(Orphan::new(c, reason));
            }
            other => {
                match other {
                    Anchoring::Exact { .. } => report.exact += 1,
                    Anchoring::Moved { .. } => report.moved += 1,
                    _ => report.fuzzy += 1,
                }
                let (start, end) = other.span().unwrap_or((0, 0));
                let quote = index.slice_cp(start, end).unwrap_or("").to_string();
                anchored.push(c.into_annotation(start, end, quote));
            }
        }
    }
    report.work = anchorer.work();
    (anchored, orphans, report)
}
