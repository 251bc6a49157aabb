//! `yamerge lsp` inside a real editor: headless Neovim with its own LSP
//! client (`tests/lsp_neovim/resolve.lua`) opens a conflicted file, takes
//! incoming's side of one conflict and merges the rest structurally through
//! its code action menu, and writes the file; the saved bytes are checked
//! here. Neovim 0.7 (Debian bookworm's, which `.ci/run` installs) is enough.
//!
//! Without `nvim` the tests print that they skipped; under `CI=true` they
//! fail instead.

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::Scratch;

/// Two conflicts: a real one (both changed `podCIDR`), and one that git's
/// line merge made of changes to different keys, which structure resolves.
const CONFLICTED: &str = "# cluster values: café ☕\n\
kubeadmconfig:\n\
<<<<<<< current\n  podCIDR: 10.10.0.0/16 # mine 😀\n\
||||||| base\n  podCIDR: 192.168.0.0/16\n\
=======\n  podCIDR: 172.16.0.0/16\n\
>>>>>>> incoming\n\
server:\n\
<<<<<<< current\n  port: 8443\n  host: example.com\n\
||||||| base\n  port: 443\n  host: example.com\n\
=======\n  port: 443\n  host: example.net\n\
>>>>>>> incoming\n";

const RESOLVED: &str = "# cluster values: café ☕\n\
kubeadmconfig:\n  podCIDR: 172.16.0.0/16\n\
server:\n  port: 8443\n  host: example.net\n";

/// How long Neovim may take for the whole script.
const PATIENCE: Duration = Duration::from_secs(60);

/// Whether `nvim` runs; prints why not (or fails under `CI=true`).
fn have_nvim() -> bool {
    let version = Command::new("nvim").arg("--version").output();
    let ok = version.as_ref().is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "nvim is not installed; CI must not skip the Neovim test (.ci/run installs it)"
        );
        eprintln!("skipped: nvim is not installed (apt-get install neovim)");
    }
    ok
}

/// Runs the script on `text` in a scratch folder; returns the saved file.
fn resolve_in_neovim(tag: &str, text: &str) -> Vec<u8> {
    let scratch = Scratch::new(tag);
    let file = scratch.write("values.yaml", text);
    let log = scratch.path("nvim.log");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/lsp_neovim/resolve.lua");
    let mut nvim = Command::new("nvim");
    nvim.args(["--headless", "--clean", "-n", "-c"])
        .arg(format!("luafile {script}"))
        .current_dir(&scratch.dir)
        .env("YAMERGE_BIN", env!("CARGO_BIN_EXE_yamerge"))
        .env("YAMERGE_NVIM_FILE", &file)
        .env("YAMERGE_NVIM_LOG", &log)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // Neovim's own state and its LSP log stay in the scratch folder.
    for var in [
        "HOME",
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_STATE_HOME",
        "XDG_CACHE_HOME",
    ] {
        nvim.env(var, scratch.path("home"));
    }
    let mut child = nvim.spawn().expect("start nvim");
    let until = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for nvim") {
            break Some(status);
        }
        if Instant::now() > until {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let said = std::fs::read_to_string(&log).unwrap_or_default();
    eprintln!("{said}");
    match status {
        Some(s) if s.success() => {}
        Some(s) => panic!("nvim failed ({s}):\n{said}"),
        None => panic!("nvim did not finish within {PATIENCE:?}:\n{said}"),
    }
    scratch.read("values.yaml")
}

#[test]
fn neovim_takes_incoming_and_merges_structurally() {
    if !have_nvim() {
        return;
    }
    let saved = resolve_in_neovim("nvim-lf", CONFLICTED);
    support::assert_same("saved file", &saved, RESOLVED.as_bytes());
}

#[test]
fn neovim_keeps_crlf_line_ends() {
    if !have_nvim() {
        return;
    }
    let saved = resolve_in_neovim("nvim-crlf", &CONFLICTED.replace('\n', "\r\n"));
    support::assert_same(
        "saved file",
        &saved,
        RESOLVED.replace('\n', "\r\n").as_bytes(),
    );
}
