use std::io::Write;

use anyhow::{Context, Result, bail};

use crate::Ctx;
use crate::cli::IntakeArgs;
use crate::domain::case::{Case, Classification};
use crate::domain::rules::{self, Intake};

pub fn run(ctx: &Ctx, mut args: IntakeArgs) -> Result<()> {
    let cfg = &ctx.ws.config;
    for field in [
        &mut args.fields.name,
        &mut args.fields.channel,
        &mut args.fields.summary,
    ] {
        if field.as_deref().is_some_and(|s| s.trim().is_empty()) {
            *field = None;
        }
    }
    if ctx.interactive {
        prompt_missing(ctx, &mut args)?;
    }
    let missing: Vec<String> = [
        ("--name", args.fields.name.is_none(), String::new()),
        (
            "--channel",
            args.fields.channel.is_none(),
            crate::output::i18n::tr(
                "one_of",
                &[(
                    "all",
                    &cfg.channels
                        .iter()
                        .map(|c| match crate::output::i18n::lang() {
                            crate::output::i18n::Lang::En => c.key.clone(),
                            _ => c.label.clone(),
                        })
                        .collect::<Vec<_>>()
                        .join(if crate::output::i18n::lang() == crate::output::i18n::Lang::En {
                            ", "
                        } else {
                            "、"
                        }),
                )],
            ),
        ),
        ("--summary", args.fields.summary.is_none(), String::new()),
    ]
    .into_iter()
    .filter_map(|(flag, missing, hint)| missing.then(|| format!("{flag}{hint}")))
    .collect();
    if !missing.is_empty() {
        bail!(
            "{}",
            crate::output::i18n::tr(
                "missing_flags",
                &[("n", &missing.len().to_string()), ("flags", &missing.join(", "))]
            )
        );
    }
    let channel = cfg
        .channel(args.fields.channel.as_deref().unwrap_or_default())
        .map_err(|e| anyhow::anyhow!("--channel: {e}"))?
        .key
        .clone();
    let request = match &args.fields.request {
        Some(r) => Some(
            cfg.request(r)
                .map_err(|e| anyhow::anyhow!("--request: {e}"))?
                .key
                .clone(),
        ),
        None => None,
    };
    let received = match &args.fields.received_at {
        Some(t) => ctx.time("--received-at", t)?,
        None => ctx.now,
    };
    let class = super::classify::classification(cfg, &args.class, &Classification::default())?;
    let data = Intake {
        name: args.fields.name.unwrap_or_default(),
        contact: args.fields.contact.filter(|s| !s.trim().is_empty()),
        channel,
        summary: args.fields.summary.unwrap_or_default(),
        details: args.fields.details,
        product: args.fields.product,
        order: args.fields.order,
        request,
        source_ref: args.source_ref,
        external: args.class.external,
    };

    // The look-up for repeat customers (SPEC §10.11) runs beside the write and its
    // commit, which mostly wait for the disk and git. A look-up that fails only costs
    // the warning: the case is written all the same.
    let who = data.contact.clone().unwrap_or_else(|| data.name.clone());
    std::thread::scope(|scope| {
        let lookup = scope.spawn(|| ctx.ws.repeats(&who, received, "", ctx.now));
        let Some(case) = record(ctx, data, class, received)? else {
            return Ok(());
        };
        let repeats: Vec<String> = lookup
            .join()
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|other| *other != case.id)
            .collect();
        if let Some(line) = crate::output::render::repeat_line(&repeats) {
            eprintln!(
                "{}{}",
                crate::output::i18n::tr("warning_prefix", &[]),
                crate::output::safe::terminal(&line)
            );
        }
        if ctx.json {
            let s = case.state().map_err(anyhow::Error::msg)?;
            super::show::print_json(&crate::output::render::case_json(&case, &s, ctx.now))
        } else {
            writeln!(std::io::stdout(), "{}", case.id)
                .with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))
        }
    })
}

/// Write and commit the new case; `None` when a retry found it already recorded.
fn record(
    ctx: &Ctx,
    data: Intake,
    class: Option<rules::Classify>,
    received: crate::domain::time::Time,
) -> Result<Option<Case>> {
    let cfg = &ctx.ws.config;
    let lock = ctx.ws.lock()?;
    // A script that retries an intake whose answer it lost gets the same case back,
    // and nothing is written twice.
    if let Some(existing) = data
        .source_ref
        .as_deref()
        .map(|r| ctx.ws.case_with_source_ref(r))
        .transpose()?
        .flatten()
    {
        eprintln!("{}", crate::output::i18n::tr("already_recorded", &[("id", &existing)]));
        writeln!(std::io::stdout(), "{existing}")
            .with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))?;
        return Ok(None);
    }
    let day = received.with_timezone(&cfg.zone.0).format("%Y%m%d").to_string();
    let mut ids = ctx.ws.ids_for_new_cases(&lock, &ctx.station()?)?;
    let id = ids.next(&day)?;
    let mut case = rules::new_case(cfg, id, received, data, ctx.by())?;
    let mut body = format!("channel: {}\nsummary: {}", case.channel, case.complaint.summary);
    if let Some(c) = class {
        body.push_str(&format!(
            "\nclassified: {} {} for {}",
            c.level.key(),
            c.category,
            c.department
        ));
        // Given with the intake, the classification is dated at the receipt (§17.8),
        // so a backdated intake's later steps can be dated in between.
        let at_receipt = crate::domain::rules::By {
            actor: &ctx.actor,
            now: received,
        };
        rules::classify(&mut case, cfg, c, at_receipt)?;
    }
    let written = ctx.ws.create(&lock, &case)?;
    let subject = format!("kefu: intake {} ({})", case.id, case.customer.name);
    ctx.commit(&lock, &[written], &subject, &body)?;
    // Only now is the number used: a refused intake or commit leaves it free.
    ids.keep();
    Ok(Some(case))
}

/// Ask on the terminal for the required fields the flags left out (SPEC §12.6). The
/// optional contact is asked together with a missing name (a customer the clerk is
/// just now writing down), never on its own: with every required flag given, nothing
/// is asked.
fn prompt_missing(ctx: &Ctx, args: &mut IntakeArgs) -> Result<()> {
    let cfg = &ctx.ws.config;
    let ask = crate::prompt::Prompter::new(cfg.lang);
    let f = &mut args.fields;
    if f.name.is_none() {
        f.name = Some(ask.required("p_name")?);
        if f.contact.is_none() {
            f.contact = ask.optional("p_contact")?;
        }
    }
    if f.channel.is_none() {
        let items: Vec<_> = cfg
            .channels
            .iter()
            .map(|c| crate::prompt::Item::new(&c.key, &c.label))
            .collect();
        let i = ask.choose("p_channel", &items)?;
        f.channel = Some(cfg.channels[i].key.clone());
    }
    if f.summary.is_none() {
        f.summary = Some(ask.required("p_summary")?);
    }
    Ok(())
}
