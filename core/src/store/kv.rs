//! The key-value store the storage policy runs against: the browser's local
//! storage in the app, [`MemKv`] in tests.

use super::error::StoreError;
use super::keys::PREFIX;
use std::collections::BTreeMap;

/// A string key-value store with local storage's semantics: every `set`
/// writes one complete value or fails leaving the previous value as it was.
pub trait Kv {
    /// The value of `k`, `None` when absent.
    fn get(&self, k: &str) -> Result<Option<String>, StoreError>;
    /// Writes `v` under `k` whole; on error (storage full, disabled) nothing changed.
    fn set(&mut self, k: &str, v: &str) -> Result<(), StoreError>;
    /// Removes `k` (no error when absent).
    fn remove(&mut self, k: &str) -> Result<(), StoreError>;
    /// Every key starting with [`PREFIX`], in any order.
    fn keys(&self) -> Result<Vec<String>, StoreError>;
}

/// An in-memory [`Kv`] for tests: a sorted map with an optional quota
/// (counted like browsers count local storage: UTF-16 code units of every
/// key and value) and injectable failures.
#[derive(Clone, Debug, Default)]
pub struct MemKv {
    /// The stored entries.
    pub map: BTreeMap<String, String>,
    /// Most UTF-16 code units of all keys and values together; `None`: no limit.
    pub quota_utf16: Option<usize>,
    /// The next this many `set` calls fail (then it counts down).
    pub fail_sets: usize,
    /// The next this many `remove` calls fail (then it counts down).
    pub fail_removes: usize,
    /// Every `get` fails while set.
    pub fail_gets: bool,
    /// Successful `set` calls so far.
    pub sets: usize,
}

impl MemKv {
    /// An empty store without a quota.
    pub fn new() -> Self {
        MemKv::default()
    }

    /// An empty store holding at most `quota_utf16` UTF-16 code units.
    pub fn with_quota(quota_utf16: usize) -> Self {
        MemKv { quota_utf16: Some(quota_utf16), ..MemKv::default() }
    }

    /// Makes the next `n` writes fail (like a full local storage).
    pub fn fail_next_sets(&mut self, n: usize) {
        self.fail_sets = n;
    }

    /// Makes the next `n` removals fail.
    pub fn fail_next_removes(&mut self, n: usize) {
        self.fail_removes = n;
    }

    /// UTF-16 code units used by every key and value.
    pub fn used_utf16(&self) -> usize {
        self.map.iter().map(|(k, v)| utf16_len(k) + utf16_len(v)).sum()
    }

    /// The value of `k` (test convenience, no `Result`).
    pub fn value(&self, k: &str) -> Option<&str> {
        self.map.get(k).map(String::as_str)
    }
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

impl Kv for MemKv {
    fn get(&self, k: &str) -> Result<Option<String>, StoreError> {
        if self.fail_gets {
            return Err(StoreError::Browser { detail: "reading failed (test)".into() });
        }
        Ok(self.map.get(k).cloned())
    }

    fn set(&mut self, k: &str, v: &str) -> Result<(), StoreError> {
        if self.fail_sets > 0 {
            self.fail_sets -= 1;
            return Err(StoreError::Full { detail: "test: write refused".into() });
        }
        if let Some(q) = self.quota_utf16 {
            let old = self.map.get(k).map_or(0, |o| utf16_len(k) + utf16_len(o));
            let after = self.used_utf16() - old + utf16_len(k) + utf16_len(v);
            if after > q {
                return Err(StoreError::Full { detail: format!("QuotaExceededError: {after} > {q}") });
            }
        }
        self.map.insert(k.to_string(), v.to_string());
        self.sets += 1;
        Ok(())
    }

    fn remove(&mut self, k: &str) -> Result<(), StoreError> {
        if self.fail_removes > 0 {
            self.fail_removes -= 1;
            return Err(StoreError::Browser { detail: "removing failed (test)".into() });
        }
        self.map.remove(k);
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        if self.fail_gets {
            return Err(StoreError::Browser { detail: "reading failed (test)".into() });
        }
        Ok(self.map.keys().filter(|k| k.starts_with(PREFIX)).cloned().collect())
    }
}
