//! How a flow collection is written: its items and the text between them
//! (the blanks after its opening bracket, the separators, the blanks and
//! the trailing comma before its closing bracket), whether it is plain
//! enough to merge item by item (no comment, anchor or tag, one comma
//! between items), and its merged items written back in the layout's
//! spelling: each item after the separator that preceded it in the
//! layout, or that followed its predecessor there, else the layout's most
//! common separator (on a flow of one item, another version's, or a comma
//! and the line break after the opening bracket).

use super::Side;
use super::engine::{Cols, Engine, Range};
use crate::matching::Child;
use crate::syntax::{NodeId, NodeKind};

/// One version's flow collection: its items and the offsets just inside
/// its brackets.
pub(super) struct Flow {
    pub(super) node: NodeId,
    pub(super) kids: Vec<Child>,
    /// After the opening bracket.
    pub(super) open: u32,
    /// At the closing bracket.
    pub(super) close: u32,
}

/// A merged item's text: the same in every version of the result, or
/// (holding a conflict) one per version, indexed by `Side`.
#[derive(Debug, Clone)]
pub(super) enum Texts {
    One(String),
    Three([String; 3]),
}

impl Texts {
    pub(super) fn get(&self, side: Side) -> &str {
        match self {
            Texts::One(t) => t,
            Texts::Three(v) => &v[side.index()],
        }
    }
}

/// An item of the merged flow, with its index among the layout's items
/// (its separators are the layout's there).
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub(super) text: Texts,
    pub(super) at: Option<usize>,
}

/// A stretch of the merged flow: one item, or the items of a conflict in
/// each version (indexed by `Side`; base's as base has them).
#[derive(Debug, Clone)]
pub(super) enum Run {
    Item(Item),
    Split([Vec<Item>; 3]),
}

/// How the layout writes the inside of its flow.
pub(super) struct Spelling {
    /// Between the opening bracket and the first item.
    lead: String,
    /// `seps[j]`: between item `j - 1` and item `j` (`seps[0]` unused).
    seps: Vec<String>,
    /// Between the last item and the closing bracket.
    tail: String,
    /// For items with no layout neighbour to copy from.
    default_sep: String,
}

impl Spelling {
    /// The separator before an item at layout index `cur`, after one at
    /// `prev`: the one before it in the layout, else the one after its
    /// predecessor there, else the usual one.
    fn sep(&self, prev: Option<usize>, cur: Option<usize>) -> &str {
        match (prev, cur) {
            (_, Some(j)) if j > 0 && j < self.seps.len() => &self.seps[j],
            (Some(i), _) if i + 1 < self.seps.len() => &self.seps[i + 1],
            _ => &self.default_sep,
        }
    }

    /// The flow's text in one version of the result.
    pub(super) fn render(&self, [prefix, suffix]: [&str; 2], runs: &[Run], v: Side) -> String {
        let mut out = String::from(prefix);
        out.push_str(&self.lead);
        let mut prev: Option<Option<usize>> = None;
        let items = runs.iter().flat_map(|r| match r {
            Run::Item(i) => std::slice::from_ref(i),
            Run::Split(s) => s[v.index()].as_slice(),
        });
        for item in items {
            if let Some(p) = prev {
                out.push_str(self.sep(p, item.at));
            }
            out.push_str(item.text.get(v));
            prev = Some(item.at);
        }
        out.push_str(&self.tail);
        out.push_str(suffix);
        out
    }
}

impl<'t> Engine<'t> {
    /// One version's flow collection, when its brackets are where the node
    /// says, it has no anchor or tag, and only blanks and one comma each
    /// separate its items (no comment, no `?`).
    pub(super) fn flow(&self, side: Side, node: NodeId) -> Option<Flow> {
        let tree = self.tree(side);
        let n = tree.node(node);
        let src = tree.source().as_bytes();
        let brackets = match n.kind {
            NodeKind::FlowSeq => (b'[', b']'),
            NodeKind::FlowMap => (b'{', b'}'),
            _ => return None,
        };
        let (start, end) = (n.start as usize, n.end as usize);
        if n.has_properties
            || end < start + 2
            || src[start] != brackets.0
            || src[end - 1] != brackets.1
        {
            return None;
        }
        let f = Flow {
            node,
            kids: crate::matching::children(tree, node),
            open: n.start + 1,
            close: n.end - 1,
        };
        let gaps = gaps(&f);
        let last = gaps.len() - 1;
        let clean = gaps.iter().enumerate().all(|(k, &(s, e))| {
            let text = &src[s as usize..e as usize];
            let commas = text.iter().filter(|&&b| b == b',').count();
            // One comma between items; a trailing one may end them.
            let fits = match k {
                0 => commas == 0,
                k if k == last => commas <= 1,
                _ => commas == 1,
            };
            fits && text.iter().all(|b| b" \t\r\n,".contains(b))
        });
        clean.then_some(f)
    }

    /// The layout's spelling of its flow. `None` for an empty flow written
    /// on several lines (no line of an item to copy).
    pub(super) fn spelling(
        &self,
        f: &Flow,
        others: [(Side, &Flow); 2],
        cols: &Cols,
    ) -> Option<Spelling> {
        let text = |r: Range| self.text(self.layout, r).to_string();
        let gaps: Vec<String> = gaps(f).into_iter().map(text).collect();
        let n = gaps.len() - 1;
        let mut seps = vec![String::new()];
        seps.extend(gaps.get(1..n).unwrap_or_default().iter().cloned());
        let (lead, tail) = (gaps[0].clone(), gaps[n].clone());
        if f.kids.is_empty() && lead.contains('\n') {
            return None;
        }
        let default_sep = match most_common(&seps[1..]) {
            Some(s) => s.to_string(),
            None => self.borrowed_sep(&lead, others, cols),
        };
        Some(Spelling {
            lead,
            seps,
            tail,
            default_sep,
        })
    }

    /// The separator for a layout flow with fewer than two items: another
    /// version's, written on one line or over lines as the layout's flow
    /// is; else a comma and a blank, or a comma and the line break after
    /// the layout's opening bracket.
    fn borrowed_sep(&self, lead: &str, others: [(Side, &Flow); 2], cols: &Cols) -> String {
        let multi_line = lead.contains('\n');
        let to = cols[self.layout.index()];
        let borrowed = others.into_iter().find_map(|(s, f)| {
            let gaps = gaps(f);
            let sep = gaps.get(1..gaps.len() - 1)?.last()?;
            let sep = shift_gap(self.text(s, *sep), cols[s.index()], to);
            (sep.contains('\n') == multi_line).then_some(sep)
        });
        if let Some(sep) = borrowed {
            return sep;
        }
        match lead.rfind('\n') {
            Some(at) => {
                let at = if lead[..at].ends_with('\r') {
                    at - 1
                } else {
                    at
                };
                format!(",{}", &lead[at..])
            }
            None => ", ".into(),
        }
    }

    /// Whether `y` spells the inside of its flow differently from `x`: the
    /// blanks after the opening or before the closing bracket, or the set of
    /// separators (when both have any), indentation counted from each
    /// version's column.
    pub(super) fn respelled(
        &self,
        (sx, x): (Side, &Flow),
        (sy, y): (Side, &Flow),
        cols: &Cols,
    ) -> bool {
        let shape = |s: Side, f: &Flow| {
            let gaps: Vec<String> = gaps(f)
                .into_iter()
                .map(|r| shift_gap(self.text(s, r), cols[s.index()], 0))
                .collect();
            let n = gaps.len() - 1;
            let mut seps: Vec<String> = gaps.get(1..n).unwrap_or_default().to_vec();
            seps.sort();
            seps.dedup();
            (gaps[0].clone(), seps, gaps[n].clone())
        };
        let (a, b) = (shape(sx, x), shape(sy, y));
        a.0 != b.0 || a.2 != b.2 || (!a.1.is_empty() && !b.1.is_empty() && a.1 != b.1)
    }
}

/// The stretches between a flow's brackets and items: before the first
/// item, between each two, after the last (one stretch when it is empty).
fn gaps(f: &Flow) -> Vec<Range> {
    let mut at = f.open;
    let mut out = Vec::with_capacity(f.kids.len() + 1);
    for k in &f.kids {
        out.push((at, k.body.max(at)));
        at = k.end.max(at);
    }
    out.push((at, f.close.max(at)));
    out
}

/// A gap's text with the indentation of each line after a line break
/// moved from column `from` to `to` (so gaps of versions at other columns
/// compare, and one version's gap fits another's column).
fn shift_gap(text: &str, from: u32, to: u32) -> String {
    let (from, to) = (from as usize, to as usize);
    let mut out = String::with_capacity(text.len());
    for (k, line) in text.split_inclusive('\n').enumerate() {
        let spaces = line.bytes().take_while(|&b| b == b' ').count();
        if k > 0 && spaces >= from {
            out.extend(std::iter::repeat_n(' ', to));
            out.push_str(&line[from..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// The separator the layout writes most often (the last of those tied): a
/// blank line or a wrap that only some items have is not the usual one.
fn most_common(seps: &[String]) -> Option<&str> {
    let count = |s: &String| seps.iter().filter(|x| *x == s).count();
    let mut best: Option<(&String, usize)> = None;
    for s in seps {
        let n = count(s);
        if best.is_none_or(|(_, m)| n >= m) {
            best = Some((s, n));
        }
    }
    best.map(|(s, _)| s.as_str())
}
