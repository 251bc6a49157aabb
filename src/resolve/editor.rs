//! Editing one conflict in the user's editor: its text, markers included,
//! goes to a temporary file; the editor runs on the terminal; what it saved
//! comes back. The terminal itself is handed over by the caller.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The editor command: `$EDITOR`, then `$VISUAL`, then `vi` (empty values
/// count as unset).
pub(crate) fn command(var: impl Fn(&str) -> Option<OsString>) -> OsString {
    ["EDITOR", "VISUAL"]
        .iter()
        .filter_map(|name| var(name))
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "vi".into())
}

/// Runs `editor` on a temporary file holding `text` and returns what it
/// saved; an error message (for the status line) when the editor cannot be
/// started or fails, so that a failed edit never replaces a conflict.
pub(crate) fn edit(editor: &OsString, text: &[u8]) -> Result<String, String> {
    let file = TempFile::create(text).map_err(|e| format!("cannot write a temporary file: {e}"))?;
    // Through the shell, as git runs editors: `EDITOR="code --wait"` and
    // editors with options work.
    let mut script = editor.clone();
    script.push(" \"$@\"");
    let status = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .arg(editor)
        .arg(&file.path)
        .status()
        .map_err(|e| {
            format!(
                "cannot start the editor ({}): {e}",
                editor.to_string_lossy()
            )
        })?;
    if !status.success() {
        return Err(format!(
            "the editor ({}) failed ({status}): conflict left as it was",
            editor.to_string_lossy()
        ));
    }
    let saved = std::fs::read(&file.path).map_err(|e| format!("cannot read the edit back: {e}"))?;
    Ok(String::from_utf8_lossy(&saved).into_owned())
}

/// A temporary `.yaml` file (so editors highlight it), created new and
/// removed when dropped.
struct TempFile {
    path: PathBuf,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

impl TempFile {
    fn create(text: &[u8]) -> std::io::Result<TempFile> {
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = std::env::temp_dir()
                .join(format!("yamerge-conflict-{}-{n}.yaml", std::process::id()));
            // `create_new`: never write through a file (or link) someone
            // else put there first.
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    std::io::Write::write_all(&mut f, text)?;
                    return Ok(TempFile { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_then_visual_then_vi() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        assert_eq!(command(env(&[("EDITOR", "ed"), ("VISUAL", "vis")])), "ed");
        assert_eq!(command(env(&[("EDITOR", ""), ("VISUAL", "vis")])), "vis");
        assert_eq!(command(env(&[])), "vi");
    }

    /// A fake editor: a shell command that replaces the file's `2` by `4`
    /// and checks it was handed the markers.
    #[test]
    fn what_the_editor_saves_comes_back() {
        let editor: OsString =
            "f() { grep -q '^<<<<<<< ' \"$1\" && sed -i 's/2/4/' \"$1\"; }; f".into();
        let got = edit(&editor, b"<<<<<<< c\nb: 2\n=======\nb: 3\n>>>>>>> i\n").unwrap();
        assert_eq!(got, "<<<<<<< c\nb: 4\n=======\nb: 3\n>>>>>>> i\n");
    }

    #[test]
    fn a_failing_editor_changes_nothing() {
        let e = edit(&"false".into(), b"x\n").unwrap_err();
        assert!(e.starts_with("the editor (false) failed"), "{e}");
    }
}
