//! `yamerge lsp`: runs the language server for conflicted YAML on standard
//! input and output (see the `lsp` module and the README).

use crate::error::Result;

#[derive(clap::Args, Debug)]
pub(crate) struct LspArgs {
    /// Talk over standard input and output (the only transport; accepted
    /// because some clients pass it).
    #[arg(long)]
    stdio: bool,
}

pub(crate) fn run(_args: LspArgs) -> Result<i32> {
    Ok(crate::lsp::run_stdio())
}
