//! A text that holds conflicts, as an editor or a resolver sees it: its
//! conflicts with their YAML paths, and a choice applied to one of them.

use super::parse::{Hunk, MarkerError, Segment, parse};
use super::resolve::{Choice, Versions, apply};
use crate::matching::path_at;

/// A conflicted text, read.
#[derive(Debug, Clone)]
pub struct ConflictedText {
    text: Vec<u8>,
    segments: Vec<Segment>,
}

impl ConflictedText {
    /// Reads the conflicts of a text (errors on unbalanced markers).
    pub fn read(text: &[u8]) -> Result<ConflictedText, MarkerError> {
        Ok(ConflictedText {
            text: text.to_vec(),
            segments: parse(text)?,
        })
    }

    /// The text as read.
    pub fn text(&self) -> &[u8] {
        &self.text
    }

    /// Its pieces: shared runs and conflicts, in order.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Its conflicts, in order.
    pub fn hunks(&self) -> impl Iterator<Item = &Hunk> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Conflict(h) => Some(h),
            Segment::Shared(_) => None,
        })
    }

    /// The three versions it holds (errors when a conflict has no base).
    pub fn versions(&self) -> Result<Versions, MarkerError> {
        Versions::of(&self.text, &self.segments)
    }

    /// The text with conflict `k` (in the order of [`Self::hunks`]) resolved
    /// by `choice`; `None` when there is no such conflict, or the choice
    /// needs a base section it lacks.
    pub fn apply(&self, k: usize, choice: &Choice) -> Option<Vec<u8>> {
        apply(&self.text, self.hunks().nth(k)?, choice)
    }

    /// The YAML path of each conflict (empty where it cannot be told): the
    /// entry that holds the conflict's first line in current's version of the
    /// text, or in incoming's or base's where current's section is empty.
    pub fn paths(&self) -> Vec<String> {
        let mut paths = vec![String::new(); self.hunks().count()];
        let mut todo: Vec<usize> = (0..paths.len()).collect();
        for pick in [Pick::Current, Pick::Incoming, Pick::Base] {
            if todo.is_empty() {
                break;
            }
            let (version, offsets) = self.version(pick);
            let Ok(tree) = crate::syntax::parse("conflicted text", &version) else {
                continue;
            };
            todo.retain(|&k| match offsets[k] {
                Some(offset) => {
                    paths[k] = path_at(&tree, offset as u32).to_string();
                    false
                }
                None => true,
            });
        }
        paths
    }

    /// One version of the text (shared runs, and each conflict's section of
    /// that side, or current's where there is no base section), and where
    /// each conflict's section starts in it (`None` when it is empty).
    fn version(&self, pick: Pick) -> (Vec<u8>, Vec<Option<usize>>) {
        let mut out = Vec::with_capacity(self.text.len());
        let mut offsets = Vec::new();
        for segment in &self.segments {
            match segment {
                Segment::Shared(r) => out.extend_from_slice(&self.text[r.clone()]),
                Segment::Conflict(h) => {
                    let section = match pick {
                        Pick::Current => &h.current,
                        Pick::Incoming => &h.incoming,
                        Pick::Base => h.base.as_ref().unwrap_or(&h.current),
                    };
                    offsets.push((!section.is_empty()).then_some(out.len()));
                    out.extend_from_slice(&self.text[section.clone()]);
                }
            }
        }
        (out, offsets)
    }
}

#[derive(Clone, Copy)]
enum Pick {
    Current,
    Incoming,
    Base,
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "a:\n  b: 1\n<<<<<<< c\n  c: 2\n||||||| b\n  c: 1\n=======\n  c: 3\n>>>>>>> i\n\
l:\n  - name: x\n<<<<<<< c\n||||||| b\n    v: 1\n=======\n    v: 2\n>>>>>>> i\n";

    #[test]
    fn paths_name_the_entry_of_each_conflict() {
        let c = ConflictedText::read(TEXT.as_bytes()).unwrap();
        assert_eq!(c.hunks().count(), 2);
        // The second conflict's current section is empty: incoming's names it.
        assert_eq!(c.paths(), ["a.c", "l[name=x].v"]);
    }

    #[test]
    fn a_choice_resolves_one_conflict() {
        let c = ConflictedText::read(TEXT.as_bytes()).unwrap();
        let second = "<<<<<<< c\n||||||| b\n    v: 1\n=======\n    v: 2\n>>>>>>> i\n";
        let want = TEXT.replace(second, "    v: 2\n");
        assert_eq!(c.apply(1, &Choice::Incoming).unwrap(), want.as_bytes());
        assert_eq!(c.apply(2, &Choice::Incoming), None);
    }
}
