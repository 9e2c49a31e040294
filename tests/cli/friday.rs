//! `kefu friday`: a week whose every number is known by hand, in all three renderings.

use serde_json::{Value, json};

use crate::env::{Env, Run, class, close_args};

/// Run `args` at `now` (the action's time); it must succeed.
fn at(env: &mut Env, now: &str, args: &[&str]) -> Run {
    env.run_at(&format!("{now}+08:00"), args)
}

/// Record a complaint received at `now`; its id.
fn intake(env: &mut Env, now: &str, args: &[&str]) -> String {
    let mut all = vec!["intake", "--summary", "投訴內容"];
    all.extend_from_slice(args);
    at(env, now, &all).id()
}

fn close(env: &mut Env, now: &str, id: &str, requested: Option<&str>) {
    let mut args = close_args(id, "satisfied");
    let requested = requested.map(|r| format!("{r}+08:00"));
    if let Some(r) = &requested {
        args.extend(["--requested-at", r.as_str()]);
    }
    at(env, now, &args);
}

fn reply(env: &mut Env, now: &str, id: &str, from: &str) {
    at(env, now, &["reply", id, "--text", "已處理", "--from", from]);
}

/// The week 2026-W47 (Mon 11-16 to Mon 11-23, Asia/Shanghai), with cases before,
/// in and after it. Every expected number below is worked out in the comments.
/// The clock is left at Monday 2026-11-23 10:15, so the default window is W47.
fn shop() -> Env {
    let mut env = Env::new();
    let e = &mut env;
    // The same customer comes back: P1, A, F and H.
    let wang = |product| {
        [
            "--name",
            "王先生",
            "--contact",
            "138",
            "--channel",
            "phone",
            "--product",
            product,
        ]
    };

    // P1 (W46): never handed off, never closed. Close deadlines 11-12 09:00 (50,
    // general → moderate) and 11-19 09:00 (100, moderate → severe): only the second
    // is in the week, and only a sweep records them.
    let p1 = [&wang("燒餅")[..], &class("quality", "general", "service")].concat();
    intake(e, "2026-11-09T09:00:00", &p1);
    // P2 (W46): closed in the week on a request after its 11-15 10:00 deadline:
    // a second close (penalty dated 11-15, outside the week), 94 h to close.
    let p2 = intake(
        e,
        "2026-11-12T10:00:00",
        &[
            &["--name", "吳", "--channel", "phone"][..],
            &class("communication", "general", "sales"),
        ]
        .concat(),
    );

    // I: received at exactly the window's start. Late ack (due 02:00, signed 03:00);
    // close requested on Sunday but confirmed after the week: open at week end.
    let i = intake(
        e,
        "2026-11-16T00:00:00",
        &[
            &["--name", "周", "--channel", "in_person"][..],
            &class("returns", "moderate", "finance"),
        ]
        .concat(),
    );
    at(e, "2026-11-16T01:00:00", &["handoff", &i, "--to", "finance"]);
    at(e, "2026-11-16T03:00:00", &["ack", &i]);
    // A: all on time, first-time close after 25 h.
    let a = intake(
        e,
        "2026-11-16T09:00:00",
        &[&wang("燒餅")[..], &class("quality", "general", "service")].concat(),
    );
    at(e, "2026-11-16T09:30:00", &["handoff", &a, "--to", "service"]);
    // B: signed at exactly its handoff deadline (on time, §8.1); first reply due
    // 11-17 00:00, given at 02:00 (late); first-time close after 48 h.
    let b = intake(
        e,
        "2026-11-16T10:00:00",
        &[
            &["--name", "李女士", "--channel", "email"][..],
            &class("attitude", "moderate", "sales"),
        ]
        .concat(),
    );
    at(e, "2026-11-16T10:00:00", &["ack", &a]);
    at(e, "2026-11-16T10:30:00", &["handoff", &b, "--to", "sales"]);
    at(e, "2026-11-16T12:00:00", &["ack", &b]);
    reply(e, "2026-11-16T14:00:00", &i, "finance");
    reply(e, "2026-11-16T15:00:00", &a, "service");
    reply(e, "2026-11-17T02:00:00", &b, "sales");
    // C: handed off, never signed (late ack); close deadline 11-20 09:00 missed
    // (penalty 50), closed 11-21 10:00: a second close after 97 h.
    let c = intake(
        e,
        "2026-11-17T09:00:00",
        &[
            &["--name", "張三", "--channel", "phone", "--product", "豆漿"][..],
            &class("quality", "general", "service"),
        ]
        .concat(),
    );
    at(e, "2026-11-17T09:10:00", &["handoff", &c, "--to", "service"]);
    close(e, "2026-11-17T10:00:00", &a, None);
    close(e, "2026-11-17T12:00:00", &p2, Some("2026-11-16T08:00:00"));
    // D: first irrational under watch, never handed off: late ack, overdue at week end.
    intake(
        e,
        "2026-11-18T09:00:00",
        &[
            &["--name", "趙", "--channel", "social", "--follow-up", "watch"][..],
            &class("price", "irrational", "marketing"),
        ]
        .concat(),
    );
    close(e, "2026-11-18T10:00:00", &b, None);
    // E: severe, all on time, then deferred under monitor: a second irrational.
    let e_ = intake(
        e,
        "2026-11-18T14:00:00",
        &[
            &["--name", "錢", "--contact", "139", "--channel", "web"][..],
            &class("delivery", "severe", "admin"),
        ]
        .concat(),
    );
    at(e, "2026-11-18T14:10:00", &["handoff", &e_, "--to", "admin"]);
    at(e, "2026-11-18T14:30:00", &["ack", &e_]);
    reply(e, "2026-11-18T18:00:00", &e_, "admin");
    // F: the same customer as P1 and A, rejected before any deadline.
    let f = intake(
        e,
        "2026-11-19T09:00:00",
        &[&wang("豆漿")[..], &class("quality", "general", "service")].concat(),
    );
    at(
        e,
        "2026-11-19T10:00:00",
        &["defer", &e_, "--reason", "等廠家檢測", "--follow-up", "monitor"],
    );
    at(e, "2026-11-19T11:00:00", &["reject", &f, "--reason", "非本店售出"]);
    close(e, "2026-11-21T10:00:00", &c, None);
    // G: not classified by week end.
    intake(e, "2026-11-22T23:00:00", &["--name", "孫", "--channel", "dealer"]);
    // H: received at exactly the window's end: next week's, everywhere.
    intake(
        e,
        "2026-11-23T00:00:00",
        &[&wang("燒餅")[..], &class("quality", "general", "finance")].concat(),
    );
    close(e, "2026-11-23T09:00:00", &i, Some("2026-11-22T20:00:00"));
    e.set_now("2026-11-23T10:15:00+08:00");
    env
}

fn friday(env: &Env, extra: &[&str]) -> Run {
    let mut args = vec!["friday"];
    args.extend_from_slice(extra);
    env.run(&args).ok()
}

/// The W47 report, field by field.
fn expected() -> Value {
    json!({
        "from": "2026-11-16T00:00:00+08:00",
        "to": "2026-11-23T00:00:00+08:00",
        "transactions": null,
        // I, A, B, C, D, E, F, G (not P1, P2 before; not H at the end).
        "intake": {
            "total": 8,
            "by_channel": {"phone": 3, "email": 1, "social": 1, "in_person": 1, "web": 1, "dealer": 1, "other": 0},
            // By the level first assigned: C escalated to moderate, still general here.
            "by_level": {"general": 3, "moderate": 2, "severe": 1, "irrational": 1},
            // By the day of receipt: 11-16 I (00:00), A, B; 11-17 C; 11-18 D, E; 11-19 F;
            // 11-22 the unclassified one (23:00). 11-20 and 11-21 are listed at 0.
            "by_day": {"2026-11-16": 3, "2026-11-17": 1, "2026-11-18": 2, "2026-11-19": 1,
                       "2026-11-20": 0, "2026-11-21": 0, "2026-11-22": 1},
            "unclassified": 1,
            // P1, D, E (deferred), G, I (confirmed after the week).
            "open_at_end": 5, "external": 0
        },
        "irrational": {
            "first": 1, "first_ratio": 0.125,
            "second": 1, "second_ratio": 0.125,
            "watch": 1, "monitor": 1
        },
        "categories": [
            // A, C, F; closes in the week: A (first, 25 h), C (second, 97 h).
            {"category": "quality", "count": 3, "share": 0.375, "rate": 0.375,
             "first_close_rate": 0.5, "median_close_hours": 61.0, "closes": 2},
            {"category": "attitude", "count": 1, "share": 0.125, "rate": 0.125,
             "first_close_rate": 1.0, "median_close_hours": 48.0, "closes": 1},
            {"category": "price", "count": 1, "share": 0.125, "rate": 0.125,
             "first_close_rate": null, "median_close_hours": null, "closes": 0},
            // No complaint this week, but P2's close was.
            {"category": "communication", "count": 0, "share": 0.0, "rate": 0.0,
             "first_close_rate": 0.0, "median_close_hours": 94.0, "closes": 1},
            {"category": "delivery", "count": 1, "share": 0.125, "rate": 0.125,
             "first_close_rate": null, "median_close_hours": null, "closes": 0},
            {"category": "returns", "count": 1, "share": 0.125, "rate": 0.125,
             "first_close_rate": null, "median_close_hours": null, "closes": 0},
            {"category": "after_sales", "count": 0, "share": 0.0, "rate": 0.0,
             "first_close_rate": null, "median_close_hours": null, "closes": 0},
            {"category": "system", "count": 0, "share": 0.0, "rate": 0.0,
             "first_close_rate": null, "median_close_hours": null, "closes": 0},
            {"category": "other", "count": 0, "share": 0.0, "rate": 0.0,
             "first_close_rate": null, "median_close_hours": null, "closes": 0}
        ],
        "departments": [
            {"department": "admin", "handoffs": 1, "late_acks": 0, "late_first_replies": 0,
             "first_closes": 0, "second_closes": 0, "open_overdue": 0, "external": 0, "penalties": 0, "penalty_amount": 0},
            {"department": "sales", "handoffs": 1, "late_acks": 0, "late_first_replies": 1,
             "first_closes": 1, "second_closes": 1, "open_overdue": 0, "external": 0, "penalties": 0, "penalty_amount": 0},
            // D was never handed off: its handoff deadline is the centre's, not
            // marketing's (SPEC §10.7), in service_center below.
            {"department": "marketing", "handoffs": 0, "late_acks": 0, "late_first_replies": 0,
             "first_closes": 0, "second_closes": 0, "open_overdue": 1, "external": 0, "penalties": 0, "penalty_amount": 0},
            {"department": "finance", "handoffs": 1, "late_acks": 1, "late_first_replies": 0,
             "first_closes": 0, "second_closes": 0, "open_overdue": 0, "external": 0, "penalties": 0, "penalty_amount": 0},
            // P1 is overdue (never signed for); penalties P1 100 + C 50.
            {"department": "service", "handoffs": 2, "late_acks": 1, "late_first_replies": 0,
             "first_closes": 1, "second_closes": 1, "open_overdue": 1, "external": 0, "penalties": 2, "penalty_amount": 150}
        ],
        "penalties": [
            // P1 went with the miss of 11-12 (W46).
            {"pid": "20261109-001/P2", "case": "20261109-001", "department": "service", "level": "moderate",
             "reason": "close_missed",
             "amount": 100, "at": "2026-11-19T09:00:00+08:00", "issued": "2026-11-19T09:00:00+08:00"},
            {"pid": "20261117-001/P1", "case": "20261117-001", "department": "service", "level": "general",
             "reason": "close_missed",
             "amount": 50, "at": "2026-11-20T09:00:00+08:00", "issued": "2026-11-20T09:00:00+08:00"}
        ],
        // 10-24 00:00 to 11-23 00:00: H (at the end) is left out.
        "recurrence": [
            {"kind": "customer", "key": "138", "cases": ["20261109-001", "20261116-002", "20261119-001"]},
            {"kind": "product", "key": "quality/燒餅", "cases": ["20261109-001", "20261116-002"]},
            {"kind": "product", "key": "quality/豆漿", "cases": ["20261117-001", "20261119-001"]}
        ],
        // The centre's own clock (SPEC §10.7), deadlines in [11-16, 11-23):
        // classify (1h): every case classified at intake but G, due 11-23 00:00 = `to`,
        //   next week's: 0.
        // handoff: I (finance, handed 01:00 before its 02:00 deadline) and C (service,
        //   09:10 before 13:00) are the departments' late acks; D (due 11-19 09:00)
        //   was never handed off: 1.
        // confirm (12h): P2 requested 11-16 08:00, due 20:00, called 11-17 12:00: 1.
        // customer_answer (7d): P1's 11-16 09:00 with no written answer: 1 (P2's
        //   11-19 10:00 stopped with its 11-16 close request; I's is at `to`).
        "service_center": {
            "late_classifications": 0, "late_handoffs": 1,
            "late_confirmations": 1, "late_answers": 1
        },
        "unreadable": []
    })
}

/// Compare two JSON values section by section, so a failure names the field.
fn assert_report(got: &Value, want: &Value) {
    let (Some(g), Some(w)) = (got.as_object(), want.as_object()) else {
        panic!("not objects: {got}");
    };
    for (key, w) in w {
        match (g.get(key), w) {
            (Some(Value::Array(g)), Value::Array(w)) => {
                assert_eq!(g.len(), w.len(), "{key}: {g:#?}");
                for (g, w) in g.iter().zip(w) {
                    assert_eq!(g, w, "{key}");
                }
            }
            (g, w) => assert_eq!(g, Some(w), "{key}"),
        }
    }
}

#[test]
fn a_known_week_in_json() {
    let env = shop();
    let report = friday(&env, &["--json"]).json();
    assert_report(&report, &expected());
    // The same week asked for by name.
    assert_eq!(
        friday(&env, &["--json", "--week", "2026-W47", "--no-sweep"]).json(),
        report
    );
    assert_eq!(
        friday(
            &env,
            &["--json", "--from", "2026-11-16", "--to", "2026-11-23", "--no-sweep"]
        )
        .json(),
        report
    );
}

#[test]
fn no_sweep_writes_nothing_and_reports_the_same_penalties() {
    let env = shop();
    let before = env.snapshot();
    let dry = friday(&env, &["--json", "--no-sweep"]).json();
    friday(&env, &["--no-sweep"]);
    friday(&env, &["--no-sweep", "--markdown"]);
    assert!(env.snapshot() == before, "kefu friday --no-sweep changed the workspace");
    assert!(!env.case_text("20261109-001").contains("kind = \"penalty\""));
    // The file is untouched, but every read shows the case as history says it stands
    // now, escalated (SPEC §10.1): the same before and after a sweep.
    let shown = env.show("20261109-001");
    assert_eq!(shown["level"], "severe");

    let swept = friday(&env, &["--json"]).json();
    assert_eq!(dry["penalties"], swept["penalties"]);
    assert_eq!(dry, swept);
    assert_eq!(env.show("20261109-001"), shown, "a read is the same after the sweep");
    // The default run recorded P1's two penalties, as `kefu sweep` would.
    assert_eq!(env.case_text("20261109-001").matches("kind = \"penalty\"").count(), 2);
    assert_eq!(env.show("20261109-001")["level"], "severe");
    let again = env.snapshot();
    friday(&env, &["--json"]);
    assert!(env.snapshot() == again, "a second report recorded more");
}

/// The cells after `label` on the first line holding it, below `heading`; table
/// rules and pipes dropped.
fn row(text: &str, heading: &str, label: &str) -> Vec<String> {
    let start = text
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading:?} in\n{text}"));
    let line = text[start..]
        .lines()
        .find(|l| l.contains(label))
        .unwrap_or_else(|| panic!("no {label:?} under {heading:?} in\n{text}"));
    let after = &line[line.find(label).unwrap_or_default() + label.len()..];
    after
        .split(|c: char| c.is_whitespace() || c == '|')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn pct(v: &Value, decimals: usize) -> String {
    v.as_f64()
        .map_or("—".to_string(), |r| format!("{:.*}%", decimals, r * 100.0))
}

/// Every number of the JSON report, found in a human rendering.
fn assert_same_numbers(text: &str, report: &Value) {
    let n = |v: &Value| v["count"].to_string();
    let intake = &report["intake"];
    let head = row(text, "1. ", "received:");
    assert_eq!(head[0], intake["total"].to_string(), "{text}");
    assert_eq!(head[2], intake["unclassified"].to_string());
    assert_eq!(head[7], intake["open_at_end"].to_string());
    for (label, key) in [
        ("電話", "phone"),
        ("郵件", "email"),
        ("到店", "in_person"),
        ("經銷商", "dealer"),
    ] {
        assert_eq!(
            row(text, "1. ", label),
            [intake["by_channel"][key].to_string()],
            "{label}"
        );
    }
    for (label, key) in [
        ("一般", "general"),
        ("中級", "moderate"),
        ("強烈", "severe"),
        ("非理性", "irrational"),
    ] {
        assert_eq!(
            row(text, "1. ", label),
            [intake["by_level"][key].to_string()],
            "{label}"
        );
    }
    let irr = &report["irrational"];
    assert_eq!(
        row(text, "2. ", "first"),
        [irr["first"].to_string(), pct(&irr["first_ratio"], 1)]
    );
    assert_eq!(
        row(text, "2. ", "second"),
        [irr["second"].to_string(), pct(&irr["second_ratio"], 1)]
    );
    assert_eq!(row(text, "2. ", "watch"), [irr["watch"].to_string()]);
    assert_eq!(row(text, "2. ", "monitor"), [irr["monitor"].to_string()]);
    for (label, c) in [
        "產品質量",
        "服務態度",
        "價格收費",
        "溝通",
        "物流配送",
        "退換貨",
        "售後維修",
        "系統故障",
        "其他",
    ]
    .into_iter()
    .zip(report["categories"].as_array().unwrap())
    {
        let mut want = vec![n(c)];
        if c["count"] != 0 {
            want.push("█".repeat(c["count"].as_u64().unwrap() as usize));
        }
        want.push(pct(&c["share"], 1));
        want.push(pct(&c["rate"], 1));
        want.push(pct(&c["first_close_rate"], 1));
        want.push(
            c["median_close_hours"]
                .as_f64()
                .map_or("—".into(), |h| format!("{h:.1}")),
        );
        assert_eq!(row(text, "3. ", label), want, "category {label}");
    }
    for (label, d) in ["綜合管理部", "銷售部", "市場部", "財務部", "服務站"]
        .into_iter()
        .zip(report["departments"].as_array().unwrap())
    {
        let want: Vec<String> = [
            "handoffs",
            "late_acks",
            "late_first_replies",
            "first_closes",
            "second_closes",
            "open_overdue",
            "penalties",
            "penalty_amount",
        ]
        .iter()
        .map(|k| d[k].to_string())
        .collect();
        assert_eq!(row(text, "4. ", label), want, "department {label}");
    }
    for p in report["penalties"].as_array().unwrap() {
        let cells = row(text, "5. ", p["pid"].as_str().unwrap());
        assert!(cells.contains(&p["amount"].to_string()), "{cells:?}");
        assert_eq!(cells[0], "服務站");
    }
    assert_eq!(
        row(text, " notices ", "服務站"),
        ["2", "150"],
        "the total per department"
    );
    assert_eq!(row(text, " notices ", "all"), ["2", "150"]);
    assert_eq!(
        // Masked for the managers who read it (SPEC §10.11); JSON keeps "138". Markdown
        // escapes the stars.
        row(text, "6. ", "customer")
            .iter()
            .map(|c| c.replace('\\', ""))
            .collect::<Vec<_>>(),
        ["1**", "3", "20261109-001,", "20261116-002,", "20261119-001"]
    );
    assert_eq!(
        row(text, "6. ", "產品質量/豆漿"),
        ["2", "20261117-001,", "20261119-001"]
    );
}

#[test]
fn terminal_and_markdown_carry_the_json_numbers() {
    let env = shop();
    let report = friday(&env, &["--json"]).json();
    let terminal = friday(&env, &[]).stdout;
    assert!(
        terminal.starts_with("Weekly complaint report — 2026-W47 (2026-11-16 00:00 → 2026-11-23 00:00)"),
        "{terminal}"
    );
    assert_same_numbers(&terminal, &report);
    let markdown = friday(&env, &["--markdown"]).stdout;
    assert!(markdown.starts_with("# Weekly complaint report"), "{markdown}");
    assert!(markdown.contains("\n## 4. By department\n"), "{markdown}");
    assert!(markdown.contains("|---|---:|---:|"), "{markdown}");
    assert_same_numbers(&markdown, &report);
}

#[test]
fn transactions_give_the_complaint_rate() {
    let env = shop();
    let report = friday(&env, &["--json", "--transactions", "400"]).json();
    assert_eq!(report["transactions"], 400);
    assert_eq!(report["categories"][0]["rate"], 0.0075);
    assert_eq!(report["categories"][0]["share"], 0.375);
    let text = friday(&env, &["--transactions", "400"]).stdout;
    assert_eq!(row(&text, "3. ", "產品質量")[3], "0.75%");
    assert!(text.contains("÷ 400 transactions"), "{text}");
}

#[test]
fn an_empty_week_gives_zeros_and_null_ratios() {
    let env = Env::new();
    let report = friday(&env, &["--json"]).json();
    assert_eq!(report["from"], "2026-11-16T00:00:00+08:00");
    assert_eq!(report["intake"]["total"], 0);
    assert_eq!(
        report["intake"]["by_level"],
        json!({"general": 0, "moderate": 0, "severe": 0, "irrational": 0})
    );
    assert_eq!(report["intake"]["by_channel"].as_object().unwrap().len(), 7);
    assert_eq!(
        report["irrational"],
        json!({"first": 0, "first_ratio": null, "second": 0, "second_ratio": null, "watch": 0, "monitor": 0})
    );
    let categories = report["categories"].as_array().unwrap();
    assert_eq!(categories.len(), 9);
    for c in categories {
        for k in ["share", "rate", "first_close_rate", "median_close_hours"] {
            assert_eq!(c[k], Value::Null, "{k}");
        }
    }
    assert_eq!(report["departments"].as_array().unwrap().len(), 5);
    assert_eq!(report["penalties"], json!([]));
    assert_eq!(report["recurrence"], json!([]));
    let text = friday(&env, &[]).stdout;
    assert_eq!(row(&text, "2. ", "first"), ["0", "—"]);
    assert!(text.contains("no penalty notices"), "{text}");
    assert!(!text.contains("NaN"));
}

#[test]
fn the_default_window_is_the_week_before_the_current_one() {
    let mut env = Env::new();
    env.set_now("2026-11-22T23:59:00+08:00"); // Sunday: this week is W47, so W46
    env.classified("王先生"); // received now, in W47: not in the report
    let report = friday(&env, &["--json"]).json();
    assert_eq!(report["from"], "2026-11-09T00:00:00+08:00");
    assert_eq!(report["to"], "2026-11-16T00:00:00+08:00");
    assert_eq!(report["intake"]["total"], 0);
    assert_eq!(report["intake"]["open_at_end"], 0);
}

#[test]
fn bad_window_flags_name_the_flag() {
    let env = Env::new();
    env.run(&["friday", "--week", "2026-47"])
        .fails("--week: expected an ISO week like 2026-W47");
    env.run(&["friday", "--week", "2027-W53"])
        .fails("--week: 2027 has no ISO week 53");
    env.run(&["friday", "--from", "16 Nov", "--to", "2026-11-23"])
        .fails("--from: ");
    env.run(&["friday", "--from", "2026-11-23", "--to", "2026-11-16"])
        .fails("--to: ");
    // Usage errors are clap's: exit 2.
    assert_eq!(env.run(&["friday", "--from", "2026-11-16"]).code, 2);
    assert_eq!(
        env.run(&[
            "friday",
            "--week",
            "2026-W47",
            "--from",
            "2026-11-16",
            "--to",
            "2026-11-23"
        ])
        .code,
        2
    );
}

#[test]
fn unreadable_case_files_are_listed_not_dropped() {
    let env = Env::new();
    env.intake("王先生", &["--received-at", "2026-11-17 09:00"]);
    std::fs::write(env.path("cases/2026/11/20261118-001.toml"), "this is not a case\n").unwrap();
    for extra in [&[][..], &["--no-sweep"][..]] {
        // Partly done (SPEC §17.1): the report is whole but for the named file.
        let run = env.run(&[&["friday", "--json"][..], extra].concat());
        assert_eq!(run.code, 3, "{}", run.stderr);
        let report = run.json();
        assert_eq!(report["unreadable"], json!(["cases/2026/11/20261118-001.toml"]));
        assert_eq!(report["intake"]["total"], 1);
        assert!(run.stderr.contains("cases/2026/11/20261118-001.toml"), "{}", run.stderr);
    }
    let text = env.run(&["friday", "--no-sweep"]).stdout;
    assert!(
        text.contains("Unreadable case files") && text.contains("cases/2026/11/20261118-001.toml"),
        "{text}"
    );
}
