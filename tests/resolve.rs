//! `yamerge resolve` as a person and a script use it: the real binary in a
//! pseudo-terminal, driven by key presses (the shipped sample made to
//! conflict, as in the README), `e` with a fake `$EDITOR`, quitting,
//! colour and `NO_COLOR`, no terminal at all, `--take` rules, and a real
//! `git mergetool --tool yamerge` run.

mod pty;
mod support;

use std::path::Path;
use std::process::Stdio;

use pty::Pty;
use support::{Scratch, have_git, show};

/// The sample's incoming side, made to conflict with current on both
/// network ranges (the README's way: incoming also changes them).
fn conflicting_incoming() -> String {
    let incoming = std::fs::read_to_string(repo().join("testdata/examples/incoming.yaml"))
        .expect("the shipped sample");
    incoming
        .replace("\"192.168.0.0/16\"", "\"172.16.0.0/16\"")
        .replace("\"10.96.0.0/12\"", "\"10.30.0.0/16\"")
}

fn repo() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A scratch folder with `base.yaml`, `current.yaml`, `incoming.yaml`.
fn sample(tag: &str) -> Scratch {
    let s = Scratch::new(tag);
    for side in ["base", "current"] {
        let text = std::fs::read(repo().join(format!("testdata/examples/{side}.yaml")))
            .expect("the shipped sample");
        s.write(&format!("{side}.yaml"), text);
    }
    s.write("incoming.yaml", conflicting_incoming());
    s
}

/// The sample merged, with incoming's `podCIDR` and current's
/// `serviceClusterIpRange` taken.
const RESOLVED: &str = r#"# spectrocloud.com/enabled-presets: Kube Controller Manager:loopback-ctrlmgr
pack:
  k8sHardening: True
  # Pod network: CIDR range for pods in the cluster
  podCIDR: "172.16.0.0/16"
  # Service network: IP range for service cluster IPs
  serviceClusterIpRange: "10.20.0.0/16"
  # New in this version: extra pack settings
  palette:
    config:
      dashboard:
        access: private

kubeadmconfig:
  apiServer:
    extraArgs:
      # Hardening defaults
      anonymous-auth: "true"
      profiling: "false"
      # our audit policy
      audit-log-maxage: "30"
      secure-port: "6443"
      tls-min-version: "VersionTLS12"
    certSANs:
      - "{{ .spectro.system.cluster.uid }}.{{ .spectro.system.reverseproxy.server }}"
  kubeletExtraArgs:
    read-only-port : "0"
    event-qps: "0"
    rotate-server-certificates: "true"
  preKubeadmCommands:
    - 'echo "====> Applying kernel parameters for Kubelet"'
    - 'sysctl -p /etc/sysctl.d/90-kubelet.conf'
    - 'echo "====> Mounting the data disk"'
"#;

/// The sample merged, conflicts and all, as `yamerge merge` writes it.
fn conflicted(s: &Scratch) -> Vec<u8> {
    let out = support::yamerge()
        .current_dir(&s.dir)
        .args(["merge", "base.yaml", "current.yaml", "incoming.yaml"])
        .output()
        .expect("run yamerge merge");
    assert_eq!(out.status.code(), Some(1), "two conflicts expected");
    out.stdout
}

fn assert_bytes(got: &[u8], want: &[u8]) {
    assert!(got == want, "got:\n{}\nwant:\n{}", show(got), show(want));
}

/// No temporary file of an atomic write or an edit is left behind.
fn no_leftovers(dir: &Path) {
    for entry in std::fs::read_dir(dir).expect("list the folder") {
        let name = entry.expect("an entry").file_name();
        let name = name.to_string_lossy();
        assert!(!name.contains(".tmp"), "left behind: {name}");
    }
}

#[test]
fn keys_resolve_the_sample_in_a_terminal() {
    let s = sample("resolve-keys");
    let args = ["resolve", "base.yaml", "current.yaml", "incoming.yaml"];
    let mut t = Pty::spawn(
        pty::yamerge(&s.dir, &[&args[..], &["-o", "out.yaml"]].concat()),
        100,
        30,
    );
    t.wait_for("conflict 1 of 2 · pack.podCIDR");
    // Every key the help line names is on screen.
    for key in [
        "c  current",
        "i  incoming",
        "b  both",
        "B  both, incoming first",
        "o  base",
    ] {
        assert!(t.screen().contains(key), "{key}: {}", t.screen());
    }
    t.send("n");
    t.wait_for("conflict 2 of 2 · pack.serviceClusterIpRange");
    t.send("p");
    t.wait_for("conflict 1 of 2 · pack.podCIDR");
    t.send("i");
    t.wait_for("conflict 1 of 1 · pack.serviceClusterIpRange");
    t.wait_for("took incoming at pack.podCIDR");
    t.send("c");
    t.wait_for("All conflicts are resolved.");
    t.send("w");
    assert_eq!(t.wait(), 0, "{}", t.screen());
    assert_bytes(&s.read("out.yaml"), RESOLVED.as_bytes());
    no_leftovers(&s.dir);
}

#[test]
fn arrows_undo_and_both_sides_work_on_a_conflicted_file() {
    let s = sample("resolve-arrows");
    s.write("values.yaml", conflicted(&s));
    let mut t = Pty::spawn(pty::yamerge(&s.dir, &["resolve", "values.yaml"]), 100, 30);
    t.wait_for("conflict 1 of 2 · pack.podCIDR");
    t.send("\x1b[C"); // →
    t.wait_for("conflict 2 of 2");
    t.send("\x1b[D"); // ←
    t.wait_for("conflict 1 of 2");
    t.send("b");
    t.wait_for("took both (current first) at pack.podCIDR");
    t.send("u");
    t.wait_for("undone: conflict 1 is back");
    t.send("B");
    t.wait_for("took both (incoming first)");
    t.send("o");
    t.wait_for("All conflicts are resolved.");
    t.send("w");
    assert_eq!(t.wait(), 0, "{}", t.screen());
    let got = String::from_utf8(s.read("values.yaml")).expect("utf-8");
    assert!(
        got.contains("  podCIDR: \"172.16.0.0/16\"\n  podCIDR: \"10.10.0.0/16\"\n"),
        "{got}"
    );
    assert!(
        got.contains("  serviceClusterIpRange: \"10.96.0.0/12\"\n"),
        "{got}"
    );
}

#[test]
fn e_replaces_a_conflict_with_what_the_editor_saved() {
    let s = sample("resolve-edit");
    s.write("values.yaml", conflicted(&s));
    // A fake editor: it checks it was handed the conflict with its
    // markers, and saves one line in its place.
    let editor = s.write(
        "fake-editor",
        "#!/bin/sh\ngrep -q '^<<<<<<< current' \"$1\" || exit 3\n\
         printf '  podCIDR: \"10.99.0.0/16\"\\n' > \"$1\"\n",
    );
    make_executable(&editor);
    let mut cmd = pty::yamerge(&s.dir, &["resolve", "values.yaml"]);
    cmd.env("EDITOR", editor.to_str().expect("utf-8 path"));
    let mut t = Pty::spawn(cmd, 100, 30);
    t.wait_for("conflict 1 of 2 · pack.podCIDR");
    t.send("e");
    t.wait_for("took your edit at pack.podCIDR");
    t.wait_for("conflict 1 of 1 · pack.serviceClusterIpRange");
    t.send("w");
    assert_eq!(t.wait(), 1, "one conflict is left: {}", t.screen());
    let got = String::from_utf8(s.read("values.yaml")).expect("utf-8");
    assert!(got.contains("\n  podCIDR: \"10.99.0.0/16\"\n"), "{got}");
    assert_eq!(got.matches("<<<<<<< current").count(), 1, "{got}");
    no_leftovers(&s.dir);
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn q_asks_before_losing_choices_and_writes_nothing() {
    let s = sample("resolve-quit");
    let before = conflicted(&s);
    s.write("values.yaml", &before);
    let mut t = Pty::spawn(pty::yamerge(&s.dir, &["resolve", "values.yaml"]), 100, 30);
    t.wait_for("conflict 1 of 2");
    t.send("c");
    t.wait_for("took current");
    t.send("q");
    t.wait_for("Quit without writing? 1 choice will be lost (y/n)");
    t.send("n");
    t.wait_for("not quit: your choices stand");
    t.send("q");
    t.wait_for("(y/n)");
    t.send("y");
    assert_eq!(t.wait(), 1);
    assert_bytes(&s.read("values.yaml"), &before);
}

/// SGR sequences (`ESC [ … m`): colours and text attributes.
fn sgr_count(raw: &[u8]) -> usize {
    let text = String::from_utf8_lossy(raw);
    text.split("\x1b[")
        .skip(1)
        .filter(|rest| {
            let params: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ';')
                .collect();
            rest[params.len()..].starts_with('m')
        })
        .count()
}

fn quit_at_once(s: &Scratch, env: &[(&str, &str)]) -> Vec<u8> {
    let mut cmd = pty::yamerge(&s.dir, &["resolve", "values.yaml"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut t = Pty::spawn(cmd, 100, 30);
    t.wait_for("conflict 1 of 2 · pack.podCIDR");
    // Still a full screen, help line and all.
    t.wait_for("w  write & quit");
    t.send("q");
    assert_eq!(t.wait(), 1);
    t.raw()
}

#[test]
fn no_color_and_dumb_terminals_get_no_colour_codes() {
    let s = sample("resolve-color");
    s.write("values.yaml", conflicted(&s));
    let coloured = quit_at_once(&s, &[]);
    assert!(sgr_count(&coloured) > 0, "a colour terminal gets colours");
    for env in [[("NO_COLOR", "1")], [("TERM", "dumb")]] {
        let raw = quit_at_once(&s, &env);
        assert_eq!(sgr_count(&raw), 0, "{env:?}: {}", show(&raw));
    }
}

#[test]
fn without_a_terminal_it_fails_and_writes_nothing() {
    let s = sample("resolve-no-tty");
    let before = conflicted(&s);
    s.write("values.yaml", &before);
    for args in [
        &["resolve", "values.yaml"][..],
        &[
            "resolve",
            "base.yaml",
            "current.yaml",
            "incoming.yaml",
            "-o",
            "out.yaml",
        ],
    ] {
        let out = support::yamerge()
            .current_dir(&s.dir)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run yamerge");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.starts_with(
                "yamerge: resolve needs a terminal, and standard input is not one; nothing was written"
            ),
            "{stderr}"
        );
        assert!(out.stdout.is_empty());
    }
    assert_bytes(&s.read("values.yaml"), &before);
    assert!(!s.path("out.yaml").exists());
}

fn run(s: &Scratch, args: &[&str]) -> (Option<i32>, String) {
    let out = support::yamerge()
        .current_dir(&s.dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run yamerge");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn take_rules_resolve_without_a_terminal() {
    let s = sample("resolve-take");
    s.write("values.yaml", conflicted(&s));
    let rules = ["--take", "incoming=pack.pod*", "--take", "current"];
    let (code, stderr) = run(&s, &[&["resolve", "values.yaml"][..], &rules].concat());
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        stderr,
        "resolve: all conflicts resolved; wrote values.yaml\n"
    );
    assert_bytes(&s.read("values.yaml"), RESOLVED.as_bytes());
    // Conflicts no rule matches stay, and the exit status says so.
    let (code, stderr) = run(
        &s,
        &[
            "resolve",
            "base.yaml",
            "current.yaml",
            "incoming.yaml",
            "-o",
            "out.yaml",
            "--take",
            "incoming=kubeadmconfig.*",
            "--take",
            "current=pack.podCIDR",
        ],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        stderr,
        "resolve: 1 conflict left (written with markers) in out.yaml\n"
    );
    let out = String::from_utf8(s.read("out.yaml")).expect("utf-8");
    let kept = "  podCIDR: \"10.10.0.0/16\"\n  # Service network: IP range for service cluster IPs\n\
<<<<<<< current\n";
    assert!(out.contains(kept), "{out}");
}

#[test]
fn usage_errors_and_files_without_conflicts() {
    let s = sample("resolve-usage");
    s.write("clean.yaml", "a: 1\n");
    let (code, stderr) = run(&s, &["resolve", "clean.yaml"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("no conflict markers found; nothing to resolve"),
        "{stderr}"
    );
    let (code, stderr) = run(
        &s,
        &["resolve", "base.yaml", "current.yaml", "incoming.yaml"],
    );
    assert_eq!(code, Some(2));
    assert!(stderr.contains("needs -o OUT"), "{stderr}");
    let (code, stderr) = run(&s, &["resolve", "base.yaml", "current.yaml"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("one conflicted FILE, or BASE CURRENT INCOMING"),
        "{stderr}"
    );
    let (code, stderr) = run(&s, &["resolve", "clean.yaml", "--take", "theirs"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("`theirs` is not a side"), "{stderr}");
    s.write("broken.yaml", "a: 1\n<<<<<<< x\nb: 2\n");
    let (code, stderr) = run(&s, &["resolve", "broken.yaml", "--take", "current"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.starts_with("yamerge: broken.yaml:2:1: this conflict is not closed"),
        "{stderr}"
    );
    // A text that is not YAML resolves as text.
    s.write(
        "prose.txt",
        "one\n<<<<<<< a\ntwo\n=======\n2\n>>>>>>> b\nthree\n",
    );
    let (code, stderr) = run(&s, &["resolve", "prose.txt", "--take", "incoming"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_bytes(&s.read("prose.txt"), b"one\n2\nthree\n");
}

/// `git mergetool --tool yamerge` as the README sets it up, in a real
/// repository, resolved by key presses; git then counts the path resolved.
#[test]
fn git_mergetool_runs_the_resolver() {
    if !have_git() {
        return;
    }
    let s = sample("resolve-mergetool");
    std::fs::create_dir_all(s.path("repo")).expect("mkdir");
    let file = |side: &str| s.read(&format!("{side}.yaml"));
    let commit = |text: &[u8], message: &str| {
        s.write("repo/values.yaml", text);
        s.ok_git("repo", &["add", "-A"]);
        s.ok_git("repo", &["commit", "-q", "-m", message]);
    };
    s.ok_git("repo", &["init", "-q"]);
    commit(&file("base"), "base");
    s.ok_git("repo", &["checkout", "-q", "-b", "topic"]);
    commit(&file("incoming"), "new defaults");
    s.ok_git("repo", &["checkout", "-q", "main"]);
    commit(&file("current"), "my changes");
    let merge = s.run_git("repo", &["merge", "--no-edit", "topic"]);
    assert!(!merge.status.success(), "git merge must conflict");
    let tool = format!(
        "'{}' resolve \"$BASE\" \"$LOCAL\" \"$REMOTE\" -o \"$MERGED\"",
        env!("CARGO_BIN_EXE_yamerge")
    );
    s.ok_git("repo", &["config", "mergetool.yamerge.cmd", &tool]);
    s.ok_git(
        "repo",
        &["config", "mergetool.yamerge.trustExitCode", "true"],
    );
    s.ok_git("repo", &["config", "mergetool.keepBackup", "false"]);

    let mut cmd = portable_pty::CommandBuilder::new("git");
    cmd.args(["mergetool", "--tool", "yamerge"]);
    cmd.cwd(s.path("repo"));
    cmd.env_clear();
    for (k, v) in [
        ("GIT_CONFIG_NOSYSTEM", "1"),
        ("LC_ALL", "C"),
        ("TERM", "xterm-256color"),
    ] {
        cmd.env(k, v);
    }
    cmd.env("HOME", s.path("home"));
    cmd.env("XDG_CONFIG_HOME", s.path("home"));
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    // Git asks nothing before starting the tool (`mergetool.prompt` is off
    // by default): the resolver comes up at once.
    let mut t = Pty::spawn(cmd, 100, 30);
    t.wait_for("conflict 1 of 2 · pack.podCIDR");
    t.send("i");
    t.wait_for("conflict 1 of 1 · pack.serviceClusterIpRange");
    t.send("c");
    t.wait_for("All conflicts are resolved.");
    t.send("w");
    assert_eq!(t.wait(), 0, "git mergetool failed: {}", t.screen());
    assert_eq!(
        s.ok_git("repo", &["ls-files", "-u"]),
        "",
        "the path is resolved"
    );
    assert_eq!(
        s.ok_git("repo", &["status", "--porcelain"]),
        "M  values.yaml\n"
    );
    // `resolve` merges like `merge` (incoming's layout): the same bytes as
    // the same keys give outside git.
    assert_bytes(&s.read("repo/values.yaml"), RESOLVED.as_bytes());
}
