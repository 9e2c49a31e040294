//! Rendering for people and scripts: tables, the case page, JSON views. The only code
//! that formats output.

use std::fmt::Write as _;

use comfy_table::{Cell, ContentArrangement, LineStyle, Table, TableStyle};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::domain::case::{Case, Complaint, Customer, Event, EventKind, State};
use crate::domain::config::Config;
use crate::domain::rules::{self, Limit};
use crate::domain::time::{Time, rfc3339};
use crate::output::i18n::{Lang, t as t_};

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

/// A fixed word for people: its key in English, its label in Chinese (mapped to
/// Simplified for zh-Hans).
pub fn word(lang: Lang, key: &str, hant: &str) -> String {
    match lang {
        Lang::En => key.to_string(),
        _ => lang.zh(hant),
    }
}

/// A configured value on the case page: the shop's label, and in English the key a
/// script would use before it (`quality Product quality`) unless they are the same word.
fn keyed(lang: Lang, key: &str, label: &str) -> String {
    match lang {
        Lang::En if !key.eq_ignore_ascii_case(label) => format!("{key} {label}"),
        Lang::En => key.to_string(),
        _ => label.to_string(),
    }
}

/// Where a deadline stands, in the clerk's language.
pub fn deadline_words(lang: Lang, d: &rules::Deadline, now: Time) -> String {
    let human = crate::domain::time::human;
    let (key, t) = match d.state(now) {
        rules::DeadlineState::Met => ("met", String::new()),
        rules::DeadlineState::MetLate => ("met_late", human(d.action.unwrap_or(now) - d.due)),
        rules::DeadlineState::Missed => ("missed", String::new()),
        rules::DeadlineState::Stopped => ("stopped", String::new()),
        rules::DeadlineState::Overdue => ("overdue_by", human(now - d.due)),
        rules::DeadlineState::Due => ("due_in", human(d.due - now)),
    };
    t_(lang, key, &[("t", &t)])
}

/// A time limit's name in the clerk's language: `移交簽收` or `handoff` (the
/// labels hold both, Chinese first).
pub fn limit_words(lang: Lang, limit: Limit) -> String {
    let (zh, en) = limit.label().split_once(' ').unwrap_or((limit.label(), limit.key()));
    match lang {
        Lang::En => en.to_string(),
        _ => lang.zh(zh),
    }
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
    let lang = cfg.lang;
    let _ = writeln!(
        out,
        "{}  {}  [{}]",
        case.id,
        case.customer.name,
        word(lang, case.status.key(), case.status.label())
    );
    let mut field = |name: &str, value: String| {
        if !value.is_empty() {
            // A name as long as the column still gets a space after it.
            let name = t_(lang, &format!("f_{}", name.replace(' ', "_")), &[]);
            let _ = writeln!(out, "  {}{value}", pad(&format!("{name} "), 12));
        }
    };
    field("contact", case.customer.contact.clone().unwrap_or_default());
    field(
        "received",
        t_(
            lang,
            "f_via",
            &[
                ("t", &local(cfg, case.received_at)),
                ("channel", cfg.label(&cfg.channels, &case.channel)),
            ],
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
            .map(|r| keyed(lang, r, cfg.label(&cfg.requests, r)))
            .unwrap_or_default(),
    );
    field(
        "category",
        c.category
            .as_deref()
            .map(|k| keyed(lang, k, cfg.label(&cfg.categories, k)))
            .unwrap_or_default(),
    );
    field(
        "level",
        c.level
            .map(|l| keyed(lang, l.key(), cfg.level_label(l)))
            .unwrap_or_default(),
    );
    field(
        "department",
        c.department
            .as_deref()
            .map(|k| keyed(lang, k, cfg.department_label(k)))
            .unwrap_or_default(),
    );
    field(
        "irrational",
        c.irrational
            .map(|i| {
                let mode = c.follow_up.map_or(String::new(), |f| word(lang, f.key(), f.label()));
                t_(lang, &format!("irrational_{i}"), &[("mode", &mode)])
            })
            .unwrap_or_default(),
    );
    field(
        "external",
        if case.external {
            t_(lang, "external_yes", &[])
        } else {
            String::new()
        },
    );
    field(
        "closed",
        case.close_kind
            .map(|k| t_(lang, &format!("closed_kind_{k}"), &[]))
            .unwrap_or_default(),
    );
    if let Some(e) = s.pending.and_then(|p| case.events.get(p.index)) {
        let confirm = rules::deadlines(s).into_iter().find(|d| d.limit == Limit::Confirm);
        field(
            "close asked",
            t_(
                lang,
                "close_asked",
                &[
                    ("t", &local(cfg, e.at)),
                    ("dept", e.from.as_deref().map_or("?", |d| cfg.department_label(d))),
                    ("resolution", e.resolution.as_deref().unwrap_or_default()),
                    (
                        "remedy",
                        &e.remedy
                            .as_deref()
                            .map(|k| {
                                crate::domain::case::Remedy::from_text(k)
                                    .map_or(k.to_string(), |r| word(lang, r.key(), r.label()))
                            })
                            .unwrap_or_default(),
                    ),
                    ("due", &confirm.map(|d| local(cfg, d.due)).unwrap_or_default()),
                    (
                        "state",
                        &confirm.map(|d| deadline_words(lang, &d, now)).unwrap_or_default(),
                    ),
                ],
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
        let _ = writeln!(out, "\n{}", t_(lang, "deadlines", &[]));
        for d in deadlines {
            let _ = writeln!(
                out,
                "  {}{}  {}",
                pad(&limit_words(lang, d.limit), 18),
                local(cfg, d.due),
                deadline_words(lang, &d, now)
            );
        }
    }
    let _ = writeln!(out, "\n{}", t_(lang, "timeline", &[]));
    // Actors are padded by display width, so the descriptions line up under CJK names.
    let actors = case.events.iter().map(|e| e.actor.width()).max().unwrap_or(0);
    for (i, e) in case.events.iter().enumerate() {
        let _ = writeln!(
            out,
            // Wide enough for the longest kinds, close_request and penalty_confirm.
            "  {:>2}. {}  {}{}  {}{}",
            i + 1,
            local(cfg, e.at),
            pad(&t_(lang, &format!("k_{}", e.kind.key()), &[]), 16),
            pad(&e.actor, actors),
            describe_event(e, &case.events, cfg),
            if e.conflict {
                format!("  [{}]", t_(lang, "conflict_mark", &[]))
            } else {
                String::new()
            }
        );
    }
    out
}

/// What an edit changed, one `field: old → new` line per field (empty shown as `-`).
/// Field names are the case file's in English (as commit messages keep them), the
/// page's in Chinese.
pub fn edit_changes(e: &Event, lang: Lang) -> String {
    let (Some(old), Some(new)) = (&e.old, &e.new) else {
        return String::new();
    };
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into()).replace('\n', "⏎");
    let time = |t: &Option<Time>| t.map_or_else(|| "-".to_string(), |t| crate::domain::time::rfc3339(&t));
    let mut lines = Vec::new();
    let name = |field: &str| match lang {
        Lang::En => field.to_string(),
        _ => t_(lang, &format!("f_{}", field.trim_end_matches("_at")), &[]),
    };
    for (field, a, b) in [
        ("name", &old.name, &new.name),
        ("contact", &old.contact, &new.contact),
        ("channel", &old.channel, &new.channel),
        ("summary", &old.summary, &new.summary),
        ("details", &old.details, &new.details),
        ("product", &old.product, &new.product),
        ("order", &old.order, &new.order),
        ("request", &old.request, &new.request),
    ] {
        if a.is_some() || b.is_some() {
            lines.push(format!("{}: {} → {}", name(field), show(a), show(b)));
        }
    }
    if old.received_at.is_some() || new.received_at.is_some() {
        lines.push(format!(
            "{}: {} → {}",
            name("received_at"),
            time(&old.received_at),
            time(&new.received_at)
        ));
    }
    lines.join("\n")
}

/// The repeat-customer line of `intake` and `show` (SPEC §10.11), when there are
/// earlier cases.
pub fn repeat_line(ids: &[String]) -> Option<String> {
    (!ids.is_empty()).then(|| {
        crate::output::i18n::tr(
            "repeat_customer",
            &[
                ("days", &crate::store::REPEAT_DAYS.to_string()),
                ("ids", &ids.join(", ")),
            ],
        )
    })
}

/// A penalty's reason for people, worded from its data in the reader's language
/// (SPEC §17.10): the case file holds a key, or in older files English text, never
/// shown as it is.
pub fn penalty_reason(e: &Event, cfg: &Config) -> String {
    reason_words(
        cfg,
        e.monthly,
        e.level.map_or("", |l| l.key()),
        e.missed.unwrap_or(e.at),
    )
}

/// The words of a penalty's reason: a monthly one, or the close deadline `missed` at
/// the level `level` (a key).
pub fn reason_words(cfg: &Config, monthly: bool, level: &str, missed: Time) -> String {
    if monthly {
        t_(cfg.lang, "reason_monthly", &[])
    } else {
        let level = cfg.level("level", level).map_or(level, |l| cfg.level_label(l));
        t_(
            cfg.lang,
            "reason_close",
            &[("t", &local(cfg, missed)), ("level", level)],
        )
    }
}

/// One line saying what an event did.
pub fn describe_event(e: &Event, events: &[Event], cfg: &Config) -> String {
    let dept = |k: &Option<String>| {
        k.as_deref()
            .map(|k| cfg.department_label(k).to_string())
            .unwrap_or_default()
    };
    let lang = cfg.lang;
    let tr = |key: &str, args: &[(&str, &str)]| t_(lang, key, args);
    let time = |t: Option<Time>| t.map(|t| local(cfg, t)).unwrap_or_default();
    let remedy = |r: &Option<String>| {
        let key = r.as_deref().unwrap_or_default();
        crate::domain::case::Remedy::from_text(key).map_or(key.to_string(), |r| word(lang, r.key(), r.label()))
    };
    let kind_words = |kind: Option<crate::domain::case::CloseKind>| match kind {
        Some(k) => tr(&format!("closed_kind_{k}"), &[]),
        None => String::new(),
    };
    let mut s = match e.kind {
        EventKind::Intake => tr("ev_received", &[]),
        EventKind::Classify => format!(
            "{} / {} / {}{}{}",
            e.category
                .as_deref()
                .map(|k| cfg.label(&cfg.categories, k))
                .unwrap_or_default(),
            e.level.map(|l| cfg.level_label(l)).unwrap_or_default(),
            dept(&e.department),
            e.follow_up
                .map(|f| format!(" ({})", word(lang, f.key(), f.label())))
                .unwrap_or_default(),
            match e.reason.as_deref() {
                Some(crate::domain::case::reason::REASSIGNED) => tr("ev_reassigned_from", &[("dept", &dept(&e.from))]),
                _ => String::new(),
            }
        ),
        EventKind::Handoff => tr(
            "ev_handoff",
            &[
                ("dept", &dept(&e.to)),
                ("receiver", e.receiver.as_deref().unwrap_or("?")),
            ],
        ),
        EventKind::Ack => format!(
            "{}{}",
            tr("ev_ack", &[("by", e.by.as_deref().unwrap_or("?"))]),
            match e.reason.as_deref() {
                Some(crate::domain::case::reason::SIGNED_BY_REPLY) => tr("ev_signed_by_reply", &[]),
                _ => String::new(),
            }
        ),
        EventKind::Note => clip(e.text.as_deref().unwrap_or_default(), 60),
        EventKind::Edit => format!(
            "{} ({})",
            clip(&edit_changes(e, lang).replace('\n', "; "), 80),
            e.reason.as_deref().unwrap_or_default()
        ),
        EventKind::Reply => {
            let from = e.from.as_deref().unwrap_or_default();
            let who = if from == crate::domain::case::CUSTOMER_SERVICE {
                tr("ev_customer_service", &[])
            } else {
                cfg.department_label(from).to_string()
            };
            format!(
                "{who}{}{}: {}{}",
                if e.first {
                    tr("ev_first_reply", &[])
                } else {
                    String::new()
                },
                match (e.to_customer, e.written) {
                    (true, true) => tr("ev_to_customer_written", &[]),
                    (true, false) => tr("ev_to_customer", &[]),
                    _ => String::new(),
                },
                clip(e.text.as_deref().unwrap_or_default(), 60),
                e.promise
                    .map(|p| tr("ev_promise", &[("t", &local(cfg, p))]))
                    .unwrap_or_default()
            )
        }
        EventKind::CloseRequest => tr(
            "ev_close_request",
            &[
                ("dept", &dept(&e.from)),
                ("resolution", &clip(e.resolution.as_deref().unwrap_or_default(), 40)),
                ("remedy", &remedy(&e.remedy)),
                ("t", &time(e.confirm_due)),
            ],
        ),
        EventKind::Close if e.confirms.is_some() => format!(
            "{}{}{}",
            match e.close_kind {
                Some(_) => tr(
                    "ev_confirmed",
                    &[("kind", &kind_words(e.close_kind)), ("t", &time(e.requested_at))],
                ),
                None => tr("ev_confirm_refused", &[("t", &time(e.requested_at))]),
            },
            e.by.as_deref()
                .map(|b| match e.close_kind {
                    Some(_) => tr("ev_approved_by", &[("by", b)]),
                    None => tr("ev_called_by", &[("by", b)]),
                })
                .unwrap_or_default(),
            if e.late_confirm {
                tr("ev_late", &[])
            } else {
                String::new()
            }
        ),
        EventKind::Close => match e.close_kind {
            Some(_) => format!(
                "{}{}",
                tr(
                    "ev_close",
                    &[
                        ("kind", &kind_words(e.close_kind)),
                        ("t", &time(e.requested_at)),
                        ("resolution", &clip(e.resolution.as_deref().unwrap_or_default(), 40)),
                        ("remedy", &remedy(&e.remedy)),
                    ],
                ),
                if e.late_confirm {
                    tr("ev_late", &[])
                } else {
                    String::new()
                }
            ),
            None => tr(
                "ev_close_refused",
                &[("resolution", &clip(e.resolution.as_deref().unwrap_or_default(), 40))],
            ),
        },
        EventKind::Escalate => tr(
            "ev_escalate",
            &[
                ("level", e.level.map_or("", |l| cfg.level_label(l))),
                ("t", &time(e.close_due)),
            ],
        ),
        EventKind::Penalty => tr(
            "ev_penalty",
            &[
                (
                    "amount",
                    &format!(
                        "{}{}",
                        crate::domain::penalty::ledger(events)
                            .iter()
                            .find(|p| p.event.id == e.id)
                            .map(|p| format!("P{} ", p.n))
                            .unwrap_or_default(),
                        e.amount.unwrap_or(0)
                    ),
                ),
                ("dept", &dept(&e.department)),
                ("reason", &penalty_reason(e, cfg)),
            ],
        ),
        EventKind::Cancel => {
            let reason = match e.reason.as_deref() {
                Some(crate::domain::case::reason::CLOSE_REQUESTED) => tr("reason_close_requested", &[]),
                other => other.unwrap_or_default().to_string(),
            };
            tr(
                "ev_cancel",
                &[("event", e.cancels.as_deref().unwrap_or_default()), ("reason", &reason)],
            )
        }
        EventKind::PenaltyConfirm | EventKind::PenaltyWaive | EventKind::PenaltyExecute => {
            let n = crate::domain::penalty::ledger(events)
                .iter()
                .find(|p| Some(&p.event.id) == e.penalty.as_ref())
                .map_or_else(|| e.penalty.clone().unwrap_or_default(), |p| format!("P{}", p.n));
            let what = match e.kind {
                EventKind::PenaltyConfirm => "confirmed",
                EventKind::PenaltyWaive => "waived",
                _ => "executed",
            };
            format!(
                "{}{}{}{}",
                tr(&format!("ev_penalty_{what}"), &[("n", &n)]),
                e.by.as_deref()
                    .map(|b| tr("ev_penalty_by", &[("by", b)]))
                    .unwrap_or_default(),
                e.reason
                    .as_deref()
                    .map(|r| format!(": {}", clip(r, 40)))
                    .unwrap_or_default(),
                e.reference
                    .as_deref()
                    .map(|r| tr("ev_penalty_ref", &[("ref", &clip(r, 30))]))
                    .unwrap_or_default()
            )
        }
        EventKind::Defer | EventKind::Reject | EventKind::Reopen => clip(e.reason.as_deref().unwrap_or_default(), 60),
    };
    if let Some(note) = &e.note {
        let _ = write!(s, " — {}", clip(note, 40));
    }
    s
}

/// The handling form's label–value rows.
fn form_rows(case: &Case, cfg: &Config) -> Vec<(String, String)> {
    let h = |key: &str| t_(cfg.lang, key, &[]);
    let c = &case.classification;
    let d = &case.deadlines;
    let dept = case
        .events
        .iter()
        .rev()
        .find(|e| e.kind == EventKind::Handoff && !e.conflict);
    let to = dept.and_then(|e| e.to.as_deref()).unwrap_or_default();
    let when = |t: Option<Time>| t.map_or_else(|| "—".to_string(), |t| local(cfg, t));
    vec![
        (h("fm_case"), case.id.clone()),
        (
            h("fm_received"),
            format!(
                "{} ({})",
                local(cfg, case.received_at),
                cfg.label(&cfg.channels, &case.channel)
            ),
        ),
        (h("fm_customer"), case.customer.name.clone()),
        (
            h("fm_contact"),
            case.customer.contact.clone().unwrap_or_else(|| "—".into()),
        ),
        (
            h("fm_product"),
            case.complaint.product.clone().unwrap_or_else(|| "—".into()),
        ),
        (
            h("fm_order"),
            case.complaint.order.clone().unwrap_or_else(|| "—".into()),
        ),
        (
            h("fm_category"),
            c.category
                .as_deref()
                .map(|k| cfg.label(&cfg.categories, k).to_string())
                .unwrap_or_default(),
        ),
        (
            h("fm_level"),
            c.level.map(|l| cfg.level_label(l).to_string()).unwrap_or_default(),
        ),
        (h("fm_external"), if case.external { h("fm_yes") } else { h("fm_no") }),
        (h("fm_department"), cfg.department_label(to).to_string()),
        (
            h("fm_receiver"),
            dept.and_then(|e| e.receiver.clone()).unwrap_or_default(),
        ),
        (h("fm_sign_by"), when(d.handoff)),
        (h("fm_first_reply"), h("fm_first_reply_limit")),
        (h("fm_close_by"), when(d.close)),
    ]
}

/// Label–value pairs of a printed form.
pub type Pairs = Vec<(String, String)>;

/// The handling form as rows and sections, for a printable page.
pub fn handling_form_parts(case: &Case, cfg: &Config) -> (Pairs, Pairs) {
    let c = &case.classification;
    let dept = case.events.iter().rev().find(|e| e.kind == EventKind::Handoff);
    let rows = form_rows(case, cfg).into_iter().collect();
    let h = |key: &str| t_(cfg.lang, key, &[]);
    let mut what = case.complaint.summary.clone();
    if let Some(details) = &case.complaint.details {
        what = format!("{what}\n{details}");
    }
    let request = request_label(case, cfg);
    let mut sections = vec![(h("fm_what"), what), (h("fm_asks"), request)];
    if let Some(note) = dept.and_then(|e| e.note.clone()) {
        sections.push((h("fm_note"), note));
    }
    if c.irrational.is_some() {
        sections.push((h("fm_irrational"), follow_up(c, cfg.lang)));
    }
    (rows, sections)
}

/// Who follows an irrational complaint up, and how.
fn follow_up(c: &crate::domain::case::Classification, lang: Lang) -> String {
    let mode = c.follow_up.map_or(String::new(), |f| word(lang, f.key(), f.label()));
    t_(lang, "fm_follow_up", &[("mode", &mode)])
}

/// What the customer asks for, as the shop labels it; `—` when not said.
fn request_label(case: &Case, cfg: &Config) -> String {
    case.complaint
        .request
        .as_deref()
        .map(|r| cfg.label(&cfg.requests, r).to_string())
        .unwrap_or_else(|| "—".into())
}

/// The handling form 《客戶抱怨處理書》 for the department, as Markdown.
pub fn handling_form(case: &Case, cfg: &Config) -> String {
    let h = |key: &str| t_(cfg.lang, key, &[]);
    let c = &case.classification;
    let dept = case.events.iter().rev().find(|e| e.kind == EventKind::Handoff);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", h("fm_title"));
    let _ = writeln!(out, "| | |\n|---|---|");
    for (k, v) in form_rows(case, cfg) {
        let _ = writeln!(out, "| {k} | {} |", v.replace('|', "\\|"));
    }
    let _ = writeln!(out, "\n## {}\n\n{}\n", h("fm_what"), case.complaint.summary);
    if let Some(details) = &case.complaint.details {
        let _ = writeln!(out, "{details}\n");
    }
    let request = request_label(case, cfg);
    let _ = writeln!(out, "## {}\n\n{request}\n", h("fm_asks"));
    if let Some(note) = dept.and_then(|e| e.note.as_deref()) {
        let _ = writeln!(out, "## {}\n\n{note}\n", h("fm_note"));
    }
    if c.irrational.is_some() {
        let _ = writeln!(out, "## {}\n\n{}\n", h("fm_irrational"), follow_up(c, cfg.lang));
    }
    let _ = writeln!(
        out,
        "## {}\n\n\n\n{}: ____________   {}: ____________",
        h("fm_reply"),
        h("fm_signed"),
        h("fm_date")
    );
    out
}
