//! The resolver's state and what each key does to it, with no terminal in
//! sight: which conflict is shown, the session of choices (with undo), the
//! question asked before quitting, and the status line. The terminal loop
//! feeds keys in and carries out the [`Action`]s that come back.

use crate::conflict::{Choice, ChoiceError, Session};

use super::remerge;

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
        }
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

    /// Resolves the conflict shown, then re-merges what that settles, and
    /// shows the next conflict left after it.
    pub(crate) fn choose(&mut self, choice: Choice) {
        let Some(k) = self.shown() else {
            self.message = "all conflicts are resolved: w writes, u undoes".into();
            return;
        };
        let line = self.start_line(k);
        let path = self.path(k);
        if let Err(e) = self.session.choose(k, &choice) {
            self.message = refusal(&e);
            return;
        }
        self.at_before.push(k);
        let settled = remerge::after_choice(&mut self.session);
        self.at = self.first_from(line);
        self.message = format!("{} at {path}", took(&choice));
        if settled > 0 {
            self.message += &format!("; re-merging settled {} more", plural(settled, "conflict"));
        }
        if self.session.conflicts() == 0 {
            self.message += ". All conflicts are resolved: w writes, u undoes";
        }
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

    /// The YAML path of conflict `k`, written for a person.
    pub(crate) fn path(&self, k: usize) -> String {
        match self.session.paths().get(k).map(String::as_str) {
            None | Some("") => "(no YAML path)".into(),
            Some(p) => p.to_string(),
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

    fn app(text: &str) -> App {
        App::new("f.yaml", Session::open(text.as_bytes()).unwrap())
    }

    fn text(app: &App) -> String {
        String::from_utf8(app.session().text().text().to_vec()).unwrap()
    }

    fn press(app: &mut App, keys: &str) -> Action {
        let mut last = Action::Continue;
        for c in keys.chars() {
            last = app.key(Key::Char(c));
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
        assert!(a.message().contains("All conflicts are resolved"));
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
