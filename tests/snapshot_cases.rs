//! One snapshot per merge case of `testdata/cases/<name>/`: the exit status
//! and the JSON report of `yamerge merge base.yaml current.yaml incoming.yaml
//! --report json [args]`, run in the case's folder. It pins each case's
//! method, conflicts (paths, marker lines, sections) and changes listing;
//! `tests/cases.rs` pins the merged bytes against `expected.yaml`.
//!
//! The report is one line of JSON; the snapshot lays it out one member per
//! line without changing a byte of it (see `snap::json_layout`). Each
//! snapshot is named after its case:
//! `snapshot_cases__case_report@<name>.snap`. A new case needs its snapshot
//! generated (`INSTA_UPDATE=always cargo test --test snapshot_cases`) and
//! read before it is committed.

mod common;
mod snap;

use std::path::Path;

use snap::{snapshot, yamerge};

#[test]
fn case_report() {
    insta::glob!("../testdata/cases", "*/expected.yaml", |expected| {
        let dir = expected.parent().expect("a case folder");
        let name = dir.file_name().expect("a case name").to_string_lossy();
        let extra = std::fs::read_to_string(dir.join("args")).unwrap_or_default();
        let mut args = vec!["merge", "base.yaml", "current.yaml", "incoming.yaml"];
        args.extend(["--report", "json"]);
        args.extend(extra.split_whitespace());
        let run = yamerge(dir, &args);
        insta::with_settings!({ snapshot_suffix => name.as_ref() }, {
            snapshot!(run, run.report());
        });
    });
}

/// A case removed or renamed takes its snapshot with it: no snapshot of this
/// file is left without its case folder.
#[test]
fn every_case_snapshot_has_its_case() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let prefix = "snapshot_cases__case_report@";
    let orphans: Vec<String> = std::fs::read_dir(root.join("tests/snapshots"))
        .expect("tests/snapshots")
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|f| Some(f.strip_prefix(prefix)?.strip_suffix(".snap")?.to_owned()))
        .filter(|case| {
            !root
                .join("testdata/cases")
                .join(case)
                .join("expected.yaml")
                .is_file()
        })
        .collect();
    assert!(orphans.is_empty(), "snapshots without a case: {orphans:?}");
}

#[test]
fn json_layout_only_adds_whitespace_outside_strings() {
    let json = r#"{"a":[],"b":[{"p":"x,[y]","k":"\"}"}],"c":{"n":1}}"#;
    let laid = snap::json_layout(json);
    assert_eq!(
        laid,
        "{\n  \"a\":[],\n  \"b\":[\n    {\"p\":\"x,[y]\",\"k\":\"\\\"}\"}\n  ],\n  \"c\":{\"n\":1}\n}"
    );
    let back: String = laid
        .split('\n')
        .map(|l| l.trim_start_matches(' '))
        .collect();
    assert_eq!(back, json);
}
