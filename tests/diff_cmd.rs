//! `yamerge diff`: change lists by YAML path, comments, `--json`, exit codes.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn tempdir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yamerge-diff-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `yamerge diff [flags] base current` on two texts.
fn diff(tag: &str, base: &str, current: &str, flags: &[&str]) -> Output {
    let dir = tempdir(tag);
    let (b, c) = (dir.join("base.yaml"), dir.join("current.yaml"));
    std::fs::write(&b, base).unwrap();
    std::fs::write(&c, current).unwrap();
    Command::new(env!("CARGO_BIN_EXE_yamerge"))
        .arg("diff")
        .args(flags)
        .arg(&b)
        .arg(&c)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

const BASE: &str = "\
# spectrocloud.com/enabled-presets: Kube Controller Manager:loopback-ctrlmgr
pack:
  k8sHardening: True
  # CIDR range for pods
  podCIDR: \"192.168.0.0/16\"
  serviceClusterIpRange: \"10.96.0.0/12\"
  legacy: on
kubeadmconfig:
  apiServer:
    certSANs:
      - \"{{ .spectro.system.cluster.uid }}.{{ .spectro.system.reverseproxy.server }}\"
    extraArgs:
      secure-port: \"6443\"
    extraVolumes:
      - name: audit-log
        hostPath: /var/log/apiserver
      - name: audit-policy
        hostPath: /etc/kubernetes/audit-policy.yaml
  kubeletExtraArgs:
    read-only-port : \"0\"
  preKubeadmCommands:
    - 'echo one'
    - 'echo two'
";

const CURRENT: &str = "\
# spectrocloud.com/enabled-presets: Kube Controller Manager:loopback-ctrlmgr
pack:
  k8sHardening: True
  # Pod network (ours)
  podCIDR: \"10.10.0.0/16\"
  serviceClusterIpRange: '10.96.0.0/12'
kubeadmconfig:
  apiServer:
    certSANs:
      - \"{{ .spectro.system.cluster.uid }}.{{ .spectro.system.reverseproxy.server }}\"
    extraArgs:
      secure-port: \"6443\"
      audit-log-maxage: \"30\"
    extraVolumes:
      - name: audit-policy
        hostPath: /etc/kubernetes/policy.yaml
      - name: audit-log
        hostPath: /var/log/apiserver
  kubeletExtraArgs:
    read-only-port : \"10255\"
  preKubeadmCommands:
    - 'echo one'
    - 'echo 2'
    - 'echo three'
";

#[test]
fn readable_changes_by_path() {
    let out = diff("paths", BASE, CURRENT, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "\
~ pack.podCIDR: \"192.168.0.0/16\" → \"10.10.0.0/16\"
- pack.legacy: on
+ kubeadmconfig.apiServer.extraArgs.audit-log-maxage: \"30\"
↕ kubeadmconfig.apiServer.extraVolumes: [name=audit-log], [name=audit-policy] → [name=audit-policy], [name=audit-log]
~ kubeadmconfig.apiServer.extraVolumes[name=audit-policy].hostPath: /etc/kubernetes/audit-policy.yaml → /etc/kubernetes/policy.yaml
~ kubeadmconfig.kubeletExtraArgs.read-only-port: \"0\" → \"10255\"
~ kubeadmconfig.preKubeadmCommands[1]: 'echo two' → 'echo 2'
+ kubeadmconfig.preKubeadmCommands[2]: 'echo three'
"
    );
}

#[test]
fn comments_ignored_unless_asked() {
    let base = "# top\na: 1 # one\n# about b\nb: 2\n";
    let current = "# top\na: 1 # uno\n# about b, edited\nb: 2\n";
    let out = diff("comments-off", base, current, &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no changes"));

    let out = diff("comments-on", base, current, &["--comments"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "# a: # one → # uno\n# b: # about b → # about b, edited\n"
    );
}

#[test]
fn presets_line_is_reported_as_a_setting() {
    let base = "# spectrocloud.com/enabled-presets: Kube Scheduler:loopback-scheduler\na: 1\n";
    let current =
        "# spectrocloud.com/enabled-presets: Kube Scheduler:loopback-scheduler,Audit:on\na: 1\n";
    let out = diff("presets", base, current, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "~ #spectrocloud.com/enabled-presets: Kube Scheduler:loopback-scheduler → Kube Scheduler:loopback-scheduler,Audit:on\n"
    );
}

#[test]
fn style_only_changes_are_not_changes_but_types_are() {
    // `True` and `true` are one boolean; `yes` is a string in YAML 1.2.
    let out = diff(
        "style",
        "a: True\nb: \"x\"\nc: 1\n",
        "a: true\nb: x\nc: 1\n",
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = diff("types", "a: True\nc: 1\n", "a: yes\nc: \"1\"\n", &[]);
    assert_eq!(stdout(&out), "~ a: True → yes\n~ c: 1 → \"1\"\n");
}

#[test]
fn long_and_multi_line_values_are_abbreviated() {
    let long = format!("a: \"{}\"\n", "x".repeat(80));
    let out = diff("long", "a: 1\n", &long, &[]);
    assert_eq!(
        stdout(&out),
        format!("~ a: 1 → \"{}… (82 chars)\n", "x".repeat(59))
    );
    let out = diff(
        "multi",
        "a: 1\n",
        "a: 1\nb:\n  c: 1\n  d: 2\nscript: |\n  echo 1\n  echo 2\n",
        &[],
    );
    assert_eq!(
        stdout(&out),
        "+ b: c: 1 … (2 lines)\n+ script: | echo 1 … (3 lines)\n"
    );
}

#[test]
fn json_shape() {
    let out = diff("json", BASE, CURRENT, &["--json"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let obj = v.as_object().unwrap();
    let keys: Vec<&str> = obj.keys().map(|k| k.as_str()).collect();
    assert_eq!(keys.len(), 3);
    for k in ["base", "current", "changes"] {
        assert!(obj.contains_key(k), "{k} missing: {text}");
    }
    assert!(v["base"].as_str().unwrap().ends_with("base.yaml"));
    let changes = v["changes"].as_array().unwrap();
    // Seven changes of values and the new order of extraVolumes.
    assert_eq!(changes.len(), 8);
    for c in changes {
        let mut keys: Vec<&str> = c.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        keys.sort();
        assert_eq!(
            keys,
            ["kind", "new", "new_line", "old", "old_line", "path"],
            "{c}"
        );
    }
    assert_eq!(
        changes[0],
        serde_json::json!({
            "path": "pack.podCIDR", "kind": "changed",
            "old": "\"192.168.0.0/16\"", "new": "\"10.10.0.0/16\"",
            "old_line": 5, "new_line": 5
        })
    );
    assert_eq!(
        changes[1],
        serde_json::json!({
            "path": "pack.legacy", "kind": "removed",
            "old": "on", "new": null, "old_line": 7, "new_line": null
        })
    );
    assert_eq!(changes[2]["kind"], "added");
    assert_eq!(changes[2]["new_line"], 13);
    // One change per line, for grep and line-oriented tools.
    assert_eq!(text.lines().filter(|l| l.contains("\"path\"")).count(), 8);

    let none = diff("json-none", BASE, BASE, &["--json"]);
    assert_eq!(none.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&none)).unwrap();
    assert_eq!(v["changes"], serde_json::json!([]));
}

#[test]
fn json_values_are_whole() {
    let out = diff(
        "json-whole",
        "a: 1\n",
        "a: 1\nb:\n  c: |\n    x\n    y\n",
        &["--json"],
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["changes"][0]["new"], "c: |\n  x\n  y");
}

#[test]
fn multi_document_streams() {
    let base = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n";
    let current = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: w\n";
    let out = diff("docs", base, current, &[]);
    // The documents' new order is reported once, for the stream.
    assert_eq!(
        stdout(&out),
        "↕ (document): [v1/ConfigMap//a], [v1/Secret//s] → [v1/Secret//s], [v1/ConfigMap//a]\n\
         ~ [v1/ConfigMap//a].data.k: v → w\n"
    );
    let out = diff("docs-plain", "a: 1\n---\nb: 1\n", "a: 1\n---\nb: 2\n", &[]);
    assert_eq!(stdout(&out), "~ [1].b: 1 → 2\n");
}

#[test]
fn quoted_path_segments() {
    let out = diff(
        "quoted",
        "labels:\n  app.kubernetes.io/name: x\n",
        "labels:\n  app.kubernetes.io/name: y\n",
        &[],
    );
    assert_eq!(stdout(&out), "~ labels.\"app.kubernetes.io/name\": x → y\n");
}

#[test]
fn exit_codes_and_errors() {
    let bad = diff("bad", "a: 1\n", "a: [1\nb: 2\n", &[]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("current.yaml:"), "{err}");
    assert!(
        err.split("current.yaml:")
            .nth(1)
            .is_some_and(|rest| rest.chars().next().is_some_and(|c| c.is_ascii_digit())),
        "no line:col in {err}"
    );
    assert!(bad.stdout.is_empty());

    let missing = Command::new(env!("CARGO_BIN_EXE_yamerge"))
        .args([
            "diff",
            "/nonexistent/base.yaml",
            "/nonexistent/current.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/base.yaml"));

    // A duplicate key is compared occurrence by occurrence, with a note.
    let dup = diff("dup", "a: 1\n", "a: 1\na: 2\n", &[]);
    assert_eq!(dup.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&dup.stdout), "+ a#2: 2\n");
    assert!(String::from_utf8_lossy(&dup.stderr).contains("note: duplicate key a (again at"));

    let both_stdin = Command::new(env!("CARGO_BIN_EXE_yamerge"))
        .args(["diff", "-", "-"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(both_stdin.status.code(), Some(2));
}

#[test]
fn base_from_standard_input() {
    let dir = tempdir("stdin");
    let c = dir.join("current.yaml");
    std::fs::write(&c, "a: 2\n").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_yamerge"))
        .arg("diff")
        .arg("-")
        .arg(&c)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"a: 1\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "~ a: 1 → 2\n");
}

#[test]
fn profile_exports_pack_by_pack() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/examples/palette");
    let out = Command::new(env!("CARGO_BIN_EXE_yamerge"))
        .args(["diff", "--profile"])
        .arg(root.join("base.json"))
        .arg(root.join("current.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with("k8s/kubernetes:\n  ~ pack.podCIDR: "),
        "{text}"
    );
    assert!(text.contains("\ncni/cni-calico:\n"), "{text}");
    assert!(!text.contains("os/ubuntu-aws"), "{text}");

    let json = Command::new(env!("CARGO_BIN_EXE_yamerge"))
        .args(["diff", "--profile", "--json"])
        .arg(root.join("base.json"))
        .arg(root.join("current.json"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let first = &v["changes"][0];
    assert_eq!(first["pack"], "kubernetes");
    assert_eq!(first["layer"], "k8s");
    assert_eq!(first["path"], "pack.podCIDR");
}

#[test]
fn real_pack_customizations() {
    let Some(dir) = common::shared_testdata("palette") else {
        return;
    };
    let base = std::fs::read_to_string(dir.join("packs/kubernetes/1.21.8/values.yaml")).unwrap();
    let current = base
        .replace("podCIDR: \"172.10.0.0/16\"", "podCIDR: \"10.10.0.0/16\"")
        .replace(
            "    read-only-port : \"0\"\n",
            "    read-only-port : \"0\"\n    max-pods: \"220\"\n",
        )
        .replace("profile,email", "profile,email,groups");
    let out = diff("real", &base, &current, &[]);
    assert_eq!(
        stdout(&out),
        "~ pack.podCIDR: \"172.10.0.0/16\" → \"10.10.0.0/16\"\n+ kubeadmconfig.kubeletExtraArgs.max-pods: \"220\"\n"
    );
    let out = diff("real-comments", &base, &current, &["--comments"]);
    assert!(
        stdout(&out).ends_with(
            "# kubeadmconfig.postKubeadmCommands: #oidc-extra-scope: profile,email → #oidc-extra-scope: profile,email,groups\n"
        ),
        "{}",
        stdout(&out)
    );
}
