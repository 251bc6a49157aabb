//! What a node *means*, as opposed to how it is written: a 64-bit fingerprint of
//! its data under the YAML 1.2 core schema. `"a"`, `'a'` and `a` share one
//! fingerprint; `1` and `"1"` do not; mappings compare regardless of key order.
//!
//! Fingerprints align list items and documents in O(1) per comparison and
//! prove that two nodes differ (equal data always has equal fingerprints).
//! They never decide that two nodes are the same: `equal::same_data` confirms
//! every such equality, and "unchanged" is decided on text, so a collision
//! cannot drop a change.

use std::hash::{Hash, Hasher};

use super::ScalarStyle;

/// The core-schema type a scalar resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Resolved {
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
    let body = v.strip_prefix(['-', '+']).unwrap_or(v);
    if !body.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return false;
    }
    if body.eq_ignore_ascii_case(".inf") || v.eq_ignore_ascii_case(".nan") {
        return true;
    }
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
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

/// A number reduced to its value, so that `0x1F` and `31`, `1.0` and `1.00`
/// agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Number {
    Int(i128),
    /// The bits of an `f64`.
    Float(u64),
    NaN,
}

fn normalized_number(v: &str, kind: Resolved) -> Option<Number> {
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
            Some(Number::Int(if neg { -n } else { n }))
        }
        Resolved::Float => {
            let body = v.strip_prefix(['-', '+']).unwrap_or(v);
            let f: f64 = if body.eq_ignore_ascii_case(".inf") {
                if v.starts_with('-') {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                }
            } else if v.eq_ignore_ascii_case(".nan") {
                return Some(Number::NaN);
            } else {
                v.parse().ok()?
            };
            Some(Number::Float(f.to_bits()))
        }
        _ => None,
    }
}

/// The hasher behind every fingerprint: a multiply-rotate word hash with a
/// final avalanche (the one of MurmurHash3). Much faster than the standard
/// SipHash on the short keys and values of configuration files; resistance to
/// crafted collisions is not needed (see the module comment for what a
/// collision can cost).
struct Fingerprinter(u64);

impl Fingerprinter {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;

    fn new() -> Self {
        Fingerprinter(0x243F_6A88_85A3_08D3)
    }

    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(23) ^ word).wrapping_mul(Self::K);
    }
}

impl Hasher for Fingerprinter {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.add(bytes.len() as u64);
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    #[inline]
    fn write_isize(&mut self, n: isize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        h ^= h >> 33;
        h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
        h ^ (h >> 33)
    }
}

/// What a scalar means under the core schema: the one definition behind
/// both its fingerprint and [`super::equal::same_data`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ScalarData<'a> {
    /// A plain scalar resolved to null, a bool, or a number (by value).
    Resolved(Resolved, Option<Number>),
    /// A plain number too large to normalize, as written.
    Unnormalized(Resolved, &'a str),
    /// A string (any quoting).
    Str(&'a str),
    /// A scalar with a specific tag.
    Tagged(&'a str, &'a str),
}

/// What a scalar written as `value` in `style` with `tag` means.
pub(crate) fn scalar_identity<'a>(
    value: &'a str,
    style: ScalarStyle,
    tag: Option<&'a str>,
) -> ScalarData<'a> {
    match tag.filter(|t| *t != "!") {
        Some(tag) => ScalarData::Tagged(tag, value),
        None if style != ScalarStyle::Plain => ScalarData::Str(value),
        None => {
            let kind = resolve_plain(value);
            match normalized_number(value, kind) {
                Some(n) => ScalarData::Resolved(kind, Some(n)),
                None if kind == Resolved::Str => ScalarData::Str(value),
                None if matches!(kind, Resolved::Int | Resolved::Float) => {
                    ScalarData::Unnormalized(kind, value)
                }
                None => ScalarData::Resolved(kind, None),
            }
        }
    }
}

/// Fingerprint of a scalar's data. `tag` is the resolved tag text, if any.
pub(crate) fn scalar_fingerprint(value: &str, style: ScalarStyle, tag: Option<&str>) -> u64 {
    let mut h = Fingerprinter::new();
    scalar_identity(value, style, tag).hash(&mut h);
    h.finish()
}

/// Fingerprint of an alias: aliases stand for their anchor by name.
pub(crate) fn alias_fingerprint(anchor_text: &[u8]) -> u64 {
    let mut h = Fingerprinter::new();
    "alias".hash(&mut h);
    anchor_text.hash(&mut h);
    h.finish()
}

/// Order-independent accumulation of mapping entries.
pub(crate) fn mapping_entry_fingerprint(key: u64, value: u64) -> u64 {
    let mut h = Fingerprinter::new();
    (key, value).hash(&mut h);
    h.finish()
}

/// Seals a collection's accumulated fingerprint with its kind and tag.
pub(crate) fn seal(kind: &str, acc: u64, len: usize, tag: Option<&str>) -> u64 {
    let mut h = Fingerprinter::new();
    (kind, acc, len, tag).hash(&mut h);
    h.finish()
}

/// Ordered accumulation of sequence items.
pub(crate) fn sequence_step(acc: u64, item: u64) -> u64 {
    let mut h = Fingerprinter::new();
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
        assert_eq!(
            fp("1e3", ScalarStyle::Plain),
            fp("1000.0", ScalarStyle::Plain)
        );
        assert_eq!(
            fp(".Inf", ScalarStyle::Plain),
            fp("+.inf", ScalarStyle::Plain)
        );
        assert_ne!(
            fp("-.inf", ScalarStyle::Plain),
            fp(".inf", ScalarStyle::Plain)
        );
        assert_ne!(
            fp("1e3", ScalarStyle::Plain),
            fp("1000", ScalarStyle::Plain)
        );
        assert_ne!(fp("e3", ScalarStyle::Plain), fp("1e3", ScalarStyle::Plain));
    }

    #[test]
    fn strings_differing_in_length_or_padding_differ() {
        let s = ScalarStyle::Plain;
        assert_ne!(fp("a", s), fp("a\0", s));
        assert_ne!(fp("abcdefgh", s), fp("abcdefgh\0", s));
        assert_ne!(
            fp("", ScalarStyle::DoubleQuoted),
            fp("\0", ScalarStyle::DoubleQuoted)
        );
        assert_ne!(fp("ab", s), fp("ba", s));
    }
}
