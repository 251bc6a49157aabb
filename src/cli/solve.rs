//! `yamerge solve`: re-merges a file in which git already left conflict
//! markers. With diff3 markers each conflict holds all three versions and
//! the text around the conflicts is what the three share, so the versions
//! can be rebuilt and merged structurally; what still conflicts is written
//! back with markers, using the file's own labels and marker size.

use std::path::PathBuf;

use super::merge::StyleArg;
use super::report::{Outcome, ReportArgs};
use super::{exit, read_input, write_atomic, write_stdout};
use crate::conflict::{self, Segment, Versions};
use crate::error::{Error, Location, Result};
use crate::report::Method;
use crate::{Input, MergeOptions, Side};

const SIDES: [Side; 3] = [Side::Base, Side::Current, Side::Incoming];

#[derive(clap::Args, Debug)]
pub(crate) struct SolveArgs {
    /// The file holding git conflict markers with base sections; `-` (the
    /// default) reads standard input and writes standard output.
    #[arg(default_value = "-", value_name = "FILE")]
    file: PathBuf,
    /// Write the result to standard output instead of back into FILE.
    #[arg(short = 'p', long = "stdout")]
    stdout: bool,
    /// How the conflicts that remain are written.
    #[arg(long, value_enum, default_value_t = StyleArg::Diff3)]
    conflict_style: StyleArg,
    /// No summary or notes on standard error.
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    report: ReportArgs,
}

pub(crate) fn run(args: SolveArgs) -> Result<i32> {
    let (name, bytes) = read_input(&args.file)?;
    let conflicted = Conflicted::read(&name, &bytes)?;
    let outcome = match &conflicted {
        None => unchanged(bytes, &name),
        Some(c) => solve(&name, c, args.conflict_style)?,
    };
    let to_stdout = args.stdout || args.file.as_os_str() == "-";
    if to_stdout {
        write_stdout(&outcome.text)?;
    } else if conflicted.is_some() {
        write_atomic(&args.file, &outcome.text)?;
    }
    args.report.emit(&outcome, args.quiet, None)?;
    Ok(if outcome.is_clean() {
        exit::CLEAN
    } else {
        exit::CONFLICTS
    })
}

/// A file without conflict markers: nothing to merge, reported as clean.
fn unchanged(bytes: Vec<u8>, name: &str) -> Outcome {
    Outcome {
        text: bytes,
        conflicts: Vec::new(),
        changes: Vec::new(),
        method: Method::Structural,
        notes: vec![format!(
            "{name}: no conflict markers found; nothing to solve"
        )],
    }
}

/// Merges the rebuilt versions, current's layout (the file as the user's
/// branch has it), keeping the file's labels and marker size.
fn solve(name: &str, c: &Conflicted, style: StyleArg) -> Result<Outcome> {
    let names = input_names(name);
    let input = |side: Side| Input::new(&names[side.index()], &c.versions.text[side.index()]);
    let opts = MergeOptions {
        layout: Side::Current,
        style: style.into(),
        labels: c.labels.clone(),
        marker_size: c.marker_size,
        prefer: None,
    };
    let merged = crate::merge(
        input(Side::Base),
        input(Side::Current),
        input(Side::Incoming),
        &opts,
    )
    .map_err(|e| c.locate(name, &names, e))?;
    Ok(Outcome::merged(merged))
}

/// A file with conflict markers: the three versions it holds, and the labels
/// and marker size of its first conflict.
#[derive(Debug)]
struct Conflicted {
    versions: Versions,
    /// Labels of the first conflict: current, base, incoming.
    labels: [String; 3],
    marker_size: usize,
}

fn error_at(name: &str, line: usize, reason: impl Into<String>) -> Error {
    Error::Syntax {
        at: Location {
            file: name.to_string(),
            line,
            col: 1,
        },
        reason: reason.into(),
    }
}

impl Conflicted {
    /// Reads a conflicted file; `None` when it holds no conflict.
    fn read(name: &str, bytes: &[u8]) -> Result<Option<Conflicted>> {
        let segments = conflict::parse(bytes).map_err(|e| error_at(name, e.line, e.reason))?;
        let Some(first) = segments.iter().find_map(|s| match s {
            Segment::Conflict(h) => Some(h),
            Segment::Shared(_) => None,
        }) else {
            return Ok(None);
        };
        let versions = Versions::of(bytes, &segments).map_err(|e| {
            error_at(
                name,
                e.line,
                format!(
                    "{}; yamerge solve needs diff3 markers: re-create them with \
                     `git checkout --conflict=diff3 -- FILE` and set \
                     `git config merge.conflictStyle diff3` for next time",
                    e.reason
                ),
            )
        })?;
        Ok(Some(Conflicted {
            versions,
            labels: first.labels.clone(),
            marker_size: first.marker_size,
        }))
    }

    /// Points an error in a rebuilt version at the file and line the user
    /// has open, rather than at a line of a version that exists nowhere.
    fn locate(&self, name: &str, names: &[String; 3], e: Error) -> Error {
        let Error::Syntax { at, reason } = e else {
            return e;
        };
        let Some(k) = names.iter().position(|n| *n == at.file) else {
            return Error::Syntax { at, reason };
        };
        let lines = &self.versions.lines[k];
        let past_end = lines.last().map_or(1, |l| l + 1);
        let line = lines
            .get(at.line.saturating_sub(1))
            .copied()
            .unwrap_or(past_end);
        Error::Syntax {
            at: Location {
                file: name.to_string(),
                line,
                col: at.col,
            },
            reason: format!(
                "{reason} (in the {} version rebuilt from the conflicts)",
                SIDES[k].name()
            ),
        }
    }
}

/// The names the rebuilt versions carry in the merge, indexed by side.
fn input_names(name: &str) -> [String; 3] {
    SIDES.map(|side| format!("{name} ({})", side.name()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "a: 1\n\
<<<<<<< HEAD\n\
b: 2\n\
||||||| base\n\
b: 1\n\
=======\n\
b: 3\n\
>>>>>>> topic\n\
c: 1\n";

    fn read(text: &str) -> Conflicted {
        Conflicted::read("f", text.as_bytes()).unwrap().unwrap()
    }

    #[test]
    fn reads_versions_labels_and_marker_size() {
        let c = read(FILE);
        assert_eq!(
            c.versions.text[Side::Incoming.index()],
            b"a: 1\nb: 3\nc: 1\n"
        );
        assert_eq!(c.labels, ["HEAD", "base", "topic"]);
        assert_eq!(c.marker_size, 7);
        assert!(Conflicted::read("f", b"a: 1\n").unwrap().is_none());
    }

    #[test]
    fn merge_style_markers_ask_for_diff3() {
        let text = "<<<<<<< HEAD\nb: 2\n=======\nb: 3\n>>>>>>> topic\n";
        let e = Conflicted::read("f.yaml", text.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("f.yaml:3:1: this conflict has no base section"),
            "{e}"
        );
        assert!(e.contains("--conflict=diff3"), "{e}");
    }

    #[test]
    fn syntax_errors_point_into_the_file() {
        let text = "a: 1\n<<<<<<< x\nb: [\n||||||| o\nb: 1\n=======\nb: 3\n>>>>>>> y\n";
        let c = read(text);
        let e = solve("f", &c, StyleArg::Diff3).unwrap_err().to_string();
        // The flow list is still open where the current section ends.
        assert!(e.starts_with("f:4:1: "), "{e}");
        assert!(
            e.ends_with("(in the current version rebuilt from the conflicts)"),
            "{e}"
        );
    }
}
