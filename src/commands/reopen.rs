use anyhow::Result;

use crate::Ctx;
use crate::cli::ReasonArgs;
use crate::rules;

pub fn run(ctx: &Ctx, args: ReasonArgs) -> Result<()> {
    let case = super::update(ctx, &args.id, |case| {
        rules::reopen(case, &ctx.ws.config, args.reason.clone(), ctx.by())?;
        Ok((format!("reopen {}", case.id), format!("reason: {}", args.reason)))
    })?;
    super::show::print_result(
        ctx,
        &case,
        &crate::i18n::t(ctx.ws.config.lang, "reopened", &[("id", &case.id)]),
    )
}
