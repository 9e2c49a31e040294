//! Every human string in the clerk's language (SPEC §12.1): a Chinese shop's clerk sees
//! no English word in any command's human output, confirmation, form or error, and an
//! English shop sees no Chinese but its own data.

use std::collections::BTreeSet;

use crate::env::{Env, Run};

/// Words an English-free output may still hold: kefu's own name, the programs and
/// formats it names, which have no Chinese name, and a config key outside a section.
const ALLOWED: &[&str] = &["kefu", "git", "Big5", "Excel", "xlsx", "Markdown", "timezone"];

/// The English words of `text` that a Chinese reader would have to translate. What a
/// user types or reads as a name is left out: quoted commands and examples (`kefu close
/// …`, "4bh"), flags (`--to`), file paths, config keys (`ui.language`, `[report]`),
/// codes in capitals (`YYYYMMDD`, `IANA`).
fn english_words(text: &str) -> BTreeSet<String> {
    let mut plain = String::new();
    for (i, part) in text.split(['`', '"']).enumerate() {
        if i % 2 == 0 {
            plain.push_str(part);
        }
        plain.push(' ');
    }
    let mut words = BTreeSet::new();
    for token in plain.split(|c: char| !(c.is_ascii_alphanumeric() || "-_./[]<>".contains(c))) {
        let token = token.trim_end_matches('.');
        let is_flag = token.starts_with('-');
        let is_section = token.starts_with('[');
        let is_path_or_key = token.contains(['/', '\\', '.', '_', '<']);
        if is_flag || is_section || is_path_or_key || ALLOWED.contains(&token) {
            continue;
        }
        for word in token.split(|c: char| !c.is_ascii_alphanumeric()) {
            if word.chars().filter(|c| c.is_ascii_lowercase()).count() >= 2 && !ALLOWED.contains(&word) {
                words.insert(word.to_string());
            }
        }
    }
    words
}

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| {
        ('\u{4e00}'..='\u{9fff}').contains(&c)
            || ('\u{3000}'..='\u{303f}').contains(&c)
            || ('\u{ff00}'..='\u{ffef}').contains(&c)
    })
}

/// A shop made by `kefu init` in `locale`, its clerk speaking the shop's language.
fn shop(locale: &str) -> (Env, Run) {
    let env = Env::empty();
    let mut cmd = env.command();
    cmd.env("LANG", locale);
    let init = env.run_cmd(cmd.arg("init"), &["init"]);
    (env, init)
}

/// Run kefu in `lang` (through KEFU_LANG, as a clerk's profile would set it).
fn run(env: &Env, lang: &str, args: &[&str]) -> Run {
    let mut cmd = env.command();
    cmd.env("KEFU_LANG", lang);
    env.run_cmd(cmd.args(args), args)
}

/// A sheet as the shop keeps it: its own headers and channel labels, one good row and
/// `more`.
fn sheet(lang: &str, more: &str) -> String {
    match lang {
        "en" => format!(
            "name,channel,summary\n孫先生,Phone,漏寄贈品\n{}",
            more.replace("傳真", "Fax")
        ),
        _ => format!("姓名,渠道,摘要\n孫先生,電話,漏寄贈品\n{more}"),
    }
}

/// Keep what `run` printed under `name`.
fn keep(out: &mut Vec<(String, String)>, name: &str, run: Run) -> Run {
    out.push((
        format!("{name} (exit {})", run.code),
        format!("{}\n{}", run.stdout, run.stderr),
    ));
    run
}

/// Everything a clerk reads in one working week, in `lang`, with every piece of data
/// typed in Chinese: (what was run, what it printed on stdout and stderr).
fn a_week_of_output(env: &Env, init: Run, lang: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    keep(&mut out, "init", init);
    let r = |args: &[&str]| run(env, lang, args);
    // The customer's own words, typed by the clerk.
    let intake = keep(
        &mut out,
        "intake",
        r(&[
            "intake",
            "--name",
            "王先生",
            "--channel",
            "phone",
            "--summary",
            "燒餅烙糊了",
            "--details",
            "買了十個，八個是糊的",
        ]),
    )
    .ok();
    let id = intake.id();
    keep(
        &mut out,
        "classify",
        r(&[
            &["classify", &id][..],
            &crate::env::class("quality", "moderate", "service"),
        ]
        .concat()),
    );
    keep(
        &mut out,
        "handoff",
        r(&["handoff", &id, "--to", "service", "--note", "請今天處理"]),
    );
    keep(
        &mut out,
        "handoff --form",
        r(&["handoff", &id, "--to", "service", "--form", "form.md", "--force"]),
    );
    let form = std::fs::read_to_string(env.path("form.md")).unwrap_or_default();
    out.push(("the handling form".into(), form));
    let r = |args: &[&str]| run(env, lang, args);
    keep(&mut out, "ack", r(&["ack", &id, "--by", "李站長"]));
    keep(
        &mut out,
        "reply",
        r(&[
            "reply",
            &id,
            "--text",
            "已安排換貨",
            "--from",
            "service",
            "--promise",
            "明天 14:00",
        ]),
    );
    keep(
        &mut out,
        "reply to customer",
        r(&["reply", &id, "--text", "向客戶說明", "--to-customer", "--written"]),
    );
    keep(&mut out, "note", r(&["note", &id, "--text", "客戶來電追問"]));
    keep(&mut out, "show", r(&["show", &id]));
    keep(&mut out, "list", r(&["list"]));
    keep(&mut out, "due", r(&["due"]));
    keep(
        &mut out,
        "close --request",
        r(&[
            "close",
            &id,
            "--request",
            "--resolution",
            "已換貨",
            "--remedy",
            "exchange",
            "--cause",
            "爐溫過高",
            "--countermeasure",
            "校正爐溫",
        ]),
    );
    keep(&mut out, "close", r(&["close", &id, "--satisfaction", "satisfied"]));
    keep(&mut out, "show closed", r(&["show", &id]));
    keep(&mut out, "reopen", r(&["reopen", &id, "--reason", "客戶再次來電"]));
    // A second case: irrational, deferred.
    let second = r(&[
        "intake",
        "--name",
        "李女士",
        "--channel",
        "phone",
        "--summary",
        "要求十倍賠償",
        "--category",
        "price",
        "--level",
        "irrational",
        "--department",
        "sales",
        "--follow-up",
        "watch",
    ])
    .ok()
    .id();
    keep(
        &mut out,
        "defer",
        r(&[
            "defer",
            &second,
            "--reason",
            "客戶堅持不合理要求",
            "--follow-up",
            "monitor",
        ]),
    );
    let third = r(&[
        "intake",
        "--name",
        "張先生",
        "--channel",
        "email",
        "--summary",
        "不是本店商品",
    ])
    .ok()
    .id();
    keep(&mut out, "reject", r(&["reject", &third, "--reason", "非本店售出"]));
    // A case left to go overdue: escalations and penalties, the sweep, Friday.
    let late = r(&[
        "intake",
        "--name",
        "趙小姐",
        "--channel",
        "phone",
        "--summary",
        "送貨遲到",
        "--received-at",
        "2026-11-02 09:00",
        "--category",
        "delivery",
        "--level",
        "general",
        "--department",
        "service",
    ])
    .ok()
    .id();
    keep(&mut out, "list --overdue", r(&["list", "--overdue"]));
    keep(&mut out, "sweep", r(&["sweep"]));
    keep(&mut out, "show overdue", r(&["show", &late]));
    keep(&mut out, "friday", r(&["friday"]));
    keep(&mut out, "friday --markdown", r(&["friday", "--markdown"]));
    keep(&mut out, "penalty list", r(&["penalty", "list"]));
    keep(&mut out, "check", r(&["check"]));
    // A case file edited by hand: check's audit of its penalties, and a log that does
    // not replay, in the clerk's words too.
    let file = env.path(&crate::env::case_file(&late));
    let clean = std::fs::read_to_string(&file).unwrap();
    assert!(clean.contains("amount = 50"), "{clean}");
    std::fs::write(&file, clean.replacen("amount = 50", "amount = 999999", 1)).unwrap();
    keep(&mut out, "check a forged penalty", r(&["check"]));
    std::fs::write(&file, clean.replacen("kind = \"classify\"", "kind = \"intake\"", 1)).unwrap();
    keep(&mut out, "show a broken log", r(&["show", &late]));
    std::fs::write(&file, &clean).unwrap();
    let pid = format!("{late}/P1");
    keep(&mut out, "notice", r(&["notice", &pid]));
    keep(
        &mut out,
        "penalty confirm",
        r(&["penalty", "confirm", &pid, "--by", "周會計"]),
    );
    keep(&mut out, "circular", r(&["circular", "--week", "2026-W45"]));
    keep(&mut out, "letter", r(&["letter", &second]));
    keep(&mut out, "letter --record", r(&["letter", &second, "--record"]));
    keep(&mut out, "due --within", r(&["due", "--within", "3d"]));
    keep(&mut out, "list --status", r(&["list", "--status", "已關閉"]));
    keep(&mut out, "calendar", r(&["calendar", "--days", "2"]));
    let again = crate::env::intake_args("王先生", &["--source-ref", "S1"]);
    keep(&mut out, "intake again", r(&again));
    keep(&mut out, "intake a retry", r(&again));
    // `kefu log` lists the git trail: commit ids, and subjects that keep SPEC §5's
    // fixed form (`kefu: handoff 20261123-001 to service (王先生)`) for scripts and
    // for every clone alike, whatever its clerk's language. Only the rest is checked.
    let log = r(&["log", &id]);
    let rest: String = log
        .stdout
        .lines()
        .map(|l| l.split_once("kefu: ").map_or(l, |(head, _)| head))
        .map(|head| head.split_once("  ").map_or(head, |(_, rest)| rest))
        .collect::<Vec<_>>()
        .join("\n");
    out.push((format!("log (exit {})", log.code), format!("{rest}\n{}", log.stderr)));
    keep(&mut out, "phrases", r(&["phrases"]));
    // The receiver table's code column holds the department keys a clerk types.
    let mut receivers = r(&["receivers"]);
    for key in ["admin", "sales", "marketing", "finance", "service"] {
        receivers.stdout = receivers.stdout.replace(&format!("| {key} |"), "| |");
    }
    keep(&mut out, "receivers", receivers);
    keep(
        &mut out,
        "edit",
        r(&["edit", &second, "--contact", "0912-345-678", "--reason", "客戶更正"]),
    );
    std::fs::write(env.path("rows.csv"), sheet(lang, "周小姐,傳真,少找錢\n")).unwrap();
    keep(&mut out, "import errors", r(&["import", "rows.csv"]));
    std::fs::write(env.path("rows.csv"), sheet(lang, "")).unwrap();
    keep(&mut out, "import", r(&["import", "rows.csv"]));
    // Errors of each kind: an id, a flag's value, a time, a rule, a config, a workspace.
    keep(&mut out, "unknown id", r(&["show", "20260101-999"]));
    keep(
        &mut out,
        "unknown category",
        r(&[
            "classify",
            &late,
            "--category",
            "nope",
            "--level",
            "general",
            "--department",
            "service",
        ]),
    );
    keep(&mut out, "bad time", r(&["ack", &second, "--at", "下禮拜"]));
    keep(
        &mut out,
        "rule refusal",
        r(&["reply", &third, "--text", "晚了", "--from", "service"]),
    );
    keep(
        &mut out,
        "close a closed case",
        r(&crate::env::close_args(&third, "satisfied")),
    );
    keep(&mut out, "missing required", r(&["intake", "--name", "孫先生"]));
    keep(&mut out, "bad --within", r(&["due", "--within", "soon"]));
    keep(&mut out, "bad export format", r(&["export", "--format", "bogus"]));
    let config = std::fs::read_to_string(env.path("config/kefu.toml")).unwrap();
    std::fs::write(
        env.path("config/kefu.toml"),
        config.replacen("timezone = \"Asia/Shanghai\"", "timezone = \"Mars/Base\"", 1),
    )
    .unwrap();
    keep(&mut out, "broken config", r(&["list"]));
    keep(&mut out, "check a broken config", r(&["check"]));
    std::fs::write(
        env.path("config/kefu.toml"),
        format!("{config}\n[calendar]\nmon-fri = \"18:00-09:00\"\n"),
    )
    .unwrap();
    keep(&mut out, "broken calendar", r(&["list"]));
    std::fs::write(env.path("config/kefu.toml"), &config).unwrap();
    std::fs::write(
        env.path("config/kefu.toml"),
        format!("{config}\n[calendar]\nmon-fri = \"09:00-18:00\"\nholidays = [2026-11-24]\n"),
    )
    .unwrap();
    keep(&mut out, "calendar with hours", r(&["calendar", "--days", "7"]));
    std::fs::write(env.path("config/kefu.toml"), &config).unwrap();
    // A case file edited by hand so that its header contradicts its history.
    let file = env.path(&crate::env::case_file(&third));
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("status = \"rejected\"", "status = \"closed\"", 1)).unwrap();
    keep(&mut out, "a contradicted case file", r(&["show", &third]));
    keep(&mut out, "check a contradicted case file", r(&["check"]));
    keep(&mut out, "bad --week", r(&["friday", "--week", "2026-W60"]));
    keep(
        &mut out,
        "reply before the handoff",
        r(&["reply", &late, "--text", "好", "--from", "sales"]),
    );
    keep(
        &mut out,
        "a future --at",
        r(&["ack", &late, "--at", "2027-01-01 09:00"]),
    );
    keep(&mut out, "a blank note", r(&["note", &late, "--text", "  "]));
    // A Big5 sheet from the shop's Excel, read by itself with a note saying so.
    let text = sheet(lang, "");
    let (big5, _, _) = encoding_rs::BIG5.encode(&text);
    std::fs::write(env.path("big5.csv"), &big5).unwrap();
    keep(
        &mut out,
        "a Big5 sheet (dry run)",
        r(&["import", "big5.csv", "--dry-run"]),
    );
    keep(
        &mut out,
        "an unknown --format",
        r(&["import", "big5.csv", "--format", "pdf"]),
    );
    keep(&mut out, "station", r(&["station"]));
    keep(&mut out, "log of an unknown case", r(&["log", "20260101-999"]));
    keep(&mut out, "sync without a station", r(&["sync"]));
    keep(&mut out, "a bad penalty id", r(&["notice", "P1"]));
    let p2 = format!("{late}/P2");
    keep(
        &mut out,
        "execute before confirm",
        r(&["penalty", "execute", &p2, "--by", "周會計"]),
    );
    keep(&mut out, "waive without a reason", r(&["penalty", "waive", &p2]));
    keep(
        &mut out,
        "a control character",
        r(&["intake", "--name", "王\u{7}", "--channel", "phone", "--summary", "糊了"]),
    );
    std::fs::write(env.path("bad.csv"), "姓名,備考\n孫先生,漏寄\n").unwrap();
    keep(&mut out, "an unknown column", r(&["import", "bad.csv"]));
    let empty = Env::empty();
    keep(
        &mut out,
        "no workspace",
        run(&empty, lang, &["list", "--root", empty.root().to_str().unwrap()]),
    );
    out
}

fn assert_in_chinese(locale: &str, lang: &str) {
    let (env, init) = shop(locale);
    let mut bad = Vec::new();
    for (name, text) in a_week_of_output(&env, init, lang) {
        let words = english_words(&text);
        if !words.is_empty() {
            bad.push(format!("{name}: {words:?}\n{text}"));
        }
    }
    assert!(bad.is_empty(), "English in {lang} output:\n\n{}", bad.join("\n---\n"));
}

#[test]
fn a_traditional_chinese_shop_reads_no_english() {
    assert_in_chinese("zh_TW.UTF-8", "zh-Hant");
}

#[test]
fn a_simplified_chinese_shop_reads_no_english() {
    assert_in_chinese("zh_CN.UTF-8", "zh-Hans");
}

#[test]
fn an_english_shop_reads_no_chinese_but_its_data() {
    let (env, init) = shop("C.UTF-8");
    let config = std::fs::read_to_string(env.path("config/kefu.toml")).unwrap();
    assert!(config.contains("language = \"en\""), "{config}");
    let mut bad = Vec::new();
    for (name, text) in a_week_of_output(&env, init, "en") {
        // The Chinese the clerk typed (names, summaries, reasons) is data; everything
        // else must be English.
        let mut rest = text.clone();
        for data in [
            "王先生",
            "燒餅烙糊了",
            "買了十個，八個是糊的",
            "請今天處理",
            "李站長",
            "已安排換貨",
            "明天 14:00",
            "向客戶說明",
            "客戶來電追問",
            "已換貨",
            "爐溫過高",
            "校正爐溫",
            "客戶再次來電",
            "李女士",
            "要求十倍賠償",
            "客戶堅持不合理要求",
            "張先生",
            "不是本店商品",
            "非本店售出",
            "趙小姐",
            "送貨遲到",
            "客戶更正",
            "孫先生",
            "漏寄贈品",
            "周小姐",
            "少找錢",
            "下禮拜",
            "晚了",
            "已退款",
            "周會計",
            "備考",
            "漏寄",
            "糊了",
            "王",
            "又糊了",
            "好",
        ] {
            rest = rest.replace(data, "");
        }
        if name.starts_with("phrases") {
            // The standard phrases are the shop's own text from its config.
            continue;
        }
        if has_cjk(&rest) {
            bad.push(format!("{name}:\n{rest}"));
        }
    }
    assert!(bad.is_empty(), "Chinese in en output:\n\n{}", bad.join("\n---\n"));
}

#[test]
fn the_word_finder_skips_what_the_user_types() {
    let words = english_words(
        "錯誤：`kefu close 001 --satisfaction S` 找不到 config/kefu.toml 的 ui.language --to，請用 Big5 或 due",
    );
    assert_eq!(words.into_iter().collect::<Vec<_>>(), vec!["due".to_string()]);
}

/// A broken config is reported in the language it names, not the locale's: the clerk of
/// a Chinese shop whose session speaks English (LANG=C) reads the error in Chinese; an
/// asked-for language (KEFU_LANG) still wins.
#[test]
fn a_broken_config_speaks_the_language_it_names() {
    let (env, _) = shop("zh_TW.UTF-8");
    let config = std::fs::read_to_string(env.path("config/kefu.toml")).unwrap();
    std::fs::write(
        env.path("config/kefu.toml"),
        format!("{config}\n[calendar]\nmon-fri = \"18:00-09:00\"\n"),
    )
    .unwrap();
    let shop_says = env.run(&["list"]);
    assert_eq!(shop_says.code, 1, "{shop_says:?}");
    assert!(shop_says.stderr.starts_with("錯誤："), "{}", shop_says.stderr);
    assert!(shop_says.stderr.contains("calendar.mon-fri"), "{}", shop_says.stderr);
    assert!(english_words(&shop_says.stderr).is_empty(), "{}", shop_says.stderr);
    let asked = run(&env, "en", &["list"]);
    assert_eq!(asked.code, 1, "{asked:?}");
    assert!(asked.stderr.contains("closes before it opens"), "{}", asked.stderr);
}

/// What a reader of `--help` has to read, less what is typed as it stands: an example
/// from `kefu ` to the end of its line (the whole line when only shell code comes
/// before, `id=$(kefu …`) and the lines it continues with \, a bracketed note
/// listing values (`[可用：auto, always, never]`), a value's name (`<部門|customer-service>`),
/// and the names in a list of commands.
fn help_prose(text: &str) -> String {
    // A note may run over two lines.
    let mut text = text.to_string();
    while let Some(at) = text
        .char_indices()
        .find(|&(i, c)| c == '[' && text[i + 1..].chars().next().is_some_and(|n| has_cjk(&n.to_string())))
        .map(|(i, _)| i)
    {
        let end = text[at..].find(']').map_or(text.len(), |j| at + j + 1);
        text.replace_range(at..end, "");
    }
    // A value's name, like <部門|customer-service>.
    while let Some(at) = text.find('<') {
        let end = text[at..].find('>').map_or(text.len(), |j| at + j + 1);
        text.replace_range(at..end, "");
    }
    let mut prose = String::new();
    let mut in_commands = false;
    let mut continued = false;
    for line in text.lines() {
        let heading = line.trim();
        let mut line = line.to_string();
        // The next line of an example ending in \.
        if std::mem::replace(&mut continued, line.trim_end().ends_with('\\')) {
            continue;
        }
        if let Some(at) = line.find("kefu ") {
            // The quote that opened it goes too, or the quotes after it would pair wrongly.
            line = match has_cjk(&line[..at]) {
                true => line[..at].trim_end_matches(['`', '"']).to_string(),
                false => String::new(),
            };
        }
        if in_commands && line.starts_with("  ") && line[2..].starts_with(|c: char| c.is_ascii_lowercase()) {
            line = line[2..]
                .split_once(' ')
                .map_or(String::new(), |(_, rest)| rest.to_string());
        }
        in_commands = match heading {
            "命令：" => true,
            "" => false,
            _ => in_commands,
        };
        prose.push_str(&line);
        prose.push('\n');
    }
    prose
}

/// Every command's `--help` and `-h`, `kefu`'s own included, in `lang`; `kefu help
/// COMMAND…` must print what `--help` does.
fn every_help(env: &Env, lang: &str) -> Vec<(String, Run)> {
    let mut paths = vec![Vec::new()];
    crate::reference::command_paths(&kefu::cli::command(), &[], &mut paths);
    let help = |args: &[&str]| {
        let mut cmd = env.command();
        cmd.env("KEFU_LANG", lang).env("COLUMNS", "80");
        env.run_cmd(cmd.args(args), args).ok()
    };
    let mut all = Vec::new();
    for path in paths {
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        for flag in ["--help", "-h"] {
            let args = [&path[..], &[flag]].concat();
            all.push((args.join(" "), help(&args)));
        }
        let asked = help(&[&["help"], &path[..]].concat()).stdout;
        assert_eq!(asked, all[all.len() - 2].1.stdout, "kefu help {path:?} in {lang}");
    }
    all
}

#[test]
fn every_commands_help_is_in_the_clerks_language() {
    let env = Env::new();
    for lang in ["zh-Hant", "zh-Hans"] {
        let mut bad = Vec::new();
        for (args, run) in every_help(&env, lang) {
            // 用法 is written alike in both scripts.
            assert!(
                run.stdout.contains("用法：kefu"),
                "kefu {args} in {lang}:\n{}",
                run.stdout
            );
            let words = english_words(&help_prose(&run.stdout));
            if !words.is_empty() {
                bad.push(format!("kefu {args}: {words:?}\n{}", run.stdout));
            }
            // Laid out for the terminal: no line wider than its 80 columns but an
            // example, which is not broken.
            for line in run.stdout.lines().filter(|l| !l.contains("kefu ")) {
                let width = unicode_width::UnicodeWidthStr::width(line);
                assert!(width <= 80, "kefu {args} in {lang}: {width} columns:\n{line}");
            }
        }
        assert!(bad.is_empty(), "English in {lang} help:\n\n{}", bad.join("\n---\n"));
    }
    for (args, run) in every_help(&env, "en") {
        assert!(run.stdout.contains("Usage: kefu"), "kefu {args} in en:\n{}", run.stdout);
        assert!(!run.stdout.contains("用法"), "kefu {args} in en:\n{}", run.stdout);
    }
}

#[test]
fn usage_errors_are_in_the_clerks_language() {
    let (env, _) = shop("zh_TW.UTF-8");
    let before = env.snapshot();
    // The command line, what the error names, and clap's English for it.
    let cases: &[(&[&str], &str, &str)] = &[
        (&["intake", "--bogus"], "--bogus", "unexpected argument '--bogus'"),
        (
            &["list", "--color", "x"],
            "「x」",
            "invalid value 'x' for '--color <WHEN>'",
        ),
        (
            &["notice"],
            "<處罰編號>",
            "the following required arguments were not provided",
        ),
        (&["calendar", "--days", "x"], "「x」", "invalid value 'x' for '--days"),
        (&["shwo"], "shwo", "unrecognized subcommand 'shwo'"),
        (&["help", "shwo"], "shwo", "unrecognized subcommand 'shwo'"),
    ];
    for (args, named, english) in cases {
        let zh = run(&env, "zh-Hant", args).usage("錯誤：");
        let lines: Vec<&str> = zh.stderr.lines().collect();
        assert_eq!(lines.len(), 2, "kefu {args:?}:\n{}", zh.stderr);
        assert!(
            lines[0].starts_with("錯誤：") && lines[0].contains(named),
            "kefu {args:?}:\n{}",
            zh.stderr
        );
        assert!(lines[1].starts_with("用法：kefu"), "kefu {args:?}:\n{}", zh.stderr);
        // What follows 可用： lists the values to type, 是不是 a name to type.
        let said = lines[0].split("可用：").next().unwrap_or_default();
        let said = said.split("是不是").next().unwrap_or_default().replace(named, "");
        assert!(english_words(&said).is_empty(), "kefu {args:?}:\n{}", zh.stderr);
        run(&env, "en", args).usage(&format!("error: {english}"));
    }
    assert_eq!(env.snapshot(), before, "a usage error wrote something");
}

#[test]
fn help_follows_the_workspaces_language_unless_told() {
    let help = |env: &Env, args: &[&str]| env.run_cmd(env.command().args(args), args).ok().stdout;
    // Neither --lang nor KEFU_LANG: the workspace's [ui] language decides.
    let english = Env::new();
    assert!(help(&english, &["intake", "--help"]).contains("Usage: kefu intake"));
    let (chinese, _) = shop("zh_TW.UTF-8");
    let config = std::fs::read_to_string(chinese.path("config/kefu.toml")).unwrap();
    assert!(config.contains("language = \"zh-Hant\""), "{config}");
    assert!(help(&chinese, &["intake", "--help"]).contains("用法：kefu intake"));
    // --lang wins over the workspace, before or after the command.
    assert!(help(&chinese, &["--lang", "en", "intake", "--help"]).contains("Usage: kefu intake"));
    assert!(help(&chinese, &["intake", "-h", "--lang=en"]).contains("Usage: kefu intake"));
}

#[test]
fn help_prose_leaves_out_only_what_is_typed() {
    let help = "命令：\n  intake  Record one\n\n範例：kefu intake --name x \\\n  --level general\n  --level <LEVEL>  its level [可用：general, moderate]\n  --x  `kefu show` shows it";
    let words: Vec<String> = english_words(&help_prose(help)).into_iter().collect();
    assert_eq!(words, ["Record", "its", "level", "one"]);
}

/// kefu's own value parsers (a status, a remedy, …) refuse in the workspace's language
/// too, when nothing but the config names it.
#[test]
fn a_refused_value_speaks_the_workspaces_language() {
    let (env, _) = shop("zh_TW.UTF-8");
    let args = ["list", "--status", "nope"];
    let refused = env.run_cmd(env.command().args(args), &args);
    assert_eq!(refused.code, 2, "{refused:?}");
    let first = refused.stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("錯誤：") && first.contains("已分類"),
        "{}",
        refused.stderr
    );
    assert!(
        english_words(&first.replace("nope", "")).is_empty(),
        "{}",
        refused.stderr
    );
}
