//! The README's "Upgrade a cluster profile" walkthrough runs as written.
//!
//! Between `<!-- walkthrough: begin -->` and `<!-- walkthrough: end -->`,
//! every ```` ```console ```` block holds commands (`$ ` lines) each followed
//! by the output it must print (standard output, then standard error). Each
//! command runs from the repository root through `sh -c`, with the built
//! `yamerge` first on `PATH`, so it runs exactly as a reader would type it.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Step {
    command: String,
    output: String,
}

fn steps(readme: &str) -> Vec<Step> {
    let begin = readme
        .find("<!-- walkthrough: begin -->")
        .expect("README has no `<!-- walkthrough: begin -->` marker");
    let end = readme[begin..]
        .find("<!-- walkthrough: end -->")
        .map(|e| begin + e)
        .expect("README has no `<!-- walkthrough: end -->` marker");
    let mut steps: Vec<Step> = Vec::new();
    let mut in_block = false;
    for line in readme[begin..end].lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block && line.trim() == "```console";
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ ") {
            steps.push(Step {
                command: cmd.to_string(),
                output: String::new(),
            });
        } else if let Some(step) = steps.last_mut() {
            step.output.push_str(line);
            step.output.push('\n');
        }
    }
    steps
}

#[test]
fn readme_walkthrough_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let steps = steps(&readme);
    assert!(
        steps
            .iter()
            .filter(|s| s.command.starts_with("yamerge profile"))
            .count()
            >= 1
            && steps
                .iter()
                .filter(|s| s.command.starts_with("yamerge diff"))
                .count()
                >= 2,
        "the walkthrough must run `yamerge diff` and `yamerge profile`"
    );
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_yamerge"));
    let bin_dir = bin.parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    // A fresh start, as for a reader: no output of an earlier run.
    let _ = std::fs::remove_dir_all(root.join("target/upgrade"));
    for step in &steps {
        let out = Command::new("sh")
            .arg("-c")
            .arg(&step.command)
            .current_dir(root)
            .env("PATH", &path)
            // `ls` sorts the same everywhere.
            .env("LC_ALL", "C")
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        let code = out.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "`{}` failed ({code:?}): {}",
            step.command,
            String::from_utf8_lossy(&out.stderr)
        );
        let got = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            got, step.output,
            "output of `{}` differs from the README",
            step.command
        );
    }
}

#[test]
fn walkthrough_parser_reads_commands_and_outputs() {
    let text = "x\n<!-- walkthrough: begin -->\n```console\n$ a 1\nout\n$ b\n```\nprose\n```sh\n$ not run\n```\n<!-- walkthrough: end -->\n";
    let s = steps(text);
    assert_eq!(s.len(), 2);
    assert_eq!(
        (s[0].command.as_str(), s[0].output.as_str()),
        ("a 1", "out\n")
    );
    assert_eq!((s[1].command.as_str(), s[1].output.as_str()), ("b", ""));
}
