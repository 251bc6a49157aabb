//! The orchestration of a merge, in one place: guard (no conflict markers
//! in an input) → parse → large-file shortcut → plan → render → validate →
//! line-merge fallback. Also home of the inputs and the one result type
//! that the command line and the reports render.
//!
//! Nothing here decides how entries merge (that is `merge`) or how text is
//! written (that is `render` and `conflict`); this module only chains the
//! stages and chooses between the structural result and git's line merge.

use crate::conflict::{self, Conflict};
use crate::error::{Error, Location, Result};
use crate::matching::{self, Side};
use crate::merge::{self, Change, MergeOptions, line_fallback, lines};
use crate::syntax::{self, Tree};
use crate::{diff, render, shortcut};

/// One input of a merge: a name for messages and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// Shown in error messages (a path, `-`, or a label).
    pub name: &'a str,
    /// The file's bytes.
    pub bytes: &'a [u8],
}

impl<'a> Input<'a> {
    /// Names some bytes.
    pub fn new(name: &'a str, bytes: &'a [u8]) -> Self {
        Input { name, bytes }
    }
}

/// How a result was produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// The structural YAML merge.
    #[default]
    Structural,
    /// The line-based fallback (an input was not YAML, or the structural
    /// result would not have been), like `git merge-file`.
    Lines,
    /// Nothing could be merged (a binary input); current was kept as it was.
    KeptCurrent,
}

impl Method {
    /// The name written in reports.
    pub fn name(self) -> &'static str {
        match self {
            Method::Structural => "structural",
            Method::Lines => "lines",
            Method::KeptCurrent => "kept-current",
        }
    }
}

/// The outcome of a merge: the text, what it holds, and how it was made.
/// `T` is `String` for [`merge`]; the commands that also merge text that is
/// not UTF-8 line by line (like git) hold bytes.
#[derive(Debug, Clone, Default)]
pub struct MergeResult<T = String> {
    /// The merged text (with conflict markers where needed).
    pub text: T,
    /// The conflicts written into `text`, in order.
    pub conflicts: Vec<Conflict>,
    /// The changes of each side that the result carries (none listed after
    /// a line merge).
    pub changes: Vec<Change>,
    /// `Structural`, or `Lines` when the structural result would not have
    /// been valid YAML and the inputs were merged line by line instead.
    pub method: Method,
    /// Why a line merge was used, for the person running the merge.
    pub notes: Vec<String>,
}

impl<T> MergeResult<T> {
    /// Merged, and without conflicts.
    pub fn is_clean(&self) -> bool {
        self.method != Method::KeptCurrent && self.conflicts.is_empty()
    }
}

impl MergeResult<String> {
    /// The same result with its text as bytes.
    pub fn into_bytes(self) -> MergeResult<Vec<u8>> {
        MergeResult {
            text: self.text.into_bytes(),
            conflicts: self.conflicts,
            changes: self.changes,
            method: self.method,
            notes: self.notes,
        }
    }
}

/// Merges `current` and `incoming`, both descended from `base`.
///
/// Errors when an input is not valid YAML (or holds conflict markers). When
/// the structural result would not be valid YAML, the inputs are merged
/// line by line instead ([`MergeResult::notes`] says so); a clean result is
/// always valid YAML. A key an input repeats is merged occurrence by
/// occurrence, with a note naming it.
pub fn merge(
    base: Input,
    current: Input,
    incoming: Input,
    opts: &MergeOptions,
) -> Result<MergeResult> {
    merge_placed([base, current, incoming], opts, &|at| at)
}

/// Where a note about an input points: its own place, or (for `solve`) the
/// place in the conflicted text the input was rebuilt from.
type Place<'a> = &'a dyn Fn(Location) -> Location;

/// [`merge`], with notes about the inputs pointing at `place(location)`.
fn merge_placed(inputs: [Input; 3], opts: &MergeOptions, place: Place) -> Result<MergeResult> {
    not_too_large(inputs)?;
    let (lines, reduced) = lines_and_reduced(inputs, opts, shortcut::MIN_TOTAL);
    if let Some(merged) = reduced.and_then(|r| through_shortcut(&r, opts, lines.as_deref())) {
        return Ok(merged);
    }
    full_path(inputs, opts, lines.as_deref(), place)
}

/// Refuses an input of 2 GiB or more: the line merge and the shortcut
/// count bytes and lines in 32 bits (signed, in the alignment's search).
fn not_too_large(inputs: [Input; 3]) -> Result<()> {
    match inputs
        .iter()
        .find(|x| i32::try_from(x.bytes.len()).is_err())
    {
        Some(x) => Err(Error::TooLarge {
            file: x.name.to_string(),
        }),
        None => Ok(()),
    }
}

/// From this total input size on, the line merge and the shortcut's
/// reduction run at the same time, on two threads: both read the whole
/// inputs, and a thread costs far less than either.
const PARALLEL_MIN: usize = 1 << 20;

/// Git's clean line merge of the inputs (see [`clean_line_merge`]) and the
/// inputs reduced by the shortcut for large files (`None` when it does not
/// apply below `min_total` bytes or at all), side by side on large inputs
/// where the machine has a second core.
fn lines_and_reduced<'a>(
    inputs: [Input<'a>; 3],
    opts: &MergeOptions,
    min_total: usize,
) -> (Option<Vec<u8>>, Option<shortcut::Reduced<'a>>) {
    let reduce = || shortcut::reduce(inputs.map(|x| x.name), inputs.map(|x| x.bytes), min_total);
    let total: usize = inputs.iter().map(|x| x.bytes.len()).sum();
    // Asked only for large inputs: it reads the process's CPU limits.
    let single_core = || std::thread::available_parallelism().map_or(true, |n| n.get() < 2);
    if total < PARALLEL_MIN.max(min_total) || single_core() {
        return (clean_line_merge(inputs, opts), reduce());
    }
    std::thread::scope(|s| {
        let lines = s.spawn(|| clean_line_merge(inputs, opts));
        let reduced = reduce();
        // A panic on the other thread is a bug: it surfaces as one here.
        let lines = lines
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (lines, reduced)
    })
}

/// Parses the inputs whole and merges them.
fn full_path(
    inputs: [Input; 3],
    opts: &MergeOptions,
    lines: Option<&[u8]>,
    place: Place,
) -> Result<MergeResult> {
    let trees = parse_three(inputs)?;
    let [b, c, i] = &trees;
    let mut merged = merge_trees([b, c, i], opts, lines)?;
    merged.notes.splice(0..0, lenient_notes(&trees, place));
    Ok(merged)
}

/// A note for each input read outside YAML 1.2, the way libyaml reads it
/// (see `syntax::Lenient`): where, and what was read there.
fn lenient_notes(trees: &[Tree; 3], place: Place) -> Vec<String> {
    trees
        .iter()
        .filter_map(Tree::lenient_note)
        .map(|(at, what)| format!("{}: {what}", place(at)))
        .collect()
}

/// Git's line merge of the inputs when it is clean (and not one input taken
/// whole, which the structural merge does for free): the candidate result
/// [`merge_trees`] checks before merging entry by entry.
fn clean_line_merge(inputs: [Input; 3], opts: &MergeOptions) -> Option<Vec<u8>> {
    let [b, c, i] = inputs.map(|x| x.bytes);
    if b == c || b == i || c == i {
        return None;
    }
    clean_lines([b, c, i], opts, false)
}

/// The line merge of three texts (Myers alignment, or patience when
/// `anchored`) when it is clean, with no side preferred: a conflict
/// `--prefer` would settle is a conflict here.
fn clean_lines(texts: [&[u8]; 3], opts: &MergeOptions, anchored: bool) -> Option<Vec<u8>> {
    let [b, c, i] = texts;
    let unresolved = MergeOptions {
        prefer: None,
        ..opts.clone()
    };
    let merged = if anchored {
        lines::merge_lines_anchored(b, c, i, &unresolved)
    } else {
        lines::merge_lines(b, c, i, &unresolved)
    };
    merged.conflicts.is_empty().then_some(merged.text)
}

/// The two routes [`merge`] chooses between, for tests and the fuzzer, which
/// check that they agree.
#[doc(hidden)]
pub mod routes {
    use super::*;

    /// Always the full path: every input parsed and merged whole.
    pub fn full(
        base: Input,
        current: Input,
        incoming: Input,
        opts: &MergeOptions,
    ) -> Result<MergeResult> {
        let inputs = [base, current, incoming];
        let lines = clean_line_merge(inputs, opts);
        full_path(inputs, opts, lines.as_deref(), &|at| at)
    }

    /// The shortcut for large files (top-level entries that all three
    /// versions share are parsed once and not merged) whatever the inputs'
    /// size; `None` when it does not apply.
    pub fn shortcut(
        base: Input,
        current: Input,
        incoming: Input,
        opts: &MergeOptions,
    ) -> Option<MergeResult> {
        let (lines, reduced) = lines_and_reduced([base, current, incoming], opts, 0);
        through_shortcut(&reduced?, opts, lines.as_deref())
    }

    /// The keys of `text`'s top-level entries as the shortcut's quick check
    /// reads them, when it vouches for the text (valid YAML, a block mapping
    /// without aliases or duplicate keys below its top level, ending with
    /// its last entry); `None` when it leaves the text to the parser. For
    /// the fuzzer, which compares it with the parser.
    pub fn quick_keys(text: &str) -> Option<Vec<String>> {
        shortcut::quick_keys(text)
    }

    /// How deep [`shortcut`] cuts these inputs: the number of mappings
    /// below the top level its deepest placeholder sits in (0 for top-level
    /// entries or documents); `None` when it does not apply. For the tests
    /// and the fuzzer, which count how often nested cuts are exercised.
    pub fn shortcut_depth(base: Input, current: Input, incoming: Input) -> Option<u32> {
        let inputs = [base, current, incoming];
        shortcut::reduce(inputs.map(|x| x.name), inputs.map(|x| x.bytes), 0).map(|r| r.deepest)
    }
}

/// The merge of the inputs reduced by the large-file shortcut, with the
/// untouched runs put back (git's clean line merge `lines` of the whole
/// inputs when it passes the checks); `None` when the shortcut cannot say.
fn through_shortcut(
    reduced: &shortcut::Reduced,
    opts: &MergeOptions,
    lines: Option<&[u8]>,
) -> Option<MergeResult> {
    let [b, c, i] = &reduced.trees;
    if let Some(text) = lines {
        // Git's clean line merge of the whole texts, checked on the reduced
        // trees (never a line merge of the reduced texts: it could align
        // lines differently and be clean where the whole one is not).
        let merged = reduced.reduce_merged(text)?;
        match check_line_merge([b, c, i], &merged) {
            Ok(changes) => return Some(line_merged(text, changes)),
            // The second opinion needs the whole texts: the full path.
            Err(LineMergeFault::Copies) => return None,
            Err(LineMergeFault::Other) => {}
        }
    }
    structural_through_shortcut(reduced, opts)
}

/// The entry-by-entry merge of the reduced trees, the untouched runs put
/// back.
fn structural_through_shortcut(
    reduced: &shortcut::Reduced,
    opts: &MergeOptions,
) -> Option<MergeResult> {
    let [b, c, i] = &reduced.trees;
    let merged = merge_trees([b, c, i], opts, None).ok()?;
    if merged.method != Method::Structural {
        // A line merge of the reduced texts would align lines differently
        // from one of the whole files.
        return None;
    }
    let (text, conflicts) = reduced.restore(&merged.text, merged.conflicts)?;
    Some(MergeResult {
        text,
        conflicts,
        ..merged
    })
}

/// Merges structurally, or line by line like `git merge-file` (with a note
/// naming `subject`) when an input is not valid YAML, when none of them
/// holds YAML data (text that parses only as one plain scalar), or when the
/// structural merge could not produce valid YAML: what the commands git runs
/// on any file (`merge-file`, `git-driver`) need, so that a merge never comes
/// out worse than git's own.
pub fn merge_or_lines(
    base: Input,
    current: Input,
    incoming: Input,
    opts: &MergeOptions,
    subject: &str,
) -> Result<MergeResult<Vec<u8>>> {
    not_too_large([base, current, incoming])?;
    // One parse serves both the structural merge and the question whether
    // the inputs hold YAML data at all.
    let note = match merge_structured([base, current, incoming], opts) {
        Ok(Some((mut merged, lenient))) => {
            // Notes of a line merge the structural one fell back to; those
            // about the inputs name them already.
            for note in &mut merged.notes {
                *note = format!("{subject}: {note}");
            }
            merged.notes.splice(0..0, lenient);
            return Ok(merged.into_bytes());
        }
        Ok(None) => {
            format!(
                "{subject}: no YAML mappings or lists (plain text); merged line by line like git"
            )
        }
        Err(e @ Error::Syntax { .. }) => {
            format!("{subject}: not valid YAML ({e}); merged line by line like git")
        }
        Err(e) => return Err(e),
    };
    let merged = lines::merge_lines(base.bytes, current.bytes, incoming.bytes, opts);
    Ok(MergeResult {
        text: merged.text,
        conflicts: merged.conflicts,
        changes: Vec::new(),
        method: Method::Lines,
        notes: vec![note],
    })
}

/// Like [`merge`], but `None` when no input holds a mapping or a sequence
/// (prose parses as one plain scalar); the notes about inputs read outside
/// YAML 1.2 come apart from the result's.
fn merge_structured(
    inputs: [Input; 3],
    opts: &MergeOptions,
) -> Result<Option<(MergeResult, Vec<String>)>> {
    // The shortcut applies only to a top-level block mapping: YAML data.
    let (lines, reduced) = lines_and_reduced(inputs, opts, shortcut::MIN_TOTAL);
    if let Some(merged) = reduced.and_then(|r| through_shortcut(&r, opts, lines.as_deref())) {
        return Ok(Some((merged, Vec::new())));
    }
    let trees = parse_three(inputs)?;
    let structured = trees.iter().any(|t| {
        t.documents()
            .iter()
            .any(|d| t.node(d.root).kind.is_collection())
    });
    if !structured {
        return Ok(None);
    }
    let [b, c, i] = &trees;
    let merged = merge_trees([b, c, i], opts, lines.as_deref())?;
    Ok(Some((merged, lenient_notes(&trees, &|at| at))))
}

/// Merges three parsed versions (see [`merge_checked`]); the notes name
/// the keys an input repeats first.
fn merge_trees(
    trees: [&Tree; 3],
    opts: &MergeOptions,
    lines: Option<&[u8]>,
) -> Result<MergeResult> {
    let mut merged = merge_checked(trees, opts, lines)?;
    let mut notes = matching::repeated_key_notes(&trees, "merged");
    notes.append(&mut merged.notes);
    merged.notes = notes;
    Ok(merged)
}

/// Merges three parsed versions: git's clean line merge `lines` of them
/// when it passes the checks, else entry by entry (planned, rendered and
/// validated; a result that would not parse is redone without line merges,
/// then merged line by line).
fn merge_checked(
    trees: [&Tree; 3],
    opts: &MergeOptions,
    lines: Option<&[u8]>,
) -> Result<MergeResult> {
    let sources = trees.map(|t| t.source().as_bytes());
    let opts = MergeOptions {
        marker_size: conflict::marker_size_for(opts.marker_size, &sources),
        ..opts.clone()
    };
    if let Some(text) = lines
        && let Some(merged) = checked_line_merge(trees, text, &opts)
    {
        return Ok(merged);
    }
    let [b, c, i] = trees;
    let mut last_error = None;
    for line_merge in [true, false] {
        let plan = merge::plan(b, c, i, &opts, line_merge)?;
        let rendered = render::render(&plan, trees, &opts);
        // Only one input copied whole is sure to stay valid: even whole
        // entries at their own indentation can lose the anchor an alias
        // needs, the `%TAG` a tag needs or the `---` a document needs when
        // pieces of different versions meet (found by fuzzing), so any other
        // clean result is checked before it is handed out.
        if !rendered.conflicts.is_empty() || (plan.whole_file && !rendered.rewritten) {
            return Ok(finish(rendered, plan, trees, opts.prefer));
        }
        match syntax::validate("merged result", &rendered.text) {
            Ok(_) => return Ok(finish(rendered, plan, trees, opts.prefer)),
            Err(e) => last_error = Some(e),
        }
    }
    // Inputs that each parse must still merge: line by line, like git.
    let why = last_error.map_or_else(String::new, |e| e.to_string());
    let lines = line_fallback::merge_by_lines(trees, &opts, &why);
    Ok(MergeResult {
        text: lines.text,
        conflicts: lines.conflicts,
        changes: Vec::new(),
        method: Method::Lines,
        notes: lines.notes,
    })
}

/// Git's clean line merge `text` of three versions when it passes
/// [`check_line_merge`]. Where it wrote an item or document more often
/// than a side has it, the sides' Myers alignments placed one insertion
/// both made at two places: the line merge aligned by patience is asked
/// instead (git's diff breaks such ties its own way).
fn checked_line_merge(trees: [&Tree; 3], text: &[u8], opts: &MergeOptions) -> Option<MergeResult> {
    let merged = syntax::parse("merged result", text).ok()?;
    match check_line_merge(trees, &merged) {
        Ok(changes) => Some(line_merged(text, changes)),
        Err(LineMergeFault::Copies) => {
            let again = clean_lines(trees.map(|t| t.source().as_bytes()), opts, true)?;
            let merged = syntax::parse("merged result", &again).ok()?;
            let changes = check_line_merge(trees, &merged).ok()?;
            Some(line_merged(&again, changes))
        }
        Err(LineMergeFault::Other) => None,
    }
}

/// Why a clean line merge is not the result.
enum LineMergeFault {
    /// It holds an item or document more often than a side does.
    Copies,
    /// It repeats a key or misses a change.
    Other,
}

/// Checks git's clean line merge of three versions (parsed as `merged`):
/// repeating no key that no input repeats, holding no item or document more
/// often than a side does, and holding every change of both sides, it is the result, byte for byte what `git merge-file` gives;
/// structure only adds merges where lines conflict, never takes one away.
/// Returns what each side changed. (A clean line merge can still be wrong:
/// an edit applied to a look-alike item, or a key both sides added in two
/// places; those go to the structural merge.)
fn check_line_merge(trees: [&Tree; 3], merged: &Tree) -> Result<Vec<Change>, LineMergeFault> {
    if !matching::repeats_only_inputs((merged, None), trees.map(|t| (t, None))) {
        return Err(LineMergeFault::Other);
    }
    let [b, c, i] = trees;
    if matching::copies_more_than_sides((merged, None), [(c, None), (i, None)]) {
        return Err(LineMergeFault::Copies);
    }
    if !diff::holds_changes(b, merged, [c, i]) {
        return Err(LineMergeFault::Other);
    }
    Ok(side_changes(trees))
}

/// The result of a line merge that passed [`check_line_merge`].
fn line_merged(text: &[u8], changes: Vec<Change>) -> MergeResult {
    MergeResult {
        text: String::from_utf8_lossy(text).into_owned(),
        conflicts: Vec::new(),
        changes,
        method: Method::Structural,
        notes: Vec::new(),
    }
}

/// What each side changed from base, by path, for the summary and the
/// report of a result that was not merged entry by entry.
fn side_changes([b, c, i]: [&Tree; 3]) -> Vec<Change> {
    let mut changes = Vec::new();
    for (side, tree) in [(Side::Current, c), (Side::Incoming, i)] {
        if tree.source() == b.source() {
            continue;
        }
        // Only the report depends on this list: a comparison that fails
        // leaves it short rather than failing the merge.
        // Comment edits count, as they do where the merge goes entry by entry.
        let opts = diff::changes::CompareOptions { comments: true };
        let diffs = diff::changes::compare(b, tree, opts).unwrap_or_default();
        let mut listed = std::collections::HashSet::new();
        changes.extend(
            diffs
                .into_iter()
                .map(|d| Change {
                    path: d.path,
                    side,
                    kind: d.kind.into(),
                })
                // A value and its comment both edited: one change.
                .filter(|c| listed.insert((c.path.clone(), c.kind))),
        );
    }
    changes
}

/// Checks the inputs for conflict markers and parses them, side by side on
/// separate threads when they are large enough for that to pay (parsing is
/// most of a merge's time). Large inputs only come here when the shortcut
/// cannot cut them; the threads cost no CPU time there (measured: the same
/// user + system time with and without them), and shorten the wait when a
/// core is free.
fn parse_three(inputs: [Input; 3]) -> Result<[Tree; 3]> {
    const PARALLEL_FROM: usize = 256 * 1024;
    for x in inputs {
        no_conflict_markers(x)?;
    }
    let parse = |x: Input| syntax::parse(x.name, x.bytes);
    let [b, c, i] = inputs;
    if inputs.iter().map(|x| x.bytes.len()).sum::<usize>() < PARALLEL_FROM {
        return Ok([parse(b)?, parse(c)?, parse(i)?]);
    }
    std::thread::scope(|s| {
        let hb = s.spawn(move || parse(b));
        let hc = s.spawn(move || parse(c));
        let ti = parse(i);
        let join = |h: std::thread::ScopedJoinHandle<'_, Result<Tree>>| {
            h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
        };
        let (tb, tc) = (join(hb), join(hc));
        Ok([tb?, tc?, ti?])
    })
}

/// The guard: fails when `input` holds a conflict left by an earlier merge.
/// Such a file is not the YAML its author meant, even when it happens to
/// parse (as one long plain scalar, say); merging it again would bury the
/// old conflict in new text. Marker-like lines that do not form a conflict
/// are left alone.
fn no_conflict_markers(input: Input) -> Result<()> {
    let Some((open, close)) = conflict::find_conflict(input.bytes) else {
        return Ok(());
    };
    Err(Error::Syntax {
        at: Location {
            file: input.name.to_string(),
            line: open,
            col: 1,
        },
        reason: format!(
            "this file already holds git conflict markers (`<<<<<<<` here, \
             `>>>>>>>` at line {close}): finish that merge first; \
             `yamerge solve FILE` re-merges them structurally"
        ),
    })
}

fn finish(
    rendered: render::Rendered,
    plan: merge::Plan,
    trees: [&Tree; 3],
    prefer: Option<Side>,
) -> MergeResult {
    let mut changes = plan.changes;
    if plan.whole_file {
        // The engine took one input whole without looking inside.
        changes.extend(side_changes(trees));
    }
    MergeResult {
        text: rendered.text,
        conflicts: rendered.conflicts,
        changes,
        method: Method::Structural,
        notes: plan
            .notes
            .into_iter()
            .chain(preferred_note(&plan.preferred, prefer))
            .collect(),
    }
}

/// Says which conflicts `--prefer` resolved: the summary counts none.
fn preferred_note(paths: &[String], prefer: Option<Side>) -> Option<String> {
    let side = prefer.filter(|_| !paths.is_empty())?;
    let shown: Vec<&str> = paths
        .iter()
        .map(|p| {
            if p.is_empty() {
                "(document)"
            } else {
                p.as_str()
            }
        })
        .collect();
    Some(format!(
        "{} resolved to {}'s version (--prefer): {}",
        match shown.len() {
            1 => "1 conflict".to_string(),
            n => format!("{n} conflicts"),
        },
        side.name(),
        shown.join(", ")
    ))
}

/// Re-merges a text that holds conflict markers with base sections (what
/// `yamerge solve` and an editor's "merge structurally" do): the three
/// versions are rebuilt from it and merged in current's layout with the
/// text's own labels and marker size. `None` when it holds no conflict.
/// Errors point into the conflicted text.
pub fn solve(
    name: &str,
    text: &[u8],
    style: conflict::ConflictStyle,
) -> Result<Option<MergeResult>> {
    let at_line = |line: usize, reason: String| Error::Syntax {
        at: Location {
            file: name.to_string(),
            line,
            col: 1,
        },
        reason,
    };
    let conflicted = conflict::ConflictedText::read(text).map_err(|e| at_line(e.line, e.reason))?;
    let Some(first) = conflicted.hunks().next() else {
        return Ok(None);
    };
    let versions = conflicted.versions().map_err(|e| {
        at_line(
            e.line,
            format!(
                "{}; yamerge solve needs diff3 markers: re-create them with \
                 `git checkout --conflict=diff3 -- FILE` and set \
                 `git config merge.conflictStyle diff3` for next time",
                e.reason
            ),
        )
    })?;
    let opts = MergeOptions {
        layout: Side::Current,
        style,
        labels: first.labels.clone(),
        marker_size: first.marker_size,
        prefer: None,
    };
    let names = SIDES.map(|side| format!("{name} ({})", side.name()));
    let input = |side: Side| Input::new(&names[side.index()], &versions.text[side.index()]);
    let inputs = SIDES.map(input);
    let place =
        |at: Location| relocate(at, name, &names, &versions).map_or_else(|at| at, |(at, _)| at);
    merge_placed(inputs, &opts, &place)
        .map(Some)
        .map_err(|e| locate(e, name, &names, &versions))
}

const SIDES: [Side; 3] = [Side::Base, Side::Current, Side::Incoming];

/// Points an error in a version rebuilt from a conflicted text at the text
/// and line the user has open, rather than at a line of a version that
/// exists nowhere.
fn locate(e: Error, name: &str, names: &[String; 3], versions: &conflict::Versions) -> Error {
    let Error::Syntax { at, reason } = e else {
        return e;
    };
    match relocate(at, name, names, versions) {
        Err(at) => Error::Syntax { at, reason },
        Ok((at, side)) => Error::Syntax {
            at,
            reason: format!(
                "{reason} (in the {} version rebuilt from the conflicts)",
                side.name()
            ),
        },
    }
}

/// The place in the conflicted text `name` of a place in one of the
/// versions rebuilt from it (named `names`), and which version that is;
/// any other place back as it was.
fn relocate(
    at: Location,
    name: &str,
    names: &[String; 3],
    versions: &conflict::Versions,
) -> Result<(Location, Side), Location> {
    let Some(k) = names.iter().position(|n| *n == at.file) else {
        return Err(at);
    };
    let lines = &versions.lines[k];
    let past_end = lines.last().map_or(1, |l| l + 1);
    let line = lines
        .get(at.line.saturating_sub(1))
        .copied()
        .unwrap_or(past_end);
    let at = Location {
        file: name.to_string(),
        line,
        col: at.col,
    };
    Ok((at, SIDES[k]))
}
#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<()> {
        no_conflict_markers(Input::new("f.yaml", text.as_bytes()))
    }

    #[test]
    fn a_whole_conflict_is_refused_with_its_place() {
        let text = "a: 1\n<<<<<<< ours\nb: 2\n||||||| base\nb: 1\n=======\nb: 3\n>>>>>>> theirs\n";
        let e = check(text).unwrap_err().to_string();
        assert!(
            e.starts_with("f.yaml:2:1: this file already holds git conflict markers"),
            "{e}"
        );
        assert!(e.contains("at line 8"), "{e}");
        assert!(e.contains("yamerge solve"), "{e}");
        // Other marker sizes and CRLF too.
        let text = "<<<<<<<<<\r\nx\r\n=========\r\ny\r\n>>>>>>>>> b\r\n";
        assert!(check(text).is_err());
    }

    #[test]
    fn marker_like_lines_that_are_no_conflict_pass() {
        for text in [
            "a: |\n  <<<<<<< x\n  =======\n  >>>>>>> y\n",
            "# =======\na: 1\n",
            "<<<<<<< x\nonly an opening\n",
            "=======\n>>>>>>> y\n",
            "<<<<<< six\n======\n>>>>>> six\n",
            "<<<<<<<x\n=======\n>>>>>>>x\n",
        ] {
            assert!(check(text).is_ok(), "{text}");
        }
    }

    fn run(b: &str, c: &str, i: &str) -> MergeResult<Vec<u8>> {
        let opts = MergeOptions {
            layout: crate::Side::Current,
            ..MergeOptions::default()
        };
        merge_or_lines(
            Input::new("b", b.as_bytes()),
            Input::new("c", c.as_bytes()),
            Input::new("i", i.as_bytes()),
            &opts,
            "f",
        )
        .unwrap()
    }

    #[test]
    fn yaml_is_merged_structurally() {
        let o = run("a: 1\nb: 1\n", "a: 2\nb: 1\n", "a: 1\nb: 3\n");
        assert_eq!(o.method, Method::Structural);
        assert_eq!(o.text, b"a: 2\nb: 3\n");
        assert!(o.notes.is_empty());
    }

    #[test]
    fn invalid_yaml_falls_back_with_a_note() {
        let o = run("a: [\nx\n", "a: [\nx\ny\n", "z\na: [\nx\n");
        assert_eq!(o.method, Method::Lines);
        assert_eq!(o.text, b"z\na: [\nx\ny\n");
        assert!(
            o.notes[0].starts_with("f: not valid YAML (b:"),
            "{:?}",
            o.notes
        );
    }

    #[test]
    fn plain_text_falls_back() {
        let o = run("one\ntwo\n", "one\n2\n", "1\ntwo\n");
        assert_eq!(o.method, Method::Lines);
        assert_eq!(o.conflicts.len(), 1);
        assert!(o.notes[0].contains("plain text"));
    }

    #[test]
    fn a_repeated_key_is_merged_with_a_note_naming_it() {
        let o = run(
            "a: 1\na: 1\nb: 1\n",
            "a: 1\na: 1\nb: 2\n",
            "a: 2\na: 1\nb: 1\n",
        );
        assert_eq!(o.method, Method::Structural);
        assert_eq!(o.text, b"a: 2\na: 1\nb: 2\n");
        assert_eq!(
            o.notes,
            [
                "f: duplicate key a (again at b:2:1, c:2:1, i:2:1): its occurrences are paired \
              by order with the other versions' (the first with the first, the second with \
              the second) and merged"
            ]
        );
    }

    #[test]
    fn a_structural_result_that_would_not_parse_falls_back_with_a_named_note() {
        // Incoming removes the anchor current's new alias needs.
        let o = run("a: &x 1\nb: 1\n", "a: &x 1\nb: 1\nc: *x\n", "a: 2\nb: 1\n");
        assert_eq!(o.method, Method::Lines);
        assert_eq!(o.conflicts.len(), 1);
        assert!(
            o.notes[0].starts_with("f: the structural merge would not give valid YAML"),
            "{:?}",
            o.notes
        );
    }
}
