//! Never below git, entry by entry: before a conflict inside an entry, list
//! item or document is reported, that whole child is merged line by line
//! (the merge's own diff3 on its text, as the layout prints it). Where that
//! is clean, reads as YAML on its own, and holds every change of both sides
//! (checked on data, as for a whole file), it is taken instead: the edits
//! were lines apart, however the structure paired them. The innermost child
//! tries first; a conflict that survives it is tried again with its parent.

use super::engine::{Cols, Engine, Three};
use super::text::shift_text;
use super::{Piece, Side};
use crate::error::Result;
use crate::matching::{Child, Path};
use crate::syntax::{NO_NODE, NodeId, NodeKind, Tree, parse};

/// Children longer than this are left to their conflicts: a line merge and a
/// parse of each enclosing child would cost too much.
const MAX_TEXT: u32 = 256 * 1024;

impl<'t> Engine<'t> {
    /// Merges one child present on both sides (base may lack it: both added
    /// it): entry by entry, then, where that leaves a conflict, line by line
    /// if that is clean and holds both sides' changes.
    pub(super) fn merge_child(&mut self, path: &Path, v: Three, cols: &Cols) -> Result<()> {
        let plan = &self.plan;
        let (pieces, changes, conflicts, preferred, notes) = (
            plan.pieces.len(),
            plan.changes.len(),
            plan.conflicts,
            plan.preferred.len(),
            plan.notes.len(),
        );
        self.merge_child_structurally(path, v, cols)?;
        if self.plan.conflicts == conflicts || !self.line_merge {
            return Ok(());
        }
        if let Some(text) = self.verified_line_merge(v, cols) {
            self.plan.pieces.truncate(pieces);
            self.plan.changes.truncate(changes);
            self.plan.conflicts = conflicts;
            self.plan.preferred.truncate(preferred);
            self.plan.notes.truncate(notes);
            self.record_both(path, v, cols);
            self.plan.pieces.push(Piece::Owned(text));
        }
        Ok(())
    }

    /// Records what each side changed in a child merged line by line.
    fn record_both(&mut self, path: &Path, v: Three, cols: &Cols) {
        let Some(b) = v.base else { return };
        let whole = |c: Child| (c.lead, c.end);
        for (side, c) in [(self.layout, v.layout), (self.other, v.other)] {
            if !self.same((Side::Base, whole(b)), (side, whole(c)), cols) {
                self.record_values(path, side, &b, &c);
            }
        }
    }

    /// The child's three versions merged line by line, when clean, valid
    /// on its own, and holding both sides' changes.
    fn verified_line_merge(&self, v: Three, cols: &Cols) -> Option<String> {
        let (b, l, o) = v.parts();
        let b = b?;
        let whole = |c: Child| (c.lead, c.end);
        if [b, l, o].iter().any(|c| c.end - c.lead > MAX_TEXT) {
            return None;
        }
        let text = self.line_merge(whole(b), whole(l), whole(o), cols)?;
        self.holds_both(&text, v, cols).then_some(text)
    }

    /// Whether a child's merged text reads as YAML on its own, repeats no
    /// key the inputs did not repeat, holds no item more often than a side
    /// does, and holds every change of both sides.
    pub(super) fn holds_both(&self, text: &str, v: Three, cols: &Cols) -> bool {
        let (Some(b), l, o) = v.parts() else {
            return false;
        };
        let Some(merged) = self.parse_alone(text, l, cols) else {
            return false;
        };
        let node = |side: Side, c: Child| (self.tree(side), Some(c.value));
        let inputs = [
            node(Side::Base, b),
            node(self.layout, l),
            node(self.other, o),
        ];
        if !crate::matching::repeats_only_inputs((&merged.0, Some(merged.1)), inputs) {
            return false;
        }
        let both = [node(self.layout, l), node(self.other, o)];
        if crate::matching::copies_more_than_sides((&merged.0, Some(merged.1)), both) {
            return false;
        }
        let sides = if self.layout == Side::Current {
            [node(self.layout, l), node(self.other, o)]
        } else {
            [node(self.other, o), node(self.layout, l)]
        };
        crate::diff::node_holds_changes(
            (self.tree(Side::Base), Some(b.value)),
            (&merged.0, merged.1),
            sides,
        )
    }

    /// Parses a child's merged text on its own, moved to the left margin,
    /// and finds its value there: the value of a mapping entry, of a list
    /// item, or a document's (or a root's) whole.
    pub(super) fn parse_alone(&self, text: &str, l: Child, cols: &Cols) -> Option<(Tree, NodeId)> {
        let starts_line = !self.starts_mid_line(self.layout, l.lead);
        let mut alone = String::with_capacity(text.len());
        shift_text(text, cols[self.layout.index()], 0, starts_line, &mut alone);
        let tree = parse("merged child", alone.as_bytes()).ok()?;
        let [doc] = tree.documents() else {
            return None;
        };
        let root = doc.root;
        let layout = self.tree(self.layout);
        let is_root = l.document || layout.documents().iter().any(|d| d.root == l.value);
        let value = if is_root {
            root
        } else {
            let want = if l.key == NO_NODE {
                NodeKind::BlockSeq
            } else {
                NodeKind::BlockMap
            };
            let [entry] = tree.entries(root) else {
                return None;
            };
            (tree.node(root).kind == want).then_some(entry.value)?
        };
        Some((tree, value))
    }
}
