use anyhow::Result;

use crate::Ctx;
use crate::cli::ReasonArgs;
use crate::domain::rules;

pub fn run(ctx: &Ctx, args: ReasonArgs) -> Result<()> {
    let lang = ctx.ws.config.lang;
    if ctx.interactive && args.reason.is_none() {
        super::try_first(ctx, &args.id, |c| {
            rules::reject(c, &ctx.ws.config, "-".into(), ctx.by())
        })?;
    }
    let reason = crate::prompt::text_flag(ctx.interactive, lang, args.reason, "--reason", "p_reject_reason")?;
    let case = super::update(ctx, &args.id, |case| {
        rules::reject(case, &ctx.ws.config, reason.clone(), ctx.by())?;
        Ok((
            format!("reject {} (not established)", case.id),
            format!("reason: {}", reason),
        ))
    })?;
    super::show::print_result(
        ctx,
        &case,
        &crate::output::i18n::t(ctx.ws.config.lang, "rejected", &[("id", &case.id)]),
    )
}
