//! The second round's rules for policy and corrections: policy stored with the case
//! (SPEC §17.4), reclassification that never charges twice (§17.5), `kefu edit`
//! (§10.10, §17.9), repeat customers (§10.11), the centre's own lateness (§10.7).

use serde_json::Value;

use crate::env::{Env, element};

const RECEIVED: &str = "2026-11-02T09:00:00+08:00";

/// The SPEC §4 example's case: general, to service, received 2026-11-02 09:00.
fn spec_case(env: &mut Env) -> String {
    env.set_now(RECEIVED);
    env.classified("王先生")
}

/// Penalties in force (not cancelled) of a case's JSON: (at, department, amount).
fn penalties(case: &Value) -> Vec<(String, String, u64)> {
    let events = case["events"].as_array().unwrap();
    let cancelled: Vec<&str> = events
        .iter()
        .filter(|e| e["kind"] == "cancel")
        .map(|e| e["cancels"].as_str().unwrap())
        .collect();
    events
        .iter()
        .filter(|e| e["kind"] == "penalty" && !cancelled.contains(&e["id"].as_str().unwrap()))
        .map(|e| {
            (
                e["at"].as_str().unwrap().to_string(),
                e["department"].as_str().unwrap().to_string(),
                e["amount"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn p(at: &str, dept: &str, amount: u64) -> (String, String, u64) {
    (at.to_string(), dept.to_string(), amount)
}

/// Change the shop's general penalty and close limit in its config.
fn change_config(env: &Env) {
    let path = env.path("config/kefu.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let changed = text.replacen("general = 50", "general = 80", 1).replacen(
        "general = { handoff = \"4h\", first_reply = \"24h\", close = \"3d\" }",
        "general = { handoff = \"4h\", first_reply = \"24h\", close = \"5d\" }",
        1,
    );
    assert_ne!(text, changed, "the default config has the lines this test changes");
    std::fs::write(&path, changed).unwrap();
}

#[test]
fn a_config_change_applies_to_classifications_made_after_it() {
    let mut env = Env::new();
    let before = spec_case(&mut env);
    change_config(&env);
    env.set_now("2026-11-02T10:00:00+08:00");
    let after = env.classified("李小姐");
    env.set_now("2026-11-08T00:00:00+08:00");
    // Classified under the old policy: close 11-02 09:00 + 3d, 50 (not 80).
    let old = env.show(&before);
    assert_eq!(penalties(&old), [p("2026-11-05T09:00:00+08:00", "service", 50)]);
    // Under the new one: close 11-02 10:00 + 5d = 11-07 10:00, 80.
    let new = env.show(&after);
    assert_eq!(new["deadlines"]["close"].as_str(), Some("2026-11-14T10:00:00+08:00"));
    assert_eq!(penalties(&new), [p("2026-11-07T10:00:00+08:00", "service", 80)]);
    // The sweep records what the reads showed, and check finds nothing to report.
    env.run(&["sweep"]).ok();
    assert_eq!(penalties(&env.show(&before)), penalties(&old));
    env.run(&["check"]).ok();
}

#[test]
fn a_file_without_a_stored_policy_follows_the_config() {
    let mut env = Env::new();
    let id = spec_case(&mut env);
    let path = env.path(&crate::env::case_file(&id));
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text
        .find("\n[events.policy]")
        .expect("the classify event stores its policy");
    let end = text[start..].find("monthly_multiplier = 1\n").unwrap() + start + "monthly_multiplier = 1\n".len();
    std::fs::write(&path, format!("{}\n{}", &text[..start], &text[end..])).unwrap();
    change_config(&env);
    env.set_now("2026-11-06T00:00:00+08:00");
    // The stored close deadline stays (11-05); the amount is the config's.
    assert_eq!(
        penalties(&env.show(&id)),
        [p("2026-11-05T09:00:00+08:00", "service", 80)]
    );
}

#[test]
fn reclassified_after_the_escalation_the_first_miss_is_not_charged_again() {
    // Issue 13: escalated at 11-05 (general → moderate), reclassified on 11-10; it
    // used to get a second 50 penalty dated 11-05.
    let mut env = Env::new();
    let id = spec_case(&mut env);
    env.set_now("2026-11-10T09:00:00+08:00");
    env.run(&["classify", &id, "--level", "general"])
        .fails("a level cannot change after a missed close deadline");
    env.run(&["classify", &id, "--category", "price"]).ok();
    env.set_now("2026-11-11T09:00:00+08:00");
    let case = env.show(&id);
    assert_eq!(case["category"], "price");
    assert_eq!(case["level"], "moderate");
    // The close deadline is the escalation's (11-05 + 7d), not received + anything.
    assert_eq!(case["deadlines"]["close"], "2026-11-12T09:00:00+08:00");
    assert_eq!(penalties(&case), [p("2026-11-05T09:00:00+08:00", "service", 50)]);
}

#[test]
fn reclassified_to_another_department_it_is_never_charged_before_it_had_the_case() {
    // Issue 13: reclassified on 11-10 to moderate and sales; sales used to be charged
    // for 11-09 (received + 7d), a day before it had the case.
    let mut env = Env::new();
    let id = spec_case(&mut env);
    env.set_now("2026-11-10T09:00:00+08:00");
    env.run(&["classify", &id, "--level", "moderate", "--department", "sales"])
        .ok();
    env.set_now("2026-11-20T09:00:00+08:00");
    let case = env.show(&id);
    assert_eq!(case["department"], "sales");
    // 11-05: service, 50 (general); 11-12 (11-05 + 7d): sales, 100 (moderate).
    assert_eq!(
        penalties(&case),
        [
            p("2026-11-05T09:00:00+08:00", "service", 50),
            p("2026-11-12T09:00:00+08:00", "sales", 100)
        ]
    );
    let sales: Vec<_> = penalties(&case).into_iter().filter(|(_, d, _)| d == "sales").collect();
    assert!(
        sales
            .iter()
            .all(|(at, _, _)| at.as_str() >= "2026-11-10T09:00:00+08:00")
    );
}

#[test]
fn reclassified_before_any_miss_the_deadlines_start_again_from_the_receipt() {
    let mut env = Env::new();
    let id = spec_case(&mut env);
    env.set_now("2026-11-04T09:00:00+08:00");
    env.run(&["classify", &id, "--level", "moderate"]).ok();
    let case = env.show(&id);
    // received 11-02 09:00 + moderate's 7d (not 11-04 + 7d).
    assert_eq!(case["deadlines"]["close"], "2026-11-09T09:00:00+08:00");
    // Back to general on 11-06: its deadline (11-05) has passed; nothing is written.
    env.set_now("2026-11-06T09:00:00+08:00");
    let before = env.snapshot();
    env.run(&["classify", &id, "--level", "general"])
        .fails("which has already passed");
    assert!(before == env.snapshot(), "a refused reclassification writes nothing");
}

/// The edit events of a case's JSON.
fn edits(case: &Value) -> Vec<Value> {
    case["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "edit")
        .cloned()
        .collect()
}

#[test]
fn edit_corrects_a_field_and_keeps_the_old_and_new_values() {
    let mut env = Env::new();
    let id = env.intake("王先生", &["--contact", "1380000000"]);
    env.set_now("2026-11-23T11:00:00+08:00");
    env.run(&[
        "edit",
        &id,
        "--contact",
        "13800000000",
        "--channel",
        "email",
        "--reason",
        "typo in the phone number",
    ])
    .ok();
    let case = env.show(&id);
    assert_eq!(case["customer"]["contact"], "13800000000");
    let e = &edits(&case)[0];
    assert_eq!(e["reason"], "typo in the phone number");
    assert_eq!(e["old"]["contact"], "1380000000");
    assert_eq!(e["new"]["contact"], "13800000000");
    assert_eq!(e["old"]["channel"], "phone");
    assert_eq!(e["new"]["channel"], "email");
    assert!(e["old"].get("name").is_none(), "only what changed is kept");
    // Touches no clock: the deadlines are those of the receipt.
    assert_eq!(case["deadlines"]["customer_answer"], "2026-11-30T10:15:00+08:00");
    let page = env.run(&["show", &id]).ok().stdout;
    assert!(page.contains("contact: 1380000000 → 13800000000"), "{page}");
    // An empty value clears an optional field.
    env.run(&["edit", &id, "--contact", "", "--reason", "wrong customer's phone"])
        .ok();
    let case = env.show(&id);
    assert!(case["customer"].get("contact").is_none_or(Value::is_null));
    assert!(edits(&case)[1]["new"].get("contact").is_none());
    let log = env.run(&["log", &id]).ok().stdout;
    assert!(log.contains(&format!("edit {id}")), "{log}");
}

#[test]
fn edit_received_at_moves_the_deadlines_but_not_the_id() {
    let mut env = Env::new();
    env.set_now("2026-11-02T09:00:00+08:00");
    let id = env.classified("王先生");
    assert!(id.starts_with("20261102-"));
    env.set_now("2026-11-02T09:30:00+08:00");
    // It came in the evening before: general limits from 11-01 20:00.
    env.run(&[
        "edit",
        &id,
        "--received-at",
        "2026-11-01 20:00",
        "--reason",
        "the voicemail of the evening before",
    ])
    .ok();
    let case = env.show(&id);
    assert_eq!(case["id"], id.as_str());
    assert!(
        env.path(&crate::env::case_file(&id)).exists(),
        "the file keeps its place"
    );
    assert_eq!(case["received_at"], "2026-11-01T20:00:00+08:00");
    let d = &case["deadlines"];
    assert_eq!(d["classify"], "2026-11-01T21:00:00+08:00"); // + 1h
    assert_eq!(d["handoff"], "2026-11-02T00:00:00+08:00"); // + 4h
    assert_eq!(d["close"], "2026-11-04T20:00:00+08:00"); // + 3d
    assert_eq!(d["customer_answer"], "2026-11-08T20:00:00+08:00"); // + 7d
    let e = &edits(&case)[0];
    assert_eq!(e["old"]["received_at"], "2026-11-02T09:00:00+08:00");
    assert_eq!(e["new"]["received_at"], "2026-11-01T20:00:00+08:00");
    // Now the classification deadline (11-01 21:00) has passed, and the handoff's:
    // the receipt is fixed.
    let before = env.snapshot();
    env.run(&["edit", &id, "--received-at", "2026-11-02 08:00", "--reason", "again"])
        .fails("its classify deadline 2026-11-01T21:00:00+08:00 has passed");
    assert!(before == env.snapshot());
    env.run(&["check"]).ok();
}

#[test]
fn edit_received_at_is_refused_once_an_action_is_recorded() {
    let mut env = Env::new();
    let id = env.classified("王先生");
    env.set_now("2026-11-23T10:30:00+08:00");
    env.run(&["handoff", &id, "--to", "service"]).ok();
    let before = env.snapshot();
    env.run(&["edit", &id, "--received-at", "2026-11-23 10:00", "--reason", "x"])
        .fails("handoff at 2026-11-23T10:30:00+08:00 is recorded after the intake");
    // The other fields stay correctable.
    assert!(before == env.snapshot());
    env.run(&["edit", &id, "--product", "燒餅機", "--reason", "named by the customer"])
        .ok();
}

#[test]
fn edit_refuses_bad_input_and_writes_nothing() {
    let env = Env::new();
    let id = env.intake("王先生", &[]);
    let before = env.snapshot();
    env.run(&["edit", &id, "--contact", "138\u{1b}[31m", "--reason", "x"])
        .fails("--contact");
    env.run(&["edit", &id, "--name", "王\u{202e}生", "--reason", "x"])
        .fails("--name");
    env.run(&["edit", &id, "--name", "  ", "--reason", "x"]).fails("--name");
    env.run(&["edit", &id, "--summary", "a\nb", "--reason", "x"])
        .fails("--summary");
    env.run(&["edit", &id, "--channel", "fax", "--reason", "x"])
        .fails("--channel");
    env.run(&["edit", &id, "--name", "李先生"])
        .fails("--reason is required");
    env.run(&["edit", &id, "--reason", "x"]).fails("nothing to edit");
    env.run(&["edit", &id, "--name", "王先生", "--reason", "x"])
        .fails("nothing to change");
    env.run(&["edit", &id, "--received-at", "2026-11-24 10:00", "--reason", "x"])
        .fails("is in the future");
    assert!(before == env.snapshot(), "a refused edit writes nothing");
}

#[test]
fn intake_and_show_name_the_same_customers_complaints_of_the_last_90_days() {
    let mut env = Env::new();
    env.set_now("2026-08-01T10:00:00+08:00");
    let old = env.intake("王先生", &["--contact", "13800000000"]);
    env.set_now("2026-09-01T10:00:00+08:00");
    let first = env.intake("王先生", &["--contact", "13800000000"]);
    // The same name without a contact, and another customer: no match.
    let other = env.intake("王先生", &[]);
    env.intake("李小姐", &["--contact", "13900000000"]);
    env.run(&["list"]).ok(); // with the cache filled, the same answer
    env.set_now("2026-10-31T10:00:00+08:00");
    // 08-01 is 91 days before 10-31: out of the window; 09-01 is in it.
    let run = env.intake_run("王先生", &["--contact", "13800000000"]).ok();
    let id = run.id();
    assert!(
        run.stderr
            .contains(&format!("also complained in the last 90 days: {first}")),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(&old), "{}", run.stderr);
    let case = env.show(&id);
    assert_eq!(case["repeat_of"], serde_json::json!([first]));
    let page = env.run(&["show", &id]).ok().stdout;
    assert!(
        page.lines().nth(1).unwrap().contains(&format!("90 days: {first}")),
        "{page}"
    );
    // Without a contact the name decides.
    let run = env
        .run(&["intake", "--name", "王先生", "--channel", "phone", "--summary", "x"])
        .ok();
    assert!(run.stderr.contains(&format!("90 days: {other}")), "{}", run.stderr);
    // A first complaint says nothing.
    let run = env
        .run(&["intake", "--name", "趙先生", "--channel", "phone", "--summary", "x"])
        .ok();
    assert!(!run.stderr.contains("repeat"), "{}", run.stderr);
    assert_eq!(env.show(&run.id())["repeat_of"], serde_json::json!([]));
}

/// Run `args` at `now` (shop time, +08:00); it must succeed.
fn at(env: &mut Env, now: &str, args: &[&str]) -> String {
    env.set_now(&format!("{now}+08:00"));
    env.run(args).ok().id()
}

fn dept_row<'a>(report: &'a Value, key: &str) -> &'a Value {
    element(&report["departments"], "department", key)
}

#[test]
fn the_centre_answers_for_its_own_late_steps_in_the_friday_report() {
    let mut env = Env::new();
    let e = &mut env;
    let general = ["--category", "quality", "--level", "general", "--department", "service"];
    let intake = |name: &'static str| {
        let mut args = vec!["intake", "--name", name, "--channel", "phone", "--summary", "x"];
        args.extend(general);
        args
    };
    // W (W46): told by phone that someone will call (not in writing); its 7-day
    // written answer, due 11-16 09:00, falls in W47: a late answer.
    let w = at(e, "2026-11-09T09:00:00", &intake("W"));
    at(
        e,
        "2026-11-10T09:00:00",
        &["reply", &w, "--text", "會回電", "--to-customer"],
    );
    // V (W46): answered in writing on 11-15, before its 11-16 10:00 deadline: on time.
    let v = at(e, "2026-11-09T10:00:00", &intake("V"));
    at(
        e,
        "2026-11-15T10:00:00",
        &["reply", &v, "--text", "處理方案", "--to-customer", "--written"],
    );
    // X: classified at 11:00, an hour after its 10:00 classification deadline; handed
    // to service at 12:00, before the 13:00 handoff deadline, signed at 14:00: the
    // centre's late classification, service's late acknowledgement.
    let x = at(
        e,
        "2026-11-17T09:00:00",
        &["intake", "--name", "X", "--channel", "phone", "--summary", "x"],
    );
    let mut classify = vec!["classify", x.as_str()];
    classify.extend(general);
    at(e, "2026-11-17T11:00:00", &classify);
    at(e, "2026-11-17T12:00:00", &["handoff", &x, "--to", "service"]);
    at(e, "2026-11-17T14:00:00", &["ack", &x]);
    // Y: handed off at 14:00, after its 13:00 deadline: the centre's late handoff,
    // not service's late acknowledgement, though service signed late too.
    let y = at(e, "2026-11-17T09:00:00", &intake("Y"));
    at(e, "2026-11-17T14:00:00", &["handoff", &y, "--to", "service"]);
    at(e, "2026-11-17T14:30:00", &["ack", &y]);
    // Z: reassigned to sales and handed to it at 12:00, signed 13:30: sales was in
    // force at the 13:00 deadline and had the case: sales's late acknowledgement.
    let z = at(e, "2026-11-17T09:00:00", &intake("Z"));
    at(
        e,
        "2026-11-17T12:00:00",
        &["handoff", &z, "--to", "sales", "--reassign"],
    );
    at(e, "2026-11-17T13:30:00", &["ack", &z]);
    e.set_now("2026-11-23T10:15:00+08:00");
    let report = e.run(&["friday", "--week", "2026-W47", "--json"]).ok().json();
    assert_eq!(
        report["service_center"],
        serde_json::json!({
            "late_classifications": 1, // X
            "late_handoffs": 1,        // Y
            "late_confirmations": 0,   // no close
            "late_answers": 1          // W (V answered in writing)
        })
    );
    assert_eq!(dept_row(&report, "service")["late_acks"], 1); // X
    assert_eq!(dept_row(&report, "sales")["late_acks"], 1); // Z
    let text = e.run(&["friday", "--week", "2026-W47"]).ok().stdout;
    for line in [
        "late classifications (after 1h): 1",
        "late handoffs (not handed to the department by the handoff deadline): 1",
        "late written answers (after 7d): 1",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
}

/// The `[[events]]` block of the first event of `kind` in a case file's text.
fn block<'a>(text: &'a str, kind: &str) -> &'a str {
    let at = text.find(&format!("kind = \"{kind}\"")).unwrap();
    let start = text[..at].rfind("[[events]]").unwrap();
    let end = text[at..].find("[[events]]").map_or(text.len(), |e| at + e);
    &text[start..end]
}

#[test]
fn check_replays_the_history_and_names_every_derived_event_it_would_not_record() {
    let mut env = Env::new();
    let id = spec_case(&mut env);
    // 11-06: a reply brings the case up to date (11-05: 50, → moderate, close 11-12).
    env.set_now("2026-11-06T09:00:00+08:00");
    env.run(&["reply", &id, "--text", "處理中", "--to-customer"]).ok();
    env.run(&["check"]).ok();
    let path = env.path(&crate::env::case_file(&id));
    let clean = std::fs::read_to_string(&path).unwrap();
    let penalty = block(&clean, "penalty");
    let escalate = block(&clean, "escalate");
    // Each change alone; none of them changes an event's id or amount, so only the
    // replay can tell.
    let issued = clean.replacen(
        &penalty.to_string(),
        &penalty.replace(
            "issued = \"2026-11-05T09:00:00+08:00\"",
            "issued = \"2026-11-09T09:00:00+08:00\"",
        ),
        1,
    );
    // The escalation's new close deadline, and the header with it.
    assert!(escalate.contains("close_due = \"2026-11-12T09:00:00+08:00\""));
    let moved = clean.replace("\"2026-11-12T09:00:00+08:00\"", "\"2026-11-30T09:00:00+08:00\"");
    let removed = clean.replacen(penalty, "", 1);
    for (text, needle) in [
        (
            &issued,
            "issued 2026-11-09T09:00:00+08:00 but the rules issue it at 2026-11-05T09:00:00+08:00",
        ),
        (
            &moved,
            "escalate: at 2026-11-05T09:00:00+08:00: the rules do not produce it",
        ),
        (&removed, "missing penalty at 2026-11-05T09:00:00+08:00 (50)"),
    ] {
        assert_ne!(text, &clean, "{needle}: the forgery changed nothing");
        std::fs::write(&path, text).unwrap();
        env.run(&["--no-commit", "check"]).finds(&[needle, &id]);
    }
}

#[test]
fn a_repeat_customer_is_found_through_the_cache_after_an_edit_of_the_contact() {
    let mut env = Env::new();
    env.set_now("2026-11-02T09:00:00+08:00");
    let a = env.intake("王先生", &["--contact", "1380000000"]);
    // The cache keeps only files older than two seconds: let a scan cache this one.
    std::thread::sleep(std::time::Duration::from_millis(2500));
    env.run(&["list"]).ok();
    env.set_now("2026-11-02T09:30:00+08:00");
    env.run(&["edit", &a, "--contact", "13800000000", "--reason", "typo"])
        .ok();
    env.set_now("2026-11-03T09:00:00+08:00");
    let run = env.intake_run("王先生", &["--contact", "13800000000"]).ok();
    assert!(run.stderr.contains(&format!("90 days: {a}")), "{}", run.stderr);
    let run = env
        .run(&[
            "intake",
            "--name",
            "王先生",
            "--contact",
            "1380000000",
            "--channel",
            "phone",
            "--summary",
            "x",
        ])
        .ok();
    assert!(
        !run.stderr.contains("repeat"),
        "the old contact is no longer the case's: {}",
        run.stderr
    );
}
