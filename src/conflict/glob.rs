//! Glob patterns on YAML paths, so that a script can name the conflicts it
//! resolves (`kubeadmconfig.*`, `pack.podCIDR`, `*[name=audit-log]*`).
//!
//! `*` matches any run of characters (dots and brackets included, so one
//! `*` reaches into nested entries), `?` exactly one character; everything
//! else matches itself. There are no character classes: `[` and `]` are
//! part of paths (`list[name=x]`, `[3]`) and must match literally.

/// Whether `path` matches the glob `pattern` as a whole.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = path.chars().collect();
    // The classic two-pointer matcher: on a mismatch, go back to the last
    // `*` and let it swallow one more character. Linear in practice, and
    // never recursive, so no pattern can blow the stack.
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, si));
                pi += 1;
            }
            Some(&c) if c == '?' || c == s[si] => {
                pi += 1;
                si += 1;
            }
            _ => match star {
                Some((sp, ss)) => {
                    pi = sp + 1;
                    si = ss + 1;
                    star = Some((sp, ss + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::path_matches;

    #[test]
    fn literal_paths_match_only_themselves() {
        assert!(path_matches("pack.podCIDR", "pack.podCIDR"));
        assert!(!path_matches("pack.podCIDR", "pack.podCIDRs"));
        assert!(!path_matches("pack", "pack.podCIDR"));
        assert!(path_matches("", ""));
        assert!(!path_matches("", "a"));
    }

    #[test]
    fn a_star_reaches_into_nested_entries() {
        assert!(path_matches(
            "kubeadmconfig.*",
            "kubeadmconfig.apiServer.extraArgs"
        ));
        assert!(!path_matches("kubeadmconfig.*", "kubeadmconfig"));
        assert!(path_matches("*", ""));
        assert!(path_matches(
            "*.extraArgs*",
            "kubeadmconfig.apiServer.extraArgs"
        ));
        assert!(path_matches("a*b*c", "a-b-b-c"));
        assert!(!path_matches("a*b*c", "a-b-b-d"));
    }

    #[test]
    fn brackets_are_literal_and_question_marks_take_one_character() {
        assert!(path_matches("l[name=x].v", "l[name=x].v"));
        assert!(!path_matches("l[name=x].v", "lx.v"));
        assert!(path_matches("l[?].v", "l[3].v"));
        assert!(!path_matches("l[?].v", "l[12].v"));
        assert!(path_matches("é?", "éa"));
    }
}
