//! The structural comparison of two versions of one file (`yamerge diff`):
//! what changed from base to current, as a list of changes by YAML path.
//!
//! Matching follows the merge: mappings by key (the parsed key, so `"a"` and
//! `a` are one key), lists of mappings by their identifying field when they
//! have one (`[name=x]`), other lists by an LCS alignment of item data
//! (`[3]`), Kubernetes documents by `apiVersion/kind/namespace/name`, other
//! documents in order. Values are compared as *data*: a change of quoting
//! only (`"1.0"` vs `'1.0'`) is no change. A new order of the keys (keyed
//! items, Kubernetes documents) both versions have is a change of their
//! collection, as the merge counts it. Comments are compared only when
//! asked, except Palette's `# spectrocloud.com/enabled-presets:` line, which
//! records the presets chosen in the console and so is a setting.
//!
//! Values are reported as they are written in the file (the node's source
//! text, with the indentation of its first line removed from the others).

use std::borrow::Cow;
use std::collections::HashSet;

use crate::error::Result;
use crate::matching::{
    Kind, Matched, Path, Side, Step, Version, children, documents, match_children,
};
use crate::syntax::{Document, Entry, NO_NODE, NodeId, Tree};

/// The comment line Palette writes for the presets chosen in its console.
pub(crate) const PRESETS_PREFIX: &str = "# spectrocloud.com/enabled-presets:";

/// The path of the presets line in reports.
pub(crate) const PRESETS_PATH: &str = "#spectrocloud.com/enabled-presets";

/// What happened at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DiffKind {
    /// Only current has it.
    Added,
    /// Only base has it.
    Removed,
    /// Both have it with different data.
    Changed,
    /// Same data, different comments (only with `comments`).
    Comment,
    /// The keys (keyed items, Kubernetes documents) both have are in
    /// another order; old and new list them.
    Reordered,
}

impl DiffKind {
    /// The lowercase name used in reports.
    pub(crate) fn name(self) -> &'static str {
        match self {
            DiffKind::Added => "added",
            DiffKind::Removed => "removed",
            DiffKind::Changed => "changed",
            DiffKind::Comment => "comment",
            DiffKind::Reordered => "reordered",
        }
    }

    /// The one-character sign of the readable report.
    pub(crate) fn sign(self) -> char {
        match self {
            DiffKind::Added => '+',
            DiffKind::Removed => '-',
            DiffKind::Changed => '~',
            DiffKind::Comment => '#',
            DiffKind::Reordered => '↕',
        }
    }
}

/// One version's side of a change: the text as written and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shown {
    /// The source text (a node's, or the comment lines for `Comment`).
    pub text: String,
    /// 1-based line where it starts.
    pub line: usize,
}

/// One change from base to current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Difference {
    /// YAML path (`a.b[name=x][2]`); empty for a whole document.
    pub path: String,
    /// What happened.
    pub kind: DiffKind,
    /// Base's version (absent for `Added`).
    pub old: Option<Shown>,
    /// Current's version (absent for `Removed`).
    pub new: Option<Shown>,
}

/// What to compare besides data.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CompareOptions {
    /// Also report changed comments.
    pub comments: bool,
}

/// The changes from `base` to `current`, in the order of current's text
/// (removals where they were).
pub(crate) fn compare(
    base: &Tree,
    current: &Tree,
    opts: CompareOptions,
) -> Result<Vec<Difference>> {
    let mut c = Comparer {
        trees: [base, current],
        lines: Some([line_starts(base.source()), line_starts(current.source())]),
        opts,
        out: Vec::new(),
    };
    c.presets();
    c.stream()?;
    Ok(c.out)
}

/// The changes from value node `b` of `base` to value node `c` of
/// `current`, the node at `path`: what a side changed in one entry.
pub(crate) fn compare_values(
    base: &Tree,
    b: NodeId,
    current: &Tree,
    c: NodeId,
    path: &Path,
    opts: CompareOptions,
) -> Result<Vec<Difference>> {
    // Line numbers are left out (0): this serves the merge report, which
    // names changes by path, and counting lines would cost a pass over the
    // whole file per entry.
    let mut comparer = Comparer {
        trees: [base, current],
        lines: None,
        opts,
        out: Vec::new(),
    };
    let (at_b, at_c) = (base.node(b).start, current.node(c).start);
    comparer.value(path, b, c, at_b, at_c)?;
    Ok(comparer.out)
}

/// Byte offsets where lines start, to turn offsets into line numbers.
fn line_starts(src: &str) -> Vec<u32> {
    std::iter::once(0)
        .chain(
            src.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i as u32 + 1),
        )
        .collect()
}

/// Removes the indentation of a node's column (`col`, where its first line
/// starts) from its other lines, so a nested value reads as if it stood at
/// the left margin; never more than the other lines share (block scalar
/// content sits left of its `|`). Trailing blanks of the whole text are
/// dropped.
fn dedent(text: &str, col: usize) -> String {
    let mut lines = text.split('\n').map(|l| l.trim_end_matches('\r'));
    let mut out = String::with_capacity(text.len());
    out.push_str(lines.next().unwrap_or_default());
    let rest: Vec<&str> = lines.collect();
    let indent = |l: &&str| l.bytes().take_while(|&b| b == b' ').count();
    let min = rest
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(indent)
        .min()
        .unwrap_or(0)
        .min(col);
    for l in rest {
        out.push('\n');
        out.push_str(l.get(min..).unwrap_or_else(|| l.trim_start_matches(' ')));
    }
    out.trim_end().to_string()
}

/// The comments (from `#` to the end of their line, trailing blanks removed)
/// in a stretch of trivia, one per line, presets lines left out.
fn comments_in(src: &str, start: u32, end: u32, out: &mut Vec<String>) {
    let (start, end) = (start as usize, end.min(src.len() as u32) as usize);
    if start >= end {
        return;
    }
    let region = &src[start..end];
    for line in region.split('\n') {
        let bytes = line.as_bytes();
        let hash = (0..bytes.len())
            .find(|&i| bytes[i] == b'#' && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t')));
        if let Some(i) = hash {
            let comment = line[i..].trim_end();
            if !comment.starts_with(PRESETS_PREFIX) {
                out.push(comment.to_string());
            }
        }
    }
}

struct Comparer<'t> {
    trees: [&'t Tree; 2],
    /// Where each version's lines start (`None`: line numbers not wanted).
    lines: Option<[Vec<u32>; 2]>,
    opts: CompareOptions,
    out: Vec<Difference>,
}

/// Which version: 0 for base, 1 for current.
type Ver = usize;
const BASE: Ver = 0;
const CURRENT: Ver = 1;

impl<'t> Comparer<'t> {
    fn line(&self, v: Ver, offset: u32) -> usize {
        self.lines
            .as_ref()
            .map_or(0, |lines| lines[v].partition_point(|&s| s <= offset))
    }

    /// A node as written, located at `at` (the start of its entry, since an
    /// empty value borrows the position of the next token).
    fn shown(&self, v: Ver, node: NodeId, at: u32) -> Shown {
        let t = self.trees[v];
        let n = t.node(node);
        let col = crate::syntax::text::column(t.source().as_bytes(), n.start as usize);
        Shown {
            text: dedent(t.slice(n.start, n.end.max(n.start)), col),
            line: self.line(v, at.min(n.start)),
        }
    }

    fn push(&mut self, path: &Path, kind: DiffKind, old: Option<Shown>, new: Option<Shown>) {
        self.out.push(Difference {
            path: path.to_string(),
            kind,
            old,
            new,
        });
    }

    /// The presets line of each version (it is Palette data, not a comment).
    fn presets(&mut self) {
        let find = |v: Ver| -> Option<Shown> {
            let src = self.trees[v].source();
            let mut offset = 0;
            for line in src.split_inclusive('\n') {
                let trimmed = line.trim();
                if let Some(rest) = trimmed.strip_prefix(PRESETS_PREFIX) {
                    return Some(Shown {
                        text: rest.trim().to_string(),
                        line: self.line(v, offset),
                    });
                }
                if !(trimmed.is_empty() || trimmed.starts_with('#')) {
                    return None;
                }
                offset += line.len() as u32;
            }
            None
        };
        let (b, c) = (find(BASE), find(CURRENT));
        let kind = match (&b, &c) {
            (Some(x), Some(y)) if x.text == y.text => return,
            (None, None) => return,
            (Some(_), Some(_)) => DiffKind::Changed,
            (None, Some(_)) => DiffKind::Added,
            (Some(_), None) => DiffKind::Removed,
        };
        self.out.push(Difference {
            path: PRESETS_PATH.to_string(),
            kind,
            old: b,
            new: c,
        });
    }

    fn stream(&mut self) -> Result<()> {
        let (b, c) = (self.trees[BASE], self.trees[CURRENT]);
        let (db, dc) = (b.documents(), c.documents());
        if db.len() <= 1 && dc.len() <= 1 {
            // One document (or none) on each side: no index in the paths.
            match (db.first(), dc.first()) {
                (Some(x), Some(y)) => self.document(&Path::default(), x, y)?,
                (Some(x), None) => {
                    let old = self.shown(BASE, x.root, x.root_start);
                    self.push(&Path::default(), DiffKind::Removed, Some(old), None);
                }
                (None, Some(y)) => {
                    let new = self.shown(CURRENT, y.root, y.root_start);
                    self.push(&Path::default(), DiffKind::Added, None, Some(new));
                }
                (None, None) => {}
            }
        } else {
            let (cb, cc) = (documents(b), documents(c));
            let version = |tree, children| Some(Version { tree, children });
            let m = match_children(Kind::Stream, [version(b, &cb), version(c, &cc), None]);
            let at = |d: &[Document]| d.first().map_or(0, |d| d.start);
            self.order_change(&Path::default(), &m, at(db), at(dc));
            for step in m.steps(Side::Current, dc.len()) {
                match step {
                    Step::Both(bi, ci) => {
                        let p = self.child(&Path::default(), &m, CURRENT, ci);
                        self.document(&p, &db[bi], &dc[ci])?
                    }
                    Step::Removed(bi) => {
                        let d = &db[bi];
                        let old = self.shown(BASE, d.root, d.root_start);
                        let p = self.child(&Path::default(), &m, BASE, bi);
                        self.push(&p, DiffKind::Removed, Some(old), None);
                    }
                    Step::Added(ci) => {
                        let d = &dc[ci];
                        let new = self.shown(CURRENT, d.root, d.root_start);
                        let p = self.child(&Path::default(), &m, CURRENT, ci);
                        self.push(&p, DiffKind::Added, None, Some(new));
                    }
                }
            }
        }
        if self.opts.comments {
            let tail = |v: Ver| {
                let t = self.trees[v];
                let mut out = Vec::new();
                comments_in(
                    t.source(),
                    t.stream_tail_start(),
                    t.source().len() as u32,
                    &mut out,
                );
                let at = self.line(v, t.stream_tail_start());
                (out, at)
            };
            let ((cb, lb), (cc, lc)) = (tail(BASE), tail(CURRENT));
            self.comment_change(&Path::default(), cb, lb, cc, lc);
        }
        Ok(())
    }

    fn document(&mut self, path: &Path, b: &Document, c: &Document) -> Result<()> {
        self.value(path, b.root, c.root, b.root_start, c.root_start)?;
        if self.opts.comments {
            let own = |v: Ver, d: &Document| -> (Vec<String>, usize) {
                let t = self.trees[v];
                let mut out = Vec::new();
                comments_in(t.source(), d.start, d.root_start, &mut out);
                let n = t.node(d.root);
                let tail_from = if n.kind.is_block() {
                    t.entries(d.root).last().map_or(n.end, |e| e.end)
                } else {
                    n.end
                };
                comments_in(t.source(), tail_from, d.root_end, &mut out);
                comments_in(t.source(), d.root_end, d.end, &mut out);
                (out, self.line(v, d.start))
            };
            let ((cb, lb), (cc, lc)) = (own(BASE, b), own(CURRENT, c));
            self.comment_change(path, cb, lb, cc, lc);
        }
        Ok(())
    }

    fn comment_change(
        &mut self,
        path: &Path,
        old: Vec<String>,
        old_line: usize,
        new: Vec<String>,
        new_line: usize,
    ) {
        if old == new {
            return;
        }
        // Show only the lines that differ.
        let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
        let (old, new) = (&old[prefix..], &new[prefix..]);
        let suffix = old
            .iter()
            .rev()
            .zip(new.iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let (old, new) = (&old[..old.len() - suffix], &new[..new.len() - suffix]);
        self.push(
            path,
            DiffKind::Comment,
            Some(Shown {
                text: old.join("\n"),
                line: old_line,
            }),
            Some(Shown {
                text: new.join("\n"),
                line: new_line,
            }),
        );
    }

    /// Compares two values at `path`; `at_b`/`at_c` locate them for reports.
    fn value(&mut self, path: &Path, b: NodeId, c: NodeId, at_b: u32, at_c: u32) -> Result<()> {
        let (tb, tc) = (self.trees[BASE], self.trees[CURRENT]);
        let (nb, nc) = (tb.node(b), tc.node(c));
        let same_data = crate::syntax::same_data(tb, b, tc, c);
        let collections = nb.kind.is_collection()
            && nc.kind.is_collection()
            && nb.kind.is_map() == nc.kind.is_map();
        // Mappings are the same data in any order: one whose text changed
        // may hold a new order of keys, somewhere below.
        let may_be_reordered =
            collections && tb.slice(nb.start, nb.end) != tc.slice(nc.start, nc.end);
        if same_data && !self.opts.comments && !may_be_reordered {
            return Ok(());
        }
        if collections {
            let kind = if nb.kind.is_map() {
                Kind::Mapping
            } else {
                Kind::Sequence
            };
            return self.collection(path, kind, [b, c], [at_b, at_c]);
        }
        if !same_data {
            let (old, new) = (self.shown(BASE, b, at_b), self.shown(CURRENT, c, at_c));
            self.push(path, DiffKind::Changed, Some(old), Some(new));
        }
        Ok(())
    }

    /// The comments an entry owns: above it, after its key, after a scalar
    /// value, and trailing a collection value (block entries only).
    fn entry_comments(&self, v: Ver, e: &Entry, block: bool) -> Vec<String> {
        let mut out = Vec::new();
        if !block {
            return out;
        }
        let t = self.trees[v];
        let src = t.source();
        comments_in(src, e.lead, e.start, &mut out);
        let value = t.node(e.value);
        let after_key = if e.key == NO_NODE {
            e.start
        } else {
            t.node(e.key).end
        };
        if value.kind.is_block() {
            let entries = t.entries(e.value);
            if let (Some(first), Some(last)) = (entries.first(), entries.last()) {
                comments_in(src, after_key, first.lead.max(after_key), &mut out);
                comments_in(src, last.end, e.end.max(last.end), &mut out);
            }
        } else {
            // An empty value borrows the next token's position: clamp to the entry.
            let vstart = value.start.clamp(after_key, e.end);
            let vend = value.end.clamp(vstart, e.end);
            comments_in(src, after_key, vstart, &mut out);
            comments_in(src, vend, e.end, &mut out);
        }
        out
    }

    fn entry(&mut self, path: &Path, eb: &Entry, ec: &Entry, block: [bool; 2]) -> Result<()> {
        self.value(path, eb.value, ec.value, eb.start, ec.start)?;
        if self.opts.comments {
            let (cb, cc) = (
                self.entry_comments(BASE, eb, block[BASE]),
                self.entry_comments(CURRENT, ec, block[CURRENT]),
            );
            let (lb, lc) = (self.line(BASE, eb.start), self.line(CURRENT, ec.start));
            self.comment_change(path, cb, lb, cc, lc);
        }
        Ok(())
    }

    /// The path of child `i` of version `v` in a matched collection.
    fn child(&self, path: &Path, m: &Matched, v: Ver, i: usize) -> Path {
        let side = if v == BASE { Side::Base } else { Side::Current };
        let name = m.names(side).get(i).map_or("", |n| n.as_ref());
        path.child(m.segment(name, i))
    }

    /// Reports a new order of the children matched by name that both
    /// versions have (the collection at `path`, located at `at_b`/`at_c`),
    /// each version's order of them as a list of path segments.
    fn order_change(&mut self, path: &Path, m: &Matched, at_b: u32, at_c: u32) {
        let (nb, nc) = (m.names(Side::Base), m.names(Side::Current));
        let (in_b, in_c): (HashSet<&str>, HashSet<&str>) = (
            nb.iter().map(|n| n.as_ref()).collect(),
            nc.iter().map(|n| n.as_ref()).collect(),
        );
        let shared = |names: &[Cow<str>], other: &HashSet<&str>| -> Vec<String> {
            names
                .iter()
                .filter(|n| other.contains(n.as_ref()))
                .map(|n| n.to_string())
                .collect()
        };
        let (ob, oc) = (shared(nb, &in_c), shared(nc, &in_b));
        // Names a version holds twice have no order to compare.
        if ob == oc || in_b.len() != nb.len() || in_c.len() != nc.len() {
            return;
        }
        let listed = |names: &[String], v: Ver, at: u32| Shown {
            text: names
                .iter()
                .map(|n| Path::default().child(m.segment(n, 0)).to_string())
                .collect::<Vec<_>>()
                .join(", "),
            line: self.line(v, at),
        };
        let (old, new) = (listed(&ob, BASE, at_b), listed(&oc, CURRENT, at_c));
        self.push(path, DiffKind::Reordered, Some(old), Some(new));
    }

    /// Compares the entries (or items) of two collections of one kind
    /// (their entries located at `at`).
    fn collection(
        &mut self,
        path: &Path,
        kind: Kind,
        [b, c]: [NodeId; 2],
        [at_b, at_c]: [u32; 2],
    ) -> Result<()> {
        let (tb, tc) = (self.trees[BASE], self.trees[CURRENT]);
        let block = [tb.node(b).kind.is_block(), tc.node(c).kind.is_block()];
        let (eb, ec) = (tb.entries(b), tc.entries(c));
        let (cb, cc) = (children(tb, b), children(tc, c));
        let version = |tree, children| Some(Version { tree, children });
        let m = match_children(kind, [version(tb, &cb), version(tc, &cc), None]);
        self.order_change(path, &m, at_b, at_c);
        for step in m.steps(Side::Current, ec.len()) {
            match step {
                Step::Both(bi, ci) => {
                    let p = self.child(path, &m, CURRENT, ci);
                    self.entry(&p, &eb[bi], &ec[ci], block)?
                }
                Step::Removed(bi) => {
                    let old = self.shown(BASE, eb[bi].value, eb[bi].start);
                    let p = self.child(path, &m, BASE, bi);
                    self.push(&p, DiffKind::Removed, Some(old), None);
                }
                Step::Added(ci) => {
                    let new = self.shown(CURRENT, ec[ci].value, ec[ci].start);
                    let p = self.child(path, &m, CURRENT, ci);
                    self.push(&p, DiffKind::Added, None, Some(new));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn diff(b: &str, c: &str, comments: bool) -> Vec<String> {
        let (tb, tc) = (
            parse("b", b.as_bytes()).unwrap(),
            parse("c", c.as_bytes()).unwrap(),
        );
        compare(&tb, &tc, CompareOptions { comments })
            .unwrap()
            .into_iter()
            .map(|d| {
                format!(
                    "{} {} {} {}",
                    d.kind.sign(),
                    d.path,
                    d.old
                        .map_or("-".into(), |s| format!("{}@{}", s.text, s.line)),
                    d.new
                        .map_or("-".into(), |s| format!("{}@{}", s.text, s.line)),
                )
            })
            .collect()
    }

    #[test]
    fn scalars_by_key() {
        assert_eq!(
            diff("a: 1\nb: \"x\"\nc: 3\n", "b: 'x'\na: 2\nd: 4\n", false),
            ["↕  a, b@1 b, a@1", "- c 3@3 -", "~ a 1@1 2@2", "+ d - 4@3"]
        );
    }

    #[test]
    fn keys_with_dots_are_quoted() {
        assert_eq!(
            diff("x:\n  a.b: 1\n", "x:\n  a.b: 2\n", false),
            ["~ x.\"a.b\" 1@2 2@2"]
        );
    }

    #[test]
    fn keyed_list_items() {
        let b = "l:\n  - name: a\n    v: 1\n  - name: b\n    v: 2\n";
        let c = "l:\n  - name: b\n    v: 3\n  - name: a\n    v: 1\n  - name: c\n";
        assert_eq!(
            diff(b, c, false),
            [
                "↕ l [name=a], [name=b]@1 [name=b], [name=a]@1",
                "~ l[name=b].v 2@5 3@3",
                "+ l[name=c] - name: c@6"
            ]
        );
    }

    #[test]
    fn unkeyed_list_aligned() {
        assert_eq!(
            diff("l: [a, b, c]\n", "l: [a, x, c, d]\n", false),
            ["~ l[1] b@1 x@1", "+ l[3] - d@1"]
        );
        assert_eq!(
            diff("l:\n  - a\n  - b\n", "l:\n  - b\n", false),
            ["- l[0] a@2 -"]
        );
    }

    #[test]
    fn collections_shown_dedented() {
        assert_eq!(
            diff("a: 1\n", "a: 1\nb:\n  c: 1\n  d:\n    - x\n", false),
            ["+ b - c: 1\nd:\n  - x@2"]
        );
    }

    #[test]
    fn comments_only_when_asked() {
        let (b, c) = ("# top\na: 1 # one\n", "# top\na: 1 # uno\n");
        assert!(diff(b, c, false).is_empty());
        assert_eq!(diff(b, c, true), ["# a # one@2 # uno@2"]);
    }

    #[test]
    fn presets_line_is_a_setting() {
        let b = "# spectrocloud.com/enabled-presets: A:x\na: 1\n";
        let c = "# spectrocloud.com/enabled-presets: A:y\na: 1\n";
        assert_eq!(
            diff(b, c, false),
            ["~ #spectrocloud.com/enabled-presets A:x@1 A:y@1"]
        );
        assert_eq!(diff(b, c, true).len(), 1);
    }

    #[test]
    fn style_only_is_no_change() {
        assert!(diff("a: \"1.0\"\nb: True\n", "a: '1.0'\nb: true\n", false).is_empty());
        assert_eq!(diff("a: 1\n", "a: \"1\"\n", false), ["~ a 1@1 \"1\"@1"]);
    }

    #[test]
    fn kubernetes_documents_by_identity() {
        let b = "apiVersion: v1\nkind: A\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: B\nmetadata:\n  name: y\nspec: 1\n";
        let c = "apiVersion: v1\nkind: B\nmetadata:\n  name: y\nspec: 2\n---\napiVersion: v1\nkind: A\nmetadata:\n  name: x\n";
        assert_eq!(
            diff(b, c, false),
            [
                "↕  [v1/A//x], [v1/B//y]@1 [v1/B//y], [v1/A//x]@1",
                "~ [v1/B//y].spec 1@10 2@5"
            ]
        );
    }

    #[test]
    fn empty_stream_against_one_document() {
        assert_eq!(diff("", "a: 1\n", false), ["+  - a: 1@1"]);
        assert_eq!(diff("# c\n", "a: 1\n", false), ["+  - a: 1@1"]);
        assert_eq!(diff("a: 1\n", "", false), ["-  a: 1@1 -"]);
    }

    #[test]
    fn empty_value_located_at_its_entry() {
        assert_eq!(diff("a:\nb: 1\n", "a: 2\nb: 1\n", false), ["~ a @1 2@1"]);
    }
}
