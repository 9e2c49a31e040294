//! Tables that fit the terminal (SPEC §12.5): ids, times and numbers are never cut or
//! wrapped; when the table is wider than the terminal, times lose their year, then the
//! widest text columns are cut by display width with `…`. Rows can be coloured: overdue
//! red, due soon yellow. No box-drawing characters: they are of ambiguous width in
//! CJK terminals.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The narrowest a text column is cut to.
const MIN_TEXT: usize = 4;

/// Where output goes: how wide it may be, and whether it may be coloured.
#[derive(Clone, Copy, Debug, Default)]
pub struct Term {
    /// None: as wide as the content (piped output, or `--wide`).
    pub width: Option<usize>,
    pub color: bool,
}

impl Term {
    /// `COLUMNS` when set, else the terminal's width when stdout is one; `--wide` or
    /// piped output without `COLUMNS` are not limited. Colour by `--color`: `auto`
    /// colours a terminal unless `NO_COLOR` is set, and `CLICOLOR_FORCE` forces it.
    pub fn detect(wide: bool, color: Color) -> Term {
        let tty = std::io::IsTerminal::is_terminal(&std::io::stdout());
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let width = match wide {
            true => None,
            false => var("COLUMNS")
                .and_then(|c| c.trim().parse::<usize>().ok())
                .filter(|w| *w > 0)
                .or_else(|| {
                    tty.then(|| comfy_table::Table::new().width().map(usize::from))
                        .flatten()
                }),
        };
        let color = match color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto if var("NO_COLOR").is_some() => false,
            Color::Auto if var("CLICOLOR_FORCE").is_some_and(|v| v != "0") => true,
            Color::Auto => tty && var("TERM").is_none_or(|t| t != "dumb"),
        };
        Term { width, color }
    }
}

/// `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    #[default]
    Auto,
    Always,
    Never,
}

/// How a column gives way when the table is too wide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    /// Never cut: ids, states, short labels.
    Fixed,
    /// A time `2026-11-23 10:15`: loses its year first.
    Time,
    /// A number: never cut, aligned right.
    Number,
    /// Free text: cut with `…`.
    Text,
}

/// How a row is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mark {
    #[default]
    Plain,
    /// Red.
    Overdue,
    /// Yellow: due within 24 hours.
    Soon,
}

/// The table as text, fitted to `term` (every cell made terminal-safe first): columns
/// two spaces apart (one when the terminal is narrow), a dashed rule under the header.
pub fn render(header: &[&str], cols: &[Col], rows: &[(Vec<String>, Mark)], term: Term) -> String {
    let mut cells: Vec<Vec<String>> = rows
        .iter()
        .map(|(row, _)| row.iter().map(|c| crate::output::safe::cell(c).into_owned()).collect())
        .collect();
    let mut header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    let mut gap = 2;
    if let Some(width) = term.width {
        gap = fit(&mut header, &mut cells, cols, width);
    }
    let w = widths(&header, &cells);
    let line = |texts: Vec<&str>| -> String {
        let mut out = String::new();
        for (i, text) in texts.iter().enumerate() {
            if i > 0 {
                out.push_str(&" ".repeat(gap));
            }
            let room = w[i].saturating_sub(text.width());
            match cols.get(i) {
                Some(Col::Number) => out.push_str(&format!("{}{text}", " ".repeat(room))),
                _ => out.push_str(&pad(text, w[i])),
            }
        }
        out.trim_end().to_string()
    };
    let mut out = Vec::new();
    let header_lines = header.iter().map(|h| h.lines().count()).max().unwrap_or(1);
    for k in 0..header_lines {
        out.push(line(
            header.iter().map(|h| h.lines().nth(k).unwrap_or_default()).collect(),
        ));
    }
    out.push(
        w.iter()
            .map(|n| "-".repeat(*n))
            .collect::<Vec<_>>()
            .join(&" ".repeat(gap)),
    );
    for (row, (_, mark)) in cells.iter().zip(rows) {
        let text = line(row.iter().map(String::as_str).collect());
        out.push(match (term.color, mark) {
            (true, Mark::Overdue) => format!("\x1b[31m{text}\x1b[0m"),
            (true, Mark::Soon) => format!("\x1b[33m{text}\x1b[0m"),
            _ => text,
        });
    }
    out.join("\n")
}

/// A line of the table: the columns and the gaps between them.
fn line_width(widths: &[usize], gap: usize) -> usize {
    widths.iter().sum::<usize>() + gap * widths.len().saturating_sub(1)
}

fn widths(header: &[String], cells: &[Vec<String>]) -> Vec<usize> {
    let mut w: Vec<usize> = header
        .iter()
        .map(|h| h.lines().map(|l| l.width()).max().unwrap_or(0))
        .collect();
    for row in cells {
        for (i, c) in row.iter().enumerate() {
            if let Some(x) = w.get_mut(i) {
                *x = (*x).max(c.width());
            }
        }
    }
    w
}

/// Make the table fit `width`; the gap between columns to use.
fn fit(header: &mut [String], cells: &mut [Vec<String>], cols: &[Col], width: usize) -> usize {
    let mut w = widths(header, cells);
    if line_width(&w, 2) <= width {
        return 2;
    }
    // Times first: `11-23 10:15` is enough in a table of this year's work.
    for (i, col) in cols.iter().enumerate() {
        if *col == Col::Time {
            for row in cells.iter_mut() {
                if let Some(c) = row.get_mut(i)
                    && c.len() >= 16
                    && c.as_bytes().get(4) == Some(&b'-')
                {
                    *c = c[5..].to_string();
                }
            }
        }
    }
    w = widths(header, cells);
    if line_width(&w, 2) <= width {
        return 2;
    }
    let gap = 1;
    // Then the widest text column, a step at a time, down to MIN_TEXT.
    while line_width(&w, gap) > width {
        let widest = cols
            .iter()
            .enumerate()
            .filter(|(i, c)| **c == Col::Text && w[*i] > MIN_TEXT)
            .max_by_key(|(i, _)| w[*i])
            .map(|(i, _)| i);
        let Some(i) = widest else {
            // Last, the headers of number columns, down to their widest number.
            let numbers: Vec<usize> = (0..w.len()).filter(|i| cols.get(*i) == Some(&Col::Number)).collect();
            let cell_w = |i: usize| {
                cells
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| c.width())
                    .max()
                    .unwrap_or(0)
            };
            let Some(i) = numbers
                .into_iter()
                .filter(|i| w[*i] > cell_w(*i).max(MIN_TEXT))
                .max_by_key(|i| w[*i])
            else {
                break;
            };
            let over = line_width(&w, gap) - width;
            let to = w[i].saturating_sub(over).max(cell_w(i)).max(MIN_TEXT);
            header[i] = header[i].lines().map(|l| cut(l, to)).collect::<Vec<_>>().join("\n");
            w[i] = widths(header, cells)[i];
            continue;
        };
        let over = line_width(&w, gap) - width;
        let next = cols
            .iter()
            .enumerate()
            .filter(|(j, c)| **c == Col::Text && *j != i)
            .map(|(j, _)| w[j])
            .max()
            .unwrap_or(0);
        // Down to the next widest, or as far as needed, whichever is less.
        let to = w[i].saturating_sub(over).max(next.min(w[i] - 1)).max(MIN_TEXT);
        w[i] = to;
        header[i] = header[i].lines().map(|l| cut(l, to)).collect::<Vec<_>>().join("\n");
        for row in cells.iter_mut() {
            if let Some(c) = row.get_mut(i) {
                *c = cut(c, to);
            }
        }
        // A cut may leave a column narrower than asked (a wide character does not split).
        w = widths(header, cells)
            .into_iter()
            .zip(&w)
            .map(|(a, b)| a.min(*b))
            .collect();
    }
    gap
}

/// `text` in at most `width` display columns, ending in `…` when cut.
pub fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// A line of prose broken at spaces to fit `width`, later lines indented by `indent`.
pub fn wrap(text: &str, width: usize, indent: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let room = if lines.is_empty() {
            width
        } else {
            width.saturating_sub(indent)
        };
        if !current.is_empty() && current.width() + 1 + word.width() > room {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    lines.push(current);
    lines.join(&format!("\n{}", " ".repeat(indent)))
}

/// A line wider than `width` broken into lines that fit, the later ones indented by
/// `indent` (the column where the line's own text starts). Lines break after a blank
/// or next to a wide character (Chinese has no blanks between words), never inside a
/// Latin word or number such as a time, nor before `，。、）]` or after `（「[`; only a
/// word longer than the whole room is split. A wide character is never split.
pub fn hang(line: &str, width: usize, indent: usize) -> String {
    let indent = if indent + 8 > width { 2.min(width / 2) } else { indent };
    let mut out = String::new();
    let mut rest = line.trim_end();
    let mut first = true;
    while !rest.is_empty() {
        let room = if first { width } else { width - indent };
        if !first {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            rest = rest.trim_start();
        }
        if rest.width() <= room {
            out.push_str(rest);
            break;
        }
        // The last break allowed in the longest head that fits, by display width.
        let mut used = 0;
        let mut fits = 0;
        let mut at = None;
        let mut prev: Option<char> = None;
        for (i, c) in rest.char_indices() {
            if let Some(p) = prev
                && breaks_between(p, c)
                && i > 0
            {
                at = Some(i);
            }
            let w = c.width().unwrap_or(0);
            if used + w > room {
                break;
            }
            used += w;
            fits = i + c.len_utf8();
            prev = Some(c);
        }
        let first_char = rest.chars().next().map_or(0, char::len_utf8);
        let at = at
            .filter(|a| *a <= fits && rest[..*a].trim().width() > 0)
            .unwrap_or(fits.max(first_char));
        out.push_str(rest[..at].trim_end());
        rest = &rest[at..];
        first = false;
    }
    out
}

/// Whether a line may break between `a` and `b` (see [`hang`]).
fn breaks_between(a: char, b: char) -> bool {
    const NO_START: &str = "，。、）」』】：；！？…,.;:!?)]";
    const NO_END: &str = "（「『【([";
    if NO_START.contains(b) || NO_END.contains(a) {
        return false;
    }
    a == ' ' || a.width() == Some(2) || b.width() == Some(2)
}

/// Pad to `width` display columns (a CJK character takes two).
pub fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_counts_display_columns() {
        assert_eq!(cut("燒餅烙糊了", 6), "燒餅…");
        assert_eq!(cut("燒餅烙糊了", 10), "燒餅烙糊了");
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(pad("關閉", 6).width(), 6);
    }

    #[test]
    fn long_lines_hang_under_their_text_by_display_width() {
        let line = "  摘要        烤箱把燒餅烙糊了兩次，顧客要求退款、道歉並賠償精神損失費";
        let out = hang(line, 40, 14);
        assert_eq!(
            out,
            "  摘要        烤箱把燒餅烙糊了兩次，顧客\n              要求退款、道歉並賠償精神損\n              失費"
        );
        for l in out.lines() {
            assert!(l.width() <= 40, "{l:?}");
        }
        // Latin text breaks at a blank when one is near.
        assert_eq!(hang("  x  one two three four", 16, 5), "  x  one two\n     three four");
        assert_eq!(hang("short", 40, 2), "short");
    }

    #[test]
    fn a_wide_table_fits_by_cutting_text_not_ids() {
        let rows = vec![(
            vec![
                "20261123-001".to_string(),
                "2026-11-23 10:15".to_string(),
                "一位說話很長很長很長的客戶".to_string(),
                "烤箱把燒餅烙糊了兩次，顧客要求退款並道歉，還要賠償".to_string(),
            ],
            Mark::Overdue,
        )];
        let cols = [Col::Fixed, Col::Time, Col::Text, Col::Text];
        let header = ["id", "received", "customer", "summary"];
        for width in [40, 50, 60] {
            let text = render(
                &header,
                &cols,
                &rows,
                Term {
                    width: Some(width),
                    color: false,
                },
            );
            for line in text.lines() {
                assert!(line.width() <= width, "{width}: {line:?}");
            }
            assert!(text.contains("20261123-001") && text.contains("11-23 10:15"), "{text}");
        }
        let wide = render(&header, &cols, &rows, Term::default());
        assert!(wide.contains("2026-11-23 10:15") && wide.contains("還要賠償"), "{wide}");
        let red = render(
            &header,
            &cols,
            &rows,
            Term {
                width: None,
                color: true,
            },
        );
        assert_eq!(
            red.lines().nth(2).map(|l| l.starts_with("\x1b[31m")),
            Some(true),
            "{red}"
        );
    }
}
