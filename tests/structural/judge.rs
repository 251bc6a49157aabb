//! Merging a triple and checking the result against what its edits say.
//!
//! A triple is merged with each layout (incoming, the default, and
//! current); an overlapping one also with `--prefer current` and
//! `--prefer incoming`. Every merge without `--prefer`:
//!
//! - is never worse than `git merge-file -p current base incoming`: where
//!   git is clean and right, yamerge is clean with the same bytes (the
//!   judge of `versus_git_lines.rs`, `git_judge`);
//! - when it conflicts, writes git's standard markers around the
//!   conflict's own sections, and loses no change: resolved to a side
//!   (each conflict replaced by that side's section), it holds each of
//!   that side's edits as the side or the full merge writes it.
//!
//! An overlapping triple must conflict without `--prefer`. Every other
//! merge should be clean (a conflict is reported, not a failure), and a
//! clean result must:
//!
//! - parse, and hold the expected data: base's with the applied edits'
//!   effects (insertions at one place: current's first), compared with keys
//!   sorted (`common::canonical_data`); keys in order are reported only;
//! - keep every untouched base line: a base line is *touched* when an
//!   applied edit replaces any of its bytes (its line break included) or
//!   inserts inside it (not at its start); every other base line must be a
//!   whole line of the result, and they must come in base's order;
//! - show each applied edit's new text byte for byte: the whole lines of
//!   the expected text (base with the applied edits) that hold it (for a
//!   removal inside a line: the line it leaves) must be consecutive whole
//!   lines of the result;
//! - not bring back a line an edit removed: such a line appears in the
//!   result no more often than in the expected text.
//!
//! The applied edits are all of them, or for `--prefer` all but the other
//! side's overlapping edit; with `--prefer` only the laws about the text
//! hold (`Class::is_law`).

use std::ops::Range;

use std::sync::OnceLock;

use yamerge::{Input, MergeOptions, MergeResult, Method, Side, merge};

use crate::git_judge::{self, Git, Triple, git_merge, judge_layout};

use super::case::Case;
use super::data::{self, Effect};
use super::{Edit, Kind, apply_text, current_first, scratch, side_name, yamerge_side};

/// How a triple is merged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Spec {
    pub layout: Side,
    /// `--prefer` this side ([`super::CURRENT`] or [`super::INCOMING`]).
    pub prefer: Option<usize>,
}

impl Spec {
    pub fn name(&self) -> String {
        let prefer = self
            .prefer
            .map_or(String::new(), |s| format!(", --prefer {}", side_name(s)));
        format!("layout {}{prefer}", self.layout.name())
    }
}

/// The merges a triple gets.
pub fn specs(case: &Case) -> Vec<Spec> {
    let prefers: &[Option<usize>] = if case.overlap().is_some() {
        &[None, Some(0), Some(1)]
    } else {
        &[None]
    };
    [Side::Incoming, Side::Current]
        .iter()
        .flat_map(|&layout| prefers.iter().map(move |&prefer| Spec { layout, prefer }))
        .collect()
}

/// What went wrong, most severe first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// The merge refused three valid inputs.
    Error,
    /// Clean, but the data differ from the expected: a change lost or
    /// something invented, without a word.
    SilentDataLoss,
    /// Overlapping edits merged cleanly: one side's change dropped.
    MissedConflict,
    /// Conflicted, and a side's change is neither in the merged text nor
    /// in that side's section of a conflict.
    LostInConflict,
    /// Worse than `git merge-file`: git is clean and right, yamerge
    /// conflicts or gives other bytes (`git_judge`).
    WorseThanGit,
    /// Conflict markers that are not git's standard ones, or sections that
    /// are not the conflict's texts.
    NonstandardConflict,
    /// Clean, but the result does not parse.
    CleanUnparsable,
    /// An untouched base line is missing or out of order.
    UntouchedLost,
    /// An edit's new text is not in the result as written.
    TextMissing,
    /// A line an edit removed is back.
    RemovalUndone,
    /// `--prefer` resolved a conflict, and an edit of the other side that
    /// overlaps nothing went with it (reported, not a law: `--prefer`
    /// takes a side's whole conflict, as coarse as today's conflicts are).
    PreferLostEdit,
    /// Edits that do not overlap conflict (reported, not a law: a conflict
    /// is honest; where git is clean and right, [`Class::WorseThanGit`]).
    NeedlessConflict,
    /// Same data, other key order (reported, not a law until issue #15's
    /// three-way merge of key order lands), or other order of documents
    /// both sides inserted at one place.
    KeyOrder,
}

impl Class {
    pub const ALL: [Class; 13] = [
        Class::Error,
        Class::SilentDataLoss,
        Class::MissedConflict,
        Class::LostInConflict,
        Class::WorseThanGit,
        Class::NonstandardConflict,
        Class::CleanUnparsable,
        Class::UntouchedLost,
        Class::TextMissing,
        Class::RemovalUndone,
        Class::PreferLostEdit,
        Class::NeedlessConflict,
        Class::KeyOrder,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Class::Error => "error",
            Class::SilentDataLoss => "silent-data-loss",
            Class::MissedConflict => "missed-conflict",
            Class::LostInConflict => "lost-in-conflict",
            Class::WorseThanGit => "worse-than-git",
            Class::NonstandardConflict => "nonstandard-conflict",
            Class::CleanUnparsable => "clean-unparsable",
            Class::UntouchedLost => "untouched-line-lost",
            Class::TextMissing => "new-text-missing",
            Class::RemovalUndone => "removal-undone",
            Class::PreferLostEdit => "prefer-lost-edit",
            Class::NeedlessConflict => "needless-conflict",
            Class::KeyOrder => "key-order",
        }
    }

    /// A clean result that lost or invented data.
    pub fn is_silent_loss(self) -> bool {
        matches!(
            self,
            Class::SilentDataLoss | Class::MissedConflict | Class::LostInConflict
        )
    }

    /// Whether a failure of this class breaks a law of the test (the rest
    /// are counted and shown). With `--prefer` the other side's edits may
    /// go with a conflict, so only the laws about the text hold.
    pub fn is_law(self, spec: Spec) -> bool {
        match self {
            Class::PreferLostEdit | Class::NeedlessConflict | Class::KeyOrder => false,
            Class::SilentDataLoss | Class::TextMissing | Class::RemovalUndone => {
                spec.prefer.is_none()
            }
            _ => true,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Failure {
    pub class: Class,
    /// Says which kind of edit, in general terms: failures with the same
    /// class and detail are one pattern.
    pub detail: String,
    /// The edits it is blamed on (indexes into the triple's edits).
    pub blame: Vec<usize>,
    /// The particulars: a path, a line, a conflict.
    pub note: String,
}

impl Failure {
    fn new(class: Class, detail: impl Into<String>, blame: Vec<usize>, note: String) -> Self {
        Failure {
            class,
            detail: detail.into(),
            blame,
            note,
        }
    }

    pub fn pattern(&self) -> (Class, String) {
        (self.class, self.detail.clone())
    }
}

/// One merge of a triple and its failures.
pub struct Run {
    pub spec: Spec,
    pub failures: Vec<Failure>,
    pub output: String,
    /// Clean by the line fallback (counted, not judged).
    pub by_lines: bool,
    /// The result is the expected text byte for byte (counted, not judged).
    pub exact: bool,
}

/// What merges must give for one set of applied edits.
pub struct Expect {
    pub prefer: Option<usize>,
    /// The applied edits (indexes into the triple's edits).
    pub set: Vec<usize>,
    /// Base with them applied.
    pub text: String,
    /// Where each applied edit's new text is in `text` (by edit index).
    ranges: Vec<Option<Range<usize>>>,
    pub data: Vec<data::Node>,
    sorted: String,
    ordered: String,
}

impl Expect {
    fn new(case: &Case, prefer: Option<usize>, set: Vec<usize>) -> Expect {
        let edits = current_first(set.iter().map(|&i| &case.edits[i]));
        let (text, landed) = apply_text(&case.base.text, &edits).expect("checked when made");
        let mut ranges = vec![None; case.edits.len()];
        for (e, r) in edits.iter().zip(landed) {
            let i = index_of(case, e);
            ranges[i] = Some(r);
        }
        let effects: Vec<&Effect> = edits.iter().map(|e| &e.effect).collect();
        let data = data::apply(&case.base.data, &effects).expect("checked when made");
        Expect {
            prefer,
            sorted: data::canon(&data, true),
            ordered: data::canon(&data, false),
            set,
            text,
            ranges,
            data,
        }
    }
}

fn index_of(case: &Case, e: &Edit) -> usize {
    case.edits
        .iter()
        .position(|x| std::ptr::eq(x, e))
        .expect("an edit of the case")
}

/// A triple ready to be merged every way.
pub struct Judge<'a> {
    pub case: &'a Case,
    pub texts: [String; 2],
    pub expects: Vec<Expect>,
    /// What `git merge-file` made of the triple, run once.
    git: OnceLock<Option<Git>>,
}

impl<'a> Judge<'a> {
    pub fn new(case: &'a Case) -> Self {
        Judge {
            case,
            texts: [case.side_text(0), case.side_text(1)],
            expects: case
                .expectation_sets()
                .into_iter()
                .map(|(prefer, set)| Expect::new(case, prefer, set))
                .collect(),
            git: OnceLock::new(),
        }
    }

    pub fn all(&self) -> Vec<Run> {
        specs(self.case).into_iter().map(|s| self.run(s)).collect()
    }

    /// The expectation of a clean merge with `spec`.
    pub fn expect(&self, spec: Spec) -> &Expect {
        self.expects
            .iter()
            .find(|e| e.prefer == spec.prefer)
            .unwrap_or(&self.expects[0])
    }

    pub fn merge(&self, spec: Spec) -> yamerge::Result<MergeResult> {
        let opts = MergeOptions {
            layout: spec.layout,
            prefer: spec.prefer.map(yamerge_side),
            ..MergeOptions::default()
        };
        merge(
            Input::new("base", self.case.base.text.as_bytes()),
            Input::new("current", self.texts[0].as_bytes()),
            Input::new("incoming", self.texts[1].as_bytes()),
            &opts,
        )
    }

    pub fn run(&self, spec: Spec) -> Run {
        let mut run = Run {
            spec,
            failures: Vec::new(),
            output: String::new(),
            by_lines: false,
            exact: false,
        };
        if spec.prefer.is_none() {
            run.failures.extend(self.versus_git(spec.layout));
        }
        let r = match self.merge(spec) {
            Ok(r) => r,
            Err(e) => {
                let first = e.to_string().lines().next().unwrap_or("").to_string();
                run.failures
                    .push(Failure::new(Class::Error, "merge error", Vec::new(), first));
                return run;
            }
        };
        run.output = r.text.clone();
        run.by_lines = r.method == Method::Lines;
        if !r.is_clean() {
            run.failures.extend(check_markers(&r));
            if spec.prefer.is_none() {
                run.failures.extend(self.check_kept(&r.text));
            }
        }
        if self.case.overlap().is_some() && spec.prefer.is_none() {
            if r.is_clean() {
                run.failures.push(self.missed_conflict(&r.text));
            }
            return run;
        }
        let expect = self.expect(spec);
        run.exact = r.text == expect.text;
        if !r.is_clean() {
            run.failures.push(self.needless_conflict(&r));
            return run;
        }
        self.check_clean(expect, &r.text, &mut run.failures);
        run
    }

    /// The triple as `git_judge` takes it.
    fn triple(&self) -> Triple {
        Triple {
            index: self.case.index,
            base: self.case.base.text.clone(),
            current: self.texts[0].clone(),
            incoming: self.texts[1].clone(),
        }
    }

    /// yamerge with `layout` against `git merge-file` on the triple: a
    /// failure where git is clean and right and yamerge is not the same
    /// bytes. Nothing when git cannot be run.
    fn versus_git(&self, layout: Side) -> Option<Failure> {
        let git = self
            .git
            .get_or_init(|| scratch::with_dir(|dir| git_merge(dir, &self.triple())));
        let outcome = judge_layout(&self.triple(), git.as_ref()?, layout);
        let f = outcome.finding.filter(git_judge::Finding::counts)?;
        let detail = match f.detail {
            "" => f.class.name().to_string(),
            d => format!("{}: {d}", f.class.name()),
        };
        let note = f.ours_lost.unwrap_or_default();
        Some(Failure::new(Class::WorseThanGit, detail, Vec::new(), note))
    }

    /// Every edit of each side is in the conflicted result resolved to that
    /// side (each conflict replaced by that side's section): as it stands
    /// in the side's text, or as the merge with every edit has it; and a
    /// line a side removed is not there more often than in the side's text.
    fn check_kept(&self, output: &str) -> Vec<Failure> {
        let case = self.case;
        let resolved = [resolve(output, 0), resolve(output, 1)];
        (0..case.edits.len())
            .filter(|&i| !order_only(case, i))
            .filter_map(|i| {
                let e = &case.edits[i];
                let text = &resolved[e.side];
                let kept = if removes_lines(case, i) {
                    let removed = &case.base.text[e.span.clone()];
                    let count =
                        |t: &str, l: &str| t.split_inclusive('\n').filter(|x| *x == l).count();
                    let side = &self.texts[e.side];
                    removed
                        .split_inclusive('\n')
                        .all(|l| count(text, l) <= count(side, l))
                } else {
                    let mut witnesses = vec![self.side_witness(i)];
                    witnesses.extend(
                        self.expects
                            .iter()
                            .filter_map(|x| witness(case, x, i).map(str::to_string)),
                    );
                    witnesses.iter().any(|w| has_lines(text, w))
                };
                (!kept).then(|| {
                    let detail = format!("{}'s {}", side_name(e.side), e.kind.name());
                    let note = format!("not in the result resolved to {}", side_name(e.side));
                    Failure::new(Class::LostInConflict, detail, vec![i], note)
                })
            })
            .collect()
    }

    /// The whole lines of edit `i`'s side's text that hold its new text.
    fn side_witness(&self, i: usize) -> String {
        let case = self.case;
        let side = case.edits[i].side;
        let edits: Vec<&Edit> = case.edits.iter().filter(|e| e.side == side).collect();
        let (text, ranges) = apply_text(&case.base.text, &edits).expect("checked when made");
        let k = edits
            .iter()
            .position(|e| std::ptr::eq(*e, &case.edits[i]))
            .expect("an edit of its side");
        lines_around(&text, ranges[k].clone()).to_string()
    }

    fn missed_conflict(&self, text: &str) -> Failure {
        let got = data::load(text).map(|d| data::canon(&d, true));
        let took = self
            .expects
            .iter()
            .find(|e| got.as_ref().is_ok_and(|g| *g == e.sorted))
            .and_then(|e| e.prefer)
            .map_or("neither side's value".to_string(), |s| {
                format!("{}'s value", side_name(s))
            });
        let [a, b] = self.case.overlap().expect("an overlapping triple");
        let kinds = format!(
            "{} vs {}",
            self.case.edits[a].kind.name(),
            self.case.edits[b].kind.name()
        );
        Failure::new(
            Class::MissedConflict,
            format!("{kinds}: clean, took {took}"),
            vec![a, b],
            format!("at {}", self.case.base.name(&self.case.edits[a].at)),
        )
    }

    /// Blames the edits whose new text (or, for a removal, whose removed
    /// text) is in a conflict's sections.
    fn needless_conflict(&self, r: &MergeResult) -> Failure {
        let case = self.case;
        let blamed: Vec<usize> = (0..case.edits.len())
            .filter(|&i| {
                let e = &case.edits[i];
                r.conflicts.iter().any(|c| {
                    let new = e.text.trim();
                    let old = case.base.text[e.span.clone()].trim();
                    (!new.is_empty() && (c.current.contains(new) || c.incoming.contains(new)))
                        || (new.is_empty() && !old.is_empty() && c.base.contains(old))
                })
            })
            .collect();
        let featured = case
            .featured
            .filter(|p| p.iter().any(|i| blamed.contains(i)));
        let detail = match featured {
            Some(pair) => kinds_of(case, &pair),
            None if blamed.is_empty() => "unattributed".to_string(),
            None => kinds_of(case, &blamed),
        };
        let paths: Vec<&str> = r.conflicts.iter().map(|c| c.path.as_str()).collect();
        let note = format!("{} conflict(s) at {paths:?}", r.conflicts.len());
        Failure::new(Class::NeedlessConflict, detail, blamed, note)
    }

    fn check_clean(&self, expect: &Expect, output: &str, failures: &mut Vec<Failure>) {
        let parsed = yamerge::syntax::parse("result", output.as_bytes())
            .map_err(|e| e.to_string())
            .and_then(|_| data::load(output));
        let got = match parsed {
            Ok(got) => got,
            Err(e) => {
                let first = e.lines().next().unwrap_or("").to_string();
                failures.push(Failure::new(
                    Class::CleanUnparsable,
                    "result does not parse",
                    Vec::new(),
                    first,
                ));
                return;
            }
        };
        let mut data = self.check_data(expect, &got);
        if let Some(f) = data.as_mut().filter(|_| expect.prefer.is_some())
            && f.class == Class::SilentDataLoss
        {
            f.class = Class::PreferLostEdit;
        }
        failures.extend(data);
        failures.extend(self.check_untouched(expect, output));
        failures.extend(self.check_new_text(expect, output));
        failures.extend(self.check_removals(expect, output));
    }

    fn check_data(&self, expect: &Expect, got: &[data::Node]) -> Option<Failure> {
        if data::canon(got, true) != expect.sorted {
            // Documents both sides inserted at one place: git's line merge
            // can order them either way, cleanly, and yamerge follows git
            // there; their order is reported, not judged.
            let docs = |d: &[data::Node]| {
                let mut v: Vec<String> = d.iter().map(|n| n.canon(true)).collect();
                v.sort();
                v
            };
            if docs(got) == docs(&expect.data) {
                let note = String::new();
                return Some(Failure::new(
                    Class::KeyOrder,
                    "documents in another order",
                    Vec::new(),
                    note,
                ));
            }
            return Some(self.attribute(expect, got));
        }
        (data::canon(got, false) != expect.ordered).then(|| {
            Failure::new(
                Class::KeyOrder,
                "keys in another order",
                Vec::new(),
                String::new(),
            )
        })
    }

    /// Which edit a data difference comes from: one whose effect, left
    /// out, gives the result's data ("lost"); else the first whose node
    /// differs ("wrong at"); else none ("outside every edit").
    fn attribute(&self, expect: &Expect, got: &[data::Node]) -> Failure {
        let case = self.case;
        let got_sorted = data::canon(got, true);
        let data_edits: Vec<usize> = expect
            .set
            .iter()
            .copied()
            .filter(|&i| !matches!(case.edits[i].effect, Effect::None))
            .collect();
        let without = |skip: usize| {
            let edits = current_first(
                expect
                    .set
                    .iter()
                    .filter(|&&i| i != skip)
                    .map(|&i| &case.edits[i]),
            );
            let effects: Vec<&Effect> = edits.iter().map(|e| &e.effect).collect();
            data::apply(&case.base.data, &effects).map(|d| data::canon(&d, true))
        };
        let describe = |i: usize| {
            format!(
                "{}'s {}",
                side_name(case.edits[i].side),
                case.edits[i].kind.name()
            )
        };
        let note = |i: usize| format!("at {}", case.base.name(&case.edits[i].at));
        if let Some(&i) = data_edits
            .iter()
            .find(|&&i| without(i) == Some(got_sorted.clone()))
        {
            return Failure::new(
                Class::SilentDataLoss,
                format!("lost {}", describe(i)),
                vec![i],
                note(i),
            );
        }
        for &i in &data_edits {
            let Some(steps) = case.edits[i]
                .effect
                .locus()
                .and_then(|l| data::steps_to(&expect.data, &l))
            else {
                continue;
            };
            let want = data::at(&expect.data, &steps).map(|n| n.canon(true));
            let have = data::at(got, &steps).map(|n| n.canon(true));
            if want != have {
                let n = format!("{}: expected {want:?}, got {have:?}", note(i));
                return Failure::new(
                    Class::SilentDataLoss,
                    format!("wrong at {}", describe(i)),
                    vec![i],
                    n,
                );
            }
        }
        Failure::new(
            Class::SilentDataLoss,
            "outside every edit",
            Vec::new(),
            first_difference(&expect.sorted, &got_sorted),
        )
    }

    fn check_untouched(&self, expect: &Expect, output: &str) -> Option<Failure> {
        let base = &self.case.base;
        let mut touched = vec![false; base.line_starts.len()];
        for &i in &expect.set {
            for l in self.case.edits[i].lines(base) {
                touched[l] = true;
            }
        }
        let mut out = output.split_inclusive('\n');
        let missing = (0..touched.len()).filter(|&l| !touched[l]).find(|&l| {
            let want = &base.text[base.line(l)];
            !out.any(|o| o == want)
        })?;
        let near = self.nearest_edit(expect, base.line_starts[missing]);
        let what = if base.is_blank_line(missing) {
            "blank"
        } else if base.is_comment_line(missing) {
            "comment"
        } else {
            "content"
        };
        let detail = format!(
            "{what} line near {}",
            near.map_or("no edit".into(), |i| format!(
                "{}'s {}",
                side_name(self.case.edits[i].side),
                self.case.edits[i].kind.name()
            ))
        );
        let note = format!("base line {}: {:?}", missing + 1, base.line_text(missing));
        Some(Failure::new(
            Class::UntouchedLost,
            detail,
            near.into_iter().collect(),
            note,
        ))
    }

    fn nearest_edit(&self, expect: &Expect, pos: usize) -> Option<usize> {
        expect.set.iter().copied().min_by_key(|&i| {
            let s = &self.case.edits[i].span;
            if pos < s.start {
                s.start - pos
            } else {
                pos.saturating_sub(s.end)
            }
        })
    }

    fn check_new_text(&self, expect: &Expect, output: &str) -> Vec<Failure> {
        let case = self.case;
        expect
            .set
            .iter()
            .filter(|&&i| !order_only(case, i))
            .filter_map(|&i| {
                let w = witness(case, expect, i)?;
                (!has_lines(output, w)).then(|| {
                    let e = &case.edits[i];
                    let detail = format!("{}'s {}", side_name(e.side), e.kind.name());
                    Failure::new(
                        Class::TextMissing,
                        detail,
                        vec![i],
                        format!("expected lines {w:?}"),
                    )
                })
            })
            .collect()
    }

    fn check_removals(&self, expect: &Expect, output: &str) -> Vec<Failure> {
        let case = self.case;
        let count =
            |text: &str, line: &str| text.split_inclusive('\n').filter(|l| *l == line).count();
        expect
            .set
            .iter()
            .filter(|&&i| removes_lines(case, i))
            .filter_map(|&i| {
                let e = &case.edits[i];
                let removed = &case.base.text[e.span.clone()];
                let back = removed
                    .split_inclusive('\n')
                    .find(|l| count(output, l) > count(&expect.text, l))?;
                let detail = format!("{}'s {}", side_name(e.side), e.kind.name());
                Some(Failure::new(
                    Class::RemovalUndone,
                    detail,
                    vec![i],
                    format!("line {back:?} is back"),
                ))
            })
            .collect()
    }
}

/// The edit only reorders keys: the data laws see it (keys compared
/// sorted), the text laws do not, since key order is not merged three-way
/// yet (issue #15's pattern 7: with `--layout current` a reorder is dropped).
fn order_only(case: &Case, i: usize) -> bool {
    case.edits[i].kind == Kind::ReorderKeys
}

/// The edit removes whole lines (and writes nothing).
fn removes_lines(case: &Case, i: usize) -> bool {
    let e = &case.edits[i];
    let base = &case.base;
    e.text.is_empty()
        && !e.span.is_empty()
        && base.is_line_start(e.span.start)
        && (base.is_line_start(e.span.end) || e.span.end == base.text.len())
}

/// The whole lines of the expected text that hold edit `i`'s new text (or
/// the line a removal inside a line leaves); `None` for a removal of whole
/// lines.
fn witness<'e>(case: &Case, expect: &'e Expect, i: usize) -> Option<&'e str> {
    if removes_lines(case, i) {
        return None;
    }
    let r = expect.ranges[i].clone()?;
    Some(lines_around(&expect.text, r))
}

/// The whole lines of `t` that hold the bytes `r` (for an empty range: the
/// line it stands in).
fn lines_around(t: &str, r: Range<usize>) -> &str {
    let start = t[..r.start].rfind('\n').map_or(0, |p| p + 1);
    let end = if r.end > r.start && t[..r.end].ends_with('\n') {
        r.end
    } else {
        t[r.end..].find('\n').map_or(t.len(), |p| r.end + p + 1)
    };
    &t[start..end]
}

/// `text` with each conflict replaced by `side`'s section (0: current, 1:
/// incoming).
pub fn resolve(text: &str, side: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut part: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        match part {
            None if line.starts_with("<<<<<<< ") => part = Some(0),
            Some(_) if line.starts_with("||||||| ") => part = Some(2),
            Some(_) if line.trim_end() == "=======" => part = Some(1),
            Some(_) if line.starts_with(">>>>>>> ") => part = None,
            Some(p) if p != side => {}
            _ => out.push_str(line),
        }
    }
    out
}

/// The conflicts are git's: `<<<<<<< `, an optional `||||||| `,
/// `=======` and `>>>>>>> ` lines in that order at the lines the
/// conflict says, with its sections between them, and no marker line
/// outside a conflict.
pub fn check_markers(r: &MergeResult) -> Option<Failure> {
    let lines: Vec<&str> = r.text.split_inclusive('\n').collect();
    let bad = |why: String| {
        Some(Failure::new(
            Class::NonstandardConflict,
            "markers",
            Vec::new(),
            why,
        ))
    };
    let is_marker = |l: &str| {
        ["<<<<<<< ", "||||||| ", ">>>>>>> "]
            .iter()
            .any(|m| l.starts_with(m))
            || l.trim_end() == "======="
    };
    let mut next = 0;
    for c in &r.conflicts {
        let (a, b) = (c.start_line.wrapping_sub(1), c.end_line.wrapping_sub(1));
        if a < next || b >= lines.len() || a >= b {
            return bad(format!(
                "conflict at lines {}..{} out of place",
                c.start_line, c.end_line
            ));
        }
        if let Some(l) = lines[next..a].iter().find(|l| is_marker(l)) {
            return bad(format!("marker outside a conflict: {l:?}"));
        }
        let body = &lines[a + 1..b];
        let mid = body.iter().position(|l| l.trim_end() == "=======");
        let ok = lines[a].starts_with("<<<<<<< ") && lines[b].starts_with(">>>>>>> ");
        let Some(mid) = mid.filter(|_| ok) else {
            return bad(format!(
                "conflict at line {}: not <<<<<<< ======= >>>>>>>",
                c.start_line
            ));
        };
        let ours_end = body[..mid]
            .iter()
            .position(|l| l.starts_with("||||||| "))
            .unwrap_or(mid);
        let same = |got: &[&str], want: &str| {
            got.concat().trim_end_matches(['\n', '\r']) == want.trim_end_matches(['\n', '\r'])
        };
        if !same(&body[..ours_end], &c.current) || !same(&body[mid + 1..], &c.incoming) {
            return bad(format!(
                "conflict at line {}: sections are not its texts",
                c.start_line
            ));
        }
        next = b + 1;
    }
    let stray = lines[next.min(lines.len())..]
        .iter()
        .find(|l| is_marker(l))?;
    bad(format!("marker outside a conflict: {stray:?}"))
}

/// `w` (whole lines) stands in `text` as whole lines.
pub fn has_lines(text: &str, w: &str) -> bool {
    text.match_indices(w).any(|(at, _)| {
        let starts = at == 0 || text.as_bytes()[at - 1] == b'\n';
        let after = &text[at + w.len()..];
        let ends = w.ends_with('\n') || after.is_empty() || after.starts_with(['\n', '\r']);
        starts && ends
    })
}

/// The kinds of the edits, sorted, as one detail: `change-scalar +
/// eol-comment-add`.
fn kinds_of(case: &Case, edits: &[usize]) -> String {
    let mut kinds: Vec<Kind> = edits.iter().map(|&i| case.edits[i].kind).collect();
    kinds.sort();
    kinds.dedup();
    kinds
        .iter()
        .map(|k| k.name())
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Where two canonical texts part, with a little context.
fn first_difference(want: &str, got: &str) -> String {
    let at = want
        .char_indices()
        .zip(got.chars())
        .take_while(|((_, a), b)| a == b)
        .last()
        .map_or(0, |((i, c), _)| i + c.len_utf8());
    let from = want[..at]
        .char_indices()
        .rev()
        .nth(40)
        .map_or(0, |(i, _)| i);
    let snippet = |s: &str| s[from..].chars().take(100).collect::<String>();
    format!("expected …{:?}, got …{:?}", snippet(want), snippet(got))
}
