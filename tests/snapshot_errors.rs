//! Snapshots of the error messages a user reads, with the exit status:
//! invalid YAML of several kinds, conflict markers already in
//! an input, invalid UTF-8, UTF-16, usage errors, `solve` on files it cannot
//! solve and `profile` on malformed exports. Each message must locate the
//! problem as `file:line:col` where there is one.
//!
//! Every command runs in a scratch folder holding the test's files, named
//! relatively, so the messages hold no path of this machine.

mod common;
mod snap;

use snap::{scratch, snapshot, yamerge, yamerge_stdin};

/// Valid inputs that any one file of a test replaces.
const VALID: [(&str, &[u8]); 3] = [
    ("base.yaml", b"name: demo\nreplicas: 1\n"),
    ("current.yaml", b"name: demo\nreplicas: 2\n"),
    ("incoming.yaml", b"name: demo\nreplicas: 1\nport: 80\n"),
];
const MERGE: [&str; 4] = ["merge", "base.yaml", "current.yaml", "incoming.yaml"];

/// A scratch folder named `test` with the valid inputs, `files` added or
/// put in their place.
fn inputs(test: &str, files: &[(&str, &[u8])]) -> std::path::PathBuf {
    let mut all: Vec<(&str, &[u8])> = VALID
        .iter()
        .filter(|(name, _)| files.iter().all(|(n, _)| n != name))
        .copied()
        .collect();
    all.extend_from_slice(files);
    scratch(test, &all)
}

/// One test per row: `yamerge merge base.yaml current.yaml incoming.yaml`
/// where the named input holds the given bytes; the snapshot is named after
/// the test.
macro_rules! merge_error_tests {
    ($($name:ident: $file:literal => $bytes:expr;)*) => {
        $(
            #[test]
            fn $name() {
                let dir = inputs(stringify!($name), &[($file, $bytes)]);
                let run = yamerge(&dir, &MERGE);
                assert_eq!(run.code, Some(2), "{}", run.transcript());
                snapshot!(run, run.transcript());
            }
        )*
    };
}

merge_error_tests! {
    invalid_yaml_bad_indentation: "current.yaml" => b"name: demo\nresources:\n  cpu: 1\n memory: 2\n";
    invalid_yaml_unclosed_flow_sequence: "incoming.yaml" => b"name: demo\nports: [80, 443\nreplicas: 1\n";
    invalid_yaml_unclosed_flow_mapping: "incoming.yaml" => b"name: demo\nlabels: {app: web\n";
    invalid_yaml_unclosed_quote: "base.yaml" => b"name: \"demo\nreplicas: 1\n";
    invalid_yaml_tab_indentation: "current.yaml" => b"name: demo\nresources:\n\tcpu: 1\n";
    conflict_markers_in_input: "current.yaml" =>
        b"name: demo\n<<<<<<< HEAD\nreplicas: 2\n=======\nreplicas: 3\n>>>>>>> feature\n";
    invalid_utf8: "current.yaml" => b"name: caf\xe9\nreplicas: 2\n";
    utf16le_with_bom: "base.yaml" => b"\xff\xfen\x00:\x00 \x001\x00\n\x00";
    utf16be_without_bom: "base.yaml" => b"\x00n\x00:\x00 \x001\x00\n";
    cr_alone_as_line_break: "incoming.yaml" => b"name: demo\rreplicas: 1\r";
    invalid_yaml_document_marker_in_quoted_scalar: "current.yaml" =>
        b"name: \"demo\n---\nweb\"\nreplicas: 2\n";
    invalid_yaml_after_a_place_read_as_libyaml_reads_it: "current.yaml" =>
        b"name: \"demo\nweb\"\nresources:\n  cpu: 1\n memory: 2\n";
}

/// Files outside YAML 1.2 that libyaml and go-yaml read (a quoted scalar
/// continued at its key's indentation, a flow mapping closed at column 0):
/// merged, with a note for each such input at `file:line:col`.
#[test]
fn notes_for_inputs_read_as_libyaml_reads_them() {
    let dir = inputs(
        "notes_for_inputs_read_as_libyaml_reads_them",
        &[
            ("current.yaml", b"name: \"demo\nweb\"\nreplicas: 2\n"),
            (
                "incoming.yaml",
                b"name: demo\nreplicas: 1\nspec:\n  labels: {\n    app: web\n}\n",
            ),
        ],
    );
    let run = yamerge(&dir, &MERGE);
    assert_eq!(run.code, Some(0), "{}", run.transcript());
    snapshot!(run, run.transcript());
}

/// Standard input is named `-` in messages.
#[test]
fn invalid_yaml_on_standard_input() {
    let dir = inputs("invalid_yaml_on_standard_input", &[]);
    let args = ["merge", "base.yaml", "-", "incoming.yaml"];
    let run = yamerge_stdin(&dir, &args, Some(b"name: demo\nresources:\n\tcpu: 1\n"));
    snapshot!(run, run.transcript());
}

/// Usage errors and missing files: `yamerge ARGS` with the valid inputs at
/// hand.
macro_rules! usage_error_tests {
    ($($name:ident: [$($arg:literal),*];)*) => {
        $(
            #[test]
            fn $name() {
                let dir = inputs(stringify!($name), &[]);
                let run = yamerge(&dir, &[$($arg),*]);
                snapshot!(run, run.transcript());
            }
        )*
    };
}

usage_error_tests! {
    usage_two_standard_inputs: ["merge", "-", "-", "incoming.yaml"];
    usage_too_many_labels: ["merge", "base.yaml", "current.yaml", "incoming.yaml",
        "-L", "a", "-L", "b", "-L", "c", "-L", "d"];
    usage_merge_file_too_many_labels: ["merge-file", "-p", "-L", "a", "-L", "b", "-L", "c",
        "-L", "d", "current.yaml", "base.yaml", "incoming.yaml"];
    usage_missing_argument: ["merge", "base.yaml", "current.yaml"];
    usage_invalid_value: ["merge", "base.yaml", "current.yaml", "incoming.yaml",
        "--conflict-style", "fancy"];
    usage_unknown_subcommand: ["mrege", "base.yaml", "current.yaml", "incoming.yaml"];
    missing_input_file: ["merge", "base.yaml", "missing.yaml", "incoming.yaml"];
    merge_file_missing_input: ["merge-file", "-p", "current.yaml", "missing.yaml",
        "incoming.yaml"];
}

/// `solve -p FILE` on a file of the given text.
fn solve(test: &str, text: &[u8]) -> snap::Run {
    let dir = scratch(test, &[("values.yaml", text)]);
    yamerge(&dir, &["solve", "-p", "values.yaml"])
}

/// A conflict in git's default `merge` style has no base section to solve.
#[test]
fn solve_merge_style_markers() {
    let run = solve(
        "solve_merge_style_markers",
        b"name: demo\n<<<<<<< HEAD\nreplicas: 2\n=======\nreplicas: 3\n>>>>>>> feature\nport: 80\n",
    );
    snapshot!(run, run.transcript());
}

#[test]
fn solve_unclosed_conflict() {
    let run = solve(
        "solve_unclosed_conflict",
        b"name: demo\n<<<<<<< HEAD\nreplicas: 2\n||||||| base\nreplicas: 1\n=======\nreplicas: 3\n",
    );
    snapshot!(run, run.transcript());
}

/// A minimal JSON profile export with one pack of the given values (a JSON
/// string's content).
fn json_export(values: &str) -> Vec<u8> {
    format!(
        "{{\"spec\": {{\"template\": {{\"packs\": [\n  {{\"name\": \"kubernetes\", \"layer\": \"k8s\", \
         \"version\": \"1.28.9\", \"values\": \"{values}\"}}\n]}}}}}}\n"
    )
    .into_bytes()
}

/// `yamerge profile base.json CURRENT incoming.json` with valid base and
/// incoming exports and `current` as CURRENT.
fn profile(test: &str, current: (&str, &[u8])) -> snap::Run {
    let valid = json_export("pack:\\n  podCIDR: 10.0.0.0/16\\n");
    let dir = scratch(
        test,
        &[("base.json", &valid), ("incoming.json", &valid), current],
    );
    yamerge(&dir, &["profile", "base.json", current.0, "incoming.json"])
}

#[test]
fn profile_truncated_json() {
    let run = profile(
        "profile_truncated_json",
        ("current.json", b"{\"spec\": {\"template\":\n"),
    );
    snapshot!(run, run.transcript());
}

#[test]
fn profile_not_an_export() {
    let run = profile(
        "profile_not_an_export",
        ("current.json", b"{\"kind\": \"ClusterProfile\"}\n"),
    );
    snapshot!(run, run.transcript());
}

/// Invalid values inside a JSON export: located inside the pack's values.
#[test]
fn profile_invalid_pack_values_json() {
    let export = json_export("pack:\\n  podCIDR: [10.0.0.0/16\\n");
    let run = profile(
        "profile_invalid_pack_values_json",
        ("current.json", &export),
    );
    snapshot!(run, run.transcript());
}

/// Invalid values inside a YAML export: located in the export file itself.
#[test]
fn profile_invalid_pack_values_yaml() {
    let export = b"packs:\n  - name: kubernetes\n    layer: k8s\n    version: 1.28.9\n    \
values: |-\n      pack:\n        podCIDR: 10.0.0.0/16\n         bad: indentation\n";
    let run = profile("profile_invalid_pack_values_yaml", ("current.yaml", export));
    snapshot!(run, run.transcript());
}

#[test]
fn profile_pack_listed_twice() {
    let pack = "{\"name\": \"kubernetes\", \"layer\": \"k8s\", \"values\": \"a: 1\\n\"}";
    let export = format!("{{\"packs\": [{pack}, {pack}]}}\n");
    let run = profile(
        "profile_pack_listed_twice",
        ("current.json", export.as_bytes()),
    );
    snapshot!(run, run.transcript());
}
