//! `kefu export`: cases as JSON lines (the `show --json` object, one per line) or CSV
//! (the import columns, then what the case has become), to stdout. Either can be
//! imported again: `import` reads the import columns and ignores the rest.

use std::io::Write;

use anyhow::{Context, Result, bail};

use super::import::{Column, STATE_COLUMNS};
use crate::Ctx;
use crate::case::{Case, State};
use crate::cli::ExportArgs;
use crate::render;
use crate::time::{Time, rfc3339};

pub fn run(ctx: &Ctx, args: ExportArgs) -> Result<()> {
    let csv = match args.format.trim().to_ascii_lowercase().as_str() {
        "jsonl" | "ndjson" | "json-lines" | "jsonlines" => false,
        "csv" => true,
        other => bail!("--format: unknown format {other:?}: expected jsonl or csv"),
    };
    let select = super::list::Select::new(ctx, &args.filter)?;
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut sink = if csv {
        let mut w = csv::Writer::from_writer(out);
        let header = std::iter::once("id")
            .chain(Column::ALL.map(Column::key))
            .chain(STATE_COLUMNS);
        w.write_record(header).context("writing CSV")?;
        Sink::Csv(Box::new(w))
    } else {
        Sink::Json(out)
    };
    // Streamed in id order: any number of cases in bounded memory.
    let bad = ctx.ws.scan_where(
        |brief| select.may_match(brief),
        |case, s| {
            let (case, s) = ctx.as_of(case, s).ok()?;
            if !select.matches(&case, &s, ctx.now) {
                return None;
            }
            Some(if csv {
                let row = csv_row(&case, &s, ctx.now);
                Line::Csv(if args.raw_cells {
                    row
                } else {
                    row.iter().map(|c| crate::safe::csv_cell(c).into_owned()).collect()
                })
            } else {
                Line::Json(serde_json::to_string(&render::case_json(&case, &s, ctx.now)))
            })
        },
        |line| {
            match (line, &mut sink) {
                (Line::Csv(row), Sink::Csv(w)) => w.write_record(row).context("writing CSV")?,
                (Line::Json(json), Sink::Json(out)) => {
                    writeln!(out, "{}", json.context("writing JSON")?).context("writing to stdout")?
                }
                _ => {}
            }
            Ok(())
        },
    )?;
    match &mut sink {
        Sink::Csv(w) => w.flush(),
        Sink::Json(out) => out.flush(),
    }
    .context("writing to stdout")?;
    super::list::warn(&bad);
    // A backup that silently lacks a case is worse than none (SPEC §9.14).
    if bad.is_empty() || args.skip_unreadable {
        Ok(())
    } else {
        Err(crate::PartlyDone { skipped: bad.len() }.into())
    }
}

enum Sink<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Json(W),
}

enum Line {
    Json(serde_json::Result<String>),
    Csv(Vec<String>),
}

fn csv_row(case: &Case, s: &State, now: Time) -> Vec<String> {
    let c = &case.classification;
    let d = &case.deadlines;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let time = |t: Option<Time>| t.as_ref().map(rfc3339).unwrap_or_default();
    let import = Column::ALL.map(|col| match col {
        Column::Name => case.customer.name.clone(),
        Column::Contact => text(&case.customer.contact),
        Column::Channel => case.channel.clone(),
        Column::Summary => case.complaint.summary.clone(),
        Column::Details => text(&case.complaint.details),
        Column::Product => text(&case.complaint.product),
        Column::Order => text(&case.complaint.order),
        Column::Request => text(&case.complaint.request),
        Column::ReceivedAt => rfc3339(&case.received_at),
        Column::SourceRef => text(&case.source_ref),
        Column::Category => text(&c.category),
        Column::Level => c.level.map(|l| l.key().to_string()).unwrap_or_default(),
        Column::Department => text(&c.department),
        Column::FollowUp => c.follow_up.map(|f| f.key().to_string()).unwrap_or_default(),
        Column::External => case.external.to_string(),
    });
    let overdue: Vec<&str> = crate::rules::overdue(s, now).into_iter().map(|l| l.key()).collect();
    let state = [
        case.status.key().to_string(),
        c.irrational.map(|i| i.key().to_string()).unwrap_or_default(),
        case.close_kind.map(|k| k.key().to_string()).unwrap_or_default(),
        time(d.handoff),
        time(d.first_reply),
        time(d.close),
        time(d.customer_answer),
        overdue.join(" "),
    ];
    std::iter::once(case.id.clone()).chain(import).chain(state).collect()
}
