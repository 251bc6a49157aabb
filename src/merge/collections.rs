//! Merging two block collections of one kind that both sides changed: the
//! header (the lines between the entry's key and its first child), the
//! children, matched by the matcher and merged by `keyed` or `sequences`,
//! and the tail (comment lines after the last child). Where the children
//! cannot be merged into a collection (all of them gone, or orders both
//! sides changed differently) the collection is one conflict.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::Unit;
use super::engine::{Cols, Engine, Siblings, Three};
use crate::error::Result;
use crate::error::location_of;
use crate::matching::{
    Ambiguity, Child, Kind, Matched, Path, Segment, Side, Version, children, key_text,
    match_children,
};
use crate::syntax::{NO_NODE, NodeId, NodeKind, same_data};

impl<'t> Engine<'t> {
    pub(super) fn merge_collections(&mut self, path: &Path, v: Three, cols: &Cols) -> Result<()> {
        let (ls, os) = (self.layout, self.other);
        let (b, l, o) = v.parts();
        let body = |c: Child| (c.body, c.end);
        if self.could_merge_to_empty(v) {
            // Each side removed entries the other kept, all of them between
            // the two: an empty block collection cannot be written (`key:`
            // alone reads as null, `- ` as a null item, and the next line
            // could join it), so the person merging decides (found by fuzzing).
            self.conflict(path, b.map(body), Some(body(l)), Some(body(o)), cols);
            return Ok(());
        }
        if let Some(mv) = self.wrapped_level(v, cols) {
            self.merge_header(path, v, cols);
            return self.merge_moved_level(path, mv, cols);
        }
        let (kids, m, child_cols) = self.match_collections(v, cols);
        if let Some(a) = m.ambiguous().cloned() {
            // A side added or removed occurrences of a repeated key beside
            // ones it changed, and the other side's changes to that key
            // would land on a guess: the person merging decides.
            self.note_ambiguity(path, &a);
            self.conflict(path, b.map(body), Some(body(l)), Some(body(o)), cols);
            return Ok(());
        }
        let siblings = Siblings {
            path,
            matched: &m,
            children: [Side::Base, ls, os].map(|s| kids[s.index()].as_deref()),
            cols: &child_cols,
        };
        let order = self.keyed_order(&siblings);
        if order.as_ref().is_some_and(|x| x.conflicts()) {
            // Both sides put the keys (or items) in new orders, differently:
            // which order, and with it where each side's edits go, is the
            // person merging's choice, made on the whole collection.
            self.conflict(path, b.map(body), Some(body(l)), Some(body(o)), cols);
            return Ok(());
        }
        self.merge_header(path, v, cols);
        self.merge_siblings(&siblings, order)?;
        let tail = |side: Side, c: Child| {
            let t = self.tree(side);
            let last = t.entries(c.value).last().map_or(c.end, |e| e.end);
            (last, c.end)
        };
        let tb = b.map(|c| tail(Side::Base, c));
        self.merge_text(path, tb, tail(ls, l), tail(os, o), cols);
        Ok(())
    }

    /// The children of a collection's versions (indexed by side; base's
    /// absent when both sides added it), matched, and the columns they sit
    /// at.
    fn match_collections(&self, v: Three, cols: &Cols) -> Matching<'t> {
        let (ls, os) = (self.layout, self.other);
        let (b, l, o) = v.parts();
        let col = |side: Side, c: Child| self.tree(side).node(c.value).col;
        let mut child_cols = *cols;
        child_cols[ls.index()] = col(ls, l);
        child_cols[os.index()] = col(os, o);
        child_cols[Side::Base.index()] = b.map_or(col(ls, l), |c| col(Side::Base, c));
        let mut of = [None; 3];
        of[Side::Base.index()] = b;
        of[ls.index()] = Some(l);
        of[os.index()] = Some(o);
        let kids: [Option<Vec<Child>>; 3] = [Side::Base, Side::Current, Side::Incoming]
            .map(|s| of[s.index()].map(|c| children(self.tree(s), c.value)));
        let versions = [Side::Base, Side::Current, Side::Incoming].map(|s| {
            Some(Version {
                tree: self.tree(s),
                children: kids[s.index()].as_deref()?,
            })
        });
        let kind = if self.tree(ls).node(l.value).kind == NodeKind::BlockMap {
            Kind::Mapping
        } else {
            Kind::Sequence
        };
        let m = match_children(kind, versions);
        (kids, m, child_cols)
    }

    /// Says why a mapping with a repeated key is a conflict, and where.
    fn note_ambiguity(&mut self, path: &Path, a: &Ambiguity) {
        let tree = self.tree(a.side);
        let at = location_of(tree.name(), tree.source().as_bytes(), a.at as usize);
        let place = if path.is_root() {
            "the document".to_string()
        } else {
            path.to_string()
        };
        self.plan.notes.push(format!(
            "{at}: duplicate key {key}: {side} added or removed some of its occurrences \
             next to ones it changed, and {other} changed them too, so they cannot be \
             paired by order; {place} is left as a conflict",
            key = path.child(Segment::Key(a.key.clone())),
            side = a.side.name(),
            other = self.opposite(a.side).name(),
        ));
    }

    /// The header of a collection entry: from the entry's start to its first
    /// child's leading trivia (`key:` and a comment after it, or `- `).
    fn merge_header(&mut self, path: &Path, v: Three, cols: &Cols) {
        let (ls, os) = (self.layout, self.other);
        let (b, l, o) = v.parts();
        let first_lead = |side: Side, c: Child| self.tree(side).entries(c.value)[0].lead;
        let header = |side: Side, c: Child| (c.body, first_lead(side, c));
        // Blanks the other side changed in a header (`-     a: 1` for
        // `- a: 1`) move its first entry to another column than the
        // layout's entries: the layout's header keeps them aligned (found
        // by fuzzing: the result did not parse).
        let col = |side: Side, c: Child| self.tree(side).node(c.value).col;
        let keep_layout_header = col(ls, l) != col(os, o)
            && b.is_some_and(|b| {
                let (bt, ot) = (
                    self.text(Side::Base, header(Side::Base, b)),
                    self.text(os, header(os, o)),
                );
                bt != ot && bt.split_whitespace().eq(ot.split_whitespace())
            });
        if keep_layout_header {
            self.emit(ls, header(ls, l), cols, Unit::Text);
        } else {
            let hb = b.map(|c| header(Side::Base, c));
            self.merge_text(path, hb, header(ls, l), header(os, o), cols);
        }
    }

    /// True when neither side keeps a child the other keeps too and neither
    /// adds one: the merged collection may have no child left. Keys compare
    /// by their parsed value, items by their data.
    fn could_merge_to_empty(&self, v: Three) -> bool {
        let Some(b) = v.base else { return false };
        let (l, o) = (v.layout, v.other);
        let members = |side: Side, c: Child| Members::of(self.tree(side), c.value);
        let (mb, ml, mo) = (
            members(Side::Base, b),
            members(self.layout, l),
            members(self.other, o),
        );
        ml.disjoint(&mo) && ml.subset(&mb) && mo.subset(&mb)
    }
}

/// What [`Engine::match_collections`] finds: each version's children, their
/// matching, and their columns.
type Matching<'t> = ([Option<Vec<Child>>; 3], Matched<'t>, Cols);

/// The children of a collection as a set: keys by their parsed value, items
/// by their data (fingerprints narrow the candidates; data is compared).
struct Members<'t> {
    tree: &'t crate::syntax::Tree,
    keys: HashSet<Cow<'t, str>>,
    items: HashMap<u64, Vec<NodeId>>,
}

impl<'t> Members<'t> {
    fn of(tree: &'t crate::syntax::Tree, node: NodeId) -> Self {
        let mut m = Members {
            tree,
            keys: HashSet::new(),
            items: HashMap::new(),
        };
        for e in tree.entries(node) {
            if e.key == NO_NODE {
                m.items
                    .entry(tree.node(e.value).data)
                    .or_default()
                    .push(e.value);
            } else {
                m.keys.insert(key_text(tree, e.key));
            }
        }
        m
    }

    fn has(&self, other: &Members, item: NodeId) -> bool {
        let fp = other.tree.node(item).data;
        self.items
            .get(&fp)
            .is_some_and(|c| c.iter().any(|&x| same_data(self.tree, x, other.tree, item)))
    }

    fn members(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.items.values().flatten().copied()
    }

    fn disjoint(&self, other: &Members) -> bool {
        self.keys.is_disjoint(&other.keys) && !self.members().any(|x| other.has(self, x))
    }

    fn subset(&self, of: &Members) -> bool {
        self.keys.is_subset(&of.keys) && self.members().all(|x| of.has(self, x))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::merged;

    #[test]
    fn children_merge_inside_both_sides_changed_collections() {
        let b = "m: # note\n  a: 1\n  b: 1\n# tail\n";
        let c = "m: # note\n  a: 2\n  b: 1\n# tail\n";
        let i = "m: # new note\n  a: 1\n  b: 3\n# tail\n";
        let (text, changes) = merged(b, c, i);
        assert_eq!(text, "m: # new note\n  a: 2\n  b: 3\n# tail\n");
        assert_eq!(changes, ["current changed m.a", "incoming changed m.b"]);
    }

    #[test]
    fn repeated_keys_merge_by_occurrence_unless_a_guess_would_decide() {
        let b = "m:\n  a: 1\n  b: 1\n  a: 2\nz: 0\n";
        let (text, changes) = merged(
            b,
            "m:\n  a: 1\n  b: 1\n  a: 3\nz: 0\n",
            "m:\n  a: 0\n  b: 1\n  a: 2\nz: 1\n",
        );
        assert_eq!(text, "m:\n  a: 0\n  b: 1\n  a: 3\nz: 1\n");
        assert_eq!(
            changes,
            [
                "incoming changed m.a",
                "current changed m.a#2",
                "incoming changed z"
            ]
        );
        // Current dropped an `a` next to one it changed; incoming changed
        // the first: which of base's current kept is a guess.
        let b = "m:\n  a: 1\n  a: 2\n  a: 3\nz: 0\n";
        let (text, _) = merged(
            b,
            "m:\n  a: 9\n  a: 3\nz: 0\n",
            "m:\n  a: 5\n  a: 2\n  a: 3\nz: 1\n",
        );
        assert_eq!(text, "!conflict at m\nz: 1\n");
        // Where incoming left the `a`s alone, the guess decides nothing.
        let (text, _) = merged(
            b,
            "m:\n  a: 9\n  a: 3\nz: 0\n",
            "m:\n  a: 1\n  a: 2\n  a: 3\nz: 1\n",
        );
        assert_eq!(text, "m:\n  a: 9\n  a: 3\nz: 1\n");
    }

    #[test]
    fn a_collection_both_sides_emptied_between_them_conflicts() {
        let (text, _) = merged(
            "m:\n  a: 1\n  b: 1\nz: 0\n",
            "m:\n  a: 1\nz: 0\n",
            "m:\n  b: 1\nz: 0\n",
        );
        assert_eq!(text, "!conflict at m\nz: 0\n");
        let (text, _) = merged("l:\n  - a\n  - b\n", "l:\n  - a\n", "l:\n  - b\n");
        assert_eq!(text, "!conflict at l\n");
    }
}
