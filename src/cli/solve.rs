//! `yamerge solve`: re-merges a file in which git already left conflict
//! markers. With diff3 markers each conflict holds all three versions and
//! the text around the conflicts is what the three share, so the versions
//! can be rebuilt and merged structurally; what still conflicts is written
//! back with markers, using the file's own labels and marker size.

use std::path::PathBuf;

use super::merge::StyleArg;
use super::report::{Outcome, ReportArgs};
use super::{exit, read_input, write_atomic, write_stdout};
use crate::error::{Error, Location, Result};
use crate::report::Method;
use crate::{Input, MergeOptions, Side};

/// Shortest run of `<` taken as a conflict marker (git's default size).
const MIN_MARKER: usize = 7;

const SIDES: [&str; 3] = ["base", "current", "incoming"];

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
    let versions = split(&name, &bytes)?;
    let outcome = if versions.conflicts == 0 {
        unchanged(bytes, &name)
    } else {
        solve(&name, &versions, args.conflict_style)?
    };
    let to_stdout = args.stdout || args.file.as_os_str() == "-";
    if to_stdout {
        write_stdout(&outcome.text)?;
    } else if versions.conflicts > 0 {
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
fn solve(name: &str, v: &Versions, style: StyleArg) -> Result<Outcome> {
    let names = v.input_names(name);
    let input = |k: usize| Input::new(&names[k], &v.text[k]);
    let opts = MergeOptions {
        layout: Side::Current,
        style: style.into(),
        labels: v.labels.clone(),
        marker_size: v.marker_size,
        prefer: None,
    };
    let merged =
        crate::merge(input(0), input(1), input(2), &opts).map_err(|e| v.locate(name, &names, e))?;
    Ok(Outcome::merged(merged))
}

/// The three versions rebuilt from a file with conflict markers.
#[derive(Debug)]
struct Versions {
    /// Base, current and incoming text.
    text: [Vec<u8>; 3],
    /// For each line of each version, its 1-based line in the file (so that
    /// a syntax error points into the file the user has open).
    lines: [Vec<usize>; 3],
    /// Labels of the first conflict: current, base, incoming.
    labels: [String; 3],
    /// Marker size of the first conflict.
    marker_size: usize,
    conflicts: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Outside,
    /// Inside a conflict with markers of this size, in this version's section.
    In(usize, usize),
}

/// A marker line: a run of `ch` followed by the end of the line or a space
/// and a label. Returns the run length and the label.
fn marker(line: &[u8], ch: u8) -> Option<(usize, String)> {
    let body = line.strip_suffix(b"\n").unwrap_or(line);
    let body = body.strip_suffix(b"\r").unwrap_or(body);
    let run = body.iter().take_while(|&&b| b == ch).count();
    let rest = &body[run..];
    match rest.first() {
        _ if run == 0 => None,
        None => Some((run, String::new())),
        Some(b' ') => Some((run, String::from_utf8_lossy(&rest[1..]).into_owned())),
        Some(_) => None,
    }
}

/// Which marker of size `n` the line is, if any.
fn marker_of_size(line: &[u8], n: usize) -> Option<(u8, String)> {
    b"<|=>".iter().find_map(|&ch| match marker(line, ch) {
        Some((run, label)) if run == n => Some((ch, label)),
        _ => None,
    })
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

/// Splits a file with diff3-style conflict markers into its three versions.
fn split(name: &str, bytes: &[u8]) -> Result<Versions> {
    let mut v = Versions {
        text: Default::default(),
        lines: Default::default(),
        labels: SIDES.map(String::from),
        marker_size: MIN_MARKER,
        conflicts: 0,
    };
    let mut state = State::Outside;
    let mut opened_at = 0;
    for (k, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        let at = k + 1;
        state = match state {
            State::Outside => match marker(line, b'<') {
                Some((n, label)) if n >= MIN_MARKER => {
                    opened_at = at;
                    v.open(n, label);
                    State::In(n, 1)
                }
                _ => {
                    v.push_all(line, at);
                    State::Outside
                }
            },
            State::In(n, side) => v.inside(name, line, at, n, side)?,
        };
    }
    if state != State::Outside {
        return Err(error_at(
            name,
            opened_at,
            "this conflict is not closed (no `>>>>>>>` line)",
        ));
    }
    Ok(v)
}

impl Versions {
    fn open(&mut self, n: usize, label: String) {
        self.conflicts += 1;
        if self.conflicts == 1 {
            self.marker_size = n;
            self.labels[0] = label;
        }
    }

    fn push(&mut self, side: usize, line: &[u8], at: usize) {
        self.text[side].extend_from_slice(line);
        self.lines[side].push(at);
    }

    fn push_all(&mut self, line: &[u8], at: usize) {
        for side in 0..3 {
            self.push(side, line, at);
        }
    }

    /// One line inside a conflict whose markers have size `n`, while in the
    /// section of version `side` (1 current, 0 base, 2 incoming).
    fn inside(
        &mut self,
        name: &str,
        line: &[u8],
        at: usize,
        n: usize,
        side: usize,
    ) -> Result<State> {
        let Some((ch, label)) = marker_of_size(line, n) else {
            self.push(side, line, at);
            return Ok(State::In(n, side));
        };
        let first = self.conflicts == 1;
        match (side, ch) {
            (1, b'|') => {
                if first {
                    self.labels[1] = label;
                }
                Ok(State::In(n, 0))
            }
            (1, b'=') => Err(error_at(
                name,
                at,
                "this conflict has no base section (`merge` style); yamerge solve needs \
                 diff3 markers: re-create them with `git checkout --conflict=diff3 -- FILE` \
                 and set `git config merge.conflictStyle diff3` for next time",
            )),
            (0, b'=') => Ok(State::In(n, 2)),
            (2, b'>') => {
                if first {
                    self.labels[2] = label;
                }
                Ok(State::Outside)
            }
            _ => Err(error_at(
                name,
                at,
                format!(
                    "unexpected `{}` marker inside a conflict",
                    String::from_utf8_lossy(&vec![ch; n])
                ),
            )),
        }
    }

    /// The names the rebuilt versions carry in the merge, one per side.
    fn input_names(&self, name: &str) -> [String; 3] {
        SIDES.map(|side| format!("{name} ({side})"))
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
        let past_end = self.lines[k].last().map_or(1, |l| l + 1);
        let line = self.lines[k]
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
                SIDES[k]
            ),
        }
    }
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

    #[test]
    fn splits_the_three_versions() {
        let v = split("f", FILE.as_bytes()).unwrap();
        let text = |k: usize| String::from_utf8(v.text[k].clone()).unwrap();
        assert_eq!(text(0), "a: 1\nb: 1\nc: 1\n");
        assert_eq!(text(1), "a: 1\nb: 2\nc: 1\n");
        assert_eq!(text(2), "a: 1\nb: 3\nc: 1\n");
        assert_eq!(v.lines[2], [1, 7, 9]);
        assert_eq!(v.labels, ["HEAD", "base", "topic"]);
        assert_eq!((v.marker_size, v.conflicts), (7, 1));
    }

    #[test]
    fn merge_style_markers_ask_for_diff3() {
        let text = "<<<<<<< HEAD\nb: 2\n=======\nb: 3\n>>>>>>> topic\n";
        let e = split("f.yaml", text.as_bytes()).unwrap_err().to_string();
        assert!(
            e.starts_with("f.yaml:3:1: this conflict has no base section"),
            "{e}"
        );
        assert!(e.contains("--conflict=diff3"), "{e}");
    }

    #[test]
    fn unclosed_and_stray_markers_are_errors() {
        let e = split("f", b"x\n<<<<<<< a\ny\n").unwrap_err().to_string();
        assert_eq!(e, "f:2:1: this conflict is not closed (no `>>>>>>>` line)");
        let e = split("f", b"<<<<<<< a\n>>>>>>> b\n")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "f:2:1: unexpected `>>>>>>>` marker inside a conflict");
    }

    #[test]
    fn markers_of_another_size_are_content() {
        let text = "<<<<<<<<< a\nx: <<<<<<< not\n||||||||| b\n=======\n=========\n>>>>>>>>>\n";
        let v = split("f", text.as_bytes()).unwrap();
        assert_eq!(v.text[1], b"x: <<<<<<< not\n");
        assert_eq!(v.text[0], b"=======\n");
        assert_eq!(v.marker_size, 9);
    }

    #[test]
    fn crlf_marker_lines_are_recognised() {
        let text = "<<<<<<< a\r\nb: 2\r\n||||||| o\r\nb: 1\r\n=======\r\nb: 3\r\n>>>>>>> c\r\n";
        let v = split("f", text.as_bytes()).unwrap();
        assert_eq!(v.text[2], b"b: 3\r\n");
        assert_eq!(v.labels, ["a", "o", "c"]);
    }

    #[test]
    fn syntax_errors_point_into_the_file() {
        let text = "a: 1\n<<<<<<< x\nb: [\n||||||| o\nb: 1\n=======\nb: 3\n>>>>>>> y\n";
        let v = split("f", text.as_bytes()).unwrap();
        let e = solve("f", &v, StyleArg::Diff3).unwrap_err().to_string();
        // The flow list is still open where the current section ends.
        assert!(e.starts_with("f:4:1: "), "{e}");
        assert!(
            e.ends_with("(in the current version rebuilt from the conflicts)"),
            "{e}"
        );
    }
}
