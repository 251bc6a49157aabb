//! The machine-readable report of a merge (`--report json`): one JSON object
//! for editors and scripts. Field names are stable; new fields may be added,
//! existing ones keep their name and meaning while `version` is 1.
//!
//! ```json
//! {"version":1,"clean":false,"method":"structural",
//!  "conflicts":[{"path":"a.b","start_line":3,"end_line":9,"current":"…","base":"…","incoming":"…"}],
//!  "changes":{"current":[{"path":"x","kind":"changed"}],"incoming":[]},
//!  "counts":{"conflicts":1,"current":1,"incoming":0},"notes":[]}
//! ```
//!
//! Written by hand (a few dozen lines) rather than with a serialization
//! crate: the shape is fixed and small.

use crate::conflict::Conflict;
use crate::merge::{Change, Side};

/// The report format version written in `"version"`.
pub const VERSION: u32 = 1;

/// How a result was produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// The structural YAML merge.
    #[default]
    Structural,
    /// The line-based fallback (an input was not YAML, or the structural
    /// result would not have been), like `git merge-file`.
    Lines,
    /// Nothing could be merged (a binary input); current was kept as it was.
    KeptCurrent,
}

impl Method {
    /// The name written in `"method"`.
    pub fn name(self) -> &'static str {
        match self {
            Method::Structural => "structural",
            Method::Lines => "lines",
            Method::KeptCurrent => "kept-current",
        }
    }
}

/// Everything a report says about one merge.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// How the result was produced.
    pub method: Method,
    /// True when the result holds no conflict (and was merged).
    pub clean: bool,
    /// The conflicts written into the result, in order.
    pub conflicts: &'a [Conflict],
    /// The changes of each side the result carries.
    pub changes: &'a [Change],
    /// Remarks for a person (why a fallback was used, and such).
    pub notes: &'a [String],
}

impl Report<'_> {
    /// The report as one line of JSON (no trailing line break).
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(256);
        out.push_str(&format!("{{\"version\":{VERSION},\"clean\":{}", self.clean));
        out.push_str(",\"method\":");
        string(&mut out, self.method.name());
        out.push_str(",\"conflicts\":[");
        for (k, c) in self.conflicts.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            conflict(&mut out, c);
        }
        out.push_str("],\"changes\":{\"current\":");
        self.changes_of(&mut out, Side::Current);
        out.push_str(",\"incoming\":");
        self.changes_of(&mut out, Side::Incoming);
        out.push_str(&format!(
            "}},\"counts\":{{\"conflicts\":{},\"current\":{},\"incoming\":{}}}",
            self.conflicts.len(),
            self.count(Side::Current),
            self.count(Side::Incoming)
        ));
        out.push_str(",\"notes\":[");
        for (k, n) in self.notes.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            string(&mut out, n);
        }
        out.push_str("]}");
        out
    }

    fn count(&self, side: Side) -> usize {
        self.changes.iter().filter(|c| c.side == side).count()
    }

    fn changes_of(&self, out: &mut String, side: Side) {
        out.push('[');
        for (k, c) in self.changes.iter().filter(|c| c.side == side).enumerate() {
            if k > 0 {
                out.push(',');
            }
            out.push_str("{\"path\":");
            string(out, &c.path);
            out.push_str(",\"kind\":");
            string(out, c.kind.name());
            out.push('}');
        }
        out.push(']');
    }
}

fn conflict(out: &mut String, c: &Conflict) {
    out.push_str("{\"path\":");
    string(out, &c.path);
    out.push_str(&format!(
        ",\"start_line\":{},\"end_line\":{}",
        c.start_line, c.end_line
    ));
    for (name, text) in [
        ("current", &c.current),
        ("base", &c.base),
        ("incoming", &c.incoming),
    ] {
        out.push_str(&format!(",\"{name}\":"));
        string(out, text);
    }
    out.push('}');
}

/// Appends `s` as a JSON string literal.
fn string(out: &mut String, s: &str) {
    out.push('"');
    escape_json(s, out);
    out.push('"');
}

/// Appends `s` escaped for the inside of a JSON string: quotes, backslashes
/// and control characters (RFC 8259 §7); everything else as UTF-8.
pub fn escape_json(s: &str, out: &mut String) {
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::ChangeKind;

    fn escaped(s: &str) -> String {
        let mut out = String::new();
        escape_json(s, &mut out);
        out
    }

    #[test]
    fn escapes_quotes_backslashes_and_controls() {
        assert_eq!(escaped("a\"b\\c"), "a\\\"b\\\\c");
        assert_eq!(escaped("x\n\r\t\u{1}\u{1f}"), "x\\n\\r\\t\\u0001\\u001f");
        assert_eq!(escaped("ü € 😀 \u{7f}"), "ü € 😀 \u{7f}");
    }

    #[test]
    fn report_has_the_documented_shape() {
        let conflicts = [Conflict {
            path: "a".into(),
            start_line: 1,
            end_line: 7,
            current: "a: 2\n".into(),
            base: "a: 1\n".into(),
            incoming: "a: \"3\"\n".into(),
        }];
        let changes = [
            Change {
                path: "b".into(),
                side: Side::Current,
                kind: ChangeKind::Added,
            },
            Change {
                path: "c[name=x]".into(),
                side: Side::Incoming,
                kind: ChangeKind::Removed,
            },
        ];
        let notes = ["n".to_string()];
        let r = Report {
            method: Method::Structural,
            clean: false,
            conflicts: &conflicts,
            changes: &changes,
            notes: &notes,
        };
        assert_eq!(
            r.to_json(),
            concat!(
                r#"{"version":1,"clean":false,"method":"structural","#,
                r#""conflicts":[{"path":"a","start_line":1,"end_line":7,"#,
                r#""current":"a: 2\n","base":"a: 1\n","incoming":"a: \"3\"\n"}],"#,
                r#""changes":{"current":[{"path":"b","kind":"added"}],"#,
                r#""incoming":[{"path":"c[name=x]","kind":"removed"}]},"#,
                r#""counts":{"conflicts":1,"current":1,"incoming":1},"notes":["n"]}"#
            )
        );
    }
}
