use anyhow::{Result, anyhow, bail};

use crate::Ctx;
use crate::cli::EditArgs;
use crate::domain::rules::{self, Edit};

pub fn run(ctx: &Ctx, args: EditArgs) -> Result<()> {
    let cfg = &ctx.ws.config;
    let Some(reason) = args.reason else {
        bail!("{}", crate::output::i18n::tr("edit_needs_reason", &[]));
    };
    let given = [
        &args.fields.name,
        &args.fields.contact,
        &args.fields.channel,
        &args.fields.summary,
        &args.fields.details,
        &args.fields.product,
        &args.fields.order,
        &args.fields.request,
        &args.fields.received_at,
    ];
    if given.iter().all(|v| v.is_none()) {
        bail!("{}", crate::output::i18n::tr("nothing_to_edit", &[]));
    }
    let channel = args
        .fields
        .channel
        .as_deref()
        .map(|c| {
            cfg.channel(c)
                .map(|c| c.key.clone())
                .map_err(|e| anyhow!("--channel: {e}"))
        })
        .transpose()?;
    // An empty request clears it; any other is a configured request.
    let request = match args.fields.request.as_deref() {
        Some(r) if r.trim().is_empty() => Some(String::new()),
        Some(r) => Some(cfg.request(r).map_err(|e| anyhow!("--request: {e}"))?.key.clone()),
        None => None,
    };
    let received_at = args
        .fields
        .received_at
        .as_deref()
        .map(|t| ctx.time("--received-at", t))
        .transpose()?;
    let edit = Edit {
        name: args.fields.name,
        contact: args.fields.contact,
        channel,
        summary: args.fields.summary,
        details: args.fields.details,
        product: args.fields.product,
        order: args.fields.order,
        request,
        received_at,
        reason: reason.clone(),
    };
    let case = super::update(ctx, &args.id, |case| {
        rules::edit(case, cfg, edit, ctx.by())?;
        let e = case.events.last().expect("the edit event");
        let body = format!(
            "{}\nreason: {reason}",
            crate::output::render::edit_changes(e, crate::output::i18n::Lang::En)
        );
        Ok((format!("edit {}", case.id), body))
    })?;
    super::show::print_result(
        ctx,
        &case,
        &crate::output::i18n::t(cfg.lang, "edited", &[("id", &case.id)]),
    )
}
