//! Upgrading a cluster profile: each pack of the new export (incoming)
//! merged with its versions in the old export (base) and the customized one
//! (current), matched by name and layer, with a note on what happened to it.

use super::{Export, Pack};
use crate::error::Result;
use crate::report;

/// What happened to one pack of incoming.
pub(crate) struct PackOutcome {
    /// The values the result holds (`None`: incoming's, untouched).
    pub values: Option<String>,
    /// Conflicts written into them.
    pub conflicts: usize,
    /// One line for the person upgrading.
    pub note: String,
    /// Worth saying even when asked to be quiet.
    pub important: bool,
}

/// `3 changes from current, 1 from incoming, 1 conflict at pack.podCIDR`
fn summary(merged: &crate::MergeResult) -> String {
    if merged.changes.is_empty() && merged.conflicts.is_empty() {
        return "no changes on either side".into();
    }
    format!(
        "{}, {}",
        report::change_counts(merged),
        report::verdict(merged)
    )
}

fn version_note(from: Option<&Pack>, to: &Pack) -> String {
    match (
        from.and_then(|p| p.version.as_deref()),
        to.version.as_deref(),
    ) {
        (Some(a), Some(b)) if a != b => format!(" {a} → {b}"),
        (_, Some(b)) => format!(" {b}"),
        _ => String::new(),
    }
}

/// Merges the values of incoming's pack `i` with its base and current versions.
pub(crate) fn merge_pack(
    base: &Export,
    current: &Export,
    incoming: &Export,
    i: usize,
) -> Result<PackOutcome> {
    let ip = &incoming.packs[i];
    let find = |e: &Export| e.packs.iter().position(|p| p.key() == ip.key());
    let label = ip.label();
    let taken = |note: String, important: bool| PackOutcome {
        values: None,
        conflicts: 0,
        note: format!("{label}{}: {note}", version_note(None, ip)),
        important,
    };
    let (bi, ci) = match (find(base), find(current)) {
        (Some(bi), Some(ci)) => (bi, ci),
        (None, None) => return Ok(taken("new in incoming, taken as is".into(), false)),
        (Some(_), None) => {
            return Ok(taken(
                "not in current (removed there?), taken from incoming".into(),
                true,
            ));
        }
        (None, Some(ci)) => {
            let same = current.packs[ci].values == ip.values;
            let note = if same {
                "not in base; current and incoming agree".into()
            } else {
                "not in base, so no customizations can be told apart: taken from incoming \
                 (compare current's values with `yamerge diff`)"
                    .into()
            };
            return Ok(taken(note, !same));
        }
    };
    let (bp, cp) = (&base.packs[bi], &current.packs[ci]);
    let names = [
        base.values_name(bi),
        current.values_name(ci),
        incoming.values_name(i),
    ];
    let text = |p: &Pack| p.values.clone().unwrap_or_default();
    let (bv, cv, iv) = (text(bp), text(cp), text(ip));
    let merged = crate::merge(
        crate::Input::new(&names[0], bv.as_bytes()),
        crate::Input::new(&names[1], cv.as_bytes()),
        crate::Input::new(&names[2], iv.as_bytes()),
        &crate::MergeOptions::default(),
    )
    .map_err(|e| {
        let e = base.relocate(e, &names[0], bi);
        let e = current.relocate(e, &names[1], ci);
        incoming.relocate(e, &names[2], i)
    })?;
    let summary = summary(&merged);
    let conflicts = merged.conflicts.len();
    Ok(PackOutcome {
        values: (merged.text != iv).then_some(merged.text),
        conflicts,
        note: format!("{label}{}: {summary}", version_note(Some(bp), ip)),
        important: conflicts > 0,
    })
}

/// Notes for the packs of base and current that incoming does not have.
pub(crate) fn left_out(base: &Export, current: &Export, incoming: &Export) -> Vec<(String, bool)> {
    let in_incoming = |p: &Pack| incoming.packs.iter().any(|q| q.key() == p.key());
    let in_base = |p: &Pack| base.packs.iter().any(|q| q.key() == p.key());
    current
        .packs
        .iter()
        .filter(|p| !in_incoming(p))
        .map(|p| {
            let why = if in_base(p) {
                "removed by incoming: left out of the result"
            } else {
                "only in current (not in incoming): left out of the result; add it again after the upgrade"
            };
            (format!("{}: {why}", p.label()), true)
        })
        .collect()
}
