//! Random realistic edits of YAML text, line by line: values changed, keys
//! added, single-line entries deleted, comments added.
#![allow(dead_code)]

pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// A `key: scalar` line: (indentation, key) when it is one.
pub fn scalar_entry(line: &str) -> Option<(usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let body = &line[indent..];
    let (key, value) = body.split_once(": ")?;
    let simple_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    let value = value.trim();
    let simple_value = !value.is_empty()
        && !value.starts_with(['|', '>', '&', '*', '!', '{', '[', '#', '"', '\''])
        && !value.contains(" #");
    (simple_key && simple_value).then_some((indent, key))
}

pub fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// One side's edits; `tag` keeps the two sides' additions distinct.
pub fn edit(text: &str, rng: &mut Rng, tag: &str) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    for n in 0..1 + rng.below(3) {
        let i = rng.below(lines.len());
        let Some((indent, key)) = scalar_entry(&lines[i]).map(|(d, k)| (d, k.to_string())) else {
            continue;
        };
        let next_is_child = lines
            .get(i + 1)
            .is_some_and(|l| !l.trim().is_empty() && indent_of(l) > indent);
        let pad = " ".repeat(indent);
        match rng.below(4) {
            0 => lines[i] = format!("{pad}{key}: {tag}-value-{n}"),
            1 if !next_is_child => lines.insert(i + 1, format!("{pad}{tag}added{n}: {n}")),
            2 if !next_is_child && !lines[i].trim_start().starts_with("- ") => {
                lines.remove(i);
            }
            3 if !lines[i].trim_start().starts_with("- ") => {
                lines.insert(i, format!("{pad}# {tag} note {n}"))
            }
            _ => {}
        }
    }
    lines.join("\n")
}
