//! The main loop: one message at a time, routed by method to the other
//! modules of the server.
//!
//! - Diagnostics are published when no message is waiting, so a burst of
//!   changes (typing, or a client sending many edits of one action) is
//!   analysed once, at its end.
//! - A handler that fails or panics is logged to the client
//!   (`window/logMessage`) and answered with an error; the server goes on.
//! - `shutdown` then `exit` ends the loop with status 0; `exit` without
//!   `shutdown`, or the client going away, with 1.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

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
    };
    let mut next = None;
    loop {
        let msg = match next.take() {
            Some(msg) => msg,
            None => match conn.receiver.recv() {
                Ok(msg) => msg,
                Err(_) => return EXIT_WITHOUT_SHUTDOWN,
            },
        };
        if let Some(status) = server.handle(msg) {
            return status;
        }
        match conn.receiver.try_recv() {
            Ok(msg) => next = Some(msg),
            // None waiting (or the client is gone, which the next `recv`
            // sees): the changes so far are complete.
            Err(_) => server.publish_changed(),
        }
    }
}

struct Server<'a> {
    conn: &'a Connection,
    docs: Documents,
    support: ClientSupport,
    shut_down: bool,
    next_id: i32,
    /// Requests sent to the client and not answered yet: id and method.
    pending: Vec<(RequestId, &'static str)>,
}

impl Server<'_> {
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
                let only = p.context.only.as_deref();
                let actions = self
                    .docs
                    .get(uri)
                    .map(|doc| actions::code_actions(uri, doc, p.range, only, support));
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

    /// Publishes the diagnostics of every document changed since last time.
    fn publish_changed(&mut self) {
        for uri in self.docs.take_dirty() {
            let found = catch_unwind(AssertUnwindSafe(|| {
                let doc = self.docs.get(&uri)?;
                Some((diagnostics::diagnostics(doc), doc.version))
            }));
            match found {
                Ok(Some((diags, version))) => self.publish(uri, diags, Some(version)),
                Ok(None) => {}
                Err(panic) => self.log(
                    MessageType::ERROR,
                    format!(
                        "diagnostics of {}: internal error: {}",
                        uri.as_str(),
                        panic_text(&*panic)
                    ),
                ),
            }
        }
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
