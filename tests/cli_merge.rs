//! `yamerge merge` through the binary: exit codes, output targets, labels,
//! markers, errors.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_yamerge");

/// A fresh directory with base/current/incoming files.
fn triple(name: &str, b: &str, c: &str, i: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yamerge-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (f, t) in [("base.yaml", b), ("current.yaml", c), ("incoming.yaml", i)] {
        std::fs::write(dir.join(f), t).unwrap();
    }
    dir
}

fn merge(dir: &Path, extra: &[&str]) -> Output {
    Command::new(BIN)
        .arg("merge")
        .args(["base.yaml", "current.yaml", "incoming.yaml"])
        .args(extra)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const BASE: &str = "a: 1\nb: 1\n";
const CONFLICTING: (&str, &str) = ("a: 2\nb: 1\n", "a: 3\nb: 1\n");

#[test]
fn clean_merge_exits_zero_and_summarizes() {
    let dir = triple("clean", BASE, "a: 2\nb: 1\n", "a: 1\nb: 3\n");
    let out = merge(&dir, &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "a: 2\nb: 3\n");
    assert_eq!(
        text(&out.stderr).trim(),
        "merged: 1 change from current, 1 from incoming, no conflicts"
    );
}

#[test]
fn conflicts_exit_one_with_labels_and_paths() {
    let dir = triple("conflict", BASE, CONFLICTING.0, CONFLICTING.1);
    let out = merge(&dir, &["-L", "mine", "-L", "old", "-L", "theirs"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "<<<<<<< mine\na: 2\n||||||| old\na: 1\n=======\na: 3\n>>>>>>> theirs\nb: 1\n"
    );
    assert!(
        text(&out.stderr).contains("1 conflict at a"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn merge_style_has_no_base_section_and_prefer_resolves() {
    let dir = triple("style", BASE, CONFLICTING.0, CONFLICTING.1);
    let out = merge(&dir, &["--conflict-style", "merge", "-q"]);
    assert_eq!(
        text(&out.stdout),
        "<<<<<<< current\na: 2\n=======\na: 3\n>>>>>>> incoming\nb: 1\n"
    );
    assert!(out.stderr.is_empty());
    let out = merge(&dir, &["--prefer", "current", "-q"]);
    assert_eq!(
        (out.status.code(), text(&out.stdout)),
        (Some(0), "a: 2\nb: 1\n".to_string())
    );
    let out = merge(&dir, &["--prefer", "incoming", "-q"]);
    assert_eq!(text(&out.stdout), "a: 3\nb: 1\n");
}

#[test]
fn markers_grow_past_marker_like_lines_in_inputs() {
    let base = "a: |\n  =======\n  x\nb: 1\n";
    let dir = triple(
        "markers",
        base,
        "a: |\n  =======\n  x\nb: 2\n",
        "a: |\n  =======\n  x\nb: 3\n",
    );
    let out = merge(&dir, &["-q", "--marker-size", "7"]);
    // The block scalar's line is indented, so it is not marker-like: 7 stays.
    assert!(
        text(&out.stdout).contains("\n<<<<<<< current\n"),
        "{}",
        text(&out.stdout)
    );
    let base = "a: 1\n# =========\nb: 1\n";
    let dir = triple(
        "markers2",
        base,
        "a: 1\n# =========\nb: 2\n",
        "a: 1\n# =========\nb: 3\n",
    );
    let out = merge(&dir, &["-q"]);
    assert!(text(&out.stdout).contains("<<<<<<< current"));
    let marker_line = "a: 1\n========= not yaml but inside a block\n";
    let dir = triple(
        "markers3",
        &format!("t: |\n{marker_line}"),
        &format!("t: |\n{marker_line}x: 1\n"),
        &format!("t: |\n{marker_line}x: 2\n"),
    );
    let out = merge(&dir, &["-q"]);
    // An invalid input is an error, whatever it holds.
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn output_file_is_written_atomically_and_check_writes_nothing() {
    let dir = triple("output", BASE, "a: 2\nb: 1\n", "a: 1\nb: 3\n");
    let out = merge(&dir, &["-o", "merged.yaml", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(dir.join("merged.yaml")).unwrap(),
        "a: 2\nb: 3\n"
    );
    // Writing onto one of the inputs works.
    let out = merge(&dir, &["-o", "current.yaml", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.join("current.yaml")).unwrap(),
        "a: 2\nb: 3\n"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    std::fs::remove_file(dir.join("merged.yaml")).unwrap();
    let out = merge(&dir, &["-o", "merged.yaml", "--check", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!dir.join("merged.yaml").exists());
}

#[test]
fn invalid_yaml_is_an_error_with_position_and_nothing_written() {
    let dir = triple("invalid", BASE, "a: [1,\nb: 1\n", "a: 1\nb: 3\n");
    std::fs::write(dir.join("merged.yaml"), "keep me\n").unwrap();
    let out = merge(&dir, &["-o", "merged.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.starts_with("yamerge: current.yaml:"), "{err}");
    let pos: Vec<&str> = err.trim().splitn(4, ':').collect();
    assert!(
        pos[2].trim().parse::<usize>().is_ok() && pos[3].trim_start().parse::<usize>().is_err(),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("merged.yaml")).unwrap(),
        "keep me\n"
    );
}

#[test]
fn missing_file_and_bad_flags_are_errors() {
    let dir = triple("missing", BASE, BASE, BASE);
    let out = Command::new(BIN)
        .args(["merge", "base.yaml", "nope.yaml", "incoming.yaml"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("nope.yaml"));
    let out = merge(&dir, &["--layout", "sideways"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn standard_input_can_be_one_input() {
    let dir = triple("stdin", BASE, "a: 2\nb: 1\n", "a: 1\nb: 3\n");
    let mut child = Command::new(BIN)
        .args(["merge", "-", "current.yaml", "incoming.yaml", "-q"])
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(BASE.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(text(&out.stdout), "a: 2\nb: 3\n");
}

#[test]
fn layout_current_keeps_currents_text() {
    let dir = triple(
        "layout",
        "# base\na: 1\nb: 1\n",
        "# mine\na:   1\nb: 1\n",
        "# base\na: 1\nb: 2\n",
    );
    let out = merge(&dir, &["--layout", "current", "-q"]);
    assert_eq!(text(&out.stdout), "# mine\na:   1\nb: 2\n");
}

#[test]
fn help_teaches_with_examples() {
    let out = Command::new(BIN)
        .args(["merge", "--help"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    for needle in [
        "Exit status",
        "Examples",
        "--conflict-style",
        "--layout",
        "--prefer",
    ] {
        assert!(help.contains(needle), "help lacks {needle}");
    }
}
