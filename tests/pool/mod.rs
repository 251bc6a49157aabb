//! The pieces the randomized differential tests share: the real files they
//! edit (the repository's cases and examples, the shared Palette pack values),
//! the test of a valid input, and the plumbing of a seeded run (seed mixing,
//! numbers from the environment).
#![allow(dead_code)]

use std::collections::HashSet;
use std::path::Path;

use yamerge::syntax::{NO_NODE, NodeId, NodeKind, Tree};

use crate::common;

/// The valid inputs on disk, sorted: every `testdata/cases/*/base.yaml` of at
/// least 6 lines, and the files under `testdata/examples` and the shared
/// `palette/packs` whose name ends in one of `extensions` (`"yaml"`, ...).
pub fn files_on_disk(extensions: &[&str]) -> Vec<String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    if let Ok(rd) = std::fs::read_dir(manifest.join("testdata/cases")) {
        for e in rd.flatten() {
            files.extend(std::fs::read_to_string(e.path().join("base.yaml")));
        }
    }
    files.retain(|t| t.lines().count() >= 6);
    files.extend(files_under(&manifest.join("testdata/examples"), extensions));
    if let Some(packs) = common::shared_testdata("palette/packs") {
        files.extend(files_under(&packs, extensions));
    }
    files.sort();
    files.retain(|t| valid(t));
    files
}

/// The text of every file under `dir`, in any depth, whose name ends in
/// `.<extension>` for one of `extensions`.
pub fn files_under(dir: &Path, extensions: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|x| extensions.iter().any(|want| x == *want))
            {
                out.extend(std::fs::read_to_string(&p));
            }
        }
    }
    out
}

/// A text yamerge accepts as an input (it parses and no mapping holds a key
/// twice) and saphyr loads for the data comparisons. One parse instead of a
/// whole merge: callers run this after every edit. Should a merge refuse a
/// text this accepts, the tests report that error as a finding.
pub fn valid(text: &str) -> bool {
    yamerge::syntax::parse("input", text.as_bytes()).is_ok_and(|t| unique_keys(&t))
        && common::canonical_data(text).is_ok()
}

/// No mapping holds a key twice, keys compared as yamerge compares them: a
/// scalar by its value (`a`, `"a"` and `'a'` agree), anything else by its
/// text.
pub fn unique_keys(tree: &Tree) -> bool {
    let key_text = |key: NodeId| -> String {
        if key == NO_NODE {
            return String::new();
        }
        let n = tree.node(key);
        match n.kind {
            NodeKind::Scalar => tree.value(key).to_string(),
            NodeKind::Alias => format!("*{}", tree.value(key)),
            _ => tree.slice(n.start, n.end).to_string(),
        }
    };
    (0..tree.node_count() as NodeId).all(|id| {
        let mut seen = HashSet::new();
        !tree.node(id).kind.is_map()
            || tree
                .entries(id)
                .iter()
                .all(|e| seen.insert(key_text(e.key)))
    })
}

/// The seed of item `index` of a run: items depend on the run's seed and
/// their index only, so that threads can share the work in any order.
pub fn item_seed(seed: u64, index: usize) -> u64 {
    splitmix(seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1
}

pub fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A number from the environment, decimal or `0x` hex; `None` when unset.
pub fn env_number(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    let parsed = match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => v.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name}={v} is not a number")))
}

/// FNV-1a of a text: stable across runs and Rust versions.
pub fn text_key(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The index of the item a draw picks, by rendezvous hashing of the items'
/// `keys` (see [`text_key`]): the one whose key, mixed with the draw, is
/// largest. A file added to a pool (each new case under `testdata/cases` is
/// one) takes over only the draws it wins, so the rest of a randomized
/// test's inputs, and what they find, stay as they were.
pub fn pick(keys: &[u64], draw: u64) -> usize {
    (0..keys.len())
        .max_by_key(|&k| splitmix(draw ^ keys[k]))
        .expect("a pool")
}
