//! Git conflict markers, in one place: recognising a marker line, writing a
//! conflict, reading the conflicts of a text back (every style, any marker
//! size, `\n` or `\r\n`), rebuilding the three versions a conflicted text
//! holds, and applying a choice (a side, both, base, or edited text) to one
//! conflict.
//!
//! Everything that touches markers goes through here: the renderer and the
//! line merge write with [`Markers`]; the input guard, the large-file
//! shortcut and `solve` read with [`marker_line`], [`parse`] and
//! [`find_conflict`]; a resolver or an editor works on [`Hunk`]s and
//! [`Choice`]s. This module knows nothing of YAML.

mod describe;
mod file;
mod glob;
mod markers;
mod marks;
mod parse;
mod resolve;
mod session;
mod write;

pub use describe::{Description, SideChange, describe};
pub use file::ConflictedText;
pub use glob::path_matches;
pub use markers::{DEFAULT_MARKER_SIZE, MarkerKind, MarkerLine, marker_line, marker_size_for};
pub use marks::{MarkedHunk, MarkedLine, mark_lines};
pub use parse::{Hunk, MarkerError, Segment, find_conflict, parse};
pub use resolve::{Choice, Versions, apply};
pub use session::{ChoiceError, Session};
pub(crate) use write::Markers;

/// How conflicts are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConflictStyle {
    /// `<<<<<<<`, `=======`, `>>>>>>>`: no base section.
    Merge,
    /// Also the base version between `|||||||` and `=======`.
    #[default]
    Diff3,
    /// Like diff3, with lines common to both sides at the start and end of a
    /// conflict moved out of it.
    Zdiff3,
}

/// One conflict as written into a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// YAML path of the conflicting entry (empty for a whole document, and
    /// for conflicts of a line merge).
    pub path: String,
    /// First line of the conflict in the output (the `<<<<<<<` line), 1-based.
    pub start_line: usize,
    /// Last line of the conflict (the `>>>>>>>` line), 1-based.
    pub end_line: usize,
    /// The current side's text.
    pub current: String,
    /// The base text (also in the `merge` style, which does not write it).
    pub base: String,
    /// The incoming side's text.
    pub incoming: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::Side;

    const FILE: &str = "a: 1\n\
<<<<<<< HEAD\n\
b: 2\n\
||||||| base\n\
b: 1\n\
=======\n\
b: 3\n\
>>>>>>> topic\n\
c: 1\n";

    fn hunks(text: &[u8]) -> Vec<Hunk> {
        parse(text)
            .unwrap()
            .into_iter()
            .filter_map(|s| match s {
                Segment::Conflict(h) => Some(h),
                Segment::Shared(_) => None,
            })
            .collect()
    }

    fn version(v: &Versions, side: Side) -> &str {
        std::str::from_utf8(&v.text[side.index()]).unwrap()
    }

    #[test]
    fn splits_the_three_versions() {
        let segments = parse(FILE.as_bytes()).unwrap();
        let v = Versions::of(FILE.as_bytes(), &segments).unwrap();
        assert_eq!(version(&v, Side::Base), "a: 1\nb: 1\nc: 1\n");
        assert_eq!(version(&v, Side::Current), "a: 1\nb: 2\nc: 1\n");
        assert_eq!(version(&v, Side::Incoming), "a: 1\nb: 3\nc: 1\n");
        assert_eq!(v.lines[Side::Incoming.index()], [1, 7, 9]);
        assert_eq!(v.lines[Side::Base.index()], [1, 5, 9]);
        let h = &hunks(FILE.as_bytes())[0];
        assert_eq!(h.labels, ["HEAD", "base", "topic"]);
        assert_eq!((h.marker_size, h.start_line, h.end_line), (7, 2, 8));
    }

    #[test]
    fn merge_style_conflicts_parse_but_have_no_base() {
        let text = b"<<<<<<< HEAD\nb: 2\n=======\nb: 3\n>>>>>>> topic\n";
        let h = &hunks(text)[0];
        assert_eq!(h.base, None);
        assert_eq!(&text[h.current.clone()], b"b: 2\n");
        let e = Versions::of(text, &parse(text).unwrap()).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(
            e.reason.starts_with("this conflict has no base section"),
            "{e:?}"
        );
    }

    #[test]
    fn unclosed_and_stray_markers_are_errors() {
        let e = parse(b"x\n<<<<<<< a\ny\n").unwrap_err();
        assert_eq!(
            (e.line, e.reason.as_str()),
            (2, "this conflict is not closed (no `>>>>>>>` line)")
        );
        let e = parse(b"<<<<<<< a\n>>>>>>> b\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.reason.starts_with("unexpected `>>>>>>>` marker"), "{e:?}");
    }

    #[test]
    fn markers_of_another_size_are_content() {
        let text = b"<<<<<<<<< a\nx: <<<<<<< not\n||||||||| b\n=======\n=========\n>>>>>>>>>\n";
        let v = Versions::of(text, &parse(text).unwrap()).unwrap();
        assert_eq!(version(&v, Side::Current), "x: <<<<<<< not\n");
        assert_eq!(version(&v, Side::Base), "=======\n");
        assert_eq!(hunks(text)[0].marker_size, 9);
    }

    #[test]
    fn crlf_marker_lines_are_recognised() {
        let text = b"<<<<<<< a\r\nb: 2\r\n||||||| o\r\nb: 1\r\n=======\r\nb: 3\r\n>>>>>>> c\r\n";
        let v = Versions::of(text, &parse(text).unwrap()).unwrap();
        assert_eq!(version(&v, Side::Incoming), "b: 3\r\n");
        assert_eq!(hunks(text)[0].labels, ["a", "o", "c"]);
    }

    #[test]
    fn find_conflict_needs_a_whole_conflict_of_one_size() {
        assert_eq!(find_conflict(FILE.as_bytes()), Some((2, 8)));
        assert_eq!(find_conflict(b"<<<<<<< x\nonly an opening\n"), None);
        assert_eq!(find_conflict(b"<<<<<<< a\n========\n>>>>>>> b\n"), None);
        assert_eq!(
            find_conflict(b"a: |\n  <<<<<<< x\n  =======\n  >>>>>>> y\n"),
            None
        );
    }

    #[test]
    fn every_choice_replaces_only_its_conflict() {
        let text = FILE.as_bytes();
        let h = &hunks(text)[0];
        let got = |choice: Choice| String::from_utf8(apply(text, h, &choice).unwrap()).unwrap();
        assert_eq!(got(Choice::Current), "a: 1\nb: 2\nc: 1\n");
        assert_eq!(got(Choice::Incoming), "a: 1\nb: 3\nc: 1\n");
        assert_eq!(got(Choice::Base), "a: 1\nb: 1\nc: 1\n");
        assert_eq!(got(Choice::CurrentThenIncoming), "a: 1\nb: 2\nb: 3\nc: 1\n");
        assert_eq!(got(Choice::IncomingThenCurrent), "a: 1\nb: 3\nb: 2\nc: 1\n");
        assert_eq!(got(Choice::Edited("b: 4".into())), "a: 1\nb: 4\nc: 1\n");
        let merge_style = b"<<<<<<< a\nx\n=======\ny\n>>>>>>> b\n";
        assert_eq!(
            apply(merge_style, &hunks(merge_style)[0], &Choice::Base),
            None
        );
    }

    #[test]
    fn edited_text_gets_the_conflicts_line_break() {
        let text = b"<<<<<<< a\r\nx\r\n||||||| o\r\no\r\n=======\r\ny\r\n>>>>>>> b\r\nz\r\n";
        let h = &hunks(text)[0];
        let got = apply(text, h, &Choice::Edited("w".into())).unwrap();
        assert_eq!(got, b"w\r\nz\r\n");
    }

    /// Written conflicts read back to the same sections, in every style,
    /// marker size and line ending, with the reported lines right.
    #[test]
    fn written_conflicts_parse_back() {
        let sections: [&[u8]; 3] = [b"k: 1\nx: 2\nz: 0\n", b"x: 0\n", b"k: 1\nx: 3\nz: 0\n"];
        for style in [
            ConflictStyle::Merge,
            ConflictStyle::Diff3,
            ConflictStyle::Zdiff3,
        ] {
            for (size, eol) in [(7, "\n"), (9, "\r\n")] {
                let markers = Markers {
                    style,
                    labels: ["ours", "", "theirs"],
                    size,
                    eol,
                };
                let mut out = b"top: 0\n".to_vec();
                let written = markers.write(&mut out, "x".into(), 2, sections);
                out.extend_from_slice(b"end: 0\n");
                let h = &hunks(&out)[0];
                assert_eq!(
                    (h.start_line, h.end_line),
                    (written.start_line, written.end_line)
                );
                assert_eq!((h.marker_size, h.labels[0].as_str()), (size, "ours"));
                let text = |r: &std::ops::Range<usize>| {
                    String::from_utf8_lossy(&out[r.clone()]).into_owned()
                };
                assert_eq!(text(&h.current), written.current);
                assert_eq!(text(&h.incoming), written.incoming);
                assert_eq!(
                    h.base.as_ref().map(text),
                    (style != ConflictStyle::Merge).then(|| written.base.clone())
                );
                let chosen = apply(&out, h, &Choice::Incoming).unwrap();
                assert_eq!(chosen, b"top: 0\nk: 1\nx: 3\nz: 0\nend: 0\n", "{style:?}");
            }
        }
    }
}
