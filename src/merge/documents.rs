//! Merging the stream: the whole file taken from one side when only it
//! changed, else its documents matched (by Kubernetes identity or in order)
//! and merged one by one, each with its own header (`---`, directives,
//! comments) and trailer. Kubernetes documents are merged in their merged
//! order (`kubectl apply` follows it); where both sides reordered them
//! differently, all documents are one conflict.

use super::engine::{Cols, Engine, Siblings, Three};
use super::{Pick, Side, Unit, trivial_merge};
use crate::error::Result;
use crate::matching::{Child, Kind, Path, Version, documents, match_children};
use crate::syntax::{Document, NO_NODE};

/// Documents sit at the left margin in every version.
const MARGIN: Cols = [0; 3];

impl<'t> Engine<'t> {
    pub(super) fn merge_stream(&mut self) -> Result<()> {
        let sources = [Side::Base, self.layout, self.other].map(|s| self.tree(s).source());
        let [b, l, o] = sources;
        if let Some(pick) = trivial_merge(Some(b == l), Some(b == o), l == o) {
            let side = if pick == Pick::Layout {
                self.layout
            } else {
                self.other
            };
            let len = self.tree(side).source().len() as u32;
            self.emit(side, (0, len), &MARGIN, Unit::Text);
            self.plan.whole_file = true;
            return Ok(());
        }
        self.plan.final_line_break = Some(self.merge_final_line_break());
        let docs = self.trees.map(documents);
        let [db, dl, do_] = [Side::Base, self.layout, self.other].map(|s| &docs[s.index()]);
        let root = Path::default();
        if db.is_empty() {
            // Both sides wrote documents into a file that had none: nothing
            // tells which of them are the same, so the files are merged as
            // text, as git does (keeping both would invent a document).
            let whole = |s: Side| (0, self.tree(s).source().len() as u32);
            let (b, l, o) = (whole(Side::Base), whole(self.layout), whole(self.other));
            self.plan.final_line_break = None;
            let parts = self.line_merge_parts(b, l, o, &MARGIN);
            self.emit_parts(&root, parts);
            return Ok(());
        }
        if db.len() == 1 && dl.len() == 1 && do_.len() == 1 {
            let v = Three {
                base: Some(db[0]),
                layout: dl[0],
                other: do_[0],
            };
            self.merge_child(&root, v, &MARGIN)?;
        } else {
            let versions = [Side::Base, Side::Current, Side::Incoming].map(|s| {
                Some(Version {
                    tree: self.tree(s),
                    children: &docs[s.index()],
                })
            });
            let m = match_children(Kind::Stream, versions);
            let siblings = Siblings {
                path: &root,
                matched: &m,
                children: [Some(db), Some(dl), Some(do_)],
                cols: &MARGIN,
            };
            let order = self.keyed_order(&siblings);
            if order.as_ref().is_some_and(|x| x.conflicts()) {
                let all = |d: &[Child]| d.first().zip(d.last()).map(|(f, e)| (f.lead, e.end));
                let (b, l) = (all(db), all(dl));
                self.conflict(&root, b, l, all(do_), &MARGIN);
            } else {
                self.merge_siblings(&siblings, order)?;
            }
        }
        let tail = |s: Side| {
            let t = self.tree(s);
            (t.stream_tail_start(), t.source().len() as u32)
        };
        let (tb, tl, to) = (tail(Side::Base), tail(self.layout), tail(self.other));
        self.merge_text(&root, Some(tb), tl, to, &MARGIN);
        Ok(())
    }

    /// Whether the result ends with a line break: as base, unless a side
    /// added or removed it.
    fn merge_final_line_break(&self) -> bool {
        let ends = |s: Side| {
            let src = self.tree(s).source();
            src.is_empty() || src.ends_with('\n')
        };
        let (b, l, o) = (ends(Side::Base), ends(self.layout), ends(self.other));
        match trivial_merge(Some(b == l), Some(b == o), l == o) {
            Some(Pick::Other) => o,
            _ => l,
        }
    }

    /// Merges one document both sides have (changed differently): its
    /// header, its root, its trailer.
    pub(super) fn merge_document(&mut self, path: &Path, v: Three) -> Result<()> {
        let (b, l, o) = v.parts();
        let document = |side: Side, c: Child| -> Option<Document> {
            let docs = self.tree(side).documents();
            docs.iter()
                .find(|d| d.start == c.lead && d.root == c.value)
                .copied()
        };
        let (ls, os) = (self.layout, self.other);
        let bd = b.and_then(|c| document(Side::Base, c));
        let (Some(ld), Some(od)) = (document(ls, l), document(os, o)) else {
            // Children of the stream are its documents; were they not, the
            // person merging decides.
            let whole = |c: Child| (c.lead, c.end);
            self.conflict(path, b.map(whole), Some(whole(l)), Some(whole(o)), &MARGIN);
            return Ok(());
        };
        let header = |d: Document| (d.start, d.root_start);
        self.merge_text(path, bd.map(header), header(ld), header(od), &MARGIN);
        let root = |d: Document| Child {
            lead: d.root_start,
            body: d.root_start,
            end: d.root_end,
            key: NO_NODE,
            value: d.root,
            document: false,
        };
        let roots = Three {
            base: bd.map(root),
            layout: root(ld),
            other: root(od),
        };
        self.merge_child(path, roots, &MARGIN)?;
        let trailer = |d: Document| (d.root_end, d.end);
        self.merge_text(path, bd.map(trailer), trailer(ld), trailer(od), &MARGIN);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{merged, plan_of, shown};
    use super::*;

    #[test]
    fn a_side_left_unchanged_gives_the_other_whole() {
        let (p, trees) = plan_of("a: 1\n", "a: 1\n", "a: 2 # new\n", Side::Current);
        assert!(p.whole_file);
        assert_eq!(shown(&p, &trees), "a: 2 # new\n");
    }

    #[test]
    fn kubernetes_documents_match_by_identity_in_any_order() {
        let doc = |kind: &str, v: u8| {
            format!("apiVersion: v1\nkind: {kind}\nmetadata:\n  name: x\nspec: {v}\n")
        };
        let b = format!("{}---\n{}", doc("A", 1), doc("B", 1));
        let c = format!("{}---\n{}", doc("A", 2), doc("B", 1));
        // Incoming swaps the documents and edits B.
        let i = format!("{}---\n{}", doc("B", 3), doc("A", 1));
        let (text, changes) = merged(&b, &c, &i);
        assert_eq!(text, format!("{}---\n{}", doc("B", 3), doc("A", 2)));
        assert_eq!(
            changes,
            [
                "incoming reordered ",
                "incoming changed [v1/B//x].spec",
                "current changed [v1/A//x].spec"
            ]
        );
    }

    #[test]
    fn other_documents_match_in_order() {
        let (text, _) = merged(
            "a: 1\n---\nb: 1\n",
            "a: 2\n---\nb: 1\n",
            "a: 1\n---\nb: 3\n",
        );
        assert_eq!(text, "a: 2\n---\nb: 3\n");
    }

    #[test]
    fn a_document_header_merges_like_text() {
        // The comment belongs to the first key; the `---` is the header.
        let (text, _) = merged("a: 1\n", "# mine\na: 1\n", "---\na: 2\n");
        assert_eq!(text, "---\n# mine\na: 2\n");
        let (text, _) = merged("a: 1\n", "--- # mine\na: 1\n", "---\na: 2\n");
        assert_eq!(text, "!conflict at \na: 2\n");
    }
}
