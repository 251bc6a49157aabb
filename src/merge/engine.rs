//! The recursive merge over regions of the three trees.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::{
    Change, ChangeKind, ConflictPieces, Copy, MergeOptions, Pick, Piece, Plan, Side, trivial_merge,
};
use crate::error::{Error, Result};
use crate::matching::{self as diff, Chunk, Path, Segment};
use crate::syntax::text::{line_start, only_blanks_before};
use crate::syntax::{NO_NODE, NodeId, NodeKind, Tree};

/// A mergeable stretch of one version: leading trivia `lead..body`, the body
/// `body..end`, the node it holds, and the column of its collection.
#[derive(Debug, Clone, Copy)]
struct Region {
    lead: u32,
    body: u32,
    end: u32,
    key: NodeId,
    value: NodeId,
    document: bool,
}

/// Columns of the collection being merged, per side (indexed by `Side`).
type Cols = [u32; 3];

/// Builds the merge plan of three parsed versions, on `opts.layout`'s text;
/// `line_merge` allows three-way line merges of scalars both sides changed
/// (turned off to retry when a result is invalid). With `opts.prefer`, a
/// conflict becomes that side's version.
pub(crate) fn plan(
    base: &Tree,
    current: &Tree,
    incoming: &Tree,
    opts: &MergeOptions,
    line_merge: bool,
) -> Result<Plan> {
    let mut e = Engine {
        trees: [base, current, incoming],
        layout: opts.layout,
        other: opts.other(),
        prefer: opts.prefer,
        line_merge,
        out: Vec::new(),
        changes: Vec::new(),
        whole_file: false,
    };
    e.merge_stream()?;
    Ok(Plan {
        pieces: e.out,
        changes: e.changes,
        whole_file: e.whole_file,
    })
}

struct Engine<'t> {
    trees: [&'t Tree; 3],
    layout: Side,
    other: Side,
    prefer: Option<Side>,
    line_merge: bool,
    out: Vec<Piece>,
    changes: Vec<Change>,
    whole_file: bool,
}

/// Compares two texts line by line, ignoring the given indentation on each,
/// the line-break style, and whether the last line has a line break (a file
/// that ends without one is not a change to its last entry).
fn same_text(a: &str, a_col: u32, b: &str, b_col: u32) -> bool {
    if a_col == b_col && a == b {
        return true;
    }
    fn strip(line: &str, col: u32) -> &str {
        let col = col as usize;
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.len() >= col && line.as_bytes()[..col].iter().all(|&b| b == b' ') {
            &line[col..]
        } else {
            line
        }
    }
    let mut la = a.split_inclusive('\n');
    let mut lb = b.split_inclusive('\n');
    loop {
        match (la.next(), lb.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if strip(x, a_col) == strip(y, b_col) => {}
            _ => return false,
        }
    }
}

/// Re-indents `text` (from one version) as it will be printed in the layout.
pub(crate) fn shift_text(text: &str, from: u32, to: u32, starts_line: bool, out: &mut String) {
    if from == to {
        out.push_str(text);
        return;
    }
    let (from, to) = (from as usize, to as usize);
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let spaces = line.bytes().take_while(|&b| b == b' ').count();
        if (i > 0 || starts_line) && spaces >= from && line.trim_end().len() > spaces {
            out.extend(std::iter::repeat_n(' ', to));
            out.push_str(&line[from..]);
        } else {
            out.push_str(line);
        }
    }
}

impl<'t> Engine<'t> {
    fn tree(&self, side: Side) -> &'t Tree {
        self.trees[side.index()]
    }

    fn text(&self, side: Side, start: u32, end: u32) -> &'t str {
        self.tree(side).slice(start, end)
    }

    fn record(&mut self, path: &Path, side: Side, kind: ChangeKind) {
        self.changes.push(Change {
            path: path.to_string(),
            side,
            kind,
        });
    }

    fn copy(&self, side: Side, (start, end): (u32, u32), cols: &Cols, entry: bool) -> Piece {
        Piece::Copy(Copy {
            side,
            start,
            end,
            from_col: cols[side.index()],
            to_col: cols[self.layout.index()],
            entry,
        })
    }

    fn emit(&mut self, side: Side, range: (u32, u32), cols: &Cols, entry: bool) {
        if range.0 < range.1 {
            let piece = self.copy(side, range, cols, entry);
            self.out.push(piece);
        }
    }

    fn same(&self, a: (Side, (u32, u32)), b: (Side, (u32, u32)), cols: &Cols) -> bool {
        same_text(
            self.text(a.0, a.1.0, a.1.1),
            cols[a.0.index()],
            self.text(b.0, b.1.0, b.1.1),
            cols[b.0.index()],
        )
    }

    /// The trivial merge of three versions of a range (base may be absent),
    /// and whether the layout side left it as in base.
    fn decide(
        &self,
        b: Option<(u32, u32)>,
        l: (u32, u32),
        o: (u32, u32),
        cols: &Cols,
    ) -> (Option<Pick>, Option<bool>) {
        let (ls, os) = (self.layout, self.other);
        let eq_bl = b.map(|b| self.same((Side::Base, b), (ls, l), cols));
        let eq_bo = b.map(|b| self.same((Side::Base, b), (os, o), cols));
        let eq_lo = self.same((ls, l), (os, o), cols);
        (trivial_merge(eq_bl, eq_bo, eq_lo), eq_bl)
    }

    /// Emits a conflict whose sections are the given ranges (`None`: absent).
    fn conflict(&mut self, path: &Path, ranges: [Option<(u32, u32)>; 3], cols: &Cols) {
        let section = |side: Side| -> Vec<Piece> {
            ranges[side.index()]
                .filter(|r| r.0 < r.1)
                .map(|r| vec![self.copy(side, r, cols, true)])
                .unwrap_or_default()
        };
        if let Some(side) = self.prefer {
            let pieces = section(side);
            self.out.extend(pieces);
            return;
        }
        let pieces = ConflictPieces {
            path: path.to_string(),
            current: section(Side::Current),
            base: section(Side::Base),
            incoming: section(Side::Incoming),
        };
        self.out.push(Piece::Conflict(Box::new(pieces)));
    }

    /// Three versions of a piece of text (trivia, a header, a tail): the
    /// trivial merge, else a conflict on exactly that text.
    fn merge_text(
        &mut self,
        path: &Path,
        b: Option<(u32, u32)>,
        l: (u32, u32),
        o: (u32, u32),
        cols: &Cols,
    ) {
        let (ls, os) = (self.layout, self.other);
        let (pick, _) = self.decide(b, l, o, cols);
        match pick {
            Some(Pick::Layout) => self.emit(ls, l, cols, false),
            Some(Pick::Other) => self.emit(os, o, cols, false),
            None => {
                if let Some(text) = b
                    .filter(|_| self.line_merge)
                    .and_then(|b| self.line_merge(b, l, o, cols))
                {
                    self.out.push(Piece::Owned(text));
                    return;
                }
                let mut ranges = [None; 3];
                ranges[Side::Base.index()] = b;
                ranges[ls.index()] = Some(l);
                ranges[os.index()] = Some(o);
                self.conflict(path, ranges, cols);
            }
        }
    }

    // ----- documents -------------------------------------------------------

    fn merge_stream(&mut self) -> Result<()> {
        let (b, l, o) = (
            self.tree(Side::Base),
            self.tree(self.layout),
            self.tree(self.other),
        );
        let cols: Cols = [0; 3];
        if let Some(pick) = trivial_merge(
            Some(b.source() == l.source()),
            Some(b.source() == o.source()),
            l.source() == o.source(),
        ) {
            let side = if pick == Pick::Layout {
                self.layout
            } else {
                self.other
            };
            let len = self.tree(side).source().len() as u32;
            self.emit(side, (0, len), &cols, false);
            self.whole_file = true;
            return Ok(());
        }
        let regions = |t: &Tree| -> Vec<Region> {
            t.documents()
                .iter()
                .map(|d| Region {
                    lead: d.start,
                    body: d.start,
                    end: d.end,
                    key: NO_NODE,
                    value: d.root,
                    document: true,
                })
                .collect()
        };
        let (rb, rl, ro) = (regions(b), regions(l), regions(o));
        let k8s = |t: &'t Tree, rs: &[Region]| -> Option<Vec<(Cow<'t, str>, Region)>> {
            let mut seen = std::collections::HashSet::new();
            rs.iter()
                .map(|r| {
                    let id = diff::kubernetes_identity(t, r.value)?;
                    seen.insert(id.clone()).then_some((Cow::Owned(id), *r))
                })
                .collect()
        };
        let keyed = (k8s(b, &rb), k8s(l, &rl), k8s(o, &ro));
        let many = rb.len().max(rl.len()).max(ro.len()) > 1;
        match keyed {
            _ if rb.len() == 1 && rl.len() == 1 && ro.len() == 1 => {
                self.merge_region(&Path::default(), Some(rb[0]), rl[0], ro[0], &cols)?
            }
            (Some(kb), Some(mut kl), Some(mut ko)) if many && !(kl.is_empty() || ko.is_empty()) => {
                self.pair_renamed(&kb, self.layout, &mut kl, None);
                self.pair_renamed(&kb, self.other, &mut ko, None);
                self.merge_keyed(&Path::default(), Some(kb), kl, ko, &cols, "")?
            }
            _ => self.merge_unkeyed(&Path::default(), Some(&rb), &rl, &ro, &cols)?,
        }
        let tail = |t: &Tree| (t.stream_tail_start(), t.source().len() as u32);
        self.merge_text(&Path::default(), Some(tail(b)), tail(l), tail(o), &cols);
        Ok(())
    }

    fn merge_document(
        &mut self,
        path: &Path,
        b: Option<Region>,
        l: Region,
        o: Region,
    ) -> Result<()> {
        let doc_of = |side: Side, r: Region| {
            *self
                .tree(side)
                .documents()
                .iter()
                .find(|d| d.start == r.lead && d.root == r.value)
                .expect("region of a document")
        };
        let (ls, os) = (self.layout, self.other);
        let bd = b.map(|r| doc_of(Side::Base, r));
        let (ld, od) = (doc_of(ls, l), doc_of(os, o));
        let cols: Cols = [0; 3];
        self.merge_text(
            path,
            bd.map(|d| (d.start, d.root_start)),
            (ld.start, ld.root_start),
            (od.start, od.root_start),
            &cols,
        );
        let root = |d: crate::syntax::Document| Region {
            lead: d.root_start,
            body: d.root_start,
            end: d.root_end,
            key: NO_NODE,
            value: d.root,
            document: false,
        };
        self.merge_region(path, bd.map(root), root(ld), root(od), &cols)?;
        self.merge_text(
            path,
            bd.map(|d| (d.root_end, d.end)),
            (ld.root_end, ld.end),
            (od.root_end, od.end),
            &cols,
        );
        Ok(())
    }

    // ----- one entry -------------------------------------------------------

    /// Merges one entry (or document, or root) present on both sides.
    fn merge_region(
        &mut self,
        path: &Path,
        b: Option<Region>,
        l: Region,
        o: Region,
        cols: &Cols,
    ) -> Result<()> {
        let whole = |r: Region| (r.lead, r.end);
        let body = |r: Region| (r.body, r.end);
        if l.document {
            let (pick, eq_bl) = self.decide(b.map(whole), whole(l), whole(o), cols);
            return match pick {
                Some(pick) => {
                    self.take(path, pick, eq_bl, whole(l), whole(o), cols);
                    Ok(())
                }
                None => self.merge_document(path, b, l, o),
            };
        }
        self.merge_text(
            path,
            b.map(|b| (b.lead, b.body)),
            (l.lead, l.body),
            (o.lead, o.body),
            cols,
        );
        let (pick, eq_bl) = self.decide(b.map(body), body(l), body(o), cols);
        match pick {
            Some(pick) => {
                self.take(path, pick, eq_bl, body(l), body(o), cols);
                Ok(())
            }
            None => self.merge_changed(path, b, l, o, cols),
        }
    }

    fn take(
        &mut self,
        path: &Path,
        pick: Pick,
        eq_bl: Option<bool>,
        l: (u32, u32),
        o: (u32, u32),
        cols: &Cols,
    ) {
        let kind = if eq_bl.is_none() {
            ChangeKind::Added
        } else {
            ChangeKind::Changed
        };
        match pick {
            Pick::Layout => {
                if eq_bl == Some(false) {
                    self.record(path, self.layout, kind);
                }
                self.emit(self.layout, l, cols, true);
            }
            Pick::Other => {
                self.record(path, self.other, kind);
                self.emit(self.other, o, cols, true);
            }
        }
    }

    /// Both sides changed the body differently: look inside.
    fn merge_changed(
        &mut self,
        path: &Path,
        b: Option<Region>,
        l: Region,
        o: Region,
        cols: &Cols,
    ) -> Result<()> {
        let (ls, os) = (self.layout, self.other);
        let node = |side: Side, r: Region| *self.tree(side).node(r.value);
        let (bn, ln, on) = (b.map(|r| node(Side::Base, r)), node(ls, l), node(os, o));
        let same_kind =
            |k: NodeKind| ln.kind == k && on.kind == k && bn.is_none_or(|n| n.kind == k);
        if same_kind(NodeKind::BlockMap) || same_kind(NodeKind::BlockSeq) {
            return self.merge_collections(path, b, l, o, cols);
        }
        let merged_lines = match b {
            Some(b) if self.line_merge => {
                self.line_merge((b.body, b.end), (l.body, l.end), (o.body, o.end), cols)
            }
            _ => None,
        };
        if let Some(text) = merged_lines {
            self.record(path, ls, ChangeKind::Changed);
            self.record(path, os, ChangeKind::Changed);
            self.out.push(Piece::Owned(text));
            return Ok(());
        }
        let keys_equal = {
            let key = |side: Side, r: Region| -> Option<u64> {
                (r.key != NO_NODE).then(|| self.tree(side).node(r.key).data)
            };
            key(ls, l) == key(os, o)
        };
        if ln.data == on.data && keys_equal {
            // Same data written differently on both sides: the layout's wins.
            self.record(path, ls, ChangeKind::Changed);
            self.emit(ls, (l.body, l.end), cols, true);
            return Ok(());
        }
        let mut ranges = [None; 3];
        ranges[Side::Base.index()] = b.map(|b| (b.body, b.end));
        ranges[ls.index()] = Some((l.body, l.end));
        ranges[os.index()] = Some((o.body, o.end));
        self.conflict(path, ranges, cols);
        Ok(())
    }

    /// A git-style three-way merge of the lines of three ranges, as the
    /// layout would print them. `None` when the lines conflict.
    fn line_merge(
        &self,
        b: (u32, u32),
        l: (u32, u32),
        o: (u32, u32),
        cols: &Cols,
    ) -> Option<String> {
        let (ls, os) = (self.layout, self.other);
        let to = cols[ls.index()];
        let as_layout = |side: Side, (start, end): (u32, u32)| {
            let starts_line = !self.starts_mid_line(side, start);
            let mut s = String::new();
            shift_text(
                self.text(side, start, end),
                cols[side.index()],
                to,
                starts_line,
                &mut s,
            );
            s
        };
        let (tb, tl, to_) = (as_layout(Side::Base, b), as_layout(ls, l), as_layout(os, o));
        let lines = |s: &str| {
            s.split_inclusive('\n')
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        let (vb, vl, vo) = (lines(&tb), lines(&tl), lines(&to_));
        let mut out = String::with_capacity(tl.len() + to_.len());
        for chunk in diff::diff3(&vb, &vl, &vo) {
            match chunk {
                Chunk::Stable { current, .. } => out.push_str(&vl[current]),
                Chunk::Unstable {
                    base,
                    current,
                    incoming,
                } => {
                    let (cb, cl, co) = (&vb[base], &vl[current], &vo[incoming]);
                    let pick = trivial_merge(Some(cb == cl), Some(cb == co), cl == co)?;
                    let lines = if pick == Pick::Layout { cl } else { co };
                    lines.iter().for_each(|x| out.push_str(x));
                }
            }
        }
        Some(out)
    }

    // ----- collections -----------------------------------------------------

    fn merge_collections(
        &mut self,
        path: &Path,
        b: Option<Region>,
        l: Region,
        o: Region,
        cols: &Cols,
    ) -> Result<()> {
        let (ls, os) = (self.layout, self.other);
        if b.is_some_and(|b| self.could_merge_to_empty(b, l, o)) {
            // Each side removed entries the other kept, all of them between
            // the two: an empty block collection cannot be written (`key:`
            // alone reads as null, `- ` as a null item, and the next line
            // could join it), so the person merging decides (found by fuzzing).
            let mut ranges = [None; 3];
            ranges[Side::Base.index()] = b.map(|b| (b.body, b.end));
            ranges[ls.index()] = Some((l.body, l.end));
            ranges[os.index()] = Some((o.body, o.end));
            self.conflict(path, ranges, cols);
            return Ok(());
        }
        let first_lead = |side: Side, r: Region| self.tree(side).entries(r.value)[0].lead;
        let header = |side: Side, r: Region| (r.body, first_lead(side, r));
        // Blanks the other side changed in a header (`-     a: 1` for
        // `- a: 1`) move its first entry to another column than the
        // layout's entries: the layout's header keeps them aligned (found
        // by fuzzing: the result did not parse).
        let keep_layout_header = {
            let col = |side: Side, r: Region| self.tree(side).node(r.value).col;
            let text = |side: Side, r: Region| {
                let (s, e) = header(side, r);
                self.text(side, s, e)
            };
            col(ls, l) != col(os, o)
                && b.is_some_and(|b| {
                    let (bt, ot) = (text(Side::Base, b), text(os, o));
                    bt != ot && bt.split_whitespace().eq(ot.split_whitespace())
                })
        };
        if keep_layout_header {
            self.emit(ls, header(ls, l), cols, false);
        } else {
            self.merge_text(
                path,
                b.map(|r| header(Side::Base, r)),
                header(ls, l),
                header(os, o),
                cols,
            );
        }
        let mut child_cols = *cols;
        let node_col = |side: Side, r: Region| self.tree(side).node(r.value).col;
        child_cols[ls.index()] = node_col(ls, l);
        child_cols[os.index()] = node_col(os, o);
        child_cols[Side::Base.index()] = b.map_or(node_col(ls, l), |r| node_col(Side::Base, r));
        let items = |side: Side, r: Region| self.items(side, r.value);
        let (ib, il, io) = (b.map(|r| items(Side::Base, r)), items(ls, l), items(os, o));
        if self.tree(ls).node(l.value).kind == NodeKind::BlockMap {
            let keyed = |side: Side, rs: &[Region]| -> Result<Vec<(Cow<'t, str>, Region)>> {
                self.map_keys(side, rs)
            };
            let kb = ib.as_deref().map(|rs| keyed(Side::Base, rs)).transpose()?;
            let (kl, ko) = (keyed(ls, &il)?, keyed(os, &io)?);
            self.merge_keyed(path, kb, kl, ko, &child_cols, "")?;
        } else {
            self.merge_sequence(path, ib.as_deref(), &il, &io, &child_cols)?;
        }
        let tail = |side: Side, r: Region| {
            let t = self.tree(side);
            let last = t.entries(r.value).last().map_or(r.end, |e| e.end);
            (last, r.end)
        };
        self.merge_text(
            path,
            b.map(|r| tail(Side::Base, r)),
            tail(ls, l),
            tail(os, o),
            cols,
        );
        Ok(())
    }

    /// True when neither side keeps an entry the other keeps too and
    /// neither adds one: the merged collection may have no entry left.
    fn could_merge_to_empty(&self, b: Region, l: Region, o: Region) -> bool {
        let ids = |side: Side, r: Region| -> HashSet<Cow<'t, str>> {
            let t: &'t Tree = self.tree(side);
            t.entries(r.value)
                .iter()
                .map(|e| {
                    if e.key == NO_NODE {
                        Cow::Owned(t.node(e.value).data.to_string())
                    } else {
                        diff::key_text(t, e.key)
                    }
                })
                .collect()
        };
        let (ib, il, io) = (ids(Side::Base, b), ids(self.layout, l), ids(self.other, o));
        il.is_disjoint(&io) && il.is_subset(&ib) && io.is_subset(&ib)
    }

    fn items(&self, side: Side, node: NodeId) -> Vec<Region> {
        let t = self.tree(side);
        let src = t.source().as_bytes();
        t.entries(node)
            .iter()
            .map(|e| {
                let ls = line_start(src, e.start as usize) as u32;
                let body = if e.lead <= ls && only_blanks_before(src, e.start as usize) {
                    ls
                } else {
                    e.start
                };
                Region {
                    lead: e.lead,
                    body,
                    end: e.end,
                    key: e.key,
                    value: e.value,
                    document: false,
                }
            })
            .collect()
    }

    fn map_keys(&self, side: Side, rs: &[Region]) -> Result<Vec<(Cow<'t, str>, Region)>> {
        let t: &'t Tree = self.tree(side);
        let mut seen: HashMap<Cow<'t, str>, u32> = HashMap::with_capacity(rs.len());
        let mut out = Vec::with_capacity(rs.len());
        for r in rs {
            let key = diff::key_text(t, r.key);
            if let Some(&first) = seen.get(&key) {
                let src = t.source().as_bytes();
                return Err(Error::Unmergeable {
                    at: crate::error::location_of(t.name(), src, r.body as usize),
                    reason: format!(
                        "duplicate key `{key}` (first at line {}); yamerge will not pick one silently",
                        crate::error::location_of("", src, first as usize).line
                    ),
                });
            }
            seen.insert(key.clone(), r.body);
            out.push((key, *r));
        }
        Ok(out)
    }

    fn merge_sequence(
        &mut self,
        path: &Path,
        b: Option<&[Region]>,
        l: &[Region],
        o: &[Region],
        cols: &Cols,
    ) -> Result<()> {
        let (ls, os) = (self.layout, self.other);
        let values = |rs: &[Region]| rs.iter().map(|r| r.value).collect::<Vec<_>>();
        let (vb, vl, vo) = (b.map(values), values(l), values(o));
        let mut versions = vec![
            (self.tree(ls), vl.as_slice()),
            (self.tree(os), vo.as_slice()),
        ];
        if let Some(vb) = &vb {
            versions.push((self.tree(Side::Base), vb.as_slice()));
        }
        if let Some(field) = diff::identity_field(&versions) {
            let keyed = |side: Side, rs: &[Region]| -> Vec<(Cow<'t, str>, Region)> {
                let t: &'t Tree = self.tree(side);
                rs.iter()
                    .map(|r| {
                        let id = diff::item_identity(t, r.value, field).unwrap_or_default();
                        (Cow::Borrowed(id), *r)
                    })
                    .collect()
            };
            let kb = b.map(|rs| keyed(Side::Base, rs));
            let (mut kl, mut ko) = (keyed(ls, l), keyed(os, o));
            if let Some(kb) = &kb {
                self.pair_renamed(kb, ls, &mut kl, Some(field));
                self.pair_renamed(kb, os, &mut ko, Some(field));
            }
            return self.merge_keyed(path, kb, kl, ko, cols, field);
        }
        self.merge_unkeyed(path, b, l, o, cols)
    }

    /// Items of a keyed list (or Kubernetes documents) whose identity a side
    /// changed: an item only that side has, mostly the same text as an item
    /// only base has, takes that base item's key, so that the rename and the
    /// other side's edits of the item merge instead of becoming a deletion
    /// and an addition. Dissimilar items stay apart (a real delete and add).
    /// List items are compared without their identity field (`field`), the
    /// one line a rename changes.
    fn pair_renamed(
        &self,
        b: &[(Cow<'t, str>, Region)],
        side: Side,
        x: &mut [(Cow<'t, str>, Region)],
        field: Option<&str>,
    ) {
        /// Share of equal lines from which two items count as one renamed.
        const SIMILAR: f32 = 0.6;
        /// Beyond this many unmatched items on either side, no pairing (it
        /// compares every pair).
        const MAX_UNMATCHED: usize = 64;
        let in_x: std::collections::HashSet<&str> = x.iter().map(|(k, _)| k.as_ref()).collect();
        let in_b: std::collections::HashSet<&str> = b.iter().map(|(k, _)| k.as_ref()).collect();
        let gone: Vec<usize> = (0..b.len())
            .filter(|&i| !in_x.contains(b[i].0.as_ref()))
            .collect();
        let new: Vec<usize> = (0..x.len())
            .filter(|&i| !in_b.contains(x[i].0.as_ref()))
            .collect();
        if gone.is_empty() || new.is_empty() || gone.len().max(new.len()) > MAX_UNMATCHED {
            return;
        }
        let text = |s: Side, r: &Region| -> String {
            let t = self.tree(s);
            let whole = self.text(s, r.body, r.end);
            let identity = field.and_then(|f| {
                t.entries(r.value).iter().find(|e| {
                    e.key != NO_NODE
                        && t.node(e.key).kind == NodeKind::Scalar
                        && t.value(e.key) == f
                })
            });
            match identity {
                // Keep the text around the identity entry (its own line).
                Some(e) if e.start >= r.body && e.end <= r.end => {
                    // Its whole line when it has one, so that its indentation
                    // does not count as a line both versions share.
                    let src = t.source().as_bytes();
                    let from = if only_blanks_before(src, e.start as usize) {
                        (line_start(src, e.start as usize) as u32).max(r.body)
                    } else {
                        e.start
                    };
                    let (a, z) = ((from - r.body) as usize, (e.end - r.body) as usize);
                    format!("{}{}", &whole[..a], &whole[z..])
                }
                _ => whole.to_string(),
            }
        };
        let base_texts: Vec<String> = gone.iter().map(|&bi| text(Side::Base, &b[bi].1)).collect();
        let mut used = vec![false; gone.len()];
        for &xi in &new {
            let xt = text(side, &x[xi].1);
            if xt.trim().is_empty() {
                continue;
            }
            let best = gone.iter().enumerate().find(|&(g, _)| {
                !used[g]
                    && !base_texts[g].trim().is_empty()
                    && similar::TextDiff::from_lines(base_texts[g].as_str(), xt.as_str()).ratio()
                        >= SIMILAR
            });
            if let Some((g, &bi)) = best {
                used[g] = true;
                x[xi].0 = b[bi].0.clone();
            }
        }
    }

    /// Mappings, keyed lists and Kubernetes documents: items match by key.
    /// `field` names the identity field of list items (empty for mappings).
    fn merge_keyed(
        &mut self,
        path: &Path,
        b: Option<Vec<(Cow<'t, str>, Region)>>,
        l: Vec<(Cow<'t, str>, Region)>,
        o: Vec<(Cow<'t, str>, Region)>,
        cols: &Cols,
        field: &'static str,
    ) -> Result<()> {
        let (ls, os) = (self.layout, self.other);
        let index = |v: &[(Cow<'t, str>, Region)]| -> HashMap<Cow<'t, str>, usize> {
            v.iter()
                .enumerate()
                .map(|(i, (k, _))| (k.clone(), i))
                .collect()
        };
        let b = b.unwrap_or_default();
        let (ib, il, io) = (index(&b), index(&l), index(&o));
        let child = |key: &str| -> Path {
            path.child(if l.first().is_some_and(|(_, r)| r.document) {
                Segment::Document(key.to_string())
            } else if field.is_empty() {
                Segment::Key(key.to_string())
            } else {
                Segment::Item {
                    field,
                    value: key.to_string(),
                }
            })
        };
        let layout_only = |i: usize| !ib.contains_key(&l[i].0) && !io.contains_key(&l[i].0);
        // Where each of the other side's new entries goes: after the nearest
        // preceding entry (on its side) that the layout also has, and after
        // any entries only the layout added there.
        let mut inserts: Vec<Vec<usize>> = vec![Vec::new(); l.len() + 1];
        for (oi, (key, _)) in o.iter().enumerate() {
            if il.contains_key(key) {
                continue;
            }
            let mut slot = o[..oi]
                .iter()
                .rev()
                .find_map(|(k, _)| il.get(k).map(|&li| li + 1))
                .unwrap_or(0);
            if slot == 0
                && l.first().is_some_and(|(_, r)| {
                    r.lead == r.body && !r.document && self.starts_mid_line(ls, r.body)
                })
            {
                slot = 1;
            }
            while slot < l.len() && slot > 0 && layout_only(slot) {
                slot += 1;
            }
            inserts[slot].push(oi);
        }
        for (li, slot) in inserts.iter().enumerate() {
            for &oi in slot {
                let (key, r) = &o[oi];
                let p = child(key);
                match ib.get(key) {
                    None => {
                        self.record(&p, os, ChangeKind::Added);
                        self.emit_region(os, *r, cols);
                    }
                    Some(&bi) => {
                        let br = b[bi].1;
                        if !self.unchanged_for_delete(br, os, *r, cols) {
                            // Changed on the other side, deleted on the layout side.
                            self.emit(os, (r.lead, r.body), cols, false);
                            let mut ranges = [None; 3];
                            ranges[Side::Base.index()] = Some((br.body, br.end));
                            ranges[os.index()] = Some((r.body, r.end));
                            self.conflict(&p, ranges, cols);
                        } else {
                            self.record(&p, ls, ChangeKind::Removed);
                        }
                    }
                }
            }
            let Some((key, r)) = l.get(li) else { break };
            let p = child(key);
            match (ib.get(key), io.get(key)) {
                (Some(&bi), Some(&oi)) => {
                    self.merge_region(&p, Some(b[bi].1), *r, o[oi].1, cols)?
                }
                (Some(&bi), None) => {
                    let br = b[bi].1;
                    if self.unchanged_for_delete(br, ls, *r, cols) {
                        self.record(&p, os, ChangeKind::Removed);
                    } else {
                        self.emit(ls, (r.lead, r.body), cols, false);
                        let mut ranges = [None; 3];
                        ranges[Side::Base.index()] = Some((br.body, br.end));
                        ranges[ls.index()] = Some((r.body, r.end));
                        self.conflict(&p, ranges, cols);
                    }
                }
                (None, Some(&oi)) => self.merge_region(&p, None, *r, o[oi].1, cols)?,
                (None, None) => {
                    self.record(&p, ls, ChangeKind::Added);
                    self.emit_region(ls, *r, cols);
                }
            }
        }
        Ok(())
    }

    /// Whether the side left an entry the other side deleted alone: same
    /// text, or same data (a comment or quoting edit goes with the entry).
    fn unchanged_for_delete(&self, b: Region, side: Side, r: Region, cols: &Cols) -> bool {
        self.same((Side::Base, (b.body, b.end)), (side, (r.body, r.end)), cols)
            || self.tree(Side::Base).node(b.value).data == self.tree(side).node(r.value).data
    }

    fn starts_mid_line(&self, side: Side, pos: u32) -> bool {
        let src = self.tree(side).source().as_bytes();
        line_start(src, pos as usize) != pos as usize
    }

    fn emit_region(&mut self, side: Side, r: Region, cols: &Cols) {
        self.emit(side, (r.lead, r.end), cols, true);
    }

    /// Lists without identities and document streams: items are aligned by
    /// data, and runs that differ are merged like lines of text.
    fn merge_unkeyed(
        &mut self,
        path: &Path,
        b: Option<&[Region]>,
        l: &[Region],
        o: &[Region],
        cols: &Cols,
    ) -> Result<()> {
        let (ls, os) = (self.layout, self.other);
        let data = |side: Side, rs: &[Region]| -> Vec<u64> {
            let t = self.tree(side);
            rs.iter().map(|r| t.node(r.value).data).collect()
        };
        let b = b.unwrap_or(&[]);
        let (db, dl, d_o) = (data(Side::Base, b), data(ls, l), data(os, o));
        let child = |i: usize| path.child(Segment::Index(i));
        for chunk in diff::diff3(&db, &dl, &d_o) {
            match chunk {
                Chunk::Stable {
                    base,
                    current,
                    incoming,
                } => {
                    let p = child(current);
                    self.merge_region(&p, Some(b[base]), l[current], o[incoming], cols)?;
                }
                Chunk::Unstable {
                    base,
                    current,
                    incoming,
                } => {
                    // Decided on text, not data: a comment edited inside
                    // an item is a change too.
                    let (cb, cl, co) = (
                        (Side::Base, &b[base.clone()]),
                        (ls, &l[current.clone()]),
                        (os, &o[incoming.clone()]),
                    );
                    let eq = |x: (Side, &[Region]), y: (Side, &[Region])| {
                        x.1.len() == y.1.len()
                            && x.1.iter().zip(y.1).all(|(a, b)| {
                                self.same((x.0, (a.lead, a.end)), (y.0, (b.lead, b.end)), cols)
                            })
                    };
                    let (eq_bl, eq_bo, eq_lo) = (eq(cb, cl), eq(cb, co), eq(cl, co));
                    let p = child(current.start);
                    match trivial_merge(Some(eq_bl), Some(eq_bo), eq_lo) {
                        Some(Pick::Layout) => {
                            if !eq_bl {
                                self.record(&p, ls, ChangeKind::Changed);
                            }
                            l[current]
                                .iter()
                                .for_each(|r| self.emit_region(ls, *r, cols));
                        }
                        Some(Pick::Other) => {
                            self.record(&p, os, ChangeKind::Changed);
                            o[incoming]
                                .iter()
                                .for_each(|r| self.emit_region(os, *r, cols));
                        }
                        None if base.len() == current.len() && base.len() == incoming.len() => {
                            for k in 0..base.len() {
                                let p = child(current.start + k);
                                let (rb, rl, ro) = (
                                    b[base.start + k],
                                    l[current.start + k],
                                    o[incoming.start + k],
                                );
                                self.merge_region(&p, Some(rb), rl, ro, cols)?;
                            }
                        }
                        None => {
                            let span = |rs: &[Region]| {
                                rs.first().zip(rs.last()).map(|(f, e)| (f.lead, e.end))
                            };
                            let mut ranges = [None; 3];
                            ranges[Side::Base.index()] = span(&b[base]);
                            ranges[ls.index()] = span(&l[current]);
                            ranges[os.index()] = span(&o[incoming]);
                            self.conflict(&p, ranges, cols);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}
