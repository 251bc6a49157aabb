//! The resolver without a terminal: the same state, keys and drawing, on
//! an in-memory screen. For the screen snapshots and the benches, which
//! must drive exactly what a person sees, from outside the crate.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::conflict::Session;

use super::app::{Action, App, Key};
use super::draw;
use super::settle::settle;
use super::theme::Theme;

/// A resolver drawing into a `width`×`height` buffer.
pub struct Headless {
    app: App,
    terminal: Terminal<TestBackend>,
    theme: Theme,
    pending_edit: Option<usize>,
}

/// What a key press asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pressed {
    /// Nothing beyond a new screen.
    Continue,
    /// The editor: answer with [`Headless::edited`].
    Edit,
    /// Write and quit.
    Write,
    /// Quit without writing.
    Quit,
}

impl Headless {
    /// Reads a conflicted text and draws the first screen (plain styles),
    /// without the work that follows (the paths: see [`Self::settle`]).
    pub fn open_first_frame(
        name: &str,
        text: &[u8],
        width: u16,
        height: u16,
    ) -> Result<Headless, String> {
        let session =
            Session::open(text).map_err(|e| format!("{name}:{}: {}", e.line, e.reason))?;
        let terminal = Terminal::new(TestBackend::new(width, height)).map_err(|e| e.to_string())?;
        let mut h = Headless {
            app: App::new(name, session),
            terminal,
            theme: Theme::new(true),
            pending_edit: None,
        };
        h.draw();
        Ok(h)
    }

    /// Reads a conflicted text and draws the screen a person sees once the
    /// work after opening (the conflicts' paths) is done.
    pub fn open(name: &str, text: &[u8], width: u16, height: u16) -> Result<Headless, String> {
        let mut h = Headless::open_first_frame(name, text, width, height)?;
        h.settle();
        Ok(h)
    }

    /// Presses a key, then does the work it left (the re-merge after a
    /// choice, the paths) as the terminal's worker thread would, and draws
    /// the screen as it then stands.
    pub fn press(&mut self, key: char) -> Pressed {
        let pressed = self.press_first_frame(key);
        self.settle();
        pressed
    }

    /// Does the work the last key left, if any, and draws the screen again.
    pub fn settle(&mut self) {
        let mut any = false;
        while let Some(job) = self.app.job() {
            self.app.settled(settle(job));
            any = true;
        }
        if any {
            self.draw();
        }
    }

    /// Presses a key (arrows as `←`, `→`, `↑`, `↓`) and draws the frame
    /// that answers it: what the terminal shows at once, before the work on
    /// the worker thread.
    pub fn press_first_frame(&mut self, key: char) -> Pressed {
        let key = match key {
            '←' => Key::Left,
            '→' => Key::Right,
            '↑' => Key::Up,
            '↓' => Key::Down,
            c => Key::Char(c),
        };
        let pressed = match self.app.key(key) {
            Action::Continue => Pressed::Continue,
            Action::Edit(k) => {
                self.pending_edit = Some(k);
                Pressed::Edit
            }
            Action::Write => Pressed::Write,
            Action::Quit => Pressed::Quit,
        };
        self.draw();
        pressed
    }

    /// Answers [`Pressed::Edit`] with what the editor would have saved and
    /// draws the frame that answers it (then [`Self::settle`], as after
    /// [`Self::press_first_frame`]).
    pub fn edited(&mut self, saved: &str) {
        if let Some(k) = self.pending_edit.take() {
            self.app.edited(k, Ok(saved.to_string()));
        }
        self.draw();
    }

    /// The text as it stands.
    pub fn text(&self) -> &[u8] {
        self.app.session().text().text()
    }

    /// How many conflicts are left.
    pub fn conflicts(&self) -> usize {
        self.app.session().conflicts()
    }

    /// The screen as text, one line per row, trailing blanks kept.
    pub fn screen(&self) -> String {
        let buffer = self.terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buffer.area.height {
            for x in 0..buffer.area.width {
                out.push_str(buffer[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    }

    fn draw(&mut self) {
        let (app, theme) = (&self.app, &self.theme);
        // A TestBackend cannot fail to draw.
        let _ = self.terminal.draw(|f| draw::draw(f, app, theme));
    }
}
