//! JSON documents (flow collections, since JSON is YAML) edited by both
//! sides in different keys, or appending to one list: the merge is clean,
//! stays valid JSON, and holds exactly both sides' edits, in both layouts
//! and both spellings (one line, and pretty-printed over many lines).

mod common;

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use yamerge::{Input, MergeOptions, Side};

/// What a side does to one key's value.
#[derive(Debug, Clone, Copy)]
enum Edit {
    Keep,
    Change,
    Append,
    Prepend,
    RemoveFirst,
    Remove,
}

fn value(kind: u8, n: i64) -> Value {
    match kind % 3 {
        0 => json!(n),
        1 => json!([n, n + 1, n + 2]),
        _ => json!({"x": n, "y": [n, n + 1]}),
    }
}

/// A side's edit of a value; `mark` tells the sides' new values apart.
fn edit(v: &Value, e: Edit, mark: i64) -> Option<Value> {
    let mut v = v.clone();
    match e {
        Edit::Keep => {}
        Edit::Remove => return None,
        _ if v.is_object() => {
            let field = if matches!(e, Edit::Change) { "x" } else { "z" };
            v[field] = json!(mark);
        }
        _ if !v.is_array() => v = json!(mark),
        Edit::Change => v[1] = json!(mark),
        Edit::Append => v.as_array_mut()?.push(json!(mark)),
        Edit::Prepend => v.as_array_mut()?.insert(0, json!(mark)),
        Edit::RemoveFirst => {
            v.as_array_mut()?.remove(0);
        }
    }
    Some(v)
}

fn edit_of(k: u8) -> Edit {
    [
        Edit::Keep,
        Edit::Change,
        Edit::Append,
        Edit::Prepend,
        Edit::RemoveFirst,
        Edit::Remove,
    ][k as usize % 6]
}

fn text(v: &Value, pretty: bool) -> String {
    let s = if pretty {
        serde_json::to_string_pretty(v).unwrap()
    } else {
        serde_json::to_string(v).unwrap()
    };
    s + "\n"
}

proptest! {
    #![proptest_config(common::proptest_config(400))]

    #[test]
    fn json_edited_by_both_sides_merges_to_both_edits_and_stays_json(
        kinds in proptest::collection::vec(0u8..3, 6),
        owners in proptest::collection::vec(0u8..3, 6),
        edits in proptest::collection::vec(0u8..6, 6),
        added in (any::<bool>(), any::<bool>()),
        shared in (0usize..3, 0usize..3),
        pretty in any::<bool>(),
        layout_current in any::<bool>(),
    ) {
        let mut base = Map::new();
        for (k, kind) in kinds.iter().enumerate() {
            base.insert(format!("k{k}"), value(*kind, 10 * k as i64));
        }
        base.insert("shared".into(), json!([1, 2, 3]));
        let (mut cur, mut inc, mut want) = (base.clone(), base.clone(), base.clone());
        for k in 0..6 {
            let key = format!("k{k}");
            let (side, mark) = match owners[k] {
                1 => (&mut cur, 1000 + k as i64),
                2 => (&mut inc, 2000 + k as i64),
                _ => continue,
            };
            match edit(&base[&key], edit_of(edits[k]), mark) {
                Some(v) => {
                    side.insert(key.clone(), v.clone());
                    want.insert(key, v);
                }
                None => {
                    side.remove(&key);
                    want.remove(&key);
                }
            }
        }
        if added.0 {
            cur.insert("added_by_current".into(), json!({"a": 1}));
            want.insert("added_by_current".into(), json!({"a": 1}));
        }
        if added.1 {
            inc.insert("added_by_incoming".into(), json!([1]));
            want.insert("added_by_incoming".into(), json!([1]));
        }
        // Both append to one list: current's first, then incoming's.
        let appended = |m: &mut Map<String, Value>, xs: &[i64]| {
            let l = m["shared"].as_array_mut().unwrap();
            l.extend(xs.iter().map(|x| json!(x)));
        };
        let (c_new, i_new): (Vec<i64>, Vec<i64>) =
            ((0..shared.0 as i64).map(|x| 100 + x).collect(), (0..shared.1 as i64).map(|x| 200 + x).collect());
        appended(&mut cur, &c_new);
        appended(&mut inc, &i_new);
        appended(&mut want, &c_new);
        appended(&mut want, &i_new);
        let [b, c, i] = [base, cur, inc].map(|m| text(&Value::Object(m), pretty));
        let opts = MergeOptions {
            layout: if layout_current { Side::Current } else { Side::Incoming },
            ..MergeOptions::default()
        };
        let m = yamerge::merge(
            Input::new("base", b.as_bytes()),
            Input::new("current", c.as_bytes()),
            Input::new("incoming", i.as_bytes()),
            &opts,
        )
        .unwrap();
        prop_assert!(m.is_clean(), "conflicts:\n{}\nbase:\n{b}\ncurrent:\n{c}\nincoming:\n{i}", m.text);
        let got: Value = serde_json::from_str(&m.text)
            .map_err(|e| TestCaseError::fail(format!("not JSON ({e}):\n{}", m.text)))?;
        prop_assert_eq!(got, Value::Object(want), "merged:\n{}", m.text);
    }
}
