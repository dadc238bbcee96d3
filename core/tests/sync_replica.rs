//! Team sync, one page's side ([`Replica`]): replicas editing their own
//! copies of a simulated CouchDB database, replicated in random order, end
//! with the same winners (the highest clock), no conflicts left and nothing
//! more to write; showing the team's versions sends nothing back; catching
//! up (`reconcile`) joins this browser's record with the shared one by the
//! two-tab merge rule; foreign and bad records are counted and reported;
//! a shared text is written once and again only when it changes.

mod couch_support;

use annotator_core::model::links::{Link, LinkKind};
use annotator_core::model::{text_order, Annotation, Label};
use annotator_core::store::library::DocMeta;
use annotator_core::store::merge::DocRecord;
use annotator_core::sync::replica::iso_from_ms;
use annotator_core::sync::*;
use couch_support::{is_deleted, with_rev, Db};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

const DOC: &str = "d1";
const TEXT: &str = "Kabul denied the claim; Islamabad said 1,463 were injured.";
/// The annotation id pool and the text each id covers (distinct spans, so text order is strict).
const POOL: [(&str, &str); 4] = [("a", "Kabul"), ("b", "the claim"), ("c", "Islamabad said"), ("d", "1,463")];
/// 2024-05-01T10:00:00Z.
const BASE: u64 = 1_714_557_600_000;

fn span(needle: &str) -> (usize, usize) {
    let byte = TEXT.find(needle).unwrap();
    let start = TEXT[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// Annotation `id` over `needle`, created and modified at `ms`.
fn ann_at(id: &str, needle: &str, label: Label, ms: u64) -> Annotation {
    let (s, e) = span(needle);
    Annotation::new(id, s, e, needle, label, &iso_from_ms(ms))
}

fn hlc(wall: u64, counter: u32, replica: &str) -> Hlc {
    Hlc::new(wall, counter, replica).unwrap()
}

fn cid(ann: &str) -> CouchId {
    CouchId::annotation(DOC, ann).unwrap()
}

/// One changed `_id` with the given leaves.
fn changed(leaves: Vec<Value>) -> Changed {
    Changed { id: leaves[0]["_id"].as_str().unwrap().to_string(), leaves }
}

fn ids_of(list: &[Annotation]) -> Vec<&str> {
    list.iter().map(|a| a.id.as_str()).collect()
}

/// Applies the team's changes to a shown list the way the app does (by id, text order).
fn apply(list: &mut Vec<Annotation>, changes: &BTreeMap<String, Option<Annotation>>) {
    for (id, version) in changes {
        list.retain(|a| &a.id != id);
        if let Some(a) = version {
            list.push(a.clone());
        }
    }
    list.sort_by(text_order);
}

// ------------------------------------------------------- convergence (property)

/// One page: its replica, its own copy of the database (PouchDB), the
/// annotations it shows of document [`DOC`], and how far its machine's
/// clock is off.
struct Node {
    replica: Replica,
    db: Db,
    list: Vec<Annotation>,
    skew: i64,
}

#[derive(Clone, Debug)]
enum Op {
    /// Page edits annotation `POOL[i]`: kind 0 retags (or adds), 1 deletes (or adds), 2 edits the note (or adds); label.
    Edit(usize, usize, usize, usize),
    /// Replication of everything from the first page's copy to the second's.
    Sync(usize, usize),
    /// The page's machine clock jumps back by this many milliseconds.
    ClockBack(usize, i64),
}

struct Sim {
    nodes: Vec<Node>,
    now: u64,
    /// Every edit and deletion written by `send_changes`, per `_id` (as read back).
    events: BTreeMap<String, Vec<Remote>>,
    notes: u32,
}

impl Sim {
    fn now_ms(&self, r: usize) -> u64 {
        (BASE as i64 + self.now as i64 + self.nodes[r].skew) as u64
    }

    /// The page's changes feed until quiet: each batch holds every leaf of
    /// every changed `_id`; what it returns is shown and its closing
    /// tombstones are written back (which changes the copy again). Returns
    /// how many annotations the first batch changed.
    fn feed(&mut self, r: usize) -> Result<usize, TestCaseError> {
        let now = self.now_ms(r);
        let node = &mut self.nodes[r];
        let mut first = None;
        for _ in 0..8 {
            let ids = std::mem::take(&mut node.db.changed);
            if ids.is_empty() {
                return Ok(first.unwrap_or(0));
            }
            let batch: Vec<Changed> = ids.iter().map(|id| Changed { id: id.clone(), leaves: node.db.leaf_bodies(id) }).collect();
            let got = node.replica.receive(&batch, now);
            prop_assert!(got.errors.is_empty() && got.foreign == 0, "{:?}", got);
            prop_assert!(got.annotations.keys().all(|d| d == DOC));
            first.get_or_insert(got.annotations.values().map(BTreeMap::len).sum());
            let before = node.list.clone();
            if let Some(changes) = got.annotations.get(DOC) {
                apply(&mut node.list, changes);
            }
            // Rule 3 (no echo): showing the team's versions writes nothing back.
            let (echo, errors) = node.replica.send_changes(DOC, &before, &node.list, now);
            prop_assert!(echo.is_empty() && errors.is_empty(), "echo {:?} {:?}", echo, errors);
            for w in &got.writes {
                prop_assert!(is_deleted(w) && rev_of(w).is_some(), "only closing tombstones: {}", w);
                node.db.put(w);
            }
        }
        Err(TestCaseError::fail(format!("the feed of page {r} did not settle")))
    }

    fn step(&mut self, op: &Op) -> Result<(), TestCaseError> {
        match *op {
            Op::Edit(r, i, kind, label) => {
                let now = self.now_ms(r);
                let (id, needle) = POOL[i];
                self.notes += 1;
                let note = format!("n{}", self.notes);
                let node = &mut self.nodes[r];
                let before = node.list.clone();
                match node.list.iter().position(|a| a.id == id) {
                    None => node.list.push(ann_at(id, needle, Label::ALL[label], now)),
                    Some(p) => {
                        let a = &mut node.list[p];
                        a.modified = iso_from_ms(now);
                        match kind {
                            0 => a.label = Label::ALL[label],
                            1 => drop(node.list.remove(p)),
                            _ => a.note = note,
                        }
                    }
                }
                node.list.sort_by(text_order);
                if before.len() == node.list.len() && before.iter().zip(&node.list).all(|(x, y)| x.same_content(y)) {
                    node.list = before; // a retag to the same label: nothing happened
                    return Ok(());
                }
                let (writes, errors) = node.replica.send_changes(DOC, &before, &node.list, now);
                prop_assert!(errors.is_empty(), "{:?}", errors);
                prop_assert_eq!(writes.len(), 1, "one edit, one write: {:?}", writes);
                for w in &writes {
                    prop_assert!(rev_of(w).is_some() && w.get("_revisions").is_some(), "an edit names its revision and parent: {}", w);
                    self.events.entry(w["_id"].as_str().unwrap().to_string()).or_default().push(from_couch(w).unwrap());
                    node.db.put(w);
                }
                // Rule 2: the page's own write coming back changes nothing shown.
                let back = self.feed(r)?;
                prop_assert_eq!(back, 0, "own write echoed back");
            }
            Op::Sync(from, to) => {
                if from != to {
                    let src = self.nodes[from].db.clone();
                    self.nodes[to].db.pull(&src);
                    self.feed(to)?;
                }
            }
            Op::ClockBack(r, ms) => self.nodes[r].skew -= ms,
        }
        // What each page shows is its replica's record of the document.
        for node in &self.nodes {
            prop_assert_eq!(&node.replica.record_of(DOC).annotations, &node.list);
        }
        Ok(())
    }

    /// Replicates every copy to every other until nothing changes.
    fn heal(&mut self) -> Result<(), TestCaseError> {
        let n = self.nodes.len();
        for _ in 0..6 {
            let before: Vec<_> = self.nodes.iter().map(|nd| format!("{:?}", nd.db.revisions())).collect();
            for from in 0..n {
                for to in 0..n {
                    self.now += 1;
                    self.step(&Op::Sync(from, to))?;
                }
            }
            let after: Vec<_> = self.nodes.iter().map(|nd| format!("{:?}", nd.db.revisions())).collect();
            if before == after && after.windows(2).all(|w| w[0] == w[1]) {
                return Ok(());
            }
        }
        Err(TestCaseError::fail("replication did not settle"))
    }
}

fn ops_strategy() -> impl Strategy<Value = (Vec<i64>, Vec<(Op, u64)>)> {
    (2usize..=3).prop_flat_map(|n| {
        let op = prop_oneof![
            5 => (0..n, 0..POOL.len(), 0..3usize, 0..3usize).prop_map(|(r, i, k, l)| Op::Edit(r, i, k, l)),
            3 => (0..n, 0..n).prop_map(|(a, b)| Op::Sync(a, b)),
            1 => (0..n, 1i64..5_000).prop_map(|(r, ms)| Op::ClockBack(r, ms)),
        ];
        (prop::collection::vec(-3_000i64..3_000, n), prop::collection::vec((op, 0u64..40), 1..60))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Rules 1–3 together, on 2–3 pages ("a", "b", "c") with skewed clocks
    /// that may jump back, editing while partitioned and replicating in a
    /// random order, then healed (everything replicated everywhere):
    /// * every page ends with the same known winners (annotations and deletions);
    /// * the winner of each `_id` is the edit or deletion with the highest `hlc`;
    /// * at most one live leaf per `_id` remains in every copy;
    /// * reading everything again (a second round, or a fresh page) writes nothing
    ///   and changes nothing shown;
    /// and along the way: a page shows exactly its replica's record, its own
    /// writes come back without changing anything, and showing the team's
    /// versions sends nothing back.
    #[test]
    fn replicas_converge_on_the_latest_edit_with_no_conflicts_left((skews, ops) in ops_strategy()) {
        let nodes = skews
            .iter()
            .enumerate()
            .map(|(i, &skew)| Node { replica: Replica::new(["a", "b", "c"][i]).unwrap(), db: Db::default(), list: Vec::new(), skew })
            .collect();
        let mut sim = Sim { nodes, now: 0, events: BTreeMap::new(), notes: 0 };
        for (op, dt) in &ops {
            sim.now += dt;
            sim.step(op)?;
        }
        sim.heal()?;

        let first = &sim.nodes[0];
        let record = first.replica.record_of(DOC);
        for node in &sim.nodes[1..] {
            let other = node.replica.record_of(DOC);
            prop_assert_eq!(&other.annotations, &record.annotations, "same live winners");
            prop_assert_eq!(other.deleted.keys().collect::<Vec<_>>(), record.deleted.keys().collect::<Vec<_>>(), "same deletions");
        }
        for (id, events) in &sim.events {
            let latest = events.iter().max_by(|x, y| x.hlc().cmp(y.hlc())).unwrap();
            let couch_id = CouchId::parse(id).unwrap();
            for node in &sim.nodes {
                prop_assert_eq!(node.replica.winner(&couch_id), Some(latest), "{}: the highest clock wins", id);
                prop_assert!(node.db.live_leaves(id) <= 1, "{}: conflicts left {:?}", id, node.db.leaves(id));
            }
        }
        for (i, _) in POOL.iter().enumerate().filter(|(_, (id, _))| !sim.events.contains_key(&cid(id).to_string())) {
            prop_assert!(first.replica.winner(&cid(POOL[i].0)).is_none());
        }
        // A second round: every page reads everything again.
        for node in &mut sim.nodes {
            let again = node.replica.receive(&node.db.everything(), BASE + 1_000_000);
            prop_assert!(again.writes.is_empty(), "second round writes {:?}", again.writes);
            prop_assert!(again.annotations.is_empty(), "second round changes {:?}", again.annotations);
        }
        // A page starting fresh reads the same winners and writes nothing.
        let mut fresh = Replica::new("z").unwrap();
        let got = fresh.receive(&sim.nodes[0].db.everything(), BASE);
        prop_assert!(got.writes.is_empty());
        prop_assert_eq!(fresh.record_of(DOC).annotations, record.annotations.clone());
        prop_assert_eq!(fresh.record_of(DOC).deleted, record.deleted.clone());
    }
}

// ---------------------------------------------------------------- no echo

/// Rule 2 and 3: page B shows A's edit and deletion and sends nothing back;
/// A's own writes coming back through the feed change nothing and write nothing.
#[test]
fn showing_the_teams_version_sends_nothing_back_and_own_writes_come_back_unchanged() {
    let (mut a, mut b) = (Replica::new("a").unwrap(), Replica::new("b").unwrap());
    let (mut db_a, mut db_b) = (Db::default(), Db::default());
    let x = ann_at("x", "the claim", Label::Claim, BASE);
    let (w, e) = a.send_changes(DOC, &[] as &[Annotation], std::slice::from_ref(&x), BASE);
    assert!(e.is_empty());
    assert_eq!(w.len(), 1);
    db_a.put(&w[0]);

    // A's own write comes back through its feed.
    let own = a.receive(&[changed(db_a.leaf_bodies("ann:d1:x"))], BASE + 1);
    assert!(own.annotations.is_empty() && own.writes.is_empty(), "{own:?}");

    // B receives it, the app shows it, and B sends nothing.
    db_b.pull(&db_a);
    let got = b.receive(&[changed(db_b.leaf_bodies("ann:d1:x"))], BASE + 2);
    assert_eq!(got.annotations[DOC]["x"], Some(x.clone()));
    let (before, mut after) = (Vec::<Annotation>::new(), Vec::new());
    apply(&mut after, &got.annotations[DOC]);
    assert_eq!(b.send_changes(DOC, &before, &after, BASE + 3), (vec![], vec![]));

    // A edits again; B shows the new version (a replacement) and sends nothing.
    let mut x2 = x.clone();
    x2.label = Label::Denial;
    x2.modified = iso_from_ms(BASE + 10);
    let (w, _) = a.send_changes(DOC, std::slice::from_ref(&x), std::slice::from_ref(&x2), BASE + 10);
    assert_eq!(w.len(), 1);
    db_a.put(&w[0]);
    db_b.pull(&db_a);
    let got = b.receive(&[changed(db_b.leaf_bodies("ann:d1:x"))], BASE + 11);
    let before = after.clone();
    apply(&mut after, &got.annotations[DOC]);
    assert_eq!(after, vec![x2.clone()]);
    assert_eq!(b.send_changes(DOC, &before, &after, BASE + 12), (vec![], vec![]));

    // A deletes; B shows the deletion and sends nothing.
    let (w, _) = a.send_changes(DOC, std::slice::from_ref(&x2), &[] as &[Annotation], BASE + 20);
    assert!(is_deleted(&w[0]));
    db_a.put(&w[0]);
    let own = a.receive(&[changed(db_a.leaf_bodies("ann:d1:x"))], BASE + 21);
    assert!(own.annotations.is_empty() && own.writes.is_empty(), "{own:?}");
    db_b.pull(&db_a);
    let got = b.receive(&[changed(db_b.leaf_bodies("ann:d1:x"))], BASE + 22);
    assert_eq!(got.annotations[DOC]["x"], None);
    let before = after.clone();
    apply(&mut after, &got.annotations[DOC]);
    assert!(after.is_empty());
    assert_eq!(b.send_changes(DOC, &before, &after, BASE + 23), (vec![], vec![]));
    // Receiving the same leaves again changes nothing.
    assert_eq!(b.receive(&[changed(db_b.leaf_bodies("ann:d1:x"))], BASE + 24), Received::default());
}

fn annotation_strategy() -> impl Strategy<Value = Annotation> {
    let id = prop_oneof!["[a-z0-9]{1,6}", "[ -~]{1,12}", "[a-z0-9:_/%é中📊 -]{1,8}"];
    let text = "[ -~é中📊]{0,12}";
    (id, "[a-zé📊 ]{1,10}", 0usize..100, 0usize..3, text, 0u64..10_000_000).prop_map(|(id, quote, start, l, note, ms)| {
        let mut a = Annotation::new(&id, start, start + quote.chars().count(), &quote, Label::ALL[l], &iso_from_ms(BASE + ms));
        a.note = note;
        a
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Rule 2 for any annotation: a page's own write, read back from the
    /// database with a `_rev`, changes nothing shown and writes nothing;
    /// another page shows exactly it and sending that change writes nothing.
    #[test]
    fn any_annotation_written_comes_back_without_echo(a in annotation_strategy(), now in 0u64..1_000_000) {
        let mut me = Replica::new("me").unwrap();
        let (w, e) = me.send_changes(DOC, &[] as &[Annotation], std::slice::from_ref(&a), BASE + now);
        prop_assert!(e.is_empty());
        prop_assert_eq!(w.len(), 1);
        let stored: Value = serde_json::from_str(&with_rev(w[0].clone(), "1-abc").to_string()).unwrap();
        let back = me.receive(&[changed(vec![stored.clone()])], BASE + now + 1);
        prop_assert_eq!(back, Received::default());
        let mut other = Replica::new("other").unwrap();
        let got = other.receive(&[changed(vec![stored])], BASE);
        prop_assert_eq!(&got.annotations[DOC][&a.id], &Some(a.clone()));
        let (echo, _) = other.send_changes(DOC, &[] as &[Annotation], std::slice::from_ref(&a), BASE);
        prop_assert!(echo.is_empty());
    }
}

// -------------------------------------------------------------- reconcile

/// A replica "me" that has received the given shared revisions (each a leaf of its own `_id`).
fn knowing(shared: &[Remote]) -> Replica {
    let mut me = Replica::new("me").unwrap();
    let batch: Vec<Changed> = shared.iter().map(|r| changed(vec![with_rev(r.to_couch(), "1-s")])).collect();
    let got = me.receive(&batch, BASE);
    assert!(got.errors.is_empty() && got.writes.is_empty());
    me
}

fn shared_live(a: &Annotation, h: Hlc) -> Remote {
    Remote::Annotation { doc: DOC.into(), ann: a.clone(), hlc: h }
}

fn record(anns: Vec<Annotation>, deleted: &[(&str, u64)]) -> DocRecord {
    let mut r = DocRecord::new(anns);
    r.deleted = deleted.iter().map(|(id, ms)| (id.to_string(), iso_from_ms(*ms))).collect();
    r
}

/// (a) This browser's version was modified later than the shared one: it is
/// written (at a clock past the shared one) and nothing new is shown.
#[test]
fn reconcile_writes_a_newer_local_edit_and_shows_nothing() {
    let shared = ann_at("x", "the claim", Label::Claim, BASE);
    let mut mine = ann_at("x", "the claim", Label::Denial, BASE);
    mine.modified = iso_from_ms(BASE + 60_000);
    let h = hlc(BASE + 500_000, 3, "b");
    let mut me = knowing(&[shared_live(&shared, h.clone())]);
    let (out, errors) = me.reconcile(DOC, &record(vec![mine.clone()], &[]), BASE + 1);
    assert!(errors.is_empty());
    assert_eq!(out.show, None);
    assert_eq!(out.writes.len(), 1);
    let written = from_couch(&out.writes[0]).unwrap();
    assert!(rev_of(&out.writes[0]).is_some_and(|r| r.starts_with("2-")), "a child of the shared revision: {}", out.writes[0]);
    assert!(written.hlc() > &h, "written later than everything received");
    assert_eq!(written, shared_live(&mine, written.hlc().clone()));
    assert_eq!(me.winner(&cid("x")), Some(&written));
}

/// (b) The shared version was modified later: it is shown, nothing is written.
#[test]
fn reconcile_shows_a_newer_shared_edit_and_writes_nothing() {
    let mine = ann_at("x", "the claim", Label::Claim, BASE);
    let mut shared = ann_at("x", "the claim", Label::Statistic, BASE);
    shared.modified = iso_from_ms(BASE + 60_000);
    shared.note = "from the team".into();
    let keep = ann_at("k", "Kabul", Label::Claim, BASE);
    let mut me = knowing(&[shared_live(&shared, hlc(BASE, 0, "b")), shared_live(&keep, hlc(BASE, 1, "b"))]);
    let (out, errors) = me.reconcile(DOC, &record(vec![mine, keep.clone()], &[]), BASE + 1);
    assert!(errors.is_empty());
    assert!(out.writes.is_empty(), "{:?}", out.writes);
    assert_eq!(out.show, Some(vec![keep, shared]));
}

/// (c) This browser deleted the annotation after the shared version's
/// `modified`: the deletion is written.
#[test]
fn reconcile_writes_a_local_deletion_later_than_the_shared_version() {
    let shared = ann_at("x", "the claim", Label::Claim, BASE);
    let h = hlc(BASE + 5, 0, "b");
    let mut me = knowing(&[shared_live(&shared, h.clone())]);
    let (out, errors) = me.reconcile(DOC, &record(vec![], &[("x", BASE + 60_000)]), BASE + 1);
    assert!(errors.is_empty());
    assert_eq!(out.show, None);
    assert_eq!(out.writes.len(), 1);
    assert!(is_deleted(&out.writes[0]) && out.writes[0]["_id"] == json!("ann:d1:x"));
    let Remote::Deleted { hlc: t, .. } = from_couch(&out.writes[0]).unwrap() else { panic!("not a deletion") };
    assert!(t > h);
}

/// (d) The shared deletion (at its clock's wall time) is later than this
/// browser's version: the annotation leaves what is shown, nothing is
/// written. An edit after the deletion instead comes back and is written.
#[test]
fn reconcile_applies_a_later_shared_deletion_and_a_later_local_edit_revives() {
    let mine = ann_at("x", "the claim", Label::Claim, BASE);
    let gone = Remote::Deleted { id: cid("x"), hlc: hlc(BASE + 60_000, 0, "b") };
    let mut me = knowing(std::slice::from_ref(&gone));
    assert_eq!(me.record_of(DOC).deleted.get("x").map(String::as_str), Some("2024-05-01T10:01:00.000Z"));
    let (out, errors) = me.reconcile(DOC, &record(vec![mine.clone()], &[]), BASE + 1);
    assert!(errors.is_empty());
    assert!(out.writes.is_empty(), "{:?}", out.writes);
    assert_eq!(out.show, Some(vec![]));

    let mut later = mine.clone();
    later.modified = iso_from_ms(BASE + 120_000);
    let mut me = knowing(&[gone]);
    let (out, _) = me.reconcile(DOC, &record(vec![later.clone()], &[]), BASE + 1);
    assert_eq!(out.show, None);
    assert_eq!(out.writes.len(), 1);
    assert_eq!(from_couch(&out.writes[0]).map(|r| r.is_deleted()), Ok(false), "edited after the deletion: revived");
}

/// (e) An annotation only this browser has is written; a deletion of one
/// that was never shared writes nothing.
#[test]
fn reconcile_writes_local_only_annotations_but_not_deletions_never_shared() {
    let mut me = Replica::new("me").unwrap();
    let only = ann_at("o", "1,463", Label::Statistic, BASE);
    let (out, errors) = me.reconcile(DOC, &record(vec![only.clone()], &[("never", BASE)]), BASE + 1);
    assert!(errors.is_empty());
    assert_eq!(out.show, None);
    assert_eq!(out.writes.len(), 1);
    assert_eq!(from_couch(&out.writes[0]).unwrap(), shared_live(&only, hlc(BASE + 1, 0, "me")));
}

/// (f) Running reconcile again (with the same record, or with the record
/// updated to what was shown) writes nothing: every case above at once.
#[test]
fn reconciling_twice_writes_nothing_the_second_time() {
    let x_shared = ann_at("x", "the claim", Label::Claim, BASE);
    let mut x_mine = x_shared.clone();
    (x_mine.label, x_mine.modified) = (Label::Denial, iso_from_ms(BASE + 60_000)); // (a)
    let y_mine = ann_at("y", "Kabul", Label::Claim, BASE);
    let mut y_shared = y_mine.clone();
    (y_shared.note, y_shared.modified) = ("theirs".into(), iso_from_ms(BASE + 60_000)); // (b)
    let z_shared = ann_at("z", "Islamabad said", Label::Claim, BASE); // (c) deleted here later
    let w_mine = ann_at("w", "were injured", Label::Claim, BASE); // (d) deleted there later
    let o_mine = ann_at("o", "1,463", Label::Statistic, BASE); // (e)
    let shared = [
        shared_live(&x_shared, hlc(BASE, 0, "b")),
        shared_live(&y_shared, hlc(BASE, 1, "b")),
        shared_live(&z_shared, hlc(BASE, 2, "b")),
        Remote::Deleted { id: cid("w"), hlc: hlc(BASE + 30_000, 0, "b") },
    ];
    let local = record(vec![x_mine, y_mine, w_mine, o_mine], &[("z", BASE + 60_000)]);
    let mut me = knowing(&shared);
    let (first, errors) = me.reconcile(DOC, &local, BASE + 90_000);
    assert!(errors.is_empty());
    let written: BTreeSet<&str> = first.writes.iter().map(|w| w["_id"].as_str().unwrap()).collect();
    assert_eq!(written, BTreeSet::from(["ann:d1:o", "ann:d1:x", "ann:d1:z"]));
    let shown = first.show.clone().expect("y's and w's changes are shown");
    assert_eq!(ids_of(&shown), ["y", "x", "o"], "text order; z deleted here, w deleted there");
    assert_eq!(shown[0], y_shared, "the shared y is newer");
    assert_eq!(shown[1].label, Label::Denial, "my x is newer");
    let (second, errors) = me.reconcile(DOC, &local, BASE + 100_000);
    assert!(errors.is_empty());
    assert!(second.writes.is_empty(), "same record again: {:?}", second.writes);
    let mut updated = record(shown, &[("z", BASE + 60_000)]);
    updated.deleted.insert("w".into(), iso_from_ms(BASE + 30_000));
    let (third, _) = me.reconcile(DOC, &updated, BASE + 110_000);
    assert_eq!(third, Reconciled::default(), "the record as shown: nothing to write or show");
}

// ------------------------------------------------- foreign and bad records

/// Rule 2: records this app did not write are counted in `foreign`, ours
/// with a bad field are reported in `errors` (naming the record), and the
/// rest of the batch is still taken in.
#[test]
fn receive_counts_foreign_records_and_reports_bad_ones_without_stopping() {
    let mut me = Replica::new("me").unwrap();
    let good = ann_at("g", "Kabul", Label::Claim, BASE);
    let mut bad = to_couch(DOC, &ann_at("x", "the claim", Label::Claim, BASE), &hlc(BASE, 0, "b")).unwrap();
    (bad["start"], bad["end"]) = (json!(20), json!(16));
    let batch = vec![
        changed(vec![json!({"_id": "design-x", "_rev": "1-a"})]),
        changed(vec![json!({"_id": "note:1", "type": "other", "_rev": "1-a"})]),
        changed(vec![json!({"_id": "ann:d1:q", "type": "other", "_rev": "1-a"})]),
        changed(vec![with_rev(bad, "1-a")]),
        changed(vec![with_rev(to_couch(DOC, &good, &hlc(BASE, 1, "b")).unwrap(), "1-a")]),
    ];
    let got = me.receive(&batch, BASE);
    assert_eq!(got.foreign, 3);
    assert_eq!(got.errors.len(), 1, "{:?}", got.errors);
    assert!(got.errors[0].contains("ann:d1:x") && got.errors[0].contains("start 20"), "{}", got.errors[0]);
    assert_eq!(got.annotations[DOC].len(), 1);
    assert_eq!(got.annotations[DOC]["g"], Some(good));
    assert!(got.writes.is_empty());
    assert_eq!(me.known_len(), 1);
}

// ------------------------------------------------------------------ share

/// Rule 5: a shared text is written once, and again only when its text,
/// title or details change; a received identical record is not written again.
#[test]
fn share_writes_a_document_once_and_again_only_when_it_changes() {
    let mut me = Replica::new("me").unwrap();
    let meta = DocMeta::new(TEXT, "Kabul report", "kabul", "2024-05-01T10:00:00Z");
    let first = me.share(&meta, TEXT, BASE).unwrap().expect("first share writes");
    assert_eq!(first["_id"], json!(format!("doc:{}", meta.id)));
    assert_eq!(from_couch(&first), Ok(Remote::Document { meta: meta.clone(), text: TEXT.into(), hlc: hlc(BASE, 0, "me") }));
    assert_eq!(me.share(&meta, TEXT, BASE + 1), Ok(None));
    let mut counted = meta.clone();
    counted.counts = [3, 1, 0];
    counted.modified = "2024-05-02T10:00:00Z".into();
    assert_eq!(me.share(&counted, TEXT, BASE + 2), Ok(None), "counts and times are not shared details");

    let mut renamed = meta.clone();
    renamed.title = "Kabul report, revised".into();
    let second = me.share(&renamed, TEXT, BASE + 3).unwrap().expect("a new title is written");
    assert_eq!(second["meta"]["title"], json!("Kabul report, revised"));
    assert_eq!(me.share(&renamed, TEXT, BASE + 4), Ok(None));
    let mut detailed = renamed.clone();
    detailed.details.publisher = "Dawn".into();
    assert!(me.share(&detailed, TEXT, BASE + 5).unwrap().is_some(), "new details are written");
    assert_eq!(me.share(&detailed, TEXT, BASE + 6), Ok(None));

    // Another page that received the record does not write it again.
    let mut other = Replica::new("other").unwrap();
    let last = me.share(&DocMeta { title: "Final".into(), ..detailed.clone() }, TEXT, BASE + 7).unwrap().unwrap();
    let got = other.receive(&[changed(vec![with_rev(last.clone(), "4-a")])], BASE);
    assert_eq!(got.documents.len(), 1);
    let (m, t) = &got.documents[0];
    assert_eq!((m.title.as_str(), t.as_str()), ("Final", TEXT));
    assert_eq!(other.share(m, TEXT, BASE + 8), Ok(None));
    assert!(me.share(&meta, "", BASE).is_ok_and(|w| w.is_some()), "a different text is written");
    assert!(me.share(&DocMeta { id: "bad id".into(), ..meta }, TEXT, BASE).is_err());
}

// ------------------------------------------------------------- regressions

/// Regression (found by these tests): an error about the annotation object
/// as a whole (here start > end) has an empty path, and the message read
/// "In the shared record “ann:d1:x”, : start 20 must be less than end 16."
/// (a stray ", :"). Input: the record of `to_couch("d1", x, hlc)` with
/// `"start": 20, "end": 16`.
#[test]
fn an_error_without_a_field_path_reads_without_a_stray_colon() {
    let mut me = Replica::new("me").unwrap();
    let mut bad = to_couch(DOC, &ann_at("x", "the claim", Label::Claim, BASE), &hlc(BASE, 0, "b")).unwrap();
    (bad["start"], bad["end"]) = (json!(20), json!(16));
    let got = me.receive(&[changed(vec![with_rev(bad, "1-a")])], BASE);
    assert_eq!(got.errors.len(), 1);
    assert!(!got.errors[0].contains(", :"), "{}", got.errors[0]);
}

/// Rule 6 (regression of a risk found while writing these tests): an edit
/// made after a newer revision reached the page's copy but before its feed
/// passed it to the replica must not replace that revision unseen. The edit
/// is written as a sibling of the revision the replica knows, and the
/// highest clock wins — here the other person's, whose clock is ahead.
#[test]
fn an_edit_made_before_a_newer_revision_was_seen_becomes_its_sibling_and_the_later_clock_wins() {
    let (mut mine, mut theirs) = (Replica::new("a").unwrap(), Replica::new("b").unwrap());
    let (mut my_db, mut their_db) = (Db::default(), Db::default());
    let x = ann_at("x", "the claim", Label::Claim, BASE);
    let (w, _) = mine.send_changes(DOC, &[] as &[Annotation], std::slice::from_ref(&x), BASE);
    w.iter().for_each(|w| assert!(my_db.put(w)));
    their_db.pull(&my_db);
    let batch: Vec<Changed> = their_db.changed.iter().map(|id| Changed { id: id.clone(), leaves: their_db.leaf_bodies(id) }).collect();
    their_db.changed.clear();
    theirs.receive(&batch, BASE + 100_000);
    my_db.changed.clear();
    // They retag x (their clock is 100 s ahead); it reaches my copy, not yet my replica.
    let mut x_theirs = x.clone();
    x_theirs.label = Label::Statistic;
    let (w, _) = theirs.send_changes(DOC, std::slice::from_ref(&x), std::slice::from_ref(&x_theirs), BASE + 100_000);
    w.iter().for_each(|w| assert!(their_db.put(w)));
    my_db.pull(&their_db);
    // I retag x too, a second later by my clock.
    let mut x_mine = x.clone();
    x_mine.label = Label::Denial;
    let (w, _) = mine.send_changes(DOC, std::slice::from_ref(&x), std::slice::from_ref(&x_mine), BASE + 1_000);
    w.iter().for_each(|w| assert!(my_db.put(w)));
    let id = cid("x").to_string();
    assert_eq!(my_db.live_leaves(&id), 2, "my edit is a sibling of theirs, not a child");
    // My feed runs: their later clock wins; my sibling is closed.
    let got = mine.receive(&[Changed { id: id.clone(), leaves: my_db.leaf_bodies(&id) }], BASE + 1_000);
    assert_eq!(got.annotations[DOC]["x"].as_ref().map(|a| a.label), Some(Label::Statistic));
    got.writes.iter().for_each(|w| assert!(my_db.put(w)));
    assert_eq!(my_db.live_leaves(&id), 1, "the conflict is closed");
}

/// Rules 1 and 3 with links: one person links x to y while another retags
/// x at the same time; both edits are kept, since a link is a record of its
/// own. Removing the link later deletes just that record.
#[test]
fn a_link_and_a_retag_made_at_once_are_both_kept() {
    let (mut a, mut b) = (Replica::new("a").unwrap(), Replica::new("b").unwrap());
    let (mut a_db, mut b_db) = (Db::default(), Db::default());
    let x = ann_at("x", "the claim", Label::Claim, BASE);
    let y = ann_at("y", "were injured", Label::Statistic, BASE);
    let start = vec![x.clone(), y.clone()];
    let (w, e) = a.send_changes(DOC, &[] as &[Annotation], &start, BASE);
    assert!(e.is_empty() && w.len() == 2);
    w.iter().for_each(|w| assert!(a_db.put(w)));
    let feed = |r: &mut Replica, db: &mut Db, now: u64| {
        let batch: Vec<Changed> = db.changed.iter().map(|id| Changed { id: id.clone(), leaves: db.leaf_bodies(id) }).collect();
        db.changed.clear();
        let got = r.receive(&batch, now);
        got.writes.iter().for_each(|w| {
            db.put(w);
        });
        got
    };
    b_db.pull(&a_db);
    a_db.changed.clear();
    feed(&mut b, &mut b_db, BASE);
    // Offline from each other: a links x → y; b retags x.
    let mut x_linked = x.clone();
    x_linked.links = vec![Link { to: "y".into(), kind: LinkKind::Supports }];
    x_linked.modified = iso_from_ms(BASE + 1_000);
    let (w, _) = a.send_changes(DOC, &start, &[x_linked.clone(), y.clone()], BASE + 1_000);
    assert_eq!(w.len(), 1, "only the link's record (x's own fields did not change): {w:?}");
    assert!(w[0]["_id"].as_str().unwrap().starts_with("link:") && w[0]["kind"] == "supports");
    w.iter().for_each(|w| assert!(a_db.put(w)));
    let mut x_retagged = x.clone();
    x_retagged.label = Label::Denial;
    x_retagged.modified = iso_from_ms(BASE + 2_000);
    let (w, _) = b.send_changes(DOC, &start, &[x_retagged.clone(), y.clone()], BASE + 2_000);
    w.iter().for_each(|w| assert!(b_db.put(w)));
    // Heal.
    a_db.pull(&b_db);
    b_db.pull(&a_db);
    let got_a = feed(&mut a, &mut a_db, BASE + 3_000);
    let got_b = feed(&mut b, &mut b_db, BASE + 3_000);
    for (who, r, got) in [("a", &a, &got_a), ("b", &b, &got_b)] {
        let shown = r.annotation(DOC, "x").unwrap();
        assert_eq!(shown.label, Label::Denial, "{who}: the later retag");
        assert_eq!(shown.links, vec![Link { to: "y".into(), kind: LinkKind::Supports }], "{who}: and the link");
        assert!(got.annotations[DOC].contains_key("x"), "{who} is told x changed");
    }
    // a removes the link: one deletion, of the link record only.
    let (w, _) = a.send_changes(DOC, &[a.annotation(DOC, "x").unwrap(), y.clone()], &[x_retagged.clone(), y.clone()], BASE + 4_000);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0]["_id"].as_str().unwrap().starts_with("link:") && w[0]["_deleted"] == true);
    w.iter().for_each(|w| assert!(a_db.put(w)));
    b_db.pull(&a_db);
    feed(&mut b, &mut b_db, BASE + 4_000);
    assert_eq!(b.annotation(DOC, "x").unwrap().links, vec![]);
    assert_eq!(b.annotation(DOC, "x").unwrap().label, Label::Denial);
}

/// Rule 2 (regression, found by the session's property tests): a page tags
/// x, then edits its note before the tag's write is stored; the feed then
/// passes the tag's revision on. The older revision must not replace the
/// newer edit: shown, it undid the edit, and the page's store stamped the
/// undone version as the newest, so catching up later wrote it over the note.
#[test]
fn an_older_revision_of_an_own_record_coming_back_changes_nothing() {
    let mut me = Replica::new("me").unwrap();
    let mut db = Db::default();
    let x = ann_at("x", "the claim", Label::Claim, BASE);
    let (tagged, _) = me.send_changes(DOC, &[] as &[Annotation], std::slice::from_ref(&x), BASE);
    let mut noted = x.clone();
    (noted.note, noted.modified) = ("checked".into(), iso_from_ms(BASE + 5));
    let (w, _) = me.send_changes(DOC, std::slice::from_ref(&x), std::slice::from_ref(&noted), BASE + 5);
    assert_eq!(w.len(), 1);
    db.put(&tagged[0]);
    let got = me.receive(&[changed(db.leaf_bodies("ann:d1:x"))], BASE + 6);
    assert!(got.annotations.is_empty() && got.writes.is_empty(), "{got:?}");
    assert_eq!(me.annotation(DOC, "x"), Some(noted.clone()));
    // The note's write lands as a child of the tag's; it comes back, changing nothing.
    assert!(db.put(&w[0]));
    assert_eq!(db.live_leaves("ann:d1:x"), 1, "a child, not a sibling");
    let got = me.receive(&[changed(db.leaf_bodies("ann:d1:x"))], BASE + 7);
    assert!(got.annotations.is_empty() && got.writes.is_empty(), "{got:?}");
    // The next edit is a child of the note's revision.
    let mut again = noted.clone();
    (again.label, again.modified) = (Label::Denial, iso_from_ms(BASE + 8));
    let (w, _) = me.send_changes(DOC, std::slice::from_ref(&noted), std::slice::from_ref(&again), BASE + 8);
    assert!(db.put(&w[0]));
    assert_eq!(db.live_leaves("ann:d1:x"), 1);
}
