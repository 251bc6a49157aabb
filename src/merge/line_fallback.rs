//! The last resort when the structural result would not be valid YAML
//! (pieces of different versions that do not fit together): git's line
//! merge, so that a merge of inputs that each parse never fails. When that
//! line merge is clean but its text is not valid YAML either, the lines where
//! current and incoming differ become one conflict: no change is lost and no
//! invalid file is presented as clean.

use super::MergeOptions;
use super::lines::{LineMerge, merge_lines, one_conflict};
use crate::conflict::Conflict;
use crate::syntax::{self, Tree};

/// A line merge and what the person running it should be told about it.
pub(crate) struct LineFallback {
    pub text: String,
    pub conflicts: Vec<Conflict>,
    pub notes: Vec<String>,
}

/// Merges the three sources line by line; `why` says what was wrong with the
/// structural result.
pub(crate) fn merge_by_lines(
    [b, c, i]: [&Tree; 3],
    opts: &MergeOptions,
    why: &str,
) -> LineFallback {
    let sources = [b, c, i].map(|t| t.source().as_bytes());
    let mut notes = vec![format!(
        "the structural merge would not give valid YAML ({why}); merged line by line \
         like git instead (please report this with the three inputs)"
    )];
    let mut merged = merge_lines(sources[0], sources[1], sources[2], opts);
    if merged.conflicts.is_empty()
        && let Err(e) = check(&merged)
    {
        notes.push(match opts.prefer {
            Some(side) => format!(
                "the line merge would not be valid YAML either ({e}); kept {}'s lines \
                 where current and incoming differ",
                side.name()
            ),
            None => format!(
                "the line merge would not be valid YAML either ({e}); the lines where \
                 current and incoming differ are one conflict"
            ),
        });
        merged = one_conflict(sources[0], sources[1], sources[2], opts);
    }
    LineFallback {
        text: String::from_utf8_lossy(&merged.text).into_owned(),
        conflicts: merged.conflicts,
        notes,
    }
}

/// Whether a clean line merge can be handed out. The tree builder rather
/// than the cheaper event parser: it is what reads the file at the next
/// merge, and it refuses a little more.
fn check(merged: &LineMerge) -> crate::Result<()> {
    syntax::parse("line-merged result", &merged.text).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(b: &str, c: &str, i: &str) -> LineFallback {
        let tree = |name: &str, text: &str| syntax::parse(name, text.as_bytes()).unwrap();
        let (tb, tc, ti) = (tree("b", b), tree("c", c), tree("i", i));
        merge_by_lines([&tb, &tc, &ti], &MergeOptions::default(), "why")
    }

    #[test]
    fn a_clean_valid_line_merge_is_the_result() {
        let m = run(
            "a: 1\nx: 0\nb: 1\n",
            "a: 2\nx: 0\nb: 1\n",
            "a: 1\nx: 0\nb: 3\n",
        );
        assert_eq!(m.text, "a: 2\nx: 0\nb: 3\n");
        assert!(m.conflicts.is_empty());
        assert_eq!(m.notes.len(), 1);
        assert!(m.notes[0].contains("(why)"), "{:?}", m.notes);
    }

    #[test]
    fn a_clean_line_merge_that_would_not_parse_is_one_conflict() {
        // Current drops the anchor incoming's new alias needs.
        let m = run(
            "top: 0\na: &x 1\nm: 0\nb: 2\nend: 0\n",
            "top: 0\na: 1\nm: 0\nb: 2\nend: 0\n",
            "top: 0\na: &x 1\nm: 0\nb: *x\nend: 0\n",
        );
        assert_eq!(m.conflicts.len(), 1, "{}", m.text);
        assert_eq!(m.notes.len(), 2);
        assert!(
            m.text.starts_with("top: 0\n<<<<<<< current\na: 1\n"),
            "{}",
            m.text
        );
        assert!(m.text.ends_with(">>>>>>> incoming\nend: 0\n"), "{}", m.text);
    }
}
