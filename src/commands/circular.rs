//! `kefu circular`: the weekly penalty circular (seed 7.8, SPEC §11.2).

use anyhow::{Result, anyhow};
use chrono::Datelike;

use crate::Ctx;
use crate::cli::CircularArgs;
use crate::output::documents::{self, Circular};
use crate::output::documents_view;

pub fn run(ctx: &Ctx, args: CircularArgs) -> Result<()> {
    let c = build(ctx, args.week.as_deref())?;
    let page = documents_view::circular(&c, &ctx.ws.config);
    super::emit(ctx, &c, &page, args.page.html.as_deref(), args.page.force)
}

/// The circular of `week` (default: last week) as history stands at now.
pub fn build(ctx: &Ctx, week: Option<&str>) -> Result<Circular> {
    let cfg = &ctx.ws.config;
    let (from, to) = match week {
        Some(w) => super::friday::iso_week(cfg.zone, w).map_err(|e| anyhow!("--week: {e}"))?,
        None => super::friday::previous_week(cfg.zone, ctx.now),
    };
    let iso = cfg.zone.date(from).iso_week();
    let mut circular = Circular::new(cfg, format!("{}-W{:02}", iso.year(), iso.week()), from, to);
    let bad = ctx.ws.scan(
        |case, s| {
            if !documents::has_penalty(&case) && !case.status.is_open() {
                return None;
            }
            Some(ctx.as_of(case, s).map(|(case, _)| case))
        },
        |case| {
            circular.add(&case?);
            Ok(())
        },
    )?;
    super::list::warn(&bad);
    Ok(circular.finish())
}
