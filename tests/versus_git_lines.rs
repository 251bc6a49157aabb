//! yamerge against `git merge-file` on random *line-level* edits: the
//! project's promise "never worse than git's line merge" checked byte for
//! byte. Where git merges cleanly to valid YAML (no duplicate key) that
//! carries both sides' changes, yamerge must merge cleanly to the very same
//! bytes, with either layout (incoming, the default; current, the git
//! driver's).
//!
//! Bases come from `testdata/cases`, `testdata/examples`, the shared Palette
//! pack values and generated files (`generate`); each side applies a few
//! edits a person would make in an editor (`generate::mutate`). Unlike
//! `versus_git.rs`, which compares data only, any byte difference counts.
//!
//!     cargo test --release --test versus_git_lines -- --nocapture
//!
//! A clean git result that does not parse, holds a duplicate key, or holds
//! a Kubernetes object twice that no input does (both sides added it, each
//! its own way) is skipped: that is no right answer to reproduce.
//! `YAMERGE_VGL_SEED` (decimal or `0x` hex) and `YAMERGE_VGL_TRIPLES` change
//! the run. Every disagreement's class is counted and the first few of each
//! (`YAMERGE_VGL_SHOW`, default 5) are printed with their inputs (and
//! written to `YAMERGE_VGL_DUMP`, a folder, when set), so that
//! they can become cases; `YAMERGE_VGL_SHRINK=1` first cuts each one down
//! to the fewest lines that still show it.

mod common;
mod edits;
mod generate;
mod pool;

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use edits::Rng;
use pool::{env_number, splitmix, valid};
use yamerge::{Input, MergeOptions, Side, merge};

const DEFAULT_SEED: u64 = 0x5EED_0F11_AE5D_1FF5;
const DEFAULT_TRIPLES: usize = 5_000;
/// Disagreements printed in full per class.
const SHOWN: usize = 5;
const LAYOUTS: [Side; 2] = [Side::Incoming, Side::Current];

// ---------------------------------------------------------------------------
// The pool of bases
// ---------------------------------------------------------------------------

/// Files of the repository and of the shared test data, then as many
/// generated ones, all valid inputs for yamerge.
fn pool(rng: &mut Rng) -> (Vec<String>, usize) {
    let mut files = pool::files_on_disk(&["yaml", "yml"]);
    let from_disk = files.len();
    for _ in 0..from_disk.max(60) {
        let g = generate::file(rng);
        assert!(valid(&g), "the generator made invalid YAML:\n{g}");
        files.push(g);
    }
    (files, from_disk)
}

// ---------------------------------------------------------------------------
// One triple
// ---------------------------------------------------------------------------

#[derive(Clone)]
struct Triple {
    index: usize,
    base: String,
    current: String,
    incoming: String,
}

/// Triple `index` depends on the seed and its index only, so that threads
/// can share the work in any order.
fn triple(pool: &[String], seed: u64, index: usize) -> Triple {
    let mut rng = Rng(pool::item_seed(seed, index));
    let base = pool[rng.below(pool.len())].clone();
    // Sometimes both sides share edits (a cherry-pick, a fix made twice):
    // git merges identical changes cleanly, and so must yamerge.
    let start = if generate::chance(&mut rng, 15) {
        generate::mutate(&base, &mut rng, "both", &valid)
    } else {
        base.clone()
    };
    let current = generate::mutate(&start, &mut rng, "cur", &valid);
    let incoming = generate::mutate(&start, &mut rng, "inc", &valid);
    Triple {
        index,
        base,
        current,
        incoming,
    }
}

/// What git made of a triple.
enum Git {
    Conflict,
    /// Clean, but not valid YAML or holding a duplicate key.
    Unusable,
    Clean(String),
}

/// Runs `git merge-file -p current base incoming` in `dir`, with no user or
/// system configuration (`merge.conflictStyle` and the like) in effect.
/// `None` when git cannot be run.
fn git_merge(dir: &Path, t: &Triple) -> Option<Git> {
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
fn doubles_a_document(merged: &str, t: &Triple) -> bool {
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
enum Class {
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
    const ALL: [Class; 5] = [
        Class::NeedlessConflict,
        Class::DifferentBytesSameData,
        Class::DifferentData,
        Class::Error,
        Class::GitLostChange,
    ];

    fn name(self) -> &'static str {
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
struct Finding {
    class: Class,
    /// For a byte difference, which bytes (see [`byte_detail`]); where git
    /// lost a change, what yamerge did; else "".
    detail: &'static str,
    ours: String,
    /// A fact of a side's change that git's result lacks, when one does.
    git_lost: Option<String>,
    /// The same for yamerge's result (shown, not judged).
    ours_lost: Option<String>,
}

impl Finding {
    /// Whether it counts against yamerge.
    fn counts(&self) -> bool {
        self.class != Class::GitLostChange
    }
}

/// How yamerge did with one layout.
#[derive(Default)]
struct Outcome {
    /// Where it disagrees with git (or failed); `None` when it agrees or
    /// nothing is compared.
    finding: Option<Finding>,
    /// Clean where git conflicted: counted, not judged.
    clean_where_git_conflicts: bool,
}

impl Outcome {
    fn is(&self, class: Class, detail: Option<&str>) -> bool {
        self.finding
            .as_ref()
            .is_some_and(|f| f.class == class && detail.is_none_or(|d| d == f.detail))
    }
}

/// How one triple went, per layout in the order of [`LAYOUTS`].
struct Verdict {
    triple: Triple,
    git: Git,
    layouts: Vec<Outcome>,
}

fn judge(t: Triple, git: Git) -> Verdict {
    let layouts = LAYOUTS
        .iter()
        .map(|&layout| judge_layout(&t, &git, layout))
        .collect();
    Verdict {
        triple: t,
        git,
        layouts,
    }
}

fn judge_layout(t: &Triple, git: &Git, layout: Side) -> Outcome {
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
fn byte_detail(git: &str, ours: &str) -> &'static str {
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
fn facts(text: &str, known: &HashSet<String>) -> HashMap<String, i64> {
    let mut out = HashMap::new();
    for doc in load(text) {
        let id = doc_identity(&doc).filter(|i| known.contains(i));
        collect_facts(&doc, id.unwrap_or_else(|| "doc".into()), known, &mut out);
    }
    out
}

fn load(text: &str) -> Vec<saphyr::Yaml<'_>> {
    use saphyr::LoadableYamlNode;
    saphyr::Yaml::load_from_str(text).unwrap_or_default()
}

fn collect_facts(
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

fn doc_identity(doc: &saphyr::Yaml) -> Option<String> {
    let kind = doc.as_mapping_get("kind")?;
    let name = doc.as_mapping_get("metadata")?.as_mapping_get("name")?;
    Some(format!(
        "{}/{}",
        common::canonical_data_of(kind),
        common::canonical_data_of(name)
    ))
}

fn item_identity(item: &saphyr::Yaml) -> Option<String> {
    ["name", "id", "key", "path"].iter().find_map(|f| {
        let v = item.as_mapping_get(f)?;
        Some(format!("{f}={}", common::canonical_data_of(v)))
    })
}

/// Every document and list item identity of `text`.
fn identities(text: &str) -> HashSet<String> {
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
fn comment_misplaced(t: &Triple, merged: &str) -> Option<String> {
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
fn split_documents(text: &str) -> Vec<&str> {
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
fn final_break_lost(t: &Triple, git: &str, ours: &str) -> Option<String> {
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
fn lost_change(t: &Triple, merged: &str) -> Option<String> {
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

// ---------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------

/// A folder for git's three input files and an empty git configuration.
fn scratch_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yamerge-vgl-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    std::fs::write(dir.join("empty.gitconfig"), "").expect("write empty git config");
    dir
}

/// Every triple judged, on two threads (one git process per triple).
/// `None` when git cannot be run.
fn run(pool: &[String], seed: u64, triples: usize) -> Option<Vec<Verdict>> {
    const THREADS: usize = 2;
    let dirs: Vec<PathBuf> = (0..THREADS).map(|k| scratch_dir(&k.to_string())).collect();
    let results: Vec<Option<Vec<Verdict>>> = std::thread::scope(|s| {
        let handles: Vec<_> = dirs
            .iter()
            .enumerate()
            .map(|(k, dir)| {
                s.spawn(move || {
                    let mut out = Vec::new();
                    for index in (k..triples).step_by(THREADS) {
                        let t = triple(pool, seed, index);
                        let git = git_merge(dir, &t)?;
                        out.push(judge(t, git));
                    }
                    Some(out)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for d in &dirs {
        let _ = std::fs::remove_dir_all(d);
    }
    let mut all: Vec<Verdict> = results
        .into_iter()
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    all.sort_by_key(|v| v.triple.index);
    Some(all)
}

/// The counts, as a table.
fn summary(verdicts: &[Verdict]) -> String {
    let (mut conflicts, mut unusable, mut compared) = (0, 0, 0);
    for v in verdicts {
        match v.git {
            Git::Conflict => conflicts += 1,
            Git::Unusable => unusable += 1,
            Git::Clean(_) => compared += 1,
        }
    }
    let mut s = String::new();
    let _ = writeln!(
        s,
        "git: {conflicts} conflicts, {unusable} clean but not valid YAML or with a duplicate key (skipped), {compared} clean and compared"
    );
    let _ = writeln!(s, "{:<44}{:>10}{:>10}", "", "incoming", "current");
    let per_layout = |f: &dyn Fn(&Outcome) -> bool| {
        let mut n = [0; 2];
        for v in verdicts {
            for (k, l) in v.layouts.iter().enumerate() {
                n[k] += usize::from(f(l));
            }
        }
        n
    };
    let mut row = |label: &str, n: [usize; 2]| {
        let _ = writeln!(s, "{label:<44}{:>10}{:>10}", n[0], n[1]);
    };
    for class in Class::ALL {
        row(class.name(), per_layout(&|l| l.is(class, None)));
        for detail in details(verdicts, class) {
            row(
                &format!("  · {detail}"),
                per_layout(&|l| l.is(class, Some(detail))),
            );
        }
    }
    row(
        "disagreements",
        per_layout(&|l| l.finding.as_ref().is_some_and(Finding::counts)),
    );
    row(
        "clean where git conflicts",
        per_layout(&|l| l.clean_where_git_conflicts),
    );
    s
}

/// The details seen for `class` (see [`Finding::detail`]), sorted.
fn details(verdicts: &[Verdict], class: Class) -> Vec<&'static str> {
    let mut d: Vec<&'static str> = verdicts
        .iter()
        .flat_map(|v| &v.layouts)
        .filter_map(|l| l.finding.as_ref())
        .filter(|f| f.class == class && !f.detail.is_empty())
        .map(|f| f.detail)
        .collect();
    d.sort();
    d.dedup();
    d
}

/// The first few triples of each class, in full (made smaller first with
/// `YAMERGE_VGL_SHRINK=1`), for turning into cases.
fn examples(verdicts: &[Verdict], seed: u64, shown: usize, shrink: bool) -> String {
    let dir = scratch_dir("shrink");
    let mut s = String::new();
    let kinds = Class::ALL.iter().flat_map(|&class| {
        let mut d = details(verdicts, class);
        d.push("");
        d.into_iter().map(move |detail| (class, detail))
    });
    for (class, detail) in kinds {
        let of_kind = verdicts.iter().filter_map(|v| {
            let k = v.layouts.iter().position(|l| l.is(class, Some(detail)))?;
            Some((v, LAYOUTS[k]))
        });
        for (v, layout) in of_kind.take(shown) {
            dump(&v.triple, class);
            if !shrink {
                s.push_str(&example(v, class, seed, ""));
                continue;
            }
            let t = shrink_triple(&dir, v.triple.clone(), layout, (class, detail));
            let Some(git) = git_merge(&dir, &t) else {
                continue;
            };
            let note = format!(", shrunk for layout {}", layout.name());
            s.push_str(&example(&judge(t, git), class, seed, &note));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    s
}

/// With `YAMERGE_VGL_DUMP=DIR`, writes an example's three inputs, byte for
/// byte, to `DIR/<class>-<triple>/`: the shown text makes whitespace
/// visible, the files are what reproduces it.
fn dump(t: &Triple, class: Class) {
    let Some(dir) = std::env::var_os("YAMERGE_VGL_DUMP") else {
        return;
    };
    let dir = Path::new(&dir).join(format!("{}-{}", class.name(), t.index));
    let _ = std::fs::create_dir_all(&dir);
    for (name, text) in [
        ("base", &t.base),
        ("current", &t.current),
        ("incoming", &t.incoming),
    ] {
        let _ = std::fs::write(dir.join(format!("{name}.yaml")), text);
    }
}

fn example(v: &Verdict, class: Class, seed: u64, note: &str) -> String {
    let t = &v.triple;
    let mut s = format!(
        "\n======== {}{} — triple {} of seed {seed:#x}{note}\n",
        class.name(),
        v.layouts
            .iter()
            .filter_map(|l| l.finding.as_ref())
            .find(|f| f.class == class && !f.detail.is_empty())
            .map_or(String::new(), |f| format!(" ({})", f.detail)),
        t.index
    );
    for (name, text) in [
        ("base", &t.base),
        ("current", &t.current),
        ("incoming", &t.incoming),
    ] {
        let _ = writeln!(s, "--- {name}\n{}", common::visible(text));
    }
    if let Git::Clean(g) = &v.git {
        let _ = writeln!(s, "--- git merge-file\n{}", common::visible(g));
    }
    for (layout, outcome) in LAYOUTS.iter().zip(&v.layouts) {
        let Some(f) = outcome.finding.as_ref().filter(|f| f.class == class) else {
            continue;
        };
        let _ = writeln!(
            s,
            "--- yamerge, layout {}\n{}",
            layout.name(),
            common::visible(&f.ours)
        );
        if let Git::Clean(g) = &v.git {
            let diff = similar::TextDiff::from_lines(g.as_str(), f.ours.as_str());
            let _ = write!(
                s,
                "--- git → yamerge ({})\n{}",
                layout.name(),
                diff.unified_diff().context_radius(2)
            );
        }
        for (who, lost) in [("git", &f.git_lost), ("yamerge", &f.ours_lost)] {
            if let Some(l) = lost {
                let _ = writeln!(s, "({who} lost {l})");
            }
        }
    }
    s
}

// ---------------------------------------------------------------------------
// Shrinking an example
// ---------------------------------------------------------------------------

/// Whether `t` still shows a disagreement of this class and detail with
/// `layout`.
fn reproduces(dir: &Path, t: &Triple, layout: Side, kind: (Class, &str)) -> bool {
    if ![&t.base, &t.current, &t.incoming].iter().all(|x| valid(x)) {
        return false;
    }
    let Some(git) = git_merge(dir, t) else {
        return false;
    };
    judge_layout(t, &git, layout).is(kind.0, Some(kind.1))
}

/// A smaller triple with the same disagreement, found greedily: edits of
/// a side undone, lines all three share dropped, lines a side added dropped.
fn shrink_triple(dir: &Path, mut t: Triple, layout: Side, kind: (Class, &str)) -> Triple {
    let size = |t: &Triple| t.base.len() + t.current.len() + t.incoming.len();
    loop {
        let before = size(&t);
        for step in [undo_hunk, drop_shared_line, drop_added_line] {
            while let Some(smaller) = step(&t)
                .into_iter()
                .find(|c| reproduces(dir, c, layout, kind))
            {
                t = smaller;
            }
        }
        if size(&t) == before {
            return t;
        }
    }
}

fn split_lines(s: &str) -> Vec<&str> {
    s.split_inclusive('\n').collect()
}

/// The ranges of `base` and `side` where they differ.
fn hunks(base: &[&str], side: &[&str]) -> Vec<(Range<usize>, Range<usize>)> {
    similar::capture_diff_slices(similar::Algorithm::Myers, base, side)
        .iter()
        .map(similar::DiffOp::as_tag_tuple)
        .filter(|(tag, _, _)| *tag != similar::DiffTag::Equal)
        .map(|(_, b, s)| (b, s))
        .collect()
}

/// `t` with side `k` (0 current, 1 incoming) replaced by `text`.
fn with_side(t: &Triple, k: usize, text: String) -> Triple {
    let mut out = t.clone();
    *[&mut out.current, &mut out.incoming][k] = text;
    out
}

/// Every triple where one hunk of one side is taken back to base's lines.
fn undo_hunk(t: &Triple) -> Vec<Triple> {
    let base = split_lines(&t.base);
    let mut out = Vec::new();
    for (k, side) in [&t.current, &t.incoming].into_iter().enumerate() {
        let lines = split_lines(side);
        for (b, s) in hunks(&base, &lines) {
            let mut new = lines[..s.start].concat();
            new.push_str(&base[b].concat());
            new.push_str(&lines[s.end..].concat());
            out.push(with_side(t, k, new));
        }
    }
    out
}

/// Every triple without one base line, and without that line in each side
/// where the side has it unchanged.
fn drop_shared_line(t: &Triple) -> Vec<Triple> {
    let base = split_lines(&t.base);
    let sides = [split_lines(&t.current), split_lines(&t.incoming)];
    // For each side, the side's index of every base line it kept.
    let kept: Vec<Vec<Option<usize>>> = sides
        .iter()
        .map(|side| {
            let mut at = vec![None; base.len()];
            for op in similar::capture_diff_slices(similar::Algorithm::Myers, &base, side) {
                if let similar::DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } = op
                {
                    for d in 0..len {
                        at[old_index + d] = Some(new_index + d);
                    }
                }
            }
            at
        })
        .collect();
    let without = |lines: &[&str], skip: Option<usize>| -> String {
        let mut out = String::new();
        for (i, l) in lines.iter().enumerate() {
            if Some(i) != skip {
                out.push_str(l);
            }
        }
        out
    };
    (0..base.len())
        .rev()
        .map(|j| Triple {
            index: t.index,
            base: without(&base, Some(j)),
            current: without(&sides[0], kept[0][j]),
            incoming: without(&sides[1], kept[1][j]),
        })
        .collect()
}

/// Every triple without one line that a side added or changed.
fn drop_added_line(t: &Triple) -> Vec<Triple> {
    let base = split_lines(&t.base);
    let mut out = Vec::new();
    for (k, side) in [&t.current, &t.incoming].into_iter().enumerate() {
        let lines = split_lines(side);
        for (_, s) in hunks(&base, &lines) {
            for drop in s {
                let mut new = lines[..drop].concat();
                new.push_str(&lines[drop + 1..].concat());
                out.push(with_side(t, k, new));
            }
        }
    }
    out
}

#[test]
fn byte_identical_wherever_git_merges_lines_cleanly() {
    let seed = env_number("YAMERGE_VGL_SEED").unwrap_or(DEFAULT_SEED);
    let triples = env_number("YAMERGE_VGL_TRIPLES").map_or(DEFAULT_TRIPLES, |n| n as usize);
    let started = Instant::now();
    let (pool, from_disk) = pool(&mut Rng(splitmix(seed) | 1));
    let Some(verdicts) = run(&pool, seed, triples) else {
        eprintln!("skipped: git is not available");
        return;
    };
    let disagreements = verdicts
        .iter()
        .flat_map(|v| &v.layouts)
        .filter(|l| l.finding.as_ref().is_some_and(Finding::counts))
        .count();
    let shown = env_number("YAMERGE_VGL_SHOW").map_or(SHOWN, |n| n as usize);
    let shrink = std::env::var("YAMERGE_VGL_SHRINK").is_ok_and(|v| v == "1");
    println!("{}", examples(&verdicts, seed, shown, shrink));
    println!(
        "versus git lines: seed {seed:#x}, {triples} triples from {} bases ({from_disk} files, {} generated) in {:.1?}",
        pool.len(),
        pool.len() - from_disk,
        started.elapsed()
    );
    println!("{}", summary(&verdicts));
    assert_eq!(
        disagreements, 0,
        "yamerge differs from a clean, right `git merge-file` result (see above)"
    );
}
