//! The two-step close (SPEC §10.5, §17.7): what a pending request pauses, what the
//! call-back applies, and what a refused one undoes.

use std::path::Path;

use super::*;
use crate::domain::config::default_text;

pub(super) fn cfg() -> Config {
    Config::parse(Path::new("config/kefu.toml"), &default_text()).unwrap()
}

fn cfg_requiring_cause() -> Config {
    let text = default_text().replacen("require_cause = []", "require_cause = [\"moderate\"]", 1);
    Config::parse(Path::new("config/kefu.toml"), &text).unwrap()
}

pub(super) fn t(s: &str) -> Time {
    chrono::DateTime::parse_from_rfc3339(s).unwrap()
}

pub(super) fn by(now: &str) -> By<'static> {
    By {
        actor: "clerk",
        now: t(now),
    }
}

/// The SPEC §4 example: general, to service, received 2026-11-02 09:00 (close due 11-05 09:00).
pub(super) fn general(cfg: &Config) -> Case {
    let received = "2026-11-02T09:00:00+08:00";
    let data = Intake {
        name: "王先生".into(),
        channel: "phone".into(),
        summary: "燒餅烙糊了".into(),
        ..Intake::default()
    };
    let mut c = new_case(cfg, "20261102-001".into(), t(received), data, by(received)).unwrap();
    let class = Classify {
        category: "quality".into(),
        level: Level::General,
        department: "service".into(),
        follow_up: None,
        external: None,
    };
    classify(&mut c, cfg, class, by(received)).unwrap();
    c
}

pub(super) fn request(at: Option<&str>) -> CloseRequest {
    CloseRequest {
        resolution: "換新".into(),
        remedy: "exchange".into(),
        from: None,
        at: at.map(t),
        cause: None,
        countermeasure: None,
    }
}

fn confirm(satisfaction: Satisfaction) -> Confirm {
    Confirm {
        satisfaction,
        approved_by: Some("主管".into()),
        at: None,
    }
}

/// [`general`], its close requested on 11-04 09:00, before the deadline.
fn requested(cfg: &Config) -> Case {
    let mut c = general(cfg);
    request_close(&mut c, cfg, request(None), by("2026-11-04T09:00:00+08:00")).unwrap();
    c
}

/// The centre's call-back at `at`, approved by a manager.
pub(super) fn call_back(c: &mut Case, cfg: &Config, satisfaction: Satisfaction, at: &str) -> Result<Option<CloseKind>> {
    confirm_close(c, cfg, confirm(satisfaction), by(at))
}

/// The case brought up to date at `at`, as a sweep then would; its state.
pub(super) fn swept(c: &mut Case, cfg: &Config, at: &str) -> State {
    bring_up_to_date(c, cfg, t(at), by(at)).unwrap()
}

fn kinds(c: &Case) -> Vec<&'static str> {
    c.events.iter().map(|e| e.kind.key()).collect()
}

#[test]
fn a_pending_request_pauses_escalation_and_runs_the_call_back_clock() {
    let cfg = cfg();
    let mut c = requested(&cfg);
    let s = c.state().unwrap();
    assert_eq!(s.status, Status::CloseRequested);
    assert!(s.status.is_open());
    // 11-04 09:00 + 12h.
    assert_eq!(s.deadlines.confirm, Some(t("2026-11-04T21:00:00+08:00")));
    // Weeks later, still unconfirmed: no escalation, only the call-back is overdue.
    let late = t("2026-11-30T09:00:00+08:00");
    let s = bring_up_to_date(&mut c, &cfg, late, by("2026-11-30T09:00:00+08:00")).unwrap();
    assert_eq!(kinds(&c), ["intake", "classify", "close_request"]);
    assert_eq!(overdue(&s, late), [Limit::Confirm]);
    let close = deadlines(&s).into_iter().find(|d| d.limit == Limit::Close).unwrap();
    assert_eq!(close.state(late), DeadlineState::Met, "requested before 11-05 09:00");
    // A second request, a rejection or a deferral wait for the call-back.
    for refused in [
        request_close(&mut c, &cfg, request(None), by("2026-11-30T09:00:00+08:00")).map(|_| ()),
        reject(&mut c, &cfg, "r".into(), by("2026-11-30T09:00:00+08:00")),
        defer(
            &mut c,
            &cfg,
            "r".into(),
            FollowUp::Watch,
            by("2026-11-30T09:00:00+08:00"),
        ),
    ] {
        assert!(refused.unwrap_err().to_string().contains("waits for the call-back"));
    }
}

#[test]
fn a_satisfied_call_back_closes_as_of_the_request() {
    let cfg = cfg();
    let mut c = requested(&cfg);
    let kind = call_back(&mut c, &cfg, Satisfaction::Satisfied, "2026-11-05T10:00:00+08:00").unwrap();
    // Requested before the 11-05 09:00 deadline, no escalation: a first-time close,
    // confirmed 13 h after the request (late by an hour).
    assert_eq!(kind, Some(CloseKind::First));
    let s = c.state().unwrap();
    assert_eq!(
        (s.status, s.stopped),
        (Status::Closed, Some(t("2026-11-04T09:00:00+08:00")))
    );
    let e = c.events.last().unwrap();
    assert!(e.late_confirm);
    assert_eq!(e.requested_at, Some(t("2026-11-04T09:00:00+08:00")));
    assert_eq!(e.by.as_deref(), Some("主管"));
    let now = t("2026-11-06T00:00:00+08:00");
    let states: Vec<(Limit, DeadlineState)> = deadlines(&s).iter().map(|d| (d.limit, d.state(now))).collect();
    assert!(states.contains(&(Limit::Confirm, DeadlineState::MetLate)), "{states:?}");
    assert!(states.contains(&(Limit::Close, DeadlineState::Met)), "{states:?}");
}

#[test]
fn a_refused_call_back_voids_the_request_and_the_escalations_since_follow() {
    let cfg = cfg();
    let mut c = requested(&cfg);
    let kind = call_back(&mut c, &cfg, Satisfaction::Dissatisfied, "2026-11-06T10:00:00+08:00").unwrap();
    assert_eq!(kind, None);
    // As if no request had been made: the 11-05 09:00 deadline was missed (50, →
    // moderate, new deadline 11-12 09:00), issued when the refusal was entered.
    let s = c.state().unwrap();
    assert_eq!(
        kinds(&c),
        ["intake", "classify", "close_request", "close", "penalty", "escalate"]
    );
    assert_eq!(s.status, Status::Classified);
    assert_eq!(s.classification.level, Some(Level::Moderate));
    assert_eq!(s.deadlines.close, Some(t("2026-11-12T09:00:00+08:00")));
    let penalty = &c.events[4];
    assert_eq!((penalty.at, penalty.amount), (t("2026-11-05T09:00:00+08:00"), Some(50)));
    assert_eq!(penalty.issued, Some(t("2026-11-06T10:00:00+08:00")));
    assert!(s.pending.is_none());
    assert!(audit(&c, &cfg, t("2026-11-06T10:00:00+08:00")).is_empty());
    // A later request then closes it, as a second close.
    request_close(&mut c, &cfg, request(None), by("2026-11-08T09:00:00+08:00")).unwrap();
    let kind = call_back(&mut c, &cfg, Satisfaction::Accepted, "2026-11-08T11:00:00+08:00").unwrap();
    assert_eq!(kind, Some(CloseKind::Second));
    assert_eq!(c.state().unwrap().status, Status::Closed);
}

#[test]
fn a_late_entered_request_cancels_nothing_until_the_call_back_approves_it() {
    let cfg = cfg();
    let mut c = general(&cfg);
    // A sweep on 11-06 recorded the 11-05 miss.
    swept(&mut c, &cfg, "2026-11-06T09:00:00+08:00");
    assert_eq!(c.state().unwrap().penalties.len(), 1);
    // Then the department's request of 11-04 is entered.
    let at = Some("2026-11-04T15:00:00+08:00");
    request_close(&mut c, &cfg, request(at), by("2026-11-06T10:00:00+08:00")).unwrap();
    let s = c.state().unwrap();
    assert_eq!(s.penalties.len(), 1, "a pending request cancels nothing");
    assert_eq!(
        c.events.last().unwrap().recorded_at,
        Some(t("2026-11-06T10:00:00+08:00"))
    );
    let kind = call_back(&mut c, &cfg, Satisfaction::Satisfied, "2026-11-06T11:00:00+08:00").unwrap();
    assert_eq!(kind, Some(CloseKind::First));
    let cancels: Vec<&Event> = c.events.iter().filter(|e| e.kind == EventKind::Cancel).collect();
    assert_eq!(cancels.len(), 2, "the escalation and its penalty");
    assert!(cancels.iter().all(|e| e.issued == Some(t("2026-11-06T11:00:00+08:00"))));
    assert!(c.state().unwrap().penalties.is_empty());
}

#[test]
fn the_call_back_needs_a_pending_request_and_keeps_time_order() {
    let cfg = cfg();
    let mut c = general(&cfg);
    let err = call_back(&mut c, &cfg, Satisfaction::Satisfied, "2026-11-03T09:00:00+08:00").unwrap_err();
    assert!(err.to_string().contains("no close request is pending"), "{err}");
    request_close(&mut c, &cfg, request(None), by("2026-11-04T09:00:00+08:00")).unwrap();
    let mut early = confirm(Satisfaction::Satisfied);
    early.at = Some(t("2026-11-04T08:00:00+08:00"));
    let err = confirm_close(&mut c, &cfg, early, by("2026-11-04T10:00:00+08:00")).unwrap_err();
    assert!(
        err.to_string().contains("before the case's last recorded event"),
        "{err}"
    );
    // A one-step close over a pending request is refused too.
    let one_step = Close {
        resolution: "r".into(),
        remedy: "refund".into(),
        satisfaction: Satisfaction::Satisfied,
        requested_at: None,
        cause: None,
        countermeasure: None,
        approved_by: None,
    };
    let err = close(&mut c, &cfg, one_step, by("2026-11-04T10:00:00+08:00")).unwrap_err();
    assert!(err.to_string().contains("waits for the call-back"), "{err}");
}

#[test]
fn the_cause_is_required_by_the_level_in_force_at_the_request() {
    let cfg = cfg_requiring_cause();
    let mut c = general(&cfg);
    // Requested before the 11-05 miss: still general, no cause needed.
    let mut early = c.clone();
    request_close(&mut early, &cfg, request(None), by("2026-11-04T09:00:00+08:00")).unwrap();
    // Requested on 11-06, after the case became moderate: refused without both.
    let err = request_close(&mut c, &cfg, request(None), by("2026-11-06T09:00:00+08:00")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "--cause is required: the level in force at the close request is moderate (listed in [close] require_cause)"
    );
    let mut r = request(None);
    r.cause = Some("烤箱溫控器批次不良".into());
    let err = request_close(&mut c, &cfg, r.clone(), by("2026-11-06T09:00:00+08:00")).unwrap_err();
    assert!(err.to_string().starts_with("--countermeasure is required"), "{err}");
    r.countermeasure = Some("  ".into());
    let err = request_close(&mut c, &cfg, r.clone(), by("2026-11-06T09:00:00+08:00")).unwrap_err();
    assert!(err.to_string().contains("must not be blank"), "{err}");
    r.countermeasure = Some("更換供應商\n入庫抽檢".into());
    request_close(&mut c, &cfg, r, by("2026-11-06T09:00:00+08:00")).unwrap();
    let e = c.events.last().unwrap();
    assert_eq!(e.countermeasure.as_deref(), Some("更換供應商\n入庫抽檢"));
    assert_eq!(
        e.from.as_deref(),
        Some("service"),
        "the classified department by default"
    );
}

#[test]
fn a_case_file_with_a_pending_request_reads_back_the_same() {
    let cfg = cfg();
    let mut c = general(&cfg);
    let mut r = request(None);
    r.cause = Some("批次不良".into());
    r.countermeasure = Some("抽檢".into());
    request_close(&mut c, &cfg, r, by("2026-11-04T09:00:00+08:00")).unwrap();
    let text = crate::store::to_toml(&c).unwrap();
    assert!(text.contains("kind = \"close_request\"") && text.contains("confirm = \"2026-11-04T21:00:00+08:00\""));
    let back = crate::store::parse_case(&text, Path::new("cases/20261102-001.toml")).unwrap();
    assert_eq!(back, c);
    assert!(back.verify().is_ok());
}

/// The penalty ledger (SPEC §11.1, §17.17).
#[test]
fn a_decision_records_the_owed_penalty_first_and_a_later_close_cancels_an_executed_one() {
    let cfg = cfg();
    let mut c = general(&cfg);
    // Nothing recorded yet; at 11-06 the rules owe the penalty of 11-05 09:00 (50).
    assert!(!c.events.iter().any(|e| e.kind == EventKind::Penalty));
    let n = decide_penalty(
        &mut c,
        &cfg,
        "P1",
        Decision::Confirm,
        Some("GM".into()),
        by("2026-11-06T09:00:00+08:00"),
    )
    .unwrap();
    assert_eq!(n, 1);
    assert_eq!(kinds(&c)[2..], ["penalty", "escalate", "penalty_confirm"]);
    let exec = Decision::Execute {
        at: Some(t("2026-11-06T08:00:00+08:00")),
        reference: None,
    };
    let err = decide_penalty(&mut c, &cfg, "P1", exec, None, by("2026-11-07T09:00:00+08:00")).unwrap_err();
    assert!(err.to_string().contains("before the penalty was confirmed"), "{err}");
    let exec = Decision::Execute {
        at: None,
        reference: Some("v1".into()),
    };
    decide_penalty(&mut c, &cfg, "P1", exec, None, by("2026-11-07T09:00:00+08:00")).unwrap();
    // The department asked to close on 11-04, entered on 11-08: P1 never happened.
    let one_step = Close {
        resolution: "換新".into(),
        remedy: "exchange".into(),
        satisfaction: Satisfaction::Satisfied,
        requested_at: Some(t("2026-11-04T09:00:00+08:00")),
        cause: None,
        countermeasure: None,
        approved_by: None,
    };
    close(&mut c, &cfg, one_step, by("2026-11-08T09:00:00+08:00")).unwrap();
    let ledger = crate::domain::penalty::ledger(&c.events);
    assert_eq!(ledger[0].state, crate::domain::penalty::PenaltyState::Cancelled);
    assert!(ledger[0].refund());
    // No decision on a cancelled penalty; the log stays explainable.
    let err = decide_penalty(
        &mut c,
        &cfg,
        "P1",
        Decision::Confirm,
        None,
        by("2026-11-09T09:00:00+08:00"),
    )
    .unwrap_err();
    assert!(err.to_string().contains("cancelled"), "{err}");
    assert!(c.state().is_ok());
    assert!(audit(&c, &cfg, t("2026-11-09T09:00:00+08:00")).is_empty());
}
