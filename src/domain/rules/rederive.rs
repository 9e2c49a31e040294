//! `check` re-derives history (SPEC §9.12, §17.3): the people's events are replayed in
//! their order, each brought up to date as the command that recorded it did, and the
//! derived events (escalations, penalties, cancellations) the rules then produce are
//! compared with the recorded ones.

use std::collections::HashSet;

use super::{By, bring_up_to_date, cancel_since};
use crate::domain::case::{Case, Event, EventKind, Satisfaction, log_problem};
use crate::domain::config::Config;
use crate::domain::time::{Time, rfc3339};
use crate::output::i18n::tr;

/// The derived events the rules produce for the case's people's events, and how many
/// events of that log every copy of the case must hold: those up to the last people's
/// event that brought its case up to date (a note or an edit does not; after the last
/// one, derived events are recorded by the next sweep or write, and reads show them).
///
/// A sweep between two people's events records what the rules say up to its moment,
/// which a step entered later with an earlier date may then cancel: where the log holds
/// an escalation or a penalty, the replay sweeps there too (never past the next
/// people's event's recording, nor now), so such a pair is reproduced, not reported.
fn replay(case: &Case, cfg: &Config, now: Time) -> anyhow::Result<(Vec<Event>, usize)> {
    let mut r = case.clone();
    r.events.clear();
    let mut must = 0;
    for (i, e) in case.events.iter().enumerate() {
        if e.kind.is_derived() {
            let next = case.events[i + 1..]
                .iter()
                .find(|n| !n.kind.is_derived())
                .map_or(now, |n| n.recorded_at.unwrap_or(n.at).min(now));
            if e.kind != EventKind::Cancel && e.at < next && !r.events.is_empty() {
                let until = e.at + chrono::TimeDelta::seconds(1);
                bring_up_to_date(&mut r, cfg, until.min(next), By { actor: "", now: next })?;
            }
            continue;
        }
        let recorded = e.recorded_at.unwrap_or(e.at);
        let by = By {
            actor: "",
            now: recorded,
        };
        if !r.events.is_empty() {
            let s = r.state().map_err(anyhow::Error::msg)?;
            match e.kind {
                EventKind::Intake | EventKind::Note | EventKind::Edit | EventKind::Reopen => {}
                // The one-step close: escalations since the request are cancelled, then
                // the case is brought up to the request.
                EventKind::Close if e.confirms.is_none() => {
                    let requested = e.requested_at.unwrap_or(e.at);
                    cancel_since(&mut r, &s, requested, recorded)?;
                    bring_up_to_date(&mut r, cfg, requested, by)?;
                }
                // The call-back: an approval cancels what the request preceded.
                EventKind::Close => {
                    if let (Some(p), false) = (s.pending, e.satisfaction == Some(Satisfaction::Dissatisfied)) {
                        cancel_since(&mut r, &s, p.at, recorded)?;
                    }
                }
                _ => {
                    bring_up_to_date(&mut r, cfg, e.at, by)?;
                }
            }
        }
        r.events.push(e.clone());
        // A refused call-back: the escalations due since the request follow at once.
        if e.kind == EventKind::Close && e.confirms.is_some() && e.satisfaction == Some(Satisfaction::Dissatisfied) {
            bring_up_to_date(&mut r, cfg, e.at, by)?;
        }
        if !matches!(e.kind, EventKind::Note | EventKind::Edit) {
            must = r.events.len();
        }
    }
    let by = By { actor: "", now };
    bring_up_to_date(&mut r, cfg, now, by)?;
    Ok((r.events, must))
}

/// What a derived event says, its id aside: a cancellation by what it cancels, so a
/// schema 1 file (positional ids) compares like any other.
fn says(events: &[Event], e: &Event) -> String {
    let target = e
        .cancels
        .as_ref()
        .and_then(|id| events.iter().find(|t| &t.id == id))
        .map(|t| says(events, t))
        .unwrap_or_default();
    format!(
        "{}|{}|{}",
        crate::domain::case::derived_facts(e),
        e.close_due.map(|t| t.timestamp()).unwrap_or_default(),
        target
    )
}

/// Every recorded derived event the replay does not produce (not already reported
/// by another check: `flagged`), every one it produces that a write should have
/// recorded and the file lacks, and every `issued` that differs.
pub(super) fn differences(case: &Case, cfg: &Config, now: Time, flagged: &HashSet<usize>) -> Vec<String> {
    // Deadlines counted under another business-hours calendar stay as they were set
    // (§17.4); replaying them under today's calendar would report that alone.
    let tag = cfg.calendar.as_ref().map(|c| c.tag(&cfg.zone));
    if case.events.iter().any(|e| e.calendar.is_some() && e.calendar != tag) {
        return Vec::new();
    }
    let (derived, must) = match replay(case, cfg, now) {
        Ok(found) => found,
        Err(e) => return vec![tr("audit_no_replay", &[("why", &format!("{e:#}"))])],
    };
    let mut wanted: Vec<(usize, String)> = derived
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind.is_derived())
        .map(|(i, e)| (i, says(&derived, e)))
        .collect();
    let mut problems = Vec::new();
    for (i, e) in case.events.iter().enumerate() {
        if !e.kind.is_derived() {
            continue;
        }
        let said = says(&case.events, e);
        match wanted.iter().position(|(_, w)| *w == said) {
            Some(k) => {
                let (j, _) = wanted.remove(k);
                let issued = derived[j].issued;
                if e.issued.is_some() && e.issued != issued && !flagged.contains(&i) {
                    problems.push(log_problem(
                        i,
                        e.kind,
                        "audit_issued",
                        &[
                            ("got", &e.issued.map(|t| rfc3339(&t)).unwrap_or_default()),
                            ("want", &issued.map(|t| rfc3339(&t)).unwrap_or_default()),
                        ],
                    ));
                }
            }
            None if !flagged.contains(&i) => {
                problems.push(log_problem(i, e.kind, "audit_not_produced", &[("at", &rfc3339(&e.at))]))
            }
            None => {}
        }
    }
    for (j, _) in wanted.into_iter().filter(|(j, _)| *j < must) {
        let e = &derived[j];
        problems.push(tr(
            "audit_missing",
            &[
                ("kind", &tr(&format!("k_{}", e.kind.key()), &[])),
                ("at", &rfc3339(&e.at)),
                ("amount", &e.amount.map(|a| format!(" ({a})")).unwrap_or_default()),
            ],
        ));
    }
    problems
}
