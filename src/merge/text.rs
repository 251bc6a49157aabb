//! Text comparisons and re-indentation the merge decisions rest on.

/// Compares two texts line by line, ignoring the given indentation on each,
/// the line-break style, and whether the last line has a line break (a file
/// that ends without one is not a change to its last entry).
pub(crate) fn same_text(a: &str, a_col: u32, b: &str, b_col: u32) -> bool {
    if a_col == b_col && a == b {
        return true;
    }
    fn strip(line: &str, col: u32) -> &str {
        let col = col as usize;
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.len() >= col && line.as_bytes()[..col].iter().all(|&b| b == b' ') {
            &line[col..]
        } else {
            line
        }
    }
    let mut la = a.split_inclusive('\n');
    let mut lb = b.split_inclusive('\n');
    loop {
        match (la.next(), lb.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if strip(x, a_col) == strip(y, b_col) => {}
            _ => return false,
        }
    }
}

/// Re-indents `text` (from one version) from column `from` to `to`, as it
/// will be printed in the layout. Its first line is left alone unless it
/// `starts_line`; blank lines and lines indented less than `from` (block
/// scalar content sits left of its `|`) too.
pub(crate) fn shift_text(text: &str, from: u32, to: u32, starts_line: bool, out: &mut String) {
    if from == to {
        out.push_str(text);
        return;
    }
    let (from, to) = (from as usize, to as usize);
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let spaces = line.bytes().take_while(|&b| b == b' ').count();
        if (i > 0 || starts_line) && spaces >= from && line.trim_end().len() > spaces {
            out.extend(std::iter::repeat_n(' ', to));
            out.push_str(&line[from..]);
        } else {
            out.push_str(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_text_ignores_indentation_line_breaks_and_the_last_break() {
        assert!(same_text("a: 1\n  b: 2\n", 0, "  a: 1\n    b: 2\n", 2));
        assert!(same_text("a: 1\r\n", 0, "a: 1\n", 0));
        assert!(same_text("a: 1\n", 0, "a: 1", 0));
        assert!(!same_text("a: 1\n", 0, "a: 2\n", 0));
        assert!(!same_text("a: 1\n", 0, "a: 1\nb: 2\n", 0));
        // Less indentation than the column is text, not indentation.
        assert!(!same_text(" a\n", 2, "a\n", 0));
    }

    #[test]
    fn shift_text_moves_lines_that_hold_text() {
        let mut out = String::new();
        shift_text("a:\n    b: 1\n\n    c: |\n  x\n", 4, 2, false, &mut out);
        assert_eq!(out, "a:\n  b: 1\n\n  c: |\n  x\n");
        let mut out = String::new();
        shift_text("    a: 1\n", 4, 0, true, &mut out);
        assert_eq!(out, "a: 1\n");
    }
}
