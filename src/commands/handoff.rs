use std::io::Write;

use anyhow::{Context, Result};

use crate::Ctx;
use crate::cli::HandoffArgs;
use crate::domain::rules;
use crate::output::render;

pub fn run(ctx: &Ctx, args: HandoffArgs) -> Result<()> {
    let cfg = &ctx.ws.config;
    let mut form = String::new();
    let case = super::update(ctx, &args.id, |case| {
        rules::handoff(case, cfg, &args.to, args.reassign, args.note.clone(), ctx.by())?;
        let dept = cfg.department(&args.to)?;
        form = render::handling_form(case, cfg);
        // Written before the case is saved: a form that cannot be written saves nothing.
        if let Some(path) = &args.form {
            ctx.ws.write_output("--form", path, form.as_bytes(), args.force)?;
        }
        if let Some(path) = &args.html {
            let page = crate::output::documents_view::handling_form(case, cfg).html();
            ctx.ws.write_output("--html", path, page.as_bytes(), args.force)?;
        }
        let body = format!(
            "to: {} ({})\nreceiver: {}{}",
            dept.key,
            dept.label,
            dept.receiver,
            args.note.as_ref().map(|n| format!("\nnote: {n}")).unwrap_or_default()
        );
        Ok((format!("handoff {} to {}", case.id, dept.key), body))
    })?;
    if ctx.json {
        return super::show::print_result(ctx, &case, "");
    }
    match args.form.as_ref().or(args.html.as_ref()) {
        Some(path) => {
            let file = path.display().to_string();
            let dept = cfg.department_label(&args.to);
            let args = [("id", case.id.as_str()), ("dept", dept), ("file", &file)];
            eprintln!("{}", crate::output::i18n::t(cfg.lang, "handed_to", &args));
            Ok(())
        }
        None => write!(std::io::stdout(), "{}", crate::output::safe::terminal(&form))
            .with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[])),
    }
}
