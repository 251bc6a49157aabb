//! The one error type of the library. Every message names the file and, where
//! the problem is inside the text, the 1-based line and column an editor shows.

use std::fmt;
use std::path::PathBuf;

/// Where in which input a problem was found (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The name the user gave for the input (a path, or `-` for standard input).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// Everything that can go wrong in yamerge.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is not valid YAML (or not text yamerge can read).
    #[error("{at}: {reason}")]
    Syntax {
        /// Where the problem is.
        at: Location,
        /// A short reason.
        reason: String,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// An input is binary (a NUL byte where git looks for one): there is
    /// nothing to merge line by line or structurally.
    #[error("{file}: cannot merge a binary file")]
    Binary {
        /// The name the user gave for the input.
        file: String,
    },
    /// An input is 2 GiB or larger: yamerge counts lines and bytes in 32
    /// bits, which keeps large merges small in memory.
    #[error("{file}: too large to merge (2 GiB or more)")]
    TooLarge {
        /// The name the user gave for the input.
        file: String,
    },
    /// yamerge could not do what it meant to (a bug worth reporting);
    /// nothing was written.
    #[error("{0}; please report this")]
    Internal(String),
    /// The command line asked for something impossible.
    #[error("{0}")]
    Usage(String),
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Builds a syntax error at a byte offset of `text`.
    pub(crate) fn syntax_at(
        file: &str,
        text: &[u8],
        offset: usize,
        reason: impl Into<String>,
    ) -> Self {
        Error::Syntax {
            at: location_of(file, text, offset),
            reason: reason.into(),
        }
    }
}

/// Converts a byte offset into a 1-based line and character column.
pub(crate) fn location_of(file: &str, text: &[u8], offset: usize) -> Location {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    // A byte-order mark is not a column an editor shows.
    let line_text = &before[line_start..];
    let line_text = line_text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line_text);
    let col = String::from_utf8_lossy(line_text).chars().count() + 1;
    Location {
        file: file.to_string(),
        line,
        col,
    }
}

#[cfg(test)]
mod tests {
    use super::location_of;

    #[test]
    fn columns_count_characters_not_bytes_nor_the_bom() {
        let text = "\u{feff}é: [\nb".as_bytes();
        let at = text.len() - 1;
        assert_eq!(
            (
                location_of("f", text, at).line,
                location_of("f", text, at).col
            ),
            (2, 1)
        );
        let bracket = text.iter().position(|&b| b == b'[').unwrap();
        assert_eq!(location_of("f", text, bracket).col, 4);
    }
}
