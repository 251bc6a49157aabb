//! The command line: argument parsing, file I/O and exit codes. No merge
//! logic lives here; it calls the library stages and reports their outcome.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::error::Result;

mod diff;
mod git_compat;
mod git_driver;
mod io;
mod lsp;
mod merge;
mod merge_file;
mod profile;
mod report;
mod resolve;
mod solve;

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
    after_help = "Exit status: merge, git-driver, solve, resolve, profile: 0 clean, 1 conflicts, 2 error; \
diff: 0 no changes, 1 changes, 2 error; merge-file: the number of conflicts (0 clean), 255 on error, \
like git; parse: 0 parses, 2 error; lsp: 0 after the client's shutdown and exit, 1 otherwise.\n\n\
Examples:\n  \
yamerge merge old-defaults.yaml my-values.yaml new-defaults.yaml -o merged.yaml\n  \
yamerge diff old-defaults.yaml my-values.yaml          # what did I customize?\n  \
yamerge profile base.json current.json incoming.json -o upgraded.json --layers-dir layers/\n  \
git config merge.yamerge.driver 'yamerge git-driver %O %A %B -L %L -P %P'\n  \
yamerge solve values.yaml                             # re-merge a conflicted file\n  \
yamerge resolve values.yaml                           # pick sides, one conflict at a time\n  \
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
    /// Show what changed from BASE to CURRENT (e.g. your customizations of a
    /// pack's defaults), by YAML path.
    #[command(after_help = "Exit status: 0 no changes, 1 changes, 2 error.\n\n\
One line per change: `~ path: old → new` (changed), `+ path: value` (added), `- path: value` \
(removed), `# path: old → new` (comments, with --comments). Values are shown as written; long \
and multi-line ones are abbreviated (--json gives them whole). Quoting-only changes are not \
changes. The `# spectrocloud.com/enabled-presets:` line is compared like a setting.\n\n\
Examples:\n  yamerge diff old-defaults.yaml my-values.yaml\n  \
yamerge diff --json old-defaults.yaml my-values.yaml | jq '.changes[].path'\n  \
yamerge diff --profile old-profile.json my-profile.json")]
    Diff(diff::DiffArgs),
    /// Upgrade a Palette cluster profile: merge every pack's values of three
    /// profile exports (JSON or YAML).
    #[command(
        after_help = "Exit status: 0 clean, 1 conflicts written, 2 error (nothing written).\n\n\
Packs are matched by name and layer. Each pack's values are merged like `yamerge merge` (layout \
from INCOMING); the result is INCOMING's export with only the merged `values` replaced. A pack \
that is not in all three exports is taken from INCOMING (or left out when INCOMING lacks it) and \
reported on standard error.\n\n\
Examples:\n  yamerge profile old.json mine.json new.json -o upgraded.json\n  \
yamerge profile old.yaml mine.yaml new.yaml --layers-dir layers/"
    )]
    Profile(profile::ProfileArgs),
    /// Like `git merge-file`: merge OTHER's changes since BASE into CURRENT.
    #[command(
        after_help = "Exit status: the number of conflicts (at most 127), 0 when clean, \
255 on error; like git merge-file.\n\n\
YAML is merged structurally (the result keeps CURRENT's layout); other text, or YAML that does \
not parse, is merged line by line exactly like git merge-file, with a note on standard error.\n\n\
Examples:\n  yamerge merge-file -p ours.yaml base.yaml theirs.yaml\n  \
yamerge merge-file --diff3 -L mine -L base -L theirs values.yaml old.yaml new.yaml"
    )]
    MergeFile(merge_file::MergeFileArgs),
    /// Git merge driver: merge %A and %B (both from %O) into %A.
    #[command(
        after_help = "Exit status: 0 clean, 1 conflicts left in %A (or a binary input, \
%A kept), 2 error (%A untouched).\n\n\
Register it (see the README):\n  \
git config merge.yamerge.driver 'yamerge git-driver %O %A %B -L %L -P %P'\n  \
echo '*.yaml merge=yamerge' >> .gitattributes"
    )]
    GitDriver(git_driver::GitDriverArgs),
    /// Re-merge a file that already holds git conflict markers (diff3 style).
    #[command(
        after_help = "Exit status: 0 clean, 1 conflicts remain (written with markers), \
2 error (nothing written).\n\n\
The conflicts need base sections (`git config merge.conflictStyle diff3`, or \
`git checkout --conflict=diff3 -- FILE` to re-create them).\n\n\
Examples:\n  yamerge solve values.yaml\n  yamerge solve -p values.yaml | less\n  \
yamerge solve < values.yaml > solved.yaml"
    )]
    Solve(solve::SolveArgs),
    /// Resolve conflicts one at a time in a full-screen terminal UI that
    /// shows each conflict's YAML path.
    #[command(
        after_help = "Exit status: 0 all conflicts resolved (and written), 1 conflicts left \
(written with markers, or `q` quit without writing), 2 error (nothing written). Same as merge: \
`git mergetool` with trustExitCode marks a path resolved on 0 only.\n\n\
Keys:\n  \
c    take current                   i    take incoming\n  \
b    both, current then incoming    B    both, incoming then current\n  \
o    take base                      e    edit the conflict in $EDITOR ($VISUAL, vi)\n  \
n/p  next/previous (or arrows)      u    undo the last choice\n  \
w    write and quit                 q    quit without writing (asks if choices would be lost)\n\n\
The editor gets the conflict with its markers; what it saves replaces the conflict (markers left \
in it keep it a conflict). After each choice the three versions the text holds are re-merged, and \
the result taken when that settles more conflicts; undo goes back past both.\n\n\
FILE may hold markers of any style (merge, diff3, zdiff3) from yamerge or git; taking base needs \
a base section. Standard input and output must be a terminal, except with --take. NO_COLOR or \
TERM=dumb draws without colour.\n\n\
Examples:\n  yamerge resolve values.yaml\n  \
yamerge resolve old-defaults.yaml my-values.yaml new-defaults.yaml -o merged.yaml\n  \
yamerge resolve values.yaml --take incoming='kubeadmconfig.*' --take current\n  \
git config mergetool.yamerge.cmd 'yamerge resolve \"$BASE\" \"$LOCAL\" \"$REMOTE\" -o \"$MERGED\"'\n  \
git config mergetool.yamerge.trustExitCode true\n  \
git mergetool --tool yamerge"
    )]
    Resolve(resolve::ResolveArgs),
    /// Language server for YAML with conflict markers: diagnostics, code
    /// actions, hover, lenses (stdio).
    #[command(
        after_help = "Exit status: 0 after the client's shutdown and exit, 1 when it exits \
without shutdown or goes away.\n\n\
Speaks the Language Server Protocol on standard input and output. Configure your editor to \
start `yamerge lsp` for YAML files; see the README for VS Code, Neovim, Helix and Zed."
    )]
    Lsp(lsp::LspArgs),
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
    let args: Vec<OsString> = args.into_iter().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if !e.use_stderr() {
                exit::CLEAN
            } else if args.get(1).is_some_and(|a| a == "merge-file") {
                // Scripts written for git merge-file read 255 as an error.
                merge_file::ERROR
            } else {
                exit::ERROR
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
        Command::Diff(args) => diff::run(args),
        Command::Profile(args) => profile::run(args),
        Command::MergeFile(args) => merge_file::run(args),
        Command::GitDriver(args) => git_driver::run(args),
        Command::Solve(args) => solve::run(args),
        Command::Resolve(args) => resolve::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Parse { file, tree } => {
            let (name, bytes) = read_input(&file)?;
            let parsed = crate::syntax::parse(&name, &bytes)?;
            note_lenient(&parsed);
            let out = if tree { parsed.dump() } else { parsed.print() };
            write_stdout(out.as_bytes())?;
            Ok(exit::CLEAN)
        }
    }
}

/// Says on standard error where a file was read outside YAML 1.2, the way
/// libyaml reads it (the merge commands say it in their report).
fn note_lenient(tree: &crate::syntax::Tree) {
    if let Some((at, what)) = tree.lenient_note() {
        eprintln!("note: {at}: {what}");
    }
}
