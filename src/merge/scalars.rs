//! Merging one entry (or item, or document) that both sides have: the
//! trivial cases on its text, else a look inside. Two collections of one
//! kind merge child by child (`collections`), flow collections of one kind
//! item by item when their lines do not merge (`flows`); anything else
//! (scalars, block scalars, a value that changed type) merges line by line
//! when the lines allow, and is a conflict otherwise.

use super::engine::{Cols, Engine, Range, Three, unit_of};
use super::line_parts::PartMerge;
use super::{ChangeKind, Pick, Piece, Side, Unit};
use crate::error::Result;
use crate::matching::{Child, Path};
use crate::syntax::{NO_NODE, NodeKind, same_data};

impl<'t> Engine<'t> {
    /// Merges one child present on both sides (base may lack it: both added
    /// it), entry by entry.
    pub(super) fn merge_child_structurally(
        &mut self,
        path: &Path,
        v: Three,
        cols: &Cols,
    ) -> Result<()> {
        let (b, l, o) = v.parts();
        let whole = |c: Child| (c.lead, c.end);
        let body = |c: Child| (c.body, c.end);
        if l.document {
            let (pick, eq_bl) = self.decide(b.map(whole), whole(l), whole(o), cols);
            return match pick {
                Some(pick) => {
                    self.take(path, pick, eq_bl, [b, Some(l), Some(o)], whole, cols);
                    Ok(())
                }
                None => self.merge_document(path, v),
            };
        }
        let lead = |c: Child| (c.lead, c.body);
        self.merge_text(path, b.map(lead), lead(l), lead(o), cols);
        let (pick, eq_bl) = self.decide(b.map(body), body(l), body(o), cols);
        match pick {
            Some(pick) => {
                self.take(path, pick, eq_bl, [b, Some(l), Some(o)], body, cols);
                Ok(())
            }
            None => self.merge_changed(path, v, cols),
        }
    }

    /// Takes the picked side's version (`[base, layout, other]`, the range
    /// of each given by `range`) and records what it changed.
    fn take(
        &mut self,
        path: &Path,
        pick: Pick,
        eq_bl: Option<bool>,
        [b, l, o]: [Option<Child>; 3],
        range: impl Fn(Child) -> Range,
        cols: &Cols,
    ) {
        let (side, child, changed) = match pick {
            Pick::Layout => (self.layout, l, eq_bl == Some(false)),
            Pick::Other => (self.other, o, true),
        };
        let Some(child) = child else { return };
        if changed {
            match b {
                Some(b) => self.record_values(path, side, &b, &child),
                None => self.record(path, side, ChangeKind::Added),
            }
        }
        self.emit(side, range(child), cols, unit_of(&child));
    }

    /// Both sides changed the entry differently: look inside.
    fn merge_changed(&mut self, path: &Path, v: Three, cols: &Cols) -> Result<()> {
        let (ls, os) = (self.layout, self.other);
        let (b, l, o) = v.parts();
        let kind = |side: Side, c: Child| self.tree(side).node(c.value).kind;
        let (bk, lk, ok) = (b.map(|c| kind(Side::Base, c)), kind(ls, l), kind(os, o));
        let all = |k: NodeKind| lk == k && ok == k && bk.is_none_or(|x| x == k);
        if all(NodeKind::BlockMap) || all(NodeKind::BlockSeq) {
            return self.merge_collections(path, v, cols);
        }
        let body = |c: Child| (c.body, c.end);
        if self.types_differ(v) {
            // A changed type is not a text edit: a line merge would pour the
            // other side's edit of the old value into the new one.
            if self.same_data_and_key(&l, &o) {
                self.record(path, ls, ChangeKind::Changed);
                self.emit(ls, body(l), cols, Unit::Entry);
            } else {
                self.conflict(path, b.map(body), Some(body(l)), Some(body(o)), cols);
            }
            return Ok(());
        }
        if lk == ok && lk.is_block() && b.is_some_and(|b| self.is_null(Side::Base, b)) {
            // Both sides gave an empty entry children: merged as children
            // both added.
            let v = Three { base: None, ..v };
            return self.merge_collections(path, v, cols);
        }
        let merged_lines = match b {
            Some(b) if self.line_merge => self.line_merge(body(b), body(l), body(o), cols),
            _ => None,
        };
        // Flows: git's line merge where it reads back right (holding both
        // sides' changes, JSON where all three were), else item by item;
        // where that is unsure, as before.
        let flows = self.all_flows(v);
        let lines_right = |t: &String| !flows || self.flow_lines_right(t, v, cols);
        if flows
            && !merged_lines.as_ref().is_some_and(lines_right)
            && self.merge_flows(path, v, cols)?
        {
            return Ok(());
        }
        if let Some(text) = merged_lines {
            self.record(path, ls, ChangeKind::Changed);
            self.record(path, os, ChangeKind::Changed);
            self.plan.pieces.push(Piece::Owned(text));
            return Ok(());
        }
        let parts = if self.line_merge {
            self.merge_line_parts(path, v, cols)
        } else {
            PartMerge::NotApplicable
        };
        if parts == PartMerge::Merged {
            return Ok(());
        }
        if parts == PartMerge::NotApplicable && self.same_data_and_key(&l, &o) {
            // Same data written differently on both sides: the layout's wins.
            self.record(path, ls, ChangeKind::Changed);
            self.emit(ls, body(l), cols, Unit::Entry);
            return Ok(());
        }
        if self.line_merge && self.merge_value_lines(path, v, cols) {
            return Ok(());
        }
        self.conflict(path, b.map(body), Some(body(l)), Some(body(o)), cols);
        Ok(())
    }

    /// Whether the two sides' values are of different shapes (mapping,
    /// list, scalar, alias): at least one side changed the type, and the
    /// other edited the old value or changed it to a third type.
    pub(super) fn types_differ(&self, v: Three) -> bool {
        let shape = |side: Side, c: Child| Shape::of(self.tree(side).node(c.value).kind);
        shape(self.layout, v.layout) != shape(self.other, v.other)
    }

    /// Whether a side's child has an empty (null) value: `key:` alone.
    fn is_null(&self, side: Side, c: Child) -> bool {
        let t = self.tree(side);
        let n = t.node(c.value);
        n.kind == NodeKind::Scalar && matches!(t.slice(n.start, n.end).trim(), "" | "~" | "null")
    }

    /// Whether the layout's and the other side's versions of an entry have
    /// the same key and value as data.
    pub(super) fn same_data_and_key(&self, l: &Child, o: &Child) -> bool {
        let (tl, to) = (self.tree(self.layout), self.tree(self.other));
        let keys_equal = match (l.key, o.key) {
            (NO_NODE, NO_NODE) => true,
            (NO_NODE, _) | (_, NO_NODE) => false,
            (kl, ko) => same_data(tl, kl, to, ko),
        };
        keys_equal && same_data(tl, l.value, to, o.value)
    }
}

/// What kind of value a node holds, whatever its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Mapping,
    List,
    Scalar,
    Alias,
}

impl Shape {
    fn of(kind: NodeKind) -> Shape {
        match kind {
            NodeKind::BlockMap | NodeKind::FlowMap => Shape::Mapping,
            NodeKind::BlockSeq | NodeKind::FlowSeq => Shape::List,
            NodeKind::Scalar => Shape::Scalar,
            NodeKind::Alias => Shape::Alias,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::merged;

    #[test]
    fn a_value_changed_by_one_side_is_taken_with_its_changes_listed() {
        let b = "a:\n  b: 1\n  c: 1\nz: 1\n";
        let (text, changes) = merged(
            b,
            "a:\n  b: 2\n  c: 1\nz: 1\n",
            "a:\n  b: 1\n  c: 1\nz: 2\n",
        );
        assert_eq!(text, "a:\n  b: 2\n  c: 1\nz: 2\n");
        assert_eq!(changes, ["current changed a.b", "incoming changed z"]);
    }

    #[test]
    fn the_same_data_written_differently_keeps_the_layouts_spelling() {
        let (text, _) = merged("a: 1\n", "a: \"x\"\n", "a: 'x'\n");
        assert_eq!(text, "a: 'x'\n");
    }

    #[test]
    fn block_scalars_merge_line_by_line() {
        let b = "s: |\n  one\n  two\n  three\n";
        let (text, _) = merged(
            b,
            "s: |\n  ONE\n  two\n  three\n",
            "s: |\n  one\n  two\n  THREE\n",
        );
        assert_eq!(text, "s: |\n  ONE\n  two\n  THREE\n");
    }

    #[test]
    fn a_type_changed_by_one_side_conflicts_with_an_edit_of_the_old_value() {
        let b = "m:\n  a: 1\n  b: 2\nz: 0\n";
        let c = "m:\n  a: 1\n  b: 3\nz: 0\n";
        let i = "m: |\n  a: 1\n  b: 2\nz: 0\n";
        assert_eq!(merged(b, c, i).0, "!conflict at m\nz: 0\n");
        // The same new value on both sides is no conflict.
        let (text, _) = merged(b, "m: [1]\nz: 0\n", "m: [ 1 ]\nz: 0\n");
        assert_eq!(text, "m: [ 1 ]\nz: 0\n");
    }

    #[test]
    fn an_empty_value_given_children_by_both_sides_merges_them() {
        let b = "m:\nz: 0\n";
        let (text, changes) = merged(b, "m:\n  a: 1\nz: 0\n", "m:\n  b: 2\nz: 0\n");
        assert_eq!(text, "m:\n  a: 1\n  b: 2\nz: 0\n");
        assert_eq!(changes, ["current added m.a", "incoming added m.b"]);
    }

    #[test]
    fn different_changes_of_one_value_conflict() {
        let (text, _) = merged("a: 1\n", "a: 2\n", "a: 3\n");
        assert_eq!(text, "!conflict at a\n");
    }
}
