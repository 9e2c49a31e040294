//! `kefu merge-file BASE OURS THEIRS PATH`: git's merge driver for case files (SPEC
//! §14.2). git runs it with three temporary files when both sides changed one case;
//! the joined case goes to OURS and exit 0 tells git the file is merged. On failure
//! OURS is left as it was (never with conflict markers) and git reports a conflict.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::cli::MergeFileArgs;
use crate::domain::case::Case;
use crate::domain::config::{Config, default_text};
use crate::store::{CONFIG_FILE, to_toml};

pub fn run(args: &MergeFileArgs) -> Result<()> {
    let shown = args.path.clone().unwrap_or_else(|| args.ours.display().to_string());
    let read = |path: &Path, side: &str| -> Result<Option<Case>> {
        let text =
            fs::read_to_string(path).with_context(|| format!("{shown}: cannot read {side} ({})", path.display()))?;
        if text.trim().is_empty() {
            return Ok(None);
        }
        let mut case: Case = crate::domain::parse::from_toml(Path::new(&format!("{shown} ({side})")), &text)?;
        case.upgrade();
        if case
            .events
            .first()
            .is_none_or(|e| e.kind != crate::domain::case::EventKind::Intake)
        {
            bail!("{shown} ({side}): the event log must start with an intake event");
        }
        Ok(Some(case))
    };
    // A base that cannot be read only loses the tie-break it offers.
    let base = read(&args.base, "base").unwrap_or(None);
    let (Some(ours), Some(theirs)) = (read(&args.ours, "ours")?, read(&args.theirs, "theirs")?) else {
        bail!("{shown}: one side of the merge is empty; resolve it by hand");
    };
    let cfg = config_for(args.path.as_deref())?;
    let merged = crate::store::merge::merge(base.as_ref(), &ours, &theirs, &cfg)
        .with_context(|| format!("{shown}: cannot merge"))?;
    fs::write(&args.ours, to_toml(&merged)?).with_context(|| format!("cannot write {}", args.ours.display()))?;
    Ok(())
}

/// The config of the workspace the file belongs to (git runs drivers at the top of the
/// work tree, and PATH is relative to it), else the built-in default.
fn config_for(path: Option<&str>) -> Result<Config> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let file = cwd.join(path.unwrap_or_default());
    match file.ancestors().find(|d| d.join(CONFIG_FILE).is_file()) {
        Some(root) => Config::load(&root.join(CONFIG_FILE)),
        None => Config::parse(Path::new("(built-in default)"), &default_text()),
    }
}
