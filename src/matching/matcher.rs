//! The matcher: for one collection (or a stream) in base and one or two
//! sides, how its children correspond, computed once and read by the merge
//! and by `yamerge diff` alike.
//!
//! - Mappings match entries by key; a key that a version holds more than
//!   once matches by occurrence (see `occurrences`).
//! - Sequences whose items are mappings sharing an identifying field match
//!   items by its value; other sequences by an LCS alignment of item data.
//! - Streams of Kubernetes documents match documents by
//!   `apiVersion/kind/namespace/name`; other streams by an LCS alignment of
//!   document data.
//! - Where items or documents match by name, one that a side renamed is
//!   paired with its base version when its text is mostly the same, so that
//!   the rename and the other side's edits of it both apply.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::Side;
use super::children::Child;
use super::identity::{identity_field, item_identity, key_text, kubernetes_identity};
use super::lcs::{self, Chunk};
use super::occurrences::{self, Ambiguity, Entries};
use super::path::{Segment, key_segment};
use crate::syntax::{NO_NODE, NodeId, NodeKind, Tree};

/// What is being matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The entries of a mapping.
    Mapping,
    /// The items of a sequence.
    Sequence,
    /// The documents of a stream.
    Stream,
}

/// How children correspond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum By {
    /// Mapping keys.
    Key,
    /// The value of an identifying field of list items.
    Field(&'static str),
    /// The Kubernetes identity of documents.
    Kubernetes,
    /// An LCS alignment of the children's data.
    Position,
}

/// One version's children of the collection (or stream) being matched.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Version<'a, 't> {
    pub tree: &'t Tree,
    pub children: &'a [Child],
}

/// The children of up to three versions, matched. Indexed by [`Side`].
#[derive(Debug)]
pub(crate) struct Matched<'t> {
    pub by: By,
    /// Each version's names of its children (by key, field or identity):
    /// equal names are the same child. Empty when matched by position.
    names: [Vec<Cow<'t, str>>; 3],
    /// By position: for each base child, the child of each side it matches.
    from_base: [Vec<Option<usize>>; 3],
    /// By key, where a version holds a key more than once: the names are
    /// occurrences (`occurrences::name`).
    occurrences: bool,
    /// A side's occurrences of a repeated key paired with a guess that the
    /// other side's changes would rest on (`occurrences::ambiguity`).
    ambiguous: Option<Ambiguity>,
}

/// Matches the children of `versions` (base first; an absent version is
/// `None`).
pub(crate) fn match_children<'t>(
    kind: Kind,
    versions: [Option<Version<'_, 't>>; 3],
) -> Matched<'t> {
    let by = match kind {
        Kind::Mapping => By::Key,
        Kind::Sequence => sequence_field(&versions).map_or(By::Position, By::Field),
        Kind::Stream if kubernetes_streams(&versions) => By::Kubernetes,
        Kind::Stream => By::Position,
    };
    let mut m = Matched {
        by,
        names: Default::default(),
        from_base: Default::default(),
        occurrences: false,
        ambiguous: None,
    };
    if by == By::Position {
        let data = |v: &Version| -> Vec<u64> {
            v.children
                .iter()
                .map(|c| v.tree.node(c.value).data)
                .collect()
        };
        let base = versions[0].as_ref().map(data).unwrap_or_default();
        for side in [Side::Current, Side::Incoming] {
            if let Some(v) = &versions[side.index()] {
                m.from_base[side.index()] = lcs::matches(&base, &data(v));
            }
        }
        return m;
    }
    if by == By::Key && repeats_a_key(&versions) {
        name_occurrences(&mut m, &versions);
        return m;
    }
    for (k, v) in versions.iter().enumerate() {
        if let Some(v) = v {
            m.names[k] = names(by, v);
        }
    }
    if matches!(by, By::Field(_) | By::Kubernetes)
        && let Some(base) = &versions[0]
    {
        let field = match by {
            By::Field(f) => Some(f),
            _ => None,
        };
        pair_renames_of_both(&mut m.names, base, [&versions[1], &versions[2]], field);
        if versions[1].is_some() && versions[2].is_some() {
            super::replaced::pair_replacements_of_both(&mut m.names);
        }
    }
    m
}

impl<'t> Matched<'t> {
    /// The names of one version's children (empty when matched by position).
    pub(crate) fn names(&self, side: Side) -> &[Cow<'t, str>] {
        &self.names[side.index()]
    }

    /// The names of one version's children, each with its child.
    pub(crate) fn named<T: Copy>(&self, side: Side, children: &[T]) -> Vec<(Cow<'t, str>, T)> {
        self.names(side)
            .iter()
            .cloned()
            .zip(children.iter().copied())
            .collect()
    }

    /// Whether a version holds a key more than once: children are named by
    /// occurrence.
    pub(crate) fn occurrences(&self) -> bool {
        self.occurrences
    }

    /// Where a side added or removed occurrences of a repeated key next to
    /// ones it changed (so which of base's it kept is a guess) while the
    /// other side changed that key's occurrences too: nothing should be
    /// decided on such a pairing.
    pub(crate) fn ambiguous(&self) -> Option<&Ambiguity> {
        self.ambiguous.as_ref()
    }

    /// The path segment of a child named `name` (or at `index`, by position).
    pub(crate) fn segment(&self, name: &str, index: usize) -> Segment {
        match self.by {
            By::Key if self.occurrences => {
                let (key, n) = occurrences::split(name);
                key_segment(key.to_string(), n)
            }
            By::Key => Segment::Key(name.to_string()),
            By::Field(field) => Segment::Item {
                field,
                value: name.to_string(),
            },
            By::Kubernetes => Segment::Document(name.to_string()),
            By::Position => Segment::Index(index),
        }
    }

    /// By position: the three-way chunks of the children of base and two
    /// sides of lengths `lens`, in the order `a`, `b`.
    pub(crate) fn chunks(&self, [a, b]: [Side; 2], lens: [usize; 3]) -> Vec<Chunk> {
        lcs::walk(&self.from_base[a.index()], &self.from_base[b.index()], lens)
    }

    /// Base against one side: each step a child both have, one only base
    /// has, or one only the side has; in the side's order, a child only base
    /// has right after the child it followed in base.
    /// `side_len` is the number of the side's children.
    pub(crate) fn steps(&self, side: Side, side_len: usize) -> Vec<Step> {
        match self.by {
            By::Position => positional_steps(&self.from_base[side.index()], side_len),
            _ => keyed_steps(&self.names[Side::Base.index()], &self.names[side.index()]),
        }
    }
}

/// One step of a walk over base and one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Base index and side index of one matched child.
    Both(usize, usize),
    /// Only in base.
    Removed(usize),
    /// Only in the side.
    Added(usize),
}

/// The identifying field of a sequence's items: present and unique in
/// every item of every version, which must each have items.
fn sequence_field(versions: &[Option<Version>; 3]) -> Option<&'static str> {
    let present: Vec<&Version> = versions.iter().flatten().collect();
    if present.iter().any(|v| v.children.is_empty()) {
        return None;
    }
    let items: Vec<Vec<NodeId>> = present
        .iter()
        .map(|v| v.children.iter().map(|c| c.value).collect())
        .collect();
    let with_items: Vec<(&Tree, &[NodeId])> = present
        .iter()
        .zip(&items)
        .map(|(v, i)| (v.tree, i.as_slice()))
        .collect();
    identity_field(&with_items)
}

/// Whether documents match by Kubernetes identity: every document of every
/// version has one, unique in its version, both sides have documents, and
/// some version has more than one.
fn kubernetes_streams(versions: &[Option<Version>; 3]) -> bool {
    let all_named = versions.iter().flatten().all(|v| {
        let mut seen = HashSet::new();
        v.children
            .iter()
            .all(|c| kubernetes_identity(v.tree, c.value).is_some_and(|id| seen.insert(id)))
    });
    let sides_have_documents = versions[1..]
        .iter()
        .flatten()
        .all(|v| !v.children.is_empty());
    let many = versions.iter().flatten().any(|v| v.children.len() > 1);
    all_named && sides_have_documents && many
}

/// Whether some version of a mapping holds a key more than once.
fn repeats_a_key(versions: &[Option<Version>; 3]) -> bool {
    versions.iter().flatten().any(|v| {
        occurrences::has_repeat(Entries {
            tree: v.tree,
            children: v.children,
        })
    })
}

/// Names the entries of every version by occurrence: base's by their order,
/// each side's after base's (by their own order when base is absent).
fn name_occurrences(m: &mut Matched, versions: &[Option<Version>; 3]) {
    fn entries<'a, 't>(v: &Version<'a, 't>) -> Entries<'a, 't> {
        Entries {
            tree: v.tree,
            children: v.children,
        }
    }
    m.occurrences = true;
    if let Some(base) = &versions[0] {
        m.names[0] = owned(occurrences::name_after(None, entries(base)).names);
    }
    let mut guessed: [Vec<(String, usize)>; 3] = Default::default();
    for k in 1..3 {
        let Some(v) = &versions[k] else { continue };
        let reference = versions[0].as_ref().map(|b| (entries(b), &m.names[0][..]));
        let named = occurrences::name_after(reference, entries(v));
        guessed[k] = named.guessed;
        m.names[k] = owned(named.names);
    }
    let all = [0, 1, 2].map(|k| versions[k].as_ref().map(entries));
    m.ambiguous = occurrences::ambiguity(all, &guessed);
}

fn owned<'t>(names: Vec<String>) -> Vec<Cow<'t, str>> {
    names.into_iter().map(Cow::Owned).collect()
}

/// The names of one version's children.
fn names<'t>(by: By, v: &Version<'_, 't>) -> Vec<Cow<'t, str>> {
    let t: &'t Tree = v.tree;
    match by {
        By::Key => v.children.iter().map(|c| key_text(t, c.key)).collect(),
        By::Field(field) => v
            .children
            .iter()
            .map(|c| Cow::Borrowed(item_identity(t, c.value, field).unwrap_or_default()))
            .collect(),
        By::Kubernetes => v
            .children
            .iter()
            .map(|c| Cow::Owned(kubernetes_identity(t, c.value).unwrap_or_default()))
            .collect(),
        By::Position => Vec::new(),
    }
}

/// Renames on both sides. A child one side added under a name the other
/// side also added, and did not rename to, is no rename: both sides added
/// it. Such names are left out and the renames paired again.
fn pair_renames_of_both<'t>(
    names: &mut [Vec<Cow<'t, str>>; 3],
    base: &Version<'_, 't>,
    sides: [&Option<Version<'_, 't>>; 2],
    field: Option<&str>,
) {
    let raw = names.clone();
    let mut added_by_both: HashSet<String> = HashSet::new();
    loop {
        let [names_b, names_c, names_i] = &mut *names;
        *names_c = raw[1].clone();
        *names_i = raw[2].clone();
        for (v, names) in [(sides[0], &mut *names_c), (sides[1], &mut *names_i)] {
            if let Some(v) = v {
                pair_renamed((base, names_b), (v, names), &added_by_both, field);
            }
        }
        let in_base: HashSet<&str> = names_b.iter().map(|n| n.as_ref()).collect();
        // A name one side renamed away while the other kept it as new.
        let kept_c: HashSet<&str> = names_c.iter().map(|n| n.as_ref()).collect();
        let kept_i: HashSet<&str> = names_i.iter().map(|n| n.as_ref()).collect();
        let found: Vec<String> = [(1, &*names_c, &kept_i), (2, &*names_i, &kept_c)]
            .into_iter()
            .flat_map(|(k, assigned, other_kept)| {
                raw[k]
                    .iter()
                    .zip(assigned.iter())
                    .filter(move |(r, a)| r != a && other_kept.contains(r.as_ref()))
                    .map(|(r, _)| r.to_string())
            })
            .filter(|r| !in_base.contains(r.as_str()) && !added_by_both.contains(r))
            .collect();
        if found.is_empty() {
            return;
        }
        added_by_both.extend(found);
    }
}

/// Items (or documents) a side renamed: a child only that side has, mostly
/// the same text as a child only base has, takes that base child's name, so
/// that the rename and the other side's edits of it merge instead of
/// becoming a deletion and an addition. Dissimilar children stay apart (a
/// real delete and add). List items are compared without their identity
/// field (`field`), the one line a rename changes.
fn pair_renamed<'t>(
    (base, base_names): (&Version<'_, 't>, &[Cow<'t, str>]),
    (side, names): (&Version<'_, 't>, &mut [Cow<'t, str>]),
    added_by_both: &HashSet<String>,
    field: Option<&str>,
) {
    /// Share of equal lines from which two items count as one renamed.
    const SIMILAR: f32 = 0.6;
    /// Beyond this many unmatched children on either side, no pairing (it
    /// compares every pair).
    const MAX_UNMATCHED: usize = 64;
    let in_side: HashSet<&str> = names.iter().map(|k| k.as_ref()).collect();
    let in_base: HashSet<&str> = base_names.iter().map(|k| k.as_ref()).collect();
    let gone: Vec<usize> = (0..base_names.len())
        .filter(|&i| !in_side.contains(base_names[i].as_ref()))
        .collect();
    let new: Vec<usize> = (0..names.len())
        .filter(|&i| {
            !in_base.contains(names[i].as_ref()) && !added_by_both.contains(names[i].as_ref())
        })
        .collect();
    if gone.is_empty() || new.is_empty() || gone.len().max(new.len()) > MAX_UNMATCHED {
        return;
    }
    let mut used = vec![false; gone.len()];
    let mut new = new;
    if field.is_none() {
        // A Kubernetes object whose apiVersion alone changed (an API
        // migration) is the same object, however short it is.
        new.retain(|&x| {
            let same_object =
                |&g: &usize| !used[g] && object(&base_names[gone[g]]) == object(&names[x]);
            let Some(g) = (0..gone.len()).find(same_object) else {
                return true;
            };
            used[g] = true;
            names[x] = base_names[gone[g]].clone();
            false
        });
    }
    let base_lines: Vec<Vec<&str>> = gone
        .iter()
        .map(|&b| lines_without_field(base.tree, &base.children[b], field))
        .collect();
    // Every pair alike enough, the most alike first: a new child takes the
    // name of the base child most like it that no likelier pair took.
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    for (n, &x) in new.iter().enumerate() {
        let lines = lines_without_field(side.tree, &side.children[x], field);
        for (g, base) in base_lines.iter().enumerate() {
            if lines.is_empty() || base.is_empty() || used[g] {
                continue;
            }
            let ratio = similar::TextDiff::from_slices(base, &lines).ratio();
            if ratio >= SIMILAR {
                pairs.push((ratio, g, n));
            }
        }
    }
    pairs.sort_by(|p, q| q.0.total_cmp(&p.0).then((p.1, p.2).cmp(&(q.1, q.2))));
    let mut taken = vec![false; new.len()];
    for (_, g, n) in pairs {
        if !used[g] && !taken[n] {
            (used[g], taken[n]) = (true, true);
            names[new[n]] = base_names[gone[g]].clone();
        }
    }
}

/// `kind/namespace/name` of a Kubernetes identity: what stays when an object
/// moves to another API version.
fn object(identity: &str) -> &str {
    let mut cut = identity.len();
    for _ in 0..3 {
        cut = identity[..cut].rfind('/').unwrap_or(0);
    }
    identity[cut..].trim_start_matches('/')
}

/// A child's own lines, blanks around them and blank lines left out, without
/// the line of its identity field (the one line a rename changes) and
/// without the `- ` that starts an item.
fn lines_without_field<'t>(tree: &'t Tree, c: &Child, field: Option<&str>) -> Vec<&'t str> {
    let identity = field.and_then(|f| {
        tree.entries(c.value).iter().find(|e| {
            e.key != NO_NODE && tree.node(e.key).kind == NodeKind::Scalar && tree.value(e.key) == f
        })
    });
    let src = tree.source();
    let mut out = Vec::new();
    let mut at = c.body as usize;
    for line in src[c.body as usize..c.end as usize].split_inclusive('\n') {
        let (start, end) = (at, at + line.len());
        at = end;
        let on_identity =
            identity.is_some_and(|e| (e.start as usize) < end && start < e.end as usize);
        let text = line.trim().trim_start_matches("- ").trim();
        if !on_identity && !text.is_empty() {
            out.push(text);
        }
    }
    out
}

/// Walks named children in the side's order; each child only base has comes
/// right after the base child before it (or first).
fn keyed_steps(base: &[Cow<str>], side: &[Cow<str>]) -> Vec<Step> {
    let index = |names: &[Cow<str>]| -> HashMap<String, usize> {
        names
            .iter()
            .enumerate()
            .map(|(i, k)| (k.to_string(), i))
            .collect()
    };
    let (in_base, in_side) = (index(base), index(side));
    let mut out = Vec::with_capacity(base.len().max(side.len()));
    // Removed base children, grouped by the side index they follow.
    let mut after: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
    let mut anchor = None;
    for (b, k) in base.iter().enumerate() {
        match in_side.get(k.as_ref()) {
            Some(&s) => anchor = Some(s),
            None => after.entry(anchor).or_default().push(b),
        }
    }
    out.extend(
        after
            .remove(&None)
            .unwrap_or_default()
            .into_iter()
            .map(Step::Removed),
    );
    for (s, k) in side.iter().enumerate() {
        match in_base.get(k.as_ref()) {
            Some(&b) => out.push(Step::Both(b, s)),
            None => out.push(Step::Added(s)),
        }
        if let Some(removed) = after.remove(&Some(s)) {
            out.extend(removed.into_iter().map(Step::Removed));
        }
    }
    out
}

/// Walks an LCS alignment: between two matched children, the unmatched
/// runs pair up in order (a changed child), and the rest are removed or
/// added.
pub(crate) fn positional_steps(from_base: &[Option<usize>], side_len: usize) -> Vec<Step> {
    steps_between_matches(from_base, side_len, |gap_b, gap_s| {
        let paired = gap_b.len().min(gap_s.len());
        let mut out: Vec<Step> = (0..paired)
            .map(|k| Step::Both(gap_b.start + k, gap_s.start + k))
            .collect();
        out.extend((gap_b.start + paired..gap_b.end).map(Step::Removed));
        out.extend((gap_s.start + paired..gap_s.end).map(Step::Added));
        out
    })
}

/// Like [`positional_steps`], but in each run between two matches the
/// children are paired by how alike they are (`likeness` of a base child and
/// a side child, from 0 to 1), not in order: a side that deleted one item
/// and edited the next pairs its edited item with the right base item. Pairs
/// keep their order; a child alike to none is removed or added.
pub(crate) fn steps_by_likeness(
    from_base: &[Option<usize>],
    side_len: usize,
    likeness: impl Fn(usize, usize) -> f32,
) -> Vec<Step> {
    steps_between_matches(from_base, side_len, |gap_b, gap_s| {
        super::pairing::pair_by_likeness(gap_b, gap_s, &likeness)
    })
}

/// Walks an LCS alignment; `gap` turns each run between two matched
/// children (base range, side range) into steps.
pub(crate) fn steps_between_matches(
    from_base: &[Option<usize>],
    side_len: usize,
    gap: impl Fn(std::ops::Range<usize>, std::ops::Range<usize>) -> Vec<Step>,
) -> Vec<Step> {
    let mut out = Vec::with_capacity(from_base.len().max(side_len));
    let (mut b, mut s) = (0, 0);
    loop {
        let next = (b..from_base.len()).find(|&j| from_base[j].is_some());
        let (bj, sj) = match next {
            Some(j) => (j, from_base[j].unwrap_or(s)),
            None => (from_base.len(), side_len),
        };
        out.extend(gap(b..bj, s..sj));
        let Some(j) = next else { return out };
        out.push(Step::Both(j, sj));
        (b, s) = (j + 1, sj + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::children::{children, documents};
    use crate::matching::path::Path;
    use crate::syntax::parse;

    /// Matches the root collections (or streams) of base and current.
    fn matched(kind: Kind, b: &str, c: &str) -> (By, Vec<Step>, Vec<String>, Vec<String>) {
        let (tb, tc) = (
            parse("b", b.as_bytes()).unwrap(),
            parse("c", c.as_bytes()).unwrap(),
        );
        let kids = |t: &Tree| match kind {
            Kind::Stream => documents(t),
            _ => children(t, t.documents()[0].root),
        };
        let (kb, kc) = (kids(&tb), kids(&tc));
        let version = |tree, children| Some(Version { tree, children });
        let m = match_children(kind, [version(&tb, &kb), version(&tc, &kc), None]);
        let names = |s: Side| m.names(s).iter().map(|n| n.to_string()).collect();
        (
            m.by,
            m.steps(Side::Current, kc.len()),
            names(Side::Base),
            names(Side::Current),
        )
    }

    #[test]
    fn mappings_match_by_parsed_key_in_the_sides_order() {
        let (by, steps, _, names) = matched(
            Kind::Mapping,
            "a: 1\nb: 1\nc: 1\n",
            "\"c\": 1\nd: 1\na: 1\n",
        );
        assert_eq!(by, By::Key);
        assert_eq!(names, ["c", "d", "a"]);
        use Step::*;
        assert_eq!(steps, [Both(2, 0), Added(1), Both(0, 2), Removed(1)]);
    }

    #[test]
    fn a_repeated_key_matches_by_occurrence() {
        let (by, steps, names_b, names_c) =
            matched(Kind::Mapping, "a: 1\nb: 1\na: 2\n", "b: 1\na: 3\na: 4\n");
        assert_eq!(by, By::Key);
        assert_eq!(names_b, ["a\u{0}1", "b\u{0}1", "a\u{0}2"]);
        assert_eq!(names_c, ["b\u{0}1", "a\u{0}1", "a\u{0}2"]);
        use Step::*;
        assert_eq!(steps, [Both(1, 0), Both(0, 1), Both(2, 2)]);
    }

    #[test]
    fn occurrences_are_named_as_paths() {
        let t = parse("t", b"a: 1\na: 2\n").unwrap();
        let kids = children(&t, t.documents()[0].root);
        let v = Version {
            tree: &t,
            children: &kids,
        };
        let m = match_children(Kind::Mapping, [Some(v), Some(v), None]);
        assert!(m.occurrences() && m.ambiguous().is_none());
        let names = m.names(Side::Base);
        let shown = |k: usize| Path::default().child(m.segment(&names[k], k)).to_string();
        assert_eq!(shown(0), "a");
        assert_eq!(shown(1), "a#2");
    }

    #[test]
    fn items_match_by_an_identifying_field_and_renames_pair() {
        let b = "- name: x\n  image: app:1\n  port: 80\n  cpu: 1\n- name: y\n  v: 1\n";
        let c = "- name: x2\n  image: app:1\n  port: 80\n  cpu: 1\n- name: y\n  v: 1\n";
        let (by, steps, _, names) = matched(Kind::Sequence, b, c);
        assert_eq!(by, By::Field("name"));
        // x2 is x renamed: it takes x's name.
        assert_eq!(names, ["x", "y"]);
        assert_eq!(steps, [Step::Both(0, 0), Step::Both(1, 1)]);
    }

    #[test]
    fn other_items_align_by_data_and_pair_replacements() {
        let (by, steps, names, _) =
            matched(Kind::Sequence, "- a\n- b\n- c\n", "- a\n- x\n- y\n- c\n");
        assert_eq!(by, By::Position);
        assert!(names.is_empty());
        use Step::*;
        assert_eq!(steps, [Both(0, 0), Both(1, 1), Added(2), Both(2, 3)]);
    }

    #[test]
    fn streams_match_kubernetes_documents_by_identity() {
        let doc = |k: &str| format!("apiVersion: v1\nkind: {k}\nmetadata:\n  name: n\n");
        let b = format!("{}---\n{}", doc("A"), doc("B"));
        let c = format!("{}---\n{}", doc("B"), doc("A"));
        let (by, steps, _, _) = matched(Kind::Stream, &b, &c);
        assert_eq!(by, By::Kubernetes);
        assert_eq!(steps, [Step::Both(1, 0), Step::Both(0, 1)]);
        let (by, ..) = matched(Kind::Stream, "a: 1\n---\nb: 1\n", "a: 1\n");
        assert_eq!(by, By::Position);
    }
}
