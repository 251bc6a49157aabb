//! Tokens as small numbers: each distinct line (or other token) of the
//! versions being aligned gets one id, shared by all of them, so that the
//! alignment compares and hashes integers instead of text. A line is hashed
//! once here instead of once per alignment it takes part in.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// The ids of the tokens of several sequences: equal tokens, in any of
/// them, get equal ids, numbered from 0 in order of first appearance.
pub(crate) fn intern<T, I, const N: usize>(sequences: [I; N]) -> [Vec<u32>; N]
where
    T: Hash + Eq,
    I: ExactSizeIterator<Item = T>,
{
    let first = sequences.first().map_or(0, |s| s.len());
    let mut ids: HashMap<T, u32, BuildHasherDefault<Quick>> =
        HashMap::with_capacity_and_hasher(first + 1, Default::default());
    sequences.map(|s| {
        s.map(|t| {
            let next = ids.len() as u32;
            *ids.entry(t).or_insert(next)
        })
        .collect()
    })
}

/// A fast, non-cryptographic hash (the multiply-and-rotate of rustc's
/// `FxHasher`): the keys are the user's own lines, and a collision only
/// costs a comparison.
#[derive(Default)]
struct Quick(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Quick {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for Quick {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or_default()));
        }
        let rest = chunks.remainder();
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_tokens_get_equal_ids_across_sequences() {
        let a: &[&[u8]] = &[b"x\n", b"y\n", b"x\n"];
        let b: &[&[u8]] = &[b"y\n", b"z\n", b"x"];
        let [ia, ib] = intern([a.iter(), b.iter()]);
        assert_eq!(ia, [0, 1, 0]);
        assert_eq!(ib, [1, 2, 3]);
    }
}
