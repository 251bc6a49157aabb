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
mod git_judge;
mod pool;

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

use edits::Rng;
use git_judge::{Class, Finding, Git, Outcome, Triple, git_merge, judge_layout, scratch_dir};
use pool::{env_number, splitmix, valid};
use yamerge::Side;

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

/// Triple `index` depends on the seed and its index only, so that threads
/// can share the work in any order.
fn triple((pool, keys): (&[String], &[u64]), seed: u64, index: usize) -> Triple {
    let mut rng = Rng(pool::item_seed(seed, index));
    let base = pool[pool::pick(keys, rng.below(usize::MAX) as u64)].clone();
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

// ---------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------

/// Every triple judged, on two threads (one git process per triple).
/// `None` when git cannot be run.
fn run(pool: &[String], seed: u64, triples: usize) -> Option<Vec<Verdict>> {
    const THREADS: usize = 2;
    let dirs: Vec<PathBuf> = (0..THREADS).map(|k| scratch_dir(&k.to_string())).collect();
    let keys: Vec<u64> = pool.iter().map(|t| pool::text_key(t)).collect();
    let keys = &keys;
    let results: Vec<Option<Vec<Verdict>>> = std::thread::scope(|s| {
        let handles: Vec<_> = dirs
            .iter()
            .enumerate()
            .map(|(k, dir)| {
                s.spawn(move || {
                    let mut out = Vec::new();
                    for index in (k..triples).step_by(THREADS) {
                        let t = triple((pool, keys), seed, index);
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
