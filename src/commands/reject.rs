use anyhow::Result;

use crate::Ctx;
use crate::cli::ReasonArgs;
use crate::rules;

pub fn run(ctx: &Ctx, args: ReasonArgs) -> Result<()> {
    let case = super::update(ctx, &args.id, |case| {
        rules::reject(case, &ctx.ws.config, args.reason.clone(), ctx.by())?;
        Ok((
            format!("reject {} (not established)", case.id),
            format!("reason: {}", args.reason),
        ))
    })?;
    super::show::print_result(
        ctx,
        &case,
        &crate::i18n::t(ctx.ws.config.lang, "rejected", &[("id", &case.id)]),
    )
}
