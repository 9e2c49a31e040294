use std::io::Write;

use anyhow::{Context, Result};
use comfy_table::Cell;
use serde::Serialize;

use crate::Ctx;
use crate::cli::DueArgs;
use crate::render;
use crate::rules;
use crate::time::{Time, human, rfc3339};

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
    let station = crate::case::station_filter("--station", args.station.as_deref())?;
    let mut items: Vec<Item> = Vec::new();
    let bad = ctx.ws.scan_where(
        |brief| brief.open,
        |case, s| {
            if station
                .as_deref()
                .is_some_and(|st| crate::case::station_of(&case.id) != st)
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
        eprintln!("nothing due within {within}");
        return Ok(());
    }
    let mut t = render::table(&[
        "due",
        "",
        "what",
        "case",
        "customer",
        "contact",
        "department",
        "summary",
    ]);
    for i in &items {
        let when = if i.overdue {
            format!("overdue {}", human(ctx.now - i.at))
        } else {
            format!("in {}", human(i.at - ctx.now))
        };
        t.add_row(vec![
            Cell::new(render::local(cfg, i.at)),
            Cell::new(when),
            Cell::new(rules_label(i.limit)),
            Cell::new(&i.case),
            Cell::new(crate::safe::cell(&i.customer)),
            Cell::new(crate::safe::cell(i.contact.as_deref().unwrap_or(""))),
            Cell::new(i.department.as_deref().map(|d| cfg.department_label(d)).unwrap_or("")),
            Cell::new(crate::safe::cell(&format!(
                "{}{}",
                if i.external { "[投訴] " } else { "" },
                render::clip(&i.summary, 20)
            ))),
        ]);
    }
    writeln!(std::io::stdout(), "{}", crate::safe::terminal(&t.to_string())).context("writing to stdout")
}

fn rules_label(key: &str) -> &'static str {
    rules::Limit::ALL
        .into_iter()
        .find(|l| l.key() == key)
        .map_or("", |l| l.label())
}
