//! A small language-server client for the tests: starts `yamerge lsp`,
//! frames JSON-RPC messages over its standard input and output, keeps the
//! messages it did not wait for, and edits documents the way an editor
//! does (UTF-16 positions, edits applied last to first, the same edits sent
//! back as incremental changes). Positions are converted here on their own,
//! not with the server's code, so that the tests check the server's
//! arithmetic against an independent one.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any one wait may take before the test fails (generous: debug
/// builds on a busy 2-core machine).
const PATIENCE: Duration = Duration::from_secs(30);

/// Capabilities of a client like VS Code: versioned edits, code action
/// literals resolved later, markdown hovers.
pub fn full_capabilities() -> Value {
    json!({
        "workspace": {"workspaceEdit": {"documentChanges": true}, "applyEdit": true},
        "textDocument": {
            "synchronization": {"didSave": true},
            "codeAction": {
                "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}},
                "resolveSupport": {"properties": ["edit"]},
                "dataSupport": true
            },
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "codeLens": {}
        }
    })
}

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Messages from the server not consumed yet, in order.
    backlog: VecDeque<Value>,
    next_id: i64,
}

impl Client {
    /// Starts the server (not yet initialized).
    pub fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_yamerge"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start yamerge lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut reader) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            backlog: VecDeque::new(),
            next_id: 0,
        }
    }

    /// Starts and initializes a server for a client with `capabilities`;
    /// returns it with the `initialize` result.
    pub fn initialized(capabilities: Value) -> (Client, Value) {
        let mut c = Client::start();
        let result = c.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        c.notify("initialized", json!({}));
        (c, result)
    }

    pub fn send(&mut self, msg: &Value) {
        let body = serde_json::to_string(msg).expect("json");
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns the whole response (result or error).
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(&format!("the response to {method}"), |m| {
            m.get("id") == Some(&json!(id)) && m.get("method").is_none()
        })
    }

    /// Sends a request and returns its result, failing on an error.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    /// The first message (kept or new) that `wanted` accepts; the others
    /// are kept for later.
    pub fn wait_for(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(k) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(k).expect("present");
        }
        let until = Instant::now() + PATIENCE;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(msg) if wanted(&msg) => return msg,
                Ok(msg) => self.backlog.push_back(msg),
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no {what} within {PATIENCE:?}; got {:?}", self.backlog)
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server closed its output waiting for {what}")
                }
            }
        }
    }

    /// The diagnostics published for the document's current version (those
    /// of earlier versions are dropped: a server may publish after each
    /// change of a burst, or once at its end).
    pub fn diagnostics(&mut self, doc: &Doc) -> Vec<Value> {
        self.published(&doc.uri, json!(doc.version))
    }

    /// The diagnostics published for a closed document (no version).
    pub fn cleared(&mut self, uri: &str) -> Vec<Value> {
        self.published(uri, Value::Null)
    }

    fn published(&mut self, uri: &str, version: Value) -> Vec<Value> {
        let of_uri = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        let msg = self.wait_for(&format!("diagnostics of {uri} version {version}"), |m| {
            of_uri(m) && m["params"]["version"] == version
        });
        self.backlog.retain(|m| !of_uri(m));
        msg["params"]["diagnostics"]
            .as_array()
            .expect("a list")
            .clone()
    }

    /// The next `window/logMessage` text.
    pub fn log_message(&mut self) -> String {
        let msg = self.wait_for("a log message", |m| m["method"] == "window/logMessage");
        msg["params"]["message"].as_str().unwrap_or("").to_string()
    }

    pub fn open(&mut self, doc: &Doc) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": doc.uri, "languageId": "yaml",
                   "version": doc.version, "text": doc.text}}),
        );
    }

    /// Applies a workspace edit to `doc` as an editor does and tells the
    /// server with an incremental `didChange`.
    pub fn apply_edit(&mut self, doc: &mut Doc, edit: &Value) {
        let changes = doc.apply_workspace_edit(edit);
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": doc.uri, "version": doc.version},
                   "contentChanges": changes}),
        );
    }

    /// `shutdown`, `exit`, and the server's exit status.
    pub fn shutdown_and_exit(mut self) -> ExitStatus {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        self.wait()
    }

    /// Waits for the server process to end.
    pub fn wait(mut self) -> ExitStatus {
        drop(self.stdin);
        let until = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < until, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// Reads one framed message; `None` at the end of the stream.
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// A document as the client holds it.
pub struct Doc {
    pub uri: String,
    pub text: String,
    pub version: i64,
}

impl Doc {
    pub fn new(name: &str, text: &str) -> Doc {
        Doc {
            uri: format!("file:///project/{name}"),
            text: text.to_string(),
            version: 1,
        }
    }

    /// Applies the text edits of a workspace edit for this document (plain
    /// `changes` or versioned `documentChanges`, whose version must be the
    /// document's), last first as every editor does, and returns them as
    /// incremental changes in the order applied.
    pub fn apply_workspace_edit(&mut self, edit: &Value) -> Vec<Value> {
        let edits = if let Some(changes) = edit.get("documentChanges") {
            let [change] = changes.as_array().expect("a list").as_slice() else {
                panic!("one document's changes expected: {edit}");
            };
            assert_eq!(change["textDocument"]["uri"], self.uri.as_str());
            assert_eq!(
                change["textDocument"]["version"], self.version,
                "an edit for another version"
            );
            change["edits"].as_array().expect("edits").clone()
        } else {
            edit["changes"][&self.uri]
                .as_array()
                .expect("edits of this document")
                .clone()
        };
        let mut spans: Vec<(usize, usize, Value)> = edits
            .into_iter()
            .map(|e| {
                let start = self.offset(&e["range"]["start"]);
                let end = self.offset(&e["range"]["end"]);
                (start, end, e)
            })
            .collect();
        spans.sort_by_key(|(s, e, _)| (*s, *e));
        for pair in spans.windows(2) {
            assert!(pair[0].1 <= pair[1].0, "overlapping edits: {edit}");
        }
        let mut changes = Vec::new();
        for (start, end, e) in spans.into_iter().rev() {
            let new_text = e["newText"].as_str().expect("newText");
            self.text.replace_range(start..end, new_text);
            changes.push(json!({"range": e["range"], "text": new_text}));
        }
        self.version += 1;
        changes
    }

    /// The byte offset of a protocol position (UTF-16 columns; lines ended
    /// by `\n`, `\r\n` or `\r`).
    pub fn offset(&self, pos: &Value) -> usize {
        let line = pos["line"].as_u64().expect("line") as usize;
        let character = pos["character"].as_u64().expect("character") as usize;
        let mut at = 0;
        let bytes = self.text.as_bytes();
        for _ in 0..line {
            while at < bytes.len() && bytes[at] != b'\n' && bytes[at] != b'\r' {
                at += 1;
            }
            if at + 1 < bytes.len() && bytes[at] == b'\r' && bytes[at + 1] == b'\n' {
                at += 1;
            }
            assert!(at < bytes.len(), "line {line} is past the end");
            at += 1;
        }
        let mut units = 0;
        for ch in self.text[at..].chars() {
            if units >= character || ch == '\n' || ch == '\r' {
                break;
            }
            units += ch.len_utf16();
            at += ch.len_utf8();
        }
        assert_eq!(units, character, "column {character} is not at a character");
        at
    }

    /// The protocol position of a byte offset.
    pub fn position(&self, offset: usize) -> Value {
        let before = &self.text[..offset];
        let line_start = before.rfind(['\n', '\r']).map_or(0, |k| k + 1);
        let line = before.matches('\n').count() + before.matches('\r').count()
            - before.matches("\r\n").count();
        let character: usize = before[line_start..].chars().map(char::len_utf16).sum();
        json!({"line": line, "character": character})
    }
}
