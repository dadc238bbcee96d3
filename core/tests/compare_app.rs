//! "Compare with…" in the reducer: reading a colleague's file, the figures,
//! stepping through differences, accepting theirs (one undo step each),
//! keeping mine, accepting all of a kind, closing, and bad files.

mod app_support;

use annotator_core::agreement::DiffKind;
use annotator_core::app::action::AppAction;
use annotator_core::app::compare::read_others;
use annotator_core::app::compare_csv::{agreement_csv, HEADER};
use annotator_core::app::state::AppState;
use annotator_core::formats::native;
use annotator_core::model::{Annotation, Document, Label};
use app_support::*;

fn mine() -> AppState {
    app(vec![
        ann("a", "Kabul denied", Label::Denial),
        ann("b", "the claim", Label::Claim),
        ann("c", "1,463", Label::Statistic),
        ann("d", "Islamabad said", Label::Claim),
    ])
}

fn theirs() -> Vec<Annotation> {
    vec![
        ann("t1", "Kabul denied", Label::Denial),    // exact
        ann("t2", "the claim;", Label::Claim),       // boundaries differ (b)
        ann("t3", "1,463", Label::Claim),            // label differs (c)
        ann("t4", "were injured", Label::Statistic), // only theirs; d is only mine
    ]
}

fn file_of(anns: &[Annotation]) -> (String, Vec<u8>) {
    ("colleague.json".into(), native::export(&doc(), anns).into_bytes())
}

/// What the app does with the chosen files: reads them (in the module of
/// rare parts; `read_others` here) and hands them to the reducer.
fn compare_files(s: &AppState, files: Vec<(String, Vec<u8>)>) -> AppAction {
    AppAction::CompareFiles(read_others(files, &s.model.doc, T1))
}

fn compared() -> AppState {
    r(&mine(), compare_files(&mine(), vec![file_of(&theirs())]))
}

fn kinds(s: &AppState) -> Vec<DiffKind> {
    let c = s.comparing.as_ref().expect("comparing");
    c.remaining.iter().map(|&i| c.result.differences[i].kind).collect()
}

#[test]
fn a_colleague_file_gives_figures_and_differences_in_text_order_without_changing_mine() {
    let before = mine();
    let s = compared();
    assert_eq!(s.model.annotations, before.model.annotations, "comparing changes nothing of mine");
    assert_eq!(s.revision, before.revision);
    let c = s.comparing.as_ref().unwrap();
    let n = &c.result.overall.counts;
    assert_eq!((n.exact, n.only_mine, n.only_theirs, n.label_differs), (1, 1, 1, 1), "{n:?}");
    assert_eq!(n.overlap, 1, "the boundary difference is matched by overlap: {n:?}");
    assert_eq!(kinds(&s), vec![DiffKind::Boundaries, DiffKind::OnlyMine, DiffKind::Label, DiffKind::OnlyTheirs]);
    assert!(s.info.as_deref().unwrap().contains("4 differences"), "{:?}", s.info);
    // Exact F1: 1 exact pair of 4 + 4 → 2·1/8.
    assert!((c.result.overall.f1_exact.unwrap() - 0.25).abs() < 1e-9);
}

#[test]
fn j_and_k_step_through_differences_and_select_mine() {
    let s = r(&compared(), AppAction::Step(1));
    let c = s.comparing.as_ref().unwrap();
    assert_eq!(c.current, Some(0));
    assert_eq!(s.model.selected.as_deref(), Some("b"), "the first difference is my “the claim”");
    assert_eq!(s.scroll_to.as_ref().map(|t| t.0.as_str()), Some("b"));
    let s = run(&s, vec![AppAction::Step(1), AppAction::Step(1), AppAction::Step(1)]);
    assert_eq!(s.comparing.as_ref().unwrap().current, Some(3));
    assert_eq!(s.scroll_to.as_ref().map(|t| t.0.as_str()), Some("theirs:3"), "only theirs scrolls to their span");
    let s = r(&s, AppAction::Step(1));
    assert_eq!(s.comparing.as_ref().unwrap().current, Some(0), "wraps");
    let s = r(&s, AppAction::Step(-1));
    assert_eq!(s.comparing.as_ref().unwrap().current, Some(3));
}

#[test]
fn accepting_theirs_is_one_undo_step_and_the_figures_follow() {
    let s = compared();
    // Boundaries: my “the claim” becomes their “the claim;”.
    let s1 = r(&s, AppAction::AcceptTheirs { index: 0, new_id: "n1".into(), now: T2.into() });
    let b = s1.model.get("b").unwrap();
    assert_eq!(b.quote, "the claim;");
    assert_eq!(kinds(&s1), vec![DiffKind::OnlyMine, DiffKind::Label, DiffKind::OnlyTheirs]);
    assert_eq!(s1.comparing.as_ref().unwrap().result.overall.counts.exact, 2);
    assert!(s1.revision > s.revision, "autosaved like any edit");
    let undone = r(&s1, AppAction::Undo);
    assert_eq!(undone.model.get("b").unwrap().quote, "the claim");
    assert_eq!(kinds(&undone).len(), 4, "undo brings the difference back");
    // Label: my statistic becomes their claim; only theirs: added; only mine: deleted.
    let s2 = run(
        &s1,
        vec![
            AppAction::AcceptTheirs { index: 1, new_id: "n1".into(), now: T2.into() },
            AppAction::AcceptTheirs { index: 1, new_id: "n2".into(), now: T2.into() },
            AppAction::AcceptTheirs { index: 0, new_id: "n3".into(), now: T2.into() },
        ],
    );
    assert_eq!(s2.model.get("c").unwrap().label, Label::Claim);
    assert_eq!(s2.model.get("n2").map(|a| a.quote.as_str()), Some("were injured"));
    assert!(s2.model.get("d").is_none());
    assert!(kinds(&s2).is_empty());
    let f = &s2.comparing.as_ref().unwrap().result.overall;
    assert_eq!(f.f1_exact, Some(1.0));
    assert_eq!(f.alpha_u, Some(1.0));
}

#[test]
fn keep_mine_sets_a_difference_aside_and_accept_all_settles_a_kind_in_one_step() {
    let s = r(&compared(), AppAction::KeepMine(1));
    assert_eq!(kinds(&s), vec![DiffKind::Boundaries, DiffKind::Label, DiffKind::OnlyTheirs]);
    assert!(s.model.get("d").is_some(), "keeping mine changes nothing");
    let s = r(&s, AppAction::AcceptAllTheirs { kind: DiffKind::OnlyTheirs, id_prefix: "all".into(), now: T2.into() });
    assert_eq!(s.model.get("all").map(|a| a.label), Some(Label::Statistic));
    assert_eq!(kinds(&s), vec![DiffKind::Boundaries, DiffKind::Label], "kept stays kept after a change");
    let undone = r(&s, AppAction::Undo);
    assert!(undone.model.get("all").is_none());
}

#[test]
fn escape_closes_the_comparison_and_keeps_my_work_as_it_is() {
    let s = r(&compared(), AppAction::AcceptTheirs { index: 1, new_id: "n".into(), now: T2.into() });
    let closed = r(&s, AppAction::CloseComparison);
    assert!(closed.comparing.is_none());
    assert_eq!(closed.model.annotations, s.model.annotations);
    assert!(closed.model.get("d").is_none());
}

#[test]
fn my_own_file_agrees_fully_and_is_not_an_error() {
    let m = mine();
    let own = m.model.plain();
    let s = r(&m, compare_files(&m, vec![file_of(&own)]));
    let c = s.comparing.as_ref().unwrap();
    assert!(c.remaining.is_empty());
    assert_eq!(c.result.overall.f1_overlap, Some(1.0));
    assert_eq!(c.result.overall.alpha_u, Some(1.0));
    assert!(s.notice.is_none(), "{:?}", s.notice);
}

#[test]
fn bad_files_are_refused_with_a_message_and_change_nothing() {
    let m = mine();
    let empty = r(&m, compare_files(&m, vec![("empty.json".into(), b"  \n".to_vec())]));
    assert!(empty.comparing.is_none());
    assert!(empty.notice.as_deref().unwrap().contains("empty.json is empty"), "{:?}", empty.notice);
    let other = Document::new("Other", "other.txt", "A completely different text about weather in Oslo.");
    let mut a = Annotation::new("x", 2, 12, "completely", Label::Claim, T0);
    a.quote = "completely".into();
    let file = ("other.json".to_string(), native::export(&other, &[a]).into_bytes());
    let s = r(&m, compare_files(&m, vec![file]));
    assert!(s.comparing.is_none());
    assert!(s.notice.as_deref().unwrap().contains("could be placed in this text"), "{:?}", s.notice);
    assert_eq!(s.model.annotations, m.model.annotations);
    let junk = r(&m, compare_files(&m, vec![("junk.json".into(), b"{ not json".to_vec())]));
    assert!(junk.comparing.is_none() && junk.notice.as_deref().unwrap().contains("junk.json"), "{:?}", junk.notice);
}

#[test]
fn three_files_give_a_pairwise_table_and_differences_against_a_chosen_one() {
    let m = mine();
    let own = m.model.plain();
    let files = vec![file_of(&theirs()), ("me-again.json".into(), native::export(&doc(), &own).into_bytes())];
    let s = r(&m, compare_files(&m, files));
    let c = s.comparing.as_ref().unwrap();
    assert_eq!(c.pairwise.len(), 3);
    assert_eq!(c.pairwise[0][2], (Some(1.0), Some(1.0)), "mine against my own copy");
    assert_eq!(c.pairwise[0][1], c.pairwise[1][0], "symmetric");
    assert_eq!(kinds(&s).len(), 4);
    let s = r(&s, AppAction::CompareAgainst(1));
    assert!(kinds(&s).is_empty());
    assert_eq!(s.comparing.as_ref().unwrap().theirs().name, "me-again.json");
}

#[test]
fn the_agreement_csv_has_a_row_per_label_and_per_remaining_difference() {
    let s = r(&compared(), AppAction::KeepMine(1));
    let csv = agreement_csv(s.comparing.as_ref().unwrap());
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], HEADER);
    let cols = HEADER.split(',').count();
    assert!(lines.iter().all(|l| l.split(',').count() >= cols), "{csv}");
    assert!(lines[1].starts_with("figures,all,4,4,1,1,1,1,1,0.2500,0.2500,0.2500,"), "{}", lines[1]);
    assert_eq!(lines.iter().filter(|l| l.starts_with("figures,")).count(), 4);
    let diffs: Vec<&&str> = lines.iter().filter(|l| l.starts_with("difference,")).collect();
    assert_eq!(diffs.len(), 3, "the kept one is not a remaining difference");
    assert!(diffs[0].contains("boundaries differ") && diffs[0].contains("the claim;"), "{}", diffs[0]);
}

#[test]
fn fifty_thousand_annotations_each_side_give_a_result() {
    // 50,000 words of 5 code points and a space: one annotation per word, theirs every
    // tenth relabelled and every tenth shifted by one word.
    let text: String = (0..50_000).map(|i| format!("w{:04} ", i % 10_000)).collect();
    let doc = std::rc::Rc::new(Document::new("Big", "big.txt", &text));
    let word = |i: usize, label: Label| {
        let s = i * 6;
        Annotation::new(&format!("m{i}"), s, s + 5, &text[s..s + 5], label, T0)
    };
    let mine: Vec<Annotation> = (0..50_000).map(|i| word(i, Label::ALL[i % 3])).collect();
    let theirs: Vec<Annotation> = (0..50_000)
        .map(|i| match i % 10 {
            0 => word(i, Label::ALL[(i + 1) % 3]),
            5 => word((i + 1) % 50_000, Label::ALL[i % 3]),
            _ => word(i, Label::ALL[i % 3]),
        })
        .enumerate()
        .map(|(i, a)| Annotation { id: format!("t{i}"), ..a })
        .collect();
    let state = AppState::new(
        annotator_core::model::State::with_annotations(doc.clone(), mine),
        Default::default(),
        vec![],
        None,
        Default::default(),
    );
    let file = ("big.json".to_string(), native::export(&doc, &theirs).into_bytes());
    let s = r(&state, compare_files(&state, vec![file]));
    let c = s.comparing.as_ref().unwrap_or_else(|| panic!("a result, not an error: {:?}", s.notice));
    let n = &c.result.overall.counts;
    assert_eq!(n.mine_total, 50_000);
    assert_eq!(n.exact + n.overlap + n.label_differs + n.only_mine, 50_000, "{n:?}");
    assert!(n.label_differs >= 5_000, "{n:?}");
    assert!(c.remaining.len() >= 10_000, "{}", c.remaining.len());
}

#[test]
fn w3c_and_brat_files_are_compared_as_two_people() {
    use annotator_core::formats::{export, Format};
    let files: Vec<(String, Vec<u8>)> = [Format::W3c, Format::Brat]
        .into_iter()
        .flat_map(|f| export(f, &doc(), &theirs()))
        .map(|f| (format!("bob-{}", f.file_name), f.contents.into_bytes()))
        .collect();
    assert_eq!(files.len(), 4, "W3C, brat .ann, .txt and .conf: {:?}", files.iter().map(|f| &f.0).collect::<Vec<_>>());
    let s = r(&mine(), compare_files(&mine(), files));
    let c = s.comparing.as_ref().unwrap_or_else(|| panic!("{:?}", s.notice));
    assert_eq!(c.others.len(), 2, "the .ann and its .txt are one person; the .conf is not one");
    assert!(s.info.as_deref().is_some_and(|i| !i.contains("conf")), "{:?}", s.info);
    assert!(c.others.iter().any(|o| o.name.ends_with(".ann")));
    assert_eq!(c.pairwise[1][2], (Some(1.0), Some(1.0)), "the two files hold the same spans");
    for i in 0..2 {
        let s = if i == c.against { s.clone() } else { r(&s, AppAction::CompareAgainst(i)) };
        assert_eq!(kinds(&s), vec![DiffKind::Boundaries, DiffKind::OnlyMine, DiffKind::Label, DiffKind::OnlyTheirs]);
    }
}

#[test]
fn accepting_their_span_when_i_already_have_it_removes_mine_instead_of_doubling_it() {
    // Their file holds “the claim;” twice; mine has it once (exact) and “the claim” as a
    // denial, which pairs with their second copy (label differs). Accepting theirs would
    // make a second “the claim;” claim: mine is removed instead.
    let m = app(vec![ann("o", "the claim;", Label::Claim), ann("m", "the claim", Label::Denial)]);
    let file = file_of(&[ann("t1", "the claim;", Label::Claim), ann("t2", "the claim;", Label::Claim)]);
    let s = r(&m, compare_files(&m, vec![file]));
    assert_eq!(kinds(&s), vec![DiffKind::Label]);
    let s = r(&s, AppAction::AcceptTheirs { index: 0, new_id: "n".into(), now: T2.into() });
    assert!(s.model.get("m").is_none() && s.model.get("o").is_some(), "{:?}", s.model.annotations);
    assert_eq!(s.model.annotations.len(), 1);
    let undone = r(&s, AppAction::Undo);
    assert!(undone.model.get("m").is_some());
}

#[test]
fn what_comparing_says_at_each_step() {
    let s = compared();
    assert_eq!(s.info.as_deref(), Some("Comparing with colleague.json: 4 differences."));
    let s = r(&s, AppAction::SelectDifference(0));
    assert_eq!(s.announce, "Difference 1 of 4: boundaries differ: mine Claim “the claim”, theirs Claim “the claim;”");
    let s = r(&s, AppAction::KeepMine(1));
    assert_eq!(s.info.as_deref(), Some("Kept mine: only mine: Claim “Islamabad said”."));
    assert_eq!(s.comparing.as_ref().unwrap().current, Some(1), "the selection stays at its place in the list");
    let s = r(&s, AppAction::AcceptTheirs { index: 1, new_id: "n".into(), now: T2.into() });
    assert_eq!(s.info.as_deref(), Some("Accepted theirs: label differs: mine Statistic “1,463”, theirs Claim “1,463”."));
    let none_left = r(&s, AppAction::AcceptAllTheirs { kind: DiffKind::OnlyMine, id_prefix: "x".into(), now: T2.into() });
    assert_eq!(none_left.notice.as_deref(), Some("There are no differences of the kind “only mine” left."));
    let s = r(&s, AppAction::AcceptAllTheirs { kind: DiffKind::Boundaries, id_prefix: "x".into(), now: T3.into() });
    assert_eq!(s.info.as_deref(), Some("Accepted theirs for 1 difference."));
    let s = r(&s, AppAction::KeepMine(0));
    assert!(s.comparing.as_ref().unwrap().remaining.is_empty());
    assert_eq!(r(&s, AppAction::Step(1)).notice.as_deref(), Some("There are no differences left."));
    assert_eq!(r(&s, AppAction::CloseComparison).info.as_deref(), Some("Comparison closed; your annotations are as you left them."));
    let nothing = r(&mine(), compare_files(&mine(), Vec::new()));
    assert_eq!(nothing.notice.as_deref(), Some("Nothing to compare. No file was chosen. My annotations are unchanged."));
}
