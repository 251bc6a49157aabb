//! How far an entry reaches into the lines after it. In the tree an entry
//! owns more than its own lines: a block collection keeps the comment lines
//! after it that are indented as deep as its entries (its tail), a block
//! scalar the lines indented like its content, blank ones deeper than that
//! included. Where a placeholder stands next to an untouched run, those
//! neighbours differ between the reduced text and the whole one: the cut is
//! only sound when the entry before it takes none of the lines after it.

use crate::syntax::{Entry, NodeKind, ScalarStyle, Tree};

use super::lines::indent;

/// What an entry could take of the lines that follow it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Reach {
    /// Its block collection's tail column: comment lines this deep (after
    /// blank lines) would be its own.
    pub tail: Option<usize>,
    /// It ends with a block scalar whose content is this deep: lines as
    /// deep, and blank lines deeper, would be its content.
    pub block: Option<usize>,
}

impl Reach {
    /// True when the entry would take some of the first lines of `text`.
    pub fn reaches(self, text: &[u8]) -> bool {
        for line in text.split(|&b| b == b'\n') {
            let ind = indent(line);
            let rest = &line[ind..];
            if rest.iter().all(|&b| b == b' ' || b == b'\t') {
                // A blank line: deeper than the content, or with a tab, the
                // block scalar's.
                if self.block.is_some_and(|n| ind > n || !rest.is_empty()) {
                    return true;
                }
                continue;
            }
            if self.block.is_some_and(|n| ind >= n) {
                return true;
            }
            return rest[0] == b'#' && self.tail.is_some_and(|t| ind >= t);
        }
        false
    }
}

/// The reach of `entry` of a block mapping at column `col`; `None` when it is
/// beyond telling (a block scalar without content, or with an explicit
/// indentation).
pub(super) fn reach_of(tree: &Tree, entry: &Entry, col: usize) -> Option<Reach> {
    let value = tree.node(entry.value);
    let tail = value
        .kind
        .is_block()
        .then(|| (value.col as usize).max(col + 1));
    let mut last = entry.value;
    while tree.node(last).kind.is_block() {
        last = tree.entries(last).last()?.value;
    }
    let node = tree.node(last);
    let block_scalar = node.kind == NodeKind::Scalar
        && matches!(node.style, ScalarStyle::Literal | ScalarStyle::Folded);
    let block = if block_scalar {
        Some(content_indent(tree.slice(node.start, node.end).as_bytes())?)
    } else {
        None
    };
    Some(Reach { tail, block })
}

/// The indentation of a block scalar's content, from its text (header
/// first): that of its first line that is not blank.
fn content_indent(text: &[u8]) -> Option<usize> {
    let mut lines = text.split(|&b| b == b'\n');
    let header = lines.next()?;
    if header.iter().any(u8::is_ascii_digit) {
        return None;
    }
    lines.find(|l| !l.iter().all(|&b| b == b' ')).map(indent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn reach(text: &str) -> Option<Reach> {
        let tree = parse("t", text.as_bytes()).unwrap();
        let root = tree.documents()[0].root;
        reach_of(&tree, tree.entries(root).last().unwrap(), 0)
    }

    #[test]
    fn collections_reach_by_their_tail_scalars_by_their_content() {
        let r = reach("a:\n  b: |\n    x\n").unwrap();
        assert_eq!(
            r,
            Reach {
                tail: Some(2),
                block: Some(4)
            }
        );
        assert!(r.reaches(b"\n  # tail\nz: 1"));
        assert!(r.reaches(b"     \nz: 1"));
        assert!(r.reaches(b"    # content\nz: 1"));
        assert!(!r.reaches(b"\n# not\n  # no longer\nz: 1"));
        assert!(!r.reaches(b"    \nz: 1"));
        let seq = reach("a:\n- x\n").unwrap();
        assert_eq!(
            seq,
            Reach {
                tail: Some(1),
                block: None
            }
        );
        assert!(!seq.reaches(b"# c\nz: 1"));
        assert_eq!(reach("a: 1\n"), Some(Reach::default()));
        assert_eq!(reach("a: |1\n  x\n"), None);
    }
}
