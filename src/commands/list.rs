use std::io::Write;

use anyhow::{Context, Result};

use crate::Ctx;
use crate::domain::case::{Case, State, Status};
use crate::store::cache::Brief;

use crate::cli::{Filter, ListArgs};
use crate::domain::config::Level;
use crate::domain::rules;
use crate::domain::time::Time;
use crate::output::render;
use crate::output::table::{self, Col, Mark};

/// A case's colour in a table: red with a missed deadline still waited for, yellow with
/// one due within 24 hours.
pub fn mark(case: &Case, s: &State, now: Time) -> Mark {
    if !rules::overdue(s, now).is_empty() {
        return Mark::Overdue;
    }
    let soon = now + chrono::TimeDelta::hours(24);
    let due_soon = rules::deadlines(s)
        .into_iter()
        .any(|d| d.done.is_none() && d.due >= now && d.due <= soon);
    match case.status.is_open() && due_soon {
        true => Mark::Soon,
        false => Mark::Plain,
    }
}

/// A filter with its values checked against the config.
pub struct Select {
    status: Option<Status>,
    open: bool,
    overdue: bool,
    level: Option<Level>,
    category: Option<String>,
    department: Option<String>,
    since: Option<Time>,
    until: Option<Time>,
    customer: Option<String>,
    station: Option<String>,
}

impl Select {
    pub fn new(ctx: &Ctx, f: &Filter) -> Result<Select> {
        let cfg = &ctx.ws.config;
        let err = |flag: &'static str| move |e: anyhow::Error| anyhow::anyhow!("{flag}: {e}");
        Ok(Select {
            status: f.status,
            open: f.open,
            overdue: f.overdue,
            level: f.level.as_deref().map(|l| cfg.level("--level", l)).transpose()?,
            category: f
                .category
                .as_deref()
                .map(|c| cfg.category(c).map(|c| c.key.clone()))
                .transpose()
                .map_err(err("--category"))?,
            department: f
                .department
                .as_deref()
                .map(|d| cfg.department(d).map(|d| d.key.clone()))
                .transpose()
                .map_err(err("--department"))?,
            since: f.since.as_deref().map(|t| ctx.time("--since", t)).transpose()?,
            until: f.until.as_deref().map(|t| ctx.time("--until", t)).transpose()?,
            customer: f.customer.clone(),
            station: crate::domain::case::station_filter("--station", f.station.as_deref())?,
        })
    }

    /// Whether a case of this brief can match (lets the scan skip closed cases).
    pub fn may_match(&self, brief: &Brief) -> bool {
        brief.open || !(self.open || self.overdue || self.status.is_some_and(Status::is_open))
    }

    pub fn matches(&self, case: &Case, s: &State, now: Time) -> bool {
        let c = &case.classification;
        self.station
            .as_deref()
            .is_none_or(|st| crate::domain::case::station_of(&case.id) == st)
            && self.status.is_none_or(|x| case.status == x)
            && (!self.open || case.status.is_open())
            && self.level.is_none_or(|l| c.level == Some(l))
            && self.category.as_ref().is_none_or(|k| c.category.as_ref() == Some(k))
            && self
                .department
                .as_ref()
                .is_none_or(|k| c.department.as_ref() == Some(k))
            && self.since.is_none_or(|t| case.received_at >= t)
            && self.until.is_none_or(|t| case.received_at < t)
            && self.customer.as_ref().is_none_or(|q| {
                case.customer.name.contains(q.as_str())
                    || case.customer.contact.as_ref().is_some_and(|c| c.contains(q.as_str()))
            })
            && (!self.overdue || !rules::overdue(s, now).is_empty())
    }
}

/// Warn on stderr about files a scan could not read; the others are still shown.
pub fn warn(bad: &[(std::path::PathBuf, String)]) {
    for (_, message) in bad {
        eprintln!(
            "{}",
            crate::output::i18n::tr("skipped_file", &[("why", &crate::output::safe::terminal(message))])
        );
    }
}

/// One row of the table, and its colour.
struct Row([String; 9], Mark);

pub fn run(ctx: &Ctx, args: ListArgs) -> Result<()> {
    let cfg = &ctx.ws.config;
    let select = Select::new(ctx, &args.filter)?;
    let mut out = std::io::stdout().lock();
    if ctx.json {
        // Streamed: a JSON array of any size in bounded memory.
        let mut first = true;
        write!(out, "[").with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))?;
        let bad = ctx.ws.scan(
            |case, s| {
                let (case, s) = match ctx.as_of(case, s) {
                    Ok(up) => up,
                    Err(e) => return Some(Err(e)),
                };
                select
                    .matches(&case, &s, ctx.now)
                    .then(|| serde_json::to_string_pretty(&render::case_json(&case, &s, ctx.now)).map_err(Into::into))
            },
            |json| {
                write!(out, "{}\n{}", if first { "" } else { "," }, json?)
                    .with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))?;
                first = false;
                Ok(())
            },
        )?;
        writeln!(out, "]").with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))?;
        warn(&bad);
        return Ok(());
    }
    let mut rows = Vec::new();
    let bad = ctx.ws.scan_where(
        |brief| select.may_match(brief),
        |case, s| {
            let (case, s) = ctx.as_of(case, s).ok()?;
            if !select.matches(&case, &s, ctx.now) {
                return None;
            }
            let c = &case.classification;
            let overdue: Vec<String> = rules::overdue(&s, ctx.now)
                .into_iter()
                .map(|l| render::limit_words(cfg.lang, l))
                .collect();
            let mark = mark(&case, &s, ctx.now);
            Some(Row(
                [
                    case.id.clone(),
                    render::local(cfg, case.received_at),
                    render::word(cfg.lang, case.status.key(), case.status.label()),
                    c.level.map(|l| cfg.level_label(l)).unwrap_or("-").to_string(),
                    c.category
                        .as_deref()
                        .map(|k| cfg.label(&cfg.categories, k))
                        .unwrap_or("-")
                        .to_string(),
                    c.department
                        .as_deref()
                        .map(|k| cfg.department_label(k))
                        .unwrap_or("-")
                        .to_string(),
                    case.customer.name.clone(),
                    render::row_summary(&case, 40),
                    overdue.join(if cfg.lang == crate::output::i18n::Lang::En {
                        ","
                    } else {
                        "、"
                    }),
                ],
                mark,
            ))
        },
        |row| {
            rows.push(row);
            Ok(())
        },
    )?;
    warn(&bad);
    if rows.is_empty() {
        eprintln!("{}", crate::output::i18n::t(cfg.lang, "no_cases", &[]));
        return Ok(());
    }
    let header = [
        "id",
        "received",
        "status",
        "level",
        "category",
        "department",
        "customer",
        "summary",
        "overdue",
    ]
    .map(|h| crate::output::i18n::t(cfg.lang, &format!("h_{h}"), &[]));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    use Col::{Fixed, Text, Time as At};
    let cols = [Fixed, At, Fixed, Fixed, Text, Text, Text, Text, Text];
    let n = rows.len();
    let rows: Vec<(Vec<String>, Mark)> = rows
        .into_iter()
        .map(|Row(cells, mark)| (Vec::from(cells), mark))
        .collect();
    writeln!(out, "{}", table::render(&header, &cols, &rows, ctx.term))
        .with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))?;
    let count = crate::output::i18n::t(cfg.lang, "n_cases", &[("n", &n.to_string())]);
    writeln!(out, "{count}").with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))
}
