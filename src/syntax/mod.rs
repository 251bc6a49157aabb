//! The lossless syntax tree: every byte of the input belongs to exactly one
//! node or one piece of trivia, and printing an untouched tree gives back the
//! input byte for byte.
//!
//! Nodes live in a flat arena addressed by [`NodeId`]. Block collections own a
//! contiguous run of [`Entry`] values; each entry spans its leading comment
//! lines (`lead..start`), its body (`start..end`: key, value, trailing comment,
//! line break), so that moving or deleting an entry moves its comments too.
//!
//! This module must never reinterpret the text: positions come from the event
//! parser plus small scans over trivia, and nothing here allocates per node.

mod build;
pub(crate) mod data;
mod equal;
mod hints;
mod lenient;
mod show;
pub(crate) mod text;
mod validate;

pub(crate) use build::MAX_DEPTH;
pub use build::parse;
pub use equal::same_data;
pub use lenient::{Lenient, LenientShape};
pub use validate::validate;

/// Index of a node in a [`Tree`] (see [`Tree::node`]).
pub type NodeId = u32;

/// Marks the absence of a key (sequence items).
pub const NO_NODE: NodeId = u32::MAX;

/// What kind of YAML node this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// A scalar in any of the five styles.
    Scalar,
    /// An alias `*name`.
    Alias,
    /// A block mapping (`key: value` lines).
    BlockMap,
    /// A block sequence (`- item` lines).
    BlockSeq,
    /// A flow mapping `{ ... }`.
    FlowMap,
    /// A flow sequence `[ ... ]`.
    FlowSeq,
}

impl NodeKind {
    /// True for block mappings and block sequences: the collections the merge
    /// can look into entry by entry.
    pub fn is_block(self) -> bool {
        matches!(self, NodeKind::BlockMap | NodeKind::BlockSeq)
    }

    /// True for mappings of either style.
    pub fn is_map(self) -> bool {
        matches!(self, NodeKind::BlockMap | NodeKind::FlowMap)
    }

    /// True for collections of either kind or style.
    pub fn is_collection(self) -> bool {
        !matches!(self, NodeKind::Scalar | NodeKind::Alias)
    }
}

/// How a scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    /// `value`
    Plain,
    /// `'value'`
    SingleQuoted,
    /// `"value"`
    DoubleQuoted,
    /// `|` block
    Literal,
    /// `>` block
    Folded,
}

/// One node. Offsets are bytes into [`Tree::source`].
#[derive(Debug, Clone, Copy)]
pub struct Node {
    /// The node's kind.
    pub kind: NodeKind,
    /// Scalar style (`Plain` for anything that is not a scalar).
    pub style: ScalarStyle,
    /// First byte of the node, properties (`&anchor`, `!tag`) included.
    pub start: u32,
    /// One past the last byte of the node's content (no trailing comment or
    /// line break). A keep-chomped block scalar (`|+`, `>+`) ends after its
    /// kept line breaks, which are part of its value.
    pub end: u32,
    /// Block collections: the end of the last entry plus trailing comment
    /// lines indented at least as deep as the entries (and deeper than the
    /// entry holding the collection, for a sequence written at its key's
    /// column). Otherwise equal to `end`.
    pub tail_end: u32,
    /// Column (bytes from line start, a byte-order mark not counted) of the
    /// entries of a block collection, or of `start` for other nodes.
    pub col: u32,
    /// First entry in [`Tree::entries`] (collections).
    pub first_entry: u32,
    /// Number of entries (collections).
    pub entry_count: u32,
    /// Scalar value (or alias name) as a range of [`Tree::strings`].
    value: (u32, u32),
    /// Fingerprint of the node's data (see `data`).
    pub data: u64,
    /// True when the node carries an anchor or a tag.
    pub has_properties: bool,
}

/// A mapping entry or a sequence item.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// Start of the leading trivia (comment lines, blank lines, indentation).
    pub lead: u32,
    /// Start of the entry itself: the key (or `?`), or the `-` of an item.
    pub start: u32,
    /// End of the entry: after the line break that ends its last line.
    pub end: u32,
    /// The key node, or [`NO_NODE`] for sequence items.
    pub key: NodeId,
    /// The value node.
    pub value: NodeId,
}

/// One document of a stream.
#[derive(Debug, Clone, Copy)]
pub struct Document {
    /// Start of the document's text (directives, `---`, leading comments).
    pub start: u32,
    /// Start of the root's region (its first entry's leading trivia, or the node).
    pub root_start: u32,
    /// The root node.
    pub root: NodeId,
    /// End of the root's region (its tail, or the line after a scalar root).
    pub root_end: u32,
    /// End of the document (after `...` when present).
    pub end: u32,
}

/// A parsed YAML stream that remembers every byte of its source.
#[derive(Debug, Clone)]
pub struct Tree {
    name: String,
    source: String,
    nodes: Vec<Node>,
    entries: Vec<Entry>,
    docs: Vec<Document>,
    strings: String,
    /// Places read outside YAML 1.2, the way libyaml reads them.
    lenient: Vec<Lenient>,
}

impl Tree {
    /// The name given when parsing (used in messages).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The original text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The original text between two byte offsets.
    pub fn slice(&self, start: u32, end: u32) -> &str {
        &self.source[start as usize..end as usize]
    }

    /// The documents of the stream, in order.
    pub fn documents(&self) -> &[Document] {
        &self.docs
    }

    /// One node.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// How many nodes the tree holds.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The entries of a collection (empty for scalars and aliases).
    pub fn entries(&self, id: NodeId) -> &[Entry] {
        let n = self.node(id);
        &self.entries[n.first_entry as usize..(n.first_entry + n.entry_count) as usize]
    }

    /// The parsed value of a scalar, or the name of an alias.
    pub fn value(&self, id: NodeId) -> &str {
        let (s, e) = self.node(id).value;
        &self.strings[s as usize..e as usize]
    }

    /// The end of the text after the last document (trailing comments, blank lines).
    pub fn stream_tail_start(&self) -> u32 {
        self.docs.last().map_or(0, |d| d.end)
    }

    /// The line break the file uses (that of its first line; `\n` when it has none).
    pub fn line_ending(&self) -> &'static str {
        match self.source.find('\n') {
            Some(i) if i > 0 && self.source.as_bytes()[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        }
    }

    /// Prints the tree back by walking documents, entries and trivia. For an
    /// untouched tree this equals the input byte for byte.
    pub fn print(&self) -> String {
        let mut out = String::with_capacity(self.source.len());
        let mut at = 0;
        for doc in &self.docs {
            self.push(&mut out, &mut at, doc.start, doc.root_start);
            self.print_region(&mut out, &mut at, doc.root, doc.root_end);
            self.push(&mut out, &mut at, doc.root_end, doc.end);
        }
        self.push(
            &mut out,
            &mut at,
            self.stream_tail_start(),
            self.source.len() as u32,
        );
        out
    }

    fn push(&self, out: &mut String, at: &mut u32, start: u32, end: u32) {
        debug_assert_eq!(*at, start, "gap or overlap in the tree");
        out.push_str(self.slice(start, end));
        *at = end;
    }

    fn print_region(&self, out: &mut String, at: &mut u32, id: NodeId, region_end: u32) {
        let node = self.node(id);
        if node.kind.is_block() {
            for e in self.entries(id) {
                self.push(out, at, e.lead, e.start);
                let value = self.node(e.value);
                if value.kind.is_block() {
                    let first = self.entries(e.value)[0];
                    self.push(out, at, e.start, first.lead);
                    self.print_region(out, at, e.value, e.end);
                } else {
                    self.push(out, at, e.start, e.end);
                }
            }
            self.push(out, at, *at, region_end);
        } else {
            self.push(out, at, *at, region_end);
        }
    }

    /// Checks that entry ranges are gap-free and properly nested; returns a
    /// description of the first violation.
    pub fn check_ranges(&self) -> Result<(), String> {
        let mut prev_end = 0;
        for doc in &self.docs {
            if !(prev_end <= doc.start
                && doc.start <= doc.root_start
                && doc.root_start <= doc.root_end
                && doc.root_end <= doc.end)
            {
                return Err(format!("document ranges out of order: {doc:?}"));
            }
            prev_end = doc.end;
            self.check_node(doc.root, doc.root_start, doc.root_end)?;
        }
        Ok(())
    }

    fn check_node(&self, id: NodeId, lo: u32, hi: u32) -> Result<(), String> {
        let node = self.node(id);
        if !node.kind.is_block() {
            return Ok(());
        }
        let mut expected_lead = None;
        for e in self.entries(id) {
            if expected_lead.is_some_and(|l| e.lead != l) {
                return Err(format!("gap before entry at {}: {:?}", e.start, e));
            }
            if !(lo <= e.lead && e.lead <= e.start && e.start < e.end && e.end <= hi) {
                return Err(format!("entry {e:?} not inside {lo}..{hi}"));
            }
            let value = self.node(e.value);
            if value.kind.is_block() {
                let first = self.entries(e.value)[0];
                if first.lead < e.start || value.tail_end > e.end {
                    return Err(format!("value of entry {e:?} escapes it"));
                }
                self.check_node(e.value, first.lead, e.end)?;
            }
            expected_lead = Some(e.end);
        }
        if node.tail_end > hi {
            return Err(format!("tail of node at {} escapes its region", node.start));
        }
        Ok(())
    }
}
