//! The terminal: raw mode and the alternate screen for as long as the
//! resolver runs (restored on every way out, a panic included), the loop
//! that reads keys and draws, and handing the terminal to the editor.

use std::io::{self, Stdout, Write};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::crossterm::{cursor, execute, terminal};

use super::app::{Action, App, Key};
use super::plain::Plain;
use super::theme::Theme;
use super::{Finish, draw, editor};

type Backend = CrosstermBackend<Plain<Stdout>>;

/// The terminal in the resolver's hands; dropping it gives it back.
struct Screen {
    terminal: Terminal<Backend>,
}

impl Screen {
    fn enter(plain: bool) -> io::Result<Screen> {
        take_over()?;
        let backend = CrosstermBackend::new(Plain::new(io::stdout(), plain));
        match Terminal::new(backend) {
            Ok(terminal) => Ok(Screen { terminal }),
            Err(e) => {
                let _ = give_back();
                Err(e)
            }
        }
    }

    /// Runs `f` with the terminal as the shell left it (for the editor),
    /// then takes it over again and redraws everything.
    fn lend<T>(&mut self, f: impl FnOnce() -> T) -> io::Result<T> {
        give_back()?;
        let out = f();
        take_over()?;
        self.terminal.clear()?;
        Ok(out)
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = give_back();
    }
}

fn take_over() -> io::Result<()> {
    terminal::enable_raw_mode()?;
    execute!(io::stdout(), terminal::EnterAlternateScreen, cursor::Hide)
}

fn give_back() -> io::Result<()> {
    let mut out = io::stdout();
    execute!(out, cursor::Show, terminal::LeaveAlternateScreen)?;
    out.flush()?;
    terminal::disable_raw_mode()
}

/// Runs the resolver until the user writes or quits.
pub(crate) fn run(app: &mut App, theme: Theme) -> io::Result<Finish> {
    let mut screen = Screen::enter(theme.is_plain())?;
    loop {
        screen.terminal.draw(|f| draw::draw(f, app, &theme))?;
        let Some(key) = read_key()? else { continue };
        match app.key(key) {
            Action::Continue => {}
            Action::Edit(k) => {
                let text = app.hunk_text(k).unwrap_or_default().to_vec();
                let editor = editor::command(|name| std::env::var_os(name));
                let saved = screen.lend(|| editor::edit(&editor, &text))?;
                app.edited(k, saved);
            }
            Action::Write => return Ok(Finish::Write),
            Action::Quit => return Ok(Finish::Quit),
        }
    }
}

/// The next key press; `None` for other events (a resize: the loop redraws).
fn read_key() -> io::Result<Option<Key>> {
    let Event::Key(k) = event::read()? else {
        return Ok(None);
    };
    if k.kind == KeyEventKind::Release {
        return Ok(None);
    }
    Ok(Some(match k.code {
        KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => Key::Interrupt,
        KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => Key::Char(c),
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        _ => Key::Other,
    }))
}
