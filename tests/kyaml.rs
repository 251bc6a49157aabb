//! kustomize's kyaml merge3 cases. Where both sides changed the same path to
//! different values (`true_conflict`), kyaml silently lets one side win;
//! yamerge must report a conflict. Elsewhere yamerge's data must equal
//! kyaml's expected data, or the case is listed below with the reason
//! yamerge's answer is the right one.

mod common;

use yamerge::{Input, MergeOptions, merge};

/// Cases where yamerge's clean data differs from kyaml's on purpose.
const DIFFERS_ON_PURPOSE: &[(&str, &str)] = &[(
    "element_test--merge-with-name-for-same-container-port",
    "both sides added a different `name`d port at the same place; yamerge keeps both, \
     incoming's first (the layout's order), kyaml puts current's first",
)];

/// Cases without a data conflict where yamerge still asks, on purpose.
const CONFLICTS_ON_PURPOSE: &[(&str, &str)] = &[
    (
        "list_test--don-t-add-local-deleted-comment",
        "current deleted the comment on `list:` that incoming rewrote: both edited the same line",
    ),
    (
        "list_test--don-t-update-local-modified-comment",
        "current and incoming rewrote the same comment differently: picking one loses the other",
    ),
    (
        "map_test--remove-an-annotation",
        "incoming rewrote the block mapping as a flow `{}` while current added a key to it; \
         yamerge does not merge across block and flow styles",
    ),
];

fn meta_flag(meta: &str, key: &str) -> bool {
    meta.lines().any(|l| l.trim() == format!("{key}: true"))
}

#[test]
fn kyaml_merge3_cases() {
    let Some(root) = common::shared_testdata("kyaml-merge3") else {
        return;
    };
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("meta.yaml").is_file())
        .collect();
    dirs.sort();
    let (mut agreed, mut conflicts_found, mut on_purpose, mut failures) = (0, 0, 0, Vec::new());
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let read = |f: &str| std::fs::read(dir.join(f)).unwrap_or_default();
        let meta = String::from_utf8(read("meta.yaml")).unwrap();
        let (b, c, i) = (
            read("base.yaml"),
            read("current.yaml"),
            read("incoming.yaml"),
        );
        let result = merge(
            Input::new("base.yaml", &b),
            Input::new("current.yaml", &c),
            Input::new("incoming.yaml", &i),
            &MergeOptions::default(),
        );
        let merged = match result {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{name}: error {e}"));
                continue;
            }
        };
        let must_conflict =
            meta_flag(&meta, "true_conflict") && !meta.contains("via_list_index: true");
        if must_conflict {
            if merged.conflicts.is_empty() {
                failures.push(format!(
                    "{name}: true conflict merged cleanly:\n{}",
                    merged.text
                ));
            } else {
                conflicts_found += 1;
            }
            continue;
        }
        if !merged.conflicts.is_empty() {
            if meta_flag(&meta, "true_conflict") {
                conflicts_found += 1;
            } else if CONFLICTS_ON_PURPOSE.iter().any(|(n, _)| *n == name) {
                on_purpose += 1;
            } else {
                failures.push(format!("{name}: unexpected conflict:\n{}", merged.text));
            }
            continue;
        }
        let expected = String::from_utf8(read("expected.yaml")).unwrap();
        let got = common::canonical_data(&merged.text);
        let want = common::canonical_data(&expected);
        if got == want {
            agreed += 1;
        } else if DIFFERS_ON_PURPOSE.iter().any(|(n, _)| *n == name) {
            on_purpose += 1;
        } else {
            failures.push(format!(
                "{name}: data differs\n--- kyaml expects\n{expected}\n--- yamerge\n{}",
                merged.text
            ));
        }
    }
    println!(
        "kyaml merge3: {} cases, {agreed} agree, {conflicts_found} conflicts reported, {on_purpose} differ on purpose, {} failures",
        dirs.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
