//! What changed, found from the top down: the three versions' pieces of a
//! mapping are aligned (diff3 over their texts); pieces equal in all three
//! form untouched runs, and a piece all three changed but that keeps its
//! key line in each is cut again one level deeper, so that the text left to
//! merge shrinks to the smallest entries around the changes, at any depth.
//!
//! Only mappings are cut (their entries are matched by key, never by
//! position); lists and scalars are kept whole. Streams of documents are cut
//! into documents at the top level only.

use std::hash::{Hash, Hasher};
use std::ops::Range;

use super::cuts::{self, Segment};
use super::lines::Lines;
use crate::matching::diff3;

/// Pieces that all three versions hold, byte for byte, at the same place:
/// one placeholder stands for them in the reduced texts.
#[derive(Debug, Clone)]
pub(super) struct Run {
    /// Its lines in base, current and incoming.
    pub lines: [Range<u32>; 3],
    /// The column of its entries (0 for documents).
    pub col: usize,
    /// How many mappings it sits in below the top level.
    pub level: u32,
    /// The mapping it belongs to: runs of one segment share their parent.
    pub segment: u32,
}

/// The untouched runs of a stream of documents, in order.
pub(super) fn documents(lines: [&Lines; 3]) -> Vec<Run> {
    let pieces = lines.map(|l| {
        let cuts: Vec<u32> = std::iter::once(0)
            .chain(l.documents.iter().copied())
            .chain(std::iter::once(l.count()))
            .collect();
        cuts.windows(2).map(|w| w[0]..w[1]).collect::<Vec<_>>()
    });
    let mut finder = Finder {
        lines,
        runs: Vec::new(),
        segments: 1,
    };
    finder.stable_runs(&pieces, 0, 0, 0, |_, _| {});
    finder.runs
}

/// The untouched runs of three block mappings, at any depth, in order.
pub(super) fn entries(lines: [&Lines; 3]) -> Vec<Run> {
    let mut finder = Finder {
        lines,
        runs: Vec::new(),
        segments: 0,
    };
    let whole = lines.map(|l| Segment {
        lines: 0..l.count(),
        col: 0,
    });
    finder.align(whole, 0);
    finder.runs
}

struct Finder<'l, 'a> {
    lines: [&'l Lines<'a>; 3],
    runs: Vec<Run>,
    /// Segments numbered so far.
    segments: u32,
}

impl Finder<'_, '_> {
    /// Aligns the pieces of one mapping in the three versions.
    fn align(&mut self, segs: [Segment; 3], level: u32) {
        let segment = self.segments;
        self.segments += 1;
        let pieces: [Vec<Range<u32>>; 3] = [0, 1, 2].map(|k| cuts::pieces(self.lines[k], &segs[k]));
        let col = segs[0].col;
        self.stable_runs(&pieces, col, level, segment, |finder, at| {
            finder.descend(at.map(|(k, p)| &pieces[k][p]), col, level)
        });
    }

    /// Adds the runs of pieces equal in all three versions, never the first
    /// piece (a header) or the last (a tail) of any; `changed` is called, in
    /// order, with each triple of pieces at the same place in a chunk that
    /// is not stable, and with the first and last pieces.
    fn stable_runs(
        &mut self,
        pieces: &[Vec<Range<u32>>; 3],
        col: usize,
        level: u32,
        segment: u32,
        mut changed: impl FnMut(&mut Self, [(usize, usize); 3]),
    ) {
        let texts = [0, 1, 2].map(|k| {
            pieces[k]
                .iter()
                .map(|p| Text(self.lines[k].slice(p)))
                .collect::<Vec<_>>()
        });
        let inner = |k: usize, at: usize| at > 0 && at + 1 < pieces[k].len();
        let mut open: Option<Run> = None;
        for chunk in diff3(&texts[0], &texts[1], &texts[2]) {
            if let Some((b, c, i)) = chunk.stable() {
                let at = [b, c, i];
                if (0..3).all(|k| inner(k, at[k])) {
                    let piece = |k: usize| pieces[k][at[k]].clone();
                    match &mut open {
                        Some(run) if (0..3).all(|k| run.lines[k].end == piece(k).start) => {
                            for k in 0..3 {
                                run.lines[k].end = piece(k).end;
                            }
                        }
                        _ => {
                            self.runs.extend(open.take());
                            open = Some(Run {
                                lines: [0, 1, 2].map(piece),
                                col,
                                level,
                                segment,
                            });
                        }
                    }
                    continue;
                }
                self.runs.extend(open.take());
                changed(self, [(0, b), (1, c), (2, i)]);
                continue;
            }
            self.runs.extend(open.take());
            let Some((b, c, i)) = chunk.unstable() else {
                continue;
            };
            if b.len() == c.len() && b.len() == i.len() {
                for j in 0..b.len() {
                    changed(self, [(0, b.start + j), (1, c.start + j), (2, i.start + j)]);
                }
            }
        }
        self.runs.extend(open);
    }

    /// Cuts one level deeper into three pieces at the same place, when each
    /// has the same open key line above a mapping.
    fn descend(&mut self, pieces: [&Range<u32>; 3], col: usize, level: u32) {
        let keys = [0, 1, 2].map(|k| cuts::open_key_line(self.lines[k], pieces[k], col));
        let [Some(kb), Some(kc), Some(ki)] = keys else {
            return;
        };
        let line = |k: usize, at: u32| self.lines[k].line(at);
        if line(0, kb) != line(1, kc) || line(0, kb) != line(2, ki) {
            return;
        }
        let bodies = [(0, kb), (1, kc), (2, ki)]
            .map(|(k, key)| cuts::body(self.lines[k], pieces[k], key, col));
        if let [Some(b), Some(c), Some(i)] = bodies {
            self.align([b, c, i], level + 1);
        }
    }
}

/// A piece's text for the alignment, hashed by its length and first bytes
/// only: the alignment hashes every piece, and whole texts would cost a pass
/// over the inputs at every level (a segment of one piece is the whole
/// file). Equality still compares whole texts.
#[derive(PartialEq, Eq)]
struct Text<'a>(&'a str);

impl Hash for Text<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        const PREFIX: usize = 64;
        let bytes = self.0.as_bytes();
        bytes.len().hash(state);
        bytes[..bytes.len().min(PREFIX)].hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs_of(b: &str, c: &str, i: &str) -> Vec<(String, usize, u32)> {
        let lines = [b, c, i].map(|t| Lines::new(t).unwrap());
        let runs = entries([&lines[0], &lines[1], &lines[2]]);
        runs.iter()
            .map(|r| (lines[0].slice(&r.lines[0]).to_string(), r.col, r.level))
            .collect()
    }

    #[test]
    fn untouched_entries_are_found_at_every_depth() {
        let b =
            "top: 1\ncharts:\n  app:\n    a: 1\n    b: 1\n    c: 1\n    d: 1\n    e: 1\nend: 1\n";
        let c = b.replace("b: 1", "b: 2");
        let i = b.replace("e: 1", "e: 3");
        assert_eq!(
            runs_of(b, &c, &i),
            [("    c: 1\n    d: 1\n".to_string(), 4, 2)]
        );
    }

    #[test]
    fn a_changed_key_line_is_not_cut_below() {
        let b = "top: 1\nmid: # note\n  a: 1\n  b: 1\n  c: 1\n  d: 1\nend: 1\n";
        let c = b.replace("# note", "# changed").replace("a: 1", "a: 2");
        let i = b.replace("d: 1", "d: 2");
        assert!(runs_of(b, &c, &i).is_empty());
        let c = b.replace("a: 1", "a: 2");
        assert_eq!(runs_of(b, &c, &i), [("  b: 1\n  c: 1\n".to_string(), 2, 1)]);
    }

    #[test]
    fn lists_are_kept_whole() {
        let b = "a: 1\nl:\n  - x: 1\n  - x: 2\n  - x: 3\n  - x: 4\nz: 1\n";
        let c = b.replace("x: 1", "x: 5");
        let i = b.replace("x: 4", "x: 6");
        assert!(runs_of(b, &c, &i).is_empty());
    }
}
