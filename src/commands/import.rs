//! `kefu import`: many intakes from one file, all or none, safe to run again.
//!
//! Every row is read and checked first, building its case in memory exactly as
//! `intake` would; one bad row stops the import before anything is written, and every
//! bad row is reported. Rows whose `source_ref` the workspace (or an earlier row)
//! already has are skipped, so importing the same file twice creates nothing the second
//! time. The new cases are written under the workspace lock and committed together.

mod columns;
mod read;

use std::collections::HashSet;
use std::io::{IsTerminal, Read};
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;

pub use columns::{Column, STATE_COLUMNS};

use crate::Ctx;
use crate::case::{Case, Classification};
use crate::cli::{ClassFlags, FollowUpArg, ImportArgs};
use crate::config::Level;
use crate::rules::{self, Intake};
use read::{Encoding, Format, Record};

/// Below this many new cases, an import is quick enough to need no progress bar.
const PROGRESS_FROM: usize = 200;
/// The commit message lists this many new cases, then counts the rest.
const LISTED_IN_COMMIT: usize = 50;

/// The row reader alone (decoding, then records), for the fuzz target: the number of
/// records, or the error an import would report.
#[doc(hidden)]
pub fn read_rows(bytes: &[u8], format: &str) -> Result<usize> {
    let text = read::decode(bytes.to_vec(), None, "rows")?;
    Ok(read::records(&text, Format::parse(format)?, "rows")?.records.len())
}

/// A checked row: the case it makes (its id still to be given).
struct Ready {
    case: Case,
}

#[derive(Serialize)]
struct Summary<'a> {
    created: usize,
    duplicates: usize,
    ids: &'a [String],
    dry_run: bool,
}

pub fn run(ctx: &Ctx, args: ImportArgs) -> Result<()> {
    let stdin = args.file == Path::new("-");
    let shown = if stdin {
        "standard input".to_string()
    } else {
        args.file.display().to_string()
    };
    let encoding = args.encoding.as_deref().map(Encoding::parse).transpose()?;
    let format = args.format.as_deref().map(Format::parse).transpose()?;

    let mut bytes = Vec::new();
    if stdin {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {shown}"))?;
    }
    let text = read::decode(bytes, encoding, &shown)?;
    let format = format
        .or_else(|| Format::of_path(&args.file))
        .unwrap_or_else(|| Format::sniff(&text));
    let read::Records { records, empty } = read::records(&text, format, &shown)?;
    drop(text);

    let total = records.len();
    let mut ready = Vec::with_capacity(total);
    let mut bad = 0;
    for record in &records {
        match prepare(ctx, record) {
            Ok(r) => ready.push(r),
            Err(line) => {
                eprintln!("{}", crate::safe::terminal(&line));
                bad += 1;
            }
        }
    }
    drop(records);
    if bad > 0 {
        bail!(
            "{shown}: {bad} of {total} {} bad (listed above); nothing was imported",
            if total == 1 { "row is" } else { "rows are" }
        );
    }

    if args.dry_run {
        // No lock: nothing is written, and a lock file would be a write.
        let (new, duplicates) = split_duplicates(ready, ctx.ws.source_refs()?);
        note_unreferenced(&new);
        eprintln!(
            "dry run: would import {}{}; nothing written",
            counts(new.len(), duplicates),
            ignored(empty)
        );
        return print_summary(ctx, new.len(), duplicates, &[], true);
    }

    let lock = ctx.ws.lock()?;
    let (new, duplicates) = split_duplicates(ready, ctx.ws.source_refs()?);
    note_unreferenced(&new);
    let mut allocator = ctx.ws.ids_for_new_cases(&lock, &ctx.station()?)?;
    let mut cases = Vec::with_capacity(new.len());
    for Ready { mut case } in new {
        case.id = allocator.next(&day_of(ctx, &case))?;
        cases.push(case);
    }
    let progress = progress_bar(cases.len());
    let paths = ctx
        .ws
        .create_all(&lock, &cases, &|| progress.inc(1))
        .with_context(|| format!("{shown}: writing the new cases failed; none were kept"))?;
    progress.finish_and_clear();
    let created: Vec<(String, String)> = cases.into_iter().map(|c| (c.id, c.customer.name)).collect();

    let ids: Vec<String> = created.iter().map(|(id, _)| id.clone()).collect();
    if !paths.is_empty() {
        let name = if stdin {
            "standard input".to_string()
        } else {
            args.file
                .file_name()
                .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned())
        };
        let subject = format!(
            "kefu: import {} from {name}",
            plural(created.len(), "complaint", "complaints")
        );
        ctx.commit(&lock, &paths, &subject, &commit_body(&created, duplicates))?;
    }
    allocator.keep();
    drop(lock);
    eprintln!("imported {}{}", counts(created.len(), duplicates), ignored(empty));
    print_summary(ctx, created.len(), duplicates, &ids, false)
}

/// Check one record and build its case; the error is the record's one report line.
fn prepare(ctx: &Ctx, record: &Record) -> Result<Ready, String> {
    let cfg = &ctx.ws.config;
    let mut problems = record.problems.clone();
    let mut value = |c: Column| -> Option<(&str, &str)> {
        let (shown, v) = record.values.get(&c)?;
        // Larger fields are a mistake (a whole sheet pasted into one cell).
        let max = ctx.ws.config.max_field_bytes;
        if v.len() as u64 > max {
            problems.push(format!(
                "{shown}: {} bytes is longer than the {max}-byte limit (max_field_bytes in config/kefu.toml)",
                v.len()
            ));
        }
        // A NUL or another control character is binary data, not a complaint (a
        // spreadsheet saved in the wrong format); tab and line breaks are text.
        if let Some(c) = v.chars().find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
            problems.push(format!(
                "{shown}: contains the control character U+{:04X}; is this a text file?",
                u32::from(c)
            ));
        }
        Some((shown.as_str(), v.as_str()))
    };
    let name = value(Column::Name);
    let contact = value(Column::Contact);
    let channel = value(Column::Channel);
    let summary = value(Column::Summary);
    let details = value(Column::Details);
    let product = value(Column::Product);
    let order = value(Column::Order);
    let request = value(Column::Request);
    let received_at = value(Column::ReceivedAt);
    let source_ref = value(Column::SourceRef);
    let category = value(Column::Category);
    let level = value(Column::Level);
    let department = value(Column::Department);
    let mut follow_up = value(Column::FollowUp);
    let external = value(Column::External);

    for (c, v) in [
        (Column::Name, name),
        (Column::Channel, channel),
        (Column::Summary, summary),
    ] {
        if v.is_none() {
            problems.push(format!("{}: missing (required)", c.key()));
        }
    }
    // Each check turns a key or label into its key, or records the problem.
    let mut check = |found: Option<(&str, &str)>, f: &dyn Fn(&str) -> Result<String>| -> Option<String> {
        let (shown, v) = found?;
        f(v).map_err(|e| problems.push(format!("{shown}: {e}"))).ok()
    };
    let channel_key = check(channel, &|v| Ok(cfg.channel(v)?.key.clone()));
    let request_key = check(request, &|v| Ok(cfg.request(v)?.key.clone()));
    let category_key = check(category, &|v| Ok(cfg.category(v)?.key.clone()));
    let department_key = check(department, &|v| Ok(cfg.department(v)?.key.clone()));
    let received = received_at.and_then(|(shown, v)| match cfg.zone.parse(&excel_date(v)) {
        Ok(t) if t > ctx.now => {
            problems.push(format!(
                "{shown}: {v} is in the future (now is {})",
                crate::render::local(cfg, ctx.now)
            ));
            None
        }
        Ok(t) => Some(t),
        Err(e) => {
            problems.push(format!("{shown}: {e}"));
            None
        }
    });
    let level_value =
        level.and_then(|(shown, v)| cfg.level(v).map_err(|e| problems.push(format!("{shown}: {e}"))).ok());
    // An exported case that was deferred carries the deferral's follow-up mode; it is
    // not part of its classification unless the level itself is irrational.
    if record.irrational.as_deref() == Some("second") && level_value.is_some_and(|l| l != Level::Irrational) {
        follow_up = None;
    }
    let follow_up_arg = follow_up.and_then(|(shown, v)| {
        parse_follow_up(v)
            .map_err(|e| problems.push(format!("{shown}: {e}")))
            .ok()
    });
    let external_value = external
        .and_then(|(shown, v)| parse_bool(v).map_err(|e| problems.push(format!("{shown}: {e}"))).ok())
        .unwrap_or(false);
    if let Some((shown, v)) = source_ref
        && v.contains('\n')
    {
        problems.push(format!("{shown}: must be one line"));
    }

    // A classification needs all three; irrational needs a follow-up mode, and only it.
    let given = [
        (Column::Category, category),
        (Column::Level, level),
        (Column::Department, department),
    ];
    if given.iter().any(|(_, v)| v.is_some()) || follow_up.is_some() {
        for (c, v) in given {
            if v.is_none() {
                problems.push(format!(
                    "{}: missing (a classification needs category, level and department)",
                    c.key()
                ));
            }
        }
    }
    match (level_value, follow_up) {
        (Some(Level::Irrational), None) => problems.push(format!(
            "{}: missing (an irrational complaint needs watch or monitor, 關注 or 監控)",
            Column::FollowUp.key()
        )),
        (Some(l), Some((shown, _))) if l != Level::Irrational => problems.push(format!(
            "{shown}: only for an irrational complaint (the level is {})",
            l.key()
        )),
        _ => {}
    }

    if !problems.is_empty() {
        return Err(format!("{}: {}", record.at, problems.join("; ")));
    }

    // Built exactly as `intake` builds a case, so an import is many intakes.
    let text = |v: Option<(&str, &str)>| v.map(|(_, v)| v.to_string());
    let flags = ClassFlags {
        category: category_key,
        level: level_value.map(|l| l.key().to_string()),
        department: department_key,
        follow_up: follow_up_arg,
        external: external_value,
        no_external: false,
    };
    let at = |e: anyhow::Error| format!("{}: {}", record.at, format!("{e:#}").replace("--", ""));
    let class = super::classify::classification(cfg, &flags, &Classification::default()).map_err(at)?;
    let data = Intake {
        name: text(name).unwrap_or_default(),
        contact: text(contact),
        channel: channel_key.unwrap_or_default(),
        summary: text(summary).unwrap_or_default(),
        details: text(details),
        product: text(product),
        order: text(order),
        request: request_key,
        source_ref: text(source_ref),
        external: external_value,
    };
    // The real id is given when the case is written, under the lock.
    let placeholder = "00000000-000".to_string();
    let mut case = rules::new_case(cfg, placeholder, received.unwrap_or(ctx.now), data, ctx.by()).map_err(at)?;
    if let Some(c) = class {
        rules::classify(&mut case, cfg, c, ctx.by()).map_err(at)?;
    }
    Ok(Ready { case })
}

/// Excel on a Chinese system writes dates as `2026/11/23 10:15`.
fn excel_date(text: &str) -> String {
    if text.contains('T') {
        text.to_string()
    } else {
        text.replace('/', "-")
    }
}

fn parse_follow_up(text: &str) -> Result<FollowUpArg> {
    match text.to_ascii_lowercase().as_str() {
        "watch" | "關注" | "关注" => Ok(FollowUpArg::Watch),
        "monitor" | "監控" | "监控" => Ok(FollowUpArg::Monitor),
        _ => bail!("unknown follow-up {text:?}: expected watch (關注) or monitor (監控)"),
    }
}

fn parse_bool(text: &str) -> Result<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "是" | "x" => Ok(true),
        "false" | "no" | "n" | "0" | "否" => Ok(false),
        _ => bail!("expected yes or no (true/false, 是/否), got {text:?}"),
    }
}

/// Keep the first row of each `source_ref` the workspace does not have yet; the rest
/// are duplicates. Rows without a `source_ref` are always new.
fn split_duplicates(ready: Vec<Ready>, mut known: HashSet<String>) -> (Vec<Ready>, usize) {
    let mut duplicates = 0;
    let new = ready
        .into_iter()
        .filter(|r| match &r.case.source_ref {
            Some(s) if !known.insert(s.clone()) => {
                duplicates += 1;
                false
            }
            _ => true,
        })
        .collect();
    (new, duplicates)
}

/// Rows without a `source_ref` cannot be recognised again: say so before it happens.
fn note_unreferenced(new: &[Ready]) {
    let n = new.iter().filter(|r| r.case.source_ref.is_none()).count();
    if n > 0 {
        eprintln!(
            "note: {} no source_ref, so importing this file again would create {} again",
            plural(n, "new complaint has", "new complaints have"),
            if n == 1 { "it" } else { "them" }
        );
    }
}

fn day_of(ctx: &Ctx, case: &Case) -> String {
    case.received_at
        .with_timezone(&ctx.ws.config.zone.0)
        .format("%Y%m%d")
        .to_string()
}

/// A bar on stderr for a long import at a terminal; hidden otherwise, so scripts and
/// logs see only the summary line.
fn progress_bar(len: usize) -> indicatif::ProgressBar {
    if len < PROGRESS_FROM || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("importing {bar:40} {pos}/{len} ({eta})") {
        bar.set_style(style);
    }
    bar
}

fn commit_body(created: &[(String, String)], duplicates: usize) -> String {
    let mut body: Vec<String> = created
        .iter()
        .take(LISTED_IN_COMMIT)
        .map(|(id, name)| format!("{id} {name}"))
        .collect();
    if created.len() > LISTED_IN_COMMIT {
        body.push(format!("… and {} more", created.len() - LISTED_IN_COMMIT));
    }
    if duplicates > 0 {
        body.push(format!(
            "{} skipped: already imported",
            plural(duplicates, "duplicate", "duplicates")
        ));
    }
    body.join("\n")
}

fn print_summary(ctx: &Ctx, created: usize, duplicates: usize, ids: &[String], dry_run: bool) -> Result<()> {
    if ctx.json {
        super::show::print_json(&Summary {
            created,
            duplicates,
            ids,
            dry_run,
        })?;
    }
    Ok(())
}

fn counts(created: usize, duplicates: usize) -> String {
    format!(
        "{}, {} skipped",
        plural(created, "complaint", "complaints"),
        plural(duplicates, "duplicate", "duplicates")
    )
}

fn ignored(empty: usize) -> String {
    if empty == 0 {
        String::new()
    } else {
        format!(", {} ignored", plural(empty, "empty row", "empty rows"))
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
