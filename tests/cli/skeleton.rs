//! The walking skeleton: workspace, config, case files, ids, intake, classify, list, show, check.

use std::collections::HashSet;

use crate::env::{Env, GENERAL, NOW, class, kinds};

#[test]
fn intake_prints_sequential_ids_and_writes_valid_toml() {
    let env = Env::new();
    let args = ["--contact", "13800000000", "--request", "refund"];
    assert_eq!(env.intake("王先生", &args), "20261123-001");
    assert_eq!(env.intake("王先生", &args), "20261123-002");
    let text = env.case_text("20261123-001");
    let value: toml::Table = toml::from_str(&text).expect("valid TOML");
    assert_eq!(value["customer"]["name"].as_str(), Some("王先生"));
    assert_eq!(value["schema"].as_integer(), Some(2));
}

/// An id is kept from reuse only once its case is written: a case refused after its id
/// was handed out (here by the size limit) leaves the number free.
#[test]
fn a_refused_new_case_leaves_its_id_free() {
    let env = Env::new();
    assert_eq!(env.intake("王先生", &[]), "20261123-001");
    let big = "烙".repeat(30_000);
    env.run(&["intake", "--name", "李", "--channel", "phone", "--summary", &big])
        .fails("max_field_bytes");
    assert_eq!(env.intake("李小姐", &[]), "20261123-002");
}

#[test]
fn intake_prints_the_id_alone_on_stdout() {
    let env = Env::new();
    let run = env
        .run(&[
            "intake",
            "--name",
            "Ann Lee",
            "--channel",
            "email",
            "--summary",
            "Parcel arrived broken",
        ])
        .ok();
    assert_eq!(run.stdout, "20261123-001\n");
}

#[test]
fn classify_sets_the_deadlines_of_the_level() {
    let env = Env::new();
    env.intake("王先生", &[]);
    env.run(&[&["classify", "001"][..], &GENERAL].concat()).ok();
    let case = env.show("001");
    assert_eq!(case["deadlines"]["handoff"], "2026-11-23T14:15:00+08:00");
    assert_eq!(case["deadlines"]["close"], "2026-11-26T10:15:00+08:00");
    assert_eq!(case["deadlines"]["first_reply"], serde_json::Value::Null);
    assert_eq!(case["status"], "classified");
    assert_eq!(case["level"], "general");
    assert_eq!(case["customer"]["name"], "王先生");
    assert_eq!(case["overdue"], serde_json::json!([]));
}

#[test]
fn labels_are_accepted_like_keys() {
    let env = Env::new();
    env.run(&[
        "intake",
        "--name",
        "王先生",
        "--channel",
        "電話",
        "--summary",
        "x",
        "--category",
        "產品質量",
        "--level",
        "強烈",
        "--department",
        "服務站",
    ])
    .ok();
    let case = env.show("001");
    assert_eq!(
        (case["channel"].as_str(), case["category"].as_str()),
        (Some("phone"), Some("quality"))
    );
    assert_eq!(case["level"], "severe");
    assert_eq!(case["deadlines"]["handoff"], "2026-11-23T11:15:00+08:00");
}

#[test]
fn reclassifying_is_an_event_and_recomputes_deadlines() {
    let env = Env::new();
    let id = env.classified("王先生");
    env.run(&["classify", &id, "--level", "moderate"]).ok();
    let case = env.show(&id);
    assert_eq!(case["level"], "moderate");
    assert_eq!(case["category"], "quality", "unchanged fields are kept");
    assert_eq!(case["deadlines"]["handoff"], "2026-11-23T12:15:00+08:00");
    assert_eq!(case["deadlines"]["close"], "2026-11-30T10:15:00+08:00");
    assert_eq!(kinds(&case), ["intake", "classify", "classify"]);
}

#[test]
fn irrational_needs_a_follow_up_mode_and_is_a_first_irrational() {
    let env = Env::new();
    let id = env.intake("趙先生", &[]);
    let before = env.snapshot();
    let classify = [&["classify", &id][..], &class("price", "irrational", "sales")].concat();
    env.run(&classify).fails("--follow-up");
    assert_eq!(env.snapshot(), before);
    env.run(&[&classify[..], &["--follow-up", "watch", "--external"]].concat())
        .ok();
    let case = env.show(&id);
    assert_eq!(
        (case["irrational"].as_str(), case["follow_up"].as_str()),
        (Some("first"), Some("watch"))
    );
    assert_eq!(case["external"], true);
    assert_eq!(case["deadlines"]["close"], "2026-12-23T10:15:00+08:00");
}

#[test]
fn twenty_concurrent_intakes_get_twenty_ids_and_whole_files() {
    let env = Env::new();
    let children: Vec<_> = (0..20)
        .map(|i| {
            env.command()
                .args([
                    "intake",
                    "--name",
                    &format!("客戶{i}"),
                    "--channel",
                    "web",
                    "--summary",
                    "同時受理",
                ])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    let ids: HashSet<String> = children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().expect("wait");
            assert!(out.status.success());
            String::from_utf8(out.stdout).unwrap().trim().to_string()
        })
        .collect();
    assert_eq!(ids.len(), 20);
    for id in &ids {
        let value: toml::Table = toml::from_str(&env.case_text(id)).expect("whole file");
        assert_eq!(value["id"].as_str(), Some(id.as_str()));
    }
    env.run(&["check"]).ok();
}

#[test]
fn bad_input_is_one_line_naming_the_flag_and_changes_nothing() {
    let env = Env::new();
    env.intake("王先生", &[]);
    let before = env.snapshot();
    let base = ["intake", "--name", "x", "--channel", "phone", "--summary", "y"];
    let cases: &[(&[&str], &str)] = &[
        (
            &["--category", "food", "--level", "general", "--department", "service"],
            "--category: unknown category \"food\": expected one of quality (產品質量)",
        ),
        (
            &["--category", "quality", "--level", "general", "--department", "kitchen"],
            "--department: unknown department \"kitchen\": expected one of admin",
        ),
        (&["--received-at", "next week"], "--received-at: expected a time like"),
        (&["--received-at", "2026-12-01T00:00:00+08:00"], "is in the future"),
        (
            &["--request", "money"],
            "--request: unknown request \"money\": expected one of refund",
        ),
        (
            &["--category", "quality"],
            "to classify, also give --level and --department",
        ),
    ];
    for (extra, message) in cases {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        env.run(&args).fails(message);
    }
    env.run(&["intake", "--name", "x", "--channel", "fax", "--summary", "y"])
        .fails("--channel: unknown channel \"fax\": expected one of phone (電話), email");
    env.run(&["intake", "--contact", "1"]).fails("missing required flags: --name, --channel (one of phone, email, social, in_person, web, dealer, other), --summary");
    env.run(&["intake", "--name", "x", "--channel", "phone"])
        .fails("missing required flag: --summary");
    env.run(&["classify", "001", "--level", "general"])
        .fails("to classify, also give --category and --department");
    // Levels are fixed by kefu: an unknown one is a usage error (SPEC §17.1).
    let mut args = base.to_vec();
    args.extend_from_slice(&["--category", "quality", "--level", "sever", "--department", "service"]);
    env.run(&args)
        .usage("--level: unknown level \"sever\": expected one of general (一般)");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    let run = env.run(&["intake", "--nmae", "x"]);
    assert_eq!(run.code, 2, "{run:?}");
    let run = env.run(&[
        "close",
        "001",
        "--remedy",
        "cash",
        "--resolution",
        "r",
        "--satisfaction",
        "satisfied",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
}

#[test]
fn ids_resolve_by_unique_suffix_and_refuse_anything_else() {
    let mut env = Env::new();
    env.intake("甲", &[]);
    env.set_now("2026-11-24T09:00:00+08:00");
    env.intake("乙", &[]);
    env.intake("丙", &[]);
    assert_eq!(env.show("1124-002")["customer"]["name"], "丙");
    assert_eq!(env.show("20261123-001")["customer"]["name"], "甲");
    env.run(&["show", "001"])
        .fails("\"001\" is ambiguous: it could be 20261123-001, 20261124-001");
    env.run(&["show", "009"]).fails("no case id ends with \"009\"");
    env.run(&["show", "20261124-009"]).fails("no case 20261124-009");
    for bad in ["../x", "01", "20261123-001.toml", "/etc/passwd", "1123*"] {
        env.run(&["show", bad]).fails("is not a case id");
    }
}

#[test]
fn the_workspace_is_found_from_a_subdirectory_or_not_at_all() {
    let env = Env::new();
    std::fs::create_dir_all(env.path("cases/sub")).unwrap();
    let run = env.run_cmd(
        env.command()
            .env_remove("KEFU_ROOT")
            .current_dir(env.path("cases/sub"))
            .args(["list"]),
        &["list"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let elsewhere = Env::empty();
    let run = elsewhere.run_cmd(elsewhere.command().env_remove("KEFU_ROOT").args(["list"]), &["list"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("no kefu workspace here or above") && run.stderr.contains("kefu init"),
        "{}",
        run.stderr
    );
    elsewhere
        .run(&["--root", "/nonexistent/shop", "list"])
        .fails("is not a kefu workspace");
}

#[test]
fn init_refuses_an_existing_workspace() {
    let env = Env::new();
    assert!(env.path("config/kefu.toml").is_file() && env.path("cases").is_dir() && env.path(".git").is_dir());
    let before = env.snapshot();
    env.run(&["init"]).fails("is already a kefu workspace");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn list_filters_and_json() {
    let env = Env::new();
    env.classified("王先生");
    env.intake(
        "Ann Lee",
        &[
            &["--contact", "ann@example.com"][..],
            &class("delivery", "severe", "sales"),
        ]
        .concat(),
    );
    env.intake("李小姐", &[]);
    let ids = |args: &[&str]| -> Vec<String> { env.list_ids(args).iter().map(|id| id[9..].to_string()).collect() };
    assert_eq!(ids(&[]), ["001", "002", "003"]);
    assert_eq!(ids(&["--level", "severe"]), ["002"]);
    assert_eq!(ids(&["--category", "產品質量"]), ["001"]);
    assert_eq!(ids(&["--department", "sales"]), ["002"]);
    assert_eq!(ids(&["--status", "received"]), ["003"]);
    assert_eq!(ids(&["--customer", "example.com"]), ["002"]);
    assert_eq!(ids(&["--since", "2026-11-24"]), Vec::<String>::new());
    env.run(&["list", "--level", "loud"]).usage("--level: unknown level");
    env.run(&["list", "--status", "done"]).usage("unknown status \"done\"");
    let table = env.run(&["list"]).ok().stdout;
    assert!(
        table.contains("王先生") && table.contains("強烈") && table.contains("3 cases"),
        "{table}"
    );
}

#[test]
fn overdue_is_shown_live_without_writing() {
    let mut env = Env::new();
    let id = env.classified("王先生");
    env.set_now("2026-11-23T15:00:00+08:00");
    let before = env.snapshot();
    let case = env.show(&id);
    assert_eq!(case["overdue"], serde_json::json!(["handoff"]));
    let listed = env.run(&["list", "--overdue", "--json"]).ok().json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(env.run(&["show", &id]).ok().stdout.contains("overdue by 45m"));
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_broken_case_file_does_not_hide_the_others() {
    let env = Env::new();
    env.classified("王先生");
    env.classified("李小姐");
    let path = env.path("cases/2026/11/20261123-002.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("level = \"general\"\ndepartment", "level = \"sever\"\ndepartment");
    std::fs::write(&path, text).unwrap();
    let run = env.run(&["list", "--json"]).ok();
    assert_eq!(run.json().as_array().unwrap().len(), 1);
    assert!(
        run.stderr.contains("warning: skipped cases/2026/11/20261123-002.toml:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("unknown variant `sever`"), "{}", run.stderr);
}

#[test]
fn check_reports_every_problem_with_file_and_line() {
    let env = Env::new();
    for name in ["甲", "乙", "丙", "丁"] {
        env.classified(name);
    }
    env.run(&["check"]).ok();
    let edit = |id: &str, from: &str, to: &str| {
        let path = env.path(&crate::env::case_file(id));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{text}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    // Impossible state: closed, with no close event.
    edit("20261123-001", "status = \"classified\"", "status = \"closed\"");
    // Malformed TOML.
    edit("20261123-002", "channel = \"phone\"", "channel = phone");
    // An unknown key.
    edit("20261123-003", "external = false", "external = false\ncolour = \"red\"");
    // An id that does not match the file name.
    edit("20261123-004", "id = \"20261123-004\"", "id = \"20261123-005\"");
    std::fs::write(env.path("cases/notes.toml"), "x = 1\n").unwrap();
    let run = env.run(&["check"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    // Five broken files, and the same five hand edits the git trail does not hold.
    assert_eq!(lines.len(), 10, "{}", run.stdout);
    for (i, start) in [
        (
            0,
            "cases/2026/11/20261123-001.toml:3: status is closed but the event log says classified",
        ),
        (1, "cases/2026/11/20261123-002.toml:5: "),
        (2, "cases/2026/11/20261123-003.toml:7: unknown field `colour`"),
        (
            3,
            "cases/2026/11/20261123-004.toml:2: id \"20261123-005\" does not match the file name",
        ),
        (4, "cases/notes.toml: not named like a case file"),
        (5, "cases/2026/11/20261123-001.toml: changed since its last commit"),
        (9, "cases/notes.toml: not in the git trail"),
    ] {
        assert!(lines[i].starts_with(start), "line {i}: {}", lines[i]);
    }
    assert!(run.stderr.contains("10 problem(s)"), "{}", run.stderr);
}

#[test]
fn a_bad_config_is_reported_with_its_line() {
    let env = Env::new();
    let path = env.path("config/kefu.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("moderate = { handoff = \"2h\"", "moderate = { handoff = \"2 hours\""),
    )
    .unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("moderate = { handoff"))
        .unwrap()
        + 1;
    env.run(&["list"])
        .fails(&format!("config/kefu.toml:{line}: handoff: expected a duration like"));
    let run = env.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(&format!("config/kefu.toml:{line}:")),
        "{}",
        run.stdout
    );
}

#[test]
fn times_are_written_in_the_shop_zone_whatever_the_clock_says() {
    let mut env = Env::new();
    env.set_now("2026-11-23T02:15:00Z");
    env.intake("王先生", &["--received-at", "2026-11-23 09:00"]);
    let case = env.show("001");
    assert_eq!(case["received_at"], "2026-11-23T09:00:00+08:00");
    assert_eq!(case["events"][0]["recorded_at"], "2026-11-23T10:15:00+08:00");
    let _ = NOW;
}
