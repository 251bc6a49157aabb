//! The main loop: one message at a time, routed by method to the other
//! modules of the server.
//!
//! - Diagnostics are published when no message is waiting, so a burst of
//!   changes (typing, or a client sending many edits of one action) is
//!   analysed once, at its end. The conflicts' YAML paths come from a
//!   background worker ([`super::paths`]); meanwhile a document whose
//!   number of conflicts did not change is published at once with its last
//!   paths (ranges and descriptions always current), and again when its
//!   own paths differ.
//! - A handler that fails or panics is logged to the client
//!   (`window/logMessage`) and answered with an error; the server goes on.
//! - `shutdown` then `exit` ends the loop with status 0; `exit` without
//!   `shutdown`, or the client going away, with 1.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crossbeam_channel::select_biased;
use lsp_server::{
    Connection, ErrorCode, Message, Notification, Request, RequestId, Response, ResponseError,
};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, LogMessage,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    ApplyWorkspaceEdit, CodeActionRequest, CodeActionResolveRequest, CodeLensRequest,
    ExecuteCommand, HoverRequest, Request as _,
};
use lsp_types::{
    ApplyWorkspaceEditParams, ApplyWorkspaceEditResponse, CodeAction, CodeActionParams,
    CodeLensParams, Diagnostic, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, ExecuteCommandParams, HoverParams, LogMessageParams, MessageType,
    PublishDiagnosticsParams, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::capabilities::{ClientSupport, RESOLVE_COMMAND};
use super::documents::Documents;
use super::paths::{Done, Job, PathWorker};
use super::{actions, diagnostics, hover, lens};

/// Exit status after `shutdown` then `exit`.
pub(crate) const EXIT_AFTER_SHUTDOWN: i32 = 0;
/// Exit status after `exit` without `shutdown`, or when the client is gone.
pub(crate) const EXIT_WITHOUT_SHUTDOWN: i32 = 1;

/// Serves an initialized connection; returns the exit status.
pub(crate) fn main_loop(conn: &Connection, support: ClientSupport) -> i32 {
    let mut server = Server {
        conn,
        docs: Documents::default(),
        support,
        shut_down: false,
        next_id: 0,
        pending: Vec::new(),
        // Without a thread (the system refused one), paths are found inline.
        worker: PathWorker::start().ok(),
    };
    let mut next = None;
    loop {
        let event = match next.take() {
            Some(msg) => Event::Message(msg),
            None => server.next_event(),
        };
        match event {
            Event::Message(msg) => {
                if let Some(status) = server.handle(msg) {
                    return status;
                }
            }
            Event::Paths(done) => server.on_paths(done),
            Event::WorkerGone => server.worker = None,
            Event::ClientGone => return EXIT_WITHOUT_SHUTDOWN,
        }
        match conn.receiver.try_recv() {
            Ok(msg) => next = Some(msg),
            // None waiting (or the client is gone, which the next `recv`
            // sees): the changes so far are complete.
            Err(_) => server.publish_changed(),
        }
    }
}

/// What the main loop waits for.
enum Event {
    Message(Message),
    Paths(Done),
    WorkerGone,
    ClientGone,
}

struct Server<'a> {
    conn: &'a Connection,
    docs: Documents,
    support: ClientSupport,
    shut_down: bool,
    next_id: i32,
    /// Requests sent to the client and not answered yet: id and method.
    pending: Vec<(RequestId, &'static str)>,
    worker: Option<PathWorker>,
}

impl Server<'_> {
    /// The next message from the client, or paths from the worker. The
    /// client comes first: paths of a version it is changing again are of
    /// no use.
    fn next_event(&self) -> Event {
        let Some(worker) = &self.worker else {
            return self
                .conn
                .receiver
                .recv()
                .map_or(Event::ClientGone, Event::Message);
        };
        select_biased! {
            recv(self.conn.receiver) -> msg => msg.map_or(Event::ClientGone, Event::Message),
            recv(worker.done) -> done => done.map_or(Event::WorkerGone, Event::Paths),
        }
    }

    /// Handles one message; `Some(status)` when the server is to exit.
    fn handle(&mut self, msg: Message) -> Option<i32> {
        match msg {
            Message::Notification(n) if n.method == "exit" => Some(if self.shut_down {
                EXIT_AFTER_SHUTDOWN
            } else {
                EXIT_WITHOUT_SHUTDOWN
            }),
            Message::Request(r) if r.method == "shutdown" => {
                self.shut_down = true;
                self.send(Response::new_ok(r.id, ()).into());
                None
            }
            Message::Request(r) if self.shut_down => {
                let e = error(
                    ErrorCode::InvalidRequest,
                    "the server is shutting down".into(),
                );
                self.send(
                    Response {
                        id: r.id,
                        response_result: Err(e),
                    }
                    .into(),
                );
                None
            }
            Message::Request(r) => {
                self.guarded_request(r);
                None
            }
            // After `shutdown` only `exit` counts.
            Message::Notification(_) if self.shut_down => None,
            Message::Notification(n) => {
                self.guarded_notification(n);
                None
            }
            Message::Response(r) => {
                self.on_response(r);
                None
            }
        }
    }

    fn guarded_request(&mut self, req: Request) {
        let (id, method) = (req.id.clone(), req.method.clone());
        let result = match catch_unwind(AssertUnwindSafe(|| self.request(req))) {
            Ok(result) => result,
            Err(panic) => Err(error(
                ErrorCode::InternalError,
                format!("internal error: {}", panic_text(&*panic)),
            )),
        };
        if let Err(e) = &result {
            let level = if e.code == ErrorCode::ContentModified as i32 {
                MessageType::INFO
            } else {
                MessageType::ERROR
            };
            self.log(level, format!("{method}: {}", e.message));
        }
        self.send(
            Response {
                id,
                response_result: result,
            }
            .into(),
        );
    }

    fn request(&mut self, req: Request) -> Result<Value, ResponseError> {
        let support = self.support;
        match req.method.as_str() {
            CodeActionRequest::METHOD => {
                let p: CodeActionParams = params(req.params)?;
                let uri = &p.text_document.uri;
                let actions = self
                    .docs
                    .get(uri)
                    .map(|doc| actions::code_actions(uri, doc, p.range, &p.context, support));
                json(actions)
            }
            CodeActionResolveRequest::METHOD => {
                let action: CodeAction = params(req.params)?;
                json(actions::resolve(&self.docs, action, support)?)
            }
            HoverRequest::METHOD => {
                let p: HoverParams = params(req.params)?;
                let at = &p.text_document_position_params;
                let hover = self
                    .docs
                    .get(&at.text_document.uri)
                    .and_then(|doc| hover::hover(doc, at.position, support.markdown_hover));
                json(hover)
            }
            CodeLensRequest::METHOD => {
                let p: CodeLensParams = params(req.params)?;
                let uri = &p.text_document.uri;
                json(self.docs.get(uri).map(|doc| lens::code_lenses(uri, doc)))
            }
            ExecuteCommand::METHOD => {
                let p: ExecuteCommandParams = params(req.params)?;
                if p.command != RESOLVE_COMMAND {
                    return Err(error(
                        ErrorCode::InvalidParams,
                        format!("unknown command `{}`", p.command),
                    ));
                }
                let (title, edit) = actions::execute(&self.docs, p.arguments, support)?;
                let label = Some(format!("yamerge: {title}"));
                self.send_request::<ApplyWorkspaceEdit>(ApplyWorkspaceEditParams { label, edit });
                Ok(Value::Null)
            }
            method => Err(error(
                ErrorCode::MethodNotFound,
                format!("yamerge does not handle `{method}`"),
            )),
        }
    }

    fn guarded_notification(&mut self, n: Notification) {
        let method = n.method.clone();
        let uri = n
            .params
            .pointer("/textDocument/uri")
            .and_then(|u| serde_json::from_value::<Uri>(u.clone()).ok());
        match catch_unwind(AssertUnwindSafe(|| self.notification(n))) {
            Ok(Ok(())) => {}
            Ok(Err(e)) => self.log(MessageType::ERROR, format!("{method}: {e}")),
            Err(panic) => {
                // Whatever the change did to the text, it can no longer be
                // trusted to match the client's: forget the document.
                let mut said = format!("{method}: internal error: {}", panic_text(&*panic));
                if let Some(uri) = uri {
                    self.docs.close(&uri);
                    self.publish(uri.clone(), Vec::new(), None);
                    said.push_str(&format!(
                        "; close and reopen {} to check it again",
                        uri.as_str()
                    ));
                }
                self.log(MessageType::ERROR, said);
            }
        }
    }

    fn notification(&mut self, n: Notification) -> Result<(), String> {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let p: DidOpenTextDocumentParams = params(n.params).map_err(|e| e.message)?;
                let doc = p.text_document;
                self.docs.open(doc.uri, doc.text, doc.version);
            }
            DidChangeTextDocument::METHOD => {
                let p: DidChangeTextDocumentParams = params(n.params).map_err(|e| e.message)?;
                let doc = p.text_document;
                if !self.docs.change(&doc.uri, p.content_changes, doc.version) {
                    return Err(format!("{} is not open", doc.uri.as_str()));
                }
            }
            DidCloseTextDocument::METHOD => {
                let p: DidCloseTextDocumentParams = params(n.params).map_err(|e| e.message)?;
                self.docs.close(&p.text_document.uri);
                // What the client shows for a closed document is no longer true.
                self.publish(p.text_document.uri, Vec::new(), None);
            }
            // `initialized`, `$/cancelRequest` (every request is answered at
            // once), saves, settings: nothing to do.
            _ => {}
        }
        Ok(())
    }

    /// The client's answer to a request of ours (`workspace/applyEdit`).
    fn on_response(&mut self, r: Response) {
        let Some(k) = self.pending.iter().position(|(id, _)| *id == r.id) else {
            return;
        };
        let (_, method) = self.pending.swap_remove(k);
        match r.response_result {
            Err(e) => self.log(MessageType::ERROR, format!("{method}: {}", e.message)),
            Ok(v) if method == ApplyWorkspaceEdit::METHOD => {
                if let Ok(ApplyWorkspaceEditResponse {
                    applied: false,
                    failure_reason,
                    ..
                }) = serde_json::from_value(v)
                {
                    let why = failure_reason.unwrap_or_else(|| "no reason given".into());
                    self.log(
                        MessageType::WARNING,
                        format!("the edit was not applied: {why}"),
                    );
                }
            }
            Ok(_) => {}
        }
    }

    /// Publishes the diagnostics of every document changed since last time
    /// (or starts finding their paths).
    fn publish_changed(&mut self) {
        for uri in self.docs.take_dirty() {
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| self.publish_document(&uri))) {
                let at = uri.as_str();
                let panic = panic_text(&*panic);
                self.log(
                    MessageType::ERROR,
                    format!("diagnostics of {at}: internal error: {panic}"),
                );
            }
        }
    }

    /// Publishes a document's diagnostics when its paths are known (or
    /// found inline, without a worker); else hands its text to the worker,
    /// publishing meanwhile with the last paths if they still fit.
    fn publish_document(&mut self, uri: &Uri) {
        let Some(doc) = self.docs.get(uri) else {
            return;
        };
        let analysis = doc.analysis();
        let paths = match (analysis.paths_ready(), &self.worker) {
            (Some(paths), _) => paths.to_vec(),
            (None, None) => analysis.paths().to_vec(),
            (None, Some(worker)) => {
                worker.send(Job {
                    uri: uri.clone(),
                    version: doc.version,
                    text: doc.text().to_string(),
                });
                match &doc.published {
                    Some((_, last)) if last.len() == analysis.hunks().len() => last.clone(),
                    _ => return,
                }
            }
        };
        self.publish_with(uri, paths);
    }

    /// Paths from the worker: kept, and published unless the diagnostics
    /// already published for that version said the same.
    fn on_paths(&mut self, done: Done) {
        let Some(doc) = self.docs.get(&done.uri) else {
            return;
        };
        // A newer version's paths are on their way.
        if doc.version != done.version {
            return;
        }
        match done.paths {
            Ok(paths) => doc.analysis().set_paths(paths),
            Err(e) => self.log(MessageType::ERROR, format!("paths of the conflicts: {e}")),
        }
        let paths = doc.analysis().paths().to_vec();
        if doc.published.as_ref() != Some(&(done.version, paths.clone())) {
            self.publish_with(&done.uri, paths);
        }
    }

    fn publish_with(&mut self, uri: &Uri, paths: Vec<String>) {
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        let diags = diagnostics::diagnostics(doc, &paths);
        let version = doc.version;
        doc.published = Some((version, paths));
        self.publish(uri.clone(), diags, Some(version));
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(PublishDiagnostics::METHOD.into(), params).into());
    }

    fn log(&self, typ: MessageType, message: String) {
        let params = LogMessageParams { typ, message };
        self.send(Notification::new(LogMessage::METHOD.into(), params).into());
    }

    fn send_request<R: lsp_types::request::Request>(&mut self, params: R::Params) {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.pending.push((id.clone(), R::METHOD));
        self.send(Request::new(id, R::METHOD.into(), params).into());
    }

    fn send(&self, msg: Message) {
        // Fails only when the client is gone, which the next receive sees.
        let _ = self.conn.sender.send(msg);
    }
}

/// A request's or notification's parameters, or why they do not fit.
fn params<P: DeserializeOwned>(params: Value) -> Result<P, ResponseError> {
    serde_json::from_value(params)
        .map_err(|e| error(ErrorCode::InvalidParams, format!("invalid parameters: {e}")))
}

fn json<T: serde::Serialize>(value: T) -> Result<Value, ResponseError> {
    serde_json::to_value(value).map_err(|e| error(ErrorCode::InternalError, e.to_string()))
}

fn error(code: ErrorCode, message: String) -> ResponseError {
    ResponseError {
        code: code as i32,
        message,
        data: None,
    }
}

/// What a panic said.
fn panic_text(panic: &(dyn Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic".into()
    }
}
