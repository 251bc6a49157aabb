//! The open documents, as the client last sent them: full text on open,
//! then incremental changes (each a range replaced, in the order sent),
//! with the version each change brings, the analysis of the current text
//! (made when first asked for and dropped at the next change), and the
//! paths its diagnostics were last published with.

use std::cell::OnceCell;
use std::collections::{BTreeSet, HashMap};

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use super::analysis::Analysis;
use super::position::LineIndex;

/// One open document.
pub(crate) struct Document {
    /// The client's version of the text.
    pub(crate) version: i32,
    text: String,
    index: LineIndex,
    analysis: OnceCell<Analysis>,
    /// The version and the conflict paths of the diagnostics last
    /// published, kept across changes: while a new version's paths are
    /// being found, the last ones name its conflicts if their number is
    /// the same.
    pub(crate) published: Option<(i32, Vec<String>)>,
}

impl Document {
    pub(crate) fn new(text: String, version: i32) -> Document {
        Document {
            version,
            index: LineIndex::new(&text),
            text,
            analysis: OnceCell::new(),
            published: None,
        }
    }

    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    pub(crate) fn index(&self) -> &LineIndex {
        &self.index
    }

    /// The conflicts of the current text.
    pub(crate) fn analysis(&self) -> &Analysis {
        self.analysis.get_or_init(|| Analysis::of(&self.text))
    }

    /// The conflicts' paths to show now: this version's if known, else the
    /// last published ones while they still fit (as the diagnostics show
    /// them), else found here.
    pub(crate) fn paths_to_show(&self) -> &[String] {
        let analysis = self.analysis();
        if let Some(paths) = analysis.paths_ready() {
            return paths;
        }
        match &self.published {
            Some((_, last)) if last.len() == analysis.hunks().len() => last,
            _ => analysis.paths(),
        }
    }

    /// Applies the changes of one `didChange`, in order: a change with a
    /// range replaces it (positions clamped to the text, as the protocol
    /// asks), one without replaces the whole text.
    pub(crate) fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, version: i32) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = self.index.offset(&self.text, range.start);
                    let end = self.index.offset(&self.text, range.end).max(start);
                    self.text.replace_range(start..end, &change.text);
                }
                None => self.text = change.text,
            }
            // Rebuilt rather than patched: one pass of memchr over the text
            // costs far less than the analysis that follows any change.
            self.index = LineIndex::new(&self.text);
        }
        self.version = version;
        self.analysis = OnceCell::new();
    }
}

/// The open documents, and which of them changed since their diagnostics
/// were last published.
#[derive(Default)]
pub(crate) struct Documents {
    open: HashMap<Uri, Document>,
    /// Kept in a set so that a burst of changes to one document is
    /// published once; ordered so that publishing order is stable.
    dirty: BTreeSet<Uri>,
}

impl Documents {
    pub(crate) fn open(&mut self, uri: Uri, text: String, version: i32) {
        self.open.insert(uri.clone(), Document::new(text, version));
        self.dirty.insert(uri);
    }

    /// Applies changes to an open document; `false` when it is not open.
    pub(crate) fn change(
        &mut self,
        uri: &Uri,
        changes: Vec<TextDocumentContentChangeEvent>,
        version: i32,
    ) -> bool {
        let Some(doc) = self.open.get_mut(uri) else {
            return false;
        };
        doc.apply(changes, version);
        self.dirty.insert(uri.clone());
        true
    }

    pub(crate) fn close(&mut self, uri: &Uri) {
        self.open.remove(uri);
        self.dirty.remove(uri);
    }

    pub(crate) fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri)
    }

    pub(crate) fn get_mut(&mut self, uri: &Uri) -> Option<&mut Document> {
        self.open.get_mut(uri)
    }

    /// The documents changed since the last call, forgetting them.
    pub(crate) fn take_dirty(&mut self) -> Vec<Uri> {
        std::mem::take(&mut self.dirty).into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    fn edit(range: Option<((u32, u32), (u32, u32))>, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|((l1, c1), (l2, c2))| {
                Range::new(Position::new(l1, c1), Position::new(l2, c2))
            }),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn incremental_changes_apply_in_order_in_utf16() {
        let mut doc = Document::new("a: é😀\r\nb: 1\r\n".into(), 1);
        doc.apply(
            vec![
                // After the emoji (columns 3 + 1 + 2).
                edit(Some(((0, 6), (0, 6))), "!"),
                // Positions of the text as changed by the first edit.
                edit(Some(((1, 3), (1, 4))), "2"),
                edit(Some(((2, 0), (2, 0))), "c: 3\r\n"),
            ],
            2,
        );
        assert_eq!(doc.text(), "a: é😀!\r\nb: 2\r\nc: 3\r\n");
        assert_eq!(doc.version, 2);
        assert_eq!(doc.index().line_count(), 4);
        doc.apply(vec![edit(None, "whole\n")], 3);
        assert_eq!(doc.text(), "whole\n");
    }

    #[test]
    fn out_of_range_changes_clamp_instead_of_failing() {
        let mut doc = Document::new("ab\n".into(), 1);
        doc.apply(vec![edit(Some(((5, 0), (9, 9))), "z")], 2);
        assert_eq!(doc.text(), "ab\nz");
        // A range given backwards replaces nothing but still inserts.
        doc.apply(vec![edit(Some(((0, 2), (0, 1))), "y")], 3);
        assert_eq!(doc.text(), "aby\nz");
    }

    #[test]
    fn paths_shown_are_this_versions_or_the_last_published_that_fit() {
        let text = "a:\n<<<<<<< x\n  b: 1\n=======\n  b: 2\n>>>>>>> y\n";
        let mut doc = Document::new(text.into(), 2);
        doc.published = Some((1, vec!["old.b".into()]));
        assert_eq!(doc.paths_to_show(), ["old.b"]);
        doc.analysis().set_paths(vec!["a.b".into()]);
        assert_eq!(doc.paths_to_show(), ["a.b"]);
        // Last ones that do not fit: found here.
        let mut doc = Document::new(text.into(), 2);
        doc.published = Some((1, Vec::new()));
        assert_eq!(doc.paths_to_show(), ["a.b"]);
    }

    #[test]
    fn changes_mark_documents_dirty_once() {
        let uri: Uri = "file:///x.yaml".parse().unwrap();
        let mut docs = Documents::default();
        docs.open(uri.clone(), "a: 1\n".into(), 1);
        assert!(docs.change(&uri, vec![edit(None, "a: 2\n")], 2));
        assert!(docs.change(&uri, vec![edit(None, "a: 3\n")], 3));
        assert_eq!(docs.take_dirty(), std::slice::from_ref(&uri));
        assert!(docs.take_dirty().is_empty());
        docs.close(&uri);
        assert!(!docs.change(&uri, vec![edit(None, "")], 4));
    }
}
