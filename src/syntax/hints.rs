//! What the event parser's terse messages usually mean in a hand-edited
//! file, added after them, so that an error says what to look for and not
//! only what the parser expected.

/// The parser's `message`, followed by a hint where one is known.
pub(crate) fn explained(message: &str) -> String {
    match hint(message) {
        Some(hint) => format!("{message} ({hint})"),
        None => message.to_owned(),
    }
}

fn hint(message: &str) -> Option<&'static str> {
    const HINTS: [(&str, &str); 8] = [
        (
            "mapping values are not allowed",
            "a line indented deeper than the keys beside it, or a plain value holding `: ` that needs quotes",
        ),
        (
            "did not find expected key",
            "a line less indented than the keys of its mapping, or text that is not `key: value`",
        ),
        (
            "did not find expected '-' indicator",
            "a line at a list's indentation that is not an item starting with `- `",
        ),
        (
            "did not find expected ',' or '}'",
            "a `{` not closed before this line",
        ),
        (
            "did not find expected ',' or ']'",
            "a `[` not closed before this line",
        ),
        (
            "illegal placement of ':' indicator",
            "a `[` or `{` not closed before this line, or a `:` inside a flow collection that needs quotes",
        ),
        (
            "while scanning a quoted scalar",
            "a quote opened here is not closed",
        ),
        (
            "found unknown anchor",
            "an alias `*name` with no `&name` before it in the same document",
        ),
    ];
    HINTS
        .iter()
        .find(|(pattern, _)| message.contains(pattern))
        .map(|(_, hint)| *hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_messages_get_a_hint_and_others_stay_as_they_are() {
        let m = explained("while parsing a block mapping, did not find expected key");
        assert!(m.ends_with("(a line less indented than the keys of its mapping, or text that is not `key: value`)"), "{m}");
        assert_eq!(explained("something new"), "something new");
    }

    #[test]
    fn every_hint_is_found_by_its_own_pattern() {
        for message in [
            "mapping values are not allowed in this context",
            "while parsing a block collection, did not find expected '-' indicator",
            "while parsing a flow mapping, did not find expected ',' or '}'",
            "while parsing a flow sequence, did not find expected ',' or ']'",
            "while scanning a quoted scalar, found unexpected end of stream",
            "while parsing node, found unknown anchor",
            "illegal placement of ':' indicator",
        ] {
            assert!(hint(message).is_some(), "{message}");
        }
    }
}
