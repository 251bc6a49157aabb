//! yamerge against `git merge-file`, whole process against whole process, on
//! the same generated triples in the same run: median wall time over several
//! runs, their ratio, throughput and yamerge's peak memory.
//!
//!     cargo bench --bench compare                  # 1k, 10k, 100k, 1M lines
//!     cargo bench --bench compare -- --sizes 10000,100000 --runs 7
//!     cargo bench --bench compare -- --write DIR 100000   # keep inputs to profile
//!
//! Peak memory is measured by running the same merge in a fresh process of
//! this program (`--peak-memory B C I`), which reads its own `VmHWM`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Shape, Triple, generate, manifest_triple, sparse};

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
        for shape in Shape::ALL {
            let sub = Path::new(dir).join(shape.name());
            std::fs::create_dir_all(&sub).expect("create dir");
            write_triple(&sub, &generate(lines, shape));
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
    println!(
        "{:>9} {:>13} {:>9} {:>11} {:>11} {:>7} {:>9} {:>10} {:>9}",
        "lines",
        "shape",
        "input MiB",
        "yamerge ms",
        "git ms",
        "ratio",
        "MiB/s",
        "peak MiB",
        "peak/in"
    );
    let mut by_shape: Vec<(Shape, usize, Duration)> = Vec::new();
    for &lines in &sizes {
        for shape in Shape::ALL {
            let t = generate(lines, shape);
            let files = write_triple(&dir, &t);
            let n = if lines >= 1_000_000 {
                runs.min(3)
            } else {
                runs
            };
            let ours = median(n, || run_yamerge(&files));
            let git = median(n, || run_git(&files));
            let mib = t.total_len() as f64 / (1024.0 * 1024.0);
            let peak = peak_memory(&files);
            println!(
                "{lines:>9} {:>13} {mib:>9.2} {:>11.1} {:>11.1} {:>7.2} {:>9.1} {:>10.1} {:>9.2}",
                shape.name(),
                ms(ours),
                ms(git),
                ours.as_secs_f64() / git.as_secs_f64(),
                mib / ours.as_secs_f64(),
                peak / 1024.0,
                peak / 1024.0 / mib,
            );
            by_shape.push((shape, lines, ours));
        }
    }
    println!("\nscaling (time ratio for each 10x in size; linear is 10):");
    for shape in Shape::ALL {
        let points: Vec<_> = by_shape.iter().filter(|p| p.0 == shape).collect();
        let steps: Vec<String> = points
            .windows(2)
            .map(|w| {
                format!(
                    "{}→{}: {:.1}x",
                    w[0].1,
                    w[1].1,
                    w[1].2.as_secs_f64() / w[0].2.as_secs_f64()
                )
            })
            .collect();
        println!("  {:>13}  {}", shape.name(), steps.join("  "));
    }
    for &lines in &sizes {
        let t = manifest_triple(lines);
        let files = write_triple(&dir, &t);
        let ours = median(runs, || run_yamerge(&files));
        let git = median(runs, || run_git(&files));
        println!(
            "Kubernetes manifest stream, {lines} lines, 2 % of documents edited: \
             yamerge {:.1} ms, git merge-file {:.1} ms, ratio {:.2}",
            ms(ours),
            ms(git),
            ours.as_secs_f64() / git.as_secs_f64()
        );
    }
    let t = sparse(20_000, 10, 20);
    let files = write_triple(&dir, &t);
    let ours = median(runs, || run_yamerge(&files));
    let git = median(runs, || run_git(&files));
    println!(
        "\n20k lines, 10 conflicting + 20 clean edits: yamerge {:.1} ms, git merge-file {:.1} ms",
        ms(ours),
        ms(git)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn write_triple(dir: &Path, t: &Triple) -> [PathBuf; 3] {
    let files = ["base.yaml", "current.yaml", "incoming.yaml"].map(|n| dir.join(n));
    for (path, text) in files.iter().zip([&t.base, &t.current, &t.incoming]) {
        std::fs::write(path, text).expect("write input");
    }
    files
}

fn median(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..runs.max(1)).map(|_| f()).collect();
    times.sort();
    times[times.len() / 2]
}

fn timed(cmd: &mut Command) -> Duration {
    let start = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run merge process");
    let elapsed = start.elapsed();
    // 0 clean, otherwise the number of conflicts (capped): never a crash.
    assert!(
        status.code().is_some_and(|c| (0..=127).contains(&c)),
        "{cmd:?}: {status}"
    );
    elapsed
}

/// `yamerge merge-file -p CURRENT BASE OTHER`, as git would call it.
fn run_yamerge([b, c, i]: &[PathBuf; 3]) -> Duration {
    timed(
        Command::new(YAMERGE)
            .args(["merge-file", "-p", "-q"])
            .args([c, b, i]),
    )
}

fn run_git([b, c, i]: &[PathBuf; 3]) -> Duration {
    timed(
        Command::new("git")
            .args(["merge-file", "-p"])
            .args([c, b, i]),
    )
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
