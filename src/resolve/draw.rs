//! Laying out and drawing the resolver's screen: a header with the file,
//! the conflict's number and its YAML path; the clean lines above; the
//! sections side by side on a wide terminal (stacked on a narrow one), each
//! line with a `+` (a side changed it) or `-` (base's line a side changed
//! or removed) gutter; the clean lines below; the status line; the keys.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::conflict::MarkedLine;

use super::app::App;
use super::theme::{Part, Theme};
use super::view::{Pane, View};

/// From this width on, the sections stand side by side.
const SIDE_BY_SIDE_FROM: u16 = 120;

/// The keys and what they do, as the help line shows them.
const KEYS: [(&str, &str); 10] = [
    ("c", "current"),
    ("i", "incoming"),
    ("b", "both"),
    ("B", "both, incoming first"),
    ("o", "base"),
    ("e", "edit"),
    ("n/p", "next/prev"),
    ("u", "undo"),
    ("w", "write & quit"),
    ("q", "quit"),
];

/// Draws the whole screen.
pub(crate) fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    let help = help_lines(area.width, theme);
    let view = app
        .shown()
        .and_then(|k| View::of(app, k, context_lines(area.height.saturating_sub(4))));
    let heading = view.as_ref().map_or_else(
        || "all conflicts resolved".to_string(),
        |v| v.heading.clone(),
    );
    // The re-merge and the paths run on a worker thread after a key.
    let working = if app.unsettled() {
        " · working…"
    } else {
        ""
    };
    let title = printable(&format!(" {} · {heading}{working}", app.name));
    // A long YAML path takes a second line rather than being cut.
    let title_rows = if title.chars().count() > area.width as usize {
        2
    } else {
        1
    };
    let [header, body, status, keys] = Layout::vertical([
        Constraint::Length(title_rows),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(help.len() as u16),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(title)
            .wrap(Wrap { trim: false })
            .style(theme.header()),
        header,
    );
    match &view {
        Some(v) => draw_conflict(frame, body, v, theme),
        None => draw_done(frame, body, app, theme),
    }
    let status_style = if app.asking_to_quit() {
        theme.question()
    } else {
        Style::default()
    };
    frame.render_widget(
        Paragraph::new(printable(&format!(" {}", app.message()))).style(status_style),
        status,
    );
    frame.render_widget(Paragraph::new(help), keys);
}

/// How many clean lines to show above and below, for a body this tall.
fn context_lines(height: u16) -> usize {
    match height {
        0..12 => 1,
        12..30 => 3,
        _ => 5,
    }
}

fn draw_conflict(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
    let (above_n, below_n) = (view.above.len() as u16, view.below.len() as u16);
    let room = area.height.saturating_sub(above_n + below_n) as usize;
    let needs: Vec<usize> = view.panes.iter().map(|p| p.lines.len().max(1)).collect();
    let side_by_side = area.width >= SIDE_BY_SIDE_FROM;
    // Rows of each pane's lines (its title takes one more): side by side,
    // all as tall as the tallest needs; stacked, the room shared out.
    let rows: Vec<usize> = if side_by_side {
        let tallest = needs.iter().copied().max().unwrap_or(1);
        vec![tallest.min(room.saturating_sub(1)); needs.len()]
    } else {
        share(room.saturating_sub(needs.len()), &needs)
    };
    let panes_height = if side_by_side {
        rows[0] + 1
    } else {
        rows.iter().sum::<usize>() + rows.len()
    };
    // The clean lines below follow the conflict; spare rows stay at the end.
    let [above, middle, below, _] = Layout::vertical([
        Constraint::Length(above_n),
        Constraint::Length(panes_height as u16),
        Constraint::Length(below_n),
        Constraint::Min(0),
    ])
    .areas(area);
    let number_width = view
        .below
        .last()
        .or(view.above.last())
        .map_or(1, |(n, _)| n.to_string().len());
    frame.render_widget(context(&view.above, number_width, theme), above);
    frame.render_widget(context(&view.below, number_width, theme), below);
    let places = if side_by_side {
        Layout::horizontal(vec![Constraint::Fill(1); view.panes.len()])
            .spacing(1)
            .split(middle)
    } else {
        Layout::vertical(rows.iter().map(|&n| Constraint::Length(n as u16 + 1))).split(middle)
    };
    for ((pane, place), &n) in view.panes.iter().zip(places.iter()).zip(&rows) {
        frame.render_widget(pane_text(pane, n, place.width, theme), *place);
    }
}

/// The clean lines around the conflict, numbered, dimmed.
fn context<'a>(lines: &'a [(usize, String)], width: usize, theme: &Theme) -> Paragraph<'a> {
    let lines: Vec<Line> = lines
        .iter()
        .map(|(n, text)| {
            Line::styled(
                format!("{n:>width$} │ {}", printable(text)),
                theme.context(),
            )
        })
        .collect();
    Paragraph::new(lines)
}

/// A pane: its title line, then at most `rows` lines (the last saying how
/// many more there are when they do not fit).
fn pane_text<'a>(pane: &'a Pane, rows: usize, width: u16, theme: &Theme) -> Paragraph<'a> {
    let changed = pane.lines.iter().filter(|l| l.changed).count();
    let summary = match (pane.lines.len(), changed) {
        (0, _) => "empty".to_string(),
        (n, 0) => super::app::plural(n, "line"),
        (n, c) => format!("{}, {c} changed", super::app::plural(n, "line")),
    };
    let head = format!("── {} · {summary} ", pane.title);
    let fill = (width as usize).saturating_sub(head.chars().count());
    let mut lines = vec![Line::styled(
        format!("{head}{}", "─".repeat(fill)),
        theme.title(pane.part),
    )];
    if pane.lines.is_empty() {
        let why = match pane.part {
            Part::Base => "  (no lines: base had nothing here)",
            _ => "  (no lines: this side deleted it)",
        };
        lines.push(Line::styled(why, theme.context()));
    }
    let (start, end) = window(&pane.lines, rows);
    if start > 0 {
        lines.push(Line::styled(
            format!("  … {start} more above"),
            theme.context(),
        ));
    }
    lines.extend(
        pane.lines[start..end]
            .iter()
            .map(|l| marked(l, pane.part, theme)),
    );
    if end < pane.lines.len() {
        lines.push(Line::styled(
            format!(
                "  … {} more (e opens the whole conflict)",
                pane.lines.len() - end
            ),
            theme.context(),
        ));
    }
    Paragraph::new(lines)
}

/// The lines of a section to show in `rows` rows: all when they fit;
/// otherwise a window that starts a line before the first change (so the
/// change is seen), with a row kept for each "… more" notice it needs.
fn window(lines: &[MarkedLine], rows: usize) -> (usize, usize) {
    let n = lines.len();
    if n <= rows {
        return (0, n);
    }
    let first = lines.iter().position(|l| l.changed).unwrap_or(0);
    // A notice for a single line above would hide the line it stands for.
    let start = match first.saturating_sub(1) {
        1 => 0,
        s => s.min(n.saturating_sub(rows.saturating_sub(1))),
    };
    let room = rows.saturating_sub(usize::from(start > 0));
    if start + room >= n {
        (start, n)
    } else {
        (start, start + room.saturating_sub(1))
    }
}

/// One line of a section: the gutter, then its text with the words that
/// differ picked out.
fn marked<'a>(line: &'a MarkedLine, part: Part, theme: &Theme) -> Line<'a> {
    if !line.changed {
        return Line::from(format!("  {}", printable(&line.text)));
    }
    let gutter = if part == Part::Base { "- " } else { "+ " };
    let mut spans = vec![Span::styled(gutter, theme.changed(part))];
    if line.spans.is_empty() {
        spans.push(Span::styled(printable(&line.text), theme.changed(part)));
        return Line::from(spans);
    }
    let mut at = 0;
    for r in &line.spans {
        spans.push(Span::styled(
            printable(&line.text[at..r.start]),
            theme.changed(part),
        ));
        spans.push(Span::styled(
            printable(&line.text[r.clone()]),
            theme.words(part),
        ));
        at = r.end;
    }
    spans.push(Span::styled(
        printable(&line.text[at..]),
        theme.changed(part),
    ));
    Line::from(spans)
}

/// The screen once every conflict is resolved.
fn draw_done(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let lines = vec![
        Line::from(""),
        Line::from("  All conflicts are resolved."),
        Line::from(""),
        Line::from(vec![
            Span::styled(" w ", theme.key()),
            Span::raw(format!(" write {} and quit", app.name)),
        ]),
        Line::from(vec![
            Span::styled(" u ", theme.key()),
            Span::raw(" undo the last choice"),
        ]),
        Line::from(vec![
            Span::styled(" q ", theme.key()),
            Span::raw(" quit without writing"),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines), area);
}

/// The help line, wrapped between keys to fit `width`.
fn help_lines(width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut line: Vec<Span> = Vec::new();
    let mut used = 0;
    for (key, what) in KEYS {
        let len = key.len() + what.len() + 4;
        if used > 0 && used + len > width as usize {
            lines.push(Line::from(std::mem::take(&mut line)));
            used = 0;
        }
        line.push(Span::raw(" "));
        line.push(Span::styled(format!(" {key} "), theme.key()));
        line.push(Span::raw(format!(" {what}")));
        used += len;
    }
    lines.push(Line::from(line));
    lines
}

/// Splits `rows` between panes needing `needs` rows each: every pane gets
/// what it needs when all fit; otherwise the small ones get theirs and the
/// large ones share the rest evenly (each at least one row when possible).
fn share(rows: usize, needs: &[usize]) -> Vec<usize> {
    let mut out = vec![0; needs.len()];
    let mut order: Vec<usize> = (0..needs.len()).collect();
    order.sort_by_key(|&k| needs[k]);
    let mut left = rows;
    for (done, &k) in order.iter().enumerate() {
        let fair = left / (needs.len() - done);
        out[k] = needs[k].min(fair.max(1)).min(left);
        left -= out[k];
    }
    out
}

/// Text safe to hand to the terminal: a control character in a file must
/// not move the cursor or change colours, so each shows as `�`; tabs show as
/// a blank.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_go_to_small_panes_first_then_evenly() {
        assert_eq!(share(20, &[2, 3, 4]), [2, 3, 4]);
        assert_eq!(share(10, &[1, 30, 30]), [1, 4, 5]);
        assert_eq!(share(2, &[5, 5, 5]), [1, 1, 0]);
        assert_eq!(share(0, &[1, 1]), [0, 0]);
    }

    #[test]
    fn a_section_too_long_shows_its_first_change() {
        let lines: Vec<MarkedLine> = (0..10)
            .map(|k| MarkedLine {
                text: k.to_string(),
                changed: k == 6,
                spans: Vec::new(),
            })
            .collect();
        // Notice above, lines 5 and 6, notice below.
        assert_eq!(window(&lines, 4), (5, 7));
        assert_eq!(window(&lines, 20), (0, 10));
        // A change at the end: the window ends there, no notice below.
        let mut late = lines.clone();
        late[6].changed = false;
        late[9].changed = true;
        assert_eq!(window(&late, 4), (7, 10));
        // No change at all (a whole-line edit elsewhere): from the top.
        late[9].changed = false;
        assert_eq!(window(&late, 4), (0, 3));
        assert_eq!(window(&late, 0), (0, 0));
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(printable("a\tb\u{1b}[2Jc\u{7f}"), "a b\u{FFFD}[2Jc\u{FFFD}");
    }

    #[test]
    fn the_help_wraps_between_keys() {
        let theme = Theme::new(true);
        let text = |l: &Line| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
        };
        let narrow = help_lines(80, &theme);
        assert_eq!(narrow.len(), 2);
        assert!(narrow.iter().all(|l| text(l).chars().count() <= 80));
        assert_eq!(help_lines(200, &theme).len(), 1);
    }
}
