use std::io::Write;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::Ctx;
use crate::case::Case;
use crate::cli::IdArg;
use crate::render;

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
        write!(std::io::stdout(), "{}", crate::safe::terminal(&page)).context("writing to stdout")
    }
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
        .context("writing JSON")?;
    writeln!(out).context("writing to stdout")
}

/// After a write: the case as JSON with `--json`, else one line for the clerk on stderr.
pub fn print_result(ctx: &Ctx, case: &Case, message: &str) -> Result<()> {
    if ctx.json {
        let s = case.state().map_err(anyhow::Error::msg)?;
        print_json(&render::case_json(case, &s, ctx.now))
    } else {
        eprintln!("{}", crate::safe::terminal(message));
        Ok(())
    }
}
