//! The structural merge with git's line merge as a safety net, for the
//! commands git runs on any file (`merge-file`, `git-driver`): when an input
//! is not YAML, the result is what `git merge-file` would give, never an
//! error that leaves the user worse off than without yamerge.

use super::report::Outcome;
use crate::error::{Error, Result};
use crate::merge::lines::{LineOptions, merge_lines};
use crate::report::Method;
use crate::{Input, MergeOptions};

/// How far git looks for a NUL byte to call a file binary.
const BINARY_PROBE: usize = 8000;

/// Git's marker size rule: a size of 0 means the default, 7.
pub(crate) fn git_marker_size(requested: usize) -> usize {
    if requested == 0 { 7 } else { requested }
}

/// The name of the first input that looks binary by git's test (a NUL byte
/// in its first 8000 bytes): neither merge applies to it.
pub(crate) fn binary_input<'a>(inputs: &[Input<'a>]) -> Option<&'a str> {
    inputs
        .iter()
        .find(|i| i.bytes[..i.bytes.len().min(BINARY_PROBE)].contains(&0))
        .map(|i| i.name)
}

/// Merges structurally, or line by line (with a note naming `subject`) when
/// an input is not valid YAML, when none of them holds YAML data (text that
/// parses only as one plain scalar), or when the structural merge could not
/// produce valid YAML.
pub(crate) fn merge_or_lines(
    base: Input,
    current: Input,
    incoming: Input,
    opts: &MergeOptions,
    subject: &str,
) -> Result<Outcome> {
    // One parse serves both the structural merge and the question whether
    // the inputs hold YAML data at all.
    let note = match crate::merge_structured(base, current, incoming, opts) {
        Ok(Some(mut merged)) => {
            // Notes of a line merge the structural one fell back to.
            for note in &mut merged.notes {
                *note = format!("{subject}: {note}");
            }
            return Ok(Outcome::merged(merged));
        }
        Ok(None) => {
            format!(
                "{subject}: no YAML mappings or lists (plain text); merged line by line like git"
            )
        }
        Err(e @ Error::Syntax { .. }) => {
            format!("{subject}: not valid YAML ({e}); merged line by line like git")
        }
        Err(e @ Error::Unmergeable { .. }) => {
            format!("{subject}: not mergeable as YAML ({e}); merged line by line like git")
        }
        Err(Error::Merge(why)) => format!("{subject}: {why}; merged line by line instead"),
        Err(e) => return Err(e),
    };
    Ok(line_outcome(base, current, incoming, opts, note))
}

fn line_outcome(
    base: Input,
    current: Input,
    incoming: Input,
    opts: &MergeOptions,
    note: String,
) -> Outcome {
    let [lc, lb, li] = &opts.labels;
    let line_opts = LineOptions {
        style: opts.style,
        labels: [lc.as_str(), lb.as_str(), li.as_str()],
        marker_size: opts.marker_size,
        prefer: opts.prefer,
    };
    let merged = merge_lines(base.bytes, current.bytes, incoming.bytes, &line_opts);
    Outcome {
        text: merged.text,
        conflicts: merged.conflicts,
        changes: Vec::new(),
        method: Method::Lines,
        notes: vec![note],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(b: &str, c: &str, i: &str) -> Outcome {
        let opts = MergeOptions {
            layout: crate::Side::Current,
            ..MergeOptions::default()
        };
        merge_or_lines(
            Input::new("b", b.as_bytes()),
            Input::new("c", c.as_bytes()),
            Input::new("i", i.as_bytes()),
            &opts,
            "f",
        )
        .unwrap()
    }

    #[test]
    fn yaml_is_merged_structurally() {
        let o = run("a: 1\nb: 1\n", "a: 2\nb: 1\n", "a: 1\nb: 3\n");
        assert_eq!(o.method, Method::Structural);
        assert_eq!(o.text, b"a: 2\nb: 3\n");
        assert!(o.notes.is_empty());
    }

    #[test]
    fn invalid_yaml_falls_back_with_a_note() {
        let o = run("a: [\nx\n", "a: [\nx\ny\n", "z\na: [\nx\n");
        assert_eq!(o.method, Method::Lines);
        assert_eq!(o.text, b"z\na: [\nx\ny\n");
        assert!(
            o.notes[0].starts_with("f: not valid YAML (b:"),
            "{:?}",
            o.notes
        );
    }

    #[test]
    fn plain_text_falls_back() {
        let o = run("one\ntwo\n", "one\n2\n", "1\ntwo\n");
        assert_eq!(o.method, Method::Lines);
        assert_eq!(o.conflicts.len(), 1);
        assert!(o.notes[0].contains("plain text"));
    }

    #[test]
    fn yaml_the_merge_refuses_falls_back() {
        let o = run(
            "a: 1\na: 1\nb: 1\n",
            "a: 1\na: 1\nb: 2\n",
            "a: 2\na: 1\nb: 1\n",
        );
        assert_eq!(o.method, Method::Lines);
        assert_eq!(o.text, b"a: 2\na: 1\nb: 2\n");
        assert!(
            o.notes[0].contains("not mergeable as YAML"),
            "{:?}",
            o.notes
        );
    }

    #[test]
    fn a_structural_result_that_would_not_parse_falls_back_with_a_named_note() {
        // Incoming removes the anchor current's new alias needs.
        let o = run("a: &x 1\nb: 1\n", "a: &x 1\nb: 1\nc: *x\n", "a: 2\nb: 1\n");
        assert_eq!(o.method, Method::Lines);
        assert_eq!(o.conflicts.len(), 1);
        assert!(
            o.notes[0].starts_with("f: the structural merge would not give valid YAML"),
            "{:?}",
            o.notes
        );
    }

    #[test]
    fn binary_inputs_are_found() {
        let inputs = [Input::new("a", b"x"), Input::new("b", b"y\0z")];
        assert_eq!(binary_input(&inputs), Some("b"));
        assert_eq!(binary_input(&inputs[..1]), None);
    }
}
