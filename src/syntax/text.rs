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

/// The offset where the line holding `pos` starts.
pub(crate) fn line_start(src: &[u8], pos: usize) -> usize {
    src[..pos]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1)
}

/// True when only spaces and tabs stand between the start of the line and `pos`.
pub(crate) fn only_blanks_before(src: &[u8], pos: usize) -> bool {
    src[line_start(src, pos)..pos]
        .iter()
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
            while pos < src.len() && !matches!(src[pos], b' ' | b'\t' | b'\r' | b'\n') {
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

/// The offset after the last non-blank byte in `start..end` (or `start`).
pub(crate) fn trim_end(src: &[u8], start: usize, end: usize) -> usize {
    let end = end.min(src.len());
    src[start..end]
        .iter()
        .rposition(|&b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .map_or(start, |i| start + i + 1)
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
    fn skip_properties_skips_anchor_and_tag() {
        let s = b"&a !t # c\n  x";
        assert_eq!(skip_properties(s, 0, 2), 5);
        assert_eq!(skip_properties(b"!<tag:a,b> x", 0, 1), 10);
    }
}
