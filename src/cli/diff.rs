//! `yamerge diff`: what changed from BASE to CURRENT, by YAML path — the
//! customizations an admin made to a pack's defaults.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::{exit, read_input, write_stdout};
use crate::diff::changes::{CompareOptions, DiffKind, Difference, Shown, compare};
use crate::error::{Error, Result};
use crate::palette::Export;

#[derive(clap::Args, Debug)]
pub(crate) struct DiffArgs {
    /// The original (e.g. the pack's default values). `-` reads standard input.
    base: PathBuf,
    /// The changed version (e.g. your customized values).
    current: PathBuf,
    /// Also report changed comments (`#` lines).
    #[arg(long)]
    comments: bool,
    /// Print one JSON object for scripts instead of the readable list.
    #[arg(long)]
    json: bool,
    /// BASE and CURRENT are cluster-profile exports (JSON or YAML): compare
    /// the values of each pack, matched by name and layer.
    #[arg(long)]
    profile: bool,
    /// No "no changes" note on standard error.
    #[arg(short, long)]
    quiet: bool,
}

/// A change, with the pack it belongs to in `--profile` mode.
struct Row {
    pack: Option<(String, String)>,
    diff: Difference,
}

pub(crate) fn run(args: DiffArgs) -> Result<i32> {
    if args.base.as_os_str() == "-" && args.current.as_os_str() == "-" {
        return Err(Error::Usage(
            "only one input can be `-` (standard input)".into(),
        ));
    }
    let (base_name, base) = read_input(&args.base)?;
    let (current_name, current) = read_input(&args.current)?;
    let opts = CompareOptions {
        comments: args.comments,
    };
    let rows = if args.profile {
        profile_rows(&base_name, &base, &current_name, &current, opts)?
    } else {
        let b = crate::syntax::parse(&base_name, &base)?;
        let c = crate::syntax::parse(&current_name, &current)?;
        if !args.quiet {
            super::note_lenient(&b);
            super::note_lenient(&c);
        }
        if !args.quiet && !args.json {
            for note in crate::matching::repeated_key_notes(&[&b, &c], "compared") {
                eprintln!("note: {note}");
            }
        }
        compare(&b, &c, opts)?
            .into_iter()
            .map(|diff| Row { pack: None, diff })
            .collect()
    };
    let out = if args.json {
        json(&base_name, &current_name, &rows)
    } else {
        readable(&rows)
    };
    write_stdout(out.as_bytes())?;
    if rows.is_empty() {
        if !args.quiet && !args.json {
            eprintln!("no changes");
        }
        Ok(exit::CLEAN)
    } else {
        Ok(exit::CONFLICTS)
    }
}

/// Compares two exports pack by pack.
fn profile_rows(
    base_name: &str,
    base: &[u8],
    current_name: &str,
    current: &[u8],
    opts: CompareOptions,
) -> Result<Vec<Row>> {
    let b = Export::read(base_name, base)?;
    let c = Export::read(current_name, current)?;
    let mut rows = Vec::new();
    let whole = |values: &Option<String>| Shown {
        text: values.clone().unwrap_or_default().trim_end().to_string(),
        line: 1,
    };
    for bp in &b.packs {
        if !c.packs.iter().any(|cp| cp.key() == bp.key()) {
            rows.push(Row {
                pack: Some((bp.name.clone(), bp.layer.clone())),
                diff: Difference {
                    path: String::new(),
                    kind: DiffKind::Removed,
                    old: Some(whole(&bp.values)),
                    new: None,
                },
            });
        }
    }
    for (ci, cp) in c.packs.iter().enumerate() {
        let pack = Some((cp.name.clone(), cp.layer.clone()));
        let Some(bi) = b.packs.iter().position(|bp| bp.key() == cp.key()) else {
            rows.push(Row {
                pack,
                diff: Difference {
                    path: String::new(),
                    kind: DiffKind::Added,
                    old: None,
                    new: Some(whole(&cp.values)),
                },
            });
            continue;
        };
        let bp = &b.packs[bi];
        let (bn, cn) = (b.values_name(bi), c.values_name(ci));
        let bv = bp.values.as_deref().unwrap_or_default();
        let cv = cp.values.as_deref().unwrap_or_default();
        let parsed = crate::syntax::parse(&bn, bv.as_bytes())
            .map_err(|e| b.relocate(e, &bn, bi))
            .and_then(|bt| {
                let ct =
                    crate::syntax::parse(&cn, cv.as_bytes()).map_err(|e| c.relocate(e, &cn, ci))?;
                Ok((bt, ct))
            })?;
        let diffs = compare(&parsed.0, &parsed.1, opts)?;
        rows.extend(diffs.into_iter().map(|diff| Row {
            pack: pack.clone(),
            diff,
        }));
    }
    Ok(rows)
}

/// A value as one short line: long lines are cut, multi-line values show
/// their first line (a block scalar its header and first line) and count.
fn brief(text: &str, empty: &str) -> String {
    if text.is_empty() {
        return empty.to_string();
    }
    const MAX: usize = 60;
    let lines: Vec<&str> = text.lines().collect();
    let mut first = lines.first().copied().unwrap_or_default().to_string();
    let header = first.trim();
    let is_block_header = header.len() <= 4
        && header.starts_with(['|', '>'])
        && header[1..]
            .chars()
            .all(|c| matches!(c, '+' | '-' | '0'..='9'));
    if is_block_header && lines.len() > 1 {
        first = format!("{header} {}", lines[1].trim());
    }
    let cut = first.chars().count() > MAX;
    if cut {
        first = first.chars().take(MAX).collect();
    }
    match (cut, lines.len()) {
        (false, 1) => first,
        (true, 1) => format!("{first}… ({} chars)", text.chars().count()),
        (false, n) => format!("{first} … ({n} lines)"),
        (true, n) => format!("{first}… ({n} lines)"),
    }
}

fn readable(rows: &[Row]) -> String {
    let mut out = String::new();
    let mut current_pack: Option<&(String, String)> = None;
    for row in rows {
        let indent = match &row.pack {
            Some(p) => {
                if current_pack != Some(p) {
                    let label = if p.1.is_empty() {
                        p.0.clone()
                    } else {
                        format!("{}/{}", p.1, p.0)
                    };
                    let _ = writeln!(out, "{label}:");
                    current_pack = Some(p);
                }
                "  "
            }
            None => "",
        };
        let d = &row.diff;
        let path = match (d.path.is_empty(), row.pack.is_some()) {
            (false, _) => d.path.as_str(),
            (true, true) => "(pack)",
            (true, false) => "(document)",
        };
        let empty = if d.kind == DiffKind::Comment {
            "(no comment)"
        } else {
            "(empty)"
        };
        let show = |s: &Option<Shown>| {
            s.as_ref()
                .map_or_else(String::new, |s| brief(&s.text, empty))
        };
        let body = match d.kind {
            DiffKind::Added => show(&d.new),
            DiffKind::Removed => show(&d.old),
            DiffKind::Changed | DiffKind::Comment | DiffKind::Reordered => {
                format!("{} → {}", show(&d.old), show(&d.new))
            }
        };
        let _ = writeln!(out, "{indent}{} {path}: {body}", d.kind.sign());
    }
    out
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The `--json` report. Its shape is documented in the README and kept
/// stable: one object, one change per line.
fn json(base: &str, current: &str, rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{{");
    let _ = writeln!(out, "  \"base\": {},", json_str(base));
    let _ = writeln!(out, "  \"current\": {},", json_str(current));
    if rows.is_empty() {
        let _ = writeln!(out, "  \"changes\": []");
    } else {
        let _ = writeln!(out, "  \"changes\": [");
        for (i, row) in rows.iter().enumerate() {
            let d = &row.diff;
            let text = |s: &Option<Shown>| s.as_ref().map_or("null".into(), |s| json_str(&s.text));
            let line = |s: &Option<Shown>| s.as_ref().map_or("null".into(), |s| s.line.to_string());
            let pack = match &row.pack {
                Some((name, layer)) => format!(
                    "\"pack\": {}, \"layer\": {}, ",
                    json_str(name),
                    json_str(layer)
                ),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "    {{{pack}\"path\": {}, \"kind\": \"{}\", \"old\": {}, \"new\": {}, \"old_line\": {}, \"new_line\": {}}}{}",
                json_str(&d.path),
                d.kind.name(),
                text(&d.old),
                text(&d.new),
                line(&d.old),
                line(&d.new),
                if i + 1 < rows.len() { "," } else { "" }
            );
        }
        let _ = writeln!(out, "  ]");
    }
    let _ = writeln!(out, "}}");
    out
}

#[cfg(test)]
mod tests {
    use super::brief;

    #[test]
    fn brief_values() {
        assert_eq!(brief("\"10.0.0.0/8\"", "(empty)"), "\"10.0.0.0/8\"");
        assert_eq!(brief("", "(empty)"), "(empty)");
        assert_eq!(brief("a: 1\nb: 2", "(empty)"), "a: 1 … (2 lines)");
        assert_eq!(brief("|-\n  x\n  y", "(empty)"), "|- x … (3 lines)");
        let long = "x".repeat(100);
        assert_eq!(
            brief(&long, "(empty)"),
            format!("{}… (100 chars)", "x".repeat(60))
        );
    }
}
