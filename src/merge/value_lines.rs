//! Three-way line merges inside one child (a value both sides changed, a
//! header, a whole entry), on its text as the layout prints it: clean, or,
//! for a scalar that spans lines (`script: |`), with conflicts only around
//! the lines both sides changed differently and the rest of it merged.

use super::engine::{Cols, Engine, Range, Three};
use super::text::shift_text;
use super::{ChangeKind, Pick, Piece, Side, trivial_merge};
use crate::matching::{Child, Chunk, Path, diff3};
use crate::syntax::NodeKind;

/// A stretch of a line merge's result.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Part {
    /// Lines merged cleanly.
    Text(String),
    /// Lines both sides changed differently: each version's, indexed by
    /// `Side`.
    Conflict([String; 3]),
}

impl<'t> Engine<'t> {
    /// A git-style three-way merge of the lines of three ranges, as the
    /// layout would print them. `None` when the lines conflict.
    pub(super) fn line_merge(&self, b: Range, l: Range, o: Range, cols: &Cols) -> Option<String> {
        let parts = self.line_merge_parts(b, l, o, cols);
        match parts.as_slice() {
            [] => Some(String::new()),
            [Part::Text(text)] => Some(text.clone()),
            _ => None,
        }
    }

    /// The line merge of three ranges as clean stretches and conflicts;
    /// neighbouring clean stretches are joined.
    pub(super) fn line_merge_parts(&self, b: Range, l: Range, o: Range, cols: &Cols) -> Vec<Part> {
        let (ls, os) = (self.layout, self.other);
        let (tb, tl, to) = (
            self.as_layout(Side::Base, b, cols),
            self.as_layout(ls, l, cols),
            self.as_layout(os, o, cols),
        );
        self.merge_layout_texts(&tb, &tl, &to)
    }

    /// The line merge of three texts already written as the layout writes
    /// them (base's, the layout's, the other side's).
    pub(super) fn merge_layout_texts(&self, tb: &str, tl: &str, to: &str) -> Vec<Part> {
        let (ls, os) = (self.layout, self.other);
        let lines = |s: &str| {
            s.split_inclusive('\n')
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        let (vb, vl, vo) = (lines(tb), lines(tl), lines(to));
        let mut parts = Vec::new();
        let mut clean = String::new();
        for chunk in diff3(&vb, &vl, &vo) {
            let (cb, cl, co) = match chunk {
                Chunk::Stable { first, .. } => {
                    clean.push_str(&vl[first]);
                    continue;
                }
                Chunk::Unstable {
                    base,
                    first,
                    second,
                } => (&vb[base], &vl[first], &vo[second]),
            };
            match trivial_merge(Some(cb == cl), Some(cb == co), cl == co) {
                Some(pick) => {
                    let lines = if pick == Pick::Layout { cl } else { co };
                    clean.extend(lines.iter().map(String::as_str));
                }
                None => {
                    if !clean.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut clean)));
                    }
                    let mut versions: [String; 3] = Default::default();
                    versions[Side::Base.index()] = cb.concat();
                    versions[ls.index()] = cl.concat();
                    versions[os.index()] = co.concat();
                    parts.push(Part::Conflict(versions));
                }
            }
        }
        if !clean.is_empty() {
            parts.push(Part::Text(clean));
        }
        parts
    }

    /// A side's range re-indented to the layout's column.
    pub(super) fn as_layout(&self, side: Side, range: Range, cols: &Cols) -> String {
        let starts_line = !self.starts_mid_line(side, range.0);
        let mut s = String::new();
        let to = cols[self.layout.index()];
        shift_text(
            self.text(side, range),
            cols[side.index()],
            to,
            starts_line,
            &mut s,
        );
        s
    }

    /// A scalar spanning lines that both sides changed, merged line by line
    /// with conflicts only around the lines both changed differently. False
    /// (nothing emitted) when that does not apply: a value of another kind,
    /// no line merged cleanly, or a version that, with every conflict taken
    /// from one side, would not read as a scalar.
    pub(super) fn merge_value_lines(&mut self, path: &Path, v: Three, cols: &Cols) -> bool {
        let (Some(b), l, o) = v.parts() else {
            return false;
        };
        let scalar = |side: Side, c: Child| self.tree(side).node(c.value).kind == NodeKind::Scalar;
        if !(scalar(Side::Base, b) && scalar(self.layout, l) && scalar(self.other, o)) {
            return false;
        }
        let body = |c: Child| (c.body, c.end);
        let parts = self.line_merge_parts(body(b), body(l), body(o), cols);
        let merged_some = parts
            .iter()
            .any(|p| matches!(p, Part::Text(t) if !t.trim().is_empty()));
        let reads_as_scalar = |side: Side| {
            let text = resolved(&parts, side);
            self.parse_alone(&text, l, cols)
                .is_some_and(|(tree, value)| tree.node(value).kind == NodeKind::Scalar)
        };
        if !merged_some || !reads_as_scalar(self.layout) || !reads_as_scalar(self.other) {
            return false;
        }
        self.record(path, self.layout, ChangeKind::Changed);
        self.record(path, self.other, ChangeKind::Changed);
        self.emit_parts(path, parts);
        true
    }

    /// Emits a line merge's stretches: clean text as it is, each conflict
    /// as its own conflict at `path`.
    pub(super) fn emit_parts(&mut self, path: &Path, parts: Vec<Part>) {
        self.emit_parts_at(std::slice::from_ref(path), parts);
    }

    /// Emits a line merge's stretches, the conflicts at `paths` in turn (the
    /// last path for any beyond them).
    pub(super) fn emit_parts_at(&mut self, paths: &[Path], parts: Vec<Part>) {
        let mut k = 0;
        for part in parts {
            match part {
                Part::Text(text) => self.plan.pieces.push(Piece::Owned(text)),
                Part::Conflict(versions) => {
                    let path = paths.get(k).or(paths.last()).cloned().unwrap_or_default();
                    k += 1;
                    self.plan.conflicts += 1;
                    let sections = versions.map(|text| {
                        if text.is_empty() {
                            Vec::new()
                        } else {
                            vec![Piece::Owned(text)]
                        }
                    });
                    self.push_conflict(&path, sections);
                }
            }
        }
    }
}

/// The text of a line merge with every conflict taken from `side`.
fn resolved(parts: &[Part], side: Side) -> String {
    parts
        .iter()
        .map(|p| match p {
            Part::Text(t) => t.as_str(),
            Part::Conflict(versions) => versions[side.index()].as_str(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::merged;

    #[test]
    fn a_block_scalar_conflicts_only_where_both_changed_the_same_lines() {
        let b = "s: |\n  one\n  two\n  three\n  x\n  four\nz: 0\n";
        let c = "s: |\n  ONE\n  two\n  three\n  x\n  FOUR\nz: 0\n";
        let i = "s: |\n  one\n  two\n  THREE\n  x\n  four!\nz: 0\n";
        let (text, changes) = merged(b, c, i);
        let want = "s: |\n  ONE\n  two\n  THREE\n  x\n!conflict at s\nz: 0\n";
        assert_eq!(text, want);
        assert_eq!(changes, ["incoming changed s", "current changed s"]);
    }

    #[test]
    fn a_single_line_value_stays_one_conflict() {
        let (text, _) = merged("a: 1\n", "a: 2\n", "a: 3\n");
        assert_eq!(text, "!conflict at a\n");
    }

    #[test]
    fn a_mapping_turned_into_a_scalar_is_not_merged_line_by_line() {
        let b = "m:\n  a: 1\n  b: 2\n  c: 3\n";
        let c = "m:\n  a: 1\n  b: 9\n  c: 4\n";
        let i = "m: |\n  a: 1\n  b: 2\n  c: 5\n";
        assert_eq!(merged(b, c, i).0, "!conflict at m\n");
    }
}
