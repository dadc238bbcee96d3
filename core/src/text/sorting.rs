//! One sort for the whole app, to keep the download small.
//!
//! The standard library's sorts are fast, but each call site with its own
//! element type or comparator gets its own copy of the whole algorithm
//! (quicksort, merges, small-sort networks: 2–8 KB of wasm each). With ~50
//! call sites that was ~115 KB of the release wasm, a fifth of its code.
//!
//! The rule here: [`sort_by`] is a **stable** sort (equal elements keep their
//! order), so it also serves every place that asked for an unstable sort. The
//! algorithm is written once, on positions and a comparator behind `dyn`
//! (one copy in the binary); each call site adds only a few lines that
//! compare two elements and move them into place. It costs one `usize` per
//! element for the order and one for the merge buffer, and an input that is
//! already in order is recognised in one pass (the common case: lists kept
//! in text order).
//!
//! `core/tests/sorting.rs` checks it against the standard library's stable
//! sort on random inputs with many ties.

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, stably.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = stable_order(v.len(), &mut |i, j| cmp(&v[i], &v[j]));
    permute(v, order);
}

/// Sorts `v` by a key, stably (the key is computed for each comparison, so
/// keep it cheap).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` in its natural order, stably.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Insertion sort below this many elements, then merges.
const RUN: usize = 16;

/// The positions `0..n` in the order `cmp` puts them, ties by position:
/// `order[k]` is the position of the element that belongs at `k`.
fn stable_order(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    if (1..n).all(|i| cmp(i - 1, i) != Ordering::Greater) {
        return order;
    }
    for lo in (0..n).step_by(RUN) {
        let hi = (lo + RUN).min(n);
        for i in lo + 1..hi {
            let mut j = i;
            // Strictly greater only: an equal element stays after its twin.
            while j > lo && cmp(order[j - 1], order[j]) == Ordering::Greater {
                order.swap(j - 1, j);
                j -= 1;
            }
        }
    }
    let mut buf = vec![0usize; n];
    let mut width = RUN;
    while width < n {
        for lo in (0..n).step_by(2 * width) {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut a, mut b, mut out) = (lo, mid, lo);
            while a < mid && b < hi {
                // Take from the right run only when strictly smaller: stable.
                if cmp(order[b], order[a]) == Ordering::Less {
                    buf[out] = order[b];
                    b += 1;
                } else {
                    buf[out] = order[a];
                    a += 1;
                }
                out += 1;
            }
            buf[out..out + (mid - a)].copy_from_slice(&order[a..mid]);
            out += mid - a;
            buf[out..out + (hi - b)].copy_from_slice(&order[b..hi]);
        }
        std::mem::swap(&mut order, &mut buf);
        width *= 2;
    }
    order
}

/// Moves the element at `order[k]` to `k`, for every `k`, by following
/// each cycle of the permutation with swaps.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..v.len() {
        let mut at = start;
        while order[at] != at {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_small_and_reversed_inputs() {
        let mut v: Vec<u32> = (0..100).rev().collect();
        sort(&mut v);
        assert_eq!(v, (0..100).collect::<Vec<_>>());
        let mut e: Vec<u32> = vec![];
        sort(&mut e);
        let mut one = vec![7];
        sort(&mut one);
        assert_eq!(one, vec![7]);
    }

    #[test]
    fn keeps_equal_elements_in_order() {
        let mut v: Vec<(u8, usize)> = (0..50).map(|i| ((i * 7 % 3) as u8, i)).collect();
        sort_by_key(&mut v, |x| x.0);
        for w in v.windows(2) {
            assert!(w[0].0 < w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1), "{w:?}");
        }
    }
}
