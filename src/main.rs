//! The `yamerge` binary: parse arguments, run, map the outcome to an exit code.
#![forbid(unsafe_code)]

fn main() {
    std::process::exit(yamerge::cli::main_with_args(std::env::args_os()));
}
