use anyhow::Result;
use serde::Serialize;

use crate::Ctx;
use crate::case::EventKind;
use crate::rules;

#[derive(Serialize, Default, Debug, PartialEq)]
pub struct Swept {
    pub cases: usize,
    pub escalations: usize,
    pub penalties: usize,
}

pub fn run(ctx: &Ctx) -> Result<()> {
    let swept = sweep(ctx)?;
    if ctx.json {
        return super::show::print_json(&swept);
    }
    eprintln!(
        "sweep: {} escalation(s) and {} penalty notice(s) recorded on {} case(s)",
        swept.escalations, swept.penalties, swept.cases
    );
    Ok(())
}

/// Record every escalation and penalty due by now, in one commit.
pub fn sweep(ctx: &Ctx) -> Result<Swept> {
    let lock = ctx.ws.lock()?;
    let mut swept = Swept::default();
    let mut paths = Vec::new();
    let mut body = String::new();
    // Only the cases that change are kept, written and committed.
    // Closed and rejected cases are never escalated.
    let bad = ctx.ws.scan_where(
        |brief| brief.open,
        |mut case, _| {
            let before = case.events.len();
            let result = rules::bring_up_to_date(&mut case, &ctx.ws.config, ctx.now, ctx.by());
            (result.is_err() || case.events.len() > before).then_some((result.map(|_| ()), before, case))
        },
        |(result, before, case)| {
            result?;
            for e in &case.events[before..] {
                match e.kind {
                    EventKind::Escalate => swept.escalations += 1,
                    EventKind::Penalty => {
                        swept.penalties += 1;
                        body.push_str(&format!(
                            "{} {}: penalty {} to {}\n",
                            case.id,
                            crate::time::rfc3339(&e.at),
                            e.amount.unwrap_or(0),
                            e.department.as_deref().unwrap_or("?")
                        ));
                    }
                    _ => {}
                }
            }
            swept.cases += 1;
            paths.push(ctx.ws.save(&lock, &case)?);
            Ok(())
        },
    )?;
    super::list::warn(&bad);
    if !paths.is_empty() {
        let subject = format!(
            "kefu: sweep: {} escalation(s), {} penalty notice(s) on {} case(s)",
            swept.escalations, swept.penalties, swept.cases
        );
        ctx.commit(&lock, &paths, &subject, &body)?;
    }
    Ok(swept)
}
