//! The merge laws of docs/design.md, checked on generated YAML documents and
//! generated edits of them:
//! - merge(b, b, x) = merge(b, x, b) = merge(b, x, x) = x, byte for byte;
//! - swapping current and incoming (with the layout on the same text) swaps
//!   the conflict sections and, where both sides inserted at one place, the
//!   order of the insertions (current's go first), and nothing else;
//! - a clean result re-parses, and holds every change either side made to a
//!   path the other side left alone.

mod common;

use std::collections::BTreeMap;

use proptest::prelude::*;
use yamerge::{Input, MergeOptions, Side, merge};

/// A generated document.
#[derive(Debug, Clone)]
enum Doc {
    Scalar(String),
    Map(Vec<(String, Doc, Option<String>)>),
    List(Vec<Doc>),
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..6u8).prop_map(|n| format!("v{n}")),
        (0..100u16).prop_map(|n| n.to_string()),
        Just("\"quoted\"".to_string()),
        Just("true".to_string()),
    ]
}

fn doc() -> impl Strategy<Value = Doc> {
    let leaf = scalar().prop_map(Doc::Scalar);
    leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(
                (
                    (0..8u8).prop_map(|k| format!("k{k}")),
                    inner.clone(),
                    prop::option::of((0..3u8).prop_map(|c| format!("note {c}")))
                ),
                1..5
            )
            .prop_map(|entries| {
                let mut seen = std::collections::HashSet::new();
                Doc::Map(
                    entries
                        .into_iter()
                        .filter(|(k, _, _)| seen.insert(k.clone()))
                        .collect(),
                )
            }),
            prop::collection::vec(scalar().prop_map(Doc::Scalar), 1..4).prop_map(Doc::List),
        ]
    })
}

fn render(d: &Doc, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match d {
        Doc::Scalar(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Doc::Map(entries) => {
            for (k, v, comment) in entries {
                if let Some(c) = comment {
                    out.push_str(&format!("{pad}# {c}\n"));
                }
                out.push_str(&format!("{pad}{k}:"));
                match v {
                    Doc::Scalar(s) => out.push_str(&format!(" {s}\n")),
                    _ => {
                        out.push('\n');
                        render(v, indent + 2, out);
                    }
                }
            }
        }
        Doc::List(items) => {
            for item in items {
                out.push_str(&format!("{pad}- "));
                render(item, indent + 2, out);
            }
        }
    }
}

fn text(d: &Doc) -> String {
    let mut s = String::new();
    match d {
        Doc::Map(_) => render(d, 0, &mut s),
        Doc::Scalar(v) => s.push_str(&format!("root: {v}\n")),
        Doc::List(_) => {
            s.push_str("root:\n");
            render(d, 2, &mut s);
        }
    }
    s
}

/// An edit: which node (by pre-order index), what to do, a value.
type Edit = (u16, u8, u16);

fn apply(d: &mut Doc, edit: Edit, counter: &mut u16) {
    let here = *counter;
    *counter += 1;
    let (target, op, val) = edit;
    if here == target {
        match (d, op % 4) {
            (Doc::Scalar(s), _) => *s = format!("e{}", val % 5),
            // A key the map already has is set instead: a duplicate key is
            // not valid input for these laws.
            (Doc::Map(entries), 0) => {
                let (key, value) = (
                    format!("n{}", val % 4),
                    Doc::Scalar(format!("a{}", val % 3)),
                );
                match entries.iter_mut().find(|(k, _, _)| *k == key) {
                    Some(entry) => entry.1 = value,
                    None => entries.push((key, value, None)),
                }
            }
            (Doc::Map(entries), 1) if entries.len() > 1 => {
                entries.remove(val as usize % entries.len());
            }
            (Doc::Map(entries), 2) => {
                let i = val as usize % entries.len();
                entries[i].2 = Some(format!("edited {}", val % 3));
            }
            (Doc::Map(entries), _) => {
                let i = val as usize % entries.len();
                entries[i].1 = Doc::Scalar(format!("r{}", val % 3));
            }
            (Doc::List(items), 0) => items.push(Doc::Scalar(format!("i{}", val % 3))),
            (Doc::List(items), 1) if items.len() > 1 => {
                items.remove(val as usize % items.len());
            }
            (Doc::List(items), _) => {
                let i = val as usize % items.len();
                items[i] = Doc::Scalar(format!("x{}", val % 3));
            }
        }
        *counter = u16::MAX / 2;
        return;
    }
    match d {
        Doc::Scalar(_) => {}
        Doc::Map(entries) => entries
            .iter_mut()
            .for_each(|(_, v, _)| apply(v, edit, counter)),
        Doc::List(items) => items.iter_mut().for_each(|v| apply(v, edit, counter)),
    }
}

fn edited(d: &Doc, edits: &[Edit]) -> Doc {
    let mut d = d.clone();
    for &e in edits {
        apply(&mut d, e, &mut 0);
    }
    d
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec((0..20u16, 0..8u8, 0..50u16), 0..4)
}

fn run(b: &str, c: &str, i: &str, opts: &MergeOptions) -> yamerge::MergeResult {
    merge(
        Input::new("base", b.as_bytes()),
        Input::new("current", c.as_bytes()),
        Input::new("incoming", i.as_bytes()),
        opts,
    )
    .expect("merge of valid inputs")
}

/// Swaps the first and last sections of every conflict.
/// Whether two texts differ only in the order of lines inside each changed
/// run: what both sides inserting at one place looks like when the sides
/// swap roles, since current's insertions go first.
fn same_lines_in_place(a: &str, b: &str) -> bool {
    let (la, lb): (Vec<&str>, Vec<&str>) = (
        a.split_inclusive('\n').collect(),
        b.split_inclusive('\n').collect(),
    );
    let diff = similar::TextDiff::from_slices(&la, &lb);
    diff.grouped_ops(0).iter().all(|group| {
        let (mut old, mut new): (Vec<&str>, Vec<&str>) = Default::default();
        for op in group {
            old.extend(&la[op.old_range()]);
            new.extend(&lb[op.new_range()]);
        }
        old.sort_unstable();
        new.sort_unstable();
        old == new
    })
}

fn swap_sections(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        if !line.starts_with("<<<<<<< ") {
            out.push_str(line);
            continue;
        }
        let (mut first, mut base, mut last) = (String::new(), String::new(), String::new());
        let mut base_marker = String::new();
        let mut part = 0;
        let mut end_label = String::new();
        for l in lines.by_ref() {
            if l.starts_with("|||||||") {
                part = 1;
                base_marker = l.to_string();
            } else if l.starts_with("=======") {
                part = 2;
            } else if let Some(label) = l.strip_prefix(">>>>>>> ") {
                end_label = label.to_string();
                break;
            } else {
                [&mut first, &mut base, &mut last][part].push_str(l);
            }
        }
        out.push_str(&format!("<<<<<<< {end_label}"));
        out.push_str(&last);
        out.push_str(&base_marker);
        out.push_str(&base);
        out.push_str("=======\n");
        out.push_str(&first);
        out.push_str(&format!(">>>>>>> {}", &line[8..]));
    }
    out
}

/// Path → canonical value for every mapping path (lists are leaves).
fn flatten(text: &str) -> BTreeMap<String, String> {
    use saphyr::{LoadableYamlNode, Yaml};
    fn walk(y: &Yaml, path: String, out: &mut BTreeMap<String, String>) {
        if let Yaml::Mapping(m) = y {
            for (k, v) in m {
                let key = common::canonical_data_of(k);
                walk(v, format!("{path}/{key}"), out);
            }
        } else {
            out.insert(path, common::canonical_data_of(y));
        }
    }
    let mut out = BTreeMap::new();
    for (n, d) in Yaml::load_from_str(text).expect("valid").iter().enumerate() {
        walk(d, format!("#{n}"), &mut out);
    }
    out
}

#[test]
fn a_comment_after_another_versions_block_scalar_stays_a_comment() {
    // Incoming's last entry is a keep-chomped block scalar with trailing
    // comments, the second one as indented as the scalar's text. Current's
    // layout puts its own `|` scalar last, and that comment, copied after it
    // at its own indentation, became the scalar's text: the two layouts gave
    // different data (found by the `laws` fuzz target).
    let (b, c, i) = (
        "keep: |+\n",
        "clip: |\n",
        "keep2: |+\n  # text\n # Trail\n  # comments.\n",
    );
    let by = |layout| {
        let opts = MergeOptions {
            layout,
            ..MergeOptions::default()
        };
        run(b, c, i, &opts)
    };
    let (mi, mc) = (by(Side::Incoming), by(Side::Current));
    assert!(mi.conflicts.is_empty() && mc.conflicts.is_empty());
    assert_eq!(
        mc.text,
        "keep2: |+\n  # text\n # Trail\nclip: |\n# comments.\n"
    );
    assert_eq!(flatten(&mi.text), flatten(&mc.text));
}

proptest! {
    #![proptest_config(common::proptest_config(400))]

    #[test]
    fn unchanged_side_gives_the_other_byte_for_byte(base in doc(), e in edits()) {
        let (b, x) = (text(&base), text(&edited(&base, &e)));
        let opts = MergeOptions::default();
        prop_assert_eq!(run(&b, &b, &x, &opts).text, x.clone());
        prop_assert_eq!(run(&b, &x, &b, &opts).text, x.clone());
        prop_assert_eq!(run(&b, &x, &x, &opts).text, x.clone());
    }

    #[test]
    fn swapping_sides_swaps_conflict_sections(base in doc(), ec in edits(), ei in edits()) {
        let (b, c, i) = (text(&base), text(&edited(&base, &ec)), text(&edited(&base, &ei)));
        let labels = |x: &str, y: &str| [x.to_string(), "base".to_string(), y.to_string()];
        let m1 = run(&b, &c, &i, &MergeOptions { labels: labels("C", "I"), ..MergeOptions::default() });
        let m2 = run(&b, &i, &c, &MergeOptions { layout: Side::Current, labels: labels("I", "C"), ..MergeOptions::default() });
        prop_assert_eq!(m1.conflicts.len(), m2.conflicts.len());
        let swapped = swap_sections(&m2.text);
        prop_assert!(
            same_lines_in_place(&swapped, &m1.text),
            "swapped:\n{}\nnot swapped:\n{}", swapped, m1.text
        );
    }

    #[test]
    fn clean_merges_keep_every_change(base in doc(), ec in edits(), ei in edits()) {
        let (b, c, i) = (text(&base), text(&edited(&base, &ec)), text(&edited(&base, &ei)));
        for layout in [Side::Incoming, Side::Current] {
            let m = run(&b, &c, &i, &MergeOptions { layout, ..MergeOptions::default() });
            if !m.conflicts.is_empty() {
                continue;
            }
            let (fb, fc, fi) = (flatten(&b), flatten(&c), flatten(&i));
            let fo = flatten(&m.text);
            let paths: std::collections::BTreeSet<&String> = fb.keys().chain(fc.keys()).chain(fi.keys()).collect();
            for p in paths {
                let (vb, vc, vi, vo) = (fb.get(p), fc.get(p), fi.get(p), fo.get(p));
                // A change by one side to a path the other side left alone.
                let covered_by_parent = |f: &BTreeMap<String, String>| {
                    f.keys().any(|k| p.starts_with(&format!("{k}/")))
                };
                if vc != vb && vi == vb && !covered_by_parent(&fi) && !covered_by_parent(&fb) {
                    prop_assert_eq!(vo, vc, "current's change at {} lost\n{}", p, m.text);
                }
                if vi != vb && vc == vb && !covered_by_parent(&fc) && !covered_by_parent(&fb) {
                    prop_assert_eq!(vo, vi, "incoming's change at {} lost\n{}", p, m.text);
                }
            }
        }
    }
}

/// Keeps one side's section of every conflict (`keep`: 0 current, 2 incoming).
fn resolve(text: &str, keep: usize) -> String {
    let mut out = String::new();
    let mut part = None;
    for line in text.split_inclusive('\n') {
        match part {
            None if line.starts_with("<<<<<<< ") => part = Some(0),
            None => out.push_str(line),
            Some(_) if line.starts_with("|||||||") => part = Some(1),
            Some(_) if line.starts_with("=======") => part = Some(2),
            Some(_) if line.starts_with(">>>>>>> ") => part = None,
            Some(p) if p == keep => out.push_str(line),
            Some(_) => {}
        }
    }
    out
}

/// The items (canonical text) of every list, by path as in [`flatten`].
fn lists(text: &str) -> BTreeMap<String, Vec<String>> {
    use saphyr::{LoadableYamlNode, Yaml};
    fn walk(y: &Yaml, path: String, out: &mut BTreeMap<String, Vec<String>>) {
        match y {
            Yaml::Mapping(m) => {
                for (k, v) in m {
                    walk(v, format!("{path}/{}", common::canonical_data_of(k)), out);
                }
            }
            Yaml::Sequence(items) => {
                out.insert(path, items.iter().map(common::canonical_data_of).collect());
            }
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    for (n, d) in Yaml::load_from_str(text).expect("valid").iter().enumerate() {
        walk(d, format!("#{n}"), &mut out);
    }
    out
}

/// Every change `side` made to base (a leaf changed, added or removed) is in
/// `resolved`, the merge with every conflict resolved to that side. A list
/// both sides changed holds what `side` added and lacks what it removed
/// (unless the other side added it too).
fn side_changes_kept(b: &str, s: &str, o: &str, resolved: &str) -> Result<(), String> {
    let (fb, fs, fo, fr) = (flatten(b), flatten(s), flatten(o), flatten(resolved));
    let (lb, ls, lo, lr) = (lists(b), lists(s), lists(o), lists(resolved));
    let paths: std::collections::BTreeSet<&String> = fb.keys().chain(fs.keys()).collect();
    for p in paths {
        let (vb, vs) = (fb.get(p), fs.get(p));
        if vb == vs {
            continue;
        }
        let both_changed_list =
            ls.contains_key(p) && lo.contains_key(p) && lb.contains_key(p) && fo.get(p) != vb;
        if !both_changed_list {
            if fr.get(p) != vs {
                return Err(format!(
                    "change at {p} lost: {vb:?} → {vs:?}, merged {:?}",
                    fr.get(p)
                ));
            }
            continue;
        }
        let count = |l: &BTreeMap<String, Vec<String>>, x: &String| {
            l.get(p).map_or(0, |v| v.iter().filter(|y| *y == x).count())
        };
        let items: std::collections::BTreeSet<&String> = lb[p].iter().chain(&ls[p]).collect();
        for x in items {
            let (nb, ns, no, nr) = (count(&lb, x), count(&ls, x), count(&lo, x), count(&lr, x));
            if ns > nb && nr < ns - nb {
                return Err(format!("item {x} added to {p} lost ({nr} in the merge)"));
            }
            if ns < nb && nr > ns + no.saturating_sub(nb) {
                return Err(format!(
                    "item {x} removed from {p} is back ({nr} in the merge)"
                ));
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(common::proptest_config(400))]

    /// No lost change: every leaf current or incoming changed is in the
    /// merge, outside the conflicts or inside one. Taking every conflict's
    /// current section (the same as `--prefer current`) gives a text with
    /// all of current's changes; likewise for incoming.
    #[test]
    fn no_change_is_lost(base in doc(), ec in edits(), ei in edits()) {
        let (b, c, i) = (text(&base), text(&edited(&base, &ec)), text(&edited(&base, &ei)));
        for layout in [Side::Incoming, Side::Current] {
            let opts = MergeOptions { layout, ..MergeOptions::default() };
            let plain = run(&b, &c, &i, &opts);
            for (side, keep, mine, theirs) in [(Side::Current, 0, &c, &i), (Side::Incoming, 2, &i, &c)] {
                let resolved = run(&b, &c, &i, &MergeOptions { prefer: Some(side), ..opts.clone() });
                prop_assert!(resolved.conflicts.is_empty());
                prop_assert_eq!(&resolved.text, &resolve(&plain.text, keep), "{:?} sections", side);
                if let Err(why) = side_changes_kept(&b, mine, theirs, &resolved.text) {
                    prop_assert!(false, "{:?} ({:?} layout): {}\n--- base\n{}--- current\n{}--- incoming\n{}--- merged\n{}",
                        side, layout, why, b, c, i, plain.text);
                }
            }
        }
    }
}
