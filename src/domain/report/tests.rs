//! The definitions most easily got wrong: the half-open window, "at exactly D is on
//! time", week-end standing, zeros and nulls.

use std::path::Path;

use super::*;
use crate::domain::case::FollowUp;
use crate::domain::config::default_text;
use crate::domain::rules::{By, Classify, Close, Intake as NewCase};

const FROM: &str = "2026-11-16T00:00:00+08:00";
const TO: &str = "2026-11-23T00:00:00+08:00";

fn cfg() -> Config {
    Config::parse(Path::new("config/kefu.toml"), &default_text()).unwrap()
}

fn t(s: &str) -> Time {
    chrono::DateTime::parse_from_rfc3339(s).unwrap()
}

fn by(now: &str) -> By<'static> {
    By {
        actor: "clerk",
        now: t(now),
    }
}

fn params() -> Params {
    Params {
        from: t(FROM),
        to: t(TO),
        as_of: t(TO),
        transactions: None,
    }
}

/// A case received at `received` and classified there and then.
fn case(id: &str, received: &str, level: Level, department: &str) -> Case {
    let cfg = cfg();
    let data = NewCase {
        name: format!("customer {id}"),
        channel: "phone".into(),
        summary: "burnt".into(),
        ..NewCase::default()
    };
    let mut c = rules::new_case(&cfg, id.into(), t(received), data, by(received)).unwrap();
    let class = Classify {
        category: "quality".into(),
        level,
        department: department.into(),
        follow_up: (level == Level::Irrational).then_some(FollowUp::Watch),
        external: None,
    };
    rules::classify(&mut c, &cfg, class, by(received)).unwrap();
    c
}

fn report_on(cases: Vec<Case>, p: &Params) -> Report {
    let pairs: Vec<(Case, State)> = cases
        .into_iter()
        .map(|c| {
            let s = c.state().unwrap();
            (c, s)
        })
        .collect();
    compute(&pairs, &cfg(), p, vec![])
}

fn dept<'a>(r: &'a Report, key: &str) -> &'a DepartmentRow {
    r.departments.iter().find(|d| d.department == key).unwrap()
}

#[test]
fn an_empty_week_lists_every_key_with_zeros_and_null_ratios() {
    let r = report_on(vec![], &params());
    assert_eq!(r.intake.total, 0);
    assert_eq!(r.intake.by_channel.0.len(), 7);
    assert_eq!(
        r.intake.by_level.0.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
        ["general", "moderate", "severe", "irrational"]
    );
    assert_eq!(r.irrational.first_ratio, None);
    assert_eq!(r.irrational.second_ratio, None);
    assert_eq!(r.categories.len(), 9);
    assert_eq!(r.categories[0].category, "quality");
    assert!(r.categories.iter().all(|c| c.share.is_none()
        && c.rate.is_none()
        && c.first_close_rate.is_none()
        && c.median_close_hours.is_none()));
    assert_eq!(r.departments.len(), 5);
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains("NaN"), "{json}");
    assert!(json.contains(r#""by_channel":{"phone":0,"email":0,"#), "{json}");
}

#[test]
fn the_window_includes_its_start_and_excludes_its_end() {
    let cases = vec![
        case("20261116-001", FROM, Level::General, "service"),
        case("20261122-001", "2026-11-22T23:59:59+08:00", Level::General, "service"),
        case("20261123-001", TO, Level::General, "service"),
    ];
    let r = report_on(cases, &params());
    assert_eq!(r.intake.total, 2);
    assert_eq!(r.intake.by_level.get("general"), 2);
    assert_eq!(r.intake.by_channel.get("phone"), 2);
    // The case received at exactly `to` belongs to the next week in every section.
    assert_eq!(r.intake.open_at_end, 2);
    assert_eq!(r.categories[0].count, 2);
    assert_eq!(r.categories[0].share, Some(1.0));
    assert_eq!(r.recurrence, vec![]);
}

#[test]
fn an_acknowledgement_at_exactly_the_deadline_is_on_time() {
    let cfg = cfg();
    // general: the handoff deadline is received + 4h = 13:00.
    let mut on_time = case("20261117-001", "2026-11-17T09:00:00+08:00", Level::General, "service");
    let mut late = case("20261117-002", "2026-11-17T09:00:00+08:00", Level::General, "sales");
    for c in [&mut on_time, &mut late] {
        let dept = c.classification.department.clone().unwrap();
        rules::handoff(c, &cfg, &dept, false, None, by("2026-11-17T09:30:00+08:00")).unwrap();
    }
    rules::ack(&mut on_time, &cfg, None, None, by("2026-11-17T13:00:00+08:00")).unwrap();
    rules::ack(&mut late, &cfg, None, None, by("2026-11-17T13:00:01+08:00")).unwrap();
    let r = report_on(vec![on_time, late], &params());
    assert_eq!(dept(&r, "service").late_acks, 0);
    assert_eq!(dept(&r, "sales").late_acks, 1);
    assert_eq!(dept(&r, "service").handoffs, 1);
    // Neither department replied within the 24h after signing.
    assert_eq!(dept(&r, "service").late_first_replies, 1);
    assert_eq!(dept(&r, "sales").late_first_replies, 1);
}

#[test]
fn deadlines_are_counted_in_the_week_they_fall_in() {
    // Handoff deadlines at exactly `from` (counted) and exactly `to` (next week).
    let at_from = case("20261115-001", "2026-11-15T20:00:00+08:00", Level::General, "service");
    let at_to = case("20261122-001", "2026-11-22T20:00:00+08:00", Level::General, "sales");
    let r = report_on(vec![at_from, at_to], &params());
    // Never handed off: the centre's late handoff, not the department's (§10.7).
    assert_eq!(r.service_center.late_handoffs, 1);
    assert_eq!(dept(&r, "service").late_acks, 0);
    assert_eq!(dept(&r, "sales").late_acks, 0);
    // At week end the first is overdue; the second's deadline is not past yet (§8.1).
    assert_eq!(dept(&r, "service").open_overdue, 1);
    assert_eq!(dept(&r, "sales").open_overdue, 0);
}

#[test]
fn a_window_not_ended_yet_sees_only_up_to_now() {
    let c = case("20261120-001", "2026-11-20T09:00:00+08:00", Level::General, "service");
    let mut p = params();
    p.as_of = t("2026-11-20T12:00:00+08:00"); // the handoff deadline 13:00 is still ahead
    let r = report_on(vec![c], &p);
    assert_eq!(dept(&r, "service").late_acks, 0);
    assert_eq!(dept(&r, "service").open_overdue, 0);
}

#[test]
fn penalties_dated_at_the_window_edges() {
    let cfg = cfg();
    // general, close limit 3 days: the deadline is exactly `from`; the moderate one
    // after it (7 days later) is exactly `to`.
    let mut c = case("20261113-001", "2026-11-13T00:00:00+08:00", Level::General, "service");
    rules::bring_up_to_date(
        &mut c,
        &cfg,
        t("2026-11-24T00:00:00+08:00"),
        by("2026-11-24T00:00:00+08:00"),
    )
    .unwrap();
    let r = report_on(vec![c], &params());
    assert_eq!(r.penalties.len(), 1, "{:?}", r.penalties);
    let p = &r.penalties[0];
    assert_eq!((p.at, p.amount, p.level), (t(FROM), 50, "general"));
    assert_eq!(
        (dept(&r, "service").penalties, dept(&r, "service").penalty_amount),
        (1, 50)
    );
}

/// SPEC §10.9 (replacing the first round's "cancelled penalties are not listed"): an
/// issued penalty keeps its line; its cancellation is a negative line in the week the
/// cancelling close was entered.
#[test]
fn a_cancelled_penalty_keeps_its_line_and_the_cancellation_is_a_negative_one() {
    let cfg = cfg();
    // Received 11-16 09:00, general (3 days): the deadline 11-19 09:00 is missed and
    // swept on 11-20; the close is then entered with a request time of 11-19 08:00.
    let mut c = case("20261116-001", "2026-11-16T09:00:00+08:00", Level::General, "service");
    rules::bring_up_to_date(
        &mut c,
        &cfg,
        t("2026-11-20T09:00:00+08:00"),
        by("2026-11-20T09:00:00+08:00"),
    )
    .unwrap();
    assert_eq!(c.state().unwrap().penalties.len(), 1);
    let close = |requested: &str| Close {
        resolution: "replaced".into(),
        remedy: "exchange".into(),
        satisfaction: Satisfaction::Satisfied,
        requested_at: Some(t(requested)),
        cause: None,
        countermeasure: None,
        approved_by: None,
    };
    let mut same_week = c.clone();
    rules::close(
        &mut same_week,
        &cfg,
        close("2026-11-19T08:00:00+08:00"),
        by("2026-11-20T10:00:00+08:00"),
    )
    .unwrap();
    let r = report_on(vec![same_week], &params());
    // +50 issued 11-19 09:00, −50 issued 11-20 10:00: two lines, net 0.
    let lines: Vec<(i64, Time, Option<Time>)> = r.penalties.iter().map(|p| (p.amount, p.issued, p.cancels)).collect();
    let missed = t("2026-11-19T09:00:00+08:00");
    assert_eq!(
        lines,
        vec![(50, missed, None), (-50, t("2026-11-20T10:00:00+08:00"), Some(missed))]
    );
    assert_eq!(
        (dept(&r, "service").penalties, dept(&r, "service").penalty_amount),
        (0, 0)
    );
    assert_eq!(dept(&r, "service").first_closes, 1);
    assert_eq!(r.categories[0].first_close_rate, Some(1.0));
    assert_eq!(r.categories[0].median_close_hours, Some(71.0));

    // Entered the next Tuesday instead: week 47 keeps its +50 line untouched, and the
    // −50 falls in week 48.
    let mut next_week = c;
    rules::close(
        &mut next_week,
        &cfg,
        close("2026-11-19T08:00:00+08:00"),
        by("2026-11-24T10:00:00+08:00"),
    )
    .unwrap();
    let r = report_on(vec![next_week.clone()], &params());
    let amounts: Vec<i64> = r.penalties.iter().map(|p| p.amount).collect();
    assert_eq!(amounts, vec![50]);
    let w48 = Params {
        from: t(TO),
        to: t("2026-11-30T00:00:00+08:00"),
        as_of: t("2026-11-30T00:00:00+08:00"),
        transactions: None,
    };
    let r = report_on(vec![next_week], &w48);
    let amounts: Vec<i64> = r.penalties.iter().map(|p| p.amount).collect();
    assert_eq!(amounts, vec![-50]);
}

#[test]
fn a_close_recorded_at_exactly_the_window_end_belongs_to_the_next_week() {
    let cfg = cfg();
    let close = Close {
        resolution: "ok".into(),
        remedy: "apology".into(),
        satisfaction: Satisfaction::Accepted,
        requested_at: Some(t("2026-11-22T09:00:00+08:00")),
        cause: None,
        countermeasure: None,
        approved_by: None,
    };
    let mut at_end = case("20261120-001", "2026-11-20T09:00:00+08:00", Level::Moderate, "sales");
    let mut before = case("20261120-002", "2026-11-20T09:00:00+08:00", Level::Moderate, "sales");
    rules::close(&mut at_end, &cfg, close.clone(), by(TO)).unwrap();
    rules::close(&mut before, &cfg, close, by("2026-11-22T23:59:59+08:00")).unwrap();
    let r = report_on(vec![at_end, before], &params());
    assert_eq!(r.intake.open_at_end, 1);
    assert_eq!(dept(&r, "sales").first_closes, 1);
    assert_eq!(r.categories[0].closes, 1);
}

#[test]
fn deferred_and_irrational_cases_at_week_end() {
    let cfg = cfg();
    let irrational = case(
        "20261117-001",
        "2026-11-17T09:00:00+08:00",
        Level::Irrational,
        "marketing",
    );
    let mut deferred = case("20261117-002", "2026-11-17T09:00:00+08:00", Level::Severe, "admin");
    rules::defer(
        &mut deferred,
        &cfg,
        "waiting for the maker".into(),
        FollowUp::Monitor,
        by("2026-11-17T09:30:00+08:00"),
    )
    .unwrap();
    let r = report_on(vec![irrational, deferred], &params());
    assert_eq!(r.irrational.first, 1);
    assert_eq!(r.irrational.second, 1);
    assert_eq!(r.irrational.first_ratio, Some(0.5));
    assert_eq!((r.irrational.watch, r.irrational.monitor), (1, 1));
    assert_eq!(r.intake.open_at_end, 2);
    // The irrational case keeps its limits (§8.6): never handed off, late (the
    // centre's handoff, §10.7) and overdue.
    assert_eq!(
        (dept(&r, "marketing").late_acks, dept(&r, "marketing").open_overdue),
        (0, 1)
    );
    assert_eq!(r.service_center.late_handoffs, 1);
    // The deferral stopped the clocks before the handoff deadline (§8.5).
    assert_eq!((dept(&r, "admin").late_acks, dept(&r, "admin").open_overdue), (0, 0));
    assert_eq!(r.penalties, vec![]);
}

#[test]
fn medians_and_ratios() {
    assert_eq!(median(&mut []), None);
    assert_eq!(median(&mut [5.0, 1.0, 3.0]), Some(3.0));
    assert_eq!(median(&mut [4.0, 1.0, 3.0, 10.0]), Some(3.5));
    assert_eq!(ratio(0, 0), None);
    assert_eq!(ratio(0, 4), Some(0.0));
}

/// SPEC §17.13: a close that a merge kept as a conflict (the other clerk had rejected
/// the case first) is no close in the report; the rejection stands.
#[test]
fn a_close_kept_as_a_merge_conflict_is_not_counted() {
    let cfg = cfg();
    let base = case("20261117-001", "2026-11-17T09:00:00+08:00", Level::General, "service");
    let mut closed = base.clone();
    let close = Close {
        resolution: "fixed".into(),
        remedy: "repair".into(),
        satisfaction: crate::domain::case::Satisfaction::Satisfied,
        requested_at: None,
        cause: None,
        countermeasure: None,
        approved_by: None,
    };
    rules::close(&mut closed, &cfg, close, by("2026-11-18T10:00:00+08:00")).unwrap();
    let mut rejected = base.clone();
    rules::reject(
        &mut rejected,
        &cfg,
        "other shop".into(),
        by("2026-11-18T09:00:00+08:00"),
    )
    .unwrap();
    let merged = crate::store::merge::merge(Some(&base), &closed, &rejected, &cfg).unwrap();
    let kinds: Vec<(EventKind, bool)> = merged.events.iter().map(|e| (e.kind, e.conflict)).collect();
    assert_eq!(
        kinds[2..],
        [(EventKind::Reject, false), (EventKind::Close, true)],
        "the earlier rejection stands"
    );
    assert_eq!(merged.status, crate::domain::case::Status::Rejected);
    assert_eq!(merged.close_kind, None);
    let r = report_on(vec![merged], &params());
    let quality = r.categories.iter().find(|c| c.category == "quality").unwrap();
    assert_eq!((quality.count, quality.closes), (1, 0));
}
