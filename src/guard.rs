//! Checks of the inputs before a merge: text that must not be merged as if
//! it were the user's YAML.

use crate::Input;
use crate::error::{Error, Result};

/// Fails when `input` holds a conflict left by an earlier merge: a
/// `<<<<<<<` line, a later `=======` line and a later `>>>>>>>` line (markers
/// of one size from 7 up, as git writes them). Such a file is not
/// the YAML its author meant, even when it happens to parse (as one long
/// plain scalar, say); merging it again would bury the old conflict in new
/// text. Marker-like lines that do not form a conflict are left alone.
pub(crate) fn no_conflict_markers(input: Input) -> Result<()> {
    let Some((open, close)) = crate::conflict::find_conflict(input.bytes) else {
        return Ok(());
    };
    let offset = line_offset(input.bytes, open);
    Err(Error::syntax_at(
        input.name,
        input.bytes,
        offset,
        format!(
            "this file already holds git conflict markers (`<<<<<<<` here, \
             `>>>>>>>` at line {close}): finish that merge first; \
             `yamerge solve FILE` re-merges them structurally"
        ),
    ))
}

/// The byte offset where 1-based line `line` starts.
fn line_offset(bytes: &[u8], line: usize) -> usize {
    match line.checked_sub(2) {
        Some(breaks_before) => memchr::memchr_iter(b'\n', bytes)
            .nth(breaks_before)
            .map_or(0, |p| p + 1),
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<()> {
        no_conflict_markers(Input::new("f.yaml", text.as_bytes()))
    }

    #[test]
    fn a_whole_conflict_is_refused_with_its_place() {
        let text = "a: 1\n<<<<<<< ours\nb: 2\n||||||| base\nb: 1\n=======\nb: 3\n>>>>>>> theirs\n";
        let e = check(text).unwrap_err().to_string();
        assert!(
            e.starts_with("f.yaml:2:1: this file already holds git conflict markers"),
            "{e}"
        );
        assert!(e.contains("at line 8"), "{e}");
        assert!(e.contains("yamerge solve"), "{e}");
        // Other marker sizes and CRLF too.
        let text = "<<<<<<<<<\r\nx\r\n=========\r\ny\r\n>>>>>>>>> b\r\n";
        assert!(check(text).is_err());
    }

    #[test]
    fn marker_like_lines_that_are_no_conflict_pass() {
        for text in [
            "a: |\n  <<<<<<< x\n  =======\n  >>>>>>> y\n",
            "# =======\na: 1\n",
            "<<<<<<< x\nonly an opening\n",
            "=======\n>>>>>>> y\n",
            "<<<<<< six\n======\n>>>>>> six\n",
            "<<<<<<<x\n=======\n>>>>>>>x\n",
        ] {
            assert!(check(text).is_ok(), "{text}");
        }
    }
}
