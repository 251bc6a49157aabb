//! Duplicate keys (issue #15, pattern 4): a mapping that holds a key twice,
//! added by one side, or already in base (and so in all three files). Main
//! refuses such files today, so a refusal is counted, not failed; what is
//! never acceptable is a silent loss: a merge that goes through must keep
//! the second occurrence (in the merged text, or in a conflict's section of
//! the side that has it), write standard conflicts, and give a text that
//! parses.

use yamerge::syntax::{NO_NODE, NodeKind};
use yamerge::{Input, MergeOptions, Side, merge};

use super::judge::{check_markers, has_lines, resolve};

/// Where the duplicate is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    Current,
    Incoming,
    /// In base, current and incoming alike.
    All,
}

pub struct DupCase {
    pub texts: [String; 3],
    pub place: Place,
    /// The line that repeats a key of its mapping.
    pub line: String,
}

/// How one merge of a [`DupCase`] went.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DupOutcome {
    Refused,
    Clean,
    Conflict,
    /// A law broken, and how.
    Failed(String),
}

/// `text` with a second occurrence of one of its keys right after the
/// first, chosen by `pick` among the keys of block mappings that hold a
/// one-line scalar; and that line. `None` when `text` has no such key.
fn add_duplicate(text: &str, pick: usize, value: &str) -> Option<(String, String)> {
    let tree = yamerge::syntax::parse("dup", text.as_bytes()).ok()?;
    let mut spots = Vec::new();
    for id in 0..tree.node_count() as u32 {
        if tree.node(id).kind != NodeKind::BlockMap {
            continue;
        }
        for e in tree.entries(id) {
            if e.key == NO_NODE || tree.node(e.key).kind != NodeKind::Scalar {
                continue;
            }
            let (ks, ke) = (
                tree.node(e.key).start as usize,
                tree.node(e.key).end as usize,
            );
            let key = &text[ks..ke];
            let end = e.end as usize;
            let whole = end > 0 && text.as_bytes()[end - 1] == b'\n';
            if whole && !key.contains('\n') && tree.node(e.value).kind == NodeKind::Scalar {
                let col = tree.node(e.key).col as usize;
                spots.push((end, format!("{}{key}: {value}\n", " ".repeat(col))));
            }
        }
    }
    let (at, line) = spots.get(pick % spots.len().max(1))?.clone();
    Some((format!("{}{line}{}", &text[..at], &text[at..]), line))
}

/// A duplicate added to the triple `texts` (base, current, incoming) at
/// `place`; `None` when there is no place for it.
pub fn make(texts: [String; 3], place: Place, pick: usize) -> Option<DupCase> {
    let [mut base, mut current, mut incoming] = texts;
    let line = match place {
        Place::Current => {
            let (t, line) = add_duplicate(&current, pick, "cur-dup")?;
            current = t;
            line
        }
        Place::Incoming => {
            let (t, line) = add_duplicate(&incoming, pick, "inc-dup")?;
            incoming = t;
            line
        }
        Place::All => {
            // The same line after the same first occurrence in each file:
            // only where that line stands once in each.
            let (b, line) = add_duplicate(&base, pick, "base-dup")?;
            let anchor = first_line_before(&b, &line)?;
            let add = |t: &str| -> Option<String> {
                let mut hits = t
                    .match_indices(&anchor)
                    .filter(|(i, _)| *i == 0 || t.as_bytes()[i - 1] == b'\n');
                let (i, _) = hits.next()?;
                if hits.next().is_some() {
                    return None;
                }
                let at = i + anchor.len();
                Some(format!("{}{line}{}", &t[..at], &t[at..]))
            };
            current = add(&current)?;
            incoming = add(&incoming)?;
            base = b;
            line
        }
    };
    Some(DupCase {
        texts: [base, current, incoming],
        place,
        line,
    })
}

/// The whole line right before `line` in `text`.
fn first_line_before(text: &str, line: &str) -> Option<String> {
    let at = text.find(line)?;
    let before = &text[..at];
    let start = before[..before.len().checked_sub(1)?]
        .rfind('\n')
        .map_or(0, |p| p + 1);
    Some(before[start..].to_string())
}

/// The case merged with `layout`, judged.
pub fn judge(case: &DupCase, layout: Side) -> DupOutcome {
    let opts = MergeOptions {
        layout,
        ..MergeOptions::default()
    };
    let [b, c, i] = &case.texts;
    let r = match merge(
        Input::new("base", b.as_bytes()),
        Input::new("current", c.as_bytes()),
        Input::new("incoming", i.as_bytes()),
        &opts,
    ) {
        Ok(r) => r,
        Err(_) => return DupOutcome::Refused,
    };
    if let Some(f) = check_markers(&r) {
        return DupOutcome::Failed(format!("nonstandard conflict: {}", f.note));
    }
    let sides: &[usize] = match case.place {
        Place::Current => &[0],
        Place::Incoming => &[1],
        Place::All => &[0, 1],
    };
    for &s in sides {
        if !has_lines(&resolve(&r.text, s), &case.line) {
            return DupOutcome::Failed(format!(
                "the duplicate {:?} is lost (resolved to side {s})",
                case.line
            ));
        }
    }
    if !r.is_clean() {
        return DupOutcome::Conflict;
    }
    match yamerge::syntax::parse("result", r.text.as_bytes()) {
        Ok(_) => DupOutcome::Clean,
        Err(e) => DupOutcome::Failed(format!("clean result does not parse: {e}")),
    }
}
