//! Items (or documents) both sides replaced at one place: base's child is
//! gone from both, and each side has one new child exactly where it was.
//! Those are one child changed two ways, paired with base's so that the
//! merge sees the difference (a conflict where the two disagree), instead of
//! a deletion by both and two unrelated additions, which would keep both
//! replacements and say nothing.

use std::borrow::Cow;
use std::collections::HashSet;

/// Gives the new child of each side that stands where a base child both
/// sides dropped stood its base child's name. `names` are base's,
/// current's and incoming's names of their children, in order.
pub(crate) fn pair_replacements_of_both(names: &mut [Vec<Cow<'_, str>>; 3]) {
    let sets: [HashSet<String>; 3] =
        [0, 1, 2].map(|k| names[k].iter().map(|n| n.to_string()).collect());
    let gone: Vec<usize> = (0..names[0].len())
        .filter(|&g| {
            let name = names[0][g].as_ref();
            !sets[1].contains(name) && !sets[2].contains(name)
        })
        .collect();
    let mut renames: Vec<(usize, usize, usize)> = Vec::new();
    for &g in &gone {
        let at = |side: usize| {
            let spot = spot_in_base(&names[0], g, &sets[side]);
            let new: Vec<usize> = (0..names[side].len())
                .filter(|&x| {
                    let name = names[side][x].as_ref();
                    !sets[0].contains(name)
                        && !sets[3 - side].contains(name)
                        && spot_in_side(&names[side], x, &sets[0]) == spot
                })
                .collect();
            // Another base child this side dropped at the same place makes
            // it ambiguous which replaced which (or a bigger rewrite).
            let alone = (0..names[0].len())
                .filter(|&h| !sets[side].contains(names[0][h].as_ref()))
                .filter(|&h| spot_in_base(&names[0], h, &sets[side]) == spot)
                .count()
                == 1;
            match new[..] {
                [x] if alone => Some(x),
                _ => None,
            }
        };
        if let (Some(c), Some(i)) = (at(1), at(2)) {
            renames.push((g, c, i));
        }
    }
    for (g, c, i) in renames {
        let name = names[0][g].clone();
        names[1][c] = name.clone();
        names[2][i] = name;
    }
}

/// Where base's child `g` stood among the children a side kept: the names
/// of the nearest kept children before and after it.
fn spot_in_base<'n>(
    base: &'n [Cow<'_, str>],
    g: usize,
    kept: &HashSet<String>,
) -> (Option<&'n str>, Option<&'n str>) {
    let is_kept = |n: &&Cow<'_, str>| kept.contains(n.as_ref());
    (
        base[..g].iter().rev().find(is_kept).map(|n| n.as_ref()),
        base[g + 1..].iter().find(is_kept).map(|n| n.as_ref()),
    )
}

/// Where a side's child `x` stands among the children it shares with base.
fn spot_in_side<'n>(
    side: &'n [Cow<'_, str>],
    x: usize,
    in_base: &HashSet<String>,
) -> (Option<&'n str>, Option<&'n str>) {
    let shared = |n: &&Cow<'_, str>| in_base.contains(n.as_ref());
    (
        side[..x].iter().rev().find(shared).map(|n| n.as_ref()),
        side[x + 1..].iter().find(shared).map(|n| n.as_ref()),
    )
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
