//! The command line: argument parsing, file I/O and exit codes. No merge
//! logic lives here; it calls the library stages and reports their outcome.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::error::{Error, Result};

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
        Command::Parse { file, tree } => {
            let (name, bytes) = read_input(&file)?;
            let parsed = crate::syntax::parse(&name, &bytes)?;
            let out = if tree { parsed.dump() } else { parsed.print() };
            write_stdout(out.as_bytes())?;
            Ok(exit::CLEAN)
        }
    }
}

/// Reads a file, or standard input for `-`. Returns the display name and bytes.
pub(crate) fn read_input(path: &Path) -> Result<(String, Vec<u8>)> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })?;
        return Ok(("-".to_string(), buf));
    }
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok((path.display().to_string(), bytes))
}

fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|source| Error::Io {
            path: PathBuf::from("-"),
            source,
        })
}
