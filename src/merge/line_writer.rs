//! Writing the result of git's line merge: current's lines between the
//! changed regions, the side a region takes, and conflicts through the
//! conflict module, with git's rule for CR LF marker lines.

use super::lines::{LineMerge, Mode, Region, Text};
use super::{MergeOptions, Side};
use crate::conflict::Conflict;

/// Whether line `at` of a file ends in CR LF: `None` when that cannot be
/// told (an empty file, or a single line without a line break). For the last
/// line without a line break, the line before it decides (git's
/// `is_eol_crlf`).
fn eol_crlf(text: &Text, at: usize) -> Option<bool> {
    let crlf = |l: &[u8]| l.len() > 1 && l[l.len() - 2] == b'\r';
    let last = text.len().checked_sub(1)?;
    if at < last || text.line(at).ends_with(b"\n") {
        return Some(crlf(text.line(at)));
    }
    if at == 0 {
        return None;
    }
    Some(crlf(text.line(at - 1)))
}

/// Builds the output text, copying current's lines between regions.
pub(super) struct Writer<'a> {
    lines: [&'a Text<'a>; 3],
    opts: &'a MergeOptions,
    out: Vec<u8>,
    /// Line breaks in `out` so far (conflict line numbers without rescans).
    line_breaks: usize,
    conflicts: Vec<Conflict>,
}

impl<'a> Writer<'a> {
    pub(super) fn new(lines: [&'a Text<'a>; 3], opts: &'a MergeOptions) -> Self {
        Writer {
            lines,
            opts,
            out: Vec::new(),
            line_breaks: 0,
            conflicts: Vec::new(),
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        self.line_breaks += memchr::memchr_iter(b'\n', bytes).count();
        self.out.extend_from_slice(bytes);
    }

    pub(super) fn write(mut self, regions: &[Region]) -> LineMerge {
        let [_, c, i] = self.lines;
        let mut at = 0;
        for r in regions {
            let mode = match (r.mode, self.opts.prefer) {
                (Mode::Conflict, Some(Side::Current)) => Mode::Current,
                (Mode::Conflict, Some(Side::Incoming)) => Mode::Incoming,
                (mode, _) => mode,
            };
            match mode {
                Mode::Current => self.push(c.span(at..r.cur.end)),
                Mode::Incoming => {
                    self.push(c.span(at..r.cur.start));
                    self.push(i.span(r.inc.clone()));
                }
                Mode::Conflict => {
                    self.push(c.span(at..r.cur.start));
                    self.conflict(r);
                }
            }
            at = r.cur.end;
        }
        self.push(c.span(at..c.len()));
        LineMerge {
            text: self.out,
            conflicts: self.conflicts,
        }
    }

    /// Marker lines end in CR LF when the lines before the conflict in
    /// current and incoming, and base's first line, do (git's `is_cr_needed`).
    fn needs_cr(&self, r: &Region) -> bool {
        let [b, c, i] = self.lines;
        let mut crlf = eol_crlf(c, r.cur.start.saturating_sub(1));
        if crlf != Some(false) {
            crlf = eol_crlf(i, r.inc.start.saturating_sub(1));
        }
        if crlf != Some(false) {
            crlf = eol_crlf(b, 0);
        }
        crlf == Some(true)
    }

    fn conflict(&mut self, r: &Region) {
        let [b, c, i] = self.lines;
        let eol = if self.needs_cr(r) { "\r\n" } else { "\n" };
        let markers = self.opts.markers(eol);
        let from = self.out.len();
        let sections = [
            c.span(r.cur.clone()),
            b.span(r.base.clone()),
            i.span(r.inc.clone()),
        ];
        let conflict = markers.write(&mut self.out, String::new(), self.line_breaks + 1, sections);
        self.line_breaks += self.out[from..].iter().filter(|&&b| b == b'\n').count();
        self.conflicts.push(conflict);
    }
}
