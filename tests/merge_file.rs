//! `yamerge merge-file` against the real `git merge-file`, byte for byte:
//! YAML cases both merge cleanly at line level, conflict formatting (labels,
//! marker size, diff3/zdiff3 sections, CRLF), the line-based fallback on
//! text, and the exit codes.

mod support;

use std::process::Output;

use support::{Lcg, Scratch, assert_same, git_merge_file, have_git, yamerge};

/// Writes the triple as `cur`, `base` and `other` in a fresh folder.
fn triple(tag: &str, base: &str, cur: &str, other: &str) -> Scratch {
    let s = Scratch::new(tag);
    s.write("base", base);
    s.write("cur", cur);
    s.write("other", other);
    s
}

fn yamerge_merge_file(s: &Scratch, args: &[&str]) -> Output {
    yamerge()
        .current_dir(&s.dir)
        .args(["merge-file", "-p", "-q"])
        .args(args)
        .output()
        .unwrap()
}

/// Runs both with `args` followed by `cur base other` and compares.
fn compare(s: &Scratch, what: &str, args: &[&str]) {
    let mut full = args.to_vec();
    full.extend(["cur", "base", "other"]);
    let git = git_merge_file(s, &full);
    let ours = yamerge_merge_file(s, &full);
    assert_same(&format!("{what} {args:?}"), &ours.stdout, &git.stdout);
    assert_eq!(
        ours.status.code(),
        git.status.code(),
        "{what} {args:?}: exit status; stderr: {}",
        String::from_utf8_lossy(&ours.stderr)
    );
}

/// YAML triples whose edits are at least one unchanged line apart, so that
/// git's line merge is clean too.
const CLEAN: &[(&str, &str, &str, &str)] = &[
    (
        "top-level keys",
        "a: 1\nb: 2\nc: 3\n",
        "a: 10\nb: 2\nc: 3\n",
        "a: 1\nb: 2\nc: 30\n",
    ),
    (
        "nested keys",
        "server:\n  host: x\n  port: 80\n  tls: false\nname: n\n",
        "server:\n  host: y\n  port: 80\n  tls: false\nname: n\n",
        "server:\n  host: x\n  port: 80\n  tls: true\nname: n\n",
    ),
    (
        "key added at the end, value changed at the top",
        "# settings\nreplicas: 1\nimage: app:1\npolicy: Always\n",
        "# settings\nreplicas: 1\nimage: app:1\npolicy: Always\nextra: yes\n",
        "# settings\nreplicas: 2\nimage: app:1\npolicy: Always\n",
    ),
    (
        "comment and value",
        "# old comment\nkeep: 1\nother: 2\nlast: 3\n",
        "# new comment\nkeep: 1\nother: 2\nlast: 3\n",
        "# old comment\nkeep: 1\nother: 2\nlast: 4\n",
    ),
    (
        "list items",
        "args:\n  - --a\n  - --b\n  - --c\nenv: prod\n",
        "args:\n  - --a\n  - --b\n  - --c\n  - --d\nenv: prod\n",
        "args:\n  - --A\n  - --b\n  - --c\nenv: prod\n",
    ),
    (
        "block scalar lines",
        "script: |\n  one\n  two\n  three\n  four\n",
        "script: |\n  ONE\n  two\n  three\n  four\n",
        "script: |\n  one\n  two\n  three\n  FOUR\n",
    ),
    (
        "no final newline",
        "a: 1\nb: 2\nc: 3",
        "a: 5\nb: 2\nc: 3",
        "a: 1\nb: 2\nc: 6",
    ),
    (
        "crlf",
        "a: 1\r\nb: 2\r\nc: 3\r\n",
        "a: 5\r\nb: 2\r\nc: 3\r\n",
        "a: 1\r\nb: 2\r\nc: 6\r\n",
    ),
];

#[test]
fn clean_yaml_merges_match_git() {
    if !have_git() {
        return;
    }
    for (k, (what, base, cur, other)) in CLEAN.iter().enumerate() {
        let s = triple(&format!("clean{k}"), base, cur, other);
        compare(&s, what, &[]);
        compare(&s, what, &["--diff3"]);
    }
}

/// The same key changed on both sides (plus a clean change a line away).
const CONFLICTS: &[(&str, &str, &str, &str)] = &[
    (
        "top-level key",
        "a: 1\nb: 2\nc: 3\n",
        "a: 10\nb: 2\nc: 3\n",
        "a: 20\nb: 2\nc: 30\n",
    ),
    (
        "nested key",
        "server:\n  host: x\n  port: 80\nname: n\n",
        "server:\n  host: y\n  port: 80\nname: n\n",
        "server:\n  host: z\n  port: 80\nname: n\n",
    ),
    (
        "crlf",
        "a: 1\r\nb: 2\r\nc: 3\r\n",
        "a: 5\r\nb: 2\r\nc: 3\r\n",
        "a: 6\r\nb: 2\r\nc: 3\r\n",
    ),
    (
        "last line",
        "a: 1\nb: 2\nc: 3\n",
        "a: 1\nb: 2\nc: 4\n",
        "a: 1\nb: 2\nc: 5\n",
    ),
];

#[test]
fn conflict_formatting_matches_git() {
    if !have_git() {
        return;
    }
    let flag_sets: &[&[&str]] = &[
        &[],
        &["--diff3"],
        &["--zdiff3"],
        &["-L", "mine"],
        &["--diff3", "-L", "mine", "-L", "old", "-L", "theirs"],
        &["--diff3", "--marker-size", "10"],
        &["--marker-size", "3", "-L", "a b", "-L", "o", "-L", "c"],
        &["--diff3", "--zdiff3"],
        &["--zdiff3", "--diff3"],
        &["--diff3", "--marker-size", "0"],
    ];
    for (k, (what, base, cur, other)) in CONFLICTS.iter().enumerate() {
        let s = triple(&format!("conflict{k}"), base, cur, other);
        for flags in flag_sets {
            compare(&s, what, flags);
        }
    }
}

#[test]
fn ours_and_theirs_resolve_like_git() {
    if !have_git() {
        return;
    }
    let (what, base, cur, other) = CONFLICTS[0];
    let s = triple("favor", base, cur, other);
    let text = triple(
        "favor-text",
        "one\ntwo\nthree\nfour\n",
        "one\n2\nthree\nfour\nfive\n",
        "one\nTWO\nthree\nfour\n",
    );
    for flags in [&["--ours"][..], &["--theirs"], &["--diff3", "--theirs"]] {
        compare(&s, what, flags);
        compare(&text, "text", flags);
    }
}

#[test]
fn without_p_the_result_replaces_current() {
    if !have_git() {
        return;
    }
    let (_, base, cur, other) = CONFLICTS[1];
    let s = triple("in-place", base, cur, other);
    s.write("cur2", cur);
    let git = s.run_git(".", &["merge-file", "--diff3", "cur", "base", "other"]);
    let ours = yamerge()
        .current_dir(&s.dir)
        .args([
            "merge-file",
            "--diff3",
            "-L",
            "cur",
            "cur2",
            "base",
            "other",
        ])
        .output()
        .unwrap();
    assert_eq!(ours.status.code(), git.status.code());
    assert!(ours.stdout.is_empty());
    assert_same("in place", &s.read("cur2"), &s.read("cur"));
    let summary = String::from_utf8_lossy(&ours.stderr);
    assert!(summary.contains("1 conflict at server.host"), "{summary}");
}

/// Prose-like lines that are not YAML mappings or lists.
fn text_line(n: usize) -> String {
    format!("line {n} of the notes")
}

/// A random edit of `lines`: replacements, insertions and deletions, with
/// new lines drawn from a small pool so that both sides sometimes make the
/// same insertion.
fn edit(rng: &mut Lcg, lines: &[String]) -> Vec<String> {
    let mut out = lines.to_vec();
    for _ in 0..rng.below(4) {
        let fresh = text_line(100 + rng.below(6));
        match rng.below(3) {
            0 if !out.is_empty() => {
                let at = rng.below(out.len());
                out[at] = fresh;
            }
            1 if !out.is_empty() => {
                out.remove(rng.below(out.len()));
            }
            _ => out.insert(rng.below(out.len() + 1), fresh),
        }
    }
    out
}

fn join(lines: &[String], eol: &str, final_eol: bool) -> String {
    let mut s = lines.join(eol);
    if final_eol && !lines.is_empty() {
        s.push_str(eol);
    }
    s
}

/// Random text triples (distinct base lines, so that the alignment is not
/// ambiguous): the fallback must give git's bytes and exit status in every
/// style, with LF or CRLF, with or without a final line break.
#[test]
fn text_fallback_matches_git_on_random_triples() {
    if !have_git() {
        return;
    }
    let mut rng = Lcg(0x5eed);
    let s = Scratch::new("random");
    let styles: [&[&str]; 3] = [&[], &["--diff3"], &["--zdiff3"]];
    for case in 0..240 {
        let mut pool: Vec<usize> = (0..20).collect();
        let base: Vec<String> = (0..rng.below(10))
            .map(|_| text_line(pool.remove(rng.below(pool.len()))))
            .collect();
        let cur = edit(&mut rng, &base);
        let other = edit(&mut rng, &base);
        let eol = if rng.below(4) == 0 { "\r\n" } else { "\n" };
        let finals = [rng.below(5) != 0, rng.below(5) != 0, rng.below(5) != 0];
        s.write("base", join(&base, eol, finals[0]));
        s.write("cur", join(&cur, eol, finals[1]));
        s.write("other", join(&other, eol, finals[2]));
        compare(&s, &format!("random case {case}"), styles[case % 3]);
    }
}

/// A line drawn from a pool of `pool` texts, blank and brace lines among
/// them: texts of such lines repeat them often, so that many alignments
/// are equally short and git's rules for lines held very often come into
/// play.
fn repeated_line(rng: &mut Lcg, pool: usize) -> String {
    match rng.below(8) {
        0 => String::new(),
        1 => "}".to_string(),
        _ => text_line(rng.below(pool)),
    }
}

/// Long random text triples with repeated lines and up to as many edits as
/// lines: where the alignment is ambiguous, past the cost where git's diff
/// stops searching for the shortest one and takes its heuristic cuts, and
/// where both sides end up with the same lines through different changes
/// (still a conflict to git), the line merge must give git's bytes,
/// conflicts included, in every style, because it runs git's own diff and
/// merge rules.
#[test]
fn text_fallback_matches_git_with_repeated_lines_and_long_texts() {
    if !have_git() {
        return;
    }
    let mut rng = Lcg(0xd1ff);
    let s = Scratch::new("repeated");
    let styles: [&[&str]; 3] = [&[], &["--diff3"], &["--zdiff3"]];
    for case in 0..96 {
        let len = [200, 5000][case % 2];
        let pool = [30, 5, 4, 3][case / 2 % 4];
        let base: Vec<String> = (0..len).map(|_| repeated_line(&mut rng, pool)).collect();
        let [cur, other] = [0, 1].map(|_| {
            let mut lines = base.clone();
            for _ in 0..rng.below(len + 2) {
                let at = rng.below(lines.len() + 1);
                match rng.below(3) {
                    0 if at < lines.len() => lines[at] = repeated_line(&mut rng, pool),
                    1 if at < lines.len() => {
                        lines.remove(at);
                    }
                    _ => lines.insert(at, repeated_line(&mut rng, pool)),
                }
            }
            lines
        });
        s.write("base", join(&base, "\n", true));
        s.write("cur", join(&cur, "\n", true));
        s.write("other", join(&other, "\n", true));
        compare(
            &s,
            &format!("repeated-lines case {case}"),
            styles[case / 8 % 3],
        );
    }
}

/// Git joins two conflicts separated by at most three lines, or by lines
/// without letters or digits, in `merge` style only.
#[test]
fn nearby_conflicts_are_joined_like_git() {
    if !have_git() {
        return;
    }
    for (k, gap) in [
        "k1\nk2\nk3\n",
        "k1\nk2\nk3\nk4\n",
        "}\n}\n\n)\n;\n",
        "}\n}\nx\n)\n;\n",
    ]
    .iter()
    .enumerate()
    {
        let file = |a: &str, b: &str| format!("start\n{a}\n{gap}{b}\nend\n");
        let s = triple(
            &format!("gap{k}"),
            &file("a", "b"),
            &file("a1", "b1"),
            &file("a2", "b2"),
        );
        for flags in [&[][..], &["--diff3"], &["--zdiff3"]] {
            compare(&s, &format!("gap {gap:?}"), flags);
        }
    }
}

/// Many separate conflicts in a text file: git's exit status is the count,
/// capped at 127.
fn many_conflicts(n: usize) -> [String; 3] {
    let mut files: [String; 3] = Default::default();
    for k in 0..n {
        for (v, file) in files.iter_mut().enumerate() {
            file.push_str(&format!(
                "keep {k} a\nkeep {k} b\nkeep {k} c\nkeep {k} d\nchange {k} by {v}\n"
            ));
        }
    }
    files
}

#[test]
fn exit_status_is_the_conflict_count_capped_at_127() {
    if !have_git() {
        return;
    }
    for (n, want) in [(3, 3), (130, 127)] {
        let [base, cur, other] = many_conflicts(n);
        let s = triple(&format!("count{n}"), &base, &cur, &other);
        compare(&s, &format!("{n} conflicts"), &[]);
        let out = yamerge_merge_file(&s, &["cur", "base", "other"]);
        assert_eq!(out.status.code(), Some(want));
    }
}

#[test]
fn errors_exit_255_like_git() {
    if !have_git() {
        return;
    }
    let s = triple("errors", "a: 1\n", "a: 2\n", "a: 3\n");
    s.write("bin", b"a: 1\0\n");
    let cases: &[&[&str]] = &[
        &["cur", "missing", "other"],
        &["cur", "bin", "other"],
        &[
            "-L", "1", "-L", "2", "-L", "3", "-L", "4", "cur", "base", "other",
        ],
        &["cur", "base"],
    ];
    for args in cases {
        let git = git_merge_file(&s, args);
        let ours = yamerge_merge_file(&s, args);
        let code = ours.status.code();
        // git answers a usage error with 129, any other error with 255.
        assert!(
            matches!(git.status.code(), Some(255 | 129)),
            "git {args:?}: {:?}",
            git.status
        );
        assert_eq!(
            code,
            Some(255),
            "{args:?}: {}",
            String::from_utf8_lossy(&ours.stderr)
        );
        assert!(ours.stdout.is_empty());
        assert!(!ours.stderr.is_empty());
    }
    assert_eq!(s.read("cur"), b"a: 2\n", "current is untouched on error");
}

#[test]
fn quiet_silences_notes_and_summary() {
    let s = triple("quiet", "one\ntwo\n", "one\n2\n", "1\ntwo\n");
    let loud = yamerge()
        .current_dir(&s.dir)
        .args(["merge-file", "-p", "cur", "base", "other"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&loud.stderr);
    assert!(
        err.contains("note: cur: no YAML mappings or lists (plain text)"),
        "{err}"
    );
    let quiet = yamerge_merge_file(&s, &["cur", "base", "other"]);
    assert!(quiet.stderr.is_empty());
    assert_eq!(quiet.stdout, loud.stdout);
}
