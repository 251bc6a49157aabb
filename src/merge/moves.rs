//! A block one side moved under a new key (a values file nested under
//! `app:` for a parent chart, a section wrapped into a new parent) while the
//! other side edited inside it: the move is followed, and the other side's
//! edits land at the new place, as they do when a block is only re-indented.
//!
//! Recognised only where it is unambiguous: at one level of a mapping, one
//! side removed every key base has there and added one new key whose
//! mapping holds all of them; the other side kept base's keys where they
//! were. Anything else stays a change of each key, as before.

use std::borrow::Cow;
use std::collections::HashSet;

use super::engine::{Cols, Engine, Three};
use super::{ChangeKind, Side, Unit};
use crate::error::Result;
use crate::matching::{Child, Path, Segment, children, key_text};
use crate::syntax::{NO_NODE, NodeKind, Tree};

/// A side's move of a whole mapping level under a new key.
#[derive(Debug, Clone, Copy)]
pub(super) struct Move {
    /// The side that moved the block.
    pub(super) side: Side,
    /// Its entry of the new key, whose value holds the moved entries.
    pub(super) wrapper: Child,
    /// The level in base, on the moving side and on the other side (there,
    /// its own entry of the new key when both sides moved the level).
    pub(super) levels: [Child; 3],
}

impl<'t> Engine<'t> {
    /// The move, when one side wrapped the whole level `v` (three block
    /// mappings, columns `cols`) under a new key and the other did not.
    pub(super) fn wrapped_level(&self, v: Three, cols: &Cols) -> Option<Move> {
        let b = v.base?;
        let keys_b = keys(self.tree(Side::Base), b.value)?;
        if keys_b.is_empty() {
            return None;
        }
        let sides = [
            (self.layout, v.layout, v.other),
            (self.other, v.other, v.layout),
        ];
        sides
            .into_iter()
            .find_map(|(side, s, t)| {
                // The block is written at the layout's column of this level:
                // the moved side's entries must sit there too.
                if cols[side.index()] != cols[self.layout.index()] {
                    return None;
                }
                let wrapper = self.wrapper_of(&keys_b, (side, s), t)?;
                Some(Move {
                    side,
                    wrapper,
                    levels: [b, s, t],
                })
            })
            .or_else(|| self.wrapped_by_both(&keys_b, b, v, cols))
    }

    /// Both sides moved the level under the same new key, and the other
    /// side added nothing beside it: the two moved blocks are merged against
    /// base's level, in the layout's.
    fn wrapped_by_both(
        &self,
        keys_b: &HashSet<Cow<'t, str>>,
        b: Child,
        v: Three,
        cols: &Cols,
    ) -> Option<Move> {
        let (ls, os) = (self.layout, self.other);
        if cols[ls.index()] != cols[os.index()] {
            return None;
        }
        let (lt, ot) = (self.tree(ls), self.tree(os));
        let [only] = children(ot, v.other.value)[..] else {
            return None;
        };
        let name = key_text(ot, only.key);
        let wrapper = children(lt, v.layout.value)
            .into_iter()
            .find(|c| key_text(lt, c.key) == name)?;
        let holds_base =
            |tree: &'t Tree, c: Child| keys(tree, c.value).is_some_and(|k| keys_b.is_subset(&k));
        let moved = is_block_map(lt, v.layout)
            && !keeps_any(lt, v.layout, keys_b)
            && holds_base(lt, wrapper)
            && holds_base(ot, only);
        moved.then_some(Move {
            side: ls,
            wrapper,
            levels: [b, v.layout, only],
        })
    }

    /// The entry of `s` (on `side`) that holds every key of base's level,
    /// `keys_b`, when `s` kept none of them at this level and the other
    /// side's level `t` kept some.
    fn wrapper_of(
        &self,
        keys_b: &HashSet<Cow<'t, str>>,
        (side, s): (Side, Child),
        t: Child,
    ) -> Option<Child> {
        let (tree, tree_t) = (self.tree(side), self.tree(self.opposite(side)));
        if !is_block_map(tree, s) || keeps_any(tree, s, keys_b) || !keeps_any(tree_t, t, keys_b) {
            return None;
        }
        let keys_t = keys(tree_t, t.value)?;
        let mut wrappers = children(tree, s.value).into_iter().filter(|c| {
            !keys_t.contains(&key_text(tree, c.key))
                && keys(tree, c.value).is_some_and(|inner| keys_b.is_subset(&inner))
        });
        let wrapper = wrappers.next()?;
        wrappers.next().is_none().then_some(wrapper)
    }

    /// Merges a level one side moved under a new key: that side's entries
    /// at this level as it wrote them, with the new key's mapping merged
    /// from base's level, the moved block and the other side's level.
    pub(super) fn merge_moved_level(&mut self, path: &Path, mv: Move, cols: &Cols) -> Result<()> {
        let (side, s) = (mv.side, mv.levels[1]);
        let tree = self.tree(side);
        let at = |c: &Child| path.child(Segment::Key(key_text(tree, c.key).into_owned()));
        let moved_to = at(&mv.wrapper);
        self.record(&moved_to, side, ChangeKind::Changed);
        for c in children(tree, s.value) {
            if c.lead == mv.wrapper.lead {
                self.merge_into_wrapper(&moved_to, mv, cols)?;
            } else {
                self.record(&at(&c), side, ChangeKind::Added);
                self.emit_child(side, &c, cols);
            }
        }
        let last = tree.entries(s.value).last().map_or(s.end, |e| e.end);
        self.emit(side, (last, s.end), cols, Unit::Text);
        Ok(())
    }

    /// The new key's line as the moving side wrote it, then its mapping:
    /// base's level, the moved block and the other side's level merged, in
    /// the moving side's layout (its spelling of the block is the change).
    fn merge_into_wrapper(&mut self, at: &Path, mv: Move, cols: &Cols) -> Result<()> {
        let (side, wrapper, [b, _, t]) = (mv.side, mv.wrapper, mv.levels);
        let other = self.opposite(side);
        let inner = level(self.tree(side), wrapper);
        self.emit(side, (wrapper.lead, inner.lead), cols, Unit::Text);
        let col = |sd: Side, c: Child| self.tree(sd).node(c.value).col;
        let mut inner_cols = *cols;
        inner_cols[Side::Base.index()] = col(Side::Base, b);
        inner_cols[side.index()] = col(side, wrapper);
        inner_cols[other.index()] = col(other, t);
        let three = Three {
            base: Some(level(self.tree(Side::Base), b)),
            layout: inner,
            other: level(self.tree(other), t),
        };
        let outer = (self.layout, self.other);
        (self.layout, self.other) = (side, other);
        let merged = self.merge_child(at, three, &inner_cols);
        (self.layout, self.other) = outer;
        merged
    }
}

/// The entries of a mapping `c` as one child: from its first entry's
/// leading trivia to its end, without the key line above them.
fn level(tree: &Tree, c: Child) -> Child {
    let first = tree.entries(c.value).first().map_or(c.end, |e| e.lead);
    Child {
        lead: first,
        body: first,
        end: c.end,
        key: NO_NODE,
        value: c.value,
        document: false,
    }
}

/// Whether mapping `c` has any of `keys` at its own level.
fn keeps_any(tree: &Tree, c: Child, keys: &HashSet<Cow<'_, str>>) -> bool {
    tree.entries(c.value)
        .iter()
        .any(|e| keys.contains(&key_text(tree, e.key)))
}

/// Whether `c`'s value is a block mapping.
fn is_block_map(tree: &Tree, c: Child) -> bool {
    tree.node(c.value).kind == NodeKind::BlockMap
}

/// The keys of a block mapping, or `None` for another kind of node.
fn keys(tree: &Tree, node: crate::syntax::NodeId) -> Option<HashSet<Cow<'_, str>>> {
    if tree.node(node).kind != NodeKind::BlockMap {
        return None;
    }
    Some(
        tree.entries(node)
            .iter()
            .map(|e| key_text(tree, e.key))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::merged;

    #[test]
    fn a_level_moved_under_a_new_key_takes_the_other_sides_edits_along() {
        let (_, changes) = merged("a: 1\nb: 2\n", "x:\n  a: 1\n  b: 2\n", "a: 5\nb: 2\n");
        assert_eq!(changes, ["current changed x", "incoming changed x.a"]);
    }

    #[test]
    fn the_other_keys_the_moving_side_added_beside_the_new_key_stay() {
        let (_, changes) = merged("a: 1\nb: 2\n", "a: 1\nb: 3\n", "g: 0\nx:\n  a: 1\n  b: 2\n");
        assert_eq!(
            changes,
            [
                "incoming changed x",
                "incoming added g",
                "current changed x.b"
            ]
        );
    }

    #[test]
    fn a_partial_move_is_no_move() {
        let (text, _) = merged(
            "a: 1\nb: 2\nc: 3\n",
            "x:\n  a: 1\n  b: 2\nc: 3\n",
            "a: 5\nb: 2\nc: 3\n",
        );
        assert!(text.contains("!conflict at a"), "{text}");
    }

    #[test]
    fn a_move_both_sides_made_alike_is_no_move_of_one() {
        let (text, changes) = merged("a: 1\n", "x:\n  a: 1\n", "x:\n  a: 2\n");
        assert_eq!(text, "x:\n  a: 2\n");
        assert!(changes.iter().all(|c| !c.contains("added")), "{changes:?}");
    }
}
