//! `kefu penalty list|confirm|waive|execute`: the penalty ledger (SPEC §11.1, §17.17).

use std::collections::HashMap;
use std::io::Write;

use anyhow::{Context, Result, anyhow, bail};
use comfy_table::Cell;

use crate::Ctx;
use crate::cli::{PenaltyAction, PenaltyArgs, PenaltyListArgs};
use crate::domain::case::Case;
use crate::domain::penalty::{self, PenaltyState, Row};
use crate::domain::rules::{self, Decision};
use crate::domain::time::Time;
use crate::output::render;

pub fn run(ctx: &Ctx, args: PenaltyArgs) -> Result<()> {
    match args.action {
        PenaltyAction::List(a) => list(ctx, a),
        PenaltyAction::Confirm(a) => decide(ctx, &a.pids, a.by, |_| Decision::Confirm),
        PenaltyAction::Waive(a) => {
            let reason = match a.reason.filter(|r| !r.trim().is_empty()) {
                Some(r) => r,
                None if ctx.interactive => {
                    crate::prompt::Prompter::new(ctx.ws.config.lang).required("p_waive_reason")?
                }
                None => bail!("{}", crate::output::i18n::tr("waive_needs_reason", &[])),
            };
            decide(ctx, &a.pids, a.by, |_| Decision::Waive { reason: reason.clone() })
        }
        PenaltyAction::Execute(a) => {
            let at = a.at.as_deref().map(|t| ctx.time("--at", t)).transpose()?;
            let reference = a.reference.clone();
            decide(ctx, &a.pids, a.by, move |_| Decision::Execute {
                at,
                reference: reference.clone(),
            })
        }
    }
}

/// Every penalty of the workspace as history says it stands now, placed by `issued`;
/// `keep` chooses the rows. In (issued, case, number) order.
pub fn rows(ctx: &Ctx, keep: impl Fn(&Case, &penalty::Entry) -> bool + Sync) -> Result<Vec<(Case, Vec<usize>)>> {
    let mut out = Vec::new();
    let bad = ctx.ws.scan(
        |case, s| {
            let (case, _) = match ctx.as_of(case, s) {
                Ok(up) => up,
                Err(e) => return Some(Err(e)),
            };
            let wanted: Vec<usize> = penalty::ledger(&case.events)
                .iter()
                .filter(|p| keep(&case, p))
                .map(|p| p.n)
                .collect();
            (!wanted.is_empty()).then_some(Ok((case, wanted)))
        },
        |r| {
            out.push(r?);
            Ok(())
        },
    )?;
    super::list::warn(&bad);
    Ok(out)
}

fn list(ctx: &Ctx, args: PenaltyListArgs) -> Result<()> {
    let cfg = &ctx.ws.config;
    let state = args.state.as_deref().map(PenaltyState::parse).transpose()?;
    let window: Option<(Time, Time)> = args
        .week
        .as_deref()
        .map(|w| super::friday::iso_week(cfg.zone, w).map_err(|e| anyhow!("--week: {e}")))
        .transpose()?;
    let department = args
        .department
        .as_deref()
        .map(|d| cfg.department(d).map(|d| d.key.clone()))
        .transpose()
        .map_err(|e| anyhow!("--department: {e}"))?;
    let found = rows(ctx, |_, p| {
        state.is_none_or(|s| s == p.state)
            && window.is_none_or(|(from, to)| from <= p.issued() && p.issued() < to)
            && department
                .as_deref()
                .is_none_or(|d| p.event.department.as_deref() == Some(d))
    })?;
    let mut table: Vec<(Row, String)> = Vec::new();
    for (case, ns) in &found {
        for p in penalty::ledger(&case.events).iter().filter(|p| ns.contains(&p.n)) {
            table.push((penalty::row(case, p), render::penalty_reason(p.event, cfg)));
        }
    }
    table.sort_by(|(a, _), (b, _)| (a.issued, &a.case, &a.pid).cmp(&(b.issued, &b.case, &b.pid)));
    if ctx.json {
        let rows: Vec<&Row> = table.iter().map(|(r, _)| r).collect();
        return super::show::print_json(&rows);
    }
    let header: Vec<String> = ["penalty", "issued", "department", "level", "amount", "state", "reason"]
        .iter()
        .map(|h| crate::output::i18n::t(cfg.lang, &format!("ph_{h}"), &[]))
        .collect();
    let mut t = render::table(&header.iter().map(String::as_str).collect::<Vec<_>>());
    let mut total = 0u64;
    for (r, reason) in &table {
        total += if r.state == PenaltyState::Cancelled {
            0
        } else {
            r.amount
        };
        t.add_row(vec![
            Cell::new(&r.pid),
            Cell::new(render::local(cfg, r.issued)),
            Cell::new(cfg.department_label(&r.department)),
            Cell::new(
                cfg.level("level", &r.level)
                    .map(|l| cfg.level_label(l))
                    .unwrap_or(&r.level),
            ),
            Cell::new(r.amount),
            Cell::new(render::word(cfg.lang, r.state.key(), r.state.label())),
            Cell::new(render::clip(reason, 50)),
        ]);
    }
    let mut out = std::io::stdout().lock();
    if table.is_empty() {
        writeln!(out, "{}", crate::output::i18n::t(cfg.lang, "no_penalties", &[]))
            .with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))?;
        return Ok(());
    }
    let summary = crate::output::i18n::t(
        cfg.lang,
        "penalty_total",
        &[("n", &table.len().to_string()), ("total", &total.to_string())],
    );
    let text = format!("{t}\n{summary}\n");
    write!(out, "{}", crate::output::safe::terminal(&text))
        .with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))
}

/// Record a decision on each penalty named, one commit each. Every one is tried in
/// memory first, so a bad id or a refused step among several changes nothing.
fn decide(ctx: &Ctx, pids: &[String], by: Option<String>, decision: impl Fn(&str) -> Decision) -> Result<()> {
    let cfg = &ctx.ws.config;
    let mut plan = Vec::new();
    let mut trial: HashMap<String, Case> = HashMap::new();
    for pid in pids {
        let (case_part, which) = penalty::split_pid(pid).map_err(|e| anyhow!("{pid}: {e}"))?;
        let id = ctx.ws.resolve(case_part)?;
        if !trial.contains_key(&id) {
            trial.insert(id.clone(), ctx.ws.load(&id)?);
        }
        let case = trial.get_mut(&id).expect("loaded above");
        rules::decide_penalty(case, cfg, which, decision(pid), by.clone(), ctx.by())?;
        plan.push((id, which.to_string(), pid));
    }
    for (id, which, pid) in plan {
        let mut done = String::new();
        let case = super::update(ctx, &id, |case| {
            let d = decision(pid);
            let verb = match &d {
                Decision::Confirm => "confirm",
                Decision::Waive { .. } => "waive",
                Decision::Execute { .. } => "execute",
            };
            let body = match &d {
                Decision::Waive { reason } => format!("reason: {reason}"),
                Decision::Execute { reference: Some(r), .. } => format!("reference: {r}"),
                _ => String::new(),
            };
            let n = rules::decide_penalty(case, cfg, &which, d, by.clone(), ctx.by())?;
            let p = penalty::find(case, &format!("P{n}"))?;
            done = crate::output::i18n::t(
                cfg.lang,
                match verb {
                    "confirm" => "penalty_confirmed",
                    "waive" => "penalty_waived",
                    _ => "penalty_executed",
                },
                &[
                    ("pid", &penalty::pid(&case.id, n)),
                    (
                        "dept",
                        cfg.department_label(p.event.department.as_deref().unwrap_or_default()),
                    ),
                    ("amount", &p.amount().to_string()),
                ],
            );
            Ok((
                format!(
                    "penalty {verb} {} ({} {})",
                    penalty::pid(&case.id, n),
                    p.event.department.as_deref().unwrap_or_default(),
                    p.amount()
                ),
                body,
            ))
        })?;
        super::show::print_result(ctx, &case, &done)?;
    }
    Ok(())
}
