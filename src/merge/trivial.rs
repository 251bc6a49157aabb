//! The easy cases, decided the same way at every level of the tree.

/// Which side's version a trivial merge keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pick {
    /// The layout side's (both equal, or only the layout side changed).
    Layout,
    /// The other side's (only it changed).
    Other,
}

/// Decides a merge from equalities alone: both sides equal → either (the
/// layout's text); one side unchanged → the other. `None` when both changed
/// differently (or when there is no base and the two differ).
pub(crate) fn trivial_merge(
    base_eq_layout: Option<bool>,
    base_eq_other: Option<bool>,
    layout_eq_other: bool,
) -> Option<Pick> {
    if layout_eq_other || base_eq_other == Some(true) {
        Some(Pick::Layout)
    } else if base_eq_layout == Some(true) {
        Some(Pick::Other)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every combination of three values from a small alphabet.
    #[test]
    fn trivial_merge_never_drops_a_change() {
        for b in 0..3 {
            for l in 0..3 {
                for o in 0..3 {
                    let got = trivial_merge(Some(b == l), Some(b == o), l == o);
                    let expected = if l == o || o == b {
                        Some(Pick::Layout)
                    } else if l == b {
                        Some(Pick::Other)
                    } else {
                        None
                    };
                    assert_eq!(got, expected, "b={b} l={l} o={o}");
                    // A kept value always holds every change.
                    if let Some(pick) = got {
                        let kept = if pick == Pick::Layout { l } else { o };
                        assert!(l == b || kept == l, "layout change lost");
                        assert!(o == b || kept == o, "other change lost");
                    }
                }
            }
        }
        assert_eq!(trivial_merge(None, None, false), None);
        assert_eq!(trivial_merge(None, None, true), Some(Pick::Layout));
    }
}
