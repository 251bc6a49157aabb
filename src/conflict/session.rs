//! Resolving the conflicts of a text one choice at a time, with undo: what
//! an interactive resolver or a script holds between key presses.
//!
//! The session knows nothing of YAML merging: a caller that can do better
//! after a choice (a structural re-merge that settles neighbouring
//! conflicts) hands the better text to [`Session::improve`], which replaces
//! the choice's result without adding an undo step.

use std::cell::OnceCell;

use super::file::ConflictedText;
use super::parse::MarkerError;
use super::resolve::Choice;

/// Why a choice could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChoiceError {
    /// There is no conflict with that number.
    NoSuchConflict(usize),
    /// The conflict has no base section to take.
    NoBase,
    /// The chosen text holds markers that do not form whole conflicts.
    Markers(MarkerError),
}

impl std::fmt::Display for ChoiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChoiceError::NoSuchConflict(k) => write!(f, "there is no conflict {}", k + 1),
            ChoiceError::NoBase => {
                write!(f, "this conflict has no base section (`merge` style)")
            }
            ChoiceError::Markers(e) => {
                write!(f, "line {} of the result: {}", e.line, e.reason)
            }
        }
    }
}

/// One state of the text: read, with the YAML paths of its conflicts worked
/// out when first asked for (three YAML parses: not on every key press).
#[derive(Debug, Clone)]
struct State {
    text: ConflictedText,
    paths: OnceCell<Vec<String>>,
}

impl State {
    fn new(text: ConflictedText) -> State {
        State {
            text,
            paths: OnceCell::new(),
        }
    }
}

/// A conflicted text being resolved, and the texts before each choice.
#[derive(Debug, Clone)]
pub struct Session {
    now: State,
    before: Vec<State>,
}

impl Session {
    /// Starts on a text (errors on markers that do not form conflicts).
    pub fn open(text: &[u8]) -> Result<Session, MarkerError> {
        Ok(Session {
            now: State::new(ConflictedText::read(text)?),
            before: Vec::new(),
        })
    }

    /// The text as it stands, with the conflicts left.
    pub fn text(&self) -> &ConflictedText {
        &self.now.text
    }

    /// How many conflicts are left.
    pub fn conflicts(&self) -> usize {
        self.now.text.hunks().count()
    }

    /// The YAML path of each conflict left (empty where it cannot be told,
    /// as in a text that is not YAML).
    pub fn paths(&self) -> &[String] {
        self.now.paths.get_or_init(|| self.now.text.paths())
    }

    /// The paths, when they have been worked out for the text as it stands
    /// (by [`Self::paths`] or [`Self::set_paths`]); never computes them.
    pub fn known_paths(&self) -> Option<&[String]> {
        self.now.paths.get().map(Vec::as_slice)
    }

    /// Hands in the paths of the text as it stands, worked out elsewhere (on
    /// another thread, from a copy of the text); ignored when they are not
    /// one per conflict or already known.
    pub fn set_paths(&mut self, paths: Vec<String>) {
        if paths.len() == self.conflicts() {
            let _ = self.now.paths.set(paths);
        }
    }

    /// Resolves conflict `k` (in text order) by `choice`. What is chosen may
    /// itself hold whole conflicts (an edit that kept markers): they stay
    /// conflicts. On error nothing changes.
    pub fn choose(&mut self, k: usize, choice: &Choice) -> Result<(), ChoiceError> {
        let hunk = self
            .now
            .text
            .hunks()
            .nth(k)
            .ok_or(ChoiceError::NoSuchConflict(k))?;
        let chosen = super::apply(self.now.text.text(), hunk, choice).ok_or(ChoiceError::NoBase)?;
        let read = ConflictedText::read(&chosen).map_err(ChoiceError::Markers)?;
        let previous = std::mem::replace(&mut self.now, State::new(read));
        self.before.push(previous);
        Ok(())
    }

    /// Replaces the text by a better one (read again, so errors on broken
    /// markers) as part of the last choice: undo goes back past both.
    pub fn improve(&mut self, text: &[u8]) -> Result<(), MarkerError> {
        self.now = State::new(ConflictedText::read(text)?);
        Ok(())
    }

    /// Goes back to the text before the last choice; `false` when there was
    /// none.
    pub fn undo(&mut self) -> bool {
        match self.before.pop() {
            Some(previous) => {
                self.now = previous;
                true
            }
            None => false,
        }
    }

    /// How many choices stand (and would be undone one by one).
    pub fn choices(&self) -> usize {
        self.before.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "a: 1\n<<<<<<< c\nb: 2\n||||||| b\nb: 1\n=======\nb: 3\n>>>>>>> i\n\
x: 0\n<<<<<<< c\nd: 2\n||||||| b\nd: 1\n=======\nd: 3\n>>>>>>> i\n";

    fn text(s: &Session) -> String {
        String::from_utf8(s.text().text().to_vec()).unwrap()
    }

    #[test]
    fn choices_resolve_and_undo_restores() {
        let mut s = Session::open(TEXT.as_bytes()).unwrap();
        assert_eq!(
            (s.conflicts(), s.paths()),
            (2, &["b".to_string(), "d".into()][..])
        );
        s.choose(1, &Choice::Incoming).unwrap();
        assert!(text(&s).ends_with("x: 0\nd: 3\n"));
        assert_eq!((s.conflicts(), s.paths()), (1, &["b".to_string()][..]));
        s.choose(0, &Choice::Base).unwrap();
        assert_eq!(text(&s), "a: 1\nb: 1\nx: 0\nd: 3\n");
        assert_eq!((s.conflicts(), s.choices()), (0, 2));
        assert!(s.undo());
        assert!(s.undo());
        assert_eq!(text(&s), TEXT);
        assert!(!s.undo());
        assert_eq!(s.paths(), ["b", "d"]);
    }

    #[test]
    fn an_edit_that_keeps_markers_stays_a_conflict() {
        let mut s = Session::open(TEXT.as_bytes()).unwrap();
        let kept = "<<<<<<< c\nb: 4\n||||||| b\nb: 1\n=======\nb: 3\n>>>>>>> i\n";
        s.choose(0, &Choice::Edited(kept.into())).unwrap();
        assert_eq!(s.conflicts(), 2);
        let broken = Choice::Edited("<<<<<<< c\nb: 4\n".into());
        assert!(matches!(s.choose(0, &broken), Err(ChoiceError::Markers(_))));
        assert_eq!(s.choices(), 1);
    }

    #[test]
    fn impossible_choices_change_nothing() {
        let merge_style = "<<<<<<< c\nb: 2\n=======\nb: 3\n>>>>>>> i\n";
        let mut s = Session::open(merge_style.as_bytes()).unwrap();
        assert_eq!(s.choose(0, &Choice::Base), Err(ChoiceError::NoBase));
        assert_eq!(
            s.choose(1, &Choice::Current),
            Err(ChoiceError::NoSuchConflict(1))
        );
        assert_eq!((s.conflicts(), s.choices()), (1, 0));
    }

    #[test]
    fn an_improvement_is_undone_with_its_choice() {
        let mut s = Session::open(TEXT.as_bytes()).unwrap();
        s.choose(0, &Choice::Current).unwrap();
        s.improve(b"a: 1\nb: 2\nx: 0\nd: 2\n").unwrap();
        assert_eq!((s.conflicts(), s.choices()), (0, 1));
        assert!(s.undo());
        assert_eq!(text(&s), TEXT);
    }

    #[test]
    fn paths_worked_out_elsewhere_are_taken_when_they_fit() {
        let mut s = Session::open(TEXT.as_bytes()).unwrap();
        assert_eq!(s.known_paths(), None);
        s.set_paths(vec!["one".into()]);
        assert_eq!(s.known_paths(), None);
        s.set_paths(vec!["x".into(), "y".into()]);
        assert_eq!(s.paths(), ["x", "y"]);
        s.choose(0, &Choice::Current).unwrap();
        assert_eq!(s.known_paths(), None);
        assert!(s.undo());
        assert_eq!(s.known_paths().unwrap(), ["x", "y"]);
    }

    #[test]
    fn text_that_is_not_yaml_has_empty_paths() {
        let s = Session::open(b"{ [\n<<<<<<< c\nx\n=======\ny\n>>>>>>> i\n").unwrap();
        assert_eq!(s.paths(), [""]);
    }
}
