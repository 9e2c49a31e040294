use anyhow::{Result, bail};

use crate::Ctx;
use crate::cli::ReplyArgs;
use crate::domain::case::CUSTOMER_SERVICE;
use crate::domain::rules::{self, Reply};

pub fn run(ctx: &Ctx, args: ReplyArgs) -> Result<()> {
    let cfg = &ctx.ws.config;
    let from = match args.from.as_deref() {
        None | Some(CUSTOMER_SERVICE) => None,
        Some(d) => Some(
            cfg.department(d)
                .map_err(|e| anyhow::anyhow!("--from: {e} or {CUSTOMER_SERVICE}"))?
                .key
                .clone(),
        ),
    };
    let promise = args
        .promise
        .as_deref()
        .map(|t| ctx.time_ahead("--promise", t))
        .transpose()?;
    let phrase = args
        .phrase
        .as_deref()
        .map(|name| super::phrases::find(cfg, name).map(|text| (name, text)))
        .transpose()?;
    let text = match args.text.filter(|t| !t.trim().is_empty()) {
        Some(t) => t,
        // Filled from the case inside the change below.
        None if phrase.is_some() => String::new(),
        None if ctx.interactive => crate::prompt::Prompter::new(cfg.lang).required("p_reply")?,
        None => bail!(
            "{}",
            crate::output::i18n::tr("missing_flags", &[("n", "1"), ("flags", "--text")])
        ),
    };
    let mut reply = Reply {
        text,
        from,
        to_customer: args.to_customer,
        written: args.written,
        promise,
    };
    let case = super::update(ctx, &args.id, |case| {
        if let Some((name, template)) = phrase {
            let s = case.state().map_err(anyhow::Error::msg)?;
            let json = serde_json::to_value(crate::output::render::case_json(case, &s, ctx.now))?;
            reply.text = crate::output::documents::fill(&format!("[phrases] {name}"), template, &json, cfg)?;
        }
        let who = reply.from.clone().unwrap_or_else(|| CUSTOMER_SERVICE.to_string());
        let body = format!(
            "from: {who}{}\n\n{}",
            if reply.to_customer { "\nto the customer" } else { "" },
            reply.text
        );
        rules::reply(case, cfg, reply, ctx.by())?;
        Ok((format!("reply {} from {who}", case.id), body))
    })?;
    super::show::print_result(
        ctx,
        &case,
        &crate::output::i18n::t(ctx.ws.config.lang, "replied", &[("id", &case.id)]),
    )
}
