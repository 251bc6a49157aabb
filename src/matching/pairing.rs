//! Pairing the children of a run that an alignment left unmatched on both
//! sides (a side's changed items among its added and removed ones) by how
//! alike they are, keeping their order.

use std::ops::Range;

use super::matcher::Step;

/// How alike two children must be to pair at all.
const MIN_LIKENESS: f32 = 0.3;

/// Beyond this many base × side children in one run, children pair in
/// order (the search compares every pair).
const MAX_PAIRS: usize = 64 * 64;

/// The steps of one run: pairs that keep their order and have the largest
/// total likeness, each base child before them removed and each side child
/// added.
pub(crate) fn pair_by_likeness(
    base: Range<usize>,
    side: Range<usize>,
    likeness: &impl Fn(usize, usize) -> f32,
) -> Vec<Step> {
    let (nb, ns) = (base.len(), side.len());
    let pairs: Vec<(usize, usize)> = if nb == 0 || ns == 0 {
        Vec::new()
    } else if nb * ns > MAX_PAIRS {
        (0..nb.min(ns)).map(|k| (k, k)).collect()
    } else {
        best_pairs(nb, ns, |i, j| likeness(base.start + i, side.start + j))
    };
    let mut out = Vec::with_capacity(nb + ns);
    let (mut bi, mut si) = (0, 0);
    for (i, j) in pairs.into_iter().chain(std::iter::once((nb, ns))) {
        out.extend((bi..i).map(|k| Step::Removed(base.start + k)));
        out.extend((si..j).map(|k| Step::Added(side.start + k)));
        if i < nb {
            out.push(Step::Both(base.start + i, side.start + j));
        }
        (bi, si) = (i + 1, j + 1);
    }
    out
}

/// The order-keeping pairing of `nb` and `ns` children with the largest
/// total likeness (pairs below [`MIN_LIKENESS`] left out); ties keep children
/// in order.
fn best_pairs(nb: usize, ns: usize, likeness: impl Fn(usize, usize) -> f32) -> Vec<(usize, usize)> {
    let score: Vec<f32> = (0..nb * ns).map(|k| likeness(k / ns, k % ns)).collect();
    // best[i][j]: the best total over base children i.. and side children j..
    let width = ns + 1;
    let mut best = vec![0.0f32; (nb + 1) * width];
    for i in (0..nb).rev() {
        for j in (0..ns).rev() {
            let s = score[i * ns + j];
            let pair = if s >= MIN_LIKENESS {
                s + best[(i + 1) * width + j + 1]
            } else {
                f32::MIN
            };
            let skip = best[(i + 1) * width + j].max(best[i * width + j + 1]);
            best[i * width + j] = pair.max(skip);
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < nb && j < ns {
        let s = score[i * ns + j];
        let here = best[i * width + j];
        if s >= MIN_LIKENESS && here == s + best[(i + 1) * width + j + 1] {
            pairs.push((i, j));
            (i, j) = (i + 1, j + 1);
        } else if here == best[(i + 1) * width + j] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(nb: usize, ns: usize, alike: &[(usize, usize)]) -> Vec<Step> {
        pair_by_likeness(0..nb, 0..ns, &|b, s| {
            if alike.contains(&(b, s)) { 1.0 } else { 0.0 }
        })
    }

    #[test]
    fn alike_children_pair_and_the_rest_are_removed_or_added() {
        use Step::*;
        // The side deleted the first item and edited the second.
        assert_eq!(steps(2, 1, &[(1, 0)]), [Removed(0), Both(1, 0)]);
        // The side added an item before an edited one.
        assert_eq!(steps(1, 2, &[(0, 1)]), [Added(0), Both(0, 1)]);
        // Nothing alike: removed and added.
        assert_eq!(steps(1, 1, &[]), [Removed(0), Added(0)]);
        // Pairs keep their order.
        assert_eq!(steps(2, 2, &[(0, 1), (1, 0)]).len(), 3);
    }
}
