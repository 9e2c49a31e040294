//! Chinese first (SPEC §12, §17.1, §17.15, §17.19): labels in either script, the
//! clerk's date forms, import encodings, tables that fit the terminal, the clerk's
//! language.

use crate::env::{Env, GENERAL, case_file, class, texts};

/// Every flag that takes a configured or fixed word takes it in Simplified characters
/// too, in a shop whose labels are Traditional.
#[test]
fn simplified_labels_work_in_a_traditional_shop() {
    let env = Env::new();
    let intake = [
        "intake",
        "--name",
        "王先生",
        "--channel",
        "电话",
        "--summary",
        "烤箱坏了",
        "--request",
        "换货",
    ];
    let id = env
        .run(&[&intake[..], &class("产品质量", "中级", "服务站")].concat())
        .ok()
        .id();
    let case = env.show(&id);
    assert_eq!(case["channel"], "phone");
    assert_eq!(case["category"], "quality");
    assert_eq!(case["level"], "moderate");
    assert_eq!(case["department"], "service");
    let text = env.case_text(&id);
    assert!(
        text.contains("request = \"exchange\""),
        "keys are stored, not labels:\n{text}"
    );

    env.run(&["handoff", &id, "--to", "服务站"]).ok();
    env.run(&["ack", &id]).ok();
    env.run(&[
        "close",
        &id,
        "--resolution",
        "換新",
        "--remedy",
        "換貨",
        "--satisfaction",
        "滿意",
    ])
    .ok();
    let case = env.show(&id);
    assert_eq!(case["status"], "closed");
    let close = case["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(close["remedy"], "exchange", "{close}");
    assert_eq!(close["satisfaction"], "satisfied", "{close}");

    // The other script of the fixed labels, and the follow-up mode.
    let deferred = env.intake("趙先生", &[]);
    env.run(&[&["classify", &deferred][..], &class("服务态度", "强烈", "销售部")].concat())
        .ok();
    env.run(&["defer", &deferred, "--reason", "等廠家報告", "--follow-up", "关注"])
        .ok();
    assert_eq!(env.show(&deferred)["follow_up"], "watch");
    let simplified = env.intake("錢先生", &[]);
    let classify = [
        &["classify", &simplified][..],
        &class("quality", "非理性", "service"),
        &["--follow-up", "監控"],
    ];
    env.run(&classify.concat()).ok();
    assert_eq!(env.show(&simplified)["follow_up"], "monitor");
    let closed = env.classified("孫先生");
    env.run(&[
        "close",
        &closed,
        "--resolution",
        "退款",
        "--remedy",
        "退款",
        "--satisfaction",
        "满意",
    ])
    .ok();

    // Filters read labels in both scripts, as list prints them.
    let listed = |args: &[&str]| env.list_ids(args);
    assert_eq!(listed(&["--status", "暫緩關閉"]), [deferred.as_str()]);
    assert_eq!(listed(&["--status", "暂缓关闭"]), [deferred.as_str()]);
    assert_eq!(listed(&["--status", "已分類"]), [simplified.as_str()]);
    assert_eq!(
        listed(&["--status", "已分类", "--level", "非理性"]),
        [simplified.as_str()]
    );
    assert_eq!(
        listed(&["--level", "强烈", "--department", "销售部"]),
        [deferred.as_str()]
    );
}

/// A word kefu fixes (status, level, remedy, satisfaction, follow-up) that is neither a
/// key nor a label is a usage error, exit 2, however it is written; nothing changes.
#[test]
fn unknown_fixed_words_are_usage_errors_as_key_or_label() {
    let env = Env::new();
    let id = env.classified("王先生");
    let before = env.snapshot();
    let cases: &[(&[&str], &str)] = &[
        (&["list", "--status", "已完成"], "unknown status \"已完成\""),
        (&["list", "--status", "finished"], "unknown status \"finished\""),
        (&["list", "--level", "中等"], "--level: unknown level \"中等\""),
        (
            &["classify", &id, "--level", "urgent"],
            "--level: unknown level \"urgent\"",
        ),
        (
            &[
                "close",
                &id,
                "--resolution",
                "r",
                "--remedy",
                "換新",
                "--satisfaction",
                "滿意",
            ],
            "unknown remedy \"換新\": expected one of refund (退款)",
        ),
        (
            &[
                "close",
                &id,
                "--resolution",
                "r",
                "--remedy",
                "exchange",
                "--satisfaction",
                "高興",
            ],
            "unknown satisfaction \"高興\"",
        ),
        (
            &["defer", &id, "--reason", "r", "--follow-up", "关心"],
            "unknown follow-up mode \"关心\": expected one of watch (關注), monitor (監控)",
        ),
    ];
    for (args, needle) in cases {
        env.run(args).usage(needle);
    }
    assert_eq!(env.snapshot(), before);
}

/// A mainland shop's sheet (Simplified labels) imports into a Traditional shop, values
/// stored as keys.
#[test]
fn a_simplified_sheet_imports_into_a_traditional_shop() {
    let env = Env::new();
    let sheet = "姓名,渠道,摘要,要求,类别,级别,部门,跟踪方式\n\
                 王先生,电话,烤箱坏了,换货,产品质量,中级,服务站,\n\
                 李女士,邮件,态度差,道歉,服务态度,非理性,销售部,监控\n";
    std::fs::write(env.path("sheet.csv"), sheet).unwrap();
    let run = env.run(&["import", "sheet.csv", "--json"]).ok();
    let ids = texts(&run.json()["ids"]);
    assert_eq!(ids.len(), 2, "{}", run.stdout);
    let first = env.show(&ids[0]);
    assert_eq!(
        (
            &first["channel"],
            &first["category"],
            &first["level"],
            &first["department"]
        ),
        (
            &"phone".into(),
            &"quality".into(),
            &"moderate".into(),
            &"service".into()
        )
    );
    let second = env.show(&ids[1]);
    assert_eq!(second["follow_up"], "monitor");
    assert_eq!(second["channel"], "email");
}

/// Two labels that are one label once both are in one script cannot be told apart: a
/// config error naming the key (SPEC §17.19).
#[test]
fn labels_that_collide_across_scripts_are_a_config_error() {
    let env = Env::new();
    let config = env.path("config/kefu.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let clash = text.replacen("label = \"其他\"", "label = \"产品质量\"", 1);
    assert_ne!(clash, text);
    std::fs::write(&config, clash).unwrap();
    env.run(&["list"])
        .fails("categories.other: its label \"产品质量\" cannot be told from categories.quality (\"產品質量\")");
    let check = env.run(&["check"]);
    assert_eq!(check.code, 1, "{check:?}");
    assert!(check.stdout.contains("categories.other"), "{check:?}");
    assert!(!env.path(&case_file("20261123-001")).exists());
}

/// The clerk's date forms at the flags (SPEC §12.4, §17.15), in the shop's zone (+08:00).
#[test]
fn dates_as_the_clerk_writes_them() {
    let mut env = Env::new();
    let at = |case: &serde_json::Value, kind: &str| -> String {
        let e = case["events"]
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .find(|e| e["kind"] == kind)
            .unwrap()
            .clone();
        e["promise"].as_str().or(e["at"].as_str()).unwrap().to_string()
    };
    let id = env
        .run(&[
            "intake",
            "--name",
            "王",
            "--channel",
            "電話",
            "--summary",
            "s",
            "--received-at",
            "昨天 18:00",
        ])
        .ok()
        .id();
    assert_eq!(env.show(&id)["received_at"], "2026-11-22T18:00:00+08:00");
    env.run(&[&["classify", &id][..], &GENERAL].concat()).ok();
    env.run(&["handoff", &id, "--to", "service"]).ok();
    env.set_now("2026-11-24T10:15:00+08:00");
    let env = env;
    env.run(&["ack", &id, "--at", "2026/11/24"]).ok();
    assert_eq!(at(&env.show(&id), "ack"), "2026-11-24T00:00:00+08:00");
    env.run(&["reply", &id, "--text", "t", "--promise", "2026/12/26"]).ok();
    assert_eq!(at(&env.show(&id), "reply"), "2026-12-26T00:00:00+08:00");
    // A promise without a year is the next such day; 11/20 has passed this year.
    env.run(&["reply", &id, "--text", "t", "--promise", "11/20 9:00"]).ok();
    assert_eq!(at(&env.show(&id), "reply"), "2027-11-20T09:00:00+08:00");
    env.run(&["reply", &id, "--text", "t", "--promise", "明天 14:00"]).ok();
    assert_eq!(at(&env.show(&id), "reply"), "2026-11-25T14:00:00+08:00");
    // Elsewhere a date without a year is the latest one not after now.
    let listed = env
        .run(&[
            "list",
            "--since",
            "11月22日",
            "--until",
            "2026年11月23日 00:00",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let listed = env.run(&["list", "--since", "11/24", "--json"]).ok().json();
    assert_eq!(listed.as_array().unwrap().len(), 0);

    let before = env.snapshot();
    env.run(&["ack", &id, "--at", "26/11/23"])
        .fails("--at: \"26/11/23\": the year needs four digits");
    env.run(&["reply", &id, "--text", "t", "--promise", "下周"])
        .fails("--promise: expected a time like");
    let mut relative = env.command();
    relative.env("KEFU_NOW", "明天 9:00");
    env.run_cmd(relative.args(["list"]), &["list"])
        .fails("--now / KEFU_NOW: \"明天 9:00\" is relative");
    assert_eq!(env.snapshot(), before);
}

/// Fifty rows as a shop's spreadsheet saves them in each encoding: the same cases.
#[test]
fn utf8_gbk_big5_utf16_and_xlsx_sheets_give_the_same_cases() {
    let mut text = String::from("姓名,電話,渠道,摘要,類別,級別,部門,受理時間,來源編號\r\n");
    let channels = ["電話", "郵件", "到店", "網站"];
    let levels = ["一般", "中級", "強烈"];
    for i in 0..50 {
        text.push_str(&format!(
            "客戶{i},1380000{i:04},{},烤箱燒壞了第{i}次,產品質量,{},服務站,2026/11/{:02} 09:{:02},row-{i}\r\n",
            channels[i % 4],
            levels[i % 3],
            1 + i % 20,
            i % 60
        ));
    }
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let encoded = |e: &'static encoding_rs::Encoding| {
        let (bytes, _, unmappable) = e.encode(&text);
        assert!(!unmappable, "{}", e.name());
        bytes.into_owned()
    };
    // The same rows as a workbook, as a shop's spreadsheet program would save it: the
    // times as typed text, the phone numbers as text.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in text.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            sheet.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    let xlsx = book.save_to_buffer().unwrap();
    let files: [(&str, &str, Vec<u8>, Option<&str>); 5] = [
        ("utf-8", "sheet.csv", text.clone().into_bytes(), None),
        ("gbk", "sheet.csv", encoded(encoding_rs::GBK), Some("GBK")),
        ("big5", "sheet.csv", encoded(encoding_rs::BIG5), Some("Big5")),
        ("utf-16", "sheet.csv", utf16, None),
        ("xlsx", "sheet.xlsx", xlsx, None),
    ];
    let mut exports = Vec::new();
    for (name, file, bytes, named) in files {
        let env = Env::new();
        std::fs::write(env.path(file), &bytes).unwrap();
        let run = env.run(&["import", file]).ok();
        if let Some(named) = named {
            assert!(
                run.stderr.contains(&format!("read as {named}")),
                "{name}: {}",
                run.stderr
            );
        }
        let export = env.run(&["export", "--format", "csv"]).ok().stdout;
        assert_eq!(export.lines().count(), 51, "{name}: {export}");
        exports.push((name, export));
    }
    for (name, export) in &exports[1..] {
        assert_eq!(export, &exports[0].1, "{name} differs from UTF-8");
    }
    let env = Env::new();
    env.run(&["import", "x.csv", "--encoding", "latin-1"])
        .usage("unknown encoding \"latin-1\"");
}

/// An Excel workbook round trip: export writes one whose cells are text (no ' before
/// a leading = or +, SPEC §17.18), and importing it into an empty workspace recreates
/// the complaints; --sheet picks a sheet.
#[test]
fn xlsx_export_then_import_recreates_the_complaints() {
    let env = Env::new();
    let intake = [
        "intake",
        "--name",
        "王先生",
        "--contact",
        "+86 138 0000 0000",
        "--channel",
        "電話",
    ];
    let more = ["--summary", "=1+1 烤箱", "--source-ref", "x-1"];
    let id = env
        .run(&[&intake[..], &more, &class("產品質量", "一般", "服務站")].concat())
        .ok()
        .id();
    env.intake("李女士", &["--source-ref", "x-2"]);
    env.run(&["export", "--format", "xlsx"]).fails("give --output FILE");
    env.run(&["export", "--format", "xlsx", "--output", "cases.xlsx"]).ok();
    env.run(&["export", "--format", "xlsx", "--output", "cases.xlsx"])
        .fails("cases.xlsx");
    env.run(&["export", "--format", "csv", "--output", "cases.csv"]).ok();
    let csv = std::fs::read_to_string(env.path("cases.csv")).unwrap();
    assert!(csv.contains("'=1+1 烤箱"), "CSV cells keep their prefix: {csv}");

    let other = Env::new();
    std::fs::copy(env.path("cases.xlsx"), other.path("in.xlsx")).unwrap();
    let run = other.run(&["import", "in.xlsx", "--json"]).ok();
    assert_eq!(run.json()["created"], 2, "{}", run.stderr);
    let case = other.show(&id);
    assert_eq!(case["summary"], "=1+1 烤箱", "workbook cells are text, never prefixed");
    assert_eq!(case["customer"]["contact"], "+86 138 0000 0000");
    assert_eq!(
        (&case["category"], &case["level"]),
        (&"quality".into(), &"general".into())
    );
    assert_eq!(case["received_at"], env.show(&id)["received_at"]);
    other.run(&["import", "in.xlsx", "--sheet", "Rows"]).fails("--sheet: ");
    other.run(&["import", "in.xlsx", "--sheet", "Sheet1", "--json"]).ok();
}

/// A workspace with wide text everywhere: long CJK names, summaries and an external
/// complaint, some overdue, some due soon, a few in last week (for friday).
fn busy() -> Env {
    let env = Env::new();
    for (i, name) in ["歐陽娜娜娜娜娜娜娜娜", "Alexandra Featherstonehaugh", "王先生"]
        .iter()
        .enumerate()
    {
        let received = format!("2026-11-{} 09:00", 16 + i);
        env.run(
            &[
                &["intake", "--name", name, "--received-at", &received][..],
                &crate::env::WIDE,
            ]
            .concat(),
        )
        .ok();
    }
    env.intake("今天的客戶今天的客戶", &[]);
    env
}

fn display_width(line: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(line)
}

/// At 80 columns `list`, `due` and `friday` fit: no line is wider, ids and times are
/// whole, long text is cut with `…` (SPEC §12.5).
#[test]
fn tables_fit_80_columns_without_wrapping_ids_or_times() {
    let env = busy();
    for args in [
        &["list"][..],
        &["due", "--within", "48h"],
        &["friday"],
        &["friday", "--no-sweep"],
    ] {
        let mut cmd = env.command();
        cmd.env("COLUMNS", "80");
        let run = env.run_cmd(cmd.args(args), args).ok();
        for line in run.stdout.lines() {
            assert!(
                display_width(line) <= 80,
                "{args:?}: {} columns: {line}",
                display_width(line)
            );
        }
        if args[0] != "friday" {
            assert!(
                run.stdout.contains("20261116-001") && run.stdout.contains('…'),
                "{args:?}\n{}",
                run.stdout
            );
        }
    }
    let mut cmd = env.command();
    cmd.env("COLUMNS", "80");
    let list = env.run_cmd(cmd.args(["list"]), &["list"]).ok().stdout;
    assert!(list.contains("11-16 09:00"), "times lose only their year:\n{list}");
    // --wide, or a pipe without COLUMNS, shows everything.
    let mut cmd = env.command();
    cmd.env("COLUMNS", "80");
    let wide = env
        .run_cmd(cmd.args(["list", "--wide"]), &["list", "--wide"])
        .ok()
        .stdout;
    assert!(
        wide.contains("Alexandra Featherstonehaugh") && wide.contains("2026-11-16 09:00"),
        "{wide}"
    );
    let mut cmd = env.command();
    cmd.env_remove("COLUMNS");
    let piped = env.run_cmd(cmd.args(["list"]), &["list"]).ok().stdout;
    assert!(piped.contains("賠償精神損失費"), "{piped}");
}

/// Overdue rows are red and rows due within 24 hours yellow, when colour is on.
#[test]
fn overdue_rows_are_red_when_colour_is_on() {
    let env = busy();
    let red = "\x1b[31m";
    let run = env.run(&["list", "--color", "always"]).ok().stdout;
    let overdue = run.lines().find(|l| l.contains("20261116-001")).unwrap();
    assert!(overdue.starts_with(red) && overdue.ends_with("\x1b[0m"), "{overdue:?}");
    let soon = run.lines().find(|l| l.contains("20261123-001")).unwrap();
    assert!(soon.starts_with("\x1b[33m"), "due within the hour: {soon:?}");
    let due = env.run(&["due", "--color", "always"]).ok().stdout;
    assert!(due.lines().any(|l| l.starts_with(red)), "{due}");
    // NO_COLOR (set in every test) and a pipe: none; CLICOLOR_FORCE forces it.
    assert!(!env.run(&["list"]).ok().stdout.contains('\x1b'));
    assert!(!env.run(&["list", "--color", "never"]).ok().stdout.contains('\x1b'));
    let mut cmd = env.command();
    cmd.env_remove("NO_COLOR").env("CLICOLOR_FORCE", "1");
    assert!(env.run_cmd(cmd.args(["list"]), &["list"]).ok().stdout.contains(red));
    env.run(&["list", "--color", "sometimes"]).usage("--color");
}

/// `show` pads by display width: deadline times and the timeline's descriptions line
/// up whatever the width of the labels and actors before them.
#[test]
fn show_aligns_by_display_width() {
    let env = busy();
    let mut cmd = env.command();
    cmd.env("KEFU_ACTOR", "客服");
    env.run_cmd(cmd.args(["note", "20261116-001", "--text", "n"]), &["note"])
        .ok();
    let page = env.run(&["show", "20261116-001"]).ok().stdout;
    let column_of = |line: &str, needle: &str| display_width(&line[..line.find(needle).unwrap()]);
    let deadlines: Vec<usize> = page
        .lines()
        .skip_while(|l| *l != "Deadlines")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| column_of(l, "2026-"))
        .collect();
    assert!(deadlines.len() >= 3, "{page}");
    assert!(deadlines.iter().all(|c| *c == deadlines[0]), "{deadlines:?}\n{page}");
    let events: Vec<&str> = page.lines().skip_while(|l| *l != "Timeline").skip(1).collect();
    let intake = events.iter().find(|l| l.contains("intake")).unwrap();
    let note = events.iter().find(|l| l.contains(" note ")).unwrap();
    let note_text = display_width(note.strip_suffix('n').unwrap());
    assert_eq!(column_of(intake, "received"), note_text, "{page}");
}

/// Messages follow the clerk's language (SPEC §12.1): `--lang`, then `KEFU_LANG`, then
/// `[ui] language`, which `kefu init` takes from the locale. JSON does not change.
#[test]
fn messages_in_the_clerks_language() {
    let env = Env::new();
    let config = std::fs::read_to_string(env.path("config/kefu.toml")).unwrap();
    assert!(
        config.contains("language = \"en\""),
        "LANG=C.UTF-8 makes an English shop"
    );
    let id = env.classified("王先生");
    let run = env.run(&["note", &id, "--text", "n", "--lang", "zh-Hant"]).ok();
    assert_eq!(run.stderr.trim(), format!("已為 {id} 加註記"));
    let run = env.run(&["note", &id, "--text", "n", "--lang", "zh-Hans"]).ok();
    assert_eq!(run.stderr.trim(), format!("已为 {id} 加注记"));
    let run = env.run(&["note", &id, "--text", "n"]).ok();
    assert_eq!(run.stderr.trim(), format!("note added to {id}"));
    let mut cmd = env.command();
    cmd.env("KEFU_LANG", "zh-Hant");
    let run = env.run_cmd(cmd.args(["reply", &id, "--text", "t"]), &["reply"]).ok();
    assert_eq!(run.stderr.trim(), format!("{id} 已記錄回復"));
    env.run(&["list", "--lang", "fr"]).usage("--lang");

    env.run(&["handoff", &id, "--to", "service"]).ok();
    env.run(&["ack", &id, "--by", "李站長"]).ok();
    let page = env.run(&["show", &id, "--lang", "zh-Hant"]).ok().stdout;
    for word in [
        "摘要",
        "期限",
        "經過",
        "尚餘",
        "移交服務站（接收人",
        "李站長 簽收",
        "  註記  ",
    ] {
        assert!(page.contains(word), "{word}:\n{page}");
    }
    for word in [
        "Deadlines",
        "Timeline",
        "due in",
        "summary",
        "received",
        "signed by",
        "handoff",
    ] {
        assert!(!page.contains(word), "{word}:\n{page}");
    }
    let list = env.run(&["list", "--lang", "zh-Hans"]).ok().stdout;
    assert!(
        list.starts_with("编号") && list.contains("已签收") && list.contains("共 1 件"),
        "{list}"
    );
    let due = env.run(&["due", "--lang", "zh-Hant"]).ok().stdout;
    assert!(due.starts_with("期限") && due.contains("後"), "{due}");
    let run = env.run(&["sweep", "--lang", "zh-Hant"]).ok();
    assert!(run.stderr.starts_with("巡檢："), "{}", run.stderr);
    let json = |lang: &str| env.run(&["show", &id, "--json", "--lang", lang]).ok().stdout;
    assert_eq!(json("zh-Hant"), json("en"), "JSON is the same in every language");

    // A zh_CN clerk's new shop speaks Simplified Chinese.
    let shop = Env::empty();
    let mut cmd = shop.command();
    cmd.env("LANG", "zh_CN.UTF-8");
    shop.run_cmd(cmd.args(["init"]), &["init"]).ok();
    let config = std::fs::read_to_string(shop.path("config/kefu.toml")).unwrap();
    assert!(config.contains("language = \"zh-Hans\""), "{config}");
    assert!(
        config.contains("label = \"电话\"") && config.contains("clerk = \"客服专员\""),
        "{config}"
    );
    let id = shop.classified("李女士");
    let run = shop.run(&["reject", &id, "--reason", "r"]).ok();
    assert_eq!(run.stderr.trim(), format!("{id} 不成立，已结案"));
    // The overdue column names its limits, and check reports, in the shop's language.
    let late = shop.intake(
        "王先生",
        &[&["--received-at", "2026-11-01 09:00"][..], &GENERAL].concat(),
    );
    let list = shop.run(&["list", "--overdue"]).ok().stdout;
    let row = list.lines().find(|l| l.starts_with(&late)).unwrap_or_default();
    assert!(row.contains("移交签收") && !row.contains("handoff"), "{list}");
    let checked = shop.run(&["check"]).ok();
    assert!(checked.stderr.starts_with("检查完成"), "{}", checked.stderr);
}

/// Completions and man pages come from the command line's definition and need no
/// workspace (SPEC §12.7, §17.12); global options are grouped apart in --help.
#[test]
fn completions_and_man_pages_need_no_workspace() {
    let env = Env::empty();
    let mut cmd = env.command();
    cmd.env_remove("KEFU_ROOT");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let mut cmd = env.command();
        cmd.env_remove("KEFU_ROOT");
        let run = env
            .run_cmd(cmd.args(["completions", shell]), &["completions", shell])
            .ok();
        assert!(
            run.stdout.contains("intake") && run.stdout.contains("received-at"),
            "{shell}"
        );
    }
    env.run(&["completions", "tcsh"]).usage("tcsh");
    let run = env.run_cmd(cmd.args(["man", "pages"]), &["man", "pages"]).ok();
    assert!(run.stderr.contains("man pages"), "{}", run.stderr);
    let intake = std::fs::read_to_string(env.path("pages/kefu-intake.1")).unwrap();
    assert!(
        intake.contains(".TH kefu-intake 1") && intake.contains("received\\-at"),
        "{intake}"
    );
    assert!(env.path("pages/kefu.1").exists() && env.path("pages/kefu-friday.1").exists());
    assert!(!env.path("config").exists(), "no workspace was made");

    let help = Env::new().run(&["list", "--help"]).ok().stdout;
    let global = help.find("Global options:").expect("a group of global options");
    let root = help.find("--root").unwrap();
    let status = help.find("--status").unwrap();
    assert!(status < global && global < root, "{help}");
    // Read commands do not offer the write-only options, but still take them.
    assert!(!help.contains("--actor") && !help.contains("--no-commit"), "{help}");
    let env = Env::new();
    let intake = env.run(&["intake", "--help"]).ok().stdout;
    assert!(intake.contains("--actor") && intake.contains("--no-commit"), "{intake}");
    env.run(&["list", "--actor", "小李", "--no-commit"]).ok();
    env.run(&["--no-commit", "show", "--help"]).ok();
}
