//! A human-readable dump of the tree (`yamerge parse --tree`), for whoever
//! debugs positions later: one line per document, entry and node, with byte
//! ranges and 1-based line:column.

use std::fmt::Write;

use super::{NO_NODE, NodeId, NodeKind, Tree};

impl Tree {
    /// Renders the tree's structure with spans, one line per item.
    pub fn dump(&self) -> String {
        let mut out = String::new();
        for (i, doc) in self.documents().iter().enumerate() {
            let _ = writeln!(
                out,
                "document {i} {}..{} root region {}..{}",
                doc.start, doc.end, doc.root_start, doc.root_end
            );
            self.dump_node(&mut out, doc.root, 1);
        }
        let tail = self.stream_tail_start() as usize;
        if tail < self.source().len() {
            let _ = writeln!(out, "stream tail {}..{}", tail, self.source().len());
        }
        out
    }

    fn line_col(&self, offset: u32) -> (usize, usize) {
        let loc = crate::error::location_of("", self.source().as_bytes(), offset as usize);
        (loc.line, loc.col)
    }

    fn dump_node(&self, out: &mut String, id: NodeId, depth: usize) {
        let n = self.node(id);
        let (line, col) = self.line_col(n.start);
        let pad = "  ".repeat(depth);
        let what = match n.kind {
            NodeKind::Scalar => format!("scalar {:?} {:?}", n.style, self.value(id)),
            NodeKind::Alias => format!("alias *{}", self.value(id)),
            kind => format!("{kind:?} col {}", n.col),
        };
        let props = if n.has_properties {
            " (properties)"
        } else {
            ""
        };
        let tail = if n.tail_end != n.end {
            format!(" tail ..{}", n.tail_end)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{pad}{what}{props} @{line}:{col} [{}..{}]{tail}",
            n.start, n.end
        );
        for e in self.entries(id) {
            let (line, col) = self.line_col(e.start);
            let _ = writeln!(
                out,
                "{pad}- entry @{line}:{col} lead {}..{} body {}..{}",
                e.lead, e.start, e.start, e.end
            );
            if e.key != NO_NODE {
                let _ = writeln!(out, "{pad}  key:");
                self.dump_node(out, e.key, depth + 2);
                let _ = writeln!(out, "{pad}  value:");
            }
            self.dump_node(out, e.value, depth + 2);
        }
    }
}
