//! A shortcut for large files: top-level entries (or whole documents of a
//! Kubernetes manifest stream) that are byte-identical in all three versions
//! cannot change the result, so they need not be parsed three times and
//! merged.
//!
//! Parsing is nearly all of a merge's time, and in a large file almost every
//! top-level entry is untouched by both sides. Each input is cut, by a line
//! scan, before every line that looks like a top-level key (with the blank and
//! column-0 comment lines above it, which the tree gives that key as its
//! leading trivia), or before every `---` of a stream. Runs of pieces equal in
//! all three versions are replaced by one placeholder entry (or document)
//! each; the three much smaller texts go through the normal merge, and the
//! placeholders are put back in its result. Both units are matched by name in
//! the merge (keys; Kubernetes `apiVersion`/`kind`/`metadata`), never by
//! position, so a placeholder changes no decision about its neighbours.
//!
//! The line scan is only a guess, so nothing is taken on trust: the untouched
//! pieces are parsed once (checked for aliases like any input), and every cut
//! must turn out to be the start of a top-level entry (or document) in those
//! parses and in the reduced texts. Anything unusual (directives, CRLF,
//! keep-chomped block scalars, aliases, a key repeated anywhere in a version,
//! text read outside YAML 1.2, documents without a Kubernetes identity, a
//! placeholder landing anywhere but on its own lines outside a conflict)
//! sends the merge down the full path, which is always right, just slower.
//! `tests/shortcut.rs` and the fuzzer check that both
//! paths give the same bytes.

use std::collections::HashSet;
use std::ops::Range;

use crate::conflict::Conflict;
use crate::conflict::{DEFAULT_MARKER_SIZE, marker_line};
use crate::matching::{diff3, key_text, kubernetes_identity, repeats_a_key};
use crate::syntax::{self, NodeKind, Tree};

/// Below this total input size the full path is fast enough.
pub(crate) const MIN_TOTAL: usize = 64 * 1024;

/// Starts every placeholder's name; chosen so that no real file holds it.
const PLACEHOLDER: &str = "__yamerge_untouched_";

/// What the pieces of a file are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Entries of a top-level block mapping, matched by key.
    Entries,
    /// Documents of a stream, matched by Kubernetes identity.
    Documents,
}

impl Mode {
    /// The text that stands for untouched run `n`.
    fn placeholder(self, n: usize) -> String {
        match self {
            Mode::Entries => format!("{PLACEHOLDER}{n}: 0\n"),
            Mode::Documents => format!(
                "--- # {PLACEHOLDER}{n}\napiVersion: yamerge/v1\nkind: Untouched\n\
                 metadata:\n  name: {PLACEHOLDER}{n}\n"
            ),
        }
    }

    /// Where the first [`PLACEHOLDER`] sits in a placeholder's text, and how
    /// many times it occurs there.
    fn mark(self) -> (usize, usize) {
        match self {
            Mode::Entries => (0, 1),
            Mode::Documents => ("--- # ".len(), 2),
        }
    }
}

/// A file cut into pieces.
struct Split {
    mode: Mode,
    pieces: Vec<Range<usize>>,
}

/// Three inputs reduced: untouched runs replaced by placeholders, parsed,
/// ready to merge; [`Reduced::restore`] puts the runs back into the merged
/// text.
pub(crate) struct Reduced<'a> {
    mode: Mode,
    /// Base's text, which holds the untouched runs.
    base: &'a str,
    /// Base's pieces, which the runs index.
    pieces: Vec<Range<usize>>,
    runs: Vec<Run>,
    /// The names the merge matches the untouched units by.
    untouched_names: HashSet<String>,
    /// The parsed reduced base, current and incoming.
    pub trees: [Tree; 3],
}

/// Reduces three inputs (names and bytes, base first) of at least
/// `min_total` bytes in all; `None` when the shortcut does not apply or
/// anything about it is in doubt (the caller then takes the full path, which
/// also reports any error with its true position).
pub(crate) fn reduce<'a>(
    names: [&str; 3],
    bytes: [&'a [u8]; 3],
    min_total: usize,
) -> Option<Reduced<'a>> {
    if bytes.iter().map(|b| b.len()).sum::<usize>() < min_total {
        return None;
    }
    let texts = bytes.map(|x| std::str::from_utf8(x).ok());
    let [Some(b), Some(c), Some(i)] = texts else {
        return None;
    };
    if b == c || b == i || c == i {
        // One side taken whole: the full path does that without merging.
        return None;
    }
    let splits = [b, c, i].map(split);
    let [Some(sb), Some(sc), Some(si)] = splits else {
        return None;
    };
    let mode = sb.mode;
    if sc.mode != mode || si.mode != mode {
        return None;
    }
    let (pb, pc, pi) = (sb.pieces, sc.pieces, si.pieces);
    let runs = untouched_runs([b, c, i], [&pb, &pc, &pi]);
    if runs.is_empty() {
        return None;
    }
    let untouched_names = check_untouched(mode, b, &pb, &runs)?;
    let reduced: Vec<ReducedText> = [(b, &pb, 0), (c, &pc, 1), (i, &pi, 2)]
        .into_iter()
        .map(|(text, pieces, side)| reduce_text(mode, text, pieces, &runs, side))
        .collect();
    let marks = runs.len() * mode.mark().1;
    let trees = parse_reduced(&reduced, names, marks)?;
    for (tree, r) in trees.iter().zip(&reduced) {
        let names = unit_names(mode, tree, &r.cuts)?;
        if !names_unique_with(&names, &untouched_names) {
            return None;
        }
    }
    Some(Reduced {
        mode,
        base: b,
        pieces: pb,
        runs,
        untouched_names,
        trees,
    })
}

/// Cuts `text` into pieces: before every `---` when the file is a stream of
/// several documents, else at the leading trivia of every line that looks
/// like a top-level key (the first piece also holds the file's header and
/// first key). `None` when the file has something the shortcut does not
/// handle.
fn split(text: &str) -> Option<Split> {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&0xEF)
        || has_keep_chomping(bytes)
        || memchr::memchr(b'\r', bytes).is_some()
    {
        return None;
    }
    let mut entries = vec![0];
    let mut documents = vec![0];
    let mut seen_key = false;
    let mut seen_content = false;
    // Start of the run of blank lines and column-0 comments above the line
    // (a key's leading trivia), and of the blank lines alone (which the tree
    // gives to the document after them).
    let mut trivia_from = None;
    let mut blank_from = None;
    let line_starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', bytes).map(|p| p + 1));
    for at in line_starts {
        let line = &bytes[at..];
        let Some(&first) = line.first() else {
            break;
        };
        match first {
            b'\n' => {
                trivia_from.get_or_insert(at);
                blank_from.get_or_insert(at);
                continue;
            }
            b'#' => {
                trivia_from.get_or_insert(at);
                blank_from = None;
                continue;
            }
            b'%' | b'\t' => return None,
            b'-' if line.starts_with(b"---") => {
                if !matches!(line.get(3), None | Some(b' ' | b'\n')) {
                    return None;
                }
                if seen_content {
                    documents.push(blank_from.unwrap_or(at));
                }
            }
            b'.' if line.starts_with(b"...") => return None,
            // Conflict markers are the full path's to report.
            b'<' | b'|' | b'=' | b'>'
                if marker_line(&line[..line_end(line)])
                    .is_some_and(|m| m.size >= DEFAULT_MARKER_SIZE) =>
            {
                return None;
            }
            b if b.is_ascii_alphanumeric() || b == b'_' => {
                if seen_key {
                    entries.push(trivia_from.unwrap_or(at));
                }
                seen_key = true;
            }
            _ => {}
        }
        trivia_from = None;
        blank_from = None;
        seen_content = true;
    }
    let (mode, mut cuts) = if documents.len() > 1 {
        (Mode::Documents, documents)
    } else {
        (Mode::Entries, entries)
    };
    cuts.push(bytes.len());
    (cuts.len() >= 4).then(|| Split {
        mode,
        pieces: cuts.windows(2).map(|w| w[0]..w[1]).collect(),
    })
}

/// The length of the first line of `rest`, its line break included.
fn line_end(rest: &[u8]) -> usize {
    memchr::memchr(b'\n', rest).map_or(rest.len(), |p| p + 1)
}

/// A keep-chomped block scalar (`|+`, `>2+`, ...) owns the blank lines after
/// it, which the line scan would give to the next key.
fn has_keep_chomping(bytes: &[u8]) -> bool {
    memchr::memchr2_iter(b'|', b'>', bytes).any(|p| match bytes.get(p + 1) {
        Some(b'+') => true,
        Some(d) if d.is_ascii_digit() => bytes.get(p + 2) == Some(&b'+'),
        _ => false,
    })
}

/// A run of pieces equal in all three versions: piece indices per version.
#[derive(Debug, Clone)]
struct Run {
    pieces: [Range<usize>; 3],
}

/// The runs of pieces that all three versions share at the same place,
/// never the first piece (the file's header) or the last (the file's tail).
fn untouched_runs(texts: [&str; 3], pieces: [&Vec<Range<usize>>; 3]) -> Vec<Run> {
    let [tb, tc, ti] = [0, 1, 2].map(|k| piece_texts(texts[k], pieces[k]));
    let inner = |k: usize, at: usize| at > 0 && at + 1 < pieces[k].len();
    let mut runs: Vec<Run> = Vec::new();
    for chunk in diff3(&tb, &tc, &ti) {
        let Some((base, current, incoming)) = chunk.stable() else {
            continue;
        };
        if !(inner(0, base) && inner(1, current) && inner(2, incoming)) {
            continue;
        }
        let at = [base, current, incoming];
        match runs.last_mut() {
            Some(run) if (0..3).all(|k| run.pieces[k].end == at[k]) => {
                for (r, a) in run.pieces.iter_mut().zip(at) {
                    r.end = a + 1;
                }
            }
            _ => runs.push(Run {
                pieces: at.map(|a| a..a + 1),
            }),
        }
    }
    runs
}

fn piece_texts<'a>(text: &'a str, pieces: &[Range<usize>]) -> Vec<&'a str> {
    pieces.iter().map(|r| &text[r.clone()]).collect()
}

/// The byte range of a run in one version.
fn run_bytes(pieces: &[Range<usize>], run: &Range<usize>) -> Range<usize> {
    pieces[run.start].start..pieces[run.end - 1].end
}

/// Parses the untouched text once (it is the same in all three versions) and
/// checks it: valid, no repeated keys, no aliases, and every cut the start
/// of a top-level entry or document.
/// Returns the names the merge matches those by.
fn check_untouched(
    mode: Mode,
    base: &str,
    pieces: &[Range<usize>],
    runs: &[Run],
) -> Option<HashSet<String>> {
    // The text is parsed in two halves, on two threads.
    let half = runs.len() / 2;
    let groups: Vec<&[Run]> = if half > 0 {
        vec![&runs[..half], &runs[half..]]
    } else {
        vec![runs]
    };
    let checked: Vec<Option<Vec<String>>> = std::thread::scope(|s| {
        let handles: Vec<_> = groups
            .iter()
            .map(|g| s.spawn(move || check_group(mode, base, pieces, g)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(None))
            .collect()
    });
    let mut names = HashSet::new();
    for group in checked {
        for name in group? {
            if name.contains(PLACEHOLDER) || !names.insert(name) {
                return None;
            }
        }
    }
    Some(names)
}

fn check_group(
    mode: Mode,
    base: &str,
    pieces: &[Range<usize>],
    runs: &[Run],
) -> Option<Vec<String>> {
    let mut text = String::new();
    let mut cuts = Vec::new();
    for run in runs {
        for k in run.pieces[0].clone() {
            if !text.is_empty() {
                cuts.push(text.len() as u32);
            }
            text.push_str(&base[pieces[k].clone()]);
        }
    }
    let tree = syntax::parse("untouched", text.as_bytes()).ok()?;
    if has_alias(&tree)
        || read_leniently(&tree)
        || repeats_a_key(&tree)
        || !last_unit_ends_text(mode, &tree)
    {
        return None;
    }
    unit_names(mode, &tree, &cuts)
}

/// A text read outside YAML 1.2 takes the full path, whose notes point at
/// the places in the inputs (a reduced text's lines are not theirs).
fn read_leniently(tree: &Tree) -> bool {
    !tree.lenient().is_empty()
}

/// One version with its untouched runs replaced by placeholder lines.
struct ReducedText {
    text: String,
    /// Where each piece and placeholder starts (the first excepted).
    cuts: Vec<u32>,
}

fn reduce_text(
    mode: Mode,
    text: &str,
    pieces: &[Range<usize>],
    runs: &[Run],
    side: usize,
) -> ReducedText {
    let mut out = ReducedText {
        text: String::new(),
        cuts: Vec::new(),
    };
    let mut next = 0;
    let cut = |out: &mut ReducedText| {
        if !out.text.is_empty() {
            out.cuts.push(out.text.len() as u32);
        }
    };
    for (n, run) in runs.iter().enumerate() {
        let range = &run.pieces[side];
        for piece in &pieces[next..range.start] {
            cut(&mut out);
            out.text.push_str(&text[piece.clone()]);
        }
        cut(&mut out);
        out.text.push_str(&mode.placeholder(n));
        next = range.end;
    }
    for piece in &pieces[next..] {
        cut(&mut out);
        out.text.push_str(&text[piece.clone()]);
    }
    out
}

/// Parses the reduced versions, each of which must hold `marks` placeholder
/// names (one or two per run, see [`Mode::mark`]) and no others, and no
/// repeated key: the full path names those in notes, with their true lines,
/// and matches their occurrences in order, which placeholders between them
/// must not disturb.
fn parse_reduced<const N: usize>(
    reduced: &[ReducedText],
    names: [&str; N],
    marks: usize,
) -> Option<[Tree; N]> {
    let mut trees = Vec::with_capacity(N);
    for (r, name) in reduced.iter().zip(names) {
        if r.text.matches(PLACEHOLDER).count() != marks {
            // A version of the file holds the placeholder's name itself.
            return None;
        }
        let tree = syntax::parse(name, r.text.as_bytes()).ok()?;
        if has_alias(&tree) || read_leniently(&tree) || repeats_a_key(&tree) {
            return None;
        }
        trees.push(tree);
    }
    trees.try_into().ok()
}

/// The names of the tree's units (top-level keys, or Kubernetes identities
/// of documents), when there is a unit starting at every cut (leading trivia
/// included) and nothing else stands in the way of matching by name.
fn unit_names(mode: Mode, tree: &Tree, cuts: &[u32]) -> Option<Vec<String>> {
    match mode {
        Mode::Entries => {
            let [doc] = tree.documents() else {
                return None;
            };
            if tree.node(doc.root).kind != NodeKind::BlockMap {
                return None;
            }
            let entries = tree.entries(doc.root);
            starts_at_every_cut(entries.iter().map(|e| e.lead), cuts).then(|| {
                entries
                    .iter()
                    .map(|e| key_text(tree, e.key).into_owned())
                    .collect()
            })
        }
        Mode::Documents => {
            let docs = tree.documents();
            // One document per piece, each starting at its cut.
            if docs.len() != cuts.len() + 1
                || !starts_at_every_cut(docs.iter().map(|d| d.start), cuts)
            {
                return None;
            }
            // The merge matches documents by name only when every one has a
            // Kubernetes identity.
            docs.iter()
                .map(|d| kubernetes_identity(tree, d.root))
                .collect()
        }
    }
}

/// True when the text ends with its last unit, not with trivia the tree
/// gives to the document (say a line of spaces, which in the whole file is
/// the leading trivia of the next key): the untouched text was cut exactly
/// where the full parse ends an entry or document. (Every other cut is
/// checked as the start of the unit after it.)
fn last_unit_ends_text(mode: Mode, tree: &Tree) -> bool {
    let len = tree.source().len() as u32;
    let Some(doc) = tree.documents().last() else {
        return false;
    };
    let last_end = match mode {
        Mode::Entries => tree.entries(doc.root).last().map(|e| e.end),
        Mode::Documents => Some(doc.end),
    };
    last_end == Some(len) && doc.end == len
}

/// True when every cut is one of `starts` (both in increasing order).
fn starts_at_every_cut(starts: impl Iterator<Item = u32>, cuts: &[u32]) -> bool {
    let mut starts = starts.peekable();
    cuts.iter().all(|&cut| {
        while starts.next_if(|&l| l < cut).is_some() {}
        starts.next_if_eq(&cut).is_some()
    })
}

/// Aliases reach across the whole file; the shortcut only handles files
/// without them.
fn has_alias(tree: &Tree) -> bool {
    (0..tree.node_count() as u32).any(|id| tree.node(id).kind == NodeKind::Alias)
}

/// A version's own names must be unique and must not repeat an untouched
/// one: the full path matches a repeated key by occurrence, and documents
/// with a repeated identity by position instead of by name.
fn names_unique_with(names: &[String], untouched: &HashSet<String>) -> bool {
    let mut own = HashSet::with_capacity(names.len());
    names
        .iter()
        .filter(|n| !n.contains(PLACEHOLDER))
        .all(|n| !untouched.contains(n) && own.insert(n.as_str()))
}

impl Reduced<'_> {
    /// A merge of the three whole texts (git's line merge, say) reduced like
    /// them and parsed, so that it can be checked against the reduced trees
    /// without parsing it whole: each untouched run is found, in order, among
    /// its pieces and replaced by its placeholder. `None` when a run is not
    /// there as a whole or anything else is in doubt.
    pub(crate) fn reduce_merged(&self, merged: &[u8]) -> Option<Tree> {
        let text = std::str::from_utf8(merged).ok()?;
        let pieces = split(text).filter(|s| s.mode == self.mode)?.pieces;
        let texts = piece_texts(text, &pieces);
        let base_texts = piece_texts(self.base, &self.pieces);
        let mut at = Vec::with_capacity(self.runs.len());
        let mut from = 0;
        for run in &self.runs {
            let wanted = &base_texts[run.pieces[0].clone()];
            let start = (from..=texts.len().checked_sub(wanted.len())?)
                .find(|&p| texts[p..p + wanted.len()] == *wanted)?;
            at.push(start..start + wanted.len());
            from = start + wanted.len();
        }
        let runs: Vec<Run> = at
            .into_iter()
            .map(|r| Run {
                pieces: [r.clone(), r.clone(), r],
            })
            .collect();
        let reduced = reduce_text(self.mode, text, &pieces, &runs, 0);
        let marks = runs.len() * self.mode.mark().1;
        let [tree] = parse_reduced(std::slice::from_ref(&reduced), ["merged result"], marks)?;
        let names = unit_names(self.mode, &tree, &reduced.cuts)?;
        names_unique_with(&names, &self.untouched_names).then_some(tree)
    }

    /// Puts the untouched text back in place of each placeholder line of a
    /// structural merge of the reduced trees, and moves the conflicts' line
    /// numbers down by the lines that adds. `None` unless every placeholder
    /// is found once, on its own line, outside any conflict.
    pub(crate) fn restore(
        &self,
        reduced: &str,
        mut conflicts: Vec<Conflict>,
    ) -> Option<(String, Vec<Conflict>)> {
        let (mode, base, pieces, runs) = (self.mode, self.base, &self.pieces, &self.runs);
        if conflicts.iter().any(|c| {
            [&c.current, &c.base, &c.incoming]
                .iter()
                .any(|s| s.contains(PLACEHOLDER))
        }) {
            return None;
        }
        let mut text = String::with_capacity(base.len() + reduced.len());
        // (line of the placeholder in the reduced result, lines it adds: fewer
        // than none when a placeholder document is longer than the documents)
        let mut added: Vec<(usize, isize)> = Vec::with_capacity(runs.len());
        let (mut from, mut line) = (0, 1);
        let mut expected = 0;
        let (mark, _) = mode.mark();
        while let Some(p) = reduced[from..].find(PLACEHOLDER).map(|p| from + p) {
            let line_text = mode.placeholder(expected);
            let p = p.checked_sub(mark).filter(|&p| p >= from)?;
            let at_line_start = p == 0 || reduced.as_bytes()[p - 1] == b'\n';
            if expected >= runs.len() || !at_line_start || !reduced[p..].starts_with(&line_text) {
                return None;
            }
            let untouched = &base[run_bytes(pieces, &runs[expected].pieces[0])];
            line += reduced[from..p].bytes().filter(|&b| b == b'\n').count();
            let own_lines = line_text.bytes().filter(|&b| b == b'\n').count();
            let untouched_lines = untouched.bytes().filter(|&b| b == b'\n').count();
            added.push((line, untouched_lines as isize - own_lines as isize));
            text.push_str(&reduced[from..p]);
            text.push_str(untouched);
            from = p + line_text.len();
            line += own_lines;
            expected += 1;
        }
        if expected != runs.len() {
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
