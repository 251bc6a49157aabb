//! Builds a [`Tree`] from `saphyr-parser` events.
//!
//! The parser's spans are trusted only where they are reliable (plain scalars,
//! aliases, flow collection ends, `---` and `...`, the end of block scalars).
//! Everything else is found by scanning forward from the previous indicator:
//! quoted scalars, anchors and tags can pull a following comment into their
//! span, empty scalars borrow the position of the next token (in flow
//! context, the `:` before them), block scalars start their span at the
//! content rather than the header and end it after every trailing empty line
//! whatever the chomping, block collections end at the next token, and a
//! single `key: value` pair in a flow sequence ends where the sequence does.

use saphyr_parser::{Event, Parser, ScalarStyle as PStyle, StrInput, Tag};

use super::data;
use super::lenient::{Shadow, Shifts, may_lift};
use super::text::{
    block_scalar_end, column, indent_at, is_blank_line, line_start, next_line, next_token,
    only_blanks_before, past_content_end, past_line_end, quoted_end, same_line, skip_properties,
};
use super::{Document, Entry, NO_NODE, Node, NodeId, NodeKind, ScalarStyle, Tree};
use crate::error::{Error, Result};

/// Deepest nesting accepted; deeper input is refused with an error rather
/// than risking the stack. The event parser stops flow nesting at 255 levels
/// anyway; 256 keeps the builder's recursion (and that of walks over the
/// tree) well within a 2 MiB thread stack, even in debug builds, where 500
/// levels already overflow it.
pub(crate) const MAX_DEPTH: usize = 256;

/// Parses `bytes` (named `name` in messages) into a lossless tree.
pub fn parse(name: &str, bytes: &[u8]) -> Result<Tree> {
    if let Some(encoding) = wide_encoding(bytes) {
        return Err(Error::syntax_at(
            name,
            bytes,
            0,
            format!(
                "{encoding} is not supported; convert the file to UTF-8 \
                 (for example `iconv -f {encoding} -t UTF-8`)"
            ),
        ));
    }
    let source = match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            return Err(Error::syntax_at(
                name,
                bytes,
                e.valid_up_to(),
                "invalid UTF-8 (yamerge reads UTF-8 text only)",
            ));
        }
    };
    if bytes.contains(&0) {
        let i = bytes.iter().position(|&b| b == 0).unwrap_or(0);
        return Err(Error::syntax_at(name, bytes, i, "NUL byte in YAML text"));
    }
    if let Some(i) = lone_cr(bytes) {
        // Lines and columns are counted from LF: with CR alone as a line
        // break, columns came out wrong and re-indented text with them.
        return Err(Error::syntax_at(
            name,
            bytes,
            i,
            "a line break that is a CR alone (classic Mac OS) is not supported; \
             convert the file to LF or CRLF line endings",
        ));
    }
    let refused = match build(name, source, source, &Shifts::default()) {
        Err(e) if liftable(&e) => e,
        built => return built,
    };
    // One of the shapes outside YAML 1.2 that libyaml reads (see
    // `lenient`): the tree is built over the shadow text and moved back onto
    // `source`. Errors are the parser's own, at their place in `source`.
    let Some(shadow) = Shadow::read(name, source)? else {
        return Err(refused);
    };
    let mut tree = build(name, &shadow.text, source, &shadow.shifts)?;
    if !shadow.holds(&tree) {
        return Err(refused);
    }
    shadow.restore(&mut tree, source);
    Ok(tree)
}

/// Builds the tree of `text`: `source` itself, or its shadow, whose offsets
/// `shifts` maps back to `source` (for messages).
fn build(name: &str, text: &str, source: &str, shifts: &Shifts) -> Result<Tree> {
    // Room for what typical configuration files hold (a node per 16 bytes,
    // values about half the text), so that the arenas seldom grow.
    let len = text.len();
    let mut b = Builder {
        name,
        src: text.as_bytes(),
        source: source.as_bytes(),
        shifts,
        parser: Parser::new_from_str(text),
        chars: CharOffsets::new(text),
        tree: Tree {
            name: name.to_string(),
            source: String::new(),
            nodes: Vec::with_capacity(len / 16 + 4),
            entries: Vec::with_capacity(len / 20 + 4),
            docs: Vec::new(),
            strings: String::with_capacity(len / 2),
            lenient: Vec::new(),
        },
        pending: Vec::new(),
        depth: 0,
        line: std::cell::Cell::new((1, 0)),
    };
    b.stream()?;
    let mut tree = b.tree;
    tree.source = text.to_string();
    Ok(tree)
}

/// True for a refusal of the parser that the lenient reading may lift.
fn liftable(e: &Error) -> bool {
    matches!(e, Error::Syntax { reason, .. } if may_lift(reason))
}

/// The offset of the first CR that is not followed by LF.
fn lone_cr(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(p) = bytes[from..].iter().position(|&b| b == b'\r') {
        let i = from + p;
        if bytes.get(i + 1) != Some(&b'\n') {
            return Some(i);
        }
        from = i + 2;
    }
    None
}

/// The UTF-16 or UTF-32 encoding `bytes` are in, told by the byte-order mark
/// or, without one, by the zero bytes around the first character, as the
/// YAML spec (5.2) detects encodings.
fn wide_encoding(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, 0, 0, ..] | [1..=255, 0, 0, 0, ..] => Some("UTF-32LE"),
        [0, 0, 0xFE, 0xFF, ..] | [0, 0, 0, 1..=255, ..] => Some("UTF-32BE"),
        [0xFF, 0xFE, ..] | [1..=255, 0, ..] => Some("UTF-16LE"),
        [0xFE, 0xFF, ..] | [0, 1..=255, ..] => Some("UTF-16BE"),
        _ => None,
    }
}

/// Converts the parser's character offsets to byte offsets.
struct CharOffsets {
    /// Byte offset of every 64th character; empty for ASCII text.
    checkpoints: Vec<u32>,
}

impl CharOffsets {
    const STEP: usize = 64;

    fn new(s: &str) -> Self {
        if s.is_ascii() {
            return CharOffsets {
                checkpoints: Vec::new(),
            };
        }
        let checkpoints = s
            .char_indices()
            .step_by(Self::STEP)
            .map(|(i, _)| i as u32)
            .collect();
        CharOffsets { checkpoints }
    }

    fn byte(&self, src: &[u8], char_index: usize) -> usize {
        if self.checkpoints.is_empty() {
            return char_index.min(src.len());
        }
        let Some(&cp) = self.checkpoints.get(char_index / Self::STEP) else {
            return src.len();
        };
        let mut pos = cp as usize;
        for _ in 0..char_index % Self::STEP {
            if pos >= src.len() {
                break;
            }
            pos += utf8_width(src[pos]);
        }
        pos.min(src.len())
    }
}

fn utf8_width(first: u8) -> usize {
    match first {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

type Span = (usize, usize);

struct Builder<'a> {
    name: &'a str,
    /// The text the parser reads: the input, or its shadow.
    src: &'a [u8],
    /// The input, where messages point.
    source: &'a [u8],
    /// Maps offsets of `src` to `source`.
    shifts: &'a Shifts,
    parser: Parser<'a, StrInput<'a>>,
    chars: CharOffsets,
    tree: Tree,
    /// Entries of the collections being built; each collection drains its own
    /// run at the end so that a collection's entries are contiguous.
    pending: Vec<Entry>,
    depth: usize,
    /// The start and end of the line [`Builder::col`] looked at last: a flow
    /// collection on one long line asks for the column of every item, and
    /// scanning back to the line start each time was quadratic (found by
    /// fuzzing: a 10 MB `[1,2,...]` line did not finish).
    line: std::cell::Cell<(usize, usize)>,
}

impl<'a> Builder<'a> {
    fn next(&mut self) -> Result<(Event<'a>, Span)> {
        match self.parser.next_event() {
            Some(Ok((ev, span))) => {
                let s = self.chars.byte(self.src, span.start.index());
                let e = self.chars.byte(self.src, span.end.index()).max(s);
                Ok((ev, (s, e)))
            }
            Some(Err(err)) => {
                let mut at = self.chars.byte(self.src, err.marker().index());
                if err.info().contains("tab") {
                    at = misplaced_tab(self.src, at);
                }
                if err.info() == "recursion limit exceeded" {
                    // The event parser's own limit on flow nesting: say which.
                    let reason = "nesting deeper than 255 levels is not supported \
                                  (the YAML parser's recursion limit)";
                    return Err(self.error(at, reason));
                }
                Err(self.error(at, &super::hints::explained(err.info())))
            }
            None => Err(self.error(self.src.len(), "unexpected end of the event stream")),
        }
    }

    /// [`column`] of `pos`, in constant time for positions on the line asked
    /// about last.
    fn col(&self, pos: usize) -> usize {
        let (mut start, mut end) = self.line.get();
        if !(start <= pos && pos <= end) {
            start = line_start(self.src, pos);
            end = self.src[pos..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(self.src.len(), |i| pos + i);
            self.line.set((start, end));
        }
        if start == 0 && self.src.starts_with(super::text::BOM) {
            pos - super::text::BOM.len().min(pos)
        } else {
            pos - start
        }
    }

    fn error(&self, at: usize, reason: &str) -> Error {
        Error::syntax_at(self.name, self.source, self.shifts.to_text(at), reason)
    }

    fn stream(&mut self) -> Result<()> {
        let (ev, _) = self.next()?;
        if !matches!(ev, Event::StreamStart) {
            return Err(self.error(0, "expected the start of a YAML stream"));
        }
        let mut prev_end = 0;
        loop {
            let (ev, span) = self.next()?;
            match ev {
                Event::StreamEnd => return Ok(()),
                Event::DocumentStart(explicit) => {
                    let doc = self.document(prev_end, explicit, span)?;
                    prev_end = doc.end as usize;
                    self.tree.docs.push(doc);
                }
                _ => return Err(self.error(span.0, "expected a document")),
            }
        }
    }

    fn document(&mut self, start: usize, explicit: bool, span: Span) -> Result<Document> {
        if explicit && !self.src[span.0..].starts_with(b"---") {
            // The event parser counts the bytes, not the characters, of a
            // directive's words (saphyr-parser 0.3): every position after a
            // non-ASCII one is off, and the tree would be wrong (found by
            // fuzzing). Refuse rather than merge the wrong bytes.
            let end = line_start(self.src, span.0);
            let mut at = start;
            for line in self.src[start..end].split_inclusive(|&b| b == b'\n') {
                match line.iter().position(|&b| b >= 0x80) {
                    Some(i) if line.first() == Some(&b'%') => {
                        at += i;
                        break;
                    }
                    _ => at += line.len(),
                }
            }
            return Err(self.error(
                at,
                "non-ASCII characters in a directive (a `%` line) are not supported",
            ));
        }
        let body_after = if explicit {
            span.1
        } else {
            past_stray_document_ends(self.src, start)
        };
        let (ev, rspan) = self.next()?;
        let root = self.node(ev, rspan, Some(body_after), None)?;
        let node = self.tree.nodes[root as usize];
        let (root_start, root_end) = if node.kind.is_block() {
            let first = node.first_entry as usize;
            self.detach_document_header(first, start);
            (
                self.tree.entries[first].lead as usize,
                node.tail_end as usize,
            )
        } else {
            let last = (node.end as usize).max(body_after);
            // The indentation of a root on its own line is the root's, as
            // for a block root, not the header's.
            let line = line_start(self.src, node.start as usize);
            let from = if line >= body_after && only_blanks_before(self.src, node.start as usize) {
                line
            } else {
                node.start as usize
            };
            (from, past_content_end(self.src, last))
        };
        let (ev, dspan) = self.next()?;
        if !matches!(ev, Event::DocumentEnd) {
            return Err(self.error(dspan.0, "expected the end of the document"));
        }
        let mut end = root_end;
        if &self.src[dspan.0..dspan.1] == b"..." {
            end = past_line_end(self.src, dspan.1).max(root_end);
        }
        Ok(Document {
            start: start as u32,
            root_start: root_start.max(start) as u32,
            root,
            root_end: root_end as u32,
            end: end as u32,
        })
    }

    /// Comments at the top of a document that are separated from the first
    /// key by a blank line describe the file, not that key: they stay with
    /// the document when the first entry moves.
    fn detach_document_header(&mut self, first: usize, doc_start: usize) {
        let entry = self.tree.entries[first];
        let (lead, start) = (entry.lead as usize, entry.start as usize);
        if lead == start || !only_blanks_before(self.src, start) {
            return;
        }
        let mut attached = line_start(self.src, start);
        while attached > lead.max(doc_start) {
            let prev = line_start(self.src, attached - 1);
            let ind = indent_at(self.src, prev);
            if is_blank_line(self.src, prev) || self.src.get(prev + ind) != Some(&b'#') {
                break;
            }
            attached = prev;
        }
        self.tree.entries[first].lead = attached as u32;
    }

    /// Builds the node that starts with event `ev`. `after` is where the
    /// node's text may start in block context (after `:`, `-`, `?` or `---`),
    /// `None` in flow context; `parent_col` is the column of the block entry
    /// that holds the node.
    fn node(
        &mut self,
        ev: Event<'a>,
        span: Span,
        after: Option<usize>,
        parent_col: Option<usize>,
    ) -> Result<NodeId> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(
                span.0,
                &format!("nesting deeper than {MAX_DEPTH} levels is not supported"),
            ));
        }
        let id = match ev {
            Event::Scalar(value, style, anchor, tag) => {
                self.scalar(&value, style, anchor, tag.as_deref(), span, after)
            }
            Event::Alias(_) => {
                let name = &self.src[(span.0 + 1).min(span.1)..span.1];
                let data = data::alias_fingerprint(name);
                let value = self.intern(&String::from_utf8_lossy(name));
                self.push_leaf(
                    NodeKind::Alias,
                    ScalarStyle::Plain,
                    span,
                    value,
                    data,
                    false,
                )
            }
            Event::MappingStart(anchor, tag) => {
                self.collection(true, anchor, tag.as_deref(), span, after, parent_col)?
            }
            Event::SequenceStart(anchor, tag) => {
                self.collection(false, anchor, tag.as_deref(), span, after, parent_col)?
            }
            _ => return Err(self.error(span.0, "expected a node")),
        };
        self.depth -= 1;
        Ok(id)
    }

    fn intern(&mut self, s: &str) -> (u32, u32) {
        let start = self.tree.strings.len() as u32;
        self.tree.strings.push_str(s);
        (start, self.tree.strings.len() as u32)
    }

    fn push_leaf(
        &mut self,
        kind: NodeKind,
        style: ScalarStyle,
        (start, end): Span,
        value: (u32, u32),
        data: u64,
        has_properties: bool,
    ) -> NodeId {
        let col = self.col(start);
        self.tree.nodes.push(Node {
            kind,
            style,
            start: start as u32,
            end: end as u32,
            tail_end: end as u32,
            col: col as u32,
            first_entry: 0,
            entry_count: 0,
            value,
            data,
            has_properties,
        });
        (self.tree.nodes.len() - 1) as NodeId
    }

    fn scalar(
        &mut self,
        value: &str,
        style: PStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: Span,
        after: Option<usize>,
    ) -> NodeId {
        let props = usize::from(anchor != 0) + usize::from(tag.is_some());
        let style = match style {
            PStyle::SingleQuoted => ScalarStyle::SingleQuoted,
            PStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
            PStyle::Literal => ScalarStyle::Literal,
            PStyle::Folded => ScalarStyle::Folded,
            _ => ScalarStyle::Plain,
        };
        let src = self.src;
        let token_start = |fallback: usize| after.map_or(fallback, |a| next_token(src, a));
        let extent = match style {
            ScalarStyle::Plain if value.is_empty() && props == 0 => {
                let p = after.unwrap_or(span.0);
                (p, p)
            }
            ScalarStyle::Plain if value.is_empty() => {
                let s = token_start(span.0);
                (s, skip_properties(src, s, props))
            }
            ScalarStyle::Plain => (span.0, span.1),
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                let s = span.0;
                let quote = next_token(src, skip_properties(src, s, props));
                (s, quoted_end(src, quote))
            }
            ScalarStyle::Literal | ScalarStyle::Folded => {
                let s = token_start(span.0);
                let indicator = next_token(src, skip_properties(src, s, props));
                (s, block_scalar_end(src, indicator, span.1.max(s), value))
            }
        };
        let tag_text = tag.map(|t| format!("{}{}", t.handle, t.suffix));
        let data = data::scalar_fingerprint(value, style, tag_text.as_deref());
        let value = self.intern(value);
        self.push_leaf(NodeKind::Scalar, style, extent, value, data, props > 0)
    }

    fn collection(
        &mut self,
        is_map: bool,
        anchor: usize,
        tag: Option<&Tag>,
        span: Span,
        after: Option<usize>,
        parent_col: Option<usize>,
    ) -> Result<NodeId> {
        let props = usize::from(anchor != 0) + usize::from(tag.is_some());
        let start = after.map_or(span.0, |a| next_token(self.src, a));
        let props_end = skip_properties(self.src, start, props);
        let body = next_token(self.src, props_end);
        // A flow collection's start event spans its opening bracket; a block
        // mapping's ends before its first key's bracket (`[a]: b`),
        // which was once taken for a flow collection (found by fuzzing: a
        // panic, or a wrong tree).
        let flow = after.is_none()
            || (matches!(self.src.get(body), Some(b'{') | Some(b'[')) && span.1 > body);
        let tag_text = tag.map(|t| format!("{}{}", t.handle, t.suffix));
        let id = self.push_leaf(
            NodeKind::Scalar,
            ScalarStyle::Plain,
            (start, start),
            (0, 0),
            0,
            props > 0,
        );
        let base = self.pending.len();
        let (kind, end, tail_end, col) = if flow {
            let end = self.flow_entries(is_map)?;
            // A single pair in a flow sequence (`[ a: 1 ]`) has no braces of
            // its own: it ends with its value, not at the sequence's `]`.
            let end = if matches!(self.src.get(body), Some(b'{' | b'[')) {
                end
            } else {
                self.pending[base..]
                    .last()
                    .map_or(start, |e| e.end as usize)
            };
            let kind = if is_map {
                NodeKind::FlowMap
            } else {
                NodeKind::FlowSeq
            };
            (kind, end, end, self.col(start))
        } else {
            let hdr_from = if props > 0 {
                props_end
            } else {
                after.unwrap_or(start)
            };
            // A root indented on the first line of its document: its
            // indentation belongs to its first entry, as it does on any later
            // line, not to the document's header (which the merge may take
            // from a version whose root has another column; found by fuzzing).
            let indented_root =
                line_start(self.src, hdr_from) == hdr_from && only_blanks_before(self.src, body);
            let lead = if same_line(self.src, hdr_from, body) && !indented_root {
                body
            } else if line_start(self.src, hdr_from) == hdr_from {
                hdr_from
            } else {
                past_line_end(self.src, hdr_from)
            };
            let end = if is_map {
                self.block_map_entries(lead)?
            } else {
                self.block_seq_entries(lead)?
            };
            let Some(first) = self.pending.get(base).map(|e| e.start as usize) else {
                return Err(self.error(body, "expected an entry of a block collection"));
            };
            let col = column(self.src, first);
            let last_end = self.pending.last().map_or(lead, |e| e.end as usize);
            // A sequence written at its key's own column (`key:` then `- x`
            // below it) must not take the comments above the next key.
            let tail_col = parent_col.map_or(col, |p| col.max(p + 1));
            let tail = self.tail_end(last_end, tail_col);
            let kind = if is_map {
                NodeKind::BlockMap
            } else {
                NodeKind::BlockSeq
            };
            (kind, end, tail, col)
        };
        let data = self.fingerprint(is_map, base, tag_text.as_deref());
        let first_entry = self.tree.entries.len() as u32;
        let count = (self.pending.len() - base) as u32;
        self.tree.entries.extend(self.pending.drain(base..));
        let node = &mut self.tree.nodes[id as usize];
        node.kind = kind;
        node.end = end as u32;
        node.tail_end = tail_end as u32;
        node.col = col as u32;
        node.first_entry = first_entry;
        node.entry_count = count;
        node.data = data;
        Ok(id)
    }

    fn fingerprint(&self, is_map: bool, base: usize, tag: Option<&str>) -> u64 {
        let entries = &self.pending[base..];
        let nodes = &self.tree.nodes;
        if is_map {
            let acc = entries.iter().fold(0u64, |acc, e| {
                let k = nodes[e.key as usize].data;
                acc.wrapping_add(data::mapping_entry_fingerprint(
                    k,
                    nodes[e.value as usize].data,
                ))
            });
            data::seal("map", acc, entries.len(), tag)
        } else {
            let acc = entries.iter().fold(0u64, |acc, e| {
                data::sequence_step(acc, nodes[e.value as usize].data)
            });
            data::seal("seq", acc, entries.len(), tag)
        }
    }

    /// Reads the entries of a flow collection up to its end event and returns
    /// the byte after the closing bracket.
    fn flow_entries(&mut self, is_map: bool) -> Result<usize> {
        loop {
            let (ev, span) = self.next()?;
            if matches!(ev, Event::MappingEnd | Event::SequenceEnd) {
                return Ok(flow_close(self.src, span.0).unwrap_or(span.1));
            }
            let first = self.node(ev, span, None, None)?;
            let (key, value) = if is_map {
                let (vev, vspan) = self.next()?;
                let value = self.node(vev, vspan, None, None)?;
                self.place_empty_flow_value(first, value);
                (first, value)
            } else {
                (NO_NODE, first)
            };
            let start = self.tree.nodes[first as usize].start;
            let end = self.tree.nodes[value as usize].end.max(start);
            self.pending.push(Entry {
                lead: start,
                start,
                end,
                key,
                value,
            });
        }
    }

    /// An empty value in a flow mapping borrows the position of the next
    /// token: the `:` before it (`{ a: , b: }`), or the `,` or `}` after a
    /// lone key (`{ a, b }`). Put it right after the `:`, or right after the
    /// lone key, so that the entry holds its indicator and nothing more.
    fn place_empty_flow_value(&mut self, key: NodeId, value: NodeId) {
        let v = self.tree.nodes[value as usize];
        if v.kind != NodeKind::Scalar
            || v.has_properties
            || v.start != v.end
            || v.value.0 != v.value.1
        {
            return;
        }
        let key_end = self.tree.nodes[key as usize].end as usize;
        let colon = next_token(self.src, key_end);
        let at = if self.src.get(colon) == Some(&b':') {
            colon + 1
        } else {
            key_end
        };
        let col = self.col(at) as u32;
        let node = &mut self.tree.nodes[value as usize];
        (node.start, node.end, node.tail_end) = (at as u32, at as u32, at as u32);
        node.col = col;
    }

    /// Reads `key: value` entries; returns the end of the last value.
    fn block_map_entries(&mut self, lead: usize) -> Result<usize> {
        let mut prev = lead;
        let mut content_end = lead;
        loop {
            let (ev, span) = self.next()?;
            if matches!(ev, Event::MappingEnd) {
                return Ok(content_end);
            }
            let start = next_token(self.src, prev);
            let explicit =
                self.src.get(start) == Some(&b'?') && is_blank_or_end(self.src, start + 1);
            let col = column(self.src, start);
            let key = self.node(ev, span, explicit.then_some(start + 1), Some(col))?;
            let key_node = self.tree.nodes[key as usize];
            let key_end = (key_node.end as usize).max(start + usize::from(explicit));
            let colon = find_value_indicator(self.src, key_end, explicit.then_some(col));
            let value_after = colon.map_or(key_end, |c| c + 1);
            let (vev, vspan) = self.next()?;
            let value = self.node(vev, vspan, Some(value_after), Some(col))?;
            let (end, last) = self.entry_end(value, value_after);
            self.pending.push(Entry {
                lead: prev as u32,
                start: start as u32,
                end: end as u32,
                key,
                value,
            });
            prev = end;
            content_end = last;
        }
    }

    /// Reads `- item` entries; returns the end of the last item.
    fn block_seq_entries(&mut self, lead: usize) -> Result<usize> {
        let mut prev = lead;
        let mut content_end = lead;
        loop {
            let (ev, span) = self.next()?;
            if matches!(ev, Event::SequenceEnd) {
                return Ok(content_end);
            }
            let dash = next_token(self.src, prev);
            if self.src.get(dash) != Some(&b'-') {
                return Err(self.error(dash, "expected a '-' sequence item"));
            }
            let col = Some(column(self.src, dash));
            let value = self.node(ev, span, Some(dash + 1), col)?;
            let (end, last) = self.entry_end(value, dash + 1);
            self.pending.push(Entry {
                lead: prev as u32,
                start: dash as u32,
                end: end as u32,
                key: NO_NODE,
                value,
            });
            prev = end;
            content_end = last;
        }
    }

    /// Where an entry whose value is `value` ends (after its line break, its
    /// trailing comment and any nested tail), and where its content ends.
    fn entry_end(&self, value: NodeId, value_after: usize) -> (usize, usize) {
        let v = self.tree.nodes[value as usize];
        let last = (v.end as usize).max(value_after);
        let end = past_content_end(self.src, last).max(v.tail_end as usize);
        (end, last)
    }

    /// Comment lines after the last entry that are indented at least as deep
    /// as the entries belong to the collection (e.g. a commented-out option).
    fn tail_end(&self, from: usize, col: usize) -> usize {
        let src = self.src;
        let (mut p, mut end) = (from, from);
        while p < src.len() {
            let ind = indent_at(src, p);
            let blanks = ind
                + src[p + ind..]
                    .iter()
                    .take_while(|&&b| b == b' ' || b == b'\t')
                    .count();
            match src.get(p + blanks) {
                Some(b'\n' | b'\r') => p = next_line(src, p),
                Some(b'#') if blanks == ind && ind >= col => {
                    p = next_line(src, p);
                    end = p;
                }
                _ => break,
            }
        }
        end
    }
}

/// The byte after the bracket that closes a flow collection, looking from the
/// end event's span (which can start at a trailing comma).
fn flow_close(src: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        pos = next_token(src, pos);
        match src.get(pos)? {
            b',' => pos += 1,
            b'}' | b']' => return Some(pos + 1),
            _ => return None,
        }
    }
}

/// The parser reports a misplaced tab at the token after it, or at the start
/// of the plain scalar it was reading; point at the tab itself instead: the
/// first tab of the blanks right before `pos`, else the first tab used as
/// indentation after `pos`.
fn misplaced_tab(src: &[u8], pos: usize) -> usize {
    let blanks = src[..pos]
        .iter()
        .rev()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    let run = pos - blanks;
    if let Some(i) = src[run..pos].iter().position(|&b| b == b'\t') {
        return run + i;
    }
    let mut line = next_line(src, pos);
    while line < src.len() {
        let blank_end = line
            + src[line..]
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count();
        if let Some(i) = src[line..blank_end].iter().position(|&b| b == b'\t') {
            return line + i;
        }
        line = next_line(src, line);
    }
    pos
}

/// Past `...` lines that end no document (a stream may start with them, or
/// repeat them): where an implicit document's content can start. Without
/// this, a block collection after them was refused (found by fuzzing). Only
/// at column 0 is `...` a marker; indented, it is a plain scalar.
fn past_stray_document_ends(src: &[u8], mut pos: usize) -> usize {
    loop {
        let p = next_token(src, pos);
        let marker = line_start(src, p) == p && src[p..].starts_with(b"...");
        if !(marker && is_blank_or_end(src, p + 3)) {
            return pos;
        }
        pos = past_line_end(src, p + 3);
        if pos == p + 3 {
            return pos;
        }
    }
}

fn is_blank_or_end(src: &[u8], pos: usize) -> bool {
    matches!(src.get(pos), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
}

/// Finds the `:` that separates a key from its value: on the key's line for
/// implicit keys; for an explicit key (`?` at column `col`), also at the start
/// of a later line indented like the `?` (a `:` less indented belongs to an
/// outer mapping).
fn find_value_indicator(src: &[u8], key_end: usize, explicit: Option<usize>) -> Option<usize> {
    let mut p = key_end;
    while p < src.len() && (src[p] == b' ' || src[p] == b'\t') {
        p += 1;
    }
    if let Some(col) = explicit
        && src.get(p) != Some(&b':')
    {
        p = next_token(src, p);
        if column(src, p) != col || !only_blanks_before(src, p) {
            return None;
        }
    }
    (src.get(p) == Some(&b':') && is_blank_or_end(src, p + 1)).then_some(p)
}
