//! `kefu station [S]`: this clone's station (SPEC §14.1), kept in the repository's own
//! git config so that it stays with the clone and never travels with the history.

use std::io::Write;

use anyhow::{Context, Result, bail};

use crate::Ctx;
use crate::cli::StationArgs;
use crate::domain::case::is_station;
use crate::store::git::Repo;

pub fn run(ctx: &Ctx, args: StationArgs) -> Result<()> {
    let Some(station) = args.station else {
        let current = ctx.station()?;
        if current.is_empty() {
            eprintln!("{}", crate::output::i18n::tr("no_station", &[]));
        } else {
            writeln!(std::io::stdout(), "{current}")
                .with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))?;
        }
        return Ok(());
    };
    let repo = Repo::find(&ctx.ws.root)?;
    set(repo.as_ref(), &station)?;
    eprintln!("{}", crate::output::i18n::tr("station_set", &[("station", &station)]));
    if std::env::var_os("KEFU_STATION").is_some_and(|s| !s.is_empty()) {
        eprintln!("{}", crate::output::i18n::tr("station_overridden", &[]));
    }
    Ok(())
}

/// Keep `station` in the clone's git config; refused outside git (where the shared
/// config's `[shop] station` says it) and for anything but 1 to 3 lowercase letters.
pub fn set(repo: Option<&Repo>, station: &str) -> Result<()> {
    if !is_station(station) {
        bail!(
            "{}",
            crate::output::i18n::tr("bad_station", &[("flag", "station"), ("got", &format!("{station:?}"))])
        );
    }
    let Some(repo) = repo else {
        bail!("{}", crate::output::i18n::tr("station_no_git", &[("station", station)]));
    };
    repo.config_set("kefu.station", station)?;
    // A clone's setup step: case files merge with kefu from now on.
    super::sync::install_driver(repo)
}
