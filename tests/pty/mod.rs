//! Runs a program in a pseudo-terminal, as a person at a terminal would:
//! keys are typed into it, and what it draws is read back as a screen
//! (through a VT100 parser, so a test waits for what is shown rather than
//! for bytes that a redraw may split) and as the raw bytes it wrote.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

/// How long a test waits for a screen before failing: generous, for a
/// loaded 2-core CI machine.
const PATIENCE: Duration = Duration::from_secs(30);

/// What the program wrote so far.
#[derive(Default)]
struct Seen {
    parser: Option<vt100::Parser>,
    raw: Vec<u8>,
}

/// A program running in a pseudo-terminal.
pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    seen: Arc<Mutex<Seen>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Pty {
    /// Starts `cmd` in a `cols`×`rows` terminal.
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let child = pair.slave.spawn_command(cmd).expect("start the program");
        // Only the child holds the terminal's other end, so that reading
        // ends when it exits.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("read the terminal");
        let writer = pair.master.take_writer().expect("write to the terminal");
        let seen = Arc::new(Mutex::new(Seen {
            parser: Some(vt100::Parser::new(
                rows.try_into().expect("rows"),
                cols.try_into().expect("cols"),
                0,
            )),
            raw: Vec::new(),
        }));
        let sink = Arc::clone(&seen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut seen = sink.lock().expect("lock");
                seen.raw.extend_from_slice(&buf[..n]);
                if let Some(p) = seen.parser.as_mut() {
                    p.process(&buf[..n]);
                }
            }
        });
        Pty {
            child,
            writer,
            seen,
            _master: pair.master,
        }
    }

    /// The screen as text.
    pub fn screen(&self) -> String {
        let seen = self.seen.lock().expect("lock");
        seen.parser
            .as_ref()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    /// Everything the program wrote, escape sequences included.
    pub fn raw(&self) -> Vec<u8> {
        self.seen.lock().expect("lock").raw.clone()
    }

    /// Waits until the screen shows `text`; fails the test with the screen
    /// when it does not in time.
    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "the screen never showed {text:?}; it shows:\n{}",
            self.screen()
        );
    }

    /// Types keys.
    pub fn send(&mut self, keys: &str) {
        self.writer
            .write_all(keys.as_bytes())
            .and_then(|()| self.writer.flush())
            .expect("type into the terminal");
    }

    /// Waits for the program to exit and returns its exit status.
    pub fn wait(&mut self) -> u32 {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if let Some(status) = self.child.try_wait().expect("wait for the program") {
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!(
            "the program did not exit; the screen shows:\n{}",
            self.screen()
        );
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        // A test that failed midway must not leave the program running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}

/// The `yamerge` binary with `args`, run in `dir`, with a plain
/// environment: a colour terminal, no editor, no colour override.
pub fn yamerge(dir: &std::path::Path, args: &[&str]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_yamerge"));
    cmd.args(args);
    cmd.cwd(dir);
    cmd.env_clear();
    cmd.env("TERM", "xterm-256color");
    cmd.env("LC_ALL", "C.UTF-8");
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    cmd
}
