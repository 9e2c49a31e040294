//! Time: the shop's clock and zone, RFC 3339 times, and the configured durations
//! (`"90m"`, `"4h"`, `"3d"`, `"1d12h"`).
//!
//! Days are calendar days in the shop's zone (the same wall-clock time N days later,
//! even across a daylight-saving change); hours and minutes are elapsed time.

use crate::output::i18n::tr;
use std::fmt;

use anyhow::{Context, Result, bail};
use chrono::{
    DateTime, Datelike, Days, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone,
};
use chrono_tz::Tz;
use serde::{Deserializer, Serializer};

/// Every stored time: an instant with the offset it was written with.
pub type Time = DateTime<FixedOffset>;

/// A configured time limit: calendar time (`"90m"`, `"4h"`, `"3d"`, `"1d12h"`), or
/// business time (`"4bh"`, `"3bd"`), which counts only the shop's open hours and is
/// measured by the `[calendar]` (see [`crate::domain::calendar`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub days: u32,
    pub minutes: u32,
    /// Business time: `days` are open days (`bd`), `minutes` open hours (`bh`, whole
    /// hours). A business span has exactly one of the two.
    pub business: bool,
}

impl Span {
    pub fn days(days: u32) -> Span {
        Span {
            days,
            minutes: 0,
            business: false,
        }
    }

    pub fn minutes(minutes: u32) -> Span {
        Span {
            days: 0,
            minutes,
            business: false,
        }
    }
}

impl std::str::FromStr for Span {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> Result<Span> {
        Span::plain(text).map_or_else(|| Span::parse_terms(text), Ok)
    }
}

impl Span {
    /// The common form, one number and one of `d`, `h`, `m` (a case's policy holds a
    /// dozen), without the allocations of [`Span::parse_terms`]; `None` for anything
    /// else, valid or not.
    fn plain(text: &str) -> Option<Span> {
        let (digits, unit) = text.split_at_checked(text.len().checked_sub(1)?)?;
        if digits.is_empty() || digits.len() > 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u32 = digits.parse().ok()?;
        let span = match unit {
            "d" => Span::days(n),
            "h" => Span::minutes(n * 60),
            "m" => Span::minutes(n),
            _ => return None,
        };
        (n > 0 && u64::from(span.days) * 1440 + u64::from(span.minutes) <= 3650 * 1440).then_some(span)
    }

    fn parse_terms(text: &str) -> Result<Span> {
        let expected = || tr("expected_duration", &[("got", &format!("{text:?}"))]);
        // Terms: a number and its unit, each unit at most once.
        let mut terms: Vec<(u32, String)> = Vec::new();
        let mut chars = text.trim().chars().peekable();
        while chars.peek().is_some() {
            let mut digits = String::new();
            while let Some(c) = chars.next_if(char::is_ascii_digit) {
                digits.push(c);
            }
            let mut unit = String::new();
            while let Some(c) = chars.next_if(|c| !c.is_ascii_digit()) {
                unit.push(c);
            }
            let n: u32 = digits.parse().map_err(|_| anyhow::anyhow!(expected()))?;
            if unit.is_empty() {
                bail!(expected());
            }
            if terms.iter().any(|(_, u)| *u == unit) {
                bail!(
                    "{}",
                    tr("unit_twice", &[("got", &format!("{text:?}")), ("unit", &unit)])
                );
            }
            terms.push((n, unit));
        }
        let business = terms.iter().any(|(_, u)| u.starts_with('b'));
        if business && terms.len() > 1 {
            bail!("{}", tr("business_mixed", &[("got", &format!("{text:?}"))]));
        }
        let mut span = Span {
            business,
            ..Span::default()
        };
        for (n, unit) in terms {
            match unit.as_str() {
                "d" | "bd" => span.days = n,
                "h" | "bh" => {
                    span.minutes = span
                        .minutes
                        .checked_add(n.checked_mul(60).context(expected())?)
                        .context(expected())?
                }
                "m" => span.minutes = span.minutes.checked_add(n).context(expected())?,
                _ => bail!(expected()),
            }
        }
        if span.days == 0 && span.minutes == 0 {
            bail!(expected());
        }
        if u64::from(span.days) * 1440 + u64::from(span.minutes) > 3650 * 1440 {
            bail!("{}", tr("duration_too_long", &[("got", &format!("{text:?}"))]));
        }
        Ok(span)
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.business {
            return match self.days {
                0 => write!(f, "{}bh", self.minutes / 60),
                d => write!(f, "{d}bd"),
            };
        }
        if self.days > 0 {
            write!(f, "{}d", self.days)?;
        }
        let (h, m) = (self.minutes / 60, self.minutes % 60);
        if h > 0 {
            write!(f, "{h}h")?;
        }
        if m > 0 {
            write!(f, "{m}m")?;
        }
        Ok(())
    }
}

/// The shop's zone, and arithmetic in it.
#[derive(Clone, Copy, Debug)]
pub struct Zone(pub Tz);

impl Zone {
    /// `time + span`: calendar days first (same local time), then elapsed minutes.
    /// Business time is not the zone's to count: a business span reaches here only
    /// through [`crate::domain::config::Config::add`], which measures it by the calendar.
    /// A local time that falls in a DST gap moves forward by the gap; an ambiguous one
    /// takes the earlier instant.
    pub fn add(&self, time: Time, span: Span) -> Time {
        // Without days there is no wall clock to keep: going through it would move a
        // time in the repeated hour of an autumn change an hour back.
        let base = if span.days == 0 {
            time
        } else {
            let local = time.with_timezone(&self.0).naive_local();
            self.resolve(local.checked_add_days(Days::new(span.days.into())).unwrap_or(local))
        };
        // Saturates at the end of time rather than panic on a hand-edited year 9999.
        self.fix(
            base.checked_add_signed(TimeDelta::minutes(span.minutes.into()))
                .unwrap_or(base),
        )
    }

    /// `time` minus whole calendar days: the same local time that many days earlier,
    /// resolved like [`Zone::add`].
    pub fn sub_days(&self, time: Time, days: u32) -> Time {
        let local = time.with_timezone(&self.0).naive_local();
        self.resolve(local.checked_sub_days(Days::new(days.into())).unwrap_or(local))
    }

    /// The shop-local date of an instant.
    pub fn date(&self, time: Time) -> NaiveDate {
        time.with_timezone(&self.0).date_naive()
    }

    /// The first instant of a shop-local date (midnight, or the end of a DST gap there).
    pub fn start_of(&self, date: NaiveDate) -> Time {
        self.resolve(date.and_time(NaiveTime::MIN))
    }

    /// The instant of a shop-local wall-clock reading: one in a DST gap moves forward by
    /// the gap, an ambiguous one takes the earlier instant.
    pub fn resolve(&self, local: NaiveDateTime) -> Time {
        match self.0.from_local_datetime(&local) {
            LocalResult::Single(t) => t.fixed_offset(),
            LocalResult::Ambiguous(early, _) => early.fixed_offset(),
            // In a spring-forward gap: the same wall-clock reading an hour later exists.
            LocalResult::None => match local.checked_add_signed(TimeDelta::hours(1)) {
                Some(later) => self.resolve(later),
                None => self.fix(local.and_utc()),
            },
        }
    }

    /// The same instant, written with the shop's offset.
    pub fn fix<T: TimeZone>(&self, time: DateTime<T>) -> Time {
        time.with_timezone(&self.0).fixed_offset()
    }

    /// Parse an absolute time: RFC 3339, or a local `YYYY-MM-DD HH:MM[:SS]` (also with
    /// `/`, or `2026年11月24日 14:00`), or a date (its midnight), read in the shop's zone.
    /// The year has four digits and the time is plausible ([`plausible`]). This is the
    /// form `--now` and `KEFU_NOW` take: the clock cannot be relative to itself.
    pub fn parse(&self, text: &str) -> Result<Time> {
        let text = text.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            return plausible(self.fix(t));
        }
        match self.local(text)? {
            Some((Some(year), date, time)) => self.at(year, date, time, text),
            Some((None, _, _)) => bail!("{}", tr("needs_year", &[("got", &format!("{text:?}"))])),
            None => bail!("{}", expected(text)),
        }
    }

    /// Parse a time as the clerk writes it (SPEC §12.4, §17.15): the absolute forms of
    /// [`Zone::parse`], a date without a year (`11/24 14:00`, `11月24日`), a day word
    /// (`今天`, `明天`, `後天`/`后天`, `昨天`, `today`, `tomorrow`, `yesterday`) with an
    /// optional `HH:MM`, or an offset from now (`+2h`, `+3d`, `-30m`). A date alone
    /// means 00:00. A date without a year is the next one from `now` when `toward` is
    /// [`Toward::Future`] (a promised call-back), else the latest one not after `now`.
    pub fn parse_at(&self, text: &str, now: Time, toward: Toward) -> Result<Time> {
        let text = text.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            return plausible(self.fix(t));
        }
        if let Some(offset) = text
            .strip_prefix('+')
            .map(|r| (1, r))
            .or(text.strip_prefix('-').map(|r| (-1, r)))
        {
            let (sign, rest) = offset;
            let span: Span = rest
                .parse()
                .map_err(|_| anyhow::anyhow!("{}", tr("expected_offset", &[("got", &format!("{text:?}"))])))?;
            if span.business {
                bail!("{}", tr("offset_business", &[("got", &format!("{text:?}"))]));
            }
            let minutes = i64::from(span.days) * 1440 + i64::from(span.minutes);
            return plausible(self.fix(now + TimeDelta::minutes(sign * minutes)));
        }
        if let Some((days, rest)) = day_word(text) {
            let date = self.date(now) + TimeDelta::days(days);
            let time = clock(rest.trim()).ok_or_else(|| anyhow::anyhow!("{}", expected(text)))?;
            return plausible(self.resolve(date.and_time(time)));
        }
        let Some((year, (month, day), time)) = self.local(text)? else {
            bail!("{}", expected(text));
        };
        if let Some(year) = year {
            return self.at(year, (month, day), time, text);
        }
        // No year: the one this side of now, looking a few years on for a 29 February.
        let this = self.date(now).year();
        let step = if toward == Toward::Future { 1 } else { -1 };
        for n in 0..8 {
            let y = this + step * n;
            let Some(t) = NaiveDate::from_ymd_opt(y, month, day).map(|d| self.resolve(d.and_time(time))) else {
                continue;
            };
            let fits = match toward {
                Toward::Future => t >= now,
                Toward::Past => t <= now,
            };
            if fits {
                return plausible(t);
            }
        }
        bail!("{}", expected(text))
    }

    /// A local reading: `(year, (month, day), time)`, the year `None` when not written;
    /// `Ok(None)` when `text` is no date at all.
    #[allow(clippy::type_complexity)]
    fn local(&self, text: &str) -> Result<Option<(Option<i32>, (u32, u32), NaiveTime)>> {
        // 2026年11月24日 14:00 and 11月24日 are the same forms with other separators.
        let normal = text.replace(['年', '月'], "-").replace('日', " ").replace('/', "-");
        let normal = normal.trim();
        let (date, rest) = match normal.find([' ', 'T']) {
            Some(i) => (&normal[..i], &normal[i + 1..]),
            None => (normal, ""),
        };
        let parts: Vec<&str> = date.split('-').collect();
        if parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
            || parts.len() < 2
        {
            return Ok(None);
        }
        let number = |p: &str| p.parse::<u32>().ok();
        let (year, month, day) = match parts[..] {
            [y, m, d] => {
                if y.len() != 4 {
                    bail!("{}", tr("year_digits", &[("got", &format!("{text:?}"))]));
                }
                (y.parse::<i32>().ok(), number(m), number(d))
            }
            [m, d] => (None, number(m), number(d)),
            _ => return Ok(None),
        };
        let (Some(month), Some(day)) = (month, day) else {
            return Ok(None);
        };
        let Some(time) = clock(rest.trim()) else {
            bail!("{}", expected(text));
        };
        Ok(Some((year, (month, day), time)))
    }

    fn at(&self, year: i32, (month, day): (u32, u32), time: NaiveTime, text: &str) -> Result<Time> {
        let date = NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| anyhow::anyhow!("{}", expected(text)))?;
        plausible(self.resolve(date.and_time(time)))
    }
}

/// Which way a date without a year lies from now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Toward {
    /// The latest one not after now: when something happened.
    Past,
    /// The next one: a call-back promised to the customer.
    Future,
}

fn expected(text: &str) -> String {
    tr("expected_time", &[("got", &format!("{text:?}"))])
}

/// A day word and what follows it: days from today.
fn day_word(text: &str) -> Option<(i64, &str)> {
    const WORDS: [(&str, i64); 11] = [
        ("今天", 0),
        ("明天", 1),
        ("後天", 2),
        ("后天", 2),
        ("昨天", -1),
        ("today", 0),
        ("tomorrow", 1),
        ("yesterday", -1),
        ("今日", 0),
        ("明日", 1),
        ("昨日", -1),
    ];
    let lower = text.to_ascii_lowercase();
    WORDS
        .iter()
        .find_map(|(word, days)| lower.starts_with(word).then(|| (*days, &text[word.len()..])))
}

/// `HH:MM[:SS]`, or nothing (00:00).
fn clock(text: &str) -> Option<NaiveTime> {
    if text.is_empty() {
        return Some(NaiveTime::MIN);
    }
    ["%H:%M:%S", "%H:%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(text, f).ok())
}

/// Every time kefu takes in — from a flag, `KEFU_NOW`, a file or an import — lies in
/// the years 1970–2199 and is no leap second (SPEC §9.7): beyond that a typo (`26` for
/// `2026`) would make deadlines centuries away or in antiquity.
pub fn plausible(t: Time) -> Result<Time> {
    use chrono::{Datelike, Timelike};
    if !(1970..=2199).contains(&t.year()) {
        bail!("{}", tr("year_range", &[("t", &rfc3339(&t))]));
    }
    if t.nanosecond() >= 1_000_000_000 {
        bail!("{}", tr("leap_second", &[("t", &rfc3339(&t))]));
    }
    Ok(t)
}

/// RFC 3339 with seconds, as every case file writes it.
pub fn rfc3339(time: &Time) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// [`rfc3339`] into `buf` without allocating, for the times kefu keeps (a four-digit
/// year, an offset of whole minutes); `None` for any other, which [`rfc3339`] writes.
fn rfc3339_in<'b>(time: &Time, buf: &'b mut [u8; 25]) -> Option<&'b str> {
    use chrono::{Datelike, Timelike};
    let offset = time.offset().local_minus_utc();
    if !(0..=9999).contains(&time.year()) || offset % 60 != 0 || time.nanosecond() >= 1_000_000_000 {
        return None;
    }
    let minutes = offset.unsigned_abs() / 60;
    let fields = [
        (0, 4, time.year() as u32),
        (5, 2, time.month()),
        (8, 2, time.day()),
        (11, 2, time.hour()),
        (14, 2, time.minute()),
        (17, 2, time.second()),
        (20, 2, minutes / 60),
        (23, 2, minutes % 60),
    ];
    *buf = *b"0000-00-00T00:00:00+00:00";
    if offset < 0 {
        buf[19] = b'-';
    }
    for (at, width, mut n) in fields {
        for i in (at..at + width).rev() {
            buf[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    }
    std::str::from_utf8(buf).ok()
}

/// How long, for people: `3d 4h`, `25m`.
pub fn human(delta: TimeDelta) -> String {
    let minutes = delta.num_minutes().abs();
    let (d, h, m) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (d, h) {
        (0, 0) => format!("{m}m"),
        (0, _) => format!("{h}h {m:02}m"),
        _ => format!("{d}d {h}h"),
    }
}

/// serde for stored times: RFC 3339 strings with seconds.
pub mod serde_time {
    use super::*;

    pub fn serialize<S: Serializer>(time: &Time, s: S) -> Result<S::Ok, S::Error> {
        match rfc3339_in(time, &mut [0; 25]) {
            Some(text) => s.serialize_str(text),
            None => s.serialize_str(&rfc3339(time)),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
        d.deserialize_str(Text)
    }

    /// The time from a string, read where it lies (every case holds a dozen).
    struct Text;

    impl serde::de::Visitor<'_> for Text {
        type Value = Time;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Time, E> {
            let t = DateTime::parse_from_rfc3339(text).map_err(|e| {
                E::custom(format!(
                    "bad time {text:?} ({e}): expected RFC 3339 like \"2026-11-23T10:15:00+08:00\""
                ))
            })?;
            plausible(t).map_err(E::custom)
        }
    }
}

/// serde for optional stored times.
pub mod serde_opt_time {
    use super::*;

    pub fn serialize<S: Serializer>(time: &Option<Time>, s: S) -> Result<S::Ok, S::Error> {
        match time {
            Some(t) => match rfc3339_in(t, &mut [0; 25]) {
                Some(text) => s.serialize_some(text),
                None => s.serialize_some(&rfc3339(t)),
            },
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Time>, D::Error> {
        super::serde_time::deserialize(d).map(Some)
    }
}

/// The system's IANA zone, else UTC.
pub fn system_zone() -> Tz {
    if let Some(tz) = std::env::var("TZ")
        .ok()
        .and_then(|name| name.trim_start_matches(':').parse().ok())
    {
        return tz;
    }
    iana_time_zone::get_timezone()
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(Tz::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_spans_read_quickly_as_the_full_parser_reads_them() {
        for text in [
            "90m", "4h", "3d", "1d12h", "4bh", "3bd", "0h", "0d", "04h", "99999h", "3650d", "3651d", "87600h",
            "87601h", "h", "4", " 4h", "4h ", "4H", "４h", "-4h", "4hh", "1m", "525600m", "5256001m",
        ] {
            if let Some(span) = Span::plain(text) {
                assert_eq!(Some(span), Span::parse_terms(text).ok(), "{text}");
            }
        }
        assert_eq!(Span::plain("4h"), Some(Span::minutes(240)));
        assert_eq!(Span::plain("3d"), Some(Span::days(3)));
    }

    #[test]
    fn times_are_written_without_allocating_exactly_as_chrono_writes_them() {
        use chrono::TimeZone;
        for offset in [
            0,
            8 * 3600,
            -5 * 3600 - 30 * 60,
            5 * 3600 + 45 * 60,
            14 * 3600,
            -12 * 3600,
        ] {
            let zone = FixedOffset::east_opt(offset).unwrap();
            for (y, mo, d, h, mi, s) in [
                (2026, 11, 23, 10, 15, 0),
                (1970, 1, 1, 0, 0, 0),
                (2199, 12, 31, 23, 59, 59),
                (2024, 2, 29, 9, 5, 7),
            ] {
                let t = zone.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap();
                let t = t + chrono::TimeDelta::nanoseconds(123_456_789);
                assert_eq!(rfc3339_in(&t, &mut [0; 25]), Some(rfc3339(&t).as_str()));
            }
        }
        let odd = FixedOffset::east_opt(8 * 3600 + 5 * 60 + 43).unwrap();
        let t = odd.with_ymd_and_hms(2026, 11, 23, 10, 15, 0).unwrap();
        assert_eq!(rfc3339_in(&t, &mut [0; 25]), None);
    }

    fn t(s: &str) -> Time {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn spans_parse_and_print() {
        let s: Span = "1d12h".parse().unwrap();
        assert_eq!(
            s,
            Span {
                days: 1,
                minutes: 720,
                business: false
            }
        );
        assert_eq!(s.to_string(), "1d12h");
        assert_eq!("90m".parse::<Span>().unwrap().minutes, 90);
        for (text, days, minutes) in [("4bh", 0, 240), ("3bd", 3, 0)] {
            let s: Span = text.parse().unwrap();
            assert_eq!((s.days, s.minutes, s.business), (days, minutes, true), "{text}");
            assert_eq!(s.to_string(), text);
        }
        for bad in [
            "", "4", "h", "4x", "-1h", "0h", "1.5h", "4h3", "4h4h", "1d2bh", "1bd2bh", "2bh30m", "0bh", "4bm", "bh",
            "4b", "4 bh",
        ] {
            assert!(bad.parse::<Span>().is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn hours_and_days_in_a_fixed_zone() {
        let z = Zone("Asia/Shanghai".parse().unwrap());
        let r = t("2026-11-23T10:15:00+08:00");
        assert_eq!(z.add(r, "4h".parse().unwrap()), t("2026-11-23T14:15:00+08:00"));
        assert_eq!(z.add(r, "3d".parse().unwrap()), t("2026-11-26T10:15:00+08:00"));
        assert_eq!(z.add(r, "1d12h".parse().unwrap()), t("2026-11-24T22:15:00+08:00"));
    }

    #[test]
    fn days_keep_the_wall_clock_across_daylight_saving() {
        let z = Zone("Europe/Berlin".parse().unwrap());
        // Summer time ends on 2026-10-25 at 03:00 CEST → 02:00 CET.
        let r = t("2026-10-24T09:00:00+02:00");
        assert_eq!(z.add(r, "3d".parse().unwrap()), t("2026-10-27T09:00:00+01:00"));
        // 24 elapsed hours are not a calendar day across the change.
        assert_eq!(z.add(r, "24h".parse().unwrap()), t("2026-10-25T08:00:00+01:00"));
        // Summer time starts on 2026-03-29 at 02:00 → 03:00: 02:30 does not exist.
        let r = t("2026-03-28T02:30:00+01:00");
        assert_eq!(z.add(r, "1d".parse().unwrap()), t("2026-03-29T03:30:00+02:00"));
    }

    /// Times from a hand-edited file can be at the end of the calendar; arithmetic on
    /// them must not panic.
    #[test]
    fn arithmetic_at_the_end_of_time_does_not_panic() {
        let z = Zone("Asia/Shanghai".parse().unwrap());
        let r = t("9999-12-31T23:00:00+08:00");
        for span in ["4h", "3d", "1d12h"] {
            assert!(z.add(r, span.parse().unwrap()) >= r);
        }
    }

    /// Found by the property `deadlines_never_precede_receipt`: a case received at
    /// 01:30 EST, in the hour New York repeats, got a handoff deadline 30 minutes before
    /// its receipt, and could not be classified.
    #[test]
    fn minutes_from_the_repeated_hour_are_elapsed_minutes() {
        let z = Zone("America/New_York".parse().unwrap());
        let r = t("2026-11-01T01:30:00-05:00");
        assert_eq!(z.add(r, "30m".parse().unwrap()), t("2026-11-01T02:00:00-05:00"));
        assert_eq!(z.add(r, "4h".parse().unwrap()), t("2026-11-01T05:30:00-05:00"));
        // Days keep the wall clock: the next day's 01:30 is not repeated.
        assert_eq!(z.add(r, "1d".parse().unwrap()), t("2026-11-02T01:30:00-05:00"));
        let first = t("2026-11-01T01:30:00-04:00");
        assert_eq!(z.add(first, "30m".parse().unwrap()), t("2026-11-01T01:00:00-05:00"));
    }

    #[test]
    fn days_back_and_midnights_in_the_shop_zone() {
        let z = Zone("Europe/Berlin".parse().unwrap());
        let to = t("2026-11-02T00:00:00+01:00");
        // 30 calendar days back crosses the end of summer time: the same wall clock.
        assert_eq!(z.sub_days(to, 30), t("2026-10-03T00:00:00+02:00"));
        let d = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap();
        assert_eq!(z.start_of(d), t("2026-10-25T00:00:00+02:00"));
        assert_eq!(z.date(t("2026-10-24T23:30:00Z")), d);
    }

    #[test]
    fn user_times_are_read_in_the_shop_zone() {
        let z = Zone("Asia/Shanghai".parse().unwrap());
        assert_eq!(z.parse("2026-11-23 10:15").unwrap(), t("2026-11-23T10:15:00+08:00"));
        assert_eq!(
            z.parse("2026-11-23T02:15:00Z").unwrap().to_rfc3339(),
            "2026-11-23T10:15:00+08:00"
        );
        assert!(z.parse("23/11/2026").is_err());
        assert!(z.parse("明天").is_err(), "the absolute form takes no day word");
        assert!(z.parse("11/24").is_err(), "nor a date without its year");
    }

    /// Every form of SPEC §12.4, read at a fixed now (Tuesday 2026-11-24 10:00 +08:00).
    #[test]
    fn the_clerks_time_forms() {
        let z = Zone("Asia/Shanghai".parse().unwrap());
        let now = t("2026-11-24T10:00:00+08:00");
        let past = |s: &str| z.parse_at(s, now, Toward::Past).map(|t| rfc3339(&t));
        let ahead = |s: &str| z.parse_at(s, now, Toward::Future).map(|t| rfc3339(&t));
        for (text, want) in [
            ("2026-11-24 14:00", "2026-11-24T14:00:00+08:00"),
            ("2026/11/24 14:00", "2026-11-24T14:00:00+08:00"),
            ("2026/11/24", "2026-11-24T00:00:00+08:00"),
            ("2026年11月24日 14:00", "2026-11-24T14:00:00+08:00"),
            ("2026年11月24日", "2026-11-24T00:00:00+08:00"),
            ("11/23 14:00", "2026-11-23T14:00:00+08:00"),
            // Without a year, the latest one not after now...
            ("11/25", "2025-11-25T00:00:00+08:00"),
            ("12月26日", "2025-12-26T00:00:00+08:00"),
            ("今天", "2026-11-24T00:00:00+08:00"),
            ("今天 9:30", "2026-11-24T09:30:00+08:00"),
            ("明天 14:00", "2026-11-25T14:00:00+08:00"),
            ("明天14:00", "2026-11-25T14:00:00+08:00"),
            ("後天 9:00", "2026-11-26T09:00:00+08:00"),
            ("后天", "2026-11-26T00:00:00+08:00"),
            ("昨天 18:00", "2026-11-23T18:00:00+08:00"),
            ("today 8:00", "2026-11-24T08:00:00+08:00"),
            ("Tomorrow", "2026-11-25T00:00:00+08:00"),
            ("yesterday 23:59", "2026-11-23T23:59:00+08:00"),
            ("+2h", "2026-11-24T12:00:00+08:00"),
            ("+3d", "2026-11-27T10:00:00+08:00"),
            ("-30m", "2026-11-24T09:30:00+08:00"),
            ("2026-11-24T14:00:00Z", "2026-11-24T22:00:00+08:00"),
        ] {
            assert_eq!(past(text).unwrap(), want, "{text}");
        }
        // ... and for a promise, the next one.
        assert_eq!(ahead("11/23 14:00").unwrap(), "2027-11-23T14:00:00+08:00");
        assert_eq!(ahead("12/26").unwrap(), "2026-12-26T00:00:00+08:00");
        assert_eq!(ahead("2月29日").unwrap(), "2028-02-29T00:00:00+08:00");
        for bad in [
            "26-11-20",
            "26/11/20",
            "next week",
            "明天 25:00",
            "13/40",
            "+2x",
            "+4bh",
            "2026-02-30",
        ] {
            assert!(past(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(past("26/11/20").unwrap_err().to_string().contains("four digits"));
    }
}
