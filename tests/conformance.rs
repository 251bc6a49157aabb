//! yaml-test-suite conformance of the syntax layer: every valid input prints
//! back byte for byte with gap-free entry ranges, and none is read leniently;
//! every invalid one is an error with a position, never a panic, but for the
//! few listed that yamerge reads as libyaml does (and says so).

mod common;

use yamerge::syntax::parse;

/// Invalid inputs yamerge reads anyway, each with its reason. Each must be
/// read leniently (`Tree::lenient` names the place), never silently.
const ACCEPTED_INVALID: &[(&str, &str)] = &[
    (
        "QB6E",
        "a double-quoted scalar continued at its key's indentation, which libyaml \
         (PyYAML) and go-yaml read (as `a b c`): the shape of issue #15 item 8",
    ),
    (
        "9C9N",
        "a flow sequence continued at column 0 under a key, which libyaml (PyYAML) \
         and go-yaml read (as `[a, b, c]`): libyaml does not look at indentation \
         inside flow collections",
    ),
];

#[test]
fn valid_inputs_round_trip_and_nest() {
    let Some(root) = common::shared_testdata("yaml-test-suite") else {
        return;
    };
    let mut failures = Vec::new();
    let mut count = 0;
    for case in common::suite_cases(&root) {
        if case.join("error").exists() {
            continue;
        }
        count += 1;
        let name = case.strip_prefix(&root).unwrap().display().to_string();
        let bytes = std::fs::read(case.join("in.yaml")).unwrap();
        match std::panic::catch_unwind(|| parse(&name, &bytes)) {
            Err(_) => failures.push(format!("{name}: panic")),
            Ok(Err(e)) => failures.push(format!("{name}: {e}")),
            Ok(Ok(tree)) => {
                if !tree.lenient().is_empty() {
                    failures.push(format!("{name}: read leniently: {:?}", tree.lenient()));
                } else if tree.print().as_bytes() != bytes.as_slice() {
                    failures.push(format!("{name}: round trip differs"));
                } else if let Err(why) = tree.check_ranges() {
                    failures.push(format!("{name}: {why}"));
                }
            }
        }
    }
    println!("valid inputs: {count}, failures: {}", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn invalid_inputs_are_errors_with_positions() {
    let Some(root) = common::shared_testdata("yaml-test-suite") else {
        return;
    };
    let mut failures = Vec::new();
    let mut count = 0;
    for case in common::suite_cases(&root) {
        if !case.join("error").exists() {
            continue;
        }
        count += 1;
        let name = case.strip_prefix(&root).unwrap().display().to_string();
        let bytes = std::fs::read(case.join("in.yaml")).unwrap();
        let accepted = ACCEPTED_INVALID.iter().any(|(id, _)| *id == name);
        match std::panic::catch_unwind(|| parse(&name, &bytes)) {
            Err(_) => failures.push(format!("{name}: panic")),
            Ok(Ok(tree)) if accepted => {
                if tree.lenient().is_empty() {
                    failures.push(format!("{name}: accepted without a lenient place"));
                } else if tree.print().as_bytes() != bytes.as_slice() {
                    failures.push(format!("{name}: round trip differs"));
                }
            }
            Ok(Ok(_)) => failures.push(format!("{name}: accepted")),
            Ok(Err(e)) => {
                let msg = e.to_string();
                if !msg.starts_with(&format!("{name}:")) || msg.split(':').nth(2).is_none() {
                    failures.push(format!("{name}: error without position: {msg}"));
                }
            }
        }
    }
    println!("invalid inputs: {count}, failures: {}", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
