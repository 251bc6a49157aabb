//! The structural re-merge after a choice: a chosen side can make a
//! neighbouring conflict trivial (both sides then changed the same entry
//! the same way, or only one changed it), which only a merge of the three
//! versions the text now holds can see.

use crate::conflict::{ConflictStyle, Session};
use crate::pipeline::Method;

/// Re-merges the session's text with [`crate::solve`] when every conflict
/// left has a base section, and takes the result, as part of the last
/// choice, when it has fewer conflicts. Returns how many conflicts that
/// settled (0 when the text was kept).
pub(crate) fn after_choice(session: &mut Session) -> usize {
    let text = session.text();
    let left = session.conflicts();
    if left == 0 || text.hunks().any(|h| h.base.is_none()) {
        return 0;
    }
    // Diff3 keeps the base sections, which later choices (`o`) and the
    // next re-merge need. A text that is not YAML fails here: kept as is.
    let Ok(Some(merged)) = crate::solve("conflicted text", text.text(), ConflictStyle::Diff3)
    else {
        return 0;
    };
    // A line merge of the versions would only rebuild conflicts, perhaps
    // joined differently; it settles nothing.
    if merged.method != Method::Structural || merged.conflicts.len() >= left {
        return 0;
    }
    let settled = left - merged.conflicts.len();
    match session.improve(merged.text.as_bytes()) {
        Ok(()) => settled,
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::Choice;

    #[test]
    fn a_choice_that_makes_a_neighbour_trivial_settles_it_too() {
        // Git's line merge joins nearby edits into conflicts that a
        // structural merge of the rebuilt versions settles: the second one
        // only current really changed.
        let text = "a: 1\n<<<<<<< c\nb: 2\n||||||| b\nb: 1\n=======\nb: 3\n>>>>>>> i\n\
c: 1\n<<<<<<< c\nd: 2\n||||||| b\nd: 1\n=======\nd: 1\n>>>>>>> i\n";
        let mut s = Session::open(text.as_bytes()).unwrap();
        s.choose(0, &Choice::Current).unwrap();
        assert_eq!(after_choice(&mut s), 1);
        assert_eq!(s.text().text(), b"a: 1\nb: 2\nc: 1\nd: 2\n");
        // Undo goes back past the re-merge, to the text before the choice.
        assert!(s.undo());
        assert_eq!(s.text().text(), text.as_bytes());
    }

    #[test]
    fn nothing_changes_when_the_re_merge_settles_nothing() {
        let text = "<<<<<<< c\nb: 2\n||||||| b\nb: 1\n=======\nb: 3\n>>>>>>> i\n\
x: 0\n<<<<<<< c\nd: 2\n||||||| b\nd: 1\n=======\nd: 3\n>>>>>>> i\n";
        let mut s = Session::open(text.as_bytes()).unwrap();
        s.choose(0, &Choice::Incoming).unwrap();
        let before = s.text().text().to_vec();
        assert_eq!(after_choice(&mut s), 0);
        assert_eq!(s.text().text(), before);
        // No base section: no re-merge is tried.
        let mut s = Session::open(b"<<<<<<< c\nb: 2\n=======\nb: 3\n>>>>>>> i\n").unwrap();
        assert_eq!(after_choice(&mut s), 0);
    }
}
