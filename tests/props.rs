//! Property tests of the handling rules (SPEC §4, §8) on arbitrary timelines and limits.
//!
//! - deadlines never precede receipt, in a zone with daylight saving too;
//! - bringing a case up to date (`rules::bring_up_to_date`, what `sweep` does) twice
//!   changes nothing the second time;
//! - the number, dates and sum of penalties agree with an independent model of the
//!   rule, written here from the SPEC's words, also when the close is recorded after a
//!   sweep that charged too much;
//! - bringing a case up to date in two steps equals doing it in one;
//! - a close in two steps (request, then call-back) is charged as the model says: as of
//!   the request when the customer is satisfied, as if never requested when not, and
//!   nothing is recorded while the request waits.

use std::path::Path;

use chrono::{DateTime, TimeDelta};
use kefu::domain::case::{Case, EventKind, Satisfaction};
use kefu::domain::config::{Config, Level};
use kefu::domain::rules::{self, By, Classify, Close, CloseRequest, Confirm, Intake};
use kefu::domain::time::Time;
use proptest::prelude::*;

const ACTOR: &str = "測試";

fn t(s: &str) -> Time {
    DateTime::parse_from_rfc3339(s).expect("time")
}

/// Limits and penalties to test with, in minutes and amounts.
#[derive(Clone, Debug)]
struct Setup {
    zone: &'static str,
    /// handoff, first_reply, close per level: general, moderate, severe, irrational.
    limits: [[u32; 3]; 4],
    penalty: [u64; 4],
    multiplier: u64,
}

impl Setup {
    fn config(&self) -> Config {
        let names = ["general", "moderate", "severe", "irrational"];
        let mut text = format!("timezone = \"{}\"\n[limits]\n", self.zone);
        for (name, [h, f, c]) in names.iter().zip(self.limits) {
            text.push_str(&format!(
                "{name} = {{ handoff = \"{h}m\", first_reply = \"{f}m\", close = \"{c}m\" }}\n"
            ));
        }
        text.push_str("confirm = \"12h\"\ncustomer_answer = \"7d\"\n[penalty]\n");
        for (name, p) in names.iter().zip(self.penalty) {
            text.push_str(&format!("{name} = {p}\n"));
        }
        text.push_str(&format!("monthly_multiplier = {}\n", self.multiplier));
        Config::parse(Path::new("config/kefu.toml"), &text).expect("test config")
    }

    fn close_limit(&self, level: Level) -> TimeDelta {
        TimeDelta::minutes(self.limits[level as usize][2].into())
    }
}

fn level() -> impl Strategy<Value = Level> {
    prop_oneof![
        Just(Level::General),
        Just(Level::Moderate),
        Just(Level::Severe),
        Just(Level::Irrational)
    ]
}

/// Handoff and first-reply limits from a minute to three days (often under an hour),
/// close limits from a day to 40; in Shanghai (no daylight saving), so that minutes
/// are a model's plain arithmetic.
fn setup() -> impl Strategy<Value = Setup> {
    let short = prop_oneof![1u32..120, 1u32..=3 * 24 * 60];
    let level = (short.clone(), short, 24 * 60u32..=40 * 24 * 60).prop_map(|(h, f, c)| [h, f, c]);
    (
        proptest::array::uniform4(level),
        proptest::array::uniform4(0u64..1000),
        0u64..4,
    )
        .prop_map(|(limits, penalty, multiplier)| Setup {
            zone: "Asia/Shanghai",
            limits,
            penalty,
            multiplier,
        })
}

/// A time within two years of 2026-01-01, to the minute.
fn time() -> impl Strategy<Value = Time> {
    (0i64..2 * 365 * 24 * 60).prop_map(|m| t("2026-01-01T00:00:00+08:00") + TimeDelta::minutes(m))
}

fn case_at(cfg: &Config, received: Time, level: Level) -> Case {
    let by = By {
        actor: ACTOR,
        now: received,
    };
    let data = Intake {
        name: "王先生".into(),
        channel: "phone".into(),
        summary: "燒餅烙糊了".into(),
        ..Intake::default()
    };
    let mut case = rules::new_case(cfg, "20260101-001".into(), received, data, by).expect("new case");
    let c = Classify {
        category: "quality".into(),
        level,
        department: "service".into(),
        follow_up: (level == Level::Irrational).then_some(kefu::domain::case::FollowUp::Watch),
        external: None,
    };
    rules::classify(&mut case, cfg, c, by).expect("classify");
    case
}

/// The penalties in force (not cancelled): (date, amount).
fn penalties(case: &Case) -> Vec<(Time, u64)> {
    let s = case.state().expect("state");
    s.penalties
        .iter()
        .map(|&i| (case.events[i].at, case.events[i].amount.unwrap_or(0)))
        .collect()
}

/// SPEC §4 and §8.3 as written, independently of `rules`: first every close deadline
/// missed before `until`, then every monthly date; the level charged at an instant is
/// the starting level escalated once per deadline strictly before it.
fn model(setup: &Setup, received: Time, start: Level, until: Time) -> Vec<(Time, u64)> {
    if start == Level::Irrational {
        return Vec::new();
    }
    let up = |l: Level| match l {
        Level::General => Level::Moderate,
        _ => Level::Severe,
    };
    // The chain of close deadlines and the level in force before each.
    let mut missed: Vec<(Time, Level)> = Vec::new();
    let (mut level, mut deadline) = (start, received + setup.close_limit(start));
    while deadline < until {
        missed.push((deadline, level));
        level = up(level);
        deadline += setup.close_limit(level);
    }
    let mut out: Vec<(Time, u64)> = missed.iter().map(|&(d, l)| (d, setup.penalty[l as usize])).collect();
    if let Some(&(first, _)) = missed.first() {
        let mut n = 1;
        loop {
            let m = first + TimeDelta::days(30 * n);
            if m >= until {
                break;
            }
            let escalations_before = missed.iter().filter(|(d, _)| *d < m).count();
            let mut l = start;
            for _ in 0..escalations_before {
                l = up(l);
            }
            out.push((m, setup.penalty[l as usize] * setup.multiplier));
            n += 1;
        }
    }
    out.sort();
    out
}

fn sorted(mut v: Vec<(Time, u64)>) -> Vec<(Time, u64)> {
    v.sort();
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn deadlines_never_precede_receipt(
        setup in setup(),
        zone in prop_oneof![Just("Asia/Shanghai"), Just("America/New_York"), Just("Europe/Berlin")],
        // Around the 2026 daylight-saving changes of both zones, to the minute.
        near in prop_oneof![
            Just("2026-03-08T07:00:00Z"), Just("2026-11-01T06:00:00Z"),
            Just("2026-03-29T01:00:00Z"), Just("2026-10-25T01:00:00Z")
        ],
        offset in -120i64..120,
        level in level(),
        days in 0u32..400,
    ) {
        let setup = Setup { zone, ..setup };
        let cfg = setup.config();
        let received = cfg.zone.fix(t(near) + TimeDelta::minutes(offset));
        let mut case = case_at(&cfg, received, level);
        let until = received + TimeDelta::days(days.into());
        rules::bring_up_to_date(&mut case, &cfg, until, By { actor: ACTOR, now: until }).expect("sweep");
        let d = case.deadlines;
        for (name, due) in [("handoff", d.handoff), ("first_reply", d.first_reply), ("close", d.close), ("customer_answer", d.customer_answer)] {
            if let Some(due) = due {
                prop_assert!(due >= received, "{name} {due} precedes receipt {received}");
            }
        }
        for e in &case.events {
            for due in [e.handoff_due, e.close_due, e.first_reply_due, e.customer_answer_due].into_iter().flatten() {
                prop_assert!(due >= received, "{:?} event sets {due}, before receipt {received}", e.kind);
            }
        }
    }

    #[test]
    fn a_sweep_is_idempotent(setup in setup(), received in time(), level in level(), days in 0i64..500) {
        let cfg = setup.config();
        let mut case = case_at(&cfg, received, level);
        let until = received + TimeDelta::days(days);
        let by = By { actor: ACTOR, now: until };
        rules::bring_up_to_date(&mut case, &cfg, until, by).expect("sweep");
        let once = case.clone();
        rules::bring_up_to_date(&mut case, &cfg, until, by).expect("sweep again");
        prop_assert_eq!(once, case);
    }

    #[test]
    fn penalties_follow_the_rule(setup in setup(), received in time(), level in level(), minutes in 0i64..500 * 24 * 60) {
        let cfg = setup.config();
        let mut case = case_at(&cfg, received, level);
        let until = received + TimeDelta::minutes(minutes);
        rules::bring_up_to_date(&mut case, &cfg, until, By { actor: ACTOR, now: until }).expect("sweep");
        let got = sorted(penalties(&case));
        let want = model(&setup, received, level, until);
        prop_assert_eq!(got.len(), want.len());
        prop_assert_eq!(got.iter().map(|p| p.1).sum::<u64>(), want.iter().map(|p| p.1).sum::<u64>());
        prop_assert_eq!(got, want);
    }

    #[test]
    fn a_late_close_is_charged_as_history_says_whether_or_not_a_sweep_ran_first(
        setup in setup(), received in time(), level in level(),
        close_after in 0i64..300 * 24 * 60, sweep_after in 0i64..300 * 24 * 60, swept_first in any::<bool>(),
    ) {
        let cfg = setup.config();
        let mut case = case_at(&cfg, received, level);
        let requested = received + TimeDelta::minutes(close_after);
        let now = requested.max(received + TimeDelta::minutes(sweep_after));
        let by = By { actor: ACTOR, now };
        if swept_first {
            rules::bring_up_to_date(&mut case, &cfg, now, by).expect("sweep");
        }
        let close = Close {
            resolution: "已退款".into(),
            remedy: "refund".into(),
            satisfaction: Satisfaction::Satisfied,
            requested_at: Some(requested),
            cause: None,
            countermeasure: None,
            approved_by: None,
        };
        rules::close(&mut case, &cfg, close, by).expect("close");
        rules::bring_up_to_date(&mut case, &cfg, now, by).expect("sweep after the close");
        prop_assert_eq!(sorted(penalties(&case)), model(&setup, received, level, requested));
        // Events stay in time order apart from cancellations, which are dated when recorded.
        let kinds: Vec<EventKind> = case.events.iter().map(|e| e.kind).collect();
        prop_assert!(kinds.contains(&EventKind::Close));
    }

    #[test]
    fn a_close_in_two_steps_is_charged_as_history_says(
        setup in setup(), received in time(), level in level(),
        request_after in 0i64..300 * 24 * 60, enter_after in 0i64..300 * 24 * 60,
        confirm_after in 0i64..60 * 24 * 60, swept_first in any::<bool>(), satisfied in any::<bool>(),
    ) {
        let cfg = setup.config();
        let mut case = case_at(&cfg, received, level);
        let requested = received + TimeDelta::minutes(request_after);
        let entered = requested.max(received + TimeDelta::minutes(enter_after));
        let by = |now| By { actor: ACTOR, now };
        if swept_first {
            rules::bring_up_to_date(&mut case, &cfg, entered, by(entered)).expect("sweep");
        }
        let request = CloseRequest {
            resolution: "已退款".into(),
            remedy: "refund".into(),
            from: None,
            at: Some(requested),
            cause: None,
            countermeasure: None,
        };
        rules::request_close(&mut case, &cfg, request, by(entered)).expect("request");
        let confirmed = entered + TimeDelta::minutes(confirm_after);
        let waiting = case.clone();
        rules::bring_up_to_date(&mut case, &cfg, confirmed, by(confirmed)).expect("sweep while waiting");
        prop_assert_eq!(&case, &waiting, "a pending request pauses escalation");
        let satisfaction = if satisfied { Satisfaction::Satisfied } else { Satisfaction::Dissatisfied };
        let confirm = Confirm { satisfaction, approved_by: None, at: None };
        rules::confirm_close(&mut case, &cfg, confirm, by(confirmed)).expect("call-back");
        rules::bring_up_to_date(&mut case, &cfg, confirmed, by(confirmed)).expect("sweep after");
        let until = if satisfied { requested } else { confirmed };
        prop_assert_eq!(sorted(penalties(&case)), model(&setup, received, level, until));
        prop_assert!(rules::audit(&case, &cfg, confirmed).is_empty());
    }

    #[test]
    fn two_steps_equal_one(setup in setup(), received in time(), level in level(), a in 0i64..400 * 24 * 60, b in 0i64..400 * 24 * 60) {
        let cfg = setup.config();
        let (a, b) = (a.min(b), a.max(b));
        let (middle, end) = (received + TimeDelta::minutes(a), received + TimeDelta::minutes(b));
        let by = By { actor: ACTOR, now: end };
        let mut stepwise = case_at(&cfg, received, level);
        rules::bring_up_to_date(&mut stepwise, &cfg, middle, by).expect("first step");
        rules::bring_up_to_date(&mut stepwise, &cfg, end, by).expect("second step");
        // The same people's events (ids included), so that only the derived ones may differ.
        let mut at_once = stepwise.clone();
        at_once.events.retain(|e| !e.kind.is_derived());
        at_once.refresh().expect("people's events alone");
        rules::bring_up_to_date(&mut at_once, &cfg, end, by).expect("one step");
        prop_assert_eq!(stepwise, at_once);
    }
}

/// The worked example of SPEC §4, through the model, so the model itself is pinned.
#[test]
fn the_model_reproduces_the_worked_example() {
    let setup = Setup {
        zone: "Asia/Shanghai",
        limits: [
            [240, 1440, 3 * 1440],
            [120, 720, 7 * 1440],
            [60, 240, 15 * 1440],
            [1440, 4320, 30 * 1440],
        ],
        penalty: [50, 100, 200, 0],
        multiplier: 1,
    };
    let p = model(
        &setup,
        t("2026-11-02T09:00:00+08:00"),
        Level::General,
        t("2026-12-20T09:00:00+08:00"),
    );
    let days: Vec<(String, u64)> = p.iter().map(|(at, a)| (at.format("%m-%d").to_string(), *a)).collect();
    let want = [
        ("11-05", 50),
        ("11-12", 100),
        ("11-27", 200),
        ("12-05", 200),
        ("12-12", 200),
    ];
    assert_eq!(days, want.map(|(d, a)| (d.to_string(), a)));
}

/// One clerk's action on a copy of a case, `gap` minutes after the previous one.
/// Refused actions change nothing, as on the command line.
fn act(case: &mut Case, cfg: &Config, action: u8, now: Time) {
    let by = By { actor: ACTOR, now };
    let text = || format!("at {now}");
    let _ = match action % 13 {
        0 => rules::handoff(case, cfg, "service", false, None, by),
        1 => rules::ack(case, cfg, None, None, by),
        2 => rules::reply(
            case,
            cfg,
            rules::Reply {
                text: text(),
                from: Some("service".into()),
                ..rules::Reply::default()
            },
            by,
        ),
        3 => rules::reply(
            case,
            cfg,
            rules::Reply {
                text: text(),
                ..rules::Reply::default()
            },
            by,
        ),
        4 => rules::note(case, text(), by),
        5 => rules::close(case, cfg, repaired(None), by).map(|_| ()),
        6 => rules::request_close(
            case,
            cfg,
            CloseRequest {
                resolution: "fixed".into(),
                remedy: "repair".into(),
                from: None,
                at: None,
                cause: None,
                countermeasure: None,
            },
            by,
        ),
        7 => rules::confirm_close(
            case,
            cfg,
            Confirm {
                satisfaction: if action.is_multiple_of(2) {
                    Satisfaction::Dissatisfied
                } else {
                    Satisfaction::Accepted
                },
                approved_by: None,
                at: None,
            },
            by,
        )
        .map(|_| ()),
        8 => rules::reject(case, cfg, "other shop".into(), by),
        9 => rules::reopen(case, cfg, "back again".into(), by),
        10 => rules::classify(
            case,
            cfg,
            Classify {
                category: "quality".into(),
                level: Level::Severe,
                department: "service".into(),
                follow_up: None,
                external: None,
            },
            by,
        ),
        11 => rules::bring_up_to_date(case, cfg, now, by).map(|_| ()),
        // A close recorded late, as of an earlier request: it cancels what it voids.
        _ => {
            let last = case
                .events
                .iter()
                .filter(|e| !e.kind.is_derived() && e.kind != EventKind::Note)
                .map(|e| e.at)
                .max();
            rules::close(case, cfg, repaired(last), by).map(|_| ())
        }
    };
}

/// A one-step close: repaired, the customer satisfied, requested now or at `requested_at`.
fn repaired(requested_at: Option<Time>) -> Close {
    Close {
        resolution: "fixed".into(),
        remedy: "repair".into(),
        satisfaction: Satisfaction::Satisfied,
        requested_at,
        cause: None,
        countermeasure: None,
        approved_by: None,
    }
}

/// A copy of `base` after a clerk's actions, each `gap` minutes after the previous.
fn branch(base: &Case, cfg: &Config, start: Time, actions: &[(u8, u16)]) -> Case {
    let mut case = base.clone();
    let mut now = start;
    for &(action, gap) in actions {
        now += TimeDelta::minutes(gap.into());
        act(&mut case, cfg, action, now);
    }
    case
}

fn merged(base: &Case, ours: &Case, theirs: &Case, cfg: &Config) -> String {
    let case = kefu::store::merge::merge(Some(base), ours, theirs, cfg).expect("merge");
    case.verify().expect("the merged case explains itself");
    kefu::store::to_toml(&case).expect("toml")
}

fn parse(text: &str) -> Case {
    toml::from_str(text).expect("a case")
}

fn actions() -> impl Strategy<Value = Vec<(u8, u16)>> {
    // Gaps from none (two clerks at the same minute) to four days.
    proptest::collection::vec(
        (any::<u8>(), prop_oneof![Just(0u16), 0u16..6 * 60, 0u16..4 * 24 * 60]),
        0..8,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// SPEC §14.2, §17.13: the merge of case files depends only on what the sides hold.
    #[test]
    fn merging_case_files_is_commutative_idempotent_and_associative(
        setup in setup(),
        received in time(),
        level in prop_oneof![Just(Level::General), Just(Level::Moderate), Just(Level::Severe)],
        common in actions(),
        a in actions(),
        b in actions(),
        c in actions(),
    ) {
        let cfg = setup.config();
        let base = branch(&case_at(&cfg, received, level), &cfg, received, &common);
        let start = base.events.iter().map(|e| e.recorded_at.unwrap_or(e.at)).max().unwrap_or(received);
        let [a, b, c] = [a, b, c].map(|acts| branch(&base, &cfg, start, &acts));
        let ab = merged(&base, &a, &b, &cfg);
        prop_assert_eq!(&ab, &merged(&base, &b, &a, &cfg), "commutative");
        let m = parse(&ab);
        prop_assert_eq!(&ab, &merged(&base, &m, &m, &cfg), "idempotent");
        prop_assert_eq!(&ab, &merged(&base, &m, &a, &cfg), "a side merged again changes nothing");
        prop_assert_eq!(&ab, &merged(&base, &b, &m, &cfg), "a side merged again changes nothing");
        let bc = parse(&merged(&base, &b, &c, &cfg));
        prop_assert_eq!(
            merged(&base, &m, &c, &cfg),
            merged(&base, &a, &bc, &cfg),
            "associative"
        );
        // Every people's event of every side is there once.
        let all = parse(&merged(&base, &m, &c, &cfg));
        let mut ids: Vec<&str> = [&a, &b, &c]
            .iter()
            .flat_map(|s| s.events.iter().filter(|e| !e.kind.is_derived()).map(|e| e.id.as_str()))
            .collect();
        ids.sort();
        ids.dedup();
        let mut held: Vec<&str> = all.events.iter().filter(|e| !e.kind.is_derived()).map(|e| e.id.as_str()).collect();
        held.sort();
        prop_assert_eq!(held, ids);
    }
}
