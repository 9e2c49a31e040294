//! The weekly report for people: terminal tables and Markdown. Both are drawn from one
//! list of sections whose cells are formatted once, so the two carry the same numbers
//! (and `--json` carries the values they were formatted from).

use std::fmt::Write as _;

use chrono::Datelike as _;

use crate::domain::config::{Config, Level};
use crate::domain::report::{Recurrence, RecurrenceKind, Report};
use crate::domain::time::{Span, Time};
use crate::output::page::{Block, Chart, Page, Table as PageTable};
use crate::output::render;
use crate::output::table::{self, Col, Mark, Term};

/// A table of formatted cells.
pub struct Grid {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    /// Columns holding numbers (right-aligned).
    pub numeric: Vec<usize>,
}

pub struct Section {
    pub title: String,
    pub lines: Vec<String>,
    pub grids: Vec<Grid>,
    /// Said instead of the tables when they have no rows.
    pub empty: Option<&'static str>,
}

/// A ratio for people: `37.5%`, or `—` when there is nothing to divide by.
pub fn percent(r: Option<f64>, decimals: usize) -> String {
    r.map_or_else(|| "—".to_string(), |r| format!("{:.*}%", decimals, r * 100.0))
}

/// Hours with one decimal, or `—`.
pub fn hours(h: Option<f64>) -> String {
    h.map_or_else(|| "—".to_string(), |h| format!("{h:.1}"))
}

/// A bar of at most 20 blocks, proportional to `n` among counts up to `max`; one
/// block at least for any non-zero count.
pub fn bar(n: u64, max: u64) -> String {
    const WIDTH: u64 = 20;
    let blocks = if max <= WIDTH {
        n
    } else {
        ((n * WIDTH + max / 2) / max).max(u64::from(n > 0))
    };
    "█".repeat(blocks as usize)
}

/// The window for the title: `2026-W47 (2026-11-16 00:00 → 2026-11-23 00:00)` when it
/// is exactly an ISO week, else the two ends.
pub fn window(cfg: &Config, from: Time, to: Time) -> String {
    let ends = format!("{} → {}", render::local(cfg, from), render::local(cfg, to));
    let day = cfg.zone.date(from);
    let is_week = cfg.zone.start_of(day) == from
        && day.weekday() == chrono::Weekday::Mon
        && cfg.zone.add(from, Span::days(7)) == to;
    if is_week {
        let w = day.iso_week();
        format!("{}-W{:02} ({ends})", w.year(), w.week())
    } else {
        ends
    }
}

/// A window's short name for a trend line: `2026-W47`, or its first day.
pub fn week_name(cfg: &Config, from: Time, to: Time) -> String {
    let day = cfg.zone.date(from);
    let w = day.iso_week();
    if cfg.zone.start_of(day) == from
        && day.weekday() == chrono::Weekday::Mon
        && cfg.zone.add(from, Span::days(7)) == to
    {
        format!("{}-W{:02}", w.year(), w.week())
    } else {
        day.to_string()
    }
}

pub fn sections(r: &Report, cfg: &Config) -> Vec<Section> {
    let n = |v: u64| v.to_string();
    let mut out = Vec::new();

    out.push(Section {
        title: "1. 受理 Intake".into(),
        lines: vec![format!(
            "受理 received: {}    未分類 unclassified: {}    期末未結 open at the end: {}",
            r.intake.total, r.intake.unclassified, r.intake.open_at_end
        )],
        grids: vec![
            Grid {
                header: vec!["渠道 channel", "件數 count"],
                rows: r
                    .intake
                    .by_channel
                    .0
                    .iter()
                    .map(|(k, v)| vec![cfg.label(&cfg.channels, k).to_string(), n(*v)])
                    .collect(),
                numeric: vec![1],
            },
            Grid {
                header: vec!["級別 level", "件數 count"],
                rows: r
                    .intake
                    .by_level
                    .0
                    .iter()
                    .map(|(k, v)| {
                        let label = Level::ALL
                            .into_iter()
                            .find(|l| l.key() == k)
                            .map_or(k.as_str(), |l| cfg.level_label(l));
                        vec![label.to_string(), n(*v)]
                    })
                    .collect(),
                numeric: vec![1],
            },
        ],
        empty: None,
    });

    let i = &r.irrational;
    out.push(Section {
        title: "2. 非理性抱怨 Irrational complaints".into(),
        lines: vec![],
        grids: vec![Grid {
            header: vec!["項目 item", "件數 count", "佔受理 of intake"],
            rows: vec![
                vec!["一次非理性 first".into(), n(i.first), percent(i.first_ratio, 1)],
                vec!["二次非理性 second".into(), n(i.second), percent(i.second_ratio, 1)],
                vec!["關注 watch".into(), n(i.watch), String::new()],
                vec!["監控 monitor".into(), n(i.monitor), String::new()],
            ],
            numeric: vec![1, 2],
        }],
        empty: None,
    });

    let max = r.categories.iter().map(|c| c.count).max().unwrap_or(0);
    let rate_note = match r.transactions {
        Some(t) => format!("抱怨率 rate = 件數 count ÷ 交易 {t} transactions"),
        None => "抱怨率 rate = 佔比 share (no transaction count: set [report] transactions or pass --transactions N)"
            .to_string(),
    };
    let rate_decimals = if r.transactions.is_some() { 2 } else { 1 };
    out.push(Section {
        title: "3. 類別匯總 By category".into(),
        lines: vec![rate_note],
        grids: vec![Grid {
            header: vec![
                "類別\ncategory",
                "件數\ncount",
                "",
                "佔比\nshare",
                "抱怨率\nrate",
                "一次關閉率\nfirst-close rate",
                "關閉中位時數\nmedian close h",
            ],
            rows: r
                .categories
                .iter()
                .map(|c| {
                    vec![
                        cfg.label(&cfg.categories, &c.category).to_string(),
                        n(c.count),
                        bar(c.count, max),
                        percent(c.share, 1),
                        percent(c.rate, rate_decimals),
                        percent(c.first_close_rate, 1),
                        hours(c.median_close_hours),
                    ]
                })
                .collect(),
            numeric: vec![1, 3, 4, 5, 6],
        }],
        empty: None,
    });

    out.push(Section {
        title: "4. 部門 By department".into(),
        lines: vec![],
        grids: vec![Grid {
            header: vec![
                "部門\ndepartment",
                "移交\nhandoffs",
                "簽收逾時\nlate acks",
                "首次回復逾時\nlate first replies",
                "一次關閉\nfirst closes",
                "二次關閉\nsecond closes",
                "逾期未結\nopen overdue",
                "處罰\npenalties",
                "金額\namount",
            ],
            rows: r
                .departments
                .iter()
                .map(|d| {
                    vec![
                        cfg.department_label(&d.department).to_string(),
                        n(d.handoffs),
                        n(d.late_acks),
                        n(d.late_first_replies),
                        n(d.first_closes),
                        n(d.second_closes),
                        n(d.open_overdue),
                        d.penalties.to_string(),
                        d.penalty_amount.to_string(),
                    ]
                })
                .collect(),
            numeric: (1..9).collect(),
        }],
        empty: None,
    });

    let level_label = |key: &str| {
        Level::ALL
            .into_iter()
            .find(|l| l.key() == key)
            .map_or(key.to_string(), |l| cfg.level_label(l).to_string())
    };
    let mut totals = vec![];
    for d in r
        .departments
        .iter()
        .filter(|d| d.penalties != 0 || d.penalty_amount != 0)
    {
        totals.push(vec![
            cfg.department_label(&d.department).to_string(),
            d.penalties.to_string(),
            d.penalty_amount.to_string(),
        ]);
    }
    if !totals.is_empty() {
        totals.push(vec![
            "總計 all".into(),
            r.penalties.iter().map(|p| p.amount.signum()).sum::<i64>().to_string(),
            r.penalties
                .iter()
                .fold(0i64, |sum, p| sum.saturating_add(p.amount))
                .to_string(),
        ]);
    }
    out.push(Section {
        title: "5. 處罰通知單 Penalty notices".into(),
        lines: vec![],
        grids: if r.penalties.is_empty() {
            vec![]
        } else {
            vec![
                Grid {
                    header: vec![
                        "編號 penalty",
                        "部門 department",
                        "級別 level",
                        "原因 reason",
                        "金額 amount",
                        "日期 date",
                    ],
                    rows: r
                        .penalties
                        .iter()
                        .map(|p| {
                            vec![
                                p.pid.clone(),
                                cfg.department_label(&p.department).to_string(),
                                level_label(p.level),
                                match p.cancels {
                                    Some(at) => format!("撤銷 cancels {}: {}", render::local(cfg, at), reason(p, cfg)),
                                    None => reason(p, cfg),
                                },
                                p.amount.to_string(),
                                render::local(cfg, p.at),
                            ]
                        })
                        .collect(),
                    numeric: vec![4],
                },
                Grid {
                    header: vec!["部門 department", "件數 notices", "合計 total"],
                    rows: totals,
                    numeric: vec![1, 2],
                },
            ]
        },
        empty: Some("無處罰 no penalty notices"),
    });

    out.push(Section {
        title: "6. 重複抱怨 Recurrence (30 天 days to the end)".into(),
        lines: vec![],
        grids: if r.recurrence.is_empty() {
            vec![]
        } else {
            vec![Grid {
                header: vec!["類型 kind", "依據 key", "件數 count", "案件 cases"],
                rows: r.recurrence.iter().map(|g| recurrence_row(g, cfg)).collect(),
                numeric: vec![2],
            }]
        },
        empty: Some("無 none"),
    });

    out.push(Section {
        title: "7. 客服中心 Customer service centre".into(),
        lines: {
            let c = &r.service_center;
            vec![
                format!(
                    "逾時分類 late classifications (after {}): {}",
                    cfg.classify, c.late_classifications
                ),
                format!(
                    "逾時移交 late handoffs (not handed to the department by the handoff deadline): {}",
                    c.late_handoffs
                ),
                format!(
                    "逾時回訪確認 late close confirmations (call-back after {}): {}",
                    cfg.confirm, c.late_confirmations
                ),
                format!(
                    "逾時書面答覆 late written answers (after {}): {}",
                    cfg.customer_answer, c.late_answers
                ),
            ]
        },
        grids: vec![],
        empty: None,
    });

    if !r.trend.is_empty() {
        out.push(Section {
            title: format!("8. 趨勢 Trend (近 {} 週 last weeks)", r.trend.len()),
            lines: vec![],
            grids: vec![Grid {
                header: vec![
                    "週 week",
                    "受理 intake",
                    "非理性比例 irrational ratio",
                    "一次關閉率 first-time close rate",
                    "處罰金額 penalty amount",
                ],
                rows: r
                    .trend
                    .iter()
                    .map(|t| {
                        vec![
                            t.week.clone(),
                            n(t.intake),
                            percent(t.irrational_ratio, 1),
                            percent(t.first_close_rate, 1),
                            t.penalty_amount.to_string(),
                        ]
                    })
                    .collect(),
                numeric: vec![1, 2, 3, 4],
            }],
            empty: None,
        });
    }

    if !r.unreadable.is_empty() {
        out.push(Section {
            title: "無法讀取的案件檔 Unreadable case files (left out above; see `kefu check`)".into(),
            lines: r.unreadable.clone(),
            grids: vec![],
            empty: None,
        });
    }
    out
}

fn recurrence_row(g: &Recurrence, cfg: &Config) -> Vec<String> {
    let (kind, key) = match g.kind {
        // Category keys are ASCII words without '/', so the first '/' ends it.
        RecurrenceKind::Product => (
            "產品 product",
            match g.key.split_once('/') {
                Some((cat, product)) => format!("{}/{product}", cfg.label(&cfg.categories, cat)),
                None => g.key.clone(),
            },
        ),
        // The report goes to managers: a customer's phone is not theirs to read (003:
        // 不隨意提供客戶資料). JSON keeps it whole for the clerk's scripts.
        RecurrenceKind::Customer => ("客戶 customer", crate::output::safe::mask_contact(&g.key)),
    };
    vec![kind.into(), key, g.cases.len().to_string(), g.cases.join(", ")]
}

fn title(r: &Report, cfg: &Config) -> String {
    format!("每周匯總 Weekly complaint report — {}", window(cfg, r.from, r.to))
}

/// A penalty's reason in the clerk's language, worded from its data (SPEC §17.10).
fn reason(p: &crate::domain::report::PenaltyRow, cfg: &Config) -> String {
    let level = Level::ALL
        .into_iter()
        .find(|l| l.key() == p.level)
        .map_or(p.level.to_string(), |l| cfg.level_label(l).to_string());
    render::reason_words(cfg, p.monthly, &level, p.at)
}

/// Terminal tables, each fitted to `width` columns when given.
pub fn terminal(r: &Report, cfg: &Config, width: Option<usize>) -> String {
    let mut out = String::new();
    let fold = |text: &str, indent: usize| match width {
        Some(w) => table::wrap(text, w, indent),
        None => text.to_string(),
    };
    let _ = writeln!(out, "{}", fold(&title(r, cfg), 2));
    for s in sections(r, cfg) {
        let _ = writeln!(out, "\n{}", fold(&s.title, 2));
        for line in &s.lines {
            let _ = writeln!(out, "{}", fold(&format!("  {line}"), 4));
        }
        if let (true, Some(empty)) = (s.grids.is_empty(), s.empty) {
            let _ = writeln!(out, "  {empty}");
        }
        for g in &s.grids {
            // Ids and numbers are never cut; labels and reasons may be.
            let cols: Vec<Col> = g
                .header
                .iter()
                .enumerate()
                .map(|(i, h)| match () {
                    _ if g.numeric.contains(&i) => Col::Number,
                    _ if h.ends_with(" case") => Col::Fixed,
                    _ if h.ends_with(" date") => Col::Time,
                    _ => Col::Text,
                })
                .collect();
            let rows: Vec<(Vec<String>, Mark)> = g.rows.iter().map(|r| (r.clone(), Mark::Plain)).collect();
            let term = Term { width, color: false };
            let _ = writeln!(out, "{}", table::render(&g.header, &cols, &rows, term));
        }
    }
    out
}

/// Markdown, ready to paste into a mail.
pub fn markdown(r: &Report, cfg: &Config) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}", title(r, cfg));
    for s in sections(r, cfg) {
        let _ = writeln!(out, "\n## {}\n", s.title);
        for line in &s.lines {
            let _ = writeln!(out, "{}  ", crate::output::safe::markdown_cell(line));
        }
        if !s.lines.is_empty() && !s.grids.is_empty() {
            out.push('\n');
        }
        if let (true, Some(empty)) = (s.grids.is_empty(), s.empty) {
            let _ = writeln!(out, "{empty}");
        }
        for (k, g) in s.grids.iter().enumerate() {
            if k > 0 {
                out.push('\n');
            }
            let _ = writeln!(
                out,
                "| {} |",
                g.header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | ")
            );
            let rule: Vec<&str> = (0..g.header.len())
                .map(|i| if g.numeric.contains(&i) { "---:" } else { "---" })
                .collect();
            let _ = writeln!(out, "|{}|", rule.join("|"));
            for row in &g.rows {
                let _ = writeln!(
                    out,
                    "| {} |",
                    row.iter()
                        .map(|c| crate::output::safe::markdown_cell(c))
                        .collect::<Vec<_>>()
                        .join(" | ")
                );
            }
        }
    }
    out
}

/// The report as a printable page: the same sections, with charts of intake by day and
/// by channel, cases by category, penalties by department and the trend.
pub fn page(r: &Report, cfg: &Config) -> Page {
    let mut p = Page::new("每周匯總 Weekly complaint report");
    p.meta.push(window(cfg, r.from, r.to));
    let mut charts = vec![
        Chart {
            title: "每日受理 Intake by day".into(),
            bars: r.intake.by_day.0.iter().map(|(k, v)| (k.clone(), *v as f64)).collect(),
        },
        Chart {
            title: "渠道 Intake by channel".into(),
            bars: r
                .intake
                .by_channel
                .0
                .iter()
                .map(|(k, v)| (cfg.label(&cfg.channels, k).to_string(), *v as f64))
                .collect(),
        },
        Chart {
            title: "類別 Cases by category".into(),
            bars: r
                .categories
                .iter()
                .map(|c| (cfg.label(&cfg.categories, &c.category).to_string(), c.count as f64))
                .collect(),
        },
        Chart {
            title: "部門處罰金額 Penalties by department".into(),
            bars: r
                .departments
                .iter()
                .map(|d| (cfg.department_label(&d.department).to_string(), d.penalty_amount as f64))
                .collect(),
        },
    ];
    if !r.trend.is_empty() {
        charts.push(Chart {
            title: "趨勢：受理 Trend: intake".into(),
            bars: r.trend.iter().map(|t| (t.week.clone(), t.intake as f64)).collect(),
        });
        charts.push(Chart {
            title: "趨勢：處罰金額 Trend: penalty amount".into(),
            bars: r
                .trend
                .iter()
                .map(|t| (t.week.clone(), t.penalty_amount as f64))
                .collect(),
        });
    }
    p.push(Block::Heading("圖表 Charts".into()));
    for c in charts {
        p.push(Block::Chart(c));
    }
    for s in sections(r, cfg) {
        p.push(Block::Heading(s.title));
        if !s.lines.is_empty() {
            p.push(Block::Text(s.lines.join("\n")));
        }
        if let (true, Some(empty)) = (s.grids.is_empty(), s.empty) {
            p.push(Block::Text(empty.into()));
        }
        for g in s.grids {
            p.push(Block::Table(PageTable {
                head: g.header.iter().map(|h| h.to_string()).collect(),
                numeric: g.numeric,
                rows: g.rows,
                foot: None,
            }));
        }
    }
    p
}

/// A table cell or line for Markdown: pipes escaped, no line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_and_numbers() {
        assert_eq!(bar(3, 5), "███");
        assert_eq!(bar(0, 5), "");
        assert_eq!(bar(40, 40).chars().count(), 20);
        assert_eq!(bar(1, 1000), "█");
        assert_eq!(percent(Some(0.375), 1), "37.5%");
        assert_eq!(percent(None, 1), "—");
        assert_eq!(hours(Some(61.0)), "61.0");
    }
}
