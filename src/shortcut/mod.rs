//! A shortcut for large files: text that all three versions hold unchanged
//! cannot change the result, so it need not be parsed three times and
//! merged. The cost then follows the change, not the file.
//!
//! Parsing is nearly all of a merge's time, and in a large file almost every
//! entry is untouched by both sides, wherever it sits: values files keep
//! nearly everything under one or two keys (`charts: app:`). So:
//!
//! 1. Each input is cut into pieces by a line scan (`lines`, `cuts`): before
//!    every entry of the top-level mapping, with the comment and blank lines
//!    the tree gives it, or before every `---` of a stream of documents.
//! 2. The pieces of the three versions are aligned (`runs`); pieces equal in
//!    all three form untouched runs, and a piece changed in all three but
//!    whose key line is the same in each is cut again into its own entries,
//!    one level deeper, down to the entries around the changes.
//! 3. Each run is checked once (`untouched`: valid YAML 1.2, no aliases or
//!    repeated keys, whole entries, how far its last entry reaches), by a quick line
//!    check (`quick`) where the text is plain enough, else by a parse.
//! 4. Each run is replaced by a placeholder entry at its column (or a
//!    placeholder document), and the much smaller texts are parsed and
//!    checked against the cuts (`verify`, `reach`): every placeholder is an
//!    entry of a block mapping, matched by name, exactly where its run was.
//! 5. The reduced texts go through the normal merge, and the runs are put
//!    back into its result (`restore`).
//!
//! The line scan is only a guess, so nothing is taken on trust: anything in
//! doubt (directives, CRLF, keep-chomped block scalars, aliases, documents
//! without a Kubernetes identity, a cut the parses do not confirm, a
//! placeholder landing anywhere but on its own line outside a conflict)
//! sends the merge down the full path, which is always right, just slower.
//! `tests/shortcut.rs` and the fuzzer check that both paths give the same
//! bytes and the same report.

mod cuts;
mod lines;
mod merged;
mod quick;
mod reach;
mod restore;
mod runs;
mod untouched;
mod verify;

use std::ops::Range;

use lines::{Lines, Mode};
use untouched::{Untouched, has_alias};

use crate::matching::repeats_a_key;
use crate::syntax::{self, Tree};

/// Below this total input size the full path is fast enough (a few hundred
/// lines: from there on the shortcut costs a fraction of the full path's
/// work, a sixth at 1,000 lines by callgrind's count).
pub(crate) const MIN_TOTAL: usize = 16 * 1024;

/// Starts every placeholder's name; chosen so that no real file holds it.
const PLACEHOLDER: &str = "__yamerge_untouched_";

/// The text that stands for run `n` (of entries at column `col`): an entry
/// or a document that, like its run, ends with a block scalar whose header
/// line is indented `ending`, if the run does (the renderer treats what
/// follows such a scalar apart).
fn placeholder(mode: Mode, n: usize, col: usize, ending: Option<usize>) -> String {
    let name = format!("{PLACEHOLDER}{n}");
    let (mut text, col) = match mode {
        Mode::Entries => (format!("{:col$}{name}:", ""), col),
        Mode::Documents => (
            format!(
                "--- # {name}\napiVersion: yamerge/v1\nkind: Untouched\n\
                 metadata:\n  name: {name}\n"
            ),
            0,
        ),
    };
    match (mode, ending) {
        (Mode::Entries, None) => text.push_str(" 0\n"),
        (Mode::Documents, None) => {}
        (Mode::Entries, Some(h)) if h == col => text.push_str(&format!(" |\n{:1$}x\n", "", h + 1)),
        (Mode::Entries, Some(h)) => text.push_str(&format!("\n{:h$}x: |\n{:2$}x\n", "", "", h + 1)),
        (Mode::Documents, Some(0)) => text.push_str("x: |\n x\n"),
        (Mode::Documents, Some(h)) => {
            text.push_str(&format!("x:\n{:h$}x: |\n{:2$}x\n", "", "", h + 1))
        }
    }
    text
}

/// Where the first [`PLACEHOLDER`] sits in a placeholder's text (of entries
/// at column `col`), and how many times it occurs there.
fn mark(mode: Mode, col: usize) -> (usize, usize) {
    match mode {
        Mode::Entries => (col, 1),
        Mode::Documents => ("--- # ".len(), 2),
    }
}

/// Three inputs reduced: untouched runs replaced by placeholders, parsed,
/// ready to merge; [`Reduced::restore`] puts the runs back into the merged
/// text.
pub(crate) struct Reduced<'a> {
    mode: Mode,
    /// Base's text, which holds the untouched runs.
    base: &'a str,
    runs: Vec<Placed>,
    /// What the parses of reduced texts are checked against.
    checked: verify::Runs<'a>,
    /// The parsed reduced base, current and incoming.
    pub trees: [Tree; 3],
    /// How many mappings below the top level the deepest run sits.
    pub deepest: u32,
}

/// An untouched run as the restore needs it.
struct Placed {
    /// Its bytes in base.
    bytes: Range<usize>,
    /// The column of its entries.
    col: usize,
    /// The header indentation of the block scalar it ends with.
    ending: Option<usize>,
    /// How many lines it has.
    lines: usize,
}

/// One version with its untouched runs replaced by placeholders.
struct ReducedText {
    text: String,
    /// Where each placeholder starts.
    at: Vec<u32>,
}

/// Reduces three inputs (names and bytes, base first) of at least
/// `min_total` bytes in all; `None` when the shortcut does not apply or
/// anything about it is in doubt (the caller then takes the full path, which
/// also reports any error with its true position).
pub(crate) fn reduce<'a>(
    names: [&str; 3],
    bytes: [&'a [u8]; 3],
    min_total: usize,
) -> Option<Reduced<'a>> {
    if bytes.iter().map(|b| b.len()).sum::<usize>() < min_total {
        return None;
    }
    let texts = bytes.map(|x| std::str::from_utf8(x).ok());
    let [Some(b), Some(c), Some(i)] = texts else {
        return None;
    };
    let [Some(lb), Some(lc), Some(li)] = [b, c, i].map(Lines::new) else {
        return None;
    };
    let mode = lb.mode();
    if lc.mode() != mode || li.mode() != mode {
        return None;
    }
    let all = [&lb, &lc, &li];
    let found = match mode {
        Mode::Entries => runs::entries(all),
        Mode::Documents => runs::documents(all),
    };
    let runs = &found.runs;
    if runs.is_empty() {
        return None;
    }
    let mut untouched: Vec<Untouched> = runs
        .iter()
        .map(|r| match mode {
            Mode::Entries => untouched::entries(&lb, r),
            Mode::Documents => untouched::documents(&lb, r),
        })
        .collect::<Option<_>>()?;
    let run_names = verify::segment_names(runs, &mut untouched)?;
    let endings: Vec<Option<usize>> = untouched.iter().map(|u| u.ending).collect();
    let reduced = [0, 1, 2].map(|k| reduce_text(mode, all[k], runs, &endings, k));
    let trees = parse_reduced(&reduced, names, runs.len() * mark(mode, 0).1)?;
    let checked = verify::Runs {
        texts: runs.iter().map(|r| lb.slice(&r.lines[0])).collect(),
        paths: runs.iter().map(|r| found.path(r.segment)).collect(),
        runs: found.runs.clone(),
        untouched,
        names: run_names,
    };
    for (tree, r) in trees.iter().zip(&reduced) {
        check_reduced(mode, tree, r, &checked, &endings)?;
    }
    let deepest = runs.iter().map(|r| r.level).max().unwrap_or(0);
    let runs = runs
        .iter()
        .zip(endings)
        .map(|(r, ending)| Placed {
            bytes: lb.bytes(&r.lines[0]),
            col: r.col,
            ending,
            lines: r.lines[0].len(),
        })
        .collect();
    Some(Reduced {
        mode,
        base: b,
        runs,
        checked,
        trees,
        deepest,
    })
}

/// Checks one parsed reduced text against the cuts (see [`verify`]).
fn check_reduced(
    mode: Mode,
    tree: &Tree,
    reduced: &ReducedText,
    checked: &verify::Runs,
    endings: &[Option<usize>],
) -> Option<()> {
    match mode {
        Mode::Entries => verify::entries(tree, reduced, checked),
        Mode::Documents => verify::documents(tree, reduced, endings, checked.names.get(&0)?),
    }
}

/// What the quick check reads from `text` taken as a run of top-level
/// entries: their keys, when it vouches for it. For the fuzzer, which
/// compares it with the parser.
pub(crate) fn quick_keys(text: &str) -> Option<Vec<String>> {
    let lines = Lines::new(text)?;
    let q = quick::check(&lines, 0..lines.count(), 0, 0)?;
    Some(q.keys.iter().map(|k| k.to_string()).collect())
}

/// One version (`lines`, whose lines are the `side`-th of each run's) with
/// its runs replaced by placeholders (ending like their runs: `endings`).
fn reduce_text(
    mode: Mode,
    lines: &Lines,
    runs: &[runs::Run],
    endings: &[Option<usize>],
    side: usize,
) -> ReducedText {
    let mut text = String::new();
    let mut at = Vec::with_capacity(runs.len());
    let mut next = 0;
    for (n, run) in runs.iter().enumerate() {
        let bytes = lines.bytes(&run.lines[side]);
        text.push_str(&lines.text[next..bytes.start]);
        at.push(text.len() as u32);
        text.push_str(&placeholder(mode, n, run.col, endings[n]));
        next = bytes.end;
    }
    text.push_str(&lines.text[next..]);
    ReducedText { text, at }
}

/// Parses the reduced versions, each of which must hold `marks` placeholder
/// names (one or two per run, see [`mark`]) and no others, read as YAML 1.2,
/// with no repeated key: the full path names those in notes with their
/// true lines.
fn parse_reduced<const N: usize>(
    reduced: &[ReducedText],
    names: [&str; N],
    marks: usize,
) -> Option<[Tree; N]> {
    let mut trees = Vec::with_capacity(N);
    for (r, name) in reduced.iter().zip(names) {
        if r.text.matches(PLACEHOLDER).count() != marks {
            // A version of the file holds the placeholder's name itself.
            return None;
        }
        let tree = syntax::parse(name, r.text.as_bytes()).ok()?;
        if has_alias(&tree) || !tree.lenient().is_empty() || repeats_a_key(&tree) {
            return None;
        }
        trees.push(tree);
    }
    trees.try_into().ok()
}
