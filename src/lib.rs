//! yamerge: structural three-way merges of YAML that keep every comment,
//! blank line and quote of the inputs.
//!
//! The pipeline has one module per stage: [`syntax`] (bytes → lossless tree),
//! then diff, merge and render, with the command line in [`cli`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cli;
pub mod error;
pub mod syntax;

pub use error::{Error, Result};
