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

use crate::domain::time::Time;
use crate::output::i18n::tr;
use crate::store::split_index;

/// The e-mail of an author git knows no address for. `.invalid` can never be delivered
/// (RFC 2606); a `.mailmap` can map `name <kefu@kefu.invalid>` to a real address later.
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const PLACEHOLDER_EMAIL: &str = "kefu@kefu.invalid";

/// From how many paths a commit writes its folders' trees whole (see `commit_fast`).
const MANY_PATHS: usize = 64;
/// Below this size (about 600 entries) a shared index is cheap to read twice.
const RESPLIT_FROM: u64 = 64 * 1024;
/// From how many packs kefu has git roll the small ones together (see `Repo::tidy`).
const ROLL_UP_FROM: usize = 16;

/// A workspace inside a git work tree.
#[derive(Clone)]
pub struct Repo {
    /// The workspace root: git's working directory for every call.
    root: PathBuf,
    /// The workspace root relative to the top of the work tree (`""` or `"shop/"`).
    prefix: String,
    /// The repository's own directory (`.git`), where the commit message is written.
    git_dir: PathBuf,
    /// Whether objects are named by SHA-1 (git's default), which kefu can then compute.
    sha1: bool,
    /// Where git looks for hooks (`core.hooksPath` or `.git/hooks`).
    hooks: PathBuf,
    /// Where the repository keeps its packs (`objects/pack`).
    packs: PathBuf,
    /// Read once per process, on first use, and shared by every copy.
    settings: std::sync::Arc<std::sync::OnceLock<Settings>>,
}

/// What the repository's config says about committing, and this clone's station.
struct Settings {
    name: Option<String>,
    email: Option<String>,
    /// `commit.gpgsign`: commits must be signed, which `git commit` does.
    sign: bool,
    /// `kefu.station` in the repository's own config (SPEC §14.1).
    station: Option<String>,
    /// `core.splitIndex`: the index is kept in two parts (see [`Repo::update_index`]).
    split_index: bool,
    /// git's automatic housekeeping is on (`gc.auto` is not 0).
    auto_gc: bool,
}

/// A boolean setting as git reads it.
fn is_true(v: &str) -> bool {
    matches!(v.trim(), "true" | "yes" | "on" | "1")
}

/// The settings kefu reads from git's configuration, each with its scope.
const CONFIG_QUERY: [&str; 4] = [
    "config",
    "--show-scope",
    "--get-regexp",
    r"^(user\.(name|email)|commit\.gpgsign|kefu\.station|core\.splitindex|gc\.auto)$",
];

impl Default for Settings {
    /// git's defaults.
    fn default() -> Settings {
        Settings {
            name: None,
            email: None,
            sign: false,
            station: None,
            split_index: false,
            auto_gc: true,
        }
    }
}

impl Settings {
    /// From what [`CONFIG_QUERY`] prints.
    fn from_config(listed: &str) -> Settings {
        let mut settings = Settings::default();
        for line in listed.lines() {
            let Some((scope, setting)) = line.split_once('\t') else {
                continue;
            };
            match setting.split_once(' ') {
                Some(("user.name", v)) => settings.name = Some(v.to_string()),
                Some(("user.email", v)) => settings.email = Some(v.to_string()),
                Some(("commit.gpgsign", v)) => settings.sign = is_true(v),
                Some(("core.splitindex", v)) => settings.split_index = is_true(v),
                Some(("gc.auto", v)) => settings.auto_gc = v.trim() != "0",
                // Only this clone's own: a station is never shared by machines.
                Some(("kefu.station", v)) if scope == "local" => settings.station = Some(v.trim().to_string()),
                _ => {}
            }
        }
        settings
    }
}

/// The work trees found so far: a command asks for its workspace's more than once
/// (the station of a new id, then the commit), and each ask would start git.
static FOUND: std::sync::Mutex<Vec<(PathBuf, Repo)>> = std::sync::Mutex::new(Vec::new());

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

/// Whether an `ls-tree` mode is a folder's (`040000`).
fn is_folder(mode: &str) -> bool {
    mode.trim_start_matches('0').starts_with('4')
}

/// git's order of a tree's entries: by name, a folder's name as if it ended in "/".
fn git_order<'a>(name: &'a str, mode: &str) -> impl Iterator<Item = u8> + 'a {
    name.bytes().chain(is_folder(mode).then_some(b'/'))
}

/// A folder's entries after a batch: `old` (name, mode, object) as at the branch tip and
/// `changes` (name, new blob or `None` to remove), both in name order, merged in it.
fn merge_entries<'a>(
    old: &'a [(&'a str, &'a str, &'a str)],
    changes: &'a [(&'a str, &'a str, Option<&'a str>)],
) -> impl Iterator<Item = (&'a str, &'a str, &'a str)> + Send + 'a {
    let (mut old, mut changes) = (old.iter().peekable(), changes.iter().peekable());
    std::iter::from_fn(move || {
        loop {
            let take_old = match (old.peek(), changes.peek()) {
                (None, None) => return None,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (Some(o), Some(c)) => o.0 < c.1,
            };
            if take_old {
                return old.next().copied();
            }
            let (_, name, blob) = changes.next().copied()?;
            if old.peek().is_some_and(|o| o.0 == name) {
                old.next();
            }
            if let Some(blob) = blob {
                return Some((name, "100644", blob));
            }
        }
    })
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
        let found = FOUND
            .lock()
            .ok()
            .and_then(|f| f.iter().find(|(r, _)| r == root).map(|(_, repo)| repo.clone()));
        if found.is_some() {
            return Ok(found);
        }
        let repo = Repo::discover(root)?;
        if let (Some(repo), Ok(mut found)) = (&repo, FOUND.lock()) {
            found.push((root.to_path_buf(), repo.clone()));
        }
        Ok(repo)
    }

    fn discover(root: &Path) -> Result<Option<Repo>> {
        let absolute = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let env_says = std::env::var_os("GIT_DIR").is_some() || std::env::var_os("GIT_WORK_TREE").is_some();
        if !env_says && !dot_git_above(&absolute) {
            return Ok(None);
        }
        // Every command that finds git asks its settings too (the station of a new id,
        // the identity of a commit): both questions go to git at once.
        let (out, config) = std::thread::scope(|scope| {
            let config = scope.spawn(|| run(Repo::git_in(root).args(CONFIG_QUERY), &[]));
            let out = Command::new("git")
                .args([
                    "rev-parse",
                    "--is-inside-work-tree",
                    "--absolute-git-dir",
                    "--show-prefix",
                    "--show-object-format",
                    "--git-path",
                    "hooks",
                    "--git-path",
                    "objects/pack",
                ])
                .current_dir(root)
                .env("GIT_TERMINAL_PROMPT", "0")
                // Only this call's messages are read by kefu, so only it is pinned to English.
                .env("LC_ALL", "C")
                .stdin(Stdio::null())
                .output();
            (out, config.join())
        });
        let out = match out {
            Ok(out) => out,
            Err(e) if not_found(&e) => bail!("{}", tr("no_git_program", &[])),
            Err(e) => return Err(e).with_context(|| tr("cannot_run_git", &[])),
        };
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            // A `.git` that git cannot read is a broken trail, not "no git": a write that
            // went on without its commit would leave a gap nobody notices (SPEC §9.2).
            let dot_git = absolute.ancestors().map(|d| d.join(".git")).find(|g| g.exists());
            bail!(
                "{}",
                tr(
                    "git_unreadable",
                    &[
                        (
                            "path",
                            &dot_git.as_deref().unwrap_or(Path::new(".git")).display().to_string()
                        ),
                        ("why", &one_line(&err))
                    ]
                )
            );
        }
        let mut lines = stdout.lines();
        if lines.next() != Some("true") {
            return Ok(None);
        }
        let git_dir = PathBuf::from(lines.next().unwrap_or_default());
        let prefix = lines.next().unwrap_or_default().to_string();
        let sha1 = lines.next() == Some("sha1");
        let hooks = root.join(lines.next().unwrap_or("hooks"));
        let packs = root.join(lines.next().unwrap_or("objects/pack"));
        let settings = std::sync::OnceLock::new();
        // Exit 1 just means none is set.
        if let Ok(Ok(out)) = config {
            let _ = settings.set(Settings::from_config(&String::from_utf8_lossy(&out.stdout)));
        }
        Ok(Some(Repo {
            root: root.to_path_buf(),
            git_dir,
            prefix,
            sha1,
            hooks,
            packs,
            settings: std::sync::Arc::new(settings),
        }))
    }

    fn git(&self) -> Command {
        Repo::git_in(&self.root)
    }

    /// `git fast-import`, told to keep what it writes as the pack it wrote. By default
    /// a pack of fewer than 100 objects (every one-action commit) is unpacked into
    /// loose objects by a second git, `unpack-objects`: 8 ms of the 21 a commit took
    /// at 100,000 cases. The small packs are rolled together by [`Repo::tidy`].
    fn fast_import(&self) -> Command {
        let mut cmd = self.git();
        cmd.args(["-c", "fastimport.unpackLimit=0", "fast-import", "--quiet", "--done"]);
        cmd
    }

    /// Past [`ROLL_UP_FROM`] packs, git's geometric repack rolls the small ones into
    /// one, in the background, leaving the big pack alone: the housekeeping `git
    /// commit` would start (its `gc --auto` repacks everything once there are 50
    /// packs: seconds at 100,000 cases). Not when the user turned git's automatic
    /// housekeeping off (`gc.auto = 0`). Best effort: a git too old for
    /// `--geometric` (before 2.33) leaves the packs to the next `git gc`.
    fn tidy(&self) {
        if !self.settings().auto_gc {
            return;
        }
        let packs = std::fs::read_dir(&self.packs)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".pack"))
            .count();
        if packs < ROLL_UP_FROM {
            return;
        }
        let mut cmd = self.git();
        cmd.args(["repack", "--geometric=2", "-d", "-l", "-q"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // Not waited for: it outlives kefu, as git's own background housekeeping does.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        #[cfg(windows)]
        {
            use std::os::windows::process::CommandExt;
            const CREATE_NEW_PROCESS_GROUP: u32 = 0x0000_0200;
            const CREATE_NO_WINDOW: u32 = 0x0800_0000;
            cmd.creation_flags(CREATE_NEW_PROCESS_GROUP | CREATE_NO_WINDOW);
        }
        let _ = cmd.spawn();
    }

    fn git_in(root: &Path) -> Command {
        let mut cmd = Command::new("git");
        cmd.current_dir(root)
            .env("GIT_TERMINAL_PROMPT", "0")
            .stdin(Stdio::null());
        cmd
    }

    /// Commit exactly `paths` (relative to the root), whatever else is staged or modified,
    /// as one commit by the actor. Returns false when there was nothing to commit.
    ///
    /// The cost must not grow with the workspace (SPEC §13.2): `git commit` rereads and
    /// rewrites the whole index and compares the work tree, so on a branch tip with no
    /// commit hooks and no signing, the commit is written by `git fast-import`, which
    /// rewrites only the trees on the changed paths and moves the branch only if nobody
    /// else moved it meanwhile; then the user's index entries for `paths` take the new
    /// blobs, which leaves everything else the user staged as it was. With hooks or
    /// signing, `git commit --only` runs them as before.
    pub fn commit(&self, paths: &[PathBuf], change: &Change) -> Result<bool> {
        let started = SystemTime::now();
        let result = self.commit_any(paths, change);
        if result.as_ref().is_err_and(|e| e.is::<TimedOut>()) {
            // git was killed holding its index lock; nobody else can be writing (kefu
            // holds the workspace lock), and a lock left behind stops every later commit.
            let lock = self.git_dir.join("index.lock");
            if std::fs::metadata(&lock)
                .and_then(|m| m.modified())
                .is_ok_and(|t| t >= started)
            {
                let _ = std::fs::remove_file(&lock);
            }
        }
        result
    }

    fn commit_any(&self, paths: &[PathBuf], change: &Change) -> Result<bool> {
        let settings = self.settings();
        if !settings.sign
            && !self.has_commit_hooks()
            && let Some(branch) = self.branch()
            && let Some(head) = self.head()
        {
            let committed = self.commit_fast(paths, change, settings, &branch, &head);
            if committed.is_ok() {
                self.tidy();
            }
            return committed;
        }
        self.commit_porcelain(paths, change, settings)
    }

    /// The branch HEAD points at (`refs/heads/main`), or `None` when detached.
    fn branch(&self) -> Option<String> {
        let head = std::fs::read_to_string(self.git_dir.join("HEAD")).ok()?;
        head.trim().strip_prefix("ref: ").map(str::to_string)
    }

    /// The commit HEAD is at, or `None` before the first commit. Read from the ref files
    /// when they are plain (a branch, loose or packed, in the repository's own folder),
    /// which saves starting git once per commit; otherwise git says.
    fn head(&self) -> Option<String> {
        self.head_from_files().or_else(|| self.head_from_git())
    }

    fn head_from_files(&self) -> Option<String> {
        let branch = self.branch()?;
        if !branch.starts_with("refs/heads/") || self.git_dir.join("commondir").exists() {
            return None;
        }
        let is_id = |s: &str| matches!(s.len(), 40 | 64) && s.bytes().all(|b| b.is_ascii_hexdigit());
        if let Ok(text) = std::fs::read_to_string(self.git_dir.join(&branch)) {
            return Some(text.trim().to_string()).filter(|s| is_id(s));
        }
        let packed = std::fs::read_to_string(self.git_dir.join("packed-refs")).ok()?;
        packed
            .lines()
            .filter_map(|line| line.split_once(' '))
            .find(|(id, name)| *name == branch && is_id(id))
            .map(|(id, _)| id.to_string())
    }

    fn head_from_git(&self) -> Option<String> {
        let out = run(
            self.git().args(["rev-parse", "--quiet", "--verify", "HEAD^{commit}"]),
            &[],
        )
        .ok()?;
        Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// Whether git would run a hook for a commit (a sample hook does not count).
    fn has_commit_hooks(&self) -> bool {
        ["pre-commit", "prepare-commit-msg", "commit-msg", "post-commit"]
            .iter()
            .any(|hook| self.hooks.join(hook).is_file())
    }

    fn commit_fast(
        &self,
        paths: &[PathBuf],
        change: &Change,
        settings: &Settings,
        branch: &str,
        head: &str,
    ) -> Result<bool> {
        let ident = self.ident(change, settings);
        let message = if change.body.trim().is_empty() {
            format!("{}\n", change.subject)
        } else {
            format!("{}\n\n{}\n", change.subject, change.body.trim_end())
        };
        let committed = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let zone = change.at.format("%z");
        let header = format!(
            "commit {branch}\nauthor {} <{}> {} {zone}\ncommitter {} <{}> {committed} {zone}\ndata {}\n{message}from {head}\n",
            ident.author_name,
            ident.author_email,
            change.at.timestamp(),
            ident.committer_name,
            ident.committer_email,
            message.len(),
        );
        let top = |p: &Path| format!("{}{}", self.prefix, p.to_string_lossy().replace('\\', "/"));
        // fast-import finds a path's place in its folder's tree by a linear search, so
        // thousands of new files in one month folder cost time quadratic in their
        // number: a large batch writes its blobs first, and its month trees whole.
        let many = paths.len() > MANY_PATHS;
        if !many && self.sha1 {
            return self.commit_few(paths, &header, head, &top);
        }
        // Whether each path has a file now (its blob is mark index + 1) or was removed.
        let mut present: Vec<bool> = Vec::with_capacity(paths.len());
        let marks = self.git_dir.join(format!("kefu-marks.{}", std::process::id()));
        let root = &self.root;
        let imported = run_fed(
            // Delta chains of one: git's default (50) spends seconds on a batch of
            // thousands of new files; a later `git gc` packs them tightly anyway.
            // (No deltas at all measured no faster on an idle machine.)
            self.fast_import()
                .arg("--depth=1")
                .arg(format!("--export-marks={}", marks.display())),
            Some(Box::new(|w: &mut dyn Write| {
                // Streamed: a batch of 200,000 cases is never held whole.
                for (i, path) in paths.iter().enumerate() {
                    match std::fs::read(root.join(path)) {
                        Ok(bytes) => {
                            write!(w, "blob\nmark :{}\ndata {}\n", i + 1, bytes.len())?;
                            w.write_all(&bytes)?;
                            w.write_all(b"\n")?;
                            present.push(true);
                        }
                        Err(e) if not_found(&e) => present.push(false),
                        Err(e) => {
                            let path = path.display().to_string();
                            return Err(std::io::Error::new(e.kind(), tr("cannot_read", &[("path", &path)])));
                        }
                    }
                }
                if !many {
                    w.write_all(header.as_bytes())?;
                    for (i, (path, &here)) in paths.iter().zip(&present).enumerate() {
                        match here {
                            true => writeln!(w, "M 100644 :{} {}", i + 1, quote(&top(path)))?,
                            false => writeln!(w, "D {}", quote(&top(path)))?,
                        }
                    }
                    w.write_all(b"\n")?;
                }
                w.write_all(b"done\n")
            })),
        );
        let marked = std::fs::read_to_string(&marks);
        let _ = std::fs::remove_file(&marks);
        imported?;
        let marked = marked.with_context(|| tr("git_unexpected", &[("what", "fast-import")]))?;
        // Each path's new blob, or `None` when it was removed.
        let mut blobs: Vec<Option<&str>> = vec![None; paths.len()];
        for line in marked.lines() {
            let blob = line.strip_prefix(':').and_then(|l| l.split_once(' '));
            if let Some((mark, sha)) = blob
                && let Ok(mark) = mark.parse::<usize>()
                && let Some(slot) = mark.checked_sub(1).and_then(|i| blobs.get_mut(i))
            {
                *slot = Some(sha);
            }
        }
        if blobs.iter().zip(&present).any(|(b, &here)| b.is_some() != here) {
            bail!("{}", tr("git_unexpected", &[("what", "fast-import")]));
        }
        // Borrowed where they need no change, as a workspace at the top of its work
        // tree has them: a batch of 200,000 paths is not copied.
        let tops: Vec<std::borrow::Cow<str>> = paths
            .iter()
            .map(|p| match p.to_str() {
                Some(plain) if self.prefix.is_empty() && !plain.contains('\\') => plain.into(),
                _ => top(p).into(),
            })
            .collect();
        if many {
            self.commit_trees(&header, &tops, &blobs)?;
        }
        // The user's index: the committed paths as committed, nothing else touched.
        let zero = "0".repeat(head.len());
        run_fed(
            self.git().args(self.update_index()),
            Some(Box::new(|w: &mut dyn Write| {
                for (path, blob) in tops.iter().zip(&blobs) {
                    match blob {
                        Some(sha) => writeln!(w, "100644 {sha}\t{path}")?,
                        None => writeln!(w, "0 {zero}\t{path}")?,
                    }
                }
                Ok(())
            })),
        )?;
        Ok(true)
    }

    /// `git update-index --index-info`, asked to fold the index's own entries into a new
    /// shared index when they have grown to half its size. With a split index
    /// (`core.splitIndex`, which `kefu init` sets) git writes only the entries that
    /// changed, but an entry whose file's times changed (after a copy, a restore, a
    /// checkout of every file) stays in the index's own part, and git never folds
    /// those back: from then on every update reads both, the whole workspace twice.
    fn update_index(&self) -> Vec<&'static str> {
        let mut args = vec!["update-index"];
        if self.resplit_due() {
            args.push("--split-index");
        }
        args.push("--index-info");
        args
    }

    fn resplit_due(&self) -> bool {
        if !self.settings().split_index {
            return false;
        }
        let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
        let own = size(&self.git_dir.join("index"));
        let shared = std::fs::read_dir(&self.git_dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("sharedindex."))
            .map(|e| size(&e.path()))
            .max()
            .unwrap_or(0);
        shared >= RESPLIT_FROM && own >= shared / 2
    }

    /// The user's index entries for a commit's paths (`info` as `update-index
    /// --index-info` reads them): written here when the index is split and of a form
    /// kefu writes (see `split_index`), else by git.
    fn index_entries(&self, changes: &[split_index::Change], info: &str) -> Result<()> {
        if self.settings().split_index && !self.resplit_due() && split_index::update(&self.git_dir, changes) {
            return Ok(());
        }
        run(self.git().args(self.update_index()), info.as_bytes()).map(|_| ())
    }

    /// The commit of a few paths (one action's): their blob ids are computed here, so
    /// one git updates the user's index entries while another writes the commit. Were
    /// the commit refused, the caller's undo puts the index entries back.
    fn commit_few(&self, paths: &[PathBuf], header: &str, head: &str, top: &dyn Fn(&Path) -> String) -> Result<bool> {
        let mut files = Vec::with_capacity(paths.len());
        for path in paths {
            match std::fs::read(self.root.join(path)) {
                Ok(bytes) => files.push(Some(bytes)),
                Err(e) if not_found(&e) => files.push(None),
                Err(e) => {
                    return Err(e).with_context(|| tr("cannot_read", &[("path", &path.display().to_string())]));
                }
            }
        }
        let zero = "0".repeat(head.len());
        let mut index = String::new();
        let tops: Vec<String> = paths.iter().map(|p| top(p)).collect();
        let mut changes = Vec::with_capacity(paths.len());
        let mut stream = Vec::new();
        for (i, (path, file)) in tops.iter().zip(&files).enumerate() {
            let mut change = split_index::Change { path, blob: None };
            match file {
                Some(bytes) => {
                    let mut blob = sha1_smol::Sha1::new();
                    blob.update(format!("blob {}\0", bytes.len()).as_bytes());
                    blob.update(bytes);
                    let blob = blob.digest();
                    change.blob = Some(blob.bytes());
                    index.push_str(&format!("100644 {blob}\t{path}\n"));
                    stream.extend_from_slice(format!("blob\nmark :{}\ndata {}\n", i + 1, bytes.len()).as_bytes());
                    stream.extend_from_slice(bytes);
                    stream.push(b'\n');
                }
                None => index.push_str(&format!("0 {zero}\t{path}\n")),
            }
            changes.push(change);
        }
        stream.extend_from_slice(header.as_bytes());
        for (i, (path, file)) in tops.iter().zip(&files).enumerate() {
            let line = match file {
                Some(_) => format!("M 100644 :{} {}\n", i + 1, quote(path)),
                None => format!("D {}\n", quote(path)),
            };
            stream.extend_from_slice(line.as_bytes());
        }
        stream.extend_from_slice(b"\ndone\n");
        let (imported, indexed) = std::thread::scope(|scope| {
            let indexed = scope.spawn(|| self.index_entries(&changes, &index));
            let imported = run(self.fast_import().arg("--depth=1"), &stream);
            (imported, indexed.join())
        });
        imported?;
        indexed.map_err(|_| anyhow!("{}", tr("git_unexpected", &[("what", "update-index")])))??;
        Ok(true)
    }

    /// The commit of a large batch whose blobs are written: each changed folder's tree
    /// is made whole, from the folder's entries at the branch tip and the batch's, and
    /// the commit names those trees (`paths` are from the top of the work tree;
    /// `blobs[i]` is the new blob of `paths[i]`, `None` when it was removed).
    fn commit_trees(&self, header: &str, paths: &[std::borrow::Cow<str>], blobs: &[Option<&str>]) -> Result<()> {
        // Each folder's changes, in order: (folder, name, new blob or None to remove).
        let mut changes: Vec<(&str, &str, Option<&str>)> = paths
            .iter()
            .zip(blobs)
            .map(|(path, blob)| {
                let (folder, name) = path.rsplit_once('/').unwrap_or(("", path.as_ref()));
                (folder, name, *blob)
            })
            .collect();
        changes.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        let mut folders: Vec<&str> = changes.iter().map(|c| c.0).collect();
        folders.dedup();
        if folders.contains(&"") {
            bail!("{}", tr("git_unexpected", &[("what", "fast-import")]));
        }
        let mut args = vec![
            "ls-tree".to_string(),
            "-z".into(),
            "--full-tree".into(),
            "HEAD".into(),
            "--".into(),
        ];
        args.extend(folders.iter().map(|f| format!("{f}/")));
        let listing = run(self.git().args(&args), &[])?.stdout;
        let listing = String::from_utf8_lossy(&listing);
        // (folder, name, mode, object) of every entry at the tip.
        let mut entries: Vec<(&str, &str, &str, &str)> = Vec::new();
        for entry in listing.split('\0').filter(|e| !e.is_empty()) {
            let Some((meta, path)) = entry.split_once('\t') else {
                continue;
            };
            let mut meta = meta.split(' ');
            let (Some(mode), Some(_kind), Some(object)) = (meta.next(), meta.next(), meta.next()) else {
                continue;
            };
            let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
            entries.push((folder, name, mode, object));
        }
        let mut stream = header.to_string();
        for folder in folders {
            let mine = &changes[changes.partition_point(|c| c.0 < folder)..changes.partition_point(|c| c.0 <= folder)];
            let old: Vec<(&str, &str, &str)> = entries
                .iter()
                .filter(|e| e.0 == folder)
                .map(|e| (e.1, e.2, e.3))
                .collect();
            let merged = || merge_entries(&old, mine);
            if merged().next().is_none() {
                stream.push_str(&format!("D {}\n", quote(folder)));
                continue;
            }
            let id = if old.iter().all(|e| !is_folder(e.1)) {
                // Files only, as in a month folder: git's order is the names' order, in
                // which both lists already are, so the tree is written as it is merged.
                self.write_tree(merged())?
            } else {
                let mut tree: Vec<(&str, &str, &str)> = merged().collect();
                tree.sort_by(|a, b| git_order(a.0, a.1).cmp(git_order(b.0, b.1)));
                self.write_tree(tree.into_iter())?
            };
            stream.push_str(&format!("M 040000 {id} {}\n", quote(folder)));
        }
        stream.push_str("\ndone\n");
        run(&mut self.fast_import(), stream.as_bytes())?;
        Ok(())
    }

    /// Write a tree object of `entries` (name, mode as `ls-tree` prints it, object id),
    /// given in git's order, and return its id. git checks the object's form as it
    /// takes it.
    fn write_tree<'a>(&self, entries: impl Iterator<Item = (&'a str, &'a str, &'a str)> + Send) -> Result<String> {
        let bad = || anyhow!("{}", tr("git_unexpected", &[("what", "ls-tree")]));
        let hex = |object: &str| -> Option<Vec<u8>> {
            object
                .len()
                .is_multiple_of(2)
                .then(|| {
                    object
                        .as_bytes()
                        .chunks(2)
                        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
                        .collect()
                })
                .flatten()
        };
        // Streamed to git, which holds the tree once; kefu does not hold it a second time.
        let out = run_fed(
            self.git().args(["hash-object", "-w", "-t", "tree", "--stdin"]),
            Some(Box::new(move |w: &mut dyn Write| {
                for (name, mode, object) in entries {
                    let Some(id) = hex(object) else {
                        return Err(std::io::Error::other(tr("git_unexpected", &[("what", "ls-tree")])));
                    };
                    write!(w, "{} {name}\0", mode.trim_start_matches('0'))?;
                    w.write_all(&id)?;
                }
                Ok(())
            })),
        )?;
        let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if id.is_empty() {
            return Err(bad());
        }
        Ok(id)
    }

    /// `git add` then `git commit --only`, which leaves the rest of the index as it was;
    /// hooks and signing apply.
    fn commit_porcelain(&self, paths: &[PathBuf], change: &Change, settings: &Settings) -> Result<bool> {
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
        std::fs::write(&message, text)
            .with_context(|| tr("cannot_write", &[("path", &message.display().to_string())]))?;
        let mut cmd = self.git();
        // `#` lines in a note are text, not comments to strip.
        cmd.args(["commit", "--quiet", "--only", "--cleanup=whitespace", "--file"])
            .arg(&message)
            .args(from_stdin);
        self.identify(&mut cmd, change, settings);
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
                    self.identify(&mut cmd, change, self.settings());
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

    /// The repository's identity and signing settings and this clone's station, from
    /// one `git config` call.
    fn settings(&self) -> &Settings {
        self.settings.get_or_init(|| {
            // Exit 1 just means none is set.
            run(self.git().args(CONFIG_QUERY), &[])
                .map(|out| Settings::from_config(&String::from_utf8_lossy(&out.stdout)))
                .unwrap_or_default()
        })
    }

    /// This clone's station (`kefu.station` in `.git/config`), if set.
    pub fn station(&self) -> Option<String> {
        self.settings().station.clone()
    }

    /// Author: the actor, at kefu's clock (so `--now` and the case's event times agree
    /// with the trail; git still stamps the real time as the commit date). Committer:
    /// whoever git is configured as, else the actor too — a clerk's machine may have no
    /// git identity at all, and git would then refuse to commit.
    fn ident(&self, change: &Change, settings: &Settings) -> Ident {
        let set = |var: &str| std::env::var(var).ok().filter(|v| !v.trim().is_empty());
        let name = set("GIT_COMMITTER_NAME").or(settings.name.clone());
        let email = set("GIT_COMMITTER_EMAIL")
            .or(settings.email.clone())
            .or_else(|| set("EMAIL"));
        let actor = clean_name(change.actor);
        let author_email = match (&name, &email) {
            (Some(n), Some(e)) if *n == actor => e.clone(),
            _ => PLACEHOLDER_EMAIL.to_string(),
        };
        Ident {
            committer_name: name.map_or_else(|| actor.clone(), |n| clean_name(&n)),
            committer_email: clean_email(&email.unwrap_or_else(|| PLACEHOLDER_EMAIL.to_string())),
            author_email: clean_email(&author_email),
            author_name: actor,
        }
    }

    fn identify(&self, cmd: &mut Command, change: &Change, settings: &Settings) {
        let ident = self.ident(change, settings);
        cmd.env("GIT_AUTHOR_NAME", &ident.author_name)
            .env("GIT_AUTHOR_EMAIL", &ident.author_email)
            .env("GIT_AUTHOR_DATE", crate::domain::time::rfc3339(&change.at))
            .env("GIT_COMMITTER_NAME", &ident.committer_name)
            .env("GIT_COMMITTER_EMAIL", &ident.committer_email);
    }

    /// Run git with `args` in the workspace, in English, for `sync`: the output whatever
    /// the exit status, and no time limit (a fetch of a large history takes its time).
    pub fn raw(&self, args: &[&str]) -> Result<Output> {
        self.git()
            .args(args)
            .env("LC_ALL", "C")
            .output()
            .with_context(|| tr("cannot_run_git", &[]))
    }

    /// `git merge` of `what` as the actor (the merge commit needs an identity, which a
    /// clerk's machine may lack), running the merge driver on case files.
    pub fn merge(&self, what: &str, change: &Change) -> Result<Output> {
        let settings = self.settings();
        let mut cmd = self.git();
        cmd.args(["merge", "--no-edit", "-m", change.subject, what])
            .env("LC_ALL", "C");
        self.identify(&mut cmd, change, settings);
        cmd.output().with_context(|| tr("cannot_run_git", &[]))
    }

    /// The branch checked out, like `main`; `None` when detached.
    pub fn branch_name(&self) -> Option<String> {
        self.branch()?.strip_prefix("refs/heads/").map(str::to_string)
    }

    /// A setting of this repository's own config (`.git/config`), `None` when unset.
    pub fn config_get(&self, key: &str) -> Result<Option<String>> {
        let out = self
            .git()
            .args(["config", "--local", "--get", key])
            .output()
            .with_context(|| tr("cannot_run_git", &[]))?;
        match out.status.code() {
            Some(0) => Ok(Some(String::from_utf8_lossy(&out.stdout).trim().to_string())),
            // 1: the key is not set.
            Some(1) => Ok(None),
            _ => bail!(
                "git config --get {key} failed: {}",
                one_line(&String::from_utf8_lossy(&out.stderr))
            ),
        }
    }

    /// Set a setting in this repository's own config (`.git/config`): it stays with this
    /// clone and is never pushed.
    pub fn config_set(&self, key: &str, value: &str) -> Result<()> {
        run(self.git().args(["config", "--local", key, value]), &[])?;
        Ok(())
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
            .filter(|id| crate::domain::case::is_full_id(id))
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
    ///
    /// With one path git answers from the commit-graph's changed-path filters without
    /// opening most trees; given several paths it reads every commit's trees (15 ms
    /// against 110 ms over 20,000 commits). So each path is asked alone first, and all
    /// of them together (for git's order) only when more than one has a history.
    pub fn log(&self, files: &[PathBuf]) -> Result<Vec<Entry>> {
        // Bring the changed-path filters up to date first: incremental (a split graph),
        // so a few milliseconds for the commits since the last time, and once for a
        // history that never had them. Without them, each of 20,000 commits has its
        // month folder's tree read (seconds at 100,000 cases); with them, 50 ms.
        // Best effort: git's own cache, and a log works without it.
        let _ = run(
            self.git()
                .args(["commit-graph", "write", "--reachable", "--changed-paths", "--split"]),
            &[],
        );
        let mut with_history = Vec::new();
        let mut entries = Vec::new();
        for file in files {
            let found = self.log_of(std::slice::from_ref(file))?;
            if !found.is_empty() {
                with_history.push(file.clone());
                entries = found;
            }
        }
        if with_history.len() > 1 {
            entries = self.log_of(&with_history)?;
        }
        Ok(entries)
    }

    fn log_of(&self, files: &[PathBuf]) -> Result<Vec<Entry>> {
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
                bail!("{}: {record:?}", tr("git_unexpected", &[("what", "log")]));
            };
            let time = chrono::DateTime::parse_from_rfc3339(time)
                .with_context(|| format!("{}: {commit}: {time:?}", tr("git_unexpected", &[("what", "log")])))?;
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

/// Settings for a repository kefu made or upgraded: a split index, so that a commit
/// rewrites a small index file instead of one entry per case (9.6 MB at 100,000 cases).
/// Best effort: without it commits work, only slower.
pub fn tune(root: &Path) {
    let _ = Command::new("git")
        .args(["config", "core.splitIndex", "true"])
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Whether a `.git` is in `dir` or above it, where git would look: not above a folder
/// named in `GIT_CEILING_DIRECTORIES` (git does not look there, so neither does kefu).
fn dot_git_above(dir: &Path) -> bool {
    let ceilings: Vec<PathBuf> = std::env::var_os("GIT_CEILING_DIRECTORIES")
        .map(|v| std::env::split_paths(&v).filter(|p| p.is_absolute()).collect())
        .unwrap_or_default();
    for d in dir.ancestors() {
        if d != dir && ceilings.iter().any(|c| c == d) {
            return false;
        }
        if d.join(".git").exists() {
            return true;
        }
    }
    false
}

/// Who a commit is by.
struct Ident {
    author_name: String,
    author_email: String,
    committer_name: String,
    committer_email: String,
}

/// An e-mail address as git writes it: no angle brackets or line breaks.
fn clean_email(email: &str) -> String {
    email
        .chars()
        .filter(|c| !matches!(c, '<' | '>') && !c.is_control())
        .collect()
}

/// A path for a fast-import command: C-style quoted when it needs to be.
fn quote(path: &str) -> String {
    if !path
        .bytes()
        .any(|b| b == b'"' || b == b'\\' || b == b'\n' || b == b' ' || b < 0x20)
    {
        return path.to_string();
    }
    let mut quoted = String::from("\"");
    for c in path.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
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

/// A git call stopped at `[git] timeout`.
#[derive(Debug, thiserror::Error)]
#[error("git {what} did not finish within {secs} s ([git] timeout) and was stopped")]
struct TimedOut {
    what: String,
    secs: u64,
}

/// Stop a git call and whatever it started (a hook, a signing agent): on Unix each git
/// runs in a process group of its own, which is killed whole.
#[cfg(unix)]
fn kill_group(child: &mut std::process::Child) {
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: kill only sends a signal; -pid names the group this child leads.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
}

#[cfg(not(unix))]
fn kill_group(child: &mut std::process::Child) {
    let _ = child.kill();
}

/// What a git call reads on its standard input, written as git reads it.
type Feed<'a> = Box<dyn FnOnce(&mut dyn Write) -> std::io::Result<()> + Send + 'a>;

fn run(cmd: &mut Command, input: &[u8]) -> Result<Output> {
    let feed: Option<Feed> = match input.is_empty() {
        true => None,
        false => Some(Box::new(move |w: &mut dyn Write| w.write_all(input))),
    };
    run_fed(cmd, feed)
}

/// Run git, `feed` writing its input on a thread of its own: a git that stops reading
/// (it hangs, or failed) cannot hold kefu past `[git] timeout`.
fn run_fed(cmd: &mut Command, feed: Option<Feed<'_>>) -> Result<Output> {
    // The subcommand, past any `-c name=value`.
    let mut args = cmd.get_args();
    let mut what = String::new();
    while let Some(arg) = args.next() {
        if arg != "-c" {
            what = arg.to_string_lossy().into_owned();
            break;
        }
        args.next();
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(cmd, 0);
    if feed.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) if not_found(&e) => bail!("{}", tr("no_git_program", &[])),
        Err(e) => return Err(e).with_context(|| tr("cannot_run_git", &[])),
    };
    std::thread::scope(|scope| {
        let writer = child.stdin.take().zip(feed).map(|(stdin, feed)| {
            scope.spawn(move || {
                let mut w = std::io::BufWriter::with_capacity(1 << 16, stdin);
                feed(&mut w)?;
                w.flush()
            })
        });
        // Read both pipes aside, so the wait below can give up on a git that hangs (a
        // hook waiting for input, a stuck signing agent) without a full pipe blocking it.
        let pipe = |r: Option<Box<dyn std::io::Read + Send>>| {
            scope.spawn(move || {
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
            if let Some(status) = child.try_wait().with_context(|| tr("cannot_run_git", &[]))? {
                break status;
            }
            if start.elapsed() > limit {
                kill_group(&mut child);
                let _ = child.wait();
                return Err(TimedOut {
                    what,
                    secs: limit.as_secs(),
                }
                .into());
            }
            // Most git calls end within milliseconds: polled finely at first, so that
            // waiting adds little to each, then every 2 ms.
            let pause = match start.elapsed() < Duration::from_millis(20) {
                true => Duration::from_micros(200),
                false => Duration::from_millis(2),
            };
            std::thread::sleep(pause);
        };
        let fed = writer.map(|w| w.join().unwrap_or_else(|_| Err(std::io::Error::other("panicked"))));
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
            // What kefu could not feed (a file it could not read) says more than git's
            // complaint about a stream that ended early.
            if let Some(Err(e)) = fed
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(anyhow!("{e}"));
            }
            return Err(anyhow!("{}", tr("git_failed", &[("what", &what), ("why", &err)])));
        }
        if let Some(Err(e)) = fed {
            return Err(anyhow!("{e}")).with_context(|| tr("cannot_run_git", &[]));
        }
        Ok(out)
    })
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
    tr("commit_by_hand", &[("files", &files)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_merges_into_a_folder_in_name_order() {
        let old = [
            ("a.toml", "100644", "01"),
            ("c.toml", "100644", "03"),
            ("e.toml", "100644", "05"),
        ];
        let changes = [
            ("x", "b.toml", Some("12")),
            ("x", "c.toml", Some("13")),
            ("x", "e.toml", None),
            ("x", "f.toml", Some("16")),
        ];
        let merged: Vec<(&str, &str)> = super::merge_entries(&old, &changes).map(|e| (e.0, e.2)).collect();
        assert_eq!(
            merged,
            [("a.toml", "01"), ("b.toml", "12"), ("c.toml", "13"), ("f.toml", "16")]
        );
        // A folder sorts as if its name ended in "/": "a.b" < "a/" < "a0".
        let mut names = [("a0", "100644"), ("a", "040000"), ("a.b", "100644")];
        names.sort_by(|x, y| super::git_order(x.0, x.1).cmp(super::git_order(y.0, y.1)));
        assert_eq!(names.map(|n| n.0), ["a.b", "a", "a0"]);
    }

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
