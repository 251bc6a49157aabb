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
    Merge(MergeArgs),
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

#[derive(clap::Args, Debug)]
struct MergeArgs {
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
    /// already holds marker-like lines).
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
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum LayoutArg {
    Incoming,
    Current,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum StyleArg {
    Merge,
    Diff3,
    Zdiff3,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum PreferArg {
    Current,
    Incoming,
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
        Command::Merge(args) => run_merge(args),
        Command::Parse { file, tree } => {
            let (name, bytes) = read_input(&file)?;
            let parsed = crate::syntax::parse(&name, &bytes)?;
            let out = if tree { parsed.dump() } else { parsed.print() };
            write_stdout(out.as_bytes())?;
            Ok(exit::CLEAN)
        }
    }
}

fn run_merge(args: MergeArgs) -> Result<i32> {
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
        layout: match args.layout {
            LayoutArg::Incoming => crate::Side::Incoming,
            LayoutArg::Current => crate::Side::Current,
        },
        style: match args.conflict_style {
            StyleArg::Merge => crate::ConflictStyle::Merge,
            StyleArg::Diff3 => crate::ConflictStyle::Diff3,
            StyleArg::Zdiff3 => crate::ConflictStyle::Zdiff3,
        },
        marker_size: args.marker_size.max(1),
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
    if !args.quiet {
        eprintln!("{}", summary(&merged));
    }
    Ok(if merged.conflicts.is_empty() {
        exit::CLEAN
    } else {
        exit::CONFLICTS
    })
}

/// `merged: 3 changes from current, 12 from incoming, 1 conflict at a.b`
pub(crate) fn summary(merged: &crate::MergeResult) -> String {
    let count = |side| merged.changes.iter().filter(|c| c.side == side).count();
    let (c, i) = (count(crate::Side::Current), count(crate::Side::Incoming));
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut s = format!(
        "merged: {} from current, {i} from incoming",
        plural(c, "change")
    );
    match merged.conflicts.len() {
        0 => s.push_str(", no conflicts"),
        n => {
            let paths: Vec<&str> = merged
                .conflicts
                .iter()
                .map(|c| {
                    if c.path.is_empty() {
                        "(document)"
                    } else {
                        c.path.as_str()
                    }
                })
                .collect();
            s.push_str(&format!(
                ", {} at {}",
                plural(n, "conflict"),
                paths.join(", ")
            ));
        }
    }
    s
}

/// Writes a file atomically: a temporary file in the same directory, then a
/// rename over the target, keeping the target's permissions. On error the
/// target is untouched and the temporary file removed.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io_err = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{file_name}.yamerge-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io_err(e));
    }
    Ok(())
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
