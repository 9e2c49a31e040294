//! What the clerk sees (SPEC §12.5): `show`, `list`, `due` and `friday` in a
//! Traditional Chinese shop with wide text, at 80 and 160 columns, kept as insta
//! snapshots. Beyond the snapshot, the layout is checked by display width (a CJK
//! character takes two columns): no line is wider than the terminal, every row of a
//! table starts each column where its dashed rule does, and `show`'s columns line up.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::env::Env;

/// A zh-Hant shop (made in a zh_TW locale) with long CJK names and summaries, a Latin
/// name, an external complaint, cases overdue, due soon, replied and closed, and a
/// penalty in last week.
fn shop() -> Env {
    let env = Env::empty();
    let mut init = env.command();
    init.env("LANG", "zh_TW.UTF-8");
    env.run_cmd(init.arg("init"), &["init"]).ok();
    let intake = |args: &[&str]| env.run(&[&["intake"][..], args].concat()).ok().id();
    intake(
        &[
            &["--name", "歐陽娜娜娜娜娜娜娜娜", "--received-at", "2026-11-16 09:00"][..],
            &crate::env::WIDE,
        ]
        .concat(),
    );
    let b = intake(&[
        "--name",
        "Alexandra Featherstonehaugh",
        "--contact",
        "alexandra@example.com",
        "--channel",
        "郵件",
        "--summary",
        "送來的麵包機少了一個零件，說明書也是簡體字的",
        "--received-at",
        "2026-11-17 14:30",
        "--category",
        "物流配送",
        "--level",
        "中級",
        "--department",
        "服務站",
    ]);
    let at = |args: &[&str], now: &str| {
        let mut cmd = env.command();
        cmd.env("KEFU_NOW", now);
        env.run_cmd(cmd.args(args), args).ok();
    };
    at(&["handoff", &b, "--to", "服務站"], "2026-11-17T15:00:00+08:00");
    at(&["ack", &b, "--by", "李站長"], "2026-11-17T15:30:00+08:00");
    at(
        &["reply", &b, "--from", "服務站", "--text", "零件已寄出，明天送達"],
        "2026-11-18T10:00:00+08:00",
    );
    at(
        &[
            "reply",
            &b,
            "--to-customer",
            "--text",
            "已致電客戶說明",
            "--promise",
            "2026/11/24 14:00",
        ],
        "2026-11-18T11:00:00+08:00",
    );
    intake(&[
        "--name",
        "王先生",
        "--channel",
        "到店",
        "--summary",
        "店員態度很差",
        "--received-at",
        "2026-11-20 18:00",
    ]);
    let d = intake(&[
        "--name",
        "司馬相如",
        "--contact",
        "0912345678",
        "--channel",
        "網站",
        "--summary",
        "網站打不開",
        "--received-at",
        "2026-11-19 09:00",
        "--category",
        "系統故障",
        "--level",
        "一般",
        "--department",
        "銷售部",
    ]);
    at(&["handoff", &d, "--to", "銷售部"], "2026-11-19T09:30:00+08:00");
    at(
        &[
            "close",
            &d,
            "--resolution",
            "重新啟動伺服器",
            "--remedy",
            "道歉",
            "--satisfaction",
            "滿意",
            "--approved-by",
            "客服主管",
        ],
        "2026-11-19T16:00:00+08:00",
    );
    intake(&[
        "--name",
        "今天的客戶今天的客戶",
        "--channel",
        "社交媒體",
        "--summary",
        "在社群上抱怨外送遲到",
        "--category",
        "物流配送",
        "--level",
        "強烈",
        "--department",
        "服務站",
    ]);
    env
}

/// `kefu ARGS` at `columns`, in the shop's own language; stdout.
fn screen(env: &Env, args: &[&str], columns: usize) -> String {
    let mut cmd = env.command();
    cmd.env("COLUMNS", columns.to_string());
    env.run_cmd(cmd.args(args), args).ok().stdout
}

/// The display columns a table's dashed rule gives its columns: (start, width).
fn columns_of(rule: &str) -> Vec<(usize, usize)> {
    let mut cols = Vec::new();
    let mut start = None;
    for (i, c) in rule.chars().chain([' ']).enumerate() {
        match (c, start) {
            ('-', None) => start = Some(i),
            (' ', Some(s)) => {
                cols.push((s, i - s));
                start = None;
            }
            _ => {}
        }
    }
    cols
}

fn is_rule(line: &str) -> bool {
    line.contains('-') && line.chars().all(|c| c == '-' || c == ' ')
}

/// The line cut into display columns: each character with the column it starts at. A
/// character is never split.
fn placed(line: &str) -> Vec<(usize, char)> {
    let mut at = 0;
    line.chars()
        .map(|c| {
            let here = at;
            at += c.width().unwrap_or(0);
            (here, c)
        })
        .collect()
}

/// Whether `line` keeps to the columns: nothing but blanks in the gaps between them,
/// no character across a column's edge, nothing past the last one.
fn fits(line: &str, cols: &[(usize, usize)]) -> bool {
    let end = cols.last().map_or(0, |(s, w)| s + w);
    placed(line).into_iter().all(|(at, c)| {
        let w = c.width().unwrap_or(0);
        c == ' ' || (cols.iter().any(|(s, cw)| at >= *s && at + w <= s + cw) && at + w <= end)
    })
}

/// Every table in `text` (a dashed rule under its header) is aligned by display width:
/// the header line and each row keep to the rule's columns. Rows end at a blank line
/// or at the header of the next table.
fn assert_tables_align(text: &str, what: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let mut tables = 0;
    for (r, rule) in lines.iter().enumerate().filter(|(_, l)| is_rule(l)) {
        tables += 1;
        let cols = columns_of(rule);
        assert!(
            r > 0 && fits(lines[r - 1], &cols),
            "{what}: header off its columns:\n{}\n{rule}",
            lines[r - 1]
        );
        for (i, row) in lines.iter().enumerate().skip(r + 1) {
            if row.trim().is_empty() || is_rule(row) {
                break;
            }
            if !fits(row, &cols) {
                let next_table = lines[i + 1..].iter().take(2).any(|l| is_rule(l));
                assert!(
                    next_table,
                    "{what}: a row off its columns:\n{}\n{rule}\n{row}",
                    lines[r - 1]
                );
                break;
            }
        }
    }
    tables
}

fn assert_fits_width(text: &str, columns: usize, what: &str) {
    for line in text.lines() {
        assert!(
            line.width() <= columns,
            "{what}: {} columns wide at {columns}:\n{line}",
            line.width()
        );
    }
}

/// The display columns where the fields of a line start: after each run of two or
/// more blanks.
fn field_starts(line: &str) -> Vec<usize> {
    let placed = placed(line);
    let mut starts = Vec::new();
    let mut blanks = 0;
    for (at, c) in placed {
        if c == ' ' {
            blanks += 1;
        } else {
            if blanks >= 2 {
                starts.push(at);
            }
            blanks = 0;
        }
    }
    starts
}

/// `show`'s sections line up: the times of the deadlines, and the time, kind, actor
/// and description of every timeline entry, each start at one display column.
fn assert_show_aligns(page: &str, what: &str) {
    let section = |title: &str| -> Vec<&str> {
        page.lines()
            .skip_while(|l| *l != title)
            .skip(1)
            .take_while(|l| !l.trim().is_empty())
            .filter(|l| l.starts_with("  ") && !l.starts_with("        "))
            .collect()
    };
    let deadlines = section("期限");
    assert!(deadlines.len() >= 4, "{what}: {page}");
    let starts: Vec<usize> = deadlines.iter().map(|l| field_starts(l)[1]).collect();
    assert!(
        starts.iter().all(|s| *s == starts[0]),
        "{what}: deadline times at {starts:?}:\n{page}"
    );
    let timeline = section("經過");
    assert!(timeline.len() >= 5, "{what}: {page}");
    let first: Vec<Vec<usize>> = timeline
        .iter()
        .map(|l| field_starts(l).into_iter().take(4).collect())
        .collect();
    assert!(
        first.iter().all(|s| *s == first[0] && s.len() == 4),
        "{what}: timeline fields at {first:?}:\n{page}"
    );
    let details: Vec<&str> = page.lines().take_while(|l| !l.is_empty()).skip(1).collect();
    let starts: Vec<usize> = details.iter().map(|l| field_starts(l)[1]).collect();
    assert!(
        starts.iter().all(|s| *s == starts[0]),
        "{what}: field values at {starts:?}:\n{page}"
    );
}

#[test]
fn show_list_due_and_friday_at_80_and_160_columns() {
    let env = shop();
    for columns in [80, 160] {
        let page = screen(&env, &["show", "20261117-001"], columns);
        assert_fits_width(&page, columns, "show");
        assert_show_aligns(&page, &format!("show at {columns}"));
        insta::assert_snapshot!(format!("show_{columns}"), page);

        for (name, args) in [
            ("list", &["list"][..]),
            ("due", &["due", "--within", "48h"]),
            ("friday", &["friday", "--no-sweep", "--week", "2026-W47"]),
        ] {
            let text = screen(&env, args, columns);
            assert_fits_width(&text, columns, name);
            let tables = assert_tables_align(&text, &format!("{name} at {columns}"));
            assert!(tables >= 1, "{name}: no table:\n{text}");
            insta::assert_snapshot!(format!("{name}_{columns}"), text);
        }
    }
}

/// `show` wraps a long line under its own text on a terminal, but piped output is
/// neither wrapped nor cut.
#[test]
fn show_wraps_only_on_a_terminal() {
    let env = shop();
    let narrow = screen(&env, &["show", "20261117-001"], 80);
    assert!(
        narrow.contains("零件已寄\n                                                  出，明天送達"),
        "{narrow}"
    );
    let mut cmd = env.command();
    cmd.env_remove("COLUMNS");
    let piped = env.run_cmd(cmd.args(["show", "20261117-001"]), &["show"]).ok().stdout;
    assert!(piped.contains("服務站（首次回復）: 零件已寄出，明天送達\n"), "{piped}");
}

/// The checks above catch what they are for: a row padded by characters instead of
/// display width is off its columns.
#[test]
fn the_alignment_check_sees_a_row_padded_by_characters() {
    let rule = "------  ----";
    let cols = columns_of(rule);
    assert_eq!(cols, [(0, 6), (8, 4)]);
    assert!(fits("客戶名  中級", &cols));
    assert!(fits("王      一般", &cols));
    // Padded to six characters, not six columns: the level sits two columns right.
    assert!(!fits(&format!("{:<6}  中級", "客戶名"), &cols));
    assert!(!fits("客戶名稱很長  中級", &cols));
    assert_eq!(field_starts("  期限  2026  已達成"), [2, 8, 14]);
    assert_eq!(field_starts("  關閉      2026"), [2, 12]);
    assert_eq!("關閉".width(), 4);
}
