//! A writer that drops every SGR escape sequence (`ESC [ … m`: colours and
//! text attributes) on its way to the terminal. With `NO_COLOR` or
//! `TERM=dumb` the resolver draws with default styles, but ratatui's
//! backend still resets colours after every frame; this removes those too,
//! so a plain screen holds no colour code at all. Cursor movement and
//! screen control pass through.

use std::io::{self, Write};

/// Where a sequence being read stands; an SGR sequence may arrive split
/// across several writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    Escape,
    /// Inside `ESC [`, with the parameter bytes held back so far.
    Csi,
}

/// Wraps a writer; when `strip` is off, bytes pass untouched.
pub(crate) struct Plain<W: Write> {
    inner: W,
    strip: bool,
    state: State,
    held: Vec<u8>,
}

impl<W: Write> Plain<W> {
    pub(crate) fn new(inner: W, strip: bool) -> Plain<W> {
        Plain {
            inner,
            strip,
            state: State::Text,
            held: Vec::new(),
        }
    }

    /// Filters one chunk into bytes to pass on.
    fn filter(&mut self, buf: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(buf.len());
        for &b in buf {
            match (self.state, b) {
                (State::Text, 0x1b) => {
                    self.state = State::Escape;
                    self.held = vec![b];
                }
                (State::Text, _) => out.push(b),
                (State::Escape, b'[') => {
                    self.state = State::Csi;
                    self.held.push(b);
                }
                (State::Escape, _) => {
                    out.extend_from_slice(&self.held);
                    out.push(b);
                    self.state = State::Text;
                }
                // Parameter and intermediate bytes of a control sequence.
                (State::Csi, 0x20..=0x3f) => self.held.push(b),
                (State::Csi, _) => {
                    if b != b'm' {
                        out.extend_from_slice(&self.held);
                        out.push(b);
                    }
                    self.held.clear();
                    self.state = State::Text;
                }
            }
        }
        out
    }
}

impl<W: Write> Write for Plain<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.strip {
            return self.inner.write(buf);
        }
        let out = self.filter(buf);
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(strip: bool, chunks: &[&[u8]]) -> Vec<u8> {
        let mut p = Plain::new(Vec::new(), strip);
        for c in chunks {
            p.write_all(c).unwrap();
        }
        p.inner
    }

    #[test]
    fn colour_codes_go_cursor_moves_stay() {
        let got = through(
            true,
            &[b"\x1b[2J\x1b[1;1Ha\x1b[38;5;2mb\x1b[39m\x1b[0mc\x1b7"],
        );
        assert_eq!(got, b"\x1b[2J\x1b[1;1Habc\x1b7");
    }

    #[test]
    fn a_sequence_split_across_writes_is_still_dropped() {
        let got = through(true, &[b"x\x1b", b"[", b"3", b"2m", b"y"]);
        assert_eq!(got, b"xy");
    }

    #[test]
    fn without_strip_nothing_changes() {
        let bytes = b"\x1b[31mred\x1b[0m";
        assert_eq!(through(false, &[bytes]), bytes);
    }
}
