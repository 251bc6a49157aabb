//! Shared by the snapshot tests (`tests/snapshot_*.rs`): runs the real
//! `yamerge` binary and turns what a user sees (exit status, standard output,
//! standard error) into one deterministic text for `insta`.
//!
//! Commands run in the repository root (shipped files, relative paths) or in
//! a scratch folder of the test's own files, so that no absolute path of the
//! machine reaches a message or a snapshot. The environment is cleared: no
//! colour forced from outside, C locale for OS error texts, and a fixed
//! terminal width should clap ever be built with help wrapping.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common::visible;

/// The repository root, where commands on shipped files run.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `testdata/cases/<name>` of the repository.
pub fn case_dir(name: &str) -> PathBuf {
    repo().join("testdata/cases").join(name)
}

/// A fresh folder `<target>/tmp/snapshots/<name>` holding exactly `files`
/// (name, bytes). `name` must be unique per test (the test's name).
pub fn scratch(name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("snapshots")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the scratch folder");
    for (file, bytes) in files {
        std::fs::write(dir.join(file), bytes).expect("write a scratch file");
    }
    dir
}

/// What one run of the binary showed.
pub struct Run {
    /// Where it ran, as written in the snapshot's description.
    pub place: String,
    pub args: Vec<String>,
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Runs `yamerge ARGS` in `dir` with no standard input.
pub fn yamerge(dir: &Path, args: &[&str]) -> Run {
    yamerge_stdin(dir, args, None)
}

/// Runs `yamerge ARGS` in `dir`, feeding `stdin` (if any) to it.
pub fn yamerge_stdin(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_yamerge"));
    cmd.args(args)
        .current_dir(dir)
        .env_clear()
        .env("LC_ALL", "C")
        .env("COLUMNS", "100")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start yamerge");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        pipe.write_all(bytes).expect("write stdin");
    }
    let out = child.wait_with_output().expect("wait for yamerge");
    Run {
        place: place_of(dir),
        args: args.iter().map(|a| a.to_string()).collect(),
        code: out.status.code(),
        stdout: out.stdout,
        stderr: out.stderr,
    }
}

/// A machine-independent name for `dir`: its path in the repository, or
/// `<scratch>` for a test's own folder.
fn place_of(dir: &Path) -> String {
    let real = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let dir = real(dir);
    if dir.starts_with(real(Path::new(env!("CARGO_TARGET_TMPDIR")))) {
        return "<scratch>".into();
    }
    match dir.strip_prefix(real(&repo())) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".into(),
        Ok(rel) => rel.display().to_string(),
        Err(_) => panic!("run yamerge in the repository or a scratch folder"),
    }
}

impl Run {
    /// The command line, for the snapshot's description.
    pub fn command(&self) -> String {
        format!("(in {}) yamerge {}", self.place, self.args.join(" "))
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    fn exit_line(&self) -> String {
        match self.code {
            Some(code) => format!("exit: {code}\n"),
            None => "exit: killed by a signal\n".into(),
        }
    }

    /// Exit status, standard output and standard error as text.
    pub fn transcript(&self) -> String {
        self.exit_line() + &section("stdout", &self.stdout()) + &section("stderr", &self.stderr())
    }

    /// Like [`Run::transcript`], with standard output (a merged YAML file)
    /// through [`visible`]: trailing blanks, CRs and the end are shown.
    pub fn transcript_visible(&self) -> String {
        let stdout = if self.stdout.is_empty() {
            String::new()
        } else {
            visible(&self.stdout()) + "\n"
        };
        self.exit_line() + &section("stdout", &stdout) + &section("stderr", &self.stderr())
    }

    /// Exit status and the JSON report on standard error, laid out by
    /// [`json_layout`], after checking that it is one line of valid JSON.
    /// Standard output is left out (the caller pins it elsewhere).
    pub fn report(&self) -> String {
        self.exit_line()
            + "--- report (stderr, one member per line)\n"
            + &checked_report(&self.stderr())
    }

    /// Exit status, standard output through [`visible`] and the JSON report.
    pub fn transcript_with_report(&self) -> String {
        let stdout = visible(&self.stdout()) + "\n";
        self.exit_line()
            + &section("stdout", &stdout)
            + "--- report (stderr, one member per line)\n"
            + &checked_report(&self.stderr())
    }
}

/// `--- name` and the text, or `--- name: (empty)`. A text without a final
/// newline gets a `[no final newline]` line, so that it shows in a snapshot.
fn section(name: &str, text: &str) -> String {
    if text.is_empty() {
        return format!("--- {name}: (empty)\n");
    }
    let mut out = format!("--- {name}\n{text}");
    if !text.ends_with('\n') {
        out.push_str("\n[no final newline]\n");
    }
    out
}

/// The report must be exactly one line of valid JSON.
fn checked_report(stderr: &str) -> String {
    let line = stderr
        .strip_suffix('\n')
        .unwrap_or_else(|| panic!("report does not end with a newline: {stderr:?}"));
    assert!(!line.contains('\n'), "report is not one line: {stderr}");
    serde_json::from_str::<serde_json::Value>(line)
        .unwrap_or_else(|e| panic!("report is not JSON ({e}): {line}"));
    let laid = json_layout(line);
    let back: String = laid.lines().map(|l| l.trim_start_matches(' ')).collect();
    assert_eq!(back, line, "the layout changed the report");
    laid + "\n"
}

/// Lays out compact JSON one member per line without changing a byte of it:
/// only newlines and indentation are added outside strings, so removing them
/// gives the input back. A container that holds another container is broken
/// open; a flat one (`{"path":"a","kind":"added"}`, `[]`) stays on one line.
pub fn json_layout(json: &str) -> String {
    let bytes = json.as_bytes();
    let syntax: Vec<(usize, u8)> = outside_strings(bytes);
    // Pass 1: the opening brackets that hold a nested container.
    let mut open: Vec<(usize, bool)> = Vec::new();
    let mut broken = std::collections::HashSet::new();
    for &(i, b) in &syntax {
        match b {
            b'{' | b'[' => {
                if let Some(top) = open.last_mut() {
                    top.1 = true;
                }
                open.push((i, false));
            }
            b'}' | b']' => match open.pop() {
                Some((at, true)) => {
                    broken.insert(at);
                }
                Some(_) => {}
                None => panic!("unbalanced JSON: {json}"),
            },
            _ => {}
        }
    }
    // Pass 2: copy, breaking lines inside the broken containers.
    let mut out = String::with_capacity(json.len() * 2);
    let mut stack: Vec<bool> = Vec::new();
    let newline = |out: &mut String, stack: &[bool]| {
        out.push('\n');
        let depth = stack.iter().filter(|b| **b).count();
        out.push_str(&"  ".repeat(depth));
    };
    let mut from = 0;
    for &(i, b) in &syntax {
        let breaks_before = matches!(b, b'}' | b']');
        let breaks_after = matches!(b, b'{' | b'[' | b',');
        out.push_str(&json[from..i]);
        from = i + 1;
        if breaks_before && stack.pop() == Some(true) {
            newline(&mut out, &stack);
        }
        out.push(b as char);
        if matches!(b, b'{' | b'[') {
            stack.push(broken.contains(&i));
        }
        if breaks_after && stack.last() == Some(&true) {
            newline(&mut out, &stack);
        }
    }
    out.push_str(&json[from..]);
    out
}

/// The structural bytes of a JSON text (`{}[],`) with their offsets: those
/// outside strings.
fn outside_strings(bytes: &[u8]) -> Vec<(usize, u8)> {
    let (mut inside, mut escaped) = (false, false);
    let mut out = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        if inside {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                inside = false;
            }
        } else if b == b'"' {
            inside = true;
        } else if matches!(b, b'{' | b'}' | b'[' | b']' | b',') {
            out.push((i, b));
        }
    }
    out
}

/// Snapshots `$text` under the enclosing test's name, with the command line
/// of `$run` as the snapshot's description.
macro_rules! snapshot {
    ($run:expr, $text:expr) => {
        insta::with_settings!({ description => $run.command(), omit_expression => true }, {
            insta::assert_snapshot!($text);
        })
    };
}
pub(crate) use snapshot;
