//! Reading a text that holds conflict markers: what all versions share, and
//! each conflict's sections with their labels, marker size and lines.
//!
//! Any marker size from 7 up opens a conflict; inside it, only markers of
//! that size count, so a section may hold shorter or longer marker-like
//! lines. All three styles are read: `merge` (no base section), `diff3` and
//! `zdiff3`; line breaks may be `\n` or `\r\n`.

use std::ops::Range;

use super::markers::{DEFAULT_MARKER_SIZE, MarkerKind, marker_line};

/// A piece of a conflicted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Lines outside any conflict (a byte range of the text).
    Shared(Range<usize>),
    /// One conflict.
    Conflict(Hunk),
}

/// One conflict as it stands in a text. Ranges are bytes of the text; line
/// numbers are 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    /// The whole conflict, from its `<<<<<<<` line to after its `>>>>>>>` line.
    pub bytes: Range<usize>,
    /// Line of the `<<<<<<<` marker.
    pub start_line: usize,
    /// Line of the `>>>>>>>` marker.
    pub end_line: usize,
    /// Length of its marker runs.
    pub marker_size: usize,
    /// Labels of the `<`, `|` and `>` markers: current, base, incoming
    /// (empty when a marker has none, or when there is no base section).
    pub labels: [String; 3],
    /// Current's lines.
    pub current: Range<usize>,
    /// Base's lines, when the conflict has a base section.
    pub base: Option<Range<usize>>,
    /// Incoming's lines.
    pub incoming: Range<usize>,
}

/// Why a text's markers cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerError {
    /// 1-based line of the offending marker.
    pub line: usize,
    /// What is wrong there.
    pub reason: String,
}

/// Where a conflict being read is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Current,
    Base,
    Incoming,
}

/// A conflict whose `>>>>>>>` line has not been read yet: the hunk so far,
/// the section being read and where that section started.
struct Open {
    hunk: Hunk,
    section: Section,
    from: usize,
}

impl Open {
    /// Reads one marker of the conflict's size at `at..next` (line
    /// `line_no`); `Ok(true)` when it closes the conflict.
    fn marker(
        &mut self,
        kind: MarkerKind,
        label: &[u8],
        (at, next, line_no): (usize, usize, usize),
    ) -> Result<bool, MarkerError> {
        let section = self.from..at;
        match (self.section, kind) {
            (Section::Current, MarkerKind::Base) => {
                self.hunk.current = section;
                self.hunk.labels[1] = text_of(label);
                self.section = Section::Base;
            }
            (Section::Current, MarkerKind::Separator) => {
                self.hunk.current = section;
                self.section = Section::Incoming;
            }
            (Section::Base, MarkerKind::Separator) => {
                self.hunk.base = Some(section);
                self.section = Section::Incoming;
            }
            (Section::Incoming, MarkerKind::Close) => {
                self.hunk.incoming = section;
                self.hunk.labels[2] = text_of(label);
                self.hunk.end_line = line_no;
                self.hunk.bytes.end = next;
                return Ok(true);
            }
            (_, kind) => {
                return Err(MarkerError {
                    line: line_no,
                    reason: format!(
                        "unexpected `{}` marker inside the conflict opened at line {}",
                        String::from_utf8_lossy(&vec![kind.char(); self.hunk.marker_size]),
                        self.hunk.start_line
                    ),
                });
            }
        }
        self.from = next;
        Ok(false)
    }
}

/// Splits a text into shared runs and conflicts. Errors on a conflict that
/// is not closed and on a marker of the conflict's size out of order.
pub fn parse(text: &[u8]) -> Result<Vec<Segment>, MarkerError> {
    let mut segments = Vec::new();
    let mut open: Option<Open> = None;
    let mut shared_from = 0;
    let mut at = 0;
    for (k, line) in text.split_inclusive(|&b| b == b'\n').enumerate() {
        let (line_no, next) = (k + 1, at + line.len());
        let marker = marker_line(line);
        match &mut open {
            None => {
                if let Some(m) =
                    marker.filter(|m| m.kind == MarkerKind::Open && m.size >= DEFAULT_MARKER_SIZE)
                {
                    if shared_from < at {
                        segments.push(Segment::Shared(shared_from..at));
                    }
                    open = Some(Open {
                        hunk: Hunk {
                            bytes: at..next,
                            start_line: line_no,
                            end_line: line_no,
                            marker_size: m.size,
                            labels: [text_of(m.label), String::new(), String::new()],
                            current: next..next,
                            base: None,
                            incoming: next..next,
                        },
                        section: Section::Current,
                        from: next,
                    });
                }
            }
            Some(o) => {
                if let Some(m) = marker.filter(|m| m.size == o.hunk.marker_size)
                    && o.marker(m.kind, m.label, (at, next, line_no))?
                    && let Some(done) = open.take()
                {
                    segments.push(Segment::Conflict(done.hunk));
                    shared_from = next;
                }
            }
        }
        at = next;
    }
    if let Some(o) = open {
        return Err(MarkerError {
            line: o.hunk.start_line,
            reason: "this conflict is not closed (no `>>>>>>>` line)".into(),
        });
    }
    if shared_from < text.len() {
        segments.push(Segment::Shared(shared_from..text.len()));
    }
    Ok(segments)
}

/// Whether `text` holds at least one whole conflict (markers of one size
/// from 7 up: `<<<<<<<`, later `=======`, later `>>>>>>>`), whatever else it
/// holds: the 1-based lines of its opening and closing markers.
pub fn find_conflict(text: &[u8]) -> Option<(usize, usize)> {
    let mut open: Option<(usize, usize, bool)> = None;
    for (k, line) in text.split_inclusive(|&b| b == b'\n').enumerate() {
        let Some(m) = marker_line(line) else { continue };
        match (m.kind, &mut open) {
            (MarkerKind::Open, _) if m.size >= DEFAULT_MARKER_SIZE => {
                open = Some((k + 1, m.size, false));
            }
            (MarkerKind::Separator, Some((_, size, separated))) if m.size == *size => {
                *separated = true;
            }
            (MarkerKind::Close, Some((start, size, true))) if m.size == *size => {
                return Some((*start, k + 1));
            }
            _ => {}
        }
    }
    None
}

fn text_of(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
