//! `yamerge solve`: re-merges a file in which git already left conflict
//! markers. With diff3 markers each conflict holds all three versions and
//! the text around the conflicts is what the three share, so the versions
//! can be rebuilt and merged structurally; what still conflicts is written
//! back with markers, using the file's own labels and marker size.

use std::path::PathBuf;

use super::merge::StyleArg;
use super::report::{Outcome, ReportArgs};
use super::{exit, read_input, write_atomic, write_stdout};
use crate::error::Result;
use crate::report::Method;

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
    let solved = crate::solve(&name, &bytes, args.conflict_style.into())?;
    let had_conflicts = solved.is_some();
    let outcome = match solved {
        Some(merged) => merged.into_bytes(),
        None => unchanged(bytes, &name),
    };
    let to_stdout = args.stdout || args.file.as_os_str() == "-";
    if to_stdout {
        write_stdout(&outcome.text)?;
    } else if had_conflicts {
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
