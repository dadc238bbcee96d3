//! Property tests of the app reducer: random sequences of tag / retag /
//! delete / undo / redo on random Unicode texts keep the model's invariants,
//! never change the state they are given, grow `revision` exactly on
//! accepted edits, and undoing everything gives the initial annotations back.

mod app_support;
mod common;

use annotator_core::app::action::AppAction;
use annotator_core::app::selection::SelectionRead;
use annotator_core::app::state::AppState;
use annotator_core::history::History;
use annotator_core::model::{Document, Label, State};
use annotator_core::store::library::Library;
use app_support::{assert_invariants, snapshot};
use proptest::prelude::*;
use std::rc::Rc;

#[derive(Clone, Debug)]
enum Op {
    /// Tag UTF-16 offsets `a`, `b` (reduced modulo the text's UTF-16 length + 1).
    Tag {
        a: usize,
        b: usize,
        label: usize,
    },
    /// Retag the `pick`-th annotation (select it, then tag with no text selection).
    Retag {
        pick: usize,
        label: usize,
    },
    /// Delete the `pick`-th annotation, by id or as the selected one.
    Delete {
        pick: usize,
        selected: bool,
    },
    Undo,
    Redo,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..10_000, 0usize..10_000, 0usize..3).prop_map(|(a, b, label)| Op::Tag { a, b, label }),
        2 => (0usize..1000, 0usize..3).prop_map(|(pick, label)| Op::Retag { pick, label }),
        2 => (0usize..1000, any::<bool>()).prop_map(|(pick, selected)| Op::Delete { pick, selected }),
        2 => Just(Op::Undo),
        1 => Just(Op::Redo),
    ]
}

fn now(step: usize) -> String {
    format!("2024-06-01T{:02}:{:02}:{:02}Z", step / 3600, (step / 60) % 60, step % 60)
}

/// Reduces `action`, checking the old state did not change.
fn step(s: &AppState, action: AppAction) -> Option<AppState> {
    let before = snapshot(s);
    let dbg = format!("{action:?}");
    let next = s.reduce(action);
    assert_eq!(snapshot(s), before, "{dbg} changed the state it was given");
    next
}

fn is_edit(action: &AppAction) -> bool {
    matches!(action, AppAction::Tag { .. } | AppAction::Delete(_) | AppAction::DeleteSelected | AppAction::Undo | AppAction::Redo)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_keep_the_invariants_and_undo_all_returns_the_initial_annotations(
        text in common::text_strategy(30),
        raw in common::raw_spans(6),
        ops in prop::collection::vec(op(), 0..40),
    ) {
        let doc = Rc::new(Document::new("T", "t", &text));
        let initial = common::annotations_from_raw(&text, &raw);
        // Two raw spans may coincide with the same label; keep the first.
        let mut seen = std::collections::HashSet::new();
        let initial: Vec<_> = initial.into_iter().filter(|a| seen.insert((a.start, a.end, a.label))).collect();
        let s0 = AppState::new(State::with_annotations(doc.clone(), initial), History::default(), vec![], None, Library::new());
        let initial = s0.model.annotations.clone();
        assert_invariants(&s0);
        let len16 = doc.index.len_utf16();
        let mut s = s0.clone();
        let mut next_id = 0;
        for (i, op) in ops.iter().enumerate() {
            let t = now(i + 1);
            let actions: Vec<AppAction> = match *op {
                Op::Tag { a, b, label } => {
                    next_id += 1;
                    let selection = SelectionRead::Range { start_utf16: (a % (len16 + 1)) as u32, end_utf16: (b % (len16 + 1)) as u32 };
                    vec![AppAction::Tag { label: Label::ALL[label], selection, new_id: format!("n{next_id}"), now: t }]
                }
                Op::Retag { pick, label } if !s.model.annotations.is_empty() => {
                    let id = s.model.annotations[pick % s.model.annotations.len()].id.clone();
                    vec![
                        AppAction::Select { id: Some(id), scroll: false },
                        AppAction::Tag { label: Label::ALL[label], selection: SelectionRead::Nothing, new_id: "unused".into(), now: t },
                    ]
                }
                Op::Delete { pick, selected } if !s.model.annotations.is_empty() => {
                    let id = s.model.annotations[pick % s.model.annotations.len()].id.clone();
                    if selected {
                        vec![AppAction::Select { id: Some(id), scroll: false }, AppAction::DeleteSelected]
                    } else {
                        vec![AppAction::Delete(id)]
                    }
                }
                Op::Retag { .. } | Op::Delete { .. } => vec![],
                Op::Undo => vec![AppAction::Undo],
                Op::Redo => vec![AppAction::Redo],
            };
            for action in actions {
                let edit = is_edit(&action);
                let dbg = format!("{action:?}");
                let Some(next) = step(&s, action) else { continue };
                assert_invariants(&next);
                let changed = next.model.annotations != s.model.annotations;
                if edit && next.notice.is_none() {
                    prop_assert_eq!(next.revision, s.revision + 1, "{} accepted: must be saved", dbg);
                    prop_assert!(changed || dbg.starts_with("Undo") || dbg.starts_with("Redo"), "{} accepted without a change", dbg);
                } else {
                    prop_assert_eq!(next.revision, s.revision, "{}: refused or not an edit", dbg);
                    prop_assert!(!changed, "{}: annotations changed without a save", dbg);
                }
                s = next;
            }
        }
        // The newest state the history knows: every undone step redone.
        let mut top = s.clone();
        while top.history.can_redo() {
            top = step(&top, AppAction::Redo).expect("redo changes something");
            prop_assert_eq!(&top.notice, &None, "a step could not be redone");
        }
        let last = top.model.annotations.clone();
        // Undo all the way back.
        let mut guard = 0;
        while s.history.can_undo() {
            s = step(&s, AppAction::Undo).expect("undo changes something");
            prop_assert_eq!(&s.notice, &None, "a step could not be undone");
            assert_invariants(&s);
            guard += 1;
            prop_assert!(guard <= ops.len());
        }
        prop_assert_eq!(&s.model.annotations, &initial);
        // And redo all the way forward, to the newest state.
        while s.history.can_redo() {
            s = step(&s, AppAction::Redo).expect("redo changes something");
            prop_assert_eq!(&s.notice, &None, "a step could not be redone");
            assert_invariants(&s);
        }
        prop_assert_eq!(&s.model.annotations, &last);
    }

    #[test]
    fn the_same_actions_from_the_same_state_give_the_same_states(
        text in common::text_strategy(20),
        ops in prop::collection::vec((0usize..10_000, 0usize..10_000, 0usize..3, any::<bool>()), 0..15),
    ) {
        let doc = Rc::new(Document::new("T", "t", &text));
        let s0 = AppState::new(State::new(doc.clone()), History::default(), vec![], None, Library::new());
        let len16 = doc.index.len_utf16();
        let actions = |i: usize, (a, b, l, undo): (usize, usize, usize, bool)| {
            if undo {
                AppAction::Undo
            } else {
                let selection = SelectionRead::Range { start_utf16: (a % (len16 + 1)) as u32, end_utf16: (b % (len16 + 1)) as u32 };
                AppAction::Tag { label: Label::ALL[l], selection, new_id: format!("n{i}"), now: now(i) }
            }
        };
        let (mut x, mut y) = (s0.clone(), s0.clone());
        for (i, o) in ops.iter().enumerate() {
            let nx = x.reduce(actions(i, *o));
            let ny = y.reduce(actions(i, *o));
            prop_assert_eq!(nx.as_ref().map(snapshot), ny.as_ref().map(snapshot));
            if let (Some(a), Some(b)) = (nx, ny) {
                x = a;
                y = b;
            }
        }
    }
}
