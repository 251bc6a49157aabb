//! `yamerge resolve`: a full-screen terminal mergetool that shows one
//! conflict at a time with its YAML path, and resolves it by a key press.
//!
//! The conflict model (reading, paths, choices, undo, change marks) is the
//! library's [`crate::conflict`]; this module is only the interface to it:
//! `app` (state and keys), `remerge` (the structural re-merge after a
//! choice, through [`crate::solve`]) and `settle` (that and the paths, off
//! the key's path), `view` and `draw` (what is shown and
//! where), `theme` and `plain` (colours, or none), `terminal` (raw mode,
//! the key loop) and `editor` (`e`). `take` resolves by rules instead of
//! keys, for scripts; [`Headless`] drives it all without a terminal, for
//! tests and benches. It uses the library's stages, never the command line.

mod app;
mod draw;
mod editor;
mod headless;
mod plain;
mod remerge;
mod settle;
mod take;
mod terminal;
mod theme;
mod view;

pub use headless::{Headless, Pressed};
pub(crate) use take::Take;

use crate::conflict::{MarkerError, Session};

/// How the resolver ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Finish {
    /// `w`: write the text.
    Write,
    /// `q`: write nothing.
    Quit,
}

/// What a resolution produced: the text, with markers only for the
/// conflicts left, and how many those are.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub(crate) text: Vec<u8>,
    pub(crate) conflicts: usize,
    /// How the resolver ended (`Write` for rules).
    pub(crate) finish: Finish,
}

/// Reads a conflicted text for resolving.
pub(crate) fn open(text: &[u8]) -> Result<Session, MarkerError> {
    Session::open(text)
}

/// Resolves by rules, without a screen.
pub(crate) fn by_rules(mut session: Session, rules: &[Take]) -> Resolved {
    take::apply(&mut session, rules);
    Resolved {
        text: session.text().text().to_vec(),
        conflicts: session.conflicts(),
        finish: Finish::Write,
    }
}

/// Runs the full-screen resolver on the terminal (standard input and
/// output must be one) until the user writes or quits.
pub(crate) fn interactive(name: &str, session: Session, plain: bool) -> std::io::Result<Resolved> {
    let mut app = app::App::new(name, session);
    let finish = terminal::run(&mut app, theme::Theme::new(plain))?;
    Ok(Resolved {
        text: app.session().text().text().to_vec(),
        conflicts: app.session().conflicts(),
        finish,
    })
}

/// Whether the environment asks for no colour (`NO_COLOR`, `TERM=dumb`).
pub(crate) fn plain_from_env() -> bool {
    theme::Theme::plain_from(|name| std::env::var(name).ok())
}
