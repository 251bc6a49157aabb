//! `yamerge lsp`: a language server for YAML documents that hold git
//! conflict markers, over standard input and output.
//!
//! It shows each conflict as a diagnostic (its YAML path and what each side
//! did), offers code actions and code lenses that resolve one conflict by a
//! choice or re-merge the whole document structurally, and shows base's
//! version on hover. Everything it knows about conflicts comes from the
//! library's conflict model ([`crate::conflict`]) and [`crate::solve`];
//! this module only speaks the protocol: positions, documents, messages.
//!
//! One file per concern: [`dispatch`] (the main loop), [`documents`] (the
//! open texts and their incremental changes), [`position`] (UTF-16
//! positions), [`analysis`] (the conflicts of one version), [`paths`] (their
//! YAML paths, found on a worker thread), [`diagnostics`], [`actions`] and
//! [`edits`], [`hover`], [`lens`], and [`capabilities`].

mod actions;
mod analysis;
mod capabilities;
mod diagnostics;
mod dispatch;
mod documents;
mod edits;
mod hover;
mod lens;
mod paths;
mod position;

use lsp_server::{Connection, Response};

/// Serves the protocol on standard input and output until the client says
/// `exit` or goes away; returns the process's exit status (0 after
/// `shutdown`, 1 without).
pub(crate) fn run_stdio() -> i32 {
    let (conn, io_threads) = Connection::stdio();
    let status = serve(&conn);
    // The writer thread ends once every sender is gone; joining it makes
    // sure the last messages are written before the process exits.
    drop(conn);
    if let Err(e) = io_threads.join() {
        eprintln!("yamerge lsp: {e}");
        return dispatch::EXIT_WITHOUT_SHUTDOWN;
    }
    status
}

/// The handshake, then the main loop.
fn serve(conn: &Connection) -> i32 {
    let (id, params) = match conn.initialize_start() {
        Ok(started) => started,
        Err(e) => {
            eprintln!("yamerge lsp: {e}");
            return dispatch::EXIT_WITHOUT_SHUTDOWN;
        }
    };
    let support = capabilities::ClientSupport::from_initialize(&params);
    let result = capabilities::initialize_result();
    // `initialized` is not waited for: it carries nothing, and a client
    // that sends something else first is served all the same.
    if conn
        .sender
        .send(Response::new_ok(id, result).into())
        .is_err()
    {
        return dispatch::EXIT_WITHOUT_SHUTDOWN;
    }
    dispatch::main_loop(conn, support)
}
