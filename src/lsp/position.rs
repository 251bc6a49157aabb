//! Positions as the protocol counts them, mapped to and from byte offsets
//! of the UTF-8 text the server keeps: 0-based lines ended by `\n`, `\r\n`
//! or a lone `\r` (all three are line breaks to a client), and columns in
//! UTF-16 code units, so a character outside the Basic Multilingual Plane
//! (an emoji) is two columns and `é` is one.

use lsp_types::{Position, Range};

/// Where each line of a text starts.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    /// Byte offset of the start of each line; the first is 0.
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // The `\r` of a `\r\n` is not a line break of its own.
            if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                continue;
            }
            starts.push(at + 1);
        }
        LineIndex { starts }
    }

    /// The number of lines (a text ending with a line break has an empty
    /// last line, as in an editor).
    #[cfg(test)]
    pub(crate) fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset of line `line`'s start (the text's end past the last line).
    pub(crate) fn line_start(&self, text: &str, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(text.len())
    }

    /// Byte offset of the end of line `line`'s content, before its line break.
    pub(crate) fn content_end(&self, text: &str, line: usize) -> usize {
        let Some(&next) = self.starts.get(line + 1) else {
            return text.len();
        };
        let bytes = text.as_bytes();
        let mut end = next - 1;
        if bytes[end] == b'\n' && end > 0 && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        end
    }

    /// The byte offset of a position. A column past the end of its line
    /// means the line's end and a line past the last means the text's end
    /// (as the protocol asks); a column inside a surrogate pair means the
    /// start of its character.
    pub(crate) fn offset(&self, text: &str, pos: Position) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let start = self.starts[line];
        let end = self.content_end(text, line);
        let mut units = 0usize;
        for (at, ch) in text[start..end].char_indices() {
            units += ch.len_utf16();
            if units > pos.character as usize {
                return start + at;
            }
        }
        end
    }

    /// The position of a byte offset (moved back to a character boundary).
    pub(crate) fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character = text[start..offset].encode_utf16().count();
        Position::new(to_u32(line), to_u32(character))
    }

    /// The range of some bytes.
    pub(crate) fn range(&self, text: &str, bytes: std::ops::Range<usize>) -> Range {
        Range::new(
            self.position(text, bytes.start),
            self.position(text, bytes.end),
        )
    }

    /// The range of a whole line's content (no line break).
    pub(crate) fn line_range(&self, text: &str, line: usize) -> Range {
        let start = self.line_start(text, line);
        self.range(text, start..self.content_end(text, line).max(start))
    }

    /// The line that holds a byte offset.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }
}

/// The protocol's numbers are 32 bits; a text too large for them saturates
/// rather than wrapping to a wrong place.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr() {
        let text = "a\nb\r\nc\rd";
        let ix = LineIndex::new(text);
        assert_eq!(ix.line_count(), 4);
        assert_eq!(ix.offset(text, pos(1, 0)), 2);
        assert_eq!(ix.offset(text, pos(2, 0)), 5);
        assert_eq!(ix.offset(text, pos(3, 1)), 8);
        assert_eq!(ix.content_end(text, 1), 3);
        assert_eq!(ix.position(text, 7), pos(3, 0));
        assert_eq!(LineIndex::new("x\n").line_count(), 2);
    }

    #[test]
    fn columns_count_utf16_units() {
        // é is 2 bytes and 1 unit; 😀 is 4 bytes and 2 units.
        let text = "k: é😀x\n";
        let ix = LineIndex::new(text);
        assert_eq!(ix.offset(text, pos(0, 4)), 5);
        assert_eq!(ix.offset(text, pos(0, 6)), 9);
        assert_eq!(ix.position(text, 9), pos(0, 6));
        assert_eq!(ix.position(text, 10), pos(0, 7));
        // Inside the surrogate pair: the emoji's start.
        assert_eq!(ix.offset(text, pos(0, 5)), 5);
        // Inside a UTF-8 sequence: back to the character's start.
        assert_eq!(ix.position(text, 6), pos(0, 4));
    }

    #[test]
    fn positions_past_the_end_clamp() {
        let text = "ab\r\ncd";
        let ix = LineIndex::new(text);
        assert_eq!(ix.offset(text, pos(0, 99)), 2);
        assert_eq!(ix.offset(text, pos(9, 0)), text.len());
        assert_eq!(ix.position(text, 99), pos(1, 2));
        assert_eq!(ix.line_range(text, 0), Range::new(pos(0, 0), pos(0, 2)));
    }

    #[test]
    fn every_offset_round_trips() {
        let text = "a: é\r\n😀: x\rz\n\n";
        let ix = LineIndex::new(text);
        for (at, _) in text.char_indices() {
            if text[..at].ends_with('\r') && text[at..].starts_with('\n') {
                continue; // between the halves of a CRLF: no position
            }
            assert_eq!(ix.offset(text, ix.position(text, at)), at, "{at}");
        }
    }
}
