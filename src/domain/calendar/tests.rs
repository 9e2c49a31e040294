use chrono::DateTime;
use proptest::prelude::*;

use super::*;

fn t(s: &str) -> Time {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn span(s: &str) -> Span {
    s.parse().unwrap()
}

#[derive(serde::Deserialize)]
struct File {
    calendar: Spanned<RawCalendar>,
}

fn parse(body: &str) -> Result<Calendar> {
    let text = format!("[calendar]\n{body}");
    let file: File = toml::from_str(&text)?;
    let at = |r: Range<usize>| format!("kefu.toml:{}", crate::domain::parse::line_of(&text, r.start));
    Calendar::parse(file.calendar.get_ref(), file.calendar.span(), &at)
}

fn cal(body: &str) -> Calendar {
    parse(body).unwrap()
}

fn shanghai() -> Zone {
    Zone("Asia/Shanghai".parse().unwrap())
}

const OFFICE: &str = "mon-fri = \"09:00-18:00\"\n";

/// SPEC §16: open mon–fri 09:00–18:00, received Friday 2026-11-27 16:00.
#[test]
fn the_worked_example() {
    let (c, z) = (cal(OFFICE), shanghai());
    let received = t("2026-11-27T16:00:00+08:00");
    // Friday 16:00–18:00 is 2 hours, Monday 09:00–11:00 the other 2.
    assert_eq!(c.add(&z, received, span("4bh")), t("2026-11-30T11:00:00+08:00"));
    // Monday, Tuesday, Wednesday are the three open days after Friday.
    assert_eq!(c.add(&z, received, span("3bd")), t("2026-12-02T16:00:00+08:00"));
}

#[test]
fn a_sum_ending_at_closing_is_due_at_closing() {
    let (c, z) = (cal(OFFICE), shanghai());
    assert_eq!(
        c.add(&z, t("2026-11-27T16:00:00+08:00"), span("2bh")),
        t("2026-11-27T18:00:00+08:00")
    );
    // At closing the shop is closed: a clock started then starts on Monday.
    assert_eq!(
        c.add(&z, t("2026-11-27T18:00:00+08:00"), span("1bh")),
        t("2026-11-30T10:00:00+08:00")
    );
}

#[test]
fn a_clock_started_while_closed_starts_at_the_next_opening() {
    let (c, z) = (cal(OFFICE), shanghai());
    let friday_night = t("2026-11-27T20:50:00+08:00");
    assert_eq!(c.next_open(&z, friday_night), t("2026-11-30T09:00:00+08:00"));
    assert_eq!(c.add(&z, friday_night, span("1bh")), t("2026-11-30T10:00:00+08:00"));
    assert_eq!(c.add(&z, friday_night, span("1bd")), t("2026-12-01T09:00:00+08:00"));
    let early = t("2026-11-30T07:00:00+08:00");
    assert_eq!(c.add(&z, early, span("4bh")), t("2026-11-30T13:00:00+08:00"));
}

#[test]
fn several_periods_a_day() {
    let (c, z) = (cal("mon-fri = \"09:00-12:00,13:00-18:00\"\n"), shanghai());
    let monday = |hm: &str| t(&format!("2026-11-30T{hm}:00+08:00"));
    assert_eq!(c.add(&z, monday("11:00"), span("2bh")), monday("14:00"));
    assert_eq!(c.add(&z, monday("09:00"), span("3bh")), monday("12:00"));
    assert_eq!(c.add(&z, monday("12:30"), span("1bh")), monday("14:00"));
    // A day later at 12:30 would be in the lunch break: the morning's closing.
    let lunch_start = c.add(&z, monday("11:30"), span("1bd"));
    assert_eq!(lunch_start, t("2026-12-01T11:30:00+08:00"));
    assert_eq!(
        c.open_between(&z, monday("08:00"), monday("20:00")),
        TimeDelta::hours(8)
    );
}

#[test]
fn a_day_that_closes_earlier_is_due_at_its_closing() {
    let (c, z) = (cal("mon-fri = \"09:00-18:00\"\nsat = \"09:00-12:00\"\n"), shanghai());
    let friday = t("2026-11-27T16:00:00+08:00");
    assert_eq!(c.add(&z, friday, span("1bd")), t("2026-11-28T12:00:00+08:00"));
    assert_eq!(c.add(&z, friday, span("2bd")), t("2026-11-30T16:00:00+08:00"));
    // Saturday 10:00 plus a day: Monday opens earlier, so the same clock.
    assert_eq!(
        c.add(&z, t("2026-11-28T10:00:00+08:00"), span("1bd")),
        t("2026-11-30T10:00:00+08:00")
    );
    // A day that opens later than the clock: its opening.
    let c = cal("mon-fri = \"08:00-18:00\"\nsat = \"10:00-12:00\"\n");
    assert_eq!(
        c.add(&z, t("2026-11-27T08:30:00+08:00"), span("1bd")),
        t("2026-11-28T10:00:00+08:00")
    );
}

/// Spring Festival 2027 as a week of holidays, and the make-up Saturday after it.
const SPRING: &str = "mon-fri = \"09:00-18:00\"
holidays = [2027-02-08, 2027-02-09, 2027-02-10, \"2027-02-11\", \"2027-02-12\"]
workdays = [2027-02-20]
";

#[test]
fn across_a_holiday_week() {
    let (c, z) = (cal(SPRING), shanghai());
    let friday = t("2027-02-05T16:00:00+08:00");
    // Friday 2 hours; the holiday week and its weekends are closed; Monday the 15th 2 more.
    assert_eq!(c.add(&z, friday, span("4bh")), t("2027-02-15T11:00:00+08:00"));
    assert_eq!(c.add(&z, friday, span("3bd")), t("2027-02-17T16:00:00+08:00"));
    assert_eq!(
        c.open_between(&z, friday, t("2027-02-15T11:00:00+08:00")),
        TimeDelta::hours(4)
    );
    assert_eq!(c.kind(NaiveDate::from_ymd_opt(2027, 2, 10).unwrap()), DayKind::Holiday);
}

#[test]
fn a_make_up_saturday_opens_with_mondays_hours() {
    let (c, z) = (cal(SPRING), shanghai());
    let saturday = NaiveDate::from_ymd_opt(2027, 2, 20).unwrap();
    assert_eq!(c.kind(saturday), DayKind::Workday);
    assert_eq!(c.hours(saturday), &[Hours { open: 540, close: 1080 }]);
    let friday = t("2027-02-19T17:00:00+08:00");
    assert_eq!(c.add(&z, friday, span("2bh")), t("2027-02-20T10:00:00+08:00"));
    assert_eq!(c.add(&z, friday, span("1bd")), t("2027-02-20T17:00:00+08:00"));
    // The Sunday after it stays closed.
    assert_eq!(c.add(&z, friday, span("2bd")), t("2027-02-22T17:00:00+08:00"));
}

#[test]
fn across_a_daylight_saving_change() {
    let z = Zone("America/New_York".parse().unwrap());
    let c = cal(OFFICE);
    // Summer time ends on Sunday 2026-11-01: Friday is EDT, Monday EST.
    let friday = t("2026-10-30T16:00:00-04:00");
    assert_eq!(c.add(&z, friday, span("4bh")), t("2026-11-02T11:00:00-05:00"));
    assert_eq!(c.add(&z, friday, span("3bd")), t("2026-11-04T16:00:00-05:00"));
    // A shop open around the clock: the spring-forward Sunday has 23 open hours.
    let c = cal("mon-sun = \"00:00-24:00\"\n");
    let saturday = t("2027-03-13T12:00:00-05:00");
    assert_eq!(c.add(&z, saturday, span("24bh")), t("2027-03-14T13:00:00-04:00"));
    assert_eq!(
        c.open_between(&z, t("2027-03-14T00:00:00-05:00"), t("2027-03-15T00:00:00-04:00")),
        TimeDelta::hours(23)
    );
    // Europe/Berlin, 2026-03-29: a day later keeps the wall clock.
    let z = Zone("Europe/Berlin".parse().unwrap());
    let c = cal(OFFICE);
    assert_eq!(
        c.add(&z, t("2026-03-27T10:00:00+01:00"), span("1bd")),
        t("2026-03-30T10:00:00+02:00")
    );
}

/// Times from a hand-edited file can be far out; counting from them must not panic.
#[test]
fn counting_at_the_end_of_time_does_not_panic() {
    let (c, z) = (cal(OFFICE), shanghai());
    let late = t("9999-12-31T23:00:00+08:00");
    for s in ["4bh", "3bd", "100bd"] {
        assert!(c.add(&z, late, span(s)) > late, "{s}");
    }
}

#[test]
fn bad_calendars_name_the_key() {
    let cases = [
        (
            "mon-fri = \"09:00-18:00\"\nwed = \"10:00-12:00\"\n",
            "kefu.toml:3: calendar.wed: wed is already given by calendar.mon-fri",
        ),
        (
            "mon = \"09:00-13:00,12:00-18:00\"\n",
            "kefu.toml:2: calendar.mon: 12:00-18:00 overlaps 09:00-13:00",
        ),
        (
            "mon = \"18:00-09:00\"\n",
            "kefu.toml:2: calendar.mon: \"18:00-09:00\" closes before it opens",
        ),
        ("mon = \"9-18\"\n", "kefu.toml:2: calendar.mon: expected opening hours"),
        (
            "mon = \"09:00-24:30\"\n",
            "kefu.toml:2: calendar.mon: expected opening hours",
        ),
        ("moon = \"09:00-18:00\"\n", "kefu.toml:2: calendar.moon: unknown key"),
        (
            "mon-fri = \"09:00-18:00\"\nholidays = [2027-02-08]\nworkdays = [\"2027-02-08\"]\n",
            "kefu.toml:4: calendar.workdays: 2027-02-08 is also in calendar.holidays",
        ),
        (
            "sat = \"09:00-12:00\"\nworkdays = [2027-02-20]\n",
            "calendar.workdays: make-up working days open with Monday's hours",
        ),
        ("holidays = []\n", "kefu.toml:1: calendar: no weekday has opening hours"),
        ("mon = \"closed\"\n", "calendar: no weekday has opening hours"),
        (
            "mon-fri = \"09:00-18:00\"\nholidays = [\"2027-2-8\"]\n",
            "kefu.toml:3: calendar.holidays: expected a date like 2027-02-17",
        ),
        (
            "mon-fri = \"09:00-18:00\"\nholidays = [2027-02-08T09:00:00]\n",
            "calendar.holidays: expected a date",
        ),
        (
            "mon-fri = \"09:00-18:00\"\nholidays = \"2027-02-08\"\n",
            "calendar.holidays: expected a list of dates",
        ),
    ];
    for (body, want) in cases {
        let err = parse(body).unwrap_err().to_string();
        assert!(err.contains(want), "{body:?}\n  got:  {err}\n  want: {want}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn a_year_of_holidays_is_refused() {
    let first = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    let year: Vec<String> = first.iter_days().take(366).map(|d| format!("{d}")).collect();
    let body = format!("mon-fri = \"09:00-18:00\"\nholidays = {year:?}\n");
    let err = parse(&body).unwrap_err().to_string();
    assert!(
        err.contains("calendar: no open day in the 366 days from 2027-01-01"),
        "{err}"
    );
    // A day less leaves an open day in every 366.
    let body = format!("mon-fri = \"09:00-18:00\"\nholidays = {:?}\n", &year[..358]);
    assert!(parse(&body).is_ok());
}

#[test]
fn the_tag_follows_the_calendar() {
    let z = shanghai();
    assert_eq!(
        cal(OFFICE).tag(&z),
        cal("mon-fri = \"09:00-12:00,12:00-18:00\"\n").tag(&z)
    );
    assert_ne!(cal(OFFICE).tag(&z), cal(SPRING).tag(&z));
    assert_ne!(
        cal(OFFICE).tag(&z),
        cal(OFFICE).tag(&Zone("Europe/Berlin".parse().unwrap()))
    );
}

/// A calendar with everything in it: lunch breaks, a short Saturday, a holiday week,
/// a make-up Saturday, in a zone with daylight saving.
const BUSY: &str = "mon-fri = \"08:30-12:00,13:00-17:30\"
sat = \"09:00-12:00\"
holidays = [2026-12-24, 2026-12-25, 2026-12-28, 2026-12-29, 2026-12-30, 2026-12-31, 2027-01-01]
workdays = [2027-01-09, 2026-10-31]
";

proptest! {
    /// Adding N business hours and measuring the open time back gives N hours; the
    /// result lies in open time or at a closing.
    #[test]
    fn adding_then_measuring_gives_the_duration_back(
        minutes in 0i64..(2 * 366 * 1440),
        hours in 1u32..300,
    ) {
        let z = Zone("Europe/Berlin".parse().unwrap());
        let c = cal(BUSY);
        let start = z.fix(t("2026-06-01T00:00:00+02:00") + TimeDelta::minutes(minutes));
        let due = c.add(&z, start, Span { days: 0, minutes: hours * 60, business: true });
        prop_assert!(due > start);
        prop_assert_eq!(c.open_between(&z, start, due), TimeDelta::hours(hours.into()));
        // Nothing less would do: a minute earlier is a minute short.
        prop_assert!(c.open_between(&z, start, due - TimeDelta::minutes(1)) < TimeDelta::hours(hours.into()));
    }

    /// N business days land on the N-th open day after the clock's start, inside that
    /// day's hours or at one of its closings.
    #[test]
    fn business_days_land_on_the_nth_open_day(
        minutes in 0i64..(2 * 366 * 1440),
        days in 1u32..40,
    ) {
        let z = Zone("America/New_York".parse().unwrap());
        let c = cal(BUSY);
        let start = z.fix(t("2026-06-01T00:00:00-04:00") + TimeDelta::minutes(minutes));
        let due = c.add(&z, start, Span { days, minutes: 0, business: true });
        let begin = c.next_open(&z, start);
        prop_assert!(due > begin);
        let (from, to) = (z.date(begin), z.date(due));
        let open_days = from.iter_days().skip(1).take_while(|d| *d <= to).filter(|d| c.is_open(*d)).count();
        prop_assert_eq!(open_days, days as usize);
        prop_assert!(c.is_open(to));
        let inside = c.periods(&z, to).iter().any(|(o, cl)| *o <= due && due <= *cl);
        prop_assert!(inside, "{} is outside the hours of {}", due, to);
    }
}
