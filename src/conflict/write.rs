//! Writing a conflict: the marker lines, the sections between them, and the
//! lines both sides share moved out of it in the `zdiff3` style.
//!
//! Both writers of conflicts, the structural renderer and the line merge of
//! `merge-file`, write through [`Markers::write`], so every conflict yamerge
//! writes has one shape.

use super::{Conflict, ConflictStyle, MarkerKind};

/// How the markers of one conflict are written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Markers<'a> {
    /// Which sections are written, and whether shared lines are moved out.
    pub style: ConflictStyle,
    /// Labels after the `<`, `|` and `>` markers: current, base, incoming.
    /// An empty label writes a bare marker.
    pub labels: [&'a str; 3],
    /// Length of the marker runs.
    pub size: usize,
    /// The line break of the marker lines (and added to a section that ends
    /// without one).
    pub eol: &'a str,
}

impl Markers<'_> {
    fn marker(&self, out: &mut Vec<u8>, kind: MarkerKind, label: &str) {
        out.extend(std::iter::repeat_n(kind.char(), self.size.max(1)));
        if !label.is_empty() {
            out.push(b' ');
            out.extend_from_slice(label.as_bytes());
        }
        out.extend_from_slice(self.eol.as_bytes());
    }

    /// A section's text ending with a line break, so the next marker starts
    /// a line.
    fn section(&self, out: &mut Vec<u8>, text: &[u8]) {
        out.extend_from_slice(text);
        if !text.is_empty() && !text.ends_with(b"\n") {
            out.extend_from_slice(self.eol.as_bytes());
        }
    }

    /// Appends one conflict to `out`, whose next line is line `line`
    /// (1-based) of the whole text, and returns it as reported. `sections`
    /// are current's, base's and incoming's text. In the `zdiff3` style the
    /// whole lines current and incoming share at their start and end are
    /// written before and after the markers instead (base stays whole, as in
    /// git).
    pub(crate) fn write(
        &self,
        out: &mut Vec<u8>,
        path: String,
        line: usize,
        [current, base, incoming]: [&[u8]; 3],
    ) -> Conflict {
        let (head, tail) = if self.style == ConflictStyle::Zdiff3 {
            common_lines(current, incoming)
        } else {
            (0, 0)
        };
        out.extend_from_slice(&current[..head]);
        let start_line = line + count_lines(&current[..head]);
        let from = out.len();
        let [lc, lb, li] = self.labels;
        let section = |out: &mut Vec<u8>, kind, label, text: &[u8]| {
            self.marker(out, kind, label);
            let at = out.len();
            self.section(out, text);
            String::from_utf8_lossy(&out[at..]).into_owned()
        };
        let current_text = section(
            out,
            MarkerKind::Open,
            lc,
            &current[head..current.len() - tail],
        );
        // Reported also where the style does not write it: a reader of the
        // report (or a resolver) still wants to know what base held.
        let base_text = if self.style == ConflictStyle::Merge {
            let mut completed = Vec::new();
            self.section(&mut completed, base);
            String::from_utf8_lossy(&completed).into_owned()
        } else {
            section(out, MarkerKind::Base, lb, base)
        };
        let incoming_text = section(
            out,
            MarkerKind::Separator,
            "",
            &incoming[head..incoming.len() - tail],
        );
        self.marker(out, MarkerKind::Close, li);
        let end_line = start_line + count_lines(&out[from..]) - 1;
        out.extend_from_slice(&current[current.len() - tail..]);
        Conflict {
            path,
            start_line,
            end_line,
            current: current_text,
            base: base_text,
            incoming: incoming_text,
        }
    }
}

fn count_lines(text: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', text).count()
}

/// Byte lengths of the whole lines two texts share at their start and (not
/// overlapping those) at their end.
fn common_lines(a: &[u8], b: &[u8]) -> (usize, usize) {
    let la: Vec<&[u8]> = a.split_inclusive(|&c| c == b'\n').collect();
    let lb: Vec<&[u8]> = b.split_inclusive(|&c| c == b'\n').collect();
    let head_n = la.iter().zip(&lb).take_while(|(x, y)| x == y).count();
    let max_tail = la.len().min(lb.len()) - head_n;
    let tail_n = la
        .iter()
        .rev()
        .zip(lb.iter().rev())
        .take(max_tail)
        .take_while(|(x, y)| x == y)
        .count();
    let head = la[..head_n].iter().map(|s| s.len()).sum();
    let tail = la[la.len() - tail_n..].iter().map(|s| s.len()).sum();
    (head, tail)
}
