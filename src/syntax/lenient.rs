//! Two shapes outside YAML 1.2 that libyaml and go-yaml (PyYAML, kubectl,
//! helm) read and the event parser refuses:
//!
//! - a multi-line quoted scalar whose later lines are indented no deeper
//!   than its key (`invalid indentation in quoted scalar`, at the quote);
//! - a multi-line flow collection whose closing `}` or `]`, or any other
//!   line inside it, starts indented no deeper than its key (`invalid
//!   indentation`, at the first token of the line; libyaml does not look at
//!   indentation inside flow collections).
//!
//! Rather than patch the parser, it reads a *shadow* of the text in which
//! those lines have spaces inserted at their start, deep enough for it. The
//! leading blanks of such a line are no content (a quoted scalar folds them
//! away; before a bracket they only separate tokens), so the shadow holds
//! the same data. Spaces are only inserted, so every offset of the shadow
//! maps back to one offset of the text ([`Shifts`]), and the tree built over
//! the shadow is moved back onto the text's own bytes: exact spans, the
//! round trip intact. Nothing else is changed: a line at column 0 that would
//! end the document (`---`, `...`) stays there and stays an error, as in
//! libyaml.
//!
//! The parser stops at the first such place, so each one costs a re-read up
//! to it; a budget of bytes re-read keeps a file made of thousands of them
//! within a small multiple of one parse (then it is an error, at the place
//! where reading stopped).

use std::collections::BTreeMap;

use saphyr_parser::ScanError;

use super::text::{indent_at, is_blank_line, line_content_end, line_start, next_line};
use super::text::{next_token, only_blanks_before, quoted_end};
use super::validate::{byte_offset, first_error};
use super::{NO_NODE, NodeKind, ScalarStyle, Tree};
use crate::error::{Error, Location, Result, location_of};

/// A place of the text read outside YAML 1.2, the way libyaml reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lenient {
    /// Byte offset of the construct: the opening quote of the scalar, or the
    /// closing bracket.
    pub at: u32,
    /// What was read there.
    pub shape: LenientShape,
}

/// The shapes read outside YAML 1.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LenientShape {
    /// A multi-line quoted scalar (its style: single or double) whose later
    /// lines are indented less than YAML 1.2 allows.
    QuotedLines(ScalarStyle),
    /// A multi-line flow collection (its kind: mapping or sequence) whose
    /// closing bracket is indented less than YAML 1.2 allows.
    FlowEnd(NodeKind),
    /// A multi-line flow collection with a line inside it (an item, a key,
    /// a comma) indented less than YAML 1.2 allows.
    FlowLine,
}

impl LenientShape {
    /// True for the shapes of flow collections.
    fn is_flow(self) -> bool {
        matches!(self, LenientShape::FlowEnd(_) | LenientShape::FlowLine)
    }

    /// What was accepted, for a note.
    pub fn describe(self) -> &'static str {
        match self {
            LenientShape::QuotedLines(ScalarStyle::SingleQuoted) => {
                "a single-quoted scalar continues on lines indented less than YAML 1.2 allows"
            }
            LenientShape::QuotedLines(_) => {
                "a double-quoted scalar continues on lines indented less than YAML 1.2 allows"
            }
            LenientShape::FlowEnd(NodeKind::FlowSeq) => {
                "a flow sequence ends with a `]` indented less than YAML 1.2 allows"
            }
            LenientShape::FlowEnd(_) => {
                "a flow mapping ends with a `}` indented less than YAML 1.2 allows"
            }
            LenientShape::FlowLine => {
                "a flow collection continues on a line indented less than YAML 1.2 allows"
            }
        }
    }
}

impl Tree {
    /// The places read outside YAML 1.2 (see [`Lenient`]), in text order;
    /// empty for a text within it.
    pub fn lenient(&self) -> &[Lenient] {
        &self.lenient
    }

    /// Where the first place read outside YAML 1.2 is, and a note that says
    /// what was read there (and how many more such places the file holds);
    /// `None` for a text within YAML 1.2.
    pub fn lenient_note(&self) -> Option<(Location, String)> {
        let first = self.lenient.first()?;
        let at = location_of(&self.name, self.source.as_bytes(), first.at as usize);
        let mut note = format!(
            "{}; read as libyaml and go-yaml read it",
            first.shape.describe()
        );
        match self.lenient.len() - 1 {
            0 => {}
            1 => note.push_str(" (and 1 more such place in this file)"),
            n => note.push_str(&format!(" (and {n} more such places in this file)")),
        }
        Some((at, note))
    }
}

/// True when the parser's refusal `reason` (perhaps with a hint after it,
/// see `hints`) is one this module may lift.
pub(crate) fn may_lift(reason: &str) -> bool {
    let message = reason.split(" (").next().unwrap_or(reason);
    matches!(
        message,
        "invalid indentation in quoted scalar"
            | "invalid indentation"
            | "invalid indentation in flow construct"
    )
}

/// Spaces inserted at line starts of a text; maps offsets of the shadow
/// back to the text.
#[derive(Debug, Default)]
pub(crate) struct Shifts {
    runs: Vec<Run>,
}

/// Spaces inserted at one line start.
#[derive(Debug, Clone, Copy)]
struct Run {
    /// The line start in the text (the spaces go right before it).
    at: usize,
    /// Where the spaces start in the shadow.
    shadow: usize,
    /// How many spaces.
    len: usize,
    /// Where the line ends in the shadow (its line break).
    line_end: usize,
}

impl Shifts {
    /// The run of spaces at or before shadow offset `s`.
    fn run_before(&self, s: usize) -> Option<&Run> {
        let k = self.runs.partition_point(|r| r.shadow <= s);
        k.checked_sub(1).map(|k| &self.runs[k])
    }

    /// The text's offset for shadow offset `s`; an offset inside inserted
    /// spaces maps to the line start they were inserted at.
    pub(crate) fn to_text(&self, s: usize) -> usize {
        match self.run_before(s) {
            None => s,
            Some(r) if s < r.shadow + r.len => r.at,
            Some(r) => s - (r.shadow + r.len - r.at),
        }
    }

    /// The shadow's offset for text offset `t` (past any spaces inserted at
    /// it).
    fn to_shadow(&self, t: usize) -> usize {
        let k = self.runs.partition_point(|r| r.at <= t);
        match k.checked_sub(1) {
            None => t,
            Some(k) => {
                let r = &self.runs[k];
                t + (r.shadow + r.len - r.at)
            }
        }
    }

    /// How many spaces were inserted before shadow offset `s` on its line.
    fn on_line_before(&self, s: usize) -> usize {
        match self.run_before(s) {
            Some(r) if s >= r.shadow + r.len && s <= r.line_end => r.len,
            _ => 0,
        }
    }
}

/// The text the parser reads, the way back to the original, and the places
/// read outside YAML 1.2.
#[derive(Debug)]
pub(crate) struct Shadow {
    pub(crate) text: String,
    pub(crate) shifts: Shifts,
    found: Vec<Lenient>,
}

impl Shadow {
    /// `src` with `inserts` (line start in `src` -> spaces) applied.
    fn apply(src: &str, inserts: &BTreeMap<usize, usize>) -> Shadow {
        let mut text = String::with_capacity(src.len() + inserts.values().sum::<usize>());
        let mut runs = Vec::with_capacity(inserts.len());
        let mut from = 0;
        for (&at, &len) in inserts {
            text.push_str(&src[from..at]);
            let shadow = text.len();
            text.extend(std::iter::repeat_n(' ', len));
            let line_end = shadow + len + line_content_end(src.as_bytes(), at) - at;
            runs.push(Run {
                at,
                shadow,
                len,
                line_end,
            });
            from = at;
        }
        text.push_str(&src[from..]);
        Shadow {
            text,
            shifts: Shifts { runs },
            found: Vec::new(),
        }
    }

    /// Reads `src` (named `name` in messages), which the parser refused,
    /// leniently: the shadow the parser reads, lifted past every place this
    /// module knows; `None` when the first refusal is not one of them. The
    /// shadow may still hold an error the parser reports further on.
    pub(crate) fn read(name: &str, src: &str) -> Result<Option<Shadow>> {
        let budget = 32 * src.len() + (4 << 20);
        let mut spent = 0;
        let mut inserts = BTreeMap::new();
        let mut found: Vec<Lenient> = Vec::new();
        let mut shadow = Shadow::apply(src, &inserts);
        while let Some(err) = first_error(&shadow.text) {
            let at = byte_offset(&shadow.text, err.marker().index());
            let Some(lift) = lift(shadow.text.as_bytes(), at, &err) else {
                break;
            };
            let place = Lenient {
                at: shadow.shifts.to_text(lift.at) as u32,
                shape: lift.shape,
            };
            if found.last() == Some(&place) {
                // Lifted once, refused again: not a place this module knows.
                break;
            }
            // A re-read up to the place, and a copy of the whole text.
            spent += at + src.len() / 8;
            if spent > budget {
                return Err(too_many(name, src, place.at as usize, &err, found.len()));
            }
            for (line, spaces) in lift.lines {
                *inserts.entry(shadow.shifts.to_text(line)).or_insert(0) += spaces;
            }
            found.push(place);
            shadow = Shadow::apply(src, &inserts);
        }
        if found.is_empty() {
            return Ok(None);
        }
        shadow.found = found;
        Ok(Some(shadow))
    }

    /// True when every place lifted is what it was taken for in `tree`, the
    /// tree built over the shadow: a flow line lies inside a flow
    /// collection, a quoted scalar opens a quoted scalar. A lift in block
    /// context would change the structure: the text is then refused. So is a
    /// lifted flow collection with an implicit key whose `:` is on a later
    /// line, which YAML 1.2 allows but libyaml refuses (yaml-test-suite
    /// VJP3): once the text is outside YAML 1.2, libyaml is the measure.
    pub(crate) fn holds(&self, tree: &Tree) -> bool {
        let flow = self.found.iter().any(|p| p.shape.is_flow());
        if flow && self.key_across_lines(tree) {
            return false;
        }
        self.found.iter().all(|place| {
            let at = self.shifts.to_shadow(place.at as usize);
            tree.nodes.iter().any(|n| match place.shape {
                LenientShape::QuotedLines(style) => {
                    n.kind == NodeKind::Scalar
                        && n.style == style
                        && n.start as usize <= at
                        && at < n.end as usize
                }
                LenientShape::FlowEnd(_) | LenientShape::FlowLine => {
                    matches!(n.kind, NodeKind::FlowMap | NodeKind::FlowSeq)
                        && (n.start as usize) < at
                        && at < n.end as usize
                }
            })
        })
    }

    /// True when a flow mapping of `tree` (built over the shadow) holds an
    /// implicit key that spans lines, or with a line break before its `:`.
    fn key_across_lines(&self, tree: &Tree) -> bool {
        let text = self.text.as_bytes();
        let flow_entries = tree
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::FlowMap)
            .flat_map(|n| {
                let first = n.first_entry as usize;
                &tree.entries[first..first + n.entry_count as usize]
            });
        flow_entries.filter(|e| e.key != NO_NODE).any(|e| {
            let key = tree.nodes[e.key as usize];
            let (start, end) = (key.start as usize, key.end as usize);
            text.get(e.start as usize) != Some(&b'?')
                && (text[start..end].contains(&b'\n') || break_before_colon(text, end))
        })
    }

    /// Moves a tree built over the shadow back onto `src`, the text the
    /// shadow was made from.
    pub(crate) fn restore(self, tree: &mut Tree, src: &str) {
        let shifts = &self.shifts;
        // Columns first, while offsets are still the shadow's.
        for i in 0..tree.nodes.len() {
            let n = tree.nodes[i];
            let at = if n.kind.is_block() {
                tree.entries[n.first_entry as usize].start
            } else {
                n.start
            };
            tree.nodes[i].col = n
                .col
                .saturating_sub(shifts.on_line_before(at as usize) as u32);
        }
        let map = |x: &mut u32| *x = shifts.to_text(*x as usize) as u32;
        for n in &mut tree.nodes {
            [&mut n.start, &mut n.end, &mut n.tail_end]
                .into_iter()
                .for_each(map);
        }
        for e in &mut tree.entries {
            [&mut e.lead, &mut e.start, &mut e.end]
                .into_iter()
                .for_each(map);
        }
        for d in &mut tree.docs {
            [&mut d.start, &mut d.root_start, &mut d.root_end, &mut d.end]
                .into_iter()
                .for_each(map);
        }
        tree.source = src.to_string();
        tree.lenient = self.found;
    }
}

/// True when a line break comes before the first `:` from `from` on
/// (comments skipped).
fn break_before_colon(text: &[u8], from: usize) -> bool {
    let mut in_comment = false;
    for &b in text.get(from..).unwrap_or_default() {
        match b {
            b'\n' => return true,
            b'#' => in_comment = true,
            b':' if !in_comment => return false,
            _ => {}
        }
    }
    false
}

/// The error once the budget of re-reads is spent.
fn too_many(name: &str, src: &str, at: usize, err: &ScanError, lifted: usize) -> Error {
    Error::syntax_at(
        name,
        src.as_bytes(),
        at,
        format!(
            "{} (yamerge reads such places as libyaml does, but stopped after {lifted}: \
             each costs a re-read of the file)",
            err.info()
        ),
    )
}

/// Spaces to insert at line starts (shadow offsets) that lift one refusal,
/// and the place lifted.
struct Lift {
    lines: Vec<(usize, usize)>,
    at: usize,
    shape: LenientShape,
}

/// How to lift the parser's refusal `err` at byte `at` of `src`, if it is
/// one of the two shapes.
fn lift(src: &[u8], at: usize, err: &ScanError) -> Option<Lift> {
    match err.info() {
        "invalid indentation in quoted scalar" => quoted_lines(src, at, err.marker().col()),
        "invalid indentation" | "invalid indentation in flow construct" => {
            flow_line(src, at, err.marker().col())
        }
        _ => None,
    }
}

/// A quoted scalar opening at `open`, at column `col` (in characters, as the
/// parser counts): every later line of it that holds more than blanks and is
/// indented less than the quote is indented like the quote. That is deep
/// enough: the parser asks for the indentation of the scalar's parent, and
/// took the quote itself at its column. Document markers at column 0 stay.
fn quoted_lines(src: &[u8], open: usize, col: usize) -> Option<Lift> {
    let style = match src.get(open)? {
        b'"' => ScalarStyle::DoubleQuoted,
        b'\'' => ScalarStyle::SingleQuoted,
        _ => return None,
    };
    let close = quoted_end(src, open);
    let mut lines = Vec::new();
    let mut line = next_line(src, line_start(src, open));
    while line < close {
        let spaces = indent_at(src, line);
        if spaces < col && !is_blank_line(src, line) && !document_marker(src, line) {
            lines.push((line, col - spaces));
        }
        line = next_line(src, line);
    }
    (!lines.is_empty()).then_some(Lift {
        lines,
        at: open,
        shape: LenientShape::QuotedLines(style),
    })
}

/// A token at `at`, column `col`, first on its line, inside a flow
/// collection (a closing bracket, an item, a key, a comma): its line is
/// indented as deep as the last line before it that holds a token is long.
/// That is deep enough: the parser asks for the indentation it had when the
/// outermost open flow collection started (at most one past that
/// collection's opening bracket), and every token after that bracket was
/// taken at a column at least that deep. The parser gives the same refusal
/// in block context; [`Shadow::holds`] refuses such a lift once the tree is
/// built, since no flow collection encloses it.
fn flow_line(src: &[u8], at: usize, col: usize) -> Option<Lift> {
    let shape = match src.get(at)? {
        b'}' => LenientShape::FlowEnd(NodeKind::FlowMap),
        b']' => LenientShape::FlowEnd(NodeKind::FlowSeq),
        _ => LenientShape::FlowLine,
    };
    if !only_blanks_before(src, at) {
        return None;
    }
    let line = line_start(src, at);
    let spaces = token_line_width(src, line)?.checked_sub(col)?;
    (spaces > 0).then(|| Lift {
        lines: vec![(line, spaces)],
        at,
        shape,
    })
}

/// The width in characters of the last line before the line starting at
/// `line` that holds a token (not only blanks, not only a comment).
fn token_line_width(src: &[u8], mut line: usize) -> Option<usize> {
    while line > 0 {
        line = line_start(src, line - 1);
        let end = line_content_end(src, line);
        let first = next_token(src, line);
        if first < end {
            let text = std::str::from_utf8(&src[line..end]).ok()?;
            return Some(text.chars().count());
        }
    }
    None
}

/// True when the line starting at `line` starts with `---` or `...` and a
/// blank or its end: a document marker, which ends a quoted scalar with an
/// error in libyaml too.
fn document_marker(src: &[u8], line: usize) -> bool {
    let rest = &src[line..];
    (rest.starts_with(b"---") || rest.starts_with(b"..."))
        && matches!(rest.get(3), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shifts(src: &str, inserts: &[(usize, usize)]) -> Shadow {
        Shadow::apply(src, &inserts.iter().copied().collect())
    }

    #[test]
    fn shadow_offsets_map_back() {
        let src = "a: {\nb: 1\n}\nc: \"x\ny\"\n";
        let sh = shifts(src, &[(10, 2), (18, 3)]);
        assert_eq!(sh.text, "a: {\nb: 1\n  }\nc: \"x\n   y\"\n");
        let back: Vec<usize> = (0..=sh.text.len()).map(|s| sh.shifts.to_text(s)).collect();
        // Every byte of the text has one shadow offset that maps to it.
        for (i, b) in src.bytes().enumerate() {
            let s = back.iter().rposition(|&t| t == i).unwrap();
            assert_eq!(sh.text.as_bytes()[s], b, "offset {i}");
        }
        assert_eq!(sh.shifts.to_text(10), 10);
        assert_eq!(sh.shifts.to_text(11), 10);
        assert_eq!(sh.shifts.to_text(12), 10);
        assert_eq!(sh.shifts.on_line_before(12), 2);
        assert_eq!(sh.shifts.on_line_before(14), 0);
        for t in 0..src.len() {
            assert_eq!(sh.shifts.to_text(sh.shifts.to_shadow(t)), t);
            assert_eq!(
                sh.text.as_bytes()[sh.shifts.to_shadow(t)],
                src.as_bytes()[t]
            );
        }
    }

    #[test]
    fn document_markers_stay_at_column_zero() {
        assert!(document_marker(b"---\n", 0));
        assert!(document_marker(b"...", 0));
        assert!(!document_marker(b"----\n", 0));
        let src = b"k: \"a\n---\nb\"\n";
        let lift = quoted_lines(src, 3, 3).unwrap();
        assert_eq!(lift.lines, vec![(10, 3)]);
    }

    #[test]
    fn lifts_that_libyaml_would_not_read_are_refused() {
        // The refusal in block context; a key split from its `:`; a
        // document marker inside a quoted scalar.
        for text in [
            "a:\n  b: 1\n ]\n",
            "k: {\nk\n:\nv\n}\n",
            "k: \"a\n---\nb\"\n",
        ] {
            assert!(
                crate::syntax::parse("t", text.as_bytes()).is_err(),
                "{text:?}"
            );
        }
        let text = "a:\n  k: {\nx: 1\n}\n";
        let tree = crate::syntax::parse("t", text.as_bytes()).unwrap();
        assert_eq!(tree.lenient().len(), 2);
        assert_eq!(tree.print(), text);
    }

    #[test]
    fn a_closing_bracket_reaches_the_line_before() {
        let src = b"m:\n  k: {\n    # c\n\n}\n";
        let lift = flow_line(src, 19, 0).unwrap();
        assert_eq!(lift.lines, vec![(19, 6)]);
        assert_eq!(lift.shape, LenientShape::FlowEnd(NodeKind::FlowMap));
        assert!(flow_line(b"m: [\nx ]\n", 7, 2).is_none());
        let lift = flow_line(b"m:\n  k: {\na: 1}\n", 10, 0).unwrap();
        assert_eq!(lift.lines, vec![(10, 6)]);
        assert_eq!(lift.shape, LenientShape::FlowLine);
    }
}
