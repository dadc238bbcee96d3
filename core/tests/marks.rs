//! The marks besides the selection (`render::marks`): which annotations are
//! linked to the selected one, and how the article hands each group and
//! paragraph only the marks of the annotations it draws.

mod common;

use annotator_core::model::links::{Link, LinkKind};
use annotator_core::model::Label;
use annotator_core::render::marks::Marks;
use annotator_core::render::plan::AnnRef;
use common::ann;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::rc::Rc;

const TEXT: &str = "Kabul denied the claim of 1,463 dead, a source said.";

fn r(id: &str) -> AnnRef {
    AnnRef { id: Rc::from(id), start: 0, end: 1, label: Label::Claim }
}

fn ids(v: &[Rc<str>]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// A denial `d` denying claim `c`, a statistic `s` supporting `c`, and `x` alone;
/// `d` also has a dangling link to `gone`.
fn linked_four() -> Vec<annotator_core::model::Annotation> {
    let mut d = ann(TEXT, "d", 0, 12, Label::Denial);
    d.links = vec![Link { to: "c".into(), kind: LinkKind::Denies }, Link { to: "gone".into(), kind: LinkKind::Denies }];
    let c = ann(TEXT, "c", 13, 22, Label::Claim);
    let mut s = ann(TEXT, "s", 26, 31, Label::Statistic);
    s.links = vec![Link { to: "c".into(), kind: LinkKind::Supports }];
    let x = ann(TEXT, "x", 39, 51, Label::Claim);
    vec![d, c, s, x]
}

#[test]
fn of_marks_what_is_linked_to_the_selection_either_way_and_the_candidate() {
    let anns = linked_four();
    // Incoming links of the claim: the denial and the statistic.
    let m = Marks::of(&anns, Some("c"), None);
    assert_eq!(ids(&m.linked), ["d", "s"].map(String::from).into());
    assert_eq!(m.candidate, None);
    // Outgoing from the denial; its dangling link marks nothing.
    let m = Marks::of(&anns, Some("d"), Some("x"));
    assert_eq!(ids(&m.linked), ["c"].map(String::from).into());
    assert_eq!(m.candidate.as_deref(), Some("x"));
    // Nothing linked to an annotation without links, or without a selection.
    assert_eq!(Marks::of(&anns, Some("x"), None), Marks::default());
    assert_eq!(Marks::of(&anns, None, Some("c")), Marks { linked: Vec::new(), candidate: Some(Rc::from("c")) });
    assert_eq!(Marks::of(&anns, Some("no such id"), None), Marks::default());
}

#[test]
fn within_keeps_only_the_marks_of_the_annotations_given_each_once() {
    let m = Marks { linked: vec![Rc::from("a"), Rc::from("b"), Rc::from("c")], candidate: Some(Rc::from("d")) };
    // A group drawing `c`, `x` and `c` again (an annotation spanning two paragraphs).
    let part = [r("c"), r("x"), r("c")];
    assert_eq!(m.within(part.iter()), Marks { linked: vec![Rc::from("c")], candidate: None });
    let part = [r("d"), r("b"), r("a")];
    assert_eq!(m.within(part.iter()), Marks { linked: vec![Rc::from("b"), Rc::from("a")], candidate: Some(Rc::from("d")) });
    assert_eq!(m.within([].iter()), Marks::default());
    assert_eq!(Marks::default().within(part.iter()), Marks::default());
}

proptest! {
    /// `within` is the marks restricted to the annotations given: the linked
    /// ones among them in the order they come (each once), the candidate if
    /// it is among them; what it finds before stopping early is all there is.
    #[test]
    fn within_is_the_marks_restricted_to_the_annotations(
        linked in proptest::collection::btree_set(0u8..8, 0..5),
        candidate in proptest::option::of(0u8..8),
        anns in proptest::collection::vec(0u8..8, 0..12),
    ) {
        let name = |n: &u8| Rc::<str>::from(format!("a{n}"));
        let m = Marks { linked: linked.iter().map(name).collect(), candidate: candidate.as_ref().map(name) };
        let refs: Vec<AnnRef> = anns.iter().map(|n| r(&name(n))).collect();
        let mut want = Vec::new();
        for n in &anns {
            if linked.contains(n) && !want.contains(&name(n)) {
                want.push(name(n));
            }
        }
        let want_candidate = candidate.filter(|c| anns.contains(c)).as_ref().map(name);
        let got = m.within(refs.iter());
        prop_assert_eq!(got.linked, want);
        prop_assert_eq!(got.candidate, want_candidate);
    }
}
