//! Code actions and the command behind code lenses: resolving one conflict
//! by a choice of the conflict model ("Take current", …), or re-merging the
//! whole document structurally ("Merge structurally", the library's
//! `solve`). Every action is a workspace edit of only the lines that
//! change.
//!
//! "Merge structurally" can take a while on a large document, and clients
//! ask for code actions whenever the cursor moves; a client that can
//! resolve an action's edit later gets the action without it and the merge
//! runs only when the action is chosen.

use lsp_server::{ErrorCode, ResponseError};
use lsp_types::{
    CodeAction, CodeActionContext, CodeActionDisabled, CodeActionKind, CodeActionOrCommand,
    Command, Range, TextEdit, Uri, WorkspaceEdit,
};
use serde::{Deserialize, Serialize};

use super::capabilities::{ClientSupport, RESOLVE_COMMAND};
use super::diagnostics::{conflict_range, is_conflict_diagnostic};
use super::documents::{Document, Documents};
use super::edits::{Replacement, line_replacements, text_edits, workspace_edit};
use crate::conflict::Choice;

/// One way to resolve a conflict: its title, its name in command arguments
/// and the conflict model's choice.
pub(crate) struct Take {
    pub(crate) title: &'static str,
    pub(crate) name: &'static str,
    pub(crate) choice: Choice,
}

/// Every take, in the order offered ("Take base" only where a conflict has
/// a base section).
pub(crate) const TAKES: [Take; 5] = [
    Take {
        title: "Take current",
        name: "current",
        choice: Choice::Current,
    },
    Take {
        title: "Take incoming",
        name: "incoming",
        choice: Choice::Incoming,
    },
    Take {
        title: "Take both (current first)",
        name: "both-current-first",
        choice: Choice::CurrentThenIncoming,
    },
    Take {
        title: "Take both (incoming first)",
        name: "both-incoming-first",
        choice: Choice::IncomingThenCurrent,
    },
    Take {
        title: "Take base",
        name: "base",
        choice: Choice::Base,
    },
];

pub(crate) const MERGE_STRUCTURALLY: &str = "Merge structurally";

/// The `choice` of a structural re-merge in [`Target`].
const STRUCTURAL: &str = "structural";

/// What an action or command resolves, in which version of which document:
/// the arguments of [`RESOLVE_COMMAND`] and the `data` of an action whose
/// edit comes later.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Target {
    pub(crate) uri: Uri,
    pub(crate) version: i32,
    /// The conflict (0-based, in document order); none for a re-merge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) conflict: Option<usize>,
    /// A take's name, or `structural`.
    pub(crate) choice: String,
}

/// The code actions for a range of a document. `context` is what the client
/// sent: the kinds it wants, and the diagnostics it shows there (a take
/// names the one it fixes among them).
pub(crate) fn code_actions(
    uri: &Uri,
    doc: &Document,
    range: Range,
    context: &CodeActionContext,
    support: ClientSupport,
) -> Vec<CodeActionOrCommand> {
    if !offers_quickfix(context.only.as_deref()) {
        return Vec::new();
    }
    let analysis = doc.analysis();
    let mut out = Vec::new();
    for (k, hunk) in analysis.hunks().iter().enumerate() {
        let lines = conflict_range(doc, k);
        if lines.end.line < range.start.line || range.end.line < lines.start.line {
            continue;
        }
        for take in TAKES
            .iter()
            .filter(|t| hunk.base.is_some() || t.name != "base")
        {
            let target = Target {
                uri: uri.clone(),
                version: doc.version,
                conflict: Some(k),
                choice: take.name.into(),
            };
            out.push(take_action(doc, k, take, target, context, support));
        }
    }
    if analysis.can_solve()
        && let Some(action) = structural_action(uri, doc, support)
    {
        out.push(action);
    }
    out
}

/// Whether a request's `only` kinds let quick fixes through.
fn offers_quickfix(only: Option<&[CodeActionKind]>) -> bool {
    let quickfix = CodeActionKind::QUICKFIX;
    let ours = quickfix.as_str();
    match only {
        None | Some([]) => true,
        Some(kinds) => kinds.iter().any(|k| {
            let k = k.as_str();
            ours == k || ours.strip_prefix(k).is_some_and(|r| r.starts_with('.'))
        }),
    }
}

fn take_action(
    doc: &Document,
    k: usize,
    take: &Take,
    target: Target,
    context: &CodeActionContext,
    support: ClientSupport,
) -> CodeActionOrCommand {
    if !support.action_literals {
        return command(take.title, target);
    }
    let edit = take_edits(doc, k, &take.choice)
        .map(|edits| workspace_edit(&target.uri, doc, edits, support.versioned_edits));
    let fixes: Vec<_> = context
        .diagnostics
        .iter()
        .filter(|d| is_conflict_diagnostic(doc, k, d))
        .cloned()
        .collect();
    CodeActionOrCommand::CodeAction(CodeAction {
        title: take.title.into(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: (!fixes.is_empty()).then_some(fixes),
        edit,
        ..CodeAction::default()
    })
}

/// "Merge structurally": with its edit, or (client permitting) with the
/// data to compute it on resolve; `None` when it would change nothing or
/// fails and the client cannot show a disabled action.
fn structural_action(
    uri: &Uri,
    doc: &Document,
    support: ClientSupport,
) -> Option<CodeActionOrCommand> {
    let target = Target {
        uri: uri.clone(),
        version: doc.version,
        conflict: None,
        choice: STRUCTURAL.into(),
    };
    if !support.action_literals {
        return Some(command(MERGE_STRUCTURALLY, target));
    }
    let mut action = CodeAction {
        title: MERGE_STRUCTURALLY.into(),
        kind: Some(CodeActionKind::QUICKFIX),
        ..CodeAction::default()
    };
    if support.resolve_edit {
        action.data = serde_json::to_value(&target).ok();
        return Some(CodeActionOrCommand::CodeAction(action));
    }
    match structural_edits(doc, uri) {
        Ok(edits) if !edits.is_empty() => {
            action.edit = Some(workspace_edit(uri, doc, edits, support.versioned_edits));
        }
        Ok(_) if support.disabled_actions => {
            action.disabled = Some(CodeActionDisabled {
                reason: NOTHING_TO_MERGE.into(),
            });
        }
        Err(reason) if support.disabled_actions => {
            action.disabled = Some(CodeActionDisabled { reason });
        }
        _ => return None,
    }
    Some(CodeActionOrCommand::CodeAction(action))
}

/// Why "Merge structurally" would change nothing.
pub(crate) const NOTHING_TO_MERGE: &str =
    "YAML structure resolves none of the conflicts: each needs a choice";

fn command(title: &str, target: Target) -> CodeActionOrCommand {
    CodeActionOrCommand::Command(Command {
        title: title.into(),
        command: RESOLVE_COMMAND.into(),
        arguments: serde_json::to_value(&target).ok().map(|v| vec![v]),
    })
}

/// The edits resolving conflict `k` by `choice`; `None` when there is no
/// such conflict or it lacks the base section the choice needs.
pub(crate) fn take_edits(doc: &Document, k: usize, choice: &Choice) -> Option<Vec<TextEdit>> {
    let hunk = doc.analysis().hunks().get(k)?;
    let text = doc.text();
    let chosen = String::from_utf8(hunk.resolved(text.as_bytes(), choice)?).ok()?;
    let at = hunk.bytes.start;
    let replacements = line_replacements(&text[hunk.bytes.clone()], &chosen)
        .into_iter()
        .map(|r| Replacement {
            old: r.old.start + at..r.old.end + at,
            new: r.new,
        })
        .collect();
    Some(text_edits(doc, replacements))
}

/// The edits re-merging the whole document structurally (empty when that
/// changes nothing), or why it cannot be re-merged.
pub(crate) fn structural_edits(doc: &Document, uri: &Uri) -> Result<Vec<TextEdit>, String> {
    let solved = doc.analysis().solved(&file_name(uri)).as_ref()?;
    Ok(text_edits(doc, line_replacements(doc.text(), solved)))
}

/// The last segment of a URI's path, to name the document in messages.
fn file_name(uri: &Uri) -> String {
    let path = uri.path().as_str();
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.is_empty() {
        uri.as_str().to_string()
    } else {
        name.to_string()
    }
}

/// Fills in the edit of an action sent without one ("Merge structurally").
pub(crate) fn resolve(
    docs: &Documents,
    mut action: CodeAction,
    support: ClientSupport,
) -> Result<CodeAction, ResponseError> {
    let data = action.data.clone().unwrap_or_default();
    let target: Target = serde_json::from_value(data).map_err(|e| {
        failure(
            ErrorCode::InvalidParams,
            format!("not a yamerge action: {e}"),
        )
    })?;
    action.edit = Some(target_edit(docs, &target, support)?);
    Ok(action)
}

/// The edit of the command's target, to send to the client, with the
/// title of what it does (for the client's undo history).
pub(crate) fn execute(
    docs: &Documents,
    arguments: Vec<serde_json::Value>,
    support: ClientSupport,
) -> Result<(&'static str, WorkspaceEdit), ResponseError> {
    let target: Target = arguments
        .into_iter()
        .next()
        .and_then(|v| serde_json::from_value(v).ok())
        .ok_or_else(|| {
            failure(
                ErrorCode::InvalidParams,
                format!("{RESOLVE_COMMAND} takes one argument: {{uri, version, conflict, choice}}"),
            )
        })?;
    let title = TAKES
        .iter()
        .find(|t| t.name == target.choice)
        .map_or(MERGE_STRUCTURALLY, |t| t.title);
    Ok((title, target_edit(docs, &target, support)?))
}

fn target_edit(
    docs: &Documents,
    target: &Target,
    support: ClientSupport,
) -> Result<WorkspaceEdit, ResponseError> {
    let doc = docs.get(&target.uri).ok_or_else(|| {
        failure(
            ErrorCode::InvalidParams,
            format!("{} is not open", target.uri.as_str()),
        )
    })?;
    if doc.version != target.version {
        return Err(failure(
            ErrorCode::ContentModified,
            "the document changed since this action was offered; ask again".into(),
        ));
    }
    let edits = if target.choice == STRUCTURAL {
        let edits = structural_edits(doc, &target.uri).map_err(|e| {
            failure(
                ErrorCode::RequestFailed,
                format!("{MERGE_STRUCTURALLY}: {e}"),
            )
        })?;
        if edits.is_empty() {
            return Err(failure(ErrorCode::RequestFailed, NOTHING_TO_MERGE.into()));
        }
        edits
    } else {
        let take = TAKES
            .iter()
            .find(|t| t.name == target.choice)
            .ok_or_else(|| {
                failure(
                    ErrorCode::InvalidParams,
                    format!("unknown choice `{}`", target.choice),
                )
            })?;
        let k = target.conflict.unwrap_or(usize::MAX);
        take_edits(doc, k, &take.choice).ok_or_else(|| {
            failure(
                ErrorCode::RequestFailed,
                format!(
                    "{}: no such conflict, or it has no base section",
                    take.title
                ),
            )
        })?
    };
    Ok(workspace_edit(
        &target.uri,
        doc,
        edits,
        support.versioned_edits,
    ))
}

fn failure(code: ErrorCode, message: String) -> ResponseError {
    ResponseError {
        code: code as i32,
        message,
        data: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::ConflictedText;
    use crate::lsp::edits::tests::apply;

    const TEXT: &str = "a: é\r\n<<<<<<< ours\r\nb: 😀\r\n||||||| base\r\nb: 1\r\n=======\r\nb: 3\r\n>>>>>>> theirs\r\nc: 1\r\n";

    fn uri() -> Uri {
        "file:///dir/values.yaml".parse().unwrap()
    }

    fn titles(actions: &[CodeActionOrCommand]) -> Vec<String> {
        actions
            .iter()
            .map(|a| match a {
                CodeActionOrCommand::CodeAction(a) => a.title.clone(),
                CodeActionOrCommand::Command(c) => format!("command: {}", c.title),
            })
            .collect()
    }

    #[test]
    fn every_take_edits_like_the_conflict_model() {
        let doc = Document::new(TEXT.into(), 1);
        let model = ConflictedText::read(TEXT.as_bytes()).unwrap();
        for take in &TAKES {
            let edits = take_edits(&doc, 0, &take.choice).unwrap();
            let want = String::from_utf8(model.apply(0, &take.choice).unwrap()).unwrap();
            assert_eq!(apply(TEXT, &edits), want, "{}", take.title);
        }
        assert!(take_edits(&doc, 1, &Choice::Current).is_none());
    }

    #[test]
    fn actions_on_a_conflict_and_merge_anywhere() {
        let doc = Document::new(TEXT.into(), 1);
        let support = ClientSupport {
            action_literals: true,
            resolve_edit: true,
            ..ClientSupport::default()
        };
        let none = CodeActionContext::default();
        let on = |line| {
            Range::new(
                lsp_types::Position::new(line, 0),
                lsp_types::Position::new(line, 0),
            )
        };
        let all = titles(&code_actions(&uri(), &doc, on(3), &none, support));
        let takes: Vec<&str> = TAKES.iter().map(|t| t.title).collect();
        assert_eq!(all[..5], takes);
        assert_eq!(all[5], MERGE_STRUCTURALLY);
        assert_eq!(
            titles(&code_actions(&uri(), &doc, on(0), &none, support)),
            [MERGE_STRUCTURALLY]
        );
        let refactor = CodeActionContext {
            only: Some(vec![CodeActionKind::REFACTOR]),
            ..CodeActionContext::default()
        };
        assert!(code_actions(&uri(), &doc, on(3), &refactor, support).is_empty());
        // Computed at once, a merge that changes nothing is not offered,
        // or offered disabled where the client shows that.
        let eager = ClientSupport {
            resolve_edit: false,
            ..support
        };
        assert_eq!(
            titles(&code_actions(&uri(), &doc, on(0), &none, eager)).len(),
            0
        );
        let disabled = ClientSupport {
            disabled_actions: true,
            ..eager
        };
        match &code_actions(&uri(), &doc, on(0), &none, disabled)[0] {
            CodeActionOrCommand::CodeAction(a) => {
                assert_eq!(a.disabled.as_ref().unwrap().reason, NOTHING_TO_MERGE);
            }
            other => panic!("{other:?}"),
        }
        let commands = titles(&code_actions(
            &uri(),
            &doc,
            on(3),
            &none,
            ClientSupport::default(),
        ));
        assert_eq!(commands[0], "command: Take current");
    }

    #[test]
    fn a_take_names_the_clients_diagnostic_it_fixes() {
        let doc = Document::new(TEXT.into(), 1);
        let shown = crate::lsp::diagnostics::diagnostics(&doc, &["b".into()]);
        let context = CodeActionContext {
            diagnostics: shown.clone(),
            ..CodeActionContext::default()
        };
        let support = ClientSupport {
            action_literals: true,
            ..ClientSupport::default()
        };
        let at = Range::new(
            lsp_types::Position::new(2, 0),
            lsp_types::Position::new(2, 0),
        );
        match &code_actions(&uri(), &doc, at, &context, support)[0] {
            CodeActionOrCommand::CodeAction(a) => assert_eq!(a.diagnostics, Some(shown)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn structural_merge_resolves_what_structure_can() {
        let text = "<<<<<<< ours\na: 2\nb: 1\n||||||| base\na: 1\nb: 1\n=======\na: 1\nb: 3\n>>>>>>> theirs\n";
        let doc = Document::new(text.into(), 1);
        let edits = structural_edits(&doc, &uri()).unwrap();
        assert_eq!(apply(text, &edits), "a: 2\nb: 3\n");
        assert_eq!(file_name(&uri()), "values.yaml");
    }

    /// Lines a conflicted document may be made of: markers of two sizes,
    /// YAML, prose, non-ASCII text, CRLF and lone CR.
    const PIECES: &[&str] = &[
        "<<<<<<< ours\n",
        "||||||| base\n",
        "=======\n",
        ">>>>>>> theirs\n",
        "<<<<<<<<< x\r\n",
        "=========\r\n",
        ">>>>>>>>>\r\n",
        "a: 1\n",
        "  b: é😀\n",
        "- name: x\n",
        "k: [\n",
        "prose\r",
        "\n",
        "x: 2",
    ];

    proptest::proptest! {
        #[test]
        fn any_document_is_served_without_panics(
            picks in proptest::collection::vec(0..PIECES.len(), 0..40)
        ) {
            let text: String = picks.iter().map(|&k| PIECES[k]).collect();
            let doc = Document::new(text.clone(), 1);
            let model = ConflictedText::read(text.as_bytes()).ok();
            let support = ClientSupport {
                action_literals: true,
                disabled_actions: true,
                ..ClientSupport::default()
            };
            let none = CodeActionContext::default();
            crate::lsp::diagnostics::diagnostics(&doc, doc.paths_to_show());
            crate::lsp::lens::code_lenses(&uri(), &doc);
            for line in 0..=text.lines().count() as u32 + 1 {
                let at = lsp_types::Position::new(line, 3);
                code_actions(&uri(), &doc, Range::new(at, at), &none, support);
                crate::lsp::hover::hover(&doc, at, true);
            }
            for k in 0..doc.analysis().hunks().len() {
                for take in &TAKES {
                    let got = take_edits(&doc, k, &take.choice).map(|e| apply(&text, &e));
                    let want = model
                        .as_ref()
                        .and_then(|m| m.apply(k, &take.choice))
                        .map(|t| String::from_utf8(t).unwrap());
                    proptest::prop_assert_eq!(got, want);
                }
            }
        }
    }

    #[test]
    fn stale_and_unknown_targets_are_refused() {
        let mut docs = Documents::default();
        docs.open(uri(), TEXT.into(), 7);
        let target = |version, choice: &str| Target {
            uri: uri(),
            version,
            conflict: Some(0),
            choice: choice.into(),
        };
        let support = ClientSupport::default();
        let stale = target_edit(&docs, &target(6, "current"), support).unwrap_err();
        assert_eq!(stale.code, ErrorCode::ContentModified as i32);
        let unknown = target_edit(&docs, &target(7, "mine"), support).unwrap_err();
        assert_eq!(unknown.message, "unknown choice `mine`");
        let edit = target_edit(&docs, &target(7, "incoming"), support).unwrap();
        assert_eq!(edit.changes.unwrap()[&uri()].len(), 2);
        assert!(execute(&docs, vec![], support).is_err());
    }
}
