//! `kefu export`: cases as JSON lines (the `show --json` object, one per line) or CSV
//! (the import columns, then what the case has become), to stdout. Either can be
//! imported again: `import` reads the import columns and ignores the rest.

use std::io::Write;

use anyhow::{Context, Result, bail};

use super::import::Column;
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
    let rows = super::list::select(ctx, &args.filter)?;
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    if csv {
        write_csv(out, &rows, ctx.now)
    } else {
        write_jsonl(out, &rows, ctx.now)
    }
}

fn write_jsonl(mut out: impl Write, rows: &[(Case, State)], now: Time) -> Result<()> {
    for (case, s) in rows {
        serde_json::to_writer(&mut out, &render::case_json(case, s, now)).context("writing JSON")?;
        out.write_all(b"\n").context("writing to stdout")?;
    }
    out.flush().context("writing to stdout")
}

/// Columns after the import ones: the state of the case at export time.
const STATE_COLUMNS: [&str; 8] = [
    "status",
    "irrational",
    "close_kind",
    "deadline_handoff",
    "deadline_first_reply",
    "deadline_close",
    "deadline_customer_answer",
    "overdue",
];

fn write_csv(out: impl Write, rows: &[(Case, State)], now: Time) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let header = std::iter::once("id")
        .chain(Column::ALL.map(Column::key))
        .chain(STATE_COLUMNS);
    w.write_record(header).context("writing CSV")?;
    for (case, s) in rows {
        w.write_record(csv_row(case, s, now)).context("writing CSV")?;
    }
    w.flush().context("writing to stdout")
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
