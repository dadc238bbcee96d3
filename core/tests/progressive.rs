//! `progressive::next_batch` follows its rule (see the module): small
//! changes at once, the groups on screen first, the rest nearest first
//! within the budget, and every change drawn after at most one step per group.

use annotator_core::render::progressive::{next_batch, AT_ONCE};
use proptest::prelude::*;
use std::collections::BTreeSet;

/// Changed groups (ascending, distinct) with costs, among `n` groups.
fn changed_groups() -> impl Strategy<Value = (Vec<(usize, usize)>, usize)> {
    (1usize..120).prop_flat_map(|n| {
        (prop::collection::btree_map(0..n, 0usize..400, 0..n.min(60) + 1), Just(n))
            .prop_map(|(m, n)| (m.into_iter().collect::<Vec<_>>(), n))
    })
}

fn distance(g: usize, v: &std::ops::Range<usize>) -> usize {
    if g < v.start {
        v.start - g
    } else if g >= v.end {
        g + 1 - v.end
    } else {
        0
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn follows_the_rule((changed, n) in changed_groups(), a in 0usize..130, len in 0usize..12, budget in 0usize..2_000) {
        let visible = a.min(n)..(a + len).min(n);
        let now = next_batch(&changed, visible.clone(), budget);
        let all: BTreeSet<usize> = changed.iter().map(|&(g, _)| g).collect();
        // A subset of the changed groups, ascending, without repeats.
        prop_assert!(now.windows(2).all(|w| w[0] < w[1]), "ascending: {:?}", now);
        prop_assert!(now.iter().all(|g| all.contains(g)));
        // Something is drawn whenever something changed.
        prop_assert_eq!(now.is_empty(), changed.is_empty());
        if changed.len() <= AT_ONCE {
            prop_assert_eq!(now.iter().copied().collect::<BTreeSet<_>>(), all);
            return Ok(());
        }
        // 1. Every changed group on screen.
        for &(g, _) in &changed {
            if visible.contains(&g) {
                prop_assert!(now.contains(&g), "visible group {} drawn", g);
            }
        }
        // 2. Off screen: within the budget (or the single group that makes progress) ...
        let off: Vec<(usize, usize)> = changed.iter().copied().filter(|(g, _)| now.contains(g) && !visible.contains(g)).collect();
        let spent: usize = off.iter().map(|&(_, c)| c).sum();
        let on_screen = now.len() - off.len();
        prop_assert!(spent <= budget || (off.len() == 1 && on_screen == 0), "spent {} of {}", spent, budget);
        // ... and nearest first: nothing left is nearer than something drawn.
        let farthest = off.iter().map(|&(g, _)| distance(g, &visible)).max();
        if let Some(far) = farthest {
            for &(g, _) in &changed {
                if !now.contains(&g) {
                    prop_assert!(distance(g, &visible) >= far, "left {} nearer than drawn", g);
                }
            }
        }
    }

    #[test]
    fn every_change_is_drawn_within_one_step_per_group((changed, n) in changed_groups(), a in 0usize..130, budget in 0usize..2_000) {
        let visible = a.min(n)..(a + 3).min(n);
        let mut left = changed.clone();
        let mut steps = 0;
        while !left.is_empty() {
            let now = next_batch(&left, visible.clone(), budget);
            prop_assert!(!now.is_empty());
            left.retain(|(g, _)| !now.contains(g));
            steps += 1;
            prop_assert!(steps <= changed.len(), "more steps than groups");
        }
    }
}

#[test]
fn draws_the_screen_first_then_below_before_above() {
    let changed: Vec<(usize, usize)> = (0..20).map(|g| (g, 100)).collect();
    // Groups 8..10 on screen; 250 more: the nearest two off screen, below (10) before above (7).
    assert_eq!(next_batch(&changed, 8..10, 250), vec![7, 8, 9, 10]);
    assert_eq!(next_batch(&changed, 8..10, 150), vec![8, 9, 10]);
    // Nothing on screen changed: the nearest group below it, even over the budget.
    let far: Vec<(usize, usize)> = (30..40).map(|g| (g, 5_000)).collect();
    assert_eq!(next_batch(&far, 0..3, 1_500), vec![30]);
    // A small change is drawn at once.
    assert_eq!(next_batch(&[(3, 9_000), (90, 9_000)], 0..1, 0), vec![3, 90]);
}
