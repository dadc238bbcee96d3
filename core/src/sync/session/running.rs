//! Rules 5–9 of the session: batches taken in, the open document caught up
//! and its changes sent, shared documents arriving, sharing.

use super::{Command, Open, Phase, Session};
use crate::store::library::{DocMeta, Library};
use crate::store::merge::DocRecord;
use crate::sync::docs::{parse_batch, rev_of};
use crate::sync::replica::iso_from_ms;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::rc::Rc;

impl Session {
    /// Writes `docs`, if any.
    fn write(&mut self, docs: Vec<Value>, out: &mut Vec<Command>) {
        if !docs.is_empty() {
            let id = self.next();
            out.push(Command::Write { id, docs });
        }
    }

    /// Rule 8: a batch of the changes feed.
    pub(super) fn batch(&mut self, run: u64, json: &str, initial: bool, library: &Library, now_ms: u64, out: &mut Vec<Command>) {
        if self.run() != Some(run) {
            return;
        }
        let batch = match parse_batch(json) {
            Ok(b) => b,
            Err(e) => return out.push(Command::Notice(format!("Team sync received something unreadable ({e})."))),
        };
        let write_id = self.next();
        let Phase::Running(r) = &mut self.phase else { return };
        if !r.in_flight.is_empty() {
            for rev in batch.iter().flat_map(|c| &c.leaves).filter_map(rev_of) {
                r.in_flight.remove(rev);
            }
        }
        let mut received = r.replica.receive(&batch, now_ms);
        let mut closing = Vec::new();
        for w in received.writes {
            if let Some(std::collections::hash_map::Entry::Vacant(e)) = rev_of(&w).map(|rev| r.in_flight.entry(rev.to_string())) {
                e.insert(write_id);
                closing.push(w);
            }
        }
        if initial {
            r.ready = true;
        }
        if !closing.is_empty() {
            out.push(Command::Write { id: write_id, docs: closing });
        }
        if !received.errors.is_empty() {
            out.push(Command::Notice(format!(
                "{} shared record(s) could not be read and were not applied: {}",
                received.errors.len(),
                received.errors.iter().take(3).cloned().collect::<Vec<_>>().join(" ")
            )));
        }
        self.view.foreign += received.foreign;
        if !received.documents.is_empty() {
            self.arrivals(received.documents, library, now_ms, out);
        }
        // The open document's changes are shown once it is caught up; until
        // then, catching up shows them (the replica knows them now).
        if let Some(doc) = self.caught_up().map(str::to_string) {
            if let Some(changes) = received.annotations.remove(&doc) {
                out.push(Command::Show { doc, changes: changes.into_iter().collect() });
            }
        }
        self.catch_up(now_ms, out);
    }

    /// Rule 8: shared documents that arrived are marked shared and added to
    /// the list (text stored), or take the team's title and details; not
    /// those deleted here.
    fn arrivals(&mut self, docs: Vec<(DocMeta, String)>, library: &Library, now_ms: u64, out: &mut Vec<Command>) {
        let Some(settings) = self.settings.as_mut() else { return };
        let docs: Vec<(DocMeta, String)> = docs.into_iter().filter(|(m, _)| !settings.left.contains(&m.id)).collect();
        let mut newly_shared = false;
        for (meta, _) in &docs {
            newly_shared |= settings.shared.insert(meta.id.clone());
        }
        if newly_shared {
            self.save_settings(out);
        }
        let (mut add, mut update) = (Vec::new(), Vec::new());
        for (meta, text) in docs {
            if let Some(mine) = library.get(&meta.id) {
                if mine.title != meta.title || mine.details != meta.details {
                    update.push(meta);
                }
                continue;
            }
            // The sample article's text ships with the app.
            let text = (!meta.seed && meta.id != self.seed_id).then_some(text);
            add.push((DocMeta { counts: [0; 3], ..meta }, text));
        }
        if !add.is_empty() || !update.is_empty() {
            out.push(Command::AddDocuments { add, update, now: iso_from_ms(now_ms) });
        }
    }

    /// Rule 6 (and 9: a document waiting to be shared is shared once open):
    /// asks for the open document's tombstones if it is to be caught up.
    fn catch_up(&mut self, now_ms: u64, out: &mut Vec<Command>) {
        let Some(doc) = self.open.as_ref().map(|o| o.doc.id.clone()) else { return };
        if !matches!(&self.phase, Phase::Running(r) if r.ready) {
            return;
        }
        if self.pending_share.as_deref() == Some(doc.as_str()) {
            self.pending_share = None;
            self.share_open(now_ms, out);
        }
        let shared = self.settings.as_ref().is_some_and(|s| s.shared.contains(&doc));
        let Phase::Running(r) = &mut self.phase else { return };
        if shared && r.caught_up.as_deref() != Some(doc.as_str()) && r.catching_up.as_deref() != Some(doc.as_str()) {
            r.catching_up = Some(doc.clone());
            out.push(Command::ReadTombstones { doc });
        }
    }

    /// Rule 6: the open document's record (its annotations as shown, the
    /// tombstones of `store_doc`'s store if it is the open one) joined with the team's.
    pub(super) fn tombstones(&mut self, store_doc: &str, deleted: BTreeMap<String, String>, now_ms: u64, out: &mut Vec<Command>) {
        let Some(open) = self.open.clone() else { return };
        let doc = open.doc.id.as_str();
        let shared = self.settings.as_ref().is_some_and(|s| s.shared.contains(doc));
        let Phase::Running(r) = &mut self.phase else { return };
        if r.catching_up.take().as_deref() != Some(doc) || !r.ready || !shared || r.caught_up.as_deref() == Some(doc) {
            return;
        }
        let mut local = DocRecord::new(open.annotations.iter().map(|a| (**a).clone()).collect());
        if store_doc == doc {
            local.deleted = deleted;
        }
        r.caught_up = Some(doc.to_string());
        let (reconciled, errors) = r.replica.reconcile(doc, &local, now_ms);
        self.write(reconciled.writes, out);
        if !errors.is_empty() {
            out.push(Command::Notice(format!("Some annotations cannot be shared: {}", errors.join(" "))));
        }
        if let Some(show) = reconciled.show {
            let shown: HashSet<&str> = show.iter().map(|a| a.id.as_str()).collect();
            let gone: Vec<(String, Option<_>)> =
                open.annotations.iter().filter(|a| !shown.contains(a.id.as_str())).map(|a| (a.id.clone(), None)).collect();
            let mut changes: Vec<_> = show.iter().map(|a| (a.id.clone(), Some(a.clone()))).collect();
            changes.extend(gone);
            out.push(Command::Show { doc: doc.to_string(), changes });
        }
    }

    /// Rule 7: the page shows `open` now: its changes are sent once it is
    /// caught up; another document opened is caught up first.
    pub(super) fn model(&mut self, open: Open, now_ms: u64, out: &mut Vec<Command>) {
        let previous = self.open.replace(open.clone());
        let doc = open.doc.id.as_str();
        let Phase::Running(r) = &mut self.phase else { return };
        if !r.ready {
            return;
        }
        let same_doc = previous.as_ref().is_some_and(|p| p.doc.id == doc);
        if !same_doc {
            r.caught_up = None;
        }
        let Some(before) = previous.filter(|_| r.caught_up.as_deref() == Some(doc) && self.pending_share.as_deref() != Some(doc)) else {
            return self.catch_up(now_ms, out);
        };
        let (mut writes, mut errors) = if Rc::ptr_eq(&before.annotations, &open.annotations) {
            (Vec::new(), Vec::new())
        } else {
            r.replica.send_changes(doc, &before.annotations[..], &open.annotations[..], now_ms)
        };
        let shared = self.settings.as_ref().is_some_and(|s| s.shared.contains(doc));
        if let Some(meta) = open.meta.as_ref().filter(|m| shared && before.meta.as_ref() != Some(*m)) {
            match r.replica.share(meta, open.doc.text(), now_ms) {
                Ok(w) => writes.extend(w),
                Err(e) => errors.push(e),
            }
        }
        self.write(writes, out);
        if !errors.is_empty() {
            out.push(Command::Notice(format!("Some annotations cannot be shared: {}", errors.join(" "))));
        }
    }

    /// Rule 9: "Share with team" on document `id`.
    pub(super) fn share(&mut self, id: &str, now_ms: u64, out: &mut Vec<Command>) {
        if !self.view.status.running() {
            return out.push(Command::Notice("Connect to your team first (Team sync), then share.".into()));
        }
        let ready = matches!(&self.phase, Phase::Running(r) if r.ready);
        if ready && self.open.as_ref().is_some_and(|o| o.doc.id == id) {
            self.share_open(now_ms, out);
            self.catch_up(now_ms, out);
        } else {
            self.pending_share = Some(id.to_string());
        }
    }

    /// Rule 9: the open document marked shared and its record written.
    fn share_open(&mut self, now_ms: u64, out: &mut Vec<Command>) {
        let Some(open) = self.open.clone() else { return };
        let Some(meta) = open.meta else { return };
        let Some(s) = self.settings.as_mut() else { return };
        s.shared.insert(meta.id.clone());
        s.left.remove(&meta.id);
        self.save_settings(out);
        let Phase::Running(r) = &mut self.phase else { return };
        match r.replica.share(&meta, open.doc.text(), now_ms) {
            Ok(w) => {
                self.write(w.into_iter().collect(), out);
                out.push(Command::Info(format!("Shared “{}” with the team.", meta.title)));
            }
            Err(e) => out.push(Command::Notice(format!("Could not share “{}”: {e}", meta.title))),
        }
    }

    /// A write was stored (or not): what failed is told, and its closing
    /// tombstones are no longer in flight (rule 8), so they may be written again.
    pub(super) fn written(&mut self, id: u64, result: Result<Vec<String>, String>, out: &mut Vec<Command>) {
        let ok = matches!(&result, Ok(errors) if errors.is_empty());
        if let (false, Phase::Running(r)) = (ok, &mut self.phase) {
            r.in_flight.retain(|_, w| *w != id);
        }
        match result {
            Ok(errors) if errors.is_empty() => {}
            Ok(errors) => out.push(Command::Notice(format!(
                "{} change(s) could not be stored for the team ({}). They are kept in this browser.",
                errors.len(),
                errors.first().cloned().unwrap_or_default()
            ))),
            Err(e) => out.push(Command::Notice(format!("Changes could not be stored for the team ({e}). They are kept in this browser."))),
        }
    }
}
