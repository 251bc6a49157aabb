//! The alignment git's diff (xdiff) finds, on token ids: the same steps in
//! the same order, so that a line merge places every change where
//! `git merge-file` places it, at git's cost.
//!
//! 1. Lines both versions start and end with are set aside.
//! 2. Lines the other version does not hold at all are changed for sure and
//!    left out of the search; so are lines it holds very often (blank
//!    lines, `}`), when they sit among such unmatched lines.
//! 3. Myers' search for the middle snake, divide and conquer, with git's
//!    heuristics: past a cost of 256 a long enough snake is taken as the
//!    split, and past a cost of √n the furthest reaching path is.
//!
//! Sliding the changed runs where git slides them is [`super::compact`]'s.
//! The whole search runs on a work list, not by recursion, so no input can
//! exhaust the stack.

/// Below this cost, no heuristic split is tried.
const HEURISTIC_MIN_COST: isize = 256;
/// The least cost after which the search takes the furthest path.
const MAX_COST_MIN: isize = 256;
/// How long a snake must be for the heuristic split to take it.
const SNAKE_COUNT: isize = 20;
/// How far ahead of the cost a path must reach for the heuristic split.
const HEURISTIC_FACTOR: isize = 4;
/// A line held more often than this (or √n) by the other version is a
/// candidate for leaving out of the search.
const MAX_EQUAL_LIMIT: usize = 1024;
/// How far around such a line the run of unmatched lines is looked for.
const SCAN_WINDOW: usize = 100;
/// A line held often is left out when fewer than one in this many of the
/// lines around it are held often too (the rest held nowhere).
const KEEP_RUN_RATIO: usize = 4;

/// Which tokens of `a` and of `b` are changed (deleted from `a`, inserted
/// into `b`) in git's alignment of the two. Ids are small numbers: equal
/// tokens have equal ids (see [`super::tokens`]).
pub(crate) fn changes(a: &[u32], b: &[u32]) -> [Vec<bool>; 2] {
    let mut changed = [vec![false; a.len()], vec![false; b.len()]];
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let middle = [head..a.len() - tail, head..b.len() - tail];
    let classes = a
        .iter()
        .chain(b)
        .map(|&t| t as usize + 1)
        .max()
        .unwrap_or(0);
    let [count_a, count_b] = [a, b].map(|s| counts(s, classes));
    let kept_a = kept(a, middle[0].clone(), &count_b, &mut changed[0]);
    let kept_b = kept(b, middle[1].clone(), &count_a, &mut changed[1]);
    let mut search = Search::new(&kept_a, &kept_b);
    search.run(&mut changed);
    changed
}

/// How often each id occurs in `s`.
fn counts(s: &[u32], classes: usize) -> Vec<u32> {
    let mut n = vec![0u32; classes];
    for &t in s {
        n[t as usize] += 1;
    }
    n
}

/// The tokens of `s` in `range` that the search looks at: their ids and
/// their indices in `s`. The others are marked changed.
fn kept(s: &[u32], range: std::ops::Range<usize>, in_other: &[u32], changed: &mut [bool]) -> Kept {
    let limit = bogus_sqrt(s.len()).min(MAX_EQUAL_LIMIT);
    // 0: held nowhere else, 1: held elsewhere, 2: held elsewhere very often.
    let class: Vec<u8> = range
        .clone()
        .map(|k| match in_other[s[k] as usize] as usize {
            0 => 0,
            n if n >= limit => 2,
            _ => 1,
        })
        .collect();
    let mut out = Kept {
        ids: Vec::with_capacity(range.len()),
        index: Vec::with_capacity(range.len()),
    };
    for (at, k) in range.enumerate() {
        if class[at] == 1 || (class[at] == 2 && !among_unmatched(&class, at)) {
            out.ids.push(s[k]);
            out.index.push(k as u32);
        } else {
            changed[k] = true;
        }
    }
    out
}

/// Whether the often-held token at `at` sits among tokens held nowhere
/// else (within [`SCAN_WINDOW`] on both sides), few of the tokens around
/// it being often held too: such a token would only tie the search to
/// chance matches.
fn among_unmatched(class: &[u8], at: usize) -> bool {
    let before = class[at.saturating_sub(SCAN_WINDOW)..at].iter().rev();
    let after = class[at + 1..class.len().min(at + 1 + SCAN_WINDOW)].iter();
    let (unmatched_before, often_before) = run_around(before);
    if unmatched_before == 0 {
        return false;
    }
    let (unmatched_after, often_after) = run_around(after);
    if unmatched_after == 0 {
        return false;
    }
    let unmatched = unmatched_before + unmatched_after;
    // Counted as git counts: the token itself once on each side.
    let often = often_before + often_after + 2;
    often * KEEP_RUN_RATIO < often + unmatched
}

/// The tokens held nowhere else and those held often in the run of such
/// tokens next to a token (up to the first one held normally).
fn run_around<'a>(run: impl Iterator<Item = &'a u8>) -> (usize, usize) {
    let (mut unmatched, mut often) = (0, 0);
    for &c in run {
        match c {
            0 => unmatched += 1,
            2 => often += 1,
            _ => break,
        }
    }
    (unmatched, often)
}

/// git's cheap square root: a power of two near √n.
fn bogus_sqrt(mut n: usize) -> usize {
    let mut i = 1;
    while n > 0 {
        i <<= 1;
        n >>= 2;
    }
    i
}

/// The tokens the search looks at.
struct Kept {
    ids: Vec<u32>,
    /// Each one's index in the whole sequence (which has fewer than 2³²
    /// tokens: ids are 32 bits).
    index: Vec<u32>,
}

/// Where a box is cut in two, and whether each half must be searched
/// without heuristics.
struct Split {
    i1: isize,
    i2: isize,
    minimal_low: bool,
    minimal_high: bool,
}

impl Split {
    /// A cut on the middle snake of a shortest path: both halves are
    /// searched exactly.
    fn exact(i1: isize, i2: isize) -> Self {
        Split {
            i1,
            i2,
            minimal_low: true,
            minimal_high: true,
        }
    }

    /// A cut a heuristic chose: the half on the side it looked from
    /// (`low`: forward) is searched exactly, the other as usual.
    fn heuristic(i1: isize, i2: isize, low: bool) -> Self {
        Split {
            i1,
            i2,
            minimal_low: low,
            minimal_high: !low,
        }
    }
}

/// One round of a search's diagonals `min..=max`: one wider at each end the
/// box's diagonals `dmin..=dmax` allow, else one narrower. Returns the new
/// outer neighbours, which the caller marks as not reached.
fn widen((min, max): (&mut isize, &mut isize), (dmin, dmax): (isize, isize)) -> [Option<isize>; 2] {
    let mut marks = [None, None];
    if *min > dmin {
        *min -= 1;
        marks[0] = Some(*min - 1);
    } else {
        *min += 1;
    }
    if *max < dmax {
        *max += 1;
        marks[1] = Some(*max + 1);
    } else {
        *max -= 1;
    }
    marks
}

/// The state of Myers' search: the furthest points reached on each
/// diagonal, forward and backward.
struct Search<'a> {
    a: &'a Kept,
    b: &'a Kept,
    /// (32 bits: half the memory; inputs are below 2 GiB, so sequences
    /// are below 2³¹ tokens).
    forward: Vec<i32>,
    backward: Vec<i32>,
    /// Index of diagonal 0 in `forward` and `backward`.
    zero: isize,
    max_cost: isize,
}

impl<'a> Search<'a> {
    fn new(a: &'a Kept, b: &'a Kept) -> Self {
        let diagonals = a.ids.len() + b.ids.len() + 3;
        Search {
            a,
            b,
            forward: vec![0; diagonals],
            backward: vec![0; diagonals],
            zero: b.ids.len() as isize + 1,
            max_cost: (bogus_sqrt(diagonals) as isize).max(MAX_COST_MIN),
        }
    }

    fn ha1(&self, i: isize) -> u32 {
        self.a.ids[i as usize]
    }

    fn ha2(&self, i: isize) -> u32 {
        self.b.ids[i as usize]
    }

    fn f(&self, d: isize) -> isize {
        self.forward[(d + self.zero) as usize] as isize
    }

    fn set_f(&mut self, d: isize, v: isize) {
        self.forward[(d + self.zero) as usize] = v as i32;
    }

    fn bk(&self, d: isize) -> isize {
        self.backward[(d + self.zero) as usize] as isize
    }

    fn set_bk(&mut self, d: isize, v: isize) {
        self.backward[(d + self.zero) as usize] = v as i32;
    }

    /// Marks every kept token the alignment leaves unmatched.
    fn run(&mut self, changed: &mut [Vec<bool>; 2]) {
        let (n1, n2) = (self.a.ids.len() as isize, self.b.ids.len() as isize);
        let mut work = vec![(0, n1, 0, n2, false)];
        while let Some((mut off1, mut lim1, mut off2, mut lim2, minimal)) = work.pop() {
            while off1 < lim1 && off2 < lim2 && self.ha1(off1) == self.ha2(off2) {
                off1 += 1;
                off2 += 1;
            }
            while off1 < lim1 && off2 < lim2 && self.ha1(lim1 - 1) == self.ha2(lim2 - 1) {
                lim1 -= 1;
                lim2 -= 1;
            }
            if off1 == lim1 {
                for k in off2..lim2 {
                    changed[1][self.b.index[k as usize] as usize] = true;
                }
            } else if off2 == lim2 {
                for k in off1..lim1 {
                    changed[0][self.a.index[k as usize] as usize] = true;
                }
            } else {
                let s = self.split(off1, lim1, off2, lim2, minimal);
                work.push((s.i1, lim1, s.i2, lim2, s.minimal_high));
                work.push((off1, s.i1, off2, s.i2, s.minimal_low));
            }
        }
    }

    /// Finds where to cut the box `off1..lim1` × `off2..lim2` (whose first
    /// and last tokens differ): on the middle snake of a shortest path, or,
    /// unless `minimal`, where git's heuristics stop looking.
    fn split(
        &mut self,
        off1: isize,
        lim1: isize,
        off2: isize,
        lim2: isize,
        minimal: bool,
    ) -> Split {
        let (dmin, dmax) = (off1 - lim2, lim1 - off2);
        let (fmid, bmid) = (off1 - off2, lim1 - lim2);
        let odd = (fmid - bmid) & 1 != 0;
        let (mut fmin, mut fmax, mut bmin, mut bmax) = (fmid, fmid, bmid, bmid);
        self.set_f(fmid, off1);
        self.set_bk(bmid, lim1);
        let mut cost = 1;
        loop {
            let mut got_snake = false;
            // Forward.
            for d in widen((&mut fmin, &mut fmax), (dmin, dmax))
                .into_iter()
                .flatten()
            {
                self.set_f(d, -1);
            }
            let mut d = fmax;
            while d >= fmin {
                let mut i1 = if self.f(d - 1) >= self.f(d + 1) {
                    self.f(d - 1) + 1
                } else {
                    self.f(d + 1)
                };
                let prev = i1;
                let mut i2 = i1 - d;
                while i1 < lim1 && i2 < lim2 && self.ha1(i1) == self.ha2(i2) {
                    i1 += 1;
                    i2 += 1;
                }
                if i1 - prev > SNAKE_COUNT {
                    got_snake = true;
                }
                self.set_f(d, i1);
                if odd && bmin <= d && d <= bmax && self.bk(d) <= i1 {
                    return Split::exact(i1, i2);
                }
                d -= 2;
            }
            // Backward.
            for d in widen((&mut bmin, &mut bmax), (dmin, dmax))
                .into_iter()
                .flatten()
            {
                self.set_bk(d, i32::MAX as isize);
            }
            let mut d = bmax;
            while d >= bmin {
                let mut i1 = if self.bk(d - 1) < self.bk(d + 1) {
                    self.bk(d - 1)
                } else {
                    self.bk(d + 1) - 1
                };
                let prev = i1;
                let mut i2 = i1 - d;
                while i1 > off1 && i2 > off2 && self.ha1(i1 - 1) == self.ha2(i2 - 1) {
                    i1 -= 1;
                    i2 -= 1;
                }
                if prev - i1 > SNAKE_COUNT {
                    got_snake = true;
                }
                self.set_bk(d, i1);
                if !odd && fmin <= d && d <= fmax && i1 <= self.f(d) {
                    return Split::exact(i1, i2);
                }
                d -= 2;
            }
            if !minimal {
                if got_snake
                    && cost > HEURISTIC_MIN_COST
                    && let Some(s) =
                        self.snake_split(off1, lim1, off2, lim2, [fmin, fmax, bmin, bmax], cost)
                {
                    return s;
                }
                if cost >= self.max_cost {
                    return self.furthest_split(off1, lim1, off2, lim2, [fmin, fmax, bmin, bmax]);
                }
            }
            cost += 1;
        }
    }

    /// git's heuristic: a path well ahead of the cost spent that ends in a
    /// snake of [`SNAKE_COUNT`] tokens, forward first, then backward.
    fn snake_split(
        &self,
        off1: isize,
        lim1: isize,
        off2: isize,
        lim2: isize,
        [fmin, fmax, bmin, bmax]: [isize; 4],
        cost: isize,
    ) -> Option<Split> {
        let (fmid, bmid) = (off1 - off2, lim1 - lim2);
        let ahead = |v: isize| v > HEURISTIC_FACTOR * cost;
        let forward = best_point((fmin, fmax), 0, |d| {
            let i1 = self.f(d);
            let i2 = i1 - d;
            let v = (i1 - off1) + (i2 - off2) - (d - fmid).abs();
            let fits =
                off1 + SNAKE_COUNT <= i1 && i1 < lim1 && off2 + SNAKE_COUNT <= i2 && i2 < lim2;
            (ahead(v) && fits && (1..=SNAKE_COUNT).all(|k| self.ha1(i1 - k) == self.ha2(i2 - k)))
                .then_some((v, (i1, i2)))
        });
        if let Some((_, (i1, i2))) = forward {
            return Some(Split::heuristic(i1, i2, true));
        }
        let backward = best_point((bmin, bmax), 0, |d| {
            let i1 = self.bk(d);
            let i2 = i1 - d;
            let v = (lim1 - i1) + (lim2 - i2) - (d - bmid).abs();
            let fits =
                off1 < i1 && i1 <= lim1 - SNAKE_COUNT && off2 < i2 && i2 <= lim2 - SNAKE_COUNT;
            (ahead(v) && fits && (0..SNAKE_COUNT).all(|k| self.ha1(i1 + k) == self.ha2(i2 + k)))
                .then_some((v, (i1, i2)))
        });
        backward.map(|(_, (i1, i2))| Split::heuristic(i1, i2, false))
    }

    /// git's last resort when the search costs too much: cut where the
    /// forward or the backward paths reached furthest.
    fn furthest_split(
        &self,
        off1: isize,
        lim1: isize,
        off2: isize,
        lim2: isize,
        [fmin, fmax, bmin, bmax]: [isize; 4],
    ) -> Split {
        // Forward: the point furthest from the box's start, clipped to it.
        let forward = best_point((fmin, fmax), -1, |d| {
            let i1 = self.f(d).min(lim1);
            let (i1, i2) = if lim2 < i1 - d {
                (lim2 + d, lim2)
            } else {
                (i1, i1 - d)
            };
            Some((i1 + i2, (i1, i2)))
        });
        // Backward: the point nearest to the box's start, clipped to it.
        let backward = best_point((bmin, bmax), -isize::MAX, |d| {
            let i1 = self.bk(d).max(off1);
            let (i1, i2) = if i1 - d < off2 {
                (off2 + d, off2)
            } else {
                (i1, i1 - d)
            };
            Some((-(i1 + i2), (i1, i2)))
        });
        let (fbest, (fbest1, _)) = forward.unwrap_or((-1, (-1, 0)));
        let (bbest, (bbest1, _)) = backward.map_or((isize::MAX, (isize::MAX, 0)), |(v, p)| (-v, p));
        if (lim1 + lim2) - bbest < fbest - (off1 + off2) {
            Split::heuristic(fbest1, fbest - fbest1, true)
        } else {
            Split::heuristic(bbest1, bbest - bbest1, false)
        }
    }
}

/// Of the points on diagonals `max, max - 2, .., min` (`rate(d)`: a
/// point's rating and place, `None` where it does not qualify), the first
/// that rates highest, above `floor`: how git picks each of its splits.
fn best_point(
    (min, max): (isize, isize),
    floor: isize,
    rate: impl Fn(isize) -> Option<(isize, (isize, isize))>,
) -> Option<(isize, (isize, isize))> {
    let mut best: Option<(isize, (isize, isize))> = None;
    let mut d = max;
    while d >= min {
        if let Some((v, at)) = rate(d)
            && v > best.map_or(floor, |b| b.0)
        {
            best = Some((v, at));
        }
        d -= 2;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The common subsequence the changes leave: tokens not changed, in
    /// order, must be equal pairwise.
    fn check(a: &[u32], b: &[u32]) -> usize {
        let [ca, cb] = changes(a, b);
        let ka: Vec<u32> = a
            .iter()
            .zip(&ca)
            .filter(|(_, c)| !**c)
            .map(|(t, _)| *t)
            .collect();
        let kb: Vec<u32> = b
            .iter()
            .zip(&cb)
            .filter(|(_, c)| !**c)
            .map(|(t, _)| *t)
            .collect();
        assert_eq!(ka, kb, "{a:?} {b:?}");
        ka.len()
    }

    /// The length of a longest common subsequence, by dynamic programming.
    fn lcs(a: &[u32], b: &[u32]) -> usize {
        let mut row = vec![0; b.len() + 1];
        for x in a {
            let mut diag = 0;
            for (j, y) in b.iter().enumerate() {
                let up = row[j + 1];
                row[j + 1] = if x == y { diag + 1 } else { up.max(row[j]) };
                diag = up;
            }
        }
        row[b.len()]
    }

    #[test]
    fn short_sequences_align_on_a_longest_common_subsequence() {
        // Exhaustive over short sequences on a three-letter alphabet: with
        // so few tokens no heuristic applies, so the alignment is optimal.
        let words: Vec<Vec<u32>> = (0..729u32)
            .flat_map(|n| (0..=6).map(move |len| (0..len).map(|k| (n / 3u32.pow(k)) % 3).collect()))
            .collect();
        for a in words.iter().step_by(37) {
            for b in words.iter().step_by(41) {
                assert_eq!(check(a, b), lcs(a, b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn long_sequences_stay_common_subsequences_under_the_heuristics() {
        // A pseudo-random long pair with many edits: the heuristics cut the
        // search short, and what they leave must still be common.
        let mut x = 12345u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let a: Vec<u32> = (0..20_000).map(|_| (next() % 50) as u32).collect();
        let b: Vec<u32> = a
            .iter()
            .filter_map(|&t| match next() % 10 {
                0 => None,
                1 => Some((next() % 50) as u32),
                _ => Some(t),
            })
            .collect();
        assert!(check(&a, &b) > 15_000);
    }

    #[test]
    fn tokens_held_nowhere_else_are_changed() {
        let [ca, cb] = changes(&[0, 1, 2], &[0, 3, 2]);
        assert_eq!(ca, [false, true, false]);
        assert_eq!(cb, [false, true, false]);
    }
}
