//! The penalty ledger and the regulation's documents (SPEC §11, §17.17): penalty
//! decisions, the weekly circular, notices, the receiver table, letters, HTML pages.

use serde_json::{Value, json};

use crate::env::{Env, GENERAL, class, close_args, element};

/// Run `args` at `now` (Asia/Shanghai is the default config's zone); it must succeed.
fn at(env: &mut Env, now: &str, args: &[&str]) -> String {
    env.run_at(&format!("{now}+08:00"), args).stdout
}

/// A `general` complaint received at `now`, classified to `dept`; its id.
fn case(env: &mut Env, now: &str, name: &str, dept: &str) -> String {
    env.set_now(&format!("{now}+08:00"));
    env.intake(name, &class("quality", "general", dept))
}

fn close_requested(env: &mut Env, now: &str, id: &str, requested: &str) {
    let requested = format!("{requested}+08:00");
    at(
        env,
        now,
        &[&close_args(id, "satisfied")[..], &["--requested-at", &requested]].concat(),
    );
}

/// The week 2026-W47 (Mon 11-16 to Mon 11-23) with penalties in every state. Close
/// limits are the defaults: general 3d, moderate 7d; a general penalty is 50, a
/// moderate one 100. The clock ends at Monday 11-23 10:15.
///
/// - A (service), received 11-09 09:00: misses 11-12 09:00 (P1, 50, W46) and 11-19
///   09:00 (P2, 100, W47). Both confirmed.
/// - B (sales), received 11-13 09:00: misses 11-16 09:00 (P1, 50, W47): waived. Its
///   next miss, 11-23 09:00 (P2, 100), is in W48.
/// - C (marketing), received 11-13 10:00: misses 11-16 10:00 (P1, 50, W47), confirmed
///   on 11-17; on 11-18 the close is recorded as requested on 11-16 08:00, before the
///   deadline, so P1 is cancelled (issued 11-18, W47).
/// - D (service), received 11-12 09:00: misses 11-15 09:00 (P1, 50, W46), confirmed
///   11-16 and executed 11-17; on 11-18 the close is recorded as requested 11-14
///   09:00, so P1 is cancelled after its execution: a refund of 50 in W47.
/// - E (sales), received 11-16 09:00: misses 11-19 09:00 (P1, 50, W47), confirmed
///   11-20, executed 11-21.
struct Shop {
    env: Env,
    a: String,
    b: String,
    c: String,
    d: String,
    e: String,
}

fn shop() -> Shop {
    let mut env = Env::new();
    let e = &mut env;
    let a = case(e, "2026-11-09T09:00:00", "甲", "service");
    let d = case(e, "2026-11-12T09:00:00", "丁", "service");
    let b = case(e, "2026-11-13T09:00:00", "乙", "sales");
    let c = case(e, "2026-11-13T10:00:00", "丙", "marketing");
    let ev = case(e, "2026-11-16T09:00:00", "戊", "sales");
    at(e, "2026-11-16T12:00:00", &["penalty", "confirm", &format!("{d}/P1")]);
    at(
        e,
        "2026-11-17T12:00:00",
        &["penalty", "execute", &format!("{d}/P1"), "--ref", "薪資-11"],
    );
    at(
        e,
        "2026-11-17T12:00:00",
        &["penalty", "confirm", &format!("{c}/P1"), "--by", "總經理"],
    );
    close_requested(e, "2026-11-18T12:00:00", &c, "2026-11-16T08:00:00");
    close_requested(e, "2026-11-18T12:30:00", &d, "2026-11-14T09:00:00");
    at(
        e,
        "2026-11-20T12:00:00",
        &["penalty", "confirm", &format!("{a}/P1"), &format!("{a}/P2")],
    );
    at(
        e,
        "2026-11-20T12:00:00",
        &["penalty", "waive", &format!("{b}/P1"), "--reason", "停電，非部門責任"],
    );
    at(e, "2026-11-20T12:00:00", &["penalty", "confirm", &format!("{ev}/P1")]);
    at(e, "2026-11-21T12:00:00", &["penalty", "execute", &format!("{ev}/P1")]);
    env.set_now("2026-11-23T10:15:00+08:00");
    Shop { env, a, b, c, d, e: ev }
}

fn states(list: &Value) -> Vec<(String, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["pid"].as_str().unwrap().to_string(),
                p["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_ledger_lists_every_penalty_with_its_state_placed_by_issued() {
    let s = shop();
    let all = s.env.run(&["penalty", "list", "--json"]).ok().json();
    let pid = |c: &str, n: u32| format!("{c}/P{n}");
    // In order of issue: A/P1 11-12, D/P1 11-15, B/P1 11-16 09:00, C/P1 11-16 10:00,
    // A/P2 and E/P1 11-19 09:00 (by case id: A's 1109 before E's 1116), B/P2 11-23 09:00.
    assert_eq!(
        states(&all),
        [
            (pid(&s.a, 1), "confirmed".into()),
            (pid(&s.d, 1), "cancelled".into()),
            (pid(&s.b, 1), "waived".into()),
            (pid(&s.c, 1), "cancelled".into()),
            (pid(&s.a, 2), "confirmed".into()),
            (pid(&s.e, 1), "executed".into()),
            (pid(&s.b, 2), "issued".into()),
        ]
    );
    // Exactly the fields of SPEC §17.17.
    assert_eq!(
        all[4],
        json!({
            "pid": pid(&s.a, 2), "case": s.a, "department": "service", "level": "moderate",
            "amount": 100, "at": "2026-11-19T09:00:00+08:00",
            "issued": "2026-11-19T09:00:00+08:00", "state": "confirmed"
        })
    );
    // The cancellation of C/P1 is issued when the voiding close was recorded, but the
    // penalty itself stays placed at its own issue.
    let w47 = s
        .env
        .run(&[
            "penalty",
            "list",
            "--week",
            "2026-W47",
            "--state",
            "confirmed",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(states(&w47), [(pid(&s.a, 2), "confirmed".into())]);
    let sales = s
        .env
        .run(&["penalty", "list", "--department", "sales", "--json"])
        .ok()
        .json();
    assert_eq!(sales.as_array().unwrap().len(), 3);
    // The history is one a re-derivation explains.
    s.env.run(&["check"]).ok();
    // The terminal table names them too.
    let table = s.env.run(&["penalty", "list", "--week", "2026-W47"]).ok().stdout;
    assert!(table.contains(&pid(&s.b, 1)) && table.contains("waived"), "{table}");
}

#[test]
fn each_decision_is_one_commit_and_an_event_naming_the_penalty() {
    let s = shop();
    let log = s.env.git(&["log", "--format=%s"]);
    assert!(
        log.contains(&format!("kefu: penalty waive {}/P1 (sales 50) (乙)", s.b)),
        "{log}"
    );
    // Confirming two penalties at once: two commits.
    assert_eq!(
        log.matches(&format!("kefu: penalty confirm {}/P", s.a)).count(),
        2,
        "{log}"
    );
    let text = s.env.case_text(&s.b);
    assert!(text.contains("kind = \"penalty_waive\""), "{text}");
    assert!(text.contains("reason = \"停電，非部門責任\""), "{text}");
    let show = s.env.run(&["show", &s.b]).ok().stdout;
    assert!(show.contains("penalty P1 waived"), "{show}");
}

#[test]
fn refused_steps_write_nothing() {
    let mut env = Env::new();
    let id = case(&mut env, "2026-11-09T09:00:00", "甲", "service");
    env.set_now("2026-11-13T09:00:00+08:00");
    let p1 = format!("{id}/P1");
    let before = env.snapshot();
    // Waiving needs a reason; no terminal to ask on.
    env.run(&["penalty", "waive", &p1]).fails("--reason");
    env.run(&["penalty", "waive", &p1, "--reason", " "]).fails("--reason");
    // Executing needs a confirmation first.
    env.run(&["penalty", "execute", &p1]).fails("not confirmed yet");
    env.run(&["penalty", "confirm", &format!("{id}/P2")])
        .fails("has no penalty \"P2\"");
    env.run(&["penalty", "confirm", "nonsense"])
        .fails("expected a penalty id");
    // A bad one among several: none is recorded.
    env.run(&["penalty", "confirm", &p1, &format!("{id}/P9")]).fails("P9");
    env.run(&["penalty", "list", "--state", "paid"])
        .code
        .eq(&2)
        .then_some(())
        .expect("usage error");
    assert_eq!(env.snapshot(), before);
    // Confirming a penalty no sweep recorded records it first, then confirms it.
    assert!(!env.case_text(&id).contains("kind = \"penalty\""));
    env.run(&["penalty", "confirm", &p1]).ok();
    let text = env.case_text(&id);
    assert!(
        text.contains("kind = \"penalty\"") && text.contains("kind = \"penalty_confirm\""),
        "{text}"
    );
    env.run(&["penalty", "confirm", &p1]).fails("already confirmed");
    env.run(&["penalty", "waive", &p1, "--reason", "x"])
        .fails("already confirmed");
    env.run(&["penalty", "execute", &p1, "--at", "2026-11-12T09:00:00+08:00"])
        .fails("before the penalty was confirmed");
    env.run(&["penalty", "execute", &p1]).ok();
    env.run(&["penalty", "execute", &p1]).fails("already executed");
    env.run(&["check"]).ok();
}

#[test]
fn the_circular_counts_confirmed_penalties_of_the_week_and_refunds_executed_ones_cancelled() {
    let s = shop();
    let c = s.env.run(&["circular", "--week", "2026-W47", "--json"]).ok().json();
    // Confirmed for execution and issued in W47: A/P2 (service 100, confirmed) and E/P1
    // (sales 50, executed). Not B/P1 (waived), not C/P1 (cancelled before execution),
    // not A/P1 nor D/P1 (issued in W46).
    let pids: Vec<&str> = c["penalties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pid"].as_str().unwrap())
        .collect();
    assert_eq!(pids, [format!("{}/P2", s.a), format!("{}/P1", s.e)]);
    // D/P1 was executed on 11-17 and cancelled on 11-18 (W47): 50 goes back to service.
    assert_eq!(c["refunds"].as_array().unwrap().len(), 1);
    assert_eq!(c["refunds"][0]["pid"], format!("{}/P1", s.d));
    assert_eq!(c["refunds"][0]["amount"], -50);
    // service: 100 − 50 = 50; sales: 50; marketing (C cancelled) and the others: 0.
    // Total 100 + 50 − 50 = 100.
    let dept = |k: &str| element(&c["departments"], "department", k).clone();
    assert_eq!(
        dept("service"),
        json!({"department": "service", "penalties": 1, "amount": 100, "refunds": -50, "total": 50})
    );
    assert_eq!(
        dept("sales"),
        json!({"department": "sales", "penalties": 1, "amount": 50, "refunds": 0, "total": 50})
    );
    assert_eq!(dept("marketing")["total"], 0);
    assert_eq!(c["total"], 100);
    assert_eq!(c["week"], "2026-W47");
    assert_eq!(c["distribution"][0], "總經理");
    // The default week is the last one: at Monday 11-23, W47.
    let default = s.env.run(&["circular", "--json"]).ok().json();
    assert_eq!(default["total"], 100);
    // W46 held A/P1 (50, confirmed) and D/P1 (50, cancelled): 50.
    let w46 = s.env.run(&["circular", "--week", "2026-W46", "--json"]).ok().json();
    assert_eq!(w46["total"], 50);
    // The Markdown carries the same lines, the sign-off and the distribution.
    let md = s.env.run(&["circular", "--week", "2026-W47"]).ok().stdout;
    for needle in [
        "# Circular of penalties for complaints not closed in time",
        "| **100** |",
        "| -50 |",
        "Issued by the general manager",
        "總經理, 綜合管理部",
    ] {
        assert!(md.contains(needle), "{needle} not in\n{md}");
    }
    s.env.run(&["circular", "--week", "2026-W99"]).fails("--week");
}

#[test]
fn a_notice_per_penalty_and_a_fine_notice_for_a_monthly_one() {
    let mut env = Env::new();
    let id = case(&mut env, "2026-11-02T09:00:00", "王先生", "service");
    // SPEC §4's worked example at 12-20: P1 11-05 50, P2 11-12 100, P3 11-27 200,
    // P4 the monthly one of 12-05 (200), P5 12-12 200.
    env.set_now("2026-12-20T09:00:00+08:00");
    let n = env.run(&["notice", &format!("{id}/P2"), "--json"]).ok().json();
    assert_eq!(n["title"], "客戶抱怨閉環處理處罰通知單");
    assert_eq!(
        (n["amount"].as_u64(), n["level"].as_str()),
        (Some(100), Some("moderate"))
    );
    assert_eq!(n["receiver"], "李站長");
    assert_eq!(n["state"], "issued");
    let m = env.run(&["notice", &format!("{id}/P4"), "--json"]).ok().json();
    assert_eq!(
        (m["title"].as_str(), m["monthly"].as_bool()),
        (Some("客戶抱怨閉環處理罰款通知單"), Some(true))
    );
    let md = env.run(&["notice", &format!("{id}/P4")]).ok().stdout;
    assert!(
        md.contains("# Fine notice: complaint still open a further month") && md.contains("| Amount | 200 |"),
        "{md}"
    );
    env.run(&["notice", &format!("{id}/P6")]).fails("P6");
}

#[test]
fn the_receiver_table_lists_the_configured_departments() {
    let env = Env::new();
    let r = env.run(&["receivers", "--json"]).ok().json();
    let rows = r["departments"].as_array().unwrap();
    // The default config's five departments, in its order.
    assert_eq!(rows.len(), 5);
    assert_eq!(
        rows[4],
        json!({"department": "service", "label": "服務站", "receiver": "李站長"})
    );
    let md = env.run(&["receivers"]).ok().stdout;
    assert!(
        md.contains("# Confirmation of the departments' complaint receivers")
            && md.contains("| 服務站 | service | 李站長 |"),
        "{md}"
    );
}

/// A page kefu wrote: parsed by a real HTML5 parser, self-contained, script-free.
fn page(env: &Env, file: &str) -> scraper::Html {
    let text = std::fs::read_to_string(env.path(file)).expect("the page was written");
    let html = scraper::Html::parse_document(&text);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    assert_eq!(html.select(&sel("script")).count(), 0, "{file} has a script");
    assert!(!text.to_ascii_lowercase().contains("<script"), "{file}");
    // Nothing fetched: no src/href attribute, no link or import, no URL at all.
    for el in html.select(&sel("*")) {
        for (name, _) in el.value().attrs() {
            assert!(
                !["src", "href", "srcset", "action", "data"].contains(&name),
                "{file}: {name}="
            );
        }
        assert!(!["link", "img", "iframe", "object", "embed", "base"].contains(&el.value().name()));
    }
    for needle in ["http", "url(", "@import", "//"] {
        assert!(!text.contains(needle), "{file} mentions {needle:?}");
    }
    assert!(text.contains("@page { size: A4"), "{file}: no A4 page size");
    assert!(text.contains("Noto Sans CJK"), "{file}: no CJK font stack");
    html
}

fn texts(html: &scraper::Html, selector: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    html.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

#[test]
fn the_circular_page_carries_the_json_numbers() {
    let s = shop();
    let c = s.env.run(&["circular", "--week", "2026-W47", "--json"]).ok().json();
    s.env.run(&["circular", "--week", "2026-W47", "--html", "c.html"]).ok();
    let html = page(&s.env, "c.html");
    // The totals table is the last one with a foot: per department count, penalties,
    // refunds, total, then the sum row.
    let mut want = Vec::new();
    for d in c["departments"].as_array().unwrap() {
        for k in ["penalties", "amount", "refunds", "total"] {
            want.push(d[k].to_string());
        }
    }
    let got: Vec<String> = texts(&html, "table:has(tfoot) tbody td.n");
    assert_eq!(got, want);
    // Sum row: 2 penalties, 150, -50, 100.
    assert_eq!(texts(&html, "tfoot td.n"), ["2", "150", "-50", "100"]);
    assert_eq!(texts(&html, "tfoot td.n").last().unwrap(), &c["total"].to_string());
    // A second write refuses to replace the page without --force.
    s.env
        .run(&["circular", "--week", "2026-W47", "--html", "c.html"])
        .fails("add --force");
    s.env
        .run(&["circular", "--week", "2026-W47", "--html", "c.html", "--force"])
        .ok();
    s.env
        .run(&["circular", "--html", "config/c.html"])
        .fails("inside the workspace's config/");
}

#[test]
fn hostile_data_is_escaped_on_every_page() {
    let mut env = Env::new();
    let evil = "<script>alert(1)</script><img src=x.png onerror=alert(2)>";
    let id = at(
        &mut env,
        "2026-11-09T09:00:00",
        &[
            &["intake", "--name", evil, "--channel", "phone", "--summary", evil][..],
            &GENERAL,
        ]
        .concat(),
    )
    .trim()
    .to_string();
    at(
        &mut env,
        "2026-11-09T09:30:00",
        &["handoff", &id, "--to", "service", "--note", evil, "--html", "form.html"],
    );
    env.set_now("2026-11-13T09:00:00+08:00");
    env.run(&["notice", &format!("{id}/P1"), "--html", "notice.html"]).ok();
    env.run(&["letter", &id, "--html", "letter.html"]).ok();
    env.run(&["friday", "--week", "2026-W46", "--no-sweep", "--html", "friday.html"])
        .ok();
    env.run(&["receivers", "--html", "receivers.html"]).ok();
    // page() refuses any script, src= or http; the text itself is still there, escaped.
    for (file, sel) in [("form.html", "td"), ("notice.html", "td"), ("letter.html", "p")] {
        let raw = std::fs::read_to_string(env.path(file)).unwrap();
        let html = page(&env, file);
        assert!(raw.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{file}");
        assert!(
            texts(&html, sel)
                .iter()
                .any(|t| t.contains("<script>alert(1)</script>")),
            "{file}: the name is not shown as text"
        );
    }
    let _ = page(&env, "friday.html");
    let _ = page(&env, "receivers.html");
}

#[test]
fn friday_weeks_adds_a_trend_in_every_rendering_and_the_page_has_the_json_numbers() {
    let s = shop();
    let args = ["friday", "--week", "2026-W47", "--weeks", "3", "--no-sweep"];
    let r = s.env.run(&[&args[..], &["--json"]].concat()).ok().json();
    // Intake: W45 none; W46 A (11-09), D (11-12), B and C (11-13); W47 E (11-16).
    // Penalty amount, every issued penalty minus cancellations, by issue:
    //   W46: A/P1 50 + D/P1 50 = 100;
    //   W47: B/P1 50 + C/P1 50 + A/P2 100 + E/P1 50 − C/P1 50 − D/P1 50 = 150.
    // First-time close rate: W47 closed C and D, both requested before their first
    // close deadline: 2/2. No close before: null. No irrational complaint: 0, or null
    // without intake.
    assert_eq!(
        r["trend"],
        json!([
            {"week": "2026-W45", "intake": 0, "irrational_ratio": null, "first_close_rate": null, "penalty_amount": 0},
            {"week": "2026-W46", "intake": 4, "irrational_ratio": 0.0, "first_close_rate": null, "penalty_amount": 100},
            {"week": "2026-W47", "intake": 1, "irrational_ratio": 0.0, "first_close_rate": 1.0, "penalty_amount": 150},
        ])
    );
    // Without --weeks there is no trend.
    let plain = s
        .env
        .run(&["friday", "--week", "2026-W47", "--no-sweep", "--json"])
        .ok()
        .json();
    assert!(plain.get("trend").is_none());
    assert_eq!(plain["intake"]["by_day"]["2026-11-16"], 1);
    assert_eq!(plain["intake"]["by_day"].as_object().unwrap().len(), 7);
    let terminal = s.env.run(&args).ok().stdout;
    assert!(
        terminal.contains("8. Trend") && terminal.contains("2026-W45"),
        "{terminal}"
    );
    let md = s.env.run(&[&args[..], &["--markdown"]].concat()).ok().stdout;
    assert!(md.contains("| 2026-W47 | 1 | 0.0% | 100.0% | 150 |"), "{md}");
    s.env.run(&[&args[..], &["--html", "w47.html"]].concat()).ok();
    let html = page(&s.env, "w47.html");
    // Each chart's values, as drawn, against the JSON.
    let chart = |title: &str| -> Vec<String> {
        let fig = scraper::Selector::parse("figure").unwrap();
        let text = scraper::Selector::parse("text").unwrap();
        let f = html
            .select(&fig)
            .find(|f| f.text().collect::<String>().contains(title))
            .unwrap_or_else(|| panic!("no chart {title}"));
        let t: Vec<String> = f.select(&text).map(|t| t.text().collect()).collect();
        t.chunks(2).map(|pair| pair[1].clone()).collect()
    };
    // In the config's order (serde_json's map sorts its keys; days sort by themselves).
    let values = |v: &Value, keys: &[&str]| -> Vec<String> { keys.iter().map(|k| v[k].to_string()).collect() };
    let days: Vec<String> = (16..23).map(|d| format!("2026-11-{d}")).collect();
    let days: Vec<&str> = days.iter().map(String::as_str).collect();
    assert_eq!(chart("Intake by day"), values(&r["intake"]["by_day"], &days));
    let channels = ["phone", "email", "social", "in_person", "web", "dealer", "other"];
    assert_eq!(
        chart("Intake by channel"),
        values(&r["intake"]["by_channel"], &channels)
    );
    let col = |v: &Value, k: &str| -> Vec<String> { v.as_array().unwrap().iter().map(|x| x[k].to_string()).collect() };
    assert_eq!(chart("Cases by category"), col(&r["categories"], "count"));
    assert_eq!(
        chart("Penalties by department"),
        col(&r["departments"], "penalty_amount")
    );
    assert_eq!(chart("Trend: penalty amount"), ["0", "100", "150"]);
    // Usage: --weeks is for week windows.
    assert_eq!(
        s.env
            .run(&["friday", "--from", "2026-11-01", "--to", "2026-11-08", "--weeks", "2"])
            .code,
        2
    );
}

#[test]
fn a_letter_fills_the_template_and_can_be_recorded_as_the_written_answer() {
    let mut env = Env::new();
    let id = case(&mut env, "2026-11-09T09:00:00", "王先生", "service");
    env.set_now("2026-11-10T09:00:00+08:00");
    let text = env.run(&["letter", &id]).ok().stdout;
    // The default template: the name, the receipt in local time, the summary, the id.
    assert!(text.starts_with("王先生 您好："), "{text}");
    assert!(
        text.contains("您於 2026-11-09 09:00 反映的問題「燒餅烙糊了」"),
        "{text}"
    );
    assert!(text.contains(&id));
    // The department as its label, the close deadline (general: 3 days) in local time.
    assert!(
        text.contains("並交由服務站處理。\n我們將在 2026-11-12 09:00 前處理完畢"),
        "{text}"
    );
    assert_eq!(env.show(&id)["deadline_states"]["customer_answer"], "due");
    env.run(&["letter", &id, "--record"]).ok();
    let shown = env.show(&id);
    assert_eq!(shown["deadline_states"]["customer_answer"], "met");
    let last = shown["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (
            last["kind"].as_str(),
            last["to_customer"].as_bool(),
            last["written"].as_bool()
        ),
        (Some("reply"), Some(true), Some(true))
    );
    // An unknown placeholder is a config error naming it; nothing is written.
    let cfg = env.path("config/kefu.toml");
    let mut c = std::fs::read_to_string(&cfg).unwrap();
    c = c.replace("{customer.name} 您好", "{customer.nickname} 您好");
    std::fs::write(&cfg, c).unwrap();
    let before = env.snapshot();
    env.run(&["letter", &id, "--record"])
        .fails("unknown placeholder {customer.nickname}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn standard_phrases_are_listed_and_recorded_as_replies() {
    let mut env = Env::new();
    let list = env.run(&["phrases", "--json"]).ok().json();
    let list = list.as_array().unwrap();
    // The seed's eight groups, in its order.
    let mut groups: Vec<&str> = list.iter().map(|p| p["group"].as_str().unwrap()).collect();
    groups.dedup();
    assert_eq!(
        groups,
        [
            "listen",
            "apologize",
            "remedy",
            "assure",
            "propose",
            "decline",
            "thanks",
            "escalate"
        ]
    );
    assert_eq!(
        list[0],
        json!({"group": "listen", "key": "understood", "text": "好的，我明白了。"})
    );
    assert!(
        env.run(&["phrases"])
            .ok()
            .stdout
            .contains("  apologize.forgive  {customer.name}，我非常抱歉")
    );
    let id = case(&mut env, "2026-11-09T09:00:00", "王先生", "service");
    env.set_now("2026-11-09T09:10:00+08:00");
    env.run(&["reply", &id, "--phrase", "apologize.forgive", "--to-customer"])
        .ok();
    let last = env.show(&id)["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["text"], "王先生，我非常抱歉，還請您原諒。");
    assert_eq!(last["to_customer"], true);
    let before = env.snapshot();
    env.run(&["reply", &id, "--phrase", "apologize.nope"])
        .fails("no phrase \"apologize.nope\"");
    assert_eq!(
        env.run(&["reply", &id, "--phrase", "listen.understood", "--text", "x"])
            .code,
        2
    );
    assert_eq!(env.snapshot(), before);
}
