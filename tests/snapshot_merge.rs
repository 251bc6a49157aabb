//! Snapshots of `yamerge merge`, `merge-file` and `git-driver` as a user
//! sees them: the merged YAML on standard output (through `visible()`, so
//! trailing blanks and the end of the file show), the summary line or JSON
//! report on standard error, and the exit status. Inputs are the shipped
//! sample (`testdata/examples/`) and merge cases of `testdata/cases/`, run in
//! their folder with relative names; `git-driver` runs in a scratch folder
//! because it writes its result into CURRENT.

mod common;
mod snap;

use snap::{case_dir, repo, scratch, snapshot, yamerge};

const SAMPLE: [&str; 3] = [
    "testdata/examples/base.yaml",
    "testdata/examples/current.yaml",
    "testdata/examples/incoming.yaml",
];
const CASE_FILES: [&str; 3] = ["base.yaml", "current.yaml", "incoming.yaml"];
/// Both sides change `retention` (a conflict), each side also makes a clean
/// change elsewhere.
const CONFLICT_CASE: &str = "conflict-with-clean-changes-elsewhere";
/// Both sides edit the same line of a block scalar whose other lines they
/// share: the case where `zdiff3` differs from `diff3`.
const BLOCK_CONFLICT_CASE: &str = "block-scalar-overlapping-edit-conflict";
/// A structural result that would not parse (an alias of an anchor that
/// current removed): merged line by line, with notes.
const LINE_FALLBACK_CASE: &str = "anchors-alias-of-removed-anchor-becomes-line-conflict";

/// `yamerge merge BASE CURRENT INCOMING ARGS` on the shipped sample, in the
/// repository root.
fn merge_sample(args: &[&str]) -> snap::Run {
    yamerge(&repo(), &[&["merge"], &SAMPLE[..], args].concat())
}

/// `yamerge SUBCOMMAND FILES ARGS` in `testdata/cases/CASE`.
fn in_case(case: &str, subcommand: &str, files: [&str; 3], args: &[&str]) -> snap::Run {
    yamerge(&case_dir(case), &[&[subcommand], &files[..], args].concat())
}

fn merge_case(case: &str, args: &[&str]) -> snap::Run {
    in_case(case, "merge", CASE_FILES, args)
}

/// `merge-file` takes CURRENT BASE OTHER, as `git merge-file` does.
fn merge_file_case(case: &str, args: &[&str]) -> snap::Run {
    let files = ["current.yaml", "base.yaml", "incoming.yaml"];
    yamerge(
        &case_dir(case),
        &[&["merge-file", "-p"], args, &files[..]].concat(),
    )
}

#[test]
fn merge_sample_report_json() {
    let run = merge_sample(&["--report", "json"]);
    snapshot!(run, run.transcript_with_report());
}

#[test]
fn merge_sample_summary_clean() {
    let run = merge_sample(&[]);
    snapshot!(run, run.transcript_visible());
}

#[test]
fn merge_conflict_report_json() {
    let run = merge_case(CONFLICT_CASE, &["--report", "json"]);
    snapshot!(run, run.transcript_with_report());
}

#[test]
fn merge_conflict_summary() {
    let run = merge_case(CONFLICT_CASE, &[]);
    snapshot!(run, run.transcript_visible());
}

#[test]
fn merge_line_fallback_summary() {
    let run = merge_case(LINE_FALLBACK_CASE, &[]);
    snapshot!(run, run.transcript_visible());
}

#[test]
fn merge_line_fallback_report_json() {
    let run = merge_case(LINE_FALLBACK_CASE, &["--report", "json"]);
    snapshot!(run, run.transcript_with_report());
}

#[test]
fn merge_conflict_style_merge() {
    let run = merge_case(BLOCK_CONFLICT_CASE, &["--conflict-style", "merge"]);
    snapshot!(run, run.transcript_visible());
}

#[test]
fn merge_conflict_style_diff3() {
    let run = merge_case(BLOCK_CONFLICT_CASE, &["--conflict-style", "diff3"]);
    snapshot!(run, run.transcript_visible());
}

#[test]
fn merge_conflict_style_zdiff3() {
    let run = merge_case(BLOCK_CONFLICT_CASE, &["--conflict-style", "zdiff3"]);
    snapshot!(run, run.transcript_visible());
}

/// `-L` names current, base and incoming, in that order.
#[test]
fn merge_conflict_labels() {
    let labels = ["-L", "mine", "-L", "v1 defaults", "-L", "v2 defaults"];
    let run = merge_case(CONFLICT_CASE, &labels);
    snapshot!(run, run.transcript_visible());
}

/// `--layout current`: the result is built from current's text.
#[test]
fn merge_sample_layout_current() {
    let run = merge_sample(&["--layout", "current"]);
    snapshot!(run, run.transcript_visible());
}

/// `--prefer incoming` resolves the conflict to incoming's side.
#[test]
fn merge_conflict_prefer_incoming() {
    let run = merge_case(CONFLICT_CASE, &["--prefer", "incoming"]);
    snapshot!(run, run.transcript_visible());
}

/// `merge-file`'s default style is git's `merge` (no base section), labelled
/// with the file names; its exit status is the number of conflicts.
#[test]
fn merge_file_default_style() {
    let run = merge_file_case(BLOCK_CONFLICT_CASE, &[]);
    snapshot!(run, run.transcript_visible());
}

#[test]
fn merge_file_diff3() {
    let run = merge_file_case(BLOCK_CONFLICT_CASE, &["--diff3"]);
    snapshot!(run, run.transcript_visible());
}

#[test]
fn merge_file_zdiff3() {
    let run = merge_file_case(BLOCK_CONFLICT_CASE, &["--zdiff3"]);
    snapshot!(run, run.transcript_visible());
}

#[test]
fn merge_file_labels() {
    let labels = ["-L", "ours", "-L", "old", "-L", "theirs", "--diff3"];
    let run = merge_file_case(CONFLICT_CASE, &labels);
    snapshot!(run, run.transcript_visible());
}

/// `git-driver` on a file that is not YAML: merged line by line like git,
/// with a note naming the path git passed (`-P`), the result written into
/// CURRENT (shown after the transcript).
#[test]
fn git_driver_plain_text_line_merge() {
    let dir = scratch(
        "git_driver_plain_text_line_merge",
        &[
            ("O", b"line one\nline two\nline three\n"),
            ("A", b"line ONE\nline two\nline three\n"),
            ("B", b"line one\nline two\nline THREE\n"),
        ],
    );
    let run = yamerge(&dir, &["git-driver", "O", "A", "B", "-P", "notes.txt"]);
    let written = std::fs::read_to_string(dir.join("A")).expect("read %A");
    let text = format!(
        "{}--- A after the merge\n{}\n",
        run.transcript(),
        common::visible(&written)
    );
    snapshot!(run, text);
}

/// Duplicate keys are merged occurrence by occurrence: the notes say where
/// they are (`file:line:col`) and how they were paired.
#[test]
fn merge_duplicate_keys_notes() {
    let run = merge_case(
        "duplicate-key-edited-by-both-sides-at-different-occurrences",
        &[],
    );
    snapshot!(run, run.transcript());
}

/// Occurrences that cannot be paired (a side dropped one next to one it
/// changed, the other side changed them too): a conflict, with a note
/// saying where and why.
#[test]
fn merge_duplicate_keys_that_cannot_be_paired() {
    let run = merge_case(
        "duplicate-key-occurrences-that-cannot-be-paired-conflict",
        &["--report", "json"],
    );
    snapshot!(run, run.transcript_with_report());
}
