//! The regulation's documents (seed 000 §7.2, §7.6–7.9; SPEC §11): the weekly penalty
//! circular, a penalty notice, the receiver table. Their numbers, computed from the
//! cases; `documents_view` words them for people, `--json` prints them as they are.

use serde::Serialize;

use crate::domain::case::{Case, EventKind};
use crate::domain::config::Config;
use crate::domain::penalty::{self, PenaltyState};
use crate::domain::time::{Time, serde_time};
use crate::output::i18n::tr;

pub const CIRCULAR_TITLE: &str = "執行部門抱怨閉環處理處罰通報";
pub const NOTICE_TITLE: &str = "客戶抱怨閉環處理處罰通知單";
/// The notice of a monthly penalty (seed 7.6.3.2).
pub const FINE_NOTICE_TITLE: &str = "客戶抱怨閉環處理罰款通知單";
pub const RECEIVERS_TITLE: &str = "客戶抱怨移交接收人確認表";

/// 《執行部門抱怨閉環處理處罰通報》: the penalties issued in the week and confirmed for
/// execution at `now` (seed 7.8), refunds of executed penalties cancelled in the week,
/// totals per department.
#[derive(Clone, Debug, Serialize)]
pub struct Circular {
    pub week: String,
    #[serde(serialize_with = "serde_time::serialize")]
    pub from: Time,
    #[serde(serialize_with = "serde_time::serialize")]
    pub to: Time,
    pub penalties: Vec<CircularLine>,
    pub refunds: Vec<RefundLine>,
    pub departments: Vec<DepartmentTotal>,
    /// Penalties minus refunds.
    pub total: i64,
    /// Who it is sent to (`[circular] to`).
    pub distribution: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CircularLine {
    pub pid: String,
    pub case: String,
    pub department: String,
    pub level: String,
    pub reason: String,
    pub amount: i64,
    #[serde(serialize_with = "serde_time::serialize")]
    pub at: Time,
    #[serde(serialize_with = "serde_time::serialize")]
    pub issued: Time,
    pub state: PenaltyState,
    /// A monthly penalty: its reason is worded as one for people.
    #[serde(skip)]
    pub monthly: bool,
}

/// An executed penalty cancelled in the week: the amount goes back (negative).
#[derive(Clone, Debug, Serialize)]
pub struct RefundLine {
    pub pid: String,
    pub case: String,
    pub department: String,
    pub amount: i64,
    /// When the cancellation was issued.
    #[serde(serialize_with = "serde_time::serialize")]
    pub cancelled: Time,
    /// The `at` of the penalty refunded.
    #[serde(serialize_with = "serde_time::serialize")]
    pub at: Time,
}

#[derive(Clone, Debug, Serialize)]
pub struct DepartmentTotal {
    pub department: String,
    pub penalties: u64,
    pub amount: i64,
    pub refunds: i64,
    pub total: i64,
}

fn signed(amount: u64) -> i64 {
    i64::try_from(amount).unwrap_or(i64::MAX)
}

impl Circular {
    pub fn new(cfg: &Config, week: String, from: Time, to: Time) -> Circular {
        Circular {
            week,
            from,
            to,
            penalties: Vec::new(),
            refunds: Vec::new(),
            departments: cfg
                .departments
                .iter()
                .map(|d| DepartmentTotal {
                    department: d.key.clone(),
                    penalties: 0,
                    amount: 0,
                    refunds: 0,
                    total: 0,
                })
                .collect(),
            total: 0,
            distribution: cfg.circular_to.clone(),
        }
    }

    /// Whether a case can add a line: it has a penalty (the scan passes the others over).
    pub fn add(&mut self, case: &Case) {
        let within = |t: Time| self.from <= t && t < self.to;
        for p in penalty::ledger(&case.events) {
            let dept = p.event.department.clone().unwrap_or_default();
            if within(p.issued()) && p.state.is_confirmed() {
                self.penalties.push(CircularLine {
                    pid: penalty::pid(&case.id, p.n),
                    case: case.id.clone(),
                    department: dept.clone(),
                    level: p.event.level.map_or("", |l| l.key()).to_string(),
                    reason: p.event.reason.clone().unwrap_or_default(),
                    amount: signed(p.amount()),
                    at: p.event.at,
                    issued: p.issued(),
                    state: p.state,
                    monthly: p.event.monthly,
                });
            }
            if let Some(cancel) = p.cancel.filter(|_| p.refund()) {
                let cancelled = cancel.issued.unwrap_or(cancel.at);
                if within(cancelled) {
                    self.refunds.push(RefundLine {
                        pid: penalty::pid(&case.id, p.n),
                        case: case.id.clone(),
                        department: dept,
                        amount: -signed(p.amount()),
                        cancelled,
                        at: p.event.at,
                    });
                }
            }
        }
    }

    /// Sort the lines and add up the totals.
    pub fn finish(mut self) -> Circular {
        self.penalties
            .sort_by(|a, b| (a.issued, &a.case, &a.pid).cmp(&(b.issued, &b.case, &b.pid)));
        self.refunds
            .sort_by(|a, b| (a.cancelled, &a.case, &a.pid).cmp(&(b.cancelled, &b.case, &b.pid)));
        let row = |departments: &mut Vec<DepartmentTotal>, key: &str| -> usize {
            match departments.iter().position(|d| d.department == key) {
                Some(i) => i,
                None => {
                    departments.push(DepartmentTotal {
                        department: key.to_string(),
                        penalties: 0,
                        amount: 0,
                        refunds: 0,
                        total: 0,
                    });
                    departments.len() - 1
                }
            }
        };
        for l in &self.penalties {
            let i = row(&mut self.departments, &l.department);
            let d = &mut self.departments[i];
            d.penalties += 1;
            d.amount = d.amount.saturating_add(l.amount);
        }
        for r in &self.refunds {
            let i = row(&mut self.departments, &r.department);
            let d = &mut self.departments[i];
            d.refunds = d.refunds.saturating_add(r.amount);
        }
        for d in &mut self.departments {
            d.total = d.amount.saturating_add(d.refunds);
        }
        self.total = self.departments.iter().map(|d| d.total).sum();
        self
    }
}

/// 《客戶抱怨閉環處理處罰通知單》 (or 《…罰款通知單》 for the monthly repeat): one penalty,
/// issued to its department.
#[derive(Clone, Debug, Serialize)]
pub struct Notice {
    pub title: &'static str,
    pub pid: String,
    pub case: String,
    pub customer: String,
    pub summary: String,
    #[serde(serialize_with = "serde_time::serialize")]
    pub received_at: Time,
    pub category: Option<String>,
    pub department: String,
    pub receiver: Option<String>,
    pub level: String,
    pub monthly: bool,
    pub reason: String,
    pub amount: u64,
    #[serde(serialize_with = "serde_time::serialize")]
    pub at: Time,
    #[serde(serialize_with = "serde_time::serialize")]
    pub issued: Time,
    pub state: PenaltyState,
}

pub fn notice(case: &Case, cfg: &Config, p: &penalty::Entry) -> Notice {
    let department = p.event.department.clone().unwrap_or_default();
    Notice {
        title: if p.event.monthly {
            FINE_NOTICE_TITLE
        } else {
            NOTICE_TITLE
        },
        pid: penalty::pid(&case.id, p.n),
        case: case.id.clone(),
        customer: case.customer.name.clone(),
        summary: case.complaint.summary.clone(),
        received_at: case.received_at,
        category: case.classification.category.clone(),
        receiver: cfg
            .departments
            .iter()
            .find(|d| d.key == department)
            .map(|d| d.receiver.clone()),
        department,
        level: p.event.level.map_or("", |l| l.key()).to_string(),
        monthly: p.event.monthly,
        reason: p.event.reason.clone().unwrap_or_default(),
        amount: p.amount(),
        at: p.event.at,
        issued: p.issued(),
        state: p.state,
    }
}

/// 《客戶抱怨移交接收人確認表》: each department's named receiver, to be signed.
#[derive(Clone, Debug, Serialize)]
pub struct Receivers {
    pub departments: Vec<ReceiverRow>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReceiverRow {
    pub department: String,
    pub label: String,
    pub receiver: String,
}

pub fn receivers(cfg: &Config) -> Receivers {
    Receivers {
        departments: cfg
            .departments
            .iter()
            .map(|d| ReceiverRow {
                department: d.key.clone(),
                label: d.label.clone(),
                receiver: d.receiver.clone(),
            })
            .collect(),
    }
}

/// Whether a case holds a penalty at all (lets a scan skip the rest cheaply).
pub fn has_penalty(case: &Case) -> bool {
    case.events.iter().any(|e| e.kind == EventKind::Penalty)
}

/// The letter to the customer (seed 002 §3.6) from `[templates] letter`: each
/// `{path}` is the case's JSON field at that dotted path (`{customer.name}`), `{{` and
/// `}}` are literal braces. Times print in the shop's local form, the keys of
/// category, department, channel, level and request as their labels, a null as
/// nothing. An unknown field is a config error naming it.
pub fn letter(template: &str, case: &serde_json::Value, cfg: &Config) -> anyhow::Result<String> {
    fill("[templates] letter", template, case, cfg)
}

/// Fill `{path}` placeholders of `template` (named `name` in errors) from a case's JSON.
pub fn fill(name: &str, template: &str, case: &serde_json::Value, cfg: &Config) -> anyhow::Result<String> {
    let err = |what: String| anyhow::anyhow!("config/kefu.toml: {name}: {what}");
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(t) = tail.strip_prefix("{{") {
            out.push('{');
            rest = t;
            continue;
        }
        if let Some(t) = tail.strip_prefix("}}") {
            out.push('}');
            rest = t;
            continue;
        }
        if tail.starts_with('}') {
            return Err(err(tr("tpl_lone_close", &[])));
        }
        let end = tail.find('}').ok_or_else(|| err(tr("tpl_unclosed", &[])))?;
        let key = &tail[1..end];
        let value = key
            .split('.')
            .try_fold(case, |v, part| v.get(part))
            .filter(|v| !v.is_array() && !v.is_object())
            .ok_or_else(|| err(tr("tpl_unknown", &[("key", &format!("{{{key}}}"))])))?;
        out.push_str(&letter_value(key, value, cfg));
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn letter_value(key: &str, v: &serde_json::Value, cfg: &Config) -> String {
    let text = match v {
        serde_json::Value::Null => return String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => return other.to_string(),
    };
    match key {
        "category" => cfg.label(&cfg.categories, &text).to_string(),
        "department" => cfg.department_label(&text).to_string(),
        "channel" => cfg.label(&cfg.channels, &text).to_string(),
        "complaint.request" => cfg.label(&cfg.requests, &text).to_string(),
        "level" => cfg
            .level("level", &text)
            .map_or(text.clone(), |l| cfg.level_label(l).to_string()),
        _ => match chrono::DateTime::parse_from_rfc3339(&text) {
            Ok(t) => crate::output::render::local(cfg, t),
            Err(_) => text,
        },
    }
}
