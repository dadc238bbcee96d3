//! Whether this tab has work under way that the page does not show yet: a
//! save waiting for its frame, the undo history's late write, files being
//! read and imported, a document being opened or stored, the article still
//! drawn in steps. `<body data-idle>` reads "true" when none is pending and
//! "false" while any is; the end-to-end tests wait for it instead of
//! sleeping (`wait_idle` in tests/e2e/conftest.py). Team sync is not
//! counted: it runs for as long as it is on.
//!
//! A step that hands over to the next one (a dispatch whose render starts
//! a save, a drawing step that asks for another) may end its `Busy` before
//! the next one starts: Yew renders in the microtasks of the same task, so
//! no script or event sees the page idle in between.

use std::cell::Cell;
use std::rc::Rc;

thread_local! {
    static PENDING: Cell<u32> = const { Cell::new(0) };
}

/// One piece of pending work, from [`Busy::start`] until its last clone is
/// dropped: move a clone into each callback that carries the work on.
#[derive(Clone)]
#[must_use = "the work counts as pending only while this is kept"]
pub struct Busy {
    _token: Rc<Token>,
}

struct Token;

impl Busy {
    pub fn start() -> Self {
        if PENDING.with(|p| p.replace(p.get() + 1)) == 0 {
            publish();
        }
        Busy { _token: Rc::new(Token) }
    }
}

impl Drop for Token {
    fn drop(&mut self) {
        if PENDING.with(|p| p.replace(p.get().saturating_sub(1))) == 1 {
            publish();
        }
    }
}

/// Writes whether any work is pending into `<body data-idle>`.
pub fn publish() {
    let idle = PENDING.with(Cell::get) == 0;
    let set = gloo::utils::document().body().map(|b| b.set_attribute("data-idle", if idle { "true" } else { "false" }));
    if let Some(Err(e)) = set {
        web_sys::console::warn_1(&format!("data-idle could not be set ({})", super::js_error_text(&e)).into());
    }
}
