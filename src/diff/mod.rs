//! Matching base with each side: which entries, items, documents and lines
//! correspond. Pure functions over syntax trees; nothing here decides what
//! the merge result is.

pub(crate) mod changes;
mod diff3;
mod identity;

pub(crate) use diff3::{Chunk, diff3};
pub(crate) use identity::{
    check_unique_keys, identity_field, item_identity, key_text, kubernetes_identity,
};
