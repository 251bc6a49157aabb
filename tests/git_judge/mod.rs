//! The judge of `git merge-file` against yamerge on one triple, shared by
//! the randomized differential tests (`versus_git_lines.rs`,
//! `structural_edits.rs`): run git's line merge, then say whether yamerge
//! is worse. Where git merges cleanly to valid YAML (no duplicate key, no
//! Kubernetes object doubled) that carries both sides' changes, yamerge
//! must merge cleanly to the very same bytes; a clean git result that lost
//! or invented a side's change (a fact, a comment's document, the final
//! line break) is not held against yamerge.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use yamerge::{Input, MergeOptions, Side, merge};

use crate::common;
use crate::pool::valid;

// ---------------------------------------------------------------------------
// One triple
// ---------------------------------------------------------------------------

#[derive(Clone)]
pub struct Triple {
    pub index: usize,
    pub base: String,
    pub current: String,
    pub incoming: String,
}

/// What git made of a triple.
pub enum Git {
    Conflict,
    /// Clean, but not valid YAML or holding a duplicate key.
    Unusable,
    Clean(String),
}

/// Runs `git merge-file -p current base incoming` in `dir`, with no user or
/// system configuration (`merge.conflictStyle` and the like) in effect.
/// `None` when git cannot be run.
pub fn git_merge(dir: &Path, t: &Triple) -> Option<Git> {
    for (name, text) in [
        ("base.yaml", &t.base),
        ("current.yaml", &t.current),
        ("incoming.yaml", &t.incoming),
    ] {
        std::fs::write(dir.join(name), text).ok()?;
    }
    let out = Command::new("git")
        .args([
            "merge-file",
            "-p",
            "current.yaml",
            "base.yaml",
            "incoming.yaml",
        ])
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", dir.join("empty.gitconfig"))
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).expect("git's output is UTF-8");
    Some(match out.status.code() {
        Some(0) if valid(&text) && !doubles_a_document(&text, t) => Git::Clean(text),
        Some(0) => Git::Unusable,
        Some(1..=127) => Git::Conflict,
        _ => panic!(
            "git merge-file failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
    })
}

/// Whether git's result holds a Kubernetes object twice (one kind and name
/// in two documents) where no input does: both sides added it, each its own
/// way. Documents are matched by that identity as keys are, so this is
/// git's duplicate key at the level of a stream.
pub fn doubles_a_document(merged: &str, t: &Triple) -> bool {
    let doubled = |text: &str| {
        let mut seen = HashSet::new();
        load(text)
            .iter()
            .filter_map(doc_identity)
            .filter(|id| !seen.insert(id.clone()))
            .count()
    };
    let most = [&t.base, &t.current, &t.incoming]
        .map(|x| doubled(x))
        .into_iter()
        .max();
    doubled(merged) > most.unwrap_or(0)
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Class {
    /// yamerge conflicts where git is clean and right.
    NeedlessConflict,
    /// Both clean to the same data, but the bytes differ.
    DifferentBytesSameData,
    /// Both clean, to different data, and git's carries both sides' changes.
    DifferentData,
    /// yamerge refused inputs that all parse.
    Error,
    /// yamerge conflicts or differs in data from git, but git's clean
    /// result lost a side's change or invented one (see [`lost_change`]):
    /// not held against yamerge.
    GitLostChange,
}

impl Class {
    pub const ALL: [Class; 5] = [
        Class::NeedlessConflict,
        Class::DifferentBytesSameData,
        Class::DifferentData,
        Class::Error,
        Class::GitLostChange,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Class::NeedlessConflict => "needless-conflict",
            Class::DifferentBytesSameData => "different-bytes-same-data",
            Class::DifferentData => "different-data",
            Class::Error => "yamerge-error",
            Class::GitLostChange => "git lost or invented a change (not counted)",
        }
    }
}

/// yamerge's output where it disagrees with git.
pub struct Finding {
    pub class: Class,
    /// For a byte difference, which bytes (see [`byte_detail`]); where git
    /// lost a change, what yamerge did; else "".
    pub detail: &'static str,
    pub ours: String,
    /// A fact of a side's change that git's result lacks, when one does.
    pub git_lost: Option<String>,
    /// The same for yamerge's result (shown, not judged).
    pub ours_lost: Option<String>,
}

impl Finding {
    /// Whether it counts against yamerge.
    pub fn counts(&self) -> bool {
        self.class != Class::GitLostChange
    }
}

/// How yamerge did with one layout.
#[derive(Default)]
pub struct Outcome {
    /// Where it disagrees with git (or failed); `None` when it agrees or
    /// nothing is compared.
    pub finding: Option<Finding>,
    /// Clean where git conflicted: counted, not judged.
    pub clean_where_git_conflicts: bool,
}

impl Outcome {
    pub fn is(&self, class: Class, detail: Option<&str>) -> bool {
        self.finding
            .as_ref()
            .is_some_and(|f| f.class == class && detail.is_none_or(|d| d == f.detail))
    }
}

pub fn judge_layout(t: &Triple, git: &Git, layout: Side) -> Outcome {
    let opts = MergeOptions {
        layout,
        ..MergeOptions::default()
    };
    let ours = merge(
        Input::new("base", t.base.as_bytes()),
        Input::new("current", t.current.as_bytes()),
        Input::new("incoming", t.incoming.as_bytes()),
        &opts,
    );
    let finding = |class, ours: String, git_text: Option<&str>, clean: bool| Finding {
        class,
        detail: match git_text {
            Some(g) if class == Class::DifferentBytesSameData => byte_detail(g, &ours),
            _ => "",
        },
        git_lost: git_text.and_then(|g| lost_change(t, g)),
        ours_lost: clean.then(|| lost_change(t, &ours)).flatten(),
        ours,
    };
    let ours = match ours {
        Ok(m) => m,
        Err(e) => {
            return Outcome {
                finding: Some(finding(Class::Error, e.to_string(), None, false)),
                ..Outcome::default()
            };
        }
    };
    let clean = ours.conflicts.is_empty();
    let Git::Clean(g) = git else {
        return Outcome {
            clean_where_git_conflicts: clean && matches!(git, Git::Conflict),
            ..Outcome::default()
        };
    };
    if clean && ours.text == *g {
        return Outcome::default();
    }
    let class = if !clean {
        Class::NeedlessConflict
    } else if common::canonical_data(&ours.text) == common::canonical_data(g) {
        Class::DifferentBytesSameData
    } else {
        Class::DifferentData
    };
    let mut f = finding(class, ours.text, Some(g), clean);
    // A clean git result that dropped a side's change is not "right", so
    // yamerge may differ from it: with other data, or with a conflict
    // (where a side's change cannot be placed, a conflict is the honest
    // answer). Not for a byte detail: the data are equal then.
    if f.git_lost.is_some() && class != Class::DifferentBytesSameData {
        f.class = Class::GitLostChange;
        f.detail = if clean {
            "yamerge clean, other data"
        } else {
            "yamerge conflicts"
        };
    }
    // A comment is placed by its document: git can put a side's comment
    // into a document the other side inserted above it.
    if class == Class::DifferentBytesSameData
        && f.detail == "comments"
        && let Some(lost) = comment_misplaced(t, g)
        && comment_misplaced(t, &f.ours).is_none()
    {
        f.class = Class::GitLostChange;
        f.detail = "yamerge clean, other data";
        f.git_lost = Some(lost);
    }
    // The file's last line break is a change too: git can drop a side's
    // added or removed final newline where the other side edited the end.
    if class == Class::DifferentBytesSameData
        && f.detail == "final newline"
        && let Some(lost) = final_break_lost(t, g, &f.ours)
    {
        f.class = Class::GitLostChange;
        f.detail = "yamerge clean, other data";
        f.git_lost = Some(lost);
    }
    Outcome {
        finding: Some(f),
        ..Outcome::default()
    }
}

/// Which bytes differ between two texts of the same data, as the first
/// normalization (each includes the ones before it) that makes them equal:
/// a developer's first hint at the cause.
pub fn byte_detail(git: &str, ours: &str) -> &'static str {
    fn map_lines(s: &str, f: impl Fn(&str) -> Option<String>) -> String {
        s.lines().filter_map(f).collect::<Vec<_>>().join("\n")
    }
    type Normalize = fn(&str) -> String;
    let steps: [(&str, Normalize); 4] = [
        ("final newline", |s| {
            s.trim_end_matches(['\n', '\r']).to_string()
        }),
        ("whitespace-only lines or trailing spaces", |s| {
            map_lines(s, |l| {
                let l = l.trim_end();
                (!l.is_empty()).then(|| l.to_string())
            })
        }),
        ("comments", |s| {
            map_lines(s, |l| {
                let code = l.split(" #").next().unwrap_or("").trim_end();
                (!code.trim_start().starts_with('#') && !code.is_empty()).then(|| code.to_string())
            })
        }),
        ("indentation", |s| {
            map_lines(s, |l| Some(l.trim_start().to_string()))
        }),
    ];
    let (mut a, mut b) = (git.to_string(), ours.to_string());
    for (name, normalize) in steps {
        (a, b) = (normalize(&a), normalize(&b));
        if a == b {
            return name;
        }
    }
    "other (order, quoting, ...)"
}

// ---------------------------------------------------------------------------
// Did a merge keep both sides' changes?
// ---------------------------------------------------------------------------

/// The data of a stream as a multiset of facts `path = leaf`. A path
/// names a document by kind and name and a list item by its `name` (or
/// `id`, `key`, `path`), so that an insertion elsewhere does not move the
/// facts of the others, but only by identities `known` from base: a
/// document that gains a name or an item split in two by a new `- ` line
/// stays where it was.
pub fn facts(text: &str, known: &HashSet<String>) -> HashMap<String, i64> {
    let mut out = HashMap::new();
    for doc in load(text) {
        let id = doc_identity(&doc).filter(|i| known.contains(i));
        collect_facts(&doc, id.unwrap_or_else(|| "doc".into()), known, &mut out);
    }
    out
}

pub fn load(text: &str) -> Vec<saphyr::Yaml<'_>> {
    use saphyr::LoadableYamlNode;
    saphyr::Yaml::load_from_str(text).unwrap_or_default()
}

pub fn collect_facts(
    y: &saphyr::Yaml,
    path: String,
    known: &HashSet<String>,
    out: &mut HashMap<String, i64>,
) {
    match y {
        saphyr::Yaml::Mapping(m) if !m.is_empty() => {
            for (k, v) in m {
                let key = common::canonical_data_of(k);
                collect_facts(v, format!("{path}.{key}"), known, out);
            }
        }
        saphyr::Yaml::Sequence(items) if !items.is_empty() => {
            for item in items {
                let id = item_identity(item).filter(|i| known.contains(i));
                let id = id.unwrap_or_else(|| "*".into());
                collect_facts(item, format!("{path}[{id}]"), known, out);
            }
        }
        leaf => {
            let fact = format!("{path} = {}", common::canonical_data_of(leaf));
            *out.entry(fact).or_default() += 1;
        }
    }
}

pub fn doc_identity(doc: &saphyr::Yaml) -> Option<String> {
    let kind = doc.as_mapping_get("kind")?;
    let name = doc.as_mapping_get("metadata")?.as_mapping_get("name")?;
    Some(format!(
        "{}/{}",
        common::canonical_data_of(kind),
        common::canonical_data_of(name)
    ))
}

pub fn item_identity(item: &saphyr::Yaml) -> Option<String> {
    ["name", "id", "key", "path"].iter().find_map(|f| {
        let v = item.as_mapping_get(f)?;
        Some(format!("{f}={}", common::canonical_data_of(v)))
    })
}

/// Every document and list item identity of `text`.
pub fn identities(text: &str) -> HashSet<String> {
    fn walk(y: &saphyr::Yaml, out: &mut HashSet<String>) {
        match y {
            saphyr::Yaml::Mapping(m) => m.iter().for_each(|(_, v)| walk(v, out)),
            saphyr::Yaml::Sequence(items) => {
                for item in items {
                    out.extend(item_identity(item));
                    walk(item, out);
                }
            }
            _ => {}
        }
    }
    let mut out = HashSet::new();
    for doc in load(text) {
        out.extend(doc_identity(&doc));
        walk(&doc, &mut out);
    }
    out
}

/// A comment line one side added to (or removed from) a document of a
/// stream (named by kind and name, where base knows it) that `merged` does
/// not hold in that document the way the side has it.
pub fn comment_misplaced(t: &Triple, merged: &str) -> Option<String> {
    let known = identities(&t.base);
    let facts = |text: &str| {
        let mut out: HashMap<String, i64> = HashMap::new();
        for doc in split_documents(text) {
            let id = load(doc)
                .first()
                .and_then(doc_identity)
                .filter(|i| known.contains(i))
                .unwrap_or_else(|| "doc".into());
            for line in doc.lines().map(str::trim).filter(|l| l.starts_with('#')) {
                *out.entry(format!("`{line}` in {id}")).or_default() += 1;
            }
        }
        out
    };
    let [b, c, i, m] = [&t.base, &t.current, &t.incoming, merged].map(facts);
    let count = |f: &HashMap<String, i64>, k: &str| f.get(k).copied().unwrap_or(0);
    for (side, name, other) in [(&c, "current", &i), (&i, "incoming", &c)] {
        for k in side.keys().chain(b.keys()) {
            let (want, was) = (count(side, k), count(&b, k));
            if want != was && count(other, k) == was && count(&m, k) != want {
                return Some(format!(
                    "{name}'s comment {k}: {was}→{want}, merged {}",
                    count(&m, k)
                ));
            }
        }
    }
    None
}

/// The documents of a stream as text, cut before each `---` line.
pub fn split_documents(text: &str) -> Vec<&str> {
    let mut docs = Vec::new();
    let mut start = 0;
    for (at, _) in text.match_indices("\n---") {
        docs.push(&text[start..at + 1]);
        start = at + 1;
    }
    docs.push(&text[start..]);
    docs
}

/// When git's result ends differently from the three-way merge of whether
/// each version ends with a line break, and ours ends as that merge says:
/// which side's change git lost.
pub fn final_break_lost(t: &Triple, git: &str, ours: &str) -> Option<String> {
    let ends = |s: &str| s.ends_with('\n');
    let (b, c, i) = (ends(&t.base), ends(&t.current), ends(&t.incoming));
    let (side, want) = match (c != b, i != b) {
        (true, false) => ("current", c),
        (false, true) => ("incoming", i),
        _ => return None,
    };
    (ends(git) != want && ends(ours) == want).then(|| {
        format!(
            "{side}'s change: the final line break, merged {}",
            ends(git)
        )
    })
}

/// A fact that one side changed (the other side left it as in base) and
/// that `merged` does not carry the way that side has it; or a fact that
/// `merged` holds more often than base and both sides (an edit applied twice,
/// or to the wrong item: git's line alignment can do that).
pub fn lost_change(t: &Triple, merged: &str) -> Option<String> {
    let known = identities(&t.base);
    let [b, c, i, m] = [&t.base, &t.current, &t.incoming, merged].map(|x| facts(x, &known));
    let count = |f: &HashMap<String, i64>, k: &str| f.get(k).copied().unwrap_or(0);
    for (side, name, other) in [(&c, "current", &i), (&i, "incoming", &c)] {
        let mut keys: Vec<&String> = side.keys().chain(b.keys()).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            let (want, was) = (count(side, k), count(&b, k));
            if want != was && count(other, k) == was && count(&m, k) != want {
                return Some(format!(
                    "{name}'s change: `{k}` {was}→{want} times, merged {}",
                    count(&m, k)
                ));
            }
        }
    }
    m.iter().find_map(|(k, &n)| {
        let most = count(&b, k).max(count(&c, k)).max(count(&i, k));
        (n > most).then(|| format!("invented: `{k}` {n} times, at most {most} in an input"))
    })
}

/// A folder for git's three input files and an empty git configuration.
pub fn scratch_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yamerge-vgl-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    std::fs::write(dir.join("empty.gitconfig"), "").expect("write empty git config");
    dir
}
