//! Generated inputs for the benches: Helm-values-like YAML with comments,
//! nested mappings, keyed lists, flow mappings and block scalars, plus edited
//! copies for current and incoming in three shapes, with the sections at
//! the top level or nested under `charts: app:` (as Palette packs keep
//! them).
#![allow(dead_code)]

/// How the two sides edit the base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Few edits, far apart, never the same entry.
    Clean,
    /// Edits on both sides in 2 % of the sections, often in the same
    /// section but never the same entry.
    Scattered,
    /// Like `Scattered`, plus 1 % of the sections where both sides change
    /// the same value differently.
    Conflicts,
}

impl Shape {
    pub const ALL: [Shape; 3] = [Shape::Clean, Shape::Scattered, Shape::Conflicts];

    pub fn name(self) -> &'static str {
        match self {
            Shape::Clean => "clean",
            Shape::Scattered => "scattered",
            Shape::Conflicts => "conflicts-1%",
        }
    }
}

/// Where the generated sections sit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Each section a top-level key.
    TopLevel,
    /// Everything under `charts:` and `app:`, indented by 4.
    Nested,
}

impl Layout {
    pub const ALL: [Layout; 2] = [Layout::TopLevel, Layout::Nested];

    pub fn name(self) -> &'static str {
        match self {
            Layout::TopLevel => "top-level",
            Layout::Nested => "nested",
        }
    }

    fn place(self, text: String) -> String {
        match self {
            Layout::TopLevel => text,
            Layout::Nested => {
                let mut out = String::with_capacity(text.len() + text.len() / 5 + 16);
                out.push_str("charts:\n  app:\n");
                for line in text.split_inclusive('\n') {
                    if line != "\n" {
                        out.push_str("    ");
                    }
                    out.push_str(line);
                }
                out
            }
        }
    }
}

/// Base, current and incoming texts.
pub struct Triple {
    pub base: String,
    pub current: String,
    pub incoming: String,
}

impl Triple {
    pub fn total_len(&self) -> usize {
        self.base.len() + self.current.len() + self.incoming.len()
    }
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The edits one side makes to one section.
#[derive(Default, Clone, Copy)]
struct Edits {
    tag: Option<u8>,
    env_value: bool,
    add_key: bool,
    add_env: bool,
    script: bool,
    drop_arg: bool,
}

const SECTION_LINES: usize = 21;

fn section(out: &mut String, i: usize, e: Edits, side: &str) {
    use std::fmt::Write;
    let _ = writeln!(out, "# Section {i}: settings for component {i}");
    let _ = writeln!(out, "component{i}:");
    let _ = writeln!(out, "  enabled: true");
    if e.add_key {
        let _ = writeln!(out, "  replicas: {}  # set by {side}", 2 + i % 3);
    }
    let _ = writeln!(out, "  image:");
    let _ = writeln!(
        out,
        "    repository: registry.example.com/team/component{i}"
    );
    match e.tag {
        Some(v) => _ = writeln!(out, "    tag: \"v2.{}.{v}\"", i % 10),
        None => _ = writeln!(out, "    tag: \"v1.{}.0\"", i % 10),
    }
    let _ = writeln!(out, "  # resources for the main container");
    let _ = writeln!(out, "  resources:");
    let _ = writeln!(out, "    limits: {{cpu: 500m, memory: 512Mi}}");
    let _ = writeln!(out, "  env:");
    let _ = writeln!(out, "    - name: VAR_0\n      value: \"value-{i}-0\"");
    if e.env_value {
        let _ = writeln!(out, "    - name: VAR_1\n      value: \"{side}-{i}-1\"");
    } else {
        let _ = writeln!(out, "    - name: VAR_1\n      value: \"value-{i}-1\"");
    }
    if e.add_env {
        let _ = writeln!(
            out,
            "    - name: {}_EXTRA\n      value: \"on\"",
            side.to_uppercase()
        );
    }
    let _ = writeln!(out, "  args:");
    let _ = writeln!(out, "    - --port={}", 8000 + i % 1000);
    if !e.drop_arg {
        let _ = writeln!(out, "    - --verbose");
    }
    let _ = writeln!(out, "  script: |");
    let _ = writeln!(out, "    echo start {i}");
    if e.script {
        let _ = writeln!(out, "    run --component {i} --from {side}");
    } else {
        let _ = writeln!(out, "    run --component {i}");
    }
    let _ = writeln!(out, "    echo done");
    out.push('\n');
}

/// Picks two edit sets for one section that never touch the same entry.
fn disjoint_edits(rng: &mut Rng) -> (Edits, Edits) {
    let mut c = Edits::default();
    let mut i = Edits::default();
    // Each kind of edit goes to at most one side.
    for kind in 0..6 {
        let who = rng.below(4);
        let side = match who {
            0 => &mut c,
            1 => &mut i,
            _ => continue,
        };
        match kind {
            0 => side.tag = Some(1),
            1 => side.env_value = true,
            2 => side.add_key = true,
            3 => side.add_env = true,
            4 => side.script = true,
            _ => side.drop_arg = true,
        }
    }
    (c, i)
}

/// Generates a triple of about `lines` lines in the given shape and layout.
pub fn generate(lines: usize, shape: Shape, layout: Layout) -> Triple {
    let t = generate_top_level(lines, shape);
    Triple {
        base: layout.place(t.base),
        current: layout.place(t.current),
        incoming: layout.place(t.incoming),
    }
}

fn generate_top_level(lines: usize, shape: Shape) -> Triple {
    let sections = lines.div_ceil(SECTION_LINES).max(1);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ lines as u64);
    let cap = lines * 45;
    let (mut b, mut c, mut i) = (
        String::with_capacity(cap),
        String::with_capacity(cap),
        String::with_capacity(cap),
    );
    b.push_str("# Generated values for the yamerge benches\n\n");
    c.push_str("# Generated values for the yamerge benches\n\n");
    i.push_str("# Generated values for the yamerge benches\n\n");
    for s in 0..sections {
        let roll = rng.below(1000);
        let (ec, ei) = match shape {
            Shape::Clean if s % 200 == 0 => (
                Edits {
                    tag: Some(1),
                    ..Edits::default()
                },
                Edits::default(),
            ),
            Shape::Clean if s % 200 == 100 => (
                Edits::default(),
                Edits {
                    env_value: true,
                    ..Edits::default()
                },
            ),
            Shape::Clean => (Edits::default(), Edits::default()),
            Shape::Conflicts if roll < 10 => (
                Edits {
                    tag: Some(1),
                    ..Edits::default()
                },
                Edits {
                    tag: Some(2),
                    ..Edits::default()
                },
            ),
            _ if roll < 20 + 10 * usize::from(shape == Shape::Conflicts) as u64 => {
                disjoint_edits(&mut rng)
            }
            _ => (Edits::default(), Edits::default()),
        };
        section(&mut b, s, Edits::default(), "base");
        section(&mut c, s, ec, "current");
        section(&mut i, s, ei, "incoming");
    }
    Triple {
        base: b,
        current: c,
        incoming: i,
    }
}

/// A 20k-line triple with exactly `conflicts` conflicting and `clean` clean
/// edits (issue 7's latency target).
pub fn sparse(lines: usize, conflicts: usize, clean: usize) -> Triple {
    let sections = lines.div_ceil(SECTION_LINES).max(1);
    let step = sections / (conflicts + clean).max(1);
    let (mut b, mut c, mut i) = (String::new(), String::new(), String::new());
    for s in 0..sections {
        let k = if step > 0 && s % step == 0 {
            s / step
        } else {
            usize::MAX
        };
        let (ec, ei) = if k < conflicts {
            (
                Edits {
                    tag: Some(1),
                    ..Edits::default()
                },
                Edits {
                    tag: Some(2),
                    ..Edits::default()
                },
            )
        } else if k < conflicts + clean {
            if k % 2 == 0 {
                (
                    Edits {
                        env_value: true,
                        ..Edits::default()
                    },
                    Edits::default(),
                )
            } else {
                (
                    Edits::default(),
                    Edits {
                        script: true,
                        ..Edits::default()
                    },
                )
            }
        } else {
            (Edits::default(), Edits::default())
        };
        section(&mut b, s, Edits::default(), "base");
        section(&mut c, s, ec, "current");
        section(&mut i, s, ei, "incoming");
    }
    Triple {
        base: b,
        current: c,
        incoming: i,
    }
}

/// One Kubernetes manifest: a ConfigMap or a Deployment, `tag` in the image
/// and `level` in the config, so that sides can edit them.
fn manifest(out: &mut String, k: usize, tag: &str, level: &str) {
    use std::fmt::Write;
    if k.is_multiple_of(3) {
        let _ = write!(
            out,
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-{k}\n  namespace: apps\n\
             data:\n  level: {level}\n  script: |\n    echo {k}\n    run\n"
        );
    } else {
        let _ = write!(
            out,
            "---\n# The deployment of service {k}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n\
             \x20 name: service-{k}\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n\
             \x20       - name: main\n          image: registry.example/service-{k}:{tag}\n\
             \x20         args: [--port, \"80\"]\n\n"
        );
    }
}

/// A Kubernetes manifest stream of `docs` documents (about 12 lines each).
pub fn manifest_stream(docs: usize) -> String {
    let mut out = String::from("# Generated manifests\n");
    for k in 0..docs {
        manifest(&mut out, k, "1.0", "info");
    }
    out
}

/// A manifest stream of about `lines` lines, edited on both sides in 2 % of
/// the documents (never the same one).
pub fn manifest_triple(lines: usize) -> Triple {
    let docs = lines.div_ceil(12).max(3);
    let mut t = Triple {
        base: String::from("# Generated manifests\n"),
        current: String::from("# Generated manifests\n"),
        incoming: String::from("# Generated manifests\n"),
    };
    for k in 0..docs {
        let (c, i) = match k % 100 {
            7 => (("2.0", "info"), ("1.0", "info")),
            57 => (("1.0", "info"), ("1.0", "debug")),
            _ => (("1.0", "info"), ("1.0", "info")),
        };
        manifest(&mut t.base, k, "1.0", "info");
        manifest(&mut t.current, k, c.0, c.1);
        manifest(&mut t.incoming, k, i.0, i.1);
    }
    t
}
