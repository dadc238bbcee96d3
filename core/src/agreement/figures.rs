//! Counts, precision/recall/F1 and Cohen's κ of a [`Matching`] (definitions
//! in the parent module doc).

use super::matching::Matching;
use super::units::{Counts, Figures, Unit};
use crate::model::Label;

/// The counts of a matching of `mine` with `theirs`.
pub fn counts(m: &Matching, mine: &[Unit], theirs: &[Unit]) -> Counts {
    let same = m.overlap.iter().filter(|&&(i, j)| mine[i].label == theirs[j].label).count();
    Counts {
        exact: m.exact.len(),
        overlap: same,
        only_mine: m.only_mine.len(),
        only_theirs: m.only_theirs.len(),
        label_differs: m.same_span.len() + m.overlap.len() - same,
        mine_total: mine.len(),
        theirs_total: theirs.len(),
    }
}

/// `num / den`, `None` when `den` is 0.
fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// `2·tp / (mine + theirs)`: the F1 of precision `tp/mine` and recall
/// `tp/theirs`; `None` when both are 0.
pub fn f1(tp: usize, mine: usize, theirs: usize) -> Option<f64> {
    ratio(2 * tp, mine + theirs)
}

/// Cohen's κ over the labels of every matched pair; `None` when there is no
/// pair or the expected agreement is 1.
pub fn cohen_kappa(m: &Matching, mine: &[Unit], theirs: &[Unit]) -> Option<f64> {
    let pairs = m.exact.iter().chain(&m.same_span).chain(&m.overlap);
    let index = |l: Label| Label::ALL.iter().position(|&x| x == l).unwrap_or(0);
    let (mut n, mut agree) = (0u128, 0u128);
    let (mut pm, mut pt) = ([0u128; 3], [0u128; 3]);
    for &(i, j) in pairs {
        let (a, b) = (mine[i].label, theirs[j].label);
        n += 1;
        agree += u128::from(a == b);
        pm[index(a)] += 1;
        pt[index(b)] += 1;
    }
    // κ = (po − pe)/(1 − pe) with po = agree/n, pe = Σ pm·pt / n², times n².
    let chance: u128 = pm.iter().zip(&pt).map(|(a, b)| a * b).sum();
    let den = n * n - chance;
    if n == 0 || den == 0 {
        return None;
    }
    Some((n as f64 * agree as f64 - chance as f64) / den as f64)
}

/// The figures of a matching, with κ and αu computed elsewhere.
pub fn figures(m: &Matching, mine: &[Unit], theirs: &[Unit], kappa: Option<f64>, alpha_u: Option<f64>) -> Figures {
    let c = counts(m, mine, theirs);
    let tp = c.exact + c.overlap;
    Figures {
        counts: c,
        precision_exact: ratio(c.exact, c.mine_total),
        recall_exact: ratio(c.exact, c.theirs_total),
        f1_exact: f1(c.exact, c.mine_total, c.theirs_total),
        precision_overlap: ratio(tp, c.mine_total),
        recall_overlap: ratio(tp, c.theirs_total),
        f1_overlap: f1(tp, c.mine_total, c.theirs_total),
        kappa,
        alpha_u,
    }
}
