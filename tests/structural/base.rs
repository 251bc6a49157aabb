//! A base file prepared for structural edits: its syntax tree (exact byte
//! spans), its data, its lines, and every node with its path and the entry
//! that holds it.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use yamerge::syntax::{NO_NODE, NodeId, NodeKind, Tree};

use super::data::{self, Path};
use super::kinds::{self, Group, Target};
use crate::common;

/// A node of base and where it stands.
pub struct Site {
    pub node: NodeId,
    pub path: Path,
    /// The key of the mapping entry holding the node.
    pub key: Option<NodeId>,
    /// The collection holding the node; `None` for a document's root.
    pub parent: Option<NodeId>,
    /// A YAML path for messages (`spec.ports[1].name`).
    pub name: String,
}

pub struct Base {
    pub text: String,
    /// A hash of the text that does not depend on the pool's order.
    pub key: u64,
    pub tree: Tree,
    pub data: Vec<data::Node>,
    /// The line break new lines get (that of the first line).
    pub eol: &'static str,
    /// Where each line starts.
    pub line_starts: Vec<usize>,
    /// Per line: it continues a scalar (a block scalar's text, the second
    /// line of a quoted or plain one), so no line may go before it.
    pub in_scalar: Vec<bool>,
    pub sites: Vec<Site>,
    by_node: HashMap<NodeId, usize>,
    by_path: HashMap<Path, usize>,
    /// Where each group of edits fits, found once (see [`Base::targets`]).
    targets: OnceLock<Vec<Vec<Target>>>,
}

impl Base {
    /// `text` prepared, or why it cannot be edited here (aliases, complex
    /// keys, data the parsers disagree on).
    pub fn new(text: &str) -> Result<Base, String> {
        let tree = yamerge::syntax::parse("base", text.as_bytes()).map_err(|e| e.to_string())?;
        let data = data::load(text)?;
        if data::canon(&data, true) != common::canonical_data(text)? {
            return Err("the data model differs from common::canonical_data".into());
        }
        let mut base = Base {
            text: text.to_string(),
            key: crate::pool::text_key(text),
            eol: tree.line_ending(),
            line_starts: line_starts(text),
            in_scalar: Vec::new(),
            sites: Vec::new(),
            by_node: HashMap::new(),
            by_path: HashMap::new(),
            targets: OnceLock::new(),
            tree,
            data,
        };
        base.walk_documents()?;
        base.in_scalar = base.scalar_lines();
        base.check_data()?;
        Ok(base)
    }

    fn walk_documents(&mut self) -> Result<(), String> {
        let docs: Vec<NodeId> = self.tree.documents().iter().map(|d| d.root).collect();
        let many = docs.len() > 1;
        for (d, root) in docs.into_iter().enumerate() {
            if root == NO_NODE {
                return Err("a document without a root node".into());
            }
            let name = if many { format!("#{d}") } else { String::new() };
            self.walk(root, vec![d], None, None, name)?;
        }
        Ok(())
    }

    fn walk(
        &mut self,
        node: NodeId,
        path: Path,
        parent: Option<NodeId>,
        key: Option<NodeId>,
        name: String,
    ) -> Result<(), String> {
        let n = *self.tree.node(node);
        if n.kind == NodeKind::Alias {
            return Err("aliases".into());
        }
        self.by_node.insert(node, self.sites.len());
        self.by_path.insert(path.clone(), self.sites.len());
        self.sites.push(Site {
            node,
            path: path.clone(),
            key,
            parent,
            name: name.clone(),
        });
        let entries = self.tree.entries(node).to_vec();
        for (i, e) in entries.into_iter().enumerate() {
            let mut child = path.clone();
            child.push(i);
            let child_name = if n.kind.is_map() {
                if e.key == NO_NODE || self.tree.node(e.key).kind != NodeKind::Scalar {
                    return Err("a complex or missing key".into());
                }
                let dot = if name.is_empty() { "" } else { "." };
                format!("{name}{dot}{}", self.tree.value(e.key))
            } else {
                format!("{name}[{i}]")
            };
            let key = (e.key != NO_NODE).then_some(e.key);
            self.walk(e.value, child, Some(node), key, child_name)?;
        }
        Ok(())
    }

    /// Lines that start inside a scalar's span.
    fn scalar_lines(&self) -> Vec<bool> {
        let mut out = vec![false; self.line_starts.len()];
        for s in &self.sites {
            let n = self.tree.node(s.node);
            if n.kind != NodeKind::Scalar {
                continue;
            }
            let (start, end) = (n.start as usize, n.end as usize);
            if end > start {
                for flag in &mut out[self.line_of(start) + 1..=self.line_of(end - 1)] {
                    *flag = true;
                }
            }
        }
        out
    }

    /// Every node's kind and entry count agree with the data's.
    fn check_data(&self) -> Result<(), String> {
        for s in &self.sites {
            let n = self.tree.node(s.node);
            let d = self.data_at(&s.path).ok_or("a node without data")?;
            let agree = match &d.value {
                data::Value::Leaf(_) => !n.kind.is_collection(),
                data::Value::Seq(v) => {
                    !n.kind.is_map() && n.kind.is_collection() && v.len() == n.entry_count as usize
                }
                data::Value::Map(v) => n.kind.is_map() && v.len() == n.entry_count as usize,
            };
            if !agree {
                return Err(format!("tree and data disagree at {}", s.name));
            }
        }
        Ok(())
    }

    /// The data of base at `path`.
    pub fn data_at(&self, path: &[usize]) -> Option<&data::Node> {
        let mut node = self.data.get(*path.first()?)?;
        for &i in &path[1..] {
            node = match &node.value {
                data::Value::Leaf(_) => return None,
                data::Value::Seq(v) => v.get(i)?,
                data::Value::Map(v) => &v.get(i)?.1,
            };
        }
        Some(node)
    }

    /// Every place edits of `group` fit.
    pub fn targets(&self, group: Group) -> &[Target] {
        let all = self.targets.get_or_init(|| {
            Group::WEIGHTED
                .iter()
                .map(|&(g, _)| kinds::targets(self, g))
                .collect()
        });
        &all[group.index()]
    }

    pub fn site(&self, node: NodeId) -> &Site {
        &self.sites[self.by_node[&node]]
    }

    pub fn site_at(&self, path: &[usize]) -> Option<&Site> {
        self.by_path.get(path).map(|&i| &self.sites[i])
    }

    /// The name of the node at `path` for messages; `?` when base has none.
    pub fn name(&self, path: &[usize]) -> String {
        match self.site_at(path) {
            Some(s) if s.name.is_empty() => "(root)".into(),
            Some(s) => s.name.clone(),
            None => "?".into(),
        }
    }

    pub fn span(&self, node: NodeId) -> Range<usize> {
        let n = self.tree.node(node);
        n.start as usize..n.end as usize
    }

    pub fn line_of(&self, pos: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= pos) - 1
    }

    /// The bytes of line `l`, its line break included.
    pub fn line(&self, l: usize) -> Range<usize> {
        let end = self
            .line_starts
            .get(l + 1)
            .copied()
            .unwrap_or(self.text.len());
        self.line_starts[l]..end
    }

    pub fn is_line_start(&self, pos: usize) -> bool {
        pos == 0 || self.text.as_bytes().get(pos - 1) == Some(&b'\n')
    }

    /// The line's text without its line break.
    pub fn line_text(&self, l: usize) -> &str {
        let r = self.line(l);
        self.text[r].trim_end_matches(['\n', '\r'])
    }

    pub fn indent_of_line(&self, l: usize) -> usize {
        let t = self.line_text(l);
        t.len() - t.trim_start_matches(' ').len()
    }

    pub fn is_blank_line(&self, l: usize) -> bool {
        self.line_text(l).trim().is_empty()
    }

    pub fn is_comment_line(&self, l: usize) -> bool {
        !self.in_scalar[l] && self.line_text(l).trim_start().starts_with('#')
    }

    /// Whether only spaces stand before `pos` on its line.
    pub fn starts_its_line(&self, pos: usize) -> bool {
        let ls = self.line_starts[self.line_of(pos)];
        self.text[ls..pos].bytes().all(|b| b == b' ')
    }
}

/// Where each line of `text` starts (a text without a final line break
/// still has its last line).
fn line_starts(text: &str) -> Vec<usize> {
    let mut out = vec![0];
    out.extend(
        text.match_indices('\n')
            .map(|(i, _)| i + 1)
            .filter(|&i| i < text.len()),
    );
    out
}
