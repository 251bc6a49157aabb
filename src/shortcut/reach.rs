//! How far an entry reaches into the lines after it. In the tree an entry
//! owns more than its own lines: a block collection keeps the comment lines
//! after it that are indented as deep as its entries (its tail), a block
//! scalar the lines indented like its content, blank ones deeper than that
//! included. Where a placeholder stands next to an untouched run, those
//! neighbours differ between the reduced text and the whole one: the cut is
//! only sound when the entry before it takes none of the lines after it.
//!
//! The renderer looks at neighbours too: text another version places right
//! after a block scalar has its leading blank lines emptied and a comment
//! line deeper than the scalar's header outdented, so that it cannot join
//! the scalar's value. A run must start with lines that this leaves alone,
//! and a placeholder must end the way its run ends (see `Ending`).

use crate::syntax::text::line_start;
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

/// True when the renderer would leave the first lines of `text` alone after
/// any block scalar whose header is indented `col` or more: blank lines
/// with no blanks on them, then anything but a comment deeper than `col`
/// (the renderer's own tests of those lines, mirrored).
pub(super) fn inert_start(text: &str, col: usize) -> bool {
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            if line.starts_with([' ', '\t']) {
                return false;
            }
            continue;
        }
        let body = line.trim_start_matches([' ', '\t']);
        return !body.starts_with('#') || line.len() - body.len() <= col;
    }
    true
}

/// The indentation of the header line of the block scalar `tree`'s text
/// ends with (its last node, its line break at most after it), if it ends
/// with one: what the renderer keeps the next version's text apart from.
pub(super) fn block_ending(tree: &Tree) -> Option<usize> {
    let node = tree.node(tree.node_count().checked_sub(1)? as u32);
    let block_scalar = node.kind == NodeKind::Scalar
        && matches!(node.style, ScalarStyle::Literal | ScalarStyle::Folded);
    let src = tree.source().as_bytes();
    let after = &src[node.end as usize..];
    (block_scalar && matches!(after, b"" | b"\n"))
        .then(|| indent(&src[line_start(src, node.start as usize)..]))
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

    #[test]
    fn a_run_starts_with_lines_the_renderer_leaves_alone() {
        assert!(inert_start("\n\n  # at the column\n  a: 1\n", 2));
        assert!(inert_start("  a: 1\n", 2));
        assert!(!inert_start("  \n  a: 1\n", 2));
        assert!(!inert_start("\n    # deeper\n  a: 1\n", 2));
    }

    #[test]
    fn block_endings_are_found_where_the_text_ends() {
        let ending = |t: &str| block_ending(&parse("t", t.as_bytes()).unwrap());
        assert_eq!(ending("a:\n  b: |\n    x\n"), Some(2));
        assert_eq!(ending("a:\n  - >-\n      x\n"), Some(2));
        assert_eq!(ending("a:\n  b: |\n    x\n  # tail\n"), None);
        assert_eq!(ending("a: 1\n"), None);
    }
}
