//! Hover on a conflict: its YAML path, what each side did, and base's
//! version of the lines, which the markers show only in diff3 style and
//! which is what a person needs to tell who changed what.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use super::diagnostics::conflict_range;
use super::documents::Document;

/// The hover for a position inside a conflict's marker lines.
pub(crate) fn hover(doc: &Document, pos: Position, markdown: bool) -> Option<Hover> {
    let analysis = doc.analysis();
    let k = (0..analysis.hunks().len()).find(|&k| {
        let r = conflict_range(doc, k);
        r.start.line <= pos.line && pos.line <= r.end.line
    })?;
    let hunk = &analysis.hunks()[k];
    let path = doc.paths_to_show().get(k).map_or("", String::as_str);
    let what = analysis.summary(k, path);
    // The summary starts with the path when there is one; say it once.
    let what = what
        .strip_prefix(path)
        .and_then(|w| w.strip_prefix(": "))
        .unwrap_or(&what);
    let base = hunk.base.as_ref().map(|r| {
        let label = &hunk.labels[1];
        let text = doc.text()[r.clone()].replace("\r\n", "\n");
        (label.as_str(), text)
    });
    let value = if markdown {
        markdown_text(path, what, base)
    } else {
        plain_text(path, what, base)
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: if markdown {
                MarkupKind::Markdown
            } else {
                MarkupKind::PlainText
            },
            value,
        }),
        range: Some(conflict_range(doc, k)),
    })
}

const NO_BASE: &str = "No base section (the markers are in `merge` style): \
`git checkout --conflict=diff3 -- FILE` writes them again with it.";

fn markdown_text(path: &str, what: &str, base: Option<(&str, String)>) -> String {
    let mut out = if path.is_empty() {
        "**Conflict**".to_string()
    } else {
        format!("**Conflict** at {}", code_span(path))
    };
    out.push_str(&format!("\n\n{what}\n\n"));
    match base {
        None => out.push_str(NO_BASE),
        Some((label, text)) => {
            out.push_str(&base_heading(label));
            if text.is_empty() {
                out.push_str(" nothing (added on both sides)");
            } else {
                out.push('\n');
                out.push_str(&code_block(&text, "yaml"));
            }
        }
    }
    out
}

fn plain_text(path: &str, what: &str, base: Option<(&str, String)>) -> String {
    let mut out = if path.is_empty() {
        "Conflict".to_string()
    } else {
        format!("Conflict at {path}")
    };
    out.push_str(&format!("\n{what}\n"));
    match base {
        None => out.push_str(NO_BASE),
        Some((label, text)) if text.is_empty() => {
            out.push_str(&base_heading(label));
            out.push_str(" nothing (added on both sides)");
        }
        Some((label, text)) => {
            out.push_str(&base_heading(label));
            out.push('\n');
            out.push_str(&text);
        }
    }
    out
}

fn base_heading(label: &str) -> String {
    if label.is_empty() {
        "Base:".into()
    } else {
        format!("Base ({label}):")
    }
}

/// Inline code that holds any text: delimited by one backtick more than
/// its longest run of backticks.
fn code_span(text: &str) -> String {
    let ticks = "`".repeat(longest_backtick_run(text) + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// A fenced code block that holds any text (its fence is longer than any
/// run of backticks inside).
fn code_block(text: &str, lang: &str) -> String {
    let fence = "`".repeat((longest_backtick_run(text) + 1).max(3));
    let body = text.strip_suffix('\n').unwrap_or(text);
    format!("{fence}{lang}\n{body}\n{fence}")
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str, line: u32, markdown: bool) -> Option<String> {
        let doc = Document::new(text.into(), 1);
        hover(&doc, Position::new(line, 3), markdown).map(|h| match h.contents {
            HoverContents::Markup(m) => m.value,
            _ => unreachable!("hovers are markup"),
        })
    }

    const TEXT: &str = "k:\r\n<<<<<<< ours\r\n  v: 2\r\n||||||| base\r\n  v: 1\r\n=======\r\n  v: 3\r\n>>>>>>> theirs\r\n";

    #[test]
    fn shows_path_sides_and_base_in_markdown() {
        assert_eq!(
            shown(TEXT, 4, true).unwrap(),
            "**Conflict** at `k.v`\n\ncurrent set 2, incoming set 3\n\nBase (base):\n```yaml\n  v: 1\n```"
        );
        assert_eq!(shown(TEXT, 0, true), None);
        assert!(shown(TEXT, 7, true).is_some());
    }

    #[test]
    fn plain_text_and_conflicts_without_base() {
        assert_eq!(
            shown(TEXT, 1, false).unwrap(),
            "Conflict at k.v\ncurrent set 2, incoming set 3\nBase (base):\n  v: 1\n"
        );
        let merge_style = "<<<<<<< a\nx: 1\n=======\nx: 2\n>>>>>>> b\n";
        assert!(shown(merge_style, 0, true).unwrap().ends_with(NO_BASE));
    }

    #[test]
    fn code_holds_backticks() {
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`a"), "`` `a ``");
        assert_eq!(code_block("x: ```\n", "yaml"), "````yaml\nx: ```\n````");
    }
}
