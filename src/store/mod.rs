//! The store: the only code that touches a workspace's files. Finding the workspace,
//! reading case files, allocating ids, the write lock and atomic writes.
//!
//! Layout: `config/kefu.toml`, `cases/YYYY/MM/<id>.toml` (the year and month of receipt,
//! SPEC §13.1), and `.kefu/` (ignored by git) for the lock file, temporary files, caches
//! and id high-water marks — nothing there is a source of truth. Workspaces made before
//! month folders keep `cases/<id>.toml`: reads accept it, writes wait for `kefu upgrade`.

pub mod cache;
pub mod git;
pub mod merge;
pub mod quick_toml;
mod split_index;

use crate::output::i18n::tr;
use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

use crate::domain::case::{Case, State, id_order, is_full_id, split_id};
use crate::domain::config::Config;
use crate::domain::parse::{from_toml, line_of_key};
use crate::domain::time::Time;
use cache::Brief;

pub const CONFIG_FILE: &str = "config/kefu.toml";
pub const CASES_DIR: &str = "cases";
pub const STATE_DIR: &str = ".kefu";
/// Which month folders (`YYYY`, `MM`) a listing or a scan visits.
type MonthFilter<'a> = dyn Fn(&str, &str) -> bool + Sync + 'a;

/// At most how many cases a scan visits at a time (a window of whole days, or one day).
const WINDOW: usize = 1024;

/// What a scan gets of one case: what `map` made of it (if it was wanted), or why the
/// file could not be read.
type Scanned<T> = Result<Option<T>, Unreadable>;

/// What a scan keeps in a day's cache shard of one case.
enum Keep {
    /// The shard's entry at this index, as it is.
    Cached(usize),
    /// A new entry, from the file just parsed.
    Fresh(cache::Entry),
    /// Nothing (the file is unreadable, or changed too recently to be cached).
    Dropped,
}

/// How far back a complaint makes its customer a repeat customer (SPEC §10.11).
pub const REPEAT_DAYS: u32 = 90;

pub struct Workspace {
    pub root: PathBuf,
    pub config: Config,
}

/// A case that could not be written: its id and why.
pub type Refused = (String, anyhow::Error);

/// A file that could not be read, with a one-line message naming it.
pub type Unreadable = (PathBuf, String);

/// Held while a command reads, changes and writes cases (and commits them). Released
/// when dropped, or by the OS if the process dies.
/// A case file as a write left it, and what it held before (`None`: it is new).
#[derive(Clone, Debug)]
pub struct Written {
    pub path: PathBuf,
    pub before: Option<Vec<u8>>,
}

pub struct Lock {
    _file: File,
}

/// What `cases/` holds: case files by id (with their paths relative to the root), the
/// entries that cannot be case files, and how many files are in the flat layout.
#[derive(Default)]
pub struct Listing {
    /// Each case's id, and whether its file is in the flat layout (`cases/<id>.toml`)
    /// rather than its month folder. Paths follow from these (see [`Listing::rel`]).
    pub cases: Vec<(String, bool)>,
    pub bad: Vec<Unreadable>,
    pub flat: usize,
}

impl Listing {
    /// One entry named `name` in the folder `rel`: in the month folder `year/month`, or
    /// at the top of `cases/` (the flat layout) when `month` is `None`.
    fn add(&mut self, rel: &Path, name: &str, month: Option<(&str, &str)>) {
        let Some(id) = name.strip_suffix(".toml") else { return };
        let path = rel.join(name);
        if !is_full_id(id) {
            let message = format!("{}: not named like a case file (YYYYMMDD-NNN.toml)", path.display());
            self.bad.push((path, message));
        } else if month.is_some_and(|(y, m)| id[..4] != *y || id[4..6] != *m) {
            let message = format!(
                "{}: in the wrong folder: a case received on {} belongs in {}",
                path.display(),
                &id[..8],
                case_rel(id).parent().unwrap_or(rel).display()
            );
            self.bad.push((path, message));
        } else {
            self.cases.push((id.to_string(), month.is_none()));
        }
    }

    /// A listed case's file relative to the root.
    pub fn rel(id: &str, flat: bool) -> PathBuf {
        if flat { flat_rel(id) } else { case_rel(id) }
    }
}

/// One listing of `flat` (the flat layout's files) and `parts` (month folders), sorted
/// by id; a flat file beside its moved copy is reported, and the month folder's file is
/// the case.
fn merge(mut listing: Listing, parts: Vec<Listing>) -> Listing {
    listing.cases.reserve_exact(parts.iter().map(|p| p.cases.len()).sum());
    for part in parts {
        listing.cases.extend(part.cases);
        listing.bad.extend(part.bad);
    }
    // By id, the month folder's file (flat = false) first.
    listing
        .cases
        .sort_by(|a, b| id_order(&a.0, &b.0).then_with(|| a.1.cmp(&b.1)));
    let mut twice = Vec::new();
    listing.cases.dedup_by(|later, first| {
        let same = later.0 == first.0;
        if same {
            twice.push(later.0.clone());
        }
        same
    });
    for id in twice {
        let rel = flat_rel(&id);
        let message = format!(
            "{}: the same case id is also in {}",
            rel.display(),
            case_rel(&id).display()
        );
        listing.bad.push((rel, message));
    }
    listing.bad.sort();
    listing
}

/// A case's file relative to the root: `cases/YYYY/MM/<id>.toml`, by the receipt day
/// its id begins with (SPEC §13.1). The id is never renamed, so neither is the file.
pub fn case_rel(id: &str) -> PathBuf {
    debug_assert!(is_full_id(id));
    Path::new(CASES_DIR)
        .join(&id[..4])
        .join(&id[4..6])
        .join(format!("{id}.toml"))
}

/// Where older workspaces kept a case: `cases/<id>.toml`.
pub fn flat_rel(id: &str) -> PathBuf {
    Path::new(CASES_DIR).join(format!("{id}.toml"))
}

/// Say once per run that the workspace still has the flat layout (SPEC §13.1).
fn warn_flat(files: usize) {
    static SAID: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if files > 0 && !SAID.swap(true, std::sync::atomic::Ordering::Relaxed) {
        eprintln!("{}{}", tr("warning_prefix", &[]), tr("flat_layout_read", &[]));
    }
}

impl Workspace {
    /// `--root` / `KEFU_ROOT` when given, else the nearest ancestor holding the config.
    pub fn find(root: Option<&Path>) -> Result<Workspace> {
        let root = Workspace::find_root(root)?;
        let config = Config::load(&root.join(CONFIG_FILE))?;
        Ok(Workspace { root, config })
    }

    /// The workspace directory, without reading its config.
    pub fn find_root(root: Option<&Path>) -> Result<PathBuf> {
        Ok(match root {
            Some(dir) => {
                if !dir.join(CONFIG_FILE).is_file() {
                    bail!(
                        "{}",
                        tr(
                            "not_a_workspace",
                            &[("dir", &dir.display().to_string()), ("config", CONFIG_FILE)]
                        )
                    );
                }
                dir.to_path_buf()
            }
            None => {
                let cwd = std::env::current_dir().with_context(|| tr("cannot_read_cwd", &[]))?;
                match cwd.ancestors().find(|d| d.join(CONFIG_FILE).is_file()) {
                    Some(dir) => dir.to_path_buf(),
                    None => bail!(
                        "{}",
                        tr(
                            "no_workspace",
                            &[("dir", &cwd.display().to_string()), ("config", CONFIG_FILE)]
                        )
                    ),
                }
            }
        })
    }

    pub fn cases_dir(&self) -> PathBuf {
        self.root.join(CASES_DIR)
    }

    /// Where the case with this id is written: `cases/YYYY/MM/<id>.toml`.
    pub fn case_path(&self, id: &str) -> PathBuf {
        self.root.join(case_rel(id))
    }

    /// Where the case with this id is read from: its month folder, else the flat layout
    /// of older workspaces.
    pub fn path_of(&self, id: &str) -> PathBuf {
        let month = self.case_path(id);
        if month.exists() {
            return month;
        }
        let flat = self.root.join(flat_rel(id));
        if flat.exists() {
            warn_flat(1);
            return flat;
        }
        month
    }

    /// Whether any case file still sits in the flat layout (`cases/<id>.toml`). Stops at
    /// the first one; with month folders `cases/` holds only a few year folders.
    pub fn has_flat_files(&self) -> bool {
        fs::read_dir(self.cases_dir()).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                e.file_name().to_str().is_some_and(|n| n.ends_with(".toml")) && e.file_type().is_ok_and(|t| t.is_file())
            })
        })
    }

    /// Every case file under `cases/` with its id, sorted by id, and the entries that
    /// are not where a case file can be. Month folders are listed in parallel.
    pub fn list(&self) -> Result<Listing> {
        self.list_in(&|_, _| true)
    }

    /// [`Workspace::list`] of the month folders (`YYYY`, `MM`) that `month` keeps (flat
    /// files are always listed).
    fn list_in(&self, month: &MonthFilter<'_>) -> Result<Listing> {
        let (months, flat) = self.top_in(month)?;
        let parts: Vec<Listing> = months
            .par_iter()
            .map(|(year, month)| self.list_month(year, month))
            .collect::<Result<_>>()?;
        Ok(merge(flat, parts))
    }

    /// The month folders (`YYYY`, `MM`) that `month` keeps, sorted, and the files at the
    /// top of `cases/` (the flat layout), unsorted.
    fn top_in(&self, month: &MonthFilter<'_>) -> Result<(Vec<(String, String)>, Listing)> {
        let dir = self.cases_dir();
        let mut months = Vec::new();
        let mut listing = Listing::default();
        for entry in fs::read_dir(&dir).with_context(|| tr("cannot_read", &[("path", &dir.display().to_string())]))? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir && name.len() == 4 && name.bytes().all(|b| b.is_ascii_digit()) {
                let year = entry.path();
                for m in
                    fs::read_dir(&year).with_context(|| tr("cannot_read", &[("path", &year.display().to_string())]))?
                {
                    let m = m?;
                    let name_month = m.file_name().to_string_lossy().into_owned();
                    if m.file_type().is_ok_and(|t| t.is_dir())
                        && name_month.len() == 2
                        && name_month.bytes().all(|b| b.is_ascii_digit())
                        && month(&name, &name_month)
                    {
                        months.push((name.clone(), name_month));
                    }
                }
            } else if !is_dir {
                listing.add(Path::new(CASES_DIR), &name, None);
            }
        }
        listing.flat = listing.cases.len();
        months.sort();
        Ok((months, listing))
    }

    /// The entries of the month folder `cases/YYYY/MM`, unsorted.
    fn list_month(&self, year: &str, month: &str) -> Result<Listing> {
        let rel = Path::new(CASES_DIR).join(year).join(month);
        let path = self.root.join(&rel);
        let mut part = Listing::default();
        for entry in fs::read_dir(&path).with_context(|| tr("cannot_read", &[("path", &path.display().to_string())]))? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            part.add(&rel, &name, Some((year, month)));
        }
        Ok(part)
    }

    /// The path relative to the workspace root, for messages: `cases/20261123-001.toml`.
    pub fn rel(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
    }

    /// The ids of every case file, sorted. Other entries are left to `check`.
    pub fn ids(&self) -> Result<Vec<String>> {
        let listing = self.list()?;
        warn_flat(listing.flat);
        Ok(listing.cases.into_iter().map(|(id, _)| id).collect())
    }

    /// A full id, or a unique suffix of at least 3 characters, to the full id.
    /// Anything else is refused before a path is built from it.
    pub fn resolve(&self, text: &str) -> Result<String> {
        if text.len() < 3
            || !text
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase() || b == b'-')
        {
            bail!("{}", tr("not_an_id", &[("got", &format!("{text:?}"))]));
        }
        if is_full_id(text) {
            if self.path_of(text).exists() {
                return Ok(text.to_string());
            }
            bail!(
                "{}",
                tr(
                    "no_case",
                    &[("id", text), ("path", &case_rel(text).display().to_string())]
                )
            );
        }
        let found: Vec<String> = self.ids()?.into_iter().filter(|id| id.ends_with(text)).collect();
        match found.len() {
            1 => Ok(found.into_iter().next().unwrap_or_default()),
            0 => bail!("{}", tr("no_case_suffix", &[("got", &format!("{text:?}"))])),
            _ => bail!(
                "{}",
                tr(
                    "ambiguous_id",
                    &[("got", &format!("{text:?}")), ("ids", &found.join(", "))]
                )
            ),
        }
    }

    /// Read, parse and verify one case. Errors read `cases/<id>.toml:line: reason`.
    pub fn load(&self, id: &str) -> Result<Case> {
        let path = self.path_of(id);
        read_case(&path, &self.rel(&path), self.config.max_case_bytes).map_err(anyhow::Error::msg)
    }

    /// Visit every case in id order. `map` runs in parallel on each readable, verified
    /// case; `sink` gets the results one at a time, in id order. Memory holds a window of
    /// days, never the whole workspace. Parsed cases come from the cache when their file
    /// is unchanged. Returns the files that could not be read, each with a one-line
    /// message naming it, sorted.
    pub fn scan<T: Send>(
        &self,
        map: impl Fn(Case, State) -> Option<T> + Sync,
        sink: impl FnMut(T) -> Result<()>,
    ) -> Result<Vec<(PathBuf, String)>> {
        self.scan_where(|_| true, map, sink)
    }

    /// [`Workspace::scan`] over the cases whose [`Brief`] passes `wanted`. The brief comes
    /// from the cache when it is valid, else from the parsed case, so the choice is the
    /// same either way; the cache only saves decoding the cases passed over.
    pub fn scan_where<T: Send>(
        &self,
        wanted: impl Fn(&Brief) -> bool + Sync,
        map: impl Fn(Case, State) -> Option<T> + Sync,
        sink: impl FnMut(T) -> Result<()>,
    ) -> Result<Vec<(PathBuf, String)>> {
        self.scan_in(None, wanted, map, sink)
    }

    /// [`Workspace::scan_where`] over the month folders that `month` keeps, and the
    /// flat files of an older layout (with their warning) only when `month` is `None`.
    fn scan_in<T: Send>(
        &self,
        month: Option<&MonthFilter<'_>>,
        wanted: impl Fn(&Brief) -> bool + Sync,
        map: impl Fn(Case, State) -> Option<T> + Sync,
        mut sink: impl FnMut(T) -> Result<()>,
    ) -> Result<Vec<(PathBuf, String)>> {
        let (months, flat) = self.top_in(month.unwrap_or(&|_, _| true))?;
        let mut bad = flat.bad;
        // One month at a time: only its listing is held, never the workspace's. The flat
        // layout's files join the month of their id.
        let mut flat_by_month: HashMap<String, Vec<(String, bool)>> = HashMap::new();
        if month.is_none() {
            warn_flat(flat.flat);
            for (id, is_flat) in flat.cases {
                flat_by_month
                    .entry(id[..6].to_string())
                    .or_default()
                    .push((id, is_flat));
            }
        }
        let mut keys: Vec<(String, bool)> = months
            .iter()
            .map(|(y, m)| (format!("{y}{m}"), true))
            .chain(flat_by_month.keys().map(|k| (k.clone(), false)))
            .collect();
        keys.sort();
        keys.dedup_by(|later, first| later.0 == first.0);
        let cache = self.state_dir("cache").ok();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        for (key, folder) in keys {
            let part = match folder {
                true => self.list_month(&key[..4], &key[4..])?,
                false => Listing::default(),
            };
            let flat = Listing {
                cases: flat_by_month.remove(&key).unwrap_or_default(),
                ..Listing::default()
            };
            let listing = merge(flat, vec![part]);
            bad.extend(listing.bad);
            // Runs of one day, in id order (the listing is sorted).
            let mut days: Vec<(String, Vec<(String, bool)>)> = Vec::new();
            for (id, flat) in listing.cases {
                match days.last_mut() {
                    Some((day, ids)) if id.starts_with(day.as_str()) => ids.push((id, flat)),
                    _ => days.push((id[..8].to_string(), vec![(id, flat)])),
                }
            }
            // A window of whole days holding at most WINDOW cases (or one day) at a
            // time: parallel inside, in order across windows, so what a scan holds is
            // bounded by the window, whatever the workspace's size.
            let mut rest = &days[..];
            while !rest.is_empty() {
                let mut n = rest[0].1.len();
                let mut end = 1;
                while end < rest.len() && n + rest[end].1.len() <= WINDOW {
                    n += rest[end].1.len();
                    end += 1;
                }
                let (window, after) = rest.split_at(end);
                rest = after;
                let results: Vec<Vec<Scanned<T>>> = window
                    .par_iter()
                    .map(|(day, ids)| self.scan_day(day, ids, cache.as_deref(), now, &wanted, &map))
                    .collect();
                for r in results.into_iter().flatten() {
                    match r {
                        Ok(Some(t)) => sink(t)?,
                        Ok(None) => {}
                        Err(e) => bad.push(e),
                    }
                }
            }
        }
        bad.sort();
        Ok(bad)
    }

    fn scan_day<T: Send>(
        &self,
        day: &str,
        ids: &[(String, bool)],
        cache: Option<&Path>,
        now: i64,
        wanted: &(impl Fn(&Brief) -> bool + Sync),
        map: &(impl Fn(Case, State) -> Option<T> + Sync),
    ) -> Vec<Scanned<T>> {
        let mut shard = cache.map(|dir| cache::Shard::open(&dir.join(day))).unwrap_or_default();
        let mut entries: Vec<Option<cache::Entry>> = shard.take_entries().into_iter().map(Some).collect();
        let by_id: HashMap<&str, usize> = entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((e.as_ref()?.id.as_str(), i)))
            .collect();
        // The day's cases in parallel too (a day may hold hundreds): for each, what the
        // shard keeps of it and what the scan gets.
        let done: Vec<(Keep, Option<Scanned<T>>)> = ids
            .par_iter()
            .map(|(id, flat)| {
                let rel = Listing::rel(id, *flat);
                let path = self.root.join(&rel);
                let meta = fs::symlink_metadata(&path);
                let stamp = meta.as_ref().ok().filter(|m| m.is_file()).map(cache::Stamp::of);
                let hit = by_id
                    .get(id.as_str())
                    .and_then(|&i| Some((i, entries[i].as_ref()?)))
                    .filter(|(_, e)| Some(e.stamp) == stamp && !e.stamp.is_recent(now));
                if let Some((i, e)) = hit
                    && !wanted(&e.brief)
                {
                    return (Keep::Cached(i), None);
                }
                let from_cache = hit
                    .and_then(|(i, e)| Some((i, shard.json(e)?)))
                    .and_then(|(i, json)| Some((i, serde_json::from_slice::<Case>(&json).ok()?)))
                    .filter(|(_, c)| &c.id == id);
                // The metadata just read, unless it could not be (then read_case says why).
                let read = || match &meta {
                    Ok(meta) => read_case_of(&path, &rel, self.config.max_case_bytes, meta),
                    Err(_) => read_case(&path, &rel, self.config.max_case_bytes),
                };
                let (keep, case, want) = match from_cache {
                    Some((i, case)) => {
                        let want = wanted(&Brief::of(&case));
                        (Keep::Cached(i), case, want)
                    }
                    None => match read() {
                        Ok(case) => {
                            let brief = Brief::of(&case);
                            let want = wanted(&brief);
                            let keep = match stamp.filter(|s| !s.is_recent(now)) {
                                None => Keep::Dropped,
                                // A case this scan passes over is cached by its brief
                                // alone; its JSON is made when a scan first wants it.
                                Some(stamp) if !want => Keep::Fresh(cache::Entry::brief_only(id.clone(), stamp, brief)),
                                Some(stamp) => {
                                    // Room for the whole JSON at once (about the file's length).
                                    let mut json = Vec::with_capacity(stamp.size() as usize * 3 / 2);
                                    match serde_json::to_writer(&mut json, &case) {
                                        Ok(()) => Keep::Fresh(cache::Entry::fresh(id.clone(), stamp, brief, json)),
                                        Err(_) => Keep::Dropped,
                                    }
                                }
                            };
                            (keep, case, want)
                        }
                        Err(message) => return (Keep::Dropped, Some(Err((rel, message)))),
                    },
                };
                if !want {
                    return (keep, None);
                }
                // The cache holds only verified cases, but an answer never rests on it alone.
                let result = match case.verify() {
                    Ok(state) => Ok(map(case, state)),
                    Err((_, reason)) => Err((rel.clone(), format!("{}: {reason}", rel.display()))),
                };
                (keep, Some(result))
            })
            .collect();
        // The shard is written again unless it holds exactly the entries it had.
        let mut dirty = false;
        let mut used = 0;
        let mut keep = Vec::with_capacity(ids.len());
        let mut out = Vec::with_capacity(ids.len());
        for (k, result) in done {
            match k {
                Keep::Cached(i) => {
                    used += 1;
                    keep.extend(entries[i].take());
                }
                Keep::Fresh(entry) => {
                    dirty = true;
                    keep.push(entry);
                }
                Keep::Dropped => dirty = true,
            }
            out.extend(result);
        }
        if let Some(dir) = cache.filter(|_| dirty || used < entries.len()) {
            cache::write(dir, day, &keep, &shard);
        }
        out
    }

    fn state_dir(&self, sub: &str) -> Result<PathBuf> {
        let top = self.root.join(STATE_DIR);
        if !top.is_dir() {
            fs::create_dir_all(&top).with_context(|| tr("cannot_create", &[("path", &top.display().to_string())]))?;
            // Ignored by git whatever the workspace's own .gitignore says.
            fs::write(top.join(".gitignore"), "*\n")?;
        }
        let dir = top.join(sub);
        fs::create_dir_all(&dir).with_context(|| tr("cannot_create", &[("path", &dir.display().to_string())]))?;
        Ok(dir)
    }

    /// Write a file a user asked for (a form, a report page): never over an existing
    /// file unless `force`, never through a symbolic link, never inside the folders
    /// kefu and git keep (SPEC §9.5). `flag` names the option in messages.
    pub fn write_output(&self, flag: &str, path: &Path, bytes: &[u8], force: bool) -> Result<()> {
        let shown = path.display();
        let name = path
            .file_name()
            .with_context(|| tr("out_not_a_file_name", &[("flag", flag), ("path", &shown.to_string())]))?;
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let dir = fs::canonicalize(parent)
            .with_context(|| tr("out_no_folder", &[("flag", flag), ("path", &shown.to_string())]))?;
        let root = fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        for kept in [CASES_DIR, "config", STATE_DIR, ".git"] {
            if dir.starts_with(root.join(kept)) {
                bail!(
                    "{}",
                    tr(
                        "out_inside",
                        &[("flag", flag), ("path", &shown.to_string()), ("kept", kept)]
                    )
                );
            }
        }
        let target = dir.join(name);
        if target == root.join(CONFIG_FILE) {
            bail!("{}", tr("out_config", &[("flag", flag), ("path", &shown.to_string())]));
        }
        match fs::symlink_metadata(&target) {
            Ok(m) if m.file_type().is_symlink() => {
                bail!("{}", tr("out_symlink", &[("flag", flag), ("path", &shown.to_string())]))
            }
            Ok(m) if !m.is_file() => bail!(
                "{}",
                tr("out_not_file", &[("flag", flag), ("path", &shown.to_string())])
            ),
            Ok(_) if !force => bail!("{}", tr("out_exists", &[("flag", flag), ("path", &shown.to_string())])),
            _ => {}
        }
        // Written aside and renamed into place: a link made meanwhile is replaced, not followed.
        let aside = dir.join(format!(".{}.kefu-tmp", name.to_string_lossy()));
        let written = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&aside)
            .and_then(|mut f| std::io::Write::write_all(&mut f, bytes).and_then(|_| f.sync_all()))
            .and_then(|_| fs::rename(&aside, &target));
        if let Err(e) = written {
            let _ = fs::remove_file(&aside);
            return Err(e).with_context(|| format!("{flag}: {}", tr("cannot_write", &[("path", &shown.to_string())])));
        }
        Ok(())
    }

    /// Take the workspace's write lock, waiting (and saying so) while another kefu has it.
    pub fn lock(&self) -> Result<Lock> {
        let lock = self.lock_any_layout()?;
        if self.has_flat_files() {
            bail!("{}", tr("flat_layout_write", &[]));
        }
        Ok(lock)
    }

    /// The write lock, whatever the layout: for `kefu upgrade` itself.
    pub fn lock_any_layout(&self) -> Result<Lock> {
        let path = self.state_dir("")?.join("lock");
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| tr("cannot_open", &[("path", &path.display().to_string())]))?;
        let limit = match std::env::var("KEFU_LOCK_TIMEOUT") {
            Err(_) => 30.0,
            Ok(text) => match text.trim().parse::<f64>() {
                Ok(s) if s.is_finite() && (0.0..=86_400.0).contains(&s) => s,
                _ => bail!("{}", tr("bad_lock_timeout", &[("got", &format!("{text:?}"))])),
            },
        };
        let start = Instant::now();
        let mut said = false;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) => {}
                Err(fs::TryLockError::Error(e)) => {
                    return Err(e).with_context(|| tr("cannot_lock", &[("path", &path.display().to_string())]));
                }
            }
            let waited = start.elapsed();
            if waited > Duration::from_secs_f64(limit) {
                bail!(
                    "{}",
                    tr(
                        "lock_held",
                        &[
                            ("path", &self.rel(&path).display().to_string()),
                            ("limit", &limit.to_string())
                        ]
                    )
                );
            }
            if !said && waited > Duration::from_millis(200) {
                eprintln!("{}", tr("lock_waiting", &[]));
                said = true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        // A batch that a killed writer left unfinished never took effect; the files it
        // wrote aside (or, finished, had not yet tidied away) are removed.
        self.roll_back()?;
        self.sweep_batch_list(BATCH_LIST);
        self.sweep_batch_list(BATCH_MADE);
        Ok(Lock { _file: file })
    }

    /// Replace a case file atomically. Returns what it replaced, so the write can be
    /// undone when its commit fails.
    pub fn save(&self, lock: &Lock, case: &Case) -> Result<Written> {
        self.save_sized(lock, case, self.config.max_case_bytes)
    }

    fn save_sized(&self, _lock: &Lock, case: &Case, max_case_bytes: u64) -> Result<Written> {
        let path = self.case_path(&case.id);
        let before = fs::read(&path).with_context(|| tr("cannot_read", &[("path", &path.display().to_string())]))?;
        // Taken before anything is written into the folder, the temporary file included.
        let tag = folder_tag(parent(&path));
        let tmp = write_aside(&path, &self.sized_toml_max(case, max_case_bytes)?)?;
        fs::rename(&tmp, &path).with_context(|| tr("cannot_replace", &[("path", &path.display().to_string())]))?;
        self.note_customer(case, tag);
        sync_dir(parent(&path))?;
        Ok(Written {
            path,
            before: Some(before),
        })
    }

    /// Replace a case file after adding only derived events (escalations, penalties):
    /// kefu's own events are never refused by the case-size limit (SPEC §9.8).
    pub fn save_derived(&self, lock: &Lock, case: &Case) -> Result<Written> {
        self.save_sized(lock, case, u64::MAX)
    }

    /// The next text of a case a sweep brought up to date, made on the scan's threads
    /// as each case is done, so that a sweep keeps texts, not the cases it changes (a
    /// case open for years carries a penalty a month: a hundred events of 1.3 KB each
    /// in memory). Written by [`Workspace::save_texts`].
    pub fn next_text(&self, case: &Case) -> Result<NextText> {
        Ok(NextText {
            id: case.id.clone(),
            // Events kefu derives are never refused by a size limit (SPEC §9.8).
            text: self.sized_toml_max(case, u64::MAX)?,
        })
    }

    /// Replace many case files with their next texts (a sweep's): each file is
    /// replaced atomically on its own, but the batch is flushed twice in all (the new
    /// texts before the renames, the renames after) instead of twice per file. A case
    /// that cannot be written is returned with its error and the others go on.
    pub fn save_texts(&self, _lock: &Lock, texts: Vec<NextText>) -> Result<(Vec<Written>, Vec<Refused>)> {
        // Read back and written aside on both cores.
        let staged: Vec<(String, PathBuf, Result<Staged>)> = texts
            .into_par_iter()
            .map(|NextText { id, text }| {
                let path = self.case_path(&id);
                let staged = (|| -> Result<Staged> {
                    let before =
                        fs::read(&path).with_context(|| tr("cannot_read", &[("path", &path.display().to_string())]))?;
                    let temp = write_aside_unflushed(&path, &text, false)?;
                    Ok((temp, before))
                })();
                (id, path, staged)
            })
            .collect();
        let mut ready = Vec::with_capacity(staged.len());
        let mut failed = Vec::new();
        for (id, path, staged) in staged {
            match staged {
                Ok((temp, before)) => ready.push((temp, path, before)),
                Err(e) => failed.push((id, e)),
            }
        }
        if ready.is_empty() {
            return Ok((Vec::new(), failed));
        }
        let mut dirs: Vec<PathBuf> = ready.iter().map(|(temp, _, _)| parent(temp).to_path_buf()).collect();
        dirs.sort();
        dirs.dedup();
        if let Err(e) = flush_files(&dirs, ready.iter().map(|(temp, _, _)| temp.clone())) {
            for (temp, _, _) in &ready {
                let _ = fs::remove_file(temp);
            }
            return Err(e);
        }
        let mut written = Vec::with_capacity(ready.len());
        for (temp, path, before) in ready {
            fs::rename(&temp, &path).with_context(|| tr("cannot_replace", &[("path", &path.display().to_string())]))?;
            written.push(Written {
                path,
                before: Some(before),
            });
        }
        sync_links(&dirs)?;
        Ok((written, failed))
    }

    /// Write a new case file; fails rather than overwrite an existing one.
    pub fn create(&self, _lock: &Lock, case: &Case) -> Result<Written> {
        let path = self.case_path(&case.id);
        let text = self.sized_toml(case)?;
        self.month_dir(&case.id)?;
        let tag = folder_tag(parent(&path));
        let tmp = write_aside(&path, &text)?;
        let linked = fs::hard_link(&tmp, &path);
        let _ = fs::remove_file(&tmp);
        linked.with_context(|| tr("cannot_create", &[("path", &path.display().to_string())]))?;
        self.note_customer(case, tag);
        sync_dir(parent(&path))?;
        Ok(Written { path, before: None })
    }

    /// Undo writes whose commit failed (SPEC §9.1): replaced files get their old bytes
    /// back, new ones are removed.
    pub fn undo(&self, _lock: &Lock, written: &[Written]) -> Result<()> {
        for w in written {
            match &w.before {
                Some(bytes) => {
                    let tmp = write_aside(&w.path, &String::from_utf8_lossy(bytes))?;
                    fs::rename(&tmp, &w.path)
                        .with_context(|| tr("cannot_restore", &[("path", &w.path.display().to_string())]))?;
                }
                None => fs::remove_file(&w.path)
                    .with_context(|| tr("cannot_remove", &[("path", &w.path.display().to_string())]))?,
            }
            sync_dir(parent(&w.path))?;
        }
        Ok(())
    }

    /// Make every file and folder under `cases/` durable (after `kefu upgrade` moved them).
    pub fn sync_tree(&self) -> Result<()> {
        let mut dirs = vec![self.cases_dir()];
        let mut i = 0;
        while i < dirs.len() {
            for entry in fs::read_dir(&dirs[i])?.flatten() {
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    dirs.push(entry.path());
                }
            }
            i += 1;
        }
        sync_links(&dirs)
    }

    /// Make the month folder of a new case, durably (a new folder is a new name in its
    /// parent). Returns the folder.
    fn month_dir(&self, id: &str) -> Result<PathBuf> {
        let dir = self.case_path(id);
        let dir = parent(&dir).to_path_buf();
        if !dir.is_dir() {
            fs::create_dir_all(&dir).with_context(|| tr("cannot_create", &[("path", &dir.display().to_string())]))?;
            let year = parent(&dir);
            sync_dir(year)?;
            sync_dir(parent(year))?;
        }
        Ok(dir)
    }

    /// The case as TOML, if every field and the whole file are within the configured
    /// sizes; else an error naming the flag (and field) and the limit.
    fn sized_toml(&self, case: &Case) -> Result<String> {
        self.sized_toml_max(case, self.config.max_case_bytes)
    }

    fn sized_toml_max(&self, case: &Case, max_case_bytes: u64) -> Result<String> {
        let max = self.config.max_field_bytes;
        if let Some((flag, field, len)) = fields(case)
            .find(|(_, _, text)| text.len() as u64 > max)
            .map(|(f, n, t)| (f, n, t.len()))
        {
            bail!(
                "{}",
                tr(
                    "field_too_big",
                    &[
                        ("flag", flag),
                        ("field", field),
                        ("len", &len.to_string()),
                        ("max", &max.to_string()),
                        ("config", CONFIG_FILE)
                    ]
                )
            );
        }
        let text = to_toml(case)?;
        let max = max_case_bytes;
        if text.len() as u64 > max {
            bail!(
                "{}",
                tr(
                    "case_too_big",
                    &[
                        ("id", &case.id),
                        ("len", &text.len().to_string()),
                        ("max", &max.to_string()),
                        ("config", CONFIG_FILE)
                    ]
                )
            );
        }
        // Never write a file kefu cannot read back as the same case (SPEC §9.7).
        let rel = self.rel(&self.case_path(&case.id));
        match parse_case(&text, &rel) {
            Ok(back) if back == *case => Ok(text),
            Ok(_) => bail!(
                "internal error: case {} would not read back as written; nothing was written",
                case.id
            ),
            Err(e) => bail!("{}", tr("no_read_back", &[("id", &case.id), ("why", &e.to_string())])),
        }
    }

    /// Create many new case files, all or none, even if the process is killed: the
    /// files are written aside and flushed, a journal naming each and the checksum of
    /// its bytes is made durable, they are linked into `cases/` (never over an existing
    /// file) and flushed again, and removing the journal is the moment the batch takes
    /// effect. A journal found by the next writer (see [`Workspace::lock`]) means a batch
    /// that never finished; its files are removed.
    /// `written` is called as each file is written (for a progress bar).
    pub fn create_all(&self, lock: &Lock, cases: &[Case], written: &(dyn Fn() + Sync)) -> Result<Made> {
        let mut batch = self.batch(lock)?;
        for case in cases {
            batch.add(case)?;
            written();
        }
        batch.finish()
    }

    /// A batch of new case files for [`Workspace::create_all`], taking one case at a
    /// time, so that a large import holds only the ids and checksums of what it wrote.
    pub fn batch<'a>(&'a self, _lock: &'a Lock) -> Result<Batch<'a>> {
        let path = self.state_dir("")?.join(BATCH_LIST);
        let list = File::create(&path).with_context(|| tr("cannot_write", &[("path", &path.display().to_string())]))?;
        Ok(Batch {
            ws: self,
            list,
            count: 0,
            dirs: Vec::new(),
            finished: false,
        })
    }

    /// A file of kefu's own in `.kefu/`.
    fn state_file(&self, name: &str) -> PathBuf {
        self.root.join(STATE_DIR).join(name)
    }

    /// Remove the files a batch's list names as written aside, then the list: what a
    /// batch killed before it was put in place (or after, before it tidied up) left.
    fn sweep_batch_list(&self, name: &str) {
        let path = self.state_file(name);
        if let Ok(ids) = listed_ids(&path) {
            for (id, _) in ids {
                let _ = fs::remove_file(aside(&self.case_path(&id)));
            }
            let _ = fs::remove_file(&path);
        }
    }

    /// Undo an unfinished batch: remove each file its journal names that holds exactly
    /// what the batch wrote. Anything else under such a name (a file that was already
    /// there when the batch tried to link its own) is not the batch's, so it stays.
    fn roll_back(&self) -> Result<()> {
        let journal = self.state_file(JOURNAL);
        let Ok(listed) = listed_ids(&journal) else {
            return Ok(());
        };
        for (id, crc) in listed {
            let id = id.as_str();
            let path = self.case_path(id);
            let ours = match fs::read(&path) {
                Ok(bytes) => format!("{:08x}", crc32fast::hash(&bytes)) == crc,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
                Err(e) => return Err(e).with_context(|| tr("batch_cannot_read", &[("id", id)])),
            };
            let _ = fs::remove_file(aside(&path));
            if ours {
                fs::remove_file(&path).with_context(|| tr("batch_cannot_remove", &[("id", id)]))?;
                sync_dir(parent(&path))?;
            }
        }
        fs::remove_file(&journal).with_context(|| tr("cannot_remove", &[("path", &journal.display().to_string())]))?;
        sync_dir(&self.root.join(STATE_DIR))
    }

    /// The `source_ref` of every case file that has one: what a batch import must not
    /// create again. Only the refs are kept, so memory grows with them, not with the
    /// cases; with a warm cache no case is decoded. Files that cannot be read are left
    /// to `check`.
    pub fn source_refs(&self) -> Result<HashSet<String>> {
        let refs = std::sync::Mutex::new(HashSet::new());
        // Every case is passed over (`false`): only its brief is looked at.
        self.scan_where(
            |brief| {
                if let (Some(r), Ok(mut refs)) = (&brief.source_ref, refs.lock()) {
                    refs.insert(r.clone());
                }
                false
            },
            |_, _| Some(()),
            |()| Ok(()),
        )?;
        refs.into_inner()
            .map_err(|_| anyhow::anyhow!("{}", tr("cannot_read", &[("path", "cases/")])))
    }

    /// The id of the case with this source ref, if any (a retried intake, SPEC §17.11).
    pub fn case_with_source_ref(&self, source_ref: &str) -> Result<Option<String>> {
        let mut found = None;
        self.scan_where(
            |brief| brief.source_ref.as_deref() == Some(source_ref),
            |case, _| Some(case.id),
            |id| {
                found.get_or_insert(id);
                Ok(())
            },
        )?;
        Ok(found)
    }

    /// The other cases of the same customer (contact, else name: [`Case::who`])
    /// received in the [`REPEAT_DAYS`] days up to `received` (SPEC §10.11), in id order.
    ///
    /// Asked on every intake and show, so it must not read every case of the window:
    /// each month folder that can hold them has a small derived index of who
    /// complained when ([`Workspace::month_customers`]); each case it names is then
    /// read and checked itself.
    pub fn repeats(&self, who: &str, received: Time, id: &str, now: Time) -> Result<Vec<String>> {
        let zone = &self.config.zone;
        let since = zone.sub_days(received, REPEAT_DAYS);
        // A case's folder is named after its first receipt date, which is after `since`
        // unless `kefu edit` moved the receipt later, and never after now: a day's
        // margin below, now above.
        let first = zone.date(zone.sub_days(since, 1)).format("%Y%m").to_string();
        let last = zone.date(now).format("%Y%m").to_string();
        let (lo, hi) = (since.timestamp(), received.timestamp());
        let mut found = Vec::new();
        for year in fs::read_dir(self.cases_dir())?.flatten() {
            let year = year.file_name().to_string_lossy().into_owned();
            let Ok(months) = fs::read_dir(self.cases_dir().join(&year)) else {
                continue;
            };
            for month in months.flatten() {
                let month = month.file_name().to_string_lossy().into_owned();
                let ym = format!("{year}{month}");
                if year.len() != 4 || month.len() != 2 || ym < first || ym > last {
                    continue;
                }
                for (other, at) in self.month_customers(&year, &month, who)? {
                    if (lo..=hi).contains(&at) && other != id {
                        found.push(other);
                    }
                }
            }
        }
        found.sort();
        Ok(found
            .into_iter()
            .filter(|other| {
                self.load(other)
                    .is_ok_and(|case| case.verify().is_ok() && case.who() == who)
            })
            .collect())
    }

    /// The cases of customer `who` in the month folder `cases/YYYY/MM`, as (id, receipt
    /// in seconds), from `.kefu/repeat/YYYYMM`: a derived index of every case's
    /// customer, used while the folder's
    /// modification time is the one it was made at. kefu replaces a case file by a
    /// rename, and git checks files out anew, both of which change the folder's time;
    /// then the index is made again from the cache's briefs (which check each file).
    fn month_customers(&self, year: &str, month: &str, who: &str) -> Result<Vec<(String, i64)>> {
        let folder = self.cases_dir().join(year).join(month);
        let stamp = folder_stamp(&folder);
        let tag = folder_tag(&folder);
        let index = self
            .state_dir("repeat")
            .ok()
            .map(|dir| dir.join(format!("{year}{month}")));
        if let (Some(tag), Some(text)) = (&tag, index.as_ref().and_then(|p| fs::read_to_string(p).ok()))
            && let Some(rest) = text.strip_prefix(&format!("{tag}\n"))
        {
            // Only the lines of this customer are decoded.
            let parsed: Option<Vec<(String, i64)>> = rest
                .lines()
                .filter_map(|line| {
                    let mut parts = line.splitn(3, '\t');
                    let (id, at, customer) = (parts.next(), parts.next(), parts.next());
                    match customer {
                        Some(c) if c != who => None,
                        _ => Some(
                            id.zip(at.and_then(|a| a.parse().ok()))
                                .map(|(id, at)| (id.to_string(), at)),
                        ),
                    }
                })
                .collect();
            if let Some(found) = parsed {
                return Ok(found);
            }
        }
        let found = std::sync::Mutex::new(Vec::new());
        self.scan_in(
            Some(&|y, m| y == year && m == month),
            |b| {
                if let Ok(mut found) = found.lock() {
                    found.push((b.id.clone(), b.received, b.customer.clone()));
                }
                false
            },
            |_, _| None::<()>,
            |()| Ok(()),
        )?;
        let mut found = found
            .into_inner()
            .map_err(|_| anyhow::anyhow!("{}", tr("cannot_read", &[("path", &folder.display().to_string())])))?;
        found.sort();
        // A folder changed within the last two seconds may change again within the same
        // tick of its clock: such an index is not kept.
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        if let (Some(tag), Some(index), Some(stamp)) = (tag, index, stamp)
            && stamp.as_secs() + 2 < now
            // A customer is one line of a case file, so no tab or line break.
            && found.iter().all(|(_, _, c)| !c.contains(['\t', '\n', '\r']))
        {
            let mut text = format!("{tag}\n");
            for (id, at, customer) in &found {
                text.push_str(&format!("{id}\t{at}\t{customer}\n"));
            }
            let tmp = index.with_extension(format!("{}.tmp", std::process::id()));
            if fs::write(&tmp, text).is_ok() && fs::rename(&tmp, &index).is_err() {
                let _ = fs::remove_file(&tmp);
            }
        }
        Ok(found
            .into_iter()
            .filter(|(_, _, customer)| customer == who)
            .map(|(id, at, _)| (id, at))
            .collect())
    }

    /// Keep the repeat index of `case`'s month folder current after kefu itself put the
    /// case's file there: if the index was current just before (`before`, the folder's
    /// tag then), the case's line takes its place and the index the folder's new tag, so
    /// the next intake need not make it again. Otherwise it is left to be made anew when
    /// next asked. (Something else changing the folder within the same tick of the
    /// clock as this write would go unseen, as for any index keyed on the folder's
    /// time: a repeat warning may then be missed, nothing else.)
    fn note_customer(&self, case: &Case, before: Option<String>) {
        let path = self.case_path(&case.id);
        let folder = parent(&path);
        let (Some(before), Some(after)) = (before, folder_tag(folder)) else {
            return;
        };
        let month: Vec<String> = folder
            .components()
            .rev()
            .take(2)
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let [month, year] = &month[..] else {
            return;
        };
        let index = self.state_file("repeat").join(format!("{year}{month}"));
        let Ok(text) = fs::read_to_string(&index) else {
            return;
        };
        let Some(rest) = text.strip_prefix(&format!("{before}\n")) else {
            return;
        };
        let who = case.who();
        if who.contains(['\t', '\n', '\r']) {
            let _ = fs::remove_file(&index);
            return;
        }
        let line = format!("{}\t{}\t{who}", case.id, case.received_at.timestamp());
        let mut lines: Vec<&str> = rest
            .lines()
            .filter(|l| l.split('\t').next() != Some(case.id.as_str()))
            .collect();
        let at = lines.partition_point(|l| *l < line.as_str());
        lines.insert(at, &line);
        let mut text = format!("{after}\n");
        for l in lines {
            text.push_str(l);
            text.push('\n');
        }
        let tmp = index.with_extension(format!("{}.tmp", std::process::id()));
        if fs::write(&tmp, text).is_err() || fs::rename(&tmp, &index).is_err() {
            let _ = fs::remove_file(&tmp);
            let _ = fs::remove_file(&index);
        }
    }

    /// The highest number of each (day, station)'s case files, from one listing of `cases/`.
    fn highest_by_day(&self) -> Result<HashMap<String, u64>> {
        let mut high: HashMap<String, u64> = HashMap::new();
        for (id, _) in self.list()?.cases {
            if let Some((day, station, n)) = split_id(&id) {
                let e = high.entry(format!("{day}{station}")).or_default();
                *e = (*e).max(n);
            }
        }
        Ok(high)
    }

    /// An id allocator for this workspace and `station` (`""` for none); hold the lock
    /// while using it.
    pub fn ids_for_new_cases<'a>(&'a self, _lock: &'a Lock, station: &str) -> Result<IdAllocator<'a>> {
        let fresh = !self.root.join(STATE_DIR).join("ids").is_dir();
        let marks = self.state_dir("ids")?;
        let mut alloc = IdAllocator {
            ws: self,
            marks,
            station: station.to_string(),
            next: HashMap::new(),
            highest: None,
        };
        if fresh {
            // `.kefu/` was deleted, or this is a fresh clone: the marks are gone, so the
            // trail says which numbers were ever used, deleted cases' included (SPEC
            // §9.9). A one-off scan of git's history.
            if let Ok(Some(repo)) = crate::store::git::Repo::find(&self.root) {
                for id in repo.case_ids_ever(CASES_DIR)? {
                    if let Some((day, station, n)) = split_id(&id) {
                        let e = alloc.next.entry(format!("{day}{station}")).or_insert(1);
                        *e = (*e).max(n + 1);
                    }
                }
            }
        }
        Ok(alloc)
    }
}

/// New case files written aside, not yet in `cases/` (see [`Workspace::create_all`]).
/// What it wrote is listed in `.kefu/`, not held in memory, so a batch of 200,000 cases
/// costs the same memory as one of 10. Dropped unfinished, it removes what it wrote.
pub struct Batch<'a> {
    ws: &'a Workspace,
    /// Each case's id and the checksum of its text, a line each; the list becomes the
    /// journal when the batch is put in place. The case waits beside its file (see
    /// [`aside`]).
    list: File,
    count: usize,
    /// The month folders written to: one per month, however many cases.
    dirs: Vec<PathBuf>,
    finished: bool,
}

impl Batch<'_> {
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Write one new case aside.
    pub fn add(&mut self, case: &Case) -> Result<()> {
        let text = self.ws.sized_toml(case)?;
        let dir = self.ws.month_dir(&case.id)?;
        // Listed before it is written, unbuffered: whatever a kill leaves aside, the
        // list names.
        let listed = self.ws.state_file(BATCH_LIST);
        let line = format!("{} {:08x}\n", case.id, crc32fast::hash(text.as_bytes()));
        self.list
            .write_all(line.as_bytes())
            .with_context(|| tr("cannot_write", &[("path", &listed.display().to_string())]))?;
        write_aside_unflushed(&self.ws.case_path(&case.id), &text, false)?;
        self.count += 1;
        if let Err(at) = self.dirs.binary_search(&dir) {
            self.dirs.insert(at, dir);
        }
        Ok(())
    }

    /// Put the batch in place, all or none, even if the process is killed.
    pub fn finish(mut self) -> Result<Made> {
        let ws = self.ws;
        let listed = ws.state_file(BATCH_LIST);
        let made = ws.state_file(BATCH_MADE);
        let journal = ws.state_file(JOURNAL);
        self.list
            .sync_all()
            .with_context(|| tr("cannot_write", &[("path", &listed.display().to_string())]))?;
        if self.count == 0 {
            self.finished = true;
            return Ok(Made { path: listed, count: 0 });
        }
        flush_files(
            &self.dirs,
            listed_ids(&listed)?.map(|(id, _)| aside(&ws.case_path(&id))),
        )?;
        // The list, flushed, is the journal: from here a kill, or a failure, rolls the
        // batch back.
        fs::rename(&listed, &journal)
            .with_context(|| tr("cannot_write", &[("path", &journal.display().to_string())]))?;
        self.finished = true;
        sync_dir(&ws.root.join(STATE_DIR))?;
        for (id, _) in listed_ids(&journal)? {
            let path = ws.case_path(&id);
            if let Err(e) = fs::hard_link(aside(&path), &path) {
                ws.roll_back()?;
                return Err(e).with_context(|| tr("batch_cannot_create", &[("path", &path.display().to_string())]));
            }
        }
        sync_links(&self.dirs)?;
        // The journal gone is the moment the batch takes effect; its lines stay, as the
        // list of what was made, for the commit.
        fs::rename(&journal, &made)
            .with_context(|| tr("cannot_remove", &[("path", &journal.display().to_string())]))?;
        sync_dir(&ws.root.join(STATE_DIR))?;
        for (id, _) in listed_ids(&made)? {
            let _ = fs::remove_file(aside(&ws.case_path(&id)));
        }
        Ok(Made {
            path: made,
            count: self.count,
        })
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.ws.sweep_batch_list(BATCH_LIST);
        }
    }
}

/// The cases a finished batch made, listed in `.kefu/` until this is dropped.
#[derive(Debug)]
pub struct Made {
    path: PathBuf,
    count: usize,
}

impl Made {
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The ids, in the order the cases were added, read from the list each time.
    pub fn ids(&self) -> Result<impl Iterator<Item = String>> {
        Ok(listed_ids(&self.path)?.map(|(id, _)| id))
    }
}

impl Drop for Made {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// The `(id, checksum)` lines of a batch's list or journal, read as they are needed.
/// Lines that are not an id and a checksum (a line cut short by a kill) are passed over.
fn listed_ids(path: &Path) -> Result<impl Iterator<Item = (String, String)> + use<>> {
    use std::io::BufRead;
    let file = File::open(path).with_context(|| tr("cannot_read", &[("path", &path.display().to_string())]))?;
    Ok(std::io::BufReader::new(file)
        .lines()
        .map_while(Result::ok)
        .filter_map(|line| {
            let (id, crc) = line.split_once(' ')?;
            (is_full_id(id) && crc.len() == 8).then(|| (id.to_string(), crc.to_string()))
        }))
}

/// Hands out `YYYYMMDD-NNN` ids, `YYYYMMDD-bNNN` at station `b`: numbering is per (day,
/// station), so two stations never make the same id (SPEC §14.1). Never an id whose
/// file exists; never below the high-water mark kept in `.kefu/ids/` (so a deleted
/// case's number is not handed out again on this machine). Linear in the ids it hands
/// out, not in the workspace.
pub struct IdAllocator<'a> {
    ws: &'a Workspace,
    marks: PathBuf,
    station: String,
    /// The next number of each day and station, keyed `YYYYMMDD` + station.
    next: HashMap<String, u64>,
    /// Each (day, station)'s highest case file number, listed once when one has no mark.
    highest: Option<HashMap<String, u64>>,
}

impl IdAllocator<'_> {
    pub fn next(&mut self, day: &str) -> Result<String> {
        let key = format!("{day}{}", self.station);
        let mut n = match self.next.get(&key) {
            Some(&n) => n,
            None => {
                let mark = self.marks.join(&key);
                // Only a regular file is read: a FIFO put there would block forever.
                let kept = fs::symlink_metadata(&mark)
                    .ok()
                    .filter(fs::Metadata::is_file)
                    .and_then(|_| fs::read_to_string(&mark).ok())
                    .and_then(|s| s.trim().parse::<u64>().ok());
                match kept {
                    Some(k) => k + 1,
                    // No mark for the day: above every case file of that day.
                    None => {
                        if self.highest.is_none() {
                            self.highest = Some(self.ws.highest_by_day()?);
                        }
                        self.highest.as_ref().and_then(|h| h.get(&key)).copied().unwrap_or(0) + 1
                    }
                }
            }
        };
        let id = loop {
            let id = format!("{day}-{}{n:03}", self.station);
            if !self.ws.case_path(&id).exists() {
                break id;
            }
            n += 1;
        };
        self.next.insert(key, n + 1);
        Ok(id)
    }

    /// Count `id` as used (a case restored under its own id): later ids of its day
    /// come after it.
    pub fn mark_used(&mut self, id: &str) -> Result<()> {
        let Some((day, station, n)) = crate::domain::case::split_id(id) else {
            return Ok(());
        };
        // What this allocator would hand out next for the id's own day and station.
        let own = std::mem::replace(&mut self.station, station.to_string());
        let next = self.next(day);
        self.station = own;
        let after = crate::domain::case::split_id(&next?).map_or(0, |(_, _, k)| k);
        self.next.insert(format!("{day}{station}"), after.max(n + 1));
        Ok(())
    }

    /// Keep the high-water marks, once the cases with the ids handed out are written (a
    /// refused case leaves its number free). They are hints (the files themselves
    /// decide), so a mark that cannot be written costs nothing but a possible reuse of a
    /// deleted id.
    pub fn keep(self) {
        for (key, next) in &self.next {
            // Written aside and renamed over: whatever sits at the mark's name (even a
            // FIFO, which a plain write would block on) is replaced, never opened.
            let aside = self.marks.join(format!(".{key}.tmp"));
            if fs::write(&aside, (next - 1).to_string()).is_ok() {
                let _ = fs::rename(&aside, self.marks.join(key));
            }
        }
    }
}

/// Every free-text field of a case: the flag that sets it, its name in the file, its text.
fn fields(case: &Case) -> impl Iterator<Item = (&'static str, &'static str, &str)> {
    let c = &case.complaint;
    let top = [
        ("--name", "customer.name", Some(&case.customer.name)),
        ("--contact", "customer.contact", case.customer.contact.as_ref()),
        ("--channel", "channel", Some(&case.channel)),
        ("--summary", "complaint.summary", Some(&c.summary)),
        ("--details", "complaint.details", c.details.as_ref()),
        ("--product", "complaint.product", c.product.as_ref()),
        ("--order", "complaint.order", c.order.as_ref()),
        ("--request", "complaint.request", c.request.as_ref()),
        ("--source-ref", "source_ref", case.source_ref.as_ref()),
    ];
    let events = case.events.iter().flat_map(|e| {
        [
            ("--actor", "events.actor", Some(&e.actor)),
            ("--text", "events.text", e.text.as_ref()),
            ("--note", "events.note", e.note.as_ref()),
            ("--reason", "events.reason", e.reason.as_ref()),
            ("--resolution", "events.resolution", e.resolution.as_ref()),
            ("--by", "events.by", e.by.as_ref()),
        ]
    });
    top.into_iter()
        .chain(events)
        .filter_map(|(flag, field, text)| text.map(|t| (flag, field, t.as_str())))
}

pub fn to_toml(case: &Case) -> Result<String> {
    toml::to_string(case).with_context(|| tr("cannot_write", &[("path", &format!("{}.toml", case.id))]))
}

/// A replaced case's next text, written aside, and the bytes it replaces.
type Staged = (PathBuf, Vec<u8>);

/// A case's next text ([`Workspace::next_text`]).
pub struct NextText {
    id: String,
    text: String,
}

/// A folder's modification time, if it has one.
fn folder_stamp(folder: &Path) -> Option<Duration> {
    fs::metadata(folder)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
}

/// A month folder's modification time as its repeat index is tagged with it.
fn folder_tag(folder: &Path) -> Option<String> {
    folder_stamp(folder).map(|d| format!("{}.{:09}", d.as_secs(), d.subsec_nanos()))
}

/// The journal of a batch of new cases being created.
const JOURNAL: &str = "batch";
/// A batch's list of the cases it has written aside, before it becomes the journal.
const BATCH_LIST: &str = "batch.list";
/// A finished batch's list of the cases it made, kept for its commit.
const BATCH_MADE: &str = "batch.made";

/// Where a file's next text waits before it is renamed or linked into place: beside it,
/// so the rename never crosses file systems (SPEC §9.15), under a hidden name that no
/// listing takes for a case and the workspace's `.gitignore` leaves out. kefu holds the
/// lock while it writes one, so the name needs no process id; one left by a kill is
/// overwritten by the next write of that case.
fn aside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent(path).join(format!(".{name}.tmp"))
}

/// Write `text` beside `path` (see [`aside`]) and flush it; the caller renames or links
/// it into place. Nothing is left behind when the write fails (a full disk).
fn write_aside(path: &Path, text: &str) -> Result<PathBuf> {
    write_aside_unflushed(path, text, true)
}

/// [`write_aside`], flushing the file only if `flush` (a batch flushes them together).
///
/// A name left by a killed writer may still be a second link to the case file itself
/// (a batch or `create` links the temporary file into place, then removes it): it is
/// removed and the file made anew, never opened and truncated, which would cut the
/// case file it shares.
fn write_aside_unflushed(path: &Path, text: &str, flush: bool) -> Result<PathBuf> {
    let tmp = aside(path);
    let written = match fs::remove_file(&tmp) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => File::options().write(true).create_new(true).open(&tmp),
    }
    .and_then(|mut f| {
        f.write_all(text.as_bytes())?;
        if flush { f.sync_all() } else { Ok(()) }
    });
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e).with_context(|| tr("cannot_write", &[("path", &tmp.display().to_string())]));
    }
    Ok(tmp)
}

/// Flush files just written: on Linux one `syncfs` per file system they are on, which
/// is what makes a batch of thousands of files take seconds; elsewhere each file.
/// `dirs` are the folders the files are in.
#[cfg(target_os = "linux")]
fn flush_files(dirs: &[PathBuf], _files: impl Iterator<Item = PathBuf>) -> Result<()> {
    sync_links(dirs)
}

#[cfg(not(target_os = "linux"))]
fn flush_files(_dirs: &[PathBuf], files: impl Iterator<Item = PathBuf>) -> Result<()> {
    for path in files {
        open_to_flush(&path)
            .and_then(|f| f.sync_all())
            .with_context(|| tr("cannot_flush", &[("path", &path.display().to_string())]))?;
    }
    Ok(())
}

/// The folder a path is in (`.` for a bare name).
fn parent(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new("."))
}

/// Flush everything written to the file system holding `dir`: one call instead of a
/// flush per file, which is what makes a batch of thousands of files take seconds.
#[cfg(target_os = "linux")]
fn sync_fs(dir: &Path) -> Result<()> {
    use std::os::fd::AsRawFd;
    let d = File::open(dir).with_context(|| tr("cannot_open", &[("path", &dir.display().to_string())]))?;
    // SAFETY: syncfs only reads the descriptor, which `d` keeps open for the call.
    if unsafe { libc::syncfs(d.as_raw_fd()) } != 0 {
        return Err(std::io::Error::last_os_error())
            .with_context(|| tr("cannot_flush", &[("path", &dir.display().to_string())]));
    }
    Ok(())
}

/// Make new names (links to files already flushed) in `dirs` durable: one flush of each
/// file system they are on, on Linux; each folder elsewhere.
#[cfg(target_os = "linux")]
fn sync_links(dirs: &[PathBuf]) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let mut flushed = Vec::new();
    for dir in dirs {
        let device = fs::metadata(dir)
            .with_context(|| tr("cannot_read", &[("path", &dir.display().to_string())]))?
            .dev();
        if !flushed.contains(&device) {
            sync_fs(dir)?;
            flushed.push(device);
        }
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn sync_links(dirs: &[PathBuf]) -> Result<()> {
    dirs.iter().try_for_each(|d| sync_dir(d))
}

/// fsync takes any descriptor of the file.
#[cfg(not(any(windows, target_os = "linux")))]
fn open_to_flush(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// FlushFileBuffers refuses a read-only handle ("Access denied"): open for writing,
/// without truncating or creating.
#[cfg(windows)]
fn open_to_flush(path: &Path) -> std::io::Result<File> {
    File::options().write(true).open(path)
}

/// Make a rename or a new name in `dir` durable (fsync of the folder on Unix).
#[cfg(unix)]
fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| tr("cannot_flush", &[("path", &dir.display().to_string())]))
}

/// Windows cannot open a folder as a file; NTFS journals the rename itself.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> Result<()> {
    Ok(())
}

/// Read one case file of at most `max_bytes`; the error is one line, `rel:line: reason`.
pub fn read_case(path: &Path, rel: &Path, max_bytes: u64) -> Result<Case, String> {
    let meta = fs::symlink_metadata(path).map_err(|e| format!("{}: cannot read: {e}", rel.display()))?;
    read_case_of(path, rel, max_bytes, &meta)
}

/// [`read_case`] of a file whose metadata (not following a link) is already at hand.
fn read_case_of(path: &Path, rel: &Path, max_bytes: u64, meta: &fs::Metadata) -> Result<Case, String> {
    let shown = rel.display();
    let cannot_read = |e: std::io::Error| format!("{shown}: {}: {e}", tr("cannot_read_it", &[]));
    if meta.file_type().is_symlink() {
        return Err(format!("{shown}: {}", tr("case_symlink", &[])));
    }
    if !meta.is_file() {
        return Err(format!("{shown}: {}", tr("case_not_file", &[])));
    }
    if meta.len() > max_bytes {
        return Err(format!(
            "{shown}: {}",
            tr(
                "case_file_too_big",
                &[
                    ("len", &meta.len().to_string()),
                    ("max", &max_bytes.to_string()),
                    ("config", CONFIG_FILE)
                ]
            )
        ));
    }
    // Sized from the metadata at hand (fs::read would ask for it again).
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    File::open(path)
        .and_then(|mut f| std::io::Read::read_to_end(&mut f, &mut bytes))
        .map_err(cannot_read)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{shown}: {}",
            tr(
                "case_not_utf8",
                &[("offset", &e.utf8_error().valid_up_to().to_string())]
            )
        )
    })?;
    parse_case(&text, rel)
}

pub fn parse_case(text: &str, rel: &Path) -> Result<Case, String> {
    // kefu's own plain layout quickly; anything else, and every error, by the full parser.
    let mut case: Case = match crate::store::quick_toml::from_str(text) {
        Some(case) => case,
        None => from_toml(rel, text).map_err(|e| e.to_string())?,
    };
    case.upgrade();
    let at = |field: &str| match line_of_key(text, field) {
        Some(line) => format!("{}:{line}", rel.display()),
        None => rel.display().to_string(),
    };
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    if case.id != stem {
        return Err(format!(
            "{}: {}",
            at("id"),
            tr(
                "case_id_mismatch",
                &[("id", &format!("{:?}", case.id)), ("stem", &format!("{stem:?}"))]
            )
        ));
    }
    if let Err((field, reason)) = case.verify() {
        return Err(format!("{}: {reason}", at(&field)));
    }
    Ok(case)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules::{By, Intake};

    fn case_with_ref(id: &str, source_ref: Option<&str>) -> String {
        let cfg = Config::parse(Path::new("kefu.toml"), &crate::domain::config::default_text()).unwrap();
        let now = cfg.zone.parse("2026-11-23 10:15").unwrap();
        let data = Intake {
            name: "王先生".into(),
            channel: "phone".into(),
            summary: "source_ref = \"decoy\"".into(),
            details: Some("line one\n[not a table]\nsource_ref = \"decoy\"".into()),
            source_ref: source_ref.map(str::to_string),
            ..Intake::default()
        };
        let by = By { actor: "clerk", now };
        let case = crate::domain::rules::new_case(&cfg, id.into(), now, data, by).unwrap();
        to_toml(&case).unwrap()
    }

    #[test]
    fn source_refs_come_back_exactly_whether_parsed_or_cached() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join(CASES_DIR).join("2026/11")).unwrap();
        let refs = ["web-1", "引號 \"quoted\" and 'single' \\ back", "wide 全形 here", ""];
        for (i, r) in refs.iter().enumerate() {
            let id = format!("20261123-{:03}", i + 1);
            fs::write(dir.path().join(case_rel(&id)), case_with_ref(&id, Some(r))).unwrap();
        }
        fs::write(
            dir.path().join(case_rel("20261123-009")),
            case_with_ref("20261123-009", None),
        )
        .unwrap();
        let config = Config::parse(Path::new("kefu.toml"), &crate::domain::config::default_text()).unwrap();
        let ws = Workspace {
            root: dir.path().to_path_buf(),
            config,
        };
        let want: HashSet<String> = refs.iter().map(|r| r.to_string()).collect();
        assert_eq!(ws.source_refs().unwrap(), want);
        // Age the files past the cache's two-second guard, then read through the cache.
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        for entry in fs::read_dir(dir.path().join(CASES_DIR).join("2026/11"))
            .unwrap()
            .flatten()
        {
            File::options()
                .write(true)
                .open(entry.path())
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(2100));
        assert_eq!(ws.source_refs().unwrap(), want);
        assert!(dir.path().join(".kefu/cache/20261123").is_file());
        assert_eq!(ws.source_refs().unwrap(), want, "from the cache");
    }

    /// Regression (found by the crash harness): a killed batch left its temporary name
    /// linked to the new case file; the next write of that case truncated the name it
    /// meant to write aside, and with it the case.
    #[test]
    fn a_temporary_name_left_linked_to_the_case_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let case = dir.path().join("20261123-001.toml");
        fs::write(&case, "the case as committed").unwrap();
        fs::hard_link(&case, aside(&case)).unwrap();
        let tmp = write_aside(&case, "the next text").unwrap();
        assert_eq!(fs::read_to_string(&case).unwrap(), "the case as committed");
        assert_eq!(fs::read_to_string(&tmp).unwrap(), "the next text");
    }

    /// A workspace of the default config in `dir`, with an empty `cases/`.
    fn bare_workspace(dir: &Path) -> Workspace {
        fs::create_dir(dir.join(CASES_DIR)).unwrap();
        let config = Config::parse(Path::new("kefu.toml"), &crate::domain::config::default_text()).unwrap();
        Workspace {
            root: dir.to_path_buf(),
            config,
        }
    }

    fn batch_of(ids: &[&str]) -> Vec<Case> {
        ids.iter()
            .map(|id| parse_case(&case_with_ref(id, None), Path::new(id)).unwrap())
            .collect()
    }

    /// Once the month's index of customers is current, kefu's own writes keep it so
    /// (the next intake's repeat look-up reads it instead of the month's cases), and a
    /// changed customer replaces the case's line.
    #[test]
    fn the_month_index_of_customers_follows_kefu_s_own_writes() {
        let dir = tempfile::tempdir().unwrap();
        let ws = bare_workspace(dir.path());
        let lock = ws.lock().unwrap();
        let [first, second] = &batch_of(&["20261123-001", "20261123-002"])[..] else {
            unreachable!()
        };
        ws.create(&lock, first).unwrap();
        let folder = ws.case_path("20261123-001").parent().unwrap().to_path_buf();
        let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
        File::open(&folder).unwrap().set_modified(an_hour_ago).unwrap();
        let index = dir.path().join(STATE_DIR).join("repeat/202611");
        let (received, now) = (first.received_at, first.received_at);
        assert_eq!(ws.repeats(first.who(), received, "", now).unwrap(), ["20261123-001"]);
        assert!(index.is_file(), "made from the cases, then kept");

        ws.create(&lock, second).unwrap();
        let text = fs::read_to_string(&index).unwrap();
        assert_eq!(text.lines().next(), folder_tag(&folder).as_deref(), "still current");
        assert_eq!(text.lines().filter(|l| l.ends_with("\t王先生")).count(), 2, "{text}");

        let mut renamed = second.clone();
        renamed.customer.name = "張女士".into();
        ws.save(&lock, &renamed).unwrap();
        let text = fs::read_to_string(&index).unwrap();
        assert_eq!(text.lines().next(), folder_tag(&folder).as_deref());
        assert!(text.contains("20261123-002\t") && text.contains("\t張女士\n"), "{text}");
        assert_eq!(ws.repeats("張女士", received, "", now).unwrap(), ["20261123-002"]);
        assert_eq!(ws.repeats("王先生", received, "", now).unwrap(), ["20261123-001"]);
    }

    /// What a batch holds is on disk, not in memory; a writer killed while adding to it
    /// (no destructor runs) leaves its list and the files it wrote aside, and the next
    /// writer to take the lock removes both.
    #[test]
    fn a_batch_killed_while_writing_leaves_nothing_behind_the_next_lock() {
        let dir = tempfile::tempdir().unwrap();
        let ws = bare_workspace(dir.path());
        let lock = ws.lock().unwrap();
        let mut batch = ws.batch(&lock).unwrap();
        for case in batch_of(&["20261123-001", "20261124-001"]) {
            batch.add(&case).unwrap();
        }
        std::mem::forget(batch);
        drop(lock);
        let aside_001 = aside(&ws.case_path("20261123-001"));
        assert!(aside_001.exists());
        assert!(dir.path().join(STATE_DIR).join(BATCH_LIST).exists());

        let _lock = ws.lock().unwrap();
        assert!(!aside_001.exists());
        assert!(!aside(&ws.case_path("20261124-001")).exists());
        assert!(!dir.path().join(STATE_DIR).join(BATCH_LIST).exists());
        assert!(!ws.case_path("20261123-001").exists());
    }

    /// A finished batch: every case in place, the ids read back in order, and once they
    /// are no longer wanted no list, journal or file aside is left.
    #[test]
    fn a_finished_batch_lists_what_it_made_then_tidies_up() {
        let dir = tempfile::tempdir().unwrap();
        let ws = bare_workspace(dir.path());
        let ids = ["20261124-002", "20261123-001", "20261124-001"];
        let lock = ws.lock().unwrap();
        let made = ws.create_all(&lock, &batch_of(&ids), &|| {}).unwrap();
        assert_eq!(made.len(), 3);
        assert_eq!(made.ids().unwrap().collect::<Vec<_>>(), ids);
        drop(made);
        for id in ids {
            assert!(ws.case_path(id).is_file(), "{id}");
            assert!(!aside(&ws.case_path(id)).exists(), "{id}");
        }
        let left: Vec<_> = fs::read_dir(dir.path().join(STATE_DIR))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("batch"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn a_batch_meeting_a_file_already_there_keeps_none_of_its_own_and_leaves_that_one() {
        let dir = tempfile::tempdir().unwrap();
        let ws = bare_workspace(dir.path());
        // Put there by something other than kefu after the ids were handed out.
        fs::create_dir_all(dir.path().join(CASES_DIR).join("2026/11")).unwrap();
        fs::write(ws.case_path("20261123-002"), "somebody else's").unwrap();
        let batch = batch_of(&["20261123-001", "20261123-002", "20261123-003"]);
        let lock = ws.lock().unwrap();
        let err = format!("{:#}", ws.create_all(&lock, &batch, &|| {}).unwrap_err());
        assert!(err.contains("20261123-002.toml"), "{err}");
        assert!(!ws.case_path("20261123-001").exists());
        assert!(!ws.case_path("20261123-003").exists());
        assert_eq!(
            fs::read_to_string(ws.case_path("20261123-002")).unwrap(),
            "somebody else's"
        );
        assert!(!dir.path().join(STATE_DIR).join(JOURNAL).exists());
    }
}
