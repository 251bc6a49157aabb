//! YAML paths: the one way yamerge names a place in a file, in the merge's
//! summary and report, in `yamerge diff`, and for conflicts read back from
//! a file.
//!
//! `a.b` for mapping keys (a key that would be ambiguous, holding `.`, `[`,
//! `]`, `"`, `#`, blanks or control characters, or empty, is written as a
//! JSON string: `labels."app.kubernetes.io/name"`), `[name=x]` for a list
//! item matched by an identifying field, `[3]` for a list item (or document)
//! matched by position, and `[apps/v1/Deployment/ns/web]` for a Kubernetes
//! document.

use std::fmt;

use super::identity::{identity_field, item_identity, key_text, kubernetes_identity};
use crate::syntax::{NO_NODE, NodeId, Tree};

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// A mapping key (its parsed value).
    Key(String),
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
/// and by position when the stream holds several.
pub(crate) fn path_at(tree: &Tree, offset: u32) -> Path {
    let docs = tree.documents();
    let Some(at) = docs
        .iter()
        .position(|d| offset < d.end)
        .or(docs.len().checked_sub(1))
    else {
        return Path::default();
    };
    let mut path = Path::default();
    if docs.len() > 1 {
        let ids: Option<Vec<String>> = docs
            .iter()
            .map(|d| kubernetes_identity(tree, d.root))
            .collect();
        path.0.push(match ids {
            Some(mut ids) => Segment::Document(ids.swap_remove(at)),
            None => Segment::Index(at),
        });
    }
    let mut node = docs[at].root;
    while let Some((segment, value)) = entry_at(tree, node, offset) {
        path.0.push(segment);
        node = value;
    }
    path
}

/// The entry of collection `node` that holds `offset`, named, with its value.
fn entry_at(tree: &Tree, node: NodeId, offset: u32) -> Option<(Segment, NodeId)> {
    let entries = tree.entries(node);
    let k = entries
        .iter()
        .position(|e| e.lead <= offset && offset < e.end)?;
    let e = entries[k];
    if e.key != NO_NODE {
        return Some((Segment::Key(key_text(tree, e.key).into_owned()), e.value));
    }
    let items: Vec<NodeId> = entries.iter().map(|e| e.value).collect();
    let segment = match identity_field(&[(tree, &items)]) {
        Some(field) => Segment::Item {
            field,
            value: item_identity(tree, e.value, field)
                .unwrap_or_default()
                .to_string(),
        },
        None => Segment::Index(k),
    };
    Some((segment, e.value))
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
}
