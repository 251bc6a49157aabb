//! The lines of an input, found once: the cuts, the check of untouched text
//! and the restore (which counts lines by them) all walk this table instead
//! of the text. Building it also screens the whole input for what the
//! shortcut never handles, since that only needs each line's first bytes.

use std::ops::Range;

use crate::conflict::marker_line;

/// What the top level of an input is cut into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Entries of a block mapping (at any depth).
    Entries,
    /// Documents of a stream (top level only).
    Documents,
}

/// An input's text and the offset where each of its lines starts.
pub(super) struct Lines<'a> {
    pub text: &'a str,
    /// The start of every line, then the text's length.
    starts: Vec<u32>,
    /// Line indices where a document starts (`---`, with the blank lines
    /// above it), after the first; empty unless the input is a stream.
    pub documents: Vec<u32>,
}

impl<'a> Lines<'a> {
    /// The lines of `text`; `None` when the input holds something the
    /// shortcut leaves to the full path: a byte-order mark, CR line breaks,
    /// directives, tabs or conflict markers (any size: the full path grows
    /// its markers past them) at the start of a line, `...`, keep-chomped
    /// block scalars, or a text too long for 32-bit offsets.
    pub fn new(text: &'a str) -> Option<Lines<'a>> {
        let bytes = text.as_bytes();
        if u32::try_from(bytes.len()).is_err()
            || bytes.first() == Some(&0xEF)
            || memchr::memchr(b'\r', bytes).is_some()
            || has_keep_chomping(bytes)
        {
            return None;
        }
        let mut starts = Vec::with_capacity(bytes.len() / 24 + 2);
        starts.push(0);
        starts.extend(
            memchr::memchr_iter(b'\n', bytes)
                .map(|p| p as u32 + 1)
                .filter(|&p| (p as usize) < bytes.len()),
        );
        starts.push(bytes.len() as u32);
        let mut lines = Lines {
            text,
            starts,
            documents: Vec::new(),
        };
        lines.screen()?;
        Some(lines)
    }

    /// The number of lines.
    pub fn count(&self) -> u32 {
        self.starts.len() as u32 - 1
    }

    /// The byte offset where line `line` starts (the text's length for
    /// `count()`).
    pub fn start(&self, line: u32) -> usize {
        self.starts[line as usize] as usize
    }

    /// Line `line` without its line break.
    pub fn line(&self, line: u32) -> &'a [u8] {
        let (s, e) = (self.start(line), self.start(line + 1));
        let l = &self.text.as_bytes()[s..e];
        l.strip_suffix(b"\n").unwrap_or(l)
    }

    /// The bytes of a range of lines.
    pub fn bytes(&self, lines: &Range<u32>) -> Range<usize> {
        self.start(lines.start)..self.start(lines.end)
    }

    /// The text of a range of lines.
    pub fn slice(&self, lines: &Range<u32>) -> &'a str {
        &self.text[self.bytes(lines)]
    }

    /// Whether the input is a stream of documents or one mapping.
    pub fn mode(&self) -> Mode {
        if self.documents.is_empty() {
            Mode::Entries
        } else {
            Mode::Documents
        }
    }

    /// Looks at the first bytes of every line: `None` for what the shortcut
    /// does not handle; notes where documents start.
    fn screen(&mut self) -> Option<()> {
        let mut seen_content = false;
        // The blank lines right above a `---` belong to its document.
        let mut blank_from = None;
        for k in 0..self.count() {
            let line = self.line(k);
            match line.first() {
                None => {
                    blank_from.get_or_insert(k);
                    continue;
                }
                Some(b'#') => {
                    blank_from = None;
                    continue;
                }
                Some(b'%' | b'\t') => return None,
                Some(b'-') if line.starts_with(b"---") => {
                    if !matches!(line.get(3), None | Some(b' ')) {
                        return None;
                    }
                    if seen_content {
                        self.documents.push(blank_from.unwrap_or(k));
                    }
                }
                Some(b'.') if line.starts_with(b"...") => return None,
                Some(b'<' | b'|' | b'=' | b'>') if marker_line(line).is_some() => return None,
                _ => {}
            }
            blank_from = None;
            seen_content = true;
        }
        Some(())
    }
}

/// A keep-chomped block scalar (`|+`, `>2+`, ...) owns the blank lines after
/// it, which the cuts give to the next entry.
fn has_keep_chomping(bytes: &[u8]) -> bool {
    memchr::memchr2_iter(b'|', b'>', bytes).any(|p| match bytes.get(p + 1) {
        Some(b'+') => true,
        Some(d) if d.is_ascii_digit() => bytes.get(p + 2) == Some(&b'+'),
        _ => false,
    })
}

/// The number of spaces a line starts with.
pub(super) fn indent(line: &[u8]) -> usize {
    line.iter().take_while(|&&b| b == b' ').count()
}

/// True for a line of spaces only (or none).
pub(super) fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|&b| b == b' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_start_after_every_break() {
        let l = Lines::new("a: 1\n\nb: 2").unwrap();
        assert_eq!(l.count(), 3);
        assert_eq!(l.line(1), b"");
        assert_eq!(l.line(2), b"b: 2");
        assert_eq!(l.slice(&(1..3)), "\nb: 2");
        assert_eq!(Lines::new("a: 1\n").unwrap().count(), 1);
    }

    #[test]
    fn streams_are_told_from_mappings() {
        assert_eq!(Lines::new("---\na: 1\n").unwrap().mode(), Mode::Entries);
        assert_eq!(
            Lines::new("# c\n---\na: 1\n").unwrap().mode(),
            Mode::Entries
        );
        let s = Lines::new("a: 1\n\n--- # x\nb: 1\n").unwrap();
        assert_eq!(
            (s.mode(), s.documents.as_slice()),
            (Mode::Documents, &[1][..])
        );
    }

    #[test]
    fn what_the_shortcut_leaves_alone_is_screened_out() {
        for text in [
            "\u{feff}a: 1\n",
            "a: 1\r\n",
            "%YAML 1.2\n---\na: 1\n",
            "\ta: 1\n",
            "a: 1\n...\n",
            "a: |+\n  x\n",
            "a: 1\n=======\n",
            "a: 1\n<<< x\n",
            "---x\n",
        ] {
            assert!(Lines::new(text).is_none(), "{text:?}");
        }
        assert!(Lines::new("<<: 1\na: '|+'\n").is_none());
        assert!(Lines::new("<<: 1\na: 1\n").is_some());
    }
}
