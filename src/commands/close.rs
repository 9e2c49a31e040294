use anyhow::Result;

use crate::Ctx;
use crate::case::Satisfaction;
use crate::cli::{CloseArgs, SatisfactionArg};
use crate::rules::{self, Close};

pub fn run(ctx: &Ctx, args: CloseArgs) -> Result<()> {
    let requested_at = args
        .requested_at
        .as_deref()
        .map(|t| ctx.time("--requested-at", t))
        .transpose()?;
    let satisfaction = match args.satisfaction {
        SatisfactionArg::Satisfied => Satisfaction::Satisfied,
        SatisfactionArg::Accepted => Satisfaction::Accepted,
        SatisfactionArg::Dissatisfied => Satisfaction::Dissatisfied,
    };
    let remedy = clap::ValueEnum::to_possible_value(&args.remedy)
        .map(|v| v.get_name().to_string())
        .unwrap_or_default();
    let close = Close {
        resolution: args.resolution,
        remedy,
        satisfaction,
        requested_at,
    };
    let mut kind = None;
    let case = super::update(ctx, &args.id, |case| {
        let body = format!(
            "resolution: {}\nremedy: {}\nsatisfaction: {}",
            close.resolution, close.remedy, satisfaction
        );
        kind = rules::close(case, &ctx.ws.config, close, ctx.by())?;
        let action = match kind {
            Some(k) => format!("close {} ({k}-time)", case.id),
            None => format!("close of {} refused by the customer", case.id),
        };
        Ok((action, body))
    })?;
    let message = match kind {
        Some(k) => format!("{} closed ({k}-time close)", case.id),
        None => format!("{}: the customer is not satisfied; the case stays open", case.id),
    };
    super::show::print_result(ctx, &case, &message)
}
