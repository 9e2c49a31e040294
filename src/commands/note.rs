use anyhow::Result;

use crate::Ctx;
use crate::cli::NoteArgs;
use crate::domain::rules;

pub fn run(ctx: &Ctx, args: NoteArgs) -> Result<()> {
    let case = super::update(ctx, &args.id, |case| {
        rules::note(case, args.text.clone(), ctx.by())?;
        Ok((format!("note on {}", case.id), args.text.clone()))
    })?;
    super::show::print_result(
        ctx,
        &case,
        &crate::output::i18n::t(ctx.ws.config.lang, "noted", &[("id", &case.id)]),
    )
}
