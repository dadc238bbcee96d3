//! The app's hooks (`use_*`): effects that run with the component's life.
//!
//! * [`field`] — text fields that keep what is typed across re-renders;
//! * [`live`] — what page-wide listeners need to know now;
//! * [`plan`] — the memoised render plan (paragraphs and the annotations touching each);
//! * [`autosave`] — saving after the frame that shows a change;
//! * [`sync`] — other tabs' writes, back/forward and the `#doc=` link;
//! * [`shortcuts`] — page-wide keys (the pure keymap in core) and the keyboard caret;
//! * [`tagging`] — tagging the selection from a button or key;
//! * [`team`] — team sync: resumed on start, the open document's changes sent.

pub mod autosave;
pub mod field;
pub mod live;
pub mod plan;
pub mod shortcuts;
pub mod sync;
pub mod tagging;
pub mod team;

use std::rc::Rc;

/// Compares by pointer: a memo dependency that changes exactly when the
/// value was replaced, without comparing 10,000 annotations field by field.
#[derive(Clone)]
pub struct ByPtr<T>(pub Rc<T>);

impl<T> PartialEq for ByPtr<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
