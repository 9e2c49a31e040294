use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::config::default_text;
use crate::store::{CASES_DIR, CONFIG_FILE, STATE_DIR};

/// Create a workspace in `dir` (from `kefu init DIR` or `--root DIR`), else here.
pub fn run(dir: Option<&Path>) -> Result<()> {
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
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
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
    Ok(())
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
