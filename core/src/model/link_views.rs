//! Links seen from the annotations: the queries the panel, the highlights,
//! the summary and the exports ask (rules in [`crate::model::links`]).

use crate::model::links::LinkKind;
use crate::model::{shorten, Annotation, Label};
use std::borrow::Cow;
use std::collections::HashSet;

/// The kind a link from a `from`-labelled annotation to a `to`-labelled
/// one most likely has: denial → denies, statistic → supports, and
/// repeats between two annotations of the same label.
pub fn default_kind(from: Label, to: Label) -> LinkKind {
    match (from, to) {
        (Label::Denial, _) => LinkKind::Denies,
        (Label::Statistic, Label::Claim) => LinkKind::Supports,
        (a, b) if a == b => LinkKind::Repeats,
        (Label::Claim, Label::Denial) => LinkKind::Contradicts,
        _ => LinkKind::Supports,
    }
}

/// One link as seen from a given annotation: `outgoing` when it starts there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkView<'a> {
    pub kind: LinkKind,
    pub outgoing: bool,
    /// The annotation at the other end.
    pub other: &'a Annotation,
}

impl LinkView<'_> {
    /// `denies Claim: “…”` or `denied by Denial: “…”`.
    pub fn describe(&self) -> String {
        let verb = if self.outgoing { self.kind.as_str() } else { self.kind.inverse() };
        format!("{verb} {}: “{}”", self.other.label, shorten(&self.other.quote, 200))
    }

    /// The source and target ids.
    pub fn ends<'b>(&'b self, this: &'b str) -> (&'b str, &'b str) {
        if self.outgoing {
            (this, &self.other.id)
        } else {
            (&self.other.id, this)
        }
    }
}

/// The links of annotation `id` in both directions (dangling ones left
/// out): outgoing first (by target id), then incoming in list order.
pub fn links_of<'a, A: std::borrow::Borrow<Annotation>>(annotations: &'a [A], id: &str) -> Vec<LinkView<'a>> {
    let all = || annotations.iter().map(|a| a.borrow());
    let find = |target: &str| all().find(|a| a.id == target);
    let mut out = Vec::new();
    if let Some(this) = find(id) {
        for l in &this.links {
            if let Some(other) = find(&l.to) {
                out.push(LinkView { kind: l.kind, outgoing: true, other });
            }
        }
    }
    // Links first: most annotations have none, and then no id is compared.
    for a in all() {
        for l in a.links.iter().filter(|l| l.to == id) {
            if a.id != id {
                out.push(LinkView { kind: l.kind, outgoing: false, other: a });
            }
        }
    }
    out
}

/// The ids linked to `id` in either direction (dangling links left out).
pub fn linked_ids<A: std::borrow::Borrow<Annotation>>(annotations: &[A], id: &str) -> HashSet<String> {
    links_of(annotations, id).into_iter().map(|v| v.other.id.clone()).collect()
}

/// `annotations` with every link to an id not among them removed (rule 5);
/// borrowed when there is none.
pub fn without_dangling(annotations: &[Annotation]) -> Cow<'_, [Annotation]> {
    if annotations.iter().all(|a| a.links.is_empty()) {
        return Cow::Borrowed(annotations);
    }
    let ids: HashSet<&str> = annotations.iter().map(|a| a.id.as_str()).collect();
    if annotations.iter().all(|a| a.links.iter().all(|l| ids.contains(l.to.as_str()))) {
        return Cow::Borrowed(annotations);
    }
    let mut out = annotations.to_vec();
    for a in &mut out {
        a.links.retain(|l| ids.contains(l.to.as_str()));
    }
    Cow::Owned(out)
}

/// The number of links (dangling ones left out).
pub fn count(annotations: &[Annotation]) -> usize {
    without_dangling(annotations).iter().map(|a| a.links.len()).sum()
}
