//! The command line: argument parsing, file I/O and exit codes. No merge
//! logic lives here; it calls the library stages and reports their outcome.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::error::Result;

mod io;
mod merge;

pub(crate) use io::{read_input, write_atomic, write_stdout};

/// Exit codes shared by the subcommands.
pub mod exit {
    /// Clean result.
    pub const CLEAN: i32 = 0;
    /// The result holds conflicts.
    pub const CONFLICTS: i32 = 1;
    /// Something went wrong; nothing was written.
    pub const ERROR: i32 = 2;
}

#[derive(Parser, Debug)]
#[command(
    name = "yamerge",
    version,
    about = "Three-way merge of YAML files that keeps comments, order and formatting",
    long_about = "yamerge merges YAML structurally: mappings by key, list items by identity, \
block scalars line by line. It keeps every untouched byte of the layout side and writes git-style \
conflict markers only where both sides changed the same thing.",
    after_help = "Examples:\n  yamerge merge base.yaml current.yaml incoming.yaml -o merged.yaml\n  \
yamerge parse values.yaml --tree"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Merge CURRENT and INCOMING, both descended from BASE.
    #[command(
        after_help = "Exit status: 0 clean, 1 conflicts written, 2 error (nothing written).\n\n\
The result is built from INCOMING's text (its order, comments and formatting) with every change \
CURRENT made since BASE re-applied; `--layout current` builds it from CURRENT's text instead. \
Both give the same data.\n\n\
Examples:\n  yamerge merge old-defaults.yaml my-values.yaml new-defaults.yaml -o merged.yaml\n  \
yamerge merge base.yaml ours.yaml theirs.yaml --conflict-style merge -L mine -L base -L theirs\n  \
git show v1:values.yaml | yamerge merge - values.yaml new.yaml"
    )]
    Merge(merge::MergeArgs),
    /// Print a file back from its syntax tree (a round-trip check), or its tree.
    #[command(after_help = "Exit status: 0 when the file parses, 2 on error.\n\n\
Examples:\n  yamerge parse values.yaml | cmp - values.yaml\n  yamerge parse --tree values.yaml")]
    Parse {
        /// The YAML file (`-` reads standard input).
        file: PathBuf,
        /// Show the nodes with kinds, byte ranges and line:column instead.
        #[arg(long)]
        tree: bool,
    },
}

/// Runs the command line and returns the process exit code.
pub fn main_with_args<I: IntoIterator<Item = OsString>>(args: I) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::ERROR
            } else {
                exit::CLEAN
            };
            let _ = e.print();
            return code;
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("yamerge: {e}");
            exit::ERROR
        }
    }
}

fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Merge(args) => merge::run(args),
        Command::Parse { file, tree } => {
            let (name, bytes) = read_input(&file)?;
            let parsed = crate::syntax::parse(&name, &bytes)?;
            let out = if tree { parsed.dump() } else { parsed.print() };
            write_stdout(out.as_bytes())?;
            Ok(exit::CLEAN)
        }
    }
}
