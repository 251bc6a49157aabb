//! Palette cluster-profile exports: where each pack's `values` live, and how
//! to write new values into an export without touching anything else.
//!
//! Two shapes are read (see `docs/palette.md`):
//! - JSON, the profile import/API object: `spec.template.packs[]`, each with
//!   `name`, `layer`, `version`, `tag` and `values` (the pack's YAML as one
//!   string);
//! - YAML, the export used by Terraform modules: top-level `packs[]` with the
//!   same fields and `values: |-` block scalars.
//!
//! Either shape may hold its packs at `spec.template.packs` or at `packs`.
//!
//! Writing splices: only the `values` of the packs that change are replaced
//! (for JSON the string token, escaped the way the file escapes; for YAML the
//! block scalar's header and content lines, re-indented like the original),
//! every other byte of the export stays as it was. The result is read back
//! and each pack's values compared with what was meant to be written.

use std::collections::BTreeMap;

use serde_json::value::RawValue;

use crate::error::{Error, Location, Result};
use crate::syntax::{NO_NODE, NodeId, NodeKind, ScalarStyle, Tree};

/// One pack of an export.
#[derive(Debug, Clone)]
pub(crate) struct Pack {
    /// The pack name (`kubernetes`, `cni-calico`, ...).
    pub name: String,
    /// The layer (`os`, `k8s`, `cni`, `csi`, `addon`); empty when absent.
    pub layer: String,
    /// The pack version (or tag), when given.
    pub version: Option<String>,
    /// The pack's values YAML; `None` when the pack has no (or a null) `values`.
    pub values: Option<String>,
    slot: Slot,
}

impl Pack {
    /// `layer/name`, how packs are named in reports.
    pub(crate) fn label(&self) -> String {
        if self.layer.is_empty() {
            self.name.clone()
        } else {
            format!("{}/{}", self.layer, self.name)
        }
    }

    /// The key packs are matched by.
    pub(crate) fn key(&self) -> (&str, &str) {
        (&self.name, &self.layer)
    }
}

/// Where a pack's values are in the export's text.
#[derive(Debug, Clone, Copy)]
enum Slot {
    /// JSON: the byte range of the `values` token (a string or `null`).
    Json { start: usize, end: usize },
    /// YAML: the value node of the `values` entry, and the column of the
    /// pack's mapping.
    Yaml {
        key: NodeId,
        node: NodeId,
        map_col: u32,
    },
    /// The pack has no `values` field.
    Missing,
}

/// A cluster-profile export read from a file.
#[derive(Debug, Clone)]
pub(crate) struct Export {
    /// The name given when reading (for messages).
    pub name: String,
    text: String,
    /// The syntax tree of a YAML export (`None` for JSON).
    tree: Option<Tree>,
    /// The packs, in the order of the file.
    pub packs: Vec<Pack>,
}

impl Export {
    /// Reads an export: JSON when the text starts with `{`, YAML otherwise.
    pub(crate) fn read(name: &str, bytes: &[u8]) -> Result<Export> {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| Error::syntax_at(name, bytes, e.valid_up_to(), "not UTF-8 text"))?
            .to_string();
        let body = text.trim_start_matches('\u{feff}').trim_start();
        let mut export = if body.starts_with('{') {
            let packs = read_json(name, &text)?;
            Export {
                name: name.to_string(),
                text,
                tree: None,
                packs,
            }
        } else {
            let tree = crate::syntax::parse(name, bytes)?;
            let packs = read_yaml(name, &tree)?;
            Export {
                name: name.to_string(),
                text,
                tree: Some(tree),
                packs,
            }
        };
        export.check_unique()?;
        Ok(export)
    }

    fn check_unique(&mut self) -> Result<()> {
        let mut seen = std::collections::HashSet::new();
        for p in &self.packs {
            if !seen.insert(p.key()) {
                return Err(Error::Usage(format!(
                    "{}: pack `{}` appears twice; packs are matched by name and layer",
                    self.name,
                    p.label()
                )));
            }
        }
        Ok(())
    }

    /// The name the values of pack `pack` are parsed under (and errors
    /// mention).
    pub(crate) fn values_name(&self, pack: usize) -> String {
        format!(
            "{} (values of pack {})",
            self.name,
            self.packs[pack].label()
        )
    }

    /// Moves a syntax error found in the values of pack `pack` (parsed under
    /// `name`) to its place in the export.
    pub(crate) fn relocate(&self, e: Error, name: &str, pack: usize) -> Error {
        match e {
            Error::Syntax { at, reason } if at.file == name => Error::Syntax {
                at: self.locate(pack, &at),
                reason,
            },
            other => other,
        }
    }

    /// The export with the values of some packs replaced: `new[i]` is the new
    /// values of `packs[i]` (`None`: unchanged). Every other byte is kept.
    /// Errors when a pack without a `values` field would need new values.
    pub(crate) fn with_values(&self, new: &[Option<String>]) -> Result<String> {
        let mut quoted = vec![false; self.packs.len()];
        // First try each pack in its file's own style; a pack whose values
        // would not read back the same is written as a quoted string instead.
        for _ in 0..2 {
            let text = self.splice(new, &quoted)?;
            let back = Export::read(&self.name, text.as_bytes()).map_err(|e| {
                Error::Internal(format!(
                    "{}: the export with merged values would not be valid ({e})",
                    self.name
                ))
            })?;
            let mut all_good = true;
            for (i, want) in new.iter().enumerate() {
                let Some(want) = want else { continue };
                let got = back.packs.get(i).and_then(|p| p.values.as_deref());
                if got != Some(want.as_str()) {
                    all_good = false;
                    if quoted[i] {
                        return Err(Error::Internal(format!(
                            "{}: could not write the merged values of pack `{}`",
                            self.name,
                            self.packs[i].label()
                        )));
                    }
                    quoted[i] = true;
                }
            }
            if all_good {
                return Ok(text);
            }
        }
        Err(Error::Internal(format!(
            "{}: could not write the merged values",
            self.name
        )))
    }

    fn splice(&self, new: &[Option<String>], quoted: &[bool]) -> Result<String> {
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        for (i, (pack, value)) in self.packs.iter().zip(new).enumerate() {
            let Some(value) = value else { continue };
            if pack.values.as_deref() == Some(value.as_str()) {
                continue;
            }
            match pack.slot {
                Slot::Missing => {
                    return Err(Error::Usage(format!(
                        "{}: pack `{}` has no `values` field to write the merged values into",
                        self.name,
                        pack.label()
                    )));
                }
                Slot::Json { start, end } => {
                    let style = JsonStyle::of(&self.text);
                    edits.push((start, end, style.quote(value)));
                }
                Slot::Yaml { key, node, map_col } => {
                    let tree = self.tree.as_ref().ok_or_else(|| {
                        Error::Internal(format!("{}: YAML export without its tree", self.name))
                    })?;
                    edits.push(yaml_edit(tree, key, node, map_col, value, quoted[i]));
                }
            }
        }
        edits.sort_by_key(|e| e.0);
        let mut out = String::with_capacity(self.text.len());
        let mut at = 0;
        for (start, end, text) in edits {
            out.push_str(&self.text[at..start]);
            out.push_str(&text);
            at = end;
        }
        out.push_str(&self.text[at..]);
        Ok(out)
    }

    /// Turns a location inside a pack's values into one in the export: the
    /// real line and column for YAML block scalars, otherwise the file name
    /// with the pack and the position inside its values.
    pub(crate) fn locate(&self, pack: usize, at: &Location) -> Location {
        let p = &self.packs[pack];
        if let (Slot::Yaml { node, .. }, Some(tree)) = (p.slot, &self.tree) {
            let n = tree.node(node);
            if matches!(n.style, ScalarStyle::Literal | ScalarStyle::Folded)
                && let Some(indent) = block_indent(tree, node)
            {
                let header = crate::error::location_of("", self.text.as_bytes(), n.start as usize);
                return Location {
                    file: self.name.clone(),
                    line: header.line + at.line,
                    col: at.col + indent,
                };
            }
        }
        Location {
            file: format!("{} (values of pack {})", self.name, p.label()),
            line: at.line,
            col: at.col,
        }
    }
}

// ----- JSON ------------------------------------------------------------------

type JsonObject<'a> = BTreeMap<String, &'a RawValue>;

fn json_error(name: &str, e: &serde_json::Error) -> Error {
    let mut reason = e.to_string();
    // serde_json appends " at line L column C"; the location says it already.
    if let Some(i) = reason.rfind(" at line ") {
        reason.truncate(i);
    }
    Error::Syntax {
        at: Location {
            file: name.to_string(),
            line: e.line().max(1),
            col: e.column().max(1),
        },
        reason,
    }
}

/// Where a raw value (borrowed from `text`) starts in `text`.
fn json_offset(text: &str, raw: &RawValue) -> usize {
    (raw.get().as_ptr() as usize)
        .saturating_sub(text.as_ptr() as usize)
        .min(text.len())
}

fn json_object<'a>(
    name: &str,
    text: &str,
    raw: &'a RawValue,
    what: &str,
) -> Result<JsonObject<'a>> {
    serde_json::from_str(raw.get()).map_err(|_| {
        Error::syntax_at(
            name,
            text.as_bytes(),
            json_offset(text, raw),
            format!("`{what}` is not an object"),
        )
    })
}

fn read_json(name: &str, text: &str) -> Result<Vec<Pack>> {
    let offset = |raw: &RawValue| json_offset(text, raw);
    let object = |raw, what| json_object(name, text, raw, what);
    let root: JsonObject = serde_json::from_str(text).map_err(|e| json_error(name, &e))?;
    let template = match root.get("spec") {
        Some(spec) => object(spec, "spec")?
            .get("template")
            .map(|t| object(t, "spec.template"))
            .transpose()?,
        None => None,
    };
    let packs_raw = template
        .as_ref()
        .and_then(|t| t.get("packs"))
        .or_else(|| root.get("packs"))
        .ok_or_else(|| {
            Error::Usage(format!(
                "{name}: no `spec.template.packs` (or `packs`) list: not a cluster-profile export"
            ))
        })?;
    let items: Vec<&RawValue> = serde_json::from_str(packs_raw.get()).map_err(|_| {
        Error::syntax_at(
            name,
            text.as_bytes(),
            offset(packs_raw),
            "`packs` is not a list",
        )
    })?;
    let mut packs = Vec::with_capacity(items.len());
    for item in items {
        let fields = object(item, "packs[]")?;
        let string = |key: &str| -> Result<Option<String>> {
            match fields.get(key) {
                None => Ok(None),
                Some(raw) => match serde_json::from_str::<serde_json::Value>(raw.get()) {
                    Ok(serde_json::Value::String(s)) => Ok(Some(s)),
                    Ok(serde_json::Value::Null) => Ok(None),
                    Ok(serde_json::Value::Number(n)) if key != "values" => Ok(Some(n.to_string())),
                    _ => Err(Error::syntax_at(
                        name,
                        text.as_bytes(),
                        offset(raw),
                        format!("pack field `{key}` is not a string"),
                    )),
                },
            }
        };
        let pack_name = string("name")?.ok_or_else(|| {
            Error::syntax_at(name, text.as_bytes(), offset(item), "pack without a `name`")
        })?;
        let slot = match fields.get("values") {
            Some(raw) => Slot::Json {
                start: offset(raw),
                end: offset(raw) + raw.get().len(),
            },
            None => Slot::Missing,
        };
        packs.push(Pack {
            name: pack_name,
            layer: string("layer")?.unwrap_or_default(),
            version: string("version")?.or(string("tag")?),
            values: string("values")?,
            slot,
        });
    }
    Ok(packs)
}

/// How a JSON file escapes strings, so that new values look like the rest.
#[derive(Debug, Clone, Copy)]
struct JsonStyle {
    /// `<`, `>`, `&` as `\u003c`... (Go's encoding/json does this).
    html: bool,
    /// Everything beyond ASCII as `\uXXXX` (Python's default).
    ascii: bool,
}

impl JsonStyle {
    fn of(text: &str) -> JsonStyle {
        let lower = text.to_ascii_lowercase();
        let html = ["\\u003c", "\\u003e", "\\u0026"]
            .iter()
            .any(|e| lower.contains(e));
        let ascii = text.is_ascii()
            && lower.match_indices("\\u").any(|(i, _)| {
                lower
                    .get(i + 2..i + 6)
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .is_some_and(|c| c >= 0x80)
            });
        JsonStyle { html, ascii }
    }

    fn quote(self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('"');
        for ch in s.chars() {
            match ch {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                '<' | '>' | '&' if self.html => out.push_str(&format!("\\u{:04x}", ch as u32)),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c if self.ascii && !c.is_ascii() => {
                    let mut buf = [0u16; 2];
                    for unit in c.encode_utf16(&mut buf) {
                        out.push_str(&format!("\\u{unit:04x}"));
                    }
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }
}

// ----- YAML ------------------------------------------------------------------

fn field(tree: &Tree, map: NodeId, key: &str) -> Option<(NodeId, NodeId)> {
    if !tree.node(map).kind.is_map() {
        return None;
    }
    tree.entries(map)
        .iter()
        .find(|e| e.key != NO_NODE && crate::matching::key_text(tree, e.key) == key)
        .map(|e| (e.key, e.value))
}

fn read_yaml(name: &str, tree: &Tree) -> Result<Vec<Pack>> {
    let not_export = || {
        Error::Usage(format!(
            "{name}: no `packs` (or `spec.template.packs`) list: not a cluster-profile export"
        ))
    };
    let root = tree.documents().first().ok_or_else(not_export)?.root;
    let packs_node = field(tree, root, "spec")
        .and_then(|(_, spec)| field(tree, spec, "template"))
        .and_then(|(_, t)| field(tree, t, "packs"))
        .or_else(|| field(tree, root, "packs"))
        .map(|(_, v)| v)
        .ok_or_else(not_export)?;
    let at = |node: NodeId, reason: &str| {
        Error::syntax_at(
            name,
            tree.source().as_bytes(),
            tree.node(node).start as usize,
            reason,
        )
    };
    if !matches!(
        tree.node(packs_node).kind,
        NodeKind::BlockSeq | NodeKind::FlowSeq
    ) {
        return Err(at(packs_node, "`packs` is not a list"));
    }
    let mut packs = Vec::new();
    for item in tree.entries(packs_node) {
        let map = item.value;
        if !tree.node(map).kind.is_map() {
            return Err(at(map, "a pack is not a mapping"));
        }
        let scalar = |key: &str| -> Option<String> {
            let (_, v) = field(tree, map, key)?;
            let n = tree.node(v);
            let null = n.style == ScalarStyle::Plain
                && matches!(tree.value(v), "" | "~" | "null" | "Null" | "NULL");
            (n.kind == NodeKind::Scalar && !null).then(|| tree.value(v).to_string())
        };
        let pack_name = scalar("name").ok_or_else(|| at(map, "pack without a `name`"))?;
        let (values, slot) = match field(tree, map, "values") {
            Some((key, node)) => {
                if tree.node(node).kind != NodeKind::Scalar {
                    return Err(at(node, "pack `values` is not a string"));
                }
                (
                    scalar("values"),
                    Slot::Yaml {
                        key,
                        node,
                        map_col: tree.node(map).col,
                    },
                )
            }
            None => (None, Slot::Missing),
        };
        packs.push(Pack {
            name: pack_name,
            layer: scalar("layer").unwrap_or_default(),
            version: scalar("version").or_else(|| scalar("tag")),
            values,
            slot,
        });
    }
    Ok(packs)
}

/// The content indentation of a block scalar (from its first line with more
/// than spaces), if it has content.
fn block_indent(tree: &Tree, node: NodeId) -> Option<usize> {
    let n = tree.node(node);
    let text = tree.slice(n.start, n.end);
    text.split('\n')
        .skip(1)
        .find(|l| l.trim_matches([' ', '\r']).chars().next().is_some())
        .map(|l| l.bytes().take_while(|&b| b == b' ').count())
}

/// The replacement of a YAML `values` node: `(start, end, text)`.
fn yaml_edit(
    tree: &Tree,
    key: NodeId,
    node: NodeId,
    map_col: u32,
    value: &str,
    quoted: bool,
) -> (usize, usize, String) {
    let src = tree.source();
    let n = tree.node(node);
    let (mut start, end) = (n.start as usize, n.end as usize);
    let mut prefix = String::new();
    if n.start == n.end {
        // An empty value may borrow the next token's position: write right
        // after the key's colon instead.
        let key_end = tree.node(key).end as usize;
        let colon = src[key_end..]
            .find(':')
            .map_or(key_end, |i| key_end + i + 1);
        start = colon;
        prefix.push(' ');
        return (
            start,
            start,
            prefix + &JsonStyle::default_yaml().quote(value),
        );
    }
    let block = matches!(n.style, ScalarStyle::Literal | ScalarStyle::Folded);
    if quoted || !block {
        return (start, end, JsonStyle::default_yaml().quote(value));
    }
    // Properties (`!!str`, `&a`) stay; the header is rebuilt after them.
    let text = &src[start..end];
    let header_end = text.find(['\r', '\n']).unwrap_or(text.len());
    let header = &text[..header_end];
    let Some(ind) = header
        .char_indices()
        .find(|&(i, c)| matches!(c, '|' | '>') && (i == 0 || header.as_bytes()[i - 1] == b' '))
        .map(|(i, _)| i)
    else {
        return (start, end, JsonStyle::default_yaml().quote(value));
    };
    let after: String = header[ind + 1..]
        .chars()
        .skip_while(|c| matches!(c, '+' | '-' | '0'..='9'))
        .collect();
    let explicit: Option<usize> = header[ind + 1..]
        .chars()
        .find(|c| c.is_ascii_digit())
        .and_then(|c| c.to_digit(10))
        .map(|d| d as usize);
    let parent = map_col as usize;
    let indent = explicit
        .map(|d| parent + d)
        .or_else(|| block_indent(tree, node))
        .filter(|&i| i > parent)
        .unwrap_or(parent + 2);
    let le = tree.line_ending();
    let chomp = if !value.ends_with('\n') {
        "-"
    } else if value.ends_with("\n\n") || value == "\n" {
        "+"
    } else {
        ""
    };
    let body = value.strip_suffix('\n').unwrap_or(value);
    let first_content = body.split('\n').find(|l| !l.trim_matches(' ').is_empty());
    let leading_spaces_only = body
        .split('\n')
        .take_while(|l| l.trim_matches(' ').is_empty())
        .any(|l| !l.is_empty());
    let needs_indicator = first_content.is_some_and(|l| l.starts_with(' ')) || leading_spaces_only;
    let indicator = if needs_indicator || explicit.is_some() {
        match indent - parent {
            d @ 1..=9 => d.to_string(),
            _ => return (start, end, JsonStyle::default_yaml().quote(value)),
        }
    } else {
        String::new()
    };
    let mut out = String::with_capacity(value.len() + value.len() / 8 + 16);
    out.push_str(&header[..ind]);
    out.push('|');
    out.push_str(&indicator);
    out.push_str(chomp);
    out.push_str(&after);
    if !value.is_empty() {
        let kept = kept_lines(tree, node, &text[header_end..], indent, body);
        for (line, original) in body.split('\n').zip(kept) {
            out.push_str(le);
            match original {
                // A line the merge left alone keeps its bytes (a blank line
                // keeps the indentation it had, say).
                Some(original) => out.push_str(original),
                None if line.is_empty() => {}
                None => {
                    out.extend(std::iter::repeat_n(' ', indent));
                    out.push_str(line);
                }
            }
        }
    }
    if end > 0 && src.as_bytes()[end - 1] == b'\n' {
        // The original ran over its line break (keep chomping).
        out.push_str(le);
    }
    (start, end, out)
}

/// For each line of the new `body` of a literal block scalar written at
/// `indent`, the original source line it can keep (without its line break):
/// a line equal to one of the old value's lines, found by a line diff, when
/// the block keeps its indentation and its lines map one to one onto the
/// old value's.
fn kept_lines<'a>(
    tree: &'a Tree,
    node: NodeId,
    content: &'a str,
    indent: usize,
    body: &str,
) -> Vec<Option<&'a str>> {
    let new: Vec<&str> = body.split('\n').collect();
    let mut kept = vec![None; new.len()];
    let n = tree.node(node);
    let old_value = tree.value(node);
    let old: Vec<&str> = old_value
        .strip_suffix('\n')
        .unwrap_or(old_value)
        .split('\n')
        .collect();
    let content = content
        .strip_prefix("\r\n")
        .or_else(|| content.strip_prefix('\n'));
    let source: Vec<&str> = content
        .unwrap_or_default()
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let one_to_one = n.style == ScalarStyle::Literal
        && block_indent(tree, node) == Some(indent)
        && source.len() >= old.len()
        && old.iter().zip(&source).all(|(v, s)| {
            s.get(indent..)
                .map_or(v.is_empty() && s.trim_matches(' ').is_empty(), |rest| {
                    rest == *v
                })
        });
    if !one_to_one {
        return kept;
    }
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &old, &new) {
        if let similar::DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for k in 0..len {
                kept[new_index + k] = Some(source[old_index + k]);
            }
        }
    }
    kept
}

impl JsonStyle {
    /// A double-quoted YAML string: JSON's escapes are valid YAML ones.
    fn default_yaml() -> JsonStyle {
        JsonStyle {
            html: false,
            ascii: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str = r#"{
  "metadata": {"name": "p"},
  "spec": {"template": {"packs": [
    {"name": "kubernetes", "layer": "k8s", "version": "1.29.0", "values": "pack:\n  podCIDR: \"10.244.0.0/16\"\n"},
    {"name": "cni-calico", "layer": "cni", "tag": "3.27.0", "values": "a: 1\u003c"}
  ]}}
}"#;

    #[test]
    fn reads_json_export() {
        let e = Export::read("p.json", JSON.as_bytes()).unwrap();
        assert!(e.tree.is_none());
        assert_eq!(e.packs.len(), 2);
        assert_eq!(e.packs[0].label(), "k8s/kubernetes");
        assert_eq!(e.packs[0].version.as_deref(), Some("1.29.0"));
        assert_eq!(
            e.packs[0].values.as_deref(),
            Some("pack:\n  podCIDR: \"10.244.0.0/16\"\n")
        );
        assert_eq!(e.packs[1].version.as_deref(), Some("3.27.0"));
    }

    #[test]
    fn json_splice_keeps_other_bytes_and_escape_style() {
        let e = Export::read("p.json", JSON.as_bytes()).unwrap();
        let out = e
            .with_values(&[None, Some("a: 2 <b> & é\n".into())])
            .unwrap();
        let want = JSON.replace(r#""a: 1\u003c""#, r#""a: 2 \u003cb\u003e \u0026 é\n""#);
        assert_eq!(out, want);
    }

    const YAML: &str = "name: p\npacks:\n  - name: kubernetes\n    layer: k8s\n    values: |-\n      pack:\n        podCIDR: \"10.244.0.0/16\"\n      # end\n    version: 1.29.0\n  - name: x\n    layer: addon\n    values: \"a: 1\"\n";

    #[test]
    fn yaml_splice_replaces_block_content_only() {
        let e = Export::read("p.yaml", YAML.as_bytes()).unwrap();
        assert!(e.tree.is_some());
        assert_eq!(
            e.packs[0].values.as_deref(),
            Some("pack:\n  podCIDR: \"10.244.0.0/16\"\n# end")
        );
        let out = e
            .with_values(&[
                Some("pack:\n  podCIDR: \"10.1.0.0/16\"\n\n  x:  1 \n".into()),
                Some("a: 2".into()),
            ])
            .unwrap();
        assert_eq!(
            out,
            "name: p\npacks:\n  - name: kubernetes\n    layer: k8s\n    values: |\n      pack:\n        podCIDR: \"10.1.0.0/16\"\n\n        x:  1 \n    version: 1.29.0\n  - name: x\n    layer: addon\n    values: \"a: 2\"\n"
        );
    }

    #[test]
    fn yaml_splice_keeps_the_bytes_of_lines_the_merge_left_alone() {
        // The blank line inside the values keeps its indentation.
        let text =
            "packs:\n  - name: k\n    values: |-\n      a:\n        - x\n      \n      b: 1\n";
        let e = Export::read("p.yaml", text.as_bytes()).unwrap();
        assert_eq!(e.packs[0].values.as_deref(), Some("a:\n  - x\n\nb: 1"));
        let out = e.with_values(&[Some("a:\n  - x\n\nb: 2".into())]).unwrap();
        assert_eq!(out, text.replace("b: 1", "b: 2"));
    }

    #[test]
    fn yaml_leading_spaces_get_an_indentation_indicator() {
        let e = Export::read("p.yaml", YAML.as_bytes()).unwrap();
        let out = e.with_values(&[Some("  a: 1".into()), None]).unwrap();
        assert!(out.contains("    values: |2-\n        a: 1\n"), "{out}");
    }

    #[test]
    fn yaml_crlf_export_keeps_crlf_in_block() {
        let text = YAML.replace('\n', "\r\n");
        let e = Export::read("p.yaml", text.as_bytes()).unwrap();
        let out = e.with_values(&[Some("a: 1\nb: 2".into()), None]).unwrap();
        assert_eq!(
            out,
            text.replace(
                "|-\r\n      pack:\r\n        podCIDR: \"10.244.0.0/16\"\r\n      # end",
                "|-\r\n      a: 1\r\n      b: 2"
            )
        );
    }

    #[test]
    fn locate_maps_block_lines_to_the_file() {
        let e = Export::read("p.yaml", YAML.as_bytes()).unwrap();
        let at = Location {
            file: "x".into(),
            line: 2,
            col: 3,
        };
        let l = e.locate(0, &at);
        assert_eq!((l.file.as_str(), l.line, l.col), ("p.yaml", 7, 9));
    }

    #[test]
    fn not_an_export() {
        let err = Export::read("v.yaml", b"a: 1\n").unwrap_err().to_string();
        assert!(err.contains("v.yaml: no `packs`"), "{err}");
        let err = Export::read("v.json", b"{\"a\": [1,}")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("v.json:1:"), "{err}");
    }
}
