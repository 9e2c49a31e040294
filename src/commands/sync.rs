//! `kefu sync [--remote NAME]`: exchange cases with a git remote (SPEC §14.3). The
//! git program does the work — fetch, merge (case files through `kefu merge-file`),
//! push — so any remote git can reach works, and nothing of kefu's own travels.

use crate::output::i18n::tr;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::Ctx;
use crate::cli::SyncArgs;
use crate::store::git::{Change, Repo};

/// How often a push refused because the remote moved is tried again after a new fetch.
const ATTEMPTS: u32 = 5;

/// What a sync did, for the summary line and `--json`.
#[derive(Default, Serialize)]
struct Done {
    remote: String,
    branch: String,
    received_commits: u64,
    new_cases: u64,
    changed_cases: u64,
    sent_commits: u64,
}

pub fn run(ctx: &Ctx, args: SyncArgs) -> Result<()> {
    let Some(repo) = Repo::find(&ctx.ws.root)? else {
        bail!("{}", tr("sync_no_git", &[]));
    };
    if ctx.station()?.is_empty() {
        bail!("{}", tr("sync_no_station", &[]));
    }
    if ctx.ws.has_flat_files() {
        bail!("{}", tr("sync_flat", &[]));
    }
    let Some(branch) = repo.branch_name() else {
        bail!("{}", tr("sync_detached", &[]));
    };
    let remote = match args.remote {
        Some(r) => r,
        None => upstream_remote(&repo, &branch).unwrap_or_else(|| "origin".to_string()),
    };
    // No other kefu writes while git merges under it.
    let lock = ctx.ws.lock()?;
    install_driver(&repo)?;
    install_attributes(ctx, &lock)?;
    let mut done = Done {
        remote: remote.clone(),
        branch: branch.clone(),
        ..Done::default()
    };
    let tracking = format!("refs/remotes/{remote}/{branch}");
    let mut attempt = 0;
    loop {
        attempt += 1;
        fetch(&repo, &remote, &branch)?;
        let has_remote = ok(&repo, &["rev-parse", "--verify", "--quiet", &tracking]);
        if has_remote {
            refuse_flat(&repo, &remote, &tracking)?;
            merge(ctx, &repo, &remote, &tracking, &mut done)?;
        }
        let range = format!("{tracking}..HEAD");
        let ahead = if has_remote {
            count(&repo, &["rev-list", "--count", &range])
        } else {
            count(&repo, &["rev-list", "--count", "HEAD"])
        };
        if ahead == 0 {
            break;
        }
        let out = repo.raw(&["push", "--porcelain", &remote, &format!("HEAD:refs/heads/{branch}")])?;
        if out.status.success() {
            done.sent_commits += ahead;
            break;
        }
        let said = format!(
            "{} {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let moved = [
            "[rejected]",
            "non-fast-forward",
            "fetch first",
            "stale info",
            "[remote rejected]",
        ]
        .iter()
        .any(|m| said.contains(m));
        if !moved {
            bail!(
                "{}",
                tr(
                    "sync_push_failed",
                    &[
                        ("remote", &remote),
                        ("why", &one_line(&String::from_utf8_lossy(&out.stderr)))
                    ]
                )
            );
        }
        if attempt >= ATTEMPTS {
            bail!(
                "{}",
                tr("sync_kept_moving", &[("remote", &remote), ("n", &attempt.to_string())])
            );
        }
        eprintln!("{}", tr("sync_moved", &[("remote", &remote)]));
    }
    report(ctx, &done)
}

fn report(ctx: &Ctx, done: &Done) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if ctx.json {
        return super::show::print_json(done);
    }
    let remote = format!("{}/{}", done.remote, done.branch);
    writeln!(
        out,
        "{}\n{}",
        tr(
            "sync_in",
            &[
                ("commits", &done.received_commits.to_string()),
                ("remote", &remote),
                ("new", &done.new_cases.to_string()),
                ("changed", &done.changed_cases.to_string())
            ]
        ),
        tr(
            "sync_out",
            &[("commits", &done.sent_commits.to_string()), ("remote", &remote)]
        )
    )
    .with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))
}

fn fetch(repo: &Repo, remote: &str, branch: &str) -> Result<()> {
    let out = repo.raw(&["fetch", "--quiet", "--no-tags", remote, branch])?;
    if out.status.success() {
        return Ok(());
    }
    let err = one_line(&String::from_utf8_lossy(&out.stderr));
    // A remote that has no such branch yet (a new, empty bare repository) is fine.
    if err.contains("couldn't find remote ref") {
        return Ok(());
    }
    bail!("{}", tr("sync_unreachable", &[("remote", remote), ("why", &err)]))
}

/// Merge what came in; count it first.
fn merge(ctx: &Ctx, repo: &Repo, remote: &str, tracking: &str, done: &mut Done) -> Result<()> {
    let range = format!("HEAD..{tracking}");
    let incoming = count(repo, &["rev-list", "--count", &range]);
    if incoming == 0 {
        return Ok(());
    }
    let three_dot = format!("HEAD...{tracking}");
    let out = repo.raw(&["diff", "--name-status", "--no-renames", "-z", &three_dot, "--", "cases"])?;
    let fields: Vec<&[u8]> = out.stdout.split(|&b| b == 0).filter(|f| !f.is_empty()).collect();
    let (mut new, mut changed) = (0, 0);
    for pair in fields.chunks(2) {
        let [status, path] = pair else { continue };
        if !path.ends_with(b".toml") {
            continue;
        }
        match status.first() {
            Some(b'A') => new += 1,
            Some(_) => changed += 1,
            None => {}
        }
    }
    let subject = format!("kefu: sync with {remote}");
    let change = Change {
        actor: &ctx.actor,
        at: ctx.now,
        subject: &subject,
        body: "",
    };
    let out = repo.merge(tracking, &change)?;
    if !out.status.success() {
        let conflicted = repo.raw(&["diff", "--name-only", "--diff-filter=U"])?;
        let files = String::from_utf8_lossy(&conflicted.stdout).trim().replace('\n', ", ");
        let _ = repo.raw(&["merge", "--abort"]);
        bail!(
            "{}{}: {}; {}",
            tr("sync_merge_failed", &[("remote", remote)]),
            if files.is_empty() {
                String::new()
            } else {
                format!(" ({files})")
            },
            one_line(&format!(
                "{} {}",
                String::from_utf8_lossy(&out.stderr),
                String::from_utf8_lossy(&out.stdout)
            )),
            tr("sync_merge_undone", &[])
        );
    }
    done.received_commits += incoming;
    done.new_cases += new;
    done.changed_cases += changed;
    Ok(())
}

/// The other side must not bring the flat layout back (SPEC §17.12: sync refuses mixed
/// layouts).
fn refuse_flat(repo: &Repo, remote: &str, tracking: &str) -> Result<()> {
    let out = repo.raw(&["ls-tree", "--name-only", tracking, "--", "cases/"])?;
    let flat = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.ends_with(".toml"))
        .count();
    if flat > 0 {
        bail!(
            "{}",
            tr("sync_remote_flat", &[("remote", remote), ("n", &flat.to_string())])
        );
    }
    Ok(())
}

fn upstream_remote(repo: &Repo, branch: &str) -> Option<String> {
    let out = repo
        .raw(&["config", "--get", &format!("branch.{branch}.remote")])
        .ok()?;
    let name = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !name.is_empty() && name != ".").then_some(name)
}

fn ok(repo: &Repo, args: &[&str]) -> bool {
    repo.raw(args).is_ok_and(|o| o.status.success())
}

fn count(repo: &Repo, args: &[&str]) -> u64 {
    repo.raw(args)
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(0)
}

fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("hint:"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Have git merge case files with this kefu: the `merge.kefu.*` settings of the clone
/// (never pushed), pointing at the running program.
pub fn install_driver(repo: &Repo) -> Result<()> {
    let exe = std::env::current_exe().unwrap_or_else(|_| Path::new("kefu").to_path_buf());
    let exe = exe.to_string_lossy().replace('\\', "/");
    // git runs the driver through the shell: the path is quoted for it.
    let quoted = format!("'{}'", exe.replace('\'', r"'\''"));
    repo.config_set("merge.kefu.name", "kefu: join the event logs of a case")?;
    repo.config_set("merge.kefu.driver", &format!("{quoted} merge-file %O %A %B %P"))?;
    Ok(())
}

/// `cases/** merge=kefu eol=lf` in the workspace's `.gitattributes`, committed, for a
/// workspace made before kefu merged case files (its `cases/** text eol=lf` line is
/// replaced).
fn install_attributes(ctx: &Ctx, lock: &crate::store::Lock) -> Result<()> {
    const LINE: &str = "cases/** merge=kefu eol=lf";
    let path = ctx.ws.root.join(".gitattributes");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    if old.lines().any(|l| l.trim() == LINE) {
        return Ok(());
    }
    let mut lines: Vec<String> = old
        .lines()
        .filter(|l| !l.trim_start().starts_with("cases/**"))
        .map(str::to_string)
        .collect();
    lines.push(LINE.to_string());
    std::fs::write(&path, lines.join("\n") + "\n")
        .with_context(|| crate::output::i18n::tr("cannot_write", &[("path", &path.display().to_string())]))?;
    let rel = PathBuf::from(".gitattributes");
    let change = Change {
        actor: &ctx.actor,
        at: ctx.now,
        subject: "kefu: merge case files with kefu merge-file",
        body: "",
    };
    let _ = lock;
    Repo::find(&ctx.ws.root)?
        .map(|repo| repo.commit(&[rel], &change))
        .transpose()?;
    Ok(())
}
