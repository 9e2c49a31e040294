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
    let mut texts = Vec::new();
    let mut counts = Vec::new();
    // Closed and rejected cases are never escalated. A changed case's next text is
    // made as soon as it is brought up to date, on the scan's threads; the text and
    // the new events' counts are kept, not the case.
    let scanned = ctx.ws.scan_where(
        |brief| brief.open || also(brief),
        |mut case, state| {
            let wanted = also(&Brief::of(&case));
            if !case.status.is_open() {
                return wanted.then_some((Ok(state), 0, case, wanted, None));
            }
            let before = case.events.len();
            let result = rules::bring_up_to_date(&mut case, &ctx.ws.config, ctx.now, ctx.by());
            let changed = result.is_ok() && before > 0 && case.events.len() > before;
            let text = changed.then(|| ctx.ws.next_text(&case));
            (wanted || result.is_err() || changed).then_some((result, before, case, wanted, text))
        },
        |(result, before, case, wanted, text)| {
            let skip = |why: &anyhow::Error, swept: &mut Swept| {
                eprintln!(
                    "{}",
                    crate::output::i18n::tr(
                        "skipped_case",
                        &[
                            ("id", &case.id),
                            ("why", &crate::output::safe::terminal(&format!("{why:#}")))
                        ]
                    )
                );
                swept.skipped += 1;
            };
            let state = match result {
                Ok(state) => state,
                Err(e) => {
                    skip(&e, &mut swept);
                    return Ok(());
                }
            };
            if wanted {
                visit(&case, &state)?;
            }
            match text {
                Some(Ok(text)) => texts.push(text),
                Some(Err(e)) => {
                    skip(&e, &mut swept);
                    return Ok(());
                }
                None => return Ok(()),
            }
            let mut count = (case.id.clone(), 0, 0, String::new());
            for e in &case.events[before..] {
                match e.kind {
                    EventKind::Escalate => count.1 += 1,
                    EventKind::Penalty => {
                        count.2 += 1;
                        count.3.push_str(&format!(
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
            counts.push(count);
            Ok(())
        },
    );
    let bad = scanned?;
    super::list::warn(&bad);
    swept.skipped += bad.len();
    swept.unreadable = bad;
    let (written, failed) = ctx.ws.save_texts(&lock, texts)?;
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
    for (id, escalations, penalties, lines) in counts {
        if failed.iter().any(|(failed, _)| *failed == id) {
            continue;
        }
        swept.escalations += escalations;
        swept.penalties += penalties;
        body.push_str(&lines);
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
