//! `yamerge resolve` on a 20,000-line file with 100 conflicts, in process
//! through the resolver's headless driver at 200×50, each under 50 ms:
//!
//! - `startup`: read the file, parse its conflicts, draw the first frame;
//! - `key`: one key press and the frame that answers it;
//! - `settle_*`: the work the terminal then does on a worker thread while
//!   the screen already answers: the YAML paths of the conflicts (after
//!   opening) and the structural re-merge after a choice (with the paths
//!   of what is left), until the frame is drawn again.
//!
//! Run with `cargo bench --bench resolve`.

use std::fmt::Write;
use std::path::PathBuf;

use yamerge::resolve::{Headless, Pressed};
use yamerge::{Input, MergeOptions, merge};

const LINES: usize = 20_000;
const CONFLICTS: usize = 100;
const SECTION_LINES: usize = 50;
const WIDTH: u16 = 200;
const HEIGHT: u16 = 50;

fn main() {
    divan::main();
}

/// One top-level section of Helm-values-like YAML, `SECTION_LINES` long;
/// `tag` is the image tag, which both sides change in conflicting sections.
fn section(out: &mut String, i: usize, tag: &str) {
    let _ = writeln!(out, "# Section {i}: settings for component {i}");
    let _ = writeln!(out, "component{i}:\n  enabled: true\n  replicas: 2");
    let _ = writeln!(out, "  image:\n    repository: registry.example.com/c{i}");
    let _ = writeln!(out, "    tag: \"{tag}\"\n    pullPolicy: IfNotPresent");
    let _ = writeln!(out, "  env:");
    for k in 0..10 {
        let _ = writeln!(out, "    - name: VAR_{k}\n      value: \"value-{i}-{k}\"");
    }
    let _ = writeln!(out, "  args:");
    for k in 0..10 {
        let _ = writeln!(out, "    - --flag-{k}={i}");
    }
    let _ = writeln!(
        out,
        "  script: |\n    echo start {i}\n    run --component {i}"
    );
    let _ = writeln!(
        out,
        "    echo done\n  labels: {{team: t{i}, tier: backend}}"
    );
}

/// The merge of three versions in which both sides changed the tag of every
/// fourth section differently: `CONFLICTS` conflicts in about `LINES` lines.
fn conflicted() -> Vec<u8> {
    let sections = LINES / SECTION_LINES;
    let (mut base, mut current, mut incoming) = (String::new(), String::new(), String::new());
    for i in 0..sections {
        let conflicting = i % (sections / CONFLICTS) == 0;
        section(&mut base, i, "v1.0");
        section(
            &mut current,
            i,
            if conflicting { "v1.1-ours" } else { "v1.0" },
        );
        section(&mut incoming, i, if conflicting { "v2.0" } else { "v1.0" });
    }
    let merged = merge(
        Input::new("base", base.as_bytes()),
        Input::new("current", current.as_bytes()),
        Input::new("incoming", incoming.as_bytes()),
        &MergeOptions::default(),
    )
    .expect("generated inputs merge");
    assert_eq!(merged.conflicts.len(), CONFLICTS);
    merged.text.into_bytes()
}

/// The conflicted file, written once for the startup bench to read.
fn file() -> PathBuf {
    let path =
        std::env::temp_dir().join(format!("yamerge-bench-resolve-{}.yaml", std::process::id()));
    std::fs::write(&path, conflicted()).expect("write the bench file");
    path
}

fn open(text: &[u8]) -> Headless {
    Headless::open("values.yaml", text, WIDTH, HEIGHT).expect("a conflicted text")
}

/// Read + parse + first frame.
#[divan::bench(sample_count = 20)]
fn startup(bencher: divan::Bencher) {
    let path = file();
    bencher.bench(|| {
        let text = std::fs::read(&path).expect("read the bench file");
        Headless::open_first_frame("values.yaml", &text, WIDTH, HEIGHT)
            .expect("a conflicted text")
            .conflicts()
    });
    let _ = std::fs::remove_file(&path);
}

/// The paths after opening, and the frame showing them.
#[divan::bench(sample_count = 20)]
fn settle_after_startup(bencher: divan::Bencher) {
    let text = conflicted();
    bencher
        .with_inputs(|| {
            Headless::open_first_frame("values.yaml", &text, WIDTH, HEIGHT)
                .expect("a conflicted text")
        })
        .bench_local_values(|mut h| {
            h.settle();
            h
        });
}

/// The re-merge and the paths after a choice, and the frame showing them.
#[divan::bench(args = ['c', 'i', 'b', 'B', 'o'], sample_count = 20)]
fn settle_after_choice(bencher: divan::Bencher, key: char) {
    let text = conflicted();
    bencher
        .with_inputs(|| {
            let mut h = open(&text);
            h.press_first_frame(key);
            h
        })
        .bench_local_values(|mut h| {
            h.settle();
            h
        });
}

/// One key press on a freshly opened file (after `before`, not timed).
fn press(bencher: divan::Bencher, before: &str, key: char) {
    let text = conflicted();
    bencher
        .with_inputs(|| {
            let mut h = open(&text);
            for k in before.chars() {
                h.press(k);
            }
            h
        })
        .bench_local_values(|mut h| {
            h.press_first_frame(key);
            h
        });
}

#[divan::bench(args = ['c', 'i', 'b', 'B', 'o', 'n', 'p', '→', 'w', 'q'], sample_count = 20)]
fn key(bencher: divan::Bencher, key: char) {
    press(bencher, "", key);
}

/// `u` after a choice.
#[divan::bench(sample_count = 20)]
fn key_undo(bencher: divan::Bencher) {
    press(bencher, "c", 'u');
}

/// `e`: the edit taken back from the editor (the editor's own time aside).
#[divan::bench(sample_count = 20)]
fn key_edit(bencher: divan::Bencher) {
    let text = conflicted();
    bencher
        .with_inputs(|| {
            let mut h = open(&text);
            assert_eq!(h.press('e'), Pressed::Edit);
            h
        })
        .bench_local_values(|mut h| {
            h.edited("    tag: \"v3.0\"\n");
            h
        });
}
