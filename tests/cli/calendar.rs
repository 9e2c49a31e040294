//! Business hours and holidays (SPEC §16): limits in `bh`/`bd`, `kefu calendar`, and
//! calendar changes after deadlines were set.

use serde_json::Value;

use crate::env::Env;

/// Replace the sample limits of `level` and append a `[calendar]` section.
fn configure(env: &Env, limits: &[(&str, &str)], calendar: &str) {
    let path = env.path("config/kefu.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    for (level, line) in limits {
        let start = text.find(&format!("\n{level} = {{ handoff")).expect("a limits line") + 1;
        let end = start + text[start..].find('\n').unwrap();
        text.replace_range(start..end, &format!("{level} = {line}"));
    }
    text.push_str("\n[calendar]\n");
    text.push_str(calendar);
    std::fs::write(&path, text).unwrap();
}

fn overdue(case: &Value) -> Vec<String> {
    case["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn severe(env: &Env, name: &str) -> String {
    env.intake(
        name,
        &["--category", "quality", "--level", "severe", "--department", "service"],
    )
}

/// The issue's case: a severe complaint phoned in at 20:50 on a Friday, with a
/// one-business-hour handoff limit, is not late when the shop opens on Monday.
#[test]
fn a_friday_night_severe_complaint_is_not_late_on_monday_morning() {
    let mut env = Env::new();
    configure(
        &env,
        &[("severe", r#"{ handoff = "1bh", first_reply = "4bh", close = "15bd" }"#)],
        "mon-fri = \"09:00-18:00\"\n",
    );
    env.set_now("2026-11-27T20:50:00+08:00");
    let id = severe(&env, "王先生");
    env.set_now("2026-11-30T09:30:00+08:00");
    let case = env.show(&id);
    // The clock starts at Monday's opening: due at 10:00, not Friday 21:50.
    assert_eq!(case["deadlines"]["handoff"], "2026-11-30T10:00:00+08:00");
    assert_eq!(case["deadline_states"]["handoff"], "due");
    assert!(overdue(&case).is_empty(), "{:?}", overdue(&case));
    let due = env.run(&["due", "--json"]).ok().json();
    let handoff: Vec<&Value> = due
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["limit"] == "handoff")
        .collect();
    assert_eq!(handoff.len(), 1);
    assert_eq!(handoff[0]["overdue"], false);
    // 15 open days from Monday 09:00: three full weeks, Monday 2026-12-21 09:00 is
    // the 15th open day after Monday 2026-11-30.
    assert_eq!(case["deadlines"]["close"], "2026-12-21T09:00:00+08:00");
    // Late once the business hour has passed.
    env.set_now("2026-11-30T10:00:01+08:00");
    assert_eq!(overdue(&env.show(&id)), ["handoff"]);
    // Acknowledged at 10:00:01: the first reply counts 4 open hours from then.
    env.run(&["handoff", &id, "--to", "service"]).ok();
    env.run(&["ack", &id]).ok();
    let case = env.show(&id);
    assert_eq!(case["deadline_states"]["handoff"], "met_late");
    assert_eq!(case["deadlines"]["first_reply"], "2026-11-30T14:00:01+08:00");
}

/// A general case escalating across the Spring Festival week of 2027, with a make-up
/// Saturday (調休) after it. Limits: general close 3bd, moderate 5bd, severe 10bd;
/// penalties 50 / 100 / 200, monthly multiplier 1 (the sample's).
///
/// Received Thursday 2027-02-04 10:00 (open mon–fri 09:00–18:00; holidays Mon 02-08
/// to Fri 02-12; Saturday 02-20 a working day):
/// - close D1 = 3bd: Fri 02-05 (1), Mon 02-15 (2), Tue 02-16 (3) → 02-16 10:00.
///   Missed: 50 (general), → moderate.
/// - D2 = D1 + 5bd: Wed 17 (1), Thu 18 (2), Fri 19 (3), Sat 20 make-up (4),
///   Mon 22 (5) → 02-22 10:00. Missed: 100 (moderate), → severe.
/// - D3 = D2 + 10bd: Tue 02-23 … Fri 02-26 (4), Mon 03-01 … Fri 03-05 (9),
///   Mon 03-08 (10) → 03-08 10:00. Missed: 200 (severe).
/// - D4 = D3 + 10bd: Tue 03-09 … Fri 03-12 (4), Mon 03-15 … Fri 03-19 (9),
///   Mon 03-22 (10) → 03-22 10:00, not yet passed on 03-20.
/// - Monthly: 30 calendar days after the first miss, 03-18 10:00: 200 (severe × 1).
///
/// Swept on Saturday 2027-03-20 09:00: 50 + 100 + 200 + 200 = 550, level severe.
/// In calendar time the same case would have missed 02-07 already, in the holidays.
#[test]
fn a_case_escalates_across_a_holiday_week_by_business_days() {
    let mut env = Env::new();
    configure(
        &env,
        &[
            ("general", r#"{ handoff = "4bh", first_reply = "1bd", close = "3bd" }"#),
            ("moderate", r#"{ handoff = "2bh", first_reply = "12h", close = "5bd" }"#),
            ("severe", r#"{ handoff = "1bh", first_reply = "4bh", close = "10bd" }"#),
        ],
        "mon-fri = \"09:00-18:00\"\n\
         holidays = [2027-02-08, 2027-02-09, 2027-02-10, 2027-02-11, 2027-02-12]\n\
         workdays = [\"2027-02-20\"]\n",
    );
    env.set_now("2027-02-04T10:00:00+08:00");
    let id = env.classified("李女士");
    assert_eq!(env.show(&id)["deadlines"]["close"], "2027-02-16T10:00:00+08:00");
    // In the holiday week nothing is due.
    env.set_now("2027-02-10T12:00:00+08:00");
    let swept = env.run(&["sweep", "--json"]).ok().json();
    assert_eq!(swept["penalties"], 0);
    env.set_now("2027-03-20T09:00:00+08:00");
    let swept = env.run(&["sweep", "--json"]).ok().json();
    assert_eq!(swept["escalations"], 3);
    assert_eq!(swept["penalties"], 4);
    let case = env.show(&id);
    assert_eq!(case["level"], "severe");
    assert_eq!(case["deadlines"]["close"], "2027-03-22T10:00:00+08:00");
    let penalties: Vec<(String, u64)> = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "penalty")
        .map(|e| (e["at"].as_str().unwrap().to_string(), e["amount"].as_u64().unwrap()))
        .collect();
    let want = [
        ("2027-02-16T10:00:00+08:00", 50),
        ("2027-02-22T10:00:00+08:00", 100),
        ("2027-03-08T10:00:00+08:00", 200),
        ("2027-03-18T10:00:00+08:00", 200),
    ];
    assert_eq!(penalties, want.map(|(t, a)| (t.to_string(), a)));
    assert_eq!(penalties.iter().map(|(_, a)| a).sum::<u64>(), 550);
}

/// A calendar change applies to deadlines set after it; stored ones stay, and `check`
/// names the open cases counted under the old calendar without calling it a problem.
#[test]
fn a_calendar_change_leaves_stored_deadlines() {
    let mut env = Env::new();
    let limits = [("severe", r#"{ handoff = "1bh", first_reply = "4bh", close = "15d" }"#)];
    configure(&env, &limits, "mon-fri = \"09:00-18:00\"\n");
    env.set_now("2026-11-27T20:50:00+08:00");
    let old = severe(&env, "甲");
    env.run(&["check"]).ok();
    // Monday becomes a holiday.
    let config = env.path("config/kefu.toml");
    let text = std::fs::read_to_string(&config).unwrap() + "holidays = [2026-11-30]\n";
    std::fs::write(&config, text).unwrap();
    let new = severe(&env, "乙");
    env.set_now("2026-11-30T09:30:00+08:00");
    assert_eq!(env.show(&old)["deadlines"]["handoff"], "2026-11-30T10:00:00+08:00");
    assert_eq!(env.show(&new)["deadlines"]["handoff"], "2026-12-01T10:00:00+08:00");
    let run = env.run(&["check"]);
    let run = if run.code == 0 {
        run
    } else {
        panic!("check failed: {}", run.stderr)
    };
    assert!(
        run.stderr.contains(&format!(
            "1 open case(s) keep deadlines counted under another business-hours calendar ({old})"
        )),
        "{}",
        run.stderr
    );
    let json = env.run(&["check", "--json"]).json();
    assert_eq!(json["other_calendar"], serde_json::json!([old]));
}

#[test]
fn the_calendar_command_shows_open_periods() {
    let env = Env::new();
    configure(
        &env,
        &[],
        "mon-fri = \"09:00-12:00,13:00-18:00\"\nsat = \"09:00-12:00\"\n\
         holidays = [2027-02-08]\nworkdays = [2027-02-21]\n",
    );
    let shown = env
        .run(&["calendar", "--from", "2027-02-06", "--days", "3", "--json"])
        .ok()
        .json();
    assert_eq!(shown["timezone"], "Asia/Shanghai");
    let days = shown["days"].as_array().unwrap();
    let summary: Vec<(&str, &str, f64)> = days
        .iter()
        .map(|d| {
            (
                d["date"].as_str().unwrap(),
                d["kind"].as_str().unwrap(),
                d["open_hours"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("2027-02-06", "open", 3.0),
            ("2027-02-07", "closed", 0.0),
            ("2027-02-08", "holiday", 0.0)
        ]
    );
    assert_eq!(days[0]["periods"][0]["open"], "2027-02-06T09:00:00+08:00");
    assert_eq!(days[0]["periods"][0]["close"], "2027-02-06T12:00:00+08:00");
    let table = env
        .run(&["calendar", "--from", "2027-02-19", "--days", "3"])
        .ok()
        .stdout;
    let line = |date: &str| table.lines().find(|l| l.contains(date)).unwrap_or_default().to_string();
    assert!(line("2027-02-19").contains("09:00-12:00, 13:00-18:00"), "{table}");
    assert!(line("2027-02-20").contains("09:00-12:00"), "{table}");
    // The make-up Sunday opens with Monday's hours.
    assert!(line("2027-02-21").contains("make-up workday"), "{table}");
    assert!(line("2027-02-21").contains("13:00-18:00"), "{table}");
    assert_eq!(
        env.run(&["calendar", "--days", "0"]).code,
        2,
        "a day count outside 1–3660 is a usage error"
    );
}

#[test]
fn without_a_calendar_business_time_is_refused() {
    let env = Env::new();
    env.run(&["calendar"]).fails("config/kefu.toml has no [calendar]");
    env.run(&["due", "--within", "8bh"])
        .fails("--within: \"8bh\" counts business time, but the config has no [calendar]");
    let config = env.path("config/kefu.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let text = text.replace(r#"close = "3d" }"#, r#"close = "3bd" }"#);
    std::fs::write(&config, text).unwrap();
    env.run(&["list"])
        .fails("limits.general.close: \"3bd\" counts business time, but there is no [calendar]");
    let before = env.snapshot();
    env.run(&["intake", "--name", "甲", "--channel", "phone", "--summary", "x"])
        .fails("limits.general.close");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_bad_calendar_is_a_one_line_error_naming_the_key() {
    let env = Env::new();
    configure(
        &env,
        &[],
        "mon-fri = \"09:00-18:00\"\nholidays = [2027-02-08]\nworkdays = [2027-02-08]\n",
    );
    env.run(&["list"])
        .fails("calendar.workdays: 2027-02-08 is also in calendar.holidays");
    let env = Env::new();
    configure(&env, &[], "mon-fri = \"09:00-18:00\"\nmixed = \"1d2bh\"\n");
    env.run(&["list"]).fails("calendar.mixed: unknown key");
    let env = Env::new();
    let limits = [("general", r#"{ handoff = "1d2bh", first_reply = "24h", close = "3d" }"#)];
    configure(&env, &limits, "mon-fri = \"09:00-18:00\"\n");
    env.run(&["list"]).fails("business time is one number and one unit");
}
