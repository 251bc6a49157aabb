//! `--report json` / `--report-file` / `--color` on the four merging
//! commands. The JSON is read back with `saphyr` (JSON is YAML).

mod support;

use std::process::Output;

use saphyr::{LoadableYamlNode, Yaml};
use support::{Scratch, yamerge};

fn run(s: &Scratch, args: &[&str]) -> Output {
    yamerge().current_dir(&s.dir).args(args).output().unwrap()
}

/// Parses the one JSON object the command wrote (one line).
fn parse(text: &str) -> Yaml<'static> {
    assert_eq!(text.lines().count(), 1, "one line of JSON expected: {text}");
    assert!(text.starts_with('{') && text.ends_with("}\n"), "{text}");
    let mut docs = Yaml::load_from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

fn stderr_json(out: &Output) -> Yaml<'static> {
    parse(&String::from_utf8_lossy(&out.stderr))
}

fn seq<'a>(y: &'a Yaml<'static>) -> &'a Vec<Yaml<'static>> {
    match y {
        Yaml::Sequence(items) => items,
        other => panic!("not a list: {other:?}"),
    }
}

fn int(y: &Yaml) -> i64 {
    y.as_integer()
        .unwrap_or_else(|| panic!("not an integer: {y:?}"))
}

fn text<'a>(y: &'a Yaml) -> &'a str {
    y.as_str().unwrap_or_else(|| panic!("not a string: {y:?}"))
}

/// The keys of the top-level object, in order.
fn keys(y: &Yaml) -> Vec<String> {
    match y {
        Yaml::Mapping(m) => m.keys().map(|k| text(k).to_string()).collect(),
        other => panic!("not an object: {other:?}"),
    }
}

fn triple(tag: &str, base: &str, cur: &str, inc: &str) -> Scratch {
    let s = Scratch::new(tag);
    s.write("base.yaml", base);
    s.write("current.yaml", cur);
    s.write("incoming.yaml", inc);
    s
}

const BASE: &str = "a: 1\nb: 1\nc: 1\nd: [1]\n";
const CUR: &str = "a: 2\nb: 2\nc: 1\nd: [1]\n";
const INC: &str = "a: 3\nb: 1\nc: 1\nd: [1]\nnew: x\n";

#[test]
fn merge_report_lists_conflicts_changes_and_counts() {
    let s = triple("merge-json", BASE, CUR, INC);
    let out = run(
        &s,
        &[
            "merge",
            "--report",
            "json",
            "base.yaml",
            "current.yaml",
            "incoming.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let r = stderr_json(&out);
    assert_eq!(
        keys(&r),
        [
            "version",
            "clean",
            "method",
            "conflicts",
            "changes",
            "counts",
            "notes"
        ]
    );
    assert_eq!(int(&r["version"]), 1);
    assert_eq!(r["clean"].as_bool(), Some(false));
    assert_eq!(text(&r["method"]), "structural");
    let conflicts = seq(&r["conflicts"]);
    assert_eq!(conflicts.len(), 1);
    let c = &conflicts[0];
    assert_eq!(text(&c["path"]), "a");
    assert_eq!(
        (text(&c["current"]), text(&c["base"]), text(&c["incoming"])),
        ("a: 2\n", "a: 1\n", "a: 3\n")
    );
    // The line range points at the markers in the output.
    let merged = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = merged.lines().collect();
    let (start, end) = (int(&c["start_line"]) as usize, int(&c["end_line"]) as usize);
    assert!(lines[start - 1].starts_with("<<<<<<< "), "{merged}");
    assert!(lines[end - 1].starts_with(">>>>>>> "), "{merged}");
    let current = seq(&r["changes"]["current"]);
    assert_eq!(current.len(), 1);
    assert_eq!(
        (text(&current[0]["path"]), text(&current[0]["kind"])),
        ("b", "changed")
    );
    let incoming = seq(&r["changes"]["incoming"]);
    assert_eq!(
        (text(&incoming[0]["path"]), text(&incoming[0]["kind"])),
        ("new", "added")
    );
    let counts = &r["counts"];
    assert_eq!(
        (
            int(&counts["conflicts"]),
            int(&counts["current"]),
            int(&counts["incoming"])
        ),
        (1, 1, 1)
    );
    assert!(seq(&r["notes"]).is_empty());
}

#[test]
fn clean_merge_report_and_quiet() {
    let s = triple("clean-json", "a: 1\nb: 1\n", "a: 2\nb: 1\n", "a: 1\nb: 3\n");
    // -q silences the text summary, not a report asked for explicitly.
    let out = run(
        &s,
        &[
            "merge",
            "-q",
            "--report",
            "json",
            "base.yaml",
            "current.yaml",
            "incoming.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, b"a: 2\nb: 3\n");
    let r = stderr_json(&out);
    assert_eq!(r["clean"].as_bool(), Some(true));
    assert!(seq(&r["conflicts"]).is_empty());
    assert_eq!(int(&r["counts"]["current"]), 1);
    assert_eq!(int(&r["counts"]["incoming"]), 1);
}

#[test]
fn strings_are_escaped_and_read_back_unchanged() {
    let cur = "a: \"quote \\\" and \\\\ back\"\t# tab\u{1}x\nb: 1\n";
    let inc = "a: 'ünïcödé 😀 \\ \"'\nb: 1\n";
    let s = triple("escape-json", "a: 0\nb: 1\n", cur, inc);
    let out = run(
        &s,
        &[
            "merge",
            "--report",
            "json",
            "base.yaml",
            "current.yaml",
            "incoming.yaml",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = stderr_json(&out);
    let c = &seq(&r["conflicts"])[0];
    assert_eq!(
        text(&c["current"]),
        cur.lines().next().unwrap().to_string() + "\n"
    );
    assert_eq!(
        text(&c["incoming"]),
        inc.lines().next().unwrap().to_string() + "\n"
    );
}

#[test]
fn merge_file_fallback_report_says_lines_and_why() {
    let s = triple(
        "mf-json",
        "one\ntwo\nthree\n",
        "one\n2\nthree\n",
        "one\nTWO\nthree\n",
    );
    let out = run(
        &s,
        &[
            "merge-file",
            "-p",
            "--report",
            "json",
            "current.yaml",
            "base.yaml",
            "incoming.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let r = stderr_json(&out);
    assert_eq!(text(&r["method"]), "lines");
    let c = &seq(&r["conflicts"])[0];
    assert_eq!(text(&c["path"]), "");
    assert_eq!((int(&c["start_line"]), int(&c["end_line"])), (2, 6));
    assert_eq!(
        (text(&c["current"]), text(&c["incoming"])),
        ("2\n", "TWO\n")
    );
    let notes = seq(&r["notes"]);
    assert!(
        text(&notes[0]).contains("merged line by line like git"),
        "{notes:?}"
    );
}

#[test]
fn git_driver_writes_its_report_to_a_file() {
    let s = triple("driver-json", BASE, CUR, INC);
    let out = run(
        &s,
        &[
            "git-driver",
            "base.yaml",
            "current.yaml",
            "incoming.yaml",
            "-P",
            "conf/values.yaml",
            "--report",
            "json",
            "--report-file",
            "report.json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = parse(&String::from_utf8(s.read("report.json")).unwrap());
    assert_eq!(int(&r["counts"]["conflicts"]), 1);
    assert_eq!(text(&seq(&r["conflicts"])[0]["path"]), "a");
    // The result went to %A.
    assert!(
        String::from_utf8(s.read("current.yaml"))
            .unwrap()
            .starts_with("<<<<<<< current\n")
    );
}

#[test]
fn solve_report_counts_what_remains() {
    let s = Scratch::new("solve-json");
    s.write(
        "f.yaml",
        "<<<<<<< ours\na: 2\nb: 1\n||||||| base\na: 1\nb: 1\n=======\na: 1\nb: 3\n>>>>>>> theirs\n",
    );
    let out = run(&s, &["solve", "--report", "json", "f.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    let r = stderr_json(&out);
    assert_eq!(r["clean"].as_bool(), Some(true));
    assert_eq!(int(&r["counts"]["current"]), 1);
    assert_eq!(int(&r["counts"]["incoming"]), 1);
    assert_eq!(s.read("f.yaml"), b"a: 2\nb: 3\n");
}

#[test]
fn text_report_file_and_colours() {
    let s = triple("colour", "a: 1\nb: 1\n", "a: 2\nb: 1\n", "a: 1\nb: 3\n");
    let args = ["merge", "base.yaml", "current.yaml", "incoming.yaml"];
    let plain = "merged: 1 change from current, 1 from incoming, no conflicts\n";
    let never = run(&s, &[&args[..], &["--color", "never"]].concat());
    assert_eq!(String::from_utf8_lossy(&never.stderr), plain);
    // Standard error is a pipe here, so `auto` means no colour.
    let auto = run(&s, &args);
    assert_eq!(String::from_utf8_lossy(&auto.stderr), plain);
    let always = run(&s, &[&args[..], &["--color", "always"]].concat());
    assert_eq!(
        String::from_utf8_lossy(&always.stderr),
        "merged: 1 change from current, 1 from incoming, \x1b[32mno conflicts\x1b[0m\n"
    );
    let to_file = run(
        &s,
        &[
            &args[..],
            &["--color", "always", "--report-file", "summary.txt"],
        ]
        .concat(),
    );
    assert!(to_file.stderr.is_empty());
    assert_eq!(
        s.read("summary.txt"),
        plain.as_bytes(),
        "no colour codes in files"
    );
}

#[test]
fn conflicts_are_red_when_coloured() {
    let s = triple("colour-conflict", "a: 1\n", "a: 2\n", "a: 3\n");
    let out = run(
        &s,
        &[
            "merge",
            "--color",
            "always",
            "base.yaml",
            "current.yaml",
            "incoming.yaml",
        ],
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "merged: 0 changes from current, 0 from incoming, \x1b[1;31m1 conflict at a\x1b[0m\n"
    );
}
