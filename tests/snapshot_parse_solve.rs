//! Snapshots of `yamerge parse` (the file printed back from its syntax tree,
//! and `--tree`: documents, entries and nodes with byte ranges and
//! line:column) and of `yamerge solve` on files that git conflicted in diff3
//! style: one the structural merge resolves, one where a conflict remains
//! (text summary and JSON report). Each runs in a scratch folder.

mod common;
mod snap;

use snap::{scratch, snapshot, yamerge};

/// Comments, a block sequence, a literal block scalar, a second document
/// with nested flow collections.
const SMALL: &[u8] = b"# settings\nname: demo   # inline\nports:\n  - 80\n  - 443\n\
script: |\n  echo hi\n---\nother: {a: 1, b: [x, y]}\n";

#[test]
fn parse_round_trip() {
    let dir = scratch("parse_round_trip", &[("small.yaml", SMALL)]);
    let run = yamerge(&dir, &["parse", "small.yaml"]);
    assert_eq!(run.stdout, SMALL, "parse must print the file back");
    snapshot!(run, run.transcript_visible());
}

#[test]
fn parse_tree() {
    let dir = scratch("parse_tree", &[("small.yaml", SMALL)]);
    let run = yamerge(&dir, &["parse", "--tree", "small.yaml"]);
    snapshot!(run, run.transcript());
}

/// Git conflicts on adjacent lines that change different keys: `solve`
/// merges them cleanly.
const ADJACENT_EDITS: &[u8] = b"prometheus:
  prometheusSpec:
<<<<<<< HEAD
    retention: 30d
    replicas: 1
||||||| base
    retention: 10d
    replicas: 1
=======
    retention: 10d
    replicas: 2
>>>>>>> upstream
grafana:
  adminPassword: s3cr3t
";

/// Git conflicts where both sides changed `retention`: that conflict stays,
/// narrowed to the one entry, with the file's own labels.
const SAME_VALUE_EDITS: &[u8] = b"prometheus:
  prometheusSpec:
<<<<<<< HEAD
    retention: 30d
    replicas: 1
||||||| base
    retention: 10d
    replicas: 1
=======
    retention: 15d
    replicas: 2
>>>>>>> upstream
grafana:
  adminPassword: s3cr3t
";

/// `yamerge solve -p values.yaml ARGS` on `text`.
fn solve(test: &str, text: &[u8], args: &[&str]) -> snap::Run {
    let dir = scratch(test, &[("values.yaml", text)]);
    yamerge(&dir, &[&["solve", "-p", "values.yaml"], args].concat())
}

#[test]
fn solve_resolves_adjacent_edits() {
    let run = solve("solve_resolves_adjacent_edits", ADJACENT_EDITS, &[]);
    snapshot!(run, run.transcript_visible());
}

#[test]
fn solve_keeps_real_conflict() {
    let run = solve("solve_keeps_real_conflict", SAME_VALUE_EDITS, &[]);
    snapshot!(run, run.transcript_visible());
}

#[test]
fn solve_keeps_real_conflict_report_json() {
    let run = solve(
        "solve_keeps_real_conflict_report_json",
        SAME_VALUE_EDITS,
        &["--report", "json"],
    );
    snapshot!(run, run.transcript_with_report());
}

/// `solve` writes back into the file without `-p`; standard output stays
/// empty.
#[test]
fn solve_in_place() {
    let dir = scratch("solve_in_place", &[("values.yaml", ADJACENT_EDITS)]);
    let run = yamerge(&dir, &["solve", "values.yaml"]);
    let written = std::fs::read_to_string(dir.join("values.yaml")).expect("read back");
    let text = format!(
        "{}--- values.yaml after solve\n{}\n",
        run.transcript(),
        common::visible(&written)
    );
    snapshot!(run, text);
}
