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

/// What a line holds after its indentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Nothing (spaces at most).
    Blank,
    /// A comment.
    Comment,
    /// Something starting with a letter, digit or `_`: a key, perhaps.
    Word,
    /// Anything else.
    Other,
}

/// An input's text, where each of its lines starts, and how each begins.
pub(super) struct Lines<'a> {
    pub text: &'a str,
    /// The start of every line, then the text's length.
    starts: Vec<u32>,
    /// Each line's indentation (spaces; 255 stands for 255 or more).
    indents: Vec<u8>,
    kinds: Vec<Kind>,
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
        let guess = bytes.len() / 24 + 2;
        let mut lines = Lines {
            text,
            starts: Vec::with_capacity(guess),
            indents: Vec::with_capacity(guess),
            kinds: Vec::with_capacity(guess),
            documents: Vec::new(),
        };
        let mut screen = Screen::default();
        if !bytes.is_empty() {
            lines.begin(0, &mut screen)?;
        }
        let mut screened = true;
        line_breaks(bytes, |p| {
            screened = p + 1 == bytes.len() || lines.begin(p + 1, &mut screen).is_some();
            screened
        });
        lines.starts.push(bytes.len() as u32);
        screened.then_some(lines)
    }

    /// Notes the line that starts at byte `start`.
    fn begin(&mut self, start: usize, screen: &mut Screen) -> Option<()> {
        let rest = &self.text.as_bytes()[start..];
        let ind = rest.iter().take_while(|&&b| b == b' ').count();
        let kind = match rest.get(ind) {
            None | Some(b'\n') => Kind::Blank,
            Some(b'#') => Kind::Comment,
            Some(&b) if b.is_ascii_alphanumeric() || b == b'_' => Kind::Word,
            Some(_) => Kind::Other,
        };
        if ind == 0 {
            screen.line(self, rest)?;
        } else {
            screen.indented();
        }
        self.starts.push(start as u32);
        self.indents.push(ind.min(255) as u8);
        self.kinds.push(kind);
        Some(())
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

    /// The indentation of line `line` (255 for 255 or more).
    pub fn indent(&self, line: u32) -> usize {
        self.indents[line as usize] as usize
    }

    /// What line `line` holds after its indentation.
    pub fn kind(&self, line: u32) -> Kind {
        self.kinds[line as usize]
    }

    /// The indentations and kinds of a range of lines.
    pub fn shapes(&self, lines: &Range<u32>) -> (&[u8], &[Kind]) {
        let r = lines.start as usize..lines.end as usize;
        (&self.indents[r.clone()], &self.kinds[r])
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
}

/// The screening of lines that start at the left margin, as they come.
#[derive(Default)]
struct Screen {
    seen_content: bool,
    /// The blank lines right above a `---` belong to its document.
    blank_from: Option<u32>,
}

impl Screen {
    /// A line that starts with a blank: content for the stream's sake.
    fn indented(&mut self) {
        self.blank_from = None;
        self.seen_content = true;
    }

    /// Looks at a line that does not start with a blank (`rest` is the text
    /// from its start on): `None` for what the shortcut does not handle;
    /// notes where documents start.
    fn line(&mut self, lines: &mut Lines, rest: &[u8]) -> Option<()> {
        let k = lines.starts.len() as u32;
        let body = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
        match body.first() {
            None => {
                self.blank_from.get_or_insert(k);
                return Some(());
            }
            Some(b'#') => {
                self.blank_from = None;
                return Some(());
            }
            Some(b'%' | b'\t') => return None,
            Some(b'-') if body.starts_with(b"---") => {
                if !matches!(body.get(3), None | Some(b' ')) {
                    return None;
                }
                if self.seen_content {
                    lines.documents.push(self.blank_from.unwrap_or(k));
                }
            }
            Some(b'.') if body.starts_with(b"...") => return None,
            Some(b'<' | b'|' | b'=' | b'>') if marker_line(body).is_some() => return None,
            _ => {}
        }
        self.blank_from = None;
        self.seen_content = true;
        Some(())
    }
}

/// Calls `found` with the offset of every line break of `bytes`, in order,
/// while it returns true: eight bytes at a time, as most lines are short.
fn line_breaks(bytes: &[u8], mut found: impl FnMut(usize) -> bool) {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const BREAKS: u64 = 0x0A0A_0A0A_0A0A_0A0A;
    let chunks = bytes.chunks_exact(8);
    let tail = chunks.remainder();
    for (n, chunk) in chunks.enumerate() {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ BREAKS;
        // The high bit of every byte of `x` that is zero, exactly: no carry
        // crosses from one byte into the next.
        let mut zero = !(((x & LOW) + LOW) | x | LOW);
        while zero != 0 {
            if !found(n * 8 + zero.trailing_zeros() as usize / 8) {
                return;
            }
            zero &= zero - 1;
        }
    }
    let at = bytes.len() - tail.len();
    for p in memchr::memchr_iter(b'\n', tail) {
        if !found(at + p) {
            return;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_start_after_every_break() {
        let l = Lines::new("a: 1\n\n  # b\nb: 2").unwrap();
        assert_eq!(l.count(), 4);
        assert_eq!(l.line(1), b"");
        assert_eq!(l.line(3), b"b: 2");
        assert_eq!(l.slice(&(1..4)), "\n  # b\nb: 2");
        let shapes: Vec<_> = (0..4).map(|k| (l.indent(k), l.kind(k))).collect();
        use Kind::*;
        assert_eq!(shapes, [(0, Word), (0, Blank), (2, Comment), (0, Word)]);
        assert_eq!(Lines::new("a: 1\n").unwrap().count(), 1);
    }

    #[test]
    fn line_breaks_are_found_in_every_position() {
        let text: String = (0..40)
            .map(|k| if k % 3 == 0 || k % 7 == 0 { '\n' } else { 'x' })
            .collect();
        let mut found = Vec::new();
        line_breaks(text.as_bytes(), |p| {
            found.push(p);
            true
        });
        let expected: Vec<usize> = text.match_indices('\n').map(|(p, _)| p).collect();
        assert_eq!(found, expected);
        assert_eq!(Lines::new("").unwrap().count(), 0);
        assert_eq!(Lines::new("\n\n").unwrap().count(), 2);
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
