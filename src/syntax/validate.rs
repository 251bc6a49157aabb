//! A cheaper check than building a tree: does this text parse as YAML?
//! Used on every clean merge result before it is written.

use saphyr_parser::{Event, Parser};

use crate::error::{Error, Result};

/// Runs the event parser over `text`; the first error, with its position.
pub fn validate(name: &str, text: &str) -> Result<()> {
    let mut parser = Parser::new_from_str(text);
    loop {
        match parser.next_event() {
            Some(Ok((Event::StreamEnd, _))) | None => return Ok(()),
            Some(Ok(_)) => {}
            Some(Err(e)) => {
                let at = text
                    .char_indices()
                    .nth(e.marker().index())
                    .map_or(text.len(), |(i, _)| i);
                return Err(Error::syntax_at(
                    name,
                    text.as_bytes(),
                    at,
                    super::hints::explained(e.info()),
                ));
            }
        }
    }
}
