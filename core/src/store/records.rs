//! One document's annotations in storage: the base record, one journal per
//! tab, and the rules that keep two tabs from erasing each other's work
//! (the numbered contract in [`crate::store`]).

use super::backup::back_up;
use super::error::{SaveWarning, StoreError};
use super::keys::{classify_key, delta_key, doc_key, is_journal_of, journal_key, StorageKey};
use super::kv::Kv;
use crate::model::Annotation;
use crate::store::library::DocMeta;
use crate::store::merge::{self, DocRecord};
use crate::text::text_index::TextIndex;
use crate::text::time::parse_timestamp;
use std::collections::HashMap;

/// Most entries (annotations plus tombstones) a tab's journal holds; a save
/// that would pass it compacts instead (contract, step 3).
pub const JOURNAL_MAX_ENTRIES: usize = 256;
/// Most entries of a compacting save's change kept in the tab's journal
/// after the compaction (a larger change, an import, is only in the base).
pub const KEEP_AFTER_COMPACTION: usize = 64;
/// A foreign journal last written more than this many seconds before a
/// compaction that included it is removed by that compaction (step 4).
pub const STALE_JOURNAL_SECS: i64 = 3600;

/// A value that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The storage key.
    pub key: String,
    /// Where the unreadable value was copied, when the copy worked.
    pub backup: Option<String>,
    /// Why it could not be read (or copied), a sentence for people.
    pub reason: String,
}

/// What [`DocStore::load`] found.
#[derive(Clone, Debug)]
pub struct LoadedDoc {
    pub store: DocStore,
    /// Unreadable values (each backed up when possible, none overwritten or merged).
    pub problems: Vec<Problem>,
}

/// The outcome of a successful [`DocStore::save`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Saved {
    /// Something was written (false: nothing had changed).
    pub wrote: bool,
    /// The base record was written whole (a compaction).
    pub compacted: bool,
    /// A change in `current` lost to a newer version or a later deletion
    /// from another tab: the app should show [`DocStore::known`]'s annotations.
    pub lost: bool,
    /// Something harmless went wrong after the data was safe (a journal that
    /// could not be removed after a compaction, a compaction put off because
    /// the unreadable base could not be backed up): the app tells the person.
    pub warning: Option<SaveWarning>,
}

/// What a foreign write meant for this document ([`DocStore::on_foreign_write`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Foreign {
    /// Not about this document, a removal that needs nothing, or unreadable.
    Ignored,
    /// Its content was merged into [`DocStore::known`]: show it.
    Merged,
    /// Someone removed this tab's own journal: call [`DocStore::rewrite_own`] now.
    OwnJournalRemoved,
}

/// One tab's view of one document's stored annotations.
#[derive(Clone, Debug)]
pub struct DocStore {
    /// The document.
    pub doc_id: String,
    /// This tab's id (`[0-9a-z]`, at most 32 characters); its journal is
    /// [`journal_key`]`(doc_id, tab)`.
    pub tab: String,
    /// Everything this tab knows is stored: the base merged with every
    /// journal read or received, and this tab's saved edits. Edits are
    /// measured against it ([`DocRecord::edit_delta`]).
    pub known: DocRecord,
    /// This tab's journal as last written (empty after a compaction).
    pub own: DocRecord,
    /// The stored base was unreadable (and backed up): the next save compacts.
    pub rewrite_whole: bool,
    /// Most entries the own journal holds before a save compacts:
    /// [`JOURNAL_MAX_ENTRIES`] after [`load`](Self::load) (tests lower it).
    pub max_journal_entries: usize,
    /// The own journal key held an unreadable value that could not be backed
    /// up: back it up before the first write over it.
    own_unbacked: bool,
}

/// The `written` stamp of a journal value (RFC 3339), if it has one.
pub fn journal_written(raw: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Stamp {
        written: Option<String>,
    }
    serde_json::from_str::<Stamp>(raw).ok().and_then(|s| s.written)
}

/// A journal's stored JSON: [`DocRecord::to_json`] plus `"tab"` (the
/// writer) and `"written"` (when, RFC 3339). [`merge::parse_record`] reads it
/// as a record (it ignores both fields).
pub fn journal_to_json<'h>(
    record: &DocRecord,
    header: impl Into<merge::RecordHeader<'h>>,
    tab: &str,
    written: &str,
) -> Result<String, StoreError> {
    let mut s = record.to_json(header);
    if !s.ends_with('}') {
        return Err(StoreError::Encode);
    }
    s.pop();
    let q = |v: &str| serde_json::to_string(v).unwrap_or_else(|_| "\"\"".into());
    s.push_str(&format!(",\"tab\":{},\"written\":{}}}", q(tab), q(written)));
    Ok(s)
}

/// Milliseconds since 1970 of an RFC 3339 time (0 if it is not one).
fn ms_of(now: &str) -> u64 {
    parse_timestamp(now).map_or(0, |(s, n)| (s.max(0) as u64) * 1000 + u64::from(n / 1_000_000))
}

/// Whether a journal written at `written` is stale at `now` (more than
/// [`STALE_JOURNAL_SECS`] before). Without a readable stamp it is not.
fn is_stale(written: Option<&str>, now: &str) -> bool {
    match (written.and_then(parse_timestamp), parse_timestamp(now)) {
        (Some((w, _)), Some((n, _))) => n - w > STALE_JOURNAL_SECS,
        _ => false,
    }
}

fn entries(r: &DocRecord) -> usize {
    r.annotations.len() + r.deleted.len()
}

pub(super) fn parse(raw: &str, doc_id: &str, index: Option<&TextIndex>) -> Result<DocRecord, String> {
    merge::parse_record(raw.as_bytes(), Some(doc_id), index).map(|s| s.record).map_err(|e| e.to_string())
}

/// Backs up an unreadable `raw` of `key` and describes it.
fn problem(kv: &mut dyn Kv, key: &str, raw: &str, reason: String, now_ms: u64) -> Problem {
    match back_up(kv, key, raw, now_ms) {
        Ok(b) => Problem { key: key.to_string(), backup: Some(b), reason },
        Err(e) => Problem {
            key: key.to_string(),
            backup: None,
            reason: format!("{reason}; {}", StoreError::NotBackedUp { key: key.to_string(), cause: Box::new(e) }),
        },
    }
}

/// Every key of a journal of `doc_id` (all tabs and the legacy one).
pub(super) fn journal_keys(kv: &dyn Kv, doc_id: &str) -> Result<Vec<String>, StoreError> {
    Ok(kv.keys()?.into_iter().filter(|k| is_journal_of(k, doc_id)).collect())
}

impl DocStore {
    /// Loads document `doc_id` for tab `tab`: every journal of the document
    /// (read first), then the base, each checked against the text `index`,
    /// merged into [`known`](Self::known); this tab's own journal (if a
    /// previous page with this tab id left one) also becomes
    /// [`own`](Self::own). An unreadable value is backed up and reported,
    /// never overwritten nor merged (an unreadable base sets
    /// [`rewrite_whole`](Self::rewrite_whole)); an unreadable journal is left
    /// in place. `now_ms` stamps backups.
    pub fn load(kv: &mut dyn Kv, doc_id: &str, tab: &str, index: &TextIndex, now_ms: u64) -> LoadedDoc {
        let mut problems = Vec::new();
        let mut store = DocStore {
            doc_id: doc_id.to_string(),
            tab: tab.to_string(),
            known: DocRecord::default(),
            own: DocRecord::default(),
            rewrite_whole: false,
            max_journal_entries: JOURNAL_MAX_ENTRIES,
            own_unbacked: false,
        };
        let own_key = journal_key(doc_id, tab);
        let keys = journal_keys(kv, doc_id).unwrap_or_else(|e| {
            problems.push(Problem {
                key: delta_key(doc_id),
                backup: None,
                reason: format!("its latest changes could not be listed ({e})"),
            });
            Vec::new()
        });
        for k in keys {
            match kv.get(&k) {
                Ok(None) => {}
                Ok(Some(raw)) => match parse(&raw, doc_id, Some(index)) {
                    Ok(r) => {
                        store.known.absorb(&r);
                        if k == own_key {
                            store.own = r;
                        }
                    }
                    Err(e) => {
                        let p = problem(kv, &k, &raw, format!("its latest changes: {e}"), now_ms);
                        if k == own_key && p.backup.is_none() {
                            store.own_unbacked = true;
                        }
                        problems.push(p);
                    }
                },
                Err(e) => problems.push(Problem { key: k, backup: None, reason: format!("its latest changes could not be read ({e})") }),
            }
        }
        let dk = doc_key(doc_id);
        match kv.get(&dk) {
            Ok(None) => {}
            Ok(Some(raw)) => match parse(&raw, doc_id, Some(index)) {
                Ok(base) => store.known = merge::merge(&base, &store.known),
                Err(e) => {
                    problems.push(problem(kv, &dk, &raw, e, now_ms));
                    store.rewrite_whole = true;
                }
            },
            Err(e) => problems.push(Problem { key: dk, backup: None, reason: format!("it could not be read ({e})") }),
        }
        LoadedDoc { store, problems }
    }

    /// This tab's journal key.
    pub fn own_key(&self) -> String {
        journal_key(&self.doc_id, &self.tab)
    }

    /// Saves the edits that turned [`known`](Self::known)'s annotations into
    /// `current` at time `now` (RFC 3339, later than every earlier save):
    /// the change ([`DocRecord::edit_delta`]) goes into this tab's journal,
    /// written whole; when the journal would pass [`JOURNAL_MAX_ENTRIES`] or
    /// the base was unreadable, the document is compacted instead (contract,
    /// steps 2–4). On error nothing stored and nothing in `self` changed, so
    /// the next save retries. Nothing to save: `Ok` with `wrote == false`.
    /// An invalid tab id ([`valid_tab_id`](super::keys::valid_tab_id)) is an error.
    pub fn save<A: std::borrow::Borrow<Annotation>>(
        &mut self,
        kv: &mut dyn Kv,
        meta: &DocMeta,
        current: &[A],
        now: &str,
    ) -> Result<Saved, StoreError> {
        if !super::keys::valid_tab_id(&self.tab) {
            // Its journal would be invisible to every reader.
            return Err(StoreError::InvalidTab(self.tab.clone()));
        }
        let delta = self.known.edit_delta(current, now);
        if delta.is_empty() {
            return Ok(Saved::default());
        }
        let mut next_own = self.own.clone();
        next_own.absorb(&delta);
        next_own.rev = self.known.rev.max(self.own.rev) + 1;
        let mut warning = None;
        if self.rewrite_whole || entries(&next_own) > self.max_journal_entries {
            match self.compact(kv, meta, &delta, now)? {
                Ok(cleanup) => {
                    let lost = self.lost(&delta);
                    return Ok(Saved { wrote: true, compacted: true, lost, warning: cleanup });
                }
                // The unreadable base could not be backed up: keep it, and
                // keep the change in the journal (longer than the bound).
                Err(blocked) => warning = Some(blocked),
            }
        }
        self.write_own(kv, meta, &next_own, now)?;
        let rev = next_own.rev;
        self.own = next_own;
        self.known.absorb(&delta);
        self.known.rev = self.known.rev.max(rev);
        Ok(Saved { wrote: true, compacted: false, lost: self.lost(&delta), warning })
    }

    /// Writes `journal` under this tab's key (backing up an unreadable value
    /// there first, if that has not been done).
    fn write_own(&mut self, kv: &mut dyn Kv, meta: &DocMeta, journal: &DocRecord, now: &str) -> Result<(), StoreError> {
        let key = self.own_key();
        if self.own_unbacked {
            if let Some(raw) = kv.get(&key)? {
                if parse(&raw, &self.doc_id, None).is_err() {
                    back_up(kv, &key, &raw, ms_of(now)).map_err(|e| StoreError::NotBackedUp { key: key.clone(), cause: Box::new(e) })?;
                }
            }
            self.own_unbacked = false;
        }
        kv.set(&key, &journal_to_json(journal, meta, &self.tab, now)?)
    }

    /// Compaction (contract, step 3): re-reads every journal, then the base,
    /// merges them with `known` and `delta`, writes the base, then removes
    /// the journals it may remove. Outer `Err`: a read or the base write
    /// failed (nothing changed). `Ok(Err(why))`: the base is unreadable and
    /// could not be backed up, so it was not written. `Ok(Ok(warning))`: done.
    fn compact(
        &mut self,
        kv: &mut dyn Kv,
        meta: &DocMeta,
        delta: &DocRecord,
        now: &str,
    ) -> Result<Result<Option<SaveWarning>, SaveWarning>, StoreError> {
        let own_key = self.own_key();
        let mut merged = self.known.clone();
        merged.absorb(delta);
        // 1. Journals first, then the base: a journal removed after another
        //    compaction wrote its base is then in the base read below.
        let mut included: Vec<(String, String)> = Vec::new();
        for k in journal_keys(kv, &self.doc_id)? {
            if let Some(raw) = kv.get(&k)? {
                if let Ok(r) = parse(&raw, &self.doc_id, None) {
                    merged.absorb(&r);
                    included.push((k, raw));
                }
                // An unreadable journal is neither merged nor removed.
            }
        }
        let dk = doc_key(&self.doc_id);
        let mut top_rev = merged.rev;
        if let Some(raw) = kv.get(&dk)? {
            match parse(&raw, &self.doc_id, None) {
                Ok(base) => {
                    top_rev = top_rev.max(base.rev);
                    merged = merge::merge(&base, &merged);
                }
                Err(_) => {
                    if let Err(e) = back_up(kv, &dk, &raw, ms_of(now)) {
                        return Ok(Err(SaveWarning::CompactionBlocked(StoreError::NotBackedUp { key: dk, cause: Box::new(e) })));
                    }
                }
            }
        }
        merged.rev = top_rev + 1;
        // 2. The base, whole, with everything this tab can see.
        kv.set(&dk, &merged.to_json(meta))?;
        // 3. This tab's journal now holds only this save's change: the base
        //    has the rest, and should another tab's compaction overwrite the
        //    base without this change, it still lives under a key with one
        //    writer. A large change (an import) is not kept twice: the
        //    journal is removed then, as the stored copy would double its
        //    size in a 5 MB quota. (Should the write or removal fail, the old
        //    journal stays: it is in the base, and the next save compacts again.)
        let mut warning = None;
        let mut own_after = self.own.clone();
        let mut own_delta = delta.clone();
        own_delta.rev = merged.rev;
        let step = if entries(delta) <= KEEP_AFTER_COMPACTION {
            journal_to_json(&own_delta, meta, &self.tab, now).and_then(|j| kv.set(&own_key, &j))
        } else {
            own_delta = DocRecord::default();
            kv.remove(&own_key)
        };
        match step {
            Ok(()) => own_after = own_delta,
            Err(e) => warning = Some(SaveWarning::JournalNotShortened(e)),
        }
        // 4. Removals: the legacy journal; a foreign journal only when
        //    stale. Each only if it still holds what was merged.
        for (k, raw) in included {
            let removable =
                k != own_key && (matches!(classify_key(&k), StorageKey::Delta(_)) || is_stale(journal_written(&raw).as_deref(), now));
            if !removable {
                continue;
            }
            match kv.get(&k) {
                Ok(Some(v)) if v == raw => {
                    if let Err(cause) = kv.remove(&k) {
                        warning.get_or_insert(SaveWarning::OldJournalLeft { key: k.clone(), cause });
                    }
                }
                Ok(_) => {}
                Err(cause) => {
                    warning.get_or_insert(SaveWarning::OldJournalLeft { key: k.clone(), cause });
                }
            }
        }
        self.known = merged;
        self.own = own_after;
        self.rewrite_whole = false;
        Ok(Ok(warning))
    }

    /// Whether a change of `delta` did not take effect in `known` (another
    /// tab's newer version or later deletion won the merge).
    fn lost(&self, delta: &DocRecord) -> bool {
        let known = &self.known.annotations;
        if entries(delta) > 64 {
            let by_id: HashMap<&str, &Annotation> = known.iter().map(|a| (a.id.as_str(), a)).collect();
            delta.annotations.iter().any(|a| !by_id.get(a.id.as_str()).is_some_and(|b| b.same_content(a)))
                || delta.deleted.keys().any(|id| by_id.contains_key(id.as_str()))
        } else {
            delta.annotations.iter().any(|a| !known.iter().any(|b| b.id == a.id && b.same_content(a)))
                || delta.deleted.keys().any(|id| known.iter().any(|b| &b.id == id))
        }
    }

    /// Another tab wrote `key` (the browser's `storage` event; `new_value`
    /// `None`: removed). A journal (another tab's, or the legacy one) or the
    /// base of this document is parsed against `index` and merged into
    /// [`known`](Self::known): [`Foreign::Merged`]. The removal of this
    /// tab's own journal: [`Foreign::OwnJournalRemoved`]. Everything else,
    /// and unreadable values: [`Foreign::Ignored`].
    ///
    /// After `Merged` the app must show `known`'s annotations (with its
    /// unsaved edits re-applied): the next save measures edits against
    /// `known`, so an annotation missing from `current` is a deletion.
    pub fn on_foreign_write(&mut self, key: &str, new_value: Option<&str>, index: &TextIndex) -> Foreign {
        let own = match classify_key(key) {
            StorageKey::Doc(d) | StorageKey::Delta(d) if d == self.doc_id => false,
            StorageKey::Journal { doc, tab } if doc == self.doc_id => tab == self.tab,
            _ => return Foreign::Ignored,
        };
        let Some(value) = new_value else {
            return if own { Foreign::OwnJournalRemoved } else { Foreign::Ignored };
        };
        match parse(value, &self.doc_id, Some(index)) {
            Ok(r) => {
                // Another page with this tab id wrote our key: keep its
                // changes in our next write of it.
                if own {
                    self.own.absorb(&r);
                }
                self.known.absorb(&r);
                Foreign::Merged
            }
            Err(_) => Foreign::Ignored,
        }
    }

    /// Merges `record` (a record this tab wrote by other means, e.g.
    /// [`write_whole_record`]) into [`known`](Self::known).
    pub fn absorb(&mut self, record: &DocRecord) {
        self.known.absorb(record);
    }

    /// Writes this tab's journal again, stamped `now` (after
    /// [`Foreign::OwnJournalRemoved`]). Nothing is written when it is empty.
    pub fn rewrite_own(&mut self, kv: &mut dyn Kv, meta: &DocMeta, now: &str) -> Result<(), StoreError> {
        if self.own.is_empty() {
            return Ok(());
        }
        let own = self.own.clone();
        self.write_own(kv, meta, &own, now)
    }
}
