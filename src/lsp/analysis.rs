//! What the server knows about one version of a document, all of it from
//! the library's conflict model: its conflicts (or why its markers cannot
//! be read), their YAML paths and descriptions, and the structural re-merge
//! of the whole text. Each part is computed when first asked for (the paths
//! may instead be handed in by the background worker), so a request that
//! needs only the conflicts' places never parses YAML.

use std::cell::OnceCell;

use crate::conflict::{ConflictStyle, ConflictedText, Description, Hunk, MarkerError};

/// One version of a document, read for conflicts.
pub(crate) struct Analysis {
    /// `None`: not one opening marker, the common case, found without
    /// copying the text.
    read: Result<Option<Read>, MarkerError>,
    paths: OnceCell<Vec<String>>,
    descriptions: OnceCell<Vec<Description>>,
    solved: OnceCell<Result<String, String>>,
}

/// A text with opening markers, and its conflicts in order.
struct Read {
    conflicted: ConflictedText,
    hunks: Vec<Hunk>,
}

impl Analysis {
    pub(crate) fn of(text: &str) -> Analysis {
        let read = if memchr::memmem::find(text.as_bytes(), b"<<<<<<<").is_none() {
            Ok(None)
        } else {
            ConflictedText::read(text.as_bytes()).map(|conflicted| {
                let hunks = conflicted.hunks().cloned().collect();
                Some(Read { conflicted, hunks })
            })
        };
        Analysis {
            read,
            paths: OnceCell::new(),
            descriptions: OnceCell::new(),
            solved: OnceCell::new(),
        }
    }

    /// Why the markers cannot be read, when they cannot.
    pub(crate) fn marker_error(&self) -> Option<&MarkerError> {
        self.read.as_ref().err()
    }

    /// The conflicts, in order (none when the markers cannot be read).
    pub(crate) fn hunks(&self) -> &[Hunk] {
        match &self.read {
            Ok(Some(r)) => &r.hunks,
            _ => &[],
        }
    }

    /// The YAML path of each conflict (empty where it cannot be told),
    /// found here if the background worker has not delivered them yet.
    pub(crate) fn paths(&self) -> &[String] {
        self.paths.get_or_init(|| match &self.read {
            Ok(Some(r)) => r.conflicted.paths(),
            _ => Vec::new(),
        })
    }

    /// The paths, if already known.
    pub(crate) fn paths_ready(&self) -> Option<&[String]> {
        if self.hunks().is_empty() {
            return Some(&[]);
        }
        self.paths.get().map(Vec::as_slice)
    }

    /// Keeps paths found elsewhere (the background worker) for this text;
    /// ignored when they were found here meanwhile, or do not fit.
    pub(crate) fn set_paths(&self, paths: Vec<String>) {
        if paths.len() == self.hunks().len() {
            let _ = self.paths.set(paths);
        }
    }

    /// One line for conflict `k`: its path (given, so that a caller may pass
    /// an earlier version's while this one's are being found) and what each
    /// side did.
    pub(crate) fn summary(&self, k: usize, path: &str) -> String {
        let descriptions = self.descriptions.get_or_init(|| match &self.read {
            Ok(Some(r)) => r.conflicted.descriptions(),
            _ => Vec::new(),
        });
        descriptions
            .get(k)
            .map_or_else(String::new, |d| d.summary(path))
    }

    /// Whether there are conflicts and every one has a base section, which
    /// a structural re-merge needs.
    pub(crate) fn can_solve(&self) -> bool {
        !self.hunks().is_empty() && self.hunks().iter().all(|h| h.base.is_some())
    }

    /// The whole text re-merged structurally from the three versions its
    /// markers hold (what still conflicts written back with diff3 markers),
    /// or why it cannot be. `name` names the document in error messages.
    pub(crate) fn solved(&self, name: &str) -> &Result<String, String> {
        self.solved.get_or_init(|| {
            let Ok(Some(r)) = &self.read else {
                return Err("the document holds no conflicts".into());
            };
            match crate::solve(name, r.conflicted.text(), ConflictStyle::Diff3) {
                Ok(Some(merged)) => Ok(merged.text),
                Ok(None) => Err("the document holds no conflicts".into()),
                Err(e) => Err(e.to_string()),
            }
        })
    }
}

/// The bytes of a conflict from its `<<<<<<<` line to the end of its
/// `>>>>>>>` line's content (without that line's break).
pub(crate) fn marker_span(text: &str, hunk: &Hunk) -> std::ops::Range<usize> {
    let whole = &text.as_bytes()[hunk.bytes.clone()];
    let close = whole.strip_suffix(b"\n").unwrap_or(whole);
    let close = close.strip_suffix(b"\r").unwrap_or(close);
    hunk.bytes.start..hunk.bytes.start + close.len()
}

/// The byte offset where 1-based line `line` starts, counting lines as the
/// conflict model does (ended by `\n`); the text's end past the last.
pub(crate) fn model_line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    memchr::memchr_iter(b'\n', text.as_bytes())
        .nth(line - 2)
        .map_or(text.len(), |at| at + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "a: 1\n<<<<<<< ours\nb: 2\n||||||| base\nb: 1\n=======\nb: 3\n>>>>>>> theirs\r\n";

    #[test]
    fn conflicts_paths_and_summaries() {
        let a = Analysis::of(TEXT);
        assert_eq!(a.hunks().len(), 1);
        assert_eq!(a.paths_ready(), None);
        assert_eq!(
            a.summary(0, &a.paths()[0]),
            "b: current set 2, incoming set 3"
        );
        assert_eq!(a.paths_ready(), Some(&["b".to_string()][..]));
        assert!(a.can_solve());
        assert_eq!(
            &TEXT[marker_span(TEXT, &a.hunks()[0])],
            "<<<<<<< ours\nb: 2\n||||||| base\nb: 1\n=======\nb: 3\n>>>>>>> theirs"
        );
        assert_eq!(a.summary(1, "x"), "");
    }

    #[test]
    fn no_markers_and_unbalanced_markers() {
        let a = Analysis::of("a: 1\n");
        assert!(a.hunks().is_empty() && a.marker_error().is_none());
        assert!(!a.can_solve());
        let a = Analysis::of("a: 1\n<<<<<<< ours\nb: 2\n");
        assert_eq!(a.marker_error().map(|e| e.line), Some(2));
        assert!(a.paths().is_empty());
        assert_eq!(a.paths_ready(), Some(&[][..]));
    }

    #[test]
    fn paths_found_elsewhere_are_kept_when_they_fit() {
        let a = Analysis::of(TEXT);
        a.set_paths(vec!["x".into(), "y".into()]);
        assert_eq!(a.paths_ready(), None);
        a.set_paths(vec!["from.worker".into()]);
        assert_eq!(a.paths(), ["from.worker"]);
    }

    #[test]
    fn solving_needs_base_sections_and_says_why_it_fails() {
        let merge_style = "<<<<<<< a\nx: 1\n=======\nx: 2\n>>>>>>> b\n";
        assert!(!Analysis::of(merge_style).can_solve());
        let a = Analysis::of("<<<<<<< a\nx: 1\n||||||| b\nx: 0\n=======\ny: [\n>>>>>>> c\n");
        let e = a.solved("f.yaml").as_ref().unwrap_err();
        assert!(e.starts_with("f.yaml:7:1: "), "{e}");
        assert!(e.ends_with("(in the incoming version rebuilt from the conflicts)"));
    }

    #[test]
    fn model_lines_count_line_feeds() {
        let text = "a\r\nb\rc\nd";
        assert_eq!(model_line_start(text, 1), 0);
        assert_eq!(model_line_start(text, 2), 3);
        assert_eq!(model_line_start(text, 3), 7);
        assert_eq!(model_line_start(text, 4), text.len());
    }
}
