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

/// Fails on the first mapping (block or flow) that holds a key twice,
/// naming both lines: a merge would have to pick one of the two values, and
/// whichever it took, the other would be lost without a word.
pub(crate) fn check_unique_keys(tree: &Tree) -> crate::error::Result<()> {
    for id in 0..tree.node_count() as NodeId {
        if tree.node(id).kind.is_map() {
            check_map_keys(tree, id)?;
        }
    }
    Ok(())
}

/// Fails when the mapping `map` holds a key twice (see [`check_unique_keys`]).
pub(crate) fn check_map_keys(tree: &Tree, map: NodeId) -> crate::error::Result<()> {
    // Small mappings compare their keys pairwise; larger ones sort hashes.
    const PAIRWISE: usize = 12;
    let entries = tree.entries(map);
    if entries.len() < 2 {
        return Ok(());
    }
    let key = |i: usize| key_text(tree, entries[i].key);
    let dup = if entries.len() <= PAIRWISE {
        (1..entries.len()).find_map(|j| {
            let kj = key(j);
            (0..j).find(|&i| key(i) == kj).map(|i| (i, j))
        })
    } else {
        let mut hashed: Vec<(u64, usize)> = (0..entries.len())
            .map(|i| (fnv(key(i).as_bytes()), i))
            .collect();
        hashed.sort_unstable();
        hashed
            .windows(2)
            .filter(|w| w[0].0 == w[1].0 && key(w[0].1) == key(w[1].1))
            .map(|w| (w[0].1.min(w[1].1), w[0].1.max(w[1].1)))
            .min_by_key(|&(_, j)| j)
    };
    let Some((first, second)) = dup else {
        return Ok(());
    };
    let at = |e: &crate::syntax::Entry| {
        if e.key == NO_NODE {
            e.start
        } else {
            tree.node(e.key).start
        }
    };
    let src = tree.source().as_bytes();
    let k = key(second);
    let shown: String = k.chars().take(60).collect();
    let more = if shown.len() < k.len() { "…" } else { "" };
    Err(crate::error::Error::Unmergeable {
        at: crate::error::location_of(tree.name(), src, at(&entries[second]) as usize),
        reason: format!(
            "duplicate key `{shown}{more}` (first at line {}); yamerge will not pick one silently",
            crate::error::location_of("", src, at(&entries[first]) as usize).line
        ),
    })
}

/// FNV-1a: a fast hash of short keys.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
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
    let metadata = tree.entries(root).iter().find(|e| {
        e.key != NO_NODE
            && tree.node(e.key).kind == NodeKind::Scalar
            && tree.value(e.key) == "metadata"
    })?;
    let name = item_identity(tree, metadata.value, "name")?;
    let namespace = item_identity(tree, metadata.value, "namespace").unwrap_or("");
    Some(format!("{api}/{kind}/{namespace}/{name}"))
}
