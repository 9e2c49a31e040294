//! One module per subcommand: parse its arguments into domain values, call the store
//! and the rules, render the result.

pub mod ack;
pub mod calendar;
pub mod check;
pub mod circular;
pub mod classify;
pub mod close;
pub mod defer;
pub mod docs;
pub mod due;
pub mod edit;
pub mod export;
pub mod friday;
pub mod handoff;
pub mod import;
pub mod init;
pub mod intake;
pub mod letter;
pub mod list;
pub mod log;
pub mod merge_file;
pub mod note;
pub mod notice;
pub mod penalty;
pub mod phrases;
pub mod receivers;
pub mod reject;
pub mod reopen;
pub mod reply;
pub mod show;
pub mod station;
pub mod sweep;
pub mod sync;
pub mod upgrade;

use anyhow::Result;

use crate::Ctx;
use crate::domain::case::Case;

/// The common shape of a change to one case: lock, load, change, save, commit, report.
/// `change` returns the commit subject's action words (`handoff 20261123-001 to service`)
/// and the body; the subject gets the customer's name.
pub fn update(ctx: &Ctx, id: &str, change: impl FnOnce(&mut Case) -> Result<(String, String)>) -> Result<Case> {
    let lock = ctx.ws.lock()?;
    let id = ctx.ws.resolve(id)?;
    let mut case = ctx.ws.load(&id)?;
    let before = case.clone();
    let (action, body) = change(&mut case)?;
    if case == before {
        return Ok(case);
    }
    let written = ctx.ws.save(&lock, &case)?;
    let subject = format!("kefu: {action} ({})", case.customer.name);
    ctx.commit(&lock, &[written], &subject, &body)?;
    Ok(case)
}

/// Before asking on the terminal: the change tried on a copy of the case with
/// placeholder answers, so that a case which refuses it (closed, not classified yet,
/// …) says so now, not after the clerk has typed the answers. Nothing is written.
pub fn try_first(ctx: &Ctx, id: &str, change: impl FnOnce(&mut Case) -> Result<()>) -> Result<()> {
    let mut case = ctx.ws.load(&ctx.ws.resolve(id)?)?;
    change(&mut case)
}

/// Print a document: `--json` its data, `--html FILE` a printable page written through
/// [`crate::store::Workspace::write_output`], else its Markdown on stdout.
pub fn emit<T: serde::Serialize>(
    ctx: &Ctx,
    data: &T,
    page: &crate::output::page::Page,
    html: Option<&std::path::Path>,
    force: bool,
) -> Result<()> {
    use anyhow::Context;
    use std::io::Write;
    if let Some(path) = html {
        ctx.ws.write_output("--html", path, page.html().as_bytes(), force)?;
        eprintln!(
            "{}",
            crate::output::i18n::tr(
                "page_written",
                &[("title", &page.title), ("path", &path.display().to_string())]
            )
        );
    }
    if ctx.json {
        return show::print_json(data);
    }
    if html.is_none() {
        write!(std::io::stdout(), "{}", crate::output::safe::terminal(&page.markdown()))
            .with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))?;
    }
    Ok(())
}
