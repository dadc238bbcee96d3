//! `sorting::sort_by` is the standard library's stable sort, element for
//! element: same order, and equal elements keep their input order.

use annotator_core::text::sorting::{sort, sort_by, sort_by_key};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn same_as_std_stable_sort(keys in prop::collection::vec(0u8..12, 0..300)) {
        // Tag each key with its position: a stable sort by key alone keeps
        // the positions of equal keys increasing.
        let tagged: Vec<(u8, usize)> = keys.iter().copied().zip(0..).collect();
        let mut ours = tagged.clone();
        sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
        let mut std = tagged.clone();
        std.sort_by_key(|a| a.0);
        prop_assert_eq!(&ours, &std);
        let mut by_key = tagged.clone();
        sort_by_key(&mut by_key, |x| x.0);
        prop_assert_eq!(&by_key, &std);
    }

    #[test]
    fn natural_order_of_strings(v in prop::collection::vec("[a-c]{0,3}", 0..200)) {
        let mut ours = v.clone();
        sort(&mut ours);
        let mut std = v;
        std.sort();
        prop_assert_eq!(ours, std);
    }

    #[test]
    fn nearly_sorted_and_reversed_runs(n in 0usize..2000, swaps in prop::collection::vec((0usize..2000, 0usize..2000), 0..5), rev in any::<bool>()) {
        let mut v: Vec<usize> = if rev { (0..n).rev().collect() } else { (0..n).collect() };
        for (a, b) in swaps {
            if a < n && b < n { v.swap(a, b); }
        }
        let mut ours = v.clone();
        sort(&mut ours);
        prop_assert_eq!(ours, (0..n).collect::<Vec<_>>());
    }
}
