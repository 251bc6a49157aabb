//! The merge engine's state and the moves every part of it makes: copying a
//! version's text, deciding the trivial cases, recording what a side
//! changed, and writing a conflict. What it merges lives beside it, one file
//! per kind: `documents`, `collections`, `keyed`, `sequences`, `scalars`.

use std::borrow::Cow;
use std::collections::HashMap;

use super::order::Order;
use super::text::same_text;
use super::{
    Change, ChangeKind, ConflictPieces, Copy, MergeOptions, Pick, Piece, Plan, Side, Unit,
    trivial_merge,
};
use crate::diff::changes::{CompareOptions, compare_values};
use crate::error::Result;
use crate::matching::{Child, Matched, Path, key_text};
use crate::syntax::text::line_start;
use crate::syntax::{Tree, same_data};

/// How a whole child is copied: as a document or as an entry.
pub(super) fn unit_of(c: &Child) -> Unit {
    if c.document {
        Unit::Document
    } else {
        Unit::Entry
    }
}

/// A stretch of one version's text: `(start, end)` byte offsets.
pub(super) type Range = (u32, u32);

/// Columns of the collection being merged, per side (indexed by `Side`).
pub(super) type Cols = [u32; 3];

/// One child in the three versions: base's (absent when both sides added
/// it), the layout's and the other side's.
#[derive(Debug, Clone, Copy)]
pub(super) struct Three {
    pub(super) base: Option<Child>,
    pub(super) layout: Child,
    pub(super) other: Child,
}

impl Three {
    /// Base's, the layout's and the other side's versions.
    pub(super) fn parts(self) -> (Option<Child>, Child, Child) {
        (self.base, self.layout, self.other)
    }
}

/// The children of one collection (or of the stream) in base, the layout
/// and the other side (in that order; base's absent when both sides added
/// the collection), matched, with the path and columns they sit at.
pub(super) struct Siblings<'a, 't> {
    pub(super) path: &'a Path,
    pub(super) matched: &'a Matched<'t>,
    pub(super) children: [Option<&'a [Child]>; 3],
    pub(super) cols: &'a Cols,
}

/// Builds the merge plan of three parsed versions, on `opts.layout`'s text;
/// `line_merge` allows three-way line merges of scalars both sides changed
/// (turned off to retry when a result is invalid). With `opts.prefer`, a
/// conflict becomes that side's version.
pub(crate) fn plan(
    base: &Tree,
    current: &Tree,
    incoming: &Tree,
    opts: &MergeOptions,
    line_merge: bool,
) -> Result<Plan> {
    let mut e = Engine {
        trees: [base, current, incoming],
        layout: opts.layout,
        other: opts.other(),
        prefer: opts.prefer,
        line_merge,
        plan: Plan::default(),
    };
    e.merge_stream()?;
    Ok(e.plan)
}

pub(super) struct Engine<'t> {
    pub(super) trees: [&'t Tree; 3],
    /// The side whose text the result is built from, and the other one.
    pub(super) layout: Side,
    pub(super) other: Side,
    prefer: Option<Side>,
    pub(super) line_merge: bool,
    pub(super) plan: Plan,
}

/// What [`Engine::entries_kept`] counts.
pub(super) struct EntriesKept {
    pub base_keys: usize,
    pub shared: usize,
    pub unchanged: usize,
}

impl<'t> Engine<'t> {
    pub(super) fn tree(&self, side: Side) -> &'t Tree {
        self.trees[side.index()]
    }

    /// The other of the two sides being merged (layout or other).
    pub(super) fn opposite(&self, side: Side) -> Side {
        if side == self.layout {
            self.other
        } else {
            self.layout
        }
    }

    pub(super) fn text(&self, side: Side, (start, end): Range) -> &'t str {
        self.tree(side).slice(start, end)
    }

    pub(super) fn starts_mid_line(&self, side: Side, pos: u32) -> bool {
        let src = self.tree(side).source().as_bytes();
        line_start(src, pos as usize) != pos as usize
    }

    /// Records that `side` changed what is at `path`.
    pub(super) fn record(&mut self, path: &Path, side: Side, kind: ChangeKind) {
        self.plan.changes.push(Change {
            path: path.to_string(),
            side,
            kind,
        });
    }

    /// Records what `side` changed in an entry it changed and the merge took
    /// from it: each change below it, named as `yamerge diff` names it, or
    /// the entry itself when only its comments or layout changed.
    pub(super) fn record_values(&mut self, path: &Path, side: Side, b: &Child, x: &Child) {
        let (tb, tx) = (self.tree(Side::Base), self.tree(side));
        let diffs = compare_values(tb, b.value, tx, x.value, path, CompareOptions::default())
            .unwrap_or_default();
        if diffs.is_empty() {
            return self.record(path, side, ChangeKind::Changed);
        }
        for d in diffs {
            self.plan.changes.push(Change {
                path: d.path,
                side,
                kind: d.kind.into(),
            });
        }
    }

    fn copy(&self, side: Side, (start, end): Range, cols: &Cols, unit: Unit) -> Piece {
        Piece::Copy(Copy {
            side,
            start,
            end,
            from_col: cols[side.index()],
            to_col: cols[self.layout.index()],
            unit,
        })
    }

    /// Copies a range of a version into the result, holding `unit`.
    pub(super) fn emit(&mut self, side: Side, range: Range, cols: &Cols, unit: Unit) {
        if range.0 < range.1 {
            let piece = self.copy(side, range, cols, unit);
            self.plan.pieces.push(piece);
        }
    }

    /// Copies a whole child, its leading trivia included.
    pub(super) fn emit_child(&mut self, side: Side, c: &Child, cols: &Cols) {
        self.emit(side, (c.lead, c.end), cols, unit_of(c));
    }

    /// Whether two versions' ranges hold the same text (indentation aside).
    pub(super) fn same(&self, a: (Side, Range), b: (Side, Range), cols: &Cols) -> bool {
        same_text(
            self.text(a.0, a.1),
            cols[a.0.index()],
            self.text(b.0, b.1),
            cols[b.0.index()],
        )
    }

    /// How many of base mapping `b`'s keys a side's mapping `x` has
    /// (`shared`), and how many of those with the same data (`unchanged`),
    /// out of base's distinct keys; `None` unless both are mappings. What
    /// tells an item edited in place from another item put there.
    pub(super) fn entries_kept(&self, b: Child, (side, x): (Side, Child)) -> Option<EntriesKept> {
        let (tb, tx) = (self.tree(Side::Base), self.tree(side));
        if !(tb.node(b.value).kind.is_map() && tx.node(x.value).kind.is_map()) {
            return None;
        }
        let data: HashMap<Cow<str>, u64> = tb
            .entries(b.value)
            .iter()
            .map(|e| (key_text(tb, e.key), tb.node(e.value).data))
            .collect();
        let mut kept = EntriesKept {
            base_keys: data.len(),
            shared: 0,
            unchanged: 0,
        };
        for e in tx.entries(x.value) {
            if let Some(&d) = data.get(&key_text(tx, e.key)) {
                kept.shared += 1;
                kept.unchanged += usize::from(d == tx.node(e.value).data);
            }
        }
        Some(kept)
    }

    /// Whether two runs of children read the same, child by child, each
    /// child's text taken by `range` (with or without its leading lines).
    pub(super) fn same_run(
        &self,
        x: (Side, &[Child]),
        y: (Side, &[Child]),
        range: fn(&Child) -> Range,
        cols: &Cols,
    ) -> bool {
        x.1.len() == y.1.len()
            && x.1
                .iter()
                .zip(y.1)
                .all(|(a, b)| self.same((x.0, range(a)), (y.0, range(b)), cols))
    }

    /// Whether the side that kept a child another side deleted left it as
    /// base had it (the same text, or the same data: a comment or quoting
    /// edit goes with the child).
    pub(super) fn kept_unchanged(
        &self,
        b: Child,
        (keeper, kept): (Side, Child),
        cols: &Cols,
    ) -> bool {
        let body = |c: Child| (c.body, c.end);
        self.same((Side::Base, body(b)), (keeper, body(kept)), cols)
            || same_data(
                self.tree(Side::Base),
                b.value,
                self.tree(keeper),
                kept.value,
            )
    }

    /// The trivial merge of three versions of a range (base may be absent),
    /// and whether the layout side left it as in base.
    pub(super) fn decide(
        &self,
        b: Option<Range>,
        l: Range,
        o: Range,
        cols: &Cols,
    ) -> (Option<Pick>, Option<bool>) {
        let (ls, os) = (self.layout, self.other);
        let eq_bl = b.map(|b| self.same((Side::Base, b), (ls, l), cols));
        let eq_bo = b.map(|b| self.same((Side::Base, b), (os, o), cols));
        let eq_lo = self.same((ls, l), (os, o), cols);
        (trivial_merge(eq_bl, eq_bo, eq_lo), eq_bl)
    }

    /// Emits a conflict over the given ranges of base, the layout and the
    /// other side (`None`: absent there), or, with `--prefer`, that side's
    /// version of it.
    pub(super) fn conflict(
        &mut self,
        path: &Path,
        b: Option<Range>,
        l: Option<Range>,
        o: Option<Range>,
        cols: &Cols,
    ) {
        self.plan.conflicts += 1;
        let mut ranges = [None; 3];
        ranges[Side::Base.index()] = b;
        ranges[self.layout.index()] = l;
        ranges[self.other.index()] = o;
        let sections = [Side::Base, Side::Current, Side::Incoming].map(|side| {
            ranges[side.index()]
                .filter(|r| r.0 < r.1)
                .map(|r| vec![self.copy(side, r, cols, Unit::Entry)])
                .unwrap_or_default()
        });
        self.push_conflict(path, sections);
    }

    /// Emits a conflict of the given sections (indexed by `Side`), or, with
    /// `--prefer`, that side's section.
    pub(super) fn push_conflict(&mut self, path: &Path, sections: [Vec<Piece>; 3]) {
        if let Some(side) = self.prefer {
            let pieces = sections.into_iter().nth(side.index()).unwrap_or_default();
            self.plan.pieces.extend(pieces);
            self.plan.preferred.push(path.to_string());
            return;
        }
        let [base, current, incoming] = sections;
        let pieces = ConflictPieces {
            path: path.to_string(),
            current,
            base,
            incoming,
        };
        self.plan.pieces.push(Piece::Conflict(Box::new(pieces)));
    }

    /// Merges matched children: by name, in their merged `order` (from
    /// [`Engine::keyed_order`], which callers ask first: a conflict of
    /// orders is one of the whole collection), or by position (`None`).
    pub(super) fn merge_siblings(
        &mut self,
        s: &Siblings<'_, 't>,
        order: Option<Order>,
    ) -> Result<()> {
        match order {
            Some(order) => self.merge_keyed(s, order),
            None => self.merge_positional(s),
        }
    }

    /// Three versions of a piece of text (trivia, a header, a tail): the
    /// trivial merge, else their line merge, else a conflict on exactly that
    /// text.
    pub(super) fn merge_text(
        &mut self,
        path: &Path,
        b: Option<Range>,
        l: Range,
        o: Range,
        cols: &Cols,
    ) {
        let (ls, os) = (self.layout, self.other);
        match self.decide(b, l, o, cols).0 {
            Some(Pick::Layout) => self.emit(ls, l, cols, Unit::Text),
            Some(Pick::Other) => self.emit(os, o, cols, Unit::Text),
            None => {
                let merged = b
                    .filter(|_| self.line_merge)
                    .and_then(|b| self.line_merge(b, l, o, cols));
                match merged {
                    Some(text) => self.plan.pieces.push(Piece::Owned(text)),
                    None => self.conflict(path, b, Some(l), Some(o), cols),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn prefer_takes_a_side_instead_of_a_conflict_and_says_where() {
        let trees = ["a: 1\n", "a: 2\n", "a: 3\n"].map(|t| parse("t", t.as_bytes()).unwrap());
        for (side, want) in [(Side::Current, "a: 2\n"), (Side::Incoming, "a: 3\n")] {
            let opts = MergeOptions {
                prefer: Some(side),
                ..MergeOptions::default()
            };
            let p = plan(&trees[0], &trees[1], &trees[2], &opts, true).unwrap();
            assert_eq!(super::super::testing::shown(&p, &trees), want);
            assert_eq!(p.preferred, ["a"]);
        }
    }
}
