//! Which command a key press means, given where it was pressed and what the
//! app shows: the page-wide shortcuts as a pure function, so the keymap is
//! tested on the host. The browser glue reads the event into a [`KeyInput`],
//! runs the [`Command`] and cancels the key's default action when
//! [`Shortcut::prevent_default`] says so.

use crate::model::Label;

/// Where the key was pressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyTarget {
    /// A text field, text area, select or editable element: typing, never a shortcut.
    Typing,
    /// The article (`#article`), which has a keyboard caret.
    Article,
    /// A button, link or `<summary>`: Enter activates it.
    Activatable,
    /// Anywhere else.
    Other,
}

/// A key press, read off a `keydown` event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyInput {
    /// `KeyboardEvent.key` (`"a"`, `"ArrowDown"`, `"?"`).
    pub key: String,
    /// `KeyboardEvent.code`, the physical key (`"Digit1"`): Shift+1 is `!`
    /// on one layout and something else on another.
    pub code: String,
    /// Ctrl or ⌘ (Meta) held.
    pub ctrl: bool,
    pub shift: bool,
    pub alt: bool,
    /// Part of an IME composition.
    pub composing: bool,
    pub target: KeyTarget,
}

/// What the app shows that changes what a key means.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeyContext {
    /// A dialog is open (it handles its own keys).
    pub dialog_open: bool,
    /// A document deletion or details change is the latest change (Ctrl+Z takes it back).
    pub undoable_deletion: bool,
    /// A link is being made (`l`): Escape cancels it.
    pub linking: bool,
    /// …and `j`/`k` chose the annotation it would go to: Enter links it.
    pub link_candidate: bool,
    /// Another person's file is being compared: Escape closes the comparison
    /// (`j`/`k` then move through the differences: the reducer knows).
    pub comparing: bool,
}

/// A key that moves the keyboard caret in the article.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaretKey {
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
}

/// What a key press asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Take back the latest document deletion or details change.
    UndoDeletion,
    Undo,
    Redo,
    /// Select the next (`1`) or previous (`-1`) annotation.
    Step(i32),
    /// Tag the selection (or retag the selected annotation).
    Tag(Label),
    /// Shift+1/2/3: tag the selection and every other occurrence of its text.
    TagAll(Label),
    DeleteSelected,
    /// Clear the text selection, the `[` mark and the selected annotation.
    Escape,
    Help,
    /// Focus the selected annotation's note.
    EditNote,
    /// Move the caret (Ctrl: by word / to the ends; Shift: extend the selection).
    Caret {
        key: CaretKey,
        ctrl: bool,
        shift: bool,
    },
    /// `[`: mark where a keyboard selection starts.
    MarkStart,
    /// `]`: select from the mark to the caret.
    MarkEnd,
    /// `l`: start a link from the selected annotation.
    StartLink,
    /// Enter while linking, with a candidate: link to it.
    FinishLink,
    /// Escape while linking.
    CancelLink,
    /// Escape while comparing (and not linking).
    CloseComparison,
}

/// A command and whether the key's default action must be cancelled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shortcut {
    pub command: Command,
    pub prevent_default: bool,
}

fn run(command: Command) -> Option<Shortcut> {
    Some(Shortcut { command, prevent_default: true })
}

fn caret_key(key: &str) -> Option<CaretKey> {
    Some(match key {
        "ArrowLeft" => CaretKey::Left,
        "ArrowRight" => CaretKey::Right,
        "ArrowUp" => CaretKey::Up,
        "ArrowDown" => CaretKey::Down,
        "Home" => CaretKey::Home,
        "End" => CaretKey::End,
        _ => return None,
    })
}

/// The shortcut for `input` in `ctx`, or `None` when the key is the
/// browser's (typing in a field, a dialog open, an IME composition, keys
/// without a meaning here).
pub fn shortcut(input: &KeyInput, ctx: KeyContext) -> Option<Shortcut> {
    if input.composing || ctx.dialog_open || input.target == KeyTarget::Typing {
        return None;
    }
    let key = input.key.as_str();
    let (ctrl, alt, shift) = (input.ctrl, input.alt, input.shift);
    if ctrl && !alt && matches!(key, "z" | "Z") {
        return run(match (shift, ctx.undoable_deletion) {
            (true, _) => Command::Redo,
            (false, true) => Command::UndoDeletion,
            (false, false) => Command::Undo,
        });
    }
    if ctrl && !alt && matches!(key, "y" | "Y") {
        return run(Command::Redo);
    }
    if alt && !ctrl && matches!(key, "ArrowDown" | "ArrowUp") {
        return run(Command::Step(if key == "ArrowDown" { 1 } else { -1 }));
    }
    if alt {
        return None;
    }
    if input.target == KeyTarget::Article {
        if let Some(k) = caret_key(key) {
            return run(Command::Caret { key: k, ctrl, shift });
        }
        match key {
            "[" => return run(Command::MarkStart),
            "]" => return run(Command::MarkEnd),
            _ => {}
        }
    }
    if ctrl {
        return None;
    }
    if shift {
        let digit = input.code.strip_prefix("Digit").or_else(|| input.code.strip_prefix("Numpad"));
        if let Some(label) = digit.and_then(Label::from_key) {
            return run(Command::TagAll(label));
        }
    }
    if let Some(label) = Label::from_key(key) {
        return run(Command::Tag(label));
    }
    if ctx.linking {
        match key {
            "Escape" => return Some(Shortcut { command: Command::CancelLink, prevent_default: false }),
            // Even on a focused button: the candidate is what Enter means now.
            "Enter" if ctx.link_candidate => return run(Command::FinishLink),
            _ => {}
        }
    }
    match key {
        "Delete" | "Backspace" => run(Command::DeleteSelected),
        "l" if !ctx.linking => run(Command::StartLink),
        "Escape" if ctx.comparing => Some(Shortcut { command: Command::CloseComparison, prevent_default: false }),
        "Escape" => Some(Shortcut { command: Command::Escape, prevent_default: false }),
        "j" => Some(Shortcut { command: Command::Step(1), prevent_default: false }),
        "k" => Some(Shortcut { command: Command::Step(-1), prevent_default: false }),
        "?" => run(Command::Help),
        "Enter" if input.target != KeyTarget::Activatable => run(Command::EditNote),
        _ => None,
    }
}
