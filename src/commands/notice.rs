//! `kefu notice PID`: one penalty notice (seed 7.6.3, SPEC §11.2).

use anyhow::{Result, anyhow};

use crate::Ctx;
use crate::cli::NoticeArgs;
use crate::{domain::penalty, output::documents, output::documents_view};

pub fn run(ctx: &Ctx, args: NoticeArgs) -> Result<()> {
    let cfg = &ctx.ws.config;
    let (case_part, which) = penalty::split_pid(&args.pid).map_err(|e| anyhow!("{}: {e}", args.pid))?;
    let id = ctx.ws.resolve(case_part)?;
    let case = ctx.ws.load(&id)?;
    let s = case.state().map_err(anyhow::Error::msg)?;
    let (case, _) = ctx.as_of(case, s)?;
    let p = penalty::find(&case, which)?;
    let notice = documents::notice(&case, cfg, &p);
    let page = documents_view::notice(&notice, cfg);
    super::emit(ctx, &notice, &page, args.page.html.as_deref(), args.page.force)
}
