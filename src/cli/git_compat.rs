//! What the commands git runs on any file (`merge-file`, `git-driver`)
//! take from git's own conventions: its marker size rule and its test for
//! binary files.

use crate::Input;

/// How far git looks for a NUL byte to call a file binary.
const BINARY_PROBE: usize = 8000;

/// Git's marker size rule: a size of 0 means the default, 7.
pub(crate) fn git_marker_size(requested: usize) -> usize {
    if requested == 0 { 7 } else { requested }
}

/// The name of the first input that looks binary by git's test (a NUL byte
/// in its first 8000 bytes): neither merge applies to it.
pub(crate) fn binary_input<'a>(inputs: &[Input<'a>]) -> Option<&'a str> {
    inputs
        .iter()
        .find(|i| i.bytes[..i.bytes.len().min(BINARY_PROBE)].contains(&0))
        .map(|i| i.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_inputs_are_found() {
        let inputs = [Input::new("a", b"x"), Input::new("b", b"y\0z")];
        assert_eq!(binary_input(&inputs), Some("b"));
        assert_eq!(binary_input(&inputs[..1]), None);
    }
}
