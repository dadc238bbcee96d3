//! `<body data-idle>`: "false" from the first pending piece of work until the
//! last clone of the last one is gone, then "true" (`annotator::browser::busy`).

use annotator::browser::busy::Busy;

#[wasm_bindgen_test::wasm_bindgen_test]
fn data_idle_follows_the_pending_work() {
    let first = Busy::start();
    assert_eq!(super::idle().as_deref(), Some("false"), "work pending");
    let handed_on = first.clone();
    let second = Busy::start();
    drop(first);
    assert_eq!(super::idle().as_deref(), Some("false"), "a clone keeps the work pending");
    drop(handed_on);
    assert_eq!(super::idle().as_deref(), Some("false"), "the second piece is still pending");
    drop(second);
    assert_eq!(super::idle().as_deref(), Some("true"), "nothing pending: idle");
}
