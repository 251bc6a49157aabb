//! The parses of the reduced texts, checked against what the cuts assumed.
//! Every placeholder must be an entry exactly where its run was: in a block
//! mapping at the run's column, below block mappings only (so the merge
//! matches it by name, never by position), or a whole document of a stream.
//! The entry before it must take none of the run's lines, and the run's last
//! entry none of the lines after the placeholder. And the names the merge
//! matches by must stay unique where a run's names join their neighbours'.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::reach::reach_of;
use super::runs::Run;
use super::untouched::Untouched;
use super::{PLACEHOLDER, ReducedText, placeholder};
use crate::matching::{key_text, kubernetes_identity};
use crate::syntax::{NodeId, NodeKind, Tree};

/// The runs as the checks of the reduced versions (and of a reduced merge
/// of the whole texts) need them.
pub(super) struct Runs<'a> {
    pub runs: Vec<Run>,
    /// Their texts.
    pub texts: Vec<&'a str>,
    /// The keys above each, from the top level down.
    pub paths: Vec<Vec<&'a str>>,
    pub untouched: Vec<Untouched<'a>>,
    /// The names of their entries, by segment ([`segment_names`]).
    pub names: HashMap<u32, HashSet<Cow<'a, str>>>,
}

/// Checks one reduced version of a mapping.
pub(super) fn entries(tree: &Tree, reduced: &ReducedText, checked: &Runs) -> Option<()> {
    let Runs {
        runs,
        texts,
        paths,
        untouched,
        names,
    } = checked;
    let mut maps: HashMap<u32, NodeId> = HashMap::new();
    let mut segments: HashMap<NodeId, u32> = HashMap::new();
    for (n, run) in runs.iter().enumerate() {
        let pos = reduced.at[n];
        let (map, k) = entry_at(tree, pos, &paths[n])?;
        let all = tree.entries(map);
        let e = &all[k];
        let own = placeholder(super::Mode::Entries, n, run.col, untouched[n].ending);
        let name = format!("{PLACEHOLDER}{n}");
        if k == 0 || key_text(tree, e.key) != name || e.end as usize != pos as usize + own.len() {
            return None;
        }
        if *maps.entry(run.segment).or_insert(map) != map
            || *segments.entry(map).or_insert(run.segment) != run.segment
        {
            return None;
        }
        let before = reach_of(tree, &all[k - 1], run.col)?;
        let after = &reduced.text.as_bytes()[e.end as usize..];
        if before.reaches(texts[n].as_bytes()) || untouched[n].reach.reaches(after) {
            return None;
        }
    }
    // The neighbours' keys, in each mapping that holds runs.
    maps.iter()
        .all(|(segment, &map)| {
            tree.entries(map).iter().all(|e| {
                let key = key_text(tree, e.key);
                key.starts_with(PLACEHOLDER) || !names[segment].contains(key.as_ref())
            })
        })
        .then_some(())
}

/// The names of each segment's runs (all runs' for a stream), taken out of
/// `untouched`: `None` when two are equal, or one looks like a placeholder.
pub(super) fn segment_names<'a>(
    runs: &[Run],
    untouched: &mut [Untouched<'a>],
) -> Option<HashMap<u32, HashSet<Cow<'a, str>>>> {
    let mut names: HashMap<u32, HashSet<Cow<'a, str>>> = HashMap::new();
    for (run, u) in runs.iter().zip(untouched) {
        let set = names.entry(run.segment).or_default();
        for name in std::mem::take(&mut u.names) {
            if name.contains(PLACEHOLDER) || !set.insert(name) {
                return None;
            }
        }
    }
    Some(names)
}

/// The entry whose leading trivia starts at `pos`, in the block mapping at
/// `path` (keys of block mappings from the root of the only document): its
/// mapping and index.
fn entry_at(tree: &Tree, pos: u32, path: &[&str]) -> Option<(NodeId, usize)> {
    let [doc] = tree.documents() else {
        return None;
    };
    let mut node = doc.root;
    for depth in 0..=path.len() {
        if tree.node(node).kind != NodeKind::BlockMap {
            return None;
        }
        let all = tree.entries(node);
        let k = all.partition_point(|e| e.lead <= pos).checked_sub(1)?;
        let e = &all[k];
        if pos >= e.end {
            return None;
        }
        match path.get(depth) {
            None => return (e.lead == pos).then_some((node, k)),
            Some(&key) if key_text(tree, e.key) == key => node = e.value,
            Some(_) => return None,
        }
    }
    None
}

/// Checks one reduced version of a stream: each placeholder is a document
/// of its own where its run was, every document has a Kubernetes identity
/// (the merge matches them by it only then), unique with the runs' `names`;
/// `endings` are the runs' (see `placeholder`).
pub(super) fn documents(
    tree: &Tree,
    reduced: &ReducedText,
    endings: &[Option<usize>],
    names: &HashSet<Cow<str>>,
) -> Option<()> {
    let docs = tree.documents();
    for (n, &pos) in reduced.at.iter().enumerate() {
        let own = placeholder(super::Mode::Documents, n, 0, endings[n]);
        let k = docs.partition_point(|d| d.start < pos);
        let d = docs.get(k)?;
        if d.start != pos || d.end as usize != pos as usize + own.len() {
            return None;
        }
    }
    let own: Vec<String> = docs
        .iter()
        .map(|d| kubernetes_identity(tree, d.root))
        .collect::<Option<_>>()?;
    let mut mine = HashSet::new();
    own.iter()
        .filter(|n| !n.contains(PLACEHOLDER))
        .all(|n| !names.contains(n.as_str()) && mine.insert(n.as_str()))
        .then_some(())
}
