//! The audit trail: kefu's use of the `git` program. Finding the work tree a workspace
//! lives in, committing exactly the files a command changed, reading a case's history
//! and the case files git cannot account for.
//!
//! The `git` program (not a library) so that the user's hooks, signing and config apply.
//! Every path handed to git is relative to the workspace root, which is git's working
//! directory here.

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use anyhow::{Context, Result, anyhow, bail};

use crate::time::Time;

/// The e-mail of an author git knows no address for. `.invalid` can never be delivered
/// (RFC 2606); a `.mailmap` can map `name <kefu@kefu.invalid>` to a real address later.
use std::time::Duration;

pub const PLACEHOLDER_EMAIL: &str = "kefu@kefu.invalid";

/// A workspace inside a git work tree.
pub struct Repo {
    /// The workspace root: git's working directory for every call.
    root: PathBuf,
    /// The workspace root relative to the top of the work tree (`""` or `"shop/"`).
    prefix: String,
    /// The repository's own directory (`.git`), where the commit message is written.
    git_dir: PathBuf,
}

/// One commit of a case's history.
#[derive(Debug, serde::Serialize)]
pub struct Entry {
    pub commit: String,
    pub time: Time,
    pub author: String,
    pub subject: String,
}

/// One change to record: who, when (kefu's clock) and why.
pub struct Change<'a> {
    pub actor: &'a str,
    pub at: Time,
    pub subject: &'a str,
    pub body: &'a str,
}

fn not_found(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::NotFound
}

impl Repo {
    /// The work tree holding `root`, or `None` when there is none.
    ///
    /// Most workspaces outside git have no `.git` above them, which a few `stat` calls
    /// show without starting git; that is also how "no git program" is told apart from
    /// "not in git".
    pub fn find(root: &Path) -> Result<Option<Repo>> {
        let root = if root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            root
        };
        let absolute = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let env_says = std::env::var_os("GIT_DIR").is_some() || std::env::var_os("GIT_WORK_TREE").is_some();
        if !env_says && !absolute.ancestors().any(|d| d.join(".git").exists()) {
            return Ok(None);
        }
        let out = Command::new("git")
            .args([
                "rev-parse",
                "--is-inside-work-tree",
                "--absolute-git-dir",
                "--show-prefix",
            ])
            .current_dir(root)
            .env("GIT_TERMINAL_PROMPT", "0")
            // Only this call's messages are read by kefu, so only it is pinned to English.
            .env("LC_ALL", "C")
            .stdin(Stdio::null())
            .output();
        let out = match out {
            Ok(out) => out,
            Err(e) if not_found(&e) => bail!(
                "the workspace is inside a git work tree, but no `git` program was found (install git, or turn commits off with --no-commit or [git] auto_commit = false)"
            ),
            Err(e) => return Err(e).context("cannot run git"),
        };
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            // A `.git` that git cannot read is a broken trail, not "no git": a write that
            // went on without its commit would leave a gap nobody notices (SPEC §9.2).
            let dot_git = absolute.ancestors().map(|d| d.join(".git")).find(|g| g.exists());
            bail!(
                "{} is there but git cannot read it ({}); repair it, or save without committing with --no-commit",
                dot_git.as_deref().unwrap_or(Path::new(".git")).display(),
                one_line(&err)
            );
        }
        let mut lines = stdout.lines();
        if lines.next() != Some("true") {
            return Ok(None);
        }
        let git_dir = PathBuf::from(lines.next().unwrap_or_default());
        Ok(Some(Repo {
            root: root.to_path_buf(),
            git_dir,
            prefix: lines.next().unwrap_or_default().to_string(),
        }))
    }

    fn git(&self) -> Command {
        let mut cmd = Command::new("git");
        cmd.current_dir(&self.root)
            .env("GIT_TERMINAL_PROMPT", "0")
            .stdin(Stdio::null());
        cmd
    }

    /// Commit exactly `paths` (relative to the root), whatever else is staged or modified:
    /// `git add` then `git commit --only`, which leaves the rest of the index as it was.
    /// Returns false when none of them differs from HEAD (nothing to commit).
    pub fn commit(&self, paths: &[PathBuf], change: &Change) -> Result<bool> {
        let mut list = Vec::new();
        for p in paths {
            list.extend_from_slice(p.as_os_str().as_encoded_bytes());
            list.push(0);
        }
        // Pathspecs on stdin: a sweep may touch more files than a command line holds.
        let from_stdin = ["--pathspec-from-file=-", "--pathspec-file-nul"];
        run(self.git().args(["add"]).args(from_stdin), &list)?;

        let mut dirs: Vec<&Path> = paths.iter().filter_map(|p| p.parent()).collect();
        dirs.sort();
        dirs.dedup();
        let staged = run(
            self.git()
                .args(["diff", "--cached", "--name-only", "--relative", "-z", "--"])
                .args(dirs.iter().map(|d| {
                    if d.as_os_str().is_empty() {
                        OsStr::new(".")
                    } else {
                        d.as_os_str()
                    }
                })),
            &[],
        )?;
        let staged: Vec<&[u8]> = staged.stdout.split(|&b| b == 0).collect();
        if !paths.iter().any(|p| staged.contains(&p.as_os_str().as_encoded_bytes())) {
            return Ok(false);
        }

        // The message goes through a file (stdin carries the paths): a sweep's body may be
        // longer than one argument may be.
        let message = self.git_dir.join(format!("KEFU_COMMIT_MSG.{}", std::process::id()));
        let text = if change.body.trim().is_empty() {
            format!("{}\n", change.subject)
        } else {
            format!("{}\n\n{}\n", change.subject, change.body.trim_end())
        };
        std::fs::write(&message, text).with_context(|| format!("cannot write {}", message.display()))?;
        let mut cmd = self.git();
        // `#` lines in a note are text, not comments to strip.
        cmd.args(["commit", "--quiet", "--only", "--cleanup=whitespace", "--file"])
            .arg(&message)
            .args(from_stdin);
        self.identify(&mut cmd, change);
        let result = run(&mut cmd, &list);
        let _ = std::fs::remove_file(&message);
        result?;
        // A commit on a detached HEAD belongs to no branch: a later checkout leaves it
        // behind, so the clerk hears of it now (SPEC §9.2).
        if run(self.git().args(["symbolic-ref", "--quiet", "HEAD"]), &[]).is_err() {
            eprintln!(
                "warning: the workspace's git HEAD is detached; this commit is on no branch (git switch -c NAME keeps it)"
            );
        }
        Ok(true)
    }

    /// Move tracked files in one commit that holds exactly the moves (`kefu upgrade`):
    /// each file keeps HEAD's content under its new name, the index entries move with
    /// whatever they had staged, and nothing else the user staged is committed or
    /// unstaged. `rename` moves the files on disk, between building the commit and
    /// pointing the branch at it; if it fails, the index and the branch are untouched.
    /// Returns false when HEAD holds none of the files (nothing to commit).
    pub fn commit_moves(
        &self,
        moves: &[(PathBuf, PathBuf)],
        change: &Change,
        rename: impl FnOnce() -> Result<()>,
    ) -> Result<bool> {
        let top = |p: &Path| format!("{}{}", self.prefix, p.to_string_lossy().replace('\\', "/"));
        let wanted: std::collections::HashMap<String, String> =
            moves.iter().map(|(old, new)| (top(old), top(new))).collect();
        let index_moves = |listing: &[u8]| -> String {
            let mut info = String::new();
            for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
                let entry = String::from_utf8_lossy(entry);
                // `<mode> <sha> <stage>\t<path>` from ls-files, `<mode> <type> <sha>\t<path>` from ls-tree.
                let Some((meta, path)) = entry.split_once('\t') else {
                    continue;
                };
                let Some(new) = wanted.get(path) else { continue };
                let fields: Vec<&str> = meta.split(' ').collect();
                let (mode, sha) = match fields[..] {
                    [mode, "blob", sha] | [mode, sha, "0"] => (mode, sha),
                    _ => continue,
                };
                info.push_str(&format!("0 {}\t{path}\n{mode} {sha}\t{new}\n", "0".repeat(40)));
            }
            info
        };
        let head = run(self.git().args(["rev-parse", "--verify", "--quiet", "HEAD"]), &[])
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
        let mut dirs: Vec<String> = moves
            .iter()
            .filter_map(|(old, _)| old.parent().map(|d| format!("{}/", top(d))))
            .collect();
        dirs.sort();
        dirs.dedup();
        // The new commit, built aside in a private index: HEAD with the moves.
        let mut commit = None;
        if let Some(head) = &head {
            let tree = run(
                self.git()
                    .args(["ls-tree", "-z", "--full-tree", head.as_str(), "--"])
                    .args(&dirs),
                &[],
            )?;
            let info = index_moves(&tree.stdout);
            if !info.is_empty() {
                let index = self.git_dir.join(format!("kefu-index.{}", std::process::id()));
                let built = (|| -> Result<String> {
                    let private = || {
                        let mut cmd = self.git();
                        cmd.env("GIT_INDEX_FILE", &index);
                        cmd
                    };
                    run(private().args(["read-tree", head.as_str()]), &[])?;
                    run(private().args(["update-index", "--index-info"]), info.as_bytes())?;
                    let tree = run(private().args(["write-tree"]), &[])?;
                    let tree = String::from_utf8_lossy(&tree.stdout).trim().to_string();
                    let mut cmd = self.git();
                    cmd.args(["commit-tree", tree.as_str(), "-p", head.as_str()]);
                    self.identify(&mut cmd, change);
                    let message = format!("{}\n\n{}\n", change.subject, change.body.trim_end());
                    let out = run(cmd.arg("-F").arg("-"), message.as_bytes())?;
                    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
                })();
                let _ = std::fs::remove_file(&index);
                commit = Some(built?);
            }
        }
        rename()?;
        // The user's index: each entry moves with what it had staged.
        let staged = run(
            self.git()
                .args(["ls-files", "-s", "-z", "--full-name", "--"])
                .args(dirs.iter().map(|d| format!(":(glob,top){d}*"))),
            &[],
        )?;
        let info = index_moves(&staged.stdout);
        if !info.is_empty() {
            run(self.git().args(["update-index", "--index-info"]), info.as_bytes())?;
        }
        let (Some(commit), Some(head)) = (commit, head) else {
            return Ok(false);
        };
        run(
            self.git().args([
                "update-ref",
                "-m",
                change.subject,
                "HEAD",
                commit.as_str(),
                head.as_str(),
            ]),
            &[],
        )?;
        Ok(true)
    }

    /// Author: the actor, at kefu's clock (so `--now` and the case's event times agree
    /// with the trail; git still stamps the real time as the commit date). Committer:
    /// whoever git is configured as, else the actor too — a clerk's machine may have no
    /// git identity at all, and git would then refuse to commit.
    fn identify(&self, cmd: &mut Command, change: &Change) {
        let (mut name, mut email) = (None, None);
        let out = run(
            self.git().args(["config", "--get-regexp", r"^user\.(name|email)$"]),
            &[],
        );
        // Exit 1 just means neither is set.
        if let Ok(out) = out {
            for line in String::from_utf8_lossy(&out.stdout).lines() {
                match line.split_once(' ') {
                    Some(("user.name", v)) => name = Some(v.to_string()),
                    Some(("user.email", v)) => email = Some(v.to_string()),
                    _ => {}
                }
            }
        }
        let set = |var: &str| std::env::var(var).ok().filter(|v| !v.trim().is_empty());
        let name = set("GIT_COMMITTER_NAME").or(name);
        let email = set("GIT_COMMITTER_EMAIL").or(email).or_else(|| set("EMAIL"));

        let actor = clean_name(change.actor);
        let author_email = match (&name, &email) {
            (Some(n), Some(e)) if *n == actor => e.clone(),
            _ => PLACEHOLDER_EMAIL.to_string(),
        };
        cmd.env("GIT_AUTHOR_NAME", &actor)
            .env("GIT_AUTHOR_EMAIL", author_email)
            .env("GIT_AUTHOR_DATE", crate::time::rfc3339(&change.at));
        if name.is_none() {
            cmd.env("GIT_COMMITTER_NAME", &actor);
        }
        if email.is_none() {
            cmd.env("GIT_COMMITTER_EMAIL", PLACEHOLDER_EMAIL);
        }
    }

    /// The ids of every case file the history ever held under `dir`, at any path.
    pub fn case_ids_ever(&self, dir: &str) -> Result<Vec<String>> {
        let out = run(
            self.git()
                .args([
                    "log",
                    "--all",
                    "--format=",
                    "--name-only",
                    "--no-renames",
                    "--diff-filter=A",
                    "--",
                ])
                .arg(dir),
            &[],
        );
        // A repository without commits has no history to read.
        let Ok(out) = out else { return Ok(Vec::new()) };
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| Path::new(l).file_stem()?.to_str().map(str::to_string))
            .filter(|id| crate::case::is_full_id(id))
            .collect())
    }

    /// Put the index entries of `paths` back as HEAD has them: after a failed commit,
    /// what `git add` staged for it must not stay staged.
    pub fn unstage(&self, paths: &[PathBuf]) -> Result<()> {
        let mut list = Vec::new();
        for p in paths {
            list.extend_from_slice(p.as_os_str().as_encoded_bytes());
            list.push(0);
        }
        let has_head = run(self.git().args(["rev-parse", "--verify", "--quiet", "HEAD"]), &[]).is_ok();
        if has_head {
            run(
                self.git()
                    .args(["reset", "--quiet", "--pathspec-from-file=-", "--pathspec-file-nul"]),
                &list,
            )?;
        } else {
            run(
                self.git().args([
                    "rm",
                    "--cached",
                    "--quiet",
                    "--ignore-unmatch",
                    "--pathspec-from-file=-",
                    "--pathspec-file-nul",
                ]),
                &list,
            )?;
        }
        Ok(())
    }

    /// The commits that changed any of `files` (relative to the root; every path kefu
    /// ever gave one case), oldest first. Exactly those (SPEC §9.10): no rename or copy
    /// detection, which matched other customers' near-identical cases.
    pub fn log(&self, files: &[PathBuf]) -> Result<Vec<Entry>> {
        let out = run(
            self.git()
                .args([
                    "log",
                    "--no-renames",
                    "--full-history",
                    "--no-show-signature",
                    "--no-color",
                    "--format=%H%x1f%aI%x1f%an%x1f%s%x1e",
                    "--",
                ])
                .args(files),
            &[],
        )?;
        let text = String::from_utf8_lossy(&out.stdout);
        let mut entries = Vec::new();
        for record in text.split('\x1e').map(str::trim).filter(|r| !r.is_empty()) {
            let fields: Vec<&str> = record.split('\x1f').collect();
            let [commit, time, author, subject] = fields[..] else {
                bail!("unexpected output from git log: {record:?}");
            };
            let time = chrono::DateTime::parse_from_rfc3339(time)
                .with_context(|| format!("git log: commit {commit}: bad date {time:?}"))?;
            entries.push(Entry {
                commit: commit.to_string(),
                time,
                author: author.to_string(),
                subject: subject.to_string(),
            });
        }
        entries.reverse();
        Ok(entries)
    }

    /// Files under `dir` (relative to the root) whose content HEAD does not hold:
    /// modified, staged, new or deleted. Paths relative to the root, with git's status letters.
    pub fn uncommitted(&self, dir: &str) -> Result<Vec<(String, String)>> {
        let out = run(
            self.git()
                .args([
                    "status",
                    "--porcelain",
                    "-z",
                    "--untracked-files=all",
                    "--no-renames",
                    "--",
                ])
                .arg(dir),
            &[],
        )?;
        let mut found = Vec::new();
        for entry in out.stdout.split(|&b| b == 0).filter(|e| e.len() > 3) {
            let entry = String::from_utf8_lossy(entry);
            let (code, path) = entry.split_at(3);
            // Porcelain paths are relative to the top of the work tree.
            let path = path.strip_prefix(self.prefix.as_str()).unwrap_or(path);
            found.push((path.to_string(), code.trim().to_string()));
        }
        Ok(found)
    }
}

/// git refuses names with `<`, `>` or line breaks; an empty name is refused too.
fn clean_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if matches!(c, '<' | '>') || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        "kefu".to_string()
    } else {
        cleaned.to_string()
    }
}

/// Run git with `input` on stdin; an error carries git's own message, on one line.
static TIMEOUT: std::sync::OnceLock<Duration> = std::sync::OnceLock::new();

/// How long any one git call may run (`[git] timeout`); set once, from the config.
pub fn set_timeout(limit: Duration) {
    let _ = TIMEOUT.set(limit);
}

fn run(cmd: &mut Command, input: &[u8]) -> Result<Output> {
    let what = cmd
        .get_args()
        .next()
        .map(|a| a.to_string_lossy().into_owned())
        .unwrap_or_default();
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    if !input.is_empty() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) if not_found(&e) => bail!("no `git` program was found"),
        Err(e) => return Err(e).context("cannot run git"),
    };
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input).context("cannot write to git")?;
    }
    // Read both pipes aside, so the wait below can give up on a git that hangs (a
    // hook waiting for input, a stuck signing agent) without a full pipe blocking it.
    let pipe = |r: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf);
            }
            buf
        })
    };
    let stdout = pipe(child.stdout.take().map(|s| Box::new(s) as _));
    let stderr = pipe(child.stderr.take().map(|s| Box::new(s) as _));
    let limit = *TIMEOUT.get_or_init(|| Duration::from_secs(30));
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().context("cannot run git")? {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "git {what} did not finish within {} s ([git] timeout) and was stopped",
                limit.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let out = Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    };
    if !out.status.success() {
        let mut err = one_line(&String::from_utf8_lossy(&out.stderr));
        if err.is_empty() {
            err = one_line(&String::from_utf8_lossy(&out.stdout));
        }
        return Err(anyhow!("git {what} failed: {err}"));
    }
    Ok(out)
}

fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// How to commit by hand what kefu saved but could not commit.
pub fn hint(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let files = if shown.len() <= 3 {
        shown.join(" ")
    } else {
        crate::store::CASES_DIR.to_string() + "/"
    };
    format!("commit it by hand from the workspace directory: git add {files} && git commit {files}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_git_would_refuse_are_cleaned() {
        assert_eq!(clean_name("小李"), "小李");
        assert_eq!(clean_name("a <b>\nc"), "a  b  c");
        assert_eq!(clean_name("<>"), "kefu");
    }

    #[test]
    fn the_hint_names_few_files_or_the_directory() {
        let one = [PathBuf::from("cases/2026/11/20261123-001.toml")];
        assert!(
            hint(&one)
                .ends_with("git add cases/2026/11/20261123-001.toml && git commit cases/2026/11/20261123-001.toml")
        );
        let many: Vec<PathBuf> = (1..=4)
            .map(|n| PathBuf::from(format!("cases/20261123-00{n}.toml")))
            .collect();
        assert!(hint(&many).ends_with("git add cases/ && git commit cases/"));
    }
}
