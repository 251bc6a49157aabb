//! Identities: what makes an entry, a list item or a document "the same one"
//! in two versions.

use std::borrow::Cow;

use crate::syntax::{NO_NODE, NodeId, NodeKind, Tree};

/// Fields that identify list items, tried in order. The first one present
/// (as a scalar) in every item of every version and unique within each
/// version wins.
const IDENTITY_FIELDS: &[&str] = &[
    "name",
    "id",
    "key",
    "uid",
    "mountPath",
    "containerPort",
    "devicePath",
    "ip",
];

/// The identity of a mapping key: its parsed value for scalars (so `"a"`,
/// `'a'` and `a` agree), its text for anything else.
pub(crate) fn key_text(tree: &Tree, key: NodeId) -> Cow<'_, str> {
    if key == NO_NODE {
        return Cow::Borrowed("");
    }
    let n = tree.node(key);
    match n.kind {
        NodeKind::Scalar => Cow::Borrowed(tree.value(key)),
        NodeKind::Alias => Cow::Owned(format!("*{}", tree.value(key))),
        _ => Cow::Borrowed(tree.slice(n.start, n.end)),
    }
}

/// Whether some mapping (block or flow) of `tree` holds a key twice.
pub(crate) fn repeats_a_key(tree: &Tree) -> bool {
    (0..tree.node_count() as NodeId)
        .any(|id| tree.node(id).kind.is_map() && map_repeats_a_key(tree, id))
}

/// Whether the mapping `map` holds a key twice.
fn map_repeats_a_key(tree: &Tree, map: NodeId) -> bool {
    // Small mappings compare their keys pairwise; larger ones hash them.
    const PAIRWISE: usize = 12;
    let entries = tree.entries(map);
    let key = |i: usize| key_text(tree, entries[i].key);
    if entries.len() <= PAIRWISE {
        return (1..entries.len()).any(|j| {
            let kj = key(j);
            (0..j).any(|i| key(i) == kj)
        });
    }
    let mut seen = std::collections::HashSet::with_capacity(entries.len());
    !(0..entries.len()).all(|i| seen.insert(key(i)))
}

/// The scalar value of `field` in the mapping `item`, if it has one.
pub(crate) fn item_identity<'t>(tree: &'t Tree, item: NodeId, field: &str) -> Option<&'t str> {
    if !tree.node(item).kind.is_map() {
        return None;
    }
    tree.entries(item).iter().find_map(|e| {
        let is_field = e.key != NO_NODE
            && tree.node(e.key).kind == NodeKind::Scalar
            && tree.value(e.key) == field;
        (is_field && tree.node(e.value).kind == NodeKind::Scalar).then(|| tree.value(e.value))
    })
}

/// The field that identifies the items of the given sequences (each a tree
/// and the item nodes of one version), if there is one.
pub(crate) fn identity_field(versions: &[(&Tree, &[NodeId])]) -> Option<&'static str> {
    IDENTITY_FIELDS.iter().copied().find(|field| {
        versions.iter().all(|(tree, items)| {
            let mut seen = std::collections::HashSet::with_capacity(items.len());
            items
                .iter()
                .all(|&item| item_identity(tree, item, field).is_some_and(|v| seen.insert(v)))
        })
    })
}

/// `apiVersion/kind/namespace/name` of a Kubernetes document root, when it
/// has at least `apiVersion`, `kind` and `metadata.name`.
pub(crate) fn kubernetes_identity(tree: &Tree, root: NodeId) -> Option<String> {
    let api = item_identity(tree, root, "apiVersion")?;
    let kind = item_identity(tree, root, "kind")?;
    let metadata = metadata(tree, root)?;
    let name = item_identity(tree, metadata, "name")?;
    let namespace = item_identity(tree, metadata, "namespace").unwrap_or("");
    Some(format!("{api}/{kind}/{namespace}/{name}"))
}

/// A Kubernetes-style object's `metadata.name`, when it is a plain scalar.
pub(crate) fn metadata_name(tree: &Tree, root: NodeId) -> Option<&str> {
    item_identity(tree, metadata(tree, root)?, "name")
}

/// The value of a root's `metadata` entry.
fn metadata(tree: &Tree, root: NodeId) -> Option<NodeId> {
    let entry = tree.entries(root).iter().find(|e| {
        e.key != NO_NODE
            && tree.node(e.key).kind == NodeKind::Scalar
            && tree.value(e.key) == "metadata"
    })?;
    Some(entry.value)
}
