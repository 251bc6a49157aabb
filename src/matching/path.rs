//! YAML paths: the one way yamerge names a place in a file, in the merge's
//! summary and report, in `yamerge diff`, and for conflicts read back from
//! a file.
//!
//! `a.b` for mapping keys (a key that would be ambiguous, holding `.`, `[`,
//! `]`, `"`, `#`, blanks or control characters, or empty, is written as a
//! JSON string: `labels."app.kubernetes.io/name"`), `a#2` for the second
//! occurrence of a key that a mapping holds more than once (`#` in a key
//! makes it a JSON string, so `a#2` is never a key of its own), `[name=x]`
//! for a list item matched by an identifying field, `[3]` for a list item
//! (or document) matched by position, and `[apps/v1/Deployment/ns/web]` for
//! a Kubernetes document.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use super::identity::{identity_field, item_identity, key_text, kubernetes_identity};
use crate::syntax::{NodeId, Tree};

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// A mapping key (its parsed value).
    Key(String),
    /// A later occurrence (the second, third, ...) of a key that a mapping
    /// holds more than once; the first is a plain [`Segment::Key`].
    Repeated {
        /// The key (its parsed value).
        key: String,
        /// Which occurrence: 2 or more.
        occurrence: usize,
    },
    /// A list item matched by an identifying field.
    Item {
        /// The field (`name`, `id`, ...).
        field: &'static str,
        /// Its value.
        value: String,
    },
    /// A list item or document matched by position.
    Index(usize),
    /// A document matched by `apiVersion/kind/namespace/name`.
    Document(String),
}

/// A YAML path: empty for a whole document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Path(Vec<Segment>);

impl Path {
    /// The path of `segments`.
    pub(crate) fn of(segments: Vec<Segment>) -> Path {
        Path(segments)
    }

    /// Whether this is the path of a document's root (no segment).
    pub(crate) fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// This path with its last segment a plain key: the key itself, for
    /// the path of one of its later occurrences (`a.b#2` gives `a.b`).
    pub(crate) fn of_key(&self) -> Path {
        let mut segments = self.0.clone();
        if let Some(Segment::Repeated { key, .. }) = segments.pop() {
            segments.push(Segment::Key(key));
        } else {
            return self.clone();
        }
        Path(segments)
    }

    /// This path with one more segment.
    pub(crate) fn child(&self, segment: Segment) -> Path {
        let mut segments = Vec::with_capacity(self.0.len() + 1);
        segments.extend_from_slice(&self.0);
        segments.push(segment);
        Path(segments)
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) => {
                    if k > 0 {
                        f.write_str(".")?;
                    }
                    write_key(f, key)?;
                }
                Segment::Repeated { key, occurrence } => {
                    if k > 0 {
                        f.write_str(".")?;
                    }
                    write_key(f, key)?;
                    write!(f, "#{occurrence}")?;
                }
                Segment::Item { field, value } => write!(f, "[{field}={value}]")?,
                Segment::Index(i) => write!(f, "[{i}]")?,
                Segment::Document(id) => write!(f, "[{id}]")?,
            }
        }
        Ok(())
    }
}

fn write_key(f: &mut fmt::Formatter<'_>, key: &str) -> fmt::Result {
    let ambiguous = key.is_empty()
        || key.chars().any(|ch| {
            matches!(ch, '.' | '[' | ']' | '"' | '#') || ch.is_whitespace() || ch.is_control()
        });
    if ambiguous {
        f.write_str(&serde_json::to_string(key).map_err(|_| fmt::Error)?)
    } else {
        f.write_str(key)
    }
}

/// The path of the innermost entry, item or document of one version that
/// holds byte `offset` (a line start, say). List items are named by an
/// identifying field when that version's items all have one, else by
/// position; documents by their Kubernetes identity when they all have one,
/// and by position when the stream holds several; a repeated key by its
/// occurrence in this version's text.
pub(crate) fn path_at(tree: &Tree, offset: u32) -> Path {
    let docs = tree.documents();
    let Some(at) = docs
        .iter()
        .position(|d| offset < d.end)
        .or(docs.len().checked_sub(1))
    else {
        return Path::default();
    };
    let mut path = Path(
        document_segments(tree)
            .into_iter()
            .skip(at)
            .take(1)
            .collect(),
    );
    let mut node = docs[at].root;
    while let Some(k) = tree
        .entries(node)
        .iter()
        .position(|e| e.lead <= offset && offset < e.end)
    {
        path.0.push(child_segment(tree, node, k));
        node = tree.entries(node)[k].value;
    }
    path
}

/// The first segment of each document's paths: none when the stream holds
/// one document, else each one's Kubernetes identity when they all have
/// one, else its position.
pub(crate) fn document_segments(tree: &Tree) -> Vec<Segment> {
    let docs = tree.documents();
    if docs.len() <= 1 {
        return Vec::new();
    }
    let ids: Option<Vec<String>> = docs
        .iter()
        .map(|d| kubernetes_identity(tree, d.root))
        .collect();
    match ids {
        Some(ids) => ids.into_iter().map(Segment::Document).collect(),
        None => (0..docs.len()).map(Segment::Index).collect(),
    }
}

/// The segments of the children of collection `node` in one version: keys
/// (a repeated one by its occurrence in the text), list items by an
/// identifying field when all have one, else by position.
pub(crate) fn child_segments(tree: &Tree, node: NodeId) -> Vec<Segment> {
    let entries = tree.entries(node);
    if tree.node(node).kind.is_map() {
        let mut seen: HashMap<Cow<str>, usize> = HashMap::with_capacity(entries.len());
        return entries
            .iter()
            .map(|e| {
                let key = key_text(tree, e.key);
                let occurrence = seen.entry(key.clone()).or_default();
                *occurrence += 1;
                key_segment(key.into_owned(), *occurrence)
            })
            .collect();
    }
    let field = item_field(tree, node);
    (0..entries.len())
        .map(|k| item_segment(tree, node, field, k))
        .collect()
}

/// The segment of child `k` of collection `node`, as [`child_segments`]
/// names it (without naming the others: `path_at` runs on every request of
/// an editor).
fn child_segment(tree: &Tree, node: NodeId, k: usize) -> Segment {
    let entries = tree.entries(node);
    if tree.node(node).kind.is_map() {
        let key = key_text(tree, entries[k].key);
        let earlier = entries[..k]
            .iter()
            .filter(|e| key_text(tree, e.key) == key)
            .count();
        return key_segment(key.into_owned(), earlier + 1);
    }
    item_segment(tree, node, item_field(tree, node), k)
}

/// The field that names the items of sequence `node`, if one does.
fn item_field(tree: &Tree, node: NodeId) -> Option<&'static str> {
    let items: Vec<NodeId> = tree.entries(node).iter().map(|e| e.value).collect();
    identity_field(&[(tree, &items)])
}

/// Item `k` of sequence `node`, named by `field` or by position.
fn item_segment(tree: &Tree, node: NodeId, field: Option<&'static str>, k: usize) -> Segment {
    let item = tree.entries(node)[k].value;
    match field {
        Some(field) => Segment::Item {
            field,
            value: item_identity(tree, item, field)
                .unwrap_or_default()
                .to_string(),
        },
        None => Segment::Index(k),
    }
}

/// The segment of occurrence `occurrence` (from 1) of a mapping key.
pub(crate) fn key_segment(key: String, occurrence: usize) -> Segment {
    if occurrence <= 1 {
        Segment::Key(key)
    } else {
        Segment::Repeated { key, occurrence }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn at(text: &str, needle: &str) -> String {
        let tree = parse("t", text.as_bytes()).unwrap();
        path_at(&tree, text.find(needle).unwrap() as u32).to_string()
    }

    #[test]
    fn keys_items_and_documents() {
        let text = "a:\n  b: 1\n  l:\n    - name: x\n      v: 1\n    - name: y\n      v: 2\n  s:\n    - p\n    - q\n";
        assert_eq!(at(text, "b: 1"), "a.b");
        assert_eq!(at(text, "v: 2"), "a.l[name=y].v");
        assert_eq!(at(text, "q"), "a.s[1]");
        let k8s = "apiVersion: v1\nkind: A\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: B\nmetadata:\n  name: y\nspec: 1\n";
        assert_eq!(at(k8s, "spec"), "[v1/B//y].spec");
        assert_eq!(at("a: 1\n---\nb: 2\n", "b"), "[1].b");
    }

    #[test]
    fn ambiguous_keys_are_json_strings() {
        let path = Path::default()
            .child(Segment::Key("labels".into()))
            .child(Segment::Key("app.kubernetes.io/name".into()))
            .child(Segment::Index(2));
        assert_eq!(path.to_string(), "labels.\"app.kubernetes.io/name\"[2]");
        let path = Path::default().child(Segment::Item {
            field: "name",
            value: "x".into(),
        });
        assert_eq!(path.to_string(), "[name=x]");
    }

    #[test]
    fn a_repeated_key_is_named_by_its_occurrence() {
        let text = "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n\"a#2\": 4\n";
        assert_eq!(at(text, "a: 1"), "a");
        assert_eq!(at(text, "c: 2"), "b.c#2");
        assert_eq!(at(text, "a: 3"), "a#2");
        // A key that holds `#` is quoted: never taken for an occurrence.
        assert_eq!(at(text, "\"a#2\""), "\"a#2\"");
        let path = Path::default().child(key_segment("x.y".into(), 3));
        assert_eq!(path.to_string(), "\"x.y\"#3");
        assert_eq!(path.of_key().to_string(), "\"x.y\"");
        let nested = Path::default().child(key_segment("a".into(), 2));
        let nested = nested.child(key_segment("b".into(), 1));
        assert_eq!(nested.of_key().to_string(), "a#2.b");
    }
}
