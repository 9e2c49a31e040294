use std::io::Write;

use anyhow::{Context, Result, bail};

use crate::Ctx;
use crate::cli::IdArg;
use crate::domain::case::is_full_id;
use crate::store::CASES_DIR;
use crate::store::git::{Entry, Repo};

pub fn run(ctx: &Ctx, args: IdArg) -> Result<()> {
    // A case whose file was deleted still has its history: a full id needs no file.
    let id = match ctx.ws.resolve(&args.id) {
        Ok(id) => id,
        Err(_) if is_full_id(&args.id) => args.id.clone(),
        Err(e) => return Err(e),
    };
    let file = format!("{CASES_DIR}/{id}.toml");
    let Some(repo) = Repo::find(&ctx.ws.root)? else {
        bail!(
            "{}",
            crate::output::i18n::tr(
                "log_no_git",
                &[("file", &file), ("dir", &ctx.ws.root.display().to_string())]
            )
        );
    };
    // Every path kefu has given a case: the flat one, and the month folder of SPEC §13.1.
    let month = format!("{CASES_DIR}/{}/{}/{id}.toml", &id[..4], &id[4..6]);
    let entries = repo.log(&[file.clone().into(), month.into()])?;
    if entries.is_empty() && !ctx.ws.path_of(&id).exists() {
        bail!(
            "{}",
            crate::output::i18n::tr("log_no_case", &[("id", &id), ("file", &file)])
        );
    }
    if ctx.json {
        let entries: Vec<Entry> = entries
            .into_iter()
            .map(|e| Entry {
                time: ctx.ws.config.zone.fix(e.time),
                ..e
            })
            .collect();
        return super::show::print_json(&entries);
    }
    if entries.is_empty() {
        eprintln!("{}", crate::output::i18n::tr("log_no_commits", &[("file", &file)]));
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    let width = entries
        .iter()
        .map(|e| unicode_width::UnicodeWidthStr::width(e.author.as_str()))
        .max()
        .unwrap_or(0);
    for e in &entries {
        let pad = width - unicode_width::UnicodeWidthStr::width(e.author.as_str());
        writeln!(
            out,
            "{}  {}  {}{}  {}",
            e.commit.get(..8).unwrap_or(&e.commit),
            ctx.ws.config.zone.fix(e.time).format("%Y-%m-%d %H:%M"),
            crate::output::safe::cell(&e.author),
            " ".repeat(pad),
            crate::output::safe::cell(&e.subject)
        )
        .with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))?;
    }
    Ok(())
}
