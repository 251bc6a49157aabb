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
//! The object is assembled by hand, so that its fields keep the documented
//! order; strings are escaped by `serde_json`.

use crate::conflict::Conflict;
use crate::matching::Side;
use crate::pipeline::MergeResult;

pub use crate::pipeline::Method;

/// The report format version written in `"version"`.
pub const VERSION: u32 = 1;

/// `3 changes from current, 1 from incoming`: how many changes of each side
/// a result carries.
pub fn change_counts<T>(result: &MergeResult<T>) -> String {
    let count = |side| result.changes.iter().filter(|c| c.side == side).count();
    format!(
        "{} from current, {} from incoming",
        plural(count(Side::Current), "change"),
        count(Side::Incoming)
    )
}

/// `no conflicts`, `1 conflict at a.b` (structural; `(document)` for a
/// whole document) or `2 conflicts at lines 3, 10` (line merge).
pub fn verdict<T>(result: &MergeResult<T>) -> String {
    let conflicts = &result.conflicts;
    if conflicts.is_empty() {
        return "no conflicts".into();
    }
    let lines = result.method != Method::Structural;
    let places: Vec<String> = conflicts
        .iter()
        .map(|c| match c.path.as_str() {
            _ if lines => c.start_line.to_string(),
            "" => "(document)".to_string(),
            path => path.to_string(),
        })
        .collect();
    let at = match (lines, conflicts.len()) {
        (true, 1) => "at line",
        (true, _) => "at lines",
        _ => "at",
    };
    format!(
        "{} {at} {}",
        plural(conflicts.len(), "conflict"),
        places.join(", ")
    )
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The report of a merge as one line of JSON (no trailing line break).
pub fn to_json<T>(result: &MergeResult<T>) -> String {
    Report(result).to_json()
}

struct Report<'a, T>(&'a MergeResult<T>);

impl<T> Report<'_, T> {
    fn to_json(&self) -> String {
        let mut out = String::with_capacity(256);
        let r = self.0;
        out.push_str(&format!(
            "{{\"version\":{VERSION},\"clean\":{}",
            r.is_clean()
        ));
        out.push_str(",\"method\":");
        string(&mut out, r.method.name());
        out.push_str(",\"conflicts\":[");
        for (k, c) in r.conflicts.iter().enumerate() {
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
            r.conflicts.len(),
            self.count(Side::Current),
            self.count(Side::Incoming)
        ));
        out.push_str(",\"notes\":[");
        for (k, n) in r.notes.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            string(&mut out, n);
        }
        out.push_str("]}");
        out
    }

    fn count(&self, side: Side) -> usize {
        self.0.changes.iter().filter(|c| c.side == side).count()
    }

    fn changes_of(&self, out: &mut String, side: Side) {
        out.push('[');
        for (k, c) in self.0.changes.iter().filter(|c| c.side == side).enumerate() {
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
    out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::{Change, ChangeKind};

    #[test]
    fn report_has_the_documented_shape() {
        let result = MergeResult {
            text: String::new(),
            conflicts: vec![Conflict {
                path: "a".into(),
                start_line: 1,
                end_line: 7,
                current: "a: 2\n".into(),
                base: "a: 1\n".into(),
                incoming: "a: \"3\"\n".into(),
            }],
            changes: vec![
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
            ],
            method: Method::Structural,
            notes: vec!["n\t\u{1}".to_string()],
        };
        assert_eq!(
            to_json(&result),
            concat!(
                r#"{"version":1,"clean":false,"method":"structural","#,
                r#""conflicts":[{"path":"a","start_line":1,"end_line":7,"#,
                r#""current":"a: 2\n","base":"a: 1\n","incoming":"a: \"3\"\n"}],"#,
                r#""changes":{"current":[{"path":"b","kind":"added"}],"#,
                r#""incoming":[{"path":"c[name=x]","kind":"removed"}]},"#,
                r#""counts":{"conflicts":1,"current":1,"incoming":1},"notes":["n\t\u0001"]}"#
            )
        );
    }
}
