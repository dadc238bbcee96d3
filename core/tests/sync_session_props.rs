//! Team sync's page session over random event orders: two pages (A and B,
//! `session_support`) tag, retag, note and delete on the sample article,
//! switch to a text file and back, share, connect, disconnect and reload,
//! while their bridges deliver batches, acknowledge writes and replicate
//! in any order, and the server goes away and comes back. Healed at the
//! end (the server up, both connected with the article open and shared,
//! everything replicated), then:
//!
//! * **nothing lost**: both pages show, and the server holds as live
//!   winners, exactly the two-tab merge ([`merge`]) of what each page did
//!   itself (later `modified` wins, a deletion counts at its time);
//! * **nothing sent twice**: no page writes a revision twice, nor anything
//!   while taking in what others did (no echo);
//! * no conflict is left on the server, nothing of the unshared file is
//!   sent, nothing is waiting to be written and both pages say Synced.
//!
//! An annotation known to the other page is edited only while the page is
//! caught up (the app edits it at any time, but then a write made at
//! catching up carries a later clock than its `modified`, and the
//! replica's rule, the highest clock wins, can differ from the two-tab
//! merge: see `crate::sync` "Compared with the two-tab merge").

mod couch_support;
mod session_support;

use annotator_core::model::{Annotation, Label};
use annotator_core::store::merge::merge;
use annotator_core::sync::replica::iso_from_ms;
use annotator_core::sync::session::view::TeamStatus;
use proptest::prelude::*;
use session_support::*;
use std::collections::BTreeSet;

const USER: [&str; 2] = ["alice", "bob"];

#[derive(Clone, Debug)]
enum Op {
    /// Page tags span `NEEDLES[i]` with label `l` (on the open document).
    Tag(usize, usize, usize),
    /// Page retags its `k`-th listed annotation with label `l`.
    Retag(usize, usize, usize),
    /// Page edits the note of its `k`-th listed annotation.
    Note(usize, usize),
    /// Page deletes its `k`-th listed annotation.
    Delete(usize, usize),
    /// The page's bridge passes its next batch on.
    Deliver(usize),
    /// The page's bridge stores the writes handed to it.
    Ack(usize),
    /// The page's bridge replicates with the server.
    Replicate(usize),
    /// The page's bridge stores, replicates and passes a batch on.
    Round(usize),
    ServerDown,
    ServerUp,
    Reload(usize),
    Share(usize),
    Connect(usize),
    Disconnect(usize),
    /// The page opens the text file, or the article again.
    Switch(usize),
}

/// Edits, the bridges' work and the server going away and back.
fn editing_op() -> BoxedStrategy<Op> {
    let p = 0..2usize;
    prop_oneof![
        4 => (p.clone(), 0..NEEDLES.len(), 0..3usize).prop_map(|(p, i, l)| Op::Tag(p, i, l)),
        3 => (p.clone(), 0..8usize, 0..3usize).prop_map(|(p, k, l)| Op::Retag(p, k, l)),
        2 => (p.clone(), 0..8usize).prop_map(|(p, k)| Op::Note(p, k)),
        2 => (p.clone(), 0..8usize).prop_map(|(p, k)| Op::Delete(p, k)),
        3 => p.clone().prop_map(Op::Deliver),
        3 => p.clone().prop_map(Op::Ack),
        3 => p.clone().prop_map(Op::Replicate),
        6 => p.prop_map(Op::Round),
        1 => Just(Op::ServerDown),
        3 => Just(Op::ServerUp),
    ]
    .boxed()
}

/// Any event: also reloads, sharing, connecting, disconnecting, switching documents.
fn any_op() -> BoxedStrategy<Op> {
    let p = 0..2usize;
    prop_oneof![
        10 => editing_op(),
        1 => p.clone().prop_map(Op::Reload),
        1 => p.clone().prop_map(Op::Share),
        1 => p.clone().prop_map(Op::Connect),
        1 => p.clone().prop_map(Op::Disconnect),
        1 => p.prop_map(Op::Switch),
    ]
    .boxed()
}

/// How a case starts, and its events: 0 from scratch (nobody connected) with
/// any events; 1 as the end-to-end tests start (both connected, the article
/// shared) with any events; 2 started so, with edits, the bridges' work and
/// outages only (most edits of the other page's annotations, and conflicts, are here).
fn case() -> impl Strategy<Value = (u8, Vec<Op>)> {
    (0..3u8).prop_flat_map(|mode| {
        let ops = if mode == 2 { editing_op() } else { any_op() };
        (Just(mode), prop::collection::vec(ops, 1..80))
    })
}

/// Whether the `k`-th listed annotation of page `p` may be edited now (see
/// the module documentation); its id. Odd `k` pick among those the other
/// page made, if any.
fn editable(w: &World, p: usize, k: usize) -> Option<String> {
    let page = &w.pages[p];
    let theirs: Vec<_> = page.shown.iter().filter(|a| !a.id.starts_with(&page.name)).collect();
    let pool: Vec<_> = if k % 2 == 1 && !theirs.is_empty() { theirs } else { page.shown.iter().collect() };
    let a = pool.get(k / 2 % pool.len().max(1))?;
    let couch_id = format!("ann:{}:{}", page.doc.id, a.id);
    let exposed = w.pages.iter().any(|q| q.written.iter().any(|d| d["_id"] == couch_id.as_str()));
    let caught_up = page.session.caught_up() == Some(page.doc.id.as_str());
    (caught_up || !exposed).then(|| a.id.clone())
}

fn run(w: &mut World, op: &Op) {
    match *op {
        Op::Tag(p, i, l) => {
            let needle = if w.pages[p].doc.id == seed_id() { NEEDLES[i] } else { "The river rose" };
            w.tag(p, needle, Label::ALL[l]);
        }
        Op::Retag(p, k, l) => {
            if let Some(id) = editable(w, p, k).filter(|id| w.pages[p].shown.iter().any(|a| a.id == *id && a.label != Label::ALL[l])) {
                w.retag(p, &id, Label::ALL[l]);
            }
        }
        Op::Note(p, k) => {
            if let Some(id) = editable(w, p, k) {
                w.edit(p, |list, fresh, ms| {
                    let a = list.iter_mut().find(|a| a.id == id).unwrap();
                    a.note = format!("note {fresh}");
                    a.modified = iso_from_ms(ms);
                });
            }
        }
        Op::Delete(p, k) => {
            if let Some(id) = editable(w, p, k) {
                w.delete(p, &id);
            }
        }
        Op::Deliver(p) => drop(w.deliver(p)),
        Op::Ack(p) => drop(w.ack(p)),
        Op::Replicate(p) => drop(w.replicate(p)),
        Op::Round(p) => {
            w.ack(p);
            w.replicate(p);
            w.deliver(p);
        }
        Op::ServerDown => w.server_down(),
        Op::ServerUp => w.up = true,
        Op::Reload(p) => w.reload(p),
        Op::Share(p) => w.share(p, &seed_id()),
        Op::Connect(p) => {
            if w.pages[p].session.run().is_none() {
                w.connect(p, USER[p]);
            }
        }
        Op::Disconnect(p) => w.feed(p, annotator_core::sync::session::Event::Disconnect),
        Op::Switch(p) => {
            if w.pages[p].doc.id != seed_id() {
                w.open(p, &seed_id());
            } else if w.pages[p].library.contains(&file_id()) {
                w.open(p, &file_id());
            } else {
                w.open_file(p);
            }
        }
    }
}

/// The server up, both pages connected with the article open and shared, everything replicated.
fn heal(w: &mut World) {
    w.up = true;
    for (p, user) in USER.iter().enumerate() {
        if w.pages[p].session.run().is_none() {
            w.connect(p, user);
        }
        if w.pages[p].doc.id != seed_id() {
            w.open(p, &seed_id());
        }
    }
    w.settle();
    if !w.pages.iter().any(|p| p.view.is_shared(&seed_id())) {
        w.share(0, &seed_id());
    }
    w.settle();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_order_of_events_ends_with_the_two_tab_merge_sent_once((mode, ops) in case()) {
        let mut w = World::new(&["a", "b"]);
        if mode > 0 {
            w.connect(0, USER[0]);
            w.connect(1, USER[1]);
            w.settle();
            w.share(0, &seed_id());
            w.settle();
        }
        for op in &ops {
            run(&mut w, op);
        }
        heal(&mut w);

        let expected: Vec<Annotation> = merge(&w.pages[0].own, &w.pages[1].own).annotations;
        let seed = seed_id();
        for page in &w.pages {
            prop_assert!(page.view.is_shared(&seed_id()), "{} has the article marked shared", page.name);
            prop_assert_eq!(page.session.caught_up(), Some(seed.as_str()), "{} caught up", page.name);
            prop_assert_eq!(&page.list(), &expected, "{} shows the two-tab merge", page.name);
            prop_assert_eq!(page.view.status, TeamStatus::Synced);
            prop_assert!(page.pending.is_empty());
            let unexpected: Vec<&String> = page.notices.iter().filter(|n| !n.starts_with("Connect to your team first")).collect();
            prop_assert!(unexpected.is_empty(), "{}: {:?}", page.name, unexpected);
            let mut revs = BTreeSet::new();
            for d in &page.written {
                prop_assert!(revs.insert((d["_id"].to_string(), d["_rev"].to_string())), "{} wrote {} twice", page.name, d);
                prop_assert!(!d["_id"].as_str().unwrap().contains(&file_id()), "the unshared file is not sent: {}", d);
            }
            prop_assert!(page.echoes.is_empty(), "{} echoed {:?}", page.name, page.echoes);
        }
        let prefix = format!("ann:{}:", seed_id());
        let mut on_server = Vec::new();
        for id in w.server.docs.keys() {
            prop_assert!(w.server.live_leaves(id) <= 1, "{} keeps conflicts", id);
            if id.starts_with(&prefix) {
                on_server.extend(w.server.leaves(id).into_iter().filter(|(_, b)| !couch_support::is_deleted(b)).map(|(_, b)| b["id"].as_str().unwrap().to_string()));
            }
        }
        on_server.sort();
        let mut want: Vec<String> = expected.iter().map(|a| a.id.clone()).collect();
        want.sort();
        prop_assert_eq!(on_server, want, "the server's live annotations");
    }
}
