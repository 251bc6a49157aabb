//! Matching: which entries, list items and documents of two versions are
//! "the same one", and how they are named. Mapping entries match by key
//! (the parsed key, so `"a"`, `'a'` and `a` agree; a key a mapping holds
//! more than once, by occurrence), list items by an
//! identifying field or an LCS alignment of their data, documents by their
//! Kubernetes identity or in order.
//!
//! The merge, `yamerge diff` and the reports all take their matches and
//! their YAML paths from here; nothing here decides what a merge result is.

mod children;
mod compact;
mod copies;
mod duplicates;
mod identity;
pub(crate) mod lcs;
mod matcher;
mod myers;
pub(crate) mod occurrences;
mod pairing;
mod replaced;
mod tokens;
pub(crate) use pairing::pair_by_likeness;
mod path;

pub(crate) use children::{Child, children, documents};
pub(crate) use copies::copies_more_than_sides;
pub(crate) use duplicates::{repeated_key_notes, repeats_only_inputs};
pub(crate) use identity::{
    item_identity, key_text, kubernetes_identity, metadata_name, repeats_a_key,
};
pub(crate) use lcs::{Changed, Chunk, diff3, unstable_chunks};
pub(crate) use matcher::{
    By, Kind, Matched, Step, Version, match_children, steps_between_matches, steps_by_likeness,
};
pub(crate) use occurrences::Ambiguity;
pub(crate) use path::{Path, Segment, path_at};
pub(crate) use tokens::intern;

/// One of the three versions of a merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// The common ancestor.
    Base,
    /// The side the user owns (ours).
    Current,
    /// The other side (theirs; the new defaults).
    Incoming,
}

impl Side {
    /// The position of the side in arrays of the three versions: base,
    /// current, incoming.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The lowercase name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Side::Base => "base",
            Side::Current => "current",
            Side::Incoming => "incoming",
        }
    }
}
