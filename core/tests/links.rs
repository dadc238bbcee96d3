//! Links between annotations: the rules of `links`, the linking flow of the
//! app reducer (keyboard and mouse), undo, deletion, files.

mod app_support;

use annotator_core::app::action::AppAction;
use annotator_core::app::keymap::{shortcut, Command, KeyContext, KeyInput, KeyTarget};
use annotator_core::formats::native;
use annotator_core::model::link_views::{default_kind, links_of, without_dangling};
use annotator_core::model::links::{Link, LinkKind};
use annotator_core::model::{Action, Label};
use app_support::*;
use std::rc::Rc;

/// A claim `c`, a denial `d` answering it, a statistic `s`.
fn three() -> annotator_core::app::state::AppState {
    app(vec![ann("d", "Kabul denied", Label::Denial), ann("c", "the claim", Label::Claim), ann("s", "1,463", Label::Statistic)])
}

fn link(to: &str, kind: LinkKind) -> Link {
    Link { to: to.into(), kind }
}

#[test]
fn keyboard_link_l_then_j_then_enter_links_the_denial_to_the_claim_in_one_undo_step() {
    let s = run(&three(), vec![select("d"), AppAction::StartLink { now: T1.into() }]);
    assert!(s.linking.is_some());
    assert!(s.info.as_deref().unwrap().starts_with("Linking from Denial"));
    // j: the next annotation after the denial in text order is the claim.
    let s = r(&s, AppAction::Step(1));
    assert_eq!(s.linking.as_ref().unwrap().candidate.as_deref(), Some("c"));
    assert_eq!(s.model.selected.as_deref(), Some("d"), "the selection stays on the source");
    let s = r(&s, AppAction::FinishLink { now: T2.into() });
    assert_eq!(s.linking, None);
    assert_eq!(get(&s, "d").links, vec![link("c", LinkKind::Denies)]);
    assert_eq!(get(&s, "d").modified, T2);
    assert_eq!(s.info.as_deref(), Some("Linked: Denial “Kabul denied” denies Claim “the claim”."));
    let views = links_of(&s.model.annotations, "c");
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].describe(), "denied by Denial: “Kabul denied”");
    // One undo removes it, redo brings it back.
    let u = r(&s, AppAction::Undo);
    assert!(get(&u, "d").links.is_empty());
    assert_eq!(get(&r(&u, AppAction::Redo), "d").links, vec![link("c", LinkKind::Denies)]);
}

#[test]
fn j_and_k_skip_the_source_and_stop_at_the_ends() {
    let s = run(&three(), vec![select("c"), AppAction::StartLink { now: T1.into() }, AppAction::Step(-1)]);
    assert_eq!(s.linking.as_ref().unwrap().candidate.as_deref(), Some("d"));
    let s = run(&s, vec![AppAction::Step(1)]);
    assert_eq!(s.linking.as_ref().unwrap().candidate.as_deref(), Some("s"), "the source c is skipped");
    let s = r(&s, AppAction::Step(1));
    assert_eq!(s.linking.as_ref().unwrap().candidate.as_deref(), Some("s"));
}

#[test]
fn a_click_on_a_highlight_or_a_list_item_ends_the_link_there_with_the_chosen_relation() {
    let s = run(&three(), vec![select("s"), AppAction::StartLink { now: T1.into() }, AppAction::SetLinkKind(LinkKind::Contradicts)]);
    // The highlight clicked covers the statistic itself and the claim: the one not the source is picked.
    let s = r(&s, AppAction::ClickHighlight(vec![Rc::from("c"), Rc::from("s")]));
    assert_eq!(get(&s, "s").links, vec![link("c", LinkKind::Contradicts)]);
    assert_eq!(get(&s, "s").modified, T1, "a click carries no time: the link's start time");
    // The list item path, default relation for a statistic → claim.
    let s = run(&three(), vec![select("s"), AppAction::StartLink { now: T1.into() }, select("c")]);
    assert_eq!(get(&s, "s").links, vec![link("c", LinkKind::Supports)]);
}

#[test]
fn escape_cancels_and_a_self_link_is_refused_without_change() {
    let s0 = run(&three(), vec![select("d"), AppAction::StartLink { now: T1.into() }]);
    let c = r(&s0, AppAction::CancelLink);
    assert_eq!(c.linking, None);
    assert_eq!(c.model.annotations, s0.model.annotations);
    // Picking the source itself: refused, still linking, nothing changed.
    let s = r(&s0, select("d"));
    assert!(s.notice.as_deref().unwrap().contains("the link starts from"));
    assert!(s.linking.is_some());
    assert_eq!(s.model.annotations, s0.model.annotations);
    assert!(!s.history.can_undo());
    // The model refuses it too.
    assert!(three().model.apply(Action::Link { from: "d".into(), to: "d".into(), kind: LinkKind::Denies, now: T1.into() }).is_err());
    // FinishLink without a candidate says what to do.
    assert!(r(&s0, AppAction::FinishLink { now: T2.into() }).notice.as_deref().unwrap().starts_with("Choose the annotation"));
}

#[test]
fn l_without_a_selected_annotation_says_what_to_do() {
    let s = r(&three(), AppAction::StartLink { now: T1.into() });
    assert_eq!(s.linking, None);
    assert!(s.notice.as_deref().unwrap().starts_with("Select the annotation the link starts from"));
}

#[test]
fn linking_again_with_another_relation_changes_it_and_unlink_removes_it_in_one_step() {
    let s = run(&three(), vec![select("s"), AppAction::StartLink { now: T1.into() }, select("c")]);
    let s = run(&s, vec![select("s"), AppAction::StartLink { now: T2.into() }, AppAction::SetLinkKind(LinkKind::Contradicts), select("c")]);
    assert_eq!(get(&s, "s").links, vec![link("c", LinkKind::Contradicts)], "one link per ordered pair");
    let u = r(&s, AppAction::Unlink { from: "s".into(), to: "c".into(), now: T3.into() });
    assert!(get(&u, "s").links.is_empty());
    assert!(u.history.undo_description().unwrap().starts_with("Remove link Statistic"));
    assert_eq!(get(&r(&u, AppAction::Undo), "s").links, vec![link("c", LinkKind::Contradicts)]);
}

#[test]
fn deleting_an_annotation_removes_the_links_to_it_and_undo_restores_both() {
    let s = run(&three(), vec![select("d"), AppAction::StartLink { now: T1.into() }, select("c")]);
    let s = run(&s, vec![select("s"), AppAction::StartLink { now: T1.into() }, select("c")]);
    let del = r(&s, AppAction::Delete("c".into()));
    assert!(del.model.get("c").is_none());
    assert!(get(&del, "d").links.is_empty() && get(&del, "s").links.is_empty());
    let undone = r(&del, AppAction::Undo);
    assert_eq!(undone.model.annotations, s.model.annotations, "one undo brings back the claim and both links");
    // Deleting the source ends a link in progress.
    let linking = run(&s, vec![select("d"), AppAction::StartLink { now: T2.into() }]);
    assert_eq!(r(&linking, AppAction::Delete("d".into())).linking, None);
}

#[test]
fn keys_l_enter_and_escape_mean_linking_commands_only_while_linking() {
    let k = |key: &str, target| KeyInput {
        key: key.into(),
        code: String::new(),
        ctrl: false,
        shift: false,
        alt: false,
        composing: false,
        target,
    };
    let cmd = |key: &str, target, ctx| shortcut(&k(key, target), ctx).map(|s| s.command);
    let idle = KeyContext::default();
    let linking = KeyContext { linking: true, ..idle };
    let with_candidate = KeyContext { linking: true, link_candidate: true, ..idle };
    assert_eq!(cmd("l", KeyTarget::Article, idle), Some(Command::StartLink));
    assert_eq!(cmd("l", KeyTarget::Typing, idle), None, "typing an l in a field");
    assert_eq!(cmd("Escape", KeyTarget::Other, linking), Some(Command::CancelLink));
    assert_eq!(cmd("Escape", KeyTarget::Other, idle), Some(Command::Escape));
    assert_eq!(cmd("Enter", KeyTarget::Activatable, with_candidate), Some(Command::FinishLink));
    assert_eq!(cmd("Enter", KeyTarget::Activatable, linking), None, "without a candidate Enter activates the focused item");
    assert_eq!(cmd("Enter", KeyTarget::Article, idle), Some(Command::EditNote));
    assert_eq!(cmd("j", KeyTarget::Other, linking), Some(Command::Step(1)));
}

#[test]
fn default_relations_follow_the_labels() {
    assert_eq!(default_kind(Label::Denial, Label::Claim), LinkKind::Denies);
    assert_eq!(default_kind(Label::Statistic, Label::Claim), LinkKind::Supports);
    assert_eq!(default_kind(Label::Claim, Label::Claim), LinkKind::Repeats);
}

#[test]
fn native_files_carry_links_and_refuse_bad_ones_with_the_location() {
    let s = run(&three(), vec![select("d"), AppAction::StartLink { now: T1.into() }, select("c")]);
    let doc = doc();
    let file = native::export(&doc, &s.model.plain());
    assert!(file.contains(r#""links": ["#), "{file}");
    let back = native::import(file.as_bytes(), &doc).unwrap();
    let mut want = s.model.plain();
    want.sort_by(|a, b| a.id.cmp(&b.id));
    let mut got = back.annotations.clone();
    got.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(got, want);
    let bad = |from: &str, to: &str| {
        let changed = file.replacen(from, to, 1);
        assert_ne!(changed, file, "{from} not in the file");
        native::import(changed.as_bytes(), &doc).unwrap_err().to_string()
    };
    assert!(bad(r#""to": "c""#, r#""to": "nobody""#).contains(".links[0].to: no annotation in this file has the id “nobody”"));
    assert!(bad(r#""to": "c""#, r#""to": "d""#).contains("links the annotation to itself"));
    assert!(bad(r#""type": "denies""#, r#""type": "refutes""#).contains("“refutes” is not one of denies, supports, contradicts, repeats"));
    let long = format!(r#""speaker": "{}", "quote""#, "x".repeat(100_000));
    let e = bad(r#""quote""#, &long);
    assert!(e.contains("speaker: is longer than 200 characters"), "{e}");
}

#[test]
fn exports_leave_out_a_link_to_an_annotation_deleted_meanwhile() {
    let mut d = ann("d", "Kabul denied", Label::Denial);
    d.links = vec![link("c", LinkKind::Denies), link("gone", LinkKind::Denies)];
    let anns = vec![d, ann("c", "the claim", Label::Claim)];
    let cleaned = without_dangling(&anns);
    assert_eq!(cleaned[0].links, vec![link("c", LinkKind::Denies)]);
    let files = annotator_core::formats::export(annotator_core::formats::Format::Native, &doc(), &anns);
    assert!(native::import(files[0].contents.as_bytes(), &doc()).is_ok());
    assert_eq!(links_of(&anns, "d").len(), 1, "dangling links are not shown");
}

#[test]
fn the_summary_lists_denials_with_what_they_deny() {
    let s = run(&three(), vec![select("d"), AppAction::StartLink { now: T1.into() }, select("c")]);
    let mut anns = s.model.plain();
    anns.push(ann("d2", "Islamabad said", Label::Denial));
    let fc = annotator_core::model::summary::fact_check(&anns);
    let got: Vec<(&str, Vec<(Label, String)>)> = fc.denials.iter().map(|d| (d.quote.as_str(), d.denies.clone())).collect();
    assert_eq!(got, vec![("Kabul denied", vec![(Label::Claim, "the claim".to_string())]), ("Islamabad said", vec![])]);
}

#[test]
fn undo_takes_back_a_details_change_while_it_is_the_latest_change() {
    use annotator_core::app::state::UndoTarget;
    use annotator_core::model::details::DocDetails;
    let s0 = three();
    let doc_id = s0.model.doc.id.clone();
    let before = DocDetails::new("https://x.org/a", "", "").unwrap();
    let s = r(&s0, AppAction::DetailsSaved { doc_id: doc_id.clone(), before: before.clone(), undone: false });
    assert_eq!(s.info.as_deref(), Some("Document details saved."));
    match s.undo_target() {
        UndoTarget::Details(d) => assert_eq!(d.before, before),
        other => panic!("{other:?}"),
    }
    assert!(s.can_undo());
    assert_eq!(s.undo_title(), "Undo: edit the document details (Ctrl+Z)");
    // An annotation edit afterwards: Undo is the history's again.
    let edited = r(&s, select("d"));
    let edited = r(&edited, AppAction::Delete("d".into()));
    assert_eq!(edited.undo_target(), UndoTarget::History);
    // Undone: nothing more to take back.
    let u = r(&s, AppAction::DetailsSaved { doc_id, before: DocDetails::default(), undone: true });
    assert_eq!(u.undo_target(), UndoTarget::History);
    assert_eq!(u.info.as_deref(), Some("Undone: edit the document details"));
}

#[test]
fn stored_orphans_keep_their_links_and_unreadable_links_are_counted_not_dropped() {
    use annotator_core::store::extras::{orphans_from_json, orphans_to_json};
    let mut o = orphan("o1", "gone text", Label::Denial);
    o.links = vec![link("c", LinkKind::Denies)];
    let (back, why) = orphans_from_json(&orphans_to_json(std::slice::from_ref(&o)));
    assert_eq!((back, why), (vec![o], None));
    let bad = r#"[{"id": "o2", "label": "claim", "links": [{"to": "c", "type": "refutes"}]}]"#;
    let (back, why) = orphans_from_json(bad);
    assert!(back.is_empty());
    assert_eq!(why.as_deref(), Some("1 orphaned annotations could not be read"));
}

#[test]
fn what_linking_says_at_each_step_and_a_link_follows_its_annotations() {
    let s = run(&three(), vec![select("d"), AppAction::StartLink { now: T1.into() }]);
    assert_eq!(
        s.info.as_deref(),
        Some("Linking from Denial: “Kabul denied”. Choose the other annotation: click it, or move with j and k and press Enter. Escape cancels.")
    );
    let s = r(&s, AppAction::SetLinkKind(LinkKind::Contradicts));
    assert_eq!(s.announce, "Relation: contradicts");
    let s = r(&s, AppAction::Step(1));
    assert_eq!(s.announce, "Link target: Claim: “the claim”. Enter links it (contradicts); Escape cancels.");
    assert_eq!(s.scroll_to.as_ref().map(|t| t.0.as_str()), Some("c"));
    // Linking the same pair with the same kind again: said, not an error.
    let linked = r(&s, AppAction::FinishLink { now: T2.into() });
    let again = run(
        &linked,
        vec![select("d"), AppAction::StartLink { now: T3.into() }, AppAction::SetLinkKind(LinkKind::Contradicts), select("c")],
    );
    assert_eq!(again.info.as_deref(), Some("Already linked: Denial “Kabul denied” contradicts Claim “the claim”."));
    let u = r(&again, AppAction::Unlink { from: "d".into(), to: "c".into(), now: T3.into() });
    assert_eq!(u.announce, "Link removed: Denial “Kabul denied” contradicts Claim “the claim”");
    assert_eq!(r(&s, AppAction::CancelLink).info.as_deref(), Some("Linking cancelled."));
    // The candidate deleted: the link goes on without one; the source deleted: it ends.
    let s2 = r(&s, AppAction::Delete("c".into()));
    assert_eq!(s2.linking.as_ref().map(|l| (l.from.as_str(), l.candidate.clone())), Some(("d", None)));
    assert_eq!(r(&s, AppAction::Delete("d".into())).linking, None);
    // Alone in the text: nothing to move to.
    let alone = run(&app(vec![ann("d", "Kabul denied", Label::Denial)]), vec![select("d"), AppAction::StartLink { now: T1.into() }]);
    assert_eq!(r(&alone, AppAction::Step(1)).notice.as_deref(), Some("There is no other annotation to link to."));
    // A click on the source's own highlight only: refused, still linking.
    let own = r(&alone, AppAction::ClickHighlight(vec![Rc::from("d")]));
    assert!(own.notice.as_deref().unwrap().starts_with("That is the annotation the link starts from"));
    assert!(own.linking.is_some());
}
