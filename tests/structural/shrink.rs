//! Cutting a failing triple down while it still fails the same way (same
//! class and detail, with the same merge): edits dropped (never the pair
//! the triple is built around), then pieces of base no edit touches (documents,
//! entries with their comment lines, comment and blank lines), each edit
//! moved along. Every smaller triple is checked like a generated one.

use std::ops::Range;
use std::sync::Arc;
use std::time::Instant;

use super::base::Base;
use super::case::Case;
use super::data::{Effect, Path};
use super::judge::{Class, Judge, Spec};

/// The smallest triple found before `deadline`, and whether the search
/// ended (rather than ran out of time).
pub fn shrink(case: &Case, spec: Spec, want: &(Class, String), deadline: Instant) -> (Case, bool) {
    let mut case = case.clone();
    'round: loop {
        let cuts = cuts(&case.base);
        let edits = case.edits.len();
        for n in 0..edits + cuts.len() {
            if Instant::now() > deadline {
                return (case, false);
            }
            let candidate = if n < edits {
                without_edit(&case, n)
            } else {
                with_cut(&case, &cuts[n - edits])
            };
            if let Some(c) = candidate.filter(|c| reproduces(c, spec, want)) {
                case = c;
                continue 'round;
            }
        }
        return (case, true);
    }
}

fn reproduces(case: &Case, spec: Spec, want: &(Class, String)) -> bool {
    Judge::new(case)
        .run(spec)
        .failures
        .iter()
        .any(|f| f.pattern() == *want)
}

fn without_edit(case: &Case, i: usize) -> Option<Case> {
    if case.featured.is_some_and(|p| p.contains(&i)) {
        return None;
    }
    let mut c = case.clone();
    c.edits.remove(i);
    c.featured = case
        .featured
        .map(|p| p.map(|k| if k > i { k - 1 } else { k }));
    c.check().ok().map(|()| c)
}

/// A piece of base to drop: its bytes, and the entry (or document) it is,
/// whose later siblings move up by one.
struct Cut {
    range: Range<usize>,
    entry: Option<Path>,
}

fn cuts(base: &Base) -> Vec<Cut> {
    let mut out = Vec::new();
    let docs = base.tree.documents();
    if docs.len() > 1 {
        out.extend(docs.iter().enumerate().map(|(d, doc)| Cut {
            range: doc.start as usize..doc.end as usize,
            entry: Some(vec![d]),
        }));
    }
    for s in &base.sites {
        let n = base.tree.node(s.node);
        if !n.kind.is_block() || n.entry_count < 2 {
            continue;
        }
        for (i, e) in base.tree.entries(s.node).iter().enumerate() {
            let (lead, end) = (e.lead as usize, e.end as usize);
            if base.is_line_start(lead) && (base.is_line_start(end) || end == base.text.len()) {
                let mut path = s.path.clone();
                path.push(i);
                out.push(Cut {
                    range: lead..end,
                    entry: Some(path),
                });
            }
        }
    }
    for l in 0..base.line_starts.len() {
        let r = base.line(l);
        let trivia = base.is_comment_line(l) || (!base.in_scalar[l] && base.is_blank_line(l));
        if trivia && base.text[r.clone()].ends_with('\n') {
            out.push(Cut {
                range: r,
                entry: None,
            });
        }
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.range.len()));
    out
}

fn with_cut(case: &Case, cut: &Cut) -> Option<Case> {
    let (a, b) = (cut.range.start, cut.range.end);
    let mut c = case.clone();
    for e in &mut c.edits {
        let inside = if e.span.is_empty() {
            a < e.span.start && e.span.start < b
        } else {
            e.span.start < b && a < e.span.end
        };
        if inside {
            return None;
        }
        e.span = shift_range(&e.span, a, b)?;
        e.claim = shift_range(&e.claim, a, b)?;
        if let Some(entry) = &cut.entry {
            shift_paths(e, entry)?;
        }
    }
    let text = format!("{}{}", &case.base.text[..a], &case.base.text[b..]);
    c.base = Arc::new(Base::new(&text).ok()?);
    c.check().ok().map(|()| c)
}

fn shift_pos(p: usize, a: usize, b: usize) -> Option<usize> {
    if p <= a {
        Some(p)
    } else if p >= b {
        Some(p - (b - a))
    } else {
        None
    }
}

fn shift_range(r: &Range<usize>, a: usize, b: usize) -> Option<Range<usize>> {
    Some(shift_pos(r.start, a, b)?..shift_pos(r.end, a, b)?)
}

/// Moves the edit's paths up past the removed `entry`; `None` when the
/// edit needs it.
fn shift_paths(e: &mut super::Edit, entry: &Path) -> Option<()> {
    let (k, parent) = entry.split_last()?;
    let shift = |q: &mut Path| -> Option<()> {
        if q.starts_with(entry) {
            return None;
        }
        if q.len() > parent.len() && q.starts_with(parent) && q[parent.len()] > *k {
            q[parent.len()] -= 1;
        }
        Some(())
    };
    match &mut e.effect {
        Effect::Insert {
            parent: p, after, ..
        } if p == parent => match after {
            Some(x) if *x == *k => return None,
            Some(x) if *x > *k => *x -= 1,
            _ => {}
        },
        Effect::Swap { parent: p, first } if p == parent => {
            if *first == *k || *first + 1 == *k {
                return None;
            }
            if *first > *k {
                *first -= 1;
            }
        }
        _ => {}
    }
    for p in e.effect.paths_mut() {
        shift(p)?;
    }
    if !e.at.is_empty() {
        shift(&mut e.at)?;
    }
    Some(())
}
