//! `yamerge merge-file`: a drop-in for `git merge-file` (same argument
//! order, labels, output and exit codes) that merges YAML structurally and
//! anything else line by line exactly like git.

use std::path::PathBuf;

use super::git_compat::{binary_input, git_marker_size};
use super::report::ReportArgs;
use super::{read_input, write_atomic, write_stdout};
use crate::error::{Error, Result};
use crate::merge_or_lines;
use crate::{ConflictStyle, Input, MergeOptions, Side};

/// `git merge-file`'s exit status on error (it returns -1).
pub(crate) const ERROR: i32 = 255;

/// Conflict counts above this are reported as this (exit codes are a byte).
const MAX_COUNT: usize = 127;

#[derive(clap::Args, Debug)]
pub(crate) struct MergeFileArgs {
    /// Your version; the result is written here unless `-p`.
    current: PathBuf,
    /// The common ancestor.
    base: PathBuf,
    /// The other version.
    other: PathBuf,
    /// Write the result to standard output instead of CURRENT.
    #[arg(short = 'p', long = "stdout")]
    stdout: bool,
    /// No summary or notes on standard error.
    #[arg(short, long)]
    quiet: bool,
    /// Labels for CURRENT, BASE and OTHER, in that order (up to three times);
    /// by default the file names as given.
    #[arg(short = 'L', value_name = "LABEL")]
    labels: Vec<String>,
    /// Length of conflict markers.
    #[arg(long, default_value_t = 7, value_name = "N")]
    marker_size: usize,
    /// Write conflicts with a base section.
    #[arg(long, overrides_with = "zdiff3")]
    diff3: bool,
    /// Like --diff3, with lines both sides share moved out of conflicts.
    #[arg(long, overrides_with = "diff3")]
    zdiff3: bool,
    /// Resolve conflicts to CURRENT's version.
    #[arg(long, overrides_with = "theirs")]
    ours: bool,
    /// Resolve conflicts to OTHER's version.
    #[arg(long, overrides_with = "ours")]
    theirs: bool,
    #[command(flatten)]
    report: ReportArgs,
}

/// Runs the command; errors are reported here because their exit status is
/// git's 255, not yamerge's usual 2.
pub(crate) fn run(args: MergeFileArgs) -> Result<i32> {
    match merge_file(&args) {
        Ok(code) => Ok(code),
        Err(e) => {
            eprintln!("yamerge: {e}");
            Ok(ERROR)
        }
    }
}

fn merge_file(args: &MergeFileArgs) -> Result<i32> {
    if args.labels.len() > 3 {
        return Err(Error::Usage(
            "-L takes at most three labels: current, base, other".into(),
        ));
    }
    let stdin_count = [&args.current, &args.base, &args.other]
        .iter()
        .filter(|p| p.as_os_str() == "-")
        .count();
    if stdin_count > 1 {
        return Err(Error::Usage(
            "only one input can be `-` (standard input)".into(),
        ));
    }
    let (current_name, current) = read_input(&args.current)?;
    let (base_name, base) = read_input(&args.base)?;
    let (other_name, other) = read_input(&args.other)?;
    let inputs = [
        Input::new(&base_name, &base),
        Input::new(&current_name, &current),
        Input::new(&other_name, &other),
    ];
    if let Some(name) = binary_input(&inputs) {
        return Err(Error::Binary {
            file: name.to_string(),
        });
    }
    let opts = options(args, [&current_name, &base_name, &other_name]);
    let outcome = merge_or_lines(inputs[0], inputs[1], inputs[2], &opts, &current_name)?;
    if args.stdout || args.current.as_os_str() == "-" {
        write_stdout(&outcome.text)?;
    } else {
        write_atomic(&args.current, &outcome.text)?;
    }
    args.report.emit(&outcome, args.quiet, None)?;
    Ok(outcome.conflicts.len().min(MAX_COUNT) as i32)
}

/// Git's defaults: `merge` style, labels from the file names, layout of the
/// file being merged into (current).
fn options(args: &MergeFileArgs, names: [&str; 3]) -> MergeOptions {
    let style = if args.zdiff3 {
        ConflictStyle::Zdiff3
    } else if args.diff3 {
        ConflictStyle::Diff3
    } else {
        ConflictStyle::Merge
    };
    let prefer = if args.ours {
        Some(Side::Current)
    } else if args.theirs {
        Some(Side::Incoming)
    } else {
        None
    };
    let mut labels = names.map(String::from);
    for (slot, label) in labels.iter_mut().zip(&args.labels) {
        *slot = label.clone();
    }
    MergeOptions {
        layout: Side::Current,
        style,
        labels,
        marker_size: git_marker_size(args.marker_size),
        prefer,
    }
}
