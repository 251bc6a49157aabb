//! Three-way alignment of token sequences (lines, list items, documents).
//!
//! Both sides are aligned to the base the way git's diff aligns them
//! ([`super::myers`], on token ids from [`super::tokens`]; `similar`'s
//! patience diff for the second opinion), then the classic diff3 walk splits
//! the three sequences into *stable* chunks (one token matched in all three)
//! and *unstable* chunks between them. Deciding what an unstable chunk
//! becomes is the caller's business: the same walk serves lines, list items
//! and documents with caller-chosen tokens, and callers need the chunks, not
//! a rendered text.

use std::hash::Hash;
use std::ops::Range;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

use super::{compact, myers, tokens};

/// A run of the three sequences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Chunk {
    /// One token equal in base and both sides.
    Stable {
        /// Index in base.
        base: usize,
        /// Index in the first side.
        first: usize,
        /// Index in the second side.
        second: usize,
    },
    /// Runs that differ on at least one side.
    Unstable {
        /// Range in base.
        base: Range<usize>,
        /// Range in the first side.
        first: Range<usize>,
        /// Range in the second side.
        second: Range<usize>,
    },
}

impl Chunk {
    /// A stable chunk's indices in base and the two sides.
    pub(crate) fn stable(&self) -> Option<(usize, usize, usize)> {
        match *self {
            Chunk::Stable {
                base,
                first,
                second,
            } => Some((base, first, second)),
            Chunk::Unstable { .. } => None,
        }
    }

    /// An unstable chunk's ranges in base and the two sides.
    pub(crate) fn unstable(&self) -> Option<(Range<usize>, Range<usize>, Range<usize>)> {
        match self {
            Chunk::Unstable {
                base,
                first,
                second,
            } => Some((base.clone(), first.clone(), second.clone())),
            Chunk::Stable { .. } => None,
        }
    }
}

/// For each base index, the index it is matched to on the side (if any):
/// git's alignment, with its changes slid where git slides them.
pub(crate) fn matches<T: Hash + Eq>(base: &[T], side: &[T]) -> Vec<Option<usize>> {
    let seqs = [base, side];
    let [base, side] = tokens::intern([base.len(), side.len()], |s, k| &seqs[s][k]);
    matches_of_ids(&base, &side, |m| m)
}

/// [`matches`] of token ids, each match kept as `store` makes it.
fn matches_of_ids<M>(base: &[u32], side: &[u32], store: impl Fn(Option<usize>) -> M) -> Vec<M> {
    let [changed_base, changed_side] =
        compact::compact_changes(base, side, myers::changes(base, side));
    compact::pairs(&changed_base, &changed_side)
        .map(store)
        .collect()
}

/// A match stored in 32 bits ([`NONE`] for no match): the line merge of a
/// large file keeps one for each line of base, on each side.
fn narrow(m: Option<usize>) -> u32 {
    m.map_or(NONE, |j| j as u32)
}

/// No match, in [`narrow`]'s form.
const NONE: u32 = u32::MAX;

/// Patience's alignment (as `similar` finds it, anchored on the tokens each
/// sequence holds once), with its changes slid where git slides them.
fn patience_matches<T: Hash + Eq>(base: &[T], side: &[T]) -> Vec<Option<usize>> {
    compact::compact(base, side, &patience(base, side))
}

/// Patience's alignment, unslid.
fn patience<T: Hash + Eq>(base: &[T], side: &[T]) -> Vec<Option<usize>> {
    let mut out = vec![None; base.len()];
    // Long inputs get a deadline: past it `similar` falls back to a coarser
    // (still correct) diff instead of going quadratic.
    let deadline = Instant::now() + Duration::from_secs(2);
    let ops = capture_diff_slices_deadline(Algorithm::Patience, base, side, Some(deadline));
    for op in ops {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for k in 0..len {
                out[old_index + k] = Some(new_index + k);
            }
        }
    }
    out
}

/// Splits three sequences, base and two sides, into stable and unstable
/// chunks, in order.
pub(crate) fn diff3<T: Hash + Eq>(base: &[T], first: &[T], second: &[T]) -> Vec<Chunk> {
    let (m1, m2) = git_matches(base, first, second);
    walk(&m1, &m2, [base.len(), first.len(), second.len()])
}

/// A run of three sequences of token ids that differs on at least one
/// side, between tokens all three share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Changed {
    /// Range in base.
    pub base: Range<usize>,
    /// Range in the first side.
    pub first: Range<usize>,
    /// Range in the second side.
    pub second: Range<usize>,
    /// Whether neither side kept any of base's tokens here: each side's
    /// change is then one hunk over the whole range, which is how git tells
    /// two identical changes (taken once) from changes that only end up
    /// alike (still a conflict to git, resolved only by its `merge` style).
    pub whole: bool,
}

/// The unstable chunks of [`diff3`] of three sequences of token ids (from
/// [`super::intern`]), in order: what a line merge needs, without a chunk
/// for every line of a large file that nobody changed. When `anchored`,
/// each side is aligned by patience diff instead: where equally short
/// alignments tie, the one that keeps the lines each version holds once in
/// step (the second opinion for a line merge whose alignments placed one
/// insertion both sides made at two places).
pub(crate) fn unstable_chunks([base, first, second]: [&[u32]; 3], anchored: bool) -> Vec<Changed> {
    let patience = |side: &[u32]| -> Vec<u32> {
        patience_matches(base, side)
            .into_iter()
            .map(narrow)
            .collect()
    };
    let (m1, m2) = if anchored {
        (patience(first), patience(second))
    } else {
        (
            matches_of_ids(base, first, narrow),
            matches_of_ids(base, second, narrow),
        )
    };
    let widen = |m: &[u32], k: usize| (m[k] != NONE).then_some(m[k] as usize);
    let mut out = Vec::new();
    walk_each(
        |k| widen(&m1, k),
        |k| widen(&m2, k),
        [base.len(), first.len(), second.len()],
        |c| {
            if let Chunk::Unstable {
                base,
                first,
                second,
            } = c
            {
                let whole = base.clone().all(|k| m1[k] == NONE && m2[k] == NONE);
                out.push(Changed {
                    base,
                    first,
                    second,
                    whole,
                });
            }
        },
    );
    out
}

/// Both sides' [`matches`] to base, on token ids shared by all three.
fn git_matches<T: Hash + Eq>(
    base: &[T],
    first: &[T],
    second: &[T],
) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let seqs = [base, first, second];
    let [base, first, second] =
        tokens::intern([base.len(), first.len(), second.len()], |s, k| &seqs[s][k]);
    (
        matches_of_ids(&base, &first, |m| m),
        matches_of_ids(&base, &second, |m| m),
    )
}

/// The classic diff3 walk over two alignments of base (`mc`, `mi`: for each
/// base index, its match in the first and in the second side) and the
/// lengths of base and the two sides.
pub(crate) fn walk(mc: &[Option<usize>], mi: &[Option<usize>], lens: [usize; 3]) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    walk_each(|k| mc[k], |k| mi[k], lens, |c| chunks.push(c));
    chunks
}

/// [`walk`], handing each chunk to `each` in order; `mc` and `mi` give
/// each base index's match in the first and the second side.
fn walk_each(
    mc: impl Fn(usize) -> Option<usize>,
    mi: impl Fn(usize) -> Option<usize>,
    lens: [usize; 3],
    mut each: impl FnMut(Chunk),
) {
    let [base_len, current_len, incoming_len] = lens;
    let (mut b, mut c, mut i) = (0, 0, 0);
    loop {
        if b < base_len && mc(b) == Some(c) && mi(b) == Some(i) {
            each(Chunk::Stable {
                base: b,
                first: c,
                second: i,
            });
            b += 1;
            c += 1;
            i += 1;
            continue;
        }
        // The next base token matched on both sides ends this unstable run.
        let next = (b..base_len)
            .find(|&j| matches!((mc(j), mi(j)), (Some(x), Some(y)) if x >= c && y >= i));
        let (bj, cj, ij) = match next {
            Some(j) => (j, mc(j).unwrap_or(c), mi(j).unwrap_or(i)),
            None => (base_len, current_len, incoming_len),
        };
        if bj > b || cj > c || ij > i {
            each(Chunk::Unstable {
                base: b..bj,
                first: c..cj,
                second: i..ij,
            });
        }
        if next.is_none() {
            return;
        }
        (b, c, i) = (bj, cj, ij);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(chunks: &[Chunk]) -> String {
        chunks
            .iter()
            .map(|c| match c {
                Chunk::Stable { base, .. } => format!("={base}"),
                Chunk::Unstable {
                    base,
                    first,
                    second,
                } => format!("!{base:?} {first:?} {second:?}"),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn edits_at_different_places_are_separate_chunks() {
        let b = ["a", "b", "c", "d"];
        let c = ["a", "B", "c", "d"];
        let i = ["a", "b", "c", "D"];
        assert_eq!(
            render(&diff3(&b, &c, &i)),
            "=0 !1..2 1..2 1..2 =2 !3..4 3..4 3..4"
        );
    }

    #[test]
    fn insertions_at_the_same_place_share_a_chunk() {
        let b = ["a", "b"];
        let c = ["a", "x", "b"];
        let i = ["a", "y", "b"];
        assert_eq!(render(&diff3(&b, &c, &i)), "=0 !1..1 1..2 1..2 =1");
    }

    #[test]
    fn chunks_cover_every_token_of_every_sequence() {
        // Exhaustive over short sequences on a two-letter alphabet.
        let words: Vec<Vec<u8>> = (0..64u32)
            .flat_map(|n| (0..=5).map(move |len| (0..len).map(|k| ((n >> k) & 1) as u8).collect()))
            .collect();
        for b in words.iter().step_by(7) {
            for c in words.iter().step_by(11) {
                for i in words.iter().step_by(13) {
                    let (mut nb, mut nc, mut ni) = (0, 0, 0);
                    for ch in diff3(b, c, i) {
                        match ch {
                            Chunk::Stable {
                                base,
                                first,
                                second,
                            } => {
                                assert_eq!((base, first, second), (nb, nc, ni));
                                assert!(b[base] == c[first] && b[base] == i[second]);
                                (nb, nc, ni) = (nb + 1, nc + 1, ni + 1);
                            }
                            Chunk::Unstable {
                                base,
                                first,
                                second,
                            } => {
                                assert_eq!((base.start, first.start, second.start), (nb, nc, ni));
                                (nb, nc, ni) = (base.end, first.end, second.end);
                            }
                        }
                    }
                    assert_eq!((nb, nc, ni), (b.len(), c.len(), i.len()));
                }
            }
        }
    }
}
