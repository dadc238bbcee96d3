//! Team sync's page session (`annotator_core::sync::session`) driven
//! through the scenarios of the end-to-end suite (tests/e2e/test_sync.py),
//! on pages whose effects are simulated (`session_support`): a first share,
//! catching up after edits made offline, the server killed and restarted
//! mid-sync, records this app did not write, a document deleted here,
//! refused connections, reloads, a session the server stops accepting,
//! switching documents. The property tests over random event orders are in
//! `sync_session_props.rs`.

mod couch_support;
mod session_support;

use annotator_core::model::Label;
use annotator_core::sync::session::view::TeamStatus;
use annotator_core::sync::session::{Command, Event};
use annotator_core::sync::to_couch;
use couch_support::is_deleted;
use serde_json::json;
use session_support::*;
use std::collections::BTreeMap;

const A: usize = 0;
const B: usize = 1;

fn labels(w: &World, p: usize) -> BTreeMap<String, Label> {
    w.pages[p].shown.iter().map(|a| (a.id.clone(), a.label)).collect()
}

fn shared(w: &World, p: usize, doc: &str) -> bool {
    w.pages[p].view.is_shared(doc)
}

/// No `_id` of the server keeps more than one live leaf.
fn assert_no_conflicts(w: &World) {
    for id in w.server.docs.keys() {
        assert!(w.server.live_leaves(id) <= 1, "{id} keeps conflicts: {:?}", w.server.leaves(id));
    }
}

/// No page wrote a revision twice, nor anything while taking in what others did.
fn assert_nothing_twice(w: &World) {
    for page in &w.pages {
        let mut seen = std::collections::BTreeSet::new();
        for d in &page.written {
            let key = (d["_id"].to_string(), d["_rev"].to_string());
            assert!(seen.insert(key.clone()), "{} wrote {key:?} twice", page.name);
        }
        assert!(page.echoes.is_empty(), "{} echoed {:?}", page.name, page.echoes);
    }
}

/// A (alice) and B (bob) connected and synced, A's sample article shared, B has it marked.
fn pair() -> World {
    let mut w = World::new(&["a", "b"]);
    w.connect(A, "alice");
    w.connect(B, "bob");
    for p in [A, B] {
        assert_eq!(w.pages[p].view.status, TeamStatus::Syncing, "{:?}", w.pages[p].view);
    }
    w.settle();
    for p in [A, B] {
        assert_eq!(w.pages[p].view.status, TeamStatus::Synced);
        assert!(w.pages[p].stored.as_deref().is_some_and(|s| s.contains("\"on\":true")));
    }
    assert!(!shared(&w, A, &seed_id()));
    w.share(A, &seed_id());
    assert!(shared(&w, A, &seed_id()), "marked at once in the sharer's list");
    assert!(w.pages[A].infos.iter().any(|i| i == "Shared “Sample article” with the team."), "{:?}", w.pages[A].infos);
    w.settle();
    assert!(shared(&w, B, &seed_id()), "B marks the sample article shared");
    assert_eq!(w.pages[B].session.caught_up(), Some(seed_id().as_str()));
    w
}

#[test]
fn first_share_live_tags_retags_and_a_shared_text_file() {
    let mut w = pair();
    let x = w.tag(A, "the claim", Label::Claim);
    w.settle();
    assert_eq!(labels(&w, B), BTreeMap::from([(x.clone(), Label::Claim)]), "A's tag reaches B");
    w.retag(B, &x, Label::Denial);
    w.settle();
    for p in [A, B] {
        assert_eq!(labels(&w, p), BTreeMap::from([(x.clone(), Label::Denial)]));
        assert_eq!(w.pages[p].view.status, TeamStatus::Synced);
    }
    assert!(w.server.docs.contains_key(&format!("doc:{}", seed_id())));

    // A text file annotated before it is shared: B gets its text and the annotation.
    w.open_file(A);
    let note = w.tag(A, "The river rose 2 metres overnight", Label::Statistic);
    w.share(A, &file_id());
    w.settle();
    assert!(shared(&w, B, &file_id()) && shared(&w, B, &seed_id()));
    assert!(w.pages[B].library.contains(&file_id()), "the file is added to B's list");
    assert!(w.pages[B].infos.iter().any(|i| i == "1 document(s) shared by the team added to your documents."), "{:?}", w.pages[B].infos);
    w.open(B, &file_id());
    w.settle();
    assert_eq!(w.pages[B].list().iter().map(|a| a.id.clone()).collect::<Vec<_>>(), [note]);
    assert!(w.pages[B].notices.is_empty(), "{:?}", w.pages[B].notices);
    assert_nothing_twice(&w);
}

#[test]
fn catching_up_after_offline_edits_the_later_edit_wins_and_no_conflicts_stay() {
    let mut w = pair();
    let x = w.tag(A, "1,463", Label::Statistic);
    let y = w.tag(A, "Kabul", Label::Denial);
    w.settle();
    assert_eq!(labels(&w, B).len(), 2);

    w.server_down();
    for p in [A, B] {
        assert_eq!(w.pages[p].view.status, TeamStatus::Offline);
        assert_eq!(w.pages[p].view.status.text(), "Offline — changes are kept and will be sent");
    }
    w.retag(A, &x, Label::Claim);
    w.retag(B, &x, Label::Denial); // later: wins
    w.edit(A, |list, _, ms| {
        let a = list.iter_mut().find(|a| a.id == y).unwrap();
        a.note = "checked offline by A".into();
        a.modified = annotator_core::sync::replica::iso_from_ms(ms);
    });
    w.delete(B, &y); // later: wins
    for p in [A, B] {
        w.ack(p);
        w.deliver(p);
    }
    assert_eq!(labels(&w, A), BTreeMap::from([(x.clone(), Label::Claim), (y.clone(), Label::Denial)]));
    assert_eq!(labels(&w, B), BTreeMap::from([(x.clone(), Label::Denial)]));

    w.up = true;
    w.settle();
    for p in [A, B] {
        assert_eq!(labels(&w, p), BTreeMap::from([(x.clone(), Label::Denial)]), "page {p} after healing");
        assert_eq!(w.pages[p].view.status, TeamStatus::Synced);
        let stored = &w.pages[p].records[&seed_id()];
        assert_eq!(stored.annotations.iter().map(|a| (a.id.clone(), a.label)).collect::<Vec<_>>(), [(x.clone(), Label::Denial)]);
    }
    assert_no_conflicts(&w);
    assert_nothing_twice(&w);
}

#[test]
fn the_server_killed_mid_sync_then_restarted_loses_and_repeats_nothing() {
    let mut w = pair();
    let n = 40;
    w.edit(A, |list, fresh, ms| {
        for i in 0..n {
            let mut a = ann(&format!("{fresh}-{i:02}"), NEEDLES[i % NEEDLES.len()], Label::ALL[i % 3], ms);
            a.note = format!("bulk {i}");
            list.push(a);
        }
    });
    w.ack(A);
    // Part of the import reaches the server, then it is killed.
    let half: Vec<String> = w.pages[A].db.docs.keys().filter(|id| id.starts_with("ann:")).take(n / 2).cloned().collect();
    for id in &half {
        w.server.docs.insert(id.clone(), w.pages[A].db.docs[id].clone());
    }
    w.server_down();
    assert_eq!(w.pages[A].view.status, TeamStatus::Offline);
    w.deliver(A);
    assert_eq!(w.pages[A].shown.len(), n, "A shows everything it imported");

    w.up = true;
    w.settle();
    assert_eq!(w.pages[B].shown.len(), n, "B has exactly the import");
    assert_eq!(w.pages[B].list(), w.pages[A].list());
    assert_eq!(w.server.docs.keys().filter(|id| id.starts_with("ann:")).count(), n);
    for p in [A, B] {
        assert_eq!(w.pages[p].view.status, TeamStatus::Synced);
    }
    assert_no_conflicts(&w);
    assert_nothing_twice(&w);
}

#[test]
fn records_this_app_did_not_write_are_counted_and_unreadable_ones_reported() {
    let mut w = World::new(&["a"]);
    let mine = w.tag(A, "1,463", Label::Statistic);
    let good = ann("from-elsewhere", "the claim", Label::Claim, BASE);
    let mut bad = to_couch(&seed_id(), &ann("bad", "Kabul", Label::Claim, BASE), &"1714557600000-000000-other".parse().unwrap()).unwrap();
    (bad["start"], bad["end"]) = (json!(20), json!(16));
    let hlc = "1714557600000-000001-other".parse().unwrap();
    let records = [
        to_couch(&seed_id(), &good, &hlc).unwrap(),
        bad,
        json!({"_id": "design-notes", "title": "a record some other tool wrote"}),
        json!({"_id": "ann-like", "type": "annotation", "start": 1}),
    ];
    for (i, r) in records.into_iter().enumerate() {
        let id = r["_id"].as_str().unwrap().to_string();
        let rev = format!("1-{i:032}");
        w.server.docs.entry(id).or_default().insert(rev, couch_support::Rev { parent: None, body: r });
    }
    w.connect(A, "alice");
    w.settle();
    assert_eq!(w.pages[A].view.foreign, 2, "two records this app did not write, counted once");
    let notice = w.pages[A].notices.join(" ");
    assert!(notice.contains("1 shared record(s) could not be read") && notice.contains("ann:") && notice.contains("start 20"), "{notice}");
    assert!(!labels(&w, A).contains_key("from-elsewhere"), "not shown before the document is shared here");
    w.share(A, &seed_id());
    w.settle();
    assert_eq!(labels(&w, A), BTreeMap::from([("from-elsewhere".to_string(), Label::Claim), (mine.clone(), Label::Statistic)]));
    assert!(w.server.docs.contains_key(&format!("ann:{}:{mine}", seed_id())), "my annotation reaches the server");
    assert_eq!(w.pages[A].view.foreign, 2, "a later batch does not count them again");
    // A new run counts afresh.
    w.reload(A);
    w.settle();
    assert_eq!(w.pages[A].view.foreign, 2);
}

#[test]
fn a_document_deleted_here_is_not_added_again_until_shared_again() {
    let mut w = pair();
    w.open_file(A);
    w.share(A, &file_id());
    w.settle();
    assert!(w.pages[B].library.contains(&file_id()));
    w.delete_doc(B, &file_id());
    let settings = w.pages[B].session.settings().unwrap().clone();
    assert!(!settings.shared.contains(&file_id()) && settings.left.contains(&file_id()));
    assert!(w.pages[B].stored.as_deref().unwrap().contains(&file_id()), "kept in the stored settings");

    // The team renames it; B's page reloads: it stays out of B's list.
    w.rename(A, &file_id(), "Field note, revised");
    w.settle();
    w.reload(B);
    w.settle();
    assert!(!w.pages[B].library.contains(&file_id()), "not added again");
    assert!(!shared(&w, B, &file_id()));

    // B opens the file again and shares it: it is B's again.
    w.open_file(B);
    w.share(B, &file_id());
    w.settle();
    let settings = w.pages[B].session.settings().unwrap();
    assert!(settings.shared.contains(&file_id()) && !settings.left.contains(&file_id()));
    assert_nothing_twice(&w);
}

#[test]
fn refused_connections_store_nothing_start_nothing_and_sign_out() {
    let mut w = World::new(&["a"]);
    let kept = w.tag(A, "1,463", Label::Statistic);
    let cases = [
        ("carol, not a member", URL, "carol", "carol-pw", "member"),
        ("alice, wrong password", URL, "alice", "not-alice-pw", "password"),
        ("anonymous", URL, "", "", "sign in"),
        ("not a CouchDB server", NOT_COUCH, "alice", "alice-pw", "CouchDB"),
        ("half the credentials", URL, "alice", "", "both a user name and a password"),
        ("plain http elsewhere", "http://couch.example.org", "alice", "alice-pw", "https"),
    ];
    for (what, url, user, password, says) in cases {
        w.connect_with(A, url, user, password);
        let v = &w.pages[A].view;
        assert_eq!(v.status, TeamStatus::Failed, "{what}");
        assert_eq!(v.status.text(), "Not connected");
        assert!(v.error.as_deref().unwrap_or("").contains(says), "{what}: {:?}", v.error);
        assert_eq!(w.pages[A].stored, None, "{what}: nothing stored");
        assert_eq!(w.pages[A].bridge, None, "{what}: nothing started");
        assert_eq!(w.pages[A].cookie, None, "{what}: no session left behind");
    }
    w.up = false;
    w.connect(A, "alice");
    assert!(w.pages[A].view.error.as_deref().unwrap().starts_with("Could not reach http://127.0.0.1:5984 (Failed to fetch)."));
    w.up = true;
    w.connect(A, "alice");
    w.settle();
    assert_eq!(w.pages[A].view.status, TeamStatus::Synced);
    assert_eq!(w.pages[A].view.error, None);
    assert_eq!(labels(&w, A), BTreeMap::from([(kept, Label::Statistic)]));
    assert!(w.server.docs.is_empty(), "an unshared document is not sent");
}

#[test]
fn reloading_resumes_offline_first_and_a_refused_database_asks_to_connect_again() {
    let mut w = pair();
    w.reload(A);
    assert_eq!(w.pages[A].view.status, TeamStatus::Syncing, "resumed with the browser's session cookie");
    w.settle();
    assert_eq!(w.pages[A].view.status, TeamStatus::Synced);
    assert_eq!(w.pages[A].session.caught_up(), Some(seed_id().as_str()));

    // The server is down at the reload: the local copy takes the work.
    w.server_down();
    w.reload(A);
    assert!(w.pages[A].bridge.is_some(), "started offline");
    let x = w.tag(A, "Kabul", Label::Claim);
    w.ack(A);
    w.deliver(A);
    w.up = true;
    w.settle();
    assert_eq!(labels(&w, B).get(&x), Some(&Label::Claim), "what was done offline after the reload arrives");

    // Signed out elsewhere: the database refuses; sync stops and says so.
    w.pages[A].cookie = None;
    w.reload(A);
    let v = &w.pages[A].view;
    assert_eq!(v.status, TeamStatus::Failed);
    assert!(v.error.as_deref().unwrap().ends_with("Connect again to go on syncing; your work here is kept."), "{:?}", v.error);
    assert_eq!(w.pages[A].bridge, None);
}

#[test]
fn late_answers_of_abandoned_checks_and_stopped_runs_change_nothing() {
    let mut w = World::new(&["a"]);
    let out = w.pages[A]
        .session
        .step(Event::Connect { url: URL.into(), db: DB.into(), user: "alice".into(), password: "alice-pw".into() }, BASE + 1);
    let Some(Command::LoadBridge { ticket }) = out.first().cloned() else { panic!("{out:?}") };
    w.feed(A, Event::Disconnect);
    assert_eq!(w.pages[A].view.status, TeamStatus::Off);
    w.feed(A, Event::Loaded { ticket, result: Ok(()) });
    assert_eq!(w.pages[A].view.status, TeamStatus::Off, "the connection abandoned does not go on");
    assert_eq!(w.pages[A].bridge, None);

    w.connect(A, "alice");
    w.settle();
    let old = w.pages[A].session.run().unwrap();
    w.feed(A, Event::Disconnect);
    w.connect(A, "alice");
    let out = w.pages[A].session.step(Event::Status { run: old, kind: "paused".into(), detail: "Failed to fetch".into() }, BASE + 10_000);
    assert!(out.is_empty(), "a stopped run's state is ignored: {out:?}");
    let batch = Event::Batch { run: old, json: "not json".into(), initial: true, library: w.pages[A].library.clone() };
    assert!(w.pages[A].session.step(batch, BASE + 10_001).is_empty());
}

#[test]
fn a_session_the_server_no_longer_accepts_stops_the_run() {
    let mut w = pair();
    let run = w.pages[A].session.run().unwrap();
    w.feed(A, Event::Status { run, kind: "denied".into(), detail: "forbidden".into() });
    assert_eq!(w.pages[A].view.error.as_deref(), Some("The server refused a change: forbidden."));
    w.feed(A, Event::Status { run, kind: "error".into(), detail: "500 boom".into() });
    assert_eq!(w.pages[A].view.status, TeamStatus::Offline);
    assert_eq!(w.pages[A].view.error.as_deref(), Some("Sync paused by an error: 500 boom. It will be tried again."));
    w.feed(A, Event::Status { run, kind: "paused".into(), detail: "401 unauthorized".into() });
    assert_eq!(w.pages[A].view.status, TeamStatus::Failed);
    assert!(w.pages[A].view.error.as_deref().unwrap().starts_with("The server no longer accepts this session"));
    assert_eq!(w.pages[A].bridge, None, "replication stopped");
    let before = w.pages[A].written.len();
    w.tag(A, "Kabul", Label::Claim);
    assert_eq!(w.pages[A].written.len(), before, "nothing is sent after the run stopped");
    w.feed(A, Event::Share { id: seed_id() });
    assert_eq!(w.pages[A].notices.last().map(String::as_str), Some("Connect to your team first (Team sync), then share."));
}

#[test]
fn a_conflict_is_closed_once_while_its_tombstone_is_in_flight() {
    let mut w = pair();
    let x = w.tag(A, "Kabul", Label::Claim);
    w.settle();
    // Both retag x offline: two live leaves once healed.
    w.server_down();
    w.retag(A, &x, Label::Denial);
    w.retag(B, &x, Label::Statistic);
    w.ack(A);
    w.ack(B);
    w.up = true;
    w.replicate(B);
    w.replicate(A);
    let id = format!("ann:{}:{x}", seed_id());
    assert_eq!(w.pages[A].db.live_leaves(&id), 2);
    // A's feed passes the conflict on twice before its closing write is stored.
    let run = w.pages[A].session.run().unwrap();
    let items = json!([{"id": id, "leaves": w.pages[A].db.leaf_bodies(&id)}]).to_string();
    for _ in 0..2 {
        let library = w.pages[A].library.clone();
        w.feed(A, Event::Batch { run, json: items.clone(), initial: false, library });
    }
    let closing: Vec<_> = w.pages[A].pending.iter().flat_map(|(_, d)| d).filter(|d| is_deleted(d)).collect();
    assert_eq!(closing.len(), 1, "one closing tombstone: {closing:?}");
    // Its write fails: the next batch may close the conflict again.
    let (wid, _) = w.pages[A].pending.pop().unwrap();
    w.feed(A, Event::Written { id: wid, result: Err("quota".into()) });
    assert!(w.pages[A].notices.last().unwrap().starts_with("Changes could not be stored for the team (quota)."));
    let library = w.pages[A].library.clone();
    w.feed(A, Event::Batch { run, json: items, initial: false, library });
    assert_eq!(w.pages[A].pending.len(), 1, "written again after the failure");
    w.settle();
    assert_no_conflicts(&w);
    assert_eq!(labels(&w, A), labels(&w, B));
    assert_eq!(labels(&w, A)[&x], Label::Statistic, "the later retag");
}

#[test]
fn a_shared_document_opened_again_catches_up_with_what_arrived_meanwhile() {
    let mut w = pair();
    w.open_file(B);
    let x = w.tag(A, "Islamabad said", Label::Claim);
    w.settle();
    assert!(labels(&w, B).is_empty(), "the file is open in B");
    w.open(B, &seed_id());
    w.settle();
    assert_eq!(labels(&w, B), BTreeMap::from([(x, Label::Claim)]), "what arrived while the file was open is shown");
    assert_nothing_twice(&w);
}
