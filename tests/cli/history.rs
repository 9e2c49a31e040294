//! History-exact reads (SPEC §10.1): every read shows each case brought up to date at
//! `now`, so its output is the same just before and just after `kefu sweep`.

use std::path::Path;

use crate::env::{Env, State, class, element};

/// A copy of the repository's sample workspace (config and cases), outside git.
pub fn sample() -> Env {
    let env = Env::empty();
    let top = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["config", "cases"] {
        copy_dir(&top.join(dir), &env.path(dir));
    }
    env
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy");
        }
    }
}

/// Every read's machine output at the env's clock.
fn reads(env: &Env) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for args in [
        vec!["list", "--json"],
        vec!["list", "--overdue", "--json"],
        vec!["due", "--json"],
        vec!["export", "--format", "jsonl"],
        vec!["friday", "--no-sweep", "--json"],
    ] {
        out.push((args.join(" "), env.run(&args).ok().stdout));
    }
    for id in ["20261026-001", "20261109-001", "20261027-002"] {
        out.push((format!("show {id}"), env.run(&["show", id, "--json"]).ok().stdout));
    }
    out
}

#[test]
fn reads_of_the_sample_are_the_same_before_and_after_a_sweep() {
    for now in [
        "2026-11-25T09:00:00+08:00",
        "2026-11-30T12:00:00+08:00",
        "2026-12-20T09:00:00+08:00",
    ] {
        let mut env = sample();
        env.set_now(now);
        let before = reads(&env);
        let swept = env.run(&["sweep", "--json"]).ok().json();
        assert!(
            swept["penalties"].as_u64().unwrap() > 0,
            "at {now} the sample has penalties to record, else this test shows nothing"
        );
        let after = reads(&env);
        for ((what, a), (_, b)) in before.iter().zip(&after) {
            assert!(
                a == b,
                "at {now}, `kefu {what}` changed after the sweep:\n{a}\n---\n{b}"
            );
        }
    }
}

#[test]
fn the_spec_example_is_overdue_and_escalated_before_any_sweep() {
    // SPEC §4: general, received 2026-11-02 09:00, to service, never closed; at
    // 2026-12-20 09:00 it has missed 11-05 (50, → moderate), 11-12 (100, → severe),
    // 11-27 (200), 12-12 (200) and the monthly 12-05 (200): severe, 750, close 12-27.
    let mut env = Env::new();
    env.set_now("2026-11-02T09:00:00+08:00");
    let id = env.classified("王先生");
    env.set_now("2026-12-20T09:00:00+08:00");
    let listed = env.run(&["list", "--overdue", "--json"]).ok().json();
    let case = &listed[0];
    assert_eq!(case["id"], id.as_str());
    assert_eq!(case["level"], "severe");
    assert_eq!(case["deadlines"]["close"], "2026-12-27T09:00:00+08:00");
    let amounts: u64 = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "penalty")
        .map(|e| e["amount"].as_u64().unwrap())
        .sum();
    assert_eq!(amounts, 750);
    assert!(
        !env.case_text(&id).contains("kind = \"penalty\""),
        "a read records nothing"
    );
    // The penalty of 11-05 was issued at 11-05: the classification was entered before it.
    let first = element(&case["events"], "kind", "penalty");
    assert_eq!(first["issued"], "2026-11-05T09:00:00+08:00");
    assert!(first.get("actor").is_none(), "a derived event has no actor");
}

#[test]
fn a_stopped_clock_is_never_called_met() {
    // Classified general at 10:15 (handoff due 14:15), handed off, never signed for,
    // deferred two days later: the handoff deadline was missed before the deferral, the
    // written answer (due in 7 days) stopped with it; nobody answered either.
    let mut env = Env::new();
    let id = env.case("王先生", State::HandedOff);
    env.set_now("2026-11-25T10:00:00+08:00");
    env.run(&["defer", &id, "--reason", "等待廠商檢測", "--follow-up", "watch"])
        .ok();
    env.set_now("2026-12-20T10:00:00+08:00");
    let case = env.show(&id);
    let states = &case["deadline_states"];
    assert_eq!(states["classify"], "met");
    assert_eq!(states["handoff"], "missed");
    assert_eq!(states["customer_answer"], "stopped");
    // The 3-day close deadline (11-26 10:15) came after the deferral (11-25 10:00).
    assert_eq!(states["close"], "stopped");
    assert_eq!(states["first_reply"], "none");
    let page = env.run(&["show", &id]).ok().stdout;
    for line in page
        .lines()
        .filter(|l| l.contains("handoff") || l.contains("customer answer"))
    {
        assert!(!line.contains("met"), "never signed, never answered: {line}");
    }
}

#[test]
fn an_unclassified_case_has_a_one_hour_clock_and_is_on_the_agenda() {
    let mut env = Env::new();
    let id = env.intake("王先生", &[]);
    let due = env.run(&["due", "--json"]).ok().json();
    assert_eq!(due[0]["case"], id.as_str());
    assert_eq!(due[0]["limit"], "classify");
    assert_eq!(due[0]["due"], "2026-11-23T11:15:00+08:00");
    env.set_now("2026-11-23T11:16:00+08:00");
    let case = env.show(&id);
    assert_eq!(case["deadline_states"]["classify"], "overdue");
    assert_eq!(case["overdue"], serde_json::json!(["classify"]));
    let mut args = vec!["classify", id.as_str()];
    args.extend(["--category", "quality", "--level", "general", "--department", "service"]);
    env.run(&args).ok();
    assert_eq!(env.show(&id)["deadline_states"]["classify"], "met_late");
}

#[test]
fn external_complaints_are_marked_in_list_and_due_counted_in_friday_and_can_be_cleared() {
    let mut env = Env::new();
    env.set_now("2026-11-17T10:00:00+08:00");
    let media = env.intake(
        "陳太太",
        &[&class("quality", "moderate", "sales")[..], &["--external"]].concat(),
    );
    let plain = env.classified("王先生");
    assert!(env.run(&["list"]).ok().stdout.contains("[投訴]"));
    let due = env.run(&["due", "--json"]).ok().json();
    let flags: Vec<(String, bool)> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["case"].as_str().unwrap().to_string(),
                i["external"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(flags.contains(&(media.clone(), true)) && flags.contains(&(plain, false)));
    env.set_now("2026-11-24T10:00:00+08:00");
    // Week 47: two complaints, one external, classified to sales.
    let report = env.run(&["friday", "--no-sweep", "--json"]).ok().json();
    assert_eq!(report["intake"]["external"], 1);
    let sales = element(&report["departments"], "department", "sales");
    assert_eq!(sales["external"], 1);
    env.run(&["classify", &media, "--no-external"]).ok();
    assert_eq!(env.show(&media)["external"], false);
}

#[test]
fn only_a_written_answer_meets_the_seven_day_deadline() {
    let mut env = Env::new();
    let id = env.classified("王先生");
    env.run(&["reply", &id, "--to-customer", "--text", "稍後回電"]).ok();
    assert_eq!(
        env.show(&id)["deadline_states"]["customer_answer"],
        "due",
        "a call-back note is no written answer"
    );
    env.set_now("2026-12-01T10:15:00+08:00");
    assert_eq!(env.show(&id)["deadline_states"]["customer_answer"], "overdue");
    env.run(&[
        "reply",
        &id,
        "--to-customer",
        "--written",
        "--text",
        "處理方案:三日內換新",
    ])
    .ok();
    // Received 11-23 10:15 + 7 days = 11-30 10:15; written on 12-01: met late.
    assert_eq!(env.show(&id)["deadline_states"]["customer_answer"], "met_late");
    assert_eq!(
        env.run(&["reply", &id, "--written", "--text", "x"]).code,
        2,
        "--written needs --to-customer"
    );
}

#[test]
fn a_note_is_history_and_touches_no_clock() {
    let mut env = Env::new();
    let id = env.classified("王先生");
    let before = env.show(&id);
    env.set_now("2026-11-23T11:00:00+08:00");
    env.run(&["note", &id, "--text", "客戶說晚上六點後方便\n請勿早上來電"])
        .ok();
    let after = env.show(&id);
    assert_eq!(after["deadlines"], before["deadlines"]);
    assert_eq!(after["status"], before["status"]);
    let note = after["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (note["kind"].as_str(), note["text"].as_str()),
        (Some("note"), Some("客戶說晚上六點後方便\n請勿早上來電"))
    );
    // A note does not move the time order: a signature may still be dated before it.
    env.run(&["handoff", &id, "--to", "service"]).ok();
    env.run(&["note", &id, "--text", ""]).fails("--text is required");
}
