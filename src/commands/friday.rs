//! `kefu friday`: pick the window, bring penalties up to date (recorded, or in memory
//! with `--no-sweep`), load the cases once, compute the report, render it.

use std::io::Write;

use anyhow::{Context, Result, anyhow, bail};
use chrono::{Datelike, NaiveDate, Weekday};

use crate::Ctx;
use crate::cli::FridayArgs;
use crate::domain::report::{self, Params};
use crate::domain::rules;
use crate::domain::time::{Span, Time, Zone};
use crate::output::report_view;

pub fn run(ctx: &Ctx, args: FridayArgs) -> Result<()> {
    let cfg = &ctx.ws.config;
    let (from, to) = window(ctx, &args)?;
    let station = crate::domain::case::station_filter("--station", args.station.as_deref())?;
    // A window that has not ended yet is reported as far as now.
    let as_of = to.min(ctx.now);
    if let Some(path) = args.page.html.as_deref().filter(|_| !args.page.force) {
        // Before the sweep records anything: a page that cannot be written changes nothing.
        if path.symlink_metadata().is_ok() {
            bail!("--html: {} already exists; add --force to replace it", path.display());
        }
    }
    let params = Params {
        from,
        to,
        as_of,
        transactions: args.transactions.or(cfg.transactions),
    };
    let mut swept_ok = Ok(());
    let (mut report, _) = if args.no_sweep {
        let (report, bad) = compute(ctx, &params, true, station.as_deref())?;
        super::list::warn(&bad);
        (report, bad)
    } else {
        // One pass: the sweep records what is due by now, as `kefu sweep` does, and
        // hands each of the report's cases on as it is afterwards.
        let mut acc = report::Acc::new(cfg, &params);
        let swept = super::sweep::sweep_and(
            ctx,
            |brief| report::may_matter(brief, &params),
            |case, s| {
                if station
                    .as_deref()
                    .is_none_or(|st| crate::domain::case::station_of(&case.id) == st)
                {
                    acc.add(case, s);
                }
                Ok(())
            },
        )?;
        swept_ok = swept.done();
        if swept.escalations + swept.penalties > 0 {
            eprintln!(
                "{}",
                crate::output::i18n::tr(
                    "friday_swept",
                    &[
                        ("escalations", &swept.escalations.to_string()),
                        ("penalties", &swept.penalties.to_string()),
                        ("cases", &swept.cases.to_string())
                    ]
                )
            );
        }
        let unreadable = swept
            .unreadable
            .iter()
            .map(|(path, _)| path.display().to_string())
            .collect();
        (acc.finish(cfg, unreadable), swept.unreadable)
    };
    if let Some(n) = args.weeks {
        // The same window shifted back by whole weeks, oldest first; this one last.
        for k in (1..n).rev() {
            let (from, to) = (cfg.zone.sub_days(from, 7 * k), cfg.zone.sub_days(to, 7 * k));
            let p = Params {
                from,
                to,
                as_of: to.min(ctx.now),
                transactions: params.transactions,
            };
            let (week, _) = compute(ctx, &p, args.no_sweep, station.as_deref())?;
            report.trend.push(week.trend_row(report_view::week_name(cfg, from, to)));
        }
        report
            .trend
            .push(report.trend_row(report_view::week_name(cfg, from, to)));
    }
    // With a sweep, its own count already holds the unreadable files.
    let skipped = if args.no_sweep { report.unreadable.len() } else { 0 };
    let done = swept_ok.and(match skipped {
        0 => Ok(()),
        skipped => Err(crate::PartlyDone { skipped }.into()),
    });
    if let Some(path) = &args.page.html {
        let page = report_view::page(&report, cfg);
        ctx.ws
            .write_output("--html", path, page.html().as_bytes(), args.page.force)?;
        eprintln!(
            "{}",
            crate::output::i18n::tr("report_written", &[("path", &path.display().to_string())])
        );
    }
    if ctx.json {
        super::show::print_json(&report)?;
        return done;
    }
    if args.page.html.is_some() && !args.markdown {
        return done;
    }
    let text = if args.markdown {
        report_view::markdown(&report, cfg)
    } else {
        report_view::terminal(&report, cfg, ctx.term.width)
    };
    write!(std::io::stdout(), "{}", crate::output::safe::terminal(&text))
        .with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))?;
    done
}

/// The report of one window: every case that may matter, brought up to date to the
/// window's end in memory with `no_sweep` (else as recorded by the sweep). Returns the
/// files that could not be read too.
fn compute(
    ctx: &Ctx,
    params: &Params,
    no_sweep: bool,
    station: Option<&str>,
) -> Result<(report::Report, Vec<(std::path::PathBuf, String)>)> {
    let cfg = &ctx.ws.config;
    // One pass, streamed: each case is added to the report and dropped.
    let mut acc = report::Acc::new(cfg, params);
    let bad = ctx.ws.scan_where(
        |brief| report::may_matter(brief, params),
        |mut case, s| {
            if station.is_some_and(|st| crate::domain::case::station_of(&case.id) != st) {
                return None;
            }
            let s = if no_sweep {
                // What a sweep would record by the window's end, in memory only.
                rules::bring_up_to_date(&mut case, cfg, params.as_of, ctx.by())
            } else {
                Ok(s)
            };
            Some(s.map(|s| (case, s)))
        },
        |result| {
            let (case, s) = result?;
            acc.add(&case, &s);
            Ok(())
        },
    )?;
    let unreadable = bad.iter().map(|(path, _)| path.display().to_string()).collect();
    Ok((acc.finish(cfg, unreadable), bad))
}

/// The report's window `[from, to)` from the flags; by default the previous calendar
/// week.
fn window(ctx: &Ctx, args: &FridayArgs) -> Result<(Time, Time)> {
    let zone = ctx.ws.config.zone;
    if let Some(week) = &args.week {
        return iso_week(zone, week).map_err(|e| anyhow!("--week: {e}"));
    }
    if let (Some(from), Some(to)) = (&args.from, &args.to) {
        let from = ctx.time("--from", from)?;
        let to = ctx.time("--to", to)?;
        if to <= from {
            bail!(
                "--to: {} is not after --from {} (the window ends before --to, which is excluded)",
                crate::domain::time::rfc3339(&to),
                crate::domain::time::rfc3339(&from)
            );
        }
        return Ok((from, to));
    }
    Ok(previous_week(zone, ctx.now))
}

/// Monday 00:00 to Monday 00:00 in the shop's zone, the week before the one holding `now`.
pub fn previous_week(zone: Zone, now: Time) -> (Time, Time) {
    let today = zone.date(now);
    let monday = today - chrono::Days::new(u64::from(today.weekday().num_days_from_monday()));
    let start = monday - chrono::Days::new(7);
    (zone.start_of(start), zone.start_of(monday))
}

/// An ISO week like `2026-W47` (also `2026W47`, `2026-w47`): its Monday 00:00 to the
/// next Monday 00:00 in the shop's zone.
pub fn iso_week(zone: Zone, text: &str) -> Result<(Time, Time)> {
    let expected = || {
        anyhow!(
            "{}",
            crate::output::i18n::tr("expected_week", &[("got", &format!("{text:?}"))])
        )
    };
    let upper = text.trim().to_ascii_uppercase();
    let (year, week) = upper.split_once('W').ok_or_else(expected)?;
    let year: i32 = year.strip_suffix('-').unwrap_or(year).parse().map_err(|_| expected())?;
    let week: u32 = week.parse().map_err(|_| expected())?;
    let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).ok_or_else(|| {
        anyhow!(
            "{}",
            crate::output::i18n::tr(
                "no_such_week",
                &[
                    ("year", &year.to_string()),
                    ("week", &week.to_string()),
                    ("got", &format!("{text:?}"))
                ]
            )
        )
    })?;
    let from = zone.start_of(monday);
    Ok((from, zone.add(from, Span::days(7))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone() -> Zone {
        Zone("Asia/Shanghai".parse().unwrap())
    }

    fn t(s: &str) -> Time {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn the_default_window_is_the_previous_calendar_week() {
        let w47 = (t("2026-11-16T00:00:00+08:00"), t("2026-11-23T00:00:00+08:00"));
        // Any moment of the week of 11-23 (Monday 00:00 to Sunday 23:59) gives W47.
        for now in [
            "2026-11-23T00:00:00+08:00",
            "2026-11-27T16:00:00+08:00",
            "2026-11-29T23:59:59+08:00",
        ] {
            assert_eq!(previous_week(zone(), t(now)), w47, "{now}");
        }
        // The day is the shop's: 2026-11-22T16:30Z is Monday 00:30 in Shanghai.
        assert_eq!(previous_week(zone(), t("2026-11-22T16:30:00Z")), w47);
        assert_eq!(previous_week(zone(), t("2026-11-22T23:59:59+08:00")).1, w47.0);
    }

    #[test]
    fn iso_weeks() {
        let w = iso_week(zone(), "2026-W47").unwrap();
        assert_eq!(w, (t("2026-11-16T00:00:00+08:00"), t("2026-11-23T00:00:00+08:00")));
        assert_eq!(iso_week(zone(), "2026w47").unwrap(), w);
        // ISO week 1 of 2027 starts on Monday 2027-01-04; 2026 has 53 weeks.
        assert_eq!(iso_week(zone(), "2027-W01").unwrap().0, t("2027-01-04T00:00:00+08:00"));
        assert_eq!(iso_week(zone(), "2026-W53").unwrap().0, t("2026-12-28T00:00:00+08:00"));
        for bad in ["2026-47", "W47", "2026-W", "2026-Wx", "2027-W53", "2026-W0"] {
            assert!(iso_week(zone(), bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_week_across_a_daylight_saving_change_is_seven_calendar_days() {
        let z = Zone("Europe/Berlin".parse().unwrap());
        // Summer time ends on Sunday 2026-10-25: that week has 169 hours.
        let (from, to) = iso_week(z, "2026-W43").unwrap();
        assert_eq!(
            (from, to),
            (t("2026-10-19T00:00:00+02:00"), t("2026-10-26T00:00:00+01:00"))
        );
    }
}
