//! Items (or documents) both sides replaced at one place: base's child is
//! gone from both, and each side has one new child exactly where it was.
//! Those are one child changed two ways, paired with base's so that the
//! merge sees the difference (a conflict where the two disagree), instead of
//! a deletion by both and two unrelated additions, which would keep both
//! replacements and say nothing.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Where a child stands among the children of its list that are in a set:
/// the names of the nearest such children before and after it.
type Spot<'n> = (Option<&'n str>, Option<&'n str>);

/// Gives the new child of each side that stands where a base child both
/// sides dropped stood its base child's name. `names` are base's,
/// current's and incoming's names of their children, in order.
pub(crate) fn pair_replacements_of_both(names: &mut [Vec<Cow<'_, str>>; 3]) {
    for (g, c, i) in replacements(names) {
        let name = names[0][g].clone();
        names[1][c] = name.clone();
        names[2][i] = name;
    }
}

/// `(base child, current's child, incoming's child)` of each replacement
/// both sides made. Linear in the number of children.
fn replacements(names: &[Vec<Cow<'_, str>>; 3]) -> Vec<(usize, usize, usize)> {
    let sets: [HashSet<&str>; 3] = [0, 1, 2].map(|k| names[k].iter().map(|n| n.as_ref()).collect());
    let gone = |g: &usize| {
        let name = names[0][*g].as_ref();
        !sets[1].contains(name) && !sets[2].contains(name)
    };
    // For each side, each base child's place among the children it kept,
    // and the one new child at each place, if there is exactly one there
    // and it is the only base child the side dropped there (another makes
    // it ambiguous which replaced which, or a bigger rewrite).
    let replacing = |side: usize| -> (Vec<Spot<'_>>, HashMap<Spot<'_>, usize>) {
        let in_base = spots(&names[0], &sets[side]);
        let in_side = spots(&names[side], &sets[0]);
        let mut dropped: HashMap<Spot<'_>, usize> = HashMap::new();
        for (h, spot) in in_base.iter().enumerate() {
            if !sets[side].contains(names[0][h].as_ref()) {
                *dropped.entry(*spot).or_default() += 1;
            }
        }
        let mut new: HashMap<Spot<'_>, Vec<usize>> = HashMap::new();
        for (x, spot) in in_side.iter().enumerate() {
            let name = names[side][x].as_ref();
            if !sets[0].contains(name) && !sets[3 - side].contains(name) {
                new.entry(*spot).or_default().push(x);
            }
        }
        let single = new
            .into_iter()
            .filter_map(|(spot, xs)| match xs[..] {
                [x] if dropped.get(&spot) == Some(&1) => Some((spot, x)),
                _ => None,
            })
            .collect();
        (in_base, single)
    };
    let (current, incoming) = (replacing(1), replacing(2));
    (0..names[0].len())
        .filter(gone)
        .filter_map(|g| {
            let c = current.1.get(&current.0[g])?;
            let i = incoming.1.get(&incoming.0[g])?;
            Some((g, *c, *i))
        })
        .collect()
}

/// Each child's spot among the children of `names` that are in `among`.
fn spots<'n>(names: &'n [Cow<'_, str>], among: &HashSet<&str>) -> Vec<Spot<'n>> {
    let mut before = Vec::with_capacity(names.len());
    let mut last = None;
    for n in names {
        before.push(last);
        if among.contains(n.as_ref()) {
            last = Some(n.as_ref());
        }
    }
    let mut after = vec![None; names.len()];
    let mut next = None;
    for (k, n) in names.iter().enumerate().rev() {
        after[k] = next;
        if among.contains(n.as_ref()) {
            next = Some(n.as_ref());
        }
    }
    before.into_iter().zip(after).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// Current's and incoming's names after pairing.
    fn run(b: &[&str], c: &[&str], i: &[&str]) -> (Vec<String>, Vec<String>) {
        let own = |v: &[&str]| strings(v).into_iter().map(Cow::Owned).collect::<Vec<_>>();
        let mut names = [own(b), own(c), own(i)];
        pair_replacements_of_both(&mut names);
        let [_, c, i] = names.map(|v| v.into_iter().map(Cow::into_owned).collect());
        (c, i)
    }

    #[test]
    fn a_child_both_replaced_at_its_place_is_paired_with_base() {
        let (c, i) = run(&["a", "b", "c"], &["a", "x", "c"], &["a", "y", "c"]);
        assert_eq!(
            (c, i),
            (strings(&["a", "b", "c"]), strings(&["a", "b", "c"]))
        );
    }

    #[test]
    fn replacements_at_other_places_or_by_one_side_stay_apart() {
        let (c, i) = run(&["a", "b", "c"], &["a", "c", "x"], &["a", "y", "c"]);
        assert_eq!(
            (c, i),
            (strings(&["a", "c", "x"]), strings(&["a", "y", "c"]))
        );
        let (c, i) = run(&["a", "b"], &["a", "x"], &["a", "b", "y"]);
        assert_eq!((c, i), (strings(&["a", "x"]), strings(&["a", "b", "y"])));
    }

    #[test]
    fn two_children_dropped_at_one_place_are_ambiguous() {
        let (c, i) = run(&["a", "b", "c"], &["x"], &["y"]);
        assert_eq!((c, i), (strings(&["x"]), strings(&["y"])));
        // Incoming also dropped `a`, which current kept: `y` replaced both.
        let (c, i) = run(&["a", "b"], &["a", "x"], &["y"]);
        assert_eq!((c, i), (strings(&["a", "x"]), strings(&["y"])));
    }
}
