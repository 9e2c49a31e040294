use anyhow::Result;
use serde::Serialize;

use crate::Ctx;
use crate::domain::case::{Case, EventKind, State};
use crate::domain::rules;
use crate::store::cache::Brief;

#[derive(Serialize, Default, Debug, PartialEq)]
pub struct Swept {
    pub cases: usize,
    pub escalations: usize,
    pub penalties: usize,
    /// Cases that could not be read or updated.
    pub skipped: usize,
    /// The files that could not be read, with their messages (already on stderr).
    #[serde(skip)]
    pub unreadable: Vec<(std::path::PathBuf, String)>,
}

pub fn run(ctx: &Ctx) -> Result<()> {
    let swept = sweep(ctx)?;
    if ctx.json {
        super::show::print_json(&swept)?;
    } else {
        let n = |v: usize| v.to_string();
        let args = [
            ("escalations", n(swept.escalations)),
            ("penalties", n(swept.penalties)),
            ("cases", n(swept.cases)),
        ];
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        eprintln!("{}", crate::output::i18n::t(ctx.ws.config.lang, "swept", &args));
    }
    swept.done()
}

impl Swept {
    /// Exit status 3 when a case had to be skipped.
    pub fn done(&self) -> Result<()> {
        match self.skipped {
            0 => Ok(()),
            skipped => Err(crate::PartlyDone { skipped }.into()),
        }
    }
}

/// Record every escalation and penalty due by now, in one commit. Each case is brought
/// up to date on its own: one that cannot be read or updated is named on stderr and
/// skipped, and every other is still updated (SPEC §9.8).
pub fn sweep(ctx: &Ctx) -> Result<Swept> {
    sweep_and(ctx, |_| false, |_, _| Ok(()))
}

/// [`sweep`], and in the same pass over the workspace, `visit` each case whose brief
/// passes `also` as it is after the sweep (a report needs no second read).
pub fn sweep_and(
    ctx: &Ctx,
    also: impl Fn(&Brief) -> bool + Sync,
    mut visit: impl FnMut(&Case, &State) -> Result<()>,
) -> Result<Swept> {
    let lock = ctx.ws.lock()?;
    let mut swept = Swept::default();
    let mut changed = Vec::new();
    // Closed and rejected cases are never escalated.
    let bad = ctx.ws.scan_where(
        |brief| brief.open || also(brief),
        |mut case, state| {
            let wanted = also(&Brief::of(&case));
            if !case.status.is_open() {
                return wanted.then_some((Ok(state), 0, case, wanted));
            }
            let before = case.events.len();
            let result = rules::bring_up_to_date(&mut case, &ctx.ws.config, ctx.now, ctx.by());
            (wanted || result.is_err() || case.events.len() > before).then_some((result, before, case, wanted))
        },
        |(result, before, case, wanted)| {
            let state = match result {
                Ok(state) => state,
                Err(e) => {
                    eprintln!(
                        "{}",
                        crate::output::i18n::tr(
                            "skipped_case",
                            &[
                                ("id", &case.id),
                                ("why", &crate::output::safe::terminal(&format!("{e:#}")))
                            ]
                        )
                    );
                    swept.skipped += 1;
                    return Ok(());
                }
            };
            if wanted {
                visit(&case, &state)?;
            }
            if before > 0 && case.events.len() > before {
                changed.push((before, case));
            }
            Ok(())
        },
    )?;
    super::list::warn(&bad);
    swept.skipped += bad.len();
    swept.unreadable = bad;
    // Events kefu derives are never refused by a size limit (SPEC §9.8).
    let cases: Vec<&Case> = changed.iter().map(|(_, c)| c).collect();
    let (written, failed) = ctx.ws.save_derived_all(&lock, &cases)?;
    for (id, e) in &failed {
        eprintln!(
            "{}",
            crate::output::i18n::tr(
                "skipped_case",
                &[("id", id), ("why", &crate::output::safe::terminal(&format!("{e:#}")))]
            )
        );
    }
    swept.skipped += failed.len();
    let mut body = String::new();
    for (before, case) in changed
        .iter()
        .filter(|(_, c)| !failed.iter().any(|(id, _)| *id == c.id))
    {
        for e in &case.events[*before..] {
            match e.kind {
                EventKind::Escalate => swept.escalations += 1,
                EventKind::Penalty => {
                    swept.penalties += 1;
                    body.push_str(&format!(
                        "{} {}: penalty {} to {}\n",
                        case.id,
                        crate::domain::time::rfc3339(&e.at),
                        e.amount.unwrap_or(0),
                        e.department.as_deref().unwrap_or("?")
                    ));
                }
                _ => {}
            }
        }
        swept.cases += 1;
    }
    if !written.is_empty() {
        let subject = format!(
            "kefu: sweep: {} escalation(s), {} penalty notice(s) on {} case(s)",
            swept.escalations, swept.penalties, swept.cases
        );
        ctx.commit(&lock, &written, &subject, &body)?;
    }
    Ok(swept)
}
