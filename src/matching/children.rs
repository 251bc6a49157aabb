//! The children the matcher works on: the entries of a mapping, the items of
//! a sequence, the documents of a stream, each with the stretch of text it
//! owns.

use crate::syntax::text::{line_start, only_blanks_before};
use crate::syntax::{NO_NODE, NodeId, Tree};

/// A mapping entry, a sequence item or a document, with its text: leading
/// trivia `lead..body` (comment and blank lines above it) and its own lines
/// `body..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Child {
    /// Start of the leading trivia.
    pub lead: u32,
    /// Start of its own text: the start of the line its key or `-` is on
    /// (when only blanks precede it there), else the key or `-` itself; for a
    /// document, `lead`.
    pub body: u32,
    /// End of its text (after the line break of its last line).
    pub end: u32,
    /// The key node, or [`NO_NODE`] for items and documents.
    pub key: NodeId,
    /// The value node (the root, for a document).
    pub value: NodeId,
    /// True for a document of a stream.
    pub document: bool,
}

/// The entries or items of a collection node.
pub(crate) fn children(tree: &Tree, node: NodeId) -> Vec<Child> {
    let src = tree.source().as_bytes();
    tree.entries(node)
        .iter()
        .map(|e| {
            // Only blanks before it on its line (checked first: finding the
            // line's start is a long walk on a long flow line).
            let own_line = only_blanks_before(src, e.start as usize)
                .then(|| line_start(src, e.start as usize) as u32)
                .filter(|&line| e.lead <= line);
            let body = own_line.unwrap_or(e.start);
            Child {
                lead: e.lead,
                body,
                end: e.end,
                key: e.key,
                value: e.value,
                document: false,
            }
        })
        .collect()
}

/// The documents of a stream.
pub(crate) fn documents(tree: &Tree) -> Vec<Child> {
    tree.documents()
        .iter()
        .map(|d| Child {
            lead: d.start,
            body: d.start,
            end: d.end,
            key: NO_NODE,
            value: d.root,
            document: true,
        })
        .collect()
}
