//! What the screen shows of one conflict, before any layout: its sections
//! marked against base, their titles, and the clean lines around it with
//! their line numbers.

use crate::conflict::{Hunk, MarkedHunk, MarkedLine};

use super::app::App;
use super::theme::Part;

/// One section of the conflict.
pub(crate) struct Pane {
    pub(crate) part: Part,
    /// `current (HEAD)`, `base`, `incoming (topic)`…
    pub(crate) title: String,
    pub(crate) lines: Vec<MarkedLine>,
}

/// One conflict as shown.
pub(crate) struct View {
    /// `conflict 2 of 5 · kubeadmconfig.apiServer.extraArgs`.
    pub(crate) heading: String,
    /// Current, base (when written) and incoming.
    pub(crate) panes: Vec<Pane>,
    /// Up to `context` lines before the conflict, with their 1-based line
    /// numbers in the text.
    pub(crate) above: Vec<(usize, String)>,
    /// The same after it.
    pub(crate) below: Vec<(usize, String)>,
}

impl View {
    /// The view of conflict `k` with `context` lines above and below.
    pub(crate) fn of(app: &App, k: usize, context: usize) -> Option<View> {
        let text = app.session().text();
        let hunk = text.hunks().nth(k)?;
        let bytes = text.text();
        let marked = MarkedHunk::of(bytes, hunk);
        let heading = format!(
            "conflict {} of {} · {}",
            k + 1,
            app.session().conflicts(),
            app.path(k)
        );
        Some(View {
            heading,
            panes: panes(hunk, marked),
            above: lines_before(bytes, hunk, context),
            below: lines_after(bytes, hunk, context),
        })
    }
}

fn panes(hunk: &Hunk, marked: MarkedHunk) -> Vec<Pane> {
    let title = |side: &str, label: &str| {
        if label.is_empty() || label == side {
            side.to_string()
        } else {
            format!("{side} ({label})")
        }
    };
    let mut out = vec![Pane {
        part: Part::Current,
        title: title("current", &hunk.labels[0]),
        lines: marked.current,
    }];
    if let Some(base) = marked.base {
        out.push(Pane {
            part: Part::Base,
            title: title("base", &hunk.labels[1]),
            lines: base,
        });
    }
    out.push(Pane {
        part: Part::Incoming,
        title: title("incoming", &hunk.labels[2]),
        lines: marked.incoming,
    });
    out
}

/// The last `n` lines before the conflict.
fn lines_before(text: &[u8], hunk: &Hunk, n: usize) -> Vec<(usize, String)> {
    let head = &text[..hunk.bytes.start];
    // Only the tail is split: the text may be megabytes long.
    let mut start = head.len();
    for _ in 0..n {
        if start == 0 {
            break;
        }
        // Every line before a conflict ends with a line break: skip the one
        // at `start - 1` and find the break that ends the line before.
        start = memchr::memrchr(b'\n', &head[..start - 1]).map_or(0, |at| at + 1);
    }
    let lines = split(&head[start..]);
    let first = hunk.start_line - lines.len();
    (first..).zip(lines).collect()
}

/// The first `n` lines after the conflict.
fn lines_after(text: &[u8], hunk: &Hunk, n: usize) -> Vec<(usize, String)> {
    let tail = &text[hunk.bytes.end..];
    let mut end = 0;
    for _ in 0..n {
        match memchr::memchr(b'\n', &tail[end..]) {
            Some(at) => end += at + 1,
            None => {
                end = tail.len();
                break;
            }
        }
    }
    (hunk.end_line + 1..).zip(split(&tail[..end])).collect()
}

/// Lines without their breaks, invalid UTF-8 replaced.
fn split(text: &[u8]) -> Vec<String> {
    text.split_inclusive(|&b| b == b'\n')
        .map(|l| {
            let l = l.strip_suffix(b"\n").unwrap_or(l);
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            String::from_utf8_lossy(l).into_owned()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::Session;

    const TEXT: &str = "a: 1\nb: 1\nc: 1\n<<<<<<< HEAD\nd: 2\n||||||| base\nd: 1\n=======\nd: 3\n>>>>>>> topic\ne: 1\nf: 1\n";

    #[test]
    fn context_lines_keep_their_numbers() {
        let session = Session::open(TEXT.as_bytes()).unwrap();
        session.paths();
        let app = App::new("f", session);
        let v = View::of(&app, 0, 2).unwrap();
        assert_eq!(v.above, [(2, "b: 1".into()), (3, "c: 1".into())]);
        assert_eq!(v.below, [(11, "e: 1".into()), (12, "f: 1".into())]);
        let v = View::of(&app, 0, 5).unwrap();
        assert_eq!(v.above.len(), 3);
        assert_eq!(v.above[0], (1, "a: 1".into()));
        assert_eq!(v.below.len(), 2);
        assert_eq!(v.heading, "conflict 1 of 1 · d");
        let titles: Vec<&str> = v.panes.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["current (HEAD)", "base", "incoming (topic)"]);
        assert!(View::of(&app, 1, 2).is_none());
    }

    #[test]
    fn a_conflict_at_the_very_start_or_end_has_no_context_there() {
        let text = "<<<<<<< a\nx\n=======\ny\n>>>>>>> b";
        let app = App::new("f", Session::open(text.as_bytes()).unwrap());
        let v = View::of(&app, 0, 3).unwrap();
        assert!(v.above.is_empty() && v.below.is_empty());
        assert_eq!(v.panes.len(), 2);
    }
}
