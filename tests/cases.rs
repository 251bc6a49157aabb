//! Runs every `testdata/cases/<name>/` through the `yamerge merge` command
//! and compares the output byte for byte with `expected.yaml`.
//!
//! A case may hold `args` (extra flags, whitespace-separated). The exit code
//! must be 1 exactly when the expected output holds conflict markers.
//!
//! A case that keeps current's layout (`--layout current`, git's view) also
//! runs through `yamerge merge-file -p`, which must write the same bytes and
//! exit with the number of conflicts, as `git merge-file` does.

mod common;

use std::path::Path;
use std::process::Command;

fn run_case(dir: &Path) -> Result<(), String> {
    let args = std::fs::read_to_string(dir.join("args")).unwrap_or_default();
    let out = Command::new(env!("CARGO_BIN_EXE_yamerge"))
        .arg("merge")
        .arg(dir.join("base.yaml"))
        .arg(dir.join("current.yaml"))
        .arg(dir.join("incoming.yaml"))
        .arg("-q")
        .args(args.split_whitespace())
        .output()
        .map_err(|e| e.to_string())?;
    let expected = std::fs::read(dir.join("expected.yaml")).map_err(|e| e.to_string())?;
    let got = out.stdout;
    let has_markers = String::from_utf8_lossy(&expected)
        .lines()
        .any(|l| l.starts_with("<<<<<<<"));
    let code = out.status.code();
    let mut problems = Vec::new();
    if got != expected {
        problems.push(format!(
            "output differs\n--- expected\n{}\n--- got\n{}",
            common::visible(&String::from_utf8_lossy(&expected)),
            common::visible(&String::from_utf8_lossy(&got))
        ));
    }
    let want_code = if has_markers { 1 } else { 0 };
    if code != Some(want_code) {
        problems.push(format!(
            "exit code {code:?}, expected {want_code}; stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    if let Some(flags) = merge_file_flags(&args) {
        problems.extend(check_merge_file(dir, &flags, &expected));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// The `merge-file` flags that ask for what a case's `merge` flags ask
/// for, when the case keeps current's layout (the only one `merge-file`
/// writes).
fn merge_file_flags(args: &str) -> Option<Vec<&'static str>> {
    let words: Vec<&str> = args.split_whitespace().collect();
    match words.as_slice() {
        ["--layout", "current"] => Some(vec!["--diff3"]),
        ["--layout", "current", "--conflict-style", "merge"]
        | ["--conflict-style", "merge", "--layout", "current"] => Some(vec![]),
        _ => None,
    }
}

/// Runs `merge-file -p` on a case; returns what differs from `merge`.
fn check_merge_file(dir: &Path, flags: &[&str], expected: &[u8]) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_yamerge"))
        .arg("merge-file")
        .args(["-p", "-q", "-L", "current", "-L", "base", "-L", "incoming"])
        .args(flags)
        .arg(dir.join("current.yaml"))
        .arg(dir.join("base.yaml"))
        .arg(dir.join("incoming.yaml"))
        .output()
        .expect("run yamerge merge-file");
    let mut problems = Vec::new();
    if out.stdout != expected {
        problems.push(format!(
            "merge-file output differs\n--- got\n{}",
            common::visible(&String::from_utf8_lossy(&out.stdout))
        ));
    }
    let conflicts = String::from_utf8_lossy(expected)
        .lines()
        .filter(|l| l.starts_with("<<<<<<<"))
        .count() as i32;
    if out.status.code() != Some(conflicts) {
        problems.push(format!(
            "merge-file exit code {:?}, expected {conflicts}",
            out.status.code()
        ));
    }
    problems
}

#[test]
fn merge_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cases");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("testdata/cases")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expected.yaml").is_file())
        .collect();
    dirs.sort();
    let filter = std::env::var("CASE").unwrap_or_default();
    let mut failures = Vec::new();
    let mut ran = 0;
    for dir in dirs
        .iter()
        .filter(|d| d.to_string_lossy().contains(&filter))
    {
        ran += 1;
        if let Err(why) = run_case(dir) {
            let name = dir.file_name().unwrap().to_string_lossy();
            failures.push(format!("== {name}: {why}"));
        }
    }
    println!("cases: {ran} run, {} failed", failures.len());
    assert!(ran > 0, "no case ran");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
