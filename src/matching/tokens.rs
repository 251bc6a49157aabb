//! Tokens as small numbers: each distinct line (or other token) of the
//! versions being aligned gets one id, shared by all of them, so that the
//! alignment compares and counts integers instead of text. A line is hashed
//! at most once here, not once per alignment it takes part in, and a side's
//! line in step with base's is only compared with it.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// The ids of the tokens of several sequences (of lengths `lens`; `item(s,
/// k)` is token `k` of sequence `s`): equal tokens, in any of them, get
/// equal ids, numbered from 0 in order of first appearance in the first
/// sequence, then in the others.
pub(crate) fn intern<T: Hash + Eq, const N: usize>(
    lens: [usize; N],
    item: impl Fn(usize, usize) -> T,
) -> [Vec<u32>; N] {
    let mut table: HashMap<T, u32, BuildHasherDefault<Quick>> =
        HashMap::with_capacity_and_hasher(lens[0] + 1, Default::default());
    let mut lookup = |t: T| {
        let next = table.len() as u32;
        *table.entry(t).or_insert(next)
    };
    let first: Vec<u32> = (0..lens[0]).map(|k| lookup(item(0, k))).collect();
    let mut out: [Vec<u32>; N] = std::array::from_fn(|_| Vec::new());
    for (s, ids) in out.iter_mut().enumerate().skip(1) {
        *ids = follow(
            &first,
            lens[s],
            |k, j| item(s, k) == item(0, j),
            |k| lookup(item(s, k)),
        );
    }
    if let Some(slot) = out.first_mut() {
        *slot = first;
    }
    out
}

/// How far ahead in the first sequence [`follow`] looks for a token to
/// step back in line with it.
const RESYNC_WINDOW: usize = 64;

/// The ids of a sequence of `len` tokens that mostly repeats the first one
/// (ids `first`), in step with it: a token equal to the first sequence's
/// token at the same place takes its id without a look-up in the table,
/// which, on a large file, is a cache miss where this is a comparison of
/// memory read in order anyway. Out of step (`same(k, j)`: whether token
/// `k` equals the first sequence's token `j`), the table answers, and the
/// answer is looked for a little further on in the first sequence to get
/// back in step after a deletion. Whatever the inputs, every id is right:
/// only the speed depends on how much of the sequence stays in step.
fn follow(
    first: &[u32],
    len: usize,
    same: impl Fn(usize, usize) -> bool,
    mut lookup: impl FnMut(usize) -> u32,
) -> Vec<u32> {
    let mut ids = Vec::with_capacity(len);
    let mut at = 0;
    for k in 0..len {
        if at < first.len() && same(k, at) {
            ids.push(first[at]);
            at += 1;
            continue;
        }
        let id = lookup(k);
        ids.push(id);
        let ahead = &first[at.min(first.len())..(at + RESYNC_WINDOW).min(first.len())];
        if let Some(d) = ahead.iter().position(|&x| x == id) {
            at += d + 1;
        }
    }
    ids
}

/// A fast, non-cryptographic hash (the multiply-and-rotate of rustc's
/// `FxHasher`, eight bytes at a time), with a final mix: the table picks
/// buckets by the low bits, which the multiplications alone leave alike for
/// lines that differ only further along (`component1234:`), and a million
/// such lines then queue in a few buckets.
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
        // MurmurHash3's 64-bit finalizer: every input bit reaches every
        // output bit.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_tokens_get_equal_ids_across_sequences() {
        let a: &[&[u8]] = &[b"x\n", b"y\n", b"x\n"];
        let b: &[&[u8]] = &[b"y\n", b"z\n", b"x"];
        let seqs = [a, b];
        let [ia, ib] = intern([a.len(), b.len()], |s, k| seqs[s][k]);
        assert_eq!(ia, [0, 1, 0]);
        assert_eq!(ib, [1, 2, 3]);
    }

    #[test]
    fn ids_are_right_in_step_and_out_of_step() {
        // Every kind of edit against the first sequence, and a shuffle:
        // ids must equal those a plain table gives.
        let first: Vec<u32> = (0..500).map(|k| k % 37).collect();
        let mut edited = first.clone();
        edited.drain(10..15);
        edited.splice(100..100, [99, 98, 97]);
        edited[200] = 96;
        edited.drain(300..380);
        edited.extend(first.iter().rev().take(50));
        let seqs = [&first[..], &edited[..]];
        let got = intern([first.len(), edited.len()], |s, k| seqs[s][k]);
        let mut table = HashMap::new();
        let want: Vec<Vec<u32>> = seqs
            .iter()
            .map(|seq| {
                seq.iter()
                    .map(|t| {
                        let next = table.len() as u32;
                        *table.entry(*t).or_insert(next)
                    })
                    .collect()
            })
            .collect();
        assert_eq!(got.to_vec(), want);
    }
}
