//! `kefu calendar`: the shop's open periods day by day, as business-time limits count
//! them (SPEC §16).

use std::io::Write;

use anyhow::{Context, Result, bail};
use chrono::Datelike;
use comfy_table::Cell;
use serde::Serialize;

use crate::Ctx;
use crate::cli::CalendarArgs;
use crate::domain::time::rfc3339;
use crate::output::render;
use crate::store::CONFIG_FILE;

#[derive(Serialize)]
struct Shown {
    timezone: &'static str,
    days: Vec<Day>,
}

#[derive(Serialize)]
struct Day {
    date: String,
    weekday: String,
    kind: &'static str,
    /// Wall-clock opening hours, `09:00-18:00`.
    hours: Vec<String>,
    /// The same periods as instants.
    periods: Vec<Period>,
    open_hours: f64,
}

#[derive(Serialize)]
struct Period {
    open: String,
    close: String,
}

pub fn run(ctx: &Ctx, args: CalendarArgs) -> Result<()> {
    let cfg = &ctx.ws.config;
    let Some(calendar) = cfg.calendar.as_ref() else {
        bail!("{}", crate::output::i18n::tr("no_calendar", &[("config", CONFIG_FILE)]));
    };
    let from = match &args.from {
        Some(text) => cfg.zone.date(ctx.time("--from", text)?),
        None => cfg.zone.date(ctx.now),
    };
    let days: Vec<Day> = from
        .iter_days()
        .take(args.days as usize)
        .map(|date| {
            let periods = calendar.periods(&cfg.zone, date);
            let open: i64 = periods.iter().map(|(o, c)| (*c - *o).num_minutes()).sum();
            Day {
                date: date.to_string(),
                weekday: date.weekday().to_string().to_lowercase(),
                kind: calendar.kind(date).key(),
                hours: calendar.hours(date).iter().map(|h| h.text()).collect(),
                periods: periods
                    .iter()
                    .map(|(o, c)| Period {
                        open: rfc3339(o),
                        close: rfc3339(c),
                    })
                    .collect(),
                open_hours: open as f64 / 60.0,
            }
        })
        .collect();
    if ctx.json {
        return super::show::print_json(&Shown {
            timezone: cfg.zone.0.name(),
            days,
        });
    }
    let h = |key: &str| crate::output::i18n::t(cfg.lang, key, &[]);
    let mut t = render::table(&[&h("cal_date"), &h("cal_day"), "", &h("cal_open"), &h("cal_hours")]);
    for d in &days {
        t.add_row(vec![
            Cell::new(&d.date),
            Cell::new(h(&format!("wd_{}", d.weekday))),
            Cell::new(h(&format!("day_{}", d.kind))),
            Cell::new(d.hours.join(", ")),
            Cell::new(if d.open_hours > 0.0 {
                format!("{}h", d.open_hours)
            } else {
                String::new()
            }),
        ]);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", t).with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))?;
    writeln!(
        out,
        "{}",
        crate::output::i18n::t(cfg.lang, "cal_zone", &[("zone", cfg.zone.0.name())])
    )
    .with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))
}
