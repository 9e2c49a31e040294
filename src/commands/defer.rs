use anyhow::Result;

use crate::Ctx;
use crate::cli::DeferArgs;
use crate::domain::rules;

pub fn run(ctx: &Ctx, args: DeferArgs) -> Result<()> {
    let lang = ctx.ws.config.lang;
    if ctx.interactive && (args.reason.is_none() || args.follow_up.is_none()) {
        let reason = args.reason.clone().unwrap_or_else(|| "-".into());
        let follow_up = args.follow_up.unwrap_or(crate::domain::case::FollowUp::Watch);
        super::try_first(ctx, &args.id, |c| {
            rules::defer(c, &ctx.ws.config, reason, follow_up, ctx.by())
        })?;
    }
    let reason = crate::prompt::text_flag(ctx.interactive, lang, args.reason, "--reason", "p_defer_reason")?;
    let follow_up = match args.follow_up {
        Some(f) => f,
        None if ctx.interactive => super::classify::follow_up(lang, &crate::prompt::Prompter::new(lang))?,
        None => {
            let flag = [("flag", "--follow-up watch|monitor (關注|監控)")];
            return Err(crate::Usage(crate::output::i18n::t(lang, "p_missing_flag", &flag)).into());
        }
    };
    let case = super::update(ctx, &args.id, |case| {
        rules::defer(case, &ctx.ws.config, reason.clone(), follow_up, ctx.by())?;
        Ok((
            format!("defer {} ({follow_up})", case.id),
            format!("reason: {}", reason),
        ))
    })?;
    super::show::print_result(
        ctx,
        &case,
        &crate::output::i18n::t(
            ctx.ws.config.lang,
            "deferred",
            &[
                ("id", &case.id),
                (
                    "mode",
                    &crate::output::render::word(ctx.ws.config.lang, follow_up.key(), follow_up.label()),
                ),
            ],
        ),
    )
}
