//! A plain line-based three-way merge that follows `git merge-file`: the
//! candidate every merge checks first (where it is clean and right, it is
//! the result, byte for byte git's) and the fallback for inputs that are
//! not YAML, so that a merge never comes out worse than git's own.
//!
//! The rules are those of git's `xdl_merge`: lines are compared byte for
//! byte (line ending included); a run changed on one side only takes that
//! side; identical changes are taken once; overlapping or touching changes
//! conflict. Per style, like git: `merge` narrows each conflict to the lines
//! where the two sides really differ and then joins conflicts separated by at
//! most three lines (or by lines without letters or digits); `zdiff3` only
//! moves lines shared at the start and end of a conflict out of it; `diff3`
//! keeps conflicts whole. Markers, labels, the line ending of marker lines and
//! the line break added to a section that ends without one are git's too.
//!
//! Alignment comes from [`crate::matching::unstable_chunks`]: git's own diff
//! (xdiff's Myers search with its heuristics, then its sliding of changed
//! runs) on lines numbered once for all three texts, so a change lands where
//! git puts it, at git's cost.

use std::ops::Range;

use super::MergeOptions;
use super::line_writer::Writer;
use crate::conflict::{Conflict, ConflictStyle};
use crate::matching::{Changed, Chunk, diff3, intern, unstable_chunks};

/// The merged bytes and the conflicts written into them.
#[derive(Debug, Clone)]
pub(crate) struct LineMerge {
    pub text: Vec<u8>,
    pub conflicts: Vec<Conflict>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Conflict,
    /// Current's lines (changed by current only, or the same on both sides
    /// after refining a conflict).
    Current,
    /// Incoming's lines (changed by incoming only).
    Incoming,
}

/// A changed run: line ranges in base, current and incoming.
#[derive(Debug, Clone)]
pub(super) struct Region {
    pub(super) mode: Mode,
    pub(super) base: Range<usize>,
    pub(super) cur: Range<usize>,
    pub(super) inc: Range<usize>,
}

/// A text cut into lines, each with its line break; a last line without
/// one is its own line, as in git (so `x` and `x\n` differ). It keeps
/// where each line starts rather than a slice per line: half the memory on
/// large inputs, and runs of lines are copied as one span. Texts are
/// below 2 GiB (the pipeline refuses larger inputs).
pub(super) struct Text<'a> {
    bytes: &'a [u8],
    /// Where each line starts, then the text's length.
    starts: Vec<u32>,
}

impl<'a> Text<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        let mut starts = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 2);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|end| end as u32 + 1));
        if starts.last() != Some(&(bytes.len() as u32)) {
            starts.push(bytes.len() as u32);
        }
        Text { bytes, starts }
    }

    /// The number of lines.
    pub(super) fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// Line `k`, with its line break.
    pub(super) fn line(&self, k: usize) -> &'a [u8] {
        self.span(k..k + 1)
    }

    /// Lines `lines`, as one slice of the text.
    pub(super) fn span(&self, lines: Range<usize>) -> &'a [u8] {
        &self.bytes[self.starts[lines.start] as usize..self.starts[lines.end] as usize]
    }
}

/// Three texts cut into lines, and their lines as token ids shared by all
/// three (equal lines, equal ids): the alignment and the comparisons of
/// runs of lines work on the ids.
struct Versions<'a> {
    texts: [Text<'a>; 3],
    ids: [Vec<u32>; 3],
}

impl<'a> Versions<'a> {
    fn new(bytes: [&'a [u8]; 3]) -> Self {
        let texts = bytes.map(Text::new);
        let ids = intern(texts.each_ref().map(Text::len), |s, k| texts[s].line(k));
        Versions { texts, ids }
    }

    fn writer<'o>(&'o self, opts: &'o MergeOptions) -> Writer<'o> {
        let [b, c, i] = &self.texts;
        Writer::new([b, c, i], opts)
    }
}

/// Merges three texts line by line, git style.
pub(crate) fn merge_lines(
    base: &[u8],
    current: &[u8],
    incoming: &[u8],
    opts: &MergeOptions,
) -> LineMerge {
    merge_lines_by(false, [base, current, incoming], opts)
}

/// [`merge_lines`] with each side aligned by patience diff: a second
/// opinion where the Myers alignments, tied between equally short ones,
/// put one insertion both sides made at two places (git's own diff breaks
/// such ties its own way; patience keeps lines held once in step, as a
/// reader would).
pub(crate) fn merge_lines_anchored(
    base: &[u8],
    current: &[u8],
    incoming: &[u8],
    opts: &MergeOptions,
) -> LineMerge {
    merge_lines_by(true, [base, current, incoming], opts)
}

fn merge_lines_by(
    anchored: bool,
    [base, current, incoming]: [&[u8]; 3],
    opts: &MergeOptions,
) -> LineMerge {
    // Like git: when one side did not change at all, the other is the result
    // byte for byte.
    if base == current || base == incoming {
        let text = if base == current { incoming } else { current };
        return LineMerge {
            text: text.to_vec(),
            conflicts: Vec::new(),
        };
    }
    let v = Versions::new([base, current, incoming]);
    let [b, c, i] = &v.ids;
    let chunks = unstable_chunks([b, c, i], anchored);
    let mut regions = regions(chunks, [b, c, i]);
    match opts.style {
        ConflictStyle::Merge => {
            regions = simplify(refine(regions, c, i), &v.texts[1]);
        }
        // The writer moves the lines both sides share out of each conflict.
        ConflictStyle::Zdiff3 | ConflictStyle::Diff3 => {}
    }
    v.writer(opts).write(&regions)
}

/// One conflict over the lines where current and incoming differ, for a
/// clean line merge whose text is not valid YAML: nothing either side
/// changed is lost, and nothing invalid passes as clean. The lines both
/// sides start and end with stay outside it; base's section is base without
/// the lines it shares with those. `prefer` resolves it to that side's text.
pub(crate) fn one_conflict(
    base: &[u8],
    current: &[u8],
    incoming: &[u8],
    opts: &MergeOptions,
) -> LineMerge {
    let v = Versions::new([base, current, incoming]);
    let [b, c, i] = &v.ids;
    let head = common_head(c, i);
    let tail = common_tail(&c[head..], &i[head..]);
    let base_head = common_head(b, &c[..head]);
    let base_tail = common_tail(&b[base_head..], &c[c.len() - tail..]);
    let region = Region {
        mode: Mode::Conflict,
        base: base_head..b.len() - base_tail,
        cur: head..c.len() - tail,
        inc: head..i.len() - tail,
    };
    v.writer(opts).write(&[region])
}

fn common_head(x: &[u32], y: &[u32]) -> usize {
    x.iter().zip(y).take_while(|(a, b)| a == b).count()
}

fn common_tail(x: &[u32], y: &[u32]) -> usize {
    x.iter()
        .rev()
        .zip(y.iter().rev())
        .take_while(|(a, b)| a == b)
        .count()
}

/// The changed runs between the lines all three versions share. A run
/// both sides changed the same way, each in one change over the whole run,
/// is left out: current's text is copied there. Where the two only end up
/// alike, git still counts a conflict (two hunks against one, say): its
/// `merge` style resolves it ([`refine`]) but keeps it as a run of its own,
/// which stops the conflicts around it from being joined; its `diff3` and
/// `zdiff3` styles show it. So it stays a conflict here too.
fn regions(chunks: Vec<Changed>, [b, c, i]: [&[u32]; 3]) -> Vec<Region> {
    let mut out = Vec::new();
    for chunk in chunks {
        let (base, current, incoming) = (chunk.base, chunk.first, chunk.second);
        let (vb, vc, vi) = (&b[base.clone()], &c[current.clone()], &i[incoming.clone()]);
        let mode = if vc == vb {
            Mode::Incoming
        } else if vi == vb {
            Mode::Current
        } else if vc == vi && chunk.whole {
            continue;
        } else {
            Mode::Conflict
        };
        out.push(Region {
            mode,
            base,
            cur: current,
            inc: incoming,
        });
    }
    out
}

/// `merge` style: a conflict becomes one conflict per run where current and
/// incoming differ, with the lines they share between them left outside.
fn refine(regions: Vec<Region>, c: &[u32], i: &[u32]) -> Vec<Region> {
    let mut out = Vec::with_capacity(regions.len());
    for r in regions {
        // Git does not refine a conflict where one side is empty.
        if r.mode != Mode::Conflict || r.cur.is_empty() || r.inc.is_empty() {
            out.push(r);
            continue;
        }
        let (vc, vi) = (&c[r.cur.clone()], &i[r.inc.clone()]);
        // A two-way diff of current against incoming, as a three-way walk
        // whose base is current itself: its unstable chunks are the hunks.
        let hunks: Vec<Region> = diff3(vc, vc, vi)
            .into_iter()
            .filter_map(|chunk| match chunk {
                Chunk::Unstable {
                    first: current,
                    second: incoming,
                    ..
                } => Some(Region {
                    mode: Mode::Conflict,
                    base: r.base.clone(),
                    cur: shift(current, r.cur.start),
                    inc: shift(incoming, r.inc.start),
                }),
                Chunk::Stable { .. } => None,
            })
            .collect();
        if hunks.is_empty() {
            // Same lines on both sides after all: no conflict (git's mode 4).
            out.push(Region {
                mode: Mode::Current,
                ..r
            });
        } else {
            out.extend(hunks);
        }
    }
    out
}

fn shift(r: Range<usize>, by: usize) -> Range<usize> {
    r.start + by..r.end + by
}

/// `merge` style: two conflicts separated by at most three lines, or by
/// lines without a letter or digit, become one (fewer marker lines to read).
/// A joined conflict is compared with the next one again, as in git.
fn simplify(regions: Vec<Region>, c: &Text) -> Vec<Region> {
    let mut out: Vec<Region> = Vec::with_capacity(regions.len());
    for next in regions {
        if let Some(m) = out.last_mut()
            && joins(m, &next, c)
        {
            m.cur.end = next.cur.end;
            m.inc.end = next.inc.end;
            m.base.end = m.base.end.max(next.base.end);
            continue;
        }
        out.push(next);
    }
    out
}

fn joins(m: &Region, next: &Region, c: &Text) -> bool {
    let gap = m.cur.end..next.cur.start;
    m.mode == Mode::Conflict
        && next.mode == Mode::Conflict
        && (gap.len() <= 3 || !c.span(gap).iter().any(u8::is_ascii_alphanumeric))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::Side;

    fn opts(style: ConflictStyle) -> MergeOptions {
        MergeOptions {
            style,
            labels: ["ours", "base", "theirs"].map(String::from),
            ..MergeOptions::default()
        }
    }

    fn merged(b: &str, c: &str, i: &str, style: ConflictStyle) -> String {
        let m = merge_lines(b.as_bytes(), c.as_bytes(), i.as_bytes(), &opts(style));
        String::from_utf8(m.text).unwrap()
    }

    #[test]
    fn separate_edits_merge_cleanly() {
        let got = merged(
            "a\nb\nc\nd\n",
            "A\nb\nc\nd\n",
            "a\nb\nc\nD\n",
            ConflictStyle::Diff3,
        );
        assert_eq!(got, "A\nb\nc\nD\n");
    }

    #[test]
    fn adjacent_edits_conflict_like_git() {
        let got = merged("a\nb\n", "A\nb\n", "a\nB\n", ConflictStyle::Diff3);
        assert_eq!(
            got,
            "<<<<<<< ours\nA\nb\n||||||| base\na\nb\n=======\na\nB\n>>>>>>> theirs\n"
        );
    }

    #[test]
    fn identical_changes_are_taken_once() {
        let got = merged("a\nb\n", "x\nb\n", "x\nb\n", ConflictStyle::Diff3);
        assert_eq!(got, "x\nb\n");
    }

    #[test]
    fn merge_style_narrows_a_conflict_to_the_differing_lines() {
        let got = merged("k\n", "x\n1\ny\n", "x\n2\ny\n", ConflictStyle::Merge);
        assert_eq!(got, "x\n<<<<<<< ours\n1\n=======\n2\n>>>>>>> theirs\ny\n");
    }

    #[test]
    fn zdiff3_keeps_the_whole_base() {
        let got = merged("k\n", "x\n1\ny\n", "x\n2\ny\n", ConflictStyle::Zdiff3);
        assert_eq!(
            got,
            "x\n<<<<<<< ours\n1\n||||||| base\nk\n=======\n2\n>>>>>>> theirs\ny\n"
        );
    }

    #[test]
    fn close_conflicts_are_joined_in_merge_style() {
        let b = "a\nk\nb\n";
        let got = merged(b, "1\nk\n1\n", "2\nk\n2\n", ConflictStyle::Merge);
        assert_eq!(
            got,
            "<<<<<<< ours\n1\nk\n1\n=======\n2\nk\n2\n>>>>>>> theirs\n"
        );
    }

    #[test]
    fn crlf_files_get_crlf_markers_and_missing_line_breaks() {
        let got = merged("a\r\nb\r\n", "a\r\nx", "a\r\ny", ConflictStyle::Merge);
        assert_eq!(
            got,
            "a\r\n<<<<<<< ours\r\nx\r\n=======\r\ny\r\n>>>>>>> theirs\r\n"
        );
    }

    #[test]
    fn prefer_resolves_conflicts() {
        let mut o = opts(ConflictStyle::Diff3);
        o.prefer = Some(Side::Incoming);
        let m = merge_lines(b"a\nb\n", b"A\nb\n", b"a\nB\n", &o);
        assert_eq!(m.text, b"a\nB\n");
        assert!(m.conflicts.is_empty());
    }

    #[test]
    fn one_conflict_leaves_out_the_lines_both_sides_share() {
        let (b, c, i) = ("a\nb\nz\n", "a\nB\nc\nz\n", "a\nX\nz\n");
        let m = one_conflict(
            b.as_bytes(),
            c.as_bytes(),
            i.as_bytes(),
            &opts(ConflictStyle::Diff3),
        );
        let want = "a\n<<<<<<< ours\nB\nc\n||||||| base\nb\n=======\nX\n>>>>>>> theirs\nz\n";
        assert_eq!(String::from_utf8(m.text).unwrap(), want);
        assert_eq!(m.conflicts.len(), 1);
        let m = one_conflict(
            b.as_bytes(),
            c.as_bytes(),
            i.as_bytes(),
            &opts(ConflictStyle::Merge),
        );
        let want = "a\n<<<<<<< ours\nB\nc\n=======\nX\n>>>>>>> theirs\nz\n";
        assert_eq!(String::from_utf8(m.text).unwrap(), want);
        let mut o = opts(ConflictStyle::Diff3);
        o.prefer = Some(Side::Incoming);
        let m = one_conflict(b.as_bytes(), c.as_bytes(), i.as_bytes(), &o);
        assert_eq!(m.text, i.as_bytes());
        assert!(m.conflicts.is_empty());
    }

    #[test]
    fn conflict_reports_hold_lines_and_sections() {
        let m = merge_lines(
            b"a\nb\nc\n",
            b"a\nB\nc\n",
            b"a\nX\nc\n",
            &opts(ConflictStyle::Diff3),
        );
        let c = &m.conflicts[0];
        assert_eq!((c.start_line, c.end_line), (2, 8));
        assert_eq!((&*c.current, &*c.base, &*c.incoming), ("B\n", "b\n", "X\n"));
    }
}
