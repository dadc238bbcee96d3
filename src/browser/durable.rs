//! The crash-safe copy of local storage as the page writes it
//! (`annotator_core::store::durable` says what it is for): every write and
//! removal of [`super::storage`] is queued here and written to IndexedDB's
//! `kv` store, coalesced by key, one transaction at a time in the order they
//! were made. [`settled`] resolves once everything queued before it has
//! committed: the autosave says "Saved" only then. A batch that fails stays
//! queued (unless a newer value of its key came meanwhile) and is written
//! again with the next one.

use super::idb;
use annotator_core::store::error::StoreError;
use std::cell::RefCell;
use std::collections::BTreeMap;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{spawn_local, JsFuture};

#[derive(Default)]
struct Queue {
    /// Writes not yet handed to a transaction: value, or `None` (remove).
    pending: BTreeMap<String, Option<String>>,
    /// Writes queued so far (a count).
    queued: u64,
    /// Every write up to this count has committed.
    committed: u64,
    /// A transaction is under way.
    running: bool,
    /// Start-up has not read the copy yet: nothing is written to it until
    /// then, so start-up's own writes cannot hide what a crash lost.
    held: bool,
    /// Who waits for the write with this count: the promise's resolve and reject.
    waiters: Vec<(u64, js_sys::Function, js_sys::Function)>,
}

thread_local! {
    static QUEUE: RefCell<Queue> = RefCell::new(Queue::default());
}

/// Queues a write of `value` under `key` (after local storage took it).
pub fn record(key: &str, value: Option<&str>) {
    QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        q.pending.insert(key.to_string(), value.map(str::to_string));
        q.queued += 1;
    });
    start();
}

/// Starts writing the queue unless a transaction is under way (it goes on
/// with what was queued meanwhile when it ends).
fn start() {
    let go = QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        let go = !q.running && !q.held && !q.pending.is_empty();
        q.running |= go;
        go
    });
    if go {
        spawn_local(drain());
    }
}

async fn drain() {
    loop {
        let (batch, upto) = QUEUE.with(|q| {
            let mut q = q.borrow_mut();
            (std::mem::take(&mut q.pending), q.queued)
        });
        if batch.is_empty() {
            QUEUE.with(|q| q.borrow_mut().running = false);
            return;
        }
        let result = idb::write_copy(&batch).await;
        let failed = result.is_err();
        let (done, waiters) = QUEUE.with(|q| {
            let mut q = q.borrow_mut();
            match &result {
                Ok(()) => q.committed = q.committed.max(upto),
                // Written again with the next batch, unless a newer value came.
                Err(_) => {
                    for (k, v) in batch {
                        q.pending.entry(k).or_insert(v);
                    }
                }
            }
            // A failure answers every waiter: the queue stops until the next write.
            let (done, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut q.waiters).into_iter().partition(|(n, _, _)| failed || *n <= upto);
            q.waiters = waiting;
            if failed {
                q.running = false;
            }
            (result, done)
        });
        for (_, resolve, reject) in waiters {
            let _ = match &done {
                Ok(()) => resolve.call0(&JsValue::NULL),
                Err(e) => reject.call1(&JsValue::NULL, &JsValue::from_str(&e.to_string())),
            };
        }
        if failed {
            // No retry loop against a broken store: the next write starts again.
            return;
        }
    }
}

/// Holds every write back from the copy (they are still queued and
/// coalesced) until [`release`]: called before start-up writes anything, so
/// the copy start-up reads is the one the last page left.
pub fn hold() {
    QUEUE.with(|q| q.borrow_mut().held = true);
}

/// Ends [`hold`]: writes what was queued meanwhile.
pub fn release() {
    QUEUE.with(|q| q.borrow_mut().held = false);
    start();
}

/// Resolves once every write queued so far is in the crash-safe copy; the
/// reason when the transaction holding them failed.
pub async fn settled() -> Result<(), StoreError> {
    let promise = QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        if q.committed >= q.queued {
            return None;
        }
        let upto = q.queued;
        Some(js_sys::Promise::new(&mut |resolve, reject| q.waiters.push((upto, resolve, reject))))
    });
    let Some(promise) = promise else { return Ok(()) };
    // Writes that failed before are tried again now.
    start();
    JsFuture::from(promise).await.map(|_| ()).map_err(|e| StoreError::Durable { detail: e.as_string().unwrap_or_default() })
}
