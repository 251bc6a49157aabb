//! yamerge against `git merge-file`, whole process against whole process, on
//! the same generated triples in the same run: median wall time and median
//! CPU time (user + system) over several runs, their ratios, throughput and
//! yamerge's peak memory, for each size, shape and layout (sections at the
//! top level, or nested under `charts: app:`).
//!
//!     cargo bench --bench compare                  # 1k, 10k, 100k, 1M lines
//!     cargo bench --bench compare -- --sizes 10000,100000 --runs 7
//!     cargo bench --bench compare -- --write DIR 100000   # keep inputs to profile
//!
//! Each command runs under bash's `time` keyword: bash reads the resource
//! usage of the child it waited for (`getrusage`, microseconds, every thread
//! of the child counted, nothing of the bench itself), so CPU time is what
//! the whole process used, on any number of threads. The two tools take
//! turns, run by run, so that a busy machine slows both alike; below 20,000
//! lines each run repeats the command (20 times at 1,000 lines) and counts
//! the average, as bash's report has millisecond resolution. Peak memory is
//! measured by running the same merge in a fresh process of this program
//! (`--peak-memory B C I`), which reads its own `VmHWM`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{Layout, Shape, Triple, generate, manifest_triple, sparse};

const YAMERGE: &str = env!("CARGO_BIN_EXE_yamerge");

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--peak-memory") {
        peak_memory_child(&args[1..]);
        return;
    }
    if let [flag, dir, lines, ..] = args.as_slice()
        && flag == "--write"
    {
        // Writes the triples of one size for profiling, then stops.
        let lines: usize = lines.parse().expect("--write DIR LINES");
        for layout in Layout::ALL {
            for shape in Shape::ALL {
                let sub = Path::new(dir).join(format!("{}-{}", layout.name(), shape.name()));
                std::fs::create_dir_all(&sub).expect("create dir");
                write_triple(&sub, &generate(lines, shape, layout));
            }
        }
        return;
    }
    let mut sizes = vec![1_000, 10_000, 100_000, 1_000_000];
    let mut runs = 5;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--sizes" => {
                sizes = it
                    .next()
                    .map(|s| s.split(',').filter_map(|n| n.parse().ok()).collect())
                    .unwrap_or(sizes);
            }
            "--runs" => runs = it.next().and_then(|n| n.parse().ok()).unwrap_or(runs),
            _ => {}
        }
    }
    let dir = std::env::temp_dir().join(format!("yamerge-compare-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    println!("{}; load average {}", machine(), load_average());
    println!("medians of {runs} runs; ratios are yamerge / git merge-file -p\n");
    println!(
        "{:>9} {:>9} {:>12} {:>9} | {:>9} {:>9} {:>6} | {:>9} {:>9} {:>6} | {:>7} {:>8} {:>7}",
        "lines",
        "layout",
        "shape",
        "input MiB",
        "wall ms",
        "git",
        "ratio",
        "cpu ms",
        "git",
        "ratio",
        "MiB/s",
        "peak MiB",
        "peak/in"
    );
    let mut points: Vec<(Layout, Shape, usize, Times)> = Vec::new();
    for &lines in &sizes {
        for layout in Layout::ALL {
            for shape in Shape::ALL {
                let t = generate(lines, shape, layout);
                let files = write_triple(&dir, &t);
                let mib = t.total_len() as f64 / (1024.0 * 1024.0);
                let times = compare(&files, runs, repeats(lines));
                let peak = peak_memory(&files) / 1024.0;
                println!(
                    "{lines:>9} {:>9} {:>12} {mib:>9.2} | {} | {:>7.1} {peak:>8.1} {:>7.2}",
                    layout.name(),
                    shape.name(),
                    times.columns(),
                    mib / times.ours.wall.as_secs_f64(),
                    peak / mib,
                );
                points.push((layout, shape, lines, times));
            }
        }
    }
    println!("\nscaling (yamerge's wall and cpu time for each 10x in size; linear is 10):");
    for layout in Layout::ALL {
        for shape in Shape::ALL {
            let mine: Vec<_> = points
                .iter()
                .filter(|p| p.0 == layout && p.1 == shape)
                .collect();
            let steps: Vec<String> = mine
                .windows(2)
                .map(|w| {
                    let (a, b) = (&w[0].3.ours, &w[1].3.ours);
                    format!(
                        "{}→{}: {:.1}x / {:.1}x",
                        w[0].2,
                        w[1].2,
                        b.wall.as_secs_f64() / a.wall.as_secs_f64(),
                        b.cpu.as_secs_f64() / a.cpu.as_secs_f64()
                    )
                })
                .collect();
            println!(
                "  {:>9} {:>12}  {}",
                layout.name(),
                shape.name(),
                steps.join("  ")
            );
        }
    }
    println!();
    for &lines in &sizes {
        let files = write_triple(&dir, &manifest_triple(lines));
        println!(
            "Kubernetes manifest stream, {lines} lines, 2 % of documents edited: {}",
            compare(&files, runs, repeats(lines)).summary()
        );
    }
    let files = write_triple(&dir, &sparse(20_000, 10, 20));
    println!(
        "20k lines, 10 conflicting + 20 clean edits: {}",
        compare(&files, runs, 1).summary()
    );
    println!("\nload average {}", load_average());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Wall and CPU time of one run, or medians of several.
#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    cpu: Duration,
}

/// Medians for yamerge and for git.
struct Times {
    ours: Sample,
    git: Sample,
}

impl Times {
    fn columns(&self) -> String {
        let (o, g) = (self.ours, self.git);
        format!(
            "{:>9.1} {:>9.1} {:>6.2} | {:>9.1} {:>9.1} {:>6.2}",
            ms(o.wall),
            ms(g.wall),
            ratio(o.wall, g.wall),
            ms(o.cpu),
            ms(g.cpu),
            ratio(o.cpu, g.cpu)
        )
    }

    fn summary(&self) -> String {
        let (o, g) = (self.ours, self.git);
        format!(
            "yamerge {:.1} ms (cpu {:.1}), git merge-file {:.1} ms (cpu {:.1}): \
             ratio {:.2} wall, {:.2} cpu",
            ms(o.wall),
            ms(o.cpu),
            ms(g.wall),
            ms(g.cpu),
            ratio(o.wall, g.wall),
            ratio(o.cpu, g.cpu)
        )
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

/// How many times one run repeats the command for inputs of `lines`
/// lines: enough for tens of milliseconds.
fn repeats(lines: usize) -> usize {
    (20_000 / lines.max(1)).clamp(1, 20)
}

/// Runs both tools `runs` times each (each run `repeat` times the command),
/// taking turns and changing who goes first, and takes the medians.
fn compare(files: &[PathBuf; 3], runs: usize, repeat: usize) -> Times {
    let (mut ours, mut git) = (Vec::new(), Vec::new());
    for k in 0..runs.max(1) {
        if k % 2 == 0 {
            ours.push(run_yamerge(files, repeat));
            git.push(run_git(files, repeat));
        } else {
            git.push(run_git(files, repeat));
            ours.push(run_yamerge(files, repeat));
        }
    }
    Times {
        ours: median(&ours),
        git: median(&git),
    }
}

fn median(samples: &[Sample]) -> Sample {
    let mid = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    Sample {
        wall: mid(samples.iter().map(|s| s.wall).collect()),
        cpu: mid(samples.iter().map(|s| s.cpu).collect()),
    }
}

fn write_triple(dir: &Path, t: &Triple) -> [PathBuf; 3] {
    let files = ["base.yaml", "current.yaml", "incoming.yaml"].map(|n| dir.join(n));
    for (path, text) in files.iter().zip([&t.base, &t.current, &t.incoming]) {
        std::fs::write(path, text).expect("write input");
    }
    files
}

/// Runs a command `repeat` times (output discarded) under bash's `time`:
/// the average wall time and user + system time of the process and all its
/// threads.
fn timed(program: &str, args: &[&Path], repeat: usize) -> Sample {
    // Stops at a status above 127 (a signal): 0 is clean, others count
    // conflicts.
    let script = "TIMEFORMAT='%3R %3U %3S'; n=$1; shift; time { \
                  for ((k = 0; k < n; k++)); do \"$@\" >/dev/null 2>&1; s=$?; \
                  if ((s > 127)); then exit $s; fi; done; }";
    let out = Command::new("bash")
        .args(["-c", script, "bash", &repeat.to_string(), program])
        .args(args)
        .output()
        .expect("run bash");
    assert!(out.status.success(), "{program} {args:?}: {}", out.status);
    let report = String::from_utf8_lossy(&out.stderr);
    let secs: Vec<f64> = report
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .map(|s| s.parse().expect("bash's time report"))
        .collect();
    let [real, user, sys] = secs[..] else {
        panic!("unexpected time report: {report}");
    };
    let n = repeat as f64;
    Sample {
        wall: Duration::from_secs_f64(real / n),
        cpu: Duration::from_secs_f64((user + sys) / n),
    }
}

/// `yamerge merge-file -p CURRENT BASE OTHER`, as git would call it.
fn run_yamerge([b, c, i]: &[PathBuf; 3], repeat: usize) -> Sample {
    let merge_file = Path::new("merge-file");
    let (p, q) = (Path::new("-p"), Path::new("-q"));
    timed(YAMERGE, &[merge_file, p, q, c, b, i], repeat)
}

fn run_git([b, c, i]: &[PathBuf; 3], repeat: usize) -> Sample {
    timed(
        "git",
        &[Path::new("merge-file"), Path::new("-p"), c, b, i],
        repeat,
    )
}

/// The processor and how many of them the system has.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map_or("unknown processor", |m| {
            m.trim_start_matches([' ', '\t', ':'])
        });
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cores} cores ({model})")
}

/// The 1, 5 and 15 minute load averages.
fn load_average() -> String {
    let l = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

/// Peak resident memory (KiB) of a fresh process doing the merge.
fn peak_memory(files: &[PathBuf; 3]) -> f64 {
    let out = Command::new(std::env::current_exe().expect("own path"))
        .arg("--peak-memory")
        .args(files)
        .output()
        .expect("run memory probe");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(f64::NAN)
}

fn peak_memory_child(files: &[String]) {
    let read = |p: &String| std::fs::read(p).expect("read input");
    let (b, c, i) = (read(&files[0]), read(&files[1]), read(&files[2]));
    let opts = yamerge::MergeOptions {
        layout: yamerge::Side::Current,
        ..yamerge::MergeOptions::default()
    };
    let m = yamerge::merge(
        yamerge::Input::new("base", &b),
        yamerge::Input::new("current", &c),
        yamerge::Input::new("incoming", &i),
        &opts,
    )
    .expect("valid inputs");
    std::hint::black_box(m.text.len());
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(f64::NAN);
    println!("{hwm}");
}
