//! The stages of `src/` only look down: every module uses only the modules
//! listed before it in the README's "Layout of the code" section, so no two
//! modules use each other, directly or through others. `lib.rs` holds no
//! code of its own, only module declarations and re-exports.
//!
//! Uses are read from the text: `crate::x` and `super::x` paths (in `use`
//! lines, with braces, and inline), comments left out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The stage order, as the README lists it: `name.rs` or `name/` at the start
/// of an indented line of the layout section.
fn readme_order() -> Vec<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let section = readme
        .split("\n## Layout of the code")
        .nth(1)
        .expect("a \"## Layout of the code\" section in the README");
    let section = section.split("\n## ").next().unwrap_or(section);
    section
        .lines()
        .filter_map(|l| l.strip_prefix("    "))
        .filter_map(|l| l.split_whitespace().next())
        .filter_map(|w| w.strip_suffix(".rs").or_else(|| w.strip_suffix('/')))
        .map(str::to_string)
        .collect()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The top-level modules of `src/` and the files of each.
fn modules() -> BTreeMap<String, Vec<PathBuf>> {
    let src = root().join("src");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&src).expect("src/").flatten() {
        let path = entry.path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            out.insert(name, rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") && name != "lib" && name != "main" {
            out.insert(name, vec![path]);
        }
    }
    out
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a module folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The text without `//` comments (doc comments included: a link in prose
/// is not a use).
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The path that names the crate root from a file: `crate::`, and `super::`
/// once more than the file sits deep in its top-level module (once for
/// `src/x.rs` and `src/x/mod.rs`, twice for `src/x/y.rs`).
fn root_prefixes(file: &Path) -> [String; 2] {
    let rel = file.strip_prefix(root().join("src")).unwrap();
    let parts = rel.components().count();
    let is_mod = file.file_name().is_some_and(|n| n == "mod.rs");
    let depth = parts - usize::from(is_mod && parts > 1);
    ["crate::".to_string(), "super::".repeat(depth)]
}

/// The top-level modules a file's code names, each with the 1-based line.
fn uses(file: &Path) -> Vec<(String, usize)> {
    let code = code_of(&std::fs::read_to_string(file).unwrap());
    let mut out = Vec::new();
    for prefix in root_prefixes(file) {
        let mut from = 0;
        while let Some(at) = code[from..].find(&prefix).map(|p| from + p) {
            from = at + prefix.len();
            // Part of a longer `super::` chain: that one is read as itself.
            if code[..at].ends_with("super::") || code[from..].starts_with("super::") {
                continue;
            }
            let line = code[..at].matches('\n').count() + 1;
            out.extend(names_after(&code[from..]).into_iter().map(|n| (n, line)));
        }
    }
    out
}

/// The first path segment(s) after `crate::`: one name, or each name of a
/// `{a, b::c, d}` group.
fn names_after(rest: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    if let Some(group) = rest.strip_prefix('{') {
        let mut depth = 1;
        let end = group
            .char_indices()
            .find(|&(_, c)| {
                depth += match c {
                    '{' => 1,
                    '}' => -1,
                    _ => 0,
                };
                depth == 0
            })
            .map_or(group.len(), |(i, _)| i);
        split_top_level(&group[..end])
            .into_iter()
            .map(|part| ident(part.trim()))
            .filter(|n| !n.is_empty() && n != "self")
            .collect()
    } else {
        vec![ident(rest)]
    }
}

/// Splits at the commas of a `use` group that are not inside nested braces.
fn split_top_level(group: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&group[start..]);
    parts
}

#[test]
fn the_readme_lists_every_module_once() {
    let order = readme_order();
    let modules = modules();
    for name in modules.keys() {
        assert!(
            order.contains(name),
            "src/{name} is not in the README's layout section"
        );
    }
    for name in &order {
        assert!(
            modules.contains_key(name),
            "the README's layout section lists `{name}`, which src/ does not have"
        );
    }
    let mut sorted = order.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        order.len(),
        "a module is listed twice: {order:?}"
    );
}

#[test]
fn no_module_uses_a_later_one() {
    let order = readme_order();
    let rank = |name: &str| order.iter().position(|m| m == name);
    let mut violations = Vec::new();
    for (module, files) in modules() {
        let Some(own) = rank(&module) else { continue };
        for file in files {
            for (used, line) in uses(&file) {
                match rank(&used) {
                    Some(r) if r > own => violations.push(format!(
                        "{}:{line}: `{module}` uses `{used}`, a later stage",
                        file.strip_prefix(root()).unwrap().display()
                    )),
                    _ => {}
                }
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn lib_rs_only_declares_and_reexports() {
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    let own_code: Vec<String> = code_of(&lib)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("#!["))
        .collect::<Vec<_>>()
        .join(" ")
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .filter(|s| {
            // Attributes (`#[doc(hidden)]`) may stand before a declaration.
            let mut s = *s;
            while let Some(rest) = s.strip_prefix("#[") {
                s = rest
                    .split_once(']')
                    .map_or("", |(_, after)| after.trim_start());
            }
            let s = s
                .strip_prefix("pub(crate) ")
                .or_else(|| s.strip_prefix("pub "))
                .unwrap_or(s);
            !(s.starts_with("mod ") || s.starts_with("use "))
        })
        .map(str::to_string)
        .collect();
    assert!(
        own_code.is_empty(),
        "lib.rs has code of its own: {own_code:?}"
    );
}

#[test]
fn the_use_reader_reads_groups_and_super() {
    assert_eq!(
        names_after("{error::Result, syntax::{Tree, parse}, self}"),
        ["error", "syntax"]
    );
    assert_eq!(names_after("merge::plan(x)"), ["merge"]);
}
