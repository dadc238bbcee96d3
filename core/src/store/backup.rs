//! Keeping unreadable values: a copy under [`backup_key`] before anything
//! could replace them.

use super::error::StoreError;
use super::keys::{backup_key, BACKUP_KEY_PREFIX};
use super::kv::Kv;

/// The key of an existing backup of `key` holding exactly `raw`, if any.
pub fn find_backup(kv: &dyn Kv, key: &str, raw: &str) -> Result<Option<String>, StoreError> {
    let suffix = format!(".{key}");
    for k in kv.keys()? {
        if k.starts_with(BACKUP_KEY_PREFIX) && k.ends_with(&suffix) && kv.get(&k)?.as_deref() == Some(raw) {
            return Ok(Some(k));
        }
    }
    Ok(None)
}

/// Copies an unreadable value `raw` of `key` to [`backup_key`]`(key, now_ms)`
/// and returns that key. When a backup of `key` already holds exactly `raw`
/// (the same unreadable value met again: another reload, another tab), that
/// key is returned and nothing is written, so backups do not pile up. A
/// backup key already used (same millisecond) is never overwritten: the
/// stamp moves on by one.
pub fn back_up(kv: &mut dyn Kv, key: &str, raw: &str, now_ms: u64) -> Result<String, StoreError> {
    if let Some(existing) = find_backup(kv, key, raw)? {
        return Ok(existing);
    }
    let mut stamp = now_ms;
    let mut backup = backup_key(key, stamp);
    while kv.get(&backup)?.is_some() {
        stamp += 1;
        backup = backup_key(key, stamp);
    }
    kv.set(&backup, raw)?;
    Ok(backup)
}
