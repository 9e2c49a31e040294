//! `kefu import` and `kefu export`: formats, encodings, all-or-nothing, idempotence,
//! and the round trip from one workspace to another.

use std::path::PathBuf;
use std::process::Stdio;

use serde_json::Value;

use crate::env::{Env, Run};

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
        .display()
        .to_string()
}

/// Write an input file into the workspace directory (it is part of every snapshot,
/// before and after, so it does not disturb the comparison).
fn input(env: &Env, name: &str, bytes: &[u8]) -> String {
    let path = env.path(name);
    std::fs::write(&path, bytes).expect("write input");
    path.display().to_string()
}

fn import(env: &Env, args: &[&str]) -> Run {
    let mut all = vec!["import", "--json"];
    all.extend_from_slice(args);
    env.run(&all)
}

fn ids(run: &Run) -> Vec<String> {
    run.json()["ids"]
        .as_array()
        .expect("ids")
        .iter()
        .map(|v| v.as_str().expect("id").to_string())
        .collect()
}

/// The lines of stderr that report a bad row.
fn row_lines(run: &Run) -> Vec<&str> {
    run.stderr.lines().filter(|l| !l.starts_with("error: ")).collect()
}

const CSV_DETAILS: &str = "第一次烤就糊了。\n第二次也一樣, 說明書寫的是 180 度。";

#[test]
fn a_utf8_csv_makes_one_intake_per_row() {
    let env = Env::new();
    let run = import(&env, &[&fixture("complaints.csv")]).ok();
    assert_eq!(run.json()["created"], 3);
    assert_eq!(run.json()["duplicates"], 0);
    assert_eq!(run.json()["dry_run"], false);
    // Ids come from each row's own date of receipt.
    assert_eq!(ids(&run), ["20261120-001", "20261121-001", "20261122-001"]);
    assert_eq!(
        run.stderr.trim_end().lines().last(),
        Some("imported 3 complaints, 0 duplicates skipped")
    );

    let wang = env.show("20261120-001");
    assert_eq!(wang["customer"]["name"], "王先生");
    assert_eq!(wang["customer"]["contact"], "13800000000");
    assert_eq!(wang["channel"], "phone");
    assert_eq!(wang["complaint"]["product"], "烤箱 K-200");
    assert_eq!(wang["complaint"]["order"], "A-1001");
    assert_eq!(wang["complaint"]["request"], "refund");
    assert_eq!(wang["received_at"], "2026-11-20T09:00:00+08:00");
    assert_eq!(wang["source_ref"], "web-1001");
    assert_eq!(wang["status"], "classified");
    // Classified general with a 3-day close limit: the deadline 11-23 09:00 passed before
    // now (11-23 10:15), so reads show it escalated to moderate, due 7 days later (§10.1).
    assert_eq!(wang["events"][1]["close_due"], "2026-11-23T09:00:00+08:00");
    assert_eq!(wang["level"], "moderate");
    assert_eq!(wang["deadlines"]["close"], "2026-11-30T09:00:00+08:00");

    // Labels are accepted as values and stored as keys; Excel's slashed dates too.
    let li = env.show("20261121-001");
    assert_eq!(li["channel"], "email");
    assert_eq!(li["complaint"]["request"], "apology");
    assert_eq!(li["category"], "delivery");
    assert_eq!(li["level"], "moderate");
    assert_eq!(li["department"], "sales");
    assert_eq!(li["external"], true);
    assert_eq!(li["received_at"], "2026-11-21T14:30:00+08:00");

    let zhao = env.show("20261122-001");
    assert_eq!(zhao["status"], "received");
    assert_eq!(zhao["level"], Value::Null);
}

#[test]
fn a_quoted_multi_line_details_cell_is_kept_whole() {
    let env = Env::new();
    import(&env, &[&fixture("complaints.csv")]).ok();
    assert_eq!(env.show("20261120-001")["complaint"]["details"], CSV_DETAILS);
    assert!(env.case_text("20261120-001").contains("第二次也一樣"));
}

#[test]
fn a_utf8_byte_order_mark_is_not_part_of_the_first_header() {
    let env = Env::new();
    let bytes = std::fs::read(fixture("complaints.csv")).expect("fixture");
    let file = input(&env, "bom.csv", &[b"\xEF\xBB\xBF".as_slice(), &bytes].concat());
    let run = import(&env, &[&file]).ok();
    assert_eq!(run.json()["created"], 3);
    assert_eq!(env.show("20261120-001")["customer"]["name"], "王先生");
}

/// A sheet as Excel on a Chinese system saves it: GBK bytes, Chinese headers, labels.
fn gbk_sheet() -> Vec<u8> {
    let text = "姓名,電話,渠道,抱怨內容,詳情,產品,訂單,要求,受理時間,來源編號,類別,級別,部門,跟蹤方式,投訴\r\n\
                王先生,13800000000,電話,燒餅烙糊了,\"糊了\r\n兩次\",烤箱,A-1,退款,2026/11/20 9:00,gbk-1,產品質量,一般,服務站,,否\r\n\
                錢女士,,到店,一直吵鬧,,,,,2026/11/21 10:00,gbk-2,服務態度,非理性,綜合管理部,關注,是\r\n";
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "the test sheet must be representable in GBK");
    bytes.into_owned()
}

#[test]
fn a_gbk_csv_with_chinese_headers_imports_with_encoding_gbk() {
    let env = Env::new();
    let file = input(&env, "sheet.csv", &gbk_sheet());
    let run = import(&env, &[&file, "--encoding", "gbk"]).ok();
    assert_eq!(ids(&run), ["20261120-001", "20261121-001"]);

    let wang = env.show("20261120-001");
    assert_eq!(wang["customer"]["name"], "王先生");
    assert_eq!(wang["customer"]["contact"], "13800000000");
    assert_eq!(wang["channel"], "phone");
    assert_eq!(wang["complaint"]["summary"], "燒餅烙糊了");
    // A multi-line field keeps its line break, as LF (SPEC §9.4).
    assert_eq!(wang["complaint"]["details"], "糊了\n兩次");
    assert_eq!(wang["complaint"]["request"], "refund");
    assert_eq!(wang["category"], "quality");
    assert_eq!(wang["department"], "service");
    assert_eq!(wang["external"], false);

    let qian = env.show("20261121-001");
    assert_eq!(qian["level"], "irrational");
    assert_eq!(qian["irrational"], "first");
    assert_eq!(qian["follow_up"], "watch");
    assert_eq!(qian["external"], true);
}

/// Without --encoding the GBK sheet is recognised (SPEC §12.3) and the choice named;
/// with a wrong --encoding the error names the one that fits.
#[test]
fn bytes_that_are_not_utf8_are_recognised_or_get_a_hint() {
    let env = Env::new();
    let file = input(&env, "sheet.csv", &gbk_sheet());
    let before = env.snapshot();
    let run = import(&env, &[&file, "--encoding", "utf-8"]).fails("it reads as GBK: use --encoding gbk");
    assert!(run.stderr.contains("is not UTF-8 text"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert_eq!(env.snapshot(), before);
    let run = import(&env, &[&file]).ok();
    assert!(run.stderr.contains("sheet.csv: read as GBK"), "{}", run.stderr);
    assert_eq!(run.json()["created"], 2);
}

#[test]
fn a_json_array_with_keys_or_chinese_names() {
    let mut env = Env::new();
    env.set_now("2026-11-24T08:30:00+08:00");
    // The clerk's case of today keeps its number; imported ones come after it.
    assert_eq!(env.classified("櫃檯客戶"), "20261124-001");
    let run = import(&env, &[&fixture("complaints.json")]).ok();
    assert_eq!(run.json()["created"], 3);
    let ids = ids(&run);
    let wang = env.show(&ids[0]);
    assert_eq!(wang["customer"]["contact"], "13800000000", "a number is read as text");
    // Received 11-20 09:00 as general: its close deadline (11-23 09:00) passed before
    // now, so reads show it escalated (SPEC §10.1); the level given is in its classify event.
    assert_eq!(wang["events"][1]["level"], "general");
    assert_eq!(wang["level"], "moderate");

    let sun = env.show(&ids[1]);
    assert_eq!(sun["customer"]["name"], "孫女士");
    assert_eq!(sun["channel"], "web");
    assert_eq!(sun["category"], "price");
    assert_eq!(sun["department"], "finance");
    assert_eq!(sun["follow_up"], "monitor");
    assert_eq!(sun["external"], true);
    // No received_at: received now, and numbered on today's date.
    assert_eq!(sun["received_at"], "2026-11-24T08:30:00+08:00");
    assert_eq!(sun["id"], "20261124-002");

    assert_eq!(env.show(&ids[2])["complaint"]["details"], Value::Null);
}

#[test]
fn json_lines_count_lines_including_blank_ones() {
    let env = Env::new();
    let run = import(&env, &[&fixture("complaints.jsonl")]).ok();
    assert_eq!(ids(&run), ["20261120-001", "20261123-001"]);
    assert_eq!(env.show("20261123-001")["complaint"]["request"], "explanation");

    let bad = input(
        &env,
        "bad.jsonl",
        "{\"name\": \"a\", \"channel\": \"phone\", \"summary\": \"s\"}\n\n{\"name\": \"b\", \"channel\": \"fax\"\n"
            .as_bytes(),
    );
    let run = import(&env, &[&bad]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let rows = row_lines(&run);
    assert_eq!(rows.len(), 1, "{}", run.stderr);
    assert!(rows[0].starts_with("line 3: not valid JSON"), "{}", rows[0]);
}

#[test]
fn standard_input_is_read_with_the_format_taken_from_its_content() {
    let env = Env::new();
    let file = std::fs::File::open(fixture("complaints.jsonl")).expect("fixture");
    let mut cmd = env.command();
    cmd.args(["import", "-", "--json"]).stdin(Stdio::from(file));
    let run = env.run_cmd(&mut cmd, &["import", "-"]).ok();
    assert_eq!(run.json()["created"], 2);
}

/// 50 rows; the 7th, 23rd and 41st are bad (spreadsheet rows 8, 24 and 42).
fn fifty_rows_three_bad() -> String {
    let mut csv = String::from("name,channel,summary,received_at,source_ref\n");
    for i in 1..=50 {
        let row = match i {
            7 => format!("客戶{i},fax,壞了,2026-11-20 09:00,s-{i}\n"),
            23 => format!("客戶{i},phone,,2026-11-20 09:00,s-{i}\n"),
            41 => format!("客戶{i},phone,壞了,2026-13-40 09:00,s-{i}\n"),
            _ => format!("客戶{i},phone,壞了,2026-11-20 09:00,s-{i}\n"),
        };
        csv.push_str(&row);
    }
    csv
}

#[test]
fn every_bad_row_is_reported_and_nothing_is_written() {
    let env = Env::new();
    let file = input(&env, "fifty.csv", fifty_rows_three_bad().as_bytes());
    let before = env.snapshot();
    let run = import(&env, &[&file]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let rows = row_lines(&run);
    assert_eq!(rows.len(), 3, "{}", run.stderr);
    assert!(
        rows[0].starts_with("row 8: column B (channel): unknown channel \"fax\""),
        "{}",
        rows[0]
    );
    assert_eq!(rows[1], "row 24: summary: missing (required)");
    assert!(
        rows[2].starts_with("row 42: column D (received_at): expected a time"),
        "{}",
        rows[2]
    );
    let last = run.stderr.trim_end().lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: ") && last.contains("3 of 50 rows are bad") && last.contains("nothing was imported"),
        "{last}"
    );
    assert_eq!(env.snapshot(), before, "a failed import must write nothing");
}

#[test]
fn importing_the_same_file_again_creates_nothing() {
    let env = Env::new();
    let file = fixture("complaints.csv");
    assert_eq!(import(&env, &[&file]).ok().json()["created"], 3);
    let before = env.snapshot();
    let again = import(&env, &[&file]).ok();
    assert_eq!(again.json()["created"], 0);
    assert_eq!(again.json()["duplicates"], 3);
    assert_eq!(ids(&again), Vec::<String>::new());
    assert!(again.stderr.contains("imported 0 complaints, 3 duplicates skipped"));
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_source_ref_repeated_within_the_file_is_a_duplicate() {
    let env = Env::new();
    // An earlier intake holds r-1 too.
    env.intake("老客戶", &["--source-ref", "r-1"]);
    let file = input(
        &env,
        "twice.csv",
        "name,channel,summary,source_ref\na,phone,s,r-1\nb,phone,s,r-2\nc,phone,s,r-2\nd,phone,s,\n".as_bytes(),
    );
    let run = import(&env, &[&file]).ok();
    assert_eq!(run.json()["created"], 2);
    assert_eq!(run.json()["duplicates"], 2);
    assert!(
        run.stderr.contains("1 new complaint has no source_ref"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_dry_run_says_what_would_happen_and_writes_nothing() {
    let env = Env::new();
    let before = env.snapshot();
    let run = import(&env, &[&fixture("complaints.csv"), "--dry-run"]).ok();
    assert_eq!(run.json()["created"], 3);
    assert_eq!(run.json()["dry_run"], true);
    assert!(
        run.stderr
            .contains("dry run: would import 3 complaints, 0 duplicates skipped; nothing written"),
        "{}",
        run.stderr
    );
    assert_eq!(env.snapshot(), before);
    assert!(!env.path(".kefu/lock").exists(), "a dry run takes no lock");
}

#[test]
fn an_unknown_column_is_refused_before_any_row() {
    let env = Env::new();
    let file = input(&env, "typo.csv", "name,channel,sumary\na,phone,s\n".as_bytes());
    let run = import(&env, &[&file]).fails("column C (sumary) is not a known column");
    assert!(run.stderr.contains("no summary column"), "{}", run.stderr);
}

/// A workspace with cases in several states: classified, irrational, external,
/// unclassified, deferred, closed.
fn varied(env: &Env) {
    env.intake(
        "王先生",
        &[
            "--contact",
            "13800000000",
            "--details",
            "糊了,\n兩次 \"真的\"",
            "--product",
            "烤箱",
            "--order",
            "A-1",
            "--request",
            "refund",
            "--received-at",
            "2026-11-20 09:00",
            "--source-ref",
            "web-1",
            "--category",
            "quality",
            "--level",
            "moderate",
            "--department",
            "service",
        ],
    );
    env.intake(
        "錢女士",
        &[
            "--category",
            "attitude",
            "--level",
            "irrational",
            "--department",
            "admin",
            "--follow-up",
            "monitor",
            "--external",
        ],
    );
    env.intake("趙先生", &["--received-at", "2026-11-22 08:00"]);
    let deferred = env.classified("孫先生");
    env.run(&["defer", &deferred, "--reason", "等廠家報告", "--follow-up", "watch"])
        .ok();
    let closed = env.classified("周女士");
    env.run(&[
        "close",
        &closed,
        "--resolution",
        "換了一個",
        "--remedy",
        "exchange",
        "--satisfaction",
        "satisfied",
    ])
    .ok();
}

/// What an intake with its classification decides about a case, to compare across
/// workspaces (ids, statuses and events are the new workspace's own).
fn intake_view(case: &Value) -> Value {
    let mut v = serde_json::json!({
        "received_at": case["received_at"],
        "channel": case["channel"],
        "customer": case["customer"],
        "complaint": case["complaint"],
        "source_ref": case["source_ref"],
        "external": case["external"],
        "category": case["category"],
        "level": case["level"],
        "department": case["department"],
    });
    if case["irrational"] == "first" {
        v["follow_up"] = case["follow_up"].clone();
    }
    v
}

fn exported_views(env: &Env) -> Vec<Value> {
    let run = env.run(&["export"]).ok();
    let mut views: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| intake_view(&serde_json::from_str(l).expect("a JSON line")))
        .collect();
    views.sort_by_key(|v| v.to_string());
    views
}

/// `again`: the duplicates a second import finds. CSV rows carry no history, so only the
/// case with a source ref is recognised; JSON lines restore each case under its id
/// (SPEC §17.11), so all five are.
fn round_trip(format: &str, file: &str, again: u64) {
    let from = Env::new();
    varied(&from);
    let out = from.run(&["export", "--format", format]).ok();
    let to = Env::new();
    let path = input(&to, file, out.stdout.as_bytes());
    let run = import(&to, &[&path]).ok();
    assert_eq!(run.json()["created"], 5, "{}", run.stderr);
    assert_eq!(exported_views(&to), exported_views(&from));
    // And the import is idempotent for what it brought along.
    let second = import(&to, &[&path]).ok();
    assert_eq!(second.json()["duplicates"], again);
}

#[test]
fn export_as_csv_then_import_recreates_the_complaints() {
    round_trip("csv", "export.csv", 1);
}

#[test]
fn export_as_json_lines_then_import_recreates_the_complaints() {
    round_trip("jsonl", "export.jsonl", 5);
}

#[test]
fn export_json_lines_are_the_show_objects_and_filters_apply() {
    let env = Env::new();
    varied(&env);
    let all = env.run(&["export"]).ok();
    let lines: Vec<&str> = all.stdout.lines().collect();
    assert_eq!(lines.len(), 5);
    let first: Value = serde_json::from_str(lines[0]).expect("JSON");
    let id = first["id"].as_str().expect("id");
    // `repeat_of` is show's look-up across cases (SPEC §10.11), not part of the case.
    let mut shown = env.show(id);
    shown.as_object_mut().unwrap().remove("repeat_of");
    assert_eq!(first, shown, "a line is the `show --json` object");

    let open = env.run(&["export", "--format", "csv", "--open"]).ok();
    let mut reader = csv::Reader::from_reader(open.stdout.as_bytes());
    let header = reader.headers().expect("header").clone();
    for column in [
        "id",
        "name",
        "summary",
        "source_ref",
        "status",
        "level",
        "deadline_close",
        "close_kind",
    ] {
        assert!(header.iter().any(|h| h == column), "no {column} column in {header:?}");
    }
    let status = header.iter().position(|h| h == "status").expect("status");
    let statuses: Vec<String> = reader.records().map(|r| r.expect("row")[status].to_string()).collect();
    assert_eq!(statuses.len(), 4, "the closed case is not open");
    assert!(!statuses.iter().any(|s| s == "closed"));

    // A format kefu does not write is a usage error (SPEC §17.1).
    env.run(&["export", "--format", "xml"])
        .usage("expected jsonl, csv or xlsx");
    env.run(&["import", "x.csv", "--format", "xml"])
        .usage("--format: unknown format \"xml\"");
}

/// A batch killed before its commit point (the journal still there) never took effect:
/// the next writer removes the files it wrote, and only those.
#[test]
fn an_unfinished_batch_is_rolled_back_by_the_next_writer() {
    let env = Env::new();
    let kept = env.intake("王先生", &[]);
    std::fs::write(
        env.path("rows.csv"),
        "name,channel,summary,source_ref\n甲,phone,a,r1\n乙,phone,b,r2\n丙,phone,c,r3\n",
    )
    .unwrap();
    let run = env.run(&["import", "rows.csv", "--json"]).ok();
    let ids: Vec<String> = run.json()["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 3);
    // As if the import had been killed after linking its files, before removing the
    // journal: each line names a file and the checksum of what the batch wrote there.
    let mut journal: Vec<String> = ids
        .iter()
        .map(|id| {
            let bytes = std::fs::read(env.path(&crate::env::case_file(id))).unwrap();
            format!("{id} {:08x}", crc32fast::hash(&bytes))
        })
        .collect();
    // A name the batch meant to use but found taken holds somebody else's case: it stays.
    journal.push(format!("{kept} 00000000"));
    std::fs::write(env.path(".kefu/batch"), journal.join("\n")).unwrap();
    env.run(&["intake", "--name", "丁", "--channel", "web", "--summary", "d"])
        .ok();
    for id in &ids {
        assert!(
            !env.path(&crate::env::case_file(id)).exists(),
            "{id} should be rolled back"
        );
    }
    assert!(!env.path(".kefu/batch").exists());
    assert!(env.path(&crate::env::case_file(&kept)).exists());
    let listed = env.run(&["list", "--json"]).ok().json();
    assert_eq!(listed.as_array().unwrap().len(), 2);
}
