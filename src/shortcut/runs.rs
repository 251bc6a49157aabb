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

/// The untouched runs found, in order, and the key each segment (a mapping
/// the runs sit in) is the value of, with the segment that key is in.
pub(super) struct Found<'a> {
    pub runs: Vec<Run>,
    /// By segment: `None` for the top level.
    pub parents: Vec<Option<(u32, &'a str)>>,
}

impl<'a> Found<'a> {
    /// The keys above the entries of `segment`, from the top level down.
    pub fn path(&self, segment: u32) -> Vec<&'a str> {
        let mut keys = Vec::new();
        let mut at = segment;
        while let Some((parent, key)) = self.parents[at as usize] {
            keys.push(key);
            at = parent;
        }
        keys.reverse();
        keys
    }
}

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
pub(super) fn documents<'a>(lines: [&Lines<'a>; 3]) -> Found<'a> {
    let pieces = lines.map(|l| {
        let cuts: Vec<u32> = std::iter::once(0)
            .chain(l.documents.iter().copied())
            .chain(std::iter::once(l.count()))
            .collect();
        cuts.windows(2).map(|w| w[0]..w[1]).collect::<Vec<_>>()
    });
    let mut finder = Finder {
        lines,
        found: Found {
            runs: Vec::new(),
            parents: vec![None],
        },
    };
    finder.stable_runs(&pieces, 0, 0, 0, |_, _| {});
    finder.found
}

/// The untouched runs of three block mappings, at any depth, in order.
pub(super) fn entries<'a>(lines: [&Lines<'a>; 3]) -> Found<'a> {
    let mut finder = Finder {
        lines,
        found: Found {
            runs: Vec::new(),
            parents: Vec::new(),
        },
    };
    let whole = lines.map(|l| Segment {
        lines: 0..l.count(),
        col: 0,
    });
    finder.align(whole, 0, None);
    finder.found
}

struct Finder<'l, 'a> {
    lines: [&'l Lines<'a>; 3],
    found: Found<'a>,
}

impl<'a> Finder<'_, 'a> {
    /// Aligns the pieces of one mapping in the three versions, the value of
    /// `parent` (its segment and key; `None` at the top level).
    fn align(&mut self, segs: [Segment; 3], level: u32, parent: Option<(u32, &'a str)>) {
        let segment = self.found.parents.len() as u32;
        self.found.parents.push(parent);
        let pieces: [Vec<Range<u32>>; 3] = [0, 1, 2].map(|k| cuts::pieces(self.lines[k], &segs[k]));
        let col = segs[0].col;
        self.stable_runs(&pieces, col, level, segment, |finder, at| {
            finder.descend(at.map(|(k, p)| &pieces[k][p]), col, level, segment)
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
                            self.found.runs.extend(open.take());
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
                self.found.runs.extend(open.take());
                changed(self, [(0, b), (1, c), (2, i)]);
                continue;
            }
            self.found.runs.extend(open.take());
            let Some((b, c, i)) = chunk.unstable() else {
                continue;
            };
            if b.len() == c.len() && b.len() == i.len() {
                for j in 0..b.len() {
                    changed(self, [(0, b.start + j), (1, c.start + j), (2, i.start + j)]);
                }
            }
        }
        self.found.runs.extend(open);
    }

    /// Cuts one level deeper into three pieces at the same place (of
    /// `segment`), when each has the same open key line above a mapping.
    fn descend(&mut self, pieces: [&Range<u32>; 3], col: usize, level: u32, segment: u32) {
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
        let key = cuts::key_text(self.lines[0].line(kb), col);
        if let ([Some(b), Some(c), Some(i)], Some(key)) = (bodies, key) {
            self.align([b, c, i], level + 1, Some((segment, key)));
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

    fn runs_of(b: &str, c: &str, i: &str) -> Vec<(String, usize, Vec<String>)> {
        let lines = [b, c, i].map(|t| Lines::new(t).unwrap());
        let found = entries([&lines[0], &lines[1], &lines[2]]);
        let path = |r: &Run| {
            found
                .path(r.segment)
                .iter()
                .map(|k| k.to_string())
                .collect()
        };
        found
            .runs
            .iter()
            .map(|r| (lines[0].slice(&r.lines[0]).to_string(), r.col, path(r)))
            .collect()
    }

    #[test]
    fn untouched_entries_are_found_at_every_depth() {
        let b =
            "top: 1\ncharts:\n  app:\n    a: 1\n    b: 1\n    c: 1\n    d: 1\n    e: 1\nend: 1\n";
        let c = b.replace("b: 1", "b: 2");
        let i = b.replace("e: 1", "e: 3");
        let path = vec!["charts".to_string(), "app".to_string()];
        assert_eq!(
            runs_of(b, &c, &i),
            [("    c: 1\n    d: 1\n".to_string(), 4, path)]
        );
    }

    #[test]
    fn a_changed_key_line_is_not_cut_below() {
        let b = "top: 1\nmid: # note\n  a: 1\n  b: 1\n  c: 1\n  d: 1\nend: 1\n";
        let c = b.replace("# note", "# changed").replace("a: 1", "a: 2");
        let i = b.replace("d: 1", "d: 2");
        assert!(runs_of(b, &c, &i).is_empty());
        let c = b.replace("a: 1", "a: 2");
        let path = vec!["mid".to_string()];
        assert_eq!(
            runs_of(b, &c, &i),
            [("  b: 1\n  c: 1\n".to_string(), 2, path)]
        );
    }

    #[test]
    fn lists_are_kept_whole() {
        let b = "a: 1\nl:\n  - x: 1\n  - x: 2\n  - x: 3\n  - x: 4\nz: 1\n";
        let c = b.replace("x: 1", "x: 5");
        let i = b.replace("x: 4", "x: 6");
        assert!(runs_of(b, &c, &i).is_empty());
    }
}
