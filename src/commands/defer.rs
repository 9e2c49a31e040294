use anyhow::Result;

use crate::Ctx;
use crate::cli::DeferArgs;
use crate::rules;

pub fn run(ctx: &Ctx, args: DeferArgs) -> Result<()> {
    let follow_up = args.follow_up;
    let case = super::update(ctx, &args.id, |case| {
        rules::defer(case, &ctx.ws.config, args.reason.clone(), follow_up, ctx.by())?;
        Ok((
            format!("defer {} ({follow_up})", case.id),
            format!("reason: {}", args.reason),
        ))
    })?;
    super::show::print_result(
        ctx,
        &case,
        &crate::i18n::t(
            ctx.ws.config.lang,
            "deferred",
            &[
                ("id", &case.id),
                (
                    "mode",
                    &crate::render::word(ctx.ws.config.lang, follow_up.key(), follow_up.label()),
                ),
            ],
        ),
    )
}
