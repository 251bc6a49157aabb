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
//! guess: the run pairs in order, and the names say where they were guessed
//! ([`Named::guessed`]), so that a merge does not rest a decision on them
//! (the matcher calls it ambiguous when the other side changed that key's
//! occurrences too).
//!
//! Nothing here decides what a merge keeps; it only names.

use std::borrow::Cow;
use std::collections::HashMap;

use super::Side;
use super::children::Child;
use super::identity::key_text;
use super::lcs;
use super::matcher::{Step, steps_between_matches};
use crate::syntax::{NO_NODE, Tree};

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
    /// The keys some of whose occurrences were paired with a guess (see the
    /// module comment), each with the index of the first entry of the run
    /// that was guessed.
    pub guessed: Vec<(String, usize)>,
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
        guessed: Vec::new(),
    };
    let theirs = reference.map(|(r, _)| groups(r)).unwrap_or_default();
    for (key, mine) in &own {
        let (empty, no_names) = (Vec::new(), [].as_slice());
        let (others, names) = match (theirs.get(key), reference) {
            (Some(others), Some((_, names))) => (others, names),
            _ => (&empty, no_names),
        };
        let taken: Vec<usize> = others.iter().map(|&i| split(&names[i]).1).collect();
        let (paired, guess) = pair(reference.map(|(r, _)| r), others, v, mine);
        if let Some(k) = guess {
            out.guessed.push((key.to_string(), mine[k]));
        }
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

/// A side's guessed pairing (see the module comment) that a merge would
/// rest on: the other side changed the occurrences of that key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ambiguity {
    /// The side whose occurrences were paired with a guess.
    pub side: Side,
    /// The key.
    pub key: String,
    /// Where that side's first guessed occurrence starts (a byte offset).
    pub at: u32,
}

/// The first guess of a side (`guessed`, indexed like `versions`: base,
/// current, incoming) on a key whose occurrences the other side did not
/// leave as base has them (as many, each with the same text). Where the
/// other side left them alone, any pairing gives the same result (the
/// guessing side's occurrences, as they are), so the guess decides nothing.
pub(crate) fn ambiguity(
    versions: [Option<Entries>; 3],
    guessed: &[Vec<(String, usize)>; 3],
) -> Option<Ambiguity> {
    let base = versions[0]?;
    [Side::Current, Side::Incoming]
        .into_iter()
        .find_map(|side| {
            let k = side.index();
            let (v, other) = (versions[k]?, versions[3 - k]?);
            let (key, entry) = guessed[k]
                .iter()
                .find(|(key, _)| !same_occurrences(base, other, key))?;
            let c = v.children[*entry];
            let at = if c.key == NO_NODE {
                c.body
            } else {
                v.tree.node(c.key).start
            };
            Some(Ambiguity {
                side,
                key: key.clone(),
                at,
            })
        })
}

/// Whether `a` and `b` hold the same occurrences of `key`: as many, each
/// with the same text (its leading comments included).
fn same_occurrences(a: Entries, b: Entries, key: &str) -> bool {
    fn texts<'t>(e: Entries<'_, 't>, key: &str) -> Vec<&'t str> {
        e.children
            .iter()
            .filter(|c| key_text(e.tree, c.key) == key)
            .map(|c| e.tree.slice(c.lead, c.end))
            .collect()
    }
    texts(a, key) == texts(b, key)
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
/// on both sides pairs in order: a guess, and the index into `mine` where
/// the first such run starts is returned with the pairs).
fn pair(
    reference: Option<Entries>,
    others: &[usize],
    v: Entries,
    mine: &[usize],
) -> (Vec<Option<usize>>, Option<usize>) {
    let Some(r) = reference.filter(|_| !others.is_empty()) else {
        return (vec![None; mine.len()], None);
    };
    if others.len() == mine.len() {
        return ((0..mine.len()).map(Some).collect(), None);
    }
    let data = |e: Entries, at: &[usize]| -> Vec<u64> {
        at.iter()
            .map(|&i| e.tree.node(e.children[i].value).data)
            .collect()
    };
    let from_reference = lcs::matches(&data(r, others), &data(v, mine));
    let mut out = vec![None; mine.len()];
    let guess = std::cell::Cell::new(None);
    let steps = steps_between_matches(&from_reference, mine.len(), |theirs, ours| {
        let both = theirs.len().min(ours.len());
        if both > 0 && guess.get().is_none() {
            guess.set(Some(ours.start));
        }
        (0..both)
            .map(|k| Step::Both(theirs.start + k, ours.start + k))
            .collect()
    });
    for step in steps {
        if let Step::Both(j, k) = step {
            out[k] = Some(j);
        }
    }
    (out, guess.get())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::children::children;
    use crate::syntax::parse;

    /// Names `text`'s root entries after `reference`'s, shown as `key#n`.
    fn named(reference: Option<&str>, text: &str) -> (Vec<String>, Vec<(String, usize)>) {
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
        assert!(guessed.is_empty());
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
        assert!(guessed.is_empty());
    }

    #[test]
    fn an_added_occurrence_takes_the_next_number() {
        let (names, guessed) = named(Some("a: 1\na: 2\n"), "a: 0\na: 1\na: 2\n");
        assert_eq!(names, ["a#3", "a#1", "a#2"]);
        assert!(guessed.is_empty());
        let (names, _) = named(Some("b: 1\n"), "a: 1\nb: 1\na: 2\n");
        assert_eq!(names, ["a#1", "b#1", "a#2"]);
    }

    #[test]
    fn a_removal_beside_a_change_is_a_guess() {
        let (names, guessed) = named(Some("a: 1\na: 2\na: 3\n"), "a: 9\na: 3\n");
        assert_eq!(names, ["a#1", "a#3"]);
        assert_eq!(guessed, [("a".to_string(), 0)]);
        let (_, guessed) = named(Some("b: 0\na: 1\na: 2\na: 3\n"), "b: 0\na: 1\na: 8\n");
        assert_eq!(guessed, [("a".to_string(), 2)]);
    }

    /// The ambiguity of three versions' root mappings.
    fn ambiguity_of(b: &str, c: &str, i: &str) -> Option<(Side, String, u32)> {
        let trees = [b, c, i].map(|t| parse("t", t.as_bytes()).unwrap());
        let kids = trees.each_ref().map(|t| children(t, t.documents()[0].root));
        let entries = [0, 1, 2].map(|k| Entries {
            tree: &trees[k],
            children: &kids[k],
        });
        let base_names: Vec<Cow<str>> = name_after(None, entries[0])
            .names
            .into_iter()
            .map(Cow::Owned)
            .collect();
        let mut guessed: [Vec<(String, usize)>; 3] = Default::default();
        for k in 1..3 {
            guessed[k] = name_after(Some((entries[0], &base_names)), entries[k]).guessed;
        }
        ambiguity(entries.map(Some), &guessed).map(|a| (a.side, a.key, a.at))
    }

    #[test]
    fn a_guess_is_ambiguous_only_where_the_other_side_changed_that_key() {
        let b = "a: 1\na: 2\na: 3\nz: 0\n";
        let guessing = "z: 0\na: 9\na: 3\n";
        // The other side left every `a` alone: any pairing gives the same.
        assert_eq!(ambiguity_of(b, guessing, "a: 1\na: 2\na: 3\nz: 1\n"), None);
        // It changed one (its value, or only the comment above it), removed
        // one or added one: the guess would decide.
        for other in [
            "a: 5\na: 2\na: 3\nz: 0\n",
            "a: 1\n# why\na: 2\na: 3\nz: 0\n",
            "a: 1\na: 3\nz: 0\n",
            "a: 1\na: 2\na: 3\na: 4\nz: 0\n",
        ] {
            let want = Some((Side::Current, "a".to_string(), 5));
            assert_eq!(ambiguity_of(b, guessing, other), want, "{other}");
            let want = Some((Side::Incoming, "a".to_string(), 5));
            assert_eq!(ambiguity_of(b, other, guessing), want, "{other}");
        }
        // No guess at all: occurrences removed or added by data.
        assert_eq!(
            ambiguity_of(b, "a: 2\na: 3\nz: 0\n", "a: 5\na: 2\na: 3\n"),
            None
        );
    }

    #[test]
    fn names_split_back_whatever_the_key_holds() {
        for key in ["a", "", "a\u{0}2", "x#3"] {
            assert_eq!(split(&name(key, 7)), (key, 7));
        }
    }
}
