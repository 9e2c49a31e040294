use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::cli::{Cli, InitArgs};
use crate::config::{Config, default_text};
use crate::git::{Change, Repo};
use crate::i18n::tr;
use crate::store::{CASES_DIR, CONFIG_FILE, STATE_DIR};

/// Folders a workspace must never be made in, even through a symbolic link.
const SYSTEM: &[&str] = &[
    "/",
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib64",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/sys",
    "/usr",
    "/var",
    "/System",
    "/Library",
    "/Applications",
];

/// Case files and the config keep LF line endings whatever `core.autocrlf` says, so a
/// checkout on Windows writes the same bytes (and the same blob ids) as one on Linux;
/// case files merge through `kefu merge-file` (SPEC §14.2).
pub const GIT_ATTRIBUTES: &str = "# kefu's files keep LF line endings on every platform; case files merge with kefu merge-file\ncases/** merge=kefu eol=lf\nconfig/** text eol=lf\n";

/// Create a workspace in `dir` (from `kefu init DIR` or `--root DIR`), else here, with
/// its own git repository, and commit it as the first entry of the trail (SPEC §9.16).
pub fn run(dir: Option<&Path>, args: &InitArgs, cli: &Cli) -> Result<()> {
    let no_git = args.no_git;
    let dir = dir.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    if let Some(s) = args.station.as_deref().filter(|s| !crate::case::is_station(s)) {
        bail!(
            "{}",
            tr("bad_station", &[("flag", "--station"), ("got", &format!("{s:?}"))])
        );
    }
    if dir.join(CONFIG_FILE).exists() {
        bail!(
            "{}",
            tr(
                "init_exists",
                &[
                    ("dir", &dir.display().to_string()),
                    ("file", &dir.join(CONFIG_FILE).display().to_string())
                ]
            )
        );
    }
    refuse_unsafe_dir(&dir)?;
    let own_git = dir.join(".git").exists();
    fs::create_dir_all(dir.join("config"))
        .with_context(|| tr("cannot_create", &[("path", &dir.join("config").display().to_string())]))?;
    fs::create_dir_all(dir.join(CASES_DIR))?;
    // git does not keep empty directories; a clone must still have cases/.
    fs::write(dir.join(CASES_DIR).join(".gitkeep"), "")?;
    // The shop's language from the clerk's locale (SPEC §12.1), unless --lang says.
    let lang = cli.lang.unwrap_or_else(crate::i18n::Lang::of_environment);
    let mut text = default_text().replacen("language = \"zh-Hant\"", &format!("language = \"{lang}\""), 1);
    if lang == crate::i18n::Lang::ZhHans {
        // A Simplified shop gets its labels (and the Chinese in the comments) in its script.
        text = hanconv::t2s(&text);
    }
    fs::write(dir.join(CONFIG_FILE), text)?;
    let mut created = vec![PathBuf::from(CONFIG_FILE), Path::new(CASES_DIR).join(".gitkeep")];
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        created.push(PathBuf::from(".gitignore"));
        fs::write(
            &ignore,
            format!("# kefu's lock, temporary files and caches: never the source of truth\n{STATE_DIR}/\n"),
        )?;
    }
    let attributes = dir.join(".gitattributes");
    if !attributes.exists() {
        created.push(PathBuf::from(".gitattributes"));
        fs::write(&attributes, GIT_ATTRIBUTES)?;
    }
    let mut made_git = false;
    if !no_git && !own_git {
        // Its own repository even inside another work tree: a shop's trail never lands
        // in the history of whatever project the folder happens to sit in.
        match Command::new("git")
            .args(["init", "-q"])
            .arg(&dir)
            .env("GIT_TERMINAL_PROMPT", "0")
            .status()
        {
            Ok(s) if s.success() => {
                made_git = true;
                crate::git::tune(&dir);
            }
            Ok(_) => eprintln!("{}{}", tr("warning_prefix", &[]), tr("init_git_failed", &[])),
            Err(_) => eprintln!("{}{}", tr("warning_prefix", &[]), tr("init_no_git", &[])),
        }
    }
    let dir_text = dir.display().to_string();
    let key = if made_git { "init_done_git" } else { "init_done" };
    eprintln!("{}", tr(key, &[("dir", &dir_text), ("config", CONFIG_FILE)]));
    if own_git {
        eprintln!("{}", tr("init_own_git", &[("dir", &dir_text)]));
    }
    let repo = if made_git || own_git {
        Repo::find(&dir).unwrap_or(None)
    } else {
        None
    };
    match (&repo, &args.station) {
        (Some(repo), Some(station)) => super::station::set(Some(repo), station)?,
        // Outside git the shared config is the only place a station can live.
        (None, Some(station)) => {
            let text = fs::read_to_string(dir.join(CONFIG_FILE))?;
            fs::write(
                dir.join(CONFIG_FILE),
                format!("{text}\n[shop]\nstation = \"{station}\"\n"),
            )?;
        }
        _ => {}
    }
    if let Some(repo) = &repo {
        super::sync::install_driver(repo)?;
    }
    if made_git && !cli.no_commit {
        commit(&dir, &created, cli)?;
    }
    Ok(())
}

/// A workspace goes into a new or empty folder (or one holding only a git repository),
/// never into a system folder, even one reached through a symbolic link.
fn refuse_unsafe_dir(dir: &Path) -> Result<()> {
    let existing = dir.ancestors().find(|d| d.exists()).unwrap_or(Path::new("."));
    let resolved = fs::canonicalize(if existing.as_os_str().is_empty() {
        Path::new(".")
    } else {
        existing
    })
    .with_context(|| tr("cannot_resolve", &[("path", &dir.display().to_string())]))?;
    let resolved = resolved.join(dir.strip_prefix(existing).unwrap_or(Path::new("")));
    if SYSTEM.iter().any(|s| resolved == Path::new(s)) || resolved.starts_with("/etc") || resolved.starts_with("/usr") {
        bail!(
            "{}",
            tr(
                "init_system_dir",
                &[
                    ("dir", &dir.display().to_string()),
                    ("system", &resolved.display().to_string())
                ]
            )
        );
    }
    if let Ok(entries) = fs::read_dir(dir) {
        let others: Vec<String> = entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != ".git")
            .collect();
        if !others.is_empty() {
            bail!(
                "{}",
                tr(
                    "init_not_empty",
                    &[
                        ("dir", &dir.display().to_string()),
                        ("files", &others.iter().take(3).cloned().collect::<Vec<_>>().join(", "))
                    ]
                )
            );
        }
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
            "{}",
            tr(
                "init_not_committed",
                &[("why", &format!("{e:#}")), ("hint", &crate::git::hint(created))]
            )
        )
    })
}
