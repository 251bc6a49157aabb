//! `yamerge resolve`: the interactive resolver's command line. Reads a
//! conflicted file (or merges three files first), hands it to the resolver
//! (or to `--take` rules), writes the result atomically and turns the
//! outcome into the exit status.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::merge::LayoutArg;
use super::{exit, read_input, write_atomic, write_stdout};
use crate::error::{Error, Location, Result};
use crate::resolve::{self, Finish, Resolved, Take};

#[derive(clap::Args, Debug)]
pub(crate) struct ResolveArgs {
    /// A file holding conflict markers (any style), or BASE CURRENT
    /// INCOMING to merge first and resolve what is left.
    #[arg(value_name = "FILE | BASE CURRENT INCOMING", num_args = 1..=3, required = true)]
    files: Vec<PathBuf>,
    /// Write the result here (atomically) instead of back into FILE;
    /// required with three files.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Resolve without the screen: take this side for the conflicts whose
    /// YAML path matches PATTERN (a glob: `*` any characters, `?` one; all
    /// conflicts without it). Repeatable; the first matching rule decides;
    /// conflicts no rule matches stay.
    #[arg(long, value_name = "current|incoming[=PATTERN]", value_parser = Take::parse)]
    take: Vec<Take>,
    /// With three files: whose text, comments and key order the merge is
    /// built from.
    #[arg(long, value_enum, default_value_t = LayoutArg::Incoming)]
    layout: LayoutArg,
}

pub(crate) fn run(args: ResolveArgs) -> Result<i32> {
    let (name, text, target) = input(&args)?;
    let session = resolve::open(&text).map_err(|e| Error::Syntax {
        at: Location {
            file: name.clone(),
            line: e.line,
            col: 1,
        },
        reason: e.reason,
    })?;
    if session.conflicts() == 0 {
        return nothing_to_resolve(&args, &name, &text, &target);
    }
    let resolved = if args.take.is_empty() {
        needs_terminal()?;
        resolve::interactive(&name, session, resolve::plain_from_env()).map_err(|source| {
            Error::Io {
                path: "the terminal".into(),
                source,
            }
        })?
    } else {
        resolve::by_rules(session, &args.take)
    };
    finish(&resolved, &target)
}

/// The conflicted text to resolve, its name and where the result goes.
fn input(args: &ResolveArgs) -> Result<(String, Vec<u8>, PathBuf)> {
    match &args.files[..] {
        [file] => {
            let (name, text) = read_input(file)?;
            Ok((
                name,
                text,
                args.output.clone().unwrap_or_else(|| file.clone()),
            ))
        }
        [base, current, incoming] => {
            let Some(out) = args.output.clone() else {
                return Err(Error::Usage(
                    "resolve BASE CURRENT INCOMING needs -o OUT: where the result goes".into(),
                ));
            };
            let (text, name) = merged(base, current, incoming, args)?;
            Ok((name, text, out))
        }
        _ => Err(Error::Usage(
            "resolve takes one conflicted FILE, or BASE CURRENT INCOMING".into(),
        )),
    }
}

/// Merges the three files as `yamerge merge` does (diff3 markers, so that
/// base can be taken and the re-merge after each choice works).
fn merged(
    base: &Path,
    current: &Path,
    incoming: &Path,
    args: &ResolveArgs,
) -> Result<(Vec<u8>, String)> {
    let (base_name, base) = read_input(base)?;
    let (current_name, current) = read_input(current)?;
    let (incoming_name, incoming) = read_input(incoming)?;
    let opts = crate::MergeOptions {
        layout: args.layout.side(),
        ..crate::MergeOptions::default()
    };
    let merged = crate::merge(
        crate::Input::new(&base_name, &base),
        crate::Input::new(&current_name, &current),
        crate::Input::new(&incoming_name, &incoming),
        &opts,
    )?;
    let name = args
        .output
        .as_ref()
        .map_or(current_name, |o| o.display().to_string());
    Ok((merged.text.into_bytes(), name))
}

/// The resolver cannot run without a terminal to draw on and read keys
/// from; say so before anything is written.
fn needs_terminal() -> Result<()> {
    let which = if !std::io::stdin().is_terminal() {
        "standard input"
    } else if !std::io::stdout().is_terminal() {
        "standard output"
    } else {
        return Ok(());
    };
    Err(Error::Usage(format!(
        "resolve needs a terminal, and {which} is not one; nothing was written \
         (in scripts, use --take current|incoming[=PATTERN])"
    )))
}

/// A text without conflicts: a merge's clean result is written; a file
/// without markers is left alone (copied to `-o OUT` when given).
fn nothing_to_resolve(args: &ResolveArgs, name: &str, text: &[u8], target: &Path) -> Result<i32> {
    if args.files.len() == 3 || args.output.is_some() {
        write(target, text)?;
        eprintln!("resolve: no conflicts; wrote {}", target.display());
    } else {
        eprintln!("resolve: {name}: no conflict markers found; nothing to resolve");
    }
    Ok(exit::CLEAN)
}

/// Writes the result (unless the user quit) and picks the exit status.
fn finish(resolved: &Resolved, target: &Path) -> Result<i32> {
    if resolved.finish == Finish::Quit {
        eprintln!(
            "resolve: quit without writing; {} left unresolved",
            conflicts(resolved.conflicts)
        );
        return Ok(exit::CONFLICTS);
    }
    write(target, &resolved.text)?;
    let status = if resolved.conflicts == 0 {
        eprintln!(
            "resolve: all conflicts resolved; wrote {}",
            target.display()
        );
        exit::CLEAN
    } else {
        eprintln!(
            "resolve: {} left (written with markers) in {}",
            conflicts(resolved.conflicts),
            target.display()
        );
        exit::CONFLICTS
    };
    Ok(status)
}

fn write(target: &Path, text: &[u8]) -> Result<()> {
    if target.as_os_str() == "-" {
        write_stdout(text)
    } else {
        write_atomic(target, text)
    }
}

fn conflicts(n: usize) -> String {
    if n == 1 {
        "1 conflict".into()
    } else {
        format!("{n} conflicts")
    }
}
