//! Rendering for people and scripts: tables, the case page, JSON views. The only code
//! that formats output.

use std::fmt::Write as _;

use comfy_table::{Cell, ContentArrangement, LineStyle, Table, TableStyle};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::case::{Case, Complaint, Customer, Event, EventKind, State};
use crate::config::Config;
use crate::rules::{self, Limit};
use crate::time::{Time, rfc3339};

/// kefu's table style: a dashed rule under the header, nothing else. Box-drawing
/// characters are of ambiguous width in CJK terminals, so none are used.
const STYLE: TableStyle = TableStyle::new().header_separator(LineStyle::none().fill('-').junction(' '));

/// A table in kefu's plain style, wrapped to the terminal's width when there is one.
pub fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(STYLE);
    t.set_content_arrangement(if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        ContentArrangement::Dynamic
    } else {
        ContentArrangement::Disabled
    });
    t.set_header(header.iter().map(Cell::new));
    t
}

/// Local time for people: `2026-11-23 10:15`.
pub fn local(cfg: &Config, t: Time) -> String {
    t.with_timezone(&cfg.zone.0).format("%Y-%m-%d %H:%M").to_string()
}

#[derive(Serialize)]
pub struct DeadlinesJson {
    pub classify: Option<String>,
    pub handoff: Option<String>,
    pub first_reply: Option<String>,
    pub close: Option<String>,
    pub confirm: Option<String>,
    pub customer_answer: Option<String>,
    pub promise: Option<String>,
}

/// A close request waiting for the call-back (SPEC §10.5).
#[derive(Serialize)]
pub struct CloseRequestJson<'a> {
    pub requested_at: String,
    pub from: Option<&'a str>,
    pub resolution: Option<&'a str>,
    pub remedy: Option<&'a str>,
    pub cause: Option<&'a str>,
    pub countermeasure: Option<&'a str>,
    /// When the customer must be called back, and where that stands now.
    pub confirm_by: Option<String>,
    pub confirm_state: &'static str,
}

/// A case as `show --json`, `list --json` and `export` give it (SPEC §5).
#[derive(Serialize)]
pub struct CaseJson<'a> {
    pub id: &'a str,
    pub status: &'static str,
    pub level: Option<&'static str>,
    pub category: Option<&'a str>,
    pub department: Option<&'a str>,
    pub received_at: String,
    pub channel: &'a str,
    pub customer: &'a Customer,
    pub summary: &'a str,
    pub complaint: &'a Complaint,
    pub external: bool,
    pub source_ref: Option<&'a str>,
    pub deadlines: DeadlinesJson,
    /// Each deadline's state at now, by the same keys (SPEC §10.2); `none` where the
    /// deadline does not exist (yet).
    pub deadline_states: std::collections::BTreeMap<&'static str, &'static str>,
    pub overdue: Vec<&'static str>,
    pub close_kind: Option<&'static str>,
    /// The pending close request, or null.
    pub close_request: Option<CloseRequestJson<'a>>,
    pub irrational: Option<&'static str>,
    pub follow_up: Option<&'static str>,
    pub events: &'a [Event],
}

/// Where a deadline stands at `now`, by its key; `none` where it does not exist (yet).
fn deadline_state(s: &State, limit: Limit, now: Time) -> &'static str {
    rules::deadlines(s)
        .iter()
        .find(|d| d.limit == limit)
        .map_or("none", |d| d.state(now).key())
}

pub fn case_json<'a>(case: &'a Case, s: &State, now: Time) -> CaseJson<'a> {
    let c = &case.classification;
    let d = &case.deadlines;
    let t = |t: Option<Time>| t.as_ref().map(rfc3339);
    CaseJson {
        id: &case.id,
        status: case.status.key(),
        level: c.level.map(|l| l.key()),
        category: c.category.as_deref(),
        department: c.department.as_deref(),
        received_at: rfc3339(&case.received_at),
        channel: &case.channel,
        customer: &case.customer,
        summary: &case.complaint.summary,
        complaint: &case.complaint,
        external: case.external,
        source_ref: case.source_ref.as_deref(),
        deadlines: DeadlinesJson {
            classify: t(d.classify),
            handoff: t(d.handoff),
            first_reply: t(d.first_reply),
            close: t(d.close),
            confirm: t(d.confirm),
            customer_answer: t(d.customer_answer),
            promise: t(s.promise),
        },
        deadline_states: {
            let found = rules::deadlines(s);
            Limit::ALL
                .iter()
                .map(|l| {
                    let state = found
                        .iter()
                        .find(|d| d.limit == *l)
                        .map_or("none", |d| d.state(now).key());
                    (l.key(), state)
                })
                .collect()
        },
        overdue: rules::overdue(s, now).into_iter().map(Limit::key).collect(),
        close_kind: case.close_kind.map(|k| k.key()),
        close_request: s
            .pending
            .and_then(|p| case.events.get(p.index))
            .map(|e| CloseRequestJson {
                requested_at: rfc3339(&e.at),
                from: e.from.as_deref(),
                resolution: e.resolution.as_deref(),
                remedy: e.remedy.as_deref(),
                cause: e.cause.as_deref(),
                countermeasure: e.countermeasure.as_deref(),
                confirm_by: t(e.confirm_due),
                confirm_state: deadline_state(s, Limit::Confirm, now),
            }),
        irrational: c.irrational.map(|k| k.key()),
        follow_up: c.follow_up.map(|k| k.key()),
        events: &case.events,
    }
}

/// A summary for a table row: an external complaint (投訴) is marked first, so the
/// clerk sees it on the agenda and in every list (SPEC §10.3).
pub fn row_summary(case: &Case, width: usize) -> String {
    let summary = clip(&case.complaint.summary, width);
    if case.external {
        format!("[投訴] {summary}")
    } else {
        summary
    }
}

/// Pad to `width` terminal columns (a CJK character takes two).
pub fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

/// Cut text to `n` characters for a table cell.
pub fn clip(text: &str, n: usize) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > n || line.len() < text.len() {
        format!("{}…", line.chars().take(n).collect::<String>())
    } else {
        line.to_string()
    }
}

/// The case page of `kefu show`.
pub fn case_page(case: &Case, s: &State, cfg: &Config, now: Time) -> String {
    let mut out = String::new();
    let c = &case.classification;
    let _ = writeln!(
        out,
        "{}  {}  [{} {}]",
        case.id,
        case.customer.name,
        case.status.label(),
        case.status
    );
    let mut field = |name: &str, value: String| {
        if !value.is_empty() {
            // A name as long as the column still gets a space after it.
            let _ = writeln!(out, "  {:<12}{value}", format!("{name} "));
        }
    };
    field("contact", case.customer.contact.clone().unwrap_or_default());
    field(
        "received",
        format!(
            "{} via {}",
            local(cfg, case.received_at),
            cfg.label(&cfg.channels, &case.channel)
        ),
    );
    field("summary", case.complaint.summary.clone());
    field("details", case.complaint.details.clone().unwrap_or_default());
    field("product", case.complaint.product.clone().unwrap_or_default());
    field("order", case.complaint.order.clone().unwrap_or_default());
    field(
        "request",
        case.complaint
            .request
            .as_deref()
            .map(|r| format!("{r} {}", cfg.label(&cfg.requests, r)))
            .unwrap_or_default(),
    );
    field(
        "category",
        c.category
            .as_deref()
            .map(|k| format!("{k} {}", cfg.label(&cfg.categories, k)))
            .unwrap_or_default(),
    );
    field(
        "level",
        c.level
            .map(|l| format!("{} {}", l.key(), cfg.level_label(l)))
            .unwrap_or_default(),
    );
    field(
        "department",
        c.department
            .as_deref()
            .map(|k| format!("{k} {}", cfg.department_label(k)))
            .unwrap_or_default(),
    );
    field(
        "irrational",
        c.irrational
            .map(|i| format!("{i} ({})", c.follow_up.map_or("", |f| f.key())))
            .unwrap_or_default(),
    );
    field(
        "external",
        if case.external {
            "yes — 投訴, taken outside the shop".into()
        } else {
            String::new()
        },
    );
    field(
        "closed",
        case.close_kind.map(|k| format!("{k}-time close")).unwrap_or_default(),
    );
    if let Some(e) = s.pending.and_then(|p| case.events.get(p.index)) {
        let confirm = rules::deadlines(s).into_iter().find(|d| d.limit == Limit::Confirm);
        field(
            "close asked",
            format!(
                "{} by {}: {} ({}) — call the customer back by {}, {}",
                local(cfg, e.at),
                e.from.as_deref().map_or("?", |d| cfg.department_label(d)),
                e.resolution.as_deref().unwrap_or_default(),
                e.remedy.as_deref().unwrap_or_default(),
                confirm.map(|d| local(cfg, d.due)).unwrap_or_default(),
                confirm.map(|d| d.describe(now)).unwrap_or_default()
            ),
        );
    }
    // The latest root cause and countermeasure recorded with a close or its request.
    if let Some(e) = case
        .events
        .iter()
        .rev()
        .find(|e| e.cause.is_some() || e.countermeasure.is_some())
    {
        field("cause", e.cause.clone().unwrap_or_default());
        field("countermeasure", e.countermeasure.clone().unwrap_or_default());
    }
    field("source", case.source_ref.clone().unwrap_or_default());
    let deadlines = rules::deadlines(s);
    if !deadlines.is_empty() {
        let _ = writeln!(out, "\nDeadlines");
        for d in deadlines {
            let _ = writeln!(
                out,
                "  {:<24}{}  {}",
                d.limit.label(),
                local(cfg, d.due),
                d.describe(now)
            );
        }
    }
    let _ = writeln!(out, "\nTimeline");
    for (i, e) in case.events.iter().enumerate() {
        let _ = writeln!(
            out,
            // Wide enough for the longest kind, close_request.
            "  {:>2}. {}  {:<14}{}  {}{}",
            i + 1,
            local(cfg, e.at),
            e.kind.key(),
            e.actor,
            describe_event(e, cfg),
            if e.conflict {
                "  [衝突 conflict: recorded in another clone, refused in the merged order; ignored]"
            } else {
                ""
            }
        );
    }
    out
}

/// One line saying what an event did.
pub fn describe_event(e: &Event, cfg: &Config) -> String {
    let dept = |k: &Option<String>| {
        k.as_deref()
            .map(|k| cfg.department_label(k).to_string())
            .unwrap_or_default()
    };
    let mut s = match e.kind {
        EventKind::Intake => "received".to_string(),
        EventKind::Classify => format!(
            "{} / {} / {}{}",
            e.category
                .as_deref()
                .map(|k| cfg.label(&cfg.categories, k))
                .unwrap_or_default(),
            e.level.map(|l| cfg.level_label(l)).unwrap_or_default(),
            dept(&e.department),
            e.follow_up.map(|f| format!(" ({f})")).unwrap_or_default()
        ),
        EventKind::Handoff => format!("to {} (receiver {})", dept(&e.to), e.receiver.as_deref().unwrap_or("?")),
        EventKind::Ack => format!("signed by {}", e.by.as_deref().unwrap_or("?")),
        EventKind::Note => clip(e.text.as_deref().unwrap_or_default(), 60),
        EventKind::Reply => {
            let from = e.from.as_deref().unwrap_or_default();
            let who = if from == crate::case::CUSTOMER_SERVICE {
                "customer service".to_string()
            } else {
                cfg.department_label(from).to_string()
            };
            format!(
                "{who}{}{}: {}{}",
                if e.first { " (first reply)" } else { "" },
                match (e.to_customer, e.written) {
                    (true, true) => " → customer, in writing",
                    (true, false) => " → customer",
                    _ => "",
                },
                clip(e.text.as_deref().unwrap_or_default(), 60),
                e.promise
                    .map(|p| format!(" [call back by {}]", local(cfg, p)))
                    .unwrap_or_default()
            )
        }
        EventKind::CloseRequest => format!(
            "close requested by {}: {} ({}); call back by {}",
            dept(&e.from),
            clip(e.resolution.as_deref().unwrap_or_default(), 40),
            e.remedy.as_deref().unwrap_or_default(),
            e.confirm_due.map(|t| local(cfg, t)).unwrap_or_default()
        ),
        EventKind::Close if e.confirms.is_some() => format!(
            "{}, request of {}{}{}",
            match e.close_kind {
                Some(kind) => format!("customer called back: {kind}-time close"),
                None => "customer called back, not satisfied: the close request is void".to_string(),
            },
            e.requested_at.map(|t| local(cfg, t)).unwrap_or_default(),
            e.by.as_deref()
                .map(|b| match e.close_kind {
                    Some(_) => format!(", approved by {b}"),
                    None => format!(", called back by {b}"),
                })
                .unwrap_or_default(),
            if e.late_confirm { ", confirmed late" } else { "" }
        ),
        EventKind::Close => match e.close_kind {
            Some(kind) => format!(
                "{kind}-time close, requested {}: {} ({}){}",
                e.requested_at.map(|t| local(cfg, t)).unwrap_or_default(),
                clip(e.resolution.as_deref().unwrap_or_default(), 40),
                e.remedy.as_deref().unwrap_or_default(),
                if e.late_confirm { ", confirmed late" } else { "" }
            ),
            None => format!(
                "close refused by the customer: {}",
                clip(e.resolution.as_deref().unwrap_or_default(), 40)
            ),
        },
        EventKind::Escalate => format!(
            "close deadline missed → {} (new deadline {})",
            e.level.map_or("", |l| cfg.level_label(l)),
            e.close_due.map(|t| local(cfg, t)).unwrap_or_default()
        ),
        EventKind::Penalty => format!(
            "penalty {} to {} ({})",
            e.amount.unwrap_or(0),
            dept(&e.department),
            e.reason.as_deref().unwrap_or_default()
        ),
        EventKind::Cancel => format!(
            "cancels event {}: {}",
            e.cancels.as_deref().unwrap_or_default(),
            e.reason.as_deref().unwrap_or_default()
        ),
        EventKind::Defer | EventKind::Reject | EventKind::Reopen => clip(e.reason.as_deref().unwrap_or_default(), 60),
    };
    if let Some(note) = &e.note {
        let _ = write!(s, " — {}", clip(note, 40));
    }
    s
}

/// The handling form 《客戶抱怨處理書》 for the department, as Markdown.
pub fn handling_form(case: &Case, cfg: &Config) -> String {
    let c = &case.classification;
    let d = &case.deadlines;
    let dept = case
        .events
        .iter()
        .rev()
        .find(|e| e.kind == EventKind::Handoff && !e.conflict);
    let to = dept.and_then(|e| e.to.as_deref()).unwrap_or_default();
    let when = |t: Option<Time>| t.map_or_else(|| "—".to_string(), |t| local(cfg, t));
    let mut out = String::new();
    let _ = writeln!(out, "# 客戶抱怨處理書 — complaint handling form\n");
    let rows = [
        ("案件 Case", case.id.clone()),
        (
            "受理時間 Received",
            format!(
                "{} ({})",
                local(cfg, case.received_at),
                cfg.label(&cfg.channels, &case.channel)
            ),
        ),
        ("客戶 Customer", case.customer.name.clone()),
        (
            "聯繫方式 Contact",
            case.customer.contact.clone().unwrap_or_else(|| "—".into()),
        ),
        (
            "產品 Product",
            case.complaint.product.clone().unwrap_or_else(|| "—".into()),
        ),
        ("訂單 Order", case.complaint.order.clone().unwrap_or_else(|| "—".into())),
        (
            "抱怨類別 Category",
            c.category
                .as_deref()
                .map(|k| cfg.label(&cfg.categories, k).to_string())
                .unwrap_or_default(),
        ),
        (
            "抱怨級別 Level",
            c.level.map(|l| cfg.level_label(l).to_string()).unwrap_or_default(),
        ),
        (
            "投訴 External",
            if case.external {
                "是 yes".into()
            } else {
                "否 no".into()
            },
        ),
        ("執行部門 Department", cfg.department_label(to).to_string()),
        (
            "接收人 Receiver",
            dept.and_then(|e| e.receiver.clone()).unwrap_or_default(),
        ),
        ("簽收時限 Sign by", when(d.handoff)),
        ("首次回復 First reply", "簽收後 within the limit after signing".into()),
        ("關閉時限 Close by", when(d.close)),
    ];
    let _ = writeln!(out, "| | |\n|---|---|");
    for (k, v) in rows {
        let _ = writeln!(out, "| {k} | {} |", v.replace('|', "\\|"));
    }
    let _ = writeln!(out, "\n## 抱怨內容 What happened\n\n{}\n", case.complaint.summary);
    if let Some(details) = &case.complaint.details {
        let _ = writeln!(out, "{details}\n");
    }
    let request = case
        .complaint
        .request
        .as_deref()
        .map(|r| cfg.label(&cfg.requests, r).to_string())
        .unwrap_or_else(|| "—".into());
    let _ = writeln!(out, "## 客戶要求 What the customer asks\n\n{request}\n");
    if let Some(note) = dept.and_then(|e| e.note.as_deref()) {
        let _ = writeln!(out, "## 備註 Note\n\n{note}\n");
    }
    if c.irrational.is_some() {
        let _ = writeln!(
            out,
            "## 非理性抱怨 Irrational complaint\n\nFollow-up by the department manager: {}\n",
            c.follow_up.map_or("", |f| f.key())
        );
    }
    let _ = writeln!(
        out,
        "## 部門回復 Department's reply\n\n\n\n簽收 Signed: ____________   日期 Date: ____________"
    );
    out
}
