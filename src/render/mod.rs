//! Turns a merge plan into bytes: untouched ranges are copied byte for byte,
//! moved entries are re-indented, and conflicts become whole-line git markers.
//!
//! This stage must never decide anything about the merge: it prints exactly
//! the pieces it is given.

use crate::conflict::Conflict;
use crate::merge::{ConflictPieces, Copy, MergeOptions, Piece, Plan, Side, Unit, shift_text};
use crate::syntax::text::line_start;
use crate::syntax::{NodeKind, ScalarStyle, Tree};

pub(crate) struct Rendered {
    pub text: String,
    pub conflicts: Vec<Conflict>,
    /// True when some text was not copied verbatim in whole entries (re-
    /// indented, re-joined after `- `, line-merged, given new line breaks):
    /// only then can the result's syntax differ from its inputs'.
    pub rewritten: bool,
}

struct Renderer<'a> {
    trees: [&'a Tree; 3],
    eol: &'static str,
    opts: &'a MergeOptions,
    conflicts: Vec<Conflict>,
    rewritten: bool,
    /// Line breaks counted so far in the main text, and up to which byte:
    /// conflict line numbers without rescanning the whole output each time.
    counted: (usize, usize),
}

/// Text being built, with whether the last copied piece ended a file that
/// has no final line break (so that anything after it starts a new line).
#[derive(Default)]
struct Buf {
    text: String,
    missing_eol: bool,
    /// Something other than blank and comment lines was written.
    has_content: bool,
    /// The last thing written is no copy (a conflict, or lines merged):
    /// its end is not to be touched.
    ends_uncopied: bool,
    /// The last piece copied, when it ended with a block scalar: blank and
    /// comment lines after it can be its value.
    after_block: Option<AfterBlock>,
}

/// A block scalar that ends the text so far.
#[derive(Clone, Copy)]
struct AfterBlock {
    /// Where it ends in its version.
    side: Side,
    end: u32,
    /// It keeps its trailing line breaks (`|+`).
    keep: bool,
    /// The indentation of its header's line: a line indented no more ends it.
    indent: usize,
}

/// Renders a plan built on `opts.layout`'s text.
pub(crate) fn render(plan: &Plan, trees: [&Tree; 3], opts: &MergeOptions) -> Rendered {
    let mut r = Renderer {
        trees,
        eol: trees[opts.layout.index()].line_ending(),
        opts,
        conflicts: Vec::new(),
        rewritten: false,
        counted: (0, 0),
    };
    let mut buf = Buf::default();
    for piece in &plan.pieces {
        r.piece(&mut buf, piece);
    }
    if let Some(wanted) = plan.final_line_break {
        r.final_line_break(&mut buf, wanted);
    }
    Rendered {
        text: buf.text,
        conflicts: r.conflicts,
        rewritten: r.rewritten,
    }
}

/// Whether a block scalar of `tree` ends at `end` (its own line break
/// included) and, if so, whether it keeps its trailing line breaks (`|+`)
/// and the indentation of its header's line.
fn block_scalar_ending_at(tree: &Tree, end: u32) -> Option<(bool, usize)> {
    // Nodes are numbered in the order they start: the last one starting
    // before `end` is the scalar, if any.
    let (mut lo, mut hi) = (0, tree.node_count() as u32);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if tree.node(mid).start < end {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    let node = tree.node(lo.checked_sub(1)?);
    if node.kind != NodeKind::Scalar
        || !matches!(node.style, ScalarStyle::Literal | ScalarStyle::Folded)
        || !matches!(tree.slice(node.end.min(end), end), "" | "\n" | "\r\n")
        || node.end > end
    {
        return None;
    }
    let text = tree.slice(node.start, node.end);
    let header = text.split('\n').next().unwrap_or("");
    let keep = header.find(['|', '>']).is_some_and(|i| {
        header[i + 1..]
            .bytes()
            .take_while(|b| b"+-0123456789".contains(b))
            .any(|b| b == b'+')
    });
    let src = tree.source().as_bytes();
    let line = line_start(src, node.start as usize);
    let indent = src[line..].iter().take_while(|&&b| b == b' ').count();
    Some((keep, indent))
}

/// Another version's text (or one a deleted entry kept apart) placed after a
/// block scalar, changed so that it does not join the scalar's value; `None`
/// when it cannot. Blank lines right after a block scalar can be part of its
/// value: all of them after `|+`, those with more blanks than its
/// indentation after `|`; they are left out after `|+`, emptied after `|`
/// (a line with fewer blanks keeps them: it is no content).
/// The comment line after them is its value too when indented like its text:
/// it is moved to the header's indentation, where it ends the scalar. (Both
/// found by fuzzing: the data changed, and differed between the layouts.)
fn apart_from_block(text: &str, after: AfterBlock) -> Option<String> {
    let blank: Vec<&str> = text
        .split_inclusive('\n')
        .take_while(|l| l.trim().is_empty())
        .collect();
    let len: usize = blank.iter().map(|l| l.len()).sum();
    let mut out = String::new();
    if !after.keep {
        for l in &blank {
            let blanks = l.len() - l.trim_start_matches([' ', '\t']).len();
            if blanks > after.indent {
                out.push_str(l.trim_start_matches([' ', '\t']));
            } else {
                out.push_str(l);
            }
        }
    }
    let rest = &text[len..];
    let first = rest.split_inclusive('\n').next().unwrap_or("");
    let body = first.trim_start_matches([' ', '\t']);
    let outdent = body.starts_with('#') && first.len() - body.len() > after.indent;
    if outdent {
        out.extend(std::iter::repeat_n(' ', after.indent));
        out.push_str(body);
        out.push_str(&rest[first.len()..]);
    } else {
        out.push_str(rest);
    }
    (out != text).then_some(out)
}

/// Whether a document's text starts with a `---` line (after its comments,
/// blank lines and directives).
fn has_document_marker(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .find(|l| !(l.is_empty() || l.starts_with('#') || l.starts_with('%')))
        .is_some_and(|l| {
            l.starts_with("---") && matches!(l.as_bytes().get(3), None | Some(b' ' | b'\t' | b'\r'))
        })
}

/// Whether a text holds anything but blank and comment lines.
fn has_content_line(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .any(|l| !(l.is_empty() || l.starts_with('#')))
}

fn ends_line(s: &str) -> bool {
    s.is_empty() || s.ends_with('\n')
}

/// True when the last, unfinished line of `s` holds only `- ` indicators
/// (and blanks): an item whose content is yet to come.
fn open_line_is_item_start(s: &str) -> bool {
    let line = s.rsplit('\n').next().unwrap_or("");
    line.contains('-') && line.bytes().all(|b| b == b' ' || b == b'-') && line.ends_with(' ')
}

/// Whether a text's first line is a comment.
fn starts_with_comment_line(text: &str) -> bool {
    text.trim_start_matches(' ').starts_with('#')
}

/// True when the last, unfinished line of `s` is a `---` or `...` marker
/// (with properties or a comment after it, maybe).
fn open_line_is_document_marker(s: &str) -> bool {
    let line = s.rsplit('\n').next().unwrap_or("");
    (line.starts_with("---") || line.starts_with("..."))
        && matches!(line.as_bytes().get(3), None | Some(b' ' | b'\t' | b'\r'))
}

impl Renderer<'_> {
    fn piece(&mut self, buf: &mut Buf, piece: &Piece) {
        match piece {
            Piece::Copy(c) => self.copy(buf, c),
            Piece::Owned(s) => {
                self.rewritten = true;
                if !s.is_empty() {
                    self.settle(buf);
                    buf.text.push_str(&self.convert_eol(s, "\n"));
                    buf.ends_uncopied = true;
                }
            }
            Piece::Conflict(c) => {
                self.conflict(buf, c);
                buf.ends_uncopied = true;
            }
        }
    }

    /// Before more text: a file that ended without a line break gets one.
    fn settle(&mut self, buf: &mut Buf) {
        if buf.missing_eol {
            self.rewritten = true;
            buf.text.push_str(self.eol);
            buf.missing_eol = false;
        }
    }

    fn convert_eol(&self, s: &str, from: &str) -> String {
        if self.eol == "\r\n" && (from == "\n" || s.contains('\n')) {
            let mut out = String::with_capacity(s.len() + s.len() / 16);
            for line in s.split_inclusive('\n') {
                match line.strip_suffix('\n') {
                    Some(body) if !body.ends_with('\r') => {
                        out.push_str(body);
                        out.push_str("\r\n");
                    }
                    _ => out.push_str(line),
                }
            }
            out
        } else if self.eol == "\n" && from == "\r\n" {
            s.replace("\r\n", "\n")
        } else {
            s.to_string()
        }
    }

    fn copy(&mut self, buf: &mut Buf, c: &Copy) {
        let tree = self.trees[c.side.index()];
        let src = tree.source();
        let mut text = tree.slice(c.start, c.end);
        let apart;
        if let Some(after) = buf.after_block
            && (after.side != c.side || after.end != c.start)
            && let Some(t) = apart_from_block(text, after)
        {
            self.rewritten = true;
            apart = t;
            text = &apart;
        }
        if text.is_empty() {
            return;
        }
        self.settle(buf);
        if buf.has_content && c.unit == Unit::Document && !has_document_marker(text) {
            // A version's first document (no `---`) placed after another
            // document: it needs the marker, or the two would run into one.
            self.rewritten = true;
            if !ends_line(&buf.text) {
                buf.text.push_str(self.eol);
            }
            buf.text.push_str("---");
            buf.text.push_str(self.eol);
        }
        buf.has_content |= has_content_line(text);
        buf.ends_uncopied = false;
        let starts_line = c.start == 0 || src.as_bytes()[c.start as usize - 1] == b'\n';
        let mut at_line_start = ends_line(&buf.text);
        if starts_line && !at_line_start && open_line_is_document_marker(&buf.text) {
            // Text that starts a line in its own version (another version's
            // document) after the `---` of the layout's empty document: on a
            // line of its own again, or `---` and `key: v` would fuse into
            // one scalar (found by fuzzing).
            self.rewritten = true;
            buf.text.push_str(self.eol);
            at_line_start = true;
        }
        let mut starts_line_here = starts_line;
        if c.from_col != c.to_col || tree.line_ending() != self.eol {
            self.rewritten = true;
        }
        let entry = c.unit != Unit::Text;
        if !entry
            && !at_line_start
            && starts_line
            && starts_with_comment_line(text)
            && open_line_is_item_start(&buf.text)
        {
            // The comment lines above an entry that comes first in its item
            // (another version's, or moved there): after the `- `, not
            // pushed off to the entry's column.
            self.rewritten = true;
            text = text.trim_start_matches(' ');
            starts_line_here = false;
        }
        if entry && !at_line_start && starts_line {
            self.rewritten = true;
            // Placed right after `- `: the entry's own indentation would
            // push it off the item's column.
            text = text.trim_start_matches(' ');
            starts_line_here = false;
        }
        if entry && at_line_start && !starts_line {
            self.rewritten = true;
            buf.text.extend(std::iter::repeat_n(' ', c.to_col as usize));
        }
        let mut shifted = String::new();
        let text = if c.from_col == c.to_col {
            text
        } else {
            shift_text(text, c.from_col, c.to_col, starts_line_here, &mut shifted);
            &shifted
        };
        if tree.line_ending() == self.eol {
            buf.text.push_str(text);
        } else {
            buf.text
                .push_str(&self.convert_eol(text, tree.line_ending()));
        }
        buf.missing_eol = c.end as usize == src.len() && !src.ends_with('\n');
        buf.after_block = block_scalar_ending_at(tree, c.end).map(|(keep, indent)| AfterBlock {
            side: c.side,
            end: c.end,
            keep,
            indent,
        });
    }

    fn section(&mut self, prefix: &str, pieces: &[Piece]) -> String {
        let mut buf = Buf {
            text: prefix.to_string(),
            ..Buf::default()
        };
        for p in pieces {
            self.piece(&mut buf, p);
        }
        if buf.text.len() == prefix.len() {
            return String::new();
        }
        if !buf.text.ends_with('\n') {
            buf.text.push_str(self.eol);
        }
        buf.text
    }

    fn conflict(&mut self, buf: &mut Buf, c: &ConflictPieces) {
        self.settle(buf);
        let cut = buf.text.rfind('\n').map_or(0, |i| i + 1);
        let prefix = buf.text[cut..].to_string();
        buf.text.truncate(cut);
        let current = self.section(&prefix, &c.current);
        let base = self.section(&prefix, &c.base);
        let incoming = self.section(&prefix, &c.incoming);
        let markers = self.opts.markers(self.eol);
        let line = self.line_breaks(&buf.text) + 1;
        let mut block = Vec::new();
        let sections = [current.as_bytes(), base.as_bytes(), incoming.as_bytes()];
        let conflict = markers.write(&mut block, c.path.clone(), line, sections);
        buf.text.push_str(&String::from_utf8_lossy(&block));
        self.conflicts.push(conflict);
    }
}

impl Renderer<'_> {
    /// Gives the result the last line break the merge decided on, where the
    /// text that ends it says otherwise: a side added (or removed) it while
    /// the other side's text ends the file. Not after a block scalar that
    /// keeps its line breaks (`|+`: the last one is data) nor after a
    /// conflict's markers.
    fn final_line_break(&mut self, buf: &mut Buf, wanted: bool) {
        let keeps_breaks = buf.after_block.is_some_and(|a| a.keep);
        if keeps_breaks || buf.text.is_empty() || buf.ends_uncopied {
            return;
        }
        if wanted && buf.missing_eol {
            self.rewritten = true;
            buf.text.push_str(self.eol);
        } else if !wanted && buf.text.ends_with('\n') {
            self.rewritten = true;
            buf.text.pop();
            if buf.text.ends_with('\r') {
                buf.text.pop();
            }
        }
    }

    /// Line breaks in `text` (the main output, which only grows between calls
    /// except for a partial last line taken back before a conflict).
    fn line_breaks(&mut self, text: &str) -> usize {
        let (upto, count) = self.counted;
        let upto = upto.min(text.len());
        let count = count + text[upto..].matches('\n').count();
        self.counted = (text.len(), count);
        count
    }
}
