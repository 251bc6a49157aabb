//! yamerge: structural three-way merges of YAML that keep every comment,
//! blank line and quote of the inputs.
//!
//! The pipeline has one module per stage: [`syntax`] (bytes → lossless tree),
//! `diff` (what matches what), `merge` (the decisions) and [`render`]
//! (bytes and conflict markers), with the command line in [`cli`].
//!
//! ```
//! let opts = yamerge::MergeOptions::default();
//! let merged = yamerge::merge(
//!     yamerge::Input::new("base", b"a: 1\nb: 1\n"),
//!     yamerge::Input::new("current", b"a: 2\nb: 1\n"),
//!     yamerge::Input::new("incoming", b"a: 1\nb: 3\n"),
//!     &opts,
//! )
//! .unwrap();
//! assert_eq!(merged.text, "a: 2\nb: 3\n");
//! assert!(merged.conflicts.is_empty());
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod chunks;
pub mod cli;
pub mod conflict;
pub(crate) mod diff;
pub mod error;
mod guard;
pub(crate) mod matching;
pub(crate) mod merge;
pub(crate) mod palette;
pub mod render;
pub mod report;
pub mod syntax;

pub use conflict::{Conflict, ConflictStyle};
pub use error::{Error, Result};
pub use matching::Side;
pub use merge::{Change, ChangeKind};

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

/// How to merge and how to write the result.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    /// The side whose text, comments and order the result is built from
    /// (`Incoming` or `Current`).
    pub layout: Side,
    /// How conflicts are written.
    pub style: ConflictStyle,
    /// Labels for the current, base and incoming conflict sections.
    pub labels: [String; 3],
    /// Requested conflict marker length; grown when an input already holds
    /// marker-like lines.
    pub marker_size: usize,
    /// Resolve conflicts to this side instead of writing markers.
    pub prefer: Option<Side>,
}

impl Default for MergeOptions {
    fn default() -> Self {
        MergeOptions {
            layout: Side::Incoming,
            style: ConflictStyle::Diff3,
            labels: ["current".into(), "base".into(), "incoming".into()],
            marker_size: 7,
            prefer: None,
        }
    }
}

/// The outcome of a merge.
#[derive(Debug, Clone, Default)]
pub struct MergeResult {
    /// The merged text (with conflict markers where needed).
    pub text: String,
    /// The conflicts written into `text`, in order.
    pub conflicts: Vec<Conflict>,
    /// The changes of each side that the result carries (none listed after
    /// a line merge).
    pub changes: Vec<Change>,
    /// `Structural`, or `Lines` when the structural result would not have
    /// been valid YAML and the inputs were merged line by line instead.
    pub method: report::Method,
    /// Why a line merge was used, for the person running the merge.
    pub notes: Vec<String>,
}

/// Merges `current` and `incoming`, both descended from `base`.
///
/// Errors when an input is not valid YAML (or holds a duplicate key or
/// conflict markers). When the structural result would not be valid YAML,
/// the inputs are merged line by line instead ([`MergeResult::notes`] says
/// so); a clean result is always valid YAML.
pub fn merge(
    base: Input,
    current: Input,
    incoming: Input,
    opts: &MergeOptions,
) -> Result<MergeResult> {
    if let Some(merged) = chunks::merge(base, current, incoming, opts, chunks::MIN_TOTAL) {
        return Ok(merged);
    }
    routes::full(base, current, incoming, opts)
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
        let (b, c, i) = parse_three(base, current, incoming)?;
        merge_trees(&b, &c, &i, opts)
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
        chunks::merge(base, current, incoming, opts, 0)
    }
}

/// Like [`merge`], but `None` when no input holds a mapping or a sequence
/// (prose parses as one plain scalar): callers that can fall back to a line
/// merge learn that without parsing the inputs twice.
pub(crate) fn merge_structured(
    base: Input,
    current: Input,
    incoming: Input,
    opts: &MergeOptions,
) -> Result<Option<MergeResult>> {
    // The shortcut applies only to a top-level block mapping: YAML data.
    if let Some(merged) = chunks::merge(base, current, incoming, opts, chunks::MIN_TOTAL) {
        return Ok(Some(merged));
    }
    let (b, c, i) = parse_three(base, current, incoming)?;
    let structured = [&b, &c, &i].iter().any(|t| {
        t.documents()
            .iter()
            .any(|d| t.node(d.root).kind.is_collection())
    });
    if !structured {
        return Ok(None);
    }
    merge_trees(&b, &c, &i, opts).map(Some)
}

pub(crate) fn merge_trees(
    b: &syntax::Tree,
    c: &syntax::Tree,
    i: &syntax::Tree,
    opts: &MergeOptions,
) -> Result<MergeResult> {
    // Refused even where the engine would not look inside (an input taken
    // whole), so that whether a duplicate key stops a merge does not depend
    // on what the other side changed.
    for t in [b, c, i] {
        matching::check_unique_keys(t)?;
    }
    let marker_size =
        conflict::marker_size_for(opts.marker_size, &[b, c, i].map(|t| t.source().as_bytes()));
    let render_opts = render::RenderOptions {
        style: opts.style,
        labels: opts.labels.clone(),
        marker_size,
        prefer: opts.prefer,
    };
    let mut last_error = None;
    for line_merge in [true, false] {
        let plan = merge::plan(b, c, i, opts.layout, line_merge)?;
        let rendered = render::render(&plan, [b, c, i], opts.layout, &render_opts);
        // Only one input copied whole is sure to stay valid: even whole
        // entries at their own indentation can lose the anchor an alias
        // needs, the `%TAG` a tag needs or the `---` a document needs when
        // pieces of different versions meet (found by fuzzing), so any other
        // clean result is checked before it is handed out.
        if !rendered.conflicts.is_empty() || (plan.whole_file && !rendered.rewritten) {
            return Ok(finish(rendered, plan, [b, c, i]));
        }
        match syntax::validate("merged result", &rendered.text) {
            Ok(_) => return Ok(finish(rendered, plan, [b, c, i])),
            Err(e) => last_error = Some(e),
        }
    }
    // Inputs that each parse must still merge: line by line, like git.
    let why = last_error.map_or_else(String::new, |e| e.to_string());
    let lines = merge::line_fallback::merge_by_lines([b, c, i], &render_opts, &why);
    Ok(MergeResult {
        text: lines.text,
        conflicts: lines.conflicts,
        changes: Vec::new(),
        method: report::Method::Lines,
        notes: lines.notes,
    })
}

/// Parses the three inputs, side by side on separate threads when they are
/// large enough for that to pay (parsing is most of a merge's time).
fn parse_three(b: Input, c: Input, i: Input) -> Result<(syntax::Tree, syntax::Tree, syntax::Tree)> {
    const PARALLEL_FROM: usize = 256 * 1024;
    for x in [b, c, i] {
        guard::no_conflict_markers(x)?;
    }
    let parse = |x: Input| syntax::parse(x.name, x.bytes);
    if b.bytes.len() + c.bytes.len() + i.bytes.len() < PARALLEL_FROM {
        return Ok((parse(b)?, parse(c)?, parse(i)?));
    }
    std::thread::scope(|s| {
        let hb = s.spawn(move || parse(b));
        let hc = s.spawn(move || parse(c));
        let ti = parse(i);
        let join = |h: std::thread::ScopedJoinHandle<'_, Result<syntax::Tree>>| {
            h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
        };
        let (tb, tc) = (join(hb), join(hc));
        Ok((tb?, tc?, ti?))
    })
}

fn finish(
    rendered: render::Rendered,
    plan: merge::Plan,
    [b, c, i]: [&syntax::Tree; 3],
) -> MergeResult {
    let mut changes = plan.changes;
    if plan.whole_file {
        // The engine took one input whole without looking inside: list what
        // each side changed from base, for the summary and the report.
        for (side, tree) in [(Side::Current, c), (Side::Incoming, i)] {
            if tree.source() == b.source() {
                continue;
            }
            // Only the report depends on this list: a comparison that fails
            // (a duplicate key, say) leaves it short rather than failing the merge.
            let diffs = diff::changes::compare(b, tree, diff::changes::CompareOptions::default())
                .unwrap_or_default();
            changes.extend(diffs.into_iter().map(|d| Change {
                path: d.path,
                side,
                kind: match d.kind {
                    diff::changes::DiffKind::Added => ChangeKind::Added,
                    diff::changes::DiffKind::Removed => ChangeKind::Removed,
                    _ => ChangeKind::Changed,
                },
            }));
        }
    }
    MergeResult {
        text: rendered.text,
        conflicts: rendered.conflicts,
        changes,
        method: report::Method::Structural,
        notes: Vec::new(),
    }
}
