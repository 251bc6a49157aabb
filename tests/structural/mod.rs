//! Structural edits of real YAML files, for the property test of finer
//! merges (`tests/structural_edits.rs`, issue #15).
//!
//! An edit is recorded twice: as bytes of base replaced by new text, and as
//! what it does to base's data (a value set, an entry removed or inserted;
//! nothing for comments, quoting and blank lines). Both sides' edits are
//! applied to base to make current and incoming; applied together they make
//! the text and the data a merge must give (see `judge`).
//!
//! - `base`: a file prepared for editing (tree, data, lines, paths);
//! - `data`: the data model and the effects of edits;
//! - `kinds`: where each kind of edit fits, and making one;
//! - `case`: pairs of edits for current and incoming, and the triple;
//! - `judge`: merging a triple and checking the result;
//! - `shrink`: cutting a failing triple down;
//! - `scratch`: folders for `git merge-file`, one per thread.
#![allow(dead_code)]

pub mod base;
pub mod case;
pub mod data;
pub mod duplicate;
pub mod judge;
pub mod kinds;
pub mod shrink;

/// Folders for `git merge-file`'s input files, one per thread.
pub mod scratch {
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static MADE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    static NEXT: AtomicUsize = AtomicUsize::new(0);

    thread_local! {
        static DIR: PathBuf = {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let dir = crate::git_judge::scratch_dir(&format!("se{n}"));
            MADE.lock().unwrap_or_else(|e| e.into_inner()).push(dir.clone());
            dir
        };
    }

    /// `f` with this thread's folder.
    pub fn with_dir<T>(f: impl FnOnce(&Path) -> T) -> T {
        DIR.with(|d| f(d))
    }

    /// Removes every folder made so far.
    pub fn remove_all() {
        for d in MADE.lock().unwrap_or_else(|e| e.into_inner()).drain(..) {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

use std::ops::Range;

use base::Base;
use data::{Effect, Path};

/// The index of current's and incoming's edits (`Edit::side`).
pub const CURRENT: usize = 0;
pub const INCOMING: usize = 1;

pub fn side_name(side: usize) -> &'static str {
    ["current", "incoming"][side]
}

pub fn yamerge_side(side: usize) -> yamerge::Side {
    [yamerge::Side::Current, yamerge::Side::Incoming][side]
}

/// Every kind of edit, as counted and reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    ChangeScalar,
    EolCommentAdd,
    EolCommentChange,
    RequoteKey,
    RequoteValue,
    FlowSeqAdd,
    FlowSeqRemove,
    FlowSeqChange,
    FlowMapAdd,
    FlowMapRemove,
    FlowMapChange,
    InsertItemScalar,
    InsertItemMap,
    InsertKeyScalar,
    InsertKeyBlock,
    RemoveKey,
    AddCommentLine,
    RemoveCommentLine,
    AddBlankLine,
    RemoveBlankLine,
    ChangeType,
    ReorderKeys,
    InsertDocument,
    RemoveDocument,
}

impl Kind {
    pub const ALL: [Kind; 24] = [
        Kind::ChangeScalar,
        Kind::EolCommentAdd,
        Kind::EolCommentChange,
        Kind::RequoteKey,
        Kind::RequoteValue,
        Kind::FlowSeqAdd,
        Kind::FlowSeqRemove,
        Kind::FlowSeqChange,
        Kind::FlowMapAdd,
        Kind::FlowMapRemove,
        Kind::FlowMapChange,
        Kind::InsertItemScalar,
        Kind::InsertItemMap,
        Kind::InsertKeyScalar,
        Kind::InsertKeyBlock,
        Kind::RemoveKey,
        Kind::AddCommentLine,
        Kind::RemoveCommentLine,
        Kind::AddBlankLine,
        Kind::RemoveBlankLine,
        Kind::ChangeType,
        Kind::ReorderKeys,
        Kind::InsertDocument,
        Kind::RemoveDocument,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::ChangeScalar => "change-scalar",
            Kind::EolCommentAdd => "eol-comment-add",
            Kind::EolCommentChange => "eol-comment-change",
            Kind::RequoteKey => "requote-key",
            Kind::RequoteValue => "requote-value",
            Kind::FlowSeqAdd => "flow-seq-add",
            Kind::FlowSeqRemove => "flow-seq-remove",
            Kind::FlowSeqChange => "flow-seq-change",
            Kind::FlowMapAdd => "flow-map-add",
            Kind::FlowMapRemove => "flow-map-remove",
            Kind::FlowMapChange => "flow-map-change",
            Kind::InsertItemScalar => "insert-item-scalar",
            Kind::InsertItemMap => "insert-item-map",
            Kind::InsertKeyScalar => "insert-key-scalar",
            Kind::InsertKeyBlock => "insert-key-block",
            Kind::RemoveKey => "remove-key",
            Kind::AddCommentLine => "add-comment-line",
            Kind::RemoveCommentLine => "remove-comment-line",
            Kind::AddBlankLine => "add-blank-line",
            Kind::RemoveBlankLine => "remove-blank-line",
            Kind::ChangeType => "change-type",
            Kind::ReorderKeys => "reorder-keys",
            Kind::InsertDocument => "insert-document",
            Kind::RemoveDocument => "remove-document",
        }
    }
}

/// One side's edit of base.
#[derive(Clone, Debug)]
pub struct Edit {
    pub kind: Kind,
    /// [`CURRENT`] or [`INCOMING`].
    pub side: usize,
    /// The bytes of base replaced (empty for an insertion).
    pub span: Range<usize>,
    /// What replaces them.
    pub text: String,
    pub effect: Effect,
    /// The bytes of base holding the data the edit changes: its scalar, the
    /// collection it inserts into, what it removes. Edits of the other side
    /// inside a removed claim overlap with it.
    pub claim: Range<usize>,
    /// Whether the claim is removed.
    pub removes: bool,
    /// The node the edit is about, for messages.
    pub at: Path,
}

impl Edit {
    /// The base lines whose bytes the edit changes: those its span covers,
    /// or the line an insertion lands inside of. Empty for lines inserted
    /// at a line start.
    pub fn lines(&self, base: &Base) -> Range<usize> {
        let p = self.span.start;
        if self.span.is_empty() {
            let l = base.line_of(p);
            return if base.is_line_start(p) {
                0..0
            } else {
                l..l + 1
            };
        }
        base.line_of(p)..base.line_of(self.span.end - 1) + 1
    }

    /// Whether the two edits write into the same bytes, or insert at the
    /// same place (see [`Edit::same_place`]).
    pub fn overlaps_text(&self, other: &Edit) -> bool {
        let (a, b) = (&self.span, &other.span);
        match (a.is_empty(), b.is_empty()) {
            (false, false) => a.start < b.end && b.start < a.end,
            (true, false) => b.start < a.start && a.start < b.end,
            (false, true) => a.start < b.start && b.start < a.end,
            (true, true) => a.start == b.start,
        }
    }

    /// Both insert at one place of base.
    pub fn same_place(&self, other: &Edit) -> bool {
        self.span.is_empty() && other.span.is_empty() && self.span.start == other.span.start
    }

    /// Whether `other` changes data inside what this edit removes.
    pub fn removes_claim_of(&self, other: &Edit) -> bool {
        let (r, c) = (&self.claim, &other.claim);
        self.removes
            && if c.is_empty() {
                r.start < c.start && c.start < r.end
            } else {
                r.start <= c.start && c.end <= r.end
            }
    }

    pub fn describe(&self, base: &Base) -> String {
        let at = if self.at.is_empty() {
            String::new()
        } else {
            format!(" at {}", base.name(&self.at))
        };
        format!(
            "{}'s {}{at}, line {}: {:?} → {:?}",
            side_name(self.side),
            self.kind.name(),
            base.line_of(self.span.start) + 1,
            &base.text[self.span.clone()],
            self.text
        )
    }
}

/// `base` with `edits` applied (insertions at one place in the order
/// given, before a replacement starting there), and where each edit's new
/// text landed, in the order of `edits`. `None` when two edits overlap.
pub fn apply_text(base: &str, edits: &[&Edit]) -> Option<(String, Vec<Range<usize>>)> {
    let mut order: Vec<usize> = (0..edits.len()).collect();
    order.sort_by_key(|&i| (edits[i].span.start, !edits[i].span.is_empty(), i));
    let mut out = String::with_capacity(base.len() + 64);
    let mut ranges = vec![0..0; edits.len()];
    let mut at = 0;
    for i in order {
        let e = edits[i];
        if e.span.start < at {
            return None;
        }
        out.push_str(&base[at..e.span.start]);
        ranges[i] = out.len()..out.len() + e.text.len();
        out.push_str(&e.text);
        at = e.span.end;
    }
    out.push_str(&base[at..]);
    Some((out, ranges))
}

/// The edits of one side, in order.
pub fn of_side(edits: &[Edit], side: usize) -> Vec<&Edit> {
    edits.iter().filter(|e| e.side == side).collect()
}

/// Edits sorted so that current's come first (what [`apply_text`] and
/// [`data::apply`] need for insertions at one place).
pub fn current_first<'a>(edits: impl IntoIterator<Item = &'a Edit>) -> Vec<&'a Edit> {
    let mut v: Vec<&Edit> = edits.into_iter().collect();
    v.sort_by_key(|e| e.side);
    v
}
