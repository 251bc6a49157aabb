//! Helpers for the tests that run git and the `yamerge` binary: scratch
//! folders and a git isolated from the user's and the system's settings.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A folder under the system temp dir, unique to this test run, removed
/// when dropped. It holds a `home/` used as `HOME` for git.
pub struct Scratch {
    pub dir: PathBuf,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

impl Scratch {
    pub fn new(tag: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!(
            "yamerge-test-{tag}-{}-{n}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(dir.join("home")).expect("create scratch dir");
        let config = "[user]\n\tname = yamerge tests\n\temail = tests@yamerge.invalid\n\
[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n[core]\n\tautocrlf = false\n";
        std::fs::write(dir.join("home/.gitconfig"), config).expect("write .gitconfig");
        Scratch { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&p, bytes).expect("write file");
        p
    }

    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).expect("read file")
    }

    /// A git command run in `sub` (relative to the scratch folder), with
    /// only the scratch `.gitconfig` in effect.
    pub fn git(&self, sub: &str) -> Command {
        let mut c = Command::new("git");
        c.current_dir(self.dir.join(sub));
        for var in [
            "GIT_DIR",
            "GIT_WORK_TREE",
            "GIT_INDEX_FILE",
            "GIT_CONFIG_GLOBAL",
            "GIT_CONFIG",
            "GIT_CONFIG_PARAMETERS",
            "GIT_CONFIG_COUNT",
        ] {
            c.env_remove(var);
        }
        c.env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.dir.join("home"))
            .env("XDG_CONFIG_HOME", self.dir.join("home"))
            .env("LC_ALL", "C");
        c
    }

    /// Runs git in `sub` and returns its output, failing the test when git
    /// cannot be started (not when it exits non-zero).
    pub fn run_git(&self, sub: &str, args: &[&str]) -> Output {
        self.git(sub)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("git {args:?}: {e}"))
    }

    /// Runs git in `sub` and fails the test unless it succeeds.
    pub fn ok_git(&self, sub: &str, args: &[&str]) -> String {
        let out = self.run_git(sub, args);
        assert!(
            out.status.success(),
            "git {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The yamerge binary under test.
pub fn yamerge() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yamerge"));
    c.env_remove("NO_COLOR");
    c
}

/// Whether git can be run. When it cannot, the caller skips (printing so);
/// under `CI=true` the test fails instead.
pub fn have_git() -> bool {
    let ok = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "git is not installed; CI must not skip the git tests"
        );
        eprintln!("skipped: git is not installed");
    }
    ok
}

/// Runs `git merge-file -p ARGS` in the scratch folder with the scratch config.
pub fn git_merge_file(s: &Scratch, args: &[&str]) -> Output {
    let mut full = vec!["merge-file", "-p"];
    full.extend_from_slice(args);
    s.run_git(".", &full)
}

/// Shows bytes with visible line ends, for failure messages.
pub fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .replace('\r', "␍")
        .replace('\n', "⏎\n")
}

/// Asserts two outputs are byte-identical, showing both when not.
pub fn assert_same(what: &str, got: &[u8], want: &[u8]) {
    assert!(
        got == want,
        "{what}: differs from git\n--- git\n{}\n--- yamerge\n{}",
        show(want),
        show(got)
    );
}

/// A tiny deterministic generator (no test dependency needed).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// Path as `&str` for command arguments.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}
