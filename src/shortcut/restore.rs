//! Putting the untouched runs back into a merge of the reduced texts, in
//! place of their placeholders, and moving the conflicts' line numbers down
//! by the lines that adds.

use super::{PLACEHOLDER, Reduced, mark, placeholder};
use crate::conflict::Conflict;

impl Reduced<'_> {
    /// The merged text with every run in place of its placeholder, and the
    /// conflicts moved accordingly. `None` unless every placeholder is found
    /// once, in order, on its own lines at its own column, outside any
    /// conflict.
    pub(crate) fn restore(
        &self,
        reduced: &str,
        mut conflicts: Vec<Conflict>,
    ) -> Option<(String, Vec<Conflict>)> {
        if conflicts.iter().any(|c| {
            [&c.current, &c.base, &c.incoming]
                .iter()
                .any(|s| s.contains(PLACEHOLDER))
        }) {
            return None;
        }
        let untouched: usize = self.runs.iter().map(|r| r.bytes.len()).sum();
        let mut text = String::with_capacity(untouched + reduced.len());
        // (line of the placeholder in the reduced result, lines it adds: fewer
        // than none when a placeholder document is longer than the documents)
        let mut added: Vec<(usize, isize)> = Vec::with_capacity(self.runs.len());
        let (mut from, mut line) = (0, 1);
        let finder = memchr::memmem::Finder::new(PLACEHOLDER);
        for (n, run) in self.runs.iter().enumerate() {
            let p = from + finder.find(&reduced.as_bytes()[from..])?;
            let own = placeholder(self.mode, n, run.col, run.ending);
            let p = p
                .checked_sub(mark(self.mode, run.col).0)
                .filter(|&p| p >= from)?;
            let at_line_start = p == 0 || reduced.as_bytes()[p - 1] == b'\n';
            if !at_line_start || !reduced[p..].starts_with(&own) {
                return None;
            }
            line += memchr::memchr_iter(b'\n', &reduced.as_bytes()[from..p]).count();
            let own_lines = own.bytes().filter(|&b| b == b'\n').count();
            added.push((line, run.lines as isize - own_lines as isize));
            text.push_str(&reduced[from..p]);
            text.push_str(&self.base[run.bytes.clone()]);
            from = p + own.len();
            line += own_lines;
        }
        if finder.find(&reduced.as_bytes()[from..]).is_some() {
            return None;
        }
        text.push_str(&reduced[from..]);
        // Conflicts come in order: one walk over the placeholders shifts them all.
        let (mut next, mut shift) = (0, 0);
        for c in &mut conflicts {
            while let Some(&(_, n)) = added.get(next).filter(|(at, _)| *at < c.start_line) {
                shift += n;
                next += 1;
            }
            c.start_line = c.start_line.checked_add_signed(shift)?;
            c.end_line = c.end_line.checked_add_signed(shift)?;
        }
        Some((text, conflicts))
    }
}
