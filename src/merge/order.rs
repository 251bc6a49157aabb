//! The order of a collection's children (keys of a mapping, list items with
//! an identifying field, Kubernetes documents), merged three-way like any
//! other change. Only the children all three versions share have an order
//! to merge (adding or deleting a child moves no other): a side that left
//! their order as in base takes the other side's; two sides that changed it
//! merge like lines of text (diff3 on the names). Where that is not clean,
//! or would not hold each shared child exactly once (both moved one child to
//! different places), the moves still merge when they reorder different
//! children (no child changed its place relative to another on both sides:
//! swaps of neighbours on each side); else the order conflicts.
//!
//! Pure functions on names: no text, no tree. Where the layout's other
//! children go is said here too: each stays after the shared child it
//! follows in the layout.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use super::{Pick, trivial_merge};
use crate::matching::{Chunk, diff3};

/// The merged order of one collection's children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Order {
    /// The layout side changed the order of the shared children.
    pub(crate) layout_moved: bool,
    /// The other side did.
    pub(crate) other_moved: bool,
    /// The layout's children (their indices) in the merged order; `None`
    /// when the two sides' orders conflict.
    pub(crate) layout: Option<Vec<usize>>,
}

impl Order {
    /// Both sides changed the order, and differently.
    pub(crate) fn conflicts(&self) -> bool {
        self.layout.is_none()
    }
}

/// Merges the order of the children named `base`, `layout` and `other`
/// (one name per child, in each version's order). Names a version holds
/// twice leave the order as the layout has it: which of the two moved
/// cannot be told.
pub(crate) fn merge_order<K: Hash + Eq>(base: &[K], layout: &[K], other: &[K]) -> Order {
    let as_is = |layout_moved, other_moved| Order {
        layout_moved,
        other_moved,
        layout: Some((0..layout.len()).collect()),
    };
    let sets = [base, layout, other].map(|v| v.iter().collect::<HashSet<&K>>());
    if sets
        .iter()
        .zip([base, layout, other])
        .any(|(s, v)| s.len() != v.len())
    {
        return as_is(false, false);
    }
    let shared: HashSet<&K> = sets[0]
        .iter()
        .filter(|k| sets[1].contains(*k) && sets[2].contains(*k))
        .copied()
        .collect();
    let (sb, sl, so) = (
        only(base, &shared),
        only(layout, &shared),
        only(other, &shared),
    );
    let (layout_moved, other_moved) = (sl != sb, so != sb);
    if !other_moved || sl == so {
        return as_is(layout_moved, other_moved);
    }
    let order = if layout_moved {
        merge_names(&sb, &sl, &so).or_else(|| apart(&sb, &sl, &so))
    } else {
        Some(so)
    };
    Order {
        layout_moved,
        other_moved,
        layout: order.map(|order| glued(layout, &shared, &order)),
    }
}

/// The names of `v` that are in `set`, in order.
fn only<'a, K: Hash + Eq>(v: &'a [K], set: &HashSet<&K>) -> Vec<&'a K> {
    v.iter().filter(|k| set.contains(k)).collect()
}

/// Diff3 of three orders of the same names: `None` where both sides
/// changed one stretch differently, or where the clean result holds a name
/// twice.
fn merge_names<'a, K: Hash + Eq>(b: &[&'a K], l: &[&'a K], o: &[&'a K]) -> Option<Vec<&'a K>> {
    let mut out = Vec::with_capacity(b.len());
    for chunk in diff3(b, l, o) {
        match chunk {
            Chunk::Stable { first, .. } => out.push(l[first]),
            Chunk::Unstable {
                base,
                first,
                second,
            } => {
                let (cb, cl, co) = (&b[base], &l[first], &o[second]);
                match trivial_merge(Some(cb == cl), Some(cb == co), cl == co)? {
                    Pick::Layout => out.extend_from_slice(cl),
                    Pick::Other => out.extend_from_slice(co),
                }
            }
        }
    }
    // Every name comes from the sides, which hold base's names: the result
    // is an order of them when it has as many, each once.
    let mut seen = HashSet::with_capacity(out.len());
    (out.len() == b.len() && out.iter().all(|k| seen.insert(*k))).then_some(out)
}

/// Above this many shared children, moves diff3 cannot merge conflict
/// (comparing every pair of children is quadratic).
const MAX_PAIRWISE: usize = 1_000;

/// Two sides' orders of the same names merged pair by pair, when no name
/// changed its place relative to another on both sides: each pair of names
/// keeps the order the side that changed it gave it, else base's. `None`
/// when the sides moved some name both, or the pairs make no order.
fn apart<'a, K: Hash + Eq>(b: &[&'a K], l: &[&'a K], o: &[&'a K]) -> Option<Vec<&'a K>> {
    let n = b.len();
    if n > MAX_PAIRWISE || l.len() != n || o.len() != n {
        return None;
    }
    let at = |v: &[&'a K]| -> HashMap<&'a K, usize> {
        v.iter().enumerate().map(|(i, k)| (*k, i)).collect()
    };
    let (pl, po) = (at(l), at(o));
    // Base's names by index; a side's position of each.
    let place = |p: &HashMap<&'a K, usize>| -> Option<Vec<usize>> {
        b.iter().map(|k| p.get(k).copied()).collect()
    };
    let (pl, po) = (place(&pl)?, place(&po)?);
    let flipped = |p: &[usize], i: usize, j: usize| (p[i] < p[j]) != (i < j);
    let (mut moved_l, mut moved_o) = (vec![false; n], vec![false; n]);
    for i in 0..n {
        for j in i + 1..n {
            for (p, moved) in [(&pl, &mut moved_l), (&po, &mut moved_o)] {
                if flipped(p, i, j) {
                    moved[i] = true;
                    moved[j] = true;
                }
            }
        }
    }
    if (0..n).any(|i| moved_l[i] && moved_o[i]) {
        return None;
    }
    // Name i goes before name j where the side that moved them says so;
    // its rank is the number of names that go before it.
    let before = |i: usize, j: usize| {
        let p = if moved_l[i] && moved_l[j] {
            &pl
        } else if moved_o[i] && moved_o[j] {
            &po
        } else {
            return i < j;
        };
        p[i] < p[j]
    };
    let mut out: Vec<Option<&'a K>> = vec![None; n];
    for (i, &name) in b.iter().enumerate() {
        let rank = (0..n).filter(|&j| j != i && before(j, i)).count();
        // Ranks that are not a permutation mean the pairs hold a cycle.
        if out[rank].replace(name).is_some() {
            return None;
        }
    }
    out.into_iter().collect()
}

/// The layout's children in `order` (of the shared names): each child the
/// others lack (added, or deleted by the other side) stays right after the
/// shared child it follows in the layout, those before the first one first.
fn glued<K: Hash + Eq>(layout: &[K], shared: &HashSet<&K>, order: &[&K]) -> Vec<usize> {
    let mut first = Vec::new();
    let mut runs: HashMap<&K, Vec<usize>> = HashMap::with_capacity(order.len());
    let mut after: Option<&K> = None;
    for (i, k) in layout.iter().enumerate() {
        if shared.contains(k) {
            after = Some(k);
        }
        match after {
            Some(a) => runs.entry(a).or_default().push(i),
            None => first.push(i),
        }
    }
    for k in order {
        first.extend(runs.remove(k).unwrap_or_default());
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The merged order as the layout's names, or `None` on a conflict.
    fn merged(b: &str, l: &str, o: &str) -> Option<String> {
        let names = |s: &str| s.chars().collect::<Vec<char>>();
        let (l_names, order) = (names(l), merge_order(&names(b), &names(l), &names(o)));
        order
            .layout
            .map(|ix| ix.iter().map(|&i| l_names[i]).collect())
    }

    #[test]
    fn a_side_that_kept_the_order_takes_the_others() {
        assert_eq!(merged("abc", "abc", "cba").as_deref(), Some("cba"));
        assert_eq!(merged("abc", "cba", "abc").as_deref(), Some("cba"));
        assert_eq!(merged("abc", "bca", "bca").as_deref(), Some("bca"));
        let o = merge_order(&['a', 'b'], &['a', 'b'], &['b', 'a']);
        assert!(!o.layout_moved && o.other_moved);
    }

    #[test]
    fn added_and_deleted_children_move_nothing() {
        // The layout added x after a and deleted c; the other added y.
        assert_eq!(merged("abc", "axb", "aybc").as_deref(), Some("axb"));
        let o = merge_order(&['a', 'b', 'c'], &['a', 'x', 'b'], &['a', 'y', 'b', 'c']);
        assert!(!o.layout_moved && !o.other_moved);
    }

    #[test]
    fn the_layouts_own_children_follow_their_predecessor() {
        // x before any shared child stays first; y stays after b.
        assert_eq!(merged("abc", "xabyc", "cba").as_deref(), Some("xcbya"));
    }

    #[test]
    fn moves_of_both_sides_merge_where_they_are_apart() {
        assert_eq!(
            merged("abcdefgh", "bacdefgh", "abcdefhg").as_deref(),
            Some("bacdefhg")
        );
    }

    #[test]
    fn swaps_of_neighbours_on_each_side_merge() {
        // diff3 sees the two swaps touch; no child moved on both sides.
        assert_eq!(merged("abcd", "bacd", "abdc").as_deref(), Some("badc"));
        assert_eq!(
            merged("abcdef", "acbdef", "abcedf").as_deref(),
            Some("acbedf")
        );
    }

    #[test]
    fn moves_of_both_sides_that_meet_conflict() {
        assert_eq!(merged("abc", "bac", "acb"), None);
        assert_eq!(merged("abc", "cab", "bca"), None);
        // One child moved to two places.
        assert_eq!(merged("abcdefg", "bcdefga", "bcadefg"), None);
        // A swap on one side, a move across it on the other.
        assert_eq!(merged("abcd", "bacd", "bcda"), None);
    }

    #[test]
    fn a_name_held_twice_leaves_the_layouts_order() {
        let o = merge_order(&['a', 'b'], &['b', 'a', 'b'], &['b', 'a']);
        assert_eq!(o.layout, Some(vec![0, 1, 2]));
    }

    /// Every order of five names on each side: a merged order holds the
    /// layout's children once each, and keeps a side's order of the shared
    /// children when the other kept base's.
    #[test]
    fn every_small_order_merges_into_an_order_of_the_layouts_children() {
        let base = ['a', 'b', 'c', 'd', 'e'];
        let all = permutations(&base);
        for l in &all {
            for o in &all {
                let order = merge_order(&base, l, o);
                let Some(ix) = order.layout else {
                    assert!(order.layout_moved && order.other_moved && l != o);
                    continue;
                };
                let got: Vec<char> = ix.iter().map(|&i| l[i]).collect();
                let mut sorted = got.clone();
                sorted.sort();
                assert_eq!(sorted, base, "{l:?} {o:?}");
                if l[..] == base {
                    assert_eq!(got, *o);
                }
                if o[..] == base || l == o {
                    assert_eq!(got, *l);
                }
            }
        }
    }

    fn permutations(xs: &[char]) -> Vec<Vec<char>> {
        if xs.len() <= 1 {
            return vec![xs.to_vec()];
        }
        let mut out = Vec::new();
        for i in 0..xs.len() {
            let mut rest = xs.to_vec();
            let x = rest.remove(i);
            for mut p in permutations(&rest) {
                p.insert(0, x);
                out.push(p);
            }
        }
        out
    }
}
