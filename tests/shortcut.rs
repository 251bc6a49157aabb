//! The shortcut for large files (entries untouched by both sides, at any
//! depth, are checked once and not merged) must give exactly what the full
//! merge gives: the same text, the same conflicts at the same lines, the
//! same changes. Checked on every behaviour case, on random edits of them at
//! the top level and below it, on the bench generator's files (top-level and
//! nested), and on inputs the shortcut must hand back.

mod common;
mod edits;
mod generate;
#[path = "../benches/common/mod.rs"]
mod generator;

use std::path::Path;

use edits::{Rng, edit};
use yamerge::routes::{full, shortcut, shortcut_depth};
use yamerge::{ConflictStyle, Input, MergeOptions, Side};

/// Runs both routes; `Ok(true)` when the shortcut applied and agreed,
/// `Ok(false)` when it did not apply, `Err` describing a disagreement.
fn compare(b: &str, c: &str, i: &str, opts: &MergeOptions) -> Result<bool, String> {
    let inputs = || {
        (
            Input::new("base", b.as_bytes()),
            Input::new("current", c.as_bytes()),
            Input::new("incoming", i.as_bytes()),
        )
    };
    let (ib, ic, ii) = inputs();
    let Some(fast) = shortcut(ib, ic, ii, opts) else {
        return Ok(false);
    };
    let (ib, ic, ii) = inputs();
    let whole = match full(ib, ic, ii, opts) {
        Ok(m) => m,
        Err(e) => return Err(format!("the full path fails ({e}), the shortcut does not")),
    };
    let show = |m: &yamerge::MergeResult| format!("{:#?}\n{:#?}", m.conflicts, m.changes);
    if fast.text != whole.text {
        return Err(format!(
            "texts differ\n--- full\n{}\n--- shortcut\n{}",
            whole.text, fast.text
        ));
    }
    if show(&fast) != show(&whole) {
        return Err(format!(
            "reports differ\n--- full\n{}\n--- shortcut\n{}",
            show(&whole),
            show(&fast)
        ));
    }
    Ok(true)
}

fn option_sets() -> Vec<MergeOptions> {
    let mut sets = Vec::new();
    for layout in [Side::Incoming, Side::Current] {
        for style in [
            ConflictStyle::Diff3,
            ConflictStyle::Zdiff3,
            ConflictStyle::Merge,
        ] {
            sets.push(MergeOptions {
                layout,
                style,
                ..MergeOptions::default()
            });
        }
    }
    sets
}

fn report(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} disagreements; the first:\n{}",
        failures.len(),
        failures[0]
    );
}

fn cases() -> Vec<[String; 3]> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cases");
    let mut dirs: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs.iter()
        .filter_map(|d| {
            let read = |f: &str| std::fs::read_to_string(d.join(f)).ok();
            Some([
                read("base.yaml")?,
                read("current.yaml")?,
                read("incoming.yaml")?,
            ])
        })
        .collect()
}

#[test]
fn agrees_with_the_full_merge_on_every_case() {
    let (mut applied, mut failures) = (0, Vec::new());
    for [b, c, i] in cases() {
        for opts in option_sets() {
            match compare(&b, &c, &i, &opts) {
                Ok(hit) => applied += usize::from(hit),
                Err(e) => failures.push(format!("{e}\n--- base\n{b}")),
            }
        }
    }
    report(&failures);
    // Most cases are too small to cut; enough of them must be for this to
    // test anything.
    assert!(applied >= 20, "the shortcut applied only {applied} times");
}

/// Edits of whole entries, where the shortcut cuts: at the top level, or
/// with `nested` at any indentation: comments and blank lines above an
/// entry, the entry removed or moved to the end of its mapping, a key added,
/// a deeper comment or a line of spaces after it.
fn entry_edit(text: &str, rng: &mut Rng, tag: &str, nested: bool) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let content = |l: &str| !l.trim().is_empty() && !l.trim_start().starts_with('#');
    let keys: Vec<usize> = (0..lines.len())
        .filter(|&k| {
            let l = &lines[k];
            l.trim_start()
                .starts_with(|c: char| c.is_ascii_alphanumeric())
                && l.contains(':')
                && (nested || indent(l) == 0)
        })
        .collect();
    if keys.len() < 2 {
        return text.to_string();
    }
    let at = keys[rng.below(keys.len())];
    let d = indent(&lines[at]);
    let next = |shallower: bool| {
        (at + 1..lines.len())
            .find(|&k| content(&lines[k]) && indent(&lines[k]) + usize::from(shallower) <= d)
            .unwrap_or(lines.len())
    };
    let (end, parent_end) = (next(false), next(true));
    let pad = " ".repeat(d);
    match rng.below(7) {
        0 => lines.insert(at, format!("{pad}# {tag} says")),
        1 => lines.insert(at, String::new()),
        2 => {
            lines.drain(at..end);
        }
        3 => {
            let moved: Vec<String> = lines.drain(at..end).collect();
            let to = parent_end - moved.len();
            lines.splice(to..to, moved);
        }
        4 => lines.insert(at, format!("{pad}{tag}_key: 1")),
        5 => lines.insert(end, format!("{pad}  # {tag} trailing note")),
        _ => lines.insert(end, "   ".to_string()),
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn random_side(b: &str, rng: &mut Rng, tag: &str) -> String {
    match rng.below(3) {
        0 => edit(b, rng, tag),
        1 => entry_edit(b, rng, tag, false),
        _ => entry_edit(&edit(b, rng, tag), rng, tag, false),
    }
}

/// Whether a text's top level is a block mapping or a stream of documents.
fn cuttable(text: &str) -> bool {
    let Ok(tree) = yamerge::syntax::parse("base", text.as_bytes()) else {
        return false;
    };
    let docs = tree.documents();
    docs.len() > 1
        || docs.first().is_some_and(|d| {
            d.root != yamerge::syntax::NO_NODE
                && tree.node(d.root).kind == yamerge::syntax::NodeKind::BlockMap
        })
}

#[test]
fn agrees_with_the_full_merge_on_random_edits() {
    // Only bases the shortcut can cut at all (a block mapping or a stream of
    // documents at the top), so that how often it applies does not depend
    // on how many other cases there are.
    let bases: Vec<String> = cases()
        .into_iter()
        .map(|[b, _, _]| b)
        .filter(|b| b.lines().count() >= 6 && cuttable(b))
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut applied, mut failures) = (0, Vec::new());
    let opts = option_sets();
    for n in 0..3000 {
        let b = &bases[rng.below(bases.len())];
        let (c, i) = (
            random_side(b, &mut rng, "cur"),
            random_side(b, &mut rng, "inc"),
        );
        match compare(b, &c, &i, &opts[n % opts.len()]) {
            Ok(hit) => applied += usize::from(hit),
            Err(e) => failures.push(format!(
                "{e}\n--- base\n{b}\n--- current\n{c}\n--- incoming\n{i}"
            )),
        }
    }
    report(&failures);
    assert!(applied >= 300, "the shortcut applied only {applied} times");
}

/// `text` moved `levels` mappings down (under `charts:`, `app:`, ...,
/// indented by two per level), with siblings before and after it at every
/// level.
fn nested(text: &str, levels: usize) -> String {
    let mut out = String::from("# a chart's values\nname: chart\n");
    for (l, key) in ["charts", "app", "values"].iter().take(levels).enumerate() {
        out.push_str(&format!("{:1$}{key}:\n", "", 2 * l));
        out.push_str(&format!("{:1$}before{l}: 1\n", "", 2 * l + 2));
    }
    for line in text.lines() {
        if !line.is_empty() {
            out.push_str(&" ".repeat(2 * levels));
        }
        out.push_str(line);
        out.push('\n');
    }
    for l in (0..levels).rev() {
        out.push_str(&format!("{:1$}after{l}: 1\n", "", 2 * l + 2));
    }
    out
}

/// Compares both routes on many triples; returns how often the shortcut
/// applied, and how often it cut below the top level.
fn compare_all(triples: impl Iterator<Item = [String; 3]>) -> (usize, usize) {
    let opts = option_sets();
    let (mut applied, mut deeper, mut failures) = (0, 0, Vec::new());
    for (n, [b, c, i]) in triples.enumerate() {
        match compare(&b, &c, &i, &opts[n % opts.len()]) {
            Ok(false) => {}
            Ok(true) => {
                applied += 1;
                let depth = shortcut_depth(
                    Input::new("b", b.as_bytes()),
                    Input::new("c", c.as_bytes()),
                    Input::new("i", i.as_bytes()),
                );
                deeper += usize::from(depth.is_some_and(|d| d > 0));
            }
            Err(e) => failures.push(format!(
                "{e}\n--- base\n{b}\n--- current\n{c}\n--- incoming\n{i}"
            )),
        }
    }
    report(&failures);
    (applied, deeper)
}

#[test]
fn agrees_with_the_full_merge_on_nested_line_edits() {
    let mut rng = Rng(0x5851_F42D_4C95_7F2D);
    let valid = |t: &str| yamerge::syntax::parse("t", t.as_bytes()).is_ok();
    let triples = (0..1500).map(|n| {
        let b = nested(&generate::helm_values(&mut rng), 1 + n % 3);
        let mut side = |tag: &str| match rng.below(3) {
            0 => generate::mutate(&b, &mut rng, tag, &valid),
            1 => entry_edit(&b, &mut rng, tag, true),
            _ => entry_edit(
                &generate::mutate(&b, &mut rng, tag, &valid),
                &mut rng,
                tag,
                true,
            ),
        };
        let (c, i) = (side("cur"), side("inc"));
        [b, c, i]
    });
    let (applied, deeper) = compare_all(triples);
    assert!(
        deeper >= 300,
        "the shortcut cut below the top level only {deeper} times ({applied} in all)"
    );
}

#[test]
fn agrees_with_the_full_merge_on_nested_cases() {
    let bases: Vec<String> = cases()
        .into_iter()
        .map(|[b, _, _]| b)
        .filter(|b| b.lines().count() >= 6 && !b.contains("\n---") && !b.starts_with("- "))
        .collect();
    let mut rng = Rng(0x1405_7B7E_F767_814F);
    let triples = (0..1500).map(|n| {
        let b = nested(&bases[rng.below(bases.len())], 1 + n % 2);
        let mut side = |tag: &str| match rng.below(3) {
            0 => edit(&b, &mut rng, tag),
            1 => entry_edit(&b, &mut rng, tag, true),
            _ => entry_edit(&edit(&b, &mut rng, tag), &mut rng, tag, true),
        };
        let (c, i) = (side("cur"), side("inc"));
        [b, c, i]
    });
    let (applied, deeper) = compare_all(triples);
    assert!(
        deeper >= 300,
        "the shortcut cut below the top level only {deeper} times ({applied} in all)"
    );
}

#[test]
fn agrees_with_the_full_merge_on_the_bench_files() {
    for shape in generator::Shape::ALL {
        for layout in generator::Layout::ALL {
            let t = generator::generate(3000, shape, layout);
            let name = format!("{} {}", shape.name(), layout.name());
            for opts in option_sets() {
                let hit = compare(&t.base, &t.current, &t.incoming, &opts)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(hit, "{name}: the shortcut did not apply");
            }
        }
    }
    let t = generator::manifest_triple(3000);
    assert_eq!(
        compare(&t.base, &t.current, &t.incoming, &MergeOptions::default()),
        Ok(true)
    );
    let t = generator::sparse(3000, 10, 20);
    assert_eq!(
        compare(&t.base, &t.current, &t.incoming, &MergeOptions::default()),
        Ok(true)
    );
}

/// Many top-level sections around `middle`, edited on both sides far from it.
fn big_file(middle: &str) -> [String; 3] {
    let section =
        |k: usize, v: &str| format!("# section {k}\nkey{k}:\n  value: {v}\n  list:\n    - a\n\n");
    let mut files = [String::new(), String::new(), String::new()];
    for k in 0..40 {
        for (side, file) in files.iter_mut().enumerate() {
            let v = match (k, side) {
                (2, 1) => "current",
                (37, 2) => "incoming",
                _ => "base",
            };
            file.push_str(&section(k, v));
            if k == 20 {
                file.push_str(middle);
            }
        }
    }
    files
}

/// Edits of whole documents: removed, moved to the end, added, commented.
fn document_edit(text: &str, rng: &mut Rng, tag: &str) -> String {
    let starts: Vec<usize> = text.match_indices("\n---").map(|(p, _)| p + 1).collect();
    if starts.len() < 2 {
        return text.to_string();
    }
    let k = rng.below(starts.len());
    let (at, end) = (starts[k], starts.get(k + 1).copied().unwrap_or(text.len()));
    let doc = &text[at..end];
    match rng.below(4) {
        0 => format!("{}{}", &text[..at], &text[end..]),
        1 => format!("{}{}{doc}", &text[..at], &text[end..]),
        2 => format!(
            "{}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: {tag}-secret\n{}",
            &text[..at],
            &text[at..]
        ),
        _ => format!("{}# {tag} was here\n{}", &text[..at], &text[at..]),
    }
}

#[test]
fn agrees_with_the_full_merge_on_manifest_streams() {
    let base = generator::manifest_stream(30);
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let (mut applied, mut failures) = (0, Vec::new());
    let opts = option_sets();
    for n in 0..600 {
        let side = |rng: &mut Rng, tag: &str| match rng.below(3) {
            0 => edit(&base, rng, tag),
            1 => document_edit(&base, rng, tag),
            _ => document_edit(&edit(&base, rng, tag), rng, tag),
        };
        let (c, i) = (side(&mut rng, "cur"), side(&mut rng, "inc"));
        match compare(&base, &c, &i, &opts[n % opts.len()]) {
            Ok(hit) => applied += usize::from(hit),
            Err(e) => failures.push(format!("{e}\n--- current\n{c}\n--- incoming\n{i}")),
        }
    }
    report(&failures);
    assert!(applied >= 300, "the shortcut applied only {applied} times");
}

#[test]
fn hands_back_what_it_cannot_vouch_for() {
    let opts = MergeOptions::default();
    let run = |[b, c, i]: &[String; 3]| {
        shortcut(
            Input::new("base", b.as_bytes()),
            Input::new("current", c.as_bytes()),
            Input::new("incoming", i.as_bytes()),
            &opts,
        )
    };
    assert!(
        run(&big_file("")).is_some(),
        "the plain file takes the shortcut"
    );
    for (why, middle) in [
        ("an anchor and an alias", "anchor: &a {x: 1}\nalias: *a\n"),
        ("a second document", "---\nother: 1\n"),
        ("a directive", "%YAML 1.2\n"),
        ("a keep-chomped block scalar", "script: |+\n  echo\n\n"),
        ("invalid YAML", "broken: [1, 2\n"),
        ("a duplicate key", "key5: again\n"),
        ("a nested duplicate key", "dup:\n  a: 1\n  a: 2\n"),
        ("the placeholder's own name", "__yamerge_untouched_0: 0\n"),
        (
            "a multi-line quoted scalar at column 0",
            "quoted: \"one\ntwo\"\n",
        ),
    ] {
        assert!(run(&big_file(middle)).is_none(), "taken despite {why}");
    }
    let crlf = big_file("").map(|t| t.replace('\n', "\r\n"));
    assert!(run(&crlf).is_none(), "taken despite CRLF line breaks");
    // Streams: only documents the merge matches by Kubernetes identity.
    let stream = |extra: &str| {
        let base = generator::manifest_stream(12) + extra;
        let c = base.replace("service-4:1.0", "service-4:2.0");
        let i = base.replace("echo 9", "echo nine");
        [base, c, i]
    };
    assert!(
        run(&stream("")).is_some(),
        "the manifest stream takes the shortcut"
    );
    for (why, extra) in [
        ("a document without identity", "---\nplain: 1\n"),
        (
            "a repeated identity",
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-3\n  namespace: apps\n",
        ),
        ("a document end marker", "...\n"),
    ] {
        assert!(run(&stream(extra)).is_none(), "taken despite {why}");
    }
}

#[test]
fn errors_in_untouched_text_are_reported_where_the_full_path_reports_them() {
    // Large enough for `merge` to try the shortcut, which must hand the
    // error back to the full path to be reported at its true line.
    let files = big_file("broken: [1, 2\n").map(|f| {
        let padding = "# a padding comment line to make the file large\n".repeat(1500);
        padding + &f
    });
    let inputs = || {
        (
            Input::new("base", files[0].as_bytes()),
            Input::new("current", files[1].as_bytes()),
            Input::new("incoming", files[2].as_bytes()),
        )
    };
    let opts = MergeOptions::default();
    let (b, c, i) = inputs();
    let public = yamerge::merge(b, c, i, &opts).unwrap_err().to_string();
    let (b, c, i) = inputs();
    let whole = full(b, c, i, &opts).unwrap_err().to_string();
    assert_eq!(public, whole);
    assert!(public.starts_with("base:1"), "{public}");
}

#[test]
fn large_files_merge_through_the_public_api_as_through_the_full_path() {
    let t = generator::generate(6000, generator::Shape::Conflicts, generator::Layout::Nested);
    let inputs = || {
        (
            Input::new("base", t.base.as_bytes()),
            Input::new("current", t.current.as_bytes()),
            Input::new("incoming", t.incoming.as_bytes()),
        )
    };
    let opts = MergeOptions::default();
    let (b, c, i) = inputs();
    let public = yamerge::merge(b, c, i, &opts).unwrap();
    let (b, c, i) = inputs();
    let whole = full(b, c, i, &opts).unwrap();
    assert_eq!(public.text, whole.text);
    assert!(!public.conflicts.is_empty());
    for (p, w) in public.conflicts.iter().zip(&whole.conflicts) {
        assert_eq!((p.start_line, p.end_line), (w.start_line, w.end_line));
        let first = public.text.lines().nth(p.start_line - 1).unwrap();
        assert!(first.starts_with("<<<<<<<"), "{first}");
    }
}

#[test]
fn large_files_with_duplicate_keys_merge_as_through_the_full_path() {
    // The shortcut hands them back; the full path pairs the occurrences,
    // and its notes name their true lines.
    let padding = "# a padding comment line to make the file large\n".repeat(1500);
    let sides = |[b, c, i]: [String; 3], edit: [(&str, &str); 2]| {
        [
            padding.clone() + &b,
            padding.clone() + &c.replacen(edit[0].0, edit[0].1, 1),
            padding.clone() + &i.replacen(edit[1].0, edit[1].1, 1),
        ]
    };
    let no_edit = [("", ""), ("", "")];
    let both_edit = [("  a: 1\n", "  a: 3\n"), ("  a: 2\n", "  a: 4\n")];
    for (middle, edit, want) in [
        ("key5: again\n", no_edit, "key5 (again at base:"),
        ("dup:\n  a: 1\n  a: 2\n", no_edit, "dup.a (again at base:"),
        ("dup:\n  a: 1\n  a: 2\n", both_edit, "dup.a (again at base:"),
    ] {
        let files = sides(big_file(middle), edit);
        let inputs = || {
            (
                Input::new("base", files[0].as_bytes()),
                Input::new("current", files[1].as_bytes()),
                Input::new("incoming", files[2].as_bytes()),
            )
        };
        let opts = MergeOptions::default();
        let (b, c, i) = inputs();
        let public = yamerge::merge(b, c, i, &opts).unwrap();
        let (b, c, i) = inputs();
        let whole = full(b, c, i, &opts).unwrap();
        assert_eq!(public.text, whole.text);
        assert_eq!(public.notes, whole.notes);
        assert!(public.conflicts.is_empty(), "{}", public.text);
        let note = format!(
            "duplicate key {want}{}:",
            1500 + 21 * 6 + middle.lines().count()
        );
        assert!(
            public.notes[0].starts_with(&note),
            "want `{note}`: {:?}",
            public.notes
        );
        if edit == both_edit {
            assert!(
                public.text.contains("dup:\n  a: 3\n  a: 4\n"),
                "{}",
                public.text
            );
        }
    }
}

#[test]
fn a_line_of_spaces_before_a_key_stays_that_keys_trivia() {
    // Found by fuzzing: a line of spaces above the trivia of a key belongs to
    // that key in the tree, but the line scan left it at the end of the
    // untouched piece before; the key's deletion then kept it, and the
    // conflict after it was reported one line off. (The scan now gives such
    // lines where the tree does; taken or not, the shortcut must agree.)
    let base = "name: app\nk614147: v368795\n    \n# note395968\n# note175521\nreplicas: v431371\n";
    let current = "name: app\nk149620: v24812\nk614147: v368795\n    \n# note395968\n# note175521\nreplicas: v293618\n";
    let incoming = "name: app\nk979024: v487988\nk614147: v368795\n    \n# note395968\n# note175521\nk173064: v431371\n";
    for opts in option_sets() {
        compare(base, current, incoming, &opts).unwrap();
    }
    let base = "foo: 1\n\nbar: 2\n    \ntext: |\n  a\n    \n  b\n\n  c\n \n  d\n";
    let current = "foo: 1\n\nbar: 2\n    \ntext: |\n  a\n    \n  b-\n  c\n \n  \n";
    let incoming = "foo: 1\n\nbar: 2\n    \n1: |\n  a\n    \n  b\n\n  c\n \n  d\n";
    for opts in option_sets() {
        compare(base, current, incoming, &opts).unwrap();
    }
}

#[test]
fn a_placeholder_stays_below_the_same_keys() {
    // Found by fuzzing: incoming's `: replicaCount: 1` starts an entry with
    // an empty key that takes the rest of `app`'s entries as its own; the
    // untouched `image` entry was still at the right depth and line there,
    // but below other keys, and the report named the placeholder.
    let base = "name: x\ncharts:\n  before: 1\n  app:\n    first: 1\n    replicaCount: 1\n    \
                image:\n      tag: 6.5.3\n    service:\n      type: ClusterIP\n      port: 9898\n    \
                last: 1\n  after: 1\n";
    let current = base
        .replace(
            "      type: ClusterIP\n      port: 9898\n",
            "      port: 9898\n      type: ClusterIP\n",
        )
        .replace("  after: 1\n", "  later: 1\n");
    let incoming = base.replace("    replicaCount: 1\n", "  : replicaCount: 1\n");
    for opts in option_sets() {
        compare(base, &current, &incoming, &opts).unwrap();
    }
}
