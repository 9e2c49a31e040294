use anyhow::{Result, bail};

use crate::Ctx;

pub fn run(_ctx: &Ctx, _args: crate::cli::ExportArgs) -> Result<()> {
    bail!("kefu export is not built yet")
}
