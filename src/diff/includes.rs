//! Whether a merged version holds every change of both sides: the check a
//! candidate merge must pass before yamerge hands it out (a line merge that
//! git calls clean can still apply an edit to the wrong item, or keep an
//! item one side deleted).
//!
//! The check is on data, walked like the merge walks: at each collection the
//! children of base and both sides are matched by the matcher, the merged
//! version's children are found by name (through the renames either side
//! made) or, for lists matched by position, by data and likeness; then each
//! change of each side is looked up in the merged version. Comments and
//! layout are not looked at: a line merge cannot lose them without a
//! conflict.

use std::collections::{HashMap, HashSet};

use crate::matching::{
    By, Child, Chunk, Kind, Side, Step, Version, children, documents, item_identity, key_text,
    kubernetes_identity, lcs, match_children, occurrences, pair_by_likeness, steps_between_matches,
    steps_by_likeness,
};
use crate::syntax::{NodeId, NodeKind, Tree, same_data};

/// True when `merged` holds every change `current` and `incoming` made to
/// `base`, and keeps nothing either of them deleted.
pub(crate) fn holds_changes(base: &Tree, merged: &Tree, [current, incoming]: [&Tree; 2]) -> bool {
    Pairing::ALL.into_iter().any(|pairing| {
        let check = Check {
            trees: [base, merged, current, incoming],
            pairing,
        };
        let docs = check.trees.map(documents);
        let roots = |k: usize| docs[k].iter().map(|d| d.value).collect::<Vec<_>>();
        let kids = [0, 1, 2, 3].map(|k| {
            Some(Kids {
                children: &docs[k],
                nodes: roots(k),
            })
        });
        check.children(Kind::Stream, kids)
    })
}

/// The same check on one node of each tree: `base` absent where both sides
/// added it, a side's absent where it has no such node.
pub(crate) fn node_holds_changes(
    (base, b): (&Tree, Option<NodeId>),
    (merged, m): (&Tree, NodeId),
    [(current, c), (incoming, i)]: [(&Tree, Option<NodeId>); 2],
) -> bool {
    Pairing::ALL.into_iter().any(|pairing| {
        let check = Check {
            trees: [base, merged, current, incoming],
            pairing,
        };
        check.holds(b, m, [c, i])
    })
}

/// How the unmatched children of a run between two matched ones pair up
/// (an item a side changed is unmatched too). A line merge may have paired
/// them any of these ways; the check approves a merge one of them explains.
#[derive(Debug, Clone, Copy)]
enum Pairing {
    /// The most alike, in order.
    Likeness,
    /// In order from the start of the run.
    Start,
    /// In order from the end of the run.
    End,
}

impl Pairing {
    const ALL: [Pairing; 3] = [Pairing::Likeness, Pairing::Start, Pairing::End];
}

/// Indices into [`Check::trees`].
const BASE: usize = 0;
const MERGED: usize = 1;
const SIDES: [usize; 2] = [2, 3];

struct Check<'t> {
    /// Base, the merged version, current, incoming.
    trees: [&'t Tree; 4],
    pairing: Pairing,
}

/// One version's children of the collection being checked.
struct Kids<'a> {
    children: &'a [Child],
    nodes: Vec<NodeId>,
}

impl Check<'_> {
    fn same(&self, (x, a): (usize, NodeId), (y, b): (usize, NodeId)) -> bool {
        same_data(self.trees[x], a, self.trees[y], b)
    }

    /// One node in base (absent: added), merged, and each side (absent:
    /// deleted there, or never had it).
    fn holds(&self, b: Option<NodeId>, m: NodeId, sides: [Option<NodeId>; 2]) -> bool {
        if b.is_none() && sides.iter().all(Option::is_none) {
            // In the merge alone: invented.
            return false;
        }
        let mut deeper = false;
        for (k, side) in SIDES.into_iter().zip(sides) {
            let Some(s) = side else {
                // A side without it: it deleted what base had, and the merge
                // kept it.
                if b.is_some() {
                    return false;
                }
                continue;
            };
            let unchanged = b.is_some_and(|b| self.same((BASE, b), (k, s)));
            if !(unchanged || self.same((MERGED, m), (k, s))) {
                deeper = true;
            }
        }
        !deeper || self.holds_inside(b, m, sides)
    }

    /// Both versions differ from the merge: the same kind of collection is
    /// checked child by child, a multi-line string line by line.
    fn holds_inside(&self, b: Option<NodeId>, m: NodeId, sides: [Option<NodeId>; 2]) -> bool {
        let kind = |k: usize, n: NodeId| self.trees[k].node(n).kind;
        let present = sides
            .iter()
            .zip(SIDES)
            .filter_map(|(s, k)| Some((k, (*s)?)));
        let kinds: Vec<NodeKind> = present
            .map(|(k, s)| kind(k, s))
            .chain(b.map(|b| kind(BASE, b)))
            .chain([kind(MERGED, m)])
            .collect();
        let all = |f: fn(NodeKind) -> bool| kinds.iter().all(|&k| f(k));
        if all(|k| k.is_collection() && k.is_map()) {
            return self.collection(Kind::Mapping, b, m, sides);
        }
        if all(|k| k.is_collection() && !k.is_map()) {
            return self.collection(Kind::Sequence, b, m, sides);
        }
        if let Some(b) = b
            && self.entries_removed_between_sides(b, m, sides)
        {
            return true;
        }
        match b {
            Some(b) if all(|k| k == NodeKind::Scalar) => {
                let value = |k: usize, n: NodeId| self.trees[k].value(n);
                SIDES.into_iter().zip(sides).all(|(k, s)| {
                    s.is_none_or(|s| lines_hold(value(BASE, b), value(MERGED, m), value(k, s)))
                })
            }
            _ => false,
        }
    }

    /// Whether the merge holds `key:` with nothing below it (null) where
    /// base has a mapping whose entries the sides removed between them:
    /// each side either wrote the same bare `key:` (it removed them all; YAML
    /// reads that as null, not as an empty mapping) or only removed entries,
    /// changing none. Git's line merge gives exactly that; nothing either
    /// side did is lost.
    fn entries_removed_between_sides(
        &self,
        b: NodeId,
        m: NodeId,
        sides: [Option<NodeId>; 2],
    ) -> bool {
        let bare_null = |k: usize, n: NodeId| {
            let node = self.trees[k].node(n);
            node.kind == NodeKind::Scalar && node.start == node.end && !node.has_properties
        };
        let base = self.trees[BASE].node(b);
        if !(base.kind.is_collection() && base.kind.is_map() && bare_null(MERGED, m)) {
            return false;
        }
        let only_removed = |k: usize, n: NodeId| {
            let node = self.trees[k].node(n);
            node.kind.is_collection()
                && node.kind.is_map()
                && self.trees[k].entries(n).iter().all(|e| {
                    self.trees[BASE].entries(b).iter().any(|x| {
                        self.same((BASE, x.key), (k, e.key))
                            && self.same((BASE, x.value), (k, e.value))
                    })
                })
        };
        SIDES
            .into_iter()
            .zip(sides)
            .all(|(k, s)| s.is_some_and(|s| bare_null(k, s) || only_removed(k, s)))
    }

    fn collection(
        &self,
        kind: Kind,
        b: Option<NodeId>,
        m: NodeId,
        sides: [Option<NodeId>; 2],
    ) -> bool {
        let nodes = [b, Some(m), sides[0], sides[1]];
        let children: Vec<Option<Vec<Child>>> = (0..4)
            .map(|k| nodes[k].map(|n| children(self.trees[k], n)))
            .collect();
        let kids: [Option<Kids>; 4] = [0, 1, 2, 3].map(|k| {
            let c = children[k].as_deref()?;
            Some(Kids {
                children: c,
                nodes: c.iter().map(|c| c.value).collect(),
            })
        });
        self.children(kind, kids)
    }

    /// The children of one collection in the four versions.
    fn children(&self, kind: Kind, kids: [Option<Kids>; 4]) -> bool {
        let Some(merged) = &kids[MERGED] else {
            return false;
        };
        let version = |k: usize| {
            kids[k].as_ref().map(|x| Version {
                tree: self.trees[k],
                children: x.children,
            })
        };
        let m = match_children(kind, [version(BASE), version(SIDES[0]), version(SIDES[1])]);
        let nodes = |k: usize| kids[k].as_ref().map_or(&[][..], |x| &x.nodes[..]);
        if m.by == By::Position {
            return self.positional([nodes(BASE), &merged.nodes, nodes(SIDES[0]), nodes(SIDES[1])]);
        }
        let all = [nodes(BASE), &merged.nodes, nodes(SIDES[0]), nodes(SIDES[1])];
        let children = [0, 1, 2, 3].map(|k| kids[k].as_ref().map_or(&[][..], |x| x.children));
        self.keyed(&m, all, children)
    }

    /// Children matched by name. The merged version's children take the
    /// name of what they came from: their own, or the base name a side gave
    /// its renamed child, or that of the most alike base child left over. A
    /// key the merged version holds more often than every other version is
    /// one the merge made up.
    fn keyed(
        &self,
        m: &crate::matching::Matched,
        nodes: [&[NodeId]; 4],
        children: [&[Child]; 4],
    ) -> bool {
        let names =
            |side: Side| -> Vec<String> { m.names(side).iter().map(|n| n.to_string()).collect() };
        let (nb, nc, ni) = (
            names(Side::Base),
            names(Side::Current),
            names(Side::Incoming),
        );
        if m.occurrences() {
            // A version repeats a key: the merged version's occurrences are
            // named after each version's in turn (a line merge takes each
            // stretch of lines from one of them).
            let merged = occurrences::Entries {
                tree: self.trees[MERGED],
                children: children[MERGED],
            };
            return [
                (BASE, Side::Base),
                (SIDES[0], Side::Current),
                (SIDES[1], Side::Incoming),
            ]
            .into_iter()
            .any(|(k, side)| {
                let like = occurrences::Entries {
                    tree: self.trees[k],
                    children: children[k],
                };
                let nm = occurrences::name_after(Some((like, m.names(side))), merged).names;
                self.keyed_by(nodes, [&nb, &nm, &nc, &ni])
            });
        }
        let nm = self.merged_names(
            m.by,
            &nb,
            [(&nc, nodes[2]), (&ni, nodes[3])],
            (nodes, children[MERGED]),
        );
        let mut seen = HashSet::with_capacity(nm.len());
        if m.by == By::Key && !nm.iter().all(|n| seen.insert(n)) {
            // A key no version repeats, held twice (both sides added it,
            // at two places).
            return false;
        }
        self.keyed_by(nodes, [&nb, &nm, &nc, &ni])
    }

    /// Each name's child in base, merged, current and incoming (by the
    /// names of each version's children), checked like one node.
    fn keyed_by(&self, nodes: [&[NodeId]; 4], [nb, nm, nc, ni]: [&Vec<String>; 4]) -> bool {
        let index = |v: &[String]| -> HashMap<String, usize> {
            v.iter().enumerate().map(|(i, n)| (n.clone(), i)).collect()
        };
        let indices = [index(nb), index(nm), index(nc), index(ni)];
        let mut all_names: Vec<&String> = nb.iter().chain(nc).chain(ni).chain(nm).collect();
        all_names.sort();
        all_names.dedup();
        all_names.into_iter().all(|name| {
            let at = |k: usize| indices[k].get(name).map(|&i| nodes[k][i]);
            let (b, sides) = (at(BASE), [at(SIDES[0]), at(SIDES[1])]);
            match at(MERGED) {
                Some(mn) => self.holds(b, mn, sides),
                // Gone from the merge: fine where no side has a version of
                // it that differs from base's (added or changed).
                None => SIDES.into_iter().zip(sides).all(|(k, s)| {
                    s.is_none_or(|s| b.is_some_and(|b| self.same((BASE, b), (k, s))))
                }),
            }
        })
    }

    /// The names of the merged version's children (see [`Self::keyed`]).
    fn merged_names(
        &self,
        by: By,
        base: &[String],
        sides: [(&Vec<String>, &[NodeId]); 2],
        (nodes, merged): ([&[NodeId]; 4], &[Child]),
    ) -> Vec<String> {
        let own = |k: usize, n: NodeId| -> String {
            let t = self.trees[k];
            match by {
                By::Field(field) => item_identity(t, n, field).unwrap_or_default().to_string(),
                By::Kubernetes => kubernetes_identity(t, n).unwrap_or_default(),
                By::Key | By::Position => String::new(),
            }
        };
        let mut renamed: HashMap<String, String> = HashMap::new();
        for (k, (names, side_nodes)) in SIDES.into_iter().zip(sides) {
            for (name, &n) in names.iter().zip(side_nodes) {
                let raw = own(k, n);
                if by != By::Key && raw != *name {
                    renamed.insert(raw, name.clone());
                }
            }
        }
        let mut out: Vec<String> = merged
            .iter()
            .map(|c| match by {
                By::Key => key_text(self.trees[MERGED], c.key).into_owned(),
                _ => {
                    let raw = own(MERGED, c.value);
                    renamed.get(&raw).cloned().unwrap_or(raw)
                }
            })
            .collect();
        if by != By::Key {
            let [(current, _), (incoming, _)] = sides;
            self.pair_leftovers([base, current, incoming], nodes, &mut out);
        }
        out
    }

    /// Merged children with a name no version has take the name of the
    /// most alike base child the merge lacks by name, in order: renamed by
    /// one side and edited by the other, a child can be too unlike its base
    /// version for either side's rename to say so. (A child a side added
    /// keeps its name.)
    fn pair_leftovers(
        &self,
        [base, current, incoming]: [&[String]; 3],
        nodes: [&[NodeId]; 4],
        merged: &mut [String],
    ) {
        let in_merged: std::collections::HashSet<&String> = merged.iter().collect();
        let gone: Vec<usize> = (0..base.len())
            .filter(|&i| !in_merged.contains(&base[i]))
            .collect();
        let known: std::collections::HashSet<&String> =
            base.iter().chain(current).chain(incoming).collect();
        let new: Vec<usize> = (0..merged.len())
            .filter(|&j| !known.contains(&merged[j]))
            .collect();
        let likeness = |x: usize, y: usize| {
            likeness(
                (self.trees[BASE], nodes[BASE][gone[x]]),
                (self.trees[MERGED], nodes[MERGED][new[y]]),
            )
        };
        for step in pair_by_likeness(0..gone.len(), 0..new.len(), &likeness) {
            if let Step::Both(x, y) = step {
                merged[new[y]] = base[gone[x]].clone();
            }
        }
    }

    /// The steps of an alignment of base's children (`from_base`) with
    /// `side_len` children, the runs between matches paired the check's way.
    fn steps(
        &self,
        from_base: &[Option<usize>],
        side_len: usize,
        likeness: impl Fn(usize, usize) -> f32,
    ) -> Vec<Step> {
        match self.pairing {
            Pairing::Likeness => steps_by_likeness(from_base, side_len, likeness),
            Pairing::Start => {
                steps_between_matches(from_base, side_len, |b, s| in_order(b, s, false))
            }
            Pairing::End => steps_between_matches(from_base, side_len, |b, s| in_order(b, s, true)),
        }
    }

    /// Children matched by position: each base child with its counterpart
    /// in every version (by data, or the most alike between two matches),
    /// checked like one node; what a side added is in the merge as it is.
    fn positional(&self, nodes: [&[NodeId]; 4]) -> bool {
        let data = |k: usize| -> Vec<u64> {
            nodes[k]
                .iter()
                .map(|&n| self.trees[k].node(n).data)
                .collect()
        };
        let d: [Vec<u64>; 4] = [0, 1, 2, 3].map(data);
        let mut claimed = vec![false; nodes[MERGED].len()];
        // What each side added, found in the merge by data.
        let mut added_ok = true;
        let mut counterpart: [Vec<Option<usize>>; 4] = Default::default();
        for k in SIDES {
            let likeness = |x: usize, y: usize| {
                likeness(
                    (self.trees[BASE], nodes[BASE][x]),
                    (self.trees[k], nodes[k][y]),
                )
            };
            let steps = self.steps(&lcs::matches(&d[BASE], &d[k]), nodes[k].len(), likeness);
            let in_merged = lcs::matches(&d[k], &d[MERGED]);
            counterpart[k] = vec![None; nodes[BASE].len()];
            for step in steps {
                match step {
                    Step::Both(bi, x) => counterpart[k][bi] = Some(x),
                    Step::Added(x) => match in_merged[x] {
                        Some(j) if self.same((k, nodes[k][x]), (MERGED, nodes[MERGED][j])) => {
                            claimed[j] = true
                        }
                        _ => added_ok = false,
                    },
                    Step::Removed(_) => {}
                }
            }
        }
        if !added_ok {
            return false;
        }
        // Base children's counterparts in the merge, among what no side's
        // addition claimed.
        let free: Vec<usize> = (0..nodes[MERGED].len()).filter(|&j| !claimed[j]).collect();
        let free_data: Vec<u64> = free.iter().map(|&j| d[MERGED][j]).collect();
        let likeness = |x: usize, y: usize| {
            likeness(
                (self.trees[BASE], nodes[BASE][x]),
                (self.trees[MERGED], nodes[MERGED][free[y]]),
            )
        };
        let mut in_merged = vec![None; nodes[BASE].len()];
        for step in self.steps(&lcs::matches(&d[BASE], &free_data), free.len(), likeness) {
            if let Step::Both(bi, y) = step {
                in_merged[bi] = Some(free[y]);
            }
        }
        (0..nodes[BASE].len()).all(|bi| {
            let b = nodes[BASE][bi];
            let sides = SIDES.map(|k| counterpart[k][bi].map(|x| nodes[k][x]));
            match in_merged[bi] {
                Some(j) => self.holds(Some(b), nodes[MERGED][j], sides),
                None => SIDES
                    .into_iter()
                    .zip(sides)
                    .all(|(k, s)| s.is_none_or(|s| self.same((BASE, b), (k, s)))),
            }
        })
    }
}

/// The steps of one run paired in order, from its start or from its end.
fn in_order(b: std::ops::Range<usize>, s: std::ops::Range<usize>, from_end: bool) -> Vec<Step> {
    let paired = b.len().min(s.len());
    let (skip_b, skip_s) = if from_end {
        (b.len() - paired, s.len() - paired)
    } else {
        (0, 0)
    };
    let mut out: Vec<Step> = (b.start..b.start + skip_b).map(Step::Removed).collect();
    out.extend((s.start..s.start + skip_s).map(Step::Added));
    out.extend((0..paired).map(|k| Step::Both(b.start + skip_b + k, s.start + skip_s + k)));
    out.extend((b.start + skip_b + paired..b.end).map(Step::Removed));
    out.extend((s.start + skip_s + paired..s.end).map(Step::Added));
    out
}

/// How alike two nodes are: the share of lines their texts have in common
/// (indentation and line breaks aside: a version can move a whole block,
/// and a node's last line has no line break).
fn likeness((ta, a): (&Tree, NodeId), (tb, b): (&Tree, NodeId)) -> f32 {
    fn lines(t: &Tree, n: NodeId) -> Vec<&str> {
        let node = t.node(n);
        t.slice(node.start, node.end.max(node.start))
            .lines()
            .map(str::trim)
            .collect()
    }
    similar::TextDiff::from_slices(&lines(ta, a), &lines(tb, b)).ratio()
}

/// Whether the lines `side` changed in a string are the merge's lines there.
fn lines_hold(base: &str, merged: &str, side: &str) -> bool {
    fn lines(s: &str) -> Vec<&str> {
        s.split_inclusive('\n').collect()
    }
    let (b, m, s) = (lines(base), lines(merged), lines(side));
    crate::matching::diff3(&b, &m, &s)
        .into_iter()
        .all(|chunk| match chunk {
            Chunk::Stable { .. } => true,
            Chunk::Unstable {
                base,
                first,
                second,
            } => b[base] == s[second.clone()] || m[first] == s[second],
        })
}
