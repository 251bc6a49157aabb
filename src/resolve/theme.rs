//! The resolver's colours, or none: with `NO_COLOR` set or `TERM=dumb`
//! every style is the terminal's default, and what a side changed shows by
//! the `+`/`-` gutter alone (drawn in both cases).

use ratatui::style::{Color, Modifier, Style};

/// Which part of a conflict a pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Current,
    Base,
    Incoming,
}

/// Styles for every element of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Theme {
    plain: bool,
}

impl Theme {
    /// Colours, or none when `plain`.
    pub(crate) fn new(plain: bool) -> Theme {
        Theme { plain }
    }

    /// Whether the environment asks for no colour: `NO_COLOR` set to
    /// anything but the empty string (no-color.org), or `TERM=dumb`.
    pub(crate) fn plain_from(var: impl Fn(&str) -> Option<String>) -> bool {
        var("NO_COLOR").is_some_and(|v| !v.is_empty()) || var("TERM").is_some_and(|t| t == "dumb")
    }

    pub(crate) fn is_plain(&self) -> bool {
        self.plain
    }

    fn pick(&self, style: Style) -> Style {
        if self.plain { Style::default() } else { style }
    }

    /// The header line.
    pub(crate) fn header(&self) -> Style {
        self.pick(Style::new().fg(Color::Black).bg(Color::Cyan))
    }

    /// A pane's title line.
    pub(crate) fn title(&self, part: Part) -> Style {
        self.pick(
            Style::new()
                .fg(self.colour(part))
                .add_modifier(Modifier::BOLD),
        )
    }

    /// A line a side changed (or, on base, one a side changed or removed).
    pub(crate) fn changed(&self, part: Part) -> Style {
        self.pick(Style::new().fg(self.colour(part)))
    }

    /// The words that differ within a changed line.
    pub(crate) fn words(&self, part: Part) -> Style {
        self.pick(
            Style::new()
                .fg(Color::Black)
                .bg(self.colour(part))
                .add_modifier(Modifier::BOLD),
        )
    }

    /// The clean text around the conflict, and remarks in panes.
    pub(crate) fn context(&self) -> Style {
        self.pick(Style::new().fg(Color::DarkGray))
    }

    /// The key letters of the help line.
    pub(crate) fn key(&self) -> Style {
        self.pick(Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED))
    }

    /// The status line while a question waits for its answer.
    pub(crate) fn question(&self) -> Style {
        self.pick(Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD))
    }

    fn colour(&self, part: Part) -> Color {
        match part {
            Part::Current => Color::Green,
            Part::Base => Color::Red,
            Part::Incoming => Color::Blue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn no_color_and_dumb_terminals_are_plain() {
        assert!(Theme::plain_from(env(&[("NO_COLOR", "1")])));
        assert!(Theme::plain_from(env(&[("TERM", "dumb")])));
        assert!(!Theme::plain_from(env(&[
            ("NO_COLOR", ""),
            ("TERM", "xterm")
        ])));
        assert!(!Theme::plain_from(env(&[])));
    }

    #[test]
    fn plain_styles_are_all_default() {
        let t = Theme::new(true);
        assert!(t.is_plain());
        for part in [Part::Current, Part::Base, Part::Incoming] {
            assert_eq!(t.changed(part), Style::default());
            assert_eq!(t.words(part), Style::default());
        }
        assert_eq!(t.key(), Style::default());
        assert_ne!(Theme::new(false).header(), Style::default());
    }
}
