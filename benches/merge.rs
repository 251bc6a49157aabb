//! In-process merge time on generated inputs: 1k, 10k and 100k lines, in
//! the three shapes of `common::Shape`, the scattered one also nested under
//! `charts: app:`, the clean one also without the large-file shortcut, and a
//! Kubernetes manifest stream. Run with `cargo bench --bench merge`.

mod common;

use common::{Layout, Shape, Triple, generate};
use yamerge::{Input, MergeOptions, merge};

fn main() {
    divan::main();
}

fn run(t: &Triple) -> usize {
    let m = merge(
        Input::new("base", t.base.as_bytes()),
        Input::new("current", t.current.as_bytes()),
        Input::new("incoming", t.incoming.as_bytes()),
        &MergeOptions::default(),
    )
    .expect("generated inputs are valid");
    m.text.len()
}

#[divan::bench(args = [1_000, 10_000, 100_000], sample_count = 10)]
fn clean(bencher: divan::Bencher, lines: usize) {
    let t = generate(lines, Shape::Clean, Layout::TopLevel);
    bencher
        .counter(divan::counter::BytesCount::new(t.total_len()))
        .bench(|| run(&t));
}

#[divan::bench(args = [1_000, 10_000, 100_000], sample_count = 10)]
fn scattered(bencher: divan::Bencher, lines: usize) {
    let t = generate(lines, Shape::Scattered, Layout::TopLevel);
    bencher
        .counter(divan::counter::BytesCount::new(t.total_len()))
        .bench(|| run(&t));
}

#[divan::bench(args = [1_000, 10_000, 100_000], sample_count = 10)]
fn conflicts(bencher: divan::Bencher, lines: usize) {
    let t = generate(lines, Shape::Conflicts, Layout::TopLevel);
    bencher
        .counter(divan::counter::BytesCount::new(t.total_len()))
        .bench(|| run(&t));
}

/// The scattered shape under one top-level key: the shortcut cuts below it.
#[divan::bench(args = [1_000, 10_000, 100_000], sample_count = 10)]
fn nested_scattered(bencher: divan::Bencher, lines: usize) {
    let t = generate(lines, Shape::Scattered, Layout::Nested);
    bencher
        .counter(divan::counter::BytesCount::new(t.total_len()))
        .bench(|| run(&t));
}

/// The clean shape without the large-file shortcut: every input parsed and
/// merged whole (what files the shortcut cannot cut cost).
#[divan::bench(args = [1_000, 10_000, 100_000], sample_count = 10)]
fn clean_full_path(bencher: divan::Bencher, lines: usize) {
    let t = generate(lines, Shape::Clean, Layout::TopLevel);
    bencher
        .counter(divan::counter::BytesCount::new(t.total_len()))
        .bench(|| {
            yamerge::routes::full(
                Input::new("base", t.base.as_bytes()),
                Input::new("current", t.current.as_bytes()),
                Input::new("incoming", t.incoming.as_bytes()),
                &MergeOptions::default(),
            )
            .expect("generated inputs are valid")
            .text
            .len()
        });
}

/// A Kubernetes manifest stream, 2 % of its documents edited.
#[divan::bench(args = [1_000, 10_000, 100_000], sample_count = 10)]
fn manifest_stream(bencher: divan::Bencher, lines: usize) {
    let t = common::manifest_triple(lines);
    bencher
        .counter(divan::counter::BytesCount::new(t.total_len()))
        .bench(|| run(&t));
}
