//! The regulation's documents as pages (`page::Page`), rendered to Markdown for the
//! terminal and to HTML for print: the circular, a penalty notice, the receiver table,
//! the handling form, the letter to the customer.

use crate::domain::case::Case;
use crate::domain::config::Config;
use crate::output::documents::{self, Circular, Notice, Receivers};
use crate::output::i18n::tr;
use crate::output::page::{Block, Page, Table};
use crate::output::render::local;

fn level_label<'a>(cfg: &'a Config, key: &'a str) -> &'a str {
    cfg.level("level", key).map_or(key, |l| cfg.level_label(l))
}

pub fn circular(c: &Circular, cfg: &Config) -> Page {
    let mut p = Page::new(&crate::output::i18n::zh_or(
        documents::CIRCULAR_TITLE,
        "dv_circular_title",
    ));
    let last_day = c.to - chrono::TimeDelta::seconds(1);
    p.meta.push(tr(
        "dv_week",
        &[
            ("week", &c.week),
            ("from", &local(cfg, c.from)[..10]),
            ("to", &local(cfg, last_day)[..10]),
        ],
    ));
    p.meta
        .push(tr("dv_prepared_by_the_customer_service_centre_penalties_issued_and_confirmed_for_execution_this_week_regulation_7_8", &[]));
    p.push(Block::Heading(tr("dv_penalties_confirmed_for_execution", &[])));
    p.push(Block::Table(Table {
        head: [
            &tr("dv_penalty", &[]),
            &tr("dv_department", &[]),
            &tr("dv_level", &[]),
            &tr("dv_reason", &[]),
            &tr("dv_issued", &[]),
            &tr("dv_state", &[]),
            &tr("dv_amount", &[]),
        ]
        .map(|h: &String| h.clone())
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
                    crate::output::render::reason_words(cfg, l.monthly, &l.level, l.at),
                    local(cfg, l.issued),
                    crate::output::i18n::word(l.state.key(), l.state.label()),
                    l.amount.to_string(),
                ]
            })
            .collect(),
        foot: None,
    }));
    if !c.refunds.is_empty() {
        p.push(Block::Heading(tr("dv_refunds_executed_penalties_cancelled", &[])));
        p.push(Block::Table(Table {
            head: [
                &tr("dv_penalty", &[]),
                &tr("dv_department", &[]),
                &tr("dv_penalty_of", &[]),
                &tr("dv_cancelled", &[]),
                &tr("dv_amount", &[]),
            ]
            .map(|h: &String| h.clone())
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
    p.push(Block::Heading(tr("dv_totals_by_department", &[])));
    p.push(Block::Table(Table {
        head: [
            &tr("dv_department", &[]),
            &tr("dv_count", &[]),
            &tr("dv_penalties", &[]),
            &tr("dv_refunds", &[]),
            &tr("dv_total", &[]),
        ]
        .map(|h: &String| h.clone())
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
            tr("dv_total", &[]),
            c.departments.iter().map(|d| d.penalties).sum::<u64>().to_string(),
            c.departments.iter().map(|d| d.amount).sum::<i64>().to_string(),
            c.departments.iter().map(|d| d.refunds).sum::<i64>().to_string(),
            c.total.to_string(),
        ]),
    }));
    p.push(Block::Heading(tr("dv_sign_off", &[])));
    p.push(Block::Sign(vec![
        tr("sign_prepared", &[]),
        tr("sign_reviewed", &[]),
        tr("sign_issued", &[]),
    ]));
    p.push(Block::Text(tr(
        "dv_execution_declared_by_the_general_administration_department_carried_out_by_finance_regulation_7_9",
        &[],
    )));
    p.push(Block::Heading(tr("dv_distribution", &[])));
    p.push(Block::Text(if c.distribution.is_empty() {
        "—".into()
    } else {
        c.distribution.join(&tr("list_sep", &[]))
    }));
    p
}

pub fn notice(n: &Notice, cfg: &Config) -> Page {
    let mut p = Page::new(&crate::output::i18n::zh_or(
        n.title,
        if n.title == documents::NOTICE_TITLE {
            "dv_notice_title"
        } else {
            "dv_fine_notice_title"
        },
    ));
    p.meta.push(tr("dv_pid", &[("pid", &n.pid)]));
    p.push(Block::Fields(vec![
        (tr("dv_penalty_notice", &[]), n.pid.clone()),
        (tr("dv_case", &[]), n.case.clone()),
        (tr("dv_customer", &[]), n.customer.clone()),
        (tr("dv_summary", &[]), n.summary.clone()),
        (tr("dv_received", &[]), local(cfg, n.received_at)),
        (
            tr("dv_category", &[]),
            n.category
                .as_deref()
                .map_or("—".to_string(), |k| cfg.label(&cfg.categories, k).to_string()),
        ),
        (
            tr("dv_department", &[]),
            cfg.department_label(&n.department).to_string(),
        ),
        (tr("dv_receiver", &[]), n.receiver.clone().unwrap_or_else(|| "—".into())),
        (tr("dv_level_charged", &[]), level_label(cfg, &n.level).to_string()),
        (
            tr("dv_reason", &[]),
            crate::output::render::reason_words(cfg, n.title == documents::FINE_NOTICE_TITLE, &n.level, n.at),
        ),
        (tr("dv_dated", &[]), local(cfg, n.at)),
        (tr("dv_issued", &[]), local(cfg, n.issued)),
        (tr("dv_amount", &[]), n.amount.to_string()),
        (
            tr("dv_state", &[]),
            crate::output::i18n::word(n.state.key(), n.state.label()),
        ),
    ]));
    p.push(Block::Sign(vec![
        tr("sign_notice_issued", &[]),
        tr("sign_notice_received", &[]),
    ]));
    p
}

pub fn receivers(r: &Receivers) -> Page {
    let mut p = Page::new(&crate::output::i18n::zh_or(
        documents::RECEIVERS_TITLE,
        "dv_receivers_title",
    ));
    p.meta.push(tr(
        "dv_the_complaint_receivers_named_by_the_departments_regulation_7_2_1",
        &[],
    ));
    p.push(Block::Table(Table {
        head: [
            &tr("dv_department", &[]),
            &tr("dv_key", &[]),
            &tr("dv_receiver", &[]),
            &tr("dv_signature", &[]),
            &tr("dv_date", &[]),
        ]
        .map(|h: &String| h.clone())
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
    p.push(Block::Sign(vec![tr("sign_centre", &[]), tr("sign_admin", &[])]));
    p
}

/// The handling form 《客戶抱怨處理書》 as a page (the same rows as its Markdown).
pub fn handling_form(case: &Case, cfg: &Config) -> Page {
    let (rows, sections) = crate::output::render::handling_form_parts(case, cfg);
    let mut p = Page::new(&crate::output::i18n::zh_or("客戶抱怨處理書", "fm_title"));
    p.meta.push(tr("dv_case_id", &[("id", &case.id)]));
    p.push(Block::Fields(rows));
    for (heading, text) in sections {
        p.push(Block::Heading(heading));
        p.push(Block::Text(text));
    }
    p.push(Block::Heading(tr("dv_department_s_reply", &[])));
    p.push(Block::Sign(vec![tr("dv_department_s_receiver_signed", &[])]));
    p
}

/// The letter to the customer as a page: the filled template, line breaks kept.
pub fn letter(case: &Case, text: &str) -> Page {
    let mut p = Page::new(&crate::output::i18n::zh_or("客戶抱怨處理答覆函", "dv_letter_title"));
    p.meta.push(tr("dv_case_id", &[("id", &case.id)]));
    for para in text.split("\n\n").filter(|t| !t.trim().is_empty()) {
        p.push(Block::Text(para.to_string()));
    }
    p
}
