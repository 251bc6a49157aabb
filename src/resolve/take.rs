//! Resolving without the screen, for scripts: `--take current|incoming`
//! rules, each for the conflicts whose YAML path matches its glob, applied
//! one conflict at a time with the same re-merge as a key press.

use crate::conflict::{Choice, Session, path_matches};

use super::remerge;

/// Which side a rule takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TakeSide {
    Current,
    Incoming,
}

/// One `--take SIDE[=PATTERN]` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Take {
    pub(crate) side: TakeSide,
    /// A glob on the YAML path; `None` matches every conflict (those
    /// without a path too).
    pub(crate) pattern: Option<String>,
}

impl Take {
    /// Reads `current`, `incoming`, `current=PATTERN` or `incoming=PATTERN`.
    pub(crate) fn parse(arg: &str) -> Result<Take, String> {
        let (side, pattern) = match arg.split_once('=') {
            Some((side, pattern)) => (side, Some(pattern.to_string())),
            None => (arg, None),
        };
        let side = match side {
            "current" => TakeSide::Current,
            "incoming" => TakeSide::Incoming,
            other => {
                return Err(format!(
                    "`{other}` is not a side: use current or incoming, optionally =PATTERN"
                ));
            }
        };
        Ok(Take { side, pattern })
    }

    fn matches(&self, path: &str) -> bool {
        self.pattern
            .as_deref()
            .is_none_or(|p| path_matches(p, path))
    }

    fn choice(&self) -> Choice {
        match self.side {
            TakeSide::Current => Choice::Current,
            TakeSide::Incoming => Choice::Incoming,
        }
    }
}

/// Applies the rules (the first that matches a conflict's path decides)
/// until no conflict left matches one. Returns how many choices were made.
pub(crate) fn apply(session: &mut Session, rules: &[Take]) -> usize {
    let mut taken = 0;
    // Each round removes at least one conflict's marker lines from the
    // text, so the loop ends even when a side held conflicts of its own.
    while let Some((k, choice)) = next(session, rules) {
        if session.choose(k, &choice).is_err() {
            break;
        }
        remerge::after_choice(session);
        taken += 1;
    }
    taken
}

/// The first conflict a rule matches, with that rule's choice.
fn next(session: &Session, rules: &[Take]) -> Option<(usize, Choice)> {
    session.paths().iter().enumerate().find_map(|(k, path)| {
        rules
            .iter()
            .find(|r| r.matches(path))
            .map(|r| (k, r.choice()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "a:\n<<<<<<< c\n  b: 2\n||||||| o\n  b: 1\n=======\n  b: 3\n>>>>>>> i\n\
x:\n<<<<<<< c\n  d: 2\n||||||| o\n  d: 1\n=======\n  d: 3\n>>>>>>> i\n";

    fn run(rules: &[&str]) -> (String, usize) {
        let rules: Vec<Take> = rules.iter().map(|r| Take::parse(r).unwrap()).collect();
        let mut s = Session::open(TEXT.as_bytes()).unwrap();
        apply(&mut s, &rules);
        (
            String::from_utf8(s.text().text().to_vec()).unwrap(),
            s.conflicts(),
        )
    }

    #[test]
    fn a_rule_without_pattern_takes_every_conflict() {
        assert_eq!(run(&["incoming"]), ("a:\n  b: 3\nx:\n  d: 3\n".into(), 0));
    }

    #[test]
    fn the_first_matching_rule_decides_and_unmatched_conflicts_stay() {
        let (text, left) = run(&["current=x.*"]);
        assert_eq!(left, 1);
        assert!(text.ends_with("x:\n  d: 2\n"), "{text}");
        let (text, left) = run(&["incoming=a.b", "current"]);
        assert_eq!((text.as_str(), left), ("a:\n  b: 3\nx:\n  d: 2\n", 0));
    }

    #[test]
    fn rules_are_read_or_refused_with_a_reason() {
        let t = Take::parse("incoming=kubeadmconfig.*").unwrap();
        assert_eq!(
            (t.side, t.pattern.as_deref()),
            (TakeSide::Incoming, Some("kubeadmconfig.*"))
        );
        assert_eq!(Take::parse("current").unwrap().pattern, None);
        assert!(
            Take::parse("base")
                .unwrap_err()
                .contains("`base` is not a side")
        );
    }
}
