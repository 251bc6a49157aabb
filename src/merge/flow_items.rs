//! The items of flow collections both sides changed, merged with the rules
//! of block collections: keys and identifying fields matched by name (the
//! layout's order, each of the other side's new items after the item it
//! follows there), other items aligned by their data and decided run by
//! run; both sides' insertions at one place kept, current's first. Each
//! merged item is text as the layout writes it (`flows` joins them); an
//! item both sides changed differently is a conflict of that item, and a
//! nested flow both changed is merged the same way.

use super::engine::{Cols, Engine, Three};
use super::flow_spelling::{Flow, Item, Run, Texts};
use super::keyed::{Placed, placed, positions};
use super::{ChangeKind, Pick, Side, trivial_merge};
use crate::matching::{By, Child, Kind, Path, Segment, Version, match_children};
use crate::syntax::{NodeKind, same_data};

impl<'t> Engine<'t> {
    /// The merged items of a flow's three versions (`[base, layout,
    /// other]`). `None` when unsure.
    pub(super) fn flow_runs(
        &mut self,
        path: &Path,
        [fb, fl, fo]: [&Flow; 3],
        cols: &Cols,
        conflicts: &mut Vec<Path>,
    ) -> Option<Vec<Run>> {
        let (ls, os) = (self.layout, self.other);
        let kind = match self.tree(ls).node(fl.node).kind {
            NodeKind::FlowMap => Kind::Mapping,
            _ => Kind::Sequence,
        };
        let mut of = [None; 3];
        of[Side::Base.index()] = Some(fb);
        of[ls.index()] = Some(fl);
        of[os.index()] = Some(fo);
        let versions = [Side::Base, Side::Current, Side::Incoming].map(|s| {
            let f = of[s.index()]?;
            Some(Version {
                tree: self.tree(s),
                children: &f.kids,
            })
        });
        let m = match_children(kind, versions);
        if m.ambiguous().is_some() {
            // Occurrences of a repeated key paired by a guess: the flow
            // stays one value, merged whole or left as a conflict.
            return None;
        }
        let kids = [&fb.kids[..], &fl.kids[..], &fo.kids[..]];
        let mut out = Out {
            runs: Vec::new(),
            conflicts,
        };
        if m.by == By::Position {
            self.flow_positional(path, &m, kids, cols, &mut out)?;
        } else {
            self.flow_keyed(path, &m, kids, cols, &mut out)?;
        }
        Some(out.runs)
    }

    fn flow_keyed(
        &mut self,
        path: &Path,
        m: &crate::matching::Matched<'t>,
        [b, l, o]: [&[Child]; 3],
        cols: &Cols,
        out: &mut Out,
    ) -> Option<()> {
        let (ls, os) = (self.layout, self.other);
        let (b, l, o) = (m.named(Side::Base, b), m.named(ls, l), m.named(os, o));
        let (ib, il, io) = (positions(&b), positions(&l), positions(&o));
        let current_first = m.by != By::Key;
        let slots = self.insertion_slots(&b, &l, &o, [&ib, &il, &io], current_first, false);
        let child = |name: &str, i: usize| path.child(m.segment(name, i));
        for step in placed(&slots, &l, &o, [&ib, &io]) {
            let (li, base, other) = match step {
                Placed::Other(oi, base) => {
                    let (name, c) = &o[oi];
                    let p = child(name, oi);
                    match base {
                        None => {
                            self.record(&p, os, ChangeKind::Added);
                            out.one(self.item_text(os, *c, cols), None);
                        }
                        Some(bi) => self.flow_deleted(ls, &p, b[bi].1, (os, *c), None, cols, out),
                    }
                    continue;
                }
                Placed::Layout(li, base, other) => (li, base, other),
            };
            let (name, c) = &l[li];
            let p = child(name, li);
            match (base, other) {
                (bi, Some(oi)) => {
                    let v = Three {
                        base: bi.map(|bi| b[bi].1),
                        layout: *c,
                        other: o[oi].1,
                    };
                    let run = self.flow_item(&p, v, li, cols, out.conflicts)?;
                    out.runs.push(run);
                }
                (Some(bi), None) => {
                    self.flow_deleted(os, &p, b[bi].1, (ls, *c), Some(li), cols, out)
                }
                (None, None) => {
                    self.record(&p, ls, ChangeKind::Added);
                    out.one(self.item_text(ls, *c, cols), Some(li));
                }
            }
        }
        Some(())
    }

    fn flow_positional(
        &mut self,
        path: &Path,
        m: &crate::matching::Matched<'t>,
        [b, l, o]: [&[Child]; 3],
        cols: &Cols,
        out: &mut Out,
    ) -> Option<()> {
        use crate::matching::Chunk;
        let (ls, os) = (self.layout, self.other);
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
                    let run = self.flow_item(&child(first), v, first, cols, out.conflicts)?;
                    out.runs.push(run);
                    continue;
                }
                Chunk::Unstable {
                    base,
                    first,
                    second,
                } => (base, first, second),
            };
            let (rb, rl, ro) = (&b[base.clone()], &l[first.clone()], &o[second.clone()]);
            let eq = |x, y| self.same_run(x, y, |c| (c.body, c.end), cols);
            let (eq_bl, eq_bo) = (
                eq((Side::Base, rb), (ls, rl)),
                eq((Side::Base, rb), (os, ro)),
            );
            let eq_lo = eq((ls, rl), (os, ro));
            let at = |k: usize| Some(first.start + k);
            match trivial_merge(Some(eq_bl), Some(eq_bo), eq_lo) {
                Some(Pick::Layout) => {
                    if !eq_bl {
                        self.record_run(path, ls, (rb, base.start), (rl, first.start), cols);
                    }
                    for (k, c) in rl.iter().enumerate() {
                        out.one(self.item_text(ls, *c, cols), at(k));
                    }
                }
                Some(Pick::Other) => {
                    self.record_run(path, os, (rb, base.start), (ro, second.start), cols);
                    for c in ro {
                        out.one(self.item_text(os, *c, cols), None);
                    }
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
                        let i = first.start + k;
                        let run = self.flow_item(&child(i), v, i, cols, out.conflicts)?;
                        out.runs.push(run);
                    }
                }
                None if rb.is_empty() => {
                    self.flow_insert_both(path, (rl, first.start), (ro, second.start), cols, out)
                }
                None => {
                    out.conflicts.push(child(first.start));
                    let mut split: [Vec<Item>; 3] = Default::default();
                    let items = |side: Side, cs: &[Child], at: &dyn Fn(usize) -> Option<usize>| {
                        cs.iter()
                            .enumerate()
                            .map(|(k, c)| Item {
                                text: Texts::One(self.item_text(side, *c, cols)),
                                at: at(k),
                            })
                            .collect::<Vec<_>>()
                    };
                    split[Side::Base.index()] = items(Side::Base, rb, &|_| None);
                    split[ls.index()] = items(ls, rl, &at);
                    split[os.index()] = items(os, ro, &|_| None);
                    out.runs.push(Run::Split(split));
                }
            }
        }
        Some(())
    }

    /// Both sides inserted items at one place: current's first, then
    /// incoming's that current did not add too.
    fn flow_insert_both(
        &mut self,
        path: &Path,
        (rl, l_at): (&[Child], usize),
        (ro, o_at): (&[Child], usize),
        cols: &Cols,
        out: &mut Out,
    ) {
        let (ls, os) = (self.layout, self.other);
        let layout_run: Vec<(Side, usize, Child, Option<usize>)> = rl
            .iter()
            .enumerate()
            .map(|(k, c)| (ls, l_at + k, *c, Some(l_at + k)))
            .collect();
        let other_run: Vec<_> = ro
            .iter()
            .enumerate()
            .map(|(k, c)| (os, o_at + k, *c, None))
            .collect();
        let (first, second) = if ls == Side::Current {
            (layout_run, other_run)
        } else {
            (other_run, layout_run)
        };
        let in_first = |side: Side, x: &Child| {
            first.iter().any(|(s, _, c, _)| {
                same_data(self.tree(*s), c.value, self.tree(side), x.value)
                    && (c.key == crate::syntax::NO_NODE
                        || same_data(self.tree(*s), c.key, self.tree(side), x.key))
            })
        };
        let second: Vec<_> = second
            .into_iter()
            .filter(|(s, _, c, _)| !in_first(*s, c))
            .collect();
        for (side, i, c, at) in first.into_iter().chain(second) {
            self.record(&path.child(Segment::Index(i)), side, ChangeKind::Added);
            out.one(self.item_text(side, c, cols), at);
        }
    }

    /// An item present in both sides (base may lack it: both added it):
    /// the side that changed it, the merge of a nested flow both changed,
    /// the layout's spelling of the same data, or a conflict.
    fn flow_item(
        &mut self,
        path: &Path,
        v: Three,
        at: usize,
        cols: &Cols,
        conflicts: &mut Vec<Path>,
    ) -> Option<Run> {
        let (ls, os) = (self.layout, self.other);
        let (b, l, o) = v.parts();
        let item = |c: Child| (c.body, c.end);
        let one = |text: String| {
            Run::Item(Item {
                text: Texts::One(text),
                at: Some(at),
            })
        };
        let (pick, eq_bl) = self.decide(b.map(item), item(l), item(o), cols);
        let (side, c) = match pick {
            Some(Pick::Layout) => (ls, l),
            Some(Pick::Other) => (os, o),
            None if b.is_some() && self.all_flows(v) => {
                let text = self.merge_flow(path, v, cols, conflicts)?;
                return Some(Run::Item(Item { text, at: Some(at) }));
            }
            None if !self.types_differ(v) && self.same_data_and_key(&l, &o) => {
                self.record(path, ls, ChangeKind::Changed);
                return Some(one(self.item_text(ls, l, cols)));
            }
            None => {
                conflicts.push(path.clone());
                let text = |side: Side, c: Option<Child>| match c {
                    Some(c) => self.item_text(side, c, cols),
                    None => String::new(),
                };
                let mut three: [String; 3] = Default::default();
                three[Side::Base.index()] = text(Side::Base, b);
                three[ls.index()] = text(ls, Some(l));
                three[os.index()] = text(os, Some(o));
                if b.is_none() {
                    return Some(self.absent_base(three, at));
                }
                return Some(Run::Item(Item {
                    text: Texts::Three(three),
                    at: Some(at),
                }));
            }
        };
        let changed = side == os || eq_bl == Some(false);
        if changed {
            match b {
                Some(b) => self.record_values(path, side, &b, &c),
                None => self.record(path, side, ChangeKind::Added),
            }
        }
        Some(one(self.item_text(side, c, cols)))
    }

    /// A conflict of an item both sides added differently: base's version
    /// of the flow has no item there.
    fn absent_base(&self, three: [String; 3], at: usize) -> Run {
        let mut split: [Vec<Item>; 3] = Default::default();
        for side in [self.layout, self.other] {
            split[side.index()] = vec![Item {
                text: Texts::One(three[side.index()].clone()),
                at: (side == self.layout).then_some(at),
            }];
        }
        Run::Split(split)
    }

    /// An item `deleter` removed and `keeper` kept as `kept` (at layout
    /// index `at` when the layout kept it): removed when the keeper left it
    /// alone (same text, or same data), else a conflict.
    #[allow(clippy::too_many_arguments)]
    fn flow_deleted(
        &mut self,
        deleter: Side,
        path: &Path,
        b: Child,
        (keeper, kept): (Side, Child),
        at: Option<usize>,
        cols: &Cols,
        out: &mut Out,
    ) {
        if self.kept_unchanged(b, (keeper, kept), cols) {
            self.record(path, deleter, ChangeKind::Removed);
            return;
        }
        out.conflicts.push(path.clone());
        let mut split: [Vec<Item>; 3] = Default::default();
        split[Side::Base.index()] = vec![Item {
            text: Texts::One(self.item_text(Side::Base, b, cols)),
            at,
        }];
        split[keeper.index()] = vec![Item {
            text: Texts::One(self.item_text(keeper, kept, cols)),
            at,
        }];
        out.runs.push(Run::Split(split));
    }

    /// An item's text as the layout writes it (re-indented to its column).
    fn item_text(&self, side: Side, c: Child, cols: &Cols) -> String {
        self.as_layout(side, (c.body, c.end), cols)
    }
}

/// The merged items so far, and the paths of the conflicts among them.
struct Out<'a> {
    runs: Vec<Run>,
    conflicts: &'a mut Vec<Path>,
}

impl Out<'_> {
    fn one(&mut self, text: String, at: Option<usize>) {
        self.runs.push(Run::Item(Item {
            text: Texts::One(text),
            at,
        }));
    }
}
