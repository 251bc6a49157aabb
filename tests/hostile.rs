//! Hostile and odd input: every kind gets a clear error (exit 2,
//! `file:line:col: reason`, nothing written) or a correct result, never a
//! panic, a hang, a stack overflow or a silently dropped line.
//!
//! The library is called on the test's own thread, which has a 2 MiB stack
//! (deep input must not overflow it); the binary runs with the main thread's.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use yamerge::{Input, MergeOptions, MergeResult};

const BIN: &str = env!("CARGO_BIN_EXE_yamerge");

// ----- helpers -----------------------------------------------------------------

/// A fresh directory holding the given files.
fn scratch(name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yamerge-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (f, bytes) in files {
        std::fs::write(dir.join(f), bytes).unwrap();
    }
    dir
}

/// `yamerge merge base.yaml current.yaml incoming.yaml -q [extra]` in `dir`.
fn cli(dir: &Path, extra: &[&str]) -> Output {
    Command::new(BIN)
        .args(["merge", "base.yaml", "current.yaml", "incoming.yaml", "-q"])
        .args(extra)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// Runs the CLI on three inputs; returns (exit code, stdout, stderr).
fn cli_merge(name: &str, b: &[u8], c: &[u8], i: &[u8]) -> (i32, String, String) {
    let dir = scratch(
        name,
        &[("base.yaml", b), ("current.yaml", c), ("incoming.yaml", i)],
    );
    let out = cli(&dir, &[]);
    let _ = std::fs::remove_dir_all(&dir);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Asserts a CLI error: exit 2, nothing on standard output, and a message
/// `yamerge: FILE:LINE:COL: ...` that contains `reason`.
fn assert_error(got: (i32, String, String), file: &str, line: usize, col: usize, reason: &str) {
    let (code, out, err) = got;
    assert_eq!(code, 2, "exit code; stderr: {err}");
    assert!(out.is_empty(), "wrote a result: {out}");
    let want = format!("yamerge: {file}:{line}:{col}: ");
    assert!(err.starts_with(&want), "want `{want}…`, got: {err}");
    assert!(err.contains(reason), "want `{reason}` in: {err}");
}

fn lib_merge(b: &[u8], c: &[u8], i: &[u8]) -> yamerge::Result<MergeResult> {
    yamerge::merge(
        Input::new("base", b),
        Input::new("current", c),
        Input::new("incoming", i),
        &MergeOptions::default(),
    )
}

// ----- alias bombs -------------------------------------------------------------

/// "Billion laughs": each level holds nine aliases of the one before, so the
/// expanded data of `levels` levels has 9^levels leaves.
fn laughs(levels: usize, leaf: &str, last_key: &str) -> String {
    let mut s = format!("l0: &l0 [{}]\n", [leaf; 9].join(", "));
    for n in 1..levels {
        let key = if n + 1 == levels { last_key } else { "" };
        let key = if key.is_empty() {
            format!("l{n}")
        } else {
            key.into()
        };
        s.push_str(&format!(
            "{key}: &l{n} [{}]\n",
            vec![format!("*l{}", n - 1); 9].join(", ")
        ));
    }
    s
}

#[test]
fn alias_bombs_are_merged_as_text_never_expanded() {
    // 9^40 leaves if aliases were expanded: no computer could hold that.
    let base = laughs(40, "\"lol\"", "top");
    let current = laughs(40, "\"LOL\"", "top");
    let incoming = laughs(40, "\"lol\"", "renamed");
    let started = Instant::now();
    let m = lib_merge(base.as_bytes(), current.as_bytes(), incoming.as_bytes()).unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(m.conflicts.is_empty());
    // Both changes, and the aliases still written as aliases: the output is
    // as long as the input, not 9^40 leaves.
    assert_eq!(m.text, laughs(40, "\"LOL\"", "renamed"));
    assert!(m.text.len() < 2 * base.len());
    // The tree holds one node per written node, however many aliases point
    // where: memory follows the text.
    let tree = yamerge::syntax::parse("bomb", base.as_bytes()).unwrap();
    assert!(tree.node_count() < base.len() / 3, "{}", tree.node_count());

    // Through the binary too, with a change inside the aliased list.
    let (code, out, err) = cli_merge(
        "laughs",
        base.as_bytes(),
        current.as_bytes(),
        incoming.as_bytes(),
    );
    assert_eq!((code, out), (0, m.text), "{err}");
}

#[test]
fn alias_of_a_changed_anchor_is_left_as_written() {
    // An alias bomb of block mappings, and a change to the anchored node:
    // the aliases are not rewritten with the new value.
    let base = "a: &a {x: 1}\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n";
    let current = "a: &a {x: 2}\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n";
    let incoming = "a: &a {x: 1}\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\nd: 1\n";
    let m = lib_merge(base.as_bytes(), current.as_bytes(), incoming.as_bytes()).unwrap();
    assert_eq!(
        m.text,
        "a: &a {x: 2}\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\nd: 1\n"
    );
}

// ----- deep nesting ------------------------------------------------------------

const DEEP: usize = 10_000;

/// Deep inputs of each shape, with the line and column where the nesting
/// limit is met.
fn deep_inputs() -> Vec<(&'static str, String, usize, usize)> {
    let mut block_map = String::with_capacity(DEEP * DEEP / 2 + 4 * DEEP);
    for i in 0..DEEP {
        block_map.extend(std::iter::repeat_n(' ', i));
        block_map.push_str("a:\n");
    }
    block_map.extend(std::iter::repeat_n(' ', DEEP));
    block_map.push_str("x\n");
    vec![
        // The 256th nested mapping's key.
        ("block mapping", block_map, 256, 256),
        (
            "block sequence",
            format!("{}x\n", "- ".repeat(DEEP)),
            1,
            513,
        ),
        (
            "flow sequence",
            format!("k: {}1{}\n", "[".repeat(DEEP), "]".repeat(DEEP)),
            1,
            259,
        ),
        (
            "flow mapping",
            format!("k: {}1{}\n", "{a: ".repeat(DEEP), "}".repeat(DEEP)),
            1,
            1021,
        ),
    ]
}

#[test]
fn nesting_ten_thousand_deep_is_refused_naming_the_limit() {
    let small = b"k: 1\n";
    for (shape, text, line, col) in deep_inputs() {
        // On this thread's 2 MiB stack: an error, not an overflow.
        let e = lib_merge(small, text.as_bytes(), small)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(&format!("current:{line}:{col}: nesting deeper than ")),
            "{shape}: {e}"
        );
        assert!(e.contains("levels is not supported"), "{shape}: {e}");
    }
    // The binary says the same, once per shape kind (block and flow).
    for (shape, text, line, col) in deep_inputs().into_iter().skip(1).take(2) {
        let got = cli_merge("deep", small, text.as_bytes(), small);
        assert_error(got, "current.yaml", line, col, "nesting deeper than");
        let _ = shape;
    }
}

#[test]
fn nesting_just_under_the_limit_merges_on_a_small_stack() {
    // 250 levels of block mappings, changed at the bottom by one side and at
    // the top by the other: every level of the engine's recursion is used.
    let deep = |leaf: &str, extra: &str| {
        let mut s = String::new();
        for i in 0..250 {
            s.push_str(&" ".repeat(i));
            s.push_str("a:\n");
        }
        s.push_str(&" ".repeat(250));
        s.push_str(leaf);
        s.push('\n');
        s.push_str(extra);
        s
    };
    let (b, c, i) = (deep("x: 1", ""), deep("x: 2", ""), deep("x: 1", "z: 3\n"));
    let m = lib_merge(b.as_bytes(), c.as_bytes(), i.as_bytes()).unwrap();
    assert_eq!(m.text, deep("x: 2", "z: 3\n"));
    // Flow nesting just under the parser's limit.
    let flow = |v: &str| format!("k: {}{v}{}\nz: 1\n", "[".repeat(250), "]".repeat(250));
    let m = lib_merge(
        flow("1").as_bytes(),
        flow("2").as_bytes(),
        flow("1").replace("z: 1", "z: 2").as_bytes(),
    )
    .unwrap();
    assert_eq!(m.text, flow("2").replace("z: 1", "z: 2"));
}

// ----- long lines --------------------------------------------------------------

#[test]
fn a_twenty_megabyte_line_merges_in_linear_time() {
    let long = "x".repeat(20 * 1024 * 1024);
    let base = "a: 1\nb: short\n".to_string();
    let current = format!("a: 1\nb: {long}\n");
    let incoming = "a: 2\nb: short\n".to_string();
    let m = lib_merge(base.as_bytes(), current.as_bytes(), incoming.as_bytes()).unwrap();
    assert!(m.conflicts.is_empty());
    assert!(
        m.text == format!("a: 2\nb: {long}\n"),
        "the long line changed"
    );

    // A long line of a flow sequence: a column for each of its 200,000
    // items (this was quadratic, and a 10 MB line never finished).
    let items = "1,".repeat(200_000);
    let flow = format!("a: [{items}2]\nb: 1\n");
    let started = Instant::now();
    let m = lib_merge(
        flow.as_bytes(),
        flow.as_bytes(),
        flow.replace("b: 1", "b: 2").as_bytes(),
    )
    .unwrap();
    assert_eq!(m.text, flow.replace("b: 1", "b: 2"));
    let tree = yamerge::syntax::parse("flow", flow.as_bytes()).unwrap();
    assert_eq!(tree.print(), flow);
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
}

// ----- encodings and bytes -----------------------------------------------------

#[test]
fn invalid_utf8_is_an_error_at_the_bad_byte() {
    let got = cli_merge("utf8", b"a: 1\n", b"a: 1\nb: caf\xe9\n", b"a: 2\n");
    assert_error(got, "current.yaml", 2, 7, "invalid UTF-8");
}

#[test]
fn utf16_and_utf32_say_so_and_how_to_convert() {
    let utf16 = |s: &str, le: bool| -> Vec<u8> {
        s.encode_utf16()
            .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
            .collect()
    };
    let text = "\u{feff}a: 1\n";
    for (bytes, name) in [
        (utf16(text, true), "UTF-16LE"),
        (utf16(text, false), "UTF-16BE"),
        (utf16("a: 1\n", true), "UTF-16LE"),
        (utf16("a: 1\n", false), "UTF-16BE"),
        (b"\xff\xfe\0\0a\0\0\0".to_vec(), "UTF-32LE"),
    ] {
        let got = cli_merge("utf16", b"a: 1\n", &bytes, b"a: 2\n");
        assert_error(
            got,
            "current.yaml",
            1,
            1,
            &format!("{name} is not supported; convert the file to UTF-8"),
        );
    }
    // A UTF-8 byte-order mark is fine, and kept.
    let m = lib_merge(
        b"\xef\xbb\xbfa: 1\n",
        b"\xef\xbb\xbfa: 1\n",
        b"\xef\xbb\xbfa: 2\n",
    );
    assert_eq!(m.unwrap().text, "\u{feff}a: 2\n");
}

#[test]
fn nul_bytes_are_an_error_at_the_byte() {
    let got = cli_merge("nul", b"a: 1\n", b"a: 1\nb: x\0y\n", b"a: 2\n");
    assert_error(got, "current.yaml", 2, 5, "NUL byte");
    // A binary file (a PNG header).
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let (code, _, err) = cli_merge("png", b"a: 1\n", b"a: 1\n", png);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("yamerge: incoming.yaml:1:1: "), "{err}");
}

#[test]
fn crlf_mixed_with_lf_keeps_every_line_ending() {
    let base = "a: 1\r\nb: 1\nc: 1\r\nd: 1\n";
    let current = "a: 2\r\nb: 1\nc: 1\r\nd: 1\n";
    let incoming = "a: 1\r\nb: 1\nc: 1\r\nd: 2\ne: 1\n";
    let (code, out, err) = cli_merge(
        "crlf",
        base.as_bytes(),
        current.as_bytes(),
        incoming.as_bytes(),
    );
    assert_eq!(code, 0, "{err}");
    // Untouched lines keep their own ending; taken lines keep theirs.
    assert_eq!(out, "a: 2\r\nb: 1\nc: 1\r\nd: 2\ne: 1\n");
    // A conflict's marker lines use the file's line ending (its first line's).
    let (code, out, _) = cli_merge(
        "crlf2",
        base.as_bytes(),
        current.as_bytes(),
        "a: 3\r\nb: 1\nc: 1\r\nd: 1\n".as_bytes(),
    );
    assert_eq!(code, 1);
    assert!(out.starts_with("<<<<<<< current\r\na: 2\r\n"), "{out:?}");
}

#[test]
fn tabs_as_indentation_are_an_error_at_the_tab() {
    let got = cli_merge("tabs", b"a:\n  b: 1\n", b"a:\n\tb: 2\n", b"a:\n  b: 1\n");
    assert_error(got, "current.yaml", 2, 1, "tab");
    // Tabs where YAML allows them (among the blanks after `: `, inside
    // values, in comments) are fine and kept.
    let base = "a: \t1\nb: x\ty # c\td\n";
    let m = lib_merge(
        base.as_bytes(),
        base.as_bytes(),
        format!("{base}c: 1\n").as_bytes(),
    )
    .unwrap();
    assert_eq!(m.text, format!("{base}c: 1\n"));
}

// ----- duplicate keys ----------------------------------------------------------

/// Runs the CLI on three inputs with its notes (no `-q`); returns (exit
/// code, stdout, stderr).
fn cli_merge_noting(name: &str, b: &[u8], c: &[u8], i: &[u8]) -> (i32, String, String) {
    let dir = scratch(
        name,
        &[("base.yaml", b), ("current.yaml", c), ("incoming.yaml", i)],
    );
    let out = Command::new(BIN)
        .args(["merge", "base.yaml", "current.yaml", "incoming.yaml"])
        .args(["--color", "never"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn duplicate_keys_are_merged_by_occurrence_with_a_note_naming_them() {
    // Each side edits another occurrence of `a`: both edits land on theirs.
    let got = cli_merge_noting(
        "dup-both",
        b"a: 1\nb: 2\na: 3\n",
        b"a: 1\nb: 2\na: 4\n",
        b"a: 0\nb: 5\na: 3\n",
    );
    assert_eq!(
        (got.0, got.1.as_str()),
        (0, "a: 0\nb: 5\na: 4\n"),
        "{}",
        got.2
    );
    let note = "note: duplicate key a (again at base.yaml:3:1, current.yaml:3:1, \
                incoming.yaml:3:1): its occurrences are paired by order with the other \
                versions' (the first with the first, the second with the second) and merged";
    assert!(got.2.contains(note), "want `{note}` in: {}", got.2);
    // Wherever the duplicate is (one side only, base only), nested, in a
    // flow mapping, or written with different quotes: merged, and the note
    // names each later occurrence at its file:line:col.
    let dup = b"a: 1\nb: 2\na: 3\n";
    for (name, b, c, i, want, place) in [
        (
            "current",
            &b"a: 1\nb: 2\n"[..],
            &dup[..],
            &b"a: 1\nb: 5\n"[..],
            "a: 1\nb: 5\na: 3\n",
            "a (again at current.yaml:3:1):",
        ),
        (
            "base",
            dup,
            dup,
            b"a: 1\nb: 2\n",
            "a: 1\nb: 2\n",
            "a (again at base.yaml:3:1, current.yaml:3:1):",
        ),
    ] {
        let got = cli_merge_noting(&format!("dup-{name}"), b, c, i);
        assert_eq!((got.0, got.1.as_str()), (0, want), "{name}: {}", got.2);
        let note = format!("note: duplicate key {place}");
        assert!(got.2.contains(&note), "want `{note}` in: {}", got.2);
    }
    for (text, place) in [
        (
            "x:\n  k: 1\n  j: 2\n  k: 1\n",
            "x.k (again at current.yaml:4:3)",
        ),
        (
            "x: {k: 1, j: 2, k: 3}\n",
            "x.k (again at current.yaml:1:17)",
        ),
        ("\"k\": 1\n'k': 2\n", "k (again at current.yaml:2:1)"),
        ("- a: 1\n  a: 1\n", "[0].a (again at current.yaml:2:3)"),
    ] {
        let got = cli_merge_noting("dup-more", b"x: 0\n", text.as_bytes(), b"x: 0\n");
        assert_eq!((got.0, got.1.as_str()), (0, text), "{}", got.2);
        let note = format!("note: duplicate key {place}");
        assert!(got.2.contains(&note), "want `{note}` in: {}", got.2);
    }
    // Equal keys in different mappings are no duplicates.
    let fine = "a:\n  k: 1\nb:\n  k: 1\n";
    let m = lib_merge(fine.as_bytes(), fine.as_bytes(), b"a: 2\n").unwrap();
    assert!(m.notes.is_empty(), "{:?}", m.notes);
}

#[test]
fn duplicate_keys_that_cannot_be_paired_are_a_conflict_naming_the_place() {
    // Current dropped one of three `a`s and changed another (which one it
    // dropped is anyone's guess) while incoming changed the first.
    let b = b"m:\n  a: 1\n  a: 2\n  a: 3\nz: 0\n";
    let c = b"m:\n  a: 9\n  a: 3\nz: 0\n";
    let i = b"m:\n  a: 5\n  a: 2\n  a: 3\nz: 1\n";
    let (code, out, err) = cli_merge_noting("dup-ambiguous", b, c, i);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.starts_with("<<<<<<< current\nm:\n  a: 9\n  a: 3\n"),
        "{out}"
    );
    assert!(out.ends_with("z: 1\n"), "{out}");
    let note = "note: current.yaml:2:3: duplicate key m.a: current added or removed some \
                of its occurrences next to ones it changed, and incoming changed them too, \
                so they cannot be paired by order; m is left as a conflict";
    assert!(err.contains(note), "want `{note}` in: {err}");
}

// ----- conflict markers already in an input -----------------------------------

#[test]
fn inputs_holding_conflict_markers_are_refused_pointing_to_solve() {
    let marked = "a: 1\n<<<<<<< HEAD\nb: 2\n||||||| base\nb: 1\n=======\nb: 3\n>>>>>>> topic\n";
    let got = cli_merge(
        "markers",
        b"a: 1\nb: 1\n",
        marked.as_bytes(),
        b"a: 2\nb: 1\n",
    );
    assert_error(
        got,
        "current.yaml",
        2,
        1,
        "this file already holds git conflict markers (`<<<<<<<` here, `>>>>>>>` at line 8)",
    );
    // Also when the markers happen to parse (as one plain scalar), which
    // would otherwise be merged as text.
    let scalar = "<<<<<<< ours\nfoo\n=======\nbar\n>>>>>>> theirs\n";
    assert!(yamerge::syntax::parse("x", scalar.as_bytes()).is_ok());
    let got = cli_merge("markers2", scalar.as_bytes(), b"foo\n", b"baz\n");
    assert_error(got, "base.yaml", 1, 1, "`yamerge solve FILE`");
    // Marker-like lines that are no conflict (inside a block scalar, in a
    // comment) are content.
    let fine = "a: |\n  <<<<<<< x\n  =======\n  >>>>>>> y\n# =======\nb: 1\n";
    let m = lib_merge(
        fine.as_bytes(),
        fine.as_bytes(),
        fine.replace("b: 1", "b: 2").as_bytes(),
    );
    assert_eq!(m.unwrap().text, fine.replace("b: 1", "b: 2"));
}

#[test]
fn the_git_driver_falls_back_to_lines_on_conflict_markers() {
    // A file committed with conflict markers still merges like git would.
    let marked = "<<<<<<< HEAD\nb: 2\n=======\nb: 3\n>>>>>>> topic\nc: 1\n";
    let dir = scratch(
        "driver-markers",
        &[
            ("o.yaml", marked.as_bytes()),
            ("a.yaml", marked.as_bytes()),
            ("b.yaml", marked.replace("c: 1", "c: 2").as_bytes()),
        ],
    );
    let out = Command::new(BIN)
        .args(["git-driver", "o.yaml", "a.yaml", "b.yaml", "-P", "f.yaml"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("merged line by line"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("a.yaml")).unwrap(),
        marked.replace("c: 1", "c: 2")
    );
}

// ----- empty files, comments only, directives ----------------------------------

#[test]
fn empty_and_comment_only_files_merge() {
    let cases: &[(&str, &str, &str, i32, &str)] = &[
        // (base, current, incoming, exit, output)
        ("", "", "", 0, ""),
        ("", "a: 1\n", "", 0, "a: 1\n"),
        ("", "a: 1\n", "a: 1\n", 0, "a: 1\n"),
        // Both sides created the file differently: add/add.
        (
            "",
            "a: 1\n",
            "a: 2\n",
            1,
            "<<<<<<< current\na: 1\n||||||| base\n=======\na: 2\n>>>>>>> incoming\n",
        ),
        // One side emptied the file, the other left it alone.
        ("a: 1\n", "", "a: 1\n", 0, ""),
        // One emptied it, the other changed it: modify/delete.
        (
            "a: 1\n",
            "",
            "a: 2\n",
            1,
            "<<<<<<< current\n||||||| base\na: 1\n=======\na: 2\n>>>>>>> incoming\n",
        ),
        // Comments only.
        ("# one\n", "# one\n# two\n", "# one\n", 0, "# one\n# two\n"),
        (
            "# one\n# two\n",
            "# ONE\n# two\n",
            "# one\n# two\n# three\n",
            0,
            "# ONE\n# two\n# three\n",
        ),
        (
            "# one\n",
            "# mine\n",
            "# theirs\n",
            1,
            "<<<<<<< current\n# mine\n||||||| base\n# one\n=======\n# theirs\n>>>>>>> incoming\n",
        ),
        ("# c\n", "# c\n", "# c\na: 1\n", 0, "# c\na: 1\n"),
        // Blank lines only.
        ("\n\n", "\n\n", "\n\n\n", 0, "\n\n\n"),
    ];
    for (n, (b, c, i, code, want)) in cases.iter().enumerate() {
        let got = cli_merge(
            &format!("empty-{n}"),
            b.as_bytes(),
            c.as_bytes(),
            i.as_bytes(),
        );
        assert_eq!(
            (got.0, got.1.as_str()),
            (*code, *want),
            "case {n}: {b:?} {c:?} {i:?}; {}",
            got.2
        );
    }
}

#[test]
fn directives_are_kept_and_merged_like_text() {
    let doc = |v: &str, w: &str| {
        format!("%YAML 1.2\n%TAG !e! tag:example.com,2000:app/\n---\na: !e!foo {v}\nb: {w}\n...\n")
    };
    let (code, out, err) = cli_merge(
        "directives",
        doc("1", "1").as_bytes(),
        doc("2", "1").as_bytes(),
        doc("1", "3").as_bytes(),
    );
    assert_eq!((code, out), (0, doc("2", "3")), "{err}");
    // A directive added by one side is taken.
    let (code, out, _) = cli_merge(
        "directives2",
        b"---\na: 1\n",
        b"%YAML 1.1\n---\na: 1\n",
        b"---\na: 2\n",
    );
    assert_eq!((code, out.as_str()), (0, "%YAML 1.1\n---\na: 2\n"));
    // A tag whose handle no directive declares is an error at the tag.
    let got = cli_merge("directives3", b"a: 1\n", b"a: !x!y 1\n", b"a: 1\n");
    assert_error(got, "current.yaml", 1, 4, "handle");
}

// ----- not YAML -----------------------------------------------------------------

#[test]
fn non_yaml_input_is_an_error_or_merged_as_text() {
    // Prose with a colon inside is not YAML.
    let prose = "This is some prose. It has a colon: here\nand more lines, which is not YAML.\n";
    let (code, out, err) = cli_merge("prose", b"a: 1\n", prose.as_bytes(), b"a: 2\n");
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(err.starts_with("yamerge: current.yaml:3:1: "), "{err}");
    // Prose without one is one plain scalar: merged like lines of text.
    let text = "first line\nsecond line\nthird line\nfourth line\n";
    let (code, out, _) = cli_merge(
        "prose2",
        text.as_bytes(),
        text.replace("first", "1st").as_bytes(),
        text.replace("fourth", "4th").as_bytes(),
    );
    assert_eq!(
        (code, out.as_str()),
        (0, "1st line\nsecond line\nthird line\n4th line\n")
    );
    // A shell script is not YAML either.
    let script = "#!/bin/sh\nif [ -f x ]; then\n  echo \"a: b\"\nfi\n";
    let (code, _, err) = cli_merge("script", b"a: 1\n", script.as_bytes(), b"a: 2\n");
    assert!(
        code == 2 && err.starts_with("yamerge: current.yaml:"),
        "{code} {err}"
    );
}

#[test]
fn json_is_yaml() {
    // Multi-line JSON: changes on lines apart merge like text.
    let json = "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3,\n  \"d\": 4\n}\n";
    let (code, out, err) = cli_merge(
        "json",
        json.as_bytes(),
        json.replace("\"a\": 1", "\"a\": 10").as_bytes(),
        json.replace("\"d\": 4", "\"d\": 40").as_bytes(),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        json.replace("\"a\": 1", "\"a\": 10")
            .replace("\"d\": 4", "\"d\": 40")
    );
    // One-line JSON changed by both in different keys: merged key by key,
    // still JSON; the same key changed differently: a conflict, nothing lost.
    let (code, out, err) = cli_merge(
        "json2",
        br#"{"a": 1, "b": 2}"#,
        br#"{"a": 5, "b": 2}"#,
        br#"{"a": 1, "b": 7}"#,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, r#"{"a": 5, "b": 7}"#);
    assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok());
    let (code, out, _) = cli_merge(
        "json3",
        br#"{"a": 1, "b": 2}"#,
        br#"{"a": 5, "b": 2}"#,
        br#"{"a": 6, "b": 7}"#,
    );
    assert_eq!(code, 1);
    assert!(
        out.contains(r#"{"a": 5, "b": 7}"#) && out.contains(r#"{"a": 6, "b": 7}"#),
        "{out}"
    );
    // JSON in a YAML document.
    let (code, out, _) = cli_merge(
        "json3",
        b"x: {\"a\": 1}\ny: 1\n",
        b"x: {\"a\": 2}\ny: 1\n",
        b"x: {\"a\": 1}\ny: 2\n",
    );
    assert_eq!((code, out.as_str()), (0, "x: {\"a\": 2}\ny: 2\n"));
}

// ----- output safety ------------------------------------------------------------

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("yamerge") || n.ends_with(".tmp"))
        .collect()
}

#[test]
fn output_onto_an_input_keeps_its_permissions_and_errors_leave_no_trace() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch(
        "output",
        &[
            ("base.yaml", b"a: 1\nb: 1\n"),
            ("current.yaml", b"a: 2\nb: 1\n"),
            ("incoming.yaml", b"a: 1\nb: 3\n"),
        ],
    );
    let current = dir.join("current.yaml");
    std::fs::set_permissions(&current, std::fs::Permissions::from_mode(0o600)).unwrap();
    // Onto one of the inputs: read first, then replaced.
    let out = cli(&dir, &["-o", "current.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&current).unwrap(), "a: 2\nb: 3\n");
    let mode = std::fs::metadata(&current).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    // Onto the base with conflicts: written, exit 1.
    std::fs::write(dir.join("incoming.yaml"), "a: 3\nb: 3\n").unwrap();
    let out = cli(&dir, &["-o", "base.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        std::fs::read_to_string(dir.join("base.yaml"))
            .unwrap()
            .contains("<<<<<<< current")
    );
    // An error leaves the target as it was and no temporary file behind.
    std::fs::write(dir.join("base.yaml"), "a: 1\nb: 1\n").unwrap();
    std::fs::write(dir.join("incoming.yaml"), "a: [\n").unwrap();
    let out = cli(&dir, &["-o", "current.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&current).unwrap(), "a: 2\nb: 3\n");
    let mode = std::fs::metadata(&current).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
    // A target that cannot be written (a directory in the way): an error,
    // and still no temporary file.
    std::fs::write(dir.join("incoming.yaml"), "a: 1\nb: 4\n").unwrap();
    std::fs::create_dir(dir.join("taken")).unwrap();
    std::fs::write(dir.join("taken/x"), "x").unwrap();
    let out = cli(&dir, &["-o", "taken"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("yamerge: taken: "));
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_result_that_would_not_parse_is_merged_line_by_line() {
    // Current uses an anchor that incoming deleted: each change alone is
    // fine, together they would leave `*d` pointing nowhere. Every piece is
    // a whole entry copied at its own indentation, which was once trusted
    // without a check (found by fuzzing); then such a result was an error.
    // Now the inputs are merged line by line like git, and as that merge is
    // clean but not valid YAML either, the lines where the sides differ
    // become one conflict: nothing is lost and nothing invalid looks clean.
    let dir = scratch(
        "invalid-result",
        &[
            ("base.yaml", b"defaults: &d {cpu: 1}\nx: 1\n"),
            ("current.yaml", b"defaults: &d {cpu: 1}\nx: 1\ny: *d\n"),
            ("incoming.yaml", b"x: 1\n"),
        ],
    );
    let out = Command::new(BIN)
        .args(["merge", "base.yaml", "current.yaml", "incoming.yaml"])
        .args(["-o", "merged.yaml"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let merged = std::fs::read_to_string(dir.join("merged.yaml")).unwrap();
    assert_eq!(
        merged,
        "<<<<<<< current\ndefaults: &d {cpu: 1}\nx: 1\ny: *d\n\
         ||||||| base\ndefaults: &d {cpu: 1}\nx: 1\n\
         =======\nx: 1\n>>>>>>> incoming\n"
    );
    let notes: Vec<&str> = err.lines().filter(|l| l.starts_with("note: ")).collect();
    assert_eq!(notes.len(), 2, "{err}");
    assert!(
        notes[0].contains("would not give valid YAML") && notes[0].contains("unknown anchor"),
        "{err}"
    );
    assert!(notes[1].contains("are one conflict"), "{err}");
    assert!(
        err.contains("merged line by line: 1 conflict at line 1"),
        "{err}"
    );
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
    // The JSON report says so too; -q silences only the text notes.
    let out = cli(&dir, &["--check", "--report", "json"]);
    let json = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{json}");
    assert!(
        json.contains(r#""clean":false,"method":"lines""#) && json.contains("unknown anchor"),
        "{json}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_line_merge_that_would_not_parse_becomes_one_conflict() {
    // Current drops an anchor, incoming adds an alias of it on a line of
    // its own: git's line merge applies both, and its result would not
    // parse either, so they become one conflict, with the lines both sides
    // start with left outside it. With --prefer, that side's lines.
    let base = "top: 0\na: &x 1\nb: 2\nend: 9\n";
    let current = "top: 0\na: 5\nb: 2\nend: 9\n";
    let incoming = "top: 0\na: &x 1\nb: 2\nend: 9\nd: *x\n";
    let m = lib_merge(base.as_bytes(), current.as_bytes(), incoming.as_bytes()).unwrap();
    assert_eq!(m.method, yamerge::report::Method::Lines);
    assert_eq!(m.conflicts.len(), 1, "{}", m.text);
    assert_eq!(
        m.text,
        "top: 0\n<<<<<<< current\na: 5\nb: 2\nend: 9\n||||||| base\na: &x 1\nb: 2\nend: 9\n\
         =======\na: &x 1\nb: 2\nend: 9\nd: *x\n>>>>>>> incoming\n"
    );
    assert_eq!(m.notes.len(), 2, "{:?}", m.notes);
    let opts = MergeOptions {
        prefer: Some(yamerge::Side::Incoming),
        ..MergeOptions::default()
    };
    let m = yamerge::merge(
        Input::new("base", base.as_bytes()),
        Input::new("current", current.as_bytes()),
        Input::new("incoming", incoming.as_bytes()),
        &opts,
    )
    .unwrap();
    assert!(m.conflicts.is_empty());
    assert_eq!(m.text, incoming);
    assert!(
        m.notes[1].contains("kept incoming's lines"),
        "{:?}",
        m.notes
    );
}

#[test]
fn stray_document_end_markers_parse_and_merge() {
    // `...` with no document before it (found by fuzzing: the block list
    // after it was refused, although the YAML parser accepts it).
    for text in [
        "...\n- a\n",
        "... # end\n\n...\n- - a\n",
        "x\n...\n...\nk: a\n",
    ] {
        let tree = yamerge::syntax::parse("f", text.as_bytes()).unwrap();
        assert_eq!(tree.print(), text);
        tree.check_ranges().unwrap();
    }
    let m = lib_merge(b"...\n- a\n- b\n", b"...\n- a\n- B\n", b"...\n- A\n- b\n").unwrap();
    assert_eq!(m.text, "...\n- A\n- B\n");
}

#[test]
fn non_ascii_in_a_directive_is_refused_not_misread() {
    // The event parser miscounts the characters of a directive's words, so
    // every position after them was off: a panic (found by fuzzing) or a
    // tree pointing at the wrong bytes.
    for text in [
        "%YAML\u{2028} 1.2\r\n--- |\r\n",
        "%FOO \u{e9}\u{e9}\u{e9}\n---\nab: 1\ncd: 2\n",
        "# caf\u{e9}\n%FOO \u{2028}\n--- |\n",
    ] {
        let e = yamerge::syntax::parse("f", text.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(": non-ASCII characters in a directive (a `%` line) are not supported"),
            "{e}"
        );
    }
    let got = cli_merge(
        "directive-utf8",
        b"a: 1\n",
        "%FOO \u{e9}\n---\na: 1\n".as_bytes(),
        b"a: 2\n",
    );
    assert_error(
        got,
        "current.yaml",
        1,
        6,
        "non-ASCII characters in a directive",
    );
    // Non-ASCII text elsewhere near directives is fine.
    let text = "%YAML 1.2\n# caf\u{e9}\n---\na: caf\u{e9}\n";
    let tree = yamerge::syntax::parse("f", text.as_bytes()).unwrap();
    assert_eq!(tree.print(), text);
}

#[test]
fn a_cr_alone_as_line_break_is_refused() {
    // Columns are counted from LF: with CR-only line breaks the nested
    // mapping below was read at column 5, and re-indented text with it.
    let got = cli_merge("cr", b"a:\r  b: 1\r", b"a:\r  b: 2\r", b"a:\r  b: 1\r");
    assert_error(got, "base.yaml", 1, 3, "a line break that is a CR alone");
    // CRLF is fine.
    let m = lib_merge(
        b"a:\r\n  b: 1\r\n",
        b"a:\r\n  b: 2\r\n",
        b"a:\r\n  b: 1\r\n",
    );
    assert_eq!(m.unwrap().text, "a:\r\n  b: 2\r\n");
}

#[test]
fn a_mapping_whose_first_key_is_a_flow_collection_is_a_block_mapping() {
    // `[a]: b` starts with a bracket, yet the mapping is a block one: it was
    // taken for a flow collection, so the block scalar after it was looked
    // for in flow context and the builder panicked (found by fuzzing).
    let text = "[flow]: b\nfoo: |\n \t\n";
    let tree = yamerge::syntax::parse("f", text.as_bytes()).unwrap();
    assert_eq!(tree.print(), text);
    let root = tree.documents()[0].root;
    assert_eq!(tree.node(root).kind, yamerge::syntax::NodeKind::BlockMap);
    for text in [
        "{a: 1}: b\nc: d\n",
        "- [a]: b\n  c: d\n",
        "k:\n  [x, y]: 1\n  z: 2\n",
    ] {
        let tree = yamerge::syntax::parse("f", text.as_bytes()).unwrap();
        assert_eq!(tree.print(), text);
        tree.check_ranges().unwrap();
    }
    // And it merges entry by entry.
    let base = "[a, b]: 1\nc: 1\nd: 1\n";
    let m = lib_merge(
        base.as_bytes(),
        base.replace("c: 1", "c: 2").as_bytes(),
        base.replace("d: 1", "d: 3").as_bytes(),
    )
    .unwrap();
    assert_eq!(m.text, "[a, b]: 1\nc: 2\nd: 3\n");
}

#[test]
fn a_root_indented_on_the_first_line_is_reindented_like_any_entry() {
    // The blanks before a root on the first line of a file were the
    // document header's, not the root's: merged from the version that
    // indented its root, they were put before the other version's root, at
    // another column (found by fuzzing: the result did not parse, and the
    // merge gave up).
    let (b, c, i) = (
        "key: 1\nb: 2\n",
        "  key: 1\n  b: 2\n  c: 3\n",
        "key: 0\nb: 2\n",
    );
    for (layout, want) in [
        (yamerge::Side::Incoming, "key: 0\nb: 2\nc: 3\n"),
        (yamerge::Side::Current, "  key: 0\n  b: 2\n  c: 3\n"),
    ] {
        let opts = MergeOptions {
            layout,
            ..MergeOptions::default()
        };
        let m = yamerge::merge(
            Input::new("base", b.as_bytes()),
            Input::new("current", c.as_bytes()),
            Input::new("incoming", i.as_bytes()),
            &opts,
        )
        .unwrap();
        assert_eq!(
            m.method,
            yamerge::report::Method::Structural,
            "{:?}",
            m.notes
        );
        assert_eq!(m.text, want);
    }
    // A scalar root's indentation is its own too: a conflict of whole roots.
    let m = lib_merge(b"metadata:\n", b"a:\n a:\n", b"  are invalid\n").unwrap();
    assert_eq!(
        m.method,
        yamerge::report::Method::Structural,
        "{:?}",
        m.notes
    );
    assert_eq!(
        m.text,
        "<<<<<<< current\na:\n a:\n||||||| base\nmetadata:\n=======\n  are invalid\n>>>>>>> incoming\n"
    );
    // `...` indented is a plain scalar, not a document end marker.
    for text in ["  a: 1\n  b: 2\n", "  plain\n", "  - x\n", "   ...\n"] {
        let tree = yamerge::syntax::parse("f", text.as_bytes()).unwrap();
        assert_eq!(tree.documents()[0].root_start, 0, "{text:?}");
        assert_eq!(tree.print(), text);
        tree.check_ranges().unwrap();
    }
}
