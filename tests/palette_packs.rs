//! Real Palette pack values (`../shared/testdata/palette/packs/<pack>/<version>/values.yaml`):
//! for every pack at two versions, customize the older values the way an
//! admin would (text edits below), merge the customization into the newer
//! version, and compare byte for byte with the newer values carrying the same
//! edits. The same upgrade is then run through `yamerge profile` on JSON and
//! YAML exports holding the three packs.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// One admin edit: replace the first `old` that follows `anchor` by `new`.
/// `anchor` must occur exactly once (it makes an edit unambiguous in files
/// where the same line repeats); empty means the start of the file.
struct Edit {
    anchor: &'static str,
    old: &'static str,
    new: &'static str,
}

const fn edit(anchor: &'static str, old: &'static str, new: &'static str) -> Edit {
    Edit { anchor, old, new }
}

/// What an admin changes in each pack's values.
fn edits(pack: &str) -> Option<Vec<Edit>> {
    Some(match pack {
        "kubernetes" => vec![
            // Own pod and service networks.
            edit(
                "",
                "podCIDR: \"172.10.0.0/16\"",
                "podCIDR: \"10.10.0.0/16\"",
            ),
            edit(
                "",
                "serviceClusterIpRange: \"11.0.0.0/22\"",
                "serviceClusterIpRange: \"10.20.0.0/22\"",
            ),
            // Longer audit log retention, with a comment saying why.
            edit(
                "",
                "      audit-log-maxage: \"30\"\n",
                "      # compliance: keep 90 days of audit logs\n      audit-log-maxage: \"90\"\n",
            ),
            // A kubelet flag added after the `key : value` line.
            edit(
                "",
                "    read-only-port : \"0\"\n",
                "    read-only-port : \"0\"\n    max-pods: \"220\"\n",
            ),
            edit("kubeletExtraArgs:", "event-qps: \"0\"", "event-qps: \"5\""),
            // One more pre-kubeadm command.
            edit(
                "",
                "    - 'sysctl -p /etc/sysctl.d/90-kubelet.conf'\n",
                "    - 'sysctl -p /etc/sysctl.d/90-kubelet.conf'\n    - 'mkdir -p /var/log/apiserver'\n",
            ),
            // The last line (no final newline after it): an edited comment.
            edit(
                "",
                "#oidc-extra-scope: profile,email",
                "#oidc-extra-scope: profile,email,groups",
            ),
        ],
        "sriov-network-operator" => vec![
            // Deploy the operator config on SR-IOV capable nodes only.
            edit(
                "sriovOperatorConfig:",
                "      deploy: false\n",
                "      deploy: true\n",
            ),
            edit(
                "sriovOperatorConfig:",
                "      configDaemonNodeSelector: {}\n",
                "      configDaemonNodeSelector:\n        feature.node.kubernetes.io/network-sriov.capable: \"true\"\n",
            ),
            edit(
                "sriovOperatorConfig:",
                "      disableDrain: false\n",
                "      # single-node edge cluster\n      disableDrain: true\n",
            ),
            // A third toleration for the operator.
            edit(
                "      tolerations:\n",
                "          effect: \"NoSchedule\"\n      nodeSelector: {}\n",
                "          effect: \"NoSchedule\"\n        - key: \"edge.example.com/dedicated\"\n          operator: \"Exists\"\n          effect: \"NoSchedule\"\n      nodeSelector: {}\n",
            ),
            // A NIC the operator does not know by default (flow list).
            edit(
                "",
                "    supportedExtraNICs: []\n",
                "    supportedExtraNICs: [\"Intel_E810: 8086 1593 1889\"]\n",
            ),
            // Metrics to the cluster's Prometheus.
            edit(
                "prometheusOperator:",
                "          enabled: false\n",
                "          enabled: true\n",
            ),
        ],
        "hpe-csi-driver" => vec![
            // Only Alletra arrays here: no Nimble, no Primera CSP.
            edit(
                "    disable:\n",
                "      nimble: false\n",
                "      nimble: true\n",
            ),
            edit(
                "    disable:\n",
                "      primera: false\n",
                "      primera: true\n",
            ),
            edit("", "maxVolumesPerNode: 100", "maxVolumesPerNode: 250"),
            edit(
                "",
                "      chapSecretName: \"\"",
                "      chapSecretName: \"hpe-chap\"",
            ),
            edit("", "    logLevel: \"info\"", "    logLevel: \"debug\""),
            // Controller on infra nodes, node plugin tolerating storage taints.
            edit(
                "    controller:\n",
                "      nodeSelector: {}\n",
                "      nodeSelector:\n        node-role.kubernetes.io/infra: \"\"\n",
            ),
            edit(
                "    node:\n",
                "      tolerations: []\n",
                "      tolerations:\n        - key: storage\n          operator: Exists\n          effect: NoSchedule\n",
            ),
            edit(
                "    csp:\n",
                "          memory: 1Gi\n",
                "          memory: 2Gi\n",
            ),
        ],
        _ => return None,
    })
}

/// Applies the edits; every anchor must be unique and every edit must apply.
fn apply(text: &str, edits: &[Edit], what: &str) -> String {
    let mut out = text.to_string();
    for e in edits {
        let from = if e.anchor.is_empty() {
            0
        } else {
            let hits = out.matches(e.anchor).count();
            assert_eq!(hits, 1, "{what}: anchor {:?} found {hits} times", e.anchor);
            out.find(e.anchor).unwrap()
        };
        let at = out[from..]
            .find(e.old)
            .unwrap_or_else(|| panic!("{what}: {:?} not found after {:?}", e.old, e.anchor))
            + from;
        out.replace_range(at..at + e.old.len(), e.new);
    }
    out
}

/// `1.21.10` after `1.21.8`: versions compared by their numeric parts.
fn version_key(v: &str) -> Vec<u64> {
    v.split(['.', '-'])
        .map(|p| p.parse().unwrap_or(0))
        .collect()
}

/// Every pack folder with its versions, oldest first.
fn pack_pairs(root: &Path) -> Vec<(String, PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root).unwrap().flatten() {
        if !entry.path().is_dir() {
            continue;
        }
        let pack = entry.file_name().to_string_lossy().into_owned();
        let mut versions: Vec<String> = std::fs::read_dir(entry.path())
            .unwrap()
            .flatten()
            .filter(|v| v.path().join("values.yaml").is_file())
            .map(|v| v.file_name().to_string_lossy().into_owned())
            .collect();
        versions.sort_by_key(|v| version_key(v));
        for pair in versions.windows(2) {
            out.push((
                pack.clone(),
                entry.path().join(&pair[0]).join("values.yaml"),
                entry.path().join(&pair[1]).join("values.yaml"),
            ));
        }
    }
    out.sort();
    out
}

struct Upgrade {
    pack: String,
    base: String,
    current: String,
    incoming: String,
    expected: String,
}

fn upgrades() -> Option<Vec<Upgrade>> {
    let root = common::shared_testdata("palette")?.join("packs");
    let pairs = pack_pairs(&root);
    assert!(
        pairs.len() >= 3,
        "expected at least three pack pairs in {}",
        root.display()
    );
    Some(
        pairs
            .into_iter()
            .map(|(pack, old, new)| {
                let edits = edits(&pack).unwrap_or_else(|| {
                    panic!("no admin edits written for pack `{pack}`: add them to edits()")
                });
                let base = std::fs::read_to_string(&old).unwrap();
                let incoming = std::fs::read_to_string(&new).unwrap();
                let current = apply(&base, &edits, &format!("{}", old.display()));
                let expected = apply(&incoming, &edits, &format!("{}", new.display()));
                assert_ne!(current, base);
                Upgrade {
                    pack,
                    base,
                    current,
                    incoming,
                    expected,
                }
            })
            .collect(),
    )
}

#[test]
fn every_pack_pair_merges_byte_for_byte() {
    let Some(upgrades) = upgrades() else { return };
    let mut failures = Vec::new();
    for u in &upgrades {
        let merged = yamerge::merge(
            yamerge::Input::new("base", u.base.as_bytes()),
            yamerge::Input::new("current", u.current.as_bytes()),
            yamerge::Input::new("incoming", u.incoming.as_bytes()),
            &yamerge::MergeOptions::default(),
        );
        match merged {
            Ok(m) if m.text == u.expected && m.conflicts.is_empty() => {}
            Ok(m) => failures.push(format!(
                "{}: {} conflicts\n--- expected\n{}\n--- got\n{}",
                u.pack,
                m.conflicts.len(),
                common::visible(&u.expected),
                common::visible(&m.text)
            )),
            Err(e) => failures.push(format!("{}: {e}", u.pack)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_pack_pair_through_the_merge_command() {
    let Some(upgrades) = upgrades() else { return };
    let dir = tempdir("merge-cmd");
    for u in &upgrades {
        let write = |side: &str, text: &str| {
            let p = dir.join(format!("{}-{side}.yaml", u.pack));
            std::fs::write(&p, text).unwrap();
            p
        };
        let out = Command::new(env!("CARGO_BIN_EXE_yamerge"))
            .arg("merge")
            .arg(write("base", &u.base))
            .arg(write("current", &u.current))
            .arg(write("incoming", &u.incoming))
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            u.pack,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stdout == u.expected.as_bytes(),
            "{}:\n--- expected\n{}\n--- got\n{}",
            u.pack,
            common::visible(&u.expected),
            common::visible(&String::from_utf8_lossy(&out.stdout))
        );
    }
}

fn tempdir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "yamerge-palette-packs-{tag}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn layer_of(pack: &str) -> &'static str {
    match pack {
        "kubernetes" => "k8s",
        "hpe-csi-driver" => "csi",
        _ => "cni",
    }
}

/// Which version of a pack's values an export holds.
type Side = fn(&Upgrade) -> &str;

/// Builds an export of the packs' values on one side, with a profile version.
type Exporter = fn(&[Upgrade], Side, &str) -> String;

/// A YAML export (the Terraform modules' shape: `values: |-`).
fn yaml_export(upgrades: &[Upgrade], side: Side, version: &str) -> String {
    let mut out = String::from(
        "name: edge-profile\nuid: 6620e1a5d8b9c4a3\ndescription: \"\"\ntype: cluster\ncloudType: edge-native\npacks:\n",
    );
    for u in upgrades {
        out.push_str(&format!(
            "  - name: {}\n    type: spectro\n    layer: {}\n    registry_uid: 5eecc89d0b150045ae661cef\n    version: {version}\n    tag: {version}\n    values: |{}\n",
            u.pack,
            layer_of(&u.pack),
            // Clip keeps one final line break, strip none.
            if side(u).ends_with('\n') { "" } else { "-" }
        ));
        let text = side(u);
        for line in text.strip_suffix('\n').unwrap_or(text).split('\n') {
            if !line.is_empty() {
                out.push_str("      ");
                out.push_str(line);
            }
            out.push('\n');
        }
    }
    out
}

/// A JSON export (the import/API object).
fn json_export(upgrades: &[Upgrade], side: Side, version: &str) -> String {
    let packs: Vec<String> = upgrades
        .iter()
        .map(|u| {
            format!(
                "      {{\n        \"name\": \"{}\",\n        \"type\": \"spectro\",\n        \"layer\": \"{}\",\n        \"version\": \"{version}\",\n        \"tag\": \"{version}\",\n        \"values\": {}\n      }}",
                u.pack,
                layer_of(&u.pack),
                serde_json::to_string(side(u)).unwrap()
            )
        })
        .collect();
    format!(
        "{{\n  \"metadata\": {{\"name\": \"edge-profile\"}},\n  \"spec\": {{\n    \"version\": \"{version}\",\n    \"template\": {{\n      \"type\": \"cluster\",\n      \"packs\": [\n{}\n      ]\n    }}\n  }}\n}}\n",
        packs.join(",\n")
    )
}

fn run_profile(dir: &Path, ext: &str, export: Exporter) {
    let Some(upgrades) = upgrades() else { return };
    let base = export(&upgrades, |u| &u.base, "1.0.0");
    let current = export(&upgrades, |u| &u.current, "1.0.0");
    let incoming = export(&upgrades, |u| &u.incoming, "1.1.0");
    let expected = export(&upgrades, |u| &u.expected, "1.1.0");
    let paths: Vec<PathBuf> = [
        ("base", &base),
        ("current", &current),
        ("incoming", &incoming),
    ]
    .iter()
    .map(|(name, text)| {
        let p = dir.join(format!("{name}.{ext}"));
        std::fs::write(&p, text).unwrap();
        p
    })
    .collect();
    let layers = dir.join("layers");
    let out = Command::new(env!("CARGO_BIN_EXE_yamerge"))
        .arg("profile")
        .args(&paths)
        .arg("--layers-dir")
        .arg(&layers)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let got = String::from_utf8(out.stdout).unwrap();
    assert!(
        got == expected,
        "--- expected\n{}\n--- got\n{}",
        common::visible(&expected),
        common::visible(&got)
    );
    for u in &upgrades {
        let file = layers.join(format!("{}-{}.yaml", layer_of(&u.pack), u.pack));
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text == u.expected,
            "{}:\n{}",
            file.display(),
            common::visible(&text)
        );
        assert!(stderr.contains(&format!("{}/{}", layer_of(&u.pack), u.pack)));
    }
}

#[test]
fn every_pack_pair_through_a_yaml_export() {
    run_profile(&tempdir("yaml"), "yaml", yaml_export);
}

#[test]
fn every_pack_pair_through_a_json_export() {
    run_profile(&tempdir("json"), "json", json_export);
}
