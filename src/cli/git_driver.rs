//! `yamerge git-driver`: a git merge driver (`merge.<name>.driver`). Git
//! hands over three temporary files and expects the result in `%A` and exit
//! status 0 (clean) or non-zero (conflicts left in `%A`).

use std::path::PathBuf;

use super::git_compat::{binary_input, git_marker_size};
use super::merge::StyleArg;
use super::report::{Outcome, ReportArgs};
use super::{exit, read_input, write_atomic};
use crate::error::Result;
use crate::merge_or_lines;
use crate::report::Method;
use crate::{Input, MergeOptions, Side};

#[derive(clap::Args, Debug)]
pub(crate) struct GitDriverArgs {
    /// `%O`: the merge base.
    base: PathBuf,
    /// `%A`: our version; the result is written here.
    current: PathBuf,
    /// `%B`: their version.
    incoming: PathBuf,
    /// `%L`: conflict marker size.
    #[arg(
        short = 'L',
        long = "marker-size",
        default_value_t = 7,
        value_name = "N"
    )]
    marker_size: usize,
    /// `%P`: the path being merged (for messages).
    #[arg(short = 'P', long = "path", value_name = "PATH")]
    path: Option<String>,
    /// `%S`: label of the base section (default `base`).
    #[arg(short = 's', long = "base-label", value_name = "LABEL")]
    base_label: Option<String>,
    /// `%X`: label of our section (default `current`).
    #[arg(short = 'x', long = "current-label", value_name = "LABEL")]
    current_label: Option<String>,
    /// `%Y`: label of their section (default `incoming`).
    #[arg(short = 'y', long = "incoming-label", value_name = "LABEL")]
    incoming_label: Option<String>,
    /// How conflicts are written (diff3 keeps the base, which `yamerge
    /// solve` and most merge tools need).
    #[arg(long, value_enum, default_value_t = StyleArg::Diff3)]
    conflict_style: StyleArg,
    /// No summary or notes on standard error.
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    report: ReportArgs,
}

pub(crate) fn run(args: GitDriverArgs) -> Result<i32> {
    let subject = args
        .path
        .clone()
        .unwrap_or_else(|| args.current.display().to_string());
    let (_, base) = read_input(&args.base)?;
    let (_, current) = read_input(&args.current)?;
    let (_, incoming) = read_input(&args.incoming)?;
    // Messages name the path git is merging, not its temporary files.
    let names = ["base", "current", "incoming"].map(|side| format!("{subject} ({side})"));
    let inputs = [
        Input::new(&names[0], &base),
        Input::new(&names[1], &current),
        Input::new(&names[2], &incoming),
    ];
    let outcome = match binary_input(&inputs) {
        // Like git's binary merge: keep ours, report a conflict.
        Some(name) => kept_current(&current, name),
        None => {
            let opts = options(&args);
            let outcome = merge_or_lines(inputs[0], inputs[1], inputs[2], &opts, &subject)?;
            write_atomic(&args.current, &outcome.text)?;
            outcome
        }
    };
    args.report.emit(&outcome, args.quiet, Some(&subject))?;
    Ok(if outcome.is_clean() {
        exit::CLEAN
    } else {
        exit::CONFLICTS
    })
}

fn kept_current(current: &[u8], binary_name: &str) -> Outcome {
    Outcome {
        text: current.to_vec(),
        conflicts: Vec::new(),
        changes: Vec::new(),
        method: Method::KeptCurrent,
        notes: vec![format!(
            "{binary_name}: binary file (a NUL byte); kept current as it was"
        )],
    }
}

fn options(args: &GitDriverArgs) -> MergeOptions {
    let label = |given: &Option<String>, default: &str| {
        given.clone().unwrap_or_else(|| default.to_string())
    };
    MergeOptions {
        layout: Side::Current,
        style: args.conflict_style.into(),
        labels: [
            label(&args.current_label, "current"),
            label(&args.base_label, "base"),
            label(&args.incoming_label, "incoming"),
        ],
        marker_size: git_marker_size(args.marker_size),
        prefer: None,
    }
}
