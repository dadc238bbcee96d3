//! A world for the team sync session's tests: pages (each a [`Session`] with
//! what its effect would touch — local storage, the library, each
//! document's store, the bridge's local copy and replication) and one
//! CouchDB server that can go away. Commands are carried out the way the
//! browser's effect does; answers come back as events, in order.
#![allow(dead_code)]

mod page;

pub use page::*;

use crate::couch_support::Db;
use annotator_core::model::{text_order, Annotation, Document, Label};
use annotator_core::sync::replica::iso_from_ms;
use annotator_core::sync::session::view::TeamView;
use annotator_core::sync::session::{Answer, Command, Event, Session};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::rc::Rc;

/// Pages and a server.
pub struct World {
    pub server: Db,
    pub up: bool,
    /// Milliseconds since [`BASE`]; every event is at a later one.
    pub now: u64,
    pub pages: Vec<Page>,
}

impl World {
    /// Pages named `names`, each started (the app's first render: boot, then the open document).
    pub fn new(names: &[&str]) -> World {
        let mut w = World { server: Db::default(), up: true, now: 0, pages: names.iter().map(|n| Page::new(n)).collect() };
        for p in 0..w.pages.len() {
            w.feed(p, Event::Boot { stored: None });
            let m = w.pages[p].model();
            w.feed(p, m);
        }
        w
    }

    pub fn now_ms(&mut self) -> u64 {
        self.now += 1;
        BASE + self.now
    }

    /// Takes `event` into page `p` and carries out what it says, answers included.
    pub fn feed(&mut self, p: usize, event: Event) {
        let mut queue = VecDeque::from([(event, false)]);
        while let Some((event, taking_in)) = queue.pop_front() {
            let now = self.now_ms();
            let commands = self.pages[p].session.step(event, now);
            for c in commands {
                self.exec(p, c, taking_in, &mut queue);
            }
        }
    }

    /// Carries out one command as the effect does; `taking_in`: it follows from
    /// what others did (a write then is an echo).
    fn exec(&mut self, p: usize, c: Command, taking_in: bool, queue: &mut VecDeque<(Event, bool)>) {
        let now = BASE + self.now;
        let answer = self.answer_for(p, &c);
        let page = &mut self.pages[p];
        match c {
            Command::View(v) => page.view = v,
            Command::SaveSettings(json) => page.stored = Some(json),
            Command::LoadBridge { ticket } => queue.push_back((Event::Loaded { ticket, result: Ok(()) }, false)),
            Command::Request { ticket, .. } => {
                if let (Some(ticket), Some(result)) = (ticket, answer) {
                    queue.push_back((Event::Answered { ticket, result }, false));
                }
            }
            Command::StartReplication { run, .. } => {
                flush(page);
                page.bridge = Some(run);
                page.initial_due = true;
                queue.push_back((Event::Started { run, result: Ok(()) }, false));
            }
            Command::StopReplication => {
                flush(page);
                page.bridge = None;
            }
            Command::Write { id, docs } => {
                if taking_in {
                    page.echoes.extend(docs.iter().cloned());
                }
                page.written.extend(docs.iter().cloned());
                match page.bridge {
                    Some(_) => page.pending.push((id, docs)),
                    None => queue.push_back((Event::Written { id, result: Err("team sync is off".into()) }, false)),
                }
            }
            Command::Show { doc, changes } => {
                if doc == page.doc.id && show(page, changes, now) {
                    queue.push_back((page.model(), true));
                }
            }
            Command::ReadTombstones { .. } => {
                let deleted = page.records.get(&page.doc.id).map(|r| r.deleted.clone()).unwrap_or_default();
                queue.push_back((Event::Tombstones { doc: page.doc.id.clone(), deleted }, false));
            }
            Command::AddDocuments { add, update, now } => {
                let mut lib = (*page.library).clone();
                let added = add.len();
                for (meta, _text) in add {
                    lib.add(meta).unwrap();
                }
                for m in update {
                    lib.rename(&m.id, &m.title, &now).unwrap();
                    lib.set_details(&m.id, m.details, &now).unwrap();
                }
                page.library = Rc::new(lib);
                queue.push_back((Event::DocumentsAdded { added, unstored: Vec::new(), library: Ok(()) }, false));
                queue.push_back((page.model(), true));
            }
            Command::Notice(n) => page.notices.push(n),
            Command::Info(i) => page.infos.push(i),
        }
    }

    /// The server's answer to a request of page `p` (`None` for other commands).
    fn answer_for(&mut self, p: usize, c: &Command) -> Option<Result<Answer, String>> {
        let Command::Request { method, url, body, .. } = c else { return None };
        if url.starts_with(NOT_COUCH) {
            return Some(Ok(Answer { status: 200, body: "<!doctype html><title>Annotator</title>".into() }));
        }
        if !self.up {
            return Some(Err("Failed to fetch".into()));
        }
        let page = &mut self.pages[p];
        let ok = |status: u16, body: Value| Some(Ok(Answer { status, body: body.to_string() }));
        let path = url.strip_prefix(URL).unwrap_or(url);
        match (*method, path) {
            ("GET", "/") => ok(200, json!({"couchdb": "Welcome", "version": "3.3.3"})),
            ("POST", "/_session") => {
                let v: Value = serde_json::from_str(body.as_deref().unwrap_or("")).unwrap();
                let known = USERS.iter().find(|(u, pw, _)| v["name"] == json!(u) && v["password"] == json!(pw));
                page.cookie = known.map(|(u, _, _)| u.to_string());
                match known {
                    Some(_) => ok(200, json!({"ok": true})),
                    None => ok(401, json!({"error": "unauthorized"})),
                }
            }
            ("DELETE", "/_session") => {
                page.cookie = None;
                ok(200, json!({"ok": true}))
            }
            ("GET", "/desk") => match page.cookie.as_deref().and_then(|c| USERS.iter().find(|(u, _, _)| *u == c)) {
                None => ok(401, json!({"error": "unauthorized"})),
                Some((_, _, true)) => ok(200, json!({"db_name": DB})),
                Some(_) => ok(403, json!({"error": "forbidden"})),
            },
            _ => ok(404, json!({"error": "not_found"})),
        }
    }

    // ------------------------------------------------------------ the person

    pub fn connect(&mut self, p: usize, user: &str) {
        let password = USERS.iter().find(|(u, _, _)| *u == user).map_or("", |(_, pw, _)| pw).to_string();
        self.connect_with(p, URL, user, &password);
    }

    pub fn connect_with(&mut self, p: usize, url: &str, user: &str, password: &str) {
        let e = Event::Connect { url: url.into(), db: DB.into(), user: user.into(), password: password.into() };
        self.feed(p, e);
    }

    /// "Share with team" on `doc`; the document opens if it is not open.
    pub fn share(&mut self, p: usize, doc: &str) {
        self.feed(p, Event::Share { id: doc.to_string() });
        if self.pages[p].doc.id != doc {
            self.open(p, doc);
        }
    }

    /// Opens document `id` (listed in the page's library) from its store.
    pub fn open(&mut self, p: usize, id: &str) {
        let page = &mut self.pages[p];
        let text = if id == seed_id() { SEED_TEXT } else { FILE_TEXT };
        let meta = page.library.get(id).cloned().expect("listed");
        page.doc = Rc::new(Document::new(&meta.title, &meta.name, text));
        let list = page.records.get(id).map(|r| r.annotations.clone()).unwrap_or_default();
        page.shown = Rc::new(list.into_iter().map(Rc::new).collect());
        let m = page.model();
        self.feed(p, m);
    }

    /// Opens a text file (added to the list).
    pub fn open_file(&mut self, p: usize) {
        let page = &mut self.pages[p];
        let mut lib = (*page.library).clone();
        lib.add(file_meta()).unwrap();
        page.library = Rc::new(lib);
        self.open(p, &file_id());
    }

    /// Deletes document `id` from the page's list (the sample article opens if it was open).
    pub fn delete_doc(&mut self, p: usize, id: &str) {
        self.feed(p, Event::Forget { id: id.to_string() });
        let page = &mut self.pages[p];
        let mut lib = (*page.library).clone();
        lib.remove(id).unwrap();
        page.library = Rc::new(lib);
        if page.doc.id == id {
            self.open(p, &seed_id());
        }
    }

    /// The person changes the open document's annotations: `f` edits the list;
    /// the store saves it, the hook sends the new list. The sample article's
    /// changes are noted as this page's own.
    pub fn edit(&mut self, p: usize, f: impl FnOnce(&mut Vec<Annotation>, &str, u64)) {
        let ms = self.now_ms();
        let page = &mut self.pages[p];
        let mut list = page.list();
        page.made += 1;
        let fresh = format!("{}{}", page.name, page.made);
        f(&mut list, &fresh, ms);
        list.sort_by(text_order);
        if page.doc.id == seed_id() {
            let before = page.list();
            note_own(&mut page.own, &before, &list, ms);
        }
        page.shown = Rc::new(list.into_iter().map(Rc::new).collect());
        store(page, ms);
        let m = page.model();
        self.feed(p, m);
    }

    /// Tags `needle` of the open document; the new annotation's id.
    pub fn tag(&mut self, p: usize, needle: &str, label: Label) -> String {
        let mut made = String::new();
        let doc = self.pages[p].doc.clone();
        self.edit(p, |list, fresh, ms| {
            made = fresh.to_string();
            list.push(ann_in(doc.text(), fresh, needle, label, ms));
        });
        made
    }

    /// Renames document `id` in the page's list.
    pub fn rename(&mut self, p: usize, id: &str, title: &str) {
        let ms = self.now_ms();
        let page = &mut self.pages[p];
        let mut lib = (*page.library).clone();
        lib.rename(id, title, &iso_from_ms(ms)).unwrap();
        page.library = Rc::new(lib);
        let m = page.model();
        self.feed(p, m);
    }

    pub fn retag(&mut self, p: usize, id: &str, label: Label) {
        self.edit(p, |list, _, ms| {
            let a = list.iter_mut().find(|a| a.id == id).expect("listed");
            a.label = label;
            a.modified = iso_from_ms(ms);
        });
    }

    pub fn delete(&mut self, p: usize, id: &str) {
        self.edit(p, |list, _, _| list.retain(|a| a.id != id));
    }

    pub fn reload(&mut self, p: usize) {
        let page = &mut self.pages[p];
        flush(page);
        page.bridge = None;
        page.starts += 1;
        page.session = Session::new(&format!("{}{}", page.name, page.starts), &seed_id());
        page.view = TeamView::default();
        let stored = page.stored.clone();
        self.feed(p, Event::Boot { stored });
        let id = self.pages[p].doc.id.clone();
        self.open(p, &id);
    }

    // ------------------------------------------------------------ the bridge

    /// Stores the writes handed to the bridge; each is acknowledged.
    pub fn ack(&mut self, p: usize) -> bool {
        let pending = std::mem::take(&mut self.pages[p].pending);
        let any = !pending.is_empty();
        for (id, docs) in pending {
            for d in &docs {
                self.pages[p].db.put(d);
            }
            self.feed(p, Event::Written { id, result: Ok(Vec::new()) });
        }
        any
    }

    /// The bridge passes its next batch on (the first: everything).
    pub fn deliver(&mut self, p: usize) -> bool {
        let page = &mut self.pages[p];
        let Some(run) = page.bridge else { return false };
        let initial = std::mem::take(&mut page.initial_due);
        let ids: Vec<String> = if initial { page.db.docs.keys().cloned().collect() } else { page.db.changed.iter().cloned().collect() };
        page.db.changed.clear();
        if ids.is_empty() && !initial {
            return false;
        }
        let items: Vec<Value> = ids.iter().map(|id| json!({"id": id, "leaves": page.db.leaf_bodies(id)})).collect();
        let library = page.library.clone();
        self.feed(p, Event::Batch { run, json: Value::Array(items).to_string(), initial, library });
        true
    }

    /// Replication both ways with the server, if it is up; says so.
    pub fn replicate(&mut self, p: usize) -> bool {
        let Some(run) = self.pages[p].bridge.filter(|_| self.up) else { return false };
        let before = (self.server.revisions_count(), self.pages[p].db.revisions_count());
        self.server.pull(&self.pages[p].db);
        self.server.changed.clear();
        let server = self.server.clone();
        self.pages[p].db.pull(&server);
        self.feed(p, Event::Status { run, kind: "paused".into(), detail: String::new() });
        before != (self.server.revisions_count(), self.pages[p].db.revisions_count())
    }

    pub fn server_down(&mut self) {
        self.up = false;
        for p in 0..self.pages.len() {
            if let Some(run) = self.pages[p].bridge {
                self.feed(p, Event::Status { run, kind: "paused".into(), detail: "Failed to fetch".into() });
            }
        }
    }

    /// Acknowledges, delivers and replicates everywhere until nothing moves.
    pub fn settle(&mut self) {
        for _ in 0..50 {
            let mut moved = false;
            for p in 0..self.pages.len() {
                moved |= self.ack(p);
                moved |= self.deliver(p);
                moved |= self.replicate(p);
            }
            if !moved {
                return;
            }
        }
        panic!("sync did not settle");
    }
}
