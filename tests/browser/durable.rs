//! The crash-safe copy as the page writes it: what local storage takes also
//! reaches IndexedDB's `kv` store, removals too, and `settled` resolves only
//! once it has; a write refused for lack of space is `StoreError::Full`.

use annotator::browser::{durable, idb, storage::LocalKv};
use annotator_core::store::error::StoreError;
use annotator_core::store::kv::Kv;
use wasm_bindgen_test::*;

async fn copy_of(key: &str) -> Option<String> {
    idb::read_copy().await.unwrap().into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

#[wasm_bindgen_test]
async fn writes_and_removals_reach_the_crash_safe_copy_before_settled_resolves() {
    let mut kv = LocalKv;
    let key = "text-annotator.test.durable";
    kv.set(key, "first").unwrap();
    kv.set(key, "second ✓").unwrap();
    durable::settled().await.unwrap();
    assert_eq!(copy_of(key).await.as_deref(), Some("second ✓"), "the latest value, committed");
    kv.remove(key).unwrap();
    durable::settled().await.unwrap();
    assert_eq!(copy_of(key).await, None, "a removal reaches the copy too");
    // Nothing queued: settled at once.
    durable::settled().await.unwrap();
}

#[wasm_bindgen_test]
fn a_write_past_the_quota_is_full_and_changes_nothing() {
    let mut kv = LocalKv;
    let key = "text-annotator.test.too-large";
    let huge = "x".repeat(12 * 1024 * 1024);
    match kv.set(key, &huge) {
        Err(StoreError::Full { .. }) => {}
        other => panic!("a value over the quota must be refused as Full, got {other:?}"),
    }
    assert_eq!(kv.get(key).unwrap(), None);
}
