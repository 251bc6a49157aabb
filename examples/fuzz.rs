//! A fuzz driver that needs nothing but the stable toolchain.
//!
//! ```text
//! cargo run --release --example fuzz -- --target parse|merge|laws --seconds N [--seed S]
//!     [--timeout-ms MS] [--max-len BYTES] [--stack-kib KIB]
//! cargo run --release --example fuzz -- --target merge --replay target/fuzz-crashes/merge-3
//! ```
//!
//! Mutation-based, without coverage feedback: the seed corpus is every
//! `in.yaml` of the yaml-test-suite (`../shared/testdata`, or
//! `$YAMERGE_TESTDATA`), the kyaml merge3 cases and `testdata/cases/*/*.yaml`.
//! Inputs are mutated with byte flips, line insertions, deletions,
//! duplications and swaps, splices of two inputs, YAML-significant tokens
//! (`- `, `: `, `#`, `|`, `>`, anchors, aliases, tags, brackets, quotes, `---`,
//! tabs, CR, multi-byte characters, conflict markers) and deep nesting;
//! mutants that parse join the corpus.
//!
//! Targets:
//! - `parse`: no panic; a parsed input prints back byte for byte and its
//!   entry ranges nest (`check_ranges`); the event parser and the tree
//!   builder agree on validity; what the large-file shortcut's quick check
//!   vouches for, the parser accepts, with the same top-level keys, no
//!   alias, the last entry ending the text, and duplicate keys only where
//!   the quick check leaves them to its caller (at the top level).
//! - `merge`: three mutated inputs; no panic, no hang (each run has a time
//!   budget, `--timeout-ms`, default 1000: slower inputs are saved and
//!   reported; a run still going after 20 budgets, 10 s at least, is a
//!   hang); a clean result re-parses and holds no conflict markers. A merge
//!   that fell back to lines (its structural result would not parse) counts
//!   as "gave up" and is saved as `merge-error-<n>`. Wherever the large-file
//!   shortcut applies (forced on whatever the size), its result must be
//!   byte-identical to the full merge's, reports included; where the full
//!   merge fails (an invalid input, say), the shortcut must not apply. A quarter of the
//!   bases are first moved two mappings down (`nest`), so that the shortcut
//!   also cuts below the top level; those merges are counted apart.
//! - `laws`: a valid document and structural edits of it (values, keys,
//!   entries added, deleted, swapped, comments): merge(b, b, x) =
//!   merge(b, x, b) = merge(b, x, x) = x byte for byte; two disjoint value
//!   edits merge cleanly into exactly their union; every clean result
//!   re-parses; both layouts give the same data and the same conflicts, and
//!   the large-file shortcut gives what the full merge gives for each (a
//!   quarter of the documents nested first, as for `merge`).
//!
//! The work runs in a child process on a thread with a 2 MiB stack (like
//! `cargo test`'s threads; `--stack-kib`), so that a stack overflow or an
//! abort is caught too: the parent saves the input being run and starts a new
//! child. Findings go to `target/fuzz-crashes/<target>-<n>/` (the inputs, as
//! `input.yaml` or `base.yaml`/`current.yaml`/`incoming.yaml`, and
//! `reason.txt`); slow inputs to `<target>-slow-<n>/`. The exit status is 1
//! when anything crashed or hung.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

use yamerge::syntax::{self, NodeId, NodeKind, Tree};
use yamerge::{Input, MergeOptions, Side};

// ----- options ---------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Target {
    Parse,
    Merge,
    Laws,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Parse => "parse",
            Target::Merge => "merge",
            Target::Laws => "laws",
        }
    }
}

#[derive(Clone, Debug)]
struct Opts {
    target: Target,
    seconds: f64,
    seed: u64,
    timeout_ms: u64,
    max_len: usize,
    stack_kib: usize,
    worker: bool,
    replay: Option<PathBuf>,
    minimize: Option<PathBuf>,
}

fn usage() -> ! {
    eprintln!(
        "usage: fuzz --target parse|merge|laws [--seconds N] [--seed S] [--timeout-ms MS] \
         [--max-len BYTES] [--stack-kib KIB] [--replay DIR] [--minimize DIR]"
    );
    std::process::exit(2)
}

fn parse_args() -> Opts {
    let mut o = Opts {
        target: Target::Parse,
        seconds: 60.0,
        seed: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64),
        timeout_ms: 1000,
        max_len: 32 * 1024,
        stack_kib: 2048,
        worker: false,
        replay: None,
        minimize: None,
    };
    let mut target = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--target" => {
                target = Some(match value().as_str() {
                    "parse" => Target::Parse,
                    "merge" => Target::Merge,
                    "laws" => Target::Laws,
                    _ => usage(),
                })
            }
            "--seconds" => o.seconds = value().parse().unwrap_or_else(|_| usage()),
            "--seed" => o.seed = value().parse().unwrap_or_else(|_| usage()),
            "--timeout-ms" => o.timeout_ms = value().parse().unwrap_or_else(|_| usage()),
            "--max-len" => o.max_len = value().parse().unwrap_or_else(|_| usage()),
            "--stack-kib" => o.stack_kib = value().parse().unwrap_or_else(|_| usage()),
            "--replay" => o.replay = Some(PathBuf::from(value())),
            "--minimize" => o.minimize = Some(PathBuf::from(value())),
            "--worker" => o.worker = true,
            "-h" | "--help" => usage(),
            _ => usage(),
        }
    }
    o.target = target.unwrap_or_else(|| usage());
    o
}

fn crash_root() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("fuzz-crashes")
}

fn main() {
    let opts = parse_args();
    if let Some(dir) = &opts.replay {
        std::process::exit(replay(&opts, dir));
    }
    if let Some(dir) = &opts.minimize {
        std::process::exit(minimize(&opts, dir));
    }
    if opts.worker {
        worker(&opts);
    } else {
        std::process::exit(supervise(&opts));
    }
}

// ----- random numbers --------------------------------------------------------

/// SplitMix64: small, fast and good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ----- cases: what one run looks at, saved on a finding -----------------------

/// The inputs of one run, named like the files they are saved as.
#[derive(Clone, Default)]
struct Case {
    parts: Vec<(String, Vec<u8>)>,
    options: String,
}

impl Case {
    fn one(bytes: Vec<u8>) -> Self {
        Case {
            parts: vec![("input.yaml".into(), bytes)],
            options: String::new(),
        }
    }

    fn three(b: Vec<u8>, c: Vec<u8>, i: Vec<u8>, options: String) -> Self {
        Case {
            parts: vec![
                ("base.yaml".into(), b),
                ("current.yaml".into(), c),
                ("incoming.yaml".into(), i),
            ],
            options,
        }
    }

    /// A simple framing for the file the parent reads after a child died:
    /// `name\nlength\nbytes` per part, then the options line.
    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, bytes) in &self.parts {
            out.extend_from_slice(format!("{name}\n{}\n", bytes.len()).as_bytes());
            out.extend_from_slice(bytes);
        }
        out.extend_from_slice(format!("options\n{}\n", self.options.len()).as_bytes());
        out.extend_from_slice(self.options.as_bytes());
        out
    }

    fn decode(mut data: &[u8]) -> Option<Self> {
        let mut case = Case::default();
        while !data.is_empty() {
            let nl = data.iter().position(|&b| b == b'\n')?;
            let name = String::from_utf8_lossy(&data[..nl]).into_owned();
            data = &data[nl + 1..];
            let nl = data.iter().position(|&b| b == b'\n')?;
            let len: usize = std::str::from_utf8(&data[..nl]).ok()?.parse().ok()?;
            data = &data[nl + 1..];
            let bytes = data.get(..len)?.to_vec();
            data = &data[len..];
            if name == "options" {
                case.options = String::from_utf8_lossy(&bytes).into_owned();
            } else {
                case.parts.push((name, bytes));
            }
        }
        Some(case)
    }

    fn load(dir: &Path) -> Option<Self> {
        let mut case = Case::default();
        for name in ["input.yaml", "base.yaml", "current.yaml", "incoming.yaml"] {
            if let Ok(bytes) = fs::read(dir.join(name)) {
                case.parts.push((name.into(), bytes));
            }
        }
        case.options = fs::read_to_string(dir.join("options"))
            .unwrap_or_default()
            .trim()
            .to_string();
        (!case.parts.is_empty()).then_some(case)
    }

    fn bytes(&self, i: usize) -> &[u8] {
        &self.parts[i].1
    }
}

/// Saves a finding under `target/fuzz-crashes/<prefix>-<n>/`; returns the folder.
fn save(prefix: &str, case: &Case, reason: &str) -> PathBuf {
    let root = crash_root();
    let _ = fs::create_dir_all(&root);
    for n in 1.. {
        let dir = root.join(format!("{prefix}-{n}"));
        if fs::create_dir(&dir).is_err() {
            continue;
        }
        for (name, bytes) in &case.parts {
            let _ = fs::write(dir.join(name), bytes);
        }
        if !case.options.is_empty() {
            let _ = fs::write(dir.join("options"), format!("{}\n", case.options));
        }
        let _ = fs::write(dir.join("reason.txt"), format!("{reason}\n"));
        return dir;
    }
    unreachable!()
}

// ----- the supervisor ---------------------------------------------------------

#[derive(Default, Clone, Copy)]
struct Totals {
    execs: u64,
    valid: u64,
    clean: u64,
    conflicted: u64,
    skipped: u64,
    crashes: u64,
    slow: u64,
    rejects: u64,
    errors: u64,
    reordered: u64,
    shortcut: u64,
    nested: u64,
    quick: u64,
}

impl Totals {
    fn fields(&mut self) -> [&mut u64; 13] {
        [
            &mut self.execs,
            &mut self.valid,
            &mut self.clean,
            &mut self.conflicted,
            &mut self.skipped,
            &mut self.crashes,
            &mut self.slow,
            &mut self.rejects,
            &mut self.errors,
            &mut self.reordered,
            &mut self.shortcut,
            &mut self.nested,
            &mut self.quick,
        ]
    }

    fn parse(text: &str) -> Totals {
        let mut t = Totals::default();
        for (slot, v) in t.fields().into_iter().zip(text.split_whitespace()) {
            *slot = v.parse().unwrap_or(0);
        }
        t
    }

    fn add(&mut self, mut other: Totals) {
        for (a, b) in self.fields().into_iter().zip(other.fields()) {
            *a += *b;
        }
    }
}

fn supervise(opts: &Opts) -> i32 {
    let exe = std::env::current_exe().expect("current executable");
    let root = crash_root();
    let _ = fs::create_dir_all(&root);
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(opts.seconds);
    let mut totals = Totals::default();
    let mut deaths = 0u64;
    let mut round = 0u64;
    println!(
        "fuzz: target {} for {} s, seed {}, per-run budget {} ms, inputs up to {} bytes, {} KiB stack",
        opts.target.name(),
        opts.seconds,
        opts.seed,
        opts.timeout_ms,
        opts.max_len,
        opts.stack_kib
    );
    while Instant::now() < deadline {
        let left = deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64();
        if left < 0.05 {
            break;
        }
        let seed = opts.seed.wrapping_add(round.wrapping_mul(0x1000_0000_01b3));
        round += 1;
        let tag = format!("{}-{}-{round}", opts.target.name(), std::process::id());
        let current = root.join(format!(".current-{tag}"));
        let stats = root.join(format!(".stats-{tag}"));
        let status = Command::new(&exe)
            .args(["--worker", "--target", opts.target.name()])
            .args(["--seconds", &format!("{left:.3}")])
            .args(["--seed", &seed.to_string()])
            .args(["--timeout-ms", &opts.timeout_ms.to_string()])
            .args(["--max-len", &opts.max_len.to_string()])
            .args(["--stack-kib", &opts.stack_kib.to_string()])
            .env("YAMERGE_FUZZ_CURRENT", &current)
            .env("YAMERGE_FUZZ_STATS", &stats)
            .status()
            .expect("start a fuzz worker");
        let child =
            fs::read_to_string(&stats).map_or_else(|_| Totals::default(), |s| Totals::parse(&s));
        totals.add(child);
        match status.code() {
            Some(0) => {}
            // The worker saved its hang itself.
            Some(3) => totals.crashes += 1,
            _ => {
                deaths += 1;
                totals.crashes += 1;
                let reason = format!(
                    "the worker died ({status}): a stack overflow or an abort; its stderr was printed above"
                );
                let case = fs::read(&current)
                    .ok()
                    .and_then(|d| Case::decode(&d))
                    .unwrap_or_default();
                let dir = save(opts.target.name(), &case, &reason);
                println!("CRASH {}: {reason}", dir.display());
            }
        }
        let _ = fs::remove_file(&current);
        let _ = fs::remove_file(&stats);
        if deaths > 50 {
            println!("fuzz: too many worker deaths, stopping");
            break;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let t = totals;
    println!(
        "fuzz: target {}: {} execs in {:.0} s ({:.0} execs/s); {} valid inputs, {} clean merges, \
         {} with conflicts, {} skipped; {} crashes, {} slow, {} gave up (\"please report\"), \
         {} rejected by the tree builder but accepted by the event parser, {} clean merges \
         whose layouts order list items differently (or redefine an anchor); \
         {} merges through the large-file shortcut, byte-identical to the full merge \
         ({} of them cut below the top level); {} inputs the shortcut's quick check read \
         as the parser does",
        opts.target.name(),
        t.execs,
        secs,
        t.execs as f64 / secs.max(1e-9),
        t.valid,
        t.clean,
        t.conflicted,
        t.skipped,
        t.crashes,
        t.slow,
        t.errors,
        t.rejects,
        t.reordered,
        t.shortcut,
        t.nested,
        t.quick
    );
    if t.crashes > 0 || t.slow > 0 || t.errors > 0 {
        println!("fuzz: findings are in {}", root.display());
    }
    i32::from(t.crashes > 0)
}

// ----- the worker ---------------------------------------------------------------

struct Shared {
    counters: [AtomicU64; 13],
    /// Microseconds since the worker started at which the running exec
    /// began, `u64::MAX` between execs.
    running_since: AtomicU64,
}

impl Shared {
    fn bump(&self, i: usize) {
        self.counters[i].fetch_add(1, Relaxed);
    }

    fn snapshot(&self) -> String {
        self.counters
            .iter()
            .map(|c| c.load(Relaxed).to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

const EXECS: usize = 0;
const VALID: usize = 1;
const CLEAN: usize = 2;
const CONFLICTED: usize = 3;
const SKIPPED: usize = 4;
const CRASHES: usize = 5;
const SLOW: usize = 6;
const REJECTS: usize = 7;
const ERRORS: usize = 8;
const REORDERED: usize = 9;
const SHORTCUT: usize = 10;
const NESTED: usize = 11;
const QUICK: usize = 12;

/// What one run found.
enum Verdict {
    /// Nothing to report; the counters to bump.
    Fine(Vec<usize>),
    /// Valid inputs the merge gave up on, safely ("please report this"):
    /// saved as `<target>-error-<n>` and counted, not a crash.
    GaveUp(String, Vec<(String, String)>),
    /// A property does not hold: why, and the inputs the run made (saved
    /// beside the case as `found-*.yaml`).
    Broken(String, Vec<(String, String)>),
}

fn broken(why: impl Into<String>) -> Verdict {
    Verdict::Broken(why.into(), Vec::new())
}

thread_local! {
    static PANIC: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn install_panic_hook() {
    panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".into());
        let at = info
            .location()
            .map_or_else(String::new, |l| format!("{}:{}", l.file(), l.line()));
        let bt = std::backtrace::Backtrace::force_capture();
        PANIC.with(|p| *p.borrow_mut() = format!("panic at {at}: {msg}\n\n{bt}"));
    }));
}

fn worker(opts: &Opts) {
    install_panic_hook();
    let shared = Arc::new(Shared {
        counters: Default::default(),
        running_since: AtomicU64::new(u64::MAX),
    });
    let current_path = std::env::var_os("YAMERGE_FUZZ_CURRENT").map(PathBuf::from);
    let stats_path = std::env::var_os("YAMERGE_FUZZ_STATS").map(PathBuf::from);
    let started = Instant::now();
    let hang_after = Duration::from_millis((opts.timeout_ms * 20).max(10_000));
    let fuzz = {
        let (opts, shared, current_path) = (opts.clone(), shared.clone(), current_path.clone());
        std::thread::Builder::new()
            .name("fuzz".into())
            .stack_size(opts.stack_kib * 1024)
            .spawn(move || fuzz_loop(&opts, &shared, started, current_path.as_deref()))
            .expect("spawn the fuzz thread")
    };
    // The watchdog: stats for the parent every second, and hang detection.
    loop {
        std::thread::sleep(Duration::from_millis(100));
        if let Some(p) = &stats_path {
            let _ = fs::write(p, shared.snapshot());
        }
        if fuzz.is_finished() {
            break;
        }
        let since = shared.running_since.load(Relaxed);
        if since != u64::MAX {
            let now = started.elapsed().as_micros() as u64;
            if now.saturating_sub(since) > hang_after.as_micros() as u64 {
                let case = current_path
                    .as_deref()
                    .and_then(|p| fs::read(p).ok())
                    .and_then(|d| Case::decode(&d))
                    .unwrap_or_default();
                let reason = format!("hang: one run took more than {} s", hang_after.as_secs());
                let dir = save(opts.target.name(), &case, &reason);
                println!("HANG {}: {reason}", dir.display());
                shared.bump(CRASHES);
                if let Some(p) = &stats_path {
                    // Counted by the parent from the exit status.
                    shared.counters[CRASHES].fetch_sub(1, Relaxed);
                    let _ = fs::write(p, shared.snapshot());
                }
                let _ = std::io::stdout().flush();
                std::process::exit(3);
            }
        }
    }
    let _ = fuzz.join();
    if let Some(p) = &stats_path {
        let _ = fs::write(p, shared.snapshot());
    }
}

fn fuzz_loop(opts: &Opts, shared: &Shared, started: Instant, current_path: Option<&Path>) {
    let mut rng = Rng(opts.seed ^ 0x5DEE_CE66_D1CE_5EED);
    let mut corpus = Corpus::load(opts);
    let deadline = started + Duration::from_secs_f64(opts.seconds);
    let current = current_path.and_then(|p| fs::File::create(p).ok());
    let budget = Duration::from_millis(opts.timeout_ms);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut slow_saved = 0;
    while Instant::now() < deadline {
        let mut case = match opts.target {
            Target::Parse => corpus.parse_case(&mut rng),
            Target::Merge => corpus.merge_case(&mut rng),
            Target::Laws => corpus.laws_case(&mut rng),
        };
        // Each run draws from its own generator, seeded in the case, so that
        // a saved case replays exactly.
        let run_seed = rng.next();
        case.options = format!("{} seed={run_seed}", case.options)
            .trim()
            .to_string();
        if let Some(f) = &current {
            let data = case.encode();
            let _ = f.set_len(0);
            let _ = f.write_all_at(&data, 0);
        }
        shared
            .running_since
            .store(started.elapsed().as_micros() as u64, Relaxed);
        let t0 = Instant::now();
        let verdict = panic::catch_unwind(AssertUnwindSafe(|| {
            run_target(opts.target, &case, &mut corpus)
        }));
        let took = t0.elapsed();
        shared.running_since.store(u64::MAX, Relaxed);
        shared.bump(EXECS);
        let broken = match verdict {
            Ok(Verdict::Fine(bumps)) => {
                bumps.into_iter().for_each(|i| shared.bump(i));
                None
            }
            Ok(Verdict::Broken(why, found)) => Some((why, found, true)),
            Ok(Verdict::GaveUp(why, found)) => Some((why, found, false)),
            Err(_) => Some((
                PANIC.with(|p| std::mem::take(&mut *p.borrow_mut())),
                Vec::new(),
                true,
            )),
        };
        if let Some((why, found, crash)) = broken {
            let reject = why.starts_with("rejected: ");
            shared.bump(match (crash, reject) {
                (true, _) => CRASHES,
                (false, true) => REJECTS,
                (false, false) => ERRORS,
            });
            // One signature per panic location or broken property.
            let signature = signature(&why);
            let count = seen.entry(signature.clone()).or_default();
            *count += 1;
            if *count <= 3 {
                let mut case = case.clone();
                case.parts.extend(
                    found
                        .into_iter()
                        .map(|(n, t)| (format!("found-{n}.yaml"), t.into_bytes())),
                );
                let (prefix, label) = match (crash, reject) {
                    (true, _) => (opts.target.name().to_string(), "CRASH"),
                    (false, true) => (format!("{}-reject", opts.target.name()), "REJECTED"),
                    (false, false) => (format!("{}-error", opts.target.name()), "GAVE UP"),
                };
                let dir = save(&prefix, &case, &why);
                println!("{label} {}: {signature}", dir.display());
            }
        } else if took > budget {
            shared.bump(SLOW);
            if slow_saved < 10 {
                slow_saved += 1;
                let why = format!("slow: one run took {} ms", took.as_millis());
                let dir = save(&format!("{}-slow", opts.target.name()), &case, &why);
                println!("SLOW {}: {why}", dir.display());
            }
        }
    }
}

/// The first line of a finding with its numbers blanked: one per kind.
fn signature(why: &str) -> String {
    let first = why.lines().next().unwrap_or("");
    let mut out = String::new();
    for ch in first.chars() {
        if ch.is_ascii_digit() {
            if !out.ends_with('N') {
                out.push('N');
            }
        } else {
            out.push(ch);
        }
    }
    out
}

/// Shrinks a saved finding line by line while it still fails the same way;
/// writes the result to `<dir>/min/`. Laws findings are shrunk as the
/// layouts law over `found-current.yaml` and `found-incoming.yaml`.
fn minimize(opts: &Opts, dir: &Path) -> i32 {
    install_panic_hook();
    let Some(mut case) = Case::load(dir) else {
        eprintln!(
            "{}: no input.yaml or base/current/incoming.yaml",
            dir.display()
        );
        return 2;
    };
    if opts.target == Target::Laws {
        for (slot, name) in [(1, "found-current.yaml"), (2, "found-incoming.yaml")] {
            let Ok(bytes) = fs::read(dir.join(name)) else {
                eprintln!("{}: no {name}", dir.display());
                return 2;
            };
            case.parts.truncate(slot);
            case.parts
                .push((name.trim_start_matches("found-").into(), bytes));
        }
    }
    let target = opts.target;
    let check = move |case: &Case| -> Option<String> {
        let v = panic::catch_unwind(AssertUnwindSafe(|| check_case(target, case)));
        match v {
            Ok(Verdict::Fine(_)) => None,
            Ok(Verdict::Broken(why, _) | Verdict::GaveUp(why, _)) => Some(signature(&why)),
            Err(_) => Some(signature(&PANIC.with(|p| p.borrow().clone()))),
        }
    };
    let Some(want) = check(&case) else {
        println!("does not fail");
        return 1;
    };
    println!("minimizing: {want}");
    loop {
        let mut progress = false;
        for p in 0..case.parts.len() {
            let mut chunk = line_starts(&case.parts[p].1).len().max(1);
            while chunk >= 1 {
                let mut k = 0;
                loop {
                    let lines = line_starts(&case.parts[p].1);
                    if k >= lines.len() || case.parts[p].1.is_empty() {
                        break;
                    }
                    let bytes = &case.parts[p].1;
                    let s = lines[k];
                    let e = lines.get(k + chunk).copied().unwrap_or(bytes.len());
                    let mut trial = case.clone();
                    trial.parts[p].1.drain(s..e);
                    if check(&trial).as_deref() == Some(want.as_str()) {
                        case = trial;
                        progress = true;
                    } else {
                        k += chunk;
                    }
                }
                chunk /= 2;
            }
        }
        if !progress {
            break;
        }
    }
    let out = dir.join("min");
    let _ = fs::create_dir_all(&out);
    for (name, bytes) in &case.parts {
        let _ = fs::write(out.join(name), bytes);
        println!("--- {name}\n{}", String::from_utf8_lossy(bytes));
    }
    let _ = fs::write(out.join("options"), &case.options);
    let _ = fs::write(out.join("reason.txt"), &want);
    println!(
        "--- options: {}\nwritten to {}",
        case.options,
        out.display()
    );
    0
}

/// Runs a saved case. A laws case with `current.yaml` and `incoming.yaml`
/// (a shrunk finding) is checked with the layouts law; one with the base
/// alone replays the run that found it.
fn check_case(target: Target, case: &Case) -> Verdict {
    let mut corpus = Corpus {
        pool: Vec::new(),
        valid: Vec::new(),
        max_len: usize::MAX,
    };
    if target == Target::Laws && case.parts.len() >= 3 {
        let text = |i: usize| String::from_utf8_lossy(case.bytes(i)).into_owned();
        let opts = options_of(&case.options);
        return match law_layouts(case.bytes(0), &text(1), &text(2), &opts) {
            Ok(_) => Verdict::Fine(vec![]),
            Err(why) if why.contains("please report") => Verdict::GaveUp(why, vec![]),
            Err(why) => broken(why),
        };
    }
    run_target(target, case, &mut corpus)
}

fn replay(opts: &Opts, dir: &Path) -> i32 {
    install_panic_hook();
    let Some(case) = Case::load(dir) else {
        eprintln!(
            "{}: no input.yaml or base/current/incoming.yaml",
            dir.display()
        );
        return 2;
    };
    let (opts2, case2) = (opts.clone(), case.clone());
    let run = std::thread::Builder::new()
        .stack_size(opts2.stack_kib * 1024)
        .spawn(move || {
            let t0 = Instant::now();
            let v = panic::catch_unwind(AssertUnwindSafe(|| check_case(opts2.target, &case2)));
            let v = match v {
                Ok(Verdict::Fine(_)) => None,
                Ok(Verdict::Broken(why, _) | Verdict::GaveUp(why, _)) => Some(why),
                Err(_) => Some(PANIC.with(|p| p.borrow().clone())),
            };
            (v, t0.elapsed())
        })
        .expect("spawn");
    let (v, took) = run.join().expect("replay thread");
    match v {
        None => {
            println!("ok ({} ms)", took.as_millis());
            0
        }
        Some(why) => {
            println!("FAILED ({} ms): {why}", took.as_millis());
            1
        }
    }
}

// ----- the corpus and the mutations ---------------------------------------------------

struct Corpus {
    /// Seeds and mutants that parsed.
    pool: Vec<Vec<u8>>,
    /// Inputs that parse and merge with themselves (the laws start from these).
    valid: Vec<Vec<u8>>,
    max_len: usize,
}

const POOL_MAX: usize = 20_000;

fn testdata_root() -> PathBuf {
    std::env::var_os("YAMERGE_TESTDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/testdata"))
}

fn yaml_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() && depth > 0 {
            yaml_files(&p, depth - 1, out);
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(p);
        }
    }
}

impl Corpus {
    fn load(opts: &Opts) -> Corpus {
        let mut files = Vec::new();
        let shared = testdata_root();
        let mut suite = Vec::new();
        yaml_files(&shared.join("yaml-test-suite"), 2, &mut suite);
        let suite_count = suite.iter().filter(|p| p.ends_with("in.yaml")).count();
        files.extend(suite.into_iter().filter(|p| p.ends_with("in.yaml")));
        yaml_files(&shared.join("kyaml-merge3"), 1, &mut files);
        let local = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cases");
        yaml_files(&local, 1, &mut files);
        let pool: Vec<Vec<u8>> = files
            .iter()
            .filter_map(|p| fs::read(p).ok())
            .filter(|b| b.len() <= opts.max_len)
            .collect();
        if suite_count == 0 {
            eprintln!(
                "fuzz: no yaml-test-suite under {} (set YAMERGE_TESTDATA); seeding from testdata/cases only",
                shared.display()
            );
        }
        assert!(!pool.is_empty(), "no seed inputs found");
        let valid: Vec<Vec<u8>> = pool.iter().filter(|b| mergeable(b)).cloned().collect();
        if !opts.worker {
            return Corpus {
                pool,
                valid,
                max_len: opts.max_len,
            };
        }
        eprintln!(
            "fuzz worker: {} seed inputs ({} from the yaml-test-suite), {} valid",
            pool.len(),
            suite_count,
            valid.len()
        );
        Corpus {
            pool,
            valid,
            max_len: opts.max_len,
        }
    }

    fn add(&mut self, rng: &mut Rng, bytes: Vec<u8>) {
        keep_bounded(&mut self.pool, rng, bytes);
    }

    fn add_valid(&mut self, rng: &mut Rng, bytes: Vec<u8>) {
        keep_bounded(&mut self.valid, rng, bytes);
    }

    fn any(&self, rng: &mut Rng) -> &[u8] {
        &self.pool[rng.below(self.pool.len())]
    }

    fn parse_case(&mut self, rng: &mut Rng) -> Case {
        let seed = self.any(rng).to_vec();
        Case::one(self.mutate(rng, &seed))
    }

    fn merge_case(&mut self, rng: &mut Rng) -> Case {
        let base = if rng.chance(70) && !self.valid.is_empty() {
            rng.pick(&self.valid).clone()
        } else {
            self.mutate_from_pool(rng)
        };
        let base = nest_sometimes(rng, base);
        let side = |rng: &mut Rng| match rng.below(10) {
            0 => base.clone(),
            1 => self.mutate_from_pool(rng),
            _ => self.mutate(rng, &base),
        };
        let (c, i) = (side(rng), side(rng));
        Case::three(base.clone(), c, i, random_options(rng))
    }

    fn mutate_from_pool(&self, rng: &mut Rng) -> Vec<u8> {
        let seed = self.any(rng).to_vec();
        self.mutate(rng, &seed)
    }

    fn laws_case(&mut self, rng: &mut Rng) -> Case {
        let base = rng.pick(&self.valid).clone();
        let base = nest_sometimes(rng, base);
        Case::three(base, Vec::new(), Vec::new(), random_options(rng))
    }

    /// One to four stacked mutations.
    fn mutate(&self, rng: &mut Rng, input: &[u8]) -> Vec<u8> {
        let mut data = input.to_vec();
        for _ in 0..1 + rng.below(4) {
            data = self.mutate_once(rng, data);
        }
        data.truncate(self.max_len);
        data
    }

    fn mutate_once(&self, rng: &mut Rng, mut d: Vec<u8>) -> Vec<u8> {
        const TOKENS: &[&str] = &[
            "- ",
            ": ",
            ":",
            "#",
            " #",
            " # c",
            "|",
            "|-",
            "|+",
            "|2",
            ">",
            ">-",
            "&a ",
            "*a",
            "&b ",
            "*b",
            "!t ",
            "!!str ",
            "!!map ",
            "{",
            "}",
            "[",
            "]",
            "{}",
            "[]",
            "\"",
            "'",
            "---",
            "--- ",
            "---\n",
            "...\n",
            "\t",
            "\r",
            "\r\n",
            "\n",
            "é",
            "😀",
            "\u{feff}",
            "\u{85}",
            "\u{2028}",
            "? ",
            "?",
            ",",
            "~",
            "null",
            "''",
            "\"\\u00e9\\n\"",
            "<<: *a",
            "%YAML 1.2\n",
            "%TAG !e! tag:e.com,2000:\n",
            "- - ",
            "a: b: c",
            "key: value\n",
            "  ",
            "    ",
            "<<<<<<< current\n",
            "||||||| base\n",
            "=======\n",
            ">>>>>>> incoming\n",
            "\\",
            "@",
            "`",
            "%",
            "0x1F",
            "1e3",
            ".inf",
            "name: x\n",
            "- name: y\n  v: 1\n",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n",
        ];
        const BYTES: &[u8] = &[
            b' ', b'\n', b'\t', b'\r', b':', b'-', b'#', b'"', b'\'', b'[', b']', b'{', b'}', b',',
            b'&', b'*', b'!', b'|', b'>', b'?', b'%', b'@', b'`', b'a', b'0', 0, 0xff, 0xc3, 0x80,
        ];
        let lines = line_starts(&d);
        let line_at = |rng: &mut Rng| lines[rng.below(lines.len())];
        let line_range = |i: usize| -> (usize, usize) {
            let s = lines[i];
            let e = lines.get(i + 1).copied().unwrap_or(d.len());
            (s, e)
        };
        match rng.below(16) {
            0 if !d.is_empty() => {
                let i = rng.below(d.len());
                d[i] ^= 1 << rng.below(8);
            }
            1 if !d.is_empty() => {
                let i = rng.below(d.len());
                d[i] = *rng.pick(BYTES);
            }
            2 => {
                let (s, e) = line_range(rng.below(lines.len()));
                d.drain(s..e);
            }
            3 => {
                let other = self.any(rng);
                let ol = line_starts(other);
                let k = rng.below(ol.len());
                let (s, e) = (ol[k], ol.get(k + 1).copied().unwrap_or(other.len()));
                let mut line = other[s..e].to_vec();
                if line.last() != Some(&b'\n') {
                    line.push(b'\n');
                }
                let at = line_at(rng);
                d.splice(at..at, line);
            }
            4 => {
                let (s, e) = line_range(rng.below(lines.len()));
                let mut line = d[s..e].to_vec();
                if line.last() != Some(&b'\n') {
                    line.push(b'\n');
                }
                d.splice(s..s, line);
            }
            5 if lines.len() > 1 => {
                let a = rng.below(lines.len() - 1);
                let b = a + 1 + rng.below(lines.len() - a - 1);
                let (ra, rb) = (line_range(a), line_range(b));
                let mut out = d[..ra.0].to_vec();
                out.extend_from_slice(&d[rb.0..rb.1]);
                if out.last() != Some(&b'\n') {
                    out.push(b'\n');
                }
                out.extend_from_slice(&d[ra.1..rb.0]);
                out.extend_from_slice(&d[ra.0..ra.1]);
                if rb.1 - rb.0 > 0 && out.last() != Some(&b'\n') && rb.1 < d.len() {
                    out.push(b'\n');
                }
                out.extend_from_slice(&d[rb.1..]);
                d = out;
            }
            6 => {
                let other = self.any(rng);
                let (cut_a, cut_b) = if rng.chance(70) {
                    let ol = line_starts(other);
                    (line_at(rng), ol[rng.below(ol.len())])
                } else {
                    (rng.below(d.len() + 1), rng.below(other.len() + 1))
                };
                d.truncate(cut_a);
                d.extend_from_slice(&other[cut_b..]);
            }
            7 | 8 => {
                let tok = rng.pick(TOKENS).as_bytes();
                let at = if rng.chance(50) {
                    line_at(rng) + rng.below(4)
                } else {
                    rng.below(d.len() + 1)
                }
                .min(d.len());
                d.splice(at..at, tok.iter().copied());
            }
            9 => {
                let k = 1 + rng.below(300);
                let at = line_at(rng);
                let deep: Vec<u8> = match rng.below(5) {
                    0 => "[".repeat(k).into_bytes(),
                    1 => format!("{}1{}", "[".repeat(k), "]".repeat(k)).into_bytes(),
                    2 => format!("{}1{}\n", "{a: ".repeat(k), "}".repeat(k)).into_bytes(),
                    3 => format!("{}x\n", "- ".repeat(k)).into_bytes(),
                    _ => {
                        let mut s = String::new();
                        for i in 0..k {
                            s.push_str(&" ".repeat(i));
                            s.push_str("a:\n");
                        }
                        s.push_str(&" ".repeat(k));
                        s.push_str("b\n");
                        s.into_bytes()
                    }
                };
                d.splice(at..at, deep);
            }
            10 => {
                let at = line_at(rng);
                if rng.chance(50) {
                    let n = 1 + rng.below(4);
                    d.splice(at..at, std::iter::repeat_n(b' ', n));
                } else {
                    let n = d[at..].iter().take_while(|&&b| b == b' ').count();
                    let k = n.min(1 + rng.below(4));
                    d.drain(at..at + k);
                }
            }
            11 => d.truncate(rng.below(d.len() + 1)),
            12 => {
                // Replace a word.
                const WORDS: &[&str] = &[
                    "a", "b", "name", "id", "true", "1", "~", "x y", "\"q\"", "'s'", "k: v", "-1",
                    "", "<<",
                ];
                let starts: Vec<usize> = (0..d.len())
                    .filter(|&i| {
                        d[i].is_ascii_alphanumeric()
                            && (i == 0 || !d[i - 1].is_ascii_alphanumeric())
                    })
                    .collect();
                if !starts.is_empty() {
                    let s = *rng.pick(&starts);
                    let e = s + d[s..]
                        .iter()
                        .take_while(|b| b.is_ascii_alphanumeric())
                        .count();
                    d.splice(s..e, rng.pick(WORDS).bytes());
                }
            }
            13 if !d.is_empty() => {
                let s = rng.below(d.len());
                let e = (s + 1 + rng.below(64)).min(d.len());
                d.drain(s..e);
            }
            14 if !d.is_empty() => {
                let s = rng.below(d.len());
                let e = (s + 1 + rng.below(256)).min(d.len());
                let chunk = d[s..e].to_vec();
                let at = rng.below(d.len() + 1);
                d.splice(at..at, chunk);
            }
            _ => {
                // Line endings: CRLF everywhere, or for one line.
                if rng.chance(50) {
                    let mut out = Vec::with_capacity(d.len() + d.len() / 8);
                    for &b in &d {
                        if b == b'\n' {
                            out.push(b'\r');
                        }
                        out.push(b);
                    }
                    d = out;
                } else {
                    let (_, e) = line_range(rng.below(lines.len()));
                    if e > 0 && d[e - 1] == b'\n' {
                        d.insert(e - 1, b'\r');
                    }
                }
            }
        }
        d
    }
}

/// Adds an input to a pool of at most `POOL_MAX`, replacing a random one
/// when it is full (so the pool keeps changing without growing).
fn keep_bounded(pool: &mut Vec<Vec<u8>>, rng: &mut Rng, bytes: Vec<u8>) {
    if pool.len() < POOL_MAX {
        pool.push(bytes);
    } else {
        let i = rng.below(pool.len());
        pool[i] = bytes;
    }
}

fn line_starts(d: &[u8]) -> Vec<usize> {
    let mut v = vec![0];
    v.extend(
        d.iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' && i + 1 < d.len())
            .map(|(i, _)| i + 1),
    );
    v
}

fn random_options(rng: &mut Rng) -> String {
    let mut parts = Vec::new();
    if rng.chance(30) {
        parts.push("layout=current");
    }
    match rng.below(4) {
        0 => parts.push("style=merge"),
        1 => parts.push("style=zdiff3"),
        _ => {}
    }
    match rng.below(8) {
        0 => parts.push("prefer=current"),
        1 => parts.push("prefer=incoming"),
        _ => {}
    }
    parts.join(" ")
}

fn options_of(spec: &str) -> MergeOptions {
    let mut o = MergeOptions::default();
    for p in spec.split_whitespace() {
        match p {
            "layout=current" => o.layout = Side::Current,
            "style=merge" => o.style = yamerge::ConflictStyle::Merge,
            "style=zdiff3" => o.style = yamerge::ConflictStyle::Zdiff3,
            "prefer=current" => o.prefer = Some(Side::Current),
            "prefer=incoming" => o.prefer = Some(Side::Incoming),
            _ => {}
        }
    }
    o
}

fn merge3(b: &[u8], c: &[u8], i: &[u8], o: &MergeOptions) -> yamerge::Result<yamerge::MergeResult> {
    yamerge::routes::full(
        Input::new("base", b),
        Input::new("current", c),
        Input::new("incoming", i),
        o,
    )
}

/// Parses, and merges with itself (what the laws need of a base).
fn mergeable(b: &[u8]) -> bool {
    syntax::parse("x", b).is_ok() && merge3(b, b, b, &MergeOptions::default()).is_ok()
}

/// What [`nest`] puts above its input, and the part of it edits leave alone.
const NEST_HEAD: &[u8] = b"name: x\ncharts:\n  before: 1\n  app:\n    first: 1\n";
const NEST_MARK: &[u8] = b"\n  app:\n";

/// A quarter of the inputs nested, never one twice (nested inputs that
/// join the corpus would sink ever deeper).
fn nest_sometimes(rng: &mut Rng, input: Vec<u8>) -> Vec<u8> {
    let nested = input.windows(NEST_MARK.len()).any(|w| w == NEST_MARK);
    if rng.chance(25) && !nested {
        nest(&input)
    } else {
        input
    }
}

/// The input moved two mappings down (under `charts:` and `app:`, indented
/// by 4), with an entry before and after it at both levels: mappings below
/// the top level for the large-file shortcut to cut into.
fn nest(input: &[u8]) -> Vec<u8> {
    let mut out = NEST_HEAD.to_vec();
    for line in input.split_inclusive(|&b| b == b'\n') {
        if line != b"\n" {
            out.extend_from_slice(b"    ");
        }
        out.extend_from_slice(line);
    }
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    out.extend_from_slice(b"    last: 1\n  after: 1\n");
    out
}

// ----- the targets -----------------------------------------------------------------

fn run_target(target: Target, case: &Case, corpus: &mut Corpus) -> Verdict {
    let seed = case
        .options
        .split_whitespace()
        .find_map(|o| o.strip_prefix("seed=")?.parse().ok())
        .unwrap_or(1);
    let rng = &mut Rng(seed);
    match target {
        Target::Parse => target_parse(case, corpus, rng),
        Target::Merge => target_merge(case, corpus, rng),
        Target::Laws => target_laws(case, corpus, rng),
    }
}

fn target_parse(case: &Case, corpus: &mut Corpus, rng: &mut Rng) -> Verdict {
    let input = case.bytes(0);
    let parsed = syntax::parse("input", input);
    let text = std::str::from_utf8(input).ok();
    let events_ok = text.map(|t| syntax::validate("input", t).is_ok());
    let quick = text.and_then(yamerge::routes::quick_keys);
    match parsed {
        Ok(tree) => {
            let printed = tree.print();
            if printed.as_bytes() != input {
                return broken(format!(
                    "round trip: print() differs from the input\n--- printed\n{printed}"
                ));
            }
            if let Err(e) = tree.check_ranges() {
                return broken(format!("check_ranges: {e}"));
            }
            if events_ok == Some(false) {
                return broken("the tree builder accepted what the event parser rejects");
            }
            let _ = tree.dump();
            corpus.add(rng, input.to_vec());
            match quick.map(|keys| quick_agrees(&tree, &keys)) {
                None => Verdict::Fine(vec![VALID]),
                Some(Ok(())) => Verdict::Fine(vec![VALID, QUICK]),
                Some(Err(why)) => broken(why),
            }
        }
        Err(e) => {
            // The message must render (locations are computed here).
            let msg = e.to_string();
            if !msg.contains("input:") {
                return broken(format!("error without a location: {msg}"));
            }
            if quick.is_some() {
                return broken(format!(
                    "the shortcut's quick check accepts what the parser refuses: {msg}"
                ));
            }
            if events_ok == Some(true) {
                Verdict::GaveUp(format!("rejected: {e}"), Vec::new())
            } else {
                Verdict::Fine(vec![])
            }
        }
    }
}

/// The quick check read `keys` from the text of `tree`: the parser must see
/// one block mapping at the left margin with those keys, no alias, its last
/// entry ending the text, and duplicate keys only at its top level.
fn quick_agrees(tree: &Tree, keys: &[String]) -> Result<(), String> {
    let why = |what: &str| Err(format!("the shortcut's quick check {what}"));
    let [doc] = tree.documents() else {
        return why("accepts a stream of several documents");
    };
    let root = tree.node(doc.root);
    if root.kind != NodeKind::BlockMap || root.col != 0 {
        return why("accepts what is not a block mapping at the left margin");
    }
    let entries = tree.entries(doc.root);
    let parsed: Vec<&str> = entries.iter().map(|e| tree.value(e.key)).collect();
    if parsed != keys {
        return why(&format!("reads the keys {keys:?}, the parser {parsed:?}"));
    }
    let len = tree.source().len() as u32;
    if entries.last().map(|e| e.end) != Some(len) || doc.end != len {
        return why("accepts text after the last entry");
    }
    if (0..tree.node_count() as u32).any(|id| tree.node(id).kind == NodeKind::Alias) {
        return why("accepts an alias");
    }
    // Its callers compare the top-level keys of neighbouring runs; a key
    // repeated deeper (which the full path pairs by occurrence, with a
    // note) must not pass as plain text.
    if repeats_below_top(tree, doc.root) {
        return why("accepts a key repeated below the top level");
    }
    Ok(())
}

/// Whether a mapping below `root` holds a plain key twice.
fn repeats_below_top(tree: &Tree, root: NodeId) -> bool {
    let mut stack: Vec<NodeId> = tree.entries(root).iter().map(|e| e.value).collect();
    while let Some(id) = stack.pop() {
        if id == syntax::NO_NODE {
            continue;
        }
        let entries = tree.entries(id);
        if tree.node(id).kind.is_map() {
            let mut seen = std::collections::HashSet::new();
            if entries
                .iter()
                .any(|e| e.key != syntax::NO_NODE && !seen.insert(tree.value(e.key)))
            {
                return true;
            }
        }
        stack.extend(entries.iter().map(|e| e.value));
    }
    false
}

fn target_merge(case: &Case, corpus: &mut Corpus, rng: &mut Rng) -> Verdict {
    let (b, c, i) = (case.bytes(0), case.bytes(1), case.bytes(2));
    let opts = options_of(&case.options);
    match merge3(b, c, i, &opts) {
        Ok(m) => {
            for x in [c, i] {
                if syntax::parse("x", x).is_ok() {
                    corpus.add(rng, x.to_vec());
                }
            }
            let bump = if m.conflicts.is_empty() {
                if let Err(e) = syntax::parse("merged", m.text.as_bytes()) {
                    return broken(format!("a clean result does not re-parse: {e}"));
                }
                if has_marker_line(&m.text) && !has_marker_line_in(&[b, c, i]) {
                    return broken("a clean result holds conflict markers");
                }
                CLEAN
            } else {
                if opts.prefer.is_some() {
                    return broken("conflicts left although --prefer was given");
                }
                CONFLICTED
            };
            if let Some(why) = fell_back(&m) {
                return Verdict::GaveUp(format!("fell back to lines: {why}"), Vec::new());
            }
            match shortcut_agrees(b, c, i, &opts, &m) {
                Ok(hit) => Verdict::Fine([VALID, bump].into_iter().chain(hit).collect()),
                Err(why) => broken(why),
            }
        }
        Err(e) => {
            let msg = e.to_string();
            if msg.contains("please report this") {
                return Verdict::GaveUp(format!("merge failed: {msg}"), Vec::new());
            }
            // What the full path refuses (invalid YAML, a duplicate key, ...)
            // the shortcut must hand back to it, whatever part of the inputs
            // it checked quickly.
            let inputs =
                [("base", b), ("current", c), ("incoming", i)].map(|(n, x)| Input::new(n, x));
            if let Some(m) = yamerge::routes::shortcut(inputs[0], inputs[1], inputs[2], &opts) {
                return broken(format!(
                    "the full path fails ({msg}), the large-file shortcut merges\n--- shortcut\n{}",
                    m.text
                ));
            }
            Verdict::Fine(vec![])
        }
    }
}

/// The large-file shortcut (untouched entries at any depth, or documents,
/// checked once, not merged), forced on whatever the size, must give exactly
/// what the full merge gave. When it applied and did, the counters to bump:
/// [`SHORTCUT`], and [`NESTED`] too when it cut below the top level.
fn shortcut_agrees(
    b: &[u8],
    c: &[u8],
    i: &[u8],
    opts: &MergeOptions,
    full: &yamerge::MergeResult,
) -> Result<Vec<usize>, String> {
    let inputs = (
        Input::new("base", b),
        Input::new("current", c),
        Input::new("incoming", i),
    );
    let Some(fast) = yamerge::routes::shortcut(inputs.0, inputs.1, inputs.2, opts) else {
        return Ok(Vec::new());
    };
    let report = |m: &yamerge::MergeResult| format!("{:?}\n{:?}", m.conflicts, m.changes);
    if fast.text != full.text || report(&fast) != report(full) {
        return Err(format!(
            "the large-file shortcut differs from the full merge\n--- shortcut\n{}\n{}\n--- full\n{}",
            fast.text,
            report(&fast),
            report(full)
        ));
    }
    let depth = yamerge::routes::shortcut_depth(inputs.0, inputs.1, inputs.2);
    Ok(if depth.is_some_and(|d| d > 0) {
        vec![SHORTCUT, NESTED]
    } else {
        vec![SHORTCUT]
    })
}

/// The notes of a merge that fell back to lines because the structural
/// result would not have been valid YAML: the engine's failures, counted
/// as "gave up" (the notes say "please report this").
fn fell_back(m: &yamerge::MergeResult) -> Option<String> {
    (m.method != yamerge::report::Method::Structural).then(|| m.notes.join("; "))
}

fn has_marker_line(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("<<<<<<< "))
}

/// Whether an input has a marker-like line, indented or not: its text may
/// come out at another indentation.
fn has_marker_line_in(inputs: &[&[u8]]) -> bool {
    inputs.iter().any(|b| {
        String::from_utf8_lossy(b)
            .lines()
            .any(|l| l.trim_start().starts_with("<<<<<<< "))
    })
}

// ----- structural edits for the laws --------------------------------------------------

/// A block entry of the tree, with what the edits need to know.
#[derive(Clone, Copy)]
struct Site {
    lead: usize,
    start: usize,
    end: usize,
    key: Option<NodeId>,
    value: NodeId,
    /// The entry starts its own line (only blanks before it).
    own_line: bool,
    col: usize,
}

fn sites(tree: &Tree) -> Vec<Site> {
    fn walk(tree: &Tree, id: NodeId, out: &mut Vec<Site>, depth: usize) {
        let node = tree.node(id);
        if !node.kind.is_block() || depth > 64 {
            return;
        }
        let src = tree.source().as_bytes();
        for e in tree.entries(id) {
            let start = e.start as usize;
            let ls = src[..start]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            let own_line = src[ls..start].iter().all(|&b| b == b' ');
            out.push(Site {
                lead: e.lead as usize,
                start,
                end: e.end as usize,
                key: (e.key != syntax::NO_NODE).then_some(e.key),
                value: e.value,
                own_line,
                col: node.col as usize,
            });
            walk(tree, e.value, out, depth + 1);
        }
    }
    let mut out = Vec::new();
    for d in tree.documents() {
        walk(tree, d.root, &mut out, 0);
    }
    out
}

/// A text edit: replace `range` with `text`.
#[derive(Clone, Debug)]
struct Edit {
    start: usize,
    end: usize,
    text: String,
}

fn apply(src: &str, edits: &[Edit]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(src.len() + 64);
    let mut at = 0;
    for e in &edits {
        out.push_str(&src[at..e.start]);
        out.push_str(&e.text);
        at = e.end;
    }
    out.push_str(&src[at..]);
    out
}

/// A fresh scalar no input holds.
fn fresh(rng: &mut Rng, what: &str) -> String {
    format!("{what}{}", rng.next() % 1_000_000)
}

/// Scalar values of block entries that an edit may replace.
fn value_sites(tree: &Tree, all: &[Site]) -> Vec<Site> {
    all.iter()
        .copied()
        .filter(|s| {
            let v = tree.node(s.value);
            v.kind == NodeKind::Scalar && !v.has_properties && v.start < v.end
        })
        .collect()
}

/// One random structural edit of `tree`'s text.
fn structural_edit(rng: &mut Rng, tree: &Tree) -> Option<Edit> {
    let src = tree.source();
    let all = sites(tree);
    if all.is_empty() {
        return None;
    }
    let nl = tree.line_ending();
    let s = *rng.pick(&all);
    let line_break_before = |pos: usize| -> &str {
        if pos > 0 && src.as_bytes()[pos - 1] != b'\n' {
            nl
        } else {
            ""
        }
    };
    match rng.below(7) {
        // Change a value.
        0 | 1 => {
            let vs = value_sites(tree, &all);
            let s = *rng.pick(&vs.is_empty().then_some(vec![s]).unwrap_or(vs));
            let v = tree.node(s.value);
            if v.kind != NodeKind::Scalar || v.has_properties {
                return None;
            }
            let (start, end) = (v.start as usize, v.end as usize);
            let text = if start == end {
                format!(" {}", fresh(rng, "v"))
            } else {
                fresh(rng, "v")
            };
            Some(Edit { start, end, text })
        }
        // Delete an entry with its comments.
        2 => Some(Edit {
            start: s.lead,
            end: s.end,
            text: String::new(),
        }),
        // Add an entry after this one, at its indentation.
        3 if s.own_line => {
            let pad = " ".repeat(s.col);
            let body = match s.key {
                Some(_) => format!("{}: {}", fresh(rng, "k"), fresh(rng, "v")),
                None => format!("- {}", fresh(rng, "v")),
            };
            Some(Edit {
                start: s.end,
                end: s.end,
                text: format!("{}{pad}{body}{nl}", line_break_before(s.end)),
            })
        }
        // A comment line above the entry.
        4 if s.own_line => {
            let ls = s.start - s.col.min(s.start);
            if !src.as_bytes()[ls..s.start].iter().all(|&b| b == b' ') {
                return None;
            }
            Some(Edit {
                start: ls,
                end: ls,
                text: format!("{}# {}{nl}", " ".repeat(s.col), fresh(rng, "note")),
            })
        }
        // Rename a key.
        5 => {
            let k = tree.node(s.key?);
            if k.kind != NodeKind::Scalar || k.has_properties || k.start == k.end {
                return None;
            }
            Some(Edit {
                start: k.start as usize,
                end: k.end as usize,
                text: fresh(rng, "k"),
            })
        }
        // Swap the entry with the next sibling (whole lines only).
        _ => {
            let next = all.iter().find(|t| t.lead == s.end && t.col == s.col)?;
            let whole = |x: &Site| {
                x.own_line
                    && (x.lead == 0 || src.as_bytes()[x.lead - 1] == b'\n')
                    && src.as_bytes()[x.end - 1] == b'\n'
            };
            if !whole(&s) || !whole(next) {
                return None;
            }
            Some(Edit {
                start: s.lead,
                end: next.end,
                text: format!("{}{}", &src[next.lead..next.end], &src[s.lead..s.end]),
            })
        }
    }
}

/// A few structural edits of a valid document; `None` when the result does
/// not parse.
fn edited(rng: &mut Rng, base: &str) -> Option<String> {
    let mut text = base.to_string();
    for _ in 0..1 + rng.below(3) {
        let tree = syntax::parse("x", text.as_bytes()).ok()?;
        let e = structural_edit(rng, &tree)?;
        text = apply(&text, &[e]);
    }
    Some(text)
}

fn data_of(text: &str) -> Option<String> {
    data_with(text, false)
}

/// The data of a stream in canonical text; with `unordered`, list items
/// sorted too.
fn data_with(text: &str, unordered: bool) -> Option<String> {
    use saphyr::LoadableYamlNode;
    let docs = saphyr::Yaml::load_from_str(text).ok()?;
    let canon = |y: &saphyr::Yaml| canon(y, unordered);
    Some(docs.iter().map(canon).collect::<Vec<_>>().join("\n---\n"))
}

fn canon(y: &saphyr::Yaml, unordered: bool) -> String {
    let canon = |y: &saphyr::Yaml| canon(y, unordered);
    use saphyr::{Scalar, Yaml};
    match y {
        Yaml::Value(Scalar::Null) => "null".into(),
        Yaml::Value(Scalar::Boolean(b)) => b.to_string(),
        Yaml::Value(Scalar::Integer(i)) => i.to_string(),
        Yaml::Value(Scalar::FloatingPoint(f)) => format!("{:?}", f.into_inner()),
        Yaml::Value(Scalar::String(s)) => format!("{s:?}"),
        Yaml::Representation(s, _, _) => format!("{s:?}"),
        Yaml::Sequence(items) => {
            let mut items: Vec<String> = items.iter().map(canon).collect();
            if unordered {
                items.sort();
            }
            format!("[{}]", items.join(", "))
        }
        Yaml::Mapping(m) => {
            let mut entries: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", canon(k), canon(v)))
                .collect();
            entries.sort();
            format!("{{{}}}", entries.join(", "))
        }
        Yaml::Tagged(tag, inner) => format!("!{}{} {}", tag.handle, tag.suffix, canon(inner)),
        Yaml::Alias(n) => format!("*{n}"),
        Yaml::BadValue => "<bad>".into(),
    }
}

fn target_laws(case: &Case, corpus: &mut Corpus, rng: &mut Rng) -> Verdict {
    let Ok(base) = std::str::from_utf8(case.bytes(0)) else {
        return Verdict::Fine(vec![SKIPPED]);
    };
    let opts = options_of(&case.options);
    let Some(x) = edited(rng, base) else {
        return Verdict::Fine(vec![SKIPPED]);
    };
    if !mergeable(x.as_bytes()) {
        return Verdict::Fine(vec![SKIPPED]);
    }
    corpus.add_valid(rng, x.as_bytes().to_vec());
    let (b, xb) = (base.as_bytes(), x.as_bytes());
    let laws = [
        ("merge(b, b, x)", b, xb),
        ("merge(b, x, b)", xb, b),
        ("merge(b, x, x)", xb, xb),
    ];
    for (name, c, i) in laws {
        let found = || {
            vec![
                (
                    "current".to_string(),
                    String::from_utf8_lossy(c).into_owned(),
                ),
                (
                    "incoming".to_string(),
                    String::from_utf8_lossy(i).into_owned(),
                ),
            ]
        };
        match merge3(b, c, i, &opts) {
            Ok(m) if m.text.as_bytes() == xb && m.conflicts.is_empty() => {}
            Ok(m) => {
                return Verdict::Broken(format!("{name} != x\n--- result\n{}", m.text), found());
            }
            Err(e) => return Verdict::Broken(format!("{name} failed: {e}"), found()),
        }
    }
    let mut bumps = vec![VALID];
    // Two edits of disjoint values merge into exactly their union.
    if let Ok(tree) = syntax::parse("b", b) {
        let vs = value_sites(&tree, &sites(&tree));
        if vs.len() >= 2 {
            let (p, mut q) = (rng.below(vs.len()), rng.below(vs.len()));
            if p == q {
                q = (q + 1) % vs.len();
            }
            let edit = |rng: &mut Rng, s: &Site| {
                let v = tree.node(s.value);
                Edit {
                    start: v.start as usize,
                    end: v.end as usize,
                    text: fresh(rng, "u"),
                }
            };
            let (ec, ei) = (edit(rng, &vs[p]), edit(rng, &vs[q]));
            let (c, i) = (
                apply(base, std::slice::from_ref(&ec)),
                apply(base, std::slice::from_ref(&ei)),
            );
            let both = apply(base, &[ec, ei]);
            if mergeable(c.as_bytes()) && mergeable(i.as_bytes()) && mergeable(both.as_bytes()) {
                match law_union(b, &c, &i, &both) {
                    Ok(more) => bumps.extend(more),
                    Err(why) => {
                        let give_up = why.contains("please report");
                        let found = vec![
                            ("current".into(), c),
                            ("incoming".into(), i),
                            ("expected".into(), both),
                        ];
                        return if give_up {
                            Verdict::GaveUp(why, found)
                        } else {
                            Verdict::Broken(why, found)
                        };
                    }
                }
            }
        }
    }
    // Any two edits: a clean result re-parses, and both layouts agree.
    if let (Some(c), Some(i)) = (edited(rng, base), edited(rng, base))
        && mergeable(c.as_bytes())
        && mergeable(i.as_bytes())
    {
        match law_layouts(b, &c, &i, &opts) {
            Ok(more) => bumps.extend(more),
            Err(why) => {
                let found = vec![("current".into(), c), ("incoming".into(), i)];
                return if why.contains("please report") {
                    Verdict::GaveUp(why, found)
                } else {
                    Verdict::Broken(why, found)
                };
            }
        }
    }
    Verdict::Fine(bumps)
}

fn law_union(b: &[u8], c: &str, i: &str, both: &str) -> Result<Vec<usize>, String> {
    let mut bumps = Vec::new();
    for layout in [Side::Incoming, Side::Current] {
        let opts = MergeOptions {
            layout,
            ..MergeOptions::default()
        };
        let m = merge3(b, c.as_bytes(), i.as_bytes(), &opts)
            .map_err(|e| format!("union of disjoint value edits: merge failed: {e}"))?;
        if let Some(why) = fell_back(&m) {
            return Err(format!("union of disjoint value edits: {why}"));
        }
        if !m.conflicts.is_empty() {
            bumps.push(CONFLICTED);
            continue;
        }
        bumps.push(CLEAN);
        if let Err(e) = syntax::parse("merged", m.text.as_bytes()) {
            return Err(format!(
                "union of disjoint value edits: a clean result does not re-parse: {e}\n--- result\n{}",
                m.text
            ));
        }
        if let (Some(got), Some(want)) = (data_of(&m.text), data_of(both))
            && got != want
        {
            return Err(format!(
                "union of disjoint value edits ({layout:?} layout): data differs from expected\n--- result\n{}",
                m.text
            ));
        }
    }
    Ok(bumps)
}

fn law_layouts(b: &[u8], c: &str, i: &str, opts: &MergeOptions) -> Result<Vec<usize>, String> {
    let run = |layout| {
        let o = MergeOptions {
            layout,
            ..opts.clone()
        };
        merge3(b, c.as_bytes(), i.as_bytes(), &o)
    };
    let (mi, mc) = match (run(Side::Incoming), run(Side::Current)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            // Both sides are valid on their own (a key they repeat is merged
            // by occurrence): nothing may stop the merge.
            return Err(format!("merge of two edits failed: {e}"));
        }
    };
    let mut bumps = Vec::new();
    for (m, layout) in [(&mi, Side::Incoming), (&mc, Side::Current)] {
        let o = MergeOptions {
            layout,
            ..opts.clone()
        };
        bumps.extend(shortcut_agrees(b, c.as_bytes(), i.as_bytes(), &o, m)?);
    }
    for m in [&mi, &mc] {
        if let Some(why) = fell_back(m) {
            return Err(format!("merge of two edits: {why}"));
        }
        if m.conflicts.is_empty()
            && let Err(e) = syntax::parse("merged", m.text.as_bytes())
        {
            return Err(format!(
                "a clean result does not re-parse: {e}\n--- result\n{}",
                m.text
            ));
        }
    }
    if mi.conflicts.len() != mc.conflicts.len() {
        return Err(format!(
            "the layouts disagree on conflicts: {} with incoming's, {} with current's\n--- incoming layout\n{}\n--- current layout\n{}",
            mi.conflicts.len(),
            mc.conflicts.len(),
            mi.text,
            mc.text
        ));
    }
    if !mi.conflicts.is_empty() {
        bumps.push(CONFLICTED);
        return Ok(bumps);
    }
    if let (Some(a), Some(b)) = (data_of(&mi.text), data_of(&mc.text))
        && a != b
    {
        // Both sides added the same list item at different places: each
        // layout keeps its own order. Or both gave an anchor the same name
        // (an alias then means the last one in the layout's order), or tags
        // meet empty keys. Known limits: counted, not crashes.
        let props = |t: &str| t.contains('&') || t.contains(" !") || t.contains("\n!");
        if data_with(&mi.text, true) == data_with(&mc.text, true) || props(c) && props(i) {
            bumps.extend([CLEAN, REORDERED]);
            return Ok(bumps);
        }
        return Err(format!(
            "the layouts give different data\n--- incoming layout\n{}\n--- current layout\n{}",
            mi.text, mc.text
        ));
    }
    bumps.push(CLEAN);
    Ok(bumps)
}
