//! Where each kind of edit fits in a base file ([`targets`]), and making
//! one there ([`make`]): its new text, spelled like its neighbours (the
//! quoting of sibling items, a flow collection's separators, the list's
//! indentation), and its effect on the data. Every edit made is checked
//! alone: applied to base it must give valid YAML whose data are base's
//! with its effect.

use yamerge::syntax::{NodeId, NodeKind, ScalarStyle};

use super::base::Base;
use super::data::{self, Effect};
use super::{Edit, Kind, apply_text};
use crate::edits::Rng;
use crate::generate::{chance, pick};
use crate::pool;

/// Edits that fit the same kind of place, made by one function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Group {
    ChangeScalar,
    EolComment,
    RequoteKey,
    RequoteValue,
    FlowAdd,
    FlowRemove,
    FlowChange,
    InsertItem,
    InsertKey,
    RemoveKey,
    AddCommentLine,
    RemoveCommentLine,
    AddBlankLine,
    RemoveBlankLine,
    ChangeType,
    ReorderKeys,
    InsertDocument,
    RemoveDocument,
}

impl Group {
    /// Every group with its weight among the extra edits of a side.
    pub const WEIGHTED: [(Group, usize); 18] = [
        (Group::ChangeScalar, 14),
        (Group::EolComment, 8),
        (Group::RequoteKey, 5),
        (Group::RequoteValue, 5),
        (Group::FlowAdd, 8),
        (Group::FlowRemove, 5),
        (Group::FlowChange, 8),
        (Group::InsertItem, 10),
        (Group::InsertKey, 10),
        (Group::RemoveKey, 7),
        (Group::AddCommentLine, 5),
        (Group::RemoveCommentLine, 3),
        (Group::AddBlankLine, 4),
        (Group::RemoveBlankLine, 3),
        (Group::ChangeType, 5),
        (Group::ReorderKeys, 5),
        (Group::InsertDocument, 6),
        (Group::RemoveDocument, 3),
    ];

    pub fn index(self) -> usize {
        Group::WEIGHTED
            .iter()
            .position(|(g, _)| *g == self)
            .unwrap_or(0)
    }
}

/// A place an edit fits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A node: the scalar changed or re-quoted (a key's entry: its value),
    /// the value whose line gets an end-of-line comment.
    Node(NodeId),
    /// A collection and a position: insert before entry `i` (`i` = the
    /// count: at the end), insert a key after entry `i`, remove entry `i`.
    Slot(NodeId, usize),
    /// A line: insert before it (the line count: at the end), remove it.
    Line(usize),
    /// A document of the stream: insert after it.
    Document(usize),
}

/// New names and values for one side: `cur-3`, `inc_key4`, ...
pub struct Namer {
    pub side: usize,
    n: usize,
}

impl Namer {
    pub fn new(side: usize) -> Self {
        Namer { side, n: 0 }
    }

    fn tag(&self) -> &'static str {
        ["cur", "inc"][self.side]
    }

    fn next(&mut self) -> usize {
        self.n += 1;
        self.n
    }

    /// A new scalar in `style`: plain `cur-3` or a number (current's start
    /// with 1, incoming's with 2, so the sides never agree), `'cur 3'`,
    /// `"cur 3"`.
    fn scalar(&mut self, rng: &mut Rng, style: ScalarStyle) -> String {
        let (tag, n) = (self.tag(), self.next());
        match style {
            ScalarStyle::SingleQuoted => format!("'{tag} {n}'"),
            ScalarStyle::DoubleQuoted => format!("\"{tag} {n}\""),
            _ if chance(rng, 30) => format!("{}{:04}", 1 + self.side, rng.below(10_000)),
            _ => format!("{tag}-{n}"),
        }
    }

    /// A new key name: `cur_key3`.
    fn key(&mut self) -> String {
        format!("{}_key{}", self.tag(), self.next())
    }
}

fn is_text_scalar(base: &Base, node: NodeId) -> bool {
    if node == yamerge::syntax::NO_NODE {
        return false;
    }
    let n = base.tree.node(node);
    n.kind == NodeKind::Scalar
        && matches!(
            n.style,
            ScalarStyle::Plain | ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
        )
        && !n.has_properties
}

fn is_flow(kind: NodeKind) -> bool {
    matches!(kind, NodeKind::FlowSeq | NodeKind::FlowMap)
}

fn parent_kind(base: &Base, node: NodeId) -> Option<NodeKind> {
    base.site(node).parent.map(|p| base.tree.node(p).kind)
}

fn one_line(base: &Base, node: NodeId) -> bool {
    let r = base.span(node);
    !base.text[r].contains('\n')
}

/// Every place `group` fits in `base`.
pub fn targets(base: &Base, group: Group) -> Vec<Target> {
    let nodes = base.sites.iter().map(|s| s.node);
    let in_block = |n: NodeId| parent_kind(base, n).is_some_and(NodeKind::is_block);
    let in_flow = |n: NodeId| parent_kind(base, n).is_some_and(is_flow);
    let kind = |n: NodeId| base.tree.node(n).kind;
    let count = |n: NodeId| base.tree.node(n).entry_count as usize;
    let slots = |pred: &dyn Fn(NodeId) -> bool, extra: usize, min: usize| -> Vec<Target> {
        nodes
            .clone()
            .filter(|&n| pred(n) && count(n) >= min)
            .flat_map(|n| (0..count(n) + extra).map(move |i| Target::Slot(n, i)))
            .collect()
    };
    let node_targets = |pred: &dyn Fn(NodeId) -> bool| -> Vec<Target> {
        nodes
            .clone()
            .filter(|&n| pred(n))
            .map(Target::Node)
            .collect()
    };
    let lines = base.line_starts.len();
    let line_targets = |pred: &dyn Fn(usize) -> bool| -> Vec<Target> {
        (0..=lines).filter(|&l| pred(l)).map(Target::Line).collect()
    };
    match group {
        Group::ChangeScalar => node_targets(&|n| is_text_scalar(base, n) && in_block(n)),
        Group::FlowChange => node_targets(&|n| is_text_scalar(base, n) && in_flow(n)),
        Group::RequoteValue => node_targets(&|n| {
            is_text_scalar(base, n) && base.site(n).parent.is_some() && one_line(base, n)
        }),
        Group::RequoteKey => node_targets(&|n| {
            base.site(n)
                .key
                .is_some_and(|k| is_text_scalar(base, k) && one_line(base, k))
        }),
        Group::EolComment => node_targets(&|n| {
            in_block(n)
                && (is_text_scalar(base, n)
                    || is_flow(kind(n))
                    || kind(n).is_block() && base.site(n).key.is_some())
        }),
        Group::FlowAdd => slots(&|n| is_flow(kind(n)), 1, 0),
        Group::FlowRemove => slots(&|n| is_flow(kind(n)), 0, 1),
        Group::InsertItem => slots(&|n| kind(n) == NodeKind::BlockSeq, 1, 1),
        Group::InsertKey => slots(&|n| kind(n) == NodeKind::BlockMap, 0, 1),
        Group::RemoveKey => slots(&|n| kind(n) == NodeKind::BlockMap, 0, 2),
        Group::AddCommentLine | Group::AddBlankLine => {
            line_targets(&|l| l == lines || !base.in_scalar[l])
        }
        Group::RemoveCommentLine => {
            line_targets(&|l| l < lines && base.is_comment_line(l) && ends_line(base, l))
        }
        Group::ChangeType => node_targets(&|n| {
            is_text_scalar(base, n) && in_block(n) && same_line_entry(base, n) && one_line(base, n)
        }),
        Group::ReorderKeys => slots(&|n| kind(n) == NodeKind::BlockMap, 0, 2)
            .into_iter()
            .filter(|t| matches!(*t, Target::Slot(n, i) if i + 1 < count(n)))
            .collect(),
        Group::InsertDocument => {
            let docs = base.tree.documents().len();
            (0..docs)
                .filter(|_| docs >= 2)
                .map(Target::Document)
                .collect()
        }
        Group::RemoveDocument => {
            let docs = base.tree.documents().len();
            (1..docs.max(1)).map(Target::Document).collect()
        }
        Group::RemoveBlankLine => line_targets(&|l| {
            l < lines && !base.in_scalar[l] && base.is_blank_line(l) && ends_line(base, l)
        }),
    }
}

/// The line has its own line break (it is not the unterminated last one).
fn ends_line(base: &Base, l: usize) -> bool {
    base.text[base.line(l)].ends_with('\n')
}

/// Why an edit was not made.
#[derive(Debug, PartialEq, Eq)]
pub enum Unmade {
    /// The place does not suit this kind after all.
    NoFit,
    /// Made, but alone it gives invalid YAML or other data than recorded
    /// (counted: a generator that often fails needs a look).
    Rejected(Kind),
}

/// One edit of `group` at `target`, for `namer`'s side.
pub fn make(
    base: &Base,
    group: Group,
    target: Target,
    rng: &mut Rng,
    namer: &mut Namer,
) -> Result<Edit, Unmade> {
    let made = match (group, target) {
        (Group::ChangeScalar | Group::FlowChange, Target::Node(n)) => change(base, n, rng, namer),
        (Group::RequoteValue, Target::Node(n)) => requote(base, n, n, Kind::RequoteValue, rng),
        (Group::RequoteKey, Target::Node(n)) => {
            let key = base.site(n).key.ok_or(Unmade::NoFit)?;
            requote(base, key, n, Kind::RequoteKey, rng)
        }
        (Group::EolComment, Target::Node(n)) => eol_comment(base, n, namer),
        (Group::FlowAdd, Target::Slot(c, i)) => flow_add(base, c, i, rng, namer),
        (Group::FlowRemove, Target::Slot(c, i)) => flow_remove(base, c, i),
        (Group::InsertItem, Target::Slot(c, i)) => insert_item(base, c, i, rng, namer),
        (Group::InsertKey, Target::Slot(c, i)) => insert_key(base, c, i, rng, namer),
        (Group::RemoveKey, Target::Slot(c, i)) => remove_key(base, c, i, rng),
        (Group::AddCommentLine | Group::AddBlankLine, Target::Line(l)) => {
            add_line(base, l, group == Group::AddCommentLine, rng, namer)
        }
        (Group::RemoveCommentLine, Target::Line(l)) => {
            remove_line(base, l, Kind::RemoveCommentLine)
        }
        (Group::RemoveBlankLine, Target::Line(l)) => remove_line(base, l, Kind::RemoveBlankLine),
        (Group::ChangeType, Target::Node(n)) => change_type(base, n, rng, namer),
        (Group::ReorderKeys, Target::Slot(m, i)) => reorder_keys(base, m, i),
        (Group::InsertDocument, Target::Document(d)) => insert_document(base, d, rng, namer),
        (Group::RemoveDocument, Target::Document(d)) => remove_document(base, d),
        _ => None,
    };
    let mut edit = made.ok_or(Unmade::NoFit)?;
    edit.side = namer.side;
    if holds_alone(base, &edit) {
        Ok(edit)
    } else {
        Err(Unmade::Rejected(edit.kind))
    }
}

/// Base with the edit alone is valid and has the data its effect says.
fn holds_alone(base: &Base, edit: &Edit) -> bool {
    let Some((text, _)) = apply_text(&base.text, &[edit]) else {
        return false;
    };
    let want = data::apply(&base.data, &[&edit.effect]);
    pool::valid(&text)
        && match (data::load(&text), want) {
            (Ok(got), Some(want)) => data::canon(&got, false) == data::canon(&want, false),
            _ => false,
        }
}

/// An edit with no data effect yet, of `kind`, replacing `span`.
fn edit(kind: Kind, span: std::ops::Range<usize>, text: String, at: &[usize]) -> Edit {
    Edit {
        kind,
        side: 0,
        claim: span.clone(),
        span,
        text,
        effect: Effect::None,
        removes: false,
        at: at.to_vec(),
    }
}

fn change(base: &Base, node: NodeId, rng: &mut Rng, namer: &mut Namer) -> Option<Edit> {
    let kind = match parent_kind(base, node)? {
        NodeKind::FlowSeq => Kind::FlowSeqChange,
        NodeKind::FlowMap => Kind::FlowMapChange,
        _ => Kind::ChangeScalar,
    };
    let text = namer.scalar(rng, base.tree.node(node).style);
    let value = data::value_of(&text)?;
    let at = &base.site(node).path;
    let mut e = edit(kind, base.span(node), text, at);
    e.effect = Effect::Set {
        at: at.clone(),
        value,
    };
    Some(e)
}

/// Whether `text` alone is a string scalar of value `value`.
fn is_string(text: &str, value: &str) -> bool {
    data::value_of(text).is_some_and(|n| n.canon(true) == format!("{value:?}"))
}

/// The scalar `node` written in another quoting, the data unchanged; `at`
/// names the entry for messages.
fn requote(base: &Base, node: NodeId, at: NodeId, kind: Kind, rng: &mut Rng) -> Option<Edit> {
    let n = base.tree.node(node);
    let v = base.tree.value(node);
    let span = base.span(node);
    if !is_string(&base.text[span.clone()], v) || v.chars().any(char::is_control) {
        return None;
    }
    let plain_ok = v.starts_with(|c: char| c.is_ascii_alphanumeric())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./-".contains(c))
        && is_string(v, v);
    let mut styles = Vec::new();
    if !v.contains(['"', '\\']) {
        styles.push(ScalarStyle::DoubleQuoted);
    }
    if !v.contains('\'') {
        styles.push(ScalarStyle::SingleQuoted);
    }
    if plain_ok {
        styles.push(ScalarStyle::Plain);
    }
    styles.retain(|s| *s != n.style);
    if styles.is_empty() {
        return None;
    }
    let text = match pick(rng, &styles) {
        ScalarStyle::DoubleQuoted => format!("\"{v}\""),
        ScalarStyle::SingleQuoted => format!("'{v}'"),
        _ => v.to_string(),
    };
    Some(edit(kind, span, text, &base.site(at).path))
}

/// Where the code of the line `node` ends on: after a scalar or flow
/// value, or after the colon of a key whose block value follows.
fn code_end(base: &Base, node: NodeId) -> Option<usize> {
    let n = base.tree.node(node);
    if !n.kind.is_block() {
        return Some(n.end as usize);
    }
    let key = base.site(node).key?;
    let after = &base.text[base.span(key).end..];
    let spaces = after.len() - after.trim_start_matches(' ').len();
    after[spaces..]
        .starts_with(':')
        .then(|| base.span(key).end + spaces + 1)
}

/// Adds a comment at the end of the line `node`'s value ends on, or
/// rewrites the comment there.
fn eol_comment(base: &Base, node: NodeId, namer: &mut Namer) -> Option<Edit> {
    let pos = code_end(base, node)?;
    let line_end = base.text[pos..]
        .find('\n')
        .map_or(base.text.len(), |i| pos + i);
    let content_end = if base.text[..line_end].ends_with('\r') {
        line_end - 1
    } else {
        line_end
    };
    let rest = &base.text[pos..content_end];
    let comment = rest.trim_start();
    let words = format!("{} eol {}", namer.tag(), namer.next());
    let at = &base.site(node).path;
    if comment.is_empty() {
        let text = format!("  # {words}");
        return Some(edit(Kind::EolCommentAdd, pos..content_end, text, at));
    }
    let hash = pos + rest.len() - comment.len();
    comment.starts_with('#').then(|| {
        let text = format!("# {words}");
        edit(Kind::EolCommentChange, hash..content_end, text, at)
    })
}

/// How a flow collection is spelled, for writing a new entry like its
/// others.
struct Spelling {
    /// Between two entries: `, `, `,`, `,\n    `.
    sep: String,
    /// Between a key and its value: `: `, `:`.
    colon: String,
    key_style: ScalarStyle,
    value_style: ScalarStyle,
}

fn spelling(base: &Base, coll: NodeId) -> Spelling {
    let t = &base.tree;
    let entries = t.entries(coll);
    let json = base.text.trim_start().starts_with(['{', '[']);
    let default_style = if json {
        ScalarStyle::DoubleQuoted
    } else {
        ScalarStyle::Plain
    };
    let sep = match entries {
        [a, b, ..] => base.text[a.end as usize..b.start as usize].to_string(),
        [a] => {
            let inner = &base.text[t.node(coll).start as usize + 1..a.start as usize];
            if inner.contains('\n') {
                format!(",{inner}")
            } else if json && !base.text.contains(", ") {
                ",".into()
            } else {
                ", ".into()
            }
        }
        [] => ", ".into(),
    };
    let colon = entries
        .iter()
        .find(|e| e.key != yamerge::syntax::NO_NODE)
        .map_or(": ".into(), |e| {
            base.text[t.node(e.key).end as usize..t.node(e.value).start as usize].to_string()
        });
    let style_of = |pick_node: &dyn Fn(&yamerge::syntax::Entry) -> NodeId| {
        entries
            .iter()
            .map(pick_node)
            .find(|&n| is_text_scalar(base, n))
            .map_or(default_style, |n| t.node(n).style)
    };
    Spelling {
        sep,
        colon,
        key_style: style_of(&|e| e.key),
        value_style: style_of(&|e| e.value),
    }
}

fn quoted(v: &str, style: ScalarStyle) -> String {
    match style {
        ScalarStyle::DoubleQuoted => format!("\"{v}\""),
        ScalarStyle::SingleQuoted => format!("'{v}'"),
        _ => v.to_string(),
    }
}

/// A new item (or key and value) in a flow collection, before entry `i`.
fn flow_add(base: &Base, coll: NodeId, i: usize, rng: &mut Rng, namer: &mut Namer) -> Option<Edit> {
    let t = &base.tree;
    let is_map = t.node(coll).kind.is_map();
    let sp = spelling(base, coll);
    let value_text = namer.scalar(rng, sp.value_style);
    let value = data::value_of(&value_text)?;
    let (item, key) = if is_map {
        let k = quoted(&namer.key(), sp.key_style);
        let canon = data::value_of(&k)?.canon(true);
        (format!("{k}{}{value_text}", sp.colon), Some(canon))
    } else {
        (value_text, None)
    };
    let entries = t.entries(coll);
    let (pos, text) = match entries.len() {
        0 => (t.node(coll).start as usize + 1, item),
        _ if i == 0 => (entries[0].start as usize, format!("{item}{}", sp.sep)),
        _ => (entries[i - 1].end as usize, format!("{}{item}", sp.sep)),
    };
    let kind = if is_map {
        Kind::FlowMapAdd
    } else {
        Kind::FlowSeqAdd
    };
    let path = &base.site(coll).path;
    let mut e = edit(kind, pos..pos, text, path);
    e.claim = base.span(coll);
    e.effect = Effect::Insert {
        parent: path.clone(),
        after: i.checked_sub(1),
        key,
        value,
    };
    Some(e)
}

/// Entry `i` of a flow collection goes, with the separator before or
/// after it.
fn flow_remove(base: &Base, coll: NodeId, i: usize) -> Option<Edit> {
    let entries = base.tree.entries(coll);
    let s = |k: usize| entries[k].start as usize;
    let e = |k: usize| entries[k].end as usize;
    let span = match entries.len() {
        1 => s(0)..e(0),
        n if i + 1 < n => s(i)..s(i + 1),
        _ => e(i - 1)..e(i),
    };
    let kind = if base.tree.node(coll).kind.is_map() {
        Kind::FlowMapRemove
    } else {
        Kind::FlowSeqRemove
    };
    let at = base.site(entries[i].value).path.clone();
    let mut ed = edit(kind, span, String::new(), &at);
    ed.claim = s(i)..e(i);
    ed.removes = true;
    ed.effect = Effect::Remove { at };
    Some(ed)
}

/// Lines written at column `col` with the text's line breaks, for
/// insertion at `pos` (after a last line without a line break, the break
/// comes first).
fn indented(base: &Base, pos: usize, lines: &[String], col: usize) -> String {
    let pad = " ".repeat(col);
    let eol = base.eol;
    let text: String = lines.iter().map(|l| format!("{pad}{l}{eol}")).collect();
    if base.is_line_start(pos) {
        text
    } else {
        format!("{eol}{}", text.strip_suffix(eol).unwrap_or(&text))
    }
}

/// The lines of a new mapping item, keys like those of `neighbour` that
/// hold scalars (at most two; `name` when none does), the dash at column 0
/// and the keys `offset` columns right of it.
fn map_item_lines(base: &Base, neighbour: NodeId, offset: usize, namer: &mut Namer) -> Vec<String> {
    let t = &base.tree;
    let mut keys: Vec<&str> = t
        .entries(neighbour)
        .iter()
        .filter(|e| is_text_scalar(base, e.value) && is_text_scalar(base, e.key))
        .map(|e| &base.text[base.span(e.key)])
        .filter(|k| !k.contains('\n'))
        .take(2)
        .collect();
    if keys.is_empty() {
        keys.push("name");
    }
    let tag = namer.tag();
    keys.iter()
        .enumerate()
        .map(|(k, key)| {
            let lead = if k == 0 {
                format!("-{}", " ".repeat(offset - 1))
            } else {
                " ".repeat(offset)
            };
            format!("{lead}{key}: {tag}-item{}", namer.next())
        })
        .collect()
}

/// A new item of a block list, before item `i`: a scalar like its
/// neighbour, or a mapping with the keys of its neighbour.
fn insert_item(
    base: &Base,
    seq: NodeId,
    i: usize,
    rng: &mut Rng,
    namer: &mut Namer,
) -> Option<Edit> {
    let t = &base.tree;
    let entries = t.entries(seq);
    let n = entries.len();
    let neighbour = entries[i.min(n - 1)];
    if !base.starts_its_line(neighbour.start as usize) {
        return None;
    }
    let col = t.node(seq).col as usize;
    let pos = if i < n {
        entries[i].lead as usize
    } else {
        entries[n - 1].end as usize
    };
    if !base.is_line_start(pos) && pos != base.text.len() {
        return None;
    }
    let v = t.node(neighbour.value);
    let (lines, kind) = if v.kind == NodeKind::BlockMap && v.col as usize >= col + 2 {
        let offset = v.col as usize - col;
        let lines = map_item_lines(base, neighbour.value, offset, namer);
        (lines, Kind::InsertItemMap)
    } else {
        let style = if is_text_scalar(base, neighbour.value) {
            v.style
        } else {
            ScalarStyle::Plain
        };
        let line = format!("- {}", namer.scalar(rng, style));
        (vec![line], Kind::InsertItemScalar)
    };
    let item = match data::value_of(&format!("{}\n", lines.join("\n")))?.value {
        data::Value::Seq(mut items) if items.len() == 1 => items.remove(0),
        _ => return None,
    };
    let path = &base.site(seq).path;
    let mut e = edit(kind, pos..pos, indented(base, pos, &lines, col), path);
    e.claim = base.span(seq);
    e.effect = Effect::Insert {
        parent: path.clone(),
        after: i.checked_sub(1),
        key: None,
        value: item,
    };
    Some(e)
}

/// A new key after key `i` of a block mapping: with a scalar, or a small
/// block (a mapping or a list).
fn insert_key(
    base: &Base,
    map: NodeId,
    i: usize,
    rng: &mut Rng,
    namer: &mut Namer,
) -> Option<Edit> {
    let t = &base.tree;
    let pos = t.entries(map)[i].end as usize;
    if !base.is_line_start(pos) && pos != base.text.len() {
        return None;
    }
    let key = namer.key();
    let tag = namer.tag();
    let (lines, kind) = match rng.below(5) {
        0 => (
            vec![
                format!("{key}:"),
                format!("  enabled: {}", pick(rng, &["true", "false"])),
                format!("  mode: {tag}-mode{}", namer.next()),
            ],
            Kind::InsertKeyBlock,
        ),
        1 => (
            vec![
                format!("{key}:"),
                format!("  - {tag}-a{}", namer.next()),
                format!("  - {tag}-b{}", namer.next()),
            ],
            Kind::InsertKeyBlock,
        ),
        _ => (
            vec![format!("{key}: {}", namer.scalar(rng, ScalarStyle::Plain))],
            Kind::InsertKeyScalar,
        ),
    };
    let (k, value) = match data::value_of(&format!("{}\n", lines.join("\n")))?.value {
        data::Value::Map(mut m) if m.len() == 1 => m.remove(0),
        _ => return None,
    };
    let col = t.node(map).col as usize;
    let path = &base.site(map).path;
    let mut e = edit(kind, pos..pos, indented(base, pos, &lines, col), path);
    e.claim = base.span(map);
    e.effect = Effect::Insert {
        parent: path.clone(),
        after: Some(i),
        key: Some(k),
        value,
    };
    Some(e)
}

/// Key `i` of a block mapping goes with its lines, and mostly with the
/// comment lines right above it.
fn remove_key(base: &Base, map: NodeId, i: usize, rng: &mut Rng) -> Option<Edit> {
    let entry = base.tree.entries(map)[i];
    let (start, end) = (entry.start as usize, entry.end as usize);
    if !base.starts_its_line(start) || (!base.is_line_start(end) && end != base.text.len()) {
        return None;
    }
    let mut line = base.line_of(start);
    if chance(rng, 70) {
        while line > 0
            && base.is_comment_line(line - 1)
            && base.line_starts[line - 1] >= entry.lead as usize
        {
            line -= 1;
        }
    }
    let at = base.site(entry.value).path.clone();
    let span = base.line_starts[line]..end;
    let mut e = edit(Kind::RemoveKey, span, String::new(), &at);
    e.removes = true;
    e.effect = Effect::Remove { at };
    Some(e)
}

/// A whole-line comment, or a blank or whitespace-only line, before line
/// `l`, at the indentation of the next line that is not blank.
fn add_line(
    base: &Base,
    l: usize,
    comment: bool,
    rng: &mut Rng,
    namer: &mut Namer,
) -> Option<Edit> {
    let lines = base.line_starts.len();
    let pos = base.line_starts.get(l).copied().unwrap_or(base.text.len());
    let indent = (l..lines)
        .find(|&j| !base.is_blank_line(j))
        .map_or(0, |j| base.indent_of_line(j));
    let (body, kind) = if comment {
        let words = format!("{} note {}", namer.tag(), namer.next());
        (
            format!("{}# {words}", " ".repeat(indent)),
            Kind::AddCommentLine,
        )
    } else if chance(rng, 50) {
        (String::new(), Kind::AddBlankLine)
    } else {
        let spaces = 1 + rng.below(indent.clamp(1, 4));
        (" ".repeat(spaces), Kind::AddBlankLine)
    };
    let text = indented(base, pos, &[body], 0);
    Some(edit(kind, pos..pos, text, &[]))
}

fn remove_line(base: &Base, l: usize, kind: Kind) -> Option<Edit> {
    Some(edit(kind, base.line(l), String::new(), &[]))
}

/// The key and the value of the entry holding `node` start on one line.
pub fn same_line_entry(base: &Base, node: NodeId) -> bool {
    base.site(node)
        .key
        .is_some_and(|k| base.line_of(base.span(k).start) == base.line_of(base.span(node).start))
}

/// A scalar value becomes a block: a small mapping or a list, written
/// under its key (a changed type, issue #15's pattern 5).
fn change_type(base: &Base, node: NodeId, rng: &mut Rng, namer: &mut Namer) -> Option<Edit> {
    let key = base.site(node).key?;
    let span = base.span(node);
    let between = &base.text[base.span(key).end..span.start];
    let colon = base.span(key).end + between.find(':')? + 1;
    let col = base.tree.node(key).col as usize + 2;
    let tag = namer.tag();
    let lines: Vec<String> = if chance(rng, 50) {
        vec![
            format!("{}_sub{}: {tag}-{}", tag, namer.next(), namer.next()),
            format!("enabled: {}", pick(rng, &["true", "false"])),
        ]
    } else {
        vec![
            format!("- {tag}-{}", namer.next()),
            format!("- {tag}-{}", namer.next()),
        ]
    };
    let value = data::value_of(&format!("{}\n", lines.join("\n")))?;
    let pad = " ".repeat(col);
    let eol = base.eol;
    let text: String = lines.iter().map(|l| format!("{eol}{pad}{l}")).collect();
    let at = &base.site(node).path;
    let mut e = edit(Kind::ChangeType, colon..span.end, text, at);
    e.claim = span;
    e.effect = Effect::Set {
        at: at.clone(),
        value,
    };
    Some(e)
}

/// Keys `i` and `i + 1` of a block mapping trade places, each with its
/// comment lines (a key reorder, issue #15's pattern 7).
fn reorder_keys(base: &Base, map: NodeId, i: usize) -> Option<Edit> {
    let entries = base.tree.entries(map);
    let (a, b) = (entries[i], entries[i + 1]);
    let (a0, a1, b0, b1) = (
        a.lead as usize,
        a.end as usize,
        b.lead as usize,
        b.end as usize,
    );
    let whole = |p: usize| base.is_line_start(p);
    if a1 != b0 || !whole(a0) || !whole(b0) || !base.text[..b1].ends_with('\n') {
        return None;
    }
    let text = format!("{}{}", &base.text[b0..b1], &base.text[a0..a1]);
    let path = &base.site(map).path;
    let mut e = edit(Kind::ReorderKeys, a0..b1, text, path);
    e.effect = Effect::Swap {
        parent: path.clone(),
        first: i,
    };
    Some(e)
}

/// A new Kubernetes object after document `d` of a stream.
fn insert_document(base: &Base, d: usize, rng: &mut Rng, namer: &mut Namer) -> Option<Edit> {
    let pos = base.tree.documents()[d].end as usize;
    let at_end = pos == base.text.len();
    if !base.is_line_start(pos) || (at_end && !base.text.ends_with('\n')) {
        return None;
    }
    if !at_end && !base.text[pos..].starts_with("---") {
        return None;
    }
    let tag = namer.tag();
    let eol = base.eol;
    let body = format!(
        "kind: ConfigMap{eol}metadata:{eol}  name: {tag}-doc{}{eol}data:{eol}  mode: {}{eol}",
        namer.next(),
        namer.scalar(rng, ScalarStyle::Plain)
    );
    let value = data::value_of(&body)?;
    let mut e = edit(
        Kind::InsertDocument,
        pos..pos,
        format!("---{eol}{body}"),
        &[d],
    );
    e.effect = Effect::InsertDocument { after: d, value };
    Some(e)
}

/// Document `d` (not the first) of a stream goes, from its `---` line to
/// the next document's.
fn remove_document(base: &Base, d: usize) -> Option<Edit> {
    let doc = base.tree.documents()[d];
    let (start, end) = (doc.start as usize, doc.end as usize);
    let whole = base.is_line_start(start) && (base.is_line_start(end) || end == base.text.len());
    if !whole || !base.text[start..].starts_with("---") || !base.text[..end].ends_with('\n') {
        return None;
    }
    let mut e = edit(Kind::RemoveDocument, start..end, String::new(), &[d]);
    e.removes = true;
    e.effect = Effect::RemoveDocument { at: d };
    Some(e)
}
