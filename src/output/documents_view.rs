//! The regulation's documents as pages (`page::Page`), rendered to Markdown for the
//! terminal and to HTML for print: the circular, a penalty notice, the receiver table,
//! the handling form, the letter to the customer.

use crate::domain::case::Case;
use crate::domain::config::Config;
use crate::output::documents::{self, Circular, Notice, Receivers};
use crate::output::page::{Block, Page, Table};
use crate::output::render::local;

fn level_label<'a>(cfg: &'a Config, key: &'a str) -> &'a str {
    cfg.level("level", key).map_or(key, |l| cfg.level_label(l))
}

pub fn circular(c: &Circular, cfg: &Config) -> Page {
    let mut p = Page::new(documents::CIRCULAR_TITLE);
    let last_day = c.to - chrono::TimeDelta::seconds(1);
    p.meta.push(format!(
        "{} 週 ({} – {})",
        c.week,
        &local(cfg, c.from)[..10],
        &local(cfg, last_day)[..10]
    ));
    p.meta
        .push("客戶服務中心編制：本週開出、確定執行的考核 (seed 7.8)".into());
    p.push(Block::Heading("處罰明細 Penalties confirmed for execution".into()));
    p.push(Block::Table(Table {
        head: [
            "編號 Penalty",
            "執行部門 Department",
            "級別 Level",
            "原因 Reason",
            "開出 Issued",
            "狀態 State",
            "金額 Amount",
        ]
        .map(String::from)
        .to_vec(),
        numeric: vec![6],
        rows: c
            .penalties
            .iter()
            .map(|l| {
                vec![
                    l.pid.clone(),
                    cfg.department_label(&l.department).to_string(),
                    level_label(cfg, &l.level).to_string(),
                    l.reason.clone(),
                    local(cfg, l.issued),
                    l.state.label().to_string(),
                    l.amount.to_string(),
                ]
            })
            .collect(),
        foot: None,
    }));
    if !c.refunds.is_empty() {
        p.push(Block::Heading("退還 Refunds (executed penalties cancelled)".into()));
        p.push(Block::Table(Table {
            head: [
                "編號 Penalty",
                "執行部門 Department",
                "原處罰日期 Penalty of",
                "撤銷 Cancelled",
                "金額 Amount",
            ]
            .map(String::from)
            .to_vec(),
            numeric: vec![4],
            rows: c
                .refunds
                .iter()
                .map(|r| {
                    vec![
                        r.pid.clone(),
                        cfg.department_label(&r.department).to_string(),
                        local(cfg, r.at),
                        local(cfg, r.cancelled),
                        r.amount.to_string(),
                    ]
                })
                .collect(),
            foot: None,
        }));
    }
    p.push(Block::Heading("部門合計 Totals by department".into()));
    p.push(Block::Table(Table {
        head: [
            "執行部門 Department",
            "件數 Count",
            "處罰 Penalties",
            "退還 Refunds",
            "合計 Total",
        ]
        .map(String::from)
        .to_vec(),
        numeric: vec![1, 2, 3, 4],
        rows: c
            .departments
            .iter()
            .map(|d| {
                vec![
                    cfg.department_label(&d.department).to_string(),
                    d.penalties.to_string(),
                    d.amount.to_string(),
                    d.refunds.to_string(),
                    d.total.to_string(),
                ]
            })
            .collect(),
        foot: Some(vec![
            "合計 Total".into(),
            c.departments.iter().map(|d| d.penalties).sum::<u64>().to_string(),
            c.departments.iter().map(|d| d.amount).sum::<i64>().to_string(),
            c.departments.iter().map(|d| d.refunds).sum::<i64>().to_string(),
            c.total.to_string(),
        ]),
    }));
    p.push(Block::Heading("簽發 Sign-off".into()));
    p.push(Block::Sign(vec![
        "編制 客戶服務中心".into(),
        "審核 綜合管理部".into(),
        "簽發 總經理".into(),
    ]));
    p.push(Block::Text("兌現：綜合管理部申報，財務部執行 (seed 7.9)。".into()));
    p.push(Block::Heading("送 Distribution".into()));
    p.push(Block::Text(if c.distribution.is_empty() {
        "—".into()
    } else {
        c.distribution.join("、")
    }));
    p
}

pub fn notice(n: &Notice, cfg: &Config) -> Page {
    let mut p = Page::new(n.title);
    p.meta.push(format!("編號 {}", n.pid));
    p.push(Block::Fields(vec![
        ("通知單編號 Penalty".into(), n.pid.clone()),
        ("案件 Case".into(), n.case.clone()),
        ("客戶 Customer".into(), n.customer.clone()),
        ("抱怨摘要 Summary".into(), n.summary.clone()),
        ("受理時間 Received".into(), local(cfg, n.received_at)),
        (
            "抱怨類別 Category".into(),
            n.category
                .as_deref()
                .map_or("—".to_string(), |k| cfg.label(&cfg.categories, k).to_string()),
        ),
        (
            "執行部門 Department".into(),
            cfg.department_label(&n.department).to_string(),
        ),
        (
            "接收人 Receiver".into(),
            n.receiver.clone().unwrap_or_else(|| "—".into()),
        ),
        ("考核級別 Level charged".into(), level_label(cfg, &n.level).to_string()),
        ("原因 Reason".into(), n.reason.clone()),
        ("日期 Dated".into(), local(cfg, n.at)),
        ("開出 Issued".into(), local(cfg, n.issued)),
        ("金額 Amount".into(), n.amount.to_string()),
        ("狀態 State".into(), n.state.label().to_string()),
    ]));
    p.push(Block::Sign(vec![
        "開具 客戶服務中心".into(),
        "簽收 執行部門接收人".into(),
    ]));
    p
}

pub fn receivers(r: &Receivers) -> Page {
    let mut p = Page::new(documents::RECEIVERS_TITLE);
    p.meta.push("執行部門指定的抱怨接收人 (seed 7.2.1)".into());
    p.push(Block::Table(Table {
        head: [
            "執行部門 Department",
            "代碼 Key",
            "接收人 Receiver",
            "簽名確認 Signature",
            "日期 Date",
        ]
        .map(String::from)
        .to_vec(),
        numeric: vec![],
        rows: r
            .departments
            .iter()
            .map(|d| {
                vec![
                    d.label.clone(),
                    d.department.clone(),
                    d.receiver.clone(),
                    String::new(),
                    String::new(),
                ]
            })
            .collect(),
        foot: None,
    }));
    p.push(Block::Sign(vec!["客戶服務中心".into(), "綜合管理部".into()]));
    p
}

/// The handling form 《客戶抱怨處理書》 as a page (the same rows as its Markdown).
pub fn handling_form(case: &Case, cfg: &Config) -> Page {
    let (rows, sections) = crate::output::render::handling_form_parts(case, cfg);
    let mut p = Page::new("客戶抱怨處理書");
    p.meta.push(format!("案件 {}", case.id));
    p.push(Block::Fields(rows));
    for (heading, text) in sections {
        p.push(Block::Heading(heading));
        p.push(Block::Text(text));
    }
    p.push(Block::Heading("部門回復 Department's reply".into()));
    p.push(Block::Sign(vec!["執行部門接收人 簽收 Signed".into()]));
    p
}

/// The letter to the customer as a page: the filled template, line breaks kept.
pub fn letter(case: &Case, text: &str) -> Page {
    let mut p = Page::new("客戶抱怨處理答覆函");
    p.meta.push(format!("案件 {}", case.id));
    for para in text.split("\n\n").filter(|t| !t.trim().is_empty()) {
        p.push(Block::Text(para.to_string()));
    }
    p
}
