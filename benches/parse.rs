//! Parse throughput: bare `saphyr-parser` event iteration against
//! `yamerge::syntax::parse` (which adds spans, trivia and the arena) on a
//! generated ~10 MB Helm-values-like file with comments.
//!
//! Run with `cargo bench --bench parse`. The goal is yamerge ≥ 60 % of the
//! bare parser's throughput.

use std::fmt::Write;
use std::hint::black_box;
use std::time::{Duration, Instant};

use saphyr_parser::Parser;

/// Size of the generated input, in bytes (approximately).
const TARGET_BYTES: usize = 10 * 1024 * 1024;
/// Timed rounds (one run of each contender per round); medians are reported.
const ITERATIONS: usize = 9;

/// A small deterministic generator (no `rand` dependency).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS: &[&str] = &[
    "api",
    "worker",
    "cache",
    "gateway",
    "metrics",
    "auth",
    "scheduler",
    "ingest",
    "search",
    "billing",
    "notifier",
    "proxy",
];

/// One Helm-values-like component block: nested mappings, comments, quoted
/// strings, lists of mappings with `name:`, a literal block scalar, flow
/// collections and empty values.
fn component(out: &mut String, i: usize, rng: &mut Lcg) {
    let word = WORDS[rng.below(WORDS.len() as u64) as usize];
    let replicas = 1 + rng.below(5);
    let port = 8000 + rng.below(1000);
    let _ = write!(
        out,
        "\
# -- Settings of the {word} component (#{i}).
# Everything below can be overridden per environment.
{word}{i}:
  enabled: {enabled}
  # Number of pods to run
  replicaCount: {replicas}

  image:
    repository: \"registry.example.com/platform/{word}\"
    tag: 'v1.{minor}.{patch}'   # pinned by the release pipeline
    pullPolicy: IfNotPresent
  imagePullSecrets: []
  podAnnotations: {{}}
  podLabels:
    app.kubernetes.io/name: {word}
    app.kubernetes.io/instance: \"{word}-{i}\"

  # -- Extra environment variables
  env:
    - name: LOG_LEVEL
      value: \"info\"
    - name: LISTEN_PORT
      value: \"{port}\"
    - name: FEATURE_FLAGS
      value: 'alpha,beta'  # comma separated
    # - name: DEBUG
    #   value: \"true\"
  service:
    type: ClusterIP
    ports: [{port}, 9090]
  resources:
    limits: {{ cpu: 500m, memory: 512Mi }}
    requests:
      cpu: 100m
      memory: 128Mi
  nodeSelector:
  tolerations:
    - key: dedicated
      operator: Equal
      value: {word}
      effect: NoSchedule
  # Rendered into the container as /etc/{word}/app.conf
  config: |
    server {{
      listen {port};
      name   {word}-{i};
    }}
    # a comment inside the block scalar
  description: >-
    The {word} component number {i}, folded
    over two lines.

",
        enabled = rng.below(2) == 0,
        minor = rng.below(30),
        patch = rng.below(10),
    );
}

fn generate(target: usize) -> String {
    let mut rng = Lcg(0x5eed);
    let mut out = String::with_capacity(target + 4096);
    out.push_str("# Default values for the platform chart.\n# This is a YAML-formatted file.\n\n");
    out.push_str("global:\n  imageRegistry: \"\"\n  storageClass: standard\n\n");
    let mut i = 0;
    while out.len() < target {
        component(&mut out, i, &mut rng);
        i += 1;
    }
    out
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Times `a` and `b` in alternating rounds (after one warm-up each), so that
/// a change of machine load touches both alike; returns both medians.
fn time_pair(mut a: impl FnMut(), mut b: impl FnMut()) -> (Duration, Duration) {
    a();
    b();
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for _ in 0..ITERATIONS {
        let t = Instant::now();
        a();
        ta.push(t.elapsed());
        let t = Instant::now();
        b();
        tb.push(t.elapsed());
    }
    (median(ta), median(tb))
}

fn mib_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / (1024.0 * 1024.0) / d.as_secs_f64()
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and
    // then a small input is enough to check that the bench still works.
    let full = std::env::args().any(|a| a == "--bench");
    let input = generate(if full { TARGET_BYTES } else { 64 * 1024 });
    let bytes = input.len();

    let mut events = 0usize;
    let mut nodes = 0usize;
    let (bare, ours) = time_pair(
        || {
            events = 0;
            for ev in Parser::new_from_str(black_box(&input)) {
                black_box(ev.expect("the generated input is valid YAML"));
                events += 1;
            }
        },
        || {
            let tree = yamerge::syntax::parse("bench.yaml", black_box(input.as_bytes()))
                .expect("the generated input is valid YAML");
            nodes = tree.node_count();
            black_box(tree);
        },
    );

    let (a, b) = (mib_per_s(bytes, bare), mib_per_s(bytes, ours));
    println!(
        "input: {:.1} MiB, {} lines, {events} events, {nodes} nodes; median of {ITERATIONS} alternating rounds",
        bytes as f64 / (1024.0 * 1024.0),
        input.lines().count()
    );
    println!(
        "saphyr-parser events:   {:>8.1} MiB/s  ({:.1} ms)",
        a,
        bare.as_secs_f64() * 1e3
    );
    println!(
        "yamerge::syntax::parse: {:>8.1} MiB/s  ({:.1} ms)",
        b,
        ours.as_secs_f64() * 1e3
    );
    let ratio = b / a * 100.0;
    println!(
        "ratio yamerge / bare:   {ratio:>8.1} %  (goal >= 60 %{})",
        if ratio >= 60.0 { ", met" } else { ", NOT met" }
    );
}
