//! Sliding groups of changed lines to where git puts them. Among the
//! alignments of the same length, git's diff (xdiff) slides every run of
//! changed lines as far down as the lines around it allow, unless it can line
//! up with a change on the other side; doing the same makes a line merge
//! place a change (an insertion next to a repeated line, a deletion of one of
//! two equal runs) exactly where `git merge-file` does.

/// One file's view: its tokens and which of them are changed. Positions
/// outside the file read as unchanged.
struct File<'a, T> {
    tokens: &'a [T],
    changed: Vec<bool>,
}

impl<T: Eq> File<'_, T> {
    fn is_changed(&self, i: isize) -> bool {
        i >= 0 && (i as usize) < self.changed.len() && self.changed[i as usize]
    }

    fn len(&self) -> isize {
        self.tokens.len() as isize
    }
}

/// A run of changed tokens `start..end` (empty between two unchanged ones).
#[derive(Clone, Copy)]
struct Group {
    start: isize,
    end: isize,
}

fn first_group<T: Eq>(f: &File<T>) -> Group {
    let mut end = 0;
    while f.is_changed(end) {
        end += 1;
    }
    Group { start: 0, end }
}

fn next_group<T: Eq>(f: &File<T>, g: &mut Group) -> bool {
    if g.end >= f.len() {
        return false;
    }
    g.start = g.end + 1;
    g.end = g.start;
    while f.is_changed(g.end) {
        g.end += 1;
    }
    true
}

fn previous_group<T: Eq>(f: &File<T>, g: &mut Group) -> bool {
    if g.start == 0 {
        return false;
    }
    g.end = g.start - 1;
    g.start = g.end;
    while f.is_changed(g.start - 1) {
        g.start -= 1;
    }
    true
}

fn slide_down<T: Eq>(f: &mut File<T>, g: &mut Group) -> bool {
    if g.end < f.len() && f.tokens[g.start as usize] == f.tokens[g.end as usize] {
        f.changed[g.start as usize] = false;
        f.changed[g.end as usize] = true;
        g.start += 1;
        g.end += 1;
        while f.is_changed(g.end) {
            g.end += 1;
        }
        true
    } else {
        false
    }
}

fn slide_up<T: Eq>(f: &mut File<T>, g: &mut Group) -> bool {
    if g.start > 0 && f.tokens[g.start as usize - 1] == f.tokens[g.end as usize - 1] {
        g.start -= 1;
        g.end -= 1;
        f.changed[g.start as usize] = true;
        f.changed[g.end as usize] = false;
        while f.is_changed(g.start - 1) {
            g.start -= 1;
        }
        true
    } else {
        false
    }
}

/// git's `xdl_change_compact` on `f`, with `other` the file it was diffed
/// against (whose groups stay in step with `f`'s).
fn compact_one<T: Eq>(f: &mut File<T>, other: &File<T>) {
    let (mut g, mut go) = (first_group(f), first_group(other));
    loop {
        if g.end != g.start {
            let (mut earliest_end, mut end_matching_other);
            loop {
                let size = g.end - g.start;
                end_matching_other = None;
                while slide_up(f, &mut g) {
                    previous_group(other, &mut go);
                }
                earliest_end = g.end;
                if go.end > go.start {
                    end_matching_other = Some(g.end);
                }
                while slide_down(f, &mut g) {
                    next_group(other, &mut go);
                    if go.end > go.start {
                        end_matching_other = Some(g.end);
                    }
                }
                if size == g.end - g.start {
                    break;
                }
            }
            if g.end != earliest_end && end_matching_other.is_some() {
                // Back up to line up with the last change of the other file
                // the group can align with.
                while go.end == go.start {
                    if !slide_up(f, &mut g) || !previous_group(other, &mut go) {
                        break;
                    }
                }
            }
        }
        if !next_group(f, &mut g) || !next_group(other, &mut go) {
            return;
        }
    }
}

/// An alignment of `a` with `b` (for each token of `a`, its match in `b`)
/// with its changes slid the way git slides them.
pub(crate) fn compact<T: Eq>(a: &[T], b: &[T], a_to_b: &[Option<usize>]) -> Vec<Option<usize>> {
    let mut matched_in_b = vec![false; b.len()];
    for &j in a_to_b.iter().flatten() {
        matched_in_b[j] = true;
    }
    let changed_a = a_to_b.iter().map(Option::is_none).collect();
    let changed_b = matched_in_b.iter().map(|m| !m).collect();
    let [changed_a, changed_b] = compact_changes(a, b, [changed_a, changed_b]);
    pairs(&changed_a, &changed_b).collect()
}

/// The changed tokens (of `a`, of `b`) of an alignment of `a` with `b`,
/// slid the way git slides them.
pub(crate) fn compact_changes<T: Eq>(
    a: &[T],
    b: &[T],
    [changed_a, changed_b]: [Vec<bool>; 2],
) -> [Vec<bool>; 2] {
    let mut fa = File {
        tokens: a,
        changed: changed_a,
    };
    let mut fb = File {
        tokens: b,
        changed: changed_b,
    };
    compact_one(&mut fa, &fb);
    compact_one(&mut fb, &fa);
    [fa.changed, fb.changed]
}

/// For each token of `a`, its match in `b`: unchanged tokens pair up in
/// order.
pub(crate) fn pairs<'c>(
    changed_a: &'c [bool],
    changed_b: &'c [bool],
) -> impl Iterator<Item = Option<usize>> + 'c {
    let mut j = 0;
    changed_a.iter().map(move |&changed| {
        if changed {
            return None;
        }
        while j < changed_b.len() && changed_b[j] {
            j += 1;
        }
        (j < changed_b.len()).then(|| {
            j += 1;
            j - 1
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slid(a: &[&str], b: &[&str], a_to_b: &[Option<usize>]) -> Vec<Option<usize>> {
        compact(a, b, a_to_b)
    }

    #[test]
    fn a_deletion_slides_down_past_equal_lines() {
        // Deleting the first of "x y x": the change slides to the second x.
        let (a, b) = (["x", "y", "x", "z"], ["x", "z"]);
        let up = [None, None, Some(0), Some(1)];
        assert_eq!(slid(&a, &b, &up), [Some(0), None, None, Some(1)]);
    }

    #[test]
    fn an_insertion_slides_down_too() {
        let (a, b) = (["k", "z"], ["k", "a", "k", "z"]);
        // Inserted "k a" before "k": slides to "a k" after it.
        let up = [Some(2), Some(3)];
        assert_eq!(slid(&a, &b, &up), [Some(0), Some(3)]);
    }

    #[test]
    fn nothing_moves_without_equal_lines() {
        let (a, b) = (["a", "b", "c"], ["a", "c"]);
        let m = [Some(0), None, Some(1)];
        assert_eq!(slid(&a, &b, &m), m);
    }
}
