//! A triple: a base and the edits of current and incoming, chosen so that
//! their pair belongs to one class. Disjoint edits touch different nodes
//! and different lines; the deliberate "same line, different parts" and
//! "same place" classes must merge cleanly too; the overlapping classes
//! must conflict. Every side, and every set of edits a merge must apply,
//! is checked before use: valid YAML with the data the effects say.

use std::sync::Arc;

use super::base::Base;
use super::data::{self, Effect};
use super::kinds::{self, Group, Namer, Target, Unmade};
use super::{CURRENT, Edit, INCOMING, Kind, apply_text, current_first};
use crate::edits::Rng;
use crate::pool;

/// The class of a pair of edits (one per side) a triple is built around.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pair {
    /// Different nodes, different lines.
    Disjoint,
    /// One side changes a value, the other the comment at the end of its
    /// line.
    ValueAndComment,
    /// One side re-quotes a key, the other changes its value.
    KeyQuoteAndValue,
    /// Both edit different items of one flow collection on one line.
    FlowItems,
    /// Both insert at one place of a list: current's items come first.
    SamePlace,
    /// Both change one scalar differently: a conflict.
    SameScalar,
    /// One removes a key, the other edits inside it: a conflict.
    RemoveVsEdit,
    /// One turns a scalar into a block, the other changes the scalar: a
    /// conflict.
    TypeVsEdit,
}

impl Pair {
    pub const WEIGHTED: [(Pair, usize); 8] = [
        (Pair::Disjoint, 34),
        (Pair::ValueAndComment, 10),
        (Pair::KeyQuoteAndValue, 8),
        (Pair::FlowItems, 12),
        (Pair::SamePlace, 12),
        (Pair::SameScalar, 12),
        (Pair::RemoveVsEdit, 12),
        (Pair::TypeVsEdit, 8),
    ];

    pub fn name(self) -> &'static str {
        match self {
            Pair::Disjoint => "disjoint",
            Pair::ValueAndComment => "same line: value + eol comment",
            Pair::KeyQuoteAndValue => "same line: key quoting + value",
            Pair::FlowItems => "same line: flow items",
            Pair::SamePlace => "same place: list insertions",
            Pair::SameScalar => "overlap: same scalar",
            Pair::RemoveVsEdit => "overlap: remove vs edit",
            Pair::TypeVsEdit => "overlap: type change vs edit",
        }
    }

    pub fn overlapping(self) -> bool {
        matches!(
            self,
            Pair::SameScalar | Pair::RemoveVsEdit | Pair::TypeVsEdit
        )
    }
}

#[derive(Clone)]
pub struct Case {
    pub index: usize,
    pub base: Arc<Base>,
    pub edits: Vec<Edit>,
    pub pair: Pair,
    /// The pair the triple is built around, current's edit first (indexes
    /// into `edits`); `None` for a disjoint triple.
    pub featured: Option<[usize; 2]>,
}

impl Case {
    /// The overlapping pair, when the triple has one.
    pub fn overlap(&self) -> Option<[usize; 2]> {
        self.featured.filter(|_| self.pair.overlapping())
    }

    /// Base with one side's edits.
    pub fn side_text(&self, side: usize) -> String {
        let edits: Vec<&Edit> = self.edits.iter().filter(|e| e.side == side).collect();
        apply_text(&self.base.text, &edits)
            .expect("checked when made")
            .0
    }

    /// The edits a merge must apply (indexes into `edits`): all of them, or
    /// for an overlapping pair resolved to side `prefer`, all but the other
    /// side's overlapping edit.
    pub fn applied(&self, prefer: Option<usize>) -> Vec<usize> {
        let loser = match (self.overlap(), prefer) {
            (Some(pair), Some(side)) => Some(pair[1 - side]),
            _ => None,
        };
        (0..self.edits.len())
            .filter(|&i| Some(i) != loser)
            .collect()
    }

    /// The sets of edits merges of this triple must apply, with the side
    /// preferred for each.
    pub fn expectation_sets(&self) -> Vec<(Option<usize>, Vec<usize>)> {
        match self.overlap() {
            None => vec![(None, self.applied(None))],
            Some(_) => [CURRENT, INCOMING]
                .iter()
                .map(|&s| (Some(s), self.applied(Some(s))))
                .collect(),
        }
    }

    /// Each side, and each set of edits a merge must apply, gives valid
    /// YAML with the data its effects say; else why not.
    pub fn check(&self) -> Result<(), String> {
        for side in [CURRENT, INCOMING] {
            let set: Vec<usize> = (0..self.edits.len())
                .filter(|&i| self.edits[i].side == side)
                .collect();
            self.check_set(&set)
                .map_err(|e| format!("{}: {e}", super::side_name(side)))?;
        }
        for (_, set) in self.expectation_sets() {
            self.check_set(&set)
                .map_err(|e| format!("both sides: {e}"))?;
        }
        Ok(())
    }

    fn check_set(&self, set: &[usize]) -> Result<(), String> {
        let edits = current_first(set.iter().map(|&i| &self.edits[i]));
        let (text, _) = apply_text(&self.base.text, &edits).ok_or("edits overlap")?;
        if !pool::valid(&text) {
            return Err("invalid YAML".into());
        }
        let effects: Vec<&Effect> = edits.iter().map(|e| &e.effect).collect();
        let want = data::apply(&self.base.data, &effects).ok_or("an effect misses its node")?;
        let got = data::load(&text)?;
        if data::canon(&got, false) != data::canon(&want, false) {
            return Err("other data than the effects say".into());
        }
        Ok(())
    }
}

/// What making triples cost, for the report.
#[derive(Default)]
pub struct Waste {
    /// Edits made but thrown away (see [`Unmade::Rejected`]).
    pub edits: Vec<Kind>,
    /// Triples thrown away, and why (edits that are fine alone but not
    /// together).
    pub triples: Vec<String>,
    /// Pair classes no base tried could hold: disjoint edits instead.
    pub fell_back: Vec<Pair>,
}

/// The base of a draw (`pool::pick`: a new file in the pool moves only the
/// triples it wins).
fn pick_base(pool: &[Arc<Base>], draw: u64) -> Arc<Base> {
    let keys: Vec<u64> = pool.iter().map(|b| b.key).collect();
    pool[pool::pick(&keys, draw)].clone()
}

/// Triple `index` of the run with `seed`: a pair class, a base of `pool`
/// that holds it, the pair, and up to two more edits per side (one to
/// three for a disjoint triple).
pub fn generate(pool: &[Arc<Base>], seed: u64, index: usize, waste: &mut Waste) -> Case {
    let mut rng = Rng(pool::item_seed(seed, index));
    let wanted = weighted(&mut rng, &Pair::WEIGHTED);
    for attempt in 0..40 {
        let pair = if attempt < 20 { wanted } else { Pair::Disjoint };
        if attempt == 20 {
            waste.fell_back.push(wanted);
        }
        let base = pick_base(pool, rng.below(usize::MAX) as u64);
        let mut g = Gen {
            base: &base,
            rng: &mut rng,
            namers: [Namer::new(CURRENT), Namer::new(INCOMING)],
            edits: Vec::new(),
            rejected: Vec::new(),
        };
        let made = g.featured(pair).inspect(|_| g.extras(pair));
        waste.edits.append(&mut g.rejected);
        let edits = g.edits;
        let (Some(featured), true) = (made, both_sides(&edits)) else {
            continue;
        };
        let case = Case {
            index,
            base,
            edits,
            pair,
            featured,
        };
        match case.check() {
            Ok(()) => return case,
            Err(why) => waste.triples.push(format!("{}: {why}", pair.name())),
        }
    }
    panic!("no triple could be made for index {index}");
}

fn both_sides(edits: &[Edit]) -> bool {
    [CURRENT, INCOMING]
        .iter()
        .all(|&s| edits.iter().any(|e| e.side == s))
}

fn weighted<T: Copy>(rng: &mut Rng, items: &[(T, usize)]) -> T {
    let total: usize = items.iter().map(|&(_, w)| w).sum();
    let mut r = rng.below(total);
    for &(x, w) in items {
        if r < w {
            return x;
        }
        r -= w;
    }
    items[0].0
}

/// The making of one triple's edits on one base.
struct Gen<'a> {
    base: &'a Base,
    rng: &'a mut Rng,
    namers: [Namer; 2],
    edits: Vec<Edit>,
    rejected: Vec<Kind>,
}

/// The result of [`Gen::featured`]: `None` when the base cannot hold the
/// pair; else the pair's indexes (`None` for disjoint edits).
type Featured = Option<Option<[usize; 2]>>;

impl Gen<'_> {
    fn make(&mut self, group: Group, target: Target, side: usize) -> Option<Edit> {
        match kinds::make(self.base, group, target, self.rng, &mut self.namers[side]) {
            Ok(e) => Some(e),
            Err(Unmade::Rejected(kind)) => {
                self.rejected.push(kind);
                None
            }
            Err(Unmade::NoFit) => None,
        }
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| items[self.rng.below(items.len())])
    }

    /// Up to `tries` times: a random target among `targets`, and what `f`
    /// makes of it.
    fn try_targets<T>(
        &mut self,
        targets: &[Target],
        tries: usize,
        mut f: impl FnMut(&mut Self, Target) -> Option<T>,
    ) -> Option<T> {
        (0..tries).find_map(|_| {
            let t = self.pick(targets)?;
            f(self, t)
        })
    }

    fn featured(&mut self, pair: Pair) -> Featured {
        let side = self.rng.below(2);
        match pair {
            Pair::Disjoint => Some(None),
            Pair::ValueAndComment => self.value_and_comment(side),
            Pair::KeyQuoteAndValue => self.key_quote_and_value(side),
            Pair::FlowItems => self.flow_items(),
            Pair::SamePlace => self.same_place(),
            Pair::SameScalar => self.same_scalar(),
            Pair::RemoveVsEdit => self.remove_vs_edit(side),
            Pair::TypeVsEdit => self.type_vs_edit(side),
        }
    }

    /// Keeps `a` and `b` (different sides) as the featured pair; their
    /// indexes, current's first.
    fn keep(&mut self, a: Edit, b: Edit) -> Featured {
        let first = self.edits.len();
        let swap = a.side == INCOMING;
        self.edits.push(a);
        self.edits.push(b);
        let pair = if swap {
            [first + 1, first]
        } else {
            [first, first + 1]
        };
        Some(Some(pair))
    }

    /// Keeps the pair when it is a clean one: no shared bytes, nothing
    /// inside what the other removes.
    fn keep_clean(&mut self, a: Edit, b: Edit) -> Featured {
        let clean = !a.overlaps_text(&b) && !a.removes_claim_of(&b) && !b.removes_claim_of(&a);
        clean.then(|| self.keep(a, b)).flatten()
    }

    fn value_and_comment(&mut self, side: usize) -> Featured {
        let base = self.base;
        let targets: Vec<Target> = base
            .targets(Group::EolComment)
            .iter()
            .copied()
            .filter(|t| base.targets(Group::ChangeScalar).contains(t))
            .collect();
        self.try_targets(&targets, 6, |g, t| {
            let a = g.make(Group::ChangeScalar, t, side)?;
            let b = g.make(Group::EolComment, t, 1 - side)?;
            g.keep_clean(a, b)
        })
    }

    fn key_quote_and_value(&mut self, side: usize) -> Featured {
        let base = self.base;
        let targets: Vec<Target> = base
            .targets(Group::RequoteKey)
            .iter()
            .copied()
            .filter(|&t| base.targets(Group::ChangeScalar).contains(&t) && same_line_entry(base, t))
            .collect();
        self.try_targets(&targets, 6, |g, t| {
            let a = g.make(Group::RequoteKey, t, side)?;
            let b = g.make(Group::ChangeScalar, t, 1 - side)?;
            g.keep_clean(a, b)
        })
    }

    fn flow_items(&mut self) -> Featured {
        let base = self.base;
        let colls: Vec<Target> = base
            .sites
            .iter()
            .filter(|s| {
                let n = base.tree.node(s.node);
                matches!(
                    n.kind,
                    yamerge::syntax::NodeKind::FlowSeq | yamerge::syntax::NodeKind::FlowMap
                ) && n.entry_count >= 2
                    && base.line_of(n.start as usize) == base.line_of(n.end as usize - 1)
            })
            .map(|s| Target::Node(s.node))
            .collect();
        self.try_targets(&colls, 4, |g, coll| {
            let Target::Node(c) = coll else { return None };
            let a = g.flow_edit(c, CURRENT)?;
            let b = g.flow_edit(c, INCOMING)?;
            // Two removals of equal neighbours give one text: nothing
            // tells them apart, in a merge or anywhere.
            let same_text = apply_text(&base.text, &[&a]) == apply_text(&base.text, &[&b]);
            (!a.same_place(&b) && !same_text)
                .then(|| g.keep_clean(a, b))
                .flatten()
        })
    }

    /// A random add, remove or change in the flow collection `coll`.
    fn flow_edit(&mut self, coll: yamerge::syntax::NodeId, side: usize) -> Option<Edit> {
        let base = self.base;
        let group = *crate::generate::pick(
            self.rng,
            &[Group::FlowAdd, Group::FlowRemove, Group::FlowChange],
        );
        let targets: Vec<Target> = base
            .targets(group)
            .iter()
            .copied()
            .filter(|t| match *t {
                Target::Slot(c, _) => c == coll,
                Target::Node(n) => base.site(n).parent == Some(coll),
                Target::Line(_) | Target::Document(_) => false,
            })
            .collect();
        let t = self.pick(&targets)?;
        self.make(group, t, side)
    }

    fn same_place(&mut self) -> Featured {
        let base = self.base;
        let mut spots: Vec<(Group, Target)> = base
            .targets(Group::InsertItem)
            .iter()
            .map(|&t| (Group::InsertItem, t))
            .collect();
        spots.extend(
            base.targets(Group::FlowAdd)
                .iter()
                .filter(|t| {
                    matches!(t, Target::Slot(c, _)
                        if !base.tree.node(*c).kind.is_map() && base.tree.node(*c).entry_count > 0)
                })
                .map(|&t| (Group::FlowAdd, t)),
        );
        spots.extend(
            base.targets(Group::InsertDocument)
                .iter()
                .map(|&t| (Group::InsertDocument, t)),
        );
        (0..6).find_map(|_| {
            let (group, t) = self.pick(&spots)?;
            let a = self.make(group, t, CURRENT)?;
            let b = self.make(group, t, INCOMING)?;
            a.same_place(&b).then(|| self.keep(a, b)).flatten()
        })
    }

    fn same_scalar(&mut self) -> Featured {
        let base = self.base;
        let mut targets = base.targets(Group::ChangeScalar).to_vec();
        targets.extend_from_slice(base.targets(Group::FlowChange));
        self.try_targets(&targets, 6, |g, t| {
            let a = g.make(Group::ChangeScalar, t, CURRENT)?;
            let b = g.make(Group::ChangeScalar, t, INCOMING)?;
            (a.text != b.text).then(|| g.keep(a, b)).flatten()
        })
    }

    fn type_vs_edit(&mut self, side: usize) -> Featured {
        let targets = self.base.targets(Group::ChangeType).to_vec();
        self.try_targets(&targets, 6, |g, t| {
            let a = g.make(Group::ChangeType, t, side)?;
            let b = g.make(Group::ChangeScalar, t, 1 - side)?;
            g.keep(a, b)
        })
    }

    fn remove_vs_edit(&mut self, remover: usize) -> Featured {
        let base = self.base;
        let mut keys: Vec<(Group, Target)> = base
            .targets(Group::RemoveKey)
            .iter()
            .map(|&t| (Group::RemoveKey, t))
            .collect();
        keys.extend(
            base.targets(Group::RemoveDocument)
                .iter()
                .map(|&t| (Group::RemoveDocument, t)),
        );
        (0..6).find_map(|_| {
            let (group, t) = self.pick(&keys)?;
            let g = &mut *self;
            let a = g.make(group, t, remover)?;
            let inside = edits_inside(base, &a.claim);
            let (group, target) = g.pick(&inside)?;
            let b = g.make(group, target, 1 - remover)?;
            a.removes_claim_of(&b).then(|| g.keep(a, b)).flatten()
        })
    }

    /// One to three more edits per side for a disjoint triple, up to two
    /// for the others, each compatible with all edits so far.
    fn extras(&mut self, pair: Pair) {
        for side in [CURRENT, INCOMING] {
            let want = if pair == Pair::Disjoint {
                1 + self.rng.below(3)
            } else {
                self.rng.below(3)
            };
            let mut made = 0;
            for _ in 0..want * 4 {
                if made == want {
                    break;
                }
                if let Some(e) = self.random_edit(side).filter(|e| self.compatible(e)) {
                    self.edits.push(e);
                    made += 1;
                }
            }
        }
    }

    fn random_edit(&mut self, side: usize) -> Option<Edit> {
        let base = self.base;
        let groups: Vec<(Group, usize)> = Group::WEIGHTED
            .iter()
            .copied()
            .filter(|&(g, _)| !base.targets(g).is_empty())
            .collect();
        if groups.is_empty() {
            return None;
        }
        let group = weighted(self.rng, &groups);
        let t = self.pick(base.targets(group))?;
        self.make(group, t, side)
    }

    /// `e` touches no bytes, node or (for the other side) line any edit so
    /// far touches, and leaves every mapping a key.
    fn compatible(&self, e: &Edit) -> bool {
        let lines = e.lines(self.base);
        let apart = self.edits.iter().all(|f| {
            let other_lines = f.lines(self.base);
            let shared_line = lines.start < other_lines.end && other_lines.start < lines.end;
            !e.overlaps_text(f)
                && !e.removes_claim_of(f)
                && !f.removes_claim_of(e)
                && (e.side == f.side || !shared_line)
        });
        apart && self.keeps_a_key(e)
    }

    /// Removing `e`'s key still leaves its mapping a key, whatever the
    /// other removals of this triple.
    fn keeps_a_key(&self, e: &Edit) -> bool {
        let Effect::Remove { at } = &e.effect else {
            return true;
        };
        let parent = &at[..at.len() - 1];
        let removed = self
            .edits
            .iter()
            .filter(|f| matches!(&f.effect, Effect::Remove { at } if &at[..at.len() - 1] == parent))
            .count();
        let entries = self.base.data_at(parent).map_or(0, |n| match &n.value {
            data::Value::Map(m) => m.len(),
            data::Value::Seq(s) => s.len() + 1,
            data::Value::Leaf(_) => 0,
        });
        removed + 1 < entries
    }
}

/// The key and the value of the entry `t` (a value node) start on one line.
fn same_line_entry(base: &Base, t: Target) -> bool {
    let Target::Node(n) = t else { return false };
    base.site(n)
        .key
        .is_some_and(|k| base.line_of(base.span(k).start) == base.line_of(base.span(n).start))
}

/// The data edits whose node lies inside `range`: scalars changed, and
/// insertions into collections.
fn edits_inside(base: &Base, range: &std::ops::Range<usize>) -> Vec<(Group, Target)> {
    let groups = [
        Group::ChangeScalar,
        Group::FlowChange,
        Group::InsertKey,
        Group::InsertItem,
        Group::FlowAdd,
    ];
    let inside = |t: &Target| {
        let node = match *t {
            Target::Node(n) | Target::Slot(n, _) => n,
            Target::Line(_) | Target::Document(_) => return false,
        };
        let s = base.span(node);
        range.start <= s.start && s.end <= range.end
    };
    groups
        .iter()
        .flat_map(|&g| {
            base.targets(g)
                .iter()
                .filter(|t| inside(t))
                .map(move |&t| (g, t))
        })
        .collect()
}
