//! Palette cluster-profile exports: reading their packs and values, writing
//! merged values back (`export`), and upgrading a profile pack by pack
//! (`upgrade`).

mod export;
mod upgrade;

pub(crate) use export::{Export, Pack};
pub(crate) use upgrade::{left_out, merge_pack};
