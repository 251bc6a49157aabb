//! `yamerge solve`: files with git's diff3 conflict markers are re-merged
//! structurally, to the same result as `yamerge merge --layout current` on
//! the triple git merged.

mod support;

use std::process::Output;

use support::{Scratch, assert_same, git_merge_file, have_git, yamerge};

/// Triples git's line merge conflicts on.
const TRIPLES: &[(&str, &str, &str, &str)] = &[
    (
        "adjacent keys",
        "replicas: 2\nimage: app:1.4\npolicy: Always\n",
        "replicas: 3\nimage: app:1.4\npolicy: Always\n",
        "replicas: 2\nimage: app:1.5\npolicy: Always\n",
    ),
    (
        "adjacent nested keys and a clean change",
        "name: web\nresources:\n  cpu: 500m\n  memory: 256Mi\nport: 80\n",
        "name: web\nresources:\n  cpu: 750m\n  memory: 256Mi\nport: 80\n",
        "name: web\nresources:\n  cpu: 500m\n  memory: 512Mi\nport: 8080\n",
    ),
    (
        "different fields of adjacent list items",
        "containers:\n  - name: app\n    image: app:1\n  - image: proxy:1\n    name: sidecar\n",
        "containers:\n  - name: app\n    image: app:2\n  - image: proxy:1\n    name: sidecar\n",
        "containers:\n  - name: app\n    image: app:1\n  - image: proxy:2\n    name: sidecar\n",
    ),
    (
        "a real conflict next to a clean change",
        "a: 1\nb: 1\nc: 1\n",
        "a: 2\nb: 1\nc: 1\n",
        "a: 3\nb: 4\nc: 1\n",
    ),
    (
        "incoming reorders keys (the result keeps current's order)",
        "a: 1\nb: 1\n",
        "a: 2\nb: 1\n",
        "b: 2\na: 1\n",
    ),
    (
        "crlf",
        "a: 1\r\nb: 1\r\n",
        "a: 2\r\nb: 1\r\n",
        "a: 1\r\nb: 3\r\n",
    ),
];

fn run(s: &Scratch, args: &[&str]) -> Output {
    yamerge().current_dir(&s.dir).args(args).output().unwrap()
}

/// Writes the triple and git's diff3 merge of it as `marked.yaml`.
fn marked(tag: &str, base: &str, cur: &str, other: &str, style: &str) -> Scratch {
    let s = Scratch::new(tag);
    s.write("base.yaml", base);
    s.write("current.yaml", cur);
    s.write("incoming.yaml", other);
    let git = git_merge_file(
        &s,
        &[
            style,
            "-L",
            "current",
            "-L",
            "base",
            "-L",
            "incoming",
            "current.yaml",
            "base.yaml",
            "incoming.yaml",
        ],
    );
    assert!(
        git.status.code().is_some_and(|c| c > 0),
        "git should conflict on {tag}"
    );
    s.write("marked.yaml", &git.stdout);
    s
}

#[test]
fn solving_git_diff3_output_equals_merging_the_triple() {
    if !have_git() {
        return;
    }
    for (k, (what, base, cur, other)) in TRIPLES.iter().enumerate() {
        let s = marked(&format!("solve{k}"), base, cur, other, "--diff3");
        let merge = run(
            &s,
            &[
                "merge",
                "-q",
                "--layout",
                "current",
                "base.yaml",
                "current.yaml",
                "incoming.yaml",
            ],
        );
        let solved = run(&s, &["solve", "-p", "-q", "marked.yaml"]);
        assert_same(what, &solved.stdout, &merge.stdout);
        assert_eq!(solved.status.code(), merge.status.code(), "{what}");
        assert!(matches!(merge.status.code(), Some(0 | 1)), "{what}");
        // With -p the file itself is left as it was.
        assert_eq!(s.read("marked.yaml"), git_merge_file_again(&s));
    }
}

fn git_merge_file_again(s: &Scratch) -> Vec<u8> {
    git_merge_file(
        s,
        &[
            "--diff3",
            "-L",
            "current",
            "-L",
            "base",
            "-L",
            "incoming",
            "current.yaml",
            "base.yaml",
            "incoming.yaml",
        ],
    )
    .stdout
}

/// Both sides add the same key next to a conflicting change: zdiff3 moves
/// the shared line out of the conflict (so the rebuilt base holds it too).
const SHARED_ADDITION: (&str, &str, &str, &str) = (
    "shared addition",
    "a: 1\nz: 9\n",
    "a: 2\nx: 1\nz: 9\n",
    "a: 3\nx: 1\nz: 9\n",
);

#[test]
fn zdiff3_output_solves_to_the_same_result() {
    if !have_git() {
        return;
    }
    let (_, base, cur, other) = SHARED_ADDITION;
    let z = marked("zdiff3-moved", base, cur, other, "--zdiff3");
    assert_ne!(
        z.read("marked.yaml"),
        git_merge_file_again(&z),
        "zdiff3 moved a line"
    );
    for (k, (what, base, cur, other)) in TRIPLES.iter().chain([&SHARED_ADDITION]).enumerate() {
        let s = marked(&format!("zsolve{k}"), base, cur, other, "--zdiff3");
        let merge = run(
            &s,
            &[
                "merge",
                "-q",
                "--layout",
                "current",
                "base.yaml",
                "current.yaml",
                "incoming.yaml",
            ],
        );
        let solved = run(&s, &["solve", "-p", "-q", "marked.yaml"]);
        assert_same(what, &solved.stdout, &merge.stdout);
    }
}

#[test]
fn solve_writes_in_place_and_reads_standard_input() {
    if !have_git() {
        return;
    }
    let (_, base, cur, other) = TRIPLES[0];
    let s = marked("in-place", base, cur, other, "--diff3");
    let piped = yamerge()
        .current_dir(&s.dir)
        .args(["solve", "-q"])
        .stdin(std::fs::File::open(s.path("marked.yaml")).unwrap())
        .output()
        .unwrap();
    assert_eq!(piped.status.code(), Some(0));
    assert_eq!(
        piped.stdout,
        b"replicas: 3\nimage: app:1.5\npolicy: Always\n"
    );

    let out = run(&s, &["solve", "marked.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(s.read("marked.yaml"), piped.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err,
        "merged: 1 change from current, 1 from incoming, no conflicts\n"
    );
}

#[test]
fn merge_style_markers_are_refused_with_a_hint() {
    let s = Scratch::new("merge-style");
    let text = "a: 1\n<<<<<<< HEAD\nb: 2\n=======\nb: 3\n>>>>>>> topic\n";
    s.write("f.yaml", text);
    let out = run(&s, &["solve", "f.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("yamerge: f.yaml:4:1: this conflict has no base section"),
        "{err}"
    );
    assert!(err.contains("git checkout --conflict=diff3"), "{err}");
    assert!(err.contains("merge.conflictStyle diff3"), "{err}");
    assert_eq!(s.read("f.yaml"), text.as_bytes(), "the file is untouched");
}

#[test]
fn a_file_without_markers_is_left_alone() {
    let s = Scratch::new("no-markers");
    s.write("f.yaml", "a: 1\n");
    let out = run(&s, &["solve", "f.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no conflict markers found"));
    let out = run(&s, &["solve", "-p", "-q", "f.yaml"]);
    assert_eq!(out.stdout, b"a: 1\n");
}

#[test]
fn invalid_yaml_in_a_version_is_reported_at_the_file_line() {
    let s = Scratch::new("solve-invalid");
    let text = "a: 1\n<<<<<<< x\nb: [2\n||||||| o\nb: 1\n=======\nb: 3\n>>>>>>> y\nc: 1\n";
    s.write("f.yaml", text);
    let out = run(&s, &["solve", "f.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("yamerge: f.yaml:"), "{err}");
    assert!(
        err.contains("(in the current version rebuilt from the conflicts)"),
        "{err}"
    );
    let line: usize = err["yamerge: f.yaml:".len()..]
        .split(':')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(
        (3..=9).contains(&line),
        "line {line} should be inside the file: {err}"
    );
    assert_eq!(s.read("f.yaml"), text.as_bytes());
}

/// The editor workflow: `git merge` left diff3 markers, `yamerge solve`
/// resolves what it can, `git add` marks the file resolved.
#[test]
fn solve_after_a_real_git_merge_keeps_gits_labels() {
    if !have_git() {
        return;
    }
    let s = Scratch::new("solve-git");
    std::fs::create_dir_all(s.path("repo")).unwrap();
    s.ok_git("repo", &["init", "-q"]);
    s.ok_git("repo", &["config", "merge.conflictStyle", "diff3"]);
    let base = "a: 1\nb: 1\nc: 1\n";
    s.write("repo/v.yaml", base);
    s.ok_git("repo", &["add", "-A"]);
    s.ok_git("repo", &["commit", "-q", "-m", "base"]);
    s.ok_git("repo", &["checkout", "-q", "-b", "topic"]);
    s.write("repo/v.yaml", "a: 3\nb: 4\nc: 1\n");
    s.ok_git("repo", &["commit", "-q", "-am", "topic"]);
    s.ok_git("repo", &["checkout", "-q", "main"]);
    s.write("repo/v.yaml", "a: 2\nb: 1\nc: 1\n");
    s.ok_git("repo", &["commit", "-q", "-am", "main"]);
    let merge = s.run_git("repo", &["merge", "topic"]);
    assert!(!merge.status.success());
    let out = run(&s, &["solve", "-q", "repo/v.yaml"]);
    assert_eq!(out.status.code(), Some(1), "a: changed on both sides");
    let solved = String::from_utf8(s.read("repo/v.yaml")).unwrap();
    let lines: Vec<&str> = solved.lines().collect();
    assert_eq!(lines[0], "<<<<<<< HEAD");
    assert!(lines[2].starts_with("||||||| "), "{solved}");
    assert_eq!(lines[6], ">>>>>>> topic");
    assert_eq!(
        &lines[7..],
        ["b: 4", "c: 1"],
        "b's change from topic is merged"
    );
}
