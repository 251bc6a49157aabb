//! Snapshots of `yamerge diff` as a user sees it (exit status, standard
//! output, standard error), run in the repository root on the shipped
//! samples: the pack values of `testdata/examples/` (text, `--json`,
//! `--comments`) and the Palette profile exports of
//! `testdata/examples/palette/` (`--profile`).

mod common;
mod snap;

use snap::{repo, snapshot, yamerge};

const BASE: &str = "testdata/examples/base.yaml";
const CURRENT: &str = "testdata/examples/current.yaml";
const INCOMING: &str = "testdata/examples/incoming.yaml";
const PROFILE_BASE: &str = "testdata/examples/palette/base.json";
const PROFILE_CURRENT: &str = "testdata/examples/palette/current.json";
const PROFILE_INCOMING: &str = "testdata/examples/palette/incoming.json";

/// `yamerge diff ARGS` in the repository root, snapshotted under the name of
/// the calling test.
macro_rules! diff_snapshot {
    ($($arg:expr),*) => {{
        let run = yamerge(&repo(), &["diff", $($arg),*]);
        snapshot!(run, run.transcript());
    }};
}

/// The README's first walkthrough step: the admin's customizations.
#[test]
fn diff_sample_text() {
    diff_snapshot!(BASE, CURRENT);
}

#[test]
fn diff_sample_json() {
    diff_snapshot!("--json", BASE, CURRENT);
}

/// The vendor's upgrade without `--comments`: its re-commented keys do not
/// show.
#[test]
fn diff_sample_upgrade_text() {
    diff_snapshot!(BASE, INCOMING);
}

/// The vendor's upgrade with `--comments`: the changed comments show as `#`.
#[test]
fn diff_sample_upgrade_comments_text() {
    diff_snapshot!("--comments", BASE, INCOMING);
}

#[test]
fn diff_sample_upgrade_comments_json() {
    diff_snapshot!("--comments", "--json", BASE, INCOMING);
}

/// No changes: exit 0, a note on standard error.
#[test]
fn diff_no_changes() {
    diff_snapshot!(BASE, BASE);
}

/// `-q` silences only the "no changes" note.
#[test]
fn diff_no_changes_quiet() {
    diff_snapshot!("-q", BASE, BASE);
}

/// The README's second walkthrough step: every layer's customizations.
#[test]
fn diff_profile_text() {
    diff_snapshot!("--profile", PROFILE_BASE, PROFILE_CURRENT);
}

#[test]
fn diff_profile_json() {
    diff_snapshot!("--profile", "--json", PROFILE_BASE, PROFILE_CURRENT);
}

/// The new profile version against the old, comments included.
#[test]
fn diff_profile_upgrade_comments_text() {
    diff_snapshot!("--profile", "--comments", PROFILE_BASE, PROFILE_INCOMING);
}

#[test]
fn diff_profile_upgrade_comments_json() {
    diff_snapshot!(
        "--profile",
        "--comments",
        "--json",
        PROFILE_BASE,
        PROFILE_INCOMING
    );
}

/// A duplicate key: each occurrence is compared with the same occurrence of
/// the other version, later ones named `key#n`, with a note saying where.
#[test]
fn diff_duplicate_keys_text() {
    let case = "testdata/cases/duplicate-key-occurrence-added-by-one-side";
    diff_snapshot!(
        &format!("{case}/base.yaml"),
        &format!("{case}/current.yaml")
    );
}
