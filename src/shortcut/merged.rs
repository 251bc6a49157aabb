//! A merge of the three whole texts (git's line merge, say) reduced like
//! them, so that it can be checked against the reduced trees without being
//! parsed whole.

use super::{Reduced, ReducedText, check_reduced, mark, parse_reduced, placeholder};
use crate::syntax::Tree;

impl Reduced<'_> {
    /// `merged` with each untouched run, found in order among its lines,
    /// replaced by its placeholder, parsed and checked like the reduced
    /// inputs: every placeholder an entry below the same keys as its run (or
    /// a document of its own), its neighbours' names unique with the run's.
    /// `None` when a run is not there whole or anything else is in doubt.
    pub(crate) fn reduce_merged(&self, merged: &[u8]) -> Option<Tree> {
        let text = std::str::from_utf8(merged).ok()?;
        let mut out = String::with_capacity(text.len().min(1 << 20));
        let mut at = Vec::with_capacity(self.runs.len());
        let mut from = 0;
        for (n, run) in self.runs.iter().enumerate() {
            let wanted = &self.base[run.bytes.clone()];
            let start = find_lines(text, wanted, from)?;
            out.push_str(&text[from..start]);
            at.push(u32::try_from(out.len()).ok()?);
            out.push_str(&placeholder(self.mode, n, run.col, run.ending));
            from = start + wanted.len();
        }
        out.push_str(&text[from..]);
        let reduced = ReducedText { text: out, at };
        let marks = self.runs.len() * mark(self.mode, 0).1;
        let [tree] = parse_reduced(std::slice::from_ref(&reduced), ["merged result"], marks)?;
        let endings: Vec<Option<usize>> = self.runs.iter().map(|r| r.ending).collect();
        check_reduced(self.mode, &tree, &reduced, &self.checked, &endings)?;
        Some(tree)
    }
}

/// Where `wanted` (whole lines, ending with a line break) first occurs in
/// `text` from `from` on, starting a line.
fn find_lines(text: &str, wanted: &str, from: usize) -> Option<usize> {
    if !wanted.ends_with('\n') {
        return None;
    }
    // Searching for the whole run would cost a pass over it to set up the
    // search: its first line is searched for, and the rest compared.
    let bytes = text.as_bytes();
    let first = wanted.find('\n').map_or(wanted, |end| &wanted[..=end]);
    let finder = memchr::memmem::Finder::new(first.as_bytes());
    let mut pos = from;
    loop {
        let p = pos + finder.find(&bytes[pos..])?;
        if (p == 0 || bytes[p - 1] == b'\n') && bytes[p..].starts_with(wanted.as_bytes()) {
            return Some(p);
        }
        pos = p + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_found_at_line_starts_only() {
        let text = "a: xb: 1\nb: 1\nc: 1\n";
        assert_eq!(find_lines(text, "b: 1\n", 0), Some(9));
        assert_eq!(find_lines(text, "b: 1\n", 10), None);
        assert_eq!(find_lines(text, "b: 1", 0), None);
    }
}
