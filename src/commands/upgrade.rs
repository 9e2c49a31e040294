//! `kefu upgrade`: move a workspace made before month folders (`cases/<id>.toml`) to
//! `cases/YYYY/MM/<id>.toml` (SPEC §13.1), in one commit that holds only the moves.

use std::fs;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use crate::Ctx;
use crate::store::git;
use crate::store::{CASES_DIR, case_rel, flat_rel};

pub fn run(ctx: &Ctx) -> Result<()> {
    let ws = &ctx.ws;
    let _lock = ws.lock_any_layout()?;
    let listing = ws.list()?;
    let flat: Vec<(PathBuf, PathBuf)> = listing
        .cases
        .iter()
        .filter(|(_, flat)| *flat)
        .map(|(id, _)| (flat_rel(id), case_rel(id)))
        .collect();
    // A flat file whose id is also in a month folder: the listing keeps the month's.
    if let Some((_, message)) = listing
        .bad
        .iter()
        .find(|(rel, _)| rel.parent() == Some(std::path::Path::new(CASES_DIR)))
    {
        bail!("{message}; {}", crate::output::i18n::tr("upgrade_clash", &[]));
    }
    if flat.is_empty() {
        println!("{}", crate::output::i18n::tr("upgrade_nothing", &[("dir", CASES_DIR)]));
        return Ok(());
    }
    let rename = || -> Result<()> {
        let mut done: Vec<&(PathBuf, PathBuf)> = Vec::new();
        for pair in &flat {
            let (old, new) = (ws.root.join(&pair.0), ws.root.join(&pair.1));
            let moved = new
                .parent()
                .map_or(Ok(()), fs::create_dir_all)
                .and_then(|()| fs::rename(&old, &new));
            if let Err(e) = moved {
                // Put back what was moved: the workspace stays as it was.
                for (o, n) in done.iter().rev() {
                    let _ = fs::rename(ws.root.join(n), ws.root.join(o));
                }
                return Err(e).with_context(|| {
                    format!(
                        "cannot move {} to {}; nothing was moved",
                        pair.0.display(),
                        pair.1.display()
                    )
                });
            }
            done.push(pair);
        }
        ws.sync_tree()
    };
    let subject = format!("kefu: upgrade {} case file(s) to month folders", flat.len());
    let body = format!(
        "Moved {CASES_DIR}/<id>.toml to {CASES_DIR}/YYYY/MM/<id>.toml (the year and month of receipt); no content changed."
    );
    let repo = if ctx.commit { git::Repo::find(&ws.root)? } else { None };
    let committed = match repo {
        Some(repo) => {
            git::tune(&ws.root);
            let change = git::Change {
                actor: &ctx.actor,
                at: ctx.now,
                subject: &subject,
                body: &body,
            };
            repo.commit_moves(&flat, &change, rename)?
        }
        None => {
            rename()?;
            false
        }
    };
    println!(
        "moved {} case file(s) to {CASES_DIR}/YYYY/MM/{}",
        flat.len(),
        if committed { " in one commit" } else { "" }
    );
    Ok(())
}
