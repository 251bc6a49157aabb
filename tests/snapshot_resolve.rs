//! Snapshots of `yamerge resolve`'s screen, drawn by the resolver itself
//! into an in-memory terminal (plain styles: the `+`/`-` gutter shows what
//! each side changed), for a conflict in a mapping, a list, a block scalar
//! and a multi-document stream, at 80×24 (sections stacked) and 200×50
//! (side by side). One snapshot file per case and size.

use std::path::PathBuf;

use yamerge::resolve::Headless;
use yamerge::{Input, MergeOptions, merge};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn case_dir(name: &str) -> PathBuf {
    repo().join("testdata/cases").join(name)
}

/// The merge of three texts, which must leave conflicts.
fn conflicted(base: &str, current: &str, incoming: &str) -> Vec<u8> {
    let merged = merge(
        Input::new("base", base.as_bytes()),
        Input::new("current", current.as_bytes()),
        Input::new("incoming", incoming.as_bytes()),
        &MergeOptions::default(),
    )
    .expect("the inputs merge");
    assert!(!merged.conflicts.is_empty(), "no conflict to show");
    merged.text.into_bytes()
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A `testdata/cases/` case, merged.
fn case(name: &str) -> Vec<u8> {
    let file = |side: &str| read(case_dir(name).join(format!("{side}.yaml")));
    conflicted(&file("base"), &file("current"), &file("incoming"))
}

/// The shipped sample (`testdata/examples/`) with incoming also changing
/// `podCIDR`, as the README's conflict example: a conflict in a mapping.
fn mapping() -> Vec<u8> {
    let file = |side: &str| read(repo().join(format!("testdata/examples/{side}.yaml")));
    let incoming = file("incoming").replace("192.168.0.0/16", "172.16.0.0/16");
    conflicted(&file("base"), &file("current"), &incoming)
}

/// A Kubernetes manifest stream: both sides change the second document.
fn stream() -> Vec<u8> {
    let doc = |replicas: u8, port: u16| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n\
spec:\n  replicas: {replicas}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  \
namespace: shop\nspec:\n  ports:\n    - name: http\n      port: {port}\n      targetPort: 8080\n"
        )
    };
    conflicted(&doc(2, 80), &doc(3, 8080), &doc(4, 8000))
}

fn screen(text: &[u8], width: u16, height: u16) -> String {
    Headless::open("values.yaml", text, width, height)
        .expect("a conflicted text")
        .screen()
}

macro_rules! screens {
    ($($name:ident: $text:expr, $width:literal x $height:literal;)*) => {
        $(
            #[test]
            fn $name() {
                let shown = screen(&$text, $width, $height);
                insta::with_settings!({ omit_expression => true }, {
                    insta::assert_snapshot!(shown);
                });
            }
        )*
    };
}

screens! {
    resolve_mapping_80x24: mapping(), 80 x 24;
    resolve_mapping_200x50: mapping(), 200 x 50;
    resolve_list_80x24: case("list-scalar-both-replace-same-item-conflicts"), 80 x 24;
    resolve_list_200x50: case("list-scalar-both-replace-same-item-conflicts"), 200 x 50;
    resolve_block_scalar_80x24: case("block-scalar-overlapping-edit-conflict"), 80 x 24;
    resolve_block_scalar_200x50: case("block-scalar-overlapping-edit-conflict"), 200 x 50;
    resolve_stream_80x24: stream(), 80 x 24;
    resolve_stream_200x50: stream(), 200 x 50;
}

/// What a key changes shows on the next screen: the choice in the status
/// line, the next conflict with its path, and once all are resolved, what
/// is left to do.
#[test]
fn the_screen_follows_the_keys() {
    let mut h = Headless::open("values.yaml", &stream(), 100, 30).expect("conflicted");
    assert_eq!(h.conflicts(), 2);
    assert!(
        h.screen()
            .contains("conflict 1 of 2 · [apps/v1/Deployment/shop/web].spec.replicas")
    );
    h.press('i');
    let shown = h.screen();
    assert!(
        shown.contains("conflict 1 of 1 · [v1/Service/shop/web].spec.ports[name=http].port"),
        "{shown}"
    );
    assert!(
        shown.contains("took incoming at [apps/v1/Deployment/shop/web].spec.replicas"),
        "{shown}"
    );
    h.press('c');
    assert!(h.screen().contains("All conflicts are resolved."));
    h.press('u');
    assert!(h.screen().contains("conflict 1 of 1"));
}

/// Any conflicted text, at any terminal size, survives every key: text that
/// is not YAML (resolved as text, without paths), CRLF, empty sections,
/// invalid UTF-8 and control characters, markers nested in a section,
/// merge-style conflicts (no base), a terminal far too small.
#[test]
fn odd_texts_and_sizes_never_panic() {
    let texts: [&[u8]; 7] = [
        b"{ [\n<<<<<<< a\nx\n||||||| o\nw\n=======\ny\n>>>>>>> b\n",
        b"a: 1\r\n<<<<<<< a\r\nb: 2\r\n||||||| o\r\nb: 1\r\n=======\r\nb: 3\r\n>>>>>>> b\r\n",
        b"<<<<<<< a\n||||||| o\n=======\n>>>>>>> b",
        b"k: \xff\x1b[2J\t\x07\n<<<<<<< a\nv: \xfe\x1b]0;x\x07\n=======\nv: 1\n>>>>>>> b\n",
        b"<<<<<<< a\n<<<<<<<<< x\nn: 1\n=========\nn: 2\n>>>>>>>>> y\n=======\nn: 3\n>>>>>>> b\n",
        b"<<<<<<< a\nb: 2\n=======\nb: 3\n>>>>>>> b\nx: 0\n<<<<<<< a\nc: 2\n=======\nc: 3\n>>>>>>> b\n",
        b"- a\n<<<<<<< a\n- b\n- c\n- d\n- e\n- f\n- g\n||||||| o\n- b\n=======\n- z\n>>>>>>> b\n",
    ];
    let sizes = [
        (1, 1),
        (12, 3),
        (40, 8),
        (80, 24),
        (300, 6),
        (119, 40),
        (120, 40),
    ];
    for text in texts {
        for (width, height) in sizes {
            let mut h = Headless::open("odd", text, width, height).expect("markers read");
            for key in "nprcuiuBuboue→←↑↓xqn".chars() {
                if h.press(key) == yamerge::resolve::Pressed::Edit {
                    h.edited("edited: 1\n");
                    h.settle();
                }
            }
            assert!(h.screen().lines().count() == height as usize);
        }
    }
}
