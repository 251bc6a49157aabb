//! The one recogniser of conflict marker lines, and the marker size to use
//! for a text that already holds marker-like lines.
//!
//! Every part of yamerge that looks at markers (the input guard, `solve`,
//! the large-file shortcut, the parser of conflicted files, the renderer)
//! asks [`marker_line`]; nothing else decides what a marker is.

/// The four marker lines of a conflict, in the order they appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    /// `<<<<<<<`: opens the conflict; current's section follows.
    Open,
    /// `|||||||`: base's section follows (diff3 and zdiff3 styles).
    Base,
    /// `=======`: incoming's section follows.
    Separator,
    /// `>>>>>>>`: closes the conflict.
    Close,
}

impl MarkerKind {
    /// The character the marker is made of.
    pub fn char(self) -> u8 {
        match self {
            MarkerKind::Open => b'<',
            MarkerKind::Base => b'|',
            MarkerKind::Separator => b'=',
            MarkerKind::Close => b'>',
        }
    }

    fn of(ch: u8) -> Option<MarkerKind> {
        match ch {
            b'<' => Some(MarkerKind::Open),
            b'|' => Some(MarkerKind::Base),
            b'=' => Some(MarkerKind::Separator),
            b'>' => Some(MarkerKind::Close),
            _ => None,
        }
    }
}

/// Git's marker size, and the smallest run taken as a marker when opening a
/// conflict in a file.
pub const DEFAULT_MARKER_SIZE: usize = 7;

/// A line recognised as a marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkerLine<'a> {
    /// Which marker.
    pub kind: MarkerKind,
    /// How many marker characters it has.
    pub size: usize,
    /// The text after the blank that follows the run (empty when none),
    /// without the line break.
    pub label: &'a [u8],
}

/// Recognises a conflict marker line (with or without its line break, `\n`
/// or `\r\n`): a run of one of `<`, `|`, `=`, `>` at the start of the line,
/// then the end of the line, or a blank (space or tab) and a label. Any run
/// length is recognised; callers decide which sizes they accept.
pub fn marker_line(line: &[u8]) -> Option<MarkerLine<'_>> {
    let kind = MarkerKind::of(*line.first()?)?;
    let body = line.strip_suffix(b"\n").unwrap_or(line);
    let body = body.strip_suffix(b"\r").unwrap_or(body);
    let size = body.iter().take_while(|&&b| b == kind.char()).count();
    let label = match body.get(size) {
        None => &body[size..],
        Some(b' ' | b'\t') => &body[size + 1..],
        Some(_) => return None,
    };
    Some(MarkerLine { kind, size, label })
}

/// The marker size to use: `requested`, or one more than the longest marker
/// line an input already holds, when that is as long (so that the markers
/// yamerge writes cannot be confused with the inputs' own lines).
pub fn marker_size_for(requested: usize, inputs: &[&[u8]]) -> usize {
    let mut size = requested;
    for text in inputs {
        for line in text.split(|&b| b == b'\n') {
            if let Some(m) = marker_line(line).filter(|m| m.size >= size) {
                size = m.size + 1;
            }
        }
    }
    size
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_every_kind_size_label_and_line_break() {
        let m = marker_line(b"<<<<<<< ours\r\n").unwrap();
        assert_eq!(
            (m.kind, m.size, m.label),
            (MarkerKind::Open, 7, &b"ours"[..])
        );
        let m = marker_line(b"|||||||||").unwrap();
        assert_eq!((m.kind, m.size, m.label), (MarkerKind::Base, 9, &b""[..]));
        let m = marker_line(b"=======\n").unwrap();
        assert_eq!((m.kind, m.size), (MarkerKind::Separator, 7));
        let m = marker_line(b">>>>>>>\tfeature/x y\n").unwrap();
        assert_eq!((m.kind, m.label), (MarkerKind::Close, &b"feature/x y"[..]));
    }

    #[test]
    fn other_lines_are_not_markers() {
        for line in [
            &b""[..],
            b"\n",
            b"  <<<<<<< indented",
            b"<<<<<<<x",
            b"=======: a key",
            b"# =======",
            b"-------",
        ] {
            assert_eq!(
                marker_line(line),
                None,
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
    }

    #[test]
    fn marker_size_grows_past_marker_lines_of_the_inputs() {
        assert_eq!(marker_size_for(7, &[b"a: 1\n"]), 7);
        assert_eq!(marker_size_for(7, &[b"a: 1\n", b"=======\nb\n"]), 8);
        assert_eq!(marker_size_for(7, &[b"<<<<<<<<<< x\n"]), 11);
        // Shorter runs, and runs followed by other text, leave it alone.
        assert_eq!(marker_size_for(7, &[b"<<<<<< x\n<<<<<<<<x\n"]), 7);
    }
}
