use std::io::Write;

use anyhow::{Context, Result};
use comfy_table::Cell;

use crate::Ctx;
use crate::case::{Case, State, Status};
use crate::cli::{Filter, ListArgs};
use crate::config::Level;
use crate::render;
use crate::rules;
use crate::time::Time;

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
}

impl Select {
    pub fn new(ctx: &Ctx, f: &Filter) -> Result<Select> {
        let cfg = &ctx.ws.config;
        let err = |flag: &'static str| move |e: anyhow::Error| anyhow::anyhow!("{flag}: {e}");
        Ok(Select {
            status: f
                .status
                .as_deref()
                .map(Status::parse)
                .transpose()
                .map_err(err("--status"))?,
            open: f.open,
            overdue: f.overdue,
            level: f
                .level
                .as_deref()
                .map(|l| cfg.level(l))
                .transpose()
                .map_err(err("--level"))?,
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
        })
    }

    pub fn matches(&self, case: &Case, s: &State, now: Time) -> bool {
        let c = &case.classification;
        self.status.is_none_or(|x| case.status == x)
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

/// Every readable case that passes the filter, with its state; unreadable files are
/// reported on stderr and skipped.
pub fn select(ctx: &Ctx, filter: &Filter) -> Result<Vec<(Case, State)>> {
    let select = Select::new(ctx, filter)?;
    let loaded = ctx.ws.load_all()?;
    for (_, message) in &loaded.bad {
        eprintln!("warning: skipped {message}");
    }
    Ok(loaded
        .cases
        .into_iter()
        .filter_map(|case| {
            let s = case.state().ok()?;
            select.matches(&case, &s, ctx.now).then_some((case, s))
        })
        .collect())
}

pub fn run(ctx: &Ctx, args: ListArgs) -> Result<()> {
    let cfg = &ctx.ws.config;
    let rows = select(ctx, &args.filter)?;
    if ctx.json {
        let views: Vec<_> = rows.iter().map(|(c, s)| render::case_json(c, s, ctx.now)).collect();
        return super::show::print_json(&views);
    }
    let mut t = render::table(&[
        "id",
        "received",
        "status",
        "level",
        "category",
        "department",
        "customer",
        "summary",
        "overdue",
    ]);
    for (case, s) in &rows {
        let c = &case.classification;
        let overdue: Vec<&str> = rules::overdue(s, ctx.now).into_iter().map(|l| l.key()).collect();
        t.add_row(vec![
            Cell::new(&case.id),
            Cell::new(render::local(cfg, case.received_at)),
            Cell::new(case.status.label()),
            Cell::new(c.level.map(|l| cfg.level_label(l)).unwrap_or("-")),
            Cell::new(
                c.category
                    .as_deref()
                    .map(|k| cfg.label(&cfg.categories, k))
                    .unwrap_or("-"),
            ),
            Cell::new(c.department.as_deref().map(|k| cfg.department_label(k)).unwrap_or("-")),
            Cell::new(&case.customer.name),
            Cell::new(render::clip(&case.complaint.summary, 24)),
            Cell::new(overdue.join(",")),
        ]);
    }
    let mut out = std::io::stdout().lock();
    if rows.is_empty() {
        eprintln!("no cases match");
        return Ok(());
    }
    writeln!(out, "{t}").context("writing to stdout")?;
    writeln!(out, "{} case{}", rows.len(), if rows.len() == 1 { "" } else { "s" }).context("writing to stdout")
}
