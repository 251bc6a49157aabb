//! Keys a mapping holds more than once: how their occurrences are named so
//! that the matcher can pair them across versions like any other entry.
//!
//! In a mapping where some version repeats a key, every entry of every
//! version is named `key` + NUL + occurrence number ([`name`]); equal names
//! are the same entry. Base numbers its occurrences of each key 1, 2, ...
//! in order. A side with as many occurrences of a key as base takes base's
//! names in order (the first `a:` with the first, the second with the
//! second). A side with more or fewer was given or lost occurrences: its
//! occurrences are aligned with base's by data, those equal to one of base's
//! take its name, and those it added take numbers after base's, so that an
//! occurrence both sides added is one entry. When the alignment leaves a run
//! where base and the side each have occurrences that match none (a side
//! both removed one and changed another), which one the side removed is a
//! guess: the run pairs in order, and the names say they were guessed
//! ([`Named::guessed`]), so that a merge does not rest a decision on them.
//!
//! Nothing here decides what a merge keeps; it only names.

use std::borrow::Cow;
use std::collections::HashMap;

use super::children::Child;
use super::identity::key_text;
use super::lcs;
use super::matcher::{Step, steps_between_matches};
use crate::syntax::Tree;

/// Separates a key from its occurrence number in a name: the number is all
/// digits, so the last separator is the one (a key may hold NUL itself).
const SEPARATOR: char = '\0';

/// One version's entries of a mapping.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entries<'a, 't> {
    pub tree: &'t Tree,
    pub children: &'a [Child],
}

/// Names given to one version's entries.
#[derive(Debug, Clone, Default)]
pub(crate) struct Named {
    pub names: Vec<String>,
    /// Some occurrence was paired with a guess (see the module comment).
    pub guessed: bool,
}

/// The name of occurrence `n` (from 1) of `key`.
pub(crate) fn name(key: &str, n: usize) -> String {
    format!("{key}{SEPARATOR}{n}")
}

/// The key and occurrence number a [`name`] holds.
pub(crate) fn split(name: &str) -> (&str, usize) {
    name.rsplit_once(SEPARATOR)
        .and_then(|(key, n)| Some((key, n.parse().ok()?)))
        .unwrap_or((name, 1))
}

/// Whether the mapping `v` holds some key twice.
pub(crate) fn has_repeat(v: Entries) -> bool {
    let mut seen = std::collections::HashSet::with_capacity(v.children.len());
    v.children
        .iter()
        .any(|c| !seen.insert(key_text(v.tree, c.key)))
}

/// Names the entries of `v`: after `reference`'s (already named) when given,
/// else by their own order.
pub(crate) fn name_after(reference: Option<(Entries, &[Cow<str>])>, v: Entries) -> Named {
    let own = groups(v);
    let mut out = Named {
        names: vec![String::new(); v.children.len()],
        guessed: false,
    };
    let theirs = reference.map(|(r, _)| groups(r)).unwrap_or_default();
    for (key, mine) in &own {
        let (empty, no_names) = (Vec::new(), [].as_slice());
        let (others, names) = match (theirs.get(key), reference) {
            (Some(others), Some((_, names))) => (others, names),
            _ => (&empty, no_names),
        };
        let taken: Vec<usize> = others.iter().map(|&i| split(&names[i]).1).collect();
        let paired = pair(reference.map(|(r, _)| r), others, v, mine, &mut out.guessed);
        // Occurrences this version added: numbers after the reference's.
        let mut next = taken.iter().copied().max().unwrap_or(0);
        for (k, &i) in mine.iter().enumerate() {
            out.names[i] = match paired[k] {
                Some(j) => names[others[j]].to_string(),
                None => {
                    next += 1;
                    name(key, next)
                }
            };
        }
    }
    out
}

/// Each version's entries' occurrences, by key, in order.
fn groups<'t>(v: Entries<'_, 't>) -> HashMap<Cow<'t, str>, Vec<usize>> {
    let mut out: HashMap<Cow<'t, str>, Vec<usize>> = HashMap::new();
    for (i, c) in v.children.iter().enumerate() {
        out.entry(key_text(v.tree, c.key)).or_default().push(i);
    }
    out
}

/// For each of `mine` (indices of `v`'s entries of one key), the index
/// into `others` (the reference's entries of that key) it pairs with:
/// in order when both have as many, else aligned by data (a run unmatched
/// on both sides pairs in order, and `guessed` is set).
fn pair(
    reference: Option<Entries>,
    others: &[usize],
    v: Entries,
    mine: &[usize],
    guessed: &mut bool,
) -> Vec<Option<usize>> {
    let Some(r) = reference.filter(|_| !others.is_empty()) else {
        return vec![None; mine.len()];
    };
    if others.len() == mine.len() {
        return (0..mine.len()).map(Some).collect();
    }
    let data = |e: Entries, at: &[usize]| -> Vec<u64> {
        at.iter()
            .map(|&i| e.tree.node(e.children[i].value).data)
            .collect()
    };
    let from_reference = lcs::matches(&data(r, others), &data(v, mine));
    let mut out = vec![None; mine.len()];
    let in_both_runs = std::cell::Cell::new(false);
    let steps = steps_between_matches(&from_reference, mine.len(), |theirs, ours| {
        let both = theirs.len().min(ours.len());
        in_both_runs.set(in_both_runs.get() || both > 0);
        (0..both)
            .map(|k| Step::Both(theirs.start + k, ours.start + k))
            .collect()
    });
    *guessed |= in_both_runs.get();
    for step in steps {
        if let Step::Both(j, k) = step {
            out[k] = Some(j);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::children::children;
    use crate::syntax::parse;

    /// Names `text`'s root entries after `reference`'s, shown as `key#n`.
    fn named(reference: Option<&str>, text: &str) -> (Vec<String>, bool) {
        let tree = |t: &str| parse("t", t.as_bytes()).unwrap();
        let kids = |t: &Tree| children(t, t.documents()[0].root);
        let tr = reference.map(tree);
        let kr = tr.as_ref().map(kids);
        let rn = tr.as_ref().zip(kr.as_deref()).map(|(tree, children)| {
            let e = Entries { tree, children };
            let names: Vec<Cow<str>> = name_after(None, e)
                .names
                .into_iter()
                .map(Cow::Owned)
                .collect();
            (e, names)
        });
        let tv = tree(text);
        let kv = kids(&tv);
        let v = Entries {
            tree: &tv,
            children: &kv,
        };
        let out = name_after(rn.as_ref().map(|(e, n)| (*e, n.as_slice())), v);
        let shown = out
            .names
            .iter()
            .map(|n| {
                let (key, k) = split(n);
                format!("{key}#{k}")
            })
            .collect();
        (shown, out.guessed)
    }

    #[test]
    fn base_numbers_each_key_in_order() {
        let (names, guessed) = named(None, "a: 1\nb: 1\na: 2\na: 3\n");
        assert_eq!(names, ["a#1", "b#1", "a#2", "a#3"]);
        assert!(!guessed);
    }

    #[test]
    fn as_many_occurrences_pair_in_order() {
        let (names, _) = named(Some("a: 1\nb: 1\na: 2\n"), "a: 5\na: 6\nb: 1\n");
        assert_eq!(names, ["a#1", "a#2", "b#1"]);
    }

    #[test]
    fn a_removed_occurrence_is_found_by_data() {
        let (names, guessed) = named(Some("a: 1\na: 2\na: 3\n"), "a: 2\na: 3\n");
        assert_eq!(names, ["a#2", "a#3"]);
        assert!(!guessed);
    }

    #[test]
    fn an_added_occurrence_takes_the_next_number() {
        let (names, guessed) = named(Some("a: 1\na: 2\n"), "a: 0\na: 1\na: 2\n");
        assert_eq!(names, ["a#3", "a#1", "a#2"]);
        assert!(!guessed);
        let (names, _) = named(Some("b: 1\n"), "a: 1\nb: 1\na: 2\n");
        assert_eq!(names, ["a#1", "b#1", "a#2"]);
    }

    #[test]
    fn a_removal_beside_a_change_is_a_guess() {
        let (names, guessed) = named(Some("a: 1\na: 2\na: 3\n"), "a: 9\na: 3\n");
        assert_eq!(names, ["a#1", "a#3"]);
        assert!(guessed);
    }

    #[test]
    fn names_split_back_whatever_the_key_holds() {
        for key in ["a", "", "a\u{0}2", "x#3"] {
            assert_eq!(split(&name(key, 7)), (key, 7));
        }
    }
}
