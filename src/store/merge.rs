//! Joining two copies of one case (SPEC §14.2, §17.13): what `kefu merge-file` does
//! when git meets a case file changed in two clones.
//!
//! The people's events are the history; everything else follows from them. So the
//! merge is the union of the two sides' people's events by id, put in time order by
//! (`at`, step of the lifecycle, `id`), and replayed through the rules: the derived
//! events (escalations, penalties, cancellations) are derived again, the close kind
//! of each close is decided again, and the header is recomputed. A people's event the
//! rules refuse in the joined order (two clerks closed the same case; one handed it
//! off while the other rejected it) stays in the log marked `conflict = true`, and the
//! state ignores it. The result depends only on the set of people's events, which is
//! what makes the merge commutative, idempotent and associative.

use anyhow::{Result, bail};

use crate::domain::case::{CUSTOMER_SERVICE, Case, Complaint, Customer, Event, EventKind, State, Status};
use crate::domain::config::Config;
use crate::domain::rules::{self, By};
use crate::domain::time::Time;
use crate::output::i18n::tr;

/// Where in one instant an event of each kind goes: the order one action's events are
/// recorded in (a classification given with the intake, a reassignment before its
/// handoff, the acknowledgement a department's reply implies before the reply).
fn step(kind: EventKind) -> u8 {
    match kind {
        EventKind::Intake => 0,
        EventKind::Classify => 1,
        EventKind::Handoff => 2,
        EventKind::Ack => 3,
        EventKind::Reply => 4,
        EventKind::Note | EventKind::Edit => 5,
        EventKind::CloseRequest => 6,
        EventKind::Close => 7,
        EventKind::Defer => 8,
        EventKind::Reject => 9,
        EventKind::Reopen => 10,
        EventKind::Escalate | EventKind::Penalty | EventKind::Cancel => 11,
        // A decision on a penalty comes after the penalty it names.
        EventKind::PenaltyConfirm | EventKind::PenaltyWaive | EventKind::PenaltyExecute => 12,
    }
}

/// The facts of a case that are not events: what the intake recorded.
#[derive(Clone, PartialEq)]
struct Facts {
    received_at: Time,
    channel: String,
    source_ref: Option<String>,
    customer: Customer,
    complaint: Complaint,
}

impl Facts {
    fn of(case: &Case) -> Facts {
        Facts {
            received_at: case.received_at,
            channel: case.channel.clone(),
            source_ref: case.source_ref.clone(),
            customer: case.customer.clone(),
            complaint: case.complaint.clone(),
        }
    }

    fn text(&self) -> String {
        format!(
            "{}|{}|{:?}|{:?}|{:?}",
            self.received_at, self.channel, self.source_ref, self.customer, self.complaint
        )
    }
}

/// A people's event as history has it: without what a merge decides again.
fn essence(e: &Event) -> String {
    let mut e = e.clone();
    e.conflict = false;
    if e.kind == EventKind::Close {
        e.close_kind = None;
    }
    toml::to_string(&e).unwrap_or_default()
}

/// Join `ours` and `theirs` (and `base`, their common ancestor, when there is one).
/// Fails only when the two are different cases under one id (two intakes).
pub fn merge(base: Option<&Case>, ours: &Case, theirs: &Case, cfg: &Config) -> Result<Case> {
    if ours.id != theirs.id {
        bail!("{}", tr("merge_different", &[("a", &ours.id), ("b", &theirs.id)]));
    }
    let (a, b) = (&ours.events[0], &theirs.events[0]);
    if a.id != b.id || essence(a) != essence(b) {
        bail!("{}", tr("merge_two_intakes", &[("id", &ours.id)]));
    }
    // The intake's facts: what changed on one side wins; two different changes (a hand
    // edit on both sides) are settled the same way whichever side is ours.
    let (fo, ft) = (Facts::of(ours), Facts::of(theirs));
    let facts = if fo == ft || base.is_some_and(|b| Facts::of(b) == ft) {
        fo
    } else if base.is_some_and(|b| Facts::of(b) == fo) || ft.text() < fo.text() {
        ft
    } else {
        fo
    };

    // The union of the people's events by id; of two versions of one id, the same one
    // whichever side it came from.
    let mut people: Vec<Event> = Vec::new();
    for e in ours
        .events
        .iter()
        .chain(&theirs.events)
        .filter(|e| !e.kind.is_derived())
    {
        match people.iter_mut().find(|p| p.id == e.id) {
            Some(p) => {
                if essence(e) < essence(p) {
                    *p = e.clone();
                }
            }
            None => people.push(e.clone()),
        }
    }
    people.sort_by(|x, y| {
        (x.kind != EventKind::Intake, x.at, step(x.kind), &x.id).cmp(&(
            y.kind != EventKind::Intake,
            y.at,
            step(y.kind),
            &y.id,
        ))
    });

    let mut case = ours.clone();
    case.received_at = facts.received_at;
    case.channel = facts.channel;
    case.source_ref = facts.source_ref;
    case.customer = facts.customer;
    case.complaint = facts.complaint;
    case.events.clear();
    let last = people.iter().map(|e| e.at).max().unwrap_or(case.received_at);
    case.events.extend(people.first().cloned());
    for (i, e) in people.iter().enumerate().skip(1) {
        let mut e = e.clone();
        e.conflict = false;
        // An event after which the rules cannot go on to the next one (a
        // reclassification that would charge a deadline twice) is refused too.
        let next = people.get(i + 1).map_or(last, until);
        let before = case.clone();
        let by = By { actor: "", now: next };
        let fine = replay(&mut case, cfg, e.clone()).is_ok()
            && rules::bring_up_to_date(&mut case.clone(), cfg, next, by).is_ok();
        if !fine {
            case = before;
            push_conflict(&mut case, e);
        }
    }
    // What a refused confirmation lets run again, up to its own time.
    let by = By { actor: "", now: last };
    rules::bring_up_to_date(&mut case, cfg, last, by)?;
    case.refresh()
        .map_err(|e| anyhow::anyhow!("{}{e}", tr("case_prefix", &[("id", &case.id)])))?;
    Ok(case)
}

/// Append one people's event as the rules would have recorded it after the events
/// already in `case`: the derived events due before it first, and a close's
/// cancellations; marked a conflict if the rules refuse it there. An error when the
/// log cannot take it at all.
fn replay(case: &mut Case, cfg: &Config, mut e: Event) -> Result<()> {
    let recorded = e.recorded_at.unwrap_or(e.at);
    let by = By {
        actor: "",
        now: recorded,
    };
    let one_step_close = e.kind == EventKind::Close && e.confirms.is_none();
    let until = until(&e);
    let s = case
        .state()
        .map_err(|err| anyhow::anyhow!("{}{err}", tr("case_prefix", &[("id", &case.id)])))?;
    if refused(case, &s, &e).is_some() {
        push_conflict(case, e);
        return Ok(());
    }
    if one_step_close {
        rules::cancel_since(case, &s, until, recorded)?;
    }
    let s = rules::bring_up_to_date(case, cfg, until, by)?;
    if e.kind == EventKind::Close && e.satisfaction != Some(crate::domain::case::Satisfaction::Dissatisfied) {
        let requested = match e.confirms {
            Some(_) => s.pending.map(|p| p.at),
            None => e.requested_at,
        };
        if let Some(requested) = requested {
            if e.confirms.is_some() {
                rules::cancel_since(case, &s, requested, recorded)?;
            }
            let s = case
                .state()
                .map_err(|err| anyhow::anyhow!("{}{err}", tr("case_prefix", &[("id", &case.id)])))?;
            e.close_kind = Some(rules::close_kind(&s, requested));
        }
    }
    case.events.push(e);
    // Whatever else the log cannot explain with it: the caller keeps it as a conflict,
    // without what was recorded for it here.
    case.state()
        .map_err(|err| anyhow::anyhow!("{}{err}", tr("case_prefix", &[("id", &case.id)])))?;
    Ok(())
}

/// The derived events due before this time are recorded before `e`. A close in one
/// step is dated by its request (SPEC §4): the deadlines missed after the request
/// never were, and those recorded are cancelled by it.
fn until(e: &Event) -> Time {
    match (e.kind, &e.confirms, e.requested_at) {
        (EventKind::Close, None, Some(r)) => r,
        _ => e.at,
    }
}

/// Keep a refused event, marked. A close decided nothing, so it carries no close kind
/// (which would otherwise depend on the copy the event came from).
fn push_conflict(case: &mut Case, mut e: Event) {
    e.conflict = true;
    if e.kind == EventKind::Close {
        e.close_kind = None;
    }
    case.events.push(e);
}

/// Why the rules refuse `e` after the events of `case` (in state `s`), if they do:
/// the checks the commands make before recording each kind of event.
fn refused(case: &Case, s: &State, e: &Event) -> Option<&'static str> {
    let open = s.status.is_open();
    let classified = s.classification.level.is_some();
    let refuse = |bad: bool, why: &'static str| bad.then_some(why);
    match e.kind {
        EventKind::Intake => Some("a second intake"),
        EventKind::Classify => refuse(!open, "the case is not open"),
        EventKind::Handoff => refuse(!open, "the case is not open")
            .or_else(|| refuse(!classified, "not classified"))
            .or_else(|| refuse(e.to != s.classification.department, "classified to another department")),
        EventKind::Ack => refuse(!open, "the case is not open").or_else(|| refuse(!s.awaiting_ack, "no handoff waits")),
        EventKind::Reply => match e.from.as_deref() {
            Some(CUSTOMER_SERVICE) | None => None,
            Some(dept) => refuse(!open, "the case is not open")
                .or_else(|| refuse(!s.handed_to.iter().any(|d| d == dept), "never handed off there")),
        },
        EventKind::CloseRequest => closable(s),
        EventKind::Close => match &e.confirms {
            None => closable(s),
            Some(target) => refuse(!open, "the case is not open").or_else(|| {
                refuse(
                    s.pending.is_none_or(|p| case.events[p.index].id != *target),
                    "not the pending close request",
                )
            }),
        },
        EventKind::Defer => refuse(!open || s.status == Status::Deferred, "not open or already deferred")
            .or_else(|| refuse(s.pending.is_some(), "a close request is pending"))
            .or_else(|| refuse(!classified, "not classified")),
        EventKind::Reject => {
            refuse(!open, "the case is not open").or_else(|| refuse(s.pending.is_some(), "a close request is pending"))
        }
        EventKind::Reopen => refuse(open, "the case is open"),
        EventKind::Note | EventKind::Edit => None,
        EventKind::PenaltyConfirm | EventKind::PenaltyWaive | EventKind::PenaltyExecute => refuse(
            crate::domain::penalty::ledger(&case.events)
                .iter()
                .all(|p| Some(&p.event.id) != e.penalty.as_ref()),
            "no such penalty",
        ),
        EventKind::Escalate | EventKind::Penalty | EventKind::Cancel => Some("a derived event"),
    }
}

fn closable(s: &State) -> Option<&'static str> {
    if !s.status.is_open() {
        Some("the case is not open")
    } else if s.classification.level.is_none() {
        Some("not classified")
    } else if s.pending.is_some() {
        Some("a close request is pending")
    } else {
        None
    }
}
