//! `yamerge profile`: cluster-profile exports merged pack by pack.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tempdir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yamerge-profile-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

struct P<'a> {
    name: &'a str,
    layer: &'a str,
    version: &'a str,
    values: &'a str,
}

fn pack<'a>(name: &'a str, layer: &'a str, version: &'a str, values: &'a str) -> P<'a> {
    P {
        name,
        layer,
        version,
        values,
    }
}

/// A JSON export in the import/API shape, written the way Palette's API
/// (Go) writes it: two-space indentation, `<>&` escaped.
fn json_export(profile_version: &str, packs: &[P]) -> String {
    let items: Vec<String> = packs
        .iter()
        .map(|p| {
            let values = serde_json::to_string(p.values)
                .unwrap()
                .replace('<', "\\u003c")
                .replace('>', "\\u003e")
                .replace('&', "\\u0026");
            format!(
                "        {{\n          \"name\": \"{}\",\n          \"type\": \"spectro\",\n          \"layer\": \"{}\",\n          \"version\": \"{v}\",\n          \"tag\": \"{v}\",\n          \"registry\": {{\"metadata\": {{\"uid\": \"r1\", \"name\": \"Public Repo\", \"kind\": \"pack\", \"isPrivate\": false}}}},\n          \"values\": {values}\n        }}",
                p.name,
                p.layer,
                v = p.version
            )
        })
        .collect();
    format!(
        "{{\n  \"metadata\": {{\n    \"name\": \"edge-base\",\n    \"description\": \"demo\"\n  }},\n  \"spec\": {{\n    \"version\": \"{profile_version}\",\n    \"template\": {{\n      \"type\": \"cluster\",\n      \"cloudType\": \"edge-native\",\n      \"packs\": [\n{}\n      ]\n    }}\n  }}\n}}\n",
        items.join(",\n")
    )
}

/// A YAML export in the Terraform modules' shape (`values: |-`).
fn yaml_export(packs: &[P]) -> String {
    let mut out = String::from(
        "name: edge-base\nuid: 65f1c0d9e2\ndescription: \"\"\ntype: cluster\ncloudType: edge-native\npacks:\n",
    );
    for p in packs {
        out.push_str(&format!(
            "- name: {}\n  type: spectro\n  layer: {}\n  registry_uid: 5eecc89d0b150045ae661cef\n  registry: Public Repo\n  version: {v}\n  tag: {v}\n  values: |{}\n",
            p.name,
            p.layer,
            if p.values.ends_with('\n') { "" } else { "-" },
            v = p.version
        ));
        let body = p.values.strip_suffix('\n').unwrap_or(p.values);
        for line in body.split('\n') {
            if !line.is_empty() {
                out.push_str("    ");
                out.push_str(line);
            }
            out.push('\n');
        }
    }
    out
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn profile(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yamerge"))
        .arg("profile")
        .args(args)
        .output()
        .unwrap()
}

fn run3(dir: &Path, ext: &str, texts: [&str; 3], extra: &[&str]) -> Output {
    let paths = [
        write(dir, &format!("base.{ext}"), texts[0]),
        write(dir, &format!("current.{ext}"), texts[1]),
        write(dir, &format!("incoming.{ext}"), texts[2]),
    ];
    let mut args: Vec<&std::ffi::OsStr> = paths.iter().map(|p| p.as_os_str()).collect();
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    profile(&args)
}

const K8S_OLD: &str = "# spectrocloud.com/enabled-presets: Kube Controller Manager:loopback-ctrlmgr\npack:\n  k8sHardening: True\n  podCIDR: \"192.168.0.0/16\"\n  content:\n    images:\n      - image: registry/kube-apiserver:v1.28.9\nkubeadmconfig:\n  apiServer:\n    certSANs:\n      - \"cluster-{{ .spectro.system.cluster.uid }}.{{ .spectro.system.reverseproxy.server }}\"\n    extraArgs:\n      secure-port: \"6443\"\n  kubeletExtraArgs:\n    read-only-port : \"0\"   \n  preKubeadmCommands:\n    - 'echo \"====> Applying kernel parameters\"'\n# end of values";
const K8S_MINE: &str = "# spectrocloud.com/enabled-presets: Kube Controller Manager:loopback-ctrlmgr\npack:\n  k8sHardening: True\n  podCIDR: \"10.10.0.0/16\"\n  content:\n    images:\n      - image: registry/kube-apiserver:v1.28.9\nkubeadmconfig:\n  apiServer:\n    certSANs:\n      - \"cluster-{{ .spectro.system.cluster.uid }}.{{ .spectro.system.reverseproxy.server }}\"\n    extraArgs:\n      secure-port: \"6443\"\n      audit-log-maxage: \"30\"\n  kubeletExtraArgs:\n    read-only-port : \"0\"   \n  preKubeadmCommands:\n    - 'echo \"====> Applying kernel parameters\"'\n# end of values";
const K8S_NEW: &str = "# spectrocloud.com/enabled-presets: Kube Controller Manager:loopback-ctrlmgr\npack:\n  k8sHardening: True\n  podCIDR: \"192.168.0.0/16\"\n  content:\n    images:\n      - image: registry/kube-apiserver:v1.29.4\nkubeadmconfig:\n  apiServer:\n    certSANs:\n      - \"cluster-{{ .spectro.system.cluster.uid }}.{{ .spectro.system.reverseproxy.server }}\"\n    extraArgs:\n      secure-port: \"6443\"\n      tls-min-version: \"VersionTLS12\"\n  kubeletExtraArgs:\n    read-only-port : \"0\"   \n  preKubeadmCommands:\n    - 'echo \"====> Applying kernel parameters\"'\n# end of values";
const K8S_MERGED: &str = "# spectrocloud.com/enabled-presets: Kube Controller Manager:loopback-ctrlmgr\npack:\n  k8sHardening: True\n  podCIDR: \"10.10.0.0/16\"\n  content:\n    images:\n      - image: registry/kube-apiserver:v1.29.4\nkubeadmconfig:\n  apiServer:\n    certSANs:\n      - \"cluster-{{ .spectro.system.cluster.uid }}.{{ .spectro.system.reverseproxy.server }}\"\n    extraArgs:\n      secure-port: \"6443\"\n      tls-min-version: \"VersionTLS12\"\n      audit-log-maxage: \"30\"\n  kubeletExtraArgs:\n    read-only-port : \"0\"   \n  preKubeadmCommands:\n    - 'echo \"====> Applying kernel parameters\"'\n# end of values";

const CNI_OLD: &str = "manifests:\n  calico:\n    bgp: yes\n    encapsulationType: \"CALICO_IPV4POOL_IPIP\"\n    mtu: 1440\n";
const CNI_MINE: &str = "manifests:\n  calico:\n    bgp: yes\n    encapsulationType: \"CALICO_IPV4POOL_VXLAN\"\n    mtu: 1440\n";
const CNI_NEW: &str = "manifests:\n  calico:\n    bgp: yes\n    encapsulationType: \"CALICO_IPV4POOL_IPIP\"\n    mtu: 1450\n";
const CNI_MERGED: &str = "manifests:\n  calico:\n    bgp: yes\n    encapsulationType: \"CALICO_IPV4POOL_VXLAN\"\n    mtu: 1450\n";

const CSI: &str = "charts:\n  csi:\n    storageClass: standard\n";

fn three_json() -> [String; 3] {
    [
        json_export(
            "1.0.0",
            &[
                pack("kubernetes", "k8s", "1.28.9", K8S_OLD),
                pack("cni-calico", "cni", "3.26.3", CNI_OLD),
                pack("csi-local", "csi", "1.0.0", CSI),
            ],
        ),
        // Packs in another order in the customized profile.
        json_export(
            "1.0.0",
            &[
                pack("cni-calico", "cni", "3.26.3", CNI_MINE),
                pack("kubernetes", "k8s", "1.28.9", K8S_MINE),
                pack("csi-local", "csi", "1.0.0", CSI),
            ],
        ),
        json_export(
            "1.1.0",
            &[
                pack("kubernetes", "k8s", "1.29.4", K8S_NEW),
                pack("cni-calico", "cni", "3.27.2", CNI_NEW),
                pack("csi-local", "csi", "1.0.0", CSI),
            ],
        ),
    ]
}

/// Incoming's text with the given values strings replaced (JSON-escaped the
/// same way), everything else byte for byte.
fn incoming_with(incoming: &str, replacements: &[(&str, &str)]) -> String {
    let esc = |s: &str| {
        serde_json::to_string(s)
            .unwrap()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026")
    };
    let mut out = incoming.to_string();
    for (old, new) in replacements {
        let (old, new) = (esc(old), esc(new));
        assert_eq!(out.matches(&old).count(), 1);
        out = out.replace(&old, &new);
    }
    out
}

#[test]
fn json_packs_matched_and_merged_other_fields_unchanged() {
    let dir = tempdir("json");
    let [b, c, i] = three_json();
    let out = run3(&dir, "json", [&b, &c, &i], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let want = incoming_with(&i, &[(K8S_NEW, K8S_MERGED), (CNI_NEW, CNI_MERGED)]);
    let got = String::from_utf8(out.stdout).unwrap();
    assert!(
        got == want,
        "--- want\n{}\n--- got\n{}",
        common::visible(&want),
        common::visible(&got)
    );
    assert!(
        stderr.contains("k8s/kubernetes 1.28.9 → 1.29.4: 2 changes from current"),
        "{stderr}"
    );
    assert!(stderr.contains("cni/cni-calico 3.26.3 → 3.27.2: 1 change from current"));
    assert!(stderr.contains("csi/csi-local 1.0.0: no changes on either side"));
    assert!(stderr.contains("profile: 3 packs, no conflicts"));
}

#[test]
fn output_file_and_layers_dir() {
    let dir = tempdir("layers");
    let [b, c, i] = three_json();
    let out_file = dir.join("upgraded.json");
    let layers = dir.join("layers/new");
    let out = run3(
        &dir,
        "json",
        [&b, &c, &i],
        &[
            "-o",
            out_file.to_str().unwrap(),
            "--layers-dir",
            layers.to_str().unwrap(),
            "-q",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want = incoming_with(&i, &[(K8S_NEW, K8S_MERGED), (CNI_NEW, CNI_MERGED)]);
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), want);
    let mut files: Vec<String> = std::fs::read_dir(&layers)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "cni-cni-calico.yaml",
            "csi-csi-local.yaml",
            "k8s-kubernetes.yaml"
        ]
    );
    let read = |f: &str| std::fs::read_to_string(layers.join(f)).unwrap();
    assert_eq!(read("k8s-kubernetes.yaml"), K8S_MERGED);
    assert_eq!(read("cni-cni-calico.yaml"), CNI_MERGED);
    assert_eq!(read("csi-csi-local.yaml"), CSI);
}

#[test]
fn pack_on_one_side_only_taken_from_incoming_and_reported() {
    let dir = tempdir("one-side");
    let addon = "charts:\n  nginx:\n    replicas: 2\n";
    let b = json_export("1.0.0", &[pack("kubernetes", "k8s", "1.28.9", K8S_OLD)]);
    let c = json_export(
        "1.0.0",
        &[
            pack("kubernetes", "k8s", "1.28.9", K8S_MINE),
            // Added by the admin; the new version does not have it.
            pack("nginx", "addon", "1.9.0", addon),
        ],
    );
    let i = json_export(
        "1.1.0",
        &[
            pack("kubernetes", "k8s", "1.29.4", K8S_NEW),
            // New in the new profile version.
            pack("cni-calico", "cni", "3.27.2", CNI_NEW),
            // Same name, another layer: another pack.
            pack("kubernetes", "addon", "0.1.0", CSI),
        ],
    );
    let out = run3(&dir, "json", [&b, &c, &i], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let want = incoming_with(&i, &[(K8S_NEW, K8S_MERGED)]);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), want);
    assert!(
        stderr.contains("cni/cni-calico 3.27.2: new in incoming, taken as is"),
        "{stderr}"
    );
    assert!(
        stderr.contains("addon/kubernetes 0.1.0: new in incoming"),
        "{stderr}"
    );
    assert!(
        stderr.contains("addon/nginx: only in current (not in incoming): left out"),
        "{stderr}"
    );
    // The one-side notes are important enough for --quiet.
    let quiet = run3(&dir, "json", [&b, &c, &i], &["-q"]);
    let stderr = String::from_utf8_lossy(&quiet.stderr);
    assert!(stderr.contains("addon/nginx"), "{stderr}");
    assert!(!stderr.contains("cni/cni-calico"), "{stderr}");
}

#[test]
fn conflicting_pack_reported_exit_1() {
    let dir = tempdir("conflict");
    let [b, c, _] = three_json();
    let theirs = CNI_NEW.replace("CALICO_IPV4POOL_IPIP", "CALICO_IPV4POOL_NONE");
    let i = json_export(
        "1.1.0",
        &[
            pack("kubernetes", "k8s", "1.29.4", K8S_NEW),
            pack("cni-calico", "cni", "3.27.2", &theirs),
            pack("csi-local", "csi", "1.0.0", CSI),
        ],
    );
    let layers = dir.join("layers");
    let out = run3(
        &dir,
        "json",
        [&b, &c, &i],
        &["--layers-dir", layers.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "cni/cni-calico 3.26.3 → 3.27.2: 0 changes from current, 1 from incoming, 1 conflict at manifests.calico.encapsulationType"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("profile: 3 packs, conflicts in cni/cni-calico"));
    // The markers are in the export's values and in the layer file.
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let values = got["spec"]["template"]["packs"][1]["values"]
        .as_str()
        .unwrap();
    let layer = std::fs::read_to_string(layers.join("cni-cni-calico.yaml")).unwrap();
    assert_eq!(values, layer);
    assert!(layer.contains("<<<<<<< current\n    encapsulationType: \"CALICO_IPV4POOL_VXLAN\"\n"));
    assert!(layer.contains(">>>>>>> incoming\n"));
    // The clean packs are merged all the same.
    assert_eq!(
        got["spec"]["template"]["packs"][0]["values"]
            .as_str()
            .unwrap(),
        K8S_MERGED
    );
}

#[test]
fn yaml_export_spliced_rest_byte_identical() {
    let dir = tempdir("yaml");
    let b = yaml_export(&[
        pack("kubernetes", "k8s", "1.28.9", K8S_OLD),
        pack("cni-calico", "cni", "3.26.3", CNI_OLD),
    ]);
    let c = yaml_export(&[
        pack("kubernetes", "k8s", "1.28.9", K8S_MINE),
        pack("cni-calico", "cni", "3.26.3", CNI_MINE),
    ]);
    let i = yaml_export(&[
        pack("kubernetes", "k8s", "1.29.4", K8S_NEW),
        pack("cni-calico", "cni", "3.27.2", CNI_NEW),
    ]);
    let want = yaml_export(&[
        pack("kubernetes", "k8s", "1.29.4", K8S_MERGED),
        pack("cni-calico", "cni", "3.27.2", CNI_MERGED),
    ]);
    let out = run3(&dir, "yaml", [&b, &c, &i], &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = String::from_utf8(out.stdout).unwrap();
    assert!(
        got == want,
        "--- want\n{}\n--- got\n{}",
        common::visible(&want),
        common::visible(&got)
    );
}

#[test]
fn yaml_export_keeps_block_header_and_its_comment() {
    // Only the content lines of the block scalar change; its header (strip
    // chomping and a comment after it) stays as incoming wrote it.
    let dir = tempdir("chomp");
    let b = "packs:\n  - name: a\n    layer: addon\n    values: |-\n      x: 1\n      y: 1\n    version: 1.0.0\n";
    let c = "packs:\n  - name: a\n    layer: addon\n    values: |-\n      x: 2\n      y: 1\n    version: 1.0.0\n";
    let i = "packs:\n  - name: a\n    layer: addon\n    values: |-  # pasted from the console\n      x: 1\n      y: 2\n    version: 1.1.0\n";
    let out = run3(&dir, "yaml", [b, c, i], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "packs:\n  - name: a\n    layer: addon\n    values: |-  # pasted from the console\n      x: 2\n      y: 2\n    version: 1.1.0\n"
    );
}

#[test]
fn errors_name_the_file_and_place() {
    let dir = tempdir("errors");
    // Invalid values YAML in a YAML export: the export's own line and column.
    let b = "packs:\n  - name: a\n    layer: addon\n    values: |-\n      x: 1\n      y: [1\n";
    let ok = "packs:\n  - name: a\n    layer: addon\n    values: |-\n      x: 1\n";
    let out = run3(
        &dir,
        "yaml",
        [b, ok, ok],
        &["-o", dir.join("out.yaml").to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("base.yaml:"), "{err}");
    let place = err.split("base.yaml:").nth(1).unwrap();
    let line: usize = place.split(':').next().unwrap().parse().unwrap();
    assert!((6..=7).contains(&line), "{err}");
    assert!(!dir.join("out.yaml").exists());

    // Invalid values in a JSON export: the file and the pack.
    let bad = json_export("1.0.0", &[pack("kubernetes", "k8s", "1", "a: [1\n")]);
    let good = json_export("1.0.0", &[pack("kubernetes", "k8s", "1", "a: 1\n")]);
    let out = run3(&dir, "json", [&good, &bad, &good], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("current.json (values of pack k8s/kubernetes):"),
        "{err}"
    );

    // Broken JSON: file:line:col.
    let out = run3(&dir, "json", [&good, "{\n  \"spec\": [\n", &good], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("current.json:3:"), "{err}");

    // Not an export.
    let out = run3(&dir, "yaml", ["a: 1\n", "a: 1\n", "a: 1\n"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a cluster-profile export"));

    // A pack twice.
    let twice = json_export(
        "1.0.0",
        &[
            pack("a", "addon", "1", "x: 1\n"),
            pack("a", "addon", "1", "x: 1\n"),
        ],
    );
    let out = run3(&dir, "json", [&twice, &good, &good], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("appears twice"));
}

#[test]
fn shipped_example_upgrades_cleanly() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/examples/palette");
    let paths = ["base.json", "current.json", "incoming.json"].map(|f| root.join(f));
    let args: Vec<&std::ffi::OsStr> = paths.iter().map(|p| p.as_os_str()).collect();
    let out = profile(&args);
    assert_eq!(out.status.code(), Some(0));
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let incoming: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&paths[2]).unwrap()).unwrap();
    // Everything but `values` is incoming's.
    let strip = |mut v: serde_json::Value| {
        for p in v["spec"]["template"]["packs"].as_array_mut().unwrap() {
            p.as_object_mut().unwrap().remove("values");
        }
        v
    };
    assert_eq!(strip(got.clone()), strip(incoming));
    let k8s = got["spec"]["template"]["packs"][1]["values"]
        .as_str()
        .unwrap();
    assert!(k8s.contains("podCIDR: \"10.10.0.0/16\""));
    assert!(k8s.contains("kube-apiserver:v1.29.4"));
    assert!(k8s.contains("read-only-port : \"0\""));
    assert!(k8s.contains("k8sHardening: True"));
    assert!(!k8s.ends_with('\n'));
}
