//! Showing a large change in steps: which of the article's changed groups
//! to draw now, and which to leave for the next task.
//!
//! An import, an undo of one or the first team sync changes the highlights
//! of hundreds of paragraph groups at once; drawing them all in one task
//! keeps the page from answering for a third of a second (Firefox, 10,000
//! highlights). The article draws the groups on screen first and the others
//! over the next tasks. The rule, for changed groups `changed` (each with a
//! cost: its annotations), the groups on screen `visible` and a `budget`:
//!
//! 1. every changed group on screen is drawn now, whatever it costs;
//! 2. then the others, nearest to the screen first (below before above at
//!    equal distance), while the cost drawn besides the visible ones stays
//!    within `budget`;
//! 3. at least one group is drawn when any changed, so every change is
//!    drawn after at most one step per group.
//!
//! A change touching at most [`AT_ONCE`] groups (any edit) is drawn at once.

use std::ops::Range;

/// Changes touching at most this many groups are drawn in one step.
pub const AT_ONCE: usize = 8;

/// Annotations drawn per step besides the groups on screen.
pub const BUDGET: usize = 1_500;

/// The changed groups to draw now (a subset of `changed`'s group numbers,
/// ascending). `changed` is (group, cost) in ascending group order.
pub fn next_batch(changed: &[(usize, usize)], visible: Range<usize>, budget: usize) -> Vec<usize> {
    if changed.len() <= AT_ONCE {
        return changed.iter().map(|&(g, _)| g).collect();
    }
    let distance = |g: usize| -> (usize, bool) {
        if g < visible.start {
            (visible.start - g, true)
        } else if g >= visible.end {
            (g + 1 - visible.end, false)
        } else {
            (0, false)
        }
    };
    let mut now: Vec<usize> = changed.iter().filter(|&&(g, _)| visible.contains(&g)).map(|&(g, _)| g).collect();
    let mut rest: Vec<(usize, usize)> = changed.iter().copied().filter(|&(g, _)| !visible.contains(&g)).collect();
    crate::text::sorting::sort_by_key(&mut rest, |&(g, _)| distance(g));
    let mut spent = 0usize;
    for (g, cost) in rest {
        if !now.is_empty() && spent + cost > budget {
            break;
        }
        spent += cost;
        now.push(g);
    }
    crate::text::sorting::sort(&mut now);
    now
}
