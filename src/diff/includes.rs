//! Whether a merged version holds every change one side made: the check a
//! candidate merge must pass before yamerge hands it out (a line merge that
//! git would call clean can still apply a change to the wrong item).
//!
//! The check is on data, walked like the merge walks: children matched by
//! the matcher (base, the candidate, the side), each change of the side
//! looked up in the candidate. It never looks at comments or layout: a line
//! merge cannot lose those without a conflict.

use crate::matching::{By, Chunk, Kind, Side, Version, children, documents, match_children};
use crate::syntax::{NodeId, NodeKind, Tree, same_data};

/// The three trees being checked: base, the candidate merge, and the side
/// whose changes it must hold.
#[derive(Clone, Copy)]
struct Check<'t> {
    base: &'t Tree,
    merged: &'t Tree,
    side: &'t Tree,
}

/// True when `merged` holds every change `side` made to `base`: wherever
/// the side's data differs from base's, the merged data is the side's (or,
/// inside collections and multi-line strings, holds each of its changes).
pub(crate) fn holds_changes(base: &Tree, merged: &Tree, side: &Tree) -> bool {
    let c = Check { base, merged, side };
    let docs = [base, merged, side].map(documents);
    let version = |tree, children| {
        Some(Version {
            tree,
            node: None,
            children,
        })
    };
    let Ok(m) = match_children(
        Kind::Stream,
        [
            version(base, &docs[0]),
            version(merged, &docs[1]),
            version(side, &docs[2]),
        ],
    ) else {
        return false;
    };
    let roots = |k: usize| docs[k].iter().map(|d| d.value).collect::<Vec<_>>();
    c.children(&m, [roots(0), roots(1), roots(2)])
}

/// The same check on one node of each tree (`b` absent when the side and
/// the merge both added it).
pub(crate) fn node_holds_changes(
    (base, b): (&Tree, Option<NodeId>),
    (merged, m): (&Tree, NodeId),
    (side, s): (&Tree, NodeId),
) -> bool {
    Check { base, merged, side }.holds(b, m, s)
}

impl Check<'_> {
    fn holds(&self, b: Option<NodeId>, m: NodeId, s: NodeId) -> bool {
        let (tb, tm, ts) = (self.base, self.merged, self.side);
        if b.is_some_and(|b| same_data(tb, b, ts, s)) || same_data(tm, m, ts, s) {
            // The side left it alone, or the merge has the side's version.
            return true;
        }
        let kind = |t: &Tree, n: NodeId| t.node(n).kind;
        let (km, ks) = (kind(tm, m), kind(ts, s));
        let kb = b.map(|b| kind(tb, b));
        let all = |f: fn(NodeKind) -> bool| f(km) && f(ks) && kb.is_none_or(f);
        if all(|k| k.is_collection() && k.is_map()) {
            return self.collection(Kind::Mapping, b, m, s);
        }
        if all(|k| k.is_collection() && !k.is_map()) {
            return self.collection(Kind::Sequence, b, m, s);
        }
        // Two versions of a multi-line string: each line the side changed
        // is in the merge.
        match b {
            Some(b) if all(|k| k == NodeKind::Scalar) => {
                lines_hold(tb.value(b), tm.value(m), ts.value(s))
            }
            _ => false,
        }
    }

    fn collection(&self, kind: Kind, b: Option<NodeId>, m: NodeId, s: NodeId) -> bool {
        let kids = |t: &Tree, n: NodeId| children(t, n);
        let kb = b.map(|b| kids(self.base, b));
        let (km, ks) = (kids(self.merged, m), kids(self.side, s));
        let version = |tree, node, children| {
            Some(Version {
                tree,
                node: Some(node),
                children,
            })
        };
        let versions = [
            b.zip(kb.as_deref())
                .and_then(|(b, k)| version(self.base, b, k)),
            version(self.merged, m, &km),
            version(self.side, s, &ks),
        ];
        let Ok(matched) = match_children(kind, versions) else {
            return false;
        };
        let values = |k: &[crate::matching::Child]| k.iter().map(|c| c.value).collect::<Vec<_>>();
        let vb = kb.as_deref().map(values).unwrap_or_default();
        self.children(&matched, [vb, values(&km), values(&ks)])
    }

    /// Checks the matched children (values of base, the merge, the side).
    fn children(&self, m: &crate::matching::Matched, [b, mm, s]: [Vec<NodeId>; 3]) -> bool {
        if m.by == By::Position {
            return self.positional(m, [&b, &mm, &s]);
        }
        let index = |side: Side| -> std::collections::HashMap<&str, usize> {
            m.names(side)
                .iter()
                .enumerate()
                .map(|(i, n)| (n.as_ref(), i))
                .collect()
        };
        let (ib, im, is) = (
            index(Side::Base),
            index(Side::Current),
            index(Side::Incoming),
        );
        let side_ok = m.names(Side::Incoming).iter().enumerate().all(|(k, name)| {
            let base = ib.get(name.as_ref()).map(|&i| b[i]);
            match (base, im.get(name.as_ref())) {
                (base, Some(&j)) => self.holds(base, mm[j], s[k]),
                // The merge dropped it: fine only where the side left it as
                // base had it (the other side deleted it).
                (Some(bn), None) => same_data(self.base, bn, self.side, s[k]),
                (None, None) => false,
            }
        });
        // What the side deleted is gone from the merge, or the merge's
        // version is not base's (the other side changed it: a merge that
        // kept it would be a conflict, which this check does not approve).
        let deletions_ok = m
            .names(Side::Base)
            .iter()
            .all(|name| is.contains_key(name.as_ref()) || !im.contains_key(name.as_ref()));
        side_ok && deletions_ok
    }

    /// Children aligned by data: every run the side changed is the merge's
    /// run too, or, with runs equally long, holds its changes item by item.
    fn positional(&self, m: &crate::matching::Matched, [b, mm, s]: [&[NodeId]; 3]) -> bool {
        let lens = [b.len(), mm.len(), s.len()];
        m.chunks([Side::Current, Side::Incoming], lens)
            .into_iter()
            .all(|chunk| {
                let Some((rb, rm, rs)) = chunk.unstable() else {
                    return true;
                };
                let same_run = |t1: &Tree, x: &[NodeId], t2: &Tree, y: &[NodeId]| {
                    x.len() == y.len() && x.iter().zip(y).all(|(&p, &q)| same_data(t1, p, t2, q))
                };
                let (xb, xm, xs) = (&b[rb], &mm[rm], &s[rs]);
                if same_run(self.base, xb, self.side, xs)
                    || same_run(self.merged, xm, self.side, xs)
                {
                    return true;
                }
                xb.len() == xs.len()
                    && xm.len() == xs.len()
                    && (0..xs.len()).all(|k| self.holds(Some(xb[k]), xm[k], xs[k]))
            })
    }
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
