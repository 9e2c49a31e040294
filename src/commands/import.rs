//! `kefu import`: many intakes from one file, all or none, safe to run again.
//!
//! Every row is read and checked first, building its case in memory exactly as
//! `intake` would; one bad row stops the import before anything is written, and every
//! bad row is reported. Rows whose `source_ref` the workspace (or an earlier row)
//! already has are skipped, so importing the same file twice creates nothing the second
//! time. The new cases are written under the workspace lock and committed together.

mod columns;
mod read;
mod repeats;

use crate::output::i18n::tr;
use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;

pub use columns::{Column, STATE_COLUMNS};
pub use read::Encoding;

use crate::Ctx;
use crate::cli::{ClassFlags, ImportArgs};
use crate::domain::case::FollowUp;
use crate::domain::case::{Case, Classification};
use crate::domain::config::Level;
use crate::domain::rules::{self, Intake};
use read::{Format, Record};

/// Below this many new cases, an import is quick enough to need no progress bar.
const PROGRESS_FROM: usize = 200;
/// The commit message lists this many new cases, then counts the rest.
const LISTED_IN_COMMIT: usize = 50;

/// The row reader alone (decoding, then records), for the fuzz target: the number of
/// records, or the error an import would report.
#[doc(hidden)]
pub fn read_rows(bytes: &[u8], format: &str) -> Result<usize> {
    let source = read::Source::Bytes(bytes.to_vec());
    let text = read::decode(&source, Encoding::Auto, "rows", &|_| false)?;
    let sizes = read::Sizes {
        field: 65536,
        case: 1 << 20,
    };
    let mut n = 0;
    read::each_record(&source, text, Format::parse(format)?, "rows", sizes, &mut |_| {
        n += 1;
        Ok(())
    })?;
    Ok(n)
}

/// Every label of the shop, in one script: what a sheet in the right encoding holds.
fn known_labels(cfg: &crate::domain::config::Config) -> HashSet<String> {
    let choices = cfg
        .categories
        .iter()
        .chain(&cfg.channels)
        .chain(&cfg.requests)
        .map(|c| c.label.as_str());
    let departments = cfg.departments.iter().map(|d| d.label.as_str());
    let levels = Level::ALL.iter().map(|l| cfg.level_label(*l));
    choices
        .chain(departments)
        .chain(levels)
        .map(crate::domain::script::fold)
        .collect()
}

/// A checked row: the case it makes (its id still to be given, unless it restores an
/// exported case under its own id).
struct Ready {
    case: Case,
    restored: bool,
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
    // A format kefu does not read is a usage error (SPEC §17.1).
    let format = args
        .format
        .as_deref()
        .map(Format::parse)
        .transpose()
        .map_err(|e| crate::Usage(e.to_string()))?;

    // Read from the start once per pass, never held whole (a workbook's sheet aside).
    let mut source = if stdin {
        read::Source::stdin()?
    } else {
        read::Source::File(args.file.clone())
    };
    let format = format.or_else(|| Format::of_path(&args.file));
    let (text, format) = if format == Some(Format::Xlsx) {
        let bytes = source
            .bytes()
            .with_context(|| crate::output::i18n::tr("cannot_read", &[("path", &shown)]))?;
        let sheet = read::xlsx_text(bytes, args.sheet.as_deref(), &shown)?;
        source = read::Source::Bytes(sheet.into_bytes());
        (read::Text::UTF8, Format::Csv)
    } else {
        if args.sheet.is_some() {
            bail!("--sheet: {shown}: {}", tr("not_xlsx", &[]));
        }
        let labels = known_labels(&ctx.ws.config);
        let text = read::decode(&source, args.encoding, &shown, &|cell| {
            labels.contains(&crate::domain::script::fold(cell))
        })?;
        let format = match format {
            Some(f) => f,
            None => read::format_of(&source, text)?,
        };
        (text, format)
    };
    let sizes = read::Sizes {
        field: usize::try_from(ctx.ws.config.max_field_bytes).unwrap_or(usize::MAX / 8),
        case: usize::try_from(ctx.ws.config.max_case_bytes).unwrap_or(usize::MAX / 8),
    };
    // Nothing to lock for a dry run (a lock file would be a write); a real import holds
    // the lock from the first pass on, so what it checked is what it writes.
    let lock = if args.dry_run { None } else { Some(ctx.ws.lock()?) };

    // First pass: check every row and decide what it would do, keeping only counts,
    // each restored case's checksum, and each source ref's digest noted on disk, so
    // memory does not grow with the file.
    let mut sorter = Sorter::new(ctx);
    let mut notes = repeats::Notes::new();
    let (mut total, mut bad, mut conflicts) = (0, 0, 0);
    let (mut new, mut duplicates, mut unreferenced) = (0, 0, 0);
    let empty = read::each_record(&source, text, format, &shown, sizes, &mut |record| {
        let row = total;
        total += 1;
        let decided = ready(ctx, &record).and_then(|r| match sorter.fate(&r) {
            Ok(fate) => Ok((fate, r)),
            Err(e) => Err(format!("{}: {e:#}", record.at)),
        });
        match decided {
            Ok((Fate::New, r)) => {
                new += 1;
                match &r.case.source_ref {
                    Some(s) if !r.restored => notes.note(digest(s), row)?,
                    _ => unreferenced += usize::from(!r.restored),
                }
            }
            Ok((Fate::Duplicate, _)) => duplicates += 1,
            Ok((Fate::Conflict, r)) => {
                eprintln!(
                    "{shown}: {}: {}",
                    record.at,
                    tr("import_conflict", &[("id", &r.case.id)])
                );
                conflicts += 1;
            }
            Err(line) => {
                eprintln!("{}", crate::output::safe::terminal(&line));
                bad += 1;
            }
        }
        Ok(())
    })?;
    if bad + conflicts > 0 {
        bail!(
            "{shown}: {}",
            tr(
                "import_bad",
                &[("bad", &(bad + conflicts).to_string()), ("total", &total.to_string())]
            )
        );
    }
    // Rows whose source ref the workspace or an earlier row has are skipped.
    let known: HashSet<u128> = ctx.ws.source_refs()?.iter().map(|r| digest(r)).collect();
    let repeated = notes
        .repeats(|d| known.contains(&d))
        .with_context(|| tr("import_write_failed", &[]))?;
    drop(known);
    new -= repeated.len();
    duplicates += repeated.len();
    if unreferenced > 0 {
        eprintln!("{}", tr("import_unreferenced", &[("n", &unreferenced.to_string())]));
    }
    let Some(lock) = lock else {
        eprintln!(
            "{}",
            tr(
                "import_dry_run",
                &[
                    ("new", &new.to_string()),
                    ("duplicates", &duplicates.to_string()),
                    ("empty", &empty.to_string())
                ]
            )
        );
        return print_summary(ctx, new, duplicates, &[], true);
    };

    // Second pass: the same rows again, each new case given its id and written aside
    // as it is built; the batch then goes in all at once.
    let mut sorter = Sorter::new(ctx);
    let mut allocator = ctx.ws.ids_for_new_cases(&lock, &ctx.station()?)?;
    let mut batch = ctx.ws.batch(&lock)?;
    // Only what the commit message lists and what --json prints is kept, not a line
    // per new case.
    let mut listed: Vec<(String, String)> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    let mut created = 0;
    let progress = progress_bar(new);
    let mut row = 0;
    read::each_record(&source, text, format, &shown, sizes, &mut |record| {
        row += 1;
        if repeated.contains(row - 1) {
            return Ok(());
        }
        let r = ready(ctx, &record).map_err(anyhow::Error::msg)?;
        if sorter.fate(&r)? != Fate::New {
            return Ok(());
        }
        let mut case = r.case;
        if r.restored {
            allocator.mark_used(&case.id)?;
        } else {
            case.id = allocator.next(&day_of(ctx, &case))?;
        }
        batch
            .add(&case)
            .with_context(|| format!("{shown}: {}", tr("import_write_failed", &[])))?;
        created += 1;
        if listed.len() < LISTED_IN_COMMIT {
            listed.push((case.id.clone(), case.customer.name.clone()));
        }
        if ctx.json {
            ids.push(case.id);
        }
        progress.inc(1);
        Ok(())
    })?;
    // What recognised duplicates is not needed for the writing, the batch's peak.
    drop((sorter, repeated));
    let made = batch
        .finish()
        .with_context(|| format!("{shown}: {}", tr("import_write_failed", &[])))?;
    progress.finish_and_clear();

    // The paths are made only for a commit: without one nothing per case is held.
    if !made.is_empty() && ctx.commit {
        let name = if stdin {
            "standard input".to_string()
        } else {
            args.file
                .file_name()
                .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned())
        };
        let subject = format!(
            "kefu: import {} from {name}",
            plural(created, "complaint", "complaints")
        );
        ctx.commit_created(&lock, &made, &subject, &commit_body(&listed, created, duplicates))?;
    }
    allocator.keep();
    drop(lock);
    eprintln!(
        "{}",
        tr(
            "imported",
            &[
                ("new", &created.to_string()),
                ("duplicates", &duplicates.to_string()),
                ("empty", &empty.to_string())
            ]
        )
    );
    print_summary(ctx, created, duplicates, &ids, false)
}

/// A record as the case it makes, or the record's one-line report.
fn ready(ctx: &Ctx, record: &Record) -> Result<Ready, String> {
    match &record.restore {
        Some(object) => restore(ctx, &record.at, object),
        None => prepare(ctx, record),
    }
}

/// What a checked row does.
#[derive(Debug, PartialEq)]
enum Fate {
    New,
    /// Its source ref is already here (or earlier in the file), or it restores a case
    /// that is already here with the same history.
    Duplicate,
    /// It restores a case whose id is here with another history.
    Conflict,
}

/// Decides the fate of each row that restores an exported case, in file order,
/// remembering a checksum of each one's history. A new complaint's row is new here: the
/// rows that repeat a source ref are found from the notes of a whole pass (see
/// [`repeats`]).
struct Sorter<'a> {
    ctx: &'a Ctx,
    restored: std::collections::HashMap<String, u32>,
}

impl<'a> Sorter<'a> {
    fn new(ctx: &'a Ctx) -> Sorter<'a> {
        Sorter {
            ctx,
            restored: Default::default(),
        }
    }

    fn fate(&mut self, r: &Ready) -> Result<Fate> {
        if !r.restored {
            return Ok(Fate::New);
        }
        let digest = crc32fast::hash(&serde_json::to_vec(&history(&r.case))?);
        if let Some(&earlier) = self.restored.get(&r.case.id) {
            return Ok(if earlier == digest {
                Fate::Duplicate
            } else {
                Fate::Conflict
            });
        }
        self.restored.insert(r.case.id.clone(), digest);
        if self.ctx.ws.path_of(&r.case.id).exists() {
            let here = self.ctx.ws.load(&r.case.id)?;
            return Ok(if history(&here) == history(&r.case) {
                Fate::Duplicate
            } else {
                Fate::Conflict
            });
        }
        Ok(Fate::New)
    }
}

/// A source ref's 128-bit digest: two SipHash values of it under different prefixes.
/// Two refs would share one about once in 10^28 imports of 200,000 rows.
fn digest(source_ref: &str) -> u128 {
    use std::hash::{Hash, Hasher};
    let half = |salt: u8| {
        let mut h = std::hash::DefaultHasher::new();
        salt.hash(&mut h);
        source_ref.hash(&mut h);
        h.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
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
    let received =
        received_at.and_then(
            |(shown, v)| match cfg.zone.parse_at(v, ctx.now, crate::domain::time::Toward::Past) {
                Ok(t) if t > ctx.now => {
                    problems.push(format!(
                        "{shown}: {v} is in the future (now is {})",
                        crate::output::render::local(cfg, ctx.now)
                    ));
                    None
                }
                Ok(t) => Some(t),
                Err(e) => {
                    problems.push(format!("{shown}: {e}"));
                    None
                }
            },
        );
    let level_value = level.and_then(|(shown, v)| {
        cfg.level("", v)
            .map_err(|e| problems.push(format!("{shown}: {e}")))
            .ok()
    });
    // An exported case that was deferred carries the deferral's follow-up mode; it is
    // not part of its classification unless the level itself is irrational.
    if record.irrational.as_deref() == Some("second") && level_value.is_some_and(|l| l != Level::Irrational) {
        follow_up = None;
    }
    let follow_up_arg = follow_up.and_then(|(shown, v)| {
        FollowUp::from_text(v)
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
    Ok(Ready { case, restored: false })
}

/// The fields of an exported case that a restore reads; the rest (the header, deadline
/// states) follows from the events.
#[derive(serde::Deserialize)]
struct Exported {
    id: String,
    received_at: String,
    channel: String,
    #[serde(default)]
    external: bool,
    #[serde(default)]
    source_ref: Option<String>,
    customer: crate::domain::case::Customer,
    complaint: crate::domain::case::Complaint,
    events: Vec<crate::domain::case::Event>,
}

/// An exported case (an object with `id` and `events`), rebuilt from its people's events
/// under its own id (SPEC §17.11): the header and the derived events (escalations,
/// penalties, cancellations) are derived again by the rules, as of now.
fn restore(ctx: &Ctx, at: &str, object: &serde_json::Value) -> Result<Ready, String> {
    let cfg = &ctx.ws.config;
    let bad = |what: String| format!("{at}: {what}");
    let e: Exported = serde_json::from_value(object.clone())
        .map_err(|e| bad(format!("{}: {e}", crate::output::i18n::tr("not_an_exported_case", &[]))))?;
    if !crate::domain::case::is_full_id(&e.id) {
        return Err(bad(format!("id {:?} is not a case id (YYYYMMDD-NNN)", e.id)));
    }
    let received_at = cfg
        .zone
        .parse(&e.received_at)
        .map_err(|err| bad(format!("received_at: {err}")))?;
    for (field, text) in [
        ("customer.name", e.customer.name.as_str()),
        ("complaint.summary", e.complaint.summary.as_str()),
    ] {
        crate::output::safe::one_line(field, text).map_err(|err| bad(format!("{err:#}")))?;
    }
    let case = Case {
        schema: crate::domain::case::SCHEMA,
        id: e.id,
        status: crate::domain::case::Status::Received,
        received_at,
        channel: e.channel,
        external: e.external,
        close_kind: None,
        source_ref: e.source_ref,
        customer: e.customer,
        complaint: e.complaint,
        classification: Classification::default(),
        deadlines: Default::default(),
        events: Vec::new(),
    };
    let people: Vec<crate::domain::case::Event> = e.events.into_iter().filter(|ev| !ev.kind.is_derived()).collect();
    if people.iter().any(|ev| ev.id.is_empty()) {
        return Err(bad("events: every event of an exported case has an id".into()));
    }
    let case = rules::replay(case, people, cfg, ctx.now).map_err(|err| bad(format!("events: {err:#}")))?;
    case.verify()
        .map_err(|(field, reason)| bad(format!("{field}: {reason}")))?;
    Ok(Ready { case, restored: true })
}

/// The people's events of a case: what makes two copies the same case.
fn history(case: &Case) -> Vec<&crate::domain::case::Event> {
    case.events.iter().filter(|e| !e.kind.is_derived()).collect()
}

fn parse_bool(text: &str) -> Result<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "是" | "x" => Ok(true),
        "false" | "no" | "n" | "0" | "否" => Ok(false),
        _ => bail!("{}", tr("expected_yes_no", &[("got", &format!("{text:?}"))])),
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

/// The first new cases (`listed`) by id and name, then how many more of `created`.
fn commit_body(listed: &[(String, String)], created: usize, duplicates: usize) -> String {
    let mut body: Vec<String> = listed.iter().map(|(id, name)| format!("{id} {name}")).collect();
    if created > listed.len() {
        body.push(format!("… and {} more", created - listed.len()));
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

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
