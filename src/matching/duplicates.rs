//! Finding the keys a version repeats (a mapping that holds a key more than
//! once), named by YAML path: for the notes that tell the person merging
//! (or comparing) about them, and to tell a merged text that carries an
//! input's repeated key from one that repeats a key no input does.
//!
//! Nothing here refuses or merges anything.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::identity::{key_text, repeats_a_key};
use super::path::{Path, Segment, child_segments, document_segments, key_segment};
use crate::error::location_of;
use crate::syntax::{NO_NODE, NodeId, Tree};

/// A later occurrence (the second, third, ...) of a key in one mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Repeat {
    /// Its path (`a.b#2`: the key's occurrences counted in this version).
    pub path: Path,
    /// Where its key starts.
    pub at: u32,
}

/// Every later occurrence of a key in every mapping of `tree`, in the order
/// of the text, paths from the document's root.
pub(crate) fn repeated_keys(tree: &Tree) -> Vec<Repeat> {
    let mut out = Vec::new();
    if !repeats_a_key(tree) {
        return out;
    }
    let docs = document_segments(tree);
    for (k, doc) in tree.documents().iter().enumerate() {
        let mut frames: Vec<Frame> = Vec::new();
        let prefix: Vec<Segment> = docs.get(k).cloned().into_iter().collect();
        walk(tree, doc.root, &prefix, &mut frames, &mut out);
    }
    out.sort_by_key(|r| r.at);
    out
}

/// The same below node `node`, paths from it.
pub(crate) fn repeated_keys_under(tree: &Tree, node: NodeId) -> Vec<Repeat> {
    let mut out = Vec::new();
    walk(tree, node, &[], &mut Vec::new(), &mut out);
    out.sort_by_key(|r| r.at);
    out
}

/// Whether every key `merged` repeats is repeated at the same path in one
/// of `inputs` (each a tree and the node the paths start from, `None` for
/// the whole tree): a merge may carry a repeated key, never make one.
pub(crate) fn repeats_only_inputs(
    merged: (&Tree, Option<NodeId>),
    inputs: [(&Tree, Option<NodeId>); 3],
) -> bool {
    let repeats = |(tree, node): (&Tree, Option<NodeId>)| match node {
        Some(node) => repeated_keys_under(tree, node),
        None => repeated_keys(tree),
    };
    let made = repeats(merged);
    if made.is_empty() {
        return true;
    }
    let known: HashSet<String> = inputs
        .into_iter()
        .flat_map(repeats)
        .map(|r| r.path.to_string())
        .collect();
    made.iter().all(|r| known.contains(&r.path.to_string()))
}

/// Notes that say where `trees` repeat a key, so that nobody is surprised
/// that the merge (or comparison: `done` says which) went on: each
/// occurrence of a key is paired with the same occurrence in the other
/// versions (whichever one a YAML reader keeps, it keeps in the result too).
/// One note per repeated key, named by its path (`a.b`), with the
/// `file:line:col` of every later occurrence in every version; at most
/// [`SHOWN_REPEATS`] keys, then a count of the others. (The notes name no
/// occurrence number: a side that added or removed occurrences counts them
/// differently from base, and the places say which ones they are.)
pub(crate) fn repeated_key_notes(trees: &[&Tree], done: &str) -> Vec<String> {
    // Each key's path with the places of its later occurrences.
    let mut keys: Vec<(String, Vec<String>)> = Vec::new();
    let mut more = HashSet::new();
    for tree in trees {
        let src = tree.source().as_bytes();
        for r in repeated_keys(tree) {
            let key = r.path.of_key().to_string();
            let place = || location_of(tree.name(), src, r.at as usize).to_string();
            match keys.iter().position(|(k, _)| *k == key) {
                Some(k) => keys[k].1.push(place()),
                None if keys.len() < SHOWN_REPEATS => keys.push((key, vec![place()])),
                None => {
                    more.insert(key);
                }
            }
        }
    }
    let mut notes: Vec<String> = keys
        .iter()
        .map(|(key, places)| {
            format!(
                "duplicate key {key} (again at {}): its occurrences are paired by order \
                 with the other versions' (the first with the first, the second with the \
                 second) and {done}",
                places.join(", ")
            )
        })
        .collect();
    if !more.is_empty() {
        notes.push(format!(
            "{} more duplicate keys, paired by order and {done} the same way",
            more.len()
        ));
    }
    notes
}

/// How many paths of repeated keys the notes name one by one.
const SHOWN_REPEATS: usize = 5;

/// A collection on the way down: the child being visited, and the
/// segments of its children once a repeat below needed them.
struct Frame {
    node: NodeId,
    child: usize,
    segments: Option<Vec<Segment>>,
}

fn walk(
    tree: &Tree,
    node: NodeId,
    prefix: &[Segment],
    frames: &mut Vec<Frame>,
    out: &mut Vec<Repeat>,
) {
    let n = tree.node(node);
    if !n.kind.is_collection() {
        return;
    }
    if n.kind.is_map() {
        report_repeats(tree, node, prefix, frames, out);
    }
    frames.push(Frame {
        node,
        child: 0,
        segments: None,
    });
    for (k, e) in tree.entries(node).iter().enumerate() {
        if let Some(frame) = frames.last_mut() {
            frame.child = k;
        }
        walk(tree, e.value, prefix, frames, out);
    }
    frames.pop();
}

/// Records the later occurrences of each key of mapping `map`.
fn report_repeats(
    tree: &Tree,
    map: NodeId,
    prefix: &[Segment],
    frames: &mut [Frame],
    out: &mut Vec<Repeat>,
) {
    let start = |key: NodeId, entry_start: u32| {
        if key == NO_NODE {
            entry_start
        } else {
            tree.node(key).start
        }
    };
    let mut seen: HashMap<Cow<str>, usize> = HashMap::new();
    let mut path: Option<Vec<Segment>> = None;
    for e in tree.entries(map) {
        let key = key_text(tree, e.key);
        let count = seen.entry(key.clone()).or_default();
        *count += 1;
        if *count == 1 {
            continue;
        }
        let occurrence = *count;
        let above = path.get_or_insert_with(|| path_to(tree, prefix, frames));
        let mut segments = above.clone();
        segments.push(key_segment(key.into_owned(), occurrence));
        out.push(Repeat {
            path: Path::of(segments),
            at: start(e.key, e.start),
        });
    }
}

/// The segments from the walk's start to the collection being visited,
/// naming each collection's children once.
fn path_to(tree: &Tree, prefix: &[Segment], frames: &mut [Frame]) -> Vec<Segment> {
    let mut out = prefix.to_vec();
    for frame in frames {
        let segments = frame
            .segments
            .get_or_insert_with(|| child_segments(tree, frame.node));
        out.extend(segments.get(frame.child).cloned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn repeats(text: &str) -> Vec<(String, u32)> {
        let tree = parse("t", text.as_bytes()).unwrap();
        repeated_keys(&tree)
            .into_iter()
            .map(|r| (r.path.to_string(), r.at))
            .collect()
    }

    #[test]
    fn later_occurrences_are_found_with_their_paths() {
        assert!(repeats("a: 1\nb: {c: 1}\n").is_empty());
        let text = "a: 1\nl:\n  - name: x\n    k: 1\n    k: 2\n    k: 3\na: 2\n";
        assert_eq!(
            repeats(text),
            [
                ("l[name=x].k#2".to_string(), 33),
                ("l[name=x].k#3".to_string(), 42),
                ("a#2".to_string(), 47),
            ]
        );
        let stream = "a: 1\n---\nb: {c: 1, c: 2}\n";
        assert_eq!(repeats(stream), [("[1].b.c#2".to_string(), 19)]);
    }

    #[test]
    fn notes_name_each_repeat_where_it_stands_and_count_the_rest() {
        let t = |name: &str, text: &str| parse(name, text.as_bytes()).unwrap();
        let (b, c) = (
            t("b", "a: 1\nx:\n  k: 1\n  k: 2\na: 2\n"),
            t("c", "a: 1\na: 3\n"),
        );
        let notes = repeated_key_notes(&[&b, &c], "compared");
        assert_eq!(
            notes,
            [
                "duplicate key x.k (again at b:4:3): its occurrences are paired by order \
                 with the other versions' (the first with the first, the second with the \
                 second) and compared",
                "duplicate key a (again at b:5:1, c:2:1): its occurrences are paired by \
                 order with the other versions' (the first with the first, the second with \
                 the second) and compared",
            ]
        );
        let many: String = (0..8).map(|k| format!("k{k}: 1\nk{k}: 2\n")).collect();
        let notes = repeated_key_notes(&[&t("m", &many)], "merged");
        assert_eq!(notes.len(), SHOWN_REPEATS + 1);
        assert_eq!(
            notes[SHOWN_REPEATS],
            "3 more duplicate keys, paired by order and merged the same way"
        );
        assert!(repeated_key_notes(&[&t("n", "a: 1\nb: {a: 1}\n")], "merged").is_empty());
    }

    #[test]
    fn a_merge_may_carry_repeats_not_make_them() {
        let t = |text: &str| parse("t", text.as_bytes()).unwrap();
        let (b, c, i) = (t("a: 1\na: 2\nb: 1\n"), t("a: 1\na: 2\n"), t("b: 1\n"));
        let inputs = [(&b, None), (&c, None), (&i, None)];
        assert!(repeats_only_inputs((&t("a: 3\na: 4\n"), None), inputs));
        assert!(!repeats_only_inputs(
            (&t("a: 3\nb: 1\nb: 1\n"), None),
            inputs
        ));
        assert!(!repeats_only_inputs(
            (&t("a: 3\na: 4\na: 5\n"), None),
            inputs
        ));
        let nested = t("x:\n  a: 1\n  a: 2\n");
        let value = nested.entries(nested.documents()[0].root)[0].value;
        let under = [(&b, None), (&c, None), (&i, None)];
        assert!(repeats_only_inputs((&nested, Some(value)), under));
    }
}
