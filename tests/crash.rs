//! The crash harness: run write commands and kill kefu with SIGKILL at random moments,
//! then prove that nothing was torn or half-applied.
//!
//! Ignored by default (it runs for a minute or two); run it with
//!
//! ```text
//! cargo test --release --test crash -- --ignored --nocapture
//! ```
//!
//! `KEFU_CRASH_KILLS` (default 1000) sets how many commands must be killed before it
//! stops (about half the runs finish before their kill),
//! `KEFU_CRASH_SEED` the random seed (printed, so a failure can be replayed) and
//! `KEFU_CRASH_DIR` where the workspaces go (default: the system's temporary directory;
//! a disk, not a RAM disk, gives fsync its real cost and the kills more to land in).
//!
//! Each step copies the workspace, runs the command to completion in the copy (the
//! reference), then runs the same command in the workspace and kills it after a random
//! delay between 0 and 1.2 times the reference's duration. Every command is
//! deterministic given the files and `KEFU_NOW`, so afterwards every case file must be
//! byte for byte either what it was before or what the reference wrote: for a command
//! on one case and for a batch import, all of them together; for `sweep`, which saves
//! case by case, each case file on its own. Event counts are compared the same way and printed. Workspaces are
//! outside git and every command runs with `--no-commit`: git's own `index.lock` is not
//! the subject here.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, TimeDelta};

type Files = BTreeMap<String, Vec<u8>>;

/// xorshift64*: enough randomness for choosing commands and delays, and replayable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn kefu(root: &Path, now: &str, args: &[String]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kefu"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", root)
        .env("KEFU_ROOT", root)
        .env("KEFU_NOW", now)
        .env("KEFU_LOCK_TIMEOUT", "10")
        .env("TZ", "UTC")
        .env("LANG", "C.UTF-8")
        .env("NO_COLOR", "1")
        .arg("--no-commit")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// A case file's bytes with its events' ids (random for people's events, so a run and
/// its reference never agree on them) and the references to them blanked out.
fn without_event_ids(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let blank = ["id", "cancels", "confirms", "penalty"].iter().find_map(|key| {
            let value = line
                .trim_end()
                .strip_prefix(key)?
                .strip_prefix(" = \"")?
                .strip_suffix('"')?;
            (value.len() <= 9 && value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
                .then(|| format!("{key} = \"*\"\n"))
        });
        out.push_str(blank.as_deref().unwrap_or(line));
    }
    out.into_bytes()
}

/// The files under a workspace's `cases/`, by path relative to it (`2026/11/<id>.toml`).
fn cases(root: &Path) -> Files {
    let top = root.join("cases");
    let mut files = Files::new();
    let mut dirs = vec![top.clone()];
    while let Some(dir) = dirs.pop() {
        for e in fs::read_dir(&dir).expect("read cases/").flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                dirs.push(e.path());
                continue;
            }
            let path = e.path();
            if is_temp(&path) {
                continue;
            }
            let name = path.strip_prefix(&top).unwrap_or(&path).to_string_lossy().into_owned();
            files.insert(name, without_event_ids(&fs::read(&path).unwrap_or_default()));
        }
    }
    files
}

fn events(bytes: &[u8]) -> usize {
    // Counted from the text, independently of kefu's reader.
    String::from_utf8_lossy(bytes)
        .lines()
        .filter(|l| l.trim() == "[[events]]")
        .count()
}

fn total_events(files: &Files) -> usize {
    files.values().map(|b| events(b)).sum()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read dir").flatten() {
        let name = entry.file_name();
        // The derived cache changes no answer; leaving it out keeps copies cheap.
        if name == "cache" {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&src, &dst);
        } else {
            fs::copy(&src, &dst).expect("copy");
        }
    }
}

/// A case's next text while it is written: `.<id>.toml.tmp` beside the case.
fn is_temp(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    name.starts_with('.') && name.ends_with(".tmp")
}

/// Temporary files in the workspace: beside case files, and in `.kefu/` (the ids' marks).
fn temp_files(root: &Path) -> usize {
    let mut n = 0;
    let mut dirs = vec![root.join("cases"), root.join(".kefu/ids")];
    while let Some(dir) = dirs.pop() {
        for e in fs::read_dir(&dir).into_iter().flatten().flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                dirs.push(e.path());
            } else if is_temp(&e.path()) {
                n += 1;
            }
        }
    }
    n
}

/// What a step may do, given the cases that exist.
fn command(rng: &mut Rng, ids: &[String]) -> (&'static str, Vec<String>) {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let intake = |rng: &mut Rng| {
        let mut a = s(&[
            "intake",
            "--name",
            "王先生",
            "--contact",
            "13800000000",
            "--channel",
            "phone",
            "--summary",
            "燒餅烙糊了，要求退款",
            "--details",
            &"詳情".repeat(1 + rng.below(400) as usize),
        ]);
        if rng.chance(50) {
            a.extend(s(&[
                "--category",
                "quality",
                "--level",
                "general",
                "--department",
                "service",
            ]));
        }
        ("intake", a)
    };
    if ids.len() < 3 || rng.chance(15) {
        return intake(rng);
    }
    if rng.chance(12) {
        // The rows are written by the caller (see `import_file`).
        return ("import", s(&["import", "IMPORT"]));
    }
    let id = rng.pick(ids).clone();
    match rng.below(6) {
        0 => {
            let level = *rng.pick(&["general", "moderate", "severe", "irrational"]);
            let mut a = s(&[
                "classify",
                &id,
                "--category",
                "delivery",
                "--level",
                level,
                "--department",
                "service",
            ]);
            if level == "irrational" {
                a.extend(s(&["--follow-up", "watch"]));
            }
            ("classify", a)
        }
        1 => (
            "handoff",
            s(&["handoff", &id, "--to", "service", "--note", "請盡快處理"]),
        ),
        2 => {
            let mut a = s(&[
                "reply",
                &id,
                "--text",
                &"已聯繫客戶，".repeat(1 + rng.below(50) as usize),
            ]);
            if rng.chance(60) {
                a.extend(s(&["--from", "service"]));
            }
            ("reply", a)
        }
        3 => (
            "close",
            s(&[
                "close",
                &id,
                "--resolution",
                "已退款",
                "--remedy",
                "refund",
                "--satisfaction",
                "satisfied",
            ]),
        ),
        _ => ("sweep", s(&["sweep"])),
    }
}

/// A CSV batch of 1 to 40 complaints, unique to this step.
fn import_file(rng: &mut Rng, path: &Path, step: usize) {
    let mut text = String::from("name,channel,summary,details,source_ref,category,level,department\n");
    for row in 0..1 + rng.below(40) {
        let classified = if rng.chance(50) {
            "quality,general,service"
        } else {
            ",,"
        };
        text.push_str(&format!(
            "客戶{row},web,批量匯入的抱怨 {row},\"{}\",batch-{step}-{row},{classified}\n",
            "詳情".repeat(1 + rng.below(200) as usize)
        ));
    }
    fs::write(path, text).expect("write import file");
}

#[derive(Default, Debug)]
struct Figures {
    runs: usize,
    killed: usize,
    finished_first: usize,
    no_effect: usize,
    whole_effect: usize,
    sweep_partial: usize,
    import_rolled_back: usize,
    batches_pending: usize,
    killed_mid_write: usize,
    refused: usize,
    checks: usize,
    torn: usize,
    unreadable: usize,
    half_applied: usize,
    stray_in_cases: usize,
    temp_after_finish: usize,
    check_failed: usize,
    events_before: usize,
    events_after: usize,
    by_command: BTreeMap<&'static str, (usize, usize)>,
}

#[test]
#[ignore = "a minute or more; run with --ignored (see docs/reliability.md)"]
fn killed_writers_leave_every_case_whole() {
    let kills: usize = std::env::var("KEFU_CRASH_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let seed: u64 = std::env::var("KEFU_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1
        });
    let base = match std::env::var_os("KEFU_CRASH_DIR") {
        Some(dir) => tempfile::Builder::new().prefix("kefu-crash").tempdir_in(dir),
        None => tempfile::Builder::new().prefix("kefu-crash").tempdir(),
    }
    .expect("temp dir");
    eprintln!(
        "crash harness: until {kills} kills, seed {seed}, in {}",
        base.path().display()
    );
    let mut rng = Rng(seed);
    let mut f = Figures::default();
    let mut failures: Vec<String> = Vec::new();
    let mut durations: BTreeMap<&'static str, Duration> = BTreeMap::new();
    let mut round = 0;
    let mut ws = PathBuf::new();
    let mut now = DateTime::<FixedOffset>::default();
    let started = Instant::now();

    while f.killed < kills {
        // A fresh workspace every 150 steps keeps each one small and varied.
        if f.runs % 150 == 0 {
            round += 1;
            ws = base.path().join(format!("ws{round}"));
            let init = Command::new(env!("CARGO_BIN_EXE_kefu"))
                .env_clear()
                .env("PATH", std::env::var("PATH").unwrap_or_default())
                .env("HOME", base.path())
                // Outside any git work tree, so init creates a repository; commits are
                // off for every command below.
                .args(["init".as_ref(), ws.as_os_str()])
                .output()
                .expect("kefu init");
            assert!(init.status.success(), "init: {}", String::from_utf8_lossy(&init.stderr));
            fs::remove_dir_all(ws.join(".git")).expect("remove .git");
            now = DateTime::parse_from_rfc3339("2026-11-02T09:00:00+08:00").expect("time");
        }
        now += TimeDelta::minutes(rng.below(36 * 60) as i64);
        let now_text = now.to_rfc3339();
        let before = cases(&ws);
        // A batch import killed before it finished leaves its journal; the next writer
        // removes the cases it names before doing anything else. So a killed command
        // may have done that recovery and nothing more.
        let journal: Vec<String> = fs::read_to_string(ws.join(".kefu/batch"))
            .map(|t| {
                t.lines()
                    .filter_map(|l| l.split(' ').next())
                    .map(|id| format!("{}/{}/{id}.toml", &id[..4], &id[4..6]))
                    .collect()
            })
            .unwrap_or_default();
        let recovered: Files = before
            .iter()
            .filter(|(n, _)| !journal.contains(n))
            .map(|(n, b)| (n.clone(), b.clone()))
            .collect();
        if !journal.is_empty() {
            f.batches_pending += 1;
        }
        let ids: Vec<String> = before
            .keys()
            .filter_map(|n| Path::new(n).file_stem()?.to_str())
            .filter(|id| kefu::domain::case::is_full_id(id))
            .map(str::to_string)
            .collect();
        let (name, mut args) = command(&mut rng, &ids);
        if name == "import" {
            let file = base.path().join("import.csv");
            import_file(&mut rng, &file, f.runs);
            args[1] = file.display().to_string();
        }

        // The reference: the same command, run to completion on a copy.
        let reference = base.path().join("reference");
        let _ = fs::remove_dir_all(&reference);
        copy_dir(&ws, &reference);
        let t = Instant::now();
        let out = kefu(&reference, &now_text, &args).output().expect("run reference");
        let took = t.elapsed();
        let expected = cases(&reference);
        if !out.status.success() {
            f.refused += 1;
        }
        let typical = durations.entry(name).or_insert(took);
        *typical = (*typical * 7 + took) / 8;
        let window = typical.as_micros().max(500) as u64 * 12 / 10;
        let delay = Duration::from_micros(rng.below(window));

        // The run that is killed.
        let temps_before = temp_files(&ws);
        let mut child = kefu(&ws, &now_text, &args).spawn().expect("spawn kefu");
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().expect("wait");
        f.runs += 1;
        let counts = f.by_command.entry(name).or_default();
        counts.0 += 1;
        let killed = status.signal() == Some(9);
        if killed {
            f.killed += 1;
            counts.1 += 1;
        } else {
            f.finished_first += 1;
        }
        let after = cases(&ws);
        let temps = temp_files(&ws);
        if killed && temps > temps_before {
            f.killed_mid_write += 1;
        }
        // What a killed writer leaves is hidden from every reader and overwritten by the
        // next write of its case; a finished writer never leaves its own.
        if !killed && status.success() && temps > temps_before {
            f.temp_after_finish += 1;
            failures.push(format!(
                "step {}: {name}: {} temporary file(s) left by a finished run",
                f.runs,
                temps - temps_before
            ));
        }

        // Every case file is whole and readable, and named like one.
        for (file, bytes) in after.iter().filter(|(n, _)| *n != ".gitkeep") {
            let path = ws.join("cases").join(file);
            let id = Path::new(file).file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            let where_its_id_says = kefu::store::case_rel(id);
            match file
                .strip_suffix(".toml")
                .filter(|_| kefu::domain::case::is_full_id(id) && where_its_id_says == Path::new("cases").join(file))
            {
                None => {
                    f.stray_in_cases += 1;
                    failures.push(format!("step {}: {name}: stray file cases/{file}", f.runs));
                }
                Some(_) => {
                    if let Err(e) = kefu::store::read_case(&path, Path::new("cases").join(file).as_path(), 1 << 20) {
                        f.unreadable += 1;
                        failures.push(format!("step {}: {name}: {e}", f.runs));
                    }
                    if Some(bytes) != before.get(file) && Some(bytes) != expected.get(file) {
                        f.torn += 1;
                        failures.push(format!(
                            "step {}: {name} {args:?}: cases/{file} is neither the old nor the new version",
                            f.runs
                        ));
                    }
                }
            }
        }
        // Whole or nothing: for one case, all files together; sweep case by case.
        let names: Vec<&String> = before.keys().chain(expected.keys()).chain(after.keys()).collect();
        let as_before = names.iter().all(|n| after.get(*n) == before.get(*n))
            || names.iter().all(|n| after.get(*n) == recovered.get(*n));
        let as_expected = names.iter().all(|n| after.get(*n) == expected.get(*n));
        let per_case = names
            .iter()
            .all(|n| after.get(*n) == before.get(*n) || after.get(*n) == expected.get(*n));
        let (eb, ea, ee) = (total_events(&before), total_events(&after), total_events(&expected));
        f.events_before += eb;
        f.events_after += ea;
        let journal_left = killed && ws.join(".kefu/batch").exists();
        if journal_left {
            // Killed before a batch's journal was removed: an import before its commit
            // point, or any writer while rolling back an earlier batch. The next writer
            // removes the files it names (checked at the next step, where `recovered` is
            // the state that must result); until then each file is old, new, or one of
            // the earlier batch's already removed.
            f.import_rolled_back += 1;
            let per_case = names.iter().all(|n| {
                after.get(*n) == before.get(*n)
                    || after.get(*n) == expected.get(*n)
                    || (!after.contains_key(*n) && journal.contains(*n))
            });
            if !per_case {
                f.half_applied += 1;
                failures.push(format!("step {}: {name}: a file is neither old nor new", f.runs));
            }
        } else if as_before && as_expected {
            // The command changes nothing (refused, or a sweep with nothing due).
            if killed {
                f.no_effect += 1;
            }
        } else if as_before {
            f.no_effect += 1;
        } else if as_expected {
            if killed {
                f.whole_effect += 1;
            }
        } else if name == "sweep" && per_case {
            // Sweep saves case by case; each case is whole.
            f.sweep_partial += 1;
        } else {
            f.half_applied += 1;
            failures.push(format!(
                "step {}: {name} {args:?}: half applied: events before {eb}, after {ea}, expected {eb} or {ee}",
                f.runs
            ));
        }
        if !killed && !as_expected {
            failures.push(format!(
                "step {}: {name}: a finished run differs from the reference",
                f.runs
            ));
        }

        if f.runs % 25 == 0 || f.killed == kills {
            f.checks += 1;
            let check = kefu(&ws, &now_text, &["check".to_string()])
                .output()
                .expect("kefu check");
            if !check.status.success() {
                f.check_failed += 1;
                failures.push(format!(
                    "step {}: kefu check: {}",
                    f.runs,
                    String::from_utf8_lossy(&check.stderr).trim()
                ));
            }
        }
        if failures.len() > 20 {
            break;
        }
    }

    println!("crash harness (seed {seed}, {:.0} s)", started.elapsed().as_secs_f64());
    let both = |a: usize, b: usize| format!("{a} / {b}");
    for (what, n) in [
        ("commands run and killed at a random moment", f.runs.to_string()),
        ("killed by SIGKILL", f.killed.to_string()),
        ("finished before the kill", f.finished_first.to_string()),
        (
            "killed mid-write (a temporary file was left)",
            f.killed_mid_write.to_string(),
        ),
        ("killed: no effect", f.no_effect.to_string()),
        ("killed: whole effect", f.whole_effect.to_string()),
        ("killed sweeps with some cases swept", f.sweep_partial.to_string()),
        (
            "killed with a batch left to roll back",
            f.import_rolled_back.to_string(),
        ),
        (
            "steps that began by rolling a batch back",
            f.batches_pending.to_string(),
        ),
        ("refused by the rules (reference exit 1)", f.refused.to_string()),
        ("kefu check runs / failures", both(f.checks, f.check_failed)),
        ("torn case files", f.torn.to_string()),
        ("unreadable case files", f.unreadable.to_string()),
        ("half-applied commands", f.half_applied.to_string()),
        ("stray files in cases/", f.stray_in_cases.to_string()),
        (
            "temporary files left by a finished run",
            f.temp_after_finish.to_string(),
        ),
        (
            "events counted before / after all steps",
            both(f.events_before, f.events_after),
        ),
    ] {
        println!("  {what:<47}{n}");
    }
    for (name, (n, k)) in &f.by_command {
        println!("    {name:<10} run {n:>5}  killed {k:>5}");
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(f.killed >= kills, "stopped early");
}
