//! Speaker and verdict of an annotation: the reducer, the native format,
//! search and the two-tab merge.

mod app_support;

use annotator_core::app::action::AppAction;
use annotator_core::formats::native;
use annotator_core::model::filter::Filter;
use annotator_core::model::{Label, MAX_ATTRIBUTE_CP};
use annotator_core::store::merge::{merge, DocRecord};
use app_support::*;

fn set(id: &str, speaker: &str, verdict: &str, now: &str) -> AppAction {
    AppAction::SetAttributes { id: id.into(), speaker: speaker.into(), verdict: verdict.into(), now: now.into() }
}

#[test]
fn speaker_and_verdict_are_set_in_one_undo_step_and_saved() {
    let s0 = app(vec![ann("k", "Kabul", Label::Claim)]);
    let s1 = r(&s0, set("k", "  Khawaja   Asif ", "Mostly false", T1));
    let a = get(&s1, "k");
    assert_eq!((a.speaker.as_str(), a.verdict.as_str()), ("Khawaja Asif", "Mostly false"), "white space is cleaned");
    assert_eq!(a.modified, T1);
    assert_eq!(s1.revision, s0.revision + 1);
    assert_eq!(s1.history.undo_description(), Some("Set speaker and verdict"));
    let s2 = r(&s1, AppAction::Undo);
    assert!(get(&s2, "k").has_no_attributes());
    let s3 = r(&s2, AppAction::Redo);
    assert_eq!(get(&s3, "k").verdict, "Mostly false");
}

#[test]
fn setting_the_same_attributes_changes_nothing() {
    let s1 = r(&app(vec![ann("k", "Kabul", Label::Claim)]), set("k", "Asif", "", T1));
    assert!(s1.reduce(set("k", " Asif ", "", T2)).is_none());
}

#[test]
fn a_speaker_longer_than_the_limit_is_refused_and_nothing_changes() {
    let s0 = app(vec![ann("k", "Kabul", Label::Claim)]);
    let long = "x".repeat(MAX_ATTRIBUTE_CP + 1);
    let s1 = r(&s0, set("k", &long, "", T1));
    assert!(get(&s1, "k").has_no_attributes());
    assert!(s1.notice.as_deref().unwrap_or("").contains("speaker is too long"), "{:?}", s1.notice);
    assert_eq!(s1.revision, s0.revision);
}

#[test]
fn native_files_carry_speaker_and_verdict_and_omit_them_when_empty() {
    let s = r(&app(vec![ann("k", "Kabul", Label::Claim), ann("d", "denied", Label::Denial)]), set("k", "Asif", "False", T1));
    let json = native::export(&s.model.doc, &s.model.plain());
    assert!(json.contains("\"speaker\": \"Asif\"") && json.contains("\"verdict\": \"False\""));
    assert_eq!(json.matches("\"speaker\"").count(), 1, "an empty speaker is left out");
    let back = native::import(json.as_bytes(), &s.model.doc).unwrap();
    assert_eq!(back.annotations, s.model.plain());
}

#[test]
fn a_100_kb_speaker_in_a_file_is_refused_with_its_location() {
    let s = app(vec![ann("k", "Kabul", Label::Claim)]);
    let json = native::export(&s.model.doc, &s.model.plain());
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["annotations"][0]["speaker"] = serde_json::Value::String("s".repeat(100_000));
    let e = native::import(v.to_string().as_bytes(), &s.model.doc).unwrap_err().to_string();
    assert!(e.contains("annotations[0].speaker"), "{e}");
    v["annotations"][0]["speaker"] = serde_json::json!(7);
    let e = native::import(v.to_string().as_bytes(), &s.model.doc).unwrap_err().to_string();
    assert!(e.contains("annotations[0].speaker") && e.contains("string"), "{e}");
}

#[test]
fn search_matches_speaker_and_verdict() {
    let s = r(&app(vec![ann("k", "Kabul", Label::Claim), ann("d", "denied", Label::Denial)]), set("k", "Khawaja Asif", "Misleading", T1));
    for q in ["asif", "MISLEADING"] {
        let f = Filter { query: q.into(), ..Filter::default() };
        let hits: Vec<&str> = f.apply(&s.model.annotations).iter().map(|a| a.id.as_str()).collect();
        assert_eq!(hits, ["k"], "query {q}");
    }
}

#[test]
fn two_tabs_setting_different_verdicts_keep_the_later_one_whichever_merges_first() {
    let base = DocRecord::new(vec![ann("k", "Kabul", Label::Claim)]);
    let mut a = base.annotations.clone();
    a[0].verdict = "True".into();
    let mut b = base.annotations.clone();
    b[0].verdict = "False".into();
    let ra = base.after_edit(&a, T1);
    let rb = base.after_edit(&b, T2);
    for m in [merge(&ra, &rb), merge(&rb, &ra)] {
        assert_eq!(m.annotations[0].verdict, "False");
    }
}

#[test]
fn the_summary_counts_claims_by_verdict_and_speakers() {
    use annotator_core::model::summary::fact_check;
    let mut anns = vec![
        ann("c1", "Kabul", Label::Claim),
        ann("c2", "denied", Label::Claim),
        ann("c3", "the claim", Label::Claim),
        ann("c4", "Islamabad", Label::Claim),
        ann("d1", "were injured", Label::Denial),
    ];
    anns[0].verdict = "False".into();
    anns[1].verdict = "dubious".into();
    anns[2].verdict = "True".into();
    anns[0].speaker = "Asif".into();
    anns[4].speaker = "Asif".into();
    anns[2].speaker = "ISPR".into();
    anns[4].verdict = "False".into(); // a denial's verdict is not a claim's
    let f = fact_check(&anns);
    assert_eq!(f.claims_by_verdict, vec![("True".to_string(), 1), ("False".to_string(), 1), ("dubious".to_string(), 1)]);
    assert_eq!(f.claims_without_verdict, 1);
    assert_eq!(f.speakers, vec![("Asif".to_string(), 2), ("ISPR".to_string(), 1)]);
}

#[test]
fn the_verdict_filter_shows_one_verdict_or_those_without_and_steps_follow_it() {
    use annotator_core::model::filter::VerdictFilter;
    let s = app(vec![ann("k", "Kabul", Label::Claim), ann("d", "denied", Label::Denial), ann("c", "the claim", Label::Claim)]);
    let s = run(&s, vec![set("k", "", "False", T1), set("c", "", "false", T2)]);
    let shown =
        |s: &annotator_core::app::state::AppState| s.filter.apply(&s.model.plain()).iter().map(|a| a.id.clone()).collect::<Vec<_>>();
    let f = r(&s, AppAction::SetVerdictFilter(VerdictFilter::Is("FALSE".into())));
    assert_eq!(shown(&f), ["k", "c"], "case-insensitive");
    assert!(f.filter.is_active());
    let w = r(&s, AppAction::SetVerdictFilter(VerdictFilter::Without));
    assert_eq!(shown(&w), ["d"]);
    // j moves between the shown ones only.
    let stepped = run(&f, vec![AppAction::Step(1), AppAction::Step(1)]);
    assert_eq!(stepped.model.selected.as_deref(), Some("c"));
    assert_eq!(shown(&r(&f, AppAction::SetVerdictFilter(VerdictFilter::Any))), ["k", "d", "c"]);
}
