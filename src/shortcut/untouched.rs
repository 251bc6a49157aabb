//! The untouched runs, checked as the full path would check them (each is
//! the same in all three versions, so once): valid YAML 1.2 (not read the
//! lenient way) without aliases or repeated keys, no deeper than the parser
//! allows where it sits, and a whole number of entries at its column (or of
//! documents) that ends with its last line and starts with lines the
//! renderer leaves alone. Each also
//! says what the merge would match its entries by (keys, or Kubernetes
//! identities of documents), how far its last entry reaches and whether it
//! ends with a block scalar. The quick check answers for most text; the
//! rest is parsed.

use std::borrow::Cow;

use super::lines::Lines;
use super::quick;
use super::reach::{Reach, block_ending, inert_start, reach_of};
use super::runs::Run;
use crate::matching::{key_text, kubernetes_identity, repeats_a_key};
use crate::syntax::{self, MAX_DEPTH, NodeId, NodeKind, Tree};

/// What an untouched run holds.
pub(super) struct Untouched<'a> {
    /// The names of its entries (or documents), as the merge matches them.
    pub names: Vec<Cow<'a, str>>,
    /// How far its last entry reaches (nothing, for documents).
    pub reach: Reach,
    /// The header indentation of the block scalar it ends with, if any.
    pub ending: Option<usize>,
}

/// Checks a run of entries of a block mapping.
pub(super) fn entries<'a>(base: &Lines<'a>, run: &Run) -> Option<Untouched<'a>> {
    let text = base.slice(&run.lines[0]);
    if !inert_start(text, run.col) {
        return None;
    }
    if let Some(q) = quick::check(base, run.lines[0].clone(), run.col, run.level) {
        return Some(Untouched {
            names: q.keys.into_iter().map(Cow::Borrowed).collect(),
            reach: q.reach,
            ending: q.ending,
        });
    }
    let tree = parse_whole(text)?;
    let [doc] = tree.documents() else {
        return None;
    };
    let root = tree.node(doc.root);
    if root.kind != NodeKind::BlockMap
        || root.col as usize != run.col
        || depth(&tree, doc.root) + run.level as usize > MAX_DEPTH
    {
        return None;
    }
    let all = tree.entries(doc.root);
    let last = all.last()?;
    if last.end != doc.end {
        return None;
    }
    Some(Untouched {
        names: all
            .iter()
            .map(|e| Cow::Owned(key_text(&tree, e.key).into_owned()))
            .collect(),
        reach: reach_of(&tree, last, run.col)?,
        ending: block_ending(&tree),
    })
}

/// Checks a run of documents: each must have a Kubernetes identity.
pub(super) fn documents<'a>(base: &Lines<'a>, run: &Run) -> Option<Untouched<'a>> {
    if let Some((names, ending)) = quick::documents(base, run.lines[0].clone()) {
        return Some(Untouched {
            names: names.into_iter().map(Cow::Owned).collect(),
            reach: Reach::default(),
            ending,
        });
    }
    let tree = parse_whole(base.slice(&run.lines[0]))?;
    let names = tree
        .documents()
        .iter()
        .map(|d| kubernetes_identity(&tree, d.root).map(Cow::Owned))
        .collect::<Option<Vec<_>>>()?;
    Some(Untouched {
        names,
        reach: Reach::default(),
        ending: block_ending(&tree),
    })
}

/// Parses a run as any input is parsed: `None` unless it is valid YAML 1.2
/// (a text read the lenient way takes the full path, whose notes point at
/// the inputs' own lines), without aliases or repeated keys (the full path
/// pairs those by occurrence, which placeholders must not disturb), and its
/// last document ends with the text (nothing left over that the tree would
/// give to what follows it).
fn parse_whole(text: &str) -> Option<Tree> {
    let tree = syntax::parse("untouched", text.as_bytes()).ok()?;
    let ends_with_text = tree.documents().last()?.end as usize == text.len();
    let plain = tree.lenient().is_empty() && !has_alias(&tree) && !repeats_a_key(&tree);
    (ends_with_text && plain).then_some(tree)
}

/// Aliases reach across the whole file; the shortcut only handles files
/// without them.
pub(super) fn has_alias(tree: &Tree) -> bool {
    (0..tree.node_count() as u32).any(|id| tree.node(id).kind == NodeKind::Alias)
}

/// How deep the parser nests below `root`, `root` counting as 1.
fn depth(tree: &Tree, root: NodeId) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(root, 1)];
    while let Some((id, d)) = stack.pop() {
        deepest = deepest.max(d);
        for e in tree.entries(id) {
            for child in [e.key, e.value] {
                if child != syntax::NO_NODE {
                    stack.push((child, d + 1));
                }
            }
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_of(text: &str, col: usize, level: u32) -> Option<Vec<String>> {
        let lines = Lines::new(text).unwrap();
        let run = Run {
            lines: [0..lines.count(), 0..0, 0..0],
            col,
            level,
            segment: 0,
        };
        entries(&lines, &run).map(|u| u.names.iter().map(|n| n.to_string()).collect())
    }

    #[test]
    fn runs_the_quick_check_refuses_are_parsed() {
        assert_eq!(run_of("  a: &x 1\n  \"b\": 2\n", 2, 1).unwrap(), ["a", "b"]);
        assert!(run_of("  a: &x 1\n  b: *x\n", 2, 1).is_none());
        assert!(run_of("  a: &x 1\n  a: 2\n", 2, 1).is_none());
        assert!(run_of("a: &x 1\n", 2, 1).is_none());
        assert!(run_of("  a: &x 1\n  # tail of nothing\n", 2, 1).is_none());
    }

    #[test]
    fn a_run_must_fit_below_the_depth_limit_where_it_sits() {
        let deep = format!("a: &x {}1{}\n", "[".repeat(20), "]".repeat(20));
        assert!(run_of(&deep, 0, 0).is_some());
        assert!(run_of(&deep, 0, MAX_DEPTH as u32 - 10).is_none());
    }
}
