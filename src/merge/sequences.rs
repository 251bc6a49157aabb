//! Merging children matched by position (items of lists without an
//! identifying field, documents without a Kubernetes identity): the three
//! versions' children are aligned by their data, and each run where a side
//! differs is decided like lines of text: taken from the side that changed
//! it, merged item by item when the runs are equally long, else a conflict.

use super::engine::{Cols, Engine, Siblings, Three};
use super::{ChangeKind, Pick, Side, trivial_merge};
use crate::error::Result;
use crate::matching::{Child, Chunk, Path, Segment, metadata_name};
use crate::syntax::same_data;

impl<'t> Engine<'t> {
    /// Merges the children of base, the layout and the other side
    /// (`[base, layout, other]`), matched by position.
    pub(super) fn merge_positional(&mut self, s: &Siblings<'_, 't>) -> Result<()> {
        let (ls, os) = (self.layout, self.other);
        let (path, m, cols) = (s.path, s.matched, s.cols);
        let [b, l, o] = s.children;
        let (b, l, o) = (
            b.unwrap_or_default(),
            l.unwrap_or_default(),
            o.unwrap_or_default(),
        );
        let child = |i: usize| path.child(Segment::Index(i));
        for chunk in m.chunks([ls, os], [b.len(), l.len(), o.len()]) {
            let (base, first, second) = match chunk {
                Chunk::Stable {
                    base,
                    first,
                    second,
                } => {
                    let v = Three {
                        base: Some(b[base]),
                        layout: l[first],
                        other: o[second],
                    };
                    self.merge_child(&child(first), v, cols)?;
                    continue;
                }
                Chunk::Unstable {
                    base,
                    first,
                    second,
                } => (base, first, second),
            };
            // Decided on text, not data: a comment edited inside an item is
            // a change too.
            let (rb, rl, ro) = (&b[base.clone()], &l[first.clone()], &o[second.clone()]);
            let eq = |x, y| self.same_run(x, y, |c| (c.lead, c.end), cols);
            let (eq_bl, eq_bo) = (
                eq((Side::Base, rb), (ls, rl)),
                eq((Side::Base, rb), (os, ro)),
            );
            let eq_lo = eq((ls, rl), (os, ro));
            match trivial_merge(Some(eq_bl), Some(eq_bo), eq_lo) {
                Some(Pick::Layout) => {
                    if !eq_bl {
                        self.record_run(path, ls, (rb, base.start), (rl, first.start), cols);
                    }
                    rl.iter().for_each(|c| self.emit_child(ls, c, cols));
                }
                Some(Pick::Other) => {
                    self.record_run(path, os, (rb, base.start), (ro, second.start), cols);
                    ro.iter().for_each(|c| self.emit_child(os, c, cols));
                }
                None if rb.len() == rl.len()
                    && rb.len() == ro.len()
                    && (0..rb.len()).all(|k| {
                        self.edited_item(rb[k], (ls, rl[k])) && self.edited_item(rb[k], (os, ro[k]))
                    }) =>
                {
                    for k in 0..rb.len() {
                        let v = Three {
                            base: Some(rb[k]),
                            layout: rl[k],
                            other: ro[k],
                        };
                        self.merge_child(&child(first.start + k), v, cols)?;
                    }
                }
                None if rb.is_empty() && self.insertable(rl, ro) => {
                    self.insert_both(path, (rl, first.start), (ro, second.start), cols);
                }
                None => {
                    let span =
                        |cs: &[Child]| cs.first().zip(cs.last()).map(|(f, e)| (f.lead, e.end));
                    self.conflict(&child(first.start), span(rb), span(rl), span(ro), cols);
                }
            }
        }
        Ok(())
    }

    /// Whether both sides' runs of new children can be written one after
    /// the other: each child starts its own line (a first item on its
    /// header's line, `- - a`, has no line of its own to move).
    fn insertable(&self, rl: &[Child], ro: &[Child]) -> bool {
        let own_line = |side: Side, c: &Child| !self.starts_mid_line(side, c.lead);
        rl.iter().all(|c| own_line(self.layout, c)) && ro.iter().all(|c| own_line(self.other, c))
    }

    /// Both sides inserted children at one place: current's come first,
    /// then incoming's that current did not add too (an item both added is
    /// written once). Order in a list is data, so this does not depend on
    /// the layout.
    fn insert_both(
        &mut self,
        path: &Path,
        (rl, l_at): (&[Child], usize),
        (ro, o_at): (&[Child], usize),
        cols: &Cols,
    ) {
        let (ls, os) = (self.layout, self.other);
        let ((cs, c_run, c_at), (is, i_run, i_at)) = if ls == Side::Current {
            ((ls, rl, l_at), (os, ro, o_at))
        } else {
            ((os, ro, o_at), (ls, rl, l_at))
        };
        let (tc, ti) = (self.tree(cs), self.tree(is));
        let also_current = |x: &Child| c_run.iter().any(|c| same_data(tc, c.value, ti, x.value));
        let from_incoming: Vec<(usize, Child)> = i_run
            .iter()
            .enumerate()
            .filter(|(_, x)| !also_current(x))
            .map(|(k, x)| (k, *x))
            .collect();
        for (k, c) in c_run.iter().enumerate() {
            self.record(&path.child(Segment::Index(c_at + k)), cs, ChangeKind::Added);
            self.emit_child(cs, c, cols);
        }
        for (k, c) in from_incoming {
            self.record(&path.child(Segment::Index(i_at + k)), is, ChangeKind::Added);
            self.emit_child(is, &c, cols);
        }
    }

    /// Whether a side's item in base's place is that item edited, not
    /// another item put there: mappings must share a key, and where both
    /// hold more than one entry, one entry must be the same (key and data);
    /// objects named by `metadata.name` must keep their name. (Both sides
    /// replacing an item each with their own would otherwise merge into one
    /// item holding both; and a document replaced by another, which shares
    /// `kind:` and `metadata:`, would take the other side's edits of the old
    /// one: found by the structural edits test.)
    pub(super) fn edited_item(&self, b: Child, (side, x): (Side, Child)) -> bool {
        let Some(kept) = self.entries_kept(b, (side, x)) else {
            return true;
        };
        let (tb, tx) = (self.tree(Side::Base), self.tree(side));
        if let (Some(name_b), Some(name_x)) =
            (metadata_name(tb, b.value), metadata_name(tx, x.value))
            && name_b != name_x
        {
            return false;
        }
        let one_entry = tb.entries(b.value).len() < 2 || tx.entries(x.value).len() < 2;
        kept.shared > 0 && (one_entry || kept.unchanged > 0)
    }

    /// Records what `side` changed in a run of children it replaced (each
    /// run with the index of its first child): children paired in order
    /// changed, the rest were removed or added, as `yamerge diff` says it.
    pub(super) fn record_run(
        &mut self,
        path: &Path,
        side: Side,
        (b, b_at): (&[Child], usize),
        (x, x_at): (&[Child], usize),
        cols: &Cols,
    ) {
        let paired = b.len().min(x.len());
        for k in 0..paired {
            let p = path.child(Segment::Index(x_at + k));
            let whole = |c: &Child| (c.lead, c.end);
            if !self.same((Side::Base, whole(&b[k])), (side, whole(&x[k])), cols) {
                self.record_values(&p, side, &b[k], &x[k]);
            }
        }
        for k in paired..b.len() {
            self.record(
                &path.child(Segment::Index(b_at + k)),
                side,
                ChangeKind::Removed,
            );
        }
        for k in paired..x.len() {
            self.record(
                &path.child(Segment::Index(x_at + k)),
                side,
                ChangeKind::Added,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::merged;

    #[test]
    fn edits_at_different_positions_merge() {
        let b = "l:\n  - a\n  - b\n  - c\n";
        let (text, changes) = merged(
            b,
            "l:\n  - A\n  - b\n  - c\n",
            "l:\n  - a\n  - b\n  - c\n  - d\n",
        );
        assert_eq!(text, "l:\n  - A\n  - b\n  - c\n  - d\n");
        assert_eq!(changes, ["current changed l[0]", "incoming added l[3]"]);
    }

    #[test]
    fn runs_replaced_by_both_sides_conflict_unless_equally_long() {
        let b = "l:\n  - a\n  - z\n";
        let (text, _) = merged(b, "l:\n  - x\n  - y\n  - z\n", "l:\n  - w\n  - z\n");
        assert_eq!(text, "l:\n!conflict at l[0]\n  - z\n");
        // Equally long runs merge item by item.
        let b = "l:\n  - k: 1\n    v: 1\n";
        let (text, _) = merged(b, "l:\n  - k: 2\n    v: 1\n", "l:\n  - k: 1\n    v: 2\n");
        assert_eq!(text, "l:\n  - k: 2\n    v: 2\n");
    }

    #[test]
    fn insertions_of_both_sides_at_one_place_keep_both_current_first() {
        let b = "l:\n  - a\n  - z\n";
        let c = "l:\n  - a\n  - x\n  - y\n  - z\n";
        let i = "l:\n  - a\n  - y\n  - w\n  - z\n";
        let (text, changes) = merged(b, c, i);
        assert_eq!(text, "l:\n  - a\n  - x\n  - y\n  - w\n  - z\n");
        assert_eq!(
            changes,
            [
                "current added l[1]",
                "current added l[2]",
                "incoming added l[2]"
            ]
        );
        // Replacing what is there is not inserting: still a conflict.
        let (text, _) = merged(b, "l:\n  - a\n  - x\n", "l:\n  - a\n  - w\n");
        assert_eq!(text, "l:\n  - a\n!conflict at l[1]\n");
    }

    #[test]
    fn a_removed_item_is_named_by_its_base_index() {
        let b = "l:\n  - a\n  - b\nz: 1\n";
        let (_, changes) = merged(b, "l:\n  - a\nz: 1\n", "l:\n  - a\n  - b\nz: 2\n");
        assert_eq!(changes, ["current removed l[1]", "incoming changed z"]);
    }
}
