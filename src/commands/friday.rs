use anyhow::{Result, bail};

use crate::Ctx;

pub fn run(_ctx: &Ctx, _args: crate::cli::FridayArgs) -> Result<()> {
    bail!("kefu friday is not built yet")
}
