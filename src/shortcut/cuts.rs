//! Where a block mapping is cut: before each entry at its column, with the
//! comment and blank lines above it that the tree gives that entry, found by
//! a line scan of indentation. The scan follows the tree's rules (a block
//! collection keeps the comment lines after it indented at least as deep as
//! its entries, a block scalar the lines indented like its content, anything
//! else nothing), so its cuts are usually the tree's; they are only a guess
//! all the same, and everything built on them is checked against parses.

use std::ops::Range;

use super::lines::{Kind, Lines};

/// The lines of one version that hold the entries of a block mapping, and
/// the column of those entries.
#[derive(Debug, Clone)]
pub(super) struct Segment {
    pub lines: Range<u32>,
    pub col: usize,
}

/// What follows a key on its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Value {
    /// Nothing (a comment at most): a collection below, or null.
    Open,
    /// A block scalar's header.
    Block,
    /// Anything else: a scalar or a flow collection, perhaps continued on
    /// the lines below.
    Inline,
}

/// The pieces of a segment, as line ranges: the first from the segment's
/// start (with whatever precedes its first key), then one per further key
/// at the segment's column, from the first line its entry owns.
pub(super) fn pieces(lines: &Lines, seg: &Segment) -> Vec<Range<u32>> {
    let mut cuts = vec![seg.lines.start];
    let mut entry: Option<Owned> = None;
    let (indents, kinds) = lines.shapes(&seg.lines);
    for (k, (&ind, &kind)) in (seg.lines.start..).zip(indents.iter().zip(kinds)) {
        let ind = usize::from(ind);
        let key = (kind == Kind::Word && ind == seg.col)
            .then(|| value_after_key(lines.line(k), seg.col))
            .flatten();
        if let Some(value) = key {
            if let Some(e) = &entry {
                cuts.push(e.end);
            }
            entry = Some(Owned::new(k, value, seg.col));
        } else if let Some(e) = &mut entry {
            e.feed(k, ind, kind);
        }
    }
    cuts.push(seg.lines.end);
    cuts.windows(2).map(|w| w[0]..w[1]).collect()
}

/// The line of a piece's own key (after its leading comment and blank lines,
/// and the `---` of a document), when its value is open.
pub(super) fn open_key_line(lines: &Lines, piece: &Range<u32>, col: usize) -> Option<u32> {
    for k in piece.clone() {
        if matches!(lines.kind(k), Kind::Blank | Kind::Comment)
            || (col == 0 && lines.line(k).starts_with(b"---"))
        {
            continue;
        }
        return (key_at(lines, k, col) == Some(Value::Open)).then_some(k);
    }
    None
}

/// The mapping below a piece's key line `key`: from the next line to the
/// piece's end, when its first content line is a key indented deeper.
pub(super) fn body(lines: &Lines, piece: &Range<u32>, key: u32, col: usize) -> Option<Segment> {
    let lines_below = key + 1..piece.end;
    for k in lines_below.clone() {
        if matches!(lines.kind(k), Kind::Blank | Kind::Comment) {
            continue;
        }
        let ind = lines.indent(k);
        let fits = ind > col && ind < usize::from(u8::MAX) && key_at(lines, k, ind).is_some();
        return fits.then_some(Segment {
            lines: lines_below,
            col: ind,
        });
    }
    None
}

/// What follows the key when line `k` starts with one at column `col`: a
/// plain key beginning with a letter, digit or `_`, then `:` and a blank or
/// the line's end.
fn key_at(lines: &Lines, k: u32, col: usize) -> Option<Value> {
    if lines.kind(k) != Kind::Word || lines.indent(k) != col {
        return None;
    }
    value_after_key(lines.line(k), col)
}

/// The key of a key line (a plain key at `col`), as the parser reads it.
pub(super) fn key_text(line: &[u8], col: usize) -> Option<&str> {
    let key = &line[col..value_indicator(line, col)?];
    let key = &key[..key.len() - key.iter().rev().take_while(|&&b| b == b' ').count()];
    std::str::from_utf8(key).ok()
}

/// Where the `:` after a plain key at `col` is: the first one followed by a
/// blank or the line's end.
fn value_indicator(line: &[u8], col: usize) -> Option<usize> {
    let rest = line.get(col..)?;
    rest.windows(2)
        .position(|w| w[0] == b':' && w[1] == b' ')
        .or_else(|| line.ends_with(b":").then(|| rest.len() - 1))
        .map(|p| col + p)
}

/// What follows the key of `line`, which starts with a word at `col`.
fn value_after_key(line: &[u8], col: usize) -> Option<Value> {
    let colon = value_indicator(line, col)?;
    let mut rest = &line[colon + 1..];
    // Node properties (`&anchor`, `!tag`) come before the value.
    loop {
        rest = &rest[rest.iter().take_while(|&&b| b == b' ').count()..];
        match rest.first() {
            Some(b'&' | b'!') => {
                let token = rest.iter().position(|&b| b == b' ').unwrap_or(rest.len());
                rest = &rest[token..];
            }
            None | Some(b'#') => return Some(Value::Open),
            Some(b'|' | b'>') => return Some(Value::Block),
            Some(_) => return Some(Value::Inline),
        }
    }
}

/// The lines an entry owns so far, by the tree's rules.
struct Owned {
    value: Value,
    col: usize,
    /// The line after the last one it owns.
    end: u32,
    /// Its block collection's tail column: comment lines this deep after its
    /// last content line are still its own.
    tail: Option<usize>,
    /// No comment line shallower than the tail since the last content line.
    tail_open: bool,
    /// Its block scalar's content indentation, once seen.
    content: Option<usize>,
    /// Its block scalar has ended (a line less indented than its content).
    block_over: bool,
}

impl Owned {
    fn new(key: u32, value: Value, col: usize) -> Owned {
        Owned {
            value,
            col,
            end: key + 1,
            tail: None,
            tail_open: false,
            content: None,
            block_over: false,
        }
    }

    #[inline]
    fn feed(&mut self, k: u32, ind: usize, kind: Kind) {
        let blank = kind == Kind::Blank;
        if self.value == Value::Block && !self.block_over && self.block_line(k, ind, blank) {
            return;
        }
        if blank {
            return;
        }
        if kind == Kind::Comment {
            if self.tail_open && self.tail.is_some_and(|t| ind >= t) {
                self.end = k + 1;
            } else {
                self.tail_open = false;
            }
            return;
        }
        if self.value == Value::Open && self.tail.is_none() {
            // The collection's column; a sequence at the key's own column
            // keeps only comments deeper than the key.
            self.tail = Some(ind.max(self.col + 1));
        }
        self.end = k + 1;
        self.tail_open = true;
    }

    /// A line after a block scalar's header: true when it is the scalar's
    /// (content, or a blank line deeper than the content).
    fn block_line(&mut self, k: u32, ind: usize, blank: bool) -> bool {
        match self.content {
            None if blank => return true,
            None if ind > self.col => self.content = Some(ind),
            Some(n) if blank => {
                if ind > n {
                    self.end = k + 1;
                }
                return true;
            }
            Some(n) if ind >= n => {}
            _ => {
                self.block_over = true;
                return false;
            }
        }
        self.end = k + 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str, col: usize) -> Vec<String> {
        let lines = Lines::new(text).unwrap();
        let seg = Segment {
            lines: 0..lines.count(),
            col,
        };
        pieces(&lines, &seg)
            .iter()
            .map(|p| lines.slice(p).to_string())
            .collect()
    }

    #[test]
    fn entries_take_the_comments_above_them() {
        assert_eq!(
            cut(
                "# file\na: 1\n\n# about b\nb:\n  c: 1\n  # c's tail\n\n# about d\nd: |\n  x\n\ne: 1\n",
                0
            ),
            [
                "# file\na: 1\n",
                "\n# about b\nb:\n  c: 1\n  # c's tail\n",
                "\n# about d\nd: |\n  x\n",
                "\ne: 1\n"
            ]
        );
    }

    #[test]
    fn deeper_comments_after_a_scalar_belong_to_the_next_entry() {
        // `helm create`'s values: a commented-out block below `resources: {}`.
        assert_eq!(
            cut(
                "resources: {}\n  # limits:\n  #   cpu: 100m\nnodeSelector: {}\n",
                0
            ),
            [
                "resources: {}\n",
                "  # limits:\n  #   cpu: 100m\nnodeSelector: {}\n"
            ]
        );
    }

    #[test]
    fn block_scalars_keep_their_content_and_deeper_blank_lines() {
        assert_eq!(
            cut("  a: |\n    x\n     \n    # y\n  \n  b: 1\n", 2),
            ["  a: |\n    x\n     \n    # y\n", "  \n  b: 1\n"]
        );
    }

    #[test]
    fn a_sequence_at_its_keys_column_is_the_keys() {
        assert_eq!(
            cut("a:\n- x\n# x's\n- y\nb: 1\n", 0),
            ["a:\n- x\n# x's\n- y\n", "b: 1\n"]
        );
    }

    #[test]
    fn a_body_is_the_mapping_below_an_open_key() {
        let text = "# c\nk: # note\n  # first\n  a: 1\n  b: 2\nl: 1\n";
        let lines = Lines::new(text).unwrap();
        let piece = 0..5;
        let key = open_key_line(&lines, &piece, 0).unwrap();
        assert_eq!(key, 1);
        let seg = body(&lines, &piece, key, 0).unwrap();
        assert_eq!((seg.lines, seg.col), (2..5, 2));
        assert!(open_key_line(&lines, &(5..6), 0).is_none());
        let seq = Lines::new("k:\n  - a\n").unwrap();
        assert!(body(&seq, &(0..2), 0, 0).is_none());
    }
}
