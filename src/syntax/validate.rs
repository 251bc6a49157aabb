//! A cheaper check than building a tree: does this text parse as YAML?
//! Used on every clean merge result before it is written. It reads the two
//! shapes outside YAML 1.2 that the tree builder reads (see `lenient`), so
//! that both agree on what parses.

use saphyr_parser::{Event, Parser, ScanError};

use super::lenient::may_lift;
use crate::error::{Error, Result};

/// Runs the event parser over `text`; the first error, with its position.
pub fn validate(name: &str, text: &str) -> Result<()> {
    let Some(err) = first_error(text) else {
        return Ok(());
    };
    if may_lift(err.info()) {
        // The lenient reading is decided on the tree (see `Shadow::holds`):
        // build it, so that both always agree. Rare, so the cost is small.
        return super::parse(name, text.as_bytes()).map(|_| ());
    }
    let at = byte_offset(text, err.marker().index());
    let reason = super::hints::explained(err.info());
    Err(Error::syntax_at(name, text.as_bytes(), at, reason))
}

/// The event parser's first error in `text`, if any.
pub(crate) fn first_error(text: &str) -> Option<ScanError> {
    let mut parser = Parser::new_from_str(text);
    loop {
        match parser.next_event() {
            Some(Ok((Event::StreamEnd, _))) | None => return None,
            Some(Ok(_)) => {}
            Some(Err(e)) => return Some(e),
        }
    }
}

/// The byte offset of character `index` of `text` (the parser counts
/// characters).
pub(crate) fn byte_offset(text: &str, index: usize) -> usize {
    if text.is_ascii() {
        return index.min(text.len());
    }
    text.char_indices()
        .nth(index)
        .map_or(text.len(), |(i, _)| i)
}
