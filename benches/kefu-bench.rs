//! kefu-bench: the measuring tools behind `benches/run.py`.
//!
//! - `generate DIR --cases N [--seed S]`: a realistic synthetic workspace.
//! - `read DIR [--threads T]`: the baseline — the fastest plain read of every case
//!   file's bytes, with kefu's directory walk and no parsing. Nothing that must look at
//!   every case can be faster than this.
//! - `csv N FILE [--seed S]`: an N-row CSV for `kefu import`.
//! - `tasks DIR FILE`: the workspace's complaints as Taskwarrior `task import` JSON,
//!   so the peer holds the same data.

mod generate;
mod text;

use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use serde_json::json;

use kefu::domain::case::{EventKind, is_full_id};
use kefu::store::{CASES_DIR, Workspace};

use generate::{NOW, Rng};

/// Tools for benchmarking kefu on large synthetic workspaces.
#[derive(Parser)]
#[command(name = "kefu-bench", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Make a workspace of N complaints received over the year before 2026-11-23.
    ///
    /// Example: kefu-bench generate /tmp/ws --cases 100000 --seed 1
    Generate {
        dir: PathBuf,
        #[arg(long)]
        cases: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Read every case file's bytes (no parsing); print the byte count.
    ///
    /// Example: kefu-bench read /tmp/ws
    Read {
        dir: PathBuf,
        #[arg(long, default_value_t = 2)]
        threads: usize,
    },
    /// Write an N-row import CSV with a distinct source_ref per row.
    ///
    /// Example: kefu-bench csv 10000 rows.csv
    Csv {
        rows: usize,
        file: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Write the workspace's complaints as a JSON array for `task import`.
    ///
    /// Example: kefu-bench tasks /tmp/ws tasks.json
    Tasks { dir: PathBuf, file: PathBuf },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", format!("{err:#}").replace('\n', " "));
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Generate { dir, cases, seed } => {
            let start = Instant::now();
            let made = generate::workspace(&dir, cases, seed)?;
            let statuses: Vec<String> = made.statuses.iter().map(|(s, n)| format!("{s} {n}")).collect();
            eprintln!(
                "generated {} cases ({:.1} MB) in {} in {:.1} s; {}",
                made.cases,
                made.bytes as f64 / 1e6,
                dir.display(),
                start.elapsed().as_secs_f64(),
                statuses.join(", ")
            );
            Ok(())
        }
        Command::Read { dir, threads } => {
            let bytes = read_all(&dir, threads)?;
            println!("{bytes}");
            Ok(())
        }
        Command::Csv { rows, file, seed } => write_csv(&file, rows, seed),
        Command::Tasks { dir, file } => write_tasks(&dir, &file),
    }
}

/// The case files as `Workspace::scan` finds them: `cases/YYYY/MM/<id>.toml`, by id.
fn case_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let cases = dir.join(CASES_DIR);
    let mut files: Vec<PathBuf> = Vec::new();
    let mut dirs = vec![cases];
    while let Some(d) = dirs.pop() {
        for entry in fs::read_dir(&d).with_context(|| format!("cannot read {}", d.display()))? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                dirs.push(entry.path());
            } else if entry
                .file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".toml"))
                .is_some_and(is_full_id)
            {
                files.push(entry.path());
            }
        }
    }
    files.sort_by_key(|p| p.file_name().map(|n| n.to_os_string()));
    Ok(files)
}

/// Total bytes of every case file, read on `threads` threads into reused buffers.
fn read_all(dir: &Path, threads: usize) -> Result<u64> {
    let files = case_files(dir)?;
    let chunk = files.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|s| {
        let workers: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || -> Result<u64> {
                    let mut buf = Vec::with_capacity(64 * 1024);
                    let mut total = 0;
                    for path in part {
                        buf.clear();
                        File::open(path)
                            .and_then(|mut f| f.read_to_end(&mut buf))
                            .with_context(|| format!("cannot read {}", path.display()))?;
                        total += buf.len() as u64;
                    }
                    Ok(total)
                })
            })
            .collect();
        let mut total = 0;
        for w in workers {
            match w.join() {
                Ok(r) => total += r?,
                Err(_) => bail!("a reader thread panicked"),
            }
        }
        Ok(total)
    })
}

/// Complaints received in the week before NOW, as a shop's web form would export them.
fn write_csv(file: &Path, rows: usize, seed: u64) -> Result<()> {
    let zone = kefu::domain::time::Zone("Asia/Shanghai".parse().map_err(|e| anyhow::anyhow!("{e}"))?);
    let now = zone.parse(NOW)?;
    let mut out = csv::Writer::from_path(file).with_context(|| format!("cannot write {}", file.display()))?;
    out.write_record([
        "name",
        "contact",
        "channel",
        "summary",
        "details",
        "product",
        "order",
        "request",
        "received_at",
        "source_ref",
    ])?;
    let channels = ["phone", "email", "social", "in_person", "web", "dealer", "other"];
    let requests = ["refund", "exchange", "repair", "compensation", "apology", "explanation"];
    for i in 0..rows {
        let mut r = Rng::for_item(seed ^ 0x6373_7600, i as u64);
        let topic = r.pick(text::TOPICS);
        let chinese = r.chance(0.7);
        let (name, contact, summary) = if chinese {
            (
                format!("{}{}", r.pick(text::SURNAMES), r.pick(text::TITLES)),
                format!("1{}{:09}", r.range(3, 9), r.below(1_000_000_000)),
                *r.pick(topic.zh),
            )
        } else {
            let (first, last) = (r.pick(text::ENGLISH_FIRST), r.pick(text::ENGLISH_LAST));
            (
                format!("{first} {last}"),
                format!("{}{}@example.com", first.to_lowercase(), r.below(100_000)),
                if topic.en.is_empty() {
                    *r.pick(topic.zh)
                } else {
                    *r.pick(topic.en)
                },
            )
        };
        let details = if r.chance(0.3) { *r.pick(text::DETAILS_ZH) } else { "" };
        let product = if topic.products.is_empty() {
            ""
        } else {
            *r.pick(topic.products)
        };
        let order = if r.chance(0.5) {
            format!("SO{:08}", r.below(100_000_000))
        } else {
            String::new()
        };
        let received = now - chrono::TimeDelta::minutes(r.range(60, 7 * 1440));
        out.write_record([
            name.as_str(),
            contact.as_str(),
            *r.pick(&channels),
            summary,
            details,
            product,
            order.as_str(),
            *r.pick(&requests),
            &kefu::domain::time::rfc3339(&received),
            &format!("bench-{seed}-{i:06}"),
        ])?;
    }
    out.flush()?;
    Ok(())
}

/// Taskwarrior's date format: UTC, `20261123T010000Z`.
fn task_date(t: &kefu::domain::time::Time) -> String {
    t.with_timezone(&chrono::Utc).format("%Y%m%dT%H%M%SZ").to_string()
}

/// A stable UUID (version 4 layout) for a case id, so a re-import updates, not adds.
fn task_uuid(id: &str) -> String {
    let h = id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut r = Rng::for_item(0x7461_736b, h);
    let (a, b) = (r.next_u64(), r.next_u64());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

/// One case as a Taskwarrior task.
fn task_of(case: &kefu::domain::case::Case) -> serde_json::Value {
    let c = &case.classification;
    let mut task = json!({
        "uuid": task_uuid(&case.id),
        "description": case.complaint.summary,
        "entry": task_date(&case.received_at),
        "status": if case.status.is_open() { "pending" } else { "completed" },
        "kefuid": case.id,
    });
    if let Some(category) = &c.category {
        task["project"] = json!(category);
    }
    if let Some(department) = &c.department {
        task["department"] = json!(department);
    }
    if let Some(level) = c.level {
        task["level"] = json!(level.key());
    }
    if !case.status.is_open() {
        let end = case
            .events
            .iter()
            .rev()
            .find(|e| matches!(e.kind, EventKind::Close | EventKind::Reject))
            .map_or(case.received_at, |e| e.at);
        task["end"] = json!(task_date(&end));
    }
    task
}

/// Category → project, department → the `department` UDA, summary → description;
/// closed and rejected cases are completed tasks.
fn write_tasks(dir: &Path, file: &Path) -> Result<()> {
    let ws = Workspace::find(Some(dir))?;
    let mut out = BufWriter::new(File::create(file).with_context(|| format!("cannot write {}", file.display()))?);
    out.write_all(b"[\n")?;
    let mut first = true;
    let bad = ws.scan(
        |case, _| Some(task_of(&case)),
        |task| {
            if !first {
                out.write_all(b",\n")?;
            }
            first = false;
            serde_json::to_writer(&mut out, &task)?;
            Ok(())
        },
    )?;
    if let Some((_, message)) = bad.first() {
        bail!("{} unreadable case file(s), the first: {message}", bad.len());
    }
    out.write_all(b"\n]\n")?;
    out.flush()?;
    Ok(())
}
