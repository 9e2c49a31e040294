//! `kefu letter ID`: the written answer to the customer (SPEC §11.4, §17.19).

use anyhow::Result;
use serde::Serialize;

use crate::Ctx;
use crate::cli::LetterArgs;
use crate::domain::rules::{self, Reply};
use crate::{output::documents, output::documents_view, output::render};

#[derive(Serialize)]
struct LetterJson<'a> {
    case: &'a str,
    text: &'a str,
    recorded: bool,
}

pub fn run(ctx: &Ctx, args: LetterArgs) -> Result<()> {
    let cfg = &ctx.ws.config;
    let id = ctx.ws.resolve(&args.id)?;
    let case = ctx.ws.load(&id)?;
    let s = case.state().map_err(anyhow::Error::msg)?;
    let (case, s) = ctx.as_of(case, s)?;
    let json = serde_json::to_value(render::case_json(&case, &s, ctx.now))?;
    let text = documents::letter(&cfg.letter, &json, cfg)?;
    let page = documents_view::letter(&case, &text);
    if args.record {
        // The page is written inside the change: if it cannot be, nothing is recorded.
        super::update(ctx, &id, |case| {
            if let Some(path) = &args.page.html {
                ctx.ws
                    .write_output("--html", path, page.html().as_bytes(), args.page.force)?;
            }
            let reply = Reply {
                text: text.trim().to_string(),
                from: None,
                to_customer: true,
                written: true,
                promise: None,
            };
            rules::reply(case, cfg, reply, ctx.by())?;
            Ok((
                format!("letter to the customer on {}", case.id),
                "written answer (reply --to-customer --written)".into(),
            ))
        })?;
        eprintln!("{}", crate::output::i18n::tr("letter_recorded", &[("id", &id)]));
    } else if let Some(path) = &args.page.html {
        ctx.ws
            .write_output("--html", path, page.html().as_bytes(), args.page.force)?;
    }
    if let Some(path) = &args.page.html {
        eprintln!(
            "{}",
            crate::output::i18n::tr("letter_written", &[("path", &path.display().to_string())])
        );
    }
    if ctx.json {
        return super::show::print_json(&LetterJson {
            case: &id,
            text: &text,
            recorded: args.record,
        });
    }
    if args.page.html.is_none() {
        use anyhow::Context;
        use std::io::Write;
        write!(std::io::stdout(), "{}", crate::output::safe::terminal(&text))
            .with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))?;
    }
    Ok(())
}
