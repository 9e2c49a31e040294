//! Trust (SPEC §9): data never reaches a terminal or a spreadsheet as an instruction,
//! and input is held to one rule whether it comes from a flag or an import row.

use proptest::prelude::*;

use crate::env::{Env, GENERAL};

/// A character a terminal or a bidi-aware renderer would act on.
fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A case whose name and summary were written into the file by hand (a hand edit or a
/// file from elsewhere): kefu's input rules never saw them.
fn hand_edited(env: &Env, name: &str, summary: &str) -> String {
    let id = env.classified("placeholder");
    let path = env.path(&crate::env::case_file(&id));
    let text = std::fs::read_to_string(&path).unwrap();
    let toml_str = |s: &str| toml::Value::String(s.to_string()).to_string();
    let text = text
        .replacen("name = \"placeholder\"", &format!("name = {}", toml_str(name)), 1)
        .replacen(
            "summary = \"燒餅烙糊了\"",
            &format!("summary = {}", toml_str(summary)),
            1,
        );
    std::fs::write(&path, text).unwrap();
    id
}

fn human_outputs(env: &Env, id: &str) -> Vec<(String, String)> {
    let mut outs = Vec::new();
    for args in [
        vec!["show", id],
        vec!["list"],
        vec!["list", "--markdown"],
        vec!["due"],
        vec!["friday", "--no-sweep", "--from", "2026-11-01", "--to", "2026-12-01"],
        vec![
            "friday",
            "--no-sweep",
            "--markdown",
            "--from",
            "2026-11-01",
            "--to",
            "2026-12-01",
        ],
        vec!["handoff", id, "--to", "service", "--no-commit"],
    ] {
        let run = env.run(&args);
        outs.push((args.join(" "), format!("{}{}", run.stdout, run.stderr)));
    }
    outs
}

#[test]
fn escapes_in_a_case_file_reach_the_terminal_visible_not_raw() {
    let env = Env::new();
    let hostile = "王\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}]8;;http://x\u{7}link\r\u{202e}\u{9b}";
    let id = hand_edited(&env, hostile, "burnt\u{1b}[31m red");
    for (what, out) in human_outputs(&env, &id) {
        assert!(
            !out.chars().any(unsafe_char),
            "`kefu {what}` printed a raw control: {out:?}"
        );
        if what.starts_with("show") {
            assert!(out.contains("王\\u{1b}[2J"), "shown escaped: {out}");
        }
    }
    // JSON carries the data exactly (JSON escaping suffices).
    assert_eq!(env.show(&id)["customer"]["name"], hostile);
}

#[test]
fn one_line_fields_refuse_controls_from_flags_and_nothing_is_written() {
    let env = Env::new();
    let before = env.snapshot();
    for (flag, value, needle) in [
        (
            "--name",
            "Bob\n\nSigned-off-by: Mallory",
            "--name: a line break is not allowed",
        ),
        (
            "--name",
            "\u{1b}[2J",
            "--name: the control character \\u{1b} is not allowed",
        ),
        (
            "--summary",
            "abc\u{202e}def",
            "--summary: the bidirectional control \\u{202e}",
        ),
        ("--name", "   ", "missing required flag: --name"),
    ] {
        let mut args = vec!["intake", "--name", "王先生", "--channel", "phone", "--summary", "s"];
        let at = args.iter().position(|a| *a == flag).unwrap();
        args[at + 1] = value;
        env.run(&args).fails(needle);
    }
    env.run(&["--actor", "", "list"]).fails("--actor is required");
    assert!(env.snapshot() == before, "a refused intake wrote something");
}

#[test]
fn details_keep_line_breaks_and_lose_carriage_returns() {
    let env = Env::new();
    let id = env.intake("王先生", &["--details", "line one\r\nline two\tend"]);
    assert_eq!(env.show(&id)["complaint"]["details"], "line one\nline two\tend");
    env.run(&[
        "intake",
        "--name",
        "x",
        "--channel",
        "phone",
        "--summary",
        "s",
        "--details",
        "a\u{1b}b",
    ])
    .fails("--details: the control character \\u{1b} is not allowed");
}

#[test]
fn csv_export_is_spreadsheet_safe_and_imports_back() {
    let env = Env::new();
    let id = env.intake(
        "=HYPERLINK(\"http://evil\",\"x\")",
        &["--contact", "+44 7700 900123", "--product", "@SUM(A1)"],
    );
    let csv = env.run(&["export", "--format", "csv"]).ok().stdout;
    let row = csv.lines().find(|l| l.starts_with(&id)).unwrap();
    assert!(row.contains("\"'=HYPERLINK("), "{row}");
    assert!(row.contains(",'@SUM(A1),"), "{row}");
    assert!(
        row.contains(",+44 7700 900123,"),
        "a phone number is not prefixed: {row}"
    );
    let raw = env.run(&["export", "--format", "csv", "--raw-cells"]).ok().stdout;
    assert!(raw.contains(",@SUM(A1),"), "{raw}");

    // Importing the export into another shop gives the text back without the prefix.
    let other = Env::new();
    let file = other.path("export.csv");
    std::fs::write(&file, csv.replace(&id, "")).unwrap();
    other.run(&["import", file.to_str().unwrap()]).ok();
    let listed = other.run(&["list", "--json"]).ok().json();
    assert_eq!(listed[0]["customer"]["name"], "=HYPERLINK(\"http://evil\",\"x\")");
    assert_eq!(listed[0]["complaint"]["product"], "@SUM(A1)");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any text in a case file, rendered for a human, holds no C0 control but the line
    /// break, no DEL, no C1 control and no bidi control.
    #[test]
    fn no_human_rendering_holds_a_raw_control(
        name in "[a-z\u{0}-\u{1f}\u{7f}-\u{9f}\u{202a}-\u{202e}\u{2066}-\u{2069}王]{1,12}",
        summary in "[a-z\u{0}-\u{1f}\u{7f}-\u{9f}\u{202a}-\u{202e}\u{2066}-\u{2069}燒]{1,12}",
    ) {
        let env = Env::new();
        let id = hand_edited(&env, &name, &summary);
        for (what, out) in human_outputs(&env, &id) {
            prop_assert!(!out.chars().any(unsafe_char), "`kefu {}` printed a raw control: {:?}", what, out);
        }
    }
}

#[test]
fn the_form_never_overwrites_workspace_files_links_or_existing_files() {
    let env = Env::new();
    let id = env.classified("王先生");
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let link = env.path("link.md");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let case_file = crate::env::case_file(&id);
    let before = env.snapshot();
    let head = std::fs::read(env.path(".git/HEAD")).unwrap();
    for (target, needle) in [
        ("config/kefu.toml", "inside the workspace's config/"),
        (case_file.as_str(), "inside the workspace's cases/"),
        (".git/HEAD", "inside the workspace's .git/"),
        ("link.md", "is a symbolic link"),
    ] {
        env.run(&["handoff", &id, "--to", "service", "--form", target, "--force"])
            .fails(needle);
    }
    std::fs::write(env.path("form.md"), "mine").unwrap();
    env.run(&["handoff", &id, "--to", "service", "--form", "form.md"])
        .fails("already exists; add --force");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert_eq!(std::fs::read(env.path(".git/HEAD")).unwrap(), head);
    std::fs::remove_file(env.path("form.md")).unwrap();
    assert!(env.snapshot() == before, "a refused handoff changed the workspace");

    env.run(&["handoff", &id, "--to", "service", "--form", "form.md"]).ok();
    assert!(std::fs::read_to_string(env.path("form.md")).unwrap().contains("王先生"));
}

#[test]
fn implausible_times_and_durations_are_refused_before_anything_is_written() {
    let mut env = Env::new();
    let before = env.snapshot();
    env.intake_run("x", &["--received-at", "26-11-20 09:00"])
        .fails("the year needs four digits");
    env.intake_run("x", &["--received-at", "1900-01-01"])
        .fails("the year must be between 1970 and 2199");
    env.set_now("9999-01-01T00:00:00+08:00");
    env.run(&["list"]).fails("the year must be between 1970 and 2199");
    env.set_now("2026-11-23T10:15:00+08:00");
    let cmd = |v: &str| {
        let mut c = env.command();
        c.args(["intake", "--name", "x", "--channel", "phone", "--summary", "s"])
            .env("KEFU_LOCK_TIMEOUT", v);
        env.run_cmd(&mut c, &["intake"])
    };
    cmd("-1").fails("KEFU_LOCK_TIMEOUT: expected seconds between 0 and 86400");
    cmd("soon").fails("KEFU_LOCK_TIMEOUT");
    assert!(env.snapshot() == before, "a refused command wrote something");

    // A config limit of 3000000d, or one unit twice, is a config error naming the key.
    let config = env.path("config/kefu.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    for (bad, needle) in [
        ("3000000d", "longer than 3650 days"),
        ("4h4h", "the unit 'h' is given twice"),
    ] {
        std::fs::write(
            &config,
            text.replacen("close = \"3d\"", &format!("close = \"{bad}\""), 1),
        )
        .unwrap();
        env.run(&["list"]).fails(needle);
    }
    std::fs::write(&config, text).unwrap();
}

#[test]
fn a_case_file_dated_in_year_26_is_reported_not_swept_for_minutes() {
    let env = Env::new();
    let id = env.classified("王先生");
    let path = env.path(&crate::env::case_file(&id));
    let text = std::fs::read_to_string(&path).unwrap().replace("2026-11-", "0026-11-");
    std::fs::write(&path, text).unwrap();
    let run = env.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("the year must be between 1970 and 2199"),
        "{}",
        run.stdout
    );
    let run = env.run(&["sweep"]);
    assert!(run.stderr.contains(&id), "the case is named: {}", run.stderr);
}

#[test]
fn one_unreadable_case_never_blocks_the_others_and_the_run_exits_3() {
    let mut env = Env::new();
    env.set_now("2026-11-02T09:00:00+08:00");
    let good = env.classified("王先生");
    let bad = env.classified("張女士");
    std::fs::write(env.path(&crate::env::case_file(&bad)), "not = [a case").unwrap();
    env.set_now("2026-11-10T09:00:00+08:00");
    let run = env.run(&["sweep"]);
    assert_eq!(run.code, 3, "partly done: {}", run.stderr);
    assert!(run.stderr.contains(&bad), "the skipped case is named: {}", run.stderr);
    assert!(
        env.case_text(&good).contains("kind = \"penalty\""),
        "the healthy case was swept"
    );
    let log = env.run(&["log", &good, "--json"]).ok().json();
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["subject"].as_str().unwrap().starts_with("kefu: sweep"))
    );

    assert_eq!(env.run(&["friday", "--json"]).code, 3);
    let export = env.run(&["export"]);
    assert_eq!(export.code, 3);
    assert!(export.stdout.contains(&good) && export.stderr.contains(&bad));
    env.run(&["export", "--skip-unreadable"]).ok();
}

#[test]
fn a_retried_intake_with_the_same_source_ref_gives_the_same_id_and_writes_nothing() {
    let env = Env::new();
    let first = env.intake("王先生", &["--source-ref", "web-77"]);
    let before = env.snapshot();
    let again = env.intake("王先生", &["--source-ref", "web-77"]);
    assert_eq!(again, first);
    assert!(env.snapshot() == before);
}

#[test]
fn actions_keep_time_order_and_a_late_entry_cannot_turn_a_miss_into_met() {
    let mut env = Env::new();
    env.set_now("2026-11-23T09:00:00+08:00");
    let id = env.classified("王先生");
    env.set_now("2026-11-23T12:00:00+08:00");
    env.run(&["handoff", &id, "--to", "service"]).ok();
    let before = env.snapshot();
    env.run(&["ack", &id, "--at", "2026-11-23 11:00"])
        .fails("--at 2026-11-23T11:00:00+08:00 is before the case's last recorded event (handoff at 2026-11-23T12:00:00+08:00)");
    env.set_now("2026-11-23T13:00:00+08:00");
    env.run(&["ack", &id]).ok();
    let mut earlier = env.command();
    earlier
        .args(["reply", &id, "--from", "service", "--text", "已處理"])
        .env("KEFU_NOW", "2026-11-23T11:00:00+08:00");
    env.run_cmd(&mut earlier, &["reply"])
        .fails("is before the case's last recorded event (ack at 2026-11-23T13:00:00+08:00)");
    assert!(env.snapshot() != before, "the ack is recorded");
    // A backdated intake classified in the same step is classified at its receipt, so a
    // signature between receipt and now is in order.
    let old = env.intake(
        "張女士",
        &[&["--received-at", "2026-11-23 10:00"][..], &GENERAL].concat(),
    );
    let case = env.show(&old);
    assert_eq!(case["events"][1]["at"], "2026-11-23T10:00:00+08:00");
    env.run(&["handoff", &old, "--to", "service"]).ok();
    env.run(&["handoff", &old, "--to", "sales"]).fails("add --reassign");
}

#[test]
fn a_reader_that_stops_early_does_not_turn_a_done_sweep_into_a_failure() {
    let mut env = Env::new();
    env.set_now("2026-11-02T09:00:00+08:00");
    let id = env.classified("王先生");
    env.set_now("2026-11-10T09:00:00+08:00");
    // `kefu friday --json | head -c0`: the reader has gone before kefu writes a byte.
    let mut child = env
        .command()
        .args(["friday", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        !stderr.contains("error"),
        "no error for a reader that stopped: {stderr}"
    );
    assert!(env.case_text(&id).contains("kind = \"penalty\""), "the sweep was done");
}

#[cfg(unix)]
#[test]
fn a_fifo_or_folder_where_an_id_mark_belongs_never_hangs_intake() {
    let env = Env::new();
    let first = env.intake("王先生", &[]);
    let day = &first[..8];
    let mark = env.path(&format!(".kefu/ids/{day}"));
    let _ = std::fs::remove_file(&mark);
    let made = std::process::Command::new("mkfifo").arg(&mark).status().unwrap();
    assert!(made.success());
    // A FIFO opened for reading blocks until a writer comes; kefu must not open it so.
    let second = env.intake("張女士", &[]);
    assert_ne!(second, first);
    let _ = std::fs::remove_file(&mark);
    std::fs::create_dir(&mark).unwrap();
    let third = env.intake("李先生", &[]);
    assert!(third != first && third != second);
}

#[test]
fn check_reports_forged_duplicated_and_future_penalties_by_event() {
    let mut env = Env::new();
    env.set_now("2026-11-02T09:00:00+08:00");
    let id = env.classified("王先生");
    env.set_now("2026-11-06T09:00:00+08:00");
    env.run(&["sweep"]).ok();
    env.run(&["--no-commit", "check"]).ok();
    let path = env.path(&crate::env::case_file(&id));
    let clean = std::fs::read_to_string(&path).unwrap();
    // General: 50 for the missed 11-05 deadline. Each forgery alone.
    let forged_amount = clean.replacen("amount = 50", "amount = 999999", 1);
    let penalty_at = clean.find("kind = \"penalty\"").unwrap();
    let block_start = clean[..penalty_at].rfind("[[events]]").unwrap();
    let block_end = clean[penalty_at..]
        .find("[[events]]")
        .map_or(clean.len(), |e| penalty_at + e);
    let block = &clean[block_start..block_end];
    let duplicated = format!("{clean}\n{}", block.replacen("id = \"p", "id = \"q", 1));
    let future = clean.replace(
        "2026-11-05T09:00:00+08:00\"\nkind = \"penalty\"",
        "2027-11-05T09:00:00+08:00\"\nkind = \"penalty\"",
    );
    for (text, needle) in [
        (&forged_amount, "amount 999999 but a general penalty is 50"),
        (&duplicated, "a second penalty for 2026-11-05T09:00:00+08:00"),
        (&future, "after now"),
    ] {
        std::fs::write(&path, text).unwrap();
        env.run(&["check"]).finds(&[needle, &id]);
    }
}

#[test]
fn the_real_clock_is_recorded_to_the_second_and_reads_back() {
    let env = Env::new();
    let real_clock = |args: &[&str]| {
        let mut cmd = env.command();
        cmd.env_remove("KEFU_NOW").args(args);
        env.run_cmd(&mut cmd, args)
    };
    let id = real_clock(&["intake", "--name", "王小明", "--channel", "phone", "--summary", "壞了"])
        .ok()
        .id();
    real_clock(&["note", &id, "--text", "客戶來電補充"]).ok();
    let at = env.show(&id)["events"][1]["at"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(at.len() == "2026-12-06T12:00:00+08:00".len(), "whole seconds: {at}");
    env.run(&["check"]).ok();
}
