//! The penalty ledger (SPEC §11.1, §17.17): a penalty's life after the rules issue it.
//!
//! A penalty event (derived, SPEC §4) is `issued`; people then confirm or waive it, and
//! a confirmed one is executed (考核兌現: 綜合管理部 declares, 財務部 executes). The
//! decisions are people's events in the same case file, each naming the penalty event
//! by its id, so the ledger is read from the event log like everything else. A
//! cancellation (derived, when a later fact voids the penalty) ends it from any state;
//! one cancelled after its execution owes a refund.
//!
//! Users name a penalty `<case id>/P<n>`: the n-th penalty event of the case, counted
//! from 1 in log order. Penalty events are never removed (a void one is cancelled by a
//! new event), so the number of a penalty never changes.

use serde::Serialize;

use crate::domain::case::{Case, Event, EventKind};
use crate::domain::time::{Time, serde_time};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PenaltyState {
    Issued,
    Confirmed,
    Waived,
    Executed,
    Cancelled,
}

impl PenaltyState {
    pub const ALL: [PenaltyState; 5] = [
        PenaltyState::Issued,
        PenaltyState::Confirmed,
        PenaltyState::Waived,
        PenaltyState::Executed,
        PenaltyState::Cancelled,
    ];

    pub fn key(self) -> &'static str {
        match self {
            PenaltyState::Issued => "issued",
            PenaltyState::Confirmed => "confirmed",
            PenaltyState::Waived => "waived",
            PenaltyState::Executed => "executed",
            PenaltyState::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PenaltyState::Issued => "已開出",
            PenaltyState::Confirmed => "已確定",
            PenaltyState::Waived => "已免除",
            PenaltyState::Executed => "已兌現",
            PenaltyState::Cancelled => "已撤銷",
        }
    }

    pub fn parse(text: &str) -> anyhow::Result<PenaltyState> {
        PenaltyState::ALL
            .into_iter()
            .find(|s| s.key() == text || s.label() == text)
            .ok_or_else(|| {
                let all = PenaltyState::ALL.iter().map(|s| (s.key(), s.label()));
                anyhow::anyhow!("{}", crate::output::i18n::unknown("penalty state", text, all))
            })
    }

    /// Confirmed for execution (所有確定執行的考核): what the circular counts.
    pub fn is_confirmed(self) -> bool {
        matches!(self, PenaltyState::Confirmed | PenaltyState::Executed)
    }
}

impl std::fmt::Display for PenaltyState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// One penalty of a case with its decisions.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    /// 1-based among the case's penalty events.
    pub n: usize,
    pub event: &'a Event,
    pub state: PenaltyState,
    pub confirmed: Option<&'a Event>,
    pub waived: Option<&'a Event>,
    pub executed: Option<&'a Event>,
    pub cancel: Option<&'a Event>,
}

impl Entry<'_> {
    /// Cancelled after it was executed: the department gets the amount back.
    pub fn refund(&self) -> bool {
        self.cancel.is_some() && self.executed.is_some()
    }

    pub fn amount(&self) -> u64 {
        self.event.amount.unwrap_or(0)
    }

    /// Where the books place the penalty (SPEC §17.3).
    pub fn issued(&self) -> Time {
        self.event.issued.unwrap_or(self.event.at)
    }
}

/// Every penalty of a log, in log order.
pub fn ledger(events: &[Event]) -> Vec<Entry<'_>> {
    let mut out: Vec<Entry> = Vec::new();
    for e in events {
        match e.kind {
            EventKind::Penalty => out.push(Entry {
                n: out.len() + 1,
                event: e,
                state: PenaltyState::Issued,
                confirmed: None,
                waived: None,
                executed: None,
                cancel: None,
            }),
            EventKind::Cancel => {
                if let Some(p) = out.iter_mut().find(|p| Some(&p.event.id) == e.cancels.as_ref()) {
                    p.cancel = Some(e);
                    p.state = PenaltyState::Cancelled;
                }
            }
            EventKind::PenaltyConfirm | EventKind::PenaltyWaive | EventKind::PenaltyExecute => {
                let Some(p) = out.iter_mut().find(|p| Some(&p.event.id) == e.penalty.as_ref()) else {
                    continue;
                };
                if p.state == PenaltyState::Cancelled {
                    continue;
                }
                match e.kind {
                    EventKind::PenaltyConfirm => {
                        p.confirmed = Some(e);
                        p.state = PenaltyState::Confirmed;
                    }
                    EventKind::PenaltyWaive => {
                        p.waived = Some(e);
                        p.state = PenaltyState::Waived;
                    }
                    _ => {
                        p.executed = Some(e);
                        p.state = PenaltyState::Executed;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether the decision `e` is allowed on the log before it: the lifecycle is
/// `issued → confirmed | waived`, `confirmed → executed`, and a cancelled penalty takes
/// no decision. The error says why not.
pub fn check_decision(before: &[Event], e: &Event) -> Result<(), String> {
    let target = e.penalty.as_deref().unwrap_or_default();
    let ledger = ledger(before);
    let p = ledger
        .iter()
        .find(|p| p.event.id == target)
        .ok_or("it is not an earlier penalty event")?;
    allowed(p.state, e.kind)
}

/// The lifecycle's transitions.
pub fn allowed(state: PenaltyState, kind: EventKind) -> Result<(), String> {
    use PenaltyState::*;
    match (state, kind) {
        (Issued, EventKind::PenaltyConfirm | EventKind::PenaltyWaive) => Ok(()),
        (Confirmed, EventKind::PenaltyExecute) => Ok(()),
        (Issued, EventKind::PenaltyExecute) => Err(crate::output::i18n::tr("why_not_confirmed", &[])),
        (Cancelled, _) => Err(crate::output::i18n::tr("why_penalty_cancelled", &[])),
        (s, _) => Err(crate::output::i18n::tr(
            "why_already",
            &[("status", &crate::output::i18n::word(s.key(), s.label()))],
        )),
    }
}

/// A penalty's id as users see it: `<case id>/P<n>`.
pub fn pid(case: &str, n: usize) -> String {
    format!("{case}/P{n}")
}

/// Split a `PID` into the case part and the penalty part (`P<n>` or an event id).
pub fn split_pid(text: &str) -> anyhow::Result<(&str, &str)> {
    match text.trim().split_once('/') {
        Some((case, p)) if !case.is_empty() && !p.is_empty() => Ok((case, p)),
        _ => anyhow::bail!(
            "{}",
            crate::output::i18n::tr("expected_pid", &[("got", &format!("{text:?}"))])
        ),
    }
}

/// The entry a penalty part names in `case`'s ledger.
pub fn find<'a>(case: &'a Case, which: &str) -> anyhow::Result<Entry<'a>> {
    let ledger = ledger(&case.events);
    let n = which.strip_prefix(['P', 'p']).and_then(|n| n.parse::<usize>().ok());
    let found = ledger.iter().find(|p| Some(p.n) == n || p.event.id == which).cloned();
    found.ok_or_else(|| match ledger.len() {
        0 => anyhow::anyhow!("{}", crate::output::i18n::tr("no_penalties_on", &[("id", &case.id)])),
        k => anyhow::anyhow!(
            "{}",
            crate::output::i18n::tr(
                "no_such_penalty",
                &[
                    ("id", &case.id),
                    ("which", &format!("{which:?}")),
                    (
                        "range",
                        &format!("P1{}", if k > 1 { format!("–P{k}") } else { String::new() })
                    )
                ]
            )
        ),
    })
}

/// A line of `kefu penalty list --json` (SPEC §17.17: exactly these fields).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    pub pid: String,
    pub case: String,
    pub department: String,
    pub level: String,
    pub amount: u64,
    #[serde(serialize_with = "serde_time::serialize")]
    pub at: Time,
    #[serde(serialize_with = "serde_time::serialize")]
    pub issued: Time,
    pub state: PenaltyState,
}

pub fn row(case: &Case, p: &Entry) -> Row {
    Row {
        pid: pid(&case.id, p.n),
        case: case.id.clone(),
        department: p.event.department.clone().unwrap_or_default(),
        level: p.event.level.map_or("", |l| l.key()).to_string(),
        amount: p.amount(),
        at: p.event.at,
        issued: p.issued(),
        state: p.state,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(kind: EventKind, id: &str, target: Option<&str>) -> Event {
        let mut e = Event::new(
            kind,
            chrono::DateTime::parse_from_rfc3339("2026-11-20T09:00:00+08:00").unwrap(),
            "x",
        );
        e.id = id.into();
        if kind == EventKind::Cancel {
            e.cancels = target.map(Into::into);
        } else {
            e.penalty = target.map(Into::into);
        }
        e
    }

    #[test]
    fn the_lifecycle_goes_issued_confirmed_executed_or_issued_waived() {
        use EventKind::*;
        use PenaltyState::*;
        assert!(allowed(Issued, PenaltyConfirm).is_ok());
        assert!(allowed(Issued, PenaltyWaive).is_ok());
        assert!(allowed(Confirmed, PenaltyExecute).is_ok());
        for (state, kind) in [
            (Issued, PenaltyExecute),
            (Confirmed, PenaltyConfirm),
            (Confirmed, PenaltyWaive),
            (Waived, PenaltyExecute),
            (Waived, PenaltyConfirm),
            (Executed, PenaltyWaive),
            (Cancelled, PenaltyConfirm),
        ] {
            assert!(allowed(state, kind).is_err(), "{state} {kind}");
        }
    }

    #[test]
    fn a_cancellation_ends_a_penalty_in_any_state_and_an_executed_one_owes_a_refund() {
        let log = vec![
            ev(EventKind::Penalty, "p1", None),
            ev(EventKind::Penalty, "p2", None),
            ev(EventKind::PenaltyConfirm, "a", Some("p1")),
            ev(EventKind::PenaltyExecute, "b", Some("p1")),
            ev(EventKind::Cancel, "c1", Some("p1")),
            ev(EventKind::Cancel, "c2", Some("p2")),
        ];
        let l = ledger(&log);
        assert_eq!((l[0].n, l[0].state, l[0].refund()), (1, PenaltyState::Cancelled, true));
        assert_eq!((l[1].n, l[1].state, l[1].refund()), (2, PenaltyState::Cancelled, false));
        // No decision after a cancellation.
        assert!(check_decision(&log, &ev(EventKind::PenaltyConfirm, "d", Some("p2"))).is_err());
        assert!(check_decision(&log[..2], &ev(EventKind::PenaltyConfirm, "d", Some("p2"))).is_ok());
        assert!(check_decision(&log[..2], &ev(EventKind::PenaltyConfirm, "d", Some("zz"))).is_err());
    }

    #[test]
    fn penalty_ids() {
        assert_eq!(pid("20261123-001", 2), "20261123-001/P2");
        assert_eq!(split_pid("1123-001/P2").unwrap(), ("1123-001", "P2"));
        assert!(split_pid("20261123-001").is_err());
        assert!(split_pid("/P1").is_err());
    }
}
