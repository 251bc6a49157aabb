//! The terminal: raw mode and the alternate screen for as long as the
//! resolver runs (restored on every way out, a panic included), the loop
//! that reads keys, draws, and runs the work after a choice on a worker
//! thread, and handing the terminal to the editor.

use std::io::{self, Stdout, Write};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::crossterm::{cursor, execute, terminal};

use super::app::{Action, App, Key};
use super::plain::Plain;
use super::settle::{Settled, settle};
use super::theme::Theme;
use super::{Finish, draw, editor};

type Backend = CrosstermBackend<Plain<Stdout>>;

/// The terminal in the resolver's hands; dropping it gives it back.
struct Screen {
    terminal: Terminal<Backend>,
    plain: bool,
}

impl Screen {
    fn enter(plain: bool) -> io::Result<Screen> {
        take_over()?;
        match fresh(plain) {
            Ok(terminal) => Ok(Screen { terminal, plain }),
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
        // A new terminal value forgets what was drawn, so the next frame is
        // drawn whole (`Terminal::clear` would ask the terminal for the
        // cursor position, which not every terminal answers).
        self.terminal = fresh(self.plain)?;
        Ok(out)
    }
}

fn fresh(plain: bool) -> io::Result<Terminal<Backend>> {
    Terminal::new(CrosstermBackend::new(Plain::new(io::stdout(), plain)))
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = give_back();
    }
}

fn take_over() -> io::Result<()> {
    terminal::enable_raw_mode()?;
    execute!(
        io::stdout(),
        terminal::EnterAlternateScreen,
        terminal::Clear(terminal::ClearType::All),
        cursor::Hide
    )
}

fn give_back() -> io::Result<()> {
    let mut out = io::stdout();
    execute!(out, cursor::Show, terminal::LeaveAlternateScreen)?;
    out.flush()?;
    terminal::disable_raw_mode()
}

/// The worker thread's results, and whether one is on its way.
struct Worker {
    send: Sender<Settled>,
    results: Receiver<Settled>,
    busy: bool,
}

impl Worker {
    fn new() -> Worker {
        let (send, results) = channel();
        Worker {
            send,
            results,
            busy: false,
        }
    }

    /// Starts the work the app needs, unless some is under way.
    fn start(&mut self, app: &mut App) {
        if self.busy {
            return;
        }
        if let Some(job) = app.job() {
            let send = self.send.clone();
            std::thread::spawn(move || send.send(settle(job)));
            self.busy = true;
        }
    }

    /// Hands a finished result to the app; `true` when there was one.
    fn collect(&mut self, app: &mut App) -> bool {
        match self.results.try_recv() {
            Ok(settled) => {
                self.busy = false;
                app.settled(settled);
                true
            }
            Err(_) => false,
        }
    }

    /// Finishes the work for the text as it stands before it is written,
    /// so that what is written does not depend on how fast keys came.
    fn finish(&mut self, app: &mut App) {
        if self.busy
            && let Ok(settled) = self.results.recv()
        {
            app.settled(settled);
        }
        self.busy = false;
        while let Some(job) = app.job() {
            app.settled(settle(job));
        }
    }
}

/// Runs the resolver until the user writes or quits.
pub(crate) fn run(app: &mut App, theme: Theme) -> io::Result<Finish> {
    let mut screen = Screen::enter(theme.is_plain())?;
    let mut worker = Worker::new();
    loop {
        screen.terminal.draw(|f| draw::draw(f, app, &theme))?;
        worker.start(app);
        // While the worker runs, look for its result between keys.
        if worker.busy && !event::poll(Duration::from_millis(10))? {
            worker.collect(app);
            continue;
        }
        let Some(key) = read_key()? else { continue };
        match app.key(key) {
            Action::Continue => {}
            Action::Edit(k) => {
                let text = app.hunk_text(k).unwrap_or_default().to_vec();
                let editor = editor::command(|name| std::env::var_os(name));
                let saved = screen.lend(|| editor::edit(&editor, &text))?;
                app.edited(k, saved);
            }
            Action::Write => {
                worker.finish(app);
                return Ok(Finish::Write);
            }
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
