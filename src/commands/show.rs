use std::io::Write;

use anyhow::{Context, Result};
use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::Ctx;
use crate::cli::IdArg;
use crate::domain::case::Case;
use crate::output::render;

pub fn run(ctx: &Ctx, args: IdArg) -> Result<()> {
    let id = ctx.ws.resolve(&args.id)?;
    let case = ctx.ws.load(&id)?;
    let s = case.state().map_err(anyhow::Error::msg)?;
    let (case, s) = ctx.as_of(case, s)?;
    // The look-up across cases never keeps the case itself from being shown.
    let repeat_of = ctx
        .ws
        .repeats(case.who(), case.received_at, &case.id, ctx.now)
        .unwrap_or_default();
    if ctx.json {
        print_json(&ShowJson {
            case: render::case_json(&case, &s, ctx.now),
            repeat_of,
        })
    } else {
        let mut page = render::case_page(&case, &s, &ctx.ws.config, ctx.now);
        // Under the heading line, where the clerk looks first.
        if let (Some(line), Some(end)) = (render::repeat_line(&repeat_of), page.find('\n')) {
            page.insert_str(end + 1, &format!("  {line}\n"));
        }
        let mut page = crate::output::safe::terminal(&page).into_owned();
        if let Some(width) = ctx.term.width {
            page = fit(&page, width);
        }
        write!(std::io::stdout(), "{page}").with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))
    }
}

/// The page fitted to the terminal (SPEC §12.5): a line wider than it wraps, and goes
/// on under the line's own text (a field's value, an event's description).
fn fit(page: &str, width: usize) -> String {
    let mut out = String::new();
    for line in page.lines() {
        match line.width() <= width {
            true => out.push_str(line),
            false => out.push_str(&crate::output::table::hang(line, width, text_column(line, width))),
        }
        out.push('\n');
    }
    out
}

/// Where a line's own text starts: after its last gap of two or more blanks in the
/// first two thirds of the width. The page puts such gaps between a field's name and
/// its value, and between the timeline's time, kind, actor and description.
fn text_column(line: &str, width: usize) -> usize {
    let mut column = 0;
    let mut start = 0;
    let mut blanks = 0;
    for c in line.chars() {
        if column > width * 2 / 3 {
            break;
        }
        if c == ' ' {
            blanks += 1;
        } else {
            if blanks >= 2 {
                start = column;
            }
            blanks = 0;
        }
        column += c.width().unwrap_or(0);
    }
    start
}

/// `show --json`: the case, and the same customer's other cases of the last 90 days.
#[derive(Serialize)]
struct ShowJson<'a> {
    #[serde(flatten)]
    case: render::CaseJson<'a>,
    repeat_of: Vec<String>,
}

pub fn print_json<T: Serialize>(value: &T) -> Result<()> {
    let mut out = std::io::stdout().lock();
    // As an io::Error (the writer's own, when it failed) so main can tell a closed pipe.
    serde_json::to_writer_pretty(&mut out, value)
        .map_err(std::io::Error::from)
        .with_context(|| crate::output::i18n::tr("cannot_write_export", &[]))?;
    writeln!(out).with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))
}

/// After a write: the case as JSON with `--json`, else one line for the clerk on stderr.
pub fn print_result(ctx: &Ctx, case: &Case, message: &str) -> Result<()> {
    if ctx.json {
        let s = case.state().map_err(anyhow::Error::msg)?;
        print_json(&render::case_json(case, &s, ctx.now))
    } else {
        eprintln!("{}", crate::output::safe::terminal(message));
        Ok(())
    }
}
