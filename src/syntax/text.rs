//! Byte-level scanning helpers over YAML source text.
//!
//! The event parser tells us *what* the nodes are; these helpers find *where*
//! the bytes around them (indicators, comments, line ends) are. They never
//! allocate and never look further than the next token.

/// Skips spaces, tabs, line breaks, a byte-order mark and comments, returning
/// the offset of the next token (or the end of the text).
pub(crate) fn next_token(src: &[u8], mut pos: usize) -> usize {
    while pos < src.len() {
        match src[pos] {
            b' ' | b'\t' | b'\r' | b'\n' => pos += 1,
            b'#' => pos = line_content_end(src, pos),
            0xEF if src[pos..].starts_with(&[0xEF, 0xBB, 0xBF]) => pos += 3,
            _ => break,
        }
    }
    pos
}

/// The offset of the line break (or end of text) of the line holding `pos`.
pub(crate) fn line_content_end(src: &[u8], pos: usize) -> usize {
    match memchr_newline(&src[pos..]) {
        Some(i) => pos + i,
        None => src.len(),
    }
}

fn memchr_newline(s: &[u8]) -> Option<usize> {
    s.iter().position(|&b| b == b'\n' || b == b'\r')
}

/// After the last byte of a node: skips trailing blanks and a comment on the
/// same line, then the line break. Returns where the next line starts (or
/// `pos` itself when something other than trivia follows on the line).
pub(crate) fn past_line_end(src: &[u8], pos: usize) -> usize {
    let mut p = pos;
    while p < src.len() && (src[p] == b' ' || src[p] == b'\t') {
        p += 1;
    }
    if p < src.len() && src[p] == b'#' {
        p = line_content_end(src, p);
    }
    match src.get(p) {
        Some(b'\r') if src.get(p + 1) == Some(&b'\n') => p + 2,
        Some(b'\n') | Some(b'\r') => p + 1,
        None => p,
        Some(_) => pos,
    }
}

/// Like [`past_line_end`], except that a `pos` at the start of a line (right
/// after a line break, as after a keep-chomped block scalar) is returned as is:
/// the line there belongs to whatever follows.
pub(crate) fn past_content_end(src: &[u8], pos: usize) -> usize {
    match pos.checked_sub(1).map(|p| src[p]) {
        Some(b'\n') => pos,
        Some(b'\r') if src.get(pos) != Some(&b'\n') => pos,
        _ => past_line_end(src, pos),
    }
}

/// The offset where the line holding `pos` starts.
pub(crate) fn line_start(src: &[u8], pos: usize) -> usize {
    src[..pos]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1)
}

/// The column of `pos` in bytes from the start of its line, not counting a
/// byte-order mark at the start of the text (which no editor shows).
pub(crate) fn column(src: &[u8], pos: usize) -> usize {
    let start = line_start(src, pos);
    let start = if start == 0 && src.starts_with(BOM) {
        BOM.len().min(pos)
    } else {
        start
    };
    pos - start
}

/// The UTF-8 byte-order mark.
pub(crate) const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// True when only spaces and tabs stand between the start of the line and `pos`.
pub(crate) fn only_blanks_before(src: &[u8], pos: usize) -> bool {
    // Backwards, stopping at the first other byte: on a long line that is
    // right before `pos`, not the whole line away.
    src[..pos]
        .iter()
        .rev()
        .take_while(|&&b| b != b'\n')
        .all(|&b| b == b' ' || b == b'\t')
}

/// True when `pos` and `other` are on the same line.
pub(crate) fn same_line(src: &[u8], pos: usize, other: usize) -> bool {
    let (a, b) = if pos <= other {
        (pos, other)
    } else {
        (other, pos)
    };
    !src[a..b].contains(&b'\n')
}

/// Skips `count` node properties (`&anchor`, `!tag`) starting at the token at
/// `pos`; returns the offset right after the last one.
pub(crate) fn skip_properties(src: &[u8], mut pos: usize, count: usize) -> usize {
    for _ in 0..count {
        pos = next_token(src, pos);
        if pos >= src.len() || !(src[pos] == b'&' || src[pos] == b'!') {
            break;
        }
        if src[pos..].starts_with(b"!<") {
            while pos < src.len() && src[pos] != b'>' {
                pos += 1;
            }
            pos = (pos + 1).min(src.len());
        } else {
            // Anchor names and tag suffixes end at a blank or a flow indicator.
            while pos < src.len()
                && !matches!(
                    src[pos],
                    b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'
                )
            {
                pos += 1;
            }
        }
    }
    pos
}

/// Given the offset of an opening quote, returns the offset after the closing one.
pub(crate) fn quoted_end(src: &[u8], open: usize) -> usize {
    let quote = src[open];
    let mut p = open + 1;
    while p < src.len() {
        let b = src[p];
        if quote == b'"' && b == b'\\' {
            p += 2;
            continue;
        }
        if b == quote {
            if quote == b'\'' && src.get(p + 1) == Some(&b'\'') {
                p += 2;
                continue;
            }
            return p + 1;
        }
        p += 1;
    }
    src.len()
}

/// The end of a block scalar's text, given the offset of its `|` or `>`, the end
/// of the parser's span (which runs over every trailing empty line whatever the
/// chomping) and the parsed value.
///
/// With keep chomping (`|+`, `>+`) the trailing line breaks are part of the
/// value, so the text ends after the last of them. Otherwise it ends at the end
/// of the last content line, trailing spaces included; a line holding only
/// spaces is content when it is indented deeper than the content.
pub(crate) fn block_scalar_end(
    src: &[u8],
    indicator: usize,
    span_end: usize,
    value: &str,
) -> usize {
    let mut header_end = indicator + 1;
    let mut keep = false;
    while let Some(&b) = src.get(header_end) {
        match b {
            b'+' => keep = true,
            b'-' | b'0'..=b'9' => {}
            _ => break,
        }
        header_end += 1;
    }
    let body = next_line(src, header_end);
    let span_end = span_end.min(src.len());
    if span_end <= body {
        return if keep {
            span_end.max(header_end)
        } else {
            header_end
        };
    }
    if keep {
        return span_end;
    }
    // Walk back from the end over trailing lines that hold nothing but
    // spaces and tabs; the first other line ends the content. A spaces-only
    // line is content when it is indented deeper than the content, which
    // only then needs to be known.
    let mut indent = None;
    let mut end = span_end;
    while end > body {
        let mut line_end = end;
        if src[line_end - 1] == b'\n' {
            line_end -= 1;
        }
        if line_end > body && src[line_end - 1] == b'\r' {
            line_end -= 1;
        }
        let start = line_start(src, line_end).max(body);
        let text = &src[start..line_end];
        if text.iter().any(|&b| b != b' ' && b != b'\t') {
            return line_end;
        }
        let spaces = leading_spaces(text);
        let n = *indent.get_or_insert_with(|| block_indent(src, body, span_end, value));
        if spaces > n || (spaces == n && spaces < text.len()) {
            return line_end;
        }
        end = start;
    }
    header_end
}

fn leading_spaces(line: &[u8]) -> usize {
    line.iter().take_while(|&&b| b == b' ').count()
}

/// The content indentation of a block scalar whose lines are `body..end`:
/// that of its first line with more than spaces on it, less the spaces the
/// value keeps at the start of that line (with an indentation indicator).
/// `usize::MAX` when no line holds more than spaces and the value is only
/// line breaks: then no line is content.
fn block_indent(src: &[u8], body: usize, end: usize, value: &str) -> usize {
    let in_source = src[body..end]
        .split(|&b| b == b'\n')
        .find(|l| l.iter().any(|&b| !matches!(b, b' ' | b'\r')))
        .map(leading_spaces);
    let in_value = value
        .split('\n')
        .find(|l| l.bytes().any(|b| b != b' '))
        .map(|l| leading_spaces(l.as_bytes()));
    match (in_source, in_value) {
        (Some(m), Some(k)) => m.saturating_sub(k),
        (Some(m), None) => m,
        (None, _) if value.bytes().all(|b| b == b'\n') => usize::MAX,
        (None, _) => 0,
    }
}

/// The indentation (number of leading spaces) of the line starting at `pos`.
pub(crate) fn indent_at(src: &[u8], line_start: usize) -> usize {
    src[line_start..].iter().take_while(|&&b| b == b' ').count()
}

/// True when the line starting at `pos` holds only blanks.
pub(crate) fn is_blank_line(src: &[u8], line_start: usize) -> bool {
    let end = line_content_end(src, line_start);
    src[line_start..end]
        .iter()
        .all(|&b| b == b' ' || b == b'\t')
}

/// The start of the next line after the one starting at `line_start`.
pub(crate) fn next_line(src: &[u8], line_start: usize) -> usize {
    let end = line_content_end(src, line_start);
    match src.get(end) {
        Some(b'\r') if src.get(end + 1) == Some(&b'\n') => end + 2,
        Some(_) => end + 1,
        None => end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_token_skips_comments_and_bom() {
        let s = "\u{feff} # c\n  \tx".as_bytes();
        assert_eq!(s[next_token(s, 0)], b'x');
    }

    #[test]
    fn past_line_end_takes_comment_and_crlf() {
        let s = b"a: 1  # c\r\nb";
        assert_eq!(past_line_end(s, 4), 11);
        assert_eq!(past_line_end(b"a, b", 1), 1);
    }

    #[test]
    fn quoted_end_handles_escapes() {
        assert_eq!(quoted_end(br#""a\"b" x"#, 0), 6);
        assert_eq!(quoted_end(b"'a''b' x", 0), 6);
    }

    #[test]
    fn past_content_end_keeps_the_next_line() {
        let s = b"|+\n  x\n\n# c\n";
        assert_eq!(past_content_end(s, 8), 8);
        assert_eq!(past_content_end(b"a # c\nb", 1), 6);
    }

    #[test]
    fn column_ignores_a_byte_order_mark() {
        let s = "\u{feff}a: 1\n  b".as_bytes();
        assert_eq!(column(s, 3), 0);
        assert_eq!(column(s, 6), 3);
        assert_eq!(column(s, s.len() - 1), 2);
    }

    #[test]
    fn block_scalar_ends() {
        // (text, offset of the indicator, parser's span end, value, end)
        let cases: &[(&str, usize, &str, usize)] = &[
            ("|\n  x  \n\n", 0, "x  \n", 7),
            ("|-\n  x\n  \n", 0, "x", 6),
            ("|-\n  x\n   \n", 0, "x\n ", 10),
            ("|+\n  x\n\n", 0, "x\n\n", 8),
            ("|+\n", 0, "", 3),
            ("|\n", 0, "", 1),
            ("|2 # c\n   x\n     \n", 0, " x\n   \n", 17),
            ("> \n  a\n  b\r\n\r\n", 0, "a b\n", 10),
        ];
        for &(text, indicator, value, end) in cases {
            let s = text.as_bytes();
            assert_eq!(
                block_scalar_end(s, indicator, s.len(), value),
                end,
                "{text:?}"
            );
        }
    }

    #[test]
    fn skip_properties_skips_anchor_and_tag() {
        let s = b"&a !t # c\n  x";
        assert_eq!(skip_properties(s, 0, 2), 5);
        assert_eq!(skip_properties(b"!<tag:a,b> x", 0, 1), 10);
        assert_eq!(skip_properties(b"&a{b: 1}", 0, 1), 2);
        assert_eq!(skip_properties(b"!t, x", 0, 1), 2);
    }
}
