//! Team sync through CouchDB: the hybrid logical clock (monotonic, string
//! order = clock order, bounds), the CouchDB documents (round trip, foreign
//! and bad documents), the resolver (order independence, idempotence,
//! resolving in parts) and its agreement with the two-tab merge on random
//! histories of edits, deletions, replications and resolutions.

use annotator_core::model::links::{Link, LinkKind};
use annotator_core::model::{clean_attribute, text_order, Annotation, Label};
use annotator_core::store::library::DocMeta;
use annotator_core::store::merge::{merge, DocRecord};
use annotator_core::sync::hlc::{MAX_COUNTER, MAX_WALL_MS};
use annotator_core::sync::resolve::{couch_winner, rev_order};
use annotator_core::sync::*;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

fn hlc(wall: u64, counter: u32, replica: &str) -> Hlc {
    Hlc::new(wall, counter, replica).unwrap()
}

fn ann(id: &str, note: &str, label: Label) -> Annotation {
    let mut a = Annotation::new(id, 0, 5, "Kabul", label, "2024-01-01T00:00:00Z");
    a.note = note.into();
    a
}

fn live(id: &str, note: &str, h: &Hlc) -> Remote {
    Remote::Annotation { doc: "d1".into(), ann: ann(id, note, Label::Claim), hlc: h.clone() }
}

fn gone(id: &str, h: &Hlc) -> Remote {
    Remote::Deleted { id: CouchId::annotation("d1", id).unwrap(), hlc: h.clone() }
}

/// The leaves after `res` was written: losers replaced by their closing
/// tombstones (read back through `from_couch`), one level deeper.
fn apply(revs: &[(String, Remote)], res: &Resolution) -> Vec<(String, Remote)> {
    let mut out: Vec<(String, Remote)> = revs.iter().filter(|(r, _)| !res.delete_revs.contains(r)).cloned().collect();
    for (i, (rev, body)) in res.delete_revs.iter().zip(&res.writes).enumerate() {
        assert_eq!(body["_rev"], json!(rev));
        let pos: u64 = rev.split('-').next().and_then(|n| n.parse().ok()).unwrap_or(0);
        out.push((format!("{}-close{i}", pos + 1), from_couch(body).unwrap()));
    }
    out
}

// ------------------------------------------------------------------ the clock

#[test]
fn the_clock_ticks_past_itself_and_what_it_receives() {
    let c = hlc(1_000, 5, "tab1");
    assert_eq!(c.tick(2_000).unwrap(), hlc(2_000, 0, "tab1"));
    assert_eq!(c.tick(999).unwrap(), hlc(1_000, 6, "tab1"), "a clock running behind counts");
    let remote = hlc(5_000, 7, "tab2");
    assert_eq!(c.recv(&remote, 1_500).unwrap(), hlc(5_000, 8, "tab1"));
    assert_eq!(c.recv(&remote, 9_000).unwrap(), hlc(9_000, 0, "tab1"));
    assert_eq!(hlc(5_000, 9, "a").recv(&remote, 0).unwrap(), hlc(5_000, 10, "a"));
}

#[test]
fn counter_overflow_moves_to_the_next_millisecond_and_only_the_last_value_is_stuck() {
    assert_eq!(hlc(7, MAX_COUNTER, "r").tick(7).unwrap(), hlc(8, 0, "r"));
    assert_eq!(hlc(7, 0, "r").recv(&hlc(7, MAX_COUNTER, "q"), 0).unwrap(), hlc(8, 0, "r"));
    let last = hlc(MAX_WALL_MS, MAX_COUNTER, "r");
    assert_eq!(last.tick(u64::MAX), Err(HlcError::Exhausted));
    assert_eq!(hlc(0, 0, "r").tick(u64::MAX).unwrap(), hlc(MAX_WALL_MS, 0, "r"), "a far future counts as the largest time");
    assert!(!HlcError::Exhausted.to_string().is_empty());
}

#[test]
fn the_string_form_is_fixed_width_and_parse_refuses_everything_else() {
    let c = hlc(1_714_557_600_000, 3, "tab7");
    assert_eq!(c.to_string(), "1714557600000-000003-tab7");
    assert_eq!(Hlc::parse("1714557600000-000003-tab7"), Ok(c));
    let kind = |e: &HlcError| match e {
        HlcError::Shape(_) => "shape",
        HlcError::Wall(_) => "wall",
        HlcError::Counter(_) => "counter",
        HlcError::Replica(_) => "replica",
        HlcError::Exhausted => "exhausted",
    };
    for (s, want) in [
        ("", "shape"),
        ("1714557600000-000003", "shape"),
        ("171455760000-000003-a", "wall"),
        ("+714557600000-000003-a", "wall"),
        ("1714557600000-3-a", "counter"),
        ("1714557600000-000003-", "replica"),
        ("1714557600000-000003-Tab", "replica"),
        ("1714557600000-000003-a-b", "replica"),
    ] {
        let e = Hlc::parse(s).unwrap_err();
        assert_eq!(kind(&e), want, "{s}");
        assert!(!e.to_string().is_empty());
    }
    assert!(matches!(Hlc::new(0, 0, &"a".repeat(33)), Err(HlcError::Replica(_))));
    assert!(matches!(Hlc::new(MAX_WALL_MS + 1, 0, "a"), Err(HlcError::Wall(_))));
    assert!(matches!(Hlc::new(0, MAX_COUNTER + 1, "a"), Err(HlcError::Counter(_))));
}

fn hlc_strategy() -> impl Strategy<Value = Hlc> {
    let wall = prop_oneof![0u64..5, 1_700_000_000_000u64..1_700_000_000_010, MAX_WALL_MS - 2..=MAX_WALL_MS];
    let counter = prop_oneof![0u32..4, MAX_COUNTER - 2..=MAX_COUNTER];
    (wall, counter, "[0-9a-z]{1,4}").prop_map(|(w, c, r)| hlc(w, c, &r))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn tick_and_recv_only_move_forward(c in hlc_strategy(), r in hlc_strategy(), now in prop_oneof![0u64..10, 1_700_000_000_000u64..1_700_000_000_020]) {
        if let Ok(t) = c.tick(now) {
            prop_assert!(t > c && t.wall_ms() >= now.min(MAX_WALL_MS) && t.replica() == c.replica());
        } else {
            prop_assert!(c.wall_ms() == MAX_WALL_MS && c.counter() == MAX_COUNTER);
        }
        if let Ok(t) = c.recv(&r, now) {
            prop_assert!(t > c && t > r && t.wall_ms() >= now && t.replica() == c.replica());
        } else {
            prop_assert!(c.wall_ms().max(r.wall_ms()) == MAX_WALL_MS);
        }
    }

    #[test]
    fn the_string_form_sorts_like_the_clock_and_reads_back(a in hlc_strategy(), b in hlc_strategy()) {
        prop_assert_eq!(a.to_string().cmp(&b.to_string()), a.cmp(&b));
        prop_assert_eq!(Hlc::parse(&a.to_string()), Ok(a.clone()));
    }
}

// ---------------------------------------------------------- CouchDB documents

fn annotation_strategy() -> impl Strategy<Value = Annotation> {
    let id = prop_oneof!["[ -~]{1,12}", "[a-z0-9:_/%é中📊 -]{1,8}"];
    let text = "[ -~é中📊]{0,12}";
    let links = prop::collection::btree_map("[a-c]{1,2}", 0usize..4, 0..3);
    (id, "[a-zé📊 ]{1,10}", 0usize..100, 0usize..3, text, text, text, links, text, text).prop_map(
        |(id, quote, start, l, note, speaker, verdict, links, created, modified)| {
            let mut a = Annotation::new(&id, start, start + quote.chars().count(), &quote, Label::ALL[l], &created);
            a.note = note;
            a.speaker = clean_attribute(&speaker);
            a.verdict = clean_attribute(&verdict);
            a.links = links.into_iter().filter(|(to, _)| *to != id).map(|(to, k)| Link { to, kind: LinkKind::ALL[k] }).collect();
            a.modified = modified;
            a
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Rules 2 and 2b: an annotation's record holds everything but its
    /// links; each link is a record of its own, and both read back.
    #[test]
    fn an_annotation_reads_back_from_its_couch_document(a in annotation_strategy(), h in hlc_strategy(), doc in "[0-9a-f]{16}|[A-Za-z0-9_-]{1,64}") {
        let v = to_couch(&doc, &a, &h).unwrap();
        prop_assert_eq!(v["_id"].as_str().unwrap(), format!("ann:{doc}:{}", a.id));
        prop_assert!(v.get("links").is_none(), "links are records of their own");
        let through_text: Value = serde_json::from_str(&v.to_string()).unwrap();
        let bare = Annotation { links: Vec::new(), ..a.clone() };
        let want = Remote::Annotation { doc: doc.clone(), ann: bare, hlc: h.clone() };
        prop_assert_eq!(from_couch(&through_text), Ok(want.clone()));
        prop_assert_eq!(want.to_couch(), v);
        for link in &a.links {
            let lv = link_to_couch(&doc, &a.id, link, &h).unwrap();
            let id = CouchId::link(&doc, &a.id, &link.to).unwrap();
            prop_assert_eq!(lv["_id"].as_str().unwrap(), id.to_string());
            prop_assert_eq!(CouchId::parse(&id.to_string()), Ok(id.clone()));
            let back: Value = serde_json::from_str(&lv.to_string()).unwrap();
            prop_assert_eq!(from_couch(&back), Ok(Remote::Link { doc: doc.clone(), from: a.id.clone(), link: link.clone(), hlc: h.clone() }));
            prop_assert_eq!(from_couch(&deletion(&id, &h)), Ok(Remote::Deleted { id, hlc: h.clone() }));
        }
        let t = tombstone(&doc, &a.id, &h).unwrap();
        prop_assert_eq!(from_couch(&t), Ok(Remote::Deleted { id: CouchId::annotation(&doc, &a.id).unwrap(), hlc: h }));
    }
}

#[test]
fn a_document_reads_back_and_couch_fields_are_ignored() {
    let text = "Kabul denied 📊 the claim.";
    let mut meta = DocMeta::new(text, "Title", "name", "2024-05-01T10:00:00Z");
    meta.details.publisher = "Dawn".into();
    let h = hlc(1, 2, "r");
    let mut v = document_to_couch(&meta, text, &h).unwrap();
    assert_eq!(v["_id"], json!(format!("doc:{}", meta.id)));
    v["_rev"] = json!("3-abc");
    v["_conflicts"] = json!(["3-abd"]);
    assert_eq!(rev_of(&v), Some("3-abc"));
    assert_eq!(from_couch(&v), Ok(Remote::Document { meta: meta.clone(), text: text.into(), hlc: h.clone() }));
    let del = deletion(&CouchId::document(&meta.id).unwrap(), &h);
    assert_eq!(from_couch(&del).map(|r| r.is_deleted()), Ok(true));
}

#[test]
fn foreign_documents_are_told_apart_from_bad_ones() {
    let h = hlc(1, 2, "r");
    let good = to_couch("d1", &ann("x", "", Label::Claim), &h).unwrap();
    for v in [json!(5), json!({}), json!({"_id": "_design/app"}), json!({"_id": "other:1", "type": "annotation"}), {
        let mut v = good.clone();
        v["type"] = json!("note");
        v
    }] {
        assert!(matches!(from_couch(&v), Err(CouchError::Foreign { .. })), "{v}");
    }
    let field = |edit: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        edit(&mut v);
        match from_couch(&v) {
            Err(e @ CouchError::Field { .. }) => {
                assert!(e.to_string().contains("ann:d1:x"), "{e}");
                let CouchError::Field { path, .. } = e else { unreachable!() };
                path
            }
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(field(&|v| v["hlc"] = json!("yesterday")), "hlc");
    assert_eq!(field(&|v| drop(v.as_object_mut().unwrap().remove("hlc"))), "hlc");
    assert_eq!(field(&|v| v["start"] = json!(-1)), "start");
    assert_eq!(field(&|v| v["label"] = json!("opinion")), "label");
    assert_eq!(field(&|v| v["quote"] = json!("Kab")), "quote");
    assert_eq!(field(&|v| v["id"] = json!("y")), "id");
    assert_eq!(field(&|v| v["_deleted"] = json!("yes")), "_deleted");
    assert!(matches!(from_couch(&json!({"_id": "ann:d1:x", "_deleted": true})), Err(CouchError::Field { .. })));
    assert!(matches!(from_couch(&json!({"_id": "ann:bad id:x", "type": "annotation"})), Err(CouchError::DocId(_))));
    assert!(matches!(from_couch(&json!({"_id": "ann:d1", "type": "annotation"})), Err(CouchError::DocId(_))));
    assert!(matches!(from_couch(&json!({"_id": "ann:d1:", "type": "annotation"})), Err(CouchError::AnnotationId(_))));
    assert!(matches!(to_couch("d1", &ann(&"x".repeat(201), "", Label::Claim), &h), Err(CouchError::AnnotationId(_))));
    assert!(matches!(tombstone("d:1", "x", &h), Err(CouchError::DocId(_))));
    for e in [CouchError::Foreign { id: String::new() }, CouchError::DocId("d:1".into()), CouchError::AnnotationId(String::new())] {
        assert!(!e.to_string().is_empty());
    }
}

// --------------------------------------------------------------- the resolver

#[test]
fn a_later_deletion_beats_the_live_revision_couchdb_would_show() {
    let (t1, t2) = (hlc(10, 0, "a"), hlc(20, 0, "b"));
    let revs = vec![("5-aaa".to_string(), live("x", "edit", &t1)), ("2-bbb".to_string(), gone("x", &t2))];
    assert_eq!(couch_winner(&revs), Some(0), "CouchDB prefers the live leaf");
    let res = resolve(&revs).unwrap();
    assert_eq!((res.winner_rev.as_str(), &res.winner), ("2-bbb", &gone("x", &t2)));
    assert_eq!(res.delete_revs, ["5-aaa"]);
    assert_eq!(res.writes, [json!({"_id": "ann:d1:x", "_rev": "5-aaa", "_deleted": true, "hlc": t2.to_string()})]);
    // A later edit revives; of two live versions the later wins whatever the revision depth.
    let t3 = hlc(30, 0, "a");
    let revs = vec![
        ("9-zzz".to_string(), live("x", "old", &t1)),
        ("2-bbb".to_string(), gone("x", &t2)),
        ("3-ccc".to_string(), live("x", "new", &t3)),
    ];
    let res = resolve(&revs).unwrap();
    assert_eq!((res.winner_rev.as_str(), &res.winner), ("3-ccc", &live("x", "new", &t3)));
    assert_eq!(res.delete_revs, ["9-zzz"]);
    let after = apply(&revs, &res);
    assert_eq!(after[couch_winner(&after).unwrap()].0, "3-ccc", "CouchDB now shows our winner");
    assert_eq!(resolve(&[]), Err(ResolveError::NoRevisions));
    let mixed = resolve(&[("1-a".into(), gone("x", &t1)), ("1-b".into(), gone("y", &t1))]).unwrap_err();
    assert!(mixed.to_string().contains("ann:d1:y"), "{mixed}");
    assert_eq!(rev_order("10-a", "9-b"), std::cmp::Ordering::Greater);
}

#[test]
fn a_document_conflict_is_resolved_by_the_same_rule() {
    let text = "Kabul denied the claim.";
    let (old, new) =
        (DocMeta::new(text, "Old title", "", "2024-05-01T10:00:00Z"), DocMeta::new(text, "New title", "", "2024-05-01T10:00:00Z"));
    let doc = |m: &DocMeta, h: &Hlc| Remote::Document { meta: m.clone(), text: text.into(), hlc: h.clone() };
    let revs = vec![("4-a".to_string(), doc(&old, &hlc(10, 0, "a"))), ("2-b".to_string(), doc(&new, &hlc(10, 1, "b")))];
    let res = resolve(&revs).unwrap();
    assert_eq!((res.winner_rev.as_str(), res.delete_revs.as_slice()), ("2-b", ["4-a".to_string()].as_slice()));
    assert_eq!(res.writes[0]["_id"], json!(format!("doc:{}", old.id)));
    let other = ("1-c".to_string(), gone("x", &hlc(1, 0, "a")));
    assert!(matches!(resolve(&[revs[0].clone(), other]), Err(ResolveError::MixedIds { .. })));
}

/// Revisions of one annotation: unique revs, clocks from a small pool so
/// equal clocks (identical revisions, closing tombstones) occur.
fn revs_strategy() -> impl Strategy<Value = Vec<(String, Remote)>> {
    let one = (1u64..6, "[a-f]{2}", 0usize..4, prop::sample::select(vec!["", "n1", "n2"]), any::<bool>());
    prop::collection::vec(one, 1..7).prop_map(|v| {
        let mut seen = BTreeSet::new();
        v.into_iter()
            .filter(|(pos, hash, ..)| seen.insert(format!("{pos}-{hash}")))
            .map(|(pos, hash, t, note, del)| {
                let h = hlc(t as u64 / 2, 0, ["a", "b"][t % 2]);
                (format!("{pos}-{hash}"), if del { gone("x", &h) } else { live("x", note, &h) })
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn every_order_of_the_revisions_gives_the_same_resolution(
        (revs, shuffled) in revs_strategy().prop_flat_map(|r| (Just(r.clone()), Just(r).prop_shuffle())),
        dup in 0usize..7,
    ) {
        let res = resolve(&revs).unwrap();
        let mut with_dup = shuffled.clone();
        with_dup.push(shuffled[dup % shuffled.len()].clone());
        prop_assert_eq!(resolve(&shuffled).unwrap(), res.clone());
        prop_assert_eq!(resolve(&with_dup).unwrap(), res.clone());
        prop_assert!(revs.iter().all(|(_, r)| r.hlc() <= res.winner.hlc()), "the highest clock wins");
    }

    #[test]
    fn resolving_the_written_result_again_changes_and_writes_nothing(revs in revs_strategy()) {
        let res = resolve(&revs).unwrap();
        let after = apply(&revs, &res);
        let again = resolve(&after).unwrap();
        prop_assert_eq!(&again.winner, &res.winner);
        prop_assert!(again.writes.is_empty() && again.delete_revs.is_empty());
        // CouchDB's own choice now shows ours (or a deletion).
        let shown = &after[couch_winner(&after).unwrap()];
        if res.winner.is_deleted() {
            prop_assert!(after.iter().all(|(_, r)| r.is_deleted()) && shown.1.is_deleted());
        } else {
            prop_assert_eq!(&shown.0, &res.winner_rev);
        }
    }

    #[test]
    fn resolving_in_parts_gives_the_winner_of_the_whole(a in revs_strategy(), b in revs_strategy()) {
        let b: Vec<_> = b.into_iter().filter(|(rev, _)| a.iter().all(|(r, _)| r != rev)).collect();
        let whole = resolve(&[a.clone(), b.clone()].concat()).unwrap();
        let part = resolve(&a).unwrap();
        let mut rest = vec![(part.winner_rev, part.winner)];
        rest.extend(b);
        let two_steps = resolve(&rest).unwrap();
        prop_assert_eq!((two_steps.winner_rev, two_steps.winner), (whole.winner_rev, whole.winner));
    }
}

// ------------------------------------------- agreement with the two-tab merge

/// An RFC 3339 time with the order of the clock: milliseconds of 2024-01-01
/// as the time, counter and replica number in the nanoseconds (the
/// histories are less than a day long, counters below 99,999, replicas `r0`–`r9`).
fn time_of(h: &Hlc) -> String {
    let idx: u64 = h.replica()[1..].parse().unwrap();
    assert!(h.wall_ms() < 86_400_000 && h.counter() < 99_999);
    let (ms, s) = (h.wall_ms(), h.wall_ms() / 1000);
    let nanos = (ms % 1000) * 1_000_000 + h.counter() as u64 * 10 + idx;
    format!("2024-01-01T{:02}:{:02}:{:02}.{nanos:09}Z", s / 3600, s / 60 % 60, s % 60)
}

const SPANS: [(&str, usize, usize); 3] = [("a", 0, 5), ("b", 6, 12), ("c", 13, 14)];

#[derive(Clone, Debug)]
enum Op {
    /// Replica edits (or re-creates) annotation `id`: note and label.
    Edit(usize, usize, usize, usize),
    Delete(usize, usize),
    /// Replication of everything from the first replica to the second.
    Sync(usize, usize),
    /// Replica resolves annotation `id` and writes the resolution.
    Resolve(usize, usize),
}

#[derive(Clone)]
struct Leaf {
    rev: String,
    ancestors: BTreeSet<String>,
    remote: Remote,
}

/// One replica twice: its CouchDB leaves (and clock), and a two-tab record.
struct Replica {
    clock: Hlc,
    skew: u64,
    leaves: BTreeMap<&'static str, Vec<Leaf>>,
    record: DocRecord,
}

fn pairs(leaves: &[Leaf]) -> Vec<(String, Remote)> {
    leaves.iter().map(|l| (l.rev.clone(), l.remote.clone())).collect()
}

impl Replica {
    fn resolved(&self) -> Vec<Annotation> {
        let mut out: Vec<Annotation> = (self.leaves.values())
            .filter_map(|l| match resolve(&pairs(l)).unwrap().winner {
                Remote::Annotation { ann, .. } => Some(ann),
                _ => None,
            })
            .collect();
        out.sort_by(text_order);
        out
    }

    /// Writes `remote` on top of the leaf CouchDB shows (as PouchDB's `put` with the `_rev` it read).
    fn write_on(&mut self, id: &'static str, at: Option<usize>, remote: Remote, hash: String) {
        let leaves = self.leaves.entry(id).or_default();
        let (pos, ancestors) = match at.or_else(|| couch_winner(&pairs(leaves))) {
            Some(i) => {
                let parent = leaves.remove(i);
                let pos: u64 = parent.rev.split('-').next().unwrap().parse().unwrap();
                let mut anc = parent.ancestors;
                anc.insert(parent.rev);
                (pos + 1, anc)
            }
            None => (1, BTreeSet::new()),
        };
        leaves.push(Leaf { rev: format!("{pos}-{hash}"), ancestors, remote });
    }
}

/// Runs the history, checking after each step; returns the replicas.
fn run(skews: &[u64], ops: &[(Op, u64)]) -> Result<Vec<Replica>, TestCaseError> {
    let mut reps: Vec<Replica> = (skews.iter().enumerate())
        .map(|(i, s)| Replica {
            clock: Hlc::start(&format!("r{i}")).unwrap(),
            skew: *s,
            leaves: BTreeMap::new(),
            record: DocRecord::default(),
        })
        .collect();
    let (mut now, mut n) = (1_000u64, 0u32);
    let mut hash = || {
        n += 1;
        format!("{:08x}", n.wrapping_mul(0x9E37_79B1))
    };
    for (op, dt) in ops {
        now += dt;
        match *op {
            Op::Edit(r, i, ..) | Op::Delete(r, i) => {
                let (id, start, end) = SPANS[i];
                let rep = &mut reps[r];
                let shown = rep.resolved().into_iter().find(|a| a.id == id);
                if shown.is_none() && matches!(op, Op::Delete(..)) {
                    continue; // nothing shown to delete
                }
                rep.clock = rep.clock.tick(now + rep.skew).unwrap();
                let (h, t) = (rep.clock.clone(), time_of(&rep.clock));
                let (remote, delta) = if let Op::Edit(_, _, note, label) = *op {
                    let mut a = shown.unwrap_or_else(|| Annotation::new(id, start, end, &"q".repeat(end - start), Label::Claim, &t));
                    (a.note, a.label, a.modified) = (["", "n1", "n2"][note].into(), Label::ALL[label], t);
                    (Remote::Annotation { doc: "d1".into(), ann: a.clone(), hlc: h }, DocRecord::new(vec![a]))
                } else {
                    let mut d = DocRecord::default();
                    d.deleted.insert(id.into(), t);
                    (gone(id, &h), d)
                };
                rep.record = merge(&rep.record, &delta);
                rep.write_on(id, None, remote, hash());
            }
            Op::Sync(from, to) => {
                let got: Vec<(&'static str, Leaf)> =
                    reps[from].leaves.iter().flat_map(|(id, ls)| ls.iter().map(|l| (*id, l.clone()))).collect();
                let theirs = reps[from].record.clone();
                let rep = &mut reps[to];
                for (id, leaf) in got {
                    rep.clock = rep.clock.recv(leaf.remote.hlc(), now + rep.skew).unwrap();
                    let leaves = rep.leaves.entry(id).or_default();
                    if !leaves.iter().any(|l| l.rev == leaf.rev || l.ancestors.contains(&leaf.rev)) {
                        leaves.retain(|l| !leaf.ancestors.contains(&l.rev));
                        leaves.push(leaf);
                    }
                }
                rep.record = merge(&rep.record, &theirs);
            }
            Op::Resolve(r, i) => {
                let id = SPANS[i].0;
                let Some(leaves) = reps[r].leaves.get(id) else { continue };
                let res = resolve(&pairs(leaves)).unwrap();
                for (rev, body) in res.delete_revs.iter().zip(&res.writes) {
                    let at = reps[r].leaves[id].iter().position(|l| &l.rev == rev);
                    reps[r].write_on(id, at, from_couch(body).unwrap(), hash());
                }
            }
        }
        for rep in &reps {
            prop_assert_eq!(rep.resolved(), rep.record.annotations.clone(), "after {:?}", op);
        }
    }
    Ok(reps)
}

fn ops_strategy() -> impl Strategy<Value = (Vec<u64>, Vec<(Op, u64)>)> {
    (2usize..=3).prop_flat_map(|n| {
        let op = prop_oneof![
            3 => (0..n, 0..3usize, 0..3usize, 0..3usize).prop_map(|(r, i, note, l)| Op::Edit(r, i, note, l)),
            2 => (0..n, 0..3usize).prop_map(|(r, i)| Op::Delete(r, i)),
            3 => (0..n, 0..n).prop_map(|(a, b)| Op::Sync(a, b)),
            1 => (0..n, 0..3usize).prop_map(|(r, i)| Op::Resolve(r, i)),
        ];
        (prop::collection::vec(0u64..40, n), prop::collection::vec((op, 0u64..3), 1..40))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Random histories on 2–3 replicas with skewed clocks: after every
    /// step each replica's resolved annotations are those of the two-tab
    /// merge of what it has seen (times = clock order), and once everything
    /// is replicated everywhere all replicas agree and, once resolved,
    /// hold at most one live leaf per annotation.
    #[test]
    fn the_resolver_agrees_with_the_two_tab_merge((skews, mut ops) in ops_strategy()) {
        let n = skews.len();
        for k in 0..2 * n {
            ops.push((Op::Sync(k % n, (k + 1) % n), 1));
        }
        for r in 0..n {
            for i in 0..3 {
                ops.push((Op::Resolve(r, i), 0));
            }
        }
        let reps = run(&skews, &ops)?;
        prop_assert!(reps.windows(2).all(|w| w[0].resolved() == w[1].resolved()), "replicated everywhere, all agree");
        for leaves in reps.iter().flat_map(|r| r.leaves.values()) {
            prop_assert!(leaves.iter().filter(|l| !l.remote.is_deleted()).count() <= 1, "resolved: no conflict left");
        }
    }
}

/// Rule 1 for links: ids holding `:` (imported ids may) round-trip, because
/// the source id's length is in the `_id`.
#[test]
fn link_ids_with_colons_round_trip() {
    for (from, to) in [("a", "b"), ("a:b", "c"), ("a", "b:c"), ("x:1:y", "é:2"), ("::", ":")] {
        let id = CouchId::link("d1", from, to).unwrap();
        assert_eq!(CouchId::parse(&id.to_string()), Ok(id.clone()), "{id}");
    }
    for bad in ["link:d1:a:b", "link:d1:9:a:b", "link:d1:1:ab", "link:d 1:1:a:b", "link:d1:1:a:"] {
        assert!(!matches!(CouchId::parse(bad), Ok(CouchId::Link { .. })), "{bad} read as a link");
    }
}

/// Rule 5 for links: a link record that does not match its `_id`, points
/// to its own annotation, or has no known kind is refused by field.
#[test]
fn bad_link_records_are_refused_by_field() {
    let h = hlc(1_700_000_000_000, 0, "a");
    let good = link_to_couch("d1", "a", &Link { to: "b".into(), kind: LinkKind::Denies }, &h).unwrap();
    assert!(from_couch(&good).is_ok());
    let with = |key: &str, v: Value| {
        let mut x = good.clone();
        x[key] = v;
        x
    };
    for (doc, path) in [(with("from", json!("z")), "from"), (with("to", json!("z")), "to"), (with("kind", json!("likes")), "kind")] {
        match from_couch(&doc) {
            Err(CouchError::Field { path: p, .. }) => assert_eq!(p, path),
            other => panic!("{doc}: {other:?}"),
        }
    }
    let own = json!({"_id": CouchId::link("d1", "a", "a").unwrap().to_string(), "type": "link", "hlc": h.to_string(), "from": "a", "to": "a", "kind": "denies"});
    assert!(matches!(from_couch(&own), Err(CouchError::Field { path, .. }) if path == "to"));
}
