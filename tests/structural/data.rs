//! The data of a YAML stream as the expectations see it: documents of nodes
//! in document order, each node of base remembering where it stood (its
//! [`Path`]), so that edits recorded against base apply to it in any order;
//! and its canonical texts, with mapping keys sorted (exactly
//! `common::canonical_data`) or in document order.

use std::collections::HashSet;

use crate::common;

/// Where a node stands in base: the index of its document, then at each
/// level the index of the entry (key or item) holding it.
pub type Path = Vec<usize>;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A scalar, as `common::canonical_data_of` writes it.
    Leaf(String),
    Seq(Vec<Node>),
    /// Keys as their canonical texts.
    Map(Vec<(String, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where a node of base stood; `None` for a node an edit brought.
    pub origin: Option<Path>,
    /// The tag as the canonical text writes it (`!handle-suffix `), or "".
    pub tag: String,
    pub value: Value,
}

/// One step of a path in data terms, for finding a node in a result that
/// has no origins.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Doc(usize),
    Key(String),
    Index(usize),
}

/// The documents of `text`, each node with its origin.
pub fn load(text: &str) -> Result<Vec<Node>, String> {
    use saphyr::LoadableYamlNode;
    let docs = saphyr::Yaml::load_from_str(text).map_err(|e| e.to_string())?;
    Ok(docs
        .iter()
        .enumerate()
        .map(|(d, y)| of_yaml(y, Some(vec![d])))
        .collect())
}

/// One value loaded alone (a new scalar, item or block an edit brings),
/// without origins; `None` when `text` is not exactly one document.
pub fn value_of(text: &str) -> Option<Node> {
    let mut docs = load(text).ok()?;
    (docs.len() == 1).then(|| strip(docs.remove(0)))
}

fn strip(mut n: Node) -> Node {
    n.origin = None;
    n.value = match n.value {
        Value::Leaf(s) => Value::Leaf(s),
        Value::Seq(v) => Value::Seq(v.into_iter().map(strip).collect()),
        Value::Map(v) => Value::Map(v.into_iter().map(|(k, x)| (k, strip(x))).collect()),
    };
    n
}

fn of_yaml(y: &saphyr::Yaml, origin: Option<Path>) -> Node {
    use saphyr::Yaml;
    let child = |i: usize| {
        origin.as_ref().map(|p| {
            let mut c = p.clone();
            c.push(i);
            c
        })
    };
    let (tag, value) = match y {
        Yaml::Tagged(tag, inner) => {
            let mut n = of_yaml(inner, origin);
            n.tag = format!("!{}{} {}", tag.handle, tag.suffix, n.tag);
            return n;
        }
        Yaml::Sequence(items) => (
            String::new(),
            Value::Seq(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| of_yaml(x, child(i)))
                    .collect(),
            ),
        ),
        Yaml::Mapping(m) => (
            String::new(),
            Value::Map(
                m.iter()
                    .enumerate()
                    .map(|(i, (k, v))| (common::canonical_data_of(k), of_yaml(v, child(i))))
                    .collect(),
            ),
        ),
        other => (String::new(), Value::Leaf(common::canonical_data_of(other))),
    };
    Node { origin, tag, value }
}

/// The canonical text of a stream: `common::canonical_data`'s when
/// `sorted`, else with mapping keys in their order.
pub fn canon(docs: &[Node], sorted: bool) -> String {
    docs.iter()
        .map(|d| d.canon(sorted))
        .collect::<Vec<_>>()
        .join("\n---\n")
}

impl Node {
    pub fn canon(&self, sorted: bool) -> String {
        let body = match &self.value {
            Value::Leaf(s) => s.clone(),
            Value::Seq(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(|x| x.canon(sorted))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Value::Map(entries) => {
                let mut e: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", v.canon(sorted)))
                    .collect();
                if sorted {
                    e.sort();
                }
                format!("{{{}}}", e.join(", "))
            }
        };
        format!("{}{body}", self.tag)
    }

    fn children_mut(&mut self) -> Vec<&mut Node> {
        match &mut self.value {
            Value::Leaf(_) => Vec::new(),
            Value::Seq(v) => v.iter_mut().collect(),
            Value::Map(v) => v.iter_mut().map(|(_, x)| x).collect(),
        }
    }

    fn children(&self) -> Vec<(Step, &Node)> {
        match &self.value {
            Value::Leaf(_) => Vec::new(),
            Value::Seq(v) => v
                .iter()
                .enumerate()
                .map(|(i, x)| (Step::Index(i), x))
                .collect(),
            Value::Map(v) => v.iter().map(|(k, x)| (Step::Key(k.clone()), x)).collect(),
        }
    }

    fn is_collection(&self) -> bool {
        !matches!(self.value, Value::Leaf(_))
    }
}

/// The node of base that stood at `path`.
fn find_mut<'a>(docs: &'a mut [Node], path: &[usize]) -> Option<&'a mut Node> {
    let mut node = docs.get_mut(*path.first()?)?;
    for depth in 2..=path.len() {
        let want = &path[..depth];
        node = node
            .children_mut()
            .into_iter()
            .find(|c| c.origin.as_deref() == Some(want))?;
    }
    Some(node)
}

/// The steps to the node of base that stood at `path`, in `docs` (base
/// with edits applied).
pub fn steps_to(docs: &[Node], path: &[usize]) -> Option<Vec<Step>> {
    let mut node = docs.get(*path.first()?)?;
    let mut steps = vec![Step::Doc(path[0])];
    for depth in 2..=path.len() {
        let want = &path[..depth];
        let (step, child) = node
            .children()
            .into_iter()
            .find(|(_, c)| c.origin.as_deref() == Some(want))?;
        steps.push(step);
        node = child;
    }
    Some(steps)
}

/// The node at `steps` (see [`steps_to`]) of any stream.
pub fn at<'a>(docs: &'a [Node], steps: &[Step]) -> Option<&'a Node> {
    let Some(Step::Doc(d)) = steps.first() else {
        return None;
    };
    let mut node = docs.get(*d)?;
    for step in &steps[1..] {
        node = node
            .children()
            .into_iter()
            .find(|(s, _)| s == step)
            .map(|(_, c)| c)?;
    }
    Some(node)
}

/// What an edit does to the data of base.
#[derive(Clone, Debug)]
pub enum Effect {
    /// Comments, quoting, blank lines: the data stay as they are.
    None,
    /// The node at `at` becomes `value`.
    Set { at: Path, value: Node },
    /// The entry (a mapping's key or a sequence's item) at `at` goes.
    Remove { at: Path },
    /// A new entry of the collection at `parent`, right after its base
    /// entry `after` (first when `None`); `key` for a mapping.
    Insert {
        parent: Path,
        after: Option<usize>,
        key: Option<String>,
        value: Node,
    },
    /// Base entries `first` and `first + 1` of the mapping at `parent`
    /// trade places.
    Swap { parent: Path, first: usize },
    /// A new document right after base document `after`.
    InsertDocument { after: usize, value: Node },
    /// Base document `at` goes.
    RemoveDocument { at: usize },
}

impl Effect {
    /// The node whose data the effect changes: the one set, or the
    /// collection inserted into or removed from.
    pub fn locus(&self) -> Option<Path> {
        match self {
            Effect::None => None,
            Effect::Set { at, .. } => Some(at.clone()),
            Effect::Remove { at } => Some(at[..at.len() - 1].to_vec()),
            Effect::Insert { parent, .. } | Effect::Swap { parent, .. } => Some(parent.clone()),
            Effect::InsertDocument { .. } | Effect::RemoveDocument { .. } => None,
        }
    }

    /// Every path the effect names, for shifting them when base shrinks.
    pub fn paths_mut(&mut self) -> Vec<&mut Path> {
        match self {
            Effect::None => Vec::new(),
            Effect::Set { at, .. } | Effect::Remove { at } => vec![at],
            Effect::Insert { parent, .. } | Effect::Swap { parent, .. } => vec![parent],
            Effect::InsertDocument { .. } | Effect::RemoveDocument { .. } => Vec::new(),
        }
    }
}

/// `docs` with the effects applied. Effects are listed by side (current's
/// first) so that insertions at one place keep current's before incoming's.
/// `None` when an effect names a node base does not have.
pub fn apply(docs: &[Node], effects: &[&Effect]) -> Option<Vec<Node>> {
    let mut out = docs.to_vec();
    for e in effects {
        if let Effect::Set { at, value } = e {
            let node = find_mut(&mut out, at)?;
            node.tag = value.tag.clone();
            node.value = value.value.clone();
        }
    }
    insert_all(&mut out, effects)?;
    for e in effects {
        if let Effect::Swap { parent, first } = e {
            swap(find_mut(&mut out, parent)?, parent, *first)?;
        }
    }
    for e in effects {
        if let Effect::Remove { at } = e {
            let node = find_mut(&mut out, at.get(..at.len().checked_sub(1)?)?)?;
            let before = child_count(node);
            retain(node, |c| c.origin.as_deref() != Some(&at[..]));
            (child_count(node) + 1 == before).then_some(())?;
        }
    }
    for e in effects {
        if let Effect::InsertDocument { after, value } = e {
            let at = out
                .iter()
                .rposition(|d| d.origin.as_deref() == Some(&[*after][..]))?;
            let mut end = at + 1;
            while end < out.len() && out[end].origin.is_none() {
                end += 1;
            }
            out.insert(end, value.clone());
        }
    }
    for e in effects {
        if let Effect::RemoveDocument { at } = e {
            let i = out
                .iter()
                .position(|d| d.origin.as_deref() == Some(&[*at][..]))?;
            out.remove(i);
        }
    }
    Some(out)
}

/// Base entries `first` and `first + 1` of `node` (at `path`) trade places.
fn swap(node: &mut Node, path: &[usize], first: usize) -> Option<()> {
    let want = |k: usize| {
        let mut p = path.to_vec();
        p.push(k);
        p
    };
    let (a, b) = (want(first), want(first + 1));
    let Value::Map(entries) = &mut node.value else {
        return None;
    };
    let i = entries
        .iter()
        .position(|(_, x)| x.origin.as_ref() == Some(&a))?;
    let j = entries
        .iter()
        .position(|(_, x)| x.origin.as_ref() == Some(&b))?;
    entries.swap(i, j);
    Some(())
}

fn child_count(n: &Node) -> usize {
    match &n.value {
        Value::Leaf(_) => 0,
        Value::Seq(v) => v.len(),
        Value::Map(v) => v.len(),
    }
}

fn retain(n: &mut Node, keep: impl Fn(&Node) -> bool) {
    match &mut n.value {
        Value::Leaf(_) => {}
        Value::Seq(v) => v.retain(|x| keep(x)),
        Value::Map(v) => v.retain(|(_, x)| keep(x)),
    }
}

/// The insertions, collection by collection: each new entry right after its
/// anchor and after the ones inserted there before it.
fn insert_all(out: &mut [Node], effects: &[&Effect]) -> Option<()> {
    let mut by_parent: Vec<(&Path, Vec<New>)> = Vec::new();
    for e in effects {
        if let Effect::Insert {
            parent,
            after,
            key,
            value,
        } = e
        {
            match by_parent.iter_mut().find(|(p, _)| *p == parent) {
                Some((_, v)) => v.push((*after, key.as_ref(), value)),
                None => by_parent.push((parent, vec![(*after, key.as_ref(), value)])),
            }
        }
    }
    for (parent, news) in by_parent {
        let node = find_mut(out, parent)?;
        if !node.is_collection() {
            return None;
        }
        rebuild(node, parent.len(), &news)?;
    }
    Some(())
}

type New<'a> = (Option<usize>, Option<&'a String>, &'a Node);

fn rebuild(node: &mut Node, depth: usize, news: &[New]) -> Option<()> {
    let seen = match &mut node.value {
        Value::Seq(items) => splice(items, depth, news, |x| x, |n| n.2.clone()),
        Value::Map(entries) => splice(
            entries,
            depth,
            news,
            |(_, x)| x,
            |n| (n.1.cloned().unwrap_or_default(), n.2.clone()),
        ),
        Value::Leaf(_) => return None,
    };
    let wanted: HashSet<usize> = news.iter().filter_map(|n| n.0).collect();
    (seen == wanted).then_some(())
}

/// `items` with the new entries placed after their anchors; returns the
/// anchors found among `items`.
fn splice<T>(
    items: &mut Vec<T>,
    depth: usize,
    news: &[New],
    node: impl Fn(&T) -> &Node,
    make: impl Fn(&New) -> T,
) -> HashSet<usize> {
    let placed = |after: Option<usize>| news.iter().filter(move |n| n.0 == after).map(&make);
    let mut out: Vec<T> = placed(None).collect();
    let mut seen = HashSet::new();
    for item in items.drain(..) {
        let anchor = node(&item)
            .origin
            .as_ref()
            .and_then(|o| o.get(depth).copied());
        out.push(item);
        if let Some(a) = anchor.filter(|a| news.iter().any(|n| n.0 == Some(*a))) {
            seen.insert(a);
            out.extend(placed(Some(a)));
        }
    }
    *items = out;
    seen
}
