//! `kefu export`: cases as JSON lines (the `show --json` object, one per line) or CSV
//! (the import columns, then what the case has become), to stdout. Either can be
//! imported again: `import` reads the import columns and ignores the rest.

use std::io::Write;

use anyhow::{Context, Result, bail};

use super::import::{Column, STATE_COLUMNS};
use super::list::Select;
use crate::Ctx;
use crate::cli::ExportArgs;
use crate::domain::case::{Case, State};
use crate::domain::time::{Time, rfc3339};
use crate::output::render;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Jsonl,
    Csv,
    Xlsx,
}

pub fn run(ctx: &Ctx, args: ExportArgs) -> Result<()> {
    let kind = match args.format.trim().to_ascii_lowercase().as_str() {
        "jsonl" | "ndjson" | "json-lines" | "jsonlines" => Kind::Jsonl,
        "csv" => Kind::Csv,
        "xlsx" => Kind::Xlsx,
        other => {
            // A format kefu does not write is a usage error (SPEC §17.1).
            let got = format!("{other:?}");
            let message = format!(
                "--format: {}",
                crate::output::i18n::tr("bad_export_format", &[("got", &got)])
            );
            return Err(crate::Usage(message).into());
        }
    };
    let select = super::list::Select::new(ctx, &args.filter)?;
    let bad = match (&args.output, kind) {
        (None, Kind::Xlsx) => bail!("{}", crate::output::i18n::tr("xlsx_needs_output", &[])),
        (None, _) => {
            let out = std::io::BufWriter::new(std::io::stdout().lock());
            let (mut out, bad) = write(ctx, &args, &select, kind, out)?;
            out.flush()
                .with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))?;
            bad
        }
        (Some(path), Kind::Xlsx) => {
            let mut rows = Vec::new();
            let bad = scan(ctx, &args, &select, Kind::Xlsx, &mut |line| {
                if let Line::Csv(row) = line {
                    rows.push(row);
                }
                Ok(())
            })?;
            ctx.ws.write_output("--output", path, &workbook(rows)?, args.force)?;
            bad
        }
        (Some(path), _) => {
            let (bytes, bad) = write(ctx, &args, &select, kind, Vec::new())?;
            ctx.ws.write_output("--output", path, &bytes, args.force)?;
            bad
        }
    };
    super::list::warn(&bad);
    // A backup that silently lacks a case is worse than none (SPEC §9.14).
    if bad.is_empty() || args.skip_unreadable {
        Ok(())
    } else {
        Err(crate::PartlyDone { skipped: bad.len() }.into())
    }
}

type Unreadable = Vec<(std::path::PathBuf, String)>;

/// JSON lines or CSV to `out`, streamed in id order: any number of cases in bounded memory.
fn write<W: Write>(ctx: &Ctx, args: &ExportArgs, select: &Select, kind: Kind, out: W) -> Result<(W, Unreadable)> {
    if kind == Kind::Csv {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(header())
            .with_context(|| crate::output::i18n::tr("cannot_write_export", &[]))?;
        let bad = scan(ctx, args, select, kind, &mut |line| {
            if let Line::Csv(row) = line {
                w.write_record(row)
                    .with_context(|| crate::output::i18n::tr("cannot_write_export", &[]))?;
            }
            Ok(())
        })?;
        let out = w.into_inner().map_err(|e| {
            anyhow::Error::from(e.into_error()).context(crate::output::i18n::tr("cannot_write_export", &[]))
        })?;
        return Ok((out, bad));
    }
    let mut out = out;
    let bad = scan(ctx, args, select, kind, &mut |line| {
        if let Line::Json(json) = line {
            writeln!(
                out,
                "{}",
                json.with_context(|| crate::output::i18n::tr("cannot_write_export", &[]))?
            )
            .with_context(|| crate::output::i18n::tr("cannot_write_export", &[]))?;
        }
        Ok(())
    })?;
    Ok((out, bad))
}

fn header() -> impl Iterator<Item = &'static str> {
    std::iter::once("id")
        .chain(Column::ALL.map(Column::key))
        .chain(STATE_COLUMNS)
}

fn scan(
    ctx: &Ctx,
    args: &ExportArgs,
    select: &Select,
    kind: Kind,
    each: &mut dyn FnMut(Line) -> Result<()>,
) -> Result<Unreadable> {
    ctx.ws.scan_where(
        |brief| select.may_match(brief),
        |case, s| {
            let (case, s) = ctx.as_of(case, s).ok()?;
            if !select.matches(&case, &s, ctx.now) {
                return None;
            }
            Some(match kind {
                Kind::Jsonl => Line::Json(serde_json::to_string(&render::case_json(&case, &s, ctx.now))),
                // Workbook cells are text, never formulas: no prefix is needed (SPEC §17.18).
                Kind::Xlsx => Line::Csv(csv_row(&case, &s, ctx.now)),
                Kind::Csv if args.raw_cells => Line::Csv(csv_row(&case, &s, ctx.now)),
                Kind::Csv => Line::Csv(
                    csv_row(&case, &s, ctx.now)
                        .iter()
                        .map(|c| crate::output::safe::csv_cell(c).into_owned())
                        .collect(),
                ),
            })
        },
        each,
    )
}

/// The rows as an Excel workbook: one sheet, the CSV columns, every cell a string.
fn workbook(rows: Vec<Vec<String>>) -> Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let xlsx =
        |e: rust_xlsxwriter::XlsxError| anyhow::anyhow!("{}: {e}", crate::output::i18n::tr("cannot_write_export", &[]));
    for (col, name) in header().enumerate() {
        sheet.write_string(0, col as u16, name).map_err(xlsx)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (col, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r as u32 + 1, col as u16, cell).map_err(xlsx)?;
            }
        }
    }
    book.save_to_buffer().map_err(xlsx)
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
    let overdue: Vec<&str> = crate::domain::rules::overdue(s, now)
        .into_iter()
        .map(|l| l.key())
        .collect();
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
