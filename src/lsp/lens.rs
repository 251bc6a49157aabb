//! Code lenses above each conflict: the four takes every conflict has
//! (current, incoming, both in either order). Each lens carries the server's
//! command; executing it makes the server send the edit back with
//! `workspace/applyEdit`, which VS Code's language client and Neovim both
//! implement, where a lens carrying its own edit would need a client-side
//! command that each client names differently.

use lsp_types::{CodeLens, Command, Uri};

use super::actions::{TAKES, Target};
use super::capabilities::RESOLVE_COMMAND;
use super::diagnostics::conflict_range;
use super::documents::Document;

/// How many takes a lens offers: all but "Take base", which not every
/// conflict has and which the code actions offer.
const LENS_TAKES: usize = 4;

/// The lenses of a document.
pub(crate) fn code_lenses(uri: &Uri, doc: &Document) -> Vec<CodeLens> {
    let mut out = Vec::new();
    for k in 0..doc.analysis().hunks().len() {
        // On the `<<<<<<<` line, so a client shows them just above it.
        let line = conflict_range(doc, k).start.line as usize;
        let range = doc.index().line_range(doc.text(), line);
        for take in &TAKES[..LENS_TAKES] {
            let target = Target {
                uri: uri.clone(),
                version: doc.version,
                conflict: Some(k),
                choice: take.name.into(),
            };
            out.push(CodeLens {
                range,
                command: Some(Command {
                    title: take.title.into(),
                    command: RESOLVE_COMMAND.into(),
                    arguments: serde_json::to_value(&target).ok().map(|v| vec![v]),
                }),
                data: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_takes_on_each_opening_marker_line() {
        let text = "a: 1\n<<<<<<< ours\nb: 2\n=======\nb: 3\n>>>>>>> theirs\n\
<<<<<<< ours\nc: 2\n=======\nc: 3\n>>>>>>> theirs\n";
        let uri: Uri = "file:///v.yaml".parse().unwrap();
        let lenses = code_lenses(&uri, &Document::new(text.into(), 3));
        assert_eq!(lenses.len(), 8);
        assert_eq!(lenses[0].range.start.line, 1);
        assert_eq!(lenses[0].range.end.character, 12);
        assert_eq!(lenses[4].range.start.line, 6);
        let command = lenses[5].command.as_ref().unwrap();
        assert_eq!(command.title, "Take incoming");
        let target: Target =
            serde_json::from_value(command.arguments.as_ref().unwrap()[0].clone()).unwrap();
        assert_eq!(
            (target.version, target.conflict, target.choice.as_str()),
            (3, Some(1), "incoming")
        );
    }
}
