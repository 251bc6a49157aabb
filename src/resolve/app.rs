//! The resolver's state and what each key does to it, with no terminal in
//! sight: which conflict is shown, the session of choices (with undo), the
//! question asked before quitting, and the status line. The terminal loop
//! feeds keys in and carries out the [`Action`]s that come back, and runs
//! the slower work after a choice (see `settle`) that [`App::job`] hands
//! out, giving its result back through [`App::settled`].

use crate::conflict::{Choice, ChoiceError, Session};

use super::settle::{Job, Settled};

/// A key, as the resolver tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    /// A printable character.
    Char(char),
    Left,
    Right,
    Up,
    Down,
    /// Ctrl-C: quit, asking first like `q`.
    Interrupt,
    /// Anything else (function keys, Enter, Escape…).
    Other,
}

/// What the terminal loop must do after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// Draw again and read the next key.
    Continue,
    /// Open conflict `k`'s text in the editor, then call [`App::edited`].
    Edit(usize),
    /// Write the text and quit.
    Write,
    /// Quit without writing.
    Quit,
}

/// Whether a question waits for its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Browse,
    ConfirmQuit,
}

/// The resolver's state.
pub(crate) struct App {
    /// The file's name, for the header.
    pub(crate) name: String,
    session: Session,
    /// The conflict shown (an index into the conflicts left).
    at: usize,
    /// `at` before each standing choice, so that undo shows the conflict
    /// the choice was made on.
    at_before: Vec<usize>,
    mode: Mode,
    message: String,
    /// Counts the states of the text, so that work done for an older one
    /// is recognised and dropped.
    generation: u64,
    /// The generation whose work was last handed out.
    handed: Option<u64>,
    /// Whether the text as it stands came from a choice not re-merged yet.
    remerge_due: bool,
    /// Where the last choice was made (a line of the text), to show the
    /// conflict after it again once a re-merge has changed the text.
    last_line: usize,
    /// The paths before the last choice, less the resolved conflict's: shown
    /// until the text's own are worked out.
    provisional: Vec<String>,
}

impl App {
    /// A resolver on a session, showing its first conflict.
    pub(crate) fn new(name: &str, session: Session) -> App {
        App {
            name: name.to_string(),
            session,
            at: 0,
            at_before: Vec::new(),
            mode: Mode::Browse,
            message: String::new(),
            generation: 0,
            handed: None,
            remerge_due: false,
            last_line: 0,
            provisional: Vec::new(),
        }
    }

    /// The work the text as it stands still needs (a re-merge after a
    /// choice, its conflicts' paths), once per state of the text.
    pub(crate) fn job(&mut self) -> Option<Job> {
        let done = !self.remerge_due && self.session.known_paths().is_some();
        if done || self.handed == Some(self.generation) {
            return None;
        }
        self.handed = Some(self.generation);
        Some(Job {
            generation: self.generation,
            text: self.session.text().text().to_vec(),
            remerge: self.remerge_due,
        })
    }

    /// Takes the result of [`Self::job`]'s work, unless the text has changed
    /// since.
    pub(crate) fn settled(&mut self, s: Settled) {
        if s.generation != self.generation {
            return;
        }
        self.remerge_due = false;
        if let Some(text) = s.text
            && self.session.improve(&text).is_ok()
        {
            self.at = self.first_from(self.last_line);
            let settled = plural(s.settled, "conflict");
            self.message += &format!("; re-merging also settled {settled}");
            if self.session.conflicts() == 0 {
                self.message += "; no conflicts left";
            }
        }
        self.session.set_paths(s.paths);
    }

    /// Whether the work for the text as it stands is still to come.
    pub(crate) fn unsettled(&self) -> bool {
        self.remerge_due || self.session.known_paths().is_none()
    }

    pub(crate) fn session(&self) -> &Session {
        &self.session
    }

    /// The conflict shown, or `None` once all are resolved.
    pub(crate) fn shown(&self) -> Option<usize> {
        (self.at < self.session.conflicts()).then_some(self.at)
    }

    /// The status line: what the last key did, or the question asked.
    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn asking_to_quit(&self) -> bool {
        self.mode == Mode::ConfirmQuit
    }

    /// Handles one key.
    pub(crate) fn key(&mut self, key: Key) -> Action {
        if self.mode == Mode::ConfirmQuit {
            return self.answer(key);
        }
        let choice = match key {
            Key::Char('c') => Choice::Current,
            Key::Char('i') => Choice::Incoming,
            Key::Char('b') => Choice::CurrentThenIncoming,
            Key::Char('B') => Choice::IncomingThenCurrent,
            Key::Char('o') => Choice::Base,
            _ => return self.command(key),
        };
        self.choose(choice);
        Action::Continue
    }

    /// The keys that are not a choice.
    fn command(&mut self, key: Key) -> Action {
        match key {
            Key::Char('n') | Key::Right | Key::Down => self.step(true),
            Key::Char('p') | Key::Left | Key::Up => self.step(false),
            Key::Char('u') => self.undo(),
            Key::Char('e') => {
                if let Some(k) = self.shown() {
                    self.message.clear();
                    return Action::Edit(k);
                }
                self.message = "no conflict left to edit".into();
            }
            Key::Char('w') => return Action::Write,
            Key::Char('q') | Key::Interrupt => {
                if self.session.choices() == 0 {
                    return Action::Quit;
                }
                self.mode = Mode::ConfirmQuit;
                self.message = format!(
                    "Quit without writing? {} will be lost (y/n)",
                    plural(self.session.choices(), "choice")
                );
            }
            Key::Char(c) => self.message = format!("`{c}` does nothing: the keys are below"),
            _ => self.message = "that key does nothing: the keys are below".into(),
        }
        Action::Continue
    }

    /// The answer to "quit without writing?".
    fn answer(&mut self, key: Key) -> Action {
        self.mode = Mode::Browse;
        if matches!(key, Key::Char('y' | 'Y')) {
            return Action::Quit;
        }
        self.message = "not quit: your choices stand".into();
        Action::Continue
    }

    /// Resolves the conflict shown and shows the next conflict left after
    /// it; the re-merge this may allow comes with [`Self::settled`].
    pub(crate) fn choose(&mut self, choice: Choice) {
        let Some(k) = self.shown() else {
            self.message = "all conflicts are resolved: w writes, u undoes".into();
            return;
        };
        let line = self.start_line(k);
        let path = self.path(k);
        let mut provisional = self.paths_shown();
        if let Err(e) = self.session.choose(k, &choice) {
            self.message = refusal(&e);
            return;
        }
        if provisional.len() > k {
            provisional.remove(k);
        }
        self.provisional = provisional;
        self.changed();
        self.remerge_due = true;
        self.at_before.push(k);
        self.last_line = line;
        self.at = self.first_from(line);
        self.message = format!("{} at {path}", took(&choice));
        if self.session.conflicts() == 0 {
            self.message += "; no conflicts left";
        }
    }

    /// A new state of the text: older work no longer applies.
    fn changed(&mut self) {
        self.generation += 1;
        self.remerge_due = false;
    }

    /// Takes what the editor saved for conflict `k` (or says why nothing
    /// changed). Text that still holds markers stays a conflict.
    pub(crate) fn edited(&mut self, k: usize, saved: Result<String, String>) {
        match saved {
            Err(why) => self.message = why,
            Ok(text) if Some(text.as_bytes()) == self.hunk_text(k) => {
                self.message = "the editor saved the conflict unchanged".into();
            }
            Ok(text) => {
                self.at = k;
                self.choose(Choice::Edited(text));
            }
        }
    }

    /// The text of conflict `k`, markers included, as handed to an editor.
    pub(crate) fn hunk_text(&self, k: usize) -> Option<&[u8]> {
        let text = self.session.text();
        let hunk = text.hunks().nth(k)?;
        Some(&text.text()[hunk.bytes.clone()])
    }

    /// The YAML path of conflict `k`, written for a person (`…` while it
    /// is being worked out).
    pub(crate) fn path(&self, k: usize) -> String {
        match self.paths_shown().get(k).map(String::as_str) {
            None => "…".into(),
            Some("") => "(no YAML path)".into(),
            Some(p) => p.to_string(),
        }
    }

    /// The paths known for the text, or the provisional ones while they fit.
    fn paths_shown(&self) -> Vec<String> {
        match self.session.known_paths() {
            Some(paths) => paths.to_vec(),
            None if self.provisional.len() == self.session.conflicts() => self.provisional.clone(),
            None => Vec::new(),
        }
    }

    fn start_line(&self, k: usize) -> usize {
        self.session
            .text()
            .hunks()
            .nth(k)
            .map_or(usize::MAX, |h| h.start_line)
    }

    /// The first conflict that starts at or after `line`, or the first of
    /// all when none does (the resolver wraps around).
    fn first_from(&self, line: usize) -> usize {
        self.session
            .text()
            .hunks()
            .position(|h| h.start_line >= line)
            .unwrap_or(0)
    }

    /// Shows the next (or previous) conflict, wrapping around.
    fn step(&mut self, forward: bool) {
        let n = self.session.conflicts();
        if n == 0 {
            self.message = "no conflicts left".into();
            return;
        }
        self.at = if forward {
            (self.at + 1) % n
        } else {
            (self.at.min(n - 1) + n - 1) % n
        };
        self.message.clear();
    }

    fn undo(&mut self) {
        if !self.session.undo() {
            self.message = "nothing to undo".into();
            return;
        }
        self.changed();
        self.at = self.at_before.pop().unwrap_or(0);
        self.message = format!("undone: conflict {} is back", self.at + 1);
    }
}

/// What a choice did, for the status line.
fn took(choice: &Choice) -> &'static str {
    match choice {
        Choice::Current => "took current",
        Choice::Incoming => "took incoming",
        Choice::Base => "took base",
        Choice::CurrentThenIncoming => "took both (current first)",
        Choice::IncomingThenCurrent => "took both (incoming first)",
        Choice::Edited(_) => "took your edit",
    }
}

fn refusal(e: &ChoiceError) -> String {
    match e {
        ChoiceError::Markers(_) => format!("edit not taken: {e}; press e to fix it"),
        _ => format!("not possible: {e}"),
    }
}

pub(crate) fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two conflicts in one mapping, the second with an added key.
    const TEXT: &str = "a: 1\n<<<<<<< current\nb: 2\n||||||| base\nb: 1\n=======\nb: 3\n>>>>>>> incoming\n\
x: 0\n<<<<<<< current\nd: 2\n||||||| base\nd: 1\n=======\nd: 3\ne: 3\n>>>>>>> incoming\n";

    /// Does the work a key left, as the terminal loop does between keys.
    fn settle(app: &mut App) {
        while let Some(job) = app.job() {
            app.settled(super::super::settle::settle(job));
        }
    }

    fn app(text: &str) -> App {
        let mut a = App::new("f.yaml", Session::open(text.as_bytes()).unwrap());
        settle(&mut a);
        a
    }

    fn text(app: &App) -> String {
        String::from_utf8(app.session().text().text().to_vec()).unwrap()
    }

    fn press(app: &mut App, keys: &str) -> Action {
        let mut last = Action::Continue;
        for c in keys.chars() {
            last = app.key(Key::Char(c));
            settle(app);
        }
        last
    }

    #[test]
    fn each_choice_key_takes_its_lines_and_shows_the_next_conflict() {
        let cases = [
            ('c', "b: 2\n"),
            ('i', "b: 3\n"),
            ('o', "b: 1\n"),
            ('b', "b: 2\nb: 3\n"),
            ('B', "b: 3\nb: 2\n"),
        ];
        for (key, lines) in cases {
            let mut a = app(TEXT);
            assert_eq!(press(&mut a, &key.to_string()), Action::Continue);
            assert!(
                text(&a).starts_with(&format!("a: 1\n{lines}x: 0\n<<<<<<<")),
                "{key}"
            );
            assert_eq!((a.shown(), a.path(0).as_str()), (Some(0), "d"), "{key}");
            assert!(a.message().contains("at b"), "{}", a.message());
        }
    }

    #[test]
    fn the_last_choice_says_all_is_resolved_and_w_writes() {
        let mut a = app(TEXT);
        press(&mut a, "ci");
        assert_eq!(text(&a), "a: 1\nb: 2\nx: 0\nd: 3\ne: 3\n");
        assert_eq!(a.shown(), None);
        assert!(
            a.message().ends_with("; no conflicts left"),
            "{}",
            a.message()
        );
        assert_eq!(press(&mut a, "w"), Action::Write);
    }

    #[test]
    fn next_and_previous_wrap_around_with_letters_and_arrows() {
        let mut a = app(TEXT);
        for (key, want) in [
            (Key::Char('n'), 1),
            (Key::Char('n'), 0),
            (Key::Char('p'), 1),
            (Key::Right, 0),
            (Key::Down, 1),
            (Key::Left, 0),
            (Key::Up, 1),
        ] {
            a.key(key);
            assert_eq!(a.shown(), Some(want), "{key:?}");
        }
        // A choice on the second conflict wraps to the first left.
        press(&mut a, "c");
        assert_eq!((a.shown(), a.path(0).as_str()), (Some(0), "b"));
    }

    #[test]
    fn undo_restores_the_text_and_the_conflict_shown() {
        let mut a = app(TEXT);
        press(&mut a, "nci");
        assert_eq!(a.session().conflicts(), 0);
        press(&mut a, "u");
        assert_eq!((a.session().conflicts(), a.shown()), (1, Some(0)));
        press(&mut a, "u");
        assert_eq!((text(&a).as_str(), a.shown()), (TEXT, Some(1)));
        press(&mut a, "u");
        assert_eq!(a.message(), "nothing to undo");
    }

    #[test]
    fn quit_asks_only_when_choices_would_be_lost() {
        let mut a = app(TEXT);
        assert_eq!(press(&mut a, "q"), Action::Quit);
        press(&mut a, "c");
        assert_eq!(press(&mut a, "q"), Action::Continue);
        assert!(a.asking_to_quit() && a.message().contains("1 choice will be lost"));
        assert_eq!(press(&mut a, "n"), Action::Continue);
        assert!(!a.asking_to_quit());
        assert_eq!(a.key(Key::Interrupt), Action::Continue);
        assert_eq!(press(&mut a, "y"), Action::Quit);
    }

    #[test]
    fn e_hands_the_conflict_to_the_editor_and_takes_what_it_saved() {
        let mut a = app(TEXT);
        press(&mut a, "n");
        assert_eq!(press(&mut a, "e"), Action::Edit(1));
        let hunk = String::from_utf8(a.hunk_text(1).unwrap().to_vec()).unwrap();
        assert!(
            hunk.starts_with("<<<<<<< current\nd: 2\n") && hunk.ends_with(">>>>>>> incoming\n")
        );
        a.edited(1, Ok(hunk.clone()));
        assert_eq!(a.message(), "the editor saved the conflict unchanged");
        a.edited(1, Err("the editor failed".into()));
        assert_eq!(
            (a.message(), a.session().choices()),
            ("the editor failed", 0)
        );
        a.edited(1, Ok("d: 4\n".into()));
        settle(&mut a);
        assert!(text(&a).ends_with("x: 0\nd: 4\n"));
        assert_eq!(a.shown(), Some(0));
    }

    #[test]
    fn an_edit_that_keeps_markers_is_shown_again() {
        let mut a = app(TEXT);
        let kept = "<<<<<<< current\nb: 4\n||||||| base\nb: 1\n=======\nb: 3\n>>>>>>> incoming\n";
        a.edited(0, Ok(kept.into()));
        assert_eq!((a.session().conflicts(), a.shown()), (2, Some(0)));
        assert_eq!(a.hunk_text(0), Some(kept.as_bytes()));
        a.edited(0, Ok("<<<<<<< current\nb: 4\n".into()));
        assert!(
            a.message()
                .starts_with("edit not taken: line 5 of the result"),
            "{}",
            a.message()
        );
    }

    #[test]
    fn a_re_merge_that_settles_more_is_part_of_the_choice() {
        // The second conflict only current really changed: once the first
        // is chosen, the re-merge of the three versions settles it.
        let text = "a: 1\n<<<<<<< c\nb: 2\n||||||| b\nb: 1\n=======\nb: 3\n>>>>>>> i\n\
c: 1\n<<<<<<< c\nd: 2\n||||||| b\nd: 1\n=======\nd: 1\n>>>>>>> i\n";
        let mut a = app(text);
        a.key(Key::Char('i'));
        // Until the work is done: one conflict left, its path carried over.
        assert_eq!((a.session().conflicts(), a.path(0).as_str()), (1, "d"));
        assert!(a.unsettled());
        settle(&mut a);
        assert_eq!(a.session().text().text(), b"a: 1\nb: 3\nc: 1\nd: 2\n");
        assert!(
            a.message().contains("re-merging also settled 1 conflict"),
            "{}",
            a.message()
        );
        press(&mut a, "u");
        assert_eq!(a.session().text().text(), text.as_bytes());
    }

    #[test]
    fn work_for_an_older_text_is_dropped() {
        let mut a = app(TEXT);
        a.key(Key::Char('c'));
        let job = a.job().unwrap();
        assert!(a.job().is_none(), "handed out once per text");
        a.key(Key::Char('u'));
        a.settled(super::super::settle::settle(job));
        assert_eq!(a.session().text().text(), TEXT.as_bytes());
    }

    #[test]
    fn base_without_a_base_section_is_refused() {
        let mut a = app("<<<<<<< c\nb: 2\n=======\nb: 3\n>>>>>>> i\n");
        press(&mut a, "o");
        assert_eq!(a.session().conflicts(), 1);
        assert!(a.message().contains("no base section"));
        press(&mut a, "x");
        assert_eq!(a.message(), "`x` does nothing: the keys are below");
    }

    #[test]
    fn a_text_that_is_not_yaml_resolves_with_an_empty_path() {
        let mut a = app("{ [\n<<<<<<< c\nx\n||||||| b\nw\n=======\ny\n>>>>>>> i\n");
        assert_eq!(a.path(0), "(no YAML path)");
        press(&mut a, "i");
        assert_eq!(text(&a), "{ [\ny\n");
    }
}
