//! What changed from one version to another: the list of changes by YAML
//! path (`yamerge diff`, the report), and whether a merged version holds
//! every change of a side (the check a candidate merge must pass).

pub(crate) mod changes;
mod includes;

pub(crate) use includes::{holds_changes, node_holds_changes};
