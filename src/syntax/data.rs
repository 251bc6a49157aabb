//! What a node *means*, as opposed to how it is written: a 64-bit fingerprint of
//! its data under the YAML 1.2 core schema. `"a"`, `'a'` and `a` share one
//! fingerprint; `1` and `"1"` do not; mappings compare regardless of key order.
//!
//! Fingerprints let the merge decide "same data" in O(1). They are never used
//! to decide that something is *unchanged* (that compares text), so a
//! collision could at worst turn a conflict between equal-looking values into
//! taking one of them — never drop a change.

use std::hash::{DefaultHasher, Hash, Hasher};

use super::ScalarStyle;

/// The core-schema type a scalar resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Resolved {
    Null,
    Bool(bool),
    Int,
    Float,
    Str,
}

fn resolve_plain(v: &str) -> Resolved {
    match v {
        "" | "~" | "null" | "Null" | "NULL" => Resolved::Null,
        "true" | "True" | "TRUE" => Resolved::Bool(true),
        "false" | "False" | "FALSE" => Resolved::Bool(false),
        _ if is_int(v) => Resolved::Int,
        _ if is_float(v) => Resolved::Float,
        _ => Resolved::Str,
    }
}

fn is_int(v: &str) -> bool {
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    if let Some(hex) = v.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if let Some(oct) = v.strip_prefix("0o") {
        return !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn is_float(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    let body = lower.strip_prefix(['-', '+']).unwrap_or(&lower);
    if body == ".inf" || lower == ".nan" {
        return true;
    }
    let (mantissa, exponent) = match body.split_once('e') {
        Some((m, e)) => (m, Some(e)),
        None => (body, None),
    };
    let mantissa_ok = {
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        (!int.is_empty() || !frac.is_empty())
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
            && (mantissa.contains('.') || exponent.is_some())
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let d = e.strip_prefix(['-', '+']).unwrap_or(e);
        !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

/// Normalized text of a number so that `0x1F` and `31`, `1.0` and `1.00` agree.
fn normalized_number(v: &str, kind: Resolved) -> Option<String> {
    match kind {
        Resolved::Int => {
            let (neg, body) = match v.strip_prefix('-') {
                Some(b) => (true, b),
                None => (false, v.strip_prefix('+').unwrap_or(v)),
            };
            let n = if let Some(h) = body.strip_prefix("0x") {
                i128::from_str_radix(h, 16).ok()?
            } else if let Some(o) = body.strip_prefix("0o") {
                i128::from_str_radix(o, 8).ok()?
            } else {
                body.parse::<i128>().ok()?
            };
            Some(if neg { (-n).to_string() } else { n.to_string() })
        }
        Resolved::Float => {
            let f: f64 = match v.to_ascii_lowercase().as_str() {
                ".inf" | "+.inf" => f64::INFINITY,
                "-.inf" => f64::NEG_INFINITY,
                ".nan" => return Some("nan".into()),
                other => other.parse().ok()?,
            };
            Some(format!("{:x}", f.to_bits()))
        }
        _ => None,
    }
}

/// Fingerprint of a scalar's data. `tag` is the resolved tag text, if any.
pub(crate) fn scalar_fingerprint(value: &str, style: ScalarStyle, tag: Option<&str>) -> u64 {
    let mut h = DefaultHasher::new();
    let non_specific = tag.is_none() || tag == Some("!");
    match (style, non_specific) {
        (ScalarStyle::Plain, true) => {
            let kind = resolve_plain(value);
            kind.hash(&mut h);
            match normalized_number(value, kind) {
                Some(n) => n.hash(&mut h),
                None if kind == Resolved::Str => value.hash(&mut h),
                None if matches!(kind, Resolved::Int | Resolved::Float) => value.hash(&mut h),
                None => {}
            }
        }
        (_, true) => {
            Resolved::Str.hash(&mut h);
            value.hash(&mut h);
        }
        (_, false) => {
            tag.hash(&mut h);
            value.hash(&mut h);
        }
    }
    h.finish()
}

/// Fingerprint of an alias: aliases stand for their anchor by name.
pub(crate) fn alias_fingerprint(anchor_text: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    "alias".hash(&mut h);
    anchor_text.hash(&mut h);
    h.finish()
}

/// Order-independent accumulation of mapping entries.
pub(crate) fn mapping_entry_fingerprint(key: u64, value: u64) -> u64 {
    let mut h = DefaultHasher::new();
    (key, value).hash(&mut h);
    h.finish()
}

/// Seals a collection's accumulated fingerprint with its kind and tag.
pub(crate) fn seal(kind: &str, acc: u64, len: usize, tag: Option<&str>) -> u64 {
    let mut h = DefaultHasher::new();
    (kind, acc, len, tag).hash(&mut h);
    h.finish()
}

/// Ordered accumulation of sequence items.
pub(crate) fn sequence_step(acc: u64, item: u64) -> u64 {
    let mut h = DefaultHasher::new();
    (acc, item).hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(v: &str, s: ScalarStyle) -> u64 {
        scalar_fingerprint(v, s, None)
    }

    #[test]
    fn quoting_does_not_change_strings() {
        assert_eq!(
            fp("a", ScalarStyle::Plain),
            fp("a", ScalarStyle::DoubleQuoted)
        );
        assert_eq!(
            fp("a", ScalarStyle::SingleQuoted),
            fp("a", ScalarStyle::DoubleQuoted)
        );
    }

    #[test]
    fn quoting_changes_numbers_and_bools() {
        assert_ne!(
            fp("1", ScalarStyle::Plain),
            fp("1", ScalarStyle::DoubleQuoted)
        );
        assert_ne!(
            fp("true", ScalarStyle::Plain),
            fp("true", ScalarStyle::SingleQuoted)
        );
    }

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(fp("0x1F", ScalarStyle::Plain), fp("31", ScalarStyle::Plain));
        assert_eq!(
            fp("1.0", ScalarStyle::Plain),
            fp("1.00", ScalarStyle::Plain)
        );
        assert_eq!(fp("~", ScalarStyle::Plain), fp("null", ScalarStyle::Plain));
        assert_ne!(fp("1", ScalarStyle::Plain), fp("2", ScalarStyle::Plain));
    }
}
