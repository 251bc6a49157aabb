//! `yamerge diff`: what changed from one version to another, by YAML path.

pub(crate) mod changes;
