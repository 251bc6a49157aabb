//! What each side of a conflict did, in a few words, for a person looking at
//! the conflict: `current set 10.10.0.0/16, incoming removed it`.
//!
//! Each side's section is compared with base's (when the conflict has a base
//! section): a section that is one entry or item whose value is written on
//! one line reads as "set X", an emptied one as "removed it", anything else
//! as the number of lines added, removed or changed.

use std::fmt;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

use super::file::ConflictedText;
use super::parse::Hunk;
use crate::matching::key_text;
use crate::syntax::{self, NO_NODE, NodeId, Tree};

/// Values longer than this many characters are cut (with `…`).
const MAX_VALUE_CHARS: usize = 60;

/// What one side did to base's lines of a conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SideChange {
    /// Its section equals base's.
    Unchanged,
    /// Its section is one entry (or item) with a one-line value: the value
    /// as written (cut at 60 characters).
    Set(String),
    /// It emptied the section.
    Removed,
    /// It added this many lines to base's, and removed none.
    AddedLines(usize),
    /// It removed this many of base's lines (not all), and added none.
    RemovedLines(usize),
    /// It changed lines: the larger of the numbers added and removed.
    ChangedLines(usize),
    /// There is no base section to compare with: the section's lines.
    Lines(usize),
}

/// What current and incoming did in one conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description {
    /// Current's change.
    pub current: SideChange,
    /// Incoming's change.
    pub incoming: SideChange,
}

impl Description {
    /// One line for a person: the YAML path (when there is one), then what
    /// each side did.
    pub fn summary(&self, path: &str) -> String {
        if path.is_empty() {
            self.to_string()
        } else {
            format!("{path}: {self}")
        }
    }
}

impl fmt::Display for Description {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "current {}, incoming {}", self.current, self.incoming)
    }
}

impl fmt::Display for SideChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines = |n: usize| if n == 1 { "line" } else { "lines" };
        match self {
            SideChange::Unchanged => f.write_str("kept it unchanged"),
            SideChange::Set(v) if v.is_empty() => f.write_str("set an empty value"),
            SideChange::Set(v) => write!(f, "set {v}"),
            SideChange::Removed => f.write_str("removed it"),
            SideChange::AddedLines(n) => write!(f, "added {n} {}", lines(*n)),
            SideChange::RemovedLines(n) => write!(f, "removed {n} {}", lines(*n)),
            SideChange::ChangedLines(n) => write!(f, "changed {n} {}", lines(*n)),
            SideChange::Lines(0) => f.write_str("has no lines"),
            SideChange::Lines(n) => write!(f, "has {n} {}", lines(*n)),
        }
    }
}

/// Describes one conflict of `text`.
pub fn describe(text: &[u8], hunk: &Hunk) -> Description {
    let base = hunk.base.as_ref().map(|r| Section::read(&text[r.clone()]));
    let side = |r: &std::ops::Range<usize>| change(&Section::read(&text[r.clone()]), base.as_ref());
    Description {
        current: side(&hunk.current),
        incoming: side(&hunk.incoming),
    }
}

impl ConflictedText {
    /// What each side did in each conflict, in the order of [`Self::hunks`].
    pub fn descriptions(&self) -> Vec<Description> {
        self.hunks().map(|h| describe(self.text(), h)).collect()
    }
}

/// A section of a conflict, with the entry it is when it is one.
struct Section<'a> {
    text: &'a [u8],
    single: Option<SingleEntry>,
}

/// A section that is one entry: the keys down to its innermost entry (`-`
/// for a list item), and that entry's value as written when it is on one
/// line.
#[derive(PartialEq, Eq)]
struct SingleEntry {
    keys: Vec<String>,
    value: Option<String>,
}

impl<'a> Section<'a> {
    fn read(text: &'a [u8]) -> Section<'a> {
        let single = syntax::parse("conflict section", text)
            .ok()
            .and_then(|tree| single_entry(&tree));
        Section { text, single }
    }
}

/// Follows block collections of exactly one entry from the root of a
/// one-document tree; `None` unless the root is such a collection.
fn single_entry(tree: &Tree) -> Option<SingleEntry> {
    let [doc] = tree.documents() else {
        return None;
    };
    let mut keys = Vec::new();
    let mut node: NodeId = doc.root;
    while tree.node(node).kind.is_block() {
        let [entry] = tree.entries(node) else {
            break;
        };
        keys.push(if entry.key == NO_NODE {
            "-".to_string()
        } else {
            key_text(tree, entry.key).into_owned()
        });
        node = entry.value;
    }
    if keys.is_empty() {
        return None;
    }
    let n = tree.node(node);
    let written = tree.slice(n.start, n.end);
    let value = (!n.kind.is_block() && !written.contains('\n')).then(|| cut(written));
    Some(SingleEntry { keys, value })
}

/// What a side's section is, against base's section (`None`: no base).
fn change(side: &Section, base: Option<&Section>) -> SideChange {
    if let Some(base) = base
        && side.text == base.text
    {
        return SideChange::Unchanged;
    }
    if side.text.is_empty() && base.is_some() {
        return SideChange::Removed;
    }
    if let Some(SingleEntry {
        keys,
        value: Some(value),
    }) = &side.single
    {
        // The same entry in base (or none at all): its value was set.
        let same_entry = base.is_none_or(|b| {
            b.text.is_empty() || b.single.as_ref().is_some_and(|s| s.keys == *keys)
        });
        if same_entry {
            return SideChange::Set(value.clone());
        }
    }
    match base {
        Some(base) => line_change(base.text, side.text),
        None => SideChange::Lines(line_count(side.text)),
    }
}

/// Lines added, removed or changed from base's section to a side's.
fn line_change(base: &[u8], side: &[u8]) -> SideChange {
    let split = |t: &'_ [u8]| -> Vec<Vec<u8>> {
        t.split_inclusive(|&b| b == b'\n')
            .map(|l| l.strip_suffix(b"\n").unwrap_or(l))
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l).to_vec())
            .collect()
    };
    let (old, new) = (split(base), split(side));
    // A huge section (a whole file merged line by line) gets a coarser count
    // rather than a slow one.
    let deadline = Instant::now() + Duration::from_millis(50);
    let (mut added, mut removed) = (0, 0);
    for op in capture_diff_slices_deadline(Algorithm::Myers, &old, &new, Some(deadline)) {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete { old_len, .. } => removed += old_len,
            DiffOp::Insert { new_len, .. } => added += new_len,
            DiffOp::Replace {
                old_len, new_len, ..
            } => {
                removed += old_len;
                added += new_len;
            }
        }
    }
    match (added, removed) {
        (0, 0) => SideChange::Unchanged,
        (n, 0) => SideChange::AddedLines(n),
        (0, n) => SideChange::RemovedLines(n),
        (a, r) => SideChange::ChangedLines(a.max(r)),
    }
}

fn line_count(text: &[u8]) -> usize {
    text.split_inclusive(|&b| b == b'\n').count()
}

/// A value cut to [`MAX_VALUE_CHARS`] characters.
fn cut(value: &str) -> String {
    match value.char_indices().nth(MAX_VALUE_CHARS) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-line description of the single conflict of `text`.
    fn said(text: &str) -> String {
        let c = ConflictedText::read(text.as_bytes()).unwrap();
        let paths = c.paths();
        let d = c.descriptions();
        assert_eq!(d.len(), 1, "{text}");
        d[0].summary(&paths[0])
    }

    fn diff3(current: &str, base: &str, incoming: &str) -> String {
        format!(
            "top: 1\n<<<<<<< a\n{current}||||||| b\n{base}=======\n{incoming}>>>>>>> c\nend: 1\n"
        )
    }

    #[test]
    fn one_value_changed_on_both_sides_is_set() {
        let text = "kubeadmconfig:\n<<<<<<< HEAD\n  podCIDR: 10.10.0.0/16\n||||||| base\n  podCIDR: 192.168.0.0/16\n=======\n  podCIDR: 172.16.0.0/16\n>>>>>>> new\n";
        assert_eq!(
            said(text),
            "kubeadmconfig.podCIDR: current set 10.10.0.0/16, incoming set 172.16.0.0/16"
        );
    }

    #[test]
    fn removal_and_unchanged_sides() {
        assert_eq!(
            said(&diff3("", "x: 1\n", "x: 2\n")),
            "x: current removed it, incoming set 2"
        );
        assert_eq!(
            said(&diff3("x: 1\n", "x: 1\n", "x: 2\n")),
            "x: current kept it unchanged, incoming set 2"
        );
    }

    #[test]
    fn values_are_as_written_and_cut() {
        let long = "v".repeat(70);
        let text = diff3("x: \"a b\" # mine\n", "x: 1\n", &format!("x: {long}\n"));
        assert_eq!(
            said(&text),
            format!("x: current set \"a b\", incoming set {}…", &long[..60])
        );
        assert_eq!(
            said(&diff3("x: [1, 2]\n", "x: 1\n", "x:\n")),
            "x: current set [1, 2], incoming set an empty value"
        );
    }

    #[test]
    fn nested_single_entries_and_list_items_are_values() {
        let text = diff3("- name: b\n", "- name: a\n", "- name: c\n");
        assert_eq!(said(&text), "current set b, incoming set c");
        // A whole mapping replaced by one value is still "set".
        let text = diff3("x: 5\n", "x:\n  a: 1\n  b: 2\n", "x:\n  a: 1\n  b: 3\n");
        assert_eq!(said(&text), "x: current set 5, incoming changed 1 line");
    }

    #[test]
    fn other_changes_count_lines() {
        let base = "a: 1\nb: 2\n";
        assert_eq!(
            said(&diff3("a: 1\nb: 2\nc: 3\nd: 4\n", base, "a: 1\n")),
            "a: current added 2 lines, incoming removed 1 line"
        );
        // A renamed key is a changed line, not a value set.
        assert_eq!(
            said(&diff3("y: 1\n", "x: 1\n", "z: 1\nw: 2\n")),
            "y: current changed 1 line, incoming changed 2 lines"
        );
    }

    #[test]
    fn without_base_values_are_set_and_others_counted() {
        let text = "<<<<<<< a\nx: 1\n=======\nx: 2\ny: 3\n>>>>>>> b\n";
        assert_eq!(said(text), "x: current set 1, incoming has 2 lines");
        let text = "<<<<<<< a\n=======\nx: 2\n>>>>>>> b\n";
        assert_eq!(said(text), "x: current has no lines, incoming set 2");
    }

    #[test]
    fn text_that_is_not_yaml_still_gets_a_description() {
        let text = "prose\n<<<<<<< a\n\tone: [\n||||||| b\ntwo\n=======\nthree }\n>>>>>>> c\n";
        assert_eq!(
            said(text),
            "current changed 1 line, incoming changed 1 line"
        );
    }

    #[test]
    fn crlf_sections_compare_by_line_content() {
        let text = "<<<<<<< a\r\nx: 1\r\ny: 1\r\n||||||| b\r\nx: 1\r\n=======\r\n>>>>>>> c\r\n";
        assert_eq!(said(text), "x: current added 1 line, incoming removed it");
    }
}
