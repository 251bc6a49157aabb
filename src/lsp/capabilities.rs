//! What the server offers in `initialize`, and the few client capabilities
//! it adapts to. The client's are read field by field from the raw JSON, so
//! that a client whose capabilities do not match the protocol's types in
//! some unrelated corner still gets everything it does support.

use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CodeLensOptions,
    ExecuteCommandOptions, HoverProviderCapability, InitializeResult, PositionEncodingKind,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
};
use serde_json::Value;

/// The one command the server executes: resolving a conflict from a code
/// lens (or a code action of a client without literal code actions).
pub(crate) const RESOLVE_COMMAND: &str = "yamerge.resolve";

/// What the client said it supports, of what the server uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ClientSupport {
    /// `documentChanges` in workspace edits (edits tied to a version).
    pub(crate) versioned_edits: bool,
    /// `codeAction/resolve` filling in an action's `edit`.
    pub(crate) resolve_edit: bool,
    /// Code actions with a `disabled` reason.
    pub(crate) disabled_actions: bool,
    /// Code action literals (else only commands).
    pub(crate) action_literals: bool,
    /// Markdown in hovers (else plain text).
    pub(crate) markdown_hover: bool,
}

impl ClientSupport {
    /// Reads the capabilities of an `initialize` request's parameters.
    pub(crate) fn from_initialize(params: &Value) -> ClientSupport {
        let caps = params.get("capabilities").unwrap_or(&Value::Null);
        let flag = |path: &str| caps.pointer(path).and_then(Value::as_bool) == Some(true);
        let lists = |path: &str, item: &str| {
            caps.pointer(path)
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().any(|v| v.as_str() == Some(item)))
        };
        ClientSupport {
            versioned_edits: flag("/workspace/workspaceEdit/documentChanges"),
            resolve_edit: lists("/textDocument/codeAction/resolveSupport/properties", "edit"),
            disabled_actions: flag("/textDocument/codeAction/disabledSupport"),
            action_literals: caps
                .pointer("/textDocument/codeAction/codeActionLiteralSupport")
                .is_some_and(Value::is_object),
            markdown_hover: lists("/textDocument/hover/contentFormat", "markdown"),
        }
    }
}

/// The answer to `initialize`.
pub(crate) fn initialize_result() -> InitializeResult {
    InitializeResult {
        capabilities: server_capabilities(),
        server_info: Some(ServerInfo {
            name: "yamerge".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    }
}

fn server_capabilities() -> ServerCapabilities {
    ServerCapabilities {
        // UTF-16, the protocol's default, which every client speaks.
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            resolve_provider: Some(true),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![RESOLVE_COMMAND.into()],
            ..ExecuteCommandOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_what_the_client_supports() {
        let params = json!({"capabilities": {
            "workspace": {"workspaceEdit": {"documentChanges": true}},
            "textDocument": {
                "codeAction": {
                    "codeActionLiteralSupport": {"codeActionKind": {"valueSet": []}},
                    "resolveSupport": {"properties": ["edit"]},
                    "disabledSupport": true
                },
                "hover": {"contentFormat": ["markdown", "plaintext"]}
            }
        }});
        let all = ClientSupport {
            versioned_edits: true,
            resolve_edit: true,
            disabled_actions: true,
            action_literals: true,
            markdown_hover: true,
        };
        assert_eq!(ClientSupport::from_initialize(&params), all);
    }

    #[test]
    fn odd_or_missing_capabilities_mean_unsupported() {
        let params = json!({"capabilities": {"workspace": {"workspaceEdit": "yes"}}});
        assert_eq!(
            ClientSupport::from_initialize(&params),
            ClientSupport::default()
        );
        assert_eq!(
            ClientSupport::from_initialize(&Value::Null),
            ClientSupport::default()
        );
    }
}
