//! Business hours and holidays (SPEC §16, §17.16): when the shop is open, and time
//! limits counted in open time only (`"4bh"`, `"3bd"`).
//!
//! Opening hours are wall-clock readings in the shop's zone, per weekday; holidays
//! close a day, make-up working days (調休) open one with Monday's hours. Every period
//! is half-open, [open, close): at closing time the shop is closed, but a sum of open
//! time that ends exactly at closing is due at closing. Open time is elapsed time, so
//! on a daylight-saving day a 09:00–18:00 day lasts what the clock says it lasts.
//!
//! Pure: the calendar is read from the config's `[calendar]` table and answers
//! questions about instants; nothing here reads a clock or a file.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::ops::Range;

use anyhow::{Result, bail};
use chrono::{Datelike, Days, NaiveDate, NaiveTime, TimeDelta, Timelike, Weekday};
use toml::Spanned;

use crate::domain::time::{Span, Time, Zone};
use crate::output::i18n::tr;

/// An open period of a day, in minutes after local midnight: [open, close), close ≤ 1440.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hours {
    pub open: u32,
    pub close: u32,
}

impl Hours {
    /// `09:00-18:00`.
    pub fn text(self) -> String {
        format!("{}-{}", clock(self.open), clock(self.close))
    }
}

fn clock(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// What a date is in the calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayKind {
    /// A weekday with opening hours.
    Open,
    /// A weekday without opening hours.
    Closed,
    /// Listed in `holidays`.
    Holiday,
    /// Listed in `workdays` (調休): open with Monday's hours.
    Workday,
}

impl DayKind {
    pub fn key(self) -> &'static str {
        match self {
            DayKind::Open => "open",
            DayKind::Closed => "closed",
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }
}

/// The shop's opening hours, holidays and make-up working days.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    /// Opening hours by weekday, Monday first; sorted, not overlapping, not touching.
    week: [Vec<Hours>; 7],
    holidays: BTreeSet<NaiveDate>,
    workdays: BTreeSet<NaiveDate>,
}

/// How far a search for open time may walk before giving up. The config refuses a
/// calendar with no open day in 366 days, and durations are at most 3650 days, so this
/// is reached only by absurd limits (a year of `bh` with an hour open a week); the
/// result then saturates at the last day reached instead of looping for ever.
const WALK_DAYS: u64 = 3650 * 8;

/// The entries of a `[calendar]` table as the config file wrote them.
pub type RawCalendar = BTreeMap<String, Spanned<toml::Value>>;

impl Calendar {
    /// Read and validate a `[calendar]` table. `at` turns a byte span of the config
    /// file into `path:line`; `table` is the span of the whole table. Errors name the
    /// key: `config/kefu.toml:41: calendar.sat: …`.
    pub fn parse(raw: &RawCalendar, table: Range<usize>, at: &dyn Fn(Range<usize>) -> String) -> Result<Calendar> {
        let mut cal = Calendar::default();
        // Which key named each weekday, to say where it was named first.
        let mut named: [Option<&str>; 7] = [None; 7];
        for (key, value) in raw {
            let here = at(value.span());
            match key.as_str() {
                "holidays" => cal.holidays = dates(key, value, &here)?,
                "workdays" => cal.workdays = dates(key, value, &here)?,
                _ => {
                    let days = weekdays(key)
                        .ok_or_else(|| anyhow::anyhow!("{here}: calendar.{key}: {}", tr("cal_unknown_key", &[])))?;
                    let toml::Value::String(text) = value.get_ref() else {
                        bail!("{here}: calendar.{key}: {}", tr("cal_hours_or_closed", &[]));
                    };
                    let hours = day_hours(text).map_err(|e| anyhow::anyhow!("{here}: calendar.{key}: {e}"))?;
                    for day in days {
                        let i = day.num_days_from_monday() as usize;
                        if let Some(first) = named[i] {
                            bail!(
                                "{here}: calendar.{key}: {}",
                                tr("cal_day_twice", &[("day", short(day)), ("first", first)])
                            );
                        }
                        named[i] = Some(key);
                        cal.week[i] = hours.clone();
                    }
                }
            }
        }
        if let Some(both) = cal.holidays.intersection(&cal.workdays).next() {
            let here = raw.get("workdays").map_or_else(|| at(table.clone()), |v| at(v.span()));
            bail!(
                "{here}: calendar.workdays: {}",
                tr("cal_both", &[("date", &both.to_string())])
            );
        }
        if !cal.workdays.is_empty() && cal.week[0].is_empty() {
            let here = raw.get("workdays").map_or_else(|| at(table.clone()), |v| at(v.span()));
            bail!("{here}: calendar.workdays: {}", tr("cal_makeup_no_mon", &[]));
        }
        if cal.week.iter().all(Vec::is_empty) {
            // Only make-up days could be open: every day after the last one is closed.
            bail!("{}: calendar: {}", at(table), tr("cal_never_open", &[]));
        }
        if let Some(from) = cal.closed_stretch() {
            bail!(
                "{}: calendar: {}",
                at(table),
                tr("cal_closed_stretch", &[("from", &from.to_string())])
            );
        }
        Ok(cal)
    }

    /// The first day of a stretch of 366 or more days without an open day, if any, in
    /// a calendar with at least one open weekday.
    fn closed_stretch(&self) -> Option<NaiveDate> {
        // With an open weekday, only holidays make long closed stretches: walk each run
        // of closed days that holds a holiday, from a day or so before it.
        for &h in &self.holidays {
            if h.pred_opt().is_some_and(|p| self.holidays.contains(&p)) {
                continue;
            }
            let mut start = h;
            while let Some(p) = start.pred_opt().filter(|p| !self.is_open(*p)) {
                start = p;
            }
            let mut day = start;
            let mut closed = 0;
            while !self.is_open(day) {
                closed += 1;
                if closed >= 366 {
                    return Some(start);
                }
                match day.succ_opt() {
                    Some(next) => day = next,
                    None => break,
                }
            }
        }
        None
    }

    /// What a date is.
    pub fn kind(&self, date: NaiveDate) -> DayKind {
        if self.holidays.contains(&date) {
            DayKind::Holiday
        } else if self.workdays.contains(&date) {
            DayKind::Workday
        } else if self.week[date.weekday().num_days_from_monday() as usize].is_empty() {
            DayKind::Closed
        } else {
            DayKind::Open
        }
    }

    /// The opening hours of a date, in wall-clock minutes.
    pub fn hours(&self, date: NaiveDate) -> &[Hours] {
        match self.kind(date) {
            DayKind::Holiday => &[],
            DayKind::Workday => &self.week[0],
            _ => &self.week[date.weekday().num_days_from_monday() as usize],
        }
    }

    pub fn is_open(&self, date: NaiveDate) -> bool {
        !self.hours(date).is_empty()
    }

    /// The open periods of a date as instants in the shop's zone. A period that the
    /// clock change of a daylight-saving night swallows is left out.
    pub fn periods(&self, zone: &Zone, date: NaiveDate) -> Vec<(Time, Time)> {
        self.hours(date)
            .iter()
            .map(|h| (local(zone, date, h.open), local(zone, date, h.close)))
            .filter(|(open, close)| open < close)
            .collect()
    }

    /// `start + span` counting open time only. `N bh` adds N hours of open time; `N bd`
    /// is the same clock time N open days later, or that day's closing when it closes
    /// earlier (its opening when it opens later). Either starts at the next opening
    /// when `start` is outside opening hours. Calendar spans are not counted here.
    pub fn add(&self, zone: &Zone, start: Time, span: Span) -> Time {
        if span.days > 0 {
            self.add_days(zone, start, span.days)
        } else {
            self.add_open(zone, start, TimeDelta::minutes(span.minutes.into()))
        }
    }

    /// `start` plus `amount` of open time. A sum that ends exactly at a closing is due
    /// at that closing, not at the next opening.
    pub fn add_open(&self, zone: &Zone, start: Time, amount: TimeDelta) -> Time {
        let mut left = amount;
        let mut last = start;
        for date in days_from(zone.date(start)) {
            for (open, close) in self.periods(zone, date) {
                if close <= start {
                    continue;
                }
                let from = open.max(start);
                let available = close - from;
                if left <= available {
                    return zone.fix(from + left);
                }
                left -= available;
                last = close;
            }
        }
        last
    }

    /// The first open instant at or after `t` (`t` itself when the shop is open then).
    pub fn next_open(&self, zone: &Zone, t: Time) -> Time {
        for date in days_from(zone.date(t)) {
            for (open, close) in self.periods(zone, date) {
                if close > t {
                    return open.max(t);
                }
            }
        }
        t
    }

    /// The same clock time `n` open days after the first open instant at or after
    /// `start`, held within that day's opening hours.
    pub fn add_days(&self, zone: &Zone, start: Time, n: u32) -> Time {
        let begin = self.next_open(zone, start);
        let local = begin.with_timezone(&zone.0).naive_local();
        let wall = local.time();
        let mut left = n;
        let mut date = local.date();
        for day in days_from(local.date()).skip(1) {
            if left == 0 {
                break;
            }
            date = day;
            if self.is_open(day) {
                left -= 1;
            }
        }
        let hours = self.hours(date);
        let minute = wall.hour() * 60 + wall.minute();
        // Inside a period: the same wall clock. Else the latest closing before it, or the
        // first opening when the day opens after it.
        let at = match hours.iter().find(|h| h.open <= minute && minute < h.close) {
            Some(_) => date.and_time(wall),
            None => match hours.iter().rev().find(|h| h.close <= minute) {
                Some(h) => local_naive(date, h.close),
                None => local_naive(date, hours.first().map_or(minute, |h| h.open)),
            },
        };
        zone.resolve(at)
    }

    /// Open time between two instants (zero when `to` is not after `from`).
    pub fn open_between(&self, zone: &Zone, from: Time, to: Time) -> TimeDelta {
        let mut total = TimeDelta::zero();
        if to <= from {
            return total;
        }
        let last = zone.date(to);
        for date in days_from(zone.date(from)) {
            if date > last {
                break;
            }
            for (open, close) in self.periods(zone, date) {
                let (a, b) = (open.max(from), close.min(to));
                if a < b {
                    total += b - a;
                }
            }
        }
        total
    }

    /// A short digest of the calendar and the zone it is read in: deadlines record it,
    /// so `check` can tell which were set under another calendar.
    pub fn tag(&self, zone: &Zone) -> String {
        let mut text = format!("{}|", zone.0.name());
        for day in &self.week {
            let ranges: Vec<String> = day.iter().map(|h| h.text()).collect();
            let _ = write!(text, "{};", ranges.join(","));
        }
        for (name, set) in [("h", &self.holidays), ("w", &self.workdays)] {
            let _ = write!(text, "|{name}");
            for d in set {
                let _ = write!(text, ",{d}");
            }
        }
        format!("{:08x}", crc32fast::hash(text.as_bytes()))
    }
}

/// Every date from `first` on, for at most [`WALK_DAYS`].
fn days_from(first: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    first.iter_days().take(WALK_DAYS as usize)
}

fn local_naive(date: NaiveDate, minutes: u32) -> chrono::NaiveDateTime {
    // 24:00 is the next day's midnight.
    let day = date
        .checked_add_days(Days::new(u64::from(minutes / 1440)))
        .unwrap_or(date);
    let m = minutes % 1440;
    day.and_time(NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap_or_default())
}

fn local(zone: &Zone, date: NaiveDate, minutes: u32) -> Time {
    zone.resolve(local_naive(date, minutes))
}

fn short(day: Weekday) -> &'static str {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][day.num_days_from_monday() as usize]
}

/// `mon`, `monday`, or a range `mon-fri` (which may wrap, `sat-mon`).
fn weekdays(key: &str) -> Option<Vec<Weekday>> {
    let day = |s: &str| s.trim().parse::<Weekday>().ok();
    match key.split_once('-') {
        None => Some(vec![day(key)?]),
        Some((a, b)) => {
            let (mut d, last) = (day(a)?, day(b)?);
            let mut all = vec![d];
            while d != last {
                d = d.succ();
                all.push(d);
            }
            Some(all)
        }
    }
}

/// `"09:00-12:00,13:00-18:00"`, or `"closed"` / `""` for no hours.
fn day_hours(text: &str) -> Result<Vec<Hours>> {
    let text = text.trim();
    if text.is_empty() || text == "closed" {
        return Ok(Vec::new());
    }
    let mut hours = Vec::new();
    for part in text.split(',') {
        let part = part.trim();
        let bad = || anyhow::anyhow!("{}", tr("cal_bad_hours", &[("got", &format!("{part:?}"))]));
        let (a, b) = part.split_once('-').ok_or_else(bad)?;
        let (open, close) = (minute_of(a).ok_or_else(bad)?, minute_of(b).ok_or_else(bad)?);
        if open >= close {
            bail!("{}", tr("cal_closes_first", &[("got", &format!("{part:?}"))]));
        }
        hours.push(Hours { open, close });
    }
    hours.sort_by_key(|h| h.open);
    let mut merged: Vec<Hours> = Vec::new();
    for h in hours {
        match merged.last_mut() {
            Some(prev) if h.open < prev.close => {
                bail!("{}", tr("cal_overlap", &[("a", &h.text()), ("b", &prev.text())]));
            }
            // Touching periods are one period: [09:00, 12:00) and [12:00, 18:00).
            Some(prev) if h.open == prev.close => prev.close = h.close,
            _ => merged.push(h),
        }
    }
    Ok(merged)
}

/// `HH:MM`, 00:00 to 24:00.
fn minute_of(text: &str) -> Option<u32> {
    let (h, m) = text.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    let minutes = h * 60 + m;
    (m < 60 && minutes <= 1440).then_some(minutes)
}

/// A list of dates: TOML dates (`2027-02-17`) or strings (`"2027-02-17"`).
fn dates(key: &str, value: &Spanned<toml::Value>, here: &str) -> Result<BTreeSet<NaiveDate>> {
    let toml::Value::Array(items) = value.get_ref() else {
        bail!("{here}: calendar.{key}: {}", tr("cal_date_list", &[]));
    };
    let mut out = BTreeSet::new();
    for item in items {
        let text = match item {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
            other => bail!(
                "{here}: calendar.{key}: {}",
                tr("cal_bad_date", &[("got", &other.to_string())])
            ),
        };
        let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .ok()
            .filter(|d| text.trim().len() == 10 && (1970..=2199).contains(&d.year()))
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "{here}: calendar.{key}: {}",
                    tr("cal_bad_date", &[("got", &format!("{text:?}"))])
                )
            })?;
        out.insert(date);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
