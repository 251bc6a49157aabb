//! Merging an entry written on one line part by part. YAML puts several
//! things on one line (`  key: value  # comment`): the indentation and `- `,
//! the key, the separator, the value (with its anchor and tag), the blanks
//! before the comment, the comment. Where both sides changed such a line,
//! each part merges on its own, and only a part both sides changed
//! differently is a conflict: one side's new value and the other's re-worded
//! comment both arrive.
//!
//! A part both sides changed to the same data written differently keeps the
//! layout's spelling; a value one side only re-quoted and the other changed
//! takes the new value, quoted the same way when that keeps its data. The
//! merged line is parsed and checked to hold the chosen key and value.

use super::engine::{Cols, Engine, Range, Three};
use super::text::shift_text;
use super::{ChangeKind, Pick, Piece, Side, trivial_merge};
use crate::matching::{Child, Path};
use crate::syntax::{NO_NODE, NodeKind, ScalarStyle, Tree, parse, same_data};

/// The parts of a one-line entry, as ranges of its version's text.
#[derive(Debug, Clone, Copy)]
struct Parts {
    /// Indentation and `- ` before the key (or the item's value).
    prefix: Range,
    /// The key (empty for an item).
    key: Range,
    /// From the key's end to the value (`: `).
    separator: Range,
    /// The value, properties included.
    value: Range,
    /// Blanks after the value.
    gap: Range,
    /// The comment, `#` included, or empty.
    comment: Range,
    /// The line break, or empty at the end of a file without one.
    eol: Range,
}

/// How a part-by-part merge of a line went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PartMerge {
    /// Merged and emitted.
    Merged,
    /// Both sides changed one part differently.
    Conflicts,
    /// Not a line the parts describe, or the merged line would not hold the
    /// chosen data.
    NotApplicable,
}

/// Which range of a version's parts a part is.
type Part = fn(&Parts) -> Range;

/// What the merge of one part chose.
enum Chosen {
    /// The text of this side's part.
    From(Side),
    /// Text made for the merge (a value re-quoted like the other side's),
    /// with the side whose data it holds.
    Made(String, Side),
}

impl<'t> Engine<'t> {
    /// Merges an entry both sides changed, written on one line in all three
    /// versions, part by part: `Merged` (emitted), `Conflicts` (a part both
    /// changed differently; nothing emitted), or `NotApplicable` (not one
    /// line, or the merged line does not read back as the chosen key and
    /// value; nothing emitted).
    pub(super) fn merge_line_parts(&mut self, path: &Path, v: Three, cols: &Cols) -> PartMerge {
        match self.try_line_parts(path, v, cols) {
            Some(true) => PartMerge::Merged,
            Some(false) => PartMerge::Conflicts,
            None => PartMerge::NotApplicable,
        }
    }

    fn try_line_parts(&mut self, path: &Path, v: Three, cols: &Cols) -> Option<bool> {
        let (ls, os) = (self.layout, self.other);
        let (b, l, o) = v.parts();
        let split = |side: Side, c: Child| split(self.tree(side), c);
        let (pb, pl, po) = (split(Side::Base, b?)?, split(ls, l)?, split(os, o)?);
        let parts = [(Side::Base, pb), (ls, pl), (os, po)];
        let pick = |part: Part| self.pick_part(parts.map(|(side, p)| self.text(side, part(&p))));
        let prefix_rest =
            |(side, p): (Side, Parts)| strip_indent(self.text(side, p.prefix), cols[side.index()]);
        let Some(prefix) = self.pick_part(parts.map(prefix_rest)) else {
            return Some(false);
        };
        // Blanks before a comment that both sides changed: the layout's.
        let gap = pick(|p| p.gap).unwrap_or(Chosen::From(ls));
        let chosen = [
            (pick(|p| p.key), (|p: &Parts| p.key) as Part),
            (pick(|p| p.separator), |p| p.separator),
            (self.pick_value(v, parts), |p| p.value),
            (Some(gap), |p| p.gap),
            (pick(|p| p.comment), |p| p.comment),
        ];
        if chosen.iter().any(|(c, _)| c.is_none()) {
            return Some(false);
        }
        let chosen = chosen.map(|(c, part)| (c.unwrap_or(Chosen::From(ls)), part));
        let of = |side: Side| if side == ls { pl } else { po };
        let mut line = String::new();
        let (from, p) = (prefix.side(), of(prefix.side()));
        let starts_line = !self.starts_mid_line(from, p.prefix.0);
        let (from_col, to_col) = (cols[from.index()], cols[ls.index()]);
        shift_text(
            self.text(from, p.prefix),
            from_col,
            to_col,
            starts_line,
            &mut line,
        );
        for (c, part) in &chosen {
            match c {
                Chosen::From(side) => line.push_str(self.text(*side, part(&of(*side)))),
                Chosen::Made(t, _) => line.push_str(t),
            }
        }
        let eol = [(ls, pl), (os, po)]
            .map(|(side, p)| self.text(side, p.eol))
            .into_iter()
            .find(|e| !e.is_empty())
            .unwrap_or("");
        line.push_str(eol);
        let node_of = |side: Side| (side, if side == ls { l } else { o });
        let [(key, _), _, (value, _), ..] = &chosen;
        if !self.reads_back(&line, l, cols, node_of(key.side()), node_of(value.side())) {
            return None;
        }
        // A side's change is carried where one of its changed parts is.
        let base_text = |part: Part| self.text(Side::Base, part(&pb));
        let carried = [ls, os].map(|side| {
            chosen.iter().any(|(c, part)| match c {
                Chosen::From(s) => {
                    *s == side && self.text(side, part(&of(side))) != base_text(*part)
                }
                Chosen::Made(..) => true,
            })
        });
        for (side, carried) in [ls, os].into_iter().zip(carried) {
            if carried {
                self.record(path, side, ChangeKind::Changed);
            }
        }
        self.plan.pieces.push(Piece::Owned(line));
        Some(true)
    }

    /// The trivial merge of one part's text in base, the layout and the
    /// other side; where both changed it, the layout's when both hold the
    /// same text aside from blanks, else `None`.
    fn pick_part(&self, [b, l, o]: [&str; 3]) -> Option<Chosen> {
        match trivial_merge(Some(b == l), Some(b == o), l == o) {
            Some(Pick::Layout) => Some(Chosen::From(self.layout)),
            Some(Pick::Other) => Some(Chosen::From(self.other)),
            None => None,
        }
    }

    /// The value part: merged on its text, and where both sides changed it,
    /// on its data: the same data keeps the layout's spelling; a side that
    /// only re-spelled it gives way to the side that changed it, whose new
    /// value is re-quoted the same way when that keeps its data.
    fn pick_value(&self, v: Three, parts: [(Side, Parts); 3]) -> Option<Chosen> {
        let [b, l, o] = parts.map(|(side, p)| self.text(side, p.value));
        if let Some(chosen) = self.pick_part([b, l, o]) {
            return Some(chosen);
        }
        let (base, lc, oc) = v.parts();
        let base = base?;
        let (tb, tl, to) = (
            self.tree(Side::Base),
            self.tree(self.layout),
            self.tree(self.other),
        );
        if same_data(tl, lc.value, to, oc.value) {
            return Some(Chosen::From(self.layout));
        }
        let (respeller, changer, changer_node) = if same_data(tb, base.value, tl, lc.value) {
            ((self.layout, lc), self.other, oc)
        } else if same_data(tb, base.value, to, oc.value) {
            ((self.other, oc), self.layout, lc)
        } else {
            return None;
        };
        let style = self.tree(respeller.0).node(respeller.1.value).style;
        let changed = self.tree(changer);
        let node = changed.node(changer_node.value);
        let text = changed.slice(node.start, node.end);
        let requoted = (node.kind == NodeKind::Scalar && !node.has_properties)
            .then(|| requote(text, node.style, style))
            .flatten()
            .filter(|t| holds_same_scalar(t, changed, changer_node.value));
        Some(requoted.map_or(Chosen::From(changer), |t| Chosen::Made(t, changer)))
    }

    /// Whether the merged line, parsed on its own, holds the key of
    /// `key_from` and the value of `value_from`.
    fn reads_back(
        &self,
        line: &str,
        l: Child,
        cols: &Cols,
        (key_side, key_from): (Side, Child),
        (value_side, value_from): (Side, Child),
    ) -> bool {
        let starts_line = !self.starts_mid_line(self.layout, l.body);
        let mut alone = String::with_capacity(line.len());
        shift_text(line, cols[self.layout.index()], 0, starts_line, &mut alone);
        let Ok(tree) = parse("merged line", alone.as_bytes()) else {
            return false;
        };
        let [doc] = tree.documents() else {
            return false;
        };
        let [entry] = tree.entries(doc.root) else {
            return false;
        };
        let keys_agree = match (entry.key, key_from.key) {
            (NO_NODE, NO_NODE) => true,
            (NO_NODE, _) | (_, NO_NODE) => false,
            (k, want) => same_data(&tree, k, self.tree(key_side), want),
        };
        keys_agree && same_data(&tree, entry.value, self.tree(value_side), value_from.value)
    }
}

/// The parts of a child written on one line, or `None` when it spans lines
/// or holds something the parts do not describe (a block scalar, a complex
/// key).
fn split(tree: &Tree, c: Child) -> Option<Parts> {
    let text = tree.slice(c.body, c.end);
    let content = text.trim_end_matches(['\n', '\r']);
    if content.contains('\n') || c.document {
        return None;
    }
    let line_end = c.body + content.len() as u32;
    let value = tree.node(c.value);
    let simple = match value.kind {
        NodeKind::Scalar => !matches!(value.style, ScalarStyle::Literal | ScalarStyle::Folded),
        NodeKind::Alias | NodeKind::FlowMap | NodeKind::FlowSeq => true,
        NodeKind::BlockMap | NodeKind::BlockSeq => false,
    };
    if !simple || value.end > line_end || value.start > value.end {
        return None;
    }
    let (prefix, key, separator) = if c.key == NO_NODE {
        let at = value.start;
        ((c.body, at), (at, at), (at, at))
    } else {
        let k = tree.node(c.key);
        if k.kind != NodeKind::Scalar || k.start < c.body || k.end > value.start.max(k.end) {
            return None;
        }
        // An empty value sits where its key's line ends or right after `:`.
        let value_start = value.start.max(k.end);
        ((c.body, k.start), (k.start, k.end), (k.end, value_start))
    };
    if prefix.0 > prefix.1 || separator.1 > value.start.max(separator.1) {
        return None;
    }
    let value_range = (separator.1, value.end.max(separator.1));
    let rest = tree.slice(value_range.1, line_end);
    let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let comment_start = value_range.1 + blanks as u32;
    if comment_start < line_end && !rest[blanks..].starts_with('#') {
        return None;
    }
    Some(Parts {
        prefix,
        key,
        separator,
        value: value_range,
        gap: (value_range.1, comment_start),
        comment: (comment_start, line_end),
        eol: (line_end, c.end),
    })
}

/// A prefix without the indentation its collection's column gives it.
fn strip_indent(prefix: &str, col: u32) -> &str {
    let col = col as usize;
    if prefix.len() >= col && prefix.as_bytes()[..col].iter().all(|&b| b == b' ') {
        &prefix[col..]
    } else {
        prefix
    }
}

/// A plain scalar written in another quoting style; `None` where the
/// styles are not plain and quoted, or the text cannot be written so.
fn requote(text: &str, from: ScalarStyle, to: ScalarStyle) -> Option<String> {
    if from != ScalarStyle::Plain || text.contains(['\n', '\r']) {
        return None;
    }
    match to {
        ScalarStyle::SingleQuoted => Some(format!("'{}'", text.replace('\'', "''"))),
        ScalarStyle::DoubleQuoted => {
            let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
            Some(format!("\"{escaped}\""))
        }
        _ => None,
    }
}

/// Whether a made scalar's text reads as the same data as a node (a plain
/// `8080` quoted is a string, no longer a number).
fn holds_same_scalar(text: &str, tree: &Tree, node: crate::syntax::NodeId) -> bool {
    let doc = format!("{text}\n");
    let Ok(made) = parse("made value", doc.as_bytes()) else {
        return false;
    };
    let [d] = made.documents() else { return false };
    same_data(&made, d.root, tree, node)
}

impl Chosen {
    /// The side whose text, or data, the part holds.
    fn side(&self) -> Side {
        match self {
            Chosen::From(side) | Chosen::Made(_, side) => *side,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::merged;
    use super::*;

    #[test]
    fn a_value_and_a_comment_changed_on_one_line_both_arrive() {
        let b = "replicas: 3  # one per zone\nz: 0\n";
        let c = "replicas: 5  # one per zone\nz: 0\n";
        let i = "replicas: 3  # one per zone, at least\nz: 0\n";
        let (text, changes) = merged(b, c, i);
        assert_eq!(text, "replicas: 5  # one per zone, at least\nz: 0\n");
        assert_eq!(
            changes,
            ["incoming changed replicas", "current changed replicas"]
        );
    }

    #[test]
    fn a_re_quoted_value_and_a_re_worded_comment_both_arrive() {
        let b = "name: web # the app\n";
        let (text, _) = merged(b, "name: 'web' # the app\n", "name: web # the web app\n");
        assert_eq!(text, "name: 'web' # the web app\n");
    }

    #[test]
    fn a_re_spelled_key_and_a_changed_value_both_arrive() {
        let b = "name: web\nz: 0\n";
        let (text, _) = merged(b, "\"name\": web\nz: 0\n", "name: api\nz: 0\n");
        assert_eq!(text, "\"name\": api\nz: 0\n");
    }

    #[test]
    fn a_value_re_quoted_by_one_side_and_changed_by_the_other_is_quoted_alike() {
        let (text, _) = merged("a: x\nz: 0\n", "a: 'x'\nz: 0\n", "a: y\nz: 0\n");
        assert_eq!(text, "a: 'y'\nz: 0\n");
        // Quoting a number would make it a string: the new value as written.
        let (text, _) = merged("a: x\nz: 0\n", "a: \"x\"\nz: 0\n", "a: 8080\nz: 0\n");
        assert_eq!(text, "a: 8080\nz: 0\n");
    }

    #[test]
    fn the_same_part_changed_differently_conflicts() {
        let b = "a: 1 # c\n";
        assert_eq!(merged(b, "a: 2 # c\n", "a: 3 # d\n").0, "!conflict at a\n");
        assert_eq!(merged(b, "a: 1 # x\n", "a: 1 # y\n").0, "!conflict at a\n");
    }

    #[test]
    fn list_items_merge_their_value_and_comment() {
        let b = "l:\n  - nginx:1.25  # pinned\n";
        let c = "l:\n  - nginx:1.27  # pinned\n";
        let i = "l:\n  - nginx:1.25  # pinned until #42 is fixed\n";
        let (text, _) = merged(b, c, i);
        assert_eq!(text, "l:\n  - nginx:1.27  # pinned until #42 is fixed\n");
    }

    #[test]
    fn a_line_splits_into_its_parts() {
        let t = parse("t", b"  key: &a value   # note\n").unwrap();
        let root = t.documents()[0].root;
        let c = crate::matching::children(&t, root)[0];
        let p = split(&t, c).unwrap();
        let s = |r: Range| t.slice(r.0, r.1);
        let got = [
            p.prefix,
            p.key,
            p.separator,
            p.value,
            p.gap,
            p.comment,
            p.eol,
        ]
        .map(s);
        assert_eq!(got, ["  ", "key", ": ", "&a value", "   ", "# note", "\n"]);
    }

    #[test]
    fn requoting_keeps_plain_text_only() {
        let (plain, single, double) = (
            ScalarStyle::Plain,
            ScalarStyle::SingleQuoted,
            ScalarStyle::DoubleQuoted,
        );
        assert_eq!(requote("it's", plain, single).as_deref(), Some("'it''s'"));
        assert_eq!(
            requote("a\"b", plain, double).as_deref(),
            Some("\"a\\\"b\"")
        );
        assert_eq!(requote("x", single, double), None);
    }
}
