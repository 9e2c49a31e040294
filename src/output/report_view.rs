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
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Columns holding numbers (right-aligned).
    pub numeric: Vec<usize>,
}

pub struct Section {
    pub title: String,
    pub lines: Vec<String>,
    pub grids: Vec<Grid>,
    /// Said instead of the tables when they have no rows.
    pub empty: Option<String>,
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
    let t = |key: &str, args: &[(&str, &str)]| crate::output::i18n::t(cfg.lang, key, args);
    let h = |key: &str| t(key, &[]);
    let mut out = Vec::new();

    out.push(Section {
        title: h("r_s1"),
        lines: vec![t(
            "r_intake_line",
            &[
                ("total", &n(r.intake.total)),
                ("unclassified", &n(r.intake.unclassified)),
                ("open", &n(r.intake.open_at_end)),
            ],
        )],
        grids: vec![
            Grid {
                header: vec![h("rh_channel"), h("rh_count")],
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
                header: vec![h("rh_level"), h("rh_count")],
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
        title: h("r_s2"),
        lines: vec![],
        grids: vec![Grid {
            header: vec![h("rh_item"), h("rh_count"), h("rh_of_intake")],
            rows: vec![
                vec![h("r_first"), n(i.first), percent(i.first_ratio, 1)],
                vec![h("r_second"), n(i.second), percent(i.second_ratio, 1)],
                vec![h("r_watch"), n(i.watch), String::new()],
                vec![h("r_monitor"), n(i.monitor), String::new()],
            ],
            numeric: vec![1, 2],
        }],
        empty: None,
    });

    let max = r.categories.iter().map(|c| c.count).max().unwrap_or(0);
    let rate_note = match r.transactions {
        Some(tx) => t("r_rate_tx", &[("t", &tx.to_string())]),
        None => h("r_rate_share"),
    };
    let rate_decimals = if r.transactions.is_some() { 2 } else { 1 };
    out.push(Section {
        title: h("r_s3"),
        lines: vec![rate_note],
        grids: vec![Grid {
            header: vec![
                h("rh_category"),
                h("rh_count"),
                String::new(),
                h("rh_share"),
                h("rh_rate"),
                h("rh_first_close_rate"),
                h("rh_median_close"),
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
        title: h("r_s4"),
        lines: vec![],
        grids: vec![Grid {
            header: vec![
                h("rh_department"),
                h("rh_handoffs"),
                h("rh_late_acks"),
                h("rh_late_first"),
                h("rh_first_closes"),
                h("rh_second_closes"),
                h("rh_open_overdue"),
                h("rh_penalties"),
                h("rh_amount"),
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
            h("r_all"),
            r.penalties.iter().map(|p| p.amount.signum()).sum::<i64>().to_string(),
            r.penalties
                .iter()
                .fold(0i64, |sum, p| sum.saturating_add(p.amount))
                .to_string(),
        ]);
    }
    out.push(Section {
        title: h("r_s5"),
        lines: vec![],
        grids: if r.penalties.is_empty() {
            vec![]
        } else {
            vec![
                Grid {
                    header: vec![
                        h("rh_penalty"),
                        h("rh_department"),
                        h("rh_level"),
                        h("rh_reason"),
                        h("rh_amount"),
                        h("rh_date"),
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
                                    Some(at) => t(
                                        "r_cancels",
                                        &[("t", &render::local(cfg, at)), ("reason", &reason(p, cfg))],
                                    ),
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
                    header: vec![h("rh_department"), h("rh_notices"), h("rh_total")],
                    rows: totals,
                    numeric: vec![1, 2],
                },
            ]
        },
        empty: Some(h("r_no_penalties")),
    });

    out.push(Section {
        title: h("r_s6"),
        lines: vec![],
        grids: if r.recurrence.is_empty() {
            vec![]
        } else {
            vec![Grid {
                header: vec![h("rh_kind"), h("rh_key"), h("rh_count"), h("rh_cases")],
                rows: r.recurrence.iter().map(|g| recurrence_row(g, cfg)).collect(),
                numeric: vec![2],
            }]
        },
        empty: Some(h("r_none")),
    });

    out.push(Section {
        title: h("r_s7"),
        lines: {
            let c = &r.service_center;
            vec![
                t(
                    "r_late_classify",
                    &[("limit", &cfg.classify.to_string()), ("n", &n(c.late_classifications))],
                ),
                t("r_late_handoff", &[("n", &n(c.late_handoffs))]),
                t(
                    "r_late_confirm",
                    &[("limit", &cfg.confirm.to_string()), ("n", &n(c.late_confirmations))],
                ),
                t(
                    "r_late_answer",
                    &[("limit", &cfg.customer_answer.to_string()), ("n", &n(c.late_answers))],
                ),
            ]
        },
        grids: vec![],
        empty: None,
    });

    if !r.trend.is_empty() {
        out.push(Section {
            title: t("r_s8", &[("n", &r.trend.len().to_string())]),
            lines: vec![],
            grids: vec![Grid {
                header: vec![
                    h("rh_week"),
                    h("rh_intake"),
                    h("rh_irrational_ratio"),
                    h("rh_first_time_close_rate"),
                    h("rh_penalty_amount"),
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
            title: h("r_unreadable"),
            lines: r.unreadable.clone(),
            grids: vec![],
            empty: None,
        });
    }
    out
}

fn recurrence_row(g: &Recurrence, cfg: &Config) -> Vec<String> {
    let h = |key: &str| crate::output::i18n::t(cfg.lang, key, &[]);
    let (kind, key) = match g.kind {
        // Category keys are ASCII words without '/', so the first '/' ends it.
        RecurrenceKind::Product => (
            h("r_product"),
            match g.key.split_once('/') {
                Some((cat, product)) => format!("{}/{product}", cfg.label(&cfg.categories, cat)),
                None => g.key.clone(),
            },
        ),
        // The report goes to managers: a customer's phone is not theirs to read (003:
        // 不隨意提供客戶資料). JSON keeps it whole for the clerk's scripts.
        RecurrenceKind::Customer => (h("r_customer"), crate::output::safe::mask_contact(&g.key)),
    };
    vec![kind, key, g.cases.len().to_string(), g.cases.join(", ")]
}

fn title(r: &Report, cfg: &Config) -> String {
    crate::output::i18n::t(cfg.lang, "r_title", &[("window", &window(cfg, r.from, r.to))])
}

/// A penalty's reason in the clerk's language, worded from its data (SPEC §17.10).
fn reason(p: &crate::domain::report::PenaltyRow, cfg: &Config) -> String {
    render::reason_words(cfg, p.monthly, p.level, p.at)
}

/// Terminal tables, each fitted to `width` columns when given.
pub fn terminal(r: &Report, cfg: &Config, width: Option<usize>) -> String {
    let mut out = String::new();
    let fold = |text: &str, indent: usize| match width {
        Some(w) => table::wrap(text, w, indent),
        None => text.to_string(),
    };
    let _ = writeln!(out, "{}", fold(&title(r, cfg), 2));
    let date = crate::output::i18n::t(cfg.lang, "rh_date", &[]);
    for s in sections(r, cfg) {
        let _ = writeln!(out, "\n{}", fold(&s.title, 2));
        for line in &s.lines {
            let _ = writeln!(out, "{}", fold(&format!("  {line}"), 4));
        }
        if let (true, Some(empty)) = (s.grids.is_empty(), s.empty) {
            let _ = writeln!(out, "  {empty}");
        }
        for g in &s.grids {
            // Numbers and times are never cut; labels and reasons may be.
            let cols: Vec<Col> = g
                .header
                .iter()
                .enumerate()
                .map(|(i, h)| match () {
                    _ if g.numeric.contains(&i) => Col::Number,
                    _ if **h == date => Col::Time,
                    _ => Col::Text,
                })
                .collect();
            let rows: Vec<(Vec<String>, Mark)> = g.rows.iter().map(|r| (r.clone(), Mark::Plain)).collect();
            let term = Term { width, color: false };
            let header: Vec<&str> = g.header.iter().map(String::as_str).collect();
            let _ = writeln!(out, "{}", table::render(&header, &cols, &rows, term));
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
    let h = |key: &str| crate::output::i18n::t(cfg.lang, key, &[]);
    let mut p = Page::new(&h("r_page"));
    p.meta.push(window(cfg, r.from, r.to));
    let mut charts = vec![
        Chart {
            title: h("r_chart_day"),
            bars: r.intake.by_day.0.iter().map(|(k, v)| (k.clone(), *v as f64)).collect(),
        },
        Chart {
            title: h("r_chart_channel"),
            bars: r
                .intake
                .by_channel
                .0
                .iter()
                .map(|(k, v)| (cfg.label(&cfg.channels, k).to_string(), *v as f64))
                .collect(),
        },
        Chart {
            title: h("r_chart_category"),
            bars: r
                .categories
                .iter()
                .map(|c| (cfg.label(&cfg.categories, &c.category).to_string(), c.count as f64))
                .collect(),
        },
        Chart {
            title: h("r_chart_penalties"),
            bars: r
                .departments
                .iter()
                .map(|d| (cfg.department_label(&d.department).to_string(), d.penalty_amount as f64))
                .collect(),
        },
    ];
    if !r.trend.is_empty() {
        charts.push(Chart {
            title: h("r_chart_trend_intake"),
            bars: r.trend.iter().map(|t| (t.week.clone(), t.intake as f64)).collect(),
        });
        charts.push(Chart {
            title: h("r_chart_trend_penalty"),
            bars: r
                .trend
                .iter()
                .map(|t| (t.week.clone(), t.penalty_amount as f64))
                .collect(),
        });
    }
    p.push(Block::Heading(h("r_charts")));
    for c in charts {
        p.push(Block::Chart(c));
    }
    for s in sections(r, cfg) {
        p.push(Block::Heading(s.title));
        if !s.lines.is_empty() {
            p.push(Block::Text(s.lines.join("\n")));
        }
        if let (true, Some(empty)) = (s.grids.is_empty(), s.empty) {
            p.push(Block::Text(empty));
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
