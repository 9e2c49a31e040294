use anyhow::{Result, bail};

use crate::Ctx;

pub fn run(_ctx: &Ctx, _args: crate::cli::ImportArgs) -> Result<()> {
    bail!("kefu import is not built yet")
}
