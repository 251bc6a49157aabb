//! yamerge: structural three-way merges of YAML that keep every comment,
//! blank line and quote of the inputs.
//!
//! One module per stage, each using only those before it (the order is
//! written in the README's "Layout" section and checked by
//! `tests/layout.rs`): [`syntax`] (bytes → lossless tree), `matching` (what
//! corresponds to what, and YAML paths), `diff` (what one side changed),
//! [`conflict`] (markers), `merge` (the decisions), `render` (bytes),
//! `shortcut` (large files), `pipeline` (the chain of them), [`report`],
//! `palette`, the front ends `resolve` (the terminal resolver) and `lsp`
//! (the language server), and the command line in [`cli`].
//!
//! ```
//! let opts = yamerge::MergeOptions::default();
//! let merged = yamerge::merge(
//!     yamerge::Input::new("base", b"a: 1\nb: 1\n"),
//!     yamerge::Input::new("current", b"a: 2\nb: 1\n"),
//!     yamerge::Input::new("incoming", b"a: 1\nb: 3\n"),
//!     &opts,
//! )
//! .unwrap();
//! assert_eq!(merged.text, "a: 2\nb: 3\n");
//! assert!(merged.conflicts.is_empty());
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cli;
pub mod conflict;
pub(crate) mod diff;
pub mod error;
pub(crate) mod lsp;
pub(crate) mod matching;
pub(crate) mod merge;
pub(crate) mod palette;
pub(crate) mod pipeline;
pub(crate) mod render;
pub mod report;
// Public only for the screen snapshots and the benches (`Headless`).
#[doc(hidden)]
pub mod resolve;
pub(crate) mod shortcut;
pub mod syntax;

pub use conflict::{Conflict, ConflictStyle};
pub use error::{Error, Result};
pub use matching::Side;
pub use merge::{Change, ChangeKind, MergeOptions};
pub use pipeline::{Input, MergeResult, Method, merge, merge_or_lines, routes, solve};
