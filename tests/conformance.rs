//! yaml-test-suite conformance of the syntax layer: every valid input prints
//! back byte for byte with gap-free entry ranges; every invalid one is an
//! error with a position, never a panic.

mod common;

use yamerge::syntax::parse;

/// Invalid inputs the event parser accepts anyway, each with its reason.
const ACCEPTED_INVALID: &[(&str, &str)] = &[];

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
                if tree.print().as_bytes() != bytes.as_slice() {
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
            Ok(Ok(_)) if accepted => {}
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
