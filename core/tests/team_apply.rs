//! Team sync in the reducer (`AppAction::TeamChanges`): the team's versions
//! of the open document's annotations are shown if they fit the text,
//! replace or remove by id, are saved (revision) but are not undo steps;
//! changes for another document, or identical versions, change nothing.

mod app_support;

use annotator_core::app::action::AppAction;
use annotator_core::app::state::AppState;
use annotator_core::model::{Annotation, Label};
use app_support::*;
use std::rc::Rc;

fn start() -> AppState {
    app(vec![ann("a", "Kabul denied", Label::Denial), ann("b", "the claim", Label::Claim), ann("c", "1,463", Label::Statistic)])
}

fn team(s: &AppState, changes: Vec<(&str, Option<Annotation>)>) -> Option<AppState> {
    let doc = s.model.doc.id.clone();
    s.reduce(AppAction::TeamChanges { doc, changes: changes.into_iter().map(|(id, v)| (id.to_string(), v)).collect() })
}

/// `ann` with a later `modified` and a note: the team's version.
fn theirs(id: &str, needle: &str, label: Label) -> Annotation {
    let mut a = ann(id, needle, label);
    a.note = "from the team".into();
    a.modified = T2.into();
    a
}

/// Rule 1: changes for a document other than the open one change nothing
/// (reduce returns `None`).
#[test]
fn changes_for_another_document_change_nothing() {
    let s = start();
    let changes = vec![
        ("a".to_string(), None),
        ("n".to_string(), Some(theirs("n", "were injured", Label::Claim))),
        ("b".to_string(), Some(theirs("b", "the claim", Label::Denial))),
    ];
    assert!(s.reduce(AppAction::TeamChanges { doc: "0123456789abcdef".into(), changes }).is_none());
    assert_ne!(s.model.doc.id, "0123456789abcdef");
}

/// Rule 2: a version whose quote is not the text at its span, whose span
/// is empty or reversed (start >= end), or whose end is past the text is
/// not applied; the notice names each one by id, and every other change
/// of the batch is applied (a refused version of an existing annotation
/// leaves the annotation as it was).
#[test]
fn versions_that_do_not_fit_the_text_are_refused_by_id_and_the_rest_applied() {
    let s = start();
    let mut wrong_quote = ann("q1", "Islamabad said", Label::Claim);
    wrong_quote.quote = "Islamabad sai!".into();
    let mut empty = ann("q2", "Islamabad said", Label::Claim);
    empty.end = empty.start;
    empty.quote = String::new();
    let mut reversed = ann("q3", "1,463", Label::Claim);
    (reversed.start, reversed.end) = (reversed.end, reversed.start);
    let len = TEXT.chars().count();
    let mut past_end = ann("q4", "injured.", Label::Claim);
    (past_end.start, past_end.end) = (len - 8, len + 1);
    past_end.quote = "injured. ".into();
    let mut bad_b = theirs("b", "the claim", Label::Denial);
    bad_b.start += 1; // the quote no longer matches the text at the span
    let good = theirs("g", "were injured", Label::Statistic);
    let next = team(
        &s,
        vec![
            ("q1", Some(wrong_quote)),
            ("q2", Some(empty)),
            ("q3", Some(reversed)),
            ("q4", Some(past_end)),
            ("b", Some(bad_b)),
            ("g", Some(good.clone())),
            ("c", None),
        ],
    )
    .expect("the good changes are applied");
    assert_invariants(&next);
    assert_eq!(ids(&next), ["a", "b", "g"], "g added, c deleted, nothing refused added");
    assert_eq!(get(&next, "b"), get(&s, "b"), "a refused version leaves the annotation as it was");
    assert_eq!(get(&next, "g"), &good);
    let notice = next.notice.as_deref().expect("a notice names the refused ones");
    for id in ["q1", "q2", "q3", "q4", "b"] {
        assert!(notice.contains(&format!("“{id}”")), "{id} not named in: {notice}");
    }
    assert!(notice.starts_with("5 shared annotations"), "{notice}");
    assert!(!notice.contains("“g”") && !notice.contains("“c”"), "{notice}");
    assert_eq!(next.revision, s.revision + 1);

    // Only refused versions: nothing changes but the notice (not saved again).
    let mut bad = ann("z", "the claim", Label::Claim);
    bad.quote = "the clam".into();
    let only = team(&s, vec![("z", Some(bad))]).expect("the notice is shown");
    assert_eq!(only.model.annotations, s.model.annotations);
    assert_eq!(only.revision, s.revision);
    let notice = only.notice.as_deref().unwrap();
    assert!(notice.contains("“z”") && notice.starts_with("1 shared annotation did not fit"), "{notice}");
}

/// Rule 3: versions are added, replace the annotation of the same id, and
/// deletions remove by id; the list stays in text order, the revision
/// grows (so it is saved), the history (undo and redo) is untouched, and a
/// deleted selection is cleared. Undoing an earlier local step afterwards
/// keeps the team's changes.
#[test]
fn add_replace_and_delete_by_id_are_saved_but_not_undo_steps() {
    let s = r(&start(), tag_text(Label::Claim, "were injured", "mine", T1));
    let s = r(&s, select("c"));
    let (undo, redo, history) = (s.history.undo_len(), s.history.redo_len(), s.history.to_json());
    assert_eq!(undo, 1);
    let added = theirs("t1", "Islamabad said", Label::Claim);
    let replaced = theirs("a", "Kabul denied", Label::Claim);
    let next = team(&s, vec![("t1", Some(added.clone())), ("a", Some(replaced.clone())), ("c", None), ("nope", None)]).unwrap();
    assert_invariants(&next);
    assert_eq!(ids(&next), ["a", "b", "t1", "mine"], "text order");
    assert_eq!(get(&next, "a"), &replaced);
    assert_eq!(get(&next, "t1"), &added);
    assert!(next.model.get("c").is_none());
    assert_eq!(next.model.selected, None, "the deleted selection is cleared");
    assert!(next.revision > s.revision, "saved like any edit");
    assert_eq!((next.history.undo_len(), next.history.redo_len(), next.history.to_json()), (undo, redo, history));
    assert!(next.last_change.is_none());
    assert!(next.notice.is_none());
    // Unchanged annotations are shared, not copied.
    assert!(Rc::ptr_eq(
        s.model.annotations.iter().find(|x| x.id == "b").unwrap(),
        next.model.annotations.iter().find(|x| x.id == "b").unwrap()
    ));
    // A selection that survives is kept.
    let kept = team(&r(&s, select("b")), vec![("a", Some(replaced.clone()))]).unwrap();
    assert_eq!(kept.model.selected.as_deref(), Some("b"));

    // Undo takes back my tag, not the team's changes.
    let undone = r(&next, AppAction::Undo);
    assert!(undone.model.get("mine").is_none());
    assert_eq!(get(&undone, "a"), &replaced);
    assert_eq!(get(&undone, "t1"), &added);
    assert!(undone.model.get("c").is_none());
}

/// Rule 3: a version identical to the one shown (or a deletion of an
/// annotation not shown) changes nothing: reduce returns `None`.
#[test]
fn identical_versions_change_nothing() {
    let s = start();
    let same: Vec<(&str, Option<Annotation>)> = s.model.annotations.iter().map(|a| (a.id.as_str(), Some((**a).clone()))).collect();
    assert!(team(&s, same).is_none());
    assert!(team(&s, vec![("gone", None)]).is_none());
    assert!(team(&s, vec![]).is_none());
    // Same content but a later `modified` is a newer version: taken (and saved).
    let mut later = get(&s, "b").clone();
    later.modified = T3.into();
    let next = team(&s, vec![("b", Some(later.clone()))]).unwrap();
    assert_eq!(get(&next, "b"), &later);
    assert_eq!(next.revision, s.revision + 1);
    assert!(team(&next, vec![("b", Some(later))]).is_none(), "the same version again: nothing");
}

// ------------------------------------------------------------- regressions

/// Regression (found by these tests): when a batch refuses some versions
/// but applies others, the notice ended with "Nothing else changed.", which
/// was false — the other changes of the
/// same batch were applied (rule 2: "nothing else is held back"). Input:
/// `TeamChanges { doc: <open>, changes: [("bad", quote "the clam" over
/// "the claim"), ("g", a valid new annotation)] }` gives "1 shared
/// annotation did not fit this text and was not applied (“bad”). Nothing
/// else changed." while "g" was added.
#[test]
fn the_notice_does_not_deny_the_other_changes_applied() {
    let s = start();
    let mut bad = ann("bad", "the claim", Label::Claim);
    bad.quote = "the clam".into();
    let next = team(&s, vec![("bad", Some(bad)), ("g", Some(theirs("g", "were injured", Label::Statistic)))]).unwrap();
    assert!(next.model.get("g").is_some(), "g was applied");
    let notice = next.notice.as_deref().unwrap();
    assert!(!notice.contains("Nothing else changed"), "the notice denies the change just applied: {notice}");
}
