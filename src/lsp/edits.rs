//! Edits for the client to apply: the fewest whole-line replacements that
//! turn a document's text into another, so that an action touches only the
//! lines that change (undo then takes back just those, and the cursor and
//! folds elsewhere stay put), wrapped in a `WorkspaceEdit` tied to the
//! document's version where the client supports that, so that an edit made
//! for an older text is refused rather than applied in the wrong place.

use std::collections::HashMap;
use std::ops::Range;
use std::time::{Duration, Instant};

use lsp_types::{
    DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit,
    Uri, WorkspaceEdit,
};
use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

use super::documents::Document;

/// Some bytes of the old text and what replaces them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Replacement {
    pub(crate) old: Range<usize>,
    pub(crate) new: String,
}

/// Whole-line replacements turning `old` into `new`, in order and without
/// overlaps (lines end after `\n`).
pub(crate) fn line_replacements(old: &str, new: &str) -> Vec<Replacement> {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    // Lines both share at the ends never reach the diff: most of a document
    // around the conflicts of a take, all of it but the conflicts' stretch
    // for a structural merge.
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a_mid, b_mid) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut starts = Vec::with_capacity(a_mid.len() + 1);
    let mut at: usize = a[..prefix].iter().map(|l| l.len()).sum();
    starts.push(at);
    for line in a_mid {
        at += line.len();
        starts.push(at);
    }
    // Past the deadline the diff is coarser (larger replacements), still right.
    let deadline = Instant::now() + Duration::from_secs(1);
    let ops = capture_diff_slices_deadline(Algorithm::Myers, a_mid, b_mid, Some(deadline));
    let mut out: Vec<Replacement> = Vec::new();
    let mut last_end = None;
    for op in ops {
        if let DiffOp::Equal { .. } = op {
            continue;
        }
        let (old_lines, new_lines) = (op.old_range(), op.new_range());
        let old = starts[old_lines.start]..starts[old_lines.end];
        let text = b_mid[new_lines].concat();
        // A deletion next to an insertion is one replacement.
        match out.last_mut() {
            Some(prev) if last_end == Some(old.start) => {
                prev.old.end = old.end;
                prev.new.push_str(&text);
            }
            _ => out.push(Replacement {
                old: old.clone(),
                new: text,
            }),
        }
        last_end = Some(old.end);
    }
    out
}

/// The replacements as protocol edits on a document.
pub(crate) fn text_edits(doc: &Document, replacements: Vec<Replacement>) -> Vec<TextEdit> {
    replacements
        .into_iter()
        .map(|r| TextEdit::new(doc.index().range(doc.text(), r.old), r.new))
        .collect()
}

/// Edits of one document as a workspace edit: versioned
/// (`documentChanges`) when the client supports it, else plain `changes`.
pub(crate) fn workspace_edit(
    uri: &Uri,
    doc: &Document,
    edits: Vec<TextEdit>,
    versioned: bool,
) -> WorkspaceEdit {
    if versioned {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(doc.version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::lsp::position::LineIndex;

    /// Applies protocol edits to a text as a client does (all ranges refer
    /// to the text before any edit).
    pub(crate) fn apply(text: &str, edits: &[TextEdit]) -> String {
        let ix = LineIndex::new(text);
        let mut spans: Vec<(usize, usize, &str)> = edits
            .iter()
            .map(|e| {
                let (s, t) = (ix.offset(text, e.range.start), ix.offset(text, e.range.end));
                (s, t, e.new_text.as_str())
            })
            .collect();
        spans.sort();
        let mut out = String::new();
        let mut at = 0;
        for (s, t, new) in spans {
            assert!(s >= at, "overlapping edits");
            out.push_str(&text[at..s]);
            out.push_str(new);
            at = t;
        }
        out.push_str(&text[at..]);
        out
    }

    fn round_trip(old: &str, new: &str) -> Vec<Replacement> {
        let reps = line_replacements(old, new);
        let doc = Document::new(old.into(), 1);
        assert_eq!(apply(old, &text_edits(&doc, reps.clone())), new);
        reps
    }

    #[test]
    fn only_changed_lines_are_replaced() {
        let reps = round_trip("a\nb\nc\nd\ne\n", "a\nB\nc\nd\nE\nf\n");
        assert_eq!(
            reps,
            [
                Replacement {
                    old: 2..4,
                    new: "B\n".into()
                },
                Replacement {
                    old: 8..10,
                    new: "E\nf\n".into()
                }
            ]
        );
        assert!(round_trip("same\n", "same\n").is_empty());
    }

    #[test]
    fn removed_marker_lines_are_deletions() {
        let old = "x\n<<<<<<< a\ny\n=======\nz\n>>>>>>> b\nw\n";
        let reps = round_trip(old, "x\ny\nw\n");
        assert_eq!(reps.len(), 2);
        assert_eq!(&old[reps[0].old.clone()], "<<<<<<< a\n");
        assert_eq!(&old[reps[1].old.clone()], "=======\nz\n>>>>>>> b\n");
    }

    #[test]
    fn crlf_non_ascii_and_missing_final_line_breaks() {
        round_trip("é: 1\r\n😀: 2\r\nz: 3", "é: 1\r\n😀: 9\r\nz: 3\r\n");
        round_trip("a\nb", "a\nb\nc");
        round_trip("a\nb\n", "");
        round_trip("", "a\n");
        round_trip("k: 😀\rv: é\n", "k: 😀\rv: e\n");
    }
}
