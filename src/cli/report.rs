//! What the subcommands say after a merge: a one-line summary (optionally
//! coloured) or the JSON report, on standard error or in a file.
//!
//! The result itself goes to standard output or a file; the report never
//! mixes with it, so `--report json` can be read from standard error (or
//! `--report-file`) while the merged text is piped elsewhere.

use std::io::IsTerminal;
use std::path::PathBuf;

use super::write_atomic;
use crate::MergeResult;
use crate::error::Result;
use crate::report::{self, Method, to_json};

/// A merge result as the command line writes it: bytes, since the line
/// merge of `merge-file` and `git-driver` takes text that is not UTF-8 too.
pub(crate) type Outcome = MergeResult<Vec<u8>>;

/// The report options shared by `merge`, `merge-file`, `git-driver` and `solve`.
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct ReportArgs {
    /// What to say after merging: a one-line summary (`text`) or one JSON
    /// object (`json`, described in the README). Written to standard error,
    /// or to `--report-file`.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text, value_name = "FORMAT")]
    report: ReportFormat,
    /// Write the report to this file (atomically) instead of standard error.
    #[arg(long, value_name = "PATH")]
    report_file: Option<PathBuf>,
    /// Colour the summary on standard error: `auto` (only when standard
    /// error is a terminal and NO_COLOR is unset), `always` or `never`.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    color: ColorWhen,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ReportFormat {
    Text,
    Json,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

impl ReportArgs {
    /// Writes the report of a merge. `quiet` silences the text summary and
    /// the notes on standard error; a JSON report or a report file was asked
    /// for explicitly and is always written. `subject` prefixes the summary
    /// (the path, for the git driver).
    pub(crate) fn emit<T>(
        &self,
        outcome: &MergeResult<T>,
        quiet: bool,
        subject: Option<&str>,
    ) -> Result<()> {
        if self.report == ReportFormat::Json {
            let json = to_json(outcome);
            return self.deliver(&json, &json);
        }
        let color = self.use_color();
        if !quiet {
            for note in &outcome.notes {
                eprintln!("{}", paint(color, YELLOW, "note:") + " " + note);
            }
        }
        if quiet && self.report_file.is_none() {
            return Ok(());
        }
        self.deliver(
            &summary(outcome, subject, false),
            &summary(outcome, subject, color),
        )
    }

    /// Writes the plain line to the report file, or the (maybe coloured)
    /// line to standard error.
    fn deliver(&self, plain: &str, on_terminal: &str) -> Result<()> {
        match &self.report_file {
            Some(path) => write_atomic(path, format!("{plain}\n").as_bytes()),
            None => {
                eprintln!("{on_terminal}");
                Ok(())
            }
        }
    }

    fn use_color(&self) -> bool {
        match self.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                std::io::stderr().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("{code}{text}{RESET}")
    } else {
        text.to_string()
    }
}

/// `merged: 3 changes from current, 12 from incoming, 1 conflict at a.b`
/// (structural), `merged line by line: 2 conflicts at lines 3, 10`, or
/// `not merged: kept current`; the verdict coloured when asked.
pub(crate) fn summary<T>(outcome: &MergeResult<T>, subject: Option<&str>, color: bool) -> String {
    let mut s = subject.map_or_else(String::new, |p| format!("{p}: "));
    let verdict = report::verdict(outcome);
    let verdict_color = if outcome.conflicts.is_empty() {
        GREEN
    } else {
        RED
    };
    match outcome.method {
        Method::KeptCurrent => s.push_str(&paint(color, RED, "not merged: kept current")),
        Method::Lines => {
            s.push_str("merged line by line: ");
            s.push_str(&paint(color, verdict_color, &verdict));
        }
        Method::Structural => {
            s.push_str(&format!("merged: {}, ", report::change_counts(outcome)));
            s.push_str(&paint(color, verdict_color, &verdict));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(method: Method, conflict_paths: &[&str]) -> Outcome {
        MergeResult {
            text: Vec::new(),
            conflicts: conflict_paths
                .iter()
                .enumerate()
                .map(|(k, p)| crate::Conflict {
                    path: p.to_string(),
                    start_line: 3 + 10 * k,
                    end_line: 9 + 10 * k,
                    current: String::new(),
                    base: String::new(),
                    incoming: String::new(),
                })
                .collect(),
            changes: vec![crate::Change {
                path: "a".into(),
                side: crate::Side::Current,
                kind: crate::ChangeKind::Changed,
            }],
            method,
            notes: Vec::new(),
        }
    }

    #[test]
    fn summaries_name_method_and_places() {
        let s = |o: &Outcome, subject| summary(o, subject, false);
        assert_eq!(
            s(&outcome(Method::Structural, &[]), None),
            "merged: 1 change from current, 0 from incoming, no conflicts"
        );
        assert_eq!(
            s(&outcome(Method::Structural, &["", "a.b"]), Some("f.yaml")),
            "f.yaml: merged: 1 change from current, 0 from incoming, 2 conflicts at (document), a.b"
        );
        assert_eq!(
            s(&outcome(Method::Lines, &["", ""]), None),
            "merged line by line: 2 conflicts at lines 3, 13"
        );
        assert_eq!(
            s(&outcome(Method::KeptCurrent, &[]), Some("x")),
            "x: not merged: kept current"
        );
    }

    #[test]
    fn colour_wraps_the_verdict_only() {
        let got = summary(&outcome(Method::Lines, &[]), None, true);
        assert_eq!(got, "merged line by line: \x1b[32mno conflicts\x1b[0m");
    }
}
