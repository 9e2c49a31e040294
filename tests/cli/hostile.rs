//! The hostile corpus (SPEC §7): hand-edited, truncated, binary and oversized case
//! files, broken configs and path tricks in ids. Each must get a one-line error naming
//! the file (and line or field), exit 1 and no change, while the read commands keep
//! working on the healthy cases beside it.
//!
//! The corpus is `tests/fixtures/hostile/`; what cannot be committed sensibly (a 10 MB
//! summary, symbolic links, directories) is made here. Run with `--nocapture` to see
//! the table of what was tried and what held (docs/reliability.md keeps a copy).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::env::{Env, Run, State};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile");
/// Where every hostile case file is put.
const ID: &str = "20261120-001";
const FILE: &str = "cases/2026/11/20261120-001.toml";

/// A workspace without commits (git is not the subject) holding two healthy cases; the
/// handed-off one's id.
fn workspace() -> (Env, String) {
    let env = Env::new();
    let config = env.path("config/kefu.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&config, text.replace("auto_commit = true", "auto_commit = false")).expect("config");
    env.intake("李女士", &[]);
    let id = env.case("王先生", State::HandedOff);
    (env, id)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

/// One thing tried, and which of the promises held.
struct Row {
    what: String,
    error: String,
    held: Vec<(&'static str, Result<(), String>)>,
}

/// Exit 1 and a one-line error on stderr containing each of `needles`.
fn refused(run: &Run, needles: &[&str]) -> Result<(), String> {
    let problem = if run.code != 1 {
        Some(format!("exit {}", run.code))
    } else if !run.stderr.starts_with("error: ") || run.stderr.trim_end().lines().count() != 1 {
        Some("error is not one line".to_string())
    } else {
        needles
            .iter()
            .find(|n| !run.stderr.contains(*n))
            .map(|n| format!("error lacks {n:?}"))
    };
    match problem {
        None => Ok(()),
        Some(p) => Err(format!("kefu {:?}: {p}: {}", run.args, run.stderr.trim_end())),
    }
}

fn worked(run: &Run) -> Result<(), String> {
    if run.code == 0 {
        Ok(())
    } else {
        Err(format!("kefu {:?} failed: {}", run.args, run.stderr.trim_end()))
    }
}

/// The read commands on the healthy cases.
fn reads_work(env: &Env, healthy: &str, cases: usize) -> Result<(), String> {
    let list = env.run(&["list", "--json"]);
    worked(&list)?;
    let listed = list.json().as_array().map_or(0, Vec::len);
    if listed != cases {
        return Err(format!("list shows {listed} cases, expected {cases}"));
    }
    worked(&env.run(&["show", healthy]))?;
    worked(&env.run(&["due"]))?;
    // The report is made, and says it skipped the hostile file: partly done (SPEC §17.1).
    let friday = env.run(&["friday", "--no-sweep", "--from", "2026-11-16", "--to", "2026-11-24"]);
    match friday.code {
        0 | 3 => Ok(()),
        _ => worked(&friday),
    }
}

/// A hostile case file installed as `cases/2026/11/20261120-001.toml`: check, show and a write
/// command refuse it naming the file and `needle`; nothing changes; reads still work.
fn hostile_case(what: &str, needle: &str, install: impl FnOnce(&Env)) -> Row {
    let (env, healthy) = workspace();
    install(&env);
    let before = env.snapshot();
    let check = env.run(&["check"]);
    let show = env.run(&["show", ID]);
    let error = show.stderr.trim_end().trim_start_matches("error: ").to_string();
    let held = vec![
        (
            "check",
            if check.code == 1 && check.stdout.lines().any(|l| l.starts_with(FILE) && l.contains(needle)) {
                Ok(())
            } else {
                Err(format!("check: exit {}: {}", check.code, check.stdout))
            },
        ),
        ("show", refused(&show, &[FILE, needle])),
        (
            "write",
            refused(&env.run(&["reply", ID, "--text", "已處理"]), &[FILE, needle]),
        ),
        ("unchanged", same(&env, &before)),
        ("reads", reads_work(&env, &healthy, 2)),
    ];
    Row {
        what: what.to_string(),
        error,
        held,
    }
}

fn same(env: &Env, before: &std::collections::BTreeMap<PathBuf, Vec<u8>>) -> Result<(), String> {
    if &env.snapshot() == before {
        Ok(())
    } else {
        Err("the workspace changed".into())
    }
}

fn copy_fixture(name: &'static str) -> impl FnOnce(&Env) {
    move |env: &Env| {
        std::fs::copy(fixture(name), env.path(FILE)).expect("install fixture");
    }
}

/// A case-file fixture, with the words its error must contain.
const CASE_FILES: &[(&str, &str, &str)] = &[
    ("malformed TOML (unterminated string)", "malformed.toml", ":13:"),
    (
        "wrong type (external = \"no\")",
        "wrong-type.toml",
        ":6: external: invalid type",
    ),
    ("unknown key (colour)", "unknown-key.toml", "unknown field `colour`"),
    (
        "bad date (received_at = \"last Friday\")",
        "bad-date.toml",
        ":4: received_at: bad time",
    ),
    ("unknown status (sleeping)", "unknown-status.toml", "sleeping"),
    ("no event log", "events-missing.toml", ":1: missing field `events`"),
    (
        "closed with no close event",
        "closed-without-close-event.toml",
        "status is closed but the event log says handed_off",
    ),
    (
        "deadline before receipt",
        "deadline-before-receipt.toml",
        "`handoff_due` is before the case was received",
    ),
    (
        "irrational with no follow-up mode",
        "irrational-without-follow-up.toml",
        "needs `follow_up`",
    ),
    (
        "id that does not match its file name",
        "id-mismatch.toml",
        "does not match the file name",
    ),
    ("NUL byte in a string", "nul-bytes.toml", ":13:"),
    ("invalid UTF-8 (GBK bytes)", "invalid-utf8.toml", "not UTF-8"),
];

fn print_table(title: &str, rows: &[Row]) -> String {
    let mut out = String::new();
    let names: Vec<&str> = rows
        .first()
        .map_or(Vec::new(), |r| r.held.iter().map(|(n, _)| *n).collect());
    let _ = writeln!(out, "\n{title}\n\n| tried | {} | error |", names.join(" | "));
    let _ = writeln!(out, "|---|{}---|", "---|".repeat(names.len()));
    for r in rows {
        let marks: Vec<&str> = r
            .held
            .iter()
            .map(|(_, ok)| if ok.is_ok() { "held" } else { "FAILED" })
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | `{}` |",
            r.what,
            marks.join(" | "),
            r.error.replace('|', "\\|")
        );
    }
    let tried: usize = rows.iter().map(|r| r.held.len()).sum();
    let held: usize = rows.iter().flat_map(|r| &r.held).filter(|(_, ok)| ok.is_ok()).count();
    let _ = writeln!(out, "\n{} inputs, {tried} promises checked, {held} held", rows.len());
    println!("{out}");
    out
}

fn assert_all_held(rows: &[Row]) {
    let failed: Vec<String> = rows
        .iter()
        .flat_map(|r| r.held.iter().map(move |(n, ok)| (r, n, ok)))
        .filter_map(|(r, n, ok)| ok.as_ref().err().map(|e| format!("{} / {n}: {e}", r.what)))
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn hostile_case_files_are_refused_by_name_and_change_nothing() {
    let mut rows: Vec<Row> = CASE_FILES
        .iter()
        .map(|&(what, name, needle)| hostile_case(what, needle, copy_fixture(name)))
        .collect();
    rows.push(hostile_case(
        "case file that is a symbolic link",
        "symbolic link",
        |env| {
            std::os::unix::fs::symlink("../../../config/kefu.toml", env.path(FILE)).expect("symlink");
        },
    ));
    rows.push(hostile_case(
        "case file that is a directory",
        "not a regular file",
        |env| {
            std::fs::create_dir(env.path(FILE)).expect("mkdir");
            std::fs::write(env.path(FILE).join("x"), "x").expect("write");
        },
    ));
    rows.push(hostile_case("10 MB summary", "larger than the", |env| {
        let text = std::fs::read_to_string(fixture("wrong-type.toml")).expect("fixture");
        let big = text
            .replace("external = \"no\"", "external = false")
            .replace("燒餅烙糊了", &"烙".repeat((10 << 20) / 3));
        std::fs::write(env.path(FILE), big).expect("write");
    }));
    print_table("Hostile case files", &rows);
    assert_all_held(&rows);
}

#[test]
fn a_case_naming_a_department_the_config_lacks_is_reported_by_check() {
    let (env, healthy) = workspace();
    copy_fixture("unknown-department.toml")(&env);
    let before = env.snapshot();
    let check = env.run(&["check"]);
    assert_eq!(check.code, 1);
    assert!(
        check
            .stdout
            .contains("cases/2026/11/20261120-001.toml: department \"legal\" is not in config/kefu.toml"),
        "{check:?}"
    );
    // The case's own history is sound, so it can be read; a reply from the unknown
    // department is refused by name.
    env.run(&["show", ID]).ok();
    env.run(&["reply", ID, "--from", "legal", "--text", "x"])
        .fails("--from: unknown department \"legal\"");
    assert_eq!(env.snapshot(), before);
    // Its own history is sound, so it is listed too.
    reads_work(&env, &healthy, 3).unwrap();
}

#[test]
fn path_tricks_in_ids_are_refused_before_any_path_is_built() {
    let (env, _) = workspace();
    let before = env.snapshot();
    let tricks: &[&[&str]] = &[
        &["show", "../config/kefu"],
        &["show", "/etc/passwd"],
        &["show", "20261123-001.toml"],
        &["show", "20261123-001/../../x"],
        &["show", "..%2f..%2fetc"],
        &["show", "--", "-1"],
        &["reply", "../../etc/passwd", "--text", "x"],
        &["classify", "../cases/20261123-001", "--level", "general"],
        &[
            "close",
            "./20261123-001",
            "--resolution",
            "x",
            "--remedy",
            "none",
            "--satisfaction",
            "satisfied",
        ],
        &["handoff", "20261123-001\\..\\x", "--to", "service"],
    ];
    let mut rows = Vec::new();
    for args in tricks {
        let run = env.run(args);
        rows.push(Row {
            what: format!("`kefu {}`", args.join(" ")),
            error: run.stderr.trim_end().trim_start_matches("error: ").to_string(),
            held: vec![
                ("refused", refused(&run, &["is not a case id"])),
                ("unchanged", same(&env, &before)),
            ],
        });
    }
    print_table("Path tricks in ids", &rows);
    assert_all_held(&rows);
}

#[test]
fn broken_configs_are_refused_by_file_and_line() {
    let cases: &[(&str, &[u8], &str)] = &[
        (
            "config with a duplicate department key",
            "[[departments]]\nkey = \"service\"\nlabel = \"服務站\"\nreceiver = \"李站長\"\n\n[[departments]]\nkey = \"service\"\nlabel = \"售後\"\nreceiver = \"張\"\n".as_bytes(),
            "config/kefu.toml:7: departments: duplicate key \"service\"",
        ),
        (
            "config with a duplicate TOML key",
            b"clerk = \"a\"\nclerk = \"b\"\n",
            "config/kefu.toml:2: clerk: duplicate key",
        ),
        (
            "config with a wrong type",
            b"[penalty]\ngeneral = \"fifty\"\nmoderate = 100\nsevere = 200\nirrational = 0\nmonthly_multiplier = 1\n",
            "config/kefu.toml:2:",
        ),
        ("config with a NUL byte", b"clerk = \"\0\"\n", "config/kefu.toml:1:"),
        ("config that is not UTF-8", b"clerk = \"\xbf\xfe\"\n", "config/kefu.toml"),
    ];
    let mut rows = Vec::new();
    for &(what, text, needle) in cases {
        let (env, healthy) = workspace();
        std::fs::write(env.path("config/kefu.toml"), text).expect("config");
        let before = env.snapshot();
        // These configs name no language, so the shop's would be Chinese; the needles
        // are the English messages.
        let run = |args: &[&str]| env.run_cmd(env.command().env("KEFU_LANG", "en").args(args), args);
        let check = run(&["check"]);
        let list = run(&["list"]);
        rows.push(Row {
            what: what.to_string(),
            error: list.stderr.trim_end().trim_start_matches("error: ").to_string(),
            held: vec![
                (
                    "check",
                    if check.code == 1 && check.stdout.contains(needle) {
                        Ok(())
                    } else {
                        Err(format!("check: {check:?}"))
                    },
                ),
                ("reads", refused(&list, &[needle])),
                ("show", refused(&run(&["show", &healthy]), &[needle])),
                (
                    "write",
                    refused(
                        &run(&["intake", "--name", "a", "--channel", "phone", "--summary", "s"]),
                        &[needle],
                    ),
                ),
                ("unchanged", same(&env, &before)),
            ],
        });
    }
    print_table("Broken configs (every command reads the config first)", &rows);
    assert_all_held(&rows);
}

#[test]
fn oversized_input_is_refused_naming_the_flag_and_the_limit() {
    let (env, healthy) = workspace();
    let big = "烙".repeat(30_000);
    let tried: Vec<(&str, Vec<&str>, &str)> = vec![
        (
            "intake --summary of 90,000 bytes",
            vec!["intake", "--name", "王", "--channel", "phone", "--summary", &big],
            "--summary (complaint.summary) is 90000 bytes, over the 65536-byte limit for a field (max_field_bytes in config/kefu.toml)",
        ),
        (
            "intake --details of 90,000 bytes",
            vec![
                "intake",
                "--name",
                "王",
                "--channel",
                "phone",
                "--summary",
                "s",
                "--details",
                &big,
            ],
            "--details (complaint.details) is 90000 bytes",
        ),
        (
            "reply --text of 90,000 bytes",
            vec!["reply", &healthy, "--text", &big],
            "--text (events.text) is 90000 bytes",
        ),
        (
            "handoff --note of 90,000 bytes",
            vec!["handoff", &healthy, "--to", "service", "--note", &big],
            "--note (events.note) is 90000 bytes",
        ),
        (
            "--actor of 90,000 bytes",
            vec!["--actor", &big, "reply", &healthy, "--text", "x"],
            "--actor (events.actor) is 90000 bytes",
        ),
    ];
    let mut rows = Vec::new();
    for (what, args, needle) in tried {
        let before = env.snapshot();
        let run = env.run(&args);
        rows.push(Row {
            what: what.to_string(),
            error: run.stderr.trim_end().trim_start_matches("error: ").to_string(),
            held: vec![
                ("refused", refused(&run, &[needle])),
                ("unchanged", same(&env, &before)),
            ],
        });
    }
    // A smaller case-file limit: the reply that would pass it is refused.
    let config = env.path("config/kefu.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(
        &config,
        text.replace("max_case_bytes = 1048576", "max_case_bytes = 4000"),
    )
    .expect("config");
    let before = env.snapshot();
    let run = env.run(&["reply", &healthy, "--text", &"烙".repeat(1000)]);
    rows.push(Row {
        what: "reply that would make the case file pass max_case_bytes = 4000".into(),
        error: run.stderr.trim_end().trim_start_matches("error: ").to_string(),
        held: vec![
            (
                "refused",
                refused(
                    &run,
                    &["over the 4000-byte limit for a case file (max_case_bytes in config/kefu.toml)"],
                ),
            ),
            ("unchanged", same(&env, &before)),
        ],
    });
    print_table("Size limits", &rows);
    assert_all_held(&rows);
}

/// Inputs the fuzz targets found panicking (tests/fixtures/fuzz/), named after the
/// target: each must now be an error.
#[test]
fn fuzz_findings_are_errors_not_panics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    for entry in std::fs::read_dir(dir).expect("fixtures").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let bytes = std::fs::read(entry.path()).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        if name.starts_with("case_file-") {
            assert!(kefu::store::parse_case(&text, Path::new(FILE)).is_err(), "{name}");
        } else if name.starts_with("config-") {
            assert!(
                kefu::domain::config::Config::parse(Path::new("config/kefu.toml"), &text).is_err(),
                "{name}"
            );
        } else if name.starts_with("import_rows-") {
            let _ = kefu::commands::import::read_rows(&bytes[1..], ["csv", "json", "jsonl"][usize::from(bytes[0] % 3)]);
        }
    }
}

#[test]
fn hostile_imports_are_refused_by_row_and_change_nothing() {
    let tried: &[(&str, &str, &[u8], &[&str])] = &[
        (
            "CSV with ragged rows (short, long)",
            "ragged.csv",
            "name,channel,summary\n王,phone,ok\n李,phone\n趙,phone,a,b\n".as_bytes(),
            &[
                "row 3: summary: missing (required)",
                "row 4: column D: a value in a column without a header",
            ],
        ),
        (
            "CSV with a NUL byte in a cell",
            "nul.csv",
            "name,channel,summary\n王,phone,o\0k\n".as_bytes(),
            &["row 2: column C (summary): contains the control character U+0000"],
        ),
        (
            "JSON lines with an escaped NUL",
            "nul.jsonl",
            b"{\"name\":\"a\",\"channel\":\"phone\",\"summary\":\"a\\u0000b\"}\n",
            &["line 1: summary: contains the control character U+0000"],
        ),
        (
            "CSV that is not UTF-8 (GBK, no --encoding)",
            "gbk.csv",
            b"name,channel,summary\n\xcd\xf5,phone,ok\n",
            &["gbk.csv: is not UTF-8 text (invalid byte on line 2)"],
        ),
        (
            "CSV with invalid UTF-8 after a BOM",
            "bom.csv",
            b"\xef\xbb\xbfname,channel,summary\n\xff,phone,ok\n",
            &["bom.csv: starts with a UTF-8 byte-order mark but is not UTF-8 text"],
        ),
    ];
    let mut rows = Vec::new();
    for &(what, name, bytes, needles) in tried {
        let (env, healthy) = workspace();
        let file = env.path(name);
        std::fs::write(&file, bytes).expect("write import");
        let before = env.snapshot();
        let run = env.run(&["import", name]);
        let lines: Vec<&str> = run.stderr.lines().collect();
        let last = lines.last().copied().unwrap_or_default();
        rows.push(Row {
            what: what.to_string(),
            error: lines
                .iter()
                .map(|l| l.trim_start_matches("error: "))
                .collect::<Vec<_>>()
                .join(" / "),
            held: vec![
                (
                    "refused",
                    if run.code == 1
                        && last.starts_with(&format!("error: {name}"))
                        && needles.iter().all(|n| run.stderr.contains(n))
                    {
                        Ok(())
                    } else {
                        Err(format!("{run:?}"))
                    },
                ),
                ("unchanged", same(&env, &before)),
                ("reads", reads_work(&env, &healthy, 2)),
            ],
        });
    }
    print_table(
        "Hostile imports (one line per bad row, then one error naming the file)",
        &rows,
    );
    assert_all_held(&rows);
}
