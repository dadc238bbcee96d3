//! The page-wide keymap (`app::keymap::shortcut`): which command a key press
//! means where it was pressed, and whether the browser's default is cancelled.

use annotator_core::app::keymap::{shortcut, CaretKey, Command, KeyContext, KeyInput, KeyTarget, Shortcut};
use annotator_core::model::Label;

fn key(k: &str, target: KeyTarget) -> KeyInput {
    KeyInput { key: k.into(), code: String::new(), ctrl: false, shift: false, alt: false, composing: false, target }
}

fn ctrl(k: &str) -> KeyInput {
    KeyInput { ctrl: true, ..key(k, KeyTarget::Other) }
}

fn ctrl_shift(k: &str) -> KeyInput {
    KeyInput { ctrl: true, shift: true, ..key(k, KeyTarget::Other) }
}

fn alt(k: &str, target: KeyTarget) -> KeyInput {
    KeyInput { alt: true, ..key(k, target) }
}

fn ctx() -> KeyContext {
    KeyContext::default()
}

fn cmd(input: &KeyInput, c: KeyContext) -> Option<Command> {
    shortcut(input, c).map(|s| s.command)
}

fn run(command: Command) -> Option<Shortcut> {
    Some(Shortcut { command, prevent_default: true })
}

/// Keys that mean something somewhere, to check they mean nothing in a field / dialog / composition.
const SOME_KEYS: &[&str] = &[
    "1",
    "2",
    "3",
    "j",
    "k",
    "z",
    "y",
    "Z",
    "Delete",
    "Backspace",
    "Escape",
    "Enter",
    "?",
    "[",
    "]",
    "ArrowDown",
    "ArrowLeft",
    "Home",
    "End",
];

fn all_variants(k: &str, target: KeyTarget) -> Vec<KeyInput> {
    let base = key(k, target);
    vec![
        base.clone(),
        KeyInput { ctrl: true, ..base.clone() },
        KeyInput { ctrl: true, shift: true, ..base.clone() },
        KeyInput { alt: true, ..base.clone() },
        KeyInput { shift: true, ..base },
    ]
}

#[test]
fn typing_targets_are_never_shortcuts() {
    for k in SOME_KEYS {
        for input in all_variants(k, KeyTarget::Typing) {
            for c in [ctx(), KeyContext { undoable_deletion: true, ..ctx() }] {
                assert_eq!(shortcut(&input, c), None, "{input:?}");
            }
        }
    }
}

#[test]
fn an_open_dialog_handles_its_own_keys() {
    let dialog = KeyContext { dialog_open: true, ..KeyContext::default() };
    for k in SOME_KEYS {
        for target in [KeyTarget::Article, KeyTarget::Other, KeyTarget::Activatable] {
            for input in all_variants(k, target) {
                assert_eq!(shortcut(&input, dialog), None, "{input:?}");
            }
        }
    }
}

#[test]
fn ime_composition_is_never_a_shortcut() {
    for k in SOME_KEYS {
        for target in [KeyTarget::Article, KeyTarget::Other, KeyTarget::Activatable] {
            for input in all_variants(k, target) {
                let composing = KeyInput { composing: true, ..input };
                assert_eq!(shortcut(&composing, ctx()), None, "{composing:?}");
            }
        }
    }
}

#[test]
fn ctrl_z_undoes_and_brings_back_a_deleted_document_while_that_is_the_latest_change() {
    let deletion = KeyContext { undoable_deletion: true, ..ctx() };
    for k in ["z", "Z"] {
        assert_eq!(shortcut(&ctrl(k), ctx()), run(Command::Undo), "{k}");
        assert_eq!(shortcut(&ctrl(k), deletion), run(Command::UndoDeletion), "{k}");
    }
    // ⌘ is read as `ctrl` too; in the article Ctrl+Z is the same.
    assert_eq!(cmd(&KeyInput { ctrl: true, ..key("z", KeyTarget::Article) }, ctx()), Some(Command::Undo));
    assert_eq!(cmd(&KeyInput { ctrl: true, ..key("z", KeyTarget::Activatable) }, deletion), Some(Command::UndoDeletion));
}

#[test]
fn ctrl_shift_z_and_ctrl_y_redo_even_when_a_deletion_could_be_undone() {
    for c in [ctx(), KeyContext { undoable_deletion: true, ..ctx() }] {
        assert_eq!(shortcut(&ctrl_shift("Z"), c), run(Command::Redo));
        assert_eq!(shortcut(&ctrl_shift("z"), c), run(Command::Redo));
        assert_eq!(shortcut(&ctrl("y"), c), run(Command::Redo));
        assert_eq!(shortcut(&ctrl("Y"), c), run(Command::Redo));
    }
}

#[test]
fn plain_z_and_y_and_ctrl_alt_z_are_not_undo() {
    assert_eq!(shortcut(&key("z", KeyTarget::Other), ctx()), None);
    assert_eq!(shortcut(&key("y", KeyTarget::Other), ctx()), None);
    assert_eq!(shortcut(&KeyInput { alt: true, ..ctrl("z") }, ctx()), None, "Ctrl+Alt+Z (AltGr) is not undo");
    assert_eq!(shortcut(&KeyInput { alt: true, ..ctrl("y") }, ctx()), None);
}

#[test]
fn alt_arrows_step_between_annotations_anywhere() {
    for target in [KeyTarget::Article, KeyTarget::Other, KeyTarget::Activatable] {
        assert_eq!(shortcut(&alt("ArrowDown", target), ctx()), run(Command::Step(1)));
        assert_eq!(shortcut(&alt("ArrowUp", target), ctx()), run(Command::Step(-1)));
        // Other Alt combinations are the browser's (menus, history navigation).
        assert_eq!(shortcut(&alt("ArrowLeft", target), ctx()), None);
        assert_eq!(shortcut(&alt("1", target), ctx()), None);
        assert_eq!(shortcut(&alt("j", target), ctx()), None);
    }
    assert_eq!(shortcut(&KeyInput { ctrl: true, ..alt("ArrowDown", KeyTarget::Other) }, ctx()), None);
}

#[test]
fn caret_keys_and_brackets_move_the_caret_only_in_the_article() {
    let keys = [
        ("ArrowLeft", CaretKey::Left),
        ("ArrowRight", CaretKey::Right),
        ("ArrowUp", CaretKey::Up),
        ("ArrowDown", CaretKey::Down),
        ("Home", CaretKey::Home),
        ("End", CaretKey::End),
    ];
    for (k, ck) in keys {
        for (c, s) in [(false, false), (true, false), (false, true), (true, true)] {
            let input = KeyInput { ctrl: c, shift: s, ..key(k, KeyTarget::Article) };
            assert_eq!(shortcut(&input, ctx()), run(Command::Caret { key: ck, ctrl: c, shift: s }), "{input:?}");
            for target in [KeyTarget::Other, KeyTarget::Activatable] {
                let elsewhere = KeyInput { target, ..input.clone() };
                assert_eq!(shortcut(&elsewhere, ctx()), None, "{elsewhere:?} scrolls the page");
            }
        }
    }
    assert_eq!(shortcut(&key("[", KeyTarget::Article), ctx()), run(Command::MarkStart));
    assert_eq!(shortcut(&key("]", KeyTarget::Article), ctx()), run(Command::MarkEnd));
    for target in [KeyTarget::Other, KeyTarget::Activatable] {
        assert_eq!(shortcut(&key("[", target), ctx()), None);
        assert_eq!(shortcut(&key("]", target), ctx()), None);
    }
}

#[test]
fn digits_one_two_three_tag_with_their_label() {
    for target in [KeyTarget::Article, KeyTarget::Other, KeyTarget::Activatable] {
        assert_eq!(shortcut(&key("1", target), ctx()), run(Command::Tag(Label::Claim)));
        assert_eq!(shortcut(&key("2", target), ctx()), run(Command::Tag(Label::Denial)));
        assert_eq!(shortcut(&key("3", target), ctx()), run(Command::Tag(Label::Statistic)));
        assert_eq!(shortcut(&key("4", target), ctx()), None);
        assert_eq!(shortcut(&key("0", target), ctx()), None);
    }
}

#[test]
fn ctrl_digit_is_not_a_tag() {
    for k in ["1", "2", "3"] {
        for target in [KeyTarget::Article, KeyTarget::Other, KeyTarget::Activatable] {
            let input = KeyInput { ctrl: true, ..key(k, target) };
            assert_eq!(shortcut(&input, ctx()), None, "Ctrl+{k} switches browser tabs");
        }
    }
}

#[test]
fn delete_and_backspace_delete_the_selected_annotation() {
    for target in [KeyTarget::Article, KeyTarget::Other, KeyTarget::Activatable] {
        assert_eq!(shortcut(&key("Delete", target), ctx()), run(Command::DeleteSelected));
        assert_eq!(shortcut(&key("Backspace", target), ctx()), run(Command::DeleteSelected), "Backspace must not navigate back");
    }
    assert_eq!(shortcut(&ctrl("Backspace"), ctx()), None);
}

#[test]
fn escape_and_j_k_keep_the_browser_default() {
    for target in [KeyTarget::Article, KeyTarget::Other, KeyTarget::Activatable] {
        assert_eq!(shortcut(&key("Escape", target), ctx()), Some(Shortcut { command: Command::Escape, prevent_default: false }));
        assert_eq!(shortcut(&key("j", target), ctx()), Some(Shortcut { command: Command::Step(1), prevent_default: false }));
        assert_eq!(shortcut(&key("k", target), ctx()), Some(Shortcut { command: Command::Step(-1), prevent_default: false }));
    }
    // Ctrl+J / Ctrl+K belong to the browser.
    assert_eq!(shortcut(&ctrl("j"), ctx()), None);
    assert_eq!(shortcut(&ctrl("k"), ctx()), None);
}

#[test]
fn question_mark_opens_help() {
    assert_eq!(shortcut(&KeyInput { shift: true, ..key("?", KeyTarget::Other) }, ctx()), run(Command::Help));
    assert_eq!(shortcut(&key("?", KeyTarget::Article), ctx()), run(Command::Help));
}

#[test]
fn enter_on_a_button_link_or_summary_is_the_browsers_elsewhere_it_edits_the_note() {
    assert_eq!(shortcut(&key("Enter", KeyTarget::Activatable), ctx()), None);
    assert_eq!(shortcut(&key("Enter", KeyTarget::Article), ctx()), run(Command::EditNote));
    assert_eq!(shortcut(&key("Enter", KeyTarget::Other), ctx()), run(Command::EditNote));
    assert_eq!(shortcut(&key("Enter", KeyTarget::Typing), ctx()), None);
}

#[test]
fn unknown_keys_are_the_browsers() {
    for k in ["a", "x", "Tab", " ", "PageDown", "F5", "Shift"] {
        for target in [KeyTarget::Article, KeyTarget::Other, KeyTarget::Activatable] {
            assert_eq!(shortcut(&key(k, target), ctx()), None, "{k}");
        }
    }
    assert_eq!(shortcut(&ctrl("c"), ctx()), None, "copy");
    assert_eq!(shortcut(&KeyInput { ctrl: true, ..key("a", KeyTarget::Article) }, ctx()), None, "select all");
}

#[test]
fn shift_and_a_digit_key_tags_all_occurrences_whatever_the_layout_prints() {
    let shifted = |key: &str, code: &str| KeyInput { key: key.into(), code: code.into(), shift: true, ..key_any() };
    assert_eq!(shortcut(&shifted("!", "Digit1"), ctx()).map(|s| s.command), Some(Command::TagAll(Label::Claim)));
    assert_eq!(shortcut(&shifted("\"", "Digit2"), ctx()).map(|s| s.command), Some(Command::TagAll(Label::Denial)));
    assert_eq!(shortcut(&shifted("§", "Digit3"), ctx()).map(|s| s.command), Some(Command::TagAll(Label::Statistic)));
    assert_eq!(shortcut(&shifted("!", "Digit4"), ctx()), None);
    let typing = KeyInput { target: KeyTarget::Typing, ..shifted("!", "Digit1") };
    assert_eq!(shortcut(&typing, ctx()), None, "typing a ! in a field");
}

fn key_any() -> KeyInput {
    key("x", KeyTarget::Article)
}

#[test]
fn while_comparing_escape_closes_the_comparison_unless_a_link_is_being_made() {
    let comparing = KeyContext { comparing: true, ..ctx() };
    assert_eq!(cmd(&key("Escape", KeyTarget::Other), comparing), Some(Command::CloseComparison));
    assert_eq!(cmd(&key("Escape", KeyTarget::Article), comparing), Some(Command::CloseComparison));
    assert_eq!(cmd(&key("Escape", KeyTarget::Other), KeyContext { linking: true, ..comparing }), Some(Command::CancelLink));
    assert_eq!(cmd(&key("Escape", KeyTarget::Other), ctx()), Some(Command::Escape));
    // j/k stay Step: the reducer moves through the differences while comparing.
    assert_eq!(cmd(&key("j", KeyTarget::Other), comparing), Some(Command::Step(1)));
    assert_eq!(cmd(&key("Escape", KeyTarget::Typing), comparing), None);
}
