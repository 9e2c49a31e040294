//! `kefu close`: the department's close request, the call-back that confirms it, or
//! both at once (SPEC §10.5).

use crate::output::i18n::tr;
use anyhow::{Result, bail};

use crate::Ctx;
use crate::cli::CloseArgs;
use crate::domain::case::{CloseKind, Remedy, Satisfaction, Status};
use crate::domain::rules::{self, Close, CloseRequest, Confirm};

pub fn run(ctx: &Ctx, mut args: CloseArgs) -> Result<()> {
    if ctx.interactive {
        prompt_missing(ctx, &mut args)?;
    }
    let time = |flag: &str, t: &Option<String>| t.as_deref().map(|t| ctx.time(flag, t)).transpose();
    let requested_at = time("--requested-at", &args.requested_at)?;
    let at = time("--at", &args.at)?;
    let remedy = args.remedy.map(|r| r.key().to_string());
    let satisfaction = args.satisfaction;
    let from = args
        .from
        .as_deref()
        .map(|d| ctx.ws.config.department(d).map(|d| d.key.clone()))
        .transpose()
        .map_err(|e| anyhow::anyhow!("--from: {e}"))?;
    let step = match (args.request, satisfaction, args.resolution, remedy) {
        (true, _, Some(resolution), Some(remedy)) => Step::Request(CloseRequest {
            resolution,
            remedy,
            from,
            at,
            cause: args.cause,
            countermeasure: args.countermeasure,
        }),
        (true, _, None, _) => bail!("{}", tr("request_needs_resolution", &[])),
        (true, _, _, None) => bail!("{}", tr("request_needs_remedy", &[])),
        (false, Some(satisfaction), None, None) => {
            if args.requested_at.is_some() {
                bail!("{}", tr("requested_at_one_step", &[]));
            }
            if args.cause.is_some() || args.countermeasure.is_some() {
                bail!("{}", tr("cause_with_request", &[]));
            }
            Step::Confirm(Confirm {
                satisfaction,
                approved_by: args.approved_by,
                at,
            })
        }
        (false, Some(satisfaction), Some(resolution), Some(remedy)) => {
            if args.at.is_some() {
                bail!("{}", tr("at_not_one_step", &[]));
            }
            Step::Close(Close {
                resolution,
                remedy,
                satisfaction,
                requested_at,
                cause: args.cause,
                countermeasure: args.countermeasure,
                approved_by: args.approved_by,
            })
        }
        (false, Some(_), None, Some(_)) => bail!("{}", tr("one_step_needs_resolution", &[])),
        (false, Some(_), Some(_), None) => bail!("{}", tr("one_step_needs_remedy", &[])),
        (false, None, _, _) => {
            return Err(crate::Usage(tr("close_needs_what", &[])).into());
        }
    };
    let cfg = &ctx.ws.config;
    let mut message = String::new();
    let case = super::update(ctx, &args.id, |case| {
        let (action, body) = match step {
            Step::Request(r) => {
                let body = format!("resolution: {}\nremedy: {}", r.resolution, r.remedy);
                rules::request_close(case, cfg, r, ctx.by())?;
                let due = case
                    .deadlines
                    .confirm
                    .map(|t| crate::output::render::local(cfg, t))
                    .unwrap_or_default();
                message = crate::output::i18n::t(cfg.lang, "close_requested", &[("id", &case.id), ("due", &due)]);
                (format!("close request on {}", case.id), body)
            }
            Step::Confirm(c) => {
                let body = format!("satisfaction: {}", c.satisfaction);
                let kind = rules::confirm_close(case, cfg, c, ctx.by())?;
                message = closed(cfg.lang, &case.id, kind, "close_refused_void");
                (action(&case.id, kind), body)
            }
            Step::Close(c) => {
                let body = format!(
                    "resolution: {}\nremedy: {}\nsatisfaction: {}",
                    c.resolution, c.remedy, c.satisfaction
                );
                let kind = rules::close(case, cfg, c, ctx.by())?;
                message = closed(cfg.lang, &case.id, kind, "close_refused_open");
                (action(&case.id, kind), body)
            }
        };
        Ok((action, body))
    })?;
    super::show::print_result(ctx, &case, &message)
}

enum Step {
    Request(CloseRequest),
    Confirm(Confirm),
    Close(Close),
}

fn action(id: &str, kind: Option<CloseKind>) -> String {
    match kind {
        Some(k) => format!("close {id} ({k}-time)"),
        None => format!("close of {id} refused by the customer"),
    }
}

fn closed(lang: crate::output::i18n::Lang, id: &str, kind: Option<CloseKind>, refused: &str) -> String {
    let key = match kind {
        Some(CloseKind::First) => "closed_first",
        Some(CloseKind::Second) => "closed_second",
        None => refused,
    };
    crate::output::i18n::t(lang, key, &[("id", id)])
}

/// Ask on the terminal for what the step needs and the flags left out (SPEC §12.6).
/// With neither --request nor --satisfaction, the step follows the case: the call-back
/// when a close request waits for it, else the close request.
fn prompt_missing(ctx: &Ctx, args: &mut CloseArgs) -> Result<()> {
    use crate::prompt::{Item, Prompter};
    let lang = ctx.ws.config.lang;
    let ask = Prompter::new(lang);
    if !args.request && args.satisfaction.is_none() {
        let case = ctx.ws.load(&ctx.ws.resolve(&args.id)?)?;
        args.request = case.status != Status::CloseRequested;
    }
    let one_step = args.satisfaction.is_some() && (args.resolution.is_some() || args.remedy.is_some());
    let asks = ((args.request || one_step) && (args.resolution.is_none() || args.remedy.is_none()))
        || (!args.request && args.satisfaction.is_none());
    if asks {
        let cfg = &ctx.ws.config;
        let (cause, countermeasure) = (args.cause.clone(), args.countermeasure.clone());
        let satisfaction = args.satisfaction;
        super::try_first(ctx, &args.id, |c| match (args.request, satisfaction) {
            (false, Some(satisfaction)) => rules::close(
                c,
                cfg,
                Close {
                    resolution: "-".into(),
                    remedy: Remedy::None.key().into(),
                    satisfaction,
                    requested_at: None,
                    cause,
                    countermeasure,
                    approved_by: None,
                },
                ctx.by(),
            )
            .map(|_| ()),
            (true, _) => rules::request_close(
                c,
                cfg,
                CloseRequest {
                    resolution: "-".into(),
                    remedy: Remedy::None.key().into(),
                    from: None,
                    at: None,
                    cause,
                    countermeasure,
                },
                ctx.by(),
            ),
            (false, None) => rules::confirm_close(
                c,
                cfg,
                Confirm {
                    satisfaction: Satisfaction::Satisfied,
                    approved_by: None,
                    at: None,
                },
                ctx.by(),
            )
            .map(|_| ()),
        })?;
    }
    if args.request || one_step {
        if args.resolution.is_none() {
            args.resolution = Some(ask.required("p_resolution")?);
        }
        if args.remedy.is_none() {
            let items: Vec<Item> = Remedy::ALL
                .iter()
                .map(|r| Item::fixed(lang, r.key(), r.label()))
                .collect();
            args.remedy = Some(Remedy::ALL[ask.choose("p_remedy", &items)?]);
        }
    }
    if !args.request && args.satisfaction.is_none() {
        let items: Vec<Item> = Satisfaction::ALL
            .iter()
            .map(|s| Item::fixed(lang, s.key(), s.label()))
            .collect();
        args.satisfaction = Some(Satisfaction::ALL[ask.choose("p_satisfaction", &items)?]);
    }
    Ok(())
}
