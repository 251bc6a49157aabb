//! The language server as an editor meets it: the `yamerge lsp` process,
//! timed from sending a message to receiving what it causes, over stdio.
//!
//! - `did_open`: a document opened until its diagnostics are published
//!   (20,000 lines with 100 conflicts: the target is under 100 ms; and a
//!   document of several MB, 200,000 lines);
//! - `keystroke`: one character typed (an incremental change) until the
//!   diagnostics of the new version are published;
//! - `code_action_after_keystroke`: one character typed, then code actions
//!   asked for on the last conflict at once, until they arrive (the YAML
//!   paths are meanwhile being found in the background);
//! - `merge_structurally`: the code action asked for and resolved.
//!
//! Run with `cargo bench --bench lsp`.

#[path = "../tests/lsp_client/mod.rs"]
mod lsp_client;

use std::cell::RefCell;

use lsp_client::{Client, Doc, full_capabilities};
use serde_json::json;

fn main() {
    divan::main();
}

/// `blocks` mappings of `lines_per_block` lines, each ending with one diff3
/// conflict of 7 lines that both sides changed (and one line after it).
fn document(blocks: usize, lines_per_block: usize) -> String {
    let keys = lines_per_block - 9;
    let mut text = String::new();
    for block in 0..blocks {
        text.push_str(&format!("section{block}:\n"));
        for k in 0..keys {
            text.push_str(&format!("  key{k}: value {block}.{k}\n"));
        }
        text.push_str(&format!(
            "<<<<<<< current\n  port: {block}1\n||||||| base\n  port: {block}0\n=======\n  port: {block}2\n>>>>>>> incoming\n  last: {block}\n"
        ));
    }
    text
}

/// 20,000 lines, 100 conflicts; 200,000 lines (about 6 MB), 100 conflicts.
const SIZES: [(usize, usize); 2] = [(100, 200), (100, 2_000)];

fn server() -> RefCell<Client> {
    RefCell::new(Client::initialized(full_capabilities()).0)
}

#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn did_open(bencher: divan::Bencher, (blocks, lines): (usize, usize)) {
    let text = document(blocks, lines);
    let client = server();
    let mut n = 0;
    bencher
        .with_inputs(|| {
            // Outside the timing: close the previous document.
            let mut c = client.borrow_mut();
            if n > 0 {
                let uri = format!("file:///project/bench-{n}.yaml");
                c.notify(
                    "textDocument/didClose",
                    json!({"textDocument": {"uri": uri}}),
                );
                c.cleared(&uri);
            }
            n += 1;
            Doc::new(&format!("bench-{n}.yaml"), &text)
        })
        .bench_local_values(|doc| {
            let mut c = client.borrow_mut();
            c.open(&doc);
            assert_eq!(c.diagnostics(&doc).len(), blocks);
        });
}

#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn keystroke(bencher: divan::Bencher, (blocks, lines): (usize, usize)) {
    let text = document(blocks, lines);
    let client = server();
    let mut doc = Doc::new("typed.yaml", &text);
    client.borrow_mut().open(&doc);
    client.borrow_mut().diagnostics(&doc);
    bencher.bench_local(|| {
        let mut c = client.borrow_mut();
        type_one_character(&mut c, &mut doc);
        assert_eq!(c.diagnostics(&doc).len(), blocks);
    });
}

/// Types `x` at the end of the first key's line, far from any conflict.
fn type_one_character(c: &mut Client, doc: &mut Doc) {
    let at = json!({"line": 1, "character": 17});
    let offset = doc.offset(&at);
    doc.text.insert(offset, 'x');
    doc.version += 1;
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": doc.uri, "version": doc.version},
               "contentChanges": [{"range": {"start": at, "end": at}, "text": "x"}]}),
    );
}

#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn code_action_after_keystroke(bencher: divan::Bencher, (blocks, lines): (usize, usize)) {
    let text = document(blocks, lines);
    let client = server();
    let mut doc = Doc::new("asked.yaml", &text);
    client.borrow_mut().open(&doc);
    client.borrow_mut().diagnostics(&doc);
    let last_conflict = blocks * lines - 5;
    bencher.bench_local(|| {
        let mut c = client.borrow_mut();
        type_one_character(&mut c, &mut doc);
        let actions = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": doc.uri},
                   "range": {"start": {"line": last_conflict, "character": 0},
                             "end": {"line": last_conflict, "character": 0}},
                   "context": {"diagnostics": []}}),
        );
        assert_eq!(actions.as_array().map(Vec::len), Some(6));
    });
}

#[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
fn merge_structurally(bencher: divan::Bencher, (blocks, lines): (usize, usize)) {
    let text = document(blocks, lines);
    let client = server();
    let doc = Doc::new("merge.yaml", &text);
    client.borrow_mut().open(&doc);
    client.borrow_mut().diagnostics(&doc);
    let mut round = 0;
    bencher.bench_local(|| {
        let mut c = client.borrow_mut();
        // A new version each time, so that no earlier result is reused.
        round += 1;
        let version = doc.version + round;
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": doc.uri, "version": version},
                   "contentChanges": [{"text": text}]}),
        );
        let actions = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": doc.uri},
                   "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                   "context": {"diagnostics": []}}),
        );
        let action = actions
            .as_array()
            .and_then(|a| a.iter().find(|a| a["title"] == "Merge structurally"))
            .expect("offered")
            .clone();
        // Every conflict is real: the merge runs and reports it changes nothing.
        let resolved = c.request_raw("codeAction/resolve", action);
        assert!(resolved.get("error").is_some());
    });
}
