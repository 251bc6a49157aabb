//! A quick check of untouched text, for the YAML values files are mostly
//! written in: block mappings and sequences, plain keys, one-line scalars
//! (plain or quoted) and flow collections, comments, literal and folded
//! block scalars. It reads each line once and builds nothing, yet answers
//! what a parse would: that the text is valid, without aliases or duplicate
//! keys, the keys of its entries at the run's column, where its last entry
//! ends and how far it could reach into the lines after it.
//!
//! Runs of Kubernetes documents are checked the same way, document by
//! document, each also giving the identity the merge matches it by.
//!
//! It is deliberately narrow: any line outside that subset (anchors, tags,
//! aliases, quoted keys, multi-line scalars other than block scalars,
//! escapes other than the simple ones, tabs, non-ASCII text) makes it answer
//! `None`, and the run is parsed instead. Its tests and the fuzzer compare it
//! with the parser.

use std::collections::HashSet;
use std::ops::Range;

use super::lines::{Kind, Lines, indent};
use super::reach::Reach;
use crate::syntax::MAX_DEPTH;

/// What the quick check found in a run.
pub(super) struct Quick<'a> {
    /// The keys of the run's entries at its column, as written (plain keys:
    /// their text is their value).
    pub keys: Vec<&'a str>,
    /// How far its last entry reaches.
    pub reach: Reach,
    /// The header indentation of the block scalar it ends with, if any.
    pub ending: Option<usize>,
}

/// Checks the lines `range` of `lines`, which should hold whole entries of
/// a block mapping at column `col`, `level` mappings below the top.
pub(super) fn check<'a>(
    lines: &Lines<'a>,
    range: Range<u32>,
    col: usize,
    level: u32,
) -> Option<Quick<'a>> {
    let mut c = Checker::new(col, level, range.start, false);
    c.lines(lines, &range)?;
    c.finish(range.end)
}

/// Checks the lines `range` of a stream's `lines`, which should hold whole
/// documents, each from the blank lines above its `---`: their Kubernetes
/// identities (`apiVersion/kind/namespace/name`, as the merge matches them)
/// and the header indentation of the block scalar the last one ends with.
pub(super) fn documents(lines: &Lines, range: Range<u32>) -> Option<(Vec<String>, Option<usize>)> {
    let starts = &lines.documents;
    let from = starts.partition_point(|&d| d < range.start);
    let to = starts.partition_point(|&d| d < range.end);
    let bounds: Vec<u32> = std::iter::once(range.start)
        .chain(
            starts[from..to]
                .iter()
                .copied()
                .filter(|&d| d > range.start),
        )
        .chain(std::iter::once(range.end))
        .collect();
    let mut names = Vec::with_capacity(bounds.len());
    let mut ending = None;
    for doc in bounds.windows(2) {
        let marker = (doc[0]..doc[1]).find(|&k| !lines.line(k).is_empty())?;
        let after = lines.line(marker).strip_prefix(b"---")?;
        if !(after.is_empty() || line_end_ok(after).is_some()) {
            return None;
        }
        let mut c = Checker::new(0, 0, marker + 1, true);
        c.lines(lines, &(marker + 1..doc[1]))?;
        let id = c.identity()?;
        let quick = c.finish(doc[1])?;
        let mut keys = quick.keys;
        keys.sort_unstable();
        if keys.windows(2).any(|w| w[0] == w[1]) {
            return None;
        }
        names.push(id);
        ending = quick.ending;
    }
    Some((names, ending))
}

/// An open block collection.
struct Frame<'a> {
    col: usize,
    seq: bool,
    /// A sequence written at its key's own column (`key:` then `- x`).
    at_key_col: bool,
    /// A mapping's keys so far (the run's own mapping leaves this to the
    /// caller, which checks its keys against their neighbours').
    keys: Option<Keys<'a>>,
}

/// The keys of one open mapping: those on the shared stack from `from` on,
/// or, past a few, a set of their own.
struct Keys<'a> {
    from: usize,
    many: Option<HashSet<&'a str>>,
}

impl<'a> Keys<'a> {
    /// False when the key is there already.
    fn insert(&mut self, key: &'a str, stack: &mut Vec<&'a str>) -> bool {
        const FEW: usize = 16;
        if let Some(set) = &mut self.many {
            return set.insert(key);
        }
        if stack[self.from..].contains(&key) {
            return false;
        }
        stack.push(key);
        if stack.len() - self.from > FEW {
            self.many = Some(stack.drain(self.from..).collect());
        }
        true
    }
}

/// A Kubernetes identity field as found: absent, a plain scalar, or
/// something else (which the quick check cannot read).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field<'a> {
    Missing,
    Plain(&'a str),
    Other,
}

/// A value to come on the lines below: the column of its key or `-`.
#[derive(Clone, Copy)]
struct Open {
    col: usize,
    key: bool,
}

/// Inside a block scalar: the column of its key or `-`, the indentation of
/// its header's line, and that of its content once seen.
#[derive(Clone, Copy)]
struct Block {
    parent: usize,
    header: usize,
    content: Option<usize>,
}

struct Checker<'a> {
    col: usize,
    /// How deep collections may nest here.
    room: usize,
    frames: Vec<Frame<'a>>,
    /// The keys of the open nested mappings (see [`Keys`]).
    nested_keys: Vec<&'a str>,
    open: Option<Open>,
    block: Option<Block>,
    /// The indentation of the line being read.
    line_indent: usize,
    keys: Vec<&'a str>,
    /// The line after the last one the current top entry owns.
    end: u32,
    /// The tail column of the current top entry's block collection.
    tail: Option<usize>,
    /// No comment line shallower than the tail since the last content line.
    tail_open: bool,
    /// Checking a document: its mapping's tail takes every comment line
    /// after its last entry, and its identity is read.
    document: bool,
    /// The current top entry's key.
    top_key: &'a str,
    /// `apiVersion`, `kind`, `metadata.namespace`, `metadata.name`.
    identity: [Field<'a>; 4],
}

impl<'a> Checker<'a> {
    fn new(col: usize, level: u32, start: u32, document: bool) -> Checker<'a> {
        Checker {
            col,
            room: MAX_DEPTH.saturating_sub(level as usize + 2),
            frames: Vec::new(),
            nested_keys: Vec::new(),
            open: None,
            block: None,
            line_indent: 0,
            keys: Vec::new(),
            end: start,
            tail: None,
            tail_open: false,
            document,
            top_key: "",
            identity: [Field::Missing; 4],
        }
    }

    fn lines(&mut self, lines: &Lines<'a>, range: &Range<u32>) -> Option<()> {
        let (indents, kinds) = lines.shapes(range);
        for (k, (&ind, &kind)) in (range.start..).zip(indents.iter().zip(kinds)) {
            if ind == u8::MAX {
                return None; // deeper than the table tells
            }
            self.line(k, lines.line(k), usize::from(ind), kind)?;
        }
        Some(())
    }

    /// What was found, when the text checked ends at line `end` with its
    /// last entry.
    fn finish(self, end: u32) -> Option<Quick<'a>> {
        let block = match self.block {
            Some(Block { content: None, .. }) => return None,
            Some(b) => b.content,
            None => None,
        };
        (self.end == end && !self.keys.is_empty()).then_some(Quick {
            keys: self.keys,
            reach: Reach {
                tail: self.tail,
                block,
            },
            ending: self.block.map(|b| b.header),
        })
    }

    /// The document's Kubernetes identity, when its fields are plain.
    fn identity(&self) -> Option<String> {
        let plain = |f: Field<'a>| match f {
            Field::Plain(s) => Some(s),
            _ => None,
        };
        let [api, kind, namespace, name] = self.identity;
        let namespace = match namespace {
            Field::Missing => "",
            f => plain(f)?,
        };
        Some(format!(
            "{}/{}/{namespace}/{}",
            plain(api)?,
            plain(kind)?,
            plain(name)?
        ))
    }

    fn line(&mut self, k: u32, line: &'a [u8], ind: usize, kind: Kind) -> Option<()> {
        if let Some(block) = self.block {
            if self.block_line(block, k, line, ind)? {
                return Some(());
            }
            self.block = None;
        }
        if kind == Kind::Blank {
            return Some(());
        }
        match line[ind] {
            b'#' => {
                text_ok(line)?;
                if self.document || (self.tail_open && self.tail.is_some_and(|t| ind >= t)) {
                    self.end = k + 1;
                } else {
                    self.tail_open = false;
                }
                Some(())
            }
            b'\t' => None,
            _ => {
                self.end = k + 1;
                self.tail_open = true;
                self.line_indent = ind;
                self.content(ind, &line[ind..])
            }
        }
    }

    /// A line after a block scalar's header: `Some(true)` when it is the
    /// scalar's, `Some(false)` when the scalar ended before it.
    fn block_line(&mut self, b: Block, k: u32, line: &[u8], ind: usize) -> Option<bool> {
        let blank = ind == line.len();
        let n = match b.content {
            // Leading blank lines and empty block scalars: left to the parser.
            None if blank || ind <= b.parent => return None,
            None => {
                self.block = Some(Block {
                    content: Some(ind),
                    ..b
                });
                ind
            }
            Some(n) => n,
        };
        if blank {
            if ind > n {
                self.end = k + 1;
            }
            return Some(true);
        }
        if ind < n {
            return Some(false);
        }
        text_ok(line)?;
        self.end = k + 1;
        self.tail_open = true;
        Some(true)
    }

    /// A content line (`rest` is the line from its first non-blank byte).
    fn content(&mut self, ind: usize, rest: &'a [u8]) -> Option<()> {
        let dash = is_dash(rest);
        if let Some(open) = self.open.take() {
            if ind > open.col {
                self.push(ind, dash, false)?;
            } else if ind == open.col && open.key && dash {
                self.push(ind, true, true)?;
            }
        }
        while let Some(top) = self.frames.last() {
            let ended = top.col > ind || (top.at_key_col && top.col == ind && !dash);
            if !ended {
                break;
            }
            if let Some(Frame {
                keys: Some(keys), ..
            }) = self.frames.pop()
            {
                self.nested_keys.truncate(keys.from);
            }
        }
        if self.frames.is_empty() {
            // The run's own mapping, opened by its first key.
            if !self.keys.is_empty() || ind != self.col {
                return None;
            }
            self.frames.push(Frame {
                col: ind,
                seq: false,
                at_key_col: false,
                keys: None,
            });
        }
        let top = self.frames.last()?;
        if top.col != ind {
            return None;
        }
        if top.seq {
            self.item(ind, rest)
        } else {
            self.entry(ind, rest)
        }
    }

    fn push(&mut self, col: usize, seq: bool, at_key_col: bool) -> Option<()> {
        if self.frames.len() >= self.room {
            return None;
        }
        if self.frames.len() == 1 {
            // The value of a top entry: its tail column.
            self.tail = Some(col.max(self.col + 1));
        }
        let from = self.nested_keys.len();
        self.frames.push(Frame {
            col,
            seq,
            at_key_col,
            keys: (!seq).then_some(Keys { from, many: None }),
        });
        Some(())
    }

    /// `key: value` in a mapping.
    fn entry(&mut self, col: usize, rest: &'a [u8]) -> Option<()> {
        let (key, after) = split_key(rest)?;
        self.add_key(key)?;
        let depth = self.frames.len();
        if depth == 1 {
            self.top_key = key;
        }
        let value = self.value(after, col, true)?;
        if self.document {
            self.note_field(depth, key, value);
        }
        Some(())
    }

    /// Notes an identity field of a document: `value` is the plain scalar
    /// of `key`, `depth` mappings deep, if it has one.
    fn note_field(&mut self, depth: usize, key: &str, value: Option<&'a str>) {
        let in_metadata = depth == 2 && self.top_key == "metadata";
        let slot = match key {
            "apiVersion" if depth == 1 => 0,
            "kind" if depth == 1 => 1,
            "namespace" if in_metadata => 2,
            "name" if in_metadata => 3,
            _ => return,
        };
        self.identity[slot] = value.map_or(Field::Other, Field::Plain);
    }

    fn add_key(&mut self, key: &'a str) -> Option<()> {
        let top = self.frames.last_mut()?;
        match &mut top.keys {
            Some(keys) => keys.insert(key, &mut self.nested_keys).then_some(()),
            None => {
                self.keys.push(key);
                self.tail = None;
                Some(())
            }
        }
    }

    /// `- item` in a sequence; the item may open a mapping on its line.
    fn item(&mut self, col: usize, rest: &'a [u8]) -> Option<()> {
        if !is_dash(rest) {
            return None;
        }
        let after = &rest[1..];
        let gap = indent(after);
        let content = &after[gap..];
        if is_dash(content) {
            return None;
        }
        if let Some((key, after_key)) = split_key(content) {
            let key_col = col + 1 + gap;
            self.push(key_col, false, false)?;
            self.add_key(key)?;
            return self.value(after_key, key_col, true).map(|_| ());
        }
        self.value(after, col, false).map(|_| ())
    }

    /// What follows a key's `:` or an item's `-`, whose column is `parent`:
    /// `Some(Some(text))` for a plain scalar, `Some(None)` for anything else
    /// valid.
    fn value(&mut self, after: &'a [u8], parent: usize, key: bool) -> Option<Option<&'a str>> {
        let s = &after[indent(after)..];
        let Some(&first) = s.first() else {
            self.open = Some(Open { col: parent, key });
            return Some(None);
        };
        let end = match first {
            b'#' => {
                text_ok(s)?;
                self.open = Some(Open { col: parent, key });
                return Some(None);
            }
            b'|' | b'>' => {
                self.block = Some(Block {
                    parent,
                    header: self.line_indent,
                    content: None,
                });
                1 + usize::from(s.get(1) == Some(&b'-'))
            }
            b'"' => double_quoted(s)?,
            b'\'' => single_quoted(s)?,
            b'[' | b'{' => {
                let room = self.room.saturating_sub(self.frames.len());
                flow(s, 0, room, &mut self.nested_keys)?
            }
            _ => {
                let len = plain(s, false)?;
                let text = &s[..len];
                let text =
                    &text[..text.len() - text.iter().rev().take_while(|&&b| b == b' ').count()];
                return std::str::from_utf8(text).ok().map(Some);
            }
        };
        line_end_ok(&s[end..]).map(|_| None)
    }
}

fn is_dash(rest: &[u8]) -> bool {
    rest.first() == Some(&b'-') && matches!(rest.get(1), None | Some(b' '))
}

/// Bytes as the quick check reads them, one table each: a byte of a plain
/// key; text (comments, block scalar content); and a byte that cannot end a
/// plain scalar, in block and in flow context.
static KEY: [bool; 256] = table(Table::Key);
static TEXT: [bool; 256] = table(Table::Text);
static PLAIN_BLOCK: [bool; 256] = table(Table::PlainBlock);
static PLAIN_FLOW: [bool; 256] = table(Table::PlainFlow);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Table {
    Key,
    Text,
    PlainBlock,
    PlainFlow,
}

const fn table(which: Table) -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0u8;
    loop {
        let printable = b >= b' ' && b <= b'~';
        let flow_indicator = matches!(b, b',' | b'[' | b']' | b'{' | b'}');
        t[b as usize] = match which {
            Table::Key => b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'),
            Table::Text => printable || b == b'\t',
            Table::PlainBlock => printable && b != b':' && b != b'#',
            Table::PlainFlow => printable && b != b':' && b != b'#' && !flow_indicator,
        };
        if b == u8::MAX {
            return t;
        }
        b += 1;
    }
}

/// A plain key (a letter, digit or `_`, then those or `-./`) and what
/// follows its `: ` (or its `:` at the line's end).
fn split_key(rest: &[u8]) -> Option<(&str, &[u8])> {
    const LONGEST: usize = 128;
    let first = *rest.first()?;
    if !(first.is_ascii_alphanumeric() || first == b'_') {
        return None;
    }
    let len = rest.iter().position(|&b| !KEY[usize::from(b)])?;
    if len > LONGEST || rest[len] != b':' || !matches!(rest.get(len + 1), None | Some(b' ')) {
        return None;
    }
    let key = std::str::from_utf8(&rest[..len]).ok()?;
    Some((key, &rest[len + 1..]))
}

/// Printable ASCII and tabs: comments and block scalar content.
fn text_ok(s: &[u8]) -> Option<()> {
    s.iter().all(|&b| TEXT[usize::from(b)]).then_some(())
}

/// What may follow a scalar or flow collection on its line: blanks and a
/// comment.
fn line_end_ok(s: &[u8]) -> Option<()> {
    let blanks = indent(s);
    match s.get(blanks) {
        None => Some(()),
        Some(b'#') if blanks > 0 => text_ok(s),
        _ => None,
    }
}

/// A plain scalar that starts no other token: `flow` for one inside a flow
/// collection. Returns its length (trailing blanks included); in block
/// context it runs to the line's end, a comment allowed after it.
fn plain(s: &[u8], flow: bool) -> Option<usize> {
    let first = *s.first()?;
    let starts_ok = first.is_ascii_alphanumeric()
        || b"_./$()~+=^<;\\".contains(&first)
        || (first == b'-' && s.get(1).is_some_and(|&b| b != b' '));
    if !starts_ok {
        return None;
    }
    let ordinary = if flow { &PLAIN_FLOW } else { &PLAIN_BLOCK };
    let mut i = 0;
    loop {
        i += s[i..]
            .iter()
            .position(|&b| !ordinary[usize::from(b)])
            .unwrap_or(s.len() - i);
        let Some(&b) = s.get(i) else {
            return Some(s.len());
        };
        match b {
            b',' | b']' | b'}' if flow => return Some(i),
            // Not the first byte: that one starts no token.
            b'#' if !flow && s[i - 1] == b' ' => return text_ok(&s[i..]).map(|_| i),
            b'#' if !flow => {}
            b':' if !flow && !matches!(s.get(i + 1), None | Some(b' ')) => {}
            _ => return None,
        }
        i += 1;
    }
}

/// A double-quoted scalar closed on its line, with simple escapes only.
/// Returns the length up to its closing quote.
fn double_quoted(s: &[u8]) -> Option<usize> {
    let mut i = 1;
    loop {
        match *s.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => {
                if !b"\\\"/0abtnvfre N_LP".contains(s.get(i + 1)?) {
                    return None;
                }
                i += 2;
            }
            b' '..=b'~' => i += 1,
            _ => return None,
        }
    }
}

/// A single-quoted scalar closed on its line (`''` inside).
fn single_quoted(s: &[u8]) -> Option<usize> {
    let mut i = 1;
    loop {
        match *s.get(i)? {
            b'\'' if s.get(i + 1) == Some(&b'\'') => i += 2,
            b'\'' => return Some(i + 1),
            b' '..=b'~' => i += 1,
            _ => return None,
        }
    }
}

/// A flow collection closed on its line, starting at `at`: scalars and
/// nested collections as items, plain keys with `: ` in mappings (unique;
/// checked on `stack`, left as it was), no trailing comma. Returns the
/// offset after its closing bracket.
fn flow<'a>(s: &'a [u8], at: usize, room: usize, stack: &mut Vec<&'a str>) -> Option<usize> {
    let from = stack.len();
    let end = flow_items(s, at, room, stack);
    stack.truncate(from);
    end
}

fn flow_items<'a>(s: &'a [u8], at: usize, room: usize, stack: &mut Vec<&'a str>) -> Option<usize> {
    const MOST_KEYS: usize = 64;
    if room == 0 {
        return None;
    }
    let map = s[at] == b'{';
    let close = if map { b'}' } else { b']' };
    let from = stack.len();
    let mut i = skip_blanks(s, at + 1);
    if s.get(i) == Some(&close) {
        return Some(i + 1);
    }
    loop {
        if map {
            let (key, after) = split_key(&s[i..])?;
            let keys = &stack[from..];
            if after.first() != Some(&b' ') || keys.contains(&key) || keys.len() == MOST_KEYS {
                return None;
            }
            stack.push(key);
            i = skip_blanks(s, i + key.len() + 1);
        }
        i = match *s.get(i)? {
            b'[' | b'{' => flow(s, i, room - 1, stack)?,
            b'"' => i + double_quoted(&s[i..])?,
            b'\'' => i + single_quoted(&s[i..])?,
            _ => i + plain(&s[i..], true)?,
        };
        i = skip_blanks(s, i);
        match *s.get(i)? {
            b',' => {
                i = skip_blanks(s, i + 1);
                if s.get(i) == Some(&close) {
                    return None;
                }
            }
            b if b == close => return Some(i + 1),
            _ => return None,
        }
    }
}

fn skip_blanks(s: &[u8], from: usize) -> usize {
    from + indent(&s[from.min(s.len())..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax;

    fn quick(text: &str, col: usize) -> Option<Vec<String>> {
        let lines = Lines::new(text)?;
        check(&lines, 0..lines.count(), col, 0)
            .map(|q| q.keys.iter().map(|k| k.to_string()).collect())
    }

    #[test]
    fn values_files_pass() {
        let text = "\
# Section 1: settings
component1:
  enabled: true
  image:
    repository: registry.example.com/team/component1
    tag: \"v1.1.0\"
  # resources for the main container
  resources:
    limits: {cpu: 500m, memory: 512Mi}
  env:
    - name: VAR_0
      value: 'value-1-0'
  args:
  - --port=8001
  - [a, {b: 1}]
  script: |
    echo start 1

    run --component 1 # not a comment
      # nor this
  empty: {}
  none:
component2: x # comment
";
        assert_eq!(quick(text, 0).unwrap(), ["component1", "component2"]);
        let nested = "    a:\n      b: 1\n      # b's tail\n    c: >-\n      folded\n";
        assert_eq!(quick(nested, 4).unwrap(), ["a", "c"]);
    }

    #[test]
    fn anything_else_is_left_to_the_parser() {
        for text in [
            "a: &x 1\n",
            "a: *x\n",
            "a: !t 1\n",
            "\"a\": 1\n",
            "a: one\n  two\n",
            "a: \"one\n  two\"\n",
            "a: \"\\x41\"\n",
            "a: |2\n   x\n",
            "a: |\n\n  x\n",
            "a: |\nb: 1\n",
            "a: é\n",
            "a: 1 # é\n",
            "a: b: c\n",
            "a: b:\n",
            "a:\n  b: 1\n  b: 2\n",
            "a: {b: 1, b: 2}\n",
            "a: [1, 2,]\n",
            "a: [1\n",
            "a: 1\n  # tail of nothing\n",
            "a:\n  - - x\n",
            "a:\n  b: 1\n   c: 1\n",
            "a: 1\n\n",
            "? a\n: 1\n",
            "a:\tb\n",
            "- a\n",
        ] {
            assert!(quick(text, 0).is_none(), "{text:?}");
        }
        assert!(quick("  a: 1\n", 0).is_none());
    }

    #[test]
    fn documents_give_their_kubernetes_identities() {
        let stream = "\
# header
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: config-1 # the first
  namespace: apps
data:
  script: |
    echo 1

--- # a comment
# about it
apiVersion: apps/v1
kind: Deployment
metadata:
  labels: {app: x}
  name: service-2
spec:
  containers:
    - name: main
      args: [--port, \"80\"]
# a tail
";
        let lines = Lines::new(stream).unwrap();
        let (names, ending) = documents(&lines, 1..lines.count()).unwrap();
        let tree = syntax::parse("t", stream.as_bytes()).unwrap();
        let parsed: Vec<String> = tree
            .documents()
            .iter()
            .map(|d| crate::matching::kubernetes_identity(&tree, d.root).unwrap())
            .collect();
        assert_eq!(names, parsed);
        assert_eq!(ending, None);
        let (_, ending) = documents(&lines, 1..10).unwrap();
        assert_eq!(ending, Some(2));
        for odd in [
            "name: \"quoted\"",
            "name:",
            "name: [x]",
            "name: x\n  name: y",
        ] {
            let text = stream.replace("name: config-1 # the first", odd);
            let lines = Lines::new(&text).unwrap();
            assert!(documents(&lines, 1..lines.count()).is_none(), "{odd}");
        }
    }

    /// A small random generator (xorshift).
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    const SCALARS: &[&str] = &[
        "1",
        "x y",
        "\"q\"",
        "'s''t'",
        "[a, {b: 1}]",
        "{}",
        "--flag",
        "a # c",
        "\"e\\n\"",
    ];
    const TRIVIA: &[&str] = &["", "   ", "# c", "  # c", "      # c", "    "];

    /// Random block mapping entries at column `col`, `depth` levels deep.
    fn mapping(rng: &mut Rng, out: &mut String, col: usize, depth: usize) {
        for k in 0..1 + rng.below(3) {
            if rng.below(4) == 0 {
                out.push_str(rng.pick(TRIVIA));
                out.push('\n');
            }
            let key = ["a", "b", "c"][k];
            let pad = " ".repeat(col);
            match rng.below(if depth > 2 { 2 } else { 5 }) {
                0 => out.push_str(&format!("{pad}{key}: {}\n", rng.pick(SCALARS))),
                1 => {
                    let deeper = col + 1 + rng.below(3);
                    out.push_str(&format!("{pad}{key}: {}\n", rng.pick(&["|", ">-", "|-"])));
                    for _ in 0..1 + rng.below(3) {
                        let extra = rng.below(3);
                        out.push_str(&format!(
                            "{:w$}{}\n",
                            "",
                            rng.pick(&["t", "# t", ""]),
                            w = deeper + extra
                        ));
                    }
                }
                2 => {
                    out.push_str(&format!("{pad}{key}:\n"));
                    let deeper = col + 1 + rng.below(3);
                    mapping(rng, out, deeper, depth + 1);
                }
                _ => {
                    out.push_str(&format!("{pad}{key}:\n"));
                    let dash = col + rng.below(3);
                    for _ in 0..1 + rng.below(2) {
                        if rng.below(2) == 0 {
                            out.push_str(&format!("{:dash$}- {}\n", "", rng.pick(SCALARS)));
                        } else {
                            out.push_str(&format!("{:dash$}- ", ""));
                            let at = out.len();
                            mapping(rng, out, dash + 2, depth + 1);
                            // The first entry goes on the dash's line.
                            let first = out[at..].find(|c: char| c != ' ').unwrap_or(0);
                            out.replace_range(at..at + first, "");
                        }
                    }
                }
            }
            if rng.below(5) == 0 {
                out.push_str(rng.pick(TRIVIA));
                out.push('\n');
            }
        }
    }

    /// A random text near the subset: generated entries, then perhaps a line
    /// dropped, repeated or shifted.
    fn near_yaml(rng: &mut Rng) -> String {
        let mut out = String::new();
        mapping(rng, &mut out, 0, 0);
        let mut lines: Vec<String> = out.lines().map(str::to_string).collect();
        let at = rng.below(lines.len());
        match rng.below(5) {
            0 => drop(lines.remove(at)),
            1 => lines.insert(at, lines[at].clone()),
            2 => lines[at].insert(0, ' '),
            _ => {}
        }
        lines.iter().map(|l| format!("{l}\n")).collect()
    }

    /// Whatever the quick check accepts, the parser accepts with the same
    /// keys and the same end; and what its last entry does not reach into
    /// stays outside it in the parse.
    #[test]
    fn agrees_with_the_parser() {
        const AFTER: &[&str] = &[
            "",
            "\n",
            "   \n",
            "      \n",
            "# c\n",
            "  # c\n",
            "\n    # c\n",
            "      # c\n",
        ];
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let mut accepted = 0;
        for _ in 0..20_000 {
            let text = near_yaml(&mut rng);
            let Some(lines) = Lines::new(&text) else {
                continue;
            };
            let Some(q) = check(&lines, 0..lines.count(), 0, 0) else {
                continue;
            };
            accepted += 1;
            let tree = syntax::parse("t", text.as_bytes())
                .unwrap_or_else(|e| panic!("accepted, but the parser refuses: {e}\n{text}"));
            let entries = tree.entries(tree.documents()[0].root);
            let parsed: Vec<&str> = entries.iter().map(|e| tree.value(e.key)).collect();
            assert_eq!(q.keys, parsed, "{text}");
            assert_eq!(entries.last().unwrap().end as usize, text.len(), "{text}");
            // The caller checks the run's own keys against their neighbours'.
            let unique = q.keys.iter().collect::<HashSet<_>>().len() == q.keys.len();
            let checked = !crate::matching::repeats_a_key(&tree);
            assert_eq!(checked, unique, "{text}");
            for after in AFTER {
                let whole = format!("{text}{after}zz: 1\n");
                let Ok(tree) = syntax::parse("t", whole.as_bytes()) else {
                    continue;
                };
                let entries = tree.entries(tree.documents()[0].root);
                let end = entries[q.keys.len() - 1].end as usize;
                if !q.reach.reaches(after.as_bytes()) {
                    assert_eq!(
                        end,
                        text.len(),
                        "{:?} reaches into {after:?}\n{text}",
                        q.reach
                    );
                }
            }
        }
        assert!(accepted > 5000, "only {accepted} accepted");
    }
}
