//! yamerge against git's own line merge on the same triples: realistic edits
//! (values changed, keys added, single-line entries deleted, comments added)
//! applied at random to the bases of `testdata/cases`. Where `git merge-file`
//! merges cleanly, yamerge must merge cleanly too, to the same data; where
//! both are clean, the data must agree. (Where git conflicts, yamerge may
//! well be clean: two edits on adjacent lines are not a conflict here.)

mod common;
mod edits;

use std::path::Path;
use std::process::Command;

use edits::{Rng, edit};
use yamerge::{Input, MergeOptions, merge};

fn git_merge(dir: &Path, b: &str, c: &str, i: &str) -> Option<(bool, String)> {
    for (name, text) in [("b.yaml", b), ("c.yaml", c), ("i.yaml", i)] {
        std::fs::write(dir.join(name), text).ok()?;
    }
    let out = Command::new("git")
        .args(["merge-file", "-p", "c.yaml", "b.yaml", "i.yaml"])
        .current_dir(dir)
        .output()
        .ok()?;
    Some((
        out.status.code() == Some(0),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    ))
}

#[test]
fn clean_wherever_git_is_clean_and_to_the_same_data() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cases");
    let mut bases: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path().join("base.yaml")).ok())
        .filter(|t| t.lines().count() >= 6 && common::canonical_data(t).is_ok())
        .collect();
    bases.sort();
    let dir = std::env::temp_dir().join(format!("yamerge-versus-git-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let (mut compared, mut git_conflicts, mut failures) = (0, 0, Vec::new());
    for _ in 0..600 {
        let b = &bases[rng.below(bases.len())];
        let (c, i) = (edit(b, &mut rng, "cur"), edit(b, &mut rng, "inc"));
        if common::canonical_data(&c).is_err() || common::canonical_data(&i).is_err() {
            continue;
        }
        let Some((git_clean, git_text)) = git_merge(&dir, b, &c, &i) else {
            eprintln!("skipped: git is not available");
            return;
        };
        let ours = merge(
            Input::new("base", b.as_bytes()),
            Input::new("current", c.as_bytes()),
            Input::new("incoming", i.as_bytes()),
            &MergeOptions::default(),
        );
        let ours = match ours {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!(
                    "error {e}\n--- base\n{b}\n--- current\n{c}\n--- incoming\n{i}"
                ));
                continue;
            }
        };
        if !git_clean {
            git_conflicts += 1;
            continue;
        }
        let Ok(git_data) = common::canonical_data(&git_text) else {
            continue;
        };
        compared += 1;
        if !ours.conflicts.is_empty() {
            failures.push(format!(
                "conflict where git is clean\n--- base\n{b}\n--- current\n{c}\n--- incoming\n{i}\n--- yamerge\n{}",
                ours.text
            ));
        } else if common::canonical_data(&ours.text).as_ref() != Ok(&git_data) {
            failures.push(format!(
                "data differs from git's\n--- base\n{b}\n--- current\n{c}\n--- incoming\n{i}\n--- yamerge\n{}\n--- git\n{git_text}",
                ours.text
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "versus git: {compared} clean git merges compared, {git_conflicts} git conflicts, {} failures",
        failures.len()
    );
    assert!(compared > 200, "too few comparisons: {compared}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n=====\n"));
}
