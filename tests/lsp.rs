//! `yamerge lsp` driven as an editor drives it: the real binary, JSON-RPC
//! over its standard input and output, documents edited on the client side
//! from the server's edits and sent back as incremental changes.

mod lsp_client;

use lsp_client::{Client, Doc, full_capabilities};
use serde_json::{Value, json};

const PODCIDR: &str = "# cluster values\n\
kubeadmconfig:\n\
<<<<<<< current\n  podCIDR: 10.10.0.0/16\n\
||||||| base\n  podCIDR: 192.168.0.0/16\n\
=======\n  podCIDR: 172.16.0.0/16\n\
>>>>>>> incoming\n  serviceCIDR: 10.96.0.0/12\n";

/// What PODCIDR becomes with the conflict's lines replaced by `lines`.
fn podcidr_with(lines: &str) -> String {
    format!("# cluster values\nkubeadmconfig:\n{lines}  serviceCIDR: 10.96.0.0/12\n")
}

/// A range as the protocol writes it.
fn range(l1: u64, c1: u64, l2: u64, c2: u64) -> Value {
    json!({"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}})
}

fn code_actions(c: &mut Client, doc: &Doc, line: u64) -> Vec<Value> {
    let result = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": doc.uri}, "range": range(line, 0, line, 0),
               "context": {"diagnostics": []}}),
    );
    result.as_array().cloned().unwrap_or_default()
}

fn titles(actions: &[Value]) -> Vec<&str> {
    actions.iter().filter_map(|a| a["title"].as_str()).collect()
}

/// The action titled `title`, its edit resolved when it came without one.
fn action_edit(c: &mut Client, actions: &[Value], title: &str) -> Value {
    let action = actions
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("no {title:?} among {:?}", titles(actions)))
        .clone();
    if action.get("edit").is_some() {
        return action["edit"].clone();
    }
    c.request("codeAction/resolve", action)["edit"].clone()
}

/// Opens `text`, checks its diagnostics count, applies the action `title`
/// offered on `line`, and returns the document and the diagnostics
/// published for the edited text. Ends the server with shutdown and exit.
fn resolve_with(
    caps: Value,
    text: &str,
    conflicts: usize,
    line: u64,
    title: &str,
) -> (Doc, Vec<Value>) {
    let (mut c, _) = Client::initialized(caps);
    let mut doc = Doc::new("values.yaml", text);
    c.open(&doc);
    assert_eq!(c.diagnostics(&doc).len(), conflicts);
    let actions = code_actions(&mut c, &doc, line);
    let edit = action_edit(&mut c, &actions, title);
    c.apply_edit(&mut doc, &edit);
    let after = c.diagnostics(&doc);
    let status = c.shutdown_and_exit();
    assert_eq!(status.code(), Some(0), "exit after shutdown");
    (doc, after)
}

fn take(title: &str, want: &str) {
    let (doc, after) = resolve_with(full_capabilities(), PODCIDR, 1, 5, title);
    assert_eq!(doc.text, podcidr_with(want), "{title}");
    assert!(after.is_empty(), "diagnostics cleared: {after:?}");
}

#[test]
fn take_current() {
    take("Take current", "  podCIDR: 10.10.0.0/16\n");
}

#[test]
fn take_incoming() {
    take("Take incoming", "  podCIDR: 172.16.0.0/16\n");
}

#[test]
fn take_both_current_first() {
    take(
        "Take both (current first)",
        "  podCIDR: 10.10.0.0/16\n  podCIDR: 172.16.0.0/16\n",
    );
}

#[test]
fn take_both_incoming_first() {
    take(
        "Take both (incoming first)",
        "  podCIDR: 172.16.0.0/16\n  podCIDR: 10.10.0.0/16\n",
    );
}

#[test]
fn take_base() {
    take("Take base", "  podCIDR: 192.168.0.0/16\n");
}

#[test]
fn actions_offered_on_and_off_a_conflict() {
    let (mut c, _) = Client::initialized(full_capabilities());
    let doc = Doc::new("values.yaml", PODCIDR);
    c.open(&doc);
    let diags = c.diagnostics(&doc);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0]["range"], range(2, 0, 8, 16));
    assert_eq!(
        diags[0]["message"],
        "kubeadmconfig.podCIDR: current set 10.10.0.0/16, incoming set 172.16.0.0/16"
    );
    assert_eq!(
        (&diags[0]["source"], &diags[0]["severity"]),
        (&json!("yamerge"), &json!(1))
    );
    let on = code_actions(&mut c, &doc, 2);
    assert_eq!(
        titles(&on),
        [
            "Take current",
            "Take incoming",
            "Take both (current first)",
            "Take both (incoming first)",
            "Take base",
            "Merge structurally"
        ]
    );
    assert_eq!(
        titles(&code_actions(&mut c, &doc, 0)),
        ["Merge structurally"]
    );
    // Without a base section: no "Take base", no structural merge.
    let merge_style = Doc::new(
        "merge-style.yaml",
        "a:\n<<<<<<< ours\n  b: 1\n=======\n  b: 2\n>>>>>>> theirs\n",
    );
    c.open(&merge_style);
    assert_eq!(c.diagnostics(&merge_style).len(), 1);
    assert_eq!(
        titles(&code_actions(&mut c, &merge_style, 3)),
        [
            "Take current",
            "Take incoming",
            "Take both (current first)",
            "Take both (incoming first)"
        ]
    );
    assert!(code_actions(&mut c, &merge_style, 0).is_empty());
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

/// Both sides changed different keys that git's line merge saw as one
/// conflict; the second conflict is real. Fifty untouched lines come first.
fn partly_resolvable() -> String {
    let mut text = String::new();
    for k in 0..50 {
        text.push_str(&format!("key{k}: {k}\n"));
    }
    text.push_str(
        "server:\n\
<<<<<<< current\n  port: 8443\n  host: example.com\n\
||||||| base\n  port: 443\n  host: example.com\n\
=======\n  port: 443\n  host: example.net\n\
>>>>>>> incoming\n\
replicas:\n\
<<<<<<< current\n  count: 3\n\
||||||| base\n  count: 1\n\
=======\n  count: 5\n\
>>>>>>> incoming\n",
    );
    text
}

fn merge_structurally(caps: Value) {
    let text = partly_resolvable();
    let (mut c, _) = Client::initialized(caps);
    let mut doc = Doc::new("values.yaml", &text);
    c.open(&doc);
    assert_eq!(c.diagnostics(&doc).len(), 2);
    let actions = code_actions(&mut c, &doc, 0);
    let edit = action_edit(&mut c, &actions, "Merge structurally");
    // Only the conflicts' lines change: no edit starts before them.
    let edits = edit
        .pointer("/documentChanges/0/edits")
        .or_else(|| edit.pointer(&format!("/changes/{}", doc.uri.replace('/', "~1"))))
        .and_then(Value::as_array)
        .expect("edits")
        .clone();
    assert!(!edits.is_empty());
    assert!(
        edits
            .iter()
            .all(|e| e["range"]["start"]["line"].as_u64() >= Some(51)),
        "{edits:?}"
    );
    c.apply_edit(&mut doc, &edit);
    let after = c.diagnostics(&doc);
    assert_eq!(after.len(), 1, "{after:?}");
    assert_eq!(
        after[0]["message"],
        "replicas.count: current set 3, incoming set 5"
    );
    let want = text.replace(
        "<<<<<<< current\n  port: 8443\n  host: example.com\n||||||| base\n  port: 443\n  host: example.com\n=======\n  port: 443\n  host: example.net\n>>>>>>> incoming\n",
        "  port: 8443\n  host: example.net\n",
    );
    assert_eq!(doc.text, want);
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn merge_structurally_resolved_on_demand() {
    merge_structurally(full_capabilities());
}

#[test]
fn merge_structurally_with_the_edit_up_front() {
    // No resolve support, no versioned edits: plain `changes`, computed at once.
    merge_structurally(json!({"textDocument": {"codeAction": {
        "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}}}}));
}

#[test]
fn merge_structurally_failure_is_an_error_not_a_crash() {
    let text = "a: 1\n<<<<<<< current\nb: [\n||||||| base\nb: 1\n=======\nb: 2\n>>>>>>> incoming\n";
    let (mut c, _) = Client::initialized(full_capabilities());
    let doc = Doc::new("broken.yaml", text);
    c.open(&doc);
    assert_eq!(c.diagnostics(&doc).len(), 1);
    let actions = code_actions(&mut c, &doc, 0);
    let action = actions
        .iter()
        .find(|a| a["title"] == "Merge structurally")
        .unwrap();
    let response = c.request_raw("codeAction/resolve", action.clone());
    let message = response["error"]["message"].as_str().unwrap().to_string();
    assert!(
        message.starts_with("Merge structurally: broken.yaml:"),
        "{message}"
    );
    assert!(c.log_message().contains(&message));
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn crlf_document() {
    let text = PODCIDR.replace('\n', "\r\n");
    let (mut c, _) = Client::initialized(full_capabilities());
    let mut doc = Doc::new("crlf.yaml", &text);
    c.open(&doc);
    let diags = c.diagnostics(&doc);
    // The range ends before the `\r` of the `>>>>>>>` line.
    assert_eq!(diags[0]["range"], range(2, 0, 8, 16));
    let actions = code_actions(&mut c, &doc, 4);
    let edit = action_edit(&mut c, &actions, "Take incoming");
    c.apply_edit(&mut doc, &edit);
    assert!(c.diagnostics(&doc).is_empty());
    assert_eq!(
        doc.text,
        podcidr_with("  podCIDR: 172.16.0.0/16\n").replace('\n', "\r\n")
    );
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn non_ascii_lines_use_utf16_columns() {
    let text = "name: café ☕\nemoji: \"😀😀\"\n\
<<<<<<< current\ngreeting: \"héllo 😀\"\n\
||||||| base\ngreeting: \"hello\"\n\
=======\ngreeting: \"hi 👋\"\n\
>>>>>>> incoming 🚀\ntail: ✓\n";
    let (mut c, _) = Client::initialized(full_capabilities());
    let mut doc = Doc::new("utf16.yaml", text);
    c.open(&doc);
    let diags = c.diagnostics(&doc);
    // `>>>>>>> incoming 🚀`: 19 UTF-16 units (21 bytes, 18 characters).
    assert_eq!(diags[0]["range"], range(2, 0, 8, 19));
    assert_eq!(
        diags[0]["message"],
        "greeting: current set \"héllo 😀\", incoming set \"hi 👋\""
    );
    // The user types between the second emoji and the quote (column 12),
    // then after the ☕ (column 12 too: it is one unit).
    for (line, character, typed) in [(1, 12, "!"), (0, 12, " ok")] {
        let at = json!({"line": line, "character": character});
        let offset = doc.offset(&at);
        doc.text.insert_str(offset, typed);
        doc.version += 1;
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": doc.uri, "version": doc.version},
                   "contentChanges": [{"range": {"start": at, "end": at}, "text": typed}]}),
        );
    }
    assert_eq!(c.diagnostics(&doc).len(), 1);
    let actions = code_actions(&mut c, &doc, 8);
    let edit = action_edit(&mut c, &actions, "Take incoming");
    c.apply_edit(&mut doc, &edit);
    assert!(c.diagnostics(&doc).is_empty());
    assert_eq!(
        doc.text,
        "name: café ☕ ok\nemoji: \"😀😀!\"\ngreeting: \"hi 👋\"\ntail: ✓\n"
    );
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn unbalanced_markers_get_one_diagnostic_until_fixed() {
    let (mut c, _) = Client::initialized(full_capabilities());
    let mut doc = Doc::new("open.yaml", "a: 1\n<<<<<<< current\nb: 2\n=======\nb: 3\n");
    c.open(&doc);
    let diags = c.diagnostics(&doc);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0]["range"], range(1, 0, 1, 15));
    assert_eq!(
        diags[0]["message"],
        "this conflict is not closed (no `>>>>>>>` line)"
    );
    assert!(code_actions(&mut c, &doc, 1).is_empty());
    // The user closes it: one conflict, without a path it cannot tell.
    let end = doc.position(doc.text.len());
    doc.text.push_str(">>>>>>> incoming\n");
    doc.version += 1;
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": doc.uri, "version": doc.version},
               "contentChanges": [{"range": {"start": end, "end": end}, "text": ">>>>>>> incoming\n"}]}),
    );
    let diags = c.diagnostics(&doc);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0]["message"], "b: current set 2, incoming set 3");
    // A marker out of order names its own line.
    let stray = Doc::new(
        "stray.yaml",
        "<<<<<<< a\nx: 1\n=======\nx: 2\n||||||| b\n>>>>>>> c\n",
    );
    c.open(&stray);
    let diags = c.diagnostics(&stray);
    assert_eq!(diags[0]["range"], range(4, 0, 4, 9));
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("unexpected `|||||||` marker")
    );
    // Conflicted text that is not YAML: diagnostics without a path.
    let prose = Doc::new(
        "notes.txt",
        "Dear team,\n<<<<<<< mine\nwe ship friday: {\n||||||| base\nwe ship monday\n=======\nwe ship tuesday\n>>>>>>> theirs\n",
    );
    c.open(&prose);
    let diags = c.diagnostics(&prose);
    assert_eq!(
        diags[0]["message"],
        "current changed 1 line, incoming changed 1 line"
    );
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn renaming_a_parent_key_renames_the_conflict_at_once_then_its_path() {
    let (mut c, _) = Client::initialized(full_capabilities());
    let mut doc = Doc::new("values.yaml", PODCIDR);
    c.open(&doc);
    c.diagnostics(&doc);
    // `kubeadmconfig:` becomes `kubeadm:` (line 1, columns 7 to 13).
    let (start, end) = (
        json!({"line": 1, "character": 7}),
        json!({"line": 1, "character": 13}),
    );
    let (s, e) = (doc.offset(&start), doc.offset(&end));
    doc.text.replace_range(s..e, "");
    doc.version += 1;
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": doc.uri, "version": doc.version},
               "contentChanges": [{"range": {"start": start, "end": end}, "text": ""}]}),
    );
    // First with the last path (the YAML is being parsed in the background)...
    let first = c.diagnostics(&doc);
    assert_eq!(first[0]["range"], range(2, 0, 8, 16));
    assert!(
        first[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("kubeadmconfig.podCIDR: ")
    );
    // ...then with the new one.
    let second = c.diagnostics(&doc);
    assert!(
        second[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("kubeadm.podCIDR: ")
    );
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn hover_shows_path_and_base() {
    let (mut c, _) = Client::initialized(full_capabilities());
    let doc = Doc::new("values.yaml", PODCIDR);
    c.open(&doc);
    c.diagnostics(&doc);
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": doc.uri}, "position": {"line": 5, "character": 4}}),
    );
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert_eq!(
        hover["contents"]["value"],
        "**Conflict** at `kubeadmconfig.podCIDR`\n\n\
current set 10.10.0.0/16, incoming set 172.16.0.0/16\n\n\
Base (base):\n```yaml\n  podCIDR: 192.168.0.0/16\n```"
    );
    assert_eq!(hover["range"], range(2, 0, 8, 16));
    let outside = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": doc.uri}, "position": {"line": 9, "character": 0}}),
    );
    assert_eq!(outside, Value::Null);
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn hover_in_plain_text_for_clients_without_markdown() {
    let (mut c, _) = Client::initialized(json!({}));
    let doc = Doc::new("values.yaml", PODCIDR);
    c.open(&doc);
    c.diagnostics(&doc);
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": doc.uri}, "position": {"line": 2, "character": 0}}),
    );
    assert_eq!(hover["contents"]["kind"], "plaintext");
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .ends_with("Base (base):\n  podCIDR: 192.168.0.0/16\n")
    );
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

/// Executes a command the way a client does for a lens, answers the
/// server's `workspace/applyEdit` like an editor, and sends the change.
fn execute_command(c: &mut Client, doc: &mut Doc, command: &Value) {
    let result = c.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    assert_eq!(result, Value::Null);
    let apply = c.wait_for("workspace/applyEdit", |m| {
        m["method"] == "workspace/applyEdit"
    });
    assert!(
        apply["params"]["label"]
            .as_str()
            .unwrap()
            .starts_with("yamerge: Take")
    );
    c.apply_edit(doc, &apply["params"]["edit"]);
    c.send(&json!({"jsonrpc": "2.0", "id": apply["id"], "result": {"applied": true}}));
}

#[test]
fn code_lens_takes_through_apply_edit() {
    let (mut c, init) = Client::initialized(full_capabilities());
    assert_eq!(
        init["capabilities"]["executeCommandProvider"]["commands"],
        json!(["yamerge.resolve"])
    );
    let mut doc = Doc::new("values.yaml", PODCIDR);
    c.open(&doc);
    c.diagnostics(&doc);
    let lenses = c.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": doc.uri}}),
    );
    let lenses = lenses.as_array().unwrap();
    let lens_titles: Vec<&str> = lenses
        .iter()
        .map(|l| l["command"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        lens_titles,
        [
            "Take current",
            "Take incoming",
            "Take both (current first)",
            "Take both (incoming first)"
        ]
    );
    assert!(lenses.iter().all(|l| l["range"] == range(2, 0, 2, 15)));
    let incoming = lenses[1]["command"].clone();
    execute_command(&mut c, &mut doc, &incoming);
    assert!(c.diagnostics(&doc).is_empty());
    assert_eq!(doc.text, podcidr_with("  podCIDR: 172.16.0.0/16\n"));
    // The lens was for the version before the edit: refused, and said so.
    let stale = c.request_raw(
        "workspace/executeCommand",
        json!({"command": incoming["command"], "arguments": incoming["arguments"]}),
    );
    assert_eq!(stale["error"]["code"], -32801);
    assert!(c.log_message().contains("the document changed"));
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn clients_without_code_action_literals_get_commands() {
    let (mut c, _) = Client::initialized(json!({}));
    let mut doc = Doc::new("values.yaml", PODCIDR);
    c.open(&doc);
    c.diagnostics(&doc);
    let actions = code_actions(&mut c, &doc, 3);
    assert!(actions.iter().all(|a| a["command"] == "yamerge.resolve"));
    let current = actions
        .iter()
        .find(|a| a["title"] == "Take current")
        .unwrap()
        .clone();
    execute_command(&mut c, &mut doc, &current);
    assert!(c.diagnostics(&doc).is_empty());
    assert_eq!(doc.text, podcidr_with("  podCIDR: 10.10.0.0/16\n"));
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn errors_are_answered_and_logged_and_the_server_goes_on() {
    let (mut c, _) = Client::initialized(full_capabilities());
    let unknown = c.request_raw("textDocument/definition", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    assert!(c.log_message().contains("does not handle"));
    let bad = c.request_raw("textDocument/codeAction", json!({"textDocument": 3}));
    assert_eq!(bad["error"]["code"], -32602);
    assert!(
        c.log_message()
            .starts_with("textDocument/codeAction: invalid parameters")
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nowhere.yaml", "version": 2}, "contentChanges": []}),
    );
    assert!(c.log_message().contains("file:///nowhere.yaml is not open"));
    let odd = c.request_raw(
        "workspace/executeCommand",
        json!({"command": "yamerge.resolve", "arguments": [{"uri": "file:///nowhere.yaml", "version": 1, "choice": "current"}]}),
    );
    assert_eq!(odd["error"]["code"], -32602);
    // A document closed is cleared.
    let doc = Doc::new("values.yaml", PODCIDR);
    c.open(&doc);
    assert_eq!(c.diagnostics(&doc).len(), 1);
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": doc.uri}}),
    );
    assert!(c.cleared(&doc.uri).is_empty());
    // Requests after shutdown are refused; exit then ends with 0.
    assert_eq!(c.request("shutdown", Value::Null), Value::Null);
    let late = c.request_raw("textDocument/hover", json!({}));
    assert_eq!(late["error"]["code"], -32600);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait().code(), Some(0));
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let (mut c, _) = Client::initialized(json!({}));
    c.notify("exit", Value::Null);
    assert_eq!(c.wait().code(), Some(1));
    // A client that goes away without a word: 1 too.
    let (c, _) = Client::initialized(json!({}));
    assert_eq!(c.wait().code(), Some(1));
    // Before initialize as well.
    let mut c = Client::start();
    c.notify("exit", Value::Null);
    assert_eq!(c.wait().code(), Some(1));
}

/// 20,000 lines, 100 conflicts (one every 200 lines), like the bench's.
fn large_document() -> String {
    let mut text = String::with_capacity(700_000);
    for block in 0..100 {
        text.push_str(&format!("section{block}:\n"));
        for k in 0..191 {
            text.push_str(&format!("  key{k}: value {block}.{k}\n"));
        }
        text.push_str(&format!(
            "<<<<<<< current\n  port: {block}1\n||||||| base\n  port: {block}0\n=======\n  port: {block}2\n>>>>>>> incoming\n  last: {block}\n"
        ));
    }
    text
}

#[test]
fn large_document_gets_every_conflict() {
    let text = large_document();
    assert_eq!(text.lines().count(), 20_000);
    let (mut c, _) = Client::initialized(full_capabilities());
    let mut doc = Doc::new("large.yaml", &text);
    c.open(&doc);
    let diags = c.diagnostics(&doc);
    assert_eq!(diags.len(), 100);
    assert_eq!(
        diags[99]["message"],
        "section99.port: current set 991, incoming set 992"
    );
    assert_eq!(diags[99]["range"], range(19_992, 0, 19_998, 16));
    // One take in the middle leaves 99.
    let actions = code_actions(&mut c, &doc, 50 * 200 + 195);
    let edit = action_edit(&mut c, &actions, "Take current");
    c.apply_edit(&mut doc, &edit);
    assert_eq!(c.diagnostics(&doc).len(), 99);
    assert!(doc.text.contains("section50:\n"));
    assert!(
        doc.text
            .contains("  key190: value 50.190\n  port: 501\n  last: 50\n")
    );
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}
