//! The two-step close (SPEC §10.5, §17.7; seed 000 7.4.1): the department requests the
//! close, the centre calls the customer back within 12 h and approves it.

use serde_json::{Value, json};

use crate::env::{Env, Run, class, element, kinds, strings};

/// A general/quality/service case received at `now` (close due 3 days later).
fn received(env: &mut Env, now: &str) -> String {
    env.set_now(now);
    env.classified("王先生")
}

fn request(env: &mut Env, now: &str, id: &str, extra: &[&str]) -> Run {
    env.set_now(now);
    let mut args = vec!["close", id, "--request", "--resolution", "換新", "--remedy", "exchange"];
    args.extend_from_slice(extra);
    env.run(&args)
}

fn confirm(env: &mut Env, now: &str, id: &str, satisfaction: &str) -> Run {
    env.set_now(now);
    env.run(&["close", id, "--satisfaction", satisfaction])
}

#[test]
fn a_request_waits_for_the_call_back_and_a_satisfied_one_closes_it() {
    let mut env = Env::new();
    let id = received(&mut env, "2026-11-23T10:15:00+08:00");
    env.run(&["handoff", &id, "--to", "service"]).ok();
    request(&mut env, "2026-11-24T09:00:00+08:00", &id, &["--from", "服務站"]).ok();
    let case = env.show(&id);
    assert_eq!(case["status"], "close_requested");
    assert_eq!(case["close_kind"], Value::Null);
    // Requested 11-24 09:00 + confirm 12h.
    assert_eq!(case["deadlines"]["confirm"], "2026-11-24T21:00:00+08:00");
    assert_eq!(case["deadline_states"]["confirm"], "due");
    assert_eq!(case["deadline_states"]["close"], "met");
    assert_eq!(
        case["close_request"],
        json!({
            "requested_at": "2026-11-24T09:00:00+08:00",
            "from": "service",
            "resolution": "換新",
            "remedy": "exchange",
            "cause": null,
            "countermeasure": null,
            "confirm_by": "2026-11-24T21:00:00+08:00",
            "confirm_state": "due"
        })
    );
    // The agenda holds the call-back and nothing else of this case: the other clocks
    // wait with the request.
    let due = env.run(&["due", "--json"]).ok().json();
    let limits = strings(&due, "limit");
    assert_eq!(limits, ["confirm"], "{due:#}");
    let page = env.run(&["show", &id]).ok().stdout;
    assert!(page.contains("[close_requested]"), "{page}");
    assert!(
        page.contains("close asked 2026-11-24 09:00 by 服務站: 換新 (exchange) — call the customer back by 2026-11-24 21:00, due in 12h"),
        "{page}"
    );
    // An English shop (LANG=C.UTF-8 at init) names the limit in English.
    assert!(page.contains("  confirm   "), "{page}");

    env.set_now("2026-11-24T15:00:00+08:00");
    env.run(&["close", &id, "--satisfaction", "satisfied", "--approved-by", "客服主管"])
        .ok();
    let case = env.show(&id);
    assert_eq!(case["status"], "closed");
    assert_eq!(case["close_kind"], "first");
    assert_eq!(case["close_request"], Value::Null);
    assert_eq!(case["deadline_states"]["confirm"], "met");
    let events = case["events"].as_array().unwrap();
    let (req, conf) = (&events[events.len() - 2], &events[events.len() - 1]);
    assert_eq!(req["kind"], "close_request");
    assert_eq!(conf["kind"], "close");
    assert_eq!(conf["confirms"], req["id"]);
    assert_eq!(conf["requested_at"], "2026-11-24T09:00:00+08:00");
    assert_eq!(conf["by"], "客服主管");
    assert!(conf.get("late_confirm").is_none());
    let log = env.run(&["log", &id]).ok().stdout;
    assert!(
        log.contains("close request on") && log.contains("(first-time)"),
        "{log}"
    );
}

#[test]
fn a_refused_call_back_voids_the_request_and_a_later_request_closes() {
    let mut env = Env::new();
    let id = received(&mut env, "2026-11-23T10:15:00+08:00");
    request(&mut env, "2026-11-25T09:00:00+08:00", &id, &[]).ok();
    // Past the 11-26 10:15 deadline, the request still holds the clock.
    env.set_now("2026-11-27T10:00:00+08:00");
    assert_eq!(env.show(&id)["level"], "general");
    confirm(&mut env, "2026-11-27T10:00:00+08:00", &id, "dissatisfied").ok();
    let case = env.show(&id);
    // As if no request had been made: the 11-26 10:15 deadline was missed (50, general
    // → moderate, next deadline 11-26 10:15 + 7d = 12-03 10:15), issued when the
    // refusal was entered.
    assert_eq!(case["status"], "classified");
    assert_eq!(case["level"], "moderate");
    assert_eq!(case["deadlines"]["close"], "2026-12-03T10:15:00+08:00");
    assert_eq!(case["close_request"], Value::Null);
    assert_eq!(
        kinds(&case),
        ["intake", "classify", "close_request", "close", "penalty", "escalate"]
    );
    let penalty = &case["events"][4];
    assert_eq!(penalty["at"], "2026-11-26T10:15:00+08:00");
    assert_eq!(penalty["issued"], "2026-11-27T10:00:00+08:00");
    assert_eq!(penalty["amount"], 50);
    assert!(env.case_text(&id).contains("penalty"), "the write recorded it");

    request(&mut env, "2026-11-28T09:00:00+08:00", &id, &[]).ok();
    assert_eq!(env.show(&id)["status"], "close_requested");
    confirm(&mut env, "2026-11-28T10:00:00+08:00", &id, "accepted").ok();
    let case = env.show(&id);
    assert_eq!(
        (case["status"].as_str(), case["close_kind"].as_str()),
        (Some("closed"), Some("second"))
    );
    env.run(&["check"]).ok();
}

#[test]
fn an_overdue_call_back_is_on_the_agenda_and_in_the_overdue_list() {
    let mut env = Env::new();
    let id = received(&mut env, "2026-11-23T10:15:00+08:00");
    request(&mut env, "2026-11-23T11:00:00+08:00", &id, &[]).ok();
    // Due 11-23 23:00; at 11-24 09:00 it is 10 h overdue.
    env.set_now("2026-11-24T09:00:00+08:00");
    let due = env.run(&["due", "--json"]).ok().json();
    assert_eq!(due.as_array().unwrap().len(), 1, "{due:#}");
    assert_eq!(
        (
            due[0]["limit"].as_str(),
            due[0]["due"].as_str(),
            due[0]["overdue"].as_bool()
        ),
        (Some("confirm"), Some("2026-11-23T23:00:00+08:00"), Some(true))
    );
    let table = env.run(&["due"]).ok().stdout;
    assert!(
        table.contains("overdue 10h") && table.contains("  confirm  "),
        "{table}"
    );
    let overdue = env.run(&["list", "--overdue", "--json"]).ok().json();
    assert_eq!(overdue[0]["id"], id.as_str());
    assert_eq!(overdue[0]["overdue"], json!(["confirm"]));
    let listed = env.run(&["list", "--status", "close_requested", "--json"]).ok().json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    // Confirmed late: met late, and marked on the close event.
    confirm(&mut env, "2026-11-24T09:30:00+08:00", &id, "satisfied").ok();
    let case = env.show(&id);
    assert_eq!(case["deadline_states"]["confirm"], "met_late");
    assert_eq!(case["events"].as_array().unwrap().last().unwrap()["late_confirm"], true);
}

#[test]
fn reads_are_the_same_before_and_after_a_sweep_with_a_request_pending() {
    let mut env = Env::new();
    let waiting = received(&mut env, "2026-11-02T09:00:00+08:00");
    let other = env.classified("陳太太");
    // Requested before the 11-05 09:00 deadline, never called back.
    request(&mut env, "2026-11-04T09:00:00+08:00", &waiting, &[]).ok();
    env.set_now("2026-12-20T09:00:00+08:00");
    let reads = |env: &Env| -> Vec<String> {
        [
            vec!["show", waiting.as_str(), "--json"],
            vec!["show", other.as_str(), "--json"],
            vec!["list", "--json"],
            vec!["due", "--json"],
            vec!["friday", "--no-sweep", "--json", "--week", "2026-W45"],
        ]
        .iter()
        .map(|args| env.run(args).ok().stdout)
        .collect()
    };
    let before = reads(&env);
    let text = env.case_text(&waiting);
    let swept = env.run(&["sweep", "--json"]).ok().json();
    // The other case is escalated (the SPEC §4 example: 5 penalties); the waiting one not.
    assert_eq!(swept["cases"], 1);
    assert_eq!(swept["penalties"], 5);
    assert_eq!(env.case_text(&waiting), text, "a pending request pauses escalation");
    assert_eq!(reads(&env), before);
    let case = env.show(&waiting);
    assert_eq!(case["level"], "general");
    assert_eq!(case["overdue"], json!(["confirm"]));
}

#[test]
fn a_cause_is_required_for_the_levels_the_config_lists() {
    let env = Env::new();
    let config = env.path("config/kefu.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("require_cause = []\n"), "kefu init requires no cause");
    std::fs::write(
        &config,
        text.replace("require_cause = []\n", "require_cause = [\"moderate\", \"severe\"]\n"),
    )
    .unwrap();
    env.commit_by_hand(&["-am", "require a cause"]);
    let id = env.intake("陳太太", &class("quality", "moderate", "service"));
    let close = ["close", &id, "--resolution", "換新", "--remedy", "exchange"];
    let before = env.snapshot();
    env.run(&[&close[..], &["--request"]].concat()).fails(
        "--cause is required: the level in force at the close request is moderate (listed in [close] require_cause)",
    );
    env.run(&[&close[..], &["--satisfaction", "satisfied", "--cause", "溫控器不良"]].concat())
        .fails("--countermeasure is required");
    assert_eq!(env.snapshot(), before, "nothing written");
    let cause = ["--cause", "溫控器批次不良", "--countermeasure", "更換供應商\n入庫抽檢"];
    env.run(&[&close[..], &["--request"], &cause].concat()).ok();
    let case = env.show(&id);
    assert_eq!(case["close_request"]["cause"], "溫控器批次不良");
    assert_eq!(case["close_request"]["countermeasure"], "更換供應商\n入庫抽檢");
    let page = env.run(&["show", &id]).ok().stdout;
    assert!(page.contains("cause       溫控器批次不良"), "{page}");
    // A general case needs none.
    let general = env.classified("王先生");
    env.close(&general, "satisfied", None).ok();
}

#[test]
fn the_flags_of_each_step_are_checked() {
    let mut env = Env::new();
    let id = received(&mut env, "2026-11-23T10:15:00+08:00");
    let before = env.snapshot();
    env.run(&["close", &id, "--satisfaction", "satisfied"])
        .fails("no close request is pending");
    env.run(&["close", &id, "--request", "--remedy", "refund"])
        .fails("--request needs --resolution");
    let now = "2026-11-23T10:15:00+08:00";
    request(&mut env, now, &id, &["--from", "倉庫"]).fails("--from: unknown department \"倉庫\"");
    request(&mut env, now, &id, &["--at", "2026-11-23T11:00:00+08:00"]).fails("is in the future");
    assert_eq!(env.snapshot(), before);
    for usage in [
        vec!["close", id.as_str(), "--resolution", "r", "--remedy", "refund"],
        vec!["close", id.as_str(), "--request", "--satisfaction", "satisfied"],
        vec!["close", id.as_str(), "--from", "service", "--satisfaction", "satisfied"],
    ] {
        assert_eq!(env.run(&usage).code, 2, "{usage:?}");
    }
    request(&mut env, "2026-11-23T11:00:00+08:00", &id, &[]).ok();
    env.run(&[
        "close",
        &id,
        "--satisfaction",
        "satisfied",
        "--at",
        "2026-11-23T10:30:00+08:00",
    ])
    .fails("before the case's last recorded event");
    env.run(&["close", &id, "--satisfaction", "satisfied", "--cause", "x"])
        .fails("go with the close request");
    request(&mut env, "2026-11-23T11:00:00+08:00", &id, &[]).fails("waits for the call-back");
    env.close(&id, "satisfied", None).fails("waits for the call-back");
    env.run(&["reject", &id, "--reason", "r"])
        .fails("waits for the call-back");
}

#[test]
fn a_case_file_from_before_the_two_steps_reads_as_before() {
    let mut env = Env::new();
    let id = received(&mut env, "2026-11-23T10:15:00+08:00");
    env.close(&id, "satisfied", Some("2026-11-23T10:00:00+08:00"))
        .fails("before the case was received");
    env.set_now("2026-11-23T12:00:00+08:00");
    env.close(&id, "satisfied", Some("2026-11-23T11:00:00+08:00")).ok();
    // A one-step close records the call-back deadline too: requested 11:00 + 12h.
    let case = env.show(&id);
    assert_eq!(case["deadlines"]["confirm"], "2026-11-23T23:00:00+08:00");
    assert_eq!(case["deadline_states"]["confirm"], "met");
    // The same file as an older kefu wrote it: no confirm deadline anywhere.
    let path = env.path(&crate::env::case_file(&id));
    let old: String = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("confirm"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&path, old).unwrap();
    let config = env.path("config/kefu.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace("auto_commit = true", "auto_commit = false")).unwrap();
    let case = env.show(&id);
    assert_eq!(case["status"], "closed");
    assert_eq!(case["close_kind"], "first");
    assert_eq!(case["deadlines"]["confirm"], Value::Null);
    assert_eq!(case["deadline_states"]["confirm"], "none");
    env.run(&["check"]).ok();
}

/// Week 2026-W47 is Mon 11-16 00:00 to Mon 11-23 00:00 (Asia/Shanghai).
#[test]
fn a_close_counts_in_the_week_of_its_confirmation_and_late_call_backs_are_the_centres() {
    let mut env = Env::new();
    // A: received Mon 11-16 09:00 (close due 11-19 09:00); the department asks on
    // Wed 11-18 10:00 (call back by 11-18 22:00), the call-back is made only on Mon
    // 11-23 10:00, in W48.
    let a = received(&mut env, "2026-11-16T09:00:00+08:00");
    // B: received Tue 11-17 09:00, asked 15:00, called back 20:00 (due 11-18 03:00).
    let b = received(&mut env, "2026-11-17T09:00:00+08:00");
    request(&mut env, "2026-11-17T15:00:00+08:00", &b, &[]).ok();
    confirm(&mut env, "2026-11-17T20:00:00+08:00", &b, "satisfied").ok();
    request(&mut env, "2026-11-18T10:00:00+08:00", &a, &[]).ok();
    confirm(&mut env, "2026-11-23T10:00:00+08:00", &a, "satisfied").ok();

    env.set_now("2026-11-24T09:00:00+08:00");
    let w47 = env.run(&["friday", "--week", "2026-W47", "--json"]).ok().json();
    // Only B's close is in W47: 1 close, first-time; 15:00 − 09:00 = 6 h to the request.
    let quality = &w47["categories"][0];
    assert_eq!(quality["category"], "quality");
    assert_eq!(
        (
            &quality["closes"],
            &quality["first_close_rate"],
            &quality["median_close_hours"]
        ),
        (&json!(1), &json!(1.0), &json!(6.0))
    );
    let service = element(&w47["departments"], "department", "service");
    assert_eq!(
        (&service["first_closes"], &service["second_closes"]),
        (&json!(1), &json!(0))
    );
    // A was still open at the week's end (its request not yet confirmed).
    assert_eq!(w47["intake"]["open_at_end"], 1);
    // A's call-back was due 11-18 22:00, in W47, and made on 11-23: one late
    // confirmation; B's (due 11-18 03:00, made 11-17 20:00) was on time.
    assert_eq!(w47["service_center"]["late_confirmations"], 1);
    let text = env.run(&["friday", "--week", "2026-W47"]).ok().stdout;
    assert!(
        text.contains("late close confirmations (call-back after 12h): 1"),
        "{text}"
    );

    env.set_now("2026-12-01T09:00:00+08:00");
    let w48 = env.run(&["friday", "--week", "2026-W48", "--json"]).ok().json();
    // A's close counts in W48, the week of its confirmation, and its time to close
    // still runs to the request: 11-18 10:00 − 11-16 09:00 = 49 h; requested before
    // the 11-19 09:00 deadline, so a first-time close.
    let quality = &w48["categories"][0];
    assert_eq!(
        (
            &quality["closes"],
            &quality["first_close_rate"],
            &quality["median_close_hours"]
        ),
        (&json!(1), &json!(1.0), &json!(49.0))
    );
    assert_eq!(w48["service_center"]["late_confirmations"], 0);
    assert_eq!(env.show(&a)["close_kind"], "first");
}
