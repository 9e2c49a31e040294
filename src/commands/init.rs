use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::cli::Cli;
use crate::config::{Config, default_text};
use crate::git::{Change, Repo};
use crate::store::{CASES_DIR, CONFIG_FILE, STATE_DIR};

/// Create a workspace in `dir` (from `kefu init DIR` or `--root DIR`), else here, and
/// commit it as the first entry of the trail.
pub fn run(dir: Option<&Path>, cli: &Cli) -> Result<()> {
    let dir = dir.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    if dir.join(CONFIG_FILE).exists() {
        bail!(
            "{} is already a kefu workspace ({} exists); nothing was changed",
            dir.display(),
            dir.join(CONFIG_FILE).display()
        );
    }
    if dir.join(CASES_DIR).exists() {
        bail!(
            "{} already exists; kefu init will not write into an existing cases directory",
            dir.join(CASES_DIR).display()
        );
    }
    let in_git = inside_work_tree(&dir);
    fs::create_dir_all(dir.join("config"))
        .with_context(|| format!("cannot create {}", dir.join("config").display()))?;
    fs::create_dir_all(dir.join(CASES_DIR))?;
    // git does not keep empty directories; a clone must still have cases/.
    fs::write(dir.join(CASES_DIR).join(".gitkeep"), "")?;
    fs::write(dir.join(CONFIG_FILE), default_text())?;
    let mut created = vec![PathBuf::from(CONFIG_FILE), Path::new(CASES_DIR).join(".gitkeep")];
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        created.push(PathBuf::from(".gitignore"));
        fs::write(
            &ignore,
            format!("# kefu's lock, temporary files and caches: never the source of truth\n{STATE_DIR}/\n"),
        )?;
    }
    if !in_git {
        match Command::new("git")
            .args(["init", "-q"])
            .arg(&dir)
            .env("GIT_TERMINAL_PROMPT", "0")
            .status()
        {
            Ok(s) if s.success() => {}
            Ok(_) => eprintln!("warning: `git init` failed; the workspace works without git, but keeps no audit trail"),
            Err(_) => {
                eprintln!("warning: no `git` program found; the workspace works without git, but keeps no audit trail")
            }
        }
    }
    eprintln!(
        "created a kefu workspace in {} — edit {CONFIG_FILE} for your shop",
        dir.display()
    );
    if !cli.no_commit {
        commit(&dir, &created, cli)?;
    }
    Ok(())
}

/// The workspace's first commit, by the actor (else the default config's clerk), so the
/// config is in the trail from the start, even on a machine with no git identity.
fn commit(dir: &Path, created: &[PathBuf], cli: &Cli) -> Result<()> {
    let Some(repo) = Repo::find(dir).unwrap_or(None) else {
        // No git or no git program: `kefu init` has already said so above.
        return Ok(());
    };
    let config = Config::parse(Path::new(CONFIG_FILE), &default_text())?;
    let at = match &cli.now {
        Some(text) => config
            .zone
            .parse(text)
            .map_err(|e| anyhow::anyhow!("--now / KEFU_NOW: {e}"))?,
        None => config.zone.fix(chrono::Utc::now()),
    };
    let change = Change {
        actor: cli.actor.as_deref().unwrap_or(&config.clerk),
        at,
        subject: "kefu: start the complaint book",
        body: &format!(
            "created {}",
            created
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    repo.commit(created, &change).map(|_| ()).map_err(|e| {
        anyhow::anyhow!(
            "the workspace is created but not committed: {e:#}; {}",
            crate::git::hint(created)
        )
    })
}

/// Is `dir` (or, when it does not exist yet, its nearest existing ancestor) inside a git work tree?
pub fn inside_work_tree(dir: &Path) -> bool {
    let Some(existing) = dir.ancestors().find(|d| d.is_dir() || d.as_os_str().is_empty()) else {
        return false;
    };
    let existing = if existing.as_os_str().is_empty() {
        Path::new(".")
    } else {
        existing
    };
    Command::new("git")
        .args(["rev-parse", "--is-inside-work-tree"])
        .current_dir(existing)
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.starts_with(b"true"))
}
