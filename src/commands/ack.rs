use anyhow::Result;

use crate::Ctx;
use crate::cli::AckArgs;
use crate::domain::rules;

pub fn run(ctx: &Ctx, args: AckArgs) -> Result<()> {
    let at = args.at.as_deref().map(|t| ctx.time("--at", t)).transpose()?;
    let case = super::update(ctx, &args.id, |case| {
        rules::ack(case, &ctx.ws.config, at, args.by.clone(), ctx.by())?;
        let e = case.events.last().cloned().unwrap_or_default();
        let body = format!(
            "signed by: {}\nat: {}",
            e.by.as_deref().unwrap_or("?"),
            crate::domain::time::rfc3339(&e.at)
        );
        Ok((format!("ack {} by {}", case.id, e.by.as_deref().unwrap_or("?")), body))
    })?;
    let due = case
        .deadlines
        .first_reply
        .map(|t| crate::output::render::local(&ctx.ws.config, t))
        .unwrap_or_default();
    super::show::print_result(
        ctx,
        &case,
        &crate::output::i18n::t(ctx.ws.config.lang, "acked", &[("id", &case.id), ("due", &due)]),
    )
}
