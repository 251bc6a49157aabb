//! Whether a merge wrote a list item or a document more often than either
//! side has it. A line merge aligns each side with base on its own, so one
//! insertion both sides made (the same document, the same item) can sit at
//! different lines in the two alignments and be applied twice: clean, and
//! holding every change, but with a copy nobody wrote (found by the
//! versus-git test, where git's diff happened to align both alike). A
//! correct merge holds an item at most as often as the side that holds it
//! most often, unless both sides added it apart, which is left to the
//! structural merge.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::identity::key_text;
use crate::syntax::{NO_NODE, NodeId, NodeKind, Tree};

/// How often each item's data occurs per place: `(place, data)`. A place
/// is a hash of the keys leading to a list (`[]` for any item of a list,
/// so items of look-alike lists count together), or of the stream.
type Counts = HashMap<(u64, u64), usize>;

/// The place of the documents of a stream.
const STREAM: u64 = 0x5742_3e11_d0c5_0001;

/// Whether `merged` holds some list item or document that a side holds
/// more often than each of `sides` (each a tree and the node to start
/// from, `None` for the whole stream) holds it.
pub(crate) fn copies_more_than_sides(
    merged: (&Tree, Option<NodeId>),
    sides: [(&Tree, Option<NodeId>); 2],
) -> bool {
    let [c, i] = sides.map(counts);
    // An item neither side holds as it is merged (both sides' edits of it
    // combined) is no copy of anything.
    counts(merged).into_iter().any(|(item, n)| {
        let most = c.get(&item).max(i.get(&item)).copied().unwrap_or(0);
        most > 0 && n > most
    })
}

fn counts((tree, node): (&Tree, Option<NodeId>)) -> Counts {
    let mut out = Counts::new();
    match node {
        Some(node) => walk(tree, node, 0, &mut out),
        None => {
            for d in tree.documents() {
                *out.entry((STREAM, data(tree, d.root))).or_default() += 1;
                walk(tree, d.root, 0, &mut out);
            }
        }
    }
    out
}

fn walk(tree: &Tree, node: NodeId, place: u64, out: &mut Counts) {
    if node == NO_NODE {
        return;
    }
    match tree.node(node).kind {
        NodeKind::BlockMap | NodeKind::FlowMap => {
            for e in tree.entries(node) {
                walk(tree, e.value, step(place, &key_text(tree, e.key)), out);
            }
        }
        NodeKind::BlockSeq | NodeKind::FlowSeq => {
            let inner = step(place, "[]");
            for e in tree.entries(node) {
                *out.entry((place, data(tree, e.value))).or_default() += 1;
                walk(tree, e.value, inner, out);
            }
        }
        NodeKind::Scalar | NodeKind::Alias => {}
    }
}

fn data(tree: &Tree, node: NodeId) -> u64 {
    if node == NO_NODE {
        0
    } else {
        tree.node(node).data
    }
}

fn step(place: u64, name: &str) -> u64 {
    let mut h = DefaultHasher::new();
    (place, name).hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn more(merged: &str, c: &str, i: &str) -> bool {
        let [m, c, i] = [merged, c, i].map(|t| parse("t", t.as_bytes()).unwrap());
        copies_more_than_sides((&m, None), [(&c, None), (&i, None)])
    }

    #[test]
    fn a_document_both_sides_added_written_twice_is_caught() {
        let side = "a: 1\n---\nb: 2\n---\nc: 3\n";
        assert!(more("a: 1\n---\nb: 2\n---\nb: 2\n---\nc: 3\n", side, side));
        assert!(!more(side, side, side));
        // A document both sides edited merges into one neither side has.
        let (c, i) = ("a: 1\n---\nb: 3\n", "a: 2\n---\nb: 2\n");
        assert!(!more("a: 2\n---\nb: 3\n", c, i));
    }

    #[test]
    fn an_item_is_counted_per_list_and_a_side_may_repeat_it() {
        let c = "l:\n  - x\n  - x\nm:\n  - x\n";
        let i = "l:\n  - x\nm:\n  - x\n";
        assert!(!more(c, c, i));
        assert!(more("l:\n  - x\n  - x\n  - x\nm:\n  - x\n", c, i));
        assert!(more("l:\n  - x\nm:\n  - x\n  - x\n", c, i));
        // Items of lists inside items count per list path.
        let s = "l:\n  - p: [1]\n  - p: [2]\n";
        assert!(!more(s, s, s));
        assert!(more("l:\n  - p: [1, 1]\n  - p: [2]\n", s, s));
    }
}
