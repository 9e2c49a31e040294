use std::io::Write;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::Ctx;
use crate::cli::DueArgs;
use crate::domain::rules;
use crate::domain::time::{Time, human, rfc3339};
use crate::output::render;
use crate::output::table::{self, Col, Mark};

#[derive(Serialize)]
struct Item {
    due: String,
    overdue: bool,
    limit: &'static str,
    case: String,
    customer: String,
    contact: Option<String>,
    department: Option<String>,
    summary: String,
    external: bool,
    #[serde(skip)]
    at: Time,
}

pub fn run(ctx: &Ctx, args: DueArgs) -> Result<()> {
    let cfg = &ctx.ws.config;
    let within = cfg.span("--within", &args.within)?;
    let horizon = cfg.add(ctx.now, within);
    let station = crate::domain::case::station_filter("--station", args.station.as_deref())?;
    let mut items: Vec<Item> = Vec::new();
    let bad = ctx.ws.scan_where(
        |brief| brief.open,
        |case, s| {
            if station
                .as_deref()
                .is_some_and(|st| crate::domain::case::station_of(&case.id) != st)
            {
                return None;
            }
            let (case, s) = ctx.as_of(case, s).ok()?;
            let found: Vec<Item> = rules::deadlines(&s)
                .into_iter()
                .filter(|d| case.status.is_open() && d.done.is_none() && d.due <= horizon)
                .map(|d| Item {
                    due: rfc3339(&d.due),
                    overdue: d.due < ctx.now,
                    limit: d.limit.key(),
                    case: case.id.clone(),
                    customer: case.customer.name.clone(),
                    contact: case.customer.contact.clone(),
                    department: case.classification.department.clone(),
                    summary: case.complaint.summary.clone(),
                    external: case.external,
                    at: d.due,
                })
                .collect();
            (!found.is_empty()).then_some(found)
        },
        |found| {
            items.extend(found);
            Ok(())
        },
    )?;
    super::list::warn(&bad);
    items.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.case.cmp(&b.case)));
    if ctx.json {
        return super::show::print_json(&items);
    }
    if items.is_empty() {
        eprintln!(
            "{}",
            crate::output::i18n::t(cfg.lang, "nothing_due", &[("within", &within.to_string())])
        );
        return Ok(());
    }
    let header = [
        "due",
        "",
        "what",
        "case",
        "customer",
        "contact",
        "department",
        "summary",
    ]
    .map(|h| match h {
        "" => String::new(),
        h => crate::output::i18n::t(cfg.lang, &format!("h_{h}"), &[]),
    });
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    use Col::{Fixed, Text, Time as At};
    let cols = [At, Fixed, Text, Fixed, Text, Text, Text, Text];
    let soon = ctx.now + chrono::TimeDelta::hours(24);
    let rows: Vec<(Vec<String>, Mark)> = items
        .iter()
        .map(|i| {
            let when = if i.overdue {
                crate::output::i18n::t(cfg.lang, "overdue_for", &[("t", &human(ctx.now - i.at))])
            } else {
                crate::output::i18n::t(cfg.lang, "due_in_short", &[("t", &human(i.at - ctx.now))])
            };
            let mark = match (i.overdue, i.at <= soon) {
                (true, _) => Mark::Overdue,
                (false, true) => Mark::Soon,
                _ => Mark::Plain,
            };
            let cells = vec![
                render::local(cfg, i.at),
                when,
                rules_label(cfg.lang, i.limit),
                i.case.clone(),
                i.customer.clone(),
                i.contact.clone().unwrap_or_default(),
                i.department
                    .as_deref()
                    .map(|d| cfg.department_label(d))
                    .unwrap_or("")
                    .to_string(),
                format!(
                    "{}{}",
                    if i.external { "[投訴] " } else { "" },
                    render::clip(&i.summary, 40)
                ),
            ];
            (cells, mark)
        })
        .collect();
    writeln!(std::io::stdout(), "{}", table::render(&header, &cols, &rows, ctx.term))
        .with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))
}

fn rules_label(lang: crate::output::i18n::Lang, key: &str) -> String {
    rules::Limit::ALL
        .into_iter()
        .find(|l| l.key() == key)
        .map_or(String::new(), |l| render::limit_words(lang, l))
}
