//! Diagnostics: one per conflict, over its marker lines (from `<<<<<<<` to
//! `>>>>>>>`), saying its YAML path and what each side did; or one at the
//! offending line when the markers cannot be read. A document without
//! conflicts gets an empty list, which clears what was shown before.

use lsp_types::{Diagnostic, DiagnosticSeverity, NumberOrString, Range};

use super::analysis::{marker_span, model_line_start};
use super::documents::Document;

/// The `source` of every diagnostic, so a user can tell who says it.
const SOURCE: &str = "yamerge";

/// Diagnostic codes: a conflict, and markers that cannot be read.
pub(crate) const CONFLICT: &str = "conflict";
const UNBALANCED: &str = "unbalanced-markers";

/// All diagnostics of a document, naming its conflicts by `paths` (one per
/// conflict; the document's own, or an earlier version's while its own are
/// being found).
pub(crate) fn diagnostics(doc: &Document, paths: &[String]) -> Vec<Diagnostic> {
    let analysis = doc.analysis();
    if let Some(e) = analysis.marker_error() {
        let text = doc.text();
        let line = doc.index().line_of(model_line_start(text, e.line));
        let range = doc.index().line_range(text, line);
        return vec![diagnostic(range, UNBALANCED, e.reason.clone())];
    }
    (0..analysis.hunks().len())
        .map(|k| {
            let path = paths.get(k).map_or("", String::as_str);
            diagnostic(conflict_range(doc, k), CONFLICT, analysis.summary(k, path))
        })
        .collect()
}

/// Whether a diagnostic (as the client sent it back) is this server's
/// for conflict `k`.
pub(crate) fn is_conflict_diagnostic(doc: &Document, k: usize, d: &Diagnostic) -> bool {
    d.source.as_deref() == Some(SOURCE) && d.range == conflict_range(doc, k)
}

/// The range of conflict `k`'s marker lines.
pub(crate) fn conflict_range(doc: &Document, k: usize) -> Range {
    let text = doc.text();
    match doc.analysis().hunks().get(k) {
        Some(hunk) => doc.index().range(text, marker_span(text, hunk)),
        None => Range::default(),
    }
}

fn diagnostic(range: Range, code: &str, message: String) -> Diagnostic {
    Diagnostic {
        range,
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String(code.into())),
        source: Some(SOURCE.into()),
        message,
        ..Diagnostic::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::Position;

    fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Range {
        Range::new(Position::new(l1, c1), Position::new(l2, c2))
    }

    #[test]
    fn one_per_conflict_over_its_marker_lines() {
        let text = "a: é\n<<<<<<< ours\nb: 😀\n||||||| base\nb: 1\n=======\nb: 3\n>>>>>>> théirs\n";
        let doc = Document::new(text.into(), 1);
        let d = diagnostics(&doc, doc.analysis().paths());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].range, range(1, 0, 7, 14));
        assert_eq!(d[0].message, "b: current set 😀, incoming set 3");
        assert_eq!(d[0].code, Some(NumberOrString::String("conflict".into())));
    }

    #[test]
    fn unbalanced_markers_give_one_at_the_offending_line() {
        let text = "a: 1\r\n<<<<<<< ours\r\nb: 2\r\n=======\r\n";
        let d = diagnostics(&Document::new(text.into(), 1), &[]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].range, range(1, 0, 1, 12));
        assert_eq!(
            d[0].message,
            "this conflict is not closed (no `>>>>>>>` line)"
        );
    }

    #[test]
    fn no_conflicts_no_diagnostics_and_prose_has_no_path() {
        assert!(diagnostics(&Document::new("a: 1\n".into(), 1), &[]).is_empty());
        let prose = "Dear reader,\n<<<<<<< a\nhello\n=======\nhi\n>>>>>>> b\n";
        let doc = Document::new(prose.into(), 1);
        let d = diagnostics(&doc, doc.analysis().paths());
        assert_eq!(d[0].message, "current has 1 line, incoming has 1 line");
        // An earlier version's paths, while this one's are being found.
        assert_eq!(
            diagnostics(&doc, &["old.path".into()])[0].message,
            "old.path: current has 1 line, incoming has 1 line"
        );
        assert!(is_conflict_diagnostic(&doc, 0, &d[0]));
        assert!(!is_conflict_diagnostic(&doc, 1, &d[0]));
    }
}
