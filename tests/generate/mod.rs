//! Inputs for the randomized differential tests: realistic YAML files made
//! up from a seed (Helm values, ops files, Ansible tasks, Kubernetes
//! streams, values files with flow collections, JSON documents), and random
//! edits of single lines of any YAML text, the kind a person makes in an
//! editor without knowing YAML's structure (a value changed, a line inserted
//! at the indentation of its neighbours, a comment, a blank line, the final
//! newline).
#![allow(dead_code)]

use crate::edits::Rng;

/// True `percent` times in a hundred.
pub fn chance(rng: &mut Rng, percent: usize) -> bool {
    rng.below(100) < percent
}

pub fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.below(items.len())]
}

/// `n` different words of `vocab` (fewer when it has fewer), in random order:
/// the keys of one mapping must differ.
fn distinct<'a>(rng: &mut Rng, vocab: &[&'a str], n: usize) -> Vec<&'a str> {
    let mut left = vocab.to_vec();
    let mut out = Vec::new();
    while out.len() < n && !left.is_empty() {
        out.push(left.swap_remove(rng.below(left.len())));
    }
    out
}

// ---------------------------------------------------------------------------
// Whole files
// ---------------------------------------------------------------------------

const SECTIONS: &[&str] = &[
    "image",
    "service",
    "ingress",
    "resources",
    "autoscaling",
    "metrics",
    "logging",
    "persistence",
    "securityContext",
    "probes",
    "controller",
    "webhook",
    "storage",
    "network",
    "auth",
    "cache",
    "database",
    "queue",
    "scheduler",
    "monitoring",
];

const FIELDS: &[&str] = &[
    "enabled",
    "replicas",
    "port",
    "timeout",
    "level",
    "mode",
    "path",
    "host",
    "size",
    "retries",
    "interval",
    "format",
    "region",
    "version",
    "tier",
    "limit",
    "threshold",
    "endpoint",
    "policy",
    "annotations",
];

const WORDS: &[&str] = &[
    "alpha", "beta", "gamma", "delta", "web", "api", "worker", "cache", "edge", "main",
];

const PHRASES: &[&str] = &[
    "-- Number of replicas",
    "Set to true to enable",
    "See the upstream documentation",
    "NOTE: changed in 2.x",
    "default is fine for most clusters",
    "keep in sync with the chart",
];

/// A plain, quoted or typed scalar, as found in values files.
fn scalar(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => (1 + rng.below(1000)).to_string(),
        1 => pick(rng, &["true", "false"]).to_string(),
        2 => format!("\"{}.{}.{}\"", rng.below(4), rng.below(30), rng.below(10)),
        3 => format!("{}Mi", 64 << rng.below(5)),
        4 => format!("{}m", 50 * (1 + rng.below(10))),
        5 => format!(
            "http://{}.svc.local:{}/",
            pick(rng, WORDS),
            8000 + rng.below(100)
        ),
        6 => "\"\"".to_string(),
        7 => format!("'{} {}'", pick(rng, WORDS), pick(rng, WORDS)),
        _ => pick(rng, WORDS).to_string(),
    }
}

/// Lines written at an indentation, ending in `\n`.
#[derive(Default)]
struct Out(String);

impl Out {
    fn line(&mut self, indent: usize, text: &str) {
        self.0.push_str(&" ".repeat(indent));
        self.0.push_str(text);
        self.0.push('\n');
    }

    fn blank(&mut self) {
        self.0.push('\n');
    }
}

/// Helm-chart-like `values.yaml`: nested mappings with comments above keys
/// and at the end of lines, block scalars, keyed and scalar lists.
pub fn helm_values(rng: &mut Rng) -> String {
    let mut out = Out::default();
    if chance(rng, 60) {
        out.line(0, &format!("# Default values for {}.", pick(rng, WORDS)));
        out.line(0, "# This is a YAML-formatted file.");
        out.blank();
    }
    let n = 3 + rng.below(6);
    for key in distinct(rng, SECTIONS, n) {
        if chance(rng, 40) {
            out.line(0, &format!("# {}", pick(rng, PHRASES)));
        }
        entry(&mut out, rng, 0, key, 2);
        if chance(rng, 50) {
            out.blank();
        }
    }
    out.0
}

/// One `key: ...` entry of a mapping at `indent`; `depth` bounds nesting.
fn entry(out: &mut Out, rng: &mut Rng, indent: usize, key: &str, depth: usize) {
    let kind = if depth == 0 {
        rng.below(4)
    } else {
        rng.below(11)
    };
    match kind {
        0..=3 => {
            let comment = if chance(rng, 15) { "  # default" } else { "" };
            out.line(indent, &format!("{key}: {}{comment}", scalar(rng)));
        }
        4..=6 => {
            out.line(indent, &format!("{key}:"));
            let n = 1 + rng.below(4);
            for field in distinct(rng, FIELDS, n) {
                if chance(rng, 15) {
                    out.line(indent + 2, &format!("# {}", pick(rng, PHRASES)));
                }
                entry(out, rng, indent + 2, field, depth - 1);
            }
        }
        7 => block_scalar(out, rng, indent, key),
        8 => keyed_list(out, rng, indent, key),
        9 => {
            out.line(indent, &format!("{key}:"));
            let dash = if chance(rng, 70) { indent + 2 } else { indent };
            for _ in 0..1 + rng.below(4) {
                out.line(dash, &format!("- --{}={}", pick(rng, WORDS), scalar(rng)));
            }
        }
        _ => out.line(indent, &format!("{key}: {}", pick(rng, &["{}", "[]"]))),
    }
}

fn block_scalar(out: &mut Out, rng: &mut Rng, indent: usize, key: &str) {
    let header = pick(rng, &["|", "|-", ">", "|+"]);
    out.line(indent, &format!("{key}: {header}"));
    for k in 0..1 + rng.below(5) {
        // The first line sets the block's indentation: only later ones may
        // be deeper.
        let extra = if k > 0 && chance(rng, 20) { 2 } else { 0 };
        out.line(
            indent + 2 + extra,
            &format!(
                "{}.{} = {}",
                pick(rng, WORDS),
                pick(rng, FIELDS),
                scalar(rng)
            ),
        );
    }
}

/// A list of mappings identified by `name` (env-var style).
fn keyed_list(out: &mut Out, rng: &mut Rng, indent: usize, key: &str) {
    out.line(indent, &format!("{key}:"));
    let dash = if chance(rng, 70) { indent + 2 } else { indent };
    let n = 1 + rng.below(4);
    for name in distinct(rng, WORDS, n) {
        out.line(dash, &format!("- name: {}", name.to_uppercase()));
        let m = 1 + rng.below(3);
        for field in distinct(rng, &["value", "port", "protocol", "mountPath"], m) {
            out.line(dash + 2, &format!("{field}: {}", scalar(rng)));
        }
    }
}

/// A BOSH ops file: a top-level list of unkeyed mappings.
pub fn ops_file(rng: &mut Rng) -> String {
    let mut out = Out::default();
    if chance(rng, 30) {
        out.line(0, "# ops applied on top of the base manifest");
    }
    for _ in 0..2 + rng.below(6) {
        let remove = chance(rng, 25);
        out.line(
            0,
            &format!("- type: {}", if remove { "remove" } else { "replace" }),
        );
        out.line(
            2,
            &format!(
                "path: /instance_groups/name={}/jobs/name={}/properties/{}",
                pick(rng, WORDS),
                pick(rng, WORDS),
                pick(rng, FIELDS)
            ),
        );
        if remove {
            continue;
        }
        if chance(rng, 30) {
            out.line(2, "value:");
            let n = 1 + rng.below(3);
            for field in distinct(rng, FIELDS, n) {
                out.line(4, &format!("{field}: {}", scalar(rng)));
            }
        } else {
            out.line(2, &format!("value: {}", scalar(rng)));
        }
    }
    out.0
}

/// An Ansible playbook or task file: a list of tasks, most with a `name`.
pub fn ansible_tasks(rng: &mut Rng) -> String {
    let mut out = Out::default();
    if chance(rng, 50) {
        out.line(0, "---");
    }
    let mut dash = 0;
    if chance(rng, 40) {
        out.line(0, &format!("- hosts: {}", pick(rng, WORDS)));
        out.line(2, "become: true");
        out.line(2, "tasks:");
        dash = *pick(rng, &[2, 4]);
    }
    const MODULES: &[(&str, &[&str])] = &[
        ("apt", &["name", "state", "update_cache"]),
        ("service", &["name", "state", "enabled"]),
        ("template", &["src", "dest", "mode"]),
        ("copy", &["src", "dest", "owner"]),
        ("lineinfile", &["path", "line", "regexp"]),
    ];
    const VERBS: &[&str] = &["Install", "Start", "Copy", "Render", "Ensure", "Restart"];
    let n = 2 + rng.below(5);
    for (t, verb) in distinct(rng, VERBS, n).into_iter().enumerate() {
        let (module, args) = pick(rng, MODULES);
        let named = chance(rng, 80);
        let first = if named {
            format!("- name: {verb} {} {t}", pick(rng, WORDS))
        } else {
            format!("- {module}:")
        };
        out.line(dash, &first);
        if named {
            out.line(dash + 2, &format!("{module}:"));
        }
        let n = 1 + rng.below(args.len());
        for arg in distinct(rng, args, n) {
            out.line(dash + 4, &format!("{arg}: {}", scalar(rng)));
        }
        if chance(rng, 30) {
            out.line(
                dash + 2,
                &format!("when: {}_enabled | bool", pick(rng, WORDS)),
            );
        }
        if chance(rng, 30) {
            out.line(dash + 2, &format!("notify: restart {}", pick(rng, WORDS)));
        }
    }
    out.0
}

/// A Kubernetes stream: Deployments, Services and ConfigMaps separated by
/// `---`, sometimes with Helm's `# Source:` comments.
pub fn k8s_stream(rng: &mut Rng) -> String {
    let mut out = Out::default();
    let n = 2 + rng.below(4);
    for (d, app) in distinct(rng, WORDS, n).into_iter().enumerate() {
        if d > 0 || chance(rng, 50) {
            out.line(0, "---");
        }
        if chance(rng, 30) {
            out.line(0, &format!("# Source: chart/templates/{app}.yaml"));
        }
        match rng.below(3) {
            0 => deployment(&mut out, rng, app),
            1 => service(&mut out, rng, app),
            _ => config_map(&mut out, rng, app, &format!("{app}-config")),
        }
    }
    out.0
}

fn metadata(out: &mut Out, rng: &mut Rng, api: &str, kind: &str, name: &str) {
    out.line(0, &format!("apiVersion: {api}"));
    out.line(0, &format!("kind: {kind}"));
    out.line(0, "metadata:");
    out.line(2, &format!("name: {name}"));
    if chance(rng, 50) {
        out.line(2, "labels:");
        out.line(4, &format!("app: {name}"));
    }
}

fn deployment(out: &mut Out, rng: &mut Rng, app: &str) {
    metadata(out, rng, "apps/v1", "Deployment", app);
    out.line(0, "spec:");
    out.line(2, &format!("replicas: {}", 1 + rng.below(5)));
    out.line(2, "selector:");
    out.line(4, "matchLabels:");
    out.line(6, &format!("app: {app}"));
    out.line(2, "template:");
    out.line(4, "metadata:");
    out.line(6, "labels:");
    out.line(8, &format!("app: {app}"));
    out.line(4, "spec:");
    out.line(6, "containers:");
    out.line(8, &format!("- name: {app}"));
    out.line(
        10,
        &format!("image: \"registry.local/{app}:1.{}\"", rng.below(30)),
    );
    out.line(10, "ports:");
    out.line(12, &format!("- containerPort: {}", 8000 + rng.below(100)));
    if chance(rng, 60) {
        out.line(10, "env:");
        let n = 1 + rng.below(3);
        for name in distinct(rng, &["MODE", "LEVEL", "REGION", "TOKEN"], n) {
            out.line(12, &format!("- name: {name}"));
            out.line(14, &format!("value: {}", scalar(rng)));
        }
    }
}

fn service(out: &mut Out, rng: &mut Rng, app: &str) {
    metadata(out, rng, "v1", "Service", app);
    out.line(0, "spec:");
    out.line(
        2,
        &format!("type: {}", pick(rng, &["ClusterIP", "NodePort"])),
    );
    out.line(2, "selector:");
    out.line(4, &format!("app: {app}"));
    out.line(2, "ports:");
    out.line(4, &format!("- port: {}", 80 + rng.below(10)));
    out.line(6, &format!("targetPort: {}", 8000 + rng.below(100)));
    out.line(6, "protocol: TCP");
}

fn config_map(out: &mut Out, rng: &mut Rng, app: &str, name: &str) {
    metadata(out, rng, "v1", "ConfigMap", name);
    out.line(0, "data:");
    out.line(
        2,
        &format!("LOG_LEVEL: {}", pick(rng, &["info", "debug", "warn"])),
    );
    if chance(rng, 60) {
        out.line(2, "config.yaml: |");
        out.line(4, &format!("server: {app}"));
        out.line(4, &format!("port: {}", 8000 + rng.below(100)));
    }
}

// ---------------------------------------------------------------------------
// Flow collections: JSON documents and values files that use them
// ---------------------------------------------------------------------------

/// A value of a generated JSON document; scalars are kept as JSON text.
enum Json {
    Scalar(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// How a JSON document is spelled.
#[derive(Clone, Copy)]
enum JsonStyle {
    /// Two spaces per level, every item on its own line; with `inline`,
    /// collections of scalars only on one line (`[1, 2]`, `{"a": 1}`).
    Pretty { inline: bool },
    /// One line, no spaces (`{"a":1,"b":[2]}`).
    Minified,
}

fn json_scalar(rng: &mut Rng) -> String {
    match rng.below(8) {
        0 => rng.below(1000).to_string(),
        1 => pick(rng, &["true", "false", "null"]).to_string(),
        2 => format!("\"{}.{}.{}\"", rng.below(4), rng.below(30), rng.below(10)),
        3 => format!("\"{}Mi\"", 64 << rng.below(5)),
        4 => format!(
            "\"http://{}.svc.local:{}/\"",
            pick(rng, WORDS),
            8000 + rng.below(100)
        ),
        _ => format!("\"{}\"", pick(rng, WORDS)),
    }
}

fn json_value(rng: &mut Rng, depth: usize) -> Json {
    match if depth == 0 { 0 } else { rng.below(7) } {
        0..=2 => Json::Scalar(json_scalar(rng)),
        3 | 4 => {
            let n = rng.below(5);
            let objects = chance(rng, 30);
            Json::Array(
                (0..n)
                    .map(|_| {
                        if objects {
                            json_value(rng, depth - 1)
                        } else {
                            Json::Scalar(json_scalar(rng))
                        }
                    })
                    .collect(),
            )
        }
        _ => {
            let n = rng.below(5);
            json_object(rng, depth - 1, FIELDS, n)
        }
    }
}

fn json_object(rng: &mut Rng, depth: usize, vocab: &[&str], n: usize) -> Json {
    let keys = distinct(rng, vocab, n);
    Json::Object(
        keys.into_iter()
            .map(|k| (format!("\"{k}\""), json_value(rng, depth)))
            .collect(),
    )
}

impl Json {
    fn is_scalar(&self) -> bool {
        matches!(self, Json::Scalar(_))
    }

    /// The items of a collection as (key, value) pairs; `None` for a scalar.
    fn items(&self) -> Option<Vec<(Option<&str>, &Json)>> {
        match self {
            Json::Scalar(_) => None,
            Json::Array(v) => Some(v.iter().map(|x| (None, x)).collect()),
            Json::Object(v) => Some(v.iter().map(|(k, x)| (Some(k.as_str()), x)).collect()),
        }
    }

    fn render(&self, style: JsonStyle, indent: usize, out: &mut String) {
        let Some(items) = self.items() else {
            if let Json::Scalar(s) = self {
                out.push_str(s);
            }
            return;
        };
        let (open, close) = match self {
            Json::Object(_) => ('{', '}'),
            _ => ('[', ']'),
        };
        let one_line = match style {
            JsonStyle::Minified => true,
            JsonStyle::Pretty { inline } => {
                items.is_empty() || (inline && items.iter().all(|(_, v)| v.is_scalar()))
            }
        };
        let (sep, colon) = match style {
            JsonStyle::Minified => (",", ":"),
            JsonStyle::Pretty { .. } => (", ", ": "),
        };
        out.push(open);
        for (n, (key, value)) in items.iter().enumerate() {
            if one_line {
                out.push_str(if n > 0 { sep } else { "" });
            } else {
                out.push_str(if n > 0 { ",\n" } else { "\n" });
                out.push_str(&" ".repeat(indent + 2));
            }
            if let Some(k) = key {
                out.push_str(k);
                out.push_str(colon);
            }
            value.render(style, indent + 2, out);
        }
        if !one_line {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
        }
        out.push(close);
    }
}

/// A JSON document (JSON is YAML): an object of a few sections holding
/// nested objects, arrays and scalars, pretty-printed (sometimes with
/// collections of scalars on one line) or minified.
pub fn json_document(rng: &mut Rng) -> String {
    let style = match rng.below(10) {
        0..=5 => JsonStyle::Pretty { inline: false },
        6..=8 => JsonStyle::Pretty { inline: true },
        _ => JsonStyle::Minified,
    };
    let n = 2 + rng.below(5);
    let doc = json_object(rng, 3, SECTIONS, n);
    let mut out = String::new();
    doc.render(style, 0, &mut out);
    out.push('\n');
    out
}

/// A plain scalar that is safe inside a flow collection.
fn flow_plain(rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => (1 + rng.below(1000)).to_string(),
        1 => format!("--{}={}", pick(rng, WORDS), pick(rng, WORDS)),
        2 => format!("v{}.{}", rng.below(4), rng.below(30)),
        _ => pick(rng, WORDS).to_string(),
    }
}

/// The items of a flow sequence of `n` scalars, plain or double-quoted.
fn flow_items(rng: &mut Rng, n: usize, quoted: bool) -> Vec<String> {
    (0..n)
        .map(|_| {
            let v = flow_plain(rng);
            if quoted { format!("\"{v}\"") } else { v }
        })
        .collect()
}

/// A flow mapping of `n` distinct fields: `{a: 1, b: "x"}`.
fn flow_map(rng: &mut Rng, n: usize) -> String {
    let fields: Vec<String> = distinct(rng, FIELDS, n)
        .into_iter()
        .map(|k| {
            let v = match rng.below(3) {
                0 => format!("\"{}\"", flow_plain(rng)),
                _ => flow_plain(rng),
            };
            format!("{k}: {v}")
        })
        .collect();
    format!("{{{}}}", fields.join(", "))
}

/// One `key: <flow collection>` entry, in one of the spellings found in
/// values files, sometimes with an end-of-line comment.
fn flow_entry(out: &mut Out, rng: &mut Rng, indent: usize, key: &str) {
    let n = 1 + rng.below(4);
    let value = match rng.below(8) {
        0 => format!("[{}]", flow_items(rng, n, false).join(", ")),
        1 => format!("[{}]", flow_items(rng, n, true).join(", ")),
        2 => format!("[ {} ]", flow_items(rng, n, false).join(", ")),
        3 => format!("[{}]", flow_items(rng, n, false).join(",")),
        4 => flow_map(rng, n),
        5 => {
            let maps: Vec<String> = (0..n)
                .map(|_| {
                    let fields = 1 + rng.below(2);
                    flow_map(rng, fields)
                })
                .collect();
            format!("[{}]", maps.join(", "))
        }
        6 => pick(rng, &["[]", "{}"]).to_string(),
        _ => {
            let pad = " ".repeat(indent + 2);
            let quoted = chance(rng, 50);
            let items = flow_items(rng, n, quoted);
            format!("[\n{pad}{}\n{pad}]", items.join(&format!(",\n{pad}")))
        }
    };
    let comment = if chance(rng, 20) { "  # flow" } else { "" };
    out.line(indent, &format!("{key}: {value}{comment}"));
}

/// A values file whose entries hold flow collections (`args: [a, b]`,
/// `nodeSelector: {disk: ssd}`, a multi-line `[...]`) beside plain values.
pub fn flow_values(rng: &mut Rng) -> String {
    let mut out = Out::default();
    let n = 2 + rng.below(5);
    for key in distinct(rng, SECTIONS, n) {
        if chance(rng, 30) {
            out.line(0, &format!("# {}", pick(rng, PHRASES)));
        }
        if chance(rng, 30) {
            flow_entry(&mut out, rng, 0, key);
            continue;
        }
        out.line(0, &format!("{key}:"));
        let m = 1 + rng.below(4);
        for field in distinct(rng, FIELDS, m) {
            if chance(rng, 60) {
                flow_entry(&mut out, rng, 2, field);
            } else {
                out.line(2, &format!("{field}: {}", scalar(rng)));
            }
        }
        if chance(rng, 40) {
            out.blank();
        }
    }
    out.0
}

/// One generated file of a random kind.
pub fn file(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 | 1 => helm_values(rng),
        2 => ops_file(rng),
        3 => ansible_tasks(rng),
        _ => k8s_stream(rng),
    }
}

// ---------------------------------------------------------------------------
// Line-level edits
// ---------------------------------------------------------------------------

/// A text as lines without their `\n` (a CR stays at the end of its line),
/// and whether the last line ends in a line break.
pub struct Lines {
    pub lines: Vec<String>,
    pub final_newline: bool,
    /// `"\r"` when the text uses CRLF: new lines then get one too.
    cr: &'static str,
}

impl Lines {
    pub fn new(text: &str) -> Self {
        let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        let final_newline = lines.last().is_some_and(String::is_empty);
        if final_newline || text.is_empty() {
            lines.pop();
        }
        let cr = if text.contains("\r\n") { "\r" } else { "" };
        Lines {
            lines,
            final_newline,
            cr,
        }
    }

    pub fn text(&self) -> String {
        let mut s = self.lines.join("\n");
        if self.final_newline && !self.lines.is_empty() {
            s.push('\n');
        }
        s
    }

    fn insert(&mut self, at: usize, indent: usize, text: &str) {
        let line = format!("{}{text}{}", " ".repeat(indent), self.cr);
        self.lines.insert(at.min(self.lines.len()), line);
    }
}

/// What a line holds, as far as one line tells (no parsing): enough to edit
/// it and to place a new line beside it.
#[derive(Debug, Default, Clone)]
pub struct Shape {
    pub blank: bool,
    pub comment_only: bool,
    /// `---` or `...`.
    pub marker: bool,
    pub indent: usize,
    /// A `- ` item line.
    pub item: bool,
    /// Where a key (or an item's scalar) starts: after `- ` on an item line.
    pub col: usize,
    pub key: Option<String>,
    /// Byte range of a scalar value (after `key: ` or `- `).
    pub value: Option<(usize, usize)>,
    /// Where the code ends and an end-of-line comment begins (the spaces
    /// before `#`), when there is one.
    pub eol_comment: Option<usize>,
    /// The value opens a block scalar (`|`, `>`).
    pub block_header: bool,
    /// The line is inside a block scalar's text.
    pub in_block: bool,
}

/// Where a `#` starts a comment (preceded by a space), outside quotes.
fn comment_start(code: &str, from: usize) -> Option<usize> {
    let b = code.as_bytes();
    let mut quote = None;
    for i in from..b.len() {
        match (quote, b[i]) {
            (None, q @ (b'"' | b'\'')) if i == from || b[i - 1] == b' ' => quote = Some(q),
            (Some(q), c) if c == q => quote = None,
            (None, b'#') if i > 0 && b[i - 1] == b' ' => return Some(i),
            _ => {}
        }
    }
    None
}

pub fn shape(line: &str) -> Shape {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let mut s = Shape {
        indent,
        col: indent,
        ..Shape::default()
    };
    if rest.trim().is_empty() {
        s.blank = true;
        return s;
    }
    if rest.starts_with('#') {
        s.comment_only = true;
        return s;
    }
    if matches!(rest.split(' ').next(), Some("---" | "...")) && indent == 0 {
        s.marker = true;
        return s;
    }
    if rest == "-" || rest.starts_with("- ") {
        s.item = true;
        s.col = indent + 1 + (rest[1..].len() - rest[1..].trim_start().len());
    }
    let code_end = match comment_start(line, s.col) {
        Some(hash) => {
            let end = line[..hash].trim_end().len();
            s.eol_comment = Some(end);
            end
        }
        None => line.trim_end().len(),
    };
    let code = &line[s.col..code_end];
    let value_start = match key_end(code) {
        Some((key_len, value_at)) => {
            s.key = Some(code[..key_len].trim_end().to_string());
            value_at.map(|v| s.col + v)
        }
        None => Some(s.col),
    };
    if let Some(start) = value_start.filter(|&v| v < code_end) {
        let value = &line[start..code_end];
        s.block_header = value.starts_with(['|', '>']);
        let plain = !value.starts_with(['|', '>', '&', '*', '!', '[', '{', '-']);
        if plain {
            s.value = Some((start, code_end));
        }
    }
    s
}

/// In `code` (a line after its indentation and dash): the length of a
/// `key:` and where its value starts (`None` when nothing follows the colon).
fn key_end(code: &str) -> Option<(usize, Option<usize>)> {
    if code.starts_with(['"', '\'', '[', '{', '|', '>']) {
        return None;
    }
    if let Some(k) = code.find(": ") {
        let v = k + 2 + (code[k + 2..].len() - code[k + 2..].trim_start().len());
        return Some((k, Some(v)));
    }
    code.strip_suffix(':').map(|k| (k.len(), None))
}

/// Every line's shape, with the lines of block scalars marked.
pub fn shapes(lines: &Lines) -> Vec<Shape> {
    let mut out: Vec<Shape> = lines.lines.iter().map(|l| shape(l)).collect();
    let mut i = 0;
    while i < out.len() {
        if out[i].block_header && !out[i].in_block {
            let parent = if out[i].item {
                out[i].indent
            } else {
                out[i].col
            };
            let mut j = i + 1;
            while j < out.len() && (out[j].blank || out[j].indent > parent) {
                j += 1;
            }
            for s in &mut out[i + 1..j] {
                *s = Shape {
                    in_block: true,
                    blank: s.blank,
                    indent: s.indent,
                    col: s.indent,
                    ..Shape::default()
                };
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// The last line of what line `i` opens: the following lines indented
/// deeper than `col` (and, when `indentless`, items at `col`, which belong
/// to a key at `col`), not counting blank and comment lines after them.
fn block_end(shapes: &[Shape], i: usize, col: usize, indentless: bool) -> usize {
    let mut end = i;
    for (j, s) in shapes.iter().enumerate().skip(i + 1) {
        if s.blank || s.comment_only {
            continue;
        }
        if s.indent > col || (indentless && s.indent == col && s.item) || s.in_block {
            end = j;
        } else {
            break;
        }
    }
    end
}

/// A random index among those whose shape passes `pred`.
fn pick_line(rng: &mut Rng, shapes: &[Shape], pred: impl Fn(&Shape) -> bool) -> Option<usize> {
    let found: Vec<usize> = (0..shapes.len()).filter(|&i| pred(&shapes[i])).collect();
    (!found.is_empty()).then(|| found[rng.below(found.len())])
}

/// A new value for a changed or added entry; `tag` tells the sides apart.
fn new_value(rng: &mut Rng, tag: &str, n: usize) -> String {
    match rng.below(4) {
        0 => format!("{tag}-{n}"),
        1 => format!("\"{tag} {n}\""),
        2 => (10_000 + rng.below(90_000)).to_string(),
        _ => format!("{tag}-{}", pick(rng, WORDS)),
    }
}

/// The kinds of edit, each tried on a random fitting line.
#[derive(Clone, Copy, Debug)]
enum Op {
    ChangeValue,
    InsertKey,
    InsertItem,
    InsertDocument,
    DeleteLine,
    DeleteEntry,
    AddComment,
    RemoveComment,
    AddBlank,
    ToggleFinalNewline,
    EolComment,
    BlockText,
}

const OPS: &[(Op, usize)] = &[
    (Op::ChangeValue, 20),
    (Op::InsertKey, 14),
    (Op::InsertItem, 12),
    (Op::InsertDocument, 4),
    (Op::DeleteLine, 5),
    (Op::DeleteEntry, 6),
    (Op::AddComment, 8),
    (Op::RemoveComment, 4),
    (Op::AddBlank, 6),
    (Op::ToggleFinalNewline, 3),
    (Op::EolComment, 8),
    (Op::BlockText, 6),
];

fn random_op(rng: &mut Rng) -> Op {
    let total: usize = OPS.iter().map(|&(_, w)| w).sum();
    let mut r = rng.below(total);
    for &(op, w) in OPS {
        if r < w {
            return op;
        }
        r -= w;
    }
    OPS[0].0
}

/// Applies 1 to 3 random line edits to `text`, keeping each one only when
/// `valid` accepts the text it gives. `tag` marks the side's new content.
pub fn mutate(text: &str, rng: &mut Rng, tag: &str, valid: &dyn Fn(&str) -> bool) -> String {
    let mut lines = Lines::new(text);
    let edits = 1 + rng.below(3);
    let mut n = 0;
    let mut tries = 0;
    while n < edits && tries < 12 {
        tries += 1;
        let before = (lines.lines.clone(), lines.final_newline);
        let op = random_op(rng);
        if !apply(&mut lines, rng, op, tag, n) {
            continue;
        }
        if valid(&lines.text()) {
            n += 1;
        } else {
            (lines.lines, lines.final_newline) = before;
        }
    }
    lines.text()
}

/// One edit; false when the text has no line it fits.
fn apply(l: &mut Lines, rng: &mut Rng, op: Op, tag: &str, n: usize) -> bool {
    let shapes = shapes(l);
    match op {
        Op::ChangeValue => change_value(l, &shapes, rng, tag, n),
        Op::InsertKey => insert_key(l, &shapes, rng, tag, n),
        Op::InsertItem => insert_item(l, &shapes, rng, tag, n),
        Op::InsertDocument => insert_document(l, &shapes, rng, tag, n),
        Op::DeleteLine => delete_line(l, rng),
        Op::DeleteEntry => delete_entry(l, &shapes, rng),
        Op::AddComment => add_comment(l, &shapes, rng, tag, n),
        Op::RemoveComment => remove_comment(l, &shapes, rng),
        Op::AddBlank => add_blank(l, rng),
        Op::ToggleFinalNewline => {
            toggle_final_newline(l);
            true
        }
        Op::EolComment => eol_comment(l, &shapes, rng, tag, n),
        Op::BlockText => block_text(l, &shapes, rng, tag, n),
    }
}

fn change_value(l: &mut Lines, shapes: &[Shape], rng: &mut Rng, tag: &str, n: usize) -> bool {
    let Some(i) = pick_line(rng, shapes, |s| s.value.is_some() && !s.in_block) else {
        return false;
    };
    let Some((start, end)) = shapes[i].value else {
        return false;
    };
    let value = new_value(rng, tag, n);
    l.lines[i].replace_range(start..end, &value);
    true
}

/// A new `key: value` line beside a key line: before it, after its whole
/// entry (its children), or as the first child of a key without a value.
fn insert_key(l: &mut Lines, shapes: &[Shape], rng: &mut Rng, tag: &str, n: usize) -> bool {
    let Some(i) = pick_line(rng, shapes, |s| s.key.is_some() && !s.in_block) else {
        return false;
    };
    let s = &shapes[i];
    let next = (i + 1..shapes.len()).find(|&j| !shapes[j].blank && !shapes[j].comment_only);
    let (at, indent) = match rng.below(3) {
        0 if !s.item => (i, s.col),
        1 if s.value.is_none() && !s.block_header => match next {
            Some(j) if shapes[j].indent > s.col && !shapes[j].item && shapes[j].key.is_some() => {
                (i + 1, shapes[j].indent)
            }
            _ => return false,
        },
        _ => (block_end(shapes, i, s.col, true) + 1, s.col),
    };
    let value = new_value(rng, tag, n);
    if chance(rng, 20) {
        l.insert(at, indent + 2, &format!("{}: {value}", pick(rng, FIELDS)));
        l.insert(at, indent, &format!("{tag}_key{n}:"));
    } else {
        l.insert(at, indent, &format!("{tag}_key{n}: {value}"));
    }
    true
}

/// A new list item beside an item line: a scalar, or a small mapping using
/// the keys of its neighbour.
fn insert_item(l: &mut Lines, shapes: &[Shape], rng: &mut Rng, tag: &str, n: usize) -> bool {
    let Some(i) = pick_line(rng, shapes, |s| s.item && !s.in_block) else {
        return false;
    };
    let s = &shapes[i];
    let at = if chance(rng, 50) {
        i
    } else {
        block_end(shapes, i, s.indent, false) + 1
    };
    let value = new_value(rng, tag, n);
    let mut new = vec![];
    match &s.key {
        Some(key) => {
            new.push((s.indent, format!("- {key}: {tag}-item{n}")));
            let second = shapes
                .get(i + 1)
                .filter(|t| t.indent == s.col && t.value.is_some())
                .and_then(|t| t.key.clone());
            if let Some(k) = second.filter(|_| chance(rng, 60)) {
                new.push((s.col, format!("{k}: {value}")));
            }
        }
        None => new.push((s.indent, format!("- {value}"))),
    }
    for (k, (indent, text)) in new.iter().enumerate() {
        l.insert(at + k, *indent, text);
    }
    true
}

/// A new Kubernetes document before a `---` or at the end of a stream.
fn insert_document(l: &mut Lines, shapes: &[Shape], rng: &mut Rng, tag: &str, n: usize) -> bool {
    let is_k8s = l.lines.iter().any(|x| x.starts_with("kind:"));
    let mut spots: Vec<usize> = (0..shapes.len()).filter(|&i| shapes[i].marker).collect();
    if !is_k8s && spots.is_empty() {
        return false;
    }
    spots.push(l.lines.len());
    let at = *pick(rng, &spots);
    let mut out = Out::default();
    out.line(0, "---");
    let name = format!("{tag}-doc{n}");
    if chance(rng, 50) {
        config_map(&mut out, rng, &name, &name);
    } else {
        service(&mut out, rng, &name);
    }
    for (k, line) in out.0.lines().enumerate() {
        l.insert(at + k, 0, line);
    }
    true
}

fn delete_line(l: &mut Lines, rng: &mut Rng) -> bool {
    if l.lines.is_empty() {
        return false;
    }
    let i = rng.below(l.lines.len());
    l.lines.remove(i);
    true
}

/// A key or item with everything under it.
fn delete_entry(l: &mut Lines, shapes: &[Shape], rng: &mut Rng) -> bool {
    let Some(i) = pick_line(rng, shapes, |s| (s.key.is_some() || s.item) && !s.in_block) else {
        return false;
    };
    let s = &shapes[i];
    let end = if s.item {
        block_end(shapes, i, s.indent, false)
    } else {
        block_end(shapes, i, s.col, true)
    };
    l.lines.drain(i..=end);
    true
}

fn add_comment(l: &mut Lines, shapes: &[Shape], rng: &mut Rng, tag: &str, n: usize) -> bool {
    let at = pick_line(rng, shapes, |s| !s.blank && !s.in_block).unwrap_or(l.lines.len());
    let indent = shapes.get(at).map_or(0, |s| s.indent);
    l.insert(at, indent, &format!("# {tag} note {n}"));
    true
}

fn remove_comment(l: &mut Lines, shapes: &[Shape], rng: &mut Rng) -> bool {
    let Some(i) = pick_line(rng, shapes, |s| s.comment_only) else {
        return false;
    };
    l.lines.remove(i);
    true
}

/// An empty line, or one of spaces only.
fn add_blank(l: &mut Lines, rng: &mut Rng) -> bool {
    let at = rng.below(l.lines.len() + 1);
    let spaces = if chance(rng, 50) { 0 } else { 1 + rng.below(4) };
    l.insert(at, spaces, "");
    true
}

fn toggle_final_newline(l: &mut Lines) {
    l.final_newline = !l.final_newline;
    if let Some(last) = l.lines.last_mut() {
        // A CRLF text keeps its CR with the newline it belongs to.
        if l.final_newline {
            last.push_str(l.cr);
        } else if last.ends_with('\r') {
            last.pop();
        }
    }
}

/// Adds, rewrites or removes the comment at the end of a line.
fn eol_comment(l: &mut Lines, shapes: &[Shape], rng: &mut Rng, tag: &str, n: usize) -> bool {
    let Some(i) = pick_line(rng, shapes, |s| {
        !s.blank && !s.comment_only && !s.in_block && !s.marker
    }) else {
        return false;
    };
    let cr = if l.lines[i].ends_with('\r') { "\r" } else { "" };
    let line = l.lines[i].trim_end_matches('\r');
    let text = format!("# {tag} eol {n}");
    l.lines[i] = match shapes[i].eol_comment {
        Some(end) if chance(rng, 30) => format!("{}{cr}", &line[..end]),
        Some(end) => {
            let hash = end + line[end..].find('#').unwrap_or(0);
            format!("{}{text}{cr}", &line[..hash])
        }
        None => format!("{}  {text}{cr}", line.trim_end()),
    };
    true
}

/// Changes, adds or deletes a line of a block scalar's text.
fn block_text(l: &mut Lines, shapes: &[Shape], rng: &mut Rng, tag: &str, n: usize) -> bool {
    let Some(i) = pick_line(rng, shapes, |s| s.in_block && !s.blank) else {
        return false;
    };
    match rng.below(3) {
        0 => {
            let cr = if l.lines[i].ends_with('\r') { "\r" } else { "" };
            let body = l.lines[i].trim_end_matches('\r').to_string();
            l.lines[i] = format!("{body} {tag}{n}{cr}");
        }
        1 => l.insert(i + 1, shapes[i].indent, &format!("{tag} line {n}")),
        _ => {
            l.lines.remove(i);
        }
    }
    true
}
