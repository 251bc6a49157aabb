//! Whether two nodes hold the same data, decided by comparing it: the
//! fingerprints of `data` only prove that two nodes *differ* (equal data
//! always has equal fingerprints), so every "same data" a decision rests on
//! is confirmed here. Comparison is conservative where it cannot be exact:
//! tags are compared as written (`!!str` and `!<tag:yaml.org,2002:str>`
//! count as different), which can only turn an equality into a difference.

use std::collections::HashMap;

use super::data::scalar_identity;
use super::text::next_token;
use super::{NodeId, NodeKind, Tree};

/// True when node `a` of tree `ta` and node `b` of tree `tb` hold the same
/// data (quoting, flow or block style, comments and key order aside).
pub fn same_data(ta: &Tree, a: NodeId, tb: &Tree, b: NodeId) -> bool {
    let (na, nb) = (ta.node(a), tb.node(b));
    if na.data != nb.data || na.kind.is_map() != nb.kind.is_map() {
        return false;
    }
    match (na.kind, nb.kind) {
        (NodeKind::Scalar, NodeKind::Scalar) => {
            let (tag_a, tag_b) = (tag(ta, a), tag(tb, b));
            tag_a == tag_b
                && scalar_identity(ta.value(a), na.style, tag_a)
                    == scalar_identity(tb.value(b), nb.style, tag_b)
        }
        (NodeKind::Alias, NodeKind::Alias) => ta.value(a) == tb.value(b),
        (ka, kb) if ka.is_collection() && kb.is_collection() => {
            tag(ta, a) == tag(tb, b)
                && if ka.is_map() {
                    same_entries(ta, a, tb, b)
                } else {
                    same_items(ta, a, tb, b)
                }
        }
        _ => false,
    }
}

fn same_items(ta: &Tree, a: NodeId, tb: &Tree, b: NodeId) -> bool {
    let (ea, eb) = (ta.entries(a), tb.entries(b));
    ea.len() == eb.len()
        && ea
            .iter()
            .zip(eb)
            .all(|(x, y)| same_data(ta, x.value, tb, y.value))
}

/// Mappings: the entries of one pair up with the other's by key, in any
/// order, each pair with the same value. A key a mapping holds more than
/// once pairs its occurrences in order: which one a reader keeps depends on
/// it, so two mappings that repeat a key in another order differ.
fn same_entries(ta: &Tree, a: NodeId, tb: &Tree, b: NodeId) -> bool {
    let (ea, eb) = (ta.entries(a), tb.entries(b));
    if ea.len() != eb.len() {
        return false;
    }
    // Nearly always the keys come in the same order: paired by position
    // (which pairs repeated keys in order too), no table is built. Deeply
    // nested mappings are compared once per level above them.
    let same_key = |x: &crate::syntax::Entry, y: &crate::syntax::Entry| {
        ta.node(x.key).data == tb.node(y.key).data && same_data(ta, x.key, tb, y.key)
    };
    if ea.iter().zip(eb).all(|(x, y)| same_key(x, y)) {
        return ea
            .iter()
            .zip(eb)
            .all(|(x, y)| same_data(ta, x.value, tb, y.value));
    }
    let mut by_key: HashMap<u64, Vec<usize>> = HashMap::with_capacity(eb.len());
    for (k, e) in eb.iter().enumerate() {
        by_key.entry(tb.node(e.key).data).or_default().push(k);
    }
    let mut paired = vec![false; eb.len()];
    ea.iter().all(|x| {
        let same_key = by_key.get(&ta.node(x.key).data).and_then(|candidates| {
            candidates
                .iter()
                .copied()
                .find(|&k| !paired[k] && same_data(ta, x.key, tb, eb[k].key))
        });
        same_key.is_some_and(|k| {
            paired[k] = true;
            same_data(ta, x.value, tb, eb[k].value)
        })
    })
}

/// A node's tag as written (`!t`, `!!str`, `!<...>`), if it has one.
fn tag(tree: &Tree, node: NodeId) -> Option<&str> {
    let n = tree.node(node);
    if !n.has_properties {
        return None;
    }
    let src = tree.source().as_bytes();
    let mut pos = n.start as usize;
    // At most two properties: an anchor and a tag, in either order.
    for _ in 0..2 {
        pos = next_token(src, pos);
        let token_end = property_end(src, pos);
        match src.get(pos) {
            Some(b'!') => return Some(tree.slice(pos as u32, token_end as u32)),
            Some(b'&') => pos = token_end,
            _ => return None,
        }
    }
    None
}

/// The end of the property token at `pos`.
fn property_end(src: &[u8], pos: usize) -> usize {
    if src[pos..].starts_with(b"!<") {
        return src[pos..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(src.len(), |p| pos + p + 1);
    }
    src[pos..]
        .iter()
        .position(|b| b" \t\r\n,[]{}".contains(b))
        .map_or(src.len(), |p| pos + p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn same(a: &str, b: &str) -> bool {
        let (ta, tb) = (
            parse("a", a.as_bytes()).unwrap(),
            parse("b", b.as_bytes()).unwrap(),
        );
        same_data(&ta, ta.documents()[0].root, &tb, tb.documents()[0].root)
    }

    #[test]
    fn data_not_spelling() {
        assert!(same(
            "a: \"x\"\nb: [1, 2]\n",
            "b:\n  - 1\n  - 0x2\na: 'x' # c\n"
        ));
        assert!(same("{a: 1.0}", "a: 1.00\n"));
        assert!(!same("a: 1\n", "a: \"1\"\n"));
        assert!(!same("a: [1, 2]\n", "a: [2, 1]\n"));
        assert!(!same("a: 1\n", "a: 1\nb: 1\n"));
        assert!(!same("a: {}\n", "a: []\n"));
    }

    #[test]
    fn repeated_keys_pair_in_order() {
        assert!(same("a: 1\nb: 2\na: 3\n", "b: 2\na: 1\na: 3\n"));
        assert!(!same("a: 1\na: 3\n", "a: 3\na: 1\n"));
        assert!(!same("a: 1\na: 1\n", "a: 1\nb: 1\n"));
    }

    #[test]
    fn tags_and_anchors() {
        assert!(same("a: &x !t v\n", "a: !t &y v\n"));
        assert!(!same("a: !t v\n", "a: !u v\n"));
        assert!(!same("a: !t v\n", "a: v\n"));
        assert!(same("a: &x 1\nb: *x\n", "a: &x 1\nb: *x\n"));
        assert!(!same("a: &x 1\nb: *x\n", "a: &y 1\nb: *y\n"));
    }
}
