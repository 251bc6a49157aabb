//! What each side of a conflict changed, line by line and within lines, so
//! that a resolver can show it: current's and incoming's lines marked
//! against base (against each other when there is no base section), and
//! base's lines marked where a side changed or removed them.

use std::ops::Range;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

use super::parse::Hunk;

/// Lines longer than this are marked whole rather than word by word: the
/// word diff is quadratic in the worst case and a resolver must stay quick.
const MAX_WORD_DIFF: usize = 2_000;

/// How long one line diff may take before similar settles for a coarser
/// (still correct) alignment.
const DEADLINE: Duration = Duration::from_millis(20);

/// One line of a section, as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkedLine {
    /// The line without its line break (invalid UTF-8 replaced).
    pub text: String,
    /// Whether the line differs from the version it is compared with.
    pub changed: bool,
    /// Byte ranges of `text` that differ, when only part of a changed line
    /// does (empty for an unchanged line and for a wholly new one).
    pub spans: Vec<Range<usize>>,
}

/// The three sections of one conflict, marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkedHunk {
    /// Current's lines, marked against base (or incoming without a base).
    pub current: Vec<MarkedLine>,
    /// Base's lines, marked where current or incoming changed them; `None`
    /// for a conflict written without a base section.
    pub base: Option<Vec<MarkedLine>>,
    /// Incoming's lines, marked against base (or current without a base).
    pub incoming: Vec<MarkedLine>,
}

impl MarkedHunk {
    /// Marks the sections of `hunk`, a conflict of `text`.
    pub fn of(text: &[u8], hunk: &Hunk) -> MarkedHunk {
        let current = &text[hunk.current.clone()];
        let incoming = &text[hunk.incoming.clone()];
        let Some(base) = hunk.base.as_ref().map(|r| &text[r.clone()]) else {
            return MarkedHunk {
                current: mark_lines(incoming, current),
                base: None,
                incoming: mark_lines(current, incoming),
            };
        };
        let by_current = mark_lines(current, base);
        let by_incoming = mark_lines(incoming, base);
        let base_marks = by_current
            .into_iter()
            .zip(by_incoming)
            .map(|(c, i)| MarkedLine {
                changed: c.changed || i.changed,
                spans: union(c.spans, i.spans),
                text: c.text,
            })
            .collect();
        MarkedHunk {
            current: mark_lines(base, current),
            base: Some(base_marks),
            incoming: mark_lines(base, incoming),
        }
    }
}

/// `new`'s lines, each marked where it differs from `old`: lines `old` does
/// not hold are changed; where a run of lines replaced a run of `old`'s,
/// each is paired with the old line at the same place in the run and only
/// the words that differ are spanned.
pub fn mark_lines(old: &[u8], new: &[u8]) -> Vec<MarkedLine> {
    let old_lines = lines(old);
    let new_lines = lines(new);
    let deadline = Instant::now() + DEADLINE;
    let ops =
        capture_diff_slices_deadline(Algorithm::Myers, &old_lines, &new_lines, Some(deadline));
    let mut out: Vec<MarkedLine> = new_lines
        .iter()
        .map(|l| MarkedLine {
            text: l.clone(),
            changed: false,
            spans: Vec::new(),
        })
        .collect();
    for op in ops {
        match op {
            DiffOp::Equal { .. } | DiffOp::Delete { .. } => {}
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                for line in &mut out[new_index..new_index + new_len] {
                    line.changed = true;
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                for k in 0..new_len {
                    let line = &mut out[new_index + k];
                    line.changed = true;
                    if k < old_len {
                        line.spans = changed_words(&old_lines[old_index + k], &line.text);
                    }
                }
            }
        }
    }
    out
}

/// The lines of a section, without their line breaks.
fn lines(text: &[u8]) -> Vec<String> {
    text.split_inclusive(|&b| b == b'\n')
        .map(|l| {
            let l = l.strip_suffix(b"\n").unwrap_or(l);
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            String::from_utf8_lossy(l).into_owned()
        })
        .collect()
}

/// Byte ranges of the words of `new` that `old` does not hold at the same
/// place; empty (the whole line then counts as changed) when the lines are
/// too long to compare or share nothing.
fn changed_words(old: &str, new: &str) -> Vec<Range<usize>> {
    if old.len() > MAX_WORD_DIFF || new.len() > MAX_WORD_DIFF {
        return Vec::new();
    }
    let old_words = words(old);
    let new_words = words(new);
    let old_tokens: Vec<&str> = old_words.iter().map(|r| &old[r.clone()]).collect();
    let new_tokens: Vec<&str> = new_words.iter().map(|r| &new[r.clone()]).collect();
    let deadline = Instant::now() + DEADLINE;
    let ops =
        capture_diff_slices_deadline(Algorithm::Myers, &old_tokens, &new_tokens, Some(deadline));
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut shared = false;
    for op in ops {
        match op {
            DiffOp::Equal { .. } => shared = true,
            DiffOp::Delete { .. } => {}
            DiffOp::Insert {
                new_index, new_len, ..
            }
            | DiffOp::Replace {
                new_index, new_len, ..
            } => {
                let r = new_words[new_index].start..new_words[new_index + new_len - 1].end;
                push_span(&mut spans, r);
            }
        }
    }
    if shared { spans } else { Vec::new() }
}

/// Splits a line into words: runs of letters and digits, runs of blanks,
/// and every other character alone (so `10.10.0.0/16` differs by its
/// numbers, not as one token).
fn words(line: &str) -> Vec<Range<usize>> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Word,
        Blank,
        Other,
    }
    let class = |c: char| {
        if c.is_alphanumeric() || c == '_' {
            Class::Word
        } else if c.is_whitespace() {
            Class::Blank
        } else {
            Class::Other
        }
    };
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut last: Option<Class> = None;
    for (at, c) in line.char_indices() {
        let k = class(c);
        match out.last_mut() {
            Some(r) if last == Some(k) && k != Class::Other => r.end = at + c.len_utf8(),
            _ => out.push(at..at + c.len_utf8()),
        }
        last = Some(k);
    }
    out
}

/// Adds a range, joining it to the last one when they touch.
fn push_span(spans: &mut Vec<Range<usize>>, r: Range<usize>) {
    match spans.last_mut() {
        Some(last) if last.end >= r.start => last.end = last.end.max(r.end),
        _ => spans.push(r),
    }
}

/// The union of two sorted lists of ranges; empty when either is (an empty
/// list of a changed line means "the whole line").
fn union(a: Vec<Range<usize>>, b: Vec<Range<usize>>) -> Vec<Range<usize>> {
    if a.is_empty() || b.is_empty() {
        return if a.is_empty() { b } else { a };
    }
    let mut all: Vec<Range<usize>> = a.into_iter().chain(b).collect();
    all.sort_by_key(|r| r.start);
    let mut out = Vec::new();
    for r in all {
        push_span(&mut out, r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::{Segment, parse};

    fn changed(lines: &[MarkedLine]) -> Vec<(&str, bool)> {
        lines.iter().map(|l| (l.text.as_str(), l.changed)).collect()
    }

    #[test]
    fn added_and_replaced_lines_are_changed() {
        let got = mark_lines(b"a: 1\nb: 2\n", b"a: 1\nx: 0\nb: 3\n");
        assert_eq!(
            changed(&got),
            [("a: 1", false), ("x: 0", true), ("b: 3", true)]
        );
    }

    #[test]
    fn within_a_replaced_line_only_the_words_that_differ_are_spanned() {
        let got = mark_lines(
            b"  podCIDR: \"192.168.0.0/16\"\n",
            b"  podCIDR: \"10.10.0.0/16\"\r\n",
        );
        let line = &got[0];
        assert_eq!(line.text, "  podCIDR: \"10.10.0.0/16\"");
        let spanned: Vec<&str> = line.spans.iter().map(|r| &line.text[r.clone()]).collect();
        // `192.168` → `10.10`: the dot between them is shared.
        assert_eq!(spanned, ["10", "10"]);
    }

    #[test]
    fn a_line_sharing_nothing_is_changed_whole() {
        let got = mark_lines(b"abc\n", b"xyz\n");
        assert!(got[0].changed && got[0].spans.is_empty());
    }

    #[test]
    fn base_is_marked_where_either_side_changed_it() {
        let text =
            b"<<<<<<< c\na: 2\nb: 1\n||||||| b\na: 1\nb: 1\nc: 1\n=======\na: 1\nb: 1\n>>>>>>> i\n";
        let Segment::Conflict(h) = &parse(text).unwrap()[0] else {
            panic!("a conflict")
        };
        let m = MarkedHunk::of(text, h);
        assert_eq!(changed(&m.current), [("a: 2", true), ("b: 1", false)]);
        assert_eq!(changed(&m.incoming), [("a: 1", false), ("b: 1", false)]);
        let base = m.base.unwrap();
        assert_eq!(
            changed(&base),
            [("a: 1", true), ("b: 1", false), ("c: 1", true)]
        );
    }

    #[test]
    fn without_a_base_the_sides_are_marked_against_each_other() {
        let text = b"<<<<<<< c\na: 2\n=======\na: 3\nb: 0\n>>>>>>> i\n";
        let Segment::Conflict(h) = &parse(text).unwrap()[0] else {
            panic!("a conflict")
        };
        let m = MarkedHunk::of(text, h);
        assert_eq!(m.base, None);
        assert_eq!(changed(&m.current), [("a: 2", true)]);
        assert_eq!(changed(&m.incoming), [("a: 3", true), ("b: 0", true)]);
    }

    #[test]
    fn spans_of_both_sides_join_on_base() {
        let one = |r: Range<usize>| vec![r];
        assert_eq!(union(vec![0..2, 6..8], one(1..4)), [0..4, 6..8]);
        assert_eq!(union(Vec::new(), one(1..4)), one(1..4));
    }
}
