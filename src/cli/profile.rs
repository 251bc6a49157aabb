//! `yamerge profile`: upgrade a Palette cluster profile. The packs of three
//! exports (old defaults, your customized profile, new defaults) are matched
//! by name and layer, each pack's values merged with the YAML engine, and the
//! result written as an export of incoming's shape in which only `values`
//! differ from incoming.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{exit, read_input, write_atomic, write_stdout};
use crate::error::{Error, Result};
use crate::palette::{Export, Pack, left_out, merge_pack};

#[derive(clap::Args, Debug)]
pub(crate) struct ProfileArgs {
    /// The export the profile was made from (old pack versions, defaults).
    /// `-` reads standard input.
    base: PathBuf,
    /// Your profile's export (old pack versions, customized).
    current: PathBuf,
    /// The export with the new pack versions (defaults).
    incoming: PathBuf,
    /// Write the merged export here (atomically) instead of to standard output.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Also write each pack's merged values to DIR/<layer>-<pack>.yaml,
    /// ready to paste into the console (DIR is created if needed).
    #[arg(long, value_name = "DIR")]
    layers_dir: Option<PathBuf>,
    /// Only report conflicts and problems on standard error.
    #[arg(short, long)]
    quiet: bool,
}

pub(crate) fn run(args: ProfileArgs) -> Result<i32> {
    let stdin_count = [&args.base, &args.current, &args.incoming]
        .iter()
        .filter(|p| p.as_os_str() == "-")
        .count();
    if stdin_count > 1 {
        return Err(Error::Usage(
            "only one input can be `-` (standard input)".into(),
        ));
    }
    let read = |path: &Path| -> Result<Export> {
        let (name, bytes) = read_input(path)?;
        Export::read(&name, &bytes)
    };
    let (base, current, incoming) = (
        read(&args.base)?,
        read(&args.current)?,
        read(&args.incoming)?,
    );
    let mut outcomes = Vec::with_capacity(incoming.packs.len());
    for i in 0..incoming.packs.len() {
        outcomes.push(merge_pack(&base, &current, &incoming, i)?);
    }
    let mut notes: Vec<(String, bool)> = outcomes
        .iter()
        .map(|o| (o.note.clone(), o.important))
        .collect();
    notes.extend(left_out(&base, &current, &incoming));

    let new_values: Vec<Option<String>> = outcomes.iter().map(|o| o.values.clone()).collect();
    let text = incoming.with_values(&new_values)?;
    let layers = match &args.layers_dir {
        Some(dir) => Some(layer_files(&incoming, &new_values, dir)?),
        None => None,
    };

    match &args.output {
        Some(path) if path.as_os_str() != "-" => write_atomic(path, text.as_bytes())?,
        _ => write_stdout(text.as_bytes())?,
    }
    if let (Some(dir), Some(files)) = (&args.layers_dir, layers) {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.clone(),
            source,
        })?;
        for (file, content) in files {
            write_atomic(&dir.join(file), content.as_bytes())?;
        }
    }

    for (note, important) in &notes {
        if *important || !args.quiet {
            eprintln!("{note}");
        }
    }
    let conflicted: Vec<String> = incoming
        .packs
        .iter()
        .zip(&outcomes)
        .filter(|(_, o)| o.conflicts > 0)
        .map(|(p, _)| p.label())
        .collect();
    if !args.quiet {
        let n = incoming.packs.len();
        let mut summary = format!("profile: {n} pack{}", if n == 1 { "" } else { "s" });
        if conflicted.is_empty() {
            summary.push_str(", no conflicts");
        } else {
            summary.push_str(&format!(", conflicts in {}", conflicted.join(", ")));
        }
        eprintln!("{summary}");
    }
    Ok(if conflicted.is_empty() {
        exit::CLEAN
    } else {
        exit::CONFLICTS
    })
}

/// A file name made of a layer and a pack name: letters, digits, `.`, `_`
/// and `-` kept, anything else turned into `_`.
fn layer_file_name(pack: &Pack) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let name = clean(&pack.name);
    let name = if name.starts_with('.') {
        format!("_{name}")
    } else {
        name
    };
    if pack.layer.is_empty() {
        format!("{name}.yaml")
    } else {
        format!("{}-{name}.yaml", clean(&pack.layer))
    }
}

/// The `--layers-dir` files: each pack's values as the result holds them.
fn layer_files(
    incoming: &Export,
    new_values: &[Option<String>],
    dir: &Path,
) -> Result<Vec<(String, String)>> {
    let mut names = HashSet::new();
    let mut files = Vec::new();
    for (pack, new) in incoming.packs.iter().zip(new_values) {
        let Some(values) = new.as_ref().or(pack.values.as_ref()) else {
            continue;
        };
        let name = layer_file_name(pack);
        if !names.insert(name.clone()) {
            return Err(Error::Usage(format!(
                "{}: two packs would both be written to {}",
                incoming.name,
                dir.join(&name).display()
            )));
        }
        files.push((name, values.clone()));
    }
    Ok(files)
}
