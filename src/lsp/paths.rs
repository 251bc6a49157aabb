//! The YAML paths of a document's conflicts, found off the main loop.
//!
//! Naming a conflict's entry means parsing the whole document as YAML:
//! about a fifth of a second for 5 MB. Done on the main loop after every
//! keystroke, that would hold up every request behind it; here one worker
//! thread parses, only the latest version of each document it was sent,
//! and the main loop publishes when the paths come back.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::thread;

use crossbeam_channel::{Receiver, Sender, unbounded};
use lsp_types::Uri;

use crate::conflict::ConflictedText;

/// A document's text to find paths in.
pub(crate) struct Job {
    pub(crate) uri: Uri,
    pub(crate) version: i32,
    pub(crate) text: String,
}

/// The paths of one version, in conflict order, or what went wrong.
pub(crate) struct Done {
    pub(crate) uri: Uri,
    pub(crate) version: i32,
    pub(crate) paths: Result<Vec<String>, String>,
}

/// The worker: send it jobs, receive what is done.
pub(crate) struct PathWorker {
    jobs: Sender<Job>,
    pub(crate) done: Receiver<Done>,
}

impl PathWorker {
    /// Starts the thread; it ends when the worker is dropped.
    pub(crate) fn start() -> std::io::Result<PathWorker> {
        let (jobs, job_rx) = unbounded();
        let (done_tx, done) = unbounded();
        thread::Builder::new()
            .name("yamerge-lsp-paths".into())
            .spawn(move || work(&job_rx, &done_tx))?;
        Ok(PathWorker { jobs, done })
    }

    pub(crate) fn send(&self, job: Job) {
        // Fails only if the thread is gone; the document then keeps its
        // provisional diagnostics, and a request computes paths itself.
        let _ = self.jobs.send(job);
    }
}

fn work(jobs: &Receiver<Job>, done: &Sender<Done>) {
    while let Ok(first) = jobs.recv() {
        // Versions superseded while the last job ran are skipped.
        // Keyed by the URI's text: `Uri` caches parts of itself inside.
        let mut latest: HashMap<String, Job> = HashMap::new();
        for job in std::iter::once(first).chain(jobs.try_iter()) {
            latest.insert(job.uri.as_str().to_string(), job);
        }
        for job in latest.into_values() {
            let paths = catch_unwind(AssertUnwindSafe(|| paths_of(&job.text)))
                .unwrap_or_else(|_| Err("internal error while naming the conflicts".into()));
            let result = Done {
                uri: job.uri,
                version: job.version,
                paths,
            };
            if done.send(result).is_err() {
                return;
            }
        }
    }
}

fn paths_of(text: &str) -> Result<Vec<String>, String> {
    ConflictedText::read(text.as_bytes())
        .map(|c| c.paths())
        .map_err(|e| e.reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_conflicts_of_the_latest_version() {
        let worker = PathWorker::start().unwrap();
        let uri: Uri = "file:///v.yaml".parse().unwrap();
        let text = "a:\n<<<<<<< x\n  b: 1\n=======\n  b: 2\n>>>>>>> y\n";
        worker.send(Job {
            uri: uri.clone(),
            version: 4,
            text: text.into(),
        });
        let done = worker.done.recv().unwrap();
        assert_eq!((done.uri, done.version), (uri, 4));
        assert_eq!(done.paths, Ok(vec!["a.b".to_string()]));
    }
}
