//! What a conflicted text holds and how one conflict is resolved: the three
//! versions rebuilt from it, and a choice applied to one conflict.

use super::parse::{Hunk, MarkerError, Segment};
use crate::matching::Side;

/// How one conflict is resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// Current's lines.
    Current,
    /// Incoming's lines.
    Incoming,
    /// Base's lines (an error when the conflict has no base section).
    Base,
    /// Current's lines, then incoming's.
    CurrentThenIncoming,
    /// Incoming's lines, then current's.
    IncomingThenCurrent,
    /// Text written by the person resolving (a missing final line break is
    /// added, so the lines after the conflict stay lines).
    Edited(String),
}

impl Hunk {
    /// The text that replaces this conflict for a choice, or `None` for
    /// [`Choice::Base`] when the conflict has no base section.
    pub fn resolved(&self, text: &[u8], choice: &Choice) -> Option<Vec<u8>> {
        let part = |r: &std::ops::Range<usize>| text[r.clone()].to_vec();
        Some(match choice {
            Choice::Current => part(&self.current),
            Choice::Incoming => part(&self.incoming),
            Choice::Base => part(self.base.as_ref()?),
            Choice::CurrentThenIncoming => [part(&self.current), part(&self.incoming)].concat(),
            Choice::IncomingThenCurrent => [part(&self.incoming), part(&self.current)].concat(),
            Choice::Edited(s) => {
                let mut out = s.clone().into_bytes();
                if !out.is_empty() && !out.ends_with(b"\n") {
                    out.extend_from_slice(eol_of(text, self));
                }
                out
            }
        })
    }
}

/// The line break of a conflict's opening marker line.
fn eol_of<'a>(text: &'a [u8], hunk: &Hunk) -> &'a [u8] {
    if text[hunk.bytes.clone()]
        .split(|&b| b == b'\n')
        .next()
        .is_some_and(|l| l.ends_with(b"\r"))
    {
        b"\r\n"
    } else {
        b"\n"
    }
}

/// The text with one conflict replaced by the chosen lines; `None` when the
/// choice needs a base section the conflict does not have.
pub fn apply(text: &[u8], hunk: &Hunk, choice: &Choice) -> Option<Vec<u8>> {
    let chosen = hunk.resolved(text, choice)?;
    let mut out = Vec::with_capacity(text.len());
    out.extend_from_slice(&text[..hunk.bytes.start]);
    out.extend_from_slice(&chosen);
    out.extend_from_slice(&text[hunk.bytes.end..]);
    Some(out)
}

/// The three versions a conflicted text holds: the shared lines in each, and
/// each conflict's sections in their version. Indexed by [`Side`].
#[derive(Debug, Clone, Default)]
pub struct Versions {
    /// Base's, current's and incoming's text.
    pub text: [Vec<u8>; 3],
    /// For each line of each version, its 1-based line in the conflicted
    /// text, so that a problem found in a version can be shown where the
    /// user sees it.
    pub lines: [Vec<usize>; 3],
}

impl Versions {
    /// Rebuilds the versions. Every conflict needs a base section: without
    /// it base cannot be told (the error names the `=======` line).
    pub fn of(text: &[u8], segments: &[Segment]) -> Result<Versions, MarkerError> {
        let mut v = Versions::default();
        let mut line = 1;
        for segment in segments {
            match segment {
                Segment::Shared(r) => {
                    for side in [Side::Base, Side::Current, Side::Incoming] {
                        v.push(side, &text[r.clone()], line);
                    }
                    line += count_lines(&text[r.clone()]);
                }
                Segment::Conflict(h) => {
                    let current_lines = count_lines(&text[h.current.clone()]);
                    let Some(base) = &h.base else {
                        return Err(MarkerError {
                            line: h.start_line + current_lines + 1,
                            reason: "this conflict has no base section (`merge` style)".into(),
                        });
                    };
                    v.push(Side::Current, &text[h.current.clone()], h.start_line + 1);
                    let base_at = h.start_line + current_lines + 2;
                    v.push(Side::Base, &text[base.clone()], base_at);
                    let incoming_at = base_at + count_lines(&text[base.clone()]) + 1;
                    v.push(Side::Incoming, &text[h.incoming.clone()], incoming_at);
                    line = h.end_line + 1;
                }
            }
        }
        Ok(v)
    }

    fn push(&mut self, side: Side, part: &[u8], first_line: usize) {
        let k = side.index();
        self.text[k].extend_from_slice(part);
        let n = part.split_inclusive(|&b| b == b'\n').count();
        self.lines[k].extend(first_line..first_line + n);
    }
}

fn count_lines(text: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', text).count()
}
