//! Merging flow collections (`[a, b]`, `{k: v}`, on one line or many, and
//! whole JSON documents) that both sides changed: item by item and key by
//! key, with the matcher's rules for block collections (`flow_items`). The
//! result is written in the layout's spelling (`flow_spelling`): its brackets, the blanks
//! inside them, its separators and line breaks. An item the layout does
//! not have gets its neighbours' separator; a removed item takes exactly one
//! separator with it. Where both sides changed one item differently, the
//! three versions of the merged flow differ only there, and a conflict
//! covers the lines where they differ (the whole line of a one-line flow).
//!
//! Whatever is unsure is left to the line merge, as before: a comment or a
//! stray indicator between items, an anchor or tag on a collection, a
//! separator style only the other side changed.

use super::engine::{Cols, Engine, Range, Three};
use super::flow_spelling::{Flow, Run, Texts};
use super::value_lines::Part;
use super::{ChangeKind, Pick, Piece, Side};
use crate::error::Result;
use crate::matching::{Child, Path};
use crate::syntax::NodeKind;

impl<'t> Engine<'t> {
    /// Merges an entry whose value is a flow collection of one kind in all
    /// three versions, changed by both sides. False (nothing emitted, no
    /// change recorded) when that is unsure, or when it would not hold a
    /// conflict that the line merge could express.
    pub(super) fn merge_flows(&mut self, path: &Path, v: Three, cols: &Cols) -> Result<bool> {
        if v.base.is_none() || !self.all_flows(v) {
            return Ok(false);
        }
        let changes = self.plan.changes.len();
        let mut conflicts = Vec::new();
        let merged = self.merge_flow(path, v, cols, &mut conflicts);
        let done = match merged {
            Some(Texts::One(text)) => {
                self.plan.pieces.push(Piece::Owned(text));
                true
            }
            Some(Texts::Three([b, c, i])) => {
                // Each version is the merged flow with that version of the
                // items both changed: they differ only there, so a conflict
                // covers only those lines (base's section shows base's items
                // among the merged ones).
                let (l, o) = match self.layout {
                    Side::Current => (c, i),
                    _ => (i, c),
                };
                let parts = self.merge_layout_texts(&b, &l, &o);
                let found = parts.iter().filter(|p| matches!(p, Part::Conflict(_)));
                let count = found.count();
                if count > 0 {
                    if count != conflicts.len() {
                        conflicts = vec![path.clone(); count];
                    }
                    self.emit_parts_at(&conflicts, parts);
                }
                count > 0
            }
            None => false,
        };
        if !done {
            self.plan.changes.truncate(changes);
        }
        Ok(done)
    }

    /// Whether a clean line merge of flows both sides changed is right: it
    /// reads back holding both sides' changes, and is JSON where all three
    /// versions were.
    pub(super) fn flow_lines_right(&self, text: &str, v: Three, cols: &Cols) -> bool {
        if !self.holds_both(text, v, cols) {
            return false;
        }
        let json = |side: Side, c: Child| {
            let t = self.tree(side);
            let n = t.node(c.value);
            is_json(t.slice(n.start, n.end))
        };
        let all_json = v.base.is_some_and(|b| json(Side::Base, b))
            && json(self.layout, v.layout)
            && json(self.other, v.other);
        !all_json
            || self
                .parse_alone(text, v.layout, cols)
                .is_some_and(|(t, n)| {
                    let n = t.node(n);
                    is_json(t.slice(n.start, n.end))
                })
    }

    /// Whether the values of all three versions are flow collections of one
    /// kind.
    pub(super) fn all_flows(&self, v: Three) -> bool {
        let kind = |side: Side, c: Child| self.tree(side).node(c.value).kind;
        let lk = kind(self.layout, v.layout);
        matches!(lk, NodeKind::FlowMap | NodeKind::FlowSeq)
            && kind(self.other, v.other) == lk
            && v.base.is_none_or(|b| kind(Side::Base, b) == lk)
    }

    /// Merges one flow collection (a whole entry, or an item of an outer
    /// flow): the text before its items and after them as text, its items
    /// by the matcher. `None` when unsure.
    pub(super) fn merge_flow(
        &mut self,
        path: &Path,
        v: Three,
        cols: &Cols,
        conflicts: &mut Vec<Path>,
    ) -> Option<Texts> {
        let (ls, os) = (self.layout, self.other);
        let (b, l, o) = v.parts();
        let b = b?;
        let (fb, fl, fo) = (
            self.flow(Side::Base, b.value)?,
            self.flow(ls, l.value)?,
            self.flow(os, o.value)?,
        );
        let spelling = self.spelling(&fl, [(os, &fo), (Side::Base, &fb)], cols)?;
        // A spelling only the other side changed would be lost.
        let (b_, l_, o_) = ((Side::Base, &fb), (ls, &fl), (os, &fo));
        if self.respelled(b_, o_, cols) && self.respelled(l_, o_, cols) {
            return None;
        }
        let prefix = |f: &Flow, c: Child| (c.body, f.open);
        let suffix = |f: &Flow, c: Child| (f.close, c.end);
        let prefix =
            self.merge_edge(path, [prefix(&fb, b), prefix(&fl, l), prefix(&fo, o)], cols)?;
        let suffix =
            self.merge_edge(path, [suffix(&fb, b), suffix(&fl, l), suffix(&fo, o)], cols)?;
        let runs = self.flow_runs(path, [&fb, &fl, &fo], cols, conflicts)?;
        let edges = [prefix.as_str(), suffix.as_str()];
        let split = runs.iter().any(|r| match r {
            Run::Item(i) => matches!(i.text, Texts::Three(_)),
            Run::Split(_) => true,
        });
        Some(if split {
            Texts::Three(
                [Side::Base, Side::Current, Side::Incoming]
                    .map(|s| spelling.render(edges, &runs, s)),
            )
        } else {
            Texts::One(spelling.render(edges, &runs, ls))
        })
    }

    /// The text before (or after) a flow's items: the trivial merge of its
    /// three versions, as the layout writes it. `None` when both changed it
    /// differently.
    fn merge_edge(&mut self, path: &Path, [b, l, o]: [Range; 3], cols: &Cols) -> Option<String> {
        let (pick, eq_bl) = self.decide(Some(b), l, o, cols);
        let side = match pick? {
            Pick::Layout => {
                if eq_bl == Some(false) {
                    self.record(path, self.layout, ChangeKind::Changed);
                }
                (self.layout, l)
            }
            Pick::Other => {
                self.record(path, self.other, ChangeKind::Changed);
                (self.other, o)
            }
        };
        Some(self.as_layout(side.0, side.1, cols))
    }
}

/// Whether a text is one JSON value.
fn is_json(text: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::super::testing::merged;

    #[test]
    fn both_sides_appending_to_a_one_line_list_keep_both_current_first() {
        let b = "ports: [80, 443]\nz: 1\n";
        let (text, changes) = merged(
            b,
            "ports: [80, 443, 8080]\nz: 1\n",
            "ports: [80, 443, 9090]\nz: 2\n",
        );
        assert_eq!(text, "ports: [80, 443, 8080, 9090]\nz: 2\n");
        assert_eq!(
            changes,
            [
                "current added ports[2]",
                "incoming added ports[2]",
                "incoming changed z"
            ]
        );
    }

    #[test]
    fn keys_of_a_flow_mapping_merge_one_by_one() {
        let b = "m: {a: 1, b: 2, c: 3}\n";
        let (text, changes) = merged(
            b,
            "m: {a: 5, b: 2, c: 3}\n",
            "m: {a: 1, b: 2, c: 7, d: 4}\n",
        );
        assert_eq!(text, "m: {a: 5, b: 2, c: 7, d: 4}\n");
        assert_eq!(
            changes,
            [
                "current changed m.a",
                "incoming changed m.c",
                "incoming added m.d"
            ]
        );
    }

    #[test]
    fn the_layouts_spelling_is_kept_and_new_items_are_written_like_their_neighbours() {
        // No blanks after commas; blanks inside the brackets.
        let (text, _) = merged("l: [1,2,3]\n", "l: [1,2,3,4]\n", "l: [0,1,2,3]\n");
        assert_eq!(text, "l: [0,1,2,3,4]\n");
        let (text, _) = merged("l: [ a, b ]\n", "l: [ a, b, c ]\n", "l: [ A, b ]\n");
        assert_eq!(text, "l: [ A, b, c ]\n");
        // A removed item takes one separator with it, first or last.
        let (text, _) = merged("l: [a, b, c, d]\n", "l: [b, c, d]\n", "l: [a, b, c, D]\n");
        assert_eq!(text, "l: [b, c, D]\n");
        let (text, _) = merged("l: [a, b, c, d]\n", "l: [a, b, c]\n", "l: [A, b, c, d]\n");
        assert_eq!(text, "l: [A, b, c]\n");
    }

    #[test]
    fn an_item_added_to_a_multi_line_flow_gets_its_line_and_indentation() {
        let b = "l: [\n    a,\n    b\n  ]\n";
        let c = "l: [\n    a,\n    b,\n    c\n  ]\n";
        let i = "l: [\n    a,\n    b,\n    d\n  ]\n";
        let (text, _) = merged(b, c, i);
        assert_eq!(text, "l: [\n    a,\n    b,\n    c,\n    d\n  ]\n");
        // One item: a comma and the line break after the bracket.
        let b = "m: {\n    a: 1\n  }\n";
        let c = "m: {\n    a: 1,\n    b: 2\n  }\n";
        let (text, _) = merged(b, c, "m: {\n    a: 3\n  }\n");
        assert_eq!(text, "m: {\n    a: 3,\n    b: 2\n  }\n");
    }

    #[test]
    fn nested_flows_and_json_documents_merge_and_stay_json() {
        let b = "{\"a\": {\"x\": [1, 2], \"y\": 1}, \"b\": [{\"name\": \"n\", \"v\": 1}]}\n";
        let c = "{\"a\": {\"x\": [1, 2, 3], \"y\": 1}, \"b\": [{\"name\": \"n\", \"v\": 2}]}\n";
        let i = "{\"a\": {\"x\": [0, 1, 2], \"y\": 5}, \"b\": [{\"name\": \"m\", \"v\": 0}, {\"name\": \"n\", \"v\": 1}]}\n";
        let (text, _) = merged(b, c, i);
        let want = "{\"a\": {\"x\": [0, 1, 2, 3], \"y\": 5}, \"b\": [{\"name\": \"m\", \"v\": 0}, {\"name\": \"n\", \"v\": 2}]}\n";
        assert_eq!(text, want);
        assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());
    }

    #[test]
    fn the_same_item_changed_differently_conflicts_on_its_lines_only() {
        let (text, _) = merged(
            "l: [a, b, c]\nz: 1\n",
            "l: [a, X, c]\nz: 1\n",
            "l: [a, Y, c]\nz: 1\n",
        );
        assert_eq!(text, "!conflict at l[1]\nz: 1\n");
        let b = "{\n  \"a\": 1,\n  \"b\": 1,\n  \"c\": 1\n}\n";
        let c = "{\n  \"a\": 2,\n  \"b\": 1,\n  \"c\": 2\n}\n";
        let i = "{\n  \"a\": 3,\n  \"b\": 1,\n  \"c\": 1,\n  \"d\": 1\n}\n";
        let (text, _) = merged(b, c, i);
        assert_eq!(
            text,
            "{\n!conflict at a\n  \"b\": 1,\n  \"c\": 2,\n  \"d\": 1\n}\n"
        );
    }

    #[test]
    fn a_flow_with_a_comment_inside_is_left_to_the_line_merge() {
        let b = "l: [a, # note\n  b]\nz: 1\n";
        let c = "l: [A, # note\n  b]\nz: 1\n";
        let i = "l: [a, # note\n  B]\nz: 1\n";
        assert_eq!(merged(b, c, i).0, "!conflict at l\nz: 1\n");
    }
}
