//! `yamerge merge`: the three-way merge of files.

use std::path::PathBuf;

use super::{exit, read_input, write_atomic, write_stdout};
use crate::error::{Error, Result};

#[derive(clap::Args, Debug)]
pub(crate) struct MergeArgs {
    /// The common ancestor (e.g. the old defaults). `-` reads standard input.
    base: PathBuf,
    /// Your side (e.g. your customized copy).
    current: PathBuf,
    /// The other side (e.g. the new defaults).
    incoming: PathBuf,
    /// Write the result here (atomically) instead of to standard output.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Whose text, comments and key order the result is built from.
    #[arg(long, value_enum, default_value_t = LayoutArg::Incoming)]
    layout: LayoutArg,
    /// How conflicts are written: without base section, with it, or with
    /// lines common to both sides moved out of the conflict.
    #[arg(long, value_enum, default_value_t = StyleArg::Diff3)]
    conflict_style: StyleArg,
    /// Conflict labels for current, base and incoming, in that order
    /// (repeat up to three times).
    #[arg(short = 'L', long = "label", value_name = "LABEL")]
    labels: Vec<String>,
    /// Length of conflict markers (grown automatically when an input
    /// already holds marker-like lines; 0 means 7, as in git).
    #[arg(long, default_value_t = 7, value_name = "N")]
    marker_size: usize,
    /// Resolve conflicts in favour of one side instead of writing markers.
    #[arg(long, value_enum)]
    prefer: Option<PreferArg>,
    /// Only report by exit status; write no result.
    #[arg(long)]
    check: bool,
    /// No summary on standard error.
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    report: super::report::ReportArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub(crate) enum LayoutArg {
    Incoming,
    Current,
}

impl LayoutArg {
    pub(crate) fn side(self) -> crate::Side {
        match self {
            LayoutArg::Incoming => crate::Side::Incoming,
            LayoutArg::Current => crate::Side::Current,
        }
    }
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub(crate) enum StyleArg {
    Merge,
    Diff3,
    Zdiff3,
}

impl From<StyleArg> for crate::ConflictStyle {
    fn from(s: StyleArg) -> Self {
        match s {
            StyleArg::Merge => crate::ConflictStyle::Merge,
            StyleArg::Diff3 => crate::ConflictStyle::Diff3,
            StyleArg::Zdiff3 => crate::ConflictStyle::Zdiff3,
        }
    }
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum PreferArg {
    Current,
    Incoming,
}

pub(crate) fn run(args: MergeArgs) -> Result<i32> {
    let stdin_count = [&args.base, &args.current, &args.incoming]
        .iter()
        .filter(|p| p.as_os_str() == "-")
        .count();
    if stdin_count > 1 {
        return Err(Error::Usage(
            "only one input can be `-` (standard input)".into(),
        ));
    }
    if args.labels.len() > 3 {
        return Err(Error::Usage(
            "-L/--label takes at most three labels: current, base, incoming".into(),
        ));
    }
    let (base_name, base) = read_input(&args.base)?;
    let (current_name, current) = read_input(&args.current)?;
    let (incoming_name, incoming) = read_input(&args.incoming)?;
    let mut opts = crate::MergeOptions {
        layout: args.layout.side(),
        style: args.conflict_style.into(),
        marker_size: super::git_compat::git_marker_size(args.marker_size),
        prefer: args.prefer.map(|p| match p {
            PreferArg::Current => crate::Side::Current,
            PreferArg::Incoming => crate::Side::Incoming,
        }),
        ..crate::MergeOptions::default()
    };
    for (slot, label) in opts.labels.iter_mut().zip(&args.labels) {
        *slot = label.clone();
    }
    let merged = crate::merge(
        crate::Input::new(&base_name, &base),
        crate::Input::new(&current_name, &current),
        crate::Input::new(&incoming_name, &incoming),
        &opts,
    )?;
    if !args.check {
        match &args.output {
            Some(path) if path.as_os_str() != "-" => write_atomic(path, merged.text.as_bytes())?,
            _ => write_stdout(merged.text.as_bytes())?,
        }
    }
    args.report.emit(&merged, args.quiet, None)?;
    Ok(if merged.is_clean() {
        exit::CLEAN
    } else {
        exit::CONFLICTS
    })
}
