//! `yamerge git-driver` inside real `git merge` runs: temporary repositories
//! with the driver configured, two branches editing one file.

mod support;

use std::process::Output;

use support::{Scratch, have_git, show};

/// The driver line of the README, plus git's labels (git ≥ 2.44).
fn driver_command() -> String {
    format!(
        "'{}' git-driver %O %A %B -L %L -P %P -s %S -x %X -y %Y",
        env!("CARGO_BIN_EXE_yamerge")
    )
}

/// A repository whose `main` and `topic` branches both edited the files of
/// a common base commit.
struct Repo {
    s: Scratch,
}

impl Repo {
    /// `base`, then `topic` and `main` edits, each a list of (path, text).
    fn new(
        tag: &str,
        attributes: &str,
        base: &[(&str, &[u8])],
        main: &[(&str, &[u8])],
        topic: &[(&str, &[u8])],
    ) -> Repo {
        let s = Scratch::new(tag);
        std::fs::create_dir_all(s.path("repo")).unwrap();
        s.ok_git("repo", &["init", "-q"]);
        let r = Repo { s };
        r.commit(&[(".gitattributes", attributes.as_bytes())], "attributes");
        r.commit(base, "base");
        r.s.ok_git("repo", &["checkout", "-q", "-b", "topic"]);
        r.commit(topic, "topic edits");
        r.s.ok_git("repo", &["checkout", "-q", "main"]);
        r.commit(main, "main edits");
        r
    }

    fn commit(&self, files: &[(&str, &[u8])], message: &str) {
        for (path, text) in files {
            self.s.write(&format!("repo/{path}"), text);
        }
        self.s.ok_git("repo", &["add", "-A"]);
        self.s.ok_git("repo", &["commit", "-q", "-m", message]);
    }

    fn use_driver(&self) {
        self.s.ok_git(
            "repo",
            &[
                "config",
                "merge.yamerge.name",
                "yamerge structural YAML merge",
            ],
        );
        self.s.ok_git(
            "repo",
            &["config", "merge.yamerge.driver", &driver_command()],
        );
    }

    fn merge_topic(&self) -> Output {
        self.s.run_git("repo", &["merge", "--no-edit", "topic"])
    }

    fn file(&self, path: &str) -> String {
        String::from_utf8(self.s.read(&format!("repo/{path}"))).unwrap()
    }

    fn unmerged(&self) -> String {
        self.s.ok_git("repo", &["ls-files", "-u"])
    }

    /// The abbreviated merge base, which git passes as `%S`.
    fn base_label(&self) -> String {
        let base = self.s.ok_git("repo", &["merge-base", "main", "topic"]);
        self.s
            .ok_git("repo", &["rev-parse", "--short", base.trim()])
            .trim()
            .to_string()
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const VALUES: &str = "# app settings
replicas: 2
image: registry.example.com/app:1.4
pullPolicy: IfNotPresent
resources:
  cpu: 500m
  memory: 256Mi
";

#[test]
fn driver_merges_adjacent_keys_cleanly_where_git_conflicts() {
    if !have_git() {
        return;
    }
    let main = VALUES
        .replace("replicas: 2", "replicas: 3")
        .replace("cpu: 500m", "cpu: 750m");
    let topic = VALUES
        .replace("app:1.4", "app:1.5")
        .replace("memory: 256Mi", "memory: 512Mi");
    let r = Repo::new(
        "adjacent",
        "*.yaml merge=yamerge\n",
        &[("values.yaml", VALUES.as_bytes())],
        &[("values.yaml", main.as_bytes())],
        &[("values.yaml", topic.as_bytes())],
    );
    // Without the driver configured git uses its own line merge: conflicts.
    let control = r.merge_topic();
    assert!(
        !control.status.success(),
        "git's own merge was expected to conflict"
    );
    assert!(r.file("values.yaml").contains("<<<<<<<"));
    r.s.ok_git("repo", &["merge", "--abort"]);

    r.use_driver();
    let out = r.merge_topic();
    assert!(out.status.success(), "merge failed: {}", stderr(&out));
    let want = VALUES
        .replace("replicas: 2", "replicas: 3")
        .replace("app:1.4", "app:1.5")
        .replace("cpu: 500m", "cpu: 750m")
        .replace("memory: 256Mi", "memory: 512Mi");
    assert_eq!(r.file("values.yaml"), want);
    assert_eq!(r.unmerged(), "");
    let committed = r.s.ok_git("repo", &["show", "HEAD:values.yaml"]);
    assert_eq!(committed, want, "the merge commit holds the merged file");
    assert!(
        stderr(&out)
            .contains("values.yaml: merged: 2 changes from current, 2 from incoming, no conflicts"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn driver_leaves_a_real_conflict_marked_and_unmerged() {
    if !have_git() {
        return;
    }
    let main = VALUES
        .replace("replicas: 2", "replicas: 3")
        .replace("cpu: 500m", "cpu: 750m");
    let topic = VALUES
        .replace("replicas: 2", "replicas: 5")
        .replace("memory: 256Mi", "memory: 512Mi");
    let r = Repo::new(
        "conflict",
        "*.yaml merge=yamerge\n",
        &[("values.yaml", VALUES.as_bytes())],
        &[("values.yaml", main.as_bytes())],
        &[("values.yaml", topic.as_bytes())],
    );
    r.use_driver();
    let out = r.merge_topic();
    assert!(
        !out.status.success(),
        "the merge should stop on the conflict"
    );
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(
        said.contains("CONFLICT (content): Merge conflict in values.yaml"),
        "{said}"
    );
    let want = format!(
        "# app settings
<<<<<<< HEAD
replicas: 3
||||||| {}
replicas: 2
=======
replicas: 5
>>>>>>> topic
image: registry.example.com/app:1.4
pullPolicy: IfNotPresent
resources:
  cpu: 750m
  memory: 512Mi
",
        r.base_label()
    );
    assert_eq!(
        r.file("values.yaml"),
        want,
        "\n{}",
        show(r.file("values.yaml").as_bytes())
    );
    let stages: Vec<String> = r
        .unmerged()
        .lines()
        .map(|l| {
            l.split_whitespace().nth(2).unwrap_or("").to_string()
                + " "
                + l.rsplit('\t').next().unwrap_or("")
        })
        .collect();
    assert_eq!(stages, ["1 values.yaml", "2 values.yaml", "3 values.yaml"]);
    let status = r.s.ok_git("repo", &["status", "--porcelain"]);
    assert!(status.contains("UU values.yaml"), "{status}");
}

const BROKEN: &str = "name: demo
items: [one, two
owner: team-a
a
b
c
";

#[test]
fn driver_falls_back_to_git_line_merge_for_invalid_yaml() {
    if !have_git() {
        return;
    }
    let main = BROKEN.replace("name: demo", "name: demo2");
    let topic = BROKEN.replace("\nc\n", "\nC\n");
    let r = Repo::new(
        "invalid",
        "*.yaml merge=yamerge\n",
        &[("broken.yaml", BROKEN.as_bytes())],
        &[("broken.yaml", main.as_bytes())],
        &[("broken.yaml", topic.as_bytes())],
    );
    // Git's own result, to compare with.
    let control = r.merge_topic();
    assert!(control.status.success(), "{}", stderr(&control));
    let git_result = r.file("broken.yaml");
    r.s.ok_git("repo", &["reset", "-q", "--hard", "HEAD~1"]);

    r.use_driver();
    let out = r.merge_topic();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(r.file("broken.yaml"), git_result);
    assert_eq!(
        git_result,
        "name: demo2\nitems: [one, two\nowner: team-a\na\nb\nC\n"
    );
    let err = stderr(&out);
    assert!(
        err.contains("note: broken.yaml: not valid YAML (broken.yaml (base):"),
        "{err}"
    );
    assert!(err.contains("merged line by line like git"), "{err}");
}

const SCRIPT: &str = "#!/bin/sh
set -eu
echo \"starting\"
for f in \"$@\"; do
  process \"$f\"
done
echo \"done\"
";

#[test]
fn driver_merges_non_yaml_like_git_merge_file() {
    if !have_git() {
        return;
    }
    let main = SCRIPT
        .replace("echo \"starting\"", "echo \"starting up\"")
        .replace("process", "process --fast");
    let topic = SCRIPT
        .replace("process", "process --safe")
        .replace("echo \"done\"", "echo \"all done\"");
    let r = Repo::new(
        "text",
        "*.sh merge=yamerge\n",
        &[("run.sh", SCRIPT.as_bytes())],
        &[("run.sh", main.as_bytes())],
        &[("run.sh", topic.as_bytes())],
    );
    r.use_driver();
    let out = r.merge_topic();
    assert!(
        !out.status.success(),
        "the same line was edited on both branches"
    );
    let err = stderr(&out);
    assert!(
        err.contains(
            "note: run.sh: no YAML mappings or lists (plain text); merged line by line like git"
        ),
        "{err}"
    );
    // The stages git kept, merged by git merge-file with the driver's labels.
    for (stage, name) in [("1", "base.sh"), ("2", "ours.sh"), ("3", "theirs.sh")] {
        let blob = r.s.ok_git("repo", &["show", &format!(":{stage}:run.sh")]);
        r.s.write(name, blob);
    }
    let label = r.base_label();
    let git = support::git_merge_file(
        &r.s,
        &[
            "--diff3",
            "-L",
            "HEAD",
            "-L",
            &label,
            "-L",
            "topic",
            "ours.sh",
            "base.sh",
            "theirs.sh",
        ],
    );
    assert_eq!(git.status.code(), Some(1));
    support::assert_same("run.sh", r.file("run.sh").as_bytes(), &git.stdout);
    assert!(r.file("run.sh").contains("echo \"starting up\"\n"));
    assert!(r.file("run.sh").contains("echo \"all done\"\n"));
    assert_eq!(r.unmerged().lines().count(), 3);
}

#[test]
fn driver_keeps_ours_for_binary_files() {
    if !have_git() {
        return;
    }
    let r = Repo::new(
        "binary",
        "*.yaml merge=yamerge\n",
        &[("blob.yaml", b"a: 1\n\0\n")],
        &[("blob.yaml", b"a: 2\n\0\n")],
        &[("blob.yaml", b"a: 3\n\0\n")],
    );
    r.use_driver();
    let out = r.merge_topic();
    assert!(!out.status.success());
    assert_eq!(r.s.read("repo/blob.yaml"), b"a: 2\n\0\n");
    assert!(stderr(&out).contains("binary file"), "{}", stderr(&out));
    assert_eq!(r.unmerged().lines().count(), 3);
}

#[test]
fn driver_exits_two_and_keeps_current_on_a_missing_input() {
    let s = Scratch::new("driver-missing");
    let current = s.write("current.yaml", "a: 1\n");
    let out = support::yamerge()
        .args(["git-driver", "nope.yaml"])
        .arg(&current)
        .arg("nope2.yaml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(s.read("current.yaml"), b"a: 1\n");
    assert!(
        stderr(&out).starts_with("yamerge: nope.yaml: "),
        "{}",
        stderr(&out)
    );
}

/// `git mergetool` with the README's setup resolves what git's own merge
/// left conflicted, and git takes the exit status as the verdict.
#[test]
fn mergetool_resolves_a_conflicted_path() {
    if !have_git() {
        return;
    }
    let main = VALUES.replace("replicas: 2", "replicas: 3");
    let topic = VALUES.replace("app:1.4", "app:1.5");
    let r = Repo::new(
        "mergetool",
        "",
        &[("values.yaml", VALUES.as_bytes())],
        &[("values.yaml", main.as_bytes())],
        &[("values.yaml", topic.as_bytes())],
    );
    let cmd = format!(
        "'{}' merge \"$BASE\" \"$LOCAL\" \"$REMOTE\" -o \"$MERGED\"",
        env!("CARGO_BIN_EXE_yamerge")
    );
    r.s.ok_git("repo", &["config", "mergetool.yamerge.cmd", &cmd]);
    r.s.ok_git(
        "repo",
        &["config", "mergetool.yamerge.trustExitCode", "true"],
    );
    r.s.ok_git("repo", &["config", "mergetool.keepBackup", "false"]);
    assert!(
        !r.merge_topic().status.success(),
        "git's own merge conflicts"
    );
    let out =
        r.s.run_git("repo", &["mergetool", "--tool", "yamerge", "--no-prompt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let want = VALUES
        .replace("replicas: 2", "replicas: 3")
        .replace("app:1.4", "app:1.5");
    assert_eq!(r.file("values.yaml"), want);
    assert_eq!(r.unmerged(), "", "mergetool marked the path resolved");
}
