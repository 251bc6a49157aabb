//! Tree shapes at the known traps of the parser's event spans (listed in
//! docs/design.md): one test per trap, each pinning exact byte ranges through
//! the public API, plus the round trip and the range check on every input.

use yamerge::Error;
use yamerge::syntax::{Entry, NO_NODE, NodeId, NodeKind, ScalarStyle, Tree, parse};

/// Parses `src`, which must be valid, and checks the round trip and ranges.
fn tree(src: &str) -> Tree {
    let t = parse("t.yaml", src.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{src:?}"));
    assert_eq!(t.print(), src, "round trip");
    t.check_ranges()
        .unwrap_or_else(|why| panic!("{why}\n{}", t.dump()));
    t
}

/// The root node of document `i`.
fn root(t: &Tree, i: usize) -> NodeId {
    t.documents()[i].root
}

/// The entry of mapping `map` whose key is `key`.
fn entry(t: &Tree, map: NodeId, key: &str) -> Entry {
    *t.entries(map)
        .iter()
        .find(|e| e.key != NO_NODE && t.value(e.key) == key)
        .unwrap_or_else(|| panic!("no key {key:?}\n{}", t.dump()))
}

/// The value node of `key` in mapping `map`.
fn value(t: &Tree, map: NodeId, key: &str) -> NodeId {
    entry(t, map, key).value
}

/// A node's own text.
fn text(t: &Tree, id: NodeId) -> &str {
    let n = t.node(id);
    t.slice(n.start, n.end)
}

/// An entry's body: key or `-`, value, trailing comment, line break.
fn body<'t>(t: &'t Tree, e: &Entry) -> &'t str {
    t.slice(e.start, e.end)
}

/// An entry's leading trivia.
fn lead<'t>(t: &'t Tree, e: &Entry) -> &'t str {
    t.slice(e.lead, e.start)
}

/// The syntax error of an invalid input, as `(line, col, reason, display)`.
fn syntax_error(name: &str, bytes: &[u8]) -> (usize, usize, String, String) {
    match parse(name, bytes) {
        Ok(t) => panic!("accepted {bytes:?}\n{}", t.dump()),
        Err(e @ Error::Syntax { .. }) => {
            let display = e.to_string();
            let Error::Syntax { at, reason } = e else {
                unreachable!()
            };
            assert_eq!(at.file, name);
            (at.line, at.col, reason, display)
        }
        Err(e) => panic!("not a syntax error: {e}"),
    }
}

#[test]
fn quoted_scalar_then_comment() {
    let src = "a: \"q\" # c\nb: 'r''s'   # d\nc: \"x\n  y\" # e\nd: 1\n";
    let t = tree(src);
    let m = root(&t, 0);
    let a = entry(&t, m, "a");
    assert_eq!(text(&t, a.value), "\"q\"");
    assert_eq!(t.node(a.value).style, ScalarStyle::DoubleQuoted);
    assert_eq!(t.value(a.value), "q");
    assert_eq!(body(&t, &a), "a: \"q\" # c\n");
    let b = entry(&t, m, "b");
    assert_eq!(text(&t, b.value), "'r''s'");
    assert_eq!(t.value(b.value), "r's");
    assert_eq!(body(&t, &b), "b: 'r''s'   # d\n");
    let c = entry(&t, m, "c");
    assert_eq!(text(&t, c.value), "\"x\n  y\"");
    assert_eq!(body(&t, &c), "c: \"x\n  y\" # e\n");
    assert_eq!(body(&t, &entry(&t, m, "d")), "d: 1\n");
}

#[test]
fn anchor_and_tag_before_comment() {
    let src = "key: &a !t # c\n  x: 1\n  y: 2\nz: &s !!str # s\n  text\nw: &q 'q' # q\n";
    let t = tree(src);
    let m = root(&t, 0);
    let key = entry(&t, m, "key");
    let map = t.node(key.value);
    assert_eq!(map.kind, NodeKind::BlockMap);
    assert!(map.has_properties);
    assert_eq!(text(&t, key.value), "&a !t # c\n  x: 1\n  y: 2");
    assert_eq!(body(&t, &key), "key: &a !t # c\n  x: 1\n  y: 2\n");
    // The nested entries start on the next line: the comment stays on the
    // header line, with the key.
    let x = entry(&t, key.value, "x");
    assert_eq!(lead(&t, &x), "  ");
    assert_eq!(body(&t, &x), "x: 1\n");
    assert_eq!(map.col, 2);
    // A scalar on the line after its properties and a comment.
    let z = entry(&t, m, "z");
    assert_eq!(text(&t, z.value), "&s !!str # s\n  text");
    assert_eq!(t.value(z.value), "text");
    assert_eq!(body(&t, &z), "z: &s !!str # s\n  text\n");
    let w = entry(&t, m, "w");
    assert_eq!(text(&t, w.value), "&q 'q'");
    assert!(t.node(w.value).has_properties);
    assert_eq!(body(&t, &w), "w: &q 'q' # q\n");
}

#[test]
fn empty_values_sit_after_their_indicator() {
    let src = "a:\nb: !!null\nc: &a\nd: # c\ne:\n  -\n  - # empty\n  - x\nf:";
    let t = tree(src);
    let m = root(&t, 0);
    for (key, own, whole) in [
        ("a", "", "a:\n"),
        ("b", "!!null", "b: !!null\n"),
        ("c", "&a", "c: &a\n"),
        ("d", "", "d: # c\n"),
        ("f", "", "f:"),
    ] {
        let e = entry(&t, m, key);
        assert_eq!(text(&t, e.value), own, "value of {key}");
        assert_eq!(body(&t, &e), whole, "entry {key}");
        assert_eq!(t.value(e.value), "", "{key}");
        // Not at the next token: right after the `:` or the properties.
        let colon = e.start as usize + key.len();
        assert_eq!(&src[colon..colon + 1], ":");
        assert!(t.node(e.value).start as usize <= colon + 2, "{key}");
    }
    assert_eq!(t.node(value(&t, m, "a")).start, 2);
    let seq = value(&t, m, "e");
    let items = t.entries(seq);
    assert_eq!(items.len(), 3);
    assert_eq!(body(&t, &items[0]), "-\n");
    assert_eq!(text(&t, items[0].value), "");
    assert_eq!(t.node(items[0].value).start, items[0].start + 1);
    assert_eq!(body(&t, &items[1]), "- # empty\n");
    assert_eq!(body(&t, &items[2]), "- x\n");
    assert_eq!(text(&t, items[2].value), "x");
}

#[test]
fn block_collections_end_at_their_last_value() {
    let src = "a:\n  b: 1\n  c:\n    - x\n    - y\n  # tail in\n# tail out\nd: 3\n";
    let t = tree(src);
    let m = root(&t, 0);
    let a = entry(&t, m, "a");
    let inner = t.node(a.value);
    // Not at the next key `d`, and not after the comment lines.
    assert_eq!(text(&t, a.value), "b: 1\n  c:\n    - x\n    - y");
    assert_eq!(
        t.slice(inner.start, inner.tail_end),
        "b: 1\n  c:\n    - x\n    - y\n  # tail in\n"
    );
    assert_eq!(
        body(&t, &a),
        "a:\n  b: 1\n  c:\n    - x\n    - y\n  # tail in\n"
    );
    let d = entry(&t, m, "d");
    assert_eq!(lead(&t, &d), "# tail out\n");
    assert_eq!(body(&t, &d), "d: 3\n");
    let c = value(&t, a.value, "c");
    assert_eq!(text(&t, c), "- x\n    - y");
    assert_eq!(t.node(c).col, 4);
}

#[test]
fn sequence_at_its_key_column_leaves_comments_to_the_next_key() {
    let src = "\
spec:
  containers:
  - name: a
    # about the image
    image: x
  # the volumes
  volumes:
  - name: v
  # end of spec
# top
x: 1
";
    let t = tree(src);
    let m = root(&t, 0);
    let spec = entry(&t, m, "spec");
    let containers = entry(&t, spec.value, "containers");
    assert_eq!(
        body(&t, &containers),
        "containers:\n  - name: a\n    # about the image\n    image: x\n"
    );
    assert_eq!(t.node(containers.value).col, 2);
    let item = t.entries(containers.value)[0].value;
    let image = entry(&t, item, "image");
    assert_eq!(lead(&t, &image), "    # about the image\n    ");
    let volumes = entry(&t, spec.value, "volumes");
    assert_eq!(lead(&t, &volumes), "  # the volumes\n  ");
    assert_eq!(body(&t, &volumes), "volumes:\n  - name: v\n");
    // Indented like spec's entries: the end of spec's own block.
    assert!(body(&t, &spec).ends_with("  - name: v\n  # end of spec\n"));
    assert_eq!(lead(&t, &entry(&t, m, "x")), "# top\n");
}

#[test]
fn block_scalars_with_chomping_and_indentation_indicators() {
    let src = "\
keep: |+
  x

# after keep
strip: |-
  y  \n\nfolded: >-
  z
  w
indented: |2
   three
     \nclip: |
  q

empty: |
last: 1
";
    let t = tree(src);
    let m = root(&t, 0);
    // Keep: the kept line break is part of the value, so it is the node's.
    let keep = entry(&t, m, "keep");
    assert_eq!(t.value(keep.value), "x\n\n");
    assert_eq!(t.node(keep.value).style, ScalarStyle::Literal);
    assert_eq!(text(&t, keep.value), "|+\n  x\n\n");
    assert_eq!(body(&t, &keep), "keep: |+\n  x\n\n");
    // Strip: ends at the content, trailing spaces included; the blank line
    // is the next entry's.
    let strip = entry(&t, m, "strip");
    assert_eq!(t.value(strip.value), "y  ");
    assert_eq!(text(&t, strip.value), "|-\n  y  ");
    assert_eq!(lead(&t, &strip), "# after keep\n");
    assert_eq!(body(&t, &strip), "strip: |-\n  y  \n");
    let folded = entry(&t, m, "folded");
    assert_eq!(lead(&t, &folded), "\n");
    assert_eq!(t.value(folded.value), "z w");
    assert_eq!(t.node(folded.value).style, ScalarStyle::Folded);
    assert_eq!(text(&t, folded.value), ">-\n  z\n  w");
    // An indentation indicator: a spaces-only line deeper than the content
    // is content.
    let indented = entry(&t, m, "indented");
    assert_eq!(t.value(indented.value), " three\n   \n");
    assert_eq!(text(&t, indented.value), "|2\n   three\n     ");
    assert_eq!(body(&t, &indented), "indented: |2\n   three\n     \n");
    let clip = entry(&t, m, "clip");
    assert_eq!(t.value(clip.value), "q\n");
    assert_eq!(text(&t, clip.value), "|\n  q");
    assert_eq!(body(&t, &clip), "clip: |\n  q\n");
    let empty = entry(&t, m, "empty");
    assert_eq!(lead(&t, &empty), "\n");
    assert_eq!(t.value(empty.value), "");
    assert_eq!(text(&t, empty.value), "|");
    assert_eq!(body(&t, &entry(&t, m, "last")), "last: 1\n");
}

#[test]
fn keep_chomped_root_and_item_scalars() {
    let t = tree("--- |+\n  x\n\n# c\n");
    let doc = t.documents()[0];
    assert_eq!(text(&t, doc.root), "|+\n  x\n\n");
    assert_eq!(t.slice(doc.root_start, doc.root_end), "|+\n  x\n\n");
    assert_eq!(
        t.slice(t.stream_tail_start(), t.source().len() as u32),
        "# c\n"
    );

    let t = tree("- >+\n  y\n\n- |+\n  z\n");
    let items = t.entries(root(&t, 0));
    assert_eq!(body(&t, &items[0]), "- >+\n  y\n\n");
    assert_eq!(t.value(items[0].value), "y\n\n");
    assert_eq!(body(&t, &items[1]), "- |+\n  z\n");
}

#[test]
fn flow_collections_over_several_lines() {
    let src =
        "a: { x: 1,\n  y: [1,\n  2], }\nb: [\n  p, # c\n  q,\n]  # d\nc: [ k: 1 ]\ne: { m: , n }\n";
    let t = tree(src);
    let m = root(&t, 0);
    let a = entry(&t, m, "a");
    assert_eq!(t.node(a.value).kind, NodeKind::FlowMap);
    assert_eq!(text(&t, a.value), "{ x: 1,\n  y: [1,\n  2], }");
    assert_eq!(body(&t, &a), "a: { x: 1,\n  y: [1,\n  2], }\n");
    let items = t.entries(a.value);
    assert_eq!(items.len(), 2);
    assert_eq!(body(&t, &items[0]), "x: 1");
    assert_eq!(body(&t, &items[1]), "y: [1,\n  2]");
    assert_eq!(text(&t, value(&t, a.value, "y")), "[1,\n  2]");
    let b = entry(&t, m, "b");
    assert_eq!(t.node(b.value).kind, NodeKind::FlowSeq);
    assert_eq!(text(&t, b.value), "[\n  p, # c\n  q,\n]");
    assert_eq!(body(&t, &b), "b: [\n  p, # c\n  q,\n]  # d\n");
    let bs: Vec<&str> = t
        .entries(b.value)
        .iter()
        .map(|e| text(&t, e.value))
        .collect();
    assert_eq!(bs, ["p", "q"]);
    // A single pair in a flow sequence ends with its value, not at the `]`.
    let c = value(&t, m, "c");
    let pair = t.entries(c)[0].value;
    assert_eq!(t.node(pair).kind, NodeKind::FlowMap);
    assert_eq!(text(&t, pair), "k: 1");
    assert_eq!(text(&t, c), "[ k: 1 ]");
    // An empty flow value sits after its `:`, not on it.
    let e = value(&t, m, "e");
    let ms = t.entries(e);
    assert_eq!(body(&t, &ms[0]), "m:");
    assert_eq!(t.node(ms[0].value).start, ms[0].start + 2);
    assert_eq!(body(&t, &ms[1]), "n");
}

#[test]
fn trailing_comma_in_flow_mapping() {
    let t = tree("{ a: 1, }\n");
    let m = root(&t, 0);
    assert_eq!(t.node(m).kind, NodeKind::FlowMap);
    assert_eq!(text(&t, m), "{ a: 1, }");
    assert_eq!(t.entries(m).len(), 1);
    assert_eq!(text(&t, value(&t, m, "a")), "1");
    let t = tree("[ a: 1, ]\n");
    let s = root(&t, 0);
    assert_eq!(text(&t, s), "[ a: 1, ]");
    assert_eq!(text(&t, t.entries(s)[0].value), "a: 1");
}

#[test]
fn implicit_document_start_with_leading_comments() {
    // Separated by a blank line: the file's header stays with the document.
    let t = tree("# header\n# more\n\n# about a\na: 1\nb: 2\n");
    let doc = t.documents()[0];
    let m = doc.root;
    assert_eq!(t.slice(doc.start, doc.root_start), "# header\n# more\n\n");
    let a = entry(&t, m, "a");
    assert_eq!(lead(&t, &a), "# about a\n");
    assert_eq!(body(&t, &a), "a: 1\n");
    assert_eq!(text(&t, m), "a: 1\nb: 2");
    // Directly above the first key: the key's own comment.
    let t = tree("# about a\na: 1\n");
    let doc = t.documents()[0];
    assert_eq!(doc.root_start, 0);
    assert_eq!(lead(&t, &entry(&t, doc.root, "a")), "# about a\n");
    // A blank line and no comment next to the key.
    let t = tree("# header\n\na: 1\n");
    let doc = t.documents()[0];
    assert_eq!(t.slice(doc.start, doc.root_start), "# header\n\n");
    assert_eq!(lead(&t, &entry(&t, doc.root, "a")), "");
    // A scalar root after comments.
    let t = tree("# c\nhello # x\n# after\n");
    let doc = t.documents()[0];
    assert_eq!(text(&t, doc.root), "hello");
    assert_eq!(t.slice(doc.root_start, doc.root_end), "hello # x\n");
    assert_eq!(t.slice(doc.root_end, t.source().len() as u32), "# after\n");
}

#[test]
fn explicit_multi_document_streams() {
    let src =
        "%YAML 1.2\n---\na: 1\n...\n# between\n--- # two\n- x\n---\n--- !t\nb: 2\n...\n# end\n";
    let t = tree(src);
    let docs = t.documents();
    assert_eq!(docs.len(), 4);
    let d = |i: usize| t.slice(docs[i].start, docs[i].end);
    assert_eq!(d(0), "%YAML 1.2\n---\na: 1\n...\n");
    assert_eq!(t.slice(docs[0].root_start, docs[0].root_end), "a: 1\n");
    assert_eq!(d(1), "# between\n--- # two\n- x\n");
    assert_eq!(text(&t, docs[1].root), "- x");
    assert_eq!(t.node(docs[1].root).kind, NodeKind::BlockSeq);
    // An empty document: an empty scalar right after `---`.
    assert_eq!(d(2), "---\n");
    assert_eq!(t.node(docs[2].root).kind, NodeKind::Scalar);
    assert_eq!(t.node(docs[2].root).start, docs[2].start + 3);
    assert_eq!(d(3), "--- !t\nb: 2\n...\n");
    assert!(t.node(docs[3].root).has_properties);
    assert_eq!(
        t.slice(t.stream_tail_start(), t.source().len() as u32),
        "# end\n"
    );
}

#[test]
fn tabs_as_separation() {
    let src = "a: \t1\nb: [\tx,\ty ]\nc:\t\"q\"\t# c\nd: e\tf\t# g\n-k:\t[ 1 ]\n";
    let t = tree(src);
    let m = root(&t, 0);
    let a = entry(&t, m, "a");
    assert_eq!(text(&t, a.value), "1");
    assert_eq!(body(&t, &a), "a: \t1\n");
    let b = value(&t, m, "b");
    let xs: Vec<&str> = t.entries(b).iter().map(|e| text(&t, e.value)).collect();
    assert_eq!(xs, ["x", "y"]);
    assert_eq!(text(&t, b), "[\tx,\ty ]");
    let c = entry(&t, m, "c");
    assert_eq!(text(&t, c.value), "\"q\"");
    assert_eq!(body(&t, &c), "c:\t\"q\"\t# c\n");
    let d = entry(&t, m, "d");
    assert_eq!(text(&t, d.value), "e\tf");
    assert_eq!(body(&t, &d), "d: e\tf\t# g\n");
    assert_eq!(text(&t, value(&t, m, "-k")), "[ 1 ]");
}

#[test]
fn tab_before_a_plain_value_is_refused_by_the_parser() {
    // saphyr-parser 0.3.4 refuses `key:<TAB>value` when the value starts
    // with a letter, a digit or `-` (YAML 1.2 allows it). Pin the behaviour:
    // an error at the value, or, once the parser accepts it, a correct tree.
    match parse("t.yaml", b"a:\tb\n") {
        Ok(t) => {
            assert_eq!(t.print(), "a:\tb\n");
            assert_eq!(text(&t, value(&t, root(&t, 0), "a")), "b");
        }
        Err(e) => assert_eq!(
            e.to_string(),
            "t.yaml:1:4: ':' must be followed by a valid YAML whitespace"
        ),
    }
}

#[test]
fn multi_byte_characters_before_nodes() {
    let src = "é: ü\nb: [ä, ö]\n\"ß\": 'ñ' # ç\n日本: |\n  語\nz: \u{1F600} x\n";
    let t = tree(src);
    let m = root(&t, 0);
    let e = entry(&t, m, "é");
    assert_eq!(text(&t, e.key), "é");
    assert_eq!(text(&t, e.value), "ü");
    assert_eq!(body(&t, &e), "é: ü\n");
    let b = value(&t, m, "b");
    assert_eq!(text(&t, b), "[ä, ö]");
    let xs: Vec<&str> = t.entries(b).iter().map(|e| text(&t, e.value)).collect();
    assert_eq!(xs, ["ä", "ö"]);
    let s = entry(&t, m, "ß");
    assert_eq!(text(&t, s.key), "\"ß\"");
    assert_eq!(text(&t, s.value), "'ñ'");
    assert_eq!(body(&t, &s), "\"ß\": 'ñ' # ç\n");
    let j = entry(&t, m, "日本");
    assert_eq!(text(&t, j.value), "|\n  語");
    assert_eq!(t.value(j.value), "語\n");
    assert_eq!(text(&t, value(&t, m, "z")), "\u{1F600} x");
    // Columns are bytes from the start of the line.
    assert_eq!(t.node(e.value).col, 4);
}

#[test]
fn many_multi_byte_characters_cross_offset_checkpoints() {
    // More than 64 characters before a node: exercises the char→byte cursor
    // past its first checkpoint.
    let long = "ä".repeat(150);
    let src = format!("# {long}\nk: [{long}, x]\nv: \"{long}\" # ö\n");
    let t = tree(&src);
    let m = root(&t, 0);
    let k = value(&t, m, "k");
    let xs: Vec<&str> = t.entries(k).iter().map(|e| text(&t, e.value)).collect();
    assert_eq!(xs, [long.as_str(), "x"]);
    let v = entry(&t, m, "v");
    assert_eq!(text(&t, v.value), format!("\"{long}\""));
    assert_eq!(body(&t, &v), format!("v: \"{long}\" # ö\n"));
}

#[test]
fn crlf_line_endings() {
    let src = "# c\r\na: 1\r\nb:\r\n  c: \"x\" # k\r\n  d: |\r\n    l1\r\n    l2\r\n\r\ne: [1,\r\n  2]\r\n";
    let t = tree(src);
    assert_eq!(t.line_ending(), "\r\n");
    let m = root(&t, 0);
    let a = entry(&t, m, "a");
    assert_eq!(lead(&t, &a), "# c\r\n");
    assert_eq!(body(&t, &a), "a: 1\r\n");
    let b = entry(&t, m, "b");
    let c = entry(&t, b.value, "c");
    assert_eq!(text(&t, c.value), "\"x\"");
    assert_eq!(body(&t, &c), "c: \"x\" # k\r\n");
    let d = entry(&t, b.value, "d");
    assert_eq!(text(&t, d.value), "|\r\n    l1\r\n    l2");
    assert_eq!(t.value(d.value), "l1\nl2\n");
    assert_eq!(body(&t, &d), "d: |\r\n    l1\r\n    l2\r\n");
    assert_eq!(
        text(&t, b.value),
        "c: \"x\" # k\r\n  d: |\r\n    l1\r\n    l2"
    );
    let e = entry(&t, m, "e");
    assert_eq!(lead(&t, &e), "\r\n");
    assert_eq!(text(&t, e.value), "[1,\r\n  2]");
    assert_eq!(body(&t, &e), "e: [1,\r\n  2]\r\n");
}

#[test]
fn missing_final_newline() {
    for (src, last_body, last_value) in [
        ("a: 1\nb: 2", "b: 2", "2"),
        ("a: 1\nb: 2 # c", "b: 2 # c", "2"),
        ("a: 1\nb: \"q\"", "b: \"q\"", "\"q\""),
        ("a: 1\nb: |\n  x", "b: |\n  x", "|\n  x"),
        ("a: 1\nb: |+\n  x", "b: |+\n  x", "|+\n  x"),
        ("a: 1\nb:\n  - x", "b:\n  - x", "- x"),
        ("a: 1\nb: [x,\n  y]", "b: [x,\n  y]", "[x,\n  y]"),
        ("a: 1\nb:", "b:", ""),
    ] {
        let t = tree(src);
        let m = root(&t, 0);
        let b = entry(&t, m, "b");
        assert_eq!(body(&t, &b), last_body, "{src:?}");
        assert_eq!(text(&t, b.value), last_value, "{src:?}");
        assert_eq!(body(&t, &entry(&t, m, "a")), "a: 1\n");
    }
    let t = tree("a: 1\n# trailing");
    let m = root(&t, 0);
    assert_eq!(
        t.slice(t.node(m).start, t.node(m).tail_end),
        "a: 1\n# trailing"
    );
    let t = tree("- x\n- y");
    assert_eq!(body(&t, &t.entries(root(&t, 0))[1]), "- y");
}

#[test]
fn byte_order_mark() {
    let src = "\u{feff}a: 1\nb:\n  c: 2\n";
    let t = tree(src);
    let doc = t.documents()[0];
    assert_eq!(t.slice(doc.start, doc.root_start), "\u{feff}");
    let m = doc.root;
    // The mark is not indentation.
    assert_eq!(t.node(m).col, 0);
    let a = entry(&t, m, "a");
    assert_eq!(body(&t, &a), "a: 1\n");
    assert_eq!(text(&t, a.key), "a");
    assert_eq!(t.node(a.key).col, 0);
    assert_eq!(t.node(value(&t, m, "b")).col, 2);

    let t = tree("\u{feff}# header\n\na: 1\n");
    let doc = t.documents()[0];
    assert_eq!(t.slice(doc.start, doc.root_start), "\u{feff}# header\n\n");

    let t = tree("\u{feff}- x\n");
    assert_eq!(t.node(root(&t, 0)).col, 0);
}

#[test]
fn invalid_input_errors_name_line_and_column() {
    // A tab used as indentation: at the tab.
    let (line, col, reason, display) = syntax_error("tab.yaml", b"a:\n  b: 1\n\tc: 2\n");
    assert_eq!((line, col), (3, 1), "{display}");
    assert!(reason.contains("tab"), "{reason}");
    assert_eq!(display, format!("tab.yaml:3:1: {reason}"));
    // A tab in the indentation of a plain scalar's continuation line.
    let (line, col, _, display) = syntax_error("t2.yaml", b"a:\n  b: 1\n  \t c: 2\n");
    assert_eq!((line, col), (3, 3), "{display}");
    // An unclosed flow mapping: at the end of the input.
    let (line, col, reason, display) = syntax_error("flow.yaml", b"a: {x: 1\n");
    assert_eq!((line, col), (2, 1), "{display}");
    assert_eq!(display, format!("flow.yaml:2:1: {reason}"));
    // An unclosed flow sequence running into the next key.
    let (line, col, _, display) = syntax_error("seq.yaml", b"a: [1, 2\nb: 3\n");
    assert_eq!(line, 2, "{display}");
    assert!(col >= 1, "{display}");
    // Columns count characters, not bytes.
    let (line, col, _, display) = syntax_error("mb.yaml", "ä: ö\n  ü: [\n".as_bytes());
    assert!(display.starts_with(&format!("mb.yaml:{line}:{col}: ")));
    let (line, col, _, _) = syntax_error("mb2.yaml", "é: \"ü\" x\n".as_bytes());
    assert_eq!((line, col), (1, 8));
}

#[test]
fn invalid_utf8_and_nul_bytes_are_errors_with_positions() {
    let (line, col, reason, display) = syntax_error("bin.yaml", b"a: 1\nb: \xff\n");
    assert_eq!((line, col), (2, 4), "{display}");
    assert!(reason.contains("UTF-8"), "{reason}");
    assert_eq!(display, format!("bin.yaml:2:4: {reason}"));
    // A truncated multi-byte character after a valid one on the same line.
    let (line, col, _, _) = syntax_error("cut.yaml", b"k: \xc3\xa4\xc3\n");
    assert_eq!((line, col), (1, 5));
    let (line, col, reason, _) = syntax_error("nul.yaml", b"a: 1\nb: x\0y\n");
    assert_eq!((line, col), (2, 5));
    assert!(reason.contains("NUL"), "{reason}");
    let (line, col, _, _) = syntax_error("nul2.yaml", b"\0");
    assert_eq!((line, col), (1, 1));
}

/// Every prefix and a few corruptions of a file rich in traps (with LF and
/// with CRLF line ends): either a positioned error or a tree that prints back
/// and nests; never a panic.
#[test]
fn prefixes_and_corruptions_never_panic() {
    let src = "\u{feff}# head\n\n%YAML 1.2\n---\nkey: &a !t # c\n  x: \"q\" # d\n  y: 'r'\n  list:\n  - -\n  - { m: , n: [1, 2, ], }\n  - |+\n    k\n\n  # tail\nz: >-\n  f\n  g\nw: *a\n? complex\n: ä ö\n... # end\n--- [ a: 1 ]\n";
    let crlf = src.replace('\n', "\r\n");
    for text in [src, crlf.as_str()] {
        let bytes = text.as_bytes();
        let mut inputs: Vec<Vec<u8>> = (0..=bytes.len()).map(|i| bytes[..i].to_vec()).collect();
        for i in 0..bytes.len() {
            for b in [
                b'\t', b' ', b'\n', b'#', b':', b'-', b'"', b'\'', b'[', b'{', 0xff,
            ] {
                let mut v = bytes.to_vec();
                v[i] = b;
                inputs.push(v);
            }
        }
        for input in &inputs {
            check_no_panic(input);
        }
    }
}

fn check_no_panic(input: &[u8]) {
    let shown = String::from_utf8_lossy(input).into_owned();
    match std::panic::catch_unwind(|| parse("p.yaml", input)) {
        Err(_) => panic!("panic on {shown:?}"),
        Ok(Ok(t)) => {
            assert_eq!(t.print().as_bytes(), input, "{shown:?}");
            t.check_ranges()
                .unwrap_or_else(|why| panic!("{why} in {shown:?}\n{}", t.dump()));
        }
        Ok(Err(e)) => {
            let msg = e.to_string();
            let mut parts = msg.splitn(4, ':');
            assert_eq!(parts.next(), Some("p.yaml"), "{msg}");
            let line: usize = parts.next().unwrap().parse().expect(&msg);
            let col: usize = parts.next().unwrap().parse().expect(&msg);
            assert!(line >= 1 && col >= 1, "{msg}");
            assert!(parts.next().is_some_and(|r| r.len() > 1), "{msg}");
        }
    }
}

#[test]
fn deep_nesting_is_a_tree_or_an_error_never_a_crash() {
    // Within the limits: a tree, even on a test thread's 2 MiB stack.
    let mut block = String::new();
    for i in 0..250 {
        block.push_str(&" ".repeat(i));
        block.push_str("k:\n");
    }
    block.push_str(&" ".repeat(250));
    block.push_str("v: 1\n");
    tree(&block);
    let flow = format!("{}{}\n", "[".repeat(200), "]".repeat(200));
    tree(&flow);
    // Beyond them: a positioned error.
    for deep in [
        format!("{}{}\n", "[".repeat(5000), "]".repeat(5000)),
        (0..1500)
            .map(|i| format!("{}- \n", " ".repeat(2 * i)))
            .collect(),
        format!("{}x\n", "- ".repeat(3000)),
    ] {
        let e = parse("deep.yaml", deep.as_bytes()).expect_err("too deep");
        assert!(e.to_string().starts_with("deep.yaml:"), "{e}");
    }
}
