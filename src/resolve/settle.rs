//! The work after a key that can take longer than a frame on a large file:
//! the structural re-merge after a choice and the YAML paths of the
//! conflicts left (each a parse of the whole text). It runs on a copy of
//! the text, so the terminal loop can do it on a worker thread and answer
//! every key at once; a result for a text that has changed since is dropped
//! by [`super::app::App::settled`].

use crate::conflict::Session;

use super::remerge;

/// Work to do for one state of the text.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    /// Which state of the text it is for.
    pub(crate) generation: u64,
    pub(crate) text: Vec<u8>,
    /// Whether a choice led here (so a re-merge may settle more), or only
    /// the paths are missing (at the start).
    pub(crate) remerge: bool,
}

/// What the work found.
#[derive(Debug, Clone)]
pub(crate) struct Settled {
    pub(crate) generation: u64,
    /// The re-merged text, when it has fewer conflicts.
    pub(crate) text: Option<Vec<u8>>,
    /// How many conflicts the re-merge settled.
    pub(crate) settled: usize,
    /// The paths of the conflicts of the resulting text.
    pub(crate) paths: Vec<String>,
}

/// Does the work (on any thread: it owns everything it touches).
pub(crate) fn settle(job: Job) -> Settled {
    let empty = |generation| Settled {
        generation,
        text: None,
        settled: 0,
        paths: Vec::new(),
    };
    // The text was read once already; it reads again the same way.
    let Ok(mut session) = Session::open(&job.text) else {
        return empty(job.generation);
    };
    let settled = if job.remerge {
        remerge::after_choice(&mut session)
    } else {
        0
    };
    Settled {
        generation: job.generation,
        text: (settled > 0).then(|| session.text().text().to_vec()),
        settled,
        paths: session.paths().to_vec(),
    }
}
