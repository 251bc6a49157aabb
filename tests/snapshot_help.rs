//! Snapshots of the help texts a user reads: `yamerge --help` (long),
//! `yamerge -h` (short) and `yamerge SUBCOMMAND --help` for every subcommand
//! that `yamerge help` lists (a guard test fails when one is added without
//! a snapshot here).

mod common;
mod snap;

use snap::{repo, snapshot, yamerge};

/// Snapshots the output of `yamerge ARGS` run in the repository root.
fn help(args: &[&str]) -> snap::Run {
    let run = yamerge(&repo(), args);
    assert_eq!(run.code, Some(0), "{}", run.transcript());
    run
}

/// One test per help text, each snapshot named after its test.
macro_rules! help_tests {
    ($($name:ident: [$($arg:literal),*];)*) => {
        $(
            #[test]
            fn $name() {
                let run = help(&[$($arg),*]);
                snapshot!(run, run.transcript());
            }
        )*
        /// The subcommands that have a help snapshot above.
        const COVERED: &[&[&str]] = &[$(&[$($arg),*]),*];
    };
}

help_tests! {
    help_top_level_long: ["--help"];
    help_top_level_short: ["-h"];
    help_merge: ["merge", "--help"];
    help_diff: ["diff", "--help"];
    help_profile: ["profile", "--help"];
    help_merge_file: ["merge-file", "--help"];
    help_git_driver: ["git-driver", "--help"];
    help_solve: ["solve", "--help"];
    help_resolve: ["resolve", "--help"];
    help_lsp: ["lsp", "--help"];
    help_parse: ["parse", "--help"];
}

/// Every subcommand listed by `yamerge help` (but `help` itself) has its
/// `--help` snapshot above, and `yamerge help` is the same text as `--help`.
#[test]
fn every_subcommand_has_a_help_snapshot() {
    let listing = help(&["help"]).stdout();
    assert_eq!(listing, help(&["--help"]).stdout());
    let commands: Vec<&str> = listing
        .split("Commands:\n")
        .nth(1)
        .expect("a Commands section")
        .lines()
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    let covered: Vec<&str> = COVERED
        .iter()
        .filter(|args| args.len() == 2 && args[1] == "--help")
        .map(|args| args[0])
        .collect();
    assert_eq!(commands, covered);
}
