//! Policy stored with the case (SPEC §17.4), reclassification that never charges
//! twice (§17.5), and corrections of the intake data (§10.10, §17.9).

use std::path::Path;

use super::tests::{by, call_back, cfg, general, request, swept, t};
use super::*;
use crate::domain::config::default_text;

/// The default config with other general/moderate amounts and close limits.
fn changed() -> Config {
    let text = default_text()
        .replacen("general = 50", "general = 80", 1)
        .replacen("moderate = 100", "moderate = 130", 1)
        .replacen("close = \"3d\"", "close = \"5d\"", 1);
    let c = Config::parse(Path::new("config/kefu.toml"), &text).unwrap();
    assert_eq!(
        (c.penalty(Level::General), c.limits(Level::General).close),
        (80, Span::days(5))
    );
    c
}

fn penalties(c: &Case) -> Vec<(String, String, u64)> {
    let s = c.state().unwrap();
    s.penalties
        .iter()
        .map(|&i| {
            let e = &c.events[i];
            (rfc3339(&e.at), e.department.clone().unwrap(), e.amount.unwrap())
        })
        .collect()
}

fn class(level: Level, department: &str) -> Classify {
    Classify {
        category: "other".into(),
        level,
        department: department.into(),
        follow_up: None,
        external: None,
    }
}

#[test]
fn a_case_keeps_the_policy_it_was_classified_under() {
    let mut c = general(&cfg());
    assert_eq!(c.events[1].policy, Some(cfg().policy()));
    // The config changes after the classification: the case's escalations and
    // penalties still follow the stored policy (SPEC §4 example: 50 at 11-05, then
    // moderate's 100 at 11-12).
    let s = swept(&mut c, &changed(), "2026-11-13T00:00:00+08:00");
    assert_eq!(
        penalties(&c),
        [
            ("2026-11-05T09:00:00+08:00".into(), "service".into(), 50),
            ("2026-11-12T09:00:00+08:00".into(), "service".into(), 100)
        ]
    );
    assert_eq!(s.deadlines.close, Some(t("2026-11-27T09:00:00+08:00")));
    assert!(audit(&c, &changed(), t("2026-11-13T00:00:00+08:00")).is_empty());
    // A file from before policies were stored follows the config in force.
    let mut old = general(&cfg());
    old.events[1].policy = None;
    swept(&mut old, &changed(), "2026-11-06T00:00:00+08:00");
    assert_eq!(penalties(&old)[0].2, 80);
}

#[test]
fn a_classification_after_the_change_applies_the_new_policy() {
    let mut c = general(&cfg());
    // Reclassified before any miss, under the changed config: received 11-02 09:00 + 5d.
    classify(
        &mut c,
        &changed(),
        class(Level::General, "service"),
        by("2026-11-03T09:00:00+08:00"),
    )
    .unwrap();
    let s = c.state().unwrap();
    assert_eq!(s.deadlines.close, Some(t("2026-11-07T09:00:00+08:00")));
    swept(&mut c, &cfg(), "2026-11-08T00:00:00+08:00");
    assert_eq!(
        penalties(&c),
        [("2026-11-07T09:00:00+08:00".into(), "service".into(), 80)]
    );
}

#[test]
fn after_a_missed_close_the_level_stays_and_no_deadline_is_charged_twice() {
    let cfg = cfg();
    let mut c = general(&cfg);
    // 11-10: escalated at 11-05 (general → moderate, close 11-12).
    let err = classify(
        &mut c,
        &cfg,
        class(Level::General, "service"),
        by("2026-11-10T09:00:00+08:00"),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("a level cannot change after a missed close deadline"),
        "{err}"
    );
    classify(
        &mut c,
        &cfg,
        class(Level::Moderate, "sales"),
        by("2026-11-10T09:00:00+08:00"),
    )
    .unwrap();
    let s = swept(&mut c, &cfg, "2026-11-20T00:00:00+08:00");
    // The 11-05 miss was charged once, to service; sales only for 11-12, after it had the case.
    assert_eq!(
        penalties(&c),
        [
            ("2026-11-05T09:00:00+08:00".into(), "service".into(), 50),
            ("2026-11-12T09:00:00+08:00".into(), "sales".into(), 100)
        ]
    );
    assert_eq!(s.deadlines.close, Some(t("2026-11-27T09:00:00+08:00")));
    assert_eq!(s.classification.category.as_deref(), Some("other"));
}

#[test]
fn before_a_miss_reclassification_recomputes_from_the_receipt() {
    let cfg = cfg();
    let mut c = general(&cfg);
    classify(
        &mut c,
        &cfg,
        class(Level::Moderate, "service"),
        by("2026-11-03T09:00:00+08:00"),
    )
    .unwrap();
    let s = c.state().unwrap();
    // received 11-02 09:00 + moderate's 2h and 7d.
    assert_eq!(s.deadlines.handoff, Some(t("2026-11-02T11:00:00+08:00")));
    assert_eq!(s.deadlines.close, Some(t("2026-11-09T09:00:00+08:00")));
    // Back to general on 11-06: its close deadline (11-05) has passed; refused.
    let err = classify(
        &mut c,
        &cfg,
        class(Level::General, "service"),
        by("2026-11-06T09:00:00+08:00"),
    )
    .unwrap_err();
    assert!(err.to_string().contains("which has already passed"), "{err}");
    assert_eq!(c.state().unwrap().deadlines.close, Some(t("2026-11-09T09:00:00+08:00")));
}

#[test]
fn an_edited_receipt_moves_the_deadlines_counted_from_it_with_the_stored_policy() {
    let mut c = general(&cfg());
    let edit = |received: &str| Edit {
        received_at: Some(t(received)),
        reason: "the voicemail of the evening before".into(),
        ..Edit::default()
    };
    // Under a changed config the stored policy still counts: 3d, not 5d.
    super::edit(
        &mut c,
        &changed(),
        edit("2026-11-02T08:45:00+08:00"),
        by("2026-11-02T09:30:00+08:00"),
    )
    .unwrap();
    let s = c.state().unwrap();
    assert_eq!(s.deadlines.close, Some(t("2026-11-05T08:45:00+08:00")));
    assert_eq!(s.deadlines.handoff, Some(t("2026-11-02T12:45:00+08:00")));
    assert_eq!(c.received_at, t("2026-11-02T08:45:00+08:00"));
    // Later than the intake was dated: the intake and its classification stay valid.
    super::edit(
        &mut c,
        &cfg(),
        edit("2026-11-02T09:20:00+08:00"),
        by("2026-11-02T09:30:00+08:00"),
    )
    .unwrap();
    assert_eq!(c.state().unwrap().deadlines.close, Some(t("2026-11-05T09:20:00+08:00")));
    // Once something else is recorded the receipt is fixed.
    handoff(&mut c, &cfg(), "service", false, None, by("2026-11-02T09:40:00+08:00")).unwrap();
    let err = super::edit(
        &mut c,
        &cfg(),
        edit("2026-11-02T09:00:00+08:00"),
        by("2026-11-02T09:50:00+08:00"),
    )
    .unwrap_err();
    assert!(err.to_string().contains("handoff at"), "{err}");
}

#[test]
fn check_replays_sweeps_late_entries_and_call_backs_without_a_false_alarm() {
    let cfg = cfg();
    let now = t("2026-12-20T09:00:00+08:00");
    // Swept on 11-06 (11-05: 50), then a request of 11-04 entered and approved:
    // the penalty and its escalation stay, cancelled.
    let mut late = general(&cfg);
    swept(&mut late, &cfg, "2026-11-06T09:00:00+08:00");
    let request = request(Some("2026-11-04T15:00:00+08:00"));
    request_close(&mut late, &cfg, request.clone(), by("2026-11-06T10:00:00+08:00")).unwrap();
    call_back(&mut late, &cfg, Satisfaction::Satisfied, "2026-11-06T11:00:00+08:00").unwrap();
    assert_eq!(late.events.iter().filter(|e| e.kind == EventKind::Cancel).count(), 2);
    assert_eq!(audit(&late, &cfg, now), Vec::<String>::new());
    // The same without the sweep: nothing to cancel, and nothing reported either.
    let mut unswept = general(&cfg);
    request_close(&mut unswept, &cfg, request.clone(), by("2026-11-06T10:00:00+08:00")).unwrap();
    call_back(&mut unswept, &cfg, Satisfaction::Satisfied, "2026-11-06T11:00:00+08:00").unwrap();
    assert_eq!(audit(&unswept, &cfg, now), Vec::<String>::new());
    // A refused call-back, monthly penalties, and a reclassification after the miss.
    let mut long = general(&cfg);
    request_close(
        &mut long,
        &cfg,
        CloseRequest { at: None, ..request },
        by("2026-11-04T09:00:00+08:00"),
    )
    .unwrap();
    call_back(&mut long, &cfg, Satisfaction::Dissatisfied, "2026-11-06T10:00:00+08:00").unwrap();
    classify(
        &mut long,
        &cfg,
        class(Level::Moderate, "sales"),
        by("2026-11-10T09:00:00+08:00"),
    )
    .unwrap();
    bring_up_to_date(&mut long, &cfg, now, by("2026-12-20T09:00:00+08:00")).unwrap();
    assert!(
        long.events.iter().any(|e| e.monthly),
        "a monthly penalty is in the history"
    );
    assert_eq!(audit(&long, &cfg, now), Vec::<String>::new());
    // A penalty taken out of the log before a later step is missing.
    let i = long.events.iter().position(|e| e.kind == EventKind::Penalty).unwrap();
    long.events.remove(i);
    let problems = audit(&long, &cfg, now);
    assert_eq!(
        problems,
        [
            "missing penalty at 2026-11-05T09:00:00+08:00 (50): the rules produce it before a later step, but it is not recorded (removed by hand?)"
        ]
    );
}
