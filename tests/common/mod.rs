//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The shared test data folder (`../shared/testdata` beside the repository,
/// or `YAMERGE_TESTDATA`). `None` when it is absent: the caller prints that
/// it skipped. Under `CI=true` an absent folder fails the test instead.
pub fn shared_testdata(sub: &str) -> Option<PathBuf> {
    let root = match std::env::var_os("YAMERGE_TESTDATA") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/testdata"),
    };
    let dir = root.join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "{} is missing (set YAMERGE_TESTDATA); CI must not skip it",
            dir.display()
        );
    }
    eprintln!(
        "skipped: {} not found (set YAMERGE_TESTDATA to run)",
        dir.display()
    );
    None
}

/// Shows trailing spaces, tabs, CRs and the end of the text, so that a byte
/// difference in whitespace is visible in a failure message.
pub fn visible(s: &str) -> String {
    let mut out = String::new();
    for line in s.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, true),
            None => (line, false),
        };
        let (body, cr) = match body.strip_suffix('\r') {
            Some(b) => (b, true),
            None => (body, false),
        };
        let trimmed = body.trim_end_matches(' ');
        out.push_str(&trimmed.replace('\t', "→"));
        out.push_str(&"␠".repeat(body.len() - trimmed.len()));
        if cr {
            out.push('␍');
        }
        if nl {
            out.push('\n');
        }
    }
    out.push_str("[EOF]");
    out
}

/// Every case directory (holding `in.yaml`) of the yaml-test-suite.
pub fn suite_cases(root: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if dir.join("in.yaml").is_file() {
            out.push(dir.clone());
        }
        if let Ok(rd) = std::fs::read_dir(&dir) {
            for e in rd.flatten() {
                if e.path().is_dir() {
                    stack.push(e.path());
                }
            }
        }
    }
    out.sort();
    out
}
