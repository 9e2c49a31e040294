//! `kefu receivers`: the receiver table (seed 7.2.1, SPEC §11.2).

use anyhow::Result;

use crate::Ctx;
use crate::cli::PageArgs;
use crate::{output::documents, output::documents_view};

pub fn run(ctx: &Ctx, args: PageArgs) -> Result<()> {
    let r = documents::receivers(&ctx.ws.config);
    let page = documents_view::receivers(&r);
    super::emit(ctx, &r, &page, args.html.as_deref(), args.force)
}
