//! The structural three-way merge: decides, entry by entry, which version's
//! text goes into the result, and where both sides changed the same thing.
//!
//! The result is a [`Plan`]: pieces of the three source texts (with the
//! indentation shift they need), a few owned strings from line merges, and
//! conflicts. This stage never builds output text itself and never drops a
//! change: every decision either takes a side's text or records a conflict.

mod collections;
mod documents;
mod engine;
mod flow_items;
mod flow_spelling;
mod flows;
mod keyed;
pub(crate) mod line_fallback;
mod line_parts;
mod line_writer;
pub(crate) mod lines;
mod local_lines;
mod moves;
mod order;
mod scalars;
mod sequences;
mod text;
mod trivial;
mod value_lines;

use crate::conflict::{ConflictStyle, Markers};
pub use crate::matching::Side;
pub(crate) use engine::plan;
pub(crate) use text::shift_text;
pub(crate) use trivial::{Pick, trivial_merge};

/// How to merge and how to write the result: the one options value, passed
/// down from the command line to the merge, the renderer and the line merge.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    /// The side whose text, comments and order the result is built from
    /// (`Incoming` or `Current`).
    pub layout: Side,
    /// How conflicts are written.
    pub style: ConflictStyle,
    /// Labels for the current, base and incoming conflict sections (the
    /// order of the markers).
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

impl MergeOptions {
    /// The side that is not the layout.
    pub(crate) fn other(&self) -> Side {
        if self.layout == Side::Incoming {
            Side::Current
        } else {
            Side::Incoming
        }
    }

    /// How conflicts are written, with marker lines ending in `eol`.
    pub(crate) fn markers<'a>(&'a self, eol: &'a str) -> Markers<'a> {
        let [c, b, i] = &self.labels;
        Markers {
            style: self.style,
            labels: [c, b, i],
            size: self.marker_size,
            eol,
        }
    }
}

/// A run of one version's text, re-indented from `from_col` to `to_col`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Copy {
    pub side: Side,
    pub start: u32,
    pub end: u32,
    pub from_col: u32,
    pub to_col: u32,
    /// What the range holds.
    pub unit: Unit,
}

/// What a copied range holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// A piece of text (trivia, a header).
    Text,
    /// A whole entry or item: when placed mid-line (after `- `) its first
    /// line's indentation is dropped; when placed at a line start although
    /// it started mid-line in its source, it is indented to `to_col`.
    Entry,
    /// A whole document: placed after another document, it gets a `---`
    /// line if it has none.
    Document,
}

/// A piece of the merge result.
#[derive(Debug, Clone)]
pub(crate) enum Piece {
    Copy(Copy),
    Owned(String),
    Conflict(Box<ConflictPieces>),
}

/// Both sides changed the same thing: the three versions of it.
#[derive(Debug, Clone)]
pub(crate) struct ConflictPieces {
    pub path: String,
    pub current: Vec<Piece>,
    pub base: Vec<Piece>,
    pub incoming: Vec<Piece>,
}

/// What kind of change a side made at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// The entry is new.
    Added,
    /// The entry was removed.
    Removed,
    /// The entry's value, comments or formatting changed.
    Changed,
    /// The order of the collection's keys, keyed items or documents changed
    /// (named by the collection's path).
    Reordered,
}

impl ChangeKind {
    /// The lowercase name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
            ChangeKind::Reordered => "reordered",
        }
    }
}

impl From<crate::diff::changes::DiffKind> for ChangeKind {
    /// A comment-only change counts as a change of its entry.
    fn from(kind: crate::diff::changes::DiffKind) -> Self {
        use crate::diff::changes::DiffKind;
        match kind {
            DiffKind::Added => ChangeKind::Added,
            DiffKind::Removed => ChangeKind::Removed,
            DiffKind::Changed | DiffKind::Comment => ChangeKind::Changed,
            DiffKind::Reordered => ChangeKind::Reordered,
        }
    }
}

/// A change from one side that the merge result carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// YAML path (`a.b[name=x].c`); empty for the whole document.
    pub path: String,
    /// The side that made it.
    pub side: Side,
    /// What happened.
    pub kind: ChangeKind,
}

/// The merge decisions, ready to render.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    pub pieces: Vec<Piece>,
    pub changes: Vec<Change>,
    /// The whole result is one input as it is (a side unchanged, or both
    /// equal): `changes` is then left for the caller to list.
    pub whole_file: bool,
    /// The paths of the conflicts `--prefer` resolved.
    pub preferred: Vec<String>,
    /// How many conflicts the merge found (those `--prefer` resolved too).
    pub conflicts: usize,
    /// What the person merging should know about a decision (a conflict
    /// made because occurrences of a repeated key could not be paired).
    pub notes: Vec<String>,
    /// Whether the result ends with a line break, where the merge decided
    /// it: the file's last line break is merged like any change (a side that
    /// added it keeps it even where the other side's text ends the file).
    pub final_line_break: Option<bool>,
}

/// Helpers for the unit tests of the merge's parts: a plan shown as the
/// pieces it copies, without the renderer (a later stage).
#[cfg(test)]
pub(crate) mod testing {
    use super::{MergeOptions, Piece, Plan, Side, plan};
    use crate::syntax::{Tree, parse};

    /// The plan of a merge, with the parsed versions.
    pub(crate) fn plan_of(b: &str, c: &str, i: &str, layout: Side) -> (Plan, [Tree; 3]) {
        let trees = [("b", b), ("c", c), ("i", i)].map(|(n, t)| parse(n, t.as_bytes()).unwrap());
        let opts = MergeOptions {
            layout,
            ..MergeOptions::default()
        };
        let p = plan(&trees[0], &trees[1], &trees[2], &opts, true).unwrap();
        (p, trees)
    }

    /// The pieces of a plan: copied text as it stands in its version (not
    /// re-indented), owned text, and `!conflict at PATH` lines.
    pub(crate) fn shown(p: &Plan, trees: &[Tree; 3]) -> String {
        let mut out = String::new();
        for piece in &p.pieces {
            match piece {
                Piece::Copy(c) => out.push_str(trees[c.side.index()].slice(c.start, c.end)),
                Piece::Owned(s) => out.push_str(s),
                Piece::Conflict(c) => out.push_str(&format!("!conflict at {}\n", c.path)),
            }
        }
        out
    }

    /// The merged text of the plan (in incoming's layout) and its changes as
    /// `side kind path` lines.
    pub(crate) fn merged(b: &str, c: &str, i: &str) -> (String, Vec<String>) {
        let (p, trees) = plan_of(b, c, i, Side::Incoming);
        let changes = p
            .changes
            .iter()
            .map(|c| format!("{} {} {}", c.side.name(), c.kind.name(), c.path))
            .collect();
        (shown(&p, &trees), changes)
    }
}
