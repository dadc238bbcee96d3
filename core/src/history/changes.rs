//! Computing and replaying the changes of a step.

use super::change::Change;
use crate::model::{text_order, Annotation};
use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};

/// The changes that turn `old` into `new`, matching annotations by id.
///
/// Order: deletes and edits in the order of `old`, then adds in the order of
/// `new`. Annotations equal in both lists produce no change, so an empty
/// result means nothing changed. O(n) expected time: one `HashMap` of `new`
/// keyed by id, one `HashSet` of `old` ids. Ids are assumed unique in each list
/// (the reducer guarantees it); with duplicates the last one of `new` wins.
pub fn diff<A: Borrow<Annotation>, B: Borrow<Annotation>>(old: &[A], new: &[B]) -> Vec<Change> {
    if is_text_ordered(old) && is_text_ordered(new) {
        return diff_ordered(old, new);
    }
    diff_by_id(old, new)
}

fn is_text_ordered<A: Borrow<Annotation>>(list: &[A]) -> bool {
    list.windows(2).all(|w| text_order(w[0].borrow(), w[1].borrow()).is_lt())
}

/// Equal annotations; shared ones (the same `Rc`) without comparing fields.
fn same(a: &Annotation, b: &Annotation) -> bool {
    std::ptr::eq(a, b) || a == b
}

/// [`diff`] of two lists in strict [`text_order`] (the model keeps them so):
/// one merge walk, no allocation proportional to the lists, so an edit on
/// 10,000 annotations costs a pass of comparisons. Annotations whose
/// position changed appear on both sides of the walk and are paired by id
/// afterwards (a map of the k moved ones only).
fn diff_ordered<A: Borrow<Annotation>, B: Borrow<Annotation>>(old: &[A], new: &[B]) -> Vec<Change> {
    // Positions in `old` that are not matched in place (deleted or moved),
    // in old order, and the same for `new` (added or moved).
    let mut events: Vec<(usize, Option<usize>)> = Vec::new(); // (old index, new index if edited in place)
    let mut added: Vec<usize> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < old.len() && j < new.len() {
        match text_order(old[i].borrow(), new[j].borrow()) {
            std::cmp::Ordering::Equal => {
                if !same(old[i].borrow(), new[j].borrow()) {
                    events.push((i, Some(j)));
                }
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => {
                events.push((i, None));
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                added.push(j);
                j += 1;
            }
        }
    }
    events.extend((i..old.len()).map(|i| (i, None)));
    added.extend(j..new.len());
    if events.is_empty() && added.is_empty() {
        return Vec::new();
    }
    let mut added_by_id: HashMap<&str, usize> = added.iter().map(|&j| (new[j].borrow().id.as_str(), j)).collect();
    let mut out = Vec::with_capacity(events.len() + added.len());
    for (i, edited) in events {
        let a: &Annotation = old[i].borrow();
        let after = edited.or_else(|| added_by_id.remove(a.id.as_str()));
        out.push(Change { before: Some(a.clone()), after: after.map(|j| new[j].borrow().clone()) });
    }
    for j in added {
        let b: &Annotation = new[j].borrow();
        if added_by_id.contains_key(b.id.as_str()) {
            out.push(Change { before: None, after: Some(b.clone()) });
        }
    }
    out
}

fn diff_by_id<A: Borrow<Annotation>, B: Borrow<Annotation>>(old: &[A], new: &[B]) -> Vec<Change> {
    let new_by_id: HashMap<&str, &Annotation> = new.iter().map(|a| a.borrow()).map(|a| (a.id.as_str(), a)).collect();
    let old_ids: HashSet<&str> = old.iter().map(|a| a.borrow().id.as_str()).collect();
    let mut out = Vec::new();
    for a in old.iter().map(|a| a.borrow()) {
        match new_by_id.get(a.id.as_str()) {
            None => out.push(Change { before: Some(a.clone()), after: None }),
            Some(b) if *b != a => out.push(Change { before: Some(a.clone()), after: Some((*b).clone()) }),
            Some(_) => {}
        }
    }
    for b in new.iter().map(|b| b.borrow()) {
        if !old_ids.contains(b.id.as_str()) {
            out.push(Change { before: None, after: Some(b.clone()) });
        }
    }
    out
}

/// Replays `changes` on `list`: forward turns every `before` into its
/// `after` (redo), backward every `after` into its `before` (undo).
///
/// Every annotation whose id a change mentions is removed, then the target
/// side of each change is inserted, and the result is sorted by
/// [`text_order`]. It is thus tolerant (never duplicates an id, never
/// panics), and exact when [`Entry::applies_to`](super::Entry::applies_to) holds: then
/// `apply_changes(&apply_changes(l, c, true), c, false) == l` for a sorted `l`.
/// O(n + k log k) for a list already in text order (the stable sort merges
/// the two sorted runs).
///
/// Generic over the list's element (`Annotation` or the model's shared
/// `Rc<Annotation>`): untouched elements are cloned as they are (for `Rc`,
/// a pointer copy), changed ones are made from the step's annotations.
pub fn apply_changes<A: Borrow<Annotation> + Clone + From<Annotation>>(list: &[A], changes: &[Change], forward: bool) -> Vec<A> {
    let touched: HashSet<&str> = changes.iter().filter_map(Change::id).collect();
    let mut out: Vec<A> = list.iter().filter(|a| !touched.contains(Borrow::<Annotation>::borrow(*a).id.as_str())).cloned().collect();
    let mut added: Vec<Annotation> = changes.iter().filter_map(|c| c.sides(forward).1.cloned()).collect();
    crate::text::sorting::sort_by(&mut added, text_order);
    out.extend(added.into_iter().map(A::from));
    crate::text::sorting::sort_by(&mut out, |a, b| text_order(a.borrow(), b.borrow()));
    out
}
