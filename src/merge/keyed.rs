//! Merging children matched by name (mapping keys, identifying fields of
//! list items, Kubernetes identities of documents): in their merged order
//! (`order`: a side's new order of the children all versions share is a
//! change like any other, whatever the layout), the layout's own children
//! after the shared child they follow there, and each child only the other
//! side has placed after the child it follows on that side. A child one side
//! deleted goes when the other left it alone; changed on the other side, it
//! is a conflict.

use std::borrow::Cow;
use std::collections::HashMap;

use super::engine::{Cols, Engine, Siblings, Three};
use super::order::{Order, merge_order};
use super::{ChangeKind, Side, Unit};
use crate::error::Result;
use crate::matching::{By, Child, Path};

/// One version's children with their names.
pub(super) type Named<'t> = Vec<(Cow<'t, str>, Child)>;

/// Each name's position among a version's children.
pub(super) fn positions<'t>(v: &Named<'t>) -> HashMap<Cow<'t, str>, usize> {
    v.iter()
        .enumerate()
        .map(|(i, (k, _))| (k.clone(), i))
        .collect()
}

impl<'t> Engine<'t> {
    /// The merged order of children matched by name; `None` when they match
    /// by position (where order is what the alignment merges).
    pub(super) fn keyed_order(&self, s: &Siblings<'_, 't>) -> Option<Order> {
        let m = s.matched;
        let names = |side: Side| m.names(side);
        (m.by != By::Position)
            .then(|| merge_order(names(Side::Base), names(self.layout), names(self.other)))
    }

    /// Merges the children of base, the layout and the other side
    /// (`[base, layout, other]`; base absent when both sides added the
    /// collection), matched by name, in their merged `order`.
    pub(super) fn merge_keyed(&mut self, s: &Siblings<'_, 't>, order: Order) -> Result<()> {
        let (ls, os) = (self.layout, self.other);
        let (path, m, cols) = (s.path, s.matched, s.cols);
        let [b, l, o] = s.children;
        let named = |side: Side, kids: Option<&[Child]>| m.named(side, kids.unwrap_or_default());
        let (b, l, o) = (named(Side::Base, b), named(ls, l), named(os, o));
        for (side, moved) in [(ls, order.layout_moved), (os, order.other_moved)] {
            if moved {
                self.record(path, side, ChangeKind::Reordered);
            }
        }
        // The layout's children in the merged order (a conflict of orders
        // never comes here: the caller wrote the collection as one).
        let l: Named<'t> = match order.layout {
            Some(order) => order.iter().filter_map(|&i| l.get(i).cloned()).collect(),
            None => l,
        };
        let (ib, il, io) = (positions(&b), positions(&l), positions(&o));
        // In a list or a stream the order is data, and current's come first;
        // a mapping's keys stay in the layout's order, the other's after.
        let current_first = m.by != By::Key;
        // A first child on the line of its collection's header (`- a: 1`)
        // keeps that place: insertions go after it.
        let first_stays = l.first().is_some_and(|(_, c)| {
            c.lead == c.body && !c.document && self.starts_mid_line(self.layout, c.body)
        });
        let inserts = self.insertion_slots(&b, &l, &o, [&ib, &il, &io], current_first, first_stays);
        let child = |name: &str, i: usize| path.child(m.segment(name, i));
        for step in placed(&inserts, &l, &o, [&ib, &io]) {
            let (li, base, other) = match step {
                Placed::Other(oi, base) => {
                    let (name, c) = &o[oi];
                    let p = child(name, oi);
                    match base {
                        None => {
                            self.record(&p, os, ChangeKind::Added);
                            self.emit_child(os, c, cols);
                        }
                        Some(bi) => self.deleted_by(ls, &p, b[bi].1, (os, *c), cols),
                    }
                    continue;
                }
                Placed::Layout(li, base, other) => (li, base, other),
            };
            let (name, c) = &l[li];
            let p = child(name, li);
            match (base, other) {
                (Some(bi), Some(oi)) => {
                    let v = Three {
                        base: Some(b[bi].1),
                        layout: *c,
                        other: o[oi].1,
                    };
                    self.merge_child(&p, v, cols)?
                }
                (Some(bi), None) => self.deleted_by(os, &p, b[bi].1, (ls, *c), cols),
                (None, Some(oi)) => {
                    let v = Three {
                        base: None,
                        layout: *c,
                        other: o[oi].1,
                    };
                    self.merge_child(&p, v, cols)?
                }
                (None, None) => {
                    self.record(&p, ls, ChangeKind::Added);
                    self.emit_child(ls, c, cols);
                }
            }
        }
        Ok(())
    }

    /// Where each of the other side's new children goes: after the nearest
    /// preceding child (on its side) that the layout also has. Where both
    /// sides added children at one place, the layout's come first, unless
    /// `current_first` and the layout is incoming's; with `first_stays`,
    /// none goes before the layout's first child. A new child that took the
    /// place of one the other side removed (it follows what that one
    /// followed in base) goes where that one is in the layout: it replaced
    /// it, so the layout's insertions before it stay before it; and a new
    /// child of the layout in the place of one it removed stands for that
    /// one where the other side's children follow it. `slots[i]`
    /// lists the other side's children to place before the layout's child
    /// `i`.
    pub(super) fn insertion_slots(
        &self,
        b: &Named<'t>,
        l: &Named<'t>,
        o: &Named<'t>,
        [ib, il, io]: [&HashMap<Cow<'t, str>, usize>; 3],
        current_first: bool,
        first_stays: bool,
    ) -> Vec<Vec<usize>> {
        let (ls, os) = (self.layout, self.other);
        let alike = |side: Side| move |was: Child, c: Child| self.keeps_half_of(was, (side, c));
        let layout_only = |i: usize| !ib.contains_key(&l[i].0) && !io.contains_key(&l[i].0);
        let stand_in = self.stand_ins(b, l, o, [ib, il, io]);
        let mut slots: Vec<Vec<usize>> = vec![Vec::new(); l.len() + 1];
        for (oi, (name, _)) in o.iter().enumerate() {
            if il.contains_key(name) {
                continue;
            }
            if let Some(li) = replaced_child(b, o, oi, [ib, il, io], alike(os)) {
                slots[li].push(oi);
                continue;
            }
            let mut slot = o[..oi]
                .iter()
                .rev()
                .find_map(|(k, _)| {
                    il.get(k)
                        .or_else(|| stand_in.get(k.as_ref()))
                        .map(|&li| li + 1)
                })
                .unwrap_or(0);
            if slot == 0 && first_stays {
                slot = 1;
            }
            let after_layouts = !current_first || self.other == Side::Incoming;
            // Current's insertions at this place go first, but not one that
            // replaced a base child this new child comes before.
            let replaces_later = |li: usize| {
                replaced_child(b, l, li, [ib, io, il], alike(ls)).is_some_and(|x| x > oi)
            };
            while after_layouts
                && slot < l.len()
                && (slot > 0 || current_first)
                && layout_only(slot)
                && !replaces_later(slot)
            {
                slot += 1;
            }
            slots[slot].push(oi);
        }
        slots
    }

    /// The base children the layout dropped where it put a new one that
    /// is an edit of it, by name, with that new one's index: it stands for
    /// them when the other side's children follow them.
    fn stand_ins<'a>(
        &self,
        b: &Named<'t>,
        l: &Named<'t>,
        o: &'a Named<'t>,
        [ib, il, io]: [&HashMap<Cow<'t, str>, usize>; 3],
    ) -> HashMap<&'a str, usize> {
        let alike = |was: Child, c: Child| self.keeps_half_of(was, (self.layout, c));
        (0..l.len())
            .filter(|&li| !ib.contains_key(&l[li].0) && !io.contains_key(&l[li].0))
            .filter_map(|li| {
                let x = replaced_child(b, l, li, [ib, io, il], alike)?;
                Some((o[x].0.as_ref(), li))
            })
            .collect()
    }

    /// Whether a side's child `x` keeps at least half of the entries of
    /// base's mapping `b` unchanged (the same key with the same data), or
    /// `b` has one entry only: an edit of it (a port sharing only
    /// `protocol: TCP` is another port; a one-key item renamed in place is
    /// that item, as `edited_item` has it).
    fn keeps_half_of(&self, b: Child, (side, x): (Side, Child)) -> bool {
        self.entries_kept(b, (side, x))
            .is_some_and(|k| k.base_keys < 2 || 2 * k.unchanged >= k.base_keys)
    }

    /// A child `deleter` deleted and `keeper` kept as `kept`: deleted when the
    /// keeper left it alone (same text, or same data: a comment or quoting
    /// edit goes with the child), else a conflict.
    fn deleted_by(
        &mut self,
        deleter: Side,
        path: &Path,
        b: Child,
        (keeper, kept): (Side, Child),
        cols: &Cols,
    ) {
        let body = |c: Child| (c.body, c.end);
        if self.kept_unchanged(b, (keeper, kept), cols) {
            self.record(path, deleter, ChangeKind::Removed);
            return;
        }
        // Changed on one side, deleted on the other.
        self.emit(keeper, (kept.lead, kept.body), cols, Unit::Text);
        let (l, o) = if keeper == self.layout {
            (Some(body(kept)), None)
        } else {
            (None, Some(body(kept)))
        };
        self.conflict(path, Some(body(b)), l, o, cols);
    }
}

/// One step of a keyed merge's walk, in output order: a child only the
/// other side has (its index there, and base's if base had it), or a child
/// of the layout (its index, and base's and the other side's if they have
/// it).
pub(super) enum Placed {
    Other(usize, Option<usize>),
    Layout(usize, Option<usize>, Option<usize>),
}

/// The walk over the layout's children with the other side's new ones
/// placed before them as `slots` (from [`Engine::insertion_slots`]) says.
pub(super) fn placed<'t>(
    slots: &[Vec<usize>],
    l: &Named<'t>,
    o: &Named<'t>,
    [ib, io]: [&HashMap<Cow<'t, str>, usize>; 2],
) -> Vec<Placed> {
    let mut steps = Vec::with_capacity(l.len() + o.len());
    for (li, slot) in slots.iter().enumerate() {
        steps.extend(
            slot.iter()
                .map(|&oi| Placed::Other(oi, ib.get(&o[oi].0).copied())),
        );
        if let Some((name, _)) = l.get(li) {
            steps.push(Placed::Layout(
                li,
                ib.get(name).copied(),
                io.get(name).copied(),
            ));
        }
    }
    steps
}

/// Where in the other version is the child that a side's new child `oi`
/// (of `o`) replaced: the one base had right after the new child's
/// predecessor on its side (or first, for a first child), which that side
/// no longer has and the other (`il`) still does, and which the new child
/// is `alike` (an edit of it, not another item put in its place, which
/// keeps the rule that current's insertions go first). Called with the
/// layout and the other side either way round.
fn replaced_child<'t>(
    b: &Named<'t>,
    o: &Named<'t>,
    oi: usize,
    [ib, il, io]: [&HashMap<Cow<'t, str>, usize>; 3],
    alike: impl Fn(Child, Child) -> bool,
) -> Option<usize> {
    let next_in_base = match oi.checked_sub(1) {
        Some(prev) => ib.get(&o[prev].0)? + 1,
        None => 0,
    };
    let (name, was) = b.get(next_in_base)?;
    if io.contains_key(name) || !alike(*was, o[oi].1) {
        return None;
    }
    il.get(name).copied()
}

#[cfg(test)]
mod tests {
    use super::super::testing::merged;

    #[test]
    fn an_added_key_follows_its_predecessor_on_its_side() {
        let (text, changes) = merged("a: 1\nb: 1\n", "a: 1\nx: 0\nb: 1\n", "b: 1\na: 1\n");
        assert_eq!(text, "b: 1\na: 1\nx: 0\n");
        assert_eq!(changes, ["incoming reordered ", "current added x"]);
    }

    #[test]
    fn a_key_deleted_where_the_other_side_left_it_alone_goes() {
        let (text, changes) = merged("a: 1\nb: 1\n", "a: 1\n", "a: 2\nb: 1 # same data\n");
        assert_eq!(text, "a: 2\n");
        assert_eq!(changes, ["incoming changed a", "current removed b"]);
    }

    #[test]
    fn a_key_deleted_where_the_other_side_changed_it_conflicts() {
        let (text, _) = merged("a: 1\nb: 1\n", "a: 1\n", "a: 1\nb: 2\n");
        assert_eq!(text, "a: 1\n!conflict at b\n");
    }

    #[test]
    fn list_items_match_by_their_identifying_field() {
        let b = "l:\n  - name: x\n    v: 1\n  - name: y\n    v: 1\n";
        let c = "l:\n  - name: y\n    v: 1\n  - name: x\n    v: 1\n";
        let i = "l:\n  - name: x\n    v: 2\n  - name: y\n    v: 1\n";
        let (text, changes) = merged(b, c, i);
        // Current's order, incoming's edit.
        assert_eq!(text, "l:\n  - name: y\n    v: 1\n  - name: x\n    v: 2\n");
        assert_eq!(
            changes,
            ["current reordered l", "incoming changed l[name=x].v"]
        );
    }
}
